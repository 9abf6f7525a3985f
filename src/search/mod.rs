//! Finding quotes for a topic and the source of a pasted quote.

pub mod align;
pub mod cite;
pub mod paraphrase;
pub mod query;
pub mod quote;
pub mod roles;
pub mod semantic;
pub mod verdict;
