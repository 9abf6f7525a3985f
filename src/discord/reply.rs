//! Answering interactions reliably: one retry policy for slash-command
//! replies and button responses.
//!
//! A reply that fails with 429, a 5xx or a transport error is tried again
//! with a short backoff. A request that times out is retried only when that
//! cannot double the message: the initial response, because Discord accepts
//! one per interaction and refuses the second with "already acknowledged"
//! (which then tells us the first one landed). A followup that timed out may
//! have been posted, so it is not sent again.

use std::future::Future;
use std::time::Duration;

/// Attempts per reply.
pub const ATTEMPTS: u32 = 3;
/// Backoff before the second attempt; doubled for each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// Longest an initial response may take: Discord's window is 3 seconds.
pub const INITIAL_TIMEOUT: Duration = Duration::from_millis(2000);
/// Longest a followup may take (its token lives 15 minutes).
pub const FOLLOWUP_TIMEOUT: Duration = Duration::from_secs(10);
/// Discord's JSON error code for a second response to one interaction.
const ALREADY_ACKNOWLEDGED: isize = 40060;

/// Which kind of reply is being sent: it decides what is safe to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyKind {
    /// The interaction's one initial response (callback).
    Initial,
    /// A followup or an edit after the initial response.
    Followup,
}

/// What became of a reply that did not fail.
#[derive(Debug)]
pub enum Delivered<T> {
    /// Sent; here is what the API returned.
    Sent(T),
    /// An earlier attempt timed out but had landed: Discord refused the
    /// retry as already acknowledged.
    AlreadyAcknowledged,
}

/// Why a reply was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum ReplyError {
    /// The API refused or failed, after any retries.
    #[error("{0}")]
    Http(#[from] serenity::Error),
    /// The request took too long; not retried because it might have landed.
    #[error("the reply timed out after {0:?}")]
    TimedOut(Duration),
}

/// Run `attempt` until it succeeds, fails for good, or runs out of attempts.
pub async fn deliver<T, F, Fut>(kind: ReplyKind, mut attempt: F) -> Result<Delivered<T>, ReplyError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    let limit = match kind {
        ReplyKind::Initial => INITIAL_TIMEOUT,
        ReplyKind::Followup => FOLLOWUP_TIMEOUT,
    };
    let mut backoff = FIRST_BACKOFF;
    let mut timed_out_before = false;
    for n in 1..=ATTEMPTS {
        let last = n == ATTEMPTS;
        match tokio::time::timeout(limit, attempt()).await {
            Ok(Ok(v)) => return Ok(Delivered::Sent(v)),
            Ok(Err(e)) if timed_out_before && json_code(&e) == Some(ALREADY_ACKNOWLEDGED) => {
                return Ok(Delivered::AlreadyAcknowledged);
            }
            Ok(Err(e)) if !last && retryable(&e) => {
                tracing::warn!(error = %e, attempt = n, "reply failed; retrying");
            }
            Ok(Err(e)) => return Err(e.into()),
            Err(_) if !last && kind == ReplyKind::Initial => {
                tracing::warn!(attempt = n, "reply timed out; retrying");
                timed_out_before = true;
            }
            Err(_) => return Err(ReplyError::TimedOut(limit)),
        }
        tokio::time::sleep(backoff).await;
        backoff *= 2;
    }
    unreachable!("the last attempt always returns")
}

/// 429, 5xx and transport errors are worth another attempt; other HTTP
/// statuses (400, 403, 404) will fail the same way again.
fn retryable(e: &serenity::Error) -> bool {
    match e {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
            let code = r.status_code.as_u16();
            code == 429 || code >= 500
        }
        serenity::Error::Http(serenity::all::HttpError::Request(_)) => true,
        _ => false,
    }
}

fn json_code(e: &serenity::Error) -> Option<isize> {
    match e {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
            Some(r.error.code)
        }
        _ => None,
    }
}
