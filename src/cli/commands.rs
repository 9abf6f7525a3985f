//! One function per command: parse what the command line gave, call the
//! core once, hand the answer to [`super::output`].

use super::args::{Cli, Command, ReadingAction, ScheduleAction};
use super::{load_config, open_library, output};
use crate::app::{
    App, Decision, Member, PromptQuery, PromptWanted, QuoteQuery, ReadingRequest, ScheduleRequest,
    Upload,
};
use crate::config::Config;
use crate::library::Library;
use crate::state::State;
use anyhow::{Context, Result};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

/// What every library command gets: the core, who asks, how to answer.
struct Ask<'a> {
    app: &'a App,
    circle: Option<&'a str>,
    style: Option<crate::citation::Style>,
    json: bool,
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let config = load_config(&cli)?;
    if let Some(c) = cli.circle.as_deref() {
        crate::circle::validate(c)?;
    }
    match cli.command {
        Command::Serve => return serve(config),
        Command::Bench {
            big_mb,
            queries,
            ref corpora,
        } => return bench(big_mb, queries, corpora, cli.json),
        Command::BenchProbe { queries, scan } => return bench_probe(&config, queries, scan),
        Command::Index => return index(&config, cli.json),
        Command::PostDue { now } => return post_due(&config, now, cli.json),
        Command::Eval { ref set, verbose } => return eval(&config, set, verbose, cli.json),
        Command::DistillModel { ref corpus } => return distill_model(&config, corpus, cli.json),
        _ => {}
    }
    let library = Arc::new(open_library(&config, false)?);
    let shared_state = config.database_url.is_some();
    let app = App::new(
        library,
        None,
        config,
        Arc::new(crate::schedule::SystemClock),
    );
    // With a shared database, a circle's uploads may have come through a
    // bot process: bring them in first, so the CLI answers as the bot does.
    if shared_state && cli.circle.is_some() {
        app.sync_uploads()?;
    }
    let ask = Ask {
        app: &app,
        circle: cli.circle.as_deref(),
        style: cli.style,
        json: cli.json,
    };
    match cli.command {
        Command::Essays => essays(&ask),
        Command::Quote {
            topic,
            essay,
            speaker,
            limit,
            whole_library,
        } => quote(
            &ask,
            QuoteQuery {
                topic,
                essay,
                speaker,
                limit: usize::from(limit),
                whole_library,
                exclude: Vec::new(),
                style: ask.style,
            },
        ),
        Command::Cite { text } => cite(&ask, &text),
        Command::Prompt {
            essay,
            kind,
            seed,
            whole_library,
        } => prompt(
            &ask,
            PromptQuery {
                essay,
                kind,
                seed,
                whole_library,
                style: ask.style,
            },
        ),
        Command::Prompts { essay } => prompts(&ask, &essay),
        Command::AddPrompt {
            essay,
            paragraph,
            question,
        } => add_prompt(&ask, &essay, paragraph, &question),
        Command::BanPrompt { id } => ban_prompt(&ask, &id),
        Command::SuggestPrompt {
            question,
            essay,
            paragraph,
            member,
        } => suggest_prompt(&ask, &question, essay.as_deref(), paragraph, member),
        Command::Queue => {
            output::queue(&ask.app.suggestion_queue(ask.circle)?, ask.json);
            Ok(())
        }
        Command::Approve { id } => decide(&ask, id, Decision::Approve),
        Command::Reject { id } => decide(&ask, id, Decision::Reject),
        Command::Reading { action } => reading(&ask, action),
        Command::Schedule { action } => schedule(&ask, action),
        Command::AddEssay {
            file,
            title,
            author,
            date,
            url,
        } => add_essay(&ask, file, title, author, date, url),
        Command::RemoveEssay { essay } => remove_essay(&ask, &essay),
        Command::Show { essay } => show(&ask, &essay),
        Command::Serve
        | Command::Bench { .. }
        | Command::BenchProbe { .. }
        | Command::Index
        | Command::PostDue { .. }
        | Command::Eval { .. }
        | Command::DistillModel { .. } => unreachable!("handled above"),
    }
}

/// `distill-model`: the static embedding table, beside the model.
fn distill_model(config: &Config, corpus: &[PathBuf], json: bool) -> Result<()> {
    let started = std::time::Instant::now();
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = corpus.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).with_context(|| format!("reading {}", p.display()))? {
                stack.push(e?.path());
            }
        } else if p.extension().is_some_and(|x| x == "md" || x == "txt") {
            files.push(p);
        }
    }
    files.sort();
    let mut texts = Vec::with_capacity(files.len());
    for f in &files {
        texts.push(std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?);
    }
    // Every blank-line-separated block of some length, as the table was
    // first distilled: the paragraphs the index reads give a different
    // table, and its figures were measured on this one.
    let paragraphs = texts
        .iter()
        .flat_map(|t| t.split("\n\n"))
        .map(str::trim)
        .filter(|p| p.len() > 40);
    let pieces = crate::search::semantic::distill(&config.search, paragraphs)?;
    let seconds = started.elapsed().as_secs_f64();
    let dir = config.search.model_dir.display().to_string();
    if json {
        println!(
            "{}",
            json!({"word_pieces": pieces, "seconds": seconds, "model_dir": dir})
        );
    } else {
        println!("distilled {pieces} word pieces in {seconds:.1} s into {dir}");
    }
    Ok(())
}

/// `essays`: what the circle's library holds.
fn essays(a: &Ask) -> Result<()> {
    output::essays(a.app.essays(a.circle).essays(), a.json);
    Ok(())
}

/// `quote`: quotes on a topic.
fn quote(a: &Ask, q: QuoteQuery) -> Result<()> {
    output::quotes(&a.app.quote(a.circle, &q)?, a.json);
    Ok(())
}

/// `cite`: where a quote comes from.
fn cite(a: &Ask, text: &str) -> Result<()> {
    output::cite(&a.app.cite(a.circle, text, a.style)?, a.json);
    Ok(())
}

/// `prompt`: one discussion prompt (recorded in the circle's history).
fn prompt(a: &Ask, q: PromptQuery) -> Result<()> {
    output::picked(&a.app.prompt(a.circle, &q, PromptWanted::ToPost)?, a.json);
    Ok(())
}

/// `prompts`: an essay's whole pool.
fn prompts(a: &Ask, essay: &str) -> Result<()> {
    let (id, pool) = a.app.prompt_pool(a.circle, essay, a.style)?;
    output::pool(&id, &pool, a.json);
    Ok(())
}

/// `add-prompt`: an organiser's own question.
fn add_prompt(a: &Ask, essay: &str, paragraph: u32, question: &str) -> Result<()> {
    let (id, essay_id) = a.app.add_prompt(a.circle, essay, paragraph, question)?;
    if a.json {
        output::print_json(&json!({"id": id, "essay_id": essay_id, "paragraph": paragraph}));
    } else {
        println!("Added prompt {id} to {essay_id}, paragraph {paragraph}.");
    }
    Ok(())
}

/// `ban-prompt`: for the circle, or everywhere without one.
fn ban_prompt(a: &Ask, id: &str) -> Result<()> {
    a.app.ban_prompt(a.circle, id)?;
    let id = id.trim();
    if a.json {
        output::print_json(&json!({"banned": id}));
    } else {
        println!("Banned prompt {id}.");
    }
    Ok(())
}

/// `suggest-prompt`: a question for the organisers' queue.
fn suggest_prompt(
    a: &Ask,
    question: &str,
    essay: Option<&str>,
    paragraph: Option<u32>,
    member: String,
) -> Result<()> {
    let member = Member {
        id: format!("cli:{member}"),
        name: member,
    };
    let q = a
        .app
        .suggest_prompt(a.circle, &member, question, essay, paragraph)?;
    if a.json {
        output::print_json(&output::suggestion_json(&q));
    } else {
        println!(
            "Suggestion #{} queued, about “{}”, ¶{}.",
            q.suggestion.id, q.title, q.suggestion.paragraph
        );
    }
    Ok(())
}

/// `approve` / `reject`.
fn decide(a: &Ask, id: i64, decision: Decision) -> Result<()> {
    let (q, prompt_id) = a.app.decide_suggestion(a.circle, id, decision)?;
    if a.json {
        let mut v = output::suggestion_json(&q);
        v["prompt_id"] = json!(prompt_id);
        output::print_json(&v);
    } else {
        match prompt_id {
            Some(p) => println!(
                "Approved #{id}: it joins the circle's prompts as {p}, credited to {}.",
                q.suggestion.member_name
            ),
            None => println!("Rejected #{id}."),
        }
    }
    Ok(())
}

/// `reading add|show|remove|clear`.
fn reading(a: &Ask, action: ReadingAction) -> Result<()> {
    match action {
        ReadingAction::Add {
            essay,
            starts,
            ends,
            paragraphs,
        } => {
            let (e, title) = a.app.reading_add(
                a.circle,
                &ReadingRequest {
                    essay,
                    starts,
                    ends,
                    paragraphs,
                },
            )?;
            if a.json {
                output::print_json(&output::reading_json(&e));
            } else {
                println!("Added reading #{} ({}, “{title}”).", e.id, e.essay);
            }
        }
        ReadingAction::Show => output::reading_plan(&a.app.reading_plan(a.circle)?, a.json),
        ReadingAction::Remove { number } => {
            a.app.reading_remove(a.circle, number)?;
            if a.json {
                output::print_json(&json!({"removed": number}));
            } else {
                println!("Removed reading #{number}.");
            }
        }
        ReadingAction::Clear => {
            let n = a.app.reading_clear(a.circle)?;
            if a.json {
                output::print_json(&json!({"removed": n}));
            } else {
                println!("Cleared the reading plan ({n} removed).");
            }
        }
    }
    Ok(())
}

/// `schedule set|show|off|preview`.
fn schedule(a: &Ask, action: ScheduleAction) -> Result<()> {
    match action {
        ScheduleAction::Set {
            channel,
            time,
            timezone,
            essay,
            role,
            weekdays,
            every_days,
        } => {
            let status = a.app.schedule_set(
                a.circle,
                &ScheduleRequest {
                    channel_id: channel,
                    time,
                    zone: timezone,
                    essay,
                    role_id: role,
                    weekdays,
                    every_days,
                },
            )?;
            output::schedule(&status, a.json);
        }
        ScheduleAction::Show => output::schedule(&a.app.schedule_status(a.circle)?, a.json),
        ScheduleAction::Off => {
            let was = a.app.schedule_off(a.circle)?;
            if a.json {
                output::print_json(&json!({"off": was}));
            } else if was {
                println!("The daily prompt is off.");
            } else {
                println!("No daily prompt was scheduled.");
            }
        }
        ScheduleAction::Preview => {
            let circle = a.circle.unwrap_or_default();
            output::picked(&a.app.preview_daily(circle)?, a.json);
        }
    }
    Ok(())
}

/// `add-essay`: a file into the circle's own library.
fn add_essay(
    a: &Ask,
    file: PathBuf,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    url: Option<String>,
) -> Result<()> {
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let filename = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("essay.txt")
        .to_string();
    let rec = a.app.add_essay(
        a.circle,
        Upload {
            filename,
            bytes,
            title,
            author,
            date,
            url,
        },
    )?;
    if a.json {
        output::print_json(
            &json!({"id": rec.meta.id, "title": rec.meta.title, "paragraphs": rec.paragraphs}),
        );
    } else {
        println!(
            "Added “{}” as {} ({}).",
            rec.meta.title,
            rec.meta.id,
            crate::text::count(u64::from(rec.paragraphs), "paragraph", "paragraphs")
        );
    }
    Ok(())
}

/// `remove-essay`.
fn remove_essay(a: &Ask, essay: &str) -> Result<()> {
    let title = a.app.remove_essay(a.circle, essay)?;
    if a.json {
        output::print_json(&json!({"removed": title}));
    } else {
        println!("Removed “{title}”.");
    }
    Ok(())
}

/// `show`: an essay's text with its locators.
fn show(a: &Ask, essay: &str) -> Result<()> {
    output::essay_text(&a.app.essay_text(a.circle, essay)?, a.json);
    Ok(())
}

/// `index`: rebuild the index from scratch.
fn index(config: &Config, as_json: bool) -> Result<()> {
    let lib = open_library(config, true)?;
    let n = lib.snapshot().essays().len();
    if as_json {
        output::print_json(&json!({"essays": n}));
    } else {
        println!("Indexed {n} essays into {}", config.data_dir.display());
    }
    Ok(())
}

/// `post-due`: every daily prompt due now, once.
fn post_due(config: &Config, now: Option<jiff::Timestamp>, as_json: bool) -> Result<()> {
    let token = config
        .token(|k| std::env::var(k).ok())?
        .ok_or_else(|| crate::error::Error::Config(NO_TOKEN.into()))?;
    let lib = open_library(config, false)?;
    let state = State::for_config(config)?;
    if config.database_url.is_some() {
        // Circles' uploads made through the bot processes, for their readings.
        crate::library::sync_uploads(&lib, &*state, 0)?;
    }
    let http = crate::discord::http_client(&token, config.discord.api_base_url.as_deref());
    let poster = crate::discord::poster::SerenityPoster::new(
        std::sync::Arc::new(http),
        &token,
        config.discord.api_base_url.as_deref(),
    );
    let now = now.unwrap_or_else(jiff::Timestamp::now);
    let runtime = tokio::runtime::Runtime::new()?;
    let engine = crate::prompts::PromptEngine::new();
    let posts = crate::daily::DailyPosts {
        lib: &lib,
        engine: &engine,
        state: &state,
        poster: &poster,
        style: config.citations.style,
        retry: crate::daily::Retry::default(),
        owner: crate::state::process_owner(),
        lease: std::time::Duration::from_secs(config.discord.post_lease_seconds.max(1)),
    };
    let outcomes = runtime.block_on(posts.run_due(now));
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o, crate::daily::Outcome::Failed { .. }))
        .count();
    if as_json {
        output::print_json(&json!(outcomes
            .iter()
            .map(|o| format!("{o:?}"))
            .collect::<Vec<_>>()));
    } else {
        for o in &outcomes {
            println!("{o:?}");
        }
    }
    anyhow::ensure!(failed == 0, "{failed} daily post(s) failed");
    Ok(())
}

/// `bench-probe` (internal): measure an existing index in this fresh process.
fn bench_probe(config: &Config, queries: usize, scan: usize) -> Result<()> {
    let p = crate::bench::probe(
        vec![config.library.clone()],
        config.data_dir.clone(),
        queries,
        scan,
        &config.search,
    )?;
    output::print_json(&serde_json::to_value(&p)?);
    Ok(())
}

const NO_TOKEN: &str = "no Discord bot token. Create an application at https://discord.com/developers/applications, \
add a Bot to it, copy its token, and start the bot with DISCORD_TOKEN=<token> commonplace serve \
(or put the token in a file and set discord.token_file in config/commonplace.toml). See README.md, \"Running the bot\".";

/// Wait for Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// `serve`: run the Discord bot until SIGTERM or Ctrl-C.
fn serve(mut config: Config) -> Result<()> {
    let token = config
        .token(|k| std::env::var(k).ok())?
        .ok_or_else(|| crate::error::Error::Config(NO_TOKEN.into()))?;
    // Essays added with /library add live here; it is always part of the library.
    let added = Library::added_dir(&config.data_dir);
    std::fs::create_dir_all(&added).with_context(|| format!("creating {}", added.display()))?;
    if config.discord.api_base_url.as_deref() == Some("") {
        config.discord.api_base_url = None;
    }
    let library = std::sync::Arc::new(open_library(&config, false)?);
    let unowned = crate::library::unowned_added_essays(&library);
    if !unowned.is_empty() {
        // Uploaded before circles had their own essays: whose they are is
        // unknown, so every circle keeps seeing them.
        tracing::warn!(
            essays = %unowned.join(", "),
            "{} added with /library add before circles existed: visible to every circle, removable only from the command line",
            crate::text::count(unowned.len() as u64, "essay was", "essays were")
        );
    }
    let state = std::sync::Arc::new(State::for_config(&config)?);
    std::thread::spawn(crate::text::lexicon::warm);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(crate::discord::serve(
        crate::discord::ServeOptions {
            config,
            token,
            library,
            state,
            clock: std::sync::Arc::new(crate::schedule::SystemClock),
            retry: crate::daily::Retry::default(),
        },
        shutdown_signal(),
    ))
}

/// `eval`: retrieval figures on a judged question set.
fn eval(config: &Config, set: &std::path::Path, verbose: bool, as_json: bool) -> Result<()> {
    let lib = open_library(config, false)?;
    let questions = crate::eval::EvalSet::load(set)?;
    let accessed = jiff::Zoned::now().date();
    let report = crate::eval::run(&lib.snapshot(), &questions, accessed)?;
    if as_json {
        output::print_json(&serde_json::to_value(&report)?);
        return Ok(());
    }
    if verbose {
        for o in &report.outcomes {
            let (at, text) = o.first.clone().unwrap_or_default();
            println!(
                "{}{} grade {} nDCG@5 {:.2} key {:?} {at}: {}",
                o.id,
                if o.held_out { "*" } else { "" },
                o.first_grade,
                o.ndcg5,
                o.key_hit,
                text.chars().take(140).collect::<String>()
            );
        }
    }
    println!(
        "| questions | n | nDCG@5 | P@1 (judged) | P@1 (answers) | recall@10 | key sentence |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, s) in [("development", &report.dev), ("held out", &report.held_out)] {
        println!(
            "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            s.questions, s.ndcg5, s.p1, s.p1_answer, s.recall10, s.key_sentence
        );
    }
    println!(
        "\nquote (ten per question): p50 {:.1} ms, p99 {:.1} ms",
        report.latency_ms.0, report.latency_ms.1
    );
    Ok(())
}

/// `bench`: build and probe each library, print the table.
fn bench(big_mb: u64, queries: usize, corpora: &std::path::Path, json_out: bool) -> Result<()> {
    use crate::bench;
    let work = tempfile_dir()?;
    let mut libs: Vec<(String, PathBuf, usize)> =
        vec![("seeds".into(), PathBuf::from("seeds"), 20)];
    if corpora.is_dir() {
        libs.push(("corpora".into(), corpora.to_path_buf(), 20));
    } else {
        eprintln!(
            "note: {} not found; skipping the corpora",
            corpora.display()
        );
    }
    if big_mb > 0 && corpora.is_dir() {
        let big = work.join("big-library");
        eprintln!("generating a ~{big_mb} MB library in {} …", big.display());
        bench::generate_library(corpora, &big, big_mb)?;
        libs.push((format!("generated {big_mb} MB"), big, 5));
    }
    let mut rows = Vec::new();
    for (name, root, scan_n) in libs {
        eprintln!("{name}: full rebuild …");
        let data = work.join(format!("data-{}", rows.len()));
        let build = bench::build(std::slice::from_ref(&root), &data, 3)?;
        eprintln!("{name}: probing in a fresh process …");
        let out = std::process::Command::new(std::env::current_exe()?)
            .args(["--library"])
            .arg(&root)
            .arg("--data-dir")
            .arg(&data)
            .args([
                "bench-probe",
                "--queries",
                &queries.to_string(),
                "--scan",
                &scan_n.to_string(),
            ])
            .stderr(std::process::Stdio::inherit())
            .output()?;
        anyhow::ensure!(out.status.success(), "probe failed for {name}");
        let probe: bench::Probe = serde_json::from_slice(&out.stdout)?;
        let add_one = if name.starts_with("generated") {
            let sample =
                crate::ingest::list_sources(std::slice::from_ref(&corpora.to_path_buf()))?.0;
            Some(bench::add_one(
                std::slice::from_ref(&root),
                &data,
                &sample[0].path,
            )?)
        } else {
            None
        };
        rows.push(
            json!({"library": name, "build": build, "probe": probe, "add_one_essay_s": add_one}),
        );
    }
    let _ = std::fs::remove_dir_all(&work);
    if json_out {
        output::print_json(&json!(rows));
        return Ok(());
    }
    output::bench_table(&rows);
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("commonplace-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
