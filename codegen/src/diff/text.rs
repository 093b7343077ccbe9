//! The terminal report: one block per crate, breaking changes first.

use anstyle::{AnsiColor, Style};

use super::finding::Finding;
use super::report::{Report, broken_sides, used_by, values, version_line};
use super::rules::{Category, Rule};

/// Renders the report as plain text, with ANSI colours when `color` (only
/// for a terminal: never when piped or in snapshots).
pub fn render(report: &Report, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    };
    let bold = Style::new().bold();
    let red = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into()));

    let mut out = paint(
        bold,
        &format!("API changes from {} to {}", report.from, report.to),
    );
    out.push('\n');
    if report.findings.is_empty() {
        out.push_str("\nNo changes.\n");
        return out;
    }
    for c in &report.crates {
        let findings: Vec<&Finding> = report.findings_of(&c.service).collect();
        if findings.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(&paint(
            bold,
            &format!(
                "{} (crate {}): {}",
                c.service,
                c.crate_name,
                version_line(c)
            ),
        ));
        out.push('\n');
        if let Some(problem) = &c.problem {
            out.push_str(&format!("  {}\n", paint(red, problem)));
        }
        // Documentation changes are many and never break anyone: listed
        // last, one line each.
        let (docs, changes): (Vec<&Finding>, Vec<&Finding>) = findings
            .into_iter()
            .partition(|f| f.rule == Rule::DescriptionChanged);
        for f in changes {
            let tag = if f.is_breaking() {
                paint(red, &format!("BREAKING ({})", broken_sides(f)))
            } else if f.category() == Category::Note {
                paint(yellow, "note")
            } else {
                paint(green, "compatible")
            };
            out.push_str(&format!("  {tag}  {}\n", f.rule.id()));
            out.push_str(&format!("      {}\n", f.message));
            if let Some(values) = values(f) {
                out.push_str(&format!("      {values}\n"));
            }
            if let Some(ops) = used_by(f) {
                out.push_str(&format!("      used by {ops}\n"));
            }
        }
        if !docs.is_empty() {
            out.push_str(&format!(
                "  {}  {}\n",
                paint(green, "compatible"),
                Rule::DescriptionChanged.id()
            ));
            for f in docs {
                out.push_str(&format!("      {}\n", f.message));
            }
        }
    }
    out.push_str(&format!(
        "\n{} finding(s): {} breaking ({} on the wire, {} in Rust), {} compatible\n",
        report.findings.len(),
        report.breaking(),
        report.wire_breaking(),
        report.rust_breaking(),
        report.findings.len() - report.breaking(),
    ));
    out
}
