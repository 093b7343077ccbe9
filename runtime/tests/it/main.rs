//! Integration tests of the runtime, one binary (faster to link) with a module per concern.

mod common;
mod credentials;
mod faults;
mod secrets;
mod signing;
mod sse;
mod wire;
