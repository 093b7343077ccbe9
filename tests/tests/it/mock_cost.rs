//! No feature, no cost: a consumer that does not enable `mock` builds exactly what it built
//! before the mock existed (the mock's server side of hyper is not compiled), and enabling it
//! adds code but no crate (everything it uses is already in the tree through reqwest).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// `cargo tree` of the example consumer (normal dependencies), one line per package.
fn tree(format: &str, features: &[&str]) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the repo");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["tree", "--locked", "--offline", "--manifest-path"])
        .arg(root.join("examples/consumer/Cargo.toml"))
        .args(["-e", "normal", "--prefix", "none", "--format", format])
        .args(features)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| l.trim_end_matches(" (*)").to_owned())
        .collect()
}

#[test]
fn the_mock_feature_adds_no_crate_and_without_it_no_server_code() {
    let off = tree("{p}", &[]);
    let on = tree("{p}", &["--features", "rdsai/mock"]);
    assert!(off.iter().any(|p| p.starts_with("hyper ")), "{off:?}");
    assert_eq!(off, on, "enabling `mock` changed the consumer's crates");
    // hyper's server half is what the mock compiles in; without the feature it is left out.
    let hyper = |features: &[&str]| {
        tree("{p} [{f}]", features)
            .into_iter()
            .find(|l| l.starts_with("hyper v"))
            .expect("hyper in the tree")
    };
    let without = hyper(&[]);
    let with = hyper(&["--features", "rdsai/mock"]);
    assert!(!without.contains("server"), "{without}");
    assert!(with.contains("server"), "{with}");
}
