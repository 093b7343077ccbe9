//! Credentials: an Alibaba Cloud [`AccessKey`] pair (optionally with an STS token) or a Bearer
//! key, explicit or from the environment. Secret values are wrapped in [`Secret`], whose `Debug`
//! never shows them, and no error message or log line ever includes them.

use std::fmt;

use crate::error::Error;
use crate::service::{AuthScheme, ServiceInfo};

/// Environment variable holding the AccessKey id.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an optional STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// A secret string: usable by the runtime, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value (only to sign or authenticate with).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An Alibaba Cloud AccessKey pair, optionally with an STS security token.
#[derive(Clone, Debug)]
pub struct AccessKey {
    /// AccessKey id (not secret: it travels in `Authorization`).
    pub id: String,
    /// AccessKey secret, the HMAC key.
    pub secret: Secret,
    /// STS security token, sent as `x-acs-security-token`.
    pub security_token: Option<Secret>,
}

impl AccessKey {
    /// Reads [`ENV_ACCESS_KEY_ID`], [`ENV_ACCESS_KEY_SECRET`] and optionally
    /// [`ENV_SECURITY_TOKEN`]; `None` unless both of the first two are set and non-empty.
    pub fn from_env() -> Option<AccessKey> {
        Some(AccessKey {
            id: env_var(ENV_ACCESS_KEY_ID)?,
            secret: Secret(env_var(ENV_ACCESS_KEY_SECRET)?),
            security_token: env_var(ENV_SECURITY_TOKEN).map(Secret),
        })
    }
}

/// Reads a Bearer key from the variable `name`; `None` if unset or empty.
pub(crate) fn bearer_from_env(name: &str) -> Option<Secret> {
    env_var(name).map(Secret)
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The `Error::Config` for a client without the credentials its service needs; it names the
/// environment variables (never their values) and the builder call to use instead.
pub(crate) fn missing(service: &ServiceInfo) -> Error {
    let how = match service.auth {
        AuthScheme::Acs3HmacSha256 => format!(
            "set {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} (plus {ENV_SECURITY_TOKEN} for STS) \
             or call Config::builder().access_key(id, secret)"
        ),
        AuthScheme::Bearer { env } => {
            format!("set {env} or call Config::builder().bearer_token(key)")
        }
    };
    Error::Config(format!(
        "no credentials for service `{}`: {how}",
        service.name
    ))
}
