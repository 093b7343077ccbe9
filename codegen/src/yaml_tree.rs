//! YAML parsed into a tree that remembers where every key and value is.
//!
//! `serde_yaml` reports only the first error of a file and forgets positions
//! once a value is deserialised, but every later check (unknown keys, bad
//! types, dangling references) must point at a line. So each file is parsed
//! once, with `yaml-rust2`'s event parser and its markers, into this tree;
//! the tree gives both the JSON value the spec types are decoded from and
//! the positions of YAML paths (`params[2].type`).
//!
//! A path is located by walking the tree along its segments, so nothing is
//! paid for the (many) nodes no diagnostic ever points at. Only a document
//! with keys that would make paths ambiguous (empty, or holding `.`, `[` or
//! `]`) gets a full path index, which resolves such paths the way the
//! paths themselves read.

mod decode;

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

pub(crate) use decode::NodeDeserializer;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Pos {
    fn from_marker(mark: Marker) -> Self {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Pos {
            line: mark.line().max(1),
            column: mark.col() + 1,
        }
    }
}

/// A YAML node with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts (for a literal block scalar, `|`, where its
    /// first content line starts).
    pub pos: Pos,
    /// Whether the value is a literal block scalar, whose lines are the
    /// file's lines (so positions inside its text map to the file).
    pub literal: bool,
}

/// A YAML value, scalars already resolved with the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order: (key, key position, value).
    Map(Vec<(String, Pos, Node)>),
}

/// Where a path's key and value are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spot {
    key: Option<Pos>,
    value: Pos,
    literal: bool,
}

/// A parsed YAML document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The root node.
    pub root: Node,
    /// Path index, only for documents whose keys make paths ambiguous
    /// (see the module docs); `None` means paths are located in the tree.
    index: Option<HashMap<String, Spot>>,
}

/// A problem found while parsing: syntax errors, duplicate keys, aliases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    /// Where.
    pub pos: Pos,
    /// YAML path of the enclosing node, when known.
    pub path: String,
    /// What.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Which part of a mapping entry a diagnostic points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key (unknown keys, duplicate names).
    Key,
    /// The value (wrong types, bad references).
    Value,
}

impl Document {
    /// Parses `text`. Syntax errors end the parse (the first one is all a
    /// YAML parser can locate reliably); duplicate keys and aliases are
    /// reported all at once, with the tree still built.
    pub fn parse(text: &str) -> Result<(Document, Vec<ParseProblem>), ParseProblem> {
        let mut builder = Builder::default();
        // A UTF-8 byte-order mark is not content (editors on Windows add it).
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut parser = Parser::new_from_str(text);
        // Every document is read, so a second one is reported, not dropped.
        if let Err(e) = parser.load(&mut builder, true) {
            return Err(ParseProblem {
                pos: Pos::from_marker(*e.marker()),
                path: String::new(),
                message: format!("YAML syntax error: {}", e.info()),
                hint: None,
            });
        }
        let root = builder.root.unwrap_or(Node {
            value: Value::Null,
            pos: Pos { line: 1, column: 1 },
            literal: false,
        });
        let mut problems = builder.problems;
        let index = if builder.ambiguous_keys {
            let mut index = HashMap::new();
            build_index(&root, String::new(), None, &mut index, &mut problems);
            Some(index)
        } else {
            report_duplicates(&root, &mut String::new(), &mut problems);
            None
        };
        Ok((Document { root, index }, problems))
    }

    /// Where `path` is: the spot of the path or of its closest existing
    /// ancestor, and whether that is the path itself.
    fn find(&self, path: &str) -> (Spot, bool) {
        match &self.index {
            Some(index) => {
                let mut current = path;
                loop {
                    if let Some(spot) = index.get(current) {
                        return (*spot, current == path);
                    }
                    match parent_path(current) {
                        Some(parent) => current = parent,
                        // The root is always indexed; this is unreachable.
                        None => return (Spot::of(&self.root, None), path.is_empty()),
                    }
                }
            }
            None => walk(&self.root, path),
        }
    }

    /// Position of `path`, or of its closest existing ancestor when the path
    /// does not exist (a missing key is reported at its parent).
    pub fn locate(&self, path: &str, part: Part) -> Pos {
        match (part, self.find(path)) {
            (Part::Key, (Spot { key: Some(key), .. }, true)) => key,
            (_, (spot, _)) => spot.value,
        }
    }
}

impl Document {
    /// Where line `line`, column `column` (1-based) of the text of the
    /// scalar at `path` is in the file, when that scalar is a literal block.
    pub fn locate_in_literal(&self, path: &str, line: usize, column: usize) -> Option<Pos> {
        let spot = Some(self.find(path))
            .filter(|(s, exact)| *exact && s.literal)?
            .0;
        Some(Pos {
            line: spot.value.line + line.saturating_sub(1),
            column: spot.value.column + column.saturating_sub(1),
        })
    }
}

/// `a.b[2].c` -> `a.b[2]` -> `a.b` -> `a` -> `` -> None.
pub fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

/// Appends a key to a YAML path.
pub fn join_key(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// Appends an index to a YAML path.
pub fn join_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

impl Spot {
    fn of(node: &Node, key: Option<Pos>) -> Self {
        Spot {
            key,
            value: node.pos,
            literal: node.literal,
        }
    }
}

/// Whether a mapping key can appear in a path without making it ambiguous.
fn is_simple_key(key: &str) -> bool {
    !key.is_empty() && !key.contains(['.', '[', ']'])
}

/// Follows `path` down from `root` (every key being simple): the spot of
/// the deepest node reached, and whether that is the whole path. A path
/// segment is `key` (first), `.key` or `[index]`, exactly as
/// [`join_key`] and [`join_index`] write them; of duplicate keys the first
/// counts.
fn walk(root: &Node, path: &str) -> (Spot, bool) {
    let mut spot = Spot::of(root, None);
    let mut node = root;
    let mut rest = path;
    let mut first = true;
    while !rest.is_empty() {
        // After the first segment, `rest` starts at a `.` or `[`.
        let (is_index, start) = match rest.as_bytes()[0] {
            b'[' => (true, 0),
            b'.' if !first => (false, 1),
            _ => (false, 0),
        };
        let search_from = if is_index { 1 } else { start };
        let end = rest[search_from..]
            .find(['.', '['])
            .map_or(rest.len(), |i| i + search_from);
        let segment = &rest[start..end];
        let next = match (&node.value, is_index) {
            (Value::Seq(items), true) => parse_index(segment)
                .and_then(|i| items.get(i))
                .map(|item| (item, None)),
            (Value::Map(entries), false) => entries
                .iter()
                .find(|(k, _, _)| k == segment)
                .map(|(_, kpos, v)| (v, Some(*kpos))),
            _ => None,
        };
        let Some((child, key)) = next else {
            return (spot, false);
        };
        node = child;
        spot = Spot::of(child, key);
        rest = &rest[end..];
        first = false;
    }
    (spot, true)
}

/// `[12]` -> 12; only the form [`join_index`] writes (no sign, no leading
/// zeros).
fn parse_index(segment: &str) -> Option<usize> {
    let digits = segment.strip_prefix('[')?.strip_suffix(']')?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

/// Reports keys repeated within a mapping (all keys being simple), in
/// document order; a repeated key's value is not looked into, as the first
/// one is the one that counts. `path` is the YAML path of `node`, restored
/// on return.
fn report_duplicates(node: &Node, path: &mut String, problems: &mut Vec<ParseProblem>) {
    let len = path.len();
    match &node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                use std::fmt::Write as _;
                // Writing to a String can not fail.
                let _ = write!(path, "[{i}]");
                report_duplicates(item, path, problems);
                path.truncate(len);
            }
        }
        Value::Map(entries) => {
            // Small mappings (nearly all) are scanned; big ones hashed.
            let mut seen = HashSet::new();
            let big = entries.len() > 16;
            for (i, (k, kpos, v)) in entries.iter().enumerate() {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let repeated = if big {
                    !seen.insert(k.as_str())
                } else {
                    entries[..i].iter().any(|(earlier, _, _)| earlier == k)
                };
                if repeated {
                    problems.push(duplicate_key(k, *kpos, path.clone()));
                } else {
                    report_duplicates(v, path, problems);
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn duplicate_key(key: &str, pos: Pos, path: String) -> ParseProblem {
    ParseProblem {
        pos,
        path,
        message: format!("duplicate key `{key}`"),
        hint: Some("a key may appear only once in a mapping; remove one".to_owned()),
    }
}

/// The full path index, for documents with ambiguous keys: every path to
/// its spot, the first one written winning when two read the same.
fn build_index(
    node: &Node,
    path: String,
    key: Option<Pos>,
    index: &mut HashMap<String, Spot>,
    problems: &mut Vec<ParseProblem>,
) {
    match &node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                build_index(item, join_index(&path, i), None, index, problems);
            }
        }
        Value::Map(entries) => {
            for (k, kpos, v) in entries {
                let child = join_key(&path, k);
                if index.contains_key(&child) {
                    problems.push(duplicate_key(k, *kpos, child));
                    continue;
                }
                build_index(v, child, Some(*kpos), index, problems);
            }
        }
        _ => {}
    }
    index.entry(path).or_insert(Spot::of(node, key));
}

impl Value {
    /// The value as JSON, for decoding into the spec types. Duplicate keys
    /// keep their first value (the duplicate is reported separately);
    /// non-finite floats, which JSON lacks, become their text.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or_else(
                || serde_json::Value::String(f.to_string()),
                serde_json::Value::Number,
            ),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(|n| n.value.to_json()).collect())
            }
            Value::Map(entries) => {
                let mut map = serde_json::Map::new();
                for (k, _, v) in entries {
                    map.entry(k.clone()).or_insert_with(|| v.value.to_json());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// Builds the tree from parser events.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    problems: Vec<ParseProblem>,
    /// Whether some key is not simple (see [`is_simple_key`]).
    ambiguous_keys: bool,
    /// Documents started so far; everything after the first is reported
    /// once and ignored.
    documents: usize,
    /// Open collections below [`MAX_YAML_DEPTH`] that are being skipped.
    skipped: usize,
}

/// How deeply YAML collections may nest in a spec file: the tree is walked
/// recursively afterwards, and real specs stay under 12 levels.
pub const MAX_YAML_DEPTH: usize = 64;

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(String, Pos, Node)>, Option<(String, Pos)>),
}

impl Builder {
    fn push_node(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                Some((key, kpos)) => entries.push((key, kpos, node)),
                None => {
                    let key = match node.value {
                        Value::Str(s) => s,
                        Value::Null => "null".to_owned(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Seq(_) | Value::Map(_) => {
                            self.problems.push(ParseProblem {
                                pos: node.pos,
                                path: String::new(),
                                message: "a mapping key must be plain text, not a list or mapping"
                                    .to_owned(),
                                hint: None,
                            });
                            "?".to_owned()
                        }
                    };
                    self.ambiguous_keys |= !is_simple_key(&key);
                    *pending = Some((key, node.pos));
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos::from_marker(mark);
        if let Event::DocumentStart = ev {
            self.documents += 1;
            if self.documents == 2 {
                self.problems.push(ParseProblem {
                    pos,
                    path: String::new(),
                    message: "a second YAML document (after `---`): a spec file holds one"
                        .to_owned(),
                    hint: Some(
                        "remove the `---` line, or move the second document to its own file"
                            .to_owned(),
                    ),
                });
            }
        }
        if self.documents > 1 {
            return;
        }
        // Collections nested too deep are skipped whole, leaving a null.
        match ev {
            Event::SequenceStart(..) | Event::MappingStart(..)
                if self.skipped > 0 || self.stack.len() >= MAX_YAML_DEPTH =>
            {
                if self.skipped == 0 {
                    self.problems.push(ParseProblem {
                        pos,
                        path: String::new(),
                        message: format!(
                            "lists and mappings nest more than {MAX_YAML_DEPTH} levels deep"
                        ),
                        hint: Some("flatten the file; no spec needs this depth".to_owned()),
                    });
                }
                self.skipped += 1;
                return;
            }
            Event::SequenceEnd | Event::MappingEnd if self.skipped > 0 => {
                self.skipped -= 1;
                if self.skipped == 0 {
                    self.push_node(Node {
                        value: Value::Null,
                        pos,
                        literal: false,
                    });
                }
                return;
            }
            _ if self.skipped > 0 => return,
            _ => {}
        }
        match ev {
            Event::Scalar(text, style, _, tag) => {
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == TScalarStyle::Plain && !is_str_tag {
                    resolve_non_text(&text).unwrap_or(Value::Str(text))
                } else {
                    Value::Str(text)
                };
                let literal = style == TScalarStyle::Literal;
                self.push_node(Node {
                    value,
                    pos,
                    literal,
                });
            }
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(pos, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(pos, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(pos, items)) => Node {
                        value: Value::Seq(items),
                        pos,
                        literal: false,
                    },
                    // A block mapping's start marker can sit after its first
                    // key; the first key is where a reader sees it start.
                    Some(Frame::Map(pos, entries, _)) => {
                        let pos = entries
                            .first()
                            .map_or(pos, |(_, key_pos, _)| (*key_pos).min(pos));
                        Node {
                            value: Value::Map(entries),
                            pos,
                            literal: false,
                        }
                    }
                    None => return,
                };
                self.push_node(node);
            }
            Event::Alias(_) => {
                // Aliases would let one spot in the file stand for several
                // paths (and can blow up exponentially); specs don't need them.
                self.problems.push(ParseProblem {
                    pos,
                    path: String::new(),
                    message: "YAML aliases (`*name`) are not supported in spec files".to_owned(),
                    hint: Some("write the value out in full".to_owned()),
                });
                self.push_node(Node {
                    value: Value::Null,
                    pos,
                    literal: false,
                });
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema (the schema
/// `serde_yaml` and most editors use).
pub fn resolve_plain(text: &str) -> Value {
    resolve_non_text(text).unwrap_or_else(|| Value::Str(text.to_owned()))
}

/// [`resolve_plain`], `None` for text (so the parser's string is kept
/// instead of copied).
fn resolve_non_text(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Value::Float(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Some(Value::Int(i));
        }
    } else if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Some(Value::Int(i));
        }
    } else if is_decimal_int(text) {
        return match text.parse::<i64>() {
            Ok(i) => Some(Value::Int(i)),
            Err(_) => text.parse::<f64>().ok().map(Value::Float),
        };
    } else if is_decimal_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Some(Value::Float(f));
    }
    None
}

/// `[-+]?[0-9]+`
fn is_decimal_int(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_decimal_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(frac) => all_digits(int) && all_digits(frac) && !(int.is_empty() && frac.is_empty()),
        None => !int.is_empty() && all_digits(int),
    };
    let exponent_ok = exponent.is_none_or(is_decimal_int);
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_types() {
        let text = "a: 1\nb:\n  - x: true\n    y: '2'\n  - 3.5\n";
        let (doc, problems) = Document::parse(text).expect("parses");
        assert!(problems.is_empty());
        assert_eq!(doc.locate("b[0].y", Part::Key), Pos { line: 4, column: 5 });
        assert_eq!(
            doc.locate("b[0].y", Part::Value),
            Pos { line: 4, column: 8 }
        );
        assert_eq!(doc.locate("b[1]", Part::Value), Pos { line: 5, column: 5 });
        assert_eq!(
            doc.locate("b[0].missing", Part::Key),
            Pos { line: 3, column: 5 }
        );
        assert_eq!(
            doc.root.value.to_json(),
            serde_json::json!({"a": 1, "b": [{"x": true, "y": "2"}, 3.5]})
        );
    }

    /// The tree walk finds what the full index finds, for every path of a
    /// document and for paths that do not exist or no join could write.
    #[test]
    fn walking_agrees_with_the_index() {
        let text = "a: 1\nb:\n  - x: true\n    y: |\n      two\n  - 3.5\n  - [p, {q: r}]\nc: {d: {e: f}}\nb: dup\n";
        let (doc, problems) = Document::parse(text).expect("parses");
        assert!(doc.index.is_none());
        assert_eq!(problems.len(), 1);
        let mut index = HashMap::new();
        build_index(&doc.root, String::new(), None, &mut index, &mut Vec::new());
        let indexed = Document {
            root: doc.root.clone(),
            index: Some(index.clone()),
        };
        let odd = [
            "",
            ".a",
            "a.",
            "a..b",
            "b[0]x",
            "b[00]",
            "b[01]",
            "b[]",
            "b[-1]",
            "b[9]",
            "b.0",
            "c[0]",
            "[0]",
            "b[0].y.z",
            "b[2][1].q",
            "b[2][1].q.r",
            "c.d.e.f",
            "zz",
            "b[0]]",
        ];
        for path in index.keys().map(String::as_str).chain(odd) {
            for part in [Part::Key, Part::Value] {
                assert_eq!(doc.locate(path, part), indexed.locate(path, part), "{path}");
            }
            assert_eq!(
                doc.locate_in_literal(path, 2, 3),
                indexed.locate_in_literal(path, 2, 3),
                "{path}"
            );
        }
    }

    #[test]
    fn ambiguous_keys_use_the_index() {
        let (doc, problems) = Document::parse("a.b: 1\na:\n  b: 2\n").expect("parses");
        assert!(doc.index.is_some());
        // `a.b` reads the same both times: the second is reported.
        assert_eq!(problems.len(), 1);
        assert_eq!(doc.locate("a.b", Part::Key), Pos { line: 1, column: 1 });
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let (_, problems) = Document::parse("a: 1\nb: 2\na: 3\n").expect("parses");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pos, Pos { line: 3, column: 1 });
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = Document::parse("a: [1, 2\nb: 3\n").expect_err("bad yaml");
        assert!(err.pos.line >= 1);
    }
}
