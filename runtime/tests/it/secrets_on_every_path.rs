//! No secret in any output: every error path of the runtime is driven against the fault server
//! with an AccessKey secret, an STS token, a Bearer key, a password in the endpoint's user info
//! and a key in its query, and every `Display`, `Debug`, cause and TRACE-level tracing field
//! is searched for them.

use std::error::Error as _;
use std::time::Duration;

use futures::StreamExt as _;
use serde_json::Value;
use wiregen_runtime::{Client, Config, Error, RetryPolicy, SseOptions, UnknownCode};

use crate::common::*;
use crate::fault_server::{Fault, FaultServer};
use crate::secrets::Capture;

const URL_PASSWORD: &str = "hunter2-url-password";
const URL_QUERY_KEY: &str = "query-key-never-printed";

fn secrets() -> [&'static str; 5] {
    [AK_SECRET, STS_TOKEN, BEARER, URL_PASSWORD, URL_QUERY_KEY]
}

/// Everything an error shows: `Display`, `Debug`, and each cause's `Display` and `Debug`.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}\n");
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(&format!("{c}\n{c:?}\n"));
        cause = c.source();
    }
    text
}

fn clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}

/// An ACS3 client with an STS token, and a Bearer client, both aimed at `url`.
fn clients(url: &str) -> [(&'static str, Client); 2] {
    let policy = RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(2));
    let acs = Client::new(
        &RPC,
        config(url)
            .security_token(STS_TOKEN)
            .retry(policy.clone())
            .build(),
    );
    let bearer = Client::new(
        &REST,
        Config::builder()
            .endpoint(url)
            .http_client_builder(http)
            .bearer_token(BEARER)
            .retry(policy)
            .build(),
    );
    [("acs3", acs), ("bearer", bearer)]
}

fn op(client: &Client) -> &'static wiregen_runtime::OperationInfo {
    if client.service().name == REST.name {
        &CONVERSATION_PAGE
    } else {
        &GET_CONVERSATIONS
    }
}

/// Sends one call and one stream through each client; returns what every error shows.
async fn drive(url: &str, tweak: fn(&mut wiregen_runtime::Request)) -> String {
    let mut text = String::new();
    for (name, client) in clients(url) {
        text.push_str(&format!("{client:?}\n{:?}\n", client.config()));
        let mut req = client.request(op(&client));
        tweak(&mut req);
        let prepared = client.prepare(req.clone());
        text.push_str(&format!("{prepared:?}\n"));
        if let Err(e) = client.send::<Value, UnknownCode>(req.clone()).await {
            text.push_str(&format!("{name} send: {}", shown(&e)));
        }
        let events: Vec<_> = client
            .send_sse::<Value, UnknownCode>(req, SseOptions::default())
            .collect()
            .await;
        for e in events.iter().filter_map(|r| r.as_ref().err()) {
            text.push_str(&format!("{name} stream: {}", shown(e)));
        }
    }
    text
}

fn quick_limits(req: &mut wiregen_runtime::Request) {
    req.timeout(Duration::from_millis(300))
        .sse_idle_timeout(Duration::from_millis(200))
        .max_response_bytes(1 << 16)
        .max_event_bytes(1 << 16);
}

#[tokio::test]
async fn no_error_debug_or_trace_output_shows_a_secret() {
    tokio::time::timeout(Duration::from_secs(60), async {
        let capture = Capture::default();
        let _guard = tracing::subscriber::set_default(capture.clone());
        let mut all = String::new();
        let faults = [
            Fault::Trickle {
                every: Duration::from_millis(20),
                bytes: b"d",
            },
            Fault::HugeLine {
                len: 1 << 20,
                terminate: false,
            },
            Fault::HugeBody {
                status: 200,
                len: 1 << 20,
                announce: false,
            },
            Fault::HugeBody {
                status: 403,
                len: 1 << 20,
                announce: true,
            },
            Fault::EndlessPages,
            Fault::Redirect,
            Fault::OversizedHead,
            Fault::CloseMidBody,
            Fault::KeepAlive {
                delay: Duration::ZERO,
            },
        ];
        for fault in faults {
            let server = FaultServer::start(fault.clone()).await;
            let text = drive(&server.url(), quick_limits).await;
            assert!(
                text.contains(" stream: "),
                "{fault:?} caused no error: {text}"
            );
            all.push_str(&text);
        }
        // Nothing listening.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let refused = format!("http://{}", listener.local_addr().expect("addr"));
        drop(listener);
        all.push_str(&drive(&refused, quick_limits).await);
        // Credentials in the endpoint itself are refused, and never quoted.
        for url in [
            format!("http://admin:{URL_PASSWORD}@127.0.0.1:9/"),
            format!("http://127.0.0.1:9/?key={URL_QUERY_KEY}"),
            format!("ftp://admin:{URL_PASSWORD}@127.0.0.1:9/"),
        ] {
            let text = drive(&url, quick_limits).await;
            assert!(text.contains("invalid endpoint"), "{text}");
            all.push_str(&text);
        }
        // A Bearer key where an AccessKey is needed.
        let wrong = Client::new(&RPC, Config::builder().bearer_token(BEARER).build());
        let err = wrong
            .send::<Value, UnknownCode>(wrong.request(&GET_CONVERSATIONS))
            .await
            .expect_err("no AccessKey");
        all.push_str(&shown(&err));

        clean("an error", &all);
        let logs = capture.text();
        assert!(
            logs.contains("GetConversations"),
            "tracing was captured: {logs}"
        );
        clean("the tracing output", &logs);
    })
    .await
    .expect("the secrets test hung");
}
