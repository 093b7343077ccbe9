//! The named types of a service: the table of declared names (shared by all
//! the service's files), type-expression resolution, and lowering of each
//! declaration into an [`ir::TypeDecl`].

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ir::{self, RustName, TypeRef, WireName};
use crate::load::FileCtx;
use crate::lower::names::Namespace;
use crate::naming;
use crate::spec::{Field, TypeDef};
use crate::type_expr::{self, EXPECTED, PRIMITIVES, TypeExpr};
use crate::yaml_tree::{Part, join_index, join_key};

use super::Files;

/// A declared type: where, and its Rust name.
pub struct Declared<'s> {
    /// Index of the declaring file in [`Files`].
    pub file: usize,
    /// The declaration.
    pub def: &'s TypeDef,
    /// Rust name.
    pub rust: RustName,
}

/// Every type name of a service.
pub struct TypeTable<'s> {
    /// By spec name.
    pub by_name: BTreeMap<&'s str, Declared<'s>>,
    /// Declarations by Rust name (what [`TypeRef::Named`] holds).
    by_rust: HashMap<RustName, &'s TypeDef>,
    /// Some file of the service did not load, so a name that is not found
    /// may be declared there: undefined-type errors are left out to avoid
    /// reporting consequences of the real error.
    pub incomplete: bool,
}

impl<'s> TypeTable<'s> {
    /// Collects the declarations of every file, reporting duplicates,
    /// Rust-name collisions and invalid names.
    pub fn collect(files: &Files<'_, 's>, out: &mut Vec<Diagnostic>) -> Self {
        let mut by_name = BTreeMap::new();
        let mut names = Namespace::new("type")
            .reserve(
                naming::PRELUDE_TYPES,
                "a std prelude name, which the generated `models.rs` uses unqualified",
            )
            .reserve(&["Self_"], "`Self` is a Rust keyword")
            .reserve(
                &["New"],
                "`New::new`, the generated constructor, is refused by clippy (`self_named_constructors`)",
            );
        for (file, types) in files.type_maps() {
            let ctx = files.ctx(file);
            for (name, def) in types {
                let path = join_key("types", name);
                if PRIMITIVES.contains(&name.as_str()) || name == "list" || name == "map" {
                    out.push(
                        ctx.error(
                            &path,
                            Part::Key,
                            format!("`{name}` is a built-in type name"),
                        )
                        .hint("give the type another name"),
                    );
                    continue;
                }
                let valid = name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !valid {
                    out.push(
                        ctx.error(
                            &path,
                            Part::Key,
                            format!("type name `{name}` can not be used in type expressions"),
                        )
                        .expected("ASCII letters, digits and `_`, not starting with a digit"),
                    );
                    continue;
                }
                let rust = naming::type_name(name);
                if names.claim(name, &rust, ctx, &path, out) {
                    by_name.insert(name.as_str(), Declared { file, def, rust });
                }
            }
        }
        let by_rust = by_name.values().map(|d| (d.rust.clone(), d.def)).collect();
        TypeTable {
            by_name,
            by_rust,
            incomplete: files.incomplete,
        }
    }

    /// Resolves a type expression written at `yaml_path` of file `file`.
    pub fn resolve(
        &self,
        text: &str,
        files: &Files<'_, '_>,
        file: usize,
        yaml_path: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<TypeRef> {
        let ctx = files.ctx(file);
        match type_expr::parse(text) {
            Err(e) => {
                out.push(
                    ctx.error(
                        yaml_path,
                        Part::Value,
                        format!("malformed type `{text}`: {}", e.message),
                    )
                    .expected(EXPECTED)
                    .maybe_hint(e.hint),
                );
                None
            }
            Ok(expr) => match self.lower_expr(&expr) {
                Ok(ty) => Some(ty),
                Err(name) => {
                    // With a file missing, the name may be declared there.
                    if !self.incomplete {
                        let candidates = PRIMITIVES
                            .iter()
                            .copied()
                            .chain(self.by_name.keys().copied());
                        let hint = did_you_mean(&name, candidates).unwrap_or_else(|| {
                            "declare it under `types` in service.yaml or in an operation file of this service".to_owned()
                        });
                        out.push(
                            ctx.error(
                                yaml_path,
                                Part::Value,
                                if name == text.trim() {
                                    format!("undefined type `{name}`")
                                } else {
                                    format!("undefined type `{name}` in `{text}`")
                                },
                            )
                            .expected(EXPECTED)
                            .hint(hint),
                        );
                    }
                    None
                }
            },
        }
    }

    /// Resolves a type expression without reporting anything (for
    /// expressions whose problems are reported where they are written).
    pub fn resolve_quiet(&self, text: &str) -> Option<TypeRef> {
        self.lower_expr(&type_expr::parse(text).ok()?).ok()
    }

    /// The resolved type, or the first undefined name.
    fn lower_expr(&self, expr: &TypeExpr) -> Result<TypeRef, String> {
        Ok(match expr {
            TypeExpr::Primitive(p) => primitive(p),
            TypeExpr::List(inner) => TypeRef::List(Box::new(self.lower_expr(inner)?)),
            TypeExpr::Map(inner) => TypeRef::Map(Box::new(self.lower_expr(inner)?)),
            TypeExpr::Named(name) => match self.by_name.get(name.as_str()) {
                Some(declared) => TypeRef::Named(declared.rust.clone()),
                None => return Err(name.clone()),
            },
        })
    }

    /// Whether `ty` is a named enum.
    pub fn is_enum(&self, ty: &TypeRef) -> bool {
        self.kind_of(ty).is_some_and(|def| def.values.is_some())
    }

    /// Whether `ty` is a named object.
    pub fn is_object(&self, ty: &TypeRef) -> bool {
        self.kind_of(ty).is_some_and(|def| def.fields.is_some())
    }

    fn kind_of(&self, ty: &TypeRef) -> Option<&'s TypeDef> {
        let TypeRef::Named(rust) = ty else {
            return None;
        };
        self.def(rust)
    }

    /// The declaration of a named type, by its Rust name.
    pub fn def(&self, rust: &RustName) -> Option<&'s TypeDef> {
        self.by_rust.get(rust).copied()
    }
}

fn primitive(name: &str) -> TypeRef {
    match name {
        "bool" => TypeRef::Bool,
        "int32" => TypeRef::Int32,
        "int64" => TypeRef::Int64,
        "float64" => TypeRef::Float64,
        "timestamp_s" => TypeRef::TimestampSeconds,
        "timestamp_ms" => TypeRef::TimestampMillis,
        "json" => TypeRef::Json,
        _ => TypeRef::String,
    }
}

/// Whether `lenient` makes sense for the type: scalars and timestamps.
pub fn is_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::Bool
            | TypeRef::Int32
            | TypeRef::Int64
            | TypeRef::Float64
            | TypeRef::TimestampSeconds
            | TypeRef::TimestampMillis
    )
}

/// How a type expression reads in messages (`list<Conversation>`).
pub fn show(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Int32 => "int32".to_owned(),
        TypeRef::Int64 => "int64".to_owned(),
        TypeRef::Float64 => "float64".to_owned(),
        TypeRef::TimestampSeconds => "timestamp_s".to_owned(),
        TypeRef::TimestampMillis => "timestamp_ms".to_owned(),
        TypeRef::Json => "json".to_owned(),
        TypeRef::List(t) => format!("list<{}>", show(t)),
        TypeRef::Map(t) => format!("map<{}>", show(t)),
        TypeRef::Named(n) => n.0.clone(),
    }
}

/// Lowers every declared type (usage and users are filled in later).
pub fn lower_decls(
    table: &TypeTable<'_>,
    files: &Files<'_, '_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<ir::TypeDecl> {
    let mut decls = Vec::new();
    for (name, declared) in &table.by_name {
        let ctx = files.ctx(declared.file);
        let path = join_key("types", name);
        let def = declared.def;
        let kind = match (&def.fields, &def.values) {
            (Some(fields), None) => ir::TypeKind::Object {
                fields: lower_fields(fields, table, files, declared.file, &path, out),
            },
            (None, Some(values)) => {
                if values.is_empty() {
                    out.push(ctx.error(
                        &join_key(&path, "enum"),
                        Part::Value,
                        format!("enum `{name}` has no values"),
                    ));
                }
                let mut names = Namespace::new("enum value");
                let mut lowered = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    let vpath = join_key(&join_index(&join_key(&path, "enum"), i), "value");
                    let rust = naming::enum_variant(&v.value);
                    if names.claim(&v.value, &rust, ctx, &vpath, out) {
                        lowered.push(ir::EnumValue {
                            wire: WireName(v.value.clone()),
                            rust,
                            description: v.description.clone(),
                            deprecated: v.deprecated,
                        });
                    }
                }
                ir::TypeKind::Enum { values: lowered }
            }
            _ => {
                out.push(
                    ctx.error(
                        &path,
                        Part::Key,
                        format!("type `{name}` must have exactly one of `fields` and `enum`"),
                    )
                    .hint("`fields` for an object, `enum` for a set of string values"),
                );
                continue;
            }
        };
        decls.push(ir::TypeDecl {
            spec_name: (*name).to_owned(),
            rust: declared.rust.clone(),
            description: def.description.clone(),
            deprecated: def.deprecated,
            kind,
            usage: ir::Usage::default(),
            used_by: Vec::new(),
            source: files.ctx(declared.file).path.to_owned(),
            same_as: None,
            code_usage: ir::Usage::default(),
        });
    }
    decls.sort_by(|a, b| a.rust.cmp(&b.rust));
    decls
}

fn lower_fields(
    fields: &[Field],
    table: &TypeTable<'_>,
    files: &Files<'_, '_>,
    file: usize,
    type_path: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<ir::Field> {
    let ctx = files.ctx(file);
    let mut names = Namespace::new("field");
    // Input types get a `with_<field>` setter per field: `_x` and `x` both
    // give `with_x`.
    let mut setters = Namespace::new("field");
    let mut lowered = Vec::new();
    let fields_path = join_key(type_path, "fields");
    for (i, f) in fields.iter().enumerate() {
        let path = join_index(&fields_path, i);
        let name_path = join_key(&path, "name");
        if f.name.is_empty() {
            out.push(ctx.error(&name_path, Part::Value, "empty field name"));
            continue;
        }
        let rust = naming::snake(&f.name);
        let setter = naming::with_setter(&rust);
        let claimed = names.claim(&f.name, &rust, ctx, &name_path, out)
            && setters.claim(&f.name, &setter, ctx, &name_path, out);
        let ty = table.resolve(&f.ty, files, file, &join_key(&path, "type"), out);
        if let Some(ty) = &ty
            && f.lenient
            && !is_scalar(ty)
        {
            out.push(
                ctx.error(
                    &join_key(&path, "lenient"),
                    Part::Key,
                    format!("`lenient` on field `{}` of type `{}`", f.name, show(ty)),
                )
                .expected(
                    "`lenient` only on string, bool, int32, int64, float64 and timestamp fields",
                )
                .hint("remove `lenient: true`"),
            );
        }
        if let (Some(ty), Some(example)) = (&ty, &f.example) {
            check_example_value(
                example,
                ty,
                f.lenient,
                table,
                ctx,
                &join_key(&path, "example"),
                out,
            );
        }
        if let (true, Some(ty)) = (claimed, ty) {
            lowered.push(ir::Field {
                wire: WireName(f.name.clone()),
                rust,
                setter,
                ty,
                required: f.required,
                nullable: f.nullable,
                lenient: f.lenient,
                aliases: f.aliases.iter().map(|a| WireName(a.clone())).collect(),
                deprecated: f.deprecated,
                description: f.description.clone(),
            });
        }
    }
    // Aliases share the wire namespace of the fields.
    for (i, f) in fields.iter().enumerate() {
        for (j, alias) in f.aliases.iter().enumerate() {
            let path = join_index(&join_key(&join_index(&fields_path, i), "aliases"), j);
            if names.contains_wire(alias)
                || fields[..i].iter().any(|g| g.aliases.contains(alias))
                || f.aliases[..j].contains(alias)
            {
                out.push(
                    ctx.error(
                        &path,
                        Part::Value,
                        format!(
                            "alias `{alias}` of field `{}` is already a wire name of this type",
                            f.name
                        ),
                    )
                    .hint("every wire name (field names and aliases) must be unique within a type"),
                );
            }
        }
    }
    lowered
}

/// Checks a field's or parameter's `example` against its type; the table
/// is consulted through a throwaway IR view of the named types.
pub fn check_example_value(
    example: &serde_json::Value,
    ty: &TypeRef,
    lenient: bool,
    table: &TypeTable<'_>,
    ctx: &FileCtx<'_>,
    yaml_path: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Only scalars and enums are checked here: examples of objects are
    // checked through the operation examples, once every type is lowered.
    let ok = match ty {
        TypeRef::Named(_) if table.is_enum(ty) => example.is_string(),
        TypeRef::Named(_) | TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Json => true,
        _ => {
            let empty = [];
            let index = crate::examples::TypeIndex::new(&empty);
            let how = crate::examples::Leniency {
                lenient,
                nullable: true,
            };
            crate::examples::check_value(example, ty, how, &index, "$").is_empty()
        }
    };
    if !ok {
        out.push(ctx.error(
            yaml_path,
            Part::Value,
            format!("example `{example}` is not a valid `{}`", show(ty)),
        ));
    }
}
