//! `src/errors.rs`: the crate's error-code enum and the crate's one error type.
//!
//! `Code` lists every code of the service once, with a catch-all for codes the spec does not
//! know, and implements the runtime's `ErrorCode`. `Error` (the runtime's `Error<Code>`) and
//! its `Result` alias are what every public function of the crate returns, configuration and
//! streams included, so a caller's `?` needs no conversion. Each operation keeps a
//! `XxxErrorCode` alias of `Code` whose docs list the codes the spec gives it. `AnyError` (the
//! runtime's `AnyError<Code>`) is kept for code written when operations had codes of their own.

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
        "Errors of {}: the crate's one [`Error`] type, its code enum [`{}`], and which codes each \
         operation may return.",
        docs::markdown(&ctx.svc.title),
        crate_code_name(ctx)
    ));
    let codes = crate_codes(ctx);
    let code_ident = ident_str(crate_code_name(ctx));
    let mut chunks = vec![module_docs, crate_code_enum(ctx, &codes)];
    chunks.extend(ctx.svc.operations.iter().map(|op| {
        let name = ident_str(&op.error_enum.0);
        let listed: Vec<String> = op
            .errors
            .iter()
            .map(|e| format!("`{}`", e.code.0))
            .collect();
        let listed = if listed.is_empty() {
            "none".to_owned()
        } else {
            listed.join(", ")
        };
        let doc = docs::attrs(&format!(
            "Error codes [`Client::{method}`](crate::Client::{method}) (`{op}`) may return: the \
             crate's [`{code_ident}`] (one error type for every operation).\n\nCodes the spec \
             lists for it: {listed}.",
            method = bare(&op.method),
            op = op.name.0,
        ));
        quote! {
            #doc
            pub type #name = #code_ident;
        }
    }));
    chunks
}

/// The name of the crate-level code enum: `Code`, unless an operation's enum took it.
pub(super) fn crate_code_name(ctx: &ServiceCtx<'_>) -> &'static str {
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
/// operation says so (the code means the same everywhere). Lowering refuses two codes that
/// would share a variant, so one entry per code is one per variant.
fn crate_codes(ctx: &ServiceCtx<'_>) -> Vec<ErrorCode> {
    let mut seen_codes = BTreeSet::new();
    let mut codes = Vec::new();
    for code in ctx.svc.operations.iter().flat_map(|op| &op.errors) {
        if seen_codes.insert(code.code.0.as_str()) {
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

/// The crate-level code enum, the crate's `Error`, `ServiceError` and `Result`, and `AnyError`.
fn crate_code_enum(ctx: &ServiceCtx<'_>, codes: &[ErrorCode]) -> TokenStream {
    let name = crate_code_name(ctx);
    let codes_enum = error_enum(
        name,
        "Every error code of the service's operations, each once: the code of [`Error`], which \
         every call of this crate returns.",
        codes,
    );
    let code_ident = ident_str(name);
    let krate = &ctx.svc.crate_ident.0;
    let error_doc = docs::attrs(&format!(
        "The error of every call of this crate (configuration, requests, pages, stream items), \
         with a typed [`{name}`]; re-exported as `{krate}::Error`, so `?` works across all of \
         them. A service error is [`Error::Service`](wiregen_runtime::Error::Service) whether it \
         came as an error response or as an error event inside a stream; \
         [`code`](wiregen_runtime::Error::code), \
         [`is_throttling`](wiregen_runtime::Error::is_throttling), \
         [`is_not_found`](wiregen_runtime::Error::is_not_found) and \
         [`is_retryable`](wiregen_runtime::Error::is_retryable) read both.\n\n\
         The parameter only keeps `Error<C>` spelled with another code compiling."
    ));
    let service_doc = docs::attrs(&format!(
        "An error the service reported, with a typed [`{name}`]; build one for tests with \
         [`ServiceError::new`](wiregen_runtime::ServiceError::new) and `.into()` an [`Error`]."
    ));
    quote! {
        #codes_enum

        #error_doc
        pub type Error<C = #code_ident> = wiregen_runtime::Error<C>;

        #service_doc
        pub type ServiceError<C = #code_ident> = wiregen_runtime::ServiceError<C>;

        /// What every call of this crate returns: `Result<T, Error>`.
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        /// A wrapper of [`Error`] (it dereferences to one), kept for code written when
        /// operations had code types of their own; new code names [`Error`].
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
