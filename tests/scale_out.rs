//! Several processes, one PostgreSQL: two `commonplace serve` processes with
//! disjoint shard ranges (0-0 and 1-1 of 2) against the fake Discord, which
//! routes each guild's events to its shard, `(guild_id >> 22) % 2`.
//!
//! - every circle gets exactly one daily post, whichever process sends it;
//! - an essay uploaded through process A is quotable through process B in
//!   its circle within five seconds, and invisible to other circles;
//! - `kill -9` of the process sending a daily post, mid-send: the survivor
//!   takes the claim over when its lease expires, and the post happens once.
//!
//! Needs PostgreSQL (`COMMONPLACE_TEST_DATABASE_URL`); skipped loudly
//! without it, required in CI.

mod common;
mod fake_discord;

use commonplace::state::{Schedule, State};
use fake_discord::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Guilds on shard 0 and shard 1 of 2.
const G0: u64 = (10 << 22) | 1;
const G1: u64 = (11 << 22) | 1;
const G2: u64 = (12 << 22) | 2;
const LEASE_SECONDS: u64 = 3;

/// One `commonplace serve` process.
struct Proc {
    child: Child,
    /// Its shard (of 2), when it runs one.
    shard: Option<u32>,
    _data: tempfile::TempDir,
    log: PathBuf,
}

impl Proc {
    /// A process on shard `shard` of 2 (all shards with `None`), with its
    /// state in PostgreSQL at `url` (SQLite in its data directory with
    /// `None`).
    fn start(fake: &Fake, url: Option<&str>, shard: Option<u32>) -> Proc {
        let data = tempfile::tempdir().unwrap();
        let config = data.path().join("commonplace.toml");
        let database = url.map_or(String::new(), |u| format!("database_url = \"{u}\""));
        let shards = shard.map_or(String::new(), |s| {
            format!("shard_range = \"{s}-{s}\"\ntotal_shards = 2")
        });
        std::fs::write(
            &config,
            format!(
                r#"library = "{seeds}"
data_dir = "{data}"
{database}

[discord]
api_base_url = "{api}"
register = "none"
scheduler_tick_seconds = 1
library_sync_seconds = 1
post_lease_seconds = {LEASE_SECONDS}
{shards}
"#,
                seeds = common::seeds_dir().display(),
                data = data.path().join("data").display(),
                api = fake.url,
            ),
        )
        .unwrap();
        let log = data.path().join("log");
        let child = Command::new(env!("CARGO_BIN_EXE_commonplace"))
            .arg("--config")
            .arg(&config)
            .arg("serve")
            .env("DISCORD_TOKEN", "test-token")
            .env("RUST_LOG", "commonplace=info")
            .env_remove("COMMONPLACE_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Proc {
            child,
            shard,
            _data: data,
            log,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn schedule(guild: u64, channel: u64) -> Schedule {
    Schedule {
        guild_id: guild,
        channel_id: channel,
        // Due from local midnight on: whenever the test runs, today's post
        // is due.
        local_time: "00:00".into(),
        time_zone: "UTC".into(),
        essay: None,
        role_id: None,
        enabled: true,
        cadence: commonplace::schedule::Cadence::Daily,
    }
}

fn sends_to(fake: &Fake, channel: u64) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == format!("/api/v10/channels/{channel}/messages"))
        .count()
}

/// A slash command in `guild`, delivered on `shard`'s session; the reply
/// (the initial response, or the followup when it was deferred).
async fn ask(fake: &Fake, shard: u64, guild: u64, name: &str, options: Value) -> Value {
    let id = next_id();
    fake.dispatch_on_shard(
        shard,
        "INTERACTION_CREATE",
        in_guild(command(id, MEMBER, name, options, None), guild),
    );
    let first = fake.callback(id).await.body;
    if first["type"] == 5 {
        fake.wait_for("followup", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await
        .body
    } else {
        first
    }
}

fn text_of(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

async fn wait_sessions(fake: &Fake, procs: &[&Proc], want: &[(u64, u64)]) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut s = fake.sessions();
        s.sort();
        s.dedup();
        if s == want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "shards did not connect: {s:?}\n{}",
            procs
                .iter()
                .map(|p| p.log())
                .collect::<Vec<_>>()
                .join("\n---\n")
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // poise finishes its setup after READY.
    tokio::time::sleep(Duration::from_millis(500)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_one_database_and_split_the_shards() {
    let Some(url) = common::fresh_postgres("scale_out") else {
        return;
    };
    assert_eq!((G0 >> 22) % 2, 0);
    assert_eq!((G1 >> 22) % 2, 1);
    assert_eq!((G2 >> 22) % 2, 0);
    let fake = Fake::start().await;
    fake.set_recommended_shards(2);
    {
        let state = State::connect(&url).unwrap();
        for (g, ch) in [(G0, 4100), (G1, 4101), (G2, 4102)] {
            state.set_schedule(&schedule(g, ch)).unwrap();
        }
    }
    let a = Proc::start(&fake, Some(&url), Some(0));
    let b = Proc::start(&fake, Some(&url), Some(1));
    wait_sessions(&fake, &[&a, &b], &[(0, 2), (1, 2)]).await;

    // 1. Every circle gets exactly one daily post.
    for ch in [4100, 4101, 4102] {
        fake.wait_for("daily post", |r| {
            r.method == "POST" && r.path == format!("/api/v10/channels/{ch}/messages")
        })
        .await;
    }
    // Several more scheduler ticks in both processes.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let state = State::connect(&url).unwrap();
    for (g, ch) in [(G0, 4100), (G1, 4101), (G2, 4102)] {
        assert_eq!(
            sends_to(&fake, ch),
            1,
            "channel {ch} got more than one send"
        );
        assert_eq!(fake.messages_in(ch), 1);
        let rec = state.daily_post(g, &today()).unwrap().unwrap();
        assert_eq!(rec.status, "posted");
        assert_eq!(rec.owner, None, "a posted day holds no claim");
    }

    // 2. An upload through A (G0 is on shard 0) reaches B's library.
    let text = "Notes on Lanterns\n\nA reading circle is a lantern passed hand to hand along a dark corridor of pages.\n\nEach reader holds it a little while and sees a little further.\n";
    let phrase = "a lantern passed hand to hand";
    let url_att = fake.add_attachment("lanterns.txt", text.as_bytes());
    let att = next_id().to_string();
    let resolved = json!({"attachments": {&att: {"id": &att, "filename": "lanterns.txt", "size": text.len(), "url": url_att, "proxy_url": url_att, "content_type": "text/plain"}}});
    let id = next_id();
    fake.dispatch(
        "INTERACTION_CREATE",
        in_guild(
            command(
                id,
                ORGANISER,
                "library",
                json!([{"name": "add", "type": 1, "options": [{"name": "file", "type": 11, "value": &att}]}]),
                Some(resolved),
            ),
            G0,
        ),
    );
    let added = fake
        .wait_for("upload followup", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await;
    assert!(text_of(&added.body).contains("Added"), "{}", added.body);
    let uploaded = Instant::now();
    // G0's events move to B (as after a rolling restart with new ranges):
    // B quotes it within five seconds.
    let seen_after = loop {
        let reply = ask(&fake, 1, G0, "cite", json!([opt("text", phrase)])).await;
        if text_of(&reply).contains("Notes on Lanterns") {
            break uploaded.elapsed();
        }
        assert!(
            uploaded.elapsed() < Duration::from_secs(5),
            "process B did not see the upload within 5 s: {reply}\n{}",
            b.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!("upload through A quotable through B after {seen_after:?}");
    // Invisible to another circle, on either process.
    for (shard, guild) in [(1, G1), (0, G2)] {
        let reply = ask(&fake, shard, guild, "cite", json!([opt("text", phrase)])).await;
        assert!(
            !text_of(&reply).contains("Lanterns"),
            "circle {guild} sees circle {G0}'s upload: {reply}"
        );
    }

    // 3. kill -9 of the process sending a post, mid-send.
    let ch = 4200;
    fake.delay_next(
        &format!("/channels/{ch}/messages"),
        Duration::from_secs(60),
        1,
    );
    let g3 = (13 << 22) | 3;
    state.set_schedule(&schedule(g3, ch)).unwrap();
    fake.wait_for("the send", |r| {
        r.method == "POST" && r.path == format!("/api/v10/channels/{ch}/messages")
    })
    .await;
    let owner = state
        .daily_post(g3, &today())
        .unwrap()
        .unwrap()
        .owner
        .expect("the sender holds the claim");
    let pid: u32 = owner.split(':').nth(1).unwrap().parse().unwrap();
    let (mut victim, survivor) = if pid == a.child.id() {
        (a, b)
    } else {
        assert_eq!(
            pid,
            b.child.id(),
            "the claim names one of the two processes"
        );
        (b, a)
    };
    victim.child.kill().unwrap(); // SIGKILL
    victim.child.wait().unwrap();
    let killed = Instant::now();
    let deadline = killed + Duration::from_secs(LEASE_SECONDS + 15);
    loop {
        let rec = state.daily_post(g3, &today()).unwrap().unwrap();
        if rec.status == "posted" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the survivor never took the post over: {rec:?}\n{}",
            survivor.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "taken over and posted {:?} after the kill",
        killed.elapsed()
    );
    assert!(
        killed.elapsed() >= Duration::from_secs(LEASE_SECONDS) - Duration::from_millis(500),
        "taken over before the lease expired"
    );
    assert_eq!(
        sends_to(&fake, ch),
        2,
        "one send by each process, one nonce"
    );
    assert_eq!(fake.messages_in(ch), 1, "the post happened once");
    drop(victim);

    // 4. SIGTERM while a reply is in flight and a daily post is being
    // sent: the reply finishes, and the post's claim is released for the
    // others rather than left to expire.
    let shard = u64::from(survivor.shard.unwrap());
    let (g5, ch5) = ((14 + shard) << 22 | 5, 4300);
    assert_eq!((g5 >> 22) % 2, shard);
    // Every attempt hangs (each ends at the poster's own timeout).
    fake.delay_next(
        &format!("/channels/{ch5}/messages"),
        Duration::from_secs(60),
        10,
    );
    state.set_schedule(&schedule(g5, ch5)).unwrap();
    fake.wait_for("the stuck send", |r| {
        r.method == "POST" && r.path == format!("/api/v10/channels/{ch5}/messages")
    })
    .await;
    let reply_delay = Duration::from_millis(1500);
    fake.delay_next("/callback", reply_delay, 1);
    let id = next_id();
    fake.dispatch_on_shard(
        shard,
        "INTERACTION_CREATE",
        in_guild(
            command(
                id,
                MEMBER,
                "quote",
                json!([opt("topic", "solidarity")]),
                None,
            ),
            g5,
        ),
    );
    fake.callback(id).await;
    let termed = Instant::now();
    unsafe {
        libc::kill(survivor.child.id() as i32, libc::SIGTERM);
    }
    let mut survivor = survivor;
    let status = wait_exit(&mut survivor.child, Duration::from_secs(30));
    let took = termed.elapsed();
    let log = survivor.log();
    assert!(status.success(), "{log}");
    assert!(
        took >= reply_delay - Duration::from_millis(300),
        "exited after {took:?}, before its reply was answered"
    );
    assert!(log.contains("shutting down"), "{log}");
    assert!(
        log.contains("released this process's daily-post claims"),
        "{log}"
    );
    let rec = state.daily_post(g5, &today()).unwrap().unwrap();
    assert_eq!((rec.status.as_str(), rec.owner), ("pending", None));
    eprintln!("SIGTERM to exit: {took:?}");
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "did not exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// p50 and p99 of `/quote` and `/prompt` through the bot (interaction sent
/// on the gateway to the initial response at the fake), with the state in
/// SQLite and in PostgreSQL. A benchmark, not a check:
/// `cargo test --release --test scale_out -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_replies_with_sqlite_and_postgres_state() {
    let url = common::fresh_postgres("bench_replies");
    let queries = [
        "solidarity",
        "what counts as imperialism",
        "campism",
        "Syria",
        "internationalism from below",
        "the left and Ukraine",
        "who speaks for the oppressed",
        "anti-imperialism of fools",
    ];
    let mut rows = Vec::new();
    for (name, db) in [("sqlite", None), ("postgres", url.as_deref())] {
        if name == "postgres" && db.is_none() {
            continue;
        }
        let fake = Fake::start().await;
        let p = Proc::start(&fake, db, None);
        wait_sessions(&fake, &[&p], &[(0, 1)]).await;
        for (cmd, n) in [("quote", 300usize), ("prompt", 300)] {
            let mut ms = Vec::with_capacity(n);
            for i in 0..n + 20 {
                let options = if cmd == "quote" {
                    json!([opt("topic", queries[i % queries.len()])])
                } else {
                    json!([{"name": "now", "type": 1, "options": []}])
                };
                let id = next_id();
                let sent = Instant::now();
                fake.dispatch(
                    "INTERACTION_CREATE",
                    in_guild(command(id, MEMBER, cmd, options, None), G0),
                );
                let cb = fake.callback(id).await;
                // The first 20 warm the process up.
                if i >= 20 {
                    ms.push(cb.at.duration_since(sent).as_secs_f64() * 1000.0);
                }
            }
            ms.sort_by(f64::total_cmp);
            let pct = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).min(ms.len()) - 1];
            rows.push(format!(
                "| /{cmd} | {name} | {n} | {:.1} | {:.1} |",
                pct(0.50),
                pct(0.99)
            ));
        }
    }
    println!("| command | state | replies | p50 ms | p99 ms |\n|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
}
