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
        starts: "README.md: `tests/tests/compiler_contract.rs`",
        reason: "w-docs is rewriting the README (the suite is tests/tests/it/compiler_contract.rs)",
    },
    Known {
        check: "document paths exist",
        starts: "README.md: `spec/altatech/operations/GetMessages.yaml`",
        reason: "the walk-through names the file the reader creates; w-docs is rewriting it (issue 17 item 6)",
    },
    Known {
        check: "document paths exist",
        starts: "README.md: `generated/altatech/src/operations/get_messages.rs`",
        reason: "the walk-through names the file the reader creates; w-docs is rewriting it (issue 17 item 6)",
    },
    Known {
        check: "nothing refers outside",
        starts: "README.md:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "codegen/src/spec.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "generated/altatech/src/lib.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "generated/rdsai/src/models.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "runtime/src/client.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "runtime/src/encode.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "runtime/src/retry.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "runtime/src/sign.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "runtime/src/sse.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "runtime/tests/it/signing.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/aicontent/operations/ModelRouterQueryConversationList.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/aicontent/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/altatech/operations/GetConversationList.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/altatech/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/operation.schema.json:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/rdsai/operations/ChatMessages.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/rdsai/operations/GetConversations.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/rdsai/operations/GetMessages.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/rdsai/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "spec/service.schema.json:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/aicontent/operations/ModelRouterQueryConversationList.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/aicontent/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/altatech/operations/GetConversationList.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/altatech/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/rdsai/operations/ChatMessages.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/rdsai/operations/GetConversations.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/rdsai/operations/GetMessages.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/seed-era/rdsai/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/aicontent/operations/ModelRouterQueryConversationList.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/aicontent/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/altatech/operations/GetConversationList.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/altatech/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/rdsai/operations/ChatMessages.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/rdsai/operations/GetConversations.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/rdsai/operations/GetMessages.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/diff/spec-2026-12-01/rdsai/service.yaml:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/client_aicontent.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/client_rdsai/wire.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/snapshots/it__ir_snapshots__spec_aicontent.snap:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/snapshots/it__ir_snapshots__spec_altatech.snap:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/snapshots/it__ir_snapshots__spec_rdsai.snap:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/support/acs3.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/support/mod.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "nothing refers outside",
        starts: "tests/tests/it/support/server.rs:",
        reason: "w-docs is pointing it at docs/wire.md (issue 17 item 1)",
    },
    Known {
        check: "functions are short",
        starts: "`xtask/src/synth/specs.rs fn operation`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/emit/operations.rs fn emit`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/lower/paths.rs fn lower_pagination`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/emit/pagination.rs fn emit`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/lower/mod.rs fn lower_service`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`runtime/src/client.rs fn encode`",
        reason: "being split by w-request (issue 17 item 4: `Client::encode`)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/examples.rs fn check`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/diff/engine/operation.rs fn diff_one`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/examples.rs fn check_example_with`",
        reason: "being split by w-codegen (issue 17 item 5)",
    },
    Known {
        check: "functions are short",
        starts: "`codegen/src/diff/engine/types.rs fn field`",
        reason: "being split by w-codegen (issue 17 item 5)",
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
