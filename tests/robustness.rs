//! Hostile library files, corrupt or missing index and state, and the CLI's
//! contract (one JSON value on stdout, clear errors).

mod common;

use commonplace::library::{Library, LibraryOptions};
use commonplace::state::State;
use std::path::Path;
use std::process::Command;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

const GOOD: &str = "A Good Essay\n\nThis essay has a sentence about solidarity and reading. It has another sentence too.\n\nA second paragraph speaks of circles and friendship.\n";

#[test]
fn bad_files_are_reported_and_skipped_and_the_rest_is_indexed() {
    let lib_dir = tempfile::tempdir().unwrap();
    let d = lib_dir.path();
    write(d, "good.txt", GOOD.as_bytes());
    write(d, "empty.txt", b"");
    write(d, "binary.txt", &[0u8, 159, 146, 150, 0, 1, 2, 3]);
    write(d, "latin1.txt", b"Caf\xe9 Society\n\nThe caf\xe9 was full of readers who argued about na\xefve politics until dawn.\n");
    write(d, "bom-crlf.md", "\u{feff}---\r\ntitle: \"With BOM\"\r\nauthor: \"Ann Author\"\r\n---\r\n\r\nLine endings are CRLF here. The text still parses.\r\n\r\nSecond paragraph.\r\n".as_bytes());
    write(
        d,
        "broken-front-matter.md",
        b"---\ntitle: [unclosed\nauthor: : :\n---\n\nBody text here.\n",
    );
    write(d, "sub/good.txt", GOOD.as_bytes()); // different path, different id: fine
    write(
        d,
        "zz-dup.md",
        b"---\nid: good\ntitle: Same id\n---\n\nA duplicate id paragraph.\n",
    );
    let big = vec![b'a'; 50 * 1024 * 1024];
    write(d, "huge.txt", &big);
    let data = tempfile::tempdir().unwrap();
    let (lib, report) = Library::open(LibraryOptions {
        roots: vec![d.to_path_buf()],
        data_dir: data.path().to_path_buf(),
    })
    .unwrap();
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.path.as_str()).collect();
    for bad in [
        "empty.txt",
        "binary.txt",
        "broken-front-matter.md",
        "huge.txt",
        "zz-dup.md",
    ] {
        assert!(
            skipped.contains(&bad),
            "{bad} not reported: {:?}",
            report.skipped
        );
    }
    let reason = |p: &str| {
        report
            .skipped
            .iter()
            .find(|s| s.path == p)
            .unwrap()
            .reason
            .clone()
    };
    assert!(reason("empty.txt").contains("empty"));
    assert!(reason("binary.txt").contains("binary"));
    assert!(reason("huge.txt").contains("limit"));
    assert!(reason("zz-dup.md").contains("duplicate id"));
    assert!(reason("broken-front-matter.md").contains("front matter"));
    assert!(report.warnings.iter().any(|w| w.path == "latin1.txt"));
    let snap = lib.snapshot();
    let ids: Vec<&str> = snap.essays().iter().map(|e| e.meta.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    let latin = snap.essay("latin1").unwrap();
    assert_eq!(latin.meta.title, "Café Society");
    assert!(snap.paragraphs("latin1").unwrap()[0].text.contains("naïve"));
    let bom = snap.essay("bom-crlf").unwrap();
    assert_eq!(bom.meta.title, "With BOM");
    assert_eq!(bom.meta.authors, vec!["Ann Author"]);
    assert!(!snap.paragraphs("bom-crlf").unwrap()[0].text.contains('\r'));
}

#[test]
fn the_index_is_reused_updated_and_rebuilt_when_corrupt() {
    let lib_dir = tempfile::tempdir().unwrap();
    write(lib_dir.path(), "a.txt", GOOD.as_bytes());
    let data = tempfile::tempdir().unwrap();
    let opts = || LibraryOptions {
        roots: vec![lib_dir.path().to_path_buf()],
        data_dir: data.path().to_path_buf(),
    };
    assert_eq!(Library::open(opts()).unwrap().1.action, "rebuilt");
    assert_eq!(Library::open(opts()).unwrap().1.action, "reused");
    // A touched but identical file is not re-parsed (content fingerprint).
    let content = std::fs::read(lib_dir.path().join("a.txt")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(lib_dir.path().join("a.txt"), &content).unwrap();
    let (_, r) = Library::open(opts()).unwrap();
    assert_eq!((r.action.as_str(), r.parsed_files), ("reused", 0));
    // A new file is added without a rebuild.
    write(
        lib_dir.path(),
        "b.txt",
        b"Second Essay\n\nA paragraph about internationalism and hope for everyone.\n",
    );
    let (lib, r) = Library::open(opts()).unwrap();
    assert_eq!((r.action.as_str(), r.parsed_files), ("updated", 1));
    assert_eq!(lib.snapshot().essays().len(), 2);
    drop(lib);
    // Corrupt the live generation: it is rebuilt from the library.
    let current = std::fs::read_to_string(data.path().join("index/CURRENT")).unwrap();
    let gen = data.path().join("index").join(current.trim());
    std::fs::write(gen.join("essays.json"), b"{ not json").unwrap();
    let (lib, r) = Library::open(opts()).unwrap();
    assert_eq!(r.action, "rebuilt");
    assert_eq!(lib.snapshot().essays().len(), 2);
    drop(lib);
    // Index files gone entirely: rebuilt.
    std::fs::remove_dir_all(data.path().join("index")).unwrap();
    assert_eq!(Library::open(opts()).unwrap().1.action, "rebuilt");
}

#[test]
fn a_failed_rebuild_keeps_the_working_index() {
    let lib_dir = tempfile::tempdir().unwrap();
    write(lib_dir.path(), "a.txt", GOOD.as_bytes());
    let data = tempfile::tempdir().unwrap();
    let opts = |root: &Path| LibraryOptions {
        roots: vec![root.to_path_buf()],
        data_dir: data.path().to_path_buf(),
    };
    let (lib, _) = Library::open(opts(lib_dir.path())).unwrap();
    let held = lib.snapshot();
    // The library folder vanishes: the rebuild fails with a clear error...
    let missing = lib_dir.path().join("nope");
    let err = Library::rebuild(opts(&missing))
        .err()
        .expect("rebuild of a missing folder fails");
    assert!(err.to_string().contains("nope"), "{err}");
    // ...and the working index still serves, in memory and on disk.
    assert_eq!(held.essays().len(), 1);
    assert_eq!(
        Library::open(opts(lib_dir.path())).unwrap().1.action,
        "reused"
    );
}

#[test]
fn a_corrupt_state_file_is_an_error_not_a_reset() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("state.sqlite3"), vec![0xABu8; 8192]).unwrap();
    assert!(State::open(data.path()).is_err());
    assert_eq!(
        std::fs::read(data.path().join("state.sqlite3")).unwrap(),
        vec![0xABu8; 8192]
    );
}

fn cli(args: &[&str]) -> std::process::Output {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_commonplace"))
        .arg("--library")
        .arg(common::seeds_dir())
        .arg("--data-dir")
        .arg(data.path())
        .args(args)
        .env_remove("DISCORD_TOKEN")
        .output()
        .unwrap();
    drop(data);
    out
}

#[test]
fn cli_json_is_one_value_and_errors_are_clear() {
    for args in [
        vec!["--json", "essays"],
        vec!["--json", "quote", "solidarity", "--limit", "2"],
        vec![
            "--json",
            "cite",
            "we are undoubtedly heading towards a multipolar world order",
        ],
        vec!["--json", "prompt", "--seed", "3"],
    ] {
        let out = cli(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not one JSON value: {e}"));
        assert!(v.is_array() || v.is_object());
    }
    let essays: serde_json::Value =
        serde_json::from_slice(&cli(&["--json", "essays"]).stdout).unwrap();
    let first = &essays[0];
    for key in [
        "id",
        "title",
        "authors",
        "speakers",
        "date",
        "url",
        "paragraphs",
    ] {
        assert!(first.get(key).is_some(), "essays JSON lacks {key}");
    }
    let cite: serde_json::Value = serde_json::from_slice(
        &cli(&[
            "--json",
            "cite",
            "we are undoubtedly heading towards a multipolar world order",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(cite["found"], true);
    assert_eq!(cite["speaker"], "Leila al-Shami");
    for (args, expect) in [
        (vec!["quote", "   "], "topic"),
        (vec!["quote", "x", "--essay", "nope"], "no essay"),
        (vec!["cite", "hi"], "few words"),
        (vec!["prompt", "--kind", "poetic"], "kind"),
        (vec!["serve"], "DISCORD_TOKEN"),
    ] {
        let out = cli(&args);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    }
}
