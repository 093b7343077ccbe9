//! Diagnostic coverage: every kind of diagnostic the compiler's front end
//! can report has a case in `tests/bad_specs/` whose pinned output shows it,
//! as rust-analyzer pairs each of its marks with a test. A diagnostic's kind
//! is its message template, the string literal (or `format!` string) passed
//! where it is made; a case covers the kind when one line of its snapshot
//! holds the template's fixed text in order.

use std::fs;
use std::path::Path;

use super::files::{read, rust_files, shown};
use super::lexer::{Kind, Token, is_path_sep, tokens, without_tests};

/// Where diagnostics are made: the front end (the diff reports no
/// diagnostics of its own kind; it reuses the front end's).
const FRONT_END: &str = "codegen/src";

/// Skipped under [`FRONT_END`]: the diff (it reports no diagnostics of its own kind) and the
/// importer, whose problems are about upstream metadata rather than a spec tree, so no
/// `tests/bad_specs` case can hold them; they are tested in `tests/tests/it/import_hostile.rs`.
const NOT_FRONT_END: &[&str] = &["codegen/src/diff", "codegen/src/import"];

/// The functions that make a diagnostic, and which argument is the message:
/// the constructors, the local helpers of `lower/` that wrap them (`bad`
/// for path templates, `report` for recursive types), the structural
/// check's `issue` and the example checker's `fail`. A `message:` field
/// given a literal (the YAML parser's and the example checker's problems)
/// is a kind too.
const MAKERS: &[(&str, usize)] = &[
    ("file_error", 1),
    ("error", 2),
    ("error_at", 1),
    ("error_in_literal", 3),
    ("bad", 0),
    ("report", 1),
    ("issue", 1),
    ("fail", 0),
];

/// The field a problem's message is written into.
const MESSAGE_FIELD: &str = "message";

/// Kinds no spec tree in git can hold (a FIFO, a link cycle, a directory
/// named like a spec file, a file over the size limit), each with the test
/// that makes it instead and the text that test asserts, which the check
/// verifies is there: template, test file, asserted text.
const TESTED_ELSEWHERE: &[(&str, &str, &str)] = &[
    (
        "symbolic link {why}",
        "tests/tests/it/compiler_contract.rs",
        "\"outside the spec directory\"",
    ),
    (
        "not a regular file (a FIFO, socket or device)",
        "tests/tests/it/compiler_contract.rs",
        "\"not a regular file\"",
    ),
    (
        "spec file larger than {} KiB",
        "tests/tests/it/compiler_contract.rs",
        "\"larger than 1024 KiB\"",
    ),
    (
        "a directory where a spec file should be",
        "tests/tests/it/compiler_contract.rs",
        "\"a directory where a spec file\"",
    ),
];

/// The bad-spec snapshots the cases' output is pinned in.
const SNAPSHOTS: &str = "tests/tests/it/snapshots";
const SNAPSHOT_PREFIX: &str = "it__bad_specs__";

/// One kind: where it is made, and its template.
#[derive(Debug)]
pub struct DiagnosticKind {
    /// `file:line`.
    pub at: String,
    /// The message text, holes (`{name}`) kept.
    pub template: String,
}

/// Every diagnostic kind the front end makes.
pub fn kinds(root: &Path) -> Vec<DiagnosticKind> {
    let mut out = Vec::new();
    for file in rust_files(&root.join(FRONT_END)) {
        let shown = shown(root, &file);
        if NOT_FRONT_END
            .iter()
            .any(|dir| file.starts_with(root.join(dir)))
            || shown.ends_with("/tests.rs")
        {
            continue;
        }
        let toks = without_tests(tokens(&read(&file)));
        for (i, tok) in toks.iter().enumerate() {
            let field = tok.is_ident(MESSAGE_FIELD)
                && toks.get(i + 1).is_some_and(|t| t.is_punct(':'))
                && !is_path_sep(&toks, i + 1);
            let arg = if field {
                argument(&toks, i + 2, 0)
            } else {
                let Some(index) = MAKERS
                    .iter()
                    .find(|(name, _)| tok.is_ident(name))
                    .map(|(_, index)| *index)
                else {
                    continue;
                };
                let is_call = toks.get(i + 1).is_some_and(|t| t.is_punct('('))
                    && !(i > 0 && toks[i - 1].is_ident("fn"));
                if !is_call {
                    continue;
                }
                argument(&toks, i + 2, index)
            };
            if let Some(template) = arg.and_then(message) {
                out.push(DiagnosticKind {
                    at: format!("{shown}:{}", tok.line),
                    template,
                });
            }
        }
    }
    out
}

/// The tokens of argument `index` of the call whose arguments start at
/// `toks[at]`.
fn argument(toks: &[Token], at: usize, index: usize) -> Option<&[Token]> {
    let mut depth = 0usize;
    let mut current = 0;
    let mut start = at;
    for (offset, tok) in toks[at..].iter().enumerate() {
        let i = at + offset;
        match tok.kind {
            Kind::Punct('(' | '[' | '{') => depth += 1,
            Kind::Punct(')' | ']' | '}') if depth == 0 => {
                return (current == index).then(|| &toks[start..i]);
            }
            Kind::Punct(')' | ']' | '}') => depth -= 1,
            Kind::Punct(',') if depth == 0 => {
                if current == index {
                    return Some(&toks[start..i]);
                }
                current += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// The template of a message argument: a literal, or `format!`'s string.
/// `None` when the message is a variable: made elsewhere (the structural
/// check's, the YAML parser's and the example checker's messages), which
/// this check does not follow.
fn message(arg: &[Token]) -> Option<String> {
    match arg {
        [
            Token {
                kind: Kind::Str(text),
                ..
            },
            ..,
        ] => Some(text.clone()),
        [format, bang, open, rest @ ..]
            if format.is_ident("format") && bang.is_punct('!') && open.is_punct('(') =>
        {
            match rest.first().map(|t| &t.kind) {
                Some(Kind::Str(text)) => Some(text.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The fixed pieces of a template: the text between `{…}` holes, with
/// `{{`, `}}` and the common escapes read as what they print.
fn fragments(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                piece.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                piece.push('}');
            }
            '{' => {
                for inner in chars.by_ref() {
                    if inner == '}' {
                        break;
                    }
                }
                out.push(std::mem::take(&mut piece));
            }
            '\\' => match chars.next() {
                Some('n') => piece.push('\n'),
                Some('t') => piece.push('\t'),
                Some(other) => piece.push(other),
                None => {}
            },
            _ => piece.push(c),
        }
    }
    out.push(piece);
    out.retain(|p| !p.trim().is_empty());
    out
}

/// Whether `line` holds every fragment, in order.
fn shows(line: &str, fragments: &[String]) -> bool {
    let mut rest = line;
    fragments
        .iter()
        .all(|fragment| match rest.find(fragment.as_str()) {
            Some(at) => {
                rest = &rest[at + fragment.len()..];
                true
            }
            None => false,
        })
}

/// The `error:`/`warning:` lines of every bad-spec snapshot.
fn reported(root: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root.join(SNAPSHOTS)) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(SNAPSHOT_PREFIX)
        {
            let text = read(&entry.path());
            lines.extend(
                text.lines()
                    .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
                    .map(str::to_owned),
            );
        }
    }
    lines
}

/// Whether a test outside the catalogue makes `kind` (and still asserts
/// what [`TESTED_ELSEWHERE`] says it does).
fn tested_elsewhere(root: &Path, kind: &DiagnosticKind) -> bool {
    TESTED_ELSEWHERE.iter().any(|(template, test, asserted)| {
        *template == kind.template && read(&root.join(test)).contains(asserted)
    })
}

/// Every diagnostic kind shows in at least one bad-spec case.
pub fn every_diagnostic_has_a_case(root: &Path) -> Vec<String> {
    let lines = reported(root);
    kinds(root)
        .into_iter()
        .filter(|kind| {
            let fragments = fragments(&kind.template);
            !lines.iter().any(|line| shows(line, &fragments)) && !tested_elsewhere(root, kind)
        })
        .map(|kind| {
            format!(
                "\"{}\" ({}): no tests/bad_specs case reports it (hint: add a case that makes \
                 this mistake, see tests/bad_specs/README.md)",
                kind.template, kind.at
            )
        })
        .collect()
}

#[test]
fn a_template_matches_the_messages_it_makes() {
    let pieces = fragments("duplicate {what} `{wire}` in {{braces}}");
    assert_eq!(pieces, ["duplicate ", " `", "` in {braces}"]);
    assert!(shows("error: duplicate key `a` in {braces}", &pieces));
    assert!(!shows("error: duplicate key `a`", &pieces));
}
