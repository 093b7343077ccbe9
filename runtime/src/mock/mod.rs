//! A validating mock of a service, for tests that have no account and no network (feature
//! `mock`).
//!
//! [`MockServer`] is a real HTTP server on 127.0.0.1, so a client reaches it by its endpoint,
//! exactly as it reaches the service (the way the vendors suggest testing, and the way a
//! non-Rust client can use it too). It knows the service from a [`MockService`] table the
//! generator emits next to the client, and checks every request the way the real service does,
//! answering a mistake with the service's own error code, status and body:
//!
//! | check | code (Alibaba) |
//! |---|---|
//! | `x-acs-version` is the service's | `InvalidVersion` |
//! | `x-acs-action` (RPC) or method and path (ROA, REST) name an operation | `InvalidAction.NotFound` |
//! | `Authorization` is an ACS3 header signing the `x-acs-*` headers | `IncompleteSignature` |
//! | the AccessKey id is the mock's (and an STS key carries its token) | `InvalidAccessKeyId.NotFound` |
//! | the STS token is the one issued with the key | `InvalidSecurityToken.MismatchWithAccessKey` |
//! | the signature recomputes with the mock's secret | `SignatureDoesNotMatch` |
//! | `x-acs-date` within 15 minutes, nonce never seen | `InvalidTimeStamp.Expired`, `SignatureNonceUsed` |
//! | required parameters are there | `MissingParameter` |
//! | types, enum values, limits, JSON strings that parse, no unknown parameters | `InvalidParameter` |
//!
//! altatech-style services (`{code, message}`) answer `40127` for authentication and `40000`
//! for everything else. Each refusal is logged with `tracing` and kept in
//! [`MockServer::requests`], with what was wrong in plain words.
//!
//! A request that passes is answered by the newest matching rule ([`MockServer::rule`], or the
//! typed rules of a generated crate's `mock` module), else by the operation's spec example.

mod check;
mod incoming;
mod params;
mod rejection;
mod replay;
mod rules;
mod server;
mod table;

use std::fmt;
use std::time::Duration;

use serde_json::Value;

pub use check::MockCredentials;
pub use replay::{CallKind, ExampleCall, ExampleFn, Replayed, Walk, paged, sent, streamed};
pub use rules::Answer;
pub use server::{
    MOCK_ACCESS_KEY_ID, MOCK_ACCESS_KEY_SECRET, MOCK_BEARER, MockBuilder, MockServer,
};
pub use table::{Kind, Location, MockExample, MockOperation, MockParam, MockService};

/// One request the mock checked, and what it decided.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CheckedRequest {
    /// The operation it addressed, when the mock could tell.
    pub operation: Option<String>,
    /// HTTP method.
    pub method: String,
    /// Path as sent.
    pub path: String,
    /// Query pairs, decoded.
    pub query: Vec<(String, String)>,
    /// The body (lossy UTF-8).
    pub body: String,
    /// Answered or refused.
    pub outcome: Outcome,
}

/// What the mock did with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It passed every check and was answered with this status.
    Answered {
        /// HTTP status of the answer.
        status: u16,
    },
    /// It was refused.
    Rejected {
        /// HTTP status.
        status: u16,
        /// The service's error code.
        code: String,
        /// What was wrong, in plain words.
        problem: String,
    },
}

impl CheckedRequest {
    /// The error code the request was refused with, if it was.
    pub fn rejection_code(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Rejected { code, .. } => Some(code),
            Outcome::Answered { .. } => None,
        }
    }
}

impl fmt::Display for CheckedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(op) = &self.operation {
            write!(f, " ({op})")?;
        }
        match &self.outcome {
            Outcome::Answered { status } => write!(f, ": answered {status}"),
            Outcome::Rejected {
                status,
                code,
                problem,
            } => write!(f, ": refused {status} {code}: {problem}"),
        }
    }
}

/// A rule being set up ([`MockServer::rule`]). Every call takes effect at once.
///
/// Answers play in the order given and the last one repeats, so `.fail(..).respond_json(..)`
/// is a throttled call then a success, and one `respond_json` per page is a page walk.
#[derive(Debug)]
#[must_use = "a rule without answers answers with the spec example"]
pub struct RuleBuilder<'a> {
    server: &'a MockServer,
    index: usize,
}

impl RuleBuilder<'_> {
    fn edit(self, f: impl FnOnce(&mut rules::Rule)) -> Self {
        {
            let mut state = self.server.shared.lock();
            if let Some(rule) = state.rules.get_mut(self.index) {
                f(rule);
            }
        }
        self
    }

    /// Takes only calls whose parameter `wire` (wire name) has this value (as text; a body
    /// member that is not a string as compact JSON).
    pub fn when(self, wire: &str, value: &str) -> Self {
        let pair = (wire.to_owned(), value.to_owned());
        self.edit(|r| r.when.push(pair))
    }

    /// Answers with `answer` (after the answers given before it).
    pub fn answer(self, answer: Answer) -> Self {
        self.edit(|r| r.answers.push(answer))
    }

    /// Answers with this JSON body and status.
    pub fn respond_json(self, status: u16, body: Value) -> Self {
        self.answer(Answer::Json { status, body })
    }

    /// Answers with the service's error body for `code`, with this status.
    pub fn fail(self, status: u16, code: &str, message: &str) -> Self {
        self.answer(Answer::Error {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
            retry_after_ms: None,
        })
    }

    /// Answers as the gateway throttles: HTTP 400 `Throttling.User`, with `x-acs-retry-after`
    /// when `retry_after` is given.
    pub fn throttle(self, retry_after: Option<Duration>) -> Self {
        self.answer(Answer::Error {
            status: 400,
            code: "Throttling.User".into(),
            message: "Request was denied due to user flow control.".into(),
            retry_after_ms: retry_after.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        })
    }

    /// Answers with these server-sent events, one `data:` line of JSON each.
    pub fn events<I: IntoIterator<Item = Value>>(self, events: I) -> Self {
        self.answer(Answer::events(events))
    }

    /// Waits this long before each answer.
    pub fn delay(self, d: Duration) -> Self {
        self.edit(|r| r.delay = Some(d))
    }

    /// Expects exactly `n` calls; checked when the mock is dropped (or by
    /// [`MockServer::verify`]).
    pub fn expect(self, n: u32) -> Self {
        self.edit(|r| r.expect = Some(n))
    }

    /// Calls this rule has taken so far.
    pub fn calls(&self) -> u32 {
        self.server
            .shared
            .lock()
            .rules
            .get(self.index)
            .map_or(0, |r| r.calls)
    }
}
