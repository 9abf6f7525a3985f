//! Sending the daily prompt with serenity's HTTP client.

use super::render::{self, prompt_embed, thread_name};
use crate::daily::{BoxFuture, DailyMessage, PostError, Poster};
use serenity::all::{
    AutoArchiveDuration, ChannelId, CreateAllowedMentions, CreateMessage, CreateThread, Http,
    Nonce, RoleId,
};
use std::sync::Arc;
use std::time::Duration;

/// Longest a send may take before it counts as failed (and is retried with
/// the same nonce, so a slow success is not doubled).
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// Posts through serenity.
pub struct SerenityPoster {
    http: Arc<Http>,
    timeout: Duration,
}

impl SerenityPoster {
    /// Over a client.
    pub fn new(http: Arc<Http>) -> Self {
        SerenityPoster {
            http,
            timeout: SEND_TIMEOUT,
        }
    }

    /// With another limit on one send (tests use a short one).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Classify a serenity error: 429, 5xx and transport errors are worth a retry.
pub fn classify(e: &serenity::Error) -> PostError {
    if let serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) = e {
        let code = r.status_code.as_u16();
        if code == 429 || code >= 500 {
            return PostError::Retryable(format!("HTTP {code}"), None);
        }
        return PostError::Permanent(format!("HTTP {code}: {}", r.error.message));
    }
    PostError::Retryable(e.to_string(), None)
}

impl Poster for SerenityPoster {
    fn post<'a>(&'a self, msg: &'a DailyMessage) -> BoxFuture<'a, Result<u64, PostError>> {
        Box::pin(async move {
            let channel = ChannelId::new(msg.channel_id);
            let mut m = CreateMessage::new()
                .embed(prompt_embed(&msg.prompt))
                .nonce(Nonce::String(msg.nonce.clone()))
                .enforce_nonce(true);
            // Only the role the organiser chose may be pinged, and only here.
            m = match msg.role_id {
                Some(role) => m
                    .content(format!("<@&{role}> Today’s discussion prompt"))
                    .allowed_mentions(
                        CreateAllowedMentions::new()
                            .empty_users()
                            .everyone(false)
                            .roles(vec![RoleId::new(role)]),
                    ),
                None => m
                    .content("Today’s discussion prompt")
                    .allowed_mentions(render::no_mentions()),
            };
            let sent = match tokio::time::timeout(self.timeout, channel.send_message(&self.http, m))
                .await
            {
                Ok(Ok(message)) => message,
                Ok(Err(e)) => return Err(classify(&e)),
                Err(_) => return Err(PostError::Retryable("timed out".into(), None)),
            };
            let thread = CreateThread::new(thread_name(&msg.prompt.question))
                .auto_archive_duration(AutoArchiveDuration::OneDay);
            if let Err(e) = channel
                .create_thread_from_message(&self.http, sent.id, thread)
                .await
            {
                // The prompt is out; a missing thread is not worth a second post.
                tracing::warn!(error = %e, "could not open the discussion thread");
            }
            Ok(sent.id.get())
        })
    }
}
