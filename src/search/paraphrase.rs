//! A reworded quote: the same point in other words ("Everyone is talking
//! about Syria but nobody is talking to Syrians" for "everyone's talking
//! about Syria, and no one is actually talking to Syrians").
//!
//! Word alignment (see [`super::align`]) finds quotes whose words are
//! mostly the passage's own. A rewording keeps the passage's content words
//! but not their order or their little words, so it is read here by its
//! content words instead: a sentence or two of a candidate paragraph must
//! hold nearly all of the quote's content words, be mostly made of them,
//! negate the same clauses (by their shared words), swap no word for its
//! opposite, keep the two sides of a "than", and change no number. A claim turned round ("Internationalism is a luxury,
//! not a survival mechanism") negates other words than the passage and is
//! not attributed.

use super::roles;
use super::verdict::{denies_as_far_from, trades_places, CLAUSE_BREAKS, NEGATIONS, OPPOSITES};
use crate::index;
use crate::model::Paragraph;
use crate::text::lexicon;
use crate::text::stopwords::is_stopword;
use std::collections::HashSet;

/// Fewest content words a quote and its passage share.
const MIN_SHARED: usize = 4;
/// Least share of the quote's content words found in the passage.
const MIN_COVERAGE: f32 = 0.75;
/// Least share of the passage's content words that are the quote's: a long
/// passage holding the quote's words among many others is not its source.
const MIN_DENSITY: f32 = 0.3;

/// The passage a quote rewords.
#[derive(Debug, Clone)]
pub struct Reworded {
    /// Index of the candidate it was found in.
    pub candidate: usize,
    /// First sentence of the passage.
    pub from: usize,
    /// One past its last sentence.
    pub to: usize,
    /// 0..1: how much of the quote and of the passage the shared words are.
    pub score: f32,
}

/// What a text says in content words.
#[derive(Debug, Default)]
struct Reading {
    /// Stems of its content words.
    stems: HashSet<String>,
    /// Stems in a negated clause ("but nobody is talking to Syrians":
    /// talk, syrian), a clause with "not", "no one" or "lacking" in it.
    negated: HashSet<String>,
    /// Stems before its first "than" ("more in common than separates
    /// them": which side is the greater).
    before_than: Option<HashSet<String>>,
    /// Every word, lower case, apostrophes dropped (for opposites).
    words: HashSet<String>,
    /// Numbers.
    numbers: HashSet<String>,
    /// Each content word's stem and the word (for synonyms).
    content: Vec<(String, String)>,
    /// Every word in order, lower case, negations kept (for phrases of two
    /// words, "set up" for "establish").
    sequence: Vec<String>,
    /// Stems of the cause and of the effect, around the first "because",
    /// "so", "led to" …: which is which.
    causal: Option<(HashSet<String>, HashSet<String>)>,
}

/// Words that deny having or doing, like a negation ("what is most
/// lacking", "refuse to support arming the resistance").
const LACKS: &[&str] = &[
    "lack",
    "lacks",
    "lacking",
    "lacked",
    "absent",
    "absence",
    "missing",
    "refuse",
    "refuses",
    "refused",
    "refusing",
    "reject",
    "rejects",
    "rejected",
    "rejecting",
];

/// True when a clause says its subject has ended ("the problems will be
/// over"): it denies the subject, like "there will be no problems".
fn is_over(clause: &[String]) -> bool {
    clause.iter().enumerate().any(|(i, w)| {
        matches!(w.as_str(), "be" | "is" | "are" | "was" | "were" | "been")
            && clause.get(i + 1).is_some_and(|n| n == "over")
            && clause
                .get(i + 2)
                .is_none_or(|a| matches!(a.as_str(), "now" | "soon" | "already" | "then"))
    })
}

/// A text's words, lower case, letters and digits only, in the pieces its
/// punctuation makes.
fn pieces(text: &str) -> Vec<Vec<String>> {
    text.split(|c: char| ",;:.!?–—()[]\"“”".contains(c))
        .map(|piece| {
            piece
                .split_whitespace()
                .map(|raw| {
                    raw.chars()
                        .filter(|c| c.is_alphanumeric())
                        .flat_map(char::to_lowercase)
                        .collect::<String>()
                })
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect()
}

/// The stem of a word of content; none for a little word.
fn content_stem(w: &str) -> Option<String> {
    if w.len() < 3 || is_stopword(w) {
        return None;
    }
    index::analyze(w).into_iter().next()
}

fn read(text: &str) -> Reading {
    let mut r = Reading::default();
    let mut seen_than = false;
    let mut before: HashSet<String> = HashSet::new();
    let pieces = pieces(text);
    for piece in &pieces {
        // Clauses: the piece cut again at "but", "while", …
        let mut clauses: Vec<Vec<String>> = vec![Vec::new()];
        for w in piece {
            // "We don't know because the information is hard to verify":
            // the cause is a clause of its own, outside the negation.
            if CLAUSE_BREAKS.contains(&w.as_str()) || w == "because" {
                clauses.push(Vec::new());
            } else if let Some(last) = clauses.last_mut() {
                last.push(w.clone());
            }
        }
        for clause in clauses {
            // "Far from powerless" denies like "not powerless".
            let far_from = clause
                .windows(3)
                .any(|w| denies_as_far_from(&w[0], &w[1], &w[2]));
            let negated = far_from
                || is_over(&clause)
                || clause
                    .iter()
                    .any(|w| NEGATIONS.contains(&w.as_str()) || LACKS.contains(&w.as_str()));
            r.sequence.extend(clause.iter().cloned());
            for w in clause {
                if w == "than" {
                    seen_than = true;
                }
                if NEGATIONS.contains(&w.as_str()) || LACKS.contains(&w.as_str()) {
                    continue;
                }
                if w.chars().all(|c| c.is_ascii_digit()) {
                    r.numbers.insert(w.clone());
                }
                r.words.insert(w.clone());
                let Some(stem) = content_stem(&w) else {
                    continue;
                };
                if negated {
                    r.negated.insert(stem.clone());
                }
                if !seen_than {
                    before.insert(stem.clone());
                }
                r.content.push((stem.clone(), w.clone()));
                r.stems.insert(stem);
            }
        }
    }
    r.before_than = seen_than.then_some(before);
    r.causal = causal_sides(&pieces);
    r
}

/// Words that say the cause comes after them ("because one is
/// powerless").
const CAUSE_FOLLOWS: &[&str] = &["because", "due", "owing", "thanks"];
/// Words that say the cause came before them ("…, so we don't know",
/// "isolation led to …", "repression which contributed to …").
const EFFECT_FOLLOWS: &[&str] = &["therefore", "thus", "hence", "consequently"];

/// The stems of the cause and of the effect around a text's first word
/// of cause, each side read to the edge of its clause: "one wishes for
/// intervention because one is powerless" has "powerless" for its cause.
fn causal_sides(pieces: &[Vec<String>]) -> Option<(HashSet<String>, HashSet<String>)> {
    let stems = |words: &[String]| -> HashSet<String> {
        words.iter().filter_map(|w| content_stem(w)).collect()
    };
    for (k, piece) in pieces.iter().enumerate() {
        for (i, w) in piece.iter().enumerate() {
            let next = piece.get(i + 1).map(String::as_str);
            let (before, after) = (&piece[..i], &piece[i + 1..]);
            if CAUSE_FOLLOWS.contains(&w.as_str()) && (w == "because" || next == Some("to")) {
                return Some((stems(after), stems(before)));
            }
            let led_to = matches!(
                w.as_str(),
                "led" | "leads" | "lead" | "leading" | "contributed" | "contributes" | "contribute"
            ) && next == Some("to");
            if EFFECT_FOLLOWS.contains(&w.as_str()) || led_to {
                return Some((stems(before), stems(after)));
            }
            // "…, so we don't know": "so" opening a clause.
            if w == "so" && i == 0 && k > 0 && next != Some("that") {
                return Some((stems(&pieces[k - 1]), stems(after)));
            }
        }
    }
    None
}

/// True when a word that is the cause in one text is the effect in the
/// other: "one is powerless because one wishes for intervention" for "one
/// wishes for intervention because one is powerless".
fn turns_cause_and_effect(quote: &Reading, passage: &Reading) -> bool {
    let (Some((qc, qe)), Some((pc, pe))) = (&quote.causal, &passage.causal) else {
        return false;
    };
    let only =
        |w: &String, a: &HashSet<String>, b: &HashSet<String>| a.contains(w) && !b.contains(w);
    qc.iter().any(|w| only(w, qc, qe) && only(w, pe, pc))
        || qe.iter().any(|w| only(w, qe, qc) && only(w, pc, pe))
}

/// The quote's own content words (those the passage lacks) that say what
/// one of the passage's words says, by stem, and those that say nothing it
/// says.
fn said_otherwise<'q>(
    quote: &'q Reading,
    passage: &Reading,
) -> (HashSet<&'q String>, Vec<&'q (String, String)>) {
    let (said, unexplained): (Vec<_>, Vec<_>) = quote
        .content
        .iter()
        .filter(|(stem, w)| !passage.stems.contains(stem) && lexicon::is_content(w))
        .partition(|(_, w)| says_one_of(w, quote, passage));
    (
        said.into_iter().map(|(stem, _)| stem).collect(),
        unexplained,
    )
}

/// True when the quote's `word` says what a word of content of the passage
/// says: a synonym, or, with a neighbour, a phrase WordNet gives for the
/// passage's word ("set up" for "establish"), or the one word for a phrase
/// of the passage's ("participated" for "took part"). Never a little word
/// of the passage's: WordNet reads "some" as "great" ("that was some
/// party"), and "a great deal of difference" is not "some difference".
fn says_one_of(word: &str, quote: &Reading, passage: &Reading) -> bool {
    let passage_words = || passage.content.iter().map(|(_, p)| p.as_str());
    if lexicon::means_one_of(word, passage_words()) {
        return true;
    }
    let in_a_phrase = quote
        .sequence
        .iter()
        .enumerate()
        .filter(|(_, w)| w.as_str() == word)
        .any(|(i, _)| {
            let next = quote.sequence.get(i + 1);
            let before = i.checked_sub(1).and_then(|j| quote.sequence.get(j));
            next.is_some_and(|n| lexicon::phrase_means_one_of(word, n, passage_words()))
                || before.is_some_and(|b| lexicon::phrase_means_one_of(b, word, passage_words()))
        });
    in_a_phrase
        || passage
            .sequence
            .windows(2)
            .any(|pair| lexicon::means_phrase(word, &pair[0], &pair[1]))
}

/// Share of `passage`'s content words that the quote says, in its words or
/// in others.
fn density(quote: &Reading, passage: &Reading) -> f32 {
    if passage.stems.is_empty() {
        return 0.0;
    }
    let shared = quote.stems.intersection(&passage.stems).count();
    let (said, _) = said_otherwise(quote, passage);
    (shared + said.len()) as f32 / passage.stems.len() as f32
}

/// How well `passage` carries the point of `quote`, or `None` when it does
/// not (too few shared words, another negation, an opposite, a number).
fn rewording_score(quote: &Reading, passage: &Reading) -> Option<f32> {
    let shared: HashSet<&String> = quote.stems.intersection(&passage.stems).collect();
    if shared.len() < MIN_SHARED || quote.stems.is_empty() || passage.stems.is_empty() {
        return None;
    }
    let passage_words = || passage.content.iter().map(|(_, p)| p.as_str());
    // Each word of the quote's own must say what one of the passage's
    // says: a synonym keeps the point, any other word may turn it
    // ("imposed" where the passage has "freely chosen"). Those that do are
    // the passage's words said otherwise, and count as shared.
    let (said_otherwise, unexplained) = said_otherwise(quote, passage);
    let held = (shared.len() + said_otherwise.len()) as f32;
    let coverage = held / quote.stems.len() as f32;
    let density = held / passage.stems.len() as f32;
    if coverage < MIN_COVERAGE || density < MIN_DENSITY {
        return None;
    }
    // The same words under a negation, on both sides.
    let negated = |r: &Reading| -> HashSet<&String> {
        shared
            .iter()
            .copied()
            .filter(|s| r.negated.contains(*s))
            .collect()
    };
    if negated(quote) != negated(passage) {
        return None;
    }
    // A negation among words the passage does not have still turns the
    // claim ("nobody denies …"): it must be answered by one in the passage.
    if quote.negated.is_empty() != passage.negated.is_empty() {
        return None;
    }
    // "More" for "less", "can" for "cannot"…
    let swapped = OPPOSITES.iter().any(|(a, b)| {
        let has = |r: &Reading, w: &str| r.words.contains(w);
        (has(quote, a) && has(passage, b) && !has(passage, a))
            || (has(quote, b) && has(passage, a) && !has(passage, b))
    });
    if swapped || !quote.numbers.is_subset(&passage.numbers) {
        return None;
    }
    let reversed = quote
        .content
        .iter()
        .any(|(_, w)| !passage.words.contains(w) && lexicon::opposes_one_of(w, passage_words()));
    if !unexplained.is_empty() || reversed {
        return None;
    }
    if drops_whose_claim(quote, passage) || turns_cause_and_effect(quote, passage) {
        return None;
    }
    // "More separates them than they have in common" turns round "more in
    // common than separates them": the same words on each side of "than".
    if let (Some(q), Some(p)) = (&quote.before_than, &passage.before_than) {
        let side = |s: &HashSet<String>| -> HashSet<&String> {
            shared.iter().copied().filter(|w| s.contains(*w)).collect()
        };
        if side(q) != side(p) {
            return None;
        }
    }
    Some((coverage + density) / 2.0)
}

/// Verbs that say whose claim the words after them are ("the government
/// accuses everyone of receiving money", "Russia claims that …"), by stem.
const CLAIMED_BY: &[&str] = &[
    "accus", "claim", "alleg", "deni", "deny", "insist", "pretend", "blame", "suspect", "doubt",
    "fear", "say", "said", "argu", "assert", "believ", "think", "thought", "suppos", "assum",
    "imagin", "hope",
];

/// True when the passage says whose claim something is and the quote
/// leaves that out: "The Russian government receives State Department
/// money" is not "Russian government accuses everyone of receiving State
/// Department money", though every word of it is there. The speaker's own
/// hedge ("I think", "we believe", "I don't think") may go.
fn drops_whose_claim(quote: &Reading, passage: &Reading) -> bool {
    passage.sequence.iter().enumerate().any(|(i, w)| {
        let Some(stem) = index::analyze(w).into_iter().next() else {
            return false;
        };
        // "I think", "we believe", "I don't think": two words back.
        let hedge = passage.sequence[i.saturating_sub(2)..i]
            .iter()
            .any(|b| b == "i" || b == "we");
        CLAIMED_BY.contains(&stem.as_str())
            && !hedge
            && !quote
                .sequence
                .iter()
                .any(|q| index::analyze(q).first() == Some(&stem) || lexicon::means_the_same(q, w))
    })
}

/// The passage among `candidates` (paragraphs, best search hits first)
/// that `quote` rewords: one sentence or two in a row.
pub fn find(quote: &str, candidates: &[&Paragraph]) -> Option<Reworded> {
    let q = read(quote);
    let mut best: Option<Reworded> = None;
    for (k, p) in candidates.iter().enumerate() {
        // Each sentence is read once: as a window of its own, and as a
        // half of a window of two.
        let sentences: Vec<Reading> = (0..p.sentences.len())
            .map(|i| read(p.sentence(i)))
            .collect();
        for from in 0..p.sentences.len() {
            for to in from + 1..=(from + 2).min(p.sentences.len()) {
                let pair;
                let passage = if to - from == 1 {
                    &sentences[from]
                } else {
                    pair = read(p.sentence_span(from, to));
                    &pair
                };
                let Some(score) = rewording_score(&q, passage) else {
                    continue;
                };
                // The same words with who does what turned round, or two
                // of its phrases traded.
                let span = p.sentence_span(from, to);
                if roles::swapped(quote, span).is_some() || trades_places(quote, span) {
                    continue;
                }
                // Two sentences: each must be mostly the quote's. A quote
                // that takes most of its words from one sentence and a name
                // or two from the next ("solidarity between Russia and the
                // Western left" from "solidarity … an enemy in Russia. …
                // the reaction of the Western left") joins what the passage
                // keeps apart.
                if to - from == 2 && (from..to).any(|i| density(&q, &sentences[i]) < MIN_DENSITY) {
                    continue;
                }
                if best.as_ref().is_none_or(|b| score > b.score) {
                    best = Some(Reworded {
                        candidate: k,
                        from,
                        to,
                        score,
                    });
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewording_may_say_a_word_in_a_phrase_or_a_little_word_in_another() {
        let spheres = "A world in which imperial powers fight to establish spheres of influence only leads to greater instability.";
        // "Set up" is WordNet's phrase for "establish"; "tear down" is not.
        assert!(score(
            "A world in which imperial powers fight to set up spheres of influence leads only to greater instability.",
            spheres
        )
        .is_some());
        assert!(score(
            "A world in which imperial powers fight to tear down spheres of influence leads only to greater instability.",
            spheres
        )
        .is_none());
        // The one word for the passage's phrase.
        assert!(score(
            "Many people in the neighbourhood participated in the strike against the landlords.",
            "Many people in the neighbourhood took part in the strike against the landlords."
        )
        .is_some());
        // "Everybody" for "everyone" (little words both), and "a lot of"
        // for "many".
        assert!(score(
            "The idea that only white men can influence history and everybody else is irrelevant.",
            "The idea that only white men can influence history and everyone else is irrelevant."
        )
        .is_some());
        assert!(score(
            "I know a lot of Syrians who have been in Ukraine over the last few years.",
            "I know many Syrians who have been in Ukraine in the last few years."
        )
        .is_some());
        // Whose claim it is stays: dropping "accuses" turns who does what.
        assert!(score(
            "The Russian government receives State Department money, and that is the irony.",
            "The irony is that Russian government accuses everyone of receiving State Department money."
        )
        .is_none());
        assert!(score(
            "Ironically, the Russian government accuses everyone of getting money from the State Department.",
            "The irony is that Russian government accuses everyone of receiving State Department money."
        )
        .is_some());
        // But no little word of the passage's explains a word of content:
        // WordNet gives "great" for "some", in another sense.
        assert!(score(
            "I see a great deal of difference between their discourse and the discourse of the far right.",
            "I see very little difference between some of the discourse they are coming up with and the discourse of the far right."
        )
        .is_none());
        // "A lot of" says "many", and the opposite of "little".
        assert!(score(
            "I see a lot of difference between their discourse and the discourse of the far right.",
            "I see very little difference between their discourse and the discourse of the far right."
        )
        .is_none());
    }

    #[test]
    fn a_rewording_keeps_which_is_cause_and_which_effect() {
        let tragedy = "The Ukrainian tragedy is that one wishes for intervention from outside because one is completely powerless oneself.";
        assert!(score(
            "The Ukrainian tragedy is that one is completely powerless because one wishes for intervention from outside.",
            tragedy
        )
        .is_none());
        assert!(score(
            "One wishes for outside intervention because one is completely powerless oneself: that is the Ukrainian tragedy.",
            tragedy
        )
        .is_some());
        // "So" turns the order, not the cause.
        let verify = "We don't know because the information coming out of Syria is very hard to verify at the moment.";
        assert!(score(
            "The information coming out of Syria is very hard to verify at the moment, so we don't know.",
            verify
        )
        .is_some());
        assert!(score(
            "We don't know the information coming out of Syria, so it is very hard to verify at the moment.",
            verify
        )
        .is_none());
        // "Contributed to" puts the cause first.
        let repression = "They were met with the most vicious repression which contributed to the sectarianisation of Syria, to the increasing extremism of opposition to Assad.";
        assert!(score(
            "The sectarianisation of Syria and the increasing extremism of the opposition to Assad contributed to the most vicious repression.",
            repression
        )
        .is_none());
    }

    #[test]
    fn a_trouble_said_to_be_over_is_denied() {
        let problems = "If the Assad regime falls, there are still going to be huge problems in Syria, as there are so many actors involved, there are many extremist groups involved.";
        assert!(score(
            "If the Assad regime falls, the huge problems in Syria will be over, even with so many actors involved.",
            problems
        )
        .is_none());
        assert!(is_over(&[
            "problems".into(),
            "will".into(),
            "be".into(),
            "over".into()
        ]));
        assert!(!is_over(&["be".into(), "over".into(), "there".into()]));
    }

    #[test]
    fn a_quote_joining_words_of_two_sentences_in_a_new_relation_is_not_their_rewording() {
        let text = "The extent of mutual solidarity is really beautiful to see – and part of it comes from the fact that we have a common enemy in Russia. The other is a kind of trauma bond that has arisen through the reaction of large parts of the Western left to our situation.";
        let p = Paragraph::plain(1, text);
        assert_eq!(p.sentences.len(), 2);
        assert!(find(
            "Mutual solidarity between Russia and the Western left is really beautiful to see.",
            &[&p]
        )
        .is_none());
        // A rewording of both sentences is still found.
        let both = find(
            "Mutual solidarity is really beautiful to see, and part of it comes from a common enemy in Russia; the other part is a trauma bond arising from how large parts of the Western left reacted to our situation.",
            &[&p],
        )
        .expect("both sentences reworded");
        assert_eq!((both.from, both.to), (0, 2));
    }

    fn score(quote: &str, passage: &str) -> Option<f32> {
        rewording_score(&read(quote), &read(passage))
    }

    #[test]
    fn a_rewording_keeps_the_words_and_their_negations() {
        let syria = "A major problem is that everyone's talking about Syria, and no one is actually talking to Syrians.";
        assert!(score(
            "Everyone is talking about Syria but nobody is talking to Syrians.",
            syria
        )
        .is_some());
        let luxury = "Internationalism is not a luxury that adds something extra to the national and local struggle – it is a survival mechanism.";
        assert!(score(
            "Internationalism isn't a luxury but a survival mechanism.",
            luxury
        )
        .is_some());
        // The claim turned round: the negation sits on other words.
        assert!(score(
            "Internationalism is a luxury, not a survival mechanism.",
            luxury
        )
        .is_none());
        assert!(score(
            "Internationalism is a luxury that adds something extra to the national and local struggle.",
            luxury
        )
        .is_none());
        assert!(score(
            "People quickly discover through joint discussions that more separates them than they have in common.",
            "Through joint discussions, people quickly discover that they have more in common than separates them."
        )
        .is_none());
        assert!(score(
            "Solidarity is what our international institutions have most of; democracy is what they truly lack.",
            "While current institutions may merely pay lip service to democracy and only occasionally manage to hold tyrants accountable, it is solidarity that is truly most lacking in our international institutions."
        )
        .is_none());
        // An opposite swapped.
        assert!(score(
            "Everyone is talking to Syrians, and fewer people are talking about Syria.",
            "Everyone is talking to Syrians, and more people are talking about Syria."
        )
        .is_none());
        // Too few words in common to say it is the same point.
        assert!(score("Solidarity with Syrians matters.", syria).is_none());
        // A word of the quote's own that says nothing the passage says, or
        // its antonym: not the same point. A synonym is.
        let chosen = "If we treat democracy as a guiding principle, internationalism can only be achieved if it is freely chosen.";
        assert!(score(
            "Internationalism can only be achieved if it is imposed, if democracy is our guiding principle.",
            chosen
        )
        .is_none());
        assert!(score(
            "Internationalism can only be achieved if it is freely chosen, if democracy is our guiding rule.",
            chosen
        )
        .is_some());
        // Words said otherwise count as the passage's: three of seven
        // here are synonyms.
        assert!(score(
            "Through joint discussions, folks rapidly find that they have more in common than separates them.",
            "Through joint discussions, people quickly discover that they have more in common than separates them."
        )
        .is_some());
        assert!(score(
            "Through joint discussions, people slowly discover that they have more in common.",
            "Through joint discussions, people quickly discover that they have more in common."
        )
        .is_none());
    }
}
