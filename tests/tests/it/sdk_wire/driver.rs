//! The official SDKs' side of the wire test: `tests/sdk/drive.py`, run with the Python of a
//! virtual environment holding `tests/sdk/requirements.txt`, in lockstep with the test
//! (one case number in, one JSON line out), each call under a time limit.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// The environment variable naming the Python that has the pinned SDKs.
pub const PYTHON_VAR: &str = "WIREGEN_SDK_PYTHON";

/// How long one SDK call may take, driver and all, before the case fails.
pub const CALL_LIMIT: Duration = Duration::from_secs(30);

/// The running driver; killed when dropped.
pub struct Driver {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    limit: Duration,
    /// Why the driver stopped answering: later calls fail at once instead of each waiting
    /// out its time limit.
    dead: Option<String>,
}

impl Driver {
    /// Starts `drive.py` on the plan at `plan`; each call may take `limit`.
    pub fn spawn(python: &Path, plan: &Path, limit: Duration) -> Driver {
        let script: PathBuf = [env!("CARGO_MANIFEST_DIR"), "sdk", "drive.py"]
            .iter()
            .collect();
        let mut child = Command::new(python)
            .arg(&script)
            .arg(plan)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{PYTHON_VAR}={}: {e}", python.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        // A thread reads the driver's lines, so the test can wait for one with a time limit.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Driver {
            child,
            stdin,
            lines,
            limit,
            dead: None,
        }
    }

    /// Makes case `number`'s call: `Ok` when the SDK accepted the answer, else its error.
    pub fn call(&mut self, number: usize) -> Result<(), String> {
        if let Some(why) = &self.dead {
            return Err(format!("not called: {why}"));
        }
        let result = self.exchange(number);
        if let Err(why) = &result
            && why.starts_with("driver")
        {
            self.dead = Some(why.clone());
        }
        result
    }

    fn exchange(&mut self, number: usize) -> Result<(), String> {
        writeln!(self.stdin, "{number}")
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("driver stdin: {e}"))?;
        let line = self
            .lines
            .recv_timeout(self.limit)
            .map_err(|e| format!("driver: no answer within {:?}: {e}", self.limit))?;
        let result: Value =
            serde_json::from_str(&line).map_err(|e| format!("driver line {line:?}: {e}"))?;
        if result["case"] != number {
            return Err(format!("driver answered {line} for case {number}"));
        }
        match result["ok"].as_bool() {
            Some(true) => Ok(()),
            _ => Err(result["error"]
                .as_str()
                .unwrap_or("no error text")
                .to_owned()),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_hung_driver_fails_its_call_in_time_and_the_rest_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A "python" that never answers.
    let hung = dir.path().join("hung-python");
    std::fs::write(&hung, "#!/bin/sh\nexec sleep 600\n").expect("write the script");
    let mut permissions = std::fs::metadata(&hung).expect("metadata").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&hung, permissions).expect("chmod");
    let started = std::time::Instant::now();
    let mut driver = Driver::spawn(&hung, &dir.path().join("plan.json"), Duration::from_secs(1));
    let first = driver.call(0);
    assert!(
        first
            .as_ref()
            .is_err_and(|e| e.contains("no answer within")),
        "{first:?}"
    );
    let second = driver.call(1);
    assert!(
        second.as_ref().is_err_and(|e| e.starts_with("not called")),
        "{second:?}"
    );
    drop(driver);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}
