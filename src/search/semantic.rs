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

/// Turn semantic retrieval on for this process (when the config asks),
/// embedding the library's paragraphs now (cached on disk) so that no
/// question waits for them. Returns whether it is on.
pub fn enable(config: &SemanticConfig, data_dir: &Path, snap: &Snapshot) -> Result<bool> {
    if !config.semantic {
        return Ok(false);
    }
    imp::enable(config, data_dir, snap).map(|()| true)
}

/// The paragraphs nearest `question` in meaning, best first: (essay index,
/// paragraph number, cosine). `None` when semantic retrieval is off.
pub fn nearest(snap: &Snapshot, question: &str, k: usize) -> Option<Vec<(usize, u32, f32)>> {
    imp::nearest(snap, question, k)
}

#[cfg(not(feature = "semantic"))]
mod imp {
    use super::*;

    pub fn enable(_: &SemanticConfig, _: &Path, _: &Snapshot) -> Result<()> {
        Err(Error::Config(
            "search.semantic is on, but this build has no semantic search: build with `--features semantic` (see README, \"Semantic search\")".into(),
        ))
    }

    pub fn nearest(_: &Snapshot, _: &str, _: usize) -> Option<Vec<(usize, u32, f32)>> {
        None
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
    const DIMS: usize = 384;

    struct Embedder {
        model: BertModel,
        tokenizer: Tokenizer,
        device: Device,
    }

    fn model_err(e: impl std::fmt::Display) -> Error {
        Error::Config(format!("semantic model: {e}"))
    }

    impl Embedder {
        fn load(dir: &Path) -> Result<Embedder> {
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
            Ok(Embedder {
                model,
                tokenizer,
                device,
            })
        }

        /// Mean-pooled, unit-length embedding.
        fn embed(&self, text: &str) -> Result<Vec<f32>> {
            let enc = self.tokenizer.encode(text, true).map_err(model_err)?;
            let ids = Tensor::new(enc.get_ids(), &self.device)
                .and_then(|t| t.unsqueeze(0))
                .map_err(model_err)?;
            let types = ids.zeros_like().map_err(model_err)?;
            let out = self
                .model
                .forward(&ids, &types, None)
                .and_then(|o| o.mean(1))
                .and_then(|o| o.squeeze(0))
                .and_then(|o| o.to_vec1::<f32>())
                .map_err(model_err)?;
            let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            Ok(out.into_iter().map(|x| x / norm).collect())
        }
    }

    /// Every paragraph of one snapshot's essays, as rows of a matrix.
    struct Vectors {
        keys: Vec<(usize, u32)>,
        data: Vec<f32>,
    }

    struct Semantic {
        embedder: Embedder,
        cache_path: std::path::PathBuf,
        /// Paragraph text hash -> vector (loaded from and saved to disk).
        cache: Mutex<HashMap<u64, Vec<f32>>>,
        /// The matrix of each snapshot seen, by (generation, its essays).
        matrices: Mutex<Vec<(SnapshotKey, Arc<Vectors>)>>,
    }

    static SEMANTIC: OnceLock<Semantic> = OnceLock::new();

    /// A snapshot's generation and which essays it holds.
    type SnapshotKey = (u64, u64);

    /// Which essays a snapshot (a circle's view) holds, in order.
    fn essays_key(snap: &Snapshot) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for e in snap.essays() {
            h.update(e.meta.id.as_bytes());
            h.update(b"\0");
        }
        h.digest()
    }

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
            let embedder = Embedder::load(&config.model_dir)?;
            let cache_path = data_dir.join("vectors-minilm.bin");
            let cache = Mutex::new(load_cache(&cache_path));
            let _ = SEMANTIC.set(Semantic {
                embedder,
                cache_path,
                cache,
                matrices: Mutex::new(Vec::new()),
            });
        }
        let s = SEMANTIC.get().expect("just set");
        s.vectors(snap).map(|_| ())
    }

    impl Semantic {
        fn vectors(&self, snap: &Snapshot) -> Result<Arc<Vectors>> {
            let key = (snap.generation(), essays_key(snap));
            if let Some((_, v)) = self
                .matrices
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .find(|(k, _)| *k == key)
            {
                return Ok(v.clone());
            }
            let mut keys = Vec::new();
            let mut data = Vec::new();
            let mut added = 0usize;
            {
                let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                for (i, e) in snap.essays().iter().enumerate() {
                    for p in snap.paragraphs(&e.meta.id)? {
                        let h = xxhash_rust::xxh3::xxh3_64(p.text.as_bytes());
                        if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(h) {
                            slot.insert(self.embedder.embed(&p.text)?);
                            added += 1;
                        }
                        keys.push((i, p.number));
                        data.extend_from_slice(&cache[&h]);
                    }
                }
                if added > 0 {
                    save_cache(&self.cache_path, &cache)?;
                    tracing::info!(paragraphs = added, "embedded new paragraphs");
                }
            }
            let v = Arc::new(Vectors { keys, data });
            let mut m = self.matrices.lock().unwrap_or_else(|e| e.into_inner());
            // Only recent snapshots are asked about.
            if m.len() >= 4 {
                m.remove(0);
            }
            m.push((key, v.clone()));
            Ok(v)
        }
    }

    pub fn nearest(snap: &Snapshot, question: &str, k: usize) -> Option<Vec<(usize, u32, f32)>> {
        let s = SEMANTIC.get()?;
        let run = || -> Result<Vec<(usize, u32, f32)>> {
            let v = s.vectors(snap)?;
            let q = s.embedder.embed(question)?;
            let mut scored: Vec<(usize, u32, f32)> = v
                .keys
                .iter()
                .zip(v.data.chunks_exact(DIMS))
                .map(|(&(e, n), row)| (e, n, row.iter().zip(&q).map(|(a, b)| a * b).sum()))
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
            Ok(r) => Some(r),
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
