//! How `rdsai` answers decode: the docs' samples, every field, string forms of
//! numbers and booleans, unknown fields, bodies that do not match the types.

use super::*;

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
async fn an_unknown_enum_value_is_kept_readable_and_goes_back_out_unchanged() {
    let body =
        r#"{"RequestId":"r-1","HasMore":false,"Data":[{"Id":"c-1","Status":"archived_later"}]}"#;
    let (_server, client) = serve(200, body).await;
    let response = client.get_conversations().send().await.expect("decodes");
    let status = response.data.expect("Data")[0]
        .status
        .clone()
        .expect("Status");
    // The raw value is readable through the opaque catch-all and through the enum.
    let ConversationStatus::Unknown(raw) = &status else {
        panic!("`archived_later` is not a known value: {status:?}");
    };
    // The runtime's opaque type, not a `String` a caller could build.
    let raw: &wiregen_runtime::UnknownValue = raw;
    assert_eq!(raw.as_str(), "archived_later");
    assert_eq!(raw.to_string(), "archived_later");
    assert_eq!(status.as_str(), "archived_later");
    assert_eq!(status.to_string(), "archived_later");
    // Written back (models, serde, query values) exactly as received.
    use wiregen_runtime::{ParamValue as _, ToJson as _};
    assert_eq!(status.to_json(), serde_json::json!("archived_later"));
    assert_eq!(
        serde_json::to_string(&status).unwrap(),
        "\"archived_later\""
    );
    assert_eq!(status.to_param(), "archived_later");
    // The conversions are the way to build one, and they agree with decoding.
    assert_eq!(ConversationStatus::from("archived_later"), status);
    assert_eq!(
        ConversationStatus::from("archived_later".to_owned()),
        status
    );
    assert_eq!(ConversationStatus::from("idle"), ConversationStatus::Idle);
}
