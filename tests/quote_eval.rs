//! Relevance of `quote` on hand-written reading-circle questions: a quote
//! counts as relevant when it contains one of the words a reader would
//! expect. Prints precision@3 (run with `--nocapture`).

mod common;

use commonplace::search::quote::{find_quotes, QuoteRequest};

const CASES: &[(&str, &[&str])] = &[
    (
        "should the left support sending weapons to Ukraine",
        &["weapon", "arms", "military aid", "defend"],
    ),
    ("what happened to hospitals in Aleppo", &["hospital"]),
    (
        "why is campism a problem for solidarity",
        &["campis", "camp", "solidarity"],
    ),
    (
        "the anti-imperialism of idiots",
        &["anti-imperialis", "imperialis"],
    ),
    ("Russia's role in Syria", &["russia"]),
    (
        "can internationalism be imposed on people",
        &["internationalism", "impos", "choice", "chosen"],
    ),
    (
        "freedom of movement across borders",
        &["movement", "border", "migra"],
    ),
    (
        "what is the nation-state good for",
        &["nation-state", "nation", "state"],
    ),
    (
        "Trotsky and the Fourth International",
        &["trotsky", "fourth international", "international"],
    ),
    (
        "targeting nodes of international capital",
        &["capital", "node"],
    ),
    (
        "diaspora and transnational communities",
        &["transnational", "diaspora", "migrant", "communit"],
    ),
    ("Donald Trump and Putin", &["trump", "putin"]),
    ("the Kurdish movement in Rojava", &["rojava", "kurd"]),
    (
        "trade unions organising migrant workers",
        &["union", "migrant", "worker", "organis"],
    ),
    (
        "the collapse of the liberal international order",
        &["liberal", "order", "international"],
    ),
    (
        "what can the Syrian exiles and Ukrainians learn from each other",
        &["learn", "syria", "ukrain", "solidarity"],
    ),
];

#[test]
fn quotes_are_relevant_to_plain_questions() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let (mut relevant, mut total) = (0, 0);
    for (topic, expect) in CASES {
        let quotes = find_quotes(
            &snap,
            &QuoteRequest {
                topic: topic.to_string(),
                limit: 3,
                ..Default::default()
            },
            common::accessed(),
        )
        .unwrap();
        assert!(!quotes.is_empty(), "no quotes for {topic}");
        for q in &quotes {
            total += 1;
            let t = q.text.to_lowercase();
            if expect.iter().any(|e| t.contains(e)) {
                relevant += 1;
            } else {
                eprintln!("not relevant for {topic:?}: {}", q.text);
            }
        }
    }
    let p = relevant as f64 / total as f64;
    eprintln!(
        "quote precision@3 on {} hand-written questions: {relevant}/{total} = {:.0}%",
        CASES.len(),
        p * 100.0
    );
    assert!(p >= 0.8, "precision@3 {p:.2}");
}
