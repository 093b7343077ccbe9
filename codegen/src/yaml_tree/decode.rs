//! Decoding a [`Node`] tree straight into the spec types, as if it were
//! first turned into JSON with [`Value::to_json`] and decoded from that
//! (what the loader did before): the same visits in the same order, the
//! same errors, without building the JSON tree of every file.
//!
//! Mappings and sequences, the bulk of a spec, are walked in place;
//! everything else goes through the node's JSON value (a scalar, cheap to
//! build), so scalars, enums and every type error behave exactly as
//! `serde_json` makes them.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Error;

use super::{Node, Pos, Value};

/// A node as a deserializer.
#[derive(Clone, Copy)]
pub struct NodeDeserializer<'n>(pub &'n Node);

impl NodeDeserializer<'_> {
    fn json(self) -> serde_json::Value {
        self.0.value.to_json()
    }
}

/// Calls `serde_json`'s deserializer of the node's JSON value.
macro_rules! via_json {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                de::Deserializer::$method(self.json(), visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Seq(items) => visit_seq(items, visitor),
            Value::Map(entries) => visit_map(entries, visitor),
            _ => de::Deserializer::deserialize_any(self.json(), visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Seq(items) => visit_seq(items, visitor),
            _ => de::Deserializer::deserialize_seq(self.json(), visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Map(entries) => visit_map(entries, visitor),
            _ => de::Deserializer::deserialize_map(self.json(), visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Seq(items) => visit_seq(items, visitor),
            Value::Map(entries) => visit_map(entries, visitor),
            _ => de::Deserializer::deserialize_struct(self.json(), name, fields, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_enum(self.json(), name, variants, visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_unit_struct(self.json(), name, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    via_json! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier
    }
}

/// `serde_json`'s `visit_array`: every item, then "fewer elements" if the
/// visitor stopped early.
fn visit_seq<'de, V: Visitor<'de>>(items: &[Node], visitor: V) -> Result<V::Value, Error> {
    let mut access = Items(items.iter());
    let value = visitor.visit_seq(&mut access)?;
    if access.0.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(
            items.len(),
            &"fewer elements in array",
        ))
    }
}

/// `serde_json`'s `visit_object` over the mapping as JSON would hold it:
/// keys in sorted order (JSON objects are `BTreeMap`s here), the first of
/// repeated keys kept.
fn visit_map<'de, V: Visitor<'de>>(
    entries: &[(String, Pos, Node)],
    visitor: V,
) -> Result<V::Value, Error> {
    let mut sorted: Vec<&(String, Pos, Node)> = entries.iter().collect();
    // Stable: of equal keys the first written stays first, and is kept.
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.dedup_by(|later, earlier| later.0 == earlier.0);
    let len = sorted.len();
    let mut access = Entries {
        iter: sorted.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut access)?;
    if access.iter.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

struct Items<'n>(std::slice::Iter<'n, Node>);

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|node| seed.deserialize(NodeDeserializer(node)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'n> {
    iter: std::vec::IntoIter<&'n (String, Pos, Node)>,
    value: Option<&'n Node>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, _, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        // Keys are text: a JSON string decodes like a JSON object's key
        // into every key type of the spec (strings and field names).
        seed.deserialize(serde_json::Value::String(key.clone()).into_deserializer())
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some(node) => seed.deserialize(NodeDeserializer(node)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::NodeDeserializer;
    use crate::spec::{OperationSpec, ServiceSpec};
    use crate::yaml_tree::Document;

    /// Decodes `text` both ways: from the tree, and from its JSON.
    fn both<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
        let (doc, _) = Document::parse(text).expect("parses");
        let direct = serde_path_to_error::deserialize::<_, T>(NodeDeserializer(&doc.root))
            .map_err(|e| format!("{} at {}", e.inner(), e.path()));
        let via_json = serde_path_to_error::deserialize::<_, T>(doc.root.value.to_json())
            .map_err(|e| format!("{} at {}", e.inner(), e.path()));
        assert_eq!(direct, via_json, "{text}");
    }

    #[test]
    fn decodes_like_json_the_repository_specs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let files = crate::source::read_spec_dir(&root).expect("spec tree reads");
        assert!(!files.is_empty());
        for file in files {
            if file.path.ends_with("service.yaml") {
                both::<ServiceSpec>(&file.text);
            } else {
                both::<OperationSpec>(&file.text);
            }
        }
    }

    #[test]
    fn decodes_like_json_wrong_documents() {
        for text in [
            "operation: A\nhttp: {method: GET, path: /a}\nresponse: string\n",
            "operation: A\nhttp: {method: FETCH, path: /a}\nresponse: string\n",
            "operation: 12\nhttp: {method: GET, path: /a}\nresponse: string\n",
            "operation: A\nhttp: [GET, /a]\nresponse: string\n",
            "operation: A\nhttp: {method: GET, path: /a}\nresponse: string\nparams: {a: 1}\n",
            "operation: A\nhttp: {method: GET, path: /a}\nresponse: string\nparams:\n- {name: x, in: query, type: int32, example: -3.5e400}\n",
            "operation: A\nhttp: {method: GET, path: /a}\nresponse: string\npagination: {style: nope}\n",
            "operation: A\nhttp: {method: GET, path: /a}\nresponse: string\nunknown: true\n",
            "operation: A\nhttp: {method: GET, path: /a}\nresponse: string\nexamples:\n- {name: e, status: -1, request: {b: [1, {z: .nan, a: ~}], a: 2}}\n",
            "[1, 2]\n",
            "7\n",
            "",
        ] {
            both::<OperationSpec>(text);
            both::<serde_json::Value>(text);
        }
        both::<ServiceSpec>("service: s\nauth: {kind: bearer}\n");
        both::<ServiceSpec>("service: s\nauth: bearer\n");
    }
}
