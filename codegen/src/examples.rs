//! Checking example values against resolved types: does this JSON decode
//! into that type the way the generated code will decode it?
//!
//! The rules mirror the generated models: unknown extra fields are fine,
//! open enums take any string, optional or `nullable` fields may be `null`,
//! aliases count as the field, and `lenient` fields take what the runtime's
//! lenient decoding (`wiregen_runtime::lenient`) takes: numbers as strings
//! or whole floats, booleans as `"true"`/`"True"`/`1`, numbers and booleans
//! for strings, and `""` for an absent optional non-string.

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::ir::{Constraints, Example, Field, Operation, Service, TypeDecl, TypeKind, TypeRef};
use crate::yaml_tree::Part;

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
    /// Whether the diagnostic points at the part's value (a request value that does not fit
    /// its parameter) or at its key (an unknown parameter, a missing one, a body or events
    /// that do not decode).
    pub points_at: Part,
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
    check(value, ty, how, types, &mut path.to_owned(), &mut out);
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
    check_example_with(&TypeIndex::new(&service.types), operation, example)
}

/// [`check_example`] with the service's types already indexed (checking
/// every example of a service indexes them once).
pub fn check_example_with(
    types: &TypeIndex<'_>,
    operation: &Operation,
    example: &Example,
) -> Vec<ExampleProblem> {
    let mut problems = Vec::new();
    check_request(types, operation, example, &mut problems);
    check_response(types, operation, example, &mut problems);
    if let Some(events) = &example.events {
        check_events(types, operation, events, &mut problems);
    }
    problems
}

/// The example's parameters: known, of their types, within their limits; none missing.
fn check_request(
    types: &TypeIndex<'_>,
    operation: &Operation,
    example: &Example,
    problems: &mut Vec<ExampleProblem>,
) {
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
                points_at: Part::Key,
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
                            points_at: Part::Value,
                        });
                        continue;
                    }
                }
            }
            _ => value,
        };
        for m in check_value(value, &param.ty, Leniency::default(), types, "$") {
            problems.push(ExampleProblem {
                part: part.clone(),
                message: m.to_string(),
                at: None,
                points_at: Part::Value,
            });
        }
        if let Some(c) = &param.constraints {
            for message in constraint_violations(value, c) {
                problems.push(ExampleProblem {
                    part: part.clone(),
                    message,
                    at: None,
                    points_at: Part::Value,
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
                points_at: Part::Key,
            });
        }
    }
}

/// A JSON response body of a 2xx example against the response type.
fn check_response(
    types: &TypeIndex<'_>,
    operation: &Operation,
    example: &Example,
    problems: &mut Vec<ExampleProblem>,
) {
    // A `text` or `bytes` body is any text; only JSON bodies are checked against a type.
    let json_body = operation.response_body.is_json() || !(200..300).contains(&example.status);
    if let Some(body) = example.response.as_ref().filter(|_| json_body) {
        match serde_json::from_str::<Json>(body) {
            Err(e) => problems.push(ExampleProblem {
                part: "response".to_owned(),
                message: format!("not valid JSON: {e}"),
                at: Some((e.line(), e.column())),
                points_at: Part::Key,
            }),
            // Non-2xx bodies are error bodies, not the response type.
            Ok(value) if (200..300).contains(&example.status) => {
                let how = Leniency::default();
                for m in check_value(&value, &operation.response, how, types, "$") {
                    problems.push(ExampleProblem {
                        part: "response".to_owned(),
                        at: json_position(body, &m.json_path),
                        message: m.to_string(),
                        points_at: Part::Key,
                    });
                }
            }
            Ok(_) => {}
        }
    }
}

/// Each event's data against the event type; undecodable data only in ignored events.
fn check_events(
    types: &TypeIndex<'_>,
    operation: &Operation,
    events: &str,
    problems: &mut Vec<ExampleProblem>,
) {
    match &operation.streaming {
        None => problems.push(ExampleProblem {
            part: "events".to_owned(),
            message: "the example has `events` but the operation has no `streaming`".to_owned(),
            at: None,
            points_at: Part::Key,
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
                        for m in check_value(&value, &streaming.event, how, types, "$") {
                            problems.push(ExampleProblem {
                                part: "events".to_owned(),
                                at: json_position(&event.data, &m.json_path).map(at),
                                message: format!("event {}: {m}", i + 1),
                                points_at: Part::Key,
                            });
                        }
                    }
                    Err(_) if ignored => {}
                    Err(e) => problems.push(ExampleProblem {
                        part: "events".to_owned(),
                        message: format!("event {}: data is not valid JSON: {e}", i + 1),
                        at: Some(at((e.line(), e.column().max(1)))),
                        points_at: Part::Key,
                    }),
                }
            }
        }
    }
}

/// Where the value at `json_path` (`$.Data[0].Id`) starts in `json`:
/// JSON is YAML, so the positioned YAML parser finds it.
fn json_position(json: &str, json_path: &str) -> Option<(usize, usize)> {
    let (doc, _) = crate::yaml_tree::Document::parse(json).ok()?;
    let path = json_path.trim_start_matches('$').trim_start_matches('.');
    let pos = doc.locate(path, Part::Value);
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, if the event has one.
    pub name: Option<String>,
    /// The data lines, joined with newlines.
    pub data: String,
    /// Line (1-based) of the first `data:` line in the events text.
    pub line: usize,
    /// Column (1-based) where the data starts on that line.
    pub column: usize,
}

/// Splits example SSE text into events (`event:` and `data:` lines, events
/// separated by blank lines; multi-line data joined with newlines, as the
/// SSE format says). Only what examples need: comments and `id:`/`retry:`
/// are ignored. Public so the shared vectors (`vectors/sse.json`) can hold
/// it to the runtime's framing.
pub fn sse_events(text: &str) -> Vec<SseEvent> {
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

/// `path` is the JSON path of `value`: one buffer, extended and cut back
/// while walking, copied only into a mismatch.
fn check(
    value: &Json,
    ty: &TypeRef,
    how: Leniency,
    types: &TypeIndex<'_>,
    path: &mut String,
    out: &mut Vec<Mismatch>,
) {
    if value.is_null() {
        if !how.nullable && !matches!(ty, TypeRef::Json) {
            out.push(mismatch(
                path,
                format!(
                    "`null` for {}, which is neither optional nor nullable",
                    describe(ty)
                ),
            ));
        }
        return;
    }
    // A lenient optional scalar may be sent as "" for "absent" (not a
    // string, where "" is a value, nor a timestamp, which the runtime reads
    // with its own type: `vectors/lenient.json`).
    let empty = value.as_str().is_some_and(|s| s.trim().is_empty());
    let empty_is_absent = matches!(
        ty,
        TypeRef::Bool | TypeRef::Int32 | TypeRef::Int64 | TypeRef::Float64
    );
    if how.lenient && how.nullable && empty && empty_is_absent {
        return;
    }
    let ok = match ty {
        TypeRef::List(item) => {
            return check_contents(value, Container::List, item, how, types, path, out);
        }
        TypeRef::Map(item) => {
            return check_contents(value, Container::Map, item, how, types, path, out);
        }
        TypeRef::Named(name) => match types.get(&name.0).map(|t| &t.kind) {
            // Open enum: any string decodes.
            Some(TypeKind::Enum { .. }) => value.is_string(),
            Some(TypeKind::Object { fields }) => {
                return check_object(value, &name.0, fields, types, path, out);
            }
            // Unresolved (already reported): nothing to check against.
            None => true,
        },
        scalar => scalar_fits(value, scalar, how),
    };
    if !ok {
        out.push(mismatch(
            path,
            format!("expected {}, found {}", describe(ty), found(value)),
        ));
    }
}

fn mismatch(path: &str, message: String) -> Mismatch {
    Mismatch {
        json_path: path.to_owned(),
        message,
    }
}

/// Whether a non-null `value` reads as the scalar type `ty` (`json` takes anything).
fn scalar_fits(value: &Json, ty: &TypeRef, how: Leniency) -> bool {
    match ty {
        TypeRef::String => {
            value.is_string() || how.lenient && (value.is_number() || value.is_boolean())
        }
        TypeRef::Bool => value.is_boolean() || how.lenient && lenient_bool(value),
        TypeRef::Int32 => integer_in(value, how, i64::from(i32::MIN), i64::from(i32::MAX)),
        TypeRef::Int64 => integer_in(value, how, i64::MIN, i64::MAX),
        // The runtime's timestamp types read string and whole-float forms
        // whether or not the field is `lenient`.
        TypeRef::TimestampSeconds | TypeRef::TimestampMillis => {
            let always = Leniency {
                lenient: true,
                ..how
            };
            integer_in(value, always, i64::MIN, i64::MAX)
        }
        TypeRef::Float64 => {
            value.is_number()
                || how.lenient
                    && value
                        .as_str()
                        .is_some_and(|s| s.trim().parse::<f64>().is_ok())
        }
        TypeRef::Json | TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Named(_) => true,
    }
}

/// What holds other values: a list (its items, `[i]` in the path) or a map
/// (its members, `.key`).
#[derive(Clone, Copy)]
enum Container {
    List,
    Map,
}

/// A list's items or a map's members: each checked against `item`, none of
/// them null, leniency inherited.
fn check_contents(
    value: &Json,
    container: Container,
    item: &TypeRef,
    how: Leniency,
    types: &TypeIndex<'_>,
    path: &mut String,
    out: &mut Vec<Mismatch>,
) {
    let contents: Vec<(String, &Json)> = match (container, value) {
        (Container::List, Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("[{i}]"), v))
            .collect(),
        (Container::Map, Json::Object(map)) => {
            map.iter().map(|(k, v)| (format!(".{k}"), v)).collect()
        }
        (Container::List, _) => {
            out.push(mismatch(
                path,
                format!("expected a list, found {}", found(value)),
            ));
            return;
        }
        (Container::Map, _) => {
            out.push(mismatch(
                path,
                format!("expected a mapping, found {}", found(value)),
            ));
            return;
        }
    };
    let item_how = Leniency {
        lenient: how.lenient,
        nullable: false,
    };
    let len = path.len();
    for (step, v) in contents {
        path.push_str(&step);
        check(v, item, item_how, types, path, out);
        path.truncate(len);
    }
}

/// An object of type `name`: each field under its wire name or an alias, with the field's
/// own leniency; a required field must be there.
fn check_object(
    value: &Json,
    name: &str,
    fields: &[Field],
    types: &TypeIndex<'_>,
    path: &mut String,
    out: &mut Vec<Mismatch>,
) {
    let Some(map) = value.as_object() else {
        out.push(mismatch(
            path,
            format!("expected an object `{name}`, found {}", found(value)),
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
                    nullable: field.optional(),
                };
                let len = path.len();
                path.push('.');
                path.push_str(wire);
                check(v, &field.ty, how, types, path, out);
                path.truncate(len);
            }
            None if field.required => out.push(mismatch(
                path,
                format!("required field `{}` of `{name}` is missing", field.wire.0),
            )),
            None => {}
        }
    }
}

/// Whether `value` is an integer in range. Strictly, a JSON integer; with
/// `lenient`, also a whole float (`4.0`) or a string of either, as the
/// runtime's lenient decoding reads them.
fn integer_in(value: &Json, how: Leniency, min: i64, max: i64) -> bool {
    let whole = |f: f64| (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64);
    let n = match value {
        Json::Number(n) if !how.lenient => n.as_i64(),
        Json::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)),
        Json::String(s) if how.lenient => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(whole))
        }
        _ => None,
    };
    n.is_some_and(|n| (min..=max).contains(&n))
}

/// A lenient boolean: `"true"`/`"false"` in any case, or 1/0 as a number or string.
fn lenient_bool(value: &Json) -> bool {
    match value {
        Json::Number(n) => matches!(n.as_u64(), Some(0 | 1)),
        Json::String(s) => {
            let s = s.trim();
            s.eq_ignore_ascii_case("true")
                || s.eq_ignore_ascii_case("false")
                || s == "1"
                || s == "0"
        }
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::{EnumValue, Field, RustName, Usage, WireName};

    fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire: WireName(wire.to_owned()),
            rust: RustName(wire.to_lowercase()),
            setter: RustName(format!("with_{}", wire.to_lowercase())),
            ty,
            required,
            nullable: false,
            lenient: false,
            aliases: Vec::new(),
            deprecated: false,
            description: None,
        }
    }

    fn decl(name: &str, kind: TypeKind) -> TypeDecl {
        TypeDecl {
            spec_name: name.to_owned(),
            rust: RustName(name.to_owned()),
            description: None,
            deprecated: false,
            kind,
            usage: Usage::default(),
            used_by: Vec::new(),
            source: String::new(),
            same_as: None,
            code_usage: Usage::default(),
        }
    }

    fn types() -> Vec<TypeDecl> {
        let mut count = field("Count", TypeRef::Int32, false);
        count.lenient = true;
        let mut flag = field("Flag", TypeRef::Bool, false);
        flag.lenient = true;
        let mut id = field("Id", TypeRef::String, true);
        id.aliases = vec![WireName("id".to_owned())];
        let mut note = field("Note", TypeRef::String, true);
        note.nullable = true;
        let status = field(
            "Status",
            TypeRef::Named(RustName("Status".to_owned())),
            false,
        );
        vec![
            decl(
                "Item",
                TypeKind::Object {
                    fields: vec![id, count, flag, note, status],
                },
            ),
            decl(
                "Status",
                TypeKind::Enum {
                    values: vec![EnumValue {
                        wire: WireName("idle".to_owned()),
                        rust: RustName("Idle".to_owned()),
                        description: None,
                        deprecated: false,
                    }],
                },
            ),
        ]
    }

    fn check_item(value: serde_json::Value) -> Vec<Mismatch> {
        let types = types();
        let index = TypeIndex::new(&types);
        let ty = TypeRef::List(Box::new(TypeRef::Named(RustName("Item".to_owned()))));
        check_value(&value, &ty, Leniency::default(), &index, "$")
    }

    #[test]
    fn accepts_the_wire_quirks_the_models_accept() {
        let ok = json!([
            {"Id": "a", "Note": null, "Count": "42", "Flag": "True", "Status": "brand_new", "Extra": [1]},
            {"id": "b", "Note": "n", "Count": 7, "Flag": false},
            {"Id": "c", "Note": "n", "Count": "", "Flag": 1},
            {"Id": "d", "Note": "n", "Count": 4.0, "Flag": "FALSE"},
        ]);
        assert_eq!(check_item(ok), Vec::new());
    }

    #[test]
    fn reports_every_mismatch_with_its_path() {
        let bad = json!([
            {"Note": "n", "Count": "4.5"},
            {"Id": 3, "Note": "n", "Flag": "yes", "Status": 1},
        ]);
        let paths: Vec<String> = check_item(bad).into_iter().map(|m| m.json_path).collect();
        assert_eq!(
            paths,
            ["$[0]", "$[0].Count", "$[1].Id", "$[1].Flag", "$[1].Status"]
        );
    }

    #[test]
    fn null_only_where_allowed() {
        let types = types();
        let index = TypeIndex::new(&types);
        assert!(
            !check_value(
                &json!(null),
                &TypeRef::Int32,
                Leniency::default(),
                &index,
                "$"
            )
            .is_empty()
        );
        let nullable = Leniency {
            lenient: false,
            nullable: true,
        };
        assert!(check_value(&json!(null), &TypeRef::Int32, nullable, &index, "$").is_empty());
        assert!(
            !check_value(
                &json!(2147483648_i64),
                &TypeRef::Int32,
                nullable,
                &index,
                "$"
            )
            .is_empty()
        );
    }

    #[test]
    fn sse_text_splits_into_events_with_positions() {
        let events =
            sse_events("event: ping\n\ndata: {\"a\": 1}\n\nevent: x\ndata:{\"b\":\ndata: 2}\n");
        assert_eq!(events.len(), 2);
        assert_eq!(
            (events[0].line, events[0].column, events[0].data.as_str()),
            (3, 7, "{\"a\": 1}")
        );
        assert_eq!(events[1].name.as_deref(), Some("x"));
        assert_eq!(
            (events[1].line, events[1].column, events[1].data.as_str()),
            (6, 6, "{\"b\":\n2}")
        );
    }
}
