//! Client configuration: credentials, endpoint or region, HTTP client, timeouts, retries.

use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{self, AccessKey, DefaultChain, KeySource, ProvideCredentials, Secret};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::service::{AuthScheme, ServiceInfo};

/// Default time to establish a connection: the official SDKs' 5 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default limit for a whole exchange (send, wait, read the body). Generous because blocking
/// LLM calls (ChatMessages in blocking mode) legitimately take up to ~100 s, the point where
/// the Dify backend's proxy gives up; tighten it per call for quick reads.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Default silence allowed on a server-sent-events stream. The servers send a keep-alive ping
/// about every 10 s, so 60 s means several missed pings: the stream is dead, not slow.
pub const DEFAULT_SSE_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Configuration of a [`Client`](crate::Client); build one with [`Config::builder`] or
/// [`Config::from_env`].
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) key: KeySource,
    pub(crate) bearer: Option<Secret>,
    pub(crate) endpoint: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) sse_idle_timeout: Duration,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) user_agent_suffix: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            key: KeySource::None,
            bearer: None,
            endpoint: None,
            region: None,
            http_client: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            sse_idle_timeout: DEFAULT_SSE_IDLE_TIMEOUT,
            retry: None,
            user_agent_suffix: None,
        }
    }
}

impl Config {
    /// A builder starting from the defaults (no credentials).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            config: Config::default(),
            security_token: None,
        }
    }

    /// The defaults plus the credentials `service` needs, from the environment. ACS3 services:
    /// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and optionally
    /// `ALIBABA_CLOUD_SECURITY_TOKEN` when set, else the rest of the
    /// [`DefaultChain`](crate::DefaultChain) (OIDC role, profile files, ECS RAM role,
    /// credentials URI), asked on the first call. Bearer services: the variable named by
    /// [`AuthScheme::Bearer`]; the error names it.
    pub fn from_env(service: &ServiceInfo) -> Result<Config, Error> {
        Config::builder()
            .credentials_from_env(service)
            .map(ConfigBuilder::build)
    }

    /// The region, if one was set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint, if one was set.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }
}

/// Builder of [`Config`].
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    config: Config,
    security_token: Option<Secret>,
}

impl ConfigBuilder {
    /// Alibaba Cloud AccessKey pair (ACS3 services).
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.config.key = KeySource::Static(Arc::new(AccessKey::new(id, secret)));
        self
    }

    /// A source of credentials asked before every attempt (ACS3 services): the
    /// [`DefaultChain`], one of its providers, or your own [`ProvideCredentials`]. Wrap
    /// sources that fetch over the network in [`CachedProvider`](crate::CachedProvider).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.key = KeySource::Provider(Arc::new(provider));
        self
    }

    /// The official SDKs' default credential chain for this process (see [`DefaultChain`]).
    pub fn default_credentials_chain(self) -> Self {
        self.credentials_provider(DefaultChain::from_env())
    }

    /// STS security token, sent with the AccessKey pair (before or after `access_key`).
    pub fn security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret::new(token));
        self
    }

    /// Bearer token: `Authorization: Bearer` for Bearer services; for Alibaba Cloud services
    /// without an AccessKey, the SDKs' bearer-token authentication (`x-acs-bearer-token`,
    /// `SignatureType=BEARERTOKEN`) instead of a signature.
    pub fn bearer_token(mut self, key: impl Into<String>) -> Self {
        self.config.bearer = Some(Secret::new(key));
        self
    }

    /// Fills in the credentials `service` needs from the environment (see [`Config::from_env`]).
    pub fn credentials_from_env(mut self, service: &ServiceInfo) -> Result<Self, Error> {
        match service.auth {
            AuthScheme::Acs3HmacSha256 => {
                // The chain's first link, read now so that a plain AccessKey costs nothing per call.
                self.config.key = match AccessKey::from_env() {
                    Some(key) => KeySource::Static(Arc::new(key)),
                    None => KeySource::Provider(Arc::new(DefaultChain::from_env())),
                };
            }
            AuthScheme::Bearer { env } => {
                self.config.bearer = Some(
                    credentials::bearer_from_env(env)
                        .ok_or_else(|| credentials::missing(service))?,
                );
            }
        }
        Ok(self)
    }

    /// Explicit endpoint, e.g. `"http://127.0.0.1:1234"` (a value without a scheme means
    /// HTTPS); takes precedence over the region.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.config.endpoint = Some(endpoint.into());
        self
    }

    /// Region id, e.g. `"cn-hangzhou"`, resolved through the service's endpoint map.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Your own HTTP client (proxies, middleware, TLS settings). Its own timeouts apply in
    /// addition; [`connect_timeout`](Self::connect_timeout) is then not used.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http_client = Some(client);
        self
    }

    /// Connect timeout (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.config.connect_timeout = d;
        self
    }

    /// Whole-exchange timeout (default [`DEFAULT_TIMEOUT`]); for streams, the wait for the
    /// response head.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.config.timeout = d;
        self
    }

    /// Longest silence on an event stream (default [`DEFAULT_SSE_IDLE_TIMEOUT`]).
    pub fn sse_idle_timeout(mut self, d: Duration) -> Self {
        self.config.sse_idle_timeout = d;
        self
    }

    /// Retry policy for idempotent operations (default [`RetryPolicy::standard`]).
    /// Non-idempotent operations retry only with a per-call [`Request::retry`](crate::Request::retry),
    /// since repeating them can repeat their effect.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = Some(policy);
        self
    }

    /// Text appended to the User-Agent, e.g. `"myapp/1.0"`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.config.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The configuration.
    pub fn build(mut self) -> Config {
        if let (KeySource::Static(k), Some(t)) = (&mut self.config.key, self.security_token) {
            Arc::make_mut(k).security_token = Some(t);
        }
        self.config
    }
}
