//! `/prompt`: a discussion question now, with a thread for answers.

use super::autocomplete;
use super::interaction::{circle_of_ctx, off_thread, send};
use super::render::{self, prompt_embed, thread_name};
use super::reply::{deliver, Delivered, Failure, ReplyKind};
use super::{Context, Error};
use crate::app::{PromptQuery, PromptWanted};
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

/// A discussion prompt now, with a thread for answers.
#[poise::command(slash_command, guild_only)]
pub async fn prompt(
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
