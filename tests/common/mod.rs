//! Shared test helpers: a library over the shipped seeds or another folder,
//! indexed into a temporary data directory.
#![allow(dead_code)]

use commonplace::library::{Library, LibraryOptions};
use std::path::PathBuf;

/// The project's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped seeds.
pub fn seeds_dir() -> PathBuf {
    root().join("seeds")
}

/// The public-domain corpora shipped with the tests (`tests/fixtures/corpora`:
/// 363 essays, front matter, hard-wrapped text, one 433 KB essay).
pub fn corpora_dir() -> PathBuf {
    root().join("tests/fixtures/corpora")
}

/// A fixed access date, so citations are reproducible.
pub fn accessed() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 23)
}

/// A library over `dir` in a fresh temporary data directory (kept alive by the guard).
pub fn open(dir: PathBuf) -> (Library, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let (lib, _) = Library::open(LibraryOptions {
        roots: vec![dir],
        data_dir: data.path().to_path_buf(),
    })
    .unwrap();
    (lib, data)
}

/// A library over the shipped seeds.
pub fn seeds() -> (Library, tempfile::TempDir) {
    open(seeds_dir())
}

/// Set by `.ci/run`: a PostgreSQL test without a server fails instead of
/// skipping.
pub const REQUIRE_POSTGRES: &str = "COMMONPLACE_REQUIRE_POSTGRES";
/// The server's URL (any database on it; each test makes its own).
pub const TEST_DATABASE_URL: &str = "COMMONPLACE_TEST_DATABASE_URL";

/// A fresh, empty PostgreSQL database for `test`, as a URL; `None` (with a
/// loud message) when no server is configured, unless CI requires one.
pub fn fresh_postgres(test: &str) -> Option<String> {
    let Some(url) = std::env::var(TEST_DATABASE_URL)
        .ok()
        .filter(|u| !u.is_empty())
    else {
        if std::env::var(REQUIRE_POSTGRES).is_ok() {
            panic!("{test}: {REQUIRE_POSTGRES} is set but {TEST_DATABASE_URL} is not");
        }
        eprintln!(
            "\n*** SKIPPED {test} on PostgreSQL: set {TEST_DATABASE_URL} (eval \"$(bash .ci/postgres start)\") to run it ***\n"
        );
        return None;
    };
    let name = format!(
        "cp_{}_{}_{:08x}",
        test.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            .chars()
            .take(30)
            .collect::<String>(),
        std::process::id(),
        rand::random::<u32>()
    )
    .to_lowercase();
    let admin = url.clone();
    let create = name.clone();
    // Its own thread and runtime: callers may be inside a tokio test.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("cannot reach {TEST_DATABASE_URL}: {e}"));
            tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE DATABASE {create}"))
                .await
                .unwrap();
        });
    })
    .join()
    .unwrap();
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b.to_string(), format!("?{q}")),
        None => (url.clone(), String::new()),
    };
    let prefix = base.rsplit_once('/').map_or(base.as_str(), |(p, _)| p);
    Some(format!("{prefix}/{name}{query}"))
}

/// The seeds with semantic search turned on, embedded by `embedder`; `None`
/// (after saying so) when `file` is not in the model folder yet, and `how`
/// makes it.
#[cfg(feature = "semantic")]
pub fn seeds_with_semantic(
    embedder: commonplace::config::Embedder,
    file: &str,
    how: &str,
) -> Option<(Library, tempfile::TempDir)> {
    use commonplace::search::semantic::{enable, SemanticConfig};
    let model = root().join("models/all-MiniLM-L6-v2");
    if !model.join(file).is_file() {
        eprintln!("\n*** SKIPPED: {file} is missing; run {how} first ***\n");
        return None;
    }
    let (lib, data) = seeds();
    let on = SemanticConfig {
        semantic: true,
        model_dir: model,
        embedder,
    };
    assert!(enable(&on, data.path(), &lib.snapshot()).unwrap());
    Some((lib, data))
}

/// The `k` paragraphs nearest `question` in meaning, as `essay:number`, and
/// what embedded them.
#[cfg(feature = "semantic")]
pub fn nearest_ids(
    lib: &Library,
    question: &str,
    k: usize,
) -> (Vec<String>, commonplace::config::Embedder) {
    let snap = lib.snapshot();
    let near = commonplace::search::semantic::nearest(&snap, question, k).unwrap();
    let ids = near
        .paragraphs
        .iter()
        .map(|(e, n, _)| format!("{}:{n}", snap.essays()[*e].meta.id))
        .collect();
    (ids, near.embedder)
}
