//! Workspace-level tests live in `tests/tests/it/` (one binary). This crate's documentation is
//! the README, and its [`guide`] module's is the user guide (`docs/guide.md`), so `cargo test`
//! compiles the Rust examples of both as doctests and they can not drift from the generated API.
#![doc = include_str!("../../README.md")]

/// The user guide, `docs/guide.md`, included here so that its examples are doctests.
#[doc = include_str!("../../docs/guide.md")]
pub mod guide {}
