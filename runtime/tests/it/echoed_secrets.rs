//! A server that echoes every request header back (some gateways and debugging proxies do):
//! in an error body, a success body that does not decode, an error event and an event that
//! does not decode. The credentials the request carried (AccessKey secret, STS token, Bearer
//! key, from static configuration or from a provider) must appear in no `Display`, `Debug` or
//! tracing line, in any of the forms the echo uses (raw, JSON-escaped `\/`, percent-encoded).

use std::error::Error as _;
use std::time::Duration;

use futures::StreamExt as _;
use futures::future::BoxFuture;
use wiregen_runtime::{
    AccessKey, Client, Config, Credentials, CredentialsError, Error, ProvideCredentials,
    RetryPolicy, SseOptions, UnknownCode,
};

use crate::common::*;
use crate::fault_server::{Echo, Fault, FaultServer, URL_COMPONENT};
use crate::secrets::Capture;

/// Secrets with the characters echoes escape (`/`, `+`, `=`), as real STS tokens have.
const SECRET: &str = "echo/AK+secret==value";
const TOKEN: &str = "CAIS/echo+sts/token==";
const KEY: &str = "app-echo/bearer+key==";
const PROVIDED_SECRET: &str = "provided/AK+secret==";
const PROVIDED_TOKEN: &str = "CAIS/provided+sts/token==";

const ALL: [&str; 5] = [SECRET, TOKEN, KEY, PROVIDED_SECRET, PROVIDED_TOKEN];

/// Every form of each secret an echo may show.
fn forms() -> Vec<String> {
    ALL.iter()
        .flat_map(|s| {
            let encoded = percent_encoding::utf8_percent_encode(s, URL_COMPONENT).to_string();
            [s.to_string(), s.replace('/', "\\/"), encoded]
        })
        .collect()
}

fn assert_clean(what: &str, text: &str) {
    for form in forms() {
        assert!(!text.contains(&form), "{what} shows `{form}`:\n{text}");
    }
}

/// `Display` and `Debug` of the error and of each cause.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}\n");
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(&format!("{c}\n{c:?}\n"));
        cause = c.source();
    }
    text
}

/// STS credentials from a provider, as the default chain's ECS RAM role or OIDC sources give.
#[derive(Debug)]
struct Sts;

impl ProvideCredentials for Sts {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async {
            let mut key = AccessKey::new(AK_ID, PROVIDED_SECRET);
            key.security_token = Some(wiregen_runtime::Secret::new(PROVIDED_TOKEN));
            Ok(Credentials::new(key, "test-sts"))
        })
    }
}

/// Clients with each kind of credentials, retrying quickly (so the retry log line prints the
/// error too).
fn clients(url: &str) -> Vec<Client> {
    let policy = RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(2));
    let build = |service, config: wiregen_runtime::ConfigBuilder| {
        Client::new(
            service,
            config
                .endpoint(url)
                .http_client_builder(http)
                .retry(policy.clone())
                .build(),
        )
    };
    vec![
        build(
            &RPC,
            Config::builder()
                .access_key(AK_ID, SECRET)
                .security_token(TOKEN),
        ),
        build(&RPC, Config::builder().credentials_provider(Sts)),
        build(&RPC, Config::builder().bearer_token(KEY)),
        build(&REST, Config::builder().bearer_token(KEY)),
    ]
}

const EVENTS: SseOptions = SseOptions {
    event_name_field: Some("event"),
    error_events: &["error"],
    terminal_events: &[],
    ignored_events: &[],
};

/// One call and one stream per client; what every error shows.
async fn drive(url: &str) -> String {
    let mut text = String::new();
    for client in clients(url) {
        let op = if client.service().name == REST.name {
            &CONVERSATION_PAGE
        } else {
            &GET_CONVERSATIONS
        };
        let req = client.request(op);
        if let Err(e) = client.send::<Vec<u32>, UnknownCode>(req.clone()).await {
            text.push_str(&shown(&e));
        }
        if let Err(e) = client.send_text::<UnknownCode>(req.clone()).await {
            text.push_str(&shown(&e));
        }
        let items: Vec<_> = client
            .send_sse::<Vec<u32>, UnknownCode>(req, EVENTS)
            .collect()
            .await;
        for e in items.iter().filter_map(|i| i.as_ref().err()) {
            text.push_str(&shown(e));
        }
    }
    text
}

#[tokio::test]
async fn no_echoed_credential_reaches_an_error_or_a_log_line() {
    tokio::time::timeout(Duration::from_secs(60), async {
        let capture = Capture::default();
        let _guard = tracing::subscriber::set_default(capture.clone());
        for echo in [
            Echo::ErrorBody(400),
            Echo::ErrorBody(503),
            Echo::Body,
            Echo::ErrorEvent,
        ] {
            let server = FaultServer::start(Fault::Echo(echo)).await;
            // Tests running in parallel may have registered the runtime's log call sites while
            // no capturing subscriber was alive, caching them as disabled: count this one in.
            tracing::callsite::rebuild_interest_cache();
            let text = drive(&server.url()).await;
            // The echo reached the errors, scrubbed: the test sees what it means to.
            assert!(
                text.contains("***"),
                "{echo:?}: nothing was scrubbed:\n{text}"
            );
            assert_clean(&format!("{echo:?}"), &text);
        }
        let logs = capture.text();
        // The service-error events carry the (masked) code: the echo reached the log. (The
        // retry event, which prints the whole error, is not required here: when tests run in
        // parallel another test may have registered its call site while no capturing
        // subscriber was alive, so it can be missing from this capture; the error's `Display`
        // it would print is checked above.)
        assert!(
            logs.contains("code=***"),
            "the echoed errors were logged: {logs}"
        );
        assert_clean("the tracing output", &logs);
    })
    .await
    .expect("the echo test hung");
}

#[tokio::test]
async fn an_echoing_error_event_keeps_its_type_with_the_credentials_masked() {
    tokio::time::timeout(Duration::from_secs(20), async {
        let server = FaultServer::start(Fault::Echo(Echo::ErrorEvent)).await;
        let client = &clients(&server.url())[0];
        let items: Vec<_> = client
            .send_sse::<Vec<u32>, UnknownCode>(client.request(&GET_CONVERSATIONS), EVENTS)
            .collect()
            .await;
        assert!(matches!(items[0], Err(Error::Decode(_))), "{items:?}");
        let Err(Error::Service(e)) = &items[1] else {
            panic!("expected the error event, got {items:?}");
        };
        assert_eq!(e.event.as_deref(), Some("error"));
        assert_eq!(e.raw_code, "***", "the Authorization header");
        assert_eq!(e.request_id.as_deref(), Some("***"), "the STS token");
        assert!(e.message.contains("x-acs-security-token: ***"), "{e:?}");
    })
    .await
    .expect("the echo test hung");
}
