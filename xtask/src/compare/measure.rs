//! The measuring tools of `cargo xtask compare`: timed commands (with the
//! peak resident memory of the whole process tree, where GNU time is
//! installed), medians, line counts and the load average.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// GNU time: its `%M` is the largest resident set of the command and of
/// every descendant it waited for (cargo waits for each rustc).
const GNU_TIME: &str = "/usr/bin/time";

/// What one timed run cost.
#[derive(Clone, Copy)]
pub struct Sample {
    /// Wall time in seconds.
    pub seconds: f64,
    /// Peak resident memory in KiB, when GNU time is installed.
    pub peak_kib: Option<u64>,
}

/// Runs `command` to completion and times it; its output is kept and shown
/// only when it fails, with `what` saying which step that was.
pub fn timed(what: &str, command: Command, scratch: &Path) -> Result<Sample, String> {
    let rss_file = scratch.join("peak-rss.txt");
    // A figure left by an earlier run must not be taken for this one's.
    let _ = fs::remove_file(&rss_file);
    let mut command = if Path::new(GNU_TIME).is_file() {
        let mut wrapped = Command::new(GNU_TIME);
        wrapped.arg("-f").arg("%M").arg("-o").arg(&rss_file);
        wrapped.arg(command.get_program()).args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            wrapped.current_dir(dir);
        }
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => wrapped.env(key, value),
                None => wrapped.env_remove(key),
            };
        }
        wrapped
    } else {
        command
    };
    let start = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("{what}: can not run {:?}: {e}", command.get_program()))?;
    let seconds = start.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "{what} failed ({}):\n{}",
            output.status,
            tail.join("\n")
        ));
    }
    let peak_kib = fs::read_to_string(&rss_file)
        .ok()
        .and_then(|text| text.lines().last()?.trim().parse().ok());
    Ok(Sample { seconds, peak_kib })
}

/// The median of `values` (the mean of the middle two for an even count);
/// `None` when there are none.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Lines of every `.rs` file under `dir`, recursively.
pub fn rust_lines(dir: &Path) -> Result<usize, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("can not read {}: {e}", dir.display()))?;
    let mut lines = 0;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("can not read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            lines += rust_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("can not read {}: {e}", path.display()))?;
            lines += text.lines().count();
        }
    }
    Ok(lines)
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` writes them.
pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown (no /proc/loadavg)".to_owned(),
        |text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_even_and_no_values() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn counts_lines_of_rust_files_only_in_every_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("mkdir: {e}"));
            fs::write(path, text).unwrap_or_else(|e| panic!("write: {e}"));
        };
        write("a/src/lib.rs", "one\ntwo\n");
        write("a/src/ops/x.rs", "three\n");
        write("a/Cargo.toml", "[package]\nname = \"a\"\n");
        assert_eq!(rust_lines(dir.path()), Ok(3));
    }

    #[test]
    fn a_run_has_a_peak_where_gnu_time_is_installed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let sample =
            timed("true", Command::new("true"), dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sample.peak_kib.is_some(), Path::new(GNU_TIME).is_file());
        assert!(sample.peak_kib.is_none_or(|kib| kib > 0));
    }

    /// The command runs where and with what it was given, also when GNU
    /// time wraps it (each side's `CARGO_TARGET_DIR` depends on it).
    #[test]
    fn the_command_keeps_its_directory_and_environment() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let mut command = Command::new("sh");
        command
            .args(["-c", "echo \"$PROBE in $(pwd)\" >&2; exit 1"])
            .env("PROBE", "probe-value")
            .current_dir(dir.path());
        let error = timed("probe", command, dir.path())
            .err()
            .unwrap_or_default();
        let canonical = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        let expected = format!("probe-value in {}", canonical.display());
        assert!(error.contains(&expected), "{error}");
    }

    #[test]
    fn a_failing_command_reports_its_step_and_stderr() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let mut command = Command::new("sh");
        command.args(["-c", "echo broken >&2; exit 3"]);
        let error = timed("the step", command, dir.path()).err();
        let error = error.unwrap_or_else(|| panic!("a failing command must be an error"));
        assert!(error.starts_with("the step failed"), "{error}");
        assert!(error.contains("broken"), "{error}");
    }
}
