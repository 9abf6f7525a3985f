//! Discussion prompts written from the essays themselves, without an LLM:
//! candidate passages (claims, contrasts, causal links, key terms, speaker
//! turns) are found, ranked by how central and self-contained they are, and
//! paired with an open question of a fitting kind.

mod generate;
mod passages;
mod pick;
pub mod wording;

pub use generate::{essay_pool, PromptEngine};
pub use pick::{pick, Picked};

use crate::citation::Citation;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// What a prompt asks the circle to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PromptKind {
    /// What does the author mean by X?
    Interpretive,
    /// Do you agree? What would it take for this to hold?
    Evaluative,
    /// What must be true for this? What evidence would convince you?
    Assumption,
    /// How would this apply to …?
    Application,
    /// Two passages on one theme: how do they differ?
    Comparison,
    /// An organiser's own question.
    Custom,
}

/// All kinds, in display order.
pub const KINDS: [PromptKind; 6] = [
    PromptKind::Interpretive,
    PromptKind::Evaluative,
    PromptKind::Assumption,
    PromptKind::Application,
    PromptKind::Comparison,
    PromptKind::Custom,
];

impl PromptKind {
    /// Lowercase name.
    pub fn as_str(&self) -> &'static str {
        match self {
            PromptKind::Interpretive => "interpretive",
            PromptKind::Evaluative => "evaluative",
            PromptKind::Assumption => "assumption",
            PromptKind::Application => "application",
            PromptKind::Comparison => "comparison",
            PromptKind::Custom => "custom",
        }
    }
}

impl fmt::Display for PromptKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PromptKind {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_lowercase();
        KINDS
            .iter()
            .find(|k| k.as_str() == s || (s == "evidence" && **k == PromptKind::Assumption))
            .copied()
            .ok_or_else(|| {
                crate::Error::InvalidInput(format!(
                    "unknown prompt kind `{s}`: use interpretive, evaluative, assumption, application, comparison or custom"
                ))
            })
    }
}

/// A passage a prompt quotes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Passage {
    /// Essay id.
    pub essay_id: String,
    /// Essay title.
    pub title: String,
    /// Speaker (interviews).
    pub speaker: Option<String>,
    /// Paragraph number.
    pub paragraph: u32,
    /// Verbatim quote: one to three whole sentences.
    pub quote: String,
    /// Formatted citation.
    pub citation: String,
    /// The citation in parts.
    #[serde(skip)]
    pub cite: Option<Citation>,
}

/// A discussion prompt anchored to one passage (two for comparisons).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Prompt {
    /// Stable id (for history, bans and buttons).
    pub id: String,
    /// The question.
    pub question: String,
    /// Its kind.
    pub kind: PromptKind,
    /// Essay id of the (first) passage.
    pub essay_id: String,
    /// Essay title.
    pub title: String,
    /// Speaker of the passage.
    pub speaker: Option<String>,
    /// Paragraph.
    pub paragraph: u32,
    /// Verbatim quote.
    pub quote: String,
    /// Citation, plain text.
    pub citation: String,
    /// Citation as Markdown (the container in italics).
    #[serde(default)]
    pub citation_md: String,
    /// The second passage of a comparison.
    pub compare_with: Option<Passage>,
    /// Rank score (higher is better).
    pub score: f32,
    /// The member who suggested it (a display name, shown as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_by: Option<String>,
    /// Which wording it has (shape and phrasing), so a circle never gets
    /// the same wording twice in a row; empty for organisers' questions.
    #[serde(skip)]
    pub template: String,
}
