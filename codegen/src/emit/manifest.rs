//! `Cargo.toml` of a generated crate.
//!
//! As few dependencies as possible: the runtime (which re-exports
//! `serde_json` and `futures` for generated code) and `serde` for the derives.

use super::ServiceCtx;
use crate::format;

/// The manifest text.
pub fn emit(ctx: &ServiceCtx<'_>) -> String {
    let svc = ctx.svc;
    let service_yaml = svc
        .sources
        .iter()
        .find(|s| s.ends_with("service.yaml"))
        .map(String::as_str);
    let lines = format::header_lines(service_yaml, None);
    let description = format!("Generated client for {}", svc.title);
    format!(
        "{header}\n[package]\nname = {name}\nversion = {version}\ndescription = {description}\n\
         edition = \"2024\"\nrust-version.workspace = true\nlicense.workspace = true\n\
         publish.workspace = true\n\n[dependencies]\nserde.workspace = true\n\
         wiregen-runtime.workspace = true\n\n\
         # A validating mock of the service for tests (`mock` module), off by default.\n\
         [features]\nmock = [\"wiregen-runtime/mock\"]\n\n[lints]\nworkspace = true\n",
        header = format::header(&lines, "#"),
        name = toml_string(&svc.crate_name),
        version = toml_string(&svc.crate_version),
        description = toml_string(&description),
    )
}

/// A TOML basic string; its escapes are a subset of JSON's.
fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
