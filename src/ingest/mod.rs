//! Reading a library folder: every `.txt` and `.md` file becomes an [`Essay`],
//! and every file that cannot be used is reported with the reason.

pub mod catalog;
pub mod dates;
pub mod document;
pub mod frontmatter;
pub mod markup;
pub mod names;
pub mod speakers;

use crate::error::{Error, Result};
use crate::fsutil::io_reason;
use crate::model::Essay;
use catalog::Catalog;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files larger than this are skipped (a reading is not a 16 MB file; a dump is).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A library file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SkippedFile {
    /// Path relative to the library folder.
    pub path: String,
    /// What was wrong.
    pub reason: String,
}

/// The outcome of reading a library folder.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Essays in path order.
    pub essays: Vec<Essay>,
    /// Files not indexed.
    pub skipped: Vec<SkippedFile>,
    /// Files read with a fallback (Latin-1) decoding.
    pub warnings: Vec<SkippedFile>,
}

/// A source file found in a library folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Absolute (or as given) path.
    pub path: PathBuf,
    /// Path relative to the library root, `/`-separated.
    pub rel: String,
}

/// List the `.txt` and `.md` files under the given roots, sorted, skipping
/// hidden files and README files. Only regular files are listed (a FIFO named
/// `x.md` would block the reader forever); anything else that looks like an
/// essay (a dangling or looping symlink, a device, an unreadable folder) is
/// returned as skipped with the reason, so one bad entry never takes the
/// library down. A missing or unreadable library folder itself is an error.
pub fn list_sources(roots: &[PathBuf]) -> Result<(Vec<SourceFile>, Vec<SkippedFile>)> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| Error::Library {
            path: root.clone(),
            error: e,
        })?;
        if !meta.is_dir() {
            return Err(Error::Library {
                path: root.clone(),
                error: std::io::Error::other("not a folder"),
            });
        }
        let entries = std::fs::read_dir(root).map_err(|e| Error::Library {
            path: root.clone(),
            error: e,
        })?;
        walk(root, entries, &mut out, &mut skipped);
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel).then(a.path.cmp(&b.path)));
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, skipped))
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk(
    root: &Path,
    entries: std::fs::ReadDir,
    out: &mut Vec<SourceFile>,
    skipped: &mut Vec<SkippedFile>,
) {
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            // Folders are entered; symlinked folders are not (no loops).
            match std::fs::read_dir(&path) {
                Ok(sub) => walk(root, sub, out, skipped),
                Err(e) => skipped.push(SkippedFile {
                    path: relative(root, &path) + "/",
                    reason: format!("folder cannot be read: {}", io_reason(&e)),
                }),
            }
            continue;
        }
        let lower = name.to_lowercase();
        let is_text = lower.ends_with(".txt") || lower.ends_with(".md");
        if !is_text || lower.starts_with("readme.") {
            continue;
        }
        let rel = relative(root, &path);
        // Follow a symlink to see what it names; never open anything but a
        // regular file.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => out.push(SourceFile { path, rel }),
            Ok(_) => skipped.push(SkippedFile {
                path: rel,
                reason: "not a regular file (a folder link, FIFO, socket or device)".into(),
            }),
            Err(e) => {
                let reason = if ft.is_symlink() {
                    format!("broken symbolic link: {}", io_reason(&e))
                } else {
                    io_reason(&e)
                };
                skipped.push(SkippedFile { path: rel, reason });
            }
        }
    }
}

/// Decode file bytes: UTF-8 (BOM stripped), else Latin-1 with a warning.
/// Binary content (NUL bytes) is refused.
pub fn decode(bytes: &[u8]) -> std::result::Result<(String, bool), String> {
    if bytes.is_empty() {
        return Err("file is empty".into());
    }
    if bytes.contains(&0) {
        return Err("file looks binary (contains NUL bytes)".into());
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), false)),
        Err(_) => Ok((bytes.iter().map(|&b| b as char).collect(), true)),
    }
}

/// Parse one file's bytes into an essay.
pub fn parse_file(
    rel: &str,
    bytes: &[u8],
    catalog: &Catalog,
) -> std::result::Result<(Essay, bool), String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MB, over the {} MB limit",
            bytes.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let (text, latin1) = decode(bytes)?;
    let essay = document::parse_document(rel, &text, catalog.get(rel))?;
    Ok((essay, latin1))
}

/// The catalogs of a library's folders. A broken catalog is reported
/// and read as empty: its folder's files still load, from what they say.
pub struct Catalogs(Vec<(PathBuf, Catalog)>);

impl Catalogs {
    /// Load each folder's catalog.
    pub fn load(roots: &[PathBuf], skipped: &mut Vec<SkippedFile>) -> Catalogs {
        Catalogs(
            roots
                .iter()
                .map(|r| {
                    let c = Catalog::load(r).unwrap_or_else(|e| {
                        skipped.push(SkippedFile {
                            path: catalog::CATALOG_FILE.into(),
                            reason: e,
                        });
                        Catalog::default()
                    });
                    (r.clone(), c)
                })
                .collect(),
        )
    }

    /// Read and parse one file with its folder's catalog. Returns the bytes
    /// read and the essay (with whether it was read as Latin-1), or why the
    /// file cannot be used.
    pub fn read(&self, src: &SourceFile) -> (u64, std::result::Result<(Essay, bool), String>) {
        static EMPTY: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(Catalog::default);
        let catalog = self
            .0
            .iter()
            .find(|(r, _)| src.path.starts_with(r))
            .map_or(&*EMPTY, |(_, c)| c);
        match std::fs::read(&src.path) {
            Ok(bytes) => (bytes.len() as u64, parse_file(&src.rel, &bytes, catalog)),
            Err(e) => (0, Err(format!("cannot be read: {}", io_reason(&e)))),
        }
    }
}

/// Essay ids taken so far, by the file that has each: the first file (in
/// path order) keeps an id, a later one with the same id is skipped.
#[derive(Debug, Default)]
pub struct Ids(HashMap<String, String>);

impl Ids {
    /// Ids already taken (essays kept from an earlier index).
    pub fn taken<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Ids {
        Ids(pairs
            .into_iter()
            .map(|(id, file)| (id.to_string(), file.to_string()))
            .collect())
    }

    /// Admit a parsed file's essay, or say why it is skipped (a duplicate
    /// id); either way the report hears of it, as does a Latin-1 fallback.
    pub fn admit(
        &mut self,
        rel: &str,
        parsed: std::result::Result<(Essay, bool), String>,
        skipped: &mut Vec<SkippedFile>,
        warnings: &mut Vec<SkippedFile>,
    ) -> std::result::Result<Essay, String> {
        let refused = |reason: String, skipped: &mut Vec<SkippedFile>| {
            skipped.push(SkippedFile {
                path: rel.to_string(),
                reason: reason.clone(),
            });
            Err(reason)
        };
        let (essay, latin1) = match parsed {
            Ok(p) => p,
            Err(reason) => return refused(reason, skipped),
        };
        if let Some(other) = self.0.get(&essay.meta.id) {
            let reason = format!("duplicate id `{}`, already used by {other}", essay.meta.id);
            return refused(reason, skipped);
        }
        if latin1 {
            warnings.push(SkippedFile {
                path: rel.to_string(),
                reason: "not valid UTF-8; read as Latin-1".into(),
            });
        }
        self.0.insert(essay.meta.id.clone(), rel.to_string());
        Ok(essay)
    }
}

/// Read and parse every file of a library folder (and extra folders, such as
/// essays added through the bot), exactly as the index does ([`Catalogs`],
/// [`Ids`]) but without building one. Bad files are reported, not fatal.
pub fn load_library(roots: &[PathBuf]) -> Result<LoadReport> {
    let (files, skipped) = list_sources(roots)?;
    let mut report = LoadReport {
        skipped,
        ..Default::default()
    };
    let catalogs = Catalogs::load(roots, &mut report.skipped);
    let mut ids = Ids::default();
    for f in files {
        let (_, parsed) = catalogs.read(&f);
        if let Ok(essay) = ids.admit(&f.rel, parsed, &mut report.skipped, &mut report.warnings) {
            report.essays.push(essay);
        }
    }
    Ok(report)
}
