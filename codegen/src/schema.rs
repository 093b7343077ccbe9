//! JSON Schemas of the spec files, generated from the spec types.
//!
//! The same schema serves editors (YAML language servers read
//! `spec/*.schema.json`) and the loader, whose structural check walks it to
//! report every unknown key, wrong type and missing key of a file at once.
//! The Rust types in [`crate::spec`] stay the one source of truth.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::spec::{OperationSpec, ServiceSpec};

/// Schema of `spec/<service>/service.yaml`.
pub fn service_schema_value() -> Schema {
    root_schema::<ServiceSpec>()
}

/// Schema of `spec/<service>/operations/<Operation>.yaml`.
pub fn operation_schema_value() -> Schema {
    root_schema::<OperationSpec>()
}

/// `spec/service.schema.json`, pretty JSON ending in a newline.
pub fn service_schema() -> String {
    pretty(&service_schema_value())
}

/// `spec/operation.schema.json`, pretty JSON ending in a newline.
pub fn operation_schema() -> String {
    pretty(&operation_schema_value())
}

/// The schema files with their paths relative to the repository root, for
/// `cargo xtask generate` to write and `cargo xtask check` to keep fresh.
pub fn schema_files() -> Vec<(String, String)> {
    vec![
        ("spec/operation.schema.json".to_owned(), operation_schema()),
        ("spec/service.schema.json".to_owned(), service_schema()),
    ]
}

fn root_schema<T: JsonSchema>() -> Schema {
    // Deserialize contract: the schema describes what the loader accepts.
    let mut schema = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>();
    if let Some(members) = schema.as_object_mut() {
        members.sort_keys();
        members.values_mut().for_each(sort_members);
    }
    schema
}

fn pretty(schema: &Schema) -> String {
    // Serialising a `serde_json::Value` tree can not fail.
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Sorts every object's members by key, recursively. serde_json keeps insertion order (its
/// `preserve_order` feature is on for the runtime); sorted, the schema files, and the key lists
/// in the loader's messages, do not depend on schemars' internal order (schemars still writes
/// `$schema`, `title`, ... first).
fn sort_members(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_members);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(sort_members),
        _ => {}
    }
}
