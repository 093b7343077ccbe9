//! `cargo xtask check`.

use std::process::ExitCode;

/// Arguments of `cargo xtask check`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("cargo xtask check: not implemented yet");
    ExitCode::from(2)
}
