//! Semantic retrieval: every paragraph as a sentence embedding
//! (all-MiniLM-L6-v2, run on the CPU with candle), the question too, and
//! the paragraphs nearest it by cosine, to be fused with BM25's ranking.
//!
//! Built only with the `semantic` cargo feature and used only when the
//! config turns it on (`[search] semantic = true`): BM25 alone is the
//! default and needs no model. Paragraph vectors are cached on disk by the
//! paragraph text's hash (`<data>/vectors-minilm.bin`), so adding an essay
//! embeds only that essay's paragraphs.

use crate::error::{Error, Result};
use crate::library::Snapshot;
use std::path::Path;

pub use crate::config::SearchConfig as SemanticConfig;

#[cfg(feature = "semantic")]
mod static_table;

/// Distil the static embedding table from the model in `config.model_dir`
/// (see [`crate::config::Embedder::Static`]), learning each word piece's
/// meaning in context from the paragraphs of `corpus`. Returns how many
/// word pieces it holds.
pub fn distill<'a>(
    config: &SemanticConfig,
    corpus: impl Iterator<Item = &'a str>,
) -> Result<usize> {
    imp::distill(config, corpus)
}

/// How many texts (paragraphs and sentences) semantic search holds vectors
/// for; 0 when it is off.
pub fn texts_held() -> usize {
    imp::texts_held()
}

/// Turn semantic retrieval on for this process (when the config asks),
/// embedding the library's paragraphs now (cached on disk) so that no
/// question waits for them. Returns whether it is on.
pub fn enable(config: &SemanticConfig, data_dir: &Path, snap: &Snapshot) -> Result<bool> {
    if !config.semantic {
        return Ok(false);
    }
    imp::enable(config, data_dir, snap).map(|()| true)
}

/// The paragraphs nearest a question in meaning.
pub struct Nearest {
    /// (essay index, paragraph number, cosine), best first.
    pub paragraphs: Vec<(usize, u32, f32)>,
    /// What embedded them: the fusion trusts the model more.
    pub embedder: crate::config::Embedder,
}

/// The paragraphs nearest `question` in meaning. `None` when semantic
/// retrieval is off.
pub fn nearest(snap: &Snapshot, question: &str, k: usize) -> Option<Nearest> {
    imp::nearest(snap, question, k)
}

/// How near each sentence of paragraph `number` of essay `essay` (an index
/// into `snap`'s essays) is to `question` in meaning, in sentence order.
/// `None` when semantic retrieval is off.
pub fn sentence_similarity(
    snap: &Snapshot,
    essay: usize,
    number: u32,
    question: &str,
) -> Option<Vec<f32>> {
    imp::sentence_similarity(snap, essay, number, question)
}

#[cfg(not(feature = "semantic"))]
mod imp {
    use super::*;

    pub fn sentence_similarity(_: &Snapshot, _: usize, _: u32, _: &str) -> Option<Vec<f32>> {
        None
    }

    pub fn enable(_: &SemanticConfig, _: &Path, _: &Snapshot) -> Result<()> {
        Err(Error::Config(
            "search.semantic is on, but this build has no semantic search: build with `--features semantic` (see README, \"Semantic search\")".into(),
        ))
    }

    pub fn nearest(_: &Snapshot, _: &str, _: usize) -> Option<Nearest> {
        None
    }

    pub fn texts_held() -> usize {
        0
    }

    pub fn distill<'a>(_: &SemanticConfig, _: impl Iterator<Item = &'a str>) -> Result<usize> {
        Err(Error::Config(
            "this build has no semantic search: build with `--features semantic`".into(),
        ))
    }
}

#[cfg(feature = "semantic")]
mod imp {
    use super::*;
    use candle_core::{Device, Tensor};
    use candle_nn::VarBuilder;
    use candle_transformers::models::bert::{BertModel, Config, DTYPE};
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    use tokenizers::Tokenizer;

    /// Longest input in word pieces: longer paragraphs are judged by their
    /// beginning.
    const MAX_TOKENS: usize = 256;
    pub(super) const DIMS: usize = 384;
    /// Running sums in a dot product; divides `DIMS`.
    const LANES: usize = 16;
    /// Question vectors kept for questions being answered.
    const RECENT_QUESTIONS: usize = 16;
    /// How much a paragraph's nearest sentence counts beside the paragraph
    /// itself when ranking by meaning. Tuned on the development questions
    /// (`commonplace eval`, 0 to 1): at 0.3 nDCG@5 rose from 0.70 to 0.72
    /// on the seeds and from 0.32 to 0.38 on the corpora.
    const SENTENCE_WEIGHT: f32 = 0.3;
    /// How many paragraphs nearest by their own vector are read again by
    /// their sentences: 80 gave the same development figures as 200, and
    /// the rest seldom climb into the 40 that are fused.
    const SENTENCE_DEPTH: usize = 80;

    /// The sentence model itself.
    pub(super) struct ModelEmbedder {
        pub(super) model: BertModel,
        pub(super) tokenizer: Tokenizer,
        device: Device,
    }

    fn model_err(e: impl std::fmt::Display) -> Error {
        Error::Config(format!("semantic model: {e}"))
    }

    impl ModelEmbedder {
        fn load(dir: &Path) -> Result<ModelEmbedder> {
            let file = |name: &str| {
                let p = dir.join(name);
                if p.is_file() {
                    Ok(p)
                } else {
                    Err(Error::Config(format!(
                        "semantic model: {} is missing; run scripts/fetch-model",
                        p.display()
                    )))
                }
            };
            let device = Device::Cpu;
            let config: Config = serde_json::from_str(
                &std::fs::read_to_string(file("config.json")?).map_err(|e| Error::io(dir, e))?,
            )
            .map_err(model_err)?;
            let weights = file("model.safetensors")?;
            // SAFETY: the weights file is mapped read-only and not changed
            // while the process runs (it is ours, under models/).
            let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[weights], DTYPE, &device) }
                .map_err(model_err)?;
            let model = BertModel::load(vb, &config).map_err(model_err)?;
            let mut tokenizer = Tokenizer::from_file(file("tokenizer.json")?).map_err(model_err)?;
            // The shipped tokenizer pads every input to 128 tokens: one text
            // at a time needs no padding.
            tokenizer.with_padding(None);
            tokenizer
                .with_truncation(Some(tokenizers::TruncationParams {
                    max_length: MAX_TOKENS,
                    ..Default::default()
                }))
                .map_err(model_err)?;
            Ok(ModelEmbedder {
                model,
                tokenizer,
                device,
            })
        }

        /// The model's output for each word piece of `text` (with its
        /// [CLS] and [SEP]): the pieces, and a tensor of one row per piece.
        pub(super) fn token_outputs(&self, text: &str) -> Result<(Vec<u32>, Tensor)> {
            let enc = self.tokenizer.encode(text, true).map_err(model_err)?;
            let ids = Tensor::new(enc.get_ids(), &self.device)
                .and_then(|t| t.unsqueeze(0))
                .map_err(model_err)?;
            let types = ids.zeros_like().map_err(model_err)?;
            let out = self
                .model
                .forward(&ids, &types, None)
                .and_then(|o| o.squeeze(0))
                .map_err(model_err)?;
            Ok((enc.get_ids().to_vec(), out))
        }

        /// Mean-pooled, unit-length embedding.
        fn embed(&self, text: &str) -> Result<Vec<f32>> {
            let out = self
                .token_outputs(text)?
                .1
                .mean(0)
                .and_then(|o| o.to_vec1::<f32>())
                .map_err(model_err)?;
            let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            Ok(out.into_iter().map(|x| x / norm).collect())
        }
    }

    /// What turns a text into a vector: the model, or the table distilled
    /// from it.
    enum Embedder {
        Model(Box<ModelEmbedder>),
        Static(Box<static_table::StaticTable>),
    }

    impl Embedder {
        fn load(config: &SemanticConfig) -> Result<Embedder> {
            Ok(match config.embedder {
                crate::config::Embedder::Model => {
                    Embedder::Model(Box::new(ModelEmbedder::load(&config.model_dir)?))
                }
                crate::config::Embedder::Static => Embedder::Static(Box::new(
                    static_table::StaticTable::load(&config.model_dir)?,
                )),
            })
        }

        fn embed(&self, text: &str) -> Result<Vec<f32>> {
            match self {
                Embedder::Model(m) => m.embed(text),
                Embedder::Static(t) => t.embed(text),
            }
        }

        fn kind(&self) -> crate::config::Embedder {
            match self {
                Embedder::Model(_) => crate::config::Embedder::Model,
                Embedder::Static(_) => crate::config::Embedder::Static,
            }
        }

        /// Whether a text's vector is worth keeping on disk: the model's
        /// take milliseconds, the table's microseconds.
        fn caches(&self) -> bool {
            matches!(self, Embedder::Model(_))
        }
    }

    /// Load what `config` asks to embed with (for tests: without turning
    /// semantic search on for the process).
    #[cfg(test)]
    pub(super) fn load_embedder(config: &SemanticConfig) -> Result<()> {
        Embedder::load(config).map(|_| ())
    }

    pub fn distill<'a>(
        config: &SemanticConfig,
        corpus: impl Iterator<Item = &'a str>,
    ) -> Result<usize> {
        let m = ModelEmbedder::load(&config.model_dir)?;
        static_table::distill(&config.model_dir, &m, corpus)
    }

    /// Unit vectors stored a byte a component, each row with its scale:
    /// a quarter of the memory of `f32`, and a cosine off by well under a
    /// thousandth, far below what separates two paragraphs' ranks.
    #[derive(Default)]
    pub(super) struct Rows {
        data: Vec<i8>,
        scales: Vec<f32>,
    }

    impl Rows {
        pub(super) fn push(&mut self, v: &[f32]) {
            let max = v.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-12);
            let scale = max / 127.0;
            self.data.extend(
                v.iter()
                    .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
            );
            self.scales.push(scale);
        }

        pub(super) fn len(&self) -> usize {
            self.scales.len()
        }

        /// Cosine of row `i` with the unit vector `q`.
        pub(super) fn dot(&self, i: usize, q: &[f32]) -> f32 {
            let row = &self.data[i * DIMS..(i + 1) * DIMS];
            // Sixteen running sums, not one: a single float sum must be
            // added in order and is not vectorised, and every question
            // scans every paragraph (four times faster at 300 MB).
            let mut acc = [0f32; LANES];
            for (r, q) in row.chunks_exact(LANES).zip(q.chunks_exact(LANES)) {
                for k in 0..LANES {
                    acc[k] += r[k] as f32 * q[k];
                }
            }
            acc.iter().sum::<f32>() * self.scales[i]
        }
    }

    /// One essay's paragraph vectors, a row per paragraph, and its
    /// sentence vectors: paragraph `i`'s sentences are rows
    /// `sentence_starts[i]..sentence_starts[i + 1]` of `sentences`.
    struct Block {
        numbers: Vec<u32>,
        paragraphs: Rows,
        sentence_starts: Vec<usize>,
        sentences: Rows,
    }

    impl Block {
        /// How near each sentence of the block's `i`-th paragraph is to `q`.
        fn sentence_similarity<'a>(
            &'a self,
            i: usize,
            q: &'a [f32],
        ) -> impl Iterator<Item = f32> + 'a {
            (self.sentence_starts[i]..self.sentence_starts[i + 1])
                .map(move |row| self.sentences.dot(row, q))
        }
    }

    /// The vectors of essay `id`'s paragraphs and sentences, each appended
    /// to its rows by `append`.
    fn build_block(
        snap: &Snapshot,
        id: &str,
        mut append: impl FnMut(&str, &mut Rows) -> Result<()>,
    ) -> Result<Block> {
        let mut block = Block {
            numbers: Vec::new(),
            paragraphs: Rows::default(),
            sentence_starts: vec![0],
            sentences: Rows::default(),
        };
        for p in snap.paragraphs(id)? {
            block.numbers.push(p.number);
            append(&p.text, &mut block.paragraphs)?;
            // The cache keeps one vector per text: a one-sentence paragraph
            // is embedded once.
            for i in 0..p.sentences.len() {
                append(p.sentence(i), &mut block.sentences)?;
            }
            block.sentence_starts.push(block.sentences.len());
        }
        Ok(block)
    }

    /// The blocks of the newest index generation asked about, by essay id.
    /// Every circle's view of that index shares them: a view only chooses
    /// which essays' blocks a question is scored against.
    #[derive(Default)]
    struct Blocks {
        generation: u64,
        by_essay: HashMap<String, Arc<Block>>,
    }

    struct Semantic {
        embedder: Embedder,
        cache_path: std::path::PathBuf,
        /// Paragraph text hash -> vector (loaded from and saved to disk).
        cache: Mutex<HashMap<u64, Vec<f32>>>,
        /// Paragraph vectors by essay, for the newest index.
        blocks: Mutex<Blocks>,
        /// The last questions asked and their vectors: a question's quotes
        /// ask for its sentence similarities once per paragraph, and
        /// questions from several members may be answered at once.
        recent_questions: Mutex<std::collections::VecDeque<(String, Arc<Vec<f32>>)>>,
    }

    static SEMANTIC: OnceLock<Semantic> = OnceLock::new();

    fn load_cache(path: &Path) -> HashMap<u64, Vec<f32>> {
        let mut out = HashMap::new();
        let Ok(bytes) = std::fs::read(path) else {
            return out;
        };
        let rec = 8 + DIMS * 4;
        for chunk in bytes.chunks_exact(rec) {
            let hash = u64::from_le_bytes(chunk[..8].try_into().expect("8 bytes"));
            let v = chunk[8..]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
                .collect();
            out.insert(hash, v);
        }
        out
    }

    fn save_cache(path: &Path, cache: &HashMap<u64, Vec<f32>>) -> Result<()> {
        let mut bytes = Vec::with_capacity(cache.len() * (8 + DIMS * 4));
        for (h, v) in cache {
            bytes.extend_from_slice(&h.to_le_bytes());
            for x in v {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        crate::fsutil::write_atomic(path, &bytes).map_err(|e| Error::io(path, e))
    }

    pub fn enable(config: &SemanticConfig, data_dir: &Path, snap: &Snapshot) -> Result<()> {
        if SEMANTIC.get().is_none() {
            let embedder = Embedder::load(config)?;
            let cache_path = data_dir.join("vectors-minilm.bin");
            let cache = Mutex::new(load_cache(&cache_path));
            let _ = SEMANTIC.set(Semantic {
                embedder,
                cache_path,
                cache,
                blocks: Mutex::new(Blocks::default()),
                recent_questions: Mutex::new(std::collections::VecDeque::new()),
            });
        }
        let s = SEMANTIC.get().expect("just set");
        s.blocks(snap)?;
        // The model's first run sets up its buffers and threads: done here,
        // so the first question asked is not the slowest.
        s.embedder.embed("warm up").map(|_| ())
    }

    impl Semantic {
        /// The blocks of `snap`'s essays, in its order: kept ones, or read
        /// from the index and embedded where the disk cache lacks them.
        fn blocks(&self, snap: &Snapshot) -> Result<Vec<Arc<Block>>> {
            let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
            let generation = snap.index_generation();
            if generation > blocks.generation {
                *blocks = Blocks {
                    generation,
                    by_essay: HashMap::new(),
                };
            }
            // An older snapshot still answering (during a refresh) gets its
            // blocks built but not kept.
            let keep = generation == blocks.generation;
            let mut out = Vec::with_capacity(snap.essays().len());
            let mut added = 0usize;
            // The table's vectors are not cached and cost only the
            // tokenizer's time: the missing essays are embedded on every
            // core at once. (The model already uses every core for one text.)
            let mut fresh: HashMap<String, Result<Block>> = HashMap::new();
            if !self.embedder.caches() {
                use rayon::prelude::*;
                let missing: Vec<&str> = snap
                    .essays()
                    .iter()
                    .map(|e| e.meta.id.as_str())
                    .filter(|id| !blocks.by_essay.contains_key(*id))
                    .collect();
                fresh = missing
                    .par_iter()
                    .map(|id| {
                        let block = build_block(snap, id, |text, rows| {
                            rows.push(&self.embedder.embed(text)?);
                            Ok(())
                        });
                        (id.to_string(), block)
                    })
                    .collect();
            }
            for e in snap.essays() {
                if let Some(b) = blocks.by_essay.get(&e.meta.id) {
                    out.push(b.clone());
                    continue;
                }
                let block = match fresh.remove(&e.meta.id) {
                    Some(block) => block?,
                    None => {
                        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                        // A text's vector, from the cache or embedded into
                        // it, appended to `rows`.
                        // (The table's essays were all built above.)
                        build_block(snap, &e.meta.id, |text, rows| {
                            let h = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
                            if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(h)
                            {
                                slot.insert(self.embedder.embed(text)?);
                                added += 1;
                            }
                            rows.push(&cache[&h]);
                            Ok(())
                        })?
                    }
                };
                let block = Arc::new(block);
                if keep {
                    blocks.by_essay.insert(e.meta.id.clone(), block.clone());
                }
                out.push(block);
            }
            if added > 0 {
                let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                save_cache(&self.cache_path, &cache)?;
                tracing::info!(texts = added, "embedded new paragraphs and sentences");
            }
            Ok(out)
        }

        /// One essay's block (`essay` indexes `snap`'s essays): the kept
        /// one when `snap` is the newest index, without walking the others.
        fn block(&self, snap: &Snapshot, essay: usize) -> Result<Option<Arc<Block>>> {
            let Some(rec) = snap.essays().get(essay) else {
                return Ok(None);
            };
            {
                let blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
                if blocks.generation == snap.index_generation() {
                    if let Some(b) = blocks.by_essay.get(&rec.meta.id) {
                        return Ok(Some(b.clone()));
                    }
                }
            }
            Ok(self.blocks(snap)?.get(essay).cloned())
        }

        /// The question's vector, embedded once for all its paragraphs. The
        /// lock is not held while embedding, so other questions need not
        /// wait for this one.
        fn question(&self, question: &str) -> Result<Arc<Vec<f32>>> {
            let lock = || {
                self.recent_questions
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
            };
            if let Some((_, v)) = lock().iter().find(|(q, _)| q == question) {
                return Ok(v.clone());
            }
            let v = Arc::new(self.embedder.embed(question)?);
            let mut recent = lock();
            if recent.len() >= RECENT_QUESTIONS {
                recent.pop_front();
            }
            recent.push_back((question.to_string(), v.clone()));
            Ok(v)
        }
    }

    pub fn texts_held() -> usize {
        SEMANTIC.get().map_or(0, |s| {
            let blocks = s.blocks.lock().unwrap_or_else(|e| e.into_inner());
            blocks
                .by_essay
                .values()
                .map(|b| b.paragraphs.len() + b.sentences.len())
                .sum()
        })
    }

    pub fn sentence_similarity(
        snap: &Snapshot,
        essay: usize,
        number: u32,
        question: &str,
    ) -> Option<Vec<f32>> {
        let s = SEMANTIC.get()?;
        let run = || -> Result<Option<Vec<f32>>> {
            let Some(b) = s.block(snap, essay)? else {
                return Ok(None);
            };
            let Some(i) = b.numbers.iter().position(|&n| n == number) else {
                return Ok(None);
            };
            let q = s.question(question)?;
            Ok(Some(b.sentence_similarity(i, &q).collect()))
        };
        run().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "sentence similarity failed; choosing by words");
            None
        })
    }

    pub fn nearest(snap: &Snapshot, question: &str, k: usize) -> Option<Nearest> {
        let s = SEMANTIC.get()?;
        let run = || -> Result<Vec<(usize, u32, f32)>> {
            let blocks = s.blocks(snap)?;
            let q = s.question(question)?;
            let q: &[f32] = &q;
            // (essay, paragraph's row in its block, similarity)
            let mut scored: Vec<(usize, usize, f32)> = blocks
                .iter()
                .enumerate()
                .flat_map(|(e, b)| {
                    (0..b.paragraphs.len()).map(move |i| (e, i, b.paragraphs.dot(i, q)))
                })
                .collect();
            // The nearest paragraphs by their own vector are read again by
            // their nearest sentence: a long paragraph's vector blurs the
            // one sentence that answers.
            let depth = SENTENCE_DEPTH.max(k).min(scored.len());
            if depth > 0 && depth < scored.len() {
                scored.select_nth_unstable_by(depth - 1, |a, b| b.2.total_cmp(&a.2));
                scored.truncate(depth);
            }
            for (e, i, sim) in &mut scored {
                let best = blocks[*e].sentence_similarity(*i, q).reduce(f32::max);
                if let Some(best) = best {
                    *sim = *sim * (1.0 - SENTENCE_WEIGHT) + best * SENTENCE_WEIGHT;
                }
            }
            let mut scored: Vec<(usize, u32, f32)> = scored
                .into_iter()
                .map(|(e, i, sim)| (e, blocks[e].numbers[i], sim))
                .collect();
            let k = k.min(scored.len());
            if k > 0 && k < scored.len() {
                scored.select_nth_unstable_by(k - 1, |a, b| b.2.total_cmp(&a.2));
                scored.truncate(k);
            }
            scored.sort_by(|a, b| b.2.total_cmp(&a.2));
            Ok(scored)
        };
        match run() {
            Ok(paragraphs) => Some(Nearest {
                paragraphs,
                embedder: s.embedder.kind(),
            }),
            Err(e) => {
                tracing::warn!(error = %e, "semantic search failed; answering with BM25 alone");
                None
            }
        }
    }
}

#[cfg(all(test, not(feature = "semantic")))]
mod tests {
    use super::*;

    #[test]
    fn turning_it_on_without_the_feature_says_how_to_build_it() {
        let dir = tempfile::tempdir().unwrap();
        let (lib, _) = crate::library::Library::open(crate::library::LibraryOptions {
            roots: vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds")],
            data_dir: dir.path().to_path_buf(),
        })
        .unwrap();
        let off = SemanticConfig::default();
        assert!(!enable(&off, dir.path(), &lib.snapshot()).unwrap());
        let on = SemanticConfig {
            semantic: true,
            ..Default::default()
        };
        let e = enable(&on, dir.path(), &lib.snapshot())
            .unwrap_err()
            .to_string();
        assert!(e.contains("--features semantic"), "{e}");
        assert!(nearest(&lib.snapshot(), "solidarity", 3).is_none());
    }
}

#[cfg(all(test, feature = "semantic"))]
mod quantised_tests {
    #[test]
    fn a_vector_kept_a_byte_a_component_keeps_its_cosines() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let unit = |rng: &mut rand::rngs::StdRng| {
            let v: Vec<f32> = (0..super::imp::DIMS)
                .map(|_| rng.gen_range(-1.0f32..1.0))
                .collect();
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / n).collect::<Vec<_>>()
        };
        let mut rows = super::imp::Rows::default();
        let vs: Vec<Vec<f32>> = (0..50).map(|_| unit(&mut rng)).collect();
        vs.iter().for_each(|v| rows.push(v));
        let q = unit(&mut rng);
        for (i, v) in vs.iter().enumerate() {
            let exact: f32 = v.iter().zip(&q).map(|(a, b)| a * b).sum();
            let kept = rows.dot(i, &q);
            assert!((exact - kept).abs() < 2e-3, "{exact} vs {kept}");
        }
        assert_eq!(rows.len(), 50);
    }
}

#[cfg(all(test, feature = "semantic"))]
mod static_table_missing_tests {
    #[test]
    fn the_static_embedder_without_its_table_says_how_to_make_it() {
        let dir = tempfile::tempdir().unwrap();
        let config = super::SemanticConfig {
            semantic: true,
            model_dir: dir.path().to_path_buf(),
            embedder: crate::config::Embedder::Static,
        };
        let e = match super::imp::load_embedder(&config) {
            Ok(_) => panic!("a table was loaded from an empty folder"),
            Err(e) => e,
        };
        assert!(matches!(e, crate::error::Error::Config(_)), "{e:?}");
        assert!(e.to_string().contains("scripts/distill-static"), "{e}");
    }
}
