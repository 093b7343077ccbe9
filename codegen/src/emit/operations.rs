//! `src/operations/*.rs`: one request builder per operation.
//!
//! Required parameters are arguments of the client method (they can not be
//! forgotten), optional ones are setters. `to_request` hands every value to
//! the runtime's `Request`, which encodes and signs it; `send`, `prepare`
//! and the pagination and streaming methods are one-line calls into the
//! runtime, so a generated operation costs little to compile.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::names::{OpNames, bare, field_name, ident};
use super::types::{Scope, is_complex, rust_type, takes_into};
use super::{ServiceCtx, docs, examples, pagination, streaming};
use crate::ir::{HttpMethod, Operation, Param, ParamLocation, ParamStyle, ResponseBody};

/// `operations/mod.rs`: the modules and their builders.
pub fn emit_mod(ctx: &ServiceCtx<'_>) -> TokenStream {
    let items = ctx.svc.operations.iter().map(|op| {
        let module = module_name(op);
        let builder = ident(&op.builder);
        quote! {
            mod #module;
            pub use #module::#builder;
        }
    });
    quote! {
        //! Request builders, one per operation; start from the [`Client`](crate::Client) methods.
        #(#items)*
    }
}

/// The operation's module: named after its method (`mod r#match;` reads
/// `match.rs`, see [`module_file`]).
pub fn module_name(op: &Operation) -> Ident {
    ident(&op.method)
}

/// The file name (without `.rs`) of the operation's module.
pub fn module_file(op: &Operation) -> String {
    module_name(op)
        .to_string()
        .trim_start_matches("r#")
        .to_owned()
}

/// One operation's file.
pub fn emit(ctx: &ServiceCtx<'_>, op: &Operation) -> TokenStream {
    let names = op_names(op);
    let OpNames {
        builder, client, ..
    } = &names;
    let options = ident(&op.builder_fields.options);
    let info = operation_info(op);
    let client_method = client_method(ctx, op, &names, &options);
    let fields = op.params.iter().map(|param| {
        let field = field_name(param);
        let ty = rust_type(&param.ty, Scope::Crate);
        if param.required {
            quote!(#field: #ty,)
        } else {
            quote!(#field: Option<#ty>,)
        }
    });
    let setters = setters(ctx, op);
    let builder_doc = docs::attrs(&format!(
        "Request builder for [`Client::{m}`](crate::Client::{m}) (`{name}`): set optional \
         parameters, then [`send`](Self::send) it.",
        m = bare(&op.method),
        name = op.name.0,
    ));
    let send_methods = send_methods(op, &names, &options);
    let to_request = to_request(op, client, &options);
    let paging = op
        .pagination
        .as_ref()
        .and_then(|pagination| pagination::emit(ctx, op, pagination, &names));
    let sse = op
        .streaming
        .as_ref()
        .map(|streaming| streaming::emit(ctx, op, streaming, &names));
    let sse_options = op.streaming.as_ref().map(streaming::options);
    // Builders store deprecated parameters and types like any other; the
    // caller who sets them gets the warning.
    let allow_complex = (op.params.iter().any(|p| is_complex(&p.ty)) || is_complex(&op.response))
        .then(|| quote!(#![allow(clippy::type_complexity)]));
    let allow_deprecated = (op.params.iter().any(|p| p.deprecated) || ctx.has_deprecated_types)
        .then(|| quote!(#![allow(deprecated)]));

    quote! {
        #allow_deprecated
        #allow_complex

        #info

        #sse_options

        #client_method

        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            #client: wiregen_runtime::Client,
            #options: wiregen_runtime::CallOptions,
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            #send_methods

            #paging
            #sse

            fn to_request(&self) -> wiregen_runtime::Request {
                #to_request
            }
        }
    }
}

/// The names shared by the operation's pieces.
fn op_names(op: &Operation) -> OpNames {
    OpNames {
        builder: ident(&op.builder),
        client: ident(&op.builder_fields.client),
        response: match op.response_body {
            ResponseBody::Json => rust_type(&op.response, Scope::Crate),
            ResponseBody::Text => quote!(String),
            ResponseBody::Bytes => quote!(Vec<u8>),
        },
        error: quote!(crate::Error),
    }
}

/// The `OPERATION` static: what the runtime needs to address and retry the call.
fn operation_info(op: &Operation) -> TokenStream {
    let name = &op.name.0;
    let method = match op.http.method {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Put => quote!(Put),
        HttpMethod::Patch => quote!(Patch),
        HttpMethod::Delete => quote!(Delete),
    };
    let path = &op.http.path;
    let idempotent = op.idempotent;
    quote! {
        static OPERATION: wiregen_runtime::OperationInfo = wiregen_runtime::OperationInfo {
            name: #name,
            method: wiregen_runtime::Method::#method,
            path: #path,
            idempotent: #idempotent,
        };
    }
}

/// The `Client` method that starts the builder, taking the required parameters.
fn client_method(
    ctx: &ServiceCtx<'_>,
    op: &Operation,
    names: &OpNames,
    options: &Ident,
) -> TokenStream {
    let OpNames {
        builder, client, ..
    } = names;
    let is_enum = |n: &_| ctx.is_enum(n);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|param| {
        let arg = field_name(param);
        let ty = rust_type(&param.ty, Scope::Crate);
        if takes_into(&param.ty, is_enum) {
            quote!(#arg: impl Into<#ty>)
        } else {
            quote!(#arg: #ty)
        }
    });
    let inits = op.params.iter().map(|param| {
        let field = field_name(param);
        if !param.required {
            quote!(#field: None)
        } else if takes_into(&param.ty, is_enum) {
            quote!(#field: #field.into())
        } else {
            quote!(#field)
        }
    });
    let method_name = ident(&op.method);
    let method_doc = docs::attrs(&method_doc(ctx, op, &required));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // Required parameters are arguments by design, however many there are.
    let many_args = (required.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl crate::Client {
            #method_doc
            #deprecated
            #many_args
            pub fn #method_name(&self, #(#args),*) -> #builder {
                #builder {
                    #client: self.runtime().clone(),
                    #options: wiregen_runtime::CallOptions::new(),
                    #(#inits),*
                }
            }
        }
    }
}

/// One setter per optional parameter.
fn setters(ctx: &ServiceCtx<'_>, op: &Operation) -> Vec<TokenStream> {
    let is_enum = |n: &_| ctx.is_enum(n);
    op.params
        .iter()
        .filter_map(|param| {
            let setter = ident(param.setter.as_ref()?);
            let field = field_name(param);
            let ty = rust_type(&param.ty, Scope::Crate);
            let doc = docs::attrs(&param_doc(param));
            let deprecated = param.deprecated.then(|| quote!(#[deprecated]));
            let (arg, value) = if takes_into(&param.ty, is_enum) {
                (quote!(impl Into<#ty>), quote!(value.into()))
            } else {
                (quote!(#ty), quote!(value))
            };
            Some(quote! {
                #doc
                #deprecated
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.#field = Some(#value);
                    self
                }
            })
        })
        .collect()
}

/// `customize`, `send`, `send_with_metadata` and `prepare`.
fn send_methods(op: &Operation, names: &OpNames, options: &Ident) -> TokenStream {
    let OpNames {
        client,
        response,
        error,
        ..
    } = names;
    let error_enum = ident(&op.error_enum);
    let error_doc = docs::attrs(&format!(
        "# Errors\n\nTransport failures, timeouts, service errors (with a typed code; \
         [`{error_enum}`](crate::errors::{error_enum}) lists the ones the spec gives) and \
         responses that do not decode."
    ));
    // The runtime reads JSON into the response type, or hands back text or bytes as they come.
    let (send_doc, send_call, send_meta_call) = match op.response_body {
        ResponseBody::Json => (
            " Sends the request and decodes the response.",
            quote!(send),
            quote!(send_with_metadata),
        ),
        ResponseBody::Text => (
            " Sends the request and returns the response body as text (the service answers \
             with text, not JSON).",
            quote!(send_text),
            quote!(send_text_with_metadata),
        ),
        ResponseBody::Bytes => (
            " Sends the request and returns the response body's bytes as received.",
            quote!(send_bytes),
            quote!(send_bytes_with_metadata),
        ),
    };
    quote! {
        /// Settings for this call only: timeout, retry policy (`no_retries()` for one
        /// attempt), size limits, extra headers.
        pub fn customize(mut self, options: wiregen_runtime::CallOptions) -> Self {
            self.#options = options;
            self
        }

        #[doc = #send_doc]
        ///
        #error_doc
        pub async fn send(self) -> Result<#response, #error> {
            self.#client.#send_call(self.to_request()).await
        }

        /// [`send`](Self::send), also returning the HTTP status, headers, request id and
        /// number of attempts.
        ///
        #error_doc
        pub async fn send_with_metadata(self) -> Result<(#response, wiregen_runtime::ResponseMetadata), #error> {
            self.#client.#send_meta_call(self.to_request()).await
        }

        /// The request as it would be sent (encoded and signed), without sending it.
        ///
        /// # Errors
        ///
        /// When the client's configuration can not address or sign it.
        pub fn prepare(&self) -> Result<wiregen_runtime::PreparedRequest, #error> {
            self.#client.prepare(self.to_request()).map_err(wiregen_runtime::Error::with_code)
        }
    }
}

/// The body of `to_request`: every parameter handed to the runtime.
fn to_request(op: &Operation, client: &Ident, options: &Ident) -> TokenStream {
    let start = quote!(self.#client.request(&OPERATION));
    let calls = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Body)
        .map(|param| {
            let field = field_name(param);
            let wire = &param.wire.0;
            let call = match (param.location, param.style) {
                // The value is the body; its name never travels.
                (ParamLocation::WholeBody, _) => {
                    return if param.required {
                        quote!(request.json_body(&self.#field);)
                    } else {
                        quote! {
                            if let Some(value) = &self.#field {
                                request.json_body(value);
                            }
                        }
                    };
                }
                (_, ParamStyle::JsonString) => quote!(query_json),
                (ParamLocation::Path, _) => quote!(path),
                (ParamLocation::Header, _) => quote!(header),
                _ => quote!(query),
            };
            if param.required {
                quote!(request.#call(#wire, &self.#field);)
            } else {
                quote! {
                    if let Some(value) = &self.#field {
                        request.#call(#wire, value);
                    }
                }
            }
        });
    let body = json_body(op);
    quote! {
        let mut request = #start;
        #(#calls)*
        #body
        self.#options.apply(&mut request);
        request
    }
}

/// Body parameters, written as the members of one JSON object through the runtime's `ToJson`
/// (as models are): an absent optional member is left out.
fn json_body(op: &Operation) -> Option<TokenStream> {
    let params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Body)
        .collect();
    if params.is_empty() {
        return None;
    }
    let members = params.iter().map(|param| {
        let field = field_name(param);
        let wire = &param.wire.0;
        if param.required {
            quote!(body.put(#wire, &self.#field);)
        } else {
            quote!(body.put_some(#wire, &self.#field);)
        }
    });
    Some(quote! {
        let mut body = wiregen_runtime::to_json::Members::new();
        #(#members)*
        request.json_body(&body.into_value());
    })
}

fn param_doc(param: &Param) -> String {
    let mut doc = docs::item(
        param.description.as_deref(),
        &format!("`{}`.", param.wire.0),
    );
    let mut facts = vec![match param.location {
        ParamLocation::WholeBody => "Sent as the whole JSON body".to_owned(),
        _ => format!("Sent as `{}`", param.wire.0),
    }];
    let place = match param.location {
        ParamLocation::Query => Some("in the query"),
        ParamLocation::Path => Some("in the path"),
        ParamLocation::Header => Some("as a header"),
        ParamLocation::Body => Some("in the JSON body"),
        ParamLocation::WholeBody => None,
    };
    facts.extend(place.map(str::to_owned));
    if param.style == ParamStyle::JsonString {
        facts.push("as one JSON string".to_owned());
    }
    let mut line = facts.join(" ");
    if let Some(limits) = &param.constraints {
        let mut parts = Vec::new();
        if let Some(min) = limits.min {
            parts.push(format!("at least {min}"));
        }
        if let Some(max) = limits.max {
            parts.push(format!("at most {max}"));
        }
        if let Some(len) = limits.max_length {
            parts.push(format!("at most {len} characters"));
        }
        if !parts.is_empty() {
            line.push_str("; ");
            line.push_str(&parts.join(", "));
        }
    }
    doc.push_str("\n\n");
    doc.push_str(&line);
    doc.push('.');
    doc
}

/// The client method's docs: summary, description, parameters, example.
fn method_doc(ctx: &ServiceCtx<'_>, op: &Operation, required: &[&Param]) -> String {
    let mut doc = docs::markdown(&op.summary);
    if let Some(description) = op
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        doc.push_str("\n\n");
        doc.push_str(&docs::markdown(description));
    }
    doc.push_str(&format!(
        "\n\n`{} {}` (`{}`){}.",
        http_method(op.http.method),
        op.http.path,
        op.name.0,
        if op.idempotent {
            ", idempotent: retried on transient failures"
        } else {
            ""
        }
    ));
    if let Some(source) = docs::text_source(op, ctx.svc) {
        doc.push_str("\n\n");
        doc.push_str(source);
    }
    if !required.is_empty() {
        doc.push_str("\n\n# Arguments\n");
        for param in required {
            let text = docs::item(
                param.description.as_deref(),
                &format!("`{}`.", param.wire.0),
            );
            // One list item: continuation lines indented under the bullet.
            let text = text.replace('\n', "\n  ");
            doc.push_str(&format!("\n- `{}`: {text}", bare(&param.rust)));
        }
    }
    doc.push_str("\n\n# Example\n\n");
    doc.push_str(&example(ctx, op, required));
    doc
}

fn example(ctx: &ServiceCtx<'_>, op: &Operation, required: &[&Param]) -> String {
    let krate = &ctx.svc.crate_ident.0;
    let args: Vec<String> = required
        .iter()
        .map(|p| examples::value(ctx, &p.ty, examples::example_param(op, &p.wire.0)))
        .collect();
    let mut call = format!("client\n    .{}({})", ident(&op.method), args.join(", "));
    // Show the optional parameters the spec's example sets (simple values only).
    for param in op
        .params
        .iter()
        .filter(|p| !p.required && !p.deprecated)
        .take(8)
    {
        let (Some(setter), Some(value)) =
            (&param.setter, examples::example_param(op, &param.wire.0))
        else {
            continue;
        };
        if matches!(
            param.ty,
            crate::ir::TypeRef::List(_) | crate::ir::TypeRef::Map(_) | crate::ir::TypeRef::Json
        ) {
            continue;
        }
        let value = examples::value(ctx, &param.ty, Some(value));
        call.push_str(&format!("\n    .{}({value})", ident(setter)));
    }
    let allow = if op.deprecated {
        "# #![allow(deprecated)]\n"
    } else {
        ""
    };
    format!(
        "```no_run\n{allow}# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {krate}::Client::from_env()?;\n\
         let response = {call}\n    .send()\n    .await?;\n\
         println!(\"{{response:?}}\");\n# Ok(())\n# }}\n```"
    )
}

/// The method as written on the wire.
pub fn http_method(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    }
}
