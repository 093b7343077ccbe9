//! `cargo xtask`: generate, check and diff the API specs.

fn main() {}
