//! Identical shapes once: named types that the spec declares separately but with exactly the
//! same shape (fields with their wire names, Rust names, types, flags and docs; or enum values
//! with theirs) are compiled once. The first of each group (in Rust-name order) stays a type;
//! the others record it in `TypeDecl::same_as` and are emitted as aliases of it.
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

/// Fills `same_as` and gives each kept type the union of its group's usage and users.
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
    let mut first: HashMap<usize, usize> = HashMap::new();
    for i in 0..decls.len() {
        let kept = *first.entry(group[i]).or_insert(i);
        if kept != i {
            decls[i].same_as = Some(decls[kept].rust.clone());
            let (usage, users) = (decls[i].usage, decls[i].used_by.clone());
            let target = &mut decls[kept];
            target.usage.input |= usage.input;
            target.usage.output |= usage.output;
            target.used_by.extend(users);
            target.used_by.sort();
            target.used_by.dedup();
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
