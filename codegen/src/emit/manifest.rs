//! `Cargo.toml` of a generated crate: a complete package.
//!
//! Nothing is inherited from a workspace, so the crate builds wherever it is
//! written or copied: as a member of this repository's workspace, in a
//! user's repository, or packaged for a registry (`cargo package` accepts
//! it). As few dependencies as possible: the runtime (which re-exports
//! `serde_json` and `futures` for generated code) and `serde` for the derives.
//!
//! No `readme`: `lib.rs` carries the crate documentation (what docs.rs
//! shows), and a README.md a user writes beside the manifest stays theirs
//! (cargo packages it without a `readme` key, and `generate` removes only
//! files with its marker). No `repository` or `documentation`: they belong
//! to whoever publishes the crate; docs.rs is the registry's default.

use super::ServiceCtx;
use crate::format;

/// The runtime version generated code is written against. The compiler and
/// the runtime are released together (one `version` in the workspace's
/// `[workspace.package]`), so it is the compiler's own.
const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The oldest Rust the generated crates build with: the runtime's, which the
/// compiler shares (one `rust-version` in `[workspace.package]`; README,
/// "Minimum Rust version", says how it was found).
const RUST_VERSION: &str = env!("CARGO_PKG_RUST_VERSION");

/// The runtime's licence (shared the same way); generated code is the
/// compiler's templates filled in.
const LICENSE: &str = env!("CARGO_PKG_LICENSE");

/// `serde` as the runtime asks for it (the workspace's declaration; the
/// `manifest` integration test holds them equal).
const SERDE: &str = r#"{ version = "1", features = ["derive"] }"#;

/// The lints this repository holds generated code to: kept with the crate,
/// since a `[lints] workspace = true` would not resolve outside it.
const LINTS: &str = "[lints.rust]\nunsafe_code = \"forbid\"\nmissing_docs = \"warn\"\n\
                     unused_qualifications = \"warn\"\n";

/// The manifest text; `runtime_path` is the runtime's directory relative to
/// the crate's (`None`: the runtime by version only).
pub fn emit(ctx: &ServiceCtx<'_>, runtime_path: Option<&str>) -> String {
    let svc = ctx.svc;
    let service_yaml = svc
        .sources
        .iter()
        .find(|s| s.ends_with("service.yaml"))
        .map(String::as_str);
    let lines = format::header_lines(service_yaml, None);
    let description = format!("Generated client for {}", svc.title);
    let runtime = match runtime_path {
        Some(path) => format!(
            "{{ version = {}, path = {} }}",
            toml_string(RUNTIME_VERSION),
            toml_string(path)
        ),
        None => toml_string(RUNTIME_VERSION),
    };
    format!(
        "{header}\n[package]\nname = {name}\nversion = {version}\ndescription = {description}\n\
         edition = \"2024\"\nrust-version = {rust_version}\nlicense = {license}\n\n\
         # Generated code has no unit tests (its examples are doctests, which still run): \
         no empty test harness\n# for `cargo test` and `clippy --all-targets` to compile the \
         crate into again.\n[lib]\ntest = false\n\n\
         [dependencies]\nserde = {SERDE}\nwiregen-runtime = {runtime}\n\n\
         # A validating mock of the service for tests (`mock` module), off by default.\n\
         [features]\nmock = [\"wiregen-runtime/mock\"]\n\n{LINTS}",
        header = format::header(&lines, "#"),
        name = toml_string(&svc.crate_name),
        version = toml_string(&svc.crate_version),
        description = toml_string(&description),
        rust_version = toml_string(RUST_VERSION),
        license = toml_string(LICENSE),
    )
}

/// A TOML basic string; its escapes are a subset of JSON's.
fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::{RUNTIME_VERSION, RUST_VERSION};
    use crate::emit::generate_in;
    use crate::emit::tests::demo_api;
    use crate::layout::Layout;

    fn manifest(layout: &Layout) -> String {
        let files = generate_in(&demo_api(), layout);
        let file = files.iter().find(|f| f.path.ends_with("/Cargo.toml"));
        file.map(|f| f.contents.clone()).unwrap_or_default()
    }

    /// Every field a package needs is its own: a copy outside any
    /// workspace must not meet "error inheriting ... from workspace root".
    #[test]
    fn the_manifest_inherits_nothing() {
        let text = manifest(&Layout::repository());
        assert!(!text.contains("workspace"), "{text}");
        for line in [
            "name = \"demo\"\n".to_owned(),
            "edition = \"2024\"\n".to_owned(),
            format!("rust-version = \"{RUST_VERSION}\"\n"),
            "license = \"MIT OR Apache-2.0\"\n".to_owned(),
            "serde = { version = \"1\", features = [\"derive\"] }\n".to_owned(),
            "[lints.rust]\nunsafe_code = \"forbid\"\n".to_owned(),
        ] {
            assert!(text.contains(&line), "{line} missing from\n{text}");
        }
    }

    /// The runtime by version, with the layout's path when there is one.
    #[test]
    fn the_runtime_comes_by_version_and_an_optional_path() {
        let with_path = manifest(&Layout::repository());
        let expected = format!(
            "wiregen-runtime = {{ version = \"{RUNTIME_VERSION}\", path = \"../../runtime\" }}\n"
        );
        assert!(with_path.contains(&expected), "{with_path}");
        let registry = manifest(&Layout::crates_under("").with_runtime_path(None));
        let expected = format!("wiregen-runtime = \"{RUNTIME_VERSION}\"\n");
        assert!(registry.contains(&expected), "{registry}");
        let quoted =
            manifest(&Layout::crates_under("").with_runtime_path(Some(r#"C:\w "r""#.into())));
        assert!(quoted.contains(r#"path = "C:\\w \"r\"" }"#), "{quoted}");
    }
}
