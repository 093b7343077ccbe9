//! `src/errors.rs`: the crate's error-code enum, and one per operation that needs its own.
//!
//! `Code` lists every code of the service once, with a catch-all for codes the spec does not
//! know, and implements the runtime's `ErrorCode`, so `Error<GetConversationsErrorCode>` carries
//! a typed code. An operation whose codes all read exactly as in `Code` (the common case: the
//! service's shared codes only) gets an alias of it, so shared codes are defined once; an
//! operation with codes of its own gets its own enum. `AnyError` (the runtime's
//! `AnyError<Code>`) is the one error every operation's error converts into.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::names::{bare, ident, ident_str};
use super::{ServiceCtx, docs, enums};
use crate::ir::ErrorCode;

/// The whole `errors.rs`, as chunks: the module docs, the crate's codes, then one chunk per
/// operation.
pub fn emit(ctx: &ServiceCtx<'_>) -> Vec<TokenStream> {
    let module_docs = docs::inner_attrs(&format!(
        "Error codes of {}: the crate's [`{}`], and one enum per operation with codes of its own.",
        docs::markdown(&ctx.svc.title),
        crate_code_name(ctx)
    ));
    let codes = crate_codes(ctx);
    let code_ident = ident_str(crate_code_name(ctx));
    let mut chunks = vec![module_docs, crate_code_enum(ctx, &codes)];
    chunks.extend(ctx.svc.operations.iter().map(|op| {
        let name = ident_str(&op.error_enum.0);
        let doc = format!(
            "Error codes [`Client::{method}`](crate::Client::{method}) (`{op}`) may return",
            method = bare(&op.method),
            op = op.name.0,
        );
        if op.errors.iter().all(|e| codes.contains(e)) {
            let listed: Vec<String> = op.errors.iter().map(|e| format!("`{}`", e.code.0)).collect();
            let listed = if listed.is_empty() {
                "none".to_owned()
            } else {
                listed.join(", ")
            };
            let doc = docs::attrs(&format!(
                "{doc}: the crate's [`{code_ident}`], which reads each of them the same way \
                 (one error type for every such operation).\n\nCodes the spec lists for it: {listed}."
            ));
            quote! {
                #doc
                pub type #name = #code_ident;
            }
        } else {
            error_enum(&op.error_enum.0, &format!("{doc}."), &op.errors)
        }
    }));
    chunks
}

/// The name of the crate-level code enum: `Code`, unless an operation's enum took it.
fn crate_code_name(ctx: &ServiceCtx<'_>) -> &'static str {
    if ctx
        .svc
        .operations
        .iter()
        .any(|op| op.error_enum.0 == "Code")
    {
        "ServiceCode"
    } else {
        "Code"
    }
}

/// Every code of every operation once: the first declaration of a code wins, retryable if any
/// operation says so (the code means the same everywhere); a variant name two different codes
/// share is not repeated.
fn crate_codes(ctx: &ServiceCtx<'_>) -> Vec<ErrorCode> {
    let mut seen_codes = BTreeSet::new();
    let mut seen_variants = BTreeSet::new();
    let mut codes = Vec::new();
    for code in ctx.svc.operations.iter().flat_map(|op| &op.errors) {
        if seen_codes.insert(code.code.0.as_str()) && seen_variants.insert(code.variant.0.as_str())
        {
            let mut code = code.clone();
            code.retryable = ctx
                .svc
                .operations
                .iter()
                .flat_map(|op| &op.errors)
                .any(|e| e.code == code.code && e.retryable);
            codes.push(code);
        }
    }
    codes
}

/// The crate-level code enum and `AnyError`.
fn crate_code_enum(ctx: &ServiceCtx<'_>, codes: &[ErrorCode]) -> TokenStream {
    let name = crate_code_name(ctx);
    let codes_enum = error_enum(
        name,
        "Every error code of the service's operations, each once: the code of [`AnyError`] and \
         of every operation without codes of its own.",
        codes,
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
