//! What the command line prints: one JSON value with `--json`, plain text
//! otherwise. Rendering only: every answer comes complete from the core.

use crate::app::{
    describe_schedule, CiteAnswer, EssayText, Names, QueuedSuggestion, QuoteAnswer, ReadingPlan,
    ScheduleStatus,
};
use crate::model::{EssayRecord, PlanEntry, SpeakerRole};
use crate::prompts::{Picked, Prompt};
use crate::search::cite::describe_differences;
use crate::search::verdict::Verdict;
use serde_json::{json, Value};

/// Print one JSON value.
pub fn print_json(v: &Value) {
    println!("{}", serde_json::to_string_pretty(v).expect("json"));
}

/// The essay list.
pub fn essays(list: &[EssayRecord], as_json: bool) {
    if as_json {
        print_json(&json!(list
            .iter()
            .map(|e| json!({
                "id": e.meta.id,
                "title": e.meta.title,
                "subtitle": e.meta.subtitle,
                "authors": e.meta.authors,
                "speakers": e.speakers.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
                "interviewers": e.speakers.iter().filter(|s| s.role == SpeakerRole::Interviewer).map(|s| s.name.clone()).collect::<Vec<_>>(),
                "publication": e.meta.publication,
                "date": e.meta.date.map(|d| d.iso()),
                "first_published": e.meta.first_published.map(|d| d.iso()),
                "url": e.meta.url,
                "paragraphs": e.paragraphs,
                "notes": e.notes.len(),
                "file": e.meta.source_path,
            }))
            .collect::<Vec<_>>()));
        return;
    }
    for e in list {
        println!(
            "{}\n  {} — {}{} ({})",
            e.meta.id,
            e.meta.title,
            e.credit_line(),
            e.meta
                .date
                .map(|d| format!(", {}", d.iso()))
                .unwrap_or_default(),
            crate::text::count(u64::from(e.paragraphs), "paragraph", "paragraphs")
        );
    }
}

/// Quotes.
pub fn quotes(a: &QuoteAnswer, as_json: bool) {
    if as_json {
        print_json(&json!(a
            .quotes
            .iter()
            .map(|q| json!({
                "text": q.text,
                "essay_id": q.essay_id,
                "title": q.title,
                "speaker": q.speaker,
                "attribution": q.attribution,
                "quoted_from": q.quoted_from,
                "byline": q.byline,
                "url": q.url,
                "paragraph": q.paragraph,
                "citation": q.citation,
                "reference": q.cite.reference,
                "in_text": q.cite.in_text,
                "markdown": q.cite.markdown,
                "signal": q.cite.signal,
                "parts": q.cite.parts,
            }))
            .collect::<Vec<_>>()));
    } else if a.quotes.is_empty() {
        println!("No quotes found on that topic.");
    } else {
        for q in &a.quotes {
            let who = q
                .attribution
                .as_deref()
                .map(|s| format!("{s}, in "))
                .unwrap_or_default();
            println!(
                "“{}”\n  — {}{}, ¶{}\n  {}\n",
                q.text, who, q.title, q.paragraph, q.citation
            );
        }
    }
}

/// A cite answer.
pub fn cite(r: &CiteAnswer, as_json: bool) {
    if as_json {
        print_json(&serde_json::to_value(r).expect("json"));
        return;
    }
    let who = |s: &Option<String>| s.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
    match r {
        CiteAnswer::Altered {
            at,
            differences,
            quote_marked,
            passage_marked,
            ..
        } => println!(
            "Altered: the library says something different, so this quote is not attributed.\nIn “{}”{}, ¶{} (differing words in **bold**):\n\nYou quoted:    “{quote_marked}”\nThe text says: “{passage_marked}”\n\nWhat differs: {}",
            at.title,
            who(&at.speaker),
            at.paragraph,
            describe_differences(differences)
        ),
        CiteAnswer::Found(f) => {
            match f.verdict {
                Verdict::Verbatim => {}
                Verdict::Paraphrase => println!(
                    "Reworded: not the text's own words, but the same point. The passage it rewords:"
                ),
                _ => println!(
                    "Misquoted, meaning kept: {}",
                    describe_differences(&f.differences)
                ),
            }
            println!(
                "Found ({:.0}% match) in “{}”{}, ¶{}:\n\n“{}”\n\n{}",
                f.confidence * 100.0,
                f.at.title,
                who(&f.at.speaker),
                f.at.paragraph,
                f.at.text,
                f.citation.full
            );
        }
        CiteAnswer::NotFound { suggestion, .. } => {
            println!("Not found in this library: this quote could not be verified.");
            if let Some(s) = suggestion {
                println!(
                    "\nClosest passage ({:.0}% match), “{}”, ¶{}:\n“{}”",
                    s.confidence * 100.0,
                    s.title,
                    s.paragraph,
                    s.text
                );
            }
        }
    }
}

/// One quoted passage of a prompt: the quote, who and where, its citation.
fn passage_text(quote: &str, speaker: Option<&str>, title: &str, paragraph: u32, citation: &str) {
    let who = speaker.map(|s| format!("{s}, in ")).unwrap_or_default();
    println!("  “{quote}”\n  — {who}{title}, ¶{paragraph}\n  {citation}");
}

fn prompt_text(p: &Prompt) {
    println!("{}\n", p.question);
    if let Some(by) = &p.suggested_by {
        println!("  (suggested by {by})\n");
    }
    passage_text(
        &p.quote,
        p.speaker.as_deref(),
        &p.title,
        p.paragraph,
        &p.citation,
    );
    if let Some(b) = &p.compare_with {
        println!();
        passage_text(
            &b.quote,
            b.speaker.as_deref(),
            &b.title,
            b.paragraph,
            &b.citation,
        );
    }
    println!();
}

/// A chosen prompt.
pub fn picked(p: &Picked, as_json: bool) {
    if as_json {
        let mut v = serde_json::to_value(&p.prompt).expect("json");
        v["started_over"] = json!(p.started_over);
        v["remaining"] = json!(p.remaining);
        print_json(&v);
        return;
    }
    if p.started_over {
        println!("(This circle has seen every prompt in its pool; starting over.)\n");
    }
    prompt_text(&p.prompt);
}

/// An essay's prompt pool.
pub fn pool(essay: &str, pool: &[Prompt], as_json: bool) {
    if as_json {
        print_json(&serde_json::to_value(pool).expect("json"));
        return;
    }
    println!("{} prompts for {essay}\n", pool.len());
    for p in pool {
        println!("[{}] ({})", p.id, p.kind);
        prompt_text(p);
    }
}

/// An essay's text with its paragraph numbers.
pub fn essay_text(t: &EssayText, as_json: bool) {
    let rec = &t.record;
    if as_json {
        print_json(&json!({
            "id": rec.meta.id,
            "title": rec.meta.title,
            "speakers": rec.speakers,
            "notes": rec.notes,
            "paragraphs": t.paragraphs.iter().map(|p| json!({
                "number": p.number,
                "speaker": rec.speaker_name(p.speaker),
                "turn": p.turn,
                "section": p.section,
                "notes": p.notes,
                "text": p.text,
                "sentences": p.sentences.len(),
            })).collect::<Vec<_>>(),
        }));
        return;
    }
    println!("{}\n", rec.meta.title);
    let mut section = None;
    for p in &t.paragraphs {
        if p.section != section {
            section = p.section.clone();
            if let Some(s) = &section {
                println!("## {s}\n");
            }
        }
        let who = rec
            .speaker_name(p.speaker)
            .map(|s| format!("{s}: "))
            .unwrap_or_default();
        println!("[{}] {who}{}\n", p.number, p.text);
    }
    for n in &rec.notes {
        println!("[^{}] {}", n.number, n.text);
    }
}

/// A suggestion as JSON.
pub fn suggestion_json(q: &QueuedSuggestion) -> Value {
    let s = &q.suggestion;
    json!({
        "id": s.id,
        "question": s.question,
        "essay_id": s.essay,
        "title": q.title,
        "paragraph": s.paragraph,
        "suggested_by": s.member_name,
        "status": s.status,
    })
}

/// A circle's suggestion queue.
pub fn queue(queue: &[QueuedSuggestion], as_json: bool) {
    if as_json {
        print_json(&json!(queue
            .iter()
            .map(suggestion_json)
            .collect::<Vec<_>>()));
    } else if queue.is_empty() {
        println!("No suggestions are waiting.");
    } else {
        for q in queue {
            let s = &q.suggestion;
            println!(
                "#{} {}
   about “{}”, ¶{} — suggested by {}",
                s.id, s.question, q.title, s.paragraph, s.member_name
            );
        }
    }
}

/// A reading-plan entry as JSON.
pub fn reading_json(e: &PlanEntry) -> Value {
    json!({
        "number": e.id,
        "essay_id": e.essay,
        "starts": e.starts.to_string(),
        "ends": e.ends.map(|d| d.to_string()),
        "paragraphs": e.paragraphs.map(|(a, b)| json!([a, b])),
    })
}

/// A circle's reading plan.
pub fn reading_plan(plan: &ReadingPlan, as_json: bool) {
    if as_json {
        print_json(&json!(plan
            .entries
            .iter()
            .map(|e| {
                let mut v = reading_json(e);
                v["current"] = json!(Some(e.id) == plan.current);
                v
            })
            .collect::<Vec<_>>()));
    } else if plan.entries.is_empty() {
        println!("The reading plan is empty.");
    } else {
        for line in plan.lines() {
            println!("{line}");
        }
    }
}

/// A circle's schedule.
pub fn schedule(s: &ScheduleStatus, as_json: bool) {
    let (schedule, next) = match s {
        ScheduleStatus::On { schedule, next } => (Some(schedule), Some(next)),
        ScheduleStatus::Off(schedule) => (Some(schedule), None),
        ScheduleStatus::Unset => (None, None),
    };
    if as_json {
        print_json(&match schedule {
            None => json!(null),
            Some(s) => json!({
                "enabled": s.enabled,
                "channel_id": s.channel_id.to_string(),
                "local_time": s.local_time,
                "time_zone": s.time_zone,
                "cadence": s.cadence.describe(),
                "essay_id": s.essay,
                "role_id": s.role_id.map(|r| r.to_string()),
                "next": next.map(|t| t.to_string()),
            }),
        });
        return;
    }
    match (schedule, next) {
        (Some(s), Some(next)) => println!(
            "{}",
            describe_schedule(
                s,
                Names {
                    channel: format!("channel {}", s.channel_id),
                    role: s.role_id.map(|r| format!("role {r}")),
                    next: next.to_string(),
                    essay: s.essay.clone(),
                }
            )
        ),
        (Some(_), None) => println!("The daily prompt is off. `schedule set` turns it on again."),
        _ => println!("No daily prompt is scheduled."),
    }
}

/// The benchmark's table.
pub fn bench_table(rows: &[Value]) {
    println!("| library | essays | source MB | rebuild s (median; runs) | MB/s | index MB | start-up ms | RSS ready/serving/peak MB | serving RSS anon/file MB | quote p50/p99 ms | cite p50/p99 ms | cite right | prompt p50/p99 ms | pool (cold) p50 ms | scan p50 ms | scan/quote p50 | add 1 essay s |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let b = &r["build"];
        let p = &r["probe"];
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
        let mb = |v: &serde_json::Value| f(v) / 1_048_576.0;
        let kib = |v: &serde_json::Value| f(v) / 1024.0;
        println!(
            "| {} | {} | {:.1} | {:.2} ({}) | {:.1} | {:.1} | {:.0} | {:.0}/{:.0}/{:.0} | {:.0}/{:.0} | {:.2}/{:.2} | {:.2}/{:.2} | {}/{} | {:.3}/{:.3} | {:.0} | {:.0} | {:.0}x | {} |",
            r["library"].as_str().unwrap_or(""),
            b["essays"],
            mb(&b["source_bytes"]),
            f(&b["seconds"]),
            b["runs_s"]
                .as_array()
                .map(|r| r
                    .iter()
                    .map(|v| format!("{:.2}", f(v)))
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default(),
            f(&b["mb_per_s"]),
            mb(&b["index_bytes"]),
            f(&p["startup_ms"]),
            kib(&p["rss_ready_kib"]),
            kib(&p["rss_serving_kib"]),
            kib(&p["rss_peak_kib"]),
            kib(&p["rss_anon_kib"]),
            kib(&p["rss_file_kib"]),
            f(&p["quote"]["p50_ms"]),
            f(&p["quote"]["p99_ms"]),
            f(&p["cite"]["p50_ms"]),
            f(&p["cite"]["p99_ms"]),
            p["cite_found"],
            p["cite"]["n"],
            f(&p["prompt"]["p50_ms"]),
            f(&p["prompt"]["p99_ms"]),
            f(&p["prompt_pool"]["p50_ms"]),
            f(&p["scan"]["p50_ms"]),
            f(&p["scan"]["p50_ms"]) / f(&p["quote"]["p50_ms"]).max(1e-9),
            r["add_one_essay_s"].as_f64().map(|s| format!("{s:.2}")).unwrap_or_else(|| "—".into()),
        );
    }
    // Semantic search, when it was on: the quote figures above include it.
    for r in rows {
        let s = &r["probe"]["semantic"];
        if s.is_null() {
            continue;
        }
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
        println!(
            "{}: semantic search ({}) embedded {} texts in {:.1} s ({:.0} texts/s), RSS then {:.0} MB",
            r["library"].as_str().unwrap_or(""),
            s["embedder"].as_str().unwrap_or(""),
            s["texts"],
            f(&s["seconds"]),
            f(&s["texts"]) / f(&s["seconds"]).max(1e-9),
            f(&s["rss_kib"]) / 1024.0,
        );
    }
    // What a circle's scope (the owner filter) costs, same queries.
    for r in rows {
        let p = &r["probe"];
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
        println!(
            "{}: quote p50/p99 {:.2}/{:.2} ms with no scope (as before circles), {:.2}/{:.2} ms as a circle; cite {:.2}/{:.2} ms, {:.2}/{:.2} ms as a circle",
            r["library"].as_str().unwrap_or(""),
            f(&p["quote_shared"]["p50_ms"]),
            f(&p["quote_shared"]["p99_ms"]),
            f(&p["quote_circle"]["p50_ms"]),
            f(&p["quote_circle"]["p99_ms"]),
            f(&p["cite_shared"]["p50_ms"]),
            f(&p["cite_shared"]["p99_ms"]),
            f(&p["cite_circle"]["p50_ms"]),
            f(&p["cite_circle"]["p99_ms"]),
        );
    }
}
