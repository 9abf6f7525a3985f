//! Finding the source of a pasted quote, even misquoted: candidates by BM25,
//! then word alignment that tolerates typos, dropped, swapped or changed
//! words, ellipses, spelling variants and spans across paragraphs.

use super::align::{align, Alignment};
use super::paraphrase;
use super::query::{content_terms, topic_query, truncate_chars, MAX_INPUT_CHARS};
use super::verdict::{self, DiffKind, Difference, Verdict};
use crate::citation::{self, Citation, Style};
use crate::error::{Error, Result};
use crate::library::Snapshot;
use crate::model::Paragraph;
use crate::text::normalize::{tokens, Token};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// Confidence at or above which a match is reported as found. Tuned on the
/// evaluation in `tests/cite_eval.rs`: real misquotes score well above it,
/// quotes from outside the library well below.
pub const FOUND_THRESHOLD: f32 = 0.55;
/// Below this the closest passage is not even offered as a suggestion.
pub const SUGGEST_THRESHOLD: f32 = 0.25;
/// Candidate paragraphs aligned per request.
const CANDIDATES: usize = 12;

/// Where a quote comes from, or that it could not be verified.
#[derive(Debug, Clone, Serialize)]
pub struct CiteResult {
    /// True when the quote was found in the library with its meaning kept
    /// (verdict `verbatim`, `misquoted` or `paraphrase`).
    pub found: bool,
    /// `verbatim`, `misquoted`, `altered` (the passage says something
    /// different: never confirmed) or `not_found`.
    pub verdict: Verdict,
    /// How the quote differs from the passage (misquoted and altered).
    pub differences: Vec<Difference>,
    /// The quote with the differing words in `**bold**` (misquoted, altered).
    pub quote_marked: Option<String>,
    /// The passage with the differing words in `**bold**` (misquoted, altered).
    pub passage_marked: Option<String>,
    /// Essay id (found or altered).
    pub essay_id: Option<String>,
    /// Essay title (found or altered).
    pub title: Option<String>,
    /// Speaker (interviews only).
    pub speaker: Option<String>,
    /// Paragraph of the match's start.
    pub paragraph: Option<u32>,
    /// The verbatim library passage matched.
    pub matched_text: Option<String>,
    /// 0..1: share of the quote that aligned with the passage.
    pub confidence: f32,
    /// The formatted citation (found only).
    pub citation: Option<String>,
    /// The citation in parts (found only).
    pub cite: Option<Citation>,
    /// When not found: the closest passage, clearly marked as a suggestion.
    pub suggestion: Option<Suggestion>,
}

/// The closest passage to a quote that was not found.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// Essay id.
    pub essay_id: String,
    /// Essay title.
    pub title: String,
    /// Paragraph.
    pub paragraph: u32,
    /// The passage.
    pub text: String,
    /// Its alignment score.
    pub confidence: f32,
}

static ELLIPSIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\s*(?:\.\s*){3}\]|\(\s*(?:\.\s*){3}\)|(?:\.\s*){3,}|…").unwrap()
});
static TRAILING_ATTRIBUTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["”’']\s*(?:[-–—―]{1,2}|~)\s*[^"“”]{1,80}$"#).unwrap());

/// Quote tokens and, per token, whether an ellipsis stands before it.
fn quote_tokens(text: &str) -> (Vec<Token>, Vec<bool>) {
    let mut toks = Vec::new();
    let mut gaps = Vec::new();
    // Pieces between ellipses, with their offsets in `text`: token offsets
    // are into the whole quote.
    let mut starts = vec![0];
    let mut ends = Vec::new();
    for m in ELLIPSIS.find_iter(text) {
        ends.push(m.start());
        starts.push(m.end());
    }
    ends.push(text.len());
    for (k, (&from, &to)) in starts.iter().zip(&ends).enumerate() {
        for (i, mut tok) in tokens(&text[from..to]).into_iter().enumerate() {
            tok.start += from;
            tok.end += from;
            gaps.push(k > 0 && i == 0);
            toks.push(tok);
        }
    }
    (toks, gaps)
}

/// Drop a trailing attribution ("… tyranny.” — Someone") so it is not
/// matched as part of the quote.
fn strip_attribution(text: &str) -> &str {
    match TRAILING_ATTRIBUTION.find(text) {
        Some(m) => &text[..m.start() + m.as_str().chars().next().map(char::len_utf8).unwrap_or(0)],
        None => text,
    }
}

struct Candidate {
    essay: usize,
    first: Paragraph,
    second: Option<Paragraph>,
    alignment: Alignment,
    /// Token count of `first` (tokens past it are in `second`).
    first_len: usize,
}

/// Find the source of `text`.
pub fn find_source(
    snap: &Snapshot,
    text: &str,
    style: Style,
    accessed: jiff::civil::Date,
) -> Result<CiteResult> {
    let text = truncate_chars(text.trim(), MAX_INPUT_CHARS);
    let text = strip_attribution(text);
    let (qtokens, gaps) = quote_tokens(text);
    if qtokens.len() < 3 {
        return Err(Error::InvalidInput(
            "paste a quote of at least a few words".into(),
        ));
    }
    let searcher = snap.searcher();
    let f = snap.fields();
    let content = content_terms(&searcher, f, text, 48);
    if content.is_empty() {
        return Ok(not_found(0.0, None));
    }
    let query = topic_query(f, "", &content, &[], None, None, None);
    let hits = snap.search(query.as_ref(), CANDIDATES)?;
    // The paragraphs searched, for a reworded quote (see below).
    let searched: Vec<(usize, Paragraph)> = hits
        .iter()
        .map(|h| (h.essay, h.paragraph.clone()))
        .collect();
    let mut best: Option<Candidate> = None;
    for h in hits {
        let ptoks = tokens(&h.paragraph.text);
        let a = align(&qtokens, &gaps, &ptoks);
        let mut cand = Candidate {
            essay: h.essay,
            first: h.paragraph,
            second: None,
            alignment: a,
            first_len: ptoks.len(),
        };
        // A quote may run on into the next paragraph (or the previous one into this).
        if a.score < 0.98 && a.text_end + 2 >= ptoks.len() {
            let id = &snap.essays()[h.essay].meta.id;
            if let Ok(next) = snap.paragraph(id, cand.first.number + 1) {
                let mut joined = ptoks.clone();
                let offset = cand.first.text.len() + 1;
                joined.extend(tokens(&next.text).into_iter().map(|t| Token {
                    start: t.start + offset,
                    end: t.end + offset,
                    key: t.key,
                }));
                let a2 = align(&qtokens, &gaps, &joined);
                if a2.score > a.score + 0.05 && a2.text_end > ptoks.len() {
                    cand.alignment = a2;
                    cand.second = Some(next);
                }
            }
        }
        if best
            .as_ref()
            .is_none_or(|b| cand.alignment.score > b.alignment.score)
        {
            best = Some(cand);
        }
    }
    let Some(best) = best else {
        return Ok(not_found(0.0, None));
    };
    let rec = &snap.essays()[best.essay];
    let score = best.alignment.score;
    let passage = matched_passage(&best);
    if score < FOUND_THRESHOLD {
        // Not the passage's words: perhaps its point in other words.
        let paragraphs: Vec<&Paragraph> = searched.iter().map(|(_, p)| p).collect();
        if let Some(r) = paraphrase::find(text, &paragraphs) {
            let (essay, p) = &searched[r.candidate];
            return Ok(reworded(snap, *essay, p, r, style, accessed));
        }
        let suggestion = (score >= SUGGEST_THRESHOLD).then(|| Suggestion {
            essay_id: rec.meta.id.clone(),
            title: rec.meta.title.clone(),
            paragraph: best.first.number,
            text: passage.clone(),
            confidence: score,
        });
        return Ok(not_found(score, suggestion));
    }
    let (passage_text, ptoks) = region(&best);
    let cmp = verdict::compare(text, &qtokens, &gaps, &passage_text, &ptoks);
    // Mostly the passage's words with a word or two of content swapped:
    // read word by word, that may change the claim; read as a rewording
    // (every swapped word a synonym, the negations and opposites the
    // passage's), it may be the same point said otherwise. A qualifier left
    // out or a judgement added is never a rewording: the swap has only one
    // side.
    if cmp.verdict == Verdict::Altered && only_words_swapped(&cmp.differences) {
        if let Some(r) = paraphrase::find(text, &[&best.first]) {
            return Ok(reworded(snap, best.essay, &best.first, r, style, accessed));
        }
    }
    let speaker = rec.speaker_name(best.first.speaker).map(str::to_string);
    // An altered quote is never confirmed: where it is, what differs, and
    // no citation (never a seal on a distortion).
    let confirmed = cmp.verdict != Verdict::Altered;
    let cite = confirmed.then(|| {
        citation::cite(
            rec,
            best.first.number,
            rec.speaker_name(best.first.speaker),
            style,
            accessed,
        )
    });
    let marked = cmp.verdict != Verdict::Verbatim;
    Ok(CiteResult {
        found: confirmed,
        verdict: cmp.verdict,
        differences: cmp.differences,
        quote_marked: marked.then_some(cmp.quote_marked),
        passage_marked: marked.then_some(cmp.passage_marked),
        essay_id: Some(rec.meta.id.clone()),
        title: Some(rec.meta.title.clone()),
        speaker,
        paragraph: Some(best.first.number),
        matched_text: Some(passage),
        confidence: score,
        citation: cite.as_ref().map(|c| c.full.clone()),
        cite,
        suggestion: None,
    })
}

/// True when every difference that changes the claim is a word of the
/// quote's in place of one of the passage's: not a negation, an opposite,
/// a number or a name, a qualifier left out, or a word of judgement added
/// where the passage has none ("the dangerous voices").
fn only_words_swapped(diffs: &[Difference]) -> bool {
    diffs
        .iter()
        .filter(|d| d.kind.alters_meaning())
        .all(|d| d.kind == DiffKind::Replaced && d.quoted.is_some() && d.library.is_some())
}

/// A quote found as the rewording of a passage: attributed, with the
/// passage's own words to quote instead.
fn reworded(
    snap: &Snapshot,
    essay: usize,
    p: &Paragraph,
    r: paraphrase::Reworded,
    style: Style,
    accessed: jiff::civil::Date,
) -> CiteResult {
    let rec = &snap.essays()[essay];
    let speaker = rec.speaker_name(p.speaker);
    let cite = citation::cite(rec, p.number, speaker, style, accessed);
    CiteResult {
        found: true,
        verdict: Verdict::Paraphrase,
        differences: Vec::new(),
        quote_marked: None,
        passage_marked: None,
        essay_id: Some(rec.meta.id.clone()),
        title: Some(rec.meta.title.clone()),
        speaker: speaker.map(str::to_string),
        paragraph: Some(p.number),
        matched_text: Some(p.sentence_span(r.from, r.to).to_string()),
        confidence: r.score,
        citation: Some(cite.full.clone()),
        cite: Some(cite),
        suggestion: None,
    }
}

/// The aligned region of a candidate, widened to whole sentences (one
/// paragraph, or two joined as alignment joined them), and the aligned
/// words' tokens with offsets into it.
fn region(c: &Candidate) -> (String, Vec<Token>) {
    let mut text = c.first.text.clone();
    let mut toks = tokens(&c.first.text);
    let offset = text.len() + 1;
    if let Some(next) = &c.second {
        text.push(' ');
        text.push_str(&next.text);
        toks.extend(tokens(&next.text).into_iter().map(|t| Token {
            start: t.start + offset,
            end: t.end + offset,
            key: t.key,
        }));
    }
    let a = c.alignment;
    let end = a.text_end.min(toks.len());
    let start = a.text_start.min(end);
    let (Some(first), Some(last)) = (
        toks.get(start),
        end.checked_sub(1).and_then(|e| toks.get(e)),
    ) else {
        return (text, Vec::new());
    };
    // The aligned words' sentences…
    let from = if first.start < offset || c.second.is_none() {
        sentence_start(&c.first, first.start)
    } else {
        offset
    };
    let to = match &c.second {
        Some(next) if last.end > offset => offset + sentence_end(next, last.end - offset),
        _ => sentence_end(&c.first, last.end),
    };
    // …and a few words either side inside them: the local alignment leaves
    // out a changed word at the quote's very start or end ("… is morally
    // justified").
    const SLACK: usize = 3;
    let mut words: Vec<Token> = toks[start.saturating_sub(SLACK)..(end + SLACK).min(toks.len())]
        .iter()
        .filter(|t| t.start >= from && t.end <= to)
        .cloned()
        .collect();
    for w in &mut words {
        w.start -= from;
        w.end -= from;
    }
    (text[from..to.max(from)].to_string(), words)
}

/// The differences in words, for people: "not (left out); justified for
/// obscene".
pub fn describe_differences(diffs: &[Difference]) -> String {
    use super::verdict::DiffKind as K;
    let parts: Vec<String> = diffs
        .iter()
        .map(|d| {
            let q = d.quoted.as_deref().unwrap_or("");
            let l = d.library.as_deref().unwrap_or("");
            match d.kind {
                K::Punctuation => "case, punctuation or spelling".to_string(),
                K::Dropped => format!("“{l}” left out"),
                K::Added => format!("“{q}” added"),
                K::Moved => format!("“{q}” moved"),
                K::Typo => format!("“{q}” for “{l}” (typo)"),
                K::Roles => {
                    format!("who does what turned round: “{q}” where the passage has “{l}”")
                }
                K::Negation | K::Opposite | K::Number | K::Name | K::Changed | K::Replaced => {
                    match (d.quoted.is_some(), d.library.is_some()) {
                        (true, true) => format!("“{q}” instead of “{l}”"),
                        (true, false) => format!("“{q}” added"),
                        _ => format!("“{l}” left out"),
                    }
                }
            }
        })
        .collect();
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join("; ")
    }
}

fn not_found(score: f32, suggestion: Option<Suggestion>) -> CiteResult {
    CiteResult {
        found: false,
        verdict: Verdict::NotFound,
        differences: Vec::new(),
        quote_marked: None,
        passage_marked: None,
        essay_id: None,
        title: None,
        speaker: None,
        paragraph: None,
        matched_text: None,
        confidence: score,
        citation: None,
        cite: None,
        suggestion,
    }
}

/// The verbatim passage the alignment covers, widened to whole sentences.
fn matched_passage(c: &Candidate) -> String {
    let a = c.alignment;
    let first_toks = tokens(&c.first.text);
    let start_byte = first_toks.get(a.text_start).map(|t| t.start).unwrap_or(0);
    let start = sentence_start(&c.first, start_byte);
    match &c.second {
        Some(next) if a.text_end > c.first_len => {
            let next_toks = tokens(&next.text);
            let end_tok = next_toks
                .get(a.text_end - c.first_len - 1)
                .map(|t| t.end)
                .unwrap_or(next.text.len());
            let end = sentence_end(next, end_tok);
            format!("{} {}", &c.first.text[start..], &next.text[..end])
        }
        _ => {
            let end_byte = first_toks
                .get(a.text_end.saturating_sub(1))
                .map(|t| t.end)
                .unwrap_or(c.first.text.len());
            let end = sentence_end(&c.first, end_byte);
            c.first.text[start..end].to_string()
        }
    }
}

fn sentence_start(p: &Paragraph, byte: usize) -> usize {
    p.sentences
        .iter()
        .rev()
        .find(|s| (s.start as usize) <= byte)
        .map(|s| s.start as usize)
        .unwrap_or(0)
}

fn sentence_end(p: &Paragraph, byte: usize) -> usize {
    p.sentences
        .iter()
        .find(|s| (s.end as usize) >= byte)
        .map(|s| s.end as usize)
        .unwrap_or(p.text.len())
}
