//! The application: one method per use case (quote, cite, prompt, essays,
//! add or remove an essay, reading plan, schedule), each taking the circle
//! that asks and returning a complete answer. The CLI and the Discord bot
//! are thin adapters over it: they parse, call one method, and render, so
//! the same request gets the same answer through both. Policy (which essay
//! a prompt comes from when none is named, bans, the reading plan's focus,
//! validating organiser input) lives here once.
//!
//! A circle is `Some(id)` (a Discord server id, or `--circle ID`); `None`
//! is the shared library alone.

mod essays;
mod prompts;
mod reading;
mod schedule;
mod search;
mod suggestions;

pub use essays::{EssayText, Upload};
pub use prompts::{PromptQuery, PromptWanted};
pub use reading::{ReadingPlan, ReadingRequest};
pub use schedule::{describe as describe_schedule, Names, ScheduleRequest, ScheduleStatus};
pub use search::{CiteAnswer, Found, QuoteAnswer, QuoteQuery, Where};
pub use suggestions::{Decision, Member, QueuedSuggestion, MAX_PENDING_PER_MEMBER};

use crate::citation::Style;
use crate::config::Config;
use crate::error::Result;
use crate::library::{Library, Snapshot};
use crate::model::PlanEntry;
use crate::prompts::PromptEngine;
use crate::schedule::Clock;
use crate::state::State;
use std::sync::{Arc, OnceLock};

/// The core, as both adapters see it.
pub struct App {
    library: Arc<Library>,
    /// Opened on first use: a quote or cite without a circle needs no state,
    /// so a read-only data directory still answers them.
    state: OnceLock<Arc<State>>,
    engine: Arc<PromptEngine>,
    /// The last library version brought in from the state store.
    uploads_seen: std::sync::atomic::AtomicU64,
    config: Config,
    clock: Arc<dyn Clock>,
}

impl App {
    /// An application over an opened library. `state` may be given (the bot
    /// opens it at start) or left to be opened from the config (its database
    /// URL, else its data directory) when a use case first needs it.
    pub fn new(
        library: Arc<Library>,
        state: Option<Arc<State>>,
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> App {
        let cell = OnceLock::new();
        if let Some(s) = state {
            let _ = cell.set(s);
        }
        App {
            library,
            state: cell,
            engine: Arc::new(PromptEngine::new()),
            uploads_seen: std::sync::atomic::AtomicU64::new(0),
            config,
            clock,
        }
    }

    /// The library.
    pub fn library(&self) -> &Arc<Library> {
        &self.library
    }

    /// The state store, opened on first use.
    pub fn state(&self) -> Result<&Arc<State>> {
        if let Some(s) = self.state.get() {
            return Ok(s);
        }
        let opened = Arc::new(State::for_config(&self.config)?);
        // Another thread may have opened it meanwhile: either copy will do.
        let _ = self.state.set(opened);
        Ok(self.state.get().expect("just set"))
    }

    /// Prompt pools.
    pub fn engine(&self) -> &Arc<PromptEngine> {
        &self.engine
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The clock (the fake one in tests).
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The configured citation style, unless the request names one.
    pub fn style(&self, asked: Option<Style>) -> Style {
        asked.unwrap_or(self.config.citations.style)
    }

    /// Today (UTC) for citations' access dates: the same day through both
    /// adapters.
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date()
    }

    /// What a circle sees: its own essays and the shared library.
    pub fn view(&self, circle: Option<&str>) -> Arc<Snapshot> {
        self.library.view(circle)
    }

    /// The circle's current reading, unless the request named an essay or
    /// asked for the whole library. No circle: no plan (and no state read).
    fn focus(
        &self,
        circle: Option<&str>,
        essay_given: bool,
        whole_library: bool,
    ) -> Result<Option<PlanEntry>> {
        match circle {
            Some(c) if !essay_given && !whole_library => {
                crate::plan::current_reading(self.state()?, c, self.clock.now())
            }
            _ => Ok(None),
        }
    }
}
