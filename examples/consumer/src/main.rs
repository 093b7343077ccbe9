//! An example consumer of a generated crate: it depends on `rdsai` alone (plus tokio to run
//! async code), and exercises what a production caller reaches for: one error type and `?`
//! everywhere (`rdsai::Result`), per-call settings, response metadata, paging with the
//! re-exported `futures` traits, a stream of server-sent events, serialising a response,
//! building a model for a fixture, and handling errors by kind, whether they arrive before a
//! stream or inside it. Its own tests check that error handling with errors built by hand,
//! without a server.
//!
//! It starts a small HTTP server on 127.0.0.1 that answers like RDS AI, so it runs anywhere;
//! it exits non-zero if anything is not as expected.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::time::Duration;

use rdsai::errors::Code;
use rdsai::futures::{StreamExt as _, TryStreamExt as _};
use rdsai::{CallOptions, Config};

const PAGE: &str = r#"{"RequestId":"req-page-1","HasMore":false,"Data":[{"Id":"c-1","Name":"disk usage"},{"Id":"c-2","Name":"slow sql"}]}"#;
const NOT_FOUND: &str =
    r#"{"RequestId":"req-err-1","Code":"UserNotFound","Message":"no such user"}"#;
/// A stream that answers, then ends.
const ANSWER: &str = "data: {\"Event\":\"message\",\"Answer\":\"Disk usage is 41%\"}\n\n\
                      data: {\"Event\":\"message_end\"}\n\n";
/// A stream that starts, then is throttled half-way (HTTP 200 all along).
const THROTTLED: &str = "data: {\"Event\":\"message\",\"Answer\":\"Let me\"}\n\n\
     data: {\"Event\":\"error\",\"Code\":\"Throttling.User\",\"Message\":\"Request was denied due to user flow control.\",\"RequestId\":\"req-sse-2\"}\n\n";

/// Answers every request: a page of conversations, a service error for GetMessages, an event
/// stream for ChatMessages (throttled inside the stream when the query says "busy").
fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { return };
        let mut head = String::new();
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            head.push_str(&line);
            line.clear();
        }
        let (status, content_type, body) = if head.contains("x-acs-action: GetMessages") {
            ("404 Not Found", "application/json", NOT_FOUND)
        } else if head.contains("x-acs-action: ChatMessages") && head.contains("Query=busy") {
            ("200 OK", "text/event-stream", THROTTLED)
        } else if head.contains("x-acs-action: ChatMessages") {
            ("200 OK", "text/event-stream", ANSWER)
        } else {
            ("200 OK", "application/json", PAGE)
        };
        let trace = head
            .lines()
            .find_map(|l| l.strip_prefix("x-trace-id: "))
            .unwrap_or("none")
            .to_owned();
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\nx-acs-request-id: {trace}\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
    }
}

/// A failed expectation of this example, as an error `?` carries to `main`.
fn check(ok: bool, what: &str) -> rdsai::Result<()> {
    if ok {
        Ok(())
    } else {
        Err(rdsai::Error::Config(format!("unexpected: {what}")))
    }
}

/// What the caller does about an error, decided by its kind: the part of a program worth
/// unit-testing (see the tests below, which need no server).
#[derive(Debug, PartialEq)]
enum Next {
    /// Throttled: try again later, after the server's delay when it gave one.
    RetryLater(Option<Duration>),
    /// What was asked for does not exist: nothing to retry.
    Missing,
    /// Anything else: report it (the message names the request id when there is one).
    Report(String),
}

fn next_step(e: &rdsai::Error) -> Next {
    match e.code() {
        // A typed code, the same before a stream and inside it.
        Some(Code::ThrottlingUser | Code::TooManyRequests) => {
            Next::RetryLater(e.service().and_then(|s| s.retry_after))
        }
        _ if e.is_not_found() => Next::Missing,
        _ if e.is_throttling() => Next::RetryLater(None),
        _ => Next::Report(e.to_string()),
    }
}

/// Conversations and messages: `?` on a page stream and on a call, one error type.
async fn history(client: &rdsai::Client) -> rdsai::Result<usize> {
    let conversations: Vec<_> = client
        .get_conversations()
        .into_stream()
        .try_collect()
        .await?;
    let messages = client.get_messages().conversation_id("c-1").send().await?;
    Ok(conversations.len() + messages.data.map_or(0, |d| d.len()))
}

/// The answer of one chat, `?` on every event of the stream.
async fn ask(client: &rdsai::Client, query: &str) -> rdsai::Result<String> {
    let mut answer = String::new();
    let mut events = std::pin::pin!(client.chat_messages(query).stream());
    while let Some(event) = events.try_next().await? {
        answer.push_str(event.data.answer.as_deref().unwrap_or_default());
    }
    Ok(answer)
}

async fn run(endpoint: String) -> rdsai::Result<()> {
    // In production: credentials (AccessKey, STS, the default chain) from the environment, and
    // `?` as everywhere else. Here the client below talks to the local server instead.
    let _production = rdsai::Client::from_env()?;
    let client = rdsai::Client::new(
        Config::builder()
            .access_key("example-id", "example-secret")
            .endpoint(endpoint)
            .build(),
    );

    // Per-call settings and response metadata.
    let (page, meta) = client
        .get_conversations()
        .limit(2)
        .customize(
            CallOptions::new()
                .timeout(Duration::from_secs(5))
                .no_retries()
                .header("x-trace-id", "trace-42"),
        )
        .send_with_metadata()
        .await?;
    check(
        meta.status == 200 && meta.attempts == 1,
        "status or attempts",
    )?;
    check(
        meta.request_id() == Some("trace-42"),
        "the header reached the server",
    )?;

    // Responses serialise back to their wire form.
    let json = rdsai::runtime::serde_json::to_string(&page)
        .map_err(|e| rdsai::Error::Config(e.to_string()))?;
    check(json.contains(r#""Id":"c-1""#), "serialised response")?;

    // Models can be built for fixtures, despite `#[non_exhaustive]`.
    let fixture = rdsai::models::Conversation::new()
        .with_id("c-9")
        .with_name("fixture");
    check(fixture.id.as_deref() == Some("c-9"), "fixture")?;

    // Paging through the re-exported `futures` traits.
    let all: Vec<_> = client
        .get_conversations()
        .into_stream()
        .try_collect()
        .await?;
    check(all.len() == 2, "two conversations")?;

    // The second call fails: the error says what kind it is.
    let err = history(&client).await.expect_err("GetMessages answers 404");
    check(
        next_step(&err) == Next::Missing,
        "UserNotFound is not found",
    )?;
    check(err.code() == Some(&Code::UserNotFound), "the typed code")?;

    // A stream, read with `?` on each event.
    let answer = ask(&client, "disk usage?").await?;
    check(answer == "Disk usage is 41%", "the streamed answer")?;

    // Throttled inside a stream (HTTP 200): the same typed code as a throttling response.
    let mut events = std::pin::pin!(client.chat_messages("busy").stream());
    let mut partial = String::new();
    let throttled = loop {
        match events.next().await {
            Some(Ok(event)) => partial.push_str(event.data.answer.as_deref().unwrap_or_default()),
            Some(Err(e)) if e.code() == Some(&Code::ThrottlingUser) => break e,
            Some(Err(e)) => return Err(e),
            None => return check(false, "the stream was throttled"),
        }
    };
    check(partial == "Let me", "events before the error")?;
    check(
        throttled.is_retryable() && throttled.request_id() == Some("req-sse-2"),
        "a retryable error with the event's request id",
    )?;
    check(
        next_step(&throttled) == Next::RetryLater(None),
        "handled like a throttling response",
    )?;

    println!("consumer example: all checks passed ({json})");
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot bind 127.0.0.1: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let endpoint = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(e) => {
            eprintln!("no local address: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    std::thread::spawn(move || serve(listener));
    match tokio::time::timeout(Duration::from_secs(30), run(endpoint)).await {
        Ok(Ok(())) => std::process::ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("timed out");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The caller's error handling, tested with errors built by hand: no server, no network.
#[cfg(test)]
mod tests {
    use super::*;
    use rdsai::{DecodeError, ServiceError, StreamError, TimeoutKind};

    #[test]
    fn throttling_is_retried_later_after_the_servers_delay() {
        let e: rdsai::Error = ServiceError::new(429, "Throttling.User")
            .with_retry_after(Duration::from_secs(3))
            .into();
        assert_eq!(
            next_step(&e),
            Next::RetryLater(Some(Duration::from_secs(3)))
        );
    }

    #[test]
    fn a_throttling_event_inside_a_stream_is_handled_the_same_way() {
        let e: rdsai::Error = ServiceError::new(200, "Throttling.User")
            .with_event("error")
            .with_request_id("req-sse")
            .into();
        assert_eq!(e.code(), Some(&Code::ThrottlingUser));
        assert_eq!(next_step(&e), Next::RetryLater(None));
    }

    #[test]
    fn a_missing_user_is_not_retried() {
        let e: rdsai::Error = ServiceError::new(404, "UserNotFound").into();
        assert_eq!(next_step(&e), Next::Missing);
    }

    #[test]
    fn other_errors_are_reported_with_their_request_id() {
        let e: rdsai::Error = ServiceError::new(400, "InvalidParameter")
            .with_message("Limit must be at most 100")
            .with_request_id("req-7")
            .into();
        assert_eq!(
            next_step(&e),
            Next::Report(
                "service error: HTTP 400 InvalidParameter: Limit must be at most 100 (request id req-7)"
                    .into()
            )
        );
        let timeout = rdsai::Error::Timeout(TimeoutKind::Connect);
        assert_eq!(
            next_step(&timeout),
            Next::Report("timed out connecting".into())
        );
        let source = rdsai::runtime::serde_json::from_str::<u32>("\"x\"").unwrap_err();
        let decode: rdsai::Error = DecodeError::new(200, "Data[0].Id", "{}", source).into();
        assert!(matches!(next_step(&decode), Next::Report(m) if m.contains("Data[0].Id")));
        let truncated: rdsai::Error = StreamError::Truncated { last_event: None }.into();
        assert!(matches!(next_step(&truncated), Next::Report(_)));
    }
}
