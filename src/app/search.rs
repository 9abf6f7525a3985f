//! Quote and cite: the search use cases.

use super::App;
use crate::citation::{Citation, Style};
use crate::error::Result;
use crate::search::cite::{self, CiteResult, Suggestion};
use crate::search::quote::{self, Quote, QuoteRequest};
use crate::search::verdict::{Difference, Verdict};
use serde::Serialize;

/// What a member asks `quote` for.
#[derive(Debug, Clone, Default)]
pub struct QuoteQuery {
    /// The topic, in plain words.
    pub topic: String,
    /// Only this essay (id or part of its title).
    pub essay: Option<String>,
    /// Only this speaker (interviews).
    pub speaker: Option<String>,
    /// How many quotes (1 to [`quote::MAX_LIMIT`]).
    pub limit: usize,
    /// The whole library, not only the circle's current reading.
    pub whole_library: bool,
    /// Paragraphs already shown (essay id, number): "another quote".
    pub exclude: Vec<(String, u32)>,
    /// Citation style (default: the configured one).
    pub style: Option<Style>,
}

/// Quotes, best first, each complete (text, speaker, byline, URL, locator,
/// citation), and the scope they were drawn from.
#[derive(Debug, Clone)]
pub struct QuoteAnswer {
    /// The quotes (empty: nothing in scope matches the topic).
    pub quotes: Vec<Quote>,
    /// The essay the search was limited to: the one asked for, or the
    /// circle's current reading.
    pub essay: Option<String>,
    /// The speaker asked for.
    pub speaker: Option<String>,
}

/// Where a passage is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Where {
    /// Essay id.
    pub essay_id: String,
    /// Essay title.
    pub title: String,
    /// Who says it (interviews).
    pub speaker: Option<String>,
    /// Paragraph of the match's start (the locator).
    pub paragraph: u32,
    /// The library's words, verbatim.
    pub text: String,
}

/// A quote found with its meaning kept.
#[derive(Debug, Clone)]
pub struct Found {
    /// The passage.
    pub at: Where,
    /// Word for word (else misquoted, meaning kept).
    pub verdict: Verdict,
    /// How the quote differs (misquoted).
    pub differences: Vec<Difference>,
    /// The quote with the differing words in `**bold**` (misquoted).
    pub quote_marked: Option<String>,
    /// The passage with the differing words in `**bold**` (misquoted).
    pub passage_marked: Option<String>,
    /// 0..1: share of the quote that aligned with the passage.
    pub confidence: f32,
    /// The citation.
    pub citation: Citation,
}

/// The answer to `cite`.
#[derive(Debug, Clone)]
pub enum CiteAnswer {
    /// In the library, meaning kept.
    Found(Box<Found>),
    /// A passage of the library says something different: never attributed.
    Altered {
        /// The passage it changes.
        at: Where,
        /// What differs.
        differences: Vec<Difference>,
        /// The quote, differing words in `**bold**`.
        quote_marked: String,
        /// The passage, differing words in `**bold**`.
        passage_marked: String,
        /// 0..1.
        confidence: f32,
    },
    /// Not verified; perhaps a passage close to it, marked as a suggestion.
    NotFound {
        /// The closest passage, when one is close enough to offer.
        suggestion: Option<Suggestion>,
        /// 0..1: the best alignment seen.
        confidence: f32,
    },
}

impl CiteAnswer {
    fn from_result(r: CiteResult) -> CiteAnswer {
        let at = |r: &CiteResult| Where {
            essay_id: r.essay_id.clone().unwrap_or_default(),
            title: r.title.clone().unwrap_or_default(),
            speaker: r.speaker.clone(),
            paragraph: r.paragraph.unwrap_or(0),
            text: r.matched_text.clone().unwrap_or_default(),
        };
        match (r.verdict, r.cite.clone()) {
            (Verdict::Verbatim | Verdict::Misquoted | Verdict::Paraphrase, Some(citation))
                if r.found =>
            {
                CiteAnswer::Found(Box::new(Found {
                    at: at(&r),
                    verdict: r.verdict,
                    differences: r.differences,
                    quote_marked: r.quote_marked,
                    passage_marked: r.passage_marked,
                    confidence: r.confidence,
                    citation,
                }))
            }
            (Verdict::Altered, _) => CiteAnswer::Altered {
                at: at(&r),
                differences: r.differences,
                quote_marked: r.quote_marked.unwrap_or_default(),
                passage_marked: r.passage_marked.unwrap_or_default(),
                confidence: r.confidence,
            },
            _ => CiteAnswer::NotFound {
                suggestion: r.suggestion,
                confidence: r.confidence,
            },
        }
    }

    /// The verdict's name: `verbatim`, `misquoted`, `paraphrase`, `altered`,
    /// `not_found`.
    pub fn verdict(&self) -> Verdict {
        match self {
            CiteAnswer::Found(f) => f.verdict,
            CiteAnswer::Altered { .. } => Verdict::Altered,
            CiteAnswer::NotFound { .. } => Verdict::NotFound,
        }
    }
}

/// The JSON the CLI prints: one flat object, `found` true only for a
/// quote found with its meaning kept (the shape scripts already read).
impl Serialize for CiteAnswer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde_json::{json, Value};
        let place = |at: &Where| {
            json!({
                "essay_id": at.essay_id,
                "title": at.title,
                "speaker": at.speaker,
                "paragraph": at.paragraph,
                "matched_text": at.text,
            })
        };
        let mut v = match self {
            CiteAnswer::Found(f) => {
                let mut v = place(&f.at);
                v["found"] = json!(true);
                v["differences"] = json!(f.differences);
                v["quote_marked"] = json!(f.quote_marked);
                v["passage_marked"] = json!(f.passage_marked);
                v["confidence"] = json!(f.confidence);
                v["citation"] = json!(f.citation.full);
                v["cite"] = json!(f.citation);
                v["suggestion"] = Value::Null;
                v
            }
            CiteAnswer::Altered {
                at,
                differences,
                quote_marked,
                passage_marked,
                confidence,
            } => {
                let mut v = place(at);
                v["found"] = json!(false);
                v["differences"] = json!(differences);
                v["quote_marked"] = json!(quote_marked);
                v["passage_marked"] = json!(passage_marked);
                v["confidence"] = json!(confidence);
                v["citation"] = Value::Null;
                v["cite"] = Value::Null;
                v["suggestion"] = Value::Null;
                v
            }
            CiteAnswer::NotFound {
                suggestion,
                confidence,
            } => json!({
                "found": false,
                "differences": [],
                "quote_marked": null,
                "passage_marked": null,
                "essay_id": null,
                "title": null,
                "speaker": null,
                "paragraph": null,
                "matched_text": null,
                "confidence": confidence,
                "citation": null,
                "cite": null,
                "suggestion": suggestion,
            }),
        };
        v["verdict"] = json!(self.verdict());
        // How a found quote matched: `verbatim`, `misquoted` or
        // `paraphrase` (null when not found).
        v["match"] = match self {
            CiteAnswer::Found(f) => json!(f.verdict),
            _ => Value::Null,
        };
        v.serialize(s)
    }
}

impl App {
    /// Quotes on a topic, as the circle sees the library: from its current
    /// reading unless the query names an essay or asks for the whole
    /// library.
    pub fn quote(&self, circle: Option<&str>, q: &QuoteQuery) -> Result<QuoteAnswer> {
        let snap = self.view(circle);
        let mut req = QuoteRequest {
            topic: q.topic.clone(),
            essay: q.essay.clone(),
            speaker: q.speaker.clone(),
            limit: q.limit.clamp(1, quote::MAX_LIMIT),
            exclude: q.exclude.clone(),
            style: self.style(q.style),
        };
        if let Some(entry) = self.focus(circle, q.essay.is_some(), q.whole_library)? {
            if let Ok(rec) = snap.essay(&entry.essay) {
                crate::plan::narrow_quotes(&mut req, &entry, rec.paragraphs);
            }
        }
        let quotes = quote::find_quotes(&snap, &req, self.today())?;
        Ok(QuoteAnswer {
            quotes,
            essay: req.essay,
            speaker: req.speaker,
        })
    }

    /// Where a pasted quote comes from, in the circle's view of the library.
    pub fn cite(
        &self,
        circle: Option<&str>,
        text: &str,
        style: Option<Style>,
    ) -> Result<CiteAnswer> {
        let r = cite::find_source(&self.view(circle), text, self.style(style), self.today())?;
        Ok(CiteAnswer::from_result(r))
    }

    /// A passage's citation (the Cite buttons), as the circle sees it.
    pub fn cite_paragraph(
        &self,
        circle: Option<&str>,
        essay: &str,
        paragraph: u32,
        style: Style,
    ) -> Result<Citation> {
        let snap = self.view(circle);
        let rec = snap.essay(essay)?;
        let p = snap.paragraph(essay, paragraph)?;
        Ok(crate::citation::cite(
            rec,
            paragraph,
            rec.speaker_name(p.speaker),
            style,
            self.today(),
        ))
    }
}
