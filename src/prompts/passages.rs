//! Reading a passage before asking about it: what it does (claims,
//! reasons, concedes, calls to act, contrasts, or only tells a story or
//! quotes someone), and what it is about (the essay's key terms and
//! repeated phrases, chosen as the passage's anchor).

use super::wording::Shape;
use crate::index;
use crate::library::Snapshot;
use crate::model::Paragraph;
use crate::search::query::idf;
pub(super) use crate::text::rhetoric::{narrates, present_verbs, Marks};
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

/// Sentences that are about the text rather than the argument: credits,
/// notes on publication or translation, thanks, a word on the collection
/// ("The articles cover a wide range of views …") or on the argument's own
/// course ("no fit matter for this present argument", "a digression").
static DISCLAIMER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(this (?:article|piece|interview|text|essay|talk) (?:was|is|first|originally|has been)|the (?:articles|essays|pieces|contributions|chapters) (?:cover|collected|gathered|brought together|in this)|no fit matter for|(?:this|the) present argument|to return to (?:my|our|the) (?:subject|purpose)|a digression|the views expressed|translated (?:by|from|into)|edited (?:by|for)|too tedious|cannot be particularized|(?:would|will) be (?:needless|superfluous|tedious)|need not (?:here )?(?:be )?(?:enumerated|detailed|particularized|dwell)|(?:does|do|will|can) not require (?:a |any )?(?:particular |further |long )?(?:elucidation|explanation|illustration|proof|comment)|(?:an? )?(?:explanation|elucidation|illustration) of (?:it|this|them) (?:is|will be|seems) (?:necessary|needful|requisite|proper)|i would like to thank|we would like to thank|thanks to|subscribe|click here|read more|image credit|photo(?:graph)? by|all rights reserved|copyright)\b").unwrap()
});
/// Openings that carry on a thought begun before the passage ("On the
/// other hand, …", "For there is …", "To build real connections, …"): the
/// passage alone does not say what it answers or contrasts with. A plain
/// "But" or "And" is not among them: "But it is not the lie that passeth
/// through the mind …" still says all it means.
static CONTINUES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*(?i:on the other hand|on the other side|however|thus|hence|therefore|furthermore|moreover|besides|likewise|similarly|in addition|for|both|the first|the former|the latter|such|whereas|which|to|this|these|those|that|he|she|they|his|her|their|them|him)\b").unwrap()
});
/// Someone else's words reported ("The Emperor Julian said …", "'tis a
/// glory, say they, …"): the author relays, and the question would ask the
/// circle to weigh the author on a view that is not the author's.
static REPORTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:he|she|they) (?:held|thought|deemed|maintained|reckoned|considered|judged)|says?|said|saith|say they|tells? us|told|writes|wrote|replied|answered|quoth|asked|urged|alleged|objected|called|infers|inferred|inferreth|affirmeth|reporteth|telleth)\b").unwrap()
});
/// First person singular.
static FIRST_PERSON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(I|me|my|My|myself|Myself|mine|Mine)\b").unwrap());
/// "I think", "I believe": they introduce a claim rather than tell about
/// the writer.
static I_CLAIM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bI (think|believe|argue|would argue)\b").unwrap());
static BECAUSE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bbecause\b").unwrap());
pub(super) static LOOKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(1[0-9]{3}|20[0-9]{2}|[0-9]+(,[0-9]{3})*%?)\b").unwrap());

/// Words too general to be what a passage is about.
pub(super) const GENERIC: &[&str] = &[
    "wherein",
    "whereof",
    "whereby",
    "thereof",
    "therein",
    "thereby",
    "upon",
    "unto",
    "hath",
    "doth",
    "today",
    "group",
    "groups",
    "people",
    "things",
    "years",
    "times",
    "other",
    "others",
    "there",
    "these",
    "their",
    "which",
    "where",
    "would",
    "could",
    "should",
    "about",
    "because",
    "example",
    "part",
    "parts",
    "point",
    "points",
    "question",
    "questions",
    "issue",
    "issues",
    "number",
    "world",
    "always",
    "never",
    "often",
    "every",
    "first",
    "second",
    "third",
    "still",
    "really",
    "think",
    "means",
    "place",
    "places",
    "separated",
    "separates",
    "something",
    "anything",
    "nothing",
    "himself",
    "herself",
    "themselves",
    "another",
    "within",
    "without",
    "through",
    "against",
    "between",
    "great",
    "toward",
    "towards",
    "organised",
    "organized",
    "depends",
    "makes",
    "takes",
    "seems",
    "comes",
    "gives",
    "means",
    "needs",
    "wants",
    "knows",
    "oneself",
    "itself",
    "ourselves",
    "yourself",
    "myself",
    "everyone",
    "someone",
    "basis",
    "support",
    "believe",
    "abroad",
    "therefore",
    "thus",
    "hence",
    "however",
    "little",
    "much",
    "many",
    "though",
    "whereas",
];

/// Where the mark of a call to act or of a contrast starts in `text`.
pub(super) fn marker_at(text: &str, shape: Shape) -> Option<usize> {
    match shape {
        Shape::Prescription => crate::text::rhetoric::call_at(text),
        Shape::Contrast => crate::text::rhetoric::contrast_at(text),
        _ => None,
    }
}

/// True when a passage is the author's own words and can be quoted on its
/// own: no disclaimer, no verse or motto quoted whole, no line of dialogue,
/// no editor's bracketed note, and it stands alone (see [`stands_alone`]).
pub(super) fn quotable(text: &str) -> bool {
    // A bracket or a lower-case letter first: the passage starts inside
    // another sentence ("(But one of …", "and I rather excuse …").
    let opening = text.trim_start().chars().next();
    !DISCLAIMER.is_match(text)
        && !opening.is_some_and(|c| c.is_lowercase() || "([{-–—…“\"‘'".contains(c))
        && !text.contains(['[', ']'])
        && !quotes_speech(text)
        && !lists(text)
        && !SPECULATES.is_match(text)
        && !counts(text)
        && !grants_only(text)
        && !ends_open(text)
        && !half_a_pair(text)
        && !quotes_words(text)
        && !quotes_latin(text)
        && !MERGED_HEADING.is_match(text)
        && !ADDRESSES.is_match(text)
        && stands_alone(text)
}

/// "Every man hath two birth-days … The one is that which … he termeth
/// his.": a pair announced and only its first half quoted. The other half
/// is in the next sentence, and without it the claim is not whole.
fn half_a_pair(text: &str) -> bool {
    static THE_ONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bthe one (?:is|was|being)\b").unwrap());
    THE_ONE.is_match(text) && !text.to_lowercase().contains("the other")
}

/// A passage spoken to "thee" or "ye" ("The fear and the compassion that
/// the people have of this disease serve thee for matter of glory"): an
/// apostrophe, or a voice the author lends to someone, not the author's
/// claim put to the reader.
static ADDRESSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:thee|thou|thy|thine|ye)\b").unwrap());

/// A heading run into the next sentence by the scrape, with no stop
/// between them: "There are plenty of other options There have been calls
/// to …". A word that opens sentences, capitalised after a lower-case word.
static MERGED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b[a-z]+\s+(?:There|This|These|Those|We|It|They|Our|Such|Many|Some|What|How|Why)\s+[a-z]",
    )
    .unwrap()
});

/// A Latin tag inside the passage ("Cum non sis qui fueris, non esse cur
/// velis vivere", "the circum præcordia frigus"): words the author borrows
/// whole, which a circle cannot weigh. Two of Latin's little words, or a
/// ligature English has given up.
fn quotes_latin(text: &str) -> bool {
    const LATIN: &[&str] = &[
        "cum", "non", "sed", "quod", "qui", "quae", "est", "sunt", "esse", "enim", "atque",
        "neque", "etiam", "nisi", "quam", "quid", "sis", "cur", "nec", "vel", "sive", "ubi",
    ];
    let lower = text.to_lowercase();
    let latin: HashSet<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| LATIN.contains(w))
        .collect();
    latin.len() >= 2 || text.contains(['æ', 'œ'])
}

/// One sentence that counts ("There are more than a million people living
/// under siege …") or announces what follows ("There are a number of ways
/// that …"): a fact or a transition, with no claim in it to weigh.
fn counts(text: &str) -> bool {
    static COUNTS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*there (?:are|is|were|was) (?:more than |over |about |some |almost |nearly |at least )?(?:\d|tens of|hundreds of|thousands of|millions of|a (?:million|thousand|hundred)|a (?:number|handful) of|several|dozens of)").unwrap()
    });
    COUNTS.is_match(text) && crate::text::sentences::split(text).len() <= 1
}

/// A passage that stops on a colon, semicolon or comma runs on into what
/// it does not quote ("… the hazards of war:").
fn ends_open(text: &str) -> bool {
    text.trim_end().ends_with([':', ';', ',']) || POINTS_AHEAD.is_match(text)
}

/// A last clause that promises what comes after the passage: "…, this you
/// must do.", "… as follows.", "… in what follows."
static POINTS_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bthis (?:you|we|i|he|they|one) (?:must|should|shall|will|may|ought to) \w+|\bas follows|\bin what follows|\bthe following)\W*$").unwrap()
});

/// Quotation marks inside a passage: words it borrows from someone else
/// ("Quibus vivere est cogitare") or holds at arm's length (scare quotes),
/// whose sense the passage does not give.
fn quotes_words(text: &str) -> bool {
    text.contains(['"', '“', '”'])
}

/// A concession that stops before its point: "It is true that taxes
/// levied by consent … abate men's courage less" grants something to an
/// argument the passage does not give ("It is true …, but …" makes it).
fn grants_only(text: &str) -> bool {
    static GRANTS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:it is true|true it is|it must be (?:admitted|confessed|granted)|I (?:admit|grant|confess)|granted)\b").unwrap()
    });
    static TURNS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:but|yet|nevertheless|still|however)\b").unwrap());
    GRANTS.is_match(text) && !TURNS.is_match(text)
}

/// A guess about what comes next ("something to watch", "remains to be
/// seen", "Trump is going to continue …"): nothing yet to agree or
/// disagree with.
static SPECULATES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(something to watch|remains to be seen|time will tell|we will see|we shall see|(?:is|are|'s|’s|'re|’re) going to|the (?:\w+ ){0,3}(?:task|labou?r|work|business|step) will be|(?:every|good|some) reason to (?:believe|expect|hope|think) that)\b",
    )
    .unwrap()
});

/// The capitalised words inside a sentence (names, mostly), as written;
/// not "I", and not a sentence's first word.
fn names_in(text: &str) -> impl Iterator<Item = &str> {
    let mut sentence_start = true;
    text.split_whitespace().filter_map(move |w| {
        let word = w.trim_matches(|c: char| !c.is_alphanumeric());
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let name = capital && !sentence_start && word != "I";
        sentence_start = w.ends_with(['.', '!', '?', ':', ';']) || word.is_empty();
        name.then_some(word)
    })
}

/// Names (capitalised words inside a sentence) and first-person "I", "me",
/// "my" in a passage.
pub(super) fn particulars(text: &str) -> usize {
    let writer = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| matches!(*w, "I" | "me" | "my"))
        .count();
    writer + names_in(text).count()
}

/// The names an essay mentions in passing: written with a capital inside a
/// sentence, never in lower case anywhere in the essay ("State" is also
/// "state"), in only one of its paragraphs, and in under one paragraph in
/// a hundred of the library. A passage built on one ("The advice that
/// Isocrates gives his king …", "Cato …", "when Rutilia hounds at you
/// her tiger aunt") is an allusion or an anecdote the circle cannot
/// weigh from the quote: of the labelled prompts this rule drops (nine
/// of the development essays, two of the held-aside ones), none was one a
/// facilitator would post. A name the essay or the library keeps returning to ("Syria",
/// "Russia") is a subject, and a word made from a name ("Ukrainian",
/// "Leninist") says whose.
pub(super) fn passing_names(snap: &Snapshot, paragraphs: &[Paragraph]) -> HashSet<String> {
    let mut lower: HashSet<&str> = HashSet::new();
    let mut seen_in: HashMap<&str, usize> = HashMap::new();
    for p in paragraphs {
        for w in p.text.split(|c: char| !c.is_alphanumeric()) {
            if w.chars().next().is_some_and(char::is_lowercase) {
                lower.insert(w);
            }
        }
        let here: HashSet<&str> = names_in(&p.text).collect();
        for n in here {
            *seen_in.entry(n).or_default() += 1;
        }
    }
    let searcher = snap.searcher();
    let fields = snap.fields();
    let paragraphs_in_library = searcher.num_docs().max(1) as f64;
    let rare_in_library = |name: &str| {
        index::analyze(name).iter().all(|stem| {
            let df = searcher
                .doc_freq(&index::term(fields.body, stem))
                .unwrap_or(0);
            (df as f64) < paragraphs_in_library / 100.0
        })
    };
    seen_in
        .into_iter()
        .filter(|(n, count)| {
            // "NGO-like": an acronym, not a name.
            let head = n.split('-').next().unwrap_or(n);
            *count <= 1
                && head.chars().skip(1).any(char::is_lowercase)
                && !ADJECTIVE_OF_NAME.iter().any(|e| n.ends_with(e))
                && !lower.contains(n.to_lowercase().as_str())
                && rare_in_library(n)
        })
        .map(|(n, _)| n.to_string())
        .collect()
}

/// Endings of words made from names ("Ukrainian", "Leninist", "Israeli",
/// "Western"): they say whose, or which school, and a modern essay uses
/// them for its subject as often as an old one for a passing scene.
const ADJECTIVE_OF_NAME: &[&str] = &[
    "an", "ans", "ese", "ish", "ist", "ists", "ism", "i", "ic", "ern", "’s", "'s",
];

/// True when the passage names one of the essay's passing names (see
/// [`passing_names`]).
pub(super) fn alludes(text: &str, passing: &HashSet<String>) -> bool {
    names_in(text).any(|n| passing.contains(n))
}

/// True when a passage can be discussed without the text around it: it
/// does not open by carrying on an earlier thought, report someone else's
/// words, or talk about the writer rather than the subject (an "I", "me"
/// or "my" that is not "I think" or "I believe" before a claim: in the
/// passages read against the rubric, four in five of those were about the
/// writer's taste or life, not an idea to discuss).
fn stands_alone(text: &str) -> bool {
    // A plain "But" or "And" is best quoted with the sentence it answers
    // (see [`leans_back`]); when that cannot be, what follows it may
    // still say all it means ("But it is not the lie that passeth through
    // the mind …").
    // "Nor" carries a denial made before it ("Nor do I think our old form
    // at school quite pertinent"), and "However" a case set against one
    // before it ("However where the situation is more complex …"): what
    // follows is half a thought.
    let rest = if HALF_TURN.is_match(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        CONJUNCTION.replace(text, "")
    };
    !leans_back(&rest)
        && !REPORTS.is_match(text)
        && FIRST_PERSON.find_iter(text).count() <= I_CLAIM.find_iter(text).count()
        && !text.trim_start().starts_with("I don")
}

/// True when a sentence opens by carrying on an earlier thought or points
/// back to something said before it (see [`CONTINUES`], [`points_back`]),
/// or opens on "But", "And", "Or": then it is quoted with the sentence
/// before, where it can be.
pub(super) fn leans_back(text: &str) -> bool {
    CONJUNCTION.is_match(text)
        || CONTINUES.is_match(text)
        || points_back(text)
        || ENDS_ON_DEMONSTRATIVE.is_match(text)
}

/// A passage that ends on "that" or "this" ("Nobody … will benefit from
/// that."): what it names was said before the passage.
static ENDS_ON_DEMONSTRATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:that|this)\W*$").unwrap());

/// An opening "Nor" or "However" (see [`stands_alone`]).
static HALF_TURN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W*(?i:nor|however)\b").unwrap());

/// An opening "But", "And", "Or", "Nor", "However": a turn from what came
/// before that leaves the rest of the sentence whole.
static CONJUNCTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W*(?i:but|and|or|nor|however)\b[\s,]*").unwrap());

/// True when the opening words lean on something said before the passage:
/// a pronoun or demonstrative ("By it they rather manifest …", "In this
/// context, I would not …", "Independent of this motive …"), "thus",
/// "therefore", "then" or "indeed", an ordinal ("A FOURTH
/// objection …"), or an opening "So", "Here", "Even" or bracket. A reader
/// given only the passage cannot tell what "it", "this" or "also" refers to.
/// "It is … to/that …" is no pronoun ("It is important to …"). The first
/// nine words are read: "It is easy to see that this problem …".
fn points_back(text: &str) -> bool {
    const BACK: &[&str] = &[
        "this",
        "these",
        "those",
        "such",
        "next",
        "otherwise",
        "it",
        "they",
        "them",
        "he",
        "she",
        "him",
        "thus",
        "therefore",
        "then",
        "indeed",
        "too",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "last",
        "latter",
        "former",
        "consequently",
        "accordingly",
        "here",
        "also",
    ];
    const OPENERS: &[&str] = &[
        "so",
        "here",
        "even",
        "at",
        "their",
        "his",
        "her",
        "its",
        "instead",
        "lastly",
        "again",
        "yet",
        "nor",
        "elsewhere",
        "either",
        "neither",
        "contrariwise",
        "conversely",
        "similarly",
        "secondly",
        "thirdly",
        "fourthly",
        "finally",
    ];
    let trimmed = text.trim_start();
    if trimmed.starts_with(['(', '[', '-', '–', '—', '…'])
        || POINTS_BACK.is_match(text)
        || OPENS_BACK.is_match(text)
        || first_sentence_points_back(trimmed)
        || later_sentence_points_back(trimmed)
        || demonstrative_points_back(trimmed)
    {
        return true;
    }
    // "'tis" is "it is": "Most of our ladies will cry out, that 'tis
    // monstrous" names what was described before.
    let spelled = TIS.replace_all(trimmed, "it is");
    let words = crate::text::first_words(&spelled, 9);
    let first_sentence = &spelled[..spelled
        .find(['.', '?', '!', ';'])
        .map_or(spelled.len(), |i| i)];
    if pronoun_past_the_opening(first_sentence) {
        return true;
    }
    let opening = trimmed.to_lowercase();
    if words.first().is_some_and(|w| OPENERS.contains(&w.as_str()))
        && ![
            "at least",
            "even if",
            "even though",
            "even when",
            "so far as",
            "so long as",
        ]
        .iter()
        .any(|o| opening.starts_with(o))
    {
        return true;
    }
    // A "their" with no plural before it, or an "its" with no word of
    // content before it ("Could its interior structure … be ascertained"),
    // names someone or something named before the passage.
    words.iter().enumerate().any(|(i, w)| {
        (BACK.contains(&w.as_str())
            || (w == "their" && !plural_before(&words[..i.saturating_sub(1)]))
            || ((w == "his" || w == "her") && i > 0 && !person_before(trimmed, i))
            || (w == "its"
                && !words[..i]
                    .iter()
                    .any(|b| crate::text::lexicon::is_content(b))))
            && !(w == "it" && {
                let rest = words[i..].join(" ");
                IT_EXPLETIVE.is_match(&rest) && !IT_BACK.is_match(&rest)
            })
    })
}

/// "'tis", "’Tis": "it is".
static TIS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)['‘’]tis\b").unwrap());

/// True when a pronoun past the first sentence's opening names someone or
/// something from before the passage: a "them" closing a clause with no
/// plural before it ("Frequent war and constant apprehension, … will
/// infallibly produce them."), or a "he" past the ninth word with no one
/// before it he could be ("Unlike to mankind's mixed characters, …, he
/// is--good throughout": the pig, named before the passage).
fn pronoun_past_the_opening(first_sentence: &str) -> bool {
    let mut before: Vec<String> = Vec::new();
    for clause in first_sentence.split([',', ':']) {
        let here = crate::text::first_words(clause, 60);
        if here.last().is_some_and(|w| w == "them")
            && !plural_before(&[&before[..], &here[..here.len() - 1]].concat())
        {
            return true;
        }
        before.extend(here);
    }
    crate::text::first_words(first_sentence, 24)
        .iter()
        .enumerate()
        .skip(9)
        .any(|(i, w)| w == "he" && !person_before(first_sentence, i))
}

/// True when one of the first `i` words of `text` may name the person a
/// "his" or "her" after them stands for: a name (a capital past the first
/// word), a pronoun, or a word for a person ("a man", "the author").
/// Without one, "how his shores trend" names someone the passage has not.
fn person_before(text: &str, i: usize) -> bool {
    const PERSONS: &[&str] = &[
        "man",
        "woman",
        "he",
        "she",
        "him",
        "himself",
        "herself",
        "one",
        "who",
        "whoever",
        "person",
        "king",
        "prince",
        "father",
        "mother",
        "son",
        "daughter",
        "child",
        "friend",
        "author",
        "writer",
        "everyone",
        "everybody",
        "anyone",
        "each",
        "every",
        "no",
        "none",
        "someone",
        "somebody",
        "wife",
        "husband",
        "master",
        "servant",
        "boy",
        "girl",
        "lady",
        "individual",
        "citizen",
        "subject",
        "member",
        "reader",
        "soldier",
        "judge",
        "statesman",
        "magistrate",
        "stranger",
        "neighbour",
        "neighbor",
        "traveller",
        "poet",
        "gentleman",
        "aristocrat",
        "lover",
        "fool",
        "coward",
        "hero",
        "merchant",
        "scholar",
        "philosopher",
        "party",
    ];
    text.split_whitespace().take(i).enumerate().any(|(k, raw)| {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        (k > 0 && w.starts_with(char::is_uppercase)) || PERSONS.contains(&w.to_lowercase().as_str())
    })
}

/// True when a plural noun may come among `words`, the words before a
/// "their" but the one next to it, which is mostly its verb ("Workers must
/// defend their unions"): the people it names are then in the passage.
/// Without one, "their" is someone named before it ("The ecological crisis
/// makes their internationalism even more correct").
fn plural_before(words: &[String]) -> bool {
    const PLURALS: &[&str] = &[
        "people", "men", "women", "children", "everyone", "all", "both", "many", "most", "some",
        "others", "those", "who",
    ];
    words.iter().any(|w| {
        PLURALS.contains(&w.as_str())
            || (w.len() > 3
                && w.ends_with('s')
                && !w.ends_with("ss")
                && !w.ends_with("is")
                && !w.ends_with("us")
                && !w.ends_with("ous"))
    })
}

/// True when a later sentence of the passage names as known what the
/// passage has not named: "In all of these instances, organizers
/// targeted capital …" after a sentence with no instance in it.
fn later_sentence_points_back(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let first_end = lower.find(['.', '?', '!']).map_or(lower.len(), |i| i + 1);
    let first_words = lower[..first_end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    words.iter().enumerate().skip(first_words).any(|(i, w)| {
        let Some(next) = words.get(i + 1) else {
            return false;
        };
        let stem: String = next.chars().take(5).collect();
        names_a_known_thing(w, next)
            && !["are", "were"].contains(next)
            && !words[..i].iter().any(|b| b.starts_with(stem.as_str()))
    })
}

/// Words a demonstrative may stand before with nothing said before the
/// passage ("this world", "such a day", "that very …"): every reader knows
/// what they name.
const KNOWN_TO_EVERY_READER: &[&str] = &[
    "day", "days", "time", "times", "world", "life", "age", "moment", "year", "century", "earth",
    "kind", "sort", "country", "way", "very", "same", "one",
];

/// True when "that" before a noun, or "such a …" that no "as" or "that"
/// completes, names a thing the passage has not named ("to counter that
/// propaganda war", "to put himself in such an attitude to society"): the
/// reader was told of it before the passage. "Such a day" and its like
/// name what every reader knows; "that" counts only after a preposition or
/// a verb of struggle, where it cannot open a clause ("argues that people
/// are …"). A "this" past the opening is left alone: in an essay "Of Love"
/// "the excess of this passion" is plain to every reader.
fn demonstrative_points_back(text: &str) -> bool {
    // Words of a verb's own after "this", "that" or "such" ("that is").
    const VERBS: &[&str] = &[
        "is", "was", "are", "has", "had", "will", "would", "can", "could", "may", "might", "must",
        "should", "does", "did",
    ];
    const PREPOSITIONS: &[&str] = &[
        "of", "in", "on", "from", "with", "by", "at", "for", "about", "against", "into", "through",
        "to", "upon", "counter", "resist", "oppose", "fight", "end", "stop", "support", "reject",
    ];
    let lower = text.to_lowercase();
    let raw: Vec<&str> = lower.split_whitespace().collect();
    let words: Vec<&str> = raw
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’'))
        .collect();
    // A word that closes on a stop or comma: "in, that doth the hurt"
    // opens a clause.
    let closes = |i: usize| raw[i].ends_with(|c: char| !c.is_alphanumeric());
    let seen = |i: usize, w: &str| {
        let stem: String = w.chars().take(5).collect();
        words[..i].iter().any(|b| b.starts_with(stem.as_str()))
    };
    words.iter().enumerate().any(|(i, w)| {
        let Some(&next) = words.get(i + 1) else {
            return false;
        };
        let unseen_noun = |k: usize| {
            words.get(k).is_some_and(|n| {
                crate::text::lexicon::is_content(n)
                    && !KNOWN_TO_EVERY_READER.contains(n)
                    && !VERBS.contains(n)
                    && !seen(k, n)
            })
        };
        match *w {
            // "upon't" is "upon it".
            w if w.ends_with("'t") || w.ends_with("’t") => {
                ["upon", "on", "in", "of", "for", "to", "at"]
                    .contains(&&w[..w.len() - if w.ends_with("'t") { 2 } else { 4 }])
            }
            // A later sentence that opens on "That" and a noun ("That
            // starched and ceremonious countenance looks …").
            "that" if i > 0 && raw[i - 1].ends_with(['.', '?', '!']) => unseen_noun(i + 1),
            "that" => {
                i > 0
                    && PREPOSITIONS.contains(&words[i - 1])
                    && !closes(i - 1)
                    && !closes(i)
                    && unseen_noun(i + 1)
                    && {
                        // "of that which …" names what follows.
                        !["which", "what", "whom"].contains(&next)
                    }
            }
            // "so dissimilar a method of trial": a degree measured against
            // something named before, unless "as" or "that" follows to say
            // what ("so great a change as …").
            "so" if matches!(words.get(i + 2).copied(), Some("a" | "an")) => {
                let rest = &words[i + 3..];
                let end = rest.len().min(12);
                words
                    .get(i + 1)
                    .is_some_and(|a| crate::text::lexicon::is_content(a))
                    && !rest[..end].iter().any(|r| matches!(*r, "as" | "that"))
            }
            // "into either scale" with no "or" to name the two: they were
            // named before the passage.
            "either" | "neither" if unseen_noun(i + 1) => {
                let stop = raw[i..]
                    .iter()
                    .position(|r| r.ends_with(['.', '?', '!', ';']))
                    .map_or(words.len(), |k| i + k + 1);
                let pair = if *w == "either" { "or" } else { "nor" };
                !words[i + 1..stop].contains(&pair)
            }
            // In a later sentence "such" most often sums up the passage's
            // own first ("… revolutionary currents … Even with such
            // minority movements …").
            "such" if raw[..i].iter().all(|r| !r.ends_with(['.', '?', '!', ';'])) => {
                let k = if matches!(next, "a" | "an") {
                    i + 2
                } else {
                    i + 1
                };
                unseen_noun(k) && {
                    // "such a … as …", "such … that …" say what they mean.
                    let rest = &words[k..];
                    let end = rest.len().min(14);
                    !rest[..end].iter().any(|r| matches!(*r, "as" | "that"))
                }
            }
            _ => false,
        }
    })
}

/// True when `w`, a word that can be a verb, can be the verb of "this" as
/// a subject: a third person's "-s" ("this rules out …"), a past ("this
/// led to …") or a helper ("this will …"). A bare form cannot ("this
/// rule", "this object", "this struggle"): there the word is a noun.
fn verb_after_this(w: &str) -> bool {
    const HELPERS: &[&str] = &[
        "will", "would", "can", "cannot", "could", "may", "might", "must", "shall", "should",
        "did", "does", "had", "has", "was", "is", "alone", "too", "also", "only", "very",
    ];
    // "this meeting", "this reasoning": a noun made from a verb ("this
    // being so" is the one verb).
    if w.ends_with("ing") && w != "being" {
        return false;
    }
    HELPERS.contains(&w)
        || (w.ends_with('s') && !w.ends_with("ss"))
        || w.ends_with("ed")
        || crate::text::lexicon::is_irregular_form(w)
}

/// The nouns a "this" names that the passage has not named before it
/// ("this dependence and sympathy", "the application of women to this
/// vice"). Whether one was named before the passage the caller decides: a
/// theme of the whole essay ("the excess of this passion" in an essay on
/// love) is plain to every reader.
pub(super) fn nouns_named_by_this(text: &str) -> Vec<String> {
    // "on subjects of this nature": of this kind.
    // "for this purpose": the purpose the sentence has just named.
    const KINDS: &[&str] = &[
        "point",
        "question",
        "nature",
        "description",
        "character",
        "purpose",
        "end",
    ];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let noun = |w: &str| {
        crate::text::lexicon::is_content(w)
            && (!crate::text::lexicon::can_be_verb(w) || !verb_after_this(w))
            && !KNOWN_TO_EVERY_READER.contains(&w)
            && !KINDS.contains(&w)
    };
    // Named before when an earlier word shares its stem ("mix" before
    // "this mixture").
    let named = |k: usize, n: &str| {
        let stem: String = n.chars().take(5).collect();
        words[..k].iter().any(|b| {
            let b_stem: String = b.chars().take(5).collect();
            crate::text::lexicon::is_content(b)
                && (b.starts_with(stem.as_str()) || n.starts_with(b_stem.as_str()))
        })
    };
    // A closing "this …" has no third word ("after this meeting."): the
    // window runs on an empty one.
    let padded: Vec<&str> = words.iter().copied().chain([""]).collect();
    padded
        .windows(3)
        .enumerate()
        .filter(|(_, w)| w[0] == "this" && w[2] != "of")
        // "this weak passion": the noun after its adjective.
        .map(|(i, w)| {
            // "this year higher": a noun every reader knows, then a word
            // of the clause.
            if noun(w[2]) && !KNOWN_TO_EVERY_READER.contains(&w[1]) {
                (i + 2, w[2])
            } else {
                (i + 1, w[1])
            }
        })
        .filter(|(k, n)| noun(n) && !named(*k, n))
        .map(|(_, n)| n.to_string())
        .collect()
}

/// True when "these" or "those" before `next` name something as already
/// known ("these people", "those nations"), not a group a clause after
/// them says ("those who", "those of") or a time ("these days").
fn names_a_known_thing(word: &str, next: &str) -> bool {
    matches!(word, "these" | "those")
        && !["who", "which", "that", "whom", "whose", "of", "days"].contains(&next)
}

/// True when the first sentence names something as already known, past
/// its first nine words: "these people" or "those nations" (not "those
/// who", "these days"), or "the question" that no "of" or "whether" states
/// ("… scarcely goes deep enough into the question").
fn first_sentence_points_back(text: &str) -> bool {
    let end = text.find(['.', '?', '!']).map_or(text.len(), |i| i + 1);
    let first = &text[..end];
    let lower = first.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        let next = words.get(i + 1).copied().unwrap_or("");
        match *w {
            "these" | "those" => names_a_known_thing(w, next),
            "question" => {
                i > 0
                    && words[i - 1] == "the"
                    && !["of", "whether", "how", "why", "what", "who", "is"].contains(&next)
            }
            _ => false,
        }
    })
}

/// Phrases that point back wherever they stand ("in these respects", "the
/// above dialogue", "the aforesaid", "another illustration of the same
/// important truth").
static POINTS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(in (?:this|these|that|those) respects?|the above|the foregoing|aforesaid|the said|as (?:we|I) have (?:said|seen|shown)|the contrary|(?:neither|either) the one (?:n?or|and) the other|may object|will be objected|it may be (?:said|urged|objected)|(?:is|are) here (?:used|meant|intended|understood)|(?:used|meant) here|(?:under|on) (?:the present|this|that) head|(?:at|in|to|for|on) that (?:rate|case|end|account|score|point)|in (?:either|each|both|neither) (?:case|supposition|event|instance|view|way)|the preceding|(?:afore|above)-?mentioned|in like manner|(?:step|measure|thing|act|course|proceeding|expedient|provision|project|scheme|plan)s? of (?:this|that) (?:kind|sort)|, again|(?:from|by|for|on|upon) other (?:circumstances|considerations|reasons|causes|grounds)|as has been (?:shown|said|observed|remarked|noticed|proved)|the (?:object|point|matter|case|subject|plan) in question|likewise|than this|(?:already|before|above|formerly|previously) (?:mentioned|stated|noticed|described|considered|explained|enumerated)|another (?:illustration|example|instance|proof|case) of|all the rest|(?:of|to|by|on|upon|from) the same (?:\w+ )?(?:truth|principle|point|kind|sort|effect|purpose|reason|nature|remark|observation))\b").unwrap()
});

/// Openings that answer or carry on something the reader has not seen:
/// "The one can perform alone what the other …", "HAVING shown that …",
/// "The consequence clearly is …", "The reason of which is …", "In like
/// manner, …", "Not that …", "There is yet a further reason …",
/// "Because the passions of men …" (the answer to a question before it),
/// and a spoken answer's first word ("Well, either …", "Yes, …").
static OPENS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:well|yes|no|exactly|absolutely|sure|right|okay|of course|indeed)\s*[,.!]|the (?:one|other|first|second|former|latter|same|only answer|answer|reason of which|consequence|conclusion|inference|remedy|remark|observation|objection)\b|the \w+ itself\b|having (?:shown|seen|considered|examined|proved|treated|said|noticed|observed)\b|in like manner|in other words|by which|of which|to which|in which|of this (?:kind|description|sort)|not that\b|there (?:is|are) (?:yet )?(?:a further|another|some which|others|other)\b|because\b|whence\b|wherefore\b|accordingly\b|consequently\b|hence\b|likewise\b|moreover\b|besides\b|furthermore\b|in each of|in both\b|(?:with |in |of |for |to )?another\b|the whole (?:is|was)\b|how much more\b|one (?:is|was),? (?:that|when|where)\b)").unwrap()
});

/// "It is important to …", "it seems clear that …": "it" points forward.
static IT_EXPLETIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^it (?:is|was|s|seems|remains|becomes)(?: not)?(?: \w+){0,4} (?:to|that|whether|how)\b",
    )
    .unwrap()
});
/// "It is like that …", "it is so with …": "it" points back after all.
static IT_BACK: LazyLock<Regex> = LazyLock::new(|| {
    // "It is essential to the protection of …" speaks of a thing named
    // before; "it is essential to build …" points forward to a verb.
    // "It is the greatest refreshment to the spirits of man" too.
    Regex::new(r"^it (?:is|was|s) (?:like|so|thus|the same|true of|to be)\b|^it (?:is|was|s)(?: not)?(?: \w+){0,3} to (?:the|a|an|our|its|their|his|her|this|that)\b").unwrap()
});

/// An opening that announces the items of a list: "Among the … are".
static ENUMERATES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\W*among\b[^.;:]{0,80}?\b(?:are|were|is|was)\b").unwrap());

/// "… are all …" closing a list.
static SUMS_UP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i),[^.;]*\band\b[^.;,]*\b(?:are|were) all\b").unwrap());

/// A list rather than an argument: many short items in a row ("their
/// neighbors, their wives, their children, …", "unto the parties …, unto
/// the advocates …, unto the clerks …").
pub(super) fn lists(text: &str) -> bool {
    let items: Vec<&str> = text
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let short = items
        .iter()
        .filter(|i| i.split_whitespace().count() <= 4)
        .count();
    // The same two words opening item after item: "… reference unto the
    // parties, unto the advocates …, unto the clerks …" (the first item
    // holds its own inside it).
    let mut openings: HashMap<String, usize> = HashMap::new();
    for i in items.iter().skip(1) {
        let head: Vec<String> = i
            .split_whitespace()
            .take(2)
            .map(str::to_lowercase)
            .collect();
        if head.len() == 2 {
            *openings.entry(head.join(" ")).or_default() += 1;
        }
    }
    let first = items.first().map(|f| f.to_lowercase()).unwrap_or_default();
    // "Among the pretended defects are the re-eligibility …, the want …,
    // the omission …": an inventory announced.
    // "The failure to …, the misunderstanding of …, and the idealistic
    // worldview are all contradictions in …": the sum of what the essay
    // has shown, item by item, before the passage.
    let inventory = (ENUMERATES.is_match(text) && items.len() >= 4)
        || (items.len() >= 3
            && items[..2].iter().all(|i| i.split_whitespace().count() >= 4)
            && SUMS_UP.is_match(text));
    inventory
        || short >= 5
        || openings
            .iter()
            .any(|(head, n)| *n + usize::from(first.contains(head.as_str())) >= 3)
}

/// Words that name ideas rather than things: abstract nouns by their
/// endings ("solidarity", "institution", "friendship") and the moral and
/// political vocabulary an argument is made of ("truth", "virtue", "power",
/// "just"). A description of a pond or a stage has few; a claim has some.
pub(super) fn idea_words(text: &str) -> usize {
    const ENDS: &[&str] = &[
        "ism", "isms", "ity", "ities", "tion", "tions", "sion", "sions", "ness", "ship", "ships",
        "ment", "ments", "ance", "ances", "ence", "ences", "acy", "dom", "doms", "hood",
    ];
    words_of(text)
        .filter(|w| {
            MORAL_WORDS.contains(&w.as_str())
                || (w.len() >= 7 && ENDS.iter().any(|e| w.ends_with(e)))
        })
        .count()
}

/// Words of the moral and political vocabulary in a passage ("truth",
/// "virtue", "power", "justice"): a saying without a marker of argument
/// still weighs something when it has one.
pub(super) fn moral_words(text: &str) -> usize {
    words_of(text)
        .filter(|w| MORAL_WORDS.contains(&w.as_str()))
        .count()
}

fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(str::to_lowercase)
}

const MORAL_WORDS: &[&str] = &[
    "truth",
    "true",
    "false",
    "lie",
    "lies",
    "virtue",
    "virtues",
    "vice",
    "vices",
    "good",
    "evil",
    "bad",
    "better",
    "best",
    "worse",
    "worst",
    "right",
    "rights",
    "wrong",
    "just",
    "unjust",
    "justice",
    "wise",
    "wisdom",
    "fool",
    "folly",
    "power",
    "powers",
    "nature",
    "reason",
    "man",
    "men",
    "mankind",
    "human",
    "society",
    "state",
    "states",
    "law",
    "laws",
    "government",
    "people",
    "life",
    "death",
    "love",
    "fear",
    "hope",
    "god",
    "soul",
    "mind",
    "honour",
    "honor",
    "glory",
    "pleasure",
    "pain",
    "art",
    "faith",
    "duty",
    "interest",
    "interests",
    "war",
    "peace",
    "struggle",
    "struggles",
    "left",
    "solidarity",
    "movement",
    "movements",
    "workers",
    "power",
    "democracy",
    "freedom",
    "liberty",
    "opinion",
    "opinions",
    "custom",
    "youth",
    "age",
    "friend",
    "friends",
    "wealth",
    "poverty",
    "riches",
    "money",
    "labour",
    "labor",
    "work",
    "necessary",
    "necessity",
    "ought",
    "must",
    "should",
];

/// Key terms of an essay: stem → (weight, most common surface form).
pub(super) fn key_terms(
    snap: &Snapshot,
    paragraphs: &[Paragraph],
) -> BTreeMap<String, (f32, String)> {
    let searcher = snap.searcher();
    let f = snap.fields();
    let mut tf: HashMap<String, usize> = HashMap::new();
    let mut surfaces: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for p in paragraphs {
        for word in p
            .text
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| w.len() > 4)
        {
            let lower = word.to_lowercase();
            if crate::text::stopwords::is_stopword(&lower)
                || GENERIC.contains(&lower.as_str())
                || lower.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let Some(stem) = index::analyze(&lower).into_iter().next() else {
                continue;
            };
            *tf.entry(stem.clone()).or_default() += 1;
            // Keep the text's own case ("Russia", not "russia").
            *surfaces
                .entry(stem)
                .or_default()
                .entry(word.to_string())
                .or_default() += 1;
        }
    }
    let mut weighted: Vec<(String, f32)> = tf
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(s, n)| {
            // Frequent in this essay and rare in the library: what it is about.
            let w = (n as f32).powf(0.7) * idf(&searcher, f, &s);
            (s, w)
        })
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(30);
    weighted
        .into_iter()
        .map(|(s, w)| {
            let surface = surfaces[&s]
                .iter()
                .max_by_key(|(w, n)| (**n, std::cmp::Reverse((*w).clone())))
                .map(|(w, _)| w.clone())
                .unwrap_or_else(|| s.clone());
            (s, (w, surface))
        })
        .collect()
}

/// Words that may sit inside a phrase of the argument ("internationalism
/// from below", "the politics of solidarity" → "politics of solidarity").
pub(super) const PHRASE_JOINERS: &[&str] = &["of", "from", "for", "and"];
/// Words that may end one ("from below", "from above").
pub(super) const PHRASE_ENDS: &[&str] = &["below", "above"];

/// A word as a phrase's content word: long enough, not a stop word, not
/// too general.
fn content_word(w: &str) -> bool {
    let lower = w.to_lowercase();
    w.chars().count() >= 3
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
        && !crate::text::stopwords::is_stopword(&lower)
        && !GENERIC.contains(&lower.as_str())
}

/// A single word fit to say what a passage is about: a common noun of the
/// argument. Capitalised words are names or labels ("Syria", "Western"),
/// and adjectives name no subject on their own ("political", "Russian").
fn good_single_anchor(w: &str) -> bool {
    const ADJECTIVE_ENDS: &[&str] = &[
        "al", "ive", "ous", "ic", "ful", "less", "able", "ible", "ary", "ian", "ish", "ese", "ern",
        "ed", "ing", "ly",
    ];
    w.chars().next().is_some_and(char::is_lowercase)
        && content_word(w)
        && !ADJECTIVE_ENDS.iter().any(|e| w.ends_with(e))
        && !LIGHT_NOUNS.contains(&w.to_lowercase().as_str())
        && !HEADS.contains(&w.to_lowercase().as_str())
}

/// Past participles without "-ed": a phrase does not end on one ("sound
/// heard", "experience drawn").
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "heard",
    "drawn",
    "known",
    "seen",
    "taken",
    "given",
    "shown",
    "made",
    "done",
    "gone",
    "held",
    "felt",
    "told",
    "said",
    "brought",
    "thought",
    "sought",
    "bought",
    "kept",
    "meant",
    "built",
    "sent",
    "spent",
    "lost",
    "paid",
    "laid",
    "won",
    "begun",
    "written",
    "spoken",
    "chosen",
    "broken",
    "forgotten",
    "hidden",
    "risen",
    "driven",
    "grown",
    "thrown",
    "worn",
    "sworn",
    "torn",
    "struck",
    "taught",
    "caught",
    "fought",
    "understood",
    "overcome",
    "undertaken",
];

/// Nouns too light to be what an argument is about ("a weak position",
/// "within this situation", "simpler relations").
const LIGHT_NOUNS: &[&str] = &[
    // "each department" of a government is a part of the plan, not an
    // idea of the argument.
    "department",
    "departments",
    "position",
    "positions",
    "situation",
    "situations",
    "relation",
    "relations",
    "business",
    "case",
    "cases",
    "fact",
    "facts",
    "matter",
    "matters",
    "way",
    "ways",
    "manner",
    "kind",
    "kinds",
    "sort",
    "sorts",
    "respect",
    "regard",
    "thing",
    "occasion",
    "account",
    "purpose",
    "subject",
    "object",
    "side",
    "sides",
    "degree",
    "measure",
    "instance",
    "order",
    "condition",
    "conditions",
    "circumstance",
    "circumstances",
    "moment",
    "period",
    "level",
    "amount",
    "organisation",
    "organization",
    "organisations",
    "organizations",
    "direction",
    "sense",
    "extent",
];

/// Common verbs that start a verb phrase, not a name ("keep Assad").
const VERBS: &[&str] = &[
    "keep", "make", "take", "give", "get", "see", "know", "think", "want", "need", "use", "find",
    "tell", "ask", "seem", "feel", "try", "leave", "call", "help", "let", "put", "bring", "hold",
    "turn", "show", "hear", "play", "run", "move", "live", "believe", "allow", "stop", "send",
    "support", "oppose", "defend", "protect", "fight", "topple",
];

/// Nouns that end like adjectives ("international capital" is a name;
/// "knowledge of local" is not).
const NOUNS_IN_AL: &[&str] = &[
    "capital",
    "council",
    "trial",
    "rival",
    "approval",
    "proposal",
    "survival",
    "individual",
    "animal",
    "journal",
    "festival",
    "official",
    "criminal",
    "signal",
    "general",
    "principal",
    "tribunal",
    "arsenal",
    "denial",
    "renewal",
    "removal",
    "withdrawal",
    "interval",
    "ritual",
];

/// Phrases of two or three words the essay repeats, built on its key terms:
/// lowercase phrase → weight.
pub(super) fn key_phrases(
    paragraphs: &[Paragraph],
    terms: &BTreeMap<String, (f32, String)>,
) -> Vec<(String, f32)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in paragraphs {
        let words: Vec<&str> = p
            .text
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '’' || c == '\''))
            .filter(|w| !w.is_empty())
            .collect();
        for n in 2..=4 {
            for win in words.windows(n) {
                let (first, last) = (win[0], win[n - 1]);
                let lower_last = last.to_lowercase();
                let ok = content_word(first)
                    && (content_word(last) || PHRASE_ENDS.contains(&lower_last.as_str()))
                    && win[1..n - 1].iter().all(|w| {
                        content_word(w) || PHRASE_JOINERS.contains(&w.to_lowercase().as_str())
                    })
                    // A participle does not start a name ("explained
                    // from individual"), and a name does not end on an
                    // adverb or an adjective ("experience drawn", "books
                    // even").
                    && !first.ends_with("ed")
                    && !VERBS.contains(&first.to_lowercase().as_str())
                    && !["ly", "ing", "ed", "ous", "ive", "ful", "less", "able", "ible", "even"]
                        .iter()
                        .any(|e| lower_last.ends_with(e))
                    && !IRREGULAR_PARTICIPLES.contains(&lower_last.as_str())
                    && (!lower_last.ends_with("al") || NOUNS_IN_AL.contains(&lower_last.as_str()))
                    // Capitalised words alone are names, not an idea
                    // ("Russia and Iran").
                    && !win.iter().all(|w| {
                        w.chars().next().is_some_and(char::is_uppercase)
                            || PHRASE_JOINERS.contains(&w.to_lowercase().as_str())
                    });
                if ok {
                    *counts.entry(win.join(" ").to_lowercase()).or_default() += 1;
                }
            }
        }
    }
    // A phrase that only ever occurs inside a longer one is a piece of it
    // ("democracy and human" of "democracy and human rights").
    let repeated: Vec<(&String, usize)> = counts
        .iter()
        .filter(|(_, n)| **n >= 2)
        .map(|(p, n)| (p, *n))
        .collect();
    let pieces: HashSet<String> = repeated
        .iter()
        .filter(|(p, n)| {
            repeated
                .iter()
                .any(|(q, m)| q.len() > p.len() && m >= n && q.contains(p.as_str()))
        })
        .map(|(p, _)| (*p).clone())
        .collect();
    let mut out: Vec<(String, f32)> = counts
        .into_iter()
        .filter(|(p, n)| *n >= 2 && !pieces.contains(p))
        .filter_map(|(phrase, n)| {
            let weight: f32 = phrase
                .split(' ')
                .filter_map(|w| index::analyze(w).into_iter().next())
                .filter_map(|stem| terms.get(&stem).map(|t| t.0))
                .sum();
            (weight > 0.0).then(|| (phrase, weight * (1.0 + 0.1 * n.min(5) as f32)))
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(40);
    out
}

/// An anchor that names an idea rather than a person, party or place:
/// it starts in lower case ("internationalism from below", "campism").
fn names_an_idea(anchor: &str) -> bool {
    anchor
        .trim_start_matches('“')
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// An abstract noun ("solidarity", "imperialism", "accountability"): what
/// a circle can recognise at work in its own world.
pub(super) fn abstract_noun(anchor: &str) -> bool {
    const ENDS: &[&str] = &[
        "ism", "ity", "tion", "sion", "ness", "ship", "ment", "ance", "ence", "acy", "dom",
    ];
    let last = anchor
        .trim_matches(['“', '”'])
        .rsplit(' ')
        .next()
        .unwrap_or("");
    // "institutions", "communities": the plural of an abstract noun.
    let singular = match last.strip_suffix("ies") {
        Some(stem) => format!("{stem}y"),
        None => last.strip_suffix('s').unwrap_or(last).to_string(),
    };
    // Short words with these endings are mostly things ("nation",
    // "station", "ration"), and "nations" is no idea either.
    names_an_idea(anchor)
        && singular.chars().count() >= 7
        && ENDS
            .iter()
            .any(|e| last.ends_with(e) || singular.ends_with(e))
}

/// An anchor a question can be about: an abstract noun, or a phrase of
/// several words that names an idea (not a verb phrase: "facilitate
/// international capital"). A concrete noun ("grape", "weapons") reads
/// oddly as a topic, so the question then goes without one.
pub(super) fn idea_anchor(anchor: &str) -> bool {
    const VERB_ENDS: &[&str] = &["ate", "ize", "ise", "ify"];
    let inner = anchor.trim_matches(['“', '”']);
    let first = inner.split(' ').next().unwrap_or("");
    // An old verb form ("maketh nature") makes a clause, not a name.
    if inner.split(' ').any(|w| w.ends_with("eth") && w.len() > 4) {
        return false;
    }
    // "Awake enough", "sometimes like", "left enough", "man cannot": a
    // phrase ending on a degree word, a preposition or a verb is cut from
    // a clause. A capital inside ("articles of Confederation") names a
    // document or an office, a thing of its time rather than an idea to
    // discuss.
    let last = inner.rsplit(' ').next().unwrap_or("");
    if inner.contains(' ')
        && ([
            "enough", "like", "well", "much", "more", "less", "too", "so",
            // "man cannot": a subject and its verb, not a name.
            "cannot", "can", "must", "may", "will", "shall", "should", "would", "could", "is",
            "are", "was", "were",
        ]
        .contains(&last)
            || inner
                .split(' ')
                .skip(1)
                .any(|w| w.chars().next().is_some_and(char::is_uppercase)))
    {
        return false;
    }
    // "Faults and destroy responsibility" joins a noun to a clause; a
    // pair joined by "and" is a name only when both sides are one word.
    if inner
        .split(" and ")
        .any(|side| inner.contains(" and ") && side.contains(' '))
    {
        return false;
    }
    abstract_noun(anchor)
        || (inner.contains(' ')
            && names_an_idea(anchor)
            && !VERB_ENDS.iter().any(|e| first.ends_with(e)))
}

/// The anchor of a passage: its best repeated phrase, else its best key
/// term if that is a good single word; in the text's own spelling, quoted.
pub(super) fn anchor_of(
    text: &str,
    present: &[(&String, &(f32, String))],
    phrases: &[(String, f32)],
) -> Option<String> {
    let lower = text.to_lowercase();
    // A key term as this passage spells it ("socialist", where the essay
    // mostly says "socialists").
    let single = present.iter().find_map(|(stem, t)| {
        let at = |w: &str| w.as_ptr() as usize - text.as_ptr() as usize;
        text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .find(|w| {
                !w.is_empty()
                    && index::analyze(w).first() == Some(*stem)
                    && !qualifies(&text[at(w) + w.len()..])
                    && !in_example(&text[..at(w)])
            })
            .filter(|w| good_single_anchor(w))
            .map(|w| (w.to_string(), t.0))
    });
    let phrase = phrases
        .iter()
        .filter(|(p, _)| {
            lower.match_indices(p.as_str()).any(|(i, _)| {
                let before = lower[..i].chars().next_back();
                let after = lower[i + p.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
                    && !qualifies(&lower[i + p.len()..])
                    && !in_example(&lower[..i])
            })
        })
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let chosen = match (phrase, single) {
        (Some((p, pw)), Some((_, sw))) if *pw >= 0.8 * sw => {
            // As the text spells it.
            let i = lower.find(p.as_str())?;
            text.get(i..i + p.len()).map(str::to_string)
        }
        (_, Some((w, _))) => Some(w),
        (Some((p, _)), None) => {
            let i = lower.find(p.as_str())?;
            text.get(i..i + p.len()).map(str::to_string)
        }
        (None, None) => None,
    }?;
    Some(format!("“{chosen}”"))
}

/// Nouns that name a group or a view whose kind the word before them
/// says ("opposition groups", "grassroots movements"): alone, they name
/// no idea of the argument.
const HEADS: &[&str] = &[
    "group",
    "groups",
    "movement",
    "movements",
    "force",
    "forces",
    "party",
    "parties",
    "camp",
    "camps",
    "side",
    "sides",
    "figure",
    "figures",
    "leader",
    "leaders",
    "member",
    "members",
    "circle",
    "circles",
    "network",
    "networks",
    "viewpoint",
    "viewpoints",
    "view",
    "views",
    "perspective",
    "perspectives",
    "activists",
    "organisations",
    "organizations",
    "currents",
    "factions",
];

/// True when what follows a word makes it the qualifier of a group or a
/// view ("other opposition groups", "the top-down internationalist
/// viewpoint"): the passage is about the groups or the view, and the word
/// alone names neither.
fn qualifies(after: &str) -> bool {
    after.starts_with(' ')
        && after
            .split_whitespace()
            .next()
            .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
            .is_some_and(|w| HEADS.contains(&w.to_lowercase().as_str()))
}

/// True when the words before a word end inside an example ("calls
/// against the war crimes that are happening, such as the targeting of
/// civilian infrastructure"): an instance the passage gives, not what it
/// argues about. So is the picture of a simile ("We should meet each
/// morning as from foreign countries"): the passage is not about
/// foreign countries.
fn in_example(before: &str) -> bool {
    let before = before.to_lowercase();
    let close = before.trim_end();
    if [
        " as from",
        " as into",
        " as if",
        " as though",
        " like a",
        " like an",
        " like the",
        " as it were",
    ]
    .iter()
    .any(|f| close.ends_with(f))
    {
        return true;
    }
    ["such as ", "for example", "for instance", "e.g."]
        .iter()
        .filter_map(|m| before.rfind(m).map(|i| i + m.len()))
        .max()
        .is_some_and(|end| !before[end..].contains(['.', ',', ';', ':']))
}

/// True when a passage holds a quoted span long enough to be speech or a
/// quotation (a scare-quoted word or title is shorter).
fn quotes_speech(text: &str) -> bool {
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('“', None) => open = Some(i),
            ('”', Some(start)) => {
                if text[start..i].chars().count() > 40 {
                    return true;
                }
                open = None;
            }
            _ => {}
        }
    }
    let straight: Vec<&str> = text.split('"').collect();
    straight.len() >= 3
        && straight[1..straight.len() - 1]
            .iter()
            .step_by(2)
            .any(|q| q.chars().count() > 40)
}

/// True when few of a passage's words are common English words: a Latin
/// tag or a verse quoted in another language is not a claim to discuss.
pub(super) fn mostly_foreign(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 1)
        .map(str::to_lowercase)
        .collect();
    let common = words
        .iter()
        .filter(|w| crate::text::stopwords::is_stopword(w))
        .count();
    words.len() >= 4 && common * 5 < words.len()
}

/// The passage's own reason, from "because" to the end of its sentence, if
/// it is short enough to quote in a question.
pub(super) fn reason_of(text: &str) -> Option<String> {
    if !crate::text::rhetoric::gives_own_reason(text) {
        return None;
    }
    let m = BECAUSE.find(text)?;
    let rest = text[m.start()..]
        .split(['.', ';', '?', '!', '\n'])
        .next()?
        .trim_end_matches([',', ':', ' ', '”', '"']);
    let words = rest.split_whitespace().count();
    (3..=14).contains(&words).then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_that_carries_on_from_before_or_reports_does_not_stand_alone() {
        assert!(!stands_alone(
            "On the other hand, a functioning democracy will tend to express the values of its citizens."
        ));
        assert!(!stands_alone(
            "To build real connections, discuss complexities, understand each other better."
        ));
        assert!(!stands_alone(
            "The Emperor Julian said yet further, that a philosopher ought not so much as to breathe."
        ));
        assert!(!stands_alone(
            "I don't know the Russian activist scene, but we would like to see a strong anti-war movement."
        ));
        assert!(!stands_alone(
            "They abandon me throughout; all I write is rude; I cannot set things off to any advantage."
        ));
        // An opening "But" answers the sentence before it: the passage is
        // quoted with that sentence where it can be, and else alone when
        // the rest says all it means. "I think" introduces a claim.
        assert!(leans_back(
            "But it is not the lie that passeth through the mind."
        ));
        assert!(stands_alone(
            "But it is not the lie that passeth through the mind, but the lie that sinketh in, that doth the hurt."
        ));
        assert!(!stands_alone("And doubtless, these mutual advertisements would be of no contemptible advantage to the public."));
        assert!(stands_alone(
            "I think the real distinction needs to be made between the opposition to Assad, and Syrian revolutionaries."
        ));
        // Past the first nine words, "these people" and "the question"
        // still name what the reader has not seen; "those who" and "the
        // question whether" say what they name.
        assert!(leans_back(
            "If the public have any jurisdiction over private concerns, I cannot see that these people are in fault."
        ));
        assert!(leans_back(
            "I think the reason usually given scarcely goes deep enough into the question."
        ));
        assert!(!leans_back(
            "A government that claims every power over private concerns will in the end silence those who dissent."
        ));
        assert!(!leans_back(
            "Every free people must at some hour settle the question whether a majority may bind the rest."
        ));
        // A spoken answer's first word answers a question not quoted; a
        // "No" that begins the claim does not.
        assert!(leans_back(
            "Well, either the people have to have weapons to defend themselves, or they have a right to call on the foreign states to intervene."
        ));
        assert!(leans_back("Yes, the regime would have fallen long ago."));
        // Ending on "that" or "this", it names what was said before it.
        assert!(leans_back(
            "Nobody in the region, neither the Kurds nor the Arabs, will benefit from that."
        ));
        assert!(!leans_back(
            "Nobody in the region will benefit from a war that nobody can win."
        ));
        assert!(!leans_back(
            "No qualification of wealth, of birth, of religious faith, or of civil profession is permitted to fetter the judgement of the people."
        ));
    }

    #[test]
    fn the_writers_life_borrowed_words_and_open_ends_are_no_passages() {
        // One "me" is enough to make a passage about the writer's taste.
        assert!(!stands_alone(
            "But I can bear a litter worse than a coach, and a rough agitation upon the water better than a calm."
        ));
        assert!(stands_alone(
            "I think the left needs to make a clear distinction between states and peoples."
        ));
        // Words quoted from someone else, and a passage cut at a colon.
        assert!(!quotable(
            "There is no employment more weak or more strong than entertaining a man's own thoughts, “Quibus vivere est cogitare.”"
        ));
        assert!(!quotable(
            "It is not for outward show that the soul is to play its part, but at home, in the hazards of war:"
        ));
        assert!(quotable(
            "Revenge is a kind of wild justice, which the more man's nature runs to, the more ought law to weed it out."
        ));
    }

    #[test]
    fn promises_merged_headings_and_strangers_make_no_passage() {
        // A last clause that promises what comes after.
        assert!(!quotable(
            "If you will have a young man to put his travel into a little room, and in short time to gather much, this you must do."
        ));
        // A remark on what the essay need or will not explain.
        assert!(!quotable(
            "The necessity of naval protection to external or maritime commerce does not require a particular elucidation, no more than the conduciveness of that species of commerce to the prosperity of a navy."
        ));
        assert!(!quotable(
            "The great difference between the limits of the jury trial in different States is not generally understood; and as it must have considerable influence on the sentence we ought to pass, an explanation of it is necessary."
        ));
        // A heading the scrape ran into the next sentence.
        assert!(!quotable(
            "There are plenty of other options There have been calls to airdrop humanitarian aid to areas under siege."
        ));
        // A "his" with no one before it to be his.
        assert!(!quotable(
            "Perhaps we need only to know how his shores trend and his adjacent country or circumstances, to infer his depth and concealed bottom."
        ));
        assert!(quotable(
            "Every man carries his fortune in his own hands, and only the idle blame chance for their lot."
        ));
        assert!(quotable(
            "In Bacon's age of his own country the courts of princes were still the seat of all power."
        ));
    }

    #[test]
    fn half_a_pair_and_an_argument_carried_on_lean_back() {
        // A pair announced, only its first half quoted.
        assert!(!quotable(
            "Every man hath two birth-days: two days, at least, in every year, which set him upon revolving the lapse of time. The one is that which in an especial manner he termeth his."
        ));
        assert!(quotable(
            "If a new sect have not two properties, fear it not. The one is the supplanting of authority established. The other is the giving license to pleasures."
        ));
        assert!(leans_back("On the same principle, the more multitudinous a representative assembly may be rendered, the more it will partake of the infirmities of the people."));
        assert!(leans_back(
            "But contrariwise, in favor, to use men with much difference and election is good."
        ));
        assert!(leans_back("One is, that to secure at all times the possibility of a definite resolution of the body, it is necessary that the President should have only a casting vote."));
        assert!(leans_back("And, certes, after the same manner that study is a torment to an idle man, so it is of all the rest."));
        assert!(!leans_back("One government can collect and avail itself of the talents and experience of the ablest men."));
        assert!(leans_back("Taxation will consist of duties, and the preceding remark applies with equal force to them."));
        assert!(leans_back("Women, in like manner, are only angry that others may be angry again, in imitation of the laws of love."));
        assert!(leans_back("It is not easy to see how a step of this kind could be avoided; it would prove the destruction of public credit."));
        assert!(leans_back("There are other points of view, in which its influence will appear more immediate and decisive."));
        assert!(leans_back("According to the provisions of most of the constitutions, again, the members of the judiciary are to retain their offices."));
        assert!(leans_back("The legislative department derives a superiority in our governments from other circumstances."));
        assert!(leans_back("Unlike to mankind's mixed characters, a bundle of virtues and vices, inexplicably intertwisted, he is good throughout."));
        assert!(!leans_back("When a prince hears many counsellors in turn and weighs what each says, he is seldom deceived."));
        assert!(leans_back("The people, by throwing themselves into either scale, will infallibly make it preponderate."));
        assert!(!leans_back(
            "A man must either stoutly meet the opposite argument or retire from it."
        ));
        assert!(!quotable("Many activists have left the country. But if the bombs stop falling, there is every reason to believe that those activists will go back."));
        assert!(leans_back("The capricious operation of so dissimilar a method of trial in the same cases is of itself sufficient to indispose every judgment towards it."));
        assert!(!leans_back("No people ever made so great a change in so short a time as the people of this island did."));
        assert!(leans_back("Frequent war and constant apprehension, which require a state of as constant preparation, will infallibly produce them."));
        assert!(!leans_back(
            "Men fear death, and nothing in the world will ever cure them of it."
        ));
        assert!(leans_back("Most of our ladies will cry out, that 'tis monstrous; whereas in truth it is not so, but a truly matrimonial virtue."));
        assert!(!leans_back(
            "'Tis easy to see that custom rules us more than reason does."
        ));
        assert!(leans_back("The constant possibility of the thing must be a fruitful source of influence to that body."));
        assert_eq!(
            nouns_named_by_this("We can hardly connect actors with more awful responsibilities. The death of this fine actor took place shortly after this meeting."),
            vec!["meeting".to_string()]
        );
        // "this rule": a bare form after "this" is a noun, not its verb.
        assert_eq!(
            nouns_named_by_this("Every just reasoner will approve an adherence to this rule in the work of the convention."),
            vec!["rule".to_string()]
        );
        assert!(
            nouns_named_by_this("This rules out any appeal to the courts of another nation.")
                .is_empty()
        );
        assert!(
            nouns_named_by_this("It may rise this year higher than man has ever known it.")
                .is_empty()
        );
    }

    #[test]
    fn things_named_before_voices_lent_and_inventories_make_no_passage() {
        // "That" after a verb or preposition, and "such an …" with no
        // "as" to complete it, name what the passage has not.
        assert!(leans_back(
            "We must use every means at our disposal to counter that propaganda war and to support Syrians."
        ));
        assert!(leans_back(
            "It is not for a man to put himself in such an attitude to society, but to maintain himself in whatever attitude he find himself."
        ));
        assert!(!leans_back(
            "Solidarity is a practice, and a practice of that kind asks more of us than a statement."
        ));
        assert!(!leans_back(
            "No state of any size or age can ever keep in its own hands such a power as the constitution gives without consent."
        ));
        assert!(!leans_back(
            "We argue that people are best served by institutions they can hold to account."
        ));
        // Spoken to "thee": a voice the author lends, not a claim.
        assert!(!quotable(
            "The fear and the compassion that the people have of this disease serve thee for matter of glory."
        ));
        // "Nor" carries a denial made before the passage.
        assert!(!quotable(
            "Nor do I think our old form at school quite pertinent, where grace was said before bread and cheese."
        ));
        assert!(quotable(
            "But it is not the lie that passeth through the mind, but the lie that sinketh in, that doth the hurt."
        ));
        // "However" sets its case against one made before.
        assert!(!quotable(
            "However where the situation is more complex and there are other imperialisms involved, a much weaker or wrong response is evident."
        ));
        // A character's opinion told, and an illustration of a truth
        // stated before.
        assert!(!quotable(
            "That any one should claim four by virtue of holding cards of the same colour! She held this to be a solecism, as pitiful an ambition as alliteration."
        ));
        assert!(leans_back(
            "The boundaries between the great kingdom of nature afford another illustration of the same important truth."
        ));
        // A remark made before, and a thing set against what came before
        // ("the ice itself").
        assert!(leans_back(
            "The remark is verified in private life, and becomes more just in national transactions."
        ));
        assert!(!quotable(
            "But the ice itself is the object of most interest, though you must improve the earliest opportunity to study it."
        ));
        // "Upon't" is "upon it"; a later sentence's "That starched …
        // countenance" was described before the passage.
        assert!(leans_back(
            "There are few who do not mend upon't, and health is a quality that cannot lie."
        ));
        assert!(leans_back(
            "Health is a quality that cannot lie. That starched and ceremonious countenance looks not so much back as forward."
        ));
        assert!(!leans_back(
            "Health is a quality that cannot lie. That is why a widow's grief is soon read."
        ));
        // A list summed up is the essay's sum, not a claim of its own.
        assert!(lists(
            "The failure to fully realize the potential for strategic campaigns, the misunderstanding of the power we possess, and the fundamentally idealistic worldview are all contradictions in the top-down internationalist viewpoint."
        ));
        assert!(!lists(
            "States, parties and unions are all tempted by power, because power protects them."
        ));
        // What a "this" names that the passage has not: the caller keeps
        // the essay's themes ("this weak passion" in an essay on love).
        assert_eq!(
            nouns_named_by_this("Frequent elections are the only policy by which this dependence and sympathy can be secured."),
            ["dependence"]
        );
        assert_eq!(
            nouns_named_by_this("Great spirits and great business do keep out this weak passion."),
            ["passion"]
        );
        assert!(nouns_named_by_this(
            "If with the reward they should mix other commodities, this mixture would debase it."
        )
        .is_empty());
        assert!(nouns_named_by_this(
            "Their feelings, on subjects of this nature, are better than reasons. This is why they fail."
        )
        .is_empty());
        // "The causes already mentioned" were mentioned before the passage.
        assert!(leans_back(
            "Without a stable senate, the esteem of foreign powers will be forfeited by a variable policy, proceeding from the causes already mentioned."
        ));
        // An inventory announced is a list.
        assert!(lists(
            "Among the pretended defects are the re-eligibility of the Executive, the want of a council, the omission of a formal bill of rights, the omission of a provision respecting the liberty of the press."
        ));
        assert!(!lists(
            "Among the duties of a free people is the duty to watch their government, because power left unwatched grows."
        ));
    }

    #[test]
    fn a_concession_without_its_point_is_no_passage_and_odd_phrases_no_anchors() {
        assert!(grants_only("It is true that taxes levied by consent of the estate, do abate men's courage less: as it hath been seen notably, in the excises of the Low Countries."));
        assert!(!grants_only("It is true, that a little philosophy inclineth man's mind to atheism; but depth in philosophy bringeth men's minds about to religion."));
        for odd in [
            "“awake enough”",
            "“sometimes like”",
            "“articles of Confederation”",
            "“man cannot”",
        ] {
            assert!(!idea_anchor(odd), "{odd}");
        }
        assert!(idea_anchor("“rights of property”"));
        // A phrase does not end on a participle without "-ed".
        let paragraphs: Vec<Paragraph> = [
            "All sound heard at the greatest distance produces one effect, like sound waves.",
            "Every sound heard in the woods is a vibration; the sound heard is the lyre of sound waves.",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| Paragraph::plain(i as u32 + 1, t))
        .collect();
        let terms = BTreeMap::from([("sound".to_string(), (1.0, "sound".to_string()))]);
        let phrases = key_phrases(&paragraphs, &terms);
        assert!(
            phrases.iter().any(|(p, _)| p == "sound waves"),
            "{phrases:?}"
        );
        assert!(
            !phrases.iter().any(|(p, _)| p.ends_with("heard")),
            "{phrases:?}"
        );
    }

    #[test]
    fn openings_that_point_back_are_caught_and_forward_pointing_it_is_not() {
        // Each read in the seeds or the corpora, where the passage alone
        // left a reader asking "what does this refer to?".
        for back in [
            "By it they rather manifest that they never loved them till dead.",
            "It is the greatest refreshment to the spirits of man; without which, buildings and palaces are but gross handiworks.",
            "In either supposition, it is certainly desirable that the Executive should be in a situation to dare to act his own opinion with vigor and decision.",
            "With another class of adversaries to the Constitution the language is that the departments are intermixed.",
            "The importance is not the tactics used to confront empire, but rather the focus of strategic action. In all of these instances, organizers targeted capital in material ways.",
            // From the fifteenth blind reading.
            "It is not easy to conceive a plan better calculated than this to promote a judicious choice of men.",
            "In some instances, as has been shown, the powers of the new government will act on the States.",
            "The whole is a passing pageant, where we should sit as unconcerned at the issues.",
            "Soap-ashes likewise, and other things that may be thought of.",
            "How much more, to behold an ancient noble family, which has stood against the waves and weathers of time!",
            "Let us inquire whether one good government is not, relative to the object in question, more competent than any other.",
            "In this context, I would not speak of defence, but of readiness.",
            "A FOURTH objection to the Senate in the capacity of a court of impeachments, is derived from its union with the Executive.",
            "Independent of this motive of sympathy, if a large and influential State should happen to be the aggressing member, it would have weight.",
            "It is essential to the protection of the community against foreign attacks.",
            "It is like that, which the physicians call predigestion, or hasty digestion.",
            "The above dialogue is not so imaginary, but that we have had frequent occasions of breaking off an intimacy.",
            "(But one of the weightiest objections to a plurality in the Executive is, that it tends to conceal faults.",
            "Instead, one should begin one's analysis with what is important for people.",
            "But the ordinary constitution of human bodies is quite otherwise, and their best and chiefest excellency is to be exempt from smell.",
            "The next relation is, to the sources from which the ordinary powers of government are to be derived.",
            // Openings read in the corpora's labelled prompts, each answering
            // or carrying on what the reader has not seen.
            "The one can perform alone what the other can do only with the concurrence of a branch of the legislature.",
            "HAVING shown that no one of the powers transferred to the federal government is unnecessary or improper, the next question to be considered is, whether the whole mass of them will be dangerous.",
            "The consequence clearly is that there can be no common measure of national wealth.",
            "The reason of which is, because study and contemplation do in some sort withdraw from us our soul.",
            "In like manner, there is throughout nature something mocking.",
            "Because the passions of men will not conform to the dictates of reason and justice, without constraint.",
            "It is to be the assent and ratification of the several States.",
            "Pyrrho's hog is here in the same predicament with us.",
            "The power of making treaties is, plainly, neither the one nor the other.",
            "Peradventure, some one may object, that the pain and terror of dying so infinitely exceed all manner of imagination.",
            // "Their": who? (Marx and Engels, two sentences back.)
            "The ecological crisis makes their internationalism even more correct; borders do not stop pollution or global warming.",
            // "Its": whose? (A league of ancient Greece, named before.)
            "Could its interior structure and regular operation be ascertained, it is probable that more light would be thrown by it on the science of federal government.",
        ] {
            assert!(leans_back(back), "{back}");
        }
        // Starting inside another sentence.
        assert!(!quotable("(But one of the weightiest objections to a plurality in the Executive is, that it tends to conceal faults."));
        assert!(!quotable("and I rather excuse a younger brother for exposing what his friends have left him to the courtesy of fortune."));
        for alone in [
            "It is important to emphasize that good intentions are not enough.",
            "It is sad that a large part of the Western left regards non-Western forms of imperialism as alternatives.",
            "Defending oneself is not an ideological question for Ukrainians, but an existential struggle for survival.",
            "A constitution is, in fact, and must be regarded by the judges, as a fundamental law.",
            "The State governments may be regarded as constituent and essential parts of the federal government.",
            "There is in every breast a sensibility to marks of honor, of favor, of esteem, and of confidence.",
            "The aim of every political constitution is, or ought to be, first to obtain for rulers men who possess most wisdom.",
            "Syrians strongly identify with the people in Iraq or Palestine and their struggles.",
            "Workers must defend their unions against the state.",
            "The modern nation-state derives its authority from popular sovereignty.",
            // What "these" names is in the passage; "either … or" chooses.
            "Organizers targeted capital in three instances. In all of these instances, the results were tangible.",
            "We can either wait for the state or organise ourselves.",
            "If we treat democracy as a guiding principle, internationalism can only be achieved if it is freely chosen. This implies that people must be free to choose it.",
            "The prudence which secures an outward well-being is not to be studied by one set of men, whilst heroism and holiness are studied by another.",
        ] {
            assert!(!leans_back(alone), "{alone}");
        }
    }

    #[test]
    fn lists_speculation_and_others_reasons_are_not_arguments_to_weigh() {
        assert!(lists("Kings have to deal with their neighbors, their wives, their children, their prelates or clergy, their nobles, their merchants, their commons, and their men of war."));
        assert!(lists("The office of judges may have reference unto the parties that use, unto the advocates that plead, unto the clerks and ministers of justice underneath them, and to the sovereign above them."));
        assert!(!lists("We need a useful international where radical activists can learn from each other and our history so as to more effectively build a socialist project through trade union, community, feminist, anti-racist, LGBT+ struggles and campaigns."));
        assert!(SPECULATES.is_match("It is definitely something to watch: who is going to call the shots in Syria over the next period."));
        assert!(SPECULATES.is_match(
            "Trump is going to continue the isolationist position which Obama has followed."
        ));
        assert!(
            !SPECULATES.is_match("The left has just abandoned any responsibility towards Syria.")
        );
        // A forecast of the work ahead.
        assert!(SPECULATES.is_match(
            "The most laborious task will be the proper inauguration of the government and the primeval formation of a federal code."
        ));
        assert!(!SPECULATES
            .is_match("A nation will be governed by its interests, not by its sympathies."));
        // A count or an announcement of examples is no claim; a count
        // that leads to a conclusion is, and so is an aphorism's "There is".
        assert!(counts(
            "There are more than a million people living under siege conditions in Syria."
        ));
        assert!(counts("There are a number of ways that practical campaigns targeting international capital flows can work, and each will be specific to local conditions."));
        assert!(!counts("There are tens of thousands of people under siege. So they are effectively in an open-air prison."));
        assert!(!counts(
            "There is no man doth a wrong, for the wrong's sake."
        ));
        // A word that qualifies a group or a view is no anchor of its own.
        assert!(qualifies(" groups from operating"));
        assert!(qualifies(" Viewpoint."));
        assert!(!qualifies(" to the invasion"));
        assert!(!qualifies("groups"));
        let phrases = [("top-down internationalist".to_string(), 1.0)];
        assert_eq!(
            anchor_of(
                "These are all contradictions in the top-down internationalist viewpoint.",
                &[],
                &phrases
            ),
            None
        );
        assert_eq!(
            anchor_of(
                "The top-down internationalist trusts the state.",
                &[],
                &phrases
            )
            .as_deref(),
            Some("“top-down internationalist”")
        );
        // An instance is not what the passage argues about.
        assert!(in_example(
            "calls against the massive war crimes that are happening, such as the targeting of "
        ));
        assert!(!in_example("such as these, and the "));
        assert!(!in_example("the targeting of "));
        assert!(in_example("We should meet each morning as from "));
        assert!(!in_example("We should meet each morning as friends from "));
        // "In the sense in which it is here used" leans on the text before.
        assert!(leans_back("The power of influencing a person, in the sense in which it is here used, must imply a power of conferring a benefit upon him."));
        assert!(leans_back("The argument under the present head may be put into a very concise form, which appears altogether conclusive."));
        assert!(leans_back(
            "We should not march our people very far at that rate."
        ));
        assert!(!quotable("The vicissitude of mutations in the superior globe, are no fit matter for this present argument."));
        // A Latin tag inside the passage.
        assert!(!quotable("Cum non sis qui fueris, non esse cur velis vivere. Nay, retire men cannot when they would."));
        assert!(!quotable("We must be Lovers--or at least the cooling touch of time, the circum præcordia frigus, must not have so damped our faculties."));
        assert!(quotable("Reason directs that we should always go the same way, but not always at the same pace."));
        // A word on the essay's own course: what it will not go into.
        assert!(!quotable("The variety of more minute interests, which will necessarily fall under the superintendence of the local administrations, cannot be particularized, without involving a detail too tedious and uninteresting to compensate for the instruction it might afford."));
        // The writer's own "My" at the start is about the writer too.
        assert!(!stands_alone(
            "My virtue is a virtue, or rather an innocence, casual and accidental."
        ));
        // A word on the collection is about the text, not the argument.
        assert!(!quotable("The articles cover a wide range of views and are helpful in understanding the current state of internationalist debate on the U.S. left today."));
        // The "because" belongs to the people she answers.
        let theirs = "And they are criticizing the Syrian opposition because there are not enough women present in the protests.";
        assert!(reason_of(theirs).is_none());
        assert!(!Marks::of(theirs).causal);
        assert_eq!(
            reason_of("Undemocratic government precludes joining a community of equals because such a system inherently rejects equality.").as_deref(),
            Some("because such a system inherently rejects equality")
        );
        // A reason for not knowing, a reason to think: no causal story.
        assert!(!Marks::of("We don't know because the information coming out of Syria is very hard to verify at the moment.").causal);
        assert!(!Marks::of("To judge from the conduct of the opposite parties, we shall be led to conclude that they will mutually hope to evince the justness of their opinions.").causal);
        assert!(Marks::of("The Ukrainian tragedy is that one wishes for intervention from outside because one is completely powerless oneself.").causal);
        // "Causes" as a noun explains nothing.
        assert!(!Marks::of("The causes of hostility among nations are innumerable.").causal);
        // "Let us" is no call to act; nor is "we need to make distinctions".
        assert!(!Marks::of("Ambition, avarice, cruelty, and revenge have not sufficient natural impetuosity of their own; let us bait them with the glorious titles of justice and devotion.").prescription);
        assert!(!Marks::of("I think we need to make distinctions: there are leftists that have done a lot of work in solidarity.").prescription);
        // "Good will" is a noun, not a future.
        assert!(narrates(
            "Field never used the rod; and in truth he wielded the cane with no great good will."
        ));
    }

    #[test]
    fn anchors_are_names_of_ideas_not_fragments() {
        // A group's head noun alone names no idea ("grassroots movements"
        // is about the movements' kind); an abstract noun does.
        assert!(!good_single_anchor("movements"));
        assert!(!good_single_anchor("parties"));
        assert!(good_single_anchor("solidarity"));
        assert!(idea_anchor("“international institutions”"));
        assert!(abstract_noun("“international institutions”"));
        assert!(abstract_noun("“communities”"));
        assert!(!abstract_noun("“foreign nations”"));
        assert!(!idea_anchor("“faults and destroy responsibility”"));
        assert!(idea_anchor("“knowledge and virtue”"));
    }

    #[test]
    fn descriptions_have_few_words_for_ideas() {
        assert!(idea_words("You may see from a boat, in calm weather, near the sandy eastern shore, some circular heaps half a dozen feet in diameter.") < 2);
        assert!(idea_words("Internationalism is not a luxury but a survival mechanism for movements from below.") >= 2);
        assert!(idea_words("There is no vice, that doth so cover a man with shame, as to be found false and perfidious.") >= 2);
    }
}
