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
    use commonplace::search::semantic::{enable, nearest, SemanticConfig};
    let model = common::root().join("models/all-MiniLM-L6-v2");
    if !model.join("static.safetensors").is_file() {
        eprintln!("\n*** SKIPPED static table: run scripts/distill-static first ***\n");
        return;
    }
    let (lib, data) = common::seeds();
    let on = SemanticConfig {
        semantic: true,
        model_dir: model,
        embedder: commonplace::config::Embedder::Static,
    };
    assert!(enable(&on, data.path(), &lib.snapshot()).unwrap());
    assert!(!data.path().join("vectors-minilm.bin").exists());
    // No content word in common with the paragraph (wages, syndicalism,
    // trade union): found by meaning. The table's ranking is rougher than
    // the model's (which puts it in the first five): in the first ten.
    let near = nearest(
        &lib.snapshot(),
        "builders care more about their pay than about anarchist theory",
        10,
    )
    .unwrap();
    assert_eq!(near.embedder, commonplace::config::Embedder::Static);
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
