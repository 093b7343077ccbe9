//! The emitter: IR to the files of one generated crate per service.
//!
//! Every output file is built as a `quote!` token stream by the module named
//! after it (`manifest`, `crate_docs`, `client`, `models`, `errors`,
//! `operations`), then formatted by [`crate::format`]. Files are independent,
//! so they are built and formatted on all cores (`parallel.rs`); the
//! result is sorted by path, so it does not depend on scheduling.

mod client;
mod crate_docs;
mod docs;
mod enums;
mod errors;
mod examples;
mod manifest;
mod mock;
mod models;
mod names;
mod operations;
mod pagination;
mod streaming;
mod types;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::format;
use crate::ir::{Api, Operation, RustName, Service, TypeDecl, TypeKind};
use crate::layout::{Layout, OutputFile};
use crate::parallel;

/// Generates every crate of `api` in the repository's layout (under `generated/`).
pub fn generate(api: &Api) -> Vec<OutputFile> {
    generate_in(api, &Layout::repository())
}

/// Generates every crate of `api` where `layout` puts them:
/// `<crates>/<service>/Cargo.toml`, `<crates>/<service>/src/**`.
pub fn generate_in(api: &Api, layout: &Layout) -> Vec<OutputFile> {
    let services: Vec<ServiceCtx<'_>> = api.services.iter().map(ServiceCtx::new).collect();
    // The crate-wide files (the big ones) first, so no thread is left with
    // a large file at the end.
    let mut jobs: Vec<Job<'_>> = services.iter().flat_map(Job::crate_wide).collect();
    jobs.extend(services.iter().flat_map(|ctx| {
        ctx.svc
            .operations
            .iter()
            .map(move |op| Job::Operation(ctx, op))
    }));
    // Output order is the job order; it is sorted by path below.
    let mut files = parallel::map(jobs, 1, |job| job.run(layout));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// One output file to build.
enum Job<'a> {
    Manifest(&'a ServiceCtx<'a>),
    Lib(&'a ServiceCtx<'a>),
    Client(&'a ServiceCtx<'a>),
    Models(&'a ServiceCtx<'a>),
    Errors(&'a ServiceCtx<'a>),
    OperationsMod(&'a ServiceCtx<'a>),
    Mock(&'a ServiceCtx<'a>),
    Operation(&'a ServiceCtx<'a>, &'a Operation),
}

impl<'a> Job<'a> {
    /// The files of a crate that are not per operation, largest first.
    fn crate_wide(ctx: &'a ServiceCtx<'a>) -> [Job<'a>; 7] {
        [
            Job::Models(ctx),
            Job::Errors(ctx),
            Job::Mock(ctx),
            Job::Lib(ctx),
            Job::OperationsMod(ctx),
            Job::Client(ctx),
            Job::Manifest(ctx),
        ]
    }

    fn run(&self, layout: &Layout) -> OutputFile {
        let (ctx, relative, contents) = match self {
            Job::Manifest(ctx) => (
                ctx,
                "Cargo.toml".to_owned(),
                manifest::emit(ctx, layout.runtime_path()),
            ),
            Job::Lib(ctx) => (
                ctx,
                "src/lib.rs".to_owned(),
                ctx.rust(Sources::All, crate_docs::emit(ctx)),
            ),
            Job::Client(ctx) => (
                ctx,
                "src/client.rs".to_owned(),
                ctx.rust(Sources::Service, client::emit(ctx)),
            ),
            Job::Models(ctx) => (
                ctx,
                "src/models.rs".to_owned(),
                ctx.rust_chunks(Sources::Directory, models::emit(ctx)),
            ),
            Job::Errors(ctx) => (
                ctx,
                "src/errors.rs".to_owned(),
                ctx.rust_chunks(Sources::Directory, errors::emit(ctx)),
            ),
            Job::OperationsMod(ctx) => (
                ctx,
                "src/operations/mod.rs".to_owned(),
                ctx.rust(Sources::Directory, operations::emit_mod(ctx)),
            ),
            Job::Mock(ctx) => (
                ctx,
                "src/mock.rs".to_owned(),
                ctx.rust(Sources::Directory, mock::emit(ctx)),
            ),
            Job::Operation(ctx, op) => (
                ctx,
                format!("src/operations/{}.rs", operations::module_file(op)),
                ctx.rust(Sources::Operation(op), operations::emit(ctx, op)),
            ),
        };
        OutputFile {
            path: layout.crate_file(&ctx.svc.name, &relative),
            contents,
        }
    }
}

/// A service plus the lookups the emitters need, built once.
pub(crate) struct ServiceCtx<'a> {
    pub svc: &'a Service,
    types: HashMap<&'a str, &'a TypeDecl>,
    /// Whether any named type is deprecated (files using it must allow that).
    pub has_deprecated_types: bool,
}

impl<'a> ServiceCtx<'a> {
    fn new(svc: &'a Service) -> Self {
        let types = svc
            .types
            .iter()
            .map(|decl| (decl.rust.0.as_str(), decl))
            .collect();
        let has_deprecated_types = svc.types.iter().any(|decl| decl.deprecated);
        ServiceCtx {
            svc,
            types,
            has_deprecated_types,
        }
    }

    /// The named type `name`, if the service declares it.
    pub fn type_decl(&self, name: &RustName) -> Option<&'a TypeDecl> {
        self.types.get(name.0.as_str()).copied()
    }

    /// Whether `name` is an open enum.
    pub fn is_enum(&self, name: &RustName) -> bool {
        self.type_decl(name)
            .is_some_and(|decl| matches!(decl.kind, TypeKind::Enum { .. }))
    }

    /// Header lines for a file, naming the specs its contents come from:
    /// `lib.rs` every source and the spec hash, an operation file its own
    /// spec and the service's, the files that gather every operation the
    /// service directory, `client.rs` the service spec.
    fn header(&self, scope: Sources<'_>) -> Vec<String> {
        let service_yaml = self
            .svc
            .sources
            .iter()
            .find(|s| s.ends_with("service.yaml"))
            .map(String::as_str);
        let dir = format!("{}/", self.svc.name);
        match scope {
            Sources::All => format::header_lines(
                self.svc.sources.iter().map(String::as_str),
                Some(&self.svc.spec_hash),
            ),
            Sources::Service => format::header_lines(service_yaml, None),
            Sources::Directory => format::header_lines([dir.as_str()], None),
            Sources::Operation(op) => {
                format::header_lines(service_yaml.into_iter().chain([op.source.as_str()]), None)
            }
        }
    }

    fn rust(&self, scope: Sources<'_>, tokens: proc_macro2::TokenStream) -> String {
        format::rust_file(&self.header(scope), tokens)
    }

    /// A file given as chunks of items (see [`format::rust_file_in_chunks`]).
    fn rust_chunks(&self, scope: Sources<'_>, chunks: Vec<proc_macro2::TokenStream>) -> String {
        format::rust_file_in_chunks(&self.header(scope), chunks)
    }
}

/// Which specs a generated file is made from (for its header).
#[derive(Clone, Copy)]
enum Sources<'a> {
    /// Every spec file of the service, plus the spec hash.
    All,
    /// `service.yaml` only.
    Service,
    /// Every operation of the service, named as the service directory.
    Directory,
    /// One operation (and `service.yaml`).
    Operation(&'a Operation),
}
