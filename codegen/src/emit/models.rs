//! `src/models.rs`: every named type of the service.
//!
//! Objects become `#[non_exhaustive]` structs with public fields. Every object
//! serialises in its wire form and has `new`/`with_*` setters (callers log
//! responses and build test fixtures).
//!
//! No serde derives: they were most of a generated crate's compile time (a
//! generic visitor or serializer per struct). Output types decode through a
//! plain `Decode::decode` that moves members out of parsed JSON with the
//! runtime's `decode::Object`, and every type writes itself with a plain
//! `ToJson::to_json` over `to_json::Members`: one line per field. Their
//! `serde::Deserialize`/`Serialize` (for callers' own JSON) are three-line
//! adapters onto those. Open enums come from [`super::enums`].

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{bare, ident};
use super::types::{Scope, is_complex, rust_type, takes_into};
use super::{ServiceCtx, docs, enums};
use crate::ir::{Field, TypeDecl, TypeKind};

/// The whole `models.rs`, as chunks: the module attributes, then one chunk
/// per type.
pub fn emit(ctx: &ServiceCtx<'_>) -> Vec<TokenStream> {
    let items = ctx
        .svc
        .types
        .iter()
        .map(|decl| match (&decl.same_as, &decl.kind) {
            (Some(same), _) => alias(decl, same),
            (None, TypeKind::Object { fields }) => object(ctx, decl, fields),
            (None, TypeKind::Enum { values }) => enums::emit(decl, values),
        });
    let allow = uses_deprecated(ctx).then(|| {
        quote! {
            // Deprecated items are still (de)serialised here; callers get the warnings.
            #![allow(deprecated)]
        }
    });
    let complex = ctx.svc.types.iter().any(|decl| match &decl.kind {
        TypeKind::Object { fields } => fields.iter().any(|f| is_complex(&f.ty)),
        TypeKind::Enum { .. } => false,
    });
    let allow_complex = complex.then(|| quote!(#![allow(clippy::type_complexity)]));
    let module_docs = docs::inner_attrs(&format!(
        "Request and response types of {}.",
        docs::markdown(&ctx.svc.title)
    ));
    let mut chunks = vec![quote! {
        #module_docs
        #allow
        #allow_complex
    }];
    chunks.extend(items);
    chunks
}

/// A type declared with the shape of an earlier one (see `TypeDecl::same_as`): its own
/// name and docs, the other's code.
fn alias(decl: &TypeDecl, same: &crate::ir::RustName) -> TokenStream {
    let name = ident(&decl.rust);
    let target = ident(same);
    let mut text = docs::item(
        decl.description.as_deref(),
        &format!("`{}`.", decl.spec_name),
    );
    text.push_str(&format!(
        "\n\nThe spec declares it with exactly the shape of [`{}`], so it is that type.",
        bare(same)
    ));
    let doc = docs::attrs(&text);
    let deprecated = decl.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub type #name = #target;
    }
}

fn uses_deprecated(ctx: &ServiceCtx<'_>) -> bool {
    ctx.svc.types.iter().any(|decl| {
        decl.deprecated
            || match &decl.kind {
                TypeKind::Object { fields } => fields.iter().any(|f| f.deprecated),
                TypeKind::Enum { values } => values.iter().any(|v| v.deprecated),
            }
    })
}

fn object(ctx: &ServiceCtx<'_>, decl: &TypeDecl, fields: &[Field]) -> TokenStream {
    let name = ident(&decl.rust);
    let doc = docs::attrs(&docs::item(
        decl.description.as_deref(),
        &format!("`{}`.", decl.spec_name),
    ));
    let deprecated = decl.deprecated.then(|| quote!(#[deprecated]));
    let has_required = fields.iter().any(|f| !f.optional());
    // Every object serialises (in its wire form) and can be built with `new` and `with_*`
    // setters, so callers can log responses and build fixtures despite `#[non_exhaustive]`.
    let default = (!has_required).then(|| quote!(Default,));
    let field_items = fields.iter().map(struct_field);
    let builder = setters(ctx, &name, fields);
    let decode = decl.decodes().then(|| decode(decl, &name, fields));
    let to_json = to_json(&name, fields);
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_items)*
        }
        #builder
        #to_json
        #decode
    }
}

fn struct_field(field: &Field) -> TokenStream {
    let name = ident(&field.rust);
    // The wire name, which users search the vendor's docs and captured traffic for.
    let wire = format!("Wire name: `{}`.", field.wire.0);
    let doc = docs::attrs(&match field.description.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => format!("{}\n\n{wire}", docs::markdown(text)),
        _ => wire,
    });
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let inner = rust_type(&field.ty, Scope::Models);
    let ty = if field.optional() {
        quote!(Option<#inner>)
    } else {
        inner
    };
    quote! {
        #doc
        #deprecated
        pub #name: #ty,
    }
}

/// `ToJson` (one `Members` call per field; members that are not required are left out
/// when unset) and the `Serialize` adapter onto it.
fn to_json(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let members = fields.iter().map(|field| {
        let field_name = ident(&field.rust);
        let wire = &field.wire.0;
        if field.required {
            quote!(members.put(#wire, &self.#field_name);)
        } else {
            quote!(members.put_some(#wire, &self.#field_name);)
        }
    });
    let start = if fields.is_empty() {
        quote!(let members = wiregen_runtime::to_json::Members::new();)
    } else {
        quote!(let mut members = wiregen_runtime::to_json::Members::new();)
    };
    quote! {
        impl wiregen_runtime::ToJson for #name {
            fn to_json(&self) -> wiregen_runtime::serde_json::Value {
                #start
                #(#members)*
                members.into_value()
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                wiregen_runtime::to_json::serialize(self, serializer)
            }
        }
    }
}

/// `Decode` (one `Object` call per field) and the `Deserialize` adapter onto it.
fn decode(decl: &TypeDecl, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let expecting = format!("struct {}", decl.rust.0);
    // Older wire names are moved under the current one first, so each field reads one key.
    let renames = fields
        .iter()
        .filter(|f| !f.aliases.is_empty())
        .map(|field| {
            let wire = &field.wire.0;
            let aliases = field.aliases.iter().map(|a| a.0.as_str());
            quote!(object.accept_older(#wire, &[#(#aliases),*]);)
        });
    let members = fields.iter().map(|field| {
        let field_name = ident(&field.rust);
        let wire = &field.wire.0;
        let read = match (field.optional(), field.decodes_leniently()) {
            (true, false) => quote!(field),
            (true, true) => quote!(lenient),
            (false, false) => quote!(required),
            (false, true) => quote!(lenient_required),
        };
        quote!(#field_name: object.#read(#wire)?,)
    });
    let object = if fields.is_empty() {
        quote!(wiregen_runtime::decode::Object::new(value, #expecting)?;)
    } else {
        quote!(let mut object = wiregen_runtime::decode::Object::new(value, #expecting)?;)
    };
    quote! {
        impl wiregen_runtime::Decode for #name {
            fn decode(
                value: wiregen_runtime::serde_json::Value,
            ) -> Result<Self, wiregen_runtime::decode::Failure> {
                #object
                #(#renames)*
                Ok(Self { #(#members)* })
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                wiregen_runtime::decode::deserialize(deserializer)
            }
        }
    }
}

/// `new(required...)` and one `with_*` setter per field (input types for requests, output
/// types for callers' fixtures).
fn setters(ctx: &ServiceCtx<'_>, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let is_enum = |n: &_| ctx.is_enum(n);
    let required: Vec<&Field> = fields.iter().filter(|f| !f.optional()).collect();
    let args = required.iter().map(|field| {
        let arg = ident(&field.rust);
        let ty = rust_type(&field.ty, Scope::Models);
        if takes_into(&field.ty, is_enum) {
            quote!(#arg: impl Into<#ty>)
        } else {
            quote!(#arg: #ty)
        }
    });
    let inits = fields.iter().map(|field| {
        let field_name = ident(&field.rust);
        if field.optional() {
            quote!(#field_name: None)
        } else if takes_into(&field.ty, is_enum) {
            quote!(#field_name: #field_name.into())
        } else {
            quote!(#field_name)
        }
    });
    let new_doc = if required.is_empty() {
        format!("A `{name}` with every field unset.")
    } else {
        let list: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", bare(&f.rust)))
            .collect();
        format!(
            "A `{name}` with its required fields ({}); set the others with the `with_*` methods.",
            list.join(", ")
        )
    };
    let new_doc = docs::attrs(&new_doc);
    let many_args = (required.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let with = fields.iter().map(|field| {
        let field_name = ident(&field.rust);
        let method = ident(&field.setter);
        let ty = rust_type(&field.ty, Scope::Models);
        let doc = docs::attrs(&format!("Sets [`{0}`](Self::{0}).", bare(&field.rust)));
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        let (param, value) = if takes_into(&field.ty, is_enum) {
            (quote!(impl Into<#ty>), quote!(value.into()))
        } else {
            (quote!(#ty), quote!(value))
        };
        let value = if field.optional() {
            quote!(Some(#value))
        } else {
            value
        };
        quote! {
            #doc
            #deprecated
            pub fn #method(mut self, value: #param) -> Self {
                self.#field_name = #value;
                self
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            #many_args
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#with)*
        }
    }
}
