//! The bad-spec catalogue: every directory under `tests/bad_specs/` is a
//! spec tree with one kind of mistake (one has several). Each is compiled
//! the way `cargo xtask check` does it, and its rendered diagnostics are
//! pinned with a snapshot named after the case.

use std::path::{Path, PathBuf};

use wiregen_codegen::{compile_dir, render_all};

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bad_specs")
}

fn cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(catalogue())
        .expect("tests/bad_specs exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .map(|p| {
            (
                p.file_name().expect("named").to_string_lossy().into_owned(),
                p,
            )
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_spec_is_reported() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "the catalogue shrank to {} cases",
        cases.len()
    );
    for (name, dir) in cases {
        let compiled = compile_dir(&dir);
        assert!(compiled.api.is_none(), "{name}: the bad spec compiled");
        assert!(
            compiled.diagnostics.iter().any(|d| d.is_error()),
            "{name}: no error reported"
        );
        for d in &compiled.diagnostics {
            assert!(!d.message.is_empty(), "{name}: empty message");
        }
        insta::assert_snapshot!(name.as_str(), render_all(&compiled.diagnostics));
    }
}

/// Several mistakes in one tree are all reported, not just the first.
#[test]
fn all_mistakes_are_reported_at_once() {
    let compiled = compile_dir(&catalogue().join("several_mistakes"));
    let errors = compiled.diagnostics.iter().filter(|d| d.is_error()).count();
    assert!(
        errors >= 4,
        "only {errors} errors: {}",
        render_all(&compiled.diagnostics)
    );
    let files: std::collections::BTreeSet<&str> = compiled
        .diagnostics
        .iter()
        .map(|d| d.file.as_str())
        .collect();
    assert!(
        files.len() >= 2,
        "errors of both files expected, got {files:?}"
    );
}
