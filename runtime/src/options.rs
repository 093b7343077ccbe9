//! [`CallOptions`]: what one call may change of the client's settings (timeout, retry policy,
//! extra headers), set on any generated builder with `.customize(...)`.

use std::time::Duration;

use crate::request::Request;
use crate::retry::RetryPolicy;

/// Settings for one call, applied over the client's configuration.
///
/// ```
/// use std::time::Duration;
/// use wiregen_runtime::CallOptions;
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(5))
///     .no_retries()
///     .header("x-acs-trace-id", "t-42");
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: Vec<(String, String)>,
}

impl CallOptions {
    /// No changes: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// The whole-exchange timeout of this call (for streams: the wait for the response head).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// The retry policy of this call. Also retries a non-idempotent operation: only ask for
    /// that when repeating it is harmless.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// One attempt only, as the official SDKs do by default.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// An extra header (name case-insensitive; signed on ACS3 services). Setting a name twice
    /// keeps the last value.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Applies these options to `req` (generated builders call this last).
    pub fn apply(&self, req: &mut Request) {
        if let Some(d) = self.timeout {
            req.timeout(d);
        }
        if let Some(p) = &self.retry {
            req.retry(p.clone());
        }
        for (name, value) in &self.headers {
            req.header(name, value.as_str());
        }
    }
}
