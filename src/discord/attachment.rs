//! Downloading an attached reading: the status and type are checked before
//! the bytes are used (an expired CDN link answers 404 with an HTML page).

use std::time::Duration;

/// Why an attachment could not be used; the text is for the member.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// Discord's CDN refused (expired or removed link).
    #[error(
        "I could not download the file (HTTP {0}); the link may have expired. Attach it again."
    )]
    Status(u16),
    /// Not text.
    #[error("The file does not look like text (it came as `{0}`). Attach a .txt or .md file.")]
    NotText(String),
    /// Larger than announced or allowed.
    #[error("That file is over the {0} KB limit.")]
    TooLarge(u64),
    /// The connection failed.
    #[error("I could not download the file ({0}). Try again in a moment.")]
    Transport(String),
}

/// Fetch `url`, refusing non-2xx answers, non-text content types and more
/// than `max` bytes.
pub async fn download(url: &str, max: u64) -> Result<Vec<u8>, DownloadError> {
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| DownloadError::Transport(e.to_string()))?;
    let mut resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| DownloadError::Transport(e.without_url().to_string()))?;
    if !resp.status().is_success() {
        return Err(DownloadError::Status(resp.status().as_u16()));
    }
    let kind = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !acceptable_type(&kind) {
        return Err(DownloadError::NotText(kind));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| DownloadError::Transport(e.without_url().to_string()))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > max {
            return Err(DownloadError::TooLarge(max / 1024));
        }
    }
    Ok(bytes)
}

/// Text of any kind, or an unnamed type (Discord serves `.md` files as
/// `application/octet-stream` at times); never an HTML error page.
fn acceptable_type(kind: &str) -> bool {
    let base = kind.split(';').next().unwrap_or("").trim();
    base.is_empty()
        || base == "application/octet-stream"
        || (base.starts_with("text/") && base != "text/html")
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_types_pass_and_error_pages_do_not() {
        for ok in [
            "text/plain; charset=utf-8",
            "text/markdown",
            "application/octet-stream",
            "",
        ] {
            assert!(super::acceptable_type(ok), "{ok}");
        }
        for bad in ["text/html; charset=utf-8", "image/png", "application/json"] {
            assert!(!super::acceptable_type(bad), "{bad}");
        }
    }
}
