//! Reading circles as tenants of the library: what one circle uploads is its
//! own (seen, found, cited and removed only there), quotas, ids that never
//! reveal another circle's essays, essays added before circles, and the
//! command line's `--circle` answering as the bot does.

mod common;

use commonplace::config::CircleLimits;
use commonplace::ingest::catalog::CatalogEntry;
use commonplace::library::{add_essay, remove_added_essay, Library, LibraryOptions};
use commonplace::search::cite::find_source;
use std::path::Path;

const BIN: &str = env!("CARGO_BIN_EXE_commonplace");

fn open(data: &Path) -> Library {
    let added = Library::added_dir(data);
    std::fs::create_dir_all(&added).unwrap();
    Library::open(LibraryOptions {
        roots: vec![common::seeds_dir(), added],
        data_dir: data.to_path_buf(),
    })
    .unwrap()
    .0
}

const ESSAY: &str = "Notes on Patience\n\nA reading circle is a slow machine for patience: it turns strangers into careful listeners.\n\nThe convener keeps the pages moving and the voices even.\n";

/// Upload `ESSAY` as `file` for `circle`.
fn add(
    lib: &Library,
    circle: &str,
    limits: &CircleLimits,
    file: &str,
) -> commonplace::Result<commonplace::model::EssayRecord> {
    add_essay(
        lib,
        circle,
        limits,
        file,
        ESSAY.as_bytes(),
        CatalogEntry::default(),
    )
}

fn limits() -> CircleLimits {
    CircleLimits {
        max_essays: 2,
        max_bytes: 1024 * 1024,
    }
}

#[test]
fn an_upload_is_its_circles_alone() {
    let data = tempfile::tempdir().unwrap();
    let lib = open(data.path());
    let rec = add(&lib, "111", &limits(), "patience.txt").unwrap();
    assert_eq!(rec.meta.id, "patience");
    assert_eq!(rec.meta.owner.as_deref(), Some("111"));
    let a = lib.view(Some("111"));
    let b = lib.view(Some("222"));
    let shared = lib.view(None);
    assert!(a.essay("patience").is_ok());
    assert!(b.essay("patience").is_err() && shared.essay("patience").is_err());
    assert_eq!(a.essays().len(), 6);
    assert_eq!(b.essays().len(), 5);
    let at = common::accessed();
    let style = commonplace::citation::Style::Mla;
    assert!(
        find_source(&a, "a slow machine for patience", style, at)
            .unwrap()
            .found
    );
    let in_b = find_source(&b, "a slow machine for patience", style, at).unwrap();
    assert!(!in_b.found && in_b.essay_id.as_deref() != Some("patience"));
    // Removal: not from another circle (not found, as if it did not exist),
    // never a shared essay, and by its own circle.
    let err = remove_added_essay(&lib, Some("222"), "patience").unwrap_err();
    assert!(err.to_string().contains("no essay"), "{err}");
    let err = remove_added_essay(&lib, Some("111"), "survival-mechanism").unwrap_err();
    assert!(err.to_string().contains("shared library"), "{err}");
    assert_eq!(
        remove_added_essay(&lib, Some("111"), "patience")
            .unwrap()
            .meta
            .title,
        "Notes on Patience"
    );
    assert!(lib.view(Some("111")).essay("patience").is_err());
}

#[test]
fn ids_and_quotas() {
    let data = tempfile::tempdir().unwrap();
    let lib = open(data.path());
    add(&lib, "111", &limits(), "patience.txt").unwrap();
    // The same id again in the same circle, or a shared essay's id: refused.
    let err = add(&lib, "111", &limits(), "patience.txt").unwrap_err();
    assert!(err.to_string().contains("already in this circle"), "{err}");
    let meta = CatalogEntry {
        id: Some("survival-mechanism".into()),
        ..Default::default()
    };
    let err = add_essay(&lib, "111", &limits(), "mine.txt", ESSAY.as_bytes(), meta).unwrap_err();
    assert!(err.to_string().contains("survival-mechanism"), "{err}");
    // Another circle uploading the same file is not told about the first.
    let other = add(&lib, "222", &limits(), "patience.txt").unwrap();
    assert_ne!(other.meta.id, "patience");
    assert!(lib.view(Some("111")).essay(&other.meta.id).is_err());
    // Quotas: essays…
    add(&lib, "111", &limits(), "second.txt").unwrap();
    let err = add(&lib, "111", &limits(), "third.txt").unwrap_err();
    assert!(err.to_string().contains("the limit is 2"), "{err}");
    // …and bytes; a refused upload leaves nothing behind.
    let tight = CircleLimits {
        max_essays: 10,
        max_bytes: ESSAY.len() as u64 + 10,
    };
    add(&lib, "333", &tight, "one.txt").unwrap();
    let err = add(&lib, "333", &tight, "two.txt").unwrap_err();
    assert!(err.to_string().contains("does not fit"), "{err}");
    assert_eq!(lib.view(Some("333")).essays().len(), 6);
    // A circle id is a path component: nothing else is accepted.
    assert!(add(&lib, "../x", &limits(), "x.txt").is_err());
}

#[test]
fn essays_added_before_circles_stay_visible_and_only_the_operator_removes_them() {
    let data = tempfile::tempdir().unwrap();
    let added = Library::added_dir(data.path());
    std::fs::create_dir_all(&added).unwrap();
    std::fs::write(added.join("old-upload.txt"), ESSAY).unwrap();
    let lib = open(data.path());
    assert_eq!(
        commonplace::library::unowned_added_essays(&lib),
        ["old-upload"]
    );
    for circle in [Some("111"), Some("222"), None] {
        assert!(lib.view(circle).essay("old-upload").is_ok());
    }
    let err = remove_added_essay(&lib, Some("111"), "old-upload").unwrap_err();
    assert!(err.to_string().contains("before circles"), "{err}");
    remove_added_essay(&lib, None, "old-upload").unwrap();
    assert!(lib.view(None).essay("old-upload").is_err());
}

fn cli(data: &Path, args: &[&str]) -> serde_json::Value {
    let seeds = common::seeds_dir();
    let mut all = vec![
        "--library",
        seeds.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
        "--json",
    ];
    all.extend_from_slice(args);
    let out = std::process::Command::new(BIN).args(&all).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The same request gives the same answer through the command line as
/// through the library the bot calls.
#[test]
fn the_command_lines_circle_sees_what_the_bot_sees() {
    let data = tempfile::tempdir().unwrap();
    {
        let lib = open(data.path());
        add(&lib, "111", &limits(), "patience.txt").unwrap();
    }
    let ids = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(cli(data.path(), &["--circle", "111", "essays"])).contains(&"patience".to_string()));
    assert!(
        !ids(cli(data.path(), &["--circle", "222", "essays"])).contains(&"patience".to_string())
    );
    assert!(!ids(cli(data.path(), &["essays"])).contains(&"patience".to_string()));
    let found = cli(
        data.path(),
        &["--circle", "111", "cite", "a slow machine for patience"],
    );
    let lib = open(data.path());
    let direct = find_source(
        &lib.view(Some("111")),
        "a slow machine for patience",
        commonplace::citation::Style::Mla,
        common::accessed(),
    )
    .unwrap();
    assert_eq!(found["essay_id"], "patience");
    assert_eq!(found["paragraph"], direct.paragraph.unwrap());
    assert_eq!(found["verdict"], "verbatim");
    let not = cli(
        data.path(),
        &["--circle", "222", "cite", "a slow machine for patience"],
    );
    assert_ne!(not["essay_id"], "patience");
}
