//! The checks a request goes through, in the order the gateway applies them: which operation
//! (action and version, or method and path), who is calling (signature, key, STS token, bearer
//! key), then every parameter against the spec.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use crate::service::{AuthScheme, Protocol};
use crate::{encode, sign, time};

use super::incoming::Incoming;
use super::params;
use super::rejection::{Failure, Rejection};
use super::table::{MockOperation, MockService};

/// How far `x-acs-date` may be from the mock's clock (the gateway allows 15 minutes).
const CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// The credentials the mock accepts.
#[derive(Debug, Clone)]
pub struct MockCredentials {
    /// AccessKey id.
    pub access_key_id: String,
    /// AccessKey secret.
    pub access_key_secret: String,
    /// The STS token issued with the key, if it is a temporary one.
    pub security_token: Option<String>,
    /// Bearer key (altatech's API key, or an Alibaba bearer token).
    pub bearer: Option<String>,
}

/// A request that passed every check.
#[derive(Debug)]
pub(crate) struct Accepted {
    /// Its operation.
    pub op: &'static MockOperation,
    /// Its parameters by wire name, as text (body members that are not strings as JSON).
    pub params: Vec<(String, String)>,
}

/// What the checks remember between requests.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    /// Nonces already used.
    pub nonces: HashSet<String>,
}

/// Runs every check on `req`.
pub(crate) fn check(
    service: &'static MockService,
    creds: &MockCredentials,
    memory: &mut Memory,
    now: SystemTime,
    req: &Incoming,
) -> Result<Accepted, Rejection> {
    let (op, path_params) = route(service, req)?;
    match service.info.auth {
        AuthScheme::Acs3HmacSha256 => acs3(service, creds, memory, now, req)?,
        AuthScheme::Bearer { .. } => bearer(service, creds, req)?,
    }
    let params = params::check(service, op, req, path_params)?;
    Ok(Accepted { op, params })
}

/// An operation and the decoded path parameters of a request to it.
type Route = (&'static MockOperation, Vec<(String, String)>);

/// The operation a request addresses, and its decoded path parameters.
fn route(service: &'static MockService, req: &Incoming) -> Result<Route, Rejection> {
    let alibaba = service.info.protocol != Protocol::RestJson;
    if alibaba {
        let wanted = service.info.api_version.unwrap_or_default();
        match req.header("x-acs-version") {
            Some(v) if v == wanted => {}
            Some(v) => {
                return Err(Failure::BadVersion.reject(
                    service,
                    "Version",
                    format!(
                        "x-acs-version is `{v}`, but {} serves API version `{wanted}`",
                        service.info.name
                    ),
                ));
            }
            None => {
                return Err(Failure::BadVersion.reject(
                    service,
                    "Version",
                    format!("no x-acs-version header (expected `{wanted}`)"),
                ));
            }
        }
    }
    if service.info.protocol == Protocol::AlibabaRpc {
        let Some(action) = req.header("x-acs-action") else {
            return Err(Failure::UnknownAction.reject(
                service,
                "Action",
                "no x-acs-action header: an RPC call names its operation there".into(),
            ));
        };
        let Some(op) = service.operation(action) else {
            return Err(Failure::UnknownAction.reject(
                service,
                "Action",
                format!(
                    "x-acs-action `{action}` is not an operation of {}{}",
                    service.info.name,
                    did_you_mean(service, action)
                ),
            ));
        };
        if req.path != "/" || !matches!(req.method.as_str(), "POST" | "GET") {
            return Err(Failure::UnknownAction.reject(
                service,
                "Action",
                format!(
                    "RPC calls are `POST /`, this one was `{} {}`",
                    req.method, req.path
                ),
            ));
        }
        return Ok((op, Vec::new()));
    }
    for op in service.operations {
        if op.method.as_str() != req.method {
            continue;
        }
        if let Some(path_params) = match_path(op.path, &req.path) {
            if alibaba && req.header("x-acs-action").is_some_and(|a| a != op.name) {
                return Err(Failure::UnknownAction.reject(
                    service,
                    "Action",
                    format!(
                        "`{} {}` is {}, but x-acs-action says `{}`",
                        req.method,
                        req.path,
                        op.name,
                        req.header("x-acs-action").unwrap_or_default()
                    ),
                ));
            }
            return Ok((op, path_params));
        }
    }
    let same_path: Vec<&str> = service
        .operations
        .iter()
        .filter(|op| match_path(op.path, &req.path).is_some())
        .map(|op| op.method.as_str())
        .collect();
    let hint = if same_path.is_empty() {
        String::new()
    } else {
        format!(" (this path takes {})", same_path.join(", "))
    };
    Err(Failure::UnknownAction.reject(
        service,
        "Action",
        format!(
            "no operation of {} at `{} {}`{hint}",
            service.info.name, req.method, req.path
        ),
    ))
}

/// `", did you mean `X`?"` for the closest operation name, if one is close.
fn did_you_mean(service: &MockService, name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    service
        .operations
        .iter()
        .find(|op| op.name.to_ascii_lowercase() == lower)
        .map(|op| format!(" (did you mean `{}`?)", op.name))
        .unwrap_or_default()
}

/// The path parameters when `path` (as sent, percent-encoded) fits `template`.
fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        match ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let value = percent_encoding::percent_decode_str(ps)
                    .decode_utf8()
                    .ok()?
                    .into_owned();
                if value.is_empty() {
                    return None;
                }
                params.push((name.to_owned(), value));
            }
            None if ts == ps => {}
            None => return None,
        }
    }
    Some(params)
}

/// The `Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..` parts.
struct Authorization<'a> {
    key_id: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(sign::ALGORITHM)?.strip_prefix(' ')?;
    let (mut key_id, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => key_id = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => return None,
        }
    }
    Some(Authorization {
        key_id: key_id?,
        signed_headers: signed?.split(';').collect(),
        signature: signature?,
    })
}

/// ACS3-HMAC-SHA256 (docs/wire.md section 2), recomputed with the runtime's own
/// canonicalisation, or an Alibaba bearer token. Checked in the order the service reports
/// problems: the credential, the key and its STS token, what is signed, the signature, then
/// whether the request is fresh.
fn acs3(
    service: &'static MockService,
    creds: &MockCredentials,
    memory: &mut Memory,
    now: SystemTime,
    req: &Incoming,
) -> Result<(), Rejection> {
    let auth_header = req.header("authorization");
    if auth_header.is_none()
        && let Some(token) = req.header("x-acs-bearer-token")
    {
        return match &creds.bearer {
            Some(b) if b == token => Ok(()),
            _ => Err(Failure::UnknownKey.reject(
                service,
                "",
                "x-acs-bearer-token is not the bearer token the mock was given".into(),
            )),
        };
    }
    let Some(auth) = auth_header.and_then(parse_authorization) else {
        let problem = match auth_header {
            None => "no Authorization header".to_owned(),
            Some(v) => format!(
                "Authorization is not `{} Credential=..,SignedHeaders=..,Signature=..`: `{}`",
                sign::ALGORITHM,
                v.chars().take(60).collect::<String>()
            ),
        };
        return Err(Failure::IncompleteSignature.reject(service, "", problem));
    };
    key_and_token(service, creds, req, &auth)?;
    signed_headers(service, req, &auth)?;
    signature(service, creds, req, &auth)?;
    fresh(service, memory, now, req)
}

/// The AccessKey id is the mock's, and an STS token comes exactly when the key is temporary.
fn key_and_token(
    service: &'static MockService,
    creds: &MockCredentials,
    req: &Incoming,
    auth: &Authorization<'_>,
) -> Result<(), Rejection> {
    if auth.key_id != creds.access_key_id {
        return Err(Failure::UnknownKey.reject(
            service,
            "",
            format!(
                "AccessKey id `{}` is not the mock's (`{}`)",
                auth.key_id, creds.access_key_id
            ),
        ));
    }
    match (&creds.security_token, req.header("x-acs-security-token")) {
        (Some(_), None) => {
            return Err(Failure::UnknownKey.reject(
                service,
                "",
                format!(
                    "AccessKey `{}` is a temporary (STS) key, but the request has no \
                     x-acs-security-token",
                    auth.key_id
                ),
            ));
        }
        (Some(expected), Some(sent)) if expected != sent => {
            return Err(Failure::BadSecurityToken.reject(
                service,
                "",
                "x-acs-security-token is not the token issued with this AccessKey".into(),
            ));
        }
        (None, Some(_)) => {
            return Err(Failure::BadSecurityToken.reject(
                service,
                "",
                "an x-acs-security-token was sent with a permanent AccessKey".into(),
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Every header the service requires is sent and listed in SignedHeaders.
fn signed_headers(
    service: &'static MockService,
    req: &Incoming,
    auth: &Authorization<'_>,
) -> Result<(), Rejection> {
    let mut must_sign = vec![
        "host",
        "x-acs-action",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ];
    if service.info.api_version.is_some() {
        must_sign.push("x-acs-version");
    }
    if req.header("x-acs-security-token").is_some() {
        must_sign.push("x-acs-security-token");
    }
    if let Some(missing) = must_sign
        .iter()
        .find(|h| !auth.signed_headers.contains(h) || req.header(h).is_none())
    {
        return Err(Failure::IncompleteSignature.reject(
            service,
            "",
            format!("header `{missing}` must be sent and signed (SignedHeaders lists what is)"),
        ));
    }
    Ok(())
}

/// The payload hash is the body's, and the signature is the one the mock's secret gives.
fn signature(
    service: &'static MockService,
    creds: &MockCredentials,
    req: &Incoming,
    auth: &Authorization<'_>,
) -> Result<(), Rejection> {
    let payload_hash = req.header("x-acs-content-sha256").unwrap_or_default();
    let actual_hash = sign::sha256_hex(&req.body);
    if payload_hash != actual_hash {
        return Err(Failure::SignatureMismatch.reject(
            service,
            "",
            format!(
                "x-acs-content-sha256 is `{payload_hash}`, but the body's SHA-256 is `{actual_hash}`"
            ),
        ));
    }
    let mut signed: Vec<(&str, &str)> = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let Some(value) = req.header(name) else {
            return Err(Failure::IncompleteSignature.reject(
                service,
                "",
                format!("SignedHeaders lists `{name}`, which the request does not carry"),
            ));
        };
        signed.push((name, value));
    }
    let canonical = sign::canonical_request(
        &req.method,
        &req.path,
        &encode::canonical_query(&req.query),
        &signed,
        payload_hash,
    );
    let string_to_sign = sign::string_to_sign(&canonical.text);
    let expected = sign::signature(&creds.access_key_secret, &string_to_sign);
    if expected != auth.signature {
        let mut rejection = Failure::SignatureMismatch.reject(
            service,
            "",
            format!(
                "signature `{}` is not the one the mock computes with the secret of `{}`: \
                 a wrong AccessKey secret, or a request changed after signing. The mock's \
                 canonical request:\n{}",
                auth.signature, auth.key_id, canonical.text
            ),
        );
        rejection.message = format!(
            "{} server string to sign is:{string_to_sign}",
            rejection.message
        );
        return Err(rejection);
    }
    Ok(())
}

/// The date is within the allowed clock skew and the nonce is new.
fn fresh(
    service: &'static MockService,
    memory: &mut Memory,
    now: SystemTime,
    req: &Incoming,
) -> Result<(), Rejection> {
    let date = req.header("x-acs-date").unwrap_or_default();
    match time::parse_acs_date(date) {
        Some(t) if within(t, now, CLOCK_SKEW) => {}
        Some(_) => {
            return Err(Failure::Expired.reject(
                service,
                "",
                format!("x-acs-date `{date}` is more than 15 minutes away from the mock's clock"),
            ));
        }
        None => {
            return Err(Failure::Expired.reject(
                service,
                "",
                format!("x-acs-date `{date}` is not `YYYY-MM-DDTHH:MM:SSZ`"),
            ));
        }
    }
    let nonce = req.header("x-acs-signature-nonce").unwrap_or_default();
    if !memory.nonces.insert(nonce.to_owned()) {
        return Err(Failure::NonceUsed.reject(
            service,
            "",
            format!("x-acs-signature-nonce `{nonce}` was used by an earlier request"),
        ));
    }
    Ok(())
}

fn within(t: SystemTime, now: SystemTime, skew: Duration) -> bool {
    let gap = t
        .duration_since(now)
        .or_else(|_| now.duration_since(t))
        .unwrap_or_default();
    gap <= skew
}

/// `Authorization: Bearer <key>` (altatech).
fn bearer(
    service: &'static MockService,
    creds: &MockCredentials,
    req: &Incoming,
) -> Result<(), Rejection> {
    let sent = req
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "));
    match (sent, &creds.bearer) {
        (Some(s), Some(b)) if s == b => Ok(()),
        (None, _) => Err(Failure::UnknownKey.reject(
            service,
            "",
            "no `Authorization: Bearer <key>` header".into(),
        )),
        _ => Err(Failure::UnknownKey.reject(
            service,
            "",
            "the bearer key is not the one the mock was given".into(),
        )),
    }
}
