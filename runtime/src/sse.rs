//! Server-sent events: [`Client::send_sse`] sends a request and yields each event of the
//! response as soon as its bytes arrive, decoded as JSON into `T`.
//!
//! Framing is done by `eventsource-stream` (WHATWG rules: `event`/`data`/`id`/`retry` fields,
//! multi-line data, comments, CR/LF/CRLF line ends, a UTF-8 character split across network
//! chunks). Around it this module adds what the APIs need:
//!
//! * an idle timeout between chunks, separate from the request timeout;
//! * at the end of the body, a final event that lacks its blank line is still delivered, as the
//!   official SDK does (WHATWG would drop it). If the connection was cut in the middle of the
//!   data, that event's JSON does not parse and it surfaces as [`Error::Decode`] with the raw
//!   partial data; if `terminal_events` is set and none arrived, the stream ends with
//!   [`StreamError::Truncated`];
//! * `error` events become [`StreamError::ErrorEvent`] and end the stream; terminal events are
//!   yielded and end it; ignored events (pings) are skipped; an event whose data does not decode
//!   yields [`Error::Decode`] and the stream goes on.

use std::fmt;
use std::pin::Pin;
use std::time::Duration;

use eventsource_stream::{EventStream, EventStreamError};
use futures::stream::{self, Stream, StreamExt as _, TryStreamExt as _};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde_json::Value;
use tracing::Instrument as _;

use crate::client::{Client, Exchange, Mode, transport};
use crate::error::{DecodeError, Error, ErrorCode, StreamError, TimeoutKind};
use crate::request::Request;

/// How the events of one streaming operation are interpreted (emitted by the generator).
#[derive(Debug, Clone, Copy, Default)]
pub struct SseOptions {
    /// Wire name of a JSON member of the data that names the event (e.g. `"event"` for Dify,
    /// `"Event"` for the SDK model), used when the SSE `event:` field is absent or `message`.
    pub event_name_field: Option<&'static str>,
    /// Events that report a failure: yielded as [`StreamError::ErrorEvent`], then the stream ends.
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

impl Client {
    /// Sends `req` and returns its server-sent events as a stream of decoded events.
    ///
    /// HTTP errors before the stream starts are decoded like those of [`send`](Client::send)
    /// (and retried under the same policy); the request timeout covers the wait for the
    /// response head, the SSE idle timeout every silence after it.
    pub fn send_sse<T, C>(
        &self,
        req: Request,
        opts: SseOptions,
    ) -> BoxStream<Result<SseEvent<T>, Error<C>>>
    where
        T: DeserializeOwned + Send + 'static,
        C: ErrorCode,
    {
        let client = self.clone();
        let span = client.span(&req);
        let idle = client.sse_idle_timeout();
        let connect = async move { client.execute::<C>(&req, Mode::Stream).await }.instrument(span);
        stream::once(connect)
            .flat_map(move |result| -> BoxStream<Result<SseEvent<T>, Error<C>>> {
                match result {
                    Ok(Exchange::Stream(resp)) => {
                        let bytes = resp.bytes_stream().map_err(move |e| transport(e, idle));
                        decode_events(bytes, opts, Some(idle))
                    }
                    Ok(Exchange::Body { body, .. }) => {
                        let e = StreamError::NotAStream {
                            content_type: "application/json".into(),
                            body: String::from_utf8_lossy(&body).into_owned(),
                        };
                        Box::pin(stream::iter([Err(Error::Stream(Box::new(e)))]))
                    }
                    Err(e) => Box::pin(stream::iter([Err(e)])),
                }
            })
            .boxed()
    }
}

/// A network chunk, or the synthetic blank lines that flush a final event at end of body.
enum Chunk<B> {
    Data(B),
    End,
}

impl<B: AsRef<[u8]>> AsRef<[u8]> for Chunk<B> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Chunk::Data(b) => b.as_ref(),
            Chunk::End => b"\n\n",
        }
    }
}

/// Interprets a raw byte stream as server-sent events (what [`Client::send_sse`] does after
/// the response head; public for tests and benchmarks). `idle` bounds the silence between chunks.
pub fn decode_events<S, B, T, C>(
    bytes: S,
    opts: SseOptions,
    idle: Option<Duration>,
) -> BoxStream<Result<SseEvent<T>, Error<C>>>
where
    S: Stream<Item = Result<B, Error<C>>> + Send + 'static,
    B: AsRef<[u8]> + Send + 'static,
    T: DeserializeOwned + Send + 'static,
    C: ErrorCode,
{
    let chunks = stream::unfold(Some(Box::pin(bytes)), move |state| async move {
        let mut inner = state?;
        let next = match idle {
            Some(d) => match tokio::time::timeout(d, inner.next()).await {
                Ok(n) => n,
                Err(_) => return Some((Err(Error::Timeout(TimeoutKind::SseIdle(d))), None)),
            },
            None => inner.next().await,
        };
        match next {
            Some(Ok(b)) => Some((Ok(Chunk::Data(b)), Some(inner))),
            Some(Err(e)) => Some((Err(e), None)),
            None => Some((Ok(Chunk::End), None)),
        }
    });
    let state = Walk {
        events: Box::pin(EventStream::new(chunks)),
        opts,
        last_event: None,
        ended: false,
    };
    stream::unfold(state, |mut w| async move {
        let item = w.next_item().await?;
        Some((item, w))
    })
    .boxed()
}

type Events<C> = Pin<
    Box<dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<Error<C>>>> + Send>,
>;

/// State of the event walk.
struct Walk<C: ErrorCode> {
    events: Events<C>,
    opts: SseOptions,
    last_event: Option<String>,
    ended: bool,
}

impl<C: ErrorCode> Walk<C> {
    async fn next_item<T: DeserializeOwned>(&mut self) -> Option<Result<SseEvent<T>, Error<C>>> {
        while !self.ended {
            let ev = match self.events.next().await {
                Some(Ok(ev)) => ev,
                Some(Err(e)) => {
                    self.ended = true;
                    return Some(Err(frame_error(e)));
                }
                None => {
                    self.ended = true;
                    if self.opts.terminal_events.is_empty() {
                        return None;
                    }
                    let last_event = self.last_event.take();
                    return Some(Err(Error::Stream(Box::new(StreamError::Truncated {
                        last_event,
                    }))));
                }
            };
            if let Some(item) = self.interpret(ev) {
                return Some(item);
            }
        }
        None
    }

    /// Applies the options to one framed event; `None` skips it.
    fn interpret<T: DeserializeOwned>(
        &mut self,
        ev: eventsource_stream::Event,
    ) -> Option<Result<SseEvent<T>, Error<C>>> {
        let opts = self.opts;
        if opts.ignored_events.contains(&ev.event.as_str()) {
            return None;
        }
        let mut name = ev.event;
        if (name.is_empty() || name == "message")
            && let Some(n) = opts.event_name_field.and_then(|f| member_str(&ev.data, f))
        {
            name = n;
        }
        if opts.ignored_events.contains(&name.as_str()) {
            return None;
        }
        let id = (!ev.id.is_empty()).then_some(ev.id);
        self.last_event = Some(name.clone());
        if opts.error_events.contains(&name.as_str()) {
            self.ended = true;
            let tree: Option<Value> = serde_json::from_str(&ev.data).ok();
            let field =
                |a: &str, b: &str| match tree.as_ref()?.get(a).or_else(|| tree.as_ref()?.get(b))? {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
            let e = StreamError::ErrorEvent {
                code: field("code", "Code"),
                message: field("message", "Message"),
                event: name,
                id,
                data: ev.data,
            };
            return Some(Err(Error::Stream(Box::new(e))));
        }
        if opts.terminal_events.contains(&name.as_str()) {
            self.ended = true;
        }
        let mut de = serde_json::Deserializer::from_str(&ev.data);
        let decoded = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| (e.path().to_string(), e.into_inner()))
            .and_then(|v| de.end().map(|()| v).map_err(|e| (".".to_owned(), e)));
        Some(match decoded {
            Ok(data) => Ok(SseEvent {
                id,
                event: name,
                retry: ev
                    .retry
                    .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
                data,
            }),
            Err((path, source)) => Err(Error::Decode(Box::new(DecodeError {
                status: 200,
                path,
                source,
                body: ev.data,
            }))),
        })
    }
}

/// The string member `field` of a JSON object, found by scanning without building a tree
/// (the event name is read from every event of a Dify-style stream). A member whose name
/// differs only in ASCII case is used when no exact match exists: the services' key casing is
/// unverified (SDK models say `Event`, Dify sends `event`; api-facts 5).
fn member_str(data: &str, field: &str) -> Option<String> {
    /// How a member name compares with the field.
    #[derive(PartialEq)]
    enum Key {
        Exact,
        OtherCase,
        Other,
    }

    struct KeySeed<'f>(&'f str);

    impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
        type Value = Key;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl Visitor<'_> for KeySeed<'_> {
        type Value = Key;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a member name")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
            Ok(if v == self.0 {
                Key::Exact
            } else if v.eq_ignore_ascii_case(self.0) {
                Key::OtherCase
            } else {
                Key::Other
            })
        }
    }

    struct Seek<'f>(&'f str);

    impl<'de> Visitor<'de> for Seek<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
            let mut exact = None;
            let mut other_case = None;
            while let Some(key) = map.next_key_seed(KeySeed(self.0))? {
                match key {
                    Key::Exact if exact.is_none() => {
                        exact = map.next_value::<Value>()?.as_str().map(str::to_owned)
                    }
                    Key::OtherCase if other_case.is_none() => {
                        other_case = map.next_value::<Value>()?.as_str().map(str::to_owned);
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(exact.or(other_case))
        }
    }

    serde_json::Deserializer::from_str(data)
        .deserialize_map(Seek(field))
        .ok()
        .flatten()
}

fn frame_error<C: ErrorCode>(e: EventStreamError<Error<C>>) -> Error<C> {
    match e {
        EventStreamError::Transport(e) => e,
        EventStreamError::Utf8(e) => Error::Stream(Box::new(StreamError::Malformed(format!(
            "invalid UTF-8: {e}"
        )))),
        EventStreamError::Parser(e) => Error::Stream(Box::new(StreamError::Malformed(format!(
            "bad event framing: {e}"
        )))),
    }
}

#[cfg(test)]
mod tests {
    use super::member_str;

    #[test]
    fn member_lookup_prefers_the_exact_name_then_any_case() {
        assert_eq!(
            member_str(r#"{"a":1,"Event":"x","event":"y"}"#, "event").as_deref(),
            Some("y")
        );
        assert_eq!(
            member_str(r#"{"event":"y","n":{"Event":"z"}}"#, "Event").as_deref(),
            Some("y")
        );
        assert_eq!(member_str(r#"{"Event":3}"#, "Event"), None);
        assert_eq!(member_str("[1]", "Event"), None);
        assert_eq!(member_str("not json", "Event"), None);
    }
}
