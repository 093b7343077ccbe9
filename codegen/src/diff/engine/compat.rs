//! How a type change reads on the wire: the same, wider, narrower, or
//! something else.

use std::collections::{HashMap, HashSet};

use crate::ir::{TypeDecl, TypeKind, TypeRef};

/// Named types of one side, by Rust name.
pub(super) type Types<'a> = HashMap<&'a str, &'a TypeDecl>;

/// The named types of a service, by Rust name.
pub(super) fn index(types: &[TypeDecl]) -> Types<'_> {
    types.iter().map(|t| (t.rust.0.as_str(), t)).collect()
}

/// How an old type relates to a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TypeChange {
    /// Identical type references.
    Same,
    /// Every old value is a valid new value (`int32` -> `int64`).
    Widened,
    /// Every new value is a valid old value (`int64` -> `int32`).
    Narrowed,
    /// The same values on the wire, a different Rust type (`int64` ->
    /// `timestamp_ms`, or two named types with the same fields).
    SameOnWire,
    /// Neither contains the other.
    Incompatible,
}

impl TypeChange {
    /// Whether callers that send the old type still send valid values.
    pub(super) fn request_compatible(self) -> bool {
        matches!(
            self,
            TypeChange::Same | TypeChange::Widened | TypeChange::SameOnWire
        )
    }

    /// Whether callers that read the old type still read what comes back.
    pub(super) fn response_compatible(self) -> bool {
        matches!(
            self,
            TypeChange::Same | TypeChange::Narrowed | TypeChange::SameOnWire
        )
    }
}

/// Compares an old type reference (resolved in `old_types`) with a new one
/// (resolved in `new_types`).
pub(super) fn compare(
    old: &TypeRef,
    new: &TypeRef,
    old_types: &Types,
    new_types: &Types,
) -> TypeChange {
    Comparer {
        old_types,
        new_types,
        assumed: HashSet::new(),
    }
    .compare(old, new)
}

struct Comparer<'a, 'b> {
    old_types: &'b Types<'a>,
    new_types: &'b Types<'a>,
    /// Pairs of named types assumed equivalent while comparing them, so
    /// recursive types terminate.
    assumed: HashSet<(String, String)>,
}

impl Comparer<'_, '_> {
    fn compare(&mut self, old: &TypeRef, new: &TypeRef) -> TypeChange {
        use TypeChange::*;
        use TypeRef as T;
        if old == new {
            return Same;
        }
        match (old, new) {
            (T::List(a), T::List(b)) | (T::Map(a), T::Map(b)) => self.compare(a, b),
            (_, T::Json) => Widened,
            (T::Json, _) => Narrowed,
            // An enum is a string with a known set of values: a string
            // that becomes an enum narrows, an enum that becomes a string
            // widens.
            (T::String, T::Named(b)) if is_enum(self.new_types, &b.0) => Narrowed,
            (T::Named(a), T::String) if is_enum(self.old_types, &a.0) => Widened,
            (T::Named(a), T::Named(b)) => {
                if self.named_same_on_wire(&a.0, &b.0) {
                    SameOnWire
                } else {
                    Incompatible
                }
            }
            _ => match (number(old), number(new)) {
                (Some(a), Some(b)) => a.compare(b),
                _ => Incompatible,
            },
        }
    }

    /// Whether two named types accept exactly the same JSON.
    fn named_same_on_wire(&mut self, old: &str, new: &str) -> bool {
        let (Some(a), Some(b)) = (self.old_types.get(old), self.new_types.get(new)) else {
            return false;
        };
        if !self.assumed.insert((old.to_owned(), new.to_owned())) {
            return true;
        }
        match (&a.kind, &b.kind) {
            (TypeKind::Object { fields: fa }, TypeKind::Object { fields: fb }) => {
                fa.len() == fb.len()
                    && fa.iter().all(|f| {
                        fb.iter().find(|g| g.wire == f.wire).is_some_and(|g| {
                            f.required == g.required
                                && f.nullable == g.nullable
                                && matches!(
                                    self.compare(&f.ty, &g.ty),
                                    TypeChange::Same | TypeChange::SameOnWire
                                )
                        })
                    })
            }
            (TypeKind::Enum { values: va }, TypeKind::Enum { values: vb }) => {
                let wa: HashSet<_> = va.iter().map(|v| &v.wire).collect();
                let wb: HashSet<_> = vb.iter().map(|v| &v.wire).collect();
                wa == wb
            }
            _ => false,
        }
    }
}

fn is_enum(types: &Types, name: &str) -> bool {
    types
        .get(name)
        .is_some_and(|t| matches!(t.kind, TypeKind::Enum { .. }))
}

/// A JSON number type: its range, and what the number means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Number {
    /// 0 for int32, 1 for int64 (and timestamps, which are int64 on the wire), 2 for float64.
    width: u8,
    /// Seconds or milliseconds for timestamps: numbers of different units
    /// are not interchangeable even though they look alike.
    unit: Option<char>,
}

fn number(ty: &TypeRef) -> Option<Number> {
    let (width, unit) = match ty {
        TypeRef::Int32 => (0, None),
        TypeRef::Int64 => (1, None),
        TypeRef::TimestampSeconds => (1, Some('s')),
        TypeRef::TimestampMillis => (1, Some('m')),
        TypeRef::Float64 => (2, None),
        _ => return None,
    };
    Some(Number { width, unit })
}

impl Number {
    fn compare(self, new: Number) -> TypeChange {
        if let (Some(a), Some(b)) = (self.unit, new.unit)
            && a != b
        {
            return TypeChange::Incompatible;
        }
        match self.width.cmp(&new.width) {
            std::cmp::Ordering::Less => TypeChange::Widened,
            std::cmp::Ordering::Greater => TypeChange::Narrowed,
            // int64 <-> timestamp: the unit was unknown on one side only.
            std::cmp::Ordering::Equal => TypeChange::SameOnWire,
        }
    }
}

/// A type reference as a spec writes it (`list<Conversation>`, `int64`).
pub(super) fn display(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Int32 => "int32".into(),
        TypeRef::Int64 => "int64".into(),
        TypeRef::Float64 => "float64".into(),
        TypeRef::TimestampSeconds => "timestamp_s".into(),
        TypeRef::TimestampMillis => "timestamp_ms".into(),
        TypeRef::Json => "json".into(),
        TypeRef::List(inner) => format!("list<{}>", display(inner)),
        TypeRef::Map(inner) => format!("map<{}>", display(inner)),
        TypeRef::Named(name) => name.0.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::RustName;

    fn cmp(old: TypeRef, new: TypeRef) -> TypeChange {
        let empty = Types::new();
        compare(&old, &new, &empty, &empty)
    }

    #[test]
    fn numbers_widen_and_narrow() {
        assert_eq!(cmp(TypeRef::Int32, TypeRef::Int64), TypeChange::Widened);
        assert_eq!(cmp(TypeRef::Float64, TypeRef::Int32), TypeChange::Narrowed);
        assert_eq!(
            cmp(TypeRef::Int64, TypeRef::TimestampMillis),
            TypeChange::SameOnWire
        );
        assert_eq!(
            cmp(TypeRef::TimestampSeconds, TypeRef::TimestampMillis),
            TypeChange::Incompatible
        );
        assert_eq!(
            cmp(TypeRef::String, TypeRef::Int64),
            TypeChange::Incompatible
        );
    }

    #[test]
    fn an_enum_is_a_narrower_string() {
        let decl = TypeDecl {
            spec_name: "Kind".into(),
            rust: RustName("Kind".into()),
            description: None,
            deprecated: false,
            kind: TypeKind::Enum { values: Vec::new() },
            usage: crate::ir::Usage::default(),
            used_by: Vec::new(),
            source: String::new(),
            same_as: None,
            code_usage: crate::ir::Usage::default(),
        };
        let types = index(std::slice::from_ref(&decl));
        let kind = TypeRef::Named(RustName("Kind".into()));
        assert_eq!(
            compare(&TypeRef::String, &kind, &types, &types),
            TypeChange::Narrowed
        );
        assert_eq!(
            compare(&kind, &TypeRef::String, &types, &types),
            TypeChange::Widened
        );
        assert_eq!(
            compare(&TypeRef::Int32, &kind, &types, &types),
            TypeChange::Incompatible
        );
    }

    #[test]
    fn containers_compare_their_elements() {
        let list = |t| TypeRef::List(Box::new(t));
        assert_eq!(
            cmp(list(TypeRef::Int32), list(TypeRef::Int64)),
            TypeChange::Widened
        );
        assert_eq!(
            cmp(list(TypeRef::Int32), TypeRef::Int32),
            TypeChange::Incompatible
        );
        assert_eq!(cmp(TypeRef::Bool, TypeRef::Json), TypeChange::Widened);
        let named = TypeRef::Named(RustName("Missing".into()));
        assert_eq!(
            cmp(named.clone(), TypeRef::Named(RustName("Other".into()))),
            TypeChange::Incompatible
        );
        assert_eq!(display(&list(named)), "list<Missing>");
    }
}
