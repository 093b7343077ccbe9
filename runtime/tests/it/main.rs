//! Integration tests of the runtime, one binary (faster to link) with a module per concern.

mod common;
mod signing;
mod wire;
mod faults;
mod sse;
mod secrets;
