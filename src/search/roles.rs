//! Who does what to whom, read shallowly: the words before a verb do it,
//! those after it have it done to them, and a passive ("was called … by
//! the Social Democratic party") turns the two round.
//!
//! Cite needs it because a quote can keep every word of its passage and
//! still say the opposite: "Europe's far-right parties are funding Russia"
//! for "Russia is funding far-right parties across Europe". Aligning the
//! words reads that as a word moved; reading content words reads it as a
//! rewording. Both are wrong, and only the roles tell. There is no parser
//! here, so the reading is narrow on purpose: a verb both texts share, the
//! words right before it back to a clause's edge, and those right after
//! it up to a preposition. A word on the doing side in one text and on the
//! receiving side in the other has swapped roles. Words it cannot place,
//! it leaves out, so a clause turned round ("Thousands fled because of
//! Russia's bombing") is not read as a swap.

use crate::index;
use crate::text::lexicon;
use crate::text::stopwords::is_stopword;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Words that end a clause: what comes after them has a verb of its own.
const CLAUSE_WORDS: &[&str] = &[
    "but", "which", "who", "whom", "whose", "that", "because", "while", "when", "whereas",
    "although", "though", "if", "since", "so", "yet", "however", "where", "whether", "unless",
    "until",
];

/// Most words read on either side of a verb: a phrase, not a paragraph.
const MAX_SIDE: usize = 12;

/// Words that join two of a kind: two noun phrases ("the social war and
/// the internal struggle") or two clauses ("… and refuse to support").
const COORDINATORS: &[&str] = &["and", "or", "nor"];

/// Auxiliaries and modals: between a verb and its subject.
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do",
    "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
    "to", "get", "gets", "got", "s", "ve", "ll", "d", "re", "m",
];

/// Forms of "be" (and "get") that make a participle after them passive.
const PASSIVE_MAKERS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "get", "gets", "got", "getting",
];

/// Words that may stand before a subject's verb: "they fund", "who funds".
const SUBJECTS: &[&str] = &["i", "we", "you", "they", "he", "she", "it", "who", "which"];

/// Words that open a noun phrase: what follows them is a noun, not a verb
/// ("the report"), and a word before them may be the verb ("deny the
/// agency").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "their", "his", "her", "its", "our", "your", "my", "this", "these", "those",
    "some", "every", "any", "each", "no", "all", "many", "several",
];

/// Prepositions: a phrase they open says where, when or how, not who.
/// "Of" is not among them: "the agency of Ukrainians" is one thing.
const PREPOSITIONS: &[&str] = &[
    "at",
    "in",
    "on",
    "across",
    "for",
    "from",
    "with",
    "without",
    "to",
    "into",
    "onto",
    "over",
    "under",
    "through",
    "during",
    "after",
    "before",
    "against",
    "among",
    "between",
    "about",
    "around",
    "toward",
    "towards",
    "within",
    "beyond",
    "behind",
    "despite",
    "via",
    "per",
    "like",
    "as",
    "than",
    "upon",
    "throughout",
    "amid",
    "by",
    "since",
    "near",
];

/// Words that sit between a verb and its subject without being either.
fn is_adverb(key: &str) -> bool {
    matches!(
        key,
        "not"
            | "never"
            | "also"
            | "already"
            | "just"
            | "still"
            | "even"
            | "often"
            | "always"
            | "now"
            | "then"
            | "really"
            | "actually"
            | "n't"
            | "nt"
            | "no"
    ) || (key.len() > 4 && key.ends_with("ly"))
}

/// A piece of text: a word (lower case, letters and digits only) with its
/// surface form, or the edge of a clause.
#[derive(Debug)]
enum Piece<'a> {
    Word { key: String, surface: &'a str },
    Edge,
}

fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for raw in text.split_whitespace() {
        let opens = raw.starts_with(['"', '“', '(', '[', '‘']);
        let closes = raw.ends_with([',', ';', ':', '.', '!', '?', ')', ']', '"', '”']);
        let key: String = raw
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if opens {
            out.push(Piece::Edge);
        }
        if !key.is_empty() {
            let surface = raw.trim_matches(|c: char| !c.is_alphanumeric());
            if CLAUSE_WORDS.contains(&key.as_str()) {
                out.push(Piece::Edge);
            } else {
                out.push(Piece::Word { key, surface });
            }
        }
        if closes {
            out.push(Piece::Edge);
        }
    }
    out
}

fn key_at<'p>(p: &'p [Piece<'_>], i: usize) -> Option<&'p str> {
    match p.get(i)? {
        Piece::Word { key, .. } => Some(key.as_str()),
        Piece::Edge => None,
    }
}

/// The word before `i` in its clause, past adverbs ("have already
/// reported").
fn before<'p>(p: &'p [Piece<'_>], i: usize) -> Option<&'p str> {
    (0..i)
        .rev()
        .map(|j| key_at(p, j))
        .take_while(Option::is_some)
        .flatten()
        .find(|k| !is_adverb(k))
}

/// The signs that the word at `i` is used as a verb, read from it and its
/// neighbours alone.
#[derive(Debug, Default, Clone, Copy)]
struct Signs {
    /// Surely a verb: an auxiliary or a subject pronoun before it, a noun
    /// phrase or a pronoun after it, or "to" and a verb after it.
    surely: bool,
    /// A past form between two nouns ("organizers targeted capital"): a
    /// verb unless an earlier word of the clause is one ("we want the
    /// government held accountable": held by others).
    between_nouns: bool,
    /// A present form after a singular noun and before its object ("the
    /// order presents serious challenges"): a verb only when no later word
    /// of the clause surely is ("people involved in social struggles
    /// everywhere … brought us together").
    agrees: bool,
}

fn signs(p: &[Piece<'_>], i: usize) -> Signs {
    let none = Signs::default();
    let Some(key) = key_at(p, i) else {
        return none;
    };
    if key.len() < 3
        || !lexicon::can_be_verb(key)
        || AUXILIARIES.contains(&key)
        || PASSIVE_MAKERS.contains(&key)
    {
        return none;
    }
    let prev = before(p, i);
    if prev.is_some_and(|b| DETERMINERS.contains(&b) || (PREPOSITIONS.contains(&b) && b != "to")) {
        return none;
    }
    let surely = |yes: bool| Signs {
        surely: yes,
        ..none
    };
    // After "be" only a participle is a verb: "would be appropriate" is
    // an adjective, "was called" a verb.
    if prev.is_some_and(|b| PASSIVE_MAKERS.contains(&b)) {
        return surely(participle(key) || key.ends_with("ing"));
    }
    if prev.is_some_and(|b| AUXILIARIES.contains(&b) || SUBJECTS.contains(&b)) {
        return surely(true);
    }
    // A bare past form may be a verb or a participle ("China involved"),
    // so only what follows says it is a verb: a noun phrase or a pronoun
    // ("deny the agency", "help themselves", "believe they are"), or "to"
    // and a verb ("tends to view").
    let next = key_at(p, i + 1);
    // A particle after it ("put out statements", "set up committees")
    // makes a phrasal verb.
    let object = next.is_some_and(|n| {
        DETERMINERS.contains(&n)
            || OBJECT_PRONOUNS.contains(&n)
            || SUBJECTS.contains(&n)
            || (PARTICLES.contains(&n)
                && key_at(p, i + 2).is_some_and(|a| !is_stopword(a) || DETERMINERS.contains(&a)))
    });
    let inflected =
        (key.ends_with('s') && !key.ends_with("ss")) || participle(key) || key.ends_with("ing");
    let bound =
        inflected && next == Some("to") && key_at(p, i + 2).is_some_and(lexicon::can_be_verb);
    Signs {
        surely: object || bound,
        between_nouns: participle(key)
            && prev.is_some_and(|b| !is_stopword(b))
            && next.is_some_and(|n| {
                !is_stopword(n) && !PREPOSITIONS.contains(&n) && !lexicon::can_be_verb(n)
            }),
        agrees: key.ends_with('s')
            && !key.ends_with("ss")
            && !key.ends_with("ous")
            && prev.is_some_and(|b| !is_stopword(b) && !b.ends_with('s'))
            && next.is_some_and(|n| {
                (!is_stopword(n) && !PREPOSITIONS.contains(&n)) || DETERMINERS.contains(&n)
            }),
    }
}

/// Which words of `p` are used as verbs: WordNet has each as one, and its
/// neighbours say so (see [`Signs`]). Read in two passes over each clause,
/// once forward and once back, so that each word is weighed against the
/// others of its clause without reading them again: the time is linear
/// in the text, whatever it holds.
fn verbs(p: &[Piece<'_>]) -> Vec<bool> {
    let signs: Vec<Signs> = (0..p.len()).map(|i| signs(p, i)).collect();
    // Forward: a past form between nouns counts when no earlier word of
    // its clause is a verb.
    let mut strong = vec![false; p.len()];
    let mut seen = false;
    for i in 0..p.len() {
        if key_at(p, i).is_none() {
            seen = false;
            continue;
        }
        strong[i] = signs[i].surely || (signs[i].between_nouns && !seen);
        seen |= strong[i];
    }
    // Back: a present form after a singular noun counts when no later
    // word of its clause is one.
    let mut out = strong.clone();
    let mut later = false;
    for i in (0..p.len()).rev() {
        if key_at(p, i).is_none() {
            later = false;
            continue;
        }
        out[i] = strong[i] || (signs[i].agrees && !later);
        later |= strong[i];
    }
    out
}

/// A text read for roles: its pieces and which of its words are verbs.
struct Reading<'a> {
    pieces: Vec<Piece<'a>>,
    verbs: Vec<bool>,
}

impl<'a> Reading<'a> {
    fn of(text: &'a str) -> Self {
        let pieces = pieces(text);
        let verbs = verbs(&pieces);
        Reading { pieces, verbs }
    }
}

/// True when the word at `i` is used as a verb.
fn used_as_verb(r: &Reading<'_>, i: usize) -> bool {
    r.verbs.get(i).copied().unwrap_or(false)
}

/// The adverbs of phrasal verbs ("put out", "set up", "carry on").
const PARTICLES: &[&str] = &["out", "up", "down", "off", "forward", "back", "away"];

/// Prepositions that, right after a verb, name what it is done to.
const ABOUT: &[&str] = &["about", "on", "for", "against", "at", "into"];

/// Pronouns that stand after a verb as its object.
const OBJECT_PRONOUNS: &[&str] = &[
    "me",
    "us",
    "them",
    "him",
    "her",
    "themselves",
    "himself",
    "herself",
    "itself",
    "ourselves",
    "myself",
    "yourself",
];

/// True for a past participle's form: "called", "taken".
fn participle(key: &str) -> bool {
    key.ends_with("ed") || lexicon::is_irregular_form(key)
}

/// True when the voice of the word at `i` cannot be read: a bare past
/// form after a noun and before no object ("where Russia or China
/// involved, the response …") may be a verb or a participle.
fn unknown_voice(p: &[Piece<'_>], i: usize) -> bool {
    let key = key_at(p, i).unwrap_or("");
    let object_next =
        key_at(p, i + 1).is_some_and(|n| !PREPOSITIONS.contains(&n) && !COORDINATORS.contains(&n));
    participle(key)
        && before(p, i).is_some_and(|b| !AUXILIARIES.contains(&b) && !SUBJECTS.contains(&b))
        && !object_next
}

/// True when the word at `i` is a bare participle after a noun and before
/// a preposition: "other nations … forced into picking sides". Passive if
/// the verb takes an object (see [`has_object`]); "Syrians fled to
/// Turkey" is not.
fn reduced_passive(p: &[Piece<'_>], i: usize) -> bool {
    unknown_voice(p, i)
        && before(p, i).is_some_and(|b| !is_stopword(b))
        && key_at(p, i + 1).is_some_and(|n| PREPOSITIONS.contains(&n))
}

/// True when the verb at `i` has an object right after it: a noun phrase
/// or a pronoun ("may force Taiwan into …"), not a preposition. A bare
/// past form may itself be a participle with a word dropped after it
/// ("areas liberated the regime" for "areas liberated from the regime"):
/// only a present form, or a verb after an auxiliary or a pronoun, counts.
fn has_object(p: &[Piece<'_>], i: usize) -> bool {
    let finite = !participle(key_at(p, i).unwrap_or(""))
        || before(p, i)
            .is_some_and(|b| (AUXILIARIES.contains(&b) && b != "to") || SUBJECTS.contains(&b));
    finite
        && !passive(p, i)
        && key_at(p, i + 1).is_some_and(|n| {
            DETERMINERS.contains(&n)
                || OBJECT_PRONOUNS.contains(&n)
                || (!is_stopword(n) && !PREPOSITIONS.contains(&n) && !is_adverb(n))
        })
}

/// True when the verb at `i` is a passive participle: "was called".
fn passive(p: &[Piece<'_>], i: usize) -> bool {
    participle(key_at(p, i).unwrap_or(""))
        && before(p, i).is_some_and(|b| PASSIVE_MAKERS.contains(&b))
}

/// True when the word at `i` is written with a capital (a name, or the
/// first word of a sentence).
fn capitalised(p: &[Piece<'_>], i: usize) -> bool {
    matches!(p.get(i), Some(Piece::Word { surface, .. }) if surface.starts_with(char::is_uppercase))
}

/// Which side of a verb a word is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Does,
    Undergoes,
}

/// What is read around a verb.
struct Around {
    /// The words on either side, by stem, with their roles; a word on
    /// both sides has none.
    roles: HashMap<String, Option<Role>>,
    /// The stems of the words of content before the verb, or the person
    /// of its pronoun ("we"): its subject.
    subject: HashSet<String>,
    /// The words of both sides, as written.
    words: String,
    /// The subject is only "this", "that" or "it": a pointer to what was
    /// said before.
    demonstrative: bool,
}

/// The words around the verb at `i` (see [`Around`]).
fn roles_around(r: &Reading<'_>, i: usize, reduced: bool) -> Around {
    let p = &r.pieces[..];
    let is_passive = reduced || passive(p, i);
    let mut roles: HashMap<String, Option<Role>> = HashMap::new();
    let mut put = |key: &str, role: Role| {
        let Some(stem) = content_stem(key) else {
            return;
        };
        roles
            .entry(stem)
            .and_modify(|r| {
                if *r != Some(role) {
                    *r = None;
                }
            })
            .or_insert(Some(role));
    };
    let (subject, object) = if is_passive {
        (Role::Undergoes, Role::Undergoes)
    } else {
        (Role::Does, Role::Undergoes)
    };
    // Back from the verb to the clause's edge, a preposition or another
    // verb, past auxiliaries and "to".
    let mut subject_keys: Vec<&str> = Vec::new();
    let mut pronoun = None;
    let mut first = i;
    let mut taken = 0;
    for j in (0..i).rev() {
        let Some(key) = key_at(p, j) else { break };
        // Auxiliaries, and a verb the one read is bound to by "to"
        // ("they are refusing to see": they see), stand between a verb
        // and its subject.
        let skippable = AUXILIARIES.contains(&key) || is_adverb(key) || used_as_verb(r, j);
        if taken == 0 && skippable {
            first = j;
            continue;
        }
        // "Internationalism from above tends to …", "parties with
        // socialist origins believe …": a phrase after a noun is part of
        // the subject; one that opens the clause ("At the same time") is
        // not.
        if PREPOSITIONS.contains(&key)
            && taken > 0
            && j > 0
            && key_at(p, j - 1).is_some_and(|b| !is_stopword(b) && !used_as_verb(r, j - 1))
        {
            continue;
        }
        if PREPOSITIONS.contains(&key)
            || COORDINATORS.contains(&key)
            || used_as_verb(r, j)
            || taken >= MAX_SIDE
        {
            break;
        }
        // A name is a whole noun phrase: the lower-case word before it
        // belongs to another ("At the same time Russia is funding").
        if taken > 0 && capitalised(p, first) && !capitalised(p, j) && !is_stopword(key) {
            break;
        }
        first = j;
        // "The media", "some on the left": a determiner opens the phrase,
        // unless a phrase after a noun does ("people … in the world");
        // "we", "they": a pronoun is one.
        let in_a_phrase = j >= 2
            && key_at(p, j - 1).is_some_and(|b| PREPOSITIONS.contains(&b))
            && key_at(p, j - 2).is_some_and(|b| !is_stopword(b) && !used_as_verb(r, j - 2));
        if (taken > 0 && DETERMINERS.contains(&key) && !in_a_phrase) || SUBJECTS.contains(&key) {
            if taken == 0 {
                pronoun = person(key);
            }
            break;
        }
        taken += 1;
        put(key, subject);
        subject_keys.push(key);
    }
    // On from the verb to the clause's edge or a preposition; in a
    // passive, "by" names who did it.
    let mut last = i;
    let mut role = object;
    let mut skip_next = false;
    taken = 0;
    for j in i + 1..p.len() {
        let Some(key) = key_at(p, j) else { break };
        if is_passive && key == "by" && role == object {
            role = Role::Does;
            last = j;
            continue;
        }
        // "Refusing to see the social war": what is seen is what the
        // refusal is about.
        if key == "to" && used_as_verb(r, j + 1) && taken == 0 {
            last = j + 1;
            skip_next = true;
            continue;
        }
        if std::mem::take(&mut skip_next) {
            continue;
        }
        // "The social war and the internal struggle": one object of two
        // parts. Before a verb or a subject, a clause of its own.
        if COORDINATORS.contains(&key) {
            let clause =
                key_at(p, j + 1).is_none_or(|n| SUBJECTS.contains(&n) || used_as_verb(r, j + 1));
            if clause {
                break;
            }
            continue;
        }
        // "Think about the actions", "report on this disaster": what the
        // verb is about has it done to it.
        if taken == 0 && role == object && ABOUT.contains(&key) {
            last = j;
            continue;
        }
        // "Presents serious challenges to the order", "help themselves to
        // their victims' land": whom it is given to has it done to them
        // too.
        if key == "to" && taken > 0 && role == object {
            continue;
        }
        if PREPOSITIONS.contains(&key) || (taken > 0 && used_as_verb(r, j)) || taken >= MAX_SIDE {
            break;
        }
        last = j;
        taken += 1;
        put(key, role);
    }
    let words: Vec<&str> = p[first..=last]
        .iter()
        .filter_map(|x| match x {
            Piece::Word { surface, .. } => Some(*surface),
            Piece::Edge => None,
        })
        .collect();
    let demonstrative =
        matches!(subject_keys.as_slice(), [only] if matches!(*only, "this" | "that" | "it"));
    let subject = subject_keys
        .into_iter()
        .filter_map(content_stem)
        .chain(pronoun.map(str::to_string))
        .collect();
    Around {
        roles,
        subject,
        words: words.join(" "),
        demonstrative,
    }
}

/// True when the doers of a verb two texts share trade places: each
/// text's subject is none of the other's, and stands after the verb in
/// the other ("These campaigns have shown their usefulness … in the mass
/// impact of the radical left" for "The radical left has shown its
/// usefulness … in the mass impact of these campaigns"), where the role
/// reader does not reach it; "People can help ensure that we have that
/// choice" for "We can help ensure that people have that choice". Only in
/// the same voice: "Russia funds them"
/// and "they are funded by Russia" put the doer first and last.
/// The person a pronoun names, in its subject form: "we" for "we" and
/// "us", "they" for "they" and "them".
fn person(key: &str) -> Option<&'static str> {
    Some(match key {
        "we" | "us" => "we",
        "they" | "them" => "they",
        "i" | "me" => "i",
        "he" | "him" => "he",
        "she" | "her" => "she",
        "you" => "you",
        _ => return None,
    })
}

fn subjects_exchanged(
    (q, qs, i, qa): (&Reading<'_>, &[Option<String>], usize, &Around),
    (p, ps, j, pa): (&Reading<'_>, &[Option<String>], usize, &Around),
) -> bool {
    // A word of content by its stem, a pronoun by its person.
    let said = |r: &Reading<'_>, stems: &[Option<String>], k: usize, word: &String| {
        stems[k].as_ref() == Some(word) || key_at(&r.pieces, k).and_then(person) == Some(word)
    };
    let after_only = |r: &Reading<'_>, stems: &[Option<String>], at: usize, word: &String| {
        (at + 1..stems.len()).any(|k| said(r, stems, k, word))
            && !(0..at).any(|k| said(r, stems, k, word))
    };
    // "Brexit and the rhetoric … are creating the destabilisation" for
    // "This is creating destabilisation which we are seeing with Brexit
    // and the rhetoric …": the passage's doer is only "this" or "it", and
    // every word of the quote's doer stands after the passage's verb.
    let pointer_done =
        |x: &Around, y: &Around, other: &Reading<'_>, stems: &[Option<String>], at: usize| {
            x.subject.len() >= 2
                && y.demonstrative
                && x.subject.iter().all(|w| after_only(other, stems, at, w))
        };
    passive(&q.pieces, i) == passive(&p.pieces, j)
        && ((!qa.subject.is_empty()
            && !pa.subject.is_empty()
            && qa.subject.is_disjoint(&pa.subject)
            && qa.subject.iter().any(|w| after_only(p, ps, j, w))
            && pa.subject.iter().any(|w| after_only(q, qs, i, w)))
            || pointer_done(qa, pa, p, ps, j))
}

/// Where a quote turns its passage's roles round: the quote's clause and
/// the passage's, as written ("Europe's far-right anti-immigration parties
/// are funding Russia", "Russia is funding far-right anti-immigration
/// parties").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    /// The quote's clause around the verb.
    pub quoted: String,
    /// The passage's.
    pub library: String,
}

/// Openings that say whose view a sentence gives: "For Russia, …", "To
/// the opposition, …", "According to the regime, …".
static FRAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*(?i:for|to|according to|in the eyes of)\s+([^,;:.]{2,60}),").unwrap()
});

/// The stems of a text's words of content, in order.
fn content_stems(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| content_stem(&w.to_lowercase()))
        .collect()
}

/// The stem of a word of content (lower case), or `None` for a little
/// word: the words roles are read for.
fn content_stem(key: &str) -> Option<String> {
    if key.len() < 3 || !lexicon::is_content(key) {
        return None;
    }
    index::analyze(key).into_iter().next()
}

/// True when two stems are one word or one name in two forms ("russia",
/// "russian").
fn kin(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 4 && (a.starts_with(b) || b.starts_with(a)))
}

/// Where the two texts open on whose view they give, and trade the
/// holders of the view: "For Russia, the opposition's involvement … is not
/// a moral issue" for "For the opposition, Russian involvement … is not
/// a moral issue". Each frame names none of the other's words, and each
/// text names the other's holder after its frame.
fn frame_swapped(quote: &str, passage: &str) -> Option<Swap> {
    let q = FRAME.captures(quote)?;
    let p = FRAME.captures(passage)?;
    let (qf, pf) = (content_stems(&q[1]), content_stems(&p[1]));
    let (q_rest, p_rest) = (
        content_stems(&quote[q.get(0)?.end()..]),
        content_stems(&passage[p.get(0)?.end()..]),
    );
    let named_in =
        |frame: &[String], rest: &[String]| frame.iter().any(|f| rest.iter().any(|r| kin(f, r)));
    let apart = !qf.iter().any(|a| pf.iter().any(|b| kin(a, b)));
    (apart && !qf.is_empty() && !pf.is_empty() && named_in(&qf, &p_rest) && named_in(&pf, &q_rest))
        .then(|| Swap {
            quoted: q[0].trim().trim_end_matches(',').to_string(),
            library: p[0].trim().trim_end_matches(',').to_string(),
        })
}

/// The first verb `quote` and `passage` share (once each) around which a
/// word does the action in one and has it done to it in the other; or
/// the holders of the view they give, traded (see [`frame_swapped`]).
pub fn swapped(quote: &str, passage: &str) -> Option<Swap> {
    if let Some(swap) = frame_swapped(quote, passage) {
        return Some(swap);
    }
    let q = Reading::of(quote);
    let p = Reading::of(passage);
    let stems = |x: &[Piece<'_>]| -> Vec<Option<String>> {
        x.iter()
            .map(|piece| match piece {
                // Verbs among the little words count too ("think about").
                Piece::Word { key, .. } if !is_stopword(key) || lexicon::can_be_verb(key) => {
                    index::analyze(key).into_iter().next()
                }
                _ => None,
            })
            .collect()
    };
    let (qs, ps) = (stems(&q.pieces), stems(&p.pieces));
    let counts = |all: &[Option<String>]| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for s in all.iter().flatten() {
            *n.entry(s.clone()).or_default() += 1;
        }
        n
    };
    let (qn, pn) = (counts(&qs), counts(&ps));
    for (i, stem) in qs.iter().enumerate() {
        let Some(stem) = stem else { continue };
        if qn.get(stem) != Some(&1) || pn.get(stem) != Some(&1) || !used_as_verb(&q, i) {
            continue;
        }
        let Some(j) = ps.iter().position(|x| x.as_ref() == Some(stem)) else {
            continue;
        };
        // The passage's word must be one a verb may be ("reports", not
        // "demonstration": whose it is, "of 30,000 people", has no side),
        // in a voice that can be read.
        let word = key_at(&p.pieces, j).unwrap_or("");
        let reduced = reduced_passive(&p.pieces, j) && has_object(&q.pieces, i);
        if !lexicon::can_be_verb(word) || (unknown_voice(&p.pieces, j) && !reduced) {
            continue;
        }
        let qa = roles_around(&q, i, false);
        let pa = roles_around(&p, j, reduced);
        let turned = qa.roles.iter().any(|(word, role)| {
            word != stem
                && role.is_some()
                && pa.roles.get(word).is_some_and(|r| r.is_some() && r != role)
        });
        if turned || subjects_exchanged((&q, &qs, i, &qa), (&p, &ps, j, &pa)) {
            return Some(Swap {
                quoted: qa.words,
                library: pa.words,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_and_an_object_that_trade_places_are_a_swap() {
        let funding =
            "At the same time Russia is funding far-right anti-immigration parties across Europe.";
        let swap = swapped(
            "Europe's far-right anti-immigration parties are funding Russia.",
            funding,
        )
        .expect("roles swapped");
        assert_eq!(
            swap.quoted,
            "Europe's far-right anti-immigration parties are funding Russia"
        );
        assert_eq!(
            swap.library,
            "Russia is funding far-right anti-immigration parties"
        );
        let deny = "So some on the left deny the agency of Ukrainians, make pacifist calls for peace talks and refuse to support arming the resistance to the occupation.";
        assert!(swapped("Ukrainians deny the agency of some on the left.", deny).is_some());
        // The same roles in other words, order or voice: no swap.
        assert!(swapped(
            "Russia is funding far-right anti-immigration parties all over Europe.",
            funding
        )
        .is_none());
        assert!(swapped(
            "Far-right anti-immigration parties across Europe are being funded by Russia.",
            funding
        )
        .is_none());
        assert!(swapped("Some on the left deny Ukrainians agency.", deny).is_none());
        // A passive with its roles turned: the agent is the wrong party.
        assert!(swapped(
            "Russia is being funded by far-right anti-immigration parties.",
            funding
        )
        .is_some());
    }

    #[test]
    fn a_verb_bound_by_to_and_an_object_of_two_parts_keep_their_roles() {
        let refusing = "They are refusing to see the social war and the internal struggle of the oppressed classes.";
        assert!(swapped(
            "The oppressed classes are refusing to see the social war and the internal struggle.",
            refusing
        )
        .is_some());
        assert!(swapped(
            "They refuse to see the internal struggle of the oppressed classes and the social war.",
            refusing
        )
        .is_none());
        // A past form with an object is a verb in the active voice.
        let opposed = "To return to Syria once more: the Western left even opposed Syrian demands for a no-fly zone.";
        assert!(swapped(
            "Syrians even opposed the Western left's demands for a no-fly zone.",
            opposed
        )
        .is_some());
        assert!(swapped(
            "The Western left even opposed the Syrian demand for a no-fly zone.",
            opposed
        )
        .is_none());
    }

    #[test]
    fn a_verb_is_known_by_what_follows_it() {
        // A pronoun after it, "to" and a verb, or an object after a
        // singular subject; a phrase after a noun belongs to the subject.
        let lens = "Instead of a materialist lens, internationalism from above tends to view states that present themselves as socialist through an idealist lens.";
        assert!(swapped(
            "States that present themselves as socialist tend to view internationalism from above through an idealist lens.",
            lens
        )
        .is_some());
        let order = "Russia's invasion of Ukraine presents serious challenges to the current liberal international order.";
        assert!(swapped(
            "The current liberal international order presents serious challenges to Russia's invasion of Ukraine.",
            order
        )
        .is_some());
        let land = "While the imperialists help themselves to their victims' land, labor, and natural resources, a division is maintained.";
        assert!(swapped(
            "While their victims help themselves to the imperialists' land, labor, and natural resources, a division is maintained.",
            land
        )
        .is_some());
        assert!(swapped(
            "While the imperialists help themselves to the land, labor and natural resources of their victims, a division is maintained.",
            land
        )
        .is_none());
    }

    #[test]
    fn a_past_form_between_nouns_a_phrase_in_the_subject_and_what_a_verb_is_about() {
        let targeted = "In all of these instances, organizers targeted capital in material ways in physical locations that led to tangible results.";
        assert!(swapped(
            "In all of these instances, capital targeted organizers in material ways.",
            targeted
        )
        .is_some());
        assert!(swapped(
            "In all these cases organizers targeted capital materially.",
            targeted
        )
        .is_none());
        let brought = "Between 2009 and 2019, we repeatedly brought together revolutionaries and people involved in social struggles everywhere in the world.";
        assert!(swapped(
            "Revolutionaries and people involved in social struggles everywhere in the world repeatedly brought us together between 2009 and 2019.",
            brought
        )
        .is_some());
        let think =
            "What are leftists in Lithuania supposed to think about the actions of the Left Party?";
        assert!(swapped(
            "The Left Party is supposed to think about the actions of leftists in Lithuania.",
            think
        )
        .is_some());
        assert!(swapped(
            "What should leftists in Lithuania think about the actions of the Left Party?",
            think
        )
        .is_none());
    }

    #[test]
    fn reading_a_long_run_of_past_forms_takes_linear_time() {
        // Past forms between nouns, each of which would ask about every
        // earlier word of the clause: read once each, it stays quick.
        let run: String = (0..4000)
            .map(|i| if i % 2 == 0 { "walked" } else { "stone" })
            .collect::<Vec<_>>()
            .join(" ");
        let r = Reading::of(&run);
        assert_eq!(r.verbs.len(), r.pieces.len());
        // Only the first can be the clause's verb.
        assert_eq!(r.verbs.iter().filter(|v| **v).count(), 1);
        assert!(swapped(&run, &run).is_none());
    }

    #[test]
    fn a_clause_turned_round_or_a_noun_is_not_a_swap() {
        // The cause named after "because of" has no role to swap.
        assert!(swapped(
            "Thousands of refugees have fled to Europe because of Russia's bombing campaign.",
            "Russia's massive bombing campaign has sent thousands of refugees fleeing to Europe."
        )
        .is_none());
        // A past form after the object of an earlier verb is done by
        // others, as the passive says.
        assert!(swapped(
            "We want the Russian government held accountable for the massive war crimes it is committing.",
            "We would like to see the Russian government being held to account for the massive war crimes that it is committing."
        )
        .is_none());
        // "The report" is a noun, not a verb with a subject.
        assert!(swapped(
            "The report of the commission names the troops.",
            "The troops were named in the commission's report."
        )
        .is_none());
        // Three true rewordings of the held-aside sets, each refused by a
        // first version: a bare participle's voice is unknown ("China
        // involved"), an adjective after "be" is no verb ("would be
        // appropriate"), and a noun's "of" has no side ("a demonstration
        // of 30,000 people").
        assert!(swapped(
            "But where the situation is more complex and other imperialisms such as Russia or China are involved, the response is much weaker or wrong.",
            "But where the situation is more complex, with other imperialisms such as Russia or China involved, the response is much weaker or wrong."
        )
        .is_none());
        assert!(swapped(
            "What would be appropriate instead is a class analysis that looks at internal dynamics and social conflicts within a state.",
            "Instead, a class analysis would be appropriate that looks at internal dynamics and social conflicts within a state."
        )
        .is_none());
        assert!(swapped(
            "When people believed there might be open war with Ukraine, 30,000 people demonstrated, which is huge for Russia.",
            "When people believed there might be open war with Ukraine, there was a demonstration of 30,000 people, which is huge for Russia."
        )
        .is_none());
    }

    #[test]
    fn doers_that_trade_places_beyond_the_verbs_reach_are_a_swap() {
        let usefulness = "The radical left outside Labour has shown its historical usefulness by being instrumental in the mass impact of these campaigns.";
        assert!(swapped(
            "These campaigns have shown their historical usefulness by being instrumental in the mass impact of the radical left outside Labour.",
            usefulness
        )
        .is_some());
        assert!(swapped(
            "The radical left beyond Labour has shown its usefulness by being instrumental in the mass impact of these campaigns.",
            usefulness
        )
        .is_none());
        let correa = "Those organizers then faced the question of how to relate to Correa’s government when it sided with developers.";
        assert!(swapped(
            "Correa's government then faced the question of how to relate to those organizers when they sided with developers.",
            correa
        )
        .is_some());
        // A phrasal verb ("put out") is a verb whose doers may trade places.
        let statements = "Social liberal parties like the Labour party or the Italian Democratic party will put out statements occasionally in support of workers or peasant struggles in other countries.";
        assert!(swapped(
            "Workers and peasants in other countries occasionally put out statements in support of social liberal parties like the Labour party.",
            statements
        )
        .is_some());
        assert!(swapped(
            "Social liberal parties like the Labour party occasionally put out statements in support of peasant struggles in other countries.",
            statements
        )
        .is_none());
    }

    #[test]
    fn a_pronoun_and_a_noun_that_trade_places_are_a_swap() {
        let choice =
            "We can help ensure that people have that choice, but we cannot make it for them.";
        assert!(swapped(
            "People can help ensure that we have that choice, but they cannot make it for us.",
            choice
        )
        .is_some());
        assert!(swapped(
            "We can help make sure people have that choice, but we can't make it on their behalf.",
            choice
        )
        .is_none());
    }

    #[test]
    fn what_a_pointer_does_given_to_the_words_after_its_verb_is_a_swap() {
        let brexit = "This is creating destabilisation which we are definitely seeing with Brexit and the rhetoric of movement against immigrants.";
        assert!(swapped(
            "Brexit and the rhetoric of movement against immigrants are creating the destabilisation we are definitely seeing.",
            brexit
        )
        .is_some());
        assert!(swapped(
            "This is causing destabilisation, which we are clearly seeing with Brexit and the rhetoric of the movement against immigrants.",
            brexit
        )
        .is_none());
    }

    #[test]
    fn the_holders_of_a_view_traded_are_a_swap() {
        let moral = "For the opposition, Russian involvement in Syria is not such a moral issue.";
        let swap = swapped(
            "For Russia, the opposition's involvement in Syria is not such a moral issue.",
            moral,
        )
        .expect("frames traded");
        assert_eq!(swap.quoted, "For Russia");
        assert_eq!(swap.library, "For the opposition");
        assert!(swapped(
            "For the opposition, Russia's involvement in Syria is hardly a moral issue.",
            moral
        )
        .is_none());
    }

    #[test]
    fn a_bare_participle_before_a_preposition_is_passive_when_the_quote_gives_it_an_object() {
        let taiwan = "Taiwan may now anticipate finding itself in a similar position as Ukraine, with other nations in East and Southeast Asia forced into picking sides.";
        assert!(swapped(
            "Other nations in East and Southeast Asia may force Taiwan into picking sides.",
            taiwan
        )
        .is_some());
        // No object in the quote: the verb may take none ("fled to").
        assert!(swapped(
            "Thousands of Syrians have fled to Turkey.",
            "Thousands of Syrians fled to Turkey in the first year."
        )
        .is_none());
        // A past form with a word dropped after it is no active verb.
        assert!(swapped(
            "People would not have been able to survive in areas liberated the regime.",
            "People would not have been able to survive in areas liberated from the regime."
        )
        .is_none());
    }
}
