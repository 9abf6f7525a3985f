//! The index under faults: a process killed at every write step, concurrent
//! readers and writers, leftovers of killed rebuilds, read-only data
//! directories, and library entries that are not plain readable files.
//!
//! `cargo test --release --test index_faults -- --nocapture` prints the
//! figures (failed reads during updates, disk left after killed rebuilds).

mod common;

use commonplace::store::WRITE_STEPS;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_commonplace");

const FIRST: &str = "A First Essay\n\nThis essay has a sentence about solidarity and reading. It has another sentence too.\n\nA second paragraph speaks of circles and friendship.\n";
const ADDED: &str = "An Added Essay\n\nThe quetzalcoatl argument says that marmalade federations outlast empires. Nobody believed it at first.\n";

fn cmd(lib: &Path, data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--library")
        .arg(lib)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("DISCORD_TOKEN")
        .env_remove(commonplace::failpoint::VAR);
    c
}

fn run(lib: &Path, data: &Path, args: &[&str]) -> Output {
    cmd(lib, data, args).output().unwrap()
}

fn json(lib: &Path, data: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(lib, data, &all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Start a command that stops at `step`, wait until it is there, kill -9 it.
fn kill_at(mut c: Command, step: &str) {
    let mut child: Child = c
        .env(commonplace::failpoint::VAR, step)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let marker = format!("failpoint {step} reached");
    let mut reached = false;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if line.contains(&marker) {
            reached = true;
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL: nothing runs after this instant
    child.wait().unwrap();
    assert!(reached, "the process never reached {step}");
}

fn essay_ids(lib: &Path, data: &Path) -> Vec<String> {
    json(lib, data, &["essays"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let m = e.metadata().unwrap();
        total += if m.is_dir() {
            dir_bytes(&e.path())
        } else {
            m.len()
        };
    }
    total
}

/// Entries of `<data>/index` besides the live generation and the two files.
fn leftovers(data: &Path) -> Vec<String> {
    let root = data.join("index");
    let current = std::fs::read_to_string(root.join("CURRENT")).unwrap();
    std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != current.trim() && n != "CURRENT" && n != "WRITER.lock")
        .collect()
}

#[test]
fn a_kill_at_any_write_step_of_an_update_loses_nothing() {
    for step in WRITE_STEPS {
        let lib = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let (l, d) = (lib.path(), data.path());
        std::fs::write(l.join("first.txt"), FIRST).unwrap();
        assert_eq!(essay_ids(l, d), ["first"]);
        std::fs::write(l.join("added.txt"), ADDED).unwrap();
        kill_at(cmd(l, d, &["quote", "solidarity"]), step);
        // Every later start sees the essay, searchable and readable.
        assert_eq!(
            essay_ids(l, d),
            ["added", "first"],
            "after a kill at {step}"
        );
        let shown = json(l, d, &["show", "added"]);
        assert_eq!(shown["paragraphs"].as_array().unwrap().len(), 1, "{step}");
        let quotes = json(l, d, &["quote", "quetzalcoatl marmalade"]);
        assert_eq!(quotes[0]["essay_id"], "added", "{step}: {quotes}");
        // Deleting the file leaves no ghost.
        std::fs::remove_file(l.join("added.txt")).unwrap();
        assert_eq!(essay_ids(l, d), ["first"], "{step}");
        let quotes = json(l, d, &["quote", "quetzalcoatl marmalade"]);
        assert!(
            quotes
                .as_array()
                .unwrap()
                .iter()
                .all(|q| q["essay_id"] != "added"),
            "{step}: {quotes}"
        );
        assert!(leftovers(d).is_empty(), "{step}: {:?}", leftovers(d));
    }
}

#[test]
fn a_kill_at_any_write_step_of_a_rebuild_keeps_the_working_index_and_the_disk_heals() {
    let lib = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (l, d) = (lib.path(), data.path());
    for e in std::fs::read_dir(common::seeds_dir()).unwrap().flatten() {
        std::fs::copy(e.path(), l.join(e.file_name())).unwrap();
    }
    let before = essay_ids(l, d);
    assert_eq!(before.len(), 5);
    let healthy = dir_bytes(&d.join("index"));
    let mut kills = 0;
    for _round in 0..3 {
        for step in WRITE_STEPS {
            kill_at(cmd(l, d, &["index"]), step);
            kills += 1;
            // Readers in between always answer.
            assert_eq!(essay_ids(l, d), before, "after a kill at {step}");
        }
    }
    let after_kills = dir_bytes(&d.join("index"));
    // The next writer (here a rebuild) clears what the killed ones left.
    assert!(run(l, d, &["index"]).status.success());
    let healed = dir_bytes(&d.join("index"));
    eprintln!(
        "disk: healthy index {healthy} B; after {kills} killed rebuilds {after_kills} B; after the next write {healed} B"
    );
    assert!(leftovers(d).is_empty(), "{:?}", leftovers(d));
    assert!(
        healed < healthy * 2,
        "{healed} B left against {healthy} B healthy"
    );
    assert_eq!(essay_ids(l, d), before);
}

#[test]
fn readers_never_fail_while_the_library_changes_and_writers_run() {
    let lib = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (l, d) = (lib.path().to_path_buf(), data.path().to_path_buf());
    for e in std::fs::read_dir(common::seeds_dir()).unwrap().flatten() {
        std::fs::copy(e.path(), l.join(e.file_name())).unwrap();
    }
    std::fs::write(l.join("edited.txt"), FIRST).unwrap();
    assert_eq!(essay_ids(&l, &d).len(), 6);
    let rounds: usize = 12;
    let per_round = 6;
    let mut failed = Vec::new();
    let mut total = 0;
    for round in 0..rounds {
        // Edit a file, start readers that all notice the change, and (every
        // third round) a full rebuild beside them.
        std::fs::write(
            l.join("edited.txt"),
            format!("{FIRST}\nEdit number {round} about solidarity.\n"),
        )
        .unwrap();
        let mut children: Vec<(String, Child)> = (0..per_round)
            .map(|_| {
                let c = cmd(&l, &d, &["--json", "quote", "solidarity"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                ("quote".to_string(), c)
            })
            .collect();
        if round % 3 == 0 {
            for _ in 0..2 {
                let c = cmd(&l, &d, &["index"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                children.push(("index".to_string(), c));
            }
        }
        for (what, c) in children {
            total += 1;
            let out = c.wait_with_output().unwrap();
            let ok = out.status.success()
                && (what != "quote"
                    || serde_json::from_slice::<serde_json::Value>(&out.stdout)
                        .is_ok_and(|v| v.as_array().is_some_and(|a| !a.is_empty())));
            if !ok {
                failed.push(format!("{what}: {}", String::from_utf8_lossy(&out.stderr)));
            }
        }
    }
    eprintln!(
        "concurrent processes during {rounds} edits and {} rebuild pairs: {} failed of {total}",
        rounds.div_ceil(3),
        failed.len()
    );
    assert!(failed.is_empty(), "{failed:#?}");
    // After the dust settles the index holds the last edit and no leftovers.
    let last = json(&l, &d, &["show", "edited"]);
    assert!(last
        .to_string()
        .contains(&format!("Edit number {}", rounds - 1)));
    assert!(leftovers(&d).is_empty(), "{:?}", leftovers(&d));
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Make `dir` read-only for this process: a read-only bind mount when we
/// are root (root ignores permission bits), else permission bits.
struct ReadOnly {
    mount: Option<PathBuf>,
    dir: PathBuf,
}

impl ReadOnly {
    fn new(dir: &Path) -> Option<ReadOnly> {
        if is_root() {
            let target = tempfile::tempdir().unwrap().keep();
            let ok = Command::new("mount")
                .args(["--bind"])
                .arg(dir)
                .arg(&target)
                .status()
                .is_ok_and(|s| s.success())
                && Command::new("mount")
                    .args(["-o", "remount,ro,bind"])
                    .arg(&target)
                    .status()
                    .is_ok_and(|s| s.success());
            if !ok {
                let _ = Command::new("umount").arg(&target).status();
                return None;
            }
            Some(ReadOnly {
                mount: Some(target.clone()),
                dir: target,
            })
        } else {
            let _ = Command::new("chmod").arg("-R").arg("a-w").arg(dir).status();
            Some(ReadOnly {
                mount: None,
                dir: dir.to_path_buf(),
            })
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        match &self.mount {
            Some(m) => {
                let _ = Command::new("umount").arg(m).status();
            }
            None => {
                let _ = Command::new("chmod")
                    .arg("-R")
                    .arg("u+w")
                    .arg(&self.dir)
                    .status();
            }
        }
    }
}

#[test]
fn a_read_only_data_directory_serves_an_up_to_date_index_and_a_stale_one() {
    let lib = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (l, d) = (lib.path(), data.path());
    std::fs::write(l.join("first.txt"), FIRST).unwrap();
    assert_eq!(essay_ids(l, d), ["first"]);
    let Some(ro) = ReadOnly::new(d) else {
        eprintln!("SKIPPED: cannot make a read-only mount here");
        return;
    };
    let quotes = json(l, &ro.dir, &["quote", "solidarity"]);
    assert_eq!(quotes[0]["essay_id"], "first");
    // A changed library cannot be written into the index: answer from it
    // as it is, and say so on stderr.
    std::fs::write(l.join("added.txt"), ADDED).unwrap();
    let out = run(l, &ro.dir, &["--json", "essays"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read-only"), "{err}");
}

#[test]
fn fifos_symlink_loops_dangling_links_and_unreadable_entries_are_skipped() {
    let lib = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (l, d) = (lib.path(), data.path());
    std::fs::write(l.join("first.txt"), FIRST).unwrap();
    assert!(Command::new("mkfifo")
        .arg(l.join("x.md"))
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink(l.join("loop-b.md"), l.join("loop-a.md")).unwrap();
    std::os::unix::fs::symlink(l.join("loop-a.md"), l.join("loop-b.md")).unwrap();
    std::os::unix::fs::symlink(l.join("nowhere.txt"), l.join("dangling.txt")).unwrap();
    std::os::unix::fs::symlink(l.join("first.txt"), l.join("linked.txt")).unwrap();
    std::fs::create_dir(l.join("locked")).unwrap();
    std::fs::write(l.join("locked/inside.txt"), ADDED).unwrap();
    std::fs::write(l.join("secret.txt"), ADDED).unwrap();
    if !is_root() {
        let _ = Command::new("chmod")
            .arg("000")
            .arg(l.join("locked"))
            .status();
        let _ = Command::new("chmod")
            .arg("000")
            .arg(l.join("secret.txt"))
            .status();
    }
    // Every command answers (the FIFO would block a reader forever).
    let mut c = cmd(l, d, &["--json", "essays"]);
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > 60 {
            child.kill().unwrap();
            panic!("essays hung on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    let ids: Vec<String> = serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"first".to_string()) && ids.contains(&"linked".to_string()));
    for (entry, why) in [
        ("x.md", "not a regular file"),
        ("loop-a.md", "loop"),
        ("dangling.txt", "broken symbolic link"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(entry) && l.contains(why)),
            "{entry} not reported as {why}: {err}"
        );
    }
    if !is_root() {
        assert!(err.contains("locked/"), "{err}");
        assert!(err.contains("secret.txt"), "{err}");
        let _ = Command::new("chmod")
            .arg("755")
            .arg(l.join("locked"))
            .status();
    }
}

#[test]
fn concurrent_circle_prompts_never_repeat_within_a_pool() {
    let lib = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (l, d) = (lib.path(), data.path());
    std::fs::copy(
        common::seeds_dir().join("survival-mechanism.txt"),
        l.join("essay.txt"),
    )
    .unwrap();
    let pool = json(l, d, &["prompts", "--essay", "essay"]);
    let n = pool.as_array().unwrap().len().min(20);
    assert!(n >= 10, "pool of {n}");
    let children: Vec<Child> = (0..n)
        .map(|_| {
            cmd(
                l,
                d,
                &["--json", "prompt", "--essay", "essay", "--circle", "cc"],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        ids.insert(v["id"].as_str().unwrap().to_string());
    }
    assert_eq!(
        ids.len(),
        n,
        "{n} concurrent picks gave {} distinct",
        ids.len()
    );
}

#[test]
fn a_full_disk_is_named_and_leaves_nothing_behind() {
    if !is_root() {
        eprintln!("SKIPPED: mounting a small file system needs root");
        return;
    }
    let mnt = tempfile::tempdir().unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=160k", "tmpfs"])
        .arg(mnt.path())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED: cannot mount a tmpfs here");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.path().to_path_buf());
    let data = mnt.path().join("data");
    let out = run(&common::seeds_dir(), &data, &["--json", "essays"]);
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.contains("no space left on device"), "{message}");
    assert_eq!(v["error"]["kind"], "disk_full");
    // The half-written generation is gone: the disk is not left full.
    let left = dir_bytes(&data);
    assert!(left < 16 * 1024, "{left} B left behind");
}
