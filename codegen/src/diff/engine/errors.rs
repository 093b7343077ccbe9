//! Known error codes, of a service or of one operation.

use std::collections::BTreeSet;

use super::Sink;
use crate::diff::finding::Impact::{Breaking, Compatible};
use crate::diff::rules::Rule;
use crate::ir::ErrorCode;

/// Compares two lists of codes declared by `owner` (for messages), at
/// `prefix` (`errors`, `operations/Op/errors`), affecting `operations`.
/// Codes for which `explained(code)` holds are left out: an operation's
/// list repeats the service's codes, which are reported once, on the
/// service.
pub(super) fn diff(
    old: &[ErrorCode],
    new: &[ErrorCode],
    prefix: &str,
    owner: &str,
    operations: &[String],
    explained: impl Fn(&str) -> bool,
    sink: &mut Sink,
) {
    let codes: BTreeSet<&str> = old.iter().chain(new).map(|e| e.code.0.as_str()).collect();
    for code in codes.into_iter().filter(|c| !explained(c)) {
        let path = format!("{prefix}/{code}");
        let (before, after) = (find(old, code), find(new, code));
        let f = match (before, after) {
            (None, Some(e)) => {
                // Open enums: the error-code enum is `#[non_exhaustive]`
                // with a catch-all, so a new variant breaks no `match`; on
                // the wire the code only names a failure callers already get.
                let f = sink.add(
                    Rule::ErrorCodeAdded,
                    &path,
                    format!("{owner}: new error code `{code}`{}", status(e.status)),
                    Compatible,
                    Compatible,
                );
                f.after = e.status.map(|s| s.to_string());
                f
            }
            (Some(_), None) => {
                // The variant disappears from the error-code enum; on the
                // wire the service just stops sending the code.
                sink.add(
                    Rule::ErrorCodeRemoved,
                    &path,
                    format!("{owner}: error code `{code}` removed"),
                    Compatible,
                    Breaking,
                )
            }
            (Some(a), Some(b)) => {
                changed(a, b, &path, owner, operations, sink);
                continue;
            }
            (None, None) => continue,
        };
        f.operations = operations.to_vec();
    }
}

/// Changes to a code present on both sides.
fn changed(
    a: &ErrorCode,
    b: &ErrorCode,
    path: &str,
    owner: &str,
    operations: &[String],
    sink: &mut Sink,
) {
    let code = &b.code.0;
    if a.status != b.status {
        // Callers that branch on the HTTP status see a different one; the
        // generated enum matches on the code, not the status.
        let f = sink.add(
            Rule::ErrorStatusChanged,
            path,
            format!("{owner}: error code `{code}` now comes with a different HTTP status"),
            Breaking,
            Compatible,
        );
        f.before = a.status.map(|s| s.to_string());
        f.after = b.status.map(|s| s.to_string());
        f.operations = operations.to_vec();
    }
    if a.retryable != b.retryable {
        // Only `is_retryable()` and the default retry policy change; no
        // signature does.
        let f = sink.add(
            Rule::ErrorRetryabilityChanged,
            path,
            format!(
                "{owner}: error code `{code}` is {} retryable",
                if b.retryable { "now" } else { "no longer" }
            ),
            Compatible,
            Compatible,
        );
        f.operations = operations.to_vec();
    }
    let what = format!("{owner}: error code `{code}`");
    sink.description(
        path,
        &what,
        a.description.as_deref(),
        b.description.as_deref(),
        || operations.to_vec(),
    );
    if a.message != b.message {
        sink.description(
            &format!("{path}/message"),
            &format!("{what} message"),
            a.message.as_deref(),
            b.message.as_deref(),
            || operations.to_vec(),
        );
    }
}

/// The code named `code` in a list.
pub(super) fn find<'a>(list: &'a [ErrorCode], code: &str) -> Option<&'a ErrorCode> {
    list.iter().find(|e| e.code.0 == code)
}

fn status(status: Option<u16>) -> String {
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
}
