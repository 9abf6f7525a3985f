//! `/essays`, `/essay` and the organisers' `/library add|remove`: the
//! circle's library.

use super::autocomplete;
use super::buttons;
use super::interaction::{answer, circle_of_ctx, defer, is_organiser, say_error, send};
use super::render::{self, essay_embed, inert};
use super::{Context, Error};
use crate::app::Upload;
use poise::CreateReply;
use serenity::all::Attachment;

/// The essays in the library.
#[poise::command(slash_command)]
pub async fn essays(
    ctx: Context<'_>,
    #[description = "Page"]
    #[min = 1]
    page: Option<u32>,
) -> Result<(), Error> {
    let snap = ctx.data().app.essays(circle_of_ctx(ctx).as_deref());
    let (embed, row) =
        buttons::essays_page(snap.essays(), page.unwrap_or(1).saturating_sub(1) as usize);
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
    #[autocomplete = "autocomplete::essay"]
    essay: String,
) -> Result<(), Error> {
    let rec = ctx
        .data()
        .app
        .essay(circle_of_ctx(ctx).as_deref(), &essay)?;
    send(
        ctx,
        CreateReply::default()
            .embed(essay_embed(&rec))
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
    let app = ctx.data().app.clone();
    // Refused before anything is downloaded.
    if let Err(e) = app.check_upload(&file.filename, u64::from(file.size)) {
        return answer(ctx, Err(e)).await;
    }
    let max = app.config().discord.max_upload_bytes;
    let bytes = match super::attachment::download(&file.url, max).await {
        Ok(b) => b,
        Err(e) => return say_error(ctx, &e.to_string()).await,
    };
    let upload = Upload {
        filename: file.filename.clone(),
        bytes,
        title,
        author,
        date,
        url,
    };
    let circle = circle_of_ctx(ctx);
    let added =
        super::interaction::off_thread(ctx, move || Ok(app.add_essay(circle.as_deref(), upload)))
            .await?;
    answer(
        ctx,
        added.map(|rec| {
            format!(
                "Added “{}” as `{}` ({}). It is searchable now, in this server only.",
                inert(&rec.meta.title),
                rec.meta.id,
                crate::text::count(u64::from(rec.paragraphs), "paragraph", "paragraphs")
            )
        }),
    )
    .await
}

/// Remove an essay that was added with /library add.
#[poise::command(slash_command, guild_only, rename = "remove", check = "is_organiser")]
pub async fn library_remove(
    ctx: Context<'_>,
    #[description = "The essay"]
    #[autocomplete = "autocomplete::essay"]
    essay: String,
) -> Result<(), Error> {
    defer(ctx, true).await?;
    let app = ctx.data().app.clone();
    let circle = circle_of_ctx(ctx);
    let removed =
        super::interaction::off_thread(
            ctx,
            move || Ok(app.remove_essay(circle.as_deref(), &essay)),
        )
        .await?;
    answer(
        ctx,
        removed.map(|title| format!("Removed “{}”.", inert(&title))),
    )
    .await
}
