//! The library's data model: essays, their metadata, paragraphs and sentences.

use serde::{Deserialize, Serialize};

/// A (possibly partial) calendar date: a year, a year and month, or a full day.
///
/// Sources often give only a year ("1580"); we keep exactly what they say rather
/// than inventing a month or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartialDate {
    /// Four-digit year.
    pub year: i16,
    /// 1-12 when known.
    pub month: Option<i8>,
    /// 1-31 when known (only with a month).
    pub day: Option<i8>,
}

impl PartialDate {
    /// A full day.
    pub fn ymd(year: i16, month: i8, day: i8) -> Self {
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// ISO form: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }
}

/// Whether a speaker asks or answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerRole {
    /// Asks the questions (their turns are not the author's claims).
    Interviewer,
    /// Answers them; cited as the author of an interview.
    Interviewee,
}

/// One participant of an interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// Full name as the text gives it ("Leila al-Shami"), or the label when no
    /// fuller name is known ("WOZ").
    pub name: String,
    /// Interviewer or interviewee.
    pub role: SpeakerRole,
}

impl Speaker {
    /// A label that names an organisation, not a person: one word in
    /// capitals ("WOZ", the newspaper that conducted an interview).
    pub fn is_organisation(&self) -> bool {
        let name = self.name.trim();
        !name.contains(char::is_whitespace)
            && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && name.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
    }
}

/// A footnote, kept apart from the body and linked to its marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The marker's number (`[3]` is 3).
    pub number: u32,
    /// The note's text.
    pub text: String,
}

/// A sentence inside a paragraph, as byte offsets into the paragraph's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Start byte (inclusive).
    pub start: u32,
    /// End byte (exclusive).
    pub end: u32,
}

/// A numbered paragraph of an essay's cleaned body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// 1-based position in reading order: the citation locator.
    pub number: u32,
    /// The cleaned text (markup, speaker label and footnote markers removed).
    pub text: String,
    /// Sentences as byte ranges of `text`.
    pub sentences: Vec<Sentence>,
    /// Index into the essay's `speakers`, for interviews.
    pub speaker: Option<usize>,
    /// The heading of the section this paragraph is in.
    pub section: Option<String>,
    /// Footnote numbers whose markers stood in this paragraph.
    pub notes: Vec<u32>,
    /// In an interview: whether this turn answers (a claim of its speaker's,
    /// even an interviewer's when the roles turn) or asks. `None` for an
    /// essay's text, and for an interview's introduction (nobody's claim).
    #[serde(default)]
    pub turn: Option<SpeakerRole>,
}

impl Paragraph {
    /// A paragraph of plain text, split into sentences, with no speaker,
    /// section or notes.
    pub fn plain(number: u32, text: &str) -> Paragraph {
        Paragraph {
            number,
            text: text.to_string(),
            sentences: crate::text::sentences::split(text),
            speaker: None,
            section: None,
            notes: Vec::new(),
            turn: None,
        }
    }

    /// The text of sentences `from..to` (exclusive), verbatim.
    pub fn sentence_span(&self, from: usize, to: usize) -> &str {
        let start = self.sentences[from].start as usize;
        let end = self.sentences[to - 1].end as usize;
        &self.text[start..end]
    }

    /// The text of one sentence.
    pub fn sentence(&self, i: usize) -> &str {
        self.sentence_span(i, i + 1)
    }
}

/// Bibliographic facts about an essay. Unknown stays `None` or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EssayMeta {
    /// Stable identifier (front matter `id`, else derived from the file path).
    pub id: String,
    /// Title.
    pub title: String,
    /// Subtitle, deck or lede.
    pub subtitle: Option<String>,
    /// Authors from a byline, front matter or catalog, in order.
    pub authors: Vec<String>,
    /// Publication or site name.
    pub publication: Option<String>,
    /// Date of this publication.
    pub date: Option<PartialDate>,
    /// Date first published, when the text says it was published earlier.
    pub first_published: Option<PartialDate>,
    /// Source URL.
    pub url: Option<String>,
    /// The headline of the version at `url`, when the text is a republication
    /// under another headline (the URL's slug matches a line of the text).
    #[serde(default)]
    pub url_title: Option<String>,
    /// The date of the version at `url`, when the text's source note dates it
    /// (a republication keeps the original's URL and date).
    #[serde(default)]
    pub url_date: Option<PartialDate>,
    /// The cited title in sentence case (APA), proper nouns kept as the
    /// essay itself writes them.
    #[serde(default)]
    pub title_sentence_case: Option<String>,
    /// Collection (from front matter).
    pub collection: Option<String>,
    /// The reading circle (Discord server) whose organisers uploaded the
    /// essay: only that circle sees it. `None`: the shared library.
    #[serde(default)]
    pub owner: Option<String>,
    /// File the essay came from, relative to the library folder.
    pub source_path: String,
}

impl EssayMeta {
    /// The headline a citation gives: the one at the cited URL.
    pub fn cited_title(&self) -> &str {
        self.url_title.as_deref().unwrap_or(&self.title)
    }

    /// The date a citation gives: the one of the version at the cited URL.
    pub fn cited_date(&self) -> Option<PartialDate> {
        self.url_date.or(self.date)
    }
}

/// A whole essay or interview, cleaned and segmented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Essay {
    /// Metadata.
    pub meta: EssayMeta,
    /// Interview participants; empty for essays.
    pub speakers: Vec<Speaker>,
    /// The body in reading order, numbered from 1.
    pub paragraphs: Vec<Paragraph>,
    /// Footnotes.
    pub notes: Vec<Note>,
}

impl Essay {
    /// True when the text is an interview (has speakers).
    pub fn is_interview(&self) -> bool {
        !self.speakers.is_empty()
    }

    /// The people an interview is cited under: its interviewees.
    pub fn interviewees(&self) -> Vec<String> {
        self.speakers
            .iter()
            .filter(|s| s.role == SpeakerRole::Interviewee)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The people who ask the questions.
    pub fn interviewers(&self) -> Vec<String> {
        self.speakers
            .iter()
            .filter(|s| s.role == SpeakerRole::Interviewer)
            .map(|s| s.name.clone())
            .collect()
    }

    /// Paragraph by its 1-based number.
    pub fn paragraph(&self, number: u32) -> Option<&Paragraph> {
        self.paragraphs.get((number as usize).checked_sub(1)?)
    }

    /// Speaker name of a paragraph.
    pub fn speaker_of(&self, p: &Paragraph) -> Option<&str> {
        p.speaker
            .and_then(|i| self.speakers.get(i))
            .map(|s| s.name.as_str())
    }
}

/// One entry of a reading plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEntry {
    /// Row id (what `/reading remove` takes).
    pub id: i64,
    /// The essay's id.
    pub essay: String,
    /// First day, in the circle's time zone.
    pub starts: jiff::civil::Date,
    /// Last day (inclusive); `None`: open-ended.
    pub ends: Option<jiff::civil::Date>,
    /// Only these paragraphs, inclusive; `None`: the whole essay.
    pub paragraphs: Option<(u32, u32)>,
}

impl PlanEntry {
    /// Whether the entry is being read on `today`.
    pub fn is_current(&self, today: jiff::civil::Date) -> bool {
        self.starts <= today && self.ends.is_none_or(|e| today <= e)
    }

    /// Whether paragraph `n` is part of the entry.
    pub fn covers(&self, n: u32) -> bool {
        self.paragraphs.is_none_or(|(a, b)| a <= n && n <= b)
    }

    /// "¶3–10" or "" for the whole essay.
    pub fn range_label(&self) -> String {
        match self.paragraphs {
            Some((a, b)) if a == b => format!("¶{a}"),
            Some((a, b)) => format!("¶{a}–{b}"),
            None => String::new(),
        }
    }
}

/// What we keep in memory about an essay (its paragraphs stay in the index).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EssayRecord {
    /// Metadata.
    pub meta: EssayMeta,
    /// Interview participants.
    pub speakers: Vec<Speaker>,
    /// Footnotes.
    pub notes: Vec<Note>,
    /// Number of paragraphs.
    pub paragraphs: u32,
    /// Bytes of body text.
    pub text_bytes: u64,
}

impl EssayRecord {
    /// From a parsed essay.
    pub fn from_essay(e: &Essay) -> Self {
        EssayRecord {
            meta: e.meta.clone(),
            speakers: e.speakers.clone(),
            notes: e.notes.clone(),
            paragraphs: e.paragraphs.len() as u32,
            text_bytes: e.paragraphs.iter().map(|p| p.text.len() as u64).sum(),
        }
    }

    /// True for an interview.
    pub fn is_interview(&self) -> bool {
        !self.speakers.is_empty()
    }

    /// The authors as a reader sees them ("Leila al-Shami and Oleksandr
    /// Kyselov"); `None` when unknown.
    pub fn byline(&self) -> Option<String> {
        match self.meta.authors.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
        }
    }

    /// Who a listing credits: the authors, and for an interview who
    /// conducted it ("Leila al-Shami and Oleksandr Kyselov, interviewed by
    /// WOZ"). "unknown author" when the text names nobody.
    pub fn credit_line(&self) -> String {
        let interviewers: Vec<&str> = self
            .speakers
            .iter()
            .filter(|s| s.role == SpeakerRole::Interviewer)
            .map(|s| s.name.as_str())
            .collect();
        let by = self.byline().unwrap_or_else(|| "unknown author".into());
        match interviewers.as_slice() {
            [] => by,
            [one] => format!("{by}, interviewed by {one}"),
            [rest @ .., last] => format!("{by}, interviewed by {} and {last}", rest.join(", ")),
        }
    }

    /// Speaker name by index.
    pub fn speaker_name(&self, i: Option<usize>) -> Option<&str> {
        i.and_then(|i| self.speakers.get(i))
            .map(|s| s.name.as_str())
    }
}
