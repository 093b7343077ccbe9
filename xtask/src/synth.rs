//! `cargo xtask synth`: write a synthetic spec tree of N operations.
//!
//! The tree is for measuring the compiler and the generated crates at sizes
//! the real specs do not reach; see `synth/specs.rs` for its shape. With
//! `--crates DIR` it also compiles the tree and writes the generated crates
//! into a stand-alone Cargo workspace at DIR (path dependency on this
//! repository's runtime, its own target directory), to measure what
//! building them costs a user.

pub(crate) mod specs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wiregen_codegen::{SourceFile, compile, generate, render_all};

/// Arguments of `cargo xtask synth`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of operations, dealt over an RPC, a ROA and a REST service.
    #[arg(long)]
    operations: usize,
    /// Directory to write the spec tree to; must be absent or empty.
    #[arg(long)]
    out: PathBuf,
    /// Number of services to deal the operations over: 1 (RPC only), 2
    /// (RPC, ROA) or 3 (RPC, ROA, REST).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=3))]
    services: u8,
    /// Seed of the generator; the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also compile the tree and write its crates into a new Cargo
    /// workspace here (absent or empty; keep it outside this repository).
    #[arg(long)]
    crates: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    match write_tree(&args) {
        Ok(count) => {
            eprintln!(
                "wrote {count} spec files for {} operations to {}",
                args.operations,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("cargo xtask synth: {message}");
            ExitCode::FAILURE
        }
    }
}

fn write_tree(args: &Args) -> Result<usize, String> {
    ensure_empty(&args.out)?;
    if let Some(crates) = &args.crates {
        ensure_empty(crates)?;
    }
    let files = specs::synthesize(args.operations, usize::from(args.services), args.seed);
    for (path, text) in &files {
        write(&args.out.join(Path::new(path)), text)?;
    }
    if let Some(crates) = &args.crates {
        write_crates(crates, &files)?;
    }
    Ok(files.len())
}

/// Refuses to mix with existing files: stale operations from an earlier,
/// larger run would silently join the tree.
fn ensure_empty(dir: &Path) -> Result<(), String> {
    let empty = fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none());
    if empty {
        Ok(())
    } else {
        Err(format!(
            "{} is not empty; pass a new or empty directory",
            dir.display()
        ))
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("can not create {}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("can not write {}: {e}", path.display()))
}

/// Compiles the synthetic specs and writes the crates plus a workspace
/// manifest that gives them what the repository's workspace gives
/// `generated/` (shared package fields, `serde`, the runtime, lints).
fn write_crates(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile::new(path.clone(), text.clone()))
        .collect();
    let api = compile(&sources).map_err(|diagnostics| {
        format!(
            "the synthetic specs do not compile (a bug in synth):\n{}",
            render_all(&diagnostics)
        )
    })?;
    for file in generate(&api) {
        write(&dir.join(&file.path), &file.contents)?;
    }
    let manifest = scratch_manifest(&crate::workspace::root()?);
    write(&dir.join("Cargo.toml"), &manifest)
}

/// The manifest of a scratch workspace of generated crates: what the
/// repository's workspace gives `generated/` (shared package fields,
/// `serde`, the runtime of checkout `root`, lints, the dev profile).
pub fn scratch_manifest(root: &Path) -> String {
    let runtime = root.join("runtime");
    format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\"generated/*\"]\n\n\
         [workspace.package]\nrust-version = \"1.95\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n\n\
         [workspace.dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
         wiregen-runtime = {{ path = {runtime:?} }}\n\n\
         [workspace.lints.rust]\nunsafe_code = \"forbid\"\nmissing_docs = \"warn\"\n\
         unused_qualifications = \"warn\"\n\n\
         [workspace.lints.clippy]\nall = {{ level = \"warn\", priority = -1 }}\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n"
    )
}

#[cfg(test)]
mod tests {
    use super::specs::synthesize;
    use wiregen_codegen::{SourceFile, compile, render_all};

    /// The same seed gives the same files, and the tree stays valid as the
    /// validator evolves (otherwise the benchmarks would measure errors).
    #[test]
    fn synthetic_specs_are_deterministic_and_compile() {
        let files = synthesize(40, 3, 7);
        assert_eq!(files, synthesize(40, 3, 7));
        assert_ne!(files, synthesize(40, 3, 8), "the seed matters");
        let sources: Vec<SourceFile> = files
            .into_iter()
            .map(|(path, text)| SourceFile::new(path, text))
            .collect();
        let api = compile(&sources).unwrap_or_else(|d| panic!("{}", render_all(&d)));
        let operations: usize = api.services.iter().map(|s| s.operations.len()).sum();
        assert_eq!((api.services.len(), operations), (3, 40));
        let streaming = api
            .services
            .iter()
            .flat_map(|s| &s.operations)
            .filter(|o| o.streaming.is_some());
        assert!(streaming.count() > 0, "some operations stream");
    }
}
