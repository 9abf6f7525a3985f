//! What a sentence does, read from its own markers: claims, reasons,
//! concludes, concedes, calls to act, contrasts, or only tells a story in
//! the past tense. The prompt generator reads it to choose which passages
//! to ask about; it is a text module rather than part of the generator so
//! that any other reader of sentences uses the same definitions.

use regex::Regex;
use std::sync::LazyLock;

/// A claim: a modal of obligation or impossibility, a conviction ("I
/// think"), "not … but", or a word of judgement ("the false basis",
/// "tainted by a campist view", "crudely copied", "extremely unhelpful"):
/// the passage weighs something, so there is something to weigh back.
static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(must|should|need to|needs to|have to|has to|cannot|can only|ought to|i believe|i think|we need|(?:do|does) not need|don't need|wrong|correct|incorrect|false basis|mistaken|tainted|crudely|cynical|naive|dangerous|unhelpful|useless|crucial|imperative|irrelevant|problematic|unproblematic|misguided|hypocritical|failure|fails? to|the point is|the task|requires?|it is (?:sad|important|essential|necessary|clear|true|time)|is not\b.{1,60}\bbut)\b").unwrap()
});
/// A contrast with both its sides inside the passage ("not … but …",
/// "rather than"); a "however" that answers an earlier sentence is not one.
///
/// A bare "not … but" usually corrects ("not the intention, but a
/// consequence") rather than offers a choice, so it counts as a claim
/// (see [`CLAIM`]), not as a contrast.
static CONTRAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(rather than|instead of|whereas|but rather|in contrast to|not\b[^.;:!?]{1,60}\bbut rather)\b").unwrap()
});
/// One thing explained by another. Purpose ("in order to", "so that") and
/// a bare "thus" closing a call to act are not a causal story, nor is a
/// "result" that is a noun ("an early cloud of insignificant result in a
/// history so large").
static CAUSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(because|leads? to|led to|as a result|consequently|which is why|the reason|results in|resulted in|resulting in|(?:will|would|may|might|can|could|to|must|often|which|that|they|these|those|it) result in)\b").unwrap()
});
/// A conclusion drawn from what came before ("therefore", "it follows"):
/// the question is what it rests on, not what causes what.
static INFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(therefore|hence|it follows|thus)\b").unwrap());
static CONCESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(although|even though|even if|admittedly|granted(?: that|,)|^\W*granted\b|it is true that|to be sure|i accept|we must acknowledge|while it is true)\b").unwrap()
});
static PRESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:we|you) (?:must|should|need to|have to|ought to)|(?:left|socialists|activists|internationalists|progressives|movements?|people|one|everyone) (?:must|should|needs? to|has to|have to|ought to)|it is (?:necessary|essential|vital|important|urgent) (?:to|that)|our task|the task is)\b").unwrap()
});
/// What looks like a call to act but asks only to think or to note
/// ("It is important to emphasize that …", "Let us judge by these …"),
/// or names a call inside a question ("Hippocrates has even left
/// directions how we should cut our nails").
static NOT_A_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(it is (?:necessary|essential|vital|important|urgent) to (?:emphasi[sz]e|note|remember|say|stress|point out|recogni[sz]e|understand|see|realise|realize|acknowledge)|let us (?:judge|consider|see|now|return|examine|look|suppose|take|then|therefore)|we (?:must|should|need to|have to) (?:see|note|remember|consider|observe|confess|own|acknowledge|allow|admit|understand|recogni[sz]e|not forget|make (?:a )?distinctions?|draw (?:a )?distinctions?|ask ourselves|be aware)|you (?:just|only) (?:have to|need to)|(?:we|you|one) (?:should|would|must) be (?:sorry|glad|loath|ashamed|surprised|pleased|content|happy|astonished)|(?:how|whether|when|where|which) (?:we|you|one) (?:should|must|ought to|need to|have to))\b").unwrap()
});

static PRESENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(good|ill|free|own|the|a|his|her|their) )?(is|are|doth|hath|makes|gives|has|have|can|will|cannot)\b").unwrap()
});

/// Verbs in the present tense; "will" as a noun ("with no great good
/// will") is no tense.
pub fn present_verbs(text: &str) -> usize {
    PRESENT
        .captures_iter(text)
        .filter(|c| !(c.get(1).is_some() && c[2].eq_ignore_ascii_case("will")))
        .count()
}
/// "Have" and "has" as the perfect's helper ("I have seen", "has taken"):
/// a past event, not a present claim.
static PERFECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:have|has)(?: not| never| often| always| long)? (?:\w{3,}ed|seen|been|known|heard|done|made|given|taken|found|come|gone|written|spoken|told|become|begun|shown|grown)\b").unwrap()
});
/// A modal looking back ("must have lain", "ought to have depended"): a
/// guess about the past, not a claim or a call.
static MODAL_PAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:must|should|ought to|would|could|might|need not)(?: never| not| always| ever)? have\b").unwrap()
});
static PAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)['‘’]tw(?:as|ere)\b|\b(was|were|had|did|said|went|came|took|saw|made|gave|told|found|knew|thought|brought|became|began|fell|left|kept|held|stood|spoke|wrote|sent|met|lost|won|fought|ran|sat|rose|got|heard|felt)\b|\b\w{3,}ed\b").unwrap()
});

/// What reads like a cause and is not one: "we don't know because …" (a
/// reason for not knowing), "led to conclude" (a reason to think).
static NOT_CAUSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:know|sure|certain|tell|say)\b[^.;]{0,20}\bbecause\b|\b(?:led|leads?) (?:us )?to (?:conclude|believe|think|suppose|expect|infer)\b").unwrap()
});

/// A "because" that gives the reason of the people the speaker answers
/// ("they are criticizing the opposition because …", "struggles are not
/// supported because …"), not the speaker's own.
static OTHERS_REASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:criticiz|criticis|accus|blam|attack|condemn|denounc|dismiss|complain|(?:is|are) not supported|(?:is|are) ignored)\w*\b[^.;]{0,100}\bbecause\b").unwrap()
});

/// What a passage does, read from its own markers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks {
    /// Says how things must or should be ("must", "cannot", "I think").
    pub claim: bool,
    /// Sets two sides against each other inside the passage.
    pub contrast: bool,
    /// Explains one thing by another ("because", "leads to").
    pub causal: bool,
    /// Draws a conclusion ("therefore"): a premise to look for.
    pub inference: bool,
    /// Grants something before the point ("although", "of course").
    pub concession: bool,
    /// Calls to act ("we must", "it is necessary to"), not only to note.
    pub prescription: bool,
}

impl Marks {
    /// The marks of `text`.
    pub fn of(text: &str) -> Self {
        // A call to note or to think ("we need to recognize", "you just have
        // to read") marks neither a claim nor a call to act.
        let plain = NOT_A_CALL.replace_all(text, "…");
        Marks {
            claim: marked(&CLAIM, &plain),
            // "Not only … but …" adds; it does not oppose.
            contrast: CONTRAST
                .find_iter(text)
                .any(|m| !m.as_str().to_lowercase().starts_with("not only")),
            causal: marked(&CAUSAL, &NOT_CAUSAL.replace_all(text, "…"))
                && !OTHERS_REASON.is_match(text),
            inference: marked(&INFERENCE, text),
            concession: marked(&CONCESSION, text),
            prescription: marked(&PRESCRIPTION, &plain) && !NOT_A_CALL.is_match(text),
        }
    }

    /// Makes an argument of some kind.
    pub fn argues(&self) -> bool {
        self.inference || self.claim_like()
    }

    /// Makes an argument of its own, not only a conclusion from what came
    /// before it.
    pub fn claim_like(&self) -> bool {
        self.claim || self.causal || self.contrast || self.concession || self.prescription
    }
}

/// Where the mark of a call to act starts in `text`.
pub fn call_at(text: &str) -> Option<usize> {
    PRESCRIPTION.find(text).map(|m| m.start())
}

/// Where the mark of a contrast starts in `text`.
pub fn contrast_at(text: &str) -> Option<usize> {
    CONTRAST.find(text).map(|m| m.start())
}

static NARRATIVE_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\W*(?:There (?:was|were)|It was|I (?:had|was|went|remember)|We (?:had|were|went)|(?:I|We) \w{3,}ed (?:of|to|with|about|on|in|at|through|over|into|a|an|the|our|my)\b)\b",
    )
    .unwrap()
});

/// Tells a story in the past tense (a scene, an episode of history) rather
/// than saying how things are.
pub fn narrates(text: &str) -> bool {
    // "There was a triumphant tone about the character …", "I had gone
    // down to the woods …": a scene is being set.
    if NARRATIVE_OPENING.is_match(text) {
        return true;
    }
    let perfect = PERFECT.find_iter(text).count() + MODAL_PAST.find_iter(text).count();
    let past = PAST.find_iter(text).count() + perfect;
    let present = present_verbs(text).saturating_sub(perfect);
    // "-ed" also catches participles used as adjectives ("manufactured
    // consent"), so the past has to outweigh the present clearly.
    present == 0 && past >= 1 || past >= 2 && present <= 1 || past >= 3 && past >= 2 * present
}

/// True when `re` marks the passage other than in a modal looking back:
/// "must" is a claim, "must have lain" a guess about the past, and "We
/// should never have recognised …" is no call (the modal inside the mark
/// opens a look back).
fn marked(re: &Regex, text: &str) -> bool {
    re.find_iter(text).any(|m| {
        MODAL_PAST
            .find_at(text, m.start())
            .is_none_or(|b| b.start() >= m.end())
    })
}

/// False when a "because" in `text` is someone else's reason or no cause
/// at all ("they are criticizing … because", "we don't know because").
pub fn gives_own_reason(text: &str) -> bool {
    !(OTHERS_REASON.is_match(text) || NOT_CAUSAL.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_narrate_and_claims_do_not() {
        assert!(narrates("Originally the campaign did tremendous work. However the regime has repressed and killed people during mass protests and imprisoned many."));
        assert!(narrates(
            "The Lacedaemonians, entering into battle, sacrificed to the Muses."
        ));
        assert!(!narrates("We are currently witnessing the complete collapse of international norms, a politics essentially determined by raw violence and power."));
        assert!(!narrates("A mixture of a lie doth ever add pleasure."));
        // "We talked of rude and simple times …": a scene.
        assert!(narrates("We talked of rude and simple times, when men have clear heads, for those which have the thickest shells are commonly empty."));
        assert!(!narrates(
            "We need a useful international where activists can learn from each other."
        ));
        // "'twas" is "it was".
        assert!(narrates(
            "There are some countries where ‘twas the custom for children to kill their fathers; and others, where the fathers killed their children."
        ));
    }

    #[test]
    fn a_feeling_in_a_condition_is_no_call_and_a_power_granted_no_concession() {
        assert!(!Marks::of("If we thought by virtue to be always masters of our enemies, we should be sorry they should escape from us as they do, by dying.").prescription);
        assert!(Marks::of("If we want peace, we should organise across borders.").prescription);
        assert!(!Marks::of("The government would be distressed by exercising powers necessary and proper, but not expressly granted.").concession);
        assert!(Marks::of("Granted, the state is strong; but it is not everything.").concession);
        assert!(
            Marks::of("It may be granted that armies are needed, but not standing armies.")
                .concession
        );
    }

    #[test]
    fn a_modal_looking_back_is_no_claim_and_a_call_to_note_is_no_call() {
        let guess = "Among the difficulties encountered by the convention, a very important one must have lain in combining stability with liberty.";
        assert!(!marked(&CLAIM, guess));
        assert!(marked(&CLAIM, "Internationalism must start from below."));
        assert!(NOT_A_CALL
            .is_match("It is important to emphasize that good intentions are not enough."));
        assert!(NOT_A_CALL.is_match(
            "With the liability to accident, we must see how little account is to be made of it."
        ));
        assert!(!NOT_A_CALL.is_match("We must bring back a revolutionary perspective."));
        // A call inside a question is no call.
        assert!(!Marks::of("True conquest is the causing the calamity to fade and disappear as an early cloud of insignificant result in a history so large and advancing.").causal);
        assert!(Marks::of("Such policies often result in a weaker movement.").causal);
        assert!(!Marks::of("We should never have recognised the nobility of his admirable conceptions under so mean a form.").prescription);
        assert!(!Marks::of("Hippocrates has even left directions how we should cut our nails; that is, even with the ends of the fingers.").prescription);
    }
}
