//! Word-level local alignment (Smith-Waterman) of a pasted quote against a
//! library passage, counting near-identical words (typos) as matches and
//! letting an ellipsis skip any amount of the passage.

use crate::text::normalize::{edit_distance_within, Token};
use std::collections::HashMap;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

const EXACT: i32 = 4;
const NEAR: i32 = 2;
const MISMATCH: i32 = -2;
const GAP: i32 = -2;

/// Result of aligning a quote to a passage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alignment {
    /// Normalized score: 1.0 is every quote word matched exactly, in order.
    pub score: f32,
    /// First passage token of the aligned region.
    pub text_start: usize,
    /// Last+1 passage token of the aligned region.
    pub text_end: usize,
}

/// Near-identical words: a typo away. Cheap filters first (length, and a
/// shared first or last letter: typos rarely hit both ends), then the edit
/// distance.
fn near(a: &str, la: usize, b: &str, lb: usize) -> bool {
    let max = match la.min(lb) {
        0..=3 => return false,
        4..=7 => 1,
        _ => 2,
    };
    if la.abs_diff(lb) > max {
        return false;
    }
    let same_end =
        a.as_bytes().first() == b.as_bytes().first() || a.as_bytes().last() == b.as_bytes().last();
    same_end && edit_distance_within(a, b, max) <= max
}

/// Align `quote` tokens to `text` tokens. `free_gap_before[i]` marks quote
/// tokens that follow an ellipsis: any passage words may be skipped there.
pub fn align(quote: &[Token], free_gap_before: &[bool], text: &[Token]) -> Alignment {
    let n = quote.len();
    let m = text.len();
    if n == 0 || m == 0 {
        return Alignment {
            score: 0.0,
            text_start: 0,
            text_end: 0,
        };
    }
    // Score each (quote word, distinct passage word) pair once.
    let mut vocab: HashMap<&str, usize, Xxh3DefaultBuilder> = HashMap::default();
    let text_ids: Vec<usize> = text
        .iter()
        .map(|t| {
            let next = vocab.len();
            *vocab.entry(t.key.as_str()).or_insert(next)
        })
        .collect();
    let mut words: Vec<&str> = vec![""; vocab.len()];
    for (w, &i) in &vocab {
        words[i] = w;
    }
    let word_lens: Vec<usize> = words.iter().map(|w| w.chars().count()).collect();
    let sub: Vec<Vec<i32>> = quote
        .iter()
        .map(|q| {
            let lq = q.key.chars().count();
            words
                .iter()
                .zip(&word_lens)
                .map(|(w, &lw)| {
                    if *w == q.key {
                        EXACT
                    } else if near(&q.key, lq, w, lw) {
                        NEAR
                    } else {
                        MISMATCH
                    }
                })
                .collect()
        })
        .collect();
    // H[i][j] best score of an alignment ending at quote i, text j; S = start j.
    let mut prev = vec![0i32; m + 1];
    let mut prev_start = vec![0usize; m + 1];
    let mut cur = vec![0i32; m + 1];
    let mut cur_start = vec![0usize; m + 1];
    let mut best = (0i32, 0usize, 0usize);
    for i in 1..=n {
        cur[0] = 0;
        cur_start[0] = 0;
        for j in 1..=m {
            let diag = prev[j - 1] + sub[i - 1][text_ids[j - 1]];
            let up = prev[j] + GAP; // quote word missing from the text
            let left = cur[j - 1] + GAP; // passage word missing from the quote
            let (mut v, mut s) = (0, j);
            if diag > v {
                v = diag;
                s = if prev[j - 1] > 0 {
                    prev_start[j - 1]
                } else {
                    j - 1
                };
            }
            if up > v {
                v = up;
                s = prev_start[j];
            }
            if left > v {
                v = left;
                s = cur_start[j - 1];
            }
            cur[j] = v;
            cur_start[j] = s;
            if v > best.0 {
                best = (v, s, j);
            }
        }
        // Skipping passage words after an ellipsis: carry the best of the row.
        std::mem::swap(&mut prev, &mut cur);
        std::mem::swap(&mut prev_start, &mut cur_start);
        if i < n && free_gap_before[i] {
            let mut run = (0i32, 0usize);
            for j in 0..=m {
                if prev[j] >= run.0 && prev[j] > 0 {
                    run = (prev[j], prev_start[j]);
                } else if run.0 > prev[j] {
                    prev[j] = run.0;
                    prev_start[j] = run.1;
                }
            }
        }
    }
    Alignment {
        score: (best.0 as f32 / (EXACT as f32 * n as f32)).clamp(0.0, 1.0),
        text_start: best.1,
        text_end: best.2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::tokens;

    fn score(q: &str, t: &str) -> f32 {
        let qt = tokens(q);
        align(&qt, &vec![false; qt.len()], &tokens(t)).score
    }

    #[test]
    fn exact_quote_scores_one() {
        assert!((score("the cat sat", "so the cat sat on it") - 1.0).abs() < 1e-6);
    }

    #[test]
    fn typos_and_drops_score_high_but_unrelated_low() {
        let text = "We are undoubtedly heading towards a multipolar world order in which various imperialisms compete with one another.";
        assert!(score("we are undoubtably heading toward a multipolar world order where imperialisms compete", text) > 0.6);
        assert!(score("the cat sat on the mat and purred all afternoon long", text) < 0.2);
    }

    #[test]
    fn ellipsis_skips_text() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let q = tokens("one two three ... ten eleven twelve");
        let mut gaps = vec![false; q.len()];
        gaps[3] = true;
        let a = align(&q, &gaps, &tokens(text));
        assert!(a.score > 0.95, "{a:?}");
    }
}
