//! A circle's daily-prompt schedule.

use super::App;
use crate::error::{Error, Result};
use crate::schedule::{cadence_from_options, next_slot, parse_time, parse_zone};
use crate::state::Schedule;

/// A schedule as an organiser sets it.
#[derive(Debug, Clone, Default)]
pub struct ScheduleRequest {
    /// Channel to post in.
    pub channel_id: u64,
    /// Local time, 24-hour `HH:MM`.
    pub time: String,
    /// IANA time zone, e.g. `Europe/London`.
    pub zone: String,
    /// Only prompts from this essay (id or part of its title).
    pub essay: Option<String>,
    /// Role to ping with each post.
    pub role_id: Option<u64>,
    /// Only on these weekdays, e.g. `mon,thu`.
    pub weekdays: Option<String>,
    /// Every N days instead, counted from today.
    pub every_days: Option<u16>,
}

/// A circle's schedule as of now.
#[derive(Debug, Clone, PartialEq)]
pub enum ScheduleStatus {
    /// Posting; the next post is at `next`.
    On {
        /// The schedule.
        schedule: Schedule,
        /// The next post.
        next: jiff::Timestamp,
    },
    /// Set, but turned off (the settings are kept).
    Off(Schedule),
    /// Never set.
    Unset,
}

/// How an adapter names a schedule's places: its channel, its role, the
/// next post's time and the essay's id.
pub struct Names {
    /// The channel (`<#id>` in Discord).
    pub channel: String,
    /// The role pinged, if any.
    pub role: Option<String>,
    /// The next post.
    pub next: String,
    /// The essay, if the schedule has one.
    pub essay: Option<String>,
}

/// A running schedule in one sentence, the same through both adapters.
pub fn describe(s: &Schedule, names: Names) -> String {
    format!(
        "Daily prompt: {} at {} ({}) in {}{}{}. Next post: {}.",
        s.cadence.describe(),
        s.local_time,
        s.time_zone,
        names.channel,
        names
            .essay
            .map(|e| format!(", from {e}"))
            .unwrap_or_default(),
        names
            .role
            .map(|r| format!(", pinging {r}"))
            .unwrap_or_default(),
        names.next
    )
}

/// Schedules are a Discord server's: the circle must be one.
fn guild(circle: Option<&str>) -> Result<u64> {
    circle.and_then(crate::circle::guild_of).ok_or_else(|| {
        Error::InvalidInput(
            "a schedule belongs to a Discord server: give --circle with the server's id".into(),
        )
    })
}

impl App {
    /// Set (or replace) the circle's schedule and turn it on.
    pub fn schedule_set(
        &self,
        circle: Option<&str>,
        r: &ScheduleRequest,
    ) -> Result<ScheduleStatus> {
        let guild_id = guild(circle)?;
        let t = parse_time(&r.time)?;
        let tz = parse_zone(&r.zone)?;
        let now = self.clock.now();
        let cadence = cadence_from_options(
            r.weekdays.as_deref(),
            r.every_days,
            now.to_zoned(tz.clone()).date(),
        )?;
        let essay = match r.essay.as_deref() {
            Some(e) => Some(self.essay(circle, e)?.meta.id),
            None => None,
        };
        let schedule = Schedule {
            guild_id,
            channel_id: r.channel_id,
            local_time: format!("{:02}:{:02}", t.hour(), t.minute()),
            time_zone: tz.iana_name().unwrap_or(&r.zone).to_string(),
            essay,
            role_id: r.role_id,
            enabled: true,
            cadence,
        };
        self.state()?.set_schedule(&schedule)?;
        let next = next_slot(now, t, &tz, &schedule.cadence)?;
        Ok(ScheduleStatus::On { schedule, next })
    }

    /// The circle's schedule and its next post.
    pub fn schedule_status(&self, circle: Option<&str>) -> Result<ScheduleStatus> {
        let guild_id = guild(circle)?;
        Ok(match self.state()?.schedule(guild_id)? {
            Some(s) if s.enabled => {
                let next = next_slot(
                    self.clock.now(),
                    parse_time(&s.local_time)?,
                    &parse_zone(&s.time_zone)?,
                    &s.cadence,
                )?;
                ScheduleStatus::On { schedule: s, next }
            }
            Some(s) => ScheduleStatus::Off(s),
            None => ScheduleStatus::Unset,
        })
    }

    /// Turn the circle's schedule off (its settings are kept). False when
    /// there was none.
    pub fn schedule_off(&self, circle: Option<&str>) -> Result<bool> {
        let guild_id = guild(circle)?;
        self.state()?.disable_schedule(guild_id)
    }
}
