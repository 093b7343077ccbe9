//! Integration tests of the runtime, one binary (faster to link) with a module per concern.

mod common;
mod credentials;
mod echoed_secrets;
mod endpoint_env;
mod fault_server;
mod faults;
mod hostile;
mod interceptor;
mod secrets;
mod secrets_on_every_path;
mod signing;
mod sse;
mod vectors;
mod wire;
