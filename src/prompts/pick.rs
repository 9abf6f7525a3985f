//! Choosing a prompt for a circle: no repeats until the pool is used up,
//! reproducible with a seed.

use super::{Prompt, PromptKind};
use crate::error::{Error, Result};
use crate::state::State;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// A chosen prompt.
#[derive(Debug, Clone)]
pub struct Picked {
    /// The prompt.
    pub prompt: Prompt,
    /// True when the circle had seen the whole pool and it started over.
    pub started_over: bool,
    /// Prompts the circle has not seen yet in this cycle, after this one.
    pub remaining: usize,
}

/// How many of the best unseen prompts a pick chooses among: good ones come
/// first, with enough spread that a circle does not get them in rank order.
const TOP: usize = 12;

/// Pick from `pool` (ranked, best first) for `circle` (history in `state`),
/// optionally limited to one kind. `seed` makes the choice reproducible.
pub fn pick(
    pool: &[Prompt],
    kind: Option<PromptKind>,
    circle: Option<&str>,
    state: Option<&State>,
    seed: Option<u64>,
) -> Result<Picked> {
    let banned = match state {
        Some(s) => s.banned(circle)?,
        None => Vec::new(),
    };
    let eligible: Vec<&Prompt> = pool
        .iter()
        .filter(|p| kind.is_none_or(|k| p.kind == k))
        .filter(|p| !banned.contains(&p.id))
        .collect();
    if eligible.is_empty() {
        return Err(Error::InvalidInput(match kind {
            Some(k) => format!("no {k} prompts for this selection"),
            None => "no prompts for this selection".into(),
        }));
    }
    let mut rng = match seed {
        Some(s) => StdRng::seed_from_u64(s),
        None => StdRng::from_entropy(),
    };
    let (circle, state) = match (circle, state) {
        (Some(c), Some(s)) => (c, s),
        _ => {
            let p = match seed {
                // With no history to keep, a seed walks the top of the pool:
                // consecutive seeds give different questions (reproducibly),
                // the same words on another passage counting as the same.
                Some(s) => {
                    let mut seen = std::collections::HashSet::new();
                    let distinct: Vec<&Prompt> = eligible
                        .iter()
                        .copied()
                        .filter(|p| seen.insert(p.question.as_str()))
                        .take(TOP)
                        .collect();
                    distinct[(s % distinct.len() as u64) as usize].clone()
                }
                None => {
                    let top = &eligible[..eligible.len().min(TOP)];
                    (*top.choose(&mut rng).expect("not empty")).clone()
                }
            };
            return Ok(Picked {
                prompt: p,
                started_over: false,
                remaining: eligible.len() - 1,
            });
        }
    };
    // One transaction from reading the history to recording the pick.
    state.pick_next(circle, |shown| {
        let mut unseen: Vec<&Prompt> = eligible
            .iter()
            .copied()
            .filter(|p| !shown.contains(&p.id))
            .collect();
        let started_over = unseen.is_empty();
        if started_over {
            unseen = eligible.clone();
        }
        // Never the same wording twice in a row: the last prompt's wording
        // is passed over while another remains.
        let last = shown
            .last()
            .and_then(|id| pool.iter().find(|p| &p.id == id))
            .map(|p| p.template.as_str())
            .filter(|t| !t.is_empty());
        if let Some(t) = last {
            let fresh: Vec<&Prompt> = unseen.iter().copied().filter(|p| p.template != t).collect();
            if !fresh.is_empty() {
                unseen = fresh;
            }
        }
        let top = &unseen[..unseen.len().min(TOP)];
        let p = (*top.choose(&mut rng).expect("not empty")).clone();
        Ok((
            p.id.clone(),
            started_over,
            Picked {
                remaining: unseen.len() - 1,
                prompt: p,
                started_over,
            },
        ))
    })
}
