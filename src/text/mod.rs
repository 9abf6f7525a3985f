//! Text utilities shared by ingestion, search and citation matching.

pub mod normalize;
pub mod sentences;
pub mod stopwords;
