//! Failure handling against real sockets: throttling and 5xx retries, no retry of
//! non-idempotent calls, refused connections, stalled servers, malformed bodies, and a server
//! that repeats its pagination cursor.

use std::time::Duration;

use futures::StreamExt as _;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpListener;
use wiregen_runtime::paginate::{self, CursorFrom};
use wiregen_runtime::{Client, Error, RetryPolicy, StreamError, TimeoutKind, UnknownCode};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// Fast retries so the tests stay quick (no timing is asserted).
fn quick() -> RetryPolicy {
    RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(50))
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording").len()
}

#[tokio::test]
async fn throttled_429_with_retry_after_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-acs-retry-after", "30")
                .set_body_json(json!({"Code": "Throttling.User", "Message": "Request was denied due to user flow control."})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": 1})))
        .mount(&server)
        .await;
    let client = Client::new(&RPC, config(&server.uri()).retry(quick()).build());
    let v: Value = client
        .send::<_, UnknownCode>(client.request(&GET_CONVERSATIONS))
        .await
        .expect("retried");
    assert_eq!(v["ok"], 1);
    let reqs = server.received_requests().await.expect("recording");
    assert_eq!(reqs.len(), 2);
    // Each attempt is signed afresh.
    assert_ne!(
        reqs[0].headers.get("x-acs-signature-nonce"),
        reqs[1].headers.get("x-acs-signature-nonce")
    );
    for r in &reqs {
        verify_acs3(r, AK_SECRET);
    }
}

#[tokio::test]
async fn throttling_is_retried_even_for_a_non_idempotent_call_with_a_policy() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("retry-after", "0")
                .set_body_json(json!({"Code": "Throttling"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&RPC, &server.uri());
    let mut req = client.request(&CHAT_MESSAGES);
    req.retry(quick());
    client
        .send::<Value, UnknownCode>(req)
        .await
        .expect("retried");
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn a_503_is_retried_for_an_idempotent_read() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": 1})))
        .mount(&server)
        .await;
    let client = Client::new(&ROA, config(&server.uri()).retry(quick()).build());
    let v: Value = client
        .send::<_, UnknownCode>(client.request(&LIST_CONVERSATIONS))
        .await
        .expect("retried");
    assert_eq!(v["data"], 1);
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn a_non_idempotent_call_is_not_retried_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // Even a configured policy applies to idempotent operations only.
    let client = Client::new(&RPC, config(&server.uri()).retry(quick()).build());
    let err = client
        .send::<Value, UnknownCode>(client.request(&CHAT_MESSAGES))
        .await
        .expect_err("503");
    assert_eq!(err.service().map(|s| s.status), Some(503));
    assert!(
        err.is_retryable(),
        "transient, but not repeated for a non-idempotent call"
    );
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn an_ambiguous_5xx_is_not_retried_for_a_non_idempotent_call_even_with_a_policy() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let client = client(&RPC, &server.uri());
    let mut req = client.request(&CHAT_MESSAGES);
    req.retry(quick());
    client
        .send::<Value, UnknownCode>(req)
        .await
        .expect_err("502");
    assert_eq!(count(&server).await, 1, "the call may have run");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let client = Client::new(
        &RPC,
        config(&format!("http://{addr}"))
            .retry(RetryPolicy::none())
            .build(),
    );
    let err = client
        .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
        .await
        .expect_err("refused");
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_stalled_server_hits_the_request_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // Accept, read the request, never answer.
    let server = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.expect("accept");
        let mut buf = [0u8; 4096];
        while sock.read(&mut buf).await.is_ok_and(|n| n > 0) {}
    });
    let client = Client::new(
        &RPC,
        config(&format!("http://{addr}"))
            .retry(RetryPolicy::none())
            .build(),
    );
    let mut req = client.request(&GET_CONVERSATIONS);
    req.timeout(Duration::from_millis(200));
    let err = client
        .send::<Value, UnknownCode>(req)
        .await
        .expect_err("stalled");
    assert!(
        matches!(err, Error::Timeout(TimeoutKind::Request(d)) if d == Duration::from_millis(200)),
        "{err:?}"
    );
    server.abort();
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_that_keeps_the_body() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        #[serde(rename = "Data")]
        data: Vec<Value>,
    }
    wiregen_runtime::serde_decode!(Page);
    let server = MockServer::start().await;
    let body = r#"{"RequestId":"R","Data":[{"Id":1},"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    let client = client(&RPC, &server.uri());
    let err = client
        .send::<Page, UnknownCode>(client.request(&GET_CONVERSATIONS))
        .await
        .expect_err("malformed");
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.status, 200);
            assert_eq!(d.body, body);
            assert!(d.source.is_eof(), "{:?}", d.source);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(err.raw_body(), Some(body));
    assert!(!err.is_retryable());
}

#[derive(Debug, Clone, Deserialize)]
struct ConvPage {
    #[serde(rename = "Data")]
    data: Vec<Conv>,
    #[serde(
        rename = "HasMore",
        deserialize_with = "wiregen_runtime::lenient::required"
    )]
    has_more: bool,
}
wiregen_runtime::serde_decode!(ConvPage);

#[derive(Debug, Clone, Deserialize)]
struct Conv {
    #[serde(rename = "Id")]
    id: String,
}

#[tokio::test]
async fn a_server_repeating_its_cursor_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"Data": [{"Id": "a"}, {"Id": "b"}], "HasMore": "true"})),
        )
        .mount(&server)
        .await;
    let client = client(&RPC, &server.uri());
    let first = client.request(&GET_CONVERSATIONS);
    let fetch = {
        let client = client.clone();
        move |req| {
            let client = client.clone();
            async move {
                client
                    .send_with_metadata::<ConvPage, UnknownCode>(req)
                    .await
            }
        }
    };
    let pages = paginate::cursor(
        client.max_pages(),
        first,
        fetch,
        |p: &ConvPage| (p.data.as_slice(), p.has_more),
        |c: &Conv| Some(c.id.clone()),
        CursorFrom::Last,
        |mut req, cursor| {
            req.query("LastId", &cursor);
            req
        },
    );
    let items: Vec<_> = paginate::items(pages, |p: ConvPage| p.data).collect().await;
    let ids: Vec<_> = items
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "a", "b"]);
    match items.last() {
        Some(Err(Error::Stream(s))) => {
            assert!(matches!(s.as_ref(), StreamError::PaginationLoop { cursor } if cursor == "b"))
        }
        other => panic!("expected a pagination loop error, got {other:?}"),
    }
    let reqs = server.received_requests().await.expect("recording");
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].url.query(), Some("LastId=b"));
}

#[tokio::test]
async fn a_server_delay_within_max_server_delay_is_waited_in_full() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"Code": "Throttling.User"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    // The backoff's own cap (50 ms) no longer cuts the server's 1 s short.
    let policy = quick().with_max_server_delay(Duration::from_secs(2));
    let client = Client::new(&RPC, config(&server.uri()).retry(policy).build());
    let started = std::time::Instant::now();
    let _: Value = tokio::time::timeout(
        Duration::from_secs(20),
        client.send::<_, UnknownCode>(client.request(&GET_CONVERSATIONS)),
    )
    .await
    .expect("within 20 s")
    .expect("retried");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn a_server_delay_over_max_server_delay_is_not_retried_and_the_error_says_why() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "60")
                .set_body_json(json!({"Code": "Throttling.User", "Message": "slow down"})),
        )
        .mount(&server)
        .await;
    let policy = quick().with_max_server_delay(Duration::from_millis(100));
    let client = Client::new(&RPC, config(&server.uri()).retry(policy).build());
    let started = std::time::Instant::now();
    let err = tokio::time::timeout(
        Duration::from_secs(20),
        client.send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS)),
    )
    .await
    .expect("within 20 s")
    .expect_err("throttled");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(count(&server).await, 1, "not retried early");
    let service = err.service().expect("a service error");
    assert_eq!(service.retry_after, Some(Duration::from_secs(60)));
    assert_eq!(service.retry_after_cap, Some(Duration::from_millis(100)));
    let text = err.to_string();
    assert!(
        text.contains("asked to wait 60s") && text.contains("max_server_delay"),
        "{text}"
    );
}
