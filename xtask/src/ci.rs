//! `cargo xtask ci`: everything CI checks, in one command.
//!
//! The README's test command and `.ci/run` both call this, so a green run on
//! a laptop means the same thing as a green CI run. Steps run in order and
//! stop at the first failure; `cargo test` runs last so its summary closes
//! the output.

use std::env;
use std::path::Path;
use std::process::{Command, ExitCode};

/// Arguments of `cargo xtask ci`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs every CI step.
pub fn run(_args: Args) -> ExitCode {
    let root = crate::repo_root();
    let xtask = env::current_exe().ok();
    let mut steps: Vec<(&str, Command)> = Vec::new();

    // Validation and freshness first: a stale generated/ makes every later
    // step test the wrong code.
    if let Some(xtask) = &xtask {
        let mut check = Command::new(xtask);
        check.arg("check");
        steps.push(("specs valid, generated code fresh", check));
    }
    steps.push((
        "clippy, warnings denied",
        cargo(&root, &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]),
    ));
    let mut doc = cargo(&root, &["doc", "--workspace", "--no-deps", "--locked"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    steps.push(("rustdoc, warnings denied", doc));
    steps.push(("tests", cargo(&root, &["test", "--workspace", "--locked"])));

    for (name, mut command) in steps {
        eprintln!("==> {name}");
        match command.current_dir(&root).status() {
            Ok(status) if status.success() => {}
            Ok(status) => {
                eprintln!("==> FAILED: {name} ({status})");
                return ExitCode::FAILURE;
            }
            Err(err) => {
                eprintln!("==> FAILED: {name}: could not start it: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("==> all CI steps passed");
    ExitCode::SUCCESS
}

fn cargo(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(args).current_dir(root);
    command
}
