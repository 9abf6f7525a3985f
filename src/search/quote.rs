//! Quotes for a topic: the best passages by BM25, then the best window of one
//! to three whole sentences inside each, spread over paragraphs and essays.

use super::query::{content_terms, idf, topic_query};
use crate::citation::{self, Citation, Style};
use crate::error::{Error, Result};
use crate::index;
use crate::library::Snapshot;
use crate::model::{Paragraph, SpeakerRole};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Longest quote we aim for, in characters.
pub const MAX_QUOTE_CHARS: usize = 400;
/// A single sentence may run this long before it is passed over.
const MAX_SINGLE_SENTENCE_CHARS: usize = 520;
/// Most quotes one request returns.
pub const MAX_LIMIT: usize = 10;

/// A request for quotes.
#[derive(Debug, Clone, Default)]
pub struct QuoteRequest {
    /// What the quotes should be about, in plain words.
    pub topic: String,
    /// Only this essay (id or unique title fragment).
    pub essay: Option<String>,
    /// Only this speaker (full name, surname, or label).
    pub speaker: Option<String>,
    /// How many (1 to [`MAX_LIMIT`]).
    pub limit: usize,
    /// Paragraphs already shown (essay id, number), skipped ("another quote").
    pub exclude: Vec<(String, u32)>,
    /// Citation style.
    pub style: Style,
}

/// A verbatim quote with where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    /// The quoted sentences, verbatim.
    pub text: String,
    /// Essay id.
    pub essay_id: String,
    /// Essay title.
    pub title: String,
    /// Speaker (interviews only).
    pub speaker: Option<String>,
    /// Paragraph number (the locator).
    pub paragraph: u32,
    /// First and last+1 sentence of the window within the paragraph.
    pub sentences: (usize, usize),
    /// Relevance, for ordering.
    pub score: f32,
    /// The formatted citation (entry and in-text form).
    pub citation: String,
    /// The citation in parts.
    pub cite: Citation,
}

/// Words that, opening a sentence, point back to the one before it.
const BACK_POINTERS: &[&str] = &[
    "this",
    "firstly",
    "secondly",
    "thirdly",
    "that",
    "these",
    "those",
    "it",
    "its",
    "they",
    "them",
    "he",
    "she",
    "his",
    "her",
    "their",
    "such",
    "but",
    "and",
    "so",
    "yet",
    "also",
    "however",
    "therefore",
    "thus",
    "hence",
    "then",
    "here",
    "there",
    "which",
    "or",
    "nor",
    "because",
];

/// True when a sentence cannot stand alone (opens with a pronoun or connective).
pub fn leans_back(sentence: &str) -> bool {
    let first = sentence
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    BACK_POINTERS.contains(&first.as_str())
}

/// The best window of whole sentences in a paragraph for the weighted terms.
/// Returns (from, to, score) or `None` when nothing fits.
pub fn best_window(p: &Paragraph, weights: &HashMap<String, f32>) -> Option<(usize, usize, f32)> {
    let sent_terms: Vec<Vec<String>> = (0..p.sentences.len())
        .map(|i| index::analyze(p.sentence(i)))
        .collect();
    let mut best: Option<(usize, usize, f32)> = None;
    for from in 0..p.sentences.len() {
        for to in from + 1..=(from + 3).min(p.sentences.len()) {
            let text = p.sentence_span(from, to);
            let chars = text.chars().count();
            let limit = if to - from == 1 {
                MAX_SINGLE_SENTENCE_CHARS
            } else {
                MAX_QUOTE_CHARS
            };
            if chars > limit {
                break;
            }
            let mut seen = HashSet::new();
            let mut score = 0.0f32;
            for t in sent_terms[from..to].iter().flatten() {
                if let Some(w) = weights.get(t) {
                    score += if seen.insert(t) { *w } else { w * 0.15 };
                }
            }
            if score == 0.0 {
                continue;
            }
            // Prefer quotes that stand alone and are not too short or long.
            if leans_back(p.sentence(from)) {
                score *= 0.7;
            }
            if chars < 60 {
                score *= 0.6;
            }
            if p.sentence(to - 1).ends_with('?') {
                score *= 0.8;
            }
            score *= 1.0 - 0.04 * (to - from - 1) as f32;
            if best.is_none_or(|b| score > b.2) {
                best = Some((from, to, score));
            }
        }
    }
    best
}

/// Resolve a speaker name as typed to the exact name indexed.
pub fn resolve_speaker(snap: &Snapshot, essay: Option<usize>, input: &str) -> Result<String> {
    let q = input.trim().to_lowercase();
    let mut names: Vec<String> = Vec::new();
    for (i, e) in snap.essays().iter().enumerate() {
        if essay.is_some_and(|x| x != i) {
            continue;
        }
        for s in &e.speakers {
            let n = s.name.to_lowercase();
            let surname = n.split_whitespace().last().unwrap_or("").to_string();
            if (n == q || surname == q || n.contains(&q)) && !names.contains(&s.name) {
                names.push(s.name.clone());
            }
        }
        // Essay authors who are not interview speakers: filter by essay instead.
    }
    match names.len() {
        1 => Ok(names.remove(0)),
        0 => Err(Error::SpeakerNotFound(input.chars().take(100).collect())),
        _ => names
            .iter()
            .find(|n| n.to_lowercase() == q)
            .cloned()
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "`{input}` matches several speakers: {}",
                    names.join(", ")
                ))
            }),
    }
}

/// Find quotes for a topic.
pub fn find_quotes(
    snap: &Snapshot,
    req: &QuoteRequest,
    accessed: jiff::civil::Date,
) -> Result<Vec<Quote>> {
    let limit = req.limit.clamp(1, MAX_LIMIT);
    if req.topic.trim().is_empty() {
        return Err(Error::InvalidInput(
            "give a topic: a few words about what you are looking for".into(),
        ));
    }
    let essay = req
        .essay
        .as_deref()
        .map(|e| snap.resolve_essay(e))
        .transpose()?;
    let speaker = req
        .speaker
        .as_deref()
        .map(|s| resolve_speaker(snap, essay, s))
        .transpose()?;
    let searcher = snap.searcher();
    let f = snap.fields();
    let content = content_terms(&searcher, f, &req.topic, 24);
    if content.is_empty() {
        return Err(Error::InvalidInput(
            "the topic has no words to search for; try plain words".into(),
        ));
    }
    let weights: HashMap<String, f32> = content
        .iter()
        .map(|t| (t.clone(), idf(&searcher, f, t)))
        .collect();
    let essay_id = essay.map(|i| snap.essays()[i].meta.id.clone());
    let query = topic_query(
        f,
        &req.topic,
        &content,
        essay_id.as_deref(),
        speaker.as_deref(),
    );
    let hits = snap.search(query.as_ref(), 24 + limit * 4 + req.exclude.len())?;
    let max_bm25 = hits.first().map(|h| h.score).unwrap_or(1.0).max(1e-6);
    let max_window: f32 = weights.values().sum::<f32>().max(1e-6);
    let excluded: HashSet<(&str, u32)> =
        req.exclude.iter().map(|(e, n)| (e.as_str(), *n)).collect();

    let mut candidates: Vec<(f32, usize, Paragraph, usize, usize)> = Vec::new();
    for h in hits {
        let rec = &snap.essays()[h.essay];
        if excluded.contains(&(rec.meta.id.as_str(), h.paragraph.number)) {
            continue;
        }
        let Some((from, to, w)) = best_window(&h.paragraph, &weights) else {
            continue;
        };
        let mut score = 0.5 * h.score / max_bm25 + (w / max_window).min(1.0);
        // An interviewer's question is not the author's claim.
        if h.paragraph
            .speaker
            .and_then(|i| rec.speakers.get(i))
            .is_some_and(|s| s.role == SpeakerRole::Interviewer)
        {
            score *= 0.5;
        }
        candidates.push((score, h.essay, h.paragraph, from, to));
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));

    // Greedy pick with a growing penalty for essays already used.
    let mut picked: Vec<(f32, usize, Paragraph, usize, usize)> = Vec::new();
    let mut per_essay: HashMap<usize, usize> = HashMap::new();
    let mut pool = candidates;
    while picked.len() < limit && !pool.is_empty() {
        let (best_i, _) = pool
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    i,
                    c.0 * 0.8f32.powi(*per_essay.get(&c.1).unwrap_or(&0) as i32),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("pool is not empty");
        let c = pool.swap_remove(best_i);
        *per_essay.entry(c.1).or_default() += 1;
        picked.push(c);
    }
    Ok(picked
        .into_iter()
        .map(|(score, ei, p, from, to)| {
            let rec = &snap.essays()[ei];
            let cite = citation::cite(
                rec,
                p.number,
                rec.speaker_name(p.speaker),
                req.style,
                accessed,
            );
            Quote {
                text: p.sentence_span(from, to).to_string(),
                essay_id: rec.meta.id.clone(),
                title: rec.meta.title.clone(),
                speaker: rec.speaker_name(p.speaker).map(str::to_string),
                paragraph: p.number,
                sentences: (from, to),
                score,
                citation: cite.full.clone(),
                cite,
            }
        })
        .collect())
}
