//! Every check fires: a scratch tree breaks each rule once, in each of the
//! ways a check has been blind to before (a re-export, `super::super`, the
//! later members of a nested `use` group, a renamed dependency), and each
//! check must report exactly what is broken there.

use std::fs;
use std::process::Command;

use super::{
    Check, compiler_free, conventions, deps, diagnostics, fn_length, licences, references,
};

/// Writes `files` under a fresh scratch directory.
fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a scratch directory");
    for (path, text) in files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().expect("a parent")).expect("create dirs");
        fs::write(full, text).expect("write a fixture file");
    }
    dir
}

/// A function of `lines` lines from `fn` to its closing brace, with braces
/// in a string and a comment that must not count.
fn function_of(name: &str, lines: usize) -> String {
    let mut text = format!("fn {name}() {{\n    let _ = \"}}\"; // }}\n");
    for _ in 0..lines - 3 {
        text.push_str("    let _ = 1;\n");
    }
    text.push_str("}\n");
    text
}

/// The code map of the scratch tree: `emit` may use `ir` only, `naming`
/// has no row, and `gone` is a row for nothing.
const MAP: &str = "# Map\n\
`codegen/src/emit/` exists, `codegen/src/gone.rs` does not; `<svc>` is no path.\n\
\n\
| module | owns | may use |\n\
|---|---|---|\n\
| `codegen/src/emit/` | emitters | `ir` |\n\
| `codegen/src/ir.rs` | the IR | nothing (in particular not `spec`) |\n\
| `codegen/src/spec.rs` | the spec | nothing |\n\
| `codegen/src/a.rs` | a | `b` |\n\
| `codegen/src/b.rs` | b | `output` |\n\
| `codegen/src/output.rs` | output | `a` |\n\
| `codegen/src/lower.rs` | lowering | `diagnostic` |\n\
| `codegen/src/diagnostic.rs` | diagnostics | nothing |\n\
| `codegen/src/long.rs` | long | nothing |\n\
| `codegen/src/gone.rs` | nothing | nothing |\n";

#[test]
fn each_broken_invariant_is_caught() {
    let long = format!(
        "//! Long.\n{}{}#[cfg(test)]\nmod tests {{\n{}}}\n",
        function_of("too_long", fn_length::MAX_LINES + 1),
        function_of("just_short_enough", fn_length::MAX_LINES),
        function_of("a_long_test", 3 * fn_length::MAX_LINES),
    );
    let outside = format!("see {}\n", concat!("../", "shared/", "seeds/"));
    let facts = format!("# {} section 3\n", concat!("api-", "facts"));
    let tree = scratch(&[
        (
            "codegen/src/lib.rs",
            "//! Root.\nmod emit;\nmod ir;\nmod spec;\nmod a;\nmod b;\nmod output;\nmod naming;\n\
             mod lower;\nmod diagnostic;\nmod long;\npub use spec::Protocol;\n",
        ),
        // An emitter reading the spec through the later member of a nested
        // group.
        (
            "codegen/src/emit/mod.rs",
            "//! Emit.\nmod x;\nmod y;\nuse crate::{ir::{Api, Field}, spec::Protocol};\n",
        ),
        // Two emitter modules using each other; one names the spec through
        // `super::super`, and `naming`, which the map does not allow; the
        // other names it through the crate root's re-export.
        (
            "codegen/src/emit/x.rs",
            "//! X.\nuse super::y::Y;\nuse super::super::spec;\nuse crate::naming::snake;\npub struct X;\n",
        ),
        (
            "codegen/src/emit/y.rs",
            "//! Y.\nuse super::x::X;\npub struct Y;\npub fn f() -> crate::Protocol { todo!() }\n",
        ),
        // The IR re-exporting a spec type.
        (
            "codegen/src/ir.rs",
            "//! IR.\npub use crate::spec::Protocol;\n",
        ),
        ("codegen/src/spec.rs", "//! Spec.\npub enum Protocol {}\n"),
        ("codegen/src/naming.rs", "//! Naming.\npub fn snake() {}\n"),
        // A cycle through a third module, and a module without a doc.
        (
            "codegen/src/a.rs",
            "//! A.\nuse crate::b::B;\npub struct A;\n",
        ),
        ("codegen/src/b.rs", "pub struct B(crate::output::O);\n"),
        (
            "codegen/src/output.rs",
            "//! Output.\npub struct O(crate::a::A);\nconst DIR: &str = \"generated\";\n",
        ),
        // Three diagnostic kinds, two of them without a bad-spec case.
        (
            "codegen/src/lower.rs",
            "//! Lower.\nuse crate::diagnostic::Diagnostic;\n\
             fn check(ctx: &Ctx, k: &str) {\n\
             ctx.error(\"keys\", Part::Key, format!(\"duplicate key `{k}`\"));\n\
             Diagnostic::file_error(\"f\", \"no such file\");\n\
             let _ = Problem { message: \"tabs are not allowed\".to_owned() };\n}\n",
        ),
        (
            "codegen/src/diagnostic.rs",
            "//! Diagnostics.\npub struct Diagnostic;\n",
        ),
        (
            "tests/tests/it/snapshots/it__bad_specs__dup.snap",
            "---\nsource: x\n---\nerror: duplicate key `a`\n",
        ),
        ("codegen/src/long.rs", &long),
        // The runtime and a generated crate depending on the compiler, each
        // under another name.
        (
            "Cargo.toml",
            "[workspace.dependencies]\ncompiler = { path = \"codegen\", package = \"wiregen-codegen\" }\n",
        ),
        (
            "runtime/Cargo.toml",
            "[dependencies]\nserde = \"1\"\n\n[dev-dependencies.cg]\npackage = \"wiregen-codegen\"\n",
        ),
        ("runtime/src/lib.rs", "//! Runtime.\n"),
        (
            "generated/demo/Cargo.toml",
            "[dependencies]\nwiregen-runtime.workspace = true\ncompiler.workspace = true\n",
        ),
        (
            "generated/demo/src/lib.rs",
            "//! Demo. Not `wiregen_codegen` in a comment, but:\nuse wiregen_codegen as cg;\n",
        ),
        // A suite outside the one test binary.
        ("tests/tests/it/main.rs", "//! Tests.\n"),
        ("tests/tests/stray.rs", "//! A stray suite.\n"),
        ("ARCHITECTURE.md", MAP),
        // Documents naming paths that do not exist, and pointing outside.
        (
            "README.md",
            "Run `tests/missing.sh`; read `docs/missing.md`.\n",
        ),
        ("docs/guide.md", "See `vectors/none.json`.\n"),
        ("spec/demo/service.yaml", &facts),
        ("docs/setup.md", &outside),
        (
            "spec/demo/operations/Op.yaml",
            concat!(
                "source: an SDK\nlocation: https://",
                "pypi",
                ".org/project/sdk/1.0/\n"
            ),
        ),
    ]);
    let root = tree.path();
    let report = |check: Check| check(root).join("\n");

    let ir_only = report(deps::emitters_read_only_the_ir);
    for at in [
        "codegen/src/emit/mod.rs:4: names `crate::spec`",
        "codegen/src/emit/y.rs:4: names `crate::spec`",
        "codegen/src/emit/x.rs:3: names `crate::spec`",
        "codegen/src/ir.rs:2: names `crate::spec`",
    ] {
        assert!(ir_only.contains(at), "{at} in:\n{ir_only}");
    }
    assert_eq!(ir_only.lines().count(), 4, "{ir_only}");

    let runtime = report(compiler_free::runtime_never_depends_on_the_compiler);
    assert!(runtime.contains("runtime/Cargo.toml:4: `cg`"), "{runtime}");
    assert!(
        runtime.contains("generated/demo/Cargo.toml:3: `compiler`"),
        "{runtime}"
    );
    assert!(
        runtime.contains("generated/demo/src/lib.rs:2:"),
        "{runtime}"
    );
    assert_eq!(runtime.lines().count(), 3, "{runtime}");

    let docs = report(conventions::every_module_has_a_doc);
    assert_eq!(docs.lines().count(), 1, "{docs}");
    assert!(docs.contains("codegen/src/b.rs:1"), "{docs}");

    let cycles = report(deps::no_module_cycles);
    assert!(
        cycles.contains("codegen/src/emit: module cycle x -> y -> x"),
        "{cycles}"
    );
    assert!(
        cycles.contains("codegen/src: module cycle a -> b -> output -> a"),
        "{cycles}"
    );

    let map = report(deps::the_map_is_true);
    assert!(
        map.contains("codegen/src/emit/x.rs:4: `emit` uses `naming`"),
        "{map}"
    );
    assert!(
        map.contains("codegen/src/emit/mod.rs:4: `emit` uses `spec`"),
        "{map}"
    );
    assert!(
        map.contains(
            "codegen/src/naming: no row in ARCHITECTURE.md's code map (hint: add \
                      `| `codegen/src/naming.rs` | what it owns | nothing |`"
        ),
        "{map}"
    );
    assert!(
        map.contains("ARCHITECTURE.md:15: a row for `gone`"),
        "{map}"
    );
    assert!(
        map.contains("codegen/src/ir.rs:2: `ir` uses `spec`"),
        "{map}"
    );
    assert_eq!(map.lines().count(), 5, "{map}");

    let layout = report(conventions::one_output_layout);
    assert!(layout.contains("codegen/src/output.rs"), "{layout}");

    let binaries = report(conventions::tests_are_one_binary);
    assert!(binaries.contains("tests/tests/stray.rs"), "{binaries}");
    assert_eq!(binaries.lines().count(), 1, "{binaries}");

    let paths = report(references::document_paths_exist);
    for at in [
        "ARCHITECTURE.md:2: `codegen/src/gone.rs`",
        "ARCHITECTURE.md:15: `codegen/src/gone.rs`",
        "README.md:1: `tests/missing.sh`",
        "README.md:1: `docs/missing.md`",
        "docs/guide.md:1: `vectors/none.json`",
    ] {
        assert!(paths.contains(at), "{at} in:\n{paths}");
    }
    assert_eq!(paths.lines().count(), 5, "{paths}");

    let long = report(fn_length::functions_are_short);
    assert!(
        long.starts_with("`codegen/src/long.rs fn too_long` (line 2): 121 lines"),
        "{long}"
    );
    assert_eq!(long.lines().count(), 1, "{long}");

    let uncovered = report(diagnostics::every_diagnostic_has_a_case);
    assert!(
        uncovered.starts_with("\"no such file\" (codegen/src/lower.rs:5)"),
        "{uncovered}"
    );
    assert!(
        uncovered.contains("\"tabs are not allowed\" (codegen/src/lower.rs:6)"),
        "{uncovered}"
    );
    assert_eq!(uncovered.lines().count(), 2, "{uncovered}");

    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .status()
        .expect("git runs");
    assert!(git.success());
    let outside = report(references::nothing_refers_outside);
    assert!(outside.contains("docs/setup.md:1: refers to"), "{outside}");
    assert!(
        outside.contains("spec/demo/service.yaml:1: refers to"),
        "{outside}"
    );
    assert!(
        outside.contains(
            "spec/demo/operations/Op.yaml:2: cites a package by a registry's web address"
        ),
        "{outside}"
    );
    assert_eq!(outside.lines().count(), 3, "{outside}");
}

#[test]
fn a_dependency_under_a_licence_off_the_list_is_caught() {
    let package = |name: &str, licence: &str, deps: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
             license = \"{licence}\"\n\n[dependencies]\n{deps}"
        )
    };
    let app = package(
        "app",
        "MIT OR Apache-2.0",
        "copyleft = { path = \"../copyleft\" }\n",
    );
    let copyleft = package("copyleft", "GPL-3.0-only", "");
    let tree = scratch(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\nresolver = \"2\"\n",
        ),
        ("app/Cargo.toml", &app),
        ("app/src/lib.rs", "//! App.\n"),
        ("copyleft/Cargo.toml", &copyleft),
        ("copyleft/src/lib.rs", "//! Copyleft.\n"),
        (
            "Cargo.lock",
            "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\
             dependencies = [\n \"copyleft\",\n]\n\n[[package]]\nname = \"copyleft\"\nversion = \"0.1.0\"\n",
        ),
    ]);
    let problems = licences::licences_are_permissive(tree.path()).join("\n");
    assert!(
        problems.starts_with("copyleft 0.1.0: licence `GPL-3.0-only`"),
        "{problems}"
    );
    assert_eq!(problems.lines().count(), 1, "{problems}");
}

#[test]
fn unformatted_code_is_caught() {
    let tree = scratch(&[
        (
            "Cargo.toml",
            "[package]\nname = \"scratch\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
        ),
        ("src/lib.rs", "//! Scratch.\npub fn   spaced( )  {}\n"),
    ]);
    let problems = conventions::rustfmt_is_clean(tree.path()).join("\n");
    assert!(problems.contains("src/lib.rs"), "{problems}");
}
