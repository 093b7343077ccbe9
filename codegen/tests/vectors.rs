//! The shared decoding vectors (`vectors/` at the repository root), compiler side: the example
//! checker must accept exactly the values the runtime decodes (`runtime/tests/it/vectors.rs`
//! runs the same files), and split example SSE text into the events the runtime frames.

use std::path::{Path, PathBuf};

use serde_json::Value;
use wiregen_codegen::examples::{Leniency, TypeIndex, check_value, sse_events};
use wiregen_codegen::ir::TypeRef;

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

fn type_ref(name: &str) -> TypeRef {
    match name {
        "string" => TypeRef::String,
        "bool" => TypeRef::Bool,
        "int32" => TypeRef::Int32,
        "int64" => TypeRef::Int64,
        "float64" => TypeRef::Float64,
        "timestamp_s" => TypeRef::TimestampSeconds,
        "timestamp_ms" => TypeRef::TimestampMillis,
        other => panic!("vectors/lenient.json: unknown type `{other}`"),
    }
}

#[test]
fn the_example_checker_accepts_what_the_runtime_decodes() {
    let cases = vectors("lenient.json");
    assert!(cases.len() >= 50, "the table lost cases: {}", cases.len());
    let types = TypeIndex::new(&[]);
    let mut wrong = Vec::new();
    for case in &cases {
        let ty = type_ref(case["type"].as_str().unwrap_or_default());
        let how = Leniency {
            lenient: case["lenient"].as_bool().unwrap_or_default(),
            // An optional field reads `null` (and, when lenient, "") as absent.
            nullable: case["optional"].as_bool().unwrap_or_default(),
        };
        let json = case["json"].as_str().unwrap_or_default();
        let value: Value =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{case}: bad `json`: {e}"));
        let accepted = case["accepted"].as_bool().unwrap_or_default();
        let mismatches = check_value(&value, &ty, how, &types, "$");
        if mismatches.is_empty() != accepted {
            let said: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
            wrong.push(format!("{case}: checker said {said:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "the example checker disagrees with vectors/lenient.json:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn example_sse_text_splits_into_the_runtimes_events() {
    let cases = vectors("sse.json");
    assert!(cases.len() >= 10, "the table lost cases: {}", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let text = case["stream"].as_str().unwrap_or_default();
        let expected: Vec<(Option<String>, Value)> = case["events"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| (e["event"].as_str().map(str::to_owned), e["data"].clone()))
            .collect();
        let got: Vec<(Option<String>, Result<Value, String>)> = sse_events(text)
            .into_iter()
            .map(|e| {
                let data =
                    serde_json::from_str(&e.data).map_err(|err| format!("{err}: {:?}", e.data));
                (e.name, data)
            })
            .collect();
        let same = got.len() == expected.len()
            && got
                .iter()
                .zip(&expected)
                .all(|((name, data), (want_name, want))| {
                    name == want_name && data.as_ref() == Ok(want)
                });
        if !same {
            wrong.push(format!("{case}: split into {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "the example SSE splitter disagrees with vectors/sse.json:\n{}",
        wrong.join("\n")
    );
}
