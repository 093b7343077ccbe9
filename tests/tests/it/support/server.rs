//! Mock servers, client configurations and the specs' own examples.

use std::path::PathBuf;

use wiregen_codegen::spec::{Example, OperationSpec};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::seen::Seen;

/// Access key id the tests sign with.
pub const KEY_ID: &str = "LTAI5tWiregenTestKey";
/// Access key secret the tests sign with.
pub const SECRET: &str = "wiregen-test-secret-9f8e7d";
/// Bearer key of the REST tests.
pub const BEARER: &str = "app-0123456789abcdef";

/// An ACS3 client configuration pointing at `uri`, without retries (so a
/// test sees exactly the requests the client chose to make).
pub fn acs_config(uri: &str) -> wiregen_runtime::Config {
    wiregen_runtime::Config::builder()
        .access_key(KEY_ID, SECRET)
        .endpoint(uri)
        .retry(wiregen_runtime::RetryPolicy::none())
        .build()
}

/// A Bearer client configuration pointing at `uri`, without retries.
pub fn bearer_config(uri: &str) -> wiregen_runtime::Config {
    wiregen_runtime::Config::builder()
        .bearer_token(BEARER)
        .endpoint(uri)
        .retry(wiregen_runtime::RetryPolicy::none())
        .build()
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Seen> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(Seen::from)
        .collect()
}

/// The only request the server received.
pub async fn only_request(server: &MockServer) -> Seen {
    let mut all = received(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
    all.remove(0)
}

/// A JSON response with this status and body text.
pub fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A local server answering every `http_method route` request with `status`
/// and the JSON `body`.
pub async fn serving(http_method: &str, route: &str, status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(json(status, body))
        .mount(&server)
        .await;
    server
}

/// The operation spec `spec/<service>/operations/<operation>.yaml`.
pub fn operation_spec(service: &str, operation: &str) -> OperationSpec {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "spec",
        service,
        "operations",
        &format!("{operation}.yaml"),
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One named example of an operation's spec.
pub fn example(service: &str, operation: &str, name: &str) -> Example {
    let spec = operation_spec(service, operation);
    spec.examples
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{service}/{operation} has no example {name}"))
}

/// The example's response body; fails the test when it has none.
pub fn response_body(example: &Example) -> &str {
    example
        .response
        .as_deref()
        .unwrap_or_else(|| panic!("example {} has no response", example.name))
}

/// A request parameter of an example as text (numbers and booleans in
/// their JSON form); fails the test when the example lacks it.
pub fn param_str(example: &Example, key: &str) -> String {
    match example.request.get(key) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => panic!("example {} has no request parameter {key}", example.name),
    }
}

/// A numeric request parameter of an example.
pub fn param_i64(example: &Example, key: &str) -> i64 {
    param_str(example, key)
        .parse()
        .unwrap_or_else(|e| panic!("example {} {key}: {e}", example.name))
}

/// What every ACS3 request must look like, whatever the operation: method,
/// path, action and version headers, `host` with the port, the crate's user
/// agent, an empty body with its hash, no V2-style query parameters, and a
/// signature that the independent checker reproduces.
pub fn assert_acs_request(
    seen: &Seen,
    uri: &str,
    method: &str,
    path: &str,
    action: &str,
    version: &str,
    crate_name: &str,
) {
    assert_eq!(seen.method, method);
    assert_eq!(seen.path, path);
    assert_eq!(seen.header("x-acs-action"), Some(action));
    assert_eq!(seen.header("x-acs-version"), Some(version));
    let host = uri.trim_start_matches("http://");
    assert_eq!(seen.header("host"), Some(host), "host must carry the port");
    let agent = seen.header("user-agent").unwrap_or_default();
    assert!(
        agent.contains(&format!("{crate_name}/")),
        "user-agent {agent:?} does not name {crate_name}"
    );
    assert!(
        seen.body.is_empty(),
        "body must be empty, got {:?}",
        String::from_utf8_lossy(&seen.body)
    );
    assert_eq!(
        seen.header("x-acs-content-sha256"),
        Some(super::acs3::EMPTY_SHA256)
    );
    for v2 in [
        "Action",
        "Version",
        "Format",
        "Timestamp",
        "SignatureNonce",
        "AccessKeyId",
        "Signature",
    ] {
        assert!(
            seen.query.iter().all(|(k, _)| k != v2),
            "V3 requests carry no {v2} query parameter: {}",
            seen.raw_query
        );
    }
    super::acs3::assert_signed(seen, KEY_ID, SECRET);
    // The gateway rejects dates more than 15 minutes off: this catches local
    // time sent as UTC, not slowness.
    let date = seen.header("x-acs-date").unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let skew = super::acs3::unix_seconds(date).map(|t| (t - now).abs());
    assert!(
        skew.is_some_and(|s| s < 15 * 60),
        "x-acs-date {date:?} is not the current UTC time"
    );
}

/// The value used to check wire encoding (docs/wire.md section 1.2): spaces, unicode,
/// reserved characters, `*` and `~`.
pub const AWKWARD: &str = "实例 rm-bp1 磁盘使用率? a+b=c&d*e~f/g:h 'q' (x)!";
/// [`AWKWARD`] form-encoded as the SDK sends it (space `+`, `*` `%2A`, `~` kept).
pub const AWKWARD_FORM: &str = "%E5%AE%9E%E4%BE%8B+rm-bp1+%E7%A3%81%E7%9B%98%E4%BD%BF%E7%94%A8%E7%8E%87%3F+a%2Bb%3Dc%26d%2Ae~f%2Fg%3Ah+%27q%27+%28x%29%21";

/// Adds unknown members to a JSON object body (at the root and inside the
/// first element of the list at `list_path`), to show that decoding ignores
/// fields the spec does not know.
pub fn with_unknown_fields(body: &str, list_path: &[&str]) -> String {
    let mut value: serde_json::Value = serde_json::from_str(body).expect("example body is JSON");
    value["ZzFutureTopLevel"] = serde_json::json!({"nested": [1, 2, {"deep": null}]});
    let mut list = &mut value;
    for step in list_path {
        list = &mut list[*step];
    }
    if let Some(first) = list.get_mut(0) {
        first["zzFutureItemField"] = serde_json::json!("surprise");
    }
    value.to_string()
}
