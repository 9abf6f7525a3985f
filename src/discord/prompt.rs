//! `/prompt now|suggest|queue`: a discussion question now (with a thread
//! for answers), a member's suggestion, and the organisers' queue.

use super::autocomplete;
use super::buttons;
use super::interaction::{answer, circle_of_ctx, is_organiser, off_thread, send};
use super::render::{self, inert, prompt_embed, suggestion_embed, thread_name};
use super::reply::{deliver, Delivered, Failure, ReplyKind};
use super::{Context, Error};
use crate::app::{Member, PromptQuery, PromptWanted};
use crate::prompts::PromptKind;
use poise::CreateReply;
use serenity::all::{AutoArchiveDuration, CreateThread};

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

/// Discussion prompts: one now, suggest your own, review suggestions.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("prompt_now", "prompt_suggest", "prompt_queue"),
    subcommand_required
)]
pub async fn prompt(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// A discussion prompt now, with a thread for answers.
#[poise::command(slash_command, guild_only, rename = "now")]
pub async fn prompt_now(
    ctx: Context<'_>,
    #[description = "Only from this essay"]
    #[autocomplete = "autocomplete::essay"]
    essay: Option<String>,
    #[description = "Kind of question"] kind: Option<KindChoice>,
    #[description = "The whole library, not only the circle's current reading"]
    whole_library: Option<bool>,
) -> Result<(), Error> {
    let query = PromptQuery {
        essay,
        kind: kind.map(PromptKind::from),
        seed: None,
        whole_library: whole_library.unwrap_or(false),
        style: None,
    };
    let (app, circle) = (ctx.data().app.clone(), circle_of_ctx(ctx));
    let picked = off_thread(ctx, move || {
        app.prompt(circle.as_deref(), &query, PromptWanted::ToPost)
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
            // The message to open the thread on, read back under the same
            // retry policy as replies (a 500 here must not lose the thread).
            poise::Context::Application(a) => match deliver(ReplyKind::Followup, || async {
                a.interaction
                    .get_response(ctx.http())
                    .await
                    .map_err(Failure::from)
            })
            .await?
            {
                Delivered::Sent(m) => m,
                Delivered::AlreadyAcknowledged => return Ok(()),
            },
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

/// Suggest a discussion question; the organisers review it.
#[poise::command(slash_command, guild_only, rename = "suggest")]
pub async fn prompt_suggest(
    ctx: Context<'_>,
    #[description = "Your question"]
    #[max_length = 250]
    question: String,
    #[description = "The essay it is about (default: the current reading)"]
    #[autocomplete = "autocomplete::essay"]
    essay: Option<String>,
    #[description = "The paragraph it is about (default: the closest to your question)"]
    #[min = 1]
    paragraph: Option<u32>,
) -> Result<(), Error> {
    let author = ctx.author();
    let member = Member {
        id: author.id.get().to_string(),
        // The name members see in the server, shown as text.
        name: ctx
            .author_member()
            .await
            .and_then(|m| m.nick.clone())
            .or_else(|| author.global_name.clone())
            .unwrap_or_else(|| author.name.clone()),
    };
    let (app, circle) = (ctx.data().app.clone(), circle_of_ctx(ctx));
    let queued = off_thread(ctx, move || {
        Ok(app.suggest_prompt(
            circle.as_deref(),
            &member,
            &question,
            essay.as_deref(),
            paragraph,
        ))
    })
    .await?;
    answer(
        ctx,
        queued.map(|q| {
            format!(
                "Thanks! Your question is #{} in the organisers' queue, about “{}”, ¶{}. If they approve it, it joins the circle's prompts with your name.",
                q.suggestion.id,
                inert(&q.title),
                q.suggestion.paragraph
            )
        }),
    )
    .await
}

/// Review members' suggested questions (only you see the queue).
#[poise::command(slash_command, guild_only, rename = "queue", check = "is_organiser")]
pub async fn prompt_queue(ctx: Context<'_>) -> Result<(), Error> {
    let queue = ctx
        .data()
        .app
        .suggestion_queue(circle_of_ctx(ctx).as_deref())?;
    if queue.is_empty() {
        return answer(ctx, Ok("No suggestions are waiting.".into())).await;
    }
    let shown = queue.len().min(buttons::SUGGESTIONS_SHOWN);
    let mut reply = CreateReply::default()
        .content(if queue.len() > shown {
            format!(
                "{} suggestions are waiting; here are the oldest {shown}.",
                queue.len()
            )
        } else {
            crate::text::count(
                queue.len() as u64,
                "suggestion is waiting.",
                "suggestions are waiting.",
            )
        })
        .ephemeral(true)
        .allowed_mentions(render::no_mentions());
    let mut rows = Vec::new();
    for q in &queue[..shown] {
        reply = reply.embed(suggestion_embed(q));
        rows.push(buttons::suggestion_row(q.suggestion.id));
    }
    send(ctx, reply.components(rows)).await?;
    Ok(())
}
