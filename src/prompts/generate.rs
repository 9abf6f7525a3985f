//! Generating and ranking the prompt pool of an essay.

use super::passages::{
    abstract_noun, alludes, anchor_of, idea_anchor, idea_words, key_phrases, key_terms, leans_back,
    moral_words, mostly_foreign, narrates, nouns_named_by_this, particulars, passing_names,
    present_verbs, quotable, reason_of, Marks, GENERIC, LOOKUP,
};
use super::wording::{self, Shape};
use super::{Passage, Prompt, PromptKind};
use crate::citation::{self, Style};
use crate::error::Result;
use crate::index;
use crate::ingest::names::PersonName;
use crate::library::Snapshot;
use crate::model::EssayRecord;
use crate::model::{Paragraph, SpeakerRole};
use crate::search::query::{idf, topic_query};
use crate::search::quote::{best_window, MAX_QUOTE_CHARS};
use crate::state::State;

// Ordered maps and sets wherever iteration order reaches the output: the
// same seed must give the same prompt in every process.
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

/// Most prompts kept per essay.
const PER_ESSAY: usize = 80;
/// Candidates that look for a partner passage for a comparison.
const COMPARISON_SEEDS: usize = 24;

/// "There are tens of thousands of people under siege …": a saying that
/// counts what there is describes. ("There is no man doth a wrong, for
/// the wrong's sake" denies of all, as a maxim does; "There is an excess
/// of refinement in …" judges.) "There are places where brothels of young
/// men are kept …" tells of customs somewhere, as a traveller does.
static THERE_IS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*there(?:'s| is| are| was| were) (?:tens|hundreds|thousands|millions|dozens|scores|\d|(?:\w+ )?(?:places?|countries|country|nations?|peoples?|provinces?) (?:where|in which|that|who))").unwrap()
});

/// True when the passage names someone by a title or initials ("No one
/// ever saw Mrs. Conrady without …", "J.E. hath but a limited sympathy
/// …"): a character sketch of one person, not a claim a circle can weigh.
/// "U.S." and its like are places, not people.
fn names_a_person(text: &str) -> bool {
    static PERSON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:Mr|Mrs|Messrs|Miss|Dr|Sir|Lady|Lord)\b\.?\s+[A-Z]|\b[A-Z]\.\s?[A-Z]\.")
            .unwrap()
    });
    PERSON.find_iter(text).any(|m| {
        let initials: String = m.as_str().chars().filter(|c| c.is_alphabetic()).collect();
        !["US", "UK", "UN", "EU", "PS"].contains(&initials.as_str())
    })
}

/// Words of a landscape ("The forest has never so good a setting … as when
/// seen from the middle of a small lake amid hills …"): a saying full of
/// them paints a scene; its "good" and "best" are a painter's, not a
/// moralist's.
fn scenery(text: &str) -> usize {
    const SCENERY: &[&str] = &[
        "forest",
        "forests",
        "wood",
        "woods",
        "lake",
        "lakes",
        "pond",
        "ponds",
        "water",
        "waters",
        "hill",
        "hills",
        "shore",
        "shores",
        "field",
        "fields",
        "tree",
        "trees",
        "river",
        "rivers",
        "sky",
        "meadow",
        "meadows",
        "grass",
        "leaves",
        "snow",
        "ice",
        "sand",
        "stream",
        "brook",
        "bank",
        "banks",
        "valley",
        "mountain",
        "mountains",
        "rock",
        "rocks",
        "bird",
        "birds",
        "fox",
        "squirrel",
        "shade",
        "horizon",
        "cloud",
        "clouds",
        "wave",
        "waves",
    ];
    // Distinct words: a simile's "like the leaves of a book … like the
    // leaves of a tree" is one picture, not a landscape.
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| SCENERY.contains(&w.as_str()))
        .collect::<HashSet<_>>()
        .len()
}

/// A passage that opens on a named office or body of a constitution as its
/// subject ("The President can only adjourn the national legislature in
/// the single case of …", "The Congress under the proposed government will
/// do all the business …"): it says what the plan provides, which a circle
/// can read but hardly weigh. "A legislature, without exceeding its
/// province, cannot …" speaks of any legislature and is a claim.
static OFFICE_OPENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*(?:The |the )?(?:President|Senate|House of Representatives|Congress|Convention|Constitution|Union|Confederation|national legislature|legislature)\b(?:,| (?:can|may|shall|must|is|are|will|would|have|has|under|on)\b)").unwrap()
});

/// A character sketch or a provision of the plan (see [`names_a_person`],
/// [`OFFICE_OPENS`]): something to read, not a claim to weigh.
fn sketches_a_person_or_the_plan(text: &str) -> bool {
    names_a_person(text) || OFFICE_OPENS.is_match(text)
}

/// A word of obligation: the passage says how things ought to be.
static OUGHT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:ought|should|must|need to|have to|has to)\b").unwrap());

fn prompt_id(parts: &[&str]) -> String {
    format!(
        "{:012x}",
        xxhash_rust::xxh3::xxh3_64(parts.join("|").as_bytes()) & 0xffff_ffff_ffff
    )
}

struct Candidate {
    paragraph: Paragraph,
    from: usize,
    to: usize,
    term: Option<String>,
    centrality: f32,
    /// What the passage does: claims, reasons, concludes, concedes, calls
    /// to act, contrasts.
    marks: Marks,
    lookup: bool,
    /// What the passage is about, as the text says it: a noun phrase of the
    /// argument ("internationalism from below") or a key noun ("campism"),
    /// never a bare adjective or a name used as a label.
    anchor: Option<String>,
    /// The passage's own reason ("because …"), when short enough to quote.
    reason: Option<String>,
    /// Mostly words that are not English (a Latin tag, a quoted verse).
    foreign: bool,
    /// Says how things are, in the present tense (an aphorism, a general
    /// claim without a marker: "A mixture of a lie doth ever add pleasure").
    general: bool,
    /// Tells a story in the past tense: a scene, not a claim.
    narrative: bool,
    /// How far the passage is about particular people and places, and the
    /// writer, rather than ideas: names and "I" (see [`particulars`]).
    particulars: usize,
    /// Names someone or somewhere the essay mentions only in passing
    /// (see [`passing_names`]): an allusion, not an argument to weigh.
    alludes: bool,
    /// Words naming ideas (see [`idea_words`]).
    ideas: usize,
    /// Words of the moral and political vocabulary (see [`moral_words`]).
    moral: usize,
    /// A character sketch or a provision of the plan (see
    /// [`sketches_a_person_or_the_plan`]).
    sketch: bool,
    /// Names what the essay's title names.
    on_title: bool,
    /// The anchor is one of the essay's five weightiest terms or in its
    /// title: central enough to ask what it means.
    anchor_central: bool,
}

/// Who a question names: the speaker, else the author(s), each without a
/// note in brackets ("James Madison (attribution disputed)" is asked about
/// as "James Madison"; "James Madison (attribution disputed)’s claim" does
/// not read as English, and the citation keeps the note).
fn who(rec: &EssayRecord, speaker: Option<&str>) -> String {
    if let Some(s) = speaker {
        return s.to_string();
    }
    let authors: Vec<String> = rec
        .meta
        .authors
        .iter()
        .map(|a| PersonName::parse(a).natural())
        .collect();
    match authors.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [] => "the author".into(),
        [a, ..] => format!("{a} and co-authors"),
    }
}

fn passage(
    snap: &Snapshot,
    rec: &EssayRecord,
    p: &Paragraph,
    from: usize,
    to: usize,
    style: Style,
    accessed: jiff::civil::Date,
) -> Passage {
    let _ = snap;
    let speaker = rec.speaker_name(p.speaker);
    let cite = citation::cite(rec, p.number, speaker, style, accessed);
    Passage {
        essay_id: rec.meta.id.clone(),
        title: rec.meta.title.clone(),
        speaker: speaker.map(str::to_string),
        paragraph: p.number,
        quote: p.sentence_span(from, to).to_string(),
        citation: cite.full.clone(),
        cite: Some(cite),
    }
}

fn make_prompt(
    kind: PromptKind,
    question: String,
    a: Passage,
    b: Option<Passage>,
    score: f32,
) -> Prompt {
    let id = prompt_id(&[
        kind.as_str(),
        &a.essay_id,
        &a.paragraph.to_string(),
        &a.quote,
        b.as_ref().map(|b| b.essay_id.as_str()).unwrap_or(""),
        &b.as_ref()
            .map(|b| b.paragraph.to_string())
            .unwrap_or_default(),
    ]);
    Prompt {
        id,
        question,
        kind,
        essay_id: a.essay_id.clone(),
        title: a.title.clone(),
        speaker: a.speaker.clone(),
        paragraph: a.paragraph,
        quote: a.quote.clone(),
        citation: a.citation.clone(),
        citation_md: a
            .cite
            .as_ref()
            .map(|c| c.markdown.clone())
            .unwrap_or_default(),
        compare_with: b,
        score,
        suggested_by: None,
        template: String::new(),
    }
}

fn candidates(
    snap: &Snapshot,
    rec: &EssayRecord,
    paragraphs: &[Paragraph],
    terms: &BTreeMap<String, (f32, String)>,
    phrases: &[(String, f32)],
) -> Vec<Candidate> {
    let max_w = terms.values().map(|t| t.0).fold(0.0f32, f32::max).max(1e-6);
    let title: HashSet<String> = index::analyze(&rec.meta.title)
        .into_iter()
        .filter(|s| s.len() > 3 && !GENERIC.contains(&s.as_str()))
        .collect();
    let mut ranked: Vec<(&String, f32)> = terms.iter().map(|(s, t)| (s, t.0)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let central: HashSet<&str> = ranked
        .iter()
        .take(5)
        .map(|(s, _)| s.as_str())
        .chain(title.iter().map(String::as_str))
        .collect();
    let passing = passing_names(snap, paragraphs);
    let mut out = Vec::new();
    for p in paragraphs {
        let role = p.speaker.and_then(|i| rec.speakers.get(i)).map(|s| s.role);
        // Interviewers' questions are not the author's claims, and an
        // interview's editorial introduction belongs to nobody.
        if role == Some(SpeakerRole::Interviewer) || (rec.is_interview() && role.is_none()) {
            continue;
        }
        for i in 0..p.sentences.len() {
            let s = p.sentence(i);
            // A question or an exclamation is the writer's voice, not a
            // claim to weigh.
            // "How should they?--but you seldom see …": a question inside
            // the sentence is the same voice.
            if s.contains(['?', '!']) || s.chars().count() < 50 {
                continue;
            }
            // A sentence that carries on from the one before ("But they
            // are a minority") is quoted with it, up to two sentences back,
            // or not at all (see `stands_alone`).
            let Some(from) = quotable_start(p, i, i + 1) else {
                continue;
            };
            let text = p.sentence_span(from, i + 1);
            // "This dependence and sympathy", named before the passage and
            // no theme of the essay: the reader cannot tell what it is.
            if nouns_named_by_this(text).iter().any(|n| {
                index::analyze(n)
                    .iter()
                    .all(|s| !central.contains(s.as_str()))
            }) {
                continue;
            }
            let narrative = narrates(text);
            let stems: HashSet<String> = index::analyze(text).into_iter().collect();
            let mut present: Vec<(&String, &(f32, String))> =
                terms.iter().filter(|(s, _)| stems.contains(*s)).collect();
            present.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0));
            let centrality = present.iter().map(|(_, t)| t.0).sum::<f32>() / (max_w * 3.0);
            let anchor = anchor_of(text, &present, phrases);
            let anchor_central = anchor.as_deref().is_some_and(|a| {
                index::analyze(a)
                    .iter()
                    .any(|s| central.contains(s.as_str()))
            });
            out.push(Candidate {
                paragraph: p.clone(),
                from,
                to: i + 1,
                term: present.first().map(|(_, t)| t.1.clone()),
                centrality: centrality.min(1.5),
                marks: Marks::of(text),
                lookup: LOOKUP.find_iter(text).count() >= 2,
                anchor,
                anchor_central,
                reason: reason_of(text),
                foreign: mostly_foreign(text),
                general: !narrative && present_verbs(text) > 0,
                narrative,
                particulars: particulars(text),
                alludes: alludes(text, &passing),
                ideas: idea_words(text),
                moral: moral_words(text),
                sketch: sketches_a_person_or_the_plan(text),
                on_title: stems.iter().any(|s| title.contains(s)),
            });
        }
    }
    out
}

/// Where a quotable passage ending at sentence `to` (exclusive) and
/// including sentence `at` starts: with up to two sentences before, when
/// `at` leans on them ("But they are a minority"); else at `at` itself,
/// if it stands alone after all. `None` when neither is quotable.
fn quotable_start(p: &Paragraph, at: usize, to: usize) -> Option<usize> {
    let mut back = at;
    while back > 0 && back + 2 > at && leans_back(p.sentence(back)) {
        back -= 1;
    }
    [back, at].into_iter().find(|&from| {
        let text = p.sentence_span(from, to);
        // No question inside the passage: what follows one answers it.
        !(from..to - 1).any(|k| p.sentence(k).ends_with('?'))
            && text.chars().count() <= MAX_QUOTE_CHARS
            && quotable(text)
    })
}

/// The ranked pool of one essay, without comparisons or custom prompts:
/// for each candidate passage, a question for each shape it has (a claim,
/// its reason, a concession, a call to act, a contrast, a central term),
/// worded in one of several ways.
fn single_prompts(
    snap: &Snapshot,
    rec: &EssayRecord,
    cands: &[Candidate],
    style: Style,
    accessed: jiff::civil::Date,
) -> Vec<Prompt> {
    let mut out = Vec::new();
    // Questions already worded for this essay: a passage's own phrasing
    // gives way to the next one unused, so the pool never asks the same
    // words twice.
    let mut used: HashSet<String> = HashSet::new();
    for c in cands {
        let speaker = rec.speaker_name(c.paragraph.speaker);
        let who = who(rec, speaker);
        let argues = c.marks.argues();
        let text = c.paragraph.sentence_span(c.from, c.to);
        let base = c.centrality
            + if (120..=320).contains(&text.len()) {
                0.15
            } else {
                0.0
            }
            - if c.lookup { 0.4 } else { 0.0 }
            // Names and the writer's "I" pull a passage toward the
            // particular; a long sentence is hard to discuss.
            - 0.12 * c.particulars.saturating_sub(1).min(5) as f32
            - if text.len() > 300 { 0.35 } else if text.len() > 220 { 0.15 } else { 0.0 }
            - 0.1 * (c.to - c.from - 1) as f32
            // A description or a scene is a weaker place to start a
            // discussion than an argument.
            - if argues { 0.0 } else { 0.25 }
            + 0.04 * c.ideas.min(6) as f32
            // A passage on what the title names ("Of Adversity" →
            // "adversity") is on the essay's own question.
            + if c.on_title { 0.4 } else { 0.0 }
            // Dashes and asides ("--your puns and small jests are, I
            // apprehend, …") mark a playful voice more than an argument.
            - if text.contains("--") || text.matches(',').count() > 6 { 0.2 } else { 0.0 };
        // Every question is about an idea of the argument, or about
        // nothing named: a thing or a stray word ("therefore", "wigwam")
        // makes a worse question than none.
        // An anchor someone owns ("their internationalism", "this
        // solidarity") is a reference back, not the idea itself.
        let idea = c
            .anchor
            .as_deref()
            .filter(|a| idea_anchor(a) && !owned_in(text, a));
        let slots = wording::Slots {
            who: &who,
            about: idea,
            reason: c.reason.as_deref(),
        };
        // A discussion starts from an argument: a scene or a quotation in
        // another tongue gets no prompt of its own, and a passage with no
        // mark of an argument only when it is central and says how things
        // are (an aphorism), as a claim to weigh.
        // A saying needs something of weight in it ("truth", "justice"),
        // hardly a name (a custom of the Bank offices is no maxim), no
        // "let us" (in these essays, as often ironic as not), and no
        // ranking of facts.
        let aphorism = !argues
            && c.general
            && c.centrality > 0.1
            && c.particulars <= 1
            && (c.moral >= 2 || c.moral == 1 && c.on_title)
            && !text.to_lowercase().contains("let us")
            // "One of the main areas where Russia has influence is the
            // propaganda war" ranks a fact; it is no maxim.
            && !text.trim_start().to_lowercase().starts_with("one of the")
            && !THERE_IS.is_match(text)
            && scenery(text) < 3;
        // A passage with fewer than two words for ideas describes (a pond,
        // a stage, an estate): there is nothing in it to agree with.
        if !(argues || aphorism) || c.foreign || c.narrative || c.alludes || c.ideas < 2 || c.sketch
        {
            continue;
        }
        let mut shapes: Vec<(Shape, PromptKind, f32)> = Vec::new();
        if aphorism {
            shapes.push((Shape::Claim, PromptKind::Evaluative, 0.2));
        }
        if c.marks.prescription {
            shapes.push((Shape::Prescription, PromptKind::Application, 0.35));
        }
        // "Even if the US consistently upheld its lofty ideals …, it would
        // still be cementing a status quo …": a concession is itself an
        // argument, whatever its tense.
        if c.marks.concession {
            shapes.push((Shape::Concession, PromptKind::Evaluative, 0.3));
        }
        if c.marks.claim {
            shapes.push((Shape::Claim, PromptKind::Evaluative, 0.35));
        }
        if c.marks.causal {
            shapes.push((Shape::Reason, PromptKind::Assumption, 0.3));
        } else if !c.marks.prescription
            && (c.marks.inference || c.marks.claim && c.centrality > 0.45)
        {
            // A call to act is weighed as a call ("what would that mean for
            // us?"), not asked what must be true of the world.
            shapes.push((Shape::Premise, PromptKind::Assumption, 0.2));
        }
        // "Which side would you take?" needs the sides to be ideas; an
        // unnamed "not … but …" is often only a turn of phrase.
        if c.marks.contrast && idea.is_some() {
            shapes.push((Shape::Contrast, PromptKind::Interpretive, 0.25));
        }
        if let Some(a) = idea {
            if !c.marks.contrast
                && (c.marks.claim || c.general)
                && c.centrality > 0.3
                && abstract_noun(a)
                && c.anchor_central
            {
                // "What does she mean by …" asks after an idea, not a name
                // or a thing.
                shapes.push((Shape::Term, PromptKind::Interpretive, 0.1));
            }
            // "Where have you seen it at work?" asks after how things
            // are: a passage on how they ought to be ("A government ought
            // to contain in itself every power requisite …") is weighed as
            // a claim, not looked for in the world.
            if c.marks.claim
                && !c.marks.prescription
                && !OUGHT.is_match(text)
                && c.centrality > 0.35
                && abstract_noun(a)
                && c.anchor_central
            {
                shapes.push((Shape::Use, PromptKind::Application, 0.05));
            }
        }
        for (shape, kind, bonus) in shapes {
            // A call or a choice is about its anchor only when the anchor
            // is in the call's or the choice's own clause ("we must build
            // … democratic institutions"), not elsewhere in the passage
            // (a "cycle of imperialism" a vision is to counter).
            let slots = match shape {
                Shape::Prescription | Shape::Contrast
                    if !idea.is_some_and(|a| in_clause_of(text, shape, a)) =>
                {
                    wording::Slots {
                        about: None,
                        ..slots
                    }
                }
                _ => slots,
            };
            let options = wording::phrasings(shape, &slots);
            if options.is_empty() {
                continue;
            }
            let first = wording::choose(
                options.len(),
                &format!(
                    "{}|{}|{}|{}",
                    rec.meta.id,
                    c.paragraph.number,
                    c.from,
                    shape.name()
                ),
            );
            let i = (0..options.len())
                .map(|k| (first + k) % options.len())
                .find(|&k| !used.contains(&options[k]))
                .unwrap_or(first);
            used.insert(options[i].clone());
            let pass = passage(snap, rec, &c.paragraph, c.from, c.to, style, accessed);
            let mut p = make_prompt(kind, options[i].clone(), pass, None, base + bonus);
            p.template = format!("{}-{i}", shape.name());
            out.push(p);
        }
    }
    out
}

/// Comparison prompts: a central passage and a passage on the same theme
/// from another essay, or from another speaker of the same interview.
fn comparisons(
    snap: &Snapshot,
    ei: usize,
    paragraphs: &[Paragraph],
    cands: &[Candidate],
    terms: &BTreeMap<String, (f32, String)>,
    style: Style,
    accessed: jiff::civil::Date,
) -> Vec<Prompt> {
    let rec = &snap.essays()[ei];
    let my_title: HashSet<String> = index::analyze(&rec.meta.title).into_iter().collect();
    let searcher = snap.searcher();
    let f = snap.fields();
    let max_weight = terms.values().map(|t| t.0).fold(0.0f32, f32::max);
    let mut seeds: Vec<&Candidate> = cands
        .iter()
        // A story or a guess about the past ("a very important one must
        // have lain in …") is no claim to set beside another's.
        .filter(|c| c.term.is_some() && !c.lookup && !c.foreign && !c.alludes && !c.narrative)
        .filter(|c| !c.sketch)
        // A claim to set beside another's; a bare conclusion ("thus …")
        // leans on what came before it.
        .filter(|c| c.marks.claim_like())
        .collect();
    seeds.sort_by(|a, b| b.centrality.total_cmp(&a.centrality));
    let mut out = Vec::new();
    let mut used: HashSet<(String, u32)> = HashSet::new();
    // This essay's paragraphs are already read.
    let mut themes: HashMap<String, Option<Themes>> = HashMap::new();
    themes.insert(rec.meta.id.clone(), Some(Themes::of(rec, paragraphs)));
    for c in seeds.into_iter().take(COMPARISON_SEEDS) {
        let text = c.paragraph.sentence_span(c.from, c.to);
        let stems: Vec<String> = index::analyze(text)
            .into_iter()
            .filter(|s| terms.contains_key(s))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if stems.is_empty() {
            continue;
        }
        let weights: HashMap<String, f32> = stems
            .iter()
            .map(|s| (s.clone(), idf(&searcher, f, s)))
            .collect();
        let q = topic_query(f, text, &stems, &[], None, None, None);
        let Ok(hits) = snap.search(q.as_ref(), 12) else {
            continue;
        };
        let my_speaker = c.paragraph.speaker;
        for h in hits {
            let other = &snap.essays()[h.essay];
            let other_title: HashSet<String> =
                index::analyze(&other.meta.title).into_iter().collect();
            // A word both titles name ("faction" in "Of Faction" and in
            // Federalist No. 10's): one title naming it is not enough, or
            // every two papers on the constitution meet on "government".
            let in_both_titles = |s: &str| my_title.contains(s) && other_title.contains(s);
            let same_essay = h.essay == ei;
            let other_role = h
                .paragraph
                .speaker
                .and_then(|i| other.speakers.get(i))
                .map(|s| s.role);
            let different_voice = if same_essay {
                rec.is_interview()
                    && h.paragraph.speaker.is_some()
                    && h.paragraph.speaker != my_speaker
            } else {
                true
            };
            if !different_voice
                || other_role == Some(SpeakerRole::Interviewer)
                || (other.is_interview() && other_role.is_none())
            {
                continue;
            }
            if !used.insert((other.meta.id.clone(), h.paragraph.number)) {
                continue;
            }
            let Some((from, to, _)) = best_window(&h.paragraph, &weights) else {
                continue;
            };
            let Some(from) = quotable_start(&h.paragraph, from, to) else {
                continue;
            };
            let other_text = h.paragraph.sentence_span(from, to);
            // The other passage passes the same tests: it argues (two
            // claims to weigh, not a claim beside a list or a scene), it
            // stands alone, it is no story, quotation or description.
            if !Marks::of(other_text).claim_like()
                || !quotable(other_text)
                || other_text.contains(['"', '“'])
                || mostly_foreign(other_text)
                || narrates(other_text)
                || idea_words(other_text) < 2
                || sketches_a_person_or_the_plan(other_text)
            {
                continue;
            }
            // The theme as the first passage names it, if the other passage
            // names it too; else the weightiest idea word the two share
            // that is central to this essay and a theme of both ("pleasure"
            // in an essay on friendship is no theme of it). A bare label
            // ("Russian") or a thing ("weapons") is no theme.
            let other_stems = index::analyze(other_text);
            let mut shared: Vec<&String> =
                stems.iter().filter(|s| other_stems.contains(s)).collect();
            shared.sort_by(|a, b| terms[*b].0.total_cmp(&terms[*a].0));
            // A single word is a shared theme only when both titles name it
            // and it is a theme of both essays (see [`Themes::has`]): two
            // passages that both happen to say "minority" or "occasion"
            // are not about one thing.
            let named = c.anchor.as_ref().filter(|a| {
                let inner = a.trim_matches(['“', '”']);
                idea_anchor(a)
                    && other_text.to_lowercase().contains(&inner.to_lowercase())
                    && (inner.contains(' ')
                        || index::analyze(inner).iter().all(|s| {
                            in_both_titles(s)
                                && is_theme(snap, rec, s, &mut themes)
                                && is_theme(snap, other, s, &mut themes)
                        }))
            });
            let about = match named {
                Some(a) => a.clone(),
                None => {
                    let key_term = shared.into_iter().find(|s| {
                        terms[*s].0 >= 0.4 * max_weight
                            && abstract_noun(&terms[*s].1)
                            && in_both_titles(s)
                            && is_theme(snap, rec, s, &mut themes)
                            && is_theme(snap, other, s, &mut themes)
                    });
                    match key_term.map(|s| terms[s].1.clone()).or_else(|| {
                        // What both titles name ("internationalism"), if
                        // both passages say it: too common in the library
                        // to weigh as a key term, but the subject of both.
                        title_word_in_both(text, other_text, &my_title, &other_title)
                    }) {
                        Some(word) => format!("“{word}”"),
                        None => continue,
                    }
                }
            };
            let a_who = who(rec, rec.speaker_name(c.paragraph.speaker));
            let b_who = who(other, other.speaker_name(h.paragraph.speaker));
            let same_voice = b_who == a_who && b_who != "the author";
            let b_who = if b_who == a_who && !same_voice {
                format!("the author of “{}”", other.meta.title)
            } else {
                b_who
            };
            let options = wording::comparison_phrasings(&a_who, &b_who, &about, same_voice);
            let i = wording::choose(
                options.len(),
                &format!(
                    "{}|{}|{}|{}",
                    rec.meta.id, c.paragraph.number, other.meta.id, h.paragraph.number
                ),
            );
            let q = options[i].clone();
            let a = passage(snap, rec, &c.paragraph, c.from, c.to, style, accessed);
            let b = passage(snap, other, &h.paragraph, from, to, style, accessed);
            let mut p = make_prompt(PromptKind::Comparison, q, a, Some(b), c.centrality + 0.3);
            p.template = format!("comparison-{}-{i}", same_voice);
            out.push(p);
            break;
        }
    }
    out
}

/// What an essay is about, for deciding whether a word is one of its
/// themes: the words of its title, and in how many paragraphs each word
/// occurs. Built once per essay while a pool's comparisons are made.
struct Themes {
    title: HashSet<String>,
    paragraphs_with: HashMap<String, usize>,
    paragraphs: usize,
}

impl Themes {
    fn of(rec: &EssayRecord, paragraphs: &[Paragraph]) -> Self {
        let mut paragraphs_with: HashMap<String, usize> = HashMap::new();
        for p in paragraphs {
            let stems: HashSet<String> = index::analyze(&p.text).into_iter().collect();
            for s in stems {
                *paragraphs_with.entry(s).or_default() += 1;
            }
        }
        Themes {
            title: index::analyze(&rec.meta.title).into_iter().collect(),
            paragraphs_with,
            paragraphs: paragraphs.len(),
        }
    }

    /// True when the word `stem` names a theme of the essay: it is in the
    /// title, or in enough paragraphs (3, or an eighth of a long essay).
    fn has(&self, stem: &str) -> bool {
        self.title.contains(stem)
            || self.paragraphs_with.get(stem).copied().unwrap_or(0) >= 3.max(self.paragraphs / 8)
    }
}

/// True when `stem` is a theme of the essay `rec` (see [`Themes::has`]).
/// Each essay's paragraphs are read once, into `cache`.
fn is_theme(
    snap: &Snapshot,
    rec: &EssayRecord,
    stem: &str,
    cache: &mut HashMap<String, Option<Themes>>,
) -> bool {
    cache
        .entry(rec.meta.id.clone())
        .or_insert_with(|| {
            snap.paragraphs(&rec.meta.id)
                .ok()
                .map(|ps| Themes::of(rec, &ps))
        })
        .as_ref()
        .is_some_and(|t| t.has(stem))
}

/// True when `anchor` (quoted) is preceded in `text` by a possessive or a
/// demonstrative: "their internationalism".
fn owned_in(text: &str, anchor: &str) -> bool {
    let inner = anchor.trim_matches(['“', '”']).to_lowercase();
    let lower = text.to_lowercase();
    lower.match_indices(&inner).any(|(i, _)| {
        let before = lower[..i].split_whitespace().next_back().unwrap_or("");
        [
            "their", "his", "her", "its", "this", "that", "these", "those", "such",
        ]
        .contains(&before)
    })
}

/// True when `anchor` stands in the clause of the call to act
/// (prescription) or of the contrast: between the marker and the next
/// clause break after it, or just before the marker in its clause.
fn in_clause_of(text: &str, shape: Shape, anchor: &str) -> bool {
    let Some(at) = super::passages::marker_at(text, shape) else {
        return false;
    };
    let inner = anchor.trim_matches(['“', '”']).to_lowercase();
    let lower = text.to_lowercase();
    let start = lower[..at]
        .rfind([';', ':', '.', '–', ','])
        .map_or(0, |i| i + 1);
    let end = lower[at..]
        .find([';', ':', '.', '–', '?', '!', ','])
        .map_or(lower.len(), |i| at + i);
    lower[start..end].contains(&inner)
}

/// A word both titles name and both passages say, as the first passage
/// spells it, if it names an idea ("internationalism").
fn title_word_in_both(
    text: &str,
    other_text: &str,
    title: &HashSet<String>,
    other_title: &HashSet<String>,
) -> Option<String> {
    let other_stems: HashSet<String> = index::analyze(other_text).into_iter().collect();
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| w.len() > 4 && !GENERIC.contains(&w.to_lowercase().as_str()))
        .find(|w| {
            let lower = w.to_lowercase();
            index::analyze(&lower).first().is_some_and(|s| {
                other_stems.contains(s) && title.contains(s) && other_title.contains(s)
            }) && abstract_noun(&format!("“{lower}”"))
        })
        .map(str::to_lowercase)
}

/// Reorder so the top of the pool mixes kinds and paragraphs.
fn diversify(mut pool: Vec<Prompt>) -> Vec<Prompt> {
    let mut out = Vec::with_capacity(pool.len());
    let mut kind_count: HashMap<PromptKind, i32> = HashMap::new();
    let mut para_count: HashMap<(String, u32), i32> = HashMap::new();
    while !pool.is_empty() {
        let (i, _) = pool
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let k = *kind_count.get(&p.kind).unwrap_or(&0);
                let n = *para_count
                    .get(&(p.essay_id.clone(), p.paragraph))
                    .unwrap_or(&0);
                (i, p.score * 0.9f32.powi(k) * 0.6f32.powi(n))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("not empty");
        let p = pool.swap_remove(i);
        *kind_count.entry(p.kind).or_default() += 1;
        *para_count
            .entry((p.essay_id.clone(), p.paragraph))
            .or_default() += 1;
        out.push(p);
    }
    out
}

/// The ranked prompt pool of one essay: generated prompts, comparisons, and
/// the organisers' own questions (from `state`).
pub fn essay_pool(
    snap: &Snapshot,
    essay_id: &str,
    state: Option<&State>,
    style: Style,
    accessed: jiff::civil::Date,
) -> Result<Vec<Prompt>> {
    let ei = snap.essay_index(essay_id)?;
    let rec = &snap.essays()[ei];
    let paragraphs = snap.paragraphs(essay_id)?;
    let terms = key_terms(snap, &paragraphs);
    let phrases = key_phrases(&paragraphs, &terms);
    let cands = candidates(snap, rec, &paragraphs, &terms, &phrases);
    let mut pool = single_prompts(snap, rec, &cands, style, accessed);
    pool.extend(comparisons(
        snap,
        ei,
        &paragraphs,
        &cands,
        &terms,
        style,
        accessed,
    ));
    // One prompt per (kind, quote): the first (best) wins.
    pool.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut seen = HashSet::new();
    pool.retain(|p| seen.insert(p.id.clone()));
    let mut pool = diversify(pool);
    pool.truncate(PER_ESSAY);
    if let Some(state) = state {
        let mut custom = essay_pool_custom_only(snap, essay_id, state, None, style, accessed)?;
        custom.append(&mut pool);
        pool = custom;
    }
    Ok(pool)
}

/// Snapshot generation, essay id, citation style.
type PoolKey = (u64, String, Style);

/// Prompt pools cached per essay and snapshot generation, so the bot does
/// not regenerate them on every call.
#[derive(Default)]
pub struct PromptEngine {
    cache: Mutex<HashMap<PoolKey, Arc<Vec<Prompt>>>>,
}

impl PromptEngine {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The generated pool of one essay (without custom prompts), cached.
    fn generated(
        &self,
        snap: &Snapshot,
        essay_id: &str,
        style: Style,
        accessed: jiff::civil::Date,
    ) -> Result<Arc<Vec<Prompt>>> {
        let key = (snap.generation(), essay_id.to_string(), style);
        if let Some(p) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(p.clone());
        }
        let pool = Arc::new(essay_pool(snap, essay_id, None, style, accessed)?);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|k, _| k.0 == snap.generation());
        cache.insert(key, pool.clone());
        Ok(pool)
    }

    /// The pool for one essay, or for the whole library (essays interleaved,
    /// best of each first), with organisers' prompts first.
    pub fn pool(
        &self,
        snap: &Snapshot,
        essay_id: Option<&str>,
        state: Option<&State>,
        circle: Option<&str>,
        style: Style,
        accessed: jiff::civil::Date,
    ) -> Result<Vec<Prompt>> {
        let ids: Vec<String> = match essay_id {
            Some(id) => vec![snap.essay(id)?.meta.id.clone()],
            None => snap.essays().iter().map(|e| e.meta.id.clone()).collect(),
        };
        let pools: Vec<Arc<Vec<Prompt>>> = ids
            .iter()
            .map(|id| self.generated(snap, id, style, accessed))
            .collect::<Result<_>>()?;
        let mut out = Vec::new();
        if let Some(state) = state {
            for id in &ids {
                let custom = essay_pool_custom_only(snap, id, state, circle, style, accessed)?;
                out.extend(custom);
            }
        }
        let longest = pools.iter().map(|p| p.len()).max().unwrap_or(0);
        for i in 0..longest {
            for p in &pools {
                if let Some(x) = p.get(i) {
                    out.push(x.clone());
                }
            }
        }
        Ok(out)
    }
}

fn essay_pool_custom_only(
    snap: &Snapshot,
    essay_id: &str,
    state: &State,
    circle: Option<&str>,
    style: Style,
    accessed: jiff::civil::Date,
) -> Result<Vec<Prompt>> {
    let customs = state.custom_prompts(circle, Some(essay_id))?;
    if customs.is_empty() {
        return Ok(Vec::new());
    }
    let rec = snap.essay(essay_id)?;
    let mut out = Vec::new();
    for c in customs {
        let Ok(p) = snap.paragraph(essay_id, c.paragraph) else {
            continue;
        };
        let mut to = 1;
        while to < p.sentences.len()
            && to < 3
            && p.sentence_span(0, to + 1).chars().count() <= MAX_QUOTE_CHARS
        {
            to += 1;
        }
        let a = passage(snap, rec, &p, 0, to, style, accessed);
        let mut prompt = make_prompt(PromptKind::Custom, c.question.clone(), a, None, 2.0);
        prompt.id = format!("custom-{}", c.id);
        prompt.suggested_by = c.suggested_by;
        out.push(prompt);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owned_anchor_is_a_reference_and_a_call_is_about_its_own_clause() {
        let text = "The ecological crisis makes their internationalism even more correct; borders do not stop pollution or global warming.";
        assert!(owned_in(text, "“internationalism”"));
        assert!(!owned_in(
            "Internationalism is not a luxury but a survival mechanism.",
            "“internationalism”"
        ));
        let call = "We need to actively build toward a better future, and for that we need a guiding vision, a modern theory of internationalism that can counter the cycle of imperialism.";
        assert!(!in_clause_of(
            call,
            Shape::Prescription,
            "“cycle of imperialism”"
        ));
        let call = "First, we must continue to build and encourage the development of democratic domestic institutions.";
        assert!(in_clause_of(
            call,
            Shape::Prescription,
            "“democratic domestic institutions”"
        ));
    }

    #[test]
    fn a_person_sketched_a_landscape_painted_or_customs_abroad_make_no_saying() {
        assert!(names_a_person("No one ever saw Mrs. Conrady, without pronouncing her to be the plainest woman that he ever met with."));
        assert!(names_a_person(
            "With great love for you, J.E. hath but a limited sympathy with what you feel or do."
        ));
        assert!(!names_a_person(
            "The U.S. has long claimed to uphold a rules-based order."
        ));
        assert!(!names_a_person("Men in great place are thrice servants."));
        assert!(scenery("The forest has never so good a setting, nor is so distinctly beautiful, as when seen from the middle of a small lake amid hills which rise from the water's edge.") >= 3);
        // One picture drawn twice is not a landscape.
        assert!(scenery("The earth is not a mere fragment of dead history, stratum upon stratum like the leaves of a book, but living poetry like the leaves of a tree.") < 3);
        assert!(THERE_IS.is_match(
            "There are places where brothels of young men are kept for the pleasure of women."
        ));
        assert!(!THERE_IS.is_match(
            "There is in man's nature a secret inclination and motion towards love of others."
        ));
    }
}
