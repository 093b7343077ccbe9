//! Snapshots of the IR (as YAML) for the real specs and the fixture specs:
//! a reviewer sees every decision the compiler took (Rust names, presence,
//! pagination paths, error codes) change with the spec.

use std::path::Path;

use wiregen_codegen::{compile_dir, render_all};

fn snapshot_services(dir: &str, prefix: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .join(dir);
    let compiled = compile_dir(&root);
    let Some(api) = compiled.api else {
        panic!("{dir} is invalid:\n{}", render_all(&compiled.diagnostics));
    };
    assert!(!api.services.is_empty(), "{dir} has no services");
    for service in &api.services {
        insta::assert_yaml_snapshot!(format!("{prefix}_{}", service.name), service);
    }
}

#[test]
fn ir_of_the_real_specs() {
    snapshot_services("spec", "spec");
}

#[test]
fn ir_of_the_fixture_specs() {
    snapshot_services("tests/fixtures/specs", "fixture");
}
