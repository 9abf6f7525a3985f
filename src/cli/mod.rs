//! The command-line adapter: arguments in ([`args`]), one call into the
//! core per command ([`commands`]), JSON or plain text out ([`output`]).

mod args;
mod commands;
mod output;

pub use args::{Cli, Command, ReadingAction, ScheduleAction};
pub use commands::run;

use crate::config::Config;
use crate::library::{Library, LibraryOptions};
use anyhow::{Context, Result};
use serde_json::json;
use std::path::PathBuf;

/// Open (or build) the library the config names.
pub fn open_library(config: &Config, force: bool) -> Result<Library> {
    let options = LibraryOptions {
        roots: library_roots(config),
        data_dir: config.data_dir.clone(),
    };
    let (lib, report) = if force {
        Library::rebuild(options)
    } else {
        Library::open(options)
    }
    .with_context(|| format!("opening the library at {}", config.library.display()))?;
    for s in &report.skipped {
        tracing::warn!(file = %s.path, reason = %s.reason, "library file skipped");
    }
    for w in &report.warnings {
        tracing::warn!(file = %w.path, reason = %w.reason, "library file read with fallback");
    }
    tracing::info!(action = %report.action, files = report.parsed_files, "index ready");
    if crate::search::semantic::enable(&config.search, &config.data_dir, &lib.snapshot())? {
        tracing::info!(model = %config.search.model_dir.display(), "semantic search on");
    }
    Ok(lib)
}

/// The library folders: the configured one, and essays added through the bot.
pub fn library_roots(config: &Config) -> Vec<PathBuf> {
    let mut roots = vec![config.library.clone()];
    let added = Library::added_dir(&config.data_dir);
    if added.is_dir() {
        roots.push(added);
    }
    roots
}

/// Load the config with command-line overrides applied.
pub fn load_config(cli: &Cli) -> Result<Config> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(l) = &cli.library {
        config.library = l.clone();
    }
    if let Some(d) = &cli.data_dir {
        config.data_dir = d.clone();
    }
    Ok(config)
}

/// The JSON value printed on stdout for a failed command with `--json`:
/// `{"error": {"kind": …, "message": …}}`, where `kind` tells what the
/// caller asked wrong (`not_found`, `invalid_input`) from what is broken.
pub fn error_json(e: &anyhow::Error) -> serde_json::Value {
    use crate::error::Error;
    let kind = match e.downcast_ref::<Error>() {
        Some(Error::EssayNotFound(_) | Error::SpeakerNotFound(_)) => "not_found",
        Some(Error::InvalidInput(_) | Error::Schedule(_)) => "invalid_input",
        Some(Error::Library { .. } | Error::Config(_)) => "config",
        Some(Error::DiskFull { .. }) => "disk_full",
        Some(_) => "broken",
        None => "error",
    };
    json!({"error": {"kind": kind, "message": format!("{e:#}")}})
}
