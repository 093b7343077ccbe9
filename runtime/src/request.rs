//! One call before it is encoded: [`Request`] collects parameters (generated builders fill it),
//! and [`PreparedRequest`] is the encoded, signed result.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::encode::ParamValue;
use crate::retry::RetryPolicy;
use crate::service::{Method, OperationInfo};
use crate::to_json::ToJson;

/// Per-call overrides of the configured size and stream limits (`None`: the client's).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CallLimits {
    pub max_response_bytes: Option<u64>,
    pub max_event_bytes: Option<usize>,
    pub sse_idle_timeout: Option<Duration>,
    pub sse_deadline: Option<Duration>,
}

/// The parameters of one call, not yet encoded or signed.
///
/// Setting a name twice replaces the earlier value (pagination relies on it to move the cursor).
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) op: &'static OperationInfo,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) path_params: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) limits: CallLimits,
}

fn set(list: &mut Vec<(String, String)>, name: &str, value: String) {
    match list.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name.to_owned(), value)),
    }
}

impl Request {
    /// An empty request for `op` (also available as [`Client::request`](crate::Client::request)).
    pub fn new(op: &'static OperationInfo) -> Self {
        Request {
            op,
            query: Vec::new(),
            path_params: Vec::new(),
            headers: Vec::new(),
            body: None,
            timeout: None,
            retry: None,
            limits: CallLimits::default(),
        }
    }

    /// The operation.
    pub fn operation(&self) -> &'static OperationInfo {
        self.op
    }

    /// Sets a query parameter (for RPC: every parameter). Empty strings are sent as `Key=`.
    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) -> &mut Self {
        set(&mut self.query, name, value.to_param().into_owned());
        self
    }

    /// Sets a query parameter whose value is `value` as compact JSON (Alibaba's `json` style):
    /// raw UTF-8, no spaces, object members that are `null` left out. Written through
    /// [`ToJson`], as models and bodies are (a `serde_json::Value` is one).
    pub fn query_json<V: ToJson + ?Sized>(&mut self, name: &str, value: &V) -> &mut Self {
        let mut tree = value.to_json();
        strip_nulls(&mut tree);
        set(&mut self.query, name, tree.to_string());
        self
    }

    /// Fills `{name}` in the operation's path (percent-encoded, `/` included).
    pub fn path<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) -> &mut Self {
        set(&mut self.path_params, name, value.to_param().into_owned());
        self
    }

    /// Sets a header (signed, for ACS3 services).
    pub fn header<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) -> &mut Self {
        set(
            &mut self.headers,
            &name.to_ascii_lowercase(),
            value.to_param().into_owned(),
        );
        self
    }

    /// Sets a JSON body, written through [`ToJson`] (generated models, the body object a
    /// generated builder assembles with [`Members`](crate::to_json::Members), or a
    /// `serde_json::Value`).
    pub fn json_body<V: ToJson + ?Sized>(&mut self, value: &V) -> &mut Self {
        self.body = Some(value.to_json().to_string().into_bytes());
        self
    }

    /// Overrides the whole-exchange timeout for this call.
    pub fn timeout(&mut self, d: Duration) -> &mut Self {
        self.timeout = Some(d);
        self
    }

    /// Overrides the retry policy for this call (also enables retries of a non-idempotent call).
    pub fn retry(&mut self, policy: RetryPolicy) -> &mut Self {
        self.retry = Some(policy);
        self
    }

    /// Overrides the largest response body read for this call, in bytes.
    pub fn max_response_bytes(&mut self, n: u64) -> &mut Self {
        self.limits.max_response_bytes = Some(n);
        self
    }

    /// Overrides the largest server-sent event for this call, in bytes.
    pub fn max_event_bytes(&mut self, n: usize) -> &mut Self {
        self.limits.max_event_bytes = Some(n);
        self
    }

    /// Overrides the longest wait for the next complete event of this call's stream.
    pub fn sse_idle_timeout(&mut self, d: Duration) -> &mut Self {
        self.limits.sse_idle_timeout = Some(d);
        self
    }

    /// Sets a deadline for this call's whole event stream, from its first poll.
    pub fn sse_deadline(&mut self, d: Duration) -> &mut Self {
        self.limits.sse_deadline = Some(d);
        self
    }
}

/// Removes `null` object members, at any depth (`null` array items stay: they hold a place).
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, m| !m.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// A fully encoded and signed request, ready to send (see [`Client::prepare`](crate::Client::prepare)).
///
/// `Debug` redacts `authorization` and `x-acs-security-token`.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// HTTP method.
    pub method: Method,
    /// Full URL, query included (wire encoding).
    pub url: String,
    /// Headers in sending order, names lower-case. `host` is listed because it is signed; the
    /// HTTP stack derives the same value from the URL.
    pub headers: Vec<(String, String)>,
    /// Body bytes (empty for every RPC/ROA call of the current specs).
    pub body: Vec<u8>,
}

impl PreparedRequest {
    /// The value of header `name` (lower-case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Headers whose values are credentials (a Bearer key, an STS token).
pub(crate) fn is_sensitive(name: &str) -> bool {
    matches!(
        name,
        "authorization" | "x-acs-security-token" | "x-acs-bearer-token"
    )
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(
                        self.0
                            .iter()
                            .map(|(n, v)| (n, if is_sensitive(n) { "***" } else { v.as_str() })),
                    )
                    .finish()
            }
        }
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &Headers(&self.headers))
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: OperationInfo = OperationInfo {
        name: "X",
        method: Method::Get,
        path: "/",
        idempotent: true,
    };

    #[test]
    fn setting_twice_replaces() {
        let mut r = Request::new(&OP);
        r.query("LastId", "a")
            .query("Limit", &10)
            .query("LastId", "b");
        assert_eq!(
            r.query,
            vec![("LastId".into(), "b".into()), ("Limit".into(), "10".into())]
        );
    }

    #[test]
    fn json_params_are_compact_utf8_without_nulls() {
        /// Written as a generated model writes itself.
        struct Inputs {
            agent: Option<String>,
            model: String,
            nested: Value,
        }
        impl ToJson for Inputs {
            fn to_json(&self) -> Value {
                let mut members = crate::to_json::Members::new();
                members.put("CustomAgentId", &self.agent);
                members.put("ModelId", &self.model);
                members.put("Nested", &self.nested);
                members.into_value()
            }
        }
        let mut r = Request::new(&OP);
        let v = Inputs {
            agent: None,
            model: "通义".into(),
            nested: serde_json::json!({"a": null, "b": [null, 1]}),
        };
        r.query_json("Inputs", &v);
        assert_eq!(
            r.query[0].1,
            r#"{"ModelId":"通义","Nested":{"b":[null,1]}}"#
        );
        r.query_json("Files", &Vec::<i32>::new());
        assert_eq!(r.query[1].1, "[]");
    }

    #[test]
    fn free_form_json_and_maps_keep_the_callers_member_order() {
        // The SDK sends a JSON-string parameter's dict in insertion order; sorted keys would be
        // different bytes (and a different signature) for the same value.
        let mut r = Request::new(&OP);
        let value: Value = serde_json::from_str(
            r#"{"zeta":1,"alpha":{"y":null,"b":2,"a":3},"mid":[{"z":0,"a":1}]}"#,
        )
        .expect("valid JSON");
        r.query_json("Inputs", &value);
        assert_eq!(
            r.query[0].1,
            r#"{"zeta":1,"alpha":{"b":2,"a":3},"mid":[{"z":0,"a":1}]}"#
        );
        let mut map = indexmap::IndexMap::new();
        map.insert("Zone".to_owned(), "cn-hangzhou-h".to_owned());
        map.insert("App".to_owned(), "a".to_owned());
        r.query_json("Tags", &map).json_body(&value);
        assert_eq!(r.query[1].1, r#"{"Zone":"cn-hangzhou-h","App":"a"}"#);
        assert_eq!(
            r.body.as_deref(),
            Some(br#"{"zeta":1,"alpha":{"y":null,"b":2,"a":3},"mid":[{"z":0,"a":1}]}"#.as_slice())
        );
    }

    #[test]
    fn debug_redacts_credentials() {
        let p = PreparedRequest {
            method: Method::Get,
            url: "https://h/".into(),
            headers: vec![
                ("authorization".into(), "Bearer sk-123".into()),
                ("x-acs-security-token".into(), "tok".into()),
            ],
            body: Vec::new(),
        };
        let d = format!("{p:?}");
        assert!(!d.contains("sk-123") && !d.contains("tok\""), "{d}");
    }
}
