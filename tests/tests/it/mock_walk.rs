//! The validating mocks answer every operation of every crate with its spec examples, through
//! the generated crate's client: the example's request passes every check of the mock, and
//! the answer is the example's body or events.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use serde_json::Value;
use wiregen_runtime::mock::{Answer, Location, MockExample, MockOperation, MockService};
use wiregen_runtime::{OperationInfo, Request, UnknownCode};

use super::support::server::operation_spec;

pub(super) async fn within<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .expect("the mock answered within 30 s")
}

/// The runtime's description of a table operation (the generated one is private to its
/// module; the fields are the same).
pub(super) fn info(op: &MockOperation) -> &'static OperationInfo {
    Box::leak(Box::new(OperationInfo {
        name: op.name,
        method: op.method,
        path: op.path,
        idempotent: false,
    }))
}

/// `params` (an example's request, by wire name) placed where the table says they travel.
pub(super) fn request(
    client: &wiregen_runtime::Client,
    op: &'static MockOperation,
    params: &BTreeMap<String, Value>,
) -> Request {
    let mut req = client.request(info(op));
    let mut body = serde_json::Map::new();
    for (wire, value) in params {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        // A parameter the operation does not take goes to the query, as a hand-made client
        // would send it.
        let Some(param) = op.params.iter().find(|p| p.wire == *wire) else {
            req.query(wire, &text);
            continue;
        };
        match param.location {
            Location::Query if param.json_string => {
                req.query_json(wire, value);
            }
            Location::Query => {
                req.query(wire, &text);
            }
            Location::Path => {
                req.path(wire, &text);
            }
            Location::Header => {
                req.header(wire, &text);
            }
            Location::Body => {
                body.insert(wire.clone(), value.clone());
            }
            Location::WholeBody => {
                req.json_body(value);
            }
        }
    }
    if !body.is_empty() {
        req.json_body(&Value::Object(body));
    }
    req
}

/// The answer an example gives.
fn answer(op: &MockOperation, ex: &MockExample) -> Answer {
    if op.streaming
        && let Some(events) = ex.events
    {
        return Answer::Events(events.to_owned());
    }
    let body = ex.body.unwrap_or("{}");
    match serde_json::from_str(body) {
        Ok(body) => Answer::Json {
            status: ex.status,
            body,
        },
        Err(_) => Answer::Raw {
            status: ex.status,
            content_type: "text/plain; charset=utf-8".into(),
            body: body.to_owned(),
        },
    }
}

/// Every example of every operation of `table`, called through `client`.
async fn walk(
    crate_name: &str,
    table: &'static MockService,
    server: &wiregen_runtime::mock::MockServer,
    client: &wiregen_runtime::Client,
) -> usize {
    let mut calls = 0;
    for op in table.operations {
        let spec = operation_spec(crate_name, op.name);
        assert_eq!(spec.examples.len(), op.examples.len(), "{}", op.name);
        for (i, (spec_ex, ex)) in spec.examples.iter().zip(op.examples).enumerate() {
            // The first example is the default answer; the others are given as rules.
            if i > 0 {
                let _ = server.rule(op.name).answer(answer(op, ex));
            }
            let req = request(client, op, &spec_ex.request);
            let got = within(client.send_bytes::<UnknownCode>(req)).await;
            let where_ = format!("{crate_name} {} example {}", op.name, ex.name);
            let log = server.requests();
            let last = log.last().expect("logged");
            assert_eq!(
                last.rejection_code(),
                None,
                "{where_}: the spec's own request was refused: {last}"
            );
            calls += 1;
            // Failure examples (4xx, or an HTTP 200 envelope saying `success: false`) come back
            // as service errors carrying the example's body.
            let text = match got {
                Ok(bytes) => {
                    assert!(
                        ex.status < 300,
                        "{where_}: an error status answered as success"
                    );
                    String::from_utf8(bytes).expect("UTF-8")
                }
                Err(e) => e
                    .raw_body()
                    .unwrap_or_else(|| panic!("{where_}: {e}"))
                    .to_owned(),
            };
            match (op.streaming, ex.events, ex.body) {
                (true, Some(events), _) => assert_eq!(text, events, "{where_}"),
                (_, _, Some(body)) => match serde_json::from_str::<Value>(body) {
                    Ok(want) => assert_eq!(
                        serde_json::from_str::<Value>(&text).expect("JSON"),
                        want,
                        "{where_}"
                    ),
                    Err(_) => assert_eq!(text, body, "{where_}"),
                },
                _ => {}
            }
        }
    }
    calls
}

#[tokio::test]
async fn every_operation_of_every_crate_answers_its_spec_examples() {
    let rdsai = rdsai::mock::Mock::start().await.expect("mock");
    let n = walk(
        "rdsai",
        &rdsai::mock::SERVICE,
        &rdsai,
        rdsai.client().runtime(),
    )
    .await;
    let aicontent = aicontent::mock::Mock::start().await.expect("mock");
    let m = walk(
        "aicontent",
        &aicontent::mock::SERVICE,
        &aicontent,
        aicontent.client().runtime(),
    )
    .await;
    let altatech = altatech::mock::Mock::start().await.expect("mock");
    let k = walk(
        "altatech",
        &altatech::mock::SERVICE,
        &altatech,
        altatech.client().runtime(),
    )
    .await;
    // Every operation has at least one example, so every operation was called.
    let ops = rdsai::mock::SERVICE.operations.len()
        + aicontent::mock::SERVICE.operations.len()
        + altatech::mock::SERVICE.operations.len();
    assert!(
        n + m + k >= ops,
        "{n} + {m} + {k} calls for {ops} operations"
    );
    for table in [
        &rdsai::mock::SERVICE,
        &aicontent::mock::SERVICE,
        &altatech::mock::SERVICE,
    ] {
        for op in table.operations {
            assert!(!op.examples.is_empty(), "{} has no example", op.name);
        }
    }
}

#[tokio::test]
async fn typed_answers_decode_into_the_generated_models() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let client = mock.client();
    // The default answer is the first spec example, decoded by the generated client.
    let page = within(client.get_conversations().limit(10).send())
        .await
        .expect("example page");
    let want = &rdsai::mock::SERVICE
        .operation("GetConversations")
        .expect("op")
        .examples[0];
    let body: Value = serde_json::from_str(want.body.expect("body")).expect("JSON");
    assert_eq!(
        page.request_id.as_deref(),
        body["RequestId"].as_str(),
        "the example's RequestId"
    );
    let calls = mock.requests();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].operation.as_deref(), Some("GetConversations"));
    assert_eq!(
        calls[0].query,
        vec![("Limit".to_owned(), "10".to_owned())],
        "the log shows what was sent"
    );
}
