//! The library at run time: essays' metadata in memory, paragraphs in the
//! index, and atomic swaps when essays are added or removed.

use crate::error::{Error, Result};
use crate::index::{self, Fields};
use crate::model::Paragraph;
pub use crate::store::EssayRecord;
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
    index: Index,
    reader: IndexReader,
    fields: Fields,
    essays: Vec<EssayRecord>,
    by_id: HashMap<String, usize>,
    /// Keeps this snapshot's index generation on disk while it is served.
    _pin: store::Pin,
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
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Snapshot {
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            index: opened.index,
            reader,
            fields: opened.fields,
            essays: opened.essays,
            by_id,
            _pin: opened.pin,
        })
    }

    /// A number unique to this snapshot in this process (cache key).
    pub fn generation(&self) -> u64 {
        self.generation
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
        let top = searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
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
        // Equal scores in a fixed order, not in the order documents happened
        // to land in segments (two indexing threads make that vary by build).
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.essay.cmp(&b.essay))
                .then_with(|| a.paragraph.number.cmp(&b.paragraph.number))
        });
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

/// Add an essay file to the library's added-essays folder and index it at
/// once. `meta` overrides what the text says (its `file` is filled in).
/// Refused (as [`Error::InvalidInput`]) when the file cannot be used or its
/// id is taken; nothing is written then.
pub fn add_essay(
    lib: &Library,
    filename: &str,
    bytes: &[u8],
    mut meta: crate::ingest::catalog::CatalogEntry,
) -> Result<EssayRecord> {
    use crate::ingest::{self, catalog::Catalog, document::slugify};
    let dir = Library::added_dir(&lib.options.data_dir);
    if !lib.options.roots.contains(&dir) {
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
    let rel = format!("{slug}.{ext}");
    meta.file = rel.clone();
    let mut catalog = Catalog::load(&dir).map_err(Error::Config)?;
    let mut probe = Catalog::default();
    probe.insert(meta.clone());
    let (essay, _) = ingest::parse_file(&rel, bytes, &probe)
        .map_err(|e| Error::InvalidInput(format!("{filename}: {e}")))?;
    let _w = lib.writing.lock().unwrap_or_else(|e| e.into_inner());
    if lib.snapshot().essay(&essay.meta.id).is_ok() || dir.join(&rel).exists() {
        return Err(Error::InvalidInput(format!(
            "an essay with id `{}` is already in the library",
            essay.meta.id
        )));
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    crate::fsutil::write_atomic(&dir.join(&rel), bytes)
        .map_err(|e| Error::io(dir.join(&rel), e))?;
    catalog
        .upsert_and_save(&dir, meta)
        .map_err(|e| Error::io(&dir, e))?;
    drop(_w);
    lib.refresh()?;
    lib.snapshot().essay(&essay.meta.id).cloned()
}

/// Remove an essay that was added at run time. Essays of the configured
/// library folder are refused: they are the operator's files.
pub fn remove_added_essay(lib: &Library, essay: &str) -> Result<String> {
    use crate::ingest::catalog::Catalog;
    let snap = lib.snapshot();
    let rec = snap.essays()[snap.resolve_essay(essay)?].clone();
    let dir = Library::added_dir(&lib.options.data_dir);
    let path = dir.join(&rec.meta.source_path);
    if !path.is_file() {
        return Err(Error::InvalidInput(format!(
            "`{}` is part of the configured library, not an added essay; only essays added with /library add can be removed here",
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
    Ok(rec.meta.title)
}
