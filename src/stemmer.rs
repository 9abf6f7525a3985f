//! English stemming with a memo.
//!
//! Profiling a full rebuild showed the Snowball stemmer at a fifth of all
//! CPU time, though prose repeats a small vocabulary: most tokens are words
//! already stemmed a moment ago. This filter remembers the stems of words it
//! has seen (per analyzer instance, so per indexing thread) and asks
//! tantivy's own English stemmer only about new ones; the terms it produces
//! are the stemmer's, with "-ist" folded like "-ism".

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use xxhash_rust::xxh3::xxh3_64;

/// Slots in the memo (~750 KB): prose's everyday vocabulary fits; a rarer
/// word that lands on a taken slot replaces it. Each indexing thread and each
/// worker thread keeps one (the bot bounds its worker threads, see
/// `discord::run_core`).
pub const MEMO_SLOTS: usize = 1 << 14;
/// Longest word (and stem) kept in the memo, in bytes; longer words are
/// rare and simply stemmed.
const WIDTH: usize = 22;

/// One memo entry, inline so that a lookup touches one cache line instead
/// of chasing two heap strings (profiles showed memory latency, not hashing,
/// dominating a heap-string memo).
#[derive(Clone, Copy)]
struct Slot {
    key_len: u8,
    stem_len: u8,
    key: [u8; WIDTH],
    stem: [u8; WIDTH],
}

const EMPTY: Slot = Slot {
    key_len: 0,
    stem_len: 0,
    key: [0; WIDTH],
    stem: [0; WIDTH],
};

/// The word → stem memo (direct-mapped) with the stemmer it consults on a
/// miss.
#[derive(Clone)]
struct Memo {
    size: usize,
    slots: Vec<Slot>,
    stemmer: TextAnalyzer,
}

impl Memo {
    fn new(size: usize) -> Self {
        Memo {
            size,
            slots: Vec::new(),
            stemmer: english(),
        }
    }

    /// Replace `word` with its stem.
    fn stem(&mut self, word: &mut String) {
        let bytes = word.as_bytes();
        let fits = !bytes.is_empty() && bytes.len() <= WIDTH;
        if fits {
            if self.slots.is_empty() {
                // Allocated on first use: analyzers are cloned freely.
                self.slots = vec![EMPTY; self.size];
            }
            let slot = &self.slots[xxh3_64(bytes) as usize & (self.size - 1)];
            if slot.key_len as usize == bytes.len() && &slot.key[..bytes.len()] == bytes {
                let stem = &slot.stem[..slot.stem_len as usize];
                // Stems of valid UTF-8 words are cut at char boundaries by the
                // stemmer; checked anyway rather than trusted.
                if let Ok(stem) = std::str::from_utf8(stem) {
                    word.clear();
                    word.push_str(stem);
                    return;
                }
            }
        }
        let stemmed = match first_token(&mut self.stemmer, word) {
            Some(stem) => fold_agent(stem, &mut self.stemmer),
            None => word.clone(),
        };
        if fits && stemmed.len() <= WIDTH {
            let bytes = word.as_bytes();
            let slot = &mut self.slots[xxh3_64(bytes) as usize & (self.size - 1)];
            slot.key_len = bytes.len() as u8;
            slot.key[..bytes.len()].copy_from_slice(bytes);
            slot.stem_len = stemmed.len() as u8;
            slot.stem[..stemmed.len()].copy_from_slice(stemmed.as_bytes());
        }
        *word = stemmed;
    }
}

/// The English stemmer keeps "-ist" ("socialist", "campist",
/// "narcissist") and strips "-ism" only from long words ("socialism" →
/// "social", but "campism" stays), so a question about campism missed the
/// passage "tainted by a campist view". Both endings are cut here when four
/// letters or more stay, and what stays is stemmed again ("imperialist" →
/// "imperial" → "imperi", as "imperialism"), which keeps "exist", "resist",
/// "assist" and "artist" whole. `stemmer` is the English stemmer.
pub(crate) fn fold_agent(stem: String, stemmer: &mut TextAnalyzer) -> String {
    if stem.len() < 7 || !(stem.ends_with("ist") || stem.ends_with("ism")) {
        return stem;
    }
    let root = &stem[..stem.len() - 3];
    first_token(stemmer, root).unwrap_or_else(|| root.to_string())
}

/// tantivy's English stemmer, reading its input as one word.
fn english() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(Stemmer::new(Language::English))
        .build()
}

/// What `analyzer` makes of `text`: its first token, if any.
fn first_token(analyzer: &mut TextAnalyzer, text: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(text);
    stream
        .advance()
        .then(|| std::mem::take(&mut stream.token_mut().text))
}

/// The English stemmer's stem of one lower-case word, without the "-ist"
/// folding of [`fold_agent`] (for comparing words, not indexing them).
pub(crate) fn english_stem(word: &str) -> Option<String> {
    thread_local! {
        static ENGLISH: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(english());
    }
    ENGLISH.with(|s| first_token(&mut s.borrow_mut(), word))
}

/// A token filter equivalent to `Stemmer::new(Language::English)` (with
/// "-ist" folded, see [`fold_agent`]), with a
/// memo of `slots` entries (a power of two).
#[derive(Clone)]
pub struct MemoStemmer {
    slots: usize,
}

impl MemoStemmer {
    /// A memo of `slots` entries, rounded up to a power of two.
    pub fn new(slots: usize) -> Self {
        MemoStemmer {
            slots: slots.max(1).next_power_of_two(),
        }
    }
}

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner: tokenizer,
            memo: Memo::new(self.slots),
        }
    }
}

/// The tokenizer produced by [`MemoStemmer`].
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    memo: Memo,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
        }
    }
}

/// The token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut Memo,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.memo.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer};

    fn tokens(a: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn ist_and_ism_meet() {
        let mut memo = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MemoStemmer::new(64))
            .build();
        let t = |m: &mut TextAnalyzer, w: &str| tokens(m, w).join(" ");
        for (a, b) in [
            ("campism", "campist"),
            ("narcissism", "narcissistic"),
            ("imperialism", "imperialists"),
            ("socialism", "socialist"),
        ] {
            assert_eq!(t(&mut memo, a), t(&mut memo, b), "{a} / {b}");
        }
        for w in ["exist", "resist", "assist", "artist"] {
            assert!(t(&mut memo, w).len() >= 5, "{w}");
        }
    }

    #[test]
    fn gives_exactly_the_english_stemmers_terms() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut english = TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut plain = |text: &str| -> Vec<String> {
            tokens(&mut plain, text)
                .into_iter()
                .map(|t| fold_agent(t, &mut english))
                .collect()
        };
        let mut memo = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MemoStemmer::new(64))
            .build();
        let mut text = String::from(
            "Solidarity, solidarities and the nations' internationalism: running runs ran; \
             generously generous generalisation généreux internationalisations-and-counterrevolutionaries \
             antidisestablishmentarianism Ελλάδα привет",
        );
        // And every seed essay: thousands of words, many slot collisions.
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        for entry in std::fs::read_dir(seeds).unwrap() {
            text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
        }
        let expected = plain(&text);
        assert!(expected.len() > 10_000);
        // Twice: the second pass is answered mostly from the memo.
        for _ in 0..2 {
            assert_eq!(tokens(&mut memo, &text), expected);
        }
    }
}
