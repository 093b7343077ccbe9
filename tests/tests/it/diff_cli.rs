//! `cargo xtask diff` end to end, through `wiregen_codegen::diff::run` (the
//! function the xtask binary calls): directory and git inputs, exit codes,
//! version checks, changelog files, colour.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use wiregen_codegen::diff::cli::{EXIT_FAILED, EXIT_INVALID_SPECS, EXIT_OK, EXIT_USAGE};
use wiregen_codegen::diff::{Format, Input, Options, Outcome, run};
use wiregen_codegen::{compile_dir, render_all};

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A scratch copy of `spec/`.
fn spec_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let copy = tmp.path().join("spec");
    copy_dir(&spec_dir(), &copy);
    (tmp, copy)
}

fn options(input: Input) -> Options {
    Options {
        input,
        format: Format::Text,
        color: false,
        fail_on_breaking: true,
        check_versions: false,
        changelog_dir: None,
    }
}

fn dirs(from: &Path, to: &Path) -> Options {
    options(Input::Dirs {
        from: from.to_owned(),
        to: to.to_owned(),
    })
}

/// The first operation file of the first service under `spec`, and the
/// operation's name.
fn some_operation(spec: &Path) -> (PathBuf, String) {
    let mut services: Vec<PathBuf> = fs::read_dir(spec)
        .expect("spec dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    services.sort();
    let ops = services[0].join("operations");
    let mut files: Vec<PathBuf> = fs::read_dir(&ops)
        .expect("operations dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let name = files[0]
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("file name")
        .to_owned();
    (files[0].clone(), name)
}

#[test]
fn an_unchanged_tree_has_no_findings_and_exits_0() {
    let outcome = run(&dirs(&spec_dir(), &spec_dir()));
    assert_eq!(outcome.code, EXIT_OK, "{outcome:?}");
    assert!(outcome.stdout.contains("No changes."), "{}", outcome.stdout);
    assert!(outcome.stderr.is_empty(), "{}", outcome.stderr);
}

#[test]
fn deleting_an_operation_fails_on_breaking_and_names_it() {
    let (_tmp, copy) = spec_copy();
    let (file, name) = some_operation(&copy);
    fs::remove_file(file).expect("delete operation");
    let outcome = run(&dirs(&spec_dir(), &copy));
    assert_eq!(outcome.code, EXIT_FAILED, "{outcome:?}");
    assert!(
        outcome.stdout.contains("operation-removed"),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome
            .stdout
            .contains(&format!("operation `{name}` removed")),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stderr.contains("breaking change"),
        "{}",
        outcome.stderr
    );

    // Without --fail-on-breaking the same report exits 0.
    let mut lenient = dirs(&spec_dir(), &copy);
    lenient.fail_on_breaking = false;
    let outcome_lenient = run(&lenient);
    assert_eq!(outcome_lenient.code, EXIT_OK);
    assert_eq!(outcome_lenient.stdout, outcome.stdout);
}

#[test]
fn invalid_specs_exit_3_with_the_check_diagnostics() {
    let (_tmp, copy) = spec_copy();
    let (file, _) = some_operation(&copy);
    fs::write(&file, "operation: [not, a, name]\n").expect("break the spec");
    let outcome = run(&dirs(&spec_dir(), &copy));
    assert_eq!(outcome.code, EXIT_INVALID_SPECS, "{outcome:?}");
    assert!(outcome.stdout.is_empty());
    let check = render_all(&compile_dir(&copy).diagnostics);
    assert!(
        outcome.stderr.contains(&check),
        "stderr:\n{}\ncheck renders:\n{check}",
        outcome.stderr
    );
}

#[test]
fn check_versions_wants_the_bump_the_changes_need() {
    let (_tmp, copy) = spec_copy();
    let (file, name) = some_operation(&copy);
    let service_yaml = file
        .parent()
        .and_then(Path::parent)
        .expect("service dir")
        .join("service.yaml");
    // A removed operation: breaking for the crate.
    fs::remove_file(&file).expect("delete operation");
    let mut opts = dirs(&spec_dir(), &copy);
    opts.fail_on_breaking = false;
    opts.check_versions = true;
    let outcome = run(&opts);
    assert_eq!(outcome.code, EXIT_FAILED, "{outcome:?}");
    assert!(
        outcome
            .stdout
            .contains(&format!("operation `{name}` removed")),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stderr.contains("is too low for breaking changes"),
        "{}",
        outcome.stderr
    );

    // Bumping to the version the report asks for passes.
    let needed = outcome
        .stderr
        .split("needs ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the error names the version needed")
        .to_owned();
    let service = fs::read_to_string(&service_yaml).expect("read service");
    let version_line = service
        .lines()
        .find(|l| l.trim_start().starts_with("version:"))
        .expect("crate version line");
    let bumped = service.replacen(version_line, &format!("  version: {needed}"), 1);
    fs::write(&service_yaml, bumped).expect("write service");
    let outcome = run(&opts);
    assert_eq!(outcome.code, EXIT_OK, "{outcome:?}");
}

#[test]
fn changelog_sections_are_written_per_crate() {
    let (tmp, copy) = spec_copy();
    let (file, name) = some_operation(&copy);
    fs::remove_file(file).expect("delete operation");
    let out = tmp.path().join("changelogs");
    let mut opts = dirs(&spec_dir(), &copy);
    opts.fail_on_breaking = false;
    opts.changelog_dir = Some(out.clone());
    assert_eq!(run(&opts).code, EXIT_OK);
    let written: Vec<PathBuf> = fs::read_dir(&out)
        .expect("changelog dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let text = fs::read_to_string(&written[0]).expect("read changelog");
    assert!(text.starts_with("## ["), "{text}");
    assert!(text.contains("### Removed"), "{text}");
    assert!(
        text.contains(&format!("- **BREAKING** operation `{name}` removed")),
        "{text}"
    );
}

#[test]
fn colour_only_when_asked() {
    let (_tmp, copy) = spec_copy();
    let (file, _) = some_operation(&copy);
    fs::remove_file(file).expect("delete operation");
    let mut opts = dirs(&spec_dir(), &copy);
    assert!(!run(&opts).stdout.contains('\u{1b}'));
    opts.color = true;
    assert!(run(&opts).stdout.contains("\u{1b}["));
}

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "-c",
            "user.name=diff test",
            "-c",
            "user.email=diff@test.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

fn git_run(repo: &Path, from: &str, to: Option<&str>) -> Outcome {
    run(&options(Input::Git {
        repo: repo.to_owned(),
        from: from.into(),
        to: to.map(str::to_owned),
    }))
}

#[test]
fn git_revisions_are_read_without_a_checkout() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    git(repo, &["init", "-q"]);
    copy_dir(&spec_dir(), &repo.join("spec"));
    // Not a spec file: must be ignored on both sides.
    fs::write(repo.join("spec/README.md"), "notes\n").expect("write readme");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "specs"]);

    let clean = git_run(repo, "HEAD", None);
    assert_eq!(clean.code, EXIT_OK, "{clean:?}");
    assert!(
        clean
            .stdout
            .contains("API changes from HEAD to the working tree"),
        "{}",
        clean.stdout
    );
    assert!(clean.stdout.contains("No changes."), "{}", clean.stdout);

    // The working tree against HEAD.
    let (file, name) = some_operation(&repo.join("spec"));
    fs::remove_file(&file).expect("delete operation");
    let dirty = git_run(repo, "HEAD", None);
    assert_eq!(dirty.code, EXIT_FAILED, "{dirty:?}");
    assert!(
        dirty
            .stdout
            .contains(&format!("operation `{name}` removed")),
        "{}",
        dirty.stdout
    );

    // Two commits: the same finding, and HEAD still reads the old file
    // although the working tree has lost it.
    git(repo, &["commit", "-q", "-a", "-m", "remove an operation"]);
    let revs = git_run(repo, "HEAD~1", Some("HEAD"));
    assert_eq!(revs.code, EXIT_FAILED, "{revs:?}");
    assert_eq!(
        revs.stdout.replace("HEAD~1 to HEAD", "X"),
        dirty.stdout.replace("HEAD to the working tree", "X")
    );
    let back = git_run(repo, "HEAD", Some("HEAD~1"));
    assert!(back.stdout.contains("operation-added"), "{}", back.stdout);

    // A misplaced YAML file is an error at a revision as on disk.
    fs::write(repo.join("spec/stray.yaml"), "service: stray\n").expect("write stray file");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "stray file"]);
    let stray = git_run(repo, "HEAD", Some("HEAD"));
    assert_eq!(stray.code, EXIT_INVALID_SPECS, "{stray:?}");
    assert!(stray.stderr.contains("stray.yaml"), "{}", stray.stderr);

    let unknown = git_run(repo, "no-such-rev", None);
    assert_eq!(unknown.code, EXIT_USAGE, "{unknown:?}");
    assert!(unknown.stderr.contains("no-such-rev"), "{}", unknown.stderr);
}
