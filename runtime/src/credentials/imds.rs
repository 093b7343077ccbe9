//! [`ImdsProvider`]: the RAM role of an ECS instance, from the instance metadata service
//! (`http://100.100.100.200`), with its token hardening: a session token is first asked for
//! with `PUT /latest/api/token` and sent as `X-aliyun-ecs-metadata-token`; only if that fails,
//! and `ALIBABA_CLOUD_IMDSV1_DISABLED` is not `true`, are the plain (v1) requests used.

use std::time::Duration;

use futures::future::BoxFuture;

use super::fetch::{Temporary, exchange, http_client};
use super::{Credentials, CredentialsError, ProvideCredentials};

/// The metadata service's address on every ECS instance.
pub const DEFAULT_IMDS_ENDPOINT: &str = "http://100.100.100.200";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";
/// The session-token lifetime the SDKs ask for (6 hours).
const TOKEN_TTL_SECONDS: &str = "21600";
/// The metadata service is local: the SDKs give up after one second.
const TIMEOUT: Duration = Duration::from_secs(1);

/// Temporary credentials of the instance's RAM role. Wrap it in
/// [`CachedProvider`](super::CachedProvider) (the default chain does).
#[derive(Debug)]
pub struct ImdsProvider {
    http: Result<reqwest::Client, CredentialsError>,
    endpoint: String,
    role_name: Option<String>,
    disable_v1: bool,
}

impl ImdsProvider {
    /// Asks the metadata service at `endpoint` (normally [`DEFAULT_IMDS_ENDPOINT`]); with
    /// `role_name` `None`, the role is looked up first. `disable_v1` refuses to fall back to
    /// requests without a session token.
    pub fn new(endpoint: impl Into<String>, role_name: Option<String>, disable_v1: bool) -> Self {
        let endpoint = endpoint.into().trim_end_matches('/').to_owned();
        ImdsProvider {
            // Never through a proxy: the address is link-local to the instance.
            http: http_client(&endpoint, TIMEOUT, TIMEOUT * 2, false),
            endpoint,
            role_name: role_name.filter(|r| !r.is_empty()),
            disable_v1,
        }
    }

    async fn token(&self, http: &reqwest::Client) -> Result<Option<String>, CredentialsError> {
        let req = http
            .put(format!("{}{TOKEN_PATH}", self.endpoint))
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS);
        let failure = match exchange(req, "ECS metadata token").await {
            Ok((200, body)) => match String::from_utf8(body) {
                Ok(t) if !t.trim().is_empty() => return Ok(Some(t.trim().to_owned())),
                _ => CredentialsError::new("ECS metadata token: the answer is empty or not text"),
            },
            Ok((status, _)) => CredentialsError::new(format!("ECS metadata token: HTTP {status}")),
            Err(e) => e,
        };
        if self.disable_v1 {
            Err(CredentialsError::new(format!(
                "{failure} (and ALIBABA_CLOUD_IMDSV1_DISABLED forbids requests without a token)"
            )))
        } else {
            tracing::debug!(error = %failure, "no ECS metadata token; falling back to IMDSv1");
            Ok(None)
        }
    }

    async fn get(
        &self,
        http: &reqwest::Client,
        path: &str,
        token: Option<&str>,
        what: &str,
    ) -> Result<Vec<u8>, CredentialsError> {
        let mut req = http.get(format!("{}{path}", self.endpoint));
        if let Some(t) = token {
            req = req.header("X-aliyun-ecs-metadata-token", t);
        }
        match exchange(req, what).await? {
            (200, body) => Ok(body),
            (status, _) => Err(CredentialsError::new(format!("{what}: HTTP {status}"))),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let token = self.token(http).await?;
        let role = match &self.role_name {
            Some(r) => r.clone(),
            None => {
                let body = self
                    .get(http, ROLE_PATH, token.as_deref(), "ECS RAM role name")
                    .await?;
                let name = String::from_utf8(body).unwrap_or_default();
                let name = name.lines().next().unwrap_or_default().trim().to_owned();
                if name.is_empty() {
                    return Err(CredentialsError::new(
                        "ECS RAM role name: the instance has no RAM role attached",
                    ));
                }
                name
            }
        };
        if role.contains(['/', '?', '#']) {
            return Err(CredentialsError::new(format!(
                "ECS RAM role name `{role}` is not a single path segment"
            )));
        }
        let what = format!("ECS RAM role `{role}` credentials");
        let body = self
            .get(http, &format!("{ROLE_PATH}{role}"), token.as_deref(), &what)
            .await?;
        let answer = Temporary::parse(&body, &what)?;
        if answer.code.as_deref() != Some("Success") {
            return Err(CredentialsError::new(format!(
                "{what}: `Code` is not `Success`"
            )));
        }
        answer.into_credentials("ecs_ram_role", &what)
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
