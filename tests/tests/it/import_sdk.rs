//! What the importer adds to every draft for the SDK import: an example per
//! operation (the published sample when it decodes, else one written from
//! the types), pagination recognised by name, upstream's category, the
//! language of the text and the imported marker, and the SDK's provenance.

use serde_json::{Value, json};
use wiregen_codegen::import::{self, Draft, NoteKind, Request};
use wiregen_codegen::spec::{OperationSpec, Pagination, TextSource};
use wiregen_codegen::{compile, render_all};

/// A small RPC product whose operation `Op` has the given parts.
fn product(params: Value, response: Value, extra: Value) -> Value {
    let mut api = json!({
        "summary": "An operation.",
        "methods": ["post"],
        "schemes": ["https"],
        "parameters": params,
        "responses": {"200": {"schema": response}}
    });
    for (key, value) in extra.as_object().into_iter().flatten() {
        api[key] = value.clone();
    }
    json!({
        "info": {"style": "RPC", "product": "Toy", "version": "2025-01-01"},
        "apis": {"Op": api}
    })
}

fn draft(doc: &Value) -> Draft {
    let text = doc.to_string();
    let draft = import::draft(&Request {
        metadata: &text,
        label: "toy/en_us/2025-01-01.json",
        prose: None,
        service: None,
        existing: &[],
    })
    .expect("drafts");
    compile(&draft.files).unwrap_or_else(|d| panic!("drafts do not compile:\n{}", render_all(&d)));
    draft
}

fn op(draft: &Draft) -> OperationSpec {
    let file = draft
        .files
        .iter()
        .find(|f| f.path == "toy/operations/Op.yaml")
        .expect("Op drafted");
    serde_yaml::from_str(&file.text).expect("a spec")
}

fn list_response() -> Value {
    json!({"type": "object", "properties": {
        "TotalCount": {"type": "integer", "example": "20"},
        "NextToken": {"type": "string"},
        "Items": {"type": "array", "items": {"type": "object", "properties": {
            "Id": {"type": "string", "example": "i-1"},
            "Size": {"type": "integer", "format": "int32"}
        }}}
    }})
}

fn int_param(name: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": "integer", "example": "2", "maximum": "50"}})
}

#[test]
fn the_published_sample_is_the_example_when_it_decodes() {
    let demo = json!([{"type": "json", "example": "{\"TotalCount\": \"20\", \"Items\": [{\"Id\": \"a\"}]}"}]);
    let d = draft(&product(
        json!([int_param("PageSize")]),
        list_response(),
        json!({"responseDemo": demo.to_string()}),
    ));
    let op = op(&d);
    assert_eq!(op.examples.len(), 1);
    assert_eq!(op.examples[0].source.as_deref(), Some("doc"));
    assert_eq!(op.examples[0].request["PageSize"], json!(2));
    assert_eq!(d.counts.sample_examples, 1);
}

#[test]
fn a_sample_that_does_not_decode_gives_way_to_a_written_one() {
    // `Items` is a list, the sample sends an object: a defect of the sample.
    let demo = json!([{"type": "json", "example": "{\"Items\": {\"Id\": \"a\"}}"}]);
    let d = draft(&product(
        json!([]),
        list_response(),
        json!({"responseDemo": demo.to_string()}),
    ));
    let op = op(&d);
    assert_eq!(op.examples.len(), 1);
    assert_eq!(op.examples[0].name, "written");
    let body: Value =
        serde_json::from_str(op.examples[0].response.as_deref().expect("a body")).expect("JSON");
    // Every field, with the published examples where there are any.
    assert_eq!(body["Items"][0]["Id"], json!("i-1"));
    assert_eq!(body["TotalCount"], json!(20));
    assert_eq!(body["Items"][0]["Size"], json!(1));
    let note = d
        .notes
        .iter()
        .find(|n| n.path == "apis.Op.responseDemo")
        .expect("the dropped sample is noted");
    assert_eq!(note.kind, NoteKind::NotHeld);
    assert_eq!(d.counts.written_examples, 1);
}

#[test]
fn written_request_values_keep_to_their_limits() {
    let params = json!([
        {"name": "Required", "in": "query", "schema": {"type": "integer", "required": true, "minimum": "5"}},
        {"name": "Short", "in": "query", "schema": {"type": "string", "maxLength": 3}}
    ]);
    let op = op(&draft(&product(
        params,
        json!({"type": "object", "properties": {"A": {"type": "string"}}}),
        json!({}),
    )));
    assert_eq!(op.examples[0].request["Required"], json!(5));
    assert_eq!(op.examples[0].request["Short"], json!("str"));
}

#[test]
fn page_number_and_size_are_declared() {
    let op = op(&draft(&product(
        json!([int_param("PageNumber"), int_param("PageSize")]),
        list_response(),
        json!({}),
    )));
    assert_eq!(
        op.pagination,
        Some(Pagination::Page {
            items: "Items".into(),
            page_param: "PageNumber".into(),
            size_param: "PageSize".into(),
            total: Some("TotalCount".into()),
        })
    );
}

#[test]
fn a_next_token_in_and_out_is_declared() {
    let params = json!([int_param("MaxResults"), {"name": "NextToken", "in": "query", "schema": {"type": "string"}}]);
    let op = op(&draft(&product(params, list_response(), json!({}))));
    assert_eq!(
        op.pagination,
        Some(Pagination::Token {
            items: "Items".into(),
            token_param: "NextToken".into(),
            next_token: "NextToken".into(),
        })
    );
}

#[test]
fn paging_that_can_not_be_declared_is_noted() {
    let response = json!({"type": "object", "properties": {
        "A": {"type": "array", "items": {"type": "string"}},
        "B": {"type": "array", "items": {"type": "string"}}
    }});
    let d = draft(&product(
        json!([int_param("PageNumber"), int_param("PageSize")]),
        response,
        json!({}),
    ));
    assert_eq!(op(&d).pagination, None);
    let note = d.notes.iter().find(|n| n.path == "apis.Op").expect("noted");
    assert!(
        note.message
            .contains("several lists in the response (A, B)"),
        "{note}"
    );
}

#[test]
fn of_several_lists_the_one_named_as_records_pages() {
    let list = json!({"type": "array", "items": {"type": "string"}});
    let response = json!({"type": "object", "properties": {"data": {"type": "object", "properties": {
        "columns": list, "rows": list, "total": {"type": "integer", "format": "int32"}
    }}}});
    let d = draft(&product(
        json!([int_param("pageIndex"), int_param("pageSize")]),
        response,
        json!({}),
    ));
    assert_eq!(
        op(&d).pagination,
        Some(Pagination::Page {
            items: "data.rows".into(),
            page_param: "pageIndex".into(),
            size_param: "pageSize".into(),
            total: Some("data.total".into()),
        })
    );
}

#[test]
fn group_text_source_and_marker() {
    let mut doc = product(
        json!([]),
        json!({"type": "object", "properties": {"A": {"type": "string", "description": "English."}}}),
        json!({}),
    );
    doc["directories"] = json!([{"title": "Things", "type": "directory", "children": ["Op"]}]);
    let op = op(&draft(&doc));
    assert_eq!(op.group.as_deref(), Some("Things"));
    assert_eq!(op.imported.map(|i| i.text), Some(TextSource::English));

    let mut doc = product(
        json!([]),
        json!({"type": "object", "properties": {"A": {"type": "string", "description": "中文。"}}}),
        json!({}),
    );
    doc["apis"]["Op"]["summary"] = json!("一个操作。");
    assert_eq!(op_text(&doc), TextSource::Chinese);
    doc["apis"]["Op"]["summary"] = json!("An operation.");
    assert_eq!(op_text(&doc), TextSource::Mixed);
}

fn op_text(doc: &Value) -> TextSource {
    op(&draft(doc)).imported.expect("marked imported").text
}

#[test]
fn an_sdk_file_names_the_sdk_and_the_metadata_revision() {
    let mut doc = product(
        json!([]),
        json!({"type": "object", "properties": {"A": {"type": "string"}}}),
        json!({}),
    );
    doc["x-wiregen"] = json!({"sdk": "toy_sdk 1.2.3", "metadata": "tests/fixtures/openmeta/toy/en_us/2025-01-01.json"});
    let op = op(&draft(&doc));
    assert!(
        op.provenance[0].source.contains("toy_sdk 1.2.3"),
        "{:?}",
        op.provenance
    );
    assert_eq!(op.provenance[1].date.as_deref(), Some("2025-01-01"));
    doc["x-wiregen"] = json!({"metadata": 3});
    let text = doc.to_string();
    let e = import::draft(&Request {
        metadata: &text,
        label: "toy.json",
        prose: None,
        service: None,
        existing: &[],
    })
    .expect_err("refused");
    assert_eq!(e.path, "x-wiregen");
}

#[test]
fn a_string_body_is_text() {
    let op = op(&draft(&product(
        json!([]),
        json!({"type": "string"}),
        json!({}),
    )));
    assert_eq!(op.response, "text");
    assert_eq!(op.examples[0].response.as_deref(), Some("example response"));
}

#[test]
fn a_code_that_would_share_a_rust_variant_is_left_out() {
    let mut doc = product(
        json!([]),
        json!({"type": "object", "properties": {"A": {"type": "string"}}}),
        json!({}),
    );
    doc["apis"]["Op"]["errorCodes"] = json!({"403": [{"errorCode": "B.Permission.Denied"}]});
    let mut other = doc["apis"]["Op"].clone();
    other["errorCodes"] =
        json!({"403": [{"errorCode": "B_PERMISSION_DENIED"}, {"errorCode": "Other"}]});
    doc["apis"]["Op2"] = other;
    let d = draft(&doc);
    let op2: OperationSpec = serde_yaml::from_str(
        &d.files
            .iter()
            .find(|f| f.path == "toy/operations/Op2.yaml")
            .expect("Op2")
            .text,
    )
    .expect("a spec");
    let codes: Vec<&str> = op2.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["Other"]);
    let note = d
        .notes
        .iter()
        .find(|n| n.path == "apis.Op2.errorCodes")
        .expect("noted");
    assert!(
        note.message
            .contains("`B_PERMISSION_DENIED` would share the Rust variant"),
        "{note}"
    );
}
