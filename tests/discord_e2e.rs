//! End to end: the real serenity client (through poise) against the fake
//! Discord in `fake_discord`. Interactions go in as gateway events; the REST
//! requests the bot makes are recorded and asserted.

mod common;
mod fake_discord;

use commonplace::config::{Config, Registration};
use commonplace::daily::{self, Outcome, Retry};
use commonplace::discord::{self, poster::SerenityPoster, ServeOptions};
use commonplace::library::{Library, LibraryOptions};
use commonplace::prompts::PromptEngine;
use commonplace::schedule::Clock;
use commonplace::state::{Schedule, State};
use fake_discord::*;
use jiff::Timestamp;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Tests that hold the bot to real-time windows (Discord's 3 seconds, a
/// 429's wait) never overlap the burst test, which saturates both cores:
/// on a two-core CI machine that would starve them and fail them for the
/// machine's sake, not the bot's.
static REAL_TIME: std::sync::LazyLock<tokio::sync::Mutex<()>> =
    std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));

/// The text of an interaction reply.
fn content(body: &Value) -> &str {
    body["data"]["content"].as_str().unwrap()
}

/// A subcommand's options (`/prompt now …`).
fn sub(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

struct FakeClock(Mutex<Timestamp>);

impl FakeClock {
    fn at(s: &str) -> Arc<FakeClock> {
        Arc::new(FakeClock(Mutex::new(s.parse().unwrap())))
    }
    fn set(&self, s: &str) {
        *self.0.lock().unwrap() = s.parse().unwrap();
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

struct Bot {
    fake: Fake,
    lib: Arc<Library>,
    state: Arc<State>,
    _data: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

fn fast_retry() -> Retry {
    Retry {
        attempts: 4,
        base: Duration::from_millis(10),
        max_wait: Duration::from_millis(100),
    }
}

async fn start_bot(clock: Arc<FakeClock>) -> Bot {
    start_bot_with(clock, |_, _| {}).await
}

/// A bot whose data directory and config `prepare` may change first.
async fn start_bot_with(
    clock: Arc<FakeClock>,
    prepare: impl FnOnce(&std::path::Path, &mut Config),
) -> Bot {
    let fake = Fake::start().await;
    let data = tempfile::tempdir().unwrap();
    let added = Library::added_dir(data.path());
    std::fs::create_dir_all(&added).unwrap();
    let mut config = Config {
        data_dir: data.path().to_path_buf(),
        ..Default::default()
    };
    prepare(data.path(), &mut config);
    let (lib, _) = Library::open(LibraryOptions {
        roots: vec![common::seeds_dir(), added],
        data_dir: data.path().to_path_buf(),
    })
    .unwrap();
    let lib = Arc::new(lib);
    let state = Arc::new(State::open(data.path()).unwrap());
    config.discord.api_base_url = Some(fake.url.clone());
    config.discord.register = Registration::Guild;
    config.discord.guild_id = Some(GUILD_ID);
    config.discord.scheduler_tick_seconds = 1;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let opts = ServeOptions {
        config,
        token: "test-token".into(),
        library: lib.clone(),
        state: state.clone(),
        clock,
        retry: fast_retry(),
    };
    tokio::spawn(async move {
        discord::serve(opts, async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    // Ready when the commands are registered in the guild.
    fake.wait_for("command registration", |r| {
        r.method == "PUT" && r.path.ends_with(&format!("/guilds/{GUILD_ID}/commands"))
    })
    .await;
    fake.wait_until("gateway", |f| f.identifies() >= 1).await;
    // Give poise a moment to finish setup after registering.
    tokio::time::sleep(Duration::from_millis(200)).await;
    Bot {
        fake,
        lib,
        state,
        _data: data,
        stop: Some(tx),
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

impl Bot {
    /// Send an interaction and return the bot's callback body.
    async fn interact(&self, payload: Value) -> Value {
        let id: u64 = payload["id"].as_str().unwrap().parse().unwrap();
        self.fake.dispatch("INTERACTION_CREATE", payload);
        self.fake.callback(id).await.body
    }

    async fn slash(&self, user: u64, name: &str, options: Value) -> Value {
        self.interact(command(next_id(), user, name, options, None))
            .await
    }
}

fn assert_no_pings(body: &Value) {
    let am = body
        .pointer("/data/allowed_mentions")
        .or_else(|| body.get("allowed_mentions"));
    let am = am.unwrap_or_else(|| panic!("no allowed_mentions in {body:#}"));
    assert_eq!(
        am["parse"],
        json!([]),
        "allowed_mentions must parse nothing: {am}"
    );
    assert!(am
        .get("roles")
        .is_none_or(|r| r.as_array().is_none_or(|a| a.is_empty())));
    assert!(am
        .get("users")
        .is_none_or(|r| r.as_array().is_none_or(|a| a.is_empty())));
}

fn assert_embed_limits(body: &Value) {
    let embeds = body
        .pointer("/data/embeds")
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default();
    assert!(embeds.len() <= 10);
    let mut total = 0;
    for e in &embeds {
        let len = |p: &str| {
            e.pointer(p)
                .and_then(|v| v.as_str())
                .map(|s| s.chars().count())
                .unwrap_or(0)
        };
        assert!(len("/title") <= 256 && len("/description") <= 4096 && len("/footer/text") <= 2048);
        total += len("/title") + len("/description") + len("/footer/text");
        for f in e
            .get("fields")
            .and_then(|f| f.as_array())
            .cloned()
            .unwrap_or_default()
        {
            let n = f["name"].as_str().unwrap().chars().count();
            let v = f["value"].as_str().unwrap().chars().count();
            assert!(n <= 256 && v <= 1024 && v > 0);
            total += n + v;
        }
    }
    assert!(total <= 6000);
}

fn ephemeral(body: &Value) -> bool {
    body.pointer("/data/flags")
        .and_then(|f| f.as_u64())
        .is_some_and(|f| f & 64 != 0)
}

fn custom_ids(body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for row in body
        .pointer("/data/components")
        .and_then(|c| c.as_array())
        .cloned()
        .unwrap_or_default()
    {
        for b in row["components"].as_array().cloned().unwrap_or_default() {
            let id = b["custom_id"].as_str().unwrap().to_string();
            assert!(!id.is_empty() && id.chars().count() <= 100);
            out.push(id);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_replies_with_verbatim_embeds_buttons_and_no_pings() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let body = bot
        .slash(
            MEMBER,
            "quote",
            json!([opt("topic", "solidarity with Syria"), opt("count", 2)]),
        )
        .await;
    assert_eq!(body["type"], 4);
    assert_no_pings(&body);
    assert_embed_limits(&body);
    let embeds = body["data"]["embeds"].as_array().unwrap();
    assert_eq!(embeds.len(), 2);
    let snap = bot.lib.snapshot();
    for e in embeds {
        let desc = e["description"].as_str().unwrap();
        let quote = desc
            .trim_start_matches('“')
            .trim_end_matches('”')
            .replace('\\', "");
        let essay = e["footer"]["text"]
            .as_str()
            .unwrap()
            .trim_start_matches("essay: ");
        let para: u32 = e["fields"][1]["value"]
            .as_str()
            .unwrap()
            .trim_start_matches('¶')
            .parse()
            .unwrap();
        assert!(
            snap.paragraph(essay, para).unwrap().text.contains(&quote),
            "not verbatim: {quote}"
        );
    }
    let ids = custom_ids(&body);
    assert!(
        ids.iter().any(|i| i.starts_with("more|"))
            && ids.iter().any(|i| i.starts_with("ctx|"))
            && ids.iter().filter(|i| i.starts_with("cite|")).count() == 3
    );

    // Buttons: another quote, context (ephemeral), cite (ephemeral), forged.
    let more = ids.iter().find(|i| i.starts_with("more|")).unwrap();
    let next = bot.interact(button(next_id(), MEMBER, more)).await;
    assert_eq!(next["type"], 4);
    assert_no_pings(&next);
    let next_desc = next["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(
        embeds
            .iter()
            .all(|e| e["description"].as_str().unwrap() != next_desc),
        "another quote repeated one"
    );
    let ctx = bot
        .interact(button(
            next_id(),
            MEMBER,
            ids.iter().find(|i| i.starts_with("ctx|")).unwrap(),
        ))
        .await;
    assert!(ephemeral(&ctx));
    assert!(ctx["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .contains('▶'));
    let cite_id = ids.iter().find(|i| i.ends_with("|apa")).unwrap();
    let cite = bot.interact(button(next_id(), MEMBER, cite_id)).await;
    assert!(ephemeral(&cite) && content(&cite).contains("para."));
    for forged in [
        "more|999|x|y|z",
        "cite|no-such-essay|3|mla",
        "ctx|survival-mechanism|9999",
        "garbage",
    ] {
        let r = bot.interact(button(next_id(), MEMBER, forged)).await;
        assert!(
            ephemeral(&r),
            "forged id {forged} must get a private refusal: {r}"
        );
        assert_no_pings(&r);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cite_found_not_found_and_hostile_text() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let found = bot
        .slash(
            MEMBER,
            "cite",
            json!([
                opt("text", "the left is merely obsesed with US imperialism"),
                opt("style", 2)
            ]),
        )
        .await;
    assert_no_pings(&found);
    let e = &found["data"]["embeds"][0];
    assert!(e["title"].as_str().unwrap().contains("Survival Mechanism"));
    let citation = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Citation")
        .unwrap();
    assert!(citation["value"].as_str().unwrap().contains("par. 16"));
    let missing = bot.slash(MEMBER, "cite", json!([opt("text", "@everyone Workers of the world unite, you have nothing to lose but your chains <@123> <@&456>")])).await;
    assert_no_pings(&missing);
    assert_eq!(
        missing["data"]["embeds"][0]["title"],
        "Not found in this library"
    );
    let all = serde_json::to_string(&missing).unwrap();
    assert!(!all.contains("@everyone") && !all.contains("<@123>") && !all.contains("<@&456>"));
    let nested = "(".repeat(1000);
    let r = bot
        .slash(MEMBER, "quote", json!([opt("topic", nested)]))
        .await;
    assert!(
        ephemeral(&r),
        "a topic with no words gets a private error: {r}"
    );
    let r = bot
        .slash(
            MEMBER,
            "quote",
            json!([opt("topic", "solidarity"), opt("essay", "no-such-essay")]),
        )
        .await;
    assert!(ephemeral(&r) && content(&r).contains("no essay"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompt_posts_in_channel_and_opens_a_thread() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let body = bot
        .slash(
            MEMBER,
            "prompt",
            sub(
                "now",
                json!([
                    opt("essay", "modern-theory-of-internationalism"),
                    opt("kind", 1)
                ]),
            ),
        )
        .await;
    assert_eq!(body["type"], 4);
    assert!(!ephemeral(&body));
    assert_no_pings(&body);
    assert_embed_limits(&body);
    assert!(body["data"]["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap()
        .starts_with("evaluative prompt"));
    let thread = bot
        .fake
        .wait_for("thread", |r| {
            r.method == "POST" && r.path.ends_with("/threads")
        })
        .await;
    assert_eq!(thread.body["auto_archive_duration"], 1440);
    let name = thread.body["name"].as_str().unwrap();
    assert!(!name.is_empty() && name.chars().count() <= 100);
    // The circle's history is kept: the pick is recorded for the guild.
    assert_eq!(
        bot.state.shown(&format!("guild:{GUILD_ID}")).unwrap().len(),
        1
    );

    // No permission to open threads: the prompt still stands, without an
    // error message piled on top.
    bot.fake.clear();
    bot.fake.fail_next("/threads", 403, 1);
    let body = bot.slash(MEMBER, "prompt", sub("now", json!([]))).await;
    assert_eq!(body["type"], 4);
    assert!(body["data"]["embeds"][0]["description"].is_string());
    bot.fake
        .wait_for("the refused thread", |r| r.path.ends_with("/threads"))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !bot.fake
            .requests()
            .iter()
            .any(|r| r.method == "POST" && r.path.contains("/webhooks/")),
        "no error followup"
    );
    assert_eq!(
        bot.state.shown(&format!("guild:{GUILD_ID}")).unwrap().len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn essays_paginate_and_essay_info_and_help() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let body = bot.slash(MEMBER, "essays", json!([])).await;
    assert_no_pings(&body);
    assert!(body["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .contains("5 essays"));
    let ids = custom_ids(&body);
    let next = bot.interact(button(next_id(), MEMBER, &ids[1])).await;
    assert_eq!(next["type"], 7, "pagination updates the message");
    let info = bot
        .slash(MEMBER, "essay", json!([opt("essay", "aleppo-interview")]))
        .await;
    let fields = info["data"]["embeds"][0]["fields"].as_array().unwrap();
    assert!(fields[0]["value"]
        .as_str()
        .unwrap()
        .contains("Leila al-Shami (interviewee)"));
    let help = bot.slash(MEMBER, "help", json!([])).await;
    assert!(ephemeral(&help) && content(&help).contains("/quote"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_gives_at_most_25_choices() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let mut focused = opt("essay", "intern");
    focused["focused"] = json!(true);
    let body = bot
        .interact(autocomplete(
            next_id(),
            MEMBER,
            "quote",
            json!([opt("topic", "x"), focused]),
        ))
        .await;
    assert_eq!(body["type"], 8);
    let choices = body["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(choices
        .iter()
        .all(|c| c["name"].as_str().unwrap().chars().count() <= 100));
    let mut tz = opt("timezone", "e");
    tz["focused"] = json!(true);
    let sub = sub("set", json!([tz]));
    let body = bot
        .interact(autocomplete(next_id(), ORGANISER, "schedule", sub))
        .await;
    assert_eq!(body["data"]["choices"].as_array().unwrap().len(), 25);
}

fn schedule_set(time: &str, tz: &str) -> (Value, Value) {
    let options = sub(
        "set",
        json!([
            {"name": "channel", "type": 7, "value": CHANNEL_ID.to_string()},
            opt("time", time), opt("timezone", tz)
        ]),
    );
    let resolved = json!({"channels": {CHANNEL_ID.to_string(): {"id": CHANNEL_ID.to_string(), "name": "reading", "type": 0, "permissions": "2147483647"}}});
    (options, resolved)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_commands_are_for_organisers_and_validate_input() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let (options, resolved) = schedule_set("09:00", "Europe/London");
    let refused = bot
        .interact(command(
            next_id(),
            MEMBER,
            "schedule",
            options.clone(),
            Some(resolved.clone()),
        ))
        .await;
    assert!(ephemeral(&refused) && content(&refused).contains("Manage Server"));
    assert!(
        bot.state.schedule(GUILD_ID).unwrap().is_none(),
        "a refused command changed settings"
    );
    let ok = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "schedule",
            options,
            Some(resolved.clone()),
        ))
        .await;
    assert!(ephemeral(&ok), "{ok}");
    assert!(content(&ok).contains("09:00 (Europe/London)"));
    let s = bot.state.schedule(GUILD_ID).unwrap().unwrap();
    assert_eq!(
        (s.local_time.as_str(), s.time_zone.as_str(), s.channel_id),
        ("09:00", "Europe/London", CHANNEL_ID)
    );
    for (time, tz, expect) in [
        ("25:00", "Europe/London", "not a time"),
        ("09:00", "Mars/Olympus", "not a time zone"),
    ] {
        let (o, r) = schedule_set(time, tz);
        let body = bot
            .interact(command(next_id(), ORGANISER, "schedule", o, Some(r)))
            .await;
        assert!(
            ephemeral(&body) && content(&body).contains(expect),
            "{body}"
        );
    }
    let show = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "schedule",
            sub("show", json!([])),
            None,
        ))
        .await;
    assert!(content(&show).contains("Europe/London"));
    let preview = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "schedule",
            sub("preview", json!([])),
            None,
        ))
        .await;
    assert!(ephemeral(&preview) && preview["data"]["embeds"].as_array().unwrap().len() == 1);
    let off = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "schedule",
            sub("off", json!([])),
            None,
        ))
        .await;
    assert!(content(&off).contains("off"));
    assert!(!bot.state.schedule(GUILD_ID).unwrap().unwrap().enabled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn library_add_makes_an_essay_searchable_at_once_and_remove_takes_it_away() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let text = "On Reading Together\n\nReading circles are small schools of attention where strangers become comrades through shared pages.\n\nEvery circle needs a patient convener who listens more than she speaks. A bad convener shouts @everyone and @here and <@123> and <@&456> and **[click](http://x)**.\n";
    let url = bot.fake.add_attachment("reading.txt", text.as_bytes());
    let att = "77001";
    let resolved = json!({"attachments": {att: {"id": att, "filename": "reading.txt", "size": text.len(), "url": url, "proxy_url": url, "content_type": "text/plain"}}});
    let options = sub(
        "add",
        json!([{"name": "file", "type": 11, "value": att}, opt("author", "Ada Reader")]),
    );
    let refused = bot
        .interact(command(
            next_id(),
            MEMBER,
            "library",
            options.clone(),
            Some(resolved.clone()),
        ))
        .await;
    assert!(ephemeral(&refused));
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(id, ORGANISER, "library", options, Some(resolved)),
    );
    let deferred = bot.fake.callback(id).await;
    assert_eq!(deferred.body["type"], 5, "slow work is deferred");
    let done = bot
        .fake
        .wait_for("followup", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await;
    assert!(
        done.body["content"].as_str().unwrap().contains("Added"),
        "{}",
        done.body
    );
    let snap = bot.lib.snapshot();
    let rec = snap.essay("reading").unwrap();
    assert_eq!(rec.meta.authors, vec!["Ada Reader"]);
    let r = bot
        .slash(
            MEMBER,
            "cite",
            json!([opt(
                "text",
                "reading circles are small schools of attention"
            )]),
        )
        .await;
    assert!(r["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .contains("On Reading Together"));
    // Library text that looks like mentions or markup pings nobody and breaks nothing.
    let q = bot
        .slash(
            MEMBER,
            "quote",
            json!([
                opt("topic", "patient convener shouts"),
                opt("essay", "reading")
            ]),
        )
        .await;
    assert_no_pings(&q);
    let raw = serde_json::to_string(&q["data"]).unwrap();
    assert!(raw.contains("convener"), "{raw}");
    for ping in ["@everyone", "@here", "<@123>", "<@&456>"] {
        assert!(!raw.contains(ping), "{ping} reached Discord: {raw}");
    }
    // Seeds cannot be removed; the added essay can.
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(
            id,
            ORGANISER,
            "library",
            sub("remove", json!([opt("essay", "aleppo-interview")])),
            None,
        ),
    );
    let refusal = bot
        .fake
        .wait_for("refusal", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await;
    assert!(refusal.body["content"]
        .as_str()
        .unwrap()
        .contains("shared library"));
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(
            id,
            ORGANISER,
            "library",
            sub("remove", json!([opt("essay", "reading")])),
            None,
        ),
    );
    bot.fake
        .wait_for("removed", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("Removed"))
        })
        .await;
    assert!(bot.lib.snapshot().essay("reading").is_err());
}

/// Every callback request the bot made for one interaction.
fn callbacks(fake: &Fake, interaction_id: u64) -> Vec<Req> {
    fake.requests()
        .into_iter()
        .filter(|r| {
            r.method == "POST"
                && r.path.contains(&format!("/interactions/{interaction_id}/"))
                && r.path.ends_with("/callback")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_hit_by_500_429_or_a_timeout_are_retried_and_land_once() {
    let _alone = REAL_TIME.lock().await;
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    // A slash-command reply and a button response, each failing once.
    for status in [500, 429] {
        bot.fake.fail_next("/callback", status, 1);
        let id = next_id();
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            command(id, MEMBER, "help", json!([]), None),
        );
        bot.fake
            .wait_until("a retried reply", |f| callbacks(f, id).len() >= 2)
            .await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        let sent = callbacks(&bot.fake, id);
        assert_eq!(sent.len(), 2, "HTTP {status}: one failure, one retry");
        assert_eq!(sent[0].body, sent[1].body, "the retry is the same reply");
        assert!(content(&sent[1].body).contains("/quote"));

        bot.fake.fail_next("/callback", status, 1);
        let id = next_id();
        bot.fake
            .dispatch("INTERACTION_CREATE", button(id, MEMBER, "garbage"));
        bot.fake
            .wait_until("a retried button response", |f| callbacks(f, id).len() >= 2)
            .await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        let sent = callbacks(&bot.fake, id);
        assert_eq!(sent.len(), 2, "button, HTTP {status}");
        assert!(ephemeral(&sent[1].body));
    }

    // A reply that lands but whose answer is held past the time limit: the
    // retry is refused as already acknowledged, which counts as delivered,
    // and /prompt still opens its thread on the message that landed.
    // The prompt pool is built once first: this part tests the retry
    // across Discord's 3-second window, not how long a cold pool takes on
    // a busy machine.
    bot.slash(MEMBER, "prompt", sub("now", json!([]))).await;
    bot.fake
        .wait_for("the warm-up's thread", |r| r.path.ends_with("/threads"))
        .await;
    bot.fake.clear();
    bot.fake.delay_next("/callback", Duration::from_secs(4), 1);
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(id, MEMBER, "prompt", sub("now", json!([])), None),
    );
    bot.fake
        .wait_for("thread", |r| {
            r.method == "POST" && r.path.ends_with("/threads")
        })
        .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let sent = callbacks(&bot.fake, id);
    assert_eq!(
        sent.len(),
        2,
        "timed out once, then refused as acknowledged"
    );
    assert_eq!(sent[0].body["type"], 4);
    let requests = bot.fake.requests();
    let messages = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path.contains("/webhooks/"))
        .count();
    assert_eq!(
        messages, 0,
        "no followup: neither a second prompt nor an error"
    );
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.path.ends_with("/threads"))
            .count(),
        1
    );
    assert_eq!(
        bot.state.shown(&format!("guild:{GUILD_ID}")).unwrap().len(),
        2,
        "one prompt picked (after the warm-up's)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnect_mid_session_keeps_answering() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    bot.slash(MEMBER, "help", json!([])).await;
    bot.fake.send_raw(json!({"op": 7, "d": null}));
    bot.fake
        .wait_until("resume or re-identify", |f| {
            f.resumes() + f.identifies() >= 2
        })
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let body = bot.slash(MEMBER, "help", json!([])).await;
    assert!(content(&body).contains("/quote"));
    // An invalid session (op 9) makes it identify again, and it still answers.
    let before = bot.fake.identifies();
    bot.fake.send_raw(json!({"op": 9, "d": false}));
    bot.fake
        .wait_until("re-identify", |f| f.identifies() > before)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let body = bot.slash(MEMBER, "help", json!([])).await;
    assert!(content(&body).contains("/quote"));
}

// ----- the daily post -----

fn schedule(local_time: &str, tz: &str, role: Option<u64>) -> Schedule {
    Schedule {
        guild_id: GUILD_ID,
        channel_id: CHANNEL_ID,
        local_time: local_time.into(),
        time_zone: tz.into(),
        essay: None,
        role_id: role,
        enabled: true,
        cadence: commonplace::schedule::Cadence::Daily,
    }
}

struct Daily {
    fake: Fake,
    lib: Library,
    state: State,
    engine: PromptEngine,
    poster: SerenityPoster,
    _data: tempfile::TempDir,
}

async fn daily_setup() -> Daily {
    let fake = Fake::start().await;
    let data = tempfile::tempdir().unwrap();
    let added = Library::added_dir(data.path());
    std::fs::create_dir_all(&added).unwrap();
    let (lib, _) = Library::open(LibraryOptions {
        roots: vec![common::seeds_dir(), added],
        data_dir: data.path().to_path_buf(),
    })
    .unwrap();
    let state = State::open(data.path()).unwrap();
    let poster = SerenityPoster::new(
        Arc::new(discord::http_client("t", Some(&fake.url))),
        "t",
        Some(&fake.url),
    );
    Daily {
        fake,
        lib,
        state,
        engine: PromptEngine::new(),
        poster,
        _data: data,
    }
}

impl Daily {
    fn daily<'a>(&'a self, state: &'a State) -> daily::DailyPosts<'a> {
        daily::DailyPosts {
            lib: &self.lib,
            engine: &self.engine,
            state,
            poster: &self.poster,
            style: commonplace::citation::Style::Mla,
            retry: fast_retry(),
            owner: commonplace::state::process_owner(),
            lease: std::time::Duration::from_secs(60),
        }
    }

    async fn run(&self, now: &str) -> Vec<Outcome> {
        self.daily(&self.state).run_due(now.parse().unwrap()).await
    }
    fn posts(&self) -> Vec<Req> {
        self.fake
            .requests()
            .into_iter()
            .filter(|r| {
                r.method == "POST" && r.path == format!("/api/v10/channels/{CHANNEL_ID}/messages")
            })
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_post_at_local_time_in_several_zones_including_dst_days() {
    // (zone, local time, day, UTC instant of the slot)
    let cases = [
        ("Europe/London", "09:00", "2026-03-29T08:00:00Z"), // spring forward: BST
        ("Europe/London", "09:00", "2026-10-25T09:00:00Z"), // fall back: GMT
        ("America/New_York", "18:30", "2026-03-08T22:30:00Z"), // US spring forward: EDT
        ("Asia/Kolkata", "07:15", "2026-06-01T01:45:00Z"),  // half-hour offset, no DST
        ("Australia/Sydney", "08:00", "2026-10-04T21:00:00Z"), // AEDT starts 2026-10-04 (slot on the 5th local)
    ];
    for (tz, time, slot) in cases {
        let d = daily_setup().await;
        d.state.set_schedule(&schedule(time, tz, None)).unwrap();
        let slot_ts: Timestamp = slot.parse().unwrap();
        let before = (slot_ts - jiff::SignedDuration::from_secs(1)).to_string();
        assert!(
            matches!(d.run(&before).await[0], Outcome::NotDue { .. }),
            "{tz} posted early"
        );
        assert!(d.posts().is_empty());
        match &d.run(slot).await[0] {
            Outcome::Posted { .. } => {}
            other => panic!("{tz} {time}: {other:?}"),
        }
        assert_eq!(d.posts().len(), 1, "{tz}");
        // Later the same day: nothing more.
        let later = (slot_ts + jiff::SignedDuration::from_hours(3)).to_string();
        assert!(matches!(
            d.run(&later).await[0],
            Outcome::AlreadyPosted { .. }
        ));
        assert_eq!(d.posts().len(), 1);
        let post = &d.posts()[0];
        assert_eq!(post.body["allowed_mentions"]["parse"], json!([]));
        assert_eq!(post.body["enforce_nonce"], true);
        let thread = d
            .fake
            .wait_for("thread", |r| r.path.ends_with("/threads"))
            .await;
        assert_eq!(thread.body["auto_archive_duration"], 1440);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_post_survives_restarts_and_crashes_without_doubling() {
    let d = daily_setup().await;
    d.state
        .set_schedule(&schedule("09:00", "Europe/London", Some(42)))
        .unwrap();
    // Crash right after sending: the claim exists, the send happened, but it
    // was never marked posted.
    let date = "2026-11-23";
    let nonce = daily::nonce_for(GUILD_ID, date);
    let pool = d
        .engine
        .pool(
            &d.lib.snapshot(),
            None,
            Some(&d.state),
            None,
            commonplace::citation::Style::Mla,
            common::accessed(),
        )
        .unwrap();
    // The crashed process's claim: its lease has run out by the restart.
    let commonplace::state::Claim::Ours(claimed) = d
        .state
        .claim_daily_post(
            GUILD_ID,
            date,
            &nonce,
            "crashed-process",
            std::time::Duration::ZERO,
        )
        .unwrap()
    else {
        panic!("the first claim is the crashed process's");
    };
    d.state
        .set_daily_prompt(GUILD_ID, date, &pool[0].id)
        .unwrap();
    let first = commonplace::daily::DailyMessage {
        guild_id: GUILD_ID,
        channel_id: CHANNEL_ID,
        role_id: Some(42),
        nonce: claimed.nonce.clone(),
        local_date: date.into(),
        prompt: pool[0].clone(),
    };
    use commonplace::daily::Poster;
    let sent_id = d.poster.post(&first).await.unwrap();
    // "Restart": a fresh state handle on the same database, then the tick.
    let state2 = State::open(d._data.path()).unwrap();
    let out = d
        .daily(&state2)
        .run_due("2026-11-23T10:00:00Z".parse().unwrap())
        .await;
    match &out[0] {
        Outcome::Posted { message_id, .. } => assert_eq!(
            *message_id, sent_id,
            "the retry must return the first message"
        ),
        other => panic!("{other:?}"),
    }
    let posts = d.posts();
    assert_eq!(posts.len(), 2, "two sends, one nonce");
    assert_eq!(posts[0].body["nonce"], posts[1].body["nonce"]);
    assert_eq!(
        posts[0].body["embeds"], posts[1].body["embeds"],
        "the same prompt is retried"
    );
    // Only the chosen role may be pinged.
    assert_eq!(posts[1].body["allowed_mentions"]["roles"], json!(["42"]));
    assert_eq!(posts[1].body["allowed_mentions"]["parse"], json!([]));
    // And after that, nothing more today, even after another restart.
    let state3 = State::open(d._data.path()).unwrap();
    let out = d
        .daily(&state3)
        .run_due("2026-11-23T20:00:00Z".parse().unwrap())
        .await;
    assert!(matches!(out[0], Outcome::AlreadyPosted { .. }));
    // A restart on the next day after the slot was missed by hours posts once, late.
    let out = d
        .daily(&state3)
        .run_due("2026-11-24T15:00:00Z".parse().unwrap())
        .await;
    assert!(matches!(out[0], Outcome::Posted { .. }));
    // A restart after local midnight does not post the missed day.
    let d2 = daily_setup().await;
    d2.state
        .set_schedule(&schedule("23:00", "Europe/London", None))
        .unwrap();
    assert!(matches!(
        d2.run("2026-11-24T00:30:00Z").await[0],
        Outcome::NotDue { .. }
    ));
    assert!(d2.posts().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_post_retries_429_500_and_timeouts_and_posts_once() {
    for status in [429u16, 500] {
        let d = daily_setup().await;
        d.state
            .set_schedule(&schedule("09:00", "Europe/London", None))
            .unwrap();
        d.fake
            .fail_next(&format!("/channels/{CHANNEL_ID}/messages"), status, 2);
        let out = d.run("2026-11-23T09:00:00Z").await;
        assert!(
            matches!(out[0], Outcome::Posted { .. }),
            "{status}: {out:?}"
        );
        assert_eq!(d.posts().len(), 3, "two failures then one success");
        assert_eq!(
            d.fake.early_retries(),
            0,
            "{status}: retried inside the named wait"
        );
        let rec = d.state.daily_post(GUILD_ID, "2026-11-23").unwrap().unwrap();
        assert_eq!((rec.status.as_str(), rec.attempts), ("posted", 3));
        assert!(matches!(
            d.run("2026-11-23T09:05:00Z").await[0],
            Outcome::AlreadyPosted { .. }
        ));
        assert_eq!(d.posts().len(), 3);
    }
    // A send that lands but is answered too late: retried with the same
    // nonce, which Discord (and the fake) answers with the message already
    // made, so the prompt is posted once.
    let mut d = daily_setup().await;
    d.poster = SerenityPoster::new(
        Arc::new(discord::http_client("t", Some(&d.fake.url))),
        "t",
        Some(&d.fake.url),
    )
    .with_timeout(Duration::from_millis(300));
    d.state
        .set_schedule(&schedule("09:00", "Europe/London", None))
        .unwrap();
    d.fake.delay_next(
        &format!("/channels/{CHANNEL_ID}/messages"),
        Duration::from_secs(2),
        1,
    );
    let out = d.run("2026-11-23T09:00:00Z").await;
    assert!(matches!(out[0], Outcome::Posted { .. }), "timeout: {out:?}");
    let posts = d.posts();
    assert_eq!(posts.len(), 2, "one timed-out attempt, one retry");
    assert_eq!(posts[0].body["nonce"], posts[1].body["nonce"]);
    assert_eq!(d.fake.distinct_nonced_messages(), 1, "posted once");
    let rec = d.state.daily_post(GUILD_ID, "2026-11-23").unwrap().unwrap();
    assert_eq!((rec.status.as_str(), rec.attempts), ("posted", 2));

    // A permanent failure is not retried in a loop.
    let d = daily_setup().await;
    d.state
        .set_schedule(&schedule("09:00", "Europe/London", None))
        .unwrap();
    d.fake
        .fail_next(&format!("/channels/{CHANNEL_ID}/messages"), 403, 1);
    assert!(matches!(
        d.run("2026-11-23T09:00:00Z").await[0],
        Outcome::Failed { .. }
    ));
    assert_eq!(d.posts().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_bot_posts_the_daily_prompt_on_its_clock() {
    let clock = FakeClock::at("2026-11-23T08:59:00Z");
    let bot = start_bot(clock.clone()).await;
    bot.state
        .set_schedule(&schedule("09:00", "Europe/London", Some(77)))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(bot.fake.requests().iter().all(|r| !r
        .path
        .ends_with(&format!("/channels/{CHANNEL_ID}/messages"))));
    clock.set("2026-11-23T09:00:00Z");
    let post = bot
        .fake
        .wait_for("daily post", |r| {
            r.method == "POST"
                && r.path
                    .ends_with(&format!("/channels/{CHANNEL_ID}/messages"))
        })
        .await;
    assert_eq!(
        post.body["content"].as_str().unwrap(),
        "<@&77> Today’s discussion prompt"
    );
    assert_eq!(post.body["allowed_mentions"]["roles"], json!(["77"]));
    bot.fake
        .wait_for("thread", |r| r.path.ends_with("/threads"))
        .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let n = bot
        .fake
        .requests()
        .iter()
        .filter(|r| {
            r.method == "POST"
                && r.path
                    .ends_with(&format!("/channels/{CHANNEL_ID}/messages"))
        })
        .count();
    assert_eq!(n, 1, "posted more than once");
}

// ----- faults and load -----

/// Run `commonplace post-due` as a child process against the fake.
fn post_due_child(fake: &Fake, data: &std::path::Path, now: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_commonplace"))
        .arg("--library")
        .arg(common::seeds_dir())
        .arg("--data-dir")
        .arg(data)
        .args(["post-due", "--now", now])
        .env("DISCORD_TOKEN", "test-token")
        .env("COMMONPLACE_DISCORD_API_URL", &fake.url)
        // A killed process's claim expires after a second.
        .env("COMMONPLACE_POST_LEASE_SECONDS", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_process_around_the_daily_post_never_loses_or_doubles_it() {
    let now = "2026-11-23T09:30:00Z";
    let messages = |f: &Fake| {
        f.requests()
            .iter()
            .filter(|r| {
                r.method == "POST"
                    && r.path
                        .ends_with(&format!("/channels/{CHANNEL_ID}/messages"))
            })
            .count()
    };
    // Point 1: killed before it sends anything (while starting up).
    // Point 2: killed while the send is in flight (Discord has the message, the process never hears back).
    // Point 3: killed after posting, before or after recording it.
    for point in 1..=3 {
        let fake = Fake::start().await;
        let data = tempfile::tempdir().unwrap();
        State::open(data.path())
            .unwrap()
            .set_schedule(&schedule("09:00", "Europe/London", None))
            .unwrap();
        // Build the index once so the children start fast.
        Library::open(LibraryOptions {
            roots: vec![common::seeds_dir()],
            data_dir: data.path().to_path_buf(),
        })
        .unwrap();
        let mut child = post_due_child(&fake, data.path(), now);
        match point {
            1 => tokio::time::sleep(Duration::from_millis(5)).await,
            2 => {
                fake.delay_next("/messages", Duration::from_secs(30), 1);
                fake.wait_for("the send", |r| {
                    r.path
                        .ends_with(&format!("/channels/{CHANNEL_ID}/messages"))
                })
                .await;
            }
            _ => {
                fake.wait_for("the thread", |r| r.path.ends_with("/threads"))
                    .await;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // The killed process's claim on the post runs out.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        // Restart, twice: the day's prompt is out exactly once.
        for _ in 0..2 {
            let status = post_due_child(&fake, data.path(), now).wait().unwrap();
            assert!(
                status.success(),
                "point {point}: the restarted process failed"
            );
        }
        assert_eq!(
            fake.distinct_nonced_messages(),
            1,
            "point {point}: the daily post was lost or doubled"
        );
        let rec = State::open(data.path())
            .unwrap()
            .daily_post(GUILD_ID, "2026-11-23")
            .unwrap()
            .unwrap();
        assert_eq!(rec.status, "posted", "point {point}");
        assert!(
            messages(&fake) <= 2,
            "point {point}: sent {} times",
            messages(&fake)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unacknowledged_heartbeats_make_it_reconnect_and_keep_answering() {
    let fake_clock = FakeClock::at("2026-11-23T12:00:00Z");
    let bot = start_bot(fake_clock).await;
    bot.fake.set_heartbeat_ms(300);
    // A fresh session with the short interval.
    let before = bot.fake.identifies();
    bot.fake.send_raw(json!({"op": 9, "d": false}));
    bot.fake
        .wait_until("re-identify", |f| f.identifies() > before)
        .await;
    let (ids, resumes) = (bot.fake.identifies(), bot.fake.resumes());
    bot.fake.set_zombie(true);
    bot.fake
        .wait_until("reconnect after missing ACKs", |f| {
            f.identifies() + f.resumes() > ids + resumes
        })
        .await;
    bot.fake.set_zombie(false);
    bot.fake.set_heartbeat_ms(41250);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let body = bot.slash(MEMBER, "help", json!([])).await;
    assert!(content(&body).contains("/quote"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_interactions_in_a_burst_are_all_answered() {
    let _alone = REAL_TIME.lock().await;
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let topics = [
        "solidarity",
        "imperialism",
        "Aleppo",
        "weapons for Ukraine",
        "campism",
        "nation-state",
        "migrants",
        "the left",
    ];
    let n: usize = std::env::var("BURST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut sent = std::collections::HashMap::new();
    let start = std::time::Instant::now();
    for i in 0..n {
        let id = next_id();
        let payload = if i % 4 == 3 {
            command(
                id,
                MEMBER,
                "cite",
                json!([opt(
                    "text",
                    "the left is merely obsessed with US imperialism"
                )]),
                None,
            )
        } else {
            command(
                id,
                MEMBER,
                "quote",
                json!([opt("topic", topics[i % topics.len()])]),
                None,
            )
        };
        sent.insert(id, std::time::Instant::now());
        bot.fake.dispatch("INTERACTION_CREATE", payload);
    }
    let dispatch_s = start.elapsed().as_secs_f64();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut latencies = Vec::new();
    let mut answered = std::collections::HashSet::new();
    while answered.len() < n && std::time::Instant::now() < deadline {
        for r in bot.fake.requests() {
            if r.path.ends_with("/callback") {
                let id: u64 = r.path.split('/').nth(4).unwrap().parse().unwrap();
                if sent.contains_key(&id) && answered.insert(id) {
                    latencies.push(r.at.duration_since(sent[&id]).as_secs_f64() * 1000.0);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    assert_eq!(answered.len(), n, "some interactions were dropped");
    latencies.sort_by(f64::total_cmp);
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    eprintln!("burst of {n} interactions dispatched in {dispatch_s:.2} s; reply time p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms", p(0.5), p(0.99), p(1.0));
    assert!(
        p(0.99) < 3000.0,
        "p99 {} ms is past Discord's 3-second window",
        p(0.99)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_attachment_link_is_refused_and_nothing_is_added() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    // The fake's CDN answers 404 with an HTML page for a link it does not know.
    let url = format!("{}/attachments/gone.txt", bot.fake.url);
    let att = "77002";
    let resolved = json!({"attachments": {att: {"id": att, "filename": "gone.txt", "size": 400, "url": url, "proxy_url": url, "content_type": "text/plain"}}});
    let options = sub("add", json!([{"name": "file", "type": 11, "value": att}]));
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(id, ORGANISER, "library", options, Some(resolved)),
    );
    let answer = bot
        .fake
        .wait_for("refusal", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await;
    let text = answer.body["content"].as_str().unwrap();
    assert!(
        text.contains("HTTP 404") && text.contains("expired"),
        "{text}"
    );
    assert!(bot.lib.snapshot().essay("gone").is_err());
    assert_eq!(bot.lib.snapshot().essays().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_command_gets_a_private_answer_and_the_commands_are_registered_again() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let registrations = |f: &Fake| {
        f.requests()
            .iter()
            .filter(|r| r.method == "PUT" && r.path.ends_with("/commands"))
            .count()
    };
    let before = registrations(&bot.fake);
    let r = bot.slash(MEMBER, "quotes-old", json!([])).await;
    assert_eq!(r["type"], 4);
    assert!(ephemeral(&r));
    assert_no_pings(&r);
    let text = content(&r);
    assert!(text.contains("no longer one of my commands"), "{text}");
    bot.fake
        .wait_until("registration again", |f| registrations(f) > before)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_retried_after_the_wait_discord_names_and_never_earlier() {
    let _alone = REAL_TIME.lock().await;
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    // A 429 then a 500: waiting the named 0.5 s still answers inside the
    // three seconds, with no request inside the rate-limit window.
    bot.fake.set_retry_after(0.5);
    bot.fake.fail_next("/callback", 429, 1);
    bot.fake.fail_next("/callback", 500, 1);
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(id, MEMBER, "help", json!([]), None),
    );
    bot.fake
        .wait_until("three attempts", |f| callbacks(f, id).len() >= 3)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = callbacks(&bot.fake, id);
    assert_eq!(sent.len(), 3, "429, 500, then the answer");
    let gap = sent[1].at - sent[0].at;
    assert!(gap >= Duration::from_millis(500), "retried after {gap:?}");
    assert_eq!(bot.fake.early_retries(), 0);
    assert!(content(&sent[2].body).contains("/quote"));
    // A wait that cannot fit in the window is not tried: one request only.
    bot.fake.set_retry_after(5.0);
    bot.fake.fail_next("/callback", 429, 1);
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(id, MEMBER, "help", json!([]), None),
    );
    bot.fake.callback(id).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(callbacks(&bot.fake, id).len(), 1);
    assert_eq!(bot.fake.early_retries(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_quote_answers_privately_and_counts_read_well() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let q = bot
        .slash(MEMBER, "quote", json!([opt("topic", "solidarity")]))
        .await;
    let more = custom_ids(&q)
        .into_iter()
        .find(|c| c.starts_with("more|"))
        .unwrap();
    let next = bot.interact(button(next_id(), MEMBER, &more)).await;
    assert_eq!(next["type"], 4);
    assert!(ephemeral(&next), "another quote must not flood the channel");
    // Each press leaves out every paragraph shown before it (the search's
    // exclusion), up to five quotes; then the button is gone.
    let mut seen: Vec<(String, u32, String)> = quotes_of_reply(&q);
    let mut reply = next;
    loop {
        let got = quotes_of_reply(&reply);
        assert_eq!(got.len(), 1, "{reply}");
        let (essay, para, _) = &got[0];
        assert!(
            !seen.iter().any(|(e, p, _)| e == essay && p == para),
            "¶{para} of {essay} shown twice"
        );
        seen.extend(got);
        match custom_ids(&reply)
            .into_iter()
            .find(|c| c.starts_with("more|"))
        {
            Some(more) => reply = bot.interact(button(next_id(), MEMBER, &more)).await,
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "five quotes in all: {seen:?}");
    // Errors with ids read as code, not as escaped backticks.
    let r = bot
        .slash(MEMBER, "essay", json!([opt("essay", "no-such-essay")]))
        .await;
    let text = content(&r);
    assert!(!text.contains("\\`"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_altered_quote_is_shown_beside_the_text_and_never_confirmed() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let r = bot
        .slash(
            MEMBER,
            "cite",
            json!([opt(
                "text",
                "Internationalism is a luxury that adds something extra to the national and local struggle."
            )]),
        )
        .await;
    assert_no_pings(&r);
    assert_embed_limits(&r);
    let e = &r["data"]["embeds"][0];
    assert!(e["title"].as_str().unwrap().starts_with("Altered"), "{e}");
    let field = |name: &str| {
        e["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .map(|f| f["value"].as_str().unwrap().to_string())
    };
    assert!(
        field("Citation").is_none(),
        "an altered quote gets no citation"
    );
    let text_says = field("The text says").unwrap();
    assert!(text_says.contains("**not**"), "{text_says}");
    assert!(field("You quoted").unwrap().contains("luxury"));
    assert!(field("What differs").unwrap().contains("not"));
}

/// Everything a member of guild B can reach, after guild A uploads an essay:
/// none of it shows A's essay; in A all of it does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_circles_upload_is_invisible_and_unremovable_in_another() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let text = "Notes on Patience\n\nA reading circle is a slow machine for patience: it turns strangers into careful listeners.\n\nThe convener keeps the pages moving and the voices even.\n";
    let url = bot.fake.add_attachment("patience.txt", text.as_bytes());
    let att = "77002";
    let resolved = json!({"attachments": {att: {"id": att, "filename": "patience.txt", "size": text.len(), "url": url, "proxy_url": url, "content_type": "text/plain"}}});
    let options = sub("add", json!([{"name": "file", "type": 11, "value": att}]));
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(id, ORGANISER, "library", options, Some(resolved)),
    );
    let done = bot
        .fake
        .wait_for("followup", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await;
    assert!(
        done.body["content"].as_str().unwrap().contains("Added"),
        "{}",
        done.body
    );
    let title = "Notes on Patience";
    let passage = "a slow machine for patience";

    // What each circle sees, command by command.
    let in_b = |v: Value| in_guild(v, OTHER_GUILD_ID);
    let cite_a = bot
        .slash(MEMBER, "cite", json!([opt("text", passage)]))
        .await;
    assert!(
        serde_json::to_string(&cite_a).unwrap().contains(title),
        "{cite_a}"
    );
    let cite_b = bot
        .interact(in_b(command(
            next_id(),
            MEMBER,
            "cite",
            json!([opt("text", passage)]),
            None,
        )))
        .await;
    let raw_b = serde_json::to_string(&cite_b).unwrap();
    assert!(
        !raw_b.contains(title) && !raw_b.contains("patience."),
        "{raw_b}"
    );

    let quote = |guild: u64| {
        in_guild(
            command(
                next_id(),
                MEMBER,
                "quote",
                json!([opt("topic", "slow machine for patience careful listeners")]),
                None,
            ),
            guild,
        )
    };
    let qa = bot.interact(quote(GUILD_ID)).await;
    assert!(serde_json::to_string(&qa).unwrap().contains(title), "{qa}");
    let qb = bot.interact(quote(OTHER_GUILD_ID)).await;
    assert!(!serde_json::to_string(&qb).unwrap().contains(title), "{qb}");

    // Typing the id by hand finds nothing either, with the same words as an
    // essay that does not exist.
    let by_id = bot
        .interact(in_b(command(
            next_id(),
            MEMBER,
            "essay",
            json!([opt("essay", "patience")]),
            None,
        )))
        .await;
    let missing = bot
        .interact(in_b(command(
            next_id(),
            MEMBER,
            "essay",
            json!([opt("essay", "no-such-essay-here")]),
            None,
        )))
        .await;
    assert!(ephemeral(&by_id) && ephemeral(&missing));
    assert!(!serde_json::to_string(&by_id).unwrap().contains(title));
    assert_eq!(
        content(&by_id).replace("patience", "X"),
        content(&missing).replace("no-such-essay-here", "X"),
    );

    // The list and the autocomplete.
    let essays_a = bot.slash(MEMBER, "essays", json!([])).await;
    assert!(essays_a["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .contains("6 essays"));
    let essays_b = bot
        .interact(in_b(command(next_id(), MEMBER, "essays", json!([]), None)))
        .await;
    assert!(
        essays_b["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .contains("5 essays"),
        "{essays_b}"
    );
    assert!(!serde_json::to_string(&essays_b).unwrap().contains(title));
    let mut focused = opt("essay", "pati");
    focused["focused"] = json!(true);
    let ac = |guild: u64| {
        in_guild(
            autocomplete(
                next_id(),
                MEMBER,
                "quote",
                json!([opt("topic", "x"), focused.clone()]),
            ),
            guild,
        )
    };
    let ac_a = bot.interact(ac(GUILD_ID)).await;
    assert_eq!(ac_a["data"]["choices"][0]["value"], "patience");
    let ac_b = bot.interact(ac(OTHER_GUILD_ID)).await;
    assert!(
        ac_b["data"]["choices"].as_array().unwrap().is_empty(),
        "{ac_b}"
    );

    // A forged button in B that names A's essay.
    let forged = bot
        .interact(in_b(button(next_id(), MEMBER, "cite|patience|1|mla")))
        .await;
    assert!(ephemeral(&forged));
    assert!(
        !serde_json::to_string(&forged).unwrap().contains(title),
        "{forged}"
    );

    // B's organiser cannot remove it; it is still there for A.
    let rm = sub("remove", json!([opt("essay", "patience")]));
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        in_b(command(id, ORGANISER, "library", rm, None)),
    );
    let refusal = bot
        .fake
        .wait_for("followup", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await;
    assert!(
        refusal.body["content"]
            .as_str()
            .unwrap()
            .contains("no essay"),
        "{}",
        refusal.body
    );
    assert!(bot
        .lib
        .view(Some(&GUILD_ID.to_string()))
        .essay("patience")
        .is_ok());
}

/// The number right after the last `mark` in a text ("¶12", "#3").
fn number_after(text: &str, mark: char) -> u64 {
    let after = text.rsplit(mark).next().unwrap();
    after
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

/// The paragraph number in a prompt's or quote's "¶N".
fn pilcrow_number(text: &str) -> u32 {
    number_after(text, '¶') as u32
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_post_draws_from_the_circles_current_reading() {
    let d = daily_setup().await;
    d.state
        .set_schedule(&schedule("09:00", "Europe/London", None))
        .unwrap();
    let key = commonplace::circle::key_of_guild(GUILD_ID);
    let entry =
        |essay: &str, starts: &str, ends: Option<&str>, paragraphs| commonplace::plan::PlanEntry {
            id: 0,
            essay: essay.into(),
            starts: starts.parse().unwrap(),
            ends: ends.map(|e| e.parse().unwrap()),
            paragraphs,
        };
    d.state
        .add_reading(
            &key,
            &entry(
                "survival-mechanism",
                "2026-11-20",
                Some("2026-11-30"),
                Some((10, 20)),
            ),
        )
        .unwrap();
    d.state
        .add_reading(
            &key,
            &entry("aleppo-interview", "2026-12-01", Some("2026-12-14"), None),
        )
        .unwrap();
    let post_of = |n: usize| {
        let posts = d.posts();
        posts[n].body["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Several days inside the first reading: always from it, within ¶10–20.
    for (i, day) in ["2026-11-23", "2026-11-24", "2026-11-25"]
        .iter()
        .enumerate()
    {
        let out = d.run(&format!("{day}T09:00:00Z")).await;
        assert!(matches!(out[0], Outcome::Posted { .. }), "{out:?}");
        let text = post_of(i);
        assert!(text.contains("Internationalism Is Not a Luxury"), "{text}");
        let n = pilcrow_number(&text);
        assert!(
            (10..=20).contains(&n),
            "¶{n} is outside the reading: {text}"
        );
    }
    // The next reading takes over on its first day (local time).
    let out = d.run("2026-12-01T09:00:00Z").await;
    assert!(matches!(out[0], Outcome::Posted { .. }), "{out:?}");
    assert!(post_of(3).contains("Alep, the West"), "{}", post_of(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reading_plan_drives_quote_and_prompt_in_its_circle_only() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let add = sub(
        "add",
        json!([
            opt("essay", "survival-mechanism"),
            opt("paragraphs", "10-20"),
            opt("starts", "2026-11-20")
        ]),
    );
    // Members cannot change the plan.
    let refused = bot
        .interact(command(next_id(), MEMBER, "reading", add.clone(), None))
        .await;
    assert!(ephemeral(&refused));
    assert!(bot
        .state
        .reading_plan(&commonplace::circle::key_of_guild(GUILD_ID))
        .unwrap()
        .is_empty());
    let added = bot
        .interact(command(next_id(), ORGANISER, "reading", add, None))
        .await;
    assert!(content(&added).contains("¶10–20"), "{added}");
    let show = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "reading",
            sub("show", json!([])),
            None,
        ))
        .await;
    // The current reading is marked (Markdown-escaped: "▶ \#1 …").
    let shown = content(&show);
    assert!(
        shown.starts_with("▶ ") && shown.contains("#1 Internationalism Is Not a Luxury"),
        "{show}"
    );
    // Bad organiser input gets a clear private answer.
    let bad = sub(
        "add",
        json!([
            opt("essay", "survival-mechanism"),
            opt("paragraphs", "30-90")
        ]),
    );
    let r = bot
        .interact(command(next_id(), ORGANISER, "reading", bad, None))
        .await;
    assert!(
        ephemeral(&r) && content(&r).contains("42 paragraphs"),
        "{r}"
    );

    let quote = |guild: u64, whole: bool| {
        let mut options = vec![opt("topic", "imperialism and the left"), opt("count", 5)];
        if whole {
            options.push(opt("whole_library", true));
        }
        in_guild(
            command(next_id(), MEMBER, "quote", json!(options), None),
            guild,
        )
    };
    let located = |body: &Value| -> Vec<(String, u32)> {
        body["data"]["embeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let essay = e["footer"]["text"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("essay: ")
                    .to_string();
                let n = pilcrow_number(e["fields"][1]["value"].as_str().unwrap());
                (essay, n)
            })
            .collect()
    };
    let in_plan = located(&bot.interact(quote(GUILD_ID, false)).await);
    assert!(!in_plan.is_empty());
    for (essay, n) in &in_plan {
        assert_eq!(essay, "survival-mechanism");
        assert!((10..=20).contains(n), "¶{n}");
    }
    let whole = located(&bot.interact(quote(GUILD_ID, true)).await);
    assert!(
        whole
            .iter()
            .any(|(e, n)| e != "survival-mechanism" || !(10..=20).contains(n)),
        "{whole:?}"
    );
    // Another circle has no plan: the whole library.
    let other = located(&bot.interact(quote(OTHER_GUILD_ID, false)).await);
    assert!(
        other
            .iter()
            .any(|(e, n)| e != "survival-mechanism" || !(10..=20).contains(n)),
        "{other:?}"
    );

    // /prompt draws from the reading too.
    for _ in 0..3 {
        let p = bot.slash(MEMBER, "prompt", sub("now", json!([]))).await;
        let text = p["data"]["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(text.contains("Internationalism Is Not a Luxury"), "{text}");
        assert!((10..=20).contains(&pilcrow_number(&text)), "{text}");
    }
    // Cleared: the whole library again.
    let clear = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "reading",
            sub("clear", json!([])),
            None,
        ))
        .await;
    assert!(content(&clear).contains("1 reading removed"), "{clear}");
}

/// Weekly and every-N-days cadences across the end of British Summer Time
/// (2026-10-25): posts on exactly the right local days, at 09:00 local
/// before and after the change, once each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekly_and_every_n_days_cadences_across_a_dst_change() {
    use commonplace::schedule::{every, weekly, Cadence};
    let london = jiff::tz::TimeZone::get("Europe/London").unwrap();
    let cases: Vec<(Cadence, Vec<&str>)> = vec![
        (
            weekly("mon,thu").unwrap(),
            vec![
                "2026-10-19",
                "2026-10-22",
                "2026-10-26",
                "2026-10-29",
                "2026-11-02",
            ],
        ),
        (
            every(3, "2026-10-20".parse().unwrap()).unwrap(),
            vec![
                "2026-10-20",
                "2026-10-23",
                "2026-10-26",
                "2026-10-29",
                "2026-11-01",
            ],
        ),
    ];
    for (cadence, expected) in cases {
        let d = daily_setup().await;
        let mut s = schedule("09:00", "Europe/London", None);
        s.cadence = cadence.clone();
        d.state.set_schedule(&s).unwrap();
        let mut posted_on = Vec::new();
        let mut day: jiff::civil::Date = "2026-10-18".parse().unwrap();
        let last: jiff::civil::Date = "2026-11-03".parse().unwrap();
        while day <= last {
            let slot = day
                .at(9, 0, 0, 0)
                .to_zoned(london.clone())
                .unwrap()
                .timestamp();
            let before = d.posts().len();
            // A minute early: never.
            let early = (slot - jiff::SignedDuration::from_secs(60)).to_string();
            d.run(&early).await;
            assert_eq!(d.posts().len(), before, "{cadence:?} posted early on {day}");
            // At the slot, and twice more that day: at most once.
            for later in [0, 3600, 7200] {
                let at = (slot + jiff::SignedDuration::from_secs(later)).to_string();
                d.run(&at).await;
            }
            let after = d.posts().len();
            assert!(after - before <= 1, "{cadence:?} posted twice on {day}");
            if after > before {
                // At 09:00 local: 08:00 UTC in summer time, 09:00 after it.
                let utc_hour = slot.to_zoned(jiff::tz::TimeZone::UTC).hour();
                assert_eq!(
                    utc_hour,
                    if day < "2026-10-25".parse().unwrap() {
                        8
                    } else {
                        9
                    }
                );
                posted_on.push(day.to_string());
            }
            day = day.tomorrow().unwrap();
        }
        assert_eq!(posted_on, expected, "{cadence:?}");
    }
}

/// The CLI, as the circle `GUILD_ID`, over the bot's own library and data.
fn cli_json(bot: &Bot, args: &[&str]) -> Value {
    cli_json_as(bot, Some(GUILD_ID), args)
}

/// The CLI as `circle` (`None`: the operator, no `--circle`); its JSON.
fn cli_json_as(bot: &Bot, circle: Option<u64>, args: &[&str]) -> Value {
    let circle_args = match circle {
        Some(g) => vec!["--circle".to_string(), g.to_string()],
        None => Vec::new(),
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_commonplace"))
        .arg("--library")
        .arg(common::seeds_dir())
        .arg("--data-dir")
        .arg(bot._data.path())
        .arg("--json")
        .args(circle_args)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (essay, ¶, text) of each quote embed of a reply.
fn quotes_of_reply(body: &Value) -> Vec<(String, u32, String)> {
    body["data"]["embeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let essay = e["footer"]["text"].as_str().unwrap();
            let para = e["fields"][1]["value"].as_str().unwrap();
            let text = e["description"].as_str().unwrap();
            (
                essay.trim_start_matches("essay: ").to_string(),
                para.trim_start_matches('¶').parse().unwrap(),
                text.trim_matches(['“', '”']).replace('\\', ""),
            )
        })
        .collect()
}

fn field<'a>(embed: &'a Value, name: &str) -> &'a str {
    embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name} in {embed}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_and_discord_give_a_circle_the_same_answers() {
    // The CLI runs on the real clock: the bot's clock says the same day.
    let bot = start_bot(FakeClock::at(&jiff::Timestamp::now().to_string())).await;
    let same_quotes = |discord: &Value, cli: &Value| {
        let cli: Vec<(String, u32, String)> = cli
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["essay_id"].as_str().unwrap().to_string(),
                    q["paragraph"].as_u64().unwrap() as u32,
                    q["text"].as_str().unwrap().replace('\\', ""),
                )
            })
            .collect();
        assert!(!cli.is_empty());
        assert_eq!(quotes_of_reply(discord), cli);
    };
    // Quotes from the whole library.
    let discord = bot
        .slash(
            MEMBER,
            "quote",
            json!([opt("topic", "solidarity"), opt("count", 3)]),
        )
        .await;
    let cli = cli_json(&bot, &["quote", "solidarity", "--limit", "3"]);
    same_quotes(&discord, &cli);
    // The circle's reading plan, set from the CLI, narrows both alike; the
    // quote carries its byline and URL to the embed.
    let plan = cli_json(&bot, &["reading", "add", "aleppo", "--paragraphs", "5-30"]);
    assert_eq!(plan["essay_id"], "aleppo-interview");
    let discord = bot
        .slash(
            MEMBER,
            "quote",
            json!([opt("topic", "solidarity"), opt("count", 3)]),
        )
        .await;
    let cli = cli_json(&bot, &["quote", "solidarity", "--limit", "3"]);
    same_quotes(&discord, &cli);
    for (essay, para, _) in quotes_of_reply(&discord) {
        assert_eq!(essay, "aleppo-interview");
        assert!((5..=30).contains(&para), "¶{para} is outside the reading");
    }
    let first = &discord["data"]["embeds"][0];
    assert_eq!(first["url"], cli[0]["url"]);
    assert!(cli[0]["byline"].is_string());
    // The reading plan reads the same.
    let shown = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "reading",
            sub("show", json!([])),
            None,
        ))
        .await;
    let cli_plan = cli_json(&bot, &["reading", "show"]);
    assert_eq!(cli_plan[0]["current"], true);
    let shown = content(&shown).replace('\\', "");
    assert!(
        shown.starts_with(&format!("▶ #{}", cli_plan[0]["number"])),
        "{shown}"
    );
    // Cite: the same verdict, locator and citation; an altered quote is
    // refused by both.
    for (text, verdict) in [
        (
            "the left is merely obsesed with US imperialism",
            "misquoted",
        ),
        ("the left is not obsessed with US imperialism", "altered"),
    ] {
        let discord = bot.slash(MEMBER, "cite", json!([opt("text", text)])).await;
        let cli = cli_json(&bot, &["cite", text]);
        assert_eq!(cli["verdict"], verdict, "{cli}");
        let e = &discord["data"]["embeds"][0];
        if verdict == "altered" {
            assert!(e["title"].as_str().unwrap().starts_with("Altered"));
            assert_eq!(cli["found"], false);
        } else {
            assert_eq!(field(e, "Locator"), format!("¶{}", cli["paragraph"]));
            assert_eq!(
                field(e, "Citation"),
                cli["cite"]["markdown"].as_str().unwrap()
            );
        }
    }
    // The essay list: the same essays, in the same order.
    let listed = bot.slash(MEMBER, "essays", json!([])).await;
    let text = listed["data"]["embeds"][0]["description"].as_str().unwrap();
    let cli = cli_json(&bot, &["essays"]);
    let ids: Vec<&str> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let mut at = 0;
    for id in &ids {
        let found = text[at..]
            .find(&format!("`{id}`"))
            .unwrap_or_else(|| panic!("{id} missing or out of order in /essays: {text}"));
        at += found;
    }
    // A schedule set in Discord is the one the CLI shows.
    let (mut options, resolved) = schedule_set("08:30", "Europe/Berlin");
    options[0]["options"]
        .as_array_mut()
        .unwrap()
        .push(opt("weekdays", "mon,thu"));
    let set = bot
        .interact(command(
            next_id(),
            ORGANISER,
            "schedule",
            options,
            Some(resolved),
        ))
        .await;
    assert!(ephemeral(&set), "{set}");
    let cli = cli_json(&bot, &["schedule", "show"]);
    assert_eq!(cli["local_time"], "08:30");
    assert_eq!(cli["time_zone"], "Europe/Berlin");
    let next: jiff::Timestamp = cli["next"].as_str().unwrap().parse().unwrap();
    assert!(content(&set).contains(&format!("<t:{}:F>", next.as_second())));
}

/// Upload a file with `/library add` as an organiser of `guild`; returns
/// the private followup.
async fn upload(bot: &Bot, guild: u64, filename: &str, text: &str) -> Value {
    let url = bot.fake.add_attachment(filename, text.as_bytes());
    let att = next_id().to_string();
    let resolved = json!({"attachments": {&att: {"id": &att, "filename": filename, "size": text.len(), "url": url, "proxy_url": url, "content_type": "text/plain"}}});
    let options = sub("add", json!([{"name": "file", "type": 11, "value": &att}]));
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        in_guild(
            command(id, ORGANISER, "library", options, Some(resolved)),
            guild,
        ),
    );
    bot.fake
        .wait_for("followup", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await
        .body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circles_quota_is_enforced_with_a_clear_private_message() {
    let bot = start_bot_with(FakeClock::at("2026-11-23T12:00:00Z"), |_, config| {
        config.circles.max_essays = 2;
        config.circles.max_bytes = 600;
    })
    .await;
    let essay = |n: u32| {
        format!("Circle Notes {n}\n\nParagraph one of notes {n} says that reading together slows us down.\n\nParagraph two of notes {n} says that slowness is the point.\n")
    };
    for n in 1..=2 {
        let done = upload(&bot, GUILD_ID, &format!("notes-{n}.txt"), &essay(n)).await;
        assert!(
            done["content"].as_str().unwrap().contains("Added"),
            "{done}"
        );
    }
    // The third is over the count: refused privately, nothing added.
    let refused = upload(&bot, GUILD_ID, "notes-3.txt", &essay(3)).await;
    let text = refused["content"].as_str().unwrap();
    assert!(
        text.contains("2 essays") && text.contains("limit is 2"),
        "{text}"
    );
    assert_eq!(
        refused["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "private: {refused}"
    );
    assert_no_pings(&refused);
    assert!(bot
        .lib
        .view(Some(&GUILD_ID.to_string()))
        .essays()
        .iter()
        .all(|e| !e.meta.title.contains("Notes 3")));
    // The quota is the circle's: another circle still has room, and a file
    // too big for its bytes is refused with the sizes.
    let other = upload(&bot, OTHER_GUILD_ID, "notes-3.txt", &essay(3)).await;
    assert!(
        other["content"].as_str().unwrap().contains("Added"),
        "{other}"
    );
    let big = format!(
        "Long Notes\n\n{}\n",
        "Reading slowly is a practice. ".repeat(30)
    );
    let too_big = upload(&bot, OTHER_GUILD_ID, "long.txt", &big).await;
    let text = too_big["content"].as_str().unwrap();
    assert!(
        text.contains("does not fit") && text.contains("KB"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn essays_added_before_circles_stay_visible_to_all_and_removable_only_from_the_cli() {
    // An essay /library add stored before circles: in the added folder,
    // its catalog entry naming no circle.
    let bot = start_bot_with(FakeClock::at("2026-11-23T12:00:00Z"), |data, _| {
        let added = Library::added_dir(data);
        std::fs::write(
            added.join("old-notes.txt"),
            "Old Notes\n\nA circle that reads aloud hears the argument twice over.\n",
        )
        .unwrap();
        std::fs::write(
            added.join("catalog.toml"),
            "[[essay]]\nfile = \"old-notes.txt\"\ntitle = \"Old Notes\"\n",
        )
        .unwrap();
    })
    .await;
    let passage = "A circle that reads aloud hears the argument twice over.";
    for guild in [GUILD_ID, OTHER_GUILD_ID] {
        let r = bot
            .interact(in_guild(
                command(
                    next_id(),
                    MEMBER,
                    "cite",
                    json!([opt("text", passage)]),
                    None,
                ),
                guild,
            ))
            .await;
        assert_eq!(
            r["data"]["embeds"][0]["title"], "Old Notes",
            "guild {guild}: {r}"
        );
    }
    // No circle owns it: neither can remove it.
    let remove = sub("remove", json!([opt("essay", "old-notes")]));
    let id = next_id();
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        command(id, ORGANISER, "library", remove, None),
    );
    let refused = bot
        .fake
        .wait_for("followup", |r| {
            r.path.contains(&format!("/webhooks/{APP_ID}/tok-{id}"))
        })
        .await
        .body;
    assert!(
        !refused["content"].as_str().unwrap().contains("Removed"),
        "{refused}"
    );
    assert!(bot.lib.snapshot().essay("old-notes").is_ok());
    // The operator removes it from the command line (no --circle).
    let v = cli_json_as(&bot, None, &["remove-essay", "old-notes"]);
    assert_eq!(v["removed"], "Old Notes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circles_own_essay_feeds_its_daily_post_and_no_other_circles() {
    let d = daily_setup().await;
    // Circle A uploads Emerson's "Self-Reliance" and reads it this month.
    let bytes = std::fs::read(common::corpora_dir().join("emerson/002-self-reliance.md")).unwrap();
    let rec = commonplace::library::add_essay(
        &d.lib,
        &GUILD_ID.to_string(),
        &commonplace::config::CircleLimits::default(),
        "self-reliance.md",
        &bytes,
        commonplace::ingest::catalog::CatalogEntry::default(),
    )
    .unwrap();
    d.state
        .set_schedule(&schedule("09:00", "Europe/London", None))
        .unwrap();
    d.state
        .add_reading(
            &commonplace::circle::key_of_guild(GUILD_ID),
            &commonplace::plan::PlanEntry {
                id: 0,
                essay: rec.meta.id.clone(),
                starts: "2026-11-01".parse().unwrap(),
                ends: Some("2026-11-30".parse().unwrap()),
                paragraphs: None,
            },
        )
        .unwrap();
    // Circle B posts from the whole library it sees, in its own channel.
    let other_channel = CHANNEL_ID + 1;
    d.state
        .set_schedule(&Schedule {
            guild_id: OTHER_GUILD_ID,
            channel_id: other_channel,
            ..schedule("09:00", "Europe/London", None)
        })
        .unwrap();
    for day in ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"] {
        let out = d.run(&format!("{day}T09:00:00Z")).await;
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(
            out.iter().all(|o| matches!(o, Outcome::Posted { .. })),
            "{out:?}"
        );
    }
    let posts_in = |channel: u64| -> Vec<String> {
        d.fake
            .requests()
            .into_iter()
            .filter(|r| {
                r.method == "POST" && r.path == format!("/api/v10/channels/{channel}/messages")
            })
            .map(|r| serde_json::to_string(&r.body).unwrap())
            .collect()
    };
    let a = posts_in(CHANNEL_ID);
    let b = posts_in(other_channel);
    assert_eq!((a.len(), b.len()), (4, 4));
    for post in &a {
        assert!(
            post.contains(&rec.meta.title),
            "A reads its own essay: {post}"
        );
    }
    for post in &b {
        assert!(
            !post.contains(&rec.meta.title) && !post.contains("Emerson"),
            "B sees nothing of A's upload: {post}"
        );
    }
}

/// The number after "#" in a reply (it has one).
fn hash_number(text: &str) -> i64 {
    number_after(text, '#') as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_suggest_questions_and_organisers_approve_or_reject_them() {
    let bot = start_bot(FakeClock::at("2026-11-23T12:00:00Z")).await;
    let suggest =
        |who: u64, options: Value| command(next_id(), who, "prompt", sub("suggest", options), None);
    // Any member suggests; a question that would ping is only ever text.
    let first = "@everyone Is campism a betrayal of internationalism from below?";
    let r = bot
        .interact(suggest(
            MEMBER,
            json!([opt("question", first), opt("essay", "survival-mechanism")]),
        ))
        .await;
    assert!(ephemeral(&r), "{r}");
    assert_no_pings(&r);
    let text = content(&r);
    assert!(
        text.contains("queue") && text.contains("Survival Mechanism"),
        "{text}"
    );
    let approve_id = hash_number(text);
    let second = "What would solidarity with Syrians look like in our own town?";
    let r = bot
        .interact(suggest(
            MEMBER,
            json!([
                opt("question", second),
                opt("essay", "aleppo"),
                opt("paragraph", 5)
            ]),
        ))
        .await;
    let reject_id = hash_number(content(&r));
    // No essay and no current reading: a clear refusal, nothing queued.
    let r = bot
        .interact(suggest(
            MEMBER,
            json!([opt("question", "Why read at all?")]),
        ))
        .await;
    assert!(ephemeral(&r));
    assert!(content(&r).contains("name the essay"), "{r}");

    // The queue is the organisers'.
    let refused = bot.slash(MEMBER, "prompt", sub("queue", json!([]))).await;
    assert!(ephemeral(&refused));
    assert!(content(&refused).contains("Only organisers"));
    let queue = bot
        .slash(ORGANISER, "prompt", sub("queue", json!([])))
        .await;
    assert!(ephemeral(&queue), "{queue}");
    assert_no_pings(&queue);
    assert_embed_limits(&queue);
    let embeds = queue["data"]["embeds"].as_array().unwrap();
    assert_eq!(embeds.len(), 2, "{queue}");
    assert!(embeds[0]["description"]
        .as_str()
        .unwrap()
        .contains("suggested by reader"));
    assert!(!serde_json::to_string(&queue).unwrap().contains("@everyone"));
    let ids = custom_ids(&queue);
    for want in [
        format!("sugg|a|{approve_id}"),
        format!("sugg|r|{approve_id}"),
        format!("sugg|a|{reject_id}"),
        format!("sugg|r|{reject_id}"),
    ] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
    // Another circle's queue is its own (empty).
    let other = bot
        .interact(in_guild(
            command(
                next_id(),
                ORGANISER,
                "prompt",
                sub("queue", json!([])),
                None,
            ),
            OTHER_GUILD_ID,
        ))
        .await;
    assert!(content(&other).contains("No suggestions"));
    // A member's press decides nothing; nor does one from another server.
    let press = bot
        .interact(button(next_id(), MEMBER, &format!("sugg|a|{approve_id}")))
        .await;
    assert!(ephemeral(&press));
    assert!(content(&press).contains("Only organisers"));
    let foreign = bot
        .interact(in_guild(
            button(next_id(), ORGANISER, &format!("sugg|a|{approve_id}")),
            OTHER_GUILD_ID,
        ))
        .await;
    assert!(content(&foreign).contains("not waiting"));
    // The organiser approves one and rejects the other, once each.
    let ok = bot
        .interact(button(
            next_id(),
            ORGANISER,
            &format!("sugg|a|{approve_id}"),
        ))
        .await;
    assert_no_pings(&ok);
    let ok_text = content(&ok);
    assert!(
        ok_text.contains("Approved") && ok_text.contains("credited to reader"),
        "{ok_text}"
    );
    let no = bot
        .interact(button(next_id(), ORGANISER, &format!("sugg|r|{reject_id}")))
        .await;
    assert!(content(&no).contains("Rejected"));
    let again = bot
        .interact(button(next_id(), ORGANISER, &format!("sugg|a|{reject_id}")))
        .await;
    assert!(content(&again).contains("not waiting"));
    let empty = bot
        .slash(ORGANISER, "prompt", sub("queue", json!([])))
        .await;
    assert!(content(&empty).contains("No suggestions"));

    // The pool: the approved question, credited by name, with its passage;
    // the rejected one nowhere.
    let key = commonplace::circle::key_of_guild(GUILD_ID);
    let customs = bot.state.custom_prompts(Some(&key), None).unwrap();
    assert_eq!(customs.len(), 1, "{customs:?}");
    assert_eq!(customs[0].suggested_by.as_deref(), Some("reader"));
    let p = bot
        .slash(
            MEMBER,
            "prompt",
            sub(
                "now",
                json!([opt("essay", "survival-mechanism"), opt("kind", 5)]),
            ),
        )
        .await;
    assert_no_pings(&p);
    let e = &p["data"]["embeds"][0];
    assert!(e["title"].as_str().unwrap().contains("campism"), "{e}");
    assert!(!serde_json::to_string(&p).unwrap().contains("@everyone"));
    assert!(
        e["footer"]["text"]
            .as_str()
            .unwrap()
            .contains("suggested by reader"),
        "{e}"
    );
    assert!(
        e["description"].as_str().unwrap().contains('¶'),
        "its passage: {e}"
    );
    // Only circle A has it.
    let b = bot
        .interact(in_guild(
            command(
                next_id(),
                MEMBER,
                "prompt",
                sub(
                    "now",
                    json!([opt("essay", "survival-mechanism"), opt("kind", 5)]),
                ),
                None,
            ),
            OTHER_GUILD_ID,
        ))
        .await;
    assert!(ephemeral(&b), "no custom prompts in B: {b}");
}
