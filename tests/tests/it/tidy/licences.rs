//! Dependency licences: every package in `Cargo.lock` is under a licence
//! from a short list of permissive ones, so a new dependency that would
//! change the terms wiregen can be used under fails a test, not a release.

use std::path::Path;
use std::process::Command;

/// Licences every package may be under (SPDX identifiers).
const PERMITTED: &[&str] = &[
    "MIT",
    "MIT-0",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "CC0-1.0",
    "Unlicense",
    "BSL-1.0",
];

/// Every package `cargo metadata` lists for the lock file has a permitted
/// licence. Packages only other platforms build are left out: offline,
/// cargo has not downloaded their manifests (the lock pins them all the same).
pub fn licences_are_permissive(root: &Path) -> Vec<String> {
    let host = match host_triple() {
        Ok(host) => host,
        Err(problem) => return vec![problem],
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = match Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(root)
        .output()
    {
        Ok(out) if out.status.success() => out,
        Ok(out) => {
            return vec![format!(
                "cargo metadata failed: {} (hint: is Cargo.lock current?)",
                String::from_utf8_lossy(&out.stderr).trim()
            )];
        }
        Err(e) => return vec![format!("cargo could not run: {e}")],
    };
    let metadata: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(value) => value,
        Err(e) => return vec![format!("cargo metadata printed no JSON: {e}")],
    };
    let mut problems = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or("?");
        let version = package["version"].as_str().unwrap_or("?");
        match package["license"].as_str() {
            Some(expression) if permitted(expression) == Ok(true) => {}
            Some(expression) => problems.push(format!(
                "{name} {version}: licence `{expression}` is not on the permitted list \
                 (hint: pick another crate, or add the licence to PERMITTED after checking \
                 its terms)"
            )),
            None => problems.push(format!(
                "{name} {version}: declares no SPDX licence (hint: read its licence file; \
                 pick another crate if it is not permissive)"
            )),
        }
    }
    problems
}

/// The platform this test runs on, as `rustc -vV` names it.
fn host_triple() -> Result<String, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("rustc could not run: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV named no host".to_owned())
}

/// Whether an SPDX expression can be satisfied with permitted licences:
/// `A OR B` needs one side, `A AND B` both, `A WITH exception` what `A`
/// needs (an exception only grants more). The old `A/B` spelling is `OR`.
fn permitted(expression: &str) -> Result<bool, String> {
    let spaced = expression
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace('/', " OR ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut at = 0;
    let value = any_of(&tokens, &mut at)?;
    if at != tokens.len() {
        return Err(format!("unexpected `{}`", tokens[at]));
    }
    Ok(value)
}

/// `all ( OR all )*`.
fn any_of(tokens: &[&str], at: &mut usize) -> Result<bool, String> {
    let mut value = all_of(tokens, at)?;
    while tokens.get(*at) == Some(&"OR") {
        *at += 1;
        value |= all_of(tokens, at)?;
    }
    Ok(value)
}

/// `one ( AND one )*`.
fn all_of(tokens: &[&str], at: &mut usize) -> Result<bool, String> {
    let mut value = one(tokens, at)?;
    while tokens.get(*at) == Some(&"AND") {
        *at += 1;
        value &= one(tokens, at)?;
    }
    Ok(value)
}

/// A licence (with an optional `WITH exception`) or a parenthesised expression.
fn one(tokens: &[&str], at: &mut usize) -> Result<bool, String> {
    let token = tokens.get(*at).ok_or("an expression ends early")?;
    *at += 1;
    let value = if *token == "(" {
        let value = any_of(tokens, at)?;
        if tokens.get(*at) != Some(&")") {
            return Err("an unclosed `(`".to_owned());
        }
        *at += 1;
        value
    } else {
        PERMITTED.contains(token)
    };
    if tokens.get(*at) == Some(&"WITH") {
        *at += 2;
    }
    Ok(value)
}

#[test]
fn licence_expressions_are_read_as_spdx_says() {
    assert_eq!(permitted("MIT OR Apache-2.0"), Ok(true));
    assert_eq!(permitted("MIT/Apache-2.0"), Ok(true));
    assert_eq!(permitted("(MIT OR Apache-2.0) AND Unicode-3.0"), Ok(true));
    assert_eq!(permitted("Apache-2.0 WITH LLVM-exception OR MIT"), Ok(true));
    assert_eq!(permitted("MIT AND GPL-3.0-only"), Ok(false));
    assert_eq!(permitted("GPL-3.0-only OR LGPL-2.1"), Ok(false));
    assert!(permitted("(MIT").is_err());
}
