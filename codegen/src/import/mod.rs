//! `cargo xtask import`: spec drafts from Alibaba's published API metadata
//! (the OpenAPI Explorer `api-docs.json`, "openmeta").
//!
//! [`draft`] is pure: metadata text and the existing spec tree in, new spec
//! files and notes out. It drafts every operation the tree does not have
//! (never touching a curated file), the service itself when it is new, and
//! checks the result with the compiler ([`crate::compile`]): an operation
//! whose draft does not compile is refused by name rather than written.
//! [`write()`] puts the files into place (staged, then renamed), and
//! [`drift`] compares curated operations with upstream through the diff
//! engine.

mod codes;
pub mod drift;
mod examples;
mod meta;
mod operation;
mod paging;
mod schema;
mod service;
mod text;
mod verify;
pub mod write;
mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

pub use schema::MAX_SCHEMA_DEPTH;
pub use write::write;

use crate::source::SourceFile;
use crate::spec::{Example, OperationSpec, Protocol, Provenance, ServiceSpec};
use meta::Node;

/// What to import.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The metadata file's text.
    pub metadata: &'a str,
    /// How to name it in provenance and messages (`rdsai/en_us/2025-12-13.json`).
    pub label: &'a str,
    /// The same revision in another language, for prose the file lacks: text and label.
    pub prose: Option<(&'a str, &'a str)>,
    /// Service (directory) name; the product code in lower case when `None`.
    pub service: Option<&'a str>,
    /// The spec tree as it is (paths relative to the spec root).
    pub existing: &'a [SourceFile],
}

/// The drafts of one import.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The service the drafts belong to.
    pub service: String,
    /// New spec files, paths relative to the spec root; never an existing path.
    pub files: Vec<SourceFile>,
    /// What was left out, refused or kept, by JSON path.
    pub notes: Vec<Note>,
    /// What was imported.
    pub counts: Counts,
}

/// Counts of one import, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Operations in the metadata.
    pub upstream_operations: usize,
    /// Operations drafted.
    pub operations: usize,
    /// Parameters of the drafted operations.
    pub params: usize,
    /// Named types drafted.
    pub types: usize,
    /// Error codes of the drafted operations.
    pub error_codes: usize,
    /// Operations refused.
    pub refused: usize,
    /// Operations left alone because `spec/` has them.
    pub curated: usize,
    /// Facts the spec format can not hold, left out.
    pub not_held: usize,
    /// Texts from the file itself.
    pub prose_own: usize,
    /// Texts from the `--prose` file, kept as published.
    pub prose_other: usize,
    /// Drafted operations with pagination.
    pub paginated: usize,
    /// Drafted operations that stream.
    pub streaming: usize,
    /// Drafted operations whose example is the published response sample.
    pub sample_examples: usize,
    /// Drafted operations whose example is written from the types.
    pub written_examples: usize,
}

/// Something the import says about a part of the metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// What kind of note.
    pub kind: NoteKind,
    /// JSON path into the metadata (`apis.X.parameters[1]`).
    pub path: String,
    /// What and why.
    pub message: String,
}

/// The kinds of [`Note`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// A whole operation was not drafted.
    Refused,
    /// A fact the spec format can not hold was left out.
    NotHeld,
    /// The operation is curated in `spec/` and was left alone.
    Curated,
    /// A schema the file lacks was taken from the `--prose` file.
    FromProse,
}

impl Note {
    fn not_held(path: impl Into<String>, message: impl Into<String>) -> Note {
        Note {
            kind: NoteKind::NotHeld,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            NoteKind::Refused => "refused",
            NoteKind::NotHeld => "not held",
            NoteKind::Curated => "curated",
            NoteKind::FromProse => "from --prose",
        };
        write!(f, "{kind}: {}: {}", self.path, self.message)
    }
}

/// Metadata the importer can not read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// JSON path (`apis.X.parameters[0].schema.type`), `$` for the document.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for ImportError {}

/// Drafts every operation of the metadata that `request.existing` lacks.
pub fn draft(request: &Request<'_>) -> Result<Draft, ImportError> {
    let doc = parse(request.metadata)?;
    let prose_doc = request.prose.map(|(text, _)| parse(text)).transpose()?;
    let root = Node::root(&doc, prose_doc.as_ref());
    root.object()?;
    let info = service::info(&root)?;
    let service = service_name(request, &info)?;
    let tree = Tree::read(request.existing, &service)?;
    if let Some(existing) = &tree.service
        && existing.protocol != info.protocol
    {
        return Err(ImportError {
            path: "info.style".into(),
            message: format!(
                "the file is {:?} but `{service}/service.yaml` says {:?}: is this the right service?",
                info.protocol, existing.protocol
            ),
        });
    }
    let components = root
        .get("components")
        .or_else(|| root.twin_get("components"))
        .and_then(|c| c.get("schemas").or_else(|| c.twin_get("schemas")));
    let mut types = schema::Types::new(components, tree.type_names.iter().cloned());
    let mut notes = Vec::new();
    let mut drafted: Vec<operation::Drafted> = Vec::new();
    let apis = root.require("apis")?;
    let entries = apis.entries()?;
    let upstream_operations = entries.len();
    for (name, api) in entries {
        if tree.operations.contains(name) {
            notes.push(Note {
                kind: NoteKind::Curated,
                path: api.path(),
                message: format!("`{service}/operations/{name}.yaml` exists: left alone"),
            });
            continue;
        }
        let before = types.clone();
        match operation::draft(name, &api, info.protocol, &mut types, &mut notes) {
            Ok(op) => drafted.push(op),
            Err(e) => {
                types = before;
                notes.push(Note {
                    kind: NoteKind::Refused,
                    path: e.path,
                    message: format!("operation `{name}` not drafted: {}", e.message),
                });
            }
        }
    }
    codes::dedupe(&mut drafted, codes::existing(&tree.files), &mut notes);
    let drafted: Vec<Candidate> = drafted
        .into_iter()
        .map(|op| Candidate::new(op, &types.defs, &mut notes))
        .collect();
    let provenance = provenance(request, &info, &root)?;
    let envelope = info.protocol == Protocol::AlibabaRoa && has_envelope(&drafted, &types);
    let new_service = match tree.service {
        Some(_) => None,
        None => Some(service::draft(
            &root,
            &service,
            &info,
            envelope,
            provenance.clone(),
        )?),
    };
    notes.append(&mut types.notes);
    let assembled = Assembly {
        groups: text::groups(&root)?,
        service: &service,
        new_service,
        types: &types,
        provenance: &provenance,
        prose_label: request.prose.map(|(_, label)| label),
    };
    let (files, refused) = verify::until_clean(&assembled, drafted, &tree.files)?;
    notes.extend(refused);
    notes.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    let counts = counts(upstream_operations, &files, &notes, &types);
    Ok(Draft {
        service,
        files,
        notes,
        counts,
    })
}

/// The service (directory) name: `--service`, else the product code in lower case.
fn service_name(request: &Request<'_>, info: &service::Info) -> Result<String, ImportError> {
    let service = match request.service {
        Some(name) => name.to_owned(),
        None => info.product.to_ascii_lowercase(),
    };
    if service.is_empty()
        || !service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(ImportError {
            path: "info.product".into(),
            message: format!(
                "`{service}` can not name a service directory (lower-case ASCII letters, digits, `_` and `-`); pass --service NAME"
            ),
        });
    }
    Ok(service)
}

/// What one import drafted, for the summary line.
fn counts(
    upstream_operations: usize,
    files: &[SourceFile],
    notes: &[Note],
    types: &schema::Types<'_>,
) -> Counts {
    let ops: Vec<OperationSpec> = files
        .iter()
        .filter(|f| f.path.contains("/operations/"))
        .filter_map(|f| serde_yaml::from_str(&f.text).ok())
        .collect();
    Counts {
        upstream_operations,
        operations: ops.len(),
        params: ops.iter().map(|o| o.params.len()).sum(),
        types: types_in(files),
        error_codes: ops.iter().map(|o| o.errors.len()).sum(),
        refused: notes.iter().filter(|n| n.kind == NoteKind::Refused).count(),
        curated: notes.iter().filter(|n| n.kind == NoteKind::Curated).count(),
        not_held: notes.iter().filter(|n| n.kind == NoteKind::NotHeld).count(),
        prose_own: types.prose_own,
        prose_other: types.prose_other,
        paginated: ops.iter().filter(|o| o.pagination.is_some()).count(),
        streaming: ops.iter().filter(|o| o.streaming.is_some()).count(),
        sample_examples: ops
            .iter()
            .filter(|o| {
                o.examples
                    .iter()
                    .any(|e| e.source.as_deref() == Some("doc"))
            })
            .count(),
        written_examples: ops
            .iter()
            .filter(|o| {
                o.examples
                    .iter()
                    .all(|e| e.source.as_deref() != Some("doc"))
            })
            .count(),
    }
}

fn parse(text: &str) -> Result<serde_json::Value, ImportError> {
    serde_json::from_str(text).map_err(|e| ImportError {
        path: "$".into(),
        message: format!("not a JSON document: {e}"),
    })
}

fn types_in(files: &[SourceFile]) -> usize {
    files
        .iter()
        .filter_map(|f| serde_yaml::from_str::<serde_yaml::Value>(&f.text).ok())
        .filter_map(|v| v.get("types").and_then(|t| t.as_mapping()).map(|m| m.len()))
        .sum()
}

/// Whether the operations answer in AiContent's `{success, errCode, ...}`
/// envelope, which can report failure on HTTP 200.
fn has_envelope(drafted: &[Candidate], types: &schema::Types<'_>) -> bool {
    drafted.iter().any(|c| {
        types
            .defs
            .get(&c.spec.response)
            .and_then(|d| d.fields.as_ref())
            .is_some_and(|fields| {
                let has = |n: &str| fields.iter().any(|f| f.name == n);
                has("success") && has("errCode")
            })
    })
}

fn provenance(
    request: &Request<'_>,
    info: &service::Info,
    root: &Node<'_>,
) -> Result<Vec<Provenance>, ImportError> {
    let metadata = Provenance {
        source: format!(
            "Alibaba Cloud OpenAPI metadata (api-docs.json) of {} {}, drafted by `cargo xtask import`",
            info.product, info.version
        ),
        location: Some(request.label.to_owned()),
        date: date_of(request.label),
    };
    // A file written from an official SDK (`tests/catalogue/sdk_meta.py`)
    // names the SDK it took the wire from and the metadata revision it took
    // the rest from.
    let Some(origin) = root.get("x-wiregen") else {
        return Ok(vec![metadata]);
    };
    let sdk = origin.require("sdk")?.str()?;
    let revision = origin.require("metadata")?.str()?;
    Ok(vec![
        Provenance {
            source: format!(
                "the official Python SDK {sdk} (the wire: parameters, their locations and styles, method, path, streaming; English descriptions), as metadata drafted by `cargo xtask import`"
            ),
            location: Some(request.label.to_owned()),
            date: None,
        },
        Provenance {
            source: format!(
                "Alibaba Cloud OpenAPI metadata (api-docs.json) of {} {} (summaries, prose, examples, error codes, response samples)",
                info.product, info.version
            ),
            location: Some(revision.to_owned()),
            date: date_of(revision),
        },
    ])
}

/// `2025-12-13` from `rdsai/en_us/2025-12-13.json`: the mirror names each
/// revision by its date.
fn date_of(label: &str) -> Option<String> {
    let stem = label.rsplit('/').next()?.strip_suffix(".json")?;
    let ok = stem.len() == 10
        && stem.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    ok.then(|| stem.to_owned())
}

/// The existing spec tree of the service.
struct Tree {
    service: Option<ServiceSpec>,
    operations: BTreeSet<String>,
    type_names: BTreeSet<String>,
    /// The service's existing files, for compiling drafts next to them.
    files: Vec<SourceFile>,
}

impl Tree {
    fn read(existing: &[SourceFile], service: &str) -> Result<Tree, ImportError> {
        let prefix = format!("{service}/");
        let files: Vec<SourceFile> = existing
            .iter()
            .filter(|f| f.path.starts_with(&prefix))
            .cloned()
            .collect();
        let mut tree = Tree {
            service: None,
            operations: BTreeSet::new(),
            type_names: BTreeSet::new(),
            files,
        };
        for file in &tree.files {
            let rest = &file.path[prefix.len()..];
            if rest == "service.yaml" {
                tree.service = Some(serde_yaml::from_str(&file.text).map_err(|e| ImportError {
                    path: "$".into(),
                    message: format!(
                        "`{}` does not load: {e}; run `cargo xtask check`",
                        file.path
                    ),
                })?);
            } else if let Some(name) = rest
                .strip_prefix("operations/")
                .and_then(|n| n.strip_suffix(".yaml"))
            {
                tree.operations.insert(name.to_owned());
            }
            if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&file.text)
                && let Some(types) = value.get("types").and_then(|t| t.as_mapping())
            {
                tree.type_names
                    .extend(types.keys().filter_map(|k| k.as_str()).map(str::to_owned));
            }
        }
        Ok(tree)
    }
}

/// A drafted operation on its way to a file.
#[derive(Debug, Clone)]
struct Candidate {
    spec: OperationSpec,
    /// Whether any prose of it came from the `--prose` file.
    other_prose: bool,
    /// Examples written from the types, for when the published sample does not decode.
    fallback: Option<Vec<Example>>,
}

impl Candidate {
    fn new(
        op: operation::Drafted,
        defs: &BTreeMap<String, crate::spec::TypeDef>,
        notes: &mut Vec<Note>,
    ) -> Self {
        let mut spec = op.spec;
        match paging::detect(&spec, defs) {
            paging::Paging::Declared(p) => spec.pagination = Some(p),
            paging::Paging::Undeclared(why) => notes.push(Note::not_held(
                format!("apis.{}", spec.operation),
                format!("no `pagination` drafted: {why}"),
            )),
            paging::Paging::None => {}
        }
        let examples = examples::for_operation(&spec, op.demo, defs);
        spec.examples = examples.first;
        Candidate {
            spec,
            other_prose: op.other_prose,
            fallback: examples.fallback,
        }
    }
}

/// Everything needed to turn drafted operations into files.
struct Assembly<'a> {
    /// Upstream's category of each operation.
    groups: BTreeMap<String, String>,
    service: &'a str,
    new_service: Option<ServiceSpec>,
    types: &'a schema::Types<'a>,
    provenance: &'a [Provenance],
    prose_label: Option<&'a str>,
}

impl Assembly<'_> {
    /// The files for the operations kept: shared types go to a new
    /// `service.yaml`, every other type to the operation that first used it.
    fn files(&self, ops: &[Candidate]) -> Result<Vec<SourceFile>, ImportError> {
        let kept: BTreeSet<&str> = ops.iter().map(|c| c.spec.operation.as_str()).collect();
        let mut by_owner: BTreeMap<&str, BTreeMap<String, crate::spec::TypeDef>> = BTreeMap::new();
        let mut service_types = BTreeMap::new();
        for (name, def) in &self.types.defs {
            let owner = self
                .types
                .owner
                .get(name)
                .map(String::as_str)
                .unwrap_or_default();
            if self.new_service.is_some() && self.types.shared.contains(name) {
                service_types.insert(name.clone(), def.clone());
            } else if kept.contains(owner) {
                by_owner
                    .entry(owner)
                    .or_default()
                    .insert(name.clone(), def.clone());
            }
        }
        let header = "# yaml-language-server: $schema=../../operation.schema.json\n# Drafted by `cargo xtask import` from Alibaba's published metadata: review before relying on it.\n";
        let mut files = Vec::new();
        if let Some(service) = &self.new_service {
            let mut service = service.clone();
            service.types = service_types;
            let text = yaml::render(&service, "# yaml-language-server: $schema=../service.schema.json\n# Drafted by `cargo xtask import` from Alibaba's published metadata: review before relying on it.\n")
                .map_err(|e| render_error(self.service, &e))?;
            files.push(SourceFile::new(
                format!("{}/service.yaml", self.service),
                text,
            ));
        }
        for Candidate {
            spec: op,
            other_prose,
            ..
        } in ops
        {
            let mut op = op.clone();
            op.types = by_owner.remove(op.operation.as_str()).unwrap_or_default();
            op.group = self.groups.get(&op.operation).cloned();
            op.imported = Some(crate::spec::Imported {
                text: text::source(&op),
            });
            op.provenance = self.provenance.to_vec();
            if *other_prose && let Some(label) = self.prose_label {
                op.provenance.push(Provenance {
                    source: "prose as published in the other language's metadata (not translated)"
                        .into(),
                    location: Some(label.to_owned()),
                    date: date_of(label),
                });
            }
            let text = yaml::render(&op, header).map_err(|e| render_error(&op.operation, &e))?;
            files.push(SourceFile::new(
                format!("{}/operations/{}.yaml", self.service, op.operation),
                text,
            ));
        }
        Ok(files)
    }
}

fn render_error(what: &str, e: &str) -> ImportError {
    ImportError {
        path: "$".into(),
        message: format!("can not write the draft of `{what}` as YAML: {e}"),
    }
}
