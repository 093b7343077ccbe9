//! `cargo xtask`: generate, check and diff the API specs.
//!
//! A thin command line over `wiregen-codegen`: each subcommand lives in its
//! own module and returns the process exit code.

mod check;
mod ci;
mod compare;
mod contract;
mod diff;
mod generate;
mod import;
mod mock;
mod standalone;
mod synth;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generation allocates and frees millions of small token and syntax-tree
/// nodes on several threads; mimalloc makes it ~35% cheaper in CPU time than
/// the system allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Generate, check and diff the API specs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` (and the spec JSON Schemas) from `spec/`.
    Generate(generate::Args),
    /// Validate `spec/` and fail when anything generated is stale.
    Check(check::Args),
    /// Report API changes between two versions of the specs.
    Diff(diff::Args),
    /// Run everything CI checks, in order: rustfmt, `check`, clippy, `contract`,
    /// rustdoc, the example consumer, `cargo test --workspace`.
    Ci(ci::Args),
    /// Write a synthetic spec tree of N operations (for benchmarks).
    Synth(synth::Args),
    /// Compile cost of the generated crate, wiregen against progenitor, on
    /// the same synthetic REST API.
    Compare(compare::Args),
    /// Hostile names and random specs: rejected with file:line, or generated
    /// into crates that build clippy-clean.
    Contract(contract::Args),
    /// Spec drafts from Alibaba's published API metadata (`api-docs.json`).
    Import(import::Args),
    /// The runtime and generated crates as packages: `cargo package`, a
    /// packaged crate alone in a scratch project, `generate --out` outside
    /// the repository; each builds with no help from this workspace.
    Standalone(standalone::Args),
    /// Serve a service's validating mock on 127.0.0.1 until stopped.
    Mock(mock::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate(args) => generate::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Ci(args) => ci::run(args),
        Command::Synth(args) => synth::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Contract(args) => contract::run(args),
        Command::Import(args) => import::run(args),
        Command::Standalone(args) => standalone::run(args),
        Command::Mock(args) => mock::run(args),
    }
}

/// The checkout the command works on (found from the current directory),
/// or exit code 2 after saying why there is none.
pub(crate) fn repo_root() -> Result<std::path::PathBuf, ExitCode> {
    workspace::root().map_err(|message| {
        eprintln!("{message}");
        ExitCode::from(2)
    })
}
