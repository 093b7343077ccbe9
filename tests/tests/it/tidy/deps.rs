//! The dependency checks: no module cycles, emitters and the diff read only
//! the IR, and every module of the compiler uses only what ARCHITECTURE.md's
//! "may use" column lets it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::files::shown;
use super::map::{self, MayUse};
use super::modules::{Crate, ModPath};

/// The hand-written crates' source roots whose module graphs must be acyclic.
const MODULE_TREES: &[&str] = &["codegen/src", "runtime/src", "xtask/src"];

/// Emitters and the diff read only the IR: modules under these may not name
/// the spec types.
const IR_ONLY: &[&str] = &["codegen/src/emit", "codegen/src/diff", "codegen/src/ir.rs"];

/// Emitters, the diff and the IR never name the spec, directly, through a
/// re-export, or by re-exporting it.
pub fn emitters_read_only_the_ir(root: &Path) -> Vec<String> {
    let krate = Crate::read(&root.join("codegen/src"));
    let mut problems = Vec::new();
    for module in krate.modules() {
        let Some(file) = krate.file_of(module) else {
            continue;
        };
        if !IR_ONLY.iter().any(|dir| file.starts_with(root.join(dir))) {
            continue;
        }
        for used in krate.uses(module) {
            if used.to.first().is_some_and(|s| s == "spec") {
                problems.push(format!(
                    "{}:{}: names `crate::{}`; emitters, the diff and the IR read only the IR \
                     (hint: add what is needed to ir.rs and map it in lower/)",
                    shown(root, &used.file),
                    used.line,
                    used.to.join("::")
                ));
            }
        }
    }
    problems
}

/// No two modules of a crate depend on each other, directly or through
/// others: at every level of the module tree, the graph of sibling modules
/// (each standing for itself and its descendants) has no cycle. A module
/// using its parent's items, or a parent its child's, is not a cycle.
pub fn no_module_cycles(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for tree in MODULE_TREES {
        let krate = Crate::read(&root.join(tree));
        let graph: BTreeMap<ModPath, Vec<ModPath>> = krate
            .modules()
            .map(|m| (m.clone(), krate.uses(m).into_iter().map(|u| u.to).collect()))
            .collect();
        let scopes: BTreeSet<ModPath> = graph
            .keys()
            .filter(|m| !m.is_empty())
            .map(|m| m[..m.len() - 1].to_vec())
            .collect();
        for scope in scopes {
            let child_of = |module: &ModPath| -> Option<String> {
                (module.len() > scope.len() && module.starts_with(&scope))
                    .then(|| module[scope.len()].clone())
            };
            let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (module, uses) in &graph {
                let Some(from) = child_of(module) else {
                    continue;
                };
                let targets = edges.entry(from.clone()).or_default();
                targets.extend(uses.iter().filter_map(&child_of).filter(|to| *to != from));
            }
            if let Some(cycle) = find_cycle(&edges) {
                let at = if scope.is_empty() {
                    (*tree).to_owned()
                } else {
                    format!("{tree}/{}", scope.join("/"))
                };
                problems.push(format!(
                    "{at}: module cycle {} (hint: move what both need into a leaf module)",
                    cycle.join(" -> ")
                ));
            }
        }
    }
    problems
}

/// A cycle in `edges` (first node repeated at the end), if there is one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

/// Every top-level module of a crate with a code-map table has a row, and
/// uses no other top-level module its row's "may use" column leaves out.
pub fn the_map_is_true(root: &Path) -> Vec<String> {
    let tables = match map::read(root) {
        Ok(tables) => tables,
        Err(problem) => return vec![problem],
    };
    let mut problems = Vec::new();
    for (src, table) in &tables {
        let krate = Crate::read(&root.join(src));
        problems.extend(check_table(root, src, table, &krate));
    }
    problems
}

/// One crate against its table.
fn check_table(root: &Path, src: &str, table: &MayUse, krate: &Crate) -> Vec<String> {
    let mut problems = Vec::new();
    // Top-level module to the first use of each other top-level module.
    let mut used: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for module in krate.modules() {
        let Some(top) = module.first() else {
            continue;
        };
        let seen = used.entry(top.clone()).or_default();
        for edge in krate.uses(module) {
            let Some(to) = edge.to.first().filter(|to| *to != top) else {
                continue;
            };
            seen.entry(to.clone())
                .or_insert_with(|| format!("{}:{}", shown(root, &edge.file), edge.line));
        }
    }
    for (module, uses) in &used {
        let Some(row) = table.rows.get(module) else {
            let names: Vec<String> = uses.keys().map(|u| format!("`{u}`")).collect();
            let may_use = if names.is_empty() {
                "nothing".to_owned()
            } else {
                names.join(", ")
            };
            // `import/mod.rs` is named by its directory, `import.rs` by itself.
            let named = match krate.file_of(std::slice::from_ref(module)) {
                Some(file) if file.ends_with("mod.rs") => format!("{src}/{module}/"),
                _ => format!("{src}/{module}.rs"),
            };
            problems.push(format!(
                "{src}/{module}: no row in ARCHITECTURE.md's code map (hint: add \
                 `| `{named}` | what it owns | {may_use} |` to the table of `{src}`)"
            ));
            continue;
        };
        for (to, at) in uses {
            if !row.may_use.contains(to) {
                problems.push(format!(
                    "{at}: `{module}` uses `{to}`, which ARCHITECTURE.md:{} does not list under \
                     \"may use\" (hint: add `{to}` to that row, or take the decision where the map \
                     says it is taken)",
                    row.line
                ));
            }
        }
    }
    for (module, row) in &table.rows {
        if !used.contains_key(module) {
            problems.push(format!(
                "ARCHITECTURE.md:{}: a row for `{module}`, which {src} does not have \
                 (hint: remove the row or fix its path)",
                row.line
            ));
        }
    }
    problems
}
