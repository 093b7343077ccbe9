//! Helpers shared by the client tests: what the server saw, and an
//! independent ACS3-HMAC-SHA256 checker.
//!
//! The checker is written from the published algorithm (docs/wire.md section 2)
//! with `hmac`/`sha2` directly and never calls the runtime's signer, so a bug
//! in the signer can not hide itself by being used to check itself.

pub mod acs3;
pub mod capture;
pub mod replay;
pub mod seen;
pub mod server;
pub mod sse;
