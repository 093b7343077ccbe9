//! Rust expressions for documentation examples and for the mock's replayable example calls.
//!
//! Doc examples are compiled (`no_run` doctests), so every value must have
//! the right type: values come from the spec's first example call when it
//! has one, otherwise a plain value of the type. [`typed`] writes a whole example value.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
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

/// The expression of an example value of `ty` as a typed call passes it: every member the
/// example gives (nested objects through `new(...)` and their `with_*` setters, lists, maps,
/// free-form JSON), so a replayed example sends exactly the example's values. A member the
/// example leaves out but the type requires gets a plain value of its type; text holding JSON
/// where the type is structured (a JSON-string parameter written as its text) is read as JSON.
pub fn typed(ctx: &ServiceCtx<'_>, ty: &TypeRef, example: Option<&Value>) -> TokenStream {
    typed_in(ctx, ty, example, false)
}

/// [`typed`], `owned` where the value is an item of a list or map, which takes a `String`
/// (arguments and setters take `impl Into<String>`, so a literal does there).
fn typed_in(
    ctx: &ServiceCtx<'_>,
    ty: &TypeRef,
    example: Option<&Value>,
    owned: bool,
) -> TokenStream {
    if let Some(Value::String(text)) = example
        && !matches!(ty, TypeRef::String | TypeRef::Named(_))
        && let Ok(parsed) = serde_json::from_str::<Value>(text)
        && (parsed.is_array() || parsed.is_object())
    {
        return typed_in(ctx, ty, Some(&parsed), owned);
    }
    match ty {
        TypeRef::String => {
            let text = match example {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            if owned {
                quote!(#text.to_owned())
            } else {
                quote!(#text)
            }
        }
        TypeRef::Bool => {
            let b = match example {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
                _ => false,
            };
            quote!(#b)
        }
        TypeRef::Int32 | TypeRef::Int64 => {
            let n = Literal::i64_unsuffixed(integer(example).unwrap_or(0));
            quote!(#n)
        }
        TypeRef::Float64 => {
            let f = match example {
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            let f = Literal::f64_unsuffixed(f.filter(|f| f.is_finite()).unwrap_or(0.0));
            quote!(#f)
        }
        TypeRef::TimestampSeconds => {
            let n = integer(example).unwrap_or(0);
            quote!(wiregen_runtime::UnixSeconds(#n))
        }
        TypeRef::TimestampMillis => {
            let n = integer(example).unwrap_or(0);
            quote!(wiregen_runtime::UnixMillis(#n))
        }
        TypeRef::Json => {
            let json = json_tokens(example.unwrap_or(&Value::Null));
            quote!(wiregen_runtime::serde_json::json!(#json))
        }
        TypeRef::List(item) => {
            let items = example
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|v| typed_in(ctx, item, Some(v), true));
            quote!(vec![#(#items),*])
        }
        TypeRef::Map(value) => {
            let entries = example
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| {
                    let v = typed_in(ctx, value, Some(v), true);
                    quote!((#k.to_owned(), #v))
                });
            quote!(wiregen_runtime::indexmap::IndexMap::from_iter([#(#entries),*]))
        }
        TypeRef::Named(name) => {
            let Some(decl) = ctx.type_decl(name) else {
                return quote!(Default::default());
            };
            let ty = ident(name);
            match &decl.kind {
                TypeKind::Enum { values } => {
                    let text = match (example, values.first()) {
                        (Some(Value::String(text)), _) => text.clone(),
                        (Some(other), _) if !other.is_null() => other.to_string(),
                        (_, Some(first)) => first.wire.0.clone(),
                        (_, None) => String::new(),
                    };
                    quote!(crate::models::#ty::from(#text))
                }
                TypeKind::Object { fields } => {
                    let member = |f: &crate::ir::Field| {
                        example
                            .and_then(|e| e.get(&f.wire.0))
                            .filter(|v| !v.is_null())
                    };
                    let args = fields
                        .iter()
                        .filter(|f| !f.optional())
                        .map(|f| typed(ctx, &f.ty, member(f)));
                    let setters = fields.iter().filter(|f| f.optional()).filter_map(|f| {
                        let value = member(f)?;
                        let setter = ident(&f.setter);
                        let value = typed(ctx, &f.ty, Some(value));
                        Some(quote!(.#setter(#value)))
                    });
                    quote!(crate::models::#ty::new(#(#args),*) #(#setters)*)
                }
            }
        }
    }
}

/// Tokens of `value` for `serde_json::json!`, which keeps member order (the workspace's
/// `preserve_order`), so free-form JSON goes out in the example's order.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => {
                let i = Literal::i64_unsuffixed(i);
                quote!(#i)
            }
            (_, Some(u), _) => {
                let u = Literal::u64_unsuffixed(u);
                quote!(#u)
            }
            (_, _, Some(f)) if f.is_finite() => {
                let f = Literal::f64_unsuffixed(f);
                quote!(#f)
            }
            _ => quote!(null),
        },
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(members) => {
            let members = members.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({#(#members),*})
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::RustName;

    /// `typed`'s expression for `value` in the demo service, as text without spaces.
    fn typed_text(ty: &TypeRef, value: Option<&Value>) -> String {
        let api = super::super::tests::demo_api();
        let ctx = ServiceCtx::new(&api.services[0]);
        typed(&ctx, ty, value).to_string().replace(' ', "")
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(RustName(name.into()))
    }

    #[test]
    fn objects_take_required_members_as_arguments_and_the_rest_through_setters() {
        let filter = json!({"Kind": "a-b", "Name": "n", "Unknown": 1});
        assert_eq!(
            typed_text(&named("Filter"), Some(&filter)),
            "crate::models::Filter::new(\"n\").with_kind(crate::models::Kind::from(\"a-b\"))"
        );
        // A JSON-string parameter written as its text is the structure it holds.
        let text = Value::String(r#"[{"Name": "m"}]"#.into());
        assert_eq!(
            typed_text(&TypeRef::List(Box::new(named("Filter"))), Some(&text)),
            "vec![crate::models::Filter::new(\"m\")]"
        );
        // Text in a list is a `String`.
        assert_eq!(
            typed_text(
                &TypeRef::List(Box::new(TypeRef::String)),
                Some(&json!(["a"]))
            ),
            "vec![\"a\".to_owned()]"
        );
    }

    #[test]
    fn scalars_maps_and_free_json_keep_the_examples_values_and_order() {
        assert_eq!(typed_text(&TypeRef::Float64, Some(&json!("2.5"))), "2.5");
        assert_eq!(typed_text(&TypeRef::Int32, Some(&json!("-7"))), "-7");
        assert_eq!(typed_text(&TypeRef::Bool, Some(&json!("True"))), "true");
        assert_eq!(typed_text(&TypeRef::String, Some(&json!(12))), "\"12\"");
        assert_eq!(
            typed_text(&TypeRef::TimestampSeconds, Some(&json!("1700000000"))),
            "wiregen_runtime::UnixSeconds(1700000000i64)"
        );
        assert_eq!(
            typed_text(
                &TypeRef::Map(Box::new(TypeRef::Int64)),
                Some(&json!({"z": 1, "a": 2}))
            ),
            "wiregen_runtime::indexmap::IndexMap::from_iter([(\"z\".to_owned(),1),(\"a\".to_owned(),2)])"
        );
        assert_eq!(
            typed_text(
                &TypeRef::Json,
                Some(&json!({"z": [1, "x", null], "a": 1.5}))
            ),
            "wiregen_runtime::serde_json::json!({\"z\":[1,\"x\",null],\"a\":1.5})"
        );
    }
}
