//! Named types: fields of objects and values of enums, reported once per
//! type with every operation that uses it.
//!
//! Whether a field change breaks the wire depends on the direction the type
//! travels: a type sent in requests and one received in responses have
//! opposite rules (a new required field breaks the first, not the second).
//! The direction is the old version's usage, since the callers that can
//! break are the ones written against it; a type used both ways gets one
//! finding per direction.

use std::collections::BTreeMap;

use super::compat::{self, Types};
use super::{Sink, breaking_if, finding_ops};
use crate::diff::finding::Impact::{self, Breaking, Compatible};
use crate::diff::rules::Rule;
use crate::ir::{EnumValue, Field, TypeDecl, TypeKind, Usage, WireName};

/// Compares the named types present in both versions; a type that comes or
/// goes is reported through the parameter, field or response that refers to
/// it.
pub(super) fn diff_all(
    old: &[TypeDecl],
    new: &[TypeDecl],
    old_types: &Types,
    new_types: &Types,
    sink: &mut Sink,
) {
    let after: BTreeMap<&str, &TypeDecl> = new.iter().map(|t| (t.rust.0.as_str(), t)).collect();
    for o in old {
        if let Some(n) = after.get(o.rust.0.as_str()) {
            let ctx = TypeCtx {
                name: &n.rust.0,
                path: format!("types/{}", n.rust.0),
                used_by: (&o.used_by, &n.used_by),
                usage: if o.usage == Usage::default() {
                    n.usage
                } else {
                    o.usage
                },
            };
            diff_one(o, n, &ctx, old_types, new_types, sink);
        }
    }
}

/// What every finding about one type shares.
struct TypeCtx<'a> {
    name: &'a str,
    path: String,
    /// Operations using the type before and after; turned into a finding's
    /// list only when there is a finding (most types have none, and shared
    /// types have long lists).
    used_by: (&'a [WireName], &'a [WireName]),
    usage: Usage,
}

impl TypeCtx<'_> {
    /// The operations a finding about the type lists.
    fn ops(&self) -> Vec<String> {
        finding_ops(self.used_by.0.iter().chain(self.used_by.1))
    }

    /// Records a finding about the type with its (wire, rust) verdicts and
    /// (before, after) values, and attaches the type's operations.
    fn add(
        &self,
        sink: &mut Sink,
        rule: Rule,
        at: &str,
        message: String,
        verdicts: (Impact, Impact),
        values: (Option<String>, Option<String>),
    ) {
        let f = sink.add(rule, at, message, verdicts.0, verdicts.1);
        f.operations = self.ops();
        (f.before, f.after) = values;
    }
}

fn diff_one(
    o: &TypeDecl,
    n: &TypeDecl,
    ctx: &TypeCtx,
    old_types: &Types,
    new_types: &Types,
    sink: &mut Sink,
) {
    let what = format!("type `{}`", ctx.name);
    sink.description(
        &ctx.path,
        &what,
        o.description.as_deref(),
        n.description.as_deref(),
        || ctx.ops(),
    );
    sink.deprecation(&ctx.path, &what, o.deprecated, n.deprecated, || ctx.ops());
    match (&o.kind, &n.kind) {
        (TypeKind::Object { fields: a }, TypeKind::Object { fields: b }) => {
            fields(a, b, ctx, old_types, new_types, sink)
        }
        (TypeKind::Enum { values: a }, TypeKind::Enum { values: b }) => values(a, b, ctx, sink),
        // A struct became an enum or back: nothing carries over.
        _ => ctx.add(
            sink,
            Rule::TypeKindChanged,
            &ctx.path,
            format!("type `{}` changed between object and enum", ctx.name),
            (Breaking, Breaking),
            (Some(kind(&o.kind).into()), Some(kind(&n.kind).into())),
        ),
    }
}

fn kind(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Object { .. } => "object",
        TypeKind::Enum { .. } => "enum",
    }
}

fn fields(
    old: &[Field],
    new: &[Field],
    ctx: &TypeCtx,
    old_types: &Types,
    new_types: &Types,
    sink: &mut Sink,
) {
    let before: BTreeMap<&str, &Field> = old.iter().map(|f| (f.wire.0.as_str(), f)).collect();
    let after: BTreeMap<&str, &Field> = new.iter().map(|f| (f.wire.0.as_str(), f)).collect();
    let mut removed: Vec<&Field> = old
        .iter()
        .filter(|f| !after.contains_key(f.wire.0.as_str()))
        .collect();
    let name = ctx.name;
    for f in new {
        let at = format!("{}/fields/{}", ctx.path, f.wire.0);
        if let Some(o) = before.get(f.wire.0.as_str()) {
            field(o, f, &at, ctx, old_types, new_types, sink);
        } else if let Some(i) = removed.iter().position(|o| o.rust == f.rust) {
            // Same Rust field, new wire name: callers of the HTTP API send or
            // look for the old name; the crate hides the rename.
            let o = removed.remove(i);
            ctx.add(
                sink,
                Rule::WireNameChanged,
                &at,
                format!(
                    "`{name}`: field `{}` is now `{}` on the wire",
                    o.wire.0, f.wire.0
                ),
                (Breaking, Compatible),
                (Some(o.wire.0.clone()), Some(f.wire.0.clone())),
            );
            field(o, f, &at, ctx, old_types, new_types, sink);
        } else {
            let shape = compat::display(&f.ty);
            let values = (None, Some(shape.clone()));
            if ctx.usage.input {
                if f.required {
                    // Old requests lack it; the builder now demands it.
                    ctx.add(
                        sink,
                        Rule::RequestFieldAddedRequired,
                        &at,
                        format!(
                            "`{name}`: new required request field `{}` (`{shape}`)",
                            f.wire.0
                        ),
                        (Breaking, Breaking),
                        values.clone(),
                    );
                } else {
                    // Non-exhaustive models: a new builder setter, unused by
                    // existing code.
                    ctx.add(
                        sink,
                        Rule::RequestFieldAddedOptional,
                        &at,
                        format!(
                            "`{name}`: new optional request field `{}` (`{shape}`)",
                            f.wire.0
                        ),
                        (Compatible, Compatible),
                        values.clone(),
                    );
                }
            }
            if ctx.usage.output {
                // Tolerant decoding: old readers skip the unknown field.
                // Non-exhaustive models: a new struct field breaks no code.
                ctx.add(
                    sink,
                    Rule::ResponseFieldAdded,
                    &at,
                    format!("`{name}`: new field `{}` (`{shape}`)", f.wire.0),
                    (Compatible, Compatible),
                    values,
                );
            }
        }
    }
    for o in removed {
        let at = format!("{}/fields/{}", ctx.path, o.wire.0);
        let values = (Some(compat::display(&o.ty)), None);
        // The field is gone from the struct; on the wire the service no
        // longer takes it (requests) or sends it (responses).
        if ctx.usage.input {
            ctx.add(
                sink,
                Rule::RequestFieldRemoved,
                &at,
                format!("`{name}`: request field `{}` removed", o.wire.0),
                (Breaking, Breaking),
                values.clone(),
            );
        }
        if ctx.usage.output {
            ctx.add(
                sink,
                Rule::ResponseFieldRemoved,
                &at,
                format!("`{name}`: field `{}` removed", o.wire.0),
                (Breaking, Breaking),
                values,
            );
        }
    }
}

fn field(
    o: &Field,
    f: &Field,
    at: &str,
    ctx: &TypeCtx,
    old_types: &Types,
    new_types: &Types,
    sink: &mut Sink,
) {
    let (name, wire) = (ctx.name, &f.wire.0);
    if o.ty != f.ty {
        retyped(o, f, at, ctx, (old_types, new_types), sink);
    }
    field_presence(o, f, at, ctx, sink);
    if o.lenient != f.lenient || o.aliases != f.aliases {
        // The decoder, not the type, changes: it breaks code only when it
        // stops accepting a form it used to accept.
        let dropped = (o.lenient && !f.lenient) || o.aliases.iter().any(|a| !f.aliases.contains(a));
        ctx.add(
            sink,
            Rule::FieldDecodingChanged,
            at,
            format!("`{name}`: field `{wire}` decodes differently"),
            (Compatible, breaking_if(dropped)),
            (Some(decoding(o)), Some(decoding(f))),
        );
    }
    let what = format!("`{name}` field `{wire}`");
    sink.deprecation(at, &what, o.deprecated, f.deprecated, || ctx.ops());
    sink.description(
        at,
        &what,
        o.description.as_deref(),
        f.description.as_deref(),
        || ctx.ops(),
    );
}

/// A field's type changed.
fn retyped(
    o: &Field,
    f: &Field,
    at: &str,
    ctx: &TypeCtx,
    (old_types, new_types): (&Types, &Types),
    sink: &mut Sink,
) {
    let (name, wire) = (ctx.name, &f.wire.0);
    // The struct field's Rust type changes either way; on the wire a
    // request may widen and a response may narrow.
    let change = compat::compare(&o.ty, &f.ty, old_types, new_types);
    let values = (Some(compat::display(&o.ty)), Some(compat::display(&f.ty)));
    if ctx.usage.input {
        let wire_impact = breaking_if(!change.request_compatible());
        ctx.add(
            sink,
            Rule::RequestFieldRetyped,
            at,
            format!("`{name}`: request field `{wire}` changed type"),
            (wire_impact, Breaking),
            values.clone(),
        );
    }
    if ctx.usage.output {
        let wire_impact = breaking_if(!change.response_compatible());
        ctx.add(
            sink,
            Rule::ResponseFieldRetyped,
            at,
            format!("`{name}`: field `{wire}` changed type"),
            (wire_impact, Breaking),
            values,
        );
    }
}

/// Whether a field is required or nullable changed, in each direction the type travels.
fn field_presence(o: &Field, f: &Field, at: &str, ctx: &TypeCtx, sink: &mut Sink) {
    let (name, wire) = (ctx.name, &f.wire.0);
    // Option fields: the Rust type flips between `T` and `Option<T>` only
    // when optionality as a whole changes.
    let rust = breaking_if(o.optional() != f.optional());
    let mut presence = |rule, text: &str, wire_impact| {
        ctx.add(
            sink,
            rule,
            at,
            format!("`{name}`: field `{wire}` {text}"),
            (wire_impact, rust),
            (None, None),
        );
    };
    if ctx.usage.input {
        match (o.required, f.required) {
            // Old requests may leave it out; the builder now demands it.
            (false, true) => presence(
                Rule::RequestFieldBecameRequired,
                "is now required in requests",
                Breaking,
            ),
            (true, false) => presence(
                Rule::RequestFieldBecameOptional,
                "is now optional in requests",
                Compatible,
            ),
            _ => {}
        }
        match (o.nullable, f.nullable) {
            (false, true) => presence(
                Rule::RequestFieldBecameNullable,
                "may now be null in requests",
                Compatible,
            ),
            (true, false) => presence(
                Rule::RequestFieldBecameNonNullable,
                "may no longer be null in requests",
                Breaking,
            ),
            _ => {}
        }
    }
    if ctx.usage.output {
        match (o.required, f.required) {
            (true, false) => presence(
                Rule::ResponseFieldBecameOptional,
                "may now be absent",
                Breaking,
            ),
            (false, true) => presence(
                Rule::ResponseFieldBecameRequired,
                "is now always present",
                Compatible,
            ),
            _ => {}
        }
        match (o.nullable, f.nullable) {
            (false, true) => presence(
                Rule::ResponseFieldBecameNullable,
                "may now be null",
                Breaking,
            ),
            (true, false) => presence(
                Rule::ResponseFieldBecameNonNullable,
                "is no longer null",
                Compatible,
            ),
            _ => {}
        }
    }
}

fn decoding(f: &Field) -> String {
    let aliases: Vec<&str> = f.aliases.iter().map(|a| a.0.as_str()).collect();
    format!(
        "{}; aliases [{}]",
        if f.lenient { "lenient" } else { "strict" },
        aliases.join(", ")
    )
}

fn values(old: &[EnumValue], new: &[EnumValue], ctx: &TypeCtx, sink: &mut Sink) {
    let name = ctx.name;
    for v in new {
        let at = format!("{}/values/{}", ctx.path, v.wire.0);
        let Some(o) = old.iter().find(|o| o.wire == v.wire) else {
            // Open enums: a new variant breaks no `match`, an unknown value
            // already decoded (as `Unknown`) before, and no caller could
            // build that `Unknown` (its `UnknownValue` is opaque).
            ctx.add(
                sink,
                Rule::EnumValueAdded,
                &at,
                format!("`{name}`: new value `{}`", v.wire.0),
                (Compatible, Compatible),
                (None, None),
            );
            continue;
        };
        let what = format!("`{name}` value `{}`", v.wire.0);
        sink.deprecation(&at, &what, o.deprecated, v.deprecated, || ctx.ops());
        sink.description(
            &at,
            &what,
            o.description.as_deref(),
            v.description.as_deref(),
            || ctx.ops(),
        );
    }
    for o in old.iter().filter(|o| !new.iter().any(|v| v.wire == o.wire)) {
        let at = format!("{}/values/{}", ctx.path, o.wire.0);
        // The variant goes from the enum. On the wire, requests carrying the
        // value are refused; responses simply stop sending it.
        if ctx.usage.input {
            ctx.add(
                sink,
                Rule::RequestEnumValueRemoved,
                &at,
                format!("`{name}`: value `{}` no longer accepted", o.wire.0),
                (Breaking, Breaking),
                (None, None),
            );
        }
        if ctx.usage.output {
            ctx.add(
                sink,
                Rule::ResponseEnumValueRemoved,
                &at,
                format!("`{name}`: value `{}` no longer sent", o.wire.0),
                (Compatible, Breaking),
                (None, None),
            );
        }
    }
}
