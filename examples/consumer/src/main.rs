//! An example consumer of a generated crate: it depends on `rdsai` alone (plus tokio to run
//! async code), and exercises what a production caller reaches for: per-call settings, response
//! metadata, paging with the re-exported `futures` traits, serialising a response, building a
//! model for a fixture, and handling every operation's error as one type.
//!
//! It starts a small HTTP server on 127.0.0.1 that answers like RDS AI, so it runs anywhere;
//! it exits non-zero if anything is not as expected.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::time::Duration;

use rdsai::futures::TryStreamExt as _;
use rdsai::{CallOptions, Config};

const PAGE: &str = r#"{"RequestId":"req-page-1","HasMore":false,"Data":[{"Id":"c-1","Name":"disk usage"},{"Id":"c-2","Name":"slow sql"}]}"#;
const NOT_FOUND: &str =
    r#"{"RequestId":"req-err-1","Code":"UserNotFound","Message":"no such user"}"#;

/// Answers every request: a page of conversations, or a service error for GetMessages.
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
        let (status, body) = if head.contains("x-acs-action: GetMessages") {
            ("404 Not Found", NOT_FOUND)
        } else {
            ("200 OK", PAGE)
        };
        let trace = head
            .lines()
            .find_map(|l| l.strip_prefix("x-trace-id: "))
            .unwrap_or("none")
            .to_owned();
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nx-acs-request-id: {trace}\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
    }
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("unexpected: {what}"))
    }
}

/// One error type for several operations: each operation's error converts into it.
async fn history(client: &rdsai::Client) -> Result<usize, rdsai::errors::AnyError> {
    let conversations: Vec<_> = client
        .get_conversations()
        .into_stream()
        .try_collect()
        .await?;
    let messages = client.get_messages().conversation_id("c-1").send().await?;
    Ok(conversations.len() + messages.data.map_or(0, |d| d.len()))
}

async fn run(endpoint: String) -> Result<(), String> {
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
        .await
        .map_err(|e| e.to_string())?;
    check(
        meta.status == 200 && meta.attempts == 1,
        "status or attempts",
    )?;
    check(
        meta.request_id() == Some("trace-42"),
        "the header reached the server",
    )?;

    // Responses serialise back to their wire form.
    let json = rdsai::runtime::serde_json::to_string(&page).map_err(|e| e.to_string())?;
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
        .await
        .map_err(|e| e.to_string())?;
    check(all.len() == 2, "two conversations")?;

    // One crate-level error: the second operation fails, with its code kept.
    match history(&client).await {
        Err(e) if e.code() == Some(&rdsai::errors::Code::UserNotFound) => {}
        other => return Err(format!("expected UserNotFound, got {other:?}")),
    }
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
