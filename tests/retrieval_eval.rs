//! The judged question sets are sound (every judged paragraph exists, every
//! key sentence is verbatim in one of its question's answers, about 30% is
//! held out), and retrieval on them does not fall below today's figures.
//! `cargo run --release -- eval` prints the figures.

mod common;

use commonplace::eval::{has_key, parse_ref, run, EvalSet};

fn seeds_set() -> EvalSet {
    EvalSet::load(&common::root().join("tests/fixtures/eval/seeds.toml")).unwrap()
}

/// Every judged paragraph exists, every key sentence is verbatim in one of
/// its question's answers, ids are unique and about 30% is held out.
fn check_set(set: &EvalSet, lib: &commonplace::library::Library, at_least: usize) {
    let snap = lib.snapshot();
    assert!(set.q.len() >= at_least, "{} questions", set.q.len());
    let held = set.q.iter().filter(|q| q.held_out).count();
    let share = held as f64 / set.q.len() as f64;
    assert!((0.27..=0.34).contains(&share), "held out {share:.2}");
    let mut ids = std::collections::HashSet::new();
    for q in &set.q {
        assert!(ids.insert(q.id.clone()), "duplicate id {}", q.id);
        assert!(!q.answers.is_empty(), "{}: no answers", q.id);
        for r in q.answers.iter().chain(&q.related) {
            let (essay, n) = parse_ref(r).unwrap();
            snap.paragraph(&essay, n)
                .unwrap_or_else(|e| panic!("{}: {r}: {e}", q.id));
        }
        let answers: Vec<String> = q
            .answers
            .iter()
            .map(|r| {
                let (e, n) = parse_ref(r).unwrap();
                snap.paragraph(&e, n).unwrap().text
            })
            .collect();
        for k in &q.key {
            assert!(
                answers.iter().any(|a| has_key(a, std::slice::from_ref(k))),
                "{}: key `{k}` is in none of its answers",
                q.id
            );
        }
    }
}

#[test]
fn the_seed_questions_are_judged_on_real_paragraphs() {
    let (lib, _d) = common::seeds();
    check_set(&seeds_set(), &lib, 60);
}

#[test]
fn the_corpora_questions_are_judged_on_real_paragraphs() {
    let (lib, _d) = common::open(common::corpora_dir());
    let set = EvalSet::load(&common::root().join("tests/fixtures/eval/corpora.toml")).unwrap();
    check_set(&set, &lib, 40);
}

#[test]
fn seed_retrieval_keeps_its_figures() {
    let (lib, _d) = common::seeds();
    let report = run(&lib.snapshot(), &seeds_set(), common::accessed()).unwrap();
    for (name, s) in [("dev", &report.dev), ("held out", &report.held_out)] {
        eprintln!(
            "{name}: n {} nDCG@5 {:.3} P@1 {:.3} (answers {:.3}) recall@10 {:.3} key {:.3}",
            s.questions, s.ndcg5, s.p1, s.p1_answer, s.recall10, s.key_sentence
        );
    }
    // Floors a little under today's BM25 figures (0.674 development, 0.646
    // held out, since answers inherit their interviewer's question): a
    // change that loses relevance fails here.
    assert!(report.dev.ndcg5 >= FLOOR_NDCG, "{:?}", report.dev);
    assert!(report.held_out.ndcg5 >= FLOOR_NDCG, "{:?}", report.held_out);
}

const FLOOR_NDCG: f64 = 0.60;
