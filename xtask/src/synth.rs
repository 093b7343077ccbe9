//! `cargo xtask synth`: write a synthetic spec tree of N operations.
//!
//! The tree is for measuring the compiler and the generated crates at sizes
//! the real specs do not reach; see `synth/specs.rs` for its shape.

mod specs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `cargo xtask synth`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of operations, dealt over an RPC, a ROA and a REST service.
    #[arg(long)]
    operations: usize,
    /// Directory to write the spec tree to; must be absent or empty.
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator; the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    match write_tree(&args) {
        Ok(count) => {
            eprintln!("wrote {count} spec files for {} operations to {}", args.operations, args.out.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("cargo xtask synth: {message}");
            ExitCode::FAILURE
        }
    }
}

fn write_tree(args: &Args) -> Result<usize, String> {
    // Refuse to mix with existing files: stale operations from an earlier,
    // larger run would silently join the tree.
    if let Ok(mut entries) = fs::read_dir(&args.out)
        && entries.next().is_some()
    {
        return Err(format!("{} is not empty; pass a new or empty directory", args.out.display()));
    }
    let files = specs::synthesize(args.operations, args.seed);
    for (path, text) in &files {
        let path = args.out.join(Path::new(path));
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("can not create {}: {e}", dir.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("can not write {}: {e}", path.display()))?;
    }
    Ok(files.len())
}
