//! How named types contain each other: a type that contains itself with no
//! list or map in between would have infinite size (rustc E0072), and a
//! very deep chain of types overflows rustc's recursion limits (E0320) long
//! after `check` said the specs were fine. Both are refused here, before
//! anything recursive runs over the types.
//!
//! Self-containment is refused rather than boxed: a `Box` would change the
//! field's Rust type for callers and every emitter that reads fields
//! (models, pagination, examples), for a shape no real service sends
//! without a list around it.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::ir::{TypeDecl, TypeKind, TypeRef};
use crate::type_expr::MAX_TYPE_DEPTH;
use crate::yaml_tree::{Part, join_key};

use super::Files;
use super::types::TypeTable;

/// One reference from a type to a named type.
struct Edge {
    to: usize,
    /// `list<` and `map<` levels around the reference, plus the type itself.
    weight: usize,
    /// No list or map in between: the type is stored inline.
    inline: bool,
}

/// Reports every type that contains itself inline, and every type nested
/// deeper than [`MAX_TYPE_DEPTH`] (counting each named type, `list<` and
/// `map<` on the way down).
pub fn check(
    decls: &[TypeDecl],
    table: &TypeTable<'_>,
    files: &Files<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    let index: HashMap<&str, usize> = decls
        .iter()
        .enumerate()
        .map(|(i, d)| (d.rust.0.as_str(), i))
        .collect();
    let edges: Vec<Vec<Edge>> = decls
        .iter()
        .map(|decl| match &decl.kind {
            TypeKind::Object { fields } => fields
                .iter()
                .filter_map(|f| edge(&f.ty, 0, &index))
                .collect(),
            TypeKind::Enum { .. } => Vec::new(),
        })
        .collect();
    let report = |i: usize, message: String, hint: &str, out: &mut Vec<Diagnostic>| {
        let name = &decls[i].spec_name;
        if let Some(declared) = table.by_name.get(name.as_str()) {
            out.push(
                files
                    .ctx(declared.file)
                    .error(&join_key("types", name), Part::Key, message)
                    .hint(hint),
            );
        }
    };
    for cycle in inline_cycles(&edges) {
        let path: Vec<&str> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&i| decls[i].spec_name.as_str())
            .collect();
        report(
            cycle[0],
            format!(
                "type `{}` contains itself with no list or map in between ({}): it would have infinite size",
                path[0],
                path.join(" -> ")
            ),
            "make one field of the cycle a `list<...>` (or `map<...>`), or break the cycle",
            out,
        );
    }
    // Levels of `list<`/`map<` around a primitive or enum field count too.
    let own: Vec<usize> = decls
        .iter()
        .map(|decl| match &decl.kind {
            TypeKind::Object { fields } => {
                1 + fields
                    .iter()
                    .filter(|f| edge(&f.ty, 0, &index).is_none())
                    .map(|f| containers(&f.ty))
                    .max()
                    .unwrap_or(0)
            }
            TypeKind::Enum { .. } => 1,
        })
        .collect();
    let depths = depths(&edges, &own);
    for (i, depth) in depths.into_iter().enumerate() {
        if depth > MAX_TYPE_DEPTH {
            report(
                i,
                format!(
                    "type `{}` is nested {depth} levels deep (named types, `list<` and `map<`); the limit is {MAX_TYPE_DEPTH}",
                    decls[i].spec_name
                ),
                "flatten the structure, or use `json` for a deep free-form part",
                out,
            );
        }
    }
}

/// The named type a field's type refers to, through lists and maps.
fn edge(ty: &TypeRef, containers: usize, index: &HashMap<&str, usize>) -> Option<Edge> {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => edge(inner, containers + 1, index),
        TypeRef::Named(name) => index.get(name.0.as_str()).map(|&to| Edge {
            to,
            weight: containers + 1,
            inline: containers == 0,
        }),
        _ => None,
    }
}

/// `list<` and `map<` levels of a type expression.
fn containers(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => 1 + containers(inner),
        _ => 0,
    }
}

/// Cycles of inline references, each given once as the list of its types
/// starting from the first one met. Iterative, so any chain length is fine.
fn inline_cycles(edges: &[Vec<Edge>]) -> Vec<Vec<usize>> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; edges.len()];
    let mut cycles = Vec::new();
    for start in 0..edges.len() {
        if state[start] != NEW {
            continue;
        }
        // (node, next edge to look at); the stack is the current path.
        let mut stack = vec![(start, 0)];
        state[start] = OPEN;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(e) = edges[node].get(*next) else {
                state[node] = DONE;
                stack.pop();
                continue;
            };
            *next += 1;
            if !e.inline {
                continue;
            }
            match state[e.to] {
                NEW => {
                    state[e.to] = OPEN;
                    stack.push((e.to, 0));
                }
                OPEN => {
                    let from = stack.iter().position(|&(n, _)| n == e.to).unwrap_or(0);
                    cycles.push(stack[from..].iter().map(|&(n, _)| n).collect());
                }
                _ => {}
            }
        }
    }
    cycles
}

/// Depth of every type: `own` (1, plus the `list<`/`map<` levels of its
/// deepest field of primitives), or the weight of its deepest reference plus
/// that type's depth. A reference back into a cycle (through a list or a
/// map, which is fine in Rust) counts as its weight alone.
fn depths(edges: &[Vec<Edge>], own: &[usize]) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; edges.len()];
    let mut open = vec![false; edges.len()];
    for start in 0..edges.len() {
        if depth[start].is_some() {
            continue;
        }
        let mut stack = vec![(start, 0, own[start])];
        open[start] = true;
        while let Some(&mut (node, ref mut next, ref mut deepest)) = stack.last_mut() {
            if let Some(e) = edges[node].get(*next) {
                *next += 1;
                match depth[e.to] {
                    Some(d) => *deepest = (*deepest).max(e.weight + d),
                    None if open[e.to] => *deepest = (*deepest).max(e.weight),
                    None => {
                        open[e.to] = true;
                        stack.push((e.to, 0, own[e.to]));
                    }
                }
                continue;
            }
            let done = *deepest;
            depth[node] = Some(done);
            open[node] = false;
            stack.pop();
            if let Some(&mut (parent, next, ref mut deepest)) = stack.last_mut() {
                // The parent's edge to `node` is the one before its `next`.
                let weight = edges[parent]
                    .get(next.wrapping_sub(1))
                    .map_or(1, |e| e.weight);
                *deepest = (*deepest).max(weight + done);
            }
        }
    }
    depth.into_iter().map(Option::unwrap_or_default).collect()
}
