//! Title case (MLA 9, Chicago 17) and sentence case (APA 7) for titles.
//!
//! Both keep a word's own capitals when it has capitals past its first
//! letter ("openDemocracy", "U.S.", "WOZ"): those are names whose spelling is
//! theirs. Sentence case also needs to know which words are proper nouns;
//! the caller says, usually from how the essay itself writes the word.

/// Articles, prepositions, coordinating conjunctions and the infinitive
/// "to": lower case inside a title (MLA 9 §1.2, CMOS 17 8.159), whatever
/// their length.
const MINOR: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "but",
    "for",
    "nor",
    "or",
    "so",
    "yet",
    "as",
    "to",
    "of",
    "in",
    "on",
    "at",
    "by",
    "up",
    "via",
    "per",
    "from",
    "into",
    "onto",
    "upon",
    "with",
    "within",
    "without",
    "about",
    "above",
    "across",
    "after",
    "against",
    "along",
    "amid",
    "among",
    "around",
    "before",
    "behind",
    "below",
    "beneath",
    "beside",
    "besides",
    "between",
    "beyond",
    "despite",
    "down",
    "during",
    "except",
    "inside",
    "like",
    "near",
    "off",
    "out",
    "outside",
    "over",
    "past",
    "since",
    "than",
    "through",
    "throughout",
    "toward",
    "towards",
    "under",
    "underneath",
    "until",
    "unlike",
    "versus",
    "vs",
    "via",
];

/// Characters that open a title or subtitle inside a title: the word after
/// them starts a (sub)title and is capitalized.
const OPENERS: &[char] = &['\u{2018}', '\u{201c}', '"', '\'', '(', '['];

/// One word split into leading punctuation, the word, trailing punctuation.
fn split_word(token: &str) -> (&str, &str, &str) {
    let start = token
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map(|(i, _)| i)
        .unwrap_or(token.len());
    let end = token
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(start);
    (&token[..start], &token[start..end], &token[end..])
}

/// A word whose capitals are its own: any capital after the first letter.
fn has_inner_capitals(word: &str) -> bool {
    word.chars().skip(1).any(char::is_uppercase)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn lower_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where each word of a title stands: the first word of the title or of a
/// subtitle (after a colon, a dash, or an opening quotation mark), and the
/// last word of either.
struct Positions {
    starts: Vec<bool>,
    ends: Vec<bool>,
}

fn positions(tokens: &[&str]) -> Positions {
    let n = tokens.len();
    let mut starts = vec![false; n];
    let mut ends = vec![false; n];
    let mut next_starts = true;
    for (i, t) in tokens.iter().enumerate() {
        let (lead, word, trail) = split_word(t);
        if word.is_empty() {
            // A lone dash or colon: what follows starts a subtitle.
            if t.contains([':', '\u{2014}', '\u{2013}']) {
                next_starts = true;
                if i > 0 {
                    ends[i - 1] = true;
                }
            }
            continue;
        }
        starts[i] = next_starts || lead.contains(OPENERS);
        next_starts = trail.contains([':', '?', '!', '\u{2014}']);
        if next_starts || trail.contains(['\u{2019}', '\u{201d}', '"']) {
            ends[i] = true;
        }
    }
    if let Some(last) = (0..n).rev().find(|&i| !split_word(tokens[i]).1.is_empty()) {
        ends[last] = true;
    }
    Positions { starts, ends }
}

/// Title case as MLA 9 and Chicago 17 give it: every word capitalized but
/// articles, prepositions, coordinating conjunctions and "to", which stay
/// lower case unless they open or close the title or a subtitle. The parts
/// of a hyphenated compound follow the same rule.
pub fn title_case(title: &str) -> String {
    let tokens: Vec<&str> = title.split_whitespace().collect();
    let pos = positions(&tokens);
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let (lead, word, trail) = split_word(t);
        if word.is_empty() {
            out.push(t.to_string());
            continue;
        }
        if has_inner_capitals(word) {
            // "al-Shami", "openDemocracy": spelled as their owners spell them.
            out.push(t.to_string());
            continue;
        }
        let last_part = word.split('-').count() - 1;
        let parts: Vec<String> = word
            .split('-')
            .enumerate()
            .map(|(k, part)| {
                let minor = MINOR.contains(&part.to_lowercase().as_str());
                let edge = (k == 0 && pos.starts[i]) || (k == last_part && pos.ends[i]);
                if minor && !edge {
                    part.to_lowercase()
                } else {
                    capitalize(part)
                }
            })
            .collect();
        out.push(format!("{lead}{}{trail}", parts.join("-")));
    }
    out.join(" ")
}

/// Sentence case as APA 7 gives it: the first word of the title and of a
/// subtitle capitalized, proper nouns kept, every other word lower case.
/// `is_proper` says whether a word (as the title spells it) is a proper noun,
/// or `None` when nothing tells (the word then keeps the title's spelling);
/// it is also asked about two capitalized neighbours written as one
/// ("OpenLeft" makes "Open Left" a name).
pub fn sentence_case(title: &str, is_proper: impl Fn(&str) -> Option<bool>) -> String {
    let tokens: Vec<&str> = title.split_whitespace().collect();
    let pos = positions(&tokens);
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let (lead, word, trail) = split_word(t);
        if word.is_empty() {
            out.push(t.to_string());
            continue;
        }
        let capitalized = |j: usize| {
            tokens
                .get(j)
                .map(|t| split_word(t).1)
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        };
        let in_compound_name = |a: Option<&str>, b: Option<&str>| match (a, b) {
            (Some(a), Some(b)) => is_proper(&format!("{a}{b}")) == Some(true),
            _ => false,
        };
        let named = in_compound_name(capitalized(i), capitalized(i + 1))
            || (i > 0 && in_compound_name(capitalized(i - 1), capitalized(i)));
        let cased = if pos.starts[i] {
            capitalize(word)
        } else if has_inner_capitals(word) || word == "I" || named || is_proper(word) != Some(false)
        {
            word.to_string()
        } else {
            lower_first(word)
        };
        out.push(format!("{lead}{cased}{trail}"));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_follows_mla_and_chicago() {
        assert_eq!(
            title_case("What internationalism do we need today?"),
            "What Internationalism Do We Need Today?"
        );
        assert_eq!(
            title_case("The contradictions of internationalism from above"),
            "The Contradictions of Internationalism from Above"
        );
        assert_eq!(
            title_case("Internationalism Is Not a Luxury, but a Survival Mechanism"),
            "Internationalism Is Not a Luxury, but a Survival Mechanism"
        );
        // A quoted subtitle starts again; prepositions stay low whatever
        // their length; names keep their own capitals.
        assert_eq!(
            title_case("Alep, the West, Russia & Syria: ‘Tyrants across the world know now they can maintain power through mass slaughter.’"),
            "Alep, the West, Russia & Syria: ‘Tyrants across the World Know Now They Can Maintain Power through Mass Slaughter.’"
        );
        assert_eq!(
            title_case("a letter to openDemocracy"),
            "A Letter to openDemocracy"
        );
        assert_eq!(
            title_case("what the U.S. left is for"),
            "What the U.S. Left Is For"
        );
        assert_eq!(
            title_case("anti-war and self-defence"),
            "Anti-War and Self-Defence"
        );
    }

    #[test]
    fn sentence_case_keeps_proper_nouns_and_subtitle_starts() {
        let proper = |w: &str| Some(["West", "Russia", "Syria", "Alep", "OpenLeft"].contains(&w));
        assert_eq!(
            sentence_case(
                "Internationalism Is Not a Luxury, but a Survival Mechanism",
                proper
            ),
            "Internationalism is not a luxury, but a survival mechanism"
        );
        assert_eq!(
            sentence_case(
                "Toward a Modern Theory of Internationalism: The Case of Russia",
                proper
            ),
            "Toward a modern theory of internationalism: The case of Russia"
        );
        assert_eq!(
            sentence_case(
                "Alep, the West, Russia & Syria: ‘Tyrants across the world’",
                proper
            ),
            "Alep, the West, Russia & Syria: ‘Tyrants across the world’"
        );
        assert_eq!(
            sentence_case("Why The U.S. Matters", proper),
            "Why the U.S. matters"
        );
        assert_eq!(
            sentence_case("Interview for Open Left", proper),
            "Interview for Open Left"
        );
        // A word nothing tells about keeps the title's spelling.
        assert_eq!(
            sentence_case("Notes From Alep", |_| None),
            "Notes From Alep"
        );
    }
}
