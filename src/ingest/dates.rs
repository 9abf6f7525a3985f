//! Parsing the date formats found in scraped essays and front matter.

use crate::model::PartialDate;
use regex::Regex;
use std::sync::LazyLock;

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month number (1-12) of an English month name or its abbreviation.
pub fn month_number(name: &str) -> Option<i8> {
    let n = name.trim_end_matches('.').to_lowercase();
    if n.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&n) && (n.len() >= 3))
        .filter(|&i| n.len() == MONTHS[i].len() || n.len() <= 4)
        .map(|i| (i + 1) as i8)
}

static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b").unwrap()
});
static MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b").unwrap()
});
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$").unwrap());
static MY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^([A-Za-z]{3,9})\.?\s+(\d{4})$").unwrap());

fn valid(year: i32, month: i32, day: i32) -> Option<PartialDate> {
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    jiff::civil::Date::new(year as i16, month as i8, day as i8).ok()?;
    Some(PartialDate::ymd(year as i16, month as i8, day as i8))
}

/// Find the first date in free text: "Friday 1 May 2026", "December 16, 2016",
/// "29 Jan 2024".
pub fn find_date(text: &str) -> Option<PartialDate> {
    let dmy = DMY.captures(text).and_then(|c| {
        let m = month_number(&c[2])?;
        Some((
            c.get(0)?.start(),
            valid(c[3].parse().ok()?, m as i32, c[1].parse().ok()?)?,
        ))
    });
    let mdy = MDY.captures(text).and_then(|c| {
        let m = month_number(&c[1])?;
        Some((
            c.get(0)?.start(),
            valid(c[3].parse().ok()?, m as i32, c[2].parse().ok()?)?,
        ))
    });
    match (dmy, mdy) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

/// Parse a whole string as a date: ISO (`1787-10-27`, `1580`), "May 2024", or
/// any form [`find_date`] knows.
pub fn parse_date(text: &str) -> Option<PartialDate> {
    let t = text.trim().trim_matches('"');
    if let Some(c) = ISO.captures(t) {
        let year: i16 = c[1].parse().ok()?;
        return match (c.get(2), c.get(3)) {
            (Some(m), Some(d)) => valid(
                year as i32,
                m.as_str().parse().ok()?,
                d.as_str().parse().ok()?,
            ),
            (Some(m), None) => {
                let m: i8 = m.as_str().parse().ok()?;
                (1..=12).contains(&m).then_some(PartialDate {
                    year,
                    month: Some(m),
                    day: None,
                })
            }
            _ => Some(PartialDate {
                year,
                month: None,
                day: None,
            }),
        };
    }
    if let Some(c) = MY.captures(t) {
        let m = month_number(&c[1])?;
        return Some(PartialDate {
            year: c[2].parse().ok()?,
            month: Some(m),
            day: None,
        });
    }
    find_date(t)
}

/// True when the whole line is just a date (optionally with a weekday).
pub fn is_date_line(line: &str) -> bool {
    let t = line.trim().trim_end_matches('.');
    t.len() <= 40 && find_date(t).is_some() && t.split_whitespace().count() <= 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scraped_forms() {
        assert_eq!(
            find_date("Publication date: Friday 1 May 2026"),
            Some(PartialDate::ymd(2026, 5, 1))
        );
        assert_eq!(
            find_date("Left East. December 16, 2016:"),
            Some(PartialDate::ymd(2016, 12, 16))
        );
        assert_eq!(
            find_date("Resistance. 29 Jan 2024 :"),
            Some(PartialDate::ymd(2024, 1, 29))
        );
        assert_eq!(
            parse_date("1787-10-27"),
            Some(PartialDate::ymd(1787, 10, 27))
        );
        assert_eq!(parse_date("1580").unwrap().iso(), "1580");
        assert_eq!(find_date("31 February 2024"), None);
        assert_eq!(find_date("on 3 may we met 2024 people"), None);
    }
}
