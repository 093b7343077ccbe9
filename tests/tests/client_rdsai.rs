//! The generated `rdsai` client (Alibaba RPC, ACS3) against a local HTTP
//! server: what goes on the wire, how answers and errors decode, pagination
//! and server-sent events.

mod support;

use std::time::Duration;

use futures::StreamExt;
use rdsai::errors::{ChatMessagesErrorCode, GetConversationsErrorCode, GetMessagesErrorCode};
use rdsai::models::{
    ChatMessagesFile, ChatMessagesInputs, ConversationStatus, EventMode, Feedback, FileType,
    ToolApprovalMode, TransferMethod,
};
use support::acs3;
use support::seen::Seen;
use support::server::{
    self, AWKWARD, AWKWARD_FORM, acs_config, example, json, only_request, param_i64, param_str,
    received, serving,
};
use wiremock::matchers::{method, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VERSION: &str = "2025-05-07";

async fn serve(status: u16, body: &str) -> (MockServer, rdsai::Client) {
    let server = serving("POST", "/", status, body).await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    (server, client)
}

fn assert_rpc(seen: &Seen, uri: &str, action: &str) {
    server::assert_acs_request(seen, uri, "POST", "/", action, VERSION, "rdsai");
}

/// The checker reproduces Alibaba's published V3 worked example (api-facts 11.1),
/// so a mismatch in the client tests below is the client's fault.
#[test]
fn checker_reproduces_the_official_v3_example() {
    let seen = Seen {
        method: "POST".into(),
        path: "/".into(),
        raw_query: String::new(),
        query: vec![
            ("ImageId".into(), "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd".into()),
            ("RegionId".into(), "cn-shanghai".into()),
        ],
        headers: [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", acs3::EMPTY_SHA256),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
            ("authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        body: Vec::new(),
    };
    let auth =
        acs3::parse_authorization(seen.header("authorization").unwrap_or_default()).expect("ACS3");
    let canonical = acs3::canonical_request(&seen, &auth.signed_headers);
    assert_eq!(
        acs3::sha256_hex(canonical.as_bytes()),
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    acs3::assert_signed(&seen, "YourAccessKeyId", "YourAccessKeySecret");
    assert_eq!(
        acs3::unix_seconds("2023-10-26T10:22:32Z"),
        Some(1_698_315_752)
    );
    assert_eq!(
        acs3::unix_seconds("2000-02-29T23:59:59Z"),
        Some(951_868_799)
    );
    // Negative control: a tampered query value must change the recomputed signature.
    let mut tampered = seen.clone();
    tampered.query[1].1 = "cn-hangzhou".into();
    let (recomputed, claimed) = acs3::recompute(&tampered, "YourAccessKeySecret");
    assert_ne!(recomputed, claimed);
}

#[tokio::test]
async fn get_conversations_doc_sample_on_the_wire_and_decoded() {
    let ex = example("rdsai", "GetConversations", "doc-sample");
    let (server, client) = serve(200, server::response_body(&ex)).await;
    let response = client
        .get_conversations()
        .last_id(param_str(&ex, "LastId"))
        .limit(param_i64(&ex, "Limit") as i32)
        .pinned(true)
        .sort_by(param_str(&ex, "SortBy"))
        .workspace_id("ws-2ze1m7qk8d****")
        .send()
        .await
        .expect("doc sample decodes");

    let seen = only_request(&server).await;
    assert_rpc(&seen, &server.uri(), "GetConversations");
    seen.assert_query(&[
        ("LastId", "77be60cd-237b-4ca9-9c46-48b663cb****"),
        ("Limit", "10"),
        ("Pinned", "true"),
        ("SortBy", "CreatedAt"),
        ("WorkspaceId", "ws-2ze1m7qk8d****"),
    ]);
    // `*` is not left bare on the wire (form encoding: `%2A`).
    assert_eq!(
        seen.raw_query_value("LastId"),
        Some("77be60cd-237b-4ca9-9c46-48b663cb%2A%2A%2A%2A")
    );

    assert_eq!(
        response.request_id.as_deref(),
        Some("FE9C65D7-930F-57A5-A207-8C396329****")
    );
    assert_eq!(response.has_more, Some(true));
    assert_eq!(response.limit, Some(100));
    let data = response.data.expect("Data");
    assert_eq!(data.len(), 1);
    assert_eq!(
        data[0].id.as_deref(),
        Some("60b335ca-124d-4ee1-864b-de554987****")
    );
    assert_eq!(data[0].name.as_deref(), Some(""));
    assert_eq!(
        data[0].created_at.map(|t| t.0),
        Some(1_764_055_092),
        "numeric CreatedAt"
    );
}

#[tokio::test]
async fn get_conversations_decodes_every_field_string_forms_and_unknown_fields() {
    let ex = example("rdsai", "GetConversations", "all-fields-sdk-types");
    let body = server::with_unknown_fields(server::response_body(&ex), &["Data"]);
    let (_server, client) = serve(200, &body).await;
    let response = client.get_conversations().send().await.expect("decodes");
    assert_eq!(response.has_more, Some(true), "HasMore \"true\"");
    assert_eq!(response.limit, Some(2));
    assert_eq!(
        response.request_id.as_deref(),
        Some("0A1B2C3D-4E5F-6789-ABCD-EF0123456789")
    );
    let data = response.data.expect("Data");
    assert_eq!(data.len(), 2);
    let first = &data[0];
    assert_eq!(
        first.id.as_deref(),
        Some("3f1e2d4c-5b6a-4789-8abc-def012345678")
    );
    assert_eq!(
        first.name.as_deref(),
        Some("Disk usage of rm-bp14as9914vd3****")
    );
    assert_eq!(
        first.introduction.as_deref(),
        Some("Checks whether the instance needs more storage.")
    );
    assert_eq!(
        first.created_at.map(|t| t.0),
        Some(1_764_055_092),
        "CreatedAt as a string"
    );
    assert_eq!(first.updated_at.map(|t| t.0), Some(1_764_058_692));
    assert_eq!(first.is_running, Some(false));
    assert_eq!(first.status, Some(ConversationStatus::Idle));
    assert_eq!(data[1].is_running, Some(true));
    assert_eq!(data[1].status, Some(ConversationStatus::PendingApproval));
}

#[tokio::test]
async fn query_values_are_form_encoded_and_signed_decoded() {
    let (server, client) = serve(200, r#"{"RequestId":"r","Data":[],"HasMore":false}"#).await;
    client
        .get_conversations()
        .sort_by(AWKWARD)
        .send()
        .await
        .expect("sent");
    let seen = only_request(&server).await;
    assert_eq!(
        seen.raw_query_value("SortBy"),
        Some(AWKWARD_FORM),
        "raw query: {}",
        seen.raw_query
    );
    assert_eq!(
        seen.query_map().get("SortBy").map(String::as_str),
        Some(AWKWARD)
    );
    assert_rpc(&seen, &server.uri(), "GetConversations");

    // Negative control: the checker notices a changed value.
    let mut tampered = seen.clone();
    for (k, v) in &mut tampered.query {
        if k == "SortBy" {
            v.push('!');
        }
    }
    let (recomputed, claimed) = acs3::recompute(&tampered, server::SECRET);
    assert_ne!(recomputed, claimed, "a tampered query must not verify");
}

#[tokio::test]
async fn empty_optional_parameters_are_not_sent() {
    let (server, client) = serve(200, r#"{"Data":[]}"#).await;
    client.get_conversations().send().await.expect("sent");
    let seen = only_request(&server).await;
    seen.assert_query(&[]);
    assert_rpc(&seen, &server.uri(), "GetConversations");
}

#[tokio::test]
async fn get_messages_on_the_wire_and_every_field_decoded() {
    let ex = example("rdsai", "GetMessages", "all-fields");
    let body = server::with_unknown_fields(server::response_body(&ex), &["Data"]);
    let (server, client) = serve(200, &body).await;
    let response = client
        .get_messages()
        .conversation_id(param_str(&ex, "ConversationId"))
        .first_id(param_str(&ex, "FirstId"))
        .limit(param_i64(&ex, "Limit") as i32)
        .event_mode(EventMode::Separate)
        .workspace_id(param_str(&ex, "WorkspaceId"))
        .send()
        .await
        .expect("decodes");
    let seen = only_request(&server).await;
    assert_rpc(&seen, &server.uri(), "GetMessages");
    seen.assert_query(&[
        ("ConversationId", "9cbbe885-b240-4803-9d15-6781a3fd****"),
        ("EventMode", "separate"),
        ("FirstId", "84dc9f9b-424a-404d-9c36-35e9d000****"),
        ("Limit", "1"),
        ("WorkspaceId", "ws-2ze1m7qk8d****"),
    ]);

    assert_eq!(response.has_more, Some(false));
    assert_eq!(response.limit, Some(1));
    assert_eq!(
        response.request_id.as_deref(),
        Some("7C1E3A52-90B4-4F1D-8E62-3B5A9D0C1F27")
    );
    let data = response.data.expect("Data");
    let m = &data[0];
    assert_eq!(
        m.id.as_deref(),
        Some("5e0c2b8a-7d41-4f96-a3e2-1b9c8d7e6f50")
    );
    assert_eq!(
        m.conversation_id.as_deref(),
        Some("9cbbe885-b240-4803-9d15-6781a3fd****")
    );
    assert_eq!(
        m.query.as_deref(),
        Some("Expand the storage of rm-bp14as9914vd3****")
    );
    assert_eq!(
        m.answer.as_deref(),
        Some("The storage change needs your approval.")
    );
    assert_eq!(m.created_at.map(|t| t.0), Some(1_763_986_100));
    assert_eq!(m.feedback, Some(Feedback::Dislike));
    assert_eq!(m.generation_started_at.as_deref(), Some("1763986100"));
    assert_eq!(m.generation_finished_at.as_deref(), Some("1763986107"));
    assert_eq!(m.generation_status.as_deref(), Some("finished"));
    assert_eq!(m.last_sent_entry_id.as_deref(), Some("1763986107123-0"));
    assert_eq!(
        m.stream_key.as_deref(),
        Some("rdsai:stream:5e0c2b8a-7d41-4f96-a3e2-1b9c8d7e6f50")
    );
    let file = &m.message_files.as_ref().expect("MessageFiles")[0];
    assert_eq!(
        file.id.as_deref(),
        Some("f0e1d2c3-b4a5-4968-8776-655443322110")
    );
    assert_eq!(file.r#type, Some(FileType::Image));
    assert_eq!(
        file.preview_url.as_deref(),
        Some("https://example.com/preview/f0e1d2c3.png")
    );
    assert_eq!(
        file.upload_file_id.as_deref(),
        Some("72fa9618-8f89-4a37-9b33-7e1178a24a67")
    );
    let resources = m.retriever_resources.as_ref().expect("RetrieverResources");
    assert_eq!(resources[0]["dataset_name"], "rds-docs");
    let event = &m.events.as_ref().expect("Events")[0];
    assert_eq!(event.event.as_deref(), Some("tool_call"));
    assert_eq!(event.answer.as_deref(), Some(""));
    assert_eq!(event.call_id.as_deref(), Some("call-0001"));
    assert_eq!(event.round_id.as_deref(), Some("round-0001"));
    assert_eq!(
        event.conversation_id.as_deref(),
        Some("9cbbe885-b240-4803-9d15-6781a3fd****")
    );
    assert_eq!(
        event.message_id.as_deref(),
        Some("5e0c2b8a-7d41-4f96-a3e2-1b9c8d7e6f50")
    );
    assert_eq!(event.tool_name.as_deref(), Some("ModifyDBInstanceSpec"));
    let args = event.tool_arguments.as_ref().expect("ToolArguments");
    assert_eq!(args["DBInstanceStorage"], 200);
    assert_eq!(args["DryRun"], false);
    assert_eq!(
        event.description.as_deref(),
        Some("Expand the storage to 200 GB.")
    );
    assert_eq!(event.approval_status.as_deref(), Some("pending"));
}

#[tokio::test]
async fn get_messages_doc_sample_decodes() {
    let ex = example("rdsai", "GetMessages", "doc-sample");
    let (server, client) = serve(200, server::response_body(&ex)).await;
    let response = client
        .get_messages()
        .conversation_id(param_str(&ex, "ConversationId"))
        .first_id(param_str(&ex, "FirstId"))
        .limit(param_i64(&ex, "Limit") as i32)
        .send()
        .await
        .expect("doc sample decodes");
    only_request(&server).await.assert_query(&[
        ("ConversationId", "941c6f59-acf5-4e11-9adc-31e52e1f****"),
        ("FirstId", "038866af-a050-4bc5-bfad-b7bfc838****"),
        ("Limit", "10"),
    ]);
    assert_eq!(response.has_more, Some(true));
    let m = &response.data.expect("Data")[0];
    assert_eq!(
        m.created_at.map(|t| t.0),
        Some(1_763_986_004),
        "CreatedAt \"1763986004\""
    );
    assert_eq!(m.feedback, Some(Feedback::Like));
    assert!(
        m.answer
            .as_deref()
            .is_some_and(|a| a.starts_with("您询问的实例"))
    );
    assert_eq!(m.retriever_resources.as_ref().map(Vec::len), Some(1));
}

#[tokio::test]
async fn chat_messages_sends_inputs_and_files_as_compact_json() {
    let ex = example("rdsai", "ChatMessages", "all-fields-tool-approval");
    let (server, client) = serve(200, server::response_body(&ex)).await;
    let inputs = ChatMessagesInputs::new()
        .with_custom_agent_id("agent-7f3a****")
        .with_enable_thinking("false")
        .with_language("中文 (简体)")
        .with_model_id("qwen-max")
        .with_tool_approval_mode(ToolApprovalMode::Manual);
    let files = vec![
        ChatMessagesFile::new()
            .with_transfer_method(TransferMethod::LocalFile)
            .with_type(FileType::Document)
            .with_upload_file_id("72fa9618-8f89-4a37-9b33-7e1178a24a67"),
        ChatMessagesFile::new()
            .with_transfer_method(TransferMethod::RemoteUrl)
            .with_type(FileType::Image),
    ];
    let response = client
        .chat_messages(param_str(&ex, "Query"))
        .conversation_id(param_str(&ex, "ConversationId"))
        .parent_message_id(param_str(&ex, "ParentMessageId"))
        .event_mode(EventMode::Separate)
        .inputs(inputs)
        .files(files)
        .send()
        .await
        .expect("decodes");

    let seen = only_request(&server).await;
    assert_rpc(&seen, &server.uri(), "ChatMessages");
    seen.assert_query(&[
        ("ConversationId", "9cbbe885-b240-4803-9d15-6781a3fd****"),
        ("EventMode", "separate"),
        (
            "Files",
            r#"[{"TransferMethod":"local_file","Type":"document","UploadFileId":"72fa9618-8f89-4a37-9b33-7e1178a24a67"},{"TransferMethod":"remote_url","Type":"image"}]"#,
        ),
        (
            "Inputs",
            r#"{"CustomAgentId":"agent-7f3a****","EnableThinking":"false","Language":"中文 (简体)","ModelId":"qwen-max","ToolApprovalMode":"manual"}"#,
        ),
        ("ParentMessageId", "84dc9f9b-424a-404d-9c36-35e9d000****"),
        ("Query", "Expand the storage of rm-bp14as9914vd3**** to 200 GB"),
    ]);
    // Raw UTF-8 inside the JSON (not `\u` escapes), then form-encoded.
    assert!(
        seen.raw_query_value("Inputs")
            .is_some_and(|v| v
                .contains("%22Language%22%3A%22%E4%B8%AD%E6%96%87+%28%E7%AE%80%E4%BD%93%29%22")),
        "raw Inputs: {:?}",
        seen.raw_query_value("Inputs")
    );

    assert_eq!(response.event.as_deref(), Some("tool_call"));
    assert_eq!(
        response.request_id.as_deref(),
        Some("3B9D2C1A-6E5F-4A7B-8C9D-0E1F2A3B4C5D")
    );
    assert_eq!(
        response.conversation_id.as_deref(),
        Some("9cbbe885-b240-4803-9d15-6781a3fd****")
    );
    assert_eq!(
        response.message_id.as_deref(),
        Some("5e0c2b8a-7d41-4f96-a3e2-1b9c8d7e6f50")
    );
    assert_eq!(
        response.id.as_deref(),
        Some("5e0c2b8a-7d41-4f96-a3e2-1b9c8d7e6f50")
    );
    assert_eq!(
        response.task_id.as_deref(),
        Some("c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f")
    );
    assert_eq!(response.mode.as_deref(), Some("advanced-chat"));
    assert_eq!(response.created_at.map(|t| t.0), Some(1_763_986_100));
    assert_eq!(response.call_id.as_deref(), Some("call-0001"));
    assert_eq!(response.round_id.as_deref(), Some("round-0001"));
    assert_eq!(response.tool_name.as_deref(), Some("ModifyDBInstanceSpec"));
    assert_eq!(
        response
            .tool_arguments
            .as_ref()
            .map(|a| a["DBInstanceStorage"].clone()),
        Some(serde_json::json!(200))
    );
    assert_eq!(
        response.description.as_deref(),
        Some("Expand the storage to 200 GB.")
    );
    assert_eq!(response.approval_status.as_deref(), Some("pending"));
    assert_eq!(response.answer.as_deref(), Some(""));
}

#[tokio::test]
async fn chat_messages_doc_sample_with_unicode_query() {
    let ex = example("rdsai", "ChatMessages", "doc-sample");
    let (server, client) = serve(200, server::response_body(&ex)).await;
    let response = client
        .chat_messages(param_str(&ex, "Query"))
        .conversation_id(param_str(&ex, "ConversationId"))
        .parent_message_id(param_str(&ex, "ParentMessageId"))
        .send()
        .await
        .expect("doc sample decodes");
    let seen = only_request(&server).await;
    assert_rpc(&seen, &server.uri(), "ChatMessages");
    assert_eq!(
        seen.query_map().get("Query"),
        Some(&param_str(&ex, "Query"))
    );
    assert_eq!(
        seen.raw_query_value("Query"),
        Some(
            "%E5%AE%9E%E4%BE%8Brm-bp14as9914vd3%2A%2A%2A%2A+%E7%A3%81%E7%9B%98%E4%BD%BF%E7%94%A8%E7%8E%87%2C%E6%98%AF%E5%90%A6%E9%9C%80%E8%A6%81%E6%89%A9%E5%AE%B9"
        )
    );
    assert_eq!(response.event.as_deref(), Some("MysqlIOException"));
    assert_eq!(response.created_at.map(|t| t.0), Some(1_763_986_004));
    assert_eq!(
        response.task_id.as_deref(),
        Some("01c3d43d-9466-4bd5-8196-4cbbce08****")
    );
}

#[tokio::test]
async fn alibaba_error_body_becomes_the_operations_error_code() {
    let ex = example("rdsai", "GetConversations", "invalid-parameter");
    let (_server, client) = serve(ex.status.unwrap_or(400), server::response_body(&ex)).await;
    let err = client
        .get_conversations()
        .limit(100)
        .send()
        .await
        .expect_err("400 is an error");
    let service = err
        .service()
        .unwrap_or_else(|| panic!("expected a service error, got {err:?}"));
    assert_eq!(service.status, 400);
    assert_eq!(service.code, GetConversationsErrorCode::InvalidParameter);
    assert_eq!(service.raw_code, "InvalidParameter");
    assert_eq!(service.message, "The provided parameter is invalid.");
    assert_eq!(
        service.request_id.as_deref(),
        Some("FE9C65D7-930F-57A5-A207-8C396329****")
    );
    assert_eq!(service.host_id.as_deref(), Some("rdsai.aliyuncs.com"));
    assert!(
        service.recommend.as_deref().is_some_and(
            |r| r.starts_with("https://api.aliyun.com/troubleshoot?q=InvalidParameter")
        )
    );
    assert!(
        service.body.contains("\"Code\":\"InvalidParameter\""),
        "raw body kept"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn not_found_and_throttling_codes() {
    let ex = example("rdsai", "GetMessages", "user-not-found");
    let (_server, client) = serve(404, server::response_body(&ex)).await;
    let err = client
        .get_messages()
        .conversation_id(param_str(&ex, "ConversationId"))
        .send()
        .await
        .expect_err("404");
    assert_eq!(err.code(), Some(&GetMessagesErrorCode::UserNotFound));
    assert_eq!(err.service().map(|s| s.status), Some(404));

    let ex = example("rdsai", "ChatMessages", "too-many-requests");
    let (server, client) = serve(ex.status.unwrap_or(429), server::response_body(&ex)).await;
    let err = client.chat_messages("Hello").send().await.expect_err("429");
    assert_eq!(err.code(), Some(&ChatMessagesErrorCode::TooManyRequests));
    assert_eq!(err.service().map(|s| s.status), Some(429));
    assert!(err.is_retryable(), "TooManyRequests is retryable");
    assert_eq!(
        received(&server).await.len(),
        1,
        "retries are off in this config"
    );
}

#[tokio::test]
async fn unknown_code_goes_to_the_catch_all() {
    let body = r#"{"RequestId":"A-1","HostId":"rdsai.aliyuncs.com","Code":"Brand.New.Code","Message":"Something new"}"#;
    let (_server, client) = serve(403, body).await;
    let err = client.get_conversations().send().await.expect_err("403");
    assert_eq!(
        err.code(),
        Some(&GetConversationsErrorCode::Unknown(
            "Brand.New.Code".to_owned()
        ))
    );
    assert_eq!(
        err.service().map(|s| s.message.as_str()),
        Some("Something new")
    );
}

#[tokio::test]
async fn xml_error_body_is_decoded() {
    let server = MockServer::start().await;
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <RequestId>B2C3-XML</RequestId>\n  <HostId>rdsai.aliyuncs.com</HostId>\n  <Code>UserNotFound</Code>\n  <Message>User does not exist.</Message>\n  <Recommend>https://api.aliyun.com/troubleshoot?q=UserNotFound</Recommend>\n</Error>\n";
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(xml.as_bytes().to_vec(), "text/xml;charset=utf-8"),
        )
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let err = client.get_conversations().send().await.expect_err("404");
    let service = err
        .service()
        .unwrap_or_else(|| panic!("expected a service error, got {err:?}"));
    assert_eq!(service.code, GetConversationsErrorCode::UserNotFound);
    assert_eq!(service.message, "User does not exist.");
    assert_eq!(service.request_id.as_deref(), Some("B2C3-XML"));
    assert_eq!(service.host_id.as_deref(), Some("rdsai.aliyuncs.com"));
    assert_eq!(
        service.recommend.as_deref(),
        Some("https://api.aliyun.com/troubleshoot?q=UserNotFound")
    );
}

fn conversations_page(ids: &[&str], has_more: serde_json::Value) -> String {
    let data: Vec<_> = ids.iter().map(|id| serde_json::json!({"Id": id, "Name": format!("conv {id}"), "CreatedAt": 1_764_055_092})).collect();
    serde_json::json!({"RequestId": "r", "Data": data, "HasMore": has_more, "Limit": 2}).to_string()
}

#[tokio::test]
async fn get_conversations_walks_pages_by_last_id() {
    let server = MockServer::start().await;
    let page = |body: String| json(200, &body);
    Mock::given(query_param_is_missing("LastId"))
        .respond_with(page(conversations_page(
            &["c1", "c2"],
            serde_json::json!(true),
        )))
        .mount(&server)
        .await;
    Mock::given(query_param("LastId", "c2"))
        .respond_with(page(conversations_page(
            &["c3", "c4"],
            serde_json::json!("true"),
        )))
        .mount(&server)
        .await;
    Mock::given(query_param("LastId", "c4"))
        .respond_with(page(conversations_page(&["c5"], serde_json::json!(false))))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let items: Vec<_> = client
        .get_conversations()
        .limit(2)
        .into_stream()
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.expect("page").id.unwrap_or_default())
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);

    let seen = received(&server).await;
    let cursors: Vec<Option<String>> = seen
        .iter()
        .map(|s| s.query_map().get("LastId").cloned())
        .collect();
    assert_eq!(
        cursors,
        [None, Some("c2".to_owned()), Some("c4".to_owned())],
        "three requests, then stop"
    );
    for s in &seen {
        assert_eq!(
            s.query_map().get("Limit").map(String::as_str),
            Some("2"),
            "page size kept on every page"
        );
        assert_rpc(s, &server.uri(), "GetConversations");
    }
}

fn messages_page(ids: &[&str], has_more: bool) -> String {
    let data: Vec<_> = ids
        .iter()
        .map(
            |id| serde_json::json!({"Id": id, "ConversationId": "conv", "CreatedAt": "1763986004"}),
        )
        .collect();
    serde_json::json!({"RequestId": "r", "Data": data, "HasMore": has_more, "Limit": 2}).to_string()
}

#[tokio::test]
async fn get_messages_walks_pages_by_first_id() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("FirstId"))
        .respond_with(json(200, &messages_page(&["m5", "m6"], true)))
        .mount(&server)
        .await;
    Mock::given(query_param("FirstId", "m5"))
        .respond_with(json(200, &messages_page(&["m3", "m4"], true)))
        .mount(&server)
        .await;
    Mock::given(query_param("FirstId", "m3"))
        .respond_with(json(200, &messages_page(&["m1", "m2"], false)))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let items: Vec<_> = client
        .get_messages()
        .conversation_id("conv")
        .limit(2)
        .into_stream()
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.expect("page").id.unwrap_or_default())
        .collect();
    assert_eq!(ids, ["m5", "m6", "m3", "m4", "m1", "m2"]);
    let seen = received(&server).await;
    let cursors: Vec<Option<String>> = seen
        .iter()
        .map(|s| s.query_map().get("FirstId").cloned())
        .collect();
    assert_eq!(
        cursors,
        [None, Some("m5".to_owned()), Some("m3".to_owned())]
    );
    assert!(
        seen.iter()
            .all(|s| s.query_map().get("ConversationId").map(String::as_str) == Some("conv"))
    );
}

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
    let (uri, gate, request) = support::sse::serve(chunks).await;
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
    let (uri, gate, _request) = support::sse::serve(chunks.clone()).await;
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
    let (uri, gate, _request) = support::sse::serve(chunks.clone()).await;
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
    match &err {
        wiregen_runtime::Error::Stream(stream) => match stream.as_ref() {
            wiregen_runtime::StreamError::ErrorEvent {
                event,
                code,
                message,
                ..
            } => {
                assert_eq!(event, "error");
                assert_eq!(code.as_deref(), Some("completion_request_error"));
                assert_eq!(message.as_deref(), Some("The model is overloaded."));
            }
            other => panic!("expected an error event, got {other:?}"),
        },
        other => panic!("expected a stream error, got {other:?}"),
    }
    assert!(
        next_event(&mut events).await.is_none(),
        "nothing after the error"
    );
}

#[tokio::test]
async fn empty_string_values_are_sent_and_signed() {
    let (server, client) = serve(200, r#"{"Data":[]}"#).await;
    client
        .get_conversations()
        .sort_by("")
        .send()
        .await
        .expect("sent");
    let seen = only_request(&server).await;
    assert_eq!(
        seen.raw_query_value("SortBy"),
        Some(""),
        "raw query: {}",
        seen.raw_query
    );
    assert_rpc(&seen, &server.uri(), "GetConversations");
}

#[tokio::test]
async fn sts_token_is_sent_and_signed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, r#"{"Data":[]}"#))
        .mount(&server)
        .await;
    let config = wiregen_runtime::Config::builder()
        .access_key(server::KEY_ID, server::SECRET)
        .security_token("CAIS-sts-token/with+odd=chars")
        .endpoint(server.uri())
        .retry(wiregen_runtime::RetryPolicy::none())
        .build();
    rdsai::Client::new(config)
        .get_conversations()
        .send()
        .await
        .expect("sent");
    let seen = only_request(&server).await;
    assert_eq!(
        seen.header("x-acs-security-token"),
        Some("CAIS-sts-token/with+odd=chars")
    );
    let auth =
        acs3::parse_authorization(seen.header("authorization").unwrap_or_default()).expect("ACS3");
    assert!(
        auth.signed_headers
            .iter()
            .any(|h| h == "x-acs-security-token"),
        "the STS token must be signed: {auth:?}"
    );
    assert_rpc(&seen, &server.uri(), "GetConversations");
}

#[tokio::test]
async fn idempotent_calls_are_retried_with_a_fresh_signature() {
    let server = MockServer::start().await;
    let busy = r#"{"RequestId":"R-1","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
    Mock::given(method("POST"))
        .respond_with(json(503, busy).insert_header("x-acs-retry-after", "10"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(200, r#"{"Data":[],"HasMore":false}"#))
        .mount(&server)
        .await;
    let policy = wiregen_runtime::RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(1))
        .with_jitter(false);
    let config = wiregen_runtime::Config::builder()
        .access_key(server::KEY_ID, server::SECRET)
        .endpoint(server.uri())
        .retry(policy.clone())
        .build();
    let client = rdsai::Client::new(config);
    client
        .get_conversations()
        .limit(5)
        .send()
        .await
        .expect("second attempt succeeds");
    let seen = received(&server).await;
    assert_eq!(seen.len(), 2, "one retry");
    for s in &seen {
        assert_rpc(s, &server.uri(), "GetConversations");
        s.assert_query(&[("Limit", "5")]);
    }
    assert_ne!(
        seen[0].header("x-acs-signature-nonce"),
        seen[1].header("x-acs-signature-nonce"),
        "every attempt needs a fresh nonce (the gateway rejects reused ones)"
    );

    // ChatMessages is not idempotent: the same failure is not retried.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(503, busy))
        .mount(&server)
        .await;
    let config = wiregen_runtime::Config::builder()
        .access_key(server::KEY_ID, server::SECRET)
        .endpoint(server.uri())
        .retry(policy)
        .build();
    let err = rdsai::Client::new(config)
        .chat_messages("Hello")
        .send()
        .await
        .expect_err("503");
    assert_eq!(err.code(), Some(&ChatMessagesErrorCode::ThrottlingUser));
    assert_eq!(
        received(&server).await.len(),
        1,
        "a non-idempotent call is sent once"
    );
}

#[tokio::test]
async fn retry_after_header_is_reported() {
    let server = MockServer::start().await;
    let body = r#"{"RequestId":"R-2","Code":"Throttling.User","Message":"slow down"}"#;
    Mock::given(method("POST"))
        .respond_with(json(400, body).insert_header("x-acs-retry-after", "1500"))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let err = client
        .get_conversations()
        .send()
        .await
        .expect_err("throttled");
    let service = err
        .service()
        .unwrap_or_else(|| panic!("expected a service error, got {err:?}"));
    assert_eq!(service.code, GetConversationsErrorCode::ThrottlingUser);
    assert_eq!(service.retry_after, Some(Duration::from_millis(1500)));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_body_that_does_not_match_keeps_the_raw_body_and_the_path() {
    let body = r#"{"RequestId":"R-3","Data":[{"Id":"ok"},{"Id":"bad","CreatedAt":"yesterday"}]}"#;
    let (_server, client) = serve(200, body).await;
    let err = client
        .get_conversations()
        .send()
        .await
        .expect_err("CreatedAt is not a time");
    match &err {
        wiregen_runtime::Error::Decode(decode) => {
            assert_eq!(decode.status, 200);
            assert_eq!(decode.body, body);
            assert!(
                decode.path.contains("Data") && decode.path.contains("CreatedAt"),
                "path {:?}",
                decode.path
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
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
    let (uri, gate, _request) = support::sse::serve(chunks).await;
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

#[tokio::test]
async fn a_repeated_cursor_stops_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("LastId"))
        .respond_with(json(
            200,
            &conversations_page(&["c1", "c2"], serde_json::json!(true)),
        ))
        .mount(&server)
        .await;
    // A broken server that answers every cursor with the same page.
    Mock::given(query_param("LastId", "c2"))
        .respond_with(json(
            200,
            &conversations_page(&["c1", "c2"], serde_json::json!(true)),
        ))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let items: Vec<_> = client
        .get_conversations()
        .into_stream()
        .take(20)
        .collect()
        .await;
    let errors = items.iter().filter(|r| r.is_err()).count();
    assert_eq!(errors, 1, "the walk ends with one error: {items:?}");
    assert!(matches!(
        items.last(),
        Some(Err(wiregen_runtime::Error::Stream(e)))
            if matches!(e.as_ref(), wiregen_runtime::StreamError::PaginationLoop { .. })
    ));
    assert!(received(&server).await.len() <= 3, "no endless requests");
}

/// Endpoints from regions (api-facts 1.1): the SDK's six mapped regions use
/// the central endpoint, any other region `rdsai.<region>.aliyuncs.com`.
#[test]
fn region_endpoints() {
    let url = |region: &str| {
        let config = wiregen_runtime::Config::builder()
            .access_key(server::KEY_ID, server::SECRET)
            .region(region)
            .build();
        rdsai::Client::new(config)
            .get_conversations()
            .prepare()
            .map(|p| p.url)
            .unwrap_or_else(|e| panic!("{region}: {e}"))
    };
    for central in ["cn-hangzhou", "cn-beijing", "cn-wulanchabu"] {
        assert_eq!(url(central), "https://rdsai.aliyuncs.com/", "{central}");
    }
    assert_eq!(
        url("ap-southeast-1"),
        "https://rdsai.ap-southeast-1.aliyuncs.com/"
    );
}
