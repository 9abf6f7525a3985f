//! Sending the daily prompt: the message through [`Responder`] (which reads
//! Discord's `retry_after`), its discussion thread through serenity.

use super::render::{self, prompt_embed, thread_name};
use super::reply::{Failure, Responder};
use crate::daily::{BoxFuture, DailyMessage, PostError, Poster};
use serenity::all::{
    AutoArchiveDuration, ChannelId, CreateAllowedMentions, CreateMessage, CreateThread, Http,
    MessageId, Nonce, RoleId,
};
use std::sync::Arc;
use std::time::Duration;

/// Longest a send may take before it counts as failed (and is retried with
/// the same nonce, so a slow success is not doubled).
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// Posts the message with [`Responder`] (which reads Discord's
/// `retry_after`) and opens its thread through serenity.
pub struct SerenityPoster {
    http: Arc<Http>,
    rest: Responder,
    timeout: Duration,
}

impl SerenityPoster {
    /// Over a client, its token and API base.
    pub fn new(http: Arc<Http>, token: &str, api_base: Option<&str>) -> Self {
        SerenityPoster {
            http,
            rest: Responder::new(api_base).with_token(token),
            timeout: SEND_TIMEOUT,
        }
    }

    /// With another limit on one send (tests use a short one).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// The retry policy's reading of a failed send (one classifier for replies
/// and posts: [`Failure::retryable`]).
pub fn classify(f: Failure) -> PostError {
    if f.retryable() {
        PostError::Retryable(f.to_string(), f.retry_after())
    } else {
        PostError::Permanent(f.to_string())
    }
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
            let body = serde_json::to_value(&m)
                .map_err(|e| PostError::Permanent(format!("message not serializable: {e}")))?;
            let path = format!("/channels/{channel}/messages");
            let sent = match tokio::time::timeout(self.timeout, self.rest.post(&path, &body)).await
            {
                Ok(Ok(message)) => message,
                Ok(Err(f)) => return Err(classify(f)),
                Err(_) => return Err(PostError::Retryable("timed out".into(), None)),
            };
            let sent_id = sent["id"]
                .as_str()
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|id| *id != 0)
                .ok_or_else(|| {
                    PostError::Retryable("Discord's answer had no message id".into(), None)
                })?;
            let thread = CreateThread::new(thread_name(&msg.prompt.question))
                .auto_archive_duration(AutoArchiveDuration::OneDay);
            if let Err(e) = channel
                .create_thread_from_message(&self.http, MessageId::new(sent_id), thread)
                .await
            {
                // The prompt is out; a missing thread is not worth a second post.
                tracing::warn!(error = %e, "could not open the discussion thread");
            }
            Ok(sent_id)
        })
    }
}
