//! Rustdoc text from spec descriptions.
//!
//! Spec descriptions are prose written for people, not rustdoc: a `[x]`
//! would be an (unresolved) intra-doc link, `<id>` an unclosed HTML tag, an
//! indented line or an unlabelled code fence a doctest that fails to
//! compile, and a bare URL a `rustdoc::bare_urls` warning. This module
//! escapes all of that (outside code spans) so `cargo doc` with
//! `-D warnings` stays clean, and turns the text into `#[doc]` attributes.
//! Control characters are normalised first: a lone CR is refused by rustc
//! in doc comments and tabs by clippy (`tabs_in_doc_comments`).

use std::borrow::Cow;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Operation, Service, TextSource};

/// `#[doc = "..."]` attributes, one per line of `text` (already rustdoc).
///
/// One `quote!` repetition rather than a stream per line: interpolating a
/// token stream copies it, and docs are a fifth of all generated lines.
pub fn attrs(text: &str) -> TokenStream {
    let text = normalise(text);
    let lines = text.lines().map(doc_line);
    quote!(#(#[doc = #lines])*)
}

/// Inner `#![doc = "..."]` attributes for a crate or module.
pub fn inner_attrs(text: &str) -> TokenStream {
    let text = normalise(text);
    let lines = text.lines().map(doc_line);
    quote!(#(#![doc = #lines])*)
}

/// Text with only `\n` as a control character: CR LF and lone CR become
/// `\n`, a tab four spaces, any other control character a space.
fn normalise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A line as its doc attribute holds it: `/// text` is `#[doc = " text"]`.
fn doc_line(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        let mut out = String::with_capacity(line.len() + 1);
        out.push(' ');
        out.push_str(line);
        out
    }
}

/// Where an operation's text comes from, as one line of its docs; only in
/// a crate with imported operations, where the split is worth telling.
pub fn text_source(op: &Operation, service: &Service) -> Option<&'static str> {
    if service.operations.iter().all(|o| o.imported_text.is_none()) {
        return None;
    }
    Some(match op.imported_text {
        None => "Spec: curated (written and reviewed by hand).",
        Some(TextSource::English) => {
            "Spec: imported by `cargo xtask import`; text in English, from the official SDK's comments and Alibaba's API metadata."
        }
        Some(TextSource::Chinese) => {
            "Spec: imported by `cargo xtask import`; text in Chinese as published in Alibaba's API metadata (not translated)."
        }
        Some(TextSource::Mixed) => {
            "Spec: imported by `cargo xtask import`; text in English from the official SDK's comments where they have any, elsewhere in Chinese as published in Alibaba's API metadata (not translated)."
        }
    })
}

/// Documentation for an item: the spec description when there is one,
/// else `fallback` (already rustdoc), so every public item has docs.
pub fn item(description: Option<&str>, fallback: &str) -> String {
    match description.map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => markdown(text),
        None => fallback.to_owned(),
    }
}

/// Spec prose made safe for rustdoc.
pub fn markdown(text: &str) -> String {
    let text = normalise(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    let mut after_item = false;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            // An unlabelled or Rust fence would be compiled as a doctest.
            let info = info.trim();
            if in_fence || !(info.is_empty() || info == "rust") {
                out.push_str(trimmed);
            } else {
                out.push_str("```text");
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            // A line right after a list item would be a lazy continuation of
            // it (clippy `doc_lazy_continuation`): published prose means a
            // new paragraph there, so it gets one.
            let item = list_item(trimmed);
            if after_item && !item && !trimmed.is_empty() {
                out.push('\n');
            }
            after_item = item;
            // Four spaces of indentation would start an indented code block.
            let indent = (line.len() - trimmed.len()).min(3);
            out.push_str(&line[..indent]);
            escape_line(trimmed, &mut out);
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.truncate(out.trim_end().len());
    out
}

/// Whether a (trimmed) line starts a Markdown list item: `- `, `* `, `+ `, `1. `, `1) `.
fn list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    if digits > 0 {
        return rest.starts_with(". ") || rest.starts_with(") ");
    }
    ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m))
}

/// Escapes one line outside code fences, leaving `code spans` alone.
fn escape_line(line: &str, out: &mut String) {
    let parts = line.split('`').count();
    for (index, part) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        // Odd parts are code spans, except text after an unmatched backtick.
        if index % 2 == 1 && index + 1 < parts {
            out.push_str(part);
        } else {
            escape_prose(part, out);
        }
    }
}

fn escape_prose(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(len) = url_len(rest) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// Length of the URL starting `text`, if it starts with one.
fn url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    // Sentence punctuation after a URL is not part of it.
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_tags_and_urls_are_escaped() {
        assert_eq!(
            markdown("See [docs] at https://x.io/a. Use <id> & more"),
            "See \\[docs\\] at <https://x.io/a>. Use &lt;id&gt; &amp; more"
        );
    }

    #[test]
    fn code_spans_are_kept() {
        assert_eq!(
            markdown("Set `a[0] <b>` or [this]"),
            "Set `a[0] <b>` or \\[this\\]"
        );
    }

    #[test]
    fn fences_become_text_and_indentation_is_capped() {
        assert_eq!(
            markdown("a\n```\nfn x() {}\n```\n        deep"),
            "a\n```text\nfn x() {}\n```\n   deep"
        );
    }

    #[test]
    fn a_line_after_a_list_item_starts_a_paragraph() {
        assert_eq!(markdown("- a\n- b\nafter"), "- a\n- b\n\nafter");
        assert_eq!(markdown("1. a\n\nafter"), "1. a\n\nafter");
    }

    #[test]
    fn an_unbalanced_backtick_is_left_as_is() {
        assert_eq!(markdown("a ` [b]"), "a ` \\[b\\]");
    }

    #[test]
    fn control_characters_are_normalised() {
        assert_eq!(markdown("a\rb\r\nc\td\u{7}e"), "a\nb\nc    d e");
        let attrs = attrs("x\ry\tz").to_string();
        assert!(!attrs.contains("\\r") && !attrs.contains("\\t"), "{attrs}");
    }

    #[test]
    fn missing_descriptions_fall_back() {
        assert_eq!(item(None, "Fallback."), "Fallback.");
        assert_eq!(item(Some("  "), "Fallback."), "Fallback.");
    }
}
