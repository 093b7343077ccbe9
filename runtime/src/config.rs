//! Client configuration: credentials, endpoint or region, HTTP client, timeouts, size limits,
//! connection pool, retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::interceptor::{Interceptor, Interceptors};
use crate::key::{self, AccessKey, KeySource, ProvideCredentials, Secret};
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

/// Default largest response body read, in bytes (32 MiB): far above any page the services
/// return, far below what would hurt a process. Checked against `Content-Length` before
/// reading, and while reading.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 << 20;
/// Default largest server-sent event, in bytes (16 MiB): an LLM answer's chunk is a few KiB.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 << 20;
/// How much of an error body is read and kept (64 KiB): enough for every error shape the
/// services use, so a huge error page is neither buffered nor carried in the error.
pub const MAX_ERROR_BODY_BYTES: usize = 64 << 10;
/// Default most pages one pagination walk fetches (1,000): a server that always announces
/// one more page stops costing requests there.
pub const DEFAULT_MAX_PAGES: u32 = 1_000;
/// Default time an idle pooled connection is kept (30 s; the servers' keep-alive is about 60 s).
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default most idle connections kept per host (8): after a burst of concurrent calls the rest
/// are closed instead of being held open.
pub const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = 8;

/// A caller's adjustment of the HTTP client (see [`ConfigBuilder::http_client_builder`]).
type CustomizeHttp = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// Configuration of a [`Client`](crate::Client); build one with [`Config::builder`] or
/// [`Config::from_env`].
#[derive(Clone)]
pub struct Config {
    pub(crate) key: KeySource,
    pub(crate) bearer: Option<Secret>,
    pub(crate) endpoint: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) http_client: Option<CustomizeHttp>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) sse_idle_timeout: Duration,
    pub(crate) sse_deadline: Option<Duration>,
    pub(crate) max_response_bytes: u64,
    pub(crate) max_event_bytes: usize,
    pub(crate) max_pages: u32,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) pool_max_idle_per_host: usize,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) interceptors: Interceptors,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.key)
            .field("bearer", &self.bearer)
            // An endpoint may carry user info or a query: never shown verbatim.
            .field(
                "endpoint",
                &self.endpoint.as_deref().map(crate::endpoint::redact),
            )
            .field("region", &self.region)
            .field("http_client_builder", &self.http_client.is_some())
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("sse_idle_timeout", &self.sse_idle_timeout)
            .field("sse_deadline", &self.sse_deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_event_bytes", &self.max_event_bytes)
            .field("max_pages", &self.max_pages)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("interceptors", &self.interceptors)
            .finish()
    }
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
            sse_deadline: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
            max_pages: DEFAULT_MAX_PAGES,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            pool_max_idle_per_host: DEFAULT_POOL_MAX_IDLE_PER_HOST,
            retry: None,
            user_agent_suffix: None,
            interceptors: Interceptors::default(),
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

    /// The defaults plus the credentials `service` needs, and optionally its endpoint, from the
    /// environment. ACS3 services: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
    /// and optionally `ALIBABA_CLOUD_SECURITY_TOKEN` when set, else the rest of the
    /// [`DefaultChain`](crate::DefaultChain) (OIDC role, profile files, ECS RAM role,
    /// credentials URI), asked on the first call. Bearer services: the variable named by
    /// [`AuthScheme::Bearer`]; the error names it. The endpoint: the variable
    /// [`endpoint_env_var`] names (`ALIBABA_CLOUD_ENDPOINT_RDSAI` for `rdsai`), when set.
    ///
    /// ```no_run
    /// # use wiregen_runtime::{Config, ServiceInfo};
    /// # fn run(service: &ServiceInfo) -> Result<(), wiregen_runtime::Error> {
    /// // ALIBABA_CLOUD_ENDPOINT_RDSAI=http://127.0.0.1:8080 sends every call to a local mock.
    /// let config = Config::from_env(service)?;
    /// # let _ = config; Ok(()) }
    /// ```
    pub fn from_env(service: &ServiceInfo) -> Result<Config, Error> {
        Config::builder()
            .credentials_from_env(service)?
            .endpoint_from_env(service)
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

    /// The most pages one pagination walk fetches.
    pub fn max_pages(&self) -> u32 {
        self.max_pages
    }
}

/// The environment variable [`Config::from_env`] reads `service`'s endpoint from: for Alibaba
/// Cloud services (ACS3 credentials, read from `ALIBABA_CLOUD_*`),
/// `ALIBABA_CLOUD_ENDPOINT_<SERVICE>`; for Bearer services, `<SERVICE>_ENDPOINT` beside their
/// key variable. `<SERVICE>` is the service name upper-cased, other characters than letters
/// and digits as `_` (`ALIBABA_CLOUD_ENDPOINT_RDSAI`, `ALTATECH_ENDPOINT`).
///
/// The official SDKs read no endpoint variable; the scheme follows the credentials' prefix
/// and, for the per-service suffix, the AWS SDKs' `AWS_ENDPOINT_URL_<SERVICE>`. There is no
/// variable for all services at once: the services live on different hosts.
pub fn endpoint_env_var(service: &ServiceInfo) -> String {
    let upper: String = service
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    match service.auth {
        AuthScheme::Acs3HmacSha256 => format!("ALIBABA_CLOUD_ENDPOINT_{upper}"),
        AuthScheme::Bearer { .. } => format!("{upper}_ENDPOINT"),
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
    /// [`DefaultChain`](crate::DefaultChain), one of its providers, or your own [`ProvideCredentials`]. Wrap
    /// sources that fetch over the network in [`CachedProvider`](crate::CachedProvider).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.key = KeySource::Provider(Arc::new(provider));
        self
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
                // Otherwise the rest of the chain ([`ConfigBuilder::default_credentials_chain`],
                // defined beside the chain, which depends on this module and not the reverse).
                self = match AccessKey::from_env() {
                    Some(key) => {
                        self.config.key = KeySource::Static(Arc::new(key));
                        self
                    }
                    None => self.default_credentials_chain(),
                };
            }
            AuthScheme::Bearer { env } => {
                self.config.bearer =
                    Some(key::bearer_from_env(env).ok_or_else(|| key::missing(service))?);
            }
        }
        Ok(self)
    }

    /// Sets the endpoint from the variable [`endpoint_env_var`] names for `service`, when it is
    /// set and not empty (otherwise nothing changes).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable when its value is not an `http`/`https` URL
    /// without user info, query or fragment (or not UTF-8).
    pub fn endpoint_from_env(self, service: &ServiceInfo) -> Result<Self, Error> {
        let name = endpoint_env_var(service);
        let value = std::env::var_os(&name);
        self.endpoint_from_value(&name, value)
    }

    /// [`endpoint_from_env`](Self::endpoint_from_env) given the variable's value.
    fn endpoint_from_value(
        mut self,
        name: &str,
        value: Option<std::ffi::OsString>,
    ) -> Result<Self, Error> {
        let Some(value) = value else {
            return Ok(self);
        };
        let value = value.into_string().map_err(|_| {
            Error::Config(format!(
                "environment variable {name} is not valid UTF-8; set it to an endpoint such as `https://host` or `http://127.0.0.1:8080`"
            ))
        })?;
        if value.trim().is_empty() {
            return Ok(self);
        }
        crate::endpoint::Endpoint::parse(&value).map_err(|e| {
            Error::Config(format!(
                "environment variable {name}: {e}; expected an endpoint such as `https://host` or `http://127.0.0.1:8080`, or unset it for the service's default"
            ))
        })?;
        self.config.endpoint = Some(value.trim().to_owned());
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

    /// Adjusts the HTTP client the runtime builds (proxies, TLS roots, local address...):
    /// `customize` receives a `reqwest::ClientBuilder` with the runtime's connect timeout and
    /// pool settings and returns it changed.
    ///
    /// The redirect policy is set after `customize` runs and can not be changed: a redirect is
    /// never followed, since it would carry the signed headers and credentials (the STS token,
    /// a Bearer key) to whatever host it names. A ready-made `reqwest::Client` is not accepted
    /// for the same reason (its redirect policy can not be checked).
    ///
    /// ```
    /// # use wiregen_runtime::{Config, reqwest};
    /// let config = Config::builder()
    ///     .http_client_builder(|b| b.no_proxy().user_agent("ignored: the runtime sets its own"))
    ///     .build();
    /// ```
    pub fn http_client_builder(
        mut self,
        customize: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.config.http_client = Some(Arc::new(customize));
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

    /// Longest wait for the next complete event on an event stream (default
    /// [`DEFAULT_SSE_IDLE_TIMEOUT`]); a ping or a comment keep-alive counts as an event, bytes
    /// that do not finish one do not.
    pub fn sse_idle_timeout(mut self, d: Duration) -> Self {
        self.config.sse_idle_timeout = d;
        self
    }

    /// Longest time a whole event stream may last, from its first poll (default: none, an
    /// answer may stream for minutes while events keep coming).
    pub fn sse_deadline(mut self, d: Option<Duration>) -> Self {
        self.config.sse_deadline = d;
        self
    }

    /// Largest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger
    /// one is [`Error::Limit`](crate::Error::Limit), never retried.
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.config.max_response_bytes = n;
        self
    }

    /// Largest server-sent event, in bytes (default [`DEFAULT_MAX_EVENT_BYTES`]).
    pub fn max_event_bytes(mut self, n: usize) -> Self {
        self.config.max_event_bytes = n;
        self
    }

    /// Most pages one pagination walk fetches (default [`DEFAULT_MAX_PAGES`]); a walk that
    /// would go further ends with [`Error::Limit`](crate::Error::Limit) after the items received.
    pub fn max_pages(mut self, n: u32) -> Self {
        self.config.max_pages = n;
        self
    }

    /// How long an idle pooled connection is kept (default [`DEFAULT_POOL_IDLE_TIMEOUT`]).
    pub fn pool_idle_timeout(mut self, d: Duration) -> Self {
        self.config.pool_idle_timeout = d;
        self
    }

    /// Most idle connections kept per host (default [`DEFAULT_POOL_MAX_IDLE_PER_HOST`]).
    pub fn pool_max_idle_per_host(mut self, n: usize) -> Self {
        self.config.pool_max_idle_per_host = n;
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

    /// Adds an [`Interceptor`]: it sees every attempt of every call, before signing, before
    /// sending, and when the answer arrives. Several run in the order they were added.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.config.interceptors.push(Arc::new(interceptor));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(value: Option<&str>) -> Result<Option<String>, String> {
        Config::builder()
            .endpoint_from_value("ALIBABA_CLOUD_ENDPOINT_RDSAI", value.map(Into::into))
            .map(|b| b.build().endpoint)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn an_endpoint_variable_sets_the_endpoint_when_valid() {
        assert_eq!(endpoint(None), Ok(None));
        assert_eq!(endpoint(Some("  ")), Ok(None), "empty means unset");
        assert_eq!(
            endpoint(Some(" http://127.0.0.1:8080 ")),
            Ok(Some("http://127.0.0.1:8080".into()))
        );
        let err = endpoint(Some("https://user:hunter2@h/")).expect_err("user info");
        assert!(
            err.contains("ALIBABA_CLOUD_ENDPOINT_RDSAI") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_variable_that_is_not_utf8_is_named() {
        use std::os::unix::ffi::OsStringExt as _;
        let err = Config::builder()
            .endpoint_from_value(
                "ALTATECH_ENDPOINT",
                Some(std::ffi::OsString::from_vec(vec![0xff, b'h'])),
            )
            .expect_err("not UTF-8")
            .to_string();
        assert!(
            err.contains("ALTATECH_ENDPOINT is not valid UTF-8"),
            "{err}"
        );
    }
}
