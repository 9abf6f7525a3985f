//! A reading circle's identity: its id (a Discord server id, or a name given
//! to the CLI's `--circle`) and its key in the state store, which both
//! adapters share so that `--circle 123` and Discord server 123 are one
//! circle.

use crate::error::{Error, Result};

/// A circle id is a path component (its uploads live in a folder of that
/// name), so only letters, digits, `-` and `_`.
pub fn validate(circle: &str) -> Result<()> {
    let ok = !circle.is_empty()
        && circle.len() <= 64
        && circle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "`{}` is not a circle id: use letters, digits, - and _ (a Discord server id)",
            circle.chars().take(64).collect::<String>()
        )))
    }
}

/// A circle's key in the state store (prompt history, custom prompts, bans,
/// reading plan).
pub fn key(circle: &str) -> String {
    format!("guild:{circle}")
}

/// The state-store key of a Discord server's circle.
pub fn key_of_guild(guild_id: u64) -> String {
    key(&guild_id.to_string())
}

/// The Discord server a circle is, when its id is one (schedules are kept
/// per server).
pub fn guild_of(circle: &str) -> Option<u64> {
    circle.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_path_safe_and_keys_are_shared_by_both_adapters() {
        assert!(validate("1234567890").is_ok());
        assert!(validate("book-club_2").is_ok());
        for bad in ["", "../x", "a/b", "a b", &"x".repeat(65)] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert_eq!(key("42"), key_of_guild(42));
        assert_eq!(guild_of("42"), Some(42));
        assert_eq!(guild_of("book-club"), None);
    }
}
