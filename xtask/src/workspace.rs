//! Finding the checkout `cargo xtask` works on, at run time.
//!
//! The root is never baked in at compile time: with one `CARGO_TARGET_DIR`
//! shared by several clones, the binary built in one clone would otherwise
//! read and write the other. The root is the nearest directory, from the
//! current one upwards, whose `Cargo.toml` declares a `[workspace]` and that
//! holds both `spec/` and `xtask/`.

use std::path::{Path, PathBuf};

/// The workspace root containing `start`, or a message saying why there is
/// none (printed as is, the command then exits 2).
pub fn find_root(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let is_workspace = text.lines().any(|line| line.trim() == "[workspace]");
        if is_workspace && dir.join("spec").is_dir() && dir.join("xtask").is_dir() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "error: {} is not inside a wiregen checkout\n  = expected: a directory (or a parent) \
         whose Cargo.toml has `[workspace]` and that holds `spec/` and `xtask/`\n  = hint: `cd` \
         into your checkout and run the command again; `generate --spec DIR --out DIR` and \
         `check --spec DIR` work anywhere",
        start.display()
    ))
}

/// The workspace root containing the current directory.
pub fn root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("error: can not read the current directory: {e}"))?;
    find_root(&cwd)
}

#[cfg(test)]
mod tests {
    use super::find_root;

    #[test]
    fn the_root_is_found_from_any_subdirectory_of_this_checkout() {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = find_root(&here.join("src")).expect("inside the checkout");
        assert!(root.join("spec").is_dir() && root.join("xtask").is_dir());
        assert_eq!(Some(root.as_path()), here.parent());
    }

    #[test]
    fn outside_a_checkout_is_refused_with_a_hint() {
        let dir = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("nested")).expect("temp dir");
        // A workspace without spec/ and xtask/ is not a wiregen checkout.
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\n").expect("write");
        let err = find_root(&dir.join("nested")).expect_err("no checkout");
        std::fs::remove_dir_all(&dir).ok();
        assert!(err.contains("not inside a wiregen checkout"), "{err}");
        assert!(err.contains("hint"), "{err}");
    }
}
