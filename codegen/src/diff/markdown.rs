//! The pull-request comment: a summary table per crate, then the breaking
//! changes, then the rest.

use super::finding::{Finding, Impact};
use super::report::{Report, used_by, values};
use super::rules::{Category, Rule};

/// Renders the report as GitHub-flavoured Markdown.
pub fn render(report: &Report) -> String {
    let mut out = format!(
        "## API changes: {} → {}\n\n",
        code(&report.from),
        code(&report.to)
    );
    if report.findings.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    out.push_str(
        "| crate | version | breaking | other | needs | check |\n|---|---|---|---|---|---|\n",
    );
    for c in &report.crates {
        let findings: Vec<&Finding> = report.findings_of(&c.service).collect();
        if findings.is_empty() {
            continue;
        }
        let breaking = findings.iter().filter(|f| f.is_breaking()).count();
        let version = match (&c.old_version, &c.new_version) {
            (Some(a), Some(b)) => format!("{a} → {b}"),
            (None, Some(b)) => format!("new: {b}"),
            (Some(a), None) => format!("removed: {a}"),
            (None, None) => String::new(),
        };
        let needs = match (&c.required_version, c.bump_name()) {
            (Some(r), bump) if bump != "none" => format!("{r} ({bump})"),
            _ => "–".into(),
        };
        let check = match &c.problem {
            Some(problem) => format!("**fails**: {}", cell(problem)),
            None => "ok".into(),
        };
        out.push_str(&format!(
            "| {} | {version} | {breaking} | {} | {needs} | {check} |\n",
            code(&c.crate_name),
            findings.len() - breaking
        ));
    }
    let (breaking, rest): (Vec<&Finding>, Vec<&Finding>) =
        report.findings.iter().partition(|f| f.is_breaking());
    let (docs, other): (Vec<&Finding>, Vec<&Finding>) = rest
        .into_iter()
        .partition(|f| f.rule == Rule::DescriptionChanged);
    table(
        &mut out,
        &format!("Breaking changes ({})", breaking.len()),
        &breaking,
    );
    table(
        &mut out,
        &format!("Compatible changes ({})", other.len()),
        &other,
    );
    if !docs.is_empty() {
        out.push_str(&format!(
            "\n<details><summary>Documentation changes ({})</summary>\n\n",
            docs.len()
        ));
        for f in docs {
            out.push_str(&format!("- {}: {}\n", code(&f.service), f.message));
        }
        out.push_str("\n</details>\n");
    }
    out
}

fn table(out: &mut String, title: &str, findings: &[&Finding]) {
    if findings.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\n### {title}\n\n| crate | change | wire | Rust | rule |\n|---|---|---|---|---|\n"
    ));
    for f in findings {
        let mut change = cell(&f.message);
        if let Some(values) = values(f) {
            change.push_str(&format!(" ({})", code(&values)));
        }
        if let Some(ops) = used_by(f) {
            change.push_str(&format!("<br>used by {}", cell(&ops)));
        }
        if f.category() == Category::Note {
            change = format!("_note:_ {change}");
        }
        out.push_str(&format!(
            "| {} | {change} | {} | {} | {} |\n",
            code(&f.service),
            verdict(f.wire),
            verdict(f.rust),
            code(f.rule.id())
        ));
    }
}

fn verdict(impact: Impact) -> &'static str {
    match impact {
        Impact::Breaking => "**breaking**",
        Impact::Compatible => "ok",
    }
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Inline code, safe inside a table cell.
fn code(text: &str) -> String {
    format!("`{}`", cell(&text.replace('`', "'")))
}
