//! What every command shares: who is asking (their circle, whether they
//! organise), running core work off the async threads, and replying within
//! Discord's rules (the 3-second window, retries, private errors).

use super::render::{self, inert, limits, trim};
use super::reply::{deliver, Delivered, Failure, ReplyKind};
use super::{Context, Data, Error};
use poise::CreateReply;
use serenity::all::{CreateInteractionResponse, CreateInteractionResponseMessage};

/// The circle a command comes from: its server. In a direct message there
/// is none, and only the shared library answers.
pub fn circle_of_ctx(ctx: Context<'_>) -> Option<String> {
    ctx.guild_id().map(|g| g.get().to_string())
}

/// The circle's view of the library.
pub fn view(ctx: Context<'_>) -> std::sync::Arc<crate::library::Snapshot> {
    ctx.data().app.view(circle_of_ctx(ctx).as_deref())
}

/// How long core work may run before the reply is deferred (Discord drops an
/// interaction not answered within 3 seconds).
const DEFER_AFTER: std::time::Duration = std::time::Duration::from_millis(1500);

/// Run core work on the blocking pool, so a burst of requests never stalls
/// the gateway or the HTTP client; defer the reply when it runs long.
pub async fn off_thread<T: Send + 'static>(
    ctx: Context<'_>,
    work: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> Result<T, Error> {
    // A task of its own, so that it keeps running (and holding its place in
    // the queue) while the reply is deferred.
    let mut handle = tokio::spawn(super::run_core(work));
    let joined = match tokio::time::timeout(DEFER_AFTER, &mut handle).await {
        Ok(joined) => joined,
        Err(_) => {
            defer(ctx, false).await?;
            handle.await
        }
    };
    let result = joined
        .map_err(|e| anyhow::anyhow!("worker task failed: {e}"))?
        .map_err(|e| anyhow::anyhow!("worker task failed: {e}"))?;
    Ok(result?)
}

/// When Discord stops accepting the initial response to this interaction:
/// three seconds after it was created (its id's timestamp), as seen on our
/// clock, and never less than half a second from now.
pub fn deadline_of(id: serenity::all::InteractionId) -> std::time::Instant {
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
    let created_ms = ((id.get() >> 22) + 1_420_070_400_000) as u128;
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let age = Duration::from_millis(now_ms.saturating_sub(created_ms) as u64);
    let left = super::reply::INTERACTION_WINDOW
        .saturating_sub(age)
        .max(Duration::from_millis(500));
    Instant::now() + left
}

/// Send the interaction's initial response through [`Responder`], which
/// honours Discord's `retry_after`, and tell poise it is sent. `false` when
/// an earlier attempt had landed (Discord refused the retry as already
/// acknowledged): it is sent all the same.
async fn respond_initially(
    ctx: poise::ApplicationContext<'_, Data, Error>,
    response: CreateInteractionResponse,
) -> Result<bool, Error> {
    use std::sync::atomic::Ordering::SeqCst;
    let i = ctx.interaction;
    let responder = &ctx.data().responder;
    let kind = ReplyKind::Initial {
        deadline: deadline_of(i.id),
    };
    let delivered = deliver(kind, || responder.callback(i.id, &i.token, &response)).await?;
    ctx.has_sent_initial_response.store(true, SeqCst);
    Ok(matches!(delivered, Delivered::Sent(())))
}

/// Defer the reply (Discord then waits up to 15 minutes for it).
pub async fn defer(ctx: Context<'_>, ephemeral: bool) -> Result<(), Error> {
    use std::sync::atomic::Ordering::SeqCst;
    match ctx {
        poise::Context::Application(a) if !a.has_sent_initial_response.load(SeqCst) => {
            let msg = CreateInteractionResponseMessage::new().ephemeral(ephemeral);
            respond_initially(a, CreateInteractionResponse::Defer(msg)).await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Send a reply under the retry policy of [`reply::deliver`]: the initial
/// response through [`respond_initially`], later ones as followups through
/// poise. A handle only for followups; the initial response's message is
/// read back with `get_response` when it is needed.
pub async fn send<'a>(
    ctx: Context<'a>,
    reply: CreateReply,
) -> Result<Option<poise::ReplyHandle<'a>>, Error> {
    use std::sync::atomic::Ordering::SeqCst;
    if let poise::Context::Application(a) = ctx {
        if !a.has_sent_initial_response.load(SeqCst) {
            let msg = reply.to_slash_initial_response(CreateInteractionResponseMessage::new());
            respond_initially(a, CreateInteractionResponse::Message(msg)).await?;
            return Ok(None);
        }
    }
    match deliver(ReplyKind::Followup, || {
        let r = reply.clone();
        async move { ctx.send(r).await.map_err(Failure::from) }
    })
    .await?
    {
        Delivered::Sent(handle) => Ok(Some(handle)),
        Delivered::AlreadyAcknowledged => Ok(None),
    }
}

/// A short, ephemeral error for the user.
pub async fn say_error(ctx: Context<'_>, text: &str) -> Result<(), Error> {
    send(
        ctx,
        CreateReply::default()
            .content(trim(text, limits::CONTENT))
            .ephemeral(true)
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}

/// Handle command errors: user mistakes get a clear, private answer; bugs are logged.
pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            if let Some(e) = error.downcast_ref::<super::reply::ReplyError>() {
                // The reply itself could not be delivered: another message
                // would fail the same way (or arrive inside a rate limit).
                tracing::warn!(error = %e, command = %ctx.command().qualified_name, "reply not delivered");
                return;
            }
            let text = match error.downcast_ref::<crate::Error>() {
                Some(e) if e.is_user_error() => render::error_text(&e.to_string()),
                _ => {
                    tracing::error!(error = %format!("{error:#}"), command = %ctx.command().qualified_name, "command failed");
                    "Something went wrong on my side. Please try again in a moment.".to_string()
                }
            };
            let _ = say_error(ctx, &text).await;
        }
        poise::FrameworkError::CommandCheckFailed { ctx, .. } => {
            let _ = say_error(
                ctx,
                "Only organisers (members with the Manage Server permission) can use this command.",
            )
            .await;
        }
        poise::FrameworkError::ArgumentParse { ctx, input, .. } => {
            let what = input
                .map(|i| format!(" (`{}`)", inert(&trim(&i, 50))))
                .unwrap_or_default();
            let _ = say_error(
                ctx,
                &format!("I could not read one of the options{what}. Check it and try again."),
            )
            .await;
        }
        poise::FrameworkError::UnknownInteraction {
            framework,
            interaction,
            ..
        } => unknown_command(framework, interaction).await,
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!(error = %e, "error while handling an error");
            }
        }
    }
}

/// A command the bot no longer has (renamed, or a stale registration):
/// Discord still delivers it, and without an answer the member sees "The
/// application did not respond". Say privately that it is gone, and
/// register the current commands again (at most once in ten minutes).
async fn unknown_command(
    framework: poise::FrameworkContext<'_, Data, Error>,
    interaction: &serenity::all::CommandInteraction,
) {
    let data = framework.user_data;
    let response = CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(format!(
                "`/{}` is no longer one of my commands (it was renamed or removed). \
                 Your command list is being refreshed: type / to see the current ones, or use /help.",
                trim(&inert(&interaction.data.name), 32)
            ))
            .ephemeral(true)
            .allowed_mentions(render::no_mentions()),
    );
    let kind = ReplyKind::Initial {
        deadline: deadline_of(interaction.id),
    };
    let sent = deliver(kind, || {
        data.responder
            .callback(interaction.id, &interaction.token, &response)
    })
    .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, "could not answer an unknown command");
    }
    static LAST: std::sync::Mutex<Option<std::time::Instant>> = std::sync::Mutex::new(None);
    {
        let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(600)) {
            return;
        }
        *last = Some(std::time::Instant::now());
    }
    tracing::warn!(command = %interaction.data.name, "unknown command; registering the current commands again");
    let http = &framework.serenity_context.http;
    let cmds = &framework.options().commands;
    let registered = match (
        data.app.config().discord.register,
        data.app.config().discord.guild_id,
    ) {
        (crate::config::Registration::Guild, Some(g)) => {
            poise::builtins::register_in_guild(http, cmds, serenity::all::GuildId::new(g)).await
        }
        (crate::config::Registration::Global, _) => {
            poise::builtins::register_globally(http, cmds).await
        }
        _ => Ok(()),
    };
    if let Err(e) = registered {
        tracing::warn!(error = %e, "could not register the commands again");
    }
}

/// True for members with Manage Server (or Administrator), checked by the bot
/// itself from the permissions Discord sends with the interaction.
pub async fn is_organiser(ctx: Context<'_>) -> Result<bool, Error> {
    let perms = match ctx {
        poise::Context::Application(a) => a.interaction.member.as_ref().and_then(|m| m.permissions),
        poise::Context::Prefix(_) => None,
    };
    Ok(perms.is_some_and(|p| p.manage_guild() || p.administrator()))
}

/// A private answer, or the core's refusal in plain words (anything else
/// is a fault, handled by [`on_error`]).
pub async fn answer(ctx: Context<'_>, result: crate::Result<String>) -> Result<(), Error> {
    match result {
        Ok(text) => {
            send(
                ctx,
                CreateReply::default()
                    .content(trim(&text, limits::CONTENT))
                    .ephemeral(true)
                    .allowed_mentions(render::no_mentions()),
            )
            .await?;
            Ok(())
        }
        Err(e) if e.is_user_error() => say_error(ctx, &render::error_text(&e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}
