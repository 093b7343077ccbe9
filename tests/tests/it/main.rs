//! The workspace tests, one binary (one link, cheap to add to) with a module
//! per concern: the compiler's diagnostics, IR, golden crates and
//! determinism; the API diff; the generated clients against local servers;
//! the README. Snapshots live in `snapshots/`, named `it__<module>__<case>`.
//! Accept new snapshots and goldens with `INSTA_UPDATE=always` (see
//! ARCHITECTURE.md, Testing).

mod bad_specs;
mod client_aicontent;
mod client_altatech;
mod client_production;
mod client_rdsai;
mod client_real_shapes;
mod compiler_contract;
mod decode_tolerance;
mod determinism;
mod diff_cli;
mod diff_response_body;
mod diff_rules;
mod diff_seed_era;
mod fuzz_loader;
mod golden;
mod import_hostile;
mod import_openmeta;
mod import_sdk;
mod ir_snapshots;
mod mock_checks;
mod mock_cost;
mod mock_rules;
mod mock_sdk_bytes;
mod mock_walk;
mod readme;
mod sdk_actions;
mod sdk_wire;
mod spec_examples;
mod support;
mod tidy;
mod walks;
