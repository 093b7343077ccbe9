//! Generated crates are complete packages: their manifests inherit nothing
//! from a workspace, ask for what the runtime asks for, and `generate --out`
//! names the runtime by a path that holds from where the crates are written.
//! (That they build alone is `cargo xtask standalone`, run by `cargo xtask ci`.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("checkout")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("xtask runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The value of `path = "..."` in the runtime dependency of `manifest`.
fn runtime_path(manifest: &str) -> Option<&str> {
    let line = manifest
        .lines()
        .find(|line| line.starts_with("wiregen-runtime = "))?;
    let (_, rest) = line.split_once("path = \"")?;
    rest.split_once('"').map(|(path, _)| path)
}

fn str_arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// Written through a symbolic link two levels above its target, so a path
/// computed from the link's spelling would stop two levels short of the
/// runtime (one computed from deeper than the truth would still work: extra
/// `..` stop at `/`).
#[cfg(unix)]
#[test]
fn generate_out_names_the_checkouts_runtime_from_the_crates_real_place() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let real = scratch.path().join("a/b/real");
    std::fs::create_dir_all(&real).expect("mkdir");
    std::os::unix::fs::symlink(&real, scratch.path().join("link")).expect("symlink");
    let out = scratch.path().join("link/crates");
    let spec = root().join("spec");
    let run = xtask(&["generate", "--spec", str_arg(&spec), "--out", str_arg(&out)]);
    assert!(run.status.success(), "{}", stderr(&run));

    let crate_dir = real.join("crates/rdsai");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("manifest");
    assert!(!manifest.contains("workspace"), "{manifest}");
    let path = runtime_path(&manifest).unwrap_or_else(|| panic!("no runtime path:\n{manifest}"));
    assert!(path.starts_with("../"), "relative: {path}");
    let resolved = crate_dir
        .join(path)
        .canonicalize()
        .expect("the path exists");
    assert_eq!(resolved, root().join("runtime"));
}

#[test]
fn generate_out_can_name_the_runtime_by_version_only() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let out = scratch.path().join("crates");
    let spec = root().join("spec");
    let run = xtask(&[
        "generate",
        "--spec",
        str_arg(&spec),
        "--out",
        str_arg(&out),
        "--runtime-from-registry",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let manifest = std::fs::read_to_string(out.join("altatech/Cargo.toml")).expect("manifest");
    let line = manifest
        .lines()
        .find(|line| line.starts_with("wiregen-runtime = "))
        .unwrap_or_default();
    let version = line.trim_start_matches("wiregen-runtime = ");
    assert!(
        version.starts_with('"') && version.ends_with('"'),
        "a version only: {line}"
    );
}

#[test]
fn a_runtime_path_without_a_manifest_is_refused_before_anything_is_written() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let out = scratch.path().join("crates");
    let spec = root().join("spec");
    let run = xtask(&[
        "generate",
        "--spec",
        str_arg(&spec),
        "--out",
        str_arg(&out),
        "--runtime-path",
        str_arg(scratch.path()),
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let text = stderr(&run);
    assert!(text.contains("has no Cargo.toml"), "{text}");
    assert!(text.contains("hint: --runtime-path names"), "{text}");
    assert!(!out.exists(), "nothing written");
}

/// What cargo reads from the manifests (`cargo metadata`): every generated
/// and golden crate asks for the runtime's own version (by path), for
/// `serde` as the runtime does, and declares the runtime's rust-version and
/// licence; and none of their manifests inherits from the workspace.
#[test]
fn generated_manifests_ask_for_what_the_runtime_asks_for() {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let runtime = packages
        .iter()
        .find(|p| p["name"] == "wiregen-runtime")
        .expect("the runtime");
    let dependency = |package: &serde_json::Value, name: &str| {
        package["dependencies"]
            .as_array()
            .and_then(|deps| {
                deps.iter()
                    .find(|d| d["name"] == name && d["kind"].is_null())
            })
            .cloned()
            .unwrap_or_else(|| panic!("{} has no {name}", package["name"]))
    };
    let serde = dependency(runtime, "serde");
    let generated: Vec<&serde_json::Value> = packages
        .iter()
        .filter(|p| {
            let path = p["manifest_path"].as_str().unwrap_or_default();
            path.contains("/generated/") || path.contains("/tests/golden/")
        })
        .collect();
    assert!(generated.len() >= 5, "the generated and golden crates");
    for package in generated {
        let name = &package["name"];
        for field in ["rust_version", "license", "edition"] {
            assert_eq!(package[field], runtime[field], "{name}: {field}");
        }
        let wanted = dependency(package, "serde");
        for field in ["req", "features", "uses_default_features"] {
            assert_eq!(wanted[field], serde[field], "{name}: serde {field}");
        }
        let runtime_dep = dependency(package, "wiregen-runtime");
        assert_eq!(
            runtime_dep["req"],
            format!("^{}", runtime["version"].as_str().unwrap_or_default()),
            "{name}: the runtime of the compiler's version"
        );
        assert_eq!(
            runtime_dep["path"].as_str().map(Path::new),
            Some(root().join("runtime").as_path()),
            "{name}: the checkout's runtime"
        );
        let manifest_path = package["manifest_path"].as_str().unwrap_or_default();
        let text = std::fs::read_to_string(manifest_path).expect("manifest");
        assert!(
            !text.contains("workspace"),
            "{manifest_path} inherits:\n{text}"
        );
    }
}
