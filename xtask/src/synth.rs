//! `cargo xtask synth`: write a synthetic spec tree of N operations.
//!
//! The tree is for measuring the compiler and the generated crates at sizes
//! the real specs do not reach; see `synth/specs.rs` for its shape. With
//! `--crates DIR` it also compiles the tree and writes the generated crates
//! into a stand-alone Cargo workspace at DIR (path dependency on this
//! repository's runtime, its own target directory), to measure what
//! building them costs a user. With `--flavor rest --openapi FILE` it also
//! writes the same API as an OpenAPI 3.0 document (`synth/openapi.rs`), so
//! other generators can be measured on it (`cargo xtask compare`).

pub(crate) mod openapi;
pub(crate) mod specs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wiregen_codegen::emit::generate_in;
use wiregen_codegen::{Layout, SourceFile, compile, render_all};

/// Arguments of `cargo xtask synth`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of operations, dealt over an RPC, a ROA and a REST service.
    #[arg(long)]
    pub operations: usize,
    /// Directory to write the spec tree to; must be absent or empty.
    #[arg(long)]
    pub out: PathBuf,
    /// What the tree looks like: `mixed` deals the operations over the
    /// services of `--services`; `rest` puts them all in one plain REST
    /// service that OpenAPI 3.0 can describe (no streaming, no lenient
    /// fields, objects in JSON bodies).
    #[arg(long, value_enum, default_value_t = Flavor::Mixed)]
    pub flavor: Flavor,
    /// Number of services to deal the operations over: 1 (RPC only), 2
    /// (RPC, ROA) or 3 (RPC, ROA, REST). Only with `--flavor mixed`.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub services: u8,
    /// Seed of the generator; the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also compile the tree and write its crates into a new Cargo
    /// workspace here (absent or empty; keep it outside this repository).
    #[arg(long)]
    pub crates: Option<PathBuf>,
    /// Also write the tree as an OpenAPI 3.0 JSON document to this file
    /// (needs `--flavor rest`).
    #[arg(long, value_name = "FILE")]
    pub openapi: Option<PathBuf>,
}

/// The shape of a synthetic tree.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Flavor {
    /// RPC, ROA and REST services with every spec feature.
    Mixed,
    /// One plain REST service, describable by OpenAPI 3.0.
    Rest,
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

/// Writes the spec tree (and the crates and OpenAPI document asked for);
/// returns the number of spec files.
pub fn write_tree(args: &Args) -> Result<usize, String> {
    ensure_empty(&args.out)?;
    if let Some(crates) = &args.crates {
        ensure_empty(crates)?;
    }
    let files = match args.flavor {
        Flavor::Mixed => specs::synthesize(args.operations, usize::from(args.services), args.seed),
        Flavor::Rest => specs::synthesize_rest(args.operations, args.seed),
    };
    // Checked before writing anything, so a refused run leaves no tree.
    let document = match &args.openapi {
        Some(path) => Some((path, openapi::document(&files)?)),
        None => None,
    };
    for (path, text) in &files {
        write(&args.out.join(Path::new(path)), text)?;
    }
    if let Some((path, text)) = document {
        write(path, &text)?;
    }
    if let Some(crates) = &args.crates {
        write_crates(crates, &files)?;
    }
    Ok(files.len())
}

/// Refuses to mix with existing files: stale operations from an earlier,
/// larger run would silently join the tree.
pub fn ensure_empty(dir: &Path) -> Result<(), String> {
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

pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("can not create {}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("can not write {}: {e}", path.display()))
}

/// Compiles the synthetic specs and writes the crates plus a workspace
/// manifest that builds them together.
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
    let root = crate::workspace::root()?;
    for file in generate_in(&api, &scratch_layout(&root)) {
        write(&dir.join(&file.path), &file.contents)?;
    }
    write(&dir.join("Cargo.toml"), SCRATCH_MANIFEST)
}

/// The repository's layout (crates under `generated/`) for a scratch
/// directory anywhere: the crates reach the runtime of checkout `root` by
/// its absolute path.
pub fn scratch_layout(root: &Path) -> Layout {
    let runtime = root.join("runtime").to_string_lossy().into_owned();
    Layout::repository().with_runtime_path(Some(runtime))
}

/// The manifest of a scratch workspace of generated crates (complete
/// packages, see [`scratch_layout`]): one lock file and target directory
/// for all of them, and the dev profile of the repository's workspace.
pub const SCRATCH_MANIFEST: &str = "[workspace]\nresolver = \"3\"\nmembers = [\"generated/*\"]\n\n\
     [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n";

#[cfg(test)]
mod tests {
    use super::specs::{synthesize, synthesize_rest};
    use wiregen_codegen::ir::HttpMethod;
    use wiregen_codegen::spec::{OperationSpec, ParamLocation};
    use wiregen_codegen::{SourceFile, compile, compile_report, render_all};

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

    /// The plain REST flavour: one REST service that compiles, GET-heavy,
    /// 4 to 10 query parameters per operation, JSON bodies only on POST, and
    /// nothing OpenAPI 3.0 can not describe.
    #[test]
    fn plain_rest_specs_compile_and_stay_plain() {
        let files = synthesize_rest(48, 1);
        assert_eq!(files, synthesize_rest(48, 1));
        let operations: Vec<OperationSpec> = files
            .iter()
            .filter(|(path, _)| path.contains("/operations/"))
            .map(|(_, text)| serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        assert_eq!(operations.len(), 48);
        for op in &operations {
            let query = op
                .params
                .iter()
                .filter(|p| p.location == ParamLocation::Query)
                .count();
            assert!(
                (4..=10).contains(&query),
                "{}: {query} query params",
                op.operation
            );
            let fields = op.types.values().flat_map(|t| t.fields.iter().flatten());
            assert!(fields.clone().all(|f| !f.lenient), "{}", op.operation);
            assert!(fields.clone().any(|f| f.nullable), "{}", op.operation);
            assert!(op.streaming.is_none(), "{}", op.operation);
        }
        let sources: Vec<SourceFile> = files
            .into_iter()
            .map(|(path, text)| SourceFile::new(path, text))
            .collect();
        let compiled = compile_report(&sources);
        // Not even a warning (an unused type, say): the tree is what a person would write.
        assert!(
            compiled.diagnostics.is_empty(),
            "{}",
            render_all(&compiled.diagnostics)
        );
        let api = compiled.api.expect("no diagnostics, so it compiled");
        assert_eq!(api.services.len(), 1);
        let ops = &api.services[0].operations;
        let method = |m: HttpMethod| ops.iter().filter(|o| o.http.method == m).count();
        assert!(method(HttpMethod::Get) * 2 > ops.len(), "GET-heavy");
        assert!(method(HttpMethod::Post) > 0 && method(HttpMethod::Delete) > 0);
    }
}
