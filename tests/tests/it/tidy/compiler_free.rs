//! The runtime and the generated crates never depend on the compiler, under
//! its own name or a rename (`cg = { package = "wiregen-codegen" }`, a
//! workspace dependency that is the compiler under another key, or
//! `use wiregen_codegen as cg`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::files::{read, rust_files, shown};
use super::lexer::tokens;

/// The compiler's package name and the name its code is used under.
const PACKAGE: &str = "wiregen-codegen";
const LIBRARY: &str = "wiregen_codegen";

/// The crates that must build without the compiler: the runtime, the
/// generated crates and the golden copies of them.
fn compiler_free_crates(root: &Path) -> Vec<PathBuf> {
    let mut crates = vec![root.join("runtime")];
    for parent in ["generated", "tests/golden"] {
        if let Ok(entries) = fs::read_dir(root.join(parent)) {
            let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            dirs.sort();
            crates.extend(dirs.into_iter().filter(|d| d.join("Cargo.toml").is_file()));
        }
    }
    crates
}

/// A dependency entry of a manifest: its key and the rest of the line (or,
/// for a `[dependencies.key]` table, the table's lines).
struct Entry {
    key: String,
    line: usize,
    value: String,
}

/// The dependency entries of a manifest (`[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]`, `[target.'…'.dependencies]`, `[workspace.dependencies]`
/// and their `[….dependencies.key]` tables). A line reader, not a TOML
/// parser: manifests here keep one dependency per line.
fn entries(manifest: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    // None outside dependency sections; Some(None) in a list of
    // dependencies; Some(Some(key)) in a `[dependencies.key]` table.
    let mut section: Option<Option<String>> = None;
    for (number, raw) in manifest.lines().enumerate() {
        let line = raw.trim();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_end_matches(']').trim_matches('[');
            section = match header.rsplit_once("dependencies") {
                Some((_, "")) => Some(None),
                Some((_, table)) => {
                    let key = table.trim_start_matches('.').trim_matches('"').to_owned();
                    out.push(Entry {
                        key: key.clone(),
                        line: number + 1,
                        value: String::new(),
                    });
                    Some(Some(key))
                }
                None => None,
            };
            continue;
        }
        match &section {
            Some(None) => {
                if let Some((key, value)) = line.split_once('=') {
                    let key = key.trim().split('.').next().unwrap_or("").trim_matches('"');
                    out.push(Entry {
                        key: key.to_owned(),
                        line: number + 1,
                        value: value.to_owned(),
                    });
                }
            }
            Some(Some(_)) => {
                if let Some(entry) = out.last_mut() {
                    entry.value.push_str(line);
                    entry.value.push('\n');
                }
            }
            None => {}
        }
    }
    out
}

/// Whether an entry is the compiler under key `key`: its own name, a
/// `package` rename, a path to `codegen`, or a workspace dependency that is.
fn is_compiler(entry: &Entry, workspace_aliases: &BTreeSet<String>) -> bool {
    let value = entry.value.replace(' ', "");
    entry.key == PACKAGE
        || value.contains(&format!("package=\"{PACKAGE}\""))
        || value.contains("/codegen\"")
        || value.contains("path=\"codegen\"")
        || (value.contains("workspace=true") || value.starts_with("true"))
            && workspace_aliases.contains(&entry.key)
}

/// The runtime and the generated crates never depend on the compiler.
pub fn runtime_never_depends_on_the_compiler(root: &Path) -> Vec<String> {
    let none = BTreeSet::new();
    let aliases: BTreeSet<String> = entries(&read(&root.join("Cargo.toml")))
        .into_iter()
        .filter(|e| is_compiler(e, &none))
        .map(|e| e.key)
        .collect();
    let mut problems = Vec::new();
    for krate in compiler_free_crates(root) {
        let manifest = krate.join("Cargo.toml");
        for entry in entries(&read(&manifest)) {
            if is_compiler(&entry, &aliases) {
                problems.push(format!(
                    "{}:{}: `{}` is {PACKAGE}; the runtime and generated crates must build \
                     without the compiler (hint: move the shared code into wiregen-runtime)",
                    shown(root, &manifest),
                    entry.line,
                    entry.key
                ));
            }
        }
        for file in rust_files(&krate) {
            let toks = tokens(&read(&file));
            if let Some(tok) = toks.iter().find(|t| t.is_ident(LIBRARY)) {
                problems.push(format!(
                    "{}:{}: uses {LIBRARY}; the runtime and generated crates never use the compiler",
                    shown(root, &file),
                    tok.line
                ));
            }
        }
    }
    problems
}

#[test]
fn dependency_entries_are_read_in_every_spelling() {
    let manifest = "[package]\nname = \"x\"\n[dependencies]\nserde = \"1\"\ncg.workspace = true\n\
                    [target.'cfg(unix)'.dev-dependencies.other]\npackage = \"y\"\n";
    let keys: Vec<(String, usize)> = entries(manifest)
        .into_iter()
        .map(|e| (e.key, e.line))
        .collect();
    assert_eq!(
        keys,
        [
            ("serde".to_owned(), 4),
            ("cg".to_owned(), 5),
            ("other".to_owned(), 6)
        ]
    );
}
