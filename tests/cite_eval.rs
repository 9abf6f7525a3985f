//! Evaluation of `cite`: generated misquotes of library sentences must be
//! found in the right paragraph; quotes from outside the library (other
//! books, famous quotes, invented on-topic ones) must not be attributed.
//! Prints the figures (run with `--nocapture` to see them).

mod common;

use commonplace::citation::Style;
use commonplace::ingest::load_library;
use commonplace::model::Essay;
use commonplace::search::cite::find_source;
use commonplace::search::verdict::Verdict;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exact,
    Typos,
    Dropped,
    Swapped,
    Ellipsis,
    CasePunct,
    Spelling,
    Reworded,
    AcrossParagraphs,
}

const KINDS: [Kind; 9] = [
    Kind::Exact,
    Kind::Typos,
    Kind::Dropped,
    Kind::Swapped,
    Kind::Ellipsis,
    Kind::CasePunct,
    Kind::Spelling,
    Kind::Reworded,
    Kind::AcrossParagraphs,
];

fn typo(w: &str, rng: &mut StdRng) -> String {
    let mut c: Vec<char> = w.chars().collect();
    if c.len() < 4 {
        return w.to_string();
    }
    let i = rng.gen_range(1..c.len() - 1);
    match rng.gen_range(0..3) {
        0 => {
            c.remove(i);
        }
        1 => c.swap(i, i - 1),
        _ => c.insert(i, 'e'),
    }
    c.into_iter().collect()
}

const SYNONYMS: &[(&str, &str)] = &[
    ("very", "really"),
    ("big", "large"),
    ("people", "folks"),
    ("important", "crucial"),
    ("said", "stated"),
    ("must", "should"),
    ("world", "globe"),
    ("left", "Left"),
    ("think", "believe"),
    ("now", "today"),
    ("because", "since"),
    ("many", "numerous"),
    ("also", "too"),
    ("often", "frequently"),
    ("help", "aid"),
];

const UK_US: &[(&str, &str)] = &[
    ("organise", "organize"),
    ("organisation", "organization"),
    ("defence", "defense"),
    ("recognise", "recognize"),
    ("centre", "center"),
    ("labour", "labor"),
    ("programme", "program"),
    ("neighbouring", "neighboring"),
    ("favour", "favor"),
    ("organising", "organizing"),
    ("analyse", "analyze"),
    ("realise", "realize"),
];

/// Words whose loss or change would change the claim (a negation, a number,
/// a name, an adverb that may qualify it: "freely chosen"):
/// meaning-preserving misquotes leave them alone.
fn meaning_bearing(w: &str, i: usize) -> bool {
    let l = w
        .to_lowercase()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    (l.len() > 4 && l.ends_with("ly"))
        || [
            "not", "no", "never", "nor", "neither", "without", "cannot", "none", "nothing",
            "nobody",
        ]
        .contains(&l.as_str())
        || l.ends_with("n't")
        || l.ends_with("n’t")
        || l.chars().any(|c| c.is_ascii_digit())
        || (i > 0 && w.chars().next().is_some_and(char::is_uppercase))
}

fn safe_index(w: &[String], lo: usize, hi: usize, rng: &mut StdRng) -> Option<usize> {
    let ok: Vec<usize> = (lo..hi).filter(|&i| !meaning_bearing(&w[i], i)).collect();
    ok.choose(rng).copied()
}

fn misquote(words: &[&str], kind: Kind, rng: &mut StdRng) -> String {
    let mut w: Vec<String> = words.iter().map(|s| s.to_string()).collect();
    match kind {
        Kind::Exact | Kind::AcrossParagraphs => {}
        Kind::Typos => {
            for _ in 0..2 {
                let i = rng.gen_range(0..w.len());
                w[i] = typo(&w[i], rng);
            }
        }
        Kind::Dropped => {
            for _ in 0..2 {
                if w.len() > 6 {
                    if let Some(i) = safe_index(&w, 1, w.len() - 1, rng) {
                        w.remove(i);
                    }
                }
            }
        }
        Kind::Swapped => {
            let i = rng.gen_range(0..w.len() - 1);
            w.swap(i, i + 1);
        }
        Kind::Ellipsis => {
            let n = w.len();
            if n >= 12 {
                let a = n / 3;
                let b = a + n / 3;
                w.splice(a..b, ["...".to_string()]);
            }
        }
        Kind::CasePunct => {
            let s = w
                .join(" ")
                .to_uppercase()
                .replace([',', ';'], "")
                .replace('’', "'");
            return format!("\"{s}\"");
        }
        Kind::Spelling => {
            for x in w.iter_mut() {
                let lower = x.to_lowercase();
                for (uk, us) in UK_US {
                    if lower.starts_with(uk) {
                        *x = x.replacen(uk, us, 1);
                    } else if lower.starts_with(us) {
                        *x = x.replacen(us, uk, 1);
                    }
                }
            }
        }
        Kind::Reworded => {
            let mut changed = 0;
            for x in w.iter_mut() {
                if let Some((_, to)) = SYNONYMS.iter().find(|(f, _)| *f == x.as_str()) {
                    if changed < 2 {
                        *x = to.to_string();
                        changed += 1;
                    }
                }
            }
            // No synonym to swap: a filler word added keeps the meaning
            // (replacing a word with it would not: "the passage of indeed").
            if changed == 0 {
                if let Some(i) = safe_index(&w, 0, w.len(), rng) {
                    w.insert(i, "indeed".into());
                }
            }
        }
    }
    w.join(" ")
}

struct Sample {
    essay: String,
    paragraph: u32,
    text: String,
    /// The sentence it was made from.
    original: String,
    kind: Kind,
}

fn samples(essays: &[Essay], per_kind: usize, rng: &mut StdRng) -> Vec<Sample> {
    let mut out = Vec::new();
    let mut sentences: Vec<(&Essay, u32, String)> = Vec::new();
    for e in essays {
        for p in &e.paragraphs {
            for i in 0..p.sentences.len() {
                let s = p.sentence(i);
                let n = s.split_whitespace().count();
                if (10..=45).contains(&n) {
                    sentences.push((e, p.number, s.to_string()));
                }
            }
        }
    }
    for kind in KINDS {
        for _ in 0..per_kind {
            if kind == Kind::AcrossParagraphs {
                let e = essays.choose(rng).unwrap();
                if e.paragraphs.len() < 2 {
                    continue;
                }
                let i = rng.gen_range(0..e.paragraphs.len() - 1);
                let (a, b) = (&e.paragraphs[i], &e.paragraphs[i + 1]);
                let tail: Vec<&str> = a
                    .text
                    .split_whitespace()
                    .rev()
                    .take(8)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let head: Vec<&str> = b.text.split_whitespace().take(8).collect();
                out.push(Sample {
                    essay: e.meta.id.clone(),
                    paragraph: a.number,
                    text: format!("{} {}", tail.join(" "), head.join(" ")),
                    original: String::new(),
                    kind,
                });
                continue;
            }
            let (e, p, s) = sentences.choose(rng).unwrap();
            let words: Vec<&str> = s.split_whitespace().collect();
            out.push(Sample {
                essay: e.meta.id.clone(),
                paragraph: *p,
                text: misquote(&words, kind, rng),
                original: s.clone(),
                kind,
            });
        }
    }
    out
}

const FAMOUS: &[&str] = &[
    "Workers of the world unite, you have nothing to lose but your chains.",
    "The philosophers have only interpreted the world in various ways; the point is to change it.",
    "Injustice anywhere is a threat to justice everywhere.",
    "Power concedes nothing without a demand. It never did and it never will.",
    "Freedom is always the freedom of the one who thinks differently.",
    "Those who make peaceful revolution impossible will make violent revolution inevitable.",
    "The history of all hitherto existing society is the history of class struggles.",
    "Be the change that you wish to see in the world.",
    "If there is no struggle there is no progress.",
    "An eye for an eye only ends up making the whole world blind.",
    "We must learn to live together as brothers or perish together as fools.",
    "The arc of the moral universe is long, but it bends toward justice.",
    "Patriotism is the last refuge of a scoundrel.",
    "War is the continuation of politics by other means.",
    "All that is solid melts into air, all that is holy is profaned.",
    "I am a citizen of the world, and my country is the whole earth.",
    "The oppressed are allowed once every few years to decide which particular representatives of the oppressing class are to represent them.",
    "In a time of universal deceit, telling the truth is a revolutionary act.",
    "Nationalism is an infantile disease. It is the measles of mankind.",
    "If you have come here to help me you are wasting your time, but if you have come because your liberation is bound up with mine, then let us work together.",
];

const INVENTED: &[&str] = &[
    "Internationalism is the only way the left can defeat fascism in Europe today.",
    "Solidarity with Ukraine means supporting the Ukrainian working class against both Putin and the oligarchs.",
    "The Western left has abandoned the Syrian revolution because it cares more about opposing America than about Syrian lives.",
    "Campism is a betrayal of the principle that workers everywhere share the same enemies.",
    "A new international must be built from below, by trade unions and social movements, not by small sects.",
    "The collapse of the liberal order opens the door to authoritarian regimes in every continent.",
    "Arms deliveries to Ukraine are a form of solidarity that the pacifist left refuses to understand.",
    "Diaspora communities are the natural bridge between struggles in the imperial core and the global south.",
    "The nation-state was a necessary stage of history, but it has become an obstacle to human freedom.",
    "Russia's bombing of Aleppo showed that the United Nations is powerless when a great power is involved.",
    "Anti-imperialism that only opposes the United States is not anti-imperialism at all.",
    "Free movement of people across borders is the first step towards a genuinely international democracy.",
    "We need an internationalism that listens to the people who are actually being bombed.",
    "The climate crisis makes national solutions meaningless, since pollution respects no borders at all.",
    "Left governments in Latin America have too often repressed the very movements that brought them to power.",
];

#[test]
fn cite_finds_misquotes_and_refuses_outside_quotes() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let essays = load_library(&[common::seeds_dir()]).unwrap().essays;
    let mut rng = StdRng::seed_from_u64(7);
    let set = samples(&essays, 25, &mut rng);
    let mut right = 0;
    let mut wrong = 0;
    let mut missed = 0;
    let mut per_kind: Vec<(Kind, usize, usize)> = KINDS.iter().map(|k| (*k, 0, 0)).collect();
    let mut wrong_verdict = Vec::new();
    for s in &set {
        let r = find_source(&snap, &s.text, Style::Mla, common::accessed()).unwrap();
        let slot = per_kind.iter_mut().find(|k| k.0 == s.kind).unwrap();
        slot.2 += 1;
        if !r.found {
            missed += 1;
            eprintln!(
                "MISSED {:?} ({:?}): {} -> {:?}",
                s.kind, r.verdict, s.text, r.differences
            );
        } else if r.essay_id.as_deref() == Some(s.essay.as_str())
            && r.paragraph == Some(s.paragraph)
        {
            right += 1;
            slot.1 += 1;
            // An exact copy is verbatim; every other kind differs somewhere.
            // (A generator that found nothing to change made a copy.)
            let expected = if s.text == s.original {
                Verdict::Verbatim
            } else {
                Verdict::Misquoted
            };
            if r.verdict != expected && s.kind != Kind::AcrossParagraphs {
                wrong_verdict.push(format!("{:?} as {:?}: {}", s.kind, r.verdict, s.text));
            }
        } else {
            wrong += 1;
            eprintln!(
                "WRONG {:?}: {} -> {:?} ¶{:?}",
                s.kind, s.text, r.essay_id, r.paragraph
            );
        }
    }
    let n = set.len();
    eprintln!("misquotes: {n}, found in the right paragraph {right} ({:.1}%), not found {missed}, wrong place {wrong}", 100.0 * right as f64 / n as f64);
    for (k, ok, total) in &per_kind {
        eprintln!("  {k:?}: {ok}/{total}");
    }
    assert!(wrong_verdict.is_empty(), "{wrong_verdict:#?}");

    // Outside the library: famous, invented on-topic, and sentences of other books.
    let corpora = load_library(&[common::corpora_dir()]).unwrap().essays;
    let mut outside: Vec<String> = FAMOUS
        .iter()
        .chain(INVENTED)
        .map(|s| s.to_string())
        .collect();
    let mut other: Vec<String> = corpora
        .iter()
        .flat_map(|e| {
            e.paragraphs
                .iter()
                .filter(|p| p.sentences.len() > 1)
                .map(|p| p.sentence(0).to_string())
        })
        .filter(|s| (10..=40).contains(&s.split_whitespace().count()))
        .collect();
    other.shuffle(&mut rng);
    outside.extend(other.into_iter().take(300));
    let mut false_attributions = 0;
    let mut max_conf = 0.0f32;
    for q in &outside {
        let r = find_source(&snap, q, Style::Mla, common::accessed()).unwrap();
        max_conf = max_conf.max(r.confidence);
        if r.found {
            false_attributions += 1;
            eprintln!(
                "FALSE ATTRIBUTION ({:.2}): {q} -> {:?}",
                r.confidence, r.matched_text
            );
        }
    }
    eprintln!(
        "outside quotes: {}, attributed {false_attributions}, highest confidence {max_conf:.2}",
        outside.len()
    );

    assert_eq!(
        false_attributions, 0,
        "quotes from outside the library were attributed"
    );
    assert_eq!(wrong, 0, "misquotes attributed to the wrong place");
    assert!(
        right as f64 >= 0.9 * n as f64,
        "only {right}/{n} misquotes found"
    );
}

#[test]
fn cite_on_the_corpora_finds_hard_wrapped_text() {
    let (lib, _d) = common::open(common::corpora_dir());
    let snap = lib.snapshot();
    let r = find_source(
        &snap,
        "The mass of men lead lives of quiet desparation",
        Style::Mla,
        common::accessed(),
    )
    .unwrap();
    assert!(r.found);
    assert_eq!(r.title.as_deref(), Some("Economy"));
    let essays = load_library(&[common::corpora_dir()]).unwrap().essays;
    let mut rng = StdRng::seed_from_u64(11);
    let set = samples(&essays, 6, &mut rng);
    let right = set
        .iter()
        .filter(|s| {
            let r = find_source(&snap, &s.text, Style::Mla, common::accessed()).unwrap();
            let ok = r.found
                && r.essay_id.as_deref() == Some(s.essay.as_str())
                && r.paragraph == Some(s.paragraph);
            if !ok {
                eprintln!(
                    "corpora MISSED {:?} ({:?}, {:?} ¶{:?}): {} -> {:?}",
                    s.kind, r.verdict, r.essay_id, r.paragraph, s.text, r.differences
                );
            }
            ok
        })
        .count();
    eprintln!(
        "corpora misquotes: {right}/{} in the right paragraph",
        set.len()
    );
    assert!(
        right as f64 >= 0.85 * set.len() as f64,
        "{right}/{}",
        set.len()
    );
}

#[test]
fn cite_rejects_too_short_input_and_survives_hostile_text() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    assert!(find_source(&snap, "", Style::Mla, common::accessed()).is_err());
    assert!(find_source(&snap, "the", Style::Mla, common::accessed()).is_err());
    let nested = "[".repeat(1000);
    for s in [
        nested.as_str(),
        &"a b c ".repeat(2000),
        "AND OR NOT field:x * ? \" ' [a TO b",
        "😀😀😀 🙃🙃 ✊✊✊",
    ] {
        let r = find_source(&snap, s, Style::Mla, common::accessed());
        if let Ok(r) = r {
            assert!(!r.found);
        }
    }
}

/// Reversals a member might paste, written from the seeds' own sentences:
/// each changes what the text claims.
const REVERSALS: &[&str] = &[
    "Internationalism is a luxury that adds something extra to the national and local struggle.",
    "Saying that people have to accept being slaughtered, to defend our anti-imperialist principles, is morally justified.",
    "It is imperialist for one nation to simply be richer or more powerful than another.",
    "Tyrants across the world know now that they cannot maintain their power through mass slaughter.",
    "Opposition to military aid is more persuasive when that aid is given at the request of the democratically elected government of a country being invaded.",
    "Internationalism is not a luxury that adds something extra to the national and local struggle – it is not a survival mechanism.",
    "It is imperialist for one nation to simply be richer or less powerful than another.",
    "Saying that people have to accept being slaughtered, to defend our anti-imperialist principles, is not morally obscene.",
];

const TEST_OPPOSITES: &[(&str, &str)] = &[
    ("more", "less"),
    ("less", "more"),
    ("better", "worse"),
    ("most", "least"),
    ("always", "rarely"),
    ("strong", "weak"),
    ("can", "cannot"),
    ("support", "oppose"),
    ("increase", "decrease"),
    ("before", "after"),
];

/// Adverbs that say how or how far a claim holds, chosen by reading the
/// seeds: leaving one out changes what is claimed.
const QUALIFIERS: &[&str] = &[
    "freely",
    "partly",
    "probably",
    "potentially",
    "openly",
    "directly",
    "indirectly",
    "actively",
    "primarily",
    "exclusively",
    "systematically",
    "successfully",
    "effectively",
    "democratically",
    "deliberately",
    "increasingly",
    "ostensibly",
    "supposedly",
    "necessarily",
    "internationally",
    "locally",
    "collectively",
    "consistently",
    "heavily",
    "narrowly",
    "substantially",
    "significantly",
    "politically",
    "militarily",
    "economically",
];

/// Ways to change a sentence's claim, each applied where it fits.
fn alterations(sentence: &str) -> Vec<(String, &'static str)> {
    let w: Vec<&str> = sentence.split_whitespace().collect();
    let mut out = Vec::new();
    let join = |v: Vec<&str>| v.join(" ");
    // A negation inserted after the first auxiliary.
    if let Some(i) = w.iter().position(|x| {
        [
            "is", "are", "was", "were", "will", "should", "must", "would", "could", "has", "have",
        ]
        .contains(x)
    }) {
        let mut v = w.clone();
        v.insert(i + 1, "not");
        out.push((join(v), "negation inserted"));
    }
    // A negation removed.
    if let Some(i) = w
        .iter()
        .position(|x| ["not", "never", "no"].contains(&x.to_lowercase().as_str()))
    {
        let mut v = w.clone();
        v.remove(i);
        out.push((join(v), "negation removed"));
    }
    // An opposite or comparative swapped.
    for (from, to) in TEST_OPPOSITES {
        if let Some(i) = w.iter().position(|x| x == from) {
            let mut v = w.clone();
            v[i] = to;
            out.push((join(v), "opposite swapped"));
            break;
        }
    }
    // A judgement added: a word of content after the first article ("a
    // survival mechanism" → "a failed survival mechanism") says what the
    // passage does not.
    if let Some(i) = w.iter().position(|x| ["a", "the"].contains(x)) {
        if i + 1 < w.len() {
            let mut v = w.clone();
            v.insert(i + 1, ["false", "failed", "dangerous"][w.len() % 3]);
            out.push((join(v), "judgement added"));
        }
    }
    // A qualifier left out: "if it is freely chosen" → "if it is chosen"
    // claims more than the passage does.
    if let Some(i) = (1..w.len().saturating_sub(1)).find(|&i| QUALIFIERS.contains(&w[i])) {
        let mut v = w.clone();
        v.remove(i);
        out.push((join(v), "qualifier dropped"));
    }
    // A number changed.
    if let Some(i) = w
        .iter()
        .position(|x| x.chars().all(|c| c.is_ascii_digit()) && !x.is_empty())
    {
        let n: u64 = w[i].parse().unwrap_or(0);
        let changed = (n + 3).to_string();
        let mut v: Vec<String> = w.iter().map(|s| s.to_string()).collect();
        v[i] = changed;
        out.push((v.join(" "), "number changed"));
    }
    out
}

#[test]
fn altered_quotes_are_never_confirmed() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let essays = load_library(&[common::seeds_dir()]).unwrap().essays;
    let mut total = 0;
    let mut confirmed = Vec::new();
    let mut shown_as_altered = 0;
    let mut per_kind: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut cases: Vec<(String, &str)> = REVERSALS
        .iter()
        .map(|r| (r.to_string(), "written"))
        .collect();
    for e in &essays {
        for p in &e.paragraphs {
            // The first sentence of every paragraph long enough to be quoted.
            let Some(s) = (0..p.sentences.len())
                .map(|i| p.sentence(i))
                .find(|s| (8..=45).contains(&s.split_whitespace().count()))
            else {
                continue;
            };
            cases.extend(alterations(s));
            // A qualifier may stand in any sentence.
            for i in 0..p.sentences.len() {
                let t = p.sentence(i);
                if t != s && (8..=45).contains(&t.split_whitespace().count()) {
                    cases.extend(
                        alterations(t)
                            .into_iter()
                            .filter(|(_, kind)| *kind == "qualifier dropped"),
                    );
                }
            }
        }
    }
    for (text, kind) in &cases {
        let Ok(r) = find_source(&snap, text, Style::Mla, common::accessed()) else {
            continue;
        };
        total += 1;
        *per_kind.entry(kind).or_default() += 1;
        if r.found {
            confirmed.push(format!("{kind} ({:?}): {text}", r.verdict));
        } else if r.verdict == commonplace::search::verdict::Verdict::Altered {
            shown_as_altered += 1;
        }
    }
    eprintln!(
        "altered quotes: {total} ({per_kind:?}); reported as verbatim or misquoted: {}; shown as altered beside their passage: {shown_as_altered}",
        confirmed.len()
    );
    assert!(total >= 150, "only {total} altered quotes");
    assert!(confirmed.is_empty(), "{confirmed:#?}");
    // Most are recognised as the library's passage with a changed meaning,
    // not merely as unknown.
    assert!(
        shown_as_altered * 10 >= total * 9,
        "{shown_as_altered} of {total}"
    );
}

/// `tests/fixtures/eval/reworded.toml`.
#[derive(serde::Deserialize)]
struct RewordedSet {
    #[serde(default)]
    reworded: Vec<RewordedQuote>,
    negative: Vec<Negative>,
}

#[derive(serde::Deserialize)]
struct RewordedQuote {
    quote: String,
    /// Words of the passage it rewords.
    expect: String,
}

#[derive(serde::Deserialize)]
struct Negative {
    kind: String,
    quote: String,
}

#[test]
fn a_word_swapped_for_one_that_says_the_same_is_a_rewording_and_other_swaps_are_not() {
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let cite = |q: &str| find_source(&snap, q, Style::Mla, common::accessed()).unwrap();
    // "We have the capacity to build …": word by word, "able" stands where
    // "capacity" stood; read as a rewording, it says the same.
    let r = cite("We are able to build strong anti-imperialist campaigns based on material conditions and driven by a strategic analysis and targeting of nodes of international capital.");
    assert!(r.found, "{r:?}");
    assert_eq!(r.verdict, Verdict::Paraphrase);
    assert_eq!(r.essay_id.as_deref(), Some("internationalism-from-above"));
    assert_eq!(r.paragraph, Some(38));
    // Swaps that turn the claim stay altered: never confirmed.
    for turned in [
        "We are unable to build strong anti-imperialist campaigns based on material conditions and driven by a strategic analysis and targeting of nodes of international capital.",
        "We are able to build weak anti-imperialist campaigns based on material conditions and driven by a strategic analysis and targeting of nodes of international capital.",
        "We are forbidden to build strong anti-imperialist campaigns based on material conditions and driven by a strategic analysis and targeting of nodes of international capital.",
    ] {
        let r = cite(turned);
        assert!(!r.found, "{turned} -> {r:?}");
        assert_eq!(r.verdict, Verdict::Altered, "{turned}");
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn reworded_quotes_are_found_as_paraphrases_and_turned_claims_are_not() {
    reworded_set("reworded.toml", 30, 20);
}

/// The set written after the rules were set and never tuned on. A
/// measurement, not a gate: tuning until it passes would make it one more
/// development set. `cargo test --release --test cite_eval -- --ignored
/// --nocapture` prints its figures (and fails while they miss the bars).
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn held_out_reworded_quotes() {
    reworded_set("reworded-held-out.toml", 12, 8);
}

/// The second held-aside set, written after cite learned synonyms and
/// antonyms (the first had been read while that rule was made). Measured
/// the same way.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn second_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-2.toml", 12, 10);
}

/// The third, written when the rules of the second were final; measured
/// once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn third_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-3.toml", 12, 10);
}

/// The fourth, written when the rules that read contractions, negations
/// said another way and word families were final; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn fourth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-4.toml", 12, 10);
}

/// The fifth, written before this change's rules for rewordings (modal
/// verbs said another way, a word's family and near senses); measured
/// once before them and once after.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn fifth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-5.toml", 12, 10);
}

/// The sixth, written when this change's rules for rewordings were final;
/// measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn sixth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-6.toml", 12, 10);
}

/// The seventh, written once every earlier set's misses had been read and
/// the dropped-qualifier rule was final; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn seventh_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-7.toml", 12, 10);
}

/// An eighth, written in a session that changed no cite rule; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn eighth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-8.toml", 12, 10);
}

/// A ninth, written after this session's rules from sentences no set uses; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn ninth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-9.toml", 12, 10);
}

/// A tenth, written after this session's last cite rule, with negatives
/// aimed at what it loosened; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn tenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-10.toml", 12, 10);
}

/// An eleventh, of hard negatives only (roles swapped, claims inverted),
/// written to estimate how often a fresh one gets through; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn eleventh_held_out_hard_negatives() {
    reworded_set("hard-negatives-11.toml", 0, 15);
}

/// A twelfth, written after the role reader was built on the eleventh:
/// rewordings that turn clauses and voices round, and negatives that swap
/// roles or invert claims; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn twelfth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-12.toml", 13, 17);
}

/// A thirteenth, written after the role, name and cause rules were tuned
/// on the eleventh and twelfth; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn thirteenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-13.toml", 14, 16);
}

/// A fourteenth, written after the last role and name rules; measured
/// once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn fourteenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-14.toml", 12, 16);
}

/// A fifteenth, written after every rule of the session that built the
/// role reader; measured once, and not tuned on.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn fifteenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-15.toml", 12, 15);
}

/// A sixteenth, written at the start of the session after the one that
/// tuned on the fifteenth; measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn sixteenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-16.toml", 13, 15);
}

/// A seventeenth, written after the rules tuned on the sixteenth;
/// measured once.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn seventeenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-17.toml", 13, 15);
}

/// An eighteenth, written after the rules tuned on the seventeenth;
/// measured once, and not tuned on.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn eighteenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-18.toml", 13, 15);
}

/// A nineteenth, written in a session that changed no cite rule; measured
/// once, and not tuned on.
#[test]
#[ignore = "held-out measurement; see the closing note of issue 13"]
fn nineteenth_held_out_reworded_quotes() {
    reworded_set("reworded-held-out-19.toml", 14, 16);
}

fn reworded_set(file: &str, min_reworded: usize, min_negative: usize) {
    let set: RewordedSet = toml::from_str(
        &std::fs::read_to_string(common::root().join("tests/fixtures/eval").join(file)).unwrap(),
    )
    .unwrap();
    let (lib, _d) = common::seeds();
    let snap = lib.snapshot();
    let mut right = 0;
    let mut paraphrases = 0;
    for q in &set.reworded {
        let r = find_source(&snap, &q.quote, Style::Mla, common::accessed()).unwrap();
        let at_passage = r
            .matched_text
            .as_deref()
            .is_some_and(|t| squash(t).contains(&squash(&q.expect)));
        if r.found && at_passage {
            right += 1;
            if r.verdict == Verdict::Paraphrase {
                paraphrases += 1;
                assert!(r.citation.is_some(), "a paraphrase is cited");
            }
        } else {
            eprintln!(
                "REWORDED {} ({:?}, {:.2}): {} -> {:?}",
                if r.found { "WRONG PLACE" } else { "MISSED" },
                r.verdict,
                r.confidence,
                q.quote,
                r.matched_text
            );
        }
        // Attributed anywhere but its passage is a false attribution.
        assert!(
            !r.found || at_passage,
            "{} -> {:?}",
            q.quote,
            r.matched_text
        );
    }
    let mut attributed = Vec::new();
    for n in &set.negative {
        let r = find_source(&snap, &n.quote, Style::Mla, common::accessed()).unwrap();
        if r.found {
            attributed.push(format!(
                "{} ({:?}): {} -> {:?}",
                n.kind, r.verdict, n.quote, r.matched_text
            ));
        }
    }
    let total = set.reworded.len();
    eprintln!(
        "{file}: reworded: {total}, found at their passage {right} ({:.0}%), as paraphrase {paraphrases}; hard negatives: {}, attributed {}",
        100.0 * right as f64 / total as f64,
        set.negative.len(),
        attributed.len()
    );
    assert!(total >= min_reworded && set.negative.len() >= min_negative);
    assert!(attributed.is_empty(), "{attributed:#?}");
    assert!(
        right * 10 >= total * 8,
        "only {right} of {total} reworded quotes found"
    );
}
