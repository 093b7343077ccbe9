//! The diff rule catalogue, one fixture per rule: `tests/diff/rules/<rule-id>/{old,new}/`
//! are two minimal spec trees whose difference is (mainly) that rule. Each
//! report is pinned by a text snapshot; two are also pinned as JSON, which
//! pins the fingerprints.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use wiregen_codegen::compile_dir;
use wiregen_codegen::diff::rules::rule_table;
use wiregen_codegen::diff::{Report, Rule, json, text};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diff/rules")
}

fn fixture_ids() -> BTreeSet<String> {
    std::fs::read_dir(rules_dir())
        .expect("tests/diff/rules exists")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .collect()
}

/// The report of one fixture, with fixed labels so snapshots do not depend
/// on paths.
fn report(rule: &str) -> Report {
    let compile = |side: &str| {
        let dir = rules_dir().join(rule).join(side);
        let compiled = compile_dir(&dir);
        compiled.api.unwrap_or_else(|| {
            panic!(
                "{} does not compile: {:#?}",
                dir.display(),
                compiled.diagnostics
            )
        })
    };
    Report::new("old", "new", &compile("old"), &compile("new"))
}

#[test]
fn every_rule_has_a_fixture_and_every_fixture_a_rule() {
    let rules: BTreeSet<String> = Rule::ALL.iter().map(|r| r.id().to_owned()).collect();
    let fixtures = fixture_ids();
    let missing: Vec<_> = rules.difference(&fixtures).collect();
    let unknown: Vec<_> = fixtures.difference(&rules).collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture under tests/diff/rules: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "fixtures named after no rule: {unknown:?}"
    );
}

#[test]
fn each_fixture_reports_its_rule_with_the_documented_verdicts() {
    for id in fixture_ids() {
        let Some(rule) = Rule::from_id(&id) else {
            continue;
        };
        let report = report(&id);
        assert!(
            report.findings.iter().any(|f| f.rule == rule),
            "fixture {id} does not report its rule:\n{}",
            text::render(&report, false)
        );
        for f in &report.findings {
            // Fixed verdicts in the table must be what the engine says;
            // conditional ones ("breaking unless ...") are decided per case.
            let info = f.rule.info();
            for (documented, actual, side) in
                [(info.wire, f.wire, "wire"), (info.rust, f.rust, "rust")]
            {
                let expected = format!("{actual:?}").to_lowercase();
                if documented == "breaking" || documented == "compatible" {
                    assert_eq!(documented, expected, "{id}: {} {side} verdict", f.rule.id());
                }
            }
        }
        let fingerprints: BTreeSet<String> =
            report.findings.iter().map(|f| f.fingerprint()).collect();
        assert_eq!(
            fingerprints.len(),
            report.findings.len(),
            "{id}: two findings share a fingerprint"
        );
        insta::assert_snapshot!(format!("rule_{id}"), text::render(&report, false));
    }
}

#[test]
fn json_reports() {
    for id in ["request-param-added-required", "response-field-retyped"] {
        insta::assert_snapshot!(format!("json_{id}"), json::render(&report(id)));
    }
}

#[test]
fn the_readme_shows_the_current_rule_table() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README.md");
    assert!(
        readme.contains(&rule_table()),
        "README.md's rule table is stale; the current one:\n{}",
        rule_table()
    );
}
