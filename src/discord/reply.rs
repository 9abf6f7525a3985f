//! Answering interactions reliably: one retry policy for slash-command
//! replies, button responses and daily posts.
//!
//! A reply that fails with 429, a 5xx or a transport error is tried again. A
//! 429 is retried after the wait Discord names (`Retry-After`, or
//! `retry_after` in the body): an earlier retry would only earn another 429
//! and count toward Discord's invalid-request limit. A request that times
//! out is retried only when that cannot double the message: the initial
//! response, because Discord accepts one per interaction and refuses the
//! second with "already acknowledged" (which then tells us the first one
//! landed). A followup that timed out may have been posted, so it is not
//! sent again.
//!
//! serenity drops a failed response's headers, and it cannot parse the body
//! of Discord's real 429 (it has no `code`), so the initial response of an
//! interaction is sent by [`Responder`], which reads the response itself.

use serenity::all::{CreateInteractionResponse, InteractionId};
use std::future::Future;
use std::time::{Duration, Instant};

/// Attempts per reply.
pub const ATTEMPTS: u32 = 3;
/// Backoff before the second attempt when the failure names no wait;
/// doubled for each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// Discord's window for the initial response.
pub const INTERACTION_WINDOW: Duration = Duration::from_secs(3);
/// Longest one initial-response request may take.
pub const INITIAL_TIMEOUT: Duration = Duration::from_millis(2000);
/// Longest a followup may take (its token lives 15 minutes).
pub const FOLLOWUP_TIMEOUT: Duration = Duration::from_secs(10);
/// Discord's JSON error code for a second response to one interaction.
const ALREADY_ACKNOWLEDGED: isize = 40060;

/// Which kind of reply is being sent: it decides what is safe to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyKind {
    /// The interaction's one initial response (callback), due before
    /// `deadline`.
    Initial {
        /// When Discord stops accepting it.
        deadline: Instant,
    },
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

/// One failed attempt, as far as the retry policy needs to know it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    /// Discord (or a proxy) answered with an error status.
    #[error("HTTP {status}: {message}")]
    Status {
        /// HTTP status.
        status: u16,
        /// Discord's JSON error code, when the body had one.
        code: Option<isize>,
        /// How long Discord asked us to wait (429).
        retry_after: Option<Duration>,
        /// Discord's message, or the body.
        message: String,
    },
    /// The request did not complete (connection, TLS, body).
    #[error("{0}")]
    Transport(String),
    /// Anything else serenity refused (a builder over Discord's limits…).
    #[error("{0}")]
    Other(String),
}

impl Failure {
    /// 429, 5xx and transport errors are worth another attempt; other HTTP
    /// statuses (400, 403, 404) will fail the same way again.
    pub fn retryable(&self) -> bool {
        match self {
            Failure::Status { status, .. } => *status == 429 || *status >= 500,
            Failure::Transport(_) => true,
            Failure::Other(_) => false,
        }
    }

    /// The wait Discord named, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    fn code(&self) -> Option<isize> {
        match self {
            Failure::Status { code, .. } => *code,
            _ => None,
        }
    }
}

impl From<serenity::Error> for Failure {
    fn from(e: serenity::Error) -> Self {
        match &e {
            serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
                Failure::Status {
                    status: r.status_code.as_u16(),
                    // serenity puts -1 here when it could not read the body.
                    code: (r.error.code >= 0).then_some(r.error.code),
                    retry_after: None,
                    message: r.error.message.clone(),
                }
            }
            serenity::Error::Http(serenity::all::HttpError::Request(_)) => {
                Failure::Transport(e.to_string())
            }
            _ => Failure::Other(e.to_string()),
        }
    }
}

/// Why a reply was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum ReplyError {
    /// The API refused or failed, after any retries.
    #[error("{0}")]
    Failed(#[from] Failure),
    /// The request took too long; not retried because it might have landed.
    #[error("the reply timed out after {0:?}")]
    TimedOut(Duration),
}

/// Run `attempt` until it succeeds, fails for good, runs out of attempts,
/// or (for an initial response) would miss Discord's window.
pub async fn deliver<T, F, Fut>(kind: ReplyKind, mut attempt: F) -> Result<Delivered<T>, ReplyError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let limit = match kind {
        ReplyKind::Initial { .. } => INITIAL_TIMEOUT,
        ReplyKind::Followup => FOLLOWUP_TIMEOUT,
    };
    let mut backoff = FIRST_BACKOFF;
    let mut timed_out_before = false;
    for n in 1..=ATTEMPTS {
        let last = n == ATTEMPTS;
        let limit = match kind {
            ReplyKind::Initial { deadline } => limit
                .min(deadline.saturating_duration_since(Instant::now()))
                .max(Duration::from_millis(100)),
            ReplyKind::Followup => limit,
        };
        let failure = match tokio::time::timeout(limit, attempt()).await {
            Ok(Ok(v)) => return Ok(Delivered::Sent(v)),
            Ok(Err(e)) if timed_out_before && e.code() == Some(ALREADY_ACKNOWLEDGED) => {
                return Ok(Delivered::AlreadyAcknowledged);
            }
            Ok(Err(e)) if !last && e.retryable() => e,
            Ok(Err(e)) => return Err(e.into()),
            Err(_) if !last && matches!(kind, ReplyKind::Initial { .. }) => {
                tracing::warn!(attempt = n, "reply timed out; retrying");
                timed_out_before = true;
                Failure::Transport("timed out".into())
            }
            Err(_) => return Err(ReplyError::TimedOut(limit)),
        };
        let wait = failure.retry_after().unwrap_or(backoff);
        if let ReplyKind::Initial { deadline } = kind {
            // A retry that cannot land inside the window only adds an
            // invalid request: give up now.
            if Instant::now() + wait + Duration::from_millis(50) >= deadline {
                return Err(failure.into());
            }
        }
        tracing::warn!(error = %failure, attempt = n, wait_ms = wait.as_millis() as u64, "reply failed; retrying");
        tokio::time::sleep(wait).await;
        backoff *= 2;
    }
    unreachable!("the last attempt always returns")
}

/// Sends the requests whose failures the retry policy must read whole
/// (status, `Retry-After`, the JSON body): interaction callbacks (the
/// initial response) and daily posts.
#[derive(Debug, Clone)]
pub struct Responder {
    client: reqwest::Client,
    api_base: String,
    /// `Bot …` authorization for channel posts (callbacks need none).
    auth: Option<String>,
}

impl Responder {
    /// Against `api_base` (the host root, e.g. `https://discord.com`, or a
    /// proxy); `/api/v10` is appended as serenity does.
    pub fn new(api_base: Option<&str>) -> Responder {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(FOLLOWUP_TIMEOUT)
            .build()
            .unwrap_or_default();
        Responder {
            client,
            api_base: api_base
                .unwrap_or("https://discord.com")
                .trim_end_matches('/')
                .to_string(),
            auth: None,
        }
    }

    /// With the bot token, for channel posts.
    pub fn with_token(mut self, token: &str) -> Responder {
        let t = token.trim();
        self.auth = Some(if t.starts_with("Bot ") {
            t.to_string()
        } else {
            format!("Bot {t}")
        });
        self
    }

    /// POST one interaction callback.
    pub async fn callback(
        &self,
        id: InteractionId,
        token: &str,
        response: &CreateInteractionResponse,
    ) -> Result<(), Failure> {
        let mut body = serde_json::to_value(response).map_err(|e| Failure::Other(e.to_string()))?;
        // Nothing the bot sends may ping anyone unless it says so.
        if let Some(data) = body.get_mut("data").and_then(|d| d.as_object_mut()) {
            data.entry("allowed_mentions")
                .or_insert_with(|| serde_json::json!({"parse": []}));
        }
        self.post(&format!("/interactions/{id}/{token}/callback"), &body)
            .await
            .map(|_| ())
    }

    /// POST a JSON body to an API path (`/channels/…`); the answer's JSON.
    pub async fn post(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, Failure> {
        let url = format!("{}/api/v10{path}", self.api_base);
        let mut req = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(auth) = &self.auth {
            req = req.header(reqwest::header::AUTHORIZATION, auth);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| Failure::Transport(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let ok = resp.status().is_success();
        let header_wait = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok());
        let text = resp
            .text()
            .await
            .map_err(|e| Failure::Transport(e.without_url().to_string()))?;
        if ok {
            return Ok(serde_json::from_str(&text).unwrap_or_default());
        }
        Err(failure_of(status, header_wait, &text))
    }
}

/// Read an error response: Discord's JSON error (`code`, `message`) or its
/// rate-limit body (`retry_after` in seconds, no `code`).
pub fn failure_of(status: u16, header_wait: Option<f64>, body: &str) -> Failure {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let body_wait = json.get("retry_after").and_then(|v| v.as_f64());
    // The body is more precise (fractions of a second); either will do.
    let retry_after = body_wait
        .or(header_wait)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(3600.0)));
    Failure::Status {
        status,
        code: json
            .get("code")
            .and_then(|c| c.as_i64())
            .map(|c| c as isize),
        retry_after,
        message: json
            .get("message")
            .and_then(|m| m.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| body.chars().take(200).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn initial_since(received: Instant) -> ReplyKind {
        ReplyKind::Initial {
            deadline: received + INTERACTION_WINDOW,
        }
    }

    #[test]
    fn discords_rate_limit_body_and_header_give_the_wait() {
        let f = failure_of(
            429,
            Some(1.0),
            r#"{"message": "You are being rate limited.", "retry_after": 0.5, "global": false}"#,
        );
        assert!(f.retryable());
        assert_eq!(f.retry_after(), Some(Duration::from_millis(500)));
        assert_eq!(
            failure_of(429, Some(2.0), "").retry_after(),
            Some(Duration::from_secs(2))
        );
        let f = failure_of(400, None, r#"{"code": 40060, "message": "already"}"#);
        assert!(!f.retryable());
        assert_eq!(f.code(), Some(40060));
    }

    #[tokio::test]
    async fn an_initial_response_waits_as_told_and_gives_up_past_the_window() {
        let start = Instant::now();
        let mut calls = 0;
        let r = deliver(initial_since(start), || {
            calls += 1;
            let n = calls;
            async move {
                if n == 1 {
                    Err(failure_of(429, None, r#"{"retry_after": 0.5}"#))
                } else {
                    Ok(n)
                }
            }
        })
        .await
        .unwrap();
        assert!(matches!(r, Delivered::Sent(2)));
        assert!(start.elapsed() >= Duration::from_millis(500));
        // A wait that cannot fit in the window is not attempted.
        let start = Instant::now();
        let r: Result<Delivered<()>, _> = deliver(initial_since(start), || async {
            Err(failure_of(429, None, r#"{"retry_after": 5}"#))
        })
        .await;
        assert!(r.is_err());
        assert!(start.elapsed() < Duration::from_millis(500));
    }
}
