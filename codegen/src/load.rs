//! Loading one spec file: YAML with positions, the structural check against
//! the generated JSON Schema, then decoding into the spec types.

use serde::de::DeserializeOwned;

use crate::diagnostic::{DECODE_FAILED, Diagnostic};
use crate::source::SourceFile;
use crate::structure;
use crate::yaml_tree::{Document, NodeDeserializer, Part, Pos};

/// A spec file with its parsed document: places diagnostics by YAML path.
pub struct FileCtx<'a> {
    /// Path relative to the spec root.
    pub path: &'a str,
    text: &'a str,
    doc: Option<Document>,
}

impl<'a> FileCtx<'a> {
    /// A file whose YAML could not be parsed (diagnostics go to explicit positions).
    fn unparsed(file: &'a SourceFile) -> Self {
        FileCtx {
            path: &file.path,
            text: &file.text,
            doc: None,
        }
    }

    /// An error at `yaml_path` (or its closest existing ancestor).
    pub fn error(&self, yaml_path: &str, part: Part, message: impl Into<String>) -> Diagnostic {
        let pos = self
            .doc
            .as_ref()
            .map_or(Pos { line: 1, column: 1 }, |d| d.locate(yaml_path, part));
        let mut d = self.error_at(pos, message);
        d.yaml_path = yaml_path.to_owned();
        d
    }

    /// An error at an explicit position.
    pub fn error_at(&self, pos: Pos, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::file_error(self.path, message);
        // Parsers may point one past the last line (end of input).
        let line_count = self.text.lines().count().max(1);
        d.line = pos.line.clamp(1, line_count + 1);
        d.column = pos.column.max(1);
        d.source_line = self.text.lines().nth(d.line - 1).map(str::to_owned);
        d
    }

    /// An error at line `line`, column `column` (1-based) of the text of the
    /// scalar at `yaml_path`, when that scalar is a literal block whose lines
    /// are the file's.
    pub fn error_in_literal(
        &self,
        yaml_path: &str,
        line: usize,
        column: usize,
        message: &str,
    ) -> Option<Diagnostic> {
        let pos = self
            .doc
            .as_ref()?
            .locate_in_literal(yaml_path, line, column)?;
        let mut d = self.error_at(pos, message);
        d.yaml_path = yaml_path.to_owned();
        Some(d)
    }

    /// The line of a YAML path's key, for messages that point at a second
    /// place (`file:line`).
    pub fn line_of(&self, yaml_path: &str) -> usize {
        self.doc
            .as_ref()
            .map_or(1, |d| d.locate(yaml_path, Part::Key).line)
    }
}

/// A loaded file: its context, and the decoded spec when the file is valid.
pub struct Loaded<'a, T> {
    /// Where diagnostics about this file go.
    pub ctx: FileCtx<'a>,
    /// The decoded spec, `None` when the file has structural errors.
    pub spec: Option<T>,
}

/// Loads `file` as a `T`, checking it against `schema` (the root schema
/// generated for `T`). Every problem goes to `out`; `spec` is `None` when
/// there was any.
pub fn load<'a, T: DeserializeOwned>(
    file: &'a SourceFile,
    schema: &serde_json::Value,
    out: &mut Vec<Diagnostic>,
) -> Loaded<'a, T> {
    let (doc, problems) = match Document::parse(&file.text) {
        Ok(parsed) => parsed,
        Err(problem) => {
            let ctx = FileCtx::unparsed(file);
            out.push(
                ctx.error_at(problem.pos, problem.message)
                    .maybe_hint(problem.hint),
            );
            return Loaded { ctx, spec: None };
        }
    };
    let ctx = FileCtx {
        path: &file.path,
        text: &file.text,
        doc: Some(doc),
    };
    let before = out.len();
    for problem in problems {
        let mut d = ctx
            .error_at(problem.pos, problem.message)
            .maybe_hint(problem.hint);
        d.yaml_path = problem.path;
        out.push(d);
    }
    let Some(root) = ctx.doc.as_ref().map(|d| &d.root) else {
        return Loaded { ctx, spec: None };
    };
    for issue in structure::check(root, schema) {
        let mut d = ctx
            .error(&issue.path, issue.part, issue.message)
            .maybe_hint(issue.hint);
        d.expected = issue.expected;
        out.push(d);
    }
    if out.len() > before {
        return Loaded { ctx, spec: None };
    }
    // The structural check accepts exactly what serde accepts, so this
    // fails only if the two disagree; then serde's own message is reported,
    // from a second decoding that tracks the path (tracking it every time
    // would slow down every file for the sake of none).
    let decoded = match T::deserialize(NodeDeserializer(root)) {
        Ok(spec) => Ok(spec),
        Err(_) => serde_path_to_error::deserialize::<_, T>(NodeDeserializer(root)),
    };
    match decoded {
        Ok(spec) => Loaded {
            ctx,
            spec: Some(spec),
        },
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            out.push(ctx.error(&path, Part::Value, format!("{DECODE_FAILED}{}", e.inner())));
            Loaded { ctx, spec: None }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::OperationSpec;

    /// With a schema that lets everything through, a decoding failure is
    /// still reported, at the path where it happened.
    #[test]
    fn decoding_failure_is_placed() {
        let file = SourceFile::new(
            "s/operations/A.yaml",
            "operation: A\nhttp: {method: GET, path: /a}\nresponse: string\nparams:\n- {name: x, in: nowhere, type: string}\n",
        );
        let mut out = Vec::new();
        let loaded = load::<OperationSpec>(&file, &serde_json::Value::Bool(true), &mut out);
        assert!(loaded.spec.is_none());
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].yaml_path, "params[0].in");
        assert_eq!(out[0].line, 5);
        assert!(
            out[0].message.starts_with(DECODE_FAILED),
            "{}",
            out[0].message
        );
    }
}
