//! A crate's module tree read from its sources: which module each piece of
//! code names, through `use` trees of any depth, `super::super` chains,
//! `self::`, and re-exports (`crate::Client` where the root re-exports
//! `client::Client`), so the dependency checks see what the compiler sees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::files::{read, rust_files};
use super::lexer::{Kind, Token, is_path_sep, tokens};

/// A module path from the crate root (`["emit", "names"]`; empty for the root).
pub type ModPath = Vec<String>;

/// A path named in code, made absolute (from the crate root) where it
/// starts with `crate`, `super` or `self`; relative paths are tried as
/// children of the module they are written in.
#[derive(Debug, Clone)]
struct Named {
    segments: Vec<String>,
    line: usize,
}

/// What one module (a file, or an inline `mod x { }` in it) holds.
#[derive(Debug, Default)]
struct ModuleFacts {
    /// The file it is written in.
    file: PathBuf,
    /// Names brought in by `use`: the bound name to the absolute path.
    imports: BTreeMap<String, Vec<String>>,
    /// Targets of `use x::*`.
    globs: Vec<Vec<String>>,
    /// Items it defines (`fn`, `struct`, `mod`, ...), by name.
    defines: BTreeSet<String>,
    /// Every path it names, imports included.
    named: Vec<Named>,
}

/// One edge: `from` names something in `to`, at `file:line`.
#[derive(Debug, Clone)]
pub struct Use {
    /// The module that depends on `to`.
    pub to: ModPath,
    /// Where.
    pub file: PathBuf,
    /// The line.
    pub line: usize,
}

/// The modules of one source tree and what each names.
pub struct Crate {
    modules: BTreeMap<ModPath, ModuleFacts>,
}

/// How many re-exports a path is followed through before giving up (a `use`
/// cycle is a compile error, this only bounds the walk).
const MAX_REEXPORT_HOPS: usize = 16;

impl Crate {
    /// Reads every `.rs` file under `src` (`lib.rs` or `main.rs` is the root).
    pub fn read(src: &Path) -> Crate {
        let mut krate = Crate {
            modules: BTreeMap::new(),
        };
        for file in rust_files(src) {
            let module = module_of(src, &file);
            scan(&tokens(&read(&file)), &module, &file, &mut krate.modules);
        }
        krate
    }

    /// Every module, in order.
    pub fn modules(&self) -> impl Iterator<Item = &ModPath> {
        self.modules.keys()
    }

    /// The file a module is written in.
    pub fn file_of(&self, module: &[String]) -> Option<&Path> {
        self.modules.get(module).map(|m| m.file.as_path())
    }

    /// What `module` depends on: every other module whose items it names,
    /// with the first place it does.
    pub fn uses(&self, module: &ModPath) -> Vec<Use> {
        let Some(facts) = self.modules.get(module) else {
            return Vec::new();
        };
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for named in &facts.named {
            let Some(to) = self.resolve(&named.segments, 0) else {
                continue;
            };
            if to != *module && seen.insert(to.clone()) {
                out.push(Use {
                    to,
                    file: facts.file.clone(),
                    line: named.line,
                });
            }
        }
        out
    }

    /// The module an absolute path ends in, following re-exports of the
    /// item it names.
    fn resolve(&self, path: &[String], hops: usize) -> Option<ModPath> {
        let (module, rest) = (1..=path.len())
            .rev()
            .map(|n| (path[..n].to_vec(), &path[n..]))
            .chain(std::iter::once((Vec::new(), path)))
            .find(|(candidate, _)| self.modules.contains_key(candidate))?;
        let Some(item) = rest.first() else {
            return Some(module);
        };
        let facts = &self.modules[&module];
        if hops < MAX_REEXPORT_HOPS && !facts.defines.contains(item) {
            if let Some(target) = facts.imports.get(item) {
                let mut next = target.clone();
                next.extend_from_slice(&rest[1..]);
                return self.resolve(&next, hops + 1).or(Some(module));
            }
            for glob in &facts.globs {
                let Some(from) = self.resolve(glob, hops + 1) else {
                    continue;
                };
                let offers = self
                    .modules
                    .get(&from)
                    .is_some_and(|f| f.defines.contains(item) || f.imports.contains_key(item))
                    || self
                        .modules
                        .contains_key(&[from.clone(), vec![item.clone()]].concat());
                if offers {
                    let mut next = from;
                    next.extend_from_slice(rest);
                    return self.resolve(&next, hops + 1);
                }
            }
        }
        Some(module)
    }
}

/// The module a file holds: `emit/names.rs` is `emit::names`, `emit/mod.rs`
/// is `emit`, `lib.rs` and `main.rs` the root.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.len() == 1 && matches!(parts[0].as_str(), "lib" | "main") {
        parts.clear();
    } else if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Keywords that define an item named by the next identifier.
const ITEM_KEYWORDS: &[&str] = &[
    "fn",
    "struct",
    "enum",
    "union",
    "type",
    "const",
    "static",
    "trait",
    "mod",
    "macro_rules",
];

/// Records what the tokens of one file (module `file_module`) define,
/// import and name, each under the inline module it is written in.
fn scan(
    toks: &[Token],
    file_module: &ModPath,
    file: &Path,
    modules: &mut BTreeMap<ModPath, ModuleFacts>,
) {
    // Inline modules being read: name and the brace depth inside them.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let current = |inline: &[(String, usize)]| -> ModPath {
        let mut m = file_module.clone();
        m.extend(inline.iter().map(|(name, _)| name.clone()));
        m
    };
    let facts = |modules: &mut BTreeMap<ModPath, ModuleFacts>, m: ModPath| {
        let entry: &mut ModuleFacts = modules.entry(m).or_default();
        entry.file = file.to_path_buf();
    };
    facts(modules, current(&inline));
    let mut i = 0;
    while i < toks.len() {
        let here = current(&inline);
        let tok = &toks[i];
        match &tok.kind {
            Kind::Punct('{') => depth += 1,
            Kind::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Kind::Ident(word) if word == "use" => {
                let mut leaves = Vec::new();
                i = use_tree(toks, i + 1, Vec::new(), &mut leaves);
                for (relative, binds, line) in leaves {
                    let Some(path) = absolute(&here, &relative) else {
                        continue;
                    };
                    let entry = modules.entry(here.clone()).or_default();
                    entry.named.push(Named {
                        segments: path.clone(),
                        line,
                    });
                    match binds {
                        Some(name) => {
                            entry.imports.insert(name, path);
                        }
                        None => entry.globs.push(path),
                    }
                }
                continue;
            }
            Kind::Ident(word) if ITEM_KEYWORDS.contains(&word.as_str()) => {
                let name = toks.get(i + 1 + usize::from(word == "macro_rules"));
                if let Some(name) = name.and_then(Token::ident) {
                    modules
                        .entry(here.clone())
                        .or_default()
                        .defines
                        .insert(name.to_owned());
                    if word == "mod" && toks.get(i + 2).is_some_and(|t| t.is_punct('{')) {
                        inline.push((name.to_owned(), depth + 1));
                        facts(modules, current(&inline));
                    }
                }
            }
            Kind::Ident(word)
                if matches!(word.as_str(), "crate" | "super" | "self")
                    && is_path_sep(toks, i + 1)
                    && !(i >= 2 && is_path_sep(toks, i - 2)) =>
            {
                let (relative, next) = path_at(toks, i);
                if let Some(segments) = absolute(&here, &relative) {
                    modules.entry(here.clone()).or_default().named.push(Named {
                        segments,
                        line: tok.line,
                    });
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// The `a::b::c` starting at `toks[at]`, and the index after it.
fn path_at(toks: &[Token], at: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    let mut i = at;
    while let Some(name) = toks.get(i).and_then(Token::ident) {
        segments.push(name.to_owned());
        if is_path_sep(toks, i + 1) {
            i += 3;
        } else {
            i += 1;
            break;
        }
    }
    (segments, i)
}

/// Reads the use tree starting at `toks[at]` under `prefix`, pushing every
/// leaf as (path, the name it binds or `None` for a glob, line); returns
/// the index after the tree (after the `;` at the top level).
fn use_tree(
    toks: &[Token],
    at: usize,
    prefix: Vec<String>,
    leaves: &mut Vec<(Vec<String>, Option<String>, usize)>,
) -> usize {
    let mut path = prefix;
    let mut i = at;
    // A leading `::` names an external crate: nothing of this crate.
    if is_path_sep(toks, i) {
        i += 2;
        path.push("::".to_owned());
    }
    while let Some(tok) = toks.get(i) {
        let line = tok.line;
        match &tok.kind {
            Kind::Ident(name) => {
                i += 1;
                if is_path_sep(toks, i) {
                    path.push(name.clone());
                    i += 2;
                    continue;
                }
                let (full, bound) = if name == "self" {
                    let bound = path.last().cloned().unwrap_or_default();
                    (path.clone(), bound)
                } else {
                    let mut full = path.clone();
                    full.push(name.clone());
                    (full, name.clone())
                };
                let bound = if toks.get(i).is_some_and(|t| t.is_ident("as")) {
                    i += 2;
                    toks.get(i - 1)
                        .and_then(Token::ident)
                        .unwrap_or("_")
                        .to_owned()
                } else {
                    bound
                };
                leaves.push((full, Some(bound), line));
                return i;
            }
            Kind::Punct('*') => {
                leaves.push((path, None, line));
                return i + 1;
            }
            Kind::Punct('{') => {
                i += 1;
                while toks.get(i).is_some_and(|t| !t.is_punct('}')) {
                    i = use_tree(toks, i, path.clone(), leaves);
                    if toks.get(i).is_some_and(|t| t.is_punct(',')) {
                        i += 1;
                    }
                }
                return i + 1;
            }
            _ => return i,
        }
    }
    i
}

/// A path written in module `here` made absolute, or `None` when it names
/// another crate. `crate::`, `super::` (any number) and `self::` are
/// resolved; other paths are relative to `here` (2018 paths: a child
/// module), which resolution discards when no such child exists.
fn absolute(here: &ModPath, path: &[String]) -> Option<Vec<String>> {
    let first = path.first()?;
    if first == "::" {
        return None;
    }
    let mut base = here.clone();
    let mut rest = path;
    if first == "crate" {
        base.clear();
        rest = &path[1..];
    } else {
        while rest.first().is_some_and(|s| s == "super" || s == "self") {
            if rest[0] == "super" {
                base.pop()?;
            }
            rest = &rest[1..];
        }
    }
    base.extend(rest.iter().cloned());
    Some(base)
}
