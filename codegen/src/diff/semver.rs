//! The version bump each generated crate needs, by Cargo's semver rules,
//! and the check that the crate's version (from the spec's `crate.version`)
//! was bumped at least that much.
//!
//! Cargo treats the leftmost non-zero component as the major one: `1.2.3`
//! -> `2.0.0` breaks, `0.2.3` -> `0.3.0` breaks, and any `0.0.z` -> `0.0.z+1`
//! breaks. Additions need a minor bump from 1.0 on, and only a patch bump
//! before it (there is no separate "feature" component in 0.x).

use semver::Version;
use serde::Serialize;

use super::finding::{Finding, Impact};
use super::rules::Category;
use crate::ir::Api;

/// How much a set of changes demands, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing changed that a release must carry.
    None,
    /// Fixes and documentation.
    Patch,
    /// New API, deprecations, or behaviour that changes on the wire while
    /// the Rust API stays.
    Feature,
    /// Code written against the old crate breaks.
    Breaking,
}

impl Level {
    /// The level one finding demands: its Rust verdict decides breakage,
    /// since the crate's semver is about code that uses it.
    pub fn of(finding: &Finding) -> Level {
        match (finding.rust, finding.category()) {
            (Impact::Breaking, _) => Level::Breaking,
            (_, Category::Note) => Level::None,
            (_, Category::Added | Category::Deprecated) => Level::Feature,
            _ if finding.wire == Impact::Breaking => Level::Feature,
            _ => Level::Patch,
        }
    }

    /// Lowercase name (`breaking`).
    pub fn name(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Patch => "patch",
            Level::Feature => "feature",
            Level::Breaking => "breaking",
        }
    }
}

/// The version verdict for one crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrateVersion {
    /// Service (directory name).
    pub service: String,
    /// Cargo package name (the new one, or the old one for a removed service).
    pub crate_name: String,
    /// Version before; `None` for a new crate.
    pub old_version: Option<String>,
    /// Version after; `None` for a removed crate.
    pub new_version: Option<String>,
    /// What the changes demand.
    pub level: Level,
    /// The smallest version that carries the changes (the old version when
    /// nothing has to change); `None` for new and removed crates.
    pub required_version: Option<String>,
    /// Why the crate's version is not acceptable; `None` when it is.
    pub problem: Option<String>,
}

impl CrateVersion {
    /// The bump Cargo calls it, relative to the old version: `major`,
    /// `minor`, `patch` or `none`.
    pub fn bump_name(&self) -> &'static str {
        match (
            self.old_version
                .as_deref()
                .and_then(|v| Version::parse(v).ok()),
            self.level,
        ) {
            (_, Level::None) | (None, _) => "none",
            (Some(v), level) => match component(&v, level) {
                Component::Major => "major",
                Component::Minor => "minor",
                Component::Patch => "patch",
            },
        }
    }
}

/// One verdict per crate present on either side, by service name.
pub fn check(old: &Api, new: &Api, findings: &[Finding]) -> Vec<CrateVersion> {
    let mut names: Vec<&str> = old
        .services
        .iter()
        .chain(&new.services)
        .map(|s| s.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let before = old.services.iter().find(|s| s.name == name);
            let after = new.services.iter().find(|s| s.name == name);
            let level = findings.iter().filter(|f| f.service == name).map(Level::of).max().unwrap_or(Level::None);
            let mut out = CrateVersion {
                service: name.to_owned(),
                crate_name: after.or(before).map(|s| s.crate_name.clone()).unwrap_or_default(),
                old_version: before.map(|s| s.crate_version.clone()),
                new_version: after.map(|s| s.crate_version.clone()),
                level,
                required_version: None,
                problem: None,
            };
            if let (Some(old_v), Some(new_v)) = (&out.old_version, &out.new_version) {
                match (Version::parse(old_v), Version::parse(new_v)) {
                    (Ok(a), Ok(b)) => {
                        let required = required(&a, level);
                        if covered(&a, &b) < level {
                            out.problem = Some(format!(
                                "version {b} is too low for {} changes since {a}: needs {required} or later",
                                level.name()
                            ));
                        } else if b < a {
                            out.problem = Some(format!("version went backwards from {a} to {b}"));
                        }
                        out.required_version = Some(required.to_string());
                    }
                    (Err(e), _) | (_, Err(e)) => out.problem = Some(format!("crate version is not semver: {e}")),
                }
            }
            out
        })
        .collect()
}

/// Which component a bump of `level` moves, by Cargo's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Component {
    Major,
    Minor,
    Patch,
}

fn component(v: &Version, level: Level) -> Component {
    match (v.major, v.minor, level) {
        (0, 0, _) => Component::Patch,
        (0, _, Level::Breaking) => Component::Minor,
        (0, _, _) => Component::Patch,
        (_, _, Level::Breaking) => Component::Major,
        (_, _, Level::Feature) => Component::Minor,
        _ => Component::Patch,
    }
}

/// The smallest release after `v` that may carry changes of `level`.
pub fn required(v: &Version, level: Level) -> Version {
    if level == Level::None {
        return v.clone();
    }
    match component(v, level) {
        Component::Major => Version::new(v.major + 1, 0, 0),
        Component::Minor => Version::new(v.major, v.minor + 1, 0),
        Component::Patch => Version::new(v.major, v.minor, v.patch + 1),
    }
}

/// The largest level of change the step from `old` to `new` may carry.
fn covered(old: &Version, new: &Version) -> Level {
    let triple = |v: &Version| (v.major, v.minor, v.patch);
    if triple(new) <= triple(old) {
        return Level::None;
    }
    // Cargo's compatibility: same leftmost non-zero component.
    let compatible = match (old.major, old.minor) {
        (0, 0) => false,
        (0, minor) => new.major == 0 && new.minor == minor,
        (major, _) => new.major == major,
    };
    if !compatible {
        Level::Breaking
    } else if old.major == 0 || new.minor > old.minor {
        Level::Feature
    } else {
        Level::Patch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).expect("test version")
    }

    #[test]
    fn required_follows_cargo_rules() {
        assert_eq!(required(&v("0.1.3"), Level::Breaking), v("0.2.0"));
        assert_eq!(required(&v("0.1.3"), Level::Feature), v("0.1.4"));
        assert_eq!(required(&v("0.0.3"), Level::Patch), v("0.0.4"));
        assert_eq!(required(&v("1.2.3"), Level::Breaking), v("2.0.0"));
        assert_eq!(required(&v("1.2.3"), Level::Feature), v("1.3.0"));
        assert_eq!(required(&v("1.2.3"), Level::Patch), v("1.2.4"));
        assert_eq!(required(&v("1.2.3"), Level::None), v("1.2.3"));
    }

    #[test]
    fn covered_is_the_inverse_of_required() {
        for old in ["0.0.1", "0.1.0", "0.4.2", "1.0.0", "3.2.1"] {
            for level in [Level::Patch, Level::Feature, Level::Breaking] {
                let old = v(old);
                let new = required(&old, level);
                assert!(
                    covered(&old, &new) >= level,
                    "{old} -> {new} should cover {level:?}"
                );
            }
        }
        assert_eq!(covered(&v("0.1.0"), &v("0.1.1")), Level::Feature);
        assert_eq!(covered(&v("1.1.0"), &v("1.1.1")), Level::Patch);
        assert_eq!(covered(&v("1.1.0"), &v("1.1.0")), Level::None);
        assert_eq!(covered(&v("1.1.0"), &v("1.0.9")), Level::None);
    }
}
