//! `src/errors.rs`: one error-code enum per operation.
//!
//! Each lists the operation's own codes and the service's, with a catch-all
//! for codes the spec does not know, and implements the runtime's
//! `ErrorCode` so `Error<GetConversationsErrorCode>` carries a typed code.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::names::{bare, ident};
use super::{ServiceCtx, docs, enums};
use crate::ir::{ErrorCode, Operation};

/// The whole `errors.rs`, as chunks: the module docs, then one chunk per
/// operation.
pub fn emit(ctx: &ServiceCtx<'_>) -> Vec<TokenStream> {
    let module_docs = docs::inner_attrs(&format!(
        "Error codes of {}, one enum per operation.",
        docs::markdown(&ctx.svc.title)
    ));
    let mut chunks = vec![module_docs];
    chunks.extend(ctx.svc.operations.iter().map(error_enum));
    chunks
}

fn error_enum(op: &Operation) -> TokenStream {
    let name = ident(&op.error_enum);
    let unknown = enums::catch_all(op.errors.iter().map(|e| &e.variant));
    let doc = docs::attrs(&format!(
        "Error codes [`Client::{method}`](crate::Client::{method}) (`{op}`) may return.\n\n\
         Codes the spec does not list decode into [`{unknown}`](Self::{unknown}).",
        method = bare(&op.method),
        op = op.name.0,
    ));
    let variants = op.errors.iter().map(|code| {
        let variant = ident(&code.variant);
        let doc = docs::attrs(&variant_doc(code));
        quote!(#doc #variant,)
    });
    let idents: Vec<Ident> = op.errors.iter().map(|e| ident(&e.variant)).collect();
    let codes: Vec<&str> = op.errors.iter().map(|e| e.code.0.as_str()).collect();
    let retryable: Vec<Ident> = op
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| ident(&e.variant))
        .collect();
    let is_retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable)|*))
    };
    // With no listed code, a one-arm `match` is clippy's `match_single_binding`.
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
