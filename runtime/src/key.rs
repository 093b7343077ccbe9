//! The values credentials are made of: [`Secret`], [`AccessKey`], [`Credentials`], the
//! [`ProvideCredentials`] interface and where a client's key comes from. A leaf, so that the
//! configuration, the client and the credential sources (some of which call STS through the
//! client) can all use them without depending on one another.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use futures::future::BoxFuture;

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
    /// A pair without an STS token.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        AccessKey {
            id: id.into(),
            secret: Secret::new(secret),
            security_token: None,
        }
    }

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

/// Credentials handed out by a [`ProvideCredentials`] source: the key, when it stops being
/// valid, and which provider produced it (for diagnostics; not secret).
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The AccessKey pair, with the STS token of temporary credentials.
    pub access_key: AccessKey,
    /// When the credentials expire; `None` for long-lived keys.
    pub expires: Option<SystemTime>,
    /// The provider, e.g. `"env"`, `"ecs_ram_role"`, `"oidc_role_arn"`, `"profile/static_ak"`.
    pub provider: String,
}

impl Credentials {
    /// Long-lived credentials from `provider`.
    pub fn new(access_key: AccessKey, provider: impl Into<String>) -> Self {
        Credentials {
            access_key,
            expires: None,
            provider: provider.into(),
        }
    }

    /// The same credentials, expiring at `at`.
    pub fn expiring(mut self, at: SystemTime) -> Self {
        self.expires = Some(at);
        self
    }
}

/// Why a provider gave no credentials. The message names the source (a file, a variable, an
/// endpoint) and never a secret; providers in a chain report each of theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// An error with `message` (which must not contain a secret).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// A source of credentials, asked before every signed attempt. Implement it to plug in your
/// own (a vault, a sidecar); wrap slow or expiring sources in
/// [`CachedProvider`](crate::CachedProvider), which the built-in network providers already are.
///
/// ```
/// use wiregen_runtime::{AccessKey, Credentials, CredentialsError, ProvideCredentials};
/// use wiregen_runtime::futures::future::BoxFuture;
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
///         Box::pin(async { Ok(Credentials::new(AccessKey::new("id", "secret"), "vault")) })
///     }
/// }
/// let config = wiregen_runtime::Config::builder().credentials_provider(FromVault).build();
/// # let _ = config;
/// ```
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// The current credentials.
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide()
    }
}

/// Where a client's ACS3 credentials come from.
#[derive(Clone, Debug)]
pub(crate) enum KeySource {
    /// Nothing configured.
    None,
    /// An explicit or environment key, shared without copying per call.
    Static(Arc<AccessKey>),
    /// A provider asked before every attempt.
    Provider(Arc<dyn ProvideCredentials>),
}

impl KeySource {
    /// The key to sign one attempt with.
    pub(crate) async fn resolve(&self) -> Result<Option<Arc<AccessKey>>, Error> {
        match self {
            KeySource::None => Ok(None),
            KeySource::Static(k) => Ok(Some(Arc::clone(k))),
            KeySource::Provider(p) => match p.provide().await {
                Ok(c) => Ok(Some(Arc::new(c.access_key))),
                Err(e) => Err(Error::Config(format!("no credentials: {e}"))),
            },
        }
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
            "set {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} (plus {ENV_SECURITY_TOKEN} for STS), \
             call Config::builder().access_key(id, secret), .bearer_token(token) or \
             .credentials_provider(provider), or use Config::from_env for the default credential chain"
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
