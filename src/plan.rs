//! A circle's reading plan: which essay it is reading, from when to when,
//! and optionally which paragraphs. While an entry is current, `/quote`,
//! `/prompt` and the daily post draw from it; between entries they use the
//! whole library.

use crate::error::{Error, Result};
use jiff::civil::Date;

pub use crate::model::PlanEntry;

/// The entry current on `today`: of several, the one that started last
/// (a new reading takes over from an open-ended one).
pub fn current(entries: &[PlanEntry], today: Date) -> Option<&PlanEntry> {
    entries
        .iter()
        .filter(|e| e.is_current(today))
        .max_by_key(|e| (e.starts, e.id))
}

/// Parse an organiser's date, `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Result<Date> {
    s.trim().parse::<Date>().map_err(|_| {
        Error::InvalidInput(format!(
            "`{}` is not a date: write it as 2026-03-12",
            s.trim().chars().take(40).collect::<String>()
        ))
    })
}

/// Parse a paragraph range: "12" or "3-10" (also with an en dash).
pub fn parse_paragraphs(s: &str) -> Result<(u32, u32)> {
    let bad = || {
        Error::InvalidInput(format!(
            "`{}` is not a paragraph range: write 12 or 3-10",
            s.trim().chars().take(40).collect::<String>()
        ))
    };
    let t = s.trim().trim_start_matches('¶');
    let (a, b) = match t.split_once(['-', '\u{2013}']) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (t, t),
    };
    let a: u32 = a.parse().map_err(|_| bad())?;
    let b: u32 = b.parse().map_err(|_| bad())?;
    if a == 0 || b < a {
        return Err(bad());
    }
    Ok((a, b))
}

/// Check an organiser's new entry against the essay it names: the dates in
/// order, the paragraphs within the essay.
pub fn validate(
    starts: Date,
    ends: Option<Date>,
    paragraphs: Option<(u32, u32)>,
    essay_paragraphs: u32,
) -> Result<()> {
    if let Some(e) = ends {
        if e < starts {
            return Err(Error::InvalidInput(format!(
                "the reading ends ({e}) before it starts ({starts})"
            )));
        }
    }
    if let Some((_, b)) = paragraphs {
        if b > essay_paragraphs {
            return Err(Error::InvalidInput(format!(
                "that essay has {}; the range goes to ¶{b}",
                crate::text::count(u64::from(essay_paragraphs), "paragraph", "paragraphs")
            )));
        }
    }
    Ok(())
}

/// Today in the circle's time zone: its schedule's zone, else UTC.
pub fn circle_today(
    state: &crate::state::State,
    circle: &str,
    now: jiff::Timestamp,
) -> Result<Date> {
    let zone = match circle.parse::<u64>() {
        Ok(guild) => state.schedule(guild)?.map(|s| s.time_zone),
        Err(_) => None,
    };
    let tz = match zone {
        Some(z) => crate::schedule::parse_zone(&z)?,
        None => jiff::tz::TimeZone::UTC,
    };
    Ok(now.to_zoned(tz).date())
}

/// The circle's reading on `day` (a day in its time zone), if any.
pub fn reading_on(
    state: &crate::state::State,
    circle: &str,
    day: Date,
) -> Result<Option<PlanEntry>> {
    let plan = state.reading_plan(&crate::circle::key(circle))?;
    Ok(current(&plan, day).cloned())
}

/// The circle's reading today, in its time zone, if any.
pub fn current_reading(
    state: &crate::state::State,
    circle: &str,
    now: jiff::Timestamp,
) -> Result<Option<PlanEntry>> {
    reading_on(state, circle, circle_today(state, circle, now)?)
}

/// Narrow a quote request to a plan entry: its essay, and its paragraphs
/// (every other paragraph of the essay is excluded).
pub fn narrow_quotes(
    req: &mut crate::search::quote::QuoteRequest,
    entry: &PlanEntry,
    essay_paragraphs: u32,
) {
    req.essay = Some(entry.essay.clone());
    if entry.paragraphs.is_some() {
        req.exclude.extend(
            (1..=essay_paragraphs)
                .filter(|n| !entry.covers(*n))
                .map(|n| (entry.essay.clone(), n)),
        );
    }
}

/// Add an entry to a circle's plan, validated against the essay the circle
/// sees. Returns the stored entry.
#[allow(clippy::too_many_arguments)]
pub fn add_entry(
    state: &crate::state::State,
    snap: &crate::library::Snapshot,
    circle: &str,
    essay: &str,
    starts: Option<&str>,
    ends: Option<&str>,
    paragraphs: Option<&str>,
    now: jiff::Timestamp,
) -> Result<PlanEntry> {
    let rec = &snap.essays()[snap.resolve_essay(essay)?];
    let starts = match starts {
        Some(s) => parse_day(s)?,
        None => circle_today(state, circle, now)?,
    };
    let ends = ends.map(parse_day).transpose()?;
    let paragraphs = paragraphs.map(parse_paragraphs).transpose()?;
    validate(starts, ends, paragraphs, rec.paragraphs)?;
    let mut entry = PlanEntry {
        id: 0,
        essay: rec.meta.id.clone(),
        starts,
        ends,
        paragraphs,
    };
    entry.id = state.add_reading(&crate::circle::key(circle), &entry)?;
    Ok(entry)
}

/// The plan as lines, the current entry marked with ▶.
pub fn describe(
    plan: &[PlanEntry],
    today: Date,
    title_of: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let now = current(plan, today).map(|e| e.id);
    plan.iter()
        .map(|e| {
            let title = title_of(&e.essay)
                .unwrap_or_else(|| format!("{} (no longer in the library)", e.essay));
            let until = e
                .ends
                .map(|d| format!(" to {d}"))
                .unwrap_or_else(|| " onwards".into());
            let range = e.range_label();
            format!(
                "{}#{} {}{}{} — from {}{}",
                if Some(e.id) == now { "▶ " } else { "" },
                e.id,
                title,
                if range.is_empty() { "" } else { ", " },
                range,
                e.starts,
                until
            )
        })
        .collect()
}

/// Narrow a prompt pool to a plan entry: prompts anchored in its essay and
/// its paragraphs.
pub fn narrow_prompts(pool: &mut Vec<crate::prompts::Prompt>, entry: &PlanEntry) {
    pool.retain(|p| p.essay_id == entry.essay && entry.covers(p.paragraph));
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn entry(id: i64, starts: Date, ends: Option<Date>) -> PlanEntry {
        PlanEntry {
            id,
            essay: format!("e{id}"),
            starts,
            ends,
            paragraphs: None,
        }
    }

    #[test]
    fn the_latest_started_current_entry_wins() {
        let plan = [
            entry(1, date(2026, 1, 1), None),
            entry(2, date(2026, 2, 1), Some(date(2026, 2, 14))),
        ];
        assert_eq!(current(&plan, date(2025, 12, 31)), None);
        assert_eq!(current(&plan, date(2026, 1, 20)).unwrap().id, 1);
        assert_eq!(current(&plan, date(2026, 2, 14)).unwrap().id, 2);
        assert_eq!(current(&plan, date(2026, 2, 15)).unwrap().id, 1);
    }

    #[test]
    fn organiser_input_is_checked() {
        assert_eq!(parse_paragraphs("3-10").unwrap(), (3, 10));
        assert_eq!(parse_paragraphs("¶7").unwrap(), (7, 7));
        assert_eq!(parse_paragraphs("4–6").unwrap(), (4, 6));
        for bad in ["0", "10-3", "x", "3-", ""] {
            assert!(parse_paragraphs(bad).is_err(), "{bad}");
        }
        assert!(parse_day("2026-02-30").is_err());
        assert!(validate(date(2026, 2, 2), Some(date(2026, 2, 1)), None, 9).is_err());
        assert!(validate(date(2026, 2, 2), None, Some((3, 12)), 9).is_err());
        assert!(validate(date(2026, 2, 2), None, Some((3, 9)), 9).is_ok());
    }
}
