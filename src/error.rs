//! Typed errors of the core, so callers can tell "not found" from "broken".

use std::path::PathBuf;

/// Everything the core can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No essay has this id.
    #[error("no essay with id `{0}` in the library")]
    EssayNotFound(String),
    /// No speaker of that name in the essays searched.
    #[error("no speaker matching `{0}`")]
    SpeakerNotFound(String),
    /// The user's input cannot be used (empty, too long, malformed).
    #[error("{0}")]
    InvalidInput(String),
    /// The library folder is missing or unreadable.
    #[error("library folder {}: {}. Give the right folder with --library DIR, COMMONPLACE_LIBRARY, or `library` in the config file (relative paths there are relative to the config file)", path.display(), crate::fsutil::io_reason(error))]
    Library {
        /// The folder.
        path: PathBuf,
        /// Why (shown in the message, not repeated as a cause).
        error: std::io::Error,
    },
    /// A file could not be read or written.
    #[error("{}: {}", path.display(), crate::fsutil::io_reason(error))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why (shown in the message, not repeated as a cause).
        error: std::io::Error,
    },
    /// The disk is full: nothing was changed.
    #[error("no space left on device while writing {}; nothing was changed (free some space and try again)", path.display())]
    DiskFull {
        /// What was being written.
        path: PathBuf,
    },
    /// The search index is broken.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The state store is broken or unreachable (SQLite or PostgreSQL).
    #[error("state store: {0}")]
    State(String),
    /// A configuration value is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// A schedule value is wrong (time, time zone).
    #[error("{0}")]
    Schedule(String),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::State(e.to_string())
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        // The server's own message (with its detail) says more than the
        // driver's summary "db error".
        match e.as_db_error() {
            Some(db) => Error::State(format!("PostgreSQL: {}", db.message())),
            None => Error::State(format!("PostgreSQL: {e}")),
        }
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Error::State(format!("PostgreSQL connection pool: {e}"))
    }
}

/// Result alias for the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wrap an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::StorageFull {
            return Error::DiskFull { path: path.into() };
        }
        Error::Io {
            path: path.into(),
            error,
        }
    }

    /// True for errors caused by what the user asked (as opposed to a broken system).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::EssayNotFound(_)
                | Error::SpeakerNotFound(_)
                | Error::InvalidInput(_)
                | Error::Schedule(_)
        )
    }
}
