//! The generator's output depends only on the specs' contents: the same
//! files in any order give the same bytes, run after run.

use std::path::Path;

use wiregen_codegen::{SourceFile, compile, generate, read_spec_dir, render_all};

fn outputs(files: &[SourceFile]) -> Vec<(String, String)> {
    let api = compile(files).unwrap_or_else(|d| panic!("invalid specs:\n{}", render_all(&d)));
    generate(&api)
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect()
}

/// A fixed permutation (no randomness in tests): a stride walk over the list.
fn shuffled(files: &[SourceFile]) -> Vec<SourceFile> {
    let n = files.len();
    let stride = (1..n).rev().find(|s| gcd(*s, n) == 1).unwrap_or(1);
    (0..n)
        .map(|i| files[(i * stride + n / 2) % n].clone())
        .collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn check(dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .join(dir);
    let files = read_spec_dir(&root).unwrap_or_else(|d| panic!("{}", render_all(&d)));
    assert!(files.len() > 2, "{dir} has too few spec files to shuffle");
    let first = outputs(&files);
    let mut reversed = files.clone();
    reversed.reverse();
    let shuffled = shuffled(&files);
    assert_ne!(
        shuffled.iter().map(|f| &f.path).collect::<Vec<_>>(),
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    assert_eq!(first, outputs(&files), "{dir}: a second run differs");
    assert_eq!(
        first,
        outputs(&reversed),
        "{dir}: reversed file order differs"
    );
    assert_eq!(
        first,
        outputs(&shuffled),
        "{dir}: shuffled file order differs"
    );
}

#[test]
fn real_specs_generate_the_same_bytes_in_any_order() {
    check("spec");
}

#[test]
fn fixture_specs_generate_the_same_bytes_in_any_order() {
    check("tests/fixtures/specs");
}
