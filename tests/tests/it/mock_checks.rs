//! Each check of the validating mock refuses a bad request with the real service's code, and
//! its log says what was wrong in plain words.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use wiregen_runtime::mock::{MockServer, Outcome};
use wiregen_runtime::{Config, Error, RetryPolicy, ServiceInfo, UnknownCode};

use super::mock_walk::{info, request, within};

/// The code a call failed with, and the mock's plain-words reason.
async fn refused(
    mock: &MockServer,
    client: &wiregen_runtime::Client,
    op: &str,
    params: Value,
) -> (String, u16, String) {
    let table_op = mock.service().operation(op).expect("operation");
    let params: BTreeMap<String, Value> = serde_json::from_value(params).expect("object");
    let req = request(client, table_op, &params);
    let err: Error<UnknownCode> = within(client.send_bytes::<UnknownCode>(req))
        .await
        .expect_err("refused");
    let service = err
        .service()
        .unwrap_or_else(|| panic!("a service error: {err}"));
    let log = mock.requests();
    let Some(Outcome::Rejected { problem, code, .. }) = log.last().map(|r| r.outcome.clone())
    else {
        panic!("the mock logged a refusal: {log:?}");
    };
    assert_eq!(code, service.raw_code, "the log names the code sent");
    (service.raw_code.clone(), service.status, problem)
}

fn rdsai_client(mock: &MockServer, id: &str, secret: &str) -> wiregen_runtime::Client {
    rdsai::Client::new(
        Config::builder()
            .endpoint(mock.uri())
            .access_key(id, secret)
            .retry(RetryPolicy::none())
            .build(),
    )
    .runtime()
    .clone()
}

#[tokio::test]
async fn a_wrong_secret_is_signature_does_not_match() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let client = rdsai_client(
        &mock,
        wiregen_runtime::mock::MOCK_ACCESS_KEY_ID,
        "not-the-secret",
    );
    let (code, status, problem) = refused(&mock, &client, "GetConversations", json!({})).await;
    assert_eq!((code.as_str(), status), ("SignatureDoesNotMatch", 400));
    assert!(problem.contains("canonical request"), "{problem}");
    // The right secret passes: the check is the signature, not something else.
    let ok = rdsai_client(
        &mock,
        wiregen_runtime::mock::MOCK_ACCESS_KEY_ID,
        wiregen_runtime::mock::MOCK_ACCESS_KEY_SECRET,
    );
    let op = mock.service().operation("GetConversations").expect("op");
    within(ok.send_bytes::<UnknownCode>(request(&ok, op, &BTreeMap::new())))
        .await
        .expect("accepted");
}

#[tokio::test]
async fn an_unknown_key_is_invalid_access_key_id_not_found() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let client = rdsai_client(&mock, "LTAI-someone-else", "x");
    let (code, status, problem) = refused(&mock, &client, "GetConversations", json!({})).await;
    assert_eq!(
        (code.as_str(), status),
        ("InvalidAccessKeyId.NotFound", 404)
    );
    assert!(problem.contains("LTAI-someone-else"), "{problem}");
}

#[tokio::test]
async fn sts_keys_need_their_token() {
    let server = rdsai::mock::Mock::builder()
        .access_key("STS.tmp", "tmp-secret")
        .security_token("the-token")
        .start()
        .await
        .expect("mock");
    let mock = rdsai::mock::Mock::from_server(server);
    let without = rdsai_client(&mock, "STS.tmp", "tmp-secret");
    let (code, _, problem) = refused(&mock, &without, "GetConversations", json!({})).await;
    assert_eq!(code, "InvalidAccessKeyId.NotFound");
    assert!(problem.contains("STS"), "{problem}");
    let wrong = rdsai::Client::new(
        Config::builder()
            .endpoint(mock.uri())
            .access_key("STS.tmp", "tmp-secret")
            .security_token("another-token")
            .retry(RetryPolicy::none())
            .build(),
    );
    let (code, _, _) = refused(&mock, wrong.runtime(), "GetConversations", json!({})).await;
    assert_eq!(code, "InvalidSecurityToken.MismatchWithAccessKey");
    // The mock's own client carries the token and passes.
    within(mock.client().get_conversations().send())
        .await
        .expect("accepted");
}

#[tokio::test]
async fn another_api_version_is_invalid_version() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let old: &'static ServiceInfo = Box::leak(Box::new(ServiceInfo {
        api_version: Some("2020-01-01"),
        ..rdsai::SERVICE
    }));
    let client =
        wiregen_runtime::Client::new(old, mock.config().retry(RetryPolicy::none()).build());
    let (code, status, problem) = refused(&mock, &client, "GetConversations", json!({})).await;
    assert_eq!((code.as_str(), status), ("InvalidVersion", 400));
    assert!(
        problem.contains("2020-01-01") && problem.contains("2025-05-07"),
        "{problem}"
    );
}

#[tokio::test]
async fn an_unknown_action_is_invalid_action_not_found() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let client = mock.client();
    let mut op = *mock.service().operation("GetConversations").expect("op");
    op.name = "getConversations";
    let req = client.runtime().request(info(&op));
    let err = within(client.runtime().send_bytes::<UnknownCode>(req))
        .await
        .expect_err("refused");
    let service = err.service().expect("service error");
    assert_eq!(
        (service.raw_code.as_str(), service.status),
        ("InvalidAction.NotFound", 404)
    );
    let log = mock.rejected();
    assert!(
        log[0]
            .to_string()
            .contains("did you mean `GetConversations`"),
        "{}",
        log[0]
    );
}

#[tokio::test]
async fn a_missing_required_parameter_is_missing_parameter() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let client = rdsai_client(
        &mock,
        wiregen_runtime::mock::MOCK_ACCESS_KEY_ID,
        wiregen_runtime::mock::MOCK_ACCESS_KEY_SECRET,
    );
    let (code, status, problem) = refused(
        &mock,
        &client,
        "ChatMessagesTaskStop",
        json!({"WorkspaceId": "ws-1"}),
    )
    .await;
    assert_eq!((code.as_str(), status), ("MissingParameter", 400));
    assert!(problem.contains("`TaskId`"), "{problem}");
}

#[tokio::test]
async fn types_enums_limits_json_strings_and_unknown_parameters_are_invalid_parameter() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let client = rdsai_client(
        &mock,
        wiregen_runtime::mock::MOCK_ACCESS_KEY_ID,
        wiregen_runtime::mock::MOCK_ACCESS_KEY_SECRET,
    );
    let query = "实例 rm-bp1";
    for (op, params, words) in [
        (
            "GetConversations",
            json!({"Limit": "ten"}),
            "must be a 32-bit integer",
        ),
        ("GetConversations", json!({"Limit": 101}), "at most 100"),
        ("GetConversations", json!({"Limit": 0}), "at least 1"),
        (
            "GetConversations",
            json!({"Pinned": "yes"}),
            "true or false",
        ),
        (
            "GetConversations",
            json!({"Bogus": "1"}),
            "`Bogus` is not a query parameter",
        ),
        (
            "ChatMessages",
            json!({"Query": query, "EventMode": "sideways"}),
            "one of inline, separate",
        ),
    ] {
        let (code, status, problem) = refused(&mock, &client, op, params.clone()).await;
        assert_eq!(
            (code.as_str(), status),
            ("InvalidParameter", 400),
            "{params}"
        );
        assert!(problem.contains(words), "{params}: {problem}");
    }
    // A JSON-string parameter whose text does not parse (sent as text, not through
    // `query_json`, as a hand-made client might).
    let op = mock.service().operation("ChatMessages").expect("op");
    let mut req = client.request(info(op));
    req.query("Query", query).query("Inputs", "{ModelId: qwen}");
    let err = within(client.send_bytes::<UnknownCode>(req))
        .await
        .expect_err("refused");
    assert_eq!(
        err.service().map(|s| s.raw_code.as_str()),
        Some("InvalidParameter")
    );
    let last = mock.requests().pop().expect("logged");
    assert!(last.to_string().contains("does not parse"), "{last}");
}

#[tokio::test]
async fn body_parameters_are_checked_too() {
    let mock = aicontent::mock::Mock::start().await.expect("mock");
    let client = mock.config().retry(RetryPolicy::none()).build();
    let client = aicontent::Client::new(client);
    let (code, _, problem) = refused(
        &mock,
        client.runtime(),
        "ModelRouterUpdateApiKeyStatus",
        json!({"id": "1024", "status": "paused"}),
    )
    .await;
    assert_eq!(code, "InvalidParameter");
    assert!(problem.contains("one of active, disabled"), "{problem}");
    let (code, _, problem) = refused(
        &mock,
        client.runtime(),
        "ModelRouterUpdateApiKeyStatus",
        json!({"id": "1024"}),
    )
    .await;
    assert_eq!(code, "MissingParameter");
    assert!(problem.contains("`status`"), "{problem}");
}

#[tokio::test]
async fn altatech_answers_with_its_own_codes() {
    let mock = altatech::mock::Mock::start().await.expect("mock");
    let wrong = altatech::Client::new(
        Config::builder()
            .endpoint(mock.uri())
            .bearer_token("app-wrong")
            .retry(RetryPolicy::none())
            .build(),
    );
    let (code, _, problem) =
        refused(&mock, wrong.runtime(), "GetConversationList", json!({})).await;
    assert_eq!(code, "40127");
    assert!(problem.contains("bearer key"), "{problem}");
}
