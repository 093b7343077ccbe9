//! Checking example values against resolved types: does this JSON decode
//! into that type the way the generated code will decode it?
//!
//! The rules mirror the generated models: unknown extra fields are fine,
//! open enums take any string, optional or `nullable` fields may be `null`,
//! `lenient` fields take the string form of numbers and booleans (and
//! numbers for strings), aliases count as the field.

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::ir::{Constraints, Example, Operation, Service, TypeDecl, TypeKind, TypeRef};

/// A value that does not match its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// JSON path inside the checked value (`$.Data[0].CreatedAt`).
    pub json_path: String,
    /// What is wrong.
    pub message: String,
}

/// A problem with one part of an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleProblem {
    /// Which part of the example, as a YAML path below the example
    /// (`request.Limit`, `response`, `events`).
    pub part: String,
    /// What is wrong, with the JSON path when there is one.
    pub message: String,
    /// Where in the part's text (1-based line and column), when known.
    pub at: Option<(usize, usize)>,
}

/// The named types of a service, by Rust name.
pub struct TypeIndex<'a> {
    by_rust: HashMap<&'a str, &'a TypeDecl>,
}

impl<'a> TypeIndex<'a> {
    /// Indexes `types`.
    pub fn new(types: &'a [TypeDecl]) -> Self {
        TypeIndex {
            by_rust: types.iter().map(|t| (t.rust.0.as_str(), t)).collect(),
        }
    }

    /// The declaration of a named type.
    pub fn get(&self, rust: &str) -> Option<&'a TypeDecl> {
        self.by_rust.get(rust).copied()
    }
}

/// How strictly a value is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Leniency {
    /// `lenient`: string forms of scalars accepted.
    pub lenient: bool,
    /// `null` accepted.
    pub nullable: bool,
}

/// Checks `value` against `ty`; every mismatch is returned, with its path
/// below `path` (pass `"$"` for a whole body).
pub fn check_value(
    value: &Json,
    ty: &TypeRef,
    how: Leniency,
    types: &TypeIndex<'_>,
    path: &str,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    check(value, ty, how, types, path, &mut out);
    out
}

/// Checks every part of one example of `operation`: request parameters
/// (known, of their type, within their constraints, required ones given),
/// the response body against the response type (for a 2xx status), and each
/// streamed event against the event type.
pub fn check_example(
    service: &Service,
    operation: &Operation,
    example: &Example,
) -> Vec<ExampleProblem> {
    let types = TypeIndex::new(&service.types);
    let mut problems = Vec::new();
    for (name, value) in &example.request {
        let part = format!("request.{name}");
        let Some(param) = operation.params.iter().find(|p| p.wire.0 == *name) else {
            let names: Vec<&str> = operation.params.iter().map(|p| p.wire.0.as_str()).collect();
            let hint = crate::diagnostic::did_you_mean(name, names.iter().copied())
                .map_or_else(String::new, |h| format!(" ({h})"));
            problems.push(ExampleProblem {
                part,
                message: format!("unknown parameter `{name}`{hint}"),
                at: None,
            });
            continue;
        };
        // A JSON-string parameter may be written as the JSON text itself.
        let decoded;
        let value = match (param.style, value) {
            (crate::ir::ParamStyle::JsonString, Json::String(text)) => {
                match serde_json::from_str::<Json>(text) {
                    Ok(v) => {
                        decoded = v;
                        &decoded
                    }
                    Err(e) => {
                        problems.push(ExampleProblem {
                            part,
                            message: format!("not valid JSON text: {e}"),
                            at: None,
                        });
                        continue;
                    }
                }
            }
            _ => value,
        };
        for m in check_value(value, &param.ty, Leniency::default(), &types, "$") {
            problems.push(ExampleProblem {
                part: part.clone(),
                message: m.to_string(),
                at: None,
            });
        }
        if let Some(c) = &param.constraints {
            for message in constraint_violations(value, c) {
                problems.push(ExampleProblem {
                    part: part.clone(),
                    message,
                    at: None,
                });
            }
        }
    }
    for param in operation.params.iter().filter(|p| p.required) {
        if !example.request.contains_key(&param.wire.0) {
            problems.push(ExampleProblem {
                part: "request".to_owned(),
                message: format!("required parameter `{}` is missing", param.wire.0),
                at: None,
            });
        }
    }
    if let Some(body) = &example.response {
        match serde_json::from_str::<Json>(body) {
            Err(e) => problems.push(ExampleProblem {
                part: "response".to_owned(),
                message: format!("not valid JSON: {e}"),
                at: Some((e.line(), e.column())),
            }),
            // Non-2xx bodies are error bodies, not the response type.
            Ok(value) if (200..300).contains(&example.status) => {
                let how = Leniency::default();
                for m in check_value(&value, &operation.response, how, &types, "$") {
                    problems.push(ExampleProblem {
                        part: "response".to_owned(),
                        at: json_position(body, &m.json_path),
                        message: m.to_string(),
                    });
                }
            }
            Ok(_) => {}
        }
    }
    if let Some(events) = &example.events {
        match &operation.streaming {
            None => problems.push(ExampleProblem {
                part: "events".to_owned(),
                message: "the example has `events` but the operation has no `streaming`".to_owned(),
                at: None,
            }),
            Some(streaming) => {
                for (i, event) in sse_events(events).iter().enumerate() {
                    let ignored = event
                        .name
                        .as_ref()
                        .is_some_and(|n| streaming.ignored_events.contains(n));
                    // Positions inside the data, moved to the `data:` line.
                    let at = |(line, column): (usize, usize)| {
                        let column = if line == 1 {
                            event.column + column - 1
                        } else {
                            column
                        };
                        (event.line + line - 1, column)
                    };
                    match serde_json::from_str::<Json>(&event.data) {
                        Ok(value) => {
                            let how = Leniency::default();
                            for m in check_value(&value, &streaming.event, how, &types, "$") {
                                problems.push(ExampleProblem {
                                    part: "events".to_owned(),
                                    at: json_position(&event.data, &m.json_path).map(at),
                                    message: format!("event {}: {m}", i + 1),
                                });
                            }
                        }
                        Err(_) if ignored => {}
                        Err(e) => problems.push(ExampleProblem {
                            part: "events".to_owned(),
                            message: format!("event {}: data is not valid JSON: {e}", i + 1),
                            at: Some(at((e.line(), e.column().max(1)))),
                        }),
                    }
                }
            }
        }
    }
    problems
}

/// Where the value at `json_path` (`$.Data[0].Id`) starts in `json`:
/// JSON is YAML, so the positioned YAML parser finds it.
fn json_position(json: &str, json_path: &str) -> Option<(usize, usize)> {
    let (doc, _) = crate::yaml_tree::Document::parse(json).ok()?;
    let path = json_path.trim_start_matches('$').trim_start_matches('.');
    let pos = doc.locate(path, crate::yaml_tree::Part::Value);
    Some((pos.line, pos.column))
}

/// Violated constraints of a value, as messages.
pub fn constraint_violations(value: &Json, c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = value.as_f64() {
        if let Some(min) = c.min
            && n < min
        {
            out.push(format!("{n} is below the minimum {min}"));
        }
        if let Some(max) = c.max
            && n > max
        {
            out.push(format!("{n} is above the maximum {max}"));
        }
    }
    if let (Some(s), Some(max)) = (value.as_str(), c.max_length) {
        let len = s.chars().count();
        if len > max as usize {
            out.push(format!(
                "text of {len} characters is longer than the maximum length {max}"
            ));
        }
    }
    out
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.json_path, self.message)
    }
}

/// One server-sent event of an example: its name, data and first line.
struct SseEvent {
    name: Option<String>,
    data: String,
    /// Line (1-based) of the first `data:` line in the events text.
    line: usize,
    /// Column (1-based) where the data starts on that line.
    column: usize,
}

/// Splits example SSE text into events (`event:` and `data:` lines, events
/// separated by blank lines; multi-line data joined with newlines, as the
/// SSE format says). Only what examples need: comments and `id:`/`retry:`
/// are ignored.
fn sse_events(text: &str) -> Vec<SseEvent> {
    let mut events = Vec::new();
    let mut current: Option<SseEvent> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            events.extend(current.take().filter(|e| !e.data.is_empty()));
            continue;
        }
        let event = current.get_or_insert_with(|| SseEvent {
            name: None,
            data: String::new(),
            line: i + 1,
            column: 1,
        });
        if let Some(name) = line.strip_prefix("event:") {
            event.name = Some(name.trim().to_owned());
        } else if let Some(data) = line.strip_prefix("data:") {
            let data_text = data.strip_prefix(' ').unwrap_or(data);
            if event.data.is_empty() {
                event.line = i + 1;
                event.column = line.len() - data_text.len() + 1;
            } else {
                event.data.push('\n');
            }
            event.data.push_str(data_text);
        }
    }
    events.extend(current.filter(|e| !e.data.is_empty()));
    events
}

fn check(
    value: &Json,
    ty: &TypeRef,
    how: Leniency,
    types: &TypeIndex<'_>,
    path: &str,
    out: &mut Vec<Mismatch>,
) {
    let mut fail = |message: String| {
        out.push(Mismatch {
            json_path: path.to_owned(),
            message,
        })
    };
    if value.is_null() {
        if !how.nullable && !matches!(ty, TypeRef::Json) {
            fail(format!(
                "`null` for {}, which is neither optional nor nullable",
                describe(ty)
            ));
        }
        return;
    }
    let ok = match ty {
        TypeRef::String => value.is_string() || how.lenient && value.is_number(),
        TypeRef::Bool => {
            value.is_boolean()
                || how.lenient
                    && value.as_str().is_some_and(|s| {
                        matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
                    })
        }
        TypeRef::Int32 => integer_in(value, how, i64::from(i32::MIN), i64::from(i32::MAX)),
        TypeRef::Int64 | TypeRef::TimestampSeconds | TypeRef::TimestampMillis => {
            integer_in(value, how, i64::MIN, i64::MAX)
        }
        TypeRef::Float64 => {
            value.is_number()
                || how.lenient
                    && value
                        .as_str()
                        .is_some_and(|s| s.trim().parse::<f64>().is_ok())
        }
        TypeRef::Json => true,
        TypeRef::List(item) => {
            let Some(items) = value.as_array() else {
                fail(format!("expected a list, found {}", found(value)));
                return;
            };
            let item_how = Leniency {
                lenient: how.lenient,
                nullable: false,
            };
            for (i, v) in items.iter().enumerate() {
                check(v, item, item_how, types, &format!("{path}[{i}]"), out);
            }
            return;
        }
        TypeRef::Map(item) => {
            let Some(map) = value.as_object() else {
                fail(format!("expected a mapping, found {}", found(value)));
                return;
            };
            let item_how = Leniency {
                lenient: how.lenient,
                nullable: false,
            };
            for (k, v) in map {
                check(v, item, item_how, types, &format!("{path}.{k}"), out);
            }
            return;
        }
        TypeRef::Named(name) => {
            match types.get(&name.0).map(|t| &t.kind) {
                // Open enum: any string decodes.
                Some(TypeKind::Enum { .. }) => value.is_string(),
                Some(TypeKind::Object { fields }) => {
                    let Some(map) = value.as_object() else {
                        fail(format!(
                            "expected an object `{}`, found {}",
                            name.0,
                            found(value)
                        ));
                        return;
                    };
                    for field in fields {
                        let present = std::iter::once(&field.wire)
                            .chain(&field.aliases)
                            .find_map(|w| map.get(&w.0).map(|v| (&w.0, v)));
                        match present {
                            Some((wire, v)) => {
                                let how = Leniency {
                                    lenient: field.lenient,
                                    nullable: field.nullable || !field.required,
                                };
                                check(v, &field.ty, how, types, &format!("{path}.{wire}"), out);
                            }
                            None if field.required => out.push(Mismatch {
                                json_path: path.to_owned(),
                                message: format!(
                                    "required field `{}` of `{}` is missing",
                                    field.wire.0, name.0
                                ),
                            }),
                            None => {}
                        }
                    }
                    return;
                }
                // Unresolved (already reported): nothing to check against.
                None => true,
            }
        }
    };
    if !ok {
        fail(format!("expected {}, found {}", describe(ty), found(value)));
    }
}

fn integer_in(value: &Json, how: Leniency, min: i64, max: i64) -> bool {
    let n = match value {
        Json::Number(n) => n.as_i64(),
        Json::String(s) if how.lenient => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    n.is_some_and(|n| (min..=max).contains(&n))
}

/// What a type accepts, for messages.
fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "a string".to_owned(),
        TypeRef::Bool => "a boolean".to_owned(),
        TypeRef::Int32 => "an int32".to_owned(),
        TypeRef::Int64 => "an int64".to_owned(),
        TypeRef::Float64 => "a number".to_owned(),
        TypeRef::TimestampSeconds => "a timestamp in seconds (integer)".to_owned(),
        TypeRef::TimestampMillis => "a timestamp in milliseconds (integer)".to_owned(),
        TypeRef::Json => "any JSON".to_owned(),
        TypeRef::List(t) => format!("a list of {}", describe(t)),
        TypeRef::Map(t) => format!("a mapping to {}", describe(t)),
        TypeRef::Named(n) => format!("`{}`", n.0),
    }
}

/// How a JSON value looks, for messages.
fn found(value: &Json) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => format!("the boolean {b}"),
        Json::Number(n) => format!("the number {n}"),
        Json::String(s) if s.chars().count() > 40 => {
            format!("a string \"{}...\"", s.chars().take(40).collect::<String>())
        }
        Json::String(s) => format!("the string \"{s}\""),
        Json::Array(_) => "a list".to_owned(),
        Json::Object(_) => "an object".to_owned(),
    }
}
