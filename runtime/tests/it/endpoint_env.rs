//! `Client::from_env` with an endpoint variable: a call reaches the 127.0.0.1 server the
//! variable names, and a bad value is refused by name. The process environment can only be
//! set safely before a process starts, so each case runs this test binary again as a child
//! with the variables set (the `child_*` tests, ignored in a normal run).

use std::process::{Command, Output};
use std::time::Duration;

use serde_json::{Value, json};
use wiregen_runtime::{Client, UnknownCode, endpoint_env_var};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// Set in the child only: where the parent's server listens.
const CHILD: &str = "WIREGEN_TEST_ENDPOINT_CHILD";

/// Runs the ignored test `name` of this binary with `vars` set (and no proxy), within 60 s.
async fn run_child(name: &str, vars: &[(&str, &str)]) -> Output {
    let exe = std::env::current_exe().expect("test binary path");
    let mut cmd = Command::new(exe);
    cmd.args([
        "--exact",
        name,
        "--ignored",
        "--test-threads=1",
        "--nocapture",
    ]);
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(proxy);
    }
    cmd.env(CHILD, "1");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let run = tokio::task::spawn_blocking(move || cmd.output().expect("child runs"));
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the child finished within 60 s")
        .expect("child task")
}

#[test]
fn the_variable_is_named_after_the_service_and_its_credentials() {
    assert_eq!(endpoint_env_var(&RPC), "ALIBABA_CLOUD_ENDPOINT_RDSAI");
    assert_eq!(endpoint_env_var(&ROA), "ALIBABA_CLOUD_ENDPOINT_AICONTENT");
    assert_eq!(endpoint_env_var(&REST), "ALTATECH_ENDPOINT");
}

#[tokio::test]
async fn from_env_sends_every_call_to_the_endpoint_variable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": 1})))
        .mount(&server)
        .await;
    let out = run_child(
        "endpoint_env::child_calls_through_from_env",
        &[
            ("ALIBABA_CLOUD_ENDPOINT_RDSAI", &server.uri()),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", AK_ID),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "child failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let reqs = server.received_requests().await.expect("recording");
    assert_eq!(reqs.len(), 1, "the call reached the variable's endpoint");
    verify_acs3(&reqs[0], AK_SECRET);
}

#[tokio::test]
async fn a_bad_endpoint_variable_is_refused_by_name() {
    let out = run_child(
        "endpoint_env::child_refuses_a_bad_endpoint",
        &[
            ("ALIBABA_CLOUD_ENDPOINT_RDSAI", "ftp://127.0.0.1:9"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", AK_ID),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "child failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
#[ignore = "run as a child by from_env_sends_every_call_to_the_endpoint_variable"]
async fn child_calls_through_from_env() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let client = Client::from_env(&RPC).expect("configured from the environment");
    let v: Value = tokio::time::timeout(
        Duration::from_secs(20),
        client.send::<_, UnknownCode>(client.request(&GET_CONVERSATIONS)),
    )
    .await
    .expect("within 20 s")
    .expect("answered by the local server");
    assert_eq!(v["ok"], 1);
}

#[test]
#[ignore = "run as a child by a_bad_endpoint_variable_is_refused_by_name"]
fn child_refuses_a_bad_endpoint() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let err = Client::from_env(&RPC).expect_err("ftp is no endpoint");
    let text = err.to_string();
    assert!(
        text.contains("ALIBABA_CLOUD_ENDPOINT_RDSAI") && text.contains("http or https"),
        "{text}"
    );
}
