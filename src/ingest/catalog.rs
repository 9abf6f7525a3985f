//! `catalog.toml`: metadata for essays whose text lacks it.
//!
//! ```toml
//! [[essay]]
//! file = "week-3/reading.txt"   # relative to the library folder
//! title = "On Solidarity"
//! authors = ["Ada Lovelace"]
//! date = "2024-03-12"
//! url = "https://example.org/on-solidarity"
//! publication = "Example Review"
//! ```
//! Values given here win over what is detected in the text.

use super::dates::parse_date;
use crate::model::EssayMeta;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The catalog's file name inside a library folder.
pub const CATALOG_FILE: &str = "catalog.toml";

/// One essay's metadata overrides.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The file, relative to the library folder.
    pub file: String,
    /// Id override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Title override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Authors override.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Source URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication or site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<String>,
    /// The circle that uploaded it (written by `/library add`): only that
    /// circle sees the essay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circle: Option<String>,
}

impl CatalogEntry {
    /// Overwrite detected metadata with what the catalog says.
    pub fn apply(&self, meta: &mut EssayMeta) {
        if let Some(id) = &self.id {
            meta.id = crate::text::slugify(id);
        }
        // The catalog's title, date and URL describe the version it cites.
        if self.title.is_some() || self.url.is_some() {
            meta.url_title = None;
        }
        if self.date.is_some() || self.url.is_some() {
            meta.url_date = None;
        }
        if let Some(t) = &self.title {
            meta.title = t.clone();
        }
        if !self.authors.is_empty() {
            meta.authors = self.authors.clone();
        }
        if let Some(d) = self.date.as_deref().and_then(parse_date) {
            meta.date = Some(d);
        }
        if let Some(u) = &self.url {
            meta.url = Some(u.clone());
        }
        if let Some(p) = &self.publication {
            meta.publication = Some(p.clone());
        }
        if let Some(c) = &self.circle {
            meta.owner = Some(c.clone());
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CatalogFile {
    #[serde(default)]
    essay: Vec<CatalogEntry>,
}

/// All catalog entries of a library, by relative file path.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    entries: HashMap<String, CatalogEntry>,
}

impl Catalog {
    /// Read `catalog.toml` from `dir`; a missing file is an empty catalog.
    pub fn load(dir: &Path) -> Result<Catalog, String> {
        let path = dir.join(CATALOG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Catalog::default()),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let file: CatalogFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Catalog {
            entries: file
                .essay
                .into_iter()
                .map(|e| (e.file.clone(), e))
                .collect(),
        })
    }

    /// The entry for a file, if any.
    pub fn get(&self, rel_path: &str) -> Option<&CatalogEntry> {
        self.entries.get(rel_path)
    }

    /// Add or replace an entry in memory.
    pub fn insert(&mut self, entry: CatalogEntry) {
        self.entries.insert(entry.file.clone(), entry);
    }

    /// Add or replace an entry and write the catalog to `dir`.
    pub fn upsert_and_save(&mut self, dir: &Path, entry: CatalogEntry) -> std::io::Result<()> {
        self.entries.insert(entry.file.clone(), entry);
        self.save(dir)
    }

    /// Remove an entry and write the catalog.
    pub fn remove_and_save(&mut self, dir: &Path, rel_path: &str) -> std::io::Result<()> {
        self.entries.remove(rel_path);
        self.save(dir)
    }

    fn save(&self, dir: &Path) -> std::io::Result<()> {
        let mut essay: Vec<CatalogEntry> = self.entries.values().cloned().collect();
        essay.sort_by(|a, b| a.file.cmp(&b.file));
        let text = toml::to_string_pretty(&CatalogFile { essay }).map_err(std::io::Error::other)?;
        crate::fsutil::write_atomic(&dir.join(CATALOG_FILE), text.as_bytes())
    }
}
