//! Quotes: verbatim, whole sentences, attributed, diverse, safe with any input.

mod common;

use commonplace::citation::Style;
use commonplace::ingest::load_library;
use commonplace::search::quote::{find_quotes, Quote, QuoteRequest};
use commonplace::Error;

fn req(topic: &str, limit: usize) -> QuoteRequest {
    QuoteRequest {
        topic: topic.into(),
        limit,
        ..Default::default()
    }
}

/// Every quote must be a run of whole sentences of the paragraph it cites.
fn assert_verbatim(lib: &commonplace::library::Library, q: &Quote) {
    let snap = lib.snapshot();
    let p = snap.paragraph(&q.essay_id, q.paragraph).unwrap();
    assert!(
        p.text.contains(&q.text),
        "quote not verbatim in ¶{}: {}",
        q.paragraph,
        q.text
    );
    assert_eq!(p.sentence_span(q.sentences.0, q.sentences.1), q.text);
    assert!(q.sentences.1 - q.sentences.0 <= 3);
    assert!(
        q.text.chars().count() <= 520,
        "quote too long: {}",
        q.text.len()
    );
    let last = q.text.trim_end_matches(['"', '”', '’', '\'', ')']);
    assert!(
        last.ends_with(['.', '?', '!', '…']),
        "quote is a fragment: {}",
        q.text
    );
}

#[test]
fn quotes_are_verbatim_sentences_from_the_library() {
    let (lib, _d) = common::seeds();
    for topic in [
        "solidarity",
        "imperialism",
        "arms deliveries",
        "Aleppo hospitals",
        "nation-state",
        "campism",
        "migrant workers",
    ] {
        let quotes = find_quotes(&lib.snapshot(), &req(topic, 5), common::accessed()).unwrap();
        assert!(!quotes.is_empty(), "no quotes for {topic}");
        for q in &quotes {
            assert_verbatim(&lib, q);
        }
    }
}

#[test]
fn plain_language_topics_find_the_relevant_passages() {
    let (lib, _d) = common::seeds();
    let quotes = find_quotes(
        &lib.snapshot(),
        &req("should the left support sending weapons to Ukraine", 5),
        common::accessed(),
    )
    .unwrap();
    let text: String = quotes
        .iter()
        .map(|q| q.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("weapon") || text.contains("arms") || text.contains("military aid"),
        "{text}"
    );
    let quotes = find_quotes(
        &lib.snapshot(),
        &req("what happened to the hospitals in Aleppo", 3),
        common::accessed(),
    )
    .unwrap();
    assert_eq!(quotes[0].essay_id, "aleppo-interview");
    assert!(quotes[0].text.to_lowercase().contains("hospital"));
}

#[test]
fn quotes_are_diverse() {
    let (lib, _d) = common::seeds();
    let quotes = find_quotes(
        &lib.snapshot(),
        &req("internationalism", 6),
        common::accessed(),
    )
    .unwrap();
    let mut paras: Vec<(String, u32)> = quotes
        .iter()
        .map(|q| (q.essay_id.clone(), q.paragraph))
        .collect();
    let n = paras.len();
    paras.sort();
    paras.dedup();
    assert_eq!(paras.len(), n, "two quotes from one paragraph");
    let essays: std::collections::HashSet<_> = quotes.iter().map(|q| &q.essay_id).collect();
    assert!(essays.len() >= 3, "quotes concentrated in {essays:?}");
}

#[test]
fn interview_quotes_name_the_speaker_and_filters_work() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let mut r = req("Syria revolution", 5);
    r.speaker = Some("Kyselov".into());
    for q in find_quotes(&snap, &r, common::accessed()).unwrap() {
        assert_eq!(q.speaker.as_deref(), Some("Oleksandr Kyselov"));
        assert!(
            q.citation.starts_with("Kyselov, Oleksandr."),
            "{}",
            q.citation
        );
    }
    let mut r = req("imperialism", 5);
    r.essay = Some("modern-theory-of-internationalism".into());
    let qs = find_quotes(&snap, &r, common::accessed()).unwrap();
    assert!(!qs.is_empty());
    assert!(qs
        .iter()
        .all(|q| q.essay_id == "modern-theory-of-internationalism" && q.speaker.is_none()));
    // Cross-check attribution against the parsed text.
    let essays = load_library(&[common::seeds_dir()]).unwrap().essays;
    let mut r = req("Russia", 10);
    r.essay = Some("aleppo-interview".into());
    for q in find_quotes(&snap, &r, common::accessed()).unwrap() {
        let e = essays.iter().find(|e| e.meta.id == q.essay_id).unwrap();
        let p = e.paragraph(q.paragraph).unwrap();
        assert_eq!(e.speaker_of(p), q.speaker.as_deref());
    }
}

#[test]
fn an_interviewers_question_that_matches_lends_its_match_to_the_answer() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    // ¶31 asks "Is there a way people can do something practical which
    // goes anywhere beyond gesture politics?"; ¶32 answers in other words
    // ("find out who those groups are and promote their voices").
    let qs = find_quotes(
        &snap,
        &req(
            "can people do anything practical, beyond gesture politics",
            3,
        ),
        common::accessed(),
    )
    .unwrap();
    let places: Vec<(&str, u32)> = qs
        .iter()
        .map(|q| (q.essay_id.as_str(), q.paragraph))
        .collect();
    assert_eq!(
        places.first(),
        Some(&("aleppo-interview", 32)),
        "{places:?}"
    );
    // Quoted from its first sentence that says something, not from the
    // reply that opens it ("Of course, there is.").
    assert!(qs[0].text.split_whitespace().count() >= 6, "{}", qs[0].text);
    // The question itself is never offered as a quote.
    assert!(!places.contains(&("aleppo-interview", 31)), "{places:?}");
    for q in &qs {
        assert_verbatim(&lib, q);
    }
}

#[test]
fn a_word_of_the_same_family_finds_the_passage() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    // No seed says "justification"; four passages say "justified".
    let qs = find_quotes(&snap, &req("justification", 5), common::accessed()).unwrap();
    assert!(qs.len() >= 3, "{qs:?}");
    for q in &qs[..3] {
        assert!(q.text.contains("justified"), "{}", q.text);
        assert_verbatim(&lib, q);
    }
}

#[test]
fn words_of_degree_or_stance_in_a_question_change_nothing() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let places = |topic: &str| -> Vec<(String, u32)> {
        find_quotes(&snap, &req(topic, 5), common::accessed())
            .unwrap()
            .into_iter()
            .map(|q| (q.essay_id, q.paragraph))
            .collect()
    };
    // "Exactly these imperialist ambitions" does not say what imperialism is.
    assert_eq!(
        places("what is imperialism exactly"),
        places("what is imperialism")
    );
    assert_eq!(
        places("what do Syrians actually want"),
        places("what do Syrians want")
    );
    // A topic of nothing else is searched as it is.
    assert!(!places("actually").is_empty());
}

#[test]
fn unknown_essay_and_speaker_are_not_found_errors() {
    let (lib, _d) = common::seeds();
    let mut r = req("x y", 1);
    r.essay = Some("no-such-essay".into());
    assert!(matches!(
        find_quotes(&lib.snapshot(), &r, common::accessed()),
        Err(Error::EssayNotFound(_))
    ));
    let mut r = req("solidarity", 1);
    r.speaker = Some("Rosa Luxemburg".into());
    assert!(matches!(
        find_quotes(&lib.snapshot(), &r, common::accessed()),
        Err(Error::SpeakerNotFound(_))
    ));
}

#[test]
fn hostile_topics_never_crash() {
    let (lib, _d) = common::seeds();
    let nested = "(".repeat(1000) + &")".repeat(1000);
    let long = "solidarity ".repeat(600);
    let inputs = [
        "",
        "   ",
        "*",
        "AND",
        "field:x",
        "body:[a TO",
        "\"unbalanced",
        "don't",
        "http://example.org/a?b=c",
        nested.as_str(),
        long.as_str(),
        "😀 solidarity 😀",
        "\u{200b}\u{202e}imperialism",
        "\u{0007}\u{0000}war",
        "солидарность",
        "@everyone solidarity <@123>",
    ];
    for input in inputs {
        match find_quotes(&lib.snapshot(), &req(input, 3), common::accessed()) {
            Ok(qs) => qs.iter().for_each(|q| assert_verbatim(&lib, q)),
            Err(e) => assert!(e.is_user_error(), "{input:?} gave {e}"),
        }
    }
}

#[test]
fn another_quote_excludes_what_was_shown() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let first = find_quotes(&snap, &req("solidarity", 1), common::accessed())
        .unwrap()
        .remove(0);
    let mut r = req("solidarity", 1);
    r.exclude = vec![(first.essay_id.clone(), first.paragraph)];
    let next = find_quotes(&snap, &r, common::accessed())
        .unwrap()
        .remove(0);
    assert_ne!(
        (first.essay_id, first.paragraph),
        (next.essay_id, next.paragraph)
    );
}

#[test]
fn quote_citation_style_is_honoured() {
    let (lib, _d) = common::seeds();
    let mut r = req("Trotsky Fourth International", 1);
    r.style = Style::Apa;
    let q = find_quotes(&lib.snapshot(), &r, common::accessed())
        .unwrap()
        .remove(0);
    assert_eq!(q.essay_id, "what-internationalism-today");
    assert!(
        q.citation.starts_with("Kellaway, D. (2024, January 29)."),
        "{}",
        q.citation
    );
    assert!(q
        .citation
        .ends_with(&format!("(Kellaway, 2024, para. {})", q.paragraph)));
}

/// An essay named for its subject is about it in every paragraph, though few
/// of them say the word: a paragraph of "Of Gardens" that names gardens once
/// comes before one of "Of Travel" that names them twice; and "campist"
/// answers "campism".
#[test]
fn titles_and_word_families_count() {
    let dir = tempfile::tempdir().unwrap();
    for (file, title, body) in [
        (
            "of-gardens.md",
            "Of Gardens",
            "A man should walk at morning, when the air is sweetest and the flowers are open, in the garden, and see how the beds are laid out and the hedges kept.\n\nNothing else is said of this here.",
        ),
        (
            "of-travel.md",
            "Of Travel",
            "A traveller should see the gardens of every town, and the gardens of its great houses.\n\nAnd he should keep a diary.",
        ),
        (
            "of-camps.md",
            "Of Factions",
            "Some on the left take a campist view of the world, and side with any state that opposes their own.",
        ),
    ] {
        let text = format!("---\ntitle: \"{title}\"\nauthor: \"A. Writer\"\n---\n\n{body}\n");
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let (lib, _d) = common::open(dir.path().to_path_buf());
    let snap = lib.snapshot();
    let quotes = find_quotes(&snap, &req("gardens", 2), common::accessed()).unwrap();
    assert_eq!(quotes[0].essay_id, "of-gardens", "{quotes:?}");
    let quotes = find_quotes(&snap, &req("what is campism", 1), common::accessed()).unwrap();
    assert_eq!(quotes[0].essay_id, "of-camps", "{quotes:?}");
}
