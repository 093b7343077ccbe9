//! `src/models.rs`: every named type of the service.
//!
//! Objects become `#[non_exhaustive]` structs with public fields, each with an
//! explicit `#[serde(rename)]`. Every object serialises in its wire form and has
//! `new`/`with_*` setters (callers log responses and build test fixtures);
//! only output types `Deserialize`. Open enums come from [`super::enums`].

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{bare, ident};
use super::types::{Scope, is_complex, lenient_applies, rust_type, takes_into};
use super::{ServiceCtx, docs, enums};
use crate::ir::{Field, TypeDecl, TypeKind};

/// The whole `models.rs`, as chunks: the module attributes, then one chunk
/// per type.
pub fn emit(ctx: &ServiceCtx<'_>) -> Vec<TokenStream> {
    let items = ctx.svc.types.iter().map(|decl| match &decl.kind {
        TypeKind::Object { fields } => object(ctx, decl, fields),
        TypeKind::Enum { values } => enums::emit(decl, values),
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
    let input = decl.usage.input;
    // A type only ever built by the caller still decodes when it is also an output.
    let output = decl.usage.output || !input;
    let has_required = fields.iter().any(is_required);
    // Every object serialises (in its wire form) and can be built with `new` and `with_*`
    // setters, so callers can log responses and build fixtures despite `#[non_exhaustive]`.
    let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if !has_required {
        derives.push(quote!(Default));
    }
    derives.push(quote!(serde::Serialize));
    if output {
        derives.push(quote!(serde::Deserialize));
    }
    let field_items = fields.iter().map(|field| struct_field(field, output));
    let builder = setters(ctx, &name, fields);
    quote! {
        #doc
        #deprecated
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_items)*
        }
        #builder
    }
}

/// Whether the Rust field is the bare type (else an `Option`): always
/// present and never null.
fn is_required(field: &Field) -> bool {
    field.required && !field.nullable
}

fn struct_field(field: &Field, output: bool) -> TokenStream {
    let name = ident(&field.rust);
    let doc = docs::attrs(&docs::item(
        field.description.as_deref(),
        &format!("`{}`.", field.wire.0),
    ));
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let required = is_required(field);
    let inner = rust_type(&field.ty, Scope::Models);
    let ty = if required {
        inner
    } else {
        quote!(Option<#inner>)
    };
    let wire = &field.wire.0;
    let mut serde = vec![quote!(rename = #wire)];
    if output {
        serde.extend(field.aliases.iter().map(|alias| {
            let alias = &alias.0;
            quote!(alias = #alias)
        }));
        if field.lenient && lenient_applies(&field.ty) {
            if required {
                serde.push(quote!(
                    deserialize_with = "wiregen_runtime::lenient::required"
                ));
            } else {
                serde.push(quote!(default));
                serde.push(quote!(
                    deserialize_with = "wiregen_runtime::lenient::option"
                ));
            }
        }
    }
    if !field.required {
        serde.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    quote! {
        #doc
        #deprecated
        #[serde(#(#serde),*)]
        pub #name: #ty,
    }
}

/// `new(required...)` and one `with_*` setter per field (input types for requests, output
/// types for callers' fixtures).
fn setters(ctx: &ServiceCtx<'_>, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let is_enum = |n: &_| ctx.is_enum(n);
    let required: Vec<&Field> = fields.iter().filter(|f| is_required(f)).collect();
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
        if !is_required(field) {
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
        let method = ident(&crate::naming::with_setter(&field.rust));
        let ty = rust_type(&field.ty, Scope::Models);
        let doc = docs::attrs(&format!("Sets [`{0}`](Self::{0}).", bare(&field.rust)));
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        let (param, value) = if takes_into(&field.ty, is_enum) {
            (quote!(impl Into<#ty>), quote!(value.into()))
        } else {
            (quote!(#ty), quote!(value))
        };
        let value = if is_required(field) {
            value
        } else {
            quote!(Some(#value))
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
