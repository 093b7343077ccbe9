//! Operations: added, removed, renamed, and what changed inside one.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::compat::{self, Types};
use super::{Sink, breaking_if, errors, params};
use crate::diff::finding::Impact::{Breaking, Compatible};
use crate::diff::rules::Rule;
use crate::ir::{
    Http, HttpMethod, Operation, Pagination, Protocol, RustName, Service, Streaming, TypeKind,
    TypeRef,
};

/// Compares the operations of two versions of a service.
pub(super) fn diff_all(
    old: &Service,
    new: &Service,
    old_types: &Types,
    new_types: &Types,
    sink: &mut Sink,
) {
    let before: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.0.as_str(), o))
        .collect();
    let after: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.name.0.as_str(), o))
        .collect();
    let mut pairs = Vec::new();
    let mut renamed_old = HashSet::new();
    let mut renamed_new = HashSet::new();
    for (&name, &op) in &after {
        if let Some(old_op) = before.get(name) {
            pairs.push((*old_op, op));
        } else if let Some(from) = op.renamed_from.as_deref()
            && let Some(old_op) = before.get(from)
            && !after.contains_key(from)
            && renamed_old.insert(from)
        {
            renamed_new.insert(name);
            pairs.push((*old_op, op));
        }
    }
    let removed: Vec<&Operation> = before
        .iter()
        .filter(|(n, _)| !after.contains_key(*n) && !renamed_old.contains(*n))
        .map(|(_, o)| *o)
        .collect();
    let added: Vec<&Operation> = after
        .iter()
        .filter(|(n, _)| !before.contains_key(*n) && !renamed_new.contains(*n))
        .map(|(_, o)| *o)
        .collect();
    for op in &removed {
        // The client method and every HTTP call of the operation are gone.
        sink.add(
            Rule::OperationRemoved,
            &format!("operations/{}", op.name.0),
            format!("operation `{}` removed", op.name.0),
            Breaking,
            Breaking,
        )
        .operations = vec![op.name.0.clone()];
    }
    for op in &added {
        // A new client method; existing code never names it.
        sink.add(
            Rule::OperationAdded,
            &format!("operations/{}", op.name.0),
            format!("new operation `{}`: {}", op.name.0, op.summary),
            Compatible,
            Compatible,
        )
        .operations = vec![op.name.0.clone()];
    }
    suggest_renames(&removed, &added, old_types, new_types, sink);
    for (old_op, new_op) in pairs {
        diff_one(old_op, new_op, old, new, old_types, new_types, sink);
    }
}

/// For each removed operation, the added one most like it (same HTTP
/// method, near-identical parameters and response fields), as a hint that
/// the pair may be an undeclared rename. The removal keeps its verdicts.
fn suggest_renames(
    removed: &[&Operation],
    added: &[&Operation],
    old_types: &Types,
    new_types: &Types,
    sink: &mut Sink,
) {
    let mut taken = HashSet::new();
    for old_op in removed {
        let best = added
            .iter()
            .filter(|new_op| {
                !taken.contains(&new_op.name) && new_op.http.method == old_op.http.method
            })
            .map(|new_op| {
                let params = jaccard(
                    old_op.params.iter().map(|p| p.wire.0.as_str()).collect(),
                    new_op.params.iter().map(|p| p.wire.0.as_str()).collect(),
                );
                let response = jaccard(
                    response_shape(&old_op.response, old_types),
                    response_shape(&new_op.response, new_types),
                );
                (params.min(response), *new_op)
            })
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, new_op)) = best {
            taken.insert(&new_op.name);
            let f = sink.add(
                Rule::OperationRenameSuggested,
                &format!("operations/{}", new_op.name.0),
                format!(
                    "`{}` looks like `{}` renamed; if it is, add `renamed_from: {}` to its spec",
                    new_op.name.0, old_op.name.0, old_op.name.0
                ),
                // Only a hint: the removal and the addition carry the verdicts.
                Compatible,
                Compatible,
            );
            f.operations = vec![old_op.name.0.clone(), new_op.name.0.clone()];
            f.before = Some(old_op.name.0.clone());
            f.after = Some(new_op.name.0.clone());
        }
    }
}

/// The wire names of a response's fields, or its type for unnamed responses.
fn response_shape<'a>(ty: &'a TypeRef, types: &Types<'a>) -> BTreeSet<String> {
    if let TypeRef::Named(name) = ty
        && let Some(decl) = types.get(name.0.as_str())
        && let TypeKind::Object { fields } = &decl.kind
    {
        return fields.iter().map(|f| f.wire.0.clone()).collect();
    }
    BTreeSet::from([compat::display(ty)])
}

/// Size of the intersection over size of the union; 1 for two empty sets.
fn jaccard<T: Ord>(a: BTreeSet<T>, b: BTreeSet<T>) -> f64 {
    let union = a.union(&b).count();
    if union == 0 {
        1.0
    } else {
        a.intersection(&b).count() as f64 / union as f64
    }
}

/// Changes inside one operation present on both sides (under the same name
/// or a declared rename).
fn diff_one(
    old: &Operation,
    new: &Operation,
    old_service: &Service,
    new_service: &Service,
    old_types: &Types,
    new_types: &Types,
    sink: &mut Sink,
) {
    let name = &new.name.0;
    let path = format!("operations/{name}");
    let ops = vec![name.clone()];
    let on = Place {
        path: &path,
        ops: &ops,
    };
    if old.name != new.name {
        renamed(old, new, new_service.protocol, on, sink);
    }
    docs_and_deprecation(old, new, on, sink);
    transport(old, new, on, sink);
    params::diff(old, new, old_types, new_types, &path, &ops, sink);
    response(old, new, (old_types, new_types), on, sink);
    streaming(
        old.streaming.as_ref(),
        new.streaming.as_ref(),
        old_types,
        new_types,
        &path,
        &ops,
        sink,
    );
    pagination(
        old.pagination.as_ref(),
        new.pagination.as_ref(),
        &path,
        &ops,
        sink,
    );
    let explained = |code: &str| {
        errors::find(&old.errors, code) == errors::find(&old_service.errors, code)
            && errors::find(&new.errors, code) == errors::find(&new_service.errors, code)
    };
    errors::diff(
        &old.errors,
        &new.errors,
        &format!("{path}/errors"),
        &format!("`{name}`"),
        &ops,
        explained,
        sink,
    );
}

/// Where an operation's findings go: its path in the report and the operations they name.
#[derive(Clone, Copy)]
struct Place<'p> {
    path: &'p str,
    ops: &'p [String],
}

/// The operation's name changed (a declared rename).
fn renamed(old: &Operation, new: &Operation, protocol: Protocol, on: Place<'_>, sink: &mut Sink) {
    let Place { path, ops } = on;
    let name = &new.name.0;
    // Alibaba protocols send the name as the action (`x-acs-action`);
    // REST calls never carry it. The client method is named after the
    // operation.
    let on_wire = protocol != Protocol::RestJson;
    let f = sink.add(
        Rule::OperationRenamed,
        path,
        format!("operation `{}` renamed to `{name}`", old.name.0),
        breaking_if(on_wire),
        breaking_if(old.method != new.method),
    );
    f.operations = ops.to_vec();
    f.before = Some(old.name.0.clone());
    f.after = Some(name.clone());
}

/// Summary, description and deprecation.
fn docs_and_deprecation(old: &Operation, new: &Operation, on: Place<'_>, sink: &mut Sink) {
    let Place { path, ops } = on;
    let name = &new.name.0;
    let what = format!("operation `{name}`");
    sink.description(
        &format!("{path}/summary"),
        &format!("{what} summary"),
        Some(&old.summary),
        Some(&new.summary),
        || ops.to_vec(),
    );
    sink.description(
        path,
        &what,
        old.description.as_deref(),
        new.description.as_deref(),
        || ops.to_vec(),
    );
    sink.deprecation(path, &what, old.deprecated, new.deprecated, || ops.to_vec());
}

/// Method, path and idempotency: the operation's metadata, not its signature.
fn transport(old: &Operation, new: &Operation, on: Place<'_>, sink: &mut Sink) {
    let Place { path, ops } = on;
    let name = &new.name.0;
    if old.http.method != new.http.method || old.http.path != new.http.path {
        // Hidden transport: method and path live in the operation's
        // metadata, not in its signature.
        let f = sink.add(
            Rule::OperationHttpChanged,
            &format!("{path}/http"),
            format!("`{name}`: HTTP method or path changed"),
            Breaking,
            Compatible,
        );
        f.operations = ops.to_vec();
        f.before = Some(http_line(&old.http));
        f.after = Some(http_line(&new.http));
    }
    if old.idempotent != new.idempotent {
        // Only the default retry policy changes.
        sink.add(
            Rule::OperationIdempotencyChanged,
            &format!("{path}/idempotent"),
            format!(
                "`{name}` is {} idempotent: it is {} retried by default",
                not(new.idempotent),
                not(new.idempotent)
            ),
            Compatible,
            Compatible,
        )
        .operations = ops.to_vec();
    }
}

/// The response body's kind or type.
fn response(
    old: &Operation,
    new: &Operation,
    (old_types, new_types): (&Types, &Types),
    on: Place<'_>,
    sink: &mut Sink,
) {
    let Place { path, ops } = on;
    let name = &new.name.0;
    if old.response_body != new.response_body {
        // JSON, text and bytes bodies are read differently and `send()` returns another type.
        let show = |op: &Operation| match op.response_body.keyword() {
            Some(keyword) => keyword.to_owned(),
            None => compat::display(&op.response),
        };
        let f = sink.add(
            Rule::ResponseTypeChanged,
            &format!("{path}/response"),
            format!("`{name}`: response body kind changed"),
            Breaking,
            Breaking,
        );
        f.operations = ops.to_vec();
        f.before = Some(show(old));
        f.after = Some(show(new));
    } else if old.response != new.response {
        // `send()` returns the new type; on the wire, old callers still
        // read what comes when the new type is narrower or the same.
        let change = compat::compare(&old.response, &new.response, old_types, new_types);
        let f = sink.add(
            Rule::ResponseTypeChanged,
            &format!("{path}/response"),
            format!("`{name}`: response type changed"),
            breaking_if(!change.response_compatible()),
            Breaking,
        );
        f.operations = ops.to_vec();
        f.before = Some(compat::display(&old.response));
        f.after = Some(compat::display(&new.response));
    }
}

fn not(yes: bool) -> &'static str {
    if yes { "now" } else { "no longer" }
}

/// `GET /x`.
fn http_line(http: &Http) -> String {
    let method = match http.method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    };
    format!("{method} {}", http.path)
}

fn streaming(
    old: Option<&Streaming>,
    new: Option<&Streaming>,
    old_types: &Types,
    new_types: &Types,
    path: &str,
    ops: &[String],
    sink: &mut Sink,
) {
    let name = &ops[0];
    let path = format!("{path}/streaming");
    let f = match (old, new) {
        // A new streaming method next to the blocking one.
        (None, Some(s)) => {
            let f = sink.add(
                Rule::StreamingAdded,
                &path,
                format!("`{name}` can now stream events"),
                Compatible,
                Compatible,
            );
            f.after = Some(compat::display(&s.event));
            f
        }
        // The service stops streaming and the streaming method goes.
        (Some(s), None) => {
            let f = sink.add(
                Rule::StreamingRemoved,
                &path,
                format!("`{name}` no longer streams events"),
                Breaking,
                Breaking,
            );
            f.before = Some(compat::display(&s.event));
            f
        }
        (Some(a), Some(b)) if a != b => {
            // The stream's item type is the event type; the event-name lists
            // only steer the runtime's reader.
            let retyped = a.event != b.event;
            let wire = retyped
                && !compat::compare(&a.event, &b.event, old_types, new_types).response_compatible();
            let f = sink.add(
                Rule::StreamingChanged,
                &path,
                format!("`{name}`: event streaming changed"),
                breaking_if(wire),
                breaking_if(retyped),
            );
            f.before = Some(streaming_summary(a));
            f.after = Some(streaming_summary(b));
            f
        }
        _ => return,
    };
    f.operations = ops.to_vec();
}

fn streaming_summary(s: &Streaming) -> String {
    format!(
        "events {}{}; errors [{}]; end [{}]; ignored [{}]",
        compat::display(&s.event),
        s.event_name_field
            .as_ref()
            .map(|f| format!(" named by {}", f.wire.0))
            .unwrap_or_default(),
        s.error_events.join(", "),
        s.terminal_events.join(", "),
        s.ignored_events.join(", "),
    )
}

fn pagination(
    old: Option<&Pagination>,
    new: Option<&Pagination>,
    path: &str,
    ops: &[String],
    sink: &mut Sink,
) {
    let name = &ops[0];
    let path = format!("{path}/pagination");
    let f = match (old, new) {
        // A new paginator method; nothing else changes.
        (None, Some(p)) => {
            let f = sink.add(
                Rule::PaginationAdded,
                &path,
                format!("{name} can now be walked page by page"),
                Compatible,
                Compatible,
            );
            f.after = Some(pagination_summary(p));
            f
        }
        // The paginator method goes; the calls stay the same on the wire.
        (Some(p), None) => {
            let f = sink.add(
                Rule::PaginationRemoved,
                &path,
                format!("{name} can no longer be walked page by page"),
                Compatible,
                Breaking,
            );
            f.before = Some(pagination_summary(p));
            f
        }
        (Some(a), Some(b)) if walk_shape(a) != walk_shape(b) => {
            // The paginator yields items: its signature changes only with
            // the item type.
            let f = sink.add(
                Rule::PaginationChanged,
                &path,
                format!("{name}: pages are walked differently"),
                Compatible,
                breaking_if(item(a) != item(b)),
            );
            f.before = Some(pagination_summary(a));
            f.after = Some(pagination_summary(b));
            f
        }
        _ => return,
    };
    f.operations = ops.to_vec();
}

/// The walk with each paging parameter reduced to its wire name: a parameter's type and
/// whether it is required are findings of the parameter itself, not of the walk.
fn walk_shape(p: &Pagination) -> Pagination {
    let mut p = p.clone();
    let params = match &mut p {
        Pagination::Cursor { cursor_param, .. } => vec![cursor_param],
        Pagination::Page {
            page_param,
            size_param,
            ..
        } => vec![page_param, size_param],
        Pagination::Token { token_param, .. } => vec![token_param],
    };
    for param in params {
        param.field = RustName(String::new());
        param.ty = TypeRef::Json;
        param.optional = false;
    }
    p
}

fn item(p: &Pagination) -> &TypeRef {
    match p {
        Pagination::Cursor { item, .. }
        | Pagination::Page { item, .. }
        | Pagination::Token { item, .. } => item,
    }
}

fn pagination_summary(p: &Pagination) -> String {
    let dotted = |steps: &[crate::ir::FieldStep]| {
        steps
            .iter()
            .map(|s| s.wire.0.as_str())
            .collect::<Vec<_>>()
            .join(".")
    };
    match p {
        Pagination::Cursor {
            items,
            item,
            cursor_param,
            cursor_from,
            cursor_field,
            has_more,
        } => format!(
            "cursor {} = {} item's {}; items {} ({}); more while {}",
            cursor_param.wire.0,
            match cursor_from {
                crate::ir::CursorFrom::LastItem => "last",
                crate::ir::CursorFrom::FirstItem => "first",
            },
            cursor_field.wire.0,
            dotted(items),
            compat::display(item),
            dotted(has_more)
        ),
        Pagination::Page {
            items,
            item,
            page_param,
            size_param,
            total,
            ..
        } => format!(
            "page {} of size {}; items {} ({}){}",
            page_param.wire.0,
            size_param.wire.0,
            dotted(items),
            compat::display(item),
            total
                .as_deref()
                .map(|t| format!("; total {}", dotted(t)))
                .unwrap_or_default()
        ),
        Pagination::Token {
            items,
            item,
            token_param,
            next_token,
        } => format!(
            "token {} from {}; items {} ({})",
            token_param.wire.0,
            dotted(next_token),
            dotted(items),
            compat::display(item)
        ),
    }
}
