//! [`CallOptions`]: what one call may change of the client's settings (timeout, retry policy,
//! size limits, SSE timers, extra headers), set on any generated builder with `.customize(...)`.

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
    max_response_bytes: Option<u64>,
    max_event_bytes: Option<usize>,
    sse_idle_timeout: Option<Duration>,
    sse_deadline: Option<Duration>,
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

    /// The largest response body this call reads (see
    /// [`ConfigBuilder::max_response_bytes`](crate::ConfigBuilder::max_response_bytes)).
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.max_response_bytes = Some(n);
        self
    }

    /// The largest server-sent event this call accepts (see
    /// [`ConfigBuilder::max_event_bytes`](crate::ConfigBuilder::max_event_bytes)).
    pub fn max_event_bytes(mut self, n: usize) -> Self {
        self.max_event_bytes = Some(n);
        self
    }

    /// The longest wait for the next complete server-sent event of this call.
    pub fn sse_idle_timeout(mut self, d: Duration) -> Self {
        self.sse_idle_timeout = Some(d);
        self
    }

    /// The longest time this call's whole event stream may take.
    pub fn sse_deadline(mut self, d: Duration) -> Self {
        self.sse_deadline = Some(d);
        self
    }

    /// Applies these options to `req` (generated builders call this last).
    pub fn apply(&self, req: &mut Request) {
        if let Some(d) = self.timeout {
            req.timeout(d);
        }
        if let Some(n) = self.max_response_bytes {
            req.max_response_bytes(n);
        }
        if let Some(n) = self.max_event_bytes {
            req.max_event_bytes(n);
        }
        if let Some(d) = self.sse_idle_timeout {
            req.sse_idle_timeout(d);
        }
        if let Some(d) = self.sse_deadline {
            req.sse_deadline(d);
        }
        if let Some(p) = &self.retry {
            req.retry(p.clone());
        }
        for (name, value) in &self.headers {
            req.header(name, value.as_str());
        }
    }
}
