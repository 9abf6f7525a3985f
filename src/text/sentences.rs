//! Sentence segmentation with byte offsets.
//!
//! A rule-based splitter: a sentence ends at `.`, `?` or `!` (with any closing
//! quotes or brackets) followed by white space and a character that can open a
//! sentence. Abbreviations ("Dr.", "vol.", "e.g.") and initials ("Travis S.")
//! do not end a sentence.

use crate::model::Sentence;

/// Abbreviations after which a period does not end a sentence (lowercase, no dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vol", "vols", "no", "nos", "p", "pp", "cf",
    "vs", "etc", "e.g", "i.e", "ed", "eds", "trans", "ch", "chap", "fig", "art", "gen", "col",
    "capt", "lt", "sgt", "gov", "rev", "hon", "mt", "ft", "approx", "dept", "est", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "viz", "ibid", "op",
    "cit", "lib", "b", "c", "v", "u.s", "u.k", "u.n",
];

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '*' | '_')
}

fn can_open_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_numeric()
        || matches!(
            c,
            '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '¿' | '¡' | '—' | '-' | '*'
        )
        || (!c.is_lowercase() && c.is_alphabetic())
}

/// The word (letters and inner dots) that ends right before byte `end`.
fn word_before(text: &str, end: usize) -> &str {
    let head = &text[..end];
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    &head[start..]
}

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    if w.is_empty() {
        return false;
    }
    // A single capital letter is an initial ("Travis S.", "J. S. Mill").
    let mut chars = w.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return true;
        }
    }
    let lower = w.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Split `text` into sentences; offsets are bytes, trimmed of surrounding space.
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '?' | '!' | '…') {
            // Swallow runs of terminal punctuation and closing marks.
            let mut j = i + 1;
            while j < chars.len()
                && (matches!(chars[j].1, '.' | '?' | '!' | '…') || is_closing(chars[j].1))
            {
                j += 1;
            }
            let end = chars.get(j).map(|x| x.0).unwrap_or(text.len());
            // Needs white space, then something that can open a sentence.
            let mut k = j;
            let mut saw_space = false;
            while k < chars.len() && chars[k].1.is_whitespace() {
                saw_space = true;
                k += 1;
            }
            let boundary = saw_space
                && k < chars.len()
                && can_open_sentence(chars[k].1)
                && !(c == '.' && j == i + 1 && is_abbreviation(word_before(text, pos)));
            if boundary {
                push_trimmed(text, start, end, &mut out);
                start = chars[k].0;
                i = k;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if slice.trim().is_empty() {
        return;
    }
    out.push(Sentence {
        start: (start + lead) as u32,
        end: (end - trail) as u32,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t)
            .iter()
            .map(|s| &t[s.start as usize..s.end as usize])
            .collect()
    }

    #[test]
    fn splits_simple_sentences() {
        assert_eq!(
            texts("One thing. Another? Yes! Done"),
            vec!["One thing.", "Another?", "Yes!", "Done"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        assert_eq!(
            texts("Dr. Smith met Mrs. Levy. Travis S. is an organizer. See vol. 3 of it."),
            vec![
                "Dr. Smith met Mrs. Levy.",
                "Travis S. is an organizer.",
                "See vol. 3 of it."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_sentence() {
        assert_eq!(
            texts("He said “it is over.” Then he left."),
            vec!["He said “it is over.”", "Then he left."]
        );
    }

    #[test]
    fn lowercase_after_period_is_not_a_boundary() {
        assert_eq!(
            texts("the U.S. empire is vast. Yes."),
            vec!["the U.S. empire is vast.", "Yes."]
        );
    }
}
