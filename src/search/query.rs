//! Turning user text into tantivy queries without `QueryParser`: user text is
//! analyzed with the body's own analyzer and the query is built from terms, so
//! no character a user types has syntax.

use crate::index::{self, Fields};
use crate::text::{lexicon, stopwords};
use std::collections::HashSet;
use std::sync::LazyLock;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Searcher;

/// The most user text we analyze (longer input is cut at a character boundary).
pub const MAX_INPUT_CHARS: usize = 6000;

static STEMMED_STOPWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    stopwords::STOPWORDS
        .iter()
        .flat_map(|w| index::analyze(w))
        .collect()
});

/// Cut text to at most `max` characters.
pub fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// Stemmed terms of user text in order, with a flag for function words.
pub fn terms(text: &str) -> Vec<(String, bool)> {
    index::analyze(truncate_chars(text, MAX_INPUT_CHARS))
        .into_iter()
        .map(|t| {
            let stop = STEMMED_STOPWORDS.contains(&t);
            (t, stop)
        })
        .collect()
}

/// Content terms: distinct non-function words, the rarest first, at most `max`.
/// When all words are function words, they are used instead.
pub fn content_terms(searcher: &Searcher, f: &Fields, text: &str, max: usize) -> Vec<String> {
    let all = terms(text);
    let mut seen = HashSet::new();
    let mut content: Vec<String> = all
        .iter()
        .filter(|(_, stop)| !stop)
        .map(|(t, _)| t.clone())
        .filter(|t| seen.insert(t.clone()))
        .collect();
    if content.is_empty() {
        content = all
            .into_iter()
            .map(|(t, _)| t)
            .filter(|t| seen.insert(t.clone()))
            .collect();
    }
    if content.len() > max {
        // Keep the rarest: they say most about where a text comes from.
        let mut with_df: Vec<(u64, String)> = content
            .into_iter()
            .map(|t| (searcher.doc_freq(&index::term(f.body, &t)).unwrap_or(0), t))
            .filter(|(df, _)| *df > 0)
            .collect();
        with_df.sort();
        content = with_df.into_iter().take(max).map(|(_, t)| t).collect();
    }
    content
}

/// Inverse document frequency of a stemmed term.
pub fn idf(searcher: &Searcher, f: &Fields, term: &str) -> f32 {
    let n = searcher.num_docs() as f32;
    let df = searcher.doc_freq(&index::term(f.body, term)).unwrap_or(0) as f32;
    ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
}

/// How much a word of a question word's family counts beside the word.
/// Tuned on the development questions (`commonplace eval`, 0 to 0.8): 0.15
/// to 0.3 gave the best nDCG@5 on the seeds (0.674 -> 0.678) and the
/// corpora (0.372 -> 0.374), and the key sentence more often (0.647 ->
/// 0.714 on the seeds); at 0.5 the corpora fell below none.
pub const FAMILY_WEIGHT: f32 = 0.3;

/// Stems of the words of the family of `text`'s words of content ("invasion"
/// for "invading", see [`lexicon::family`]) that the library has and `text`
/// does not, at most `max`.
pub fn family_terms(searcher: &Searcher, f: &Fields, text: &str, max: usize) -> Vec<String> {
    let own: HashSet<String> = terms(text).into_iter().map(|(t, _)| t).collect();
    let mut out: Vec<String> = Vec::new();
    for word in truncate_chars(text, MAX_INPUT_CHARS)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| lexicon::is_content(w))
    {
        for kin in lexicon::family(word) {
            let Some(stem) = index::analyze(kin).into_iter().next() else {
                continue;
            };
            if !own.contains(&stem)
                && !out.contains(&stem)
                && searcher.doc_freq(&index::term(f.body, &stem)).unwrap_or(0) > 0
            {
                out.push(stem);
            }
        }
    }
    out.truncate(max);
    out
}

/// A disjunction of terms, plus proximity-boosted phrases for adjacent content
/// words in the user's order, restricted by optional filters.
pub fn topic_query(
    f: &Fields,
    text: &str,
    content: &[String],
    family: &[String],
    essay: Option<&str>,
    speaker: Option<&str>,
    context_boost: Option<f32>,
) -> Box<dyn Query> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = content
        .iter()
        .map(|t| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                index::term(f.body, t),
                IndexRecordOption::WithFreqs,
            ));
            (Occur::Should, q)
        })
        .collect();
    // Words of the same family ("invasion" for "invading") count for less
    // than the words asked.
    for t in family {
        let q = TermQuery::new(index::term(f.body, t), IndexRecordOption::WithFreqs);
        should.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(q), FAMILY_WEIGHT)),
        ));
    }
    let set: HashSet<&String> = content.iter().collect();
    let seq: Vec<String> = terms(text)
        .into_iter()
        .filter(|(t, stop)| !stop && set.contains(t))
        .map(|(t, _)| t)
        .collect();
    let mut pairs = HashSet::new();
    for w in seq.windows(2) {
        if w[0] != w[1] && pairs.insert((w[0].clone(), w[1].clone())) && pairs.len() <= 16 {
            let mut pq =
                PhraseQuery::new(vec![index::term(f.body, &w[0]), index::term(f.body, &w[1])]);
            pq.set_slop(3);
            should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(pq), 1.5))));
        }
    }
    if let Some(boost) = context_boost {
        let weighted = content
            .iter()
            .map(|t| (t, boost))
            .chain(family.iter().map(|t| (t, boost * FAMILY_WEIGHT)));
        for (t, boost) in weighted {
            let q = TermQuery::new(index::term(f.context, t), IndexRecordOption::WithFreqs);
            should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
        }
    }
    let disjunction: Box<dyn Query> = Box::new(BooleanQuery::new(should));
    let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, disjunction)];
    if let Some(e) = essay {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                index::term(f.essay, e),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if let Some(s) = speaker {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                index::term(f.speaker, &s.to_lowercase()),
                IndexRecordOption::Basic,
            )),
        ));
    }
    Box::new(BooleanQuery::new(must))
}
