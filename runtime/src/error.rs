//! The one error type of every generated client, [`Error`], and its parts.
//!
//! Service error codes are typed per operation: the generator emits an enum implementing
//! [`ErrorCode`] (known codes plus a catch-all); [`UnknownCode`] is the default.

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
    /// A server-sent-events stream was silent for longer than this.
    SseIdle(Duration),
}

/// An error reported by the service itself (error body, failure envelope, or error status).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServiceError<C = UnknownCode> {
    /// HTTP status (for a failure envelope on HTTP 200: its `httpStatusCode` when present).
    pub status: u16,
    /// The typed code.
    pub code: C,
    /// The code as sent (`"InvalidParameter"`, `"40000"`); empty when the body named none.
    pub raw_code: String,
    /// The service's message (empty when the body had none).
    pub message: String,
    /// Request id from the body or the `x-acs-request-id` header.
    pub request_id: Option<String>,
    /// Alibaba `HostId`.
    pub host_id: Option<String>,
    /// Alibaba `Recommend` (a troubleshooting link).
    pub recommend: Option<String>,
    /// The raw response body (lossy UTF-8).
    pub body: String,
    /// How long the server asked us to wait (`x-acs-retry-after` in ms, or `Retry-After`).
    pub retry_after: Option<Duration>,
}

impl<C: ErrorCode> ServiceError<C> {
    /// Whether the service signalled throttling: HTTP 429, a `Throttling*` code, or
    /// an `x-acs-retry-after`/`Retry-After` header.
    pub fn is_throttling(&self) -> bool {
        self.status == 429 || self.raw_code.starts_with("Throttling") || self.retry_after.is_some()
    }

    /// Whether repeating the call may succeed: throttling, HTTP 500/502/503/504, or a code the
    /// spec marks retryable.
    pub fn is_retryable(&self) -> bool {
        self.is_throttling()
            || matches!(self.status, 500 | 502 | 503 | 504)
            || self.code.is_retryable()
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
        }
    }
}

impl<C> fmt::Display for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error: HTTP {}", self.status)?;
        if !self.raw_code.is_empty() {
            write!(f, " {}", self.raw_code)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// A response (or stream event) whose body did not match the expected type.
#[derive(Debug)]
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

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the HTTP {} response at `{}`: {}",
            self.status, self.path, self.source
        )
    }
}

/// A failure of a server-sent-events stream or of a pagination walk.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum StreamError {
    /// The server sent an event listed in `SseOptions::error_events`.
    ErrorEvent {
        /// Event name.
        event: String,
        /// SSE id, if any.
        id: Option<String>,
        /// `code`/`Code` member of the data, if any (numbers as text).
        code: Option<String>,
        /// `message`/`Message` member of the data, if any.
        message: Option<String>,
        /// The raw event data.
        data: String,
    },
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

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::ErrorEvent {
                event,
                code,
                message,
                ..
            } => {
                write!(f, "the stream sent an `{event}` event")?;
                if let Some(c) = code {
                    write!(f, " {c}")?;
                }
                if let Some(m) = message {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
            StreamError::Truncated { last_event } => match last_event {
                Some(e) => write!(f, "the stream ended after `{e}` without a terminal event"),
                None => f.write_str("the stream ended without any event"),
            },
            StreamError::NotAStream { content_type, .. } => {
                write!(f, "expected an event stream, got `{content_type}`")
            }
            StreamError::Malformed(m) => write!(f, "malformed event stream: {m}"),
            StreamError::PaginationLoop { cursor } => {
                write!(f, "pagination loop: the server repeated cursor `{cursor}`")
            }
        }
    }
}

/// The error of every runtime and generated-client call.
///
/// Never contains secrets: credentials are not part of any variant or message.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<C: ErrorCode = UnknownCode> {
    /// The client or request cannot be used as configured: missing credentials (the message
    /// names the environment variables to set), a bad endpoint or region, a parameter that
    /// cannot be encoded, a missing path parameter.
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
}

impl<C: ErrorCode> Error<C> {
    /// Whether the failure is transient: a transport error or timeout (safe to repeat for
    /// idempotent calls), or a retryable [`ServiceError`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => !e.is_builder() && !e.is_redirect(),
            Error::Timeout(_) => true,
            Error::Service(s) => s.is_retryable(),
            Error::Config(_) | Error::Decode(_) | Error::Stream(_) => false,
        }
    }

    /// The service error, if this is one.
    pub fn service(&self) -> Option<&ServiceError<C>> {
        match self {
            Error::Service(s) => Some(s),
            _ => None,
        }
    }

    /// The typed service error code, if this is a service error.
    pub fn code(&self) -> Option<&C> {
        self.service().map(|s| &s.code)
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

impl<C: ErrorCode> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "configuration error: {m}"),
            // The cause (e.g. "connection refused") is reported by `source()`, not repeated here.
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout(TimeoutKind::Connect) => f.write_str("timed out connecting"),
            Error::Timeout(TimeoutKind::Request(d)) => write!(f, "request timed out after {d:?}"),
            Error::Timeout(TimeoutKind::SseIdle(d)) => write!(f, "event stream idle for {d:?}"),
            Error::Service(s) => s.fmt(f),
            Error::Decode(d) => d.fmt(f),
            Error::Stream(s) => s.fmt(f),
        }
    }
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
