//! Matching upstream's types to the curated ones by position, so drift
//! compares shapes, not names.
//!
//! The importer names a type after where it sits (`GetConversationsResponseData`);
//! a curated spec names it after what it is (`Conversation`). Compared by
//! name, every such type would show up as a retype plus every field removed
//! and added. Here both sides are walked in parallel from each operation they
//! share (parameters by name, the response, the stream event, then fields by
//! wire name, through lists and maps), and each upstream type met at the
//! place of a curated one is renamed to it before the diff engine runs, so
//! only real differences remain. A type met at the places of two different
//! types on the other side is left under its own name and reported.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::{OperationSpec, TypeDef};
use crate::type_expr::{self, TypeExpr};

/// One side of the comparison: its operations and service-wide types.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The operations.
    pub operations: &'a [OperationSpec],
    /// The service's shared types.
    pub types: &'a BTreeMap<String, TypeDef>,
}

impl<'a> Side<'a> {
    /// Every named type of the side (operation types and shared types share
    /// one namespace per service).
    fn all_types(&self) -> BTreeMap<&'a str, &'a TypeDef> {
        let mut all: BTreeMap<&str, &TypeDef> =
            self.types.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for op in self.operations {
            all.extend(op.types.iter().map(|(k, v)| (k.as_str(), v)));
        }
        all
    }
}

/// How upstream's types map onto the curated names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// Upstream name -> curated name, for the types renamed (never identical).
    pub renames: BTreeMap<String, String>,
    /// Types met at the places of more than one type of the other side (or
    /// whose curated name upstream already uses), left under their own name.
    pub conflicts: Vec<String>,
}

/// Matches upstream's types to the curated ones by position.
pub fn match_types(curated: Side<'_>, upstream: Side<'_>) -> Matching {
    let mut walk = Walk {
        curated: curated.all_types(),
        upstream: upstream.all_types(),
        seen: BTreeSet::new(),
    };
    for c in curated.operations {
        let Some(u) = upstream
            .operations
            .iter()
            .find(|u| u.operation == c.operation)
        else {
            continue;
        };
        for cp in &c.params {
            if let Some(up) = u.params.iter().find(|up| up.name == cp.name) {
                walk.exprs(&cp.ty, &up.ty);
            }
        }
        walk.exprs(&c.response, &u.response);
        if let (Some(cs), Some(us)) = (&c.streaming, &u.streaming) {
            walk.exprs(&cs.event, &us.event);
        }
    }
    resolve(&walk.seen, &walk.upstream)
}

/// The parallel walk: every (curated, upstream) pair of named types met at
/// the same place.
struct Walk<'a> {
    curated: BTreeMap<&'a str, &'a TypeDef>,
    upstream: BTreeMap<&'a str, &'a TypeDef>,
    /// (curated, upstream) pairs met so far; also what stops loops.
    seen: BTreeSet<(String, String)>,
}

impl Walk<'_> {
    fn exprs(&mut self, curated: &str, upstream: &str) {
        if let (Ok(c), Ok(u)) = (type_expr::parse(curated), type_expr::parse(upstream)) {
            self.parsed(&c, &u);
        }
    }

    fn parsed(&mut self, curated: &TypeExpr, upstream: &TypeExpr) {
        match (curated, upstream) {
            (TypeExpr::List(c), TypeExpr::List(u)) | (TypeExpr::Map(c), TypeExpr::Map(u)) => {
                self.parsed(c, u)
            }
            (TypeExpr::Named(c), TypeExpr::Named(u)) => self.named(c, u),
            // Different shapes (a list against an object, a string against
            // an enum): nothing to match, the diff reports the difference.
            _ => {}
        }
    }

    fn named(&mut self, curated: &str, upstream: &str) {
        if !self.seen.insert((curated.to_owned(), upstream.to_owned())) {
            return;
        }
        let (Some(c), Some(u)) = (self.curated.get(curated), self.upstream.get(upstream)) else {
            return;
        };
        let (Some(cf), Some(uf)) = (&c.fields, &u.fields) else {
            return;
        };
        let pairs: Vec<(String, String)> = cf
            .iter()
            .filter_map(|f| {
                uf.iter()
                    .find(|g| g.name == f.name)
                    .map(|g| (f.ty.clone(), g.ty.clone()))
            })
            .collect();
        for (c, u) in pairs {
            self.exprs(&c, &u);
        }
    }
}

/// The renames the pairs allow: one-to-one pairs only, and never onto a name
/// another upstream type keeps.
fn resolve(seen: &BTreeSet<(String, String)>, upstream: &BTreeMap<&str, &TypeDef>) -> Matching {
    let mut by_upstream: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut by_curated: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (c, u) in seen {
        by_upstream.entry(u).or_default().insert(c);
        by_curated.entry(c).or_default().insert(u);
    }
    let list = |names: &BTreeSet<&str>| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut conflicts = Vec::new();
    for (u, cs) in &by_upstream {
        if cs.len() > 1 {
            conflicts.push(format!(
                "upstream type `{u}` sits where the curated spec has {}: left under its own name",
                list(cs)
            ));
        }
    }
    for (c, us) in &by_curated {
        if us.len() > 1 {
            conflicts.push(format!(
                "curated type `{c}` sits where upstream has {}: none renamed to it",
                list(us)
            ));
        }
    }
    let mut renames: BTreeMap<String, String> = by_upstream
        .iter()
        .filter_map(|(u, cs)| {
            let c = *cs.first()?;
            (cs.len() == 1 && by_curated.get(c).is_some_and(|us| us.len() == 1) && c != *u)
                .then(|| ((*u).to_owned(), c.to_owned()))
        })
        .collect();
    // A curated name upstream uses for a type of its own, which keeps it.
    let taken: Vec<String> = renames
        .iter()
        .filter(|(_, c)| upstream.contains_key(c.as_str()) && !renames.contains_key(c.as_str()))
        .map(|(u, _)| u.clone())
        .collect();
    for u in taken {
        if let Some(c) = renames.remove(&u) {
            conflicts.push(format!(
                "upstream type `{u}` sits where the curated spec has `{c}`, a name upstream uses for another type: left under its own name"
            ));
        }
    }
    Matching { renames, conflicts }
}

/// Renames the named types of one operation (its types, parameters,
/// response, stream event and fields).
pub fn rename_operation(op: &mut OperationSpec, renames: &BTreeMap<String, String>) {
    for p in &mut op.params {
        p.ty = rename_expr(&p.ty, renames);
    }
    op.response = rename_expr(&op.response, renames);
    if let Some(s) = &mut op.streaming {
        s.event = rename_expr(&s.event, renames);
    }
    rename_types(&mut op.types, renames);
}

/// Renames a table of type declarations and the types its fields use.
pub fn rename_types(types: &mut BTreeMap<String, TypeDef>, renames: &BTreeMap<String, String>) {
    *types = std::mem::take(types)
        .into_iter()
        .map(|(name, mut def)| {
            for f in def.fields.iter_mut().flatten() {
                f.ty = rename_expr(&f.ty, renames);
            }
            (renames.get(&name).cloned().unwrap_or(name), def)
        })
        .collect();
}

/// `text` with its named types renamed; unparsable text is left for the
/// compiler to report.
fn rename_expr(text: &str, renames: &BTreeMap<String, String>) -> String {
    match type_expr::parse(text) {
        Ok(expr) => show(&expr, renames),
        Err(_) => text.to_owned(),
    }
}

fn show(expr: &TypeExpr, renames: &BTreeMap<String, String>) -> String {
    match expr {
        TypeExpr::Primitive(p) => (*p).to_owned(),
        TypeExpr::List(inner) => format!("list<{}>", show(inner, renames)),
        TypeExpr::Map(inner) => format!("map<{}>", show(inner, renames)),
        TypeExpr::Named(n) => renames.get(n).cloned().unwrap_or_else(|| n.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(yaml: &str) -> OperationSpec {
        serde_yaml::from_str(yaml).expect("test operation")
    }

    fn types(yaml: &str) -> BTreeMap<String, TypeDef> {
        serde_yaml::from_str(yaml).expect("test types")
    }

    fn matching(curated: &[OperationSpec], upstream: &[OperationSpec]) -> Matching {
        matching_with(curated, &BTreeMap::new(), upstream, &BTreeMap::new())
    }

    fn matching_with(
        curated: &[OperationSpec],
        curated_types: &BTreeMap<String, TypeDef>,
        upstream: &[OperationSpec],
        upstream_types: &BTreeMap<String, TypeDef>,
    ) -> Matching {
        match_types(
            Side {
                operations: curated,
                types: curated_types,
            },
            Side {
                operations: upstream,
                types: upstream_types,
            },
        )
    }

    fn renames(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    const CURATED_LIST: &str = "
operation: GetConversations
summary: s
idempotent: true
response: Page
types:
  Page:
    fields:
      - {name: Data, type: 'list<Conversation>'}
      - {name: Tags, type: 'map<Tag>'}
  Conversation:
    fields:
      - {name: Id, type: string}
      - {name: Owner, type: User}
  User:
    fields:
      - {name: Name, type: string}
  Tag:
    fields:
      - {name: Label, type: string}
";

    const UPSTREAM_LIST: &str = "
operation: GetConversations
summary: s
idempotent: false
response: GetConversationsResponse
types:
  GetConversationsResponse:
    fields:
      - {name: Data, type: 'list<GetConversationsResponseData>'}
      - {name: Tags, type: 'map<GetConversationsResponseTags>'}
  GetConversationsResponseData:
    fields:
      - {name: Id, type: int64}
      - {name: Owner, type: GetConversationsResponseDataOwner}
  GetConversationsResponseDataOwner:
    fields:
      - {name: Name, type: string}
  GetConversationsResponseTags:
    fields:
      - {name: Label, type: string}
";

    #[test]
    fn nested_lists_and_maps_match_by_position() {
        let m = matching(&[op(CURATED_LIST)], &[op(UPSTREAM_LIST)]);
        assert_eq!(
            m.renames,
            renames(&[
                ("GetConversationsResponse", "Page"),
                ("GetConversationsResponseData", "Conversation"),
                ("GetConversationsResponseDataOwner", "User"),
                ("GetConversationsResponseTags", "Tag"),
            ])
        );
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    }

    #[test]
    fn renaming_rewrites_declarations_and_references() {
        let m = matching(&[op(CURATED_LIST)], &[op(UPSTREAM_LIST)]);
        let mut up = op(UPSTREAM_LIST);
        rename_operation(&mut up, &m.renames);
        assert_eq!(up.response, "Page");
        let names: Vec<&str> = up.types.keys().map(String::as_str).collect();
        assert_eq!(names, ["Conversation", "Page", "Tag", "User"]);
        let page = up.types["Page"].fields.as_ref().expect("fields");
        assert_eq!(page[0].ty, "list<Conversation>");
        assert_eq!(page[1].ty, "map<Tag>");
        // The real difference stays: `Id` is an integer upstream.
        assert_eq!(
            up.types["Conversation"].fields.as_ref().expect("f")[0].ty,
            "int64"
        );
    }

    #[test]
    fn params_and_stream_events_match_too() {
        let curated = op("
operation: Chat
summary: s
idempotent: false
params:
  - {name: Inputs, in: query, type: Inputs, style: json-string}
  - {name: Files, in: query, type: 'list<File>', style: json-string}
response: Answer
streaming: {event: Answer}
types:
  Inputs: {fields: [{name: A, type: string}]}
  File: {fields: [{name: B, type: string}]}
  Answer: {fields: [{name: C, type: string}]}
");
        let upstream = op("
operation: Chat
summary: s
idempotent: false
params:
  - {name: Inputs, in: query, type: ChatInputs, style: json-string}
  - {name: Files, in: query, type: 'list<ChatFiles>', style: json-string}
response: ChatResponse
streaming: {event: ChatResponse}
types:
  ChatInputs: {fields: [{name: A, type: string}]}
  ChatFiles: {fields: [{name: B, type: string}]}
  ChatResponse: {fields: [{name: C, type: string}]}
");
        let m = matching(&[curated], &[upstream]);
        assert_eq!(
            m.renames,
            renames(&[
                ("ChatFiles", "File"),
                ("ChatInputs", "Inputs"),
                ("ChatResponse", "Answer"),
            ])
        );
    }

    #[test]
    fn a_shared_type_used_by_two_operations_matches_once() {
        let curated_types = types("Item: {fields: [{name: Id, type: string}]}");
        let upstream_types = types("ItemDTO: {fields: [{name: Id, type: string}]}");
        let ops = |ty: &str| {
            ["A", "B"].map(|name| {
                op(&format!(
                    "{{operation: {name}, summary: s, idempotent: true, response: 'list<{ty}>'}}"
                ))
            })
        };
        let m = matching_with(
            &ops("Item"),
            &curated_types,
            &ops("ItemDTO"),
            &upstream_types,
        );
        assert_eq!(m.renames, renames(&[("ItemDTO", "Item")]));
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let mut shared = upstream_types.clone();
        rename_types(&mut shared, &m.renames);
        assert!(shared.contains_key("Item"));
    }

    #[test]
    fn a_type_at_the_places_of_two_curated_types_is_reported_not_renamed() {
        let curated_types = types(
            "
Conversation: {fields: [{name: Id, type: string}]}
Message: {fields: [{name: Id, type: string}]}
",
        );
        let upstream_types = types("Row: {fields: [{name: Id, type: string}]}");
        let curated = [
            op("{operation: A, summary: s, idempotent: true, response: Conversation}"),
            op("{operation: B, summary: s, idempotent: true, response: Message}"),
        ];
        let upstream = [
            op("{operation: A, summary: s, idempotent: true, response: Row}"),
            op("{operation: B, summary: s, idempotent: true, response: Row}"),
        ];
        let m = matching_with(&curated, &curated_types, &upstream, &upstream_types);
        assert!(m.renames.is_empty(), "{:?}", m.renames);
        assert_eq!(
            m.conflicts,
            [
                "upstream type `Row` sits where the curated spec has `Conversation`, `Message`: left under its own name"
            ]
        );
    }

    #[test]
    fn two_upstream_types_at_the_places_of_one_curated_type_are_reported() {
        let curated_types = types("Item: {fields: [{name: Id, type: string}]}");
        let curated = [
            op("{operation: A, summary: s, idempotent: true, response: Item}"),
            op("{operation: B, summary: s, idempotent: true, response: Item}"),
        ];
        let upstream = [
            op(
                "{operation: A, summary: s, idempotent: true, response: AResponse, types: {AResponse: {fields: [{name: Id, type: string}]}}}",
            ),
            op(
                "{operation: B, summary: s, idempotent: true, response: BResponse, types: {BResponse: {fields: [{name: Id, type: string}]}}}",
            ),
        ];
        let m = matching_with(&curated, &curated_types, &upstream, &BTreeMap::new());
        assert!(m.renames.is_empty(), "{:?}", m.renames);
        assert_eq!(
            m.conflicts,
            [
                "curated type `Item` sits where upstream has `AResponse`, `BResponse`: none renamed to it"
            ]
        );
    }

    #[test]
    fn a_curated_name_upstream_uses_elsewhere_is_not_taken() {
        let curated = [op(
            "{operation: A, summary: s, idempotent: true, response: Conversation, types: {Conversation: {fields: [{name: Id, type: string}]}}}",
        )];
        let upstream = [op("
operation: A
summary: s
idempotent: true
response: AResponse
types:
  AResponse: {fields: [{name: Id, type: string}]}
  Conversation: {fields: [{name: Other, type: string}]}
")];
        let m = matching(&curated, &upstream);
        assert!(m.renames.is_empty(), "{:?}", m.renames);
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        assert!(m.conflicts[0].contains("a name upstream uses for another type"));
    }

    #[test]
    fn loops_and_different_shapes_end() {
        // A type that contains itself, on both sides; and a list where the
        // other side has an object: the walk ends, the shape difference is
        // left to the diff.
        let curated = [op("
operation: Tree
summary: s
idempotent: true
response: Node
types:
  Node:
    fields:
      - {name: Children, type: 'list<Node>'}
      - {name: Parent, type: 'list<Node>'}
")];
        let upstream = [op("
operation: Tree
summary: s
idempotent: true
response: TreeResponse
types:
  TreeResponse:
    fields:
      - {name: Children, type: 'list<TreeResponse>'}
      - {name: Parent, type: TreeResponse}
")];
        let m = matching(&curated, &upstream);
        assert_eq!(m.renames, renames(&[("TreeResponse", "Node")]));
    }
}
