//! Text utilities shared by ingestion, search and citation matching.

pub mod case;
pub mod lexicon;
pub mod normalize;
pub mod rhetoric;
pub mod sentences;
pub mod stopwords;

/// "1 paragraph", "3 paragraphs".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A URL- and command-friendly id: lowercase letters, digits and dashes.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(80).collect()
}

/// The first `n` words of `text`, lower case, without the punctuation
/// around them ("“This," → "this").
pub fn first_words(text: &str, n: usize) -> Vec<String> {
    text.split_whitespace()
        .take(n)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect()
}
