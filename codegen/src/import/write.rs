//! Putting drafts into a spec tree: never over an existing file, and never
//! half-written. Every file is first written in full to a staging directory
//! beside the tree, then renamed into place (a rename within one file
//! system is atomic), so an interrupted import leaves whole files or none.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Draft;

/// Writes the draft's files under `root` (the spec tree); returns the paths
/// written. Fails before writing anything when any target exists.
pub fn write(root: &Path, draft: &Draft) -> io::Result<Vec<PathBuf>> {
    for file in &draft.files {
        let target = root.join(&file.path);
        if target.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} exists: the importer never overwrites a spec",
                    target.display()
                ),
            ));
        }
    }
    fs::create_dir_all(root)?;
    let stage = root.join(format!(".import-staging-{}", std::process::id()));
    let result = stage_and_move(root, &stage, draft);
    // The staging directory is empty after a full move; after a failure it
    // holds only copies, never the tree's files.
    let _ = fs::remove_dir_all(&stage);
    result
}

fn stage_and_move(root: &Path, stage: &Path, draft: &Draft) -> io::Result<Vec<PathBuf>> {
    let mut staged = Vec::new();
    for (i, file) in draft.files.iter().enumerate() {
        fs::create_dir_all(stage)?;
        let tmp = stage.join(format!("{i}.yaml"));
        fs::write(&tmp, &file.text)?;
        staged.push((tmp, root.join(&file.path)));
    }
    let mut written = Vec::new();
    for (tmp, target) in staged {
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(&tmp, &target)?;
        written.push(target);
    }
    Ok(written)
}
