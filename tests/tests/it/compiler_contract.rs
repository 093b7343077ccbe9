//! The compiler's contract, item by item (issue 8): what `check` accepts,
//! `generate` turns into a crate; anything else is an error that names the
//! file and line, reported within seconds, with nothing generated.
//!
//! Each test runs under its own time limit, so a regression that hangs or
//! recurses forever fails instead of blocking CI.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use wiregen_codegen::{Compiled, SourceFile, compile_dir, compile_report, generate, render_all};

/// Runs `f` on a thread with a big stack, failing the test after 20 s.
fn within_limit<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || tx.send(f()))
        .expect("thread starts");
    rx.recv_timeout(Duration::from_secs(20))
        .expect("finished within 20 s, without a panic")
}

const SERVICE: &str = "service: demo
title: Demo
crate: { name: demo, version: 0.1.0 }
protocol: rest-json
endpoints: { default: https://demo.example.com }
auth: { kind: bearer, env: DEMO_KEY }
errors: { shapes: [code-message] }
";

/// An operation file: `name`, extra `params` (a YAML list body) and
/// `types` (a YAML mapping body), with response type `Out`.
fn operation(name: &str, params: &str, types: &str) -> String {
    format!(
        "operation: {name}\nsummary: Does it.\nidempotent: true\nhttp: {{ method: POST, path: /{name} }}\n\
         params:\n{params}\nresponse: Out{name}\ntypes:\n  Out{name}:\n    fields:\n      - {{ name: id, type: string }}\n{types}"
    )
}

fn compile_files(files: Vec<(String, String)>) -> Compiled {
    let files: Vec<SourceFile> = files
        .into_iter()
        .map(|(p, t)| SourceFile::new(p, t))
        .collect();
    within_limit(move || compile_report(&files))
}

/// Compiles one service `demo` with the given operation files.
fn compile_ops(ops: &[(&str, String)]) -> Compiled {
    let mut files = vec![("demo/service.yaml".to_owned(), SERVICE.to_owned())];
    files.extend(
        ops.iter()
            .map(|(name, text)| (format!("demo/operations/{name}.yaml"), text.clone())),
    );
    compile_files(files)
}

/// Asserts the compilation failed with an error containing `needle`, at a
/// real line of a spec file.
#[track_caller]
fn assert_error(compiled: &Compiled, needle: &str) {
    let text = render_all(&compiled.diagnostics);
    assert!(compiled.api.is_none(), "accepted, expected `{needle}`");
    let hit = compiled
        .diagnostics
        .iter()
        .find(|d| d.is_error() && d.message.contains(needle))
        .unwrap_or_else(|| panic!("no error containing `{needle}` in:\n{text}"));
    assert!(hit.line >= 1 && hit.file.ends_with(".yaml"), "{text}");
}

const NO_PARAMS: &str = "  []";

// Item 2: a file or module name the generator writes itself.
#[test]
fn an_operation_named_mod_is_refused() {
    let compiled = compile_ops(&[
        ("Mod", operation("Mod", NO_PARAMS, "")),
        ("Other", operation("Other", NO_PARAMS, "")),
    ]);
    assert_error(&compiled, "operations/mod.rs");
}

// Item 4: operations that would take `Client`'s own methods.
#[test]
fn operations_named_like_client_methods_are_refused() {
    for name in ["New", "FromEnv", "Runtime", "FromRuntime", "Clone"] {
        let compiled = compile_ops(&[(name, operation(name, NO_PARAMS, ""))]);
        assert_error(&compiled, "a method of every generated `Client`");
    }
}

// Item 4: `Self` gives camel-case names (`SelfRequest`), not `Self_Request`.
#[test]
fn an_operation_named_self_gets_camel_case_items() {
    let compiled = compile_ops(&[("Self", operation("Self", NO_PARAMS, ""))]);
    let api = compiled
        .api
        .unwrap_or_else(|| panic!("{}", render_all(&compiled.diagnostics)));
    let op = &api.services[0].operations[0];
    assert_eq!(
        (op.builder.0.as_str(), op.error_enum.0.as_str()),
        ("SelfRequest", "SelfErrorCode")
    );
}

// Item 5: types that would shadow the std prelude in models.rs.
#[test]
fn types_named_like_the_prelude_are_refused() {
    for name in [
        "String", "Option", "Vec", "Result", "Box", "string_", "Self",
    ] {
        let types = format!("  {name}:\n    fields:\n      - {{ name: x, type: string }}\n");
        let params = format!("  - {{ name: body, in: body, type: {name} }}");
        let compiled = compile_ops(&[("Make", operation("Make", &params, &types))]);
        assert_error(&compiled, "which is taken");
    }
}

// Item 6: a type containing itself inline has infinite size.
#[test]
fn a_type_containing_itself_is_refused_but_through_a_list_is_fine() {
    let inline = "  Node:\n    fields:\n      - { name: next, type: Node }\n";
    let params = "  - { name: body, in: body, type: Node }";
    assert_error(
        &compile_ops(&[("Make", operation("Make", params, inline))]),
        "contains itself",
    );
    let two = "  A:\n    fields:\n      - { name: b, type: B }\n  B:\n    fields:\n      - { name: a, type: A }\n";
    let params_a = "  - { name: body, in: body, type: A }";
    assert_error(
        &compile_ops(&[("Make", operation("Make", params_a, two))]),
        "A -> B -> A",
    );
    let listed = "  Node:\n    fields:\n      - { name: children, type: list<Node> }\n";
    let compiled = compile_ops(&[("Make", operation("Make", params, listed))]);
    assert!(
        compiled.api.is_some(),
        "{}",
        render_all(&compiled.diagnostics)
    );
}

// Item 6: a 1,000-deep chain of named types.
#[test]
fn a_deep_chain_of_named_types_is_refused() {
    let mut types = String::new();
    for i in 0..1000 {
        types.push_str(&format!(
            "  T{i}:\n    fields:\n      - {{ name: x, type: T{} }}\n",
            i + 1
        ));
    }
    types.push_str("  T1000:\n    fields:\n      - { name: x, type: string }\n");
    let params = "  - { name: body, in: body, type: T0 }";
    let compiled = compile_ops(&[("Make", operation("Make", params, &types))]);
    assert_error(&compiled, "the limit is 12");
}

// Item 9: `list<` nested far past the limit is an error, not a stack overflow.
#[test]
fn deep_list_and_map_nesting_is_refused() {
    for (open, n) in [("list<", 364), ("map<", 346), ("list<", 100_000)] {
        let ty = format!("{}string{}", open.repeat(n), ">".repeat(n));
        let params = format!("  - {{ name: q, in: query, type: \"{ty}\" }}");
        let compiled = compile_ops(&[("Make", operation("Make", &params, ""))]);
        assert_error(&compiled, "nest more than 12 levels");
    }
}

// Item 7: two parameters whose builder methods collide.
#[test]
fn colliding_builder_methods_are_refused() {
    let params = "  - { name: send, in: query, type: string }\n  - { name: set_send, in: query, type: string }";
    let compiled = compile_ops(&[("Make", operation("Make", params, ""))]);
    assert_error(&compiled, "both become `set_send`");
}

/// The builder and the error enum of one operation are checked against
/// the types with a hashed table: 2,000 operations and 2,000 types compile
/// in well under the time limit (it used to be operations x types).
#[test]
fn generated_name_checks_are_linear() {
    let ops: Vec<(String, String)> = (0..2000)
        .map(|i| {
            let name = format!("Op{i}");
            let text = operation(&name, NO_PARAMS, "");
            (name, text)
        })
        .collect();
    let refs: Vec<(&str, String)> = ops.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let compiled = compile_ops(&refs);
    assert!(
        compiled.api.is_some(),
        "{}",
        render_all(&compiled.diagnostics)
    );
}

// Item 3: crate names unique across services and the workspace.
#[test]
fn crate_names_of_services_and_workspace_packages_are_refused() {
    let other = SERVICE.replace("service: demo", "service: other");
    let files = vec![
        ("demo/service.yaml".to_owned(), SERVICE.to_owned()),
        (
            "demo/operations/A.yaml".to_owned(),
            operation("A", NO_PARAMS, ""),
        ),
        ("other/service.yaml".to_owned(), other),
        (
            "other/operations/B.yaml".to_owned(),
            operation("B", NO_PARAMS, ""),
        ),
    ];
    assert_error(
        &compile_files(files),
        "also the crate name of service `demo`",
    );
    for taken in [
        "wiregen-runtime",
        "xtask",
        "wiregen_tests",
        "Wiregen-Codegen",
        "serde",
    ] {
        let service = SERVICE.replace("name: demo,", &format!("name: {taken},"));
        let files = vec![
            ("demo/service.yaml".to_owned(), service),
            (
                "demo/operations/A.yaml".to_owned(),
                operation("A", NO_PARAMS, ""),
            ),
        ];
        assert_error(&compile_files(files), "taken by the workspace package");
    }
}

/// A valid tree written to `dir`.
fn write_tree(dir: &Path) {
    std::fs::create_dir_all(dir.join("demo/operations")).expect("mkdir");
    std::fs::write(dir.join("demo/service.yaml"), SERVICE).expect("write");
    std::fs::write(
        dir.join("demo/operations/A.yaml"),
        operation("A", NO_PARAMS, ""),
    )
    .expect("write");
}

fn compile_tree(dir: &Path) -> Compiled {
    let dir = dir.to_path_buf();
    within_limit(move || compile_dir(&dir))
}

#[track_caller]
fn assert_file_error(compiled: &Compiled, path_end: &str, needle: &str) {
    let text = render_all(&compiled.diagnostics);
    assert!(compiled.api.is_none(), "accepted:\n{text}");
    assert!(
        compiled
            .diagnostics
            .iter()
            .any(|d| d.file.ends_with(path_end) && d.message.contains(needle)),
        "no `{needle}` at `{path_end}` in:\n{text}"
    );
}

// Item 10: symbolic links in cycles or out of the tree.
#[test]
fn links_in_cycles_or_out_of_the_tree_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tree(dir.path());
    assert!(compile_tree(dir.path()).api.is_some(), "the tree is valid");
    let ops = dir.path().join("demo/operations");
    std::os::unix::fs::symlink(".", ops.join("loop1")).expect("link");
    std::os::unix::fs::symlink(".", ops.join("loop2")).expect("link");
    std::os::unix::fs::symlink("/dev/zero", ops.join("Zero.yaml")).expect("link");
    std::os::unix::fs::symlink("..", dir.path().join("demo/up")).expect("link");
    let compiled = compile_tree(dir.path());
    assert_file_error(&compiled, "operations/loop1", "a cycle");
    assert_file_error(&compiled, "operations/loop2", "a cycle");
    assert_file_error(
        &compiled,
        "operations/Zero.yaml",
        "outside the spec directory",
    );
    assert_file_error(&compiled, "demo/up", "a cycle");
}

// Item 10: a FIFO and a directory where spec files belong, a huge file.
#[test]
fn special_files_directories_and_huge_files_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tree(dir.path());
    let ops = dir.path().join("demo/operations");
    let status = std::process::Command::new("mkfifo")
        .arg(ops.join("Fifo.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    std::fs::create_dir(ops.join("Dir.yaml")).expect("mkdir");
    std::fs::write(ops.join("Big.yaml"), "#".repeat(2 << 20)).expect("write");
    let compiled = compile_tree(dir.path());
    assert_file_error(&compiled, "operations/Fifo.yaml", "not a regular file");
    assert_file_error(
        &compiled,
        "operations/Dir.yaml",
        "a directory where a spec file",
    );
    assert_file_error(&compiled, "operations/Big.yaml", "larger than 1024 KiB");
}

// Item 11: `service.yaml` that is a directory is named as such.
#[test]
fn a_service_yaml_directory_is_not_reported_as_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("demo/service.yaml")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("demo/operations")).expect("mkdir");
    std::fs::write(
        dir.path().join("demo/operations/A.yaml"),
        operation("A", NO_PARAMS, ""),
    )
    .expect("write");
    let compiled = compile_tree(dir.path());
    assert_file_error(
        &compiled,
        "demo/service.yaml",
        "a directory where a spec file",
    );
}

/// Links inside the tree to regular files are followed.
#[test]
fn links_to_files_inside_the_tree_are_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tree(dir.path());
    let ops = dir.path().join("demo/operations");
    std::fs::rename(ops.join("A.yaml"), dir.path().join("A.txt")).expect("move");
    std::os::unix::fs::symlink("../../A.txt", ops.join("A.yaml")).expect("link");
    let compiled = compile_tree(dir.path());
    let api = compiled
        .api
        .unwrap_or_else(|| panic!("{}", render_all(&compiled.diagnostics)));
    assert!(!generate(&api).is_empty());
}

// Item 11: a UTF-8 byte-order mark is accepted.
#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{}", operation("A", NO_PARAMS, ""));
    let compiled = compile_ops(&[("A", text)]);
    assert!(
        compiled.api.is_some(),
        "{}",
        render_all(&compiled.diagnostics)
    );
}

// Item 11: a second YAML document is reported, not ignored.
#[test]
fn a_second_yaml_document_is_reported() {
    let text = format!("{}---\noperation: B\n", operation("A", NO_PARAMS, ""));
    assert_error(&compile_ops(&[("A", text)]), "a second YAML document");
}

// YAML nested past the limit is an error, not a stack overflow.
#[test]
fn deep_yaml_nesting_is_refused() {
    let nested = |n: usize| {
        let base = operation("A", NO_PARAMS, "");
        format!("{base}x_deep: {}{}\n", "[".repeat(n), "]".repeat(n))
    };
    assert_error(
        &compile_ops(&[("A", nested(100))]),
        "nest more than 64 levels",
    );
    // The YAML parser's own limit answers first here; either way an error.
    assert_error(&compile_ops(&[("A", nested(100_000))]), "");
}

// Item 11: what a diagnostic quotes is escaped (a CR/LF in a header name).
#[test]
fn quoted_control_characters_are_escaped() {
    let params = "  - { name: \"x-a\\r\\nInjected: 1\", in: header, type: string }";
    let compiled = compile_ops(&[("A", operation("A", params, ""))]);
    assert_error(&compiled, "not a valid HTTP header name");
    let text = render_all(&compiled.diagnostics);
    assert!(text.contains("x-a\\r\\nInjected"), "{text}");
    assert!(
        !text.contains('\r') && !text.contains("\nInjected"),
        "{text}"
    );
}

// Item 11: dot segments would send the request elsewhere.
#[test]
fn dot_segments_in_paths_are_refused() {
    for path in ["/v1/../admin", "/./x", "/v1/%2E%2e/admin"] {
        let text = operation("A", NO_PARAMS, "").replace("path: /A", &format!("path: \"{path}\""));
        assert_error(&compile_ops(&[("A", text)]), "`.` or `..` segment");
    }
}

// Item 11: headers the client sets itself can not be parameters.
#[test]
fn reserved_headers_are_refused() {
    for name in [
        "Authorization",
        "host",
        "x-acs-signature-nonce",
        "X-Acs-Security-Token",
    ] {
        let params = format!("  - {{ name: {name}, in: header, type: string }}");
        assert_error(
            &compile_ops(&[("A", operation("A", &params, ""))]),
            "set by the client itself",
        );
    }
}

// Item 8: descriptions with a lone CR, tabs and other control characters
// give doc comments rustc and clippy accept.
#[test]
fn control_characters_in_descriptions_are_normalised_in_docs() {
    let text = operation("A", NO_PARAMS, "").replace(
        "summary: Does it.",
        "summary: \"One\\rtwo\\tthree\\u0007four\"\ndescription: \"a\\r\\nb\\tc\"",
    );
    let compiled = compile_ops(&[("A", text)]);
    let api = compiled
        .api
        .unwrap_or_else(|| panic!("{}", render_all(&compiled.diagnostics)));
    for file in generate(&api) {
        assert!(
            !file.contents.contains(['\r', '\t', '\u{7}']),
            "{} holds a control character",
            file.path
        );
    }
}

// Found by `cargo xtask contract`: names that compiled but failed clippy.
#[test]
fn names_that_trip_clippy_are_refused() {
    // `Operations` would be `operations::operations` (module_inception).
    assert_error(
        &compile_ops(&[("Operations", operation("Operations", NO_PARAMS, ""))]),
        "module_inception",
    );
    // A type `New` gets `New::new` (self_named_constructors).
    let types = "  New:\n    fields:\n      - { name: x, type: string }\n";
    let params = "  - { name: body, in: body, type: New }";
    assert_error(
        &compile_ops(&[("Make", operation("Make", params, types))]),
        "self_named_constructors",
    );
    // Fields `_` (`_x`) and `x` would both get the setter `with_x`.
    let types = "  In:\n    fields:\n      - { name: _, type: string }\n      - { name: x, type: string }\n";
    let params = "  - { name: body, in: body, type: In }";
    assert_error(
        &compile_ops(&[("Make", operation("Make", params, types))]),
        "both become `with_x`",
    );
    // Crate names: lower case (the library name is linted), not keywords.
    for (name, needle) in [("Demo", "not a valid crate name"), ("type", "Rust keyword")] {
        let service = SERVICE.replace("name: demo,", &format!("name: {name},"));
        let files = vec![
            ("demo/service.yaml".to_owned(), service),
            (
                "demo/operations/A.yaml".to_owned(),
                operation("A", NO_PARAMS, ""),
            ),
        ];
        assert_error(&compile_files(files), needle);
    }
}

/// An operation without any error code gets no one-arm `match`
/// (clippy's `match_single_binding`).
#[test]
fn an_operation_without_error_codes_has_no_single_arm_match() {
    let compiled = compile_ops(&[("A", operation("A", NO_PARAMS, ""))]);
    let api = compiled
        .api
        .unwrap_or_else(|| panic!("{}", render_all(&compiled.diagnostics)));
    let errors = generate(&api)
        .into_iter()
        .find(|f| f.path.ends_with("src/errors.rs"))
        .expect("errors.rs");
    assert!(
        !errors.contents.contains("match code"),
        "{}",
        errors.contents
    );
}

// Item 11: a diff side without specs (a revision before `spec/`) is
// called out rather than reported silently as every service added.
#[test]
fn a_diff_side_without_specs_is_called_out() {
    use wiregen_codegen::diff::{Format, Input, Options, run};
    let empty = tempfile::tempdir().expect("tempdir");
    let tree = tempfile::tempdir().expect("tempdir");
    write_tree(tree.path());
    let options = Options {
        input: Input::Dirs {
            from: empty.path().to_owned(),
            to: tree.path().to_owned(),
        },
        format: Format::Text,
        color: false,
        fail_on_breaking: false,
        check_versions: false,
        changelog_dir: None,
    };
    let outcome = within_limit(move || run(&options));
    assert!(
        outcome.stderr.contains("has no specs"),
        "{}",
        outcome.stderr
    );
}

/// The depth limit counts `list<`/`map<` around primitives as well as
/// named types: exactly 12 is accepted, 13 refused.
#[test]
fn the_depth_limit_counts_containers_and_named_types() {
    let at = |depth: usize| {
        let chain = 6;
        let n = depth - chain;
        let mut types = String::new();
        for i in 0..chain - 1 {
            types.push_str(&format!(
                "  L{i}:\n    fields:\n      - {{ name: next, type: L{} }}\n",
                i + 1
            ));
        }
        types.push_str(&format!(
            "  L{}:\n    fields:\n      - {{ name: deep, type: \"{}string{}\" }}\n",
            chain - 1,
            "list<".repeat(n),
            ">".repeat(n)
        ));
        let params = "  - { name: body, in: body, type: L0 }";
        compile_ops(&[("Make", operation("Make", params, &types))])
    };
    let ok = at(12);
    assert!(ok.api.is_some(), "{}", render_all(&ok.diagnostics));
    assert_error(&at(13), "nested 13 levels deep");
}

/// Found by `cargo xtask contract` at the depth limit: three nested maps
/// already exceed clippy's `type_complexity` threshold; files holding such
/// a type allow that lint (the nesting is the API's).
#[test]
fn deeply_nested_containers_allow_type_complexity() {
    let types = "  In:\n    fields:\n      - { name: m, type: \"map<map<map<string>>>\" }\n";
    let params = "  - { name: body, in: body, type: In }\n  - { name: q, in: body, type: \"list<list<list<string>>>\" }";
    let params = params.replace(
        "  - { name: q, in: body",
        "  - { name: q, in: query, style: json-string",
    );
    let compiled = compile_ops(&[("Make", operation("Make", &params, types))]);
    let api = compiled
        .api
        .unwrap_or_else(|| panic!("{}", render_all(&compiled.diagnostics)));
    for file in generate(&api) {
        if file.path.ends_with("models.rs") || file.path.ends_with("operations/make.rs") {
            assert!(
                file.contents.contains("#![allow(clippy::type_complexity)]"),
                "{}",
                file.path
            );
        }
    }
}
