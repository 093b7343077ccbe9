//! `cargo xtask diff` as a function: options in, output text and exit code
//! out, so the whole command is testable without spawning it.

use std::fs;
use std::path::PathBuf;

use super::report::Report;
use super::{changelog, git, json, markdown, text};
use crate::compile::{compile_dir, compile_report};
use crate::diagnostic::render_all;
use crate::ir::Api;
use crate::parallel;

/// Exit code: no failure.
pub const EXIT_OK: u8 = 0;
/// Exit code: breaking changes under `--fail-on-breaking`, or a crate
/// version too low under `--check-versions`.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: bad usage (an unreadable revision, an unwritable directory).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the specs on either side do not compile.
pub const EXIT_INVALID_SPECS: u8 = 3;

/// The two versions to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Two revisions of the git repository at `repo`, whose specs live in
    /// `repo/spec/`; `to: None` is the working tree.
    Git {
        /// The repository (workspace) root.
        repo: PathBuf,
        /// Old revision (`HEAD`).
        from: String,
        /// New revision; `None` for the working tree.
        to: Option<String>,
    },
    /// Two spec directories.
    Dirs {
        /// Old specs.
        from: PathBuf,
        /// New specs.
        to: PathBuf,
    },
}

/// How to print the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For a terminal.
    #[default]
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For tools (`schema_version` 1).
    Json,
    /// Keep a Changelog sections, one per crate.
    Changelog,
}

/// Everything `cargo xtask diff` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// What to compare.
    pub input: Input,
    /// Output format.
    pub format: Format,
    /// ANSI colours in the text format.
    pub color: bool,
    /// Exit 1 when any finding is breaking (on the wire or in Rust).
    pub fail_on_breaking: bool,
    /// Exit 1 when a crate's version is bumped less than its changes need.
    pub check_versions: bool,
    /// Also write `<dir>/<crate>.md` changelog sections.
    pub changelog_dir: Option<PathBuf>,
}

/// What the command prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The report.
    pub stdout: String,
    /// Diagnostics and failure reasons.
    pub stderr: String,
    /// Process exit code.
    pub code: u8,
}

impl Outcome {
    fn fail(code: u8, stderr: String) -> Outcome {
        Outcome {
            stdout: String::new(),
            stderr,
            code,
        }
    }
}

/// Runs the diff.
pub fn run(options: &Options) -> Outcome {
    let (from_label, to_label) = labels(&options.input);
    // The two sides compile independently: in parallel, they cost the
    // wall time of one.
    let sides = parallel::map(vec![Side::From, Side::To], 1, |side| {
        load_side(&options.input, side)
    });
    let mut apis = Vec::with_capacity(2);
    let mut failures = Vec::new();
    for side in sides {
        match side {
            Ok(api) => apis.push(api),
            Err(failure) => failures.push(failure),
        }
    }
    // Both sides' problems at once; a usage error (2) wins over invalid
    // specs (3): the command itself has to be fixed first.
    if let Some(code) = failures.iter().map(|failure| failure.code).min() {
        let stderr: Vec<&str> = failures.iter().map(|f| f.stderr.as_str()).collect();
        return Outcome::fail(code, stderr.join("\n"));
    }
    let [old, new] = apis.as_slice() else {
        return Outcome::fail(EXIT_USAGE, "error: expected two sides to compare\n".into());
    };
    // An empty side is nearly always a wrong revision or directory (one
    // before `spec/` existed): say so rather than report every service as
    // added or removed without comment.
    let mut stderr = String::new();
    for (label, api) in [(&from_label, old), (&to_label, new)] {
        if api.services.is_empty() {
            stderr.push_str(&format!(
                "warning: {label} has no specs (no `spec/` there?); every service of the other side shows as added or removed\n"
            ));
        }
    }
    let report = Report::new(from_label, to_label, old, new);
    let stdout = match options.format {
        Format::Text => text::render(&report, options.color),
        Format::Markdown => markdown::render(&report),
        Format::Json => json::render(&report),
        Format::Changelog => changelog::render(&report),
    };
    if let Some(dir) = &options.changelog_dir
        && let Err(e) = write_changelogs(dir, &report)
    {
        stderr.push_str(&format!("error: {e}\n"));
        return Outcome {
            stdout,
            stderr,
            code: EXIT_USAGE,
        };
    }
    let mut code = EXIT_OK;
    if options.fail_on_breaking && report.breaking() > 0 {
        stderr.push_str(&format!(
            "error: {} breaking change(s)\n",
            report.breaking()
        ));
        code = EXIT_FAILED;
    }
    if options.check_versions {
        for c in report.crates.iter().filter(|c| c.problem.is_some()) {
            stderr.push_str(&format!(
                "error: crate `{}`: {}\n",
                c.crate_name,
                c.problem.as_deref().unwrap_or_default()
            ));
            code = EXIT_FAILED;
        }
    }
    Outcome {
        stdout,
        stderr,
        code,
    }
}

#[derive(Clone, Copy)]
enum Side {
    From,
    To,
}

fn labels(input: &Input) -> (String, String) {
    match input {
        Input::Git { from, to, .. } => (
            from.clone(),
            to.clone().unwrap_or_else(|| "the working tree".into()),
        ),
        Input::Dirs { from, to } => (from.display().to_string(), to.display().to_string()),
    }
}

/// Reads and compiles one side; invalid specs render as `cargo xtask
/// check` renders them.
fn load_side(input: &Input, side: Side) -> Result<Api, Outcome> {
    let (label, compiled) = match (input, side) {
        (Input::Dirs { from, .. }, Side::From) => (from.display().to_string(), compile_dir(from)),
        (Input::Dirs { to, .. }, Side::To) => (to.display().to_string(), compile_dir(to)),
        (Input::Git { repo, to: None, .. }, Side::To) => {
            ("the working tree".into(), compile_dir(&repo.join("spec")))
        }
        (Input::Git { repo, from, .. }, Side::From) => (from.clone(), compile_rev(repo, from)?),
        (
            Input::Git {
                repo, to: Some(to), ..
            },
            Side::To,
        ) => (to.clone(), compile_rev(repo, to)?),
    };
    match compiled.api {
        Some(api) => Ok(api),
        None => Err(Outcome::fail(
            EXIT_INVALID_SPECS,
            format!(
                "error: the specs of {label} do not compile\n\n{}",
                render_all(&compiled.diagnostics)
            ),
        )),
    }
}

fn compile_rev(repo: &std::path::Path, rev: &str) -> Result<crate::Compiled, Outcome> {
    git::read_spec_at(repo, "spec", rev)
        .map(|files| compile_report(&files))
        .map_err(|e| Outcome::fail(EXIT_USAGE, format!("error: {e}\n")))
}

fn write_changelogs(dir: &std::path::Path, report: &Report) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("can not create {}: {e}", dir.display()))?;
    for (name, section) in changelog::sections(report) {
        let path = dir.join(format!("{name}.md"));
        fs::write(&path, section).map_err(|e| format!("can not write {}: {e}", path.display()))?;
    }
    Ok(())
}
