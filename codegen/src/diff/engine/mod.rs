//! The structural diff: two IRs in, findings out.
//!
//! Each root cause is reported once, where it is declared: a field change
//! in a named type is one finding (listing every operation that uses the
//! type), a service-wide error code is reported on the service and not again
//! on each operation. Every verdict is set where the finding is made, with a
//! comment naming the generator guarantee it relies on (see
//! [`super::rules`]).

mod compat;
mod errors;
mod operation;
mod params;
mod service;
mod types;

use std::collections::BTreeSet;

use super::finding::{Finding, Impact};
use super::rules::Rule;
use crate::ir::{Api, WireName};

/// Every change from `old` to `new`, sorted by service, then breaking
/// first, then by location.
pub fn diff(old: &Api, new: &Api) -> Vec<Finding> {
    let mut findings = Vec::new();
    let names: BTreeSet<&str> = old
        .services
        .iter()
        .chain(&new.services)
        .map(|s| s.name.as_str())
        .collect();
    for name in names {
        let before = old.services.iter().find(|s| s.name == name);
        let after = new.services.iter().find(|s| s.name == name);
        let mut sink = Sink {
            service: name,
            findings: &mut findings,
        };
        match (before, after) {
            (Some(old), Some(new)) => service::diff(old, new, &mut sink),
            (Some(old), None) => {
                sink.add(
                    Rule::ServiceRemoved,
                    "",
                    format!(
                        "service `{name}` and its crate `{}` were removed",
                        old.crate_name
                    ),
                    // Every call of the service and every use of the crate go.
                    Impact::Breaking,
                    Impact::Breaking,
                );
            }
            (None, Some(new)) => {
                sink.add(
                    Rule::ServiceAdded,
                    "",
                    format!(
                        "new service `{name}` (crate `{}` {})",
                        new.crate_name, new.crate_version
                    ),
                    // Nobody calls or uses it yet.
                    Impact::Compatible,
                    Impact::Compatible,
                );
            }
            (None, None) => {}
        }
    }
    findings.sort_by(|a, b| {
        (&a.service, !a.is_breaking(), &a.location, a.rule).cmp(&(
            &b.service,
            !b.is_breaking(),
            &b.location,
            b.rule,
        ))
    });
    findings
}

/// Collects the findings of one service.
struct Sink<'a> {
    service: &'a str,
    findings: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    /// Records a finding at `path` inside the service (empty for the service
    /// itself) and returns it, for the caller to add operations and values.
    fn add(
        &mut self,
        rule: Rule,
        path: &str,
        message: String,
        wire: Impact,
        rust: Impact,
    ) -> &mut Finding {
        let location = if path.is_empty() {
            self.service.to_owned()
        } else {
            format!("{}/{path}", self.service)
        };
        self.findings.push(Finding {
            rule,
            service: self.service.to_owned(),
            location,
            message,
            wire,
            rust,
            operations: Vec::new(),
            before: None,
            after: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Reports a changed description (documentation only, so compatible
    /// both ways) when the two differ.
    fn description(
        &mut self,
        path: &str,
        what: &str,
        old: Option<&str>,
        new: Option<&str>,
        operations: impl FnOnce() -> Vec<String>,
    ) {
        if old != new {
            let f = self.add(
                Rule::DescriptionChanged,
                path,
                format!("{what}: description changed"),
                Impact::Compatible,
                Impact::Compatible,
            );
            f.operations = operations();
            f.before = old.map(str::to_owned);
            f.after = new.map(str::to_owned);
        }
    }

    /// Reports a deprecation added or withdrawn. Deprecation is a warning
    /// for Rust callers (`#[deprecated]`), never an error, and nothing on
    /// the wire.
    fn deprecation(
        &mut self,
        path: &str,
        what: &str,
        old: bool,
        new: bool,
        operations: impl FnOnce() -> Vec<String>,
    ) {
        let (rule, message) = match (old, new) {
            (false, true) => (Rule::Deprecated, format!("{what} is deprecated")),
            (true, false) => (
                Rule::DeprecationRemoved,
                format!("{what} is no longer deprecated"),
            ),
            _ => return,
        };
        self.add(rule, path, message, Impact::Compatible, Impact::Compatible)
            .operations = operations();
    }
}

/// Operation names as a finding lists them: sorted, without duplicates.
fn finding_ops<'a>(names: impl IntoIterator<Item = &'a WireName>) -> Vec<String> {
    let set: BTreeSet<&str> = names.into_iter().map(|n| n.0.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// `Breaking` when `breaks`, else `Compatible`.
fn breaking_if(breaks: bool) -> Impact {
    if breaks {
        Impact::Breaking
    } else {
        Impact::Compatible
    }
}
