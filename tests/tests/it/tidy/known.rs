//! Today's known violations: what the checks find on this repository while
//! the work that removes it is under way. Each entry names its check, the
//! start of the problem line it excuses, written without the line number
//! (the problem `README.md:297: ...` is excused by `README.md: ...`, so
//! edits above it do not break the entry), and why it is still there. An entry that excuses
//! nothing fails the test: delete it when its fix lands.

/// One excused violation.
pub struct Known {
    /// The check's name, as in `checks()`.
    pub check: &'static str,
    /// The start of the problem line, `file:line:` written `file:`.
    pub starts: &'static str,
    /// Why it is still there.
    pub reason: &'static str,
}

/// The violations being fixed.
pub const KNOWN_VIOLATIONS: &[Known] = &[
    Known {
        check: "document paths exist",
        starts: "README.md: `spec/altatech/operations/GetMessages.yaml`",
        reason: "the walk-through names the file the reader creates in that step",
    },
    Known {
        check: "document paths exist",
        starts: "README.md: `generated/altatech/src/operations/get_messages.rs`",
        reason: "the walk-through names the file the reader creates in that step",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"file given twice\"",
        reason: "made only by `compile` given a file list, which `compile_dir` never does; it needs a unit test in codegen/src/compile.rs (w-codegen's file)",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"not a spec file path\"",
        reason: "made only by `compile` given a file list; it needs a unit test in codegen/src/compile.rs (w-codegen's file)",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"service `{dir}` has operations but no `service.yaml`\"",
        reason: "made only by `compile` given a file list (`compile_dir` reports the missing file in source.rs); it needs a unit test in codegen/src/compile.rs",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"operations `{first}` and `{}` both generate `{}`\"",
        reason: "no spec found that reaches it past the operation-name check (`both become ... in Rust`); w-codegen to confirm it is reachable or remove it",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"type `{}` is not used by any operation\"",
        reason: "a warning on an otherwise valid tree, and a bad_specs case must fail; it needs a test of warnings (w-codegen)",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"can not read the spec directory: {e}\"",
        reason: "an I/O error git can not hold; it needs a test in tests/tests/it/compiler_contract.rs",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"can not read: {e}\"",
        reason: "an I/O error (permissions) git can not hold; it needs a test in tests/tests/it/compiler_contract.rs",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"not UTF-8 text",
        reason: "the loader fuzz test reads the catalogue as UTF-8, so no bad_specs case can hold it; it needs a test in tests/tests/it/compiler_contract.rs",
    },
    Known {
        check: "every diagnostic has a case",
        starts: "\"no value is allowed here\"",
        reason: "the structural check's answer to a `false` schema, which the generated schemas hold only as `additionalProperties` (reported as `unknown key`); w-codegen to confirm it is reachable or remove it",
    },
];

/// Whether `entry` excuses `problem` of `check`.
fn excuses(entry: &Known, check: &str, problem: &str) -> bool {
    entry.check == check && without_line_number(problem).starts_with(entry.starts)
}

/// `file:12: text` as `file: text`; other text as it is.
fn without_line_number(problem: &str) -> String {
    if let Some((file, rest)) = problem.split_once(':')
        && let Some((line, text)) = rest.split_once(':')
        && !line.is_empty()
        && line.bytes().all(|b| b.is_ascii_digit())
    {
        return format!("{file}:{text}");
    }
    problem.to_owned()
}

/// The problems no entry excuses, as `[check] problem` lines.
pub fn unexpected(found: &[(&str, String)]) -> Vec<String> {
    found
        .iter()
        .filter(|(check, problem)| !KNOWN_VIOLATIONS.iter().any(|k| excuses(k, check, problem)))
        .map(|(check, problem)| format!("[{check}] {problem}"))
        .collect()
}

/// The entries in use, with their reasons, for the test's report.
pub fn excused(found: &[(&str, String)]) -> Vec<String> {
    KNOWN_VIOLATIONS
        .iter()
        .filter(|k| {
            found
                .iter()
                .any(|(check, problem)| excuses(k, check, problem))
        })
        .map(|k| format!("  [{}] {}: {}", k.check, k.starts, k.reason))
        .collect()
}

/// The entries that excuse nothing any more.
pub fn stale(found: &[(&str, String)]) -> Vec<String> {
    KNOWN_VIOLATIONS
        .iter()
        .filter(|k| {
            !found
                .iter()
                .any(|(check, problem)| excuses(k, check, problem))
        })
        .map(|k| {
            format!(
                "[known violations] `{}` no longer happens in [{}] (hint: delete its entry from \
                 KNOWN_VIOLATIONS in tests/tests/it/tidy/known.rs)",
                k.starts, k.check
            )
        })
        .collect()
}
