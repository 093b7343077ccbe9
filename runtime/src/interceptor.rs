//! [`Interceptor`]: the one point where user code sees every attempt of every call: change the
//! request before it is signed, read it as sent, read the response when it arrives. For
//! logging, metrics, tracing headers and tests, the way smithy-rs interceptors and progenitor's
//! pre/post hooks serve their users.
//!
//! Interceptors are set on the [`ConfigBuilder`](crate::ConfigBuilder) (several run in the
//! order they were added) and run on every attempt, retries included, each attempt signed
//! afresh after [`modify_before_signing`](Interceptor::modify_before_signing).

use std::fmt;

use reqwest::Url;
use reqwest::header::HeaderMap;

use crate::request::PreparedRequest;
use crate::service::{Method, OperationInfo, ServiceInfo};

/// Hooks into every attempt of every call a [`Client`](crate::Client) makes. Every method has
/// a default that does nothing: implement the ones you need.
///
/// The order within one attempt is: the runtime builds the request (method, URL, protocol
/// headers, body); [`modify_before_signing`](Self::modify_before_signing) may change it; the
/// runtime adds the date, nonce and payload hash and signs (ACS3) or adds the bearer
/// credential; [`read_before_transmit`](Self::read_before_transmit) sees the result; it is sent;
/// [`read_after_response`](Self::read_after_response) sees the answer. A change made before
/// signing is covered by the signature: a header added there on an ACS3 service is signed like
/// any other request header.
///
/// ```
/// use std::sync::Mutex;
/// use wiregen_runtime::{Attempt, Config, HttpRequest, HttpResponse, Interceptor};
///
/// /// Adds a trace header to every attempt and keeps the status of every answer.
/// #[derive(Debug, Default)]
/// struct Trace {
///     statuses: Mutex<Vec<u16>>,
/// }
///
/// impl Interceptor for Trace {
///     fn modify_before_signing(&self, request: &mut HttpRequest, attempt: &Attempt) {
///         request.set_header("x-trace-id", format!("{}-{}", attempt.operation().name, attempt.number()));
///     }
///
///     fn read_after_response(&self, response: &HttpResponse<'_>, _attempt: &Attempt) {
///         if let Ok(mut statuses) = self.statuses.lock() {
///             statuses.push(response.status());
///         }
///     }
/// }
///
/// let config = Config::builder()
///     .access_key("id", "secret")
///     .interceptor(Trace::default())
///     .build();
/// # let _ = config;
/// ```
pub trait Interceptor: fmt::Debug + Send + Sync + 'static {
    /// Before signing: read and change the method, URL, headers and body. Runs on every
    /// attempt (and in [`Client::prepare`](crate::Client::prepare)), on a fresh copy each time.
    fn modify_before_signing(&self, request: &mut HttpRequest, attempt: &Attempt) {
        let _ = (request, attempt);
    }

    /// After signing, just before the request is sent: read it as it goes on the wire.
    /// Credentials are in its headers (`authorization`, `x-acs-security-token`,
    /// `x-acs-bearer-token`); its `Debug` redacts them, so log it with `{:?}`.
    fn read_before_transmit(&self, request: &PreparedRequest, attempt: &Attempt) {
        let _ = (request, attempt);
    }

    /// When an answer arrives, of any status, before it is decoded or judged an error: its
    /// status, headers and, unless it is an event stream (which is left unread for the
    /// caller), its body.
    fn read_after_response(&self, response: &HttpResponse<'_>, attempt: &Attempt) {
        let _ = (response, attempt);
    }
}

/// Which attempt of which call an interceptor is looking at.
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    service: &'static ServiceInfo,
    operation: &'static OperationInfo,
    number: u32,
}

impl Attempt {
    pub(crate) fn new(
        service: &'static ServiceInfo,
        operation: &'static OperationInfo,
        number: u32,
    ) -> Self {
        Attempt {
            service,
            operation,
            number,
        }
    }

    /// The service called.
    pub fn service(&self) -> &'static ServiceInfo {
        self.service
    }

    /// The operation called.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The attempt's number: 1 for the first, 2 for the first retry, and so on.
    pub fn number(&self) -> u32 {
        self.number
    }
}

/// A request before it is signed, as an [`Interceptor`] may change it.
///
/// The URL's query is in wire form (`application/x-www-form-urlencoded`, a space as `+`);
/// signing reads the parameters back from it, so a parameter added with
/// `url_mut().query_pairs_mut()` is signed too.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// Lower-case names, in sending order.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl HttpRequest {
    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Changes the HTTP method.
    pub fn set_method(&mut self, method: Method) {
        self.method = method;
    }

    /// The full URL, query included.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The URL, to change (host, path, query).
    pub fn url_mut(&mut self) -> &mut Url {
        &mut self.url
    }

    /// The headers so far (names lower-case), without those signing adds.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of header `name` (any case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets header `name` (stored lower-case), replacing an earlier value.
    pub fn set_header(&mut self, name: impl AsRef<str>, value: impl Into<String>) {
        let name = name.as_ref().to_ascii_lowercase();
        let value = value.into();
        match self.headers.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name, value)),
        }
    }

    /// Removes header `name` (any case), returning its value.
    pub fn remove_header(&mut self, name: &str) -> Option<String> {
        let i = self
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))?;
        Some(self.headers.remove(i).1)
    }

    /// The body bytes (empty for every RPC call).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Replaces the body; its hash and `content-type` are the interceptor's to keep right
    /// (the payload hash is computed after this hook, from these bytes).
    pub fn set_body(&mut self, body: Vec<u8>) {
        self.body = body;
    }
}

/// An answer as an [`Interceptor`] reads it.
#[derive(Debug, Clone, Copy)]
pub struct HttpResponse<'a> {
    pub(crate) status: u16,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: Option<&'a [u8]>,
}

impl<'a> HttpResponse<'a> {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as read: whole for a successful answer, the first
    /// [`MAX_ERROR_BODY_BYTES`](crate::MAX_ERROR_BODY_BYTES) of an error; `None` for an event
    /// stream (left for the caller to read) or when reading the body failed.
    pub fn body(&self) -> Option<&'a [u8]> {
        self.body
    }
}

/// The interceptors of one client, run in order.
#[derive(Clone, Default)]
pub(crate) struct Interceptors(Vec<std::sync::Arc<dyn Interceptor>>);

impl Interceptors {
    pub(crate) fn push(&mut self, interceptor: std::sync::Arc<dyn Interceptor>) {
        self.0.push(interceptor);
    }

    pub(crate) fn modify_before_signing(&self, request: &mut HttpRequest, attempt: &Attempt) {
        for i in &self.0 {
            i.modify_before_signing(request, attempt);
        }
    }

    pub(crate) fn read_before_transmit(&self, request: &PreparedRequest, attempt: &Attempt) {
        for i in &self.0 {
            i.read_before_transmit(request, attempt);
        }
    }

    pub(crate) fn read_after_response(&self, response: &HttpResponse<'_>, attempt: &Attempt) {
        for i in &self.0 {
            i.read_after_response(response, attempt);
        }
    }
}

impl fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.0).finish()
    }
}
