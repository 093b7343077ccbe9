//! Answers: the spec's example by default, or what a test's rules say (a body, an error, a
//! sequence, server-sent events, a delay), chosen by operation and parameters, with call
//! counts and expectations.

use std::time::Duration;

use serde_json::Value;

use super::table::MockOperation;

/// One answer of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A JSON body with this status.
    Json {
        /// HTTP status.
        status: u16,
        /// The body.
        body: Value,
    },
    /// A body sent as it is, with this status and content type.
    Raw {
        /// HTTP status.
        status: u16,
        /// `Content-Type`.
        content_type: String,
        /// The body.
        body: String,
    },
    /// The service's error body (Alibaba's `Code`/`Message`/`RequestId`, or altatech's
    /// `code`/`message`) with this status.
    Error {
        /// HTTP status.
        status: u16,
        /// The error code.
        code: String,
        /// The message.
        message: String,
        /// `x-acs-retry-after` in milliseconds (throttling), if any.
        retry_after_ms: Option<u64>,
    },
    /// A `text/event-stream` body, as written.
    Events(String),
}

impl Answer {
    /// Server-sent events, one `data:` line of compact JSON per value.
    pub fn events<I: IntoIterator<Item = Value>>(events: I) -> Answer {
        let mut text = String::new();
        for (i, event) in events.into_iter().enumerate() {
            text.push_str(&format!("id: {}\ndata: {event}\n\n", i + 1));
        }
        Answer::Events(text)
    }

    /// The default answer of `op`: its first spec example (events for a streaming
    /// operation), else an empty JSON object.
    pub(crate) fn example(op: &MockOperation) -> Answer {
        for ex in op.examples {
            if op.streaming
                && let Some(events) = ex.events
            {
                return Answer::Events(events.to_owned());
            }
            if let Some(body) = ex.body {
                let status = ex.status;
                return match serde_json::from_str(body) {
                    Ok(body) => Answer::Json { status, body },
                    Err(_) => Answer::Raw {
                        status,
                        content_type: "text/plain; charset=utf-8".into(),
                        body: body.to_owned(),
                    },
                };
            }
        }
        Answer::Json {
            status: 200,
            body: Value::Object(serde_json::Map::new()),
        }
    }
}

/// A rule of a test: which calls it takes and how it answers them.
#[derive(Debug)]
pub(crate) struct Rule {
    /// Operation wire name.
    pub op: &'static str,
    /// Parameters that must have these values (wire name, value as text).
    pub when: Vec<(String, String)>,
    /// Answers in order; the last one repeats. Empty: the spec example.
    pub answers: Vec<Answer>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// How many calls the test expects.
    pub expect: Option<u32>,
    /// Calls taken so far.
    pub calls: u32,
}

impl Rule {
    pub(crate) fn new(op: &'static str) -> Rule {
        Rule {
            op,
            when: Vec::new(),
            answers: Vec::new(),
            delay: None,
            expect: None,
            calls: 0,
        }
    }

    fn matches(&self, op: &str, params: &[(String, String)]) -> bool {
        self.op == op
            && self
                .when
                .iter()
                .all(|(n, v)| params.iter().any(|(pn, pv)| pn == n && pv == v))
    }

    /// An expectation that did not hold, in words.
    pub(crate) fn unmet(&self) -> Option<String> {
        let want = self.expect?;
        (want != self.calls).then(|| {
            let when = if self.when.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = self.when.iter().map(|(n, v)| format!("{n}={v}")).collect();
                format!(" when {}", list.join(", "))
            };
            format!(
                "rule for {}{when} expected {want} call(s), got {}",
                self.op, self.calls
            )
        })
    }
}

/// Picks the answer to a checked call: the newest matching rule (so a test can override an
/// earlier one), else the spec example.
pub(crate) fn answer(
    rules: &mut [Rule],
    op: &MockOperation,
    params: &[(String, String)],
) -> (Answer, Option<Duration>) {
    let Some(rule) = rules.iter_mut().rev().find(|r| r.matches(op.name, params)) else {
        return (Answer::example(op), None);
    };
    rule.calls += 1;
    let answer = match rule.answers.len() {
        0 => Answer::example(op),
        n => rule.answers[(rule.calls as usize - 1).min(n - 1)].clone(),
    };
    (answer, rule.delay)
}
