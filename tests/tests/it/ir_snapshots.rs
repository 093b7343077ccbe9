//! Snapshots of the IR (as YAML) for real-world specs and the fixture specs:
//! a reviewer sees every decision the compiler took (Rust names, presence,
//! pagination paths, error codes) change with the compiler.
//!
//! The real-world input is a frozen copy of `spec/`
//! (`tests/fixtures/spec-2026-12-07/`, see its README), not `spec/` itself:
//! adding an operation to `spec/`, as the README's walk-through does, must
//! leave `cargo xtask ci` green without accepting snapshots by hand, and
//! `cargo xtask check` already keeps `generated/` in step with `spec/`.

use std::path::Path;

use wiregen_codegen::{compile_dir, render_all};

/// The frozen copy of `spec/` the `spec_*` snapshots are taken from.
pub(crate) const FROZEN_SPEC: &str = "tests/fixtures/spec-2026-12-07";

/// Compiles `root/dir` and checks each service's IR against its stored
/// snapshot `<prefix>_<service>`.
pub(crate) fn snapshot_services(root: &Path, dir: &str, prefix: &str) {
    let compiled = compile_dir(&root.join(dir));
    let Some(api) = compiled.api else {
        panic!("{dir} is invalid:\n{}", render_all(&compiled.diagnostics));
    };
    assert!(!api.services.is_empty(), "{dir} has no services");
    for service in &api.services {
        insta::assert_yaml_snapshot!(format!("{prefix}_{}", service.name), service);
    }
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
}

#[test]
fn ir_of_the_real_specs() {
    snapshot_services(repo_root(), FROZEN_SPEC, "spec");
}

#[test]
fn ir_of_the_fixture_specs() {
    snapshot_services(repo_root(), "tests/fixtures/specs", "fixture");
}
