//! Daily schedule arithmetic in a circle's local time (jiff, DST-correct).
//!
//! A post is due on local date `d` once `now` has reached `d` at the chosen
//! time in the chosen zone. A time skipped by a DST change moves forward
//! (RFC 5545); a repeated time uses its first occurrence. Only today's post
//! is ever due: a post missed on an earlier day is not sent late.

use crate::error::{Error, Result};
use jiff::civil::{Date, Time, Weekday};
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

/// On which local days a schedule posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    /// Every day.
    Daily,
    /// On these weekdays (at least one).
    Weekly(Vec<Weekday>),
    /// Every `n` days counted from `anchor` (the day it was set).
    EveryNDays {
        /// Days between posts (2 or more; 1 is daily).
        n: u16,
        /// A day that posts.
        anchor: Date,
    },
}

impl Cadence {
    /// Whether local day `date` has a post.
    pub fn posts_on(&self, date: Date) -> bool {
        match self {
            Cadence::Daily => true,
            Cadence::Weekly(days) => days.contains(&date.weekday()),
            Cadence::EveryNDays { n, anchor } => {
                // Whole calendar days between the two local dates (a civil
                // span, largest unit days): DST changes make some days 23 or
                // 25 hours long and do not shift the count.
                let days = anchor
                    .until(date)
                    .map(|s| i64::from(s.get_days()))
                    .unwrap_or(1);
                days.rem_euclid(i64::from(*n)) == 0
            }
        }
    }

    /// Stored form: `daily`, `weekly:mon,thu`, `every:3:2026-11-23`.
    pub fn to_stored(&self) -> String {
        match self {
            Cadence::Daily => "daily".into(),
            Cadence::Weekly(days) => format!(
                "weekly:{}",
                days.iter()
                    .map(|d| weekday_name(*d))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Cadence::EveryNDays { n, anchor } => format!("every:{n}:{anchor}"),
        }
    }

    /// Read the stored form back.
    pub fn from_stored(s: &str) -> Result<Cadence> {
        let bad = || Error::Schedule(format!("unreadable cadence `{s}`"));
        if s == "daily" || s.is_empty() {
            return Ok(Cadence::Daily);
        }
        if let Some(days) = s.strip_prefix("weekly:") {
            return weekly(days);
        }
        if let Some(rest) = s.strip_prefix("every:") {
            let (n, anchor) = rest.split_once(':').ok_or_else(bad)?;
            return every(
                n.parse().map_err(|_| bad())?,
                anchor.parse().map_err(|_| bad())?,
            );
        }
        Err(bad())
    }

    /// "every day", "on Mondays and Thursdays", "every 3 days".
    pub fn describe(&self) -> String {
        match self {
            Cadence::Daily => "every day".into(),
            Cadence::Weekly(days) => {
                let names: Vec<String> = days.iter().map(|d| format!("{d:?}s")).collect();
                match names.as_slice() {
                    [one] => format!("on {one}"),
                    [rest @ .., last] => format!("on {} and {last}", rest.join(", ")),
                    [] => "never".into(),
                }
            }
            Cadence::EveryNDays { n, .. } => format!("every {n} days"),
        }
    }
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "mon",
        Weekday::Tuesday => "tue",
        Weekday::Wednesday => "wed",
        Weekday::Thursday => "thu",
        Weekday::Friday => "fri",
        Weekday::Saturday => "sat",
        Weekday::Sunday => "sun",
    }
}

/// An organiser's weekdays: "mon,thu", "Monday Thursday", "tue; sat".
pub fn weekly(days: &str) -> Result<Cadence> {
    let mut out: Vec<Weekday> = Vec::new();
    for w in days
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let l = w.to_lowercase();
        let day = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ]
        .into_iter()
        .find(|d| l.len() >= 2 && format!("{d:?}").to_lowercase().starts_with(&l))
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "`{}` is not a weekday: write days like mon,thu",
                w.chars().take(20).collect::<String>()
            ))
        })?;
        if !out.contains(&day) {
            out.push(day);
        }
    }
    if out.is_empty() {
        return Err(Error::InvalidInput(
            "name at least one weekday, like mon,thu".into(),
        ));
    }
    out.sort_by_key(|d| d.to_monday_zero_offset());
    Ok(Cadence::Weekly(out))
}

/// Every `n` days from `anchor`: 1 is daily, 2 to 365 allowed.
pub fn every(n: u16, anchor: Date) -> Result<Cadence> {
    match n {
        1 => Ok(Cadence::Daily),
        2..=365 => Ok(Cadence::EveryNDays { n, anchor }),
        _ => Err(Error::InvalidInput(
            "every N days takes N from 1 to 365".into(),
        )),
    }
}

/// The cadence an organiser chose: weekdays, or every N days from `today`,
/// or (neither) every day; both at once is refused.
pub fn cadence_from_options(
    weekdays: Option<&str>,
    every_days: Option<u16>,
    today: Date,
) -> Result<Cadence> {
    match (weekdays, every_days) {
        (Some(_), Some(_)) => Err(Error::InvalidInput(
            "choose weekdays or every N days, not both".into(),
        )),
        (Some(w), None) => weekly(w),
        (None, Some(n)) => every(n, today),
        (None, None) => Ok(Cadence::Daily),
    }
}

/// The local date whose post is due at `now`: today, when today is one of
/// the cadence's days and its slot has passed.
pub fn due_date(
    now: Timestamp,
    time: Time,
    tz: &TimeZone,
    cadence: &Cadence,
) -> Result<Option<Date>> {
    let today = now.to_zoned(tz.clone()).date();
    if !cadence.posts_on(today) {
        return Ok(None);
    }
    let slot = slot_on(today, time, tz)?;
    Ok((now >= slot).then_some(today))
}

/// The next slot strictly after `now`.
pub fn next_slot(
    now: Timestamp,
    time: Time,
    tz: &TimeZone,
    cadence: &Cadence,
) -> Result<Timestamp> {
    let mut date = now.to_zoned(tz.clone()).date();
    // A year covers every cadence (every N days has N ≤ 365).
    for _ in 0..370 {
        if cadence.posts_on(date) {
            let slot = slot_on(date, time, tz)?;
            if slot > now {
                return Ok(slot);
            }
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
    fn cadences_choose_their_days() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let w = weekly("Mon, thursday").unwrap();
        assert!(w.posts_on(d("2026-11-23")) && w.posts_on(d("2026-11-26")));
        assert!(!w.posts_on(d("2026-11-24")));
        assert_eq!(w.describe(), "on Mondays and Thursdays");
        assert!(weekly("someday").is_err() && weekly(" , ").is_err());
        // Every 3 days from the 20th, across the end of summer time.
        let e = every(3, d("2026-10-20")).unwrap();
        let days: Vec<bool> = (20..=29)
            .map(|n| e.posts_on(d(&format!("2026-10-{n}"))))
            .collect();
        assert_eq!(
            days,
            [true, false, false, true, false, false, true, false, false, true]
        );
        assert!(
            e.posts_on(d("2026-10-17")),
            "days before the anchor follow the same rhythm"
        );
        assert_eq!(every(1, d("2026-10-20")).unwrap(), Cadence::Daily);
        assert!(every(0, d("2026-10-20")).is_err() && every(366, d("2026-10-20")).is_err());
        for c in [Cadence::Daily, w, e] {
            assert_eq!(Cadence::from_stored(&c.to_stored()).unwrap(), c);
        }
        assert!(cadence_from_options(Some("mon"), Some(3), d("2026-10-20")).is_err());
        // The next slot skips the days without a post.
        let tz = parse_zone("Europe/London").unwrap();
        let t = parse_time("09:00").unwrap();
        let next = next_slot(ts("2026-11-23T10:00:00Z"), t, &tz, &weekly("thu").unwrap()).unwrap();
        assert_eq!(next, ts("2026-11-26T09:00:00Z"));
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
        assert_eq!(
            due_date(ts("2026-11-23T23:29:59Z"), t, &tz, &Cadence::Daily).unwrap(),
            None
        );
        assert_eq!(
            due_date(ts("2026-11-23T23:30:00Z"), t, &tz, &Cadence::Daily).unwrap(),
            Some(jiff::civil::date(2026, 11, 23))
        );
        // After local midnight the missed day is gone; the new day is not due yet.
        assert_eq!(
            due_date(ts("2026-11-24T05:10:00Z"), t, &tz, &Cadence::Daily).unwrap(),
            None
        );
        assert_eq!(
            next_slot(ts("2026-11-23T23:30:00Z"), t, &tz, &Cadence::Daily).unwrap(),
            ts("2026-11-24T23:30:00Z")
        );
    }
}
