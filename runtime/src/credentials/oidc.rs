//! [`OidcProvider`]: RRSA on ACK. The pod's OIDC token (`ALIBABA_CLOUD_OIDC_TOKEN_FILE`) is
//! exchanged for temporary credentials of a RAM role (`ALIBABA_CLOUD_ROLE_ARN`) through STS
//! `AssumeRoleWithOIDC` (`ALIBABA_CLOUD_OIDC_PROVIDER_ARN`), an unsigned call. The token file is
//! read again on every refresh, since the cluster rotates it.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;

use super::fetch::{Temporary, error_code, exchange, http_client};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::encode::wire_query;
use crate::time::acs_date;

/// Lifetime asked of STS: one hour, the SDKs' default (900 s is the minimum).
const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

/// What `AssumeRoleWithOIDC` needs.
#[derive(Debug, Clone)]
pub struct OidcProvider {
    http: Result<reqwest::Client, CredentialsError>,
    sts_endpoint: String,
    role_arn: String,
    provider_arn: String,
    token_file: PathBuf,
    session_name: String,
    duration: Duration,
    policy: Option<String>,
}

impl OidcProvider {
    /// Assumes `role_arn` with the token in `token_file`, through the STS at `sts_endpoint`
    /// (a URL such as `https://sts.cn-hangzhou.aliyuncs.com`).
    pub fn new(
        sts_endpoint: impl Into<String>,
        role_arn: impl Into<String>,
        provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let sts_endpoint = sts_endpoint.into().trim_end_matches('/').to_owned();
        OidcProvider {
            // The SDKs' timeouts: 5 s to connect, 10 s to read.
            http: http_client(
                &sts_endpoint,
                Duration::from_secs(5),
                Duration::from_secs(15),
                true,
            ),
            sts_endpoint,
            role_arn: role_arn.into(),
            provider_arn: provider_arn.into(),
            token_file: token_file.into(),
            session_name: format!("wiregen-{now}"),
            duration: DEFAULT_DURATION,
            policy: None,
        }
    }

    /// The role session name (`ALIBABA_CLOUD_ROLE_SESSION_NAME`; default `wiregen-<unix time>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// An inline policy narrowing the role's permissions.
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// How long the credentials should last (STS accepts 900 s up to the role's maximum).
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration = d;
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        const WHAT: &str = "STS AssumeRoleWithOIDC";
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let token = tokio::fs::read_to_string(&self.token_file)
            .await
            .map_err(|e| {
                CredentialsError::new(format!(
                    "cannot read the OIDC token file {} (ALIBABA_CLOUD_OIDC_TOKEN_FILE): {e}",
                    self.token_file.display()
                ))
            })?;
        let mut form = vec![
            ("Action", "AssumeRoleWithOIDC".to_owned()),
            ("Format", "JSON".to_owned()),
            ("Version", "2015-04-01".to_owned()),
            ("DurationSeconds", self.duration.as_secs().to_string()),
            ("RoleArn", self.role_arn.clone()),
            ("OIDCProviderArn", self.provider_arn.clone()),
            ("OIDCToken", token.trim().to_owned()),
            ("RoleSessionName", self.session_name.clone()),
            ("Timestamp", acs_date(SystemTime::now())),
        ];
        if let Some(p) = &self.policy {
            form.push(("Policy", p.clone()));
        }
        // A form body rather than the query: the token stays out of URLs and access logs.
        let req = http
            .post(format!("{}/", self.sts_endpoint))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(wire_query(&form));
        let (status, body) = exchange(req, WHAT).await?;
        if status != 200 {
            return Err(CredentialsError::new(format!(
                "{WHAT} for role {}: HTTP {status}{}",
                self.role_arn,
                error_code(&body)
            )));
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Answer {
            credentials: Option<Temporary>,
        }
        let answer: Answer = serde_json::from_slice(&body).map_err(|_| {
            CredentialsError::new(format!(
                "{WHAT}: the answer is not the expected JSON object"
            ))
        })?;
        answer
            .credentials
            .ok_or_else(|| {
                CredentialsError::new(format!("{WHAT}: the answer has no `Credentials`"))
            })?
            .into_credentials("oidc_role_arn", WHAT)
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
