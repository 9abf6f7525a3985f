//! Person names: "SURNAME Given" bylines, surnames for citations, initials.

/// Lowercase name particles that belong with the surname ("Michel de Montaigne").
const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "di", "del", "la", "le", "du", "bin", "ibn",
];

/// "KELLAWAY Dave" becomes "Dave Kellaway"; "AL-SHAMI Leila" becomes
/// "Leila al-Shami" when `text` spells it so, else "Leila Al-Shami".
pub fn from_surname_first(byline: &str, text: &str) -> String {
    let words: Vec<&str> = byline.split_whitespace().collect();
    let split = words
        .iter()
        .position(|w| !is_all_caps(w))
        .unwrap_or(words.len());
    if split == 0 || split == words.len() {
        return byline.trim().to_string();
    }
    let surname: Vec<String> = words[..split].iter().map(|w| title_case(w)).collect();
    let given = words[split..].join(" ");
    let natural = format!("{} {}", given, surname.join(" "));
    // Prefer the spelling the text itself uses ("al-Shami").
    let lower_text = text.to_lowercase();
    if let Some(pos) = lower_text.find(&natural.to_lowercase()) {
        if text.is_char_boundary(pos) && text.is_char_boundary(pos + natural.len()) {
            return text[pos..pos + natural.len()].to_string();
        }
    }
    natural
}

fn is_all_caps(word: &str) -> bool {
    word.chars().any(|c| c.is_alphabetic()) && !word.chars().any(|c| c.is_lowercase())
}

fn title_case(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut cs = part.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &cs.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A name split for citation: given names and surname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    /// Given names ("Leila", "Michel de").
    pub given: String,
    /// Surname ("al-Shami", "Montaigne").
    pub surname: String,
}

impl PersonName {
    /// Split a natural-order name. A parenthetical ("(attribution disputed)") is dropped.
    pub fn parse(name: &str) -> PersonName {
        let clean = match name.find('(') {
            Some(i) => name[..i].trim(),
            None => name.trim(),
        };
        let words: Vec<&str> = clean.split_whitespace().collect();
        if words.len() <= 1 {
            return PersonName {
                given: String::new(),
                surname: clean.to_string(),
            };
        }
        let last = words.len() - 1;
        PersonName {
            given: words[..last].join(" "),
            surname: words[last].to_string(),
        }
    }

    /// "al-Shami, Leila" (MLA, and "Montaigne, Michel de").
    pub fn inverted(&self) -> String {
        if self.given.is_empty() {
            self.surname.clone()
        } else {
            format!("{}, {}", self.surname, self.given)
        }
    }

    /// "Leila al-Shami".
    pub fn natural(&self) -> String {
        if self.given.is_empty() {
            self.surname.clone()
        } else {
            format!("{} {}", self.given, self.surname)
        }
    }

    /// APA initials before the surname, as APA names people who are not
    /// the entry's authors (interviewers, editors): "G. Levy".
    pub fn apa_initials_first(&self) -> String {
        let inverted = self.apa();
        match inverted.split_once(", ") {
            Some((surname, initials)) => format!("{initials} {surname}"),
            None => inverted,
        }
    }

    /// APA initials: "Kellaway, D." ("S., T." for "Travis S.").
    pub fn apa(&self) -> String {
        let initials: Vec<String> = self
            .given
            .split_whitespace()
            .filter(|w| !PARTICLES.contains(w))
            .filter_map(|w| {
                let mut cs = w.chars();
                let first = cs.next()?;
                if w.len() <= 2 && w.ends_with('.') {
                    return Some(w.to_string());
                }
                Some(
                    w.split('-')
                        .filter_map(|p| p.chars().next())
                        .map(|c| format!("{c}."))
                        .collect::<Vec<_>>()
                        .join("-"),
                )
                .or(Some(format!("{first}.")))
            })
            .collect();
        // A particle that is not part of the surname follows the initials:
        // "Montaigne, M. de".
        let particles: Vec<&str> = self
            .given
            .split_whitespace()
            .filter(|w| PARTICLES.contains(w))
            .collect();
        let initials = initials.join(" ");
        match (initials.is_empty(), particles.is_empty()) {
            (true, _) => self.surname.clone(),
            (false, true) => format!("{}, {initials}", self.surname),
            (false, false) => format!("{}, {initials} {}", self.surname, particles.join(" ")),
        }
    }
}

/// Split an author field that names several people ("A with B", "A and B", "A; B").
pub fn split_authors(field: &str) -> Vec<String> {
    let mut out = vec![field.to_string()];
    for sep in [";", " with ", " and ", " & "] {
        out = out
            .iter()
            .flat_map(|s| s.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surname_first_bylines() {
        assert_eq!(from_surname_first("KELLAWAY Dave", ""), "Dave Kellaway");
        assert_eq!(
            from_surname_first("AL-SHAMI Leila", "by Leila al-Shami for"),
            "Leila al-Shami"
        );
        assert_eq!(from_surname_first("AL-SHAMI Leila", ""), "Leila Al-Shami");
    }

    #[test]
    fn citation_name_forms() {
        let n = PersonName::parse("Leila al-Shami");
        assert_eq!(n.inverted(), "al-Shami, Leila");
        assert_eq!(n.apa(), "al-Shami, L.");
        assert_eq!(
            PersonName::parse("James Madison (attribution disputed)").natural(),
            "James Madison"
        );
        assert_eq!(PersonName::parse("Travis S.").apa(), "S., T.");
        assert_eq!(
            split_authors("James Madison with Alexander Hamilton"),
            vec!["James Madison", "Alexander Hamilton"]
        );
    }
}
