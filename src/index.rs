//! The tantivy index: one document per paragraph. This module owns the schema,
//! the analyzer, and how a paragraph is stored and read back.

use crate::error::Result;
use crate::model::Paragraph;
use crate::stemmer::{MemoStemmer, MEMO_SLOTS};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument, Term};

/// Bumped whenever the schema or the way text is cleaned changes: an index of
/// another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 5;

/// Name of our analyzer: simple tokenizer, lowercase, ASCII folding, English stemmer.
pub const ANALYZER: &str = "cp_stem";

/// The fields of a paragraph document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Source file (relative path): lets one file's documents be replaced.
    pub file: Field,
    /// Essay id.
    pub essay: Field,
    /// `essay#number`, for direct lookup.
    pub key: Field,
    /// Paragraph number.
    pub number: Field,
    /// Speaker name, lowercased, for filtering.
    pub speaker: Field,
    /// Stemmed body text (indexed with positions, not stored).
    pub body: Field,
    /// The paragraph as JSON (stored only).
    pub payload: Field,
    /// The circle that owns the essay, "" for the shared library: searches
    /// filter on it so one circle's essays never reach another's results.
    pub owner: Field,
    /// The essay's title and the paragraph's section heading (stemmed,
    /// indexed, not stored): Bacon's "Of Gardens" is about gardens in every
    /// paragraph, though few of them say the word.
    pub context: Field,
}

/// The `owner` value of essays every circle sees.
pub const SHARED: &str = "";

/// Build the schema and its field handles.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        file: b.add_text_field("file", STRING),
        essay: b.add_text_field("essay", STRING | STORED),
        key: b.add_text_field("key", STRING),
        number: b.add_u64_field("number", STORED),
        speaker: b.add_text_field("speaker", STRING),
        body: b.add_text_field("body", text),
        payload: b.add_text_field("payload", STORED),
        owner: b.add_text_field("owner", STRING),
        context: b.add_text_field(
            "context",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
    };
    (b.build(), fields)
}

/// The analyzer used for the body, and for turning user text into terms. Its
/// stemmer is memoised (see [`crate::stemmer`]): the terms are exactly those
/// of tantivy's English stemmer.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(MemoStemmer::new(MEMO_SLOTS))
        .build()
}

/// Register our analyzer on an opened or created index.
pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

thread_local! {
    // Building an analyzer allocates a stemmer; queries analyze many short texts.
    static THREAD_ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(analyzer());
}

/// Stemmed tokens of `text` with the body's analyzer, in order.
pub fn analyze(text: &str) -> Vec<String> {
    THREAD_ANALYZER.with(|a| analyze_with(&mut a.borrow_mut(), text))
}

fn analyze_with(a: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The lookup key of a paragraph.
pub fn key(essay_id: &str, number: u32) -> String {
    format!("{essay_id}#{number}")
}

/// Make the document for one paragraph.
pub fn paragraph_doc(
    f: &Fields,
    file: &str,
    essay_id: &str,
    owner: Option<&str>,
    speaker: Option<&str>,
    title: &str,
    p: &Paragraph,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.file, file);
    doc.add_text(f.owner, owner.unwrap_or(SHARED));
    doc.add_text(f.essay, essay_id);
    doc.add_text(f.key, key(essay_id, p.number));
    doc.add_u64(f.number, p.number as u64);
    if let Some(s) = speaker {
        doc.add_text(f.speaker, s.to_lowercase());
    }
    doc.add_text(f.body, &p.text);
    match &p.section {
        Some(section) => doc.add_text(f.context, format!("{title}\n{section}")),
        None => doc.add_text(f.context, title),
    }
    doc.add_text(
        f.payload,
        serde_json::to_string(p).expect("a paragraph always serializes"),
    );
    doc
}

/// Read a stored paragraph document back: (essay id, paragraph).
pub fn read_doc(f: &Fields, doc: &TantivyDocument) -> Option<(String, Paragraph)> {
    let essay = doc.get_first(f.essay)?.as_str()?.to_string();
    let payload = doc.get_first(f.payload)?.as_str()?;
    let p: Paragraph = serde_json::from_str(payload).ok()?;
    Some((essay, p))
}

/// Term helpers.
pub fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

/// Open an index directory (read with positioned reads, see
/// [`crate::index_dir`]) and register the analyzer.
pub fn open(dir: &std::path::Path) -> Result<Index> {
    let index = Index::open(directory(dir, false)?)?;
    register(&index);
    Ok(index)
}

/// Open an existing index to write to it (with tantivy's own file locks; a
/// published generation is never written, so serving needs none).
pub fn open_for_writing(dir: &std::path::Path) -> Result<Index> {
    let index = Index::open(directory(dir, true)?)?;
    register(&index);
    Ok(index)
}

/// Create an empty index in an existing, empty directory.
pub fn create(dir: &std::path::Path) -> Result<(Index, Fields)> {
    let (schema, fields) = schema();
    let index = Index::create(
        directory(dir, true)?,
        schema,
        tantivy::IndexSettings::default(),
    )?;
    register(&index);
    Ok((index, fields))
}

fn directory(dir: &std::path::Path, writable: bool) -> Result<crate::index_dir::ReadDirectory> {
    crate::index_dir::ReadDirectory::open(dir, writable)
        .map_err(|e| tantivy::TantivyError::from(e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memoised_analyzer_gives_the_stemmers_folded_terms() {
        let mut text =
            String::from("Naïve internationalists' “campism” — 1000 [[nested]] ümlaut café");
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        for entry in std::fs::read_dir(seeds).unwrap() {
            text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
        }
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build();
        let mut english = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build();
        let expected: Vec<String> = analyze_with(&mut plain, &text)
            .into_iter()
            .map(|t| crate::stemmer::fold_agent(t, &mut english))
            .collect();
        assert!(expected.len() > 10_000);
        let mut memoised = analyzer();
        for _ in 0..2 {
            assert_eq!(analyze_with(&mut memoised, &text), expected);
        }
        assert_eq!(analyze(&text), expected);
    }
}
