//! Normalization for matching quotes against the library: case, Unicode forms,
//! quote marks, dashes, footnote markers and British/American spelling.

use unicode_normalization::UnicodeNormalization;

/// Fold a string for comparison: NFKC, lowercase, curly quotes and dashes to ASCII.
pub fn fold(text: &str) -> String {
    // Fast path for the common case (every query and candidate passage is
    // tokenized per request): NFKC leaves ASCII as it is.
    if text.is_ascii() {
        return text
            .bytes()
            .map(|b| match b {
                b'`' => '\'',
                _ => b.to_ascii_lowercase() as char,
            })
            .collect();
    }
    text.nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
            _ => c,
        })
        .collect()
}

/// A word token of folded text, with its byte range in the original string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The comparison key: folded, spelling-normalized.
    pub key: String,
    /// Byte start in the original text.
    pub start: usize,
    /// Byte end in the original text.
    pub end: usize,
}

/// Split text into word tokens (runs of letters and digits, inner apostrophes
/// kept), with spelling-normalized keys and offsets into `text`.
///
/// Bracketed footnote markers like `[12]` are skipped.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (pos, c) = bytes[i];
        if c == '[' {
            // Skip footnote markers: [digits]
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].1.is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < bytes.len() && bytes[j].1 == ']' {
                i = j + 1;
                continue;
            }
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < bytes.len() {
                let cj = bytes[j].1;
                let inner_apostrophe = matches!(cj, '\'' | '’')
                    && j + 1 < bytes.len()
                    && bytes[j + 1].1.is_alphabetic();
                if cj.is_alphanumeric() || inner_apostrophe {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = bytes.get(j).map(|x| x.0).unwrap_or(text.len());
            let mut word = fold(&text[pos..end]);
            word.retain(|c| c != '\'');
            out.push(Token {
                key: spelling_key_owned(word),
                start: pos,
                end,
            });
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Map British and American spellings of a lowercase word to one key
/// ("organisation" and "organization" both become "organization").
pub fn spelling_key(word: &str) -> String {
    spelling_key_owned(word.to_string())
}

/// [`spelling_key`] reusing the word's allocation (tokenizing is per request).
fn spelling_key_owned(mut w: String) -> String {
    const WHOLE: &[(&str, &str)] = &[
        ("programme", "program"),
        ("programmes", "programs"),
        ("whilst", "while"),
        ("amongst", "among"),
        ("grey", "gray"),
        ("cheque", "check"),
        ("catalogue", "catalog"),
        ("analogue", "analog"),
        ("dialogue", "dialog"),
        ("manoeuvre", "maneuver"),
        ("aluminium", "aluminum"),
    ];
    if let Some((_, us)) = WHOLE.iter().find(|(uk, _)| *uk == w) {
        return (*us).to_string();
    }
    if w.len() <= 4 {
        return w;
    }
    for (uk, us) in SUFFIXES {
        if let Some(stem) = w.strip_suffix(uk) {
            if stem.len() >= shortest_stem(uk) {
                w = format!("{stem}{us}");
                break;
            }
        }
    }
    w
}

/// How long a stem must be for a British ending to be folded. A short
/// stem before "-lled" or "-our" is another word's, not a British spelling:
/// "filled" is not "filed", "willing" not "wiling", "hours" not "hors".
fn shortest_stem(ending: &str) -> usize {
    if ending.starts_with("ll") || ending.starts_with("our") {
        3
    } else {
        2
    }
}

/// The spellings a key may stand for besides itself: the British endings
/// [`spelling_key`] folded into American ones, undone ("raize" was
/// "raise", "kiled" was "killed"). A key is for telling two spellings of
/// one word apart from two words; a dictionary must be asked about the
/// word as it was written.
pub fn respellings(key: &str) -> impl Iterator<Item = String> + '_ {
    SUFFIXES.iter().filter_map(move |(uk, us)| {
        key.strip_suffix(us)
            .filter(|stem| stem.len() >= shortest_stem(uk))
            .map(|stem| format!("{stem}{uk}"))
    })
}

/// British endings and the American ones they are keyed as.
const SUFFIXES: &[(&str, &str)] = &[
    ("isation", "ization"),
    ("isations", "izations"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ise", "ize"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("our", "or"),
    ("ours", "ors"),
    ("oured", "ored"),
    ("ouring", "oring"),
    ("ourite", "orite"),
    ("ourable", "orable"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("fence", "fense"),
    ("fences", "fenses"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("ogue", "og"),
];

/// Optimal-string-alignment distance (edits and adjacent swaps), with an early
/// exit: anything above `max` is reported as `max + 1`.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        return osa_within(a.as_bytes(), b.as_bytes(), max);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa_within(&a, &b, max)
}

fn osa_within<T: PartialEq>(a: &[T], b: &[T], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut v = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_quotes_and_case() {
        assert_eq!(fold("“Don’t” — FINE"), "\"don't\" - fine");
        // The ASCII fast path agrees with the general one.
        for t in ["Don`t STOP 42 x", "ﬁne Ünïcode", "plain words, Mixed-Case!"] {
            let general: String = t
                .nfkc()
                .flat_map(char::to_lowercase)
                .map(|c| if c == '`' { '\'' } else { c })
                .collect();
            assert_eq!(fold(t), general, "{t}");
        }
    }

    #[test]
    fn tokens_skip_footnote_markers_and_keep_offsets() {
        let t = "Davos, also stands [1] for this. Don’t";
        let toks = tokens(t);
        let keys: Vec<&str> = toks.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, vec!["davos", "also", "stands", "for", "this", "dont"]);
        assert_eq!(&t[toks[5].start..toks[5].end], "Don’t");
    }

    #[test]
    fn british_and_american_spellings_share_a_key() {
        for (uk, us) in [
            ("organisation", "organization"),
            ("colour", "color"),
            ("centre", "center"),
            ("defence", "defense"),
            ("travelled", "traveled"),
            ("recognise", "recognize"),
            ("programme", "program"),
            ("analyse", "analyze"),
        ] {
            assert_eq!(spelling_key(uk), spelling_key(us), "{uk} vs {us}");
        }
        // Words that only look British keep their own keys.
        for (a, b) in [
            ("filled", "filed"),
            ("willing", "wiling"),
            ("tilled", "tiled"),
            ("hours", "hors"),
        ] {
            assert_ne!(spelling_key(a), spelling_key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn a_key_remembers_the_spellings_it_stands_for() {
        let r: Vec<String> = respellings(&spelling_key("raise")).collect();
        assert!(r.contains(&"raise".to_string()), "{r:?}");
        let r: Vec<String> = respellings(&spelling_key("travelled")).collect();
        assert!(r.contains(&"travelled".to_string()), "{r:?}");
    }

    #[test]
    fn edit_distance_bounds() {
        assert_eq!(edit_distance_within("solidarity", "solidarty", 2), 1);
        assert_eq!(edit_distance_within("form", "from", 2), 1);
        assert_eq!(edit_distance_within("abc", "xyz", 1), 2);
    }
}
