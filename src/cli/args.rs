//! The command line's arguments.

use crate::citation::Style;
use crate::prompts::PromptKind;
use clap::{Parser, Subcommand};
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

/// What `schedule` does.
#[derive(Debug, Subcommand)]
pub enum ScheduleAction {
    /// Post a prompt at a local time: daily, on weekdays, or every N days.
    Set {
        /// The channel's id.
        #[arg(long)]
        channel: u64,
        /// Local time, 24-hour HH:MM.
        #[arg(long)]
        time: String,
        /// IANA time zone, e.g. Europe/London.
        #[arg(long)]
        timezone: String,
        /// Only prompts from this essay.
        #[arg(long)]
        essay: Option<String>,
        /// A role's id to ping with each post.
        #[arg(long)]
        role: Option<u64>,
        /// Only on these weekdays, e.g. mon,thu.
        #[arg(long)]
        weekdays: Option<String>,
        /// Every N days instead, counted from today.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=365))]
        every_days: Option<u16>,
    },
    /// The schedule and its next post.
    Show,
    /// Stop posting (the settings are kept).
    Off,
    /// What a daily post would look like now (nothing recorded).
    Preview,
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
    /// Suggest a question for a circle's organisers to review (needs --circle).
    SuggestPrompt {
        /// The question.
        question: String,
        /// The essay it is about (default: the circle's current reading).
        #[arg(long)]
        essay: Option<String>,
        /// The paragraph it is about (default: the closest to the question).
        #[arg(long)]
        paragraph: Option<u32>,
        /// Your name, shown with the prompt if it is approved.
        #[arg(long)]
        member: String,
    },
    /// The suggestions waiting in a circle's queue (needs --circle).
    Queue,
    /// Approve a suggestion: it joins the circle's prompts, credited to its member.
    Approve {
        /// Its number, as `queue` lists it.
        id: i64,
    },
    /// Reject a suggestion.
    Reject {
        /// Its number, as `queue` lists it.
        id: i64,
    },
    /// Ban a prompt (by id, as `prompts` lists them) from every pool.
    BanPrompt {
        /// Prompt id.
        id: String,
    },
    /// Add an essay file to a circle's own library (needs --circle): only
    /// that circle sees it, as with /library add.
    AddEssay {
        /// A .txt or .md file.
        file: PathBuf,
        /// Title, if the text does not say.
        #[arg(long)]
        title: Option<String>,
        /// Author, if the text does not say.
        #[arg(long)]
        author: Option<String>,
        /// Date, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// Source URL.
        #[arg(long)]
        url: Option<String>,
    },
    /// A circle's daily prompt (needs --circle with its Discord server id).
    Schedule {
        /// What to do with the schedule.
        #[command(subcommand)]
        action: ScheduleAction,
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
    /// Retrieval figures on hand-judged questions: nDCG@5, P@1, recall@10 and
    /// the key-sentence rate, for the development and the held-out questions.
    /// Give the library the set was written for (--library).
    Eval {
        /// The question set.
        #[arg(long, default_value = "tests/fixtures/eval/seeds.toml")]
        set: PathBuf,
        /// Also list every question's first quote.
        #[arg(long)]
        verbose: bool,
    },
    /// Make the static embedding table from the semantic model (after
    /// `scripts/fetch-model`; needs the `semantic` build feature): one vector
    /// per word piece, for `[search] embedder = "static"`.
    DistillModel {
        /// Text files (or folders of them) whose paragraphs teach the table
        /// each word piece's meaning in context.
        #[arg(long)]
        corpus: Vec<PathBuf>,
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
