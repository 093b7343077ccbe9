//! Hostile metadata: each malformed file ends in an error naming the JSON
//! path, or in drafts that compile; never a panic, never a file half
//! written. Each case runs under its own time limit.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};
use wiregen_codegen::import::{self, Draft, ImportError, NoteKind, Request};
use wiregen_codegen::{compile, render_all};

/// Runs `f` on its own thread; a hang fails the test instead of CI.
fn within_limit<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the import finished within 20 s without panicking")
}

/// A small RPC product whose operation `Op` has the given parameters and response.
fn product(params: Value, response: Value, schemas: Value) -> Value {
    json!({
        "info": {"style": "RPC", "product": "Toy", "version": "2025-01-01"},
        "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "toy.aliyuncs.com"}],
        "components": {"schemas": schemas},
        "apis": {"Op": {
            "summary": "An operation.",
            "methods": ["post"],
            "schemes": ["https"],
            "parameters": params,
            "responses": {"200": {"schema": response}}
        }}
    })
}

fn run(doc: String) -> Result<Draft, ImportError> {
    within_limit(move || {
        import::draft(&Request {
            metadata: &doc,
            label: "toy/en_us/2025-01-01.json",
            prose: None,
            service: None,
            existing: &[],
        })
    })
}

fn refusal(draft: &Draft) -> String {
    draft
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Refused)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn compiles(draft: &Draft) {
    compile(&draft.files).unwrap_or_else(|d| panic!("drafts do not compile:\n{}", render_all(&d)));
}

#[test]
fn not_json_names_the_line() {
    let e = run("{\"info\": ".into()).expect_err("refused");
    assert_eq!(e.path, "$");
    assert!(
        e.message.contains("not a JSON document") && e.message.contains("line 1"),
        "{e}"
    );
}

#[test]
fn missing_keys_name_the_path() {
    let e = run(json!({"info": {"style": "RPC", "version": "1"}, "apis": {}}).to_string())
        .expect_err("refused");
    assert_eq!(e.to_string(), "at `info`: missing key `product`");
    let e = run(json!({"info": {"style": "RPC", "product": "Toy", "version": "1"}}).to_string())
        .expect_err("refused");
    assert_eq!(e.to_string(), "at `$`: missing key `apis`");
}

#[test]
fn wrong_types_name_the_path() {
    let doc = product(
        json!([{"name": "A", "in": "query", "schema": {"type": "string", "required": "yes"}}]),
        json!({}),
        json!({}),
    );
    let draft = run(doc.to_string()).expect("the other operations would still draft");
    let why = refusal(&draft);
    assert!(
        why.contains("apis.Op.parameters[0].schema.required")
            && why.contains("expected true or false, found a string"),
        "{why}"
    );
    assert_eq!(draft.counts.operations, 0);
    compiles(&draft);
    let e = run(
        json!({"info": {"style": 7, "product": "Toy", "version": "1"}, "apis": {}}).to_string(),
    )
    .expect_err("refused");
    assert_eq!(
        e.to_string(),
        "at `info.style`: expected a string, found a number"
    );
    let doc = product(
        json!([{"name": "A", "in": "query", "schema": {"type": "strnig"}}]),
        json!({}),
        json!({}),
    );
    let why = refusal(&run(doc.to_string()).expect("drafts"));
    assert!(
        why.contains("apis.Op.parameters[0].schema.type")
            && why.contains("unknown schema type `strnig`"),
        "{why}"
    );
}

#[test]
fn ref_loops_and_dangling_refs_are_refused_by_path() {
    let schemas = json!({
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}
    });
    let doc = product(
        json!([]),
        json!({"$ref": "#/components/schemas/A"}),
        schemas,
    );
    let draft = run(doc.to_string()).expect("drafts");
    let why = refusal(&draft);
    assert!(why.contains("`$ref` loop: A -> B -> A"), "{why}");
    assert!(
        why.contains("components.schemas.B.properties.a.$ref"),
        "{why}"
    );
    compiles(&draft);
    let doc = product(
        json!([]),
        json!({"$ref": "#/components/schemas/Gone"}),
        json!({}),
    );
    let why = refusal(&run(doc.to_string()).expect("drafts"));
    assert!(
        why.contains("apis.Op.responses.200.schema.$ref") && why.contains("dangling `$ref`"),
        "{why}"
    );
    let doc = product(
        json!([]),
        json!({"$ref": "http://elsewhere/x.json"}),
        json!({}),
    );
    let why = refusal(&run(doc.to_string()).expect("drafts"));
    assert!(
        why.contains("does not point into `components.schemas`"),
        "{why}"
    );
}

#[test]
fn deep_schemas_are_refused_and_huge_ones_draft() {
    let mut deep = json!({"type": "string"});
    for _ in 0..40 {
        deep = json!({"type": "object", "properties": {"x": deep}});
    }
    let draft = run(product(json!([]), deep, json!({})).to_string()).expect("drafts");
    assert!(
        refusal(&draft).contains("nested deeper than"),
        "{}",
        refusal(&draft)
    );
    // Nesting beyond serde_json's own limit is a JSON error, not a stack overflow.
    let text = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = run(text).expect_err("refused");
    assert!(e.message.contains("recursion limit"), "{e}");
    // 3,000 fields in one response: drafted, and it compiles.
    let properties: serde_json::Map<String, Value> = (0..3000)
        .map(|i| {
            (
                format!("Field{i}"),
                json!({"type": "integer", "format": "int64", "example": "1"}),
            )
        })
        .collect();
    let draft = run(product(
        json!([]),
        json!({"type": "object", "properties": properties}),
        json!({}),
    )
    .to_string())
    .expect("drafts");
    assert_eq!(draft.counts.operations, 1, "{}", refusal(&draft));
    compiles(&draft);
}

#[test]
fn keywords_draft_and_case_collisions_are_refused() {
    let params = json!([
        {"name": "type", "in": "query", "schema": {"type": "string"}},
        {"name": "Self", "in": "query", "schema": {"type": "string"}},
        {"name": "async", "in": "query", "schema": {"type": "integer"}}
    ]);
    let response = json!({"type": "object", "properties": {
        "match": {"type": "string"}, "impl": {"type": "boolean"},
        "Option": {"type": "object", "properties": {"fn": {"type": "string"}}}
    }});
    let draft = run(product(params, response, json!({})).to_string()).expect("drafts");
    assert_eq!(draft.counts.operations, 1, "{}", refusal(&draft));
    compiles(&draft);
    // The generated Rust escapes them (the emitter parses what it prints).
    let api = compile(&draft.files).expect("compiles");
    let lib: String = wiregen_codegen::generate(&api)
        .iter()
        .map(|f| f.contents.as_str())
        .collect();
    for escaped in ["r#type", "r#async", "r#match", "r#impl", "self_", "r#fn"] {
        assert!(lib.contains(escaped), "`{escaped}` in the generated crate");
    }
    let response = json!({"type": "object", "properties": {"data": {"type": "string"}, "Data": {"type": "string"}}});
    let draft = run(product(json!([]), response, json!({})).to_string()).expect("drafts");
    let why = refusal(&draft);
    assert!(
        why.contains("apis.Op.responses.200.schema.properties.Data")
            && why.contains("both become `data`"),
        "{why}"
    );
    compiles(&draft);
}

#[test]
fn what_the_format_can_not_hold_is_reported_by_name() {
    let params = json!([
        {"name": "Ids", "in": "query", "style": "repeatList", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "Host", "in": "host", "schema": {"type": "string"}}
    ]);
    let draft = run(product(params, json!({}), json!({})).to_string()).expect("drafts");
    let notes: Vec<String> = draft.notes.iter().map(ToString::to_string).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("apis.Op.parameters[0]") && n.contains("repeatList")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("apis.Op.parameters[1]") && n.contains("in: host")),
        "{notes:?}"
    );
    // A required parameter that can not be held refuses the operation.
    let params = json!([{"name": "Ids", "in": "query", "style": "flat", "schema": {"type": "array", "required": true, "items": {"type": "string"}}}]);
    let draft = run(product(params, json!({}), json!({})).to_string()).expect("drafts");
    assert!(
        refusal(&draft).contains("required parameter `Ids`"),
        "{}",
        refusal(&draft)
    );
}

#[test]
fn nothing_is_half_written_and_nothing_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let draft = run(product(json!([]), json!({}), json!({})).to_string()).expect("drafts");
    let written = import::write(dir.path(), &draft).expect("writes");
    assert_eq!(written.len(), draft.files.len());
    // A second import would overwrite: refused before writing anything.
    let before = std::fs::read_to_string(&written[0]).expect("written");
    let e = import::write(dir.path(), &draft).expect_err("refused");
    assert!(e.to_string().contains("never overwrites"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&written[0]).expect("still there"),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".import"))
        .collect();
    assert!(leftovers.is_empty(), "no staging directory is left behind");
}

/// Two operations of one product whose names become the same Rust method.
fn two_operations(first: &str, second: &str) -> Value {
    let op = json!({
        "summary": "An operation.",
        "methods": ["post"],
        "schemes": ["https"],
        "parameters": [],
        "responses": {"200": {"schema": {"type": "object", "properties": {"Id": {"type": "string"}}}}}
    });
    json!({
        "info": {"style": "RPC", "product": "Toy", "version": "2025-01-01"},
        "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "toy.aliyuncs.com"}],
        "components": {"schemas": {}},
        "apis": {first: op, second: op}
    })
}

#[test]
fn names_colliding_after_case_conversion_are_refused_by_path_or_kept_apart() {
    // Operations: `ListItems` and `listItems` are both `list_items`.
    let draft = run(two_operations("ListItems", "listItems").to_string()).expect("drafts");
    let why = refusal(&draft);
    assert!(
        why.contains("apis.listItems")
            && why.contains("operations `ListItems` and `listItems` both become `list_items`"),
        "the second is refused by path: {why}"
    );
    assert_eq!(draft.counts.operations, 1, "the first drafts: {why}");
    compiles(&draft);
    // Parameters: `PageSize` and `pageSize` are both `page_size`.
    let params = json!([
        {"name": "PageSize", "in": "query", "schema": {"type": "integer"}},
        {"name": "pageSize", "in": "query", "schema": {"type": "integer"}}
    ]);
    let draft = run(product(params, json!({}), json!({})).to_string()).expect("drafts");
    let why = refusal(&draft);
    assert!(
        why.contains("apis.Op")
            && why.contains("parameters `PageSize` and `pageSize` both become `page_size`"),
        "the refusal names the operation and both parameters: {why}"
    );
    assert_eq!(draft.counts.operations, 0);
    compiles(&draft);
    // Shared schemas: `Item` and `item` would both be the type `Item`.
    let schemas = json!({
        "Item": {"type": "object", "properties": {"a": {"type": "string"}}},
        "item": {"type": "object", "properties": {"b": {"type": "string"}}}
    });
    let response = json!({"type": "object", "properties": {
        "First": {"$ref": "#/components/schemas/Item"},
        "Second": {"$ref": "#/components/schemas/item"}
    }});
    let draft = run(product(json!([]), response, schemas).to_string()).expect("drafts");
    let why = refusal(&draft);
    assert_eq!(draft.counts.operations, 1, "{why}");
    // Two types under distinct names, both compiled.
    let api = compile(&draft.files).unwrap_or_else(|d| panic!("{}", render_all(&d)));
    let names: Vec<&str> = api.services[0]
        .types
        .iter()
        .map(|t| t.rust.0.as_str())
        .collect();
    assert!(names.len() >= 3, "the response and both schemas: {names:?}");
}
