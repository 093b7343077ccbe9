//! The repository stands alone: no file points outside it or cites a
//! package by a registry's web address, and every path the Markdown
//! documents name in backticks exists.

use std::fs;
use std::path::Path;

use super::files::repository_files;

/// Text that points at documents kept outside the repository. Spelled in
/// pieces so this file does not match itself.
const OUTSIDE: &[&str] = &[
    concat!("../", "shared"),
    concat!("shared/", "seeds"),
    concat!("shared/", "api-", "facts"),
    concat!("shared/", "DESIGN"),
    concat!("shared/", "upstream"),
    concat!("api-", "facts"),
];

/// A package registry's web pages: a package is cited by its name and
/// version (`alibabacloud_rdsai20250507 3.10.0`), which outlives any site.
const REGISTRY_PAGES: &[&str] = &[
    concat!("pypi", ".org/project"),
    concat!("crates", ".io/crates"),
    concat!("npmjs", ".com/package"),
];

/// No file of the repository refers to a document outside it; one line per
/// file, at its first reference.
pub fn nothing_refers_outside(root: &Path) -> Vec<String> {
    let files = match repository_files(root) {
        Ok(files) => files,
        Err(problem) => return vec![problem],
    };
    let mut problems = Vec::new();
    for file in files {
        let Ok(text) = fs::read_to_string(root.join(&file)) else {
            continue; // binary, or deleted but still in the index
        };
        let first = |needles: &[&'static str]| {
            let hits: Vec<(usize, &'static str)> = text
                .lines()
                .enumerate()
                .filter_map(|(n, line)| {
                    needles
                        .iter()
                        .find(|needle| line.contains(**needle))
                        .map(|needle| (n + 1, *needle))
                })
                .collect();
            let more = match hits.len() {
                0 | 1 => String::new(),
                n => format!(" (and {} more lines)", n - 1),
            };
            hits.first().map(|(line, needle)| (*line, *needle, more))
        };
        if let Some((line, needle, more)) = first(OUTSIDE) {
            problems.push(format!(
                "{file}:{line}: refers to `{needle}`, which a clone of the repository does not \
                 have{more} (hint: cite docs/wire.md section N, or bring the fact into the repository)"
            ));
        }
        if let Some((line, needle, more)) = first(REGISTRY_PAGES) {
            problems.push(format!(
                "{file}:{line}: cites a package by a registry's web address (`{needle}`){more} \
                 (hint: name the package and its version, e.g. `alibabacloud_rdsai20250507 3.10.0`)"
            ));
        }
    }
    problems
}

/// The Markdown documents whose backticked paths must exist: the map, the
/// README and everything under `docs/`.
fn documents(root: &Path) -> Vec<String> {
    let mut docs = vec!["ARCHITECTURE.md".to_owned(), "README.md".to_owned()];
    if let Ok(entries) = fs::read_dir(root.join("docs")) {
        let mut more: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|ext| ext == "md"))
            .map(|e| format!("docs/{}", e.file_name().to_string_lossy()))
            .collect();
        more.sort();
        docs.extend(more);
    }
    docs
}

/// Every repository path a document names in backticks exists.
pub fn document_paths_exist(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for doc in documents(root) {
        let Ok(text) = fs::read_to_string(root.join(&doc)) else {
            problems.push(format!(
                "{doc}: missing (hint: the map and the README live at the root)"
            ));
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            for (i, quoted) in line.split('`').enumerate() {
                if i % 2 == 1 && looks_like_a_path(quoted) {
                    let path = quoted.trim_end_matches('/');
                    if !root.join(path).exists() {
                        problems.push(format!(
                            "{doc}:{}: `{quoted}` does not exist (hint: fix the path or the text)",
                            number + 1
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// `codegen/src/emit/`, `README.md`: text naming a file or directory of the
/// repository (no spaces, no placeholders, a known top-level start or a
/// Markdown file at the root).
fn looks_like_a_path(text: &str) -> bool {
    const TOP: &[&str] = &[
        "codegen/",
        "runtime/",
        "xtask/",
        "tests/",
        "generated/",
        "spec/",
        "vectors/",
        "docs/",
        "examples/",
        ".ci/",
    ];
    let placeholder =
        text.contains(['<', '>', '*', '{', '}', ' ', '(', '$', ':', '=']) || text.contains("..");
    !placeholder
        && (TOP.iter().any(|top| text.starts_with(top))
            || (text.ends_with(".md") && !text.contains('/')))
}
