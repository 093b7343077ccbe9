//! The one error type of every generated client, [`Error`], and its parts.
//!
//! Service error codes are typed per service: a generated crate emits one enum, `errors::Code`,
//! with every code its spec lists (each once, plus a catch-all for the rest) implementing
//! [`ErrorCode`], and names `Error<errors::Code>` as its own `Error`: every call of the crate,
//! configuration and credentials included, returns it. [`UnknownCode`] (the code as text) is
//! the default for code that uses the runtime without a generated crate.
//!
//! A service error is one [`ServiceError`] whether it came as an error response or as an
//! error event inside a stream. Every error can be built by hand for tests (`new`/`with_*`).

use std::fmt;
use std::time::Duration;

/// A typed service error code (generated per operation from the spec).
pub trait ErrorCode: Sized + Clone + fmt::Debug + Send + Sync + 'static {
    /// Maps a wire code to the enum; unknown codes go to the catch-all variant.
    fn from_code(code: &str) -> Self;
    /// The wire code.
    fn as_str(&self) -> &str;
    /// Whether the spec marks this code as transient (`retryable: true`).
    fn is_retryable(&self) -> bool;
}

/// The default [`ErrorCode`]: the wire code as text, never retryable by itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownCode(pub String);

impl ErrorCode for UnknownCode {
    fn from_code(code: &str) -> Self {
        UnknownCode(code.to_owned())
    }

    fn as_str(&self) -> &str {
        &self.0
    }

    fn is_retryable(&self) -> bool {
        false
    }
}

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection (TCP + TLS) took too long.
    Connect,
    /// The whole exchange (or, for a stream, the wait for the response head) took longer than this.
    Request(Duration),
    /// A server-sent-events stream completed no event for longer than this.
    SseIdle(Duration),
    /// A server-sent-events stream lasted longer than its deadline.
    SseStream(Duration),
}

/// Which size or count limit a response reached. Each is configurable on the
/// [`ConfigBuilder`](crate::ConfigBuilder) (and the first two per call on the
/// [`Request`](crate::Request)); the message names the setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitKind {
    /// The response body is larger than `max_response_bytes`.
    ResponseBody {
        /// The limit, in bytes.
        limit: u64,
        /// The `Content-Length` the server announced, when it did.
        content_length: Option<u64>,
    },
    /// One server-sent event is larger than `max_event_bytes`.
    SseEvent {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A pagination walk fetched `max_pages` pages and the server still announced more.
    Pages {
        /// The limit, in pages.
        limit: u32,
    },
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitKind::ResponseBody {
                limit,
                content_length: Some(n),
            } => write!(
                f,
                "the response body ({n} bytes by its Content-Length) exceeds the {limit}-byte limit; raise `max_response_bytes` if it is expected"
            ),
            LimitKind::ResponseBody { limit, .. } => write!(
                f,
                "the response body exceeds the {limit}-byte limit; raise `max_response_bytes` if it is expected"
            ),
            LimitKind::SseEvent { limit } => write!(
                f,
                "a server-sent event exceeds the {limit}-byte limit; raise `max_event_bytes` if it is expected"
            ),
            LimitKind::Pages { limit } => write!(
                f,
                "pagination stopped after {limit} pages while the server still announced more; raise `max_pages` to walk further"
            ),
        }
    }
}

/// Most bytes of one server-supplied text (a body, a message, event data) that `Debug` and
/// `Display` show: an error printed in a log stays small whatever the server sent.
const SHOWN: usize = 1024;

/// Shows at most [`SHOWN`] bytes of a text, then how long it was.
struct Clip<'a>(&'a str);

impl Clip<'_> {
    fn head(&self) -> Option<&str> {
        if self.0.len() <= SHOWN {
            return None;
        }
        let mut cut = SHOWN;
        while !self.0.is_char_boundary(cut) {
            cut -= 1;
        }
        Some(&self.0[..cut])
    }
}

impl fmt::Debug for Clip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.head() {
            None => fmt::Debug::fmt(self.0, f),
            Some(head) => write!(f, "{head:?}... ({} bytes)", self.0.len()),
        }
    }
}

impl fmt::Display for Clip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.head() {
            None => f.write_str(self.0),
            Some(head) => write!(f, "{head}... ({} bytes)", self.0.len()),
        }
    }
}

fn clip_opt(s: &Option<String>) -> Option<Clip<'_>> {
    s.as_deref().map(Clip)
}

/// An error reported by the service: an error response before any data, or an error event
/// inside a server-sent-events stream (then [`event`](Self::event) names it). Both carry the
/// same typed code, so one `match` handles an error whenever it arrives.
///
/// `Debug` and `Display` show at most 1 KiB of each text the server sent, and no text the
/// runtime keeps from the server holds a credential of the request (see the crate docs).
///
/// Build one for tests with [`new`](Self::new) and the `with_*` setters:
///
/// ```
/// use wiregen_runtime::{Error, ServiceError, UnknownCode};
///
/// let e: Error = ServiceError::<UnknownCode>::new(429, "Throttling.User")
///     .with_message("slow down")
///     .with_request_id("req-1")
///     .into();
/// assert!(e.is_throttling() && e.is_retryable());
/// assert_eq!(e.request_id(), Some("req-1"));
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct ServiceError<C = UnknownCode> {
    /// HTTP status (for a failure envelope on HTTP 200: its `httpStatusCode` when present; for
    /// an error event: its `status` member when present, else the stream's HTTP status).
    pub status: u16,
    /// The typed code.
    pub code: C,
    /// The code as sent (`"InvalidParameter"`, `"40000"`); empty when the body named none.
    pub raw_code: String,
    /// The service's message (empty when the body had none).
    pub message: String,
    /// Request id from the body (or event data), else the `x-acs-request-id` header.
    pub request_id: Option<String>,
    /// Alibaba `HostId`.
    pub host_id: Option<String>,
    /// Alibaba `Recommend` (a troubleshooting link).
    pub recommend: Option<String>,
    /// The raw response body or event data (lossy UTF-8), at most its first
    /// [`MAX_ERROR_BODY_BYTES`](crate::MAX_ERROR_BODY_BYTES).
    pub body: String,
    /// How long the server asked us to wait (`x-acs-retry-after` in ms, or `Retry-After`).
    pub retry_after: Option<Duration>,
    /// Set when the call was not retried because [`retry_after`](Self::retry_after) is longer
    /// than this, the retry policy's
    /// [`max_server_delay`](crate::RetryPolicy::max_server_delay).
    pub retry_after_cap: Option<Duration>,
    /// The name of the server-sent event that reported the error (one listed in
    /// [`SseOptions::error_events`](crate::SseOptions::error_events), which ends the stream);
    /// `None` for an error response.
    pub event: Option<String>,
}

impl<C: ErrorCode> ServiceError<C> {
    /// An error with HTTP `status` and the wire code `raw_code` (typed through
    /// [`ErrorCode::from_code`]); everything else empty. For tests of code that handles
    /// errors: the runtime builds these from responses.
    pub fn new(status: u16, raw_code: impl Into<String>) -> Self {
        let raw_code = raw_code.into();
        ServiceError {
            status,
            code: C::from_code(&raw_code),
            raw_code,
            message: String::new(),
            request_id: None,
            host_id: None,
            recommend: None,
            body: String::new(),
            retry_after: None,
            retry_after_cap: None,
            event: None,
        }
    }

    /// Sets [`message`](Self::message).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Sets [`request_id`](Self::request_id).
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Sets [`host_id`](Self::host_id).
    pub fn with_host_id(mut self, host_id: impl Into<String>) -> Self {
        self.host_id = Some(host_id.into());
        self
    }

    /// Sets [`recommend`](Self::recommend).
    pub fn with_recommend(mut self, recommend: impl Into<String>) -> Self {
        self.recommend = Some(recommend.into());
        self
    }

    /// Sets [`body`](Self::body).
    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets [`retry_after`](Self::retry_after).
    pub fn with_retry_after(mut self, delay: Duration) -> Self {
        self.retry_after = Some(delay);
        self
    }

    /// Sets [`event`](Self::event): the error arrived as this event inside a stream.
    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// Whether the service signalled throttling: HTTP 429, a `Throttling*` code, or
    /// an `x-acs-retry-after`/`Retry-After` header.
    pub fn is_throttling(&self) -> bool {
        self.status == 429 || self.raw_code.starts_with("Throttling") || self.retry_after.is_some()
    }

    /// Whether repeating the call may succeed: throttling, HTTP 500/502/503/504, or a code the
    /// spec marks retryable. The runtime retries such errors itself before a stream starts;
    /// an error event ends its stream, and only the caller can start it again.
    pub fn is_retryable(&self) -> bool {
        self.is_throttling()
            || matches!(self.status, 500 | 502 | 503 | 504)
            || self.code.is_retryable()
    }

    /// Whether the thing the request names does not exist: HTTP 404, or a code that says so
    /// the way these services do: `NotFound`, Alibaba's `InvalidXxx.NotFound` and
    /// `XxxNotFound` (`UserNotFound`), Dify's `not_found` and `xxx_not_found`.
    ///
    /// Not for the two gateway codes that end the same way but mean a misconfigured client:
    /// `InvalidAccessKeyId.NotFound` (wrong credentials) and `InvalidAction.NotFound` (an API
    /// version the endpoint does not serve), whatever their status.
    pub fn is_not_found(&self) -> bool {
        let code = self.raw_code.as_str();
        if matches!(
            code,
            "InvalidAccessKeyId.NotFound" | "InvalidAction.NotFound"
        ) {
            return false;
        }
        self.status == 404
            || code.ends_with("NotFound")
            || code == "not_found"
            || code.ends_with("_not_found")
    }

    /// The same error with its code re-typed.
    pub fn with_code<D: ErrorCode>(self) -> ServiceError<D> {
        ServiceError {
            status: self.status,
            code: D::from_code(&self.raw_code),
            raw_code: self.raw_code,
            message: self.message,
            request_id: self.request_id,
            host_id: self.host_id,
            recommend: self.recommend,
            body: self.body,
            retry_after: self.retry_after,
            retry_after_cap: self.retry_after_cap,
            event: self.event,
        }
    }
}

impl<C: fmt::Debug> fmt::Debug for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("raw_code", &Clip(&self.raw_code))
            .field("message", &Clip(&self.message))
            .field("request_id", &clip_opt(&self.request_id))
            .field("host_id", &clip_opt(&self.host_id))
            .field("recommend", &clip_opt(&self.recommend))
            .field("body", &Clip(&self.body))
            .field("retry_after", &self.retry_after)
            .field("retry_after_cap", &self.retry_after_cap)
            .field("event", &clip_opt(&self.event))
            .finish()
    }
}

impl<C> fmt::Display for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.event {
            None => write!(f, "service error: HTTP {}", self.status)?,
            Some(event) => write!(f, "service error: stream event `{}`", Clip(event))?,
        }
        if !self.raw_code.is_empty() {
            write!(f, " {}", Clip(&self.raw_code))?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", Clip(&self.message))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {})", Clip(id))?;
        }
        if let (Some(asked), Some(cap)) = (self.retry_after, self.retry_after_cap) {
            write!(
                f,
                "; not retried: the server asked to wait {asked:?}, longer than the retry policy's {cap:?} `max_server_delay` (raise it to wait that long)"
            )?;
        }
        Ok(())
    }
}

/// A response (or stream event) whose body did not match the expected type.
///
/// `Debug` and `Display` show at most 1 KiB of the body and of the serde message (which may
/// quote a value of the body).
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status of the response.
    pub status: u16,
    /// The raw body (or event data), lossy UTF-8.
    pub body: String,
    /// JSON path of the offending value, e.g. `Data[3].CreatedAt` (`.` for the root).
    pub path: String,
    /// The underlying serde error.
    pub source: serde_json::Error,
}

impl DecodeError {
    /// A decode error of a body with HTTP `status`, at JSON `path` (`.` for the root), with
    /// serde's `source`. For tests of code that handles errors: the runtime builds these from
    /// responses.
    ///
    /// ```
    /// use wiregen_runtime::{DecodeError, Error};
    ///
    /// let source = serde_json::from_str::<u32>("\"x\"").unwrap_err();
    /// let e: Error = DecodeError::new(200, "Data[0].Id", r#"{"Data":[{"Id":"x"}]}"#, source).into();
    /// assert_eq!(e.raw_body(), Some(r#"{"Data":[{"Id":"x"}]}"#));
    /// ```
    pub fn new(
        status: u16,
        path: impl Into<String>,
        body: impl Into<String>,
        source: serde_json::Error,
    ) -> Self {
        DecodeError {
            status,
            body: body.into(),
            path: path.into(),
            source,
        }
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("body", &Clip(&self.body))
            .field("path", &Clip(&self.path))
            .field("source", &Clip(&self.source.to_string()))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the HTTP {} response at `{}`: {}",
            self.status,
            Clip(&self.path),
            Clip(&self.source.to_string())
        )
    }
}

/// A failure of a server-sent-events stream or of a pagination walk. (An error *event* the
/// service sends inside a stream is an [`Error::Service`], typed like an error response.)
///
/// `Debug` and `Display` show at most 1 KiB of each text the server sent.
#[derive(Clone)]
#[non_exhaustive]
pub enum StreamError {
    /// The stream ended before an event listed in `SseOptions::terminal_events`.
    Truncated {
        /// Name of the last event received, if any.
        last_event: Option<String>,
    },
    /// The response was not an event stream (e.g. a JSON body on HTTP 200).
    NotAStream {
        /// The `content-type` received.
        content_type: String,
        /// The body (lossy UTF-8).
        body: String,
    },
    /// The event stream could not be framed (invalid UTF-8).
    Malformed(String),
    /// The server handed back a cursor or token it had already given: following it would
    /// loop forever, so the walk stops.
    PaginationLoop {
        /// The repeated cursor, token, or page number.
        cursor: String,
    },
}

impl fmt::Debug for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Truncated { last_event } => f
                .debug_struct("Truncated")
                .field("last_event", &clip_opt(last_event))
                .finish(),
            StreamError::NotAStream { content_type, body } => f
                .debug_struct("NotAStream")
                .field("content_type", &Clip(content_type))
                .field("body", &Clip(body))
                .finish(),
            StreamError::Malformed(m) => f.debug_tuple("Malformed").field(&Clip(m)).finish(),
            StreamError::PaginationLoop { cursor } => f
                .debug_struct("PaginationLoop")
                .field("cursor", &Clip(cursor))
                .finish(),
        }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Truncated { last_event } => match last_event {
                Some(e) => write!(
                    f,
                    "the stream ended after `{}` without a terminal event",
                    Clip(e)
                ),
                None => f.write_str("the stream ended without any event"),
            },
            StreamError::NotAStream { content_type, .. } => {
                write!(f, "expected an event stream, got `{}`", Clip(content_type))
            }
            StreamError::Malformed(m) => write!(f, "malformed event stream: {}", Clip(m)),
            StreamError::PaginationLoop { cursor } => write!(
                f,
                "pagination loop: the server repeated cursor `{}`",
                Clip(cursor)
            ),
        }
    }
}

/// The error of every runtime and generated-client call, generic over the service's code enum
/// `C`: a generated crate names `Error<errors::Code>` as its own `Error`, the one type all its
/// calls (configuration included) return, so `?` works across them.
///
/// Never contains secrets: credentials are not part of any variant or message, and the ones a
/// request carried are scrubbed from whatever the server sent back (see the crate docs).
///
/// Every variant can be built for tests: [`ServiceError::new`] and [`DecodeError::new`] with
/// `.into()`, the others directly.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<C: ErrorCode = UnknownCode> {
    /// The client or request cannot be used as configured: missing credentials (the message
    /// names the environment variables to set), a bad endpoint or region (the variable it
    /// came from, if any), a path parameter that is empty, `.` or `..`, a header a caller or
    /// an interceptor set that HTTP cannot carry.
    Config(String),
    /// The request did not complete at the transport level: connection refused, TLS, reset...
    Transport(reqwest::Error),
    /// A timeout fired.
    Timeout(TimeoutKind),
    /// The service answered with an error.
    Service(Box<ServiceError<C>>),
    /// The response body did not match the expected type; the raw body is kept.
    Decode(Box<DecodeError>),
    /// A server-sent-events stream or a pagination walk failed.
    Stream(Box<StreamError>),
    /// A size or count limit was reached: a response body, an event, a number of pages.
    Limit(LimitKind),
    /// A broken invariant of the runtime or of generated code (e.g. a path parameter a
    /// generated builder always sets is missing): never the caller's doing, so please report
    /// it. The message says which invariant broke.
    Internal(String),
}

impl<C: ErrorCode> Error<C> {
    /// Whether the failure is transient: a transport error or timeout (safe to repeat for
    /// idempotent calls), or a retryable [`ServiceError`] (see [`ServiceError::is_retryable`];
    /// an error event inside a stream counts the same as an error response).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => !e.is_builder() && !e.is_redirect() && !is_unparsable(e),
            Error::Timeout(_) => true,
            Error::Service(s) => s.is_retryable(),
            Error::Config(_)
            | Error::Decode(_)
            | Error::Stream(_)
            | Error::Limit(_)
            | Error::Internal(_) => false,
        }
    }

    /// The service error, if this is one.
    pub fn service(&self) -> Option<&ServiceError<C>> {
        match self {
            Error::Service(s) => Some(s),
            _ => None,
        }
    }

    /// The typed service error code, if this is a service error (an error response or an
    /// error event of a stream).
    pub fn code(&self) -> Option<&C> {
        self.service().map(|s| &s.code)
    }

    /// Whether the service signalled throttling (see [`ServiceError::is_throttling`]).
    pub fn is_throttling(&self) -> bool {
        self.service().is_some_and(ServiceError::is_throttling)
    }

    /// Whether the service said that what the request names does not exist (see
    /// [`ServiceError::is_not_found`]).
    pub fn is_not_found(&self) -> bool {
        self.service().is_some_and(ServiceError::is_not_found)
    }

    /// The service's request id of a service error; quote it when asking the vendor's support.
    pub fn request_id(&self) -> Option<&str> {
        self.service()?.request_id.as_deref()
    }

    /// The raw body kept by a service or decode error.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Error::Service(s) => Some(&s.body),
            Error::Decode(d) => Some(&d.body),
            _ => None,
        }
    }

    /// The same error with the service code re-typed (e.g. from [`UnknownCode`] to an
    /// operation's code enum).
    pub fn with_code<D: ErrorCode>(self) -> Error<D> {
        match self {
            Error::Config(m) => Error::Config(m),
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout(k) => Error::Timeout(k),
            Error::Service(s) => Error::Service(Box::new(s.with_code())),
            Error::Decode(d) => Error::Decode(d),
            Error::Stream(s) => Error::Stream(s),
            Error::Limit(l) => Error::Limit(l),
            Error::Internal(m) => Error::Internal(m),
        }
    }

    /// Whether the request may have reached the server (false only for connect failures,
    /// which are safe to retry even for non-idempotent calls).
    pub(crate) fn is_connect_failure(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect(),
            Error::Timeout(TimeoutKind::Connect) => true,
            _ => false,
        }
    }
}

impl<C: ErrorCode> From<ServiceError<C>> for Error<C> {
    fn from(e: ServiceError<C>) -> Self {
        Error::Service(Box::new(e))
    }
}

impl<C: ErrorCode> From<DecodeError> for Error<C> {
    fn from(e: DecodeError) -> Self {
        Error::Decode(Box::new(e))
    }
}

impl<C: ErrorCode> From<StreamError> for Error<C> {
    fn from(e: StreamError) -> Self {
        Error::Stream(Box::new(e))
    }
}

impl<C: ErrorCode> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "configuration error: {m}"),
            Error::Transport(e) => write_transport(f, e),
            Error::Timeout(TimeoutKind::Connect) => f.write_str("timed out connecting"),
            Error::Timeout(TimeoutKind::Request(d)) => write!(f, "request timed out after {d:?}"),
            Error::Timeout(TimeoutKind::SseIdle(d)) => {
                write!(f, "event stream completed no event for {d:?}")
            }
            Error::Timeout(TimeoutKind::SseStream(d)) => {
                write!(f, "event stream still open after its {d:?} deadline")
            }
            Error::Service(s) => s.fmt(f),
            Error::Decode(d) => d.fmt(f),
            Error::Stream(s) => s.fmt(f),
            Error::Limit(l) => l.fmt(f),
            Error::Internal(m) => write!(
                f,
                "internal error (a bug in wiregen, not in your call; please report it): {m}"
            ),
        }
    }
}

/// Whether the server's response could not be parsed as HTTP (a head over the HTTP library's
/// limit, an invalid status line or header): the same request gets the same answer, so it is
/// not worth repeating.
fn is_unparsable(e: &reqwest::Error) -> bool {
    causes(e).any(|c| {
        c.downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_parse)
    })
}

/// The causes below `e`, outermost first.
fn causes(e: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    std::iter::successors(std::error::Error::source(e), |c| c.source())
}

/// What happened at the transport level, in words, then the causes (the library's own message
/// is left out: it names only the URL, which may be long and is in the span already).
fn write_transport(f: &mut fmt::Formatter<'_>, e: &reqwest::Error) -> fmt::Result {
    let what = if e.is_connect() {
        "could not connect"
    } else if is_unparsable(e) {
        "the response is not valid HTTP (not retried)"
    } else if e.is_body() || (e.is_decode() && causes(e).any(|c| c.is::<hyper::Error>())) {
        "the connection failed while the body was read"
    } else if e.is_decode() {
        "the body could not be decoded"
    } else if e.is_builder() {
        "the request could not be built"
    } else if e.is_redirect() {
        "a redirect could not be handled"
    } else {
        "the exchange failed"
    };
    write!(f, "transport error: {what}")?;
    let mut any = false;
    for cause in causes(e) {
        write!(f, ": {}", Clip(&cause.to_string()))?;
        any = true;
    }
    if !any {
        write!(f, ": {}", Clip(&e.to_string()))?;
    }
    Ok(())
}

impl<C: ErrorCode> std::error::Error for Error<C> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode(d) => Some(&d.source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: u16, code: &str) -> Error {
        ServiceError::<UnknownCode>::new(status, code).into()
    }

    #[test]
    fn not_found_is_a_404_or_a_not_found_code_but_never_a_misconfiguration() {
        for (status, code) in [
            (404, ""),
            (400, "UserNotFound"),
            (400, "InvalidDBInstanceId.NotFound"),
            (200, "not_found"),
            (200, "conversation_not_found"),
        ] {
            assert!(service(status, code).is_not_found(), "{status} {code}");
        }
        for (status, code) in [
            (404, "InvalidAccessKeyId.NotFound"),
            (404, "InvalidAction.NotFound"),
            (400, "InvalidParameter"),
            (500, "NotFoundation"),
        ] {
            assert!(!service(status, code).is_not_found(), "{status} {code}");
        }
        assert!(!Error::<UnknownCode>::Timeout(TimeoutKind::Connect).is_not_found());
    }

    #[test]
    fn an_error_event_reads_like_an_error_response() {
        let response = service(400, "Throttling.User");
        let event: Error = ServiceError::<UnknownCode>::new(200, "Throttling.User")
            .with_event("error")
            .with_request_id("R")
            .into();
        for e in [&response, &event] {
            assert!(e.is_throttling() && e.is_retryable(), "{e}");
            assert_eq!(e.code(), Some(&UnknownCode("Throttling.User".into())));
        }
        assert_eq!(event.request_id(), Some("R"));
        assert_eq!(
            event.to_string(),
            "service error: stream event `error` Throttling.User (request id R)"
        );
    }
}
