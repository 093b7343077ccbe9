//! Identical shapes once: named types that the spec declares separately but with exactly the
//! same shape (fields with their wire names, Rust names, types, flags and docs; or enum values
//! with theirs) are compiled once. The first of each group (in Rust-name order) stays a type;
//! the others record it in `TypeDecl::same_as` and are emitted as aliases of it; the first's
//! `code_usage` serves every direction the group travels in.
//!
//! Why: a generated crate's compile time grows with the number of types (every type has its
//! trait impls), and APIs repeat shapes a lot (a status enum or a page of results per
//! operation). Two types are the same shape only if the types they refer to are too, found by
//! partition refinement: start from the shapes with references left out, then split groups
//! whose references fall in different groups until nothing changes (at most one round per
//! level of nesting, each linear in the declarations).

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::ir::{TypeDecl, TypeKind, TypeRef};

/// Fills `same_as`, and `code_usage` with the union of each group's usage on the type kept.
pub fn merge(decls: &mut [TypeDecl]) {
    let index: HashMap<&str, usize> = decls
        .iter()
        .enumerate()
        .map(|(i, d)| (d.rust.0.as_str(), i))
        .collect();
    // Group of each declaration; references start out as one group.
    let mut group = vec![0usize; decls.len()];
    let mut groups = 0;
    loop {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let next: Vec<usize> = decls
            .iter()
            .enumerate()
            .map(|(i, decl)| {
                let key = format!("{}|{}", group[i], signature(decl, &index, &group));
                let fresh = ids.len();
                *ids.entry(key).or_insert(fresh)
            })
            .collect();
        let count = ids.len();
        group = next;
        if count == groups {
            break;
        }
        groups = count;
    }
    for decl in decls.iter_mut() {
        decl.code_usage = decl.usage;
    }
    let mut first: HashMap<usize, usize> = HashMap::new();
    for i in 0..decls.len() {
        let kept = *first.entry(group[i]).or_insert(i);
        if kept != i {
            decls[i].same_as = Some(decls[kept].rust.clone());
            let usage = decls[i].usage;
            let target = &mut decls[kept].code_usage;
            target.input |= usage.input;
            target.output |= usage.output;
        }
    }
}

/// Everything that shows in a type's generated code except its own name, docs and users;
/// named references as their current group.
fn signature(decl: &TypeDecl, index: &HashMap<&str, usize>, group: &[usize]) -> String {
    let mut out = String::new();
    let _ = write!(out, "{}", decl.deprecated);
    match &decl.kind {
        TypeKind::Object { fields } => {
            out.push_str("|object");
            for f in fields {
                let _ = write!(
                    out,
                    "|{:?} {:?} {} {} {} {} {:?} {:?} ",
                    f.wire.0,
                    f.rust.0,
                    f.required,
                    f.nullable,
                    f.lenient,
                    f.deprecated,
                    f.aliases.iter().map(|a| &a.0).collect::<Vec<_>>(),
                    f.description,
                );
                type_key(&f.ty, index, group, &mut out);
            }
        }
        TypeKind::Enum { values } => {
            out.push_str("|enum");
            for v in values {
                let _ = write!(
                    out,
                    "|{:?} {:?} {} {:?}",
                    v.wire.0, v.rust.0, v.deprecated, v.description
                );
            }
        }
    }
    out
}

fn type_key(ty: &TypeRef, index: &HashMap<&str, usize>, group: &[usize], out: &mut String) {
    match ty {
        TypeRef::List(item) => {
            out.push_str("list<");
            type_key(item, index, group, out);
            out.push('>');
        }
        TypeRef::Map(value) => {
            out.push_str("map<");
            type_key(value, index, group, out);
            out.push('>');
        }
        TypeRef::Named(name) => match index.get(name.0.as_str()) {
            Some(&i) => {
                let _ = write!(out, "#{}", group[i]);
            }
            None => {
                let _ = write!(out, "?{}", name.0);
            }
        },
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumValue, Field, RustName, Usage, WireName};

    fn field(name: &str, ty: TypeRef, description: &str) -> Field {
        Field {
            wire: WireName(name.to_owned()),
            rust: RustName(name.to_lowercase()),
            setter: RustName(format!("with_{}", name.to_lowercase())),
            ty,
            required: false,
            nullable: false,
            lenient: false,
            aliases: Vec::new(),
            deprecated: false,
            description: Some(description.to_owned()),
        }
    }

    fn object(name: &str, fields: Vec<Field>, output: bool) -> TypeDecl {
        TypeDecl {
            spec_name: name.to_owned(),
            rust: RustName(name.to_owned()),
            description: Some(format!("The {name}.")),
            deprecated: false,
            kind: TypeKind::Object { fields },
            usage: Usage {
                input: !output,
                output,
            },
            used_by: vec![WireName(format!("Op{name}"))],
            source: String::new(),
            same_as: None,
            code_usage: Usage::default(),
        }
    }

    fn status(name: &str, values: &[&str]) -> TypeDecl {
        let values = values
            .iter()
            .map(|v| EnumValue {
                wire: WireName((*v).to_owned()),
                rust: RustName((*v).to_owned()),
                description: None,
                deprecated: false,
            })
            .collect();
        TypeDecl {
            kind: TypeKind::Enum { values },
            ..object(name, Vec::new(), true)
        }
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(RustName(name.to_owned()))
    }

    fn same_as(decls: &[TypeDecl]) -> Vec<(&str, Option<&str>)> {
        decls
            .iter()
            .map(|d| (d.rust.0.as_str(), d.same_as.as_ref().map(|s| s.0.as_str())))
            .collect()
    }

    #[test]
    fn same_shapes_become_aliases_of_the_first_and_share_its_usage() {
        let mut decls = vec![
            status("AStatus", &["on", "off"]),
            object(
                "AItem",
                vec![field("Status", named("AStatus"), "The status.")],
                false,
            ),
            status("BStatus", &["on", "off"]),
            object(
                "BItem",
                vec![field("Status", named("BStatus"), "The status.")],
                true,
            ),
        ];
        merge(&mut decls);
        assert_eq!(
            same_as(&decls),
            [
                ("AStatus", None),
                ("AItem", None),
                ("BStatus", Some("AStatus")),
                ("BItem", Some("AItem")),
            ]
        );
        // BItem is decoded, so AItem (its code) must decode too; AItem's own usage stays.
        assert!(decls[1].code_usage.input && decls[1].code_usage.output);
        assert!(decls[1].usage.input && !decls[1].usage.output);
    }

    #[test]
    fn any_visible_difference_keeps_types_apart() {
        let mut decls = vec![
            status("AStatus", &["on", "off"]),
            status("BStatus", &["on", "paused"]),
            object("AItem", vec![field("S", named("AStatus"), "d")], true),
            // Same fields, but they refer to shapes that differ.
            object("BItem", vec![field("S", named("BStatus"), "d")], true),
            // Same as AItem but for a field's docs.
            object("CItem", vec![field("S", named("AStatus"), "other")], true),
            // Same as AItem but for a flag.
            object(
                "DItem",
                vec![Field {
                    nullable: true,
                    ..field("S", named("AStatus"), "d")
                }],
                true,
            ),
            object("EItem", vec![field("S", named("AStatus"), "d")], true),
        ];
        merge(&mut decls);
        assert_eq!(
            same_as(&decls),
            [
                ("AStatus", None),
                ("BStatus", None),
                ("AItem", None),
                ("BItem", None),
                ("CItem", None),
                ("DItem", None),
                ("EItem", Some("AItem")),
            ]
        );
    }

    #[test]
    fn recursive_shapes_merge_through_lists() {
        let node = |name: &str| {
            object(
                name,
                vec![field(
                    "Children",
                    TypeRef::List(Box::new(named(name))),
                    "Kids.",
                )],
                true,
            )
        };
        let mut decls = vec![node("ANode"), node("BNode")];
        merge(&mut decls);
        assert_eq!(decls[1].same_as, Some(RustName("ANode".into())));
    }
}
