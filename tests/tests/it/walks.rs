//! Pagination and streaming, for every operation that pages or streams (issue 19, item 4),
//! table-driven over the compiled specs of RdsAi and AiContent and the generated crates'
//! typed example calls (`mock::EXAMPLES`):
//!
//! - every operation that declares `pagination`: a server on 127.0.0.1 serves two full pages
//!   built from the example response (a new cursor, token or page each time) and then the
//!   end, and the typed call walks them, as pages and as items;
//! - every streaming operation: each example's event stream is served and collected (a stream
//!   with an error event must end in that error).

use serde_json::{Value, json};
use wiregen_codegen::ir::{CursorFrom, Example, FieldStep, Operation, Pagination};
use wiregen_runtime::mock::{Replayed, Walk};

use super::support::capture::{Answer, Capture};
use super::support::replay::{Clients, compiled_api, success_answer};
use super::support::seen::Seen;

/// The services whose every operation is tested.
const SERVICES: [&str; 2] = ["rdsai", "aicontent"];

/// The largest page the test builds (items repeated up to the request's page size).
const MAX_PAGE: i64 = 200;

/// The member at `path`, created as an object member when missing.
fn slot<'v>(body: &'v mut Value, path: &[FieldStep]) -> Option<&'v mut Value> {
    path.iter().try_fold(body, |v, step| {
        let members = v.as_object_mut()?;
        Some(members.entry(step.wire.0.clone()).or_insert(Value::Null))
    })
}

/// `true` in the JSON type the example uses for the flag (some services send `"true"`).
fn flag(like: &Value, on: bool) -> Value {
    match like {
        Value::String(_) => Value::String(on.to_string()),
        _ => Value::Bool(on),
    }
}

/// An example response whose item list is not empty, and its items.
fn with_items(op: &Operation, items: &[FieldStep]) -> Option<(Value, Vec<Value>)> {
    op.examples
        .iter()
        .filter(|e| (200..300).contains(&e.status))
        .filter_map(|e| serde_json::from_str::<Value>(e.response.as_deref()?).ok())
        .find_map(|mut body| {
            let list = slot(&mut body, items)?.as_array()?.clone();
            (!list.is_empty()).then_some((body, list))
        })
}

/// The example's value of a request parameter, as a number.
fn request_number(example: &Example, wire: &str) -> Option<i64> {
    match example.request.get(wire)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// What the walk of one operation is served and must do.
struct Plan {
    /// Two pages and the end.
    answers: Vec<Value>,
    /// How many items the pages hold.
    items: usize,
    /// The parameter (wire name) and value the second request must carry: the cursor, token
    /// or page number the first page led to.
    next: (String, String),
}

/// The plan of `op`'s walk from `example`'s request; `None` when the spec gives no example
/// with items.
fn pages(op: &Operation, example: &Example, pagination: &Pagination) -> Option<Plan> {
    let page = |body: &Value, items: &[FieldStep], list: Vec<Value>, edit: &dyn Fn(&mut Value)| {
        let mut body = body.clone();
        if let Some(slot) = slot(&mut body, items) {
            *slot = Value::Array(list);
        }
        edit(&mut body);
        body
    };
    match pagination {
        Pagination::Cursor {
            items,
            cursor_field,
            has_more,
            cursor_param,
            cursor_from,
            ..
        } => {
            let (body, list) = with_items(op, items)?;
            let more_like = slot(&mut body.clone(), has_more)
                .cloned()
                .unwrap_or(Value::Null);
            // Each page's items carry cursors of their own, so the walk sees new ones.
            let renamed = |n: usize| -> Vec<Value> {
                list.iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mut item = item.clone();
                        if let Some(members) = item.as_object_mut() {
                            let cursor = match members.get(&cursor_field.wire.0) {
                                Some(Value::Number(_)) => json!(n * 1000 + i),
                                _ => json!(format!("cursor-{n}-{i}")),
                            };
                            members.insert(cursor_field.wire.0.clone(), cursor);
                        }
                        item
                    })
                    .collect()
            };
            let more = |on: bool| {
                let value = flag(&more_like, on);
                move |b: &mut Value| {
                    if let Some(s) = slot(b, has_more) {
                        *s = value.clone();
                    }
                }
            };
            let answers = vec![
                page(&body, items, renamed(1), &more(true)),
                page(&body, items, renamed(2), &more(true)),
                page(&body, items, Vec::new(), &more(false)),
            ];
            let at = match cursor_from {
                CursorFrom::FirstItem => 0,
                CursorFrom::LastItem => list.len() - 1,
            };
            let next = match &renamed(1)[at][&cursor_field.wire.0] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some(Plan {
                answers,
                items: 2 * list.len(),
                next: (cursor_param.wire.0.clone(), next),
            })
        }
        Pagination::Token {
            items,
            next_token,
            token_param,
            ..
        } => {
            let (body, list) = with_items(op, items)?;
            let token = |t: Option<&'static str>| {
                move |b: &mut Value| {
                    if let Some(s) = slot(b, next_token) {
                        *s = t.map_or(Value::Null, Value::from);
                    }
                }
            };
            let answers = vec![
                page(&body, items, list.clone(), &token(Some("token-1"))),
                page(&body, items, list.clone(), &token(Some("token-2"))),
                page(&body, items, Vec::new(), &token(None)),
            ];
            Some(Plan {
                answers,
                items: 2 * list.len(),
                next: (token_param.wire.0.clone(), "token-1".to_owned()),
            })
        }
        Pagination::Page {
            items,
            size_param,
            page_param,
            first_page,
            size_when_unset,
            total,
            ..
        } => {
            let (body, list) = with_items(op, items)?;
            let size = request_number(example, &size_param.wire.0).unwrap_or(*size_when_unset);
            let start = request_number(example, &page_param.wire.0).unwrap_or(*first_page);
            if !(1..=MAX_PAGE).contains(&size) {
                return None;
            }
            // Full pages: the first item repeated up to the page size.
            let full: Vec<Value> = list.iter().cycle().take(size as usize).cloned().collect();
            let total_after_two = (start + 1) * size;
            let with_total = |b: &mut Value| {
                if let Some(path) = total
                    && let Some(s) = slot(b, path)
                {
                    *s = match s {
                        Value::String(_) => Value::from(total_after_two.to_string()),
                        _ => Value::from(total_after_two),
                    };
                }
            };
            let answers = vec![
                page(&body, items, full.clone(), &with_total),
                page(&body, items, full.clone(), &with_total),
                page(&body, items, Vec::new(), &with_total),
            ];
            Some(Plan {
                answers,
                items: 2 * size as usize,
                next: (page_param.wire.0.clone(), (start + 1).to_string()),
            })
        }
    }
}

/// Whether `seen` sends parameter `wire` with `value`, in its query or its JSON or form body.
fn carries(seen: &Seen, wire: &str, value: &str) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    seen.query.iter().any(|(k, v)| k == wire && v == value)
        || serde_json::from_slice::<Value>(&seen.body)
            .ok()
            .and_then(|b| b.get(wire).map(text))
            .is_some_and(|v| v == value)
        || url::form_urlencoded::parse(&seen.body).any(|(k, v)| k == wire && v == value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_paginated_operation_walks_two_pages_and_the_end() {
    let api = compiled_api();
    let mut capture = Capture::start().await;
    let clients = Clients::new(&capture.uri());
    let (mut walked, mut untested, mut failures) = (Vec::new(), Vec::new(), Vec::new());
    for name in SERVICES {
        let svc = api
            .services
            .iter()
            .find(|s| s.name == name)
            .expect("service");
        for op in &svc.operations {
            let Some(pagination) = &op.pagination else {
                continue;
            };
            let Some(example) = op.examples.iter().find(|e| (200..300).contains(&e.status)) else {
                untested.push(format!("{name}/{}: no successful example", op.name.0));
                continue;
            };
            let Some(plan) = pages(op, example, pagination) else {
                untested.push(format!(
                    "{name}/{}: no example response with items",
                    op.name.0
                ));
                continue;
            };
            let label = format!("{name}/{} `{}`", op.name.0, example.name);
            for walk in [Walk::Pages, Walk::Items] {
                let item_count = plan.items;
                capture.answer(
                    plan.answers
                        .iter()
                        .map(|b| Answer::json(200, &b.to_string()))
                        .collect(),
                );
                let result = clients.replay(name, &op.name.0, &example.name, walk).await;
                let seen = capture.take().await;
                let requests = seen.len();
                let (param, value) = &plan.next;
                if !seen.get(1).is_some_and(|s| carries(s, param, value)) {
                    failures.push(format!(
                        "{label} {walk:?}: the second request does not carry {param}={value}: {:?}",
                        seen.get(1)
                            .map(|s| (&s.raw_query, String::from_utf8_lossy(&s.body)))
                    ));
                }
                match result {
                    Ok(Replayed { pages, .. }) if walk == Walk::Pages && pages >= 2 && pages == requests => {}
                    Ok(Replayed { items, .. }) if walk == Walk::Items && items == item_count => {}
                    other => failures.push(format!(
                        "{label} {walk:?}: {other:?} after {requests} requests ({item_count} items served)"
                    )),
                }
            }
            walked.push(label);
        }
    }
    eprintln!(
        "pagination: {} operations walked, {} untested: {untested:?}",
        walked.len(),
        untested.len()
    );
    assert!(!walked.is_empty(), "no paginated operation was walked");
    assert!(
        failures.is_empty(),
        "{} walks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_streaming_operation_collects_its_example_events() {
    let api = compiled_api();
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.uri());
    let (mut streams, mut failures) = (0, Vec::new());
    for name in SERVICES {
        let svc = api
            .services
            .iter()
            .find(|s| s.name == name)
            .expect("service");
        for op in svc.operations.iter() {
            let Some(streaming) = &op.streaming else {
                continue;
            };
            for example in &op.examples {
                // An example without events is served another example's clean stream.
                let answer = success_answer(op, example);
                let events = example
                    .events
                    .as_deref()
                    .unwrap_or_else(|| std::str::from_utf8(&answer.body).unwrap_or_default());
                let errs = streaming.error_events.iter().any(|e| {
                    events.contains(&format!("\"{e}\"")) || events.contains(&format!("event: {e}"))
                });
                capture.answer(vec![Answer::events(events)]);
                let result = clients
                    .replay(name, &op.name.0, &example.name, Walk::Send)
                    .await;
                streams += 1;
                match (errs, result) {
                    (false, Ok(Replayed { events, .. })) if events > 0 => {}
                    (true, Err(_)) => {}
                    (_, other) => failures.push(format!(
                        "{name}/{} `{}` (error event: {errs}): {other:?}",
                        op.name.0, example.name
                    )),
                }
            }
        }
    }
    eprintln!("streaming: {streams} example streams collected");
    assert!(streams > 0, "no streaming operation was tested");
    assert!(
        failures.is_empty(),
        "{} streams failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
