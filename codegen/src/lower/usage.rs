//! Which operations use which types, and in which direction, following
//! references through fields, lists and maps.

use std::collections::{BTreeSet, HashMap};

use crate::ir::{Operation, TypeDecl, TypeKind, TypeRef, Usage, WireName};

/// Fills `usage` and `used_by` of every declaration.
pub fn fill(operations: &[Operation], decls: &mut [TypeDecl]) {
    let refs: HashMap<String, Vec<String>> = decls
        .iter()
        .map(|d| {
            let mut names = Vec::new();
            if let TypeKind::Object { fields } = &d.kind {
                for f in fields {
                    named(&f.ty, &mut names);
                }
            }
            (d.rust.0.clone(), names)
        })
        .collect();
    let mut usage: HashMap<String, (Usage, BTreeSet<WireName>)> = HashMap::new();
    for op in operations {
        let mut inputs = Vec::new();
        for p in &op.params {
            named(&p.ty, &mut inputs);
        }
        let mut outputs = Vec::new();
        named(&op.response, &mut outputs);
        if let Some(s) = &op.streaming {
            named(&s.event, &mut outputs);
        }
        for (roots, is_input) in [(inputs, true), (outputs, false)] {
            for name in reachable(roots, &refs) {
                let entry = usage.entry(name).or_default();
                if is_input {
                    entry.0.input = true;
                } else {
                    entry.0.output = true;
                }
                entry.1.insert(op.name.clone());
            }
        }
    }
    for decl in decls {
        if let Some((u, users)) = usage.remove(&decl.rust.0) {
            decl.usage = u;
            decl.used_by = users.into_iter().collect();
        }
    }
}

/// Named types a type mentions directly.
fn named(ty: &TypeRef, into: &mut Vec<String>) {
    match ty {
        TypeRef::List(t) | TypeRef::Map(t) => named(t, into),
        TypeRef::Named(n) => into.push(n.0.clone()),
        _ => {}
    }
}

/// Every type reachable from `roots` (cycles are fine).
fn reachable(roots: Vec<String>, refs: &HashMap<String, Vec<String>>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if seen.insert(name.clone()) {
            stack.extend(refs.get(&name).into_iter().flatten().cloned());
        }
    }
    seen
}
