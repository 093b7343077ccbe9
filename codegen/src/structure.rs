//! The structural check: a YAML tree against the JSON Schema generated from
//! the spec types, reporting every unknown key, wrong value type, missing
//! key and unknown enum value of a file at once, with human messages.
//!
//! A general JSON Schema validator would do the matching but not the
//! messages ("is not valid under any of the schemas" for a typo in a tagged
//! enum), so this small walker understands exactly the shapes `schemars`
//! produces for serde types: objects with `additionalProperties: false`,
//! `$ref`, nullable `type` arrays, string enums (`enum` or `oneOf` of
//! `const`), internally tagged enums (`oneOf` of objects told apart by a
//! `const` tag property), maps and lists.

use serde_json::Value as Json;

use crate::diagnostic::{closest, one_of};
use std::fmt::Write as _;

use crate::yaml_tree::{Node, Part, Pos, Value};

/// One structural problem, placed by YAML path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// YAML path of the offending key or value.
    pub path: String,
    /// Whether the key or the value is wrong.
    pub part: Part,
    /// What is wrong.
    pub message: String,
    /// What is accepted.
    pub expected: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Checks `node` against `root` (a root schema with `$defs`).
pub fn check(node: &Node, root: &Json) -> Vec<Issue> {
    let mut walker = Walker {
        root,
        issues: Vec::new(),
        path: String::new(),
    };
    walker.check(node, root);
    walker.issues
}

struct Walker<'a> {
    root: &'a Json,
    issues: Vec<Issue>,
    /// YAML path of the node being checked: one buffer, extended and cut
    /// back while walking, copied only into an issue.
    path: String,
}

impl<'a> Walker<'a> {
    fn issue(
        &mut self,
        part: Part,
        message: String,
        expected: Option<String>,
        hint: Option<String>,
    ) {
        self.issues.push(Issue {
            path: self.path.clone(),
            part,
            message,
            expected,
            hint,
        });
    }

    /// Appends `.key` (or `key` at the root) to the path; returns the
    /// length to cut it back to.
    fn push_key(&mut self, key: &str) -> usize {
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(key);
        len
    }

    /// Follows `$ref`s to the schema that says something.
    fn resolve(&self, mut schema: &'a Json) -> &'a Json {
        // Bounded: schemars never chains more than a couple of refs.
        for _ in 0..16 {
            let Some(reference) = schema.get("$ref").and_then(Json::as_str) else {
                break;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            match self.root.get("$defs").and_then(|d| d.get(name)) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn check(&mut self, node: &Node, schema: &'a Json) {
        let schema = self.resolve(schema);
        let Some(obj) = schema.as_object() else {
            // `true` (any value, e.g. `serde_json::Value`) or `false`.
            if schema == &Json::Bool(false) {
                self.issue(Part::Key, "no value is allowed here".to_owned(), None, None);
            }
            return;
        };
        if let Some(alternatives) = obj
            .get("oneOf")
            .or_else(|| obj.get("anyOf"))
            .and_then(Json::as_array)
        {
            self.check_alternatives(node, alternatives);
            return;
        }
        if let Some(values) = obj.get("enum").and_then(Json::as_array) {
            let names: Vec<&str> = values.iter().filter_map(Json::as_str).collect();
            self.check_string_choice(node, &names);
            return;
        }
        if let Some(constant) = obj.get("const").and_then(Json::as_str) {
            self.check_string_choice(node, &[constant]);
            return;
        }
        if !self.check_type(node, schema) {
            return;
        }
        match &node.value {
            Value::Map(entries) => self.check_object(entries, obj),
            Value::Seq(items) => {
                if let Some(item_schema) = obj.get("items") {
                    let len = self.path.len();
                    for (i, item) in items.iter().enumerate() {
                        // Writing to a String can not fail.
                        let _ = write!(self.path, "[{i}]");
                        self.check(item, item_schema);
                        self.path.truncate(len);
                    }
                }
            }
            Value::Int(i) => self.check_range(*i as f64, obj),
            Value::Float(f) => self.check_range(*f, obj),
            Value::Null | Value::Bool(_) | Value::Str(_) => {}
        }
    }

    /// `type`: returns whether the node has one of the allowed types.
    fn check_type(&mut self, node: &Node, schema: &Json) -> bool {
        // Borrowed as a slice: this runs for every node, the list is only
        // collected for a message.
        let allowed: &[Json] = match schema.get("type") {
            Some(t @ Json::String(_)) => std::slice::from_ref(t),
            Some(Json::Array(ts)) => ts,
            _ => return true,
        };
        let ok = allowed.iter().filter_map(Json::as_str).any(|t| match t {
            "null" => matches!(node.value, Value::Null),
            "boolean" => matches!(node.value, Value::Bool(_)),
            "integer" => matches!(node.value, Value::Int(_)),
            "number" => matches!(node.value, Value::Int(_) | Value::Float(_)),
            "string" => matches!(node.value, Value::Str(_)),
            "array" => matches!(node.value, Value::Seq(_)),
            "object" => matches!(node.value, Value::Map(_)),
            _ => true,
        });
        if !ok {
            let allowed: Vec<&str> = allowed.iter().filter_map(Json::as_str).collect();
            let expected = describe_types(&allowed);
            let hint = quote_hint(node, &allowed);
            self.issue(
                Part::Value,
                format!("expected {expected}, found {}", describe_node(node)),
                None,
                hint,
            );
        }
        ok
    }

    fn check_range(&mut self, n: f64, obj: &serde_json::Map<String, Json>) {
        let min = obj.get("minimum").and_then(Json::as_f64);
        let max = obj.get("maximum").and_then(Json::as_f64);
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            let range = format!(
                "a number from {} to {}",
                min.map_or("-inf".to_owned(), |m| m.to_string()),
                max.map_or("inf".to_owned(), |m| m.to_string())
            );
            self.issue(
                Part::Value,
                format!("number {n} is out of range"),
                Some(range),
                None,
            );
        }
    }

    fn check_object(
        &mut self,
        entries: &[(String, Pos, Node)],
        obj: &'a serde_json::Map<String, Json>,
    ) {
        let properties = obj.get("properties").and_then(Json::as_object);
        let additional = obj.get("additionalProperties");
        for (key, _, value) in entries {
            let len = self.push_key(key);
            if let Some(prop) = properties.and_then(|p| p.get(key)) {
                self.check(value, prop);
            } else {
                match additional {
                    Some(Json::Bool(false)) => {
                        let names: Vec<&str> = properties
                            .into_iter()
                            .flat_map(|p| p.keys())
                            .map(String::as_str)
                            .collect();
                        let hint = closest(key, names.iter().copied())
                            .map(|c| format!("did you mean `{c}`?"));
                        self.issue(
                            Part::Key,
                            format!("unknown key `{key}`"),
                            Some(one_of(&names)),
                            hint,
                        );
                    }
                    Some(schema) => self.check(value, schema),
                    None => {}
                }
            }
            self.path.truncate(len);
        }
        if let Some(required) = obj.get("required").and_then(Json::as_array) {
            for name in required.iter().filter_map(Json::as_str) {
                if !entries.iter().any(|(k, _, _)| k == name) {
                    let expected = properties
                        .and_then(|p| p.get(name))
                        .map(|p| self.describe(p));
                    self.issue(
                        Part::Value,
                        format!(
                            "missing key `{name}`{}",
                            if self.path.is_empty() {
                                String::new()
                            } else {
                                format!(" in `{}`", self.path)
                            }
                        ),
                        expected.map(|e| format!("`{name}`: {e}")),
                        None,
                    );
                }
            }
        }
    }

    /// A string that must be one of `names`.
    fn check_string_choice(&mut self, node: &Node, names: &[&str]) {
        match &node.value {
            Value::Str(s) if names.contains(&s.as_str()) => {}
            Value::Str(s) => {
                let hint =
                    closest(s, names.iter().copied()).map(|c| format!("did you mean `{c}`?"));
                self.issue(
                    Part::Value,
                    format!("unknown value `{s}`"),
                    Some(one_of(names)),
                    hint,
                );
            }
            _ => self.issue(
                Part::Value,
                format!("expected text, found {}", describe_node(node)),
                Some(one_of(names)),
                None,
            ),
        }
    }

    fn check_alternatives(&mut self, node: &Node, alternatives: &'a [Json]) {
        let alternatives: Vec<&'a Json> = alternatives.iter().map(|a| self.resolve(a)).collect();
        // A nullable reference: `anyOf: [{$ref}, {type: null}]`.
        let non_null: Vec<&'a Json> = alternatives
            .iter()
            .copied()
            .filter(|a| !is_null_schema(a))
            .collect();
        if matches!(node.value, Value::Null) && non_null.len() < alternatives.len() {
            return;
        }
        // A string enum whose variants carry documentation.
        let constants: Vec<&str> = non_null
            .iter()
            .filter_map(|a| a.get("const").and_then(Json::as_str))
            .collect();
        if constants.len() == non_null.len() && !constants.is_empty() {
            self.check_string_choice(node, &constants);
            return;
        }
        if let Some(tag) = tag_property(&non_null) {
            self.check_tagged(node, &non_null, &tag);
            return;
        }
        if let [only] = non_null.as_slice() {
            self.check(node, only);
            return;
        }
        // Anything else: the first alternative that fits, or the issues of
        // the one that fits best.
        let mut best: Option<Vec<Issue>> = None;
        for alternative in non_null {
            let mut sub = Walker {
                root: self.root,
                issues: Vec::new(),
                path: self.path.clone(),
            };
            sub.check(node, alternative);
            if sub.issues.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| sub.issues.len() < b.len()) {
                best = Some(sub.issues);
            }
        }
        self.issues.extend(best.unwrap_or_default());
    }

    /// An internally tagged enum (`kind: bearer`, `style: cursor`): the tag
    /// picks the alternative, the rest of the mapping is checked against it.
    fn check_tagged(&mut self, node: &Node, alternatives: &[&'a Json], tag: &str) {
        let tags: Vec<&str> = alternatives
            .iter()
            .filter_map(|a| tag_value(a, tag))
            .collect();
        let Value::Map(entries) = &node.value else {
            self.issue(
                Part::Value,
                format!(
                    "expected a mapping with a `{tag}` key, found {}",
                    describe_node(node)
                ),
                Some(format!("`{tag}`: {}", one_of(&tags))),
                None,
            );
            return;
        };
        let Some((_, _, tag_node)) = entries.iter().find(|(k, _, _)| k == tag) else {
            let hint = entries.iter().find_map(|(k, _, _)| {
                closest(k, [tag]).map(|_| format!("did you mean `{tag}` instead of `{k}`?"))
            });
            self.issue(
                Part::Value,
                format!("missing key `{tag}`"),
                Some(format!("`{tag}`: {}", one_of(&tags))),
                hint,
            );
            return;
        };
        let chosen = match &tag_node.value {
            Value::Str(s) => alternatives
                .iter()
                .find(|a| tag_value(a, tag) == Some(s.as_str())),
            _ => None,
        };
        match chosen {
            Some(alternative) => self.check(node, alternative),
            None => {
                let len = self.push_key(tag);
                self.check_string_choice(tag_node, &tags);
                self.path.truncate(len);
            }
        }
    }

    /// Short human description of what a schema accepts.
    fn describe(&self, schema: &'a Json) -> String {
        let schema = self.resolve(schema);
        if let Some(alternatives) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Json::as_array)
        {
            let constants: Vec<&str> = alternatives
                .iter()
                .filter_map(|a| a.get("const").and_then(Json::as_str))
                .collect();
            if !constants.is_empty() && constants.len() == alternatives.len() {
                return one_of(&constants);
            }
            let resolved: Vec<&Json> = alternatives.iter().map(|a| self.resolve(a)).collect();
            if let Some(tag) = tag_property(&resolved) {
                let tags: Vec<&str> = resolved.iter().filter_map(|a| tag_value(a, &tag)).collect();
                return format!("a mapping with `{tag}`: {}", one_of(&tags));
            }
            return "a mapping".to_owned();
        }
        if let Some(values) = schema.get("enum").and_then(Json::as_array) {
            let names: Vec<&str> = values.iter().filter_map(Json::as_str).collect();
            return one_of(&names);
        }
        match schema.get("type") {
            Some(Json::String(t)) => describe_types(&[t.as_str()]),
            Some(Json::Array(ts)) => {
                describe_types(&ts.iter().filter_map(Json::as_str).collect::<Vec<_>>())
            }
            _ => "any value".to_owned(),
        }
    }
}

fn is_null_schema(schema: &Json) -> bool {
    schema.get("type").and_then(Json::as_str) == Some("null")
}

/// The property every alternative pins with a `const` (`kind`, `style`).
fn tag_property(alternatives: &[&Json]) -> Option<String> {
    let first = alternatives.first()?.get("properties")?.as_object()?;
    first
        .iter()
        .filter(|(_, p)| p.get("const").is_some())
        .map(|(name, _)| name)
        .find(|name| alternatives.iter().all(|a| tag_value(a, name).is_some()))
        .cloned()
}

fn tag_value<'j>(alternative: &'j Json, tag: &str) -> Option<&'j str> {
    alternative
        .get("properties")?
        .get(tag)?
        .get("const")?
        .as_str()
}

/// "text", "a whole number or null", ...
fn describe_types(types: &[&str]) -> String {
    let words: Vec<&str> = types
        .iter()
        .map(|t| match *t {
            "null" => "null",
            "boolean" => "true or false",
            "integer" => "a whole number",
            "number" => "a number",
            "string" => "text",
            "array" => "a list",
            "object" => "a mapping",
            other => other,
        })
        .collect();
    words.join(" or ")
}

/// How a node looks, for "found ..." messages.
pub fn describe_node(node: &Node) -> String {
    match &node.value {
        Value::Null => "nothing (null)".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Int(i) => format!("the number `{i}`"),
        Value::Float(f) => format!("the number `{f}`"),
        Value::Str(s) => format!("the text `{}`", shorten(s)),
        Value::Seq(_) => "a list".to_owned(),
        Value::Map(_) => "a mapping".to_owned(),
    }
}

/// A scalar where text is expected is most likely meant as text: say how to
/// quote it.
fn quote_hint(node: &Node, allowed: &[&str]) -> Option<String> {
    if let Value::Str(s) = &node.value {
        // And a quoted number or boolean where one is expected: unquote it.
        let unquoted = match crate::yaml_tree::resolve_plain(s) {
            Value::Int(_) | Value::Float(_) => {
                allowed.contains(&"integer") || allowed.contains(&"number")
            }
            Value::Bool(_) => allowed.contains(&"boolean"),
            _ => false,
        };
        return unquoted.then(|| format!("remove the quotes: `{s}`"));
    }
    if !allowed.contains(&"string") {
        return None;
    }
    let text = match &node.value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        _ => return None,
    };
    Some(format!("quote it to make it text: `\"{text}\"`"))
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        format!("{}...", s.chars().take(MAX).collect::<String>())
    } else {
        s.to_owned()
    }
}
