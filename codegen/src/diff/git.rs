//! Spec files as they are in a git revision, read with git itself (no
//! checkout): `git ls-tree` lists them, one `git cat-file --batch` process
//! reads them all (a `git show` per file would cost a process per
//! operation).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::source::SourceFile;

/// The spec files under `spec_dir` (a directory of the repository at
/// `repo`, relative to it) in revision `rev`, with paths relative to
/// `spec_dir`, sorted. Errors are git's own message.
pub fn read_spec_at(repo: &Path, spec_dir: &str, rev: &str) -> Result<Vec<SourceFile>, String> {
    let commit = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| {
        format!(
            "`{rev}` is not a commit of the repository at {}: {e}",
            repo.display()
        )
    })?;
    let commit = commit.trim();
    let prefix = git(repo, &["rev-parse", "--show-prefix"])?;
    let root = format!("{}{}/", prefix.trim(), spec_dir.trim_end_matches('/'));
    let listing = git(
        repo,
        &[
            "ls-tree",
            "-r",
            "--full-name",
            "--name-only",
            commit,
            "--",
            &root,
        ],
    )?;
    let paths: Vec<(&str, &str)> = listing
        .lines()
        .filter_map(|full| full.strip_prefix(root.as_str()).map(|rel| (full, rel)))
        .filter(|(_, rel)| is_spec_file(rel))
        .collect();
    let request: String = paths
        .iter()
        .map(|(full, _)| format!("{commit}:{full}\n"))
        .collect();
    let blobs = cat_file_batch(repo, request)?;
    if blobs.len() != paths.len() {
        return Err(format!(
            "git cat-file returned {} of {} files",
            blobs.len(),
            paths.len()
        ));
    }
    let mut files = Vec::with_capacity(paths.len());
    for ((full, rel), blob) in paths.into_iter().zip(blobs) {
        let text =
            String::from_utf8(blob).map_err(|_| format!("{full} at {rev} is not UTF-8 text"))?;
        files.push(SourceFile::new(rel, text));
    }
    files.sort();
    Ok(files)
}

/// Whether the compiler should see a file: every YAML file outside hidden
/// directories, as `read_spec_dir` reads them; a misplaced one is then
/// reported by `compile`, as `cargo xtask check` would report it. Other
/// files (schemas, READMEs) are not specs.
fn is_spec_file(rel: &str) -> bool {
    (rel.ends_with(".yaml") || rel.ends_with(".yml"))
        && !rel.split('/').any(|part| part.starts_with('.'))
}

/// Runs git in `repo`; its stdout, or its stderr as the error.
fn git(repo: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| format!("can not run git: {e}"))?;
    if output.status.success() {
        String::from_utf8(output.stdout)
            .map_err(|_| format!("git {} printed non-UTF-8 output", args.join(" ")))
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        Err(if stderr.is_empty() {
            format!("git {} failed", args.join(" "))
        } else {
            stderr
        })
    }
}

/// Reads the objects named one per line in `request`, in order.
fn cat_file_batch(repo: &Path, request: String) -> Result<Vec<Vec<u8>>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("can not run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    // Written from another thread: git answers while it reads, and a full
    // stdout pipe would otherwise stall both sides.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().ok_or("git cat-file: no stdout")?);
    let mut blobs = Vec::new();
    let mut header = String::new();
    loop {
        header.clear();
        if reader.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
            break;
        }
        // `<sha> blob <size>`, or `<name> missing`.
        let size: usize = match header.split_whitespace().collect::<Vec<_>>().as_slice() {
            [_, "blob", size] => size
                .parse()
                .map_err(|_| format!("git cat-file: bad header {header:?}"))?,
            _ => return Err(format!("git cat-file: {}", header.trim())),
        };
        let mut blob = vec![0; size + 1]; // the content and its closing newline
        reader.read_exact(&mut blob).map_err(|e| e.to_string())?;
        blob.pop();
        blobs.push(blob);
    }
    writer
        .join()
        .map_err(|_| "git cat-file: writer thread panicked")?
        .map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("git cat-file failed: {status}"));
    }
    Ok(blobs)
}
