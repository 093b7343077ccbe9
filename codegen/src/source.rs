//! Reading spec files from disk: the only stage of the compiler that touches
//! the file system (besides writing the output).
//!
//! The file policy: spec files are regular files of at most
//! [`MAX_FILE_BYTES`]; a symbolic link is followed only when it stays inside
//! the spec directory and does not point at a directory containing it (a
//! cycle); anything else where a spec file is looked for (a FIFO, a device,
//! a directory named `*.yaml`, a link out of the tree) is reported with its
//! path, never opened. So reading a tree is bounded in time and memory.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// The largest spec file read: far above any real one (the biggest real
/// operation file is under 20 KiB), far below what could exhaust memory.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// What a directory entry is, links resolved by the file policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A regular file (or a link to one inside the tree).
    File,
    /// A directory (or a link to one inside the tree, not containing it).
    Dir,
    /// Anything else: FIFO, socket, device.
    Special,
    /// A link the policy refuses, with why.
    BadLink(String),
}

/// Whether a file name is a YAML file (and so meant as a spec file).
fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// The walk's fixed context: the spec root, as given and resolved.
struct Walk<'a> {
    root: &'a Path,
    /// `root` with every link resolved, to tell where links point.
    real_root: PathBuf,
}

/// Reads every spec file under `root`: `<service>/service.yaml` and
/// `<service>/operations/*.yaml` for each directory that has a
/// `service.yaml`. Other files (`*.schema.json`, READMEs) are ignored; a YAML
/// file anywhere else is reported, since it would silently do nothing, and
/// so is every entry the file policy (module docs) refuses.
/// The files come back sorted by path.
pub fn read_spec_dir(root: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        vec![Diagnostic::file_error(
            root.display().to_string(),
            format!("can not read the spec directory: {e}"),
        )]
    };
    let real_root = fs::canonicalize(root).map_err(unreadable)?;
    let walk = Walk { root, real_root };
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let entries = walk.entries("").map_err(unreadable)?;
    for (name, kind) in entries {
        if name.starts_with('.') {
            continue;
        }
        match kind {
            Kind::Dir => {
                let service_yaml = walk.root.join(&name).join("service.yaml");
                if fs::symlink_metadata(&service_yaml).is_ok() {
                    walk.read_service_dir(&name, &mut files, &mut diagnostics);
                } else if walk.contains_yaml(&name, 0) {
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
            Kind::File if is_yaml(&name) => diagnostics.push(stray(&name)),
            Kind::File => {}
            other => walk.refuse(&name, &other, &mut diagnostics),
        }
    }
    if diagnostics.is_empty() {
        files.sort();
        Ok(files)
    } else {
        Err(diagnostics)
    }
}

impl Walk<'_> {
    /// Reads `service.yaml` and `operations/*.yaml` of one service directory.
    fn read_service_dir(
        &self,
        service: &str,
        files: &mut Vec<SourceFile>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let entries = match self.entries(service) {
            Ok(entries) => entries,
            Err(e) => {
                diagnostics.push(Diagnostic::file_error(
                    format!("{service}/"),
                    format!("can not read: {e}"),
                ));
                return;
            }
        };
        for (name, kind) in entries {
            let rel = format!("{service}/{name}");
            match (name.as_str(), kind) {
                ("service.yaml", Kind::File) => self.read_file(&rel, files, diagnostics),
                ("operations", Kind::Dir) => self.read_operations_dir(&rel, files, diagnostics),
                (_, Kind::Dir) if is_yaml(&name) => diagnostics.push(directory(&rel)),
                (_, Kind::Dir) if self.contains_yaml(&rel, 0) => diagnostics.push(stray(&rel)),
                (_, Kind::File) if is_yaml(&name) => diagnostics.push(stray(&rel)),
                (_, Kind::File | Kind::Dir) => {}
                (_, other) => self.refuse(&rel, &other, diagnostics),
            }
        }
    }

    /// Reads `<service>/operations/*.yaml`.
    fn read_operations_dir(
        &self,
        rel_dir: &str,
        files: &mut Vec<SourceFile>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let entries = match self.entries(rel_dir) {
            Ok(entries) => entries,
            Err(e) => {
                diagnostics.push(Diagnostic::file_error(
                    format!("{rel_dir}/"),
                    format!("can not read: {e}"),
                ));
                return;
            }
        };
        for (name, kind) in entries {
            let rel = format!("{rel_dir}/{name}");
            match kind {
                Kind::File if name.ends_with(".yaml") => self.read_file(&rel, files, diagnostics),
                Kind::File if is_yaml(&name) => diagnostics.push(stray(&rel)),
                Kind::Dir if is_yaml(&name) => diagnostics.push(directory(&rel)),
                Kind::Dir if self.contains_yaml(&rel, 0) => diagnostics.push(stray(&rel)),
                Kind::File | Kind::Dir => {}
                other => self.refuse(&rel, &other, diagnostics),
            }
        }
    }

    /// Reads one regular file of at most [`MAX_FILE_BYTES`].
    fn read_file(&self, rel: &str, files: &mut Vec<SourceFile>, diagnostics: &mut Vec<Diagnostic>) {
        let mut bytes = Vec::new();
        // `take` as well as the size check: the file may grow meanwhile. The
        // buffer is sized from the file's length, so a file takes two reads
        // (`take` hides the length from `read_to_end`, which would otherwise
        // grow its buffer from 32 bytes, one read per doubling).
        let read = fs::File::open(self.root.join(rel)).and_then(|file| {
            let len = file.metadata()?.len();
            bytes.reserve_exact(len.min(MAX_FILE_BYTES) as usize + 1);
            file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
        });
        if let Err(e) = read {
            diagnostics.push(Diagnostic::file_error(rel, format!("can not read: {e}")));
            return;
        }
        if bytes.len() as u64 > MAX_FILE_BYTES {
            diagnostics.push(
                Diagnostic::file_error(
                    rel,
                    format!("spec file larger than {} KiB", MAX_FILE_BYTES / 1024),
                )
                .hint("split the service's operations into one file each"),
            );
            return;
        }
        match String::from_utf8(bytes) {
            Ok(text) => files.push(SourceFile::new(rel, text)),
            Err(e) => diagnostics.push(Diagnostic::file_error(
                rel,
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )),
        }
    }

    /// Reports an entry the file policy refuses.
    fn refuse(&self, rel: &str, kind: &Kind, diagnostics: &mut Vec<Diagnostic>) {
        let diagnostic = match kind {
            Kind::BadLink(why) => Diagnostic::file_error(rel, format!("symbolic link {why}"))
                .hint("spec files must be regular files or links to them inside the spec directory; replace the link with the file"),
            _ => Diagnostic::file_error(rel, "not a regular file (a FIFO, socket or device)")
                .hint("spec files must be regular files; remove it"),
        };
        diagnostics.push(diagnostic);
    }

    /// Whether a directory holds a YAML file at any depth (real directories
    /// only, at most 16 levels down: links are not followed here).
    fn contains_yaml(&self, rel: &str, depth: usize) -> bool {
        let Ok(entries) = fs::read_dir(self.root.join(rel)) else {
            return false;
        };
        entries.flatten().any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            match entry.file_type() {
                Ok(t) if t.is_dir() => {
                    depth < 16 && self.contains_yaml(&format!("{rel}/{name}"), depth + 1)
                }
                Ok(_) => is_yaml(&name),
                Err(_) => false,
            }
        })
    }

    /// Entries of a root-relative directory as (name, kind), sorted by
    /// name; names that are not UTF-8 are skipped (they can not be spec
    /// files).
    fn entries(&self, rel: &str) -> std::io::Result<Vec<(String, Kind)>> {
        let dir = self.root.join(rel);
        let mut out = Vec::new();
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            if let Ok(name) = entry.file_name().into_string() {
                let kind = self.kind(&dir, &entry);
                out.push((name, kind));
            }
        }
        out.sort();
        Ok(out)
    }

    /// What `entry` (in directory `dir`) is, under the file policy. The
    /// type comes from the directory listing where the file system gives it
    /// (no `stat` per file); only links are followed.
    fn kind(&self, dir: &Path, entry: &fs::DirEntry) -> Kind {
        let Ok(file_type) = entry.file_type() else {
            return Kind::BadLink("that can not be read".to_owned());
        };
        if !file_type.is_symlink() {
            return plain_kind(file_type);
        }
        let Ok(target) = fs::canonicalize(entry.path()) else {
            return Kind::BadLink("to a missing target".to_owned());
        };
        if !target.starts_with(&self.real_root) {
            return Kind::BadLink(format!(
                "to {}, outside the spec directory",
                target.display()
            ));
        }
        let Ok(meta) = fs::metadata(&target) else {
            return Kind::BadLink("to a missing target".to_owned());
        };
        let real_dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if meta.is_dir() && real_dir.starts_with(&target) {
            return Kind::BadLink("to a directory that contains it (a cycle)".to_owned());
        }
        plain_kind(meta.file_type())
    }
}

fn plain_kind(file_type: fs::FileType) -> Kind {
    if file_type.is_file() {
        Kind::File
    } else if file_type.is_dir() {
        Kind::Dir
    } else {
        Kind::Special
    }
}

/// A directory where a spec file is looked for.
fn directory(rel: &str) -> Diagnostic {
    Diagnostic::file_error(rel, "a directory where a spec file should be")
        .hint("spec files are regular files; rename or remove the directory")
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
