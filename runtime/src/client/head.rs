//! The request head every auth scheme starts from: method, URL, the protocol's headers and the
//! body, built once per attempt before interceptors and signing see it.

use reqwest::Url;

use crate::encode::{rfc3986_encode, wire_query};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::interceptor::HttpRequest;
use crate::request::Request;
use crate::service::{AuthScheme, Method, Protocol, ServiceInfo};

use super::Mode;

/// The unsigned request for `req`: where it goes, the protocol's headers (action and version
/// for Alibaba Cloud services, content type, the caller's headers, accept, user agent), the
/// body. Date, nonce, payload hash and credentials are the auth scheme's to add.
pub(super) fn build(
    service: &ServiceInfo,
    endpoint: &Endpoint,
    req: &Request,
    user_agent: &str,
    mode: Mode,
) -> Result<HttpRequest, Error> {
    let (method, path) = match service.protocol {
        // RPC: every action is `POST /`, parameters in the query (docs/wire.md section 1).
        Protocol::AlibabaRpc => (Method::Post, format!("{}/", endpoint.base_path)),
        _ => (
            req.op.method,
            format!("{}{}", endpoint.base_path, fill_path(req)?),
        ),
    };
    let url = url(endpoint, &path, &wire_query(&req.query))?;
    let body = req.body.clone().unwrap_or_default();
    let mut headers: Vec<(String, String)> = Vec::with_capacity(12 + req.headers.len());
    let alibaba = service.auth == AuthScheme::Acs3HmacSha256
        || matches!(
            service.protocol,
            Protocol::AlibabaRpc | Protocol::AlibabaRoa
        );
    if alibaba {
        headers.push(("x-acs-action".into(), req.op.name.into()));
        if let Some(v) = service.api_version {
            headers.push(("x-acs-version".into(), v.into()));
        }
    }
    if !body.is_empty() {
        let content_type = match service.protocol {
            Protocol::RestJson => "application/json",
            _ => "application/json; charset=utf-8",
        };
        headers.push(("content-type".into(), content_type.into()));
    }
    headers.extend(req.headers.iter().cloned());
    let accept = match (mode, service.protocol) {
        // The official SDK keeps `application/json` for Alibaba streams; keep what works.
        (Mode::Stream, Protocol::RestJson) => "text/event-stream",
        _ => "application/json",
    };
    headers.push(("accept".into(), accept.into()));
    headers.push(("user-agent".into(), user_agent.into()));
    Ok(HttpRequest {
        method,
        url,
        headers,
        body,
    })
}

/// `scheme://authority` + `path` + `?query`, parsed once (the HTTP stack takes it as is).
fn url(endpoint: &Endpoint, path: &str, query: &str) -> Result<Url, Error> {
    let mut text = String::with_capacity(
        endpoint.scheme.len() + endpoint.authority.len() + path.len() + query.len() + 4,
    );
    text.push_str(&endpoint.scheme);
    text.push_str("://");
    text.push_str(&endpoint.authority);
    text.push_str(path);
    if !query.is_empty() {
        text.push('?');
        text.push_str(query);
    }
    // Every part was validated (the endpoint) or percent-encoded (path and query) already.
    Url::parse(&text).map_err(|e| Error::Internal(format!("the encoded URL does not parse: {e}")))
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
                // Generated builders take every path parameter as a required argument.
                Error::Internal(format!(
                    "{}: path parameter `{name}` was never set (a hand-built `Request` must call `.path(\"{name}\", ...)`)",
                    req.op.name
                ))
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
