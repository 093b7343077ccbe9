//! Type expressions (`string`, `list<Conversation>`, `map<int32>`): parsing
//! into a small syntax tree. Names are resolved later, against the
//! service's type table.

/// The primitive type names, in the order the spec format documents them.
pub const PRIMITIVES: &[&str] = &[
    "string",
    "bool",
    "int32",
    "int64",
    "float64",
    "timestamp_s",
    "timestamp_ms",
    "json",
];

/// How deeply types may nest: `list<` and `map<` levels in one expression,
/// and, counting those and every named type on the way down, from any named
/// type to its deepest part. Deeper types overflow the generator's stack and
/// rustc's recursion limits (rustdoc's auto-trait check overflows at 15
/// nested maps); real APIs stay under 10. `cargo xtask contract` builds
/// and documents a crate exactly at the limit.
pub const MAX_TYPE_DEPTH: usize = 12;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// One of [`PRIMITIVES`].
    Primitive(&'static str),
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `map<T>` (string keys).
    Map(Box<TypeExpr>),
    /// The name of a declared type.
    Named(String),
}

/// Why an expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// What a type expression may look like, for `expected:` lines.
pub const EXPECTED: &str = "a primitive (`string`, `bool`, `int32`, `int64`, `float64`, `timestamp_s`, \
`timestamp_ms`, `json`), `list<T>`, `map<T>` or the name of a declared type";

/// Parses a whole expression.
pub fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
    let mut parser = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    parser.skip_spaces();
    if parser.pos < text.len() {
        return Err(SyntaxError {
            message: format!(
                "unexpected `{}` after the type `{}`",
                &text[parser.pos..],
                text[..parser.pos].trim()
            ),
            hint: None,
        });
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    /// `list<` / `map<` levels open at `pos`.
    depth: usize,
}

impl Parser<'_> {
    fn skip_spaces(&mut self) {
        while self.text[self.pos..].starts_with(' ') {
            self.pos += 1;
        }
    }

    fn ident(&mut self) -> &str {
        let start = self.pos;
        let len = self.text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.text.len() - start);
        self.pos += len;
        &self.text[start..self.pos]
    }

    fn expr(&mut self) -> Result<TypeExpr, SyntaxError> {
        self.skip_spaces();
        let name = self.ident().to_owned();
        if name.is_empty() {
            let rest = &self.text[self.pos..];
            return Err(SyntaxError {
                message: match rest.chars().next() {
                    None => "empty type expression".to_owned(),
                    Some(c) => format!("unexpected `{c}` where a type name should be"),
                },
                hint: None,
            });
        }
        self.skip_spaces();
        let generic = self.text[self.pos..].starts_with('<');
        match (name.as_str(), generic) {
            ("list" | "map", true) => {
                self.pos += 1;
                self.depth += 1;
                if self.depth > MAX_TYPE_DEPTH {
                    return Err(SyntaxError {
                        message: format!(
                            "`list<` and `map<` nest more than {MAX_TYPE_DEPTH} levels deep"
                        ),
                        hint: Some(
                            "flatten the type, or use `json` for a deep free-form part".to_owned(),
                        ),
                    });
                }
                let inner = self.expr()?;
                self.depth -= 1;
                self.skip_spaces();
                if self.text[self.pos..].starts_with(',') {
                    return Err(SyntaxError {
                        message: format!("`{name}` takes one type argument"),
                        hint: (name == "map")
                            .then(|| "map keys are always strings: write `map<V>` with the value type only".to_owned()),
                    });
                }
                if !self.text[self.pos..].starts_with('>') {
                    return Err(SyntaxError {
                        message: format!("unclosed `<` in `{}`", self.text),
                        hint: Some(format!("close it with `>`, e.g. `{name}<string>`")),
                    });
                }
                self.pos += 1;
                Ok(if name == "list" {
                    TypeExpr::List(Box::new(inner))
                } else {
                    TypeExpr::Map(Box::new(inner))
                })
            }
            ("list" | "map", false) => Err(SyntaxError {
                message: format!("`{name}` needs its element type"),
                hint: Some(format!("write `{name}<T>`, e.g. `{name}<string>`")),
            }),
            (_, true) => Err(SyntaxError {
                message: format!("`{name}` does not take a type argument"),
                hint: Some("only `list<T>` and `map<T>` are generic".to_owned()),
            }),
            _ => Ok(match PRIMITIVES.iter().find(|p| **p == name) {
                Some(p) => TypeExpr::Primitive(p),
                None => TypeExpr::Named(name),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            parse("map<list<Conversation>>"),
            Ok(TypeExpr::Map(Box::new(TypeExpr::List(Box::new(
                TypeExpr::Named("Conversation".into())
            )))))
        );
        assert_eq!(parse(" int32 "), Ok(TypeExpr::Primitive("int32")));
    }

    /// Nesting is refused at the limit, before the parser recurses further
    /// (100,000 levels used to overflow the stack).
    #[test]
    fn nesting_is_limited() {
        let at = |n: usize| format!("{}string{}", "list<".repeat(n), ">".repeat(n));
        assert!(parse(&at(MAX_TYPE_DEPTH)).is_ok());
        let err = parse(&at(MAX_TYPE_DEPTH + 1)).expect_err("too deep");
        assert!(err.message.contains("12 levels"), "{}", err.message);
        assert!(parse(&"map<".repeat(100_000)).is_err());
    }

    #[test]
    fn rejects_malformed_expressions() {
        for bad in [
            "list<",
            "list",
            "map<string, int32>",
            "string<int32>",
            "",
            "list<int32>>",
            "a b",
            "list<>",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
