//! `cargo xtask contract`: the compiler's promise, checked end to end.
//! Every hostile name ([`corpus`]) in every role is either rejected with a
//! diagnostic naming `file:line`, or accepted; and random valid spec trees
//! (the seeded `synth` generator: every protocol, type form, pagination
//! style, streaming, error shape, parameter location and style) generate.
//! The accepted names and the random trees are then generated into one
//! scratch workspace under `target/contract/`, built with
//! `cargo clippy --all-targets -- -D warnings` and documented with
//! `cargo doc` (warnings denied), sharing the checkout's target directory
//! so dependencies already built are not built again.
//!
//! `cargo xtask ci` runs it with one random tree; `--cases N` draws more.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use wiregen_codegen::naming::package_key;
use wiregen_codegen::{SourceFile, compile, emit, render_all};

use corpus::{ROLES, Role};

/// Arguments of `cargo xtask contract`.
#[derive(clap::Args)]
pub struct Args {
    /// Random spec trees to draw (12 operations over 3 services each).
    #[arg(long, default_value_t = 1)]
    cases: u64,
    /// Seed of the first random tree; tree `i` uses `seed + i`.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Check and generate only; do not build the scratch workspace.
    #[arg(long)]
    no_build: bool,
}

/// Crate names are each a crate of their own: all are classified, this
/// many of the accepted ones are built (each costs a crate build).
const CRATES_BUILT: usize = 3;

/// Runs the command: exit 0 when the contract holds, 1 when not.
pub fn run(args: Args) -> ExitCode {
    let root = match crate::repo_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    match contract(&root, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn contract(root: &Path, args: &Args) -> Result<(), String> {
    let mut sources = Vec::new();
    let mut unplaced = Vec::new();
    for role in ROLES {
        let outcome = corpus::classify(role);
        let accepted: usize = outcome.batches.iter().map(Vec::len).sum();
        println!(
            "{role:?}: {accepted} names accepted (in {} batches), {} rejected with file:line",
            outcome.batches.len(),
            outcome.rejected.len()
        );
        unplaced.extend(
            outcome
                .unplaced
                .into_iter()
                .map(|(n, d)| format!("{role:?} `{n}`: {d}")),
        );
        let mut crate_keys = Vec::new();
        for (i, batch) in outcome.batches.iter().enumerate() {
            if role == Role::Crate {
                // Distinct package names only, or the tree itself is invalid.
                let key = package_key(batch[0]);
                if crate_keys.len() >= CRATES_BUILT || crate_keys.contains(&key) {
                    continue;
                }
                crate_keys.push(key);
            }
            sources.extend(corpus::service_files(
                &format!("hostile_{}{i}", role_tag(role)),
                role,
                batch,
            ));
        }
    }
    if !unplaced.is_empty() {
        return Err(format!(
            "rejections without file:line:\n{}",
            unplaced.join("\n")
        ));
    }
    sources.extend(limits_tree());
    // The importer's drafts of the newest upstream metadata, built once here.
    sources.extend(crate::import::newest_fixture_drafts(root)?);
    for case in 0..args.cases {
        sources.extend(random_tree(args.seed + case));
    }
    let api = compile(&sources).map_err(|d| {
        format!(
            "names accepted one by one do not compile together:\n{}",
            render_all(&d)
        )
    })?;
    let dir = root.join("target/contract");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("can not clear {}: {e}", dir.display()))?;
    }
    for file in emit::generate_in(&api, &crate::synth::scratch_layout(root)) {
        write(&dir.join(&file.path), &file.contents)?;
    }
    write(&dir.join("Cargo.toml"), crate::synth::SCRATCH_MANIFEST)?;
    // The checkout's lock file: the same dependency versions, so the
    // shared target directory already holds them.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("can not copy Cargo.lock: {e}"))?;
    println!(
        "generated {} crates into {}",
        api.services.len(),
        dir.display()
    );
    if args.no_build {
        return Ok(());
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("can not run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the generated crates in {} do not build clippy-clean",
            dir.display()
        ));
    }
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["doc", "--workspace", "--no-deps"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("can not run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the generated crates in {} do not document without warnings",
            dir.display()
        ));
    }
    println!("every accepted name and random tree builds clippy-clean and documents cleanly");
    Ok(())
}

fn role_tag(role: Role) -> &'static str {
    match role {
        Role::Operation => "op",
        Role::Type => "ty",
        Role::Field => "field",
        Role::Param => "param",
        Role::EnumValue => "enum",
        Role::Crate => "krate",
    }
}

/// A service at the depth limit: a chain of named types ending in nested
/// lists, and an input of nested maps, each exactly `MAX_TYPE_DEPTH` deep,
/// so the limit `check` enforces is one rustc and clippy accept.
fn limits_tree() -> Vec<SourceFile> {
    use wiregen_codegen::MAX_TYPE_DEPTH;
    let chain = MAX_TYPE_DEPTH / 2;
    let nest = |open: &str, n: usize| format!("{}string{}", open.repeat(n), ">".repeat(n));
    let mut types = String::new();
    for i in 0..chain - 1 {
        types.push_str(&format!(
            "  L{i}:\n    fields:\n      - {{ name: next, type: L{} }}\n",
            i + 1
        ));
    }
    types.push_str(&format!(
        "  L{}:\n    fields:\n      - {{ name: deep, type: \"{}\" }}\n",
        chain - 1,
        nest("list<", MAX_TYPE_DEPTH - chain)
    ));
    types.push_str(&format!(
        "  In:\n    fields:\n      - {{ name: deep, type: \"{}\" }}\n",
        nest("map<", MAX_TYPE_DEPTH - 1)
    ));
    let service = "service: limits\ntitle: Limits\ncrate: { name: limits, version: 0.1.0 }\n\
        protocol: rest-json\nendpoints: { default: https://l.example.com }\n\
        auth: { kind: bearer, env: LIMITS_KEY }\nerrors: { shapes: [code-message] }\n";
    let op = format!(
        "operation: Deep\nsummary: Deep.\nidempotent: true\nhttp: {{ method: POST, path: /deep }}\n\
         params:\n  - {{ name: body, in: body, type: In }}\nresponse: L0\ntypes:\n{types}"
    );
    vec![
        SourceFile::new("limits/service.yaml", service),
        SourceFile::new("limits/operations/Deep.yaml", op),
    ]
}

/// One random valid tree from the `synth` generator, its services renamed
/// after the seed so several trees live side by side.
fn random_tree(seed: u64) -> Vec<SourceFile> {
    crate::synth::specs::synthesize(12, 3, seed)
        .into_iter()
        .map(|(path, text)| {
            let (service, rest) = path.split_once('/').unwrap_or((&path, ""));
            let renamed = format!("{service}{seed}");
            let text = if rest == "service.yaml" {
                text.replace(service, &renamed)
            } else {
                text
            };
            SourceFile::new(format!("{renamed}/{rest}"), text)
        })
        .collect()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("can not create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("can not write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::corpus::{ROLES, classify};

    /// Every corpus name in every role is rejected with `file:line` or
    /// accepted, and the accepted ones compile together in their batches
    /// (the build itself runs in `cargo xtask contract`).
    #[test]
    fn every_hostile_name_is_placed_or_rejected_with_a_location() {
        for role in ROLES {
            let outcome = classify(role);
            assert!(
                outcome.unplaced.is_empty(),
                "{role:?}: {:#?}",
                outcome.unplaced
            );
            assert!(!outcome.batches.is_empty(), "{role:?}: nothing accepted");
        }
    }
}
