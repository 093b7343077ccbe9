//! The spec compiler: load -> validate -> IR -> emit -> format.

pub mod diff;
pub mod ir;
pub mod spec;
