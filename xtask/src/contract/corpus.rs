//! The hostile-names corpus: names an adversary (or an unlucky API) would
//! use, each tried in every role a spec gives a name (operation, type,
//! field, parameter, enum value, crate name). Each one must be either
//! rejected with a diagnostic naming `file:line`, or accepted; accepted
//! names are then batched into as few services as possible (a name that
//! only collides with an earlier one in its batch starts the next batch),
//! so the build that follows stays short.

use wiregen_codegen::{SourceFile, compile_report};

/// Rust keywords: strict, reserved and weak (Rust 2024).
const KEYWORDS: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "crate",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "async",
    "await",
    "dyn",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "try",
    "gen",
    "union",
    "macro_rules",
    "raw",
    "safe",
    "auto",
    "default",
];

/// The std prelude and the primitive types.
const PRELUDE: &[&str] = &[
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "drop",
    "Box",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Future",
    "IntoFuture",
    "Debug",
    "Hash",
    "bool",
    "char",
    "str",
    "i32",
    "u64",
    "f64",
    "usize",
    "std",
    "core",
    "alloc",
    "serde",
    "wiregen_runtime",
];

/// Methods of the generated `Client`, builders and models, and the names of
/// generated modules and files.
const GENERATED: &[&str] = &[
    "new",
    "from_env",
    "from_runtime",
    "runtime",
    "clone",
    "fmt",
    "send",
    "prepare",
    "into_stream",
    "stream",
    "to_request",
    "set_send",
    "client",
    "client_",
    "inner",
    "OPERATION",
    "SERVICE",
    "Client",
    "Config",
    "Error",
    "lib",
    "client",
    "models",
    "errors",
    "operations",
    "Cargo",
    "main",
    "build",
    "Unknown",
    "as_str",
    "with_x",
    "Request",
    "ErrorCode",
];

/// Names that differ only in case or by `_`, and non-ASCII names.
const LOOKALIKES: &[&str] = &[
    "Thing",
    "thing",
    "THING",
    "t_hing",
    "_thing",
    "thing_",
    "Th_ing",
    "_",
    "__",
    "x",
    "X",
    "中文",
    "café",
    "Ünïcödé",
    "😀",
    "a b",
    "a-b",
    "a.b",
    "1abc",
    "ABc",
    "AbC",
    "a__b",
];

/// Every corpus name once, in a fixed order.
pub fn names() -> Vec<&'static str> {
    let mut seen = std::collections::HashSet::new();
    [KEYWORDS, PRELUDE, GENERATED, LOOKALIKES]
        .concat()
        .into_iter()
        .filter(|n| seen.insert(*n))
        .collect()
}

/// Where a name is put in a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Operation,
    Type,
    Field,
    Param,
    EnumValue,
    Crate,
}

pub const ROLES: [Role; 6] = [
    Role::Operation,
    Role::Type,
    Role::Field,
    Role::Param,
    Role::EnumValue,
    Role::Crate,
];

/// A name as a YAML scalar (JSON strings are YAML double-quoted scalars).
fn q(name: &str) -> String {
    serde_json::Value::String(name.to_owned()).to_string()
}

fn service_yaml(service: &str, krate: &str) -> String {
    format!(
        "service: {service}\ntitle: Hostile names\ncrate: {{ name: {}, version: 0.1.0 }}\n\
         protocol: rest-json\nendpoints: {{ default: https://h.example.com }}\n\
         auth: {{ kind: bearer, env: HOSTILE_KEY }}\nerrors: {{ shapes: [code-message] }}\n",
        q(krate)
    )
}

/// An operation file: `params` and `types` are YAML lines already indented.
fn op_yaml(op: &str, params: &str, response: &str, types: &str) -> String {
    format!(
        "operation: {}\nsummary: Does it.\nidempotent: true\nhttp: {{ method: POST, path: /x }}\n\
         params:\n{params}response: {response}\ntypes:\n{types}",
        q(op)
    )
}

/// The spec files of one service holding every name of `batch` in `role`.
pub fn service_files(service: &str, role: Role, batch: &[&str]) -> Vec<SourceFile> {
    let krate = if role == Role::Crate {
        batch.first().copied().unwrap_or(service)
    } else {
        service
    };
    let mut files = vec![SourceFile::new(
        format!("{service}/service.yaml"),
        service_yaml(service, krate),
    )];
    let out_type = "  Out:\n    fields:\n      - { name: id, type: string }\n";
    let mut op = |name: &str, params: &str, response: &str, types: &str| {
        files.push(SourceFile::new(
            format!("{service}/operations/{name}.yaml"),
            op_yaml(name, params, response, types),
        ));
    };
    let body = "  - { name: body, in: body, type: In }\n";
    match role {
        Role::Operation => {
            // Types are service-wide: only the first file declares `Out`.
            for (i, name) in batch.iter().enumerate() {
                op(
                    name,
                    "  []\n",
                    "Out",
                    if i == 0 { out_type } else { "  {}\n" },
                );
            }
        }
        Role::Type => {
            let mut types = String::new();
            let mut out =
                String::from("  Wrap:\n    fields:\n      - { name: id, type: string }\n");
            let mut input =
                String::from("  In:\n    fields:\n      - { name: id, type: string }\n");
            for (i, name) in batch.iter().enumerate() {
                types.push_str(&format!(
                    "  {}:\n    fields:\n      - {{ name: x, type: string }}\n",
                    q(name)
                ));
                out.push_str(&format!("      - {{ name: f{i}, type: {} }}\n", q(name)));
                input.push_str(&format!("      - {{ name: g{i}, type: {} }}\n", q(name)));
            }
            op("Make", body, "Wrap", &format!("{types}{out}{input}"));
        }
        Role::Field => {
            let fields: String = batch
                .iter()
                .map(|name| format!("      - {{ name: {}, type: string }}\n", q(name)))
                .collect();
            let types = format!(
                "  Obj:\n    fields:\n      - {{ name: id0, type: string }}\n{fields}  In:\n    fields:\n      - {{ name: id0, type: string }}\n{fields}"
            );
            op("Make", body, "Obj", &types);
        }
        Role::Param => {
            let params: String = batch
                .iter()
                .map(|name| format!("  - {{ name: {}, in: query, type: string }}\n", q(name)))
                .collect();
            op("Make", &params, "Out", out_type);
        }
        Role::EnumValue => {
            let values: String = batch
                .iter()
                .map(|name| format!("      - {{ value: {} }}\n", q(name)))
                .collect();
            let types = format!(
                "  Kind:\n    enum:\n      - {{ value: plain }}\n{values}  Obj:\n    fields:\n      - {{ name: kind, type: Kind }}\n"
            );
            op(
                "Make",
                "  - { name: kind, in: query, type: Kind }\n",
                "Obj",
                &types,
            );
        }
        Role::Crate => op("Make", "  []\n", "Out", out_type),
    }
    files
}

/// What happened to each name in one role.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Accepted names, in batches that compile together.
    pub batches: Vec<Vec<&'static str>>,
    /// Rejected names, with the first error (rendered `file:line: message`).
    pub rejected: Vec<(&'static str, String)>,
    /// Names whose rejection did not name a file and line: contract broken.
    pub unplaced: Vec<(&'static str, String)>,
}

/// Tries every corpus name in `role`.
pub fn classify(role: Role) -> Outcome {
    let mut outcome = Outcome::default();
    let service = "hostile".to_owned();
    for name in names() {
        let compiled = compile_report(&service_files(&service, role, &[name]));
        if compiled.api.is_some() {
            place(&mut outcome.batches, name, |batch| {
                if role == Role::Crate {
                    // One crate per name: crate names can not share a crate.
                    return batch.is_empty();
                }
                let mut with = batch.to_vec();
                with.push(name);
                compile_report(&service_files(&service, role, &with))
                    .api
                    .is_some()
            });
            continue;
        }
        let first = compiled.diagnostics.iter().find(|d| d.is_error());
        match first {
            Some(d) if d.line >= 1 && !d.file.is_empty() => outcome
                .rejected
                .push((name, format!("{}:{}: {}", d.file, d.line, d.message))),
            Some(d) => outcome.unplaced.push((name, d.render())),
            None => outcome
                .unplaced
                .push((name, "rejected without an error".to_owned())),
        }
    }
    outcome
}

/// Puts `name` into the first batch `fits` accepts, or a new one.
fn place(
    batches: &mut Vec<Vec<&'static str>>,
    name: &'static str,
    fits: impl Fn(&[&'static str]) -> bool,
) {
    match batches.iter_mut().find(|b| fits(b)) {
        Some(batch) => batch.push(name),
        None => batches.push(vec![name]),
    }
}
