//! Reading spec files from disk: the only stage of the compiler that touches
//! the file system (besides writing the output).

use std::fs;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// One spec file, as read from disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceFile {
    /// Path relative to the spec root, `/`-separated
    /// (`rdsai/operations/GetConversations.yaml`).
    pub path: String,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// A file from its spec-root-relative path and text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// Whether a file name is a YAML file (and so meant as a spec file).
fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Reads every spec file under `root`: `<service>/service.yaml` and
/// `<service>/operations/*.yaml` for each directory that has a
/// `service.yaml`. Other files (`*.schema.json`, READMEs) are ignored; a YAML
/// file anywhere else is reported, since it would silently do nothing.
/// The files come back sorted by path.
pub fn read_spec_dir(root: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let entries = match sorted_entries(root) {
        Ok(entries) => entries,
        Err(e) => {
            return Err(vec![Diagnostic::file_error(
                root.display().to_string(),
                format!("can not read the spec directory: {e}"),
            )]);
        }
    };
    for (name, is_dir) in entries {
        let path = root.join(&name);
        if !is_dir {
            if is_yaml(&name) {
                diagnostics.push(stray(&name));
            }
            continue;
        }
        if name.starts_with('.') {
            continue;
        }
        if path.join("service.yaml").is_file() {
            read_service_dir(root, &name, &mut files, &mut diagnostics);
        } else if contains_yaml(&path) {
            diagnostics.push(
                Diagnostic::file_error(
                    format!("{name}/"),
                    format!("directory `{name}` holds YAML files but no `service.yaml`"),
                )
                .hint(
                    "a service directory needs `service.yaml` next to its `operations/` directory",
                ),
            );
        }
    }
    if diagnostics.is_empty() {
        files.sort();
        Ok(files)
    } else {
        Err(diagnostics)
    }
}

/// Reads `service.yaml` and `operations/*.yaml` of one service directory.
fn read_service_dir(
    root: &Path,
    service: &str,
    files: &mut Vec<SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let dir = root.join(service);
    let entries = match sorted_entries(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(Diagnostic::file_error(
                format!("{service}/"),
                format!("can not read: {e}"),
            ));
            return;
        }
    };
    for (name, is_dir) in entries {
        let rel = format!("{service}/{name}");
        if name == "service.yaml" && !is_dir {
            read_file(root, &rel, files, diagnostics);
        } else if name == "operations" && is_dir {
            read_operations_dir(root, &rel, files, diagnostics);
        } else if is_dir && contains_yaml(&dir.join(&name)) || !is_dir && is_yaml(&name) {
            diagnostics.push(stray(&rel));
        }
    }
}

/// Reads `<service>/operations/*.yaml`.
fn read_operations_dir(
    root: &Path,
    rel_dir: &str,
    files: &mut Vec<SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let entries = match sorted_entries(&root.join(rel_dir)) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(Diagnostic::file_error(
                format!("{rel_dir}/"),
                format!("can not read: {e}"),
            ));
            return;
        }
    };
    for (name, is_dir) in entries {
        let rel = format!("{rel_dir}/{name}");
        if !is_dir && name.ends_with(".yaml") {
            read_file(root, &rel, files, diagnostics);
        } else if is_dir && contains_yaml(&root.join(&rel)) || !is_dir && is_yaml(&name) {
            diagnostics.push(stray(&rel));
        }
    }
}

fn read_file(
    root: &Path,
    rel: &str,
    files: &mut Vec<SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match fs::read(root.join(rel)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => files.push(SourceFile::new(rel, text)),
            Err(e) => diagnostics.push(Diagnostic::file_error(
                rel,
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )),
        },
        Err(e) => diagnostics.push(Diagnostic::file_error(rel, format!("can not read: {e}"))),
    }
}

/// A YAML file where the compiler would not look at it.
fn stray(rel: &str) -> Diagnostic {
    Diagnostic::file_error(
        rel,
        "YAML file outside the spec layout, it would be ignored",
    )
    .expected("`<service>/service.yaml` or `<service>/operations/<Operation>.yaml`")
    .hint(
        "move it into a service's `operations/` directory (with a `.yaml` extension), or delete it",
    )
}

/// Whether a directory holds a YAML file at any depth.
fn contains_yaml(dir: &Path) -> bool {
    sorted_entries(dir).is_ok_and(|entries| {
        entries.iter().any(|(name, is_dir)| {
            if *is_dir {
                contains_yaml(&dir.join(name))
            } else {
                is_yaml(name)
            }
        })
    })
}

/// Directory entries as (name, is directory), sorted by name; entries whose
/// names are not UTF-8 are skipped (they can not be spec files).
fn sorted_entries(dir: &Path) -> std::io::Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if let Ok(name) = entry.file_name().into_string() {
            out.push((name, entry.path().is_dir()));
        }
    }
    out.sort();
    Ok(out)
}
