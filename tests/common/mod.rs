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
