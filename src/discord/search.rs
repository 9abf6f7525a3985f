//! `/quote` and `/cite`: parse, call the core, render.

use super::autocomplete;
use super::buttons;
use super::interaction::{circle_of_ctx, off_thread, say_error, send};
use super::render::{self, cite_embed, limits, quote_embed};
use super::{Context, Error};
use crate::app::QuoteQuery;
use crate::citation::Style;
use poise::CreateReply;

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

/// Find quotes from the library on a topic.
#[poise::command(slash_command, guild_only = false)]
pub async fn quote(
    ctx: Context<'_>,
    #[description = "What the quote should be about, in plain words"]
    #[max_length = 300]
    topic: String,
    #[description = "Only this essay"]
    #[autocomplete = "autocomplete::essay"]
    essay: Option<String>,
    #[description = "Only this speaker (interviews)"]
    #[autocomplete = "autocomplete::speaker"]
    speaker: Option<String>,
    #[description = "How many quotes (1-5)"]
    #[min = 1]
    #[max = 5]
    count: Option<u8>,
    #[description = "The whole library, not only the circle's current reading"]
    whole_library: Option<bool>,
) -> Result<(), Error> {
    let query = QuoteQuery {
        topic: topic.clone(),
        essay,
        speaker,
        limit: usize::from(count.unwrap_or(1).clamp(1, 5)),
        whole_library: whole_library.unwrap_or(false),
        exclude: Vec::new(),
        style: None,
    };
    let (app, circle) = (ctx.data().app.clone(), circle_of_ctx(ctx));
    let answer = off_thread(ctx, move || app.quote(circle.as_deref(), &query)).await?;
    let Some(first) = answer.quotes.first() else {
        return say_error(ctx, "No passage in the library matches that topic. Try other words, or `/essays` to see what is in the library.").await;
    };
    let mut reply = CreateReply::default().allowed_mentions(render::no_mentions());
    let mut total = 0;
    for q in &answer.quotes {
        total += q.text.len() + q.citation.len() + q.title.len() + 60;
        if total > limits::EMBEDS_TOTAL {
            break;
        }
        reply = reply.embed(quote_embed(q));
    }
    reply = reply.components(buttons::quote_buttons(
        buttons::shown_tags(&answer.quotes),
        answer.essay.as_deref(),
        answer.speaker.as_deref(),
        &topic,
        first,
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
    let (app, circle) = (ctx.data().app.clone(), circle_of_ctx(ctx));
    let answer = off_thread(ctx, move || {
        app.cite(circle.as_deref(), &text, style.map(Style::from))
    })
    .await?;
    send(
        ctx,
        CreateReply::default()
            .embed(cite_embed(&answer))
            .allowed_mentions(render::no_mentions()),
    )
    .await?;
    Ok(())
}
