//! Identifiers and literals from IR names.
//!
//! The IR already holds cased, keyword-escaped Rust names; this module only
//! turns them into tokens. It never panics: a name that is not a valid
//! identifier (which the validator rejects) is sanitised instead.

use proc_macro2::{Ident, Span, TokenStream};

use crate::ir::{Param, RustName};

/// Names shared by the pieces of one operation's file (its builder, its
/// pagination and streaming methods), built once by the operation emitter.
pub struct OpNames {
    /// The builder type.
    pub builder: Ident,
    /// The builder's runtime client field (`client`, unless a parameter took it).
    pub client: Ident,
    /// Response type.
    pub response: TokenStream,
    /// `crate::Error`, the generated crate's one error type.
    pub error: TokenStream,
}

/// The builder field (and, when required, argument) name of a parameter.
pub fn field_name(param: &Param) -> Ident {
    ident(&param.rust)
}

/// The identifier for an IR Rust name (`r#type` becomes a raw identifier).
pub fn ident(name: &RustName) -> Ident {
    ident_str(&name.0)
}

/// The identifier for a name given as text, raw when it is spelled `r#...`.
pub fn ident_str(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) if is_ident_shape(raw) && !matches!(raw, "self" | "Self" | "super" | "crate") => {
            Ident::new_raw(raw, Span::call_site())
        }
        Some(raw) => Ident::new(&sanitise(raw), Span::call_site()),
        None if is_ident(name) => Ident::new(name, Span::call_site()),
        None => Ident::new(&sanitise(name), Span::call_site()),
    }
}

/// The name without a raw-identifier prefix, for documentation text.
pub fn bare(name: &RustName) -> &str {
    name.0.strip_prefix("r#").unwrap_or(&name.0)
}

fn is_ident(name: &str) -> bool {
    is_ident_shape(name) && !is_strict_keyword(name)
}

/// Letters, digits and `_`, not starting with a digit, not `_` alone.
fn is_ident_shape(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
    first_ok && chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) && name != "_"
}

/// Keywords that can not be plain identifiers (raw ones handled by the IR).
fn is_strict_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// Replaces what can not be in an identifier; keeps the result usable.
fn sanitise(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c == '_' || c.is_ascii_alphanumeric() {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) || is_strict_keyword(&out) {
        out.insert(0, '_');
    }
    if out == "_" {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_keywords_become_raw_identifiers() {
        assert_eq!(ident_str("r#type").to_string(), "r#type");
        assert_eq!(ident_str("r#match").to_string(), "r#match");
    }

    #[test]
    fn names_that_can_not_be_raw_are_sanitised() {
        assert_eq!(ident_str("r#self").to_string(), "_self");
        assert_eq!(ident_str("2fa").to_string(), "_2fa");
        assert_eq!(ident_str("a-b").to_string(), "a_b");
    }
}
