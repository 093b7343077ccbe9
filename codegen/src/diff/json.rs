//! The machine-readable report. Its shape is versioned by
//! `schema_version`: fields may be added within a version, never renamed or
//! removed.

use serde::Serialize;

use super::finding::{Finding, Impact};
use super::report::Report;
use super::rules::Category;
use super::semver::Level;

/// The current `schema_version`.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    from: &'a str,
    to: &'a str,
    summary: Summary,
    crates: Vec<Crate<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    breaking: usize,
    wire_breaking: usize,
    rust_breaking: usize,
}

#[derive(Serialize)]
struct Crate<'a> {
    service: &'a str,
    #[serde(rename = "crate")]
    crate_name: &'a str,
    old_version: Option<&'a str>,
    new_version: Option<&'a str>,
    level: Level,
    bump: &'static str,
    required_version: Option<&'a str>,
    version_ok: bool,
    problem: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    fingerprint: String,
    rule: &'static str,
    category: Category,
    service: &'a str,
    location: &'a str,
    wire: Impact,
    rust: Impact,
    message: &'a str,
    operations: &'a [String],
    before: Option<&'a str>,
    after: Option<&'a str>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            fingerprint: f.fingerprint(),
            rule: f.rule.id(),
            category: f.category(),
            service: &f.service,
            location: &f.location,
            wire: f.wire,
            rust: f.rust,
            message: &f.message,
            operations: &f.operations,
            before: f.before.as_deref(),
            after: f.after.as_deref(),
        }
    }
}

/// Renders the report as pretty-printed JSON (ending in a newline).
pub fn render(report: &Report) -> String {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        from: &report.from,
        to: &report.to,
        summary: Summary {
            findings: report.findings.len(),
            breaking: report.breaking(),
            wire_breaking: report.wire_breaking(),
            rust_breaking: report.rust_breaking(),
        },
        crates: report
            .crates
            .iter()
            .map(|c| Crate {
                service: &c.service,
                crate_name: &c.crate_name,
                old_version: c.old_version.as_deref(),
                new_version: c.new_version.as_deref(),
                level: c.level,
                bump: c.bump_name(),
                required_version: c.required_version.as_deref(),
                version_ok: c.problem.is_none(),
                problem: c.problem.as_deref(),
            })
            .collect(),
        findings: report.findings.iter().map(JsonFinding::from).collect(),
    };
    // Serialising plain structs of strings and numbers can not fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
