//! One example per drafted operation, so that every imported operation is
//! exercised by the spec's example checks (and by the tests that build
//! requests and decode responses from examples).
//!
//! The request carries every parameter: its published example where the
//! metadata has one that fits, else a value written from its type within its
//! limits. The response is the metadata's `responseDemo` when it has one; a
//! second example, written from the response type (every field, example
//! values where the metadata gives them), is the fallback that
//! [`super::verify`] swaps in when the published sample does not decode
//! against the drafted types, and the only example where there is no sample.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::ImportError;
use super::meta::Node;
use crate::spec::{Constraints, Example, OperationSpec, Param, TypeDef};

/// Nesting beyond which a written value is `null` (optional fields may be).
const MAX_DEPTH: usize = 16;

/// The examples of one drafted operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Examples {
    /// What the spec gets first: the published sample when there is one.
    pub first: Vec<Example>,
    /// What replaces `first` when the sample does not decode; `None` when
    /// `first` is already written from the types.
    pub fallback: Option<Vec<Example>>,
}

/// The first JSON sample of an API's `responseDemo` (a JSON text holding a
/// list of `{type, example, errorExample}`), when it has one that parses.
pub fn response_demo(api: &Node<'_>) -> Result<Option<String>, ImportError> {
    let Some(text) = api.opt_str("responseDemo")? else {
        return Ok(None);
    };
    // A sample that is not what it says is no sample: the written one stands in.
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Ok(None);
    };
    Ok(items.iter().find_map(|item| {
        let kind = item.get("type").and_then(Value::as_str).unwrap_or("json");
        let sample = item.get("example")?.as_str()?.trim();
        let parsed = serde_json::from_str::<Value>(sample).ok()?;
        (kind == "json" && (parsed.is_object() || parsed.is_array())).then(|| sample.to_owned())
    }))
}

/// The examples of `op`, whose types are all in `defs`.
pub fn for_operation(
    op: &OperationSpec,
    demo: Option<String>,
    defs: &BTreeMap<String, TypeDef>,
) -> Examples {
    let request: BTreeMap<String, Value> = op
        .params
        .iter()
        .map(|p| (p.name.clone(), param_value(p, defs)))
        .collect();
    let json_response = !matches!(op.response.as_str(), "text" | "bytes");
    let written_body = json_response.then(|| {
        let value = written(&op.response, defs, 0, &mut BTreeSet::new());
        serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into())
    });
    let events = |body: &Option<String>| {
        let data = body
            .as_deref()
            .and_then(|b| serde_json::from_str::<Value>(b).ok())?;
        op.streaming.as_ref().map(|_| format!("data: {data}\n\n"))
    };
    let written_example = Example {
        name: "written".into(),
        source: Some("written from the drafted types by `cargo xtask import`".into()),
        request: request.clone(),
        status: None,
        events: events(&written_body),
        response: written_body
            .clone()
            .or_else(|| Some("example response".into())),
    };
    match demo.filter(|_| json_response) {
        Some(sample) => {
            let sample = Some(sample);
            Examples {
                first: vec![Example {
                    name: "doc-sample".into(),
                    source: Some("doc".into()),
                    request,
                    status: None,
                    events: events(&sample),
                    response: sample,
                }],
                fallback: Some(vec![written_example]),
            }
        }
        None => Examples {
            first: vec![written_example],
            fallback: None,
        },
    }
}

/// A parameter's value: its example, else one written from its type.
fn param_value(p: &Param, defs: &BTreeMap<String, TypeDef>) -> Value {
    if let Some(example) = &p.example {
        return example.clone();
    }
    let value = written(&p.ty, defs, 0, &mut BTreeSet::new());
    within(value, p.constraints.as_ref())
}

/// A written value moved inside the parameter's limits.
fn within(value: Value, c: Option<&Constraints>) -> Value {
    let Some(c) = c else { return value };
    match &value {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(1.0);
            let x = c.min.map_or(x, |m| x.max(m));
            let x = c.max.map_or(x, |m| x.min(m));
            if n.is_f64() {
                serde_json::Number::from_f64(x).map_or(value, Value::Number)
            } else {
                Value::from(x as i64)
            }
        }
        Value::String(s) => match c.max_length {
            Some(max) => Value::String(s.chars().take(max as usize).collect()),
            None => value,
        },
        _ => value,
    }
}

/// A value of type `ty` with every field filled in: the field's example
/// where it has one, else a value written from its type. `open` holds the
/// types being written, so a type inside itself ends in `null`.
fn written(
    ty: &str,
    defs: &BTreeMap<String, TypeDef>,
    depth: usize,
    open: &mut BTreeSet<String>,
) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        return Value::Array(vec![written(item, defs, depth + 1, open)]);
    }
    if let Some(item) = ty.strip_prefix("map<").and_then(|t| t.strip_suffix('>')) {
        let mut map = Map::new();
        map.insert("key".into(), written(item, defs, depth + 1, open));
        return Value::Object(map);
    }
    match ty {
        "string" | "text" => Value::String("string".into()),
        "bool" => Value::Bool(true),
        "int32" | "int64" => Value::from(1),
        "float64" => Value::from(1.5),
        "timestamp_s" => Value::from(1_764_055_092),
        "timestamp_ms" => Value::from(1_764_055_092_000_i64),
        "json" | "bytes" => Value::Object(Map::new()),
        named => named_value(named, defs, depth, open),
    }
}

fn named_value(
    name: &str,
    defs: &BTreeMap<String, TypeDef>,
    depth: usize,
    open: &mut BTreeSet<String>,
) -> Value {
    let Some(def) = defs.get(name) else {
        return Value::Null;
    };
    if let Some(values) = &def.values {
        return values
            .first()
            .map_or(Value::Null, |v| Value::String(v.value.clone()));
    }
    if !open.insert(name.to_owned()) {
        return Value::Null;
    }
    let mut map = Map::new();
    for field in def.fields.iter().flatten() {
        let value = match &field.example {
            Some(example) => example.clone(),
            None => written(&field.ty, defs, depth + 1, open),
        };
        map.insert(field.name.clone(), value);
    }
    open.remove(name);
    Value::Object(map)
}
