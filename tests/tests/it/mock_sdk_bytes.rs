//! The mock's checks tied to the recorded truth: requests laid out byte for byte as the
//! official Python SDK sends them (`alibabacloud_rdsai20250507` 3.10.0 on
//! `alibabacloud_tea_openapi`: its query strings as recorded by the wire tests in
//! `client_real_shapes.rs` and `client_rdsai/wire.rs`, its headers and SignedHeaders as
//! docs/wire.md section 1.3 lists them), signed by the tests' independent ACS3 signer, pass;
//! the same bytes with one change each are refused with the service's code.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use wiregen_runtime::mock::{MOCK_ACCESS_KEY_ID, MOCK_ACCESS_KEY_SECRET};

use super::support::acs3;
use super::support::seen::Seen;
use super::support::server::AWKWARD_FORM;

/// One SDK request: the operation and its query string as the SDK sent it.
struct Sdk {
    action: &'static str,
    raw_query: String,
    version: &'static str,
    nonce: String,
    secret: &'static str,
}

impl Sdk {
    fn new(action: &'static str, raw_query: &str, nonce: &str) -> Sdk {
        Sdk {
            action,
            raw_query: raw_query.to_owned(),
            version: "2025-05-07",
            nonce: nonce.to_owned(),
            secret: MOCK_ACCESS_KEY_SECRET,
        }
    }

    /// The request's bytes: headers in the SDK's order, every one but `authorization`,
    /// `content-length` and `accept-encoding` signed (the SDK's SignedHeaders).
    fn bytes(&self, port: u16, alter_signature: bool) -> Vec<u8> {
        let date = wiregen_runtime::time::acs_date(SystemTime::now());
        let headers: Vec<(String, String)> = [
            ("host", format!("127.0.0.1:{port}")),
            ("x-acs-version", self.version.to_owned()),
            ("x-acs-action", self.action.to_owned()),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.12.3 Core/0.3.9 TeaDSL/2".to_owned(),
            ),
            ("x-acs-date", date),
            ("x-acs-signature-nonce", self.nonce.clone()),
            ("accept", "application/json".to_owned()),
            ("x-acs-content-sha256", acs3::EMPTY_SHA256.to_owned()),
            ("x-acs-credentials-provider", "static_ak".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let seen = Seen {
            method: "POST".into(),
            path: "/".into(),
            raw_query: self.raw_query.clone(),
            query: url::form_urlencoded::parse(self.raw_query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: headers.iter().cloned().collect(),
            body: Vec::new(),
        };
        let mut names: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
        names.sort();
        let mut signature = acs3::sign(&acs3::canonical_request(&seen, &names), self.secret);
        if alter_signature {
            let last = if signature.ends_with('0') { '1' } else { '0' };
            signature.pop();
            signature.push(last);
        }
        let mut text = format!("POST /?{} HTTP/1.1\r\n", self.raw_query);
        for (k, v) in &headers {
            text.push_str(&format!("{k}: {v}\r\n"));
        }
        text.push_str(&format!(
            "authorization: ACS3-HMAC-SHA256 Credential={MOCK_ACCESS_KEY_ID},SignedHeaders={},Signature={signature}\r\n",
            names.join(";")
        ));
        text.push_str(
            "accept-encoding: identity\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        );
        text.into_bytes()
    }
}

/// Sends `bytes` and returns the status and the error code of the answer (`None` on success).
async fn send(port: u16, bytes: &[u8]) -> (u16, Option<String>) {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        stream.write_all(bytes).await.expect("write");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("read");
        answer
    };
    let answer = tokio::time::timeout(Duration::from_secs(20), exchange)
        .await
        .expect("answered within 20 s");
    let text = String::from_utf8(answer).expect("UTF-8");
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {text}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let code = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("Code").and_then(Value::as_str).map(str::to_owned));
    (status, code)
}

#[tokio::test]
async fn the_sdks_requests_pass_the_mocks_checks() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let port = mock.address().port();
    let create_api_key = "DailyTokenQuota=100000&InstanceId=rm-bp1&KeyName=%E5%9B%A2%E9%98%9F+key\
         &LimitRate=1.0&LimitType=ratio&Quantity=2&TokenQuota=5000000";
    let sort_by = format!("SortBy={AWKWARD_FORM}");
    for (i, (action, query)) in [
        (
            "ChatMessagesTaskStop",
            "TaskId=task-9f+1%2Fa&WorkspaceId=ws-1",
        ),
        ("CreateApiKey", create_api_key),
        ("GetConversations", sort_by.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        let sdk = Sdk::new(action, query, &format!("{i:032x}"));
        assert_eq!(
            send(port, &sdk.bytes(port, false)).await,
            (200, None),
            "{action}"
        );
    }
    let log = mock.requests();
    assert!(log.iter().all(|r| r.rejection_code().is_none()), "{log:?}");
}

#[tokio::test]
async fn the_same_bytes_with_one_change_are_refused() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let port = mock.address().port();
    let nonce = |n: u32| format!("{n:032x}");
    let task_stop = "TaskId=task-9f+1%2Fa&WorkspaceId=ws-1";

    // A parameter dropped (the request signed without it): the parameter check.
    let dropped = Sdk::new("ChatMessagesTaskStop", "WorkspaceId=ws-1", &nonce(1));
    assert_eq!(
        send(port, &dropped.bytes(port, false)).await,
        (400, Some("MissingParameter".into()))
    );
    // The signature altered.
    let sdk = Sdk::new("ChatMessagesTaskStop", task_stop, &nonce(2));
    assert_eq!(
        send(port, &sdk.bytes(port, true)).await,
        (400, Some("SignatureDoesNotMatch".into()))
    );
    // Signed with another secret.
    let mut other = Sdk::new("ChatMessagesTaskStop", task_stop, &nonce(3));
    other.secret = "another-secret";
    assert_eq!(
        send(port, &other.bytes(port, false)).await,
        (400, Some("SignatureDoesNotMatch".into()))
    );
    // The version changed (and signed).
    let mut old = Sdk::new("ChatMessagesTaskStop", task_stop, &nonce(4));
    old.version = "2024-01-01";
    assert_eq!(
        send(port, &old.bytes(port, false)).await,
        (400, Some("InvalidVersion".into()))
    );
    // A query value changed after signing.
    let signed = Sdk::new("ChatMessagesTaskStop", task_stop, &nonce(5)).bytes(port, false);
    let tampered = String::from_utf8(signed)
        .expect("UTF-8")
        .replacen("ws-1", "ws-2", 1);
    assert_eq!(
        send(port, tampered.as_bytes()).await,
        (400, Some("SignatureDoesNotMatch".into()))
    );
    // The same request replayed: its nonce was used.
    let replay = Sdk::new("ChatMessagesTaskStop", task_stop, &nonce(6)).bytes(port, false);
    assert_eq!(send(port, &replay).await, (200, None));
    assert_eq!(
        send(port, &replay).await,
        (400, Some("SignatureNonceUsed".into()))
    );
}
