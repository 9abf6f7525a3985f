//! Any pair of texts through tokenization and alignment: scores stay in 0..=1
//! and aligned spans stay inside the passage.
#![no_main]

use commonplace::search::align::align;
use commonplace::text::normalize::tokens;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid -= 1;
    }
    let (quote, passage) = text.split_at(mid);
    let q = tokens(quote);
    let gaps: Vec<bool> = q.iter().enumerate().map(|(i, _)| i % 7 == 3).collect();
    let p = tokens(passage);
    let a = align(&q, &gaps, &p);
    assert!((0.0..=1.0).contains(&a.score));
    assert!(a.text_start <= a.text_end && a.text_end <= p.len());
});
