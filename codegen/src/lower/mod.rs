//! Validation and lowering of one service into the IR: every check that
//! needs more than one file or more than the structure of a file, each
//! problem reported where it is written.

mod depth;
mod endpoints;
mod names;
mod operation;
mod paths;
mod shapes;
mod types;
mod usage;
mod wire;

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::load::FileCtx;
use crate::naming;
use crate::spec::{OperationSpec, Protocol, ServiceSpec, TypeDef};
use crate::yaml_tree::{Part, join_index, join_key};

use names::Namespace;

/// The loaded files of one service: index 0 is `service.yaml`, then the
/// operation files in path order.
pub struct Files<'a, 's> {
    /// `service.yaml`.
    pub service: &'s ServiceSpec,
    service_ctx: &'s FileCtx<'a>,
    /// Operation files that loaded.
    pub ops: Vec<(&'s FileCtx<'a>, &'s OperationSpec)>,
    /// Whether some file of the service failed to load.
    pub incomplete: bool,
}

impl<'a, 's> Files<'a, 's> {
    /// The service's files.
    pub fn new(
        service: &'s ServiceSpec,
        service_ctx: &'s FileCtx<'a>,
        ops: Vec<(&'s FileCtx<'a>, &'s OperationSpec)>,
        incomplete: bool,
    ) -> Self {
        Files {
            service,
            service_ctx,
            ops,
            incomplete,
        }
    }

    /// Diagnostic context of file `i`.
    pub fn ctx(&self, i: usize) -> &'s FileCtx<'a> {
        if i == 0 {
            self.service_ctx
        } else {
            self.ops[i - 1].0
        }
    }

    /// `types` of every file, with the file index.
    fn type_maps(&self) -> Vec<(usize, &'s BTreeMap<String, TypeDef>)> {
        std::iter::once((0, &self.service.types))
            .chain(
                self.ops
                    .iter()
                    .enumerate()
                    .map(|(i, (_, op))| (i + 1, &op.types)),
            )
            .collect()
    }
}

/// Validates and lowers one service. `dir` is its directory name,
/// `sources` and `spec_hash` describe all its files (loaded or not).
pub fn lower_service(
    dir: &str,
    files: &Files<'_, '_>,
    sources: Vec<String>,
    spec_hash: String,
    out: &mut Vec<Diagnostic>,
) -> ir::Service {
    let spec = files.service;
    let ctx = files.ctx(0);
    let errors_before = out.iter().filter(|d| d.is_error()).count();
    check_service_file(dir, spec, ctx, out);
    let service_errors = operation::lower_error_codes(&spec.errors.codes, ctx, "errors.codes", out);

    let table = types::TypeTable::collect(files, out);
    let mut decls = types::lower_decls(&table, files, out);
    depth::check(&decls, &table, files, out);
    let operations = lower_operations(files, &table, &service_errors, out);
    check_generated_names(&operations, &decls, files, &table, out);
    check_code_variants(&operations, files, out);
    usage::fill(&operations, &mut decls);
    shapes::merge(&mut decls);
    // With errors, some operations were not lowered, so "unused" would
    // mostly repeat them.
    let clean = !files.incomplete && errors_before == out.iter().filter(|d| d.is_error()).count();
    if clean {
        warn_unused_types(&decls, files, &table, out);
    }
    let service = ir::Service {
        name: dir.to_owned(),
        title: spec.title.clone(),
        description: spec.description.clone(),
        crate_name: spec.krate.name.clone(),
        crate_ident: naming::crate_ident(&spec.krate.name),
        crate_version: spec.krate.version.clone(),
        protocol: spec.protocol.into(),
        api_version: spec.api_version.clone(),
        endpoints: ir::Endpoints {
            default: spec.endpoints.default.clone(),
            regions: spec.endpoints.regions.clone(),
            region_template: spec.endpoints.region_template.clone(),
        },
        auth: match &spec.auth {
            crate::spec::Auth::Acs3HmacSha256 => ir::Auth::Acs3HmacSha256,
            crate::spec::Auth::Bearer { env } => ir::Auth::Bearer { env: env.clone() },
        },
        error_shapes: spec.errors.shapes.iter().copied().map(Into::into).collect(),
        errors: service_errors,
        operations,
        types: decls,
        sources,
        spec_hash,
    };
    operation::check_examples(&service, files, out);
    service
}

/// What `service.yaml` alone decides: its name, crate, protocol, endpoints, auth and error
/// shapes.
fn check_service_file(dir: &str, spec: &ServiceSpec, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    if spec.service != dir {
        out.push(
            ctx.error("service", Part::Value, format!("service `{}` is in directory `{dir}`", spec.service))
                .hint(format!("the service name and its directory name must be the same: write `service: {dir}` or rename the directory")),
        );
    }
    check_crate(spec, ctx, out);
    if matches!(spec.protocol, Protocol::AlibabaRpc | Protocol::AlibabaRoa)
        && spec.api_version.is_none()
    {
        out.push(
            ctx.error(
                "protocol",
                Part::Key,
                "Alibaba Cloud protocols need `api_version` (sent as `x-acs-version`)",
            )
            .hint("add e.g. `api_version: \"2025-05-07\"`"),
        );
    }
    endpoints::check(&spec.endpoints, ctx, out);
    check_auth(spec, ctx, out);
    check_error_shapes(spec, ctx, out);
}

/// A bearer key's environment variable must be one a shell can set.
fn check_auth(spec: &ServiceSpec, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    if let crate::spec::Auth::Bearer { env } = &spec.auth
        && (env.is_empty()
            || !env
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
    {
        out.push(
            ctx.error(
                "auth.env",
                Part::Value,
                format!("`{env}` is not an environment variable name"),
            )
            .expected("upper-case letters, digits and `_`, e.g. `ALTATECH_API_KEY`"),
        );
    }
}

/// At least one error shape, none twice.
fn check_error_shapes(spec: &ServiceSpec, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    if spec.errors.shapes.is_empty() {
        out.push(
            ctx.error(
                "errors.shapes",
                Part::Value,
                "no error shape: failures could not be decoded",
            )
            .expected("at least one of `alibaba`, `success-envelope`, `code-message`"),
        );
    }
    for (i, shape) in spec.errors.shapes.iter().enumerate() {
        if spec.errors.shapes[..i].contains(shape) {
            out.push(ctx.error(
                &join_index("errors.shapes", i),
                Part::Value,
                "error shape listed twice",
            ));
        }
    }
}

/// Every operation whose method name is free, sorted by wire name; then `renamed_from`
/// must name an operation that is gone.
fn lower_operations(
    files: &Files<'_, '_>,
    table: &types::TypeTable<'_>,
    service_errors: &[ir::ErrorCode],
    out: &mut Vec<Diagnostic>,
) -> Vec<ir::Operation> {
    let mut operations = Vec::new();
    let mut op_names = Namespace::new("operation")
        .reserve(
            naming::CLIENT_METHODS,
            "a method of every generated `Client`",
        )
        .reserve(
            &["r#mod"],
            "its module would be `operations/mod.rs`, the operations module index",
        )
        .reserve(
            &["operations"],
            "its module would be `operations::operations` (clippy's `module_inception`)",
        );
    for (i, (op_ctx, op)) in files.ops.iter().enumerate() {
        let method = naming::method_name(&op.operation);
        if !op_names.claim(&op.operation, &method, op_ctx, "operation", out) {
            continue;
        }
        if let Some(lowered) = operation::lower(op, i + 1, files, table, service_errors, out) {
            operations.push(lowered);
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    for (op_ctx, op) in &files.ops {
        if let Some(old) = &op.renamed_from
            && op_names.contains_wire(old)
        {
            out.push(
                op_ctx
                    .error("renamed_from", Part::Value, format!("`renamed_from: {old}` names an operation that still exists"))
                    .hint("a renamed operation's old name must be gone; remove `renamed_from` or the old operation"),
            );
        }
    }
    operations
}

/// A warning for each declared type no operation uses.
fn warn_unused_types(
    decls: &[ir::TypeDecl],
    files: &Files<'_, '_>,
    table: &types::TypeTable<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for decl in decls.iter().filter(|d| d.used_by.is_empty()) {
        if let Some(declared) = table.by_name.get(decl.spec_name.as_str()) {
            out.push(
                files
                    .ctx(declared.file)
                    .error(
                        &join_key("types", &decl.spec_name),
                        Part::Key,
                        format!("type `{}` is not used by any operation", decl.spec_name),
                    )
                    .hint("remove it, or refer to it from a parameter, a response or another type")
                    .warning(),
            );
        }
    }
}

/// Cargo package name and semver version of the generated crate.
fn check_crate(spec: &ServiceSpec, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    let name = &spec.krate.name;
    // Lower case only: the library name of `My-Api` would be `My_Api`,
    // which rustc's `non_snake_case` lint flags in every generated crate.
    let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_name {
        out.push(
            ctx.error(
                "crate.name",
                Part::Value,
                format!("`{name}` is not a valid crate name"),
            )
            .expected("lower-case ASCII letters, digits, `-` and `_`, starting with a letter"),
        );
    }
    // Cargo refuses keywords as package names (`type`, `Self`): the
    // escaped crate identifier (`r#type`, `self_`) gives them away.
    let ident = naming::crate_ident(name);
    if valid_name && (ident.0.starts_with("r#") || ident.0.ends_with('_')) {
        out.push(
            ctx.error(
                "crate.name",
                Part::Value,
                format!("`{name}` is a Rust keyword, which Cargo refuses as a crate name"),
            )
            .hint(format!("add a word, e.g. `{name}-api`")),
        );
    }
    let version = &spec.krate.version;
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    let valid_version = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !valid_version {
        out.push(
            ctx.error(
                "crate.version",
                Part::Value,
                format!("`{version}` is not a semver version"),
            )
            .expected("`MAJOR.MINOR.PATCH`, e.g. `0.1.0`"),
        );
    }
}

/// Generated item names that must not collide: each operation's builder and
/// error-code enum against the named types and the other operations'. One
/// hashed table, so linear in operations plus types.
fn check_generated_names(
    operations: &[ir::Operation],
    decls: &[ir::TypeDecl],
    files: &Files<'_, '_>,
    table: &types::TypeTable<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let types: HashMap<&str, &str> = decls
        .iter()
        .map(|d| (d.rust.0.as_str(), d.spec_name.as_str()))
        .collect();
    let mut generated_by: HashMap<&str, &str> = HashMap::new();
    for op in operations {
        for generated in [&op.builder, &op.error_enum] {
            if let Some(spec_name) = types.get(generated.0.as_str())
                && let Some(declared) = table.by_name.get(spec_name)
            {
                out.push(
                    files
                        .ctx(declared.file)
                        .error(
                            &join_key("types", spec_name),
                            Part::Key,
                            format!(
                                "type `{spec_name}` has the name of the generated `{}` of operation `{}`",
                                generated.0, op.name.0
                            ),
                        )
                        .hint("rename the type"),
                );
            }
            if let Some(first) = generated_by.insert(&generated.0, &op.name.0)
                && let Some((ctx, _)) = files.ops.iter().find(|(_, o)| o.operation == op.name.0)
            {
                out.push(
                    ctx.error(
                        "operation",
                        Part::Value,
                        format!(
                            "operations `{first}` and `{}` both generate `{}`",
                            op.name.0, generated.0
                        ),
                    )
                    .hint("rename one of them"),
                );
            }
        }
    }
}

/// The crate's `Code` enum holds every operation's codes once: two different
/// codes of two operations that become one variant would leave the second
/// decoding as `Unknown` (one operation's duplicates are caught where its
/// codes are lowered).
fn check_code_variants(
    operations: &[ir::Operation],
    files: &Files<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, (&str, &str)> = HashMap::new();
    for op in operations {
        for code in &op.errors {
            let claim = first
                .entry(code.variant.0.as_str())
                .or_insert((code.code.0.as_str(), op.name.0.as_str()));
            if claim.0 == code.code.0 {
                continue;
            }
            let (other, other_op) = *claim;
            let Some((ctx, spec)) = files.ops.iter().find(|(_, o)| o.operation == op.name.0) else {
                continue;
            };
            let Some(i) = spec.errors.iter().position(|e| e.code == code.code.0) else {
                continue; // a service code: the service's own list is checked
            };
            out.push(
                ctx.error(
                    &join_key(&join_index("errors", i), "code"),
                    Part::Value,
                    format!(
                        "error code `{}` becomes `{}` in the crate's code enum, as `{other}` of operation `{other_op}` does; it would decode as `Unknown`",
                        code.code.0, code.variant.0
                    ),
                )
                .hint("spell the code as the service sends it; if both spellings are real, report it upstream and keep one"),
            );
        }
    }
}

/// Package names a generated crate must not take: the fixed members of
/// this workspace, the crates generated code depends on, and the crates
/// every Rust program can name (`std`). Compared as Cargo compares library
/// names: `-` and `_` alike, case ignored. (`cargo xtask` also checks the
/// workspace's other members, which it finds on disk.)
const TAKEN_PACKAGES: &[&str] = &[
    "wiregen-codegen",
    "wiregen-runtime",
    "wiregen-tests",
    "xtask",
    "serde",
    "serde_json",
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
];

/// Claims each service's `crate.name` across the whole spec tree: two
/// services (or a service and a workspace package) with one name would break
/// every cargo command, `cargo xtask` included. `services` holds the
/// service directory, its context and spec; a diagnostic goes to the
/// diagnostics of the service at the same index.
pub fn check_crate_names(
    services: &[(&str, &FileCtx<'_>, &ServiceSpec)],
    out: &mut [Vec<Diagnostic>],
) {
    let mut taken: HashMap<String, &str> = HashMap::new();
    for (i, (dir, ctx, spec)) in services.iter().enumerate() {
        let name = &spec.krate.name;
        let key = naming::package_key(name);
        let problem = if let Some(package) = TAKEN_PACKAGES
            .iter()
            .find(|p| naming::package_key(p) == key)
        {
            Some(format!(
                "crate name `{name}` is taken by the workspace package or dependency `{package}`"
            ))
        } else {
            taken.insert(key, dir).map(|first| {
                format!("crate name `{name}` is also the crate name of service `{first}`")
            })
        };
        if let (Some(message), Some(diagnostics)) = (problem, out.get_mut(i)) {
            diagnostics.push(
                ctx.error("crate.name", Part::Value, message).hint(
                    "every generated crate needs its own package name, e.g. the service name",
                ),
            );
        }
    }
}
