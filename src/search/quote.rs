//! Quotes for a topic: the best passages by BM25, then the best window of one
//! to three whole sentences inside each, best first, spread over the
//! library's essays in a long list.

use super::query::{content_terms, family_terms, idf, topic_query, FAMILY_WEIGHT};
use crate::citation::{self, Citation, Style};
use crate::error::{Error, Result};
use crate::index;
use crate::library::Snapshot;
use crate::model::{Paragraph, SpeakerRole};
use regex::Regex;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

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
    /// Who is speaking, as a reader should see it: the speaker, "Ron J,
    /// quoted by Travis S." for words the author quotes from someone else,
    /// or the essay's authors.
    pub attribution: Option<String>,
    /// When the words are someone the author quotes: that person.
    pub quoted_from: Option<String>,
    /// The essay's authors as a reader sees them ("A and B"), if known.
    pub byline: Option<String>,
    /// The essay's web address, if it has one.
    pub url: Option<String>,
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

/// A sentence's first word, lower-cased.
fn first_word(sentence: &str) -> String {
    sentence
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// True when a sentence cannot stand alone (opens with a pronoun or
/// connective). "This idea that Russia is somehow representing this
/// anti-imperialist axis is very confused" says itself which idea: a noun
/// after "this" or "these" that a "that" clause completes points forward.
pub fn leans_back(sentence: &str) -> bool {
    BACK_POINTERS.contains(&first_word(sentence).as_str()) && !names_itself(sentence)
}

/// Verbs that may follow an opening "this" ("This is what that means"):
/// no noun for a clause to complete.
const LINKING_VERBS: &[&str] = &[
    "is", "was", "are", "were", "has", "had", "means", "meant", "shows", "showed", "suggests",
    "implies", "does", "did", "makes", "made", "leads", "led",
];

/// True for "This idea that …", "These claims that …".
fn names_itself(sentence: &str) -> bool {
    let words = crate::text::first_words(sentence, 3);
    matches!(words.as_slice(), [det, noun, that]
        if (det == "this" || det == "these")
            && that == "that"
            && !LINKING_VERBS.contains(&noun.as_str()))
}

/// Personal pronouns that, opening a sentence, need the sentence before to
/// say who is meant ("He certainly admires Putin": he is Trump). "It" and
/// "this" often open a claim of their own ("It is not imperialist…"), so
/// they only weigh against a window (see [`leans_back`]).
const PERSONAL_POINTERS: &[&str] = &[
    "he", "she", "they", "him", "her", "his", "hers", "their", "theirs", "them", "these", "those",
];

/// True when a sentence opens with a personal pronoun whose referent is in
/// an earlier sentence.
pub fn opens_with_pronoun(sentence: &str) -> bool {
    PERSONAL_POINTERS.contains(&first_word(sentence).as_str())
}

/// The best window of whole sentences in a paragraph for the weighted terms.
/// A window never opens on a personal pronoun when the paragraph has the
/// sentence it points back to: it starts there instead.
/// Returns (from, to, score) or `None` when nothing fits.
pub fn best_window(p: &Paragraph, weights: &HashMap<String, f32>) -> Option<(usize, usize, f32)> {
    windows(p, weights)
        .into_iter()
        .fold(None, |best: Option<(usize, usize, f32)>, w| {
            if best.is_none_or(|b| w.2 > b.2) {
                Some(w)
            } else {
                best
            }
        })
}

/// How much the meaning of a window's nearest sentence counts against its
/// share of the question's words when the key sentence is chosen by
/// meaning (see [`window_by_meaning`]).
const MEANING_WEIGHT: f32 = 1.0;

/// The window to quote when each sentence's nearness in meaning to the
/// question is known (`sims`, semantic search on): among the windows that
/// carry the question's words, the one whose best sentence says most
/// nearly what was asked, weighed against its words. The score returned is
/// the paragraph's best window's by words, so the ranking of paragraphs is
/// the same as without meaning. Without `sims`, [`best_window`].
pub fn window_by_meaning(
    p: &Paragraph,
    weights: &HashMap<String, f32>,
    sims: Option<&[f32]>,
) -> Option<(usize, usize, f32)> {
    let Some(sims) = sims.filter(|s| s.len() == p.sentences.len()) else {
        return best_window(p, weights);
    };
    let all = windows(p, weights);
    let top = all.iter().map(|w| w.2).fold(0.0f32, f32::max);
    if top <= 0.0 {
        return None;
    }
    let near = |from: usize, to: usize| sims[from..to].iter().copied().fold(f32::MIN, f32::max);
    all.iter()
        .max_by(|a, b| {
            let va = a.2 / top + MEANING_WEIGHT * near(a.0, a.1);
            let vb = b.2 / top + MEANING_WEIGHT * near(b.0, b.1);
            va.total_cmp(&vb)
        })
        .map(|&(from, to, _)| (from, to, top))
}

/// Every window of one to three whole sentences that carries some of the
/// question's words, with its score (see [`best_window`]).
fn windows(p: &Paragraph, weights: &HashMap<String, f32>) -> Vec<(usize, usize, f32)> {
    let sent_terms: Vec<Vec<String>> = (0..p.sentences.len())
        .map(|i| index::analyze(p.sentence(i)))
        .collect();
    let mut out = Vec::new();
    for from in 0..p.sentences.len() {
        if from > 0 && opens_with_pronoun(p.sentence(from)) {
            continue;
        }
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
            out.push((from, to, score));
        }
    }
    out
}

/// Words inside a paragraph that its author quotes from someone else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InnerQuote {
    /// Who said them, when the text names them ("As Ron J argued, “…”").
    pub speaker: Option<String>,
}

/// A verb of saying next to a quotation: "As Ron J argued, “…”", "“…,” as
/// Mirah W urges us", "Lu Xun wrote … that “…”".
static SAID_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[.;:!?]\s+|[Aa]s\s+|,\s+)((?:[A-Z][\p{L}.'’-]*\s+){0,3}[A-Z][\p{L}.'’-]*)\s+(?:argued|argues|wrote|writes|said|says|asked|asks|urged|urges|insisted|insists|noted|notes|observed|observes|claimed|claims|put it|declared|declares|told [a-z]+)\b[^“"]{0,80}$"#).unwrap()
});
static SAID_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[,.]?\s*(?:as\s+)?((?:[A-Z][\p{L}.'’-]*\s+){0,3}[A-Z][\p{L}.'’-]*)\s+(?:argued|argues|wrote|writes|said|says|asked|asks|urged|urges|insisted|insists|noted|notes|observed|observes|claimed|claims|put it|declared|declares)\b").unwrap()
});

/// When most of sentences `from..to` lie inside “curly quotation marks”
/// (the author quoting someone), who is quoted, as far as the text says.
pub fn inner_quotation(p: &Paragraph, from: usize, to: usize) -> Option<InnerQuote> {
    let text = p.text.as_str();
    let (ws, we) = (
        p.sentences.get(from)?.start as usize,
        p.sentences.get(to.checked_sub(1)?)?.end as usize,
    );
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '“' => open = Some(i),
            '”' => {
                let Some(o) = open.take() else { continue };
                let (qs, qe) = (o, i + c.len_utf8());
                let inside = we.min(qe).saturating_sub(ws.max(qs));
                // Titles and scare quotes are short; a quotation of a
                // sentence or more that holds (nearly) the whole window counts;
                // a sentence of the author's that embeds a quotation is theirs.
                let words = text[qs..qe].split_whitespace().count();
                if words >= 6 && inside * 5 >= (we - ws) * 4 {
                    let before = &text[..qs];
                    let after = &text[qe..];
                    let speaker = SAID_BEFORE
                        .captures(before)
                        .or_else(|| SAID_AFTER.captures(after))
                        .map(|c| {
                            let name = c[1].trim();
                            name.strip_prefix("As ").unwrap_or(name).to_string()
                        });
                    return Some(InnerQuote { speaker });
                }
            }
            _ => {}
        }
    }
    None
}

/// True when an interview's paragraph is a claim of its speaker's: an
/// answer (see [`Paragraph::turn`]), not a question or an editor's
/// introduction.
pub fn speaks_as_interviewee(p: &Paragraph) -> bool {
    p.turn == Some(SpeakerRole::Interviewee)
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

/// How much a question's word in the essay's title or the paragraph's
/// section heading counts beside the same word in the paragraph. Tuned on
/// the development questions (`commonplace eval`, 0 to 10): on the corpora,
/// whose essays are named for their subject ("Of Gardens"), nDCG@5 rose
/// from 0.20 to 0.35 at 3; on the seeds it moved by about one question.
const CONTEXT_BOOST: f32 = 3.0;

/// How many quotes one essay gives, best first, before the others are
/// preferred to it. The answers to a question often stand in one essay,
/// a few paragraphs apart; spreading from the second quote on pushed them
/// down. Measured with `commonplace eval` (nDCG@5, development / held
/// out): spreading from the second quote gave 0.631 / 0.551 on the seeds
/// and 0.350 / 0.340 on the corpora; from the fourth, 0.644 / 0.568 and
/// 0.372 / 0.402; never, 0.657 / 0.568 and 0.372 / 0.402. A long list
/// still reaches across the library.
const QUOTES_BEFORE_SPREAD: usize = 3;
/// How much each quote past [`QUOTES_BEFORE_SPREAD`] weighs against its
/// essay's next one.
const SPREAD: f32 = 0.8;

/// How many paragraphs nearest in meaning join BM25's.
const SEMANTIC_DEPTH: usize = 40;
/// Reciprocal rank fusion's damping: a smaller value trusts the top ranks
/// of each list more. With the weight below, tuned on the development
/// questions of the seeds (`commonplace eval`): k 2 to 60 and weights 0.5
/// to 3 were tried; 5 and 1.5 gave the best nDCG@5 with P@1 kept.
const RRF_K: f32 = 5.0;
/// How much a paragraph's rank by meaning counts against its rank by BM25,
/// by what embeds the texts. The model's weight was tuned with `RRF_K`
/// above; the static table's is lower because its ranking by meaning is
/// rougher: of 0.5, 0.8 and 1.5, 0.8 gave the best development nDCG@5 over
/// the seeds and the corpora together (0.664 and 0.337; at 1.5 the
/// corpora fell to 0.229, below BM25 alone).
fn semantic_weight(embedder: crate::config::Embedder) -> f32 {
    match embedder {
        crate::config::Embedder::Model => 1.5,
        crate::config::Embedder::Static => 0.8,
    }
}

type Candidate = (f32, usize, Paragraph, usize, usize);

/// Fuse BM25's candidates (best first) with the paragraphs nearest in
/// meaning by reciprocal rank fusion. A paragraph found only by meaning is
/// quoted by its best window for the question's words, or else by its first
/// sentences that stand alone.
fn fuse(
    snap: &Snapshot,
    lexical: Vec<Candidate>,
    near: &super::semantic::Nearest,
    essay: Option<usize>,
    excluded: &HashSet<(&str, u32)>,
    weights: &HashMap<String, f32>,
    topic: &str,
) -> Vec<Candidate> {
    let rrf = |rank: usize| 1.0 / (RRF_K + rank as f32 + 1.0);
    let mut fused: Vec<Candidate> = Vec::new();
    let mut index: HashMap<(usize, u32), usize> = HashMap::new();
    for (rank, mut c) in lexical.into_iter().enumerate() {
        c.0 = rrf(rank);
        index.insert((c.1, c.2.number), fused.len());
        fused.push(c);
    }
    let weight = semantic_weight(near.embedder);
    let mut sem_rank = 0;
    for &(ei, number, _) in &near.paragraphs {
        if essay.is_some_and(|e| e != ei) {
            continue;
        }
        let rec = &snap.essays()[ei];
        if excluded.contains(&(rec.meta.id.as_str(), number)) {
            continue;
        }
        let score = weight * rrf(sem_rank);
        sem_rank += 1;
        if let Some(&i) = index.get(&(ei, number)) {
            fused[i].0 += score;
            continue;
        }
        let Ok(p) = snap.paragraph(&rec.meta.id, number) else {
            continue;
        };
        if rec.is_interview() && !speaks_as_interviewee(&p) {
            continue;
        }
        let sims = super::semantic::sentence_similarity(snap, ei, number, topic);
        let Some((from, to)) = window_by_meaning(&p, weights, sims.as_deref())
            .map(|(f, t, _)| (f, t))
            .or_else(|| opening_window(&p))
        else {
            continue;
        };
        if inner_quotation(&p, from, to).is_some_and(|q| q.speaker.is_none()) {
            continue;
        }
        fused.push((score, ei, p, from, to));
    }
    fused.sort_by(|a, b| b.0.total_cmp(&a.0));
    fused
}

/// How much of a matching question's BM25 its answer inherits, beside the
/// answer's own (a candidate's score weighs BM25 by 0.5). Tuned on the
/// seeds' development questions (`commonplace eval`): see the closing note
/// of issue 13.
const ANSWER_INHERITS: f32 = 0.5;

/// An interviewer's question that matches the topic lends its match to the
/// answer that follows it: "Has the victory of Donald Trump changed
/// things?" is answered in words that never say "Trump" or "changed". The
/// answer joins the candidates, quoted by its best window for the topic's
/// words or meaning, or by its opening sentences; an answer already there
/// gains the question's match.
fn answer_the_questions(
    snap: &Snapshot,
    candidates: &mut Vec<Candidate>,
    questions: &[(usize, u32, f32)],
    excluded: &HashSet<(&str, u32)>,
    weights: &HashMap<String, f32>,
    max_window: f32,
    topic: &str,
) {
    for &(ei, number, share) in questions {
        let rec = &snap.essays()[ei];
        let Ok(answer) = snap.paragraph(&rec.meta.id, number + 1) else {
            continue;
        };
        if !speaks_as_interviewee(&answer)
            || excluded.contains(&(rec.meta.id.as_str(), answer.number))
        {
            continue;
        }
        let lent = ANSWER_INHERITS * share;
        if let Some(c) = candidates
            .iter_mut()
            .find(|c| c.1 == ei && c.2.number == answer.number)
        {
            c.0 += lent;
            continue;
        }
        let sims = super::semantic::sentence_similarity(snap, ei, answer.number, topic);
        let (from, to, w) = match window_by_meaning(&answer, weights, sims.as_deref()) {
            Some(window) => window,
            None => match opening_window(&answer) {
                Some((from, to)) => (from, to, 0.0),
                None => continue,
            },
        };
        if inner_quotation(&answer, from, to).is_some_and(|q| q.speaker.is_none()) {
            continue;
        }
        candidates.push((lent + (w / max_window).min(1.0), ei, answer, from, to));
    }
}

/// Fewest words of a sentence that opens a quote by its place alone: a
/// shorter one is a reply to what came before ("Of course, there is.").
const MIN_OPENING_WORDS: usize = 6;

/// The first one or two sentences that stand alone and fit a quote.
fn opening_window(p: &Paragraph) -> Option<(usize, usize)> {
    (0..p.sentences.len())
        .find(|&i| {
            let s = p.sentence(i);
            !s.ends_with('?')
                && !leans_back(s)
                && !opens_with_pronoun(s)
                && s.split_whitespace().count() >= MIN_OPENING_WORDS
        })
        .map(|from| {
            let two = from + 2 <= p.sentences.len()
                && p.sentence_span(from, from + 2).chars().count() <= MAX_QUOTE_CHARS;
            (from, if two { from + 2 } else { from + 1 })
        })
        .filter(|&(f, t)| p.sentence_span(f, t).chars().count() <= MAX_QUOTE_CHARS)
}

/// The topic without its words of degree, stance or linking ("what is
/// imperialism exactly" asks about imperialism, and "exactly these
/// imperialist ambitions" does not answer it); the topic itself when it
/// has no other words.
fn without_fillers(topic: &str) -> String {
    let kept: Vec<&str> = topic
        .split_whitespace()
        .filter(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            !crate::text::lexicon::is_filler(bare)
        })
        .collect();
    if kept.is_empty() {
        topic.to_string()
    } else {
        kept.join(" ")
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
    let asked = without_fillers(&req.topic);
    let content = content_terms(&searcher, f, &asked, 24);
    if content.is_empty() {
        return Err(Error::InvalidInput(
            "the topic has no words to search for; try plain words".into(),
        ));
    }
    let family = family_terms(&searcher, f, &asked, 12);
    let weights: HashMap<String, f32> = family
        .iter()
        .map(|t| (t.clone(), FAMILY_WEIGHT * idf(&searcher, f, t)))
        .chain(content.iter().map(|t| (t.clone(), idf(&searcher, f, t))))
        .collect();
    let essay_id = essay.map(|i| snap.essays()[i].meta.id.clone());
    let query = topic_query(
        f,
        &asked,
        &content,
        &family,
        essay_id.as_deref(),
        speaker.as_deref(),
        Some(CONTEXT_BOOST),
    );
    let hits = snap.search(query.as_ref(), 24 + limit * 4 + req.exclude.len())?;
    let max_bm25 = hits.first().map(|h| h.score).unwrap_or(1.0).max(1e-6);
    let max_window: f32 = weights.values().sum::<f32>().max(1e-6);
    let excluded: HashSet<(&str, u32)> =
        req.exclude.iter().map(|(e, n)| (e.as_str(), *n)).collect();

    let mut candidates: Vec<Candidate> = Vec::new();
    // Interviewers' questions that match, as (essay, paragraph, BM25 share):
    // their answers inherit the match.
    let mut questions: Vec<(usize, u32, f32)> = Vec::new();
    for h in hits {
        let rec = &snap.essays()[h.essay];
        if speaker.is_none() && h.paragraph.turn == Some(SpeakerRole::Interviewer) {
            questions.push((h.essay, h.paragraph.number, h.score / max_bm25));
        }
        if excluded.contains(&(rec.meta.id.as_str(), h.paragraph.number)) {
            continue;
        }
        let sims =
            super::semantic::sentence_similarity(snap, h.essay, h.paragraph.number, &req.topic);
        let Some((from, to, w)) = window_by_meaning(&h.paragraph, &weights, sims.as_deref()) else {
            continue;
        };
        // Words the author quotes from someone unnamed are nobody's we can
        // attribute: not offered.
        if inner_quotation(&h.paragraph, from, to).is_some_and(|q| q.speaker.is_none()) {
            continue;
        }
        let score = 0.5 * h.score / max_bm25 + (w / max_window).min(1.0);
        // In an interview, the claims are the interviewees': an interviewer's
        // question, or an editor's introduction (no speaker), is quoted only
        // when that speaker is asked for.
        if speaker.is_none() && rec.is_interview() && !speaks_as_interviewee(&h.paragraph) {
            continue;
        }
        candidates.push((score, h.essay, h.paragraph, from, to));
    }
    answer_the_questions(
        snap,
        &mut candidates,
        &questions,
        &excluded,
        &weights,
        max_window,
        &req.topic,
    );
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    if speaker.is_none() {
        if let Some(near) = super::semantic::nearest(snap, &req.topic, SEMANTIC_DEPTH) {
            candidates = fuse(
                snap, candidates, &near, essay, &excluded, &weights, &req.topic,
            );
        }
    }

    // Greedy pick, best first; past its first few quotes an essay gives
    // way more and more to the others.
    let mut picked: Vec<(f32, usize, Paragraph, usize, usize)> = Vec::new();
    let mut per_essay: HashMap<usize, usize> = HashMap::new();
    let mut pool = candidates;
    while picked.len() < limit && !pool.is_empty() {
        let (best_i, _) = pool
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let beyond = per_essay
                    .get(&c.1)
                    .map_or(0, |n| (n + 1).saturating_sub(QUOTES_BEFORE_SPREAD));
                (i, c.0 * SPREAD.powi(beyond as i32))
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
            let text = p.sentence_span(from, to);
            let quoted_from = match inner_quotation(&p, from, to) {
                Some(InnerQuote { speaker, .. }) => speaker,
                None => None,
            };
            let own = rec
                .speaker_name(p.speaker)
                .map(str::to_string)
                .or_else(|| rec.byline());
            let attribution = match (&quoted_from, &own) {
                (Some(q), Some(o)) => Some(format!("{q}, quoted by {o}")),
                (Some(q), None) => Some(q.clone()),
                (None, o) => o.clone(),
            };
            let cite = citation::cite(
                rec,
                p.number,
                rec.speaker_name(p.speaker),
                req.style,
                accessed,
            );
            Quote {
                text: text.to_string(),
                essay_id: rec.meta.id.clone(),
                title: rec.meta.title.clone(),
                speaker: rec.speaker_name(p.speaker).map(str::to_string),
                attribution,
                quoted_from,
                byline: rec.byline(),
                url: rec.meta.url.clone().filter(|u| u.starts_with("http")),
                paragraph: p.number,
                sentences: (from, to),
                score,
                citation: cite.full.clone(),
                cite,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str) -> Paragraph {
        Paragraph::plain(39, text)
    }

    #[test]
    fn a_demonstrative_that_a_clause_completes_does_not_lean_back() {
        assert!(!leans_back(
            "This idea that Russia is somehow representing this anti-imperialist axis is very confused."
        ));
        assert!(!leans_back(
            "These claims that the West caused the war are old."
        ));
        assert!(leans_back("This is what that means for the left."));
        assert!(leans_back("This idea is very confused."));
        assert!(leans_back("That idea that Russia leads is confused."));
    }

    fn weights(words: &[&str]) -> HashMap<String, f32> {
        words
            .iter()
            .flat_map(|w| index::analyze(w))
            .map(|s| (s, 1.0))
            .collect()
    }

    /// The paragraph the seeds' evaluation asks about with "start from what
    /// matters to people in their neighbourhood" (survival-mechanism ¶39):
    /// by words, the knocking-on-doors sentence wins; by meaning, the
    /// sentence that says where to begin.
    #[test]
    fn meaning_chooses_among_windows_that_carry_the_words_and_keeps_the_rank() {
        let p = paragraph(
            "What counts are common interests. Instead, one should begin one's analysis with what is important for people. I like the idea of knocking on doors. One does not go there to agitate people, but to ask what is important in their neighbourhood.",
        );
        let w = weights(&["people", "neighbourhood", "important", "agitate"]);
        let (from, to, score) = best_window(&p, &w).unwrap();
        let by_words = p.sentence_span(from, to);
        assert!(by_words.starts_with("One does not go"), "{by_words}");
        // Sentence similarities as a model would give them: the second
        // sentence nearest the question.
        let sims = [0.2, 0.7, 0.1, 0.4];
        let (f2, t2, s2) = window_by_meaning(&p, &w, Some(&sims)).unwrap();
        assert!(
            p.sentence_span(f2, t2).contains("one should begin"),
            "{}",
            p.sentence_span(f2, t2)
        );
        assert_eq!(s2, score, "the paragraph ranks as it did by words");
        // A sentence that carries none of the words is never chosen for its
        // meaning alone, and without similarities the choice is by words.
        let sims = [0.9, 0.1, 0.1, 0.1];
        let (f3, t3, _) = window_by_meaning(&p, &w, Some(&sims)).unwrap();
        assert!(f3 > 0 || t3 > 1, "{}", p.sentence_span(f3, t3));
        assert_eq!(
            window_by_meaning(&p, &w, None),
            best_window(&p, &w),
            "no model, no change"
        );
        // Similarities of another paragraph's length are ignored.
        assert_eq!(window_by_meaning(&p, &w, Some(&[0.5])), best_window(&p, &w));
    }
}
