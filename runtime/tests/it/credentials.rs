//! The credential chain on 127.0.0.1: a fake ECS metadata service (with and without its token
//! hardening), a fake STS for OIDC, a credentials URI, profile files in a temporary HOME, the
//! chain's order, and the cache: refresh before expiry, exactly one refresh under 100
//! concurrent calls, cached credentials kept when a refresh fails but never once expired.
//! Alibaba bearer-token authentication is on the wire here too.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use futures::future::{BoxFuture, join_all};
use serde_json::{Value, json};
use wiregen_runtime::{
    AccessKey, CachedProvider, ChainSettings, Client, Config, Credentials, CredentialsError,
    DefaultChain, ProvideCredentials, UnknownCode, UriProvider,
};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

/// Every test here is bounded: a hang is a failure, not a stuck CI.
const LIMIT: Duration = Duration::from_secs(20);

fn expiration_in(d: Duration) -> String {
    wiregen_runtime::time::acs_date(SystemTime::now() + d)
}

fn temporary(id: &str, valid_for: Duration) -> Value {
    json!({
        "Code": "Success",
        "AccessKeyId": id,
        "AccessKeySecret": format!("{id}-secret"),
        "SecurityToken": format!("{id}-token"),
        "Expiration": expiration_in(valid_for),
        "LastUpdated": "2026-01-01T00:00:00Z",
    })
}

const HOUR: Duration = Duration::from_secs(3600);

/// Settings for a machine with nothing configured but `vars`, a temporary HOME and the fake
/// metadata service at `imds` (an unroutable port when a test wants none).
fn settings(home: &tempfile::TempDir, imds: &str, vars: &[(&str, &str)]) -> ChainSettings {
    let home = home.path().to_str().expect("utf-8 temp dir").to_owned();
    let mut all: Vec<(String, String)> = vec![("HOME".into(), home)];
    all.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    ChainSettings::from_vars(all).with_imds_endpoint(imds)
}

async fn provide(p: &dyn ProvideCredentials) -> Result<Credentials, CredentialsError> {
    tokio::time::timeout(LIMIT, p.provide())
        .await
        .expect("no hang")
}

async fn mount_imds(server: &MockServer, role: &str, id: &str) {
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .and(header("x-aliyun-ecs-metadata-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("imds-session"))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/ram/security-credentials/"))
        .and(header("x-aliyun-ecs-metadata-token", "imds-session"))
        .respond_with(ResponseTemplate::new(200).set_body_string(role))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/latest/meta-data/ram/security-credentials/{role}"
        )))
        .and(header("x-aliyun-ecs-metadata-token", "imds-session"))
        .respond_with(ResponseTemplate::new(200).set_body_json(temporary(id, 6 * HOUR)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn ecs_ram_role_with_a_metadata_token() {
    let imds = MockServer::start().await;
    mount_imds(&imds, "app-role", "STS.ecs").await;
    let home = tempfile::tempdir().expect("temp HOME");
    let chain = DefaultChain::new(&settings(&home, &imds.uri(), &[]));
    let c = provide(&chain)
        .await
        .expect("credentials from the metadata service");
    assert_eq!(c.access_key.id, "STS.ecs");
    assert_eq!(c.access_key.secret.expose(), "STS.ecs-secret");
    assert_eq!(
        c.access_key.security_token.as_ref().map(|t| t.expose()),
        Some("STS.ecs-token")
    );
    assert_eq!(c.provider, "ecs_ram_role");
    assert!(
        c.expires
            .is_some_and(|at| at > SystemTime::now() + 5 * HOUR)
    );
}

#[tokio::test]
async fn ecs_ram_role_falls_back_to_v1_unless_disabled() {
    // No token endpoint (404): plain requests, unless IMDSv1 is disabled.
    let imds = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/latest/meta-data/ram/security-credentials/named-role",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(temporary("STS.v1", HOUR)))
        .mount(&imds)
        .await;
    let home = tempfile::tempdir().expect("temp HOME");
    let role = [("ALIBABA_CLOUD_ECS_METADATA", "named-role")];
    let chain = DefaultChain::new(&settings(&home, &imds.uri(), &role));
    let c = provide(&chain).await.expect("IMDSv1 fallback");
    assert_eq!(c.access_key.id, "STS.v1");

    let hardened = [
        ("ALIBABA_CLOUD_ECS_METADATA", "named-role"),
        ("ALIBABA_CLOUD_IMDSV1_DISABLED", "true"),
    ];
    let chain = DefaultChain::new(&settings(&home, &imds.uri(), &hardened));
    let err = provide(&chain).await.expect_err("v1 refused");
    assert!(
        err.message().contains("ALIBABA_CLOUD_IMDSV1_DISABLED"),
        "{err}"
    );
}

#[tokio::test]
async fn oidc_role_through_sts() {
    let sts = MockServer::start().await;
    let home = tempfile::tempdir().expect("temp HOME");
    let token_file = home.path().join("oidc-token");
    std::fs::write(&token_file, "eyJ.oidc.token\n").expect("token file");
    Mock::given(method("POST"))
        .and(path("/"))
        .and(body_string_contains("Action=AssumeRoleWithOIDC"))
        .and(body_string_contains("OIDCToken=eyJ.oidc.token&"))
        .and(body_string_contains(
            "RoleArn=acs%3Aram%3A%3A1%3Arole%2Fapp",
        ))
        .and(body_string_contains("RoleSessionName=pod-a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "RequestId": "r-1",
            "Credentials": temporary("STS.oidc", HOUR),
        })))
        .expect(1)
        .mount(&sts)
        .await;
    let vars = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/app"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/ack",
        ),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.to_str().expect("utf-8"),
        ),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-a"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ];
    let chain = DefaultChain::new(
        &settings(&home, "http://127.0.0.1:9", &vars).with_sts_endpoint(sts.uri()),
    );
    assert_eq!(chain.sources()[1], "OIDC role");
    let c = provide(&chain).await.expect("AssumeRoleWithOIDC");
    assert_eq!(c.access_key.id, "STS.oidc");
    assert_eq!(c.provider, "oidc_role_arn");
    // Cached: the second call does not ask STS again (`expect(1)` is checked on drop).
    provide(&chain).await.expect("cached");
    let requests = sts.received_requests().await.unwrap_or_default();
    assert!(
        requests.iter().all(|r| !r.url.as_str().contains("eyJ")),
        "the token stays out of the URL"
    );
}

#[tokio::test]
async fn sts_errors_name_the_code_not_the_body() {
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "Code": "AuthenticationFail.OIDCToken.Expired",
            "Message": "token eyJ.oidc.token expired",
        })))
        .mount(&sts)
        .await;
    let home = tempfile::tempdir().expect("temp HOME");
    let token_file = home.path().join("t");
    std::fs::write(&token_file, "eyJ.oidc.token").expect("token file");
    let p = wiregen_runtime::OidcProvider::new(
        sts.uri(),
        "acs:ram::1:role/app",
        "acs:ram::1:oidc-provider/ack",
        &token_file,
    );
    let err = provide(&p).await.expect_err("STS refused");
    let msg = err.to_string();
    assert!(
        msg.contains("HTTP 400") && msg.contains("AuthenticationFail.OIDCToken.Expired"),
        "{msg}"
    );
    assert!(!msg.contains("eyJ"), "{msg}");
}

#[tokio::test]
async fn credentials_uri() {
    let sidecar = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/credentials"))
        .and(query_param("role", "app"))
        .respond_with(ResponseTemplate::new(200).set_body_json(temporary("STS.uri", HOUR)))
        .mount(&sidecar)
        .await;
    let home = tempfile::tempdir().expect("temp HOME");
    let uri = format!("{}/v1/credentials?role=app", sidecar.uri());
    let vars = [
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str()),
    ];
    let chain = DefaultChain::new(&settings(&home, "http://127.0.0.1:9", &vars));
    assert_eq!(chain.sources().last(), Some(&"credentials URI"));
    let c = provide(&chain).await.expect("from the URI");
    assert_eq!(
        (c.access_key.id.as_str(), c.provider.as_str()),
        ("STS.uri", "credential_uri")
    );
}

#[tokio::test]
async fn profile_files_in_home_and_the_chain_order() {
    let home = tempfile::tempdir().expect("temp HOME");
    let ini_dir = home.path().join(".alibabacloud");
    std::fs::create_dir_all(&ini_dir).expect("dir");
    std::fs::write(
        ini_dir.join("credentials.ini"),
        "[default]\nenable = true\ntype = access_key # a comment\naccess_key_id = ini-id\naccess_key_secret = ini-secret\n\n\
         [prod]\ntype = access_key\naccess_key_id = prod-id\naccess_key_secret = prod-secret\n\n\
         [weird]\ntype = rsa_key_pair\n",
    )
    .expect("ini");
    let off = "http://127.0.0.1:9";
    let no_imds = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

    let c = provide(&DefaultChain::new(&settings(&home, off, &[no_imds])))
        .await
        .expect("ini");
    assert_eq!(
        (c.access_key.id.as_str(), c.provider.as_str()),
        ("ini-id", "profile/default")
    );
    let prod = [no_imds, ("ALIBABA_CLOUD_PROFILE", "prod")];
    let c = provide(&DefaultChain::new(&settings(&home, off, &prod)))
        .await
        .expect("ini [prod]");
    assert_eq!(c.access_key.id, "prod-id");
    let weird = [no_imds, ("ALIBABA_CLOUD_PROFILE", "weird")];
    let err = provide(&DefaultChain::new(&settings(&home, off, &weird)))
        .await
        .expect_err("rsa");
    assert!(
        err.message().contains("rsa_key_pair") && err.message().contains("credentials.ini"),
        "{err}"
    );

    // The CLI's config.json comes before credentials.ini; its `current` profile is used.
    let cli_dir = home.path().join(".aliyun");
    std::fs::create_dir_all(&cli_dir).expect("dir");
    std::fs::write(
        cli_dir.join("config.json"),
        json!({
            "current": "sts",
            "profiles": [
                {"name": "default", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret"},
                {"name": "sts", "mode": "StsToken", "access_key_id": "cli-sts-id",
                 "access_key_secret": "cli-sts-secret", "sts_token": "cli-sts-token"},
                {"name": "prod", "mode": "AK", "access_key_id": "cli-prod-id", "access_key_secret": "s"},
            ]
        })
        .to_string(),
    )
    .expect("config.json");
    let c = provide(&DefaultChain::new(&settings(&home, off, &[no_imds])))
        .await
        .expect("cli");
    assert_eq!(c.access_key.id, "cli-sts-id");
    assert_eq!(
        c.access_key.security_token.as_ref().map(|t| t.expose()),
        Some("cli-sts-token")
    );
    let c = provide(&DefaultChain::new(&settings(&home, off, &prod)))
        .await
        .expect("cli prod");
    assert_eq!(c.access_key.id, "cli-prod-id");
    let disabled = [no_imds, ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")];
    let c = provide(&DefaultChain::new(&settings(&home, off, &disabled)))
        .await
        .expect("ini again");
    assert_eq!(c.access_key.id, "ini-id");

    // The environment comes first of all.
    let env = [
        no_imds,
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ];
    let c = provide(&DefaultChain::new(&settings(&home, off, &env)))
        .await
        .expect("env");
    assert_eq!(
        (c.access_key.id.as_str(), c.provider.as_str()),
        ("env-id", "env")
    );
}

#[tokio::test]
async fn an_ini_profile_can_name_the_ecs_role() {
    let imds = MockServer::start().await;
    mount_imds(&imds, "from-ini", "STS.ini-ecs").await;
    let home = tempfile::tempdir().expect("temp HOME");
    let file = home.path().join("elsewhere.ini");
    std::fs::write(
        &file,
        "[default]\ntype = ecs_ram_role\nrole_name = from-ini\n",
    )
    .expect("ini");
    let vars = [
        (
            "ALIBABA_CLOUD_CREDENTIALS_FILE",
            file.to_str().expect("utf-8"),
        ),
        // The chain's own metadata link is off: only the profile's may ask.
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ];
    let c = provide(&DefaultChain::new(&settings(&home, &imds.uri(), &vars)))
        .await
        .expect("ini ecs");
    assert_eq!(c.access_key.id, "STS.ini-ecs");
}

#[tokio::test]
async fn nothing_configured_lists_every_source() {
    let home = tempfile::tempdir().expect("temp HOME");
    let chain = DefaultChain::new(&settings(&home, "http://127.0.0.1:9", &[]));
    let err = provide(&chain).await.expect_err("nothing anywhere");
    let msg = err.message();
    for source in [
        "environment",
        "CLI profile",
        "credentials file",
        "ECS RAM role",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
    ] {
        assert!(msg.contains(source), "{source} missing from: {msg}");
    }
}

/// A credentials server answering with a new key each time: the first valid for `first`
/// (inside the refresh window when short), the later ones for six hours. It counts the calls.
struct Rotating {
    calls: Arc<AtomicUsize>,
    first: Duration,
}

impl Respond for Rotating {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let valid = if n == 1 { self.first } else { 6 * HOUR };
        ResponseTemplate::new(200)
            .set_body_json(temporary(&format!("AK-{n}"), valid))
            // Long enough for every concurrent caller to arrive during the refresh.
            .set_delay(Duration::from_millis(100))
    }
}

#[tokio::test]
async fn one_refresh_for_100_concurrent_calls_near_expiry() {
    let sidecar = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .respond_with(Rotating {
            calls: Arc::clone(&calls),
            // Expires in 5 minutes: inside the 15-minute refresh window.
            first: Duration::from_secs(300),
        })
        .mount(&sidecar)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r"})))
        .mount(&api)
        .await;
    let provider = CachedProvider::new(UriProvider::new(format!("{}/creds", sidecar.uri())));
    let client = Client::new(
        &RPC,
        Config::builder()
            .endpoint(api.uri())
            .credentials_provider(provider)
            .build(),
    );
    let call = || async {
        client
            .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
            .await
    };
    tokio::time::timeout(LIMIT, call())
        .await
        .expect("no hang")
        .expect("first call");
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let results = tokio::time::timeout(LIMIT, join_all((0..100).map(|_| call())))
        .await
        .expect("no hang");
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "exactly one refresh");

    let requests = api.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 101);
    let signed_by = |r: &Request, id: &str| {
        r.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains(&format!("Credential={id},")))
    };
    assert!(signed_by(&requests[0], "AK-1"));
    assert!(
        requests[1..].iter().all(|r| signed_by(r, "AK-2")
            && r.headers
                .get("x-acs-security-token")
                .and_then(|v| v.to_str().ok())
                == Some("AK-2-token")),
        "every later call signs with the refreshed key"
    );
}

/// A provider whose answers are scripted, one per call.
#[derive(Debug)]
struct Scripted {
    answers: std::sync::Mutex<Vec<Result<Credentials, CredentialsError>>>,
    calls: AtomicUsize,
}

impl Scripted {
    fn new(mut answers: Vec<Result<Credentials, CredentialsError>>) -> Self {
        answers.reverse();
        Scripted {
            answers: std::sync::Mutex::new(answers),
            calls: AtomicUsize::new(0),
        }
    }
}

impl ProvideCredentials for Scripted {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let next = self.answers.lock().expect("lock").pop();
        Box::pin(async move {
            tokio::task::yield_now().await;
            next.unwrap_or_else(|| Err(CredentialsError::new("script exhausted")))
        })
    }
}

fn key(id: &str, valid_for: Option<Duration>, expired: bool) -> Credentials {
    let c = Credentials::new(AccessKey::new(id, "s"), "scripted");
    match (valid_for, expired) {
        (_, true) => c.expiring(SystemTime::now() - Duration::from_secs(1)),
        (Some(d), false) => c.expiring(SystemTime::now() + d),
        (None, false) => c,
    }
}

#[tokio::test]
async fn cache_keeps_unexpired_credentials_when_a_refresh_fails_but_never_expired_ones() {
    // Long-lived: asked once.
    let cached = Arc::new(CachedProvider::new(Scripted::new(vec![Ok(key(
        "forever", None, false,
    ))])));
    for _ in 0..3 {
        assert_eq!(
            provide(&cached).await.expect("cached").access_key.id,
            "forever"
        );
    }
    // Near expiry and the refresh fails: the old key is still valid, so it is used.
    let cached = CachedProvider::new(Scripted::new(vec![
        Ok(key("soon", Some(Duration::from_secs(60)), false)),
        Err(CredentialsError::new("sts down")),
        Ok(key("new", Some(HOUR), false)),
    ]));
    assert_eq!(provide(&cached).await.expect("first").access_key.id, "soon");
    assert_eq!(
        provide(&cached)
            .await
            .expect("stale but valid")
            .access_key
            .id,
        "soon"
    );
    assert_eq!(
        provide(&cached).await.expect("refreshed").access_key.id,
        "new"
    );
    assert_eq!(
        provide(&cached).await.expect("fresh, cached").access_key.id,
        "new"
    );
    // A source that hands out expired credentials gets an error, never the key.
    let cached = CachedProvider::new(Scripted::new(vec![Ok(key("dead", None, true))]));
    let err = provide(&cached).await.expect_err("expired");
    assert!(err.message().contains("expired"), "{err}");
    // A custom refresh window.
    let cached = CachedProvider::new(Scripted::new(vec![
        Ok(key("a", Some(Duration::from_secs(120)), false)),
        Ok(key("b", Some(HOUR), false)),
    ]))
    .refresh_before(Duration::from_secs(60));
    assert_eq!(provide(&cached).await.expect("a").access_key.id, "a");
    assert_eq!(
        provide(&cached)
            .await
            .expect("a is fresh for this window")
            .access_key
            .id,
        "a"
    );
}

#[tokio::test]
async fn a_failing_provider_fails_the_call_with_its_reason() {
    let client = Client::new(
        &RPC,
        Config::builder()
            .endpoint("http://127.0.0.1:9")
            .credentials_provider(Scripted::new(vec![Err(CredentialsError::new(
                "vault sealed",
            ))]))
            .build(),
    );
    let err = tokio::time::timeout(
        LIMIT,
        client.send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS)),
    )
    .await
    .expect("no hang")
    .expect_err("no credentials");
    assert!(err.to_string().contains("vault sealed"), "{err}");
    // `prepare` is synchronous and signs with static keys only; `prepare_with` asks the provider.
    let err = client
        .prepare(client.request(&GET_CONVERSATIONS))
        .expect_err("static only");
    assert!(err.to_string().contains("prepare_with"), "{err}");
}

#[tokio::test]
async fn bearer_token_on_alibaba_services_goes_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(query_param("SignatureType", "BEARERTOKEN"))
        .and(header("x-acs-bearer-token", "bt-123"))
        .and(header("x-acs-action", "GetConversations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("x-acs-signature-type", "BEARERTOKEN"))
        .and(header("x-acs-bearer-token", "bt-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"requestId": "r"})))
        .expect(1)
        .mount(&server)
        .await;
    let config = || {
        Config::builder()
            .endpoint(server.uri())
            .bearer_token("bt-123")
            .build()
    };
    let rpc = Client::new(&RPC, config());
    let mut req = rpc.request(&GET_CONVERSATIONS);
    req.query("Limit", &5);
    tokio::time::timeout(LIMIT, rpc.send::<Value, UnknownCode>(req))
        .await
        .expect("no hang")
        .expect("RPC with a bearer token");
    let roa = Client::new(&ROA, config());
    tokio::time::timeout(
        LIMIT,
        roa.send::<Value, UnknownCode>(roa.request(&LIST_CONVERSATIONS)),
    )
    .await
    .expect("no hang")
    .expect("ROA with a bearer token");
    for r in server.received_requests().await.unwrap_or_default() {
        assert!(
            r.headers.get("authorization").is_none(),
            "no signature with a bearer token"
        );
    }
    let rpc_url = &server.received_requests().await.unwrap_or_default()[0].url;
    assert_eq!(rpc_url.query(), Some("Limit=5&SignatureType=BEARERTOKEN"));
}

/// Even when the source only ever hands out short-lived credentials (inside the refresh
/// window), the callers waiting on a refresh use its result instead of refreshing in turn.
#[tokio::test]
async fn waiters_reuse_a_refresh_that_is_already_near_expiry() {
    let short = || Ok(key("short", Some(Duration::from_secs(120)), false));
    let scripted = Arc::new(Scripted::new((0..200).map(|_| short()).collect()));
    let cached = CachedProvider::new(Arc::clone(&scripted));
    provide(&cached).await.expect("first");
    let all = tokio::time::timeout(LIMIT, join_all((0..100).map(|_| cached.provide())))
        .await
        .expect("no hang");
    assert!(all.iter().all(Result::is_ok));
    assert_eq!(
        scripted.calls.load(Ordering::SeqCst),
        2,
        "one refresh for the 100 waiters"
    );
}

#[tokio::test]
async fn ram_role_arn_profiles_assume_the_role_through_signed_sts() {
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-acs-action", "AssumeRole"))
        .and(header("x-acs-version", "2015-04-01"))
        .and(query_param("RoleArn", "acs:ram::1:role/deployer"))
        .and(query_param("RoleSessionName", "ci"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "RequestId": "r-2",
            "Credentials": temporary("STS.assumed", HOUR),
        })))
        .expect(2)
        .mount(&sts)
        .await;
    let home = tempfile::tempdir().expect("temp HOME");
    let ini = home.path().join("role.ini");
    std::fs::write(
        &ini,
        "[default]\ntype = ram_role_arn\naccess_key_id = base-id\naccess_key_secret = base-secret\n\
         role_arn = acs:ram::1:role/deployer\nrole_session_name = ci\n",
    )
    .expect("ini");
    let vars = [
        (
            "ALIBABA_CLOUD_CREDENTIALS_FILE",
            ini.to_str().expect("utf-8"),
        ),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ];
    let settings = settings(&home, "http://127.0.0.1:9", &vars).with_sts_endpoint(sts.uri());
    let c = provide(&DefaultChain::new(&settings))
        .await
        .expect("assumed");
    assert_eq!(
        (c.access_key.id.as_str(), c.provider.as_str()),
        ("STS.assumed", "ram_role_arn")
    );

    // The same through the CLI's config.json.
    std::fs::create_dir_all(home.path().join(".aliyun")).expect("dir");
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        json!({"current": "r", "profiles": [{"name": "r", "mode": "RamRoleArn",
            "access_key_id": "base-id", "access_key_secret": "base-secret",
            "ram_role_arn": "acs:ram::1:role/deployer", "ram_session_name": "ci"}]})
        .to_string(),
    )
    .expect("config.json");
    let settings = settings_without_file(&home, sts.uri());
    let c = provide(&DefaultChain::new(&settings))
        .await
        .expect("assumed via CLI profile");
    assert_eq!(c.access_key.id, "STS.assumed");
    let requests = sts.received_requests().await.unwrap_or_default();
    for r in &requests {
        let auth = r
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            auth.starts_with("ACS3-HMAC-SHA256 Credential=base-id,"),
            "{auth}"
        );
    }
}

fn settings_without_file(home: &tempfile::TempDir, sts: String) -> ChainSettings {
    settings(
        home,
        "http://127.0.0.1:9",
        &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
    )
    .with_sts_endpoint(sts)
}
