//! Whether a pasted quote says what the library's passage says.
//!
//! Finding the passage (alignment) tolerates changed words; this module then
//! reads the word-by-word differences and decides whether the meaning was
//! kept. A quote is **verbatim** when its words and punctuation are the
//! passage's; **misquoted** when only typos, spelling variants, dropped,
//! added or moved words, case or punctuation differ; **altered** when a
//! difference can reverse or change the claim: a negation added or removed
//! (not, no, never, n't, cannot, without, neither/nor…), a word swapped for
//! its opposite or its comparative counterpart (more/less, can/cannot,
//! justified/obscene…), a number or a name changed, a word of content added
//! that says something new, or an adverb that qualifies the claim left out
//! ("freely chosen" as "chosen"). An altered quote is never
//! confirmed: the answer shows both texts with the differing words.

use crate::text::lexicon;
use crate::text::normalize::{edit_distance_within, tokens, Token};
use serde::Serialize;
use std::collections::HashSet;

/// The verdict on a quote that was matched to a passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Word for word, punctuation included.
    Verbatim,
    /// Wording differs, meaning kept.
    Misquoted,
    /// Reworded: the passage says the same thing in other words (its
    /// content words, with any negation on the same words).
    Paraphrase,
    /// The meaning differs from the library's passage.
    Altered,
    /// No passage of the library matches.
    NotFound,
}

/// What kind of difference one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// A letter or two off.
    Typo,
    /// A word of the passage the quote leaves out.
    Dropped,
    /// A word in the quote the passage does not have.
    Added,
    /// A word in another place.
    Moved,
    /// A word replaced by another of the same meaning: a synonym ("globe"
    /// for "world"), another form of it, or a little word ("a" for "the").
    Changed,
    /// A word of content replaced by one that is neither a synonym nor an
    /// antonym of it ("imposed" for "chosen"), or added where the passage
    /// has nothing it means ("a failed survival mechanism"): the claim may
    /// have changed, so the quote is not confirmed. Also an adverb that
    /// qualifies the claim left out ("chosen" for "freely chosen"), with no
    /// quoted word.
    Replaced,
    /// Case, punctuation, quotation marks or British/American spelling only.
    Punctuation,
    /// A negation added or removed.
    Negation,
    /// A word swapped for its opposite or comparative counterpart.
    Opposite,
    /// A number changed.
    Number,
    /// A name changed.
    Name,
    /// Who does what to whom turned round: a word that does the action in
    /// the passage has it done to it in the quote, or the other way
    /// ("Europe's parties are funding Russia" for "Russia is funding
    /// parties across Europe"). Quoted and library are the two clauses.
    Roles,
}

impl DiffKind {
    /// True for the kinds that change what the passage claims.
    pub fn alters_meaning(self) -> bool {
        matches!(
            self,
            DiffKind::Negation
                | DiffKind::Opposite
                | DiffKind::Number
                | DiffKind::Name
                | DiffKind::Replaced
                | DiffKind::Roles
        )
    }
}

/// One difference between the quote and the passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What kind.
    pub kind: DiffKind,
    /// The quote's word(s), if any.
    pub quoted: Option<String>,
    /// The passage's word(s), if any.
    pub library: Option<String>,
}

/// The comparison of a quote with its passage.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The verdict.
    pub verdict: Verdict,
    /// Every difference, in reading order.
    pub differences: Vec<Difference>,
    /// The quote with the differing words in `**bold**`.
    pub quote_marked: String,
    /// The passage with the differing words in `**bold**`.
    pub passage_marked: String,
}

/// Words that negate what follows (keys as [`crate::text::normalize::tokens`]
/// makes them: lower case, apostrophes dropped).
pub(crate) const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without",
    "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont",
    "wouldnt", "shouldnt", "couldnt", "hasnt", "havent", "hadnt", "mustnt", "neednt", "aint",
    "nowise", "hardly", "barely",
];

/// Words that start a new clause besides punctuation: a negation before
/// them does not reach past them ("It is not the lie …, but …").
pub(crate) const CLAUSE_BREAKS: &[&str] = &[
    "but", "yet", "however", "whereas", "while", "although", "though",
];

/// Pairs whose swap reverses or shifts a claim: comparatives, quantifiers,
/// modal and evaluative opposites.
pub(crate) const OPPOSITES: &[(&str, &str)] = &[
    ("more", "less"),
    ("more", "fewer"),
    ("most", "least"),
    ("greater", "lesser"),
    ("higher", "lower"),
    ("better", "worse"),
    ("best", "worst"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("increasing", "decreasing"),
    ("rise", "fall"),
    ("rising", "falling"),
    ("all", "some"),
    ("always", "sometimes"),
    ("always", "rarely"),
    ("everyone", "someone"),
    ("many", "few"),
    ("much", "little"),
    ("lot", "little"),
    ("lots", "little"),
    ("great", "little"),
    ("can", "cannot"),
    ("must", "may"),
    ("will", "might"),
    ("is", "isnt"),
    ("are", "arent"),
    ("was", "wasnt"),
    ("before", "after"),
    ("for", "against"),
    ("support", "oppose"),
    ("supports", "opposes"),
    ("supported", "opposed"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("win", "lose"),
    ("won", "lost"),
    ("strong", "weak"),
    ("stronger", "weaker"),
    ("strength", "weakness"),
    ("success", "failure"),
    ("succeed", "fail"),
    ("true", "false"),
    ("right", "wrong"),
    ("good", "bad"),
    ("possible", "impossible"),
    ("legal", "illegal"),
    ("legitimate", "illegitimate"),
    ("moral", "immoral"),
    ("justified", "unjustified"),
    ("justified", "obscene"),
    ("necessary", "unnecessary"),
    ("important", "unimportant"),
    ("persuasive", "unpersuasive"),
    ("include", "exclude"),
    ("including", "excluding"),
    ("inside", "outside"),
    ("above", "below"),
    ("from", "to"),
    ("left", "right"),
    ("rich", "poor"),
    ("richer", "poorer"),
    ("peace", "war"),
    ("love", "hate"),
    ("friend", "enemy"),
    ("friends", "enemies"),
    ("ally", "enemy"),
    ("allies", "enemies"),
    ("victory", "defeat"),
    ("guilty", "innocent"),
    ("agree", "disagree"),
    ("like", "dislike"),
    ("able", "unable"),
    ("likely", "unlikely"),
    ("luxury", "necessity"),
    ("first", "last"),
    ("begin", "end"),
    ("start", "stop"),
    ("open", "closed"),
    ("public", "private"),
    ("democratic", "authoritarian"),
    ("freedom", "oppression"),
    ("progressive", "reactionary"),
];

/// Evaluative words by polarity: swapping one of each side flips a
/// judgement even where no pair above names it.
const POSITIVE: &[&str] = &[
    "good",
    "great",
    "right",
    "just",
    "justified",
    "justifiable",
    "fair",
    "moral",
    "legitimate",
    "admirable",
    "praiseworthy",
    "noble",
    "worthy",
    "beneficial",
    "helpful",
    "useful",
    "valuable",
    "effective",
    "successful",
    "persuasive",
    "convincing",
    "sound",
    "reasonable",
    "wise",
    "brave",
    "honest",
    "true",
    "correct",
    "acceptable",
    "desirable",
    "positive",
    "progressive",
    "humane",
    "defensible",
    "commendable",
    "laudable",
    "virtuous",
    "ethical",
    "decent",
    "healthy",
    "safe",
    "strong",
    "hopeful",
    "peaceful",
    "welcome",
];
const NEGATIVE: &[&str] = &[
    "bad",
    "terrible",
    "wrong",
    "unjust",
    "unjustified",
    "unfair",
    "immoral",
    "illegitimate",
    "obscene",
    "shameful",
    "disgraceful",
    "contemptible",
    "unworthy",
    "harmful",
    "useless",
    "worthless",
    "ineffective",
    "failed",
    "unpersuasive",
    "unconvincing",
    "unsound",
    "unreasonable",
    "foolish",
    "cowardly",
    "dishonest",
    "false",
    "incorrect",
    "unacceptable",
    "undesirable",
    "negative",
    "reactionary",
    "inhumane",
    "indefensible",
    "despicable",
    "deplorable",
    "evil",
    "wicked",
    "unethical",
    "corrupt",
    "dangerous",
    "weak",
    "hopeless",
    "violent",
    "criminal",
    "catastrophic",
    "disastrous",
];

/// The negation that governs the end of `prefix`: one in the last clause
/// of its last sentence ("I don't think that …"), not one a "but" or a
/// comma has closed ("It is not the lie …, but …").
fn negation_governing(prefix: &str) -> Option<String> {
    let sentence = prefix
        .rfind(['.', '!', '?'])
        .map_or(prefix, |i| &prefix[i + 1..]);
    let clause = sentence
        .rsplit([',', ';', ':', '–', '—', '(', ')'])
        .next()
        .unwrap_or("");
    let words: Vec<&str> = clause.split_whitespace().collect();
    let start = words
        .iter()
        .rposition(|w| CLAUSE_BREAKS.contains(&w.to_lowercase().as_str()))
        .map_or(0, |i| i + 1)
        // Within a few words of the quote's start: a negation further back
        // in a long clause ("not the intention of proponents of …") bears
        // on other words than the quote's.
        .max(words.len().saturating_sub(4));
    words[start..].iter().find_map(|w| {
        let key: String = w
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        is_negation(&key).then(|| w.to_string())
    })
}

fn is_negation(key: &str) -> bool {
    NEGATIONS.contains(&key)
}

/// True when `long` is `short` with a negating prefix ("unable" for "able"
/// or "can", "impossible" for "possible", "disagree" for "agree").
fn prefix_negates(long: &str, short: &str) -> bool {
    (long == "unable" && (short == "can" || short == "able"))
        || ["un", "in", "im", "il", "ir", "dis", "non"]
            .iter()
            .any(|p| {
                long.strip_prefix(p)
                    .is_some_and(|rest| rest.len() >= 3 && lexicon::same_word(rest, short))
            })
}

/// Swaps whose negation the other side spells out beside the plain word:
/// "can't respond" for "unable to respond", "not possible" for
/// "impossible". Returns, for the quote's added negations and the
/// passage's dropped ones, `(quote word, passage word, negation)`.
#[allow(clippy::type_complexity)]
fn carried_negations(
    ops: &[(Op, Option<usize>, Option<usize>)],
    q: &[Word],
    p: &[Word],
) -> (Vec<(usize, usize, usize)>, Vec<(usize, usize, usize)>) {
    // Negations one side has and the other does not: added, or set where
    // the other side has a word that negates nothing ("can't" for "to").
    let added: Vec<usize> = ops
        .iter()
        .filter(|o| o.0 == Op::Insert || (o.0 == Op::Subst && !is_negation(p[o.2.unwrap()].key)))
        .filter_map(|o| o.1)
        .filter(|&i| is_negation(q[i].key))
        .collect();
    let dropped: Vec<usize> = ops
        .iter()
        .filter(|o| o.0 == Op::Delete || (o.0 == Op::Subst && !is_negation(q[o.1.unwrap()].key)))
        .filter_map(|o| o.2)
        .filter(|&j| is_negation(p[j].key))
        .collect();
    // A negation within two words of the plain word, either side ("not
    // able", "can not", "not be possible").
    let beside = |at: usize, negations: &[usize]| {
        negations
            .iter()
            .copied()
            .find(|&n| n != at && n.abs_diff(at) <= 2)
    };
    let (mut into_q, mut into_p) = (Vec::new(), Vec::new());
    for &(op, qi, pj) in ops {
        let (Op::Subst | Op::Near, Some(qi), Some(pj)) = (op, qi, pj) else {
            continue;
        };
        if prefix_negates(p[pj].key, q[qi].key) {
            if let Some(n) = beside(qi, &added) {
                into_q.push((qi, pj, n));
            }
        } else if prefix_negates(q[qi].key, p[pj].key) {
            if let Some(n) = beside(pj, &dropped) {
                into_p.push((qi, pj, n));
            }
        }
    }
    (into_q, into_p)
}

/// True when `nor` stands where the other side has `or` after a negation
/// of its own clause (`before`, the words before the "or"): "not … or …"
/// denies both, as "neither … nor …" does.
fn nor_for_or(nor: &str, or: &str, before: &[Word]) -> bool {
    nor == "nor"
        && or == "or"
        && before
            .iter()
            .rev()
            .take(8)
            .take_while(|w| !CLAUSE_BREAKS.contains(&w.key))
            .any(|w| is_negation(w.key))
}

/// "Far from" before what it denies ("far from powerless" is "not
/// powerless"). Before a noun phrase or a place it is a distance ("far
/// from the imperial core", "far from home").
pub(crate) fn denies_as_far_from(first: &str, second: &str, next: &str) -> bool {
    const DISTANCE: &[&str] = &[
        "the", "a", "an", "its", "their", "our", "his", "her", "my", "your", "this", "that",
        "these", "those", "any", "some", "every", "each", "home", "here", "there",
    ];
    first == "far" && second == "from" && !DISTANCE.contains(&next)
}

/// True when word `i` of `side` is the "far" of a denying "far from".
fn far_from(side: &[Word], i: usize) -> bool {
    side.get(i..i + 3)
        .is_some_and(|w| denies_as_far_from(w[0].key, w[1].key, w[2].key))
}

/// Words that turn what follows down, half a negation: adding or dropping
/// one reverses a comparison ("less well organised").
fn is_diminisher(key: &str) -> bool {
    ["less", "fewer", "least"].contains(&key)
}

fn opposite(a: &str, b: &str) -> bool {
    // "Undemocratic" for "democratic", "injustice" for "justice".
    let negated_form = |long: &str, short: &str| {
        short.len() >= 5
            && ["un", "in", "im", "il", "ir", "dis", "non"]
                .iter()
                .any(|p| long.strip_prefix(p) == Some(short))
    };
    if negated_form(a, b) || negated_form(b, a) {
        return true;
    }
    if OPPOSITES
        .iter()
        .any(|(x, y)| (*x == a && *y == b) || (*x == b && *y == a))
    {
        return true;
    }
    let pol = |w: &str| {
        if POSITIVE.contains(&w) {
            1
        } else if NEGATIVE.contains(&w) {
            -1
        } else {
            0
        }
    };
    if pol(a) * pol(b) == -1 {
        return true;
    }
    // A negating prefix: just/unjust, possible/impossible, agree/disagree.
    ["un", "in", "im", "il", "ir", "dis", "non"]
        .iter()
        .any(|p| a.strip_prefix(p) == Some(b) || b.strip_prefix(p) == Some(a))
        && a.len().min(b.len()) >= 3
}

/// A word swapped for another that no rule above reads: the same meaning
/// when the lexicon says so or when the quote's word is a little word; an
/// opposite when the lexicon says that; otherwise another claim, as far as
/// cite can tell.
///
/// A rewording moves words about, so the quote's word is also read against
/// the whole passage: "spreading" set where the passage has "advances" is
/// the passage's own "spread", and not a new claim.
fn replaced_kind(a: &str, b: &str, passage: &[Word]) -> DiffKind {
    if lexicon::antonyms(a, b) {
        DiffKind::Opposite
    } else if clipped(a, b) || clipped(b, a) {
        DiffKind::Typo
    } else if !lexicon::is_content(a) || lexicon::means_the_same(a, b) {
        // A little word of the quote's ("the" for "a", "more" left out) or
        // the same meaning. A word of content set where the passage has a
        // little word is read against the whole passage below: "break" in
        // place of "more" in "start to form more extensive connections".
        DiffKind::Changed
    } else if lexicon::means_one_of(a, passage.iter().map(|w| w.key)) {
        DiffKind::Moved
    } else {
        DiffKind::Replaced
    }
}

/// Two neighbouring words of `side` that together mean what `word` means
/// ("set up" for "founded"): each is `at` (the word `word` was lined up
/// with) or one of `free` (words the other side lacks), and at least one
/// is free; a phrase may sit just before or after `at`.
fn phrase_near(word: &str, side: &[Word], at: usize, free: &[usize]) -> Option<[usize; 2]> {
    let usable = |k: usize| k == at || free.contains(&k);
    (at.saturating_sub(2)..=at + 1)
        .filter(|&i| i + 1 < side.len())
        .map(|i| [i, i + 1])
        .filter(|pair| pair.iter().all(|&k| usable(k)) && pair.iter().any(|&k| k != at))
        .find(|[i, j]| lexicon::means_phrase(word, side[*i].key, side[*j].key))
}

/// True when word `i` of the quote, one the passage lacks, is one of
/// content that says something new: not a little word ("the", "really"),
/// not a name (read as names are), and not a word the quote says in place
/// of one it leaves out (`left_out`, the passage's unmatched words). A
/// passage word said again elsewhere ("the failed slaughter" where the
/// passage has "failed to stand") is new there.
fn adds_a_claim(quote: &[Word], i: usize, passage: &[Word], left_out: &[usize]) -> bool {
    let word = &quote[i];
    // "in order to" says no more than "to".
    let in_order_to = word.key == "order"
        && i >= 1
        && quote[i - 1].key == "in"
        && quote.get(i + 1).is_some_and(|w| w.key == "to");
    // Half of a two-word phrase for one of the passage's words ("set up"
    // for "founded").
    let in_phrase = || {
        let pairs = [
            (i >= 1).then(|| (quote[i - 1].key, word.key)),
            quote.get(i + 1).map(|next| (word.key, next.key)),
        ];
        pairs
            .into_iter()
            .flatten()
            .any(|(a, b)| lexicon::phrase_means_one_of(a, b, passage.iter().map(|w| w.key)))
    };
    !word.name
        && !in_order_to
        && lexicon::is_content(word.key)
        && !lexicon::means_one_of(word.key, left_out.iter().map(|&j| passage[j].key))
        && !in_phrase()
}

/// True when the passage's word `j`, which the quote leaves out inside
/// the part it quotes, is an adverb that qualifies the claim: how or how
/// far something holds ("freely chosen", "partly because", "openly
/// threatened", "potentially creating"). Without it the quote claims
/// something else. Words of degree and stance ("merely", "extremely",
/// "unfortunately": not words of content) are not, nor is a qualifier the
/// quote says in other words among its own (`added`: "in effect" for
/// "effectively"). Words an ellipsis stands for are not left out: the
/// quote says so.
fn drops_a_qualifier(
    passage: &[Word],
    j: usize,
    left_out: &[usize],
    quote: &[Word],
    added: &[usize],
) -> bool {
    let word = passage[j].key;
    let kept = |k: usize| !left_out.contains(&k);
    let inside = (0..j).any(kept) && (j + 1..passage.len()).any(kept);
    let beside_a_kept_word = (j + 1 < passage.len() && kept(j + 1)) || (j >= 1 && kept(j - 1));
    word.len() > 4
        && word.ends_with("ly")
        && lexicon::is_content(word)
        && inside
        && beside_a_kept_word
        && !added
            .iter()
            .any(|&qi| lexicon::means_the_same(quote[qi].key, word))
}

/// The same word, or one with a possessive or plural "s" ("Russias",
/// "Russia"; keys drop the apostrophe).
/// Pronouns that stand for a person or a thing named elsewhere.
const PRONOUNS: &[&str] = &[
    "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their",
];

/// True when a name and a pronoun trade places: the quote's name `a` where
/// the passage has the pronoun `b` although the passage names `a` in
/// another place too ("I think Assad is going to keep him in power" for "I
/// think he is going to keep Assad in power"), or the other way round. A
/// pronoun does not stand for a name beside it in its own sentence, so the
/// two have swapped roles. Read as moved words before, the quote was
/// confirmed as misquoted.
fn swaps_roles(a: &Word, b: &Word, q: &[Word], qi: usize, p: &[Word], pj: usize) -> bool {
    let named_elsewhere = |name: &Word, side: &[Word], at: usize| {
        side.iter()
            .enumerate()
            .any(|(j, w)| j != at && possessive_of(w.key, name.key))
    };
    (a.name && PRONOUNS.contains(&b.key) && named_elsewhere(a, p, pj))
        || (b.name && PRONOUNS.contains(&a.key) && named_elsewhere(b, q, qi))
}

/// Two names of the quote that traded places in the passage: each stands
/// where the other stands there, among the same words ("Al-Nusra has no
/// presence …, and ISIS has a small presence" for "no ISIS presence … and
/// Al-Nusra has a small presence"; "US troops … UK intervention" for "UK
/// troops … US intervention"). A name moved to another place ("Across
/// Europe, Russia is funding …") or names listed in another order
/// ("Russia or China") keep their words and trade nothing.
fn traded_names(q: &[Word], p: &[Word]) -> Option<(usize, usize)> {
    // The nearest words of content before and after a name, past other
    // names and little words, within a few words.
    fn context<'a>(side: &[Word<'a>], at: usize) -> (Option<&'a str>, Option<&'a str>) {
        let near = |range: &mut dyn Iterator<Item = usize>| {
            range
                .filter(|&j| !side[j].name && !side[j].surface.starts_with(char::is_uppercase))
                .take(4)
                .find(|&j| !crate::text::stopwords::is_stopword(side[j].key))
                .map(|j| side[j].key)
        };
        (near(&mut (0..at).rev()), near(&mut (at + 1..side.len())))
    }
    // The same words where both sides have one, and at least one: "it is
    // bombing Russia." and "it is bombing ISIS and other groups" alike.
    fn alike(a: (Option<&str>, Option<&str>), b: (Option<&str>, Option<&str>)) -> bool {
        let fits = |x: Option<&str>, y: Option<&str>| x.is_none() || y.is_none() || x == y;
        fits(a.0, b.0)
            && fits(a.1, b.1)
            && ((a.0.is_some() && a.0 == b.0) || (a.1.is_some() && a.1 == b.1))
    }
    let capital = |w: &Word| w.surface.starts_with(char::is_uppercase);
    let in_p = |key: &str| {
        p.iter()
            .position(|w| capital(w) && possessive_of(w.key, key))
    };
    let names: Vec<usize> = (0..q.len())
        // A name may open the quote, where a capital says nothing: the
        // passage says it is one.
        .filter(|&i| capital(&q[i]) && in_p(q[i].key).is_some_and(|j| q[i].name || p[j].name))
        .collect();
    names.iter().enumerate().find_map(|(n, &x)| {
        names[n + 1..].iter().find_map(|&y| {
            let (px, py) = (in_p(q[x].key)?, in_p(q[y].key)?);
            let (qx, qy) = (context(q, x), context(q, y));
            let known = |c: &(Option<&str>, Option<&str>)| c.0.is_some() || c.1.is_some();
            // Each where the other is: their order turned.
            (px > py
                && !possessive_of(q[x].key, q[y].key)
                && qx != qy
                && known(&qx)
                && known(&qy)
                && alike(qx, context(p, py))
                && alike(qy, context(p, px)))
            .then_some((x, y))
        })
    })
}

/// True when the quote is the passage with two of its phrases, names or
/// words traded ("To guide the rise of nationalism as an ideology, we may
/// … take some lessons from our efforts" for "To guide our efforts, we may
/// … take some lessons from the rise of nationalism as an ideology"): the
/// same words, another claim. A reader of rewordings, which weighs words
/// and not their order, asks this before it calls a quote the same point.
pub fn trades_places(quote: &str, passage: &str) -> bool {
    let (qt, pt) = (tokens(quote), tokens(passage));
    let (q, p) = (words(quote, &qt, None), words(passage, &pt, None));
    traded_names(&q, &p).is_some()
        || traded_phrases(&q, &p).is_some()
        || rotated_words(&q, &p).is_some()
        || traded_owners(quote, passage)
}

/// True when two things change owners in opposite directions: "It's those
/// groups' responsibility to find out who we are and promote our voices"
/// for "It's our responsibility to find out who those groups are and
/// promote their voices". The responsibility passes from "us" to "them"
/// and the voices from "them" to "us": whose duty it is has turned round.
/// One owner changed alone ("our voices" for "their voices") is a word
/// swapped, which the rest of the comparison weighs.
fn traded_owners(quote: &str, passage: &str) -> bool {
    /// The person of a possessor: 1 for "my" and "our", 2 for "your", 3 for
    /// "his", "her", "its", "their" and a noun's "'s".
    fn owners(text: &str) -> Vec<(String, u8)> {
        let raw: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                    .to_lowercase()
            })
            .collect();
        raw.windows(2)
            .filter_map(|w| {
                let person = match w[0].as_str() {
                    "my" | "our" => 1,
                    "your" => 2,
                    "his" | "her" | "its" | "their" => 3,
                    o if o.len() > 3
                        && (o.ends_with("'s")
                            || o.ends_with("’s")
                            || o.ends_with("s'")
                            || o.ends_with("s’")) =>
                    {
                        3
                    }
                    _ => return None,
                };
                let noun = w[1].trim_end_matches(['\'', '’']);
                lexicon::is_content(noun).then(|| (noun.to_string(), person))
            })
            .collect()
    }
    let (q, p) = (owners(quote), owners(passage));
    let once = |list: &[(String, u8)], n: &str| list.iter().filter(|(m, _)| m == n).count() == 1;
    let moves: Vec<(u8, u8)> = p
        .iter()
        .filter(|(n, _)| once(&p, n) && once(&q, n))
        .filter_map(|(n, from)| {
            let to = q.iter().find(|(m, _)| m == n)?.1;
            (to != *from).then_some((*from, to))
        })
        .collect();
    moves
        .iter()
        .any(|&(a, b)| moves.iter().any(|&(c, d)| c == b && d == a))
}

/// True when the differences found so far move, add, drop or change
/// words: only then may the roles have turned.
fn reworded_diffs_so_far(diffs: &[Difference]) -> bool {
    diffs.iter().any(|d| {
        matches!(
            d.kind,
            DiffKind::Moved | DiffKind::Added | DiffKind::Dropped | DiffKind::Changed
        )
    })
}

/// Two phrases of the passage that trade places in the quote, all else
/// word for word: "not organized by the liberal opposition in Russia, but
/// by the left" for "not organized by the left, but by the liberal
/// opposition in Russia"; "a world of states, not people" for "a world of
/// people, not states". Returns the two phrases as the quote orders them.
/// Two phrases side by side ("anti-immigration far-right") or joined by
/// "and" or "or" alone ("China or Russia") are a list in another order,
/// which trades nothing.
fn traded_phrases(q: &[Word], p: &[Word]) -> Option<(String, String)> {
    /// Words past the first and last that differ that a phrase may take.
    const REACH: usize = 4;
    /// Longest quote and longest stretch read for a trade: the time grows
    /// with the square of the stretch, and traded phrases are short.
    const MAX_QUOTE: usize = 80;
    const MAX_STRETCH: usize = 30;
    let n = q.len();
    if !(3..=MAX_QUOTE).contains(&n) || p.len() < n {
        return None;
    }
    let keys = |side: &[Word]| -> Vec<String> {
        let mut k: Vec<String> = side.iter().map(|w| agreeing(w.key).to_string()).collect();
        k.sort();
        k
    };
    let qkeys = keys(q);
    // "The majority … are influenced by the pro-Assad left" for "the
    // pro-Assad left … is influenced by the majority": the verb agrees
    // with whichever phrase comes first.
    fn agreeing(key: &str) -> &str {
        match key {
            "is" | "are" | "am" => "are",
            "was" | "were" => "were",
            "has" | "have" => "have",
            "does" | "do" => "do",
            _ => key,
        }
    }
    // A phrase that trades is a thing or a doer: an adverb moved round
    // its verb ("published recently" for "recently published") is not.
    let content = |ws: &[Word]| {
        ws.iter()
            .any(|w| !crate::text::stopwords::is_stopword(w.key) && !w.key.ends_with("ly"))
    };
    let joined = |ws: &[Word]| ws.iter().map(|w| w.surface).collect::<Vec<_>>().join(" ");
    for s in 0..=p.len() - n {
        let w = &p[s..s + n];
        if keys(w) != qkeys {
            continue;
        }
        let differ = |i: usize| agreeing(q[i].key) != agreeing(w[i].key);
        let Some(a) = (0..n).find(|&i| differ(i)) else {
            continue;
        };
        let b = (0..n).rev().find(|&i| differ(i))?;
        if b - a > MAX_STRETCH {
            continue;
        }
        let same = |x: &[Word], y: &[Word]| {
            x.iter()
                .zip(y)
                .all(|(u, v)| agreeing(u.key) == agreeing(v.key))
        };
        // The region that differs may reach past the first and last words
        // that differ, where a word of one phrase matches by chance the
        // word beside it ("non-Western left regards Western forms").
        for from in (a.saturating_sub(REACH)..=a).rev() {
            for to in b..(b + REACH + 1).min(n) {
                let (qr, wr) = (&q[from..=to], &w[from..=to]);
                let r = qr.len();
                // The passage's region is first + middle + second; the
                // quote's, second + middle + first.
                for first in 1..r {
                    for second in 1..r.saturating_sub(first) {
                        let mid = r - first - second;
                        let (pa, pm, pb) =
                            (&wr[..first], &wr[first..first + mid], &wr[first + mid..]);
                        let (qb, qm, qa) = (
                            &qr[..second],
                            &qr[second..second + mid],
                            &qr[second + mid..],
                        );
                        let list = pm.iter().all(|x| matches!(x.key, "and" | "or" | "nor"));
                        if same(pa, qa)
                            && same(pb, qb)
                            && same(pm, qm)
                            && !list
                            && content(pa)
                            && content(pb)
                        {
                            return Some((joined(qb), joined(qa)));
                        }
                    }
                }
            }
        }
    }
    None
}

/// Words of content of the passage that the quote moves round into one
/// another's places, each where another stood among the same neighbours:
/// "an issue of values, as these are the tools institutions use to …
/// implement a society" for "an issue of institutions, as these are the
/// tools a society uses to … implement its values". Every word moved is
/// in both texts and the moves close a cycle; a word only moved, or put
/// where nothing stood, turns nothing. Returns the quote's words and the
/// passage's, in the quote's order.
fn rotated_words(q: &[Word], p: &[Word]) -> Option<(String, String)> {
    fn content<'w>(side: &[Word<'w>]) -> Vec<(String, &'w str)> {
        side.iter()
            .filter(|w| !crate::text::stopwords::is_stopword(w.key))
            .filter_map(|w| {
                crate::index::analyze(w.key)
                    .into_iter()
                    .next()
                    .map(|s| (s, w.surface))
            })
            .collect()
    }
    let (qc, pc) = (content(q), content(p));
    fn around<'c>(c: &'c [(String, &str)], i: usize) -> (Option<&'c str>, Option<&'c str>) {
        let stem = |k: Option<usize>| k.and_then(|k| c.get(k)).map(|x| x.0.as_str());
        (stem(i.checked_sub(1)), stem(Some(i + 1)))
    }
    let in_q: HashSet<&str> = qc.iter().map(|x| x.0.as_str()).collect();
    let in_p: HashSet<&str> = pc.iter().map(|x| x.0.as_str()).collect();
    // Each quote word that stands where another of the passage stood.
    let mut moves: Vec<(usize, usize)> = Vec::new();
    for i in 0..qc.len() {
        let ctx = around(&qc, i);
        if (ctx.0.is_none() && ctx.1.is_none()) || !in_p.contains(qc[i].0.as_str()) {
            continue;
        }
        let at = (0..pc.len()).find(|&j| {
            pc[j].0 != qc[i].0 && around(&pc, j) == ctx && in_q.contains(pc[j].0.as_str())
        });
        if let Some(j) = at {
            moves.push((i, j));
        }
    }
    let from: HashSet<&str> = moves.iter().map(|&(i, _)| qc[i].0.as_str()).collect();
    let to: HashSet<&str> = moves.iter().map(|&(_, j)| pc[j].0.as_str()).collect();
    // Two words at least stand between the same two neighbours: a word
    // at an edge may have only changed its place in the clause ("Our
    // manifesto, published recently" for "Our recently published
    // manifesto"; "Putin was allowed by this permissiveness" for "This
    // permissiveness allowed Putin").
    let between = moves
        .iter()
        .filter(|&&(i, _)| i > 0 && i + 1 < qc.len())
        .count();
    (from.len() >= 2 && from == to && between >= 2).then(|| {
        let quoted: Vec<&str> = moves.iter().map(|&(i, _)| qc[i].1).collect();
        let library: Vec<&str> = moves.iter().map(|&(_, j)| pc[j].1).collect();
        (quoted.join(" … "), library.join(" … "))
    })
}

fn possessive_of(a: &str, b: &str) -> bool {
    a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a)
}

/// A short word typed with a letter or two missing ("muh" for "much", "hun"
/// for "human"): same first letter, its letters in order in the longer one.
fn clipped(short: &str, long: &str) -> bool {
    let (s, l) = (short.chars().count(), long.chars().count());
    if s < 3 || l <= s || l - s > 2 || short.chars().next() != long.chars().next() {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|d| d == c))
}

fn is_number(key: &str) -> bool {
    key.chars().any(|c| c.is_ascii_digit())
        || [
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand",
            "million", "billion", "half", "dozen",
        ]
        .contains(&key)
}

/// A count replaced: digits on either side, or a number word for another
/// ("one" alone is as often a pronoun: "had I any one to whom…").
fn changed_number(a: &str, b: &str) -> bool {
    let digits = |k: &str| k.chars().any(|c| c.is_ascii_digit());
    digits(a) || digits(b) || (is_number(a) && is_number(b))
}

fn near(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let max = match la.min(lb) {
        0..=3 => return false,
        4..=7 => 1,
        _ => 2,
    };
    la.abs_diff(lb) <= max && edit_distance_within(a, b, max) <= max
}

/// A word of one side, with its surface form.
#[derive(Debug, Clone)]
struct Word<'a> {
    key: &'a str,
    surface: &'a str,
    /// Capitalised and not at a sentence start: a name.
    name: bool,
    /// Follows an ellipsis (quote side).
    gap: bool,
    /// The token it was read from (a contraction gives two words).
    tok: usize,
}

/// The words a contraction stands for ("won't" → "will not", "they're" →
/// "they are"), so that a quote that spells it out lines up word for word
/// with a passage that does not. Only a surface with an apostrophe is read
/// ("wont" and "cant" are words too); "'s" and "'d" are ambiguous and kept.
fn expand(key: &str, surface: &str) -> Option<[&'static str; 2]> {
    if !surface.contains(['\'', '’']) {
        return (key == "cannot").then_some(["can", "not"]);
    }
    Some(match key {
        "wont" => ["will", "not"],
        "cant" => ["can", "not"],
        "shant" => ["shall", "not"],
        "aint" => ["is", "not"],
        "dont" => ["do", "not"],
        "doesnt" => ["does", "not"],
        "didnt" => ["did", "not"],
        "isnt" => ["is", "not"],
        "arent" => ["are", "not"],
        "wasnt" => ["was", "not"],
        "werent" => ["were", "not"],
        "wouldnt" => ["would", "not"],
        "shouldnt" => ["should", "not"],
        "couldnt" => ["could", "not"],
        "hasnt" => ["has", "not"],
        "havent" => ["have", "not"],
        "hadnt" => ["had", "not"],
        "mustnt" => ["must", "not"],
        "neednt" => ["need", "not"],
        "theyre" => ["they", "are"],
        "were" => ["we", "are"],
        "youre" => ["you", "are"],
        "im" => ["i", "am"],
        "ive" => ["i", "have"],
        "weve" => ["we", "have"],
        "theyve" => ["they", "have"],
        "youve" => ["you", "have"],
        "ill" => ["i", "will"],
        "well" => ["we", "will"],
        "theyll" => ["they", "will"],
        "youll" => ["you", "will"],
        _ => return None,
    })
}

fn words<'a>(text: &'a str, toks: &'a [Token], gaps: Option<&[bool]>) -> Vec<Word<'a>> {
    let mut out = Vec::with_capacity(toks.len());
    for (i, t) in toks.iter().enumerate() {
        let surface = &text[t.start..t.end];
        let before = text[..t.start].trim_end();
        let sentence_start = before.is_empty()
            || before.ends_with(['.', '!', '?', ':', '“', '"', '‘', '(', '—', '–']);
        let word = Word {
            key: t.key.as_str(),
            surface,
            // "I", "I'd", "I’m" are capitalised and no names.
            name: surface.chars().next().is_some_and(char::is_uppercase)
                && !sentence_start
                && !(surface == "I" || surface.starts_with("I'") || surface.starts_with("I’")),
            gap: gaps.is_some_and(|g| g.get(i).copied().unwrap_or(false)),
            tok: i,
        };
        match expand(word.key, surface) {
            Some([first, second]) => {
                out.push(Word { key: first, ..word });
                out.push(Word {
                    key: second,
                    name: false,
                    gap: false,
                    ..word
                });
            }
            None => out.push(word),
        }
    }
    out
}

/// Word marks folded onto the tokens the words were read from.
fn token_marks(words: &[Word], marked: &[bool], tokens: usize) -> Vec<bool> {
    let mut out = vec![false; tokens];
    for (w, &m) in words.iter().zip(marked) {
        out[w.tok] |= m;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Same,
    /// Near-identical or spelling variant.
    Near,
    Subst,
    /// Quote word not in the passage.
    Insert,
    /// Passage word not in the quote.
    Delete,
    /// Passage word skipped by an ellipsis.
    Skip,
    /// One of two neighbouring words in the other order.
    Swap,
}

/// Word-level edit script between the quote and the passage region. Every
/// quote word is accounted for; passage words before the quote's first and
/// after its last are free to skip (the region is wider than the quote).
fn script(q: &[Word], p: &[Word]) -> Vec<(Op, Option<usize>, Option<usize>)> {
    // Costs: a word added or dropped 4, replaced 5 (two changes cost more
    // than dropping both), a typo 2, two neighbours swapped 2, and a passage
    // word outside the quote's ends 1 (so a replaced last word still reads
    // as replaced rather than as one added and one left outside).
    const GAP: u32 = 4;
    const EDGE: u32 = 1;
    let (n, m) = (q.len(), p.len());
    let mut cost = vec![vec![0u32; m + 1]; n + 1];
    for (i, row) in cost.iter_mut().enumerate().skip(1) {
        row[0] = i as u32 * GAP;
    }
    for (j, c) in cost[0].iter_mut().enumerate() {
        *c = j as u32 * EDGE;
    }
    let pair = |i: usize, j: usize| -> (u32, Op) {
        if q[i].key == p[j].key {
            (0, Op::Same)
        } else if near(q[i].key, p[j].key) {
            (2, Op::Near)
        } else {
            (5, Op::Subst)
        }
    };
    let swapped = |i: usize, j: usize| {
        i >= 2
            && j >= 2
            && q[i - 1].key == p[j - 2].key
            && q[i - 2].key == p[j - 1].key
            && q[i - 1].key != q[i - 2].key
    };
    // An ellipsis before quote word i makes skipping passage words there free.
    let skip_cost = |i: usize| if i < n && q[i].gap { 0 } else { GAP };
    for i in 1..=n {
        for j in 1..=m {
            let (c, _) = pair(i - 1, j - 1);
            let mut best = (cost[i - 1][j - 1] + c)
                .min(cost[i - 1][j] + GAP)
                .min(cost[i][j - 1] + skip_cost(i));
            if swapped(i, j) {
                best = best.min(cost[i - 2][j - 2] + 2);
            }
            cost[i][j] = best;
        }
    }
    // Where the quote ends in the passage: the cheapest, then the furthest.
    let total = |j: usize| cost[n][j] + (m - j) as u32 * EDGE;
    let mut j = (0..=m).rev().min_by_key(|&j| total(j)).unwrap_or(m);
    let mut out = Vec::new();
    let mut i = n;
    while i > 0 {
        if j > 0 {
            if swapped(i, j) && cost[i][j] == cost[i - 2][j - 2] + 2 {
                out.push((Op::Swap, Some(i - 1), Some(j - 1)));
                out.push((Op::Swap, Some(i - 2), Some(j - 2)));
                i -= 2;
                j -= 2;
                continue;
            }
            let (c, op) = pair(i - 1, j - 1);
            if cost[i][j] == cost[i - 1][j - 1] + c {
                out.push((op, Some(i - 1), Some(j - 1)));
                i -= 1;
                j -= 1;
                continue;
            }
            if cost[i][j] == cost[i][j - 1] + skip_cost(i) {
                let op = if skip_cost(i) == 0 {
                    Op::Skip
                } else {
                    Op::Delete
                };
                out.push((op, None, Some(j - 1)));
                j -= 1;
                continue;
            }
        }
        out.push((Op::Insert, Some(i - 1), None));
        i -= 1;
    }
    out.reverse();
    out
}

/// Compare a quote (`quote` text, its tokens and ellipsis marks) with the
/// passage region it was aligned to (`passage` text and its tokens).
pub fn compare(
    quote: &str,
    qtoks: &[Token],
    gaps: &[bool],
    passage: &str,
    ptoks: &[Token],
) -> Comparison {
    let q = words(quote, qtoks, Some(gaps));
    let p = words(passage, ptoks, None);
    let ops = script(&q, &p);
    let mut diffs: Vec<Difference> = Vec::new();
    let mut marked_q = vec![false; q.len()];
    let mut marked_p = vec![false; p.len()];
    // Words that only one side has.
    let inserted: Vec<usize> = ops
        .iter()
        .filter(|(op, _, _)| *op == Op::Insert)
        .filter_map(|&(_, qi, _)| qi)
        .collect();
    let deleted: Vec<usize> = ops
        .iter()
        .filter(|(op, _, _)| *op == Op::Delete)
        .filter_map(|&(_, _, pj)| pj)
        .collect();
    // Negations that a prefix on the other side carries ("not able" for
    // "unable"): found with the swap, then passed over as insertions.
    let (negations_in, negations_out) = carried_negations(&ops, &q, &p);
    // Words of one side read as half of a two-word phrase the other side
    // says in one word.
    let (mut absorbed_p, mut absorbed_q) = (Vec::new(), Vec::new());
    for &(op, qi, pj) in &ops {
        match op {
            Op::Same | Op::Skip => {}
            Op::Swap => {
                let (a, b) = (&q[qi.unwrap()], &p[pj.unwrap()]);
                marked_q[qi.unwrap()] = true;
                marked_p[pj.unwrap()] = true;
                diffs.push(Difference {
                    kind: DiffKind::Moved,
                    quoted: Some(a.surface.to_string()),
                    library: Some(b.surface.to_string()),
                });
            }
            Op::Near | Op::Subst => {
                let (qi, pj) = (qi.unwrap(), pj.unwrap());
                let (a, b) = (&q[qi], &p[pj]);
                let kind = if negations_in
                    .iter()
                    .any(|&(i, j, n)| (i, j) == (qi, pj) || n == qi)
                    || negations_out
                        .iter()
                        .any(|&(i, j, n)| (i, j) == (qi, pj) || n == pj)
                {
                    DiffKind::Changed
                } else if op == Op::Near {
                    // A typo of a word is still that word ("enither"), but
                    // digits are never typos: 2011 is not 2012.
                    let digits = |k: &str| k.chars().any(|c| c.is_ascii_digit());
                    if digits(a.key) || digits(b.key) {
                        DiffKind::Number
                    } else if opposite(a.key, b.key) {
                        // "democratic" is two letters from "undemocratic".
                        DiffKind::Opposite
                    } else {
                        DiffKind::Typo
                    }
                } else if nor_for_or(a.key, b.key, &p[..pj]) || nor_for_or(b.key, a.key, &q[..qi]) {
                    // "neither highlighted nor opposed" is "not highlighted
                    // or opposed".
                    DiffKind::Changed
                } else if is_negation(a.key) != is_negation(b.key) {
                    DiffKind::Negation
                } else if is_negation(a.key) && a.key != "without" && b.key != "without" {
                    // One negation for another ("neither" for "not"): the
                    // claim is denied either way.
                    DiffKind::Changed
                } else if opposite(a.key, b.key) {
                    DiffKind::Opposite
                } else if changed_number(a.key, b.key) {
                    DiffKind::Number
                } else if swaps_roles(a, b, &q, qi, &p, pj) {
                    DiffKind::Name
                } else if b.name || a.name {
                    // "Russia's role" for "the role of Russia": the name is
                    // still there, in another place.
                    let elsewhere = |w: &Word, other: &[Word]| {
                        !w.name || other.iter().any(|o| possessive_of(w.key, o.key))
                    };
                    if elsewhere(a, &p) && elsewhere(b, &q) {
                        DiffKind::Moved
                    } else {
                        DiffKind::Name
                    }
                } else {
                    match replaced_kind(a.key, b.key, &p) {
                        DiffKind::Replaced => {
                            // "founded" for "set up", "set up" for
                            // "founded": a phrase of two words, one of them
                            // this one's partner, the other unmatched.
                            let in_p = phrase_near(a.key, &p, pj, &deleted);
                            let in_q = phrase_near(b.key, &q, qi, &inserted);
                            if let Some(pair) = in_p.or(in_q) {
                                let absorbed = if in_p.is_some() {
                                    &mut absorbed_p
                                } else {
                                    &mut absorbed_q
                                };
                                absorbed.extend(pair);
                                DiffKind::Changed
                            } else {
                                DiffKind::Replaced
                            }
                        }
                        kind => kind,
                    }
                };
                marked_q[qi] = true;
                marked_p[pj] = true;
                diffs.push(Difference {
                    kind,
                    quoted: Some(a.surface.to_string()),
                    library: Some(b.surface.to_string()),
                });
            }
            Op::Insert | Op::Delete => {}
        }
    }
    // A word dropped in one place and added in another has moved.
    let mut moved_q = vec![false; q.len()];
    let mut moved_p = vec![false; p.len()];
    for &qi in &inserted {
        if let Some(&pj) = deleted
            .iter()
            .find(|&&pj| !moved_p[pj] && p[pj].key == q[qi].key)
        {
            moved_q[qi] = true;
            moved_p[pj] = true;
            marked_q[qi] = true;
            marked_p[pj] = true;
            diffs.push(Difference {
                kind: DiffKind::Moved,
                quoted: Some(q[qi].surface.to_string()),
                library: Some(p[pj].surface.to_string()),
            });
        }
    }
    let carried = |i: usize, side: &[(usize, usize, usize)]| side.iter().any(|c| c.2 == i);
    // The passage's words no quote word says: dropped, outside the part the
    // quote covers, or lined up with another word ("individuals" against
    // the quote's "are" when the quote moved it).
    let unmatched_p: Vec<usize> = (0..p.len())
        .filter(|&j| {
            !moved_p[j]
                && !ops.iter().any(|&(op, _, pj)| {
                    pj == Some(j) && matches!(op, Op::Same | Op::Near | Op::Swap)
                })
        })
        .collect();
    for &qi in inserted.iter().filter(|&&qi| !moved_q[qi]) {
        marked_q[qi] = true;
        if carried(qi, &negations_in) || absorbed_q.contains(&qi) {
            diffs.push(Difference {
                kind: DiffKind::Changed,
                quoted: Some(q[qi].surface.to_string()),
                library: None,
            });
            continue;
        }
        // "Whether or not": an alternative, not a denial.
        let whether_or_not = q[qi].key == "not"
            && qi >= 1
            && q[qi - 1].key == "or"
            && q[..qi - 1].iter().any(|w| w.key == "whether");
        diffs.push(Difference {
            kind: if (is_negation(q[qi].key) && !whether_or_not) || far_from(&q, qi) {
                DiffKind::Negation
            } else if is_diminisher(q[qi].key) {
                DiffKind::Opposite
            } else if adds_a_claim(&q, qi, &p, &unmatched_p) {
                // "it is a failed survival mechanism": a word of content the
                // passage has nothing for says something it does not.
                DiffKind::Replaced
            } else {
                DiffKind::Added
            },
            quoted: Some(q[qi].surface.to_string()),
            library: None,
        });
    }
    for &pj in deleted.iter().filter(|&&pj| !moved_p[pj]) {
        marked_p[pj] = true;
        if carried(pj, &negations_out) || absorbed_p.contains(&pj) {
            diffs.push(Difference {
                kind: DiffKind::Changed,
                quoted: None,
                library: Some(p[pj].surface.to_string()),
            });
            continue;
        }
        diffs.push(Difference {
            kind: if is_negation(p[pj].key) || far_from(&p, pj) {
                DiffKind::Negation
            } else if is_diminisher(p[pj].key) {
                // "much better organised" for "much less well organised".
                DiffKind::Opposite
            } else if is_number(p[pj].key) && p[pj].key != "one" {
                // ("no one", "the one who": a pronoun more often than a count)
                DiffKind::Number
            } else if drops_a_qualifier(&p, pj, &unmatched_p, &q, &inserted) {
                // "if it is chosen" for "if it is freely chosen": the claim
                // lost its condition.
                DiffKind::Replaced
            } else {
                DiffKind::Dropped
            },
            quoted: None,
            library: Some(p[pj].surface.to_string()),
        });
    }
    // A quote that starts after a negation of its own clause ("I don't
    // think that | Syria is actually Russia's main target") drops it.
    let first_matched = ops
        .iter()
        .find(|(op, _, pj)| matches!(op, Op::Same | Op::Near | Op::Subst) && pj.is_some())
        .and_then(|(_, _, pj)| pj.and_then(|j| ptoks.get(p[j].tok)).map(|t| t.start));
    if let Some(word) = first_matched.and_then(|at| negation_governing(&passage[..at])) {
        diffs.insert(
            0,
            Difference {
                kind: DiffKind::Negation,
                quoted: None,
                library: Some(word),
            },
        );
    }
    if let Some((x, y)) = traded_names(&q, &p) {
        diffs.push(Difference {
            kind: DiffKind::Name,
            quoted: Some(format!("{} … {}", q[x].surface, q[y].surface)),
            library: Some(format!("{} … {}", q[y].surface, q[x].surface)),
        });
    }
    if let Some((quoted, library)) = reworded_diffs_so_far(&diffs)
        .then(|| rotated_words(&q, &p))
        .flatten()
    {
        diffs.push(Difference {
            kind: DiffKind::Roles,
            quoted: Some(quoted),
            library: Some(library),
        });
    }
    // Phrases traded always show as words moved or changed: the search
    // over the passage's windows runs only then.
    if let Some((first, second)) = reworded_diffs_so_far(&diffs)
        .then(|| traded_phrases(&q, &p))
        .flatten()
    {
        diffs.push(Difference {
            kind: DiffKind::Roles,
            quoted: Some(format!("{first} … {second}")),
            library: Some(format!("{second} … {first}")),
        });
    }
    // Words moved may turn who does what to whom ("Europe's parties are
    // funding Russia" for "Russia is funding parties across Europe").
    if let Some(swap) = reworded_diffs_so_far(&diffs)
        .then(|| super::roles::swapped(quote, passage))
        .flatten()
    {
        diffs.push(Difference {
            kind: DiffKind::Roles,
            quoted: Some(swap.quoted),
            library: Some(swap.library),
        });
    }
    let altered = diffs.iter().any(|d| d.kind.alters_meaning());
    let verdict = if altered {
        Verdict::Altered
    } else if diffs.is_empty() && same_surface(quote, passage, &covered(&ops, &p, ptoks)) {
        Verdict::Verbatim
    } else {
        if diffs.is_empty() {
            diffs.push(Difference {
                kind: DiffKind::Punctuation,
                quoted: None,
                library: None,
            });
        }
        Verdict::Misquoted
    };
    Comparison {
        verdict,
        differences: diffs,
        quote_marked: mark(quote, qtoks, &token_marks(&q, &marked_q, qtoks.len())),
        passage_marked: mark(passage, ptoks, &token_marks(&p, &marked_p, ptoks.len())),
    }
}

/// The passage tokens from the first to the last one the quote covers.
fn covered(ops: &[(Op, Option<usize>, Option<usize>)], p: &[Word], ptoks: &[Token]) -> Vec<Token> {
    let used: Vec<usize> = ops
        .iter()
        .filter(|(op, qi, _)| qi.is_some() && *op != Op::Insert)
        .filter_map(|(_, _, pj)| pj.map(|j| p[j].tok))
        .collect();
    match (used.iter().min(), used.iter().max()) {
        (Some(&a), Some(&b)) => ptoks[a..=b].to_vec(),
        _ => Vec::new(),
    }
}

/// True when the quote's characters are the passage span's, up to white
/// space and the kind of quotation marks and apostrophes.
fn same_surface(quote: &str, passage: &str, ptoks: &[Token]) -> bool {
    let (Some(first), Some(last)) = (ptoks.first(), ptoks.last()) else {
        return false;
    };
    let canon = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '‘' | '’' | '′' => '\'',
                '“' | '”' | '″' => '"',
                c => c,
            })
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let span = &passage[first.start..last.end];
    let q = canon(quote);
    let q = q.trim_matches(|c: char| c == '"' || c == '\'');
    let s = canon(span);
    // The quote may stop before, or carry, the sentence's closing mark.
    q == s || q.strip_suffix(['.', '!', '?', ',', ';', ':']) == Some(&s)
}

fn mark(text: &str, toks: &[Token], marked: &[bool]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (t, &m) in toks.iter().zip(marked) {
        if !m {
            continue;
        }
        out.push_str(&text[at..t.start]);
        out.push_str("**");
        out.push_str(&text[t.start..t.end]);
        out.push_str("**");
        at = t.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::tokens;

    fn cmp(q: &str, p: &str) -> Comparison {
        let qt = tokens(q);
        let gaps = vec![false; qt.len()];
        compare(q, &qt, &gaps, p, &tokens(p))
    }

    #[test]
    fn reversals_are_altered_and_slips_are_misquotes() {
        let p = "Internationalism is not a luxury that adds something extra to the national and local struggle.";
        assert_eq!(cmp(p, p).verdict, Verdict::Verbatim);
        let c = cmp(
            "Internationalism is a luxury that adds something extra to the national and local struggle.",
            p,
        );
        assert_eq!(c.verdict, Verdict::Altered);
        assert!(c.passage_marked.contains("**not**"), "{}", c.passage_marked);
        assert_eq!(
            cmp("It is morally justified.", "It is morally obscene.").verdict,
            Verdict::Altered
        );
        assert_eq!(
            cmp(
                "they cannot maintain their power",
                "they can maintain their power"
            )
            .verdict,
            Verdict::Altered
        );
        assert_eq!(
            cmp(
                "Opposition to military aid is more persuasive",
                "Opposition to military aid is less persuasive"
            )
            .verdict,
            Verdict::Altered
        );
        assert_eq!(
            cmp("In 2011 the uprising began", "In 2012 the uprising began").verdict,
            Verdict::Altered
        );
        let c = cmp(
            "Internationalism is not a luxery that adds something to the national and local struggle",
            p,
        );
        assert_eq!(c.verdict, Verdict::Misquoted, "{:?}", c.differences);
        assert_eq!(
            cmp(
                "internationalism is NOT a luxury that adds something extra to the national and local struggle",
                p
            )
            .verdict,
            Verdict::Misquoted
        );
    }

    #[test]
    fn a_word_of_content_added_is_a_claim_added() {
        let p = "Internationalism is not a luxury that adds something extra to the national and local struggle – it is a survival mechanism.";
        let c = cmp(
            "Internationalism is not a luxury that adds something extra to the national and local struggle – it is a failed survival mechanism.",
            p,
        );
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // A word of degree, "in order to", or the passage's own word again
        // adds no claim.
        for q in [
            "Internationalism is really not a luxury that adds something extra to the national and local struggle – it is a survival mechanism.",
            "Internationalism is not a luxury that adds something extra to the national and local struggle – it is a mechanism of survival.",
        ] {
            let c = cmp(q, p);
            assert_eq!(c.verdict, Verdict::Misquoted, "{q}: {:?}", c.differences);
        }
        let c = cmp(
            "It is intervening in order to crush the democratic opposition.",
            "It is intervening to crush the democratic opposition.",
        );
        assert_eq!(c.verdict, Verdict::Misquoted, "{:?}", c.differences);
    }

    #[test]
    fn a_qualifier_left_out_changes_the_claim() {
        let p = "If we treat democracy as a guiding principle, internationalism can only be achieved if it is freely chosen.";
        let c = cmp(
            "If we treat democracy as a guiding principle, internationalism can only be achieved if it is chosen.",
            p,
        );
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        assert!(c
            .differences
            .iter()
            .any(|d| d.kind == DiffKind::Replaced && d.library.as_deref() == Some("freely")));
        // A hedge left out makes the claim stronger than the passage's.
        let c = cmp(
            "Ukraine survives because the infrastructure was built in Soviet times.",
            "Ukraine survives partly because the infrastructure was built in Soviet times.",
        );
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // How strongly, what the writer feels, or the same qualifier in
        // other words keeps the claim.
        for (q, p) in [
            (
                "These two are often confused and this is unhelpful.",
                "These two are often confused and this is extremely unhelpful.",
            ),
            (
                "There are currently very few effective avenues for foreign leftists.",
                "Unfortunately, there are currently very few effective avenues for foreign leftists.",
            ),
            (
                "So in effect they are in an open-air prison.",
                "So they are effectively in an open-air prison.",
            ),
            // One word of stance for another, and a placing word for "in".
            (
                "Sadly, Russia's involvement in Syria does not become a point of moral outrage inside Russia.",
                "Unfortunately, Russia's involvement in Syria does not become a point of moral outrage in Russia.",
            ),
        ] {
            let c = cmp(q, p);
            assert_eq!(c.verdict, Verdict::Misquoted, "{q}: {:?}", c.differences);
        }
        // A stance turned round is still an opposite.
        let c = cmp(
            "Fortunately, Russia's involvement in Syria does not become a point of moral outrage in Russia.",
            "Unfortunately, Russia's involvement in Syria does not become a point of moral outrage in Russia.",
        );
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
    }

    #[test]
    fn a_name_and_a_pronoun_that_trade_places_swap_roles() {
        let p = "I think he is going to keep Assad in power.";
        let c = cmp("I think Assad is going to keep him in power.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        let c = cmp("I think he is going to keep Assad in power.", p);
        assert_eq!(c.verdict, Verdict::Verbatim, "{:?}", c.differences);
        // A word moved that is no name and no pronoun is still a slip.
        let c = cmp("I think he is going to keep Assad in power now.", p);
        assert_ne!(c.verdict, Verdict::Altered, "{:?}", c.differences);
    }

    #[test]
    fn things_that_change_owners_both_ways_trade_places() {
        let passage =
            "It's our responsibility to find out who those groups are and promote their voices.";
        assert!(trades_places(
            "It's those groups' responsibility to find out who we are and promote our voices.",
            passage
        ));
        // One owner changed is a word swapped, weighed elsewhere.
        assert!(!trades_places(
            "It's our responsibility to find out who those groups are and promote our voices.",
            passage
        ));
        // Phrases traded, as a rewording reader must see them.
        assert!(trades_places(
            "To guide the rise of nationalism as an ideology, we may actually take some lessons from our efforts.",
            "To guide our efforts, we may actually take some lessons from the rise of nationalism as an ideology."
        ));
        assert!(!trades_places(
            "To guide our efforts, we may take some lessons from the rise of nationalism as an ideology.",
            "To guide our efforts, we may actually take some lessons from the rise of nationalism as an ideology."
        ));
    }

    #[test]
    fn two_phrases_that_trade_places_swap_roles() {
        let p = "This demonstration was actually not organized by the left, but by the liberal opposition in Russia.";
        let c = cmp("This demonstration was actually not organized by the liberal opposition in Russia, but by the left.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        assert!(
            c.differences.iter().any(|d| d.kind == DiffKind::Roles
                && d.quoted.as_deref() == Some("liberal opposition in Russia … left")),
            "{:?}",
            c.differences
        );
        // A word of one phrase that matches the word beside it by chance.
        let p = "It is sad that a large part of the Western left regards non-Western forms of imperialism as alternatives.";
        let c = cmp("It is sad that a large part of the non-Western left regards Western forms of imperialism as alternatives.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        let p = "A system more suited to a world of people, not states, could offer more graduated repercussions.";
        let c = cmp("A system more suited to a world of states, not people, could offer more graduated repercussions.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // The verb agrees with the phrase that comes first.
        let p = "The problem is that the majority of Russian leftists, on the one hand, are influenced by the pro-Assad left.";
        let c = cmp("The problem is that the pro-Assad left, on the one hand, is influenced by the majority of Russian leftists.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // A list in another order, or two words side by side turned round,
        // trade nothing.
        let p = "It brought together trade unions and feminist groups across the region.";
        let c = cmp(
            "It brought together feminist groups and trade unions across the region.",
            p,
        );
        assert_ne!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        let p = "Russia is funding far-right anti-immigration parties across Europe.";
        let c = cmp(
            "Russia is funding anti-immigration far-right parties across Europe.",
            p,
        );
        assert_ne!(c.verdict, Verdict::Altered, "{:?}", c.differences);
    }

    #[test]
    fn words_moved_round_into_one_anothers_places_swap_roles() {
        let p = "This is fundamentally an issue of institutions, as these are the tools a society uses to rationalize and implement its values.";
        let c = cmp("This is fundamentally an issue of values, as these are the tools institutions use to rationalize and implement a society.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // A word that only changes its place, or a voice turned round.
        let p = "Our recently published manifesto analyses the last decade and proposes a new internationalism.";
        let c = cmp("Our manifesto, published recently, analyses the last decade and proposes a new internationalism.", p);
        assert_ne!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        let p = "This permissiveness allowed Putin to consolidate power and to develop an aura of impunity.";
        let c = cmp("Putin was allowed by this permissiveness to consolidate power and to develop an aura of impunity.", p);
        assert!(
            !c.differences.iter().any(|d| d.kind == DiffKind::Roles),
            "{:?}",
            c.differences
        );
    }

    #[test]
    fn two_names_that_trade_places_swap_roles() {
        let p = "Wilson's refusal to send UK troops to Vietnam and his lukewarm attitude to US intervention in Vietnam was probably the last time this happened.";
        let c = cmp("Wilson's refusal to send US troops to Vietnam and his lukewarm attitude to UK intervention in Vietnam was probably the last time this happened.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        let p = "But there is no ISIS presence in East Aleppo and Al-Nusra has a small presence and certainly doesn't control the city.";
        let c = cmp("But there is no Al-Nusra presence in East Aleppo and ISIS has a small presence and certainly doesn't control the city.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        let c = cmp("Al-Nusra has no presence in East Aleppo, and ISIS has a small presence and certainly doesn't control the city.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // A name that opens the quote, and one with a word of its own.
        let c = cmp(
            "ISIS has justified this onslaught by saying that it is bombing Russia.",
            "Russia has justified this onslaught by saying that it is bombing ISIS and other groups such as Jabhat Fateh al-Sham.",
        );
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // Names listed together may come in either order.
        let c = cmp(
            "Where other imperialisms such as China or Russia are involved, the response is much weaker.",
            "Where other imperialisms such as Russia or China are involved, the response is much weaker.",
        );
        assert_ne!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // A name moved, and not traded: still a slip.
        let p = "Wilson's refusal to send UK troops to Vietnam and his lukewarm attitude to US intervention in Vietnam was probably the last time this happened.";
        let c = cmp("Wilson's refusal to send UK troops to Vietnam and his lukewarm attitude to intervention by the US in Vietnam was probably the last time this happened.", p);
        assert_ne!(c.verdict, Verdict::Altered, "{:?}", c.differences);
    }

    #[test]
    fn far_from_denies_what_follows_it() {
        let p = "We are far from powerless, despite our relative lack of strength as a movement.";
        let c = cmp(
            "We are powerless, because of our relative lack of strength as a movement.",
            p,
        );
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        assert!(c.differences.iter().any(|d| d.kind == DiffKind::Negation));
        // A distance is no denial.
        let c = cmp(
            "socialists across borders from the imperial core",
            "socialists across borders far from the imperial core",
        );
        assert_ne!(c.verdict, Verdict::Altered, "{:?}", c.differences);
    }

    #[test]
    fn a_phrase_said_in_one_word_is_the_same_words() {
        let p =
            "The Second International was set up which contained a whole range of left positions.";
        let c = cmp(
            "The Second International was founded, containing a whole range of left positions.",
            p,
        );
        assert_eq!(c.verdict, Verdict::Misquoted, "{:?}", c.differences);
        assert!(c.differences.iter().all(|d| !d.kind.alters_meaning()));
        // The other way round: the quote's two words for the passage's one.
        let c = cmp(
            "The Second International was set up with a whole range of left positions.",
            "The Second International was founded with a whole range of left positions.",
        );
        assert_eq!(c.verdict, Verdict::Misquoted, "{:?}", c.differences);
        // Another verb is still another claim.
        let c = cmp(
            "The Second International was destroyed, containing a whole range of left positions.",
            p,
        );
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
    }

    #[test]
    fn a_word_swapped_is_confirmed_only_when_it_means_the_same() {
        let p = "If we treat democracy as a guiding principle, internationalism can only be achieved if it is freely chosen.";
        // A word the lexicon does not give as a synonym: not confirmed.
        let c = cmp("If we treat democracy as a guiding principle, internationalism can only be achieved if it is imposed.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        assert!(c.differences.iter().any(|d| d.kind == DiffKind::Replaced));
        // A synonym ("basic" for "guiding" is not one; "rule" for "principle" is).
        let c = cmp("If we treat democracy as a guiding rule, internationalism can only be achieved if it is freely chosen.", p);
        assert_eq!(c.verdict, Verdict::Misquoted, "{:?}", c.differences);
        let c = cmp("If we treat democracy as a basic principle, internationalism can only be achieved if it is freely chosen.", p);
        assert_eq!(c.verdict, Verdict::Altered, "{:?}", c.differences);
        // WordNet's antonyms are opposites.
        let c = cmp(
            "The fighting will increase extremism.",
            "The fighting will decrease extremism.",
        );
        assert!(c.differences.iter().any(|d| d.kind == DiffKind::Opposite));
        // A short word typed short, a name moved, "I'd" for "I would".
        assert_eq!(
            cmp(
                "much more and muh more openly",
                "much more and much more openly"
            )
            .verdict,
            Verdict::Misquoted
        );
        assert_eq!(
            cmp(
                "In Syria Russia's role is not highlighted",
                "In Syria the role of Russia is not highlighted"
            )
            .verdict,
            Verdict::Misquoted
        );
        assert_eq!(
            cmp("what I'd call the left", "what I would call the left").verdict,
            Verdict::Misquoted
        );
        // "Less" dropped reverses; "whether or not" denies nothing.
        assert_eq!(
            cmp(
                "Left forces are much better organised.",
                "Left forces are much less well organised."
            )
            .verdict,
            Verdict::Altered
        );
        assert_eq!(
            cmp(
                "the populations will start to break their social connections",
                "the populations will start to form more extensive social connections"
            )
            .verdict,
            Verdict::Altered
        );
        assert_eq!(
            cmp(
                "Whether or not this rationale is sincere is beside the point.",
                "Whether this rationale is sincere is beside the point."
            )
            .verdict,
            Verdict::Misquoted
        );
    }

    #[test]
    fn a_negation_said_another_way_is_the_same_negation() {
        let same = |q: &str, p: &str| {
            let c = cmp(q, p);
            assert_eq!(
                c.verdict,
                Verdict::Misquoted,
                "{q} / {p}: {:?}",
                c.differences
            );
        };
        let altered = |q: &str, p: &str| {
            let c = cmp(q, p);
            assert_eq!(
                c.verdict,
                Verdict::Altered,
                "{q} / {p}: {:?}",
                c.differences
            );
        };
        // Spelled out or contracted.
        same(
            "Governments won't free the workers.",
            "Governments will not free the workers.",
        );
        same(
            "Governments will not free the workers.",
            "Governments won't free the workers.",
        );
        same(
            "They're sure that it cannot last.",
            "They are sure that it can not last.",
        );
        altered(
            "Governments will free the workers.",
            "Governments won't free the workers.",
        );
        // "Neither … nor" for "not … or"; a "nor" with nothing to carry on.
        same(
            "The strike is neither reported nor supported.",
            "The strike is not reported or supported.",
        );
        altered(
            "The strike is reported nor supported.",
            "The strike is reported or supported.",
        );
        // A negating prefix for a "not" beside the plain word.
        same(
            "The council can't decide.",
            "The council is unable to decide.",
        );
        same(
            "Such a peace is not possible.",
            "Such a peace is impossible.",
        );
        altered("Such a peace is possible.", "Such a peace is impossible.");
        // Another word of the same family, but not a doctrine for its root.
        same(
            "Technological advances spread the idea.",
            "Advances in technology spread the idea.",
        );
        altered(
            "They built a socialist movement.",
            "They built a social movement.",
        );
    }
}
