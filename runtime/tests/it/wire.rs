//! What goes on the wire for each protocol, checked on a real HTTP server on 127.0.0.1, with
//! the ACS3 signature recomputed independently from what the server received.

use serde::Deserialize;
use serde_json::{Value, json};
use wiregen_runtime::{Client, Config, Error, UnixMillis, UnknownCode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const MINIMAL_SIGNED: &str =
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";

fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

fn authority(server: &MockServer) -> String {
    server.uri().trim_start_matches("http://").to_owned()
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn rpc_puts_every_parameter_in_the_query_and_signs_the_minimum_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"RequestId": "R1", "HasMore": "false", "Data": []})),
        )
        .mount(&server)
        .await;
    let client = client(&RPC, &server.uri());
    let text = "实例 rm-bp1 磁盘使用率? a+b=c&d*e~f/g:h 'q' (x)!";
    let mut req = client.request(&GET_CONVERSATIONS);
    req.query("LastId", "abc")
        .query("Limit", &10)
        .query("Pinned", &true)
        .query("Query", text)
        .query("Empty", "")
        .query_json("Inputs", &json!({"ModelId": "通义 千问", "Unset": null}));
    let body: Value = client
        .send::<_, UnknownCode>(req.clone())
        .await
        .expect("send");
    assert_eq!(body["RequestId"], "R1");
    client
        .send::<Value, UnknownCode>(req)
        .await
        .expect("send again");

    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 2);
    let r = &reqs[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/");
    let expected_query = concat!(
        "LastId=abc&Limit=10&Pinned=true&Query=",
        "%E5%AE%9E%E4%BE%8B+rm-bp1+%E7%A3%81%E7%9B%98%E4%BD%BF%E7%94%A8%E7%8E%87%3F+a%2Bb%3Dc%26d%2Ae~f%2Fg%3Ah+%27q%27+%28x%29%21",
        "&Empty=&Inputs=%7B%22ModelId%22%3A%22%E9%80%9A%E4%B9%89+%E5%8D%83%E9%97%AE%22%7D"
    );
    assert_eq!(r.url.query(), Some(expected_query));
    assert!(r.body.is_empty());
    assert_eq!(header(r, "content-length"), Some("0"));
    assert_eq!(header(r, "x-acs-action"), Some("GetConversations"));
    assert_eq!(header(r, "x-acs-version"), Some("2025-05-07"));
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(
        header(r, "user-agent"),
        Some("rdsai/0.1.0 wiregen-runtime/0.1.0")
    );
    assert_eq!(header(r, "host"), Some(authority(&server).as_str()));
    assert!(header(r, "content-type").is_none());
    let date = header(r, "x-acs-date").expect("date");
    assert_eq!(date.len(), 20, "{date}");
    assert!(date.ends_with('Z') && date.as_bytes()[10] == b'T', "{date}");
    let nonce = header(r, "x-acs-signature-nonce").expect("nonce");
    assert!(
        nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit()),
        "{nonce}"
    );
    assert_ne!(
        header(&reqs[1], "x-acs-signature-nonce"),
        Some(nonce),
        "a fresh nonce per request"
    );
    for r in &reqs {
        assert_eq!(verify_acs3(r, AK_SECRET), MINIMAL_SIGNED);
    }
}

#[tokio::test]
async fn roa_uses_the_operation_method_and_path_and_signs_sts_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "data": {"list": []}})),
        )
        .mount(&server)
        .await;
    let config = config(&server.uri()).security_token(STS_TOKEN).build();
    let client = Client::new(&ROA, config);
    let mut req = client.request(&LIST_CONVERSATIONS);
    req.query("pageNumber", &1).query("needTotalCount", &true);
    client.send::<Value, UnknownCode>(req).await.expect("list");
    let mut item = client.request(&GET_ITEM);
    item.path("id", "a b/é~");
    client.send::<Value, UnknownCode>(item).await.expect("item");

    let reqs = received(&server).await;
    let r = &reqs[0];
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.path(), "/api/v1/modelRouter/open/conversations");
    assert_eq!(r.url.query(), Some("pageNumber=1&needTotalCount=true"));
    assert_eq!(
        header(r, "x-acs-action"),
        Some("ModelRouterQueryConversationList")
    );
    assert_eq!(header(r, "x-acs-version"), Some("20240611"));
    assert_eq!(header(r, "x-acs-security-token"), Some(STS_TOKEN));
    assert_eq!(header(r, "x-acs-accesskey-id"), Some(AK_ID));
    assert!(r.body.is_empty());
    let signed = verify_acs3(r, AK_SECRET);
    assert_eq!(
        signed,
        "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version"
    );
    assert_eq!(reqs[1].url.path(), "/api/v1/items/a%20b%2F%C3%A9~/detail");
    verify_acs3(&reqs[1], AK_SECRET);
}

#[derive(Debug, Deserialize)]
struct ConversationPage {
    list: Vec<Conversation>,
    total: i64,
}
wiregen_runtime::serde_decode!(ConversationPage);

#[derive(Debug, Deserialize)]
struct Conversation {
    conversation_id: String,
    recent_chat_time: UnixMillis,
}

#[tokio::test]
async fn rest_sends_a_bearer_key_and_no_alibaba_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/bot/conversation/page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "list": [{"conversation_id": "c1", "recent_chat_time": 1691942400000_i64, "subject": "hi"}],
            "total": 1
        })))
        .mount(&server)
        .await;
    let config = Config::builder()
        .endpoint(server.uri())
        .http_client_builder(http)
        .bearer_token(BEARER)
        .build();
    let client = Client::new(&REST, config);
    let mut req = client.request(&CONVERSATION_PAGE);
    req.query("conversation_type", "ALL")
        .query("start_time", &UnixMillis(1_691_942_400_000))
        .query("page", &1)
        .query("page_size", &20);
    let page: ConversationPage = client.send::<_, UnknownCode>(req).await.expect("send");
    assert_eq!(
        (page.list[0].conversation_id.as_str(), page.total),
        ("c1", 1)
    );
    assert_eq!(page.list[0].recent_chat_time, UnixMillis(1_691_942_400_000));

    let reqs = received(&server).await;
    let r = &reqs[0];
    assert_eq!(
        r.url.query(),
        Some("conversation_type=ALL&start_time=1691942400000&page=1&page_size=20")
    );
    assert_eq!(
        header(r, "authorization"),
        Some(format!("Bearer {BEARER}").as_str())
    );
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert!(
        r.headers.keys().all(|k| !k.as_str().starts_with("x-acs-")),
        "{:?}",
        r.headers
    );
}

#[tokio::test]
async fn rest_json_body_is_sent_with_its_content_type() {
    static CREATE: wiregen_runtime::OperationInfo = wiregen_runtime::OperationInfo {
        name: "CreateConversation",
        method: wiregen_runtime::Method::Post,
        path: "/v1/conversation",
        idempotent: false,
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"conversation_id": "c9"})))
        .mount(&server)
        .await;
    let client = Client::new(
        &REST,
        Config::builder()
            .endpoint(server.uri())
            .http_client_builder(http)
            .bearer_token(BEARER)
            .build(),
    );
    let mut req = client.request(&CREATE);
    req.json_body(&json!({"user_id": "u1"}));
    let v: Value = client.send::<_, UnknownCode>(req).await.expect("send");
    assert_eq!(v["conversation_id"], "c9");
    let reqs = received(&server).await;
    assert_eq!(reqs[0].body, br#"{"user_id":"u1"}"#);
    assert_eq!(header(&reqs[0], "content-type"), Some("application/json"));
}

#[tokio::test]
async fn alibaba_error_bodies_become_service_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-acs-request-id", "HDR-ID")
                .set_body_json(json!({
                    "RequestId": "R-400", "HostId": "rdsai.aliyuncs.com", "Code": "InvalidParameter",
                    "Message": "The parameter Limit is invalid.", "Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidParameter"
                })),
        )
        .mount(&server)
        .await;
    let client = client(&RPC, &server.uri());
    let err = client
        .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
        .await
        .expect_err("400");
    let s = err.service().expect("service error");
    assert_eq!((s.status, s.raw_code.as_str()), (400, "InvalidParameter"));
    assert_eq!(s.code, UnknownCode("InvalidParameter".into()));
    assert_eq!(s.message, "The parameter Limit is invalid.");
    assert_eq!(s.request_id.as_deref(), Some("R-400"));
    assert_eq!(s.host_id.as_deref(), Some("rdsai.aliyuncs.com"));
    assert!(
        s.recommend
            .as_deref()
            .is_some_and(|r| r.contains("troubleshoot"))
    );
    assert!(s.body.contains("\"Code\""));
    assert!(!err.is_retryable());
    assert_eq!(received(&server).await.len(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn failure_envelopes_and_code_bodies_on_200_are_service_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/modelRouter/open/conversations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "requestId": "R-env", "success": false, "errCode": "NoPermission", "errMessage": "denied", "httpStatusCode": "403"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/bot/conversation/page"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"code": 40127, "message": "Developer authentication failed"}),
            ),
        )
        .mount(&server)
        .await;
    let roa = client(&ROA, &server.uri());
    let err = roa
        .send::<Value, UnknownCode>(roa.request(&LIST_CONVERSATIONS))
        .await
        .expect_err("envelope");
    let s = err.service().expect("service");
    assert_eq!(
        (s.status, s.raw_code.as_str(), s.message.as_str()),
        (403, "NoPermission", "denied")
    );
    assert_eq!(s.request_id.as_deref(), Some("R-env"));

    let rest = Client::new(
        &REST,
        Config::builder()
            .endpoint(server.uri())
            .http_client_builder(http)
            .bearer_token(BEARER)
            .build(),
    );
    let err = rest
        .send::<Value, UnknownCode>(rest.request(&CONVERSATION_PAGE))
        .await
        .expect_err("code body");
    let s = err.service().expect("service");
    assert_eq!((s.status, s.raw_code.as_str()), (200, "40127"));
    assert!(matches!(err, Error::Service(_)));
}
