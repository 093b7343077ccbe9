//! The auth schemes, one function each over the shared request head (see `head.rs`): ACS3
//! signing with an AccessKey (and STS token), Alibaba Cloud's bearer-token authentication, and
//! REST `Authorization: Bearer`.

use std::borrow::Cow;
use std::time::SystemTime;

use reqwest::Url;

use crate::encode::canonical_query;
use crate::error::Error;
use crate::interceptor::HttpRequest;
use crate::key::{self, AccessKey, Secret};
use crate::request::PreparedRequest;
use crate::service::{AuthScheme, Protocol, ServiceInfo};
use crate::sign;
use crate::time::acs_date;

/// How one request is authenticated.
#[derive(Clone, Copy)]
pub(super) enum Auth<'a> {
    /// ACS3-HMAC-SHA256 with an AccessKey pair, optionally an STS token (docs/wire.md section 2).
    Acs3(&'a AccessKey),
    /// Alibaba Cloud's bearer-token authentication, for ACS3 services configured with a
    /// bearer token and no AccessKey (docs/wire.md section 2): no signature.
    AlibabaBearer(&'a Secret),
    /// `Authorization: Bearer <key>` (REST services).
    Bearer(&'a Secret),
}

/// A request ready to send: as the caller may see it, and its parsed URL for the HTTP stack.
pub(crate) struct Signed {
    pub(crate) prepared: PreparedRequest,
    pub(crate) url: Url,
}

/// What a signature covers besides the head: when and the once-only nonce.
pub(super) struct Stamp<'a> {
    pub(super) date: SystemTime,
    pub(super) nonce: &'a str,
}

impl<'a> Auth<'a> {
    /// The scheme for `service` with these credentials; an error names what is missing.
    pub(super) fn choose(
        service: &ServiceInfo,
        key: Option<&'a AccessKey>,
        bearer: Option<&'a Secret>,
    ) -> Result<Auth<'a>, Error> {
        match (service.auth, key, bearer) {
            (AuthScheme::Acs3HmacSha256, Some(key), _) => Ok(Auth::Acs3(key)),
            (AuthScheme::Acs3HmacSha256, None, Some(token)) => Ok(Auth::AlibabaBearer(token)),
            (AuthScheme::Bearer { .. }, _, Some(token)) => Ok(Auth::Bearer(token)),
            (_, _, None) => Err(key::missing(service)),
        }
    }

    /// Adds this scheme's headers (and, for RPC bearer tokens, its query parameter) to `head`.
    pub(super) fn apply(
        self,
        head: HttpRequest,
        protocol: Protocol,
        stamp: &Stamp<'_>,
    ) -> Result<Signed, Error> {
        match self {
            Auth::Acs3(key) => acs3(head, key, stamp),
            Auth::AlibabaBearer(token) => Ok(alibaba_bearer(head, token, protocol, stamp)),
            Auth::Bearer(token) => Ok(rest_bearer(head, token)),
        }
    }
}

/// Headers left unsigned: the HTTP stack or a proxy may rewrite them.
fn unsigned(name: &str) -> bool {
    matches!(name, "accept" | "user-agent")
}

/// The date, nonce and payload-hash headers both Alibaba Cloud schemes send.
fn stamp_headers(head: &mut HttpRequest, stamp: &Stamp<'_>) -> String {
    let payload_hash = sign::sha256_hex(&head.body);
    head.headers
        .push(("x-acs-date".into(), acs_date(stamp.date)));
    head.headers
        .push(("x-acs-signature-nonce".into(), stamp.nonce.into()));
    head.headers
        .push(("x-acs-content-sha256".into(), payload_hash.clone()));
    payload_hash
}

/// ACS3-HMAC-SHA256: every header but `accept` and `user-agent` is signed, `host` included,
/// over the URL's path and query as they will be sent.
fn acs3(mut head: HttpRequest, key: &AccessKey, stamp: &Stamp<'_>) -> Result<Signed, Error> {
    let host = authority(&head.url)?;
    let payload_hash = stamp_headers(&mut head, stamp);
    if let Some(token) = &key.security_token {
        head.headers
            .push(("x-acs-accesskey-id".into(), key.id.clone()));
        head.headers
            .push(("x-acs-security-token".into(), token.expose().to_owned()));
    }
    head.headers.insert(0, ("host".into(), host));
    let signed: Vec<(&str, &str)> = head
        .headers
        .iter()
        .filter(|(n, _)| !unsigned(n))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let query: Vec<(Cow<'_, str>, Cow<'_, str>)> = head.url.query_pairs().collect();
    let canonical = sign::canonical_request(
        head.method.as_str(),
        head.url.path(),
        &canonical_query(&query),
        &signed,
        &payload_hash,
    );
    let signature = sign::signature(key.secret.expose(), &sign::string_to_sign(&canonical.text));
    let authorization = sign::authorization(&key.id, &canonical.signed_headers, &signature);
    head.headers.push(("authorization".into(), authorization));
    Ok(finish(head))
}

/// Alibaba Cloud bearer token: RPC sends `SignatureType=BEARERTOKEN` in the query, ROA the
/// `x-acs-signature-type` header; both the token in `x-acs-bearer-token`.
fn alibaba_bearer(
    mut head: HttpRequest,
    token: &Secret,
    protocol: Protocol,
    stamp: &Stamp<'_>,
) -> Signed {
    stamp_headers(&mut head, stamp);
    if protocol == Protocol::AlibabaRpc {
        head.url
            .query_pairs_mut()
            .append_pair("SignatureType", "BEARERTOKEN");
    } else {
        head.headers
            .push(("x-acs-signature-type".into(), "BEARERTOKEN".into()));
    }
    head.headers
        .push(("x-acs-bearer-token".into(), token.expose().to_owned()));
    finish(head)
}

/// REST: the key as `Authorization: Bearer`.
fn rest_bearer(mut head: HttpRequest, key: &Secret) -> Signed {
    head.headers
        .push(("authorization".into(), format!("Bearer {}", key.expose())));
    finish(head)
}

fn finish(head: HttpRequest) -> Signed {
    Signed {
        prepared: PreparedRequest {
            method: head.method,
            url: head.url.as_str().to_owned(),
            headers: head.headers,
            body: head.body,
        },
        url: head.url,
    }
}

/// `host` or `host:port` (the port only when it is not the scheme's default): the `Host`
/// header the HTTP stack sends for `url`, so the value signed is the value received.
fn authority(url: &Url) -> Result<String, Error> {
    let host = url.host_str().ok_or_else(|| {
        Error::Config(format!(
            "the request URL `{}` has no host (changed by an interceptor?)",
            crate::endpoint::redact(url.as_str())
        ))
    })?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}
