//! Metadata schemas into spec type expressions and named types.
//!
//! Inline objects become types named after where they sit
//! (`ChatMessagesResponse`, `ChatMessagesResponseData`), `$ref` schemas keep
//! their component name and are shared, string enums become open enums.
//! Every name is claimed once per service (spec and Rust spelling both), so a
//! draft never collides with a curated type or with itself.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::meta::{Node, ProseSource};
use super::{ImportError, Note, NoteKind};
use crate::naming;
use crate::spec::{EnumValue, Field, TypeDef};

/// Deepest nesting of schemas followed (objects in lists in objects...);
/// deeper metadata is refused rather than walked without bound.
pub const MAX_SCHEMA_DEPTH: usize = 32;

const REF_PREFIX: &str = "#/components/schemas/";

/// Names the spec format reserves for itself or that would shadow the
/// generated code's own items.
const RESERVED: &[&str] = &["Self_", "New", "list", "map", "json", "text", "bytes"];

/// Every type drafted for one service so far, and the names taken.
#[derive(Debug, Clone, Default)]
pub struct Types<'m> {
    components: Option<Node<'m>>,
    /// Types by spec name.
    pub defs: BTreeMap<String, TypeDef>,
    /// Operation that first needed each type.
    pub owner: BTreeMap<String, String>,
    /// Types that come from `components.schemas` (shared by operations).
    pub shared: BTreeSet<String>,
    by_ref: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    taken_rust: BTreeSet<String>,
    resolving: Vec<String>,
    /// What could not be held, by JSON path.
    pub notes: Vec<Note>,
    /// Texts taken from the `--prose` file.
    pub prose_other: usize,
    /// Texts taken from the imported file itself.
    pub prose_own: usize,
}

/// Where a type is being drafted: the operation it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a>(pub &'a str);

impl<'m> Types<'m> {
    /// A table for a service whose existing spec files already declare `taken`.
    pub fn new(components: Option<Node<'m>>, taken: impl IntoIterator<Item = String>) -> Self {
        let mut types = Types {
            components,
            ..Types::default()
        };
        for name in naming::PRELUDE_TYPES.iter().chain(RESERVED) {
            types.taken_rust.insert(naming::type_name(name).0);
            types.taken.insert((*name).to_owned());
        }
        for name in taken {
            types.taken_rust.insert(naming::type_name(&name).0);
            types.taken.insert(name);
        }
        types
    }

    /// A name for a new type from a hint, unique in spec and Rust spelling.
    fn claim(&mut self, hint: &str) -> String {
        let mut base: String = hint
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base.insert(0, 'T');
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) || self.taken_rust.contains(&naming::type_name(&name).0) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken_rust.insert(naming::type_name(&name).0);
        self.taken.insert(name.clone());
        name
    }

    /// Text for a schema's `description` (or `title`), counting where it came from.
    pub fn prose(&mut self, node: &Node<'m>) -> Option<String> {
        let (text, source) = node.prose(&["description", "title"])?;
        match source {
            ProseSource::Own => self.prose_own += 1,
            ProseSource::Other => self.prose_other += 1,
        }
        Some(text)
    }

    /// The type expression of `schema`; new types are named from `hint`.
    pub fn expr(
        &mut self,
        schema: &Node<'m>,
        hint: &str,
        owner: Owner<'_>,
        depth: usize,
    ) -> Result<String, ImportError> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(schema.error(format!(
                "schema nested deeper than {MAX_SCHEMA_DEPTH} levels"
            )));
        }
        schema.object()?;
        if let Some(reference) = schema.get("$ref") {
            return self.reference(&reference, owner, depth);
        }
        let ty = schema.opt_str("type")?;
        let has_properties = schema
            .get("properties")
            .is_some_and(|p| p.value.as_object().is_some_and(|m| !m.is_empty()));
        match ty {
            Some("string") => self.string(schema, hint, owner),
            Some("integer") => {
                self.scalar_enum_note(schema);
                Ok(match schema.opt_str("format")? {
                    Some("int32") => "int32".into(),
                    _ => "int64".into(),
                })
            }
            Some("number") => {
                self.scalar_enum_note(schema);
                Ok("float64".into())
            }
            Some("boolean") => Ok("bool".into()),
            Some("array") => match schema.get("items") {
                Some(items) => {
                    let item_hint = if items.get("items").is_some() {
                        format!("{hint}Item")
                    } else {
                        hint.to_owned()
                    };
                    Ok(format!(
                        "list<{}>",
                        self.expr(&items, &item_hint, owner, depth + 1)?
                    ))
                }
                None => {
                    self.note(schema, "array without `items`: drafted as `list<json>`");
                    Ok("list<json>".into())
                }
            },
            Some("object") | None if has_properties => self.object(schema, hint, owner, depth),
            Some("object") | Some("any") | None => Ok("json".into()),
            Some(other) => Err(schema
                .get("type")
                .unwrap_or_else(|| schema.clone())
                .error(format!(
                    "unknown schema type `{other}` (expected string, integer, number, boolean, array, object or any)"
                ))),
        }
    }

    fn note(&mut self, node: &Node<'m>, message: impl Into<String>) {
        self.notes.push(Note::not_held(node.path(), message));
    }

    fn scalar_enum_note(&mut self, schema: &Node<'m>) {
        if schema.get("enum").is_some() {
            self.note(
                schema,
                "`enum` on a number: the spec format's enums are strings, drafted as the plain number",
            );
        }
    }

    fn reference(
        &mut self,
        reference: &Node<'m>,
        owner: Owner<'_>,
        depth: usize,
    ) -> Result<String, ImportError> {
        let text = reference.str()?;
        let Some(name) = text.strip_prefix(REF_PREFIX) else {
            return Err(reference.error(format!(
                "`$ref` `{text}` does not point into `components.schemas` (expected `{REF_PREFIX}NAME`)"
            )));
        };
        if let Some(expr) = self.by_ref.get(name) {
            return Ok(expr.clone());
        }
        if self.resolving.iter().any(|n| n == name) {
            let mut chain = self.resolving.clone();
            chain.push(name.to_owned());
            return Err(reference.error(format!(
                "`$ref` loop: {} (the spec format has no recursive types)",
                chain.join(" -> ")
            )));
        }
        let own = self.components.as_ref().and_then(|c| c.get(name));
        let borrowed = match own {
            Some(_) => None,
            None => self.components.as_ref().and_then(|c| c.twin_get(name)),
        };
        if let Some(schema) = &borrowed {
            self.notes.push(Note {
                kind: NoteKind::FromProse,
                path: schema.path(),
                message: format!(
                    "`{name}` is missing from this file's `components.schemas`: taken from the --prose file, which has it"
                ),
            });
        }
        let target = own.or(borrowed).ok_or_else(|| {
            reference.error(format!(
                "dangling `$ref`: no schema `{name}` under `components.schemas`"
            ))
        })?;
        self.resolving.push(name.to_owned());
        let before: BTreeSet<String> = self.defs.keys().cloned().collect();
        let expr = self.expr(&target, name, owner, depth + 1);
        self.resolving.pop();
        let expr = expr?;
        // Types drafted for a component are shared by every operation using it.
        for new in self.defs.keys().filter(|k| !before.contains(*k)) {
            self.shared.insert(new.clone());
        }
        self.by_ref.insert(name.to_owned(), expr.clone());
        Ok(expr)
    }

    fn string(
        &mut self,
        schema: &Node<'m>,
        hint: &str,
        owner: Owner<'_>,
    ) -> Result<String, ImportError> {
        let Some(values) = schema.get("enum") else {
            return Ok("string".into());
        };
        let mut out: Vec<EnumValue> = Vec::new();
        let mut variants = BTreeSet::new();
        for item in values.items()? {
            let value = match item.value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    self.note(
                        &item,
                        "enum value that is not a string: the enum is drafted as a plain string",
                    );
                    return Ok("string".into());
                }
            };
            if out.iter().any(|v| v.value == value) {
                continue;
            }
            let variant = naming::enum_variant(&value).0;
            if value.is_empty() || variant == naming::CATCH_ALL_VARIANT || !variants.insert(variant)
            {
                self.note(
                    &item,
                    format!(
                        "enum value `{value}` has no Rust variant of its own (empty, `Unknown`, or equal to another after case conversion): the enum is drafted as a plain string"
                    ),
                );
                return Ok("string".into());
            }
            let description = enum_title(schema, &value);
            out.push(EnumValue {
                value,
                description,
                deprecated: false,
            });
        }
        if out.is_empty() {
            return Ok("string".into());
        }
        let name = self.claim(hint);
        let description = self.prose(schema);
        self.define(
            name.clone(),
            owner,
            TypeDef {
                description,
                deprecated: false,
                fields: None,
                values: Some(out),
            },
        );
        Ok(name)
    }

    fn define(&mut self, name: String, owner: Owner<'_>, def: TypeDef) {
        self.owner.insert(name.clone(), owner.0.to_owned());
        self.defs.insert(name, def);
    }

    fn object(
        &mut self,
        schema: &Node<'m>,
        hint: &str,
        owner: Owner<'_>,
        depth: usize,
    ) -> Result<String, ImportError> {
        let name = self.claim(hint);
        let properties = schema.require("properties")?;
        let mut fields = Vec::new();
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        for (key, prop) in properties.entries()? {
            let rust = naming::snake(key).0;
            if let Some(first) = rust_names.insert(rust.clone(), key.to_owned()) {
                return Err(prop.error(format!(
                    "properties `{first}` and `{key}` both become `{rust}` in Rust, and the spec format can not rename a field"
                )));
            }
            let ty = self.expr(&prop, &format!("{name}{}", pascal(key)), owner, depth + 1)?;
            let description = self.prose(&prop);
            let example = example_value(&ty, prop.get("example").as_ref(), &self.defs);
            fields.push(Field {
                name: key.to_owned(),
                lenient: is_scalar(&ty),
                ty,
                required: false,
                nullable: false,
                aliases: Vec::new(),
                deprecated: prop.flag("deprecated").unwrap_or(false),
                description,
                example,
            });
        }
        let description = self.prose(schema);
        self.define(
            name.clone(),
            owner,
            TypeDef {
                description,
                deprecated: false,
                fields: Some(fields),
                values: None,
            },
        );
        Ok(name)
    }
}

/// The `enumValueTitles` text of one enum value, when the metadata has one.
fn enum_title(schema: &Node<'_>, value: &str) -> Option<String> {
    let titles = schema.get("enumValueTitles")?;
    let text = titles.value.get(value)?.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A wire name as a part of a type name (`data_list` -> `DataList`).
pub fn pascal(wire: &str) -> String {
    wire.to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Whether `lenient` applies: the scalars whose wire form wobbles.
pub fn is_scalar(ty: &str) -> bool {
    matches!(ty, "string" | "bool" | "int32" | "int64" | "float64")
}

/// The metadata's example (always text) as a value of `ty`, when it is one:
/// examples the compiler would refuse are left out, not guessed at.
pub fn example_value(
    ty: &str,
    example: Option<&Node<'_>>,
    defs: &BTreeMap<String, TypeDef>,
) -> Option<Value> {
    let raw = example?.value;
    let text = match raw {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    if text.is_empty() {
        return None;
    }
    match ty {
        "string" => Some(Value::String(text)),
        "int64" => text.parse::<i64>().ok().map(Value::from),
        "int32" => text.parse::<i32>().ok().map(Value::from),
        "float64" => text
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        "bool" => match text.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        named => {
            let values = defs.get(named)?.values.as_ref()?;
            values
                .iter()
                .any(|v| v.value == text)
                .then_some(Value::String(text))
        }
    }
}
