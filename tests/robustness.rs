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
    std::fs::write(gen.join("state.json"), b"{ not json").unwrap();
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

fn cli_in(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_commonplace"))
        .arg("--library")
        .arg(common::seeds_dir())
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("DISCORD_TOKEN")
        .output()
        .unwrap()
}

#[test]
fn json_errors_are_one_json_value_and_output_options_are_global() {
    for (args, kind) in [
        (vec!["--json", "quote", "   "], "invalid_input"),
        (vec!["quote", "x", "--essay", "nope", "--json"], "not_found"),
        (vec!["--json", "serve"], "config"),
        (
            vec!["--json", "ban-prompt", "0123456789ab"],
            "invalid_input",
        ),
    ] {
        let out = cli(&args);
        assert!(!out.status.success(), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON value: {e}"));
        assert_eq!(v["error"]["kind"], kind, "{args:?}: {v}");
        assert!(v["error"]["message"].as_str().unwrap().len() > 10);
    }
    // --style and --json go before or after the command alike.
    let before = cli(&[
        "--style",
        "apa",
        "--json",
        "cite",
        "we are undoubtedly heading towards a multipolar world order",
    ]);
    let after = cli(&[
        "cite",
        "we are undoubtedly heading towards a multipolar world order",
        "--style",
        "apa",
        "--json",
    ]);
    assert!(before.status.success() && after.status.success());
    let (b, a): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&before.stdout).unwrap(),
        serde_json::from_slice(&after.stdout).unwrap(),
    );
    assert_eq!(b["citation"], a["citation"]);
    assert!(
        b["citation"].as_str().unwrap().contains("(20"),
        "APA: {}",
        b["citation"]
    );
}

#[test]
fn limits_out_of_range_are_refused_not_silently_changed() {
    for limit in ["0", "11", "999999"] {
        let out = cli(&["quote", "solidarity", "--limit", limit]);
        assert!(!out.status.success(), "--limit {limit} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("1..=10") || err.contains("limit"), "{err}");
    }
    let out = cli(&["--json", "quote", "solidarity", "--limit", "10"]);
    assert!(out.status.success());
}

#[test]
fn banning_an_unknown_prompt_is_an_error_and_a_known_one_works() {
    let data = tempfile::tempdir().unwrap();
    let out = cli_in(data.path(), &["ban-prompt", "nosuchprompt"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no prompt with id"));
    let pool: serde_json::Value = serde_json::from_slice(
        &cli_in(
            data.path(),
            &["--json", "prompts", "--essay", "survival-mechanism"],
        )
        .stdout,
    )
    .unwrap();
    let id = pool[0]["id"].as_str().unwrap().to_string();
    assert!(cli_in(data.path(), &["ban-prompt", &id]).status.success());
    let pool: serde_json::Value = serde_json::from_slice(
        &cli_in(
            data.path(),
            &["--json", "prompts", "--essay", "survival-mechanism"],
        )
        .stdout,
    )
    .unwrap();
    assert!(pool
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["id"] != id.as_str()));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_commonplace"))
        .arg("--library")
        .arg(common::corpora_dir())
        .arg("--data-dir")
        .arg(data.path())
        .arg("essays")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut head)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn the_shipped_config_finds_the_library_from_any_working_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_commonplace"))
        .current_dir(elsewhere.path())
        .arg("--config")
        .arg(common::root().join("config/commonplace.toml"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["--json", "essays"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without a config, a missing library says what to do, once.
    let out = Command::new(env!("CARGO_BIN_EXE_commonplace"))
        .current_dir(elsewhere.path())
        .args(["essays"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("--library"), "{err}");
    assert_eq!(
        err.matches("No such file").count() + err.matches("no such file").count(),
        1,
        "{err}"
    );
}

#[test]
fn a_short_file_without_end_punctuation_is_an_essay() {
    let lib_dir = tempfile::tempdir().unwrap();
    write(
        lib_dir.path(),
        "short.txt",
        b"A Title\n\nOne paragraph whose last line has no end punctuation\n",
    );
    write(
        lib_dir.path(),
        "one-line.txt",
        b"Just one line with no punctuation at all\n",
    );
    let data = tempfile::tempdir().unwrap();
    let (lib, report) = Library::open(LibraryOptions {
        roots: vec![lib_dir.path().to_path_buf()],
        data_dir: data.path().to_path_buf(),
    })
    .unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let snap = lib.snapshot();
    let p = snap.paragraphs("short").unwrap();
    assert_eq!(p.len(), 1);
    assert!(p[0].text.starts_with("One paragraph"));
    assert_eq!(snap.paragraphs("one-line").unwrap().len(), 1);
}
