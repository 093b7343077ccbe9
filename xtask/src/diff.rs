//! `cargo xtask diff`.

use std::process::ExitCode;

/// Arguments of `cargo xtask diff`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("cargo xtask diff: not implemented yet");
    ExitCode::from(2)
}
