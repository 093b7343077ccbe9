//! `cargo xtask check`: validate `spec/` (every problem at once, compiler
//! style) and fail when anything generated from it is stale. Writes nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use wiregen_codegen::{Diagnostic, compile_dir, render_all};

/// Arguments of `cargo xtask check`.
#[derive(clap::Args)]
pub struct Args {
    /// Spec directory to check (default: `spec/` of the repository).
    #[arg(long, value_name = "DIR")]
    spec: Option<PathBuf>,
}

/// Runs the command: exit 0 when the specs are valid, 1 when not.
pub fn run(args: Args) -> ExitCode {
    // Outside a checkout only an explicit `--spec` can be checked (and
    // there is no generated code to compare).
    let root = crate::repo_root();
    let spec_dir = match (args.spec, &root) {
        (Some(spec), _) => spec,
        (None, Ok(root)) => root.join("spec"),
        (None, Err(code)) => return *code,
    };
    let compiled = compile_dir(&spec_dir);
    if !compiled.diagnostics.is_empty() {
        eprint!("{}", render_all(&compiled.diagnostics));
    }
    let Some(api) = compiled.api else {
        eprintln!("error: the specs in {} are invalid", spec_dir.display());
        return ExitCode::FAILURE;
    };
    if let Ok(root) = &root {
        let clashes = crate::workspace::package_clashes(root, &api);
        if !clashes.is_empty() {
            eprint!("{}", render_all(&clashes));
            return ExitCode::FAILURE;
        }
    }
    let operations: usize = api.services.iter().map(|s| s.operations.len()).sum();
    let types: usize = api.services.iter().map(|s| s.types.len()).sum();
    println!(
        "specs ok: {} services, {operations} operations, {types} types ({} warnings)",
        api.services.len(),
        compiled
            .diagnostics
            .iter()
            .filter(|d| !Diagnostic::is_error(d))
            .count()
    );
    // Generated files only follow the repository's own `spec/`.
    if let Ok(root) = root
        && spec_dir == root.join("spec")
        && !crate::generate::check_fresh(&root, &api)
    {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
