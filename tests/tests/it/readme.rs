//! Keeps the README's "Adding an operation" walk-through true: its YAML is
//! added to the real `spec/altatech` tree, compiled and generated, and the
//! client call and diff verdict the README shows are checked against the
//! result.

use std::path::Path;

use wiregen_codegen::diff::{Impact, diff};
use wiregen_codegen::{SourceFile, compile, generate, read_spec_dir};

const NEW_FILE: &str = "spec/altatech/operations/GetMessages.yaml";

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the repo")
}

/// The fenced block that follows the line naming `path` in the README.
fn readme_block_after(path: &str) -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let start = readme
        .find(path)
        .unwrap_or_else(|| panic!("README no longer names {path}"));
    let rest = &readme[start..];
    let open = rest
        .find("```yaml\n")
        .expect("a yaml block after the file name")
        + "```yaml\n".len();
    let close = rest[open..].find("```").expect("the yaml block ends");
    rest[open..open + close].to_owned()
}

/// `spec/` without the README's new file, so the test also holds after a
/// reader followed the walk-through (the file then exists in `spec/`).
fn current_spec() -> Vec<SourceFile> {
    let mut files =
        read_spec_dir(&repo_root().join("spec")).unwrap_or_else(|d| panic!("spec/ reads: {d:?}"));
    files.retain(|f| f.path != NEW_FILE.trim_start_matches("spec/"));
    files
}

#[test]
fn readme_operation_compiles_generates_and_diffs_as_described() {
    let before = compile(&current_spec()).expect("spec/ compiles");

    let mut files = current_spec();
    files.push(SourceFile::new(
        NEW_FILE.trim_start_matches("spec/"),
        readme_block_after(NEW_FILE),
    ));
    let after = compile(&files).unwrap_or_else(|diagnostics| {
        let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!(
            "the README's GetMessages spec does not compile:\n{}",
            rendered.join("\n")
        )
    });

    // The generated method takes the three required parameters, in spec order,
    // as the README's call does.
    let outputs = generate(&after);
    let operation = outputs
        .iter()
        .find(|file| file.path == "generated/altatech/src/operations/get_messages.rs")
        .expect("an operation file for GetMessages");
    let signature = operation
        .contents
        .lines()
        .skip_while(|line| !line.contains("pub fn get_messages("))
        .take_while(|line| !line.contains('{'))
        .collect::<String>();
    let conversation = signature
        .find("conversation_id")
        .expect("conversation_id argument");
    let page = signature.find("page: i32").expect("page argument");
    let page_size = signature
        .find("page_size: i32")
        .expect("page_size argument");
    assert!(
        conversation < page && page < page_size,
        "argument order: {signature}"
    );
    assert!(
        operation.contents.contains("pub fn into_stream("),
        "paged: into_stream"
    );

    // The README says the change is one compatible addition.
    let findings = diff(&before, &after);
    let ids: Vec<&str> = findings.iter().map(|f| f.rule.id()).collect();
    assert_eq!(ids, ["operation-added"], "{findings:#?}");
    assert_eq!(findings[0].wire, Impact::Compatible);
    assert_eq!(findings[0].rust, Impact::Compatible);
}

#[test]
fn readme_service_yaml_compiles() {
    let service = readme_block_after("`service.yaml` says how the service is reached");
    let operation = readme_block_after(NEW_FILE);
    let files = [
        SourceFile::new("altatech/service.yaml", service),
        SourceFile::new("altatech/operations/GetMessages.yaml", operation),
    ];
    if let Err(diagnostics) = compile(&files) {
        let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!(
            "the README's service.yaml does not compile:\n{}",
            rendered.join("\n")
        );
    }
}
