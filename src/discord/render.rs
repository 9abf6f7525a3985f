//! Turning core results into Discord messages within Discord's limits, with
//! no way for library or user text to ping anyone or break the markup.

use crate::app::{describe_schedule, CiteAnswer, Names, QueuedSuggestion, ScheduleStatus};
use crate::model::{EssayRecord, SpeakerRole};
use crate::prompts::Prompt;
use crate::search::cite::describe_differences;
use crate::search::quote::Quote;
use crate::search::verdict::Verdict;
use serenity::all::{CreateAllowedMentions, CreateEmbed, CreateEmbedFooter};

/// Discord's limits.
pub mod limits {
    /// Message content.
    pub const CONTENT: usize = 2000;
    /// Embed title.
    pub const TITLE: usize = 256;
    /// Embed description.
    pub const DESCRIPTION: usize = 4096;
    /// Field value.
    pub const FIELD_VALUE: usize = 1024;
    /// Field name.
    pub const FIELD_NAME: usize = 256;
    /// Footer.
    pub const FOOTER: usize = 2048;
    /// All embeds of a message together.
    pub const EMBEDS_TOTAL: usize = 6000;
    /// Autocomplete choices.
    pub const CHOICES: usize = 25;
    /// Choice name and value.
    pub const CHOICE: usize = 100;
    /// custom_id.
    pub const CUSTOM_ID: usize = 100;
    /// Thread name.
    pub const THREAD_NAME: usize = 100;
}

/// Mentions parse nothing: the default for everything the bot sends.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .everyone(false)
}

/// Make text inert: `@` cannot form a mention (a zero-width space follows it)
/// and Markdown characters are escaped.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '@' => out.push_str("@\u{200B}"),
            '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown the core wrote (a citation, its Markdown already escaped): only
/// mentions are defused and control characters dropped.
pub fn mention_safe(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 8);
    for c in markdown.chars() {
        match c {
            '@' => out.push_str("@\u{200B}"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// A prompt's citation: its Markdown when the core gave one (older stored
/// prompts have only the plain text).
fn citation_markdown(plain: &str, markdown: &str) -> String {
    if markdown.is_empty() {
        inert(plain)
    } else {
        mention_safe(markdown)
    }
}

/// Text with `**bold**` markers of our own: the markers stay, everything
/// else is made inert.
pub fn inert_marked(text: &str) -> String {
    text.split("**").map(inert).collect::<Vec<_>>().join("**")
}

/// A core error message for Discord: the parts it puts in backticks (ids,
/// names) become code spans, and everything else is made inert, so the
/// member sees `solidarity` rather than \`solidarity\`.
pub fn error_text(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // Unpaired backticks: no spans to keep.
        return inert(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                format!("`{}`", p.replace('@', "@\u{200B}"))
            } else {
                inert(p)
            }
        })
        .collect()
}

/// Trim to at most `max` characters, at a sentence end if there is one in
/// the last part, else at a word boundary, with an ellipsis. Never mid-word.
pub fn trim(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(1);
    let cut: String = text.chars().take(budget).collect();
    let sentence_end = cut
        .char_indices()
        .filter(|(i, c)| {
            matches!(c, '.' | '?' | '!') && cut[i + c.len_utf8()..].starts_with([' ', '\n'])
        })
        .map(|(i, c)| i + c.len_utf8())
        .next_back();
    if let Some(end) = sentence_end.filter(|&e| e * 2 >= cut.len()) {
        return format!("{} …", &cut[..end]);
    }
    match cut.rfind(char::is_whitespace) {
        Some(i) if i > 0 => format!("{}…", cut[..i].trim_end()),
        _ => format!("{cut}…"),
    }
}

fn field_value(text: &str) -> String {
    trim(text, limits::FIELD_VALUE)
}

/// An embed for one quote: everything it shows comes with the quote.
pub fn quote_embed(q: &Quote) -> CreateEmbed {
    let who = q.attribution.as_deref().or(q.byline.as_deref());
    let mut e = CreateEmbed::new()
        .title(trim(&inert(&q.title), limits::TITLE))
        .description(trim(&format!("“{}”", inert(&q.text)), limits::DESCRIPTION))
        .field(
            "Said by",
            field_value(&inert(who.unwrap_or("Unknown author"))),
            true,
        )
        .field("Locator", format!("¶{}", q.paragraph), true)
        .field(
            "Citation",
            field_value(&mention_safe(&q.cite.markdown)),
            false,
        )
        .footer(CreateEmbedFooter::new(trim(
            &format!("essay: {}", q.essay_id),
            limits::FOOTER,
        )));
    if let Some(url) = q.url.as_deref() {
        e = e.url(url);
    }
    e
}

/// An embed for a cite answer.
pub fn cite_embed(r: &CiteAnswer) -> CreateEmbed {
    match r {
        CiteAnswer::Altered {
            at,
            differences,
            quote_marked,
            passage_marked,
            ..
        } => {
            let who = at
                .speaker
                .as_deref()
                .map(|s| format!(", {}", inert(s)))
                .unwrap_or_default();
            CreateEmbed::new()
                .title("Altered: the library says something different")
                .description(trim(
                    &format!(
                        "This quote changes the meaning of a passage in “{}” (¶{}{who}), so I will not attribute it. The differing words are in bold.",
                        inert(&at.title),
                        at.paragraph
                    ),
                    limits::DESCRIPTION,
                ))
                .field(
                    "You quoted",
                    field_value(&format!("“{}”", inert_marked(quote_marked))),
                    false,
                )
                .field(
                    "The text says",
                    field_value(&format!("“{}”", inert_marked(passage_marked))),
                    false,
                )
                .field(
                    "What differs",
                    field_value(&inert(&describe_differences(differences))),
                    false,
                )
        }
        CiteAnswer::Found(f) => {
            let verdict = match f.verdict {
                Verdict::Verbatim => "Verbatim".to_string(),
                Verdict::Paraphrase => {
                    "Reworded: not the text's own words, but the same point. Quote the passage above instead.".to_string()
                }
                _ => format!(
                    "Misquoted, meaning kept: {}",
                    describe_differences(&f.differences)
                ),
            };
            CreateEmbed::new()
                .title(trim(&inert(&f.at.title), limits::TITLE))
                .description(trim(
                    &format!("“{}”", inert(&f.at.text)),
                    limits::DESCRIPTION,
                ))
                .field(
                    "Said by",
                    field_value(&inert(f.at.speaker.as_deref().unwrap_or("—"))),
                    true,
                )
                .field("Locator", format!("¶{}", f.at.paragraph), true)
                .field("Match", format!("{:.0}%", f.confidence * 100.0), true)
                .field("Verdict", field_value(&inert(&verdict)), false)
                .field(
                    "Citation",
                    field_value(&mention_safe(&f.citation.markdown)),
                    false,
                )
        }
        CiteAnswer::NotFound { suggestion, .. } => {
            let mut e = CreateEmbed::new()
                .title("Not found in this library")
                .description("I could not verify this quote in any essay of the library, so I will not attribute it.");
            if let Some(s) = suggestion {
                e = e.field(
                    trim(
                        &format!(
                            "Closest passage ({:.0}% match): {}, ¶{}",
                            s.confidence * 100.0,
                            inert(&s.title),
                            s.paragraph
                        ),
                        limits::FIELD_NAME,
                    ),
                    field_value(&format!("“{}”", inert(&s.text))),
                    false,
                );
            }
            e
        }
    }
}

/// An embed about one essay.
pub fn essay_embed(rec: &EssayRecord) -> CreateEmbed {
    let m = &rec.meta;
    let mut e = CreateEmbed::new().title(trim(&inert(&m.title), limits::TITLE));
    if let Some(s) = &m.subtitle {
        e = e.description(trim(&inert(s), limits::DESCRIPTION));
    }
    let authors = if rec.is_interview() {
        rec.speakers
            .iter()
            .map(|s| {
                let role = match s.role {
                    SpeakerRole::Interviewer => "interviewer",
                    SpeakerRole::Interviewee => "interviewee",
                };
                format!("{} ({role})", s.name)
            })
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        rec.byline().unwrap_or_else(|| "Unknown".into())
    };
    e = e
        .field(
            if rec.is_interview() {
                "Speakers"
            } else {
                "Authors"
            },
            field_value(&inert(&authors)),
            false,
        )
        .field(
            "Published",
            m.date.map(|d| d.iso()).unwrap_or_else(|| "Unknown".into()),
            true,
        )
        .field("Paragraphs", rec.paragraphs.to_string(), true)
        .field("Id", format!("`{}`", m.id), true);
    if let Some(p) = &m.publication {
        e = e.field("Publication", field_value(&inert(p)), true);
    }
    if let Some(u) = m.url.as_deref().filter(|u| u.starts_with("http")) {
        e = e.url(u);
    }
    e
}

/// A schedule in words, its channel and role as Discord mentions (the
/// reply allows no mentions, so they only link) and the next post in the
/// reader's own time.
pub fn schedule_text(status: &ScheduleStatus) -> String {
    match status {
        ScheduleStatus::On { schedule: s, next } => describe_schedule(
            s,
            Names {
                channel: format!("<#{}>", s.channel_id),
                role: s.role_id.map(|r| format!("<@&{r}>")),
                next: format!("<t:{}:F>", next.as_second()),
                essay: s.essay.as_ref().map(|e| format!("`{e}`")),
            },
        ),
        ScheduleStatus::Off(_) => {
            "The daily prompt is off. `/schedule set` turns it on again.".into()
        }
        ScheduleStatus::Unset => {
            "No daily prompt is scheduled. Use `/schedule set` to choose a channel and a time."
                .into()
        }
    }
}

/// An embed for a discussion prompt.
pub fn prompt_embed(p: &Prompt) -> CreateEmbed {
    let who = p
        .speaker
        .as_deref()
        .map(|s| format!("{}, ", inert(s)))
        .unwrap_or_default();
    let mut e = CreateEmbed::new()
        .title(trim(&inert(&p.question), limits::TITLE))
        .description(trim(
            &format!(
                "“{}”\n— {who}{}, ¶{}",
                inert(&p.quote),
                inert(&p.title),
                p.paragraph
            ),
            1800,
        ))
        .field(
            "Citation",
            field_value(&citation_markdown(&p.citation, &p.citation_md)),
            false,
        );
    if let Some(b) = &p.compare_with {
        let who = b
            .speaker
            .as_deref()
            .map(|s| format!("{}, ", inert(s)))
            .unwrap_or_default();
        e = e
            .field(
                "Compare with",
                field_value(&format!(
                    "“{}”\n— {who}{}, ¶{}",
                    inert(&b.quote),
                    inert(&b.title),
                    b.paragraph
                )),
                false,
            )
            .field(
                "Its citation",
                field_value(&match &b.cite {
                    Some(c) => mention_safe(&c.markdown),
                    None => inert(&b.citation),
                }),
                false,
            );
    }
    let by = p
        .suggested_by
        .as_deref()
        .map(|n| format!(" · suggested by {}", mention_safe(n)))
        .unwrap_or_default();
    e.footer(CreateEmbedFooter::new(trim(
        &format!("{} prompt{by} · id {}", p.kind, p.id),
        limits::FOOTER,
    )))
}

/// A member's suggestion in the organisers' queue.
pub fn suggestion_embed(q: &QueuedSuggestion) -> CreateEmbed {
    let s = &q.suggestion;
    CreateEmbed::new()
        .title(trim(
            &format!("#{} {}", s.id, inert(&s.question)),
            limits::TITLE,
        ))
        .description(trim(
            &format!(
                "About “{}”, ¶{} — suggested by {}",
                inert(&q.title),
                s.paragraph,
                inert(&s.member_name)
            ),
            limits::DESCRIPTION,
        ))
}

/// A thread name from a question.
pub fn thread_name(question: &str) -> String {
    let t = trim(question, limits::THREAD_NAME);
    if t.trim().is_empty() {
        "Discussion".into()
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inert_text_cannot_ping() {
        let t = inert("@everyone @here <@123> <@&456> **bold**");
        assert!(
            !t.contains("@everyone")
                && !t.contains("@here")
                && !t.contains("<@123>")
                && !t.contains("<@&456>")
        );
        assert!(t.contains("\\*\\*bold\\*\\*"));
    }

    #[test]
    fn trims_at_sentence_or_word() {
        let s = "One sentence here. Another sentence that goes on and on and on.";
        assert_eq!(trim(s, 30), "One sentence here. …");
        let w = "alpha beta gamma delta epsilon";
        let t = trim(w, 14);
        assert!(
            t.chars().count() <= 14 && t.ends_with('…') && !t.contains("gam…"),
            "{t}"
        );
        assert_eq!(trim("short", 10), "short");
    }
}
