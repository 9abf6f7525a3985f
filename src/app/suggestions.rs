//! Members suggest discussion questions; organisers approve or reject them.
//! Approved questions join the circle's pool, credited to the member by
//! name (as text: nobody is pinged).

use super::{App, QuoteQuery};
use crate::error::{Error, Result};
use crate::state::Suggestion;

/// Most suggestions one member may have waiting in a circle's queue.
pub const MAX_PENDING_PER_MEMBER: usize = 5;

/// Longest question, in characters (an embed title holds 256).
pub const MAX_QUESTION_CHARS: usize = 250;

/// Who suggests.
#[derive(Debug, Clone)]
pub struct Member {
    /// A stable id (a Discord user id; `cli` from the command line).
    pub id: String,
    /// The name shown with the prompt.
    pub name: String,
}

/// A suggestion with its essay's title.
#[derive(Debug, Clone)]
pub struct QueuedSuggestion {
    /// The suggestion.
    pub suggestion: Suggestion,
    /// The essay's title (as the circle sees it).
    pub title: String,
}

/// What an organiser decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Into the circle's pool.
    Approve,
    /// Out of the queue.
    Reject,
}

fn circle_required(circle: Option<&str>) -> Result<&str> {
    circle.ok_or_else(|| Error::InvalidInput("suggestions are a circle's: give --circle ID".into()))
}

impl App {
    fn queued(&self, circle: &str, s: Suggestion) -> QueuedSuggestion {
        let title = self
            .view(Some(circle))
            .essay(&s.essay)
            .map(|r| r.meta.title.clone())
            .unwrap_or_else(|_| format!("{} (no longer in the library)", s.essay));
        QueuedSuggestion {
            suggestion: s,
            title,
        }
    }

    /// A member's question for the organisers' queue. Its essay: the one
    /// named, else the circle's current reading; its paragraph: the one
    /// named, else the essay's passage closest to the question (a prompt is
    /// always shown with its passage).
    pub fn suggest_prompt(
        &self,
        circle: Option<&str>,
        member: &Member,
        question: &str,
        essay: Option<&str>,
        paragraph: Option<u32>,
    ) -> Result<QueuedSuggestion> {
        let circle = circle_required(circle)?;
        let question = question.split_whitespace().collect::<Vec<_>>().join(" ");
        if question.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
            return Err(Error::InvalidInput("the question is empty".into()));
        }
        if question.chars().count() > MAX_QUESTION_CHARS {
            return Err(Error::InvalidInput(format!(
                "the question is longer than {MAX_QUESTION_CHARS} characters"
            )));
        }
        let snap = self.view(Some(circle));
        let essay_id =
            match essay {
                Some(e) => snap.essays()[snap.resolve_essay(e)?].meta.id.clone(),
                None => match self.focus(Some(circle), false, false)? {
                    Some(entry) => entry.essay,
                    None => return Err(Error::InvalidInput(
                        "name the essay your question is about (the circle has no current reading)"
                            .into(),
                    )),
                },
            };
        let paragraph = match paragraph {
            Some(n) => {
                snap.paragraph(&essay_id, n)?;
                n
            }
            None => self
                .quote(
                    Some(circle),
                    &QuoteQuery {
                        topic: question.clone(),
                        essay: Some(essay_id.clone()),
                        limit: 1,
                        ..QuoteQuery::default()
                    },
                )
                .ok()
                .and_then(|a| a.quotes.first().map(|q| q.paragraph))
                .unwrap_or(1),
        };
        let state = self.state()?;
        let key = crate::circle::key(circle);
        if state.pending_suggestions_of(&key, &member.id)? >= MAX_PENDING_PER_MEMBER {
            return Err(Error::InvalidInput(format!(
                "you have {MAX_PENDING_PER_MEMBER} suggestions waiting already; the organisers will get to them"
            )));
        }
        let name: String = member.name.chars().take(64).collect();
        let id = state.add_suggestion(&key, &essay_id, paragraph, &question, &member.id, &name)?;
        Ok(self.queued(
            circle,
            Suggestion {
                id,
                essay: essay_id,
                paragraph,
                question,
                member_id: member.id.clone(),
                member_name: name,
                status: "pending".into(),
            },
        ))
    }

    /// The circle's queue, oldest first.
    pub fn suggestion_queue(&self, circle: Option<&str>) -> Result<Vec<QueuedSuggestion>> {
        let circle = circle_required(circle)?;
        let pending = self
            .state()?
            .pending_suggestions(&crate::circle::key(circle))?;
        Ok(pending
            .into_iter()
            .map(|s| self.queued(circle, s))
            .collect())
    }

    /// Approve or reject suggestion `id` of the circle. Returns it as
    /// decided, and for an approval the prompt id it now has in the pool.
    pub fn decide_suggestion(
        &self,
        circle: Option<&str>,
        id: i64,
        decision: Decision,
    ) -> Result<(QueuedSuggestion, Option<String>)> {
        let circle = circle_required(circle)?;
        let decided = self.state()?.decide_suggestion(
            &crate::circle::key(circle),
            id,
            decision == Decision::Approve,
        )?;
        match decided {
            Some((s, custom)) => Ok((
                self.queued(circle, s),
                custom.map(|n| format!("custom-{n}")),
            )),
            None => Err(Error::InvalidInput(format!(
                "suggestion #{id} is not waiting in this circle's queue (decided already?)"
            ))),
        }
    }
}
