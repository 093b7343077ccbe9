//! Runtime support for wiregen's generated API clients.
//!
//! Generated crates are thin: models, request builders and `const` metadata. Everything that
//! needs care lives here, written once and tested:
//!
//! | piece | module | what it does |
//! |---|---|---|
//! | metadata | [`ServiceInfo`], [`OperationInfo`] | protocol, API version, endpoints, auth scheme, error shapes of a service; method, path and idempotency of an operation |
//! | configuration | [`Config`], [`ConfigBuilder`] | credentials (explicit or environment), endpoint or region, HTTP client, timeouts, retry policy, User-Agent suffix |
//! | credentials | [`AccessKey`], [`Secret`], [`ProvideCredentials`], [`DefaultChain`], [`CachedProvider`] | AccessKey pair with optional STS token, Bearer key; the SDKs' default chain (environment, OIDC role, profile files, ECS RAM role, credentials URI), cached and refreshed once before expiry; secrets never printed |
//! | response metadata | [`ResponseMetadata`] | status, headers, request id and attempts of a successful call ([`Client::send_with_metadata`], [`Client::send_sse_with_metadata`]) |
//! | interceptors | [`Interceptor`] | user hooks on every attempt: change the request before signing, read it before sending, read the answer |
//! | per-call settings | [`CallOptions`] | timeout, retry policy, extra headers of one call (`.customize(...)` on generated builders) |
//! | requests | [`Request`], [`PreparedRequest`] | parameters of one call; the encoded, signed result ([`Client::prepare`]) |
//! | encoding | [`encode`] | [`ParamValue`], the wire (form) and canonical (RFC 3986) query encodings |
//! | signing | [`sign`] | ACS3-HMAC-SHA256, step by step |
//! | sending | [`Client`] | endpoint resolution, signing per attempt, timeouts, retries, `tracing` spans |
//! | errors | [`Error`], [`ServiceError`], [`ErrorCode`], [`AnyError`] | one error type, generic over the service's code enum (a generated crate's `Error` is `Error<errors::Code>`, returned by all its calls); service errors recognised in every body shape the services use and in a stream's error events, typed the same way; every error constructible for tests |
//! | retries | [`RetryPolicy`] | exponential backoff with jitter, `x-acs-retry-after`/`Retry-After`, budget |
//! | pagination | [`paginate`] | cursor, page-number and next-token walks as a `Stream` of pages (with their metadata) or of items |
//! | streaming | [`sse`] | server-sent events as a `Stream` of decoded events ([`Client::send_sse`]) |
//! | values | [`UnixSeconds`], [`UnixMillis`], [`lenient`], [`UnknownValue`] | timestamps and fields whose wire type wobbles; the raw value an open enum keeps when it does not know it |
//! | models | [`decode`], [`to_json`] | decoding and writing generated models through parsed JSON, with one plain function per model instead of serde derives |
//! | testing (feature `mock`) | `mock` | a validating mock server of a service on 127.0.0.1: checks requests as the service does, answers from spec examples or typed rules |
//!
//! # How generated code uses it
//!
//! ```no_run
//! # use wiregen_runtime::*;
//! # static SERVICE: ServiceInfo = ServiceInfo {
//! #     name: "rdsai", protocol: Protocol::AlibabaRpc, api_version: Some("2025-05-07"),
//! #     default_endpoint: "https://rdsai.aliyuncs.com", regional_endpoints: &[],
//! #     region_template: None, auth: AuthScheme::Acs3HmacSha256,
//! #     error_shapes: &[ErrorShape::Alibaba], user_agent: "rdsai/0.1.0 wiregen-runtime/0.1.0" };
//! static OP: OperationInfo = OperationInfo {
//!     name: "GetConversations", method: Method::Post, path: "/", idempotent: true,
//! };
//! # async fn run() -> Result<(), Error> {
//! let client = Client::new(&SERVICE, Config::builder().access_key("id", "secret").build());
//! let mut req = client.request(&OP);
//! req.query("Limit", &10).query("Pinned", &true);
//! let page: serde_json::Value = client.send::<_, UnknownCode>(req).await?;
//! # Ok(()) }
//! ```
//!
//! # Secrets stay secret
//!
//! Credentials never appear in a `Debug` or `Display` of the configuration, a client, a
//! prepared request or an error, nor in a `tracing` field. A server may still send them back
//! (some gateways and debugging proxies echo the request headers into an error body): each
//! attempt's credentials (the AccessKey secret, the STS token, a Bearer key, every
//! `Authorization` value) are replaced by `***` in all the server text an error keeps (bodies,
//! messages, codes, event data) before anything reads it. Secrets shorter than 8 bytes are
//! not scrubbed (they would match ordinary text; real keys are far longer).
//!
//! Defaults worth knowing: connect timeout 5 s, whole-exchange timeout 120 s, SSE idle timeout
//! 60 s per event, no SSE stream deadline, response bodies up to 32 MiB (error bodies: a 64 KiB
//! prefix), events up to 16 MiB, 1,000 pages per walk, 8 idle connections per host kept 30 s
//! (see [`ConfigBuilder`] for why and how to change each); redirects are never followed;
//! idempotent operations retry with [`RetryPolicy::standard`], others never unless a per-call
//! policy says so.

mod any_error;
mod client;
mod config;
mod credentials;
pub mod decode;
pub mod encode;
mod endpoint;
mod enum_value;
mod error;
mod interceptor;
mod key;
pub mod lenient;
mod metadata;
#[cfg(feature = "mock")]
pub mod mock;
mod options;
pub mod paginate;
mod redact;
mod request;
mod response;
mod retry;
mod service;
pub mod sign;
pub mod sse;
mod sse_framing;
pub mod time;
pub mod to_json;

pub use any_error::AnyError;
pub use client::Client;
pub use config::{
    Config, ConfigBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_PAGES,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_POOL_MAX_IDLE_PER_HOST,
    DEFAULT_SSE_IDLE_TIMEOUT, DEFAULT_TIMEOUT, MAX_ERROR_BODY_BYTES, endpoint_env_var,
};
pub use credentials::{
    AccessKey, AssumeRoleProvider, CachedProvider, ChainSettings, CliProfileProvider, Credentials,
    CredentialsError, DEFAULT_IMDS_ENDPOINT, DEFAULT_REFRESH_BEFORE, DefaultChain,
    ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN, EnvProvider, ImdsProvider,
    IniProfileProvider, OidcProvider, ProvideCredentials, Secret, UriProvider,
};
pub use decode::Decode;
pub use encode::ParamValue;
pub use enum_value::UnknownValue;
pub use error::{
    DecodeError, Error, ErrorCode, LimitKind, ServiceError, StreamError, TimeoutKind, UnknownCode,
};
pub use interceptor::{Attempt, HttpRequest, HttpResponse, Interceptor};
pub use metadata::ResponseMetadata;
pub use options::CallOptions;
pub use paginate::CursorFrom;
pub use request::{PreparedRequest, Request};
pub use retry::RetryPolicy;
pub use service::{AuthScheme, ErrorShape, Method, OperationInfo, Protocol, ServiceInfo};
pub use sse::{BoxStream, SseEvent, SseLimits, SseOptions};
pub use time::{UnixMillis, UnixSeconds};
pub use to_json::ToJson;

/// Re-exported: streams returned by pagination and SSE are `futures` streams.
pub use futures;
/// Re-exported: generated `map<T>` values are `IndexMap<String, T>`, which keep the caller's
/// insertion order on the wire.
pub use indexmap;
/// Re-exported so callers can pass their own HTTP client without a version mismatch.
pub use reqwest;
/// Re-exported so generated crates need no direct dependency (`#[serde(crate = "wiregen_runtime::serde")]`).
pub use serde;
/// Re-exported for generated code and its callers.
pub use serde_json;
