//! A finished diff: the findings and the version verdict per crate, which
//! every output format renders.

use super::finding::{Finding, Impact};
use super::semver::{self, CrateVersion};
use crate::ir::Api;

/// What `cargo xtask diff` found between two versions of the specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// What the old side is (`HEAD`, a directory).
    pub from: String,
    /// What the new side is (`working tree`, a directory).
    pub to: String,
    /// Every change, by service, breaking first.
    pub findings: Vec<Finding>,
    /// One version verdict per crate on either side.
    pub crates: Vec<CrateVersion>,
}

impl Report {
    /// Diffs `old` (labelled `from`) against `new` (labelled `to`).
    pub fn new(from: impl Into<String>, to: impl Into<String>, old: &Api, new: &Api) -> Report {
        let findings = super::diff(old, new);
        let crates = semver::check(old, new, &findings);
        Report {
            from: from.into(),
            to: to.into(),
            findings,
            crates,
        }
    }

    /// Findings that break callers of either kind.
    pub fn breaking(&self) -> usize {
        self.findings.iter().filter(|f| f.is_breaking()).count()
    }

    /// Findings that break callers of the HTTP API.
    pub fn wire_breaking(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.wire == Impact::Breaking)
            .count()
    }

    /// Findings that break code using the generated crates.
    pub fn rust_breaking(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.rust == Impact::Breaking)
            .count()
    }

    /// The findings of one service.
    pub fn findings_of<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.service == service)
    }
}

/// Which verdicts of a finding are breaking, as words (`wire, rust`).
pub(super) fn broken_sides(f: &Finding) -> String {
    let mut sides = Vec::new();
    if f.wire == Impact::Breaking {
        sides.push("wire");
    }
    if f.rust == Impact::Breaking {
        sides.push("rust");
    }
    sides.join(", ")
}

/// `before -> after`, when a finding has both values and they are short
/// enough to read inline (descriptions are not).
pub(super) fn values(f: &Finding) -> Option<String> {
    match (&f.before, &f.after) {
        (Some(a), Some(b)) if f.rule != super::Rule::DescriptionChanged => {
            Some(format!("{a} -> {b}"))
        }
        _ => None,
    }
}

/// The operations a finding lists, when it reaches beyond the operation
/// its message names (a shared type, a service-wide code).
pub(super) fn used_by(f: &Finding) -> Option<String> {
    let own_operation =
        f.location.split('/').nth(1) == Some("operations") && f.operations.len() == 1;
    (!own_operation && !f.operations.is_empty()).then(|| f.operations.join(", "))
}

/// One line about a crate's version: `0.1.0 -> 0.1.0, needs 0.2.0 (minor bump)`.
pub(super) fn version_line(c: &CrateVersion) -> String {
    match (&c.old_version, &c.new_version) {
        (None, Some(v)) => format!("new crate {v}"),
        (Some(v), None) => format!("removed (was {v})"),
        (Some(a), Some(b)) => {
            let mut line = format!("{a} -> {b}");
            match (&c.required_version, c.bump_name()) {
                (Some(r), bump) if bump != "none" => line.push_str(&format!(
                    ", needs {r} ({bump} bump for {} changes)",
                    c.level.name()
                )),
                _ => line.push_str(", no release needed"),
            }
            line
        }
        (None, None) => String::new(),
    }
}
