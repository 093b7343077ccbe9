//! Workspace-level tests live in `tests/tests/it/` (one binary). This crate's documentation is
//! the README, so `cargo test` compiles the README's Rust examples as doctests
//! and they can not drift from the generated API.
#![doc = include_str!("../../README.md")]
