//! The core's one API: each use case's policy, as both adapters get it.

mod common;

use commonplace::app::{
    App, CiteAnswer, PromptQuery, PromptWanted, ReadingRequest, ScheduleRequest, ScheduleStatus,
    Upload,
};
use commonplace::config::Config;
use commonplace::library::{Library, LibraryOptions};
use commonplace::schedule::Clock;
use commonplace::Error;
use std::sync::Arc;

struct At(jiff::Timestamp);

impl Clock for At {
    fn now(&self) -> jiff::Timestamp {
        self.0
    }
}

fn app(data: &std::path::Path) -> App {
    let added = Library::added_dir(data);
    std::fs::create_dir_all(&added).unwrap();
    let (lib, _) = Library::open(LibraryOptions {
        roots: vec![common::seeds_dir(), added],
        data_dir: data.to_path_buf(),
    })
    .unwrap();
    let config = Config {
        data_dir: data.to_path_buf(),
        ..Default::default()
    };
    App::new(
        Arc::new(lib),
        None,
        config,
        Arc::new(At("2026-11-23T12:00:00Z".parse().unwrap())),
    )
}

#[test]
fn a_preview_records_nothing_and_a_posted_prompt_is_not_repeated() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let key = commonplace::circle::key("42");
    for _ in 0..3 {
        app.preview_daily("42").unwrap();
    }
    assert!(app.state().unwrap().shown(&key).unwrap().is_empty());
    let q = PromptQuery::default();
    let first = app.prompt(Some("42"), &q, PromptWanted::ToPost).unwrap();
    let second = app.prompt(Some("42"), &q, PromptWanted::ToPost).unwrap();
    assert_ne!(first.prompt.id, second.prompt.id);
    assert_eq!(app.state().unwrap().shown(&key).unwrap().len(), 2);
}

#[test]
fn without_a_circle_a_seed_gives_the_same_prompt_from_one_essay() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let q = PromptQuery {
        seed: Some(7),
        ..PromptQuery::default()
    };
    let a = app.prompt(None, &q, PromptWanted::ToPost).unwrap();
    let b = app.prompt(None, &q, PromptWanted::ToPost).unwrap();
    assert_eq!(a.prompt.id, b.prompt.id);
    assert_eq!(a.prompt.question, b.prompt.question);
    // Different seeds spread over the library's essays.
    let essays: std::collections::HashSet<String> = (1..=20)
        .map(|s| {
            let q = PromptQuery {
                seed: Some(s),
                ..PromptQuery::default()
            };
            app.prompt(None, &q, PromptWanted::ToPost)
                .unwrap()
                .prompt
                .essay_id
        })
        .collect();
    assert!(essays.len() >= 3, "{essays:?}");
}

#[test]
fn cite_answers_are_found_altered_or_not_found() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    // Verbatim, from survival-mechanism ¶16 (as the e2e tests cite it).
    match app
        .cite(
            None,
            "the left is merely obsessed with US imperialism",
            None,
        )
        .unwrap()
    {
        CiteAnswer::Found(f) => {
            assert_eq!(f.at.essay_id, "survival-mechanism");
            assert!(f.citation.full.contains("Survival Mechanism"));
        }
        other => panic!("{other:?}"),
    }
    match app
        .cite(None, "the left is not obsessed with US imperialism", None)
        .unwrap()
    {
        CiteAnswer::Altered { at, .. } => assert_eq!(at.essay_id, "survival-mechanism"),
        other => panic!("{other:?}"),
    }
    let invented = app
        .cite(
            None,
            "Workers of the world unite, you have nothing to lose but your chains",
            None,
        )
        .unwrap();
    assert!(
        matches!(invented, CiteAnswer::NotFound { .. }),
        "{invented:?}"
    );
    let json = serde_json::to_value(&invented).unwrap();
    assert_eq!(json["found"], false);
    assert_eq!(json["verdict"], "not_found");
}

#[test]
fn organiser_input_is_validated_once_in_the_core() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let upload = |filename: &str, date: Option<&str>, url: Option<&str>| Upload {
        filename: filename.into(),
        bytes: b"Notes\n\nA paragraph of notes on reading together.\n".to_vec(),
        date: date.map(str::to_string),
        url: url.map(str::to_string),
        ..Upload::default()
    };
    let refused = |r: commonplace::Result<_>| match r {
        Err(Error::InvalidInput(m)) => m,
        Err(e) => panic!("not an input error: {e}"),
        Ok(_) => panic!("accepted"),
    };
    assert!(refused(app.add_essay(None, upload("a.txt", None, None))).contains("circle"));
    assert!(refused(app.add_essay(Some("42"), upload("a.pdf", None, None))).contains(".txt"));
    assert!(
        refused(app.add_essay(Some("42"), upload("a.txt", Some("last tuesday"), None)))
            .contains("date")
    );
    assert!(
        refused(app.add_essay(Some("42"), upload("a.txt", None, Some("javascript:x"))))
            .contains("URL")
    );
    let rec = app
        .add_essay(Some("42"), upload("a.txt", Some("2024-03-12"), None))
        .unwrap();
    assert_eq!(rec.meta.owner.as_deref(), Some("42"));
    // Reading plans and schedules are a circle's; a schedule a server's.
    assert!(app
        .reading_add(
            None,
            &ReadingRequest {
                essay: "aleppo".into(),
                ..ReadingRequest::default()
            }
        )
        .is_err());
    let request = ScheduleRequest {
        channel_id: 9,
        time: "09:00".into(),
        zone: "Europe/London".into(),
        ..ScheduleRequest::default()
    };
    assert!(app.schedule_set(Some("book-club"), &request).is_err());
    let status = app.schedule_set(Some("42"), &request).unwrap();
    let ScheduleStatus::On { next, .. } = status else {
        panic!("{status:?}")
    };
    assert_eq!(next.to_string(), "2026-11-24T09:00:00Z");
    assert!(app.schedule_off(Some("42")).unwrap());
    assert!(matches!(
        app.schedule_status(Some("42")).unwrap(),
        ScheduleStatus::Off(_)
    ));
}
