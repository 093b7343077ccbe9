//! Request parameters of one operation.

use std::collections::BTreeMap;

use super::compat::{self, Types};
use super::{Sink, breaking_if};
use crate::diff::finding::Impact::{Breaking, Compatible};
use crate::diff::rules::Rule;
use crate::ir::{Constraints, Operation, Param, ParamLocation, ParamStyle};

/// Compares the parameters of two versions of an operation at `path`
/// (`operations/Op`).
pub(super) fn diff(
    old: &Operation,
    new: &Operation,
    old_types: &Types,
    new_types: &Types,
    path: &str,
    ops: &[String],
    sink: &mut Sink,
) {
    let name = &new.name.0;
    let before: BTreeMap<&str, &Param> =
        old.params.iter().map(|p| (p.wire.0.as_str(), p)).collect();
    let after: BTreeMap<&str, &Param> = new.params.iter().map(|p| (p.wire.0.as_str(), p)).collect();
    let mut removed: Vec<&Param> = old
        .params
        .iter()
        .filter(|p| !after.contains_key(p.wire.0.as_str()))
        .collect();
    for p in &new.params {
        let at = format!("{path}/params/{}", p.wire.0);
        if let Some(o) = before.get(p.wire.0.as_str()) {
            diff_one(o, p, old_types, new_types, &at, name, ops, sink);
        } else if let Some(i) = removed.iter().position(|o| o.rust == p.rust) {
            // Same setter, new wire name: a wire rename the crate hides.
            let o = removed.remove(i);
            let f = sink.add(
                Rule::WireNameChanged,
                &at,
                format!(
                    "`{name}`: parameter `{}` is now sent as `{}`",
                    o.wire.0, p.wire.0
                ),
                Breaking,
                Compatible,
            );
            f.operations = ops.to_vec();
            f.before = Some(o.wire.0.clone());
            f.after = Some(p.wire.0.clone());
            diff_one(o, p, old_types, new_types, &at, name, ops, sink);
        } else {
            added(p, &at, name, ops, sink);
        }
    }
    for o in removed {
        // The service no longer takes it, and its argument or setter goes.
        let f = sink.add(
            Rule::RequestParamRemoved,
            &format!("{path}/params/{}", o.wire.0),
            format!("`{name}`: parameter `{}` removed", o.wire.0),
            Breaking,
            Breaking,
        );
        f.operations = ops.to_vec();
        f.before = Some(compat::display(&o.ty));
    }
}

fn added(p: &Param, at: &str, name: &str, ops: &[String], sink: &mut Sink) {
    let shape = format!("{}, `{}`", location(p.location), compat::display(&p.ty));
    let f = if p.required {
        // Old calls do not send it; required arguments: it becomes a new
        // argument of the client method.
        sink.add(
            Rule::RequestParamAddedRequired,
            at,
            format!("`{name}`: new required parameter `{}` ({shape})", p.wire.0),
            Breaking,
            Breaking,
        )
    } else {
        // Required arguments: an optional parameter is a new builder
        // setter, which no existing call has to use.
        sink.add(
            Rule::RequestParamAddedOptional,
            at,
            format!("`{name}`: new optional parameter `{}` ({shape})", p.wire.0),
            Compatible,
            Compatible,
        )
    };
    f.operations = ops.to_vec();
    f.after = Some(compat::display(&p.ty));
}

#[allow(clippy::too_many_arguments)] // the context of one comparison, passed down once
fn diff_one(
    o: &Param,
    p: &Param,
    old_types: &Types,
    new_types: &Types,
    at: &str,
    name: &str,
    ops: &[String],
    sink: &mut Sink,
) {
    let wire = &p.wire.0;
    let mut add =
        |rule, message: String, wire, rust, before: Option<String>, after: Option<String>| {
            let f = sink.add(rule, at, message, wire, rust);
            f.operations = ops.to_vec();
            f.before = before;
            f.after = after;
        };
    if o.ty != p.ty {
        // Old calls still send valid values when the type widened; the
        // argument or setter takes the new Rust type.
        let change = compat::compare(&o.ty, &p.ty, old_types, new_types);
        add(
            Rule::RequestParamRetyped,
            format!("`{name}`: parameter `{wire}` changed type"),
            breaking_if(!change.request_compatible()),
            Breaking,
            Some(compat::display(&o.ty)),
            Some(compat::display(&p.ty)),
        );
    }
    match (o.required, p.required) {
        // Required arguments: an optional setter becomes a method argument.
        (false, true) => add(
            Rule::RequestParamBecameRequired,
            format!("`{name}`: parameter `{wire}` is now required"),
            Breaking,
            Breaking,
            None,
            None,
        ),
        // Required arguments: the method loses an argument (it becomes a
        // setter), so every existing call has one argument too many.
        (true, false) => add(
            Rule::RequestParamBecameOptional,
            format!("`{name}`: parameter `{wire}` is now optional"),
            Compatible,
            Breaking,
            None,
            None,
        ),
        _ => {}
    }
    if o.location != p.location {
        // Hidden transport: the setter stays, the runtime puts the value
        // elsewhere.
        add(
            Rule::RequestParamLocationChanged,
            format!("`{name}`: parameter `{wire}` moved"),
            Breaking,
            Compatible,
            Some(location(o.location).into()),
            Some(location(p.location).into()),
        );
    }
    if o.style != p.style {
        // Hidden transport: encoding is the runtime's job.
        add(
            Rule::RequestParamStyleChanged,
            format!("`{name}`: parameter `{wire}` is encoded differently"),
            Breaking,
            Compatible,
            Some(style(o.style).into()),
            Some(style(p.style).into()),
        );
    }
    if o.constraints != p.constraints {
        // Limits are documentation and validation, not types.
        add(
            Rule::RequestParamConstraintsChanged,
            format!("`{name}`: limits of parameter `{wire}` changed"),
            breaking_if(narrowed(o.constraints.as_ref(), p.constraints.as_ref())),
            Compatible,
            Some(constraints(o.constraints.as_ref())),
            Some(constraints(p.constraints.as_ref())),
        );
    }
    let what = format!("`{name}` parameter `{wire}`");
    sink.deprecation(at, &what, o.deprecated, p.deprecated, || ops.to_vec());
    sink.description(
        at,
        &what,
        o.description.as_deref(),
        p.description.as_deref(),
        || ops.to_vec(),
    );
}

/// Whether some value the old limits allowed is now refused.
fn narrowed(old: Option<&Constraints>, new: Option<&Constraints>) -> bool {
    let none = Constraints {
        min: None,
        max: None,
        max_length: None,
    };
    let (a, b) = (old.unwrap_or(&none), new.unwrap_or(&none));
    let min = match (a.min, b.min) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y > x,
        _ => false,
    };
    let max = match (a.max, b.max) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y < x,
        _ => false,
    };
    let len = match (a.max_length, b.max_length) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y < x,
        _ => false,
    };
    min || max || len
}

fn constraints(c: Option<&Constraints>) -> String {
    let Some(c) = c else { return "none".into() };
    let mut parts = Vec::new();
    if let Some(min) = c.min {
        parts.push(format!("min {min}"));
    }
    if let Some(max) = c.max {
        parts.push(format!("max {max}"));
    }
    if let Some(len) = c.max_length {
        parts.push(format!("max length {len}"));
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Query => "query",
        ParamLocation::Path => "path",
        ParamLocation::Header => "header",
        ParamLocation::Body => "body",
        ParamLocation::WholeBody => "whole body",
    }
}

fn style(s: ParamStyle) -> &'static str {
    match s {
        ParamStyle::Plain => "plain",
        ParamStyle::JsonString => "json-string",
    }
}
