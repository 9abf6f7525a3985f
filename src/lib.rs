//! commonplace: verified quotes, citations and discussion prompts from a
//! library of essays, for reading circles.
//!
//! The core (ingestion, index, search, citations, prompts, schedule, state)
//! knows nothing of Discord; the CLI and the bot are thin adapters over it.

pub mod error;
pub mod failpoint;
pub mod fsutil;
pub mod ingest;
pub mod model;
pub mod text;

pub use error::{Error, Result};
pub mod app;
pub mod bench;
pub mod circle;
pub mod citation;
pub mod cli;
pub mod config;
pub mod daily;
pub mod discord;
pub mod eval;
pub mod index;
pub mod index_dir;
pub mod library;
pub mod plan;
pub mod prompts;
pub mod schedule;
pub mod search;
pub mod state;
pub mod stemmer;
pub mod store;
