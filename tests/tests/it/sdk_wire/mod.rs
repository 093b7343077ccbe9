//! The wire test (issue 19, item 2): every example of every RdsAi and AiContent operation is
//! sent twice to a capture server on 127.0.0.1, once by the official Python SDK (pinned in
//! `tests/sdk/requirements.txt`, driven by `tests/sdk/drive.py`) and once through the
//! generated crate's typed example calls (`mock::EXAMPLES`), and the two requests must be the
//! same on the wire: method, path, query, body (values and member order) and headers, except
//! the date, nonce, signature and user agent; both signatures must verify.
//!
//! Every difference of the run is reported at once; the test fails on any not listed, with
//! its reason, in `tests/sdk/known-differences.txt`. It needs the SDKs: `WIREGEN_SDK_PYTHON`
//! names a Python that has them (`tests/sdk/run-wire-test.sh` makes one); without it the
//! test is skipped with a message, except under CI (`CI` set), where it fails.

mod compare;
mod driver;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use serde_json::{Value, json};
use wiregen_codegen::ir::{Api, Operation, TypeRef};
use wiregen_runtime::mock::Walk;

use super::support::capture::{Answer, Capture};
use super::support::replay::{Clients, compiled_api, success_answer};
use super::support::seen::Seen;
use super::support::server::{KEY_ID, SECRET};
use compare::{Difference, compare};
use driver::{CALL_LIMIT, Driver, PYTHON_VAR};

/// The services compared, with the SDK package that is their reference.
const SERVICES: [(&str, &str); 2] = [
    ("rdsai", "alibabacloud_rdsai20250507"),
    ("aicontent", "alibabacloud_aicontent20240611"),
];

/// One example of one operation.
struct Case {
    service: &'static str,
    package: &'static str,
    operation: String,
    example: String,
    streaming: bool,
    /// The example's request values by wire name, as the SDK's `from_map` takes them.
    request: Value,
    /// What the capture server answers both calls with.
    answer: Answer,
}

/// The Python with the pinned SDKs, or `None` (skip) outside CI.
fn sdk_python() -> Option<PathBuf> {
    match std::env::var_os(PYTHON_VAR) {
        Some(python) if !python.is_empty() => Some(PathBuf::from(python)),
        _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => panic!(
            "CI is set but {PYTHON_VAR} is not: CI must run the wire test (.ci/run makes the \
             SDKs' virtual environment)"
        ),
        _ => {
            eprintln!(
                "\n*** SKIPPED: the wire test needs the official SDKs; set {PYTHON_VAR} to a \
                 Python that has tests/sdk/requirements.txt, or run tests/sdk/run-wire-test.sh ***\n"
            );
            None
        }
    }
}

/// The example's request values as the SDK's models take them: a JSON-string parameter the
/// example writes as its text is handed over as the structure it holds.
fn sdk_request(op: &Operation, request: &BTreeMap<String, Value>) -> Value {
    let mut values = serde_json::Map::new();
    for (wire, value) in request {
        let structured = op
            .params
            .iter()
            .find(|p| &p.wire.0 == wire)
            .is_some_and(|p| !matches!(p.ty, TypeRef::String | TypeRef::Named(_)));
        let value = match value {
            Value::String(text) if structured => serde_json::from_str::<Value>(text)
                .ok()
                .filter(|v| v.is_array() || v.is_object())
                .unwrap_or_else(|| value.clone()),
            _ => value.clone(),
        };
        values.insert(wire.clone(), value);
    }
    Value::Object(values)
}

fn cases(api: &Api) -> Vec<Case> {
    let mut cases = Vec::new();
    for (service, package) in SERVICES {
        let svc = api
            .services
            .iter()
            .find(|s| s.name == service)
            .unwrap_or_else(|| panic!("spec/{service} is missing"));
        for op in &svc.operations {
            for ex in &op.examples {
                cases.push(Case {
                    service,
                    package,
                    operation: op.name.0.clone(),
                    example: ex.name.clone(),
                    streaming: op.streaming.is_some(),
                    request: sdk_request(op, &ex.request),
                    answer: success_answer(op, ex),
                });
            }
        }
    }
    cases
}

/// A known difference: operation (`*` for all) and aspect, with the reason it is accepted.
struct Known {
    operation: String,
    aspect: String,
    used: bool,
}

/// `tests/sdk/known-differences.txt`: `<operation|*> <aspect> <reason>` per line.
fn known_differences() -> Vec<Known> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "sdk", "known-differences.txt"]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, line)| {
            let mut parts = line.splitn(3, char::is_whitespace);
            let (Some(operation), Some(aspect), Some(reason)) =
                (parts.next(), parts.next(), parts.next())
            else {
                panic!(
                    "{}:{}: `<operation|*> <aspect> <reason>`",
                    path.display(),
                    n + 1
                )
            };
            assert!(
                !reason.trim().is_empty(),
                "{}:{}: every known difference needs its reason",
                path.display(),
                n + 1
            );
            Known {
                operation: operation.to_owned(),
                aspect: aspect.to_owned(),
                used: false,
            }
        })
        .collect()
}

/// One pair of requests and how they differ.
struct Outcome {
    case: usize,
    differences: Vec<Difference>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_is_on_the_wire_as_the_official_sdk_sends_it() {
    let Some(python) = sdk_python() else { return };
    let started = Instant::now();
    let api = compiled_api();
    let cases = cases(&api);
    let mut capture = Capture::start().await;
    let plan = json!({
        "endpoint": capture.host(),
        "access_key_id": KEY_ID,
        "access_key_secret": SECRET,
        "cases": cases.iter().map(|c| json!({
            "package": c.package,
            "operation": c.operation,
            "streaming": c.streaming,
            "request": c.request,
        })).collect::<Vec<_>>(),
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).expect("write the plan");
    let mut driver = Driver::spawn(&python, &plan_path, CALL_LIMIT);
    let clients = Clients::new(&capture.uri());

    let mut outcomes = Vec::new();
    let mut notes = Vec::new();
    let mut pair = None;
    for (number, case) in cases.iter().enumerate() {
        capture.answer(vec![case.answer.clone()]);
        let sdk_result = tokio::task::block_in_place(|| driver.call(number));
        let sdk = capture.take().await;
        let ours_result = clients
            .replay(case.service, &case.operation, &case.example, Walk::Send)
            .await;
        let ours = capture.take().await;
        // A call that fails after sending (an answer one side does not accept) is noted,
        // not counted: the requests are what is compared here (decoding has its own test).
        let mut differences = Vec::new();
        for (side, result) in [
            ("sdk", &sdk_result.map(|_| ())),
            ("ours", &ours_result.map(|_| ())),
        ] {
            if let Err(e) = result {
                notes.push(format!(
                    "{}/{} `{}`: {side}: {e}",
                    case.service, case.operation, case.example
                ));
            }
        }
        match (sdk.as_slice(), ours.as_slice()) {
            ([sdk], [ours]) => {
                differences.extend(compare(sdk, ours));
                pair.get_or_insert_with(|| (sdk.clone(), ours.clone()));
            }
            (sdk, ours) => differences.push(note(
                "requests",
                &format!("the SDK sent {} requests, ours {}", sdk.len(), ours.len()),
            )),
        }
        outcomes.push(Outcome {
            case: number,
            differences,
        });
    }
    drop(driver);

    // Negative control: the comparison sees one changed value.
    let (sdk, ours) = pair.expect("at least one pair of requests");
    assert!(
        !compare(&sdk, &changed(&ours)).is_empty(),
        "a changed value must make the requests differ"
    );

    let mut known = known_differences();
    let mut unexplained = Vec::new();
    let (mut equal, mut only_known) = (0, 0);
    for outcome in &outcomes {
        let case = &cases[outcome.case];
        let before = unexplained.len();
        for d in &outcome.differences {
            let entry = known.iter_mut().find(|k| {
                (k.operation == "*" || k.operation == case.operation) && k.aspect == d.aspect
            });
            match entry {
                Some(k) => k.used = true,
                None => {
                    unexplained.push(format!(
                        "{}/{} example `{}`: {}: {}",
                        case.service, case.operation, case.example, d.aspect, d.detail
                    ));
                }
            }
        }
        if outcome.differences.is_empty() {
            equal += 1;
        } else if unexplained.len() == before {
            only_known += 1;
        }
    }
    let operations: std::collections::BTreeSet<(&str, &str)> = cases
        .iter()
        .map(|c| (c.service, c.operation.as_str()))
        .collect();
    eprintln!(
        "wire test: {} operations, {} examples compared, {} equal, {} with only known \
         differences, {} unexplained differences, {:.1} s",
        operations.len(),
        cases.len(),
        equal,
        only_known,
        unexplained.len(),
        started.elapsed().as_secs_f64()
    );
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    for d in outcomes.iter().flat_map(|o| &o.differences) {
        *tally.entry(d.aspect.as_str()).or_default() += 1;
    }
    eprintln!("wire test: differences by aspect: {tally:?}");
    for n in &notes {
        eprintln!("wire test: note: {n}");
    }
    for k in known.iter().filter(|k| !k.used) {
        eprintln!(
            "wire test: the known difference `{} {}` did not occur (stale?)",
            k.operation, k.aspect
        );
    }
    assert!(
        unexplained.is_empty(),
        "{} differences from the official SDK not in tests/sdk/known-differences.txt:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

fn note(aspect: &str, detail: &str) -> Difference {
    Difference {
        aspect: aspect.to_owned(),
        detail: detail.to_owned(),
    }
}

/// `seen` with one value changed: its first query value, else a body byte, else its path.
fn changed(seen: &Seen) -> Seen {
    let mut seen = seen.clone();
    if let Some((_, value)) = seen.query.first_mut() {
        value.push('x');
    } else if let Some(byte) = seen.body.iter_mut().find(|b| b.is_ascii_alphanumeric()) {
        *byte = if *byte == b'x' { b'y' } else { b'x' };
    } else {
        seen.path.push('x');
    }
    seen
}
