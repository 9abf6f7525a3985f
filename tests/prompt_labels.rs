//! The passage rules measured against prompts read and labelled by hand
//! (`tests/fixtures/prompts/labels.tsv`: 430 prompts of 83 corpora essays,
//! each marked y when a facilitator would post it, n when not, against
//! `docs/prompt-rubric.md`). The labels were written from reading the
//! passages and questions the generator made before the rules of this
//! change; a prompt the rules no longer generate counts as dropped.
//!
//! Every fourth labelled essay (in the file's order) is held aside: the
//! rules were changed while looking at the other essays only, and the
//! held-aside figures are reported on their own.
//!
//! `cargo test --release --test prompt_labels -- --nocapture` prints the
//! figures; with `COMMONPLACE_LIST_KEPT_NO=1` it also lists the kept
//! prompts labelled n of the development essays (what to work on next);
//! with `COMMONPLACE_LIST_DROPPED_YES=1` the dropped prompts labelled y
//! (what a new rule costs).

mod common;

use commonplace::citation::Style;
use commonplace::prompts::PromptEngine;
use std::collections::{HashMap, HashSet};

struct Label {
    id: String,
    yes: bool,
    essay: String,
    quote: String,
}

fn labels() -> Vec<Label> {
    std::fs::read_to_string(common::root().join("tests/fixtures/prompts/labels.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 6, "bad label line: {l}");
            assert!(f[1] == "y" || f[1] == "n", "bad label: {l}");
            Label {
                id: f[0].to_string(),
                yes: f[1] == "y",
                essay: f[2].to_string(),
                quote: f[5].to_string(),
            }
        })
        .collect()
}

/// Kept and labelled yes, kept and labelled no, dropped yes, dropped no.
#[derive(Default, Debug)]
struct Tally {
    kept_yes: usize,
    kept_no: usize,
    dropped_yes: usize,
    dropped_no: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        self.kept_yes as f64 / (self.kept_yes + self.kept_no).max(1) as f64
    }
    fn base(&self) -> f64 {
        (self.kept_yes + self.dropped_yes) as f64
            / (self.kept_yes + self.kept_no + self.dropped_yes + self.dropped_no).max(1) as f64
    }
}

#[test]
fn the_passage_rules_drop_what_a_reader_would_not_post() {
    let labels = labels();
    assert!(labels.len() >= 400, "{} labels", labels.len());
    let mut essays: Vec<&str> = Vec::new();
    for l in &labels {
        if !essays.contains(&l.essay.as_str()) {
            essays.push(&l.essay);
        }
    }
    let held: HashSet<&str> = essays
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 4 == 3)
        .map(|(_, e)| *e)
        .collect();
    let (lib, _d) = common::open(common::corpora_dir());
    let snap = lib.snapshot();
    let engine = PromptEngine::new();
    let mut pools: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut tops: HashMap<&str, Vec<String>> = HashMap::new();
    for e in &essays {
        let pool = engine
            .pool(&snap, Some(e), None, None, Style::Mla, common::accessed())
            .unwrap();
        // What a seed can pick: the first twelve distinct questions.
        let mut asked = HashSet::new();
        let top: Vec<String> = pool
            .iter()
            .filter(|p| asked.insert(p.question.clone()))
            .take(12)
            .map(|p| p.id.clone())
            .collect();
        tops.insert(*e, top);
        pools.insert(e, pool.into_iter().map(|p| p.id).collect());
    }
    let by_id: HashMap<&str, &Label> = labels.iter().map(|l| (l.id.as_str(), l)).collect();
    for (name, aside) in [("development", false), ("held aside", true)] {
        let (mut yes, mut no, mut unread) = (0, 0, 0);
        for (e, top) in &tops {
            if held.contains(e) != aside {
                continue;
            }
            for id in top {
                match by_id.get(id.as_str()) {
                    Some(l) if l.yes => yes += 1,
                    Some(_) => no += 1,
                    None => unread += 1,
                }
            }
        }
        eprintln!(
            "{name}, first twelve of each pool: {yes} postable, {no} not, {unread} unlabelled; postable among labelled {:.2}",
            yes as f64 / (yes + no).max(1) as f64
        );
    }
    let list = std::env::var_os("COMMONPLACE_LIST_KEPT_NO").is_some();
    let list_dropped = std::env::var_os("COMMONPLACE_LIST_DROPPED_YES").is_some();
    let (mut dev, mut aside) = (Tally::default(), Tally::default());
    for l in &labels {
        let kept = pools[l.essay.as_str()].contains(&l.id);
        let t = if held.contains(l.essay.as_str()) {
            &mut aside
        } else {
            &mut dev
        };
        match (kept, l.yes) {
            (true, true) => t.kept_yes += 1,
            (true, false) => t.kept_no += 1,
            (false, true) => t.dropped_yes += 1,
            (false, false) => t.dropped_no += 1,
        }
        if list && kept && !l.yes && !held.contains(l.essay.as_str()) {
            eprintln!("kept n: {} {} “{}…”", l.id, l.essay, l.quote);
        }
        if list_dropped && !kept && l.yes && !held.contains(l.essay.as_str()) {
            eprintln!("dropped y: {} {} “{}…”", l.id, l.essay, l.quote);
        }
    }
    for (name, t) in [("development", &dev), ("held aside", &aside)] {
        eprintln!(
            "{name}: {t:?}; postable among kept {:.2} (among all labelled {:.2})",
            t.precision(),
            t.base()
        );
    }
    // The bot posts a prompt only if a facilitator would (the rubric), so
    // the rules may pass over some postable prompts to keep the pool
    // clean: but never more than a fifth of them, and they must drop an
    // unpostable prompt at least twice as readily as a postable one. What
    // they keep must be more postable than what they were given.
    for t in [&dev, &aside] {
        let yes = t.kept_yes + t.dropped_yes;
        let no = t.kept_no + t.dropped_no;
        assert!(
            t.dropped_yes * 5 <= yes,
            "dropped {} of {yes} postable prompts",
            t.dropped_yes,
        );
        assert!(
            t.dropped_no * yes >= 2 * t.dropped_yes * no,
            "dropped {} of {no} unpostable prompts but {} of {yes} postable ones",
            t.dropped_no,
            t.dropped_yes,
        );
        assert!(t.precision() >= t.base(), "{t:?}");
    }
}
