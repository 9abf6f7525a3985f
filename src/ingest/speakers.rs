//! Interview speaker labels: "WOZ:", "Leila al-Shami:", "Gabriel Levy (G):", "G:".

use crate::model::{Speaker, SpeakerRole};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([\p{Lu}][\p{L}.'’-]*(?:\s[\p{L}][\p{L}.'’-]*){0,3})(?:\s\((\p{Lu}{1,3})\))?:\s+(\S.*)$",
    )
    .unwrap()
});

/// Words that look like labels but introduce ordinary text.
const NOT_NAMES: &[&str] = &[
    "ps",
    "p.s",
    "note",
    "notes",
    "update",
    "source",
    "sources",
    "photo",
    "editor",
    "editors",
    "translator",
    "translation",
    "edit",
    "warning",
    "summary",
    "conclusion",
    "introduction",
    "question",
    "answer",
    "example",
    "first",
    "second",
    "third",
    "finally",
    "today",
    "yes",
    "no",
    "but",
    "and",
    "so",
    "the",
    "this",
    "that",
    "however",
    "consequently",
    "thus",
    "chorus",
];
const PARTICLES: &[&str] = &[
    "al", "de", "van", "von", "der", "da", "di", "del", "la", "le", "bin", "ibn", "el",
];

/// A label at the start of a paragraph.
#[derive(Debug, Clone)]
pub struct Label {
    /// The label as written ("Gabriel Levy", "G", "Al-Shami").
    pub name: String,
    /// A declared abbreviation ("G" in "Gabriel Levy (G):").
    pub abbreviation: Option<String>,
    /// Byte offset where the spoken text starts.
    pub rest_start: usize,
}

/// The speaker label that opens `text`, if it looks like one.
pub fn label_of(text: &str) -> Option<Label> {
    let c = LABEL.captures(text)?;
    let name = c.get(1)?.as_str().trim();
    if NOT_NAMES.contains(&name.to_lowercase().trim_end_matches('.')) {
        return None;
    }
    // Every word must look like part of a name.
    let namey = name.split_whitespace().all(|w| {
        w.chars().any(|ch| ch.is_uppercase())
            || PARTICLES.contains(&w.split('-').next().unwrap_or("").to_lowercase().as_str())
    });
    if !namey {
        return None;
    }
    Some(Label {
        name: name.to_string(),
        abbreviation: c.get(2).map(|m| m.as_str().to_string()),
        rest_start: c.get(3)?.start(),
    })
}

/// The speakers of an interview and, for each labelled paragraph, who spoke.
#[derive(Debug, Default)]
pub struct Attribution {
    /// Distinct speakers, full names where known.
    pub speakers: Vec<Speaker>,
    /// Per input paragraph: speaker index (labelled or continuing) and the byte
    /// offset where its text starts after the label.
    pub turns: Vec<(Option<usize>, usize)>,
}

/// Attribute each paragraph to a speaker. Returns `None` when the text is not
/// an interview (fewer than two speakers with at least two turns each).
///
/// `intro` is the text before the first turn (title, lede, introduction): names
/// after "interview with" or "conversation with" there are the interviewees, and
/// names after "interview to" the interviewers.
pub fn attribute(paragraphs: &[String], intro: &str) -> Option<Attribution> {
    let labels: Vec<Option<Label>> = paragraphs.iter().map(|p| label_of(p)).collect();
    // Canonical speakers from multi-word labels and declared abbreviations.
    let mut names: Vec<String> = Vec::new();
    let mut alias: HashMap<String, usize> = HashMap::new();
    for l in labels.iter().flatten() {
        if l.name.split_whitespace().count() >= 2 && !alias.contains_key(&l.name.to_lowercase()) {
            names.push(l.name.clone());
            alias.insert(l.name.to_lowercase(), names.len() - 1);
        }
        if let Some(ab) = &l.abbreviation {
            if let Some(&i) = alias.get(&l.name.to_lowercase()) {
                alias.insert(ab.to_lowercase(), i);
            }
        }
    }
    // Short labels: a surname of a known speaker, else a speaker of their own.
    let mut counts: HashMap<usize, usize> = HashMap::new();
    let mut per_para = Vec::with_capacity(paragraphs.len());
    for l in &labels {
        let idx = l.as_ref().map(|l| {
            let key = l.name.to_lowercase();
            if let Some(&i) = alias.get(&key) {
                return i;
            }
            let by_surname = names.iter().position(|n| {
                n.split_whitespace()
                    .last()
                    .map(str::to_lowercase)
                    .as_deref()
                    == Some(key.as_str())
            });
            let i = by_surname.unwrap_or_else(|| {
                names.push(l.name.clone());
                names.len() - 1
            });
            alias.insert(key, i);
            i
        });
        if let Some(i) = idx {
            *counts.entry(i).or_default() += 1;
        }
        per_para.push(idx);
    }
    let active = counts.values().filter(|&&c| c >= 2).count();
    if active < 2 {
        return None;
    }
    // Continuation paragraphs belong to the last speaker.
    let mut turns = Vec::with_capacity(paragraphs.len());
    let mut current = None;
    for (p, (idx, l)) in per_para.iter().zip(&labels).enumerate() {
        let _ = p;
        if let Some(i) = idx {
            current = Some(*i);
        }
        turns.push((current, l.as_ref().map(|l| l.rest_start).unwrap_or(0)));
    }
    let roles = assign_roles(&names, &turns, paragraphs, &labels, intro);
    let speakers = names
        .into_iter()
        .zip(roles)
        .map(|(name, role)| Speaker { name, role })
        .collect();
    Some(Attribution { speakers, turns })
}

fn assign_roles(
    names: &[String],
    turns: &[(Option<usize>, usize)],
    paragraphs: &[String],
    labels: &[Option<Label>],
    intro: &str,
) -> Vec<SpeakerRole> {
    let intro_lower = intro.to_lowercase();
    let named_after = |marker: &str, name: &str| -> bool {
        intro_lower.match_indices(marker).any(|(i, _)| {
            let window: String = intro_lower[i..].chars().take(160).collect();
            window.contains(&name.to_lowercase())
        })
    };
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let is_person = name.split_whitespace().count() >= 2;
            if is_person && named_after("interview to", name) {
                return SpeakerRole::Interviewer;
            }
            if is_person
                && (named_after("interview with", name) || named_after("conversation with", name))
            {
                return SpeakerRole::Interviewee;
            }
            // Otherwise: someone whose labelled turns are mostly questions asks them.
            let (mut asked, mut total) = (0, 0);
            for (p, (who, _)) in turns.iter().enumerate() {
                if *who == Some(i) && labels[p].is_some() {
                    total += 1;
                    if paragraphs[p].trim_end().ends_with('?') {
                        asked += 1;
                    }
                }
            }
            if total > 0 && asked * 2 >= total {
                SpeakerRole::Interviewer
            } else {
                SpeakerRole::Interviewee
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_label_forms() {
        assert_eq!(label_of("WOZ: Are we?").unwrap().name, "WOZ");
        let l = label_of("Gabriel Levy (G): What is it?").unwrap();
        assert_eq!(
            (l.name.as_str(), l.abbreviation.as_deref()),
            ("Gabriel Levy", Some("G"))
        );
        assert_eq!(
            label_of("Leila al-Shami: We are").unwrap().name,
            "Leila al-Shami"
        );
        assert!(label_of("PS: thanks").is_none());
        assert!(label_of("The point is this: we").is_none());
    }

    #[test]
    fn resolves_short_labels_to_full_names() {
        let paras: Vec<String> = [
            "Gabriel Levy (G): What now?",
            "Leila al-Shami (L): It is bad.",
            "More from her.",
            "G: Why?",
            "L: Because.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let a = attribute(&paras, "Interview with Leila al-Shami").unwrap();
        let names: Vec<_> = a
            .turns
            .iter()
            .map(|(i, _)| i.map(|i| a.speakers[i].name.clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                Some("Gabriel Levy".into()),
                Some("Leila al-Shami".into()),
                Some("Leila al-Shami".into()),
                Some("Gabriel Levy".into()),
                Some("Leila al-Shami".into())
            ]
        );
        assert_eq!(a.speakers[0].role, SpeakerRole::Interviewer);
        assert_eq!(a.speakers[1].role, SpeakerRole::Interviewee);
    }
}
