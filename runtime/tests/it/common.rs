//! Shared fixtures: three services (one per protocol), an HTTP client that ignores proxies, and
//! an ACS3 signature checker written independently of the runtime's signer.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};
use wiregen_runtime::{
    AuthScheme, Client, Config, ConfigBuilder, ErrorShape, Method, OperationInfo, Protocol,
    ServiceInfo,
};

pub static RPC: ServiceInfo = ServiceInfo {
    name: "rdsai",
    protocol: Protocol::AlibabaRpc,
    api_version: Some("2025-05-07"),
    default_endpoint: "https://rdsai.aliyuncs.com",
    regional_endpoints: &[("cn-hangzhou", "https://rdsai.aliyuncs.com")],
    region_template: Some("https://rdsai.{region}.aliyuncs.com"),
    auth: AuthScheme::Acs3HmacSha256,
    error_shapes: &[ErrorShape::Alibaba],
    user_agent: "rdsai/0.1.0 wiregen-runtime/0.1.0",
};

pub static ROA: ServiceInfo = ServiceInfo {
    name: "aicontent",
    protocol: Protocol::AlibabaRoa,
    api_version: Some("20240611"),
    default_endpoint: "https://aicontent.aliyuncs.com",
    regional_endpoints: &[],
    region_template: None,
    auth: AuthScheme::Acs3HmacSha256,
    error_shapes: &[ErrorShape::Alibaba, ErrorShape::SuccessEnvelope],
    user_agent: "aicontent/0.1.0 wiregen-runtime/0.1.0",
};

pub static REST: ServiceInfo = ServiceInfo {
    name: "altatech",
    protocol: Protocol::RestJson,
    api_version: None,
    default_endpoint: "https://altatech.ai",
    regional_endpoints: &[],
    region_template: None,
    auth: AuthScheme::Bearer {
        env: "WIREGEN_TEST_NEVER_SET_ALTATECH_KEY",
    },
    error_shapes: &[ErrorShape::CodeMessage],
    user_agent: "altatech/0.1.0 wiregen-runtime/0.1.0",
};

pub static GET_CONVERSATIONS: OperationInfo = OperationInfo {
    name: "GetConversations",
    method: Method::Post,
    path: "/",
    idempotent: true,
};
pub static CHAT_MESSAGES: OperationInfo = OperationInfo {
    name: "ChatMessages",
    method: Method::Post,
    path: "/",
    idempotent: false,
};
pub static LIST_CONVERSATIONS: OperationInfo = OperationInfo {
    name: "ModelRouterQueryConversationList",
    method: Method::Get,
    path: "/api/v1/modelRouter/open/conversations",
    idempotent: true,
};
pub static GET_ITEM: OperationInfo = OperationInfo {
    name: "GetItem",
    method: Method::Get,
    path: "/api/v1/items/{id}/detail",
    idempotent: true,
};
pub static CONVERSATION_PAGE: OperationInfo = OperationInfo {
    name: "GetConversationList",
    method: Method::Get,
    path: "/v1/bot/conversation/page",
    idempotent: true,
};

pub const AK_ID: &str = "LTAI-test-id";
pub const AK_SECRET: &str = "s3cr3t-AK-value-never-printed";
pub const STS_TOKEN: &str = "sts-token-never-printed";
pub const BEARER: &str = "sk-bearer-never-printed";

/// The HTTP client never goes through a proxy (tests talk to 127.0.0.1 only).
pub fn http(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.no_proxy().connect_timeout(Duration::from_secs(2))
}

/// A config builder aimed at `endpoint`, with short timeouts and AK credentials.
pub fn config(endpoint: &str) -> ConfigBuilder {
    Config::builder()
        .endpoint(endpoint)
        .http_client_builder(http)
        .timeout(Duration::from_secs(10))
        .access_key(AK_ID, AK_SECRET)
}

pub fn client(service: &'static ServiceInfo, endpoint: &str) -> Client {
    Client::new(service, config(endpoint).build())
}

/// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn header<'a>(req: &'a wiremock::Request, name: &str) -> &'a str {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("missing header {name}"))
}

/// Recomputes the ACS3-HMAC-SHA256 signature of a received request from scratch (decoded
/// query, headers named in `SignedHeaders`, body) and checks it against `Authorization`.
/// Returns the `SignedHeaders` list.
pub fn verify_acs3(req: &wiremock::Request, secret: &str) -> String {
    let auth = header(req, "authorization");
    let rest = auth
        .strip_prefix("ACS3-HMAC-SHA256 ")
        .expect("algorithm prefix");
    let mut credential = "";
    let mut signed = "";
    let mut signature = "";
    for part in rest.split(',') {
        let (k, v) = part.split_once('=').expect("k=v");
        match k {
            "Credential" => credential = v,
            "SignedHeaders" => signed = v,
            "Signature" => signature = v,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(credential, AK_ID);
    let mut pairs: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let query = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, RFC3986),
                utf8_percent_encode(v, RFC3986)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let mut headers = String::new();
    for name in signed.split(';') {
        headers.push_str(&format!("{name}:{}\n", header(req, name).trim()));
    }
    let body_hash = hex::encode(Sha256::digest(&req.body));
    assert_eq!(header(req, "x-acs-content-sha256"), body_hash);
    let canonical = format!(
        "{}\n{}\n{query}\n{headers}\n{signed}\n{body_hash}",
        req.method,
        req.url.path()
    );
    let to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("hmac key");
    mac.update(to_sign.as_bytes());
    assert_eq!(
        signature,
        hex::encode(mac.finalize().into_bytes()),
        "signature mismatch for\n{canonical}"
    );
    signed.to_owned()
}
