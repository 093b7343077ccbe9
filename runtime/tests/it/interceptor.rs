//! Interceptors against a 127.0.0.1 server: a header added before signing reaches the server on
//! every attempt and is signed; every answer's status is read, retries included; the request
//! as sent is readable; several interceptors run in order; event streams are not consumed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt as _;
use serde_json::{Value, json};
use wiregen_runtime::{
    Attempt, Client, HttpRequest, HttpResponse, Interceptor, Method, PreparedRequest, RetryPolicy,
    SseOptions, UnknownCode,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// What one interceptor saw, shared with the test.
#[derive(Debug, Default)]
struct Log {
    /// `(name, attempt)` of every hook call, in order.
    calls: Vec<(String, u32)>,
    statuses: Vec<u16>,
    sent_authorization: Vec<bool>,
    bodies: Vec<Option<Vec<u8>>>,
}

/// Adds `x-trace-id: <tag>-<attempt>` before signing and records everything it reads.
#[derive(Debug)]
struct Trace {
    tag: &'static str,
    log: Arc<Mutex<Log>>,
}

impl Trace {
    fn new(tag: &'static str) -> (Self, Arc<Mutex<Log>>) {
        let log = Arc::new(Mutex::new(Log::default()));
        (
            Trace {
                tag,
                log: Arc::clone(&log),
            },
            log,
        )
    }

    fn record(&self, f: impl FnOnce(&mut Log)) {
        f(&mut self.log.lock().expect("log lock"));
    }
}

impl Interceptor for Trace {
    fn modify_before_signing(&self, request: &mut HttpRequest, attempt: &Attempt) {
        let before = request.header("x-trace-id").unwrap_or("").to_owned();
        let value = format!("{before}{}-{}", self.tag, attempt.number());
        request.set_header("X-Trace-Id", value);
        self.record(|l| {
            l.calls
                .push((format!("{}:sign", self.tag), attempt.number()))
        });
    }

    fn read_before_transmit(&self, request: &PreparedRequest, attempt: &Attempt) {
        let signed = request.header("authorization").is_some();
        self.record(|l| {
            l.sent_authorization.push(signed);
            l.calls
                .push((format!("{}:send", self.tag), attempt.number()));
        });
    }

    fn read_after_response(&self, response: &HttpResponse<'_>, attempt: &Attempt) {
        let body = response.body().map(<[u8]>::to_vec);
        self.record(|l| {
            l.statuses.push(response.status());
            l.bodies.push(body);
            l.calls
                .push((format!("{}:answer", self.tag), attempt.number()));
        });
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
}

#[tokio::test]
async fn a_header_added_before_signing_is_signed_on_every_attempt_and_every_status_is_read() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(json!({"Code": "ServiceUnavailable"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": 1})))
        .mount(&server)
        .await;
    let (trace, log) = Trace::new("t");
    let client = Client::new(
        &RPC,
        config(&server.uri())
            .retry(quick())
            .interceptor(trace)
            .build(),
    );
    let v: Value = tokio::time::timeout(
        Duration::from_secs(20),
        client.send::<_, UnknownCode>(client.request(&GET_CONVERSATIONS)),
    )
    .await
    .expect("within 20 s")
    .expect("retried to success");
    assert_eq!(v["ok"], 1);

    let reqs = server.received_requests().await.expect("recording");
    assert_eq!(reqs.len(), 2);
    for (i, r) in reqs.iter().enumerate() {
        let trace = r.headers.get("x-trace-id").and_then(|v| v.to_str().ok());
        assert_eq!(trace, Some(format!("t-{}", i + 1).as_str()));
        let signed = verify_acs3(r, AK_SECRET);
        assert!(
            signed.split(';').any(|h| h == "x-trace-id"),
            "the added header is signed: {signed}"
        );
    }
    let log = log.lock().expect("log lock");
    assert_eq!(
        log.statuses,
        [503, 200],
        "every answer, the retried one too"
    );
    assert_eq!(log.sent_authorization, [true, true]);
    assert_eq!(
        log.bodies[1].as_deref(),
        Some(br#"{"ok":1}"#.as_slice()),
        "a whole body is readable"
    );
    let calls: Vec<(&str, u32)> = log.calls.iter().map(|(n, a)| (n.as_str(), *a)).collect();
    assert_eq!(
        calls,
        [
            ("t:sign", 1),
            ("t:send", 1),
            ("t:answer", 1),
            ("t:sign", 2),
            ("t:send", 2),
            ("t:answer", 2)
        ]
    );
}

#[tokio::test]
async fn interceptors_run_in_the_order_they_were_added_and_prepare_shows_their_changes() {
    let (first, first_log) = Trace::new("a");
    let (second, _) = Trace::new("b");
    let client = Client::new(
        &RPC,
        config("http://127.0.0.1:9")
            .interceptor(first)
            .interceptor(second)
            .build(),
    );
    let prepared = client
        .prepare(client.request(&GET_CONVERSATIONS))
        .expect("prepare");
    assert_eq!(prepared.header("x-trace-id"), Some("a-1b-1"));
    let auth = prepared.header("authorization").expect("signed");
    assert!(auth.contains("x-trace-id"), "{auth}");
    // `prepare` sends nothing: only the hook before signing ran.
    let calls = first_log.lock().expect("log lock").calls.clone();
    assert_eq!(calls, [("a:sign".to_owned(), 1)]);
}

/// Changes the URL and method before signing, on a REST service (Bearer, no signature).
#[derive(Debug)]
struct Reroute;

impl Interceptor for Reroute {
    fn modify_before_signing(&self, request: &mut HttpRequest, _attempt: &Attempt) {
        request.set_method(Method::Post);
        request.url_mut().set_path("/v1/elsewhere");
        request
            .url_mut()
            .query_pairs_mut()
            .append_pair("added", "a b");
        request.remove_header("accept");
        request.set_body(br#"{"replaced":true}"#.to_vec());
    }
}

#[tokio::test]
async fn url_query_and_body_changes_reach_the_server_and_are_signed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::new(&ROA, config(&server.uri()).interceptor(Reroute).build());
    let _: Value = client
        .send::<_, UnknownCode>(client.request(&LIST_CONVERSATIONS))
        .await
        .expect("sent");
    let reqs = server.received_requests().await.expect("recording");
    let r = &reqs[0];
    assert_eq!(r.url.path(), "/v1/elsewhere");
    assert_eq!(r.url.query(), Some("added=a+b"));
    assert_eq!(r.body, br#"{"replaced":true}"#);
    // Removed: the HTTP stack's own default takes its place.
    assert_ne!(
        r.headers.get("accept").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    // The payload hash and signature cover the new path, query and body.
    verify_acs3(r, AK_SECRET);
}

#[tokio::test]
async fn an_event_stream_is_seen_by_its_head_and_left_unread() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n"),
        )
        .mount(&server)
        .await;
    let (trace, log) = Trace::new("s");
    let client = Client::new(&RPC, config(&server.uri()).interceptor(trace).build());
    let events: Vec<_> = client
        .send_sse::<Value, UnknownCode>(client.request(&CHAT_MESSAGES), SseOptions::default())
        .collect()
        .await;
    assert_eq!(events.len(), 2, "the caller still reads every event");
    assert!(events.iter().all(Result::is_ok), "{events:?}");
    let log = log.lock().expect("log lock");
    assert_eq!(log.statuses, [200]);
    assert_eq!(log.bodies, [None]);
}
