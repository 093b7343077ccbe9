//! Drift: how the curated operations of `spec/` differ from upstream's
//! metadata, in the vocabulary of `cargo xtask diff`. Imported operations
//! (marked `imported:`) are left out: they follow upstream by being
//! imported again.
//!
//! No second differ: the metadata is imported into a scratch tree, the
//! drafts of the curated operations are compiled next to the curated
//! service (whose own choices the metadata does not publish: title, error
//! shapes, service-wide codes), and the diff engine compares the two IRs.
//! Upstream's types are first renamed to the curated names they match by
//! position ([`shape`]), so the diff compares shapes, not the importer's
//! names. Findings the spec records as deliberate are left out and counted,
//! each under one of the reasons of [`deliberate::deliberate`].

pub mod deliberate;
pub mod shape;

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ImportError, Request, yaml};
use crate::compile;
use crate::diff::{Report, json, markdown, semver, text};
use crate::render_all;
use crate::source::SourceFile;
use crate::spec::{OperationSpec, ServiceSpec};
use deliberate::{Fix, deliberate};

/// Exit code of `cargo xtask import --drift` when upstream differs.
pub const EXIT_DRIFT: u8 = 4;

/// A finding left out of the drift, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// The rule id of the finding.
    pub rule: &'static str,
    /// Its location.
    pub location: String,
    /// Why it is deliberate.
    pub reason: String,
}

/// The drift of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The remaining findings (curated spec -> upstream).
    pub report: Report,
    /// Deliberate differences, left out.
    pub left_out: Vec<LeftOut>,
    /// Upstream's types renamed to the curated names they match by position.
    pub matched: BTreeMap<String, String>,
    /// Types that matched more than one type of the other side, left unrenamed.
    pub conflicts: Vec<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal.
    Text,
    /// For a ticket or pull request.
    Markdown,
    /// For tools.
    Json,
}

/// Compares the curated operations of `request.existing` with the metadata.
pub fn drift(request: &Request<'_>) -> Result<Drift, ImportError> {
    let upstream = super::draft(&Request {
        existing: &[],
        ..*request
    })?;
    let service = upstream.service.clone();
    let prefix = format!("{service}/");
    // Operations `import` drafted (marked `imported:`) follow upstream by being imported
    // again; drift is about what people wrote by hand.
    let imported = |f: &SourceFile| {
        f.path.contains("/operations/")
            && serde_yaml::from_str::<OperationSpec>(&f.text).is_ok_and(|op| op.imported.is_some())
    };
    let curated: Vec<SourceFile> = request
        .existing
        .iter()
        .filter(|f| f.path.starts_with(&prefix) && !imported(f))
        .cloned()
        .collect();
    let service_path = format!("{service}/service.yaml");
    let curated_service: ServiceSpec = curated
        .iter()
        .find(|f| f.path == service_path)
        .ok_or_else(|| {
            error(format!(
                "`spec/` has no service `{service}`: nothing to compare (pass --service NAME?)"
            ))
        })
        .and_then(|f| {
            serde_yaml::from_str(&f.text).map_err(|e| error(format!("`{}`: {e}", f.path)))
        })?;
    let drafted_service: ServiceSpec = upstream
        .files
        .iter()
        .find(|f| f.path == service_path)
        .and_then(|f| serde_yaml::from_str(&f.text).ok())
        .ok_or_else(|| error("the import drafted no service file".into()))?;
    let parse_op = |f: &SourceFile| {
        serde_yaml::from_str::<OperationSpec>(&f.text)
            .map_err(|e| error(format!("`{}`: {e}", f.path)))
    };
    let curated_ops: Vec<OperationSpec> = curated
        .iter()
        .filter(|f| f.path.contains("/operations/"))
        .map(parse_op)
        .collect::<Result<_, _>>()?;
    // Only the operations the curated spec has are compared.
    let upstream_ops: Vec<OperationSpec> = upstream
        .files
        .iter()
        .filter(|f| f.path.contains("/operations/"))
        .map(parse_op)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|u| curated_ops.iter().any(|c| c.operation == u.operation))
        .collect();
    let UpstreamSide {
        files: upstream_files,
        matching,
        mut left_out,
    } = upstream_side(
        &service,
        &curated_service,
        drafted_service,
        &curated_ops,
        upstream_ops,
    )?;
    let fixes: Vec<Fix<'_>> = curated_ops
        .iter()
        .flat_map(|op| {
            op.doc_fixes.iter().map(|f| Fix {
                operation: &op.operation,
                target: &f.target,
                fixed: &f.fixed,
            })
        })
        .collect();
    let compile_side = |files: &[SourceFile], what: &str| {
        compile(files).map_err(|d| error(format!("{what} does not compile:\n{}", render_all(&d))))
    };
    let old = compile_side(&curated, "the curated service")?;
    let new = compile_side(&upstream_files, "upstream's side")?;
    let mut report = Report::new(
        format!("spec/{service} (curated)"),
        request.label,
        &old,
        &new,
    );
    report
        .findings
        .retain(|f| match deliberate(f, &service, &fixes) {
            Some(reason) => {
                left_out.push(LeftOut {
                    rule: f.rule.id(),
                    location: f.location.clone(),
                    reason,
                });
                false
            }
            None => true,
        });
    report.crates = semver::check(&old, &new, &report.findings);
    Ok(Drift {
        report,
        left_out,
        matched: matching.renames,
        conflicts: matching.conflicts,
    })
}

/// Upstream's side of the comparison, ready to compile.
struct UpstreamSide {
    /// The service file and the drafts of the curated operations, with
    /// upstream's types renamed to the curated names they match.
    files: Vec<SourceFile>,
    /// How the types matched.
    matching: shape::Matching,
    /// Region endpoints folded into the curated template.
    left_out: Vec<LeftOut>,
}

/// What the metadata publishes (endpoints, version, shared types) on the
/// curated service's own choices, and the drafts of the curated operations,
/// both with upstream's types renamed by shape.
fn upstream_side(
    service: &str,
    curated_service: &ServiceSpec,
    drafted_service: ServiceSpec,
    curated_ops: &[OperationSpec],
    mut upstream_ops: Vec<OperationSpec>,
) -> Result<UpstreamSide, ImportError> {
    let matching = shape::match_types(
        shape::Side {
            operations: curated_ops,
            types: &curated_service.types,
        },
        shape::Side {
            operations: &upstream_ops,
            types: &drafted_service.types,
        },
    );
    let mut upstream_service = curated_service.clone();
    upstream_service.endpoints = drafted_service.endpoints;
    let left_out = deliberate::fold_endpoints(
        service,
        &curated_service.endpoints,
        &mut upstream_service.endpoints,
    );
    upstream_service.api_version = drafted_service.api_version;
    upstream_service.types = drafted_service.types;
    shape::rename_types(&mut upstream_service.types, &matching.renames);
    let mut files = vec![SourceFile::new(
        format!("{service}/service.yaml"),
        yaml::render(&upstream_service, "").map_err(error)?,
    )];
    for op in &mut upstream_ops {
        shape::rename_operation(op, &matching.renames);
        files.push(SourceFile::new(
            format!("{service}/operations/{}.yaml", op.operation),
            yaml::render(op, "").map_err(error)?,
        ));
    }
    Ok(UpstreamSide {
        files,
        matching,
        left_out,
    })
}

/// A drift error about the whole comparison (not one JSON path).
fn error(message: String) -> ImportError {
    ImportError {
        path: "$".into(),
        message,
    }
}

/// The drift report in `format`, with the types matched by position and
/// what was left out and why.
pub fn render(drift: &Drift, format: Format) -> String {
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &drift.left_out {
        *reasons.entry(l.reason.as_str()).or_default() += 1;
    }
    let summary: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} x {r}")).collect();
    let matched: Vec<String> = drift
        .matched
        .iter()
        .map(|(u, c)| format!("{u} -> {c}"))
        .collect();
    let lines = |bullet: &str, items: &[String]| {
        items
            .iter()
            .map(|l| format!("{bullet}{l}\n"))
            .collect::<String>()
    };
    match format {
        Format::Text => format!(
            "{}\nmatched {} upstream type(s) to curated names by position:\n{}{}\nleft out {} deliberate difference(s):\n{}",
            text::render(&drift.report, false),
            matched.len(),
            lines("  ", &matched),
            lines("  not matched: ", &drift.conflicts),
            drift.left_out.len(),
            lines("  ", &summary),
        ),
        Format::Markdown => format!(
            "{}\n\nMatched {} upstream type(s) to curated names by position:\n\n{}{}\nLeft out {} deliberate difference(s):\n\n{}",
            markdown::render(&drift.report),
            matched.len(),
            lines("- ", &matched),
            lines("- not matched: ", &drift.conflicts),
            drift.left_out.len(),
            lines("- ", &summary),
        ),
        Format::Json => {
            let report: serde_json::Value = serde_json::from_str(&json::render(&drift.report))
                .unwrap_or(serde_json::Value::Null);
            let doc = serde_json::json!({
                "drift": report,
                "matched": drift.matched,
                "conflicts": drift.conflicts,
                "left_out": drift.left_out,
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }
    }
}
