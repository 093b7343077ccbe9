//! The generated `altatech` client (REST, Bearer key) against a local HTTP
//! server: snake_case query, Bearer header and no Alibaba headers, decoding,
//! `{code, message}` errors and page/page_size/total pagination.

use crate::support::seen::Seen;
use crate::support::server::{
    self, AWKWARD, AWKWARD_FORM, BEARER, bearer_config, example, json, only_request, param_i64,
    param_str, received, serving,
};
use altatech::errors::GetConversationListErrorCode as Code;
use altatech::models::ConversationType;
use futures::StreamExt;
use wiregen_runtime::UnixMillis;
use wiremock::matchers::query_param;
use wiremock::{Mock, MockServer};

const PATH: &str = "/v1/bot/conversation/page";

async fn serve(status: u16, body: &str) -> (MockServer, altatech::Client) {
    let server = serving("GET", PATH, status, body).await;
    let client = altatech::Client::new(bearer_config(&server.uri()));
    (server, client)
}

fn assert_rest(seen: &Seen, uri: &str) {
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, PATH);
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {BEARER}").as_str())
    );
    assert_eq!(seen.header("host"), Some(uri.trim_start_matches("http://")));
    assert!(
        seen.header("user-agent")
            .unwrap_or_default()
            .contains("altatech/"),
        "user-agent names the crate"
    );
    assert!(seen.body.is_empty());
    let acs: Vec<_> = seen
        .headers
        .keys()
        .filter(|k| k.starts_with("x-acs-"))
        .collect();
    assert!(acs.is_empty(), "no Alibaba headers on a REST call: {acs:?}");
}

#[tokio::test]
async fn doc_sample_on_the_wire_and_decoded() {
    let ex = example("altatech", "GetConversationList", "doc-sample");
    let body = server::with_unknown_fields(server::response_body(&ex), &["list"]);
    let (server, client) = serve(200, &body).await;
    let response = client
        .get_conversation_list(
            ConversationType::from(param_str(&ex, "conversation_type").as_str()),
            UnixMillis(param_i64(&ex, "start_time")),
            UnixMillis(param_i64(&ex, "end_time")),
            param_i64(&ex, "page") as i32,
            param_i64(&ex, "page_size") as i32,
        )
        .user_id(AWKWARD)
        .send()
        .await
        .expect("doc sample decodes");
    let seen = only_request(&server).await;
    assert_rest(&seen, &server.uri());
    let expected: Vec<(String, String)> = [
        "conversation_type",
        "start_time",
        "end_time",
        "page",
        "page_size",
    ]
    .iter()
    .map(|k| ((*k).to_owned(), param_str(&ex, k)))
    .chain([("user_id".to_owned(), AWKWARD.to_owned())])
    .collect();
    let expected: Vec<(&str, &str)> = expected
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    seen.assert_query(&expected);
    assert_eq!(seen.raw_query_value("user_id"), Some(AWKWARD_FORM));

    let doc: serde_json::Value = serde_json::from_str(server::response_body(&ex)).expect("json");
    assert_eq!(response.total.map(i64::from), doc["total"].as_i64());
    let list = response.list.expect("list");
    let doc_list = doc["list"].as_array().expect("doc list");
    assert_eq!(list.len(), doc_list.len());
    for (c, d) in list.iter().zip(doc_list) {
        assert_eq!(c.conversation_id.as_deref(), d["conversation_id"].as_str());
        assert_eq!(c.user_id.as_deref(), d["user_id"].as_str());
        assert_eq!(
            c.recent_chat_time.map(|t| t.0),
            d["recent_chat_time"].as_i64()
        );
        assert_eq!(c.subject.as_deref(), d["subject"].as_str());
        assert_eq!(
            c.conversation_type.as_ref().map(|t| t.as_str().to_owned()),
            d["conversation_type"].as_str().map(str::to_owned)
        );
        assert_eq!(c.message_count.map(i64::from), d["message_count"].as_i64());
        assert_eq!(c.cost_credit, d["cost_credit"].as_f64());
        assert_eq!(c.bot_id.as_deref(), d["bot_id"].as_str());
    }
}

#[tokio::test]
async fn every_field_decodes() {
    let ex = example(
        "altatech",
        "GetConversationList",
        "all-channels-second-page",
    );
    let (_server, client) = serve(200, server::response_body(&ex)).await;
    let response = client
        .get_conversation_list(
            ConversationType::Widget,
            UnixMillis(1_691_942_400_000),
            UnixMillis(1_699_868_066_999),
            2,
            2,
        )
        .send()
        .await
        .expect("decodes");
    assert_eq!(response.total, Some(3));
    let c = &response.list.expect("list")[0];
    assert_eq!(
        c.conversation_id.as_deref(),
        Some("657303a8a764d47094874bbe")
    );
    assert_eq!(c.user_id.as_deref(), Some("u-42"));
    assert_eq!(c.recent_chat_time.map(|t| t.0), Some(1_699_868_000_000));
    assert_eq!(c.subject.as_deref(), Some("Order status"));
    assert_eq!(c.conversation_type, Some(ConversationType::Widget));
    assert_eq!(c.message_count, Some(6));
    assert_eq!(c.cost_credit, Some(1.0));
    assert_eq!(c.bot_id.as_deref(), Some("64b902a84f1ff25d1c60c10b"));
}

#[tokio::test]
async fn code_message_bodies_are_errors_on_any_status() {
    for (name, status, code) in [
        ("invalid-parameter", 200, Code::Code40000),
        ("agent-deleted", 400, Code::Code20059),
    ] {
        let ex = example("altatech", "GetConversationList", name);
        let (_server, client) =
            serve(ex.status.unwrap_or(status), server::response_body(&ex)).await;
        let err = client
            .get_conversation_list(ConversationType::All, UnixMillis(1), UnixMillis(2), 1, 10)
            .send()
            .await
            .expect_err("{code, message} is an error");
        let service = err
            .service()
            .unwrap_or_else(|| panic!("{name}: expected a service error, got {err:?}"));
        assert_eq!(service.code, code, "{name}");
        assert_eq!(
            service.raw_code,
            if name == "invalid-parameter" {
                "40000"
            } else {
                "20059"
            }
        );
        assert!(!service.message.is_empty());
    }
    let (_server, client) = serve(
        403,
        r#"{"code": 40127, "message": "Developer authentication failed"}"#,
    )
    .await;
    let err = client
        .get_conversation_list(ConversationType::All, UnixMillis(1), UnixMillis(2), 1, 10)
        .send()
        .await
        .expect_err("403");
    assert_eq!(err.code(), Some(&Code::Code40127));
    assert_eq!(err.service().map(|s| s.status), Some(403));

    let (_server, client) = serve(200, r#"{"code": 49999, "message": "brand new"}"#).await;
    let err = client
        .get_conversation_list(ConversationType::All, UnixMillis(1), UnixMillis(2), 1, 10)
        .send()
        .await
        .expect_err("unknown");
    assert_eq!(err.code(), Some(&Code::Unknown("49999".to_owned())));
    assert_eq!(err.service().map(|s| s.message.as_str()), Some("brand new"));

    let (server, client) = serve(429, r#"{"code": 42900, "message": "rate limited"}"#).await;
    let err = client
        .get_conversation_list(ConversationType::All, UnixMillis(1), UnixMillis(2), 1, 10)
        .send()
        .await
        .expect_err("429");
    assert!(err.is_retryable(), "HTTP 429 is retryable");
    assert_eq!(received(&server).await.len(), 1);
}

fn page(ids: &[&str]) -> String {
    let list: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"conversation_id": id, "message_count": 1}))
        .collect();
    serde_json::json!({"list": list, "total": 5}).to_string()
}

#[tokio::test]
async fn walks_pages_until_total() {
    let server = MockServer::start().await;
    for (number, ids) in [(1, vec!["a", "b"]), (2, vec!["c", "d"]), (3, vec!["e"])] {
        Mock::given(query_param("page", number.to_string()))
            .respond_with(json(200, &page(&ids)))
            .mount(&server)
            .await;
    }
    let client = altatech::Client::new(bearer_config(&server.uri()));
    let items: Vec<_> = client
        .get_conversation_list(
            ConversationType::Api,
            UnixMillis(1_691_942_400_000),
            UnixMillis(1_699_868_066_999),
            1,
            2,
        )
        .into_stream()
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.expect("page").conversation_id.unwrap_or_default())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let seen = received(&server).await;
    let pages: Vec<_> = seen
        .iter()
        .map(|s| s.query_map().get("page").cloned().unwrap_or_default())
        .collect();
    assert_eq!(pages, ["1", "2", "3"], "three pages, then stop");
    for s in &seen {
        assert_rest(s, &server.uri());
        let q = s.query_map();
        assert_eq!(q.get("page_size").map(String::as_str), Some("2"));
        assert_eq!(q.get("conversation_type").map(String::as_str), Some("API"));
        assert_eq!(
            q.get("start_time").map(String::as_str),
            Some("1691942400000")
        );
        assert_eq!(q.get("end_time").map(String::as_str), Some("1699868066999"));
    }
}
