//! The [`Client`]: encodes and signs a [`Request`], sends it with retries and timeouts, and
//! turns the response into a value or an [`Error`].

use std::fmt;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument as _;

use crate::config::{Config, MAX_ERROR_BODY_BYTES};
use crate::decode::Decode;
use crate::encode::{canonical_query, rfc3986_encode, wire_query};
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorCode, LimitKind, TimeoutKind};
use crate::key::{self, AccessKey, KeySource};
use crate::redact::Redactions;
use crate::request::{PreparedRequest, Request};
use crate::response;
use crate::retry::RetryPolicy;
use crate::service::{AuthScheme, Method, OperationInfo, Protocol, ServiceInfo};
use crate::sign;
use crate::time::acs_date;

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
        self.encode(req, key, date, nonce, Mode::Body)
    }

    /// [`prepare`](Self::prepare) with the credentials the configured provider gives now (what
    /// the next attempt of [`send`](Self::send) would sign with).
    pub async fn prepare_with(&self, req: Request) -> Result<PreparedRequest, Error> {
        let key = self.key().await?;
        self.encode(
            &req,
            key.as_deref(),
            SystemTime::now(),
            &sign::new_nonce(),
            Mode::Body,
        )
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
            match self.execute_counted::<C>(&req, Mode::Body).await? {
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
                // `Mode::Body` always reads the whole body, so this is a runtime bug if reached.
                (Exchange::Stream(..), _) => Err(Error::Config(
                    "internal error: a stream where a body was expected".into(),
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

    /// Runs attempts until one succeeds or the policy gives up. Each attempt is signed afresh.
    pub(crate) async fn execute<C: ErrorCode>(
        &self,
        req: &Request,
        mode: Mode,
    ) -> Result<Exchange, Error<C>> {
        self.execute_counted(req, mode).await.map(|(x, _)| x)
    }

    /// [`execute`](Self::execute), also saying how many attempts it took.
    pub(crate) async fn execute_counted<C: ErrorCode>(
        &self,
        req: &Request,
        mode: Mode,
    ) -> Result<(Exchange, u32), Error<C>> {
        let http = self
            .inner
            .http
            .as_ref()
            .map_err(|e| Error::Config(e.clone()))?;
        let policy = self.policy(req);
        let started = Instant::now();
        let span = tracing::Span::current();
        let mut attempt: u32 = 1;
        loop {
            let result = self.attempt::<C>(http, req, mode).await;
            span.record("attempts", attempt);
            let err = match result {
                Ok(x) => return Ok((x, attempt)),
                Err(e) => e,
            };
            let Some(delay) =
                policy.next_delay(attempt, &err, req.op.idempotent, started.elapsed())
            else {
                return Err(err);
            };
            tracing::debug!(attempt, ?delay, error = %err, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt<C: ErrorCode>(
        &self,
        http: &reqwest::Client,
        req: &Request,
        mode: Mode,
    ) -> Result<Exchange, Error<C>> {
        let key = self.key().await.map_err(Error::with_code)?;
        let prepared = self
            .encode(
                req,
                key.as_deref(),
                SystemTime::now(),
                &sign::new_nonce(),
                mode,
            )
            .map_err(Error::with_code)?;
        // What a server echoing the request could send back: kept out of every error.
        let secrets = Redactions::of(&prepared, key.as_deref());
        let request = to_reqwest(prepared).map_err(Error::with_code)?;
        let limit = self.request_timeout(req);
        let max_body = req
            .limits
            .max_response_bytes
            .unwrap_or(self.inner.config.max_response_bytes);
        let shapes = self.inner.service.error_shapes;
        let exchange = async {
            let mut resp = http
                .execute(request)
                .await
                .map_err(|e| transport(e, limit))?;
            let status = resp.status().as_u16();
            let span = tracing::Span::current();
            span.record("status", status);
            if let Some(id) = resp
                .headers()
                .get("x-acs-request-id")
                .and_then(|v| v.to_str().ok())
            {
                span.record("request_id", secrets.scrub(id).as_ref());
            }
            if mode == Mode::Stream && (200..300).contains(&status) && !is_json(resp.headers()) {
                return Ok(Exchange::Stream(resp, secrets));
            }
            let headers = resp.headers().clone();
            let body = if status >= 300 {
                read_prefix(&mut resp, MAX_ERROR_BODY_BYTES)
                    .await
                    .map_err(|e| transport(e, limit))?
            } else {
                read_limited(&mut resp, max_body, limit).await?
            };
            if let Some(e) = response::service_error::<C>(shapes, status, &headers, &body, &secrets)
            {
                if let Some(id) = &e.request_id {
                    span.record("request_id", id.as_str());
                }
                tracing::debug!(status, code = %e.raw_code, "service error");
                return Err(Error::Service(Box::new(e)));
            }
            Ok(Exchange::Body {
                status,
                headers,
                body,
                secrets,
            })
        };
        match tokio::time::timeout(limit, exchange).await {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout(TimeoutKind::Request(limit))),
        }
    }

    /// Encodes `req` for this service and signs it with `key`, `date` and `nonce`.
    fn encode(
        &self,
        req: &Request,
        key: Option<&AccessKey>,
        date: SystemTime,
        nonce: &str,
        mode: Mode,
    ) -> Result<PreparedRequest, Error> {
        let inner = &*self.inner;
        let service = inner.service;
        if let Some(msg) = &req.invalid {
            return Err(Error::Config(format!(
                "{} {}: {msg}",
                service.name, req.op.name
            )));
        }
        let endpoint = inner
            .endpoint
            .as_ref()
            .map_err(|e| Error::Config(e.clone()))?;
        let (method, path) = match service.protocol {
            Protocol::AlibabaRpc => (Method::Post, format!("{}/", endpoint.base_path)),
            _ => (
                req.op.method,
                format!("{}{}", endpoint.base_path, fill_path(req)?),
            ),
        };
        // Alibaba bearer-token authentication (api-facts 2): used when there is no AccessKey.
        let alibaba_bearer = match (service.auth, key, &inner.config.bearer) {
            (AuthScheme::Acs3HmacSha256, None, Some(token)) => Some(token),
            _ => None,
        };
        let mut query = wire_query(&req.query);
        if alibaba_bearer.is_some() && service.protocol == Protocol::AlibabaRpc {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str("SignatureType=BEARERTOKEN");
        }
        let mut url = String::with_capacity(
            endpoint.scheme.len() + endpoint.authority.len() + path.len() + query.len() + 4,
        );
        url.push_str(&endpoint.scheme);
        url.push_str("://");
        url.push_str(&endpoint.authority);
        url.push_str(&path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let body = req.body.clone().unwrap_or_default();
        let content_type = (!body.is_empty()).then_some(match service.protocol {
            Protocol::RestJson => "application/json",
            _ => "application/json; charset=utf-8",
        });
        let accept = match (mode, service.protocol) {
            // The official SDK keeps `application/json` for Alibaba streams; keep what works.
            (Mode::Stream, Protocol::RestJson) => "text/event-stream",
            _ => "application/json",
        };
        let mut headers: Vec<(String, String)> = Vec::with_capacity(12 + req.headers.len());
        match service.auth {
            AuthScheme::Acs3HmacSha256 if alibaba_bearer.is_some() => {
                let token = alibaba_bearer.map(|t| t.expose()).unwrap_or_default();
                headers.push(("x-acs-action".into(), req.op.name.into()));
                if let Some(v) = service.api_version {
                    headers.push(("x-acs-version".into(), v.into()));
                }
                headers.push(("x-acs-date".into(), acs_date(date)));
                headers.push(("x-acs-signature-nonce".into(), nonce.into()));
                headers.push(("x-acs-content-sha256".into(), sign::sha256_hex(&body)));
                if let Some(ct) = content_type {
                    headers.push(("content-type".into(), ct.into()));
                }
                if service.protocol != Protocol::AlibabaRpc {
                    headers.push(("x-acs-signature-type".into(), "BEARERTOKEN".into()));
                }
                headers.extend(req.headers.iter().cloned());
                headers.push(("accept".into(), accept.into()));
                headers.push(("user-agent".into(), inner.user_agent.clone()));
                headers.push(("x-acs-bearer-token".into(), token.to_owned()));
            }
            AuthScheme::Acs3HmacSha256 => {
                let key = key.ok_or_else(|| key::missing(service))?;
                let payload_hash = sign::sha256_hex(&body);
                let mut signed: Vec<(&str, &str)> = Vec::with_capacity(10 + req.headers.len());
                signed.push(("host", &endpoint.authority));
                signed.push(("x-acs-action", req.op.name));
                if let Some(v) = service.api_version {
                    signed.push(("x-acs-version", v));
                }
                let date = acs_date(date);
                signed.push(("x-acs-date", &date));
                signed.push(("x-acs-signature-nonce", nonce));
                signed.push(("x-acs-content-sha256", &payload_hash));
                if let Some(ct) = content_type {
                    signed.push(("content-type", ct));
                }
                if let Some(token) = &key.security_token {
                    signed.push(("x-acs-accesskey-id", &key.id));
                    signed.push(("x-acs-security-token", token.expose()));
                }
                signed.extend(req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                let canonical = sign::canonical_request(
                    method.as_str(),
                    &path,
                    &canonical_query(&req.query),
                    &signed,
                    &payload_hash,
                );
                let signature =
                    sign::signature(key.secret.expose(), &sign::string_to_sign(&canonical.text));
                let authorization =
                    sign::authorization(&key.id, &canonical.signed_headers, &signature);
                headers.extend(
                    signed
                        .iter()
                        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
                );
                headers.push(("accept".into(), accept.into()));
                headers.push(("user-agent".into(), inner.user_agent.clone()));
                headers.push(("authorization".into(), authorization));
            }
            AuthScheme::Bearer { .. } => {
                let key = inner
                    .config
                    .bearer
                    .as_ref()
                    .ok_or_else(|| key::missing(service))?;
                if matches!(
                    service.protocol,
                    Protocol::AlibabaRpc | Protocol::AlibabaRoa
                ) {
                    headers.push(("x-acs-action".into(), req.op.name.into()));
                    if let Some(v) = service.api_version {
                        headers.push(("x-acs-version".into(), v.into()));
                    }
                }
                if let Some(ct) = content_type {
                    headers.push(("content-type".into(), ct.into()));
                }
                headers.extend(req.headers.iter().cloned());
                headers.push(("accept".into(), accept.into()));
                headers.push(("user-agent".into(), inner.user_agent.clone()));
                headers.push(("authorization".into(), format!("Bearer {}", key.expose())));
            }
        }
        Ok(PreparedRequest {
            method,
            url,
            headers,
            body,
        })
    }
}

/// The operation's path with every `{name}` replaced by its RFC 3986-encoded value.
fn fill_path(req: &Request) -> Result<String, Error> {
    let template = req.op.path;
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        let value = req
            .path_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                Error::Config(format!("{}: missing path parameter `{name}`", req.op.name))
            })?;
        // URL parsers collapse `.`/`..` segments (even encoded), which would change the target.
        if value.is_empty() || value == "." || value == ".." {
            return Err(Error::Config(format!(
                "{}: path parameter `{name}` must not be empty, `.` or `..`",
                req.op.name
            )));
        }
        rfc3986_encode(value, &mut out);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Reads the whole body, refusing one over `max` bytes: up front by its `Content-Length`, and
/// while reading (a body without one, or one longer than announced).
async fn read_limited<C: ErrorCode>(
    resp: &mut reqwest::Response,
    max: u64,
    timeout: std::time::Duration,
) -> Result<Vec<u8>, Error<C>> {
    let announced = resp.content_length();
    if let Some(n) = announced.filter(|n| *n > max) {
        return Err(Error::Limit(LimitKind::ResponseBody {
            limit: max,
            content_length: Some(n),
        }));
    }
    // Reserve what was announced, within reason: the length is the server's word.
    let reserve = announced.unwrap_or(0).min(1 << 20);
    let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport(e, timeout))? {
        if body.len() as u64 + chunk.len() as u64 > max {
            return Err(Error::Limit(LimitKind::ResponseBody {
                limit: max,
                content_length: announced,
            }));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads at most `max` bytes of the body and drops the rest unread (the connection is then
/// closed rather than drained).
async fn read_prefix(resp: &mut reqwest::Response, max: usize) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while body.len() < max {
        let Some(chunk) = resp.chunk().await? else {
            break;
        };
        let take = chunk.len().min(max - body.len());
        body.extend_from_slice(&chunk[..take]);
    }
    Ok(body)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.trim_start().starts_with("application/json"))
}

/// Maps a reqwest failure to a timeout or transport error.
pub(crate) fn transport<C: ErrorCode>(e: reqwest::Error, limit: std::time::Duration) -> Error<C> {
    if e.is_timeout() {
        Error::Timeout(if e.is_connect() {
            TimeoutKind::Connect
        } else {
            TimeoutKind::Request(limit)
        })
    } else {
        Error::Transport(e)
    }
}

/// Builds the reqwest request. The `host` header is left to the HTTP stack, which derives the
/// same value from the URL (and writes `:authority` instead on HTTP/2).
fn to_reqwest(p: PreparedRequest) -> Result<reqwest::Request, Error> {
    let url = reqwest::Url::parse(&p.url)
        .map_err(|e| Error::Config(format!("invalid URL `{}`: {e}", p.url)))?;
    let mut r = reqwest::Request::new(p.method.to_reqwest(), url);
    let headers = r.headers_mut();
    for (name, value) in &p.headers {
        if name == "host" {
            continue;
        }
        let n = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("invalid header name `{name}`")))?;
        // The value is not quoted: it may be a credential.
        let mut v = HeaderValue::from_str(value)
            .map_err(|_| Error::Config(format!("invalid value for header `{name}`")))?;
        if crate::request::is_sensitive(name) {
            v.set_sensitive(true);
        }
        headers.append(n, v);
    }
    if p.method.has_body() && p.body.is_empty() {
        // hyper omits the length of an empty body; gateways may answer 411 without it, and the
        // official SDK sends it (api-facts 1.3).
        headers.insert(
            reqwest::header::CONTENT_LENGTH,
            HeaderValue::from_static("0"),
        );
    }
    if !p.body.is_empty() {
        *r.body_mut() = Some(p.body.into());
    }
    Ok(r)
}
