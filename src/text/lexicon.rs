//! Which words mean the same and which mean the opposite, from WordNet 3.0
//! (built into `lexicon/` by `scripts/build-lexicon`; license there).
//!
//! Cite reads it to judge a word swapped in a quote: a synonym ("globe"
//! for "world"), another word of its family ("intention" for "intend"), a
//! two-word name of its sense ("set up" for "founded") or a verb one step
//! broader ("became" for "grew") keeps the claim; an antonym reverses it;
//! any other word ("imposed" for "chosen") may change it, so the quote is
//! not confirmed.

use crate::text::stopwords::is_stopword;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const SYNONYMS: &str = include_str!("lexicon/synonyms.txt");
const ANTONYMS: &str = include_str!("lexicon/antonyms.txt");
const FORMS: &str = include_str!("lexicon/forms.txt");
/// Word families across parts of speech ("intend"/"intention",
/// "deliberately"/"deliberate"): WordNet's derivation pointers and
/// adverbs' adjectives.
const RELATED: &str = include_str!("lexicon/related.txt");
/// A verb and the verb one step broader ("grow" → "become"), one pair a
/// line.
const BROADER: &str = include_str!("lexicon/broader.txt");
/// Two-word names of a sense with its single words ("establish found
/// launch set_up"), read as synonym groups.
const PHRASES: &str = include_str!("lexicon/phrases.txt");
/// Pairs WordNet does not link that rewordings use as one ("folks" for
/// "people"), added by hand; same format as `synonyms.txt`.
const EXTRA_SYNONYMS: &str = include_str!("lexicon/extra-synonyms.txt");

/// Words of degree and quantity that rewordings add, drop and swap freely
/// ("only occasionally" → "rarely", "a number of ways" → "many ways"):
/// not content words. Their reversals are caught as opposites
/// ([`antonyms`] and cite's own list: "many"/"few", "all"/"some").
const DEGREE: &[&str] = &[
    "many",
    "every",
    "each",
    "several",
    "various",
    "numerous",
    "purely",
    "solely",
    "merely",
    "simply",
    "entirely",
    "only",
    "really",
    "truly",
    "actually",
    "indeed",
    "quite",
    "rather",
    "almost",
    "nearly",
    "virtually",
    "certainly",
    "clearly",
    "fully",
    "largely",
    "mostly",
    "far",
    "alike",
    "ought",
    // "A lot of" says "many".
    "lot",
    "lots",
];

/// Adverbs that say how sure or how strongly, or what the writer feels,
/// not what is claimed ("extremely unhelpful" as "unhelpful", "Sadly" for
/// "Unfortunately"): not content words either.
const STANCE: &[&str] = &[
    "regrettably",
    "obviously",
    "ultimately",
    "unfortunately",
    "fortunately",
    "ironically",
    "interestingly",
    "sadly",
    "frankly",
    "honestly",
    "basically",
    "essentially",
    "extremely",
    "highly",
    "incredibly",
    "absolutely",
    "totally",
    "completely",
    "utterly",
    "particularly",
    "especially",
    "deeply",
    "hugely",
    "greatly",
    "strongly",
    "surely",
    "undoubtedly",
    "arguably",
    "crucially",
    "importantly",
    "finally",
    "firstly",
    "secondly",
    "lastly",
    "definitely",
    "exactly",
    "precisely",
    "apparently",
    "naturally",
    "incidentally",
    "similarly",
    "decidedly",
    "literally",
];
/// Linking and placing words the stopword list lacks ("since" for
/// "because", "still" for "yet"), and pronouns run together with a verb
/// (keys drop the apostrophe: "they're" is "theyre"): not content words
/// either.
const FUNCTION: &[&str] = &[
    "since",
    "still",
    "even",
    "already",
    "thus",
    "ever",
    "instead",
    "perhaps",
    "maybe",
    "however",
    "therefore",
    "hence",
    "though",
    "although",
    "whereas",
    "unless",
    "within",
    "inside",
    "toward",
    "towards",
    "among",
    "across",
    "around",
    "along",
    "despite",
    "whether",
    "either",
    "else",
    "otherwise",
    "away",
    "back",
    "just",
    "now",
    "again",
    "then",
    "theyre",
    "youre",
    "weve",
    "theyve",
    "youve",
    "ive",
    "hes",
    "shes",
    "thats",
    "theres",
    "whats",
    "heres",
    // The stopword list has "everyone", "someone" and "anyone".
    "everybody",
    "somebody",
    "anybody",
];

/// How often, by side: a word of one side for one of the other turns the
/// claim ("rarely" for "often"); two of one side say the same.
const SELDOM: &[&str] = &[
    "rarely",
    "seldom",
    "occasionally",
    "sometimes",
    "hardly",
    "scarcely",
];
const OFTEN: &[&str] = &[
    "often",
    "frequently",
    "usually",
    "regularly",
    "always",
    "generally",
    "commonly",
];

struct Lexicon {
    /// Word → the synonym groups it belongs to.
    groups: HashMap<&'static str, Vec<u32>>,
    /// Word → its antonyms.
    antonyms: HashMap<&'static str, Vec<&'static str>>,
    /// Verb → the verbs one step broader.
    broader: HashMap<&'static str, Vec<&'static str>>,
    /// Every verb WordNet links to a broader or narrower one: nearly all.
    verbs: HashSet<&'static str>,
}

/// One way: each line "a b" makes `a` point to `b`.
fn one_way(text: &'static str) -> HashMap<&'static str, Vec<&'static str>> {
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for (a, b) in text.lines().filter_map(|l| l.split_once(' ')) {
        map.entry(a).or_default().push(b);
    }
    map
}

/// Both ways round: each line "a b" makes `a` point to `b` and `b` to `a`.
fn pairs(text: &'static str) -> HashMap<&'static str, Vec<&'static str>> {
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for (a, b) in text.lines().filter_map(|l| l.split_once(' ')) {
        map.entry(a).or_default().push(b);
        map.entry(b).or_default().push(a);
    }
    map
}

/// Word forms and families: all quote search needs of the lexicon, read
/// on their own so that a one-shot quote does not pay for the synonyms.
struct Families {
    /// Irregular form → base form ("took" → "take").
    forms: HashMap<&'static str, Vec<&'static str>>,
    /// Word → words of its family in other parts of speech.
    related: HashMap<&'static str, Vec<&'static str>>,
}

fn families() -> &'static Families {
    static FAMILIES: OnceLock<Families> = OnceLock::new();
    FAMILIES.get_or_init(|| Families {
        forms: one_way(FORMS),
        related: pairs(RELATED),
    })
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut groups: HashMap<&str, Vec<u32>> = HashMap::new();
        let lines = SYNONYMS
            .lines()
            .chain(EXTRA_SYNONYMS.lines())
            .chain(PHRASES.lines());
        for (i, line) in lines.enumerate() {
            for w in line.split(' ') {
                groups.entry(w).or_default().push(i as u32);
            }
        }
        Lexicon {
            groups,
            antonyms: pairs(ANTONYMS),
            broader: one_way(BROADER),
            verbs: BROADER.split_whitespace().collect(),
        }
    })
}

/// Endings an inflected word may have and what replaces them, as WordNet's
/// own lemmatiser strips them (plural nouns, verb tenses, comparatives).
const ENDINGS: &[(&str, &str)] = &[
    ("s", ""),
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("er", ""),
    ("est", ""),
    ("er", "e"),
    ("est", "e"),
    ("ied", "y"),
];

/// A word as the lexicon reads it: lower case, with the base forms it may
/// be an inflection of and the synonym groups of those. Read once, it is
/// compared with many others.
struct Reading {
    word: String,
    bases: Vec<String>,
    groups: Vec<u32>,
    /// The English stemmer's root, when it is long enough to name one
    /// word family ("technolog" for "technological" and "technology").
    root: Option<String>,
}

/// The Snowball root of `word` when it has at least six letters: shorter
/// roots join unrelated words ("organ", "organization"). A doctrine or its
/// follower has none: "socialism" is not "social", nor "nationalist"
/// "national".
fn root_of(word: &str) -> Option<String> {
    if ["ism", "isms", "ist", "ists"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        return None;
    }
    let root = crate::stemmer::english_stem(word)?;
    (root.chars().count() >= 6).then_some(root)
}

/// The forms `word` (lower case) may be an inflection of: itself, its
/// respellings, its irregular base, and what its endings leave.
fn candidate_bases(word: &str) -> Vec<String> {
    let forms = &families().forms;
    // Cite's keys fold British spellings into American ones, and with
    // them some words that only look British ("raise" is keyed "raize"):
    // the word as written is read too.
    let spellings: Vec<String> = std::iter::once(word.to_string())
        .chain(crate::text::normalize::respellings(word))
        .collect();
    let mut bases = spellings.clone();
    for spelling in &spellings {
        if let Some(base) = forms.get(spelling.as_str()) {
            bases.extend(base.iter().map(|b| b.to_string()));
        }
        for (ending, with) in ENDINGS {
            let Some(stem) = spelling.strip_suffix(ending) else {
                continue;
            };
            if stem.len() >= 2 {
                let base = format!("{stem}{with}");
                // A doubled consonant before -ed, -ing, -er ("stopped").
                let undoubled = {
                    let b = base.as_bytes();
                    (with.is_empty() && b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2])
                        .then(|| base[..base.len() - 1].to_string())
                };
                bases.push(base);
                bases.extend(undoubled);
            }
        }
    }
    bases
}

fn read(word: &str) -> Reading {
    let lex = lexicon();
    let word = word.to_lowercase();
    let mut bases = candidate_bases(&word);
    bases.retain(|b| {
        let b = b.as_str();
        lex.groups.contains_key(b)
            || lex.antonyms.contains_key(b)
            || families().related.contains_key(b)
            || lex.broader.contains_key(b)
    });
    if bases.is_empty() {
        bases.push(word.clone());
    }
    let groups = bases
        .iter()
        .filter_map(|b| lex.groups.get(b.as_str()))
        .flatten()
        .copied()
        .collect();
    Reading {
        root: root_of(&word),
        word,
        bases,
        groups,
    }
}

impl Reading {
    fn same_word(&self, other: &Reading) -> bool {
        self.word == other.word
            || self.bases.iter().any(|b| other.bases.contains(b))
            || (self.root.is_some() && self.root == other.root)
            || self.linked(other, &families().related)
    }

    /// True when one of this word's bases is linked in `map` to one of
    /// `other`'s.
    fn linked(&self, other: &Reading, map: &HashMap<&'static str, Vec<&'static str>>) -> bool {
        self.bases.iter().any(|x| {
            map.get(x.as_str())
                .is_some_and(|to| to.iter().any(|t| other.bases.iter().any(|y| y == t)))
        })
    }

    fn synonym(&self, other: &Reading) -> bool {
        let side = |w: &str| (SELDOM.contains(&w), OFTEN.contains(&w));
        self.groups.iter().any(|g| other.groups.contains(g))
            || (side(&self.word) == side(&other.word) && side(&self.word) != (false, false))
    }

    fn antonym(&self, other: &Reading) -> bool {
        let frequency = |x: &str, y: &str| SELDOM.contains(&x) && OFTEN.contains(&y);
        frequency(&self.word, &other.word)
            || frequency(&other.word, &self.word)
            || self.linked(other, &lexicon().antonyms)
    }

    /// True when this word, set in a quote where the passage has `other`,
    /// keeps the passage's claim: a form or synonym of it, or a verb one
    /// step broader ("became" for "grew": less exact, not another claim).
    /// Never the narrower way: "welcomed" for "recognised" claims more
    /// than the passage does.
    fn means_the_same(&self, other: &Reading) -> bool {
        !self.antonym(other)
            && (self.same_word(other)
                || self.synonym(other)
                || other.linked(self, &lexicon().broader))
    }
}

/// Read the lexicon now (about 40 ms and 16 MB, with the word families,
/// broader verbs and phrases), so that the first `/cite` a server answers
/// does not pay for it. The bot calls it on a thread of its own at
/// start-up; a one-shot command reads the lexicon when it needs it.
pub fn warm() {
    families();
    lexicon();
}

/// True when some sense of `word` (any form of it: "fled", "funding") is a
/// verb. Many words are nouns too ("report", "party"): whether one is used
/// as a verb is the reader's to say.
pub fn can_be_verb(word: &str) -> bool {
    let verbs = &lexicon().verbs;
    candidate_bases(&word.to_lowercase())
        .iter()
        .any(|b| verbs.contains(b.as_str()))
}

/// True when `word` is an irregular form of another ("fled", "kept",
/// "taken", and plurals: "women").
pub fn is_irregular_form(word: &str) -> bool {
    families().forms.contains_key(word.to_lowercase().as_str())
}

/// True when `a` and `b` are forms of one word ("took", "taken").
pub fn same_word(a: &str, b: &str) -> bool {
    read(a).same_word(&read(b))
}

/// True when some sense of `a` and some sense of `b` mean the same
/// (WordNet puts them in one synonym set, or an adjective beside its head:
/// "numerous" and "many").
pub fn synonyms(a: &str, b: &str) -> bool {
    read(a).synonym(&read(b))
}

/// True for a word that carries content: three letters or more, not a
/// function word ("the", "since", "inside"), not a word of degree ("many",
/// "purely") or of stance ("unfortunately", "extremely").
pub fn is_content(word: &str) -> bool {
    let w = word.to_lowercase();
    w.chars().count() >= 3
        && w.chars().all(char::is_alphabetic)
        && !is_stopword(&w)
        && !is_filler(&w)
}

/// True for a word of degree, stance or linking ("exactly", "actually",
/// "really", "instead"): it says how a question is asked, not what about.
pub fn is_filler(word: &str) -> bool {
    let w = word.to_lowercase();
    DEGREE.contains(&w.as_str()) || STANCE.contains(&w.as_str()) || FUNCTION.contains(&w.as_str())
}

/// Words of `word`'s family in other parts of speech, as WordNet links
/// them ("invade": "invasion", "invader"; "justify": "justification"),
/// by its base forms ("invading" reads as "invade"). WordNet links no
/// doctrine to its root: "socialist" has no "social".
pub fn family(word: &str) -> Vec<&'static str> {
    let related = &families().related;
    let mut out: Vec<&'static str> = candidate_bases(&word.to_lowercase())
        .iter()
        .filter_map(|b| related.get(b.as_str()))
        .flatten()
        .copied()
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// True when `a`, a quote's word, can stand for `b`, the passage's, without
/// changing the claim: forms of one word or synonyms, or a verb one step
/// broader than `b`, and not antonyms (some words are both, in different
/// senses).
pub fn means_the_same(a: &str, b: &str) -> bool {
    read(a).means_the_same(&read(b))
}

/// True when `word` means what the two neighbouring words `first` and
/// `second` mean together, as WordNet names a sense with both ("founded"
/// and "set up", "participated" and "took part"); either side may be
/// inflected.
pub fn means_phrase(word: &str, first: &str, second: &str) -> bool {
    phrase_means_one_of(first, second, [word])
}

/// True when the two neighbouring words `first` and `second` together
/// mean what one of `words` means (see [`means_phrase`]). Most pairs of
/// words name no sense, and then no word is read at all.
pub fn phrase_means_one_of<'a>(
    first: &str,
    second: &str,
    words: impl IntoIterator<Item = &'a str>,
) -> bool {
    let lex = lexicon();
    let second = second.to_lowercase();
    let phrase: Vec<u32> = read(first)
        .bases
        .iter()
        .filter_map(|b| lex.groups.get(format!("{b}_{second}").as_str()))
        .flatten()
        .copied()
        .collect();
    !phrase.is_empty()
        && words
            .into_iter()
            .any(|w| read(w).groups.iter().any(|g| phrase.contains(g)))
}

/// True when `word`, a quote's, can stand for one of `others`, the
/// passage's (see [`means_the_same`]).
pub fn means_one_of<'a>(word: &str, others: impl IntoIterator<Item = &'a str>) -> bool {
    let w = read(word);
    others.into_iter().any(|o| w.means_the_same(&read(o)))
}

/// True when WordNet gives `a` and `b` as antonyms ("increase",
/// "decrease"), in any of their forms.
pub fn antonyms(a: &str, b: &str) -> bool {
    read(a).antonym(&read(b))
}

/// True when `word` is an antonym of one of `others` (see [`antonyms`]).
pub fn opposes_one_of<'a>(word: &str, others: impl IntoIterator<Item = &'a str>) -> bool {
    let w = read(word);
    others.into_iter().any(|o| w.antonym(&read(o)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_crosses_parts_of_speech_but_not_from_a_doctrine_to_its_root() {
        assert!(
            family("invading").contains(&"invasion"),
            "{:?}",
            family("invading")
        );
        assert!(family("justification").contains(&"justify"));
        assert!(!family("socialist").contains(&"social"));
        assert!(family("the").is_empty());
    }

    #[test]
    fn a_spelling_key_is_read_as_the_word_written() {
        use crate::text::normalize::spelling_key;
        // "raise" is keyed "raize" and "killed" "kiled", as if British.
        assert!(same_word(&spelling_key("raise"), &spelling_key("raising")));
        assert!(same_word(&spelling_key("killed"), "kill"));
        assert!(synonyms(&spelling_key("organise"), "form"));
        assert!(!same_word(&spelling_key("raise"), "race"));
    }

    #[test]
    fn synonyms_antonyms_and_forms() {
        assert!(synonyms("world", "globe"));
        assert!(synonyms("said", "stated"));
        assert!(synonyms("Numerous", "many"));
        assert!(synonyms("helped", "aid"));
        assert!(!synonyms("imposed", "chosen"));
        assert!(!synonyms("solidarity", "enemy"));
        assert!(antonyms("increased", "decreases"));
        assert!(antonyms("weakness", "strength"));
        assert!(!antonyms("world", "globe"));
        assert!(same_word("took", "taken"));
        assert!(same_word("stopped", "stop"));
        assert!(!same_word("imposed", "chosen"));
        assert!(synonyms("rarely", "occasionally"));
        assert!(antonyms("rarely", "often"));
        assert!(means_the_same("folks", "people"));
        assert!(!means_the_same("often", "seldom"));
        assert!(is_content("imposed") && !is_content("many") && !is_content("the"));
        assert!(means_one_of("globe", ["war", "world"]));
        assert!(!means_one_of("imposed", ["freely", "chosen"]));
        assert!(opposes_one_of("decreased", ["the", "increase"]));
    }

    #[test]
    fn families_broader_verbs_and_phrases() {
        // One family across parts of speech.
        assert!(same_word("intention", "intend"));
        assert!(same_word("deliberately", "deliberate"));
        // A quote's verb may be broader than the passage's, never narrower:
        // "became" for "grew" is less exact; "welcomed" for "recognised"
        // says more than the passage does.
        assert!(means_the_same("became", "grew"));
        assert!(!means_the_same("grew", "became"));
        assert!(!means_the_same("welcomed", "recognised"));
        // Verbs broader than fifty others say nothing: "welcome" is a kind
        // of "have" but does not mean it.
        assert!(!means_the_same("have", "welcome"));
        // Two words for one.
        assert!(means_phrase("founded", "set", "up"));
        assert!(means_phrase("participated", "taken", "part"));
        assert!(!means_phrase("founded", "set", "down"));
        assert!(!means_phrase("crushed", "set", "up"));
    }
}
