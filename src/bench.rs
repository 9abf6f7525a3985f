//! Benchmarks: indexing throughput, query latency against a linear-scan
//! baseline, start-up time, memory and index size, on the seeds, the shared
//! corpora and a generated large library. Run with `commonplace bench`.

use crate::citation::Style;
use crate::error::{Error, Result};
use crate::ingest;
use crate::library::{Library, LibraryOptions, Snapshot};
use crate::prompts::{pick, PromptEngine};
use crate::search::{cite, quote};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Latency summary in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Latency {
    /// Number of samples.
    pub n: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Maximum.
    pub max_ms: f64,
}

impl Latency {
    /// From samples in milliseconds.
    pub fn of(mut v: Vec<f64>) -> Latency {
        if v.is_empty() {
            return Latency::default();
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
        Latency {
            n: v.len(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            max_ms: *v.last().unwrap(),
        }
    }
}

/// What a probe process measures on an existing index.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Probe {
    /// Open the existing index until ready to answer.
    pub startup_ms: f64,
    /// RSS right after start-up, KiB.
    pub rss_ready_kib: u64,
    /// RSS after all queries, KiB (steady state while serving).
    pub rss_serving_kib: u64,
    /// Peak RSS of the probe, KiB.
    pub rss_peak_kib: u64,
    /// Of the serving RSS: anonymous memory (heap), KiB.
    pub rss_anon_kib: u64,
    /// Of the serving RSS: file pages mapped from the index (page cache), KiB.
    pub rss_file_kib: u64,
    /// quote latency.
    pub quote: LatencyOwned,
    /// cite latency.
    pub cite: LatencyOwned,
    /// quote latency answering as a circle (the owner filter on), same topics.
    #[serde(default)]
    pub quote_circle: LatencyOwned,
    /// cite latency answering as a circle, same quotes.
    #[serde(default)]
    pub cite_circle: LatencyOwned,
    /// quote latency without a circle, measured alongside `quote_circle`.
    #[serde(default)]
    pub quote_shared: LatencyOwned,
    /// cite latency without a circle, measured alongside `cite_circle`.
    #[serde(default)]
    pub cite_shared: LatencyOwned,
    /// prompt latency (pool cached after the first call per essay).
    pub prompt: LatencyOwned,
    /// Generating one essay's prompt pool (cold).
    pub prompt_pool: LatencyOwned,
    /// The same topic queries answered by scanning every file.
    pub scan: LatencyOwned,
    /// Essays.
    pub essays: usize,
    /// Cite queries matched to their source passage (sanity check of the
    /// figures; in the generated library any copy of the passage counts).
    pub cite_found: usize,
    /// With semantic search on: what embedded the library, how long it
    /// took (nothing was cached beforehand unless the data directory held
    /// vectors), and the RSS once it was done, KiB. The quote figures above
    /// are then with semantic search.
    #[serde(default)]
    pub semantic: Option<SemanticReady>,
}

/// Turning semantic search on, measured.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SemanticReady {
    /// `model` or `static`.
    pub embedder: String,
    /// Seconds to embed the library's paragraphs and sentences.
    pub seconds: f64,
    /// Texts (paragraphs and sentences) embedded.
    pub texts: usize,
    /// RSS right after, KiB.
    pub rss_kib: u64,
}

/// Serializable latency (owned, deserializable for the probe's JSON).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct LatencyOwned {
    /// Samples.
    pub n: usize,
    /// Median ms.
    pub p50_ms: f64,
    /// p99 ms.
    pub p99_ms: f64,
    /// Max ms.
    pub max_ms: f64,
}

impl From<Latency> for LatencyOwned {
    fn from(l: Latency) -> Self {
        LatencyOwned {
            n: l.n,
            p50_ms: l.p50_ms,
            p99_ms: l.p99_ms,
            max_ms: l.max_ms,
        }
    }
}

fn status_kib(name: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resident set size and its peak, KiB (Linux; zeros elsewhere).
pub fn rss_kib() -> (u64, u64) {
    (status_kib("VmRSS:"), status_kib("VmHWM:"))
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

const TOPICS: &[&str] = &[
    "should the left support sending weapons to Ukraine",
    "what is true friendship",
    "the tyranny of the majority",
    "death and how to face it",
    "solidarity across borders",
    "why do men fear solitude",
    "the nature of truth and lying",
    "how should a government be limited",
    "books and reading",
    "nature and the seasons",
];

/// Queries drawn from the library itself: topics of 2-4 content words, and
/// misquotes of real sentences (typos and a dropped word).
/// Topics, and misquotes with the text of the paragraph each was taken from.
fn queries(snap: &Snapshot, n: usize, rng: &mut StdRng) -> (Vec<String>, Vec<(String, String)>) {
    let mut topics: Vec<String> = TOPICS.iter().map(|s| s.to_string()).collect();
    let mut misquotes = Vec::new();
    let essays = snap.essays();
    let mut guard = 0;
    while (topics.len() < n || misquotes.len() < n) && guard < n * 20 {
        guard += 1;
        let e = &essays[rng.gen_range(0..essays.len())];
        let Ok(p) = snap.paragraph(&e.meta.id, rng.gen_range(1..=e.paragraphs.max(1))) else {
            continue;
        };
        let words: Vec<&str> = p
            .text
            .split_whitespace()
            .filter(|w| w.len() > 4 && w.chars().all(char::is_alphabetic))
            .collect();
        if topics.len() < n && words.len() >= 4 {
            let k = rng.gen_range(2..=4);
            topics.push(
                words
                    .choose_multiple(rng, k)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        if misquotes.len() < n {
            let Some(i) = (0..p.sentences.len())
                .collect::<Vec<_>>()
                .choose(rng)
                .copied()
            else {
                continue;
            };
            let s = p.sentence(i);
            let mut w: Vec<String> = s.split_whitespace().map(str::to_string).collect();
            if !(10..=50).contains(&w.len()) {
                continue;
            }
            let drop = rng.gen_range(1..w.len() - 1);
            w.remove(drop);
            let j = rng.gen_range(0..w.len());
            if let Some((at, _)) = w[j]
                .char_indices()
                .nth(2)
                .filter(|_| w[j].chars().count() > 4)
            {
                w[j].remove(at);
            }
            misquotes.push((w.join(" "), p.text.clone()));
        }
    }
    (topics, misquotes)
}

/// Answer a topic by reading every file: count query words per paragraph.
fn scan_once(roots: &[PathBuf], topic: &str) -> usize {
    let words: Vec<String> = topic
        .to_lowercase()
        .split_whitespace()
        .filter(|w| w.len() > 3)
        .map(str::to_string)
        .collect();
    let mut best = 0;
    if let Ok((files, _)) = ingest::list_sources(roots) {
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f.path) else {
                continue;
            };
            for para in text.split("\n\n") {
                let lower = para.to_lowercase();
                let score = words.iter().filter(|w| lower.contains(w.as_str())).count();
                best = best.max(score);
            }
        }
    }
    best
}

/// Measure a library whose index exists in `data_dir` (run in a fresh process).
pub fn probe(
    roots: Vec<PathBuf>,
    data_dir: PathBuf,
    n: usize,
    scan_n: usize,
    search: &crate::config::SearchConfig,
) -> Result<Probe> {
    let t = Instant::now();
    let (lib, report) = Library::open(LibraryOptions {
        roots: roots.clone(),
        data_dir: data_dir.clone(),
    })?;
    let startup_ms = ms(t);
    if report.action != "reused" {
        return Err(Error::Config(format!(
            "probe expected an existing index, but it was {}",
            report.action
        )));
    }
    let rss_ready = rss_kib().0;
    let snap = lib.snapshot();
    let semantic = if search.semantic {
        let t = Instant::now();
        crate::search::semantic::enable(search, &data_dir, &snap)?;
        Some(SemanticReady {
            embedder: format!("{:?}", search.embedder).to_lowercase(),
            seconds: t.elapsed().as_secs_f64(),
            texts: crate::search::semantic::texts_held(),
            rss_kib: rss_kib().0,
        })
    } else {
        None
    };
    let today = jiff::civil::date(2026, 11, 23);
    let mut rng = StdRng::seed_from_u64(1);
    let (topics, misquotes) = queries(&snap, n, &mut rng);
    let mut q = Vec::new();
    for topic in &topics {
        let t = Instant::now();
        let req = quote::QuoteRequest {
            topic: topic.clone(),
            limit: 3,
            ..Default::default()
        };
        let _ = quote::find_quotes(&snap, &req, today);
        q.push(ms(t));
    }
    let mut c = Vec::new();
    let mut found = 0;
    for (text, source) in &misquotes {
        let t = Instant::now();
        let r = cite::find_source(&snap, text, Style::Mla, today);
        c.push(ms(t));
        // Right passage: the generated library holds the same essay many
        // times over, so any copy of the source paragraph counts.
        if r.ok()
            .and_then(|r| r.matched_text)
            .is_some_and(|m| source.contains(m.as_str()))
        {
            found += 1;
        }
    }
    // The same queries again, as a circle sees the library (other
    // circles' essays hidden, in the generated library one in fifty) and
    // with no scope at all (as before circles), alternating which goes
    // first, so that both run on equally warm caches: the difference is
    // what a circle's scope costs.
    let circle_view = lib.view(Some("bench-circle"));
    let (mut qc, mut qw, mut cc, mut cw) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, topic) in topics.iter().enumerate() {
        let req = quote::QuoteRequest {
            topic: topic.clone(),
            limit: 3,
            ..Default::default()
        };
        for pass in 0..2 {
            let scoped = (i + pass) % 2 == 0;
            let view = if scoped { &circle_view } else { &snap };
            let t = Instant::now();
            let _ = quote::find_quotes(view, &req, today);
            if scoped {
                qc.push(ms(t))
            } else {
                qw.push(ms(t))
            }
        }
    }
    for (i, (text, _)) in misquotes.iter().enumerate() {
        for pass in 0..2 {
            let scoped = (i + pass) % 2 == 0;
            let view = if scoped { &circle_view } else { &snap };
            let t = Instant::now();
            let _ = cite::find_source(view, text, Style::Mla, today);
            if scoped {
                cc.push(ms(t))
            } else {
                cw.push(ms(t))
            }
        }
    }
    drop(circle_view);
    let engine = PromptEngine::new();
    let mut pools = Vec::new();
    let mut prompts = Vec::new();
    let sample: Vec<String> = snap
        .essays()
        .choose_multiple(&mut rng, 10.min(snap.essays().len()))
        .map(|e| e.meta.id.clone())
        .collect();
    for id in &sample {
        let t = Instant::now();
        let pool = engine.pool(&snap, Some(id), None, None, Style::Mla, today)?;
        pools.push(ms(t));
        for i in 0..20 {
            let t = Instant::now();
            let pool = engine.pool(&snap, Some(id), None, None, Style::Mla, today)?;
            if !pool.is_empty() {
                let _ = pick(&pool, None, None, None, Some(i));
            }
            prompts.push(ms(t));
        }
        drop(pool);
    }
    let rss_serving = rss_kib().0;
    let peak = rss_kib().1;
    let (rss_anon, rss_file) = (status_kib("RssAnon:"), status_kib("RssFile:"));
    let mut scans = Vec::new();
    for topic in topics.iter().take(scan_n) {
        let t = Instant::now();
        std::hint::black_box(scan_once(&roots, topic));
        scans.push(ms(t));
    }
    Ok(Probe {
        startup_ms,
        rss_ready_kib: rss_ready,
        rss_serving_kib: rss_serving,
        rss_peak_kib: peak,
        rss_anon_kib: rss_anon,
        rss_file_kib: rss_file,
        quote: Latency::of(q).into(),
        cite: Latency::of(c).into(),
        quote_circle: Latency::of(qc).into(),
        cite_circle: Latency::of(cc).into(),
        quote_shared: Latency::of(qw).into(),
        cite_shared: Latency::of(cw).into(),
        prompt: Latency::of(prompts).into(),
        prompt_pool: Latency::of(pools).into(),
        scan: Latency::of(scans).into(),
        essays: snap.essays().len(),
        semantic,
        cite_found: found,
    })
}

/// Total size of files under a folder.
pub fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                total += dir_bytes(&p);
            } else if let Ok(m) = e.metadata() {
                total += m.len();
            }
        }
    }
    total
}

/// Build a library of about `mb` megabytes by copying `source`'s essays into
/// numbered folders (distinct paths, so distinct ids).
pub fn generate_library(source: &Path, target: &Path, mb: u64) -> Result<u64> {
    let (files, _) = ingest::list_sources(&[source.to_path_buf()])?;
    let mut written = 0u64;
    let mut copy = 0;
    let mut catalog = String::new();
    let mut n = 0usize;
    while written < mb * 1024 * 1024 {
        for f in &files {
            let rel = format!("copy-{copy:03}/{}", f.rel);
            let dest = target.join(&rel);
            std::fs::create_dir_all(dest.parent().unwrap()).map_err(|e| Error::io(&dest, e))?;
            let bytes = std::fs::read(&f.path).map_err(|e| Error::io(&f.path, e))?;
            written += bytes.len() as u64;
            std::fs::write(&dest, bytes).map_err(|e| Error::io(&dest, e))?;
            // One essay in fifty belongs to one of 40 other circles, as
            // uploads would: a circle's view then really hides something.
            if n.is_multiple_of(50) {
                catalog.push_str(&format!(
                    "[[essay]]\nfile = \"{rel}\"\ncircle = \"bench-other-{}\"\n\n",
                    n / 50 % 40
                ));
            }
            n += 1;
        }
        copy += 1;
    }
    let path = target.join(ingest::catalog::CATALOG_FILE);
    std::fs::write(&path, catalog).map_err(|e| Error::io(&path, e))?;
    Ok(written)
}

/// Figures of a full rebuild.
#[derive(Debug, Clone, Serialize)]
pub struct Build {
    /// Source bytes.
    pub source_bytes: u64,
    /// Seconds (median of the runs).
    pub seconds: f64,
    /// Seconds of each run.
    pub runs_s: Vec<f64>,
    /// MB/s.
    pub mb_per_s: f64,
    /// Index size on disk, bytes.
    pub index_bytes: u64,
    /// Essays indexed.
    pub essays: usize,
}

/// Rebuild the index of `roots` into `data_dir` `runs` times and report the
/// median (this machine's CPU speed varies by 10–20% from run to run).
pub fn build(roots: &[PathBuf], data_dir: &Path, runs: usize) -> Result<Build> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_dir_all(data_dir.join("index"));
        let t = Instant::now();
        let (lib, report) = Library::rebuild(LibraryOptions {
            roots: roots.to_vec(),
            data_dir: data_dir.to_path_buf(),
        })?;
        times.push(t.elapsed().as_secs_f64());
        last = Some((lib, report));
    }
    let (lib, report) = last.expect("at least one run");
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let seconds = sorted[sorted.len() / 2];
    Ok(Build {
        source_bytes: report.parsed_bytes,
        seconds,
        runs_s: times,
        mb_per_s: report.parsed_bytes as f64 / 1_048_576.0 / seconds,
        index_bytes: dir_bytes(&data_dir.join("index")),
        essays: lib.snapshot().essays().len(),
    })
}

/// Add one essay to an indexed library and time the incremental update.
pub fn add_one(roots: &[PathBuf], data_dir: &Path, essay: &Path) -> Result<f64> {
    let dest = roots[0]
        .join("added-by-bench")
        .join(essay.file_name().unwrap_or_default());
    std::fs::create_dir_all(dest.parent().unwrap()).map_err(|e| Error::io(&dest, e))?;
    std::fs::copy(essay, &dest).map_err(|e| Error::io(&dest, e))?;
    let t = Instant::now();
    let (_, report) = Library::open(LibraryOptions {
        roots: roots.to_vec(),
        data_dir: data_dir.to_path_buf(),
    })?;
    let secs = t.elapsed().as_secs_f64();
    if report.action != "updated" {
        return Err(Error::Config(format!(
            "expected an incremental update, got {}",
            report.action
        )));
    }
    Ok(secs)
}
