//! Slash commands. Each body is a thin call into the core plus rendering.

use super::buttons;
use super::render::{
    self, cite_embed, inert, limits, prompt_embed, quote_embed, thread_name, trim,
};
use super::reply::{deliver, Delivered, Failure, ReplyKind};
use super::{Context, Data, Error};
use crate::citation::Style;
use crate::daily::circle_of;
use crate::ingest;
use crate::prompts::{pick, PromptKind};
use crate::schedule::{matching_zones, next_slot, parse_time, parse_zone};
use crate::search::{cite, quote};
use crate::state::Schedule;
use poise::CreateReply;
use serenity::all::{
    Attachment, AutoArchiveDuration, AutocompleteChoice, Channel, CreateAutocompleteResponse,
    CreateEmbed, CreateInteractionResponse, CreateInteractionResponseMessage, CreateThread, Role,
};

/// Every command the bot registers.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        quote(),
        cite(),
        prompt(),
        essays(),
        essay(),
        schedule(),
        library(),
        super::reading::reading(),
        help(),
    ]
}

/// Citation style choice.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum StyleChoice {
    /// MLA 9.
    #[name = "MLA"]
    Mla,
    /// APA 7.
    #[name = "APA"]
    Apa,
    /// Chicago 17.
    #[name = "Chicago"]
    Chicago,
}

impl From<StyleChoice> for Style {
    fn from(s: StyleChoice) -> Style {
        match s {
            StyleChoice::Mla => Style::Mla,
            StyleChoice::Apa => Style::Apa,
            StyleChoice::Chicago => Style::Chicago,
        }
    }
}

/// Prompt kind choice.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum KindChoice {
    /// What does the author mean?
    Interpretive,
    /// Do you agree?
    Evaluative,
    /// What must be true?
    Assumption,
    /// How would this apply?
    Application,
    /// Two passages compared.
    Comparison,
    /// Organisers' own.
    Custom,
}

impl From<KindChoice> for PromptKind {
    fn from(k: KindChoice) -> PromptKind {
        match k {
            KindChoice::Interpretive => PromptKind::Interpretive,
            KindChoice::Evaluative => PromptKind::Evaluative,
            KindChoice::Assumption => PromptKind::Assumption,
            KindChoice::Application => PromptKind::Application,
            KindChoice::Comparison => PromptKind::Comparison,
            KindChoice::Custom => PromptKind::Custom,
        }
    }
}

fn choice(name: &str, value: &str) -> AutocompleteChoice {
    AutocompleteChoice::new(trim(name, limits::CHOICE), trim(value, limits::CHOICE))
}

/// The circle a command comes from: its server. In a direct message there
/// is none, and only the shared library answers.
pub fn circle_of_ctx(ctx: Context<'_>) -> Option<String> {
    ctx.guild_id().map(|g| g.get().to_string())
}

/// The circle's current reading, unless the member named an essay or asked
/// for the whole library. It reads the state store, so it is called inside
/// the command's blocking work, never on the async threads.
struct ReadingFocus {
    state: std::sync::Arc<crate::state::State>,
    circle: Option<String>,
    essay_given: bool,
    whole_library: bool,
    now: jiff::Timestamp,
}

impl ReadingFocus {
    fn of(ctx: Context<'_>, essay_given: bool, whole_library: Option<bool>) -> ReadingFocus {
        let data = ctx.data();
        ReadingFocus {
            state: data.state.clone(),
            circle: circle_of_ctx(ctx),
            essay_given,
            whole_library: whole_library.unwrap_or(false),
            now: data.clock.now(),
        }
    }

    fn entry(&self) -> crate::Result<Option<crate::plan::PlanEntry>> {
        crate::plan::focus(
            &self.state,
            self.circle.as_deref(),
            self.essay_given,
            self.whole_library,
            self.now,
        )
    }
}

/// What the command's circle sees.
pub(super) fn view(ctx: Context<'_>) -> std::sync::Arc<crate::library::Snapshot> {
    ctx.data().library.view(circle_of_ctx(ctx).as_deref())
}

pub(super) async fn autocomplete_essay(
    ctx: Context<'_>,
    partial: &str,
) -> CreateAutocompleteResponse {
    let p = partial.to_lowercase();
    let snap = view(ctx);
    let choices = snap
        .essays()
        .iter()
        .filter(|e| e.meta.id.contains(&p) || e.meta.title.to_lowercase().contains(&p))
        .take(limits::CHOICES)
        .map(|e| choice(&e.meta.title, &e.meta.id))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

async fn autocomplete_speaker(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let p = partial.to_lowercase();
    let snap = view(ctx);
    let mut names: Vec<String> = snap
        .essays()
        .iter()
        .flat_map(|e| e.speakers.iter().map(|s| s.name.clone()))
        .collect();
    names.sort();
    names.dedup();
    let choices = names
        .iter()
        .filter(|n| n.to_lowercase().contains(&p))
        .take(limits::CHOICES)
        .map(|n| choice(n, n))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

async fn autocomplete_zone(_ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let choices = matching_zones(partial, limits::CHOICES)
        .iter()
        .map(|z| choice(z, z))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// How long core work may run before the reply is deferred (Discord drops an
/// interaction not answered within 3 seconds).
const DEFER_AFTER: std::time::Duration = std::time::Duration::from_millis(1500);

/// Run core work on the blocking pool, so a burst of requests never stalls
/// the gateway or the HTTP client; defer the reply when it runs long.
async fn off_thread<T: Send + 'static>(
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
async fn defer(ctx: Context<'_>, ephemeral: bool) -> Result<(), Error> {
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
pub(super) async fn send<'a>(
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
pub(super) async fn say_error(ctx: Context<'_>, text: &str) -> Result<(), Error> {
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
    let registered = match (data.config.discord.register, data.config.discord.guild_id) {
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
pub(super) async fn is_organiser(ctx: Context<'_>) -> Result<bool, Error> {
    let perms = match ctx {
        poise::Context::Application(a) => a.interaction.member.as_ref().and_then(|m| m.permissions),
        poise::Context::Prefix(_) => None,
    };
    Ok(perms.is_some_and(|p| p.manage_guild() || p.administrator()))
}

/// Find quotes from the library on a topic.
#[poise::command(slash_command, guild_only = false)]
pub async fn quote(
    ctx: Context<'_>,
    #[description = "What the quote should be about, in plain words"]
    #[max_length = 300]
    topic: String,
    #[description = "Only this essay"]
    #[autocomplete = "autocomplete_essay"]
    essay: Option<String>,
    #[description = "Only this speaker (interviews)"]
    #[autocomplete = "autocomplete_speaker"]
    speaker: Option<String>,
    #[description = "How many quotes (1-5)"]
    #[min = 1]
    #[max = 5]
    count: Option<u8>,
    #[description = "The whole library, not only the circle's current reading"]
    whole_library: Option<bool>,
) -> Result<(), Error> {
    let data = ctx.data();
    let mut req = quote::QuoteRequest {
        topic: topic.clone(),
        essay: essay.clone(),
        speaker: speaker.clone(),
        limit: count.unwrap_or(1).clamp(1, 5) as usize,
        exclude: Vec::new(),
        style: data.style(),
    };
    let member_circle = circle_of_ctx(ctx);
    // While the circle is reading something, quotes come from it.
    let focus = ReadingFocus::of(ctx, essay.is_some(), whole_library);
    let (lib, today) = (data.library.clone(), data.today());
    let (quotes, snap, req) = off_thread(ctx, move || {
        let snap = lib.view(member_circle.as_deref());
        if let Some(entry) = &focus.entry()? {
            if let Ok(rec) = snap.essay(&entry.essay) {
                crate::plan::narrow_quotes(&mut req, entry, rec.paragraphs);
            }
        }
        Ok((quote::find_quotes(&snap, &req, today)?, snap, req))
    })
    .await?;
    if quotes.is_empty() {
        return say_error(ctx, "No passage in the library matches that topic. Try other words, or `/essays` to see what is in the library.").await;
    }
    let mut reply = CreateReply::default().allowed_mentions(render::no_mentions());
    let mut total = 0;
    for q in &quotes {
        let rec = snap.essay(&q.essay_id)?;
        let e = quote_embed(q, rec);
        total += q.text.len() + q.citation.len() + q.title.len() + 60;
        if total > limits::EMBEDS_TOTAL {
            break;
        }
        reply = reply.embed(e);
    }
    let first = &quotes[0];
    let shown = quotes.len();
    reply = reply.components(buttons::quote_buttons(
        shown,
        req.essay.as_deref(),
        req.speaker.as_deref(),
        &topic,
        &first.essay_id,
        first.paragraph,
    ));
    send(ctx, reply).await?;
    Ok(())
}

/// Find where a quote comes from, even misquoted.
#[poise::command(slash_command)]
pub async fn cite(
    ctx: Context<'_>,
    #[description = "The quote as you have it"]
    #[max_length = 2000]
    text: String,
    #[description = "Citation style"] style: Option<StyleChoice>,
) -> Result<(), Error> {
    let data = ctx.data();
    let style = style.map(Style::from).unwrap_or(data.style());
    let (lib, today) = (data.library.clone(), data.today());
    let member_circle = circle_of_ctx(ctx);
    let r = off_thread(ctx, move || {
        cite::find_source(&lib.view(member_circle.as_deref()), &text, style, today)
    })
    .await?;
    send(
        ctx,
        CreateReply::default()
            .embed(cite_embed(&r))
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}

/// A discussion prompt now, with a thread for answers.
#[poise::command(slash_command, guild_only)]
pub async fn prompt(
    ctx: Context<'_>,
    #[description = "Only from this essay"]
    #[autocomplete = "autocomplete_essay"]
    essay: Option<String>,
    #[description = "Kind of question"] kind: Option<KindChoice>,
    #[description = "The whole library, not only the circle's current reading"]
    whole_library: Option<bool>,
) -> Result<(), Error> {
    let data = ctx.data();
    let circle = ctx.guild_id().map(|g| circle_of(g.get()));
    let member_circle = circle_of_ctx(ctx);
    let focus = ReadingFocus::of(ctx, essay.is_some(), whole_library);
    let (lib, engine, state, style, today) = (
        data.library.clone(),
        data.engine.clone(),
        data.state.clone(),
        data.style(),
        data.today(),
    );
    let picked = off_thread(ctx, move || {
        let snap = lib.view(member_circle.as_deref());
        let focus = focus.entry()?;
        let essay_id = essay
            .as_deref()
            .map(|e| snap.resolve_essay(e))
            .transpose()?
            .map(|i| snap.essays()[i].meta.id.clone())
            .or_else(|| focus.as_ref().map(|f| f.essay.clone()));
        let mut pool = engine.pool(
            &snap,
            essay_id.as_deref(),
            Some(&state),
            circle.as_deref(),
            style,
            today,
        )?;
        if let Some(entry) = &focus {
            crate::plan::narrow_prompts(&mut pool, entry);
        }
        pick(
            &pool,
            kind.map(PromptKind::from),
            circle.as_deref(),
            Some(&state),
            None,
        )
    })
    .await?;
    let mut reply = CreateReply::default()
        .embed(prompt_embed(&picked.prompt))
        .allowed_mentions(render::no_mentions());
    if picked.started_over {
        reply =
            reply.content("Your circle has seen every prompt in this pool, so they start over.");
    }
    let message = match send(ctx, reply).await? {
        Some(handle) => handle.message().await?.into_owned(),
        None => match ctx {
            poise::Context::Application(a) => a.interaction.get_response(ctx.http()).await?,
            poise::Context::Prefix(p) => p.msg.clone(),
        },
    };
    let thread = CreateThread::new(thread_name(&picked.prompt.question))
        .auto_archive_duration(AutoArchiveDuration::OneDay);
    if let Err(e) = ctx
        .channel_id()
        .create_thread_from_message(ctx.http(), message.id, thread)
        .await
    {
        tracing::warn!(error = %e, "could not open a thread for the prompt");
    }
    Ok(())
}

/// The essays in the library.
#[poise::command(slash_command)]
pub async fn essays(
    ctx: Context<'_>,
    #[description = "Page"]
    #[min = 1]
    page: Option<u32>,
) -> Result<(), Error> {
    let snap = view(ctx);
    let (embed, row) = buttons::essays_page(&snap, page.unwrap_or(1).saturating_sub(1) as usize);
    send(
        ctx,
        CreateReply::default()
            .embed(embed)
            .components(vec![row])
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}

/// About one essay.
#[poise::command(slash_command)]
pub async fn essay(
    ctx: Context<'_>,
    #[description = "The essay"]
    #[autocomplete = "autocomplete_essay"]
    essay: String,
) -> Result<(), Error> {
    let snap = view(ctx);
    let rec = &snap.essays()[snap.resolve_essay(&essay)?];
    let m = &rec.meta;
    let mut e = CreateEmbed::new().title(trim(&inert(&m.title), limits::TITLE));
    if let Some(s) = &m.subtitle {
        e = e.description(trim(&inert(s), limits::DESCRIPTION));
    }
    let authors = if rec.is_interview() {
        rec.speakers
            .iter()
            .map(|s| {
                format!(
                    "{} ({})",
                    s.name,
                    if s.role == crate::model::SpeakerRole::Interviewer {
                        "interviewer"
                    } else {
                        "interviewee"
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    } else if m.authors.is_empty() {
        "Unknown".into()
    } else {
        m.authors.join(", ")
    };
    e = e
        .field(
            if rec.is_interview() {
                "Speakers"
            } else {
                "Authors"
            },
            trim(&inert(&authors), limits::FIELD_VALUE),
            false,
        )
        .field(
            "Published",
            m.date.map(|d| d.iso()).unwrap_or_else(|| "Unknown".into()),
            true,
        )
        .field("Paragraphs", rec.paragraphs.to_string(), true)
        .field("Id", format!("`{}`", m.id), true);
    if let Some(p) = &m.publication {
        e = e.field("Publication", trim(&inert(p), limits::FIELD_VALUE), true);
    }
    if let Some(u) = m.url.as_deref().filter(|u| u.starts_with("http")) {
        e = e.url(u);
    }
    send(
        ctx,
        CreateReply::default()
            .embed(e)
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}

/// Daily discussion prompts for this server.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("schedule_set", "schedule_show", "schedule_off", "schedule_preview"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD",
    check = "is_organiser"
)]
pub async fn schedule(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post a prompt at a local time: daily, on weekdays, or every N days.
#[poise::command(slash_command, guild_only, rename = "set", check = "is_organiser")]
// Each option is one Discord command option: poise maps them one to one.
#[allow(clippy::too_many_arguments)]
pub async fn schedule_set(
    ctx: Context<'_>,
    #[description = "Channel for the daily prompt"]
    #[channel_types("Text")]
    channel: Channel,
    #[description = "Local time, 24-hour HH:MM"] time: String,
    #[description = "Time zone, e.g. Europe/London"]
    #[autocomplete = "autocomplete_zone"]
    timezone: String,
    #[description = "Only prompts from the circle's current essay"]
    #[autocomplete = "autocomplete_essay"]
    essay: Option<String>,
    #[description = "Role to ping with each daily prompt"] role: Option<Role>,
    #[description = "Only on these weekdays, e.g. mon,thu (default: every day)"]
    #[max_length = 60]
    weekdays: Option<String>,
    #[description = "Every N days instead, counted from today (2-365)"]
    #[min = 1]
    #[max = 365]
    every_days: Option<u16>,
) -> Result<(), Error> {
    let data = ctx.data();
    let guild_id = ctx
        .guild_id()
        .ok_or_else(|| crate::Error::InvalidInput("use this in a server".into()))?;
    let t = parse_time(&time)?;
    let tz = parse_zone(&timezone)?;
    let cadence = crate::schedule::cadence_from_options(
        weekdays.as_deref(),
        every_days,
        data.clock.now().to_zoned(tz.clone()).date(),
    )?;
    let snap = view(ctx);
    let essay_id = essay
        .as_deref()
        .map(|e| snap.resolve_essay(e))
        .transpose()?
        .map(|i| snap.essays()[i].meta.id.clone());
    let s = Schedule {
        guild_id: guild_id.get(),
        channel_id: channel.id().get(),
        local_time: format!("{:02}:{:02}", t.hour(), t.minute()),
        time_zone: tz.iana_name().unwrap_or(&timezone).to_string(),
        essay: essay_id,
        role_id: role.map(|r| r.id.get()),
        enabled: true,
        cadence,
    };
    data.state.set_schedule(&s)?;
    let next = next_slot(data.clock.now(), t, &tz, &s.cadence)?;
    send(
        ctx,
        CreateReply::default()
            .content(describe(&s, next))
            .ephemeral(true)
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}

fn describe(s: &Schedule, next: jiff::Timestamp) -> String {
    format!(
        "Daily prompt: {} at {} ({}) in <#{}>{}{}. Next post: <t:{}:F>.",
        s.cadence.describe(),
        s.local_time,
        s.time_zone,
        s.channel_id,
        s.essay
            .as_deref()
            .map(|e| format!(", from `{e}`"))
            .unwrap_or_default(),
        s.role_id
            .map(|r| format!(", pinging <@&{r}>"))
            .unwrap_or_default(),
        next.as_second()
    )
}

/// Show this server's schedule.
#[poise::command(slash_command, guild_only, rename = "show", check = "is_organiser")]
pub async fn schedule_show(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let guild_id = ctx.guild_id().map(|g| g.get()).unwrap_or(0);
    let text = match data.state.schedule(guild_id)? {
        Some(s) if s.enabled => {
            let next = next_slot(
                data.clock.now(),
                parse_time(&s.local_time)?,
                &parse_zone(&s.time_zone)?,
                &s.cadence,
            )?;
            describe(&s, next)
        }
        Some(_) => "The daily prompt is off. `/schedule set` turns it on again.".into(),
        None => "No daily prompt is scheduled. Use `/schedule set` to choose a channel and a time."
            .into(),
    };
    send(
        ctx,
        CreateReply::default()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}

/// Stop the daily prompt (settings are kept).
#[poise::command(slash_command, guild_only, rename = "off", check = "is_organiser")]
pub async fn schedule_off(ctx: Context<'_>) -> Result<(), Error> {
    let guild_id = ctx.guild_id().map(|g| g.get()).unwrap_or(0);
    let text = if ctx.data().state.disable_schedule(guild_id)? {
        "The daily prompt is off."
    } else {
        "No daily prompt was scheduled."
    };
    send(ctx, CreateReply::default().content(text).ephemeral(true)).await?;
    Ok(())
}

/// See what a daily prompt would look like (only you see it; not recorded).
#[poise::command(slash_command, guild_only, rename = "preview", check = "is_organiser")]
pub async fn schedule_preview(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let guild_id = ctx.guild_id().map(|g| g.get()).unwrap_or(0);
    let essay = data.state.schedule(guild_id)?.and_then(|s| s.essay);
    let snap = view(ctx);
    let essay = essay.filter(|e| snap.essay(e).is_ok());
    let history = circle_of(guild_id);
    let pool = data.engine.pool(
        &snap,
        essay.as_deref(),
        Some(&data.state),
        Some(&history),
        data.style(),
        data.today(),
    )?;
    // A preview shows what the circle could get (its bans apply) and
    // records nothing.
    let picked = pick(&pool, None, Some(&history), Some(&data.state), None)?;
    send(
        ctx,
        CreateReply::default()
            .embed(prompt_embed(&picked.prompt))
            .ephemeral(true)
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}

/// Add or remove essays.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("library_add", "library_remove"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD",
    check = "is_organiser"
)]
pub async fn library(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Add an essay (.txt or .md) to the library.
#[poise::command(slash_command, guild_only, rename = "add", check = "is_organiser")]
pub async fn library_add(
    ctx: Context<'_>,
    #[description = "A .txt or .md file"] file: Attachment,
    #[description = "Title (if the text does not say)"] title: Option<String>,
    #[description = "Author (if the text does not say)"] author: Option<String>,
    #[description = "Date, YYYY-MM-DD"] date: Option<String>,
    #[description = "Source URL"] url: Option<String>,
) -> Result<(), Error> {
    defer(ctx, true).await?;
    let data = ctx.data();
    let max = data.config.discord.max_upload_bytes;
    let lower = file.filename.to_lowercase();
    if !(lower.ends_with(".txt") || lower.ends_with(".md")) {
        return say_error(ctx, "Attach a .txt or .md file.").await;
    }
    if u64::from(file.size) > max {
        return say_error(
            ctx,
            &format!(
                "That file is {} KB; the limit is {} KB.",
                file.size / 1024,
                max / 1024
            ),
        )
        .await;
    }
    if let Some(d) = date.as_deref() {
        if ingest::dates::parse_date(d).is_none() {
            return say_error(
                ctx,
                "The date must look like 2024-03-12 (or 2024-03, or 2024).",
            )
            .await;
        }
    }
    if let Some(u) = url.as_deref() {
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            return say_error(ctx, "The URL must start with https:// or http://").await;
        }
    }
    let bytes = match super::attachment::download(&file.url, max).await {
        Ok(b) => b,
        Err(e) => return say_error(ctx, &e.to_string()).await,
    };
    let Some(circle) = circle_of_ctx(ctx) else {
        return say_error(
            ctx,
            "Essays are added to a server's circle: run this in your server.",
        )
        .await;
    };
    let added = crate::library::add_essay(
        &data.library,
        &circle,
        &data.config.circles,
        &file.filename,
        &bytes,
        ingest::catalog::CatalogEntry {
            file: String::new(),
            id: None,
            title,
            authors: author.into_iter().collect(),
            date,
            url,
            publication: None,
            circle: None,
        },
    );
    let rec = match added {
        Ok(r) => r,
        Err(e) if e.is_user_error() => {
            return say_error(ctx, &render::error_text(&e.to_string())).await
        }
        Err(e) => return Err(e.into()),
    };
    send(
        ctx,
        CreateReply::default()
            .content(trim(
                &format!(
                    "Added “{}” as `{}` ({}). It is searchable now.",
                    inert(&rec.meta.title),
                    rec.meta.id,
                    crate::text::count(u64::from(rec.paragraphs), "paragraph", "paragraphs")
                ),
                limits::CONTENT,
            ))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Remove an essay that was added with /library add.
#[poise::command(slash_command, guild_only, rename = "remove", check = "is_organiser")]
pub async fn library_remove(
    ctx: Context<'_>,
    #[description = "The essay"]
    #[autocomplete = "autocomplete_essay"]
    essay: String,
) -> Result<(), Error> {
    defer(ctx, true).await?;
    let data = ctx.data();
    let circle = circle_of_ctx(ctx);
    match crate::library::remove_added_essay(&data.library, circle.as_deref(), &essay) {
        Ok(title) => {
            send(
                ctx,
                CreateReply::default()
                    .content(trim(
                        &format!("Removed “{}”.", inert(&title)),
                        limits::CONTENT,
                    ))
                    .ephemeral(true),
            )
            .await?;
        }
        Err(e) if e.is_user_error() => say_error(ctx, &render::error_text(&e.to_string())).await?,
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// How to use commonplace.
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    let text = "**commonplace** finds quotes, checks citations and starts discussions from your circle’s library.\n\
        `/quote topic` — verbatim quotes with who said them, where (¶ paragraph) and a citation.\n\
        `/cite text` — where a quote comes from, even misquoted; it says so when it cannot verify it.\n\
        `/prompt` — a discussion question anchored to a passage, with a thread for answers.\n\
        `/essays`, `/essay` — what is in the library.\n\
        Organisers (Manage Server): `/schedule set|show|off|preview` for a daily prompt at your local time, \
        `/library add|remove` to change the readings.";
    send(ctx, CreateReply::default().content(text).ephemeral(true)).await?;
    Ok(())
}
