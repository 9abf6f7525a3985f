//! The state store: what organisers and members set, and what the bot has
//! done. Prompt history per circle, organisers' own and banned prompts,
//! suggestions, reading plans, per-server schedules, the record (and lease)
//! of daily posts that makes them happen once, and the essays circles
//! uploaded.
//!
//! Two backends behind one trait, [`StateStore`]: SQLite in the data
//! directory (the default: nothing to set up, one process) and PostgreSQL
//! (`database_url = "postgres://…"`: several processes share it). Both pass
//! the same conformance suite (`tests/state_conformance.rs`).

mod postgres;
mod sqlite;

use crate::error::{Error, Result};
use std::path::Path;
use std::time::Duration;

pub use postgres::Postgres;
pub use sqlite::Sqlite;

/// An organiser's own discussion question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomPrompt {
    /// Row id.
    pub id: i64,
    /// Essay id.
    pub essay: String,
    /// Paragraph it is anchored to.
    pub paragraph: u32,
    /// The question.
    pub question: String,
    /// The member who suggested it (display name), when it came from the
    /// suggestion queue.
    pub suggested_by: Option<String>,
}

/// A member's suggested question, waiting for (or past) an organiser's
/// decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Its number in the circle's queue.
    pub id: i64,
    /// Essay id.
    pub essay: String,
    /// Paragraph it is about.
    pub paragraph: u32,
    /// The question.
    pub question: String,
    /// Who suggested it: their id (a Discord user id) and display name.
    pub member_id: String,
    /// Display name, shown as text (never a mention).
    pub member_name: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
}

/// A server's daily-prompt schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Discord guild id.
    pub guild_id: u64,
    /// Channel to post in.
    pub channel_id: u64,
    /// Local time, `HH:MM`.
    pub local_time: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Only prompts from this essay (the circle's current reading).
    pub essay: Option<String>,
    /// Role to ping with the daily post.
    pub role_id: Option<u64>,
    /// Off schedules are kept (settings survive) but do not post.
    pub enabled: bool,
    /// On which local days it posts.
    pub cadence: crate::schedule::Cadence,
}

/// The record of one day's post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyPost {
    /// Guild.
    pub guild_id: u64,
    /// Local date `YYYY-MM-DD`.
    pub local_date: String,
    /// `pending` (claimed, maybe sent) or `posted`.
    pub status: String,
    /// Idempotency nonce sent with the message.
    pub nonce: String,
    /// Prompt chosen for the day.
    pub prompt_id: Option<String>,
    /// Message id once posted.
    pub message_id: Option<u64>,
    /// Attempts so far.
    pub attempts: u32,
    /// The process holding the lease on sending it (none once posted or
    /// released).
    pub owner: Option<String>,
}

/// What claiming a day's post gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This process holds the lease: it may send (with the record's nonce).
    Ours(DailyPost),
    /// Another process holds an unexpired lease: it is sending.
    Held {
        /// The holder.
        owner: String,
    },
    /// Sent already.
    Posted(DailyPost),
}

/// An essay a circle uploaded, as the database keeps it so that every
/// process sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEssay {
    /// The circle that uploaded it.
    pub circle: String,
    /// Its file, relative to the added-essays folder (`circles/…/x.md`).
    pub path: String,
    /// The file's bytes (empty once removed).
    pub bytes: Vec<u8>,
    /// Its catalog entry, as JSON.
    pub meta: String,
    /// The library version this change made (grows with every change).
    pub version: u64,
    /// Removed: the processes delete their copy.
    pub removed: bool,
}

/// Chooses a circle's next prompt from the ids it has seen this cycle:
/// the id to record, and whether the cycle starts over first.
pub type Chooser<'a> = dyn FnMut(&[String]) -> Result<(String, bool)> + 'a;

/// The state store's operations: one method per thing the core records or
/// asks. Implemented by [`Sqlite`] and [`Postgres`].
///
/// Every method is blocking; async callers run it where blocking is
/// allowed (the Discord layer's blocking pool, or a short call from the
/// scheduler, which SQLite has always been).
pub trait StateStore: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// The circle's current cycle number (starts at 0).
    fn cycle(&self, circle: &str) -> Result<i64>;

    /// Prompt ids shown to a circle in its current cycle, oldest first.
    fn shown(&self, circle: &str) -> Result<Vec<String>>;

    /// Choose a circle's next prompt and record it atomically, so that
    /// processes picking at the same time never hand out the same prompt.
    /// `choose` is given the ids the circle has seen in its current cycle
    /// and returns the id to record and whether the cycle starts over
    /// first. It may be called more than once (when another process picked
    /// in between); only its last answer is recorded.
    fn pick_next_with(&self, circle: &str, choose: &mut Chooser<'_>) -> Result<()>;

    /// Add an organiser's question for `circle` (its history key), or with
    /// `None` for every circle (the operator).
    fn add_custom_prompt(
        &self,
        circle: Option<&str>,
        essay: &str,
        paragraph: u32,
        question: &str,
    ) -> Result<i64>;

    /// The questions `circle` sees (its own and the operator's), all or for
    /// one essay. With `None`: the operator's only.
    fn custom_prompts(
        &self,
        circle: Option<&str>,
        essay: Option<&str>,
    ) -> Result<Vec<CustomPrompt>>;

    /// Queue a member's suggested question for `circle` (its key); returns
    /// its number.
    fn add_suggestion(
        &self,
        circle: &str,
        essay: &str,
        paragraph: u32,
        question: &str,
        member_id: &str,
        member_name: &str,
    ) -> Result<i64>;

    /// How many of a member's suggestions wait in `circle`'s queue.
    fn pending_suggestions_of(&self, circle: &str, member_id: &str) -> Result<usize>;

    /// The suggestions waiting in `circle`'s queue, oldest first.
    fn pending_suggestions(&self, circle: &str) -> Result<Vec<Suggestion>>;

    /// Decide a pending suggestion of `circle`: approved, it joins the
    /// circle's prompts credited to the member (returns the suggestion and
    /// the new prompt's row id); rejected, it leaves the queue. `None` when
    /// the circle has no such pending suggestion (decided already, or
    /// another circle's): one transaction, so two organisers pressing at
    /// once decide it once.
    fn decide_suggestion(
        &self,
        circle: &str,
        id: i64,
        approve: bool,
    ) -> Result<Option<(Suggestion, Option<i64>)>>;

    /// Ban a prompt id from `circle`'s pools, or with `None` from every
    /// circle's (the operator).
    fn ban_prompt(&self, circle: Option<&str>, prompt_id: &str) -> Result<()>;

    /// The prompt ids banned for `circle`: its own bans and the operator's.
    fn banned(&self, circle: Option<&str>) -> Result<Vec<String>>;

    /// Add an entry to `circle`'s reading plan; returns its id.
    fn add_reading(&self, circle: &str, entry: &crate::model::PlanEntry) -> Result<i64>;

    /// `circle`'s reading plan, in order of start.
    fn reading_plan(&self, circle: &str) -> Result<Vec<crate::model::PlanEntry>>;

    /// Remove one entry of `circle`'s plan; false when it has no such entry.
    fn remove_reading(&self, circle: &str, id: i64) -> Result<bool>;

    /// Empty `circle`'s plan; returns how many entries it had.
    fn clear_reading_plan(&self, circle: &str) -> Result<usize>;

    /// Create or replace a server's schedule.
    fn set_schedule(&self, s: &Schedule) -> Result<()>;

    /// Turn a schedule off (kept, so `set` can restore it).
    fn disable_schedule(&self, guild_id: u64) -> Result<bool>;

    /// A server's schedule.
    fn schedule(&self, guild_id: u64) -> Result<Option<Schedule>>;

    /// All enabled schedules.
    fn enabled_schedules(&self) -> Result<Vec<Schedule>>;

    /// The post record of a guild's local date.
    fn daily_post(&self, guild_id: u64, local_date: &str) -> Result<Option<DailyPost>>;

    /// Claim a day's post before sending it, in one transaction: creates
    /// the `pending` record with `nonce` (kept by every later claim: a
    /// retry sends the same nonce, so Discord returns the first message
    /// instead of a second), or takes over one whose lease has expired or
    /// is `owner`'s own. The lease lasts `lease` from the store's clock.
    fn claim_daily_post(
        &self,
        guild_id: u64,
        local_date: &str,
        nonce: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<Claim>;

    /// Extend `owner`'s lease before another attempt; false when the lease
    /// was lost (expired and taken over) or the post is sent.
    fn renew_lease(
        &self,
        guild_id: u64,
        local_date: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<bool>;

    /// Record the prompt chosen for a claimed post (kept for retries).
    fn set_daily_prompt(&self, guild_id: u64, local_date: &str, prompt_id: &str) -> Result<()>;

    /// Give up `owner`'s lease (the send failed or the process is
    /// stopping), so another process may try at once.
    fn release_daily_post(&self, guild_id: u64, local_date: &str, owner: &str) -> Result<()>;

    /// Give up every lease `owner` holds (graceful shutdown); returns how
    /// many.
    fn release_all(&self, owner: &str) -> Result<usize>;

    /// Count an attempt at sending.
    fn note_attempt(&self, guild_id: u64, local_date: &str) -> Result<()>;

    /// Mark a day's post as sent (the lease ends).
    fn mark_posted(&self, guild_id: u64, local_date: &str, message_id: u64) -> Result<()>;

    /// Record a change to an uploaded essay (its bytes and catalog entry,
    /// or its removal) under the next library version, which it returns.
    /// Versions become visible in order, so a poller never skips one.
    fn change_essay(
        &self,
        circle: &str,
        path: &str,
        bytes: &[u8],
        meta: &str,
        removed: bool,
    ) -> Result<u64>;

    /// Keep an uploaded essay (added or replaced); returns the library
    /// version this change made.
    fn put_essay(&self, circle: &str, path: &str, bytes: &[u8], meta: &str) -> Result<u64> {
        self.change_essay(circle, path, bytes, meta, false)
    }

    /// Mark an uploaded essay removed; returns the library version this
    /// change made.
    fn remove_essay(&self, circle: &str, path: &str) -> Result<u64> {
        self.change_essay(circle, path, &[], "{}", true)
    }

    /// The latest library version (0 before any upload).
    fn essays_version(&self) -> Result<u64>;

    /// Uploaded essays changed after `version`, oldest change first.
    fn essays_since(&self, version: u64) -> Result<Vec<StoredEssay>>;
}

/// The state store the configuration names: PostgreSQL when a database URL
/// is set, else SQLite in the data directory. Derefs to [`StateStore`].
pub struct State(Box<dyn StateStore>);

impl std::ops::Deref for State {
    type Target = dyn StateStore;
    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl State {
    /// Open (creating and migrating) `state.sqlite3` in `data_dir`.
    ///
    /// A file that is not a database is an error, never silently replaced:
    /// it holds organisers' settings.
    pub fn open(data_dir: &Path) -> Result<State> {
        Ok(State(Box::new(Sqlite::open(data_dir)?)))
    }

    /// Connect to PostgreSQL at `url` (migrating its schema).
    pub fn connect(url: &str) -> Result<State> {
        Ok(State(Box::new(Postgres::connect(url)?)))
    }

    /// The store a configuration names: its database URL, else SQLite in
    /// its data directory.
    pub fn for_config(config: &crate::config::Config) -> Result<State> {
        match config.database_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) if is_postgres_url(url) => Self::connect(url),
            Some(url) => Err(Error::Config(format!(
                "database_url must start with postgres:// or postgresql:// (got `{}`); leave it unset for SQLite in the data directory",
                redact_url(url)
            ))),
            None => Self::open(&config.data_dir),
        }
    }

    /// An in-memory SQLite store (tests).
    pub fn in_memory() -> Result<State> {
        Ok(State(Box::new(Sqlite::in_memory()?)))
    }

    /// Wrap any backend.
    pub fn from_store(store: Box<dyn StateStore>) -> State {
        State(store)
    }

    /// Choose a circle's next prompt and record it atomically (see
    /// [`StateStore::pick_next_with`]); `choose` also returns its own
    /// result, which this returns.
    pub fn pick_next<T>(
        &self,
        circle: &str,
        mut choose: impl FnMut(&[String]) -> Result<(String, bool, T)>,
    ) -> Result<T> {
        let mut out = None;
        self.0.pick_next_with(circle, &mut |shown| {
            let (id, start_over, t) = choose(shown)?;
            out = Some(t);
            Ok((id, start_over))
        })?;
        out.ok_or_else(|| Error::State("the prompt pick recorded nothing".into()))
    }
}

/// Whether a database URL names PostgreSQL.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A database URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// This process's name in leases: host, pid and a random part (a pid is
/// reused after a restart; the random part is not).
pub fn process_owner() -> &'static str {
    static OWNER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    OWNER.get_or_init(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "host".into());
        format!(
            "{host}:{}:{:08x}",
            std::process::id(),
            rand::random::<u32>()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_kept_out_of_messages() {
        assert_eq!(
            redact_url("postgres://bot:s3cret@db:5432/cp"),
            "postgres://bot:***@db:5432/cp"
        );
        assert_eq!(
            redact_url("postgres://bot@127.0.0.1/cp"),
            "postgres://bot@127.0.0.1/cp"
        );
        let c = crate::config::Config {
            database_url: Some("mysql://u:pw@h/db".into()),
            ..Default::default()
        };
        let e = State::for_config(&c).err().unwrap().to_string();
        assert!(e.contains("postgres://") && !e.contains("pw"), "{e}");
    }
}
