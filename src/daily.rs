//! The daily prompt post: decide what is due, claim it in the state store,
//! send it through a [`Poster`], retry with backoff, and record it, so that
//! each circle gets exactly one post per local day across restarts, crashes
//! and several processes.
//!
//! Every process runs the scheduler over every schedule, and the claim
//! decides who sends: a lease (owner and expiry) taken in a transaction
//! before sending. Posting needs only HTTP, not the guild's gateway shard,
//! so a process that dies mid-send is taken over by any survivor once its
//! lease expires, rather than waiting for the dead shard's process to come
//! back. The day's nonce, the same for every attempt and every process,
//! still guards the send: if the dead process's message did reach Discord,
//! the survivor's retry returns it instead of posting a second.

use crate::citation::Style;
use crate::error::Result;
use crate::library::Library;
use crate::prompts::{pick, Prompt, PromptEngine};
use crate::schedule::{due_date, parse_time, parse_zone};
use crate::state::{Claim, Schedule, State};
use jiff::Timestamp;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// What a poster is asked to send.
#[derive(Debug, Clone)]
pub struct DailyMessage {
    /// Guild.
    pub guild_id: u64,
    /// Channel.
    pub channel_id: u64,
    /// Role to ping, if the organiser chose one.
    pub role_id: Option<u64>,
    /// Idempotency key (at most 25 characters): the same for every attempt of one day.
    pub nonce: String,
    /// Local date, `YYYY-MM-DD`.
    pub local_date: String,
    /// The prompt.
    pub prompt: Prompt,
}

/// Longest wait named by a 429 that a send sleeps through.
const MAX_NAMED_WAIT: Duration = Duration::from_secs(60);

/// Why a send failed.
#[derive(Debug, Clone, PartialEq)]
pub enum PostError {
    /// Worth trying again (rate limit, server error, timeout), maybe after a delay.
    Retryable(String, Option<Duration>),
    /// Will not work by trying again (no access to the channel, channel gone).
    Permanent(String),
}

/// A boxed future, so the trait stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends a daily message; returns the message id.
pub trait Poster: Send + Sync {
    /// Send `msg` (and open its discussion thread).
    fn post<'a>(
        &'a self,
        msg: &'a DailyMessage,
    ) -> BoxFuture<'a, std::result::Result<u64, PostError>>;
}

/// What happened to one schedule in one run.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Posted now.
    Posted {
        guild_id: u64,
        local_date: String,
        message_id: u64,
    },
    /// Already posted today.
    AlreadyPosted { guild_id: u64 },
    /// Not due yet.
    NotDue { guild_id: u64 },
    /// Another process holds the claim and is sending it.
    ClaimedElsewhere { guild_id: u64 },
    /// Failed after retries (will be tried again next tick, same day only).
    Failed { guild_id: u64, error: String },
}

/// Retry policy for one run.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts per run.
    pub attempts: u32,
    /// First backoff; doubles each time.
    pub base: Duration,
    /// Longest wait honoured from a rate limit.
    pub max_wait: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 4,
            base: Duration::from_millis(500),
            max_wait: Duration::from_secs(30),
        }
    }
}

/// The nonce for a guild's post on a date: short, stable, unique per day.
pub fn nonce_for(guild_id: u64, local_date: &str) -> String {
    format!(
        "cp{:016x}",
        xxhash_rust::xxh3::xxh3_64(format!("{guild_id}|{local_date}").as_bytes())
    )
}

/// Everything a run of the daily posts needs.
pub struct DailyPosts<'a> {
    /// The library prompts come from.
    pub lib: &'a Library,
    /// Prompt pools.
    pub engine: &'a PromptEngine,
    /// Schedules, history and post records.
    pub state: &'a State,
    /// Sends the message.
    pub poster: &'a dyn Poster,
    /// Citation style of the prompts.
    pub style: Style,
    /// Retry policy.
    pub retry: Retry,
    /// This process's name in claims ([`crate::state::process_owner`]).
    pub owner: &'a str,
    /// How long a claim lasts before another process may take it over;
    /// renewed before every attempt.
    pub lease: Duration,
}

impl DailyPosts<'_> {
    fn choose_prompt(
        &self,
        s: &Schedule,
        today: jiff::civil::Date,
        prompt_id: Option<&str>,
    ) -> Result<Prompt> {
        // The circle's own view: its uploads and the shared library.
        let snap = self.lib.view(Some(&s.guild_id.to_string()));
        // The circle's current reading on the post's local day comes first;
        // then the schedule's own essay; else the whole library.
        let circle = s.guild_id.to_string();
        let reading = crate::plan::reading_on(self.state, &circle, today)?
            .filter(|e| snap.essay(&e.essay).is_ok());
        let essay = match &reading {
            Some(e) => Some(e.essay.as_str()),
            None => s.essay.as_deref().filter(|e| snap.essay(e).is_ok()),
        };
        let mut pool = self.engine.pool(
            &snap,
            essay,
            Some(self.state),
            Some(&crate::circle::key_of_guild(s.guild_id)),
            self.style,
            today,
        )?;
        if let Some(id) = prompt_id {
            if let Some(p) = pool.iter().find(|p| p.id == id) {
                return Ok(p.clone());
            }
        }
        if let Some(entry) = &reading {
            crate::plan::narrow_prompts(&mut pool, entry);
        }
        Ok(pick(
            &pool,
            None,
            Some(&crate::circle::key_of_guild(s.guild_id)),
            Some(self.state),
            None,
        )?
        .prompt)
    }

    /// Post every due daily prompt at `now`. Safe to call as often as you like.
    pub async fn run_due(&self, now: Timestamp) -> Vec<Outcome> {
        let schedules = match self.state.enabled_schedules() {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "cannot read schedules");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for s in schedules {
            out.push(self.run_one(now, &s).await);
        }
        out
    }

    async fn run_one(&self, now: Timestamp, s: &Schedule) -> Outcome {
        let (state, poster, retry) = (self.state, self.poster, self.retry);
        let guild_id = s.guild_id;
        let fail = |error: String| Outcome::Failed { guild_id, error };
        let (time, tz) = match (parse_time(&s.local_time), parse_zone(&s.time_zone)) {
            (Ok(t), Ok(z)) => (t, z),
            (Err(e), _) | (_, Err(e)) => return fail(e.to_string()),
        };
        let date = match due_date(now, time, &tz, &s.cadence) {
            Ok(Some(d)) => d,
            Ok(None) => return Outcome::NotDue { guild_id },
            Err(e) => return fail(e.to_string()),
        };
        let local_date = date.to_string();
        let record = match state.claim_daily_post(
            guild_id,
            &local_date,
            &nonce_for(guild_id, &local_date),
            self.owner,
            self.lease,
        ) {
            Ok(Claim::Ours(r)) => r,
            Ok(Claim::Posted(_)) => return Outcome::AlreadyPosted { guild_id },
            Ok(Claim::Held { .. }) => return Outcome::ClaimedElsewhere { guild_id },
            Err(e) => return fail(e.to_string()),
        };
        let release = |error: String| {
            // Another process (or this one's next tick) may try at once.
            if let Err(e) = state.release_daily_post(guild_id, &local_date, self.owner) {
                tracing::warn!(guild_id, error = %e, "could not release a daily post's claim; it expires by itself");
            }
            Outcome::Failed { guild_id, error }
        };
        // Only the claim's holder chooses, so two processes never both take
        // a prompt from the circle's history for one post. A claimed (maybe
        // sent) post keeps its prompt: a retry sends the same message.
        let prompt = match self.choose_prompt(s, date, record.prompt_id.as_deref()) {
            Ok(p) => p,
            Err(e) => return release(e.to_string()),
        };
        if record.prompt_id.as_deref() != Some(prompt.id.as_str()) {
            if let Err(e) = state.set_daily_prompt(guild_id, &local_date, &prompt.id) {
                return release(e.to_string());
            }
        }
        let msg = DailyMessage {
            guild_id,
            channel_id: s.channel_id,
            role_id: s.role_id,
            nonce: record.nonce.clone(),
            local_date: local_date.clone(),
            prompt,
        };
        let mut delay = retry.base;
        let mut last = String::new();
        for attempt in 0..retry.attempts {
            // A lease that expired while waiting may have been taken over:
            // then the other process sends, not this one.
            match state.renew_lease(guild_id, &local_date, self.owner, self.lease) {
                Ok(true) => {}
                Ok(false) => return Outcome::ClaimedElsewhere { guild_id },
                Err(e) => return release(e.to_string()),
            }
            let _ = state.note_attempt(guild_id, &local_date);
            match poster.post(&msg).await {
                Ok(message_id) => {
                    if let Err(e) = state.mark_posted(guild_id, &local_date, message_id) {
                        tracing::error!(error = %e, guild_id, "posted but could not record it; the nonce prevents a double post");
                    }
                    tracing::info!(guild_id, %local_date, message_id, "daily prompt posted");
                    return Outcome::Posted {
                        guild_id,
                        local_date,
                        message_id,
                    };
                }
                Err(PostError::Permanent(e)) => return release(e),
                Err(PostError::Retryable(e, wait)) => {
                    tracing::warn!(guild_id, attempt, error = %e, "daily post failed; retrying");
                    last = e;
                    // Discord's named wait is honoured in full (an earlier
                    // retry is another invalid request); our own backoff is
                    // capped. A wait past a minute is left to the next tick.
                    let wait = match wait {
                        Some(w) if w > MAX_NAMED_WAIT => return release(last),
                        Some(w) => w,
                        None => delay.min(retry.max_wait),
                    };
                    tokio::time::sleep(wait).await;
                    delay *= 2;
                }
            }
        }
        release(last)
    }
}
