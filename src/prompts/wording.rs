//! How a discussion question is worded: several phrasings for each shape of
//! passage (a claim, a claim with its reason, a concession, a prescription,
//! a contrast, a key term, two voices), chosen by the passage so that the
//! pool does not read as one template, and each tagged so that a circle
//! never gets the same wording twice in a row.

/// What a phrasing may use: who says it, what it is about (a noun phrase
/// of the argument, in quotes, or `None`), and for a reason the words of
/// the reason itself.
#[derive(Clone, Copy)]
pub struct Slots<'a> {
    /// "Leila al-Shami", "the author".
    pub who: &'a str,
    /// “internationalism from below”, already quoted.
    pub about: Option<&'a str>,
    /// The passage's own reason ("because …"), verbatim and short.
    pub reason: Option<&'a str>,
}

/// The shapes a question can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A conviction to weigh.
    Claim,
    /// A claim and its reason.
    Reason,
    /// Something granted before the point is made.
    Concession,
    /// What should be done.
    Prescription,
    /// Two things set against each other.
    Contrast,
    /// A central term to explain.
    Term,
    /// What the claim takes for granted.
    Premise,
    /// The point applied to the circle's own world.
    Use,
}

impl Shape {
    /// A short name for template ids.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Claim => "claim",
            Shape::Reason => "reason",
            Shape::Concession => "concession",
            Shape::Prescription => "prescription",
            Shape::Contrast => "contrast",
            Shape::Term => "term",
            Shape::Premise => "premise",
            Shape::Use => "use",
        }
    }
}

/// True for a phrase, or a word made to name an idea ("campism",
/// "solidarity", "friendship"): something a reader may ask the meaning of.
/// A quality named from an everyday adjective ("sickness", "wisdom") is
/// plain English: asking what it means talks down to the circle.
fn term_of_art(anchor: &str) -> bool {
    const IDEA_ENDINGS: &[&str] = &["ism", "isms", "ity", "ities", "hood", "ship"];
    let inner = anchor.trim_matches(['“', '”']);
    inner.contains(' ')
        || IDEA_ENDINGS
            .iter()
            .any(|e| inner.to_lowercase().ends_with(e))
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Every phrasing of `shape` these slots can fill.
pub fn phrasings(shape: Shape, s: &Slots<'_>) -> Vec<String> {
    let who = s.who;
    let who_cap = cap(who);
    let mut out = Vec::new();
    match (shape, s.about, s.reason) {
        (Shape::Claim, Some(a), _) => {
            out.push(format!(
                "Do you agree with {who} about {a}? What would it take to change your mind?"
            ));
            out.push(format!("{who_cap} is confident about {a} here. What is the strongest objection, and how might {who} answer it?"));
            out.push(format!(
                "Where does {who}’s claim about {a} hold best, and where does it start to strain?"
            ));
            out.push(format!(
                "Which part of this passage on {a} would you push back on, and why?"
            ));
            out.push(format!("What would someone who disagrees with {who} on {a} say, and is there anything to their view?"));
        }
        (Shape::Claim, None, _) => {
            out.push(format!(
                "Do you agree with {who} here? What would it take to change your mind?"
            ));
            out.push(format!(
                "What is the strongest objection to this passage, and how might {who} answer it?"
            ));
            out.push(format!(
                "Where does {who}’s claim here hold best, and where does it start to strain?"
            ));
            out.push(format!(
                "Which part of {who}’s point here would you push back on, and why?"
            ));
            out.push(format!(
                "Is {who} right here? What in your own experience bears it out, or cuts against it?"
            ));
            out.push(format!(
                "Would you put this as strongly as {who} does? Where would you soften it, or sharpen it?"
            ));
        }
        (Shape::Reason, _, Some(r)) => {
            out.push(format!("{who_cap} gives a reason: “{r}”. Does the reason hold, and would the point stand without it?"));
            out.push(format!("Is “{r}” enough to carry {who}’s conclusion here? What else would you want to know?"));
        }
        (Shape::Reason, Some(a), None) => {
            out.push(format!("What has to be true for the link {who} draws here about {a} to hold? What evidence would convince a sceptic?"));
            out.push(format!("Is the causal story about {a} convincing, or could something else explain the same facts?"));
        }
        (Shape::Reason, None, None) => {
            out.push("This passage explains one thing by another. Is the causal story convincing, or could something else explain the same facts?".to_string());
            out.push(format!("What has to be true for the link {who} draws here to hold? What evidence would convince a sceptic?"));
            // "Flowers …, because they are a proud assertion …" gives a
            // reason, not a cause: these two fit either.
            out.push(format!("{who_cap} explains something here. Is that the whole explanation, or one part of it, and does the difference matter?"));
            out.push(format!(
                "If {who}’s explanation here is wrong, what else in the argument falls with it?"
            ));
        }
        (Shape::Concession, Some(a), _) => {
            out.push(format!("{who_cap} grants something before making the point about {a}. What is conceded, and does it weaken or strengthen the argument?"));
            out.push(format!(
                "Is what {who} concedes here about {a} bigger than it looks?"
            ));
            out.push(format!(
                "Why would {who} admit this much about {a}? Who is the concession for?"
            ));
        }
        (Shape::Concession, None, _) => {
            out.push(format!("What does {who} concede in this passage, and does the concession weaken or strengthen the argument?"));
            out.push(format!(
                "Why would {who} admit this much here? Who is the concession for?"
            ));
        }
        (Shape::Prescription, Some(a), _) => {
            out.push(format!("{who_cap} says what should be done about {a}. What would that mean for us, concretely?"));
            out.push(format!(
                "If we took {who}’s call on {a} seriously, what would change, and for whom?"
            ));
            out.push(format!(
                "Would {who}’s call on {a} work where we live? What would get in its way?"
            ));
        }
        (Shape::Prescription, None, _) => {
            out.push(format!(
                "{who_cap} says what should be done. Who would have to act, and what would it take?"
            ));
            out.push(format!(
                "If we took {who}’s advice here seriously, what would change, and for whom?"
            ));
            out.push(format!(
                "Is {who} right that this is what should be done? What would it look like in practice?"
            ));
            out.push(format!(
                "What would it cost to do what {who} asks here, and who would bear the cost?"
            ));
        }
        (Shape::Contrast, Some(a), _) => {
            out.push(format!("{who_cap} sets two things against each other here. Which side carries the argument about {a}, and is the opposition a fair one?"));
            out.push(format!(
                "Is the choice {who} draws around {a} a real either/or, or is there a third way?"
            ));
            out.push(format!(
                "{who_cap} sets one thing against another on {a}. Which side would you take, and is the opposition fair?"
            ));
        }
        (Shape::Contrast, None, _) => {
            out.push(format!(
                "Is the choice {who} draws here a real either/or, or is there a third way?"
            ));
            out.push(format!(
                "{who_cap} sets two things against each other here. Is the opposition a fair one, and which side would you take?"
            ));
        }
        (Shape::Term, Some(a), _) => {
            out.push(format!(
                "How would you put {who}’s point about {a} in your own words?"
            ));
            // Asking what a word means asks for a term of art: a phrase
            // ("international institutions") or a word made for an idea
            // ("campism", "solidarity"). An everyday word the passage only
            // uses ("government", "appointment") has nothing to explain.
            if term_of_art(a) {
                out.push(format!(
                    "What does {who} mean by {a} here, and why does it matter to the argument?"
                ));
                out.push(format!(
                    "How would you explain {a}, as {who} uses it, to someone new to the circle?"
                ));
            }
        }
        (Shape::Premise, Some(a), _) => {
            out.push(format!("What does {who} take for granted about {a} here? Would the argument survive if that were false?"));
            out.push(format!(
                "What would have to be true of the world for this claim about {a} to hold?"
            ));
            out.push(format!(
                "Which unstated premise about {a} carries this passage, and would you accept it?"
            ));
        }
        (Shape::Premise, None, _) => {
            out.push(format!("What does {who} take for granted in this passage? Would the argument survive if that were false?"));
            out.push(format!(
                "Which unstated premise carries {who}’s point here, and would you accept it?"
            ));
            out.push(format!(
                "What would have to be true of the world for {who}’s claim here to hold?"
            ));
        }
        (Shape::Use, Some(a), _) => {
            out.push(format!(
                "Where would {who}’s point about {a} matter most today, and where would it not apply at all?"
            ));
            out.push(format!(
                "Where have you seen {a} at work in the way {who} describes?"
            ));
            out.push(format!(
                "If {who} is right about {a}, what follows for how we act or judge today?"
            ));
        }
        _ => {}
    }
    out
}

/// Two passages on one theme: two voices, or one voice in two places.
pub fn comparison_phrasings(
    a_who: &str,
    b_who: &str,
    about: &str,
    same_voice: bool,
) -> Vec<String> {
    let a_cap = cap(a_who);
    if same_voice {
        vec![
            format!("{a_cap} returns to {about} in two places. How do the passages differ, and has the position shifted?"),
            format!("Read {a_who}’s two passages on {about} side by side: does the second qualify the first, or repeat it?"),
        ]
    } else {
        // Two passages that share an idea need not disagree (two
        // Federalist papers on "government" argue one case): the questions
        // ask where they meet and part, never presume a quarrel to settle.
        vec![
            format!("{a_cap} and {b_who} both speak to {about}. What does each passage add that the other leaves out?"),
            format!("Read these two passages on {about} side by side: where do {a_who} and {b_who} agree, and where do they part ways?"),
            format!("Set {a_who}’s passage on {about} beside {b_who}’s. Do they pull the same way, and which do you find more convincing?"),
        ]
    }
}

/// Which of `n` phrasings a passage gets: stable for the passage, spread
/// over the pool.
pub fn choose(n: usize, key: &str) -> usize {
    if n == 0 {
        return 0;
    }
    (xxhash_rust::xxh3::xxh3_64(key.as_bytes()) % n as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_term_of_art_is_asked_what_it_means() {
        let with = |a| Slots {
            who: "Alexander Hamilton",
            about: Some(a),
            reason: None,
        };
        let asks_meaning = |a| {
            phrasings(Shape::Term, &with(a))
                .iter()
                .any(|q| q.contains(" mean by ") || q.contains("explain"))
        };
        assert!(asks_meaning("“campism”"));
        assert!(asks_meaning("“solidarity”"));
        assert!(asks_meaning("“international institutions”"));
        assert!(!asks_meaning("“appointment”"));
        assert!(!asks_meaning("“government”"));
        assert!(!asks_meaning("“sickness”"));
        assert!(!phrasings(Shape::Term, &with("“government”")).is_empty());
    }

    #[test]
    fn every_shape_has_several_wordings_and_uses_its_slots() {
        let s = Slots {
            who: "Leila al-Shami",
            about: Some("“internationalism from below”"),
            reason: None,
        };
        for shape in [
            Shape::Claim,
            Shape::Concession,
            Shape::Prescription,
            Shape::Contrast,
            Shape::Term,
            Shape::Premise,
            Shape::Use,
        ] {
            let p = phrasings(shape, &s);
            assert!(p.len() >= 3, "{shape:?}: {p:?}");
            assert!(p.iter().all(|q| q.ends_with('?')), "{p:?}");
            assert!(
                p.iter().all(|q| q.contains("internationalism from below")),
                "{p:?}"
            );
            let distinct: std::collections::HashSet<_> = p.iter().collect();
            assert_eq!(distinct.len(), p.len());
        }
        let r = phrasings(
            Shape::Reason,
            &Slots {
                who: "the author",
                about: None,
                reason: Some("because workers hold disruptive power"),
            },
        );
        assert!(
            r[0].starts_with("The author gives a reason: “because workers"),
            "{r:?}"
        );
    }
}
