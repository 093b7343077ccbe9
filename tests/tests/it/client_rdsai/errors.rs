//! `rdsai` failures: Alibaba JSON and XML error bodies become the operation's
//! typed error codes; retries of idempotent calls and `Retry-After`.

use super::*;

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
