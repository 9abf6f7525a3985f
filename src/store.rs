//! Building and updating the on-disk index from the library folders.
//!
//! Layout under `<data>/index/`:
//!
//! - `CURRENT` names the live generation (`gen-…`). Replacing this one file
//!   (write beside, fsync, rename) is the only commit: a generation is
//!   complete before it is named, and never changed after.
//! - `gen-…/` holds `tantivy/`, `state.json` (every file's fingerprint and
//!   every essay's record, in one file) and `READERS`, a lock file that every
//!   process serving the generation holds shared.
//! - `WRITER.lock`: one writer at a time, across processes.
//!
//! An incremental update (an essay added, edited or removed) makes a new
//! generation by hard-linking the live one's immutable segment files and
//! committing the change there, so it costs little more than the change. A
//! crash at any instant leaves `CURRENT` naming a complete generation; the
//! half-written one is garbage that the next writer removes, together with
//! old generations no reader holds any more and stray temporary files.
//! Readers never take the writer lock and need no write access: a process
//! that finds the library changed while another process is writing answers
//! from the live generation and says it is stale.
//!
//! BM25 statistics are index-wide (one tantivy index for every essay); scores
//! are only used to rank and are never shown.

use crate::error::{Error, Result};
use crate::failpoint;
use crate::fsutil::write_atomic;
use crate::index::{self, Fields, SCHEMA_VERSION};
use crate::ingest::{self, SkippedFile, SourceFile};
use crate::model::EssayRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use tantivy::{Index, IndexWriter};

/// The steps of a write at which a crash is tested (see [`crate::failpoint`]),
/// in order: after the new generation's index is committed, after its state
/// file is written, after `CURRENT` names it (before old ones are removed).
pub const WRITE_STEPS: &[&str] = &[
    "write:linked",
    "write:committed",
    "write:state-written",
    "write:published",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct FileState {
    size: u64,
    mtime_ns: u128,
    hash: u64,
    /// The essay id it produced, or why it was skipped.
    essay: Option<String>,
    skipped: Option<String>,
}

/// Everything a generation knows besides its tantivy index, written as one
/// file so that it can never disagree with itself.
#[derive(Debug, Default, Serialize, Deserialize)]
struct GenState {
    schema_version: u32,
    /// Keyed by the file's path as given (root + relative).
    files: BTreeMap<String, FileState>,
    /// Essays in path order.
    essays: Vec<EssayRecord>,
}

/// How an open went.
#[derive(Debug, Default, Clone, Serialize)]
pub struct BuildReport {
    /// "reused", "updated", "rebuilt", or "stale" (the library changed but
    /// another process is writing, or the data directory is read-only: the
    /// answers come from the live index).
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

/// A shared hold on a generation: while any process holds one, no writer
/// removes that generation.
#[derive(Debug)]
pub struct Pin {
    _file: File,
}

/// The opened index generation.
pub struct Opened {
    /// tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Essays in path order.
    pub essays: Vec<EssayRecord>,
    /// Directory of the generation.
    pub gen_dir: PathBuf,
    /// Keeps the generation on disk while it is served.
    pub pin: Pin,
}

const READERS: &str = "READERS";
const STATE: &str = "state.json";
const CURRENT: &str = "CURRENT";
const WRITER_LOCK: &str = "WRITER.lock";

fn index_root(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

fn read_current(root: &Path) -> Option<PathBuf> {
    let name = std::fs::read_to_string(root.join(CURRENT)).ok()?;
    let name = name.trim();
    (name.starts_with("gen-") && !name.contains('/')).then(|| root.join(name))
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

/// Why the live generation could not be opened.
enum OpenFailure {
    /// There is none yet.
    Missing,
    /// It is there but unreadable or of another schema: rebuild.
    Broken(Error),
}

/// Open the generation `CURRENT` names, pinned. A writer may replace and
/// remove it between our reading `CURRENT` and pinning it; then we read
/// `CURRENT` again.
fn open_current(root: &Path) -> std::result::Result<(Opened, GenState), OpenFailure> {
    for _ in 0..20 {
        let Some(dir) = read_current(root) else {
            return Err(OpenFailure::Missing);
        };
        let pin = match pin_generation(&dir) {
            Ok(Some(pin)) => pin,
            Ok(None) => continue,
            Err(e) => return Err(OpenFailure::Broken(e)),
        };
        return load_generation(&dir, pin).map_err(OpenFailure::Broken);
    }
    Err(OpenFailure::Broken(Error::Config(
        "the index kept changing while it was opened".into(),
    )))
}

/// Take a shared lock on a generation's `READERS`; `None` when the generation
/// is gone (or going) by the time we hold it.
fn pin_generation(dir: &Path) -> Result<Option<Pin>> {
    let path = dir.join(READERS);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Removed under us, or never completed: only CURRENT can tell.
            return if dir.join(STATE).is_file() {
                Err(Error::Config(format!(
                    "index generation {} has no {READERS} file",
                    dir.display()
                )))
            } else {
                Ok(None)
            };
        }
        Err(e) => return Err(Error::io(&path, e)),
    };
    file.lock_shared().map_err(|e| Error::io(&path, e))?;
    // A writer renames a generation away while holding it exclusively, so if
    // the path still names our file now, it stays until we let go.
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(Pin { _file: file }))
}

fn load_generation(dir: &Path, pin: Pin) -> Result<(Opened, GenState)> {
    let mut state: GenState = read_json(&dir.join(STATE))?;
    if state.schema_version != SCHEMA_VERSION {
        return Err(Error::Config("index schema is not this version's".into()));
    }
    let opened = serve_generation(dir, std::mem::take(&mut state.essays), pin)?;
    Ok((opened, state))
}

/// Open a published generation to serve it (no tantivy locks: it is never
/// written again).
fn serve_generation(dir: &Path, essays: Vec<EssayRecord>, pin: Pin) -> Result<Opened> {
    let index = index::open(&dir.join("tantivy"))?;
    let (_, fields) = index::schema();
    // The stored schema must be ours.
    if index.schema().get_field("payload").is_err() || index.schema().get_field("context").is_err()
    {
        return Err(Error::Config("index schema is not this version's".into()));
    }
    Ok(Opened {
        index,
        fields,
        essays,
        gen_dir: dir.to_path_buf(),
        pin,
    })
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

/// The cross-process writer lock, held while it lives.
struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// `Ok(None)` when another process holds it (with `wait`, block instead)
    /// or when the data directory cannot be written (read-only).
    fn take(root: &Path, wait: bool) -> Result<Option<WriterLock>> {
        if let Err(e) = std::fs::create_dir_all(root) {
            return cannot_write(root, e);
        }
        let path = root.join(WRITER_LOCK);
        let file = match std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) => return cannot_write(&path, e),
        };
        if wait {
            file.lock().map_err(|e| Error::io(&path, e))?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
        Ok(Some(WriterLock { _file: file }))
    }
}

/// A data directory we may not write to holds no lock for us: `Ok(None)`,
/// as when another process writes (callers that need to write say why).
fn cannot_write<T>(path: &Path, e: std::io::Error) -> Result<Option<T>> {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ReadOnlyFilesystem | K::PermissionDenied => Ok(None),
        _ => Err(Error::io(path, e)),
    }
}

/// Open the index for `roots`, building or updating it when the library
/// changed (by content fingerprint). `force` rebuilds regardless.
///
/// Only one process writes at a time. A process that finds the index up to
/// date, or finds it out of date while another process is writing, serves
/// the live generation without waiting; `force`, or having no index at all,
/// waits for the writer.
pub fn open_or_build(
    roots: &[PathBuf],
    data_dir: &Path,
    force: bool,
) -> Result<(Opened, BuildReport)> {
    let (sources, listing_skips) = ingest::list_sources(roots)?;
    let root = index_root(data_dir);
    let mut result = if force {
        write_locked(roots, &root, &sources, true)?
    } else {
        match open_current(&root) {
            Ok((opened, state)) => {
                let changes = diff(&sources, &state.files);
                if changes.is_empty() {
                    // Tidy up after crashed writers, when nobody is writing.
                    if let Ok(Some(_lock)) = WriterLock::take(&root, false) {
                        collect_garbage(&root);
                    }
                    let mut skipped = skipped_of(&state.files);
                    skipped.extend(changes.unreadable);
                    let report = BuildReport {
                        action: "reused".into(),
                        skipped,
                        ..Default::default()
                    };
                    (opened, report)
                } else {
                    match WriterLock::take(&root, false)? {
                        Some(lock) => {
                            drop(opened);
                            apply_locked(roots, &root, &sources, false, lock)?
                        }
                        None => {
                            tracing::warn!(
                                "the library changed but another process is updating the index (or it is read-only); answering from the current index"
                            );
                            let report = BuildReport {
                                action: "stale".into(),
                                skipped: skipped_of(&state.files),
                                ..Default::default()
                            };
                            (opened, report)
                        }
                    }
                }
            }
            Err(OpenFailure::Missing) => write_locked(roots, &root, &sources, false)?,
            Err(OpenFailure::Broken(e)) => {
                tracing::warn!(error = %e, "the index is unreadable; rebuilding it");
                write_locked(roots, &root, &sources, true)?
            }
        }
    };
    for s in listing_skips {
        if !result.1.skipped.contains(&s) {
            result.1.skipped.push(s);
        }
    }
    Ok(result)
}

/// Wait for the writer lock, then write.
fn write_locked(
    roots: &[PathBuf],
    root: &Path,
    sources: &[SourceFile],
    force: bool,
) -> Result<(Opened, BuildReport)> {
    let lock = WriterLock::take(root, true)?.ok_or_else(|| {
        Error::Config(format!(
            "there is no index at {} yet and the data directory cannot be written; run `commonplace index` where it can, or choose another --data-dir",
            root.display()
        ))
    })?;
    apply_locked(roots, root, sources, force, lock)
}

/// Under the writer lock: look again (another writer may have just done the
/// work), then update or rebuild into a new generation and publish it.
fn apply_locked(
    roots: &[PathBuf],
    root: &Path,
    sources: &[SourceFile],
    force: bool,
    lock: WriterLock,
) -> Result<(Opened, BuildReport)> {
    collect_garbage(root);
    let base = if force { None } else { open_current(root).ok() };
    let result = match base {
        Some((opened, state)) => {
            let changes = diff(sources, &state.files);
            if changes.is_empty() {
                let report = BuildReport {
                    action: "reused".into(),
                    skipped: skipped_of(&state.files),
                    ..Default::default()
                };
                return Ok((opened, report));
            }
            let from = opened.gen_dir.join("tantivy");
            let essays = opened.essays;
            drop(opened.index);
            let written = write_generation(root, |gen| {
                update(roots, gen, &from, essays, &state.files, changes)
            });
            drop(opened.pin);
            written
        }
        None => write_generation(root, |gen| rebuild(roots, gen, sources)),
    }?;
    collect_garbage(root);
    drop(lock);
    Ok(result)
}

fn new_generation_name() -> String {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    format!(
        "gen-{}-{}-{}",
        std::time::SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0),
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// Make a new generation with `fill`, then publish it by naming it in
/// `CURRENT`. On failure the half-made generation is removed at once (a full
/// disk must not stay full).
fn write_generation(
    root: &Path,
    fill: impl FnOnce(&Path) -> Result<(Index, GenState, BuildReport)>,
) -> Result<(Opened, BuildReport)> {
    let name = new_generation_name();
    let dir = root.join(&name);
    let result = (|| {
        std::fs::create_dir_all(dir.join("tantivy")).map_err(|e| Error::io(&dir, e))?;
        let (index, mut state, report) = fill(&dir)?;
        failpoint::hit("write:committed");
        write_json(&dir.join(STATE), &state)?;
        let readers = dir.join(READERS);
        File::create(&readers).map_err(|e| Error::io(&readers, e))?;
        sync_dir(&dir)?;
        failpoint::hit("write:state-written");
        let pin = pin_generation(&dir)?
            .ok_or_else(|| Error::Config("a new index generation vanished".into()))?;
        write_atomic(&root.join(CURRENT), name.as_bytes())
            .map_err(|e| Error::io(root.join(CURRENT), e))?;
        sync_dir(root)?;
        failpoint::hit("write:published");
        // Served like any published generation: reopened without locks.
        drop(index);
        let opened = serve_generation(&dir, std::mem::take(&mut state.essays), pin)?;
        Ok((opened, report))
    })();
    match result {
        Err(e) if read_current(root).as_deref() != Some(dir.as_path()) => {
            // Asked before the partial files go: a full disk is still full.
            let full = !matches!(e, Error::DiskFull { .. }) && crate::fsutil::disk_full(root);
            let _ = std::fs::remove_dir_all(&dir);
            Err(if full {
                Error::DiskFull {
                    path: root.to_path_buf(),
                }
            } else {
                e
            })
        }
        other => other,
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(dir, e))?;
    Ok(())
}

/// Remove what crashed or finished writers left: generations that are not
/// live and that no process holds, half-made ones, temporary files. Called
/// only under the writer lock, so nothing here is being written.
fn collect_garbage(root: &Path) {
    let current = read_current(root);
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with("trash-") {
            let _ = std::fs::remove_dir_all(&path);
        } else if name.starts_with("gen-") && Some(&path) != current.as_ref() {
            remove_unheld_generation(root, &path, &name);
        } else if name.starts_with('.') && name.contains(".tmp-") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

fn remove_unheld_generation(root: &Path, dir: &Path, name: &str) {
    if let Ok(f) = File::open(dir.join(READERS)) {
        if f.try_lock().is_err() {
            return; // still served somewhere
        }
        // Renamed while held exclusively: a reader that pins after this
        // finds the path gone and reads CURRENT again.
        let trash = root.join(format!("trash-{name}"));
        if std::fs::rename(dir, &trash).is_ok() {
            drop(f);
            let _ = std::fs::remove_dir_all(&trash);
        }
    } else {
        // Never published (no READERS yet): a crashed writer's leftovers.
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn skipped_of(files: &BTreeMap<String, FileState>) -> Vec<SkippedFile> {
    files
        .iter()
        .filter_map(|(k, s)| {
            s.skipped.as_ref().map(|r| SkippedFile {
                path: k.clone(),
                reason: r.clone(),
            })
        })
        .collect()
}

struct Changes {
    /// Files new or with new content, with their fresh state (hash filled).
    changed: Vec<(SourceFile, u64, u128, u64)>,
    /// Files gone from disk, or no longer readable (manifest keys).
    removed: Vec<String>,
    /// Unchanged files' states carried over.
    unchanged: BTreeMap<String, FileState>,
    /// Listed files that could not be read. They are left out of the
    /// fingerprints, so they are tried again at the next open.
    unreadable: Vec<SkippedFile>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

fn hash_file(path: &Path) -> std::io::Result<u64> {
    let bytes = std::fs::read(path)?;
    Ok(xxhash_rust::xxh3::xxh3_64(&bytes))
}

/// Compare the listed files with a generation's fingerprints. A file that
/// vanishes or cannot be read between listing and now counts as removed; it
/// is reported when it is read for parsing, or by the listing.
fn diff(sources: &[SourceFile], files: &BTreeMap<String, FileState>) -> Changes {
    let mut changed = Vec::new();
    let mut unchanged = BTreeMap::new();
    let mut unreadable = Vec::new();
    for s in sources {
        let key = file_key(s);
        let (size, mtime) = match stat(&s.path) {
            Ok(st) => st,
            Err(e) => {
                unreadable.push(SkippedFile {
                    path: s.rel.clone(),
                    reason: crate::fsutil::io_reason(&e),
                });
                continue;
            }
        };
        if let Some(old) = files.get(&key) {
            if old.size == size && old.mtime_ns == mtime {
                unchanged.insert(key, old.clone());
                continue;
            }
        }
        // New or touched: compare content before re-parsing.
        let h = match hash_file(&s.path) {
            Ok(h) => h,
            Err(e) => {
                unreadable.push(SkippedFile {
                    path: s.rel.clone(),
                    reason: format!("cannot be read: {}", crate::fsutil::io_reason(&e)),
                });
                continue;
            }
        };
        match files.get(&key) {
            Some(old) if h == old.hash && old.size == size => {
                let mut st = old.clone();
                st.mtime_ns = mtime;
                unchanged.insert(key, st);
            }
            _ => changed.push((s.clone(), size, mtime, h)),
        }
    }
    let changed_keys: std::collections::HashSet<String> =
        changed.iter().map(|c| file_key(&c.0)).collect();
    let removed = files
        .keys()
        .filter(|k| !unchanged.contains_key(*k) && !changed_keys.contains(*k))
        .cloned()
        .collect();
    Changes {
        changed,
        removed,
        unchanged,
        unreadable,
    }
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
    cats: &ingest::Catalogs,
    ids: &mut ingest::Ids,
    report: &mut BuildReport,
) -> Result<(Vec<EssayRecord>, BTreeMap<String, FileState>)> {
    // Files are parsed on worker threads and indexed in path order, so ids and
    // duplicate detection do not depend on which thread finished first.
    let mut essays = Vec::new();
    let mut states = BTreeMap::new();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut failure: Option<Error> = None;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, u64, ParseOutcome)>(32);
        for _ in 0..PARSE_THREADS {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((src, ..)) = files.get(i) else { break };
                let (n, outcome) = cats.read(src);
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
                match ids.admit(&src.rel, outcome, &mut report.skipped, &mut report.warnings) {
                    Ok(essay) => {
                        for p in &essay.paragraphs {
                            let doc = index::paragraph_doc(
                                fields,
                                &key,
                                &essay.meta.id,
                                essay.meta.owner.as_deref(),
                                essay.speaker_of(p),
                                &essay.meta.title,
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
                    Err(reason) => {
                        tracing::warn!(file = %src.rel, %reason, "skipping library file");
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

/// Index every file into a new generation's empty tantivy folder.
fn rebuild(
    roots: &[PathBuf],
    gen: &Path,
    sources: &[SourceFile],
) -> Result<(Index, GenState, BuildReport)> {
    let (index, fields) = index::create(&gen.join("tantivy"))?;
    failpoint::hit("write:linked");
    let mut report = BuildReport {
        action: "rebuilt".into(),
        ..Default::default()
    };
    let cats = ingest::Catalogs::load(roots, &mut report.skipped);
    let changes = diff(sources, &BTreeMap::new());
    report.skipped.extend(changes.unreadable);
    let files = changes.changed;
    let mut writer = writer_for(&index)?;
    let mut ids = ingest::Ids::default();
    let (essays, states) = index_files(&mut writer, &fields, &files, &cats, &mut ids, &mut report)?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    let state = GenState {
        schema_version: SCHEMA_VERSION,
        files: states,
        essays,
    };
    Ok((index, state, report))
}

/// Hard-link the live generation's index files into the new one (segment
/// files are immutable; tantivy replaces `meta.json` and `.managed.json` by
/// rename, so a link never lets the new generation change the old). Lock
/// files stay behind. Copies where links are not supported.
fn link_index(from: &Path, to: &Path) -> Result<()> {
    let entries = std::fs::read_dir(from).map_err(|e| Error::io(from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str.ends_with(".lock") || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if std::fs::hard_link(&src, &dst).is_err() {
            std::fs::copy(&src, &dst).map_err(|e| Error::io(&dst, e))?;
        }
    }
    Ok(())
}

/// Apply changed and removed files to a copy (by links) of the live index.
fn update(
    roots: &[PathBuf],
    gen: &Path,
    from: &Path,
    mut essays: Vec<EssayRecord>,
    old_files: &BTreeMap<String, FileState>,
    changes: Changes,
) -> Result<(Index, GenState, BuildReport)> {
    let tantivy_dir = gen.join("tantivy");
    link_index(from, &tantivy_dir)?;
    failpoint::hit("write:linked");
    let index = index::open_for_writing(&tantivy_dir)?;
    let (_, fields) = index::schema();
    let mut report = BuildReport {
        action: "updated".into(),
        ..Default::default()
    };
    let cats = ingest::Catalogs::load(roots, &mut report.skipped);
    report.skipped.extend(changes.unreadable);
    let mut writer = writer_for(&index)?;
    // No merges: the generation must be complete when it is published, and
    // waiting for a merge of the whole index would make adding one essay
    // cost as much as a rebuild. A full `index` compacts the segments.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    // Essays of files that are gone or changed leave first.
    let mut leaving: Vec<String> = Vec::new();
    let changed_keys: Vec<String> = changes.changed.iter().map(|c| file_key(&c.0)).collect();
    for key in changes.removed.iter().chain(changed_keys.iter()) {
        writer.delete_term(index::term(fields.file, key));
        if let Some(id) = old_files.get(key).and_then(|s| s.essay.clone()) {
            leaving.push(id);
        }
    }
    essays.retain(|e| !leaving.contains(&e.meta.id));
    let mut ids = ingest::Ids::taken(
        essays
            .iter()
            .map(|e| (e.meta.id.as_str(), e.meta.source_path.as_str())),
    );
    let (added, states) = index_files(
        &mut writer,
        &fields,
        &changes.changed,
        &cats,
        &mut ids,
        &mut report,
    )?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    essays.extend(added);
    essays.sort_by(|a, b| a.meta.source_path.cmp(&b.meta.source_path));
    let mut files = changes.unchanged;
    files.extend(states);
    // Files skipped earlier and still unchanged are still skipped: say so.
    let earlier: Vec<SkippedFile> = skipped_of(&files)
        .into_iter()
        .filter(|s| !report.skipped.iter().any(|r| r.reason == s.reason))
        .collect();
    report.skipped.extend(earlier);
    let state = GenState {
        schema_version: SCHEMA_VERSION,
        files,
        essays,
    };
    Ok((index, state, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gone_or_unreadable_since_the_listing_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.txt");
        std::fs::write(&kept, "A paragraph.").unwrap();
        let sources = vec![
            SourceFile {
                path: kept,
                rel: "kept.txt".into(),
            },
            // Listed, then deleted before it was read.
            SourceFile {
                path: dir.path().join("gone.txt"),
                rel: "gone.txt".into(),
            },
        ];
        let changes = diff(&sources, &BTreeMap::new());
        assert_eq!(changes.changed.len(), 1);
        assert_eq!(changes.unreadable.len(), 1);
        assert_eq!(changes.unreadable[0].path, "gone.txt");
        assert_eq!(changes.unreadable[0].reason, "no such file or folder");
        // An essay whose file vanished leaves the index (no ghost).
        let mut files = BTreeMap::new();
        files.insert(
            dir.path().join("gone.txt").to_string_lossy().to_string(),
            FileState {
                size: 1,
                mtime_ns: 1,
                hash: 1,
                essay: Some("gone".into()),
                skipped: None,
            },
        );
        assert_eq!(diff(&sources, &files).removed.len(), 1);
    }
}
