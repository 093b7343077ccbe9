//! Emitter tests on a small hand-built IR (the fixture specs under
//! `tests/fixtures/` exercise the whole pipeline).

use std::collections::BTreeMap;

use super::generate_in;
use crate::ir::*;
use crate::layout::Layout;

fn rust(name: &str) -> RustName {
    RustName(name.into())
}

fn wire(name: &str) -> WireName {
    WireName(name.into())
}

fn field(wire_name: &str, rust_name: &str, ty: TypeRef) -> Field {
    Field {
        wire: wire(wire_name),
        rust: rust(rust_name),
        setter: rust(&format!("with_{}", rust_name.trim_start_matches("r#"))),
        ty,
        required: false,
        nullable: false,
        lenient: false,
        aliases: vec![],
        deprecated: false,
        description: None,
    }
}

fn param(wire_name: &str, rust_name: &str, ty: TypeRef, required: bool) -> Param {
    Param {
        wire: wire(wire_name),
        rust: rust(rust_name),
        setter: (!required).then(|| rust(rust_name)),
        location: ParamLocation::Query,
        style: ParamStyle::Plain,
        ty,
        required,
        deprecated: false,
        description: Some("A [parameter] <x>.".into()),
        constraints: None,
    }
}

fn step(wire_name: &str, rust_name: &str, ty: TypeRef) -> FieldStep {
    FieldStep {
        wire: wire(wire_name),
        rust: rust(rust_name),
        optional: true,
        ty,
    }
}

fn decl(name: &str, kind: TypeKind, input: bool, output: bool) -> TypeDecl {
    TypeDecl {
        spec_name: name.into(),
        rust: rust(name),
        description: Some(format!("The {name}.")),
        deprecated: false,
        kind,
        usage: Usage { input, output },
        used_by: vec![wire("ListThings")],
        source: "demo/operations/ListThings.yaml".into(),
        same_as: None,
        code_usage: Usage { input, output },
    }
}

/// A service with one cursor-paged operation, an input object, an enum.
pub fn demo_api() -> Api {
    Api {
        services: vec![Service {
            name: "demo".into(),
            title: "Demo".into(),
            description: Some("A demo [service].".into()),
            crate_name: "demo".into(),
            crate_ident: rust("demo"),
            crate_version: "0.1.0".into(),
            protocol: Protocol::AlibabaRpc,
            api_version: Some("2020-01-01".into()),
            endpoints: Endpoints {
                default: "https://demo.example".into(),
                regions: BTreeMap::new(),
                region_template: None,
            },
            auth: Auth::Acs3HmacSha256,
            error_shapes: vec![ErrorShape::Alibaba],
            errors: vec![],
            operations: vec![demo_operation()],
            types: demo_types(),
            sources: vec![
                "demo/operations/ListThings.yaml".into(),
                "demo/service.yaml".into(),
            ],
            spec_hash: "00ff".into(),
        }],
    }
}

/// The demo's types: an item with a lenient field and a keyword-named enum field, the paged
/// response, an input object with a required field, an enum.
fn demo_types() -> Vec<TypeDecl> {
    let mut lenient = field("CreatedAt", "created_at", TypeRef::Int64);
    lenient.lenient = true;
    let mut typed = field("type", "r#type", TypeRef::Named(rust("Kind")));
    typed.aliases = vec![wire("Type")];
    let thing = decl(
        "Thing",
        TypeKind::Object {
            fields: vec![field("Id", "id", TypeRef::String), lenient, typed],
        },
        false,
        true,
    );
    let response = decl(
        "ListThingsResponse",
        TypeKind::Object {
            fields: vec![
                field(
                    "Data",
                    "data",
                    TypeRef::List(Box::new(TypeRef::Named(rust("Thing")))),
                ),
                field("HasMore", "has_more", TypeRef::Bool),
            ],
        },
        false,
        true,
    );
    let mut required_field = field("Name", "name", TypeRef::String);
    required_field.required = true;
    let filter = decl(
        "Filter",
        TypeKind::Object {
            fields: vec![
                required_field,
                field("Kind", "kind", TypeRef::Named(rust("Kind"))),
            ],
        },
        true,
        false,
    );
    let kind = decl(
        "Kind",
        TypeKind::Enum {
            values: vec![EnumValue {
                wire: wire("a-b"),
                rust: rust("AB"),
                description: None,
                deprecated: false,
            }],
        },
        true,
        true,
    );
    vec![filter, kind, response, thing]
}

/// The demo's operation: cursor-paged, with a required, optional and JSON-string parameter.
fn demo_operation() -> Operation {
    let mut filter_param = param("Filter", "filter", TypeRef::Named(rust("Filter")), false);
    filter_param.style = ParamStyle::JsonString;
    Operation {
        name: wire("ListThings"),
        method: rust("list_things"),
        builder: rust("ListThingsRequest"),
        builder_fields: BuilderFields {
            client: rust("client"),
            options: rust("options"),
        },
        error_enum: rust("ListThingsErrorCode"),
        summary: "Lists things.".into(),
        description: None,
        renamed_from: None,
        deprecated: false,
        http: Http {
            method: HttpMethod::Post,
            path: "/".into(),
            segments: vec![PathSegment::Literal("/".into())],
        },
        idempotent: true,
        params: vec![
            param("WorkspaceId", "workspace_id", TypeRef::String, true),
            param("LastId", "last_id", TypeRef::String, false),
            param("Limit", "limit", TypeRef::Int32, false),
            filter_param,
        ],
        response: TypeRef::Named(rust("ListThingsResponse")),
        response_body: ResponseBody::Json,
        streaming: None,
        pagination: Some(Pagination::Cursor {
            items: vec![step(
                "Data",
                "data",
                TypeRef::List(Box::new(TypeRef::Named(rust("Thing")))),
            )],
            item: TypeRef::Named(rust("Thing")),
            cursor_param: PagingParam {
                wire: wire("LastId"),
                field: rust("last_id"),
                ty: TypeRef::String,
                optional: true,
            },
            cursor_from: CursorFrom::LastItem,
            cursor_field: step("Id", "id", TypeRef::String),
            has_more: vec![step("HasMore", "has_more", TypeRef::Bool)],
        }),
        errors: vec![ErrorCode {
            code: wire("Throttling"),
            variant: rust("Throttling"),
            status: Some(429),
            message: None,
            description: Some("Too many requests.".into()),
            retryable: true,
        }],
        examples: vec![Example {
            name: "doc".into(),
            source: None,
            request: BTreeMap::from([("WorkspaceId".into(), serde_json::json!("ws-1"))]),
            status: 200,
            response: None,
            events: None,
        }],
        source: "demo/operations/ListThings.yaml".into(),
        group: None,
        imported_text: None,
    }
}

#[test]
fn generates_one_file_per_concern() {
    let files = generate_in(&demo_api(), &Layout::repository());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "generated/demo/Cargo.toml",
            "generated/demo/src/client.rs",
            "generated/demo/src/errors.rs",
            "generated/demo/src/lib.rs",
            "generated/demo/src/mock.rs",
            "generated/demo/src/models.rs",
            "generated/demo/src/operations/list_things.rs",
            "generated/demo/src/operations/mod.rs",
        ]
    );
    for file in &files {
        assert!(
            file.contents.contains(crate::format::GENERATED_MARKER),
            "{}",
            file.path
        );
    }
    if let Ok(dir) = std::env::var("WIREGEN_DUMP") {
        for file in &files {
            let path = std::path::Path::new(&dir).join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.contents).unwrap();
        }
    }
}

#[test]
fn fields_keep_wire_names_and_leniency() {
    let files = generate_in(&demo_api(), &Layout::repository());
    let models = &files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .unwrap()
        .contents;
    // Read under the wire name (or the older one), written under the wire name, left out when
    // unset.
    assert!(
        models.contains(r#"object.accept_older("type", &["Type"]);"#),
        "{models}"
    );
    assert!(
        models.contains(r#"r#type: object.field("type")?"#),
        "{models}"
    );
    assert!(
        models.contains(r#"members.put_some("type", &self.r#type);"#),
        "{models}"
    );
    assert!(models.contains("pub r#type: Option<Kind>"), "{models}");
    assert!(models.contains(r#"object.lenient(""#), "{models}");
}

#[test]
fn output_is_deterministic() {
    assert_eq!(
        generate_in(&demo_api(), &Layout::crates_under("x")),
        generate_in(&demo_api(), &Layout::crates_under("x"))
    );
}

#[test]
fn error_codes_without_known_codes_need_no_match() {
    // The SDK catalogue has operations with no documented codes; a one-arm `match` there
    // fails clippy's `match_single_binding` in the generated crate.
    let mut api = demo_api();
    let service = &mut api.services[0];
    service.errors.clear();
    service.operations[0].errors.clear();
    let files = generate_in(&api, &Layout::repository());
    let errors = &files
        .iter()
        .find(|f| f.path.ends_with("errors.rs"))
        .unwrap()
        .contents;
    assert!(!errors.contains("match code"), "{errors}");
    assert!(
        errors.contains("Self::Unknown(code.to_owned())"),
        "{errors}"
    );
}

#[test]
fn every_operation_returns_the_crate_error_even_when_a_code_reads_differently() {
    let files = |api: &Api| generate_in(api, &Layout::repository());
    let file = |files: &[super::OutputFile], name: &str| {
        files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap()
            .contents
            .clone()
    };
    // A second operation declaring the same code as retryable: the crate's `Code` takes the
    // retryable reading, and both operations still return the crate's one `Error`.
    let mut api = demo_api();
    let service = &mut api.services[0];
    service.operations[0].errors[0].retryable = false;
    let mut other = service.operations[0].clone();
    other.name = wire("OtherThing");
    other.method = rust("other_thing");
    other.error_enum = rust("OtherThingErrorCode");
    other.errors[0].retryable = true;
    service.operations.push(other);
    let generated = files(&api);
    let errors = file(&generated, "errors.rs");
    assert!(errors.contains("pub enum Code {"), "{errors}");
    assert!(!errors.contains("pub enum ListThingsErrorCode"), "{errors}");
    for alias in [
        "pub type ListThingsErrorCode = Code;",
        "pub type OtherThingErrorCode = Code;",
        "pub type Error<C = Code> = wiregen_runtime::Error<C>;",
        "pub type Result<T, E = Error> = std::result::Result<T, E>;",
    ] {
        assert!(errors.contains(alias), "{alias}: {errors}");
    }
    let lib = file(&generated, "lib.rs");
    assert!(
        lib.contains("pub use errors::{Error, Result, ServiceError};"),
        "{lib}"
    );
    let client = file(&generated, "client.rs");
    assert!(
        client.contains("pub fn from_env() -> crate::Result<Self>"),
        "{client}"
    );
    for op in ["list_things.rs", "other_thing.rs"] {
        let op = file(&generated, op);
        assert!(
            op.contains("pub async fn send(self) -> Result<")
                && op.contains(", crate::Error>")
                && !op.contains("wiregen_runtime::Error<"),
            "{op}"
        );
    }
}
