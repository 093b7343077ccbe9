//! The real-world case: the five operations as the 2026-03-05 seed documents
//! describe them (`tests/diff/seed-era/`) against the specs as they stood
//! on 2026-12-01 (`tests/diff/spec-2026-12-01/`, a frozen copy of `spec/`,
//! so that adding an operation to `spec/` does not change these reports).
//! The reports read as the changelog of the doc fixes: new `WorkspaceId`
//! parameters, new response fields, type corrections.

use std::path::Path;

use wiregen_codegen::compile_dir;
use wiregen_codegen::diff::{Report, Rule, changelog, markdown};
use wiregen_codegen::ir::Api;

fn compile(dir: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let compiled = compile_dir(&path);
    compiled.api.unwrap_or_else(|| {
        panic!(
            "{} does not compile: {:#?}",
            path.display(),
            compiled.diagnostics
        )
    })
}

fn report() -> Report {
    Report::new(
        "seed documents (2026-03-05)",
        "spec/ (2026-12-01)",
        &compile("diff/seed-era"),
        &compile("diff/spec-2026-12-01"),
    )
}

#[test]
fn seed_era_to_today_as_markdown() {
    insta::assert_snapshot!(markdown::render(&report()));
}

#[test]
fn seed_era_to_today_as_changelog() {
    insta::assert_snapshot!(changelog::render(&report()));
}

#[test]
fn the_doc_fixes_show_up_as_such() {
    let report = report();
    let has = |rule: Rule, needle: &str| {
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && f.message.contains(needle))
    };
    assert!(
        has(Rule::RequestParamAddedOptional, "`WorkspaceId`"),
        "WorkspaceId parameters"
    );
    // `Limit` was documented as a string; it is a number.
    assert!(
        has(Rule::RequestParamRetyped, "`Limit`"),
        "Limit type correction"
    );
    // Every finding is placed in a service that exists on one side.
    for f in &report.findings {
        assert!(
            report.crates.iter().any(|c| c.service == f.service),
            "{f:?}"
        );
    }
}
