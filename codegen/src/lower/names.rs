//! Duplicate and collision detection for one namespace (the fields of a
//! type, the parameters of an operation, the types of a service...).
//!
//! Two different wire names that give the same Rust name (`LastId` and
//! `last_id`) would make uncompilable code, so they are reported where the
//! second one is declared, naming the first. A namespace also holds the
//! names the generator itself takes there (`Client::new`, `operations/mod.rs`,
//! the std prelude in `models.rs`): claiming one of those is reported with
//! why it is taken. Lookups are hashed, so a service costs linear time.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::ir::RustName;
use crate::load::FileCtx;
use crate::yaml_tree::Part;

/// Where a name was declared. Located (`file:line`) only when a message
/// needs it: nearly every name is declared once, and locating costs more
/// than the rest of a claim.
struct Place<'c> {
    ctx: &'c FileCtx<'c>,
    yaml_path: String,
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.ctx.path, self.ctx.line_of(&self.yaml_path))
    }
}

/// One namespace.
pub struct Namespace<'c> {
    /// What the names are, for messages: `field`, `parameter`, `type`.
    what: &'static str,
    by_wire: HashMap<String, Place<'c>>,
    /// Rust name -> the wire name that took it first.
    by_rust: HashMap<String, String>,
    /// Rust names the generated code already uses here, with why.
    reserved: HashMap<&'static str, &'static str>,
}

impl<'c> Namespace<'c> {
    /// An empty namespace of `what`s.
    pub fn new(what: &'static str) -> Self {
        Namespace {
            what,
            by_wire: HashMap::new(),
            by_rust: HashMap::new(),
            reserved: HashMap::new(),
        }
    }

    /// Marks Rust `names` as taken by the generated code, `why` saying by
    /// what (`a method of every generated Client`).
    pub fn reserve(mut self, names: &[&'static str], why: &'static str) -> Self {
        self.reserved.extend(names.iter().map(|name| (*name, why)));
        self
    }

    /// Declares `wire` (Rust name `rust`) at `yaml_path` of `ctx`; returns
    /// false (and reports) when the wire name is taken or the Rust name
    /// collides.
    pub fn claim(
        &mut self,
        wire: &str,
        rust: &RustName,
        ctx: &'c FileCtx<'c>,
        yaml_path: &str,
        out: &mut Vec<Diagnostic>,
    ) -> bool {
        let what = self.what;
        if let Some(first) = self.by_wire.get(wire) {
            out.push(
                ctx.error(yaml_path, Part::Key, format!("duplicate {what} `{wire}`"))
                    .hint(format!("`{wire}` is already declared at {first}")),
            );
            return false;
        }
        if let Some(why) = self.reserved.get(rust.0.as_str()) {
            out.push(
                ctx.error(
                    yaml_path,
                    Part::Key,
                    format!(
                        "{what} `{wire}` becomes `{}` in Rust, which is taken: {why}",
                        rust.0
                    ),
                )
                .hint(format!("rename the {what}")),
            );
            return false;
        }
        if let Some((first_wire, first_place)) = self
            .by_rust
            .get(&rust.0)
            .and_then(|w| self.by_wire.get_key_value(w))
        {
            out.push(
                ctx.error(
                    yaml_path,
                    Part::Key,
                    format!("{what}s `{first_wire}` and `{wire}` both become `{}` in Rust", rust.0),
                )
                .hint(format!(
                    "`{first_wire}` is declared at {first_place}; rename one of them (names may not differ only in case or underscores)",
                )),
            );
            return false;
        }
        let place = Place {
            ctx,
            yaml_path: yaml_path.to_owned(),
        };
        self.by_wire.insert(wire.to_owned(), place);
        self.by_rust.insert(rust.0.clone(), wire.to_owned());
        true
    }

    /// Whether the wire name is taken.
    pub fn contains_wire(&self, wire: &str) -> bool {
        self.by_wire.contains_key(wire)
    }
}
