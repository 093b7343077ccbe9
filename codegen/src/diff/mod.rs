//! `cargo xtask diff`: what changed between two versions of the specs, whom
//! it breaks, and the version bump each generated crate needs.
//!
//! Pipeline: both sides are loaded and validated by the normal compiler
//! ([`crate::compile`]), [`engine::diff`] compares the two IRs into
//! [`Finding`]s (one per root cause, each under a [`Rule`] of the catalogue
//! in [`rules`]), [`semver`] turns them into a bump per crate, and the report
//! modules render text, Markdown, JSON or changelog sections.

pub mod changelog;
pub mod cli;
pub mod engine;
pub mod finding;
pub mod git;
pub mod json;
pub mod markdown;
pub mod report;
pub mod rules;
pub mod semver;
pub mod text;

pub use cli::{Format, Input, Options, Outcome, run};
pub use engine::diff;
pub use finding::{Finding, Impact};
pub use report::Report;
pub use rules::{Category, Rule};
