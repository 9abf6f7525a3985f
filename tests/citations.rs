//! Citation formats: MLA 9, APA 7, Chicago 17, with locators, interviews and
//! missing authors and dates.

mod common;

use commonplace::citation::{cite, Style};

fn record(id: &str) -> commonplace::model::EssayRecord {
    let (lib, _d) = common::seeds();
    lib.snapshot().essay(id).unwrap().clone()
}

#[test]
fn mla_single_author_with_url() {
    let r = record("what-internationalism-today");
    let c = cite(&r, 5, None, Style::Mla, common::accessed());
    assert_eq!(
        c.reference,
        "Kellaway, Dave. “What Internationalism Do We Need Today?” Anti*Capitalist Resistance, 29 Jan. 2024, anticapitalistresistance.org/what-internationalism-do-we-need-today/."
    );
    assert_eq!(c.in_text, "(Kellaway, par. 5)");
}

#[test]
fn apa_and_chicago_single_author() {
    let r = record("what-internationalism-today");
    let apa = cite(&r, 5, None, Style::Apa, common::accessed());
    assert_eq!(
        apa.reference,
        "Kellaway, D. (2024, January 29). What internationalism do we need today? Anti*Capitalist Resistance. https://anticapitalistresistance.org/what-internationalism-do-we-need-today/"
    );
    assert_eq!(apa.in_text, "(Kellaway, 2024, para. 5)");
    let ch = cite(&r, 5, None, Style::Chicago, common::accessed());
    assert_eq!(
        ch.in_text,
        "Dave Kellaway, “What Internationalism Do We Need Today?” Anti*Capitalist Resistance, January 29, 2024, par. 5, https://anticapitalistresistance.org/what-internationalism-do-we-need-today/."
    );
    assert!(ch
        .reference
        .starts_with("Kellaway, Dave. “What Internationalism Do We Need Today?” Anti*Capitalist Resistance, January 29, 2024. https://"));
}

#[test]
fn interviews_cite_the_interviewee_with_the_interviewer() {
    let r = record("survival-mechanism");
    let mla = cite(
        &r,
        7,
        Some("Oleksandr Kyselov"),
        Style::Mla,
        common::accessed(),
    );
    assert!(mla.reference.starts_with("Kyselov, Oleksandr. “Internationalism Is Not a Luxury, but a Survival Mechanism.” International Viewpoint, 1 May 2026,"), "{}", mla.reference);
    // A passage by the interviewer cites both interviewees.
    let both = cite(&r, 1, Some("WOZ"), Style::Mla, common::accessed());
    assert!(
        both.reference
            .starts_with("al-Shami, Leila, and Oleksandr Kyselov."),
        "{}",
        both.reference
    );
    let apa = cite(
        &r,
        7,
        Some("Oleksandr Kyselov"),
        Style::Apa,
        common::accessed(),
    );
    assert!(
        apa.reference.starts_with("Kyselov, O. (2026, May 1)."),
        "{}",
        apa.reference
    );
    let ch = cite(
        &r,
        7,
        Some("Oleksandr Kyselov"),
        Style::Chicago,
        common::accessed(),
    );
    // WOZ, a newspaper, is not named as the person who interviewed.
    assert!(!ch.in_text.contains("WOZ"), "{}", ch.in_text);
    assert!(ch.in_text.contains("par. 7"));
}

#[test]
fn missing_author_and_date() {
    let r = record("modern-theory-of-internationalism");
    let mla = cite(&r, 3, None, Style::Mla, common::accessed());
    // No URL: no access date (nothing was accessed online).
    assert_eq!(
        mla.reference,
        "“Toward a Modern Theory of Internationalism.”"
    );
    // The short title does not end on "of"; MLA puts the comma inside.
    assert_eq!(mla.in_text, "(“Toward a Modern Theory,” par. 3)");
    let apa = cite(&r, 3, None, Style::Apa, common::accessed());
    assert_eq!(
        apa.reference,
        "Toward a modern theory of internationalism. (n.d.)."
    );
    assert!(apa.in_text.contains("n.d., para. 3"));
    let ch = cite(&r, 3, None, Style::Chicago, common::accessed());
    assert_eq!(
        ch.in_text,
        "“Toward a Modern Theory of Internationalism,” par. 3."
    );
    // An author with no date.
    let t = record("internationalism-from-above");
    let apa = cite(&t, 2, None, Style::Apa, common::accessed());
    assert!(
        apa.reference.starts_with("S., T. (n.d.)."),
        "{}",
        apa.reference
    );
}

#[test]
fn styles_parse_from_user_text() {
    assert_eq!("APA".parse::<Style>().unwrap(), Style::Apa);
    assert!("harvard".parse::<Style>().is_err());
}
