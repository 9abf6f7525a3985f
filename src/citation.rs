//! Citations in MLA 9, APA 7 and Chicago 17 (notes), with a paragraph locator.
//!
//! Interviews are cited under their interviewees, with the interviewer named
//! as each style asks. Missing authors and dates are handled as each style
//! prescribes: the title moves to the author position; MLA and Chicago add an
//! access date, APA writes "n.d.".

use crate::ingest::names::PersonName;
use crate::model::PartialDate;
use crate::store::EssayRecord;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A citation style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// MLA 9th edition.
    #[default]
    Mla,
    /// APA 7th edition.
    Apa,
    /// Chicago 17th edition, notes and bibliography.
    Chicago,
}

impl FromStr for Style {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "mla" => Ok(Style::Mla),
            "apa" => Ok(Style::Apa),
            "chicago" | "cmos" => Ok(Style::Chicago),
            other => Err(crate::Error::InvalidInput(format!(
                "unknown citation style `{other}`: use mla, apa or chicago"
            ))),
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Style::Mla => "mla",
            Style::Apa => "apa",
            Style::Chicago => "chicago",
        })
    }
}

/// A formatted citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The style used.
    pub style: Style,
    /// Works-cited / reference-list / bibliography entry.
    pub reference: String,
    /// In-text citation (MLA, APA) or the full note (Chicago), with the locator.
    pub in_text: String,
    /// What to show under a quote: the entry and, for MLA and APA, the in-text form.
    pub full: String,
    /// When the passage's speaker is not who the work is cited under (an
    /// interviewer answering in an interview catalogued under the
    /// interviewee): the signal phrase that names them, "Ilya Matveev, in an
    /// interview with Leila al-Shami". MLA and APA put it before the quote
    /// and keep the entry's in-text form; the Chicago note opens with it.
    pub signal: Option<String>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn mla_month(m: i8) -> String {
    let name = MONTHS[(m - 1) as usize];
    // MLA abbreviates months longer than four letters.
    if name.len() <= 4 {
        name.to_string()
    } else if name == "September" {
        "Sept.".into()
    } else {
        format!("{}.", &name[..3])
    }
}

fn mla_date(d: &PartialDate) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{} {} {}", day, mla_month(m), d.year),
        (Some(m), None) => format!("{} {}", mla_month(m), d.year),
        _ => d.year.to_string(),
    }
}

fn long_date(d: &PartialDate) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{} {}, {}", MONTHS[(m - 1) as usize], day, d.year),
        (Some(m), None) => format!("{} {}", MONTHS[(m - 1) as usize], d.year),
        _ => d.year.to_string(),
    }
}

fn apa_date(d: Option<&PartialDate>) -> String {
    match d {
        Some(d) => match (d.month, d.day) {
            (Some(m), Some(day)) => format!("{}, {} {}", d.year, MONTHS[(m - 1) as usize], day),
            (Some(m), None) => format!("{}, {}", d.year, MONTHS[(m - 1) as usize]),
            _ => d.year.to_string(),
        },
        None => "n.d.".into(),
    }
}

/// Put a title in quotation marks followed by `punct`, keeping a title's own
/// ? or ! inside in place of the punctuation.
fn quoted_title(title: &str, punct: &str) -> String {
    let t = title.trim();
    let bare = t.trim_end_matches(['\u{2019}', '\u{201d}', '\'', '"']);
    if bare.ends_with(['?', '!', '.']) {
        format!("\u{201c}{t}\u{201d}")
    } else {
        format!("\u{201c}{t}{punct}\u{201d}")
    }
}

fn end_with_period(s: &str) -> String {
    let t = s.trim_end();
    let bare = t.trim_end_matches(['\u{2019}', '\u{201d}', '\'', '"']);
    if bare.ends_with(['.', '?', '!']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn join_natural(names: &[String]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        2 => format!("{} and {}", names[0], names[1]),
        _ => format!(
            "{}, and {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        ),
    }
}

/// The people a work is cited under: for an interview, the interviewee who
/// spoke the passage (or all interviewees), else the authors.
pub fn credited(rec: &EssayRecord, speaker: Option<&str>) -> Vec<String> {
    if let Some(s) = rec
        .speakers
        .iter()
        .find(|s| Some(s.name.as_str()) == speaker)
    {
        if s.role == crate::model::SpeakerRole::Interviewee {
            return vec![s.name.clone()];
        }
    }
    let interviewees: Vec<String> = rec
        .speakers
        .iter()
        .filter(|s| s.role == crate::model::SpeakerRole::Interviewee)
        .map(|s| s.name.clone())
        .collect();
    if !interviewees.is_empty() {
        interviewees
    } else {
        rec.meta.authors.clone()
    }
}

fn interviewers(rec: &EssayRecord) -> Vec<String> {
    rec.speakers
        .iter()
        .filter(|s| s.role == crate::model::SpeakerRole::Interviewer)
        .map(|s| s.name.clone())
        .collect()
}

/// Format a citation of paragraph `paragraph` of an essay, spoken by
/// `speaker` in an interview. `accessed` is used where a style asks for an
/// access date (no publication date).
pub fn cite(
    rec: &EssayRecord,
    paragraph: u32,
    speaker: Option<&str>,
    style: Style,
    accessed: jiff::civil::Date,
) -> Citation {
    let credited_names = credited(rec, speaker);
    let people: Vec<PersonName> = credited_names
        .iter()
        .map(|n| PersonName::parse(n))
        .collect();
    // A participant quoted inside a work catalogued under someone else.
    let participant = speaker.filter(|s| !credited_names.iter().any(|c| c == s));
    let signal = participant.map(|s| {
        if credited_names.is_empty() {
            s.to_string()
        } else {
            format!(
                "{s}, in an interview with {}",
                join_natural(&credited_names)
            )
        }
    });
    let m = &rec.meta;
    let title = m.title.trim();
    let site = m.publication.as_deref().or(m.collection.as_deref());
    let accessed = PartialDate::ymd(accessed.year(), accessed.month(), accessed.day());
    let interviewers = interviewers(rec);
    match style {
        Style::Mla => {
            let author = match people.len() {
                0 => None,
                1 => Some(people[0].inverted()),
                2 => Some(format!(
                    "{}, and {}",
                    people[0].inverted(),
                    people[1].natural()
                )),
                _ => Some(format!("{}, et al", people[0].inverted())),
            };
            let mut parts: Vec<String> = Vec::new();
            if let Some(a) = &author {
                parts.push(end_with_period(a));
            }
            parts.push(quoted_title(title, "."));
            if !interviewers.is_empty() {
                parts.push(format!("Interview by {}.", join_natural(&interviewers)));
            }
            let mut container: Vec<String> = Vec::new();
            if let Some(s) = site {
                container.push(s.to_string());
            }
            if let Some(d) = &m.date {
                container.push(mla_date(d));
            }
            if let Some(u) = &m.url {
                container.push(
                    u.trim_start_matches("https://")
                        .trim_start_matches("http://")
                        .to_string(),
                );
            }
            if !container.is_empty() {
                parts.push(end_with_period(&container.join(", ")));
            }
            // An access date dates an online source; with no URL there is
            // nothing it was accessed at.
            if m.date.is_none() && m.url.is_some() {
                parts.push(format!("Accessed {}.", mla_date(&accessed)));
            }
            let reference = parts.join(" ");
            let short = match people.len() {
                // MLA: the comma goes inside the quotation marks.
                0 => quoted_title(&short_title(title), ","),
                1 => people[0].surname.clone(),
                2 => format!("{} and {}", people[0].surname, people[1].surname),
                _ => format!("{} et al.", people[0].surname),
            };
            let in_text = if people.is_empty() {
                format!("({short} par. {paragraph})")
            } else {
                format!("({short}, par. {paragraph})")
            };
            Citation {
                style,
                full: with_signal(&reference, signal.as_deref(), &in_text),
                reference,
                in_text,
                signal,
            }
        }
        Style::Apa => {
            let authors: Vec<String> = people.iter().map(PersonName::apa).collect();
            let author = match authors.len() {
                0 => None,
                1 => Some(authors[0].clone()),
                2 => Some(format!("{}, & {}", authors[0], authors[1])),
                n if n <= 20 => Some(format!(
                    "{}, & {}",
                    authors[..n - 1].join(", "),
                    authors[n - 1]
                )),
                _ => Some(authors[0].clone()),
            };
            let date = apa_date(m.date.as_ref());
            let mut reference = match &author {
                Some(a) => format!(
                    "{} ({}). {}",
                    end_with_period(a).trim_end_matches(".."),
                    date,
                    end_with_period(title)
                ),
                None => format!("{} ({}).", end_with_period(title), date),
            };
            if !interviewers.is_empty() {
                reference.push_str(&format!(" [Interview by {}].", join_natural(&interviewers)));
            }
            if let Some(s) = site {
                reference.push(' ');
                reference.push_str(&end_with_period(s));
            }
            if let Some(u) = &m.url {
                reference.push(' ');
                reference.push_str(u);
            }
            let year = m
                .date
                .map(|d| d.year.to_string())
                .unwrap_or_else(|| "n.d.".into());
            let who = match people.len() {
                0 => quoted_title(&short_title(title), ""),
                1 => people[0].surname.clone(),
                2 => format!("{} & {}", people[0].surname, people[1].surname),
                _ => format!("{} et al.", people[0].surname),
            };
            let in_text = format!("({who}, {year}, para. {paragraph})");
            Citation {
                style,
                full: with_signal(&reference, signal.as_deref(), &in_text),
                reference,
                in_text,
                signal,
            }
        }
        Style::Chicago => {
            let names: Vec<String> = people.iter().map(PersonName::natural).collect();
            let mut note: Vec<String> = Vec::new();
            // The note names the speaker first: "Ilya Matveev, in Leila
            // al-Shami, “…,” interview by …".
            if let Some(p) = participant {
                note.push(format!("{p}, in"));
            }
            let author = match names.len() {
                0 => None,
                1..=3 => Some(join_natural(&names)),
                _ => Some(format!("{} et al.", names[0])),
            };
            if let Some(a) = &author {
                note.push(a.clone());
            }
            note.push(quoted_title(title, ","));
            if !interviewers.is_empty() {
                note.push(format!("interview by {}", join_natural(&interviewers)));
            }
            if let Some(s) = site {
                note.push(s.to_string());
            }
            match &m.date {
                Some(d) => note.push(long_date(d)),
                None if m.url.is_some() => note.push(format!("accessed {}", long_date(&accessed))),
                None => {}
            }
            note.push(format!("par. {paragraph}"));
            if let Some(u) = &m.url {
                note.push(u.clone());
            }
            // A quoted title already carries its comma inside the quotes.
            let mut text = String::new();
            for (i, part) in note.iter().enumerate() {
                if i > 0 {
                    let prev = &note[i - 1];
                    if prev.ends_with('\u{201d}') || prev.ends_with(", in") {
                        text.push(' ');
                    } else {
                        text.push_str(", ");
                    }
                }
                text.push_str(part);
            }
            let in_text = end_with_period(&text);
            // Bibliography entry: inverted first author, periods between parts.
            let mut bib: Vec<String> = Vec::new();
            if !people.is_empty() {
                let mut first = people[0].inverted();
                let rest: Vec<String> = people[1..].iter().map(PersonName::natural).collect();
                if !rest.is_empty() {
                    first = format!("{first}, and {}", rest.join(", "));
                }
                bib.push(end_with_period(&first));
            }
            bib.push(quoted_title(title, "."));
            if !interviewers.is_empty() {
                bib.push(format!("Interview by {}.", join_natural(&interviewers)));
            }
            let mut tail: Vec<String> = Vec::new();
            if let Some(s) = site {
                tail.push(s.to_string());
            }
            match &m.date {
                Some(d) => tail.push(long_date(d)),
                None if m.url.is_some() => tail.push(format!("Accessed {}", long_date(&accessed))),
                None => {}
            }
            if let Some(u) = &m.url {
                tail.push(u.clone());
            }
            bib.push(end_with_period(&tail.join(". ")));
            let reference = bib.join(" ");
            Citation {
                style,
                full: format!("1. {in_text}"),
                reference,
                in_text,
                signal,
            }
        }
    }
}

/// The entry, then the in-text form, preceded by the signal phrase that
/// names a speaker who is not the work's author.
fn with_signal(reference: &str, signal: Option<&str>, in_text: &str) -> String {
    match signal {
        Some(s) => format!("{reference} {s} {in_text}"),
        None => format!("{reference} {in_text}"),
    }
}

/// A short title for in-text citations: up to the first colon, at most five
/// words, never ending on an article, preposition or conjunction ("Toward a
/// Modern Theory", not "Toward a Modern Theory of").
fn short_title(title: &str) -> String {
    const WEAK: &[&str] = &[
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
        "but", "nor", "as", "into", "about",
    ];
    let head = title.split(':').next().unwrap_or(title);
    let mut words: Vec<&str> = head.split_whitespace().take(5).collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| WEAK.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    words.join(" ")
}
