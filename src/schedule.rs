//! Daily schedule arithmetic in a circle's local time (jiff, DST-correct).
//!
//! A post is due on local date `d` once `now` has reached `d` at the chosen
//! time in the chosen zone. A time skipped by a DST change moves forward
//! (RFC 5545); a repeated time uses its first occurrence. Only today's post
//! is ever due: a post missed on an earlier day is not sent late.

use crate::error::{Error, Result};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Parse `HH:MM` (24-hour; `9:30` accepted).
pub fn parse_time(s: &str) -> Result<Time> {
    let t = s.trim();
    let bad = || {
        Error::Schedule(format!(
            "`{}` is not a time: use 24-hour HH:MM, like 09:00 or 18:30",
            t.chars().take(20).collect::<String>()
        ))
    };
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    let h: i8 = h.trim().parse().map_err(|_| bad())?;
    let m: i8 = m.trim().parse().map_err(|_| bad())?;
    if !(0..=23).contains(&h) || !(0..=59).contains(&m) {
        return Err(bad());
    }
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

/// Look up an IANA time zone ("Europe/London").
pub fn parse_zone(name: &str) -> Result<TimeZone> {
    let n = name.trim();
    if n.is_empty() || n.len() > 64 {
        return Err(Error::Schedule(
            "give an IANA time zone, like Europe/London or America/New_York".into(),
        ));
    }
    TimeZone::get(n).map_err(|_| {
        Error::Schedule(format!(
            "`{}` is not a time zone I know: use an IANA name like Europe/London or America/New_York",
            n.chars().take(64).collect::<String>()
        ))
    })
}

/// IANA zone names matching `partial` (case-insensitive), at most `max`.
pub fn matching_zones(partial: &str, max: usize) -> Vec<String> {
    let p = partial.trim().to_lowercase().replace(' ', "_");
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| n.contains('/') && n.to_lowercase().contains(&p))
        .collect();
    names.sort();
    names.truncate(max);
    names
}

/// The instant of `time` on local `date` in `tz`.
pub fn slot_on(date: Date, time: Time, tz: &TimeZone) -> Result<Timestamp> {
    let zoned = date.to_datetime(time).to_zoned(tz.clone()).map_err(|e| {
        Error::Schedule(format!("cannot place {date} {time} in the time zone: {e}"))
    })?;
    Ok(zoned.timestamp())
}

/// The local date whose post is due at `now`, if today's slot has passed.
pub fn due_date(now: Timestamp, time: Time, tz: &TimeZone) -> Result<Option<Date>> {
    let today = now.to_zoned(tz.clone()).date();
    let slot = slot_on(today, time, tz)?;
    Ok((now >= slot).then_some(today))
}

/// The next slot strictly after `now`.
pub fn next_slot(now: Timestamp, time: Time, tz: &TimeZone) -> Result<Timestamp> {
    let mut date = now.to_zoned(tz.clone()).date();
    for _ in 0..3 {
        let slot = slot_on(date, time, tz)?;
        if slot > now {
            return Ok(slot);
        }
        date = date
            .tomorrow()
            .map_err(|e| Error::Schedule(e.to_string()))?;
    }
    Err(Error::Schedule("no next slot".into()))
}

/// A source of the current time, injectable for tests.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn times_and_zones_are_validated() {
        assert!(parse_time("25:00").is_err());
        assert!(parse_time("09:60").is_err());
        assert!(parse_time("nine").is_err());
        assert_eq!(parse_time("9:05").unwrap(), Time::new(9, 5, 0, 0).unwrap());
        assert!(parse_zone("Mars/Olympus").is_err());
        assert!(parse_zone("Europe/London").is_ok());
        assert!(matching_zones("new_york", 25).contains(&"America/New_York".to_string()));
    }

    #[test]
    fn london_across_the_spring_and_autumn_changes() {
        let tz = parse_zone("Europe/London").unwrap();
        let nine = parse_time("09:00").unwrap();
        // 2026-03-29 clocks go forward: 09:00 BST is 08:00 UTC.
        assert_eq!(
            slot_on(jiff::civil::date(2026, 3, 28), nine, &tz).unwrap(),
            ts("2026-03-28T09:00:00Z")
        );
        assert_eq!(
            slot_on(jiff::civil::date(2026, 3, 29), nine, &tz).unwrap(),
            ts("2026-03-29T08:00:00Z")
        );
        assert_eq!(
            slot_on(jiff::civil::date(2026, 10, 25), nine, &tz).unwrap(),
            ts("2026-10-25T09:00:00Z")
        );
        // A time skipped by the change moves forward.
        let skipped = parse_time("01:30").unwrap();
        assert_eq!(
            slot_on(jiff::civil::date(2026, 3, 29), skipped, &tz).unwrap(),
            ts("2026-03-29T01:30:00Z")
        );
    }

    #[test]
    fn due_only_after_the_slot_and_only_today() {
        let tz = parse_zone("America/New_York").unwrap();
        let t = parse_time("18:30").unwrap();
        assert_eq!(due_date(ts("2026-11-23T23:29:59Z"), t, &tz).unwrap(), None);
        assert_eq!(
            due_date(ts("2026-11-23T23:30:00Z"), t, &tz).unwrap(),
            Some(jiff::civil::date(2026, 11, 23))
        );
        // After local midnight the missed day is gone; the new day is not due yet.
        assert_eq!(due_date(ts("2026-11-24T05:10:00Z"), t, &tz).unwrap(), None);
        assert_eq!(
            next_slot(ts("2026-11-23T23:30:00Z"), t, &tz).unwrap(),
            ts("2026-11-24T23:30:00Z")
        );
    }
}
