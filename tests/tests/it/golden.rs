//! Golden files: the fixture specs under `tests/fixtures/specs/` compiled to
//! crates under `tests/golden/`, which are workspace members, so CI builds,
//! lints and documents them like `generated/`.
//!
//! This test regenerates them in memory and fails when the committed files
//! differ (showing the first differing lines). To accept a generator change,
//! the same switch that accepts snapshots: `INSTA_UPDATE=always cargo test
//! -p wiregen-tests --test it golden`. It also checks
//! that `generated/` is fresh (what `cargo xtask check` checks).

use std::path::{Path, PathBuf};

use wiregen_codegen::output::{self, OutputSet};
use wiregen_codegen::{Layout, compile_dir, render_all};

fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn golden_set(root: &Path) -> OutputSet {
    let compiled = compile_dir(&root.join("tests/fixtures/specs"));
    let Some(api) = compiled.api else {
        panic!(
            "fixture specs are invalid:\n{}",
            render_all(&compiled.diagnostics)
        );
    };
    output::for_api(&api, &Layout::crates_under("tests/golden"))
}

#[test]
fn golden_crates_match_the_generator() {
    let root = repo_root();
    let set = golden_set(&root);
    // One switch accepts both snapshots (insta reads it too) and goldens.
    if std::env::var("INSTA_UPDATE").is_ok_and(|mode| mode == "always") {
        let (changes, _) = output::plan(&root, &set).expect("read tests/golden");
        output::apply(&root, &changes).expect("write tests/golden");
        for change in &changes {
            eprintln!("blessed {}", change.path());
        }
        return;
    }
    if let Err(stale) = output::check_fresh(&root, &set) {
        let report: Vec<String> = stale.iter().map(ToString::to_string).collect();
        panic!(
            "{}\n{} golden files are out of date\nrun: INSTA_UPDATE=always cargo test -p wiregen-tests --test it golden",
            report.join("\n"),
            stale.len()
        );
    }
}

#[test]
fn every_fixture_feature_reaches_the_golden_code() {
    let root = repo_root();
    let set = golden_set(&root);
    let text = |suffix: &str| -> &str {
        set.files
            .iter()
            .find(|f| f.path.ends_with(suffix))
            .map(|f| f.contents.as_str())
            .unwrap_or_else(|| panic!("no {suffix}"))
    };
    let models = text("kitchen/src/models.rs");
    // Keywords and odd names keep their wire names verbatim, on the way in and out.
    for wire in ["type", "match", "self", "2fa", "Int64Value"] {
        assert!(
            models.contains(&format!("object.field(\"{wire}\")"))
                || models.contains(&format!("object.required(\"{wire}\")")),
            "{wire} is not decoded under its wire name"
        );
        assert!(
            models.contains(&format!("members.put_some(\"{wire}\""))
                || models.contains(&format!("members.put(\"{wire}\"")),
            "{wire} is not written under its wire name"
        );
    }
    assert!(models.contains("object.accept_older(\"Label\", &[\"label\", \"LABEL\"])"));
    assert!(models.contains("object.lenient_required(\"Flag\")"));
    // No serde derive on models: decoding and writing go through the runtime.
    assert!(!models.contains("derive(Debug, Clone, PartialEq, Default, serde::"));
    assert!(!models.contains("#[serde("));
    assert!(models.contains("#[deprecated]"));
    // An enum value spelled `Unknown` does not take the catch-all's name.
    assert!(
        models.contains("UnknownValue,")
            && models.contains("Unknown(wiregen_runtime::UnknownValue),")
    );
    let cursor = text("kitchen/src/operations/list_by_cursor.rs");
    assert!(cursor.contains("request.path(\"ShelfId\""));
    assert!(cursor.contains("request.header(\"x-kitchen-trace\""));
    assert!(cursor.contains("request.query_json(\"Filter\""));
    assert!(cursor.contains("paginate::cursor"));
    assert!(text("kitchen/src/operations/list_by_first_cursor.rs").contains("CursorFrom::First"));
    assert!(text("kitchen/src/operations/list_by_page.rs").contains("paginate::pages"));
    assert!(text("kitchen/src/operations/list_by_token.rs").contains("paginate::tokens"));
    assert!(text("kitchen/src/operations/stream_events.rs").contains("send_sse"));
    assert!(text("plain/src/operations/create_note.rs").contains("json_body"));
}

/// The committed `generated/` crates and spec schemas are what `cargo xtask
/// generate` would write now (the same check `cargo xtask check` makes).
#[test]
fn generated_crates_match_the_specs() {
    let root = repo_root();
    let compiled = compile_dir(&root.join("spec"));
    let Some(api) = compiled.api else {
        panic!("spec/ is invalid:\n{}", render_all(&compiled.diagnostics));
    };
    if let Err(stale) = output::check_fresh(&root, &output::for_api(&api, &Layout::repository())) {
        let report: Vec<String> = stale.iter().map(ToString::to_string).collect();
        panic!("{}\nrun: cargo xtask generate", report.join("\n"));
    }
}
