//! Option autocomplete: essays and speakers the member's circle sees, time
//! zones.

use super::interaction::view;
use super::render::{limits, trim};
use super::Context;
use crate::schedule::matching_zones;
use serenity::all::{AutocompleteChoice, CreateAutocompleteResponse};

fn choice(name: &str, value: &str) -> AutocompleteChoice {
    AutocompleteChoice::new(trim(name, limits::CHOICE), trim(value, limits::CHOICE))
}

/// Essays by id or title.
pub async fn essay(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let p = partial.to_lowercase();
    let snap = view(ctx);
    let choices = snap
        .essays()
        .iter()
        .filter(|e| e.meta.id.contains(&p) || e.meta.title.to_lowercase().contains(&p))
        .take(limits::CHOICES)
        .map(|e| choice(&e.meta.title, &e.meta.id))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// Speakers of interviews.
pub async fn speaker(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let p = partial.to_lowercase();
    let snap = view(ctx);
    let mut names: Vec<String> = snap
        .essays()
        .iter()
        .flat_map(|e| e.speakers.iter().map(|s| s.name.clone()))
        .collect();
    names.sort();
    names.dedup();
    let choices = names
        .iter()
        .filter(|n| n.to_lowercase().contains(&p))
        .take(limits::CHOICES)
        .map(|n| choice(n, n))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// IANA time zones.
pub async fn zone(_ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let choices = matching_zones(partial, limits::CHOICES)
        .iter()
        .map(|z| choice(z, z))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}
