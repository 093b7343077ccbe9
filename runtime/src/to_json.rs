//! Serialising generated models without a serde derive per model: the mirror of
//! [`decode`](crate::decode).
//!
//! A derived `Serialize` is a generic function per struct, type-checked and borrow-checked in
//! every generated crate (about a third of what checking one cost once decoding stopped using
//! derives). So each model builds its JSON members in a plain function,
//!
//! ```text
//! impl ToJson for Tag {
//!     fn to_json(&self) -> Value {
//!         let mut members = Members::new();
//!         members.put("Key", &self.key);          // always written (`null` for `None`)
//!         members.put_some("Count", &self.count); // skipped when `None`
//!         members.into_value()
//!     }
//! }
//! ```
//!
//! and its `serde::Serialize` writes that value. Member order is the declaration order
//! (`serde_json`'s `preserve_order`), so bodies and JSON-string parameters are byte for byte
//! what the derive wrote.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::time::{UnixMillis, UnixSeconds};

/// A value that can be written as JSON.
pub trait ToJson {
    /// The value as JSON.
    fn to_json(&self) -> Value;
}

/// The members of a JSON object being written by a generated `to_json`.
#[derive(Debug, Default)]
pub struct Members(Map<String, Value>);

impl Members {
    /// No members yet.
    pub fn new() -> Self {
        Members(Map::new())
    }

    /// Writes member `key` (an `Option` that is `None` is written as `null`).
    pub fn put<T: ToJson + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.0.insert(key.to_owned(), value.to_json());
    }

    /// Writes member `key` unless `value` is `None`.
    pub fn put_some<T: ToJson>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.0.insert(key.to_owned(), value.to_json());
        }
    }

    /// The object.
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// `Serialize` for a [`ToJson`] type, for generated models' `serde::Serialize` impls.
///
/// # Errors
///
/// The serializer's own errors.
pub fn serialize<S: Serializer, T: ToJson + ?Sized>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.to_json().serialize(serializer)
}

macro_rules! through_serde {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                // Plain data with string keys: `to_value` cannot fail for these.
                serde_json::to_value(self).unwrap_or(Value::Null)
            }
        }
    )*};
}
through_serde!(bool, i32, i64, u32, u64, f32, f64, UnixSeconds, UnixMillis);

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for IndexMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tag {
        key: Option<String>,
        count: Option<i32>,
        when: UnixMillis,
        extra: IndexMap<String, f64>,
    }

    impl ToJson for Tag {
        fn to_json(&self) -> Value {
            let mut members = Members::new();
            members.put("Key", &self.key);
            members.put_some("Count", &self.count);
            members.put("When", &self.when);
            members.put("Extra", &self.extra);
            members.into_value()
        }
    }

    impl Serialize for Tag {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self, serializer)
        }
    }

    #[test]
    fn members_keep_declaration_order_and_skip_only_put_some() {
        let mut extra = IndexMap::new();
        extra.insert("z".to_owned(), 1.0);
        extra.insert("a".to_owned(), f64::NAN);
        let tag = Tag {
            key: None,
            count: None,
            when: UnixMillis(5),
            extra,
        };
        assert_eq!(
            serde_json::to_string(&tag).unwrap(),
            r#"{"Key":null,"When":5,"Extra":{"z":1.0,"a":null}}"#
        );
        let tag = Tag {
            count: Some(3),
            key: Some("k".into()),
            ..tag
        };
        assert_eq!(
            serde_json::to_string(&tag).unwrap(),
            r#"{"Key":"k","Count":3,"When":5,"Extra":{"z":1.0,"a":null}}"#
        );
    }
}
