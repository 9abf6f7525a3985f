//! Any bytes as a library file: parsing never panics, and every paragraph's
//! sentence offsets lie on character boundaries of its text.
#![no_main]

use commonplace::ingest::{catalog::Catalog, parse_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((essay, _)) = parse_file("fuzz.txt", data, &Catalog::default()) {
        for p in &essay.paragraphs {
            for s in &p.sentences {
                assert!(p.text.is_char_boundary(s.start as usize) && p.text.is_char_boundary(s.end as usize));
                assert!(s.start <= s.end);
            }
        }
    }
});
