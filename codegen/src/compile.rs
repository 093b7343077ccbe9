//! The compiler front end (load, validate, lower) as one pure function:
//! spec files in, IR or every diagnostic out.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::Schema;

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::ir;
use crate::load::{self, Loaded};
use crate::lower::{self, Files};
use crate::schema;
use crate::source::SourceFile;
use crate::spec::{OperationSpec, ServiceSpec};

/// The result of compiling: the IR when there is no error, and every
/// diagnostic (errors and warnings), sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    /// The IR, `None` when any diagnostic is an error.
    pub api: Option<ir::Api>,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles spec files (paths relative to the spec root) into the IR, or
/// returns every diagnostic. Pure and deterministic: the order of `files`
/// does not matter. Warnings are dropped on success; see [`compile_report`].
pub fn compile(files: &[SourceFile]) -> Result<ir::Api, Vec<Diagnostic>> {
    let compiled = compile_report(files);
    match compiled.api {
        Some(api) => Ok(api),
        None => Err(compiled.diagnostics),
    }
}

/// Like [`compile`], but keeps the warnings of a successful compilation.
pub fn compile_report(files: &[SourceFile]) -> Compiled {
    let mut files: Vec<&SourceFile> = files.iter().collect();
    files.sort();
    let mut out = Vec::new();
    let mut services: BTreeMap<&str, (Option<&SourceFile>, Vec<&SourceFile>)> = BTreeMap::new();
    for (i, file) in files.iter().enumerate() {
        if i > 0 && files[i - 1].path == file.path {
            out.push(Diagnostic::file_error(&file.path, "file given twice"));
            continue;
        }
        let parts: Vec<&str> = file.path.split('/').collect();
        match parts.as_slice() {
            [service, "service.yaml"] if !service.is_empty() => {
                services.entry(service).or_default().0 = Some(file)
            }
            [service, "operations", name]
                if !service.is_empty() && name.len() > ".yaml".len() && name.ends_with(".yaml") =>
            {
                services.entry(service).or_default().1.push(file);
            }
            _ => out.push(
                Diagnostic::file_error(&file.path, "not a spec file path").expected(
                    "`<service>/service.yaml` or `<service>/operations/<Operation>.yaml`",
                ),
            ),
        }
    }
    let (service_schema, operation_schema) = schemas();
    let mut lowered = Vec::new();
    for (dir, (service_file, op_files)) in services {
        let service: Option<Loaded<'_, ServiceSpec>> =
            service_file.map(|f| load::load(f, service_schema.as_value(), &mut out));
        let ops: Vec<Loaded<'_, OperationSpec>> = op_files
            .iter()
            .map(|f| load::load(f, operation_schema.as_value(), &mut out))
            .collect();
        let Some(service) = service else {
            out.push(
                Diagnostic::file_error(
                    format!("{dir}/service.yaml"),
                    format!("service `{dir}` has operations but no `service.yaml`"),
                )
                .hint("every service directory needs a `service.yaml`"),
            );
            continue;
        };
        let Some(service_spec) = &service.spec else {
            continue;
        };
        let incomplete = ops.iter().any(|o| o.spec.is_none());
        let loaded_ops = ops
            .iter()
            .filter_map(|o| o.spec.as_ref().map(|s| (&o.ctx, s)))
            .collect();
        let files_of_service = Files::new(service_spec, &service.ctx, loaded_ops, incomplete);
        let mut sources: Vec<&SourceFile> = service_file
            .into_iter()
            .chain(op_files.iter().copied())
            .collect();
        sources.sort();
        let hash = spec_hash(&sources);
        let paths = sources.iter().map(|f| f.path.clone()).collect();
        lowered.push(lower::lower_service(
            dir,
            &files_of_service,
            paths,
            hash,
            &mut out,
        ));
    }
    sort_diagnostics(&mut out);
    let failed = out.iter().any(Diagnostic::is_error);
    Compiled {
        api: (!failed).then_some(ir::Api { services: lowered }),
        diagnostics: out,
    }
}

/// The two root schemas, generated once per process (generation costs
/// more than checking a file).
fn schemas() -> &'static (Schema, Schema) {
    static SCHEMAS: OnceLock<(Schema, Schema)> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        (
            schema::service_schema_value(),
            schema::operation_schema_value(),
        )
    })
}

/// Hex SHA-256 over `path`, NUL, `text` of each file, in path order.
fn spec_hash(files: &[&SourceFile]) -> String {
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.path.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads `root` and compiles it: what `cargo xtask check` runs.
pub fn compile_dir(root: &std::path::Path) -> Compiled {
    match crate::source::read_spec_dir(root) {
        Ok(files) => compile_report(&files),
        Err(mut diagnostics) => {
            sort_diagnostics(&mut diagnostics);
            Compiled {
                api: None,
                diagnostics,
            }
        }
    }
}
