//! Rust types for IR type references.

use proc_macro2::TokenStream;
use quote::quote;

use super::names::ident;
use crate::ir::TypeRef;

/// Where a type is written: models refer to each other by bare name, every
/// other module through `crate::models`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside `models.rs`.
    Models,
    /// Anywhere else in the crate.
    Crate,
}

/// The Rust type of a value of `ty`.
pub fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::Int32 => quote!(i32),
        TypeRef::Int64 => quote!(i64),
        TypeRef::Float64 => quote!(f64),
        TypeRef::TimestampSeconds => quote!(wiregen_runtime::UnixSeconds),
        TypeRef::TimestampMillis => quote!(wiregen_runtime::UnixMillis),
        TypeRef::Json => quote!(wiregen_runtime::serde_json::Value),
        TypeRef::List(item) => {
            let item = rust_type(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, scope);
            // Insertion-ordered, so a map sent in a request keeps the caller's order.
            quote!(wiregen_runtime::indexmap::IndexMap<String, #value>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Models => quote!(#name),
                Scope::Crate => quote!(crate::models::#name),
            }
        }
    }
}

/// Whether values of `ty` are taken as `impl Into<T>` by setters (text and
/// open enums, so a `&str` works), rather than as `T` itself.
pub fn takes_into(ty: &TypeRef, is_enum: impl Fn(&crate::ir::RustName) -> bool) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Named(name) => is_enum(name),
        _ => false,
    }
}

/// Whether a type nests enough `list<`/`map<` levels (3) for clippy's
/// `type_complexity` to flag it (`Option<BTreeMap<String, BTreeMap<...>>>`
/// already scores over its threshold); files holding one allow that lint,
/// since the nesting is the API's, not something to factor out.
pub fn is_complex(ty: &TypeRef) -> bool {
    fn levels(ty: &TypeRef) -> usize {
        match ty {
            TypeRef::List(inner) | TypeRef::Map(inner) => 1 + levels(inner),
            _ => 0,
        }
    }
    levels(ty) >= 3
}
