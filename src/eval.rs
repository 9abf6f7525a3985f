//! Retrieval evaluation: plain-language questions with graded paragraph
//! judgments (`tests/fixtures/eval/*.toml`), run through `quote` as members
//! ask it, scored by nDCG@5, P@1, recall@10 and the key-sentence rate,
//! separately for the development questions and those held out from
//! tuning.

use crate::error::{Error, Result};
use crate::library::Snapshot;
use crate::search::quote::{find_quotes, QuoteRequest};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One question and its judgments.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id (`s01`).
    pub id: String,
    /// The question as a member would type it.
    pub text: String,
    /// Kept aside from tuning.
    #[serde(default)]
    pub held_out: bool,
    /// Paragraphs that answer it (`essay-id:number`), grade 2.
    pub answers: Vec<String>,
    /// Paragraphs on its topic that do not answer it, grade 1.
    #[serde(default)]
    pub related: Vec<String>,
    /// Fragments of the sentences a reader would underline in the answers.
    #[serde(default)]
    pub key: Vec<String>,
}

/// A set of questions over one library.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalSet {
    /// The questions.
    pub q: Vec<Question>,
}

impl EvalSet {
    /// Read a set from a TOML file.
    pub fn load(path: &Path) -> Result<EvalSet> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
    }
}

/// A paragraph reference, `essay-id:number`.
pub fn parse_ref(r: &str) -> Result<(String, u32)> {
    r.rsplit_once(':')
        .and_then(|(e, n)| Some((e.to_string(), n.parse().ok()?)))
        .ok_or_else(|| Error::Config(format!("`{r}` is not `essay-id:number`")))
}

impl Question {
    /// The grade of every judged paragraph.
    pub fn grades(&self) -> Result<HashMap<(String, u32), u32>> {
        let mut g = HashMap::new();
        for r in &self.related {
            g.insert(parse_ref(r)?, 1);
        }
        for r in &self.answers {
            g.insert(parse_ref(r)?, 2);
        }
        Ok(g)
    }
}

/// Figures over a group of questions.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Scores {
    /// Questions scored.
    pub questions: usize,
    /// Mean nDCG over the first five distinct paragraphs (gain 2^grade - 1).
    pub ndcg5: f64,
    /// Share of questions whose first quote is from a judged paragraph
    /// (grade 1 or 2).
    pub p1: f64,
    /// Share of questions whose first quote answers them (grade 2).
    pub p1_answer: f64,
    /// Mean share of the answering paragraphs among the first ten.
    pub recall10: f64,
    /// Of the questions whose first quote is from an answering paragraph,
    /// the share whose quoted sentences include a key sentence.
    pub key_sentence: f64,
}

/// One question's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Question id.
    pub id: String,
    /// Held out from tuning.
    pub held_out: bool,
    /// nDCG@5.
    pub ndcg5: f64,
    /// Grade of the first quote's paragraph.
    pub first_grade: u32,
    /// The first quote (`essay:paragraph` and its text).
    pub first: Option<(String, String)>,
    /// Whether the first quote holds a key sentence (when it answers).
    pub key_hit: Option<bool>,
}

/// The report: figures for the development and held-out questions.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Development questions (tuned on).
    pub dev: Scores,
    /// Held-out questions.
    pub held_out: Scores,
    /// Every question.
    pub outcomes: Vec<Outcome>,
    /// Time to answer a question (ten quotes), ms: median and 99th
    /// percentile.
    pub latency_ms: (f64, f64),
}

fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` contains one of the key fragments.
pub fn has_key(text: &str, keys: &[String]) -> bool {
    let t = normalise(text);
    keys.iter().any(|k| t.contains(&normalise(k)))
}

fn dcg(gains: impl Iterator<Item = u32>) -> f64 {
    gains
        .enumerate()
        .map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// Score one question's ranked paragraphs.
pub fn score(q: &Question, ranked: &[(String, u32)], first_text: Option<&str>) -> Result<Outcome> {
    let grades = q.grades()?;
    let grade = |p: &(String, u32)| grades.get(p).copied().unwrap_or(0);
    let mut ideal: Vec<u32> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg(ideal.into_iter().take(5));
    let ndcg5 = if idcg > 0.0 {
        dcg(ranked.iter().take(5).map(grade)) / idcg
    } else {
        0.0
    };
    let first_grade = ranked.first().map_or(0, grade);
    let key_hit = (first_grade == 2 && !q.key.is_empty())
        .then(|| first_text.is_some_and(|t| has_key(t, &q.key)));
    Ok(Outcome {
        id: q.id.clone(),
        held_out: q.held_out,
        ndcg5,
        first_grade,
        first: ranked
            .first()
            .map(|(e, n)| (format!("{e}:{n}"), first_text.unwrap_or("").to_string())),
        key_hit,
    })
}

fn recall10(q: &Question, ranked: &[(String, u32)]) -> Result<f64> {
    let answers: Vec<(String, u32)> = q
        .answers
        .iter()
        .map(|r| parse_ref(r))
        .collect::<Result<_>>()?;
    if answers.is_empty() {
        return Ok(1.0);
    }
    let top: Vec<&(String, u32)> = ranked.iter().take(10).collect();
    Ok(answers.iter().filter(|a| top.contains(a)).count() as f64 / answers.len() as f64)
}

/// Run every question of `set` through `quote` (ten quotes, as a member
/// asking for more would see them) and score it.
pub fn run(snap: &Snapshot, set: &EvalSet, accessed: jiff::civil::Date) -> Result<Report> {
    let mut outcomes = Vec::new();
    let mut recalls = Vec::new();
    let mut times = Vec::new();
    // The bot reads the lexicon (word families) at start-up; the figures
    // are for questions it serves, not for the first question's load.
    crate::text::lexicon::warm();
    for q in &set.q {
        let started = std::time::Instant::now();
        let quotes = find_quotes(
            snap,
            &QuoteRequest {
                topic: q.text.clone(),
                limit: 10,
                ..Default::default()
            },
            accessed,
        )?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        // Distinct paragraphs in the order first shown.
        let mut ranked: Vec<(String, u32)> = Vec::new();
        for quote in &quotes {
            let p = (quote.essay_id.clone(), quote.paragraph);
            if !ranked.contains(&p) {
                ranked.push(p);
            }
        }
        outcomes.push(score(q, &ranked, quotes.first().map(|q| q.text.as_str()))?);
        recalls.push((q.held_out, recall10(q, &ranked)?));
    }
    let group = |held: bool| {
        let os: Vec<&Outcome> = outcomes.iter().filter(|o| o.held_out == held).collect();
        let rs: Vec<f64> = recalls
            .iter()
            .filter(|r| r.0 == held)
            .map(|r| r.1)
            .collect();
        let n = os.len().max(1) as f64;
        let keyed: Vec<bool> = os.iter().filter_map(|o| o.key_hit).collect();
        Scores {
            questions: os.len(),
            ndcg5: os.iter().map(|o| o.ndcg5).sum::<f64>() / n,
            p1: os.iter().filter(|o| o.first_grade >= 1).count() as f64 / n,
            p1_answer: os.iter().filter(|o| o.first_grade == 2).count() as f64 / n,
            recall10: rs.iter().sum::<f64>() / n,
            key_sentence: keyed.iter().filter(|k| **k).count() as f64 / keyed.len().max(1) as f64,
        }
    };
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        times
            .get(((times.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Report {
        dev: group(false),
        held_out: group(true),
        latency_ms: (pct(0.5), pct(0.99)),
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(answers: &[&str], related: &[&str]) -> Question {
        Question {
            id: "t".into(),
            text: "t".into(),
            held_out: false,
            answers: answers.iter().map(|s| s.to_string()).collect(),
            related: related.iter().map(|s| s.to_string()).collect(),
            key: vec!["Internationalism is not a luxury".into()],
        }
    }

    fn p(e: &str, n: u32) -> (String, u32) {
        (e.to_string(), n)
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_less_otherwise() {
        let q = q(&["a:1", "a:2"], &["a:3"]);
        let best = score(&q, &[p("a", 1), p("a", 2), p("a", 3)], None).unwrap();
        assert!((best.ndcg5 - 1.0).abs() < 1e-9);
        let worse = score(&q, &[p("a", 3), p("a", 1), p("a", 2)], None).unwrap();
        assert!(worse.ndcg5 < 1.0 && worse.ndcg5 > 0.5, "{}", worse.ndcg5);
        let none = score(&q, &[p("b", 1)], None).unwrap();
        assert_eq!(none.ndcg5, 0.0);
        assert_eq!(none.first_grade, 0);
        assert_eq!(recall10(&q, &[p("a", 2), p("x", 1)]).unwrap(), 0.5);
    }

    #[test]
    fn key_sentences_match_across_typography() {
        let q = q(&["a:1"], &[]);
        let hit = score(
            &q,
            &[p("a", 1)],
            Some("It is a survival mechanism. Internationalism is not a  luxury that adds…"),
        )
        .unwrap();
        assert_eq!(hit.key_hit, Some(true));
        let miss = score(&q, &[p("a", 1)], Some("Through joint discussions")).unwrap();
        assert_eq!(miss.key_hit, Some(false));
        assert!(has_key("don’t", &["don't".into()]));
        assert!(parse_ref("essay-x:3").is_ok() && parse_ref("essay").is_err());
    }
}
