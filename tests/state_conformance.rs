//! One conformance suite for both state backends: every check runs on
//! SQLite (a fresh file) and on PostgreSQL (a fresh database; skipped with
//! a loud message when no server is configured, required in CI).
//!
//! "Two processes" are two store handles opened on the same database: two
//! SQLite connections to one file, or two PostgreSQL pools.

mod common;

use commonplace::model::PlanEntry;
use commonplace::schedule::Cadence;
use commonplace::state::{Claim, Schedule, State, StateStore};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// Opens more handles on one database.
struct Backend {
    open: Box<dyn Fn() -> State>,
    _dir: Option<tempfile::TempDir>,
}

fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    Backend {
        open: Box::new(move || State::open(&path).unwrap()),
        _dir: Some(dir),
    }
}

fn postgres(test: &str) -> Option<Backend> {
    let url = common::fresh_postgres(test)?;
    Some(Backend {
        open: Box::new(move || State::connect(&url).unwrap()),
        _dir: None,
    })
}

/// Run `check` on both backends.
fn both(test: &str, check: impl Fn(&Backend)) {
    let s = sqlite();
    check(&s);
    assert_eq!((s.open)().backend(), "sqlite");
    if let Some(p) = postgres(test) {
        assert_eq!((p.open)().backend(), "postgres");
        check(&p);
    }
}

/// Run `f` at once in `n` threads, each with its own handle (a process of
/// its own); their results in thread order.
fn concurrently<T: Send + 'static>(
    b: &Backend,
    n: usize,
    f: impl Fn(usize, &State) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let handles: Vec<State> = (0..n).map(|_| (b.open)()).collect();
    let threads: Vec<_> = handles
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let f = f.clone();
            std::thread::spawn(move || f(i, &h))
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn schedule(guild: u64) -> Schedule {
    Schedule {
        guild_id: guild,
        channel_id: 77,
        local_time: "09:30".into(),
        time_zone: "Europe/Berlin".into(),
        essay: Some("survival-mechanism".into()),
        role_id: Some(u64::MAX >> 2),
        enabled: true,
        cadence: commonplace::schedule::weekly("mon,thu").unwrap(),
    }
}

#[test]
fn settings_round_trip_and_stay_in_their_circle() {
    both("settings", |b| {
        let s = (b.open)();
        // Schedules: ids as large as Discord's snowflakes survive.
        let big = (1u64 << 62) + 12345;
        s.set_schedule(&schedule(big)).unwrap();
        s.set_schedule(&Schedule {
            cadence: Cadence::Daily,
            ..schedule(9)
        })
        .unwrap();
        assert_eq!(s.schedule(big).unwrap().unwrap(), schedule(big));
        assert!(s.disable_schedule(9).unwrap());
        assert!(!s.disable_schedule(10).unwrap());
        let on: Vec<u64> = s
            .enabled_schedules()
            .unwrap()
            .iter()
            .map(|x| x.guild_id)
            .collect();
        assert_eq!(on, [big]);
        assert!(!s.schedule(9).unwrap().unwrap().enabled);

        // Custom prompts and bans: the operator's reach every circle, a
        // circle's own reach only it.
        s.add_custom_prompt(None, "e1", 3, "For all?").unwrap();
        let own = s
            .add_custom_prompt(Some("guild:1"), "e1", 4, "Ours?")
            .unwrap();
        s.add_custom_prompt(Some("guild:2"), "e2", 5, "Theirs?")
            .unwrap();
        let mine = s.custom_prompts(Some("guild:1"), None).unwrap();
        assert_eq!(
            mine.iter().map(|p| p.question.as_str()).collect::<Vec<_>>(),
            ["For all?", "Ours?"]
        );
        assert_eq!(mine[1].id, own);
        assert_eq!(mine[1].paragraph, 4);
        assert!(s
            .custom_prompts(Some("guild:1"), Some("e2"))
            .unwrap()
            .is_empty());
        assert_eq!(s.custom_prompts(None, None).unwrap().len(), 1);
        s.ban_prompt(None, "p-all").unwrap();
        s.ban_prompt(Some("guild:1"), "p-one").unwrap();
        s.ban_prompt(Some("guild:1"), "p-one").unwrap();
        let mut banned = s.banned(Some("guild:1")).unwrap();
        banned.sort();
        assert_eq!(banned, ["p-all", "p-one"]);
        assert_eq!(s.banned(Some("guild:2")).unwrap(), ["p-all"]);

        // Reading plans.
        let d = |t: &str| t.parse::<jiff::civil::Date>().unwrap();
        let later = s
            .add_reading(
                "guild:1",
                &PlanEntry {
                    id: 0,
                    essay: "b".into(),
                    starts: d("2026-12-07"),
                    ends: None,
                    paragraphs: Some((3, 9)),
                },
            )
            .unwrap();
        s.add_reading(
            "guild:1",
            &PlanEntry {
                id: 0,
                essay: "a".into(),
                starts: d("2026-11-30"),
                ends: Some(d("2026-12-06")),
                paragraphs: None,
            },
        )
        .unwrap();
        let plan = s.reading_plan("guild:1").unwrap();
        assert_eq!(
            plan.iter().map(|e| e.essay.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(plan[0].ends, Some(d("2026-12-06")));
        assert_eq!(plan[1].paragraphs, Some((3, 9)));
        assert!(s.reading_plan("guild:2").unwrap().is_empty());
        assert!(!s.remove_reading("guild:2", later).unwrap());
        assert!(s.remove_reading("guild:1", later).unwrap());
        assert_eq!(s.clear_reading_plan("guild:1").unwrap(), 1);

        // A second handle (another process) sees it all.
        let other = (b.open)();
        assert_eq!(other.schedule(big).unwrap().unwrap(), schedule(big));
        assert_eq!(
            other.custom_prompts(Some("guild:1"), None).unwrap().len(),
            2
        );
    });
}

#[test]
fn suggestions_are_decided_once_and_only_by_their_circle() {
    both("suggestions", |b| {
        let s = (b.open)();
        let id = s
            .add_suggestion("guild:1", "e1", 2, "Why now?", "42", "Ada")
            .unwrap();
        s.add_suggestion("guild:1", "e1", 3, "And then?", "43", "Bo")
            .unwrap();
        assert_eq!(s.pending_suggestions_of("guild:1", "42").unwrap(), 1);
        assert_eq!(s.pending_suggestions("guild:1").unwrap().len(), 2);
        assert!(s.pending_suggestions("guild:2").unwrap().is_empty());
        // Another circle cannot decide it.
        assert!(s.decide_suggestion("guild:2", id, true).unwrap().is_none());
        // Two organisers in two processes press Approve at once: one wins.
        let results = concurrently(b, 2, move |_, h| {
            h.decide_suggestion("guild:1", id, true).unwrap()
        });
        let decided: Vec<_> = results.into_iter().flatten().collect();
        assert_eq!(decided.len(), 1, "decided once");
        let (sugg, custom) = &decided[0];
        assert_eq!(sugg.status, "approved");
        let prompts = s.custom_prompts(Some("guild:1"), None).unwrap();
        assert_eq!(prompts.len(), 1);
        assert_eq!(Some(prompts[0].id), *custom);
        assert_eq!(prompts[0].suggested_by.as_deref(), Some("Ada"));
        assert_eq!(s.pending_suggestions("guild:1").unwrap().len(), 1);
    });
}

#[test]
fn concurrent_picks_never_hand_out_one_prompt_twice() {
    both("picks", |b| {
        let pool: Vec<String> = (0..40).map(|i| format!("p{i:02}")).collect();
        // Four handles (processes), each picking 10 at once for one circle.
        let all: Vec<String> = concurrently(b, 4, move |_, h| {
            (0..10)
                .map(|_| {
                    h.pick_next("guild:7", |shown| {
                        let next = pool
                            .iter()
                            .find(|p| !shown.contains(p))
                            .expect("40 prompts, 40 picks")
                            .clone();
                        Ok((next.clone(), false, next))
                    })
                    .unwrap()
                })
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        let distinct: HashSet<&String> = all.iter().collect();
        assert_eq!(all.len(), 40);
        assert_eq!(distinct.len(), 40, "a prompt was handed out twice: {all:?}");
        let s = (b.open)();
        assert_eq!(s.shown("guild:7").unwrap().len(), 40);
        assert!(s.shown("guild:8").unwrap().is_empty());
        // Starting over opens a new cycle with only the new pick in it.
        s.pick_next("guild:7", |shown| {
            assert_eq!(shown.len(), 40);
            Ok(("p00".to_string(), true, ()))
        })
        .unwrap();
        assert_eq!(s.cycle("guild:7").unwrap(), 1);
        assert_eq!(s.shown("guild:7").unwrap(), ["p00"]);
    });
}

#[test]
fn a_daily_post_has_one_holder_and_is_taken_over_after_its_lease() {
    both("leases", |b| {
        let (a, other) = ((b.open)(), (b.open)());
        let lease = Duration::from_secs(2);
        let day = "2026-11-24";
        let Claim::Ours(first) = a
            .claim_daily_post(5, day, "nonce-a", "proc-a", lease)
            .unwrap()
        else {
            panic!("the first claim is ours");
        };
        assert_eq!(first.owner.as_deref(), Some("proc-a"));
        a.set_daily_prompt(5, day, "prompt-1").unwrap();
        // Another process finds it held, and may not renew it.
        assert_eq!(
            other
                .claim_daily_post(5, day, "nonce-b", "proc-b", lease)
                .unwrap(),
            Claim::Held {
                owner: "proc-a".into()
            }
        );
        assert!(!other.renew_lease(5, day, "proc-b", lease).unwrap());
        assert!(a.renew_lease(5, day, "proc-a", lease).unwrap());
        // proc-a dies; after the lease, proc-b takes over with the first
        // nonce and prompt, so its send is the same message.
        std::thread::sleep(lease + Duration::from_millis(300));
        let Claim::Ours(taken) = other
            .claim_daily_post(5, day, "nonce-b", "proc-b", lease)
            .unwrap()
        else {
            panic!("an expired lease is taken over");
        };
        assert_eq!(taken.nonce, "nonce-a");
        assert_eq!(taken.prompt_id.as_deref(), Some("prompt-1"));
        assert_eq!(taken.owner.as_deref(), Some("proc-b"));
        // proc-a, back, has lost it.
        assert!(!a.renew_lease(5, day, "proc-a", lease).unwrap());
        other.note_attempt(5, day).unwrap();
        other.mark_posted(5, day, 9001).unwrap();
        let done = a.daily_post(5, day).unwrap().unwrap();
        assert_eq!(
            (done.status.as_str(), done.message_id),
            ("posted", Some(9001))
        );
        assert_eq!(done.attempts, 1);
        assert_eq!(done.owner, None);
        assert!(matches!(
            a.claim_daily_post(5, day, "n", "proc-a", lease).unwrap(),
            Claim::Posted(_)
        ));
        // Released (a failed send, a shutdown): another may claim at once.
        a.claim_daily_post(6, day, "n6", "proc-a", lease).unwrap();
        a.claim_daily_post(7, day, "n7", "proc-a", lease).unwrap();
        assert_eq!(a.release_all("proc-a").unwrap(), 2);
        assert!(matches!(
            other
                .claim_daily_post(6, day, "x", "proc-b", lease)
                .unwrap(),
            Claim::Ours(_)
        ));
        other.release_daily_post(6, day, "proc-b").unwrap();
        assert!(matches!(
            a.claim_daily_post(6, day, "x", "proc-a", lease).unwrap(),
            Claim::Ours(_)
        ));
    });
}

#[test]
fn racing_claims_give_one_holder() {
    both("racing_claims", |b| {
        let claims: Vec<Claim> = concurrently(b, 6, |i, h| {
            h.claim_daily_post(
                11,
                "2026-11-24",
                &format!("n{i}"),
                &format!("proc-{i}"),
                Duration::from_secs(60),
            )
            .unwrap()
        });
        let ours = claims
            .iter()
            .filter(|c| matches!(c, Claim::Ours(_)))
            .count();
        assert_eq!(ours, 1, "{claims:?}");
    });
}

#[test]
fn uploaded_essays_are_versioned_changes_every_process_sees() {
    both("essays", |b| {
        let (a, other) = ((b.open)(), (b.open)());
        assert_eq!(a.essays_version().unwrap(), 0);
        let v1 = a
            .put_essay(
                "guild:1",
                "circles/guild:1/x.md",
                b"# X\n\nText.",
                "{\"file\":\"x\"}",
            )
            .unwrap();
        let v2 = a
            .put_essay("guild:2", "circles/guild:2/y.md", &[0, 159, 146, 150], "{}")
            .unwrap();
        assert!(v2 > v1 && v1 > 0);
        assert_eq!(other.essays_version().unwrap(), v2);
        let seen = other.essays_since(0).unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].bytes, b"# X\n\nText.");
        assert_eq!(seen[1].bytes, [0, 159, 146, 150], "bytes kept exactly");
        assert_eq!(seen[0].circle, "guild:1");
        assert_eq!(seen[0].meta, "{\"file\":\"x\"}");
        let v3 = other
            .remove_essay("guild:1", "circles/guild:1/x.md")
            .unwrap();
        assert!(v3 > v2);
        let after = a.essays_since(v2).unwrap();
        assert_eq!(after.len(), 1);
        assert!(after[0].removed && after[0].path == "circles/guild:1/x.md");
        assert!(a.essays_since(v3).unwrap().is_empty());
        // Concurrent writers still get distinct versions.
        let versions: HashSet<u64> = concurrently(b, 4, |i, h| {
            (0..5)
                .map(|k| {
                    h.put_essay("guild:3", &format!("f{i}-{k}"), b"x", "{}")
                        .unwrap()
                })
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        assert_eq!(versions.len(), 20);
    });
}

#[test]
fn postgres_refuses_a_bad_url_clearly() {
    let e = State::connect("postgres://nobody@127.0.0.1:1/none")
        .err()
        .expect("nothing listens on port 1")
        .to_string();
    assert!(e.contains("PostgreSQL"), "{e}");
    let e = State::connect("postgres://u:secret@[bad")
        .err()
        .unwrap()
        .to_string();
    assert!(!e.contains("secret"), "{e}");
}

/// The store trait is object-safe and usable behind the facade.
#[test]
fn the_facade_derefs_to_the_trait() {
    let s = State::in_memory().unwrap();
    let store: &dyn StateStore = &*s;
    assert_eq!(store.backend(), "sqlite");
}
