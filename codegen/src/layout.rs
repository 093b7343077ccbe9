//! Where generated files go: the output layout of one `generate` run, and
//! the file type every emitter returns.
//!
//! A leaf module (it depends on nothing in the crate), so the emitter that
//! produces [`OutputFile`]s and the writer that puts them on disk
//! ([`crate::output`]) both depend on it and not on each other. Every
//! directory name the generator writes under is decided here, once.

/// One file the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Repository-relative path with `/` separators (`generated/rdsai/src/lib.rs`).
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// Where one run writes: the directory holding one crate per service,
/// whether the spec JSON Schemas are written too, and where the crates find
/// the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Repository-relative directory of the crates (`generated`), or `""`
    /// when the crates sit directly in the output root.
    crates_dir: String,
    /// Whether the spec JSON Schemas (`spec/*.schema.json`) belong to the run.
    spec_schemas: bool,
    /// The runtime's directory relative to each crate's directory (`/`
    /// separators), written beside the runtime's version in the crates'
    /// manifests; `None`: by version only, from a registry.
    runtime_path: Option<String>,
}

impl Layout {
    /// The repository's own layout: crates under `generated/`, plus the spec
    /// JSON Schemas (what `cargo xtask generate` and `check` use).
    pub fn repository() -> Self {
        Layout {
            spec_schemas: true,
            ..Layout::crates_under("generated")
        }
    }

    /// Crates only, under `dir` (repository-relative; `""` puts each crate
    /// directly in the output root, as `cargo xtask generate --out` does),
    /// reaching the repository's `runtime/` by a relative path.
    pub fn crates_under(dir: &str) -> Self {
        let crates_dir = dir.trim_end_matches('/').to_owned();
        // One `..` out of the crate's own directory, one per level of `dir`.
        let depth = crates_dir
            .split('/')
            .filter(|part| !part.is_empty())
            .count();
        Layout {
            crates_dir,
            spec_schemas: false,
            runtime_path: Some(format!("{}runtime", "../".repeat(depth + 1))),
        }
    }

    /// The same layout with the runtime at `path` (relative to each crate's
    /// directory, or absolute), or by version only when `None`: for crates
    /// written outside the repository.
    pub fn with_runtime_path(mut self, path: Option<String>) -> Self {
        self.runtime_path = path;
        self
    }

    /// The runtime's path as the crates' manifests give it, if any.
    pub fn runtime_path(&self) -> Option<&str> {
        self.runtime_path.as_deref()
    }

    /// Whether the spec JSON Schemas are written with the crates.
    pub fn writes_spec_schemas(&self) -> bool {
        self.spec_schemas
    }

    /// The path of `relative` (`src/lib.rs`) in the crate of `service`.
    pub fn crate_file(&self, service: &str, relative: &str) -> String {
        if self.crates_dir.is_empty() {
            format!("{service}/{relative}")
        } else {
            format!("{}/{service}/{relative}", self.crates_dir)
        }
    }

    /// The directories the run owns: generated files found there that the
    /// run does not produce are orphans. The crates directory, or each
    /// service's directory when the crates sit in the output root (so
    /// nothing else there is touched).
    pub fn managed_dirs<'a>(&self, services: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        if self.crates_dir.is_empty() {
            services.into_iter().map(str::to_owned).collect()
        } else {
            vec![self.crates_dir.clone()]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Layout;

    #[test]
    fn paths_and_managed_dirs_follow_the_layout() {
        let repo = Layout::repository();
        assert_eq!(
            repo.crate_file("rdsai", "src/lib.rs"),
            "generated/rdsai/src/lib.rs"
        );
        assert_eq!(repo.managed_dirs(["rdsai", "altatech"]), ["generated"]);
        assert!(repo.writes_spec_schemas());
        assert_eq!(repo.runtime_path(), Some("../../runtime"));

        let golden = Layout::crates_under("tests/golden/");
        assert_eq!(
            golden.crate_file("demo", "Cargo.toml"),
            "tests/golden/demo/Cargo.toml"
        );
        assert!(!golden.writes_spec_schemas());
        assert_eq!(golden.runtime_path(), Some("../../../runtime"));

        let root = Layout::crates_under("");
        assert_eq!(root.crate_file("demo", "Cargo.toml"), "demo/Cargo.toml");
        assert_eq!(root.managed_dirs(["a", "b"]), ["a", "b"]);
        assert_eq!(root.runtime_path(), Some("../runtime"));
        let registry = root.with_runtime_path(None);
        assert_eq!(registry.runtime_path(), None);
    }
}
