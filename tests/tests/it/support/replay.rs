//! The spec's examples replayed through the generated crates' typed example calls
//! (`mock::EXAMPLES`), for the table-driven tests over every operation.

use std::fmt::Display;
use std::path::Path;
use std::time::Duration;

use wiregen_codegen::compile_dir;
use wiregen_codegen::ir::{Api, Example, Operation, ResponseBody};
use wiregen_runtime::futures::future::BoxFuture;
use wiregen_runtime::mock::{ExampleCall, Replayed, Walk};

use super::capture::Answer;
use super::server::acs_config;

/// How long one typed call may take.
const CALL_LIMIT: Duration = Duration::from_secs(30);

/// An answer both clients accept for `op`: the example's own successful response (or
/// events), else another example's, else an empty one.
pub fn success_answer(op: &Operation, example: &Example) -> Answer {
    let ok = |e: &&Example| (200..300).contains(&e.status);
    if let Some(streaming) = &op.streaming {
        // A stream with no error event (the client would end with the error).
        let clean = |text: &&str| {
            !streaming.error_events.iter().any(|name| {
                text.contains(&format!("\"{name}\"")) || text.contains(&format!("event: {name}"))
            })
        };
        let events = std::iter::once(example)
            .chain(&op.examples)
            .filter_map(|e| e.events.as_deref())
            .find(clean)
            .unwrap_or("data: {}\n\n");
        return Answer::events(events);
    }
    let body = std::iter::once(example)
        .chain(&op.examples)
        .filter(ok)
        .find_map(|e| e.response.as_deref())
        .unwrap_or("{}");
    match op.response_body {
        ResponseBody::Json => Answer::json(200, body),
        ResponseBody::Text | ResponseBody::Bytes => Answer {
            status: 200,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
        },
    }
}

/// The typed example call of `operation`/`example` in `calls`, made on `client`.
pub fn replay<C, E: Display + 'static>(
    calls: &'static [ExampleCall<C, E>],
    client: &C,
    operation: &str,
    example: &str,
    walk: Walk,
) -> BoxFuture<'static, Result<Replayed, String>> {
    let Some(call) = calls
        .iter()
        .find(|c| c.operation == operation && c.example == example)
    else {
        let missing = format!("no typed example call for {operation}/{example}");
        return Box::pin(async move { Err(missing) });
    };
    let future = (call.call)(client, walk);
    Box::pin(async move { future.await.map_err(|e| e.to_string()) })
}

/// Typed calls of both crates on one endpoint.
pub struct Clients {
    rdsai: rdsai::Client,
    aicontent: aicontent::Client,
}

impl Clients {
    /// Clients of `uri` signing with the tests' key, without retries.
    pub fn new(uri: &str) -> Clients {
        Clients {
            rdsai: rdsai::Client::new(acs_config(uri)),
            aicontent: aicontent::Client::new(acs_config(uri)),
        }
    }

    /// Replays an example of `service`, with a time limit.
    pub async fn replay(
        &self,
        service: &str,
        operation: &str,
        example: &str,
        walk: Walk,
    ) -> Result<Replayed, String> {
        let call = match service {
            "rdsai" => replay(rdsai::mock::EXAMPLES, &self.rdsai, operation, example, walk),
            "aicontent" => replay(
                aicontent::mock::EXAMPLES,
                &self.aicontent,
                operation,
                example,
                walk,
            ),
            other => return Err(format!("no client for {other}")),
        };
        tokio::time::timeout(CALL_LIMIT, call)
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {CALL_LIMIT:?}")))
    }
}

/// `spec/`, compiled.
pub fn compiled_api() -> Api {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let compiled = compile_dir(&spec);
    compiled.api.unwrap_or_else(|| {
        panic!(
            "spec/ does not compile:\n{}",
            wiregen_codegen::render_all(&compiled.diagnostics)
        )
    })
}
