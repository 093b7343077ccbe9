//! Server-sent events: [`Client::send_sse`] sends a request and yields each event of the
//! response as soon as its bytes arrive, decoded as JSON into `T`.
//!
//! Framing (WHATWG rules, linear in the bytes received, each event bounded in size) is in
//! `sse_framing`. Around it this module adds what the APIs need:
//!
//! * an idle timeout per event: the time allowed between two complete event blocks (pings and
//!   comment-only keep-alives count), so a server trickling bytes that never finish an event
//!   times out too; and an optional deadline for the whole stream;
//! * an event larger than the limit ([`DEFAULT_MAX_EVENT_BYTES`](crate::DEFAULT_MAX_EVENT_BYTES)
//!   by default) ends the stream with [`Error::Limit`];
//! * the event name is the SSE `event:` field when the event has one, else the data's
//!   `event_name_field` member (Dify sends its names only there), else `message`;
//! * at the end of the body, a final event that lacks its blank line is still delivered, as the
//!   official SDK does (WHATWG would drop it). If the connection was cut in the middle of the
//!   data, that event's JSON does not parse and it surfaces as [`Error::Decode`] with the raw
//!   partial data; if `terminal_events` is set and none arrived, the stream ends with
//!   [`StreamError::Truncated`];
//! * `error` events become [`Error::Service`] and end the stream: the same [`ServiceError`] as
//!   an error response, its typed code read from the data's `code`/`Code`, its status from a
//!   `status` member (Dify's error event carries one while the HTTP status stays 200,
//!   docs/wire.md section 13) else the stream's, its request id from the data's `RequestId`
//!   else the response's `x-acs-request-id`, and [`ServiceError::event`] naming the event; terminal events are yielded and end the stream;
//!   ignored events (pings) are skipped; an event whose data does not decode yields
//!   [`Error::Decode`] and the stream goes on;
//! * no text kept in an error (event data, names) holds a credential the request carried.

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::Duration;

use futures::stream::{self, Stream, StreamExt as _, TryStreamExt as _};
use serde_json::Value;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::client::{Client, Exchange, Mode, transport};
use crate::config::MAX_ERROR_BODY_BYTES;
use crate::decode::Decode;
use crate::error::{Error, ErrorCode, LimitKind, ServiceError, StreamError, TimeoutKind};
use crate::redact::Redactions;
use crate::request::Request;
use crate::response::{decode_error, scrub_service_error};
use crate::sse_framing::{Frame, FrameError, Framer};

/// How the events of one streaming operation are interpreted (emitted by the generator).
#[derive(Debug, Clone, Copy, Default)]
pub struct SseOptions {
    /// Wire name of a JSON member of the data that names the event (e.g. `"event"` for Dify,
    /// `"Event"` for the SDK model), used when the event has no SSE `event:` field.
    pub event_name_field: Option<&'static str>,
    /// Events that report a failure: yielded as [`Error::Service`], then the stream ends.
    pub error_events: &'static [&'static str],
    /// Events after which the stream ends (e.g. `message_end`).
    pub terminal_events: &'static [&'static str],
    /// Events skipped silently (e.g. `ping`).
    pub ignored_events: &'static [&'static str],
}

/// One decoded event.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent<T> {
    /// The last event id seen on the stream (SSE `id:` semantics), if any.
    pub id: Option<String>,
    /// The event name: the SSE `event:` field, else the `event_name_field` member, else `message`.
    pub event: String,
    /// Reconnection time the server asked for, in milliseconds.
    pub retry: Option<u64>,
    /// The event data decoded from JSON.
    pub data: T,
}

/// A boxed, sendable stream (the concrete types are long and private).
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// Time and size limits of one event stream (from the [`Config`](crate::Config), overridden per
/// call on the [`Request`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SseLimits {
    /// Longest wait for the next complete event block (a ping or comment block counts).
    pub idle: Option<Duration>,
    /// Longest time for the whole stream, counted from its first poll.
    pub deadline: Option<Duration>,
    /// Largest event, in bytes of the event's lines.
    pub max_event_bytes: usize,
}

impl Default for SseLimits {
    /// The client defaults: [`DEFAULT_SSE_IDLE_TIMEOUT`](crate::DEFAULT_SSE_IDLE_TIMEOUT), no
    /// deadline, [`DEFAULT_MAX_EVENT_BYTES`](crate::DEFAULT_MAX_EVENT_BYTES).
    fn default() -> Self {
        SseLimits {
            idle: Some(crate::DEFAULT_SSE_IDLE_TIMEOUT),
            deadline: None,
            max_event_bytes: crate::DEFAULT_MAX_EVENT_BYTES,
        }
    }
}

impl SseLimits {
    /// No time limits (for decoding bytes that are already in memory), the default event size.
    pub fn untimed() -> Self {
        SseLimits {
            idle: None,
            deadline: None,
            ..Self::default()
        }
    }

    /// Sets [`idle`](Self::idle).
    pub fn with_idle(mut self, d: Option<Duration>) -> Self {
        self.idle = d;
        self
    }

    /// Sets [`deadline`](Self::deadline).
    pub fn with_deadline(mut self, d: Option<Duration>) -> Self {
        self.deadline = d;
        self
    }

    /// Sets [`max_event_bytes`](Self::max_event_bytes).
    pub fn with_max_event_bytes(mut self, n: usize) -> Self {
        self.max_event_bytes = n;
        self
    }
}

impl Client {
    /// The event-stream limits of one call: the per-call ones, else the configured ones.
    pub(crate) fn sse_limits(&self, req: &Request) -> SseLimits {
        let config = self.config();
        SseLimits {
            idle: Some(
                req.limits
                    .sse_idle_timeout
                    .unwrap_or(config.sse_idle_timeout),
            ),
            deadline: req.limits.sse_deadline.or(config.sse_deadline),
            max_event_bytes: req.limits.max_event_bytes.unwrap_or(config.max_event_bytes),
        }
    }

    /// Sends `req` and returns its server-sent events as a stream of decoded events.
    ///
    /// HTTP errors before the stream starts are decoded like those of [`send`](Client::send)
    /// (and retried under the same policy); the request timeout covers the wait for the
    /// response head, the SSE idle timeout each wait for the next event, and the optional
    /// stream deadline the whole stream.
    pub fn send_sse<T, C>(
        &self,
        req: Request,
        opts: SseOptions,
    ) -> BoxStream<Result<SseEvent<T>, Error<C>>>
    where
        T: Decode + Send + 'static,
        C: ErrorCode,
    {
        let client = self.clone();
        let span = client.span(&req);
        let limits = client.sse_limits(&req);
        let request_limit = client.request_timeout(&req);
        let connect = async move {
            client
                .execute::<C>(&req, Mode::Stream)
                .await
                .map(|(x, _)| x)
        }
        .instrument(span);
        stream::once(connect)
            .flat_map(move |result| -> BoxStream<Result<SseEvent<T>, Error<C>>> {
                match result {
                    Ok(Exchange::Stream(resp, secrets)) => {
                        events_of(resp, secrets, opts, limits, request_limit)
                    }
                    Ok(Exchange::Body { body, secrets, .. }) => {
                        let e = not_a_stream(&body, &secrets);
                        Box::pin(stream::iter([Err(e)]))
                    }
                    Err(e) => Box::pin(stream::iter([Err(e)])),
                }
            })
            .boxed()
    }
}

/// The events of a response whose head has arrived: its body read under `limits`, error
/// events typed with its status and request id, the request's `secrets` kept out of errors.
pub(crate) fn events_of<T, C>(
    resp: reqwest::Response,
    secrets: Redactions,
    opts: SseOptions,
    limits: SseLimits,
    request_limit: Duration,
) -> BoxStream<Result<SseEvent<T>, Error<C>>>
where
    T: Decode + Send + 'static,
    C: ErrorCode,
{
    let context = StreamContext {
        status: resp.status().as_u16(),
        request_id: resp
            .headers()
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok())
            .map(|id| secrets.scrub(id).into_owned()),
        secrets,
    };
    let bytes = resp
        .bytes_stream()
        .map_err(move |e| transport(e, request_limit));
    walk(bytes, opts, limits, context)
}

/// The error for a JSON body where an event stream was expected.
pub(crate) fn not_a_stream<C: ErrorCode>(body: &[u8], secrets: &Redactions) -> Error<C> {
    Error::Stream(Box::new(StreamError::NotAStream {
        content_type: "application/json".into(),
        body: secrets.scrub_bytes(body).into_owned(),
    }))
}

/// What the events of one response are read against.
struct StreamContext {
    /// HTTP status of the response (an error event without a status of its own reports it).
    status: u16,
    /// The response's `x-acs-request-id`.
    request_id: Option<String>,
    /// The request's credentials, scrubbed from any error.
    secrets: Redactions,
}

/// Interprets a raw byte stream as server-sent events (what [`Client::send_sse`] does after
/// the response head; public for tests and benchmarks), under `limits`.
pub fn decode_events<S, B, T, C>(
    bytes: S,
    opts: SseOptions,
    limits: SseLimits,
) -> BoxStream<Result<SseEvent<T>, Error<C>>>
where
    S: Stream<Item = Result<B, Error<C>>> + Send + 'static,
    B: AsRef<[u8]> + Send + 'static,
    T: Decode + Send + 'static,
    C: ErrorCode,
{
    let context = StreamContext {
        status: 200,
        request_id: None,
        secrets: Redactions::default(),
    };
    walk(bytes, opts, limits, context)
}

/// The event walk over `bytes`, its errors read against `context`.
fn walk<S, B, T, C>(
    bytes: S,
    opts: SseOptions,
    limits: SseLimits,
    context: StreamContext,
) -> BoxStream<Result<SseEvent<T>, Error<C>>>
where
    S: Stream<Item = Result<B, Error<C>>> + Send + 'static,
    B: AsRef<[u8]> + Send + 'static,
    T: Decode + Send + 'static,
    C: ErrorCode,
{
    let state = Walk {
        bytes: Box::pin(bytes),
        framer: Framer::new(limits.max_event_bytes),
        ready: VecDeque::new(),
        limits,
        idle_until: None,
        deadline: None,
        reading: true,
        opts,
        context,
        last_event: None,
        ended: false,
    };
    stream::unfold(state, |mut w| async move {
        let item = w.next_item().await?;
        Some((item, w))
    })
    .boxed()
}

/// State of the event walk.
struct Walk<S> {
    bytes: Pin<Box<S>>,
    framer: Framer,
    /// Events framed and not yet interpreted.
    ready: VecDeque<Frame>,
    limits: SseLimits,
    /// When the idle timeout fires unless an event block completes first.
    idle_until: Option<Instant>,
    /// When the stream deadline fires (set on the first poll).
    deadline: Option<Instant>,
    /// The body has not ended yet.
    reading: bool,
    opts: SseOptions,
    context: StreamContext,
    last_event: Option<String>,
    ended: bool,
}

impl<S, B, C> Walk<S>
where
    S: Stream<Item = Result<B, Error<C>>>,
    B: AsRef<[u8]>,
    C: ErrorCode,
{
    async fn next_item<T: Decode>(&mut self) -> Option<Result<SseEvent<T>, Error<C>>> {
        while !self.ended {
            let frame = match self.next_frame().await {
                Some(Ok(frame)) => frame,
                Some(Err(e)) => {
                    self.ended = true;
                    return Some(Err(e));
                }
                None => {
                    self.ended = true;
                    if self.opts.terminal_events.is_empty() {
                        return None;
                    }
                    let last_event = self
                        .last_event
                        .take()
                        .map(|e| self.context.secrets.scrub_owned(e));
                    return Some(Err(Error::Stream(Box::new(StreamError::Truncated {
                        last_event,
                    }))));
                }
            };
            if let Some(item) = self.interpret(frame) {
                return Some(item);
            }
        }
        None
    }

    /// The next framed event, reading chunks as needed under the time limits.
    async fn next_frame(&mut self) -> Option<Result<Frame, Error<C>>> {
        let now = Instant::now();
        if self.deadline.is_none() {
            self.deadline = self.limits.deadline.map(|d| now + d);
        }
        // The wait for this event starts now (not at the last chunk, nor at the last event: a
        // consumer slow to poll does not make a healthy stream time out).
        self.idle_until = self.limits.idle.map(|d| now + d);
        loop {
            if let Some(frame) = self.ready.pop_front() {
                return Some(Ok(frame));
            }
            if !self.reading {
                return None;
            }
            // The earlier of the two timers, and the error it raises.
            let idle = self
                .idle_until
                .zip(self.limits.idle)
                .map(|(at, d)| (at, TimeoutKind::SseIdle(d)));
            let whole = self
                .deadline
                .zip(self.limits.deadline)
                .map(|(at, d)| (at, TimeoutKind::SseStream(d)));
            let timer = match (idle, whole) {
                (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
                (a, b) => a.or(b),
            };
            let next = match timer {
                Some((at, kind)) => match tokio::time::timeout_at(at, self.bytes.next()).await {
                    Ok(next) => next,
                    Err(_) => return Some(Err(Error::Timeout(kind))),
                },
                None => self.bytes.next().await,
            };
            let blocks = self.framer.blocks();
            let framed = match next {
                Some(Ok(chunk)) => self.framer.feed(chunk.as_ref(), &mut self.ready),
                Some(Err(e)) => return Some(Err(e)),
                None => {
                    self.reading = false;
                    self.framer.finish(&mut self.ready)
                }
            };
            if let Err(e) = framed {
                return Some(Err(frame_error(e)));
            }
            if self.framer.blocks() != blocks {
                self.idle_until = self.limits.idle.map(|d| Instant::now() + d);
            }
        }
    }

    /// Applies the options to one framed event; `None` skips it.
    fn interpret<T: Decode>(&mut self, ev: Frame) -> Option<Result<SseEvent<T>, Error<C>>> {
        let opts = self.opts;
        // The `event:` field when the server sent one; the data's member otherwise.
        let sent = ev.event.filter(|e| !e.is_empty());
        // An ignored event named by its `event:` field (a ping) is dropped unparsed.
        if sent
            .as_deref()
            .is_some_and(|name| opts.ignored_events.contains(&name))
        {
            return None;
        }
        // Parsed once: the event name, an error event's code and the decoded data all read
        // this tree.
        let parsed = serde_json::from_str::<Value>(&ev.data);
        let name = match sent {
            Some(name) => name,
            None => opts
                .event_name_field
                .and_then(|f| member_str(parsed.as_ref().ok()?, f))
                .unwrap_or_else(|| "message".to_owned()),
        };
        if opts.ignored_events.contains(&name.as_str()) {
            return None;
        }
        let id = ev.id;
        self.last_event = Some(name.clone());
        if opts.error_events.contains(&name.as_str()) {
            self.ended = true;
            let e = error_event(&self.context, name, parsed.ok().as_ref(), &ev.data);
            return Some(Err(Error::Service(Box::new(e))));
        }
        if opts.terminal_events.contains(&name.as_str()) {
            self.ended = true;
        }
        let decoded = parsed
            .map_err(|e| (".".to_owned(), e))
            .and_then(|value| T::decode(value).map_err(crate::decode::Failure::into_parts));
        Some(match decoded {
            Ok(data) => Ok(SseEvent {
                id,
                event: name,
                retry: ev.retry,
                data,
            }),
            Err((path, source)) => Err(Error::Decode(Box::new(decode_error(
                self.context.status,
                ev.data.as_bytes(),
                path,
                source,
                &self.context.secrets,
            )))),
        })
    }
}

/// The string member `field` of a JSON object. A member whose name differs only in ASCII
/// case is used when no exact match exists: the services' key casing is unverified (SDK
/// models say `Event`, Dify sends `event`; docs/wire.md section 5).
fn member_str(data: &Value, field: &str) -> Option<String> {
    let members = data.as_object()?;
    let value = members.get(field).or_else(|| {
        members
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(field))
            .map(|(_, value)| value)
    })?;
    value.as_str().map(str::to_owned)
}

/// The service error an error event reports, read like an error body: code, message and
/// request id from the data's members in either casing, the status from its `status` member
/// when it is an HTTP status.
fn error_event<C: ErrorCode>(
    context: &StreamContext,
    name: String,
    data: Option<&Value>,
    raw: &str,
) -> ServiceError<C> {
    let member = |names: &[&str]| {
        let members = data?.as_object()?;
        names.iter().find_map(|n| match members.get(*n)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let status = member(&["status", "Status", "httpStatusCode"])
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .unwrap_or(context.status);
    let mut cut = raw.len().min(MAX_ERROR_BODY_BYTES);
    while !raw.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut e = ServiceError::new(
        status,
        member(&["code", "Code", "errCode"]).unwrap_or_default(),
    )
    .with_message(member(&["message", "Message", "errMessage"]).unwrap_or_default())
    .with_body(&raw[..cut])
    .with_event(name);
    e.request_id =
        member(&["RequestId", "requestId", "request_id"]).or_else(|| context.request_id.clone());
    scrub_service_error(e, &context.secrets)
}

fn frame_error<C: ErrorCode>(e: FrameError) -> Error<C> {
    match e {
        FrameError::TooLarge(limit) => Error::Limit(LimitKind::SseEvent { limit }),
        FrameError::Utf8 { line, valid_up_to } => Error::Stream(Box::new(StreamError::Malformed(
            format!("invalid UTF-8 in line {line} of the stream, after {valid_up_to} valid bytes"),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::member_str;

    #[test]
    fn member_lookup_prefers_the_exact_name_then_any_case() {
        let member =
            |data: &str, field: &str| member_str(&serde_json::from_str(data).expect("JSON"), field);
        assert_eq!(
            member(r#"{"a":1,"Event":"x","event":"y"}"#, "event").as_deref(),
            Some("y")
        );
        assert_eq!(
            member(r#"{"event":"y","n":{"Event":"z"}}"#, "Event").as_deref(),
            Some("y")
        );
        assert_eq!(member(r#"{"Event":3}"#, "Event"), None);
        assert_eq!(member("[1]", "Event"), None);
    }
}
