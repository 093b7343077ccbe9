//! Rust expressions for documentation examples.
//!
//! Doc examples are compiled (`no_run` doctests), so every value must have
//! the right type: values come from the spec's first example call when it
//! has one, otherwise a plain value of the type.

use serde_json::Value;

use super::ServiceCtx;
use super::names::ident;
use crate::ir::{Operation, TypeKind, TypeRef};

/// How deep required object fields are filled in before giving up on a
/// (recursive) type with `Default::default()`.
const MAX_DEPTH: usize = 4;

/// The example value of the operation's parameter `wire`, if any.
pub fn example_param<'a>(op: &'a Operation, wire: &str) -> Option<&'a Value> {
    op.examples
        .first()
        .and_then(|example| example.request.get(wire))
}

/// An expression of type `ty`, as passed where the API takes `impl Into<T>`
/// for text and enums (so both may be string literals).
pub fn value(ctx: &ServiceCtx<'_>, ty: &TypeRef, example: Option<&Value>) -> String {
    value_at(ctx, ty, example, 0)
}

fn value_at(ctx: &ServiceCtx<'_>, ty: &TypeRef, example: Option<&Value>, depth: usize) -> String {
    let krate = &ctx.svc.crate_ident.0;
    match ty {
        TypeRef::String => match example {
            Some(Value::String(text)) => format!("{text:?}"),
            Some(Value::Number(n)) => format!("\"{n}\""),
            _ => "\"...\"".to_owned(),
        },
        TypeRef::Bool => match example {
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => "false".to_owned(),
            _ => "true".to_owned(),
        },
        TypeRef::Int32 | TypeRef::Int64 => integer(example).unwrap_or(10).to_string(),
        TypeRef::Float64 => match example.and_then(Value::as_f64) {
            Some(f) if f.is_finite() => format!("{f:?}"),
            _ => "1.0".to_owned(),
        },
        TypeRef::TimestampSeconds => {
            format!(
                "{krate}::UnixSeconds({})",
                integer(example).unwrap_or(1_700_000_000)
            )
        }
        TypeRef::TimestampMillis => {
            format!(
                "{krate}::UnixMillis({})",
                integer(example).unwrap_or(1_700_000_000_000)
            )
        }
        TypeRef::Json | TypeRef::Map(_) => "Default::default()".to_owned(),
        TypeRef::List(_) => "Vec::new()".to_owned(),
        TypeRef::Named(name) => {
            let Some(decl) = ctx.type_decl(name) else {
                return "Default::default()".to_owned();
            };
            match &decl.kind {
                TypeKind::Enum { values } => match (example, values.first()) {
                    (Some(Value::String(text)), _) => format!("{text:?}"),
                    (_, Some(first)) => format!("{:?}", first.wire.0),
                    (_, None) => "\"...\"".to_owned(),
                },
                TypeKind::Object { .. } if depth >= MAX_DEPTH => "Default::default()".to_owned(),
                TypeKind::Object { fields } => {
                    let args: Vec<String> = fields
                        .iter()
                        .filter(|f| !f.optional())
                        .map(|f| {
                            let member = example.and_then(|e| e.get(&f.wire.0));
                            value_at(ctx, &f.ty, member, depth + 1)
                        })
                        .collect();
                    format!("{krate}::models::{}::new({})", ident(name), args.join(", "))
                }
            }
        }
    }
}

fn integer(example: Option<&Value>) -> Option<i64> {
    match example? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
