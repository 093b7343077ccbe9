//! The compiler as the importer's last check: drafts are compiled next to
//! the service's existing files, and an operation whose draft does not
//! compile is refused by name (with the compiler's message) instead of
//! being written. What the importer's own mapping misses, the compiler's
//! rules catch, so a written draft always passes `cargo xtask check`.

use super::{Assembly, Candidate, ImportError, Note, NoteKind};
use crate::compile::compile_report;
use crate::source::SourceFile;

/// The files of every operation that compiles, and a note per refused one.
pub(super) fn until_clean(
    assembly: &Assembly<'_>,
    mut ops: Vec<Candidate>,
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
        let mut swapped = false;
        let prefix = format!("{}/operations/", assembly.service);
        ops.retain_mut(|candidate| {
            let name = candidate.spec.operation.clone();
            let file = format!("{prefix}{name}.yaml");
            let mine: Vec<_> = errors.iter().filter(|d| d.file == file).collect();
            if mine.is_empty() {
                return true;
            }
            if let Some(note) = fall_back(candidate, &mine) {
                swapped = true;
                refused.push(note);
                return true;
            }
            let reasons: Vec<String> = mine
                .iter()
                .map(|d| format!("`{}`: {}", d.yaml_path, d.message))
                .collect();
            refused.push(Note {
                kind: NoteKind::Refused,
                path: format!("apis.{name}"),
                message: format!(
                    "operation `{name}` not drafted: its draft does not compile: {}",
                    reasons.join("; ")
                ),
            });
            false
        });
        if ops.len() == before && !swapped {
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

/// What a draft can lose instead of being refused: its drafted pagination
/// (when only the pagination fails) and the published response sample (the
/// example written from the types stands in). `None` when neither applies.
fn fall_back(
    candidate: &mut Candidate,
    errors: &[&&crate::diagnostic::Diagnostic],
) -> Option<Note> {
    let name = candidate.spec.operation.clone();
    let reasons = || {
        errors
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    if errors.iter().all(|d| d.yaml_path.starts_with("pagination"))
        && candidate.spec.pagination.is_some()
    {
        candidate.spec.pagination = None;
        return Some(Note::not_held(
            format!("apis.{name}"),
            format!(
                "no `pagination` drafted: the drafted one does not compile ({})",
                reasons()
            ),
        ));
    }
    if errors.iter().all(|d| d.yaml_path.starts_with("examples")) {
        let fallback = candidate.fallback.take()?;
        candidate.spec.examples = fallback;
        return Some(Note::not_held(
            format!("apis.{name}.responseDemo"),
            format!(
                "the published response sample does not decode against the drafted types ({}): an example written from the types stands in",
                reasons()
            ),
        ));
    }
    None
}
