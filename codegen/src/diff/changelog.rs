//! Keep a Changelog sections, one per crate, ready to paste on top of the
//! crate's `CHANGELOG.md`.

use super::finding::{Finding, Impact};
use super::report::{Report, used_by, values};
use super::rules::{Category, Rule};
use super::semver::CrateVersion;

/// The changelog section of every crate with changes, as
/// (crate name, section text), in service order.
pub fn sections(report: &Report) -> Vec<(String, String)> {
    report
        .crates
        .iter()
        .filter_map(|c| {
            let findings: Vec<&Finding> = report
                .findings_of(&c.service)
                .filter(|f| f.category() != Category::Note)
                .collect();
            (!findings.is_empty()).then(|| (c.crate_name.clone(), section(c, &findings)))
        })
        .collect()
}

/// Every section, each under a `# <crate>` heading, for printing.
pub fn render(report: &Report) -> String {
    let sections = sections(report);
    if sections.is_empty() {
        return "No changes.\n".into();
    }
    sections
        .iter()
        .map(|(name, text)| format!("# {name}\n\n{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn section(c: &CrateVersion, findings: &[&Finding]) -> String {
    // The release the section belongs to: the crate's new version when it
    // is enough, else the smallest one that is.
    let version = match (&c.problem, &c.new_version, &c.required_version) {
        (Some(_), _, Some(required)) => required.clone(),
        (_, Some(new), _) => new.clone(),
        _ => "Unreleased".into(),
    };
    let mut out = format!("## [{version}] - Unreleased\n");
    for category in [
        Category::Added,
        Category::Changed,
        Category::Deprecated,
        Category::Removed,
        Category::Fixed,
    ] {
        let mut entries: Vec<&&Finding> = findings
            .iter()
            .filter(|f| f.category() == category)
            .collect();
        if entries.is_empty() {
            continue;
        }
        entries.sort_by_key(|f| !f.is_breaking());
        // Documentation fixes are many and never break anyone: one entry
        // that lists them, after the changes that matter.
        let (docs, changes): (Vec<&&Finding>, Vec<&&Finding>) = entries
            .into_iter()
            .partition(|f| f.rule == Rule::DescriptionChanged);
        out.push_str(&format!("\n### {}\n\n", category.title()));
        for f in changes {
            out.push_str(&format!("- {}\n", entry(f)));
        }
        if !docs.is_empty() {
            out.push_str(&format!("- Descriptions corrected ({}):\n", docs.len()));
            for f in docs {
                let what = f
                    .message
                    .strip_suffix(": description changed")
                    .unwrap_or(&f.message);
                out.push_str(&format!("  - {what}\n"));
            }
        }
    }
    out
}

fn entry(f: &Finding) -> String {
    let marker = match (f.rust, f.wire) {
        (Impact::Breaking, _) => "**BREAKING** ",
        (_, Impact::Breaking) => "**BREAKING (wire)** ",
        _ => "",
    };
    let mut line = format!("{marker}{}", f.message);
    if let Some(values) = values(f) {
        line.push_str(&format!(" (`{values}`)"));
    }
    if let Some(ops) = used_by(f) {
        line.push_str(&format!("; used by {ops}"));
    }
    line
}
