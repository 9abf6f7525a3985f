//! Citations in MLA 9, APA 7 and Chicago 17 (notes), with a paragraph locator.
//!
//! Interviews are cited under their interviewees, with the interviewer named
//! as each style asks. Missing authors and dates are handled as each style
//! prescribes: the title moves to the author position; MLA and Chicago add an
//! access date, APA writes "n.d.".

use crate::ingest::names::PersonName;
use crate::model::EssayRecord;
use crate::model::PartialDate;
use crate::text::case::title_case;
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
    /// Works-cited / reference-list / bibliography entry, plain text.
    pub reference: String,
    /// In-text citation (MLA, APA) or the full note (Chicago), with the locator.
    pub in_text: String,
    /// What to show under a quote, plain text: the entry and, for MLA and
    /// APA, the in-text form; for Chicago the note.
    pub full: String,
    /// `full` as Markdown (Discord): the container in italics, every other
    /// Markdown character escaped.
    pub markdown: String,
    /// When the passage's speaker is not who the work is cited under (an
    /// interviewer answering in an interview catalogued under the
    /// interviewee): the signal phrase that names them, "Ilya Matveev, in an
    /// interview with Leila al-Shami". MLA and APA put it before the quote
    /// and keep the entry's in-text form; the Chicago note opens with it.
    pub signal: Option<String>,
    /// The parts the entry is made of, for programs.
    pub parts: CitationParts,
}

/// The facts a citation is built from, as fields (JSON output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitationParts {
    /// Who the entry is credited to, in natural order.
    pub authors: Vec<String>,
    /// The title as the style writes it (title or sentence case).
    pub title: String,
    /// The website or periodical the work appeared in (set in italics).
    pub container: Option<String>,
    /// The people who conducted an interview.
    pub interviewers: Vec<String>,
    /// Publication date of the cited version, ISO (`2024-01-29`, `2024-01`, `2024`).
    pub date: Option<String>,
    /// The cited version's URL.
    pub url: Option<String>,
    /// Access date, ISO, where the style asks for one (undated online source).
    pub accessed: Option<String>,
    /// The locator, "par. 14" (MLA, Chicago) or "para. 14" (APA).
    pub locator: String,
}

/// Marks around a span set in italics, while a citation is being built:
/// private-use characters that never occur in library metadata (ingest
/// keeps text as written, and these are not text).
const ITALIC_OPEN: char = '\u{E000}';
const ITALIC_CLOSE: char = '\u{E001}';

fn italic(s: &str) -> String {
    format!("{ITALIC_OPEN}{s}{ITALIC_CLOSE}")
}

/// The built text without italic marks.
fn plain(s: &str) -> String {
    s.replace([ITALIC_OPEN, ITALIC_CLOSE], "")
}

/// The built text as Markdown: Markdown characters escaped, italic marks as `*`.
fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            ITALIC_OPEN | ITALIC_CLOSE => out.push('*'),
            '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
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

const CLOSING_QUOTES: [char; 4] = ['\u{2019}', '\u{201d}', '\'', '"'];

/// Put a title in quotation marks with `punct` inside them (American
/// style). A title that ends in its own ? or ! keeps it and takes no
/// comma or period (CMOS 6.119, MLA 6.41); a final period of its own gives
/// way to `punct` ("…Mass Slaughter,’” in a note).
fn quoted_title(title: &str, punct: &str) -> String {
    let t = title.trim();
    let bare = t.trim_end_matches(CLOSING_QUOTES);
    let closers = &t[bare.len()..];
    if bare.ends_with(['?', '!']) {
        format!("\u{201c}{t}\u{201d}")
    } else {
        let bare = bare.strip_suffix('.').unwrap_or(bare);
        format!("\u{201c}{bare}{punct}{closers}\u{201d}")
    }
}

fn end_with_period(s: &str) -> String {
    let t = s.trim_end();
    let bare = t.trim_end_matches(CLOSING_QUOTES);
    let bare = bare.trim_end_matches(ITALIC_CLOSE);
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

/// The people who conducted an interview. A newspaper that conducted it
/// ("WOZ") is not a person: the styles' "interview by" names people, and
/// the interview is still cited under the interviewees and its container.
fn interviewers(rec: &EssayRecord) -> Vec<String> {
    rec.speakers
        .iter()
        .filter(|s| s.role == crate::model::SpeakerRole::Interviewer && !s.is_organisation())
        .map(|s| s.name.clone())
        .collect()
}

/// Everything a style needs, read once from the record.
struct Facts<'a> {
    people: Vec<PersonName>,
    credited: Vec<String>,
    participant: Option<&'a str>,
    signal: Option<String>,
    /// The cited headline, as written.
    title: &'a str,
    container: Option<&'a str>,
    date: Option<PartialDate>,
    url: Option<&'a str>,
    accessed: PartialDate,
    interviewers: Vec<String>,
    /// The work is an interview (it has speakers).
    interview: bool,
}

/// Format a citation of paragraph `paragraph` of an essay, spoken by
/// `speaker` in an interview. `accessed` is used where a style asks for an
/// access date (an undated online source).
pub fn cite(
    rec: &EssayRecord,
    paragraph: u32,
    speaker: Option<&str>,
    style: Style,
    accessed: jiff::civil::Date,
) -> Citation {
    let credited_names = credited(rec, speaker);
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
    let facts = Facts {
        people: credited_names
            .iter()
            .map(|n| PersonName::parse(n))
            .collect(),
        credited: credited_names.clone(),
        participant,
        signal,
        title: m.cited_title().trim(),
        container: m.publication.as_deref().or(m.collection.as_deref()),
        date: m.cited_date(),
        url: m.url.as_deref(),
        accessed: PartialDate::ymd(accessed.year(), accessed.month(), accessed.day()),
        interviewers: interviewers(rec),
        interview: !rec.speakers.is_empty(),
    };
    let (title, built) = match style {
        Style::Mla => {
            let title = title_case(facts.title);
            let b = mla(&facts, &title, paragraph);
            (title, b)
        }
        Style::Apa => {
            let title = m
                .title_sentence_case
                .clone()
                .unwrap_or_else(|| facts.title.to_string());
            let b = apa(&facts, &title, &title_case(facts.title), paragraph);
            (title, b)
        }
        Style::Chicago => {
            let title = title_case(facts.title);
            let b = chicago(&facts, &title, paragraph);
            (title, b)
        }
    };
    let undated_online = facts.date.is_none() && facts.url.is_some();
    Citation {
        style,
        reference: plain(&built.reference),
        in_text: plain(&built.in_text),
        full: plain(&built.full),
        markdown: markdown(&built.full),
        signal: facts.signal.clone(),
        parts: CitationParts {
            authors: facts.credited.clone(),
            title,
            container: facts.container.map(str::to_string),
            interviewers: facts.interviewers.clone(),
            date: facts.date.map(|d| d.iso()),
            url: facts.url.map(str::to_string),
            accessed: undated_online.then(|| facts.accessed.iso()),
            locator: match style {
                Style::Apa => format!("para. {paragraph}"),
                _ => format!("par. {paragraph}"),
            },
        },
    }
}

/// A citation's three texts while italics are still marks.
struct Built {
    reference: String,
    in_text: String,
    full: String,
}

/// MLA 9: Author. “Title.” Interview by X. *Container*, date, URL. Accessed …
fn mla(f: &Facts, title: &str, paragraph: u32) -> Built {
    let people = &f.people;
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
    if !f.interviewers.is_empty() {
        parts.push(format!("Interview by {}.", join_natural(&f.interviewers)));
    }
    let mut container: Vec<String> = Vec::new();
    if let Some(s) = f.container {
        container.push(italic(s));
    }
    if let Some(d) = &f.date {
        container.push(mla_date(d));
    }
    if let Some(u) = f.url {
        container.push(
            u.trim_start_matches("https://")
                .trim_start_matches("http://")
                .to_string(),
        );
    }
    if !container.is_empty() {
        parts.push(end_with_period(&container.join(", ")));
    }
    // An access date dates an online source; with no URL there is nothing
    // it was accessed at.
    if f.date.is_none() && f.url.is_some() {
        parts.push(format!("Accessed {}.", mla_date(&f.accessed)));
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
    Built {
        full: with_signal(&reference, f.signal.as_deref(), &in_text),
        reference,
        in_text,
    }
}

/// APA 7: Author. (Date). Title in sentence case [Interview by X].
/// *Container*. URL
fn apa(f: &Facts, title: &str, title_in_text: &str, paragraph: u32) -> Built {
    let authors: Vec<String> = f.people.iter().map(PersonName::apa).collect();
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
    let date = apa_date(f.date.as_ref());
    // An interview names its interviewers after the title, as APA names
    // contributors who are not authors: "(G. Levy & I. Matveev,
    // Interviewers)"; with none named, a bracketed description says what
    // the work is.
    let described = if !f.interviewers.is_empty() {
        let names: Vec<String> = f
            .interviewers
            .iter()
            .map(|n| PersonName::parse(n).apa_initials_first())
            .collect();
        let (names, role) = match names.len() {
            1 => (names[0].clone(), "Interviewer"),
            n => (
                format!("{} & {}", names[..n - 1].join(", "), names[n - 1]),
                "Interviewers",
            ),
        };
        format!("{} ({names}, {role})", title.trim())
    } else if f.interview {
        format!("{} [Interview]", title.trim())
    } else {
        title.trim().to_string()
    };
    let mut reference = match &author {
        Some(a) => format!(
            "{} ({}). {}",
            end_with_period(a).trim_end_matches(".."),
            date,
            end_with_period(&described)
        ),
        // No author: the title moves to the author's place.
        None => format!("{} ({}).", end_with_period(&described), date),
    };
    if let Some(s) = f.container {
        reference.push(' ');
        reference.push_str(&end_with_period(&italic(s)));
    }
    if let Some(u) = f.url {
        reference.push(' ');
        reference.push_str(u);
    }
    let year = f
        .date
        .map(|d| d.year.to_string())
        .unwrap_or_else(|| "n.d.".into());
    let who = match f.people.len() {
        // No author: the title in title case and quotation marks, its
        // comma inside them.
        0 => quoted_title(&short_title(title_in_text), ","),
        1 => format!("{},", f.people[0].surname),
        2 => format!("{} & {},", f.people[0].surname, f.people[1].surname),
        _ => format!("{} et al.,", f.people[0].surname),
    };
    let in_text = format!("({who} {year}, para. {paragraph})");
    Built {
        full: with_signal(&reference, f.signal.as_deref(), &in_text),
        reference,
        in_text,
    }
}

/// Chicago 17, notes and bibliography.
fn chicago(f: &Facts, title: &str, paragraph: u32) -> Built {
    let names: Vec<String> = f.people.iter().map(PersonName::natural).collect();
    let mut note: Vec<String> = Vec::new();
    // The note names the speaker first: "Ilya Matveev, in Leila al-Shami,
    // “…,” interview by …".
    if let Some(p) = f.participant {
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
    if !f.interviewers.is_empty() {
        note.push(format!("interview by {}", join_natural(&f.interviewers)));
    }
    if let Some(s) = f.container {
        note.push(italic(s));
    }
    // Undated: an online source gives its access date, a work in a
    // publication "n.d." (CMOS 14.175); a text known by its title alone
    // gets neither.
    match &f.date {
        Some(d) => note.push(long_date(d)),
        None if f.url.is_some() => note.push(format!("accessed {}", long_date(&f.accessed))),
        None if f.container.is_some() => note.push("n.d.".into()),
        None => {}
    }
    note.push(format!("par. {paragraph}"));
    if let Some(u) = f.url {
        note.push(u.to_string());
    }
    // A quoted title carries its comma inside the quotes (or ends on its
    // own ? or !, which takes none).
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
    if !f.people.is_empty() {
        let mut first = f.people[0].inverted();
        let rest: Vec<String> = f.people[1..].iter().map(PersonName::natural).collect();
        if !rest.is_empty() {
            first = format!("{first}, and {}", rest.join(", "));
        }
        bib.push(end_with_period(&first));
    }
    bib.push(quoted_title(title, "."));
    if !f.interviewers.is_empty() {
        bib.push(format!("Interview by {}.", join_natural(&f.interviewers)));
    }
    // The container and its date are one part ("*New Yorker*, April 17,
    // 2017."); an access date and the URL are parts of their own.
    let mut published: Vec<String> = Vec::new();
    if let Some(s) = f.container {
        published.push(italic(s));
    }
    match &f.date {
        Some(d) => published.push(long_date(d)),
        None if f.url.is_some() || f.container.is_none() => {}
        None => published.push("n.d.".into()),
    }
    if !published.is_empty() {
        bib.push(end_with_period(&published.join(", ")));
    }
    if f.date.is_none() && f.url.is_some() {
        bib.push(format!("Accessed {}.", long_date(&f.accessed)));
    }
    if let Some(u) = f.url {
        bib.push(end_with_period(u));
    }
    Built {
        full: format!("1. {in_text}"),
        reference: bib.join(" "),
        in_text,
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
