//! `cargo xtask mock --service NAME [--port N]`: a generated crate's validating mock, served
//! until stopped, for manual calls and for clients in other languages (the official SDKs
//! included: point their endpoint at it).
//!
//! The server is the `mock_server` example of the test crate, which depends on every generated
//! crate with its `mock` feature; running it through cargo keeps the runtime and the HTTP stack
//! out of xtask's own build.

use std::process::{Command, ExitCode};

/// Arguments of `cargo xtask mock`.
#[derive(clap::Args)]
pub struct Args {
    /// The service to mock (a directory under `spec/`: rdsai, aicontent, altatech).
    #[arg(long)]
    service: String,
    /// Port on 127.0.0.1 (default: any free port, printed at start).
    #[arg(long, default_value_t = 0)]
    port: u16,
}

/// Builds and runs the mock server; returns its exit code.
pub fn run(args: Args) -> ExitCode {
    let root = match crate::repo_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let port = args.port.to_string();
    let status = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--locked",
            "-p",
            "wiregen-tests",
            "--example",
            "mock_server",
            "--",
            "--service",
            &args.service,
            "--port",
            &port,
        ])
        .current_dir(root)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("could not start cargo: {err}");
            ExitCode::from(2)
        }
    }
}
