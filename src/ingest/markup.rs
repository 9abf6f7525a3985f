//! Removing Markdown and HTML markup from scraped text while keeping its words.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\[\]]*)\]\([^()\s]*\)").unwrap());
static AUTOLINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<(https?://[^>\s]+)>").unwrap());
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?(?:sup|sub|em|strong|i|b|span|br|p)\b[^>]*>").unwrap());
static STRONG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\*\*([^*]+)\*\*").unwrap());
static EMPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[\s(“‘\x22])\*([^*\s][^*]*?)\*").unwrap());
static UNDERSCORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[\s(])_([^_\s][^_]*?)_($|[\s).,;:!?])").unwrap());

/// Strip inline markup: `[text](#)` links become `text`, `<https://…>` the URL,
/// `**bold**` and `*italic*` their words, `\*` a star, and inline HTML tags go.
pub fn strip_inline(text: &str) -> String {
    strip_inline_cow(text).into_owned()
}

/// [`strip_inline`], borrowing the text back when it had no markup.
pub fn strip_inline_cow(text: &str) -> Cow<'_, str> {
    // Most paragraphs carry no markup at all: each pass runs only when the
    // character it needs is there (this is on the indexing hot path).
    let mut t = Cow::Borrowed(text);
    if t.contains("](") {
        t = replace(t, &LINK, "$1");
    }
    if t.contains('<') {
        t = replace(t, &AUTOLINK, "$1");
        t = replace(t, &TAG, "");
    }
    if t.contains('*') {
        t = replace(t, &STRONG, "$1");
        t = replace(t, &EMPH, "$1$2");
    }
    if t.contains('_') {
        t = replace(t, &UNDERSCORE, "$1$2$3");
    }
    if t.contains('\\') {
        t = Cow::Owned(
            t.replace("\\*", "*")
                .replace("\\_", "_")
                .replace("\\[", "[")
                .replace("\\]", "]"),
        );
    }
    if t.contains('&') {
        t = Cow::Owned(t.replace("&nbsp;", " ").replace("&amp;", "&"));
    }
    t
}

fn replace<'a>(text: Cow<'a, str>, re: &Regex, with: &str) -> Cow<'a, str> {
    match re.replace_all(&text, with) {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// Whether a raw block was wholly bold (`**…**`), as ledes and signatures are.
pub fn is_bold_block(raw: &str) -> bool {
    let t = raw.trim();
    t.len() > 4 && t.starts_with("**") && t.ends_with("**") && !t[2..t.len() - 2].contains("**")
}

/// A Markdown ATX heading's text (`# Title` gives `Title`).
pub fn atx_heading(raw: &str) -> Option<&str> {
    let t = raw.trim_start();
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
        Some(t[hashes..].trim())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_links_emphasis_and_tags() {
        assert_eq!(
            strip_inline("by [KELLAWAY Dave](#) now"),
            "by KELLAWAY Dave now"
        );
        assert_eq!(
            strip_inline("**Bold** and *Burning Country*, 3<sup>rd</sup>"),
            "Bold and Burning Country, 3rd"
        );
        assert_eq!(strip_inline("Anti\\*Capitalist"), "Anti*Capitalist");
        assert_eq!(strip_inline("see <https://x.org/a>"), "see https://x.org/a");
    }
}
