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

/// Where one run writes: the directory holding one crate per service, and
/// whether the spec JSON Schemas are written too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Repository-relative directory of the crates (`generated`), or `""`
    /// when the crates sit directly in the output root.
    crates_dir: String,
    /// Whether the spec JSON Schemas (`spec/*.schema.json`) belong to the run.
    spec_schemas: bool,
}

impl Layout {
    /// The repository's own layout: crates under `generated/`, plus the spec
    /// JSON Schemas (what `cargo xtask generate` and `check` use).
    pub fn repository() -> Self {
        Layout {
            crates_dir: "generated".to_owned(),
            spec_schemas: true,
        }
    }

    /// Crates only, under `dir` (repository-relative; `""` puts each crate
    /// directly in the output root, as `cargo xtask generate --out` does).
    pub fn crates_under(dir: &str) -> Self {
        Layout {
            crates_dir: dir.trim_end_matches('/').to_owned(),
            spec_schemas: false,
        }
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

        let golden = Layout::crates_under("tests/golden/");
        assert_eq!(
            golden.crate_file("demo", "Cargo.toml"),
            "tests/golden/demo/Cargo.toml"
        );
        assert!(!golden.writes_spec_schemas());

        let root = Layout::crates_under("");
        assert_eq!(root.crate_file("demo", "Cargo.toml"), "demo/Cargo.toml");
        assert_eq!(root.managed_dirs(["a", "b"]), ["a", "b"]);
    }
}
