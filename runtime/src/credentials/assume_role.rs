//! [`AssumeRoleProvider`]: temporary credentials of a RAM role, from STS `AssumeRole` signed
//! with a long-lived AccessKey: the profile modes `RamRoleArn` (CLI) and `ram_role_arn` (ini).
//! The call goes through this runtime's own client, ACS3-signed like every other call.

use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use serde::Deserialize;

use super::fetch::Temporary;
use super::{AccessKey, Credentials, CredentialsError, ProvideCredentials};
use crate::config::Config;
use crate::error::{Error, UnknownCode};
use crate::retry::RetryPolicy;
use crate::service::{AuthScheme, ErrorShape, Method, OperationInfo, Protocol, ServiceInfo};

static STS: ServiceInfo = ServiceInfo {
    name: "sts",
    protocol: Protocol::AlibabaRpc,
    api_version: Some("2015-04-01"),
    default_endpoint: "https://sts.aliyuncs.com",
    regional_endpoints: &[],
    region_template: Some("https://sts.{region}.aliyuncs.com"),
    auth: AuthScheme::Acs3HmacSha256,
    error_shapes: &[ErrorShape::Alibaba],
    user_agent: concat!(
        "wiregen-runtime/",
        env!("CARGO_PKG_VERSION"),
        " credentials"
    ),
};

static ASSUME_ROLE: OperationInfo = OperationInfo {
    name: "AssumeRole",
    method: Method::Post,
    path: "/",
    idempotent: true,
};

/// Assumes a RAM role with a long-lived key. Wrap it in [`CachedProvider`](super::CachedProvider)
/// (the profile providers do).
#[derive(Debug)]
pub struct AssumeRoleProvider {
    client: crate::Client,
    role_arn: String,
    session_name: String,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` with `key`, through the STS at `sts_endpoint` (a URL such as
    /// `https://sts.cn-hangzhou.aliyuncs.com`), for one hour.
    pub fn new(
        key: AccessKey,
        sts_endpoint: impl Into<String>,
        role_arn: impl Into<String>,
    ) -> Self {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut config = Config::builder()
            .access_key(key.id, key.secret.expose())
            .endpoint(sts_endpoint)
            // The cache asks again on the next call; a retry here would only delay that.
            .retry(RetryPolicy::none())
            .timeout(Duration::from_secs(15));
        if let Some(token) = key.security_token {
            config = config.security_token(token.expose());
        }
        AssumeRoleProvider {
            client: crate::Client::new(&STS, config.build()),
            role_arn: role_arn.into(),
            session_name: format!("wiregen-{now}"),
            duration: Duration::from_secs(3600),
            policy: None,
            external_id: None,
        }
    }

    /// The role session name (default `wiregen-<unix time>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// An inline policy narrowing the role's permissions.
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external id the role's trust policy asks for.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// How long the credentials should last (STS accepts 900 s up to the role's maximum).
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration = d;
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        #[derive(Deserialize)]
        struct Answer {
            #[serde(rename = "Credentials")]
            credentials: Temporary,
        }
        crate::serde_decode!(Answer);
        let what = format!("STS AssumeRole for role {}", self.role_arn);
        let mut req = self.client.request(&ASSUME_ROLE);
        req.query("RoleArn", &self.role_arn)
            .query("RoleSessionName", &self.session_name)
            .query("DurationSeconds", &self.duration.as_secs());
        if let Some(p) = &self.policy {
            req.query("Policy", p);
        }
        if let Some(id) = &self.external_id {
            req.query("ExternalId", id);
        }
        match self.client.send::<Answer, UnknownCode>(req).await {
            Ok(answer) => answer.credentials.into_credentials("ram_role_arn", &what),
            // Neither the body nor the service's message is quoted: they may echo a key.
            Err(Error::Service(e)) => Err(CredentialsError::new(format!(
                "{what}: HTTP {}, code `{}`",
                e.status, e.raw_code
            ))),
            Err(Error::Decode(_)) => Err(CredentialsError::new(format!(
                "{what}: the answer has no complete `Credentials`"
            ))),
            Err(e) => Err(CredentialsError::new(format!("{what}: {e}"))),
        }
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
