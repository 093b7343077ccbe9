//! The OpenAPI 3.0 twin of a synthetic REST spec tree, so that another
//! generator (progenitor, in `cargo xtask compare`) compiles the very same
//! API as wiregen.
//!
//! It reads the spec files back (rather than the generator's intermediate
//! values), so the document describes exactly the tree on disk: every
//! operation under its name as `operationId`, every parameter with its
//! location, type, requiredness, enum values and limits, JSON bodies, every
//! named type as a schema (timestamps are integers, free-form JSON is `{}`)
//! and the service's `{code, message}` error body. What OpenAPI can not say
//! (streaming, lenient fields, JSON-string parameters, aliases) is refused
//! with the file and a hint, never dropped silently; pagination is
//! behaviour, not shape, and has no OpenAPI counterpart.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use wiregen_codegen::spec::{
    Auth, ErrorShape, Field, OperationSpec, Param, ParamLocation, ParamStyle, Protocol,
    ServiceSpec, TypeDef,
};

/// The name of the error body schema (no synthetic type is called so).
const ERROR_SCHEMA: &str = "Error";

/// The document, as pretty JSON, for a tree of exactly one `rest-json`
/// service: `files` are `(path relative to the spec root, YAML text)`, as
/// `specs::synthesize_rest` returns them.
pub fn document(files: &[(String, String)]) -> Result<String, String> {
    let mut service: Option<(&str, ServiceSpec)> = None;
    let mut operations = Vec::new();
    for (path, text) in files {
        if path.ends_with("/service.yaml") {
            if let Some((first, _)) = &service {
                return Err(format!(
                    "{path}: a second service (after {first}); an OpenAPI document describes one\n\
                     hint: use `--flavor rest`, which writes one service"
                ));
            }
            let spec: ServiceSpec =
                serde_yaml::from_str(text).map_err(|e| format!("{path}: {e}"))?;
            service = Some((path, spec));
        } else {
            let op: OperationSpec =
                serde_yaml::from_str(text).map_err(|e| format!("{path}: {e}"))?;
            operations.push((path.as_str(), op));
        }
    }
    let Some((service_path, service)) = service else {
        return Err("the tree has no service.yaml".to_owned());
    };
    if service.protocol != Protocol::RestJson || service.errors.shapes != [ErrorShape::CodeMessage]
    {
        return Err(format!(
            "{service_path}: only `rest-json` services with `code-message` errors are described\n\
             hint: use `--flavor rest`"
        ));
    }
    let mut schemas = Map::new();
    add_types(&mut schemas, service_path, &service.types)?;
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (path, op) in &operations {
        add_types(&mut schemas, path, &op.types)?;
        let Some(http) = &op.http else {
            return Err(format!("{path}: no `http` binding"));
        };
        let method = format!("{:?}", http.method).to_ascii_lowercase();
        let entry = paths.entry(http.path.clone()).or_default();
        if entry.contains_key(&method) {
            return Err(format!(
                "{path}: a second operation at {method} {}",
                http.path
            ));
        }
        entry.insert(method, operation(path, op, &service)?);
    }
    if schemas.contains_key(ERROR_SCHEMA) {
        return Err(format!(
            "a type is named `{ERROR_SCHEMA}`, the name of the error body schema"
        ));
    }
    schemas.insert(
        ERROR_SCHEMA.to_owned(),
        json!({
            "type": "object",
            "description": "The error body: `{code, message}`, on any HTTP status.",
            "properties": {
                "code": { "type": "integer", "format": "int64" },
                "message": { "type": "string" }
            },
            "required": ["code"]
        }),
    );
    let security_schemes = match &service.auth {
        Auth::Bearer { .. } => json!({ "bearer": { "type": "http", "scheme": "bearer" } }),
        _ => json!({}),
    };
    let document = json!({
        "openapi": "3.0.3",
        "info": {
            "title": service.title,
            "description": service.description,
            "version": service.krate.version,
        },
        "servers": [{ "url": service.endpoints.default }],
        "paths": paths,
        "components": { "schemas": schemas, "securitySchemes": security_schemes },
        "security": if matches!(service.auth, Auth::Bearer { .. }) {
            json!([{ "bearer": [] }])
        } else {
            json!([])
        },
    });
    // Plain data with string keys: serialising can not fail.
    serde_json::to_string_pretty(&document)
        .map(|text| text + "\n")
        .map_err(|e| format!("can not serialise the OpenAPI document: {e}"))
}

/// Adds `types` as schemas; a name declared twice must mean the same type.
fn add_types(
    schemas: &mut Map<String, Value>,
    path: &str,
    types: &BTreeMap<String, TypeDef>,
) -> Result<(), String> {
    for (name, def) in types {
        let schema = type_schema(path, name, def)?;
        if schemas.get(name).is_some_and(|known| *known != schema) {
            return Err(format!(
                "{path}: type `{name}` is declared twice, differently"
            ));
        }
        schemas.insert(name.clone(), schema);
    }
    Ok(())
}

fn type_schema(path: &str, name: &str, def: &TypeDef) -> Result<Value, String> {
    let mut schema = Map::new();
    schema.insert(
        "type".into(),
        json!(if def.values.is_some() {
            "string"
        } else {
            "object"
        }),
    );
    if let Some(description) = &def.description {
        schema.insert("description".into(), json!(description));
    }
    if def.deprecated {
        schema.insert("deprecated".into(), json!(true));
    }
    if let Some(values) = &def.values {
        let values: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
        schema.insert("enum".into(), json!(values));
    }
    if let Some(fields) = &def.fields {
        let mut properties = Map::new();
        for f in fields {
            properties.insert(f.name.clone(), field_schema(path, name, f)?);
        }
        schema.insert("properties".into(), Value::Object(properties));
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name.as_str())
            .collect();
        if !required.is_empty() {
            schema.insert("required".into(), json!(required));
        }
    }
    Ok(Value::Object(schema))
}

fn field_schema(path: &str, ty: &str, f: &Field) -> Result<Value, String> {
    if f.lenient || !f.aliases.is_empty() {
        return Err(format!(
            "{path}: field `{ty}.{}` is lenient or has aliases, which OpenAPI 3.0 can not describe\n\
             hint: use `--flavor rest`",
            f.name
        ));
    }
    let mut schema = type_expr(&f.ty);
    if f.nullable {
        schema = nullable(schema);
    }
    Ok(describe(schema, f.description.as_deref(), f.deprecated))
}

/// The schema of a type expression: built-in types inline, named types by
/// reference.
fn type_expr(ty: &str) -> Value {
    if let Some(inner) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        return json!({ "type": "array", "items": type_expr(inner) });
    }
    if let Some(inner) = ty.strip_prefix("map<").and_then(|t| t.strip_suffix('>')) {
        return json!({ "type": "object", "additionalProperties": type_expr(inner) });
    }
    match ty {
        "string" => json!({ "type": "string" }),
        "bool" => json!({ "type": "boolean" }),
        "int32" => json!({ "type": "integer", "format": "int32" }),
        "int64" | "timestamp_s" | "timestamp_ms" => json!({ "type": "integer", "format": "int64" }),
        "float64" => json!({ "type": "number", "format": "double" }),
        "json" => json!({}),
        named => json!({ "$ref": format!("#/components/schemas/{named}") }),
    }
}

/// OpenAPI 3.0 ignores members next to `$ref`, so a nullable reference is
/// spelled `allOf: [$ref]` plus `nullable`.
fn nullable(schema: Value) -> Value {
    let mut schema = wrap_ref(schema);
    if let Some(members) = schema.as_object_mut() {
        members.insert("nullable".into(), json!(true));
    }
    schema
}

/// Adds a description (and the deprecated flag) to a schema, wrapping a
/// bare reference so they are not ignored.
fn describe(schema: Value, description: Option<&str>, deprecated: bool) -> Value {
    if description.is_none() && !deprecated {
        return schema;
    }
    let mut schema = wrap_ref(schema);
    if let Some(members) = schema.as_object_mut() {
        if let Some(description) = description {
            members.insert("description".into(), json!(description));
        }
        if deprecated {
            members.insert("deprecated".into(), json!(true));
        }
    }
    schema
}

fn wrap_ref(schema: Value) -> Value {
    if schema.get("$ref").is_some() {
        json!({ "allOf": [schema] })
    } else {
        schema
    }
}

fn operation(path: &str, op: &OperationSpec, service: &ServiceSpec) -> Result<Value, String> {
    if op.streaming.is_some() {
        return Err(format!(
            "{path}: `{}` streams server-sent events, which progenitor does not generate\n\
             hint: use `--flavor rest`",
            op.operation
        ));
    }
    let mut parameters = Vec::new();
    let mut body = Map::new();
    let mut body_required = Vec::new();
    let mut whole_body = None;
    for p in &op.params {
        if p.style == ParamStyle::JsonString {
            return Err(format!(
                "{path}: parameter `{}` is a JSON string, which OpenAPI 3.0 can not describe\n\
                 hint: use `--flavor rest`",
                p.name
            ));
        }
        match p.location {
            ParamLocation::Body => {
                let schema = describe(type_expr(&p.ty), p.description.as_deref(), p.deprecated);
                body.insert(p.name.clone(), schema);
                if p.required {
                    body_required.push(p.name.as_str());
                }
            }
            ParamLocation::WholeBody => whole_body = Some(p),
            ParamLocation::Query | ParamLocation::Path | ParamLocation::Header => {
                parameters.push(parameter(p));
            }
        }
    }
    let mut operation = Map::new();
    operation.insert("operationId".into(), json!(op.operation));
    operation.insert("summary".into(), json!(op.summary));
    if let Some(description) = &op.description {
        operation.insert("description".into(), json!(description));
    }
    if op.deprecated {
        operation.insert("deprecated".into(), json!(true));
    }
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Value::Array(parameters));
    }
    let request = match whole_body {
        Some(p) => Some((type_expr(&p.ty), p.required)),
        None if !body.is_empty() => {
            let mut schema = json!({ "type": "object", "properties": body });
            if !body_required.is_empty() {
                schema["required"] = json!(body_required);
            }
            Some((schema, !body_required.is_empty()))
        }
        None => None,
    };
    if let Some((schema, required)) = request {
        operation.insert(
            "requestBody".into(),
            json!({
                "required": required,
                "content": { "application/json": { "schema": schema } }
            }),
        );
    }
    let codes: Vec<String> = service
        .errors
        .codes
        .iter()
        .chain(&op.errors)
        .map(|c| match &c.message {
            Some(message) => format!("{} ({message})", c.code),
            None => c.code.clone(),
        })
        .collect();
    let error = json!({
        "description": format!("Error codes: {}.", codes.join(", ")),
        "content": { "application/json": { "schema": type_expr(ERROR_SCHEMA) } }
    });
    operation.insert(
        "responses".into(),
        json!({
            "200": {
                "description": "Success.",
                "content": { "application/json": { "schema": type_expr(&op.response) } }
            },
            "4XX": error.clone(),
            "5XX": error,
        }),
    );
    Ok(Value::Object(operation))
}

fn parameter(p: &Param) -> Value {
    let mut schema = type_expr(&p.ty);
    if let (Some(limits), Some(members)) = (&p.constraints, schema.as_object_mut()) {
        if let Some(min) = limits.min {
            members.insert("minimum".into(), json!(min));
        }
        if let Some(max) = limits.max {
            members.insert("maximum".into(), json!(max));
        }
        if let Some(length) = limits.max_length {
            members.insert("maxLength".into(), json!(length));
        }
    }
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Header => "header",
        _ => "query",
    };
    let mut parameter = json!({
        "name": p.name,
        "in": location,
        "required": p.required || p.location == ParamLocation::Path,
        "schema": schema,
    });
    if let Some(description) = &p.description {
        parameter["description"] = json!(description);
    }
    if p.deprecated {
        parameter["deprecated"] = json!(true);
    }
    parameter
}

#[cfg(test)]
mod tests {
    use super::document;
    use crate::synth::specs::{synthesize, synthesize_rest};
    use serde_json::{Value, json};
    use wiregen_codegen::spec::{OperationSpec, ParamLocation, ServiceSpec, TypeDef};

    fn parse(files: &[(String, String)]) -> Value {
        let text = document(files).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON: {e}"))
    }

    /// Follows a `$ref` (bare or as the one `allOf` member) to its schema.
    fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
        let reference = schema
            .get("$ref")
            .or_else(|| schema.pointer("/allOf/0/$ref"))
            .and_then(Value::as_str);
        match reference {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                &doc["components"]["schemas"][name]
            }
            None => schema,
        }
    }

    /// The schema a type expression must have: built-in types inline (or
    /// behind a reference), named types by reference to their schema.
    fn assert_type(doc: &Value, schema: &Value, ty: &str, at: &str) {
        let resolved = resolve(doc, schema);
        match ty {
            "string" => assert_eq!(resolved["type"], "string", "{at}"),
            "bool" => assert_eq!(resolved["type"], "boolean", "{at}"),
            "int32" => assert_eq!(resolved["format"], "int32", "{at}"),
            "int64" | "timestamp_s" | "timestamp_ms" => {
                assert_eq!(
                    (&resolved["type"], &resolved["format"]),
                    (&json!("integer"), &json!("int64")),
                    "{at}"
                );
            }
            "float64" => assert_eq!(resolved["type"], "number", "{at}"),
            "json" => {
                // `{}` plus, at most, what documents it.
                let free = resolved.as_object().is_some_and(|members| {
                    members
                        .keys()
                        .all(|k| ["description", "deprecated", "nullable"].contains(&k.as_str()))
                });
                assert!(free, "{at}: free-form JSON is {{}}, not {resolved}");
            }
            _ if ty.starts_with("list<") => {
                assert_eq!(resolved["type"], "array", "{at}");
                let inner = &ty[5..ty.len() - 1];
                assert_type(doc, &resolved["items"], inner, at);
            }
            _ if ty.starts_with("map<") => {
                assert_eq!(resolved["type"], "object", "{at}");
                let inner = &ty[4..ty.len() - 1];
                assert_type(doc, &resolved["additionalProperties"], inner, at);
            }
            named => {
                let reference = schema
                    .get("$ref")
                    .or_else(|| schema.pointer("/allOf/0/$ref"));
                let expected = json!(format!("#/components/schemas/{named}"));
                assert_eq!(reference, Some(&expected), "{at}: `{named}` by reference");
                let described = &doc["components"]["schemas"][named];
                assert!(described.is_object(), "{at}: schema of `{named}`");
            }
        }
    }

    /// Every operation, parameter, body member, response and type of the
    /// tree is in the document, with its location, requiredness, type,
    /// enum values and limits.
    #[test]
    fn describes_every_operation_parameter_and_type() {
        let files = synthesize_rest(40, 3);
        let doc = parse(&files);
        let mut service: Option<ServiceSpec> = None;
        let mut operations = Vec::new();
        for (path, text) in &files {
            if path.ends_with("service.yaml") {
                service = serde_yaml::from_str(text).ok();
            } else {
                let op: OperationSpec =
                    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
                operations.push(op);
            }
        }
        let service = service.unwrap_or_else(|| panic!("the tree has a service"));
        assert_eq!(operations.len(), 40);
        let described: usize = doc["paths"].as_object().map_or(0, |paths| {
            paths
                .values()
                .filter_map(Value::as_object)
                .map(|m| m.len())
                .sum()
        });
        assert_eq!(described, 40, "one operation per path and method");

        let schemas = &doc["components"]["schemas"];
        let mut all_types: Vec<(&String, &TypeDef)> = service.types.iter().collect();
        for op in &operations {
            all_types.extend(&op.types);
        }
        for (name, def) in &all_types {
            let schema = &schemas[name.as_str()];
            if let Some(values) = &def.values {
                let expected: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
                assert_eq!(schema["enum"], json!(expected), "enum {name}");
            }
            for f in def.fields.iter().flatten() {
                let at = format!("{name}.{}", f.name);
                let property = &schema["properties"][f.name.as_str()];
                assert!(property.is_object(), "{at} present");
                assert_eq!(
                    property.get("nullable") == Some(&json!(true)),
                    f.nullable,
                    "{at} nullable"
                );
                assert_type(&doc, property, &f.ty, &at);
                let required = schema["required"]
                    .as_array()
                    .is_some_and(|r| r.contains(&json!(f.name)));
                assert_eq!(required, f.required, "{at} required");
            }
        }
        assert!(operations.iter().any(|op| {
            op.types
                .values()
                .any(|t| t.fields.iter().flatten().any(|f| f.nullable))
        }));

        for op in &operations {
            let http = op.http.as_ref().unwrap_or_else(|| panic!("REST has http"));
            let method = format!("{:?}", http.method).to_ascii_lowercase();
            let entry = &doc["paths"][http.path.as_str()][method.as_str()];
            assert_eq!(entry["operationId"], json!(op.operation));
            let response = resolve(
                &doc,
                &entry["responses"]["200"]["content"]["application/json"]["schema"],
            );
            assert!(
                std::ptr::eq(response, &schemas[op.response.as_str()]),
                "{} response",
                op.operation
            );
            for status in ["4XX", "5XX"] {
                let error = resolve(
                    &doc,
                    &entry["responses"][status]["content"]["application/json"]["schema"],
                );
                assert!(
                    error["properties"]["code"].is_object(),
                    "{} {status}",
                    op.operation
                );
            }
            for p in &op.params {
                let at = format!("{}.{}", op.operation, p.name);
                let schema = if p.location == ParamLocation::Body {
                    let body = &entry["requestBody"]["content"]["application/json"]["schema"];
                    let required = body["required"]
                        .as_array()
                        .is_some_and(|r| r.contains(&json!(p.name)));
                    assert_eq!(required, p.required, "{at} required");
                    body["properties"][p.name.as_str()].clone()
                } else {
                    let found = entry["parameters"]
                        .as_array()
                        .and_then(|ps| ps.iter().find(|q| q["name"] == json!(p.name)))
                        .unwrap_or_else(|| panic!("{at} is a parameter"));
                    let location = format!("{:?}", p.location).to_ascii_lowercase();
                    assert_eq!(found["in"], json!(location), "{at} location");
                    assert_eq!(
                        found["required"],
                        json!(p.required || p.location == ParamLocation::Path),
                        "{at}"
                    );
                    if let Some(limits) = &p.constraints {
                        assert_eq!(found["schema"]["minimum"], json!(limits.min), "{at} min");
                        assert_eq!(found["schema"]["maximum"], json!(limits.max), "{at} max");
                    }
                    found["schema"].clone()
                };
                assert_type(&doc, &schema, &p.ty, &at);
                let def = all_types.iter().find(|(n, _)| **n == p.ty);
                if let Some(values) = def.and_then(|(_, d)| d.values.as_ref()) {
                    let expected: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
                    let schema = resolve(&doc, &schema);
                    assert_eq!(schema["enum"], json!(expected), "{at} enum values");
                }
            }
        }
    }

    #[test]
    fn is_deterministic_and_follows_the_seed() {
        let a = document(&synthesize_rest(30, 1));
        assert_eq!(a, document(&synthesize_rest(30, 1)));
        assert_ne!(a, document(&synthesize_rest(30, 2)), "the seed matters");
    }

    /// Mixed trees have several services, streaming, lenient fields and
    /// JSON-string parameters: refused with a hint, never described wrongly.
    #[test]
    fn refuses_what_openapi_can_not_describe() {
        let mixed = synthesize(24, 3, 1);
        let error = document(&mixed).err().unwrap_or_default();
        assert!(
            error.contains("second service") && error.contains("--flavor rest"),
            "{error}"
        );
        let rest_of_mixed: Vec<(String, String)> = mixed
            .into_iter()
            .filter(|(path, _)| path.starts_with("synthrest/"))
            .collect();
        let error = document(&rest_of_mixed).err().unwrap_or_default();
        assert!(error.contains("--flavor rest"), "{error}");
        let rpc_only = synthesize(4, 1, 1);
        let error = document(&rpc_only).err().unwrap_or_default();
        assert!(error.contains("rest-json"), "{error}");
    }
}
