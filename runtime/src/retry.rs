//! Retry policy: which failures are repeated, how long to wait, and when to give up.
//!
//! Defaults (see [`Config::retry`](crate::ConfigBuilder::retry)): idempotent operations use
//! [`RetryPolicy::standard`], others [`RetryPolicy::none`], because repeating a call such as
//! ChatMessages would ask the model twice. Every attempt is signed afresh (new date and nonce).

use std::time::{Duration, SystemTime};

use crate::error::{Error, ErrorCode};

/// How a failed call is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in total, including the first (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Upper bound of one backoff delay (the runtime's own choice of wait).
    pub max_delay: Duration,
    /// The longest wait a server may ask for (`x-acs-retry-after`, `Retry-After`) and still be
    /// retried: its delay is honoured in full up to this; a longer one is not waited for and
    /// not retried early either (the server would refuse again), and the error says so
    /// ([`ServiceError::retry_after_cap`](crate::ServiceError::retry_after_cap)).
    pub max_server_delay: Duration,
    /// No retry starts, and no delay reaches, past this much time since the first attempt.
    pub budget: Option<Duration>,
    /// Randomise each delay between half and all of its nominal value, so clients that failed
    /// together do not retry together.
    pub jitter: bool,
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// The default for idempotent operations: 3 attempts, 200 ms doubling up to 5 s, with
    /// jitter, a server's requested delay honoured up to 20 s, within a 30 s budget.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_server_delay: Duration::from_secs(20),
            budget: Some(Duration::from_secs(30)),
            jitter: true,
        }
    }

    /// Sets [`max_attempts`](Self::max_attempts) (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets [`base_delay`](Self::base_delay).
    pub fn with_base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// Sets [`max_delay`](Self::max_delay).
    pub fn with_max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// Sets [`max_server_delay`](Self::max_server_delay).
    pub fn with_max_server_delay(mut self, d: Duration) -> Self {
        self.max_server_delay = d;
        self
    }

    /// Sets [`budget`](Self::budget).
    pub fn with_budget(mut self, d: Option<Duration>) -> Self {
        self.budget = d;
        self
    }

    /// Sets [`jitter`](Self::jitter).
    pub fn with_jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// What to do after `failed` attempts failed with `err`. `elapsed` is the time since the
    /// first attempt started.
    pub(crate) fn decide<C: ErrorCode>(
        &self,
        failed: u32,
        err: &Error<C>,
        idempotent: bool,
        elapsed: Duration,
    ) -> Next {
        if failed >= self.max_attempts || !should_retry(err, idempotent) {
            return Next::GiveUp;
        }
        let delay = match err.service().and_then(|s| s.retry_after) {
            Some(server) if server > self.max_server_delay => {
                return Next::ServerDelayTooLong(self.max_server_delay);
            }
            Some(server) => server,
            None => self.backoff(failed),
        };
        match self.budget {
            Some(budget) if elapsed + delay > budget => Next::GiveUp,
            _ => Next::RetryAfter(delay),
        }
    }

    /// Exponential backoff for the retry after `failed` failures.
    fn backoff(&self, failed: u32) -> Duration {
        let exp = failed.saturating_sub(1).min(20);
        let nominal = self.base_delay.saturating_mul(1 << exp).min(self.max_delay);
        if self.jitter {
            use rand::RngExt as _;
            let half = nominal / 2;
            half + half.mul_f64(rand::rng().random::<f64>())
        } else {
            nominal
        }
    }
}

/// The policy's decision after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Stop: attempts or budget exhausted, or the failure is not worth repeating.
    GiveUp,
    /// Stop: the server asked to wait longer than this cap (`max_server_delay`).
    ServerDelayTooLong(Duration),
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

/// Whether `err` may be retried. For a non-idempotent call only failures where the server
/// certainly did not act are repeated: a refused connection, throttling, HTTP 503.
fn should_retry<C: ErrorCode>(err: &Error<C>, idempotent: bool) -> bool {
    if idempotent {
        return err.is_retryable();
    }
    err.is_connect_failure()
        || err
            .service()
            .is_some_and(|s| s.is_throttling() || s.status == 503)
}

/// Parses a standard `Retry-After` value: delay seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses `x-acs-retry-after`: a positive number of milliseconds (docs/wire.md sections 6 and 7).
pub(crate) fn parse_acs_retry_after(value: &str) -> Option<Duration> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&ms| ms > 0)
        .map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ServiceError, UnknownCode};

    fn service(status: u16, code: &str, retry_after: Option<Duration>) -> Error {
        Error::Service(Box::new(ServiceError {
            status,
            code: UnknownCode(code.into()),
            raw_code: code.into(),
            message: String::new(),
            request_id: None,
            host_id: None,
            recommend: None,
            body: String::new(),
            retry_after,
            retry_after_cap: None,
            event: None,
        }))
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::standard()
            .with_jitter(false)
            .with_max_attempts(10);
        assert_eq!(p.backoff(1), Duration::from_millis(200));
        assert_eq!(p.backoff(2), Duration::from_millis(400));
        assert_eq!(p.backoff(9), Duration::from_secs(5));
        let j = RetryPolicy::standard();
        for _ in 0..50 {
            let d = j.backoff(2);
            assert!(
                d >= Duration::from_millis(200) && d <= Duration::from_millis(400),
                "{d:?}"
            );
        }
    }

    #[test]
    fn decisions() {
        let p = RetryPolicy::standard().with_jitter(false);
        let zero = Duration::ZERO;
        let retry = |d| Next::RetryAfter(d);
        assert_eq!(
            p.decide(1, &service(503, "", None), true, zero),
            retry(Duration::from_millis(200))
        );
        assert_eq!(
            p.decide(3, &service(503, "", None), true, zero),
            Next::GiveUp,
            "attempts exhausted"
        );
        assert_eq!(
            p.decide(1, &service(400, "InvalidParameter", None), true, zero),
            Next::GiveUp
        );
        assert_eq!(
            p.decide(1, &service(502, "", None), false, zero),
            Next::GiveUp,
            "POST may have run"
        );
        let throttled = service(400, "Throttling.User", Some(Duration::from_millis(1500)));
        assert_eq!(
            p.decide(1, &throttled, false, zero),
            retry(Duration::from_millis(1500))
        );
        // The server's delay is honoured in full, beyond the backoff's own `max_delay`...
        let twelve = service(429, "", Some(Duration::from_secs(12)));
        assert_eq!(
            p.decide(1, &twelve, true, zero),
            retry(Duration::from_secs(12))
        );
        assert_eq!(
            p.decide(1, &twelve, true, Duration::from_secs(19)),
            Next::GiveUp,
            "over budget"
        );
        // ...up to `max_server_delay`: a longer one is neither waited for nor cut short.
        let long = service(429, "", Some(Duration::from_secs(60)));
        assert_eq!(
            p.decide(1, &long, true, zero),
            Next::ServerDelayTooLong(Duration::from_secs(20))
        );
        assert_eq!(
            p.clone()
                .with_max_server_delay(Duration::from_secs(60))
                .with_budget(None)
                .decide(1, &long, true, zero),
            retry(Duration::from_secs(60))
        );
        assert_eq!(
            p.decide(3, &long, true, zero),
            Next::GiveUp,
            "no retry was left to skip"
        );
        assert_eq!(
            p.decide(1, &Error::<UnknownCode>::Config("x".into()), true, zero),
            Next::GiveUp
        );
    }

    #[test]
    fn retry_after_values() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_acs_retry_after("250"),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_acs_retry_after("0"), None);
    }
}
