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

/// `../shared/corpora` (present in CI beside the checkout).
pub fn corpora_dir() -> PathBuf {
    let p = root().join("../shared/corpora");
    assert!(
        p.is_dir(),
        "../shared/corpora must be beside the checkout: {}",
        p.display()
    );
    p
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
