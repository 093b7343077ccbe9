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
use crate::parallel;
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
    // Loading is per file and lowering per service: both run on all cores.
    // Each unit's diagnostics are collected apart and appended in the order
    // a sequential run would push them, so the output does not depend on
    // scheduling.
    let op_files: Vec<&SourceFile> = services
        .values()
        .flat_map(|(_, ops)| ops)
        .copied()
        .collect();
    let loaded_ops = parallel::map(op_files, FILES_PER_THREAD, |f| {
        let mut diagnostics = Vec::new();
        let loaded = load::load::<OperationSpec>(f, operation_schema.as_value(), &mut diagnostics);
        (loaded, diagnostics)
    });
    let mut jobs = Vec::new();
    let mut loaded_ops = loaded_ops.into_iter();
    for (dir, (service_file, op_files)) in services {
        let mut diagnostics = Vec::new();
        let service: Option<Loaded<'_, ServiceSpec>> =
            service_file.map(|f| load::load(f, service_schema.as_value(), &mut diagnostics));
        // Each job owns its files, so they are also dropped in parallel.
        let ops: Vec<Loaded<'_, OperationSpec>> = loaded_ops
            .by_ref()
            .take(op_files.len())
            .map(|(loaded, load_diagnostics)| {
                diagnostics.extend(load_diagnostics);
                loaded
            })
            .collect();
        jobs.push(ServiceJob {
            dir,
            service_file,
            op_files,
            service,
            ops,
            diagnostics,
        });
    }
    claim_crate_names(&mut jobs);
    let results = parallel::map(jobs, 1, lower_job);
    let mut lowered = Vec::new();
    for (service, diagnostics) in results {
        out.extend(diagnostics);
        lowered.extend(service);
    }
    sort_diagnostics(&mut out);
    let failed = out.iter().any(Diagnostic::is_error);
    Compiled {
        api: (!failed).then_some(ir::Api { services: lowered }),
        diagnostics: out,
    }
}

/// Fewer files than this per thread are loaded on one thread: starting a
/// thread costs about as much as loading a few small files.
const FILES_PER_THREAD: usize = 8;

/// One service directory, its files loaded.
struct ServiceJob<'a> {
    dir: &'a str,
    service_file: Option<&'a SourceFile>,
    op_files: Vec<&'a SourceFile>,
    service: Option<Loaded<'a, ServiceSpec>>,
    /// The loaded operation files.
    ops: Vec<Loaded<'a, OperationSpec>>,
    /// Diagnostics so far (loading).
    diagnostics: Vec<Diagnostic>,
}

/// Package names are unique across the whole tree (see
/// [`lower::check_crate_names`]); checked before lowering, which runs one
/// service per job.
fn claim_crate_names(jobs: &mut [ServiceJob<'_>]) {
    let mut found = Vec::new();
    let services: Vec<_> = jobs
        .iter()
        .enumerate()
        .filter_map(|(i, job)| {
            let service = job.service.as_ref()?;
            let spec = service.spec.as_ref()?;
            found.push(i);
            Some((job.dir, &service.ctx, spec))
        })
        .collect();
    let mut diagnostics = vec![Vec::new(); services.len()];
    lower::check_crate_names(&services, &mut diagnostics);
    drop(services);
    for (i, more) in found.into_iter().zip(diagnostics) {
        jobs[i].diagnostics.extend(more);
    }
}

/// Validates and lowers one loaded service: the IR of the service (unless
/// it could not be loaded at all) and every diagnostic of its files.
fn lower_job(job: ServiceJob<'_>) -> (Option<ir::Service>, Vec<Diagnostic>) {
    let ServiceJob {
        dir,
        service_file,
        op_files,
        service,
        ops,
        mut diagnostics,
    } = job;
    let Some(service) = service else {
        diagnostics.push(
            Diagnostic::file_error(
                format!("{dir}/service.yaml"),
                format!("service `{dir}` has operations but no `service.yaml`"),
            )
            .hint("every service directory needs a `service.yaml`"),
        );
        return (None, diagnostics);
    };
    let Some(service_spec) = &service.spec else {
        return (None, diagnostics);
    };
    let incomplete = ops.iter().any(|o| o.spec.is_none());
    let loaded_ops = ops
        .iter()
        .filter_map(|o| o.spec.as_ref().map(|s| (&o.ctx, s)))
        .collect();
    let files_of_service = Files::new(service_spec, &service.ctx, loaded_ops, incomplete);
    let mut sources: Vec<&SourceFile> = service_file.into_iter().chain(op_files).collect();
    sources.sort();
    let hash = spec_hash(&sources);
    let paths = sources.iter().map(|f| f.path.clone()).collect();
    let lowered = lower::lower_service(dir, &files_of_service, paths, hash, &mut diagnostics);
    (Some(lowered), diagnostics)
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
