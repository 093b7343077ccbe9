//! A capture server on 127.0.0.1 for the table-driven tests over every operation: it records
//! every request and answers each with the answer the test set last, so one server serves
//! a whole run of calls (the wire test's SDK and client calls, the decoding mutations).

use std::sync::{Arc, Mutex, PoisonError};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::seen::Seen;

/// What the server answers with until told otherwise.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `content-type`.
    pub content_type: &'static str,
    /// Body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A JSON answer with this status.
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            content_type: "application/json",
            body: body.as_bytes().to_vec(),
        }
    }

    /// A server-sent event stream, whole.
    pub fn events(text: &str) -> Answer {
        Answer {
            status: 200,
            content_type: "text/event-stream",
            body: text.as_bytes().to_vec(),
        }
    }
}

/// Answers every request with the shared current answers, in order (the last repeats).
struct Current(Arc<Mutex<(Vec<Answer>, usize)>>);

impl Respond for Current {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (answers, next) = &mut *state;
        let answer = answers
            .get(*next)
            .or(answers.last())
            .cloned()
            .unwrap_or_else(|| Answer::json(200, "{}"));
        *next += 1;
        ResponseTemplate::new(answer.status).set_body_raw(answer.body, answer.content_type)
    }
}

/// The capture server.
pub struct Capture {
    server: MockServer,
    answers: Arc<Mutex<(Vec<Answer>, usize)>>,
    seen: usize,
}

impl Capture {
    /// Starts a capture server answering `{}` until told otherwise.
    pub async fn start() -> Capture {
        let server = MockServer::start().await;
        let answers = Arc::new(Mutex::new((Vec::new(), 0)));
        Mock::given(any())
            .respond_with(Current(Arc::clone(&answers)))
            .mount(&server)
            .await;
        Capture {
            server,
            answers,
            seen: 0,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> String {
        self.server.address().to_string()
    }

    /// Answers the next requests with `answers` in order, the last repeating.
    pub fn answer(&self, answers: Vec<Answer>) {
        *self.answers.lock().unwrap_or_else(PoisonError::into_inner) = (answers, 0);
    }

    /// The requests received since the last call.
    pub async fn take(&mut self) -> Vec<Seen> {
        let all = self.server.received_requests().await.unwrap_or_default();
        let new: Vec<Seen> = all.iter().skip(self.seen).map(Seen::from).collect();
        self.seen = all.len();
        new
    }
}
