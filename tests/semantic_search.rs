//! Semantic search, in a test binary of its own: turning it on is for the
//! whole process, and the other retrieval tests measure BM25 alone.

mod common;

/// With the `semantic` feature and the model fetched (scripts/fetch-model):
/// a paragraph is found by meaning alone, and its vectors are cached on
/// disk.
#[cfg(feature = "semantic")]
#[test]
fn semantic_search_finds_a_paragraph_by_meaning() {
    use commonplace::search::semantic::{enable, nearest, SemanticConfig};
    let model = common::root().join("models/all-MiniLM-L6-v2");
    if !model.join("model.safetensors").is_file() {
        eprintln!("\n*** SKIPPED semantic search: run scripts/fetch-model first ***\n");
        return;
    }
    let (lib, data) = common::seeds();
    let on = SemanticConfig {
        semantic: true,
        model_dir: model,
        ..Default::default()
    };
    assert!(enable(&on, data.path(), &lib.snapshot()).unwrap());
    assert!(data.path().join("vectors-minilm.bin").is_file());
    // No content word in common with the paragraph (wages, syndicalism,
    // trade union): found by meaning.
    let near = nearest(
        &lib.snapshot(),
        "builders care more about their pay than about anarchist theory",
        5,
    )
    .unwrap();
    let snap = lib.snapshot();
    let found: Vec<String> = near
        .paragraphs
        .iter()
        .map(|(e, n, _)| format!("{}:{n}", snap.essays()[*e].meta.id))
        .collect();
    assert!(
        found.contains(&"survival-mechanism:36".to_string()),
        "{found:?}"
    );
}
