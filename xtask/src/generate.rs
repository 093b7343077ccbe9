//! `cargo xtask generate`.

use std::process::ExitCode;

/// Arguments of `cargo xtask generate`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("cargo xtask generate: not implemented yet");
    ExitCode::from(2)
}
