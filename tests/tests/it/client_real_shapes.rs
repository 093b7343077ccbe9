//! Operations of the real API that need the newer spec shapes, against a
//! local server: the exact request bytes the official SDKs send for the same
//! calls (recorded from `alibabacloud_rdsai20250507` 3.10.0 and
//! `alibabacloud_aicontent20240611` 7.10.0 against a loopback capture
//! server), and decoding of answers shaped like the SDKs' response models.
//!
//! Shapes: a text response (`response: text`), a raw-bytes response, a
//! whole-body parameter, JSON bodies with path parameters and nested
//! objects, insertion-ordered free-form JSON, floats in the query.

use std::future::Future;
use std::time::Duration;

use crate::support::acs3::{self, EMPTY_SHA256};
use crate::support::seen::Seen;
use crate::support::server::{
    self, KEY_ID, SECRET, acs_config, example, json, only_request, response_body, serving,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every call of these tests is local; none may hang the suite.
async fn within<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the local call finished within 20 s")
}

/// A server answering any request with `template`.
async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// A request with a JSON body, as the SDK sends it: the body bytes exactly,
/// `content-type`, the payload hash the SDK computed over the same bytes, and
/// a signature over all of it.
fn assert_json_body(seen: &Seen, body: &str, sdk_sha256: &str) {
    assert_eq!(
        String::from_utf8_lossy(&seen.body),
        body,
        "body bytes differ from the SDK's"
    );
    assert_eq!(
        seen.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(acs3::sha256_hex(&seen.body), sdk_sha256);
    assert_eq!(seen.header("x-acs-content-sha256"), Some(sdk_sha256));
    acs3::assert_signed(seen, KEY_ID, SECRET);
}

fn assert_headers(seen: &Seen, method: &str, path: &str, action: &str, version: &str) {
    assert_eq!(seen.method, method);
    assert_eq!(seen.path, path, "path exactly as the SDK sends it");
    assert_eq!(seen.header("x-acs-action"), Some(action));
    assert_eq!(seen.header("x-acs-version"), Some(version));
}

// ---- RdsAi ChatMessagesTaskStop: RPC, query only -------------------------

#[tokio::test]
async fn chat_messages_task_stop_sends_the_sdks_query_and_decodes() {
    let ex = example("rdsai", "ChatMessagesTaskStop", "stopped");
    let server = serving("POST", "/", 200, response_body(&ex)).await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let answer = within(
        client
            .chat_messages_task_stop("task-9f 1/a")
            .workspace_id("ws-1")
            .send(),
    )
    .await
    .expect("decodes");
    let seen = only_request(&server).await;
    server::assert_acs_request(
        &seen,
        &server.uri(),
        "POST",
        "/",
        "ChatMessagesTaskStop",
        "2025-05-07",
        "rdsai",
    );
    // SDK: POST /?TaskId=task-9f+1%2Fa&WorkspaceId=ws-1, empty body.
    assert_eq!(seen.raw_query, "TaskId=task-9f+1%2Fa&WorkspaceId=ws-1");
    assert_eq!(
        answer.request_id.as_deref(),
        Some("0A7D5B2C-1F2E-4C3D-9E8F-7A6B5C4D3E2F")
    );
    assert_eq!(answer.result.as_deref(), Some("success"));
}

// ---- RdsAi CreateApiKey: floats in the query ------------------------------

#[tokio::test]
async fn create_api_key_sends_floats_as_the_sdk_does() {
    let ex = example("rdsai", "CreateApiKey", "two-keys");
    let server = serving("POST", "/", 200, response_body(&ex)).await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let answer = within(
        client
            .create_api_key()
            .daily_token_quota(100000)
            .instance_id("rm-bp1")
            .key_name("团队 key")
            .limit_rate(1.0)
            .limit_type("ratio")
            .quantity(2)
            .token_quota(5000000)
            .send(),
    )
    .await
    .expect("decodes");
    // The SDK's bytes for the same call (`LimitRate=1.0`, not `1`).
    let seen = only_request(&server).await;
    assert_eq!(
        seen.raw_query,
        "DailyTokenQuota=100000&InstanceId=rm-bp1&KeyName=%E5%9B%A2%E9%98%9F+key&LimitRate=1.0\
         &LimitType=ratio&Quantity=2&TokenQuota=5000000"
    );
    server::assert_acs_request(
        &seen,
        &server.uri(),
        "POST",
        "/",
        "CreateApiKey",
        "2025-05-07",
        "rdsai",
    );

    let data = answer.data.expect("Data");
    assert_eq!(
        data.base_url.as_deref(),
        Some("https://rdsai.example.com/v1")
    );
    assert_eq!(data.system_api_key.as_deref(), Some("sk-sys-1"));
    let keys = data.custom_key_list.expect("CustomKeyList");
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].api_key.as_deref(), Some("sk-1"));
    assert_eq!(keys[0].daily_token_quota, Some(100000));
    assert_eq!(keys[0].limit_rate, Some(12.5));
    assert_eq!(keys[0].role_arn.as_deref(), Some("acs:ram::1:role/r"));
    assert_eq!(keys[0].token_quota, Some(5000000));
    assert_eq!(keys[1].limit_rate, Some(1.0));
    assert_eq!(keys[1].daily_token_quota, None);
    assert_eq!(answer.success, Some(true));
    assert_eq!(answer.request_id.as_deref(), Some("B1C2"));

    // The other float renderings the SDK was observed to send (Python `str(float)`).
    for (rate, raw) in [
        (12.5, "LimitRate=12.5"),
        (1e16, "LimitRate=1e%2B16"),
        (0.0001, "LimitRate=0.0001"),
        (0.00001, "LimitRate=1e-05"),
    ] {
        let prepared = client
            .create_api_key()
            .limit_rate(rate)
            .prepare()
            .expect("prepares");
        let query = prepared.url.split_once('?').map(|(_, q)| q);
        assert_eq!(query, Some(raw), "{rate}");
    }
}

// ---- AiContent ModelRouterChatCompletions: the parameter IS the body ------

#[tokio::test]
async fn chat_completions_sends_the_callers_object_as_the_whole_body_in_order() {
    let ex = example("aicontent", "ModelRouterChatCompletions", "completion");
    let path = "/api/v1/modelRouter/open/chat/completions";
    let server = serving("POST", path, 200, response_body(&ex)).await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    // Members deliberately not in alphabetical order: the SDK keeps the dict's order.
    let body = serde_json::json!({
        "model": "qwen-plus",
        "messages": [{"role": "user", "content": "你好 & 再见"}],
        "temperature": 0.7,
        "stream": false,
        "max_tokens": null
    });
    let answer = within(client.model_router_chat_completions(body).send())
        .await
        .expect("decodes");
    let seen = only_request(&server).await;
    assert_headers(
        &seen,
        "POST",
        path,
        "ModelRouterChatCompletions",
        "20240611",
    );
    assert_eq!(seen.raw_query, "");
    assert_json_body(
        &seen,
        r#"{"model":"qwen-plus","messages":[{"role":"user","content":"你好 & 再见"}],"temperature":0.7,"stream":false,"max_tokens":null}"#,
        "34422bdfeaa086e40a97496b9f98de01141ff641ccbd1758d0b1a04d07aa3fd5",
    );

    assert_eq!(answer.success, Some(true));
    assert_eq!(answer.http_status_code, Some(200));
    assert_eq!(answer.request_id.as_deref(), Some("R-1"));
    assert_eq!(answer.err_code, None);
    let data = answer.data.expect("data");
    assert_eq!(
        data["choices"][0]["message"]["content"],
        serde_json::json!("你好！")
    );
    assert_eq!(data["usage"]["total_tokens"], serde_json::json!(12));
    // Free-form data keeps the service's member order too.
    let keys: Vec<&str> = data
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "object", "model", "choices", "usage"]);
}

// ---- AiContent PersonalizedTextToImageQueryImageAsset: a text response ----

const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

#[tokio::test]
async fn query_image_asset_returns_the_text_body_as_it_comes() {
    let ex = example(
        "aicontent",
        "PersonalizedTextToImageQueryImageAsset",
        "base64-image",
    );
    assert_eq!(response_body(&ex), PNG_BASE64);
    let path = "/api/v1/personalizedtxt2img/queryImageAssetFromImageId";
    // Not JSON, and served as text: `send` must not try to decode it.
    let server = answering(
        ResponseTemplate::new(200).set_body_raw(PNG_BASE64.as_bytes().to_vec(), "text/plain"),
    )
    .await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    let text = within(
        client
            .personalized_text_to_image_query_image_asset("img-42")
            .encode_format("base64")
            .send(),
    )
    .await
    .expect("a text body is the answer");
    assert_eq!(text, PNG_BASE64);
    let seen = only_request(&server).await;
    server::assert_acs_request(
        &seen,
        &server.uri(),
        "GET",
        path,
        "PersonalizedTextToImageQueryImageAsset",
        "20240611",
        "aicontent",
    );
    // SDK: GET ...?encodeFormat=base64&imageId=img-42
    assert_eq!(seen.raw_query, "encodeFormat=base64&imageId=img-42");

    // Text that happens to look like JSON, an empty body and unicode come back verbatim.
    for body in ["{\"not\": \"decoded\"}", "", "图像 data\r\n"] {
        let server = answering(
            ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json"),
        )
        .await;
        let client = aicontent::Client::new(acs_config(&server.uri()));
        let text = within(
            client
                .personalized_text_to_image_query_image_asset("img-42")
                .send(),
        )
        .await
        .expect("text");
        assert_eq!(text, body);
    }
}

#[tokio::test]
async fn text_responses_still_recognise_error_bodies_and_reject_non_utf8() {
    let server = answering(json(
        404,
        r#"{"RequestId":"R-404","Code":"ImageNotFound","Message":"no such image"}"#,
    ))
    .await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    match within(
        client
            .personalized_text_to_image_query_image_asset("img-0")
            .send(),
    )
    .await
    {
        Err(aicontent::Error::Service(e)) => {
            assert_eq!((e.status, e.raw_code.as_str()), (404, "ImageNotFound"));
            assert_eq!(e.request_id.as_deref(), Some("R-404"));
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    // The AiContent failure envelope on HTTP 200 is an error for text operations too.
    let server = answering(json(
        200,
        r#"{"success":false,"errCode":"NoAuth","errMessage":"denied","httpStatusCode":403}"#,
    ))
    .await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    match within(
        client
            .personalized_text_to_image_query_image_asset("img-0")
            .send(),
    )
    .await
    {
        Err(aicontent::Error::Service(e)) => assert_eq!(e.raw_code, "NoAuth"),
        other => panic!("expected the envelope's error, got {other:?}"),
    }
    let server =
        answering(ResponseTemplate::new(200).set_body_raw(b"ab\xff\xfecd".to_vec(), "text/plain"))
            .await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    match within(
        client
            .personalized_text_to_image_query_image_asset("img-0")
            .send(),
    )
    .await
    {
        Err(aicontent::Error::Decode(e)) => {
            assert!(e.to_string().contains("not valid UTF-8"), "{e}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

// ---- raw bytes (runtime level: no real operation of the two SDKs uses it) --

#[tokio::test]
async fn bytes_responses_are_returned_untouched() {
    static SERVICE: wiregen_runtime::ServiceInfo = wiregen_runtime::ServiceInfo {
        name: "blobs",
        protocol: wiregen_runtime::Protocol::AlibabaRoa,
        api_version: Some("20240611"),
        default_endpoint: "https://blobs.invalid",
        regional_endpoints: &[],
        region_template: None,
        auth: wiregen_runtime::AuthScheme::Acs3HmacSha256,
        error_shapes: &[wiregen_runtime::ErrorShape::Alibaba],
        user_agent: "blobs/0.1.0",
    };
    static OP: wiregen_runtime::OperationInfo = wiregen_runtime::OperationInfo {
        name: "GetBlob",
        method: wiregen_runtime::Method::Get,
        path: "/blob",
        idempotent: true,
    };
    let bytes: Vec<u8> = (0..=255u8)
        .chain([0x89, b'P', b'N', b'G', 0, 0xff])
        .collect();
    let server = answering(
        ResponseTemplate::new(200).set_body_raw(bytes.clone(), "application/octet-stream"),
    )
    .await;
    let client = wiregen_runtime::Client::new(&SERVICE, acs_config(&server.uri()));
    let got = within(client.send_bytes::<wiregen_runtime::UnknownCode>(client.request(&OP)))
        .await
        .expect("bytes");
    assert_eq!(got, bytes);
    let seen = only_request(&server).await;
    assert_eq!(seen.header("x-acs-content-sha256"), Some(EMPTY_SHA256));
}

// ---- AiContent ModelRouterUpdateApiKeyStatus: path parameter + JSON body --

#[tokio::test]
async fn update_api_key_status_encodes_the_path_and_sends_the_body() {
    let ex = example("aicontent", "ModelRouterUpdateApiKeyStatus", "disabled");
    let server = answering(json(200, response_body(&ex))).await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    let answer = within(
        client
            .model_router_update_api_key_status(
                "key/7 é",
                aicontent::models::ApiKeyStatus::Disabled,
            )
            .send(),
    )
    .await
    .expect("decodes");
    let seen = only_request(&server).await;
    // SDK: PUT /api/v1/modelRouter/open/apikeys/key%2F7%20%C3%A9/status, {"status":"disabled"}
    assert_headers(
        &seen,
        "PUT",
        "/api/v1/modelRouter/open/apikeys/key%2F7%20%C3%A9/status",
        "ModelRouterUpdateApiKeyStatus",
        "20240611",
    );
    assert_json_body(
        &seen,
        r#"{"status":"disabled"}"#,
        "38b904a1cf83df048360fb2480571b749fd98d57e11f1afdffb5a74a78166fea",
    );
    assert_eq!(answer.code, Some(200));
    assert_eq!(answer.success, Some(true));
    assert_eq!(answer.message.as_deref(), Some("success"));
    let data = answer.data.expect("data");
    assert_eq!(data.id, Some(1024));
    assert_eq!(data.status, Some(aicontent::models::ApiKeyStatus::Disabled));
}

// ---- AiContent ModelRouterCreateUser: nested request objects --------------

#[tokio::test]
async fn create_user_sends_nested_objects_as_the_sdk_does() {
    use aicontent::models::DepartmentRoleCmd;
    let ex = example("aicontent", "ModelRouterCreateUser", "created");
    let path = "/api/v1/modelRouter/open/users";
    let server = serving("POST", path, 200, response_body(&ex)).await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    let answer = within(
        client
            .model_router_create_user("13800000000", "张三")
            .department_roles(vec![
                DepartmentRoleCmd::new()
                    .with_client_id(12)
                    .with_role_code("admin"),
                DepartmentRoleCmd::new().with_role_code("member"),
            ])
            .phone("13800000000")
            .send(),
    )
    .await
    .expect("decodes");
    let seen = only_request(&server).await;
    assert_headers(&seen, "POST", path, "ModelRouterCreateUser", "20240611");
    assert_json_body(
        &seen,
        r#"{"departmentRoles":[{"clientId":12,"roleCode":"admin"},{"roleCode":"member"}],"loginName":"13800000000","name":"张三","phone":"13800000000"}"#,
        "92472d0d263004dd9abe11fb54ad3bdb97cdbe941ab4055b23e22ea16fc860b1",
    );
    assert_eq!(answer.data.and_then(|d| d.user_id), Some(9001));
    assert_eq!(answer.success, Some(true));
    assert_eq!(answer.http_status_code, Some(200));
    assert_eq!(answer.request_id.as_deref(), Some("R-3"));
    assert_eq!(answer.err_code, None);
}
