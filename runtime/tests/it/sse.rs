//! Server-sent events: framing cases on chunked input, and streams over real sockets (events
//! delivered as they arrive, HTTP errors before the stream, idle timeout, truncation).

use std::net::SocketAddr;
use std::time::Duration;

use futures::{StreamExt as _, stream};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use wiregen_runtime::sse::decode_events;
use wiregen_runtime::{
    Client, Error, RetryPolicy, SseEvent, SseLimits, SseOptions, StreamError, TimeoutKind,
    UnknownCode,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

type Item = Result<SseEvent<Value>, Error>;

const DIFY: SseOptions = SseOptions {
    event_name_field: Some("event"),
    error_events: &["error"],
    terminal_events: &["message_end", "workflow_finished"],
    ignored_events: &["ping"],
};

async fn parse(chunks: &[&[u8]], opts: SseOptions) -> Vec<Item> {
    let owned: Vec<Result<Vec<u8>, Error>> = chunks.iter().map(|c| Ok(c.to_vec())).collect();
    decode_events(stream::iter(owned), opts, SseLimits::untimed())
        .collect()
        .await
}

fn ok(item: &Item) -> &SseEvent<Value> {
    item.as_ref()
        .unwrap_or_else(|e| panic!("expected an event, got {e:?}"))
}

#[tokio::test]
async fn framing_fields_comments_crlf_and_multiline_data() {
    let input = b": keep-alive comment\r\nid: 7\r\nevent: message\r\ndata: {\"a\":\r\ndata: 1}\r\nretry: 1500\r\n\r\n";
    let items = parse(&[input], SseOptions::default()).await;
    assert_eq!(items.len(), 1);
    let e = ok(&items[0]);
    assert_eq!(
        (e.id.as_deref(), e.event.as_str(), e.retry),
        (Some("7"), "message", Some(1500))
    );
    assert_eq!(e.data, json!({"a": 1}));
}

#[tokio::test]
async fn the_event_field_names_the_event_and_the_data_member_only_without_it() {
    let opts = SseOptions {
        event_name_field: Some("event"),
        terminal_events: &["message_end"],
        ..SseOptions::default()
    };
    let input = b"event: message\ndata: {\"event\":\"message_end\",\"n\":1}\n\n\
        data: {\"event\":\"agent_message\",\"n\":2}\n\n\
        event: custom\ndata: {\"n\":3}\n\n\
        data: {\"n\":4}\n\n";
    let items = parse(&[input], opts).await;
    let names: Vec<_> = items[..4].iter().map(|i| ok(i).event.as_str()).collect();
    assert_eq!(names, ["message", "agent_message", "custom", "message"]);
    assert!(
        matches!(&items[4], Err(Error::Stream(s)) if matches!(**s, StreamError::Truncated { .. })),
        "the `event: message` event is not the terminal one: {:?}",
        items[4]
    );
}

#[tokio::test]
async fn a_character_split_across_chunks_survives() {
    let text = "data: {\"t\":\"中文\"}\n\n".as_bytes();
    let cut = text
        .iter()
        .position(|&b| b == 0xE4)
        .expect("first byte of 中")
        + 2;
    let items = parse(&[&text[..cut], &text[cut..]], SseOptions::default()).await;
    assert_eq!(ok(&items[0]).data, json!({"t": "中文"}));
}

#[tokio::test]
async fn a_final_event_without_its_blank_line_is_delivered() {
    let items = parse(
        &[b"data: {\"n\":1}\n\ndata: {\"n\":2}\n"],
        SseOptions::default(),
    )
    .await;
    let ns: Vec<_> = items.iter().map(|i| ok(i).data["n"].clone()).collect();
    assert_eq!(ns, [json!(1), json!(2)]);
    let items = parse(&[b"data: {\"n\":3}"], SseOptions::default()).await;
    assert_eq!(ok(&items[0]).data, json!({"n": 3}));
}

#[tokio::test]
async fn data_cut_mid_json_is_a_decode_error_with_the_partial_data() {
    let items = parse(
        &[b"data: {\"n\":1}\n\ndata: {\"answer\":\"par"],
        SseOptions::default(),
    )
    .await;
    assert_eq!(items.len(), 2);
    ok(&items[0]);
    match &items[1] {
        Err(Error::Decode(d)) => assert_eq!(d.body, "{\"answer\":\"par"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn event_names_come_from_the_sse_field_or_the_json_member() {
    let input = b"data: {\"event\":\"agent_message\",\"answer\":\"x\"}\n\nevent: tool_call\ndata: {\"event\":\"message\"}\n\n";
    let items = parse(&[input], DIFY).await;
    let names: Vec<_> = items[..2].iter().map(|i| ok(i).event.clone()).collect();
    assert_eq!(names, ["agent_message", "tool_call"]);
    assert!(items[2].is_err(), "no terminal event: truncated");
    let plain = parse(
        &[b"data: {\"event\":\"agent_message\"}\n\n"],
        SseOptions::default(),
    )
    .await;
    assert_eq!(
        ok(&plain[0]).event,
        "message",
        "no event_name_field: the SSE default"
    );
}

#[tokio::test]
async fn pings_are_skipped_and_terminal_events_end_the_stream() {
    let input = b"event: ping\ndata: \n\ndata: {\"event\":\"ping\"}\n\ndata: {\"event\":\"message\",\"answer\":\"a\"}\n\ndata: {\"event\":\"message_end\"}\n\ndata: {\"event\":\"message\",\"answer\":\"late\"}\n\n";
    let items = parse(&[input], DIFY).await;
    let names: Vec<_> = items.iter().map(|i| ok(i).event.clone()).collect();
    assert_eq!(names, ["message", "message_end"]);
}

#[tokio::test]
async fn error_events_become_service_errors_and_end_the_stream() {
    let input = b"data: {\"event\":\"message\"}\n\ndata: {\"event\":\"error\",\"status\":400,\"code\":\"invalid_param\",\"message\":\"bad input\"}\n\ndata: {\"event\":\"message\"}\n\n";
    let items = parse(&[input], DIFY).await;
    assert_eq!(items.len(), 2);
    match &items[1] {
        Err(Error::Service(s)) => {
            assert_eq!(s.event.as_deref(), Some("error"));
            assert_eq!(s.status, 400, "the event's own status");
            assert_eq!(s.code, UnknownCode("invalid_param".into()));
            assert_eq!(s.message, "bad input");
            assert!(s.body.contains("\"status\":400"));
            assert!(!s.is_retryable());
        }
        other => panic!("expected an error event, got {other:?}"),
    }
}

#[tokio::test]
async fn a_throttling_error_event_reads_like_a_throttling_response() {
    // The SDK model's casing, no status of its own: the stream's (200) stays.
    let input = b"data: {\"Event\":\"error\",\"Code\":\"Throttling.User\",\"Message\":\"slow down\",\"RequestId\":\"R-9\"}\n\n";
    let opts = SseOptions {
        event_name_field: Some("Event"),
        ..DIFY
    };
    let items = parse(&[input], opts).await;
    let err = items[0].as_ref().expect_err("an error event");
    assert_eq!(err.code(), Some(&UnknownCode("Throttling.User".into())));
    assert!(err.is_throttling() && err.is_retryable(), "{err:?}");
    assert_eq!(err.request_id(), Some("R-9"));
    assert_eq!(err.service().map(|s| s.status), Some(200));
    assert_eq!(
        err.to_string(),
        "service error: stream event `error` Throttling.User: slow down (request id R-9)"
    );
}

#[tokio::test]
async fn a_stream_ending_before_its_terminal_event_is_truncated() {
    let items = parse(&[b"data: {\"event\":\"message\"}\n\n"], DIFY).await;
    assert_eq!(items.len(), 2);
    ok(&items[0]);
    assert!(
        matches!(&items[1], Err(Error::Stream(s)) if matches!(s.as_ref(), StreamError::Truncated { last_event: Some(e) } if e == "message"))
    );
}

#[tokio::test]
async fn invalid_utf8_is_a_malformed_stream() {
    let items = parse(&[b"data: {\"a\":\"\xff\xfe\"}\n\n"], SseOptions::default()).await;
    assert!(items.iter().any(|i| matches!(i, Err(Error::Stream(s)) if matches!(s.as_ref(), StreamError::Malformed(_)))), "{items:?}");
}

/// Accepts one connection, reads the request head, writes an event-stream response head.
async fn accept_sse(listener: &TcpListener) -> TcpStream {
    let (mut sock, _) = listener.accept().await.expect("accept");
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut buf).await.expect("read");
        assert!(n > 0, "client closed early");
        head.extend_from_slice(&buf[..n]);
    }
    sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n")
        .await
        .expect("write head");
    sock
}

async fn listen() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    (listener, addr)
}

/// Guards against a hang if events were buffered until the end (not a timing assertion).
async fn next(s: &mut wiregen_runtime::BoxStream<Item>) -> Option<Item> {
    tokio::time::timeout(Duration::from_secs(10), s.next())
        .await
        .expect("event not delivered while the server waits")
}

#[tokio::test]
async fn each_event_arrives_before_the_next_is_sent() {
    let (listener, addr) = listen().await;
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let mut sock = accept_sse(&listener).await;
        sock.write_all(b"id: 1\ndata: {\"event\":\"message\",\"answer\":\"first\"}\n\n")
            .await
            .expect("write");
        sock.flush().await.expect("flush");
        rx.await.expect("client saw event 1");
        sock.write_all(b"id: 2\ndata: {\"event\":\"message_end\"}\n\n")
            .await
            .expect("write");
        sock.shutdown().await.expect("close");
    });
    let client = client(&RPC, &format!("http://{addr}"));
    let mut events = client.send_sse::<Value, UnknownCode>(client.request(&CHAT_MESSAGES), DIFY);
    let first = next(&mut events).await.expect("first").expect("ok");
    assert_eq!(
        (first.id.as_deref(), first.data["answer"].as_str()),
        (Some("1"), Some("first"))
    );
    tx.send(()).expect("server waiting");
    let second = next(&mut events).await.expect("second").expect("ok");
    assert_eq!(
        (second.id.as_deref(), second.event.as_str()),
        (Some("2"), "message_end")
    );
    assert!(next(&mut events).await.is_none());
    server.await.expect("server");
}

#[tokio::test]
async fn a_silent_stream_hits_the_idle_timeout() {
    let (listener, addr) = listen().await;
    let (done_tx, done_rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let mut sock = accept_sse(&listener).await;
        sock.write_all(b"data: {\"event\":\"message\"}\n\n")
            .await
            .expect("write");
        // Stay open and silent until the test is over.
        let _ = done_rx.await;
    });
    let config = config(&format!("http://{addr}"))
        .sse_idle_timeout(Duration::from_millis(200))
        .build();
    let client = Client::new(&RPC, config);
    let mut events = client.send_sse::<Value, UnknownCode>(client.request(&CHAT_MESSAGES), DIFY);
    next(&mut events).await.expect("first").expect("ok");
    let err = next(&mut events)
        .await
        .expect("an error")
        .expect_err("idle");
    assert!(
        matches!(err, Error::Timeout(TimeoutKind::SseIdle(d)) if d == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(next(&mut events).await.is_none());
    let _ = done_tx.send(());
    server.await.expect("server");
}

#[tokio::test]
async fn a_connection_closed_mid_event_surfaces_as_an_error() {
    let (listener, addr) = listen().await;
    let server = tokio::spawn(async move {
        let mut sock = accept_sse(&listener).await;
        sock.write_all(
            b"data: {\"event\":\"message\",\"answer\":\"a\"}\n\ndata: {\"event\":\"message\",\"ans",
        )
        .await
        .expect("write");
        sock.shutdown().await.expect("close");
    });
    let client = client(&RPC, &format!("http://{addr}"));
    let items: Vec<Item> = client
        .send_sse(client.request(&CHAT_MESSAGES), DIFY)
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(ok(&items[0]).data["answer"], "a");
    // The partial event is flushed (as the SDK does); its JSON is cut, so it fails to decode...
    match &items[1] {
        Err(Error::Decode(d)) => assert_eq!(d.body, "{\"event\":\"message\",\"ans"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // ...and no terminal event came, so the stream reports the truncation.
    assert!(
        matches!(&items[2], Err(Error::Stream(s)) if matches!(s.as_ref(), StreamError::Truncated { .. }))
    );
    server.await.expect("server");
}

#[tokio::test]
async fn http_errors_before_the_stream_are_service_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "RequestId": "R-sse", "Code": "Forbidden.RAM", "Message": "not authorized"
        })))
        .mount(&server)
        .await;
    let client = Client::new(
        &RPC,
        config(&server.uri()).retry(RetryPolicy::none()).build(),
    );
    let items: Vec<Item> = client
        .send_sse(client.request(&CHAT_MESSAGES), DIFY)
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    let err = items[0].as_ref().expect_err("403");
    let s = err.service().expect("service error");
    assert_eq!(
        (s.status, s.raw_code.as_str(), s.request_id.as_deref()),
        (403, "Forbidden.RAM", Some("R-sse"))
    );
    let reqs = server.received_requests().await.expect("recording");
    verify_acs3(&reqs[0], AK_SECRET);
}

#[tokio::test]
async fn a_json_answer_where_a_stream_was_expected_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"answer": "blocking"})))
        .mount(&server)
        .await;
    let client = client(&RPC, &server.uri());
    let items: Vec<Item> = client
        .send_sse(client.request(&CHAT_MESSAGES), DIFY)
        .collect()
        .await;
    assert!(
        matches!(&items[..], [Err(Error::Stream(s))] if matches!(s.as_ref(), StreamError::NotAStream { body, .. } if body.contains("blocking")))
    );
}

/// The idle timer measures the wait for each event from when the consumer asks for it: a
/// consumer slow between two polls does not make a healthy stream time out.
#[tokio::test]
async fn a_slow_consumer_does_not_make_a_healthy_stream_time_out() {
    let (tx, rx) = futures::channel::mpsc::unbounded::<Result<&'static [u8], Error>>();
    let producer = tokio::spawn(async move {
        let _ = tx.unbounded_send(Ok(b"data: 1\n\n"));
        tokio::time::sleep(Duration::from_millis(600)).await;
        let _ = tx.unbounded_send(Ok(b"data: "));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let _ = tx.unbounded_send(Ok(b"2\n\n"));
    });
    let limits = SseLimits::untimed().with_idle(Some(Duration::from_millis(300)));
    let mut events = decode_events::<_, _, Value, UnknownCode>(rx, SseOptions::default(), limits);
    tokio::time::timeout(Duration::from_secs(10), async {
        assert_eq!(ok(&events.next().await.expect("first")).data, json!(1));
        // Busy elsewhere for longer than the idle timeout.
        tokio::time::sleep(Duration::from_millis(450)).await;
        assert_eq!(ok(&events.next().await.expect("second")).data, json!(2));
    })
    .await
    .expect("bounded");
    producer.await.expect("producer");
}
