//! Semantic search, in a test binary of its own: turning it on is for the
//! whole process, and the other retrieval tests measure BM25 alone.

mod common;

/// With the `semantic` feature and the model fetched (scripts/fetch-model):
/// a paragraph is found by meaning alone, and its vectors are cached on
/// disk.
#[cfg(feature = "semantic")]
#[test]
fn semantic_search_finds_a_paragraph_by_meaning() {
    use commonplace::config::Embedder;
    let Some((lib, data)) =
        common::seeds_with_semantic(Embedder::Model, "model.safetensors", "scripts/fetch-model")
    else {
        return;
    };
    assert!(data.path().join("vectors-minilm.bin").is_file());
    // No content word in common with the paragraph (wages, syndicalism,
    // trade union): found by meaning.
    let (found, embedder) = common::nearest_ids(
        &lib,
        "builders care more about their pay than about anarchist theory",
        5,
    );
    assert_eq!(embedder, Embedder::Model);
    assert!(
        found.contains(&"survival-mechanism:36".to_string()),
        "{found:?}"
    );
}
