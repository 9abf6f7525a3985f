//! Buttons. Their state lives in the `custom_id` (never in memory), so they
//! keep working across restarts; a forged or stale id gets a polite refusal.

use super::render::{self, inert, limits, quote_embed, trim};
use super::reply::{deliver, ReplyKind};
use super::Data;
use crate::app::{App, Decision, QuoteQuery};
use crate::citation::Style;
use crate::model::EssayRecord;
use crate::search::quote::Quote;
use serenity::all::{
    ButtonStyle, ComponentInteraction, CreateActionRow, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInteractionResponse, CreateInteractionResponseMessage,
};

/// Essays per page of `/essays`.
pub const PAGE: usize = 10;

/// A parsed button id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonId {
    /// Another quote for the same request, leaving out the paragraphs
    /// already shown (each as its essay's [`essay_tag`] and its number).
    More {
        shown: Vec<(String, u32)>,
        essay: Option<String>,
        speaker: Option<String>,
        topic: String,
    },
    /// Paragraphs around a quote.
    Context { essay: String, paragraph: u32 },
    /// A citation in a style.
    Cite {
        essay: String,
        paragraph: u32,
        style: Style,
    },
    /// A page of the essay list.
    Essays { page: usize },
    /// An organiser's decision on a suggested question.
    Suggestion { id: i64, approve: bool },
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Cut a string to at most `max` bytes at a character boundary.
fn cut_bytes(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl ButtonId {
    /// Encode within Discord's 100-character limit (the topic is shortened).
    pub fn encode(&self) -> String {
        match self {
            ButtonId::More {
                shown,
                essay,
                speaker,
                topic,
            } => {
                let shown = shown
                    .iter()
                    .map(|(tag, n)| format!("{tag}.{n}"))
                    .collect::<Vec<_>>()
                    .join(",");
                let head = format!(
                    "more|{shown}|{}|{}|",
                    essay.as_deref().unwrap_or(""),
                    speaker.as_deref().unwrap_or("").replace('|', " ")
                );
                let head = cut_bytes(&head, 80).to_string();
                let room = limits::CUSTOM_ID.saturating_sub(head.chars().count());
                let topic: String = topic.replace('|', " ").chars().take(room).collect();
                format!("{head}{topic}")
            }
            ButtonId::Context { essay, paragraph } => format!("ctx|{essay}|{paragraph}"),
            ButtonId::Cite {
                essay,
                paragraph,
                style,
            } => format!("cite|{essay}|{paragraph}|{style}"),
            ButtonId::Essays { page } => format!("essays|{page}"),
            ButtonId::Suggestion { id, approve } => {
                format!("sugg|{}|{id}", if *approve { "a" } else { "r" })
            }
        }
    }

    /// Parse; `None` for anything we did not make.
    pub fn parse(id: &str) -> Option<ButtonId> {
        let parts: Vec<&str> = id.splitn(5, '|').collect();
        match parts.as_slice() {
            ["more", shown, essay, speaker, topic] => Some(ButtonId::More {
                shown: parse_shown(shown)?,
                essay: opt(essay),
                speaker: opt(speaker),
                topic: topic.to_string(),
            }),
            ["ctx", essay, p] => Some(ButtonId::Context {
                essay: essay.to_string(),
                paragraph: p.parse().ok()?,
            }),
            ["cite", essay, p, style] => Some(ButtonId::Cite {
                essay: essay.to_string(),
                paragraph: p.parse().ok()?,
                style: style.parse().ok()?,
            }),
            ["essays", page] => Some(ButtonId::Essays {
                page: page.parse().ok().filter(|p| *p < 100_000)?,
            }),
            ["sugg", decision, id] => Some(ButtonId::Suggestion {
                id: id.parse().ok().filter(|n| *n > 0)?,
                approve: match *decision {
                    "a" => true,
                    "r" => false,
                    _ => return None,
                },
            }),
            _ => None,
        }
    }
}

/// Most quotes "Another quote" leads to (as many as `/quote` gives at once):
/// the paragraphs shown so far travel in the button's id.
pub const MAX_SHOWN: usize = 5;

/// A short, stable tag for an essay id (16 bits of its hash): enough to
/// tell the essays of one library apart in a button id, and a collision
/// only leaves out one more paragraph.
pub fn essay_tag(id: &str) -> String {
    format!("{:04x}", xxhash_rust::xxh3::xxh3_64(id.as_bytes()) as u16)
}

fn parse_shown(s: &str) -> Option<Vec<(String, u32)>> {
    let shown: Vec<(String, u32)> = s
        .split(',')
        .map(|item| {
            let (tag, n) = item.split_once('.')?;
            let ok = tag.len() == 4 && tag.chars().all(|c| c.is_ascii_hexdigit());
            Some((ok.then(|| tag.to_string())?, n.parse().ok()?))
        })
        .collect::<Option<_>>()?;
    (!shown.is_empty() && shown.len() < MAX_SHOWN).then_some(shown)
}

/// The tags of quotes shown, for [`quote_buttons`].
pub fn shown_tags(quotes: &[Quote]) -> Vec<(String, u32)> {
    quotes
        .iter()
        .map(|q| (essay_tag(&q.essay_id), q.paragraph))
        .collect()
}

/// The buttons under a quote reply: `shown` is every paragraph shown so far
/// for this request (see [`shown_tags`]), `last` the reply's own quote.
pub fn quote_buttons(
    shown: Vec<(String, u32)>,
    essay: Option<&str>,
    speaker: Option<&str>,
    topic: &str,
    last: &Quote,
) -> Vec<CreateActionRow> {
    let (quote_essay, paragraph) = (last.essay_id.as_str(), last.paragraph);
    let mut first = vec![CreateButton::new(
        ButtonId::Context {
            essay: quote_essay.into(),
            paragraph,
        }
        .encode(),
    )
    .label("Show context")
    .style(ButtonStyle::Secondary)];
    if shown.len() < MAX_SHOWN {
        first.insert(
            0,
            CreateButton::new(
                ButtonId::More {
                    shown,
                    essay: essay.map(str::to_string),
                    speaker: speaker.map(str::to_string),
                    topic: topic.to_string(),
                }
                .encode(),
            )
            .label("Another quote")
            .style(ButtonStyle::Primary),
        );
    }
    let cites = [
        (Style::Mla, "Cite (MLA)"),
        (Style::Apa, "Cite (APA)"),
        (Style::Chicago, "Cite (Chicago)"),
    ]
    .into_iter()
    .map(|(style, label)| {
        CreateButton::new(
            ButtonId::Cite {
                essay: quote_essay.into(),
                paragraph,
                style,
            }
            .encode(),
        )
        .label(label)
        .style(ButtonStyle::Secondary)
    })
    .collect();
    vec![
        CreateActionRow::Buttons(first),
        CreateActionRow::Buttons(cites),
    ]
}

/// Suggestions one queue message shows (a message holds five rows of
/// buttons, one row a suggestion).
pub const SUGGESTIONS_SHOWN: usize = 5;

/// Approve / Reject buttons for suggestion `id`.
pub fn suggestion_row(id: i64) -> CreateActionRow {
    CreateActionRow::Buttons(vec![
        CreateButton::new(ButtonId::Suggestion { id, approve: true }.encode())
            .label(format!("Approve #{id}"))
            .style(ButtonStyle::Success),
        CreateButton::new(ButtonId::Suggestion { id, approve: false }.encode())
            .label(format!("Reject #{id}"))
            .style(ButtonStyle::Danger),
    ])
}

/// One page of the essay list, with its navigation row.
pub fn essays_page(essays: &[EssayRecord], page: usize) -> (CreateEmbed, CreateActionRow) {
    let total = essays.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page = page.min(pages - 1);
    let mut lines = Vec::new();
    for e in essays.iter().skip(page * PAGE).take(PAGE) {
        let who = e.credit_line();
        lines.push(trim(
            &format!(
                "**{}** — {}{} · `{}`",
                inert(&e.meta.title),
                inert(&who),
                e.meta
                    .date
                    .map(|d| format!(", {}", d.iso()))
                    .unwrap_or_default(),
                e.meta.id
            ),
            380,
        ));
    }
    let body = if lines.is_empty() {
        "The library is empty.".to_string()
    } else {
        lines.join("\n")
    };
    let embed = CreateEmbed::new()
        .title(format!("The library ({total} essays)"))
        .description(trim(&body, limits::DESCRIPTION))
        .footer(CreateEmbedFooter::new(format!(
            "Page {} of {pages}",
            page + 1
        )));
    let row = CreateActionRow::Buttons(vec![
        CreateButton::new(
            ButtonId::Essays {
                page: page.saturating_sub(1),
            }
            .encode(),
        )
        .label("Previous")
        .style(ButtonStyle::Secondary)
        .disabled(page == 0),
        CreateButton::new(ButtonId::Essays { page: page + 1 }.encode() + "|n")
            .label("Next")
            .style(ButtonStyle::Secondary)
            .disabled(page + 1 >= pages),
    ]);
    (embed, row)
}

fn ephemeral(text: &str) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(trim(text, limits::CONTENT))
            .ephemeral(true)
            .allowed_mentions(render::no_mentions()),
    )
}

/// Answer a button press.
pub async fn handle(data: &Data, c: &ComponentInteraction) {
    let id = c.data.custom_id.trim_end_matches("|n");
    let response = match ButtonId::parse(id) {
        None => ephemeral("This button is no longer valid. Run the command again."),
        Some(b) => {
            let app = data.app.clone();
            // A button answers for the server it was pressed in: an id in a
            // custom_id is typed by a client and proves nothing.
            let circle = c.guild_id.map(|g| g.get().to_string());
            // Checked from the permissions Discord sends with the press,
            // as for the organisers' commands.
            let organiser = c
                .member
                .as_ref()
                .and_then(|m| m.permissions)
                .is_some_and(|p| p.manage_guild() || p.administrator());
            // Off the async threads: a burst of presses must not stall the gateway.
            let outcome = super::run_core(move || respond(&app, circle.as_deref(), organiser, b))
                .await
                .unwrap_or_else(|e| Err(crate::Error::Config(format!("worker task failed: {e}"))));
            outcome.unwrap_or_else(|e| {
                if e.is_user_error() {
                    ephemeral(&format!(
                        "This button refers to something that is gone: {}",
                        super::render::error_text(&e.to_string())
                    ))
                } else {
                    tracing::error!(error = %e, "button failed");
                    ephemeral("Something went wrong on my side. Please try again in a moment.")
                }
            })
        }
    };
    let kind = ReplyKind::Initial {
        deadline: super::interaction::deadline_of(c.id),
    };
    let sent = deliver(kind, || data.responder.callback(c.id, &c.token, &response)).await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, "could not answer a button");
    }
}

fn respond(
    app: &App,
    circle: Option<&str>,
    organiser: bool,
    b: ButtonId,
) -> crate::Result<CreateInteractionResponse> {
    let snap = app.view(circle);
    Ok(match b {
        ButtonId::More {
            shown,
            essay,
            speaker,
            topic,
        } => {
            // The paragraphs already shown, by their essays' tags: the
            // search leaves them out and gives the next best.
            let exclude: Vec<(String, u32)> = snap
                .essays()
                .iter()
                .flat_map(|e| {
                    let tag = essay_tag(&e.meta.id);
                    shown
                        .iter()
                        .filter(move |(t, _)| *t == tag)
                        .map(move |(_, n)| (e.meta.id.clone(), *n))
                })
                .collect();
            let answer = app.quote(
                circle,
                &QuoteQuery {
                    topic: topic.clone(),
                    essay: essay.clone(),
                    speaker: speaker.clone(),
                    limit: 1,
                    whole_library: false,
                    exclude,
                    style: None,
                },
            )?;
            match answer.quotes.first() {
                None => ephemeral("No more quotes on that topic."),
                Some(q) => {
                    // What the buttons carry: every paragraph shown so far.
                    let mut so_far = shown;
                    so_far.extend(shown_tags(std::slice::from_ref(q)));
                    CreateInteractionResponse::Message(
                        CreateInteractionResponseMessage::new()
                            .embed(quote_embed(q))
                            .components(quote_buttons(
                                so_far,
                                essay.as_deref(),
                                speaker.as_deref(),
                                &topic,
                                q,
                            ))
                            // Privately: presses must not flood the channel.
                            .ephemeral(true)
                            .allowed_mentions(render::no_mentions()),
                    )
                }
            }
        }
        ButtonId::Context { essay, paragraph } => {
            let rec = snap.essay(&essay)?;
            let mut parts = Vec::new();
            for n in paragraph.saturating_sub(1).max(1)..=(paragraph + 1).min(rec.paragraphs) {
                let p = snap.paragraph(&essay, n)?;
                let who = rec
                    .speaker_name(p.speaker)
                    .map(|s| format!("{}: ", inert(s)))
                    .unwrap_or_default();
                let mark = if n == paragraph { "▶ " } else { "" };
                parts.push(format!("{mark}¶{n} {who}{}", trim(&inert(&p.text), 1200)));
            }
            CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new()
                    .embed(
                        CreateEmbed::new()
                            .title(trim(&inert(&rec.meta.title), limits::TITLE))
                            .description(trim(&parts.join("\n\n"), limits::DESCRIPTION)),
                    )
                    .ephemeral(true)
                    .allowed_mentions(render::no_mentions()),
            )
        }
        ButtonId::Cite {
            essay,
            paragraph,
            style,
        } => {
            let c = app.cite_paragraph(circle, &essay, paragraph, style)?;
            ephemeral(&render::mention_safe(&c.markdown))
        }
        ButtonId::Suggestion { .. } if !organiser => ephemeral(
            "Only organisers (members with the Manage Server permission) can approve or reject suggestions.",
        ),
        ButtonId::Suggestion { id, approve } => {
            let decision = if approve {
                Decision::Approve
            } else {
                Decision::Reject
            };
            let (q, prompt_id) = app.decide_suggestion(circle, id, decision)?;
            let s = &q.suggestion;
            ephemeral(&match prompt_id {
                Some(pid) => format!(
                    "Approved #{id}: “{}” joins the circle's prompts as `{pid}`, credited to {}.",
                    inert(&s.question),
                    inert(&s.member_name)
                ),
                None => format!("Rejected #{id}: “{}”.", inert(&s.question)),
            })
        }
        ButtonId::Essays { page } => {
            let (embed, row) = essays_page(snap.essays(), page);
            CreateInteractionResponse::UpdateMessage(
                CreateInteractionResponseMessage::new()
                    .embed(embed)
                    .components(vec![row]),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_within_the_limit() {
        let ids = [
            ButtonId::More {
                shown: vec![
                    (essay_tag("survival-mechanism"), 12),
                    (essay_tag("aleppo"), 3),
                    (essay_tag("campism"), 140),
                    (essay_tag("kellaway"), 7),
                ],
                essay: Some("survival-mechanism".into()),
                speaker: Some("Leila al-Shami".into()),
                topic: "x".repeat(300),
            },
            ButtonId::Context {
                essay: "a".into(),
                paragraph: 3,
            },
            ButtonId::Cite {
                essay: "a".into(),
                paragraph: 3,
                style: Style::Chicago,
            },
            ButtonId::Essays { page: 4 },
            ButtonId::Suggestion {
                id: 12,
                approve: true,
            },
            ButtonId::Suggestion {
                id: 12,
                approve: false,
            },
        ];
        for id in ids {
            let s = id.encode();
            assert!(s.chars().count() <= 100, "{s}");
            let back = ButtonId::parse(&s).unwrap();
            if let (ButtonId::More { topic, shown, .. }, ButtonId::More { shown: sent, .. }) =
                (&back, &id)
            {
                assert!(topic.len() < 300);
                assert_eq!(shown, sent, "the paragraphs shown survive the round trip");
            } else {
                assert_eq!(back, id);
            }
        }
        for forged in [
            "",
            "more|999|a|b|c",
            "more||a|b|c",
            "more|zzzz.3|a|b|c",
            "more|ab12.1,ab12.2,ab12.3,ab12.4,ab12.5|a|b|c",
            "cite|a|x|mla",
            "cite|a|1|harvard",
            "ctx|a",
            "essays|-1",
            "other|1",
            "sugg|x|3",
            "sugg|a|0",
            "sugg|a|-2",
        ] {
            assert_eq!(ButtonId::parse(forged), None, "{forged}");
        }
    }
}
