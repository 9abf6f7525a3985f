//! The Discord adapter: slash commands, buttons, autocomplete and the daily
//! scheduler over the core, with serenity 0.12 and poise 0.7.

pub mod attachment;
pub mod autocomplete;
pub mod buttons;
pub mod commands;
pub mod interaction;
pub mod library;
pub mod poster;
pub mod prompt;
pub mod reading;
pub mod render;
pub mod reply;
pub mod schedule;
pub mod search;

use crate::app::App;
use crate::config::{Config, Registration, Sharding};
use crate::daily::{self, Retry};
use crate::library::Library;
use crate::schedule::Clock;
use crate::state::State;
use anyhow::Context as _;
use serenity::all::{ClientBuilder, FullEvent, GatewayIntents, HttpBuilder, Interaction};
use std::sync::Arc;
use std::time::Duration;

/// Errors in commands: anyhow at the edge.
pub type Error = anyhow::Error;
/// Command context.
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What every command can reach.
pub struct Data {
    /// The core.
    pub app: Arc<App>,
    /// Sends interactions' initial responses.
    pub responder: reply::Responder,
    /// Commands and button presses being answered (shutdown waits for them).
    pub in_flight: Arc<InFlight>,
}

/// Counts interactions being answered, so a stopping process finishes its
/// replies before it exits.
#[derive(Default)]
pub struct InFlight {
    count: std::sync::atomic::AtomicUsize,
    idle: tokio::sync::Notify,
}

impl InFlight {
    /// One more interaction is being answered.
    pub fn enter(&self) {
        self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// One interaction is answered.
    pub fn leave(&self) {
        let before = self
            .count
            .fetch_update(
                std::sync::atomic::Ordering::SeqCst,
                std::sync::atomic::Ordering::SeqCst,
                |n| Some(n.saturating_sub(1)),
            )
            .unwrap_or(0);
        if before <= 1 {
            self.idle.notify_waiters();
        }
    }

    /// How many are being answered.
    pub fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Wait until none is being answered, at most `limit`; false on timeout.
    pub async fn drained(&self, limit: Duration) -> bool {
        let wait = async {
            loop {
                let notified = self.idle.notified();
                if self.count() == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(limit, wait).await.is_ok()
    }
}

/// How long a stopping process waits for replies and for a daily post
/// being sent.
const DRAIN: Duration = Duration::from_secs(10);

/// How to run the bot.
pub struct ServeOptions {
    /// Configuration (API base URL, registration, data directory).
    pub config: Config,
    /// Bot token.
    pub token: String,
    /// The opened library.
    pub library: Arc<Library>,
    /// The state store.
    pub state: Arc<State>,
    /// Time source for the scheduler.
    pub clock: Arc<dyn Clock>,
    /// Retry policy of daily posts.
    pub retry: Retry,
}

/// Run CPU-bound core work (search, cite, prompt pools) on the blocking pool,
/// at most a few jobs at a time. A burst of interactions would otherwise
/// start hundreds of blocking threads on a two-core machine: no faster, and
/// each thread keeps its own analyzer and memo.
pub async fn run_core<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    static PERMITS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores * 2)
    });
    // The semaphore is never closed, so acquiring cannot fail.
    let _permit = PERMITS.acquire().await.expect("semaphore is never closed");
    tokio::task::spawn_blocking(work).await
}

/// Backstop for every REST request the bot makes.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Build serenity's HTTP client: mentions off by default; behind a proxy,
/// serenity's own rate limiter is off (it would bypass the proxy otherwise).
pub fn http_client(token: &str, api_base_url: Option<&str>) -> serenity::all::Http {
    let mut b = HttpBuilder::new(token).default_allowed_mentions(render::no_mentions());
    // serenity's own client has no timeout: a hung request would hang the
    // command that made it forever. Replies have tighter limits of their own.
    match reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(HTTP_TIMEOUT)
        .build()
    {
        Ok(client) => b = b.client(client),
        Err(e) => tracing::warn!(error = %e, "could not build an HTTP client with a timeout"),
    }
    if let Some(base) = api_base_url {
        b = b
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    b.build()
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let data = framework.user_data;
    match event {
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(c),
        } => {
            data.in_flight.enter();
            buttons::handle(data, c).await;
            data.in_flight.leave();
        }
        FullEvent::Ready { data_about_bot } => {
            tracing::info!(user = %data_about_bot.user.name, guilds = data_about_bot.guilds.len(), "connected to Discord");
        }
        FullEvent::Resume { .. } => tracing::info!("gateway session resumed"),
        _ => {}
    }
    Ok(())
}

/// Run the bot until `shutdown` resolves (SIGTERM or Ctrl-C in the binary),
/// then stop cleanly: no new interactions (the shards close), replies in
/// flight and a daily post being sent finish (up to ten seconds), and this
/// process's claims on daily posts are released for the others.
pub async fn serve(
    opts: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let http = http_client(&opts.token, opts.config.discord.api_base_url.as_deref());
    let app = Arc::new(App::new(
        opts.library.clone(),
        Some(opts.state.clone()),
        opts.config.clone(),
        opts.clock.clone(),
    ));
    let registration = opts.config.discord.register;
    let guild = opts.config.discord.guild_id;
    let tick = Duration::from_secs(opts.config.discord.scheduler_tick_seconds.max(1));
    let sharding = opts.config.discord.sharding()?;
    let data_app = app.clone();
    let in_flight = Arc::new(InFlight::default());
    let data_in_flight = in_flight.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            pre_command: |ctx| {
                ctx.data().in_flight.enter();
                Box::pin(async {})
            },
            post_command: |ctx| {
                ctx.data().in_flight.leave();
                Box::pin(async {})
            },
            on_error: |e| {
                Box::pin(async move {
                    // A command that failed or panicked after it started
                    // is answered here: it leaves the count afterwards.
                    let started = match &e {
                        poise::FrameworkError::Command { ctx, .. }
                        | poise::FrameworkError::CommandPanic { ctx, .. } => {
                            Some(ctx.data().in_flight.clone())
                        }
                        _ => None,
                    };
                    interaction::on_error(e).await;
                    if let Some(f) = started {
                        f.leave();
                    }
                })
            },
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            allowed_mentions: Some(render::no_mentions()),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                let cmds = &framework.options().commands;
                match (registration, guild) {
                    (Registration::Guild, Some(g)) => {
                        poise::builtins::register_in_guild(
                            ctx,
                            cmds,
                            serenity::all::GuildId::new(g),
                        )
                        .await?
                    }
                    (Registration::Guild, None) => tracing::warn!(
                        "register = \"guild\" needs discord.guild_id; commands not registered"
                    ),
                    (Registration::Global, _) => {
                        poise::builtins::register_globally(ctx, cmds).await?
                    }
                    (Registration::None, _) => {}
                }
                let responder =
                    reply::Responder::new(data_app.config().discord.api_base_url.as_deref());
                Ok(Data {
                    app: data_app,
                    responder,
                    in_flight: data_in_flight,
                })
            })
        })
        .build();
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .framework(framework)
        .await
        .context("building the Discord client")?;

    // The scheduler needs no gateway: plain HTTP calls post the daily prompt.
    let poster = poster::SerenityPoster::new(
        client.http.clone(),
        &opts.token,
        opts.config.discord.api_base_url.as_deref(),
    );
    let (lib, state, clock, style, retry) = (
        opts.library.clone(),
        opts.state.clone(),
        opts.clock.clone(),
        opts.config.citations.style,
        opts.retry,
    );
    let owner = crate::state::process_owner();
    let lease = Duration::from_secs(opts.config.discord.post_lease_seconds.max(1));
    let stop = Arc::new(tokio::sync::Notify::new());
    let stop_scheduler = stop.clone();
    let sync_app = app.clone();
    let scheduler = tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            // Stopping is only checked between runs: a post being sent is
            // finished, not cut off.
            tokio::select! {
                _ = interval.tick() => {}
                _ = stop_scheduler.notified() => break,
            }
            let posts = daily::DailyPosts {
                lib: &lib,
                engine: app.engine(),
                state: &state,
                poster: &poster,
                style,
                retry,
                owner,
                lease,
            };
            for o in posts.run_due(clock.now()).await {
                if let daily::Outcome::Failed { guild_id, error } = o {
                    tracing::warn!(guild_id, %error, "daily post not sent");
                }
            }
        }
    });
    // Essays circles uploaded through other processes come in by polling
    // the store's library version (one small query per period).
    let sync_every = Duration::from_secs(opts.config.discord.library_sync_seconds.max(1));
    let uploads = tokio::spawn(async move {
        let mut interval = tokio::time::interval(sync_every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let app = sync_app.clone();
            match run_core(move || app.sync_uploads()).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(
                    changes = n,
                    "brought in essays uploaded through other processes"
                ),
                Ok(Err(e)) => tracing::warn!(error = %e, "could not bring in uploaded essays"),
                Err(e) => tracing::warn!(error = %e, "upload sync task failed"),
            }
        }
    });
    let shard_manager = client.shard_manager.clone();
    let shards = async {
        match sharding {
            Sharding::Auto => client.start_autosharded().await,
            Sharding::Count(n) => client.start_shards(n).await,
            // serenity reads the range's end as the last shard, inclusive.
            Sharding::Range { first, last, total } => {
                tracing::info!(
                    first,
                    last,
                    total,
                    "running shards {first}-{last} of {total}"
                );
                client.start_shard_range(first..last, total).await
            }
        }
    };
    let result = tokio::select! {
        r = shards => r.context("Discord client stopped"),
        _ = shutdown => {
            tracing::info!("shutting down: finishing replies in flight");
            shard_manager.shutdown_all().await;
            Ok(())
        }
    };
    uploads.abort();
    stop.notify_one();
    let (replies_done, scheduler_done) = tokio::join!(
        in_flight.drained(DRAIN),
        tokio::time::timeout(DRAIN, scheduler)
    );
    if !replies_done {
        tracing::warn!(
            left = in_flight.count(),
            "stopped with replies still in flight"
        );
    }
    if scheduler_done.is_err() {
        tracing::warn!("stopped while a daily post was being sent; its claim is released");
    }
    match opts.state.release_all(owner) {
        Ok(0) => {}
        Ok(n) => tracing::info!(claims = n, "released this process's daily-post claims"),
        Err(e) => {
            tracing::warn!(error = %e, "could not release daily-post claims; they expire by themselves")
        }
    }
    result
}
