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
         into your checkout and run the command again; `generate --spec DIR --out DIR \
         --runtime-path DIR` and `check --spec DIR` work anywhere",
        start.display()
    ))
}

/// The workspace root containing the current directory.
pub fn root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("error: can not read the current directory: {e}"))?;
    find_root(&cwd)
}

/// Package names of the workspace's hand-written members (every member
/// outside `generated/`), with their manifests: a generated crate taking
/// one of them would break every cargo command, `cargo xtask` included.
/// Members are read from the root manifest's `members = [...]` (plain
/// directories and `dir/*` globs, which is all this workspace uses).
pub fn member_packages(root: &Path) -> Vec<(String, PathBuf)> {
    let Ok(text) = std::fs::read_to_string(root.join("Cargo.toml")) else {
        return Vec::new();
    };
    let members = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("members"))
        .and_then(|rest| rest.split_once('[').map(|(_, list)| list))
        .and_then(|list| list.split_once(']').map(|(list, _)| list))
        .unwrap_or_default();
    let mut dirs = Vec::new();
    for member in members.split(',').map(|m| m.trim().trim_matches('"')) {
        if member.is_empty() || member.starts_with("generated") {
            continue;
        }
        match member.strip_suffix("/*") {
            Some(parent) => {
                let Ok(entries) = std::fs::read_dir(root.join(parent)) else {
                    continue;
                };
                dirs.extend(entries.flatten().map(|e| e.path()));
            }
            None => dirs.push(root.join(member)),
        }
    }
    let mut packages: Vec<(String, PathBuf)> = dirs
        .into_iter()
        .filter_map(|dir| {
            let manifest = dir.join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest).ok()?;
            let name = text.lines().find_map(|line| {
                let value = line.trim().strip_prefix("name")?.trim().strip_prefix('=')?;
                Some(value.trim().trim_matches('"').to_owned())
            })?;
            Some((name, manifest))
        })
        .collect();
    packages.sort();
    packages
}

/// Diagnostics for services whose crate would take the package name of a
/// hand-written workspace member.
pub fn package_clashes(
    root: &Path,
    api: &wiregen_codegen::ir::Api,
) -> Vec<wiregen_codegen::Diagnostic> {
    use wiregen_codegen::naming::package_key;
    let members = member_packages(root);
    api.services
        .iter()
        .filter_map(|svc| {
            let key = package_key(&svc.crate_name);
            let (name, manifest) = members.iter().find(|(name, _)| package_key(name) == key)?;
            Some(
                wiregen_codegen::Diagnostic::file_error(
                    format!("{}/service.yaml", svc.name),
                    format!(
                        "crate name `{}` is taken by the workspace package `{name}` ({})",
                        svc.crate_name,
                        manifest.strip_prefix(root).unwrap_or(manifest).display()
                    ),
                )
                .hint("give the service's `crate.name` a name of its own, e.g. the service name"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{find_root, member_packages};

    #[test]
    fn hand_written_members_are_found() {
        let root = find_root(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("checkout");
        let names: Vec<String> = member_packages(&root).into_iter().map(|(n, _)| n).collect();
        for expected in ["xtask", "wiregen-runtime", "golden-kitchen", "golden-plain"] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert!(
            !names.iter().any(|n| n == "rdsai"),
            "generated crates are not members to avoid"
        );
    }

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
