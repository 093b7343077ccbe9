//! Decoding, for every operation (issue 19, item 3): each example response of every RdsAi and
//! AiContent operation is served from 127.0.0.1 after mutating it the way the official SDKs
//! tolerate, and decoded through the generated crate's typed example call (`mock::EXAMPLES`):
//! numbers and booleans as strings and numeric strings as numbers (fields that decode
//! leniently, and timestamps), unknown members at every object level, optional members
//! removed; each must decode. A value that cannot mean the declared type must be an error
//! that names the field's JSON path. The mutations follow the field types of the compiled IR.

use serde_json::{Value, json};
use wiregen_codegen::ir::{Api, Field, ResponseBody, Service, TypeKind, TypeRef};
use wiregen_runtime::mock::Walk;

use super::support::capture::{Answer, Capture};
use super::support::replay::{Clients, compiled_api};

/// The services whose every operation is tested.
const SERVICES: [&str; 2] = ["rdsai", "aicontent"];

/// One step into a JSON document.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A member of an object the walk found, with its field.
struct Site<'a> {
    path: Vec<Step>,
    field: &'a Field,
    value: Value,
}

/// A changed document and what decoding it must do.
struct Mutation {
    what: String,
    body: Value,
    /// `None`: must decode; `Some(path)`: must fail, naming `path`.
    fails_at: Option<String>,
}

/// `Data.Items[3].CreatedAt`, as the runtime's decode errors spell paths.
fn spelled(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(k) if text.is_empty() => text.push_str(k),
            Step::Key(k) => {
                text.push('.');
                text.push_str(k);
            }
            Step::Index(i) => text.push_str(&format!("[{i}]")),
        }
    }
    text
}

fn at<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// Every member of every object in `value` that `ty` declares (the first item of lists and
/// maps stands for the rest).
fn sites<'a>(
    svc: &'a Service,
    ty: &'a TypeRef,
    value: &Value,
    path: &mut Vec<Step>,
    out: &mut Vec<Site<'a>>,
) {
    match (ty, value) {
        (TypeRef::List(item), Value::Array(items)) => {
            if let Some(first) = items.first() {
                path.push(Step::Index(0));
                sites(svc, item, first, path, out);
                path.pop();
            }
        }
        (TypeRef::Map(item), Value::Object(members)) => {
            if let Some((key, first)) = members.iter().next() {
                path.push(Step::Key(key.clone()));
                sites(svc, item, first, path, out);
                path.pop();
            }
        }
        (TypeRef::Named(name), Value::Object(members)) => {
            let Some(TypeKind::Object { fields }) =
                svc.types.iter().find(|t| &t.rust == name).map(|t| &t.kind)
            else {
                return;
            };
            for field in fields {
                let Some(member) = members.get(&field.wire.0).filter(|v| !v.is_null()) else {
                    continue;
                };
                path.push(Step::Key(field.wire.0.clone()));
                out.push(Site {
                    path: path.clone(),
                    field,
                    value: member.clone(),
                });
                sites(svc, &field.ty, member, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether a field reads the other JSON type of the same value (the SDKs' tolerance).
fn tolerant(field: &Field) -> bool {
    field.decodes_leniently()
        || matches!(
            field.ty,
            TypeRef::TimestampSeconds | TypeRef::TimestampMillis
        )
}

fn is_enum(svc: &Service, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(n) if svc.types.iter().any(|t| &t.rust == n && matches!(t.kind, TypeKind::Enum { .. })))
}

/// The same value as the other JSON type, when the SDKs would read it so.
fn swapped(value: &Value) -> Option<Value> {
    match value {
        Value::Number(n) => Some(Value::String(n.to_string())),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        Value::String(s) => s.parse::<i64>().ok().map(Value::from).or_else(|| {
            s.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Value::from)
        }),
        _ => None,
    }
}

/// A value that cannot mean `ty`, if there is one (free-form JSON takes anything).
fn wrong(svc: &Service, ty: &TypeRef) -> Option<Value> {
    match ty {
        TypeRef::Int32 | TypeRef::Int64 | TypeRef::Float64 | TypeRef::Bool => Some(json!("abc")),
        TypeRef::TimestampSeconds | TypeRef::TimestampMillis => Some(json!("abc")),
        TypeRef::String => Some(json!({"an": "object"})),
        TypeRef::Named(_) if is_enum(svc, ty) => Some(json!({"an": "object"})),
        TypeRef::Named(_) => Some(json!("abc")),
        TypeRef::List(_) | TypeRef::Map(_) => Some(json!(7)),
        TypeRef::Json => None,
    }
}

/// Adds an unknown member to every object of `value`.
fn with_unknown_members(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for v in members.values_mut() {
                with_unknown_members(v);
            }
            members.insert("zzNotInTheSpec".into(), json!({"nested": [1, "two", null]}));
        }
        Value::Array(items) => items.iter_mut().for_each(with_unknown_members),
        _ => {}
    }
}

/// Every mutation of one example body.
fn mutations(svc: &Service, response: &TypeRef, body: &Value) -> (Vec<Mutation>, usize) {
    let mut found = Vec::new();
    let mut out = Vec::new();
    sites(svc, response, body, &mut Vec::new(), &mut found);
    let mut strict = 0;
    let mut optional_removed = body.clone();
    // Deepest first, so removing a member does not move the ones below it.
    for site in found.iter().rev() {
        let path = spelled(&site.path);
        if tolerant(site.field) {
            if let Some(other) =
                swapped(&site.value).filter(|_| !matches!(site.field.ty, TypeRef::Json))
            {
                let mut doc = body.clone();
                if let Some(slot) = at(&mut doc, &site.path) {
                    *slot = other.clone();
                }
                out.push(Mutation {
                    what: format!("{path} as {other}"),
                    body: doc,
                    fails_at: None,
                });
            }
        } else if matches!(
            site.field.ty,
            TypeRef::Int32 | TypeRef::Int64 | TypeRef::Float64 | TypeRef::Bool
        ) {
            strict += 1;
        }
        if let Some(bad) = wrong(svc, &site.field.ty) {
            let mut doc = body.clone();
            if let Some(slot) = at(&mut doc, &site.path) {
                *slot = bad.clone();
            }
            out.push(Mutation {
                what: format!("{path} as {bad}"),
                body: doc,
                fails_at: Some(path.clone()),
            });
        }
        if site.field.optional()
            && let Some((Step::Key(key), parent)) = site.path.split_last()
            && let Some(Value::Object(members)) = at(&mut optional_removed, parent)
        {
            members.shift_remove(key);
        }
    }
    let mut unknown = body.clone();
    with_unknown_members(&mut unknown);
    out.push(Mutation {
        what: "unknown members at every level".into(),
        body: unknown,
        fails_at: None,
    });
    out.push(Mutation {
        what: "optional members removed".into(),
        body: optional_removed,
        fails_at: None,
    });
    (out, strict)
}

fn service<'a>(api: &'a Api, name: &str) -> &'a Service {
    api.services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("spec/{name} is missing"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_response_decodes_as_tolerantly_as_the_sdks() {
    let api = compiled_api();
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.uri());
    let (mut examples, mut run, mut strict) = (0, 0, 0);
    let mut failures = Vec::new();
    for name in SERVICES {
        let svc = service(&api, name);
        for op in svc
            .operations
            .iter()
            .filter(|o| o.response_body == ResponseBody::Json && o.streaming.is_none())
        {
            for ex in &op.examples {
                let Some(text) = ex
                    .response
                    .as_deref()
                    .filter(|_| (200..300).contains(&ex.status))
                else {
                    continue;
                };
                let Ok(body) = serde_json::from_str::<Value>(text) else {
                    failures.push(format!(
                        "{name}/{} `{}`: the example response is not JSON",
                        op.name.0, ex.name
                    ));
                    continue;
                };
                // An example the client does not take as it is (a business failure on 200)
                // says nothing about tolerance.
                capture.answer(vec![Answer::json(200, text)]);
                if clients
                    .replay(name, &op.name.0, &ex.name, Walk::Send)
                    .await
                    .is_err()
                {
                    continue;
                }
                examples += 1;
                let (list, strict_here) = mutations(svc, &op.response, &body);
                strict += strict_here;
                for m in list {
                    run += 1;
                    capture.answer(vec![Answer::json(200, &m.body.to_string())]);
                    let result = clients.replay(name, &op.name.0, &ex.name, Walk::Send).await;
                    let problem = match (&m.fails_at, result) {
                        (None, Ok(_)) => None,
                        (None, Err(e)) => Some(format!("must decode, failed: {e}")),
                        (Some(_), Ok(_)) => Some("must fail, decoded".to_owned()),
                        (Some(path), Err(e)) if e.contains(path.as_str()) => None,
                        (Some(path), Err(e)) => {
                            Some(format!("the error does not name `{path}`: {e}"))
                        }
                    };
                    if let Some(problem) = problem {
                        failures.push(format!(
                            "{name}/{} `{}`, {}: {problem}",
                            op.name.0, ex.name, m.what
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "decode tolerance: {examples} example responses, {run} mutations, {} failed; \
         {strict} number/boolean fields are strict (not lenient), so their string forms were not sent",
        failures.len()
    );
    assert!(examples > 0 && run > examples, "nothing was mutated");
    assert!(
        failures.is_empty(),
        "{} mutations decoded wrongly:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
