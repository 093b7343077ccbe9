//! `cargo xtask diff`: what changed in the API between two versions of the
//! specs, whom it breaks, and the version bump each crate needs. The logic
//! lives in `wiregen_codegen::diff`; this module only maps arguments.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use wiregen_codegen::diff::{self, Format, Input, Options};

/// Arguments of `cargo xtask diff`.
#[derive(clap::Args)]
pub struct Args {
    /// Old git revision (specs read from `spec/` with git, no checkout).
    #[arg(long, value_name = "REV", default_value = "HEAD", conflicts_with_all = ["from_dir", "to_dir"])]
    from: String,
    /// New git revision [default: the working tree].
    #[arg(long, value_name = "REV", conflicts_with_all = ["from_dir", "to_dir"])]
    to: Option<String>,
    /// Old spec directory, instead of a revision.
    #[arg(long, value_name = "DIR", requires = "to_dir")]
    from_dir: Option<PathBuf>,
    /// New spec directory, instead of a revision.
    #[arg(long, value_name = "DIR", requires = "from_dir")]
    to_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Exit 1 when any change breaks callers (of the HTTP API or of the crates).
    #[arg(long)]
    fail_on_breaking: bool,
    /// Exit 1 when a crate's version (`crate.version` in its `service.yaml`)
    /// is bumped less than its changes need.
    #[arg(long)]
    check_versions: bool,
    /// Also write a Keep a Changelog section per crate to `DIR/<crate>.md`.
    #[arg(long, value_name = "DIR")]
    changelog: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    /// For a terminal (coloured only on a terminal, and never with NO_COLOR).
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For tools: `{"schema_version": 1, ...}`.
    Json,
    /// Keep a Changelog sections.
    Changelog,
}

/// Runs the command. Exit codes: 0 ok, 1 breaking changes or versions too
/// low (when asked to fail on them), 2 usage, 3 invalid specs.
pub fn run(args: Args) -> ExitCode {
    let input = match (args.from_dir, args.to_dir) {
        (Some(from), Some(to)) => Input::Dirs { from, to },
        _ => Input::Git {
            repo: match crate::repo_root() {
                Ok(root) => root,
                Err(code) => return code,
            },
            from: args.from,
            to: args.to,
        },
    };
    // https://no-color.org: set and not empty disables colour.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = Options {
        input,
        format: match args.format {
            FormatArg::Text => Format::Text,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Json => Format::Json,
            FormatArg::Changelog => Format::Changelog,
        },
        color: std::io::stdout().is_terminal() && !no_color,
        fail_on_breaking: args.fail_on_breaking,
        check_versions: args.check_versions,
        changelog_dir: args.changelog,
    };
    let outcome = diff::run(&options);
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}
