//! The conventions every hand-written file keeps: a `//!` doc on each
//! module, one place that spells the output directory, one test binary per
//! package, rustfmt's layout.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::files::{read, rust_files, shown};

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

/// Every hand-written module opens with a `//!` doc saying what it does.
pub fn every_module_has_a_doc(root: &Path) -> Vec<String> {
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

/// Output locations are decided once, in `layout.rs`: no other compiler
/// module spells the `"generated"` directory outside its tests (the
/// `#[cfg(test)]` module that ends a file, by this codebase's convention).
pub fn one_output_layout(root: &Path) -> Vec<String> {
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

/// The workspace and runtime tests are one binary each (`tests/it/`): no
/// test file sits beside it, so adding a suite is adding a module.
pub fn tests_are_one_binary(root: &Path) -> Vec<String> {
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
pub fn rustfmt_is_clean(root: &Path) -> Vec<String> {
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
