//! YAML front matter (`---` … `---`) at the top of a file.

use serde::Deserialize;

/// The keys we read from front matter; others are ignored.
#[derive(Debug, Default, Deserialize)]
pub struct FrontMatter {
    /// Stable id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// One author (may name several: "A with B").
    pub author: Option<StringOrList>,
    /// Several authors.
    pub authors: Option<StringOrList>,
    /// Publication date.
    pub date: Option<serde_yaml_ng::Value>,
    /// Source URL.
    pub url: Option<String>,
    /// Source (URL or provenance note).
    pub source: Option<String>,
    /// Publication or site.
    pub publication: Option<String>,
    /// Collection the essay belongs to.
    pub collection: Option<String>,
}

/// A YAML value that may be one string or a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum StringOrList {
    /// One.
    One(String),
    /// Many.
    Many(Vec<String>),
}

impl StringOrList {
    /// As a list.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            StringOrList::One(s) => vec![s],
            StringOrList::Many(v) => v,
        }
    }
}

/// Split `text` into front matter and body. `Ok(None)` when there is none;
/// `Err` with a message when it is there but does not parse.
pub fn split(text: &str) -> Result<Option<(FrontMatter, &str)>, String> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Ok(None);
    };
    let Some(end) = rest
        .find("\n---\n")
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len()))
    else {
        return Err("front matter opened with `---` is never closed".into());
    };
    let yaml = &rest[..end];
    let body = rest.get(end + 5..).unwrap_or("");
    let fm: FrontMatter = if yaml.trim().is_empty() {
        FrontMatter::default()
    } else {
        serde_yaml_ng::from_str(yaml).map_err(|e| format!("front matter does not parse: {e}"))?
    };
    Ok(Some((fm, body)))
}

/// A YAML date value as text (YAML may read `2024-01-02` or `1580` as non-strings).
pub fn date_text(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
