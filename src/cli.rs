//! The command-line adapter: arguments in, core calls, JSON or plain text out.

use crate::citation::Style;
use crate::config::Config;
use crate::library::{Library, LibraryOptions};
use crate::prompts::{self, Prompt, PromptEngine, PromptKind};
use crate::search::{cite, quote};
use crate::state::State;
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use serde_json::json;
use std::path::PathBuf;

/// commonplace: verified quotes, citations and discussion prompts for reading circles.
#[derive(Debug, Parser)]
#[command(name = "commonplace", version, about)]
pub struct Cli {
    /// Library folder (overrides the config's `library`).
    #[arg(long, global = true)]
    pub library: Option<PathBuf>,
    /// Data directory (overrides the config's `data_dir`).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Config file (default: config/commonplace.toml if present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Print exactly one JSON value on stdout (on failure, `{"error": …}`).
    #[arg(long, global = true)]
    pub json: bool,
    /// Citation style: mla, apa or chicago (default: the config's).
    #[arg(long, global = true)]
    pub style: Option<Style>,
    /// Answer as this reading circle sees the library (its Discord server
    /// id): its own essays and the shared library. Without it: the shared
    /// library only.
    #[arg(long, global = true)]
    pub circle: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// What `reading` does.
#[derive(Debug, Subcommand)]
pub enum ReadingAction {
    /// Add a reading: an essay, from a day (default: today, in the circle's
    /// time zone) to a day (default: open-ended), optionally some paragraphs.
    Add {
        /// The essay (id or part of its title).
        essay: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        starts: Option<String>,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        ends: Option<String>,
        /// Only these paragraphs, e.g. 3-10.
        #[arg(long)]
        paragraphs: Option<String>,
    },
    /// The plan, the current reading marked ▶.
    Show,
    /// Remove one reading by its number.
    Remove {
        /// The number `reading show` gives.
        number: i64,
    },
    /// Empty the plan.
    Clear,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the essays in the library.
    Essays,
    /// Find quotes on a topic.
    Quote {
        /// The topic, in plain words.
        topic: String,
        /// Only this essay (id or part of its title).
        #[arg(long)]
        essay: Option<String>,
        /// Only this speaker (interviews).
        #[arg(long)]
        speaker: Option<String>,
        /// How many quotes (1-10).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=10))]
        limit: u8,
        /// With --circle: the whole library, not only the circle's current reading.
        #[arg(long)]
        whole_library: bool,
    },
    /// Find the source of a quote, even misquoted.
    Cite {
        /// The quote as you have it.
        text: String,
    },
    /// A discussion prompt grounded in a quoted passage.
    Prompt {
        /// Only this essay (id or part of its title).
        #[arg(long)]
        essay: Option<String>,
        /// Only this kind: interpretive, evaluative, assumption, application, comparison, custom.
        #[arg(long)]
        kind: Option<PromptKind>,
        /// Make the choice reproducible.
        #[arg(long)]
        seed: Option<u64>,
        /// With --circle: the whole library, not only the circle's current reading.
        #[arg(long)]
        whole_library: bool,
    },
    /// A circle's reading plan (needs --circle): what it reads, and when.
    Reading {
        /// What to do with the plan.
        #[command(subcommand)]
        action: ReadingAction,
    },
    /// List an essay's whole ranked prompt pool, for review.
    Prompts {
        /// The essay (id or part of its title).
        #[arg(long)]
        essay: String,
    },
    /// Add your own question to an essay's prompt pool.
    AddPrompt {
        /// The essay (id or part of its title).
        #[arg(long)]
        essay: String,
        /// The paragraph the question is about (its quote is shown with it).
        #[arg(long)]
        paragraph: u32,
        /// The question.
        question: String,
    },
    /// Ban a prompt (by id, as `prompts` lists them) from every pool.
    BanPrompt {
        /// Prompt id.
        id: String,
    },
    /// Remove an essay added through the bot (with --circle: one of that
    /// circle's own; without: any, including those added before circles).
    RemoveEssay {
        /// The essay id.
        essay: String,
    },
    /// Show an essay's cleaned text with paragraph numbers (the locators).
    Show {
        /// Essay id or part of its title.
        essay: String,
    },
    /// Rebuild the search index from scratch.
    Index,
    /// Run the Discord bot.
    Serve,
    /// Benchmarks: indexing, quote/cite/prompt latency vs a linear scan, start-up, memory.
    Bench {
        /// Also generate and measure a library of about this many MB (e.g. 300).
        #[arg(long, default_value_t = 0)]
        big_mb: u64,
        /// Queries (topics and misquotes) per library.
        #[arg(long, default_value_t = 300)]
        queries: usize,
        /// The public-domain corpora (shipped with the repository's tests).
        #[arg(long, default_value = "tests/fixtures/corpora")]
        corpora: PathBuf,
    },
    /// Post every daily prompt that is due now, once, and exit (for cron-style
    /// deployments and recovery; `serve` does this on its own).
    PostDue {
        /// Pretend it is this instant (RFC 3339), e.g. 2026-11-23T09:00:00Z.
        #[arg(long)]
        now: Option<jiff::Timestamp>,
    },
    /// (internal) measure an existing index in a fresh process; prints JSON.
    #[command(hide = true)]
    BenchProbe {
        /// Queries.
        #[arg(long, default_value_t = 300)]
        queries: usize,
        /// Queries also answered by a linear scan.
        #[arg(long, default_value_t = 20)]
        scan: usize,
    },
}

/// Today's date in the local time zone (for citation access dates).
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// A reading-plan entry as JSON.
fn reading_json(e: &crate::plan::PlanEntry) -> serde_json::Value {
    json!({
        "number": e.id,
        "essay_id": e.essay,
        "starts": e.starts.to_string(),
        "ends": e.ends.map(|d| d.to_string()),
        "paragraphs": e.paragraphs.map(|(a, b)| json!([a, b])),
    })
}

fn open_library(config: &Config, force: bool) -> Result<Library> {
    let options = LibraryOptions {
        roots: library_roots(config),
        data_dir: config.data_dir.clone(),
    };
    let (lib, report) = if force {
        Library::rebuild(options)
    } else {
        Library::open(options)
    }
    .with_context(|| format!("opening the library at {}", config.library.display()))?;
    for s in &report.skipped {
        tracing::warn!(file = %s.path, reason = %s.reason, "library file skipped");
    }
    for w in &report.warnings {
        tracing::warn!(file = %w.path, reason = %w.reason, "library file read with fallback");
    }
    tracing::info!(action = %report.action, files = report.parsed_files, "index ready");
    Ok(lib)
}

/// The library folders: the configured one, and essays added through the bot.
pub fn library_roots(config: &Config) -> Vec<PathBuf> {
    let mut roots = vec![config.library.clone()];
    let added = Library::added_dir(&config.data_dir);
    if added.is_dir() {
        roots.push(added);
    }
    roots
}

/// Load the config with command-line overrides applied.
pub fn load_config(cli: &Cli) -> Result<Config> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(l) = &cli.library {
        config.library = l.clone();
    }
    if let Some(d) = &cli.data_dir {
        config.data_dir = d.clone();
    }
    Ok(config)
}

fn print_prompt(p: &Prompt) {
    println!("{}\n", p.question);
    let who = p
        .speaker
        .as_deref()
        .map(|s| format!("{s}, in "))
        .unwrap_or_default();
    println!(
        "  “{}”\n  — {who}{}, ¶{}\n  {}",
        p.quote, p.title, p.paragraph, p.citation
    );
    if let Some(b) = &p.compare_with {
        let who = b
            .speaker
            .as_deref()
            .map(|s| format!("{s}, in "))
            .unwrap_or_default();
        println!(
            "\n  “{}”\n  — {who}{}, ¶{}\n  {}",
            b.quote, b.title, b.paragraph, b.citation
        );
    }
    println!();
}

fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).expect("json"));
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
    let state = std::sync::Arc::new(State::open(&config.data_dir)?);
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

fn run_bench(big_mb: u64, queries: usize, corpora: &std::path::Path, json_out: bool) -> Result<()> {
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
        print_json(&json!(rows));
        return Ok(());
    }
    println!("| library | essays | source MB | rebuild s (median; runs) | MB/s | index MB | start-up ms | RSS ready/serving/peak MB | serving RSS anon/file MB | quote p50/p99 ms | cite p50/p99 ms | cite right | prompt p50/p99 ms | pool (cold) p50 ms | scan p50 ms | scan/quote p50 | add 1 essay s |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let b = &r["build"];
        let p = &r["probe"];
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
        let mb = |v: &serde_json::Value| f(v) / 1_048_576.0;
        let kib = |v: &serde_json::Value| f(v) / 1024.0;
        println!(
            "| {} | {} | {:.1} | {:.2} ({}) | {:.1} | {:.1} | {:.0} | {:.0}/{:.0}/{:.0} | {:.0}/{:.0} | {:.2}/{:.2} | {:.2}/{:.2} | {}/{} | {:.3}/{:.3} | {:.0} | {:.0} | {:.0}x | {} |",
            r["library"].as_str().unwrap_or(""),
            b["essays"],
            mb(&b["source_bytes"]),
            f(&b["seconds"]),
            b["runs_s"]
                .as_array()
                .map(|r| r
                    .iter()
                    .map(|v| format!("{:.2}", f(v)))
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default(),
            f(&b["mb_per_s"]),
            mb(&b["index_bytes"]),
            f(&p["startup_ms"]),
            kib(&p["rss_ready_kib"]),
            kib(&p["rss_serving_kib"]),
            kib(&p["rss_peak_kib"]),
            kib(&p["rss_anon_kib"]),
            kib(&p["rss_file_kib"]),
            f(&p["quote"]["p50_ms"]),
            f(&p["quote"]["p99_ms"]),
            f(&p["cite"]["p50_ms"]),
            f(&p["cite"]["p99_ms"]),
            p["cite_found"],
            p["cite"]["n"],
            f(&p["prompt"]["p50_ms"]),
            f(&p["prompt"]["p99_ms"]),
            f(&p["prompt_pool"]["p50_ms"]),
            f(&p["scan"]["p50_ms"]),
            f(&p["scan"]["p50_ms"]) / f(&p["quote"]["p50_ms"]).max(1e-9),
            r["add_one_essay_s"].as_f64().map(|s| format!("{s:.2}")).unwrap_or_else(|| "—".into()),
        );
    }
    // What a circle's scope (the owner filter) costs, same queries.
    for r in &rows {
        let p = &r["probe"];
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
        println!(
            "{}: quote p50/p99 {:.2}/{:.2} ms without a circle, {:.2}/{:.2} ms as a circle; cite {:.2}/{:.2} ms, {:.2}/{:.2} ms as a circle",
            r["library"].as_str().unwrap_or(""),
            f(&p["quote_shared"]["p50_ms"]),
            f(&p["quote_shared"]["p99_ms"]),
            f(&p["quote_circle"]["p50_ms"]),
            f(&p["quote_circle"]["p99_ms"]),
            f(&p["cite_shared"]["p50_ms"]),
            f(&p["cite_shared"]["p99_ms"]),
            f(&p["cite_circle"]["p50_ms"]),
            f(&p["cite_circle"]["p99_ms"]),
        );
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("commonplace-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The JSON value printed on stdout for a failed command with `--json`:
/// `{"error": {"kind": …, "message": …}}`, where `kind` tells what the
/// caller asked wrong (`not_found`, `invalid_input`) from what is broken.
pub fn error_json(e: &anyhow::Error) -> serde_json::Value {
    use crate::error::Error;
    let kind = match e.downcast_ref::<Error>() {
        Some(Error::EssayNotFound(_) | Error::SpeakerNotFound(_)) => "not_found",
        Some(Error::InvalidInput(_) | Error::Schedule(_)) => "invalid_input",
        Some(Error::Library { .. } | Error::Config(_)) => "config",
        Some(Error::DiskFull { .. }) => "disk_full",
        Some(_) => "broken",
        None => "error",
    };
    json!({"error": {"kind": kind, "message": format!("{e:#}")}})
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let config = load_config(&cli)?;
    if let Some(c) = cli.circle.as_deref() {
        crate::library::validate_circle(c)?;
    }
    let circle = cli.circle.as_deref();
    match &cli.command {
        Command::Essays => {
            let lib = open_library(&config, false)?;
            let snap = lib.view(circle);
            let list: Vec<serde_json::Value> = snap
                .essays()
                .iter()
                .map(|e| {
                    json!({
                        "id": e.meta.id,
                        "title": e.meta.title,
                        "subtitle": e.meta.subtitle,
                        "authors": e.meta.authors,
                        "speakers": e.speakers.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
                        "interviewers": e.speakers.iter().filter(|s| s.role == crate::model::SpeakerRole::Interviewer).map(|s| s.name.clone()).collect::<Vec<_>>(),
                        "publication": e.meta.publication,
                        "date": e.meta.date.map(|d| d.iso()),
                        "first_published": e.meta.first_published.map(|d| d.iso()),
                        "url": e.meta.url,
                        "paragraphs": e.paragraphs,
                        "notes": e.notes.len(),
                        "file": e.meta.source_path,
                    })
                })
                .collect();
            if cli.json {
                print_json(&json!(list));
            } else {
                for e in snap.essays() {
                    let who = e.credit_line();
                    println!(
                        "{}\n  {} — {}{} ({})",
                        e.meta.id,
                        e.meta.title,
                        who,
                        e.meta
                            .date
                            .map(|d| format!(", {}", d.iso()))
                            .unwrap_or_default(),
                        crate::text::count(u64::from(e.paragraphs), "paragraph", "paragraphs")
                    );
                }
            }
        }
        Command::Quote {
            topic,
            essay,
            speaker,
            limit,
            whole_library,
        } => {
            let lib = open_library(&config, false)?;
            let mut req = quote::QuoteRequest {
                topic: topic.clone(),
                essay: essay.clone(),
                speaker: speaker.clone(),
                limit: usize::from(*limit),
                exclude: Vec::new(),
                style: cli.style.unwrap_or(config.citations.style),
            };
            let snap = lib.view(circle);
            // With --circle, its current reading, as in its Discord server
            // (without, the state store is not needed: a read-only data
            // directory still answers).
            let focus = match circle {
                Some(_) => crate::plan::focus(
                    &State::open(&config.data_dir)?,
                    circle,
                    essay.is_some(),
                    *whole_library,
                    jiff::Timestamp::now(),
                )?,
                None => None,
            };
            if let Some(entry) = &focus {
                if let Ok(rec) = snap.essay(&entry.essay) {
                    crate::plan::narrow_quotes(&mut req, entry, rec.paragraphs);
                }
            }
            let quotes = quote::find_quotes(&snap, &req, today())?;
            if cli.json {
                print_json(&json!(quotes
                    .iter()
                    .map(|q| json!({
                        "text": q.text,
                        "essay_id": q.essay_id,
                        "title": q.title,
                        "speaker": q.speaker,
                        "attribution": q.attribution,
                        "quoted_from": q.quoted_from,
                        "paragraph": q.paragraph,
                        "citation": q.citation,
                        "reference": q.cite.reference,
                        "in_text": q.cite.in_text,
                        "markdown": q.cite.markdown,
                        "signal": q.cite.signal,
                        "parts": q.cite.parts,
                    }))
                    .collect::<Vec<_>>()));
            } else if quotes.is_empty() {
                println!("No quotes found on that topic.");
            } else {
                for q in quotes {
                    let who = q
                        .attribution
                        .as_deref()
                        .map(|s| format!("{s}, in "))
                        .unwrap_or_default();
                    println!(
                        "“{}”\n  — {}{}, ¶{}\n  {}\n",
                        q.text, who, q.title, q.paragraph, q.citation
                    );
                }
            }
        }
        Command::Cite { text } => {
            let lib = open_library(&config, false)?;
            let r = cite::find_source(
                &lib.view(circle),
                text,
                cli.style.unwrap_or(config.citations.style),
                today(),
            )?;
            let who = r
                .speaker
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            if cli.json {
                print_json(&serde_json::to_value(&r)?);
            } else if r.verdict == crate::search::verdict::Verdict::Altered {
                println!(
                    "Altered: the library says something different, so this quote is not attributed.\nIn “{}”{who}, ¶{} (differing words in **bold**):\n\nYou quoted:    “{}”\nThe text says: “{}”\n\nWhat differs: {}",
                    r.title.as_deref().unwrap_or(""),
                    r.paragraph.unwrap_or(0),
                    r.quote_marked.as_deref().unwrap_or(""),
                    r.passage_marked.as_deref().unwrap_or(""),
                    cite::describe_differences(&r.differences)
                );
            } else if r.found {
                if r.verdict != crate::search::verdict::Verdict::Verbatim {
                    println!(
                        "Misquoted, meaning kept: {}",
                        cite::describe_differences(&r.differences)
                    );
                }
                println!(
                    "Found ({:.0}% match) in “{}”{who}, ¶{}:\n\n“{}”\n\n{}",
                    r.confidence * 100.0,
                    r.title.as_deref().unwrap_or(""),
                    r.paragraph.unwrap_or(0),
                    r.matched_text.as_deref().unwrap_or(""),
                    r.citation.as_deref().unwrap_or("")
                );
            } else {
                println!("Not found in this library: this quote could not be verified.");
                if let Some(s) = r.suggestion {
                    println!(
                        "\nClosest passage ({:.0}% match), “{}”, ¶{}:\n“{}”",
                        s.confidence * 100.0,
                        s.title,
                        s.paragraph,
                        s.text
                    );
                }
            }
        }
        Command::Prompt {
            essay,
            kind,
            seed,
            whole_library,
        } => {
            // With --circle, the circle's history: no repeats until its pool
            // is used up (the same history its Discord server keeps).
            let history = circle.map(crate::daily::history_key);
            let lib = open_library(&config, false)?;
            let snap = lib.view(circle);
            let state = State::open(&config.data_dir)?;
            let style = cli.style.unwrap_or(config.citations.style);
            let engine = PromptEngine::new();
            // Without a circle or an essay, one essay is drawn first: no need
            // to generate the whole library's pool for one question.
            let essay_id = match (essay, circle) {
                (Some(e), _) => Some(snap.essays()[snap.resolve_essay(e)?].meta.id.clone()),
                (None, None) => {
                    use rand::{Rng, SeedableRng};
                    let mut rng = match seed {
                        Some(s) => rand::rngs::StdRng::seed_from_u64(*s),
                        None => rand::rngs::StdRng::from_entropy(),
                    };
                    let n = snap.essays().len();
                    anyhow::ensure!(n > 0, "the library is empty");
                    Some(snap.essays()[rng.gen_range(0..n)].meta.id.clone())
                }
                (None, Some(_)) => None,
            };
            let focus = crate::plan::focus(
                &state,
                circle,
                essay.is_some(),
                *whole_library,
                jiff::Timestamp::now(),
            )?;
            let essay_id = essay_id.or_else(|| focus.as_ref().map(|f| f.essay.clone()));
            let mut pool = engine.pool(
                &snap,
                essay_id.as_deref(),
                Some(&state),
                history.as_deref(),
                style,
                today(),
            )?;
            if let Some(entry) = &focus {
                crate::plan::narrow_prompts(&mut pool, entry);
            }
            let picked = prompts::pick(&pool, *kind, history.as_deref(), Some(&state), *seed)?;
            if cli.json {
                let mut v = serde_json::to_value(&picked.prompt)?;
                v["started_over"] = json!(picked.started_over);
                v["remaining"] = json!(picked.remaining);
                print_json(&v);
            } else {
                if picked.started_over {
                    println!("(This circle has seen every prompt in its pool; starting over.)\n");
                }
                print_prompt(&picked.prompt);
            }
        }
        Command::Prompts { essay } => {
            let lib = open_library(&config, false)?;
            let snap = lib.view(circle);
            let state = State::open(&config.data_dir)?;
            let id = snap.essays()[snap.resolve_essay(essay)?].meta.id.clone();
            let history = circle.map(crate::daily::history_key);
            let banned = state.banned(history.as_deref())?;
            let pool: Vec<Prompt> = PromptEngine::new()
                .pool(
                    &snap,
                    Some(&id),
                    Some(&state),
                    history.as_deref(),
                    cli.style.unwrap_or(config.citations.style),
                    today(),
                )?
                .into_iter()
                .filter(|p| !banned.contains(&p.id))
                .collect();
            if cli.json {
                print_json(&serde_json::to_value(&pool)?);
            } else {
                println!("{} prompts for {id}\n", pool.len());
                for p in &pool {
                    println!("[{}] ({})", p.id, p.kind);
                    print_prompt(p);
                }
            }
        }
        Command::AddPrompt {
            essay,
            paragraph,
            question,
        } => {
            let lib = open_library(&config, false)?;
            let snap = lib.view(circle);
            let id = snap.essays()[snap.resolve_essay(essay)?].meta.id.clone();
            snap.paragraph(&id, *paragraph)?;
            let question = question.trim();
            if question.is_empty() {
                return Err(
                    crate::error::Error::InvalidInput("the question is empty".into()).into(),
                );
            }
            // With --circle, the question is that circle's; without, every
            // circle's (the operator's).
            let history = circle.map(crate::daily::history_key);
            let n = State::open(&config.data_dir)?.add_custom_prompt(
                history.as_deref(),
                &id,
                *paragraph,
                question,
            )?;
            if cli.json {
                print_json(
                    &json!({"id": format!("custom-{n}"), "essay_id": id, "paragraph": paragraph}),
                );
            } else {
                println!("Added prompt custom-{n} to {id}, paragraph {paragraph}.");
            }
        }
        Command::BanPrompt { id } => {
            let id = id.trim();
            let lib = open_library(&config, false)?;
            let state = State::open(&config.data_dir)?;
            let history = circle.map(crate::daily::history_key);
            let known = PromptEngine::new()
                .pool(
                    &lib.view(circle),
                    None,
                    Some(&state),
                    history.as_deref(),
                    config.citations.style,
                    today(),
                )?
                .iter()
                .any(|p| p.id == id);
            if !known {
                return Err(crate::error::Error::InvalidInput(format!(
                    "no prompt with id `{id}` in this library; `commonplace prompts --essay ID` lists an essay's prompts with their ids"
                ))
                .into());
            }
            // With --circle, banned for that circle; without, everywhere.
            state.ban_prompt(history.as_deref(), id)?;
            if cli.json {
                print_json(&json!({"banned": id}));
            } else {
                println!("Banned prompt {id}.");
            }
        }
        Command::Reading { action } => {
            let Some(c) = circle else {
                anyhow::bail!(crate::error::Error::InvalidInput(
                    "a reading plan is a circle's: give --circle ID".into()
                ));
            };
            let state = State::open(&config.data_dir)?;
            let key = crate::daily::history_key(c);
            let now = jiff::Timestamp::now();
            match action {
                ReadingAction::Add {
                    essay,
                    starts,
                    ends,
                    paragraphs,
                } => {
                    let lib = open_library(&config, false)?;
                    let e = crate::plan::add_entry(
                        &state,
                        &lib.view(circle),
                        c,
                        essay,
                        starts.as_deref(),
                        ends.as_deref(),
                        paragraphs.as_deref(),
                        now,
                    )?;
                    if cli.json {
                        print_json(&reading_json(&e));
                    } else {
                        println!("Added reading #{} ({}).", e.id, e.essay);
                    }
                }
                ReadingAction::Show => {
                    let lib = open_library(&config, false)?;
                    let snap = lib.view(circle);
                    let plan = state.reading_plan(&key)?;
                    let today = crate::plan::circle_today(&state, c, now)?;
                    if cli.json {
                        let current = crate::plan::current(&plan, today).map(|e| e.id);
                        print_json(&json!(plan
                            .iter()
                            .map(|e| {
                                let mut v = reading_json(e);
                                v["current"] = json!(Some(e.id) == current);
                                v
                            })
                            .collect::<Vec<_>>()));
                    } else if plan.is_empty() {
                        println!("The reading plan is empty.");
                    } else {
                        for line in crate::plan::describe(&plan, today, |id| {
                            snap.essay(id).ok().map(|r| r.meta.title.clone())
                        }) {
                            println!("{line}");
                        }
                    }
                }
                ReadingAction::Remove { number } => {
                    if !state.remove_reading(&key, *number)? {
                        anyhow::bail!(crate::error::Error::InvalidInput(format!(
                            "the reading plan has no #{number}"
                        )));
                    }
                    if cli.json {
                        print_json(&json!({"removed": number}));
                    } else {
                        println!("Removed reading #{number}.");
                    }
                }
                ReadingAction::Clear => {
                    let n = state.clear_reading_plan(&key)?;
                    if cli.json {
                        print_json(&json!({"removed": n}));
                    } else {
                        println!("Cleared the reading plan ({n} removed).");
                    }
                }
            }
        }
        Command::RemoveEssay { essay } => {
            let lib = open_library(&config, false)?;
            let title = crate::library::remove_added_essay(&lib, circle, essay)?;
            if cli.json {
                print_json(&json!({"removed": title}));
            } else {
                println!("Removed “{title}”.");
            }
        }
        Command::Show { essay } => {
            let lib = open_library(&config, false)?;
            let snap = lib.view(circle);
            let rec = &snap.essays()[snap.resolve_essay(essay)?];
            let paragraphs = snap.paragraphs(&rec.meta.id)?;
            if cli.json {
                print_json(&json!({
                    "id": rec.meta.id,
                    "title": rec.meta.title,
                    "speakers": rec.speakers,
                    "notes": rec.notes,
                    "paragraphs": paragraphs.iter().map(|p| json!({
                        "number": p.number,
                        "speaker": rec.speaker_name(p.speaker),
                        "turn": p.turn,
                        "section": p.section,
                        "notes": p.notes,
                        "text": p.text,
                        "sentences": p.sentences.len(),
                    })).collect::<Vec<_>>(),
                }));
            } else {
                println!("{}\n", rec.meta.title);
                let mut section = None;
                for p in &paragraphs {
                    if p.section != section {
                        section = p.section.clone();
                        if let Some(s) = &section {
                            println!("## {s}\n");
                        }
                    }
                    let who = rec
                        .speaker_name(p.speaker)
                        .map(|s| format!("{s}: "))
                        .unwrap_or_default();
                    println!("[{}] {who}{}\n", p.number, p.text);
                }
                for n in &rec.notes {
                    println!("[^{}] {}", n.number, n.text);
                }
            }
        }
        Command::Index => {
            let lib = open_library(&config, true)?;
            let snap = lib.snapshot();
            let n = snap.essays().len();
            if cli.json {
                print_json(&json!({"essays": n}));
            } else {
                println!("Indexed {n} essays into {}", config.data_dir.display());
            }
        }
        Command::Serve => serve(config)?,
        Command::PostDue { now } => {
            let token = config
                .token(|k| std::env::var(k).ok())?
                .ok_or_else(|| crate::error::Error::Config(NO_TOKEN.into()))?;
            let lib = open_library(&config, false)?;
            let state = State::open(&config.data_dir)?;
            let http = crate::discord::http_client(&token, config.discord.api_base_url.as_deref());
            let poster = crate::discord::poster::SerenityPoster::new(
                std::sync::Arc::new(http),
                &token,
                config.discord.api_base_url.as_deref(),
            );
            let now = now.unwrap_or_else(jiff::Timestamp::now);
            let runtime = tokio::runtime::Runtime::new()?;
            let engine = PromptEngine::new();
            let posts = crate::daily::DailyPosts {
                lib: &lib,
                engine: &engine,
                state: &state,
                poster: &poster,
                style: config.citations.style,
                retry: crate::daily::Retry::default(),
            };
            let outcomes = runtime.block_on(posts.run_due(now));
            let failed = outcomes
                .iter()
                .filter(|o| matches!(o, crate::daily::Outcome::Failed { .. }))
                .count();
            if cli.json {
                print_json(&json!(outcomes
                    .iter()
                    .map(|o| format!("{o:?}"))
                    .collect::<Vec<_>>()));
            } else {
                for o in &outcomes {
                    println!("{o:?}");
                }
            }
            anyhow::ensure!(failed == 0, "{failed} daily post(s) failed");
        }
        Command::BenchProbe { queries, scan } => {
            let p = crate::bench::probe(
                vec![config.library.clone()],
                config.data_dir.clone(),
                *queries,
                *scan,
            )?;
            print_json(&serde_json::to_value(&p)?);
        }
        Command::Bench {
            big_mb,
            queries,
            corpora,
        } => run_bench(*big_mb, *queries, corpora, cli.json)?,
    }
    Ok(())
}
