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

/// Read and parse every file of a library folder (and extra folders, such as
/// essays added through the bot). Bad files are reported, not fatal.
pub fn load_library(roots: &[PathBuf]) -> Result<LoadReport> {
    let (files, skipped) = list_sources(roots)?;
    let mut report = LoadReport {
        skipped,
        ..Default::default()
    };
    let mut catalogs: HashMap<PathBuf, Catalog> = HashMap::new();
    for root in roots {
        match Catalog::load(root) {
            Ok(c) => {
                catalogs.insert(root.clone(), c);
            }
            Err(e) => report.skipped.push(SkippedFile {
                path: catalog::CATALOG_FILE.into(),
                reason: e,
            }),
        }
    }
    let empty = Catalog::default();
    let mut ids: HashMap<String, String> = HashMap::new();
    for f in files {
        let catalog = roots
            .iter()
            .find(|r| f.path.starts_with(r))
            .and_then(|r| catalogs.get(r))
            .unwrap_or(&empty);
        let bytes = match std::fs::read(&f.path) {
            Ok(b) => b,
            Err(e) => {
                report.skipped.push(SkippedFile {
                    path: f.rel,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        match parse_file(&f.rel, &bytes, catalog) {
            Ok((essay, latin1)) => {
                if let Some(other) = ids.get(&essay.meta.id) {
                    report.skipped.push(SkippedFile {
                        path: f.rel,
                        reason: format!(
                            "duplicate id `{}`, already used by {other}",
                            essay.meta.id
                        ),
                    });
                    continue;
                }
                if latin1 {
                    report.warnings.push(SkippedFile {
                        path: f.rel.clone(),
                        reason: "not valid UTF-8; read as Latin-1".into(),
                    });
                }
                ids.insert(essay.meta.id.clone(), f.rel.clone());
                report.essays.push(essay);
            }
            Err(reason) => report.skipped.push(SkippedFile {
                path: f.rel,
                reason,
            }),
        }
    }
    Ok(report)
}
