//! Discussion prompts: choosing one, listing a pool, organisers' own
//! questions and bans.

use super::App;
use crate::citation::Style;
use crate::error::{Error, Result};
use crate::library::Snapshot;
use crate::prompts::{pick, Picked, Prompt, PromptKind};

/// What a member asks `prompt` for.
#[derive(Debug, Clone, Default)]
pub struct PromptQuery {
    /// Only this essay (id or part of its title).
    pub essay: Option<String>,
    /// Only this kind.
    pub kind: Option<PromptKind>,
    /// Make the choice reproducible.
    pub seed: Option<u64>,
    /// The whole library, not only the circle's current reading.
    pub whole_library: bool,
    /// Citation style (default: the configured one).
    pub style: Option<Style>,
}

/// Whether a chosen prompt is recorded in the circle's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptWanted {
    /// Posted to the circle: recorded, so it does not come again until the
    /// pool is used up.
    ToPost,
    /// Only looked at (an organiser's preview): nothing recorded.
    ToPreview,
}

impl App {
    fn essay_id(&self, snap: &Snapshot, essay: &str) -> Result<String> {
        Ok(snap.essays()[snap.resolve_essay(essay)?].meta.id.clone())
    }

    /// A discussion prompt for the circle. The essay it comes from: the one
    /// asked for; else the circle's current reading; else, for a circle,
    /// its whole library (its history keeps it from repeating), and without
    /// a circle one essay drawn at random first (no history to spread over
    /// the library, and no need to build every essay's pool for one
    /// question).
    pub fn prompt(
        &self,
        circle: Option<&str>,
        q: &PromptQuery,
        wanted: PromptWanted,
    ) -> Result<Picked> {
        let snap = self.view(circle);
        let key = circle.map(crate::circle::key);
        let focus = self.focus(circle, q.essay.is_some(), q.whole_library)?;
        let essay_id = match (&q.essay, &focus, circle) {
            (Some(e), _, _) => Some(self.essay_id(&snap, e)?),
            (None, Some(entry), _) => Some(entry.essay.clone()),
            (None, None, None) => Some(seeded_essay(&snap, q.seed)?),
            (None, None, Some(_)) => None,
        };
        // Without a circle the operator's own questions and bans still apply.
        let state = self.state()?.as_ref();
        let mut pool = self.engine.pool(
            &snap,
            essay_id.as_deref(),
            Some(state),
            key.as_deref(),
            self.style(q.style),
            self.today(),
        )?;
        // An essay drawn for the member may have nothing to discuss (a
        // scene, a list): the next essays in the library's order are tried.
        if pool.is_empty() && circle.is_none() && q.essay.is_none() {
            if let Some(start) = essay_id.as_deref().and_then(|id| snap.essay_index(id).ok()) {
                let n = snap.essays().len();
                for k in 1..n {
                    let id = &snap.essays()[(start + k) % n].meta.id;
                    pool = self.engine.pool(
                        &snap,
                        Some(id),
                        Some(state),
                        None,
                        self.style(q.style),
                        self.today(),
                    )?;
                    if !pool.is_empty() {
                        break;
                    }
                }
            }
        }
        if let Some(entry) = &focus {
            crate::plan::narrow_prompts(&mut pool, entry);
        }
        // Without a circle a seed chose the essay (seed mod essays); what is
        // left of it walks that essay's pool, so consecutive seeds differ.
        let seed = match (
            circle,
            essay_id.is_some() && q.essay.is_none() && focus.is_none(),
        ) {
            (None, true) => q.seed.map(|s| s / snap.essays().len().max(1) as u64),
            _ => q.seed,
        };
        match wanted {
            PromptWanted::ToPost => pick(&pool, q.kind, key.as_deref(), Some(state), seed),
            PromptWanted::ToPreview => {
                // The circle's bans apply; its history is neither read nor
                // written.
                let banned = state.banned(key.as_deref())?;
                pool.retain(|p| !banned.contains(&p.id));
                pick(&pool, q.kind, None, None, seed)
            }
        }
    }

    /// What the circle's daily post would look like now (its schedule's
    /// essay, its current reading), recording nothing.
    pub fn preview_daily(&self, circle: &str) -> Result<Picked> {
        let essay = match crate::circle::guild_of(circle) {
            Some(g) => self.state()?.schedule(g)?.and_then(|s| s.essay),
            None => None,
        };
        let snap = self.view(Some(circle));
        let essay = essay.filter(|e| snap.essay(e).is_ok());
        self.prompt(
            Some(circle),
            &PromptQuery {
                essay,
                ..PromptQuery::default()
            },
            PromptWanted::ToPreview,
        )
    }

    /// An essay's whole ranked pool as the circle has it (its own questions
    /// first, its bans left out), for review.
    pub fn prompt_pool(
        &self,
        circle: Option<&str>,
        essay: &str,
        style: Option<Style>,
    ) -> Result<(String, Vec<Prompt>)> {
        let snap = self.view(circle);
        let id = self.essay_id(&snap, essay)?;
        let key = circle.map(crate::circle::key);
        let state = self.state()?;
        let banned = state.banned(key.as_deref())?;
        let pool = self
            .engine
            .pool(
                &snap,
                Some(&id),
                Some(state),
                key.as_deref(),
                self.style(style),
                self.today(),
            )?
            .into_iter()
            .filter(|p| !banned.contains(&p.id))
            .collect();
        Ok((id, pool))
    }

    /// Add an organiser's question about one paragraph to an essay's pool:
    /// the circle's (or, without a circle, every circle's). Returns its
    /// prompt id and the essay id.
    pub fn add_prompt(
        &self,
        circle: Option<&str>,
        essay: &str,
        paragraph: u32,
        question: &str,
    ) -> Result<(String, String)> {
        let snap = self.view(circle);
        let id = self.essay_id(&snap, essay)?;
        snap.paragraph(&id, paragraph)?;
        let question = question.trim();
        if question.is_empty() {
            return Err(Error::InvalidInput("the question is empty".into()));
        }
        if question.chars().count() > 300 {
            return Err(Error::InvalidInput(
                "the question is longer than 300 characters".into(),
            ));
        }
        let key = circle.map(crate::circle::key);
        let n = self
            .state()?
            .add_custom_prompt(key.as_deref(), &id, paragraph, question)?;
        Ok((format!("custom-{n}"), id))
    }

    /// Ban a prompt by id: for the circle, or without one everywhere (the
    /// operator's ban). Refused when no pool the circle sees has that id.
    pub fn ban_prompt(&self, circle: Option<&str>, id: &str) -> Result<()> {
        let id = id.trim();
        let key = circle.map(crate::circle::key);
        let state = self.state()?;
        let known = self
            .engine
            .pool(
                &self.view(circle),
                None,
                Some(state),
                key.as_deref(),
                self.style(None),
                self.today(),
            )?
            .iter()
            .any(|p| p.id == id);
        if !known {
            return Err(Error::InvalidInput(format!(
                "no prompt with id `{id}` in this library; `commonplace prompts --essay ID` lists an essay's prompts with their ids"
            )));
        }
        state.ban_prompt(key.as_deref(), id)
    }
}

/// One essay: with a seed, the seed's turn in the library's order (so
/// consecutive seeds visit every essay); without, one at random.
fn seeded_essay(snap: &Snapshot, seed: Option<u64>) -> Result<String> {
    use rand::Rng;
    let n = snap.essays().len();
    if n == 0 {
        return Err(Error::InvalidInput("the library is empty".into()));
    }
    let i = match seed {
        Some(s) => (s % n as u64) as usize,
        None => rand::thread_rng().gen_range(0..n),
    };
    Ok(snap.essays()[i].meta.id.clone())
}
