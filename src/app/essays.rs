//! The library as a circle sees it: listing, one essay, its text, and the
//! circle's own uploads.

use super::App;
use crate::error::{Error, Result};
use crate::ingest::catalog::CatalogEntry;
use crate::model::{EssayRecord, Paragraph};
use std::sync::Arc;

/// An essay file an organiser adds, with what the text may not say.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The file's name (`.txt` or `.md`).
    pub filename: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Title, if the text does not say.
    pub title: Option<String>,
    /// Author, if the text does not say.
    pub author: Option<String>,
    /// Date, `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    pub date: Option<String>,
    /// Source URL.
    pub url: Option<String>,
}

/// An essay with its paragraphs (the locators).
#[derive(Debug, Clone)]
pub struct EssayText {
    /// The essay.
    pub record: EssayRecord,
    /// Its paragraphs, numbered from 1.
    pub paragraphs: Vec<Paragraph>,
}

impl App {
    /// The essays the circle sees, in library order (a snapshot: cheap to
    /// hold, never changes under the caller).
    pub fn essays(&self, circle: Option<&str>) -> Arc<crate::library::Snapshot> {
        self.view(circle)
    }

    /// One essay, by id or part of its title.
    pub fn essay(&self, circle: Option<&str>, essay: &str) -> Result<EssayRecord> {
        let snap = self.view(circle);
        Ok(snap.essays()[snap.resolve_essay(essay)?].clone())
    }

    /// One essay and its paragraphs.
    pub fn essay_text(&self, circle: Option<&str>, essay: &str) -> Result<EssayText> {
        let snap = self.view(circle);
        let record = snap.essays()[snap.resolve_essay(essay)?].clone();
        let paragraphs = snap.paragraphs(&record.meta.id)?;
        Ok(EssayText { record, paragraphs })
    }

    /// Whether a file of this name and size may be uploaded at all (checked
    /// before it is downloaded, and again by [`App::add_essay`]).
    pub fn check_upload(&self, filename: &str, size: u64) -> Result<()> {
        let lower = filename.to_lowercase();
        if !(lower.ends_with(".txt") || lower.ends_with(".md")) {
            return Err(Error::InvalidInput("attach a .txt or .md file".into()));
        }
        let max = self.config.discord.max_upload_bytes;
        if size > max {
            return Err(Error::InvalidInput(format!(
                "that file is {} KB; the limit is {} KB",
                size.div_ceil(1024),
                max / 1024
            )));
        }
        Ok(())
    }

    /// Add an essay to the circle's own essays (only it sees them), indexed
    /// at once. Refused with a clear reason when the file or the details
    /// are unusable, the id is taken, or the circle's quota is full.
    pub fn add_essay(&self, circle: Option<&str>, upload: Upload) -> Result<EssayRecord> {
        let Some(circle) = circle else {
            return Err(Error::InvalidInput(
                "essays are added to a circle's own library: run this in your server (or give --circle ID); the shared library is the operator's folder".into(),
            ));
        };
        self.check_upload(&upload.filename, upload.bytes.len() as u64)?;
        if let Some(d) = upload.date.as_deref() {
            if crate::ingest::dates::parse_date(d).is_none() {
                return Err(Error::InvalidInput(
                    "the date must look like 2024-03-12 (or 2024-03, or 2024)".into(),
                ));
            }
        }
        if let Some(u) = upload.url.as_deref() {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(Error::InvalidInput(
                    "the URL must start with https:// or http://".into(),
                ));
            }
        }
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        // Opened first: an upload no other process could see is refused
        // before anything is written.
        let state = self.state()?;
        let bytes = upload.bytes;
        let (record, entry) = crate::library::add_essay_entry(
            &self.library,
            circle,
            &self.config.circles,
            &upload.filename,
            &bytes,
            CatalogEntry {
                file: String::new(),
                id: None,
                title: clean(upload.title),
                authors: clean(upload.author).into_iter().collect(),
                date: upload.date,
                url: upload.url,
                publication: None,
                circle: None,
            },
        )?;
        // Kept in the state store too, so every process serving the bot
        // brings it into its own library; undone here if that fails.
        let shared = serde_json::to_string(&entry)
            .map_err(|e| Error::Config(e.to_string()))
            .and_then(|meta| state.put_essay(circle, &entry.file, &bytes, &meta));
        if let Err(e) = shared {
            if let Err(undo) =
                crate::library::remove_added_essay(&self.library, Some(circle), &record.meta.id)
            {
                tracing::error!(error = %undo, essay = %record.meta.id, "could not undo an upload the state store refused");
            }
            return Err(e);
        }
        Ok(record)
    }

    /// Remove one of the circle's own essays (without a circle: any added
    /// essay, the operator's way to remove those added before circles).
    /// Returns its title.
    pub fn remove_essay(&self, circle: Option<&str>, essay: &str) -> Result<String> {
        let rec = crate::library::remove_added_essay(&self.library, circle, essay)?;
        // Other processes remove their copy when they see this change.
        if let Some(owner) = rec.meta.owner.as_deref() {
            self.state()?.remove_essay(owner, &rec.meta.source_path)?;
        }
        Ok(rec.meta.title)
    }

    /// Bring in essays that circles uploaded through other processes (and
    /// drop those they removed) since the last call; returns how many
    /// changes were applied. Cheap when nothing changed: one query.
    pub fn sync_uploads(&self) -> Result<usize> {
        use std::sync::atomic::Ordering::SeqCst;
        let seen = self.uploads_seen.load(SeqCst);
        let state: &crate::state::State = self.state()?;
        let (applied, now) = crate::library::sync_uploads(&self.library, &**state, seen)?;
        self.uploads_seen.fetch_max(now, SeqCst);
        Ok(applied)
    }
}
