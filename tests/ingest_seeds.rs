//! Ingestion of the shipped seeds: metadata, cleaning, speakers, footnotes.

mod common;

use commonplace::ingest::load_library;
use commonplace::model::{Essay, PartialDate, SpeakerRole};

fn seeds() -> Vec<Essay> {
    let r = load_library(&[common::seeds_dir()]).unwrap();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(r.essays.len(), 5);
    r.essays
}

fn essay<'a>(all: &'a [Essay], id: &str) -> &'a Essay {
    all.iter()
        .find(|e| e.meta.id == id)
        .unwrap_or_else(|| panic!("no essay {id}"))
}

fn body(e: &Essay) -> String {
    e.paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn international_viewpoint_export_metadata() {
    let all = seeds();
    let e = essay(&all, "survival-mechanism");
    assert_eq!(
        e.meta.title,
        "Internationalism Is Not a Luxury, but a Survival Mechanism"
    );
    assert_eq!(
        e.meta.url.as_deref(),
        Some("https://internationalviewpoint.org/Internationalism-Is-Not-a-Luxury-but-a-Survival-Mechanism")
    );
    assert_eq!(e.meta.date, Some(PartialDate::ymd(2026, 5, 1)));
    assert_eq!(e.meta.first_published, Some(PartialDate::ymd(2026, 1, 22)));
    assert_eq!(
        e.meta.publication.as_deref(),
        Some("International Viewpoint")
    );
    // No byline: the interview is credited to the interviewees the text
    // names (WOZ, the newspaper, asks the questions); nothing is invented.
    assert_eq!(e.meta.authors, vec!["Leila al-Shami", "Oleksandr Kyselov"]);
    assert!(e
        .meta
        .subtitle
        .as_deref()
        .unwrap()
        .starts_with("The world of yesterday at the abyss"));
}

#[test]
fn surname_first_byline_and_ps_source() {
    let all = seeds();
    let e = essay(&all, "what-internationalism-today");
    assert_eq!(e.meta.title, "What internationalism do we need today?");
    assert_eq!(e.meta.authors, vec!["Dave Kellaway"]);
    assert_eq!(e.meta.date, Some(PartialDate::ymd(2024, 2, 8)));
    assert_eq!(e.meta.first_published, Some(PartialDate::ymd(2024, 1, 29)));
    assert_eq!(
        e.meta.url.as_deref(),
        Some("https://anticapitalistresistance.org/what-internationalism-do-we-need-today/")
    );
    assert_eq!(
        e.meta.publication.as_deref(),
        Some("Anti*Capitalist Resistance")
    );
    let text = body(e);
    // The signature and the P.S. are not body text.
    assert!(!text.contains("Editorial Board"));
    assert!(!e.paragraphs.iter().any(|p| p.text == "Dave Kellaway"));
}

#[test]
fn interview_with_three_names_in_byline() {
    let all = seeds();
    let e = essay(&all, "aleppo-interview");
    assert!(e.meta.title.starts_with("Alep, the West, Russia & Syria"));
    // The byline names all three; the interviewee is the author, the
    // others are the interviewers.
    assert_eq!(e.meta.authors, vec!["Leila al-Shami"]);
    assert_eq!(e.meta.date, Some(PartialDate::ymd(2016, 12, 18)));
    assert_eq!(e.meta.first_published, Some(PartialDate::ymd(2016, 11, 29)));
    assert_eq!(
        e.meta.url.as_deref(),
        Some("http://www.criticatac.ro/lefteast/interview-with-leila-al-shami-for-open-left/")
    );
}

#[test]
fn end_byline_and_unknowns() {
    let all = seeds();
    let e = essay(&all, "internationalism-from-above");
    assert_eq!(
        e.meta.title,
        "The contradictions of internationalism from above"
    );
    assert_eq!(e.meta.authors, vec!["Travis S."]);
    assert_eq!(e.meta.date, None);
    let text = body(e);
    for chrome in [
        "Skip to content",
        "Donate",
        "View All",
        "please consider donating",
        "Featured Image",
        "Photo by",
        "community organizer",
    ] {
        assert!(!text.contains(chrome), "chrome left in body: {chrome}");
    }
    let e = essay(&all, "modern-theory-of-internationalism");
    assert_eq!(e.meta.title, "Toward a Modern Theory of Internationalism");
    assert!(e.meta.authors.is_empty());
    assert_eq!(e.meta.date, None);
    assert_eq!(e.meta.url, None);
    assert!(e
        .meta
        .subtitle
        .as_deref()
        .unwrap()
        .starts_with("Democratic internationalism requires"));
}

#[test]
fn running_headers_removed_and_page_splits_rejoined() {
    let all = seeds();
    let e = essay(&all, "survival-mechanism");
    let text = body(e);
    assert!(
        !text.contains("Survival Mechanism"),
        "running header left in the body"
    );
    // Split by a page break with the running header in between.
    assert!(text.contains("most of them from Ukraine – first men from the construction industry"));
    assert!(text.contains("But the left is merely obsessed with US imperialism."));
    assert!(text.contains("exist in other European countries are represented there"));
    assert!(!e
        .paragraphs
        .iter()
        .any(|p| p.text.starts_with("merely obsessed")));
    let kellaway = body(essay(&all, "what-internationalism-today"));
    assert!(kellaway.contains("He predicted more or less the trajectory of events"));
    let aleppo = body(essay(&all, "aleppo-interview"));
    assert!(aleppo.contains("absolute slaughter of the people is only going to increase extremism"));
    assert!(aleppo.contains("Russia withdraws and stops helping Assad"));
}

#[test]
fn footnotes_are_notes_linked_to_markers() {
    let all = seeds();
    let e = essay(&all, "survival-mechanism");
    assert_eq!(e.notes.len(), 13);
    assert_eq!(e.notes[0].number, 1);
    // The note split by a page header is whole again.
    assert!(
        e.notes[0]
            .text
            .ends_with("serves corporate and neoliberal interests."),
        "{}",
        e.notes[0].text
    );
    assert!(e.notes[0].text.contains("selected intellectuals discuss"));
    let text = body(e);
    assert!(!text.contains("[1]") && !text.contains("[13]"));
    assert!(!text.contains("The World Economic Forum is an annual gathering"));
    let first = &e.paragraphs[0];
    assert_eq!(first.notes, vec![1]);
    // Non-numeric brackets are text, not markers.
    assert!(body(essay(&all, "aleppo-interview")).contains("[i.e. the People's Protection Units"));
}

#[test]
fn section_headings_are_headings_not_paragraphs() {
    let all = seeds();
    let e = essay(&all, "modern-theory-of-internationalism");
    assert!(!e
        .paragraphs
        .iter()
        .any(|p| p.text == "A New Cycle of Imperialism"));
    let p2 = &e.paragraphs[1];
    assert_eq!(p2.section.as_deref(), Some("A New Cycle of Imperialism"));
    assert_eq!(
        e.paragraphs.last().unwrap().section.as_deref(),
        Some("Where Do We Go From Here?")
    );
    let t = essay(&all, "internationalism-from-above");
    assert!(t
        .paragraphs
        .iter()
        .any(|p| p.section.as_deref() == Some("Left national bourgeoisies")));
}

fn speaker_of<'a>(e: &'a Essay, needle: &str) -> Option<&'a str> {
    let p = e
        .paragraphs
        .iter()
        .find(|p| p.text.contains(needle))
        .unwrap_or_else(|| panic!("no paragraph with {needle}"));
    e.speaker_of(p)
}

#[test]
fn speakers_in_the_woz_interview() {
    let all = seeds();
    let e = essay(&all, "survival-mechanism");
    let names: Vec<&str> = e.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names.contains(&"Leila al-Shami")
            && names.contains(&"Oleksandr Kyselov")
            && names.contains(&"WOZ")
    );
    let role = |n: &str| e.speakers.iter().find(|s| s.name == n).unwrap().role;
    assert_eq!(role("WOZ"), SpeakerRole::Interviewer);
    assert_eq!(role("Leila al-Shami"), SpeakerRole::Interviewee);
    assert_eq!(role("Oleksandr Kyselov"), SpeakerRole::Interviewee);
    // "Al-Shami:" and "Kyselov:" resolve to the full names.
    assert_eq!(
        speaker_of(e, "complete collapse of international norms"),
        Some("Leila al-Shami")
    );
    assert_eq!(
        speaker_of(e, "almost schizophrenic symptoms"),
        Some("Oleksandr Kyselov")
    );
    assert_eq!(
        speaker_of(e, "How do you explain this narrow focus?"),
        Some("WOZ")
    );
    // Labels are not part of the text.
    assert!(!e
        .paragraphs
        .iter()
        .any(|p| p.text.starts_with("Al-Shami:") || p.text.starts_with("WOZ:")));
}

#[test]
fn speakers_in_the_openleft_interview() {
    let all = seeds();
    let e = essay(&all, "aleppo-interview");
    let role = |n: &str| {
        e.speakers
            .iter()
            .find(|s| s.name == n)
            .unwrap_or_else(|| panic!("{n}"))
            .role
    };
    assert_eq!(role("Gabriel Levy"), SpeakerRole::Interviewer);
    assert_eq!(role("Ilya Matveev"), SpeakerRole::Interviewer);
    assert_eq!(role("Leila al-Shami"), SpeakerRole::Interviewee);
    assert_eq!(e.speakers.len(), 3);
    // "G:", "L:", "I:" resolve through the declared abbreviations.
    assert_eq!(
        speaker_of(e, "Has the victory of Donald Trump"),
        Some("Gabriel Levy")
    );
    assert_eq!(
        speaker_of(e, "Tyrants across the world know now"),
        Some("Leila al-Shami")
    );
    assert_eq!(
        speaker_of(e, "The irony is that Russian government"),
        Some("Ilya Matveev")
    );
    // An unlabelled continuation paragraph belongs to the last speaker.
    assert_eq!(
        speaker_of(e, "Hundreds of people are now trying to move"),
        Some("Leila al-Shami")
    );
    assert_eq!(
        speaker_of(e, "We need to ask ourselves who represent us"),
        Some("Leila al-Shami")
    );
    // The editorial introduction belongs to nobody.
    assert_eq!(speaker_of(e, "co-author of Burning Country"), None);
}

#[test]
fn paragraphs_numbered_from_one_with_sentence_offsets() {
    for e in seeds() {
        for (i, p) in e.paragraphs.iter().enumerate() {
            assert_eq!(p.number as usize, i + 1);
            assert!(!p.sentences.is_empty());
            for s in &p.sentences {
                let t = &p.text[s.start as usize..s.end as usize];
                assert_eq!(t, t.trim());
            }
        }
    }
}

#[test]
fn sentences_respect_initials() {
    let all = seeds();
    let e = essay(&all, "internationalism-from-above");
    for p in &e.paragraphs {
        for i in 0..p.sentences.len() {
            let s = p.sentence(i);
            assert!(
                !s.ends_with(" S.") && !s.ends_with("U.S."),
                "split after an initial: {s}"
            );
        }
    }
}

#[test]
fn corpora_front_matter_hard_wrap_and_a_433_kb_essay() {
    let r = load_library(&[common::corpora_dir()]).unwrap();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(r.essays.len(), 363);
    let by_path = |p: &str| {
        r.essays
            .iter()
            .find(|e| e.meta.source_path == p)
            .unwrap_or_else(|| panic!("{p}"))
    };
    let fed = by_path("federalist/001-federalist-no-1-general-introduction.md");
    assert_eq!(fed.meta.title, "Federalist No. 1: General Introduction");
    assert_eq!(fed.meta.authors, vec!["Alexander Hamilton"]);
    assert_eq!(fed.meta.date, Some(PartialDate::ymd(1787, 10, 27)));
    assert_eq!(
        fed.meta.collection.as_deref(),
        Some("The Federalist Papers")
    );
    assert_eq!(
        fed.meta.id,
        "federalist-001-federalist-no-1-general-introduction"
    );
    assert!(fed.paragraphs[0]
        .text
        .starts_with("To the People of the State of New York."));
    // Year-only dates stay year-only.
    let sorrow = r
        .essays
        .iter()
        .find(|e| e.meta.title == "Of sorrow")
        .unwrap();
    assert_eq!(sorrow.meta.date.unwrap().iso(), "1580");
    // Hard-wrapped lines are joined into paragraphs.
    assert!(sorrow.paragraphs.iter().all(|p| !p.text.contains('\n')));
    assert!(sorrow.paragraphs[0]
        .text
        .contains("yet generally the world, as a settled thing, is pleased"));
    // The longest essay of the corpora.
    let apology = r
        .essays
        .iter()
        .find(|e| {
            e.meta
                .source_path
                .ends_with("069-apology-for-raimond-sebond.md")
        })
        .unwrap();
    let bytes: usize = apology.paragraphs.iter().map(|p| p.text.len()).sum();
    assert!(bytes > 400_000, "{bytes}");
    assert!(apology.paragraphs.len() > 200);
    // No essay of the corpora is mistaken for an interview.
    assert!(
        r.essays.iter().all(|e| e.speakers.is_empty()),
        "{:?}",
        r.essays
            .iter()
            .filter(|e| !e.speakers.is_empty())
            .map(|e| &e.meta.id)
            .collect::<Vec<_>>()
    );
}
