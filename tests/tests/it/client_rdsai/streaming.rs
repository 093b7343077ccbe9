//! `rdsai` server-sent events: each event yielded as it arrives, both casings of
//! the event fields, error events, HTTP errors, CRLF and split characters.

use super::*;

/// Splits SSE text into its events (blank-line separated), each keeping its
/// terminating blank line, so the server can send them one at a time.
fn sse_chunks(text: &str) -> Vec<String> {
    text.split("\n\n")
        .filter(|c| !c.trim().is_empty())
        .map(|c| format!("{c}\n\n"))
        .collect()
}

/// Waits for the next stream item; a hang means the client held an event back.
async fn next_event<S: futures::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .unwrap_or_else(|_| {
            panic!("no event within 5 s after the server sent one: the client buffers events")
        })
}

#[tokio::test]
async fn chat_messages_stream_pascal_case_events_arrive_one_by_one() {
    let ex = example("rdsai", "ChatMessages", "stream-pascal-case");
    let mut chunks = sse_chunks(ex.events.as_deref().expect("events"));
    // Chunks: comment + message 1, message 2, ping, message_end. Send the
    // ping together with message_end, and a stray event after message_end
    // that must never be yielded.
    assert_eq!(chunks.len(), 4, "{chunks:#?}");
    let end = chunks.pop().unwrap_or_default();
    let ping = chunks.pop().unwrap_or_default();
    chunks.push(format!(
        "{ping}{end}data: {{\"Event\":\"message\",\"Answer\":\"after the end\"}}\n\n"
    ));
    let (uri, gate, request) = crate::support::sse::serve(chunks).await;
    let client = rdsai::Client::new(acs_config(&uri));
    let mut events = Box::pin(client.chat_messages(param_str(&ex, "Query")).stream());

    gate.release();
    let first = next_event(&mut events)
        .await
        .expect("first event")
        .expect("decodes");
    assert_eq!(first.event, "message");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(
        first.data.answer.as_deref(),
        Some("您询问的实例rm-bp14as9914vd3**** ")
    );
    assert_eq!(
        first.data.conversation_id.as_deref(),
        Some("9cbbe885-b240-4803-9d15-6781a3fd****")
    );
    assert_eq!(first.data.created_at.map(|t| t.0), Some(1_763_986_004));

    gate.release();
    let second = next_event(&mut events)
        .await
        .expect("second event")
        .expect("decodes");
    assert_eq!(second.id.as_deref(), Some("2"));
    assert_eq!(
        second.data.answer.as_deref(),
        Some("磁盘使用率为23%,暂时不需要进行扩容。")
    );

    gate.release();
    let end = next_event(&mut events)
        .await
        .expect("message_end")
        .expect("decodes");
    assert_eq!(end.event, "message_end", "ping skipped");
    assert_eq!(
        end.data.id.as_deref(),
        Some("60b335ca-124d-4ee1-864b-de554987****")
    );
    assert_eq!(
        end.data.request_id.as_deref(),
        Some("FE9C65D7-930F-57A5-A207-8C396329****")
    );
    assert!(
        next_event(&mut events).await.is_none(),
        "message_end ends the stream"
    );

    let seen = request.await.expect("server task");
    assert_rpc(&seen, &uri, "ChatMessages");
    seen.assert_query(&[("Query", "实例rm-bp14as9914vd3**** 磁盘使用率,是否需要扩容")]);
}

#[tokio::test]
async fn chat_messages_stream_snake_case_events() {
    let ex = example("rdsai", "ChatMessages", "stream-dify-snake-case");
    let chunks = sse_chunks(ex.events.as_deref().expect("events"));
    let (uri, gate, _request) = crate::support::sse::serve(chunks.clone()).await;
    for _ in &chunks {
        gate.release();
    }
    let client = rdsai::Client::new(acs_config(&uri));
    let events: Vec<_> = client.chat_messages("Hello").stream().collect().await;
    let events: Vec<_> = events
        .into_iter()
        .map(|e| e.expect("event decodes"))
        .collect();
    let names: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names, ["message", "message", "message_end"]);
    let answers: Vec<_> = events
        .iter()
        .map(|e| e.data.answer.clone().unwrap_or_default())
        .collect();
    assert_eq!(answers.concat(), "Hi, how can I help?");
    let first = &events[0].data;
    assert_eq!(
        first.conversation_id.as_deref(),
        Some("45701982-8118-4bc5-8e9b-64562b4555f2")
    );
    assert_eq!(
        first.task_id.as_deref(),
        Some("900bbd43-dc0b-4383-a372-aa6e6c414227")
    );
    assert_eq!(
        first.message_id.as_deref(),
        Some("663c5084-a254-4040-8ad3-51f2a3c1a77c")
    );
    assert_eq!(first.created_at.map(|t| t.0), Some(1_705_395_332));
    let usage = events[2]
        .data
        .metadata
        .as_ref()
        .map(|m| m["usage"]["total_tokens"].clone());
    assert_eq!(usage, Some(serde_json::json!(1168)));
}

#[tokio::test]
async fn chat_messages_stream_error_event_is_an_error() {
    let ex = example("rdsai", "ChatMessages", "stream-error-event");
    let chunks = sse_chunks(ex.events.as_deref().expect("events"));
    let (uri, gate, _request) = crate::support::sse::serve(chunks.clone()).await;
    for _ in &chunks {
        gate.release();
    }
    let client = rdsai::Client::new(acs_config(&uri));
    let mut events = Box::pin(client.chat_messages("Hello").stream());
    let first = next_event(&mut events)
        .await
        .expect("message")
        .expect("decodes");
    assert_eq!(first.data.answer.as_deref(), Some("Let me check"));
    let err = next_event(&mut events)
        .await
        .expect("error item")
        .expect_err("error event");
    // A service error like one before the stream, with the event's own status and the event
    // named.
    let service = err.service().expect("a service error");
    assert_eq!(service.event.as_deref(), Some("error"));
    assert_eq!(service.status, 400);
    assert_eq!(
        err.code(),
        Some(&ChatMessagesErrorCode::Unknown(
            "completion_request_error".into()
        ))
    );
    assert_eq!(service.message, "The model is overloaded.");
    assert!(!err.is_retryable());
    assert!(
        next_event(&mut events).await.is_none(),
        "nothing after the error"
    );
}

/// What a caller does with an error, wherever it arrived: one `match` for a throttling
/// response before the stream and a throttling event inside it.
fn throttled(err: &rdsai::Error) -> Option<&str> {
    match err.code() {
        Some(ChatMessagesErrorCode::ThrottlingUser)
            if err.is_throttling() && err.is_retryable() =>
        {
            err.request_id()
        }
        _ => None,
    }
}

#[tokio::test]
async fn a_throttling_event_inside_a_stream_matches_like_a_throttling_response() {
    let event = r#"data: {"Event":"error","Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R-in-stream"}"#;
    let (uri, gate, _request) = crate::support::sse::serve(vec![format!("{event}\n\n")]).await;
    gate.release();
    let client = rdsai::Client::new(acs_config(&uri));
    let mut events = Box::pin(client.chat_messages("Hello").stream());
    let in_stream = next_event(&mut events)
        .await
        .expect("an item")
        .expect_err("the error event");
    assert_eq!(throttled(&in_stream), Some("R-in-stream"), "{in_stream:?}");

    let body = r#"{"RequestId":"R-before","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
    let (_server, client) = serve(400, body).await;
    let mut events = Box::pin(client.chat_messages("Hello").stream());
    let before = next_event(&mut events)
        .await
        .expect("an item")
        .expect_err("400 before the stream");
    assert_eq!(throttled(&before), Some("R-before"), "{before:?}");
}

#[tokio::test]
async fn chat_messages_stream_http_error_is_typed() {
    let ex = example("rdsai", "ChatMessages", "too-many-requests");
    let (server, client) = serve(ex.status.unwrap_or(429), server::response_body(&ex)).await;
    let mut events = Box::pin(client.chat_messages("Hello").stream());
    let err = next_event(&mut events)
        .await
        .expect("an item")
        .expect_err("429 before the stream");
    assert_eq!(err.code(), Some(&ChatMessagesErrorCode::TooManyRequests));
    assert!(next_event(&mut events).await.is_none());
    let seen = only_request(&server).await;
    assert_rpc(&seen, &server.uri(), "ChatMessages");
}

#[tokio::test]
async fn chat_messages_stream_crlf_and_a_character_split_between_chunks() {
    let ex = example("rdsai", "ChatMessages", "stream-pascal-case");
    let text = ex.events.as_deref().expect("events").replace('\n', "\r\n");
    let bytes = text.into_bytes();
    // Cut inside the first multi-byte character (the SDK drops such chunks).
    let first_cjk = bytes
        .iter()
        .position(|b| *b >= 0x80)
        .expect("a non-ASCII byte");
    let (head, tail) = bytes.split_at(first_cjk + 1);
    let chunks = vec![head.to_vec(), tail.to_vec()];
    let (uri, gate, _request) = crate::support::sse::serve(chunks).await;
    gate.release();
    gate.release();
    let client = rdsai::Client::new(acs_config(&uri));
    let events: Vec<_> = client.chat_messages("q").stream().collect().await;
    let events: Vec<_> = events
        .into_iter()
        .map(|e| e.expect("event decodes"))
        .collect();
    let names: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names, ["message", "message", "message_end"]);
    assert_eq!(
        events[0].data.answer.as_deref(),
        Some("您询问的实例rm-bp14as9914vd3**** ")
    );
}
