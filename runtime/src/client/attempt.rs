//! Sending: the one retry loop every call goes through (whole bodies and event streams alike),
//! one attempt on the wire, and reading a response within its limits.

use std::time::{Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::config::MAX_ERROR_BODY_BYTES;
use crate::error::{Error, ErrorCode, LimitKind, TimeoutKind};
use crate::interceptor::{Attempt, HttpResponse};
use crate::redact::Redactions;
use crate::request::Request;
use crate::response;
use crate::retry::Next;
use crate::sign;

use super::auth::Signed;
use super::{Client, Exchange, Mode};

impl Client {
    /// Runs attempts until one succeeds or the policy gives up, each signed afresh; the
    /// successful exchange and how many attempts it took.
    pub(crate) async fn execute<C: ErrorCode>(
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
        let mut number: u32 = 1;
        loop {
            let attempt = Attempt::new(self.inner.service, req.op, number);
            let result = self.attempt::<C>(http, req, mode, &attempt).await;
            span.record("attempts", number);
            let mut err = match result {
                Ok(x) => return Ok((x, number)),
                Err(e) => e,
            };
            match policy.decide(number, &err, req.op.idempotent, started.elapsed()) {
                Next::RetryAfter(delay) => {
                    tracing::debug!(attempt = number, ?delay, error = %err, "retrying");
                    tokio::time::sleep(delay).await;
                    number += 1;
                }
                Next::GiveUp => return Err(err),
                Next::ServerDelayTooLong(cap) => {
                    if let Error::Service(s) = &mut err {
                        s.retry_after_cap = Some(cap);
                    }
                    return Err(err);
                }
            }
        }
    }

    async fn attempt<C: ErrorCode>(
        &self,
        http: &reqwest::Client,
        req: &Request,
        mode: Mode,
        attempt: &Attempt,
    ) -> Result<Exchange, Error<C>> {
        let key = self.key().await.map_err(Error::with_code)?;
        let signed = self
            .encode(
                req,
                key.as_deref(),
                SystemTime::now(),
                &sign::new_nonce(),
                mode,
                attempt,
            )
            .map_err(Error::with_code)?;
        let interceptors = &self.inner.config.interceptors;
        interceptors.read_before_transmit(&signed.prepared, attempt);
        // What a server echoing the request could send back: kept out of every error.
        let secrets = Redactions::of(&signed.prepared, key.as_deref());
        let request = to_reqwest(signed).map_err(Error::with_code)?;
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
                let head = HttpResponse {
                    status,
                    headers: resp.headers(),
                    body: None,
                };
                interceptors.read_after_response(&head, attempt);
                return Ok(Exchange::Stream(resp, secrets));
            }
            let headers = resp.headers().clone();
            let body = if status >= 300 {
                read_prefix(&mut resp, MAX_ERROR_BODY_BYTES)
                    .await
                    .map_err(|e| transport(e, limit))
            } else {
                read_limited(&mut resp, max_body, limit).await
            };
            let seen = HttpResponse {
                status,
                headers: &headers,
                body: body.as_deref().ok(),
            };
            interceptors.read_after_response(&seen, attempt);
            let body = body?;
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
fn to_reqwest(signed: Signed) -> Result<reqwest::Request, Error> {
    let Signed { prepared: p, url } = signed;
    let mut r = reqwest::Request::new(p.method.to_reqwest(), url);
    let headers = r.headers_mut();
    for (name, value) in &p.headers {
        if name == "host" {
            continue;
        }
        // Caller-supplied names and values (per-call options, interceptors) end up here.
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
        // official SDK sends it (docs/wire.md section 1.3).
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
