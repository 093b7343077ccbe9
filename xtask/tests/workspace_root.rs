//! `cargo xtask` works on the checkout it is run in, found at run time, not
//! on the one its binary was built from (a shared `CARGO_TARGET_DIR` serves
//! several clones with one binary).

use std::path::Path;
use std::process::Command;

fn xtask(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("xtask runs")
}

/// Copies this checkout's `spec/altatech` into `to/spec/altatech`.
fn copy_altatech(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/altatech");
    let ops = to.join("spec/altatech/operations");
    std::fs::create_dir_all(&ops).expect("mkdir");
    std::fs::copy(
        from.join("service.yaml"),
        to.join("spec/altatech/service.yaml"),
    )
    .expect("copy");
    for entry in std::fs::read_dir(from.join("operations")).expect("read_dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), ops.join(entry.file_name())).expect("copy");
    }
}

#[test]
fn generate_writes_into_the_checkout_it_runs_in() {
    let clone = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        clone.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .expect("write");
    std::fs::create_dir(clone.path().join("xtask")).expect("mkdir");
    copy_altatech(clone.path());
    let sub = clone.path().join("spec/altatech");
    let out = xtask(&sub, &["generate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(clone.path().join("generated/altatech/src/lib.rs").is_file());
    // `check` in the same clone now sees its own, fresh, output.
    let out = xtask(clone.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // ... and notices when that clone's output goes stale.
    std::fs::remove_file(clone.path().join("generated/altatech/src/lib.rs")).expect("rm");
    let out = xtask(clone.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn outside_a_checkout_every_command_refuses_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [&["generate"][..], &["check"], &["diff"], &["ci"]] {
        let out = xtask(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("not inside a wiregen checkout"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("read_dir").count(),
        0,
        "nothing written"
    );
}

/// A service whose crate takes a workspace member's package name is
/// refused by `generate` and `check`, and nothing is written.
#[test]
fn a_crate_named_like_a_workspace_member_is_refused() {
    let clone = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        clone.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"xtask\", \"tests/golden/*\", \"generated/*\"]\n",
    )
    .expect("write");
    std::fs::create_dir_all(clone.path().join("tests/golden/kitchen")).expect("mkdir");
    std::fs::write(
        clone.path().join("tests/golden/kitchen/Cargo.toml"),
        "[package]\nname = \"golden-kitchen\"\n",
    )
    .expect("write");
    std::fs::create_dir(clone.path().join("xtask")).expect("mkdir");
    copy_altatech(clone.path());
    let service = clone.path().join("spec/altatech/service.yaml");
    let text = std::fs::read_to_string(&service).expect("read");
    let renamed = text.replacen("name: altatech", "name: golden_kitchen", 1);
    assert_ne!(text, renamed, "the crate name was replaced");
    std::fs::write(&service, renamed).expect("write");
    for command in ["generate", "check"] {
        let out = xtask(clone.path(), &[command]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains("taken by the workspace package `golden-kitchen`"),
            "{stderr}"
        );
    }
    assert!(!clone.path().join("generated").exists(), "nothing written");
}
