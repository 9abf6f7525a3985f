//! Reading a passage before asking about it: what it does (claims,
//! reasons, concedes, calls to act, contrasts, or only tells a story or
//! quotes someone), and what it is about (the essay's key terms and
//! repeated phrases, chosen as the passage's anchor).

use crate::index;
use crate::library::Snapshot;
use crate::model::Paragraph;
use crate::search::query::idf;
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

pub(super) static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(must|should|need to|needs to|have to|has to|cannot|can only|ought to|i believe|i think|we need|the point is|the task|requires?|it is (?:sad|important|essential|necessary|clear|true|time)|is not\b.{1,60}\bbut)\b").unwrap()
});
pub(super) static CONTRAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(however|rather than|instead of|whereas|on the other hand|but rather|in contrast|on the contrary)\b").unwrap()
});
pub(super) static CAUSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(because|therefore|leads? to|led to|as a result|consequently|thus|so that|means that|which is why|caused|causes|the reason|in order to|results? in)\b").unwrap()
});
pub(super) static CONCESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(although|even though|even if|of course|admittedly|granted|it is true that|to be sure|i accept|we must acknowledge|while it is true)\b").unwrap()
});
pub(super) static PRESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(we (?:must|should|need to|have to|ought to)|(?:left|socialists|activists|internationalists|progressives|movements?|people|one|everyone) (?:must|should|needs? to|has to|have to|ought to)|it is (?:necessary|essential|vital|important|urgent) (?:to|that)|let us|our task|the task is)\b").unwrap()
});
/// Sentences that are about the text rather than the argument: credits,
/// notes on publication or translation, thanks.
pub(super) static DISCLAIMER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(this (?:article|piece|interview|text|essay|talk) (?:was|is|first|originally|has been)|the views expressed|translated (?:by|from|into)|edited (?:by|for)|i would like to thank|we would like to thank|thanks to|subscribe|click here|read more|image credit|photo(?:graph)? by|all rights reserved|copyright)\b").unwrap()
});
pub(super) static PRESENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(is|are|doth|hath|makes|gives|has|have|can|will|cannot)\b").unwrap()
});
pub(super) static PAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(was|were|had|did|said|went|came|took|saw)\b|\b\w{3,}ed\b").unwrap()
});
pub(super) static BECAUSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bbecause\b").unwrap());
pub(super) static LOOKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(1[0-9]{3}|20[0-9]{2}|[0-9]+(,[0-9]{3})*%?)\b").unwrap());

/// Words too general to be what a passage is about.
pub(super) const GENERIC: &[&str] = &[
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
pub(super) fn content_word(w: &str) -> bool {
    let lower = w.to_lowercase();
    w.chars().count() >= 3
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
        && !crate::text::stopwords::is_stopword(&lower)
        && !GENERIC.contains(&lower.as_str())
}

/// A single word fit to say what a passage is about: a common noun of the
/// argument. Capitalised words are names or labels ("Syria", "Western"),
/// and adjectives name no subject on their own ("political", "Russian").
pub(super) fn good_single_anchor(w: &str) -> bool {
    const ADJECTIVE_ENDS: &[&str] = &[
        "al", "ive", "ous", "ic", "ful", "less", "able", "ible", "ary", "ian", "ish", "ese", "ern",
        "ed", "ing", "ly",
    ];
    w.chars().next().is_some_and(char::is_lowercase)
        && content_word(w)
        && !ADJECTIVE_ENDS.iter().any(|e| w.ends_with(e))
}

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
pub(super) fn names_an_idea(anchor: &str) -> bool {
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
    names_an_idea(anchor) && ENDS.iter().any(|e| last.ends_with(e))
}

/// An anchor a question can be about: an abstract noun, or a phrase of
/// several words that names an idea (not a verb phrase: "facilitate
/// international capital"). A concrete noun ("grape", "weapons") reads
/// oddly as a topic, so the question then goes without one.
pub(super) fn idea_anchor(anchor: &str) -> bool {
    const VERB_ENDS: &[&str] = &["ate", "ize", "ise", "ify"];
    let inner = anchor.trim_matches(['“', '”']);
    let first = inner.split(' ').next().unwrap_or("");
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
        text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .find(|w| index::analyze(w).first() == Some(*stem))
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

/// True when a passage holds a quoted span long enough to be speech or a
/// quotation (a scare-quoted word or title is shorter).
pub(super) fn quotes_speech(text: &str) -> bool {
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
    let m = BECAUSE.find(text)?;
    let rest = text[m.start()..]
        .split(['.', ';', '?', '!', '\n'])
        .next()?
        .trim_end_matches([',', ':', ' ', '”', '"']);
    let words = rest.split_whitespace().count();
    (3..=14).contains(&words).then(|| rest.to_string())
}
