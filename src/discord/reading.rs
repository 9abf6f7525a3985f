//! `/reading add|show|remove|clear`: the circle's reading plan. Thin: it
//! parses, calls the core, and renders.

use super::autocomplete;
use super::interaction::{answer, circle_of_ctx, is_organiser};
use super::render::inert;
use super::{Context, Error};
use crate::app::ReadingRequest;

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

/// Add a reading: an essay, its days and optionally its paragraphs.
#[poise::command(slash_command, guild_only, rename = "add", check = "is_organiser")]
pub async fn reading_add(
    ctx: Context<'_>,
    #[description = "The essay"]
    #[autocomplete = "autocomplete::essay"]
    essay: String,
    #[description = "First day, YYYY-MM-DD (default: today)"] starts: Option<String>,
    #[description = "Last day, YYYY-MM-DD (default: open-ended)"] ends: Option<String>,
    #[description = "Paragraphs, e.g. 3-10 (default: all)"] paragraphs: Option<String>,
) -> Result<(), Error> {
    let request = ReadingRequest {
        essay,
        starts,
        ends,
        paragraphs,
    };
    let added = ctx
        .data()
        .app
        .reading_add(circle_of_ctx(ctx).as_deref(), &request)
        .map(|(e, title)| {
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
    answer(ctx, added).await
}

/// Show the plan, the current reading marked.
#[poise::command(slash_command, guild_only, rename = "show", check = "is_organiser")]
pub async fn reading_show(ctx: Context<'_>) -> Result<(), Error> {
    let plan = ctx.data().app.reading_plan(circle_of_ctx(ctx).as_deref());
    let text = plan.map(|plan| {
        if plan.entries.is_empty() {
            "The reading plan is empty: /quote and /prompt use the whole library. Add a reading with /reading add.".to_string()
        } else {
            plan.lines()
                .iter()
                .map(|l| inert(l))
                .collect::<Vec<_>>()
                .join("\n")
        }
    });
    answer(ctx, text).await
}

/// Remove one reading by its number (#, as /reading show lists them).
#[poise::command(slash_command, guild_only, rename = "remove", check = "is_organiser")]
pub async fn reading_remove(
    ctx: Context<'_>,
    #[description = "The reading's number, from /reading show"] number: i64,
) -> Result<(), Error> {
    let removed = ctx
        .data()
        .app
        .reading_remove(circle_of_ctx(ctx).as_deref(), number)
        .map(|()| format!("Removed reading #{number}."));
    answer(ctx, removed).await
}

/// Empty the plan.
#[poise::command(slash_command, guild_only, rename = "clear", check = "is_organiser")]
pub async fn reading_clear(ctx: Context<'_>) -> Result<(), Error> {
    let cleared = ctx
        .data()
        .app
        .reading_clear(circle_of_ctx(ctx).as_deref())
        .map(|n| {
            format!(
                "Cleared the reading plan ({} removed).",
                crate::text::count(n as u64, "reading", "readings")
            )
        });
    answer(ctx, cleared).await
}
