//! The bot's commands: one module per command group, registered here.

use super::interaction::send;
use super::{Context, Data, Error};
use poise::CreateReply;

/// Every command the bot registers.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        super::search::quote(),
        super::search::cite(),
        super::prompt::prompt(),
        super::library::essays(),
        super::library::essay(),
        super::schedule::schedule(),
        super::library::library(),
        super::reading::reading(),
        help(),
    ]
}

/// How to use commonplace.
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    let text = "**commonplace** finds quotes, checks citations and starts discussions from your circle’s library.\n\
        `/quote topic` — verbatim quotes with who said them, where (¶ paragraph) and a citation.\n\
        `/cite text` — where a quote comes from, even misquoted; it says so when it cannot verify it.\n\
        `/prompt now` — a discussion question anchored to a passage, with a thread for answers; `/prompt suggest` — suggest your own question for the organisers to review.\n\
        `/essays`, `/essay` — what is in the library.\n\
        Organisers (Manage Server): `/prompt queue` to approve or reject suggestions, `/schedule set|show|off|preview` for a daily prompt at your local time, \
        `/library add|remove` for your circle's own essays (only your server sees them), `/reading add|show|remove|clear` for what the circle reads when.";
    send(ctx, CreateReply::default().content(text).ephemeral(true)).await?;
    Ok(())
}
