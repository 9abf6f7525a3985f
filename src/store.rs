//! Building and updating the on-disk index from the library folders.
//!
//! Layout under `<data>/index/`: `CURRENT` names the live generation
//! (`gen-N`); each generation holds `tantivy/`, `essays.json` and
//! `manifest.json`. A full rebuild writes a new generation and then switches
//! `CURRENT` atomically, so a failed rebuild never loses the working index.
//! Small changes (an essay added, edited or removed) update the live
//! generation in one tantivy commit.

use crate::error::{Error, Result};
use crate::fsutil::write_atomic;
use crate::index::{self, Fields, SCHEMA_VERSION};
use crate::ingest::{self, catalog::Catalog, SkippedFile, SourceFile};
use crate::model::{Essay, EssayMeta, Note, Speaker};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use tantivy::{Index, IndexWriter};

/// What we keep in memory about an essay (its paragraphs stay in the index).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EssayRecord {
    /// Metadata.
    pub meta: EssayMeta,
    /// Interview participants.
    pub speakers: Vec<Speaker>,
    /// Footnotes.
    pub notes: Vec<Note>,
    /// Number of paragraphs.
    pub paragraphs: u32,
    /// Bytes of body text.
    pub text_bytes: u64,
}

impl EssayRecord {
    /// From a parsed essay.
    pub fn from_essay(e: &Essay) -> Self {
        EssayRecord {
            meta: e.meta.clone(),
            speakers: e.speakers.clone(),
            notes: e.notes.clone(),
            paragraphs: e.paragraphs.len() as u32,
            text_bytes: e.paragraphs.iter().map(|p| p.text.len() as u64).sum(),
        }
    }

    /// True for an interview.
    pub fn is_interview(&self) -> bool {
        !self.speakers.is_empty()
    }

    /// Speaker name by index.
    pub fn speaker_name(&self, i: Option<usize>) -> Option<&str> {
        i.and_then(|i| self.speakers.get(i))
            .map(|s| s.name.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct FileState {
    size: u64,
    mtime_ns: u128,
    hash: u64,
    /// The essay id it produced, or why it was skipped.
    essay: Option<String>,
    skipped: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    schema_version: u32,
    /// Keyed by the file's path as given (root + relative).
    files: BTreeMap<String, FileState>,
}

/// How an open went.
#[derive(Debug, Default, Clone, Serialize)]
pub struct BuildReport {
    /// "reused", "updated" or "rebuilt".
    pub action: String,
    /// Files (re)parsed.
    pub parsed_files: usize,
    /// Bytes of source parsed.
    pub parsed_bytes: u64,
    /// Files skipped, with reasons.
    pub skipped: Vec<SkippedFile>,
    /// Files read with a fallback encoding.
    pub warnings: Vec<SkippedFile>,
}

/// The opened index generation.
pub struct Opened {
    /// tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Essays in path order.
    pub essays: Vec<EssayRecord>,
    /// Directory of the live generation.
    pub gen_dir: PathBuf,
}

fn index_root(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

fn read_current(data_dir: &Path) -> Option<PathBuf> {
    let root = index_root(data_dir);
    let name = std::fs::read_to_string(root.join("CURRENT")).ok()?;
    let name = name.trim();
    (!name.is_empty() && !name.contains('/')).then(|| root.join(name))
}

fn stat(path: &Path) -> std::io::Result<(u64, u128)> {
    let m = std::fs::metadata(path)?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    Ok((m.len(), mtime))
}

fn file_key(f: &SourceFile) -> String {
    f.path.to_string_lossy().to_string()
}

/// Open the index for `roots`, building or updating it when the library
/// changed (by content fingerprint). `force` rebuilds regardless.
pub fn open_or_build(
    roots: &[PathBuf],
    data_dir: &Path,
    force: bool,
) -> Result<(Opened, BuildReport)> {
    let sources = ingest::list_sources(roots)?;
    let current = read_current(data_dir);
    let existing = if force {
        None
    } else {
        current.as_deref().and_then(|d| load_generation(d).ok())
    };
    match existing {
        Some((opened, manifest)) if manifest.schema_version == SCHEMA_VERSION => {
            let changes = diff(&sources, &manifest)?;
            if changes.changed.is_empty() && changes.removed.is_empty() {
                let report = BuildReport {
                    action: "reused".into(),
                    skipped: skipped_of(&manifest),
                    ..Default::default()
                };
                return Ok((opened, report));
            }
            update_in_place(roots, opened, manifest, changes)
        }
        _ => rebuild(roots, data_dir, &sources),
    }
}

fn skipped_of(m: &Manifest) -> Vec<SkippedFile> {
    m.files
        .iter()
        .filter_map(|(k, s)| {
            s.skipped.as_ref().map(|r| SkippedFile {
                path: k.clone(),
                reason: r.clone(),
            })
        })
        .collect()
}

fn load_generation(dir: &Path) -> Result<(Opened, Manifest)> {
    let manifest: Manifest = read_json(&dir.join("manifest.json"))?;
    let essays: Vec<EssayRecord> = read_json(&dir.join("essays.json"))?;
    let index = index::open(&dir.join("tantivy"))?;
    let (_, fields) = index::schema();
    // The stored schema must be ours.
    if index.schema().get_field("payload").is_err() {
        return Err(Error::Config("index schema is not this version's".into()));
    }
    Ok((
        Opened {
            index,
            fields,
            essays,
            gen_dir: dir.to_path_buf(),
        },
        manifest,
    ))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        )
    })
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let bytes = serde_json::to_vec(value).expect("serializable");
    write_atomic(path, &bytes).map_err(|e| Error::io(path, e))
}

struct Changes {
    /// Files new or with new content, with their fresh state (hash filled).
    changed: Vec<(SourceFile, u64, u128, u64)>,
    /// Files gone from disk (manifest keys).
    removed: Vec<String>,
    /// Unchanged files' states carried over.
    unchanged: BTreeMap<String, FileState>,
}

fn hash_file(path: &Path) -> Result<u64> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(xxhash_rust::xxh3::xxh3_64(&bytes))
}

fn diff(sources: &[SourceFile], manifest: &Manifest) -> Result<Changes> {
    let mut changed = Vec::new();
    let mut unchanged = BTreeMap::new();
    for s in sources {
        let key = file_key(s);
        let (size, mtime) = stat(&s.path).map_err(|e| Error::io(&s.path, e))?;
        match manifest.files.get(&key) {
            Some(old) if old.size == size && old.mtime_ns == mtime => {
                unchanged.insert(key, old.clone());
            }
            Some(old) => {
                // Touched: compare content before re-parsing.
                let h = hash_file(&s.path)?;
                if h == old.hash && old.size == size {
                    let mut st = old.clone();
                    st.mtime_ns = mtime;
                    unchanged.insert(key, st);
                } else {
                    changed.push((s.clone(), size, mtime, h));
                }
            }
            None => {
                let h = hash_file(&s.path)?;
                changed.push((s.clone(), size, mtime, h));
            }
        }
    }
    let present: std::collections::HashSet<String> = sources.iter().map(file_key).collect();
    let removed = manifest
        .files
        .keys()
        .filter(|k| !present.contains(*k))
        .cloned()
        .collect();
    Ok(Changes {
        changed,
        removed,
        unchanged,
    })
}

fn catalogs(roots: &[PathBuf], report: &mut BuildReport) -> Vec<(PathBuf, Catalog)> {
    roots
        .iter()
        .map(|r| {
            let c = Catalog::load(r).unwrap_or_else(|e| {
                report.skipped.push(SkippedFile {
                    path: ingest::catalog::CATALOG_FILE.into(),
                    reason: e,
                });
                Catalog::default()
            });
            (r.clone(), c)
        })
        .collect()
}

fn catalog_for<'a>(cats: &'a [(PathBuf, Catalog)], f: &SourceFile) -> Option<&'a Catalog> {
    cats.iter()
        .find(|(r, _)| f.path.starts_with(r))
        .map(|(_, c)| c)
}

/// Parse files and add their paragraphs to `writer`. Returns the new essays
/// and each file's state.
/// Threads that parse library files while tantivy indexes.
const PARSE_THREADS: usize = 2;

type ParseOutcome = std::result::Result<(crate::model::Essay, bool), String>;

fn index_files(
    writer: &mut IndexWriter,
    fields: &Fields,
    files: &[(SourceFile, u64, u128, u64)],
    cats: &[(PathBuf, Catalog)],
    taken_ids: &mut HashMap<String, String>,
    report: &mut BuildReport,
) -> Result<(Vec<EssayRecord>, BTreeMap<String, FileState>)> {
    // Files are parsed on worker threads and indexed in path order, so ids and
    // duplicate detection do not depend on which thread finished first.
    let empty = Catalog::default();
    let mut essays = Vec::new();
    let mut states = BTreeMap::new();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut failure: Option<Error> = None;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, u64, ParseOutcome)>(32);
        for _ in 0..PARSE_THREADS {
            let tx = tx.clone();
            let (next, empty) = (&next, &empty);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((src, ..)) = files.get(i) else { break };
                let mut n = 0;
                let outcome = std::fs::read(&src.path)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| {
                        n = bytes.len() as u64;
                        ingest::parse_file(
                            &src.rel,
                            &bytes,
                            catalog_for(cats, src).unwrap_or(empty),
                        )
                    });
                if tx.send((i, n, outcome)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, (u64, ParseOutcome)> = BTreeMap::new();
        let mut want = 0;
        for (i, n, outcome) in rx {
            pending.insert(i, (n, outcome));
            while let Some((n, outcome)) = pending.remove(&want) {
                let (src, size, mtime, hash) = &files[want];
                want += 1;
                report.parsed_bytes += n;
                report.parsed_files += 1;
                if failure.is_some() {
                    continue;
                }
                let key = file_key(src);
                let mut state = FileState {
                    size: *size,
                    mtime_ns: *mtime,
                    hash: *hash,
                    essay: None,
                    skipped: None,
                };
                match outcome {
                    Ok((essay, latin1)) => {
                        if let Some(other) = taken_ids.get(&essay.meta.id) {
                            let reason = format!(
                                "duplicate id `{}`, already used by {other}",
                                essay.meta.id
                            );
                            report.skipped.push(SkippedFile {
                                path: src.rel.clone(),
                                reason: reason.clone(),
                            });
                            state.skipped = Some(reason);
                        } else {
                            if latin1 {
                                report.warnings.push(SkippedFile {
                                    path: src.rel.clone(),
                                    reason: "not valid UTF-8; read as Latin-1".into(),
                                });
                            }
                            taken_ids.insert(essay.meta.id.clone(), src.rel.clone());
                            for p in &essay.paragraphs {
                                let doc = index::paragraph_doc(
                                    fields,
                                    &key,
                                    &essay.meta.id,
                                    essay.speaker_of(p),
                                    p,
                                );
                                if let Err(e) = writer.add_document(doc) {
                                    failure = Some(e.into());
                                    break;
                                }
                            }
                            state.essay = Some(essay.meta.id.clone());
                            essays.push(EssayRecord::from_essay(&essay));
                        }
                    }
                    Err(reason) => {
                        tracing::warn!(file = %src.rel, %reason, "skipping library file");
                        report.skipped.push(SkippedFile {
                            path: src.rel.clone(),
                            reason: reason.clone(),
                        });
                        state.skipped = Some(reason);
                    }
                }
                states.insert(key, state);
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    Ok((essays, states))
}

fn writer_for(index: &Index) -> Result<IndexWriter> {
    // Two threads: the machines here have two cores.
    Ok(index.writer_with_num_threads(2, 200_000_000)?)
}

fn rebuild(
    roots: &[PathBuf],
    data_dir: &Path,
    sources: &[SourceFile],
) -> Result<(Opened, BuildReport)> {
    let root = index_root(data_dir);
    std::fs::create_dir_all(&root).map_err(|e| Error::io(&root, e))?;
    let gen_name = format!(
        "gen-{}-{}",
        std::time::SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0),
        std::process::id()
    );
    let gen_dir = root.join(&gen_name);
    let tantivy_dir = gen_dir.join("tantivy");
    std::fs::create_dir_all(&tantivy_dir).map_err(|e| Error::io(&tantivy_dir, e))?;
    let result = (|| {
        let (index, fields) = index::create(&tantivy_dir)?;
        let mut report = BuildReport {
            action: "rebuilt".into(),
            ..Default::default()
        };
        let cats = catalogs(roots, &mut report);
        let mut files = Vec::with_capacity(sources.len());
        for s in sources {
            let (size, mtime) = stat(&s.path).map_err(|e| Error::io(&s.path, e))?;
            files.push((s.clone(), size, mtime, hash_file(&s.path)?));
        }
        let mut writer = writer_for(&index)?;
        let mut ids = HashMap::new();
        let (essays, states) =
            index_files(&mut writer, &fields, &files, &cats, &mut ids, &mut report)?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        write_json(&gen_dir.join("essays.json"), &essays)?;
        write_json(
            &gen_dir.join("manifest.json"),
            &Manifest {
                schema_version: SCHEMA_VERSION,
                files: states,
            },
        )?;
        Ok::<_, Error>((
            Opened {
                index,
                fields,
                essays,
                gen_dir: gen_dir.clone(),
            },
            report,
        ))
    })();
    match result {
        Ok(ok) => {
            let previous = read_current(data_dir);
            write_atomic(&root.join("CURRENT"), gen_name.as_bytes())
                .map_err(|e| Error::io(&root, e))?;
            if let Some(prev) = previous {
                if prev != gen_dir {
                    let _ = std::fs::remove_dir_all(prev);
                }
            }
            Ok(ok)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&gen_dir);
            Err(e)
        }
    }
}

fn update_in_place(
    roots: &[PathBuf],
    mut opened: Opened,
    manifest: Manifest,
    changes: Changes,
) -> Result<(Opened, BuildReport)> {
    let mut report = BuildReport {
        action: "updated".into(),
        ..Default::default()
    };
    let cats = catalogs(roots, &mut report);
    let mut writer = writer_for(&opened.index)?;
    let fields = opened.fields;
    // Essays of files that are gone or changed leave first.
    let mut leaving: Vec<String> = Vec::new();
    for key in changes.removed.iter().chain(
        changes
            .changed
            .iter()
            .map(|c| &c.0)
            .map(file_key)
            .collect::<Vec<_>>()
            .iter(),
    ) {
        writer.delete_term(index::term(fields.file, key));
        if let Some(id) = manifest.files.get(key).and_then(|s| s.essay.clone()) {
            leaving.push(id);
        }
    }
    opened.essays.retain(|e| !leaving.contains(&e.meta.id));
    let mut ids: HashMap<String, String> = opened
        .essays
        .iter()
        .map(|e| (e.meta.id.clone(), e.meta.source_path.clone()))
        .collect();
    let (added, states) = index_files(
        &mut writer,
        &fields,
        &changes.changed,
        &cats,
        &mut ids,
        &mut report,
    )?;
    writer.commit()?;
    drop(writer);
    opened.essays.extend(added);
    opened
        .essays
        .sort_by(|a, b| a.meta.source_path.cmp(&b.meta.source_path));
    let mut files = changes.unchanged;
    files.extend(states);
    // Files skipped earlier and still unchanged are still skipped: say so.
    let earlier: Vec<SkippedFile> = skipped_of(&Manifest {
        schema_version: 0,
        files: files.clone(),
    })
    .into_iter()
    .filter(|s| !report.skipped.iter().any(|r| r.reason == s.reason))
    .collect();
    report.skipped.extend(earlier);
    // The index commit comes first: if we stop before these writes, the next
    // start sees the same files as changed and re-applies them (idempotent).
    write_json(&opened.gen_dir.join("essays.json"), &opened.essays)?;
    write_json(
        &opened.gen_dir.join("manifest.json"),
        &Manifest {
            schema_version: SCHEMA_VERSION,
            files,
        },
    )?;
    Ok((opened, report))
}
