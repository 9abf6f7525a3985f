//! Configuration: `config/commonplace.toml`, then environment variables.
//! The Discord token is never read from the config file: only from
//! `DISCORD_TOKEN` or a secrets file.

use crate::citation::Style;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Library folder, indexed at start (relative paths in a config file are
    /// relative to that file's folder; elsewhere to the working directory).
    pub library: PathBuf,
    /// Data directory: index, state database, essays added through the bot.
    pub data_dir: PathBuf,
    /// Citation defaults.
    pub citations: CitationConfig,
    /// Discord settings.
    pub discord: DiscordConfig,
    /// What each circle may upload.
    pub circles: CircleLimits,
    /// Semantic search (`[search]`).
    pub search: SearchConfig,
    /// PostgreSQL URL (`postgres://user:pass@host/db`) for the state store,
    /// shared by several processes. Unset: SQLite in the data directory.
    /// `COMMONPLACE_DATABASE_URL` overrides it.
    pub database_url: Option<String>,
}

/// Per-circle quotas, so one server cannot fill the disk.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CircleLimits {
    /// Most essays one circle may have uploaded.
    pub max_essays: usize,
    /// Most bytes of uploaded files one circle may hold.
    pub max_bytes: u64,
}

impl Default for CircleLimits {
    fn default() -> Self {
        CircleLimits {
            max_essays: 100,
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// Where `[search]` points and whether it is on.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Fuse semantic similarity with BM25 (needs the `semantic` feature and
    /// the model, `scripts/fetch-model`).
    pub semantic: bool,
    /// The model folder: `config.json`, `tokenizer.json`,
    /// `model.safetensors`.
    pub model_dir: std::path::PathBuf,
    /// What embeds a text: the model, or the table distilled from it.
    pub embedder: Embedder,
}

/// What turns a text into a vector for semantic search.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Embedder {
    /// all-MiniLM-L6-v2 itself: the better vectors, milliseconds a text.
    #[default]
    Model,
    /// A table of word-piece vectors distilled from the model
    /// (`commonplace distill-model`): microseconds a text, for large
    /// libraries and the fastest answers.
    Static,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            semantic: false,
            model_dir: "models/all-MiniLM-L6-v2".into(),
            embedder: Embedder::Model,
        }
    }
}

/// Citation settings.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CitationConfig {
    /// Default style: mla, apa or chicago.
    pub style: Style,
}

/// Where slash commands are registered.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Registration {
    /// In one guild (instant; for development).
    Guild,
    /// Globally (production; can take a while to appear).
    #[default]
    Global,
    /// Not at start (a deploy step does it).
    None,
}

/// Discord settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DiscordConfig {
    /// REST base URL, e.g. a rate-limit-sharing proxy. With it set, serenity's
    /// own rate limiter is off and the gateway URL comes from `GET /gateway`.
    pub api_base_url: Option<String>,
    /// A file holding the bot token (one line), used when `DISCORD_TOKEN` is unset.
    pub token_file: Option<PathBuf>,
    /// Where to register commands.
    pub register: Registration,
    /// Guild for `register = "guild"`.
    pub guild_id: Option<u64>,
    /// Largest essay file `/library add` accepts, in bytes.
    pub max_upload_bytes: u64,
    /// How often the scheduler checks for due posts, in seconds.
    pub scheduler_tick_seconds: u64,
    /// Gateway shards of this process: `"auto"` (Discord's recommended
    /// count, all in this process) or a number.
    pub shards: Shards,
    /// Only these shards, `"0-3"` (inclusive), when several processes share
    /// the bot; needs `total_shards`.
    pub shard_range: Option<String>,
    /// All shards across every process, with `shard_range`.
    pub total_shards: Option<u32>,
    /// How long a process's claim on sending a daily post lasts before
    /// another process may take it over, in seconds.
    pub post_lease_seconds: u64,
    /// How often a process looks for essays other processes added, in
    /// seconds.
    pub library_sync_seconds: u64,
}

/// `shards = "auto"` or a number.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Shards {
    /// A word: only `"auto"` is valid.
    Named(String),
    /// A fixed count.
    Count(u32),
}

impl Default for Shards {
    fn default() -> Self {
        Shards::Named("auto".into())
    }
}

/// Which gateway shards this process runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sharding {
    /// Discord's recommended count, all here.
    Auto,
    /// This many, all here.
    Count(u32),
    /// Shards `first..=last` of `total`.
    Range {
        /// First shard id.
        first: u32,
        /// Last shard id (inclusive).
        last: u32,
        /// Shards across every process.
        total: u32,
    },
}

impl DiscordConfig {
    /// The shards this process runs, checked.
    pub fn sharding(&self) -> Result<Sharding> {
        if let Some(r) = self.shard_range.as_deref() {
            let bad = || {
                Error::Config(format!(
                    "discord.shard_range must look like \"0-3\" (first-last, inclusive); got `{r}`"
                ))
            };
            let (a, b) = r.split_once('-').ok_or_else(bad)?;
            let first: u32 = a.trim().parse().map_err(|_| bad())?;
            let last: u32 = b.trim().parse().map_err(|_| bad())?;
            let total = self.total_shards.ok_or_else(|| {
                Error::Config("discord.shard_range needs discord.total_shards (all shards across every process)".into())
            })?;
            if first > last || last >= total {
                return Err(Error::Config(format!(
                    "discord.shard_range {first}-{last} must lie within 0-{} (total_shards = {total})",
                    total.saturating_sub(1)
                )));
            }
            return Ok(Sharding::Range { first, last, total });
        }
        match &self.shards {
            Shards::Named(s) if s.eq_ignore_ascii_case("auto") => Ok(Sharding::Auto),
            Shards::Named(s) => Err(Error::Config(format!(
                "discord.shards must be \"auto\" or a number; got `{s}`"
            ))),
            Shards::Count(0) => Err(Error::Config("discord.shards must be at least 1".into())),
            Shards::Count(n) => Ok(Sharding::Count(*n)),
        }
    }
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            api_base_url: None,
            token_file: None,
            register: Registration::Global,
            guild_id: None,
            max_upload_bytes: 2 * 1024 * 1024,
            scheduler_tick_seconds: 20,
            shards: Shards::default(),
            shard_range: None,
            total_shards: None,
            post_lease_seconds: 90,
            library_sync_seconds: 2,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            library: PathBuf::from("seeds"),
            data_dir: PathBuf::from("data"),
            citations: CitationConfig::default(),
            discord: DiscordConfig::default(),
            circles: CircleLimits::default(),
            search: Default::default(),
            database_url: None,
        }
    }
}

/// The default config file path.
pub const DEFAULT_CONFIG: &str = "config/commonplace.toml";

impl Config {
    /// Load `path` (a missing default file means defaults; a missing explicit
    /// file is an error), then apply environment overrides.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let (path, explicit) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG), false),
        };
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse_file(&text, &path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Config::default(),
            Err(e) => return Err(Error::io(&path, e)),
        };
        config.apply_env(|k| std::env::var(k).ok());
        Ok(config)
    }

    /// Parse a config file's text. Paths the file sets are relative to the
    /// file's folder, so the same file works from any working directory.
    pub fn parse_file(text: &str, path: &Path) -> Result<Config> {
        let bad = |e: toml::de::Error| Error::Config(format!("{}: {e}", path.display()));
        let mut config: Config = toml::from_str(text).map_err(bad)?;
        let table: toml::Table = toml::from_str(text).map_err(bad)?;
        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        if table.contains_key("library") {
            resolve(&mut config.library);
        }
        if table.contains_key("data_dir") {
            resolve(&mut config.data_dir);
        }
        if let Some(t) = config.discord.token_file.as_mut() {
            resolve(t);
        }
        if table
            .get("search")
            .and_then(|s| s.get("model_dir"))
            .is_some()
        {
            resolve(&mut config.search.model_dir);
        }
        Ok(config)
    }

    /// Apply environment overrides, read through `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) {
        if let Some(v) = get("COMMONPLACE_LIBRARY") {
            self.library = v.into();
        }
        if let Some(v) = get("COMMONPLACE_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = get("COMMONPLACE_SEMANTIC") {
            self.search.semantic = matches!(v.as_str(), "1" | "true" | "on" | "yes");
        }
        if let Some(v) = get("COMMONPLACE_EMBEDDER") {
            match v.as_str() {
                "model" => self.search.embedder = Embedder::Model,
                "static" => self.search.embedder = Embedder::Static,
                other => tracing::warn!(
                    value = other,
                    "COMMONPLACE_EMBEDDER is model or static; ignored"
                ),
            }
        }
        if let Some(v) = get("COMMONPLACE_MODEL_DIR").filter(|v| !v.is_empty()) {
            self.search.model_dir = v.into();
        }
        if let Some(v) = get("COMMONPLACE_DATABASE_URL").filter(|v| !v.is_empty()) {
            self.database_url = Some(v);
        }
        if let Some(v) = get("COMMONPLACE_POST_LEASE_SECONDS").and_then(|v| v.parse().ok()) {
            self.discord.post_lease_seconds = v;
        }
        if let Some(v) = get("COMMONPLACE_DISCORD_API_URL").filter(|v| !v.is_empty()) {
            self.discord.api_base_url = Some(v);
        }
        if let Some(v) = get("COMMONPLACE_GUILD_ID").and_then(|v| v.parse().ok()) {
            self.discord.guild_id = Some(v);
            self.discord.register = Registration::Guild;
        }
    }

    /// The bot token: `DISCORD_TOKEN`, else the secrets file. `None` when neither.
    pub fn token(&self, get: impl Fn(&str) -> Option<String>) -> Result<Option<String>> {
        if let Some(t) = get("DISCORD_TOKEN")
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
        {
            return Ok(Some(t));
        }
        match &self.discord.token_file {
            Some(p) => {
                let t = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
                let t = t.trim().to_string();
                Ok((!t.is_empty()).then_some(t))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_parses_and_env_overrides() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config/commonplace.toml"
        ));
        let text = std::fs::read_to_string(path).unwrap();
        let mut c = Config::parse_file(&text, path).unwrap();
        // Relative to the file, so it works from any working directory.
        assert!(
            c.library.join("survival-mechanism.txt").is_file(),
            "{:?}",
            c.library
        );
        assert!(c.data_dir.ends_with("config/../data"), "{:?}", c.data_dir);
        c.apply_env(|k| {
            (k == "COMMONPLACE_DISCORD_API_URL").then(|| "http://127.0.0.1:9".to_string())
        });
        assert_eq!(
            c.discord.api_base_url.as_deref(),
            Some("http://127.0.0.1:9")
        );
    }

    #[test]
    fn shard_settings_are_checked() {
        let d = |t: &str| toml::from_str::<Config>(t).unwrap().discord.sharding();
        assert_eq!(d("").unwrap(), Sharding::Auto);
        assert_eq!(d("[discord]\nshards = 4").unwrap(), Sharding::Count(4));
        assert_eq!(
            d("[discord]\nshard_range = \"0-3\"\ntotal_shards = 8").unwrap(),
            Sharding::Range {
                first: 0,
                last: 3,
                total: 8
            }
        );
        for bad in [
            "[discord]\nshards = \"many\"",
            "[discord]\nshards = 0",
            "[discord]\nshard_range = \"0-3\"",
            "[discord]\nshard_range = \"4-8\"\ntotal_shards = 8",
            "[discord]\nshard_range = \"3\"\ntotal_shards = 8",
        ] {
            assert!(d(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(toml::from_str::<Config>("libary = \"x\"").is_err());
    }
}
