//! Diagnostics: what the loader and validator report, placed in a spec file
//! and rendered like a compiler error.

use std::fmt;

use serde::Serialize;

/// How a message starts when a file passed the structural check but still
/// failed to decode into the spec types: the two disagree, which is a bug in
/// the structural check (the loader fuzz test looks for it).
pub const DECODE_FAILED: &str = "could not decode: ";

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The specs can not be compiled.
    Error,
    /// Suspicious, but the specs still compile.
    Warning,
}

/// One problem found in the specs.
///
/// `line` and `column` are 1-based; both are 0 when the problem concerns a
/// file or directory as a whole (a missing `service.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Spec file (or directory), relative to the spec root, `/`-separated.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub column: usize,
    /// Where in the document, e.g. `params[2].type`; empty for the whole file.
    pub yaml_path: String,
    /// What is wrong.
    pub message: String,
    /// What would have been accepted.
    pub expected: Option<String>,
    /// How to fix it (`did you mean ...`).
    pub hint: Option<String>,
    /// The text of the line the diagnostic points at, for the rendering.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about `file` as a whole.
    pub fn file_error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            yaml_path: String::new(),
            message: message.into(),
            expected: None,
            hint: None,
            source_line: None,
        }
    }

    /// Adds what would have been accepted.
    #[must_use]
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Adds a hint.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    #[must_use]
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    /// Turns the diagnostic into a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic as text, compiler style:
    ///
    /// ```text
    /// error: unknown key `requird`
    ///   --> rdsai/operations/GetConversations.yaml:12:7 (at params[2].requird)
    ///    |
    /// 12 |     requird: true
    ///    |     ^
    ///   = expected: one of `name`, `in`, `type`, ...
    ///   = hint: did you mean `required`?
    /// ```
    pub fn render(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{level}: {}", escaped(&self.message))?;
        write!(f, "  --> {}", escaped(&self.file))?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.yaml_path.is_empty() {
            write!(f, " (at {})", escaped(&self.yaml_path))?;
        }
        writeln!(f)?;
        if let Some(text) = &self.source_line
            && self.line > 0
        {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            // The caret sits under the column; tabs are kept so it lines up.
            let lead: String = text
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {}", escaped(text.trim_end()))?;
            writeln!(f, "{pad} | {lead}^")?;
        }
        if let Some(expected) = &self.expected {
            writeln!(f, "  = expected: {}", escaped(expected))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {}", escaped(hint))?;
        }
        Ok(())
    }
}

/// Text quoted from a spec, safe to print: control characters (a CR or LF
/// inside a header name, an escape sequence) are shown escaped (`\r`),
/// so they can neither break the layout nor drive the terminal. Tabs stay,
/// so carets line up under source lines.
fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Renders diagnostics one after the other, separated by blank lines, with a
/// closing count line (`2 errors, 1 warning`).
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render());
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    out.push_str(&format!(
        "{} {}, {} {}\n",
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" }
    ));
    out
}

/// Sorts diagnostics by file, position, then text, so the output does not
/// depend on the order checks ran in, and drops exact duplicates.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (
            &a.file,
            a.line,
            a.column,
            &a.yaml_path,
            &a.message,
            a.severity,
        )
            .cmp(&(
                &b.file,
                b.line,
                b.column,
                &b.yaml_path,
                &b.message,
                b.severity,
            ))
    });
    diagnostics.dedup();
}

/// "did you mean `x`?" for the candidate closest to `given`, if any is close.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(given, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate closest to `given` (Jaro-Winkler on lowercase text, so case
/// slips count little), when close enough to be a plausible typo.
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = given.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == given {
            continue;
        }
        let score = strsim::jaro_winkler(&lower, &candidate.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Formats a list of allowed values for `expected:` lines: `` `a`, `b` or `c` ``.
pub fn one_of<S: AsRef<str>>(values: &[S]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{}`", v.as_ref())).collect();
    match quoted.len() {
        0 => "nothing".to_owned(),
        1 => quoted[0].clone(),
        n => format!("one of {} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
