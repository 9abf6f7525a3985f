//! Semantic search with the static table distilled from the model, in a
//! test binary of its own: turning semantic search on is for the whole
//! process.

mod common;

/// With the `semantic` feature and the table distilled
/// (scripts/distill-static): a paragraph is found by meaning alone, nothing
/// is cached on disk, and the fusion is told which embedder ranked it.
#[cfg(feature = "semantic")]
#[test]
fn the_static_table_finds_a_paragraph_by_meaning() {
    use commonplace::config::Embedder;
    let Some((lib, data)) = common::seeds_with_semantic(
        Embedder::Static,
        "static.safetensors",
        "scripts/distill-static",
    ) else {
        return;
    };
    assert!(!data.path().join("vectors-minilm.bin").exists());
    // No content word in common with the paragraph (wages, syndicalism,
    // trade union): found by meaning. The table's ranking is rougher than
    // the model's (which puts it in the first five): in the first ten.
    let (found, embedder) = common::nearest_ids(
        &lib,
        "builders care more about their pay than about anarchist theory",
        10,
    );
    assert_eq!(embedder, Embedder::Static);
    assert!(
        found.contains(&"survival-mechanism:36".to_string()),
        "{found:?}"
    );
}
