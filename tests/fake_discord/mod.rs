//! A small fake Discord on 127.0.0.1: REST under `/api/v10` and a JSON
//! websocket gateway, enough to drive the real serenity client. Every REST
//! request is recorded for assertions; failures can be injected.
#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

pub const BOT_ID: u64 = 1000;
pub const APP_ID: u64 = 2000;
pub const GUILD_ID: u64 = 3000;
/// A second server: another reading circle.
pub const OTHER_GUILD_ID: u64 = 3100;
pub const CHANNEL_ID: u64 = 4000;
pub const ORGANISER: u64 = 5000;
pub const MEMBER: u64 = 5001;

/// One recorded REST request.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub body: Value,
    /// When the request arrived.
    pub at: std::time::Instant,
}

#[derive(Default)]
struct Inner {
    addr: Mutex<Option<SocketAddr>>,
    requests: Mutex<Vec<Req>>,
    gateway: Mutex<Option<mpsc::UnboundedSender<Value>>>,
    /// Every identified session: (shard id, shard count, its socket).
    shards: Mutex<Vec<(u64, u64, mpsc::UnboundedSender<Value>)>>,
    /// The shard count `GET /gateway/bot` recommends.
    recommended_shards: AtomicU64,
    seq: AtomicU64,
    next_id: AtomicU64,
    identifies: AtomicUsize,
    resumes: AtomicUsize,
    heartbeats: AtomicUsize,
    /// (path fragment, status, remaining count)
    failures: Mutex<Vec<(String, u16, usize)>>,
    /// nonce -> message, for enforce_nonce
    nonces: Mutex<HashMap<String, Value>>,
    /// interaction token -> last response data
    originals: Mutex<HashMap<String, Value>>,
    attachments: Mutex<HashMap<String, Vec<u8>>>,
    /// Stop acknowledging heartbeats.
    zombie: std::sync::atomic::AtomicBool,
    /// (path fragment, delay, remaining count)
    delays: Mutex<Vec<(String, Duration, usize)>>,
    /// Heartbeat interval announced in Hello, ms.
    heartbeat_ms: AtomicU64,
    /// Rate-limit windows opened by a 429: (path fragment, until).
    rate_windows: Mutex<Vec<(String, std::time::Instant)>>,
    /// Requests sent inside an open rate-limit window (each one is an
    /// invalid request to Discord, toward its ban threshold).
    early_retries: AtomicUsize,
    /// Wait named by injected 429s, seconds.
    retry_after: Mutex<f64>,
}

/// The running fake.
#[derive(Clone)]
pub struct Fake {
    inner: Arc<Inner>,
    pub url: String,
}

impl Fake {
    pub async fn start() -> Fake {
        let inner = Arc::new(Inner {
            next_id: AtomicU64::new(900_000),
            heartbeat_ms: AtomicU64::new(41250),
            retry_after: Mutex::new(0.5),
            recommended_shards: AtomicU64::new(1),
            ..Default::default()
        });
        let app = Router::new()
            .route("/ws", get(ws_handler))
            .fallback(api)
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        *inner.addr.lock().unwrap() = Some(addr);
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Fake {
            inner,
            url: format!("http://{addr}"),
        }
    }

    pub fn requests(&self) -> Vec<Req> {
        self.inner.requests.lock().unwrap().clone()
    }

    pub fn clear(&self) {
        self.inner.requests.lock().unwrap().clear();
    }

    pub fn identifies(&self) -> usize {
        self.inner.identifies.load(Ordering::SeqCst)
    }

    pub fn resumes(&self) -> usize {
        self.inner.resumes.load(Ordering::SeqCst)
    }

    /// Announce this heartbeat interval to the next connections.
    pub fn set_heartbeat_ms(&self, ms: u64) {
        self.inner.heartbeat_ms.store(ms, Ordering::SeqCst);
    }

    /// Hold the next `count` responses to paths containing `fragment` for `delay`.
    pub fn delay_next(&self, fragment: &str, delay: Duration, count: usize) {
        self.inner
            .delays
            .lock()
            .unwrap()
            .push((fragment.to_string(), delay, count));
    }

    /// Distinct messages created in a channel (a nonce retry returns the same one).
    pub fn distinct_nonced_messages(&self) -> usize {
        self.inner.nonces.lock().unwrap().len()
    }

    pub fn set_zombie(&self, on: bool) {
        self.inner.zombie.store(on, Ordering::SeqCst);
    }

    /// Requests that came inside an open rate-limit window.
    pub fn early_retries(&self) -> usize {
        self.inner.early_retries.load(Ordering::SeqCst)
    }

    /// The wait that injected 429s name (Discord's example is 0.5 s).
    pub fn set_retry_after(&self, seconds: f64) {
        *self.inner.retry_after.lock().unwrap() = seconds;
    }

    /// Make the next `count` requests whose path contains `fragment` fail
    /// with `status`. A 429 comes as Discord sends it: `Retry-After` and the
    /// `X-RateLimit-*` headers, a body with `retry_after` and no `code`; a
    /// request to the same path before the wait is over gets 429 again.
    pub fn fail_next(&self, fragment: &str, status: u16, count: usize) {
        self.inner
            .failures
            .lock()
            .unwrap()
            .push((fragment.to_string(), status, count));
    }

    pub fn add_attachment(&self, name: &str, bytes: &[u8]) -> String {
        self.inner
            .attachments
            .lock()
            .unwrap()
            .insert(name.to_string(), bytes.to_vec());
        format!("{}/attachments/{name}", self.url)
    }

    /// Wait until some recorded requests satisfy `pred`; return them.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&Req) -> bool) -> Req {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(45);
        loop {
            if let Some(r) = self.requests().into_iter().find(|r| pred(r)) {
                return r;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}; saw {:#?}",
                self.requests()
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn wait_until(&self, what: &str, cond: impl Fn(&Fake) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !cond(self) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Send a dispatch event on the gateway: as Discord does, on the
    /// session of the shard its guild belongs to,
    /// `(guild_id >> 22) % shard_count`, when it has a guild.
    pub fn dispatch(&self, t: &str, d: Value) {
        let s = self.inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let v = json!({"op": 0, "t": t, "s": s, "d": d});
        let guild = d.get("guild_id").and_then(|g| match g {
            Value::String(s) => s.parse::<u64>().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        });
        if let Some(g) = guild {
            let shards = self.inner.shards.lock().unwrap();
            let live: Vec<_> = shards.iter().filter(|(_, _, tx)| !tx.is_closed()).collect();
            if let Some((_, total, _)) = live.last() {
                let want = (g >> 22) % total;
                let tx = live
                    .iter()
                    .rev()
                    .find(|(id, n, _)| *id == want && n == total)
                    .unwrap_or_else(|| {
                        panic!("no session for shard {want} of {total} (guild {g})")
                    });
                tx.2.send(v).expect("gateway closed");
                return;
            }
        }
        self.send_raw(v);
    }

    /// Send a dispatch event on one shard's session, whatever its guild:
    /// what a guild's events do once its shard has moved to another
    /// process (a rolling restart with new shard ranges).
    pub fn dispatch_on_shard(&self, shard: u64, t: &str, d: Value) {
        let s = self.inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let shards = self.inner.shards.lock().unwrap();
        let tx = shards
            .iter()
            .rev()
            .find(|(id, _, tx)| *id == shard && !tx.is_closed())
            .unwrap_or_else(|| panic!("no session for shard {shard}"));
        tx.2.send(json!({"op": 0, "t": t, "s": s, "d": d}))
            .expect("gateway closed");
    }

    /// Distinct messages created in one channel.
    pub fn messages_in(&self, channel: u64) -> usize {
        let mut ids = std::collections::HashSet::new();
        for m in self.inner.nonces.lock().unwrap().values() {
            if m["channel_id"].as_str() == Some(channel.to_string().as_str()) {
                ids.insert(m["id"].to_string());
            }
        }
        ids.len()
    }

    /// The shard count `GET /gateway/bot` recommends.
    pub fn set_recommended_shards(&self, n: u64) {
        self.inner.recommended_shards.store(n, Ordering::SeqCst);
    }

    /// The identified sessions' shards, `(id, count)`, still connected.
    pub fn sessions(&self) -> Vec<(u64, u64)> {
        self.inner
            .shards
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, _, tx)| !tx.is_closed())
            .map(|(id, n, _)| (*id, *n))
            .collect()
    }

    pub fn send_raw(&self, v: Value) {
        let g = self.inner.gateway.lock().unwrap();
        g.as_ref()
            .expect("no gateway connection")
            .send(v)
            .expect("gateway closed");
    }

    pub fn connected(&self) -> bool {
        self.inner
            .gateway
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|g| !g.is_closed())
    }

    /// Callbacks for an interaction id.
    pub async fn callback(&self, interaction_id: u64) -> Req {
        self.wait_for("interaction callback", |r| {
            r.method == "POST"
                && r.path.contains(&format!("/interactions/{interaction_id}/"))
                && r.path.ends_with("/callback")
        })
        .await
    }

    pub fn ws_url(&self) -> String {
        self.url.replace("http://", "ws://") + "/ws"
    }
}

fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0000", "global_name": name, "avatar": null, "bot": bot})
}

pub fn message_json(id: u64, channel: u64, content: &str, nonce: Option<&Value>) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD_ID.to_string(),
        "author": user(BOT_ID, "commonplace", true), "content": content,
        "timestamp": "2026-11-23T00:00:00.000000+00:00", "edited_timestamp": null, "tts": false,
        "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": false, "type": 0, "nonce": nonce.cloned().unwrap_or(Value::Null), "flags": 0
    })
}

pub fn text_channel(id: u64) -> Value {
    json!({"id": id.to_string(), "type": 0, "guild_id": GUILD_ID.to_string(), "name": "reading", "position": 0,
           "permission_overwrites": [], "nsfw": false, "parent_id": null, "rate_limit_per_user": 0, "topic": null, "last_message_id": null})
}

fn thread_channel(id: u64, parent: u64, name: &str, archive: u64) -> Value {
    json!({"id": id.to_string(), "type": 11, "guild_id": GUILD_ID.to_string(), "parent_id": parent.to_string(), "name": name,
           "owner_id": BOT_ID.to_string(), "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
           "thread_metadata": {"archived": false, "auto_archive_duration": archive, "archive_timestamp": "2026-11-23T00:00:00.000000+00:00", "locked": false}})
}

async fn api(State(inner): State<Arc<Inner>>, method: Method, uri: Uri, body: Bytes) -> Response {
    let path = uri.path().to_string();
    if let Some(name) = path.strip_prefix("/attachments/") {
        let bytes = inner.attachments.lock().unwrap().get(name).cloned();
        // As Discord's CDN: text with its type; an expired link is a 404
        // with an HTML page.
        return match bytes {
            Some(b) => (
                StatusCode::OK,
                [("content-type", "text/plain; charset=utf-8")],
                b,
            )
                .into_response(),
            None => (
                StatusCode::NOT_FOUND,
                [("content-type", "text/html")],
                "<html><body>This content is no longer available.</body></html>",
            )
                .into_response(),
        };
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    inner.requests.lock().unwrap().push(Req {
        method: method.to_string(),
        path: path.clone(),
        body: body.clone(),
        at: std::time::Instant::now(),
    });
    // Injected delays (the request is recorded first, as Discord would have it).
    let delay = {
        let mut d = inner.delays.lock().unwrap();
        d.iter_mut()
            .find(|(frag, _, n)| *n > 0 && path.contains(frag.as_str()))
            .map(|e| {
                e.2 -= 1;
                e.1
            })
    };
    // An open rate-limit window: Discord answers 429 again.
    {
        let now = std::time::Instant::now();
        let windows = inner.rate_windows.lock().unwrap();
        if let Some((_, until)) = windows
            .iter()
            .find(|(frag, until)| path.contains(frag.as_str()) && now < *until)
        {
            inner.early_retries.fetch_add(1, Ordering::SeqCst);
            return rate_limited((*until - now).as_secs_f64());
        }
    }
    // Injected failures.
    {
        let mut f = inner.failures.lock().unwrap();
        if let Some(entry) = f
            .iter_mut()
            .find(|(frag, _, n)| *n > 0 && path.contains(frag.as_str()))
        {
            entry.2 -= 1;
            let status = entry.1;
            if status == 429 {
                let wait = *inner.retry_after.lock().unwrap();
                inner.rate_windows.lock().unwrap().push((
                    entry.0.clone(),
                    std::time::Instant::now() + Duration::from_secs_f64(wait),
                ));
                return rate_limited(wait);
            }
            let code = StatusCode::from_u16(status).unwrap();
            return (
                code,
                Json(json!({"message": "Internal Server Error", "code": 0})),
            )
                .into_response();
        }
    }
    // Discord's limits on what a message may carry.
    if let Some(err) = invalid_message(&method, &path, &body) {
        return (StatusCode::BAD_REQUEST, Json(err)).into_response();
    }
    let p = path.strip_prefix("/api/v10").unwrap_or(&path);
    let segs: Vec<&str> = p.trim_matches('/').split('/').collect();
    let new_id = || inner.next_id.fetch_add(1, Ordering::SeqCst);
    let m = method.as_str();
    let ok = |v: Value| (StatusCode::OK, Json(v)).into_response();
    // The response is made (and its effects stored) before any injected delay:
    // a client that dies while waiting has still had its request carried out.
    let response = match (m, segs.as_slice()) {
        ("GET", ["gateway"]) | ("GET", ["gateway", "bot"]) => {
            let addr = inner.addr.lock().unwrap().unwrap();
            ok(
                json!({"url": format!("ws://{addr}/ws"), "shards": inner.recommended_shards.load(Ordering::SeqCst), "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}),
            )
        }
        ("GET", ["users", "@me"]) => ok(user(BOT_ID, "commonplace", true)),
        ("GET", ["oauth2", "applications", "@me"]) => ok(
            json!({"id": APP_ID.to_string(), "name": "commonplace", "icon": null, "description": "", "bot_public": true, "bot_require_code_grant": false, "verify_key": "", "flags": 0, "owner": user(1, "owner", false)}),
        ),
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let cmds: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    c["id"] = json!(new_id().to_string());
                    c["application_id"] = json!(APP_ID.to_string());
                    c["version"] = json!("1");
                    if c.get("type").is_none() {
                        c["type"] = json!(1);
                    }
                    if c.get("description").is_none() {
                        c["description"] = json!("");
                    }
                    if c.get("default_member_permissions").is_none() {
                        c["default_member_permissions"] = Value::Null;
                    }
                    c
                })
                .collect();
            ok(Value::Array(cmds))
        }
        ("POST", ["interactions", id, _, "callback"]) if expired(id) => {
            // As Discord: the token dies three seconds after the interaction.
            (
                StatusCode::NOT_FOUND,
                Json(json!({"message": "Unknown interaction", "code": 10062})),
            )
                .into_response()
        }
        ("POST", ["interactions", _, token, "callback"])
            if inner.originals.lock().unwrap().contains_key(*token) =>
        {
            // As Discord: one initial response per interaction.
            (
                StatusCode::BAD_REQUEST,
                Json(
                    json!({"message": "Interaction has already been acknowledged.", "code": 40060}),
                ),
            )
                .into_response()
        }
        ("POST", ["interactions", _, token, "callback"]) => {
            inner.originals.lock().unwrap().insert(
                token.to_string(),
                body.get("data").cloned().unwrap_or(Value::Null),
            );
            StatusCode::NO_CONTENT.into_response()
        }
        ("GET", ["webhooks", _, token, "messages", "@original"])
        | ("PATCH", ["webhooks", _, token, "messages", "@original"]) => {
            let content = inner
                .originals
                .lock()
                .unwrap()
                .get(*token)
                .and_then(|d| {
                    d.get("content")
                        .and_then(|c| c.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_default();
            ok(message_json(new_id(), CHANNEL_ID, &content, None))
        }
        ("POST", ["webhooks", _, _]) => ok(message_json(
            new_id(),
            CHANNEL_ID,
            body.get("content").and_then(|c| c.as_str()).unwrap_or(""),
            None,
        )),
        ("GET", ["channels", id]) => ok(text_channel(id.parse().unwrap_or(CHANNEL_ID))),
        ("POST", ["channels", channel, "messages"]) => {
            let channel: u64 = channel.parse().unwrap_or(0);
            let nonce = body.get("nonce").cloned();
            let enforce = body
                .get("enforce_nonce")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if let (Some(n), true) = (nonce.as_ref().and_then(|n| n.as_str()), enforce) {
                if let Some(existing) = inner.nonces.lock().unwrap().get(n).cloned() {
                    return ok(existing);
                }
            }
            let msg = message_json(
                new_id(),
                channel,
                body.get("content").and_then(|c| c.as_str()).unwrap_or(""),
                nonce.as_ref(),
            );
            if let (Some(n), true) = (nonce.as_ref().and_then(|n| n.as_str()), enforce) {
                inner
                    .nonces
                    .lock()
                    .unwrap()
                    .insert(n.to_string(), msg.clone());
            }
            ok(msg)
        }
        ("POST", ["channels", channel, "messages", _, "threads"]) => {
            let name = body
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .to_string();
            let archive = body
                .get("auto_archive_duration")
                .and_then(|v| v.as_u64())
                .unwrap_or(1440);
            ok(thread_channel(
                new_id(),
                channel.parse().unwrap_or(0),
                &name,
                archive,
            ))
        }
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"message": "404: Not Found", "code": 0})),
        )
            .into_response(),
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    response
}

/// Discord's 429: headers and body as the real API sends them.
fn rate_limited(wait: f64) -> Response {
    let mut r = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(
            json!({"message": "You are being rate limited.", "retry_after": wait, "global": false}),
        ),
    )
        .into_response();
    let h = r.headers_mut();
    let secs = format!("{wait:.3}");
    h.insert(
        "retry-after",
        wait.ceil().max(1.0).to_string().parse().unwrap(),
    );
    h.insert("x-ratelimit-limit", "5".parse().unwrap());
    h.insert("x-ratelimit-remaining", "0".parse().unwrap());
    h.insert(
        "x-ratelimit-reset",
        format!(
            "{:.3}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs_f64()
                + wait
        )
        .parse()
        .unwrap(),
    );
    h.insert("x-ratelimit-reset-after", secs.parse().unwrap());
    h.insert("x-ratelimit-bucket", "fake-bucket".parse().unwrap());
    h.insert("x-ratelimit-scope", "user".parse().unwrap());
    r
}

/// Discord's epoch (2015-01-01) in Unix milliseconds.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// True when the interaction with this id is more than three seconds old.
fn expired(id: &str) -> bool {
    let Ok(id) = id.parse::<u64>() else {
        return true;
    };
    let created = (id >> 22) + DISCORD_EPOCH_MS;
    unix_ms().saturating_sub(created) > 3000
}

/// What Discord refuses in a message body: 50006 for an empty message,
/// 50035 for anything over its limits.
fn invalid_message(method: &Method, path: &str, body: &Value) -> Option<Value> {
    let data = if path.ends_with("/callback") {
        match body.get("type").and_then(|t| t.as_u64()) {
            Some(4) | Some(7) => body.get("data")?,
            Some(8) => {
                let choices = body["data"]["choices"].as_array()?;
                let bad = choices.len() > 25
                    || choices.iter().any(|c| {
                        let n = c["name"].as_str().map_or(0, |s| s.chars().count());
                        !(1..=100).contains(&n)
                    });
                return bad.then(|| form_error("autocomplete choices"));
            }
            _ => return None,
        }
    } else if (*method == Method::POST
        && (path.contains("/webhooks/") || path.ends_with("/messages")))
        || (*method == Method::PATCH && path.contains("/webhooks/"))
    {
        body
    } else {
        return None;
    };
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let content = len(&data["content"]);
    let embeds = data["embeds"].as_array().cloned().unwrap_or_default();
    if *method == Method::POST && content == 0 && embeds.is_empty() && path.ends_with("/messages") {
        return Some(json!({"message": "Cannot send an empty message", "code": 50006}));
    }
    if content > 2000 || embeds.len() > 10 {
        return Some(form_error("content or embeds"));
    }
    let mut total = 0;
    for e in &embeds {
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        if len(&e["title"]) > 256
            || len(&e["description"]) > 4096
            || fields.len() > 25
            || len(&e["footer"]["text"]) > 2048
            || fields
                .iter()
                .any(|f| len(&f["name"]) > 256 || len(&f["value"]) > 1024)
        {
            return Some(form_error("embed"));
        }
        total += len(&e["title"])
            + len(&e["description"])
            + len(&e["footer"]["text"])
            + len(&e["author"]["name"])
            + fields
                .iter()
                .map(|f| len(&f["name"]) + len(&f["value"]))
                .sum::<usize>();
    }
    if total > 6000 {
        return Some(form_error("embeds total"));
    }
    for row in data["components"].as_array().cloned().unwrap_or_default() {
        let buttons = row["components"].as_array().cloned().unwrap_or_default();
        if buttons.len() > 5
            || buttons
                .iter()
                .any(|b| len(&b["custom_id"]) > 100 || len(&b["label"]) > 80)
        {
            return Some(form_error("components"));
        }
    }
    None
}

fn form_error(what: &str) -> Value {
    json!({"message": "Invalid Form Body", "code": 50035, "errors": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": what}]}})
}

async fn ws_handler(State(inner): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| gateway(inner, socket))
}

async fn gateway(inner: Arc<Inner>, mut socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    *inner.gateway.lock().unwrap() = Some(tx.clone());
    let hello =
        json!({"op": 10, "d": {"heartbeat_interval": inner.heartbeat_ms.load(Ordering::SeqCst)}});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let addr = inner.addr.lock().unwrap().unwrap();
    loop {
        tokio::select! {
            out = rx.recv() => {
                let Some(v) = out else { break };
                let close = v.get("op").and_then(|o| o.as_u64()) == Some(7) || v.get("op").and_then(|o| o.as_u64()) == Some(9);
                if socket.send(Message::Text(v.to_string().into())).await.is_err() { break; }
                if close {
                    // Discord closes the connection after op 7 / op 9.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
            }
            incoming = socket.recv() => {
                let Some(Ok(msg)) = incoming else { break };
                let Message::Text(text) = msg else { continue };
                let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
                match v.get("op").and_then(|o| o.as_u64()) {
                    Some(1) => {
                        inner.heartbeats.fetch_add(1, Ordering::SeqCst);
                        if !inner.zombie.load(Ordering::SeqCst) {
                            let _ = tx.send(json!({"op": 11}));
                        }
                    }
                    Some(2) => {
                        inner.identifies.fetch_add(1, Ordering::SeqCst);
                        let shard = v["d"]["shard"].as_array().map(|a| {
                            (a.first().and_then(Value::as_u64).unwrap_or(u64::MAX), a.get(1).and_then(Value::as_u64).unwrap_or(0))
                        }).unwrap_or((0, 1));
                        if shard.1 == 0 || shard.0 >= shard.1 {
                            // Discord's close code 4010: Invalid shard.
                            let _ = socket.send(Message::Close(Some(axum::extract::ws::CloseFrame { code: 4010, reason: "Invalid shard.".into() }))).await;
                            break;
                        }
                        inner.shards.lock().unwrap().push((shard.0, shard.1, tx.clone()));
                        let s = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
                        let ready = json!({"op": 0, "t": "READY", "s": s, "d": {
                            "v": 10, "user": user(BOT_ID, "commonplace", true), "guilds": [],
                            "session_id": format!("session-{}-{}-{s}", shard.0, shard.1), "resume_gateway_url": format!("ws://{addr}/ws"),
                            "application": {"id": APP_ID.to_string(), "flags": 0}, "shard": [shard.0, shard.1]
                        }});
                        let _ = tx.send(ready);
                    }
                    Some(6) => {
                        inner.resumes.fetch_add(1, Ordering::SeqCst);
                        // The resumed session keeps its shard.
                        let parts: Vec<u64> = v["d"]["session_id"].as_str().unwrap_or("").split('-').filter_map(|p| p.parse().ok()).collect();
                        if let [id, total, ..] = parts[..] {
                            inner.shards.lock().unwrap().push((id, total, tx.clone()));
                        }
                        let s = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
                        let _ = tx.send(json!({"op": 0, "t": "RESUMED", "s": s, "d": {}}));
                    }
                    _ => {}
                }
            }
        }
    }
}

// ----- interaction payloads -----

static NEXT: AtomicU64 = AtomicU64::new(1);

/// A fresh snowflake: the current time (an interaction's three seconds
/// start here) and a counter.
pub fn next_id() -> u64 {
    ((unix_ms() - DISCORD_EPOCH_MS) << 22) | (NEXT.fetch_add(1, Ordering::SeqCst) & 0x3f_ffff)
}

/// Member permissions: Manage Server for organisers, plain member otherwise.
pub fn member(user_id: u64) -> Value {
    let perms = if user_id == ORGANISER {
        (1u64 << 5) | (1 << 11)
    } else {
        1u64 << 11
    };
    json!({"user": user(user_id, "reader", false), "roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00",
           "deaf": false, "mute": false, "flags": 0, "permissions": perms.to_string(), "pending": false})
}

fn base(kind: u8, id: u64, user_id: u64, data: Value) -> Value {
    json!({
        "id": id.to_string(), "application_id": APP_ID.to_string(), "type": kind, "data": data,
        "guild_id": GUILD_ID.to_string(), "channel_id": CHANNEL_ID.to_string(),
        "channel": {"id": CHANNEL_ID.to_string(), "type": 0},
        "member": member(user_id), "token": format!("tok-{id}"), "version": 1, "locale": "en-US", "guild_locale": "en-US",
        "app_permissions": "2147483647", "entitlements": [], "authorizing_integration_owners": {}, "context": 0,
        "attachment_size_limit": 26214400
    })
}

/// A slash command (type 2). `options` are already in Discord's form.
pub fn command(
    id: u64,
    user_id: u64,
    name: &str,
    options: Value,
    resolved: Option<Value>,
) -> Value {
    let mut data = json!({"id": "1", "name": name, "type": 1, "options": options});
    if let Some(r) = resolved {
        data["resolved"] = r;
    }
    checked(base(2, id, user_id, data))
}

/// An autocomplete request (type 4).
pub fn autocomplete(id: u64, user_id: u64, name: &str, options: Value) -> Value {
    checked(base(
        4,
        id,
        user_id,
        json!({"id": "1", "name": name, "type": 1, "options": options}),
    ))
}

/// A button press (type 3).
pub fn button(id: u64, user_id: u64, custom_id: &str) -> Value {
    let mut v = base(
        3,
        id,
        user_id,
        json!({"custom_id": custom_id, "component_type": 2}),
    );
    v["message"] = message_json(77, CHANNEL_ID, "", None);
    checked(v)
}

/// The same interaction sent from another server.
pub fn in_guild(mut v: Value, guild: u64) -> Value {
    v["guild_id"] = json!(guild.to_string());
    checked(v)
}

/// String option.
pub fn opt(name: &str, value: impl Into<Value>) -> Value {
    let value = value.into();
    let kind = match &value {
        Value::Number(n) if n.is_u64() || n.is_i64() => 4,
        Value::Bool(_) => 5,
        _ => 3,
    };
    json!({"name": name, "type": kind, "value": value})
}

/// Round-trip a payload through serenity: a payload serenity cannot read
/// would be dropped silently as an unknown event.
pub fn checked(v: Value) -> Value {
    if let Err(e) = serde_json::from_value::<serenity::all::Interaction>(v.clone()) {
        panic!("serenity cannot read this interaction: {e}\n{v:#}");
    }
    v
}
