//! The library at run time: essays' metadata in memory, paragraphs in the
//! index, and atomic swaps when essays are added or removed.

use crate::error::{Error, Result};
use crate::index::{self, Fields};
pub use crate::model::EssayRecord;
use crate::model::Paragraph;
use crate::store::{self, BuildReport};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::TopDocs;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

/// One consistent view of the library: an index reader and the essays it holds.
pub struct Snapshot {
    generation: u64,
    /// The generation of the snapshot this one is a view of (its own when
    /// it is not a view): the same for every circle's view of one index.
    index_generation: u64,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    essays: Vec<EssayRecord>,
    by_id: HashMap<String, usize>,
    /// For a view: whether the index holds essays it must not return
    /// (other circles' uploads); `false`: its searches need no filtering.
    hides_others: bool,
    /// Keeps this snapshot's index generation on disk while it is served.
    _pin: Arc<store::Pin>,
}

static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A paragraph found by a search.
#[derive(Debug, Clone)]
pub struct Hit {
    /// BM25 score.
    pub score: f32,
    /// Index into [`Snapshot::essays`].
    pub essay: usize,
    /// The paragraph.
    pub paragraph: Paragraph,
}

impl Snapshot {
    fn new(opened: store::Opened) -> Result<Snapshot> {
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let by_id = opened
            .essays
            .iter()
            .enumerate()
            .map(|(i, e)| (e.meta.id.clone(), i))
            .collect();
        let generation = next_generation();
        Ok(Snapshot {
            generation,
            index_generation: generation,
            index: opened.index,
            reader,
            fields: opened.fields,
            essays: opened.essays,
            by_id,
            hides_others: false,
            _pin: Arc::new(opened.pin),
        })
    }

    /// What one audience may see: the shared library, and for a circle its
    /// own essays too. Everything a view answers (lists, lookups, ids typed
    /// by hand, searches) is limited to that, so another circle's essay is
    /// "not found" exactly like one that does not exist.
    fn view(&self, circle: Option<&str>) -> Snapshot {
        let essays: Vec<EssayRecord> = self
            .essays
            .iter()
            .filter(|e| e.meta.owner.is_none() || e.meta.owner.as_deref() == circle)
            .cloned()
            .collect();
        let by_id = essays
            .iter()
            .enumerate()
            .map(|(i, e)| (e.meta.id.clone(), i))
            .collect();
        // Other circles' essays are left out of `by_id`; `search` drops
        // their hits (see there), and costs nothing extra while no other
        // circle has uploaded anything.
        let hides_others = essays.len() < self.essays.len();
        Snapshot {
            generation: next_generation(),
            index_generation: self.index_generation,
            index: self.index.clone(),
            reader: self.reader.clone(),
            fields: self.fields,
            essays,
            by_id,
            hides_others,
            _pin: self._pin.clone(),
        }
    }

    /// The essay with this id whoever owns it (for the owner checks of
    /// adding and removing, never for answering a circle).
    fn essay_anywhere(&self, id: &str) -> Option<&EssayRecord> {
        self.by_id.get(id).map(|&i| &self.essays[i])
    }

    /// A number unique to this snapshot in this process (cache key).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// A number shared by a snapshot and every circle's view of it (cache
    /// key for what depends on the index, not on who is asking).
    pub fn index_generation(&self) -> u64 {
        self.index_generation
    }

    /// All essays, in file order.
    pub fn essays(&self) -> &[EssayRecord] {
        &self.essays
    }

    /// Field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A searcher over this snapshot.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Position of an essay by id.
    pub fn essay_index(&self, id: &str) -> Result<usize> {
        self.by_id
            .get(id)
            .copied()
            .ok_or_else(|| Error::EssayNotFound(id.to_string()))
    }

    /// An essay by id.
    pub fn essay(&self, id: &str) -> Result<&EssayRecord> {
        Ok(&self.essays[self.essay_index(id)?])
    }

    /// Resolve what a user typed for an essay: an exact id, else a unique
    /// case-insensitive match on id or title words.
    pub fn resolve_essay(&self, input: &str) -> Result<usize> {
        let q = input.trim();
        if let Some(&i) = self.by_id.get(q) {
            return Ok(i);
        }
        let lower = q.to_lowercase();
        let matches: Vec<usize> = self
            .essays
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.meta.id.contains(&lower) || e.meta.title.to_lowercase().contains(&lower)
            })
            .map(|(i, _)| i)
            .collect();
        match matches.as_slice() {
            [one] if !lower.is_empty() => Ok(*one),
            _ => Err(Error::EssayNotFound(q.chars().take(100).collect())),
        }
    }

    /// One paragraph by essay id and number.
    pub fn paragraph(&self, essay_id: &str, number: u32) -> Result<Paragraph> {
        self.essay(essay_id)?;
        let q = TermQuery::new(
            index::term(self.fields.key, &index::key(essay_id, number)),
            IndexRecordOption::Basic,
        );
        let searcher = self.searcher();
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let (_, addr) = top.first().ok_or_else(|| {
            Error::InvalidInput(format!("essay `{essay_id}` has no paragraph {number}"))
        })?;
        let doc: TantivyDocument = searcher.doc(*addr)?;
        index::read_doc(&self.fields, &doc)
            .map(|(_, p)| p)
            .ok_or_else(|| Error::Config("index document unreadable; rebuild the index".into()))
    }

    /// Every paragraph of an essay, in order.
    pub fn paragraphs(&self, essay_id: &str) -> Result<Vec<Paragraph>> {
        let rec = self.essay(essay_id)?;
        let q = TermQuery::new(
            index::term(self.fields.essay, essay_id),
            IndexRecordOption::Basic,
        );
        let searcher = self.searcher();
        let limit = rec.paragraphs.max(1) as usize;
        let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some((_, p)) = index::read_doc(&self.fields, &doc) {
                out.push(p);
            }
        }
        out.sort_by_key(|p| p.number);
        Ok(out)
    }

    /// Run a query and read back the top paragraphs.
    pub fn search(&self, query: &dyn Query, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.searcher();
        let limit = limit.max(1);
        // Other circles' essays are dropped from the hits (they are not in
        // this view's `by_id`). They are few, so asking for a few more hits
        // than wanted almost always leaves enough; a filter inside the query
        // (MustNot on their owners) would cost more, as it stops tantivy
        // from skipping the blocks that cannot reach the top (measured: quote
        // p99 6.6 → 19 ms at 300 MB with one essay in fifty hidden).
        let mut want = if !self.hides_others {
            limit
        } else {
            limit * 2 + 8
        };
        let mut out = Vec::with_capacity(limit);
        loop {
            let top = searcher.search(query, &TopDocs::with_limit(want).order_by_score())?;
            let exhausted = top.len() < want;
            out.clear();
            for (score, addr) in top {
                let doc: TantivyDocument = searcher.doc(addr)?;
                if let Some((essay_id, paragraph)) = index::read_doc(&self.fields, &doc) {
                    if let Some(&essay) = self.by_id.get(&essay_id) {
                        out.push(Hit {
                            score,
                            essay,
                            paragraph,
                        });
                    }
                }
            }
            if out.len() >= limit || exhausted {
                break;
            }
            want *= 4;
        }
        // Equal scores in a fixed order, not in the order documents happened
        // to land in segments (two indexing threads make that vary by build).
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.essay.cmp(&b.essay))
                .then_with(|| a.paragraph.number.cmp(&b.paragraph.number))
        });
        out.truncate(limit);
        Ok(out)
    }
}

/// Where the library comes from and where its index lives.
#[derive(Debug, Clone)]
pub struct LibraryOptions {
    /// Library folders (the configured one, then essays added through the bot).
    pub roots: Vec<PathBuf>,
    /// Data directory (index, state, added essays).
    pub data_dir: PathBuf,
}

/// The library: a swappable [`Snapshot`] plus what is needed to rebuild it.
pub struct Library {
    options: LibraryOptions,
    current: RwLock<Arc<Snapshot>>,
    /// Views of the current snapshot by audience, made on first use and
    /// dropped when the snapshot is replaced.
    views: Mutex<HashMap<Option<String>, Arc<Snapshot>>>,
    writing: Mutex<()>,
}

impl Library {
    /// Open the library, building or updating the index when the files changed.
    pub fn open(options: LibraryOptions) -> Result<(Library, BuildReport)> {
        Self::open_with(options, false)
    }

    /// Open and force a full rebuild.
    pub fn rebuild(options: LibraryOptions) -> Result<(Library, BuildReport)> {
        Self::open_with(options, true)
    }

    fn open_with(options: LibraryOptions, force: bool) -> Result<(Library, BuildReport)> {
        std::fs::create_dir_all(&options.data_dir).map_err(|e| Error::io(&options.data_dir, e))?;
        let (opened, report) = store::open_or_build(&options.roots, &options.data_dir, force)?;
        let snap = Snapshot::new(opened)?;
        Ok((
            Library {
                options,
                current: RwLock::new(Arc::new(snap)),
                views: Mutex::new(HashMap::new()),
                writing: Mutex::new(()),
            },
            report,
        ))
    }

    /// The current snapshot. Searches hold it; a refresh swaps in a new one.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// What a circle sees (its own essays and the shared library), or with
    /// `None` the shared library alone. Every answer to a member or an
    /// organiser goes through a view.
    pub fn view(&self, circle: Option<&str>) -> Arc<Snapshot> {
        let snap = self.snapshot();
        let mut views = self.views.lock().unwrap_or_else(|e| e.into_inner());
        let key = circle.map(str::to_string);
        if let Some(v) = views.get(&key) {
            if Arc::ptr_eq(&v._pin, &snap._pin) {
                return v.clone();
            }
        }
        if views.values().any(|v| !Arc::ptr_eq(&v._pin, &snap._pin)) {
            views.clear();
        }
        let v = Arc::new(snap.view(circle));
        views.insert(key, v.clone());
        v
    }

    /// Re-read the library folders and apply changes; searches keep using the
    /// old snapshot until the new one is complete.
    pub fn refresh(&self) -> Result<BuildReport> {
        let _w = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let (opened, report) =
            store::open_or_build(&self.options.roots, &self.options.data_dir, false)?;
        let snap = Arc::new(Snapshot::new(opened)?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = snap;
        Ok(report)
    }

    /// Options it was opened with.
    pub fn options(&self) -> &LibraryOptions {
        &self.options
    }

    /// Folder for essays added at run time.
    pub fn added_dir(data_dir: &Path) -> PathBuf {
        data_dir.join("library")
    }
}

/// The folder of one circle's uploads, under the added-essays folder (so
/// the index already covers it); its catalog entries name the circle.
fn circle_dir(data_dir: &Path, circle: &str) -> PathBuf {
    Library::added_dir(data_dir).join("circles").join(circle)
}

/// Add an essay file to a circle's own essays and index it at once: only
/// that circle sees it. `meta` overrides what the text says (its `file` and
/// `circle` are filled in). Refused (as [`Error::InvalidInput`]) when the
/// file cannot be used, its id is the circle's or the shared library's
/// already, or the circle's quota is full; nothing is written then.
pub fn add_essay(
    lib: &Library,
    circle: &str,
    limits: &crate::config::CircleLimits,
    filename: &str,
    bytes: &[u8],
    meta: crate::ingest::catalog::CatalogEntry,
) -> Result<EssayRecord> {
    add_essay_entry(lib, circle, limits, filename, bytes, meta).map(|(record, _)| record)
}

/// [`add_essay`], also giving the catalog entry it wrote (its `file` is
/// the path under the added-essays folder): with the bytes, what the state
/// store keeps for other processes.
pub fn add_essay_entry(
    lib: &Library,
    circle: &str,
    limits: &crate::config::CircleLimits,
    filename: &str,
    bytes: &[u8],
    mut meta: crate::ingest::catalog::CatalogEntry,
) -> Result<(EssayRecord, crate::ingest::catalog::CatalogEntry)> {
    use crate::ingest::{self, catalog::Catalog};
    use crate::text::slugify;
    crate::circle::validate(circle)?;
    let added = Library::added_dir(&lib.options.data_dir);
    if !lib.options.roots.contains(&added) {
        return Err(Error::Config(
            "the added-essays folder is not part of this library".into(),
        ));
    }
    let lower = filename.to_lowercase();
    let ext = if lower.ends_with(".md") { "md" } else { "txt" };
    let stem = filename
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(filename);
    let slug = slugify(stem);
    if slug.is_empty() {
        return Err(Error::InvalidInput(
            "the file name has no letters or digits".into(),
        ));
    }
    meta.circle = Some(circle.to_string());
    let mut probe = Catalog::default();
    let rel_probe = format!("{slug}.{ext}");
    meta.file = rel_probe.clone();
    probe.insert(meta.clone());
    let (essay, _) = ingest::parse_file(&rel_probe, bytes, &probe)
        .map_err(|e| Error::InvalidInput(format!("{filename}: {e}")))?;
    let _w = lib.writing.lock().unwrap_or_else(|e| e.into_inner());
    let snap = lib.snapshot();
    // Quotas count what the circle holds now.
    let own: Vec<&EssayRecord> = snap
        .essays()
        .iter()
        .filter(|e| e.meta.owner.as_deref() == Some(circle))
        .collect();
    if own.len() >= limits.max_essays {
        return Err(Error::InvalidInput(format!(
            "this circle already has {} of its own (the limit is {}); remove one with /library remove first",
            crate::text::count(own.len() as u64, "essay", "essays"),
            limits.max_essays
        )));
    }
    let dir = circle_dir(&lib.options.data_dir, circle);
    let used: u64 = own
        .iter()
        .filter_map(|e| std::fs::metadata(added.join(&e.meta.source_path)).ok())
        .map(|m| m.len())
        .sum();
    if used + bytes.len() as u64 > limits.max_bytes {
        return Err(Error::InvalidInput(format!(
            "this circle's essays take {} KB of its {} KB; this file ({} KB) does not fit. Remove an essay first",
            used / 1024,
            limits.max_bytes / 1024,
            (bytes.len() as u64).div_ceil(1024)
        )));
    }
    // The id: the text's own, unless the shared library or this circle has
    // it already (refused: the member can see that one). Another circle's
    // essay with that id must not be revealed, so the new essay takes an
    // id of its own instead of being refused.
    let id = essay.meta.id.clone();
    let visible = snap.view(Some(circle));
    if visible.essay(&id).is_ok() {
        return Err(Error::InvalidInput(format!(
            "an essay with id `{id}` is already in this circle's library; rename the file or remove that essay first"
        )));
    }
    let mut final_id = id.clone();
    let mut n = 2;
    while snap.essay_anywhere(&final_id).is_some() {
        final_id = format!("{id}-{n}");
        n += 1;
    }
    // Written down: the default id would come from the file's path, which
    // now includes the circle's folder.
    meta.id = Some(final_id.clone());
    let mut file_stem = slug.clone();
    let mut k = 2;
    while dir.join(format!("{file_stem}.{ext}")).exists() {
        file_stem = format!("{slug}-{k}");
        k += 1;
    }
    let rel = format!("circles/{circle}/{file_stem}.{ext}");
    meta.file = rel.clone();
    let mut catalog = Catalog::load(&added).map_err(Error::Config)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = added.join(&rel);
    crate::fsutil::write_atomic(&path, bytes).map_err(|e| Error::io(&path, e))?;
    catalog
        .upsert_and_save(&added, meta.clone())
        .map_err(|e| Error::io(&added, e))?;
    drop(_w);
    lib.refresh()?;
    let record = lib.view(Some(circle)).essay(&final_id).cloned()?;
    Ok((record, meta))
}

/// Remove one of a circle's own essays (`circle`), or as the operator
/// (`None`, the CLI) any essay added through the bot. The shared library's
/// essays are the operator's files and are refused; another circle's essay
/// is "not found", as if it did not exist; an essay added before circles
/// existed has no known owner and only the operator can remove it.
/// Returns the removed essay's record.
pub fn remove_added_essay(lib: &Library, circle: Option<&str>, essay: &str) -> Result<EssayRecord> {
    use crate::ingest::catalog::Catalog;
    let snap = match circle {
        Some(c) => lib.view(Some(c)),
        None => lib.snapshot(),
    };
    let rec = snap.essays()[snap.resolve_essay(essay)?].clone();
    let dir = Library::added_dir(&lib.options.data_dir);
    let path = dir.join(&rec.meta.source_path);
    if !path.is_file() {
        return Err(Error::InvalidInput(format!(
            "`{}` is part of the shared library, not an essay added with /library add; it cannot be removed here",
            rec.meta.id
        )));
    }
    if circle.is_some() && rec.meta.owner.as_deref() != circle {
        return Err(Error::InvalidInput(format!(
            "`{}` was added before circles had their own essays, so no circle owns it; the operator can remove it from the command line",
            rec.meta.id
        )));
    }
    {
        let _w = lib.writing.lock().unwrap_or_else(|e| e.into_inner());
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        let mut catalog = Catalog::load(&dir).map_err(Error::Config)?;
        catalog
            .remove_and_save(&dir, &rec.meta.source_path)
            .map_err(|e| Error::io(&dir, e))?;
    }
    lib.refresh()?;
    Ok(rec)
}

/// Bring in the uploads the state store recorded after library version
/// `seen` (see [`apply_uploads`]); returns how many changes were applied
/// and the version now seen. Cheap when nothing changed: one query.
pub fn sync_uploads(
    lib: &Library,
    state: &dyn crate::state::StateStore,
    seen: u64,
) -> Result<(usize, u64)> {
    if state.essays_version()? <= seen {
        return Ok((0, seen));
    }
    let changes = state.essays_since(seen)?;
    let applied = apply_uploads(lib, &changes)?;
    Ok((applied, changes.last().map_or(seen, |c| c.version)))
}

/// Bring uploads other processes recorded in the state store into this
/// process's library folder (files and catalog), then re-index once if
/// anything changed. Idempotent: an upload already here is left alone.
/// Returns how many changes were applied.
pub fn apply_uploads(lib: &Library, changes: &[crate::state::StoredEssay]) -> Result<usize> {
    use crate::ingest::catalog::{Catalog, CatalogEntry};
    let dir = Library::added_dir(&lib.options.data_dir);
    let mut applied = 0;
    {
        let _w = lib.writing.lock().unwrap_or_else(|e| e.into_inner());
        let mut catalog = Catalog::load(&dir).map_err(Error::Config)?;
        for c in changes {
            // Only a circle's own folder, and no way out of it: the row
            // came from the database, not from this process.
            let prefix = format!("circles/{}/", c.circle);
            let safe = crate::circle::validate(&c.circle).is_ok()
                && c.path.starts_with(&prefix)
                && !c.path[prefix.len()..].contains(['/', '\\'])
                && !c.path.contains("..");
            if !safe {
                tracing::warn!(circle = %c.circle, path = %c.path, "ignoring an uploaded essay with an unexpected path");
                continue;
            }
            let path = dir.join(&c.path);
            if c.removed {
                let had_file = path.is_file();
                if had_file {
                    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                }
                if catalog.get(&c.path).is_some() {
                    catalog
                        .remove_and_save(&dir, &c.path)
                        .map_err(|e| Error::io(&dir, e))?;
                } else if !had_file {
                    continue;
                }
                applied += 1;
                continue;
            }
            let mut entry: CatalogEntry = serde_json::from_str(&c.meta)
                .map_err(|e| Error::Config(format!("{}: {e}", c.path)))?;
            entry.file = c.path.clone();
            entry.circle = Some(c.circle.clone());
            let same_file = std::fs::read(&path).is_ok_and(|b| b == c.bytes);
            if same_file && catalog.get(&c.path) == Some(&entry) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            crate::fsutil::write_atomic(&path, &c.bytes).map_err(|e| Error::io(&path, e))?;
            catalog
                .upsert_and_save(&dir, entry)
                .map_err(|e| Error::io(&dir, e))?;
            applied += 1;
        }
    }
    if applied > 0 {
        lib.refresh()?;
    }
    Ok(applied)
}

/// Essays added through the bot before circles existed: no owner is known,
/// so every circle sees them. Logged at start-up.
pub fn unowned_added_essays(lib: &Library) -> Vec<String> {
    let snap = lib.snapshot();
    let added = Library::added_dir(&lib.options.data_dir);
    snap.essays()
        .iter()
        .filter(|e| e.meta.owner.is_none() && added.join(&e.meta.source_path).is_file())
        .filter(|e| !e.meta.source_path.starts_with("circles/"))
        .map(|e| e.meta.id.clone())
        .collect()
}
