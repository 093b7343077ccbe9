//! The generated `aicontent` client (Alibaba ROA, ACS3) against a local HTTP
//! server: the GET request on the wire, decoding of the docs' samples and of
//! every field, errors (including HTTP 200 failure envelopes) and pagination.

use crate::support::seen::Seen;
use crate::support::server::{
    self, AWKWARD, AWKWARD_FORM, acs_config, example, json, only_request, param_i64, param_str,
    received, serving,
};
use aicontent::errors::ModelRouterQueryConversationListErrorCode as Code;
use aicontent::models::OrderDirection;
use futures::StreamExt;
use wiremock::matchers::{query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

const PATH: &str = "/api/v1/modelRouter/open/conversations";

async fn serve(status: u16, body: &str) -> (MockServer, aicontent::Client) {
    let server = serving("GET", PATH, status, body).await;
    let client = aicontent::Client::new(acs_config(&server.uri()));
    (server, client)
}

fn assert_roa(seen: &Seen, uri: &str) {
    server::assert_acs_request(
        seen,
        uri,
        "GET",
        PATH,
        "ModelRouterQueryConversationList",
        "20240611",
        "aicontent",
    );
}

#[tokio::test]
async fn every_parameter_on_the_wire_camel_case_and_signed() {
    let ex = example(
        "aicontent",
        "ModelRouterQueryConversationList",
        "all-fields-token-page",
    );
    let (server, client) = serve(200, server::response_body(&ex)).await;
    client
        .model_router_query_conversation_list()
        .page_size(10)
        .page_index(2)
        .order_by("gmtCreate")
        .order_direction(OrderDirection::Desc)
        .group_by("resourceId")
        .need_total_count(true)
        .max_results(20)
        .keyword(AWKWARD)
        .status(1)
        .next_token("tok-2")
        .send()
        .await
        .expect("decodes");
    let seen = only_request(&server).await;
    assert_roa(&seen, &server.uri());
    seen.assert_query(&[
        ("groupBy", "resourceId"),
        ("keyword", AWKWARD),
        ("maxResults", "20"),
        ("needTotalCount", "true"),
        ("nextToken", "tok-2"),
        ("orderBy", "gmtCreate"),
        ("orderDirection", "DESC"),
        ("pageIndex", "2"),
        ("pageSize", "10"),
        ("status", "1"),
    ]);
    assert_eq!(
        seen.raw_query_value("keyword"),
        Some(AWKWARD_FORM),
        "raw query: {}",
        seen.raw_query
    );
}

#[tokio::test]
async fn doc_sample_request_and_response() {
    let ex = example(
        "aicontent",
        "ModelRouterQueryConversationList",
        "doc-sample",
    );
    let (server, client) = serve(200, server::response_body(&ex)).await;
    let mut request = client.model_router_query_conversation_list();
    if ex.request.contains_key("pageSize") {
        request = request.page_size(param_i64(&ex, "pageSize") as i32);
    }
    if ex.request.contains_key("pageIndex") {
        request = request.page_index(param_i64(&ex, "pageIndex") as i32);
    }
    let response = request.send().await.expect("doc sample decodes");
    let seen = only_request(&server).await;
    assert_roa(&seen, &server.uri());
    for key in ex.request.keys() {
        if key == "pageSize" || key == "pageIndex" {
            assert_eq!(
                seen.query_map().get(key),
                Some(&param_str(&ex, key)),
                "{key}"
            );
        }
    }

    assert_eq!(
        response.request_id.as_deref(),
        Some("xxxx-xxxx-xxxx-xxxxxxxx")
    );
    assert_eq!(response.success, Some(true));
    assert_eq!(response.err_code.as_deref(), Some("UNKNOWN_ERROR"));
    assert_eq!(response.err_message.as_deref(), Some("未知错误"));
    assert_eq!(response.http_status_code, Some(200));
    let data = response.data.expect("data");
    assert_eq!(data.total, Some(100));
    assert_eq!(data.page, Some(1));
    assert_eq!(data.max_result, Some(10), "maxResult \"10\"");
    assert_eq!(data.next_token.as_deref(), Some("None"));
    assert_eq!(data.page_size, Some(10));
    let c = &data.list.expect("list")[0];
    assert_eq!(c.id, Some(1));
    assert_eq!(c.title.as_deref(), Some("我的对话"));
    assert_eq!(c.message_count, Some(10));
    assert_eq!(c.model_ids.as_deref(), Some("[1,2,3]"));
    assert_eq!(c.chat_data.as_deref(), Some("{}"));
    assert_eq!(c.delete_tag, Some(0));
    assert_eq!(c.gmt_create.as_deref(), Some("2024-01-01T00:00:00Z"));
    assert_eq!(c.gmt_modified.as_deref(), Some("2024-01-01T00:00:00Z"));
}

#[tokio::test]
async fn every_field_numeric_max_result_snake_case_aliases_and_unknown_fields() {
    let ex = example(
        "aicontent",
        "ModelRouterQueryConversationList",
        "all-fields-token-page",
    );
    let body = server::with_unknown_fields(server::response_body(&ex), &["data", "list"]);
    let (_server, client) = serve(200, &body).await;
    let response = client
        .model_router_query_conversation_list()
        .send()
        .await
        .expect("decodes");
    assert_eq!(response.http_status_code, Some(200));
    let data = response.data.expect("data");
    assert_eq!(data.max_result, Some(1), "numeric maxResult");
    assert_eq!(data.next_token.as_deref(), Some(""));
    assert_eq!(
        (data.total, data.page, data.page_size),
        (Some(2), Some(2), Some(1))
    );
    let c = &data.list.expect("list")[0];
    assert_eq!(c.id, Some(125));
    assert_eq!(c.title.as_deref(), Some("第二个对话"));
    assert_eq!(c.message_count, Some(4));
    assert_eq!(c.model_ids.as_deref(), Some("[77,78]"));
    assert_eq!(c.chat_data.as_deref(), Some("{\"messages\":[]}"));
    assert_eq!(c.delete_tag, Some(0));
    assert_eq!(
        c.gmt_create.as_deref(),
        Some("2026-03-19T18:20:00.000000+08:00")
    );
    assert_eq!(
        c.gmt_modified.as_deref(),
        Some("2026-03-19T18:25:00.000000+08:00")
    );

    let ex = example(
        "aicontent",
        "ModelRouterQueryConversationList",
        "doc-conversation-dto-snake-case",
    );
    let (_server, client) = serve(200, server::response_body(&ex)).await;
    let response = client
        .model_router_query_conversation_list()
        .send()
        .await
        .expect("decodes");
    let c = &response.data.and_then(|d| d.list).expect("list")[0];
    assert_eq!(c.id, Some(124));
    assert_eq!(
        c.gmt_create.as_deref(),
        Some("2026-03-19T18:13:30.777767+08:00"),
        "gmt_create alias"
    );
    assert_eq!(c.message_count, Some(2), "message_count alias");
    assert_eq!(c.model_ids.as_deref(), Some("[77]"), "model_ids alias");
}

#[tokio::test]
async fn failure_envelope_on_http_200_is_a_service_error() {
    let ex = example(
        "aicontent",
        "ModelRouterQueryConversationList",
        "business-failure-on-200",
    );
    let (_server, client) = serve(200, server::response_body(&ex)).await;
    let err = client
        .model_router_query_conversation_list()
        .send()
        .await
        .expect_err("success:false is an error");
    let service = err
        .service()
        .unwrap_or_else(|| panic!("expected a service error, got {err:?}"));
    assert_eq!(service.raw_code, "UNKNOWN_ERROR");
    // The imported operations list `UNKNOWN_ERROR`, so the crate's codes know it.
    assert_eq!(service.code, Code::UnknownError);
    assert_eq!(service.message, "未知错误");
    assert_eq!(
        service.request_id.as_deref(),
        Some("9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D")
    );
    assert_eq!(service.status, 500, "the envelope's httpStatusCode");
}

#[tokio::test]
async fn gateway_errors_map_to_codes() {
    let ex = example(
        "aicontent",
        "ModelRouterQueryConversationList",
        "permission-denied",
    );
    let (_server, client) = serve(ex.status.unwrap_or(403), server::response_body(&ex)).await;
    let err = client
        .model_router_query_conversation_list()
        .send()
        .await
        .expect_err("403");
    let service = err
        .service()
        .unwrap_or_else(|| panic!("expected a service error, got {err:?}"));
    assert_eq!(service.status, 403);
    assert_eq!(service.code, Code::BPermissionDeniedException);
    assert_eq!(service.message, "鉴权失败或权限不足");
    assert_eq!(service.host_id.as_deref(), Some("aicontent.aliyuncs.com"));

    let body = r#"{"RequestId":"T-1","HostId":"aicontent.aliyuncs.com","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
    let (server, client) = serve(429, body).await;
    let err = client
        .model_router_query_conversation_list()
        .send()
        .await
        .expect_err("429");
    assert_eq!(err.code(), Some(&Code::ThrottlingUser));
    assert!(err.is_retryable());
    assert_eq!(
        received(&server).await.len(),
        1,
        "retries are off in this config"
    );

    let (_server, client) = serve(
        400,
        r#"{"RequestId":"U-1","Code":"Never.Seen","Message":"new"}"#,
    )
    .await;
    let err = client
        .model_router_query_conversation_list()
        .send()
        .await
        .expect_err("400");
    assert_eq!(err.code(), Some(&Code::Unknown("Never.Seen".to_owned())));
}

fn page(ids: &[i64], total: i32, page: i32) -> String {
    let list: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "title": format!("t{id}")}))
        .collect();
    serde_json::json!({"requestId": "r", "success": true, "httpStatusCode": 200,
        "data": {"list": list, "total": total, "page": page, "pageSize": 2, "maxResult": "2", "nextToken": "None"}})
    .to_string()
}

#[tokio::test]
async fn walks_pages_by_page_index_until_total() {
    let server = MockServer::start().await;
    // The first request leaves `pageIndex` out (the service's default is page 1).
    Mock::given(query_param_is_missing("pageIndex"))
        .respond_with(json(200, &page(&[1, 2], 5, 1)))
        .mount(&server)
        .await;
    for (index, ids) in [(2, vec![3, 4]), (3, vec![5])] {
        Mock::given(query_param("pageIndex", index.to_string()))
            .respond_with(json(200, &page(&ids, 5, index)))
            .mount(&server)
            .await;
    }
    let client = aicontent::Client::new(acs_config(&server.uri()));
    let items: Vec<_> = client
        .model_router_query_conversation_list()
        .page_size(2)
        .into_stream()
        .collect()
        .await;
    let ids: Vec<i64> = items
        .into_iter()
        .map(|r| r.expect("page").id.unwrap_or_default())
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let seen = received(&server).await;
    let pages: Vec<_> = seen
        .iter()
        .map(|s| s.query_map().get("pageIndex").cloned())
        .collect();
    assert_eq!(
        pages,
        [None, Some("2".to_owned()), Some("3".to_owned())],
        "stops at total"
    );
    for s in &seen {
        assert_eq!(s.query_map().get("pageSize").map(String::as_str), Some("2"));
        assert_roa(s, &server.uri());
    }
}

/// Endpoints from regions (docs/wire.md section 1.1): only `cn-shanghai` uses the
/// central endpoint; other regions get `aicontent.<region>.aliyuncs.com`.
#[test]
fn region_endpoints() {
    let url = |region: &str| {
        let config = wiregen_runtime::Config::builder()
            .access_key(server::KEY_ID, server::SECRET)
            .region(region)
            .build();
        aicontent::Client::new(config)
            .model_router_query_conversation_list()
            .page_size(5)
            .prepare()
            .map(|p| p.url)
            .unwrap_or_else(|e| panic!("{region}: {e}"))
    };
    assert_eq!(
        url("cn-shanghai"),
        format!("https://aicontent.aliyuncs.com{PATH}?pageSize=5")
    );
    assert_eq!(
        url("cn-hangzhou"),
        format!("https://aicontent.cn-hangzhou.aliyuncs.com{PATH}?pageSize=5")
    );
}
