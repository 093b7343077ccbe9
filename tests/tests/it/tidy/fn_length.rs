//! Function length: no function of the compiler, the runtime or xtask is
//! longer than a reader holds at once. Library and binary code only (the
//! `src/` trees without their `tests` modules and `tests.rs` files): a test
//! that spells out a long scenario is easier to read in one piece.

use std::path::Path;

use super::files::{read, rust_files, shown};
use super::lexer::{Token, tokens, without_tests};

/// Where functions are measured.
const MEASURED: &[&str] = &["codegen/src", "runtime/src", "xtask/src"];

/// The longest a function may be, in lines from `fn` to its closing brace.
pub const MAX_LINES: usize = 120;

/// How many of the longest functions the report names.
const REPORTED: usize = 5;

/// One function.
#[derive(Debug, Clone)]
pub struct Function {
    /// `file fn name`: how the allowlist names it (no line number, which
    /// every edit above it would change).
    pub name: String,
    /// The line of its `fn`.
    pub line: usize,
    /// Lines from `fn` to the closing brace, both included.
    pub lines: usize,
}

/// Every function with a body in `text`, outside `mod tests { }`: name,
/// line and length.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let toks = without_tests(tokens(text));
    let mut found = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        if !tok.is_ident("fn") {
            continue;
        }
        if let Some(name) = toks.get(i + 1).and_then(Token::ident)
            && let Some(end) = body_end(&toks, i + 2)
        {
            found.push((name.to_owned(), tok.line, toks[end].line - tok.line + 1));
        }
    }
    found
}

/// The index of the `}` closing the body of the function whose signature
/// starts at `toks[at]`, or `None` for a declaration without a body.
fn body_end(toks: &[Token], at: usize) -> Option<usize> {
    let mut nesting = 0usize;
    let mut i = at;
    // The body opens at the first `{` outside parentheses and brackets.
    loop {
        let tok = toks.get(i)?;
        if tok.is_punct('(') || tok.is_punct('[') {
            nesting += 1;
        } else if tok.is_punct(')') || tok.is_punct(']') {
            nesting = nesting.saturating_sub(1);
        } else if nesting == 0 && tok.is_punct(';') {
            return None;
        } else if nesting == 0 && tok.is_punct('{') {
            break;
        }
        i += 1;
    }
    let mut depth = 0usize;
    for (offset, tok) in toks[i..].iter().enumerate() {
        if tok.is_punct('{') {
            depth += 1;
        } else if tok.is_punct('}') {
            depth -= 1;
            if depth == 0 {
                return Some(i + offset);
            }
        }
    }
    None
}

/// Every measured function, longest first (ties by place).
pub fn measured(root: &Path) -> Vec<Function> {
    let mut all = Vec::new();
    for dir in MEASURED {
        for file in rust_files(&root.join(dir)) {
            let shown = shown(root, &file);
            if shown.ends_with("/tests.rs") || shown.contains("/tests/") {
                continue;
            }
            for (name, line, lines) in functions(&read(&file)) {
                all.push(Function {
                    name: format!("{shown} fn {name}"),
                    line,
                    lines,
                });
            }
        }
    }
    all.sort_by(|a, b| b.lines.cmp(&a.lines).then_with(|| a.name.cmp(&b.name)));
    all
}

/// The five longest functions, one per line, for the report.
pub fn longest(root: &Path) -> String {
    measured(root)
        .iter()
        .take(REPORTED)
        .map(|f| format!("  {:>4} lines  `{}` (line {})", f.lines, f.name, f.line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// No measured function is over [`MAX_LINES`] lines.
pub fn functions_are_short(root: &Path) -> Vec<String> {
    measured(root)
        .into_iter()
        .filter(|f| f.lines > MAX_LINES)
        .map(|f| {
            format!(
                "`{}` (line {}): {} lines, over {MAX_LINES} (hint: split it into steps named \
                 after what they do)",
                f.name, f.line, f.lines
            )
        })
        .collect()
}

#[test]
fn a_function_is_measured_from_fn_to_its_closing_brace() {
    let text = "trait T { fn declared(&self); }\nfn one() {\n    let s = \"}\";\n}\n\
                fn two() -> [u8; 2] { [0; 2] }\n#[cfg(test)]\nmod tests {\n    fn hidden() {}\n}\n";
    let found = functions(text);
    assert_eq!(
        found,
        [("one".to_owned(), 2, 3), ("two".to_owned(), 5, 1)],
        "{found:?}"
    );
}
