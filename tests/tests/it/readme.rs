//! Keeps the README's "Adding an operation" walk-through true: its YAML is
//! added to the real `spec/altatech` tree, compiled and generated, and the
//! client call and diff verdict the README shows are checked against the
//! result; and the walk-through is followed with the real commands in a
//! scratch copy of the checkout, where the checks CI runs must stay green.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wiregen_codegen::diff::{Impact, diff};
use wiregen_codegen::{SourceFile, compile, generate, read_spec_dir};

const NEW_FILE: &str = "spec/altatech/operations/GetMessages.yaml";

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the repo")
}

/// The fenced block that follows the line naming `path` in the README.
fn readme_block_after(path: &str) -> String {
    let readme = fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let start = readme
        .find(path)
        .unwrap_or_else(|| panic!("README no longer names {path}"));
    let rest = &readme[start..];
    let open = rest
        .find("```yaml\n")
        .expect("a yaml block after the file name")
        + "```yaml\n".len();
    let close = rest[open..].find("```").expect("the yaml block ends");
    rest[open..open + close].to_owned()
}

/// `spec/` without the README's new file, so the test also holds after a
/// reader followed the walk-through (the file then exists in `spec/`).
fn current_spec() -> Vec<SourceFile> {
    let mut files =
        read_spec_dir(&repo_root().join("spec")).unwrap_or_else(|d| panic!("spec/ reads: {d:?}"));
    files.retain(|f| f.path != NEW_FILE.trim_start_matches("spec/"));
    files
}

#[test]
fn readme_operation_compiles_generates_and_diffs_as_described() {
    let before = compile(&current_spec()).expect("spec/ compiles");

    let mut files = current_spec();
    files.push(SourceFile::new(
        NEW_FILE.trim_start_matches("spec/"),
        readme_block_after(NEW_FILE),
    ));
    let after = compile(&files).unwrap_or_else(|diagnostics| {
        let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!(
            "the README's GetMessages spec does not compile:\n{}",
            rendered.join("\n")
        )
    });

    // The generated method takes the three required parameters, in spec order,
    // as the README's call does.
    let outputs = generate(&after);
    let operation = outputs
        .iter()
        .find(|file| file.path == "generated/altatech/src/operations/get_messages.rs")
        .expect("an operation file for GetMessages");
    let signature = operation
        .contents
        .lines()
        .skip_while(|line| !line.contains("pub fn get_messages("))
        .take_while(|line| !line.contains('{'))
        .collect::<String>();
    let conversation = signature
        .find("conversation_id")
        .expect("conversation_id argument");
    let page = signature.find("page: i32").expect("page argument");
    let page_size = signature
        .find("page_size: i32")
        .expect("page_size argument");
    assert!(
        conversation < page && page < page_size,
        "argument order: {signature}"
    );
    assert!(
        operation.contents.contains("pub fn into_stream("),
        "paged: into_stream"
    );

    // The README says the change is one compatible addition.
    let findings = diff(&before, &after);
    let ids: Vec<&str> = findings.iter().map(|f| f.rule.id()).collect();
    assert_eq!(ids, ["operation-added"], "{findings:#?}");
    assert_eq!(findings[0].wire, Impact::Compatible);
    assert_eq!(findings[0].rust, Impact::Compatible);
}

#[test]
fn readme_service_yaml_compiles() {
    let service = readme_block_after("`service.yaml` says how the service is reached");
    let operation = readme_block_after(NEW_FILE);
    let files = [
        SourceFile::new("altatech/service.yaml", service),
        SourceFile::new("altatech/operations/GetMessages.yaml", operation),
    ];
    if let Err(diagnostics) = compile(&files) {
        let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!(
            "the README's service.yaml does not compile:\n{}",
            rendered.join("\n")
        );
    }
}

/// Files of the checkout as git sees them (tracked, plus new files not
/// ignored), so a scratch copy holds exactly what a commit of the working
/// tree would.
fn checkout_files(root: &Path) -> Vec<PathBuf> {
    let out = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .expect("git runs (the walk-through test copies the checkout with it)");
    assert!(out.status.success(), "git ls-files: {out:?}");
    out.stdout
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
        .filter(|name| root.join(name).is_file())
        .collect()
}

/// Copies the checkout into `to`, keeping modification times: cargo then
/// finds the shared target directory's builds of the workspace crates fresh
/// (their fingerprints name files relative to the workspace root).
fn copy_checkout(root: &Path, to: &Path) {
    for file in checkout_files(root) {
        let (from, dest) = (root.join(&file), to.join(&file));
        fs::create_dir_all(dest.parent().expect("a file has a parent")).expect("create dir");
        fs::copy(&from, &dest).expect("copy file");
        let modified = fs::metadata(&from)
            .and_then(|m| m.modified())
            .expect("mtime");
        fs::File::options()
            .write(true)
            .open(&dest)
            .and_then(|f| f.set_modified(modified))
            .expect("keep mtime");
    }
}

/// Runs `cargo args` in `dir` with this build's target directory, failing
/// the test (and killing cargo) after `limit`. Returns stdout and stderr.
fn cargo_in(dir: &Path, args: &[&str], limit: Duration) -> String {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory holds tmp/");
    // Beside the checkout, not in it.
    let log_path = dir
        .parent()
        .expect("the checkout sits in a scratch directory")
        .join(format!("cargo-{}.log", args.join("-")));
    let log = fs::File::create(&log_path).expect("log file");
    let started = Instant::now();
    let mut child = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log file"))
        .stderr(log)
        .spawn()
        .expect("cargo starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for cargo") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let output = fs::read_to_string(&log_path).unwrap_or_default();
            panic!("`cargo {}` took over {limit:?}:\n{output}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = fs::read_to_string(&log_path).expect("read log");
    eprintln!("cargo {}: {:.1?}", args.join(" "), started.elapsed());
    assert!(
        status.success(),
        "`cargo {}` failed:\n{output}",
        args.join(" ")
    );
    output
}

/// The walk-through with the README's commands, in a scratch copy of the
/// checkout: add the operation exactly as shown, `cargo xtask generate`,
/// then what would go red in `cargo xtask ci` (`cargo xtask check`, the IR
/// snapshots, a build of the changed crate). The copy shares this build's
/// target directory, so nothing but the changed crate is compiled: a few
/// seconds once the workspace is built (`cargo xtask` is, under `ci`).
#[test]
fn the_walk_through_leaves_the_checks_green_in_a_scratch_checkout() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let copy = &scratch.path().join("checkout");
    copy_checkout(repo_root(), copy);
    fs::write(copy.join(NEW_FILE), readme_block_after(NEW_FILE)).expect("write the spec");

    let minutes = |n: u64| Duration::from_secs(60 * n);
    cargo_in(copy, &["xtask", "generate"], minutes(5));
    assert!(
        copy.join("generated/altatech/src/operations/get_messages.rs")
            .is_file(),
        "generate wrote the operation"
    );
    let check = cargo_in(copy, &["xtask", "check"], minutes(5));
    assert!(check.contains("generated files are fresh"), "{check}");
    crate::ir_snapshots::snapshot_services(copy, crate::ir_snapshots::FROZEN_SPEC, "spec");
    cargo_in(copy, &["check", "--locked", "-p", "altatech"], minutes(10));
}
