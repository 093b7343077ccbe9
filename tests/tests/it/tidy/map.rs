//! ARCHITECTURE.md's code map as data: the module tables, whose "may use"
//! column says which sibling modules each module may name. The document is
//! the data, so the map a reader sees is the one the test checks.
//!
//! A row is `| `<crate>/src/<module>.rs` (or `<module>/`) | what it owns |
//! `a`, `b` |`; a "may use" cell starting with "nothing" allows nothing
//! (backticked names after it are commentary).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// One crate's table.
#[derive(Debug, Default)]
pub struct MayUse {
    /// Top-level module name to its row.
    pub rows: BTreeMap<String, Row>,
}

/// One row of a table.
#[derive(Debug)]
pub struct Row {
    /// Its line in ARCHITECTURE.md.
    pub line: usize,
    /// The modules it may use.
    pub may_use: BTreeSet<String>,
}

/// The tables of ARCHITECTURE.md, by source root (`codegen/src`).
pub fn read(root: &Path) -> Result<BTreeMap<String, MayUse>, String> {
    let text = fs::read_to_string(root.join("ARCHITECTURE.md")).map_err(|e| {
        format!("ARCHITECTURE.md: can not read: {e} (hint: the map of the code lives there)")
    })?;
    let mut tables: BTreeMap<String, MayUse> = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // `| a | b | c |` splits into five cells, the outer two empty.
        if cells.len() != 5 || !line.trim_start().starts_with('|') {
            continue;
        }
        let Some((src, module)) = backticked(cells[1]).iter().find_map(|p| module_of(p)) else {
            continue;
        };
        let may_use = if cells[3].starts_with("nothing") {
            BTreeSet::new()
        } else {
            backticked(cells[3])
                .into_iter()
                .map(str::to_owned)
                .collect()
        };
        let table = tables.entry(src).or_default();
        if let Some(earlier) = table.rows.get(&module) {
            return Err(format!(
                "ARCHITECTURE.md:{}: a second row for `{module}` (the first is on line {}; \
                 hint: one row per module, list its files in one cell)",
                number + 1,
                earlier.line
            ));
        }
        table.rows.insert(
            module,
            Row {
                line: number + 1,
                may_use,
            },
        );
    }
    if tables.is_empty() {
        return Err(
            "ARCHITECTURE.md: no module table with a \"may use\" column \
                    (hint: `| `codegen/src/x.rs` | owns | `y` |`)"
                .to_owned(),
        );
    }
    Ok(tables)
}

/// The text between backticks in `cell`.
fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// `codegen/src/emit/` or `codegen/src/emit.rs` as (`codegen/src`, `emit`).
fn module_of(path: &str) -> Option<(String, String)> {
    let (krate, rest) = path.split_once("/src/")?;
    let first = rest.split('/').next()?;
    let module = first.strip_suffix(".rs").unwrap_or(first);
    (!module.is_empty() && !krate.contains(' '))
        .then(|| (format!("{krate}/src"), module.to_owned()))
}
