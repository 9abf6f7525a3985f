//! Text utilities shared by ingestion, search and citation matching.

pub mod case;
pub mod normalize;
pub mod sentences;
pub mod stopwords;

/// "1 paragraph", "3 paragraphs".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
