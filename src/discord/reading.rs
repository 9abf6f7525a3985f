//! `/reading add|show|remove|clear`: the circle's reading plan. Thin: it
//! parses, calls [`crate::plan`], and renders.

use super::commands::{autocomplete_essay, circle_of_ctx, is_organiser, say_error, send, view};
use super::render::{inert, limits, trim};
use super::{Context, Error};
use crate::plan;
use poise::CreateReply;

/// The reading plan: what the circle reads, and when.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("reading_add", "reading_show", "reading_remove", "reading_clear"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD",
    check = "is_organiser"
)]
pub async fn reading(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// A private answer, or the core's refusal in plain words.
async fn answer(ctx: Context<'_>, result: crate::Result<String>) -> Result<(), Error> {
    match result {
        Ok(text) => {
            send(
                ctx,
                CreateReply::default()
                    .content(trim(&text, limits::CONTENT))
                    .ephemeral(true)
                    .allowed_mentions(super::render::no_mentions()),
            )
            .await?;
            Ok(())
        }
        Err(e) if e.is_user_error() => {
            say_error(ctx, &super::render::error_text(&e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

fn circle(ctx: Context<'_>) -> String {
    // guild_only: Discord never delivers these outside a server.
    circle_of_ctx(ctx).unwrap_or_default()
}

/// Add a reading: an essay, its days and optionally its paragraphs.
#[poise::command(slash_command, guild_only, rename = "add", check = "is_organiser")]
pub async fn reading_add(
    ctx: Context<'_>,
    #[description = "The essay"]
    #[autocomplete = "autocomplete_essay"]
    essay: String,
    #[description = "First day, YYYY-MM-DD (default: today)"] starts: Option<String>,
    #[description = "Last day, YYYY-MM-DD (default: open-ended)"] ends: Option<String>,
    #[description = "Paragraphs, e.g. 3-10 (default: all)"] paragraphs: Option<String>,
) -> Result<(), Error> {
    let data = ctx.data();
    let snap = view(ctx);
    let result = plan::add_entry(
        &data.state,
        &snap,
        &circle(ctx),
        &essay,
        starts.as_deref(),
        ends.as_deref(),
        paragraphs.as_deref(),
        data.clock.now(),
    )
    .map(|e| {
        let title = snap
            .essay(&e.essay)
            .map(|r| r.meta.title.clone())
            .unwrap_or_default();
        format!(
            "Added to the reading plan as #{}: “{}”{} from {}{}.",
            e.id,
            inert(&title),
            if e.paragraphs.is_some() {
                format!(", {}", e.range_label())
            } else {
                String::new()
            },
            e.starts,
            e.ends.map(|d| format!(" to {d}")).unwrap_or_default()
        )
    });
    answer(ctx, result).await
}

/// Show the plan, the current reading marked.
#[poise::command(slash_command, guild_only, rename = "show", check = "is_organiser")]
pub async fn reading_show(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let snap = view(ctx);
    let c = circle(ctx);
    let result = (|| {
        let entries = data.state.reading_plan(&crate::daily::history_key(&c))?;
        let today = plan::circle_today(&data.state, &c, data.clock.now())?;
        if entries.is_empty() {
            return Ok("The reading plan is empty: /quote and /prompt use the whole library. Add a reading with /reading add.".to_string());
        }
        let lines = plan::describe(&entries, today, |id| {
            snap.essay(id).ok().map(|r| r.meta.title.clone())
        });
        Ok(lines
            .iter()
            .map(|l| inert(l))
            .collect::<Vec<_>>()
            .join("\n"))
    })();
    answer(ctx, result).await
}

/// Remove one reading by its number (#, as /reading show lists them).
#[poise::command(slash_command, guild_only, rename = "remove", check = "is_organiser")]
pub async fn reading_remove(
    ctx: Context<'_>,
    #[description = "The reading's number, from /reading show"] number: i64,
) -> Result<(), Error> {
    let data = ctx.data();
    let c = circle(ctx);
    let result = data
        .state
        .remove_reading(&crate::daily::history_key(&c), number)
        .and_then(|removed| {
            if removed {
                Ok(format!("Removed reading #{number}."))
            } else {
                Err(crate::Error::InvalidInput(format!(
                    "the reading plan has no #{number}; /reading show lists them"
                )))
            }
        });
    answer(ctx, result).await
}

/// Empty the plan.
#[poise::command(slash_command, guild_only, rename = "clear", check = "is_organiser")]
pub async fn reading_clear(ctx: Context<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let c = circle(ctx);
    let result = data
        .state
        .clear_reading_plan(&crate::daily::history_key(&c))
        .map(|n| {
            format!(
                "Cleared the reading plan ({} removed).",
                crate::text::count(n as u64, "reading", "readings")
            )
        });
    answer(ctx, result).await
}
