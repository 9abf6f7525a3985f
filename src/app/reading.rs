//! A circle's reading plan.

use super::App;
use crate::error::{Error, Result};
use crate::model::PlanEntry;
use std::collections::HashMap;

/// A reading to add, as an organiser types it.
#[derive(Debug, Clone, Default)]
pub struct ReadingRequest {
    /// The essay (id or part of its title).
    pub essay: String,
    /// First day, `YYYY-MM-DD` (default: today in the circle's time zone).
    pub starts: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: open-ended).
    pub ends: Option<String>,
    /// Only these paragraphs, e.g. `3-10`.
    pub paragraphs: Option<String>,
}

/// A circle's plan as of today.
#[derive(Debug, Clone)]
pub struct ReadingPlan {
    /// Its entries, in the order they start.
    pub entries: Vec<PlanEntry>,
    /// The entry being read today, if any.
    pub current: Option<i64>,
    /// Today, in the circle's time zone.
    pub today: jiff::civil::Date,
    /// Essay titles by id (an essay removed since has none).
    pub titles: HashMap<String, String>,
}

impl ReadingPlan {
    /// The plan as lines, the current entry marked with ▶.
    pub fn lines(&self) -> Vec<String> {
        crate::plan::describe(&self.entries, self.today, |id| self.titles.get(id).cloned())
    }
}

fn circle_required(circle: Option<&str>) -> Result<&str> {
    circle
        .ok_or_else(|| Error::InvalidInput("a reading plan is a circle's: give --circle ID".into()))
}

impl App {
    /// Add a reading to the circle's plan, validated against the essay the
    /// circle sees. Returns the stored entry and the essay's title.
    pub fn reading_add(
        &self,
        circle: Option<&str>,
        r: &ReadingRequest,
    ) -> Result<(PlanEntry, String)> {
        let circle = circle_required(circle)?;
        let snap = self.view(Some(circle));
        let entry = crate::plan::add_entry(
            self.state()?,
            &snap,
            circle,
            &r.essay,
            r.starts.as_deref(),
            r.ends.as_deref(),
            r.paragraphs.as_deref(),
            self.clock.now(),
        )?;
        let title = snap.essay(&entry.essay)?.meta.title.clone();
        Ok((entry, title))
    }

    /// The circle's plan.
    pub fn reading_plan(&self, circle: Option<&str>) -> Result<ReadingPlan> {
        let circle = circle_required(circle)?;
        let state = self.state()?;
        let entries = state.reading_plan(&crate::circle::key(circle))?;
        let today = crate::plan::circle_today(state, circle, self.clock.now())?;
        let snap = self.view(Some(circle));
        let titles = entries
            .iter()
            .filter_map(|e| {
                snap.essay(&e.essay)
                    .ok()
                    .map(|r| (e.essay.clone(), r.meta.title.clone()))
            })
            .collect();
        Ok(ReadingPlan {
            current: crate::plan::current(&entries, today).map(|e| e.id),
            entries,
            today,
            titles,
        })
    }

    /// Remove one reading by its number.
    pub fn reading_remove(&self, circle: Option<&str>, number: i64) -> Result<()> {
        let circle = circle_required(circle)?;
        if self
            .state()?
            .remove_reading(&crate::circle::key(circle), number)?
        {
            Ok(())
        } else {
            Err(Error::InvalidInput(format!(
                "the reading plan has no #{number}; `reading show` lists them"
            )))
        }
    }

    /// Empty the plan; returns how many readings it had.
    pub fn reading_clear(&self, circle: Option<&str>) -> Result<usize> {
        let circle = circle_required(circle)?;
        self.state()?
            .clear_reading_plan(&crate::circle::key(circle))
    }
}
