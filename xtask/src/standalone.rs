//! `cargo xtask standalone`: the runtime and the generated crates as the
//! packages a user gets, checked without this workspace's help.
//!
//! 1. `cargo package` accepts the runtime and every crate of `generated/`,
//!    packaged together (so a generated crate's dependency on the runtime by
//!    version resolves to the runtime being packaged, not to a registry).
//! 2. One packaged generated crate, unpacked alone into a scratch project
//!    outside the repository that reaches the runtime through
//!    `[patch.crates-io]` (as a user's project does before the runtime is
//!    published), builds.
//! 3. `cargo xtask generate --out` into a directory outside the repository
//!    gives crates that build there, each on its own, with no workspace.
//!
//! The scratch builds are `cargo check`s sharing the checkout's target
//! directory, lock file and dev profile (a `.cargo/config.toml` carrying the
//! workspace's `[profile.*]` tables), so only the crates whose features or
//! sources differ are compiled again.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::synth::write;

/// Arguments of `cargo xtask standalone`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the three checks, stopping at the first failure.
pub fn run(_args: Args) -> ExitCode {
    let root = match crate::repo_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    match checks(&root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn checks(root: &Path) -> Result<(), String> {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    // Absolute: the scratch builds run in another directory.
    let target = std::path::absolute(&target)
        .map_err(|e| format!("can not resolve {}: {e}", target.display()))?;
    let crates = generated_packages(root)?;
    let Some((first, version, _)) = crates.first() else {
        return Err("no generated crate under generated/".to_owned());
    };
    timed(|| package_all(root, &target, &crates))?;

    // Removed when dropped, at the end of this function.
    let guard = tempfile::Builder::new()
        .prefix("wiregen-standalone-")
        .tempdir()
        .map_err(|e| format!("can not create a scratch directory: {e}"))?;
    let scratch = scratch_dir(guard.path(), root)?;
    write(
        &scratch.join(".cargo/config.toml"),
        &profile_tables(&read(&root.join("Cargo.toml"))?),
    )?;
    timed(|| packaged_crate_builds(root, &target, &scratch, first, version))?;
    timed(|| generated_crates_build(root, &target, &scratch, &crates))
}

/// Runs `step`, then prints how long it took.
fn timed(step: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    let clock = Instant::now();
    step()?;
    eprintln!("    {:.1} s", clock.elapsed().as_secs_f64());
    Ok(())
}

/// Check 1: `cargo package` of the runtime and the generated crates.
fn package_all(
    root: &Path,
    target: &Path,
    crates: &[(String, String, String)],
) -> Result<(), String> {
    let mut package = cargo(root, target);
    package.args([
        "package",
        "--no-verify",
        "--allow-dirty",
        "--locked",
        "--offline",
    ]);
    package.args(["-p", "wiregen-runtime"]);
    for (name, _, _) in crates {
        package.args(["-p", name]);
    }
    run_step(
        "cargo package: the runtime and every generated crate",
        package,
    )
}

/// Check 2: the packaged crate `name` in a user's project of its own.
fn packaged_crate_builds(
    root: &Path,
    target: &Path,
    scratch: &Path,
    name: &str,
    version: &str,
) -> Result<(), String> {
    let project = scratch.join("project");
    unpack(target, name, version, &project)?;
    write(
        &project.join("Cargo.toml"),
        &scratch_project(name, version, &root.join("runtime")),
    )?;
    let lib = format!("//! A user's crate.\npub use {};\n", name.replace('-', "_"));
    write(&project.join("src/lib.rs"), &lib)?;
    copy_lock(root, &project)?;
    let mut check = cargo(scratch, target);
    check.args(["check", "--quiet", "--offline", "--manifest-path"]);
    check.arg(project.join("Cargo.toml"));
    run_step(
        &format!("packaged {name}, alone in a scratch project, builds"),
        check,
    )
}

/// Check 3: `generate --out` into the scratch directory, each crate built
/// where it was written.
fn generated_crates_build(
    root: &Path,
    target: &Path,
    scratch: &Path,
    crates: &[(String, String, String)],
) -> Result<(), String> {
    let out = scratch.join("out");
    let exe = std::env::current_exe()
        .map_err(|e| format!("can not find this xtask binary to run `generate`: {e}"))?;
    let mut generate = Command::new(exe);
    generate
        .current_dir(root)
        .arg("generate")
        .arg("--out")
        .arg(&out);
    generate.stdout(std::process::Stdio::null());
    run_step("generate --out outside the repository", generate)?;
    for (_, _, service) in crates {
        let dir = out.join(service);
        copy_lock(root, &dir)?;
        let mut check = cargo(scratch, target);
        check.args(["check", "--quiet", "--offline", "--manifest-path"]);
        check.arg(dir.join("Cargo.toml"));
        run_step(
            &format!("{service}, generated outside, builds with no workspace"),
            check,
        )?;
    }
    Ok(())
}

/// Package name, version and directory (the service's name) of every crate
/// under `generated/`, sorted by name (from `cargo metadata`, which reads
/// the manifests as cargo does).
fn generated_packages(root: &Path) -> Result<Vec<(String, String, String)>, String> {
    let output = cargo(root, &root.join("target"))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .output()
        .map_err(|e| format!("can not run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let generated = root.join("generated");
    let mut crates: Vec<(String, String, String)> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|package| {
            let manifest = Path::new(package["manifest_path"].as_str()?);
            let dir = manifest.parent()?;
            if dir.parent()? != generated {
                return None;
            }
            Some((
                package["name"].as_str()?.to_owned(),
                package["version"].as_str()?.to_owned(),
                dir.file_name()?.to_str()?.to_owned(),
            ))
        })
        .collect();
    crates.sort();
    Ok(crates)
}

/// The scratch directory, resolved, refused inside the checkout (a crate
/// there would find the repository's workspace and prove nothing).
fn scratch_dir(dir: &Path, root: &Path) -> Result<PathBuf, String> {
    let resolve = |dir: &Path| {
        dir.canonicalize()
            .map_err(|e| format!("can not resolve {}: {e}", dir.display()))
    };
    let dir = resolve(dir)?;
    if dir.starts_with(resolve(root)?) {
        return Err(format!(
            "the temporary directory {} is inside the checkout\n  = hint: set TMPDIR to a \
             directory outside it",
            dir.display()
        ));
    }
    Ok(dir)
}

/// Unpacks `target/package/NAME-VERSION.crate` into `project/`.
fn unpack(target: &Path, name: &str, version: &str, project: &Path) -> Result<(), String> {
    let file = target.join(format!("package/{name}-{version}.crate"));
    std::fs::create_dir_all(project)
        .map_err(|e| format!("can not create {}: {e}", project.display()))?;
    let mut tar = Command::new("tar");
    tar.arg("-xzf").arg(&file).arg("-C").arg(project);
    run_step(&format!("unpack {}", file.display()), tar)
}

/// A user's project depending on the unpacked crate, with the runtime of
/// this checkout in place of the registry's.
fn scratch_project(name: &str, version: &str, runtime: &Path) -> String {
    let text = |value: &str| serde_json::Value::String(value.to_owned()).to_string();
    format!(
        "[package]\nname = \"scratch-user\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\n{name} = {{ path = {dir} }}\n\n\
         [patch.crates-io]\nwiregen-runtime = {{ path = {runtime} }}\n\n\
         # The user's own workspace, whatever directory holds it.\n[workspace]\n",
        dir = text(&format!("{name}-{version}")),
        runtime = text(&runtime.to_string_lossy()),
    )
}

/// The `[profile.*]` tables of the workspace manifest `text`, as a cargo
/// configuration file: scratch builds then compile dependencies exactly as
/// the workspace does, and find them in the shared target directory.
fn profile_tables(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with('[') {
            inside = line.starts_with("[profile.");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The checkout's lock file in `dir`: the dependency versions CI tested,
/// already built in the shared target directory.
fn copy_lock(root: &Path, dir: &Path) -> Result<(), String> {
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map(drop)
        .map_err(|e| format!("can not copy Cargo.lock to {}: {e}", dir.display()))
}

fn cargo(dir: &Path, target: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(dir).env("CARGO_TARGET_DIR", target);
    command
}

fn run_step(name: &str, mut command: Command) -> Result<(), String> {
    eprintln!("--> {name}");
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{name}: {status}")),
        Err(e) => Err(format!("{name}: could not start it: {e}")),
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("can not read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::profile_tables;

    #[test]
    fn keeps_only_the_profile_tables() {
        let manifest = "[workspace]\nmembers = []\n\n[profile.dev]\ndebug = false\n\n\
                        [workspace.lints.rust]\nx = 1\n[profile.dev.package.\"*\"]\nopt-level = 1\n";
        assert_eq!(
            profile_tables(manifest),
            "[profile.dev]\ndebug = false\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n"
        );
    }
}
