//! Any text as a quote topic against the seeds: an answer or a user error,
//! never a panic, and every quote is verbatim text of its paragraph.
#![no_main]

use commonplace::library::{Library, LibraryOptions};
use commonplace::search::quote::{find_quotes, QuoteRequest};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static LIB: OnceLock<(Library, tempfile::TempDir)> = OnceLock::new();

fn lib() -> &'static Library {
    &LIB.get_or_init(|| {
        let data = tempfile::tempdir().unwrap();
        let seeds = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../seeds");
        let (lib, _) = Library::open(LibraryOptions { roots: vec![seeds], data_dir: data.path().to_path_buf() }).unwrap();
        (lib, data)
    })
    .0
}

fuzz_target!(|data: &[u8]| {
    let topic = String::from_utf8_lossy(data);
    let snap = lib().snapshot();
    let req = QuoteRequest { topic: topic.into_owned(), limit: 3, ..Default::default() };
    match find_quotes(&snap, &req, jiff::civil::date(2026, 11, 23)) {
        Ok(quotes) => {
            for q in quotes {
                let p = snap.paragraph(&q.essay_id, q.paragraph).unwrap();
                assert!(p.text.contains(&q.text));
            }
        }
        Err(e) => assert!(e.is_user_error(), "{e}"),
    }
});
