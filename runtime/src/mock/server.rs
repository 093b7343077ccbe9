//! The HTTP side: a hyper server on 127.0.0.1 that checks each request, answers it, and
//! records what it decided.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::check::{self, Memory, MockCredentials};
use super::incoming::Incoming;
use super::rejection::{Rejection, uses_code_message};
use super::rules::{self, Answer, Rule};
use super::table::MockService;
use super::{CheckedRequest, Outcome, RuleBuilder};

/// Largest request body the mock reads (the services' own limits are far below).
const MAX_BODY: usize = 16 << 20;

/// The AccessKey id a mock accepts unless told otherwise.
pub const MOCK_ACCESS_KEY_ID: &str = "mock-access-key-id";
/// The AccessKey secret a mock accepts unless told otherwise.
pub const MOCK_ACCESS_KEY_SECRET: &str = "mock-access-key-secret";
/// The bearer key a mock accepts unless told otherwise.
pub const MOCK_BEARER: &str = "mock-api-key";

/// Settings of a mock before it starts ([`MockServer::builder`]).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `start` is called"]
pub struct MockBuilder {
    service: &'static MockService,
    creds: MockCredentials,
    port: u16,
}

impl MockBuilder {
    /// The AccessKey pair the mock accepts (default [`MOCK_ACCESS_KEY_ID`] /
    /// [`MOCK_ACCESS_KEY_SECRET`]).
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.creds.access_key_id = id.into();
        self.creds.access_key_secret = secret.into();
        self
    }

    /// Makes the AccessKey a temporary one: requests must carry (and sign) this STS token.
    pub fn security_token(mut self, token: impl Into<String>) -> Self {
        self.creds.security_token = Some(token.into());
        self
    }

    /// The bearer key the mock accepts (default [`MOCK_BEARER`]).
    pub fn bearer(mut self, key: impl Into<String>) -> Self {
        self.creds.bearer = Some(key.into());
        self
    }

    /// Listens on this port of 127.0.0.1 (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// When the port can not be bound.
    pub async fn start(self) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            service: self.service,
            creds: self.creds,
            state: Mutex::new(State::default()),
            ids: AtomicU64::new(0),
        });
        let task = tokio::spawn(accept(listener, Arc::clone(&shared)));
        Ok(MockServer { addr, shared, task })
    }
}

/// A running mock of one service on 127.0.0.1.
///
/// Dropping it stops the server and checks every rule's [`expect`](RuleBuilder::expect)ation
/// (a failed expectation panics, as a failed assertion does, unless the thread is already
/// panicking).
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    pub(super) shared: Arc<Shared>,
    task: JoinHandle<()>,
}

/// What the server's connections share.
#[derive(Debug)]
pub(super) struct Shared {
    pub service: &'static MockService,
    pub creds: MockCredentials,
    pub state: Mutex<State>,
    ids: AtomicU64,
}

impl Shared {
    /// The state; a test that panicked while holding it left it usable.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Rules, the log and the checks' memory.
#[derive(Debug, Default)]
pub(super) struct State {
    pub rules: Vec<Rule>,
    pub log: Vec<CheckedRequest>,
    pub memory: Memory,
}

impl MockServer {
    /// Settings for a mock of `service`.
    pub fn builder(service: &'static MockService) -> MockBuilder {
        MockBuilder {
            service,
            creds: MockCredentials {
                access_key_id: MOCK_ACCESS_KEY_ID.into(),
                access_key_secret: MOCK_ACCESS_KEY_SECRET.into(),
                security_token: None,
                bearer: Some(MOCK_BEARER.into()),
            },
            port: 0,
        }
    }

    /// A mock of `service` with the default credentials, on any free port.
    ///
    /// # Errors
    ///
    /// When no port can be bound.
    pub async fn start(service: &'static MockService) -> std::io::Result<MockServer> {
        MockServer::builder(service).start().await
    }

    /// `http://127.0.0.1:<port>`: the endpoint to give a client.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the mock listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// The service this mock serves.
    pub fn service(&self) -> &'static MockService {
        self.shared.service
    }

    /// The credentials the mock accepts.
    pub fn credentials(&self) -> &MockCredentials {
        &self.shared.creds
    }

    /// A new rule for operation `op` (wire name). It takes effect at once and answers with
    /// the spec example until given answers; newer rules win over older ones.
    ///
    /// # Panics
    ///
    /// When the service has no operation `op` (a test's mistake).
    pub fn rule(&self, op: &str) -> RuleBuilder<'_> {
        let Some(info) = self.shared.service.operation(op) else {
            panic!(
                "{} has no operation `{op}`; operations: {}",
                self.shared.service.info.name,
                self.shared
                    .service
                    .operations
                    .iter()
                    .map(|o| o.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        let mut state = self.shared.lock();
        state.rules.push(Rule::new(info.name));
        RuleBuilder {
            server: self,
            index: state.rules.len() - 1,
        }
    }

    /// Every request checked so far, in arrival order.
    pub fn requests(&self) -> Vec<CheckedRequest> {
        self.shared.lock().log.clone()
    }

    /// The requests the mock refused so far.
    pub fn rejected(&self) -> Vec<CheckedRequest> {
        self.shared
            .lock()
            .log
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Rejected { .. }))
            .cloned()
            .collect()
    }

    /// Checks every rule's expectation now.
    ///
    /// # Errors
    ///
    /// Each expectation that does not hold, in words.
    pub fn verify(&self) -> Result<(), String> {
        let unmet: Vec<String> = self
            .shared
            .lock()
            .rules
            .iter()
            .filter_map(Rule::unmet)
            .collect();
        if unmet.is_empty() {
            Ok(())
        } else {
            Err(unmet.join("; "))
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
        if std::thread::panicking() {
            return;
        }
        if let Err(unmet) = self.verify() {
            panic!("mock of {}: {unmet}", self.shared.service.info.name);
        }
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&shared), req));
            // A client that hangs up mid-request is its own business.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: hyper::Request<Body>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let request_id = shared.request_id();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let headers = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let incoming = Incoming::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        headers,
        body,
    );
    let (answer, delay, op, outcome) = {
        let mut state = shared.lock();
        let state = &mut *state;
        match check::check(
            shared.service,
            &shared.creds,
            &mut state.memory,
            SystemTime::now(),
            &incoming,
        ) {
            Ok(accepted) => {
                let (answer, delay) =
                    rules::answer(&mut state.rules, accepted.op, &accepted.params);
                let status = answer_status(&answer);
                (
                    answer,
                    delay,
                    Some(accepted.op.name),
                    Outcome::Answered { status },
                )
            }
            Err(rejection) => {
                let outcome = Outcome::Rejected {
                    status: rejection.status,
                    code: rejection.code.clone(),
                    problem: rejection.problem.clone(),
                };
                (rejected(rejection), None, None, outcome)
            }
        }
    };
    let record = CheckedRequest {
        operation: op.map(str::to_owned),
        method: incoming.method.clone(),
        path: incoming.path.clone(),
        query: incoming.query.clone(),
        body: String::from_utf8_lossy(&incoming.body).into_owned(),
        outcome,
    };
    match &record.outcome {
        Outcome::Answered { status } => {
            tracing::info!(service = shared.service.info.name, "{record} -> {status}");
        }
        Outcome::Rejected { .. } => {
            tracing::warn!(service = shared.service.info.name, "{record}");
        }
    }
    shared.lock().log.push(record);
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    Ok(respond(&shared, answer, &request_id))
}

impl Shared {
    /// A request id in Alibaba's format (upper-case UUID), numbered per mock.
    fn request_id(&self) -> String {
        let n = self.ids.fetch_add(1, Ordering::Relaxed) + 1;
        format!("00000000-0000-4000-8000-{n:012X}")
    }
}

fn rejected(r: Rejection) -> Answer {
    Answer::Error {
        status: r.status,
        code: r.code,
        message: r.message,
        retry_after_ms: None,
    }
}

fn answer_status(answer: &Answer) -> u16 {
    match answer {
        Answer::Json { status, .. } | Answer::Raw { status, .. } | Answer::Error { status, .. } => {
            *status
        }
        Answer::Events(_) => 200,
    }
}

/// The HTTP response for `answer`.
fn respond(shared: &Shared, answer: Answer, request_id: &str) -> hyper::Response<Full<Bytes>> {
    let service = shared.service;
    let status = answer_status(&answer);
    let mut builder = hyper::Response::builder()
        .status(status)
        .header("x-acs-request-id", request_id);
    let (content_type, body) = match answer {
        Answer::Json { body, .. } => (
            "application/json;charset=utf-8".to_owned(),
            body.to_string(),
        ),
        Answer::Raw {
            content_type, body, ..
        } => (content_type, body),
        Answer::Events(text) => ("text/event-stream;charset=UTF-8".to_owned(), text),
        Answer::Error {
            code,
            message,
            retry_after_ms,
            ..
        } => {
            if let Some(ms) = retry_after_ms {
                builder = builder.header("x-acs-retry-after", ms.to_string());
            }
            let body = if uses_code_message(service) {
                let code = code.parse::<i64>().map_or(Value::String(code), Value::from);
                json!({ "code": code, "message": message })
            } else {
                // docs/wire.md section 6: the gateway's error body.
                let host = service
                    .info
                    .default_endpoint
                    .split("://")
                    .nth(1)
                    .unwrap_or(service.info.default_endpoint);
                json!({
                    "RequestId": request_id,
                    "HostId": host,
                    "Code": code,
                    "Message": message,
                    "Recommend": format!(
                        "https://api.aliyun.com/troubleshoot?q={code}&product={}&requestId={request_id}",
                        service.info.name
                    ),
                })
            };
            (
                "application/json;charset=utf-8".to_owned(),
                body.to_string(),
            )
        }
    };
    builder = builder.header("content-type", content_type);
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}
