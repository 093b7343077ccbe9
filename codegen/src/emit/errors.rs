//! `src/errors.rs`: one error-code enum per operation, and the crate's.
//!
//! Each operation's enum lists its own codes and the service's, with a
//! catch-all for codes the spec does not know, and implements the runtime's
//! `ErrorCode` so `Error<GetConversationsErrorCode>` carries a typed code.
//! `Code` lists every code of the service once, and `AnyError` (the runtime's
//! `AnyError<Code>`) is the one error every operation's error converts into.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::names::{bare, ident, ident_str};
use super::{ServiceCtx, docs, enums};
use crate::ir::ErrorCode;

/// The whole `errors.rs`, as chunks: the module docs, then one chunk per
/// operation.
pub fn emit(ctx: &ServiceCtx<'_>) -> Vec<TokenStream> {
    let module_docs = docs::inner_attrs(&format!(
        "Error codes of {}, one enum per operation.",
        docs::markdown(&ctx.svc.title)
    ));
    let mut chunks = vec![module_docs];
    chunks.extend(ctx.svc.operations.iter().map(|op| {
        let doc = format!(
            "Error codes [`Client::{method}`](crate::Client::{method}) (`{op}`) may return.",
            method = bare(&op.method),
            op = op.name.0,
        );
        error_enum(&op.error_enum.0, &doc, &op.errors)
    }));
    chunks.push(crate_codes(ctx));
    chunks
}

/// `Code`, every code of every operation once (the first declaration of a code wins; a
/// variant name two different codes share is not repeated), and `AnyError`.
fn crate_codes(ctx: &ServiceCtx<'_>) -> TokenStream {
    let mut seen_codes = BTreeSet::new();
    let mut seen_variants = BTreeSet::new();
    let mut codes = Vec::new();
    for code in ctx.svc.operations.iter().flat_map(|op| &op.errors) {
        if seen_codes.insert(code.code.0.as_str()) && seen_variants.insert(code.variant.0.as_str())
        {
            let mut code = code.clone();
            // Retryable if any operation says so: the code means the same everywhere.
            code.retryable = ctx
                .svc
                .operations
                .iter()
                .flat_map(|op| &op.errors)
                .any(|e| e.code == code.code && e.retryable);
            codes.push(code);
        }
    }
    let name = if ctx
        .svc
        .operations
        .iter()
        .any(|op| op.error_enum.0 == "Code")
    {
        "ServiceCode"
    } else {
        "Code"
    };
    let codes_enum = error_enum(
        name,
        "Every error code of the service's operations, each once: the code of [`AnyError`].",
        &codes,
    );
    let code_ident = ident_str(name);
    quote! {
        #codes_enum

        /// One error for every operation of this crate: each operation's error converts into
        /// it with `?`, its code re-read as the crate-level code enum above.
        pub type AnyError = wiregen_runtime::AnyError<#code_ident>;
    }
}

fn error_enum(enum_name: &str, doc: &str, errors: &[ErrorCode]) -> TokenStream {
    let name = ident_str(enum_name);
    let unknown = enums::catch_all(errors.iter().map(|e| &e.variant));
    let doc = docs::attrs(&format!(
        "{doc}\n\nCodes the spec does not list decode into [`{unknown}`](Self::{unknown})."
    ));
    let variants = errors.iter().map(|code| {
        let variant = ident(&code.variant);
        let doc = docs::attrs(&variant_doc(code));
        quote!(#doc #variant,)
    });
    let idents: Vec<Ident> = errors.iter().map(|e| ident(&e.variant)).collect();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.0.as_str()).collect();
    let retryable: Vec<Ident> = errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| ident(&e.variant))
        .collect();
    let is_retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable)|*))
    };
    // Without known codes a `match` would have one arm (clippy's `match_single_binding`).
    let from_code = if codes.is_empty() {
        quote!(Self::#unknown(code.to_owned()))
    } else {
        quote! {
            match code {
                #(#codes => Self::#idents,)*
                other => Self::#unknown(other.to_owned()),
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A code the spec does not list, kept as sent.
            #unknown(String),
        }
        impl wiregen_runtime::ErrorCode for #name {
            fn from_code(code: &str) -> Self {
                #from_code
            }
            fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #codes,)*
                    Self::#unknown(code) => code,
                }
            }
            fn is_retryable(&self) -> bool {
                #is_retryable
            }
        }
    }
}

/// `description` plus what the wire shows: `HTTP 400`, the message, retryability.
fn variant_doc(code: &ErrorCode) -> String {
    let mut doc = docs::item(code.description.as_deref(), &format!("`{}`.", code.code.0));
    let mut facts = vec![format!("Code `{}`", code.code.0)];
    if let Some(status) = code.status {
        facts.push(format!("HTTP {status}"));
    }
    if let Some(message) = code.message.as_deref().filter(|m| !m.is_empty()) {
        facts.push(format!("message \"{}\"", docs::markdown(message)));
    }
    if code.retryable {
        facts.push("retryable".to_owned());
    }
    doc.push_str("\n\n");
    doc.push_str(&facts.join(", "));
    doc.push('.');
    doc
}
