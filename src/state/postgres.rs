//! The PostgreSQL backend, for several processes sharing one state:
//! tokio-postgres with a deadpool pool, versioned migrations in
//! `schema_migrations`, applied under an advisory lock so processes
//! starting together migrate once.
//!
//! The core is synchronous (SQLite is), so each call runs on this store's
//! own small runtime, on a thread of its own, and the caller waits for the
//! answer. That works from any thread: the Discord layer's blocking pool,
//! the scheduler's task, the CLI, tests.

use super::{
    Chooser, Claim, CustomPrompt, DailyPost, Schedule, StateStore, StoredEssay, Suggestion,
};
use crate::error::{Error, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::future::Future;
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::NoTls;

/// Migrations, in order; `schema_migrations` records which ran. Never edit
/// one that shipped: add another.
const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite store had at its schema 6.
    r#"
    CREATE TABLE circle_cycle (
        circle TEXT PRIMARY KEY,
        cycle BIGINT NOT NULL,
        picks BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE prompt_history (
        id BIGSERIAL,
        circle TEXT NOT NULL,
        cycle BIGINT NOT NULL,
        prompt_id TEXT NOT NULL,
        shown_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (circle, cycle, prompt_id)
    );
    CREATE TABLE custom_prompts (
        id BIGSERIAL PRIMARY KEY,
        circle TEXT NOT NULL DEFAULT '',
        essay TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        question TEXT NOT NULL,
        suggested_by TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE banned_prompts (
        circle TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        banned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (circle, prompt_id)
    );
    CREATE TABLE reading_plan (
        id BIGSERIAL PRIMARY KEY,
        circle TEXT NOT NULL,
        essay TEXT NOT NULL,
        starts TEXT NOT NULL,
        ends TEXT,
        first_paragraph INTEGER,
        last_paragraph INTEGER,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX reading_plan_circle ON reading_plan (circle, starts);
    CREATE TABLE schedules (
        guild_id BIGINT PRIMARY KEY,
        channel_id BIGINT NOT NULL,
        local_time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        essay TEXT,
        role_id BIGINT,
        enabled BOOLEAN NOT NULL DEFAULT TRUE,
        cadence TEXT NOT NULL DEFAULT 'daily',
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE daily_posts (
        guild_id BIGINT NOT NULL,
        local_date TEXT NOT NULL,
        status TEXT NOT NULL,
        nonce TEXT NOT NULL,
        prompt_id TEXT,
        message_id BIGINT,
        attempts INTEGER NOT NULL DEFAULT 0,
        owner TEXT,
        lease_until TIMESTAMPTZ,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (guild_id, local_date)
    );
    CREATE TABLE prompt_suggestions (
        id BIGSERIAL PRIMARY KEY,
        circle TEXT NOT NULL,
        essay TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        question TEXT NOT NULL,
        member_id TEXT NOT NULL,
        member_name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        decided_at TIMESTAMPTZ,
        custom_prompt BIGINT
    );
    CREATE INDEX prompt_suggestions_queue ON prompt_suggestions (circle, status, id);
    -- One row: taking the next library version locks it until commit, so
    -- versions become visible in order and a poller never skips one.
    CREATE TABLE library_version (one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), version BIGINT NOT NULL);
    INSERT INTO library_version (version) VALUES (0);
    CREATE TABLE circle_essays (
        circle TEXT NOT NULL,
        path TEXT NOT NULL,
        bytes BYTEA NOT NULL,
        meta TEXT NOT NULL,
        version BIGINT NOT NULL,
        removed BOOLEAN NOT NULL DEFAULT FALSE,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (circle, path)
    );
    CREATE INDEX circle_essays_version ON circle_essays (version);
    "#,
];

/// Any key, the same in every process: serialises migrations.
const MIGRATION_LOCK: i64 = 0x636f_6d6d_6f6e;

/// Longest any one call may take (a hung server must not hang a command).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The advisory-lock class of prompt picks (the circle is the other key).
const PICK_LOCK: i32 = 0x7069_636b;

/// A pooled connection holding a circle's pick lock. Dropped while it
/// still holds one (an error, a panic), it is closed rather than returned to
/// the pool: closing the session releases the lock.
struct Locked(Option<deadpool_postgres::Object>);

impl Drop for Locked {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            drop(deadpool_postgres::Object::take(c));
        }
    }
}

/// The PostgreSQL state store.
pub struct Postgres {
    pool: Pool,
    handle: tokio::runtime::Handle,
    /// Dropped with the store: the runtime's thread then ends.
    _stop: tokio::sync::oneshot::Sender<()>,
}

fn db(e: impl std::fmt::Display) -> Error {
    Error::State(format!("PostgreSQL: {e}"))
}

impl Postgres {
    /// Connect to `url` and bring its schema up to date.
    pub fn connect(url: &str) -> Result<Postgres> {
        let config = tokio_postgres::Config::from_str(url).map_err(|e| {
            Error::Config(format!("database_url `{}`: {e}", super::redact_url(url)))
        })?;
        let (handle_tx, handle_rx) = std::sync::mpsc::sync_channel(1);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("postgres".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = handle_tx.send(Err(e));
                        return;
                    }
                };
                let _ = handle_tx.send(Ok(rt.handle().clone()));
                // Drives the pool's connections until the store is dropped.
                rt.block_on(async {
                    let _ = stopped.await;
                });
            })
            .map_err(db)?;
        let handle = handle_rx
            .recv()
            .map_err(db)?
            .map_err(|e| db(format!("cannot start its runtime: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(10)))
            .build()
            .map_err(db)?;
        let store = Postgres {
            pool,
            handle,
            _stop: stop,
        };
        store.migrate().map_err(|e| match e {
            Error::State(m) => {
                Error::State(format!("{m} (database_url {})", super::redact_url(url)))
            }
            e => e,
        })?;
        Ok(store)
    }

    /// Run `fut` on the store's runtime and wait for it.
    fn run<T: Send + 'static>(
        &self,
        fut: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let out = match tokio::time::timeout(CALL_TIMEOUT, fut).await {
                Ok(r) => r,
                Err(_) => Err(db("no answer within 30 s")),
            };
            let _ = tx.send(out);
        });
        rx.recv().map_err(|_| db("its runtime has stopped"))?
    }

    fn migrate(&self) -> Result<()> {
        let pool = self.pool.clone();
        self.run(async move {
            let mut c = pool.get().await?;
            let tx = c.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .await?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            )
            .await?;
            let have: i32 = tx
                .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])
                .await?
                .get(0);
            if have as usize > MIGRATIONS.len() {
                return Err(Error::Config(format!(
                    "the database is from a newer commonplace (schema {have}); refusing to touch it"
                )));
            }
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(have as usize) {
                tx.batch_execute(sql).await?;
                tx.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[&(i as i32 + 1)],
                )
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}

fn post_of(r: &tokio_postgres::Row) -> DailyPost {
    DailyPost {
        guild_id: r.get::<_, i64>(0) as u64,
        local_date: r.get(1),
        status: r.get(2),
        nonce: r.get(3),
        prompt_id: r.get(4),
        message_id: r.get::<_, Option<i64>>(5).map(|m| m as u64),
        attempts: r.get::<_, i32>(6) as u32,
        owner: r.get(7),
    }
}

fn suggestion_of(r: &tokio_postgres::Row) -> Suggestion {
    Suggestion {
        id: r.get(0),
        essay: r.get(1),
        paragraph: r.get::<_, i32>(2) as u32,
        question: r.get(3),
        member_id: r.get(4),
        member_name: r.get(5),
        status: r.get(6),
    }
}

fn schedule_of(r: &tokio_postgres::Row) -> Schedule {
    Schedule {
        guild_id: r.get::<_, i64>(0) as u64,
        channel_id: r.get::<_, i64>(1) as u64,
        local_time: r.get(2),
        time_zone: r.get(3),
        essay: r.get(4),
        role_id: r.get::<_, Option<i64>>(5).map(|x| x as u64),
        enabled: r.get(6),
        // As in SQLite: an unreadable cadence posts daily rather than never.
        cadence: crate::schedule::Cadence::from_stored(&r.get::<_, String>(7))
            .unwrap_or(crate::schedule::Cadence::Daily),
    }
}

const SCHEDULE_COLUMNS: &str =
    "guild_id, channel_id, local_time, time_zone, essay, role_id, enabled, cadence";
const POST_COLUMNS: &str =
    "guild_id, local_date, status, nonce, prompt_id, message_id, attempts, owner";

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl StateStore for Postgres {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn cycle(&self, circle: &str) -> Result<i64> {
        let (pool, circle) = (self.pool.clone(), circle.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let row = c
                .query_opt(
                    "SELECT cycle FROM circle_cycle WHERE circle = $1",
                    &[&circle],
                )
                .await?;
            Ok(row.map_or(0, |r| r.get(0)))
        })
    }

    fn shown(&self, circle: &str) -> Result<Vec<String>> {
        let (pool, circle) = (self.pool.clone(), circle.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let rows = c
                .query(
                    "SELECT h.prompt_id FROM prompt_history h
                     WHERE h.circle = $1 AND h.cycle = COALESCE((SELECT cycle FROM circle_cycle WHERE circle = $1), 0)
                     ORDER BY h.id",
                    &[&circle],
                )
                .await?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn pick_next_with(&self, circle: &str, choose: &mut Chooser<'_>) -> Result<()> {
        // The circle's advisory lock is held from reading its history to
        // recording the pick, so processes picking for one circle take
        // turns and never hand out the same prompt. The choice itself is
        // made here, on the caller's thread (it needs the caller's prompt
        // pool), with the lock's connection set aside from the pool. A
        // connection that dies releases its lock, so a crashed process
        // blocks nobody.
        let pool = self.pool.clone();
        let key = circle.to_string();
        let (conn, cycle, shown) = self.run(async move {
            let c = pool.get().await?;
            // A lock wait ends (as an error) well before the call's own
            // limit, so a connection never goes back to the pool waiting.
            c.batch_execute("SET lock_timeout = '10s'").await?;
            c.execute(
                "SELECT pg_advisory_lock($1, hashtext($2))",
                &[&PICK_LOCK, &key],
            )
            .await?;
            let c = Locked(Some(c));
            let conn = c.0.as_ref().expect("just set");
            let cycle: i64 = conn
                .query_opt("SELECT cycle FROM circle_cycle WHERE circle = $1", &[&key])
                .await?
                .map_or(0, |r| r.get(0));
            let rows = conn
                .query(
                    "SELECT prompt_id FROM prompt_history WHERE circle = $1 AND cycle = $2 ORDER BY id",
                    &[&key, &cycle],
                )
                .await?;
            let shown: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
            Ok((c, cycle, shown))
        })?;
        let key = circle.to_string();
        // If choosing panics, `conn` is dropped holding the lock: `Locked`
        // closes it then, which releases the lock.
        let chosen = choose(&shown);
        self.run(async move {
            let mut conn = conn;
            let mut c = conn.0.take().expect("held until here");
            let recorded = async {
                let (id, start_over) = chosen?;
                let tx = c.transaction().await?;
                let new_cycle = cycle + i64::from(start_over);
                tx.execute(
                    "INSERT INTO circle_cycle (circle, cycle, picks) VALUES ($1, $2, 1)
                     ON CONFLICT (circle) DO UPDATE SET cycle = $2, picks = circle_cycle.picks + 1",
                    &[&key, &new_cycle],
                )
                .await?;
                tx.execute(
                    "INSERT INTO prompt_history (circle, cycle, prompt_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&key, &new_cycle, &id],
                )
                .await?;
                tx.commit().await?;
                Ok::<(), Error>(())
            }
            .await;
            let unlocked = c
                .execute(
                    "SELECT pg_advisory_unlock($1, hashtext($2))",
                    &[&PICK_LOCK, &key],
                )
                .await;
            if recorded.is_err() || unlocked.is_err() {
                // Not returned to the pool: closing it releases the lock
                // whatever state it is in.
                conn.0 = Some(c);
            }
            recorded
        })
    }

    fn add_custom_prompt(
        &self,
        circle: Option<&str>,
        essay: &str,
        paragraph: u32,
        question: &str,
    ) -> Result<i64> {
        let pool = self.pool.clone();
        let (circle, essay, question) = (
            circle.unwrap_or("").to_string(),
            essay.to_string(),
            question.to_string(),
        );
        self.run(async move {
            let c = pool.get().await?;
            Ok(c.query_one(
                "INSERT INTO custom_prompts (circle, essay, paragraph, question) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&circle, &essay, &(paragraph as i32), &question],
            )
            .await?
            .get(0))
        })
    }

    fn custom_prompts(
        &self,
        circle: Option<&str>,
        essay: Option<&str>,
    ) -> Result<Vec<CustomPrompt>> {
        let pool = self.pool.clone();
        let (circle, essay) = (circle.unwrap_or("").to_string(), essay.map(str::to_string));
        self.run(async move {
            let c = pool.get().await?;
            let rows = c
                .query(
                    "SELECT id, essay, paragraph, question, suggested_by FROM custom_prompts
                     WHERE ($1::TEXT IS NULL OR essay = $1) AND (circle = '' OR circle = $2) ORDER BY id",
                    &[&essay, &circle],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|r| CustomPrompt {
                    id: r.get(0),
                    essay: r.get(1),
                    paragraph: r.get::<_, i32>(2) as u32,
                    question: r.get(3),
                    suggested_by: r.get(4),
                })
                .collect())
        })
    }

    fn add_suggestion(
        &self,
        circle: &str,
        essay: &str,
        paragraph: u32,
        question: &str,
        member_id: &str,
        member_name: &str,
    ) -> Result<i64> {
        let pool = self.pool.clone();
        let v = [circle, essay, question, member_id, member_name].map(str::to_string);
        self.run(async move {
            let c = pool.get().await?;
            Ok(c.query_one(
                "INSERT INTO prompt_suggestions (circle, essay, paragraph, question, member_id, member_name)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[&v[0], &v[1], &(paragraph as i32), &v[2], &v[3], &v[4]],
            )
            .await?
            .get(0))
        })
    }

    fn pending_suggestions_of(&self, circle: &str, member_id: &str) -> Result<usize> {
        let pool = self.pool.clone();
        let (circle, member) = (circle.to_string(), member_id.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let n: i64 = c
                .query_one(
                    "SELECT COUNT(*) FROM prompt_suggestions WHERE circle = $1 AND member_id = $2 AND status = 'pending'",
                    &[&circle, &member],
                )
                .await?
                .get(0);
            Ok(n as usize)
        })
    }

    fn pending_suggestions(&self, circle: &str) -> Result<Vec<Suggestion>> {
        let (pool, circle) = (self.pool.clone(), circle.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let rows = c
                .query(
                    "SELECT id, essay, paragraph, question, member_id, member_name, status
                     FROM prompt_suggestions WHERE circle = $1 AND status = 'pending' ORDER BY id",
                    &[&circle],
                )
                .await?;
            Ok(rows.iter().map(suggestion_of).collect())
        })
    }

    fn decide_suggestion(
        &self,
        circle: &str,
        id: i64,
        approve: bool,
    ) -> Result<Option<(Suggestion, Option<i64>)>> {
        let (pool, circle) = (self.pool.clone(), circle.to_string());
        self.run(async move {
            let mut c = pool.get().await?;
            let tx = c.transaction().await?;
            // FOR UPDATE: a second organiser's press waits, then finds it
            // decided.
            let Some(row) = tx
                .query_opt(
                    "SELECT id, essay, paragraph, question, member_id, member_name, status
                     FROM prompt_suggestions WHERE id = $1 AND circle = $2 AND status = 'pending' FOR UPDATE",
                    &[&id, &circle],
                )
                .await?
            else {
                return Ok(None);
            };
            let mut s = suggestion_of(&row);
            let custom: Option<i64> = if approve {
                Some(
                    tx.query_one(
                        "INSERT INTO custom_prompts (circle, essay, paragraph, question, suggested_by)
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        &[&circle, &s.essay, &(s.paragraph as i32), &s.question, &s.member_name],
                    )
                    .await?
                    .get(0),
                )
            } else {
                None
            };
            s.status = if approve { "approved" } else { "rejected" }.into();
            tx.execute(
                "UPDATE prompt_suggestions SET status = $1, decided_at = now(), custom_prompt = $2 WHERE id = $3",
                &[&s.status, &custom, &id],
            )
            .await?;
            tx.commit().await?;
            Ok(Some((s, custom)))
        })
    }

    fn ban_prompt(&self, circle: Option<&str>, prompt_id: &str) -> Result<()> {
        let pool = self.pool.clone();
        let (circle, id) = (circle.unwrap_or("").to_string(), prompt_id.to_string());
        self.run(async move {
            let c = pool.get().await?;
            c.execute(
                "INSERT INTO banned_prompts (circle, prompt_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&circle, &id],
            )
            .await?;
            Ok(())
        })
    }

    fn banned(&self, circle: Option<&str>) -> Result<Vec<String>> {
        let (pool, circle) = (self.pool.clone(), circle.unwrap_or("").to_string());
        self.run(async move {
            let c = pool.get().await?;
            let rows = c
                .query(
                    "SELECT DISTINCT prompt_id FROM banned_prompts WHERE circle = '' OR circle = $1",
                    &[&circle],
                )
                .await?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn add_reading(&self, circle: &str, entry: &crate::model::PlanEntry) -> Result<i64> {
        let pool = self.pool.clone();
        let circle = circle.to_string();
        let essay = entry.essay.clone();
        let starts = entry.starts.to_string();
        let ends = entry.ends.map(|d| d.to_string());
        let first = entry.paragraphs.map(|p| p.0 as i32);
        let last = entry.paragraphs.map(|p| p.1 as i32);
        self.run(async move {
            let c = pool.get().await?;
            Ok(c.query_one(
                "INSERT INTO reading_plan (circle, essay, starts, ends, first_paragraph, last_paragraph)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[&circle, &essay, &starts, &ends, &first, &last],
            )
            .await?
            .get(0))
        })
    }

    fn reading_plan(&self, circle: &str) -> Result<Vec<crate::model::PlanEntry>> {
        let (pool, circle) = (self.pool.clone(), circle.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let rows = c
                .query(
                    "SELECT id, essay, starts, ends, first_paragraph, last_paragraph FROM reading_plan
                     WHERE circle = $1 ORDER BY starts, id",
                    &[&circle],
                )
                .await?;
            let mut out = Vec::new();
            for r in rows {
                let id: i64 = r.get(0);
                let day = |s: &str| {
                    s.parse::<jiff::civil::Date>().map_err(|_| {
                        Error::Config(format!("reading plan entry {id} has a bad date `{s}`"))
                    })
                };
                let (a, b): (Option<i32>, Option<i32>) = (r.get(4), r.get(5));
                out.push(crate::model::PlanEntry {
                    id,
                    essay: r.get(1),
                    starts: day(&r.get::<_, String>(2))?,
                    ends: r.get::<_, Option<String>>(3).as_deref().map(day).transpose()?,
                    paragraphs: a.zip(b).map(|(a, b)| (a as u32, b as u32)),
                });
            }
            Ok(out)
        })
    }

    fn remove_reading(&self, circle: &str, id: i64) -> Result<bool> {
        let (pool, circle) = (self.pool.clone(), circle.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let n = c
                .execute(
                    "DELETE FROM reading_plan WHERE circle = $1 AND id = $2",
                    &[&circle, &id],
                )
                .await?;
            Ok(n > 0)
        })
    }

    fn clear_reading_plan(&self, circle: &str) -> Result<usize> {
        let (pool, circle) = (self.pool.clone(), circle.to_string());
        self.run(async move {
            let c = pool.get().await?;
            Ok(
                c.execute("DELETE FROM reading_plan WHERE circle = $1", &[&circle])
                    .await? as usize,
            )
        })
    }

    fn set_schedule(&self, s: &Schedule) -> Result<()> {
        let pool = self.pool.clone();
        let s = s.clone();
        self.run(async move {
            let c = pool.get().await?;
            c.execute(
                "INSERT INTO schedules (guild_id, channel_id, local_time, time_zone, essay, role_id, enabled, cadence)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (guild_id) DO UPDATE SET channel_id = $2, local_time = $3, time_zone = $4,
                   essay = $5, role_id = $6, enabled = $7, cadence = $8, updated_at = now()",
                &[
                    &(s.guild_id as i64),
                    &(s.channel_id as i64),
                    &s.local_time,
                    &s.time_zone,
                    &s.essay,
                    &s.role_id.map(|r| r as i64),
                    &s.enabled,
                    &s.cadence.to_stored(),
                ],
            )
            .await?;
            Ok(())
        })
    }

    fn disable_schedule(&self, guild_id: u64) -> Result<bool> {
        let pool = self.pool.clone();
        self.run(async move {
            let c = pool.get().await?;
            let n = c
                .execute(
                    "UPDATE schedules SET enabled = FALSE, updated_at = now() WHERE guild_id = $1",
                    &[&(guild_id as i64)],
                )
                .await?;
            Ok(n > 0)
        })
    }

    fn schedule(&self, guild_id: u64) -> Result<Option<Schedule>> {
        let pool = self.pool.clone();
        self.run(async move {
            let c = pool.get().await?;
            let row = c
                .query_opt(
                    &format!("SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE guild_id = $1"),
                    &[&(guild_id as i64)],
                )
                .await?;
            Ok(row.as_ref().map(schedule_of))
        })
    }

    fn enabled_schedules(&self) -> Result<Vec<Schedule>> {
        let pool = self.pool.clone();
        self.run(async move {
            let c = pool.get().await?;
            let rows = c
                .query(
                    &format!(
                        "SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE enabled ORDER BY guild_id"
                    ),
                    &[],
                )
                .await?;
            Ok(rows.iter().map(schedule_of).collect())
        })
    }

    fn daily_post(&self, guild_id: u64, local_date: &str) -> Result<Option<DailyPost>> {
        let (pool, date) = (self.pool.clone(), local_date.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let row = c
                .query_opt(
                    &format!(
                        "SELECT {POST_COLUMNS} FROM daily_posts WHERE guild_id = $1 AND local_date = $2"
                    ),
                    &[&(guild_id as i64), &date],
                )
                .await?;
            Ok(row.as_ref().map(post_of))
        })
    }

    fn claim_daily_post(
        &self,
        guild_id: u64,
        local_date: &str,
        nonce: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<Claim> {
        let pool = self.pool.clone();
        let (date, nonce, owner) = (local_date.to_string(), nonce.to_string(), owner.to_string());
        self.run(async move {
            let mut c = pool.get().await?;
            let tx = c.transaction().await?;
            let g = guild_id as i64;
            tx.execute(
                "INSERT INTO daily_posts (guild_id, local_date, status, nonce) VALUES ($1, $2, 'pending', $3) ON CONFLICT DO NOTHING",
                &[&g, &date, &nonce],
            )
            .await?;
            // The row lock makes the check and the take one step; the
            // lease is judged by the database's clock, the one clock every
            // process shares.
            let row = tx
                .query_one(
                    &format!(
                        "SELECT {POST_COLUMNS}, lease_until > now() FROM daily_posts WHERE guild_id = $1 AND local_date = $2 FOR UPDATE"
                    ),
                    &[&g, &date],
                )
                .await?;
            let record = post_of(&row);
            let live: Option<bool> = row.get(8);
            let claim = if record.status == "posted" {
                Claim::Posted(record)
            } else if let (Some(o), Some(true)) = (&record.owner, live) {
                if *o == owner {
                    take(&tx, g, &date, &owner, lease).await?;
                    Claim::Ours(record)
                } else {
                    Claim::Held { owner: o.clone() }
                }
            } else {
                take(&tx, g, &date, &owner, lease).await?;
                Claim::Ours(DailyPost {
                    owner: Some(owner.clone()),
                    ..record
                })
            };
            tx.commit().await?;
            Ok(claim)
        })
    }

    fn renew_lease(
        &self,
        guild_id: u64,
        local_date: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<bool> {
        let pool = self.pool.clone();
        let (date, owner) = (local_date.to_string(), owner.to_string());
        self.run(async move {
            let c = pool.get().await?;
            let n = c
                .execute(
                    "UPDATE daily_posts SET lease_until = now() + make_interval(secs => $4)
                     WHERE guild_id = $1 AND local_date = $2 AND owner = $3 AND status = 'pending'",
                    &[&(guild_id as i64), &date, &owner, &secs(lease)],
                )
                .await?;
            Ok(n > 0)
        })
    }

    fn set_daily_prompt(&self, guild_id: u64, local_date: &str, prompt_id: &str) -> Result<()> {
        let pool = self.pool.clone();
        let (date, prompt) = (local_date.to_string(), prompt_id.to_string());
        self.run(async move {
            let c = pool.get().await?;
            c.execute(
                "UPDATE daily_posts SET prompt_id = $3 WHERE guild_id = $1 AND local_date = $2",
                &[&(guild_id as i64), &date, &prompt],
            )
            .await?;
            Ok(())
        })
    }

    fn release_daily_post(&self, guild_id: u64, local_date: &str, owner: &str) -> Result<()> {
        let pool = self.pool.clone();
        let (date, owner) = (local_date.to_string(), owner.to_string());
        self.run(async move {
            let c = pool.get().await?;
            c.execute(
                "UPDATE daily_posts SET owner = NULL, lease_until = NULL WHERE guild_id = $1 AND local_date = $2 AND owner = $3",
                &[&(guild_id as i64), &date, &owner],
            )
            .await?;
            Ok(())
        })
    }

    fn release_all(&self, owner: &str) -> Result<usize> {
        let (pool, owner) = (self.pool.clone(), owner.to_string());
        self.run(async move {
            let c = pool.get().await?;
            Ok(c.execute(
                "UPDATE daily_posts SET owner = NULL, lease_until = NULL WHERE owner = $1 AND status = 'pending'",
                &[&owner],
            )
            .await? as usize)
        })
    }

    fn note_attempt(&self, guild_id: u64, local_date: &str) -> Result<()> {
        let (pool, date) = (self.pool.clone(), local_date.to_string());
        self.run(async move {
            let c = pool.get().await?;
            c.execute(
                "UPDATE daily_posts SET attempts = attempts + 1, updated_at = now() WHERE guild_id = $1 AND local_date = $2",
                &[&(guild_id as i64), &date],
            )
            .await?;
            Ok(())
        })
    }

    fn mark_posted(&self, guild_id: u64, local_date: &str, message_id: u64) -> Result<()> {
        let (pool, date) = (self.pool.clone(), local_date.to_string());
        self.run(async move {
            let c = pool.get().await?;
            c.execute(
                "UPDATE daily_posts SET status = 'posted', message_id = $3, owner = NULL, lease_until = NULL, updated_at = now()
                 WHERE guild_id = $1 AND local_date = $2",
                &[&(guild_id as i64), &date, &(message_id as i64)],
            )
            .await?;
            Ok(())
        })
    }

    fn change_essay(
        &self,
        circle: &str,
        path: &str,
        bytes: &[u8],
        meta: &str,
        removed: bool,
    ) -> Result<u64> {
        let pool = self.pool.clone();
        let (circle, path, bytes, meta) = (
            circle.to_string(),
            path.to_string(),
            bytes.to_vec(),
            meta.to_string(),
        );
        self.run(async move {
            let mut c = pool.get().await?;
            let tx = c.transaction().await?;
            let version: i64 = tx
                .query_one(
                    "UPDATE library_version SET version = version + 1 RETURNING version",
                    &[],
                )
                .await?
                .get(0);
            tx.execute(
                "INSERT INTO circle_essays (circle, path, bytes, meta, version, removed)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (circle, path) DO UPDATE SET bytes = $3, meta = $4, version = $5, removed = $6, updated_at = now()",
                &[&circle, &path, &bytes, &meta, &version, &removed],
            )
            .await?;
            tx.commit().await?;
            Ok(version as u64)
        })
    }

    fn essays_version(&self) -> Result<u64> {
        let pool = self.pool.clone();
        self.run(async move {
            let c = pool.get().await?;
            let v: i64 = c
                .query_one("SELECT version FROM library_version", &[])
                .await?
                .get(0);
            Ok(v as u64)
        })
    }

    fn essays_since(&self, version: u64) -> Result<Vec<StoredEssay>> {
        let pool = self.pool.clone();
        self.run(async move {
            let c = pool.get().await?;
            let rows = c
                .query(
                    "SELECT circle, path, bytes, meta, version, removed FROM circle_essays WHERE version > $1 ORDER BY version",
                    &[&(version as i64)],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|r| StoredEssay {
                    circle: r.get(0),
                    path: r.get(1),
                    bytes: r.get(2),
                    meta: r.get(3),
                    version: r.get::<_, i64>(4) as u64,
                    removed: r.get(5),
                })
                .collect())
        })
    }
}

/// Take (or extend) the lease on a day's post inside the claiming
/// transaction.
async fn take(
    tx: &deadpool_postgres::Transaction<'_>,
    guild: i64,
    date: &str,
    owner: &str,
    lease: Duration,
) -> Result<()> {
    tx.execute(
        "UPDATE daily_posts SET owner = $3, lease_until = now() + make_interval(secs => $4), updated_at = now()
         WHERE guild_id = $1 AND local_date = $2",
        &[&guild, &date, &owner, &secs(lease)],
    )
    .await?;
    Ok(())
}
