//! `cargo xtask generate`: compile `spec/` and write `generated/` (plus the
//! spec JSON Schemas), touching only files whose contents change; or, with
//! `--out`, crates anywhere that reach the runtime by path or by version.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use wiregen_codegen::diagnostic::sort_diagnostics;
use wiregen_codegen::ir::Api;
use wiregen_codegen::output::{self, Change};
use wiregen_codegen::{Compiled, Layout, compile_report, read_spec_dir, render_all};

/// Arguments of `cargo xtask generate`.
#[derive(clap::Args)]
pub struct Args {
    /// Spec directory to compile (default: `spec/` of the repository).
    #[arg(long, value_name = "DIR")]
    spec: Option<PathBuf>,
    /// Write the crates to `DIR/<service>/` instead of `generated/` (the
    /// spec JSON Schemas are then not written); for trying out specs.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// With `--out`: the runtime's directory (`runtime/` of a wiregen
    /// checkout), which each crate's manifest names by a path relative to
    /// the crate beside the runtime's version. Default: the runtime of the
    /// checkout this command runs in.
    #[arg(long, value_name = "DIR", requires = "out")]
    runtime_path: Option<PathBuf>,
    /// With `--out`: name the runtime by version only, for a project that
    /// takes `wiregen-runtime` from a registry (or through a `[patch]`).
    #[arg(long, requires = "out", conflicts_with = "runtime_path")]
    runtime_from_registry: bool,
    /// Print the wall time of each stage (read, compile, emit, plan, write)
    /// to stderr: the measurement behind docs/performance.md.
    #[arg(long)]
    timings: bool,
}

/// Runs the command: exit 1 (writing nothing) when the specs are invalid.
pub fn run(args: Args) -> ExitCode {
    // The checkout is only needed for what defaults to it.
    let runtime_given = args.runtime_path.is_some() || args.runtime_from_registry;
    let root = if args.spec.is_some() && args.out.is_some() && runtime_given {
        None
    } else {
        match crate::repo_root() {
            Ok(root) => Some(root),
            Err(code) => return code,
        }
    };
    let Some(spec_dir) = args
        .spec
        .clone()
        .or_else(|| root.as_ref().map(|r| r.join("spec")))
    else {
        return ExitCode::from(2);
    };
    let mut clock = Stages::new(args.timings);
    let compiled = match read_spec_dir(&spec_dir) {
        Ok(files) => {
            clock.lap("read");
            let compiled = compile_report(&files);
            clock.lap("compile");
            compiled
        }
        Err(mut diagnostics) => {
            sort_diagnostics(&mut diagnostics);
            Compiled {
                api: None,
                diagnostics,
            }
        }
    };
    if !compiled.diagnostics.is_empty() {
        eprint!("{}", render_all(&compiled.diagnostics));
    }
    let Some(api) = compiled.api else {
        eprintln!(
            "error: the specs in {} are invalid; nothing was written",
            spec_dir.display()
        );
        return ExitCode::FAILURE;
    };
    // Crates written into the workspace must not take a member's name.
    if let (None, Some(root)) = (&args.out, &root) {
        let clashes = crate::workspace::package_clashes(root, &api);
        if !clashes.is_empty() {
            eprint!("{}", render_all(&clashes));
            eprintln!("error: nothing was written");
            return ExitCode::FAILURE;
        }
    }
    let (base, layout) = match (args.out, root) {
        (Some(out), root) => {
            // The checkout was found above unless a runtime option was given.
            let runtime = if args.runtime_from_registry {
                None
            } else {
                args.runtime_path
                    .or_else(|| root.map(|r| r.join("runtime")))
            };
            match runtime.map(|dir| runtime_path_from(&out, &dir)).transpose() {
                Ok(path) => (out, Layout::crates_under("").with_runtime_path(path)),
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
        (None, Some(root)) => (root, Layout::repository()),
        (None, None) => return ExitCode::from(2),
    };
    let set = output::for_api(&api, &layout);
    clock.lap("emit");
    let (changes, unchanged) = match output::plan(&base, &set) {
        Ok(plan) => plan,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    clock.lap("plan");
    if let Err(error) = output::apply(&base, &changes) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    clock.lap("write");
    for change in &changes {
        match change {
            Change::Write { path, .. } => println!("wrote {path}"),
            Change::Remove { path } => println!("removed {path}"),
        }
    }
    println!("unchanged: {unchanged} files");
    clock.finish();
    ExitCode::SUCCESS
}

/// The runtime directory `runtime` as the manifest of a crate in `out`
/// names it: relative to `out/<service>`, with `/` separators. Both are
/// resolved first (`out` is created), so the `..` steps hold when either
/// lies behind a symbolic link.
fn runtime_path_from(out: &Path, runtime: &Path) -> Result<String, String> {
    if !runtime.join("Cargo.toml").is_file() {
        return Err(format!(
            "{} has no Cargo.toml, so it is not the runtime\n  \
             = hint: --runtime-path names the `runtime/` directory of a wiregen checkout, \
             or pass --runtime-from-registry",
            runtime.display()
        ));
    }
    let resolve = |dir: &Path| {
        dir.canonicalize()
            .map_err(|e| format!("can not resolve {}: {e}", dir.display()))
    };
    std::fs::create_dir_all(out).map_err(|e| format!("can not create {}: {e}", out.display()))?;
    let (out, runtime) = (resolve(out)?, resolve(runtime)?);
    // Every crate sits one level below `out`.
    let relative = pathdiff::diff_paths(&runtime, &out).ok_or_else(|| {
        format!(
            "no relative path from {} to {}",
            out.display(),
            runtime.display()
        )
    })?;
    let mut parts = vec![".."];
    for part in relative.components() {
        parts.push(part.as_os_str().to_str().ok_or_else(|| {
            format!(
                "{} is not UTF-8, so a manifest can not name it",
                runtime.display()
            )
        })?);
    }
    Ok(parts.join("/"))
}

/// Wall time per stage, printed by `--timings`.
struct Stages {
    start: Option<Instant>,
    last: Instant,
}

impl Stages {
    fn new(enabled: bool) -> Self {
        let now = Instant::now();
        Stages {
            start: enabled.then_some(now),
            last: now,
        }
    }

    /// Ends the stage `name` (started by the previous lap).
    fn lap(&mut self, name: &str) {
        if self.start.is_some() {
            let now = Instant::now();
            eprintln!(
                "timing: {name:<8} {:>8.1} ms",
                (now - self.last).as_secs_f64() * 1e3
            );
            self.last = now;
        }
    }

    fn finish(&self) {
        if let Some(start) = self.start {
            eprintln!(
                "timing: {:<8} {:>8.1} ms",
                "total",
                start.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}

/// The freshness check of `cargo xtask check`: prints every generated file
/// that is stale, missing or orphaned (with the first differing lines) and
/// returns `false` when there is any.
pub fn check_fresh(root: &Path, api: &Api) -> bool {
    match output::check_fresh(root, &output::for_api(api, &Layout::repository())) {
        Ok(()) => {
            println!("generated files are fresh");
            true
        }
        Err(stale) => {
            for problem in &stale {
                eprintln!("{problem}");
            }
            eprintln!(
                "error: {} generated files are out of date\nrun: cargo xtask generate",
                stale.len()
            );
            false
        }
    }
}
