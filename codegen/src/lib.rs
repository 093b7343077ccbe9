//! The spec compiler: load -> validate -> IR -> emit -> format.

mod compile;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod examples;
pub mod format;
pub mod import;
pub mod ir;
pub mod layout;
mod load;
mod lower;
pub mod naming;
pub mod output;
mod parallel;
pub mod schema;
pub mod source;
pub mod spec;
mod structure;
mod type_expr;
pub mod yaml_tree;

pub use compile::{Compiled, compile, compile_dir, compile_report};
pub use diagnostic::{Diagnostic, Severity, render_all};
pub use emit::generate;
pub use layout::{Layout, OutputFile};
pub use source::{SourceFile, read_spec_dir};
pub use type_expr::MAX_TYPE_DEPTH;
