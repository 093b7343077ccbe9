//! Decoding JSON into generated models without a serde visitor per model.
//!
//! `#[derive(Deserialize)]` writes a field enum, a visitor and a map walk for every struct, and
//! type-checking those is most of what compiling a generated crate costs (about 80% of
//! `cargo check` on a 100-operation crate). So a body is parsed once into a
//! [`serde_json::Value`] here, and each generated model only moves its members out of it:
//!
//! ```text
//! impl Decode for Tag {
//!     fn decode(value: Value) -> Result<Self, Failure> {
//!         let mut object = Object::new(value, "struct Tag")?;
//!         Ok(Self { key: object.required("Key")?, count: object.lenient("Count")? })
//!     }
//! }
//! ```
//!
//! plain, non-generic code; the generic pieces ([`Decode`] for `Option`, `Vec`, maps and
//! scalars) are instantiated once per crate, not once per model. The messages are serde's own
//! (scalars are read through `Value`'s `Deserializer`), and [`Failure::path`] spells the JSON
//! path as `serde_path_to_error` does (`Data.Items[3].CreatedAt`, `.` for the root).
//!
//! Semantics kept from the derive: unknown members are ignored, `null` and a missing member
//! are `None` for optional fields, a missing required member is ``missing field `X` `` at the
//! object's path. A member sent twice keeps the last value, as the official SDKs' JSON readers
//! do.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::de::{DeserializeOwned, Error as _, Unexpected};
use serde_json::{Map, Value};

use crate::lenient::{self, Lenient};
use crate::time::{UnixMillis, UnixSeconds};

/// A value that can be decoded from parsed JSON.
///
/// Generated models implement it; so do the scalars, `Option`, `Vec`, string-keyed maps and
/// [`Value`]. For a type that only derives `Deserialize`, [`serde_decode!`](crate::serde_decode)
/// writes an implementation that goes through serde.
pub trait Decode: Sized {
    /// Decodes `value`, or says where and why it does not fit.
    fn decode(value: Value) -> Result<Self, Failure>;
}

/// Why a value did not decode, and where.
#[derive(Debug)]
pub struct Failure {
    /// Innermost segment first: segments are added while the failure travels outwards.
    path: Vec<Segment>,
    error: serde_json::Error,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
    /// A path serde already spelled (`n[1].x`, or `[0].x` inside a list).
    Spelled(String),
}

impl Failure {
    /// A failure at the current position.
    pub fn new(error: serde_json::Error) -> Self {
        Failure {
            path: Vec::new(),
            error,
        }
    }

    fn at_key(mut self, key: &str) -> Self {
        self.path.push(Segment::Key(key.to_owned()));
        self
    }

    fn at_index(mut self, index: usize) -> Self {
        self.path.push(Segment::Index(index));
        self
    }

    /// The JSON path of the offending value, `Data.Items[3].CreatedAt` (`.` for the root).
    pub fn path(&self) -> String {
        if self.path.is_empty() {
            return ".".to_owned();
        }
        let mut out = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Index(index) => {
                    out.push('[');
                    out.push_str(&index.to_string());
                    out.push(']');
                }
                Segment::Spelled(path) => {
                    if !out.is_empty() && !path.starts_with('[') {
                        out.push('.');
                    }
                    out.push_str(path);
                }
            }
        }
        out
    }

    /// The path and the underlying error.
    pub fn into_parts(self) -> (String, serde_json::Error) {
        (self.path(), self.error)
    }
}

/// The members of one JSON object, taken out one field at a time by a generated `decode`.
#[derive(Debug)]
pub struct Object(Map<String, Value>);

impl Object {
    /// The object `value`; anything else is an "invalid type" failure naming `expecting`
    /// (`"struct Tag"`, as serde says it).
    pub fn new(value: Value, expecting: &'static str) -> Result<Self, Failure> {
        match value {
            Value::Object(members) => Ok(Object(members)),
            other => Err(invalid_type(&other, expecting)),
        }
    }

    /// An optional member: absent and `null` are `None`.
    pub fn field<T: Decode>(&mut self, key: &'static str) -> Result<Option<T>, Failure> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::decode(value).map(Some).map_err(|f| f.at_key(key)),
        }
    }

    /// A required member: absent is ``missing field `key` ``, `null` is an invalid type
    /// unless `T` accepts it.
    pub fn required<T: Decode>(&mut self, key: &'static str) -> Result<T, Failure> {
        match self.0.remove(key) {
            None => Err(Failure::new(serde_json::Error::missing_field(key))),
            Some(value) => T::decode(value).map_err(|f| f.at_key(key)),
        }
    }

    /// Reads the member `key` under the first of its `older` names present when `key` itself
    /// is absent (a renamed field still decodes from either name).
    pub fn accept_older(&mut self, key: &'static str, older: &[&'static str]) {
        if self.0.contains_key(key) {
            return;
        }
        if let Some(value) = older.iter().find_map(|name| self.0.remove(*name)) {
            self.0.insert(key.to_owned(), value);
        }
    }

    /// An optional member whose wire type wobbles (see [`lenient`]): `null`, absent and, for
    /// non-text types, `""` are `None`.
    pub fn lenient<T: Lenient>(&mut self, key: &'static str) -> Result<Option<T>, Failure> {
        match self.0.remove(key) {
            None => Ok(None),
            Some(value) => lenient::option(value).map_err(|e| Failure::new(e).at_key(key)),
        }
    }

    /// A required member whose wire type wobbles: `null` and absent are failures.
    pub fn lenient_required<T: Lenient>(&mut self, key: &'static str) -> Result<T, Failure> {
        match self.0.remove(key) {
            None => Err(Failure::new(serde_json::Error::missing_field(key))),
            Some(value) => lenient::required(value).map_err(|e| Failure::new(e).at_key(key)),
        }
    }
}

fn invalid_type(value: &Value, expecting: &'static str) -> Failure {
    let unexpected = match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    };
    Failure::new(serde_json::Error::invalid_type(unexpected, &expecting))
}

/// Decodes through `T`'s own `Deserialize` (for scalars and types outside generated code),
/// keeping the path of a failure inside `value`.
pub fn via_serde<T: DeserializeOwned>(value: Value) -> Result<T, Failure> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let mut failure = Failure::new(e.into_inner());
        if path != "." {
            failure.path.push(Segment::Spelled(path));
        }
        failure
    })
}

/// `Deserialize` for a [`Decode`] type, for generated models' `serde::Deserialize` impls
/// (callers may read models from their own JSON): reads a `Value`, then decodes it.
///
/// # Errors
///
/// The deserializer's own errors, or the decoding failure with its path.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Decode,
{
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    T::decode(value).map_err(|failure| {
        let (path, error) = failure.into_parts();
        if path == "." {
            D::Error::custom(error)
        } else {
            D::Error::custom(format_args!("{error} at `{path}`"))
        }
    })
}

/// Implements [`Decode`] through serde for types that derive `Deserialize` (tests, credential
/// answers, callers' own response types):
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Page { items: Vec<String> }
/// wiregen_runtime::serde_decode!(Page);
/// ```
#[macro_export]
macro_rules! serde_decode {
    ($($ty:ty),+ $(,)?) => {$(
        impl $crate::decode::Decode for $ty {
            fn decode(
                value: $crate::serde_json::Value,
            ) -> ::core::result::Result<Self, $crate::decode::Failure> {
                $crate::decode::via_serde(value)
            }
        }
    )+};
}

macro_rules! scalars {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(value: Value) -> Result<Self, Failure> {
                <$t as serde::Deserialize>::deserialize(value).map_err(Failure::new)
            }
        }
    )*};
}
scalars!(
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    (),
    UnixSeconds,
    UnixMillis
);

impl Decode for Value {
    fn decode(value: Value) -> Result<Self, Failure> {
        Ok(value)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(value: Value) -> Result<Self, Failure> {
        match value {
            Value::Null => Ok(None),
            other => T::decode(other).map(Some),
        }
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(value: Value) -> Result<Self, Failure> {
        T::decode(value).map(Box::new)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(value: Value) -> Result<Self, Failure> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::decode(item).map_err(|f| f.at_index(i)))
                .collect(),
            other => Err(invalid_type(&other, "a sequence")),
        }
    }
}

impl<T: Decode> Decode for IndexMap<String, T> {
    fn decode(value: Value) -> Result<Self, Failure> {
        decode_members(value)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(value: Value) -> Result<Self, Failure> {
        decode_members(value)
    }
}

/// A string-keyed map of `T`s from a JSON object, a failure naming its key.
fn decode_members<T: Decode, M: FromIterator<(String, T)>>(value: Value) -> Result<M, Failure> {
    members(value)?
        .into_iter()
        .map(|(key, item)| match T::decode(item) {
            Ok(item) => Ok((key, item)),
            Err(f) => Err(f.at_key(&key)),
        })
        .collect()
}

fn members(value: Value) -> Result<Map<String, Value>, Failure> {
    match value {
        Value::Object(members) => Ok(members),
        other => Err(invalid_type(&other, "a map")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Item {
        id: String,
        count: Option<i32>,
        tags: Option<Vec<String>>,
    }

    impl Decode for Item {
        fn decode(value: Value) -> Result<Self, Failure> {
            let mut object = Object::new(value, "struct Item")?;
            Ok(Item {
                id: object.required("Id")?,
                count: object.lenient("Count")?,
                tags: object.field("Tags")?,
            })
        }
    }

    fn failure<T: Decode + std::fmt::Debug>(value: Value) -> (String, String) {
        let (path, error) = T::decode(value).expect_err("must fail").into_parts();
        (path, error.to_string())
    }

    #[test]
    fn members_decode_and_unknown_ones_are_ignored() {
        let item = Item::decode(json!({"Id": "a", "Count": "7", "Tags": null, "X": 1})).unwrap();
        assert_eq!(
            item,
            Item {
                id: "a".into(),
                count: Some(7),
                tags: None
            }
        );
    }

    #[test]
    fn failures_name_the_path_as_serde_path_to_error_does() {
        let value = json!({"Data": [{"Id": "a"}, {"Id": "b", "Tags": ["x", 3]}]});
        let mut object = Object::new(value, "struct Page").unwrap();
        let (path, error) = object
            .required::<Vec<Item>>("Data")
            .expect_err("3 is not a string")
            .into_parts();
        assert_eq!(path, "Data[1].Tags[1]");
        assert_eq!(
            error.to_string(),
            "invalid type: integer `3`, expected a string"
        );
    }

    #[test]
    fn a_missing_required_member_fails_at_its_object() {
        assert_eq!(
            failure::<Vec<Item>>(json!([{"Count": 1}])),
            ("[0]".to_owned(), "missing field `Id`".to_owned())
        );
        assert_eq!(
            failure::<Item>(json!("x")),
            (
                ".".to_owned(),
                "invalid type: string \"x\", expected struct Item".to_owned()
            )
        );
    }

    #[test]
    fn maps_keep_order_and_name_their_keys() {
        let map = IndexMap::<String, i64>::decode(json!({"b": 1, "a": 2})).unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(
            failure::<IndexMap<String, i64>>(json!({"b": 1, "a": "x"})).0,
            "a"
        );
    }

    #[test]
    fn older_names_are_accepted_in_order() {
        let mut object = Object::new(json!({"old": 1, "older": 2}), "struct T").unwrap();
        object.accept_older("new", &["old", "older"]);
        assert_eq!(object.field::<i64>("new").unwrap(), Some(1));
        let mut object = Object::new(json!({"new": 0, "old": 1}), "struct T").unwrap();
        object.accept_older("new", &["old"]);
        assert_eq!(object.field::<i64>("new").unwrap(), Some(0));
        let mut object = Object::new(json!({}), "struct T").unwrap();
        object.accept_older("new", &["old"]);
        let e = object.required::<i64>("new").expect_err("missing");
        assert_eq!(e.into_parts().1.to_string(), "missing field `new`");
    }

    #[test]
    fn serde_types_keep_their_inner_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            n: Vec<i32>,
        }
        crate::serde_decode!(Inner);
        assert_eq!(
            failure::<Vec<Inner>>(json!([{"n": [1, "x"]}])).0,
            "[0].n[1]"
        );
    }
}
