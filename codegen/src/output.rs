//! The set of generated files: writing it and checking it is fresh.
//!
//! `cargo xtask generate` calls [`plan`] then [`apply`]; `cargo xtask check`
//! calls [`check_fresh`]. Both compare the files the generator would produce
//! with what is on disk, so "stale" means exactly "`generate` would change
//! something". Only managed directories are scanned for orphans, and only
//! files that carry [`GENERATED_MARKER`] are ever removed.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io::{self, BufRead};
use std::path::{Component, Path, PathBuf};

use crate::format::GENERATED_MARKER;
use crate::layout::{Layout, OutputFile};
use crate::parallel;

/// Everything one `generate` run produces.
#[derive(Debug, Clone, Default)]
pub struct OutputSet {
    /// The files, sorted by path.
    pub files: Vec<OutputFile>,
    /// Repository-relative directories the generator owns (`generated`):
    /// generated files found there that are not in `files` are orphans.
    pub managed_dirs: Vec<String>,
}

/// Everything one run writes for `api` in `layout`: the crates, and the
/// spec JSON Schemas when the layout includes them.
pub fn for_api(api: &crate::ir::Api, layout: &Layout) -> OutputSet {
    let mut files = crate::emit::generate_in(api, layout);
    if layout.writes_spec_schemas() {
        files.extend(
            crate::schema::schema_files()
                .into_iter()
                .map(|(path, contents)| OutputFile { path, contents }),
        );
        files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    OutputSet {
        files,
        managed_dirs: layout.managed_dirs(api.services.iter().map(|s| s.name.as_str())),
    }
}

/// A difference between the output set and the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<'a> {
    /// A file to create or overwrite.
    Write {
        /// Repository-relative path.
        path: String,
        /// Current contents; `None` when the file does not exist.
        old: Option<String>,
        /// New contents (borrowed from the output set: a fresh output
        /// directory would otherwise copy every file once more).
        new: &'a str,
    },
    /// A generated file the generator no longer produces.
    Remove {
        /// Repository-relative path.
        path: String,
    },
}

impl Change<'_> {
    /// The repository-relative path the change is about.
    pub fn path(&self) -> &str {
        match self {
            Change::Write { path, .. } | Change::Remove { path } => path,
        }
    }
}

/// The changes that would bring the disk in line with `set`, sorted by
/// path, plus the number of files already up to date.
///
/// Files are read and compared on all cores; each file is read once (the
/// orphan scan only opens files the set does not produce).
pub fn plan<'a>(root: &Path, set: &'a OutputSet) -> io::Result<(Vec<Change<'a>>, usize)> {
    let compared = parallel::map(set.files.iter().collect(), FILES_PER_THREAD, |file| {
        compare(root, file)
    });
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for change in compared {
        match change? {
            Some(change) => changes.push(change),
            None => unchanged += 1,
        }
    }
    let produced: HashSet<&str> = set.files.iter().map(|f| f.path.as_str()).collect();
    for dir in &set.managed_dirs {
        for path in orphans_under(root, dir, &produced)? {
            changes.push(Change::Remove { path });
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok((changes, unchanged))
}

/// Fewer files than this per thread are read or written on one thread:
/// starting a thread costs about as much as a few small files.
const FILES_PER_THREAD: usize = 16;

/// The change `file` needs on disk, `None` when it is up to date.
fn compare<'a>(root: &Path, file: &'a OutputFile) -> io::Result<Option<Change<'a>>> {
    let full = resolve(root, &file.path)?;
    let old = match fs::read_to_string(&full) {
        Ok(old) if old == file.contents => return Ok(None),
        Ok(old) => Some(old),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(with_path(error, &full)),
    };
    Ok(Some(Change::Write {
        path: file.path.clone(),
        old,
        new: &file.contents,
    }))
}

/// Applies `changes`: each write goes to a temporary file in the same
/// directory, then is renamed over the target, so a reader never sees half
/// a file. Directories left empty by removals are removed too.
///
/// Writes run on all cores (each touches its own file); removals run after
/// them, one by one, so that a directory emptied by a removal is never
/// removed while a write is about to create a file in it.
pub fn apply(root: &Path, changes: &[Change<'_>]) -> io::Result<()> {
    let writes: Vec<(&str, &str)> = changes
        .iter()
        .filter_map(|change| match change {
            Change::Write { path, new, .. } => Some((path.as_str(), *new)),
            Change::Remove { .. } => None,
        })
        .collect();
    parallel::map(writes, FILES_PER_THREAD, |(path, contents)| {
        write_atomic(&resolve(root, path)?, contents)
    })
    .into_iter()
    .collect::<io::Result<()>>()?;
    for change in changes {
        if let Change::Remove { path } = change {
            let full = resolve(root, path)?;
            fs::remove_file(&full).map_err(|e| with_path(e, &full))?;
            remove_empty_parents(root, &full);
        }
    }
    Ok(())
}

/// A generated file that is not what the generator would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Repository-relative path.
    pub path: String,
    /// What is wrong, with the first differing lines.
    pub problem: Problem,
}

/// How a generated file is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It does not exist.
    Missing,
    /// Its contents differ; a truncated unified diff (disk -> expected).
    Changed(String),
    /// The generator no longer produces it.
    Orphaned,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Problem::Missing => write!(f, "{}: missing", self.path),
            Problem::Orphaned => write!(f, "{}: no longer generated (orphaned)", self.path),
            Problem::Changed(diff) => write!(f, "{}: stale\n{diff}", self.path),
        }
    }
}

/// Lines of diff shown per stale file.
const DIFF_LINES: usize = 40;

/// Checks that the disk holds exactly `set`; every problem otherwise.
pub fn check_fresh(root: &Path, set: &OutputSet) -> Result<(), Vec<Stale>> {
    let changes = match plan(root, set) {
        Ok((changes, _)) => changes,
        Err(error) => {
            return Err(vec![Stale {
                path: root.display().to_string(),
                problem: Problem::Changed(format!("could not read: {error}")),
            }]);
        }
    };
    let stale: Vec<Stale> = changes
        .into_iter()
        .map(|change| match change {
            Change::Write {
                path, old: None, ..
            } => Stale {
                path,
                problem: Problem::Missing,
            },
            Change::Write {
                path,
                old: Some(old),
                new,
            } => {
                let diff = unified_diff(&path, &old, new);
                Stale {
                    path,
                    problem: Problem::Changed(diff),
                }
            }
            Change::Remove { path } => Stale {
                path,
                problem: Problem::Orphaned,
            },
        })
        .collect();
    if stale.is_empty() { Ok(()) } else { Err(stale) }
}

/// A unified diff from `old` to `new`, cut after `DIFF_LINES` (40) lines so a stale-file report stays readable.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string();
    let total = text.lines().count();
    let mut out: String = text
        .lines()
        .take(DIFF_LINES)
        .flat_map(|l| [l, "\n"])
        .collect();
    if total > DIFF_LINES {
        out.push_str(&format!("... ({} more diff lines)\n", total - DIFF_LINES));
    }
    out
}

/// Generated files (those carrying the marker) under `dir` that are not in
/// `produced`, as repository-relative paths. Build output directories are
/// skipped, and a produced file is not opened (`plan` reads it anyway).
fn orphans_under(root: &Path, dir: &str, produced: &HashSet<&str>) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![resolve(root, dir)?];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(with_path(error, &current)),
        };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                if entry.file_name() != "target" {
                    pending.push(path);
                }
            } else if file_type.is_file()
                && let Some(relative) = relative_path(root, &path)
                && !produced.contains(relative.as_str())
                && (is_leftover_temp(&entry.file_name().to_string_lossy()) || carries_marker(&path))
            {
                found.push(relative);
            }
        }
    }
    Ok(found)
}

/// Whether a file name is one of [`write_atomic`]'s temporary files
/// (`.lib.rs.1234.tmp`), left behind when `generate` was killed mid-write:
/// possibly empty, so without the marker, but an orphan all the same.
fn is_leftover_temp(name: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .and_then(|rest| rest.rsplit_once('.'))
        .is_some_and(|(file, pid)| {
            !file.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Whether the file's first lines carry the generated marker. Reads only
/// the start of the file (an orphan may be large).
fn carries_marker(path: &Path) -> bool {
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    io::BufReader::new(file)
        .lines()
        .take(3)
        .map_while(Result::ok)
        .any(|line| line.contains(GENERATED_MARKER))
}

fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// `root/relative`, refusing anything that could leave `root`.
fn resolve(root: &Path, relative: &str) -> io::Result<PathBuf> {
    let path = Path::new(relative);
    if relative.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing output path `{relative}`: not a plain relative path"),
        ));
    }
    Ok(root.join(path))
}

fn write_atomic(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path.parent().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no parent", path.display()),
        )
    })?;
    fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&temp, contents).map_err(|e| with_path(e, &temp))?;
    fs::rename(&temp, path).map_err(|error| {
        // Best effort: do not leave the temporary file behind.
        let _ = fs::remove_file(&temp);
        with_path(error, path)
    })
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == root || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_root(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("wiregen-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn generated(body: &str) -> String {
        format!("// {GENERATED_MARKER}\n{body}\n")
    }

    fn set(files: &[(&str, &str)]) -> OutputSet {
        OutputSet {
            files: files
                .iter()
                .map(|(path, contents)| OutputFile {
                    path: (*path).into(),
                    contents: (*contents).into(),
                })
                .collect(),
            managed_dirs: Layout::repository().managed_dirs([]),
        }
    }

    #[test]
    fn writes_only_changes_and_removes_only_generated_orphans() {
        let root = temp_root("write");
        fs::create_dir_all(root.join("generated/old/src")).unwrap();
        fs::write(root.join("generated/old/src/lib.rs"), generated("old")).unwrap();
        fs::write(root.join("generated/notes.md"), "hand-written").unwrap();
        let same = generated("same");
        fs::create_dir_all(root.join("generated/a")).unwrap();
        fs::write(root.join("generated/a/same.rs"), &same).unwrap();
        let new = generated("new");
        let set = set(&[("generated/a/same.rs", &same), ("generated/a/new.rs", &new)]);

        let (changes, unchanged) = plan(&root, &set).unwrap();
        assert_eq!(unchanged, 1);
        let paths: Vec<&str> = changes.iter().map(Change::path).collect();
        assert_eq!(paths, ["generated/a/new.rs", "generated/old/src/lib.rs"]);
        assert!(check_fresh(&root, &set).is_err());

        apply(&root, &changes).unwrap();
        assert_eq!(
            fs::read_to_string(root.join("generated/a/new.rs")).unwrap(),
            new
        );
        assert!(
            !root.join("generated/old").exists(),
            "emptied directories are removed"
        );
        assert!(
            root.join("generated/notes.md").exists(),
            "files without the marker stay"
        );
        assert_eq!(check_fresh(&root, &set), Ok(()));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn stale_files_show_a_diff() {
        let root = temp_root("stale");
        fs::create_dir_all(root.join("generated")).unwrap();
        fs::write(root.join("generated/x.rs"), generated("one")).unwrap();
        let stale = check_fresh(&root, &set(&[("generated/x.rs", &generated("two"))])).unwrap_err();
        let text = stale[0].to_string();
        assert!(text.contains("-one") && text.contains("+two"), "{text}");
        fs::remove_dir_all(&root).unwrap();
    }

    /// A temporary file left by a killed `generate` (empty, so without the
    /// marker) is seen by `check` and removed by the next `generate`.
    #[test]
    fn leftover_temporary_files_are_orphans() {
        let root = temp_root("temp");
        fs::create_dir_all(root.join("generated/a")).unwrap();
        let same = generated("same");
        fs::write(root.join("generated/a/lib.rs"), &same).unwrap();
        fs::write(root.join("generated/a/.lib.rs.4242.tmp"), "").unwrap();
        fs::write(root.join("generated/a/.notes.tmp"), "").unwrap();
        let set = set(&[("generated/a/lib.rs", &same)]);
        let stale = check_fresh(&root, &set).unwrap_err();
        assert_eq!(stale.len(), 1, "{stale:?}");
        assert_eq!(stale[0].path, "generated/a/.lib.rs.4242.tmp");
        let (changes, _) = plan(&root, &set).unwrap();
        apply(&root, &changes).unwrap();
        assert_eq!(check_fresh(&root, &set), Ok(()));
        assert!(root.join("generated/a/.notes.tmp").exists(), "not ours");
        fs::remove_dir_all(&root).unwrap();
    }

    /// Enough files to be written on several threads, with an orphan in a
    /// directory that also gets new files (it must stay) and one alone in
    /// its directory (which goes with it).
    #[test]
    fn many_writes_and_removals_land_together() {
        let root = temp_root("many");
        fs::create_dir_all(root.join("generated/a")).unwrap();
        fs::create_dir_all(root.join("generated/gone")).unwrap();
        fs::write(root.join("generated/a/orphan.rs"), generated("old")).unwrap();
        fs::write(root.join("generated/gone/orphan.rs"), generated("old")).unwrap();
        let files: Vec<(String, String)> = (0..100)
            .map(|i| {
                let dir = ["a", "b", "c/d"][i % 3];
                (
                    format!("generated/{dir}/f{i}.rs"),
                    generated(&format!("f{i}")),
                )
            })
            .collect();
        let pairs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        let set = set(&pairs);

        let (changes, unchanged) = plan(&root, &set).unwrap();
        assert_eq!((changes.len(), unchanged), (102, 0));
        apply(&root, &changes).unwrap();
        assert_eq!(check_fresh(&root, &set), Ok(()));
        assert!(!root.join("generated/a/orphan.rs").exists());
        assert!(!root.join("generated/gone").exists());
        for (path, contents) in &files {
            assert_eq!(&fs::read_to_string(root.join(path)).unwrap(), contents);
        }
        assert_eq!(plan(&root, &set).unwrap(), (Vec::new(), 100));
        fs::remove_dir_all(&root).unwrap();
    }

    /// The marker is looked for in the first lines only, so an orphan is
    /// recognised without reading the rest (which need not even be text).
    #[test]
    fn orphans_are_told_by_their_first_lines() {
        let root = temp_root("marker");
        fs::create_dir_all(root.join("generated/a")).unwrap();
        let mut bytes = generated("x").into_bytes();
        bytes.extend([0xff; 4096]);
        fs::write(root.join("generated/a/binary_tail.rs"), bytes).unwrap();
        fs::write(
            root.join("generated/a/late_marker.rs"),
            format!("one\ntwo\nthree\n// {GENERATED_MARKER}\n"),
        )
        .unwrap();
        let empty = set(&[]);
        let (changes, _) = plan(&root, &empty).unwrap();
        let paths: Vec<&str> = changes.iter().map(Change::path).collect();
        assert_eq!(paths, ["generated/a/binary_tail.rs"]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn paths_that_escape_the_root_are_refused() {
        let root = temp_root("escape");
        let set = set(&[("../evil.rs", "x")]);
        assert!(plan(&root, &set).is_err());
        fs::remove_dir_all(&root).unwrap();
    }
}
