//! The compiler as the importer's last check: drafts are compiled next to
//! the service's existing files, and an operation whose draft does not
//! compile is refused by name (with the compiler's message) instead of
//! being written. What the importer's own mapping misses, the compiler's
//! rules catch, so a written draft always passes `cargo xtask check`.

use super::{Assembly, ImportError, Note, NoteKind};
use crate::compile::compile_report;
use crate::source::SourceFile;
use crate::spec::OperationSpec;

/// The files of every operation that compiles, and a note per refused one.
pub(super) fn until_clean(
    assembly: &Assembly<'_>,
    mut ops: Vec<(OperationSpec, bool)>,
    existing: &[SourceFile],
) -> Result<(Vec<SourceFile>, Vec<Note>), ImportError> {
    let mut refused = Vec::new();
    loop {
        let files = assembly.files(&ops)?;
        let mut all: Vec<SourceFile> = existing.to_vec();
        all.extend(files.iter().cloned());
        let compiled = compile_report(&all);
        if compiled.api.is_some() {
            return Ok((files, refused));
        }
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        let before = ops.len();
        let prefix = format!("{}/operations/", assembly.service);
        ops.retain(|(op, _)| {
            let file = format!("{prefix}{}.yaml", op.operation);
            let mine: Vec<_> = errors.iter().filter(|d| d.file == file).collect();
            if mine.is_empty() {
                return true;
            }
            let reasons: Vec<String> = mine
                .iter()
                .map(|d| format!("`{}`: {}", d.yaml_path, d.message))
                .collect();
            refused.push(Note {
                kind: NoteKind::Refused,
                path: format!("apis.{}", op.operation),
                message: format!(
                    "operation `{}` not drafted: its draft does not compile: {}",
                    op.operation,
                    reasons.join("; ")
                ),
            });
            false
        });
        if ops.len() == before {
            // The errors are in the service file or in the existing tree:
            // nothing to refuse, so nothing is written.
            return Err(ImportError {
                path: "$".into(),
                message: format!(
                    "the drafts do not compile with the existing specs:\n{}",
                    crate::render_all(&compiled.diagnostics)
                ),
            });
        }
    }
}
