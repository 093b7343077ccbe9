//! The shared decoding vectors (`vectors/` at the repository root), runtime side: every lenient
//! case through the public `wiregen_runtime::lenient` helpers (or plain serde, for fields
//! without `lenient`, as generated models decode them), every SSE case through
//! `sse::decode_events`. The compiler's example checker runs the same files
//! (`codegen/tests/vectors.rs`), so the two can not drift apart.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::StreamExt as _;
use futures::stream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiregen_runtime::lenient::{self, Lenient};
use wiregen_runtime::sse::decode_events;
use wiregen_runtime::{Error, SseEvent, SseLimits, SseOptions, UnixMillis, UnixSeconds};

fn vectors(name: &str) -> Vec<Value> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    table["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no `cases` list", path.display()))
        .clone()
}

/// Decodes `json` the way a generated model decodes one field: a lenient field through
/// `lenient::required`/`lenient::option`, any other through its type's own `Deserialize`.
fn lenient_field<T: Lenient + DeserializeOwned + Serialize>(
    json: &str,
    optional: bool,
) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = if optional {
        serde_json::to_value(lenient::option::<_, T>(&mut de).map_err(|e| e.to_string())?)
    } else {
        serde_json::to_value(lenient::required::<_, T>(&mut de).map_err(|e| e.to_string())?)
    };
    de.end().map_err(|e| e.to_string())?;
    value.map_err(|e| e.to_string())
}

fn plain_field<T: DeserializeOwned + Serialize>(
    json: &str,
    optional: bool,
) -> Result<Value, String> {
    let value = if optional {
        serde_json::to_value(serde_json::from_str::<Option<T>>(json).map_err(|e| e.to_string())?)
    } else {
        serde_json::to_value(serde_json::from_str::<T>(json).map_err(|e| e.to_string())?)
    };
    value.map_err(|e| e.to_string())
}

/// The field decoding a generated model uses for a declared type: `lenient` applies to the
/// scalars (timestamps always read their string and whole-float forms).
fn decode(ty: &str, lenient: bool, optional: bool, json: &str) -> Result<Value, String> {
    match (ty, lenient) {
        ("string", true) => lenient_field::<String>(json, optional),
        ("bool", true) => lenient_field::<bool>(json, optional),
        ("int32", true) => lenient_field::<i32>(json, optional),
        ("int64", true) => lenient_field::<i64>(json, optional),
        ("float64", true) => lenient_field::<f64>(json, optional),
        ("string", false) => plain_field::<String>(json, optional),
        ("bool", false) => plain_field::<bool>(json, optional),
        ("int32", false) => plain_field::<i32>(json, optional),
        ("int64", false) => plain_field::<i64>(json, optional),
        ("float64", false) => plain_field::<f64>(json, optional),
        ("timestamp_s", _) => plain_field::<UnixSeconds>(json, optional),
        ("timestamp_ms", _) => plain_field::<UnixMillis>(json, optional),
        (other, _) => panic!("vectors/lenient.json: unknown type `{other}`"),
    }
}

/// Whether two decoded values are the same (numbers compared as numbers, so `3` and `3.0`
/// agree for a float field).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

#[test]
fn lenient_vectors_decode_as_the_table_says() {
    let cases = vectors("lenient.json");
    assert!(cases.len() >= 50, "the table lost cases: {}", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let ty = case["type"].as_str().unwrap_or_default();
        let lenient = case["lenient"].as_bool().unwrap_or_default();
        let optional = case["optional"].as_bool().unwrap_or_default();
        let json = case["json"].as_str().unwrap_or_default();
        let accepted = case["accepted"].as_bool().unwrap_or_default();
        match (decode(ty, lenient, optional, json), accepted) {
            (Ok(value), true) if same(&value, &case["decoded"]) => {}
            (Ok(value), true) => wrong.push(format!("{case}: decoded {value}")),
            (Ok(value), false) => wrong.push(format!("{case}: accepted, decoded {value}")),
            (Err(e), true) => wrong.push(format!("{case}: rejected: {e}")),
            (Err(_), false) => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "runtime disagrees with vectors/lenient.json:\n{}",
        wrong.join("\n")
    );
}

type Item = Result<SseEvent<Value>, Error>;

async fn events(chunks: Vec<Vec<u8>>) -> Vec<Item> {
    let chunks: Vec<Result<Vec<u8>, Error>> = chunks.into_iter().map(Ok).collect();
    decode_events(
        stream::iter(chunks),
        SseOptions::default(),
        SseLimits::untimed(),
    )
    .collect()
    .await
}

/// What the runtime made of a stream, as `(event name, data)` pairs; an error as its text.
fn seen(items: Vec<Item>) -> Result<Vec<(String, Value)>, String> {
    items
        .into_iter()
        .map(|item| item.map(|e| (e.event, e.data)).map_err(|e| e.to_string()))
        .collect()
}

#[tokio::test]
async fn sse_vectors_frame_as_the_table_says_whole_and_byte_by_byte() {
    let cases = vectors("sse.json");
    assert!(cases.len() >= 10, "the table lost cases: {}", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let text = case["stream"].as_str().unwrap_or_default().as_bytes();
        // An event without an `event:` field is a `message` (the SSE default).
        let expected: Vec<(String, Value)> = case["events"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                let name = e["event"].as_str().unwrap_or("message").to_owned();
                (name, e["data"].clone())
            })
            .collect();
        let whole = vec![text.to_vec()];
        let bytes: Vec<Vec<u8>> = text.iter().map(|b| vec![*b]).collect();
        for (how, chunks) in [("whole", whole), ("byte by byte", bytes)] {
            let got = tokio::time::timeout(Duration::from_secs(5), events(chunks))
                .await
                .map(seen);
            match got {
                Ok(Ok(got)) if got == expected => {}
                other => wrong.push(format!("{case} ({how}): got {other:?}")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "runtime disagrees with vectors/sse.json:\n{}",
        wrong.join("\n")
    );
}
