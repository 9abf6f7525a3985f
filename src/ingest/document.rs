//! Turning one file's text into a cleaned, segmented [`Essay`].
//!
//! The steps run in a fixed order because each relies on the previous:
//! chrome and running headers go before page-split paragraphs are rejoined (a
//! header often sits inside the split), metadata lines are read before they are
//! dropped, and speaker labels are read after rejoining.

use super::catalog::CatalogEntry;
use super::dates::{find_date, is_date_line, parse_date};
use super::frontmatter;
use super::markup::{atx_heading, is_bold_block, strip_inline, strip_inline_cow};
use super::names::{from_surname_first, split_authors};
use super::speakers;
use crate::model::{Essay, EssayMeta, Note, Paragraph, PartialDate};
use crate::text::{sentences, slugify};
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One blank-line-separated block of the source.
#[derive(Debug, Clone)]
struct Block {
    /// As written (lines kept).
    raw: String,
    /// Markup stripped, lines joined, white space collapsed.
    text: String,
}

impl Block {
    fn new(raw: &str) -> Block {
        let collapsed = collapse_ws(raw);
        // Stripping markup can leave doubled spaces; without markup the
        // text is already collapsed (the usual case, and a hot path).
        let text = match strip_inline_cow(&collapsed) {
            Cow::Borrowed(_) => collapsed,
            Cow::Owned(stripped) => collapse_ws(&stripped),
        };
        Block {
            raw: raw.to_string(),
            text,
        }
    }
}

fn collapse_ws(s: &str) -> String {
    if s.is_ascii() {
        // Byte loop for the common case; `split_whitespace` below is
        // Unicode-aware and several times slower.
        let mut out = Vec::with_capacity(s.len());
        let mut gap = false;
        for &b in s.as_bytes() {
            if b.is_ascii_whitespace() || b == 0x0b {
                gap = !out.is_empty();
            } else {
                if gap {
                    out.push(b' ');
                    gap = false;
                }
                out.push(b);
            }
        }
        return String::from_utf8(out).expect("ASCII in, ASCII out");
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

static CHROME: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)^skip to (main )?content$",
        r"(?i)^donate( now)?$",
        r"(?i)^- [\w ]{2,30} -$",
        r"(?i)^(copyright )?©",
        r"(?i)all rights reserved\.?$",
        r"(?i)please consider donating",
        r"(?i)^featured image( credit)?:",
        r"(?i)^(photo|image|photograph)( credit)?s?:",
        r"(?i)^we want to hear what you think",
        r"(?i)^(share|tweet|print|email|subscribe|advertisement|read more|related articles?)( this)?( article)?:?$",
        r"(?i)^translated by\b",
        r"(?i)^(sign up|subscribe) (for|to) (our|the) newsletter",
        r"^(-{3,}|\*{3,}|_{3,}|\* \* \*)$",
    ]
    .iter()
    .map(|p| Regex::new(p).unwrap())
    .collect()
});
static PHOTO_CAPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(photo|image) (by|credit|courtesy)\b").unwrap());
static URL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^<?(https?://[^\s<>]+)>?$").unwrap());
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[A-Za-z]+day,? )?(.{6,30}?),? by (.+?)(?:\s*\(Date first published: ([^)]+)\))?\.?$",
    )
    .unwrap()
});
static PUBLICATION_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:publication|published|publish) date:\s*(.+)$").unwrap());
static COPYRIGHT_PUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Copyright © (?:\d{4} )?(.+?)(?: - .*)?$").unwrap());
static PS_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^P\.? ?S\.?:?$").unwrap());
static NOTE_DEF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\[(\d{1,3})\]\s+(.+)$").unwrap());
static NOTE_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s?\[(\d{1,3})\]").unwrap());
static VIEW_ALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.{2,60}?)\s+View All$").unwrap());
static SOURCE_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-*•]\s+(.+?)\.\s+(.{6,30}?)\s*:?$").unwrap());

fn is_chrome(b: &Block) -> bool {
    let t = b.text.as_str();
    CHROME.iter().any(|r| r.is_match(t)) || (t.len() < 300 && PHOTO_CAPTION.is_match(t))
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end()
        .ends_with(['.', '!', '?', ':', ';', '"', '”', '’', ')', ']', '…', '\''])
}

fn starts_lowercase(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_lowercase())
}

/// A short line that reads as a title or section heading.
fn is_heading_like(b: &Block) -> bool {
    if atx_heading(&b.raw).is_some() {
        return true;
    }
    let t = b.text.as_str();
    // Cheap tests first: this runs on every block of every file.
    if t.len() > 90 || b.raw.trim_end().contains('\n') {
        return false;
    }
    let words = t.split_whitespace().count();
    if words > 12 || words == 0 {
        return false;
    }
    if !t
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    {
        return false;
    }
    if t.ends_with(['.', ',', ';', ':']) {
        return false;
    }
    if t.ends_with('?') {
        // A heading phrased as a question is in title case.
        let caps = t
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        return caps * 2 > words;
    }
    true
}

/// The parts of a file as parsed, before it becomes an [`Essay`].
struct Draft {
    meta: EssayMeta,
    blocks: Vec<Block>,
    notes: Vec<Note>,
    has_front_matter: bool,
}

/// Parse one file's text into an essay. `rel_path` is relative to the library
/// folder (it gives the default id). Errors are messages for the skipped-file report.
pub fn parse_document(
    rel_path: &str,
    text: &str,
    catalog: Option<&CatalogEntry>,
) -> Result<Essay, String> {
    let text = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let (fm, body) = match frontmatter::split(&text)? {
        Some((fm, body)) => (Some(fm), body.to_string()),
        None => (None, text.clone()),
    };
    let blocks: Vec<Block> = split_blocks(&body);
    let mut draft = Draft {
        meta: EssayMeta {
            source_path: rel_path.to_string(),
            ..Default::default()
        },
        blocks,
        notes: Vec::new(),
        has_front_matter: fm.is_some(),
    };
    if let Some(fm) = fm {
        apply_front_matter(&mut draft.meta, fm);
    }
    read_header_metadata(&mut draft);
    drop_running_headers(&mut draft);
    draft.blocks.retain(|b| !is_chrome(b));
    if !draft.has_front_matter {
        take_title_and_lede(&mut draft);
    }
    take_tail(&mut draft);
    take_end_byline(&mut draft, &text);
    rejoin_page_splits(&mut draft.blocks);
    find_url_title(&mut draft);
    if draft.meta.publication.is_none() {
        draft.meta.publication = publication_from_credits(&text);
    }
    if let Some(c) = catalog {
        c.apply(&mut draft.meta);
    }
    if draft.meta.id.is_empty() {
        draft.meta.id = slug_from_path(rel_path);
    }
    if draft.meta.title.is_empty() {
        draft.meta.title = title_from_path(rel_path);
    }
    let essay = build_essay(draft);
    if essay.paragraphs.is_empty() {
        return Err("no paragraphs of text after cleaning".into());
    }
    Ok(essay)
}

fn split_blocks(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                blocks.push(Block::new(&cur.join("\n")));
                cur.clear();
            }
        } else {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        blocks.push(Block::new(&cur.join("\n")));
    }
    blocks.retain(|b| !b.text.is_empty());
    blocks
}

fn apply_front_matter(meta: &mut EssayMeta, fm: frontmatter::FrontMatter) {
    meta.id = fm.id.map(|s| slugify(&s)).unwrap_or_default();
    meta.title = fm.title.map(|t| collapse_ws(&t)).unwrap_or_default();
    meta.subtitle = fm.subtitle;
    let mut authors: Vec<String> = Vec::new();
    for a in fm
        .authors
        .into_iter()
        .chain(fm.author)
        .flat_map(|a| a.into_vec())
    {
        authors.extend(split_authors(&a));
    }
    meta.authors = authors;
    meta.date = fm
        .date
        .as_ref()
        .and_then(frontmatter::date_text)
        .and_then(|d| parse_date(&d));
    meta.url = fm.url.or_else(|| {
        fm.source
            .clone()
            .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
    });
    meta.publication = fm.publication;
    meta.collection = fm.collection;
}

/// URL lines, "Publication date:", bylines with dates and authors, copyright
/// lines naming the publication: read them, then drop them from the body.
fn read_header_metadata(d: &mut Draft) {
    let full_text: String = d
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let head_len = d.blocks.len().min(12);
    let mut drop = vec![false; d.blocks.len()];
    for (i, b) in d.blocks.iter().enumerate().take(head_len) {
        let t = b.text.as_str();
        if let Some(c) = URL_LINE.captures(t) {
            if d.meta.url.is_none() {
                d.meta.url = Some(c[1].to_string());
            }
            drop[i] = true;
        } else if let Some(c) = PUBLICATION_DATE.captures(t) {
            if d.meta.date.is_none() {
                d.meta.date = find_date(&c[1]);
            }
            drop[i] = true;
        } else if let Some(c) = COPYRIGHT_PUB.captures(t) {
            if d.meta.publication.is_none() {
                d.meta.publication = Some(c[1].trim().to_string());
            }
            drop[i] = true;
        } else if let Some(c) = BYLINE.captures(t) {
            let Some(date) = find_date(&c[1]) else {
                continue;
            };
            if d.meta.date.is_none() {
                d.meta.date = Some(date);
            }
            if let Some(first) = c.get(3).and_then(|m| find_date(m.as_str())) {
                d.meta.first_published = Some(first);
            }
            if d.meta.authors.is_empty() {
                d.meta.authors = c[2]
                    .split(',')
                    .map(|n| from_surname_first(n.trim(), &full_text))
                    .filter(|n| !n.is_empty())
                    .collect();
            }
            drop[i] = true;
        }
    }
    let mut i = 0;
    d.blocks.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// Short lines repeated through the text are running page headers (PDF exports).
fn drop_running_headers(d: &mut Draft) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for b in &d.blocks {
        if b.raw.lines().count() == 1
            && b.text.len() <= 120
            && b.text.len() >= 8
            && !ends_sentence(&b.text)
        {
            *counts.entry(b.text.as_str()).or_default() += 1;
        }
    }
    let repeated: Vec<String> = counts
        .into_iter()
        .filter(|&(_, c)| c >= 2)
        .map(|(t, _)| t.to_string())
        .collect();
    if repeated.is_empty() {
        return;
    }
    // The first occurrence stays when it is in the header (it is the title).
    let mut seen: Vec<String> = Vec::new();
    let mut idx = 0;
    d.blocks.retain(|b| {
        idx += 1;
        if !repeated.contains(&b.text) {
            return true;
        }
        let keep = idx <= 8 && !seen.contains(&b.text) && !d.has_front_matter;
        seen.push(b.text.clone());
        keep
    });
}

/// Without front matter: the title is among the short lines that open the
/// text; a short paragraph after it is the lede.
fn take_title_and_lede(d: &mut Draft) {
    let mut candidates: Vec<(usize, bool)> = Vec::new(); // (index, is ATX heading)
    let mut end = 0;
    for (i, b) in d.blocks.iter().enumerate() {
        let heading = atx_heading(&b.raw).is_some();
        let short = b.text.len() <= 160 && b.raw.lines().count() <= 2;
        let titleish = heading
            || (short
                && (!b.text.ends_with('.') || b.text.ends_with(".."))
                && speakers::label_of(&b.text).is_none());
        if titleish && i < 6 {
            candidates.push((i, heading));
            end = i + 1;
        } else {
            break;
        }
    }
    if candidates.is_empty() {
        return;
    }
    let slug = d
        .meta
        .url
        .as_deref()
        .map(url_slug_words)
        .unwrap_or_default();
    let pick = candidates
        .iter()
        .find(|(i, _)| !slug.is_empty() && words_key(&d.blocks[*i].text) == slug)
        .or_else(|| candidates.iter().find(|(_, h)| *h))
        .or_else(|| {
            candidates
                .iter()
                .find(|(i, _)| d.blocks[*i].text.split_whitespace().count() >= 2)
        })
        .unwrap_or(&candidates[0]);
    let title_block = &d.blocks[pick.0];
    d.meta.title = atx_heading(&title_block.raw)
        .map(|h| collapse_ws(&strip_inline(h)))
        .unwrap_or_else(|| title_block.text.clone());
    // Other short lines in the header (section labels like "Internationalism")
    // go, but never the whole text: a short essay whose paragraphs lack end
    // punctuation keeps them, and a one-line file is its own paragraph.
    let end = if end < d.blocks.len() {
        end
    } else if pick.0 + 1 < d.blocks.len() {
        pick.0 + 1
    } else {
        0
    };
    d.blocks.drain(..end);
    if let Some(first) = d.blocks.first() {
        let is_lede = d.blocks.len() > 2
            && first.text.len() <= 400
            && speakers::label_of(&first.text).is_none()
            && (is_bold_block(&first.raw) || !d.blocks[1].text.is_empty());
        if is_lede {
            d.meta.subtitle = Some(first.text.clone());
            d.blocks.remove(0);
        }
    }
}

/// A republication keeps the original's URL, whose slug is the original's
/// headline: when the title does not match the slug and a line near the top
/// does ("Interview with Leila al-Shami for Open Left."), that line is the
/// headline at the URL.
fn find_url_title(d: &mut Draft) {
    let Some(slug) = d.meta.url.as_deref().map(url_slug_words) else {
        return;
    };
    if slug.split(' ').count() < 3 || words_key(&d.meta.title) == slug {
        return;
    }
    let near_top = d
        .meta
        .subtitle
        .iter()
        .chain(d.blocks.iter().take(3).map(|b| &b.text));
    for line in near_top {
        if words_key(line) == slug {
            let headline = line.trim().trim_end_matches('.').trim_end();
            d.meta.url_title = Some(headline.to_string());
            return;
        }
    }
}

static CREDIT_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mi)^\W*(?:featured )?image credit:.*\b(?:modified|edited|adapted) by ([A-Z][\w&']*(?: [A-Z][\w&']*){0,3})\.?\s*$").unwrap()
});
static MAIL_OR_SITE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:@|https?://(?:www\.)?)([a-z0-9-]+)\.[a-z]{2,}").unwrap());

/// The publication named by the text's own credit lines, grounded twice: an
/// image credit "modified by Tempest" and a contact address or link on the
/// publication's own domain (editors@tempestmag.org). Either alone could be
/// anyone's; together they name the site the essay appeared on.
fn publication_from_credits(text: &str) -> Option<String> {
    let name = CREDIT_BY.captures(text)?.get(1)?.as_str().to_string();
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let grounded = MAIL_OR_SITE
        .captures_iter(text)
        .any(|c| key.len() >= 3 && c[1].to_lowercase().starts_with(&key));
    grounded.then_some(name)
}

fn words_key(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn url_slug_words(url: &str) -> String {
    let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let last = last.split(['?', '#']).next().unwrap_or("");
    let last = last.trim_end_matches(".html").trim_end_matches(".htm");
    words_key(last)
}

/// After "P.S." (or the first footnote definition): footnotes, source links and
/// author notes, not body text.
fn take_tail(d: &mut Draft) {
    let start = d
        .blocks
        .iter()
        .position(|b| PS_MARK.is_match(&b.text))
        .or_else(|| {
            d.blocks
                .iter()
                .position(|b| NOTE_DEF.captures(&b.text).is_some_and(|c| &c[1] == "1"))
        });
    let Some(start) = start else { return };
    let tail: Vec<Block> = d.blocks.drain(start..).collect();
    // A source item ("- Anti*Capitalist Resistance. 29 Jan 2024 :") dates
    // the version at the URL on the next line: the original, which a
    // republication cites.
    let mut expect_url: Option<(String, PartialDate)> = None;
    for b in tail {
        let t = b.text.as_str();
        if let Some(c) = NOTE_DEF.captures(t) {
            d.notes.push(Note {
                number: c[1].parse().unwrap_or(0),
                text: c[2].to_string(),
            });
            expect_url = None;
            continue;
        }
        // A note split by a page break continues in lower case.
        if starts_lowercase(t) {
            if let Some(n) = d.notes.last_mut() {
                n.text.push(' ');
                n.text.push_str(t);
                continue;
            }
        }
        for line in b.raw.lines() {
            let line = collapse_ws(&strip_inline(line.trim()));
            if let Some(c) = SOURCE_ITEM.captures(&line) {
                if let Some(date) = find_date(&c[2]) {
                    if d.meta.first_published.is_none() && d.meta.date.is_some_and(|x| date < x) {
                        d.meta.first_published = Some(date);
                    }
                    expect_url = Some((c[1].to_string(), date));
                    continue;
                }
            }
            if let Some(c) = URL_LINE.captures(&line) {
                if let Some((publication, date)) = expect_url.take() {
                    // The URL is that publication's, of that date.
                    d.meta.url = Some(c[1].to_string());
                    d.meta.publication = Some(publication);
                    d.meta.url_date = Some(date);
                } else if d.meta.url.is_none() {
                    d.meta.url = Some(c[1].to_string());
                }
            }
        }
    }
}

/// End-of-text bylines ("Travis S. View All", then a bio), signatures that repeat
/// the author's name, and a standalone date line near the end.
fn take_end_byline(d: &mut Draft, _full: &str) {
    if let Some(i) = d.blocks.iter().position(|b| VIEW_ALL.is_match(&b.text)) {
        let name = VIEW_ALL
            .captures(&d.blocks[i].text)
            .map(|c| c[1].to_string())
            .unwrap_or_default();
        if d.meta.authors.is_empty() && !name.is_empty() {
            d.meta.authors = vec![name];
        }
        d.blocks.truncate(i);
    }
    let authors = d.meta.authors.clone();
    let n = d.blocks.len();
    let mut first_published = d.meta.first_published;
    let mut keep = Vec::with_capacity(n);
    for (i, b) in d.blocks.iter().enumerate() {
        let signature = authors.iter().any(|a| a.eq_ignore_ascii_case(&b.text));
        let date_line = is_date_line(&b.text) && b.raw.lines().count() == 1;
        if date_line && i + 4 >= n {
            let date = find_date(&b.text);
            if first_published.is_none()
                && date.is_some()
                && (d.meta.date.is_none() || date < d.meta.date)
            {
                first_published = date;
            }
        }
        keep.push(!(signature || date_line));
    }
    d.meta.first_published = first_published;
    let mut i = 0;
    d.blocks.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Rejoin paragraphs a page break split: one that ends mid-sentence followed by
/// one that continues it (lower case, or after a long unfinished line).
fn rejoin_page_splits(blocks: &mut Vec<Block>) {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks.drain(..) {
        if let Some(prev) = out.last_mut() {
            let unfinished = !ends_sentence(&prev.text) && atx_heading(&prev.raw).is_none();
            let continues = starts_lowercase(&b.text)
                || (prev.text.len() > 90
                    && !is_heading_like(&b)
                    && speakers::label_of(&b.text).is_none());
            if unfinished && continues && (starts_lowercase(&b.text) || !is_heading_like(prev)) {
                prev.text.push(' ');
                prev.text.push_str(&b.text);
                prev.raw.push('\n');
                prev.raw.push_str(&b.raw);
                continue;
            }
        }
        out.push(b);
    }
    *blocks = out;
}

fn build_essay(d: Draft) -> Essay {
    // Headings become section names, the rest paragraphs.
    let mut section: Option<String> = None;
    let mut texts: Vec<(String, Option<String>)> = Vec::new();
    // A heading names the text after it; a short line with no text after
    // it (a last paragraph without end punctuation) is text itself.
    let heading: Vec<bool> = d.blocks.iter().map(is_heading_like).collect();
    let mut body_follows = vec![false; d.blocks.len()];
    for i in (0..d.blocks.len().saturating_sub(1)).rev() {
        body_follows[i] = body_follows[i + 1] || !heading[i + 1];
    }
    for (i, b) in d.blocks.iter().enumerate() {
        if heading[i] && body_follows[i] {
            section = Some(
                atx_heading(&b.raw)
                    .map(|h| collapse_ws(&strip_inline(h)))
                    .unwrap_or_else(|| b.text.clone()),
            );
            continue;
        }
        texts.push((b.text.clone(), section.clone()));
    }
    let intro = format!(
        "{} {} {}",
        d.meta.title,
        d.meta.subtitle.as_deref().unwrap_or(""),
        texts.first().map(|t| t.0.as_str()).unwrap_or("")
    );
    let plain: Vec<String> = texts.iter().map(|t| t.0.clone()).collect();
    let attribution = speakers::attribute(&plain, &intro);
    let note_numbers: Vec<u32> = d.notes.iter().map(|n| n.number).collect();
    let mut paragraphs = Vec::with_capacity(texts.len());
    for (i, (text, section)) in texts.into_iter().enumerate() {
        let (speaker, start) = attribution
            .as_ref()
            .map(|a| a.turns[i])
            .unwrap_or((None, 0));
        let spoken = &text[start..];
        let (clean, notes) = strip_note_markers(spoken, &note_numbers);
        if clean.is_empty() {
            continue;
        }
        paragraphs.push(Paragraph {
            number: paragraphs.len() as u32 + 1,
            sentences: sentences::split(&clean),
            text: clean,
            speaker,
            section,
            notes,
            turn: None,
        });
    }
    let speakers = attribution.map(|a| a.speakers).unwrap_or_default();
    mark_turns(&mut paragraphs, &speakers);
    let mut meta = d.meta;
    interviewees_as_authors(&mut meta.authors, &speakers);
    let usage = CapitalUsage::of(&paragraphs);
    meta.title_sentence_case = Some(crate::text::case::sentence_case(meta.cited_title(), |w| {
        usage.is_proper(w)
    }));
    Essay {
        meta,
        speakers,
        paragraphs,
        notes: d.notes,
    }
}

/// How the essay writes each word inside sentences, which tells a proper
/// noun ("Russia", "the West") from a common one ("luxury", "internationalism"
/// at the start of a sentence only).
struct CapitalUsage {
    /// Lower-cased word: (capitalized mid-sentence, written in lower case).
    counts: HashMap<String, (u32, u32)>,
}

impl CapitalUsage {
    fn of(paragraphs: &[Paragraph]) -> CapitalUsage {
        let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
        for p in paragraphs {
            for s in &p.sentences {
                let sentence = &p.text[s.start as usize..s.end as usize];
                for (i, token) in sentence.split_whitespace().enumerate() {
                    let word: String = token
                        .trim_matches(|c: char| !c.is_alphanumeric())
                        .to_string();
                    let Some(first) = word.chars().next() else {
                        continue;
                    };
                    let entry = counts.entry(word.to_lowercase()).or_default();
                    if first.is_lowercase() {
                        entry.1 += 1;
                    } else if i > 0 && first.is_uppercase() {
                        entry.0 += 1;
                    }
                }
            }
        }
        CapitalUsage { counts }
    }

    /// A word the essay capitalizes inside sentences more often than not.
    /// A word the essay never uses (or only opening sentences) keeps the
    /// title's spelling: the title is the only witness.
    fn is_proper(&self, word: &str) -> Option<bool> {
        match self.counts.get(&word.to_lowercase()) {
            Some(&(0, 0)) | None => None,
            Some(&(capital, lower)) => Some(capital > lower),
        }
    }
}

/// Whether each interview turn answers or asks. An interviewee's turn
/// answers. An interviewer's turn asks, unless it answers a question put by
/// someone else (directly, or continuing such an answer): at the end of a
/// conversation the interviewee may ask the interviewers in turn.
fn mark_turns(paragraphs: &mut [Paragraph], speakers: &[crate::model::Speaker]) {
    use crate::model::SpeakerRole;
    // The previous turn: who spoke, whether it asked, whether it answered.
    let mut prev: Option<(usize, bool, bool)> = None;
    for p in paragraphs.iter_mut() {
        let Some(who) = p.speaker else {
            continue;
        };
        let Some(role) = speakers.get(who).map(|s| s.role) else {
            continue;
        };
        // A turn asks when it ends on a question (a rhetorical "?" inside
        // an answer does not hand the floor over).
        let asks = p
            .text
            .trim_end_matches(|c: char| c.is_whitespace() || "\"”’')]".contains(c))
            .ends_with('?');
        let answers = match (role, prev) {
            (SpeakerRole::Interviewee, _) => true,
            (_, _) if asks => false,
            // An interviewer answering someone else's question…
            (_, Some((w, asked, _))) if w != who && asked => true,
            // …or going on with that answer.
            (_, Some((w, _, answered))) if w == who && answered => true,
            _ => false,
        };
        p.turn = Some(if answers {
            SpeakerRole::Interviewee
        } else {
            SpeakerRole::Interviewer
        });
        prev = Some((who, asks, answers));
    }
}

/// An interview's authors are its interviewees: a byline that also names
/// the interviewers (or a newspaper that conducted it) keeps them only as
/// interviewers, and a byline-less interview is credited to whoever answers.
fn interviewees_as_authors(authors: &mut Vec<String>, speakers: &[crate::model::Speaker]) {
    use crate::model::SpeakerRole;
    let interviewees: Vec<&str> = speakers
        .iter()
        .filter(|s| s.role == SpeakerRole::Interviewee)
        .map(|s| s.name.as_str())
        .collect();
    if interviewees.is_empty() {
        return;
    }
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let is_interviewer = |a: &str| {
        speakers
            .iter()
            .any(|s| s.role == SpeakerRole::Interviewer && same(&s.name, a))
    };
    authors.retain(|a| !is_interviewer(a));
    if authors.is_empty() {
        authors.extend(interviewees.iter().map(|s| s.to_string()));
    }
}

/// Remove `[n]` markers that refer to known notes; return the text and the numbers.
fn strip_note_markers(text: &str, known: &[u32]) -> (String, Vec<u32>) {
    if known.is_empty() {
        return (text.trim().to_string(), Vec::new());
    }
    let mut found = Vec::new();
    let out = NOTE_MARK.replace_all(text, |c: &regex::Captures| {
        let n: u32 = c[1].parse().unwrap_or(0);
        if known.contains(&n) {
            found.push(n);
            String::new()
        } else {
            c[0].to_string()
        }
    });
    (collapse_ws(&out), found)
}

fn slug_from_path(rel: &str) -> String {
    let no_ext = rel.rsplit_once('.').map(|(a, _)| a).unwrap_or(rel);
    slugify(no_ext)
}

fn title_from_path(rel: &str) -> String {
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let stem = stem.rsplit_once('.').map(|(a, _)| a).unwrap_or(stem);
    collapse_ws(&stem.replace(['-', '_'], " "))
}

/// Earlier of two optional dates.
pub fn earlier(a: Option<PartialDate>, b: Option<PartialDate>) -> Option<PartialDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsing_whitespace_agrees_with_split_whitespace() {
        for s in [
            "",
            "   ",
            "a",
            " a  b\t\tc\n",
            "x\u{0b}y\u{0c}z\r\nw",
            "\u{1f}ctl stays",
            "non-ascii\u{a0}space  and café",
        ] {
            let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_ws(s), expected, "{s:?}");
        }
    }
}
