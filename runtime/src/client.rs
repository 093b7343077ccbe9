//! The [`Client`]: encodes and signs a [`Request`], sends it with retries and timeouts, and
//! turns the response into a value or an [`Error`].
//!
//! One path per attempt: `head` builds the unsigned request every auth scheme shares, the
//! configured [`Interceptor`](crate::Interceptor)s may change it, `auth` adds one scheme's
//! credentials (an ACS3 signature, an Alibaba bearer token, a REST Bearer key), and `attempt`
//! sends it inside the one retry loop that whole bodies and event streams both go through.

mod attempt;
mod auth;
mod head;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use reqwest::header::HeaderMap;
use tracing::Instrument as _;

use crate::config::Config;
use crate::decode::Decode;
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorCode};
use crate::interceptor::Attempt;
use crate::key::{AccessKey, KeySource};
use crate::redact::Redactions;
use crate::request::{PreparedRequest, Request};
use crate::response;
use crate::retry::RetryPolicy;
use crate::service::{AuthScheme, OperationInfo, ServiceInfo};
use crate::sign;

pub(crate) use attempt::transport;
use auth::{Auth, Signed, Stamp};

/// A client for one service; cheap to clone (the state is shared).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    /// Building the HTTP client can fail (TLS set-up); the error is reported on first use so
    /// that `Client::new` stays infallible.
    http: Result<reqwest::Client, String>,
    endpoint: Result<Endpoint, String>,
    user_agent: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.inner.endpoint)
            .field("config", &self.inner.config)
            .finish()
    }
}

/// What the caller wants to read from the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The whole body, JSON expected.
    Body,
    /// An event stream: only the response head is awaited.
    Stream,
}

/// A successful exchange, with the credentials its request carried (to keep out of errors).
pub(crate) enum Exchange {
    Body {
        status: u16,
        headers: HeaderMap,
        body: Vec<u8>,
        secrets: Redactions,
    },
    Stream(reqwest::Response, Redactions),
}

/// A successful response as read, before decoding.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) attempts: u32,
    pub(crate) secrets: Redactions,
}

impl Client {
    /// A client for `service` (a generated `const`) with `config`.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Client {
        let builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(config.pool_idle_timeout)
            .pool_max_idle_per_host(config.pool_max_idle_per_host);
        let builder = match &config.http_client {
            Some(customize) => customize(builder),
            None => builder,
        };
        let http = builder
            // Set last, so no customisation can undo it: the APIs never redirect, and following
            // one would carry the signed headers (STS token included) and a `Referer` with the
            // full URL to whatever host the redirect names.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"));
        let endpoint = Endpoint::resolve(
            service,
            config.endpoint.as_deref(),
            config.region.as_deref(),
        );
        let user_agent = match &config.user_agent_suffix {
            Some(s) => format!("{} {s}", service.user_agent),
            None => service.user_agent.to_owned(),
        };
        Client {
            inner: Arc::new(Inner {
                service,
                config,
                http,
                endpoint,
                user_agent,
            }),
        }
    }

    /// A client configured from the environment (see [`Config::from_env`]).
    pub fn from_env(service: &'static ServiceInfo) -> Result<Client, Error> {
        Ok(Client::new(service, Config::from_env(service)?))
    }

    /// The service this client talks to.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A new, empty request for `op`.
    pub fn request(&self, op: &'static OperationInfo) -> Request {
        Request::new(op)
    }

    /// Encodes and signs `req` as [`send`](Self::send) would, without sending it.
    pub fn prepare(&self, req: Request) -> Result<PreparedRequest, Error> {
        self.prepare_at(&req, SystemTime::now(), &sign::new_nonce())
    }

    /// [`prepare`](Self::prepare) with a fixed signing time and nonce, for reproducible tests.
    pub fn prepare_at(
        &self,
        req: &Request,
        date: SystemTime,
        nonce: &str,
    ) -> Result<PreparedRequest, Error> {
        let key = match &self.inner.config.key {
            KeySource::Static(k) => Some(&**k),
            KeySource::Provider(_) if self.needs_key() => {
                return Err(Error::Config(
                    "prepare signs with static credentials only; these come from a credentials \
                     provider, asked when the call is sent (or use Client::prepare_with)"
                        .into(),
                ));
            }
            _ => None,
        };
        let first = Attempt::new(self.inner.service, req.op, 1);
        Ok(self
            .encode(req, key, date, nonce, Mode::Body, &first)?
            .prepared)
    }

    /// [`prepare`](Self::prepare) with the credentials the configured provider gives now (what
    /// the next attempt of [`send`](Self::send) would sign with).
    pub async fn prepare_with(&self, req: Request) -> Result<PreparedRequest, Error> {
        let key = self.key().await?;
        let first = Attempt::new(self.inner.service, req.op, 1);
        let signed = self.encode(
            &req,
            key.as_deref(),
            SystemTime::now(),
            &sign::new_nonce(),
            Mode::Body,
            &first,
        )?;
        Ok(signed.prepared)
    }

    /// Whether calls are signed with an AccessKey (ACS3 services without a bearer token).
    fn needs_key(&self) -> bool {
        self.inner.service.auth == AuthScheme::Acs3HmacSha256 && self.inner.config.bearer.is_none()
    }

    /// The key to sign the next attempt with, if the service signs.
    async fn key(&self) -> Result<Option<Arc<AccessKey>>, Error> {
        match &self.inner.config.key {
            KeySource::Static(k) => Ok(Some(Arc::clone(k))),
            KeySource::None => Ok(None),
            source @ KeySource::Provider(_) if self.needs_key() => source.resolve().await,
            KeySource::Provider(_) => Ok(None),
        }
    }

    /// Sends `req` and decodes the JSON response into `T`, retrying per the policy.
    pub async fn send<T: Decode, C: ErrorCode>(&self, req: Request) -> Result<T, Error<C>> {
        let raw = self.send_raw::<C>(req).await?;
        response::decode(raw.status, &raw.body, &raw.secrets)
    }

    /// Sends `req` and returns the response body as text, for operations whose response is not
    /// JSON (the SDKs' `string`/`any` body types). Error bodies are recognised as for
    /// [`send`](Self::send).
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send); a body that is not UTF-8 is an [`Error::Decode`].
    pub async fn send_text<C: ErrorCode>(&self, req: Request) -> Result<String, Error<C>> {
        let raw = self.send_raw::<C>(req).await?;
        response::text_body(raw.status, raw.body, &raw.secrets)
    }

    /// Sends `req` and returns the response body's bytes as received (binary downloads).
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), except that any body of a successful response is accepted.
    pub async fn send_bytes<C: ErrorCode>(&self, req: Request) -> Result<Vec<u8>, Error<C>> {
        Ok(self.send_raw::<C>(req).await?.body)
    }

    /// One call with retries: the successful response as read (status, headers, whole body)
    /// and the number of attempts; what `send*` and `send*_with_metadata` build on.
    pub(crate) async fn send_raw<C: ErrorCode>(
        &self,
        req: Request,
    ) -> Result<RawResponse, Error<C>> {
        let span = self.span(&req);
        async {
            match self.execute::<C>(&req, Mode::Body).await? {
                (
                    Exchange::Body {
                        status,
                        headers,
                        body,
                        secrets,
                    },
                    attempts,
                ) => Ok(RawResponse {
                    status,
                    headers,
                    body,
                    attempts,
                    secrets,
                }),
                // `Mode::Body` always reads the whole body.
                (Exchange::Stream(..), _) => Err(Error::Internal(
                    "an event stream where a whole body was expected".into(),
                )),
            }
        }
        .instrument(span)
        .await
    }

    pub(crate) fn span(&self, req: &Request) -> tracing::Span {
        tracing::info_span!(
            "wiregen.call",
            service = self.inner.service.name,
            operation = req.op.name,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
        )
    }

    /// The whole-exchange timeout of one call.
    pub(crate) fn request_timeout(&self, req: &Request) -> std::time::Duration {
        req.timeout.unwrap_or(self.inner.config.timeout)
    }

    /// The most pages a pagination walk fetches (see [`ConfigBuilder::max_pages`](crate::ConfigBuilder::max_pages)).
    pub fn max_pages(&self) -> u32 {
        self.inner.config.max_pages
    }

    /// The retry policy of one call: the per-call one, else the configured one for idempotent
    /// operations, else the defaults (standard for idempotent operations, none otherwise).
    fn policy(&self, req: &Request) -> RetryPolicy {
        match (&req.retry, req.op.idempotent, &self.inner.config.retry) {
            (Some(p), _, _) => p.clone(),
            (None, true, Some(p)) => p.clone(),
            (None, true, None) => RetryPolicy::standard(),
            (None, false, _) => RetryPolicy::none(),
        }
    }

    /// Encodes `req` for this service, lets the interceptors change it, and signs it with
    /// `key`, `date` and `nonce` (or adds the bearer credential).
    fn encode(
        &self,
        req: &Request,
        key: Option<&AccessKey>,
        date: SystemTime,
        nonce: &str,
        mode: Mode,
        attempt: &Attempt,
    ) -> Result<Signed, Error> {
        let inner = &*self.inner;
        let service = inner.service;
        let endpoint = inner
            .endpoint
            .as_ref()
            .map_err(|e| Error::Config(e.clone()))?;
        let auth = Auth::choose(service, key, inner.config.bearer.as_ref())?;
        let mut head = head::build(service, endpoint, req, &inner.user_agent, mode)?;
        inner
            .config
            .interceptors
            .modify_before_signing(&mut head, attempt);
        auth.apply(head, service.protocol, &Stamp { date, nonce })
    }
}
