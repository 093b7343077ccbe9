//! `cargo xtask ci`: everything CI checks, in one command.
//!
//! The README's test command and `.ci/run` both call this, so a green run on
//! a laptop means the same thing as a green CI run. Steps run in order and
//! stop at the first failure; `cargo test` runs last, and its per-binary
//! results are added up into one closing line (`tests: N passed, N failed,
//! N skipped`), because cargo's own last line is often a doc-test binary with
//! nothing in it.

use std::env;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

/// Arguments of `cargo xtask ci`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs every CI step.
pub fn run(_args: Args) -> ExitCode {
    let root = match crate::repo_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let xtask = env::current_exe().ok();
    let mut steps: Vec<(&str, Command)> = Vec::new();

    // Formatting first: it is the cheapest step. Generated crates declare
    // their modules `#[rustfmt::skip]`, so this checks the hand-written code.
    steps.push((
        "rustfmt, hand-written code formatted",
        cargo(&root, &["fmt", "--all", "--check"]),
    ));
    // Validation and freshness next: a stale generated/ makes every later
    // step test the wrong code.
    if let Some(xtask) = &xtask {
        let mut check = Command::new(xtask);
        check.arg("check");
        steps.push(("specs valid, generated code fresh", check));
    }
    steps.push((
        "clippy, warnings denied",
        cargo(
            &root,
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
        ),
    ));
    // After clippy, so the scratch workspace reuses its dependencies.
    if let Some(xtask) = &xtask {
        let mut contract = Command::new(xtask);
        contract.arg("contract");
        steps.push((
            "hostile names and a random spec tree build clippy-clean",
            contract,
        ));
    }
    let mut doc = cargo(&root, &["doc", "--workspace", "--no-deps", "--locked"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    steps.push(("rustdoc, warnings denied", doc));

    // A program outside this workspace, depending on a generated crate by path, must build
    // and work: it runs against its own server on 127.0.0.1.
    let mut consumer = cargo(
        &root,
        &[
            "run",
            "--quiet",
            "--locked",
            "--manifest-path",
            "examples/consumer/Cargo.toml",
        ],
    );
    // Its own workspace, but the checkout's target directory: the dependencies it shares with
    // the workspace are not built a second time.
    if env::var_os("CARGO_TARGET_DIR").is_none() {
        consumer.env("CARGO_TARGET_DIR", root.join("target"));
    }
    steps.push((
        "example consumer (its own workspace) builds and runs",
        consumer,
    ));
    // After clippy and the consumer: its scratch builds share their target directory.
    if let Some(xtask) = &xtask {
        let mut standalone = Command::new(xtask);
        standalone.arg("standalone");
        steps.push((
            "runtime and generated crates are packages that build alone",
            standalone,
        ));
    }
    // Its own tests: the caller's error handling, checked with errors built by hand.
    steps.push((
        "example consumer's own tests pass",
        consumer_tests(&root, "examples/consumer/Cargo.toml"),
    ));
    // A consumer's tests against the generated crate's validating mock (feature `mock` in its
    // dev-dependencies only).
    steps.push((
        "mock consumer's tests pass against the validating mock",
        consumer_tests(&root, "examples/mock-consumer/Cargo.toml"),
    ));

    for (name, mut command) in steps {
        eprintln!("==> {name}");
        match command.current_dir(&root).status() {
            Ok(status) if status.success() => {}
            Ok(status) => return failed(name, &status.to_string()),
            Err(err) => return failed(name, &format!("could not start it: {err}")),
        }
    }

    eprintln!("==> tests");
    let tests = cargo(&root, &["test", "--workspace", "--locked"]);
    match run_counting(tests) {
        Ok((status, totals)) => {
            println!(
                "tests: {} passed, {} failed, {} skipped",
                totals.passed, totals.failed, totals.ignored
            );
            if !status.success() {
                return failed("tests", &status.to_string());
            }
        }
        Err(err) => return failed("tests", &format!("could not start it: {err}")),
    }
    eprintln!("==> all CI steps passed");
    ExitCode::SUCCESS
}

fn cargo(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(args).current_dir(root);
    command
}

/// `cargo test` of a consumer in its own workspace, on the checkout's target directory so the
/// dependencies it shares with the workspace are not built a second time.
fn consumer_tests(root: &Path, manifest: &str) -> Command {
    let mut command = cargo(
        root,
        &["test", "--quiet", "--locked", "--manifest-path", manifest],
    );
    if env::var_os("CARGO_TARGET_DIR").is_none() {
        command.env("CARGO_TARGET_DIR", root.join("target"));
    }
    command
}

fn failed(step: &str, why: &str) -> ExitCode {
    eprintln!("==> FAILED: {step} ({why})");
    ExitCode::FAILURE
}

/// Test counts summed over every test binary cargo ran.
#[derive(Default)]
struct Totals {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Totals {
    /// Adds one `test result: ok. 3 passed; 0 failed; 1 ignored; ...` line.
    fn add(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(['.', ';']) {
            let mut words = part.split_whitespace();
            let (Some(count), Some(label)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }
}

/// Runs `command`, passing its output through while counting test results.
fn run_counting(mut command: Command) -> std::io::Result<(std::process::ExitStatus, Totals)> {
    let mut child = command.stdout(Stdio::piped()).spawn()?;
    let mut totals = Totals::default();
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout().lock();
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            totals.add(&line);
            writeln!(out, "{line}")?;
        }
    }
    Ok((child.wait()?, totals))
}

#[cfg(test)]
mod tests {
    use super::Totals;

    #[test]
    fn sums_cargo_test_result_lines() {
        let mut totals = Totals::default();
        totals.add("test result: ok. 39 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.05s");
        totals.add("test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s");
        totals.add("running 3 tests");
        assert_eq!((totals.passed, totals.failed, totals.ignored), (42, 1, 2));
    }
}
