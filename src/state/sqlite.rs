//! The SQLite backend: `state.sqlite3` (bundled SQLite) in the data
//! directory, the zero-setup default. Versioned by `PRAGMA user_version`.

use super::{
    Chooser, Claim, CustomPrompt, DailyPost, Schedule, StateStore, StoredEssay, Suggestion,
};
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// Current schema version (`PRAGMA user_version`).
const SCHEMA_VERSION: i32 = 6;

const MIGRATIONS: &[&str] = &[
    // 1: initial schema
    r#"
    CREATE TABLE prompt_history (
        circle TEXT NOT NULL,
        cycle INTEGER NOT NULL,
        prompt_id TEXT NOT NULL,
        shown_at TEXT NOT NULL,
        PRIMARY KEY (circle, cycle, prompt_id)
    );
    CREATE TABLE circle_cycle (circle TEXT PRIMARY KEY, cycle INTEGER NOT NULL);
    CREATE TABLE custom_prompts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        essay TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        question TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE banned_prompts (prompt_id TEXT PRIMARY KEY, banned_at TEXT NOT NULL);
    CREATE TABLE schedules (
        guild_id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL,
        local_time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        essay TEXT,
        role_id INTEGER,
        enabled INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE daily_posts (
        guild_id INTEGER NOT NULL,
        local_date TEXT NOT NULL,
        status TEXT NOT NULL,
        nonce TEXT NOT NULL,
        prompt_id TEXT,
        message_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, local_date)
    );
    "#,
    // 2: organisers' own and banned prompts belong to a circle ('' is the
    // operator's: every circle).
    r#"
    ALTER TABLE custom_prompts ADD COLUMN circle TEXT NOT NULL DEFAULT '';
    CREATE TABLE banned_prompts_by_circle (
        circle TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        banned_at TEXT NOT NULL,
        PRIMARY KEY (circle, prompt_id)
    );
    INSERT INTO banned_prompts_by_circle (circle, prompt_id, banned_at)
        SELECT '', prompt_id, banned_at FROM banned_prompts;
    DROP TABLE banned_prompts;
    ALTER TABLE banned_prompts_by_circle RENAME TO banned_prompts;
    "#,
    // 3: reading plans.
    r#"
    CREATE TABLE reading_plan (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        circle TEXT NOT NULL,
        essay TEXT NOT NULL,
        starts TEXT NOT NULL,
        ends TEXT,
        first_paragraph INTEGER,
        last_paragraph INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE INDEX reading_plan_circle ON reading_plan (circle, starts);
    "#,
    // 4: schedules get a cadence (daily, weekly on chosen weekdays, every N days).
    r#"
    ALTER TABLE schedules ADD COLUMN cadence TEXT NOT NULL DEFAULT 'daily';
    "#,
    // 5: members suggest questions; organisers approve them into the pool,
    // credited to the member.
    r#"
    ALTER TABLE custom_prompts ADD COLUMN suggested_by TEXT;
    CREATE TABLE prompt_suggestions (
        id INTEGER PRIMARY KEY,
        circle TEXT NOT NULL,
        essay TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        question TEXT NOT NULL,
        member_id TEXT NOT NULL,
        member_name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        created_at INTEGER NOT NULL,
        decided_at INTEGER,
        custom_prompt INTEGER
    );
    CREATE INDEX prompt_suggestions_queue ON prompt_suggestions (circle, status, id);
    "#,
    // 6: a daily post is claimed with a lease (owner and expiry, unix ms);
    // circles' uploaded essays live in the store.
    r#"
    ALTER TABLE daily_posts ADD COLUMN owner TEXT;
    ALTER TABLE daily_posts ADD COLUMN lease_until INTEGER;
    CREATE TABLE circle_essays (
        circle TEXT NOT NULL,
        path TEXT NOT NULL,
        bytes BLOB NOT NULL,
        meta TEXT NOT NULL,
        version INTEGER NOT NULL,
        removed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (circle, path)
    );
    CREATE INDEX circle_essays_version ON circle_essays (version);
    "#,
];

fn suggestion_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Suggestion> {
    Ok(Suggestion {
        id: r.get(0)?,
        essay: r.get(1)?,
        paragraph: r.get(2)?,
        question: r.get(3)?,
        member_id: r.get(4)?,
        member_name: r.get(5)?,
        status: r.get(6)?,
    })
}

/// The SQLite state store.
pub struct Sqlite {
    conn: Mutex<Connection>,
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

impl Sqlite {
    /// Open (creating and migrating) `state.sqlite3` in `data_dir`.
    ///
    /// A file that is not a database is an error, never silently replaced:
    /// it holds organisers' settings.
    pub fn open(data_dir: &Path) -> Result<Sqlite> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
        let path = data_dir.join("state.sqlite3");
        Connection::open(&path)
            .map_err(Error::from)
            .and_then(Self::init)
            .map_err(|e| match e {
                // SQLite names a full disk in its own words (xShmMap, I/O error).
                Error::State(_) if crate::fsutil::disk_full(data_dir) => Error::DiskFull { path },
                e => e,
            })
    }

    /// An in-memory store (tests).
    pub fn in_memory() -> Result<Sqlite> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Sqlite> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::Config(format!(
                "state database is from a newer commonplace (schema {version}); refusing to touch it"
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i32)?;
            tx.commit()?;
        }
        Ok(Sqlite {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn unix_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

impl StateStore for Sqlite {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn cycle(&self, circle: &str) -> Result<i64> {
        Ok(self
            .conn()
            .query_row(
                "SELECT cycle FROM circle_cycle WHERE circle = ?1",
                [circle],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    fn shown(&self, circle: &str) -> Result<Vec<String>> {
        let cycle = self.cycle(circle)?;
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT prompt_id FROM prompt_history WHERE circle = ?1 AND cycle = ?2 ORDER BY rowid",
        )?;
        let rows = st.query_map(params![circle, cycle], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn pick_next_with(&self, circle: &str, choose: &mut Chooser<'_>) -> Result<()> {
        // One immediate (write-locked) transaction from reading the history
        // to recording the pick: SQLite serialises the writers.
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut cycle: i64 = tx
            .query_row(
                "SELECT cycle FROM circle_cycle WHERE circle = ?1",
                [circle],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let shown: Vec<String> = {
            let mut st = tx
                .prepare("SELECT prompt_id FROM prompt_history WHERE circle = ?1 AND cycle = ?2 ORDER BY rowid")?;
            let rows = st.query_map(params![circle, cycle], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let (id, start_over) = choose(&shown)?;
        if start_over {
            cycle += 1;
            tx.execute(
                "INSERT INTO circle_cycle (circle, cycle) VALUES (?1, ?2) ON CONFLICT(circle) DO UPDATE SET cycle = ?2",
                params![circle, cycle],
            )?;
        }
        tx.execute(
            "INSERT OR IGNORE INTO prompt_history (circle, cycle, prompt_id, shown_at) VALUES (?1, ?2, ?3, ?4)",
            params![circle, cycle, id, now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn add_custom_prompt(
        &self,
        circle: Option<&str>,
        essay: &str,
        paragraph: u32,
        question: &str,
    ) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO custom_prompts (circle, essay, paragraph, question, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![circle.unwrap_or(""), essay, paragraph, question, now()],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn custom_prompts(
        &self,
        circle: Option<&str>,
        essay: Option<&str>,
    ) -> Result<Vec<CustomPrompt>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT id, essay, paragraph, question, suggested_by FROM custom_prompts
             WHERE (?1 IS NULL OR essay = ?1) AND (circle = '' OR circle = ?2) ORDER BY id",
        )?;
        let rows = st.query_map(params![essay, circle.unwrap_or("")], |r| {
            Ok(CustomPrompt {
                id: r.get(0)?,
                essay: r.get(1)?,
                paragraph: r.get(2)?,
                question: r.get(3)?,
                suggested_by: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        let conn = self.conn();
        conn.execute(
            "INSERT INTO prompt_suggestions (circle, essay, paragraph, question, member_id, member_name, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![circle, essay, paragraph, question, member_id, member_name, now()],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn pending_suggestions_of(&self, circle: &str, member_id: &str) -> Result<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM prompt_suggestions WHERE circle = ?1 AND member_id = ?2 AND status = 'pending'",
            params![circle, member_id],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    fn pending_suggestions(&self, circle: &str) -> Result<Vec<Suggestion>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT id, essay, paragraph, question, member_id, member_name, status
             FROM prompt_suggestions WHERE circle = ?1 AND status = 'pending' ORDER BY id",
        )?;
        let rows = st.query_map([circle], suggestion_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn decide_suggestion(
        &self,
        circle: &str,
        id: i64,
        approve: bool,
    ) -> Result<Option<(Suggestion, Option<i64>)>> {
        let mut conn = self.conn();
        // Immediate: a read that later writes would otherwise fail as
        // "database is locked" when another process decides at once.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found = tx
            .query_row(
                "SELECT id, essay, paragraph, question, member_id, member_name, status
                 FROM prompt_suggestions WHERE id = ?1 AND circle = ?2 AND status = 'pending'",
                params![id, circle],
                suggestion_of,
            )
            .optional()?;
        let Some(mut s) = found else {
            return Ok(None);
        };
        let custom = if approve {
            tx.execute(
                "INSERT INTO custom_prompts (circle, essay, paragraph, question, created_at, suggested_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![circle, s.essay, s.paragraph, s.question, now(), s.member_name],
            )?;
            Some(tx.last_insert_rowid())
        } else {
            None
        };
        s.status = if approve { "approved" } else { "rejected" }.into();
        tx.execute(
            "UPDATE prompt_suggestions SET status = ?1, decided_at = ?2, custom_prompt = ?3 WHERE id = ?4",
            params![s.status, now(), custom, id],
        )?;
        tx.commit()?;
        Ok(Some((s, custom)))
    }

    fn ban_prompt(&self, circle: Option<&str>, prompt_id: &str) -> Result<()> {
        self.conn().execute(
            "INSERT OR IGNORE INTO banned_prompts (circle, prompt_id, banned_at) VALUES (?1, ?2, ?3)",
            params![circle.unwrap_or(""), prompt_id, now()],
        )?;
        Ok(())
    }

    fn banned(&self, circle: Option<&str>) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT DISTINCT prompt_id FROM banned_prompts WHERE circle = '' OR circle = ?1",
        )?;
        let rows = st.query_map([circle.unwrap_or("")], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_reading(&self, circle: &str, entry: &crate::model::PlanEntry) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO reading_plan (circle, essay, starts, ends, first_paragraph, last_paragraph, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                circle,
                entry.essay,
                entry.starts.to_string(),
                entry.ends.map(|d| d.to_string()),
                entry.paragraphs.map(|p| p.0),
                entry.paragraphs.map(|p| p.1),
                now()
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn reading_plan(&self, circle: &str) -> Result<Vec<crate::model::PlanEntry>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT id, essay, starts, ends, first_paragraph, last_paragraph FROM reading_plan
             WHERE circle = ?1 ORDER BY starts, id",
        )?;
        let rows = st.query_map([circle], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<u32>>(4)?,
                r.get::<_, Option<u32>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, essay, starts, ends, a, b) = row?;
            let day = |s: &str| {
                s.parse::<jiff::civil::Date>().map_err(|_| {
                    Error::Config(format!("reading plan entry {id} has a bad date `{s}`"))
                })
            };
            out.push(crate::model::PlanEntry {
                id,
                essay,
                starts: day(&starts)?,
                ends: ends.as_deref().map(day).transpose()?,
                paragraphs: a.zip(b),
            });
        }
        Ok(out)
    }

    fn remove_reading(&self, circle: &str, id: i64) -> Result<bool> {
        let n = self.conn().execute(
            "DELETE FROM reading_plan WHERE circle = ?1 AND id = ?2",
            params![circle, id],
        )?;
        Ok(n > 0)
    }

    fn clear_reading_plan(&self, circle: &str) -> Result<usize> {
        Ok(self
            .conn()
            .execute("DELETE FROM reading_plan WHERE circle = ?1", [circle])?)
    }

    fn set_schedule(&self, s: &Schedule) -> Result<()> {
        self.conn().execute(
            "INSERT INTO schedules (guild_id, channel_id, local_time, time_zone, essay, role_id, enabled, updated_at, cadence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(guild_id) DO UPDATE SET channel_id = ?2, local_time = ?3, time_zone = ?4,
               essay = ?5, role_id = ?6, enabled = ?7, updated_at = ?8, cadence = ?9",
            params![s.guild_id as i64, s.channel_id as i64, s.local_time, s.time_zone, s.essay, s.role_id.map(|r| r as i64), s.enabled, now(), s.cadence.to_stored()],
        )?;
        Ok(())
    }

    fn disable_schedule(&self, guild_id: u64) -> Result<bool> {
        let n = self.conn().execute(
            "UPDATE schedules SET enabled = 0, updated_at = ?2 WHERE guild_id = ?1",
            params![guild_id as i64, now()],
        )?;
        Ok(n > 0)
    }

    fn schedule(&self, guild_id: u64) -> Result<Option<Schedule>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT guild_id, channel_id, local_time, time_zone, essay, role_id, enabled, cadence FROM schedules WHERE guild_id = ?1",
                [guild_id as i64],
                row_to_schedule,
            )
            .optional()?)
    }

    fn enabled_schedules(&self) -> Result<Vec<Schedule>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT guild_id, channel_id, local_time, time_zone, essay, role_id, enabled, cadence FROM schedules WHERE enabled = 1",
        )?;
        let rows = st.query_map([], row_to_schedule)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn daily_post(&self, guild_id: u64, local_date: &str) -> Result<Option<DailyPost>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT guild_id, local_date, status, nonce, prompt_id, message_id, attempts, owner FROM daily_posts WHERE guild_id = ?1 AND local_date = ?2",
                params![guild_id as i64, local_date],
                row_to_post,
            )
            .optional()?)
    }

    fn claim_daily_post(
        &self,
        guild_id: u64,
        local_date: &str,
        nonce: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<Claim> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now_ms = unix_ms();
        let until = now_ms + lease.as_millis() as i64;
        tx.execute(
            "INSERT OR IGNORE INTO daily_posts (guild_id, local_date, status, nonce, attempts, updated_at)
             VALUES (?1, ?2, 'pending', ?3, 0, ?4)",
            params![guild_id as i64, local_date, nonce, now()],
        )?;
        let (record, lease_until): (DailyPost, Option<i64>) = tx.query_row(
            "SELECT guild_id, local_date, status, nonce, prompt_id, message_id, attempts, owner, lease_until
             FROM daily_posts WHERE guild_id = ?1 AND local_date = ?2",
            params![guild_id as i64, local_date],
            |r| Ok((row_to_post(r)?, r.get(8)?)),
        )?;
        let claim = if record.status == "posted" {
            Claim::Posted(record)
        } else {
            match (&record.owner, lease_until) {
                (Some(o), Some(t)) if o != owner && t > now_ms => Claim::Held { owner: o.clone() },
                _ => {
                    tx.execute(
                        "UPDATE daily_posts SET owner = ?3, lease_until = ?4, updated_at = ?5 WHERE guild_id = ?1 AND local_date = ?2",
                        params![guild_id as i64, local_date, owner, until, now()],
                    )?;
                    Claim::Ours(DailyPost {
                        owner: Some(owner.to_string()),
                        ..record
                    })
                }
            }
        };
        tx.commit()?;
        Ok(claim)
    }

    fn renew_lease(
        &self,
        guild_id: u64,
        local_date: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<bool> {
        let until = unix_ms() + lease.as_millis() as i64;
        let n = self.conn().execute(
            "UPDATE daily_posts SET lease_until = ?4 WHERE guild_id = ?1 AND local_date = ?2 AND owner = ?3 AND status = 'pending'",
            params![guild_id as i64, local_date, owner, until],
        )?;
        Ok(n > 0)
    }

    fn set_daily_prompt(&self, guild_id: u64, local_date: &str, prompt_id: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE daily_posts SET prompt_id = ?3 WHERE guild_id = ?1 AND local_date = ?2",
            params![guild_id as i64, local_date, prompt_id],
        )?;
        Ok(())
    }

    fn release_daily_post(&self, guild_id: u64, local_date: &str, owner: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE daily_posts SET owner = NULL, lease_until = NULL WHERE guild_id = ?1 AND local_date = ?2 AND owner = ?3",
            params![guild_id as i64, local_date, owner],
        )?;
        Ok(())
    }

    fn release_all(&self, owner: &str) -> Result<usize> {
        Ok(self.conn().execute(
            "UPDATE daily_posts SET owner = NULL, lease_until = NULL WHERE owner = ?1 AND status = 'pending'",
            [owner],
        )?)
    }

    fn note_attempt(&self, guild_id: u64, local_date: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE daily_posts SET attempts = attempts + 1, updated_at = ?3 WHERE guild_id = ?1 AND local_date = ?2",
            params![guild_id as i64, local_date, now()],
        )?;
        Ok(())
    }

    fn mark_posted(&self, guild_id: u64, local_date: &str, message_id: u64) -> Result<()> {
        self.conn().execute(
            "UPDATE daily_posts SET status = 'posted', message_id = ?3, owner = NULL, lease_until = NULL, updated_at = ?4 WHERE guild_id = ?1 AND local_date = ?2",
            params![guild_id as i64, local_date, message_id as i64, now()],
        )?;
        Ok(())
    }

    fn change_essay(
        &self,
        circle: &str,
        path: &str,
        bytes: &[u8],
        meta: &str,
        removed: bool,
    ) -> Result<u64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM circle_essays",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO circle_essays (circle, path, bytes, meta, version, removed, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(circle, path) DO UPDATE SET bytes = ?3, meta = ?4, version = ?5, removed = ?6, updated_at = ?7",
            params![circle, path, bytes, meta, version, removed, now()],
        )?;
        tx.commit()?;
        Ok(version as u64)
    }

    fn essays_version(&self) -> Result<u64> {
        let v: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(version), 0) FROM circle_essays",
            [],
            |r| r.get(0),
        )?;
        Ok(v as u64)
    }

    fn essays_since(&self, version: u64) -> Result<Vec<StoredEssay>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT circle, path, bytes, meta, version, removed FROM circle_essays WHERE version > ?1 ORDER BY version",
        )?;
        let rows = st.query_map([version as i64], |r| {
            Ok(StoredEssay {
                circle: r.get(0)?,
                path: r.get(1)?,
                bytes: r.get(2)?,
                meta: r.get(3)?,
                version: r.get::<_, i64>(4)? as u64,
                removed: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn row_to_post(r: &rusqlite::Row<'_>) -> rusqlite::Result<DailyPost> {
    Ok(DailyPost {
        guild_id: r.get::<_, i64>(0)? as u64,
        local_date: r.get(1)?,
        status: r.get(2)?,
        nonce: r.get(3)?,
        prompt_id: r.get(4)?,
        message_id: r.get::<_, Option<i64>>(5)?.map(|m| m as u64),
        attempts: r.get(6)?,
        owner: r.get(7)?,
    })
}

fn row_to_schedule(r: &rusqlite::Row<'_>) -> rusqlite::Result<Schedule> {
    Ok(Schedule {
        guild_id: r.get::<_, i64>(0)? as u64,
        channel_id: r.get::<_, i64>(1)? as u64,
        local_time: r.get(2)?,
        time_zone: r.get(3)?,
        essay: r.get(4)?,
        role_id: r.get::<_, Option<i64>>(5)?.map(|x| x as u64),
        enabled: r.get(6)?,
        // An unreadable cadence (written by a newer version) posts daily
        // rather than never; it is logged where schedules are run.
        cadence: crate::schedule::Cadence::from_stored(&r.get::<_, String>(7)?)
            .unwrap_or(crate::schedule::Cadence::Daily),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database from before circles owned their prompts keeps its bans
    /// and questions, now the operator's (every circle's).
    #[test]
    fn migrating_keeps_bans_and_questions_for_every_circle() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join("state.sqlite3")).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO banned_prompts (prompt_id, banned_at) VALUES ('p1', 'x')",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO custom_prompts (essay, paragraph, question, created_at) VALUES ('e', 1, 'Why?', 'x')",
                [],
            )
            .unwrap();
        }
        let state = Sqlite::open(dir.path()).unwrap();
        assert_eq!(state.banned(Some("guild:9")).unwrap(), ["p1"]);
        assert_eq!(
            state.custom_prompts(Some("guild:9"), None).unwrap().len(),
            1
        );
        state.ban_prompt(Some("guild:9"), "p2").unwrap();
        assert_eq!(state.banned(Some("guild:8")).unwrap(), ["p1"]);
    }

    #[test]
    fn history_cycles_and_claims() {
        let s = crate::state::State::in_memory().unwrap();
        s.pick_next("c", |seen| {
            assert!(seen.is_empty());
            Ok(("p1".to_string(), false, ()))
        })
        .unwrap();
        assert_eq!(s.shown("c").unwrap(), vec!["p1".to_string()]);
        s.pick_next("c", |seen| {
            assert_eq!(seen, ["p1".to_string()]);
            Ok(("p2".to_string(), true, ()))
        })
        .unwrap();
        assert_eq!(s.cycle("c").unwrap(), 1);
        assert_eq!(s.shown("c").unwrap(), vec!["p2".to_string()]);
    }

    #[test]
    fn settings_survive_reopen_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Sqlite::open(dir.path()).unwrap();
            s.set_schedule(&Schedule {
                guild_id: 5,
                channel_id: 6,
                local_time: "09:00".into(),
                time_zone: "Europe/London".into(),
                essay: None,
                role_id: Some(7),
                enabled: true,
                cadence: crate::schedule::weekly("mon,thu").unwrap(),
            })
            .unwrap();
        }
        let s = Sqlite::open(dir.path()).unwrap();
        let back = s.schedule(5).unwrap().unwrap();
        assert_eq!(back.role_id, Some(7));
        assert_eq!(back.cadence, crate::schedule::weekly("thu mon").unwrap());
        drop(s);
        let other = tempfile::tempdir().unwrap();
        std::fs::write(
            other.path().join("state.sqlite3"),
            b"this is not a database, it is garbage text!!",
        )
        .unwrap();
        assert!(Sqlite::open(other.path()).is_err());
        // The garbage file is not replaced.
        assert!(std::fs::read(other.path().join("state.sqlite3"))
            .unwrap()
            .starts_with(b"this is not"));
    }
}
