//! Credentials: explicit or from the environment; secrets never in Debug output, error
//! messages or logs.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiregen_runtime::{Client, Config, Error, RetryPolicy, UnknownCode};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

fn assert_no_secret(text: &str) {
    for secret in [AK_SECRET, STS_TOKEN, BEARER] {
        assert!(!text.contains(secret), "secret leaked into: {text}");
    }
}

#[test]
fn debug_output_never_shows_secrets() {
    let config = Config::builder()
        .access_key(AK_ID, AK_SECRET)
        .security_token(STS_TOKEN)
        .bearer_token(BEARER)
        .build();
    let shown = format!("{config:?}");
    assert_no_secret(&shown);
    assert!(
        shown.contains(AK_ID),
        "the id is not secret and helps debugging: {shown}"
    );

    let acs = Client::new(&RPC, config.clone());
    assert_no_secret(&format!("{acs:?}"));
    let prepared = acs
        .prepare(acs.request(&GET_CONVERSATIONS))
        .expect("prepare");
    assert_eq!(
        prepared.header("x-acs-security-token"),
        Some(STS_TOKEN),
        "the token is sent..."
    );
    assert_no_secret(&format!("{prepared:?}"));

    let rest = Client::new(&REST, config);
    let prepared = rest
        .prepare(rest.request(&CONVERSATION_PAGE))
        .expect("prepare");
    assert_eq!(
        prepared.header("authorization"),
        Some(format!("Bearer {BEARER}").as_str())
    );
    assert_no_secret(&format!("{prepared:?}"));
}

#[test]
fn missing_credentials_name_the_variables_to_set() {
    let client = Client::new(
        &RPC,
        Config::builder().endpoint("http://127.0.0.1:9").build(),
    );
    let err = client
        .prepare(client.request(&GET_CONVERSATIONS))
        .expect_err("no credentials");
    let msg = err.to_string();
    assert!(matches!(err, Error::Config(_)));
    assert!(
        msg.contains("ALIBABA_CLOUD_ACCESS_KEY_ID")
            && msg.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{msg}"
    );

    let err = Config::from_env(&REST).expect_err("the variable is never set");
    assert!(
        err.to_string()
            .contains("WIREGEN_TEST_NEVER_SET_ALTATECH_KEY"),
        "{err}"
    );
    // A bearer token on an ACS3 service is the SDKs' bearer-token authentication, redacted.
    let client = Client::new(&RPC, Config::builder().bearer_token(BEARER).build());
    let prepared = client
        .prepare(client.request(&GET_CONVERSATIONS))
        .expect("bearer-token authentication");
    assert_eq!(prepared.header("x-acs-bearer-token"), Some(BEARER));
    assert_no_secret(&format!("{prepared:?}"));
}

const CHILD_MARKER: &str = "WIREGEN_RUNTIME_TEST_ENV_CHILD";

/// Runs itself again in a child process with the credential variables set (setting variables
/// in this process would race with other tests).
#[test]
fn credentials_from_the_environment() {
    if std::env::var_os(CHILD_MARKER).is_some() {
        let client = Client::from_env(&RPC).expect("credentials from env");
        let p = client
            .prepare(client.request(&GET_CONVERSATIONS))
            .expect("prepare");
        assert!(
            p.header("authorization")
                .is_some_and(|a| a.contains("Credential=env-id,")),
            "{p:?}"
        );
        assert_eq!(p.header("x-acs-security-token"), Some("env-token"));
        let bearer = Config::from_env(&REST).expect("bearer from env");
        let rest = Client::new(&REST, bearer);
        let p = rest
            .prepare(rest.request(&CONVERSATION_PAGE))
            .expect("prepare");
        assert_eq!(p.header("authorization"), Some("Bearer env-bearer"));
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "secrets::credentials_from_the_environment",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_MARKER, "1")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token")
        .env("WIREGEN_TEST_NEVER_SET_ALTATECH_KEY", "env-bearer")
        .output()
        .expect("run child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A subscriber that writes every span and event field into a string.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<String>>);

impl Capture {
    fn push(&self, s: &str) {
        if let Ok(mut t) = self.0.lock() {
            t.push_str(s);
            t.push('\n');
        }
    }
    pub fn text(&self) -> String {
        self.0.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut f = Fields(format!("span {} ", span.metadata().name()));
        span.record(&mut f);
        self.push(&f.0);
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut f = Fields("record ".into());
        values.record(&mut f);
        self.push(&f.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut f = Fields(format!("event {} ", event.metadata().level()));
        event.record(&mut f);
        self.push(&f.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn logs_name_the_call_but_never_a_secret() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"Code": "ServiceUnavailable", "RequestId": "R-log"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let retry = RetryPolicy::standard().with_base_delay(Duration::from_millis(1));
    let client = Client::new(
        &RPC,
        config(&server.uri())
            .security_token(STS_TOKEN)
            .retry(retry)
            .build(),
    );
    client
        .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
        .await
        .expect("retried");
    let logs = capture.text();
    assert!(
        logs.contains("GetConversations") && logs.contains("retrying") && logs.contains("R-log"),
        "{logs}"
    );
    assert_no_secret(&logs);
}

/// The credential chain and cache: settings holding a secret variable, providers holding
/// fetched keys, their errors and their logs never show a secret.
#[tokio::test]
async fn credential_sources_never_show_secrets() {
    use wiregen_runtime::{
        CachedProvider, ChainSettings, DefaultChain, ProvideCredentials, UriProvider,
    };

    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let home = tempfile::tempdir().expect("temp HOME");
    let settings = ChainSettings::from_vars([
        ("HOME", home.path().to_str().expect("utf-8")),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", AK_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]);
    assert_no_secret(&format!("{settings:?}"));
    let chain = DefaultChain::new(&settings);
    let found = chain.provide().await.expect("env credentials");
    assert_eq!(found.access_key.secret.expose(), AK_SECRET);
    assert_no_secret(&format!("{chain:?} {found:?}"));
    let config = Config::builder().credentials_provider(chain).build();
    assert_no_secret(&format!("{config:?}"));

    // A sidecar whose URI carries a token, answering once with keys, then with an error
    // body that quotes them.
    let sidecar = MockServer::start().await;
    let expiration =
        wiregen_runtime::time::acs_date(std::time::SystemTime::now() + Duration::from_secs(600));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Code": "Success", "AccessKeyId": AK_ID, "AccessKeySecret": AK_SECRET,
            "SecurityToken": STS_TOKEN, "Expiration": expiration,
        })))
        .up_to_n_times(1)
        .mount(&sidecar)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500).set_body_string(format!("{AK_SECRET} {STS_TOKEN}")),
        )
        .mount(&sidecar)
        .await;
    let uri = format!("{}/creds?token={BEARER}", sidecar.uri());
    let cached = CachedProvider::new(UriProvider::new(&uri));
    let first = cached.provide().await.expect("keys");
    assert_eq!(first.access_key.id, AK_ID);
    // Inside the refresh window: the refresh fails, the cached keys are used, a warning logged.
    let again = cached.provide().await.expect("still valid");
    assert_eq!(again.access_key.id, AK_ID);
    assert_no_secret(&format!("{cached:?}"));
    let failing = UriProvider::new(&uri);
    let err = failing.provide().await.expect_err("500");
    assert!(err.message().contains("HTTP 500"), "{err}");
    assert_no_secret(&format!("{err} {err:?} {failing:?}"));

    // A profile file full of secrets, with a mode that is not supported.
    std::fs::create_dir_all(home.path().join(".aliyun")).expect("dir");
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        json!({"current": "x", "profiles": [{"name": "x", "mode": "CloudSSO",
            "access_key_id": AK_ID, "access_key_secret": AK_SECRET, "sts_token": STS_TOKEN}]})
        .to_string(),
    )
    .expect("config.json");
    let chain = DefaultChain::new(&ChainSettings::from_vars([
        ("HOME", home.path().to_str().expect("utf-8")),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]));
    let err = chain.provide().await.expect_err("unsupported mode");
    assert!(err.message().contains("CloudSSO"), "{err}");
    assert_no_secret(&err.to_string());

    let logs = capture.text();
    assert!(logs.contains("refresh failed"), "{logs}");
    assert_no_secret(&logs);
}
