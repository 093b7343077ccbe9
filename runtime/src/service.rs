//! Static metadata the generator emits as `const`s: one [`ServiceInfo`] per service and one
//! [`OperationInfo`] per operation. Everything the runtime needs to encode, sign and decode a call
//! is here, so generated code stays declarative.

/// How requests of a service are laid out on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protocol {
    /// Alibaba Cloud RPC style: `POST /`, every parameter in the query string,
    /// `x-acs-action` / `x-acs-version` headers, empty body.
    AlibabaRpc,
    /// Alibaba Cloud ROA style: the operation's own method and path template, query
    /// parameters, the same `x-acs-*` headers as RPC.
    AlibabaRoa,
    /// Plain REST with JSON bodies (e.g. GPTBots / altatech.ai).
    RestJson,
}

/// How requests of a service are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// Alibaba Cloud V3 signature (`ACS3-HMAC-SHA256`) with an AccessKey pair, optionally STS.
    Acs3HmacSha256,
    /// `Authorization: Bearer <key>`; `env` names the environment variable holding the key.
    Bearer {
        /// Environment variable read by [`Config::from_env`](crate::Config::from_env).
        env: &'static str,
    },
}

/// An error body layout a service may answer with; see [`ServiceInfo::error_shapes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorShape {
    /// Alibaba gateway errors on HTTP 4xx/5xx: JSON `{Code, Message, RequestId, HostId, Recommend}`
    /// (also camelCase) or an XML `<Error>` element.
    Alibaba,
    /// A success envelope that can report failure on HTTP 200:
    /// `{success: false, errCode, errMessage, requestId, httpStatusCode}`.
    SuccessEnvelope,
    /// `{code: <integer>, message}` on any status, recognised when the body has no `list`/`data`.
    CodeMessage,
}

/// HTTP method of an operation (the runtime's own enum, so generated code needs no `http` crate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as sent on the wire, e.g. `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether a request with this method carries a body (so it always sends `Content-Length`).
    pub(crate) fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of one service (emitted by the generator as a `const`).
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// Short service name, e.g. `"rdsai"` (used in logs and error messages).
    pub name: &'static str,
    /// Wire protocol.
    pub protocol: Protocol,
    /// API version sent as `x-acs-version` (Alibaba protocols), e.g. `Some("2025-05-07")`.
    pub api_version: Option<&'static str>,
    /// Endpoint used when neither an explicit endpoint nor a region applies,
    /// e.g. `"https://rdsai.aliyuncs.com"`.
    pub default_endpoint: &'static str,
    /// Region id to endpoint, e.g. `("cn-hangzhou", "https://rdsai.aliyuncs.com")`.
    pub regional_endpoints: &'static [(&'static str, &'static str)],
    /// Endpoint for regions not in `regional_endpoints`, with `{region}` replaced,
    /// e.g. `Some("https://rdsai.{region}.aliyuncs.com")`.
    pub region_template: Option<&'static str>,
    /// Authentication scheme.
    pub auth: AuthScheme,
    /// Error body layouts to recognise, tried in order.
    pub error_shapes: &'static [ErrorShape],
    /// User-Agent, e.g. `"rdsai/0.1.0 wiregen-runtime/0.1.0"`.
    pub user_agent: &'static str,
}

/// Static description of one operation (emitted by the generator as a `const`).
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// Operation name, sent as `x-acs-action` by the Alibaba protocols, e.g. `"GetConversations"`.
    pub name: &'static str,
    /// HTTP method (RPC operations always go out as `POST`, whatever this says).
    pub method: Method,
    /// Path template, `"/"` for RPC, e.g. `"/api/v1/x/{id}"` for ROA/REST.
    pub path: &'static str,
    /// Whether repeating the call is harmless: only such calls are retried by default.
    pub idempotent: bool,
}
