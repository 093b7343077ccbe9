//! What a production caller reaches for, through the generated `rdsai` crate on 127.0.0.1:
//! per-call settings (`.customize`), response metadata (`send_with_metadata`,
//! `stream_with_metadata`), one crate-level error (`errors::AnyError`), models built and
//! serialised by the caller, and the crate's own re-exports.

use std::time::Duration;

use crate::support::acs3;
use crate::support::server::{
    KEY_ID, SECRET, acs_config, example, json, only_request, received, response_body, serving,
};
use rdsai::errors::{AnyError, Code, GetConversationsErrorCode, GetMessagesErrorCode};
use rdsai::futures::StreamExt as _;
use rdsai::models::{Conversation, GetConversationsResponse};
use rdsai::runtime::serde_json;
use rdsai::{CallOptions, Config, RetryPolicy, TimeoutKind};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every call here is bounded: a hang fails the test instead of stalling CI.
const LIMIT: Duration = Duration::from_secs(20);

async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(LIMIT, f)
        .await
        .expect("the call finished in time")
}

/// Retries on, with a tiny backoff so failing attempts follow each other quickly.
fn retrying(uri: &str) -> rdsai::Client {
    rdsai::Client::new(
        Config::builder()
            .access_key(KEY_ID, SECRET)
            .endpoint(uri)
            .retry(RetryPolicy::standard().with_base_delay(Duration::from_millis(1)))
            .build(),
    )
}

#[tokio::test]
async fn customize_turns_retries_off_for_one_call() {
    let server = serving(
        "POST",
        "/",
        503,
        r#"{"Code":"ServiceUnavailable","Message":"busy"}"#,
    )
    .await;
    let client = retrying(&server.uri());
    bounded(client.get_conversations().send())
        .await
        .expect_err("503");
    let with_retries = received(&server).await.len();
    assert!(
        with_retries > 1,
        "the idempotent read was retried ({with_retries})"
    );

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(json(
            503,
            r#"{"Code":"ServiceUnavailable","Message":"busy"}"#,
        ))
        .mount(&server)
        .await;
    bounded(
        client
            .get_conversations()
            .customize(CallOptions::new().no_retries())
            .send(),
    )
    .await
    .expect_err("503");
    assert_eq!(received(&server).await.len(), 1, "one attempt only");
}

#[tokio::test]
async fn customize_adds_signed_headers_and_a_timeout() {
    let ex = example("rdsai", "GetConversations", "doc-sample");
    let server = serving("POST", "/", 200, response_body(&ex)).await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    bounded(
        client
            .get_conversations()
            .customize(CallOptions::new().header("X-Trace-Id", "trace-7"))
            .send(),
    )
    .await
    .expect("page");
    let seen = only_request(&server).await;
    assert_eq!(seen.header("x-trace-id"), Some("trace-7"));
    let auth =
        acs3::parse_authorization(seen.header("authorization").unwrap_or_default()).expect("ACS3");
    assert!(
        auth.signed_headers.iter().any(|h| h == "x-trace-id"),
        "{:?}",
        auth.signed_headers
    );
    acs3::assert_signed(&seen, KEY_ID, SECRET);

    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, response_body(&ex)).set_delay(Duration::from_secs(5)))
        .mount(&slow)
        .await;
    let client = rdsai::Client::new(acs_config(&slow.uri()));
    let limit = Duration::from_millis(200);
    let err = bounded(
        client
            .get_conversations()
            .customize(CallOptions::new().timeout(limit))
            .send(),
    )
    .await
    .expect_err("the per-call timeout fires first");
    assert!(
        matches!(err, rdsai::Error::Timeout(TimeoutKind::Request(d)) if d == limit),
        "{err:?}"
    );
}

#[tokio::test]
async fn metadata_status_headers_request_id_and_attempts() {
    let ex = example("rdsai", "GetConversations", "doc-sample");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(
            503,
            r#"{"Code":"ServiceUnavailable","Message":"busy"}"#,
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(200, response_body(&ex)).insert_header("x-acs-request-id", "hdr-req-1"))
        .mount(&server)
        .await;
    let client = retrying(&server.uri());
    let (page, meta) = bounded(client.get_conversations().send_with_metadata())
        .await
        .expect("page");
    assert_eq!((meta.status, meta.attempts), (200, 2));
    assert_eq!(meta.request_id(), Some("hdr-req-1"));
    assert_eq!(meta.header("content-type"), Some("application/json"));
    assert!(page.data.is_some());

    // Without the header, the body's RequestId.
    let plain = serving(
        "POST",
        "/",
        200,
        r#"{"RequestId":"body-req-2","HasMore":false,"Data":[]}"#,
    )
    .await;
    let client = rdsai::Client::new(acs_config(&plain.uri()));
    let (_, meta) = bounded(client.get_conversations().send_with_metadata())
        .await
        .expect("page");
    assert_eq!((meta.request_id(), meta.attempts), (Some("body-req-2"), 1));
}

#[tokio::test]
async fn stream_metadata_comes_with_the_events() {
    let server = MockServer::start().await;
    let body = "data: {\"event\":\"message\",\"answer\":\"Hi\"}\n\n\
                data: {\"event\":\"message_end\"}\n\n";
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-acs-request-id", "sse-req-3")
                .set_body_raw(body.as_bytes().to_vec(), "text/event-stream"),
        )
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let (meta, events) = bounded(client.chat_messages("Hello").stream_with_metadata())
        .await
        .expect("stream head");
    assert_eq!((meta.status, meta.request_id()), (200, Some("sse-req-3")));
    let events: Vec<_> = bounded(events.collect::<Vec<_>>()).await;
    let answers: Vec<String> = events
        .into_iter()
        .map(|e| e.expect("event").data.answer.unwrap_or_default())
        .collect();
    assert_eq!(answers.concat(), "Hi");

    // An error answer is the call's error, not a stream.
    let failing = serving(
        "POST",
        "/",
        400,
        r#"{"Code":"InvalidParameter","Message":"bad"}"#,
    )
    .await;
    let client = rdsai::Client::new(acs_config(&failing.uri()));
    let err = bounded(client.chat_messages("Hello").stream_with_metadata())
        .await
        .err()
        .expect("service error");
    assert_eq!(
        err.code(),
        Some(&rdsai::errors::ChatMessagesErrorCode::InvalidParameter)
    );
}

/// Two operations, one error type.
async fn both(client: &rdsai::Client) -> Result<(), AnyError> {
    client.get_conversations().send().await?;
    client.get_messages().conversation_id("c-1").send().await?;
    Ok(())
}

#[tokio::test]
async fn every_operation_error_converts_into_the_crate_error() {
    let server = serving(
        "POST",
        "/",
        404,
        r#"{"Code":"UserNotFound","Message":"no user","RequestId":"r-9"}"#,
    )
    .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let err = bounded(both(&client)).await.expect_err("404");
    assert_eq!(err.code(), Some(&Code::UserNotFound));
    assert_eq!(
        err.service().and_then(|s| s.request_id.as_deref()),
        Some("r-9")
    );

    // The operation's own code and the crate's name the same wire code.
    let op_err = bounded(client.get_messages().conversation_id("c").send())
        .await
        .expect_err("404");
    assert_eq!(op_err.code(), Some(&GetMessagesErrorCode::UserNotFound));
    let any: AnyError = op_err.into();
    assert_eq!(any.code(), Some(&Code::UserNotFound));
    // Codes keep their retryability; unknown codes stay as sent.
    assert!(rdsai::ErrorCode::is_retryable(
        &<Code as rdsai::ErrorCode>::from_code("Throttling.User")
    ));
    assert_eq!(
        <Code as rdsai::ErrorCode>::from_code("Brand.New"),
        Code::Unknown("Brand.New".into())
    );
    let _: Option<GetConversationsErrorCode> = None;
}

#[test]
fn models_are_built_and_serialised_in_wire_form() {
    let c = Conversation::new()
        .with_id("c-1")
        .with_name("disk usage")
        .with_created_at(rdsai::UnixSeconds(1_700_000_000));
    let json = serde_json::to_value(&c).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({"Id": "c-1", "Name": "disk usage", "CreatedAt": 1_700_000_000}),
        "wire names, unset fields left out"
    );
    // A decoded response serialises back into what decodes to the same value.
    let ex = example("rdsai", "GetConversations", "all-fields-sdk-types");
    let page: GetConversationsResponse =
        serde_json::from_str(response_body(&ex)).expect("example decodes");
    let again = serde_json::to_string(&page).expect("serialises");
    let back: GetConversationsResponse = serde_json::from_str(&again).expect("decodes");
    assert_eq!(back, page);
    // Reading a model from the caller's own JSON says where it does not fit.
    let error = serde_json::from_str::<GetConversationsResponse>(
        r#"{"HasMore": "true", "Data": [{"Id": "c-1"}, {"Id": 5}]}"#,
    )
    .expect_err("5 is not a string");
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string at `Data[1].Id`"
    );
    assert_eq!(
        GetConversationsResponse::new().with_has_more(true).has_more,
        Some(true)
    );
}

#[test]
fn the_crate_alone_names_what_callers_use() {
    // Compiles only if the generated crate re-exports these (no wiregen-runtime needed).
    let _: rdsai::ConfigBuilder = Config::builder();
    let _: Option<rdsai::StreamError> = None;
    let _: Option<TimeoutKind> = None;
    let _: Option<rdsai::ResponseMetadata> = None;
    let _: Option<rdsai::BoxStream<()>> = None;
    let _ = rdsai::DefaultChain::new(&rdsai::ChainSettings::from_vars([("HOME", "/nonexistent")]));
    fn takes_code<C: rdsai::ErrorCode>(_: C) {}
    takes_code(Code::UserNotFound);
}
