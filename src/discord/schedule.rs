//! `/schedule set|show|off|preview`: the circle's daily prompt.

use super::autocomplete;
use super::interaction::{answer, circle_of_ctx, is_organiser, off_thread, send};
use super::render::{self, prompt_embed, schedule_text};
use super::{Context, Error};
use crate::app::ScheduleRequest;
use poise::CreateReply;
use serenity::all::{Channel, Role};

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
    #[autocomplete = "autocomplete::zone"]
    timezone: String,
    #[description = "Only prompts from the circle's current essay"]
    #[autocomplete = "autocomplete::essay"]
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
    let request = ScheduleRequest {
        channel_id: channel.id().get(),
        time,
        zone: timezone,
        essay,
        role_id: role.map(|r| r.id.get()),
        weekdays,
        every_days,
    };
    let status = ctx
        .data()
        .app
        .schedule_set(circle_of_ctx(ctx).as_deref(), &request);
    answer(ctx, status.map(|s| schedule_text(&s))).await
}

/// Show this server's schedule.
#[poise::command(slash_command, guild_only, rename = "show", check = "is_organiser")]
pub async fn schedule_show(ctx: Context<'_>) -> Result<(), Error> {
    let status = ctx
        .data()
        .app
        .schedule_status(circle_of_ctx(ctx).as_deref());
    answer(ctx, status.map(|s| schedule_text(&s))).await
}

/// Stop the daily prompt (settings are kept).
#[poise::command(slash_command, guild_only, rename = "off", check = "is_organiser")]
pub async fn schedule_off(ctx: Context<'_>) -> Result<(), Error> {
    let was = ctx.data().app.schedule_off(circle_of_ctx(ctx).as_deref());
    answer(
        ctx,
        was.map(|was| {
            if was {
                "The daily prompt is off.".to_string()
            } else {
                "No daily prompt was scheduled.".to_string()
            }
        }),
    )
    .await
}

/// See what a daily prompt would look like (only you see it; not recorded).
#[poise::command(slash_command, guild_only, rename = "preview", check = "is_organiser")]
pub async fn schedule_preview(ctx: Context<'_>) -> Result<(), Error> {
    let circle = circle_of_ctx(ctx).unwrap_or_default();
    let app = ctx.data().app.clone();
    // Building a pool is CPU work: off the async threads.
    let picked = off_thread(ctx, move || app.preview_daily(&circle)).await?;
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
