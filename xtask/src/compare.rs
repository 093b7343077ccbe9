//! `cargo xtask compare`: what a generated API crate costs its users, wiregen
//! against progenitor, on the same synthetic API.
//!
//! It writes a plain REST tree with `synth` and its OpenAPI twin, generates
//! a crate from each (timing the generator CLIs), puts each in its own
//! scratch workspace and target directory with the same dev profile,
//! builds their dependencies once, then for every round, alternating the
//! two so both see the same machine load: `cargo clean -p` and a timed
//! `cargo check`, then the same for `cargo build` (debug, not incremental).
//! It prints the medians, their ratios, generated lines per operation and
//! the load average before and after. Without `cargo progenitor` (or with
//! `--wiregen-only`) it measures wiregen alone.

mod measure;

use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};

use measure::{Sample, median, timed};

use crate::synth;

/// How to install the generator compared against (never done from here).
const INSTALL_PROGENITOR: &str = "cargo install cargo-progenitor --version 0.15.1 --locked";

/// Arguments of `cargo xtask compare`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of operations of the synthetic REST API.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    operations: u32,
    /// Timed rounds of each step; medians are reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Scratch directory (absent or empty, outside this repository).
    #[arg(long)]
    dir: PathBuf,
    /// Seed of the synthetic API.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Measure wiregen only, even where progenitor is installed.
    #[arg(long)]
    wiregen_only: bool,
}

/// One generated crate under measurement.
struct Side {
    name: &'static str,
    /// Cargo package name.
    krate: String,
    /// Its scratch workspace.
    workspace: PathBuf,
    /// Where its `.rs` files are.
    sources: PathBuf,
    generate: Vec<f64>,
    check: Vec<Sample>,
    build: Vec<Sample>,
}

impl Side {
    fn new(name: &'static str, krate: &str, workspace: PathBuf, sources: PathBuf) -> Self {
        Side {
            name,
            krate: krate.to_owned(),
            workspace,
            sources,
            generate: Vec::new(),
            check: Vec::new(),
            build: Vec::new(),
        }
    }

    /// `cargo SUBCOMMAND` in this side's workspace, with its own target
    /// directory and incremental compilation off.
    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = Command::new("cargo");
        command
            .args(args)
            .current_dir(&self.workspace)
            .env("CARGO_TARGET_DIR", self.workspace.join("target"))
            .env("CARGO_INCREMENTAL", "0");
        command
    }

    /// `cargo clean -p CRATE`, then a timed `cargo STEP`.
    fn measure(&self, step: &str, scratch: &Path) -> Result<Sample, String> {
        let what = format!("{}: cargo clean -p {}", self.name, self.krate);
        timed(
            &what,
            self.cargo(&["clean", "-q", "-p", &self.krate]),
            scratch,
        )?;
        timed(
            &format!("{}: cargo {step}", self.name),
            self.cargo(&[step, "-q"]),
            scratch,
        )
    }
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let root = match crate::repo_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    match compare(&args, &root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cargo xtask compare: {message}");
            ExitCode::FAILURE
        }
    }
}

fn compare(args: &Args, root: &Path) -> Result<(), String> {
    let dir = outside(&args.dir, root)?;
    synth::ensure_empty(&dir)?;
    let with_progenitor = !args.wiregen_only && progenitor_installed();
    let load_before = measure::load_average();
    let openapi = dir.join("openapi.json");
    let spec = dir.join("spec");
    synth::write_tree(&synth::Args {
        operations: args.operations as usize,
        out: spec.clone(),
        flavor: synth::Flavor::Rest,
        services: 1,
        seed: args.seed,
        crates: None,
        openapi: Some(openapi.clone()),
    })?;
    let scratch = dir.join("scratch");
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("can not create {}: {e}", scratch.display()))?;

    let wiregen_dir = dir.join("wiregen");
    synth::write(&wiregen_dir.join("Cargo.toml"), synth::SCRATCH_MANIFEST)?;
    let mut wiregen = Side::new(
        "wiregen",
        "synthrest",
        wiregen_dir.clone(),
        wiregen_dir.join("generated"),
    );
    let mut progenitor = with_progenitor.then(|| {
        let workspace = dir.join("progenitor");
        let sources = workspace.join("src");
        Side::new("progenitor", "synthrest-progenitor", workspace, sources)
    });
    let exe = std::env::current_exe()
        .map_err(|e| format!("can not find this xtask binary to time its `generate`: {e}"))?;

    // Generate once per round, alternating; the first round's crates are
    // the ones built, the others go to throwaway directories.
    for round in 0..args.runs {
        let out = if round == 0 {
            wiregen.sources.clone()
        } else {
            scratch.join(format!("wiregen-{round}"))
        };
        let mut command = Command::new(&exe);
        command
            .arg("generate")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .arg("--runtime-path")
            .arg(root.join("runtime"));
        let sample = timed("wiregen: generate", command, &scratch)?;
        wiregen.generate.push(sample.seconds);
        if let Some(side) = &mut progenitor {
            let out = if round == 0 {
                side.workspace.clone()
            } else {
                scratch.join(format!("progenitor-{round}"))
            };
            let mut command = Command::new("cargo");
            command
                .arg("progenitor")
                .arg("-i")
                .arg(&openapi)
                .arg("-o")
                .arg(&out);
            command.args(["-n", &side.krate, "-v", "0.1.0"]);
            let sample = timed("progenitor: cargo progenitor", command, &scratch)?;
            side.generate.push(sample.seconds);
        }
    }
    if let Some(side) = &progenitor {
        own_workspace(&side.workspace.join("Cargo.toml"))?;
    }

    let mut sides: Vec<&mut Side> = std::iter::once(&mut wiregen)
        .chain(progenitor.as_mut())
        .collect();
    eprintln!("building the dependencies of both crates once (not timed)...");
    for side in &sides {
        for step in ["build", "check"] {
            timed(
                &format!("{}: first cargo {step}", side.name),
                side.cargo(&[step, "-q"]),
                &scratch,
            )?;
        }
    }
    for round in 1..=args.runs {
        eprintln!("round {round} of {}...", args.runs);
        for step in ["check", "build"] {
            for side in sides.iter_mut() {
                let sample = side.measure(step, &scratch)?;
                match step {
                    "check" => side.check.push(sample),
                    _ => side.build.push(sample),
                }
            }
        }
    }
    let load_after = measure::load_average();

    print_report(
        args,
        &wiregen,
        progenitor.as_ref(),
        &load_before,
        &load_after,
    )?;
    if progenitor.is_none() && !args.wiregen_only {
        println!(
            "\nprogenitor is not installed, so wiregen was measured alone; to compare, run\n  \
             {INSTALL_PROGENITOR}\nand this command again."
        );
    }
    Ok(())
}

/// The scratch directory as an absolute path, refused when it lies inside
/// the repository (its crates would join the workspace, its target
/// directory would be committed or cleaned with the repository's).
fn outside(dir: &Path, root: &Path) -> Result<PathBuf, String> {
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("can not read the current directory: {e}"))?
            .join(dir)
    };
    // Resolve symbolic links through the part that exists already.
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .map_err(|e| format!("can not resolve {}: {e}", existing.display()))?;
    for name in missing.iter().rev() {
        resolved.push(name);
    }
    let root = root
        .canonicalize()
        .map_err(|e| format!("can not resolve {}: {e}", root.display()))?;
    let dotted = resolved
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::CurDir));
    if dotted || resolved.starts_with(&root) {
        return Err(format!(
            "{} is inside the repository {} (or not a plain path)\n\
             hint: pass a directory outside it, e.g. --dir /tmp/compare",
            dir.display(),
            root.display()
        ));
    }
    Ok(resolved)
}

/// Whether `cargo progenitor` is a cargo subcommand here.
fn progenitor_installed() -> bool {
    Command::new("cargo")
        .arg("--list")
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|line| line.split_whitespace().next() == Some("progenitor"))
        })
}

/// Makes progenitor's crate a workspace of its own (so no workspace above
/// the scratch directory claims it) with the dev profile of wiregen's
/// scratch workspace (`synth::SCRATCH_MANIFEST`), so both build alike.
fn own_workspace(manifest: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| format!("can not read {}: {e}", manifest.display()))?;
    let text = format!(
        "{text}\n[workspace]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n"
    );
    synth::write(manifest, &text)
}

/// One row of the table: wiregen's and progenitor's figures.
struct Row {
    what: &'static str,
    wiregen: Option<f64>,
    progenitor: Option<f64>,
    /// Decimal places.
    places: usize,
}

fn print_report(
    args: &Args,
    wiregen: &Side,
    progenitor: Option<&Side>,
    load_before: &str,
    load_after: &str,
) -> Result<(), String> {
    let per_op = |side: &Side| -> Result<f64, String> {
        Ok(measure::rust_lines(&side.sources)? as f64 / f64::from(args.operations))
    };
    let seconds =
        |samples: &[Sample]| median(&samples.iter().map(|s| s.seconds).collect::<Vec<_>>());
    let mib = |samples: &[Sample]| {
        let peaks: Option<Vec<f64>> = samples
            .iter()
            .map(|s| s.peak_kib.map(|k| k as f64 / 1024.0))
            .collect();
        peaks.and_then(|peaks| median(&peaks))
    };
    let both = |f: &dyn Fn(&Side) -> Option<f64>| (f(wiregen), progenitor.and_then(f));
    let lines = (Some(per_op(wiregen)?), progenitor.map(per_op).transpose()?);
    let rows = [
        ("generate, CLI wall (s)", both(&|s| median(&s.generate)), 3),
        ("generated lines per operation", lines, 0),
        ("cargo check, wall (s)", both(&|s| seconds(&s.check)), 2),
        ("cargo build, wall (s)", both(&|s| seconds(&s.build)), 2),
        ("cargo check, peak RSS (MiB)", both(&|s| mib(&s.check)), 0),
        ("cargo build, peak RSS (MiB)", both(&|s| mib(&s.build)), 0),
    ]
    .map(|(what, (wiregen, progenitor), places)| Row {
        what,
        wiregen,
        progenitor,
        places,
    });

    println!(
        "{} operations of one REST service (synth --flavor rest, seed {}); medians of {} \
         interleaved rounds; debug, CARGO_INCREMENTAL=0, dependencies prebuilt; \
         each check/build after `cargo clean -p CRATE`",
        args.operations, args.seed, args.runs
    );
    println!("load average before: {load_before}");
    println!();
    println!(
        "| {:<31} | {:>10} | {:>10} | {:>18} |",
        "what", "wiregen", "progenitor", "progenitor/wiregen"
    );
    println!("|{:-<33}|{:->12}|{:->12}|{:->20}|", "", "", "", "");
    let cell = |value: Option<f64>, places: usize| {
        value.map_or_else(|| "-".to_owned(), |v| format!("{v:.places$}"))
    };
    for row in &rows {
        let ratio = match (row.wiregen, row.progenitor) {
            (Some(w), Some(p)) if w > 0.0 => Some(p / w),
            _ => None,
        };
        println!(
            "| {:<31} | {:>10} | {:>10} | {:>18} |",
            row.what,
            cell(row.wiregen, row.places),
            cell(row.progenitor, row.places),
            cell(ratio, 2)
        );
    }
    println!();
    println!("load average after: {load_after}");
    for side in std::iter::once(wiregen).chain(progenitor) {
        let list = |values: Vec<f64>| {
            values
                .iter()
                .map(|v| format!("{v:.3}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        println!(
            "{} runs (s): generate {}; check {}; build {}",
            side.name,
            list(side.generate.clone()),
            list(side.check.iter().map(|s| s.seconds).collect()),
            list(side.build.iter().map(|s| s.seconds).collect()),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::outside;

    #[test]
    fn refuses_directories_inside_the_repository() {
        let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = repo.path();
        for inside in [
            root.join("target/cmp"),
            root.to_path_buf(),
            root.join("a/../b"),
        ] {
            let error = outside(&inside, root).err();
            assert!(error.is_some(), "{} must be refused", inside.display());
        }
        let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let dir = elsewhere.path().join("new/cmp");
        let resolved = outside(&dir, root).unwrap_or_else(|e| panic!("{e}"));
        assert!(resolved.ends_with("new/cmp"));
        assert!(!resolved.starts_with(root.canonicalize().unwrap_or_default()));
    }
}
