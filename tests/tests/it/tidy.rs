//! The tidy test: the architecture's invariants (ARCHITECTURE.md), checked
//! by reading the sources, so a rule that lives in people's heads fails a
//! test the day it is broken.
//!
//! Each check takes a repository root and returns what is wrong there, one
//! line per violation with the file and a hint. `the_repository_is_tidy`
//! runs them on this repository; `each_broken_invariant_is_caught` runs them
//! on a small scratch tree that breaks every rule once, so a check that
//! stopped seeing anything would fail too.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The hand-written crates' source roots whose module graphs must be acyclic.
const MODULE_TREES: &[&str] = &["codegen/src", "runtime/src", "xtask/src"];

/// Hand-written Rust whose modules must open with a `//!` doc.
const HAND_WRITTEN: &[&str] = &[
    "codegen/src",
    "codegen/benches",
    "runtime/src",
    "runtime/tests",
    "runtime/benches",
    "xtask/src",
    "tests/src",
    "tests/tests",
];

/// Emitters and the diff read only the IR: modules under these may not name
/// the spec types.
const IR_ONLY: &[&str] = &["codegen/src/emit", "codegen/src/diff", "codegen/src/ir.rs"];

fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Every `.rs` file under `dir` (a file or a directory), sorted; build
/// output is skipped.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if dir.is_file() {
        found.push(dir.to_path_buf());
        return found;
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "target" {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The code of a source file with comments blanked out line by line (doc
/// links such as [`crate::format`] are not dependencies).
fn code_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                ""
            } else {
                line.split(" //").next().unwrap_or(line)
            }
        })
        .collect()
}

/// The paths a source file names after `prefix` (`crate::` or `super::`),
/// each as its segments, with `prefix::{a, b::c}` groups expanded one level.
fn paths_after(text: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let code = code_lines(text).join("\n");
    let mut rest = code.as_str();
    while let Some(at) = rest.find(prefix) {
        // `super::` inside `super::super::` or a longer identifier is not a start.
        let before = rest[..at].chars().next_back();
        let after = &rest[at + prefix.len()..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let segments = segments(item.trim());
                if !segments.is_empty() {
                    paths.push(segments);
                }
            }
        } else {
            let segments = segments(after);
            if !segments.is_empty() {
                paths.push(segments);
            }
        }
    }
    paths
}

/// The leading `a::b::c` of `text`, as segments.
fn segments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        out.push(rest[..end].to_owned());
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    out
}

/// Emitters, the diff and the IR never name the spec: no `crate::spec` path.
fn emitters_read_only_the_ir(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in IR_ONLY {
        for file in rust_files(&root.join(dir)) {
            let text = read(&file);
            if paths_after(&text, "crate::")
                .iter()
                .any(|path| path.first().is_some_and(|s| s == "spec"))
            {
                problems.push(format!(
                    "{}: names `crate::spec`; emitters, the diff and the IR read only the IR \
                     (hint: add what is needed to ir.rs and map it in lower/)",
                    shown(root, &file)
                ));
            }
        }
    }
    problems
}

/// The runtime and the generated crates never depend on the compiler.
fn runtime_never_depends_on_the_compiler(root: &Path) -> Vec<String> {
    let mut crates = vec![root.join("runtime")];
    for parent in ["generated", "tests/golden"] {
        if let Ok(entries) = fs::read_dir(root.join(parent)) {
            let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            dirs.sort();
            crates.extend(dirs.into_iter().filter(|d| d.join("Cargo.toml").is_file()));
        }
    }
    let mut problems = Vec::new();
    for krate in crates {
        let manifest = krate.join("Cargo.toml");
        if read(&manifest).lines().any(|line| {
            let line = line.trim_start();
            line.starts_with("wiregen-codegen") || line.contains("/codegen\"")
        }) {
            problems.push(format!(
                "{}: depends on wiregen-codegen; the runtime and generated crates must build \
                 without the compiler (hint: move the shared code into wiregen-runtime)",
                shown(root, &manifest)
            ));
        }
        for file in rust_files(&krate.join("src")) {
            if read(&file).contains("wiregen_codegen") {
                problems.push(format!(
                    "{}: uses wiregen_codegen; the runtime and generated crates never use the compiler",
                    shown(root, &file)
                ));
            }
        }
    }
    problems
}

/// Every hand-written module opens with a `//!` doc saying what it does.
fn every_module_has_a_doc(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in HAND_WRITTEN {
        for file in rust_files(&root.join(dir)) {
            let text = read(&file);
            let first = text.lines().map(str::trim).find(|line| !line.is_empty());
            if !first.is_some_and(|line| line.starts_with("//!")) {
                problems.push(format!(
                    "{}:1: the module does not start with a `//!` doc (hint: one or two lines \
                     on what it owns and why)",
                    shown(root, &file)
                ));
            }
        }
    }
    problems
}

/// The modules of one source tree: module path (`emit::names`, `""` for
/// the crate root) to the modules its code names.
fn module_graph(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let files = rust_files(src);
    let module_of = |file: &Path| -> Vec<String> {
        let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.len() == 1 && matches!(parts[0].as_str(), "lib" | "main") {
            parts.clear();
        } else if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        parts
    };
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    // The longest module that is a prefix of `path`.
    let resolve = |path: Vec<String>| -> Option<Vec<String>> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|candidate| modules.contains(candidate))
    };
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let text = read(file);
        let mut uses = BTreeSet::new();
        for path in paths_after(&text, "crate::") {
            uses.extend(resolve(path));
        }
        let parent = &module[..module.len().saturating_sub(1)];
        for path in paths_after(&text, "super::") {
            if path.first().is_some_and(|s| s == "super") {
                continue;
            }
            let mut full = parent.to_vec();
            full.extend(path);
            uses.extend(resolve(full));
        }
        uses.remove(&module);
        graph.insert(module, uses);
    }
    graph
}

/// No two modules of a crate depend on each other, directly or through
/// others: at every level of the module tree, the graph of sibling modules
/// (each standing for itself and its descendants) has no cycle. A module
/// using its parent's items, or a parent its child's, is not a cycle.
fn no_module_cycles(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for tree in MODULE_TREES {
        let graph = module_graph(&root.join(tree));
        let scopes: BTreeSet<Vec<String>> = graph
            .keys()
            .filter(|m| !m.is_empty())
            .map(|m| m[..m.len() - 1].to_vec())
            .collect();
        for scope in scopes {
            let child_of = |module: &Vec<String>| -> Option<String> {
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

/// Output locations are decided once, in `layout.rs`: no other compiler
/// module spells the `"generated"` directory outside its tests (the
/// `#[cfg(test)]` module that ends a file, by this codebase's convention).
fn one_output_layout(root: &Path) -> Vec<String> {
    rust_files(&root.join("codegen/src"))
        .into_iter()
        .filter(|file| !file.ends_with("layout.rs"))
        .filter(|file| {
            code_lines(&read(file))
                .iter()
                .take_while(|line| line.trim() != "#[cfg(test)]")
                .any(|line| line.contains("\"generated\""))
        })
        .map(|file| {
            format!(
                "{}: spells the output directory; where files go is decided in \
                 codegen/src/layout.rs (hint: take a `Layout`)",
                shown(root, &file)
            )
        })
        .collect()
}

/// Every repository path ARCHITECTURE.md names in backticks exists.
fn architecture_paths_exist(root: &Path) -> Vec<String> {
    let doc = root.join("ARCHITECTURE.md");
    let Ok(text) = fs::read_to_string(&doc) else {
        return vec!["ARCHITECTURE.md: missing (hint: the map of the code lives there)".to_owned()];
    };
    let mut problems = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for (i, quoted) in line.split('`').enumerate() {
            if i % 2 == 1 && looks_like_a_path(quoted) {
                let path = quoted.trim_end_matches('/');
                if !root.join(path).exists() {
                    problems.push(format!(
                        "ARCHITECTURE.md:{}: `{quoted}` does not exist (hint: fix the path or the map)",
                        number + 1
                    ));
                }
            }
        }
    }
    problems
}

/// `codegen/src/emit/`, `README.md`: text naming a file or directory of the
/// repository (no spaces, no placeholders, a known top-level start or a file
/// extension).
fn looks_like_a_path(text: &str) -> bool {
    const TOP: &[&str] = &[
        "codegen/",
        "runtime/",
        "xtask/",
        "tests/",
        "generated/",
        "spec/",
        "vectors/",
        ".ci/",
    ];
    let placeholder =
        text.contains(['<', '>', '*', '{', '}', ' ', '(', '$', ':', '=']) || text.contains("..");
    !placeholder
        && (TOP.iter().any(|top| text.starts_with(top))
            || (text.ends_with(".md") && !text.contains('/')))
}

/// The workspace and runtime tests are one binary each (`tests/it/`): no
/// test file sits beside it, so adding a suite is adding a module.
fn tests_are_one_binary(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in ["tests/tests", "runtime/tests", "codegen/tests"] {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut strays: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "rs"))
            .collect();
        strays.sort();
        // The compiler's only integration test is the shared-vector runner.
        strays.retain(|p| !p.ends_with("codegen/tests/vectors.rs"));
        problems.extend(strays.iter().map(|stray| {
            format!(
                "{}: a test binary of its own (hint: move it to {dir}/it/ and list it in {dir}/it/main.rs)",
                shown(root, stray)
            )
        }));
    }
    problems
}

/// `cargo fmt --check` over the workspace passes. Generated crates declare
/// their modules `#[rustfmt::skip]`, so this covers the hand-written code.
fn rustfmt_is_clean(root: &Path) -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    match Command::new(cargo)
        .args(["fmt", "--all", "--check"])
        .current_dir(root)
        .output()
    {
        Ok(out) if out.status.success() => Vec::new(),
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            let files: BTreeSet<&str> = stdout
                .lines()
                .filter_map(|l| l.strip_prefix("Diff in "))
                .map(|l| l.rsplit_once(':').map_or(l, |(file, _)| file))
                .map(|l| l.rsplit_once(':').map_or(l, |(file, _)| file))
                .collect();
            let mut problems: Vec<String> = files
                .iter()
                .map(|file| format!("{file}: not rustfmt-formatted (hint: cargo fmt --all)"))
                .collect();
            if problems.is_empty() {
                problems.push(format!(
                    "cargo fmt --all --check failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            problems
        }
        Err(error) => vec![format!(
            "cargo fmt could not run: {error} (hint: rustup component add rustfmt)"
        )],
    }
}

/// A check: a repository root in, one line per violation out.
type Check = fn(&Path) -> Vec<String>;

/// Every source-reading check, by name.
fn source_checks() -> [(&'static str, Check); 7] {
    [
        ("emitters read only the IR", emitters_read_only_the_ir),
        (
            "the runtime never depends on the compiler",
            runtime_never_depends_on_the_compiler,
        ),
        ("every module has a doc", every_module_has_a_doc),
        ("no module cycles", no_module_cycles),
        ("one output layout", one_output_layout),
        ("ARCHITECTURE.md paths exist", architecture_paths_exist),
        ("tests are one binary", tests_are_one_binary),
    ]
}

#[test]
fn the_repository_is_tidy() {
    let root = repo_root();
    let mut problems = Vec::new();
    for (name, check) in source_checks() {
        problems.extend(check(&root).into_iter().map(|p| format!("[{name}] {p}")));
    }
    problems.extend(
        rustfmt_is_clean(&root)
            .into_iter()
            .map(|p| format!("[rustfmt] {p}")),
    );
    assert!(problems.is_empty(), "tidy:\n{}", problems.join("\n"));
}

/// Writes `files` under a fresh scratch directory.
fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a scratch directory");
    for (path, text) in files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().expect("a parent")).expect("create dirs");
        fs::write(full, text).expect("write a fixture file");
    }
    dir
}

#[test]
fn each_broken_invariant_is_caught() {
    let tree = scratch(&[
        (
            "codegen/src/lib.rs",
            "//! Root.\nmod emit;\nmod ir;\nmod spec;\nmod a;\nmod b;\nmod output;\n",
        ),
        // An emitter reading the spec, through a braced import.
        (
            "codegen/src/emit/mod.rs",
            "//! Emit.\nmod x;\nmod y;\nuse crate::{ir, spec::Protocol};\n",
        ),
        // Two emitter modules using each other.
        (
            "codegen/src/emit/x.rs",
            "//! X.\nuse super::y::Y;\npub struct X;\n",
        ),
        (
            "codegen/src/emit/y.rs",
            "//! Y.\nuse super::x::X;\npub struct Y;\n",
        ),
        // The IR re-exporting a spec type.
        (
            "codegen/src/ir.rs",
            "//! IR.\npub use crate::spec::Protocol;\n",
        ),
        ("codegen/src/spec.rs", "//! Spec.\npub enum Protocol {}\n"),
        // A cycle through a third module, and a module without a doc.
        (
            "codegen/src/a.rs",
            "//! A.\nuse crate::b::B;\npub struct A;\n",
        ),
        ("codegen/src/b.rs", "pub struct B(crate::output::O);\n"),
        (
            "codegen/src/output.rs",
            "//! Output.\npub struct O(crate::a::A);\nconst DIR: &str = \"generated\";\n",
        ),
        // The runtime and a generated crate depending on the compiler.
        (
            "runtime/Cargo.toml",
            "[dependencies]\nwiregen-codegen = { path = \"../codegen\" }\n",
        ),
        ("runtime/src/lib.rs", "//! Runtime.\n"),
        (
            "generated/demo/Cargo.toml",
            "[dependencies]\nwiregen-runtime.workspace = true\n",
        ),
        (
            "generated/demo/src/lib.rs",
            "//! Demo.\nuse wiregen_codegen::ir;\n",
        ),
        // A suite outside the one test binary.
        ("tests/tests/it/main.rs", "//! Tests.\n"),
        ("tests/tests/stray.rs", "//! A stray suite.\n"),
        (
            "ARCHITECTURE.md",
            "# Map\n`codegen/src/emit/` exists, `codegen/src/gone.rs` does not; `<svc>` is no path.\n",
        ),
    ]);
    let root = tree.path();
    let report = |check: Check| check(root).join("\n");

    let ir_only = report(emitters_read_only_the_ir);
    assert!(ir_only.contains("codegen/src/emit/mod.rs"), "{ir_only}");
    assert!(ir_only.contains("codegen/src/ir.rs"), "{ir_only}");

    let runtime = report(runtime_never_depends_on_the_compiler);
    assert!(runtime.contains("runtime/Cargo.toml"), "{runtime}");
    assert!(runtime.contains("generated/demo/src/lib.rs"), "{runtime}");
    assert!(!runtime.contains("generated/demo/Cargo.toml"), "{runtime}");

    let docs = report(every_module_has_a_doc);
    assert_eq!(docs.lines().count(), 1, "{docs}");
    assert!(docs.contains("codegen/src/b.rs:1"), "{docs}");

    let cycles = report(no_module_cycles);
    assert!(
        cycles.contains("codegen/src/emit: module cycle x -> y -> x"),
        "{cycles}"
    );
    assert!(
        cycles.contains("codegen/src: module cycle a -> b -> output -> a"),
        "{cycles}"
    );

    let layout = report(one_output_layout);
    assert!(layout.contains("codegen/src/output.rs"), "{layout}");

    let binaries = report(tests_are_one_binary);
    assert!(binaries.contains("tests/tests/stray.rs"), "{binaries}");
    assert_eq!(binaries.lines().count(), 1, "{binaries}");

    let paths = report(architecture_paths_exist);
    assert!(
        paths.contains("ARCHITECTURE.md:2: `codegen/src/gone.rs`"),
        "{paths}"
    );
    assert_eq!(paths.lines().count(), 1, "{paths}");
}

#[test]
fn unformatted_code_is_caught() {
    let tree = scratch(&[
        (
            "Cargo.toml",
            "[package]\nname = \"scratch\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
        ),
        ("src/lib.rs", "//! Scratch.\npub fn   spaced( )  {}\n"),
    ]);
    let problems = rustfmt_is_clean(tree.path()).join("\n");
    assert!(problems.contains("src/lib.rs"), "{problems}");
}
