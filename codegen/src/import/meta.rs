//! Reading the OpenAPI Explorer metadata (`api-docs.json`) as a tree whose
//! every node knows its JSON path, so each refusal names where it is.
//!
//! A node may carry a twin: the same path in the other language's file
//! (`--prose`). The two files have the same shape; only the prose differs,
//! so the twin is followed key by key and never trusted for anything but
//! text.

use serde_json::{Map, Value};

use super::ImportError;

/// One value of the metadata, with its JSON path (`apis.ChatMessages.parameters[2]`)
/// and the value at the same path in the prose file, if any.
#[derive(Debug, Clone)]
pub struct Node<'m> {
    /// The value itself.
    pub value: &'m Value,
    twin: Option<&'m Value>,
    path: String,
}

/// Where a prose text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProseSource {
    /// The imported file itself.
    Own,
    /// The `--prose` file (kept as published).
    Other,
}

impl<'m> Node<'m> {
    /// The root of a document and its twin.
    pub fn root(value: &'m Value, twin: Option<&'m Value>) -> Self {
        Node {
            value,
            twin,
            path: String::new(),
        }
    }

    /// The JSON path of this node (`apis.X.parameters[0].schema`); `$` for the root.
    pub fn path(&self) -> String {
        if self.path.is_empty() {
            "$".into()
        } else {
            self.path.clone()
        }
    }

    /// An error at this node.
    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError {
            path: self.path(),
            message: message.into(),
        }
    }

    fn child(&self, value: &'m Value, twin: Option<&'m Value>, segment: &str) -> Node<'m> {
        let mut path = self.path.clone();
        if !path.is_empty() && !segment.starts_with('[') {
            path.push('.');
        }
        path.push_str(segment);
        Node { value, twin, path }
    }

    /// The object of this node, or an error naming what it is instead.
    pub fn object(&self) -> Result<&'m Map<String, Value>, ImportError> {
        self.value
            .as_object()
            .ok_or_else(|| self.error(format!("expected an object, found {}", kind(self.value))))
    }

    /// Member `key` if present and not `null`.
    pub fn get(&self, key: &str) -> Option<Node<'m>> {
        let value = self.value.as_object()?.get(key)?;
        if value.is_null() {
            return None;
        }
        Some(self.child(value, self.twin.and_then(|t| t.get(key)), key))
    }

    /// Member `key` of the twin alone, as a node of its own: for what the
    /// file itself lacks but the other language's file has (the `en_us`
    /// AiContent files omit `components.schemas` their `$ref`s point to).
    pub fn twin_get(&self, key: &str) -> Option<Node<'m>> {
        let value = self.twin?.as_object()?.get(key)?;
        (!value.is_null()).then(|| self.child(value, None, key))
    }

    /// Member `key`, which must be present (on an object).
    pub fn require(&self, key: &str) -> Result<Node<'m>, ImportError> {
        self.object()?;
        self.get(key)
            .ok_or_else(|| self.error(format!("missing key `{key}`")))
    }

    /// Members of an object node in document order.
    pub fn entries(&self) -> Result<Vec<(&'m str, Node<'m>)>, ImportError> {
        let map = self.object()?;
        Ok(map
            .iter()
            .map(|(key, value)| {
                let twin = self.twin.and_then(|t| t.get(key.as_str()));
                (key.as_str(), self.child(value, twin, key))
            })
            .collect())
    }

    /// Items of an array node.
    pub fn items(&self) -> Result<Vec<Node<'m>>, ImportError> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| self.error(format!("expected an array, found {}", kind(self.value))))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| {
                self.child(value, self.twin.and_then(|t| t.get(i)), &format!("[{i}]"))
            })
            .collect())
    }

    /// The string of this node.
    pub fn str(&self) -> Result<&'m str, ImportError> {
        self.value
            .as_str()
            .ok_or_else(|| self.error(format!("expected a string, found {}", kind(self.value))))
    }

    /// Member `key` as a string, if present.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'m str>, ImportError> {
        self.get(key).map(|n| n.str()).transpose()
    }

    /// Member `key` as a boolean; absent is `false`.
    pub fn flag(&self, key: &str) -> Result<bool, ImportError> {
        match self.get(key) {
            None => Ok(false),
            Some(n) => n
                .value
                .as_bool()
                .ok_or_else(|| n.error(format!("expected true or false, found {}", kind(n.value)))),
        }
    }

    /// Member `key` as a number, if present.
    pub fn opt_number(&self, key: &str) -> Result<Option<f64>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(n) => match n.value {
                Value::Number(x) => Ok(x.as_f64()),
                // The metadata writes some limits as strings (`"65536"`).
                Value::String(s) => s
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| n.error(format!("expected a number, found the string `{s}`"))),
                other => Err(n.error(format!("expected a number, found {}", kind(other)))),
            },
        }
    }

    /// The first non-empty text among `keys` (`description`, then `title`):
    /// this file's own where it has one, else the twin's.
    pub fn prose(&self, keys: &[&str]) -> Option<(String, ProseSource)> {
        let pick = |v: &Value| {
            keys.iter()
                .filter_map(|k| v.get(k)?.as_str())
                .map(str::trim)
                .find(|t| !t.is_empty())
                .map(str::to_owned)
        };
        pick(self.value)
            .map(|t| (t, ProseSource::Own))
            .or_else(|| self.twin.and_then(pick).map(|t| (t, ProseSource::Other)))
    }
}

/// What a JSON value is, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
