//! `src/mock.rs` (feature `mock`): the table the runtime's validating mock checks requests
//! against, and a `Mock` with one typed rule builder per operation.
//!
//! The table comes from the same IR as the client, so the mock knows exactly the parameters,
//! types, enum values, limits and examples the client was generated from. The rules take the
//! generated model and error-code types, so a rule that does not fit the API does not compile.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::{self, ident};
use super::types::{Scope, rust_type};
use super::{ServiceCtx, docs, examples, operations};
use crate::ir::{
    Auth, Operation, Param, ParamLocation, ParamStyle, ResponseBody, TypeKind, TypeRef,
};

/// The whole `mock.rs`.
pub fn emit(ctx: &ServiceCtx<'_>) -> TokenStream {
    let svc = ctx.svc;
    let title = docs::markdown(&svc.title);
    let ops = svc.operations.iter().map(|op| operation(ctx, op));
    let methods = svc.operations.iter().map(rule_method);
    let rules = svc.operations.iter().map(rule_type);
    let (example_entries, example_fns) = example_calls(ctx);
    let credentials = match &svc.auth {
        Auth::Acs3HmacSha256 => quote! {
            let mut builder = builder.access_key(&creds.access_key_id, &creds.access_key_secret);
            if let Some(token) = &creds.security_token {
                builder = builder.security_token(token);
            }
            builder
        },
        Auth::Bearer { .. } => quote! {
            match &creds.bearer {
                Some(key) => builder.bearer_token(key),
                None => builder,
            }
        },
    };
    let module_doc = docs::inner_attrs(&format!(
        "A validating mock of {title} for tests, with no account and no network (feature \
         `mock`, for `[dev-dependencies]`).\n\n\
         [`Mock::start`] serves the service on 127.0.0.1; [`Mock::client`] is a client \
         pointed at it. Every request is checked as the service checks it (signature, \
         version, operation, parameters) and answered with the operation's spec example, or \
         with what a rule says:\n\n\
         ```ignore\n\
         let mock = Mock::start().await?;\n\
         mock.some_operation().respond(response).expect(1);\n\
         let answer = mock.client().some_operation().send().await?;\n\
         ```\n\n\
         See [`wiregen_runtime::mock`] for the checks and the codes they answer with."
    ));
    // Rules name every response and event type, deprecated ones included.
    let allow_deprecated = (ctx.has_deprecated_types
        || svc.operations.iter().any(|o| o.deprecated))
    .then(|| quote!(#![allow(deprecated)]));
    quote! {
        #module_doc
        #allow_deprecated

        /// The service as the mock checks it: operations, parameters and their limits,
        /// spec examples.
        pub static SERVICE: wiregen_runtime::mock::MockService = wiregen_runtime::mock::MockService {
            info: &crate::SERVICE,
            operations: &[#(#ops),*],
        };

        /// A running mock, with one typed rule builder per operation. Dereferences to the
        /// runtime's [`MockServer`](wiregen_runtime::mock::MockServer) (its log, `verify`,
        /// untyped rules). Dropping it checks every rule's `expect`.
        #[derive(Debug)]
        pub struct Mock {
            server: wiregen_runtime::mock::MockServer,
        }

        impl Mock {
            /// Starts a mock on a free port of 127.0.0.1 that accepts the default test
            /// credentials.
            ///
            /// # Errors
            ///
            /// When no port can be bound.
            pub async fn start() -> std::io::Result<Mock> {
                Ok(Mock { server: wiregen_runtime::mock::MockServer::start(&SERVICE).await? })
            }

            /// Settings (credentials it accepts, port) for a mock; start it, then wrap it
            /// with [`Mock::from_server`].
            pub fn builder() -> wiregen_runtime::mock::MockBuilder {
                wiregen_runtime::mock::MockServer::builder(&SERVICE)
            }

            /// A mock around a server started from [`Mock::builder`].
            pub fn from_server(server: wiregen_runtime::mock::MockServer) -> Mock {
                Mock { server }
            }

            /// Configuration for a client of this mock: its endpoint and the credentials it
            /// accepts (change them to test a mistake).
            pub fn config(&self) -> wiregen_runtime::ConfigBuilder {
                let creds = self.server.credentials();
                let builder = wiregen_runtime::Config::builder().endpoint(self.server.uri());
                #credentials
            }

            /// A client of this mock.
            pub fn client(&self) -> crate::Client {
                crate::Client::new(self.config().build())
            }

            #(#methods)*
        }

        impl std::ops::Deref for Mock {
            type Target = wiregen_runtime::mock::MockServer;

            fn deref(&self) -> &Self::Target {
                &self.server
            }
        }

        #(#rules)*

        /// The spec's examples as typed calls, one per example of each operation: each builds
        /// the call through the client's builders and setters with the example's values and
        /// makes it (a paginated one as the [`Walk`](wiregen_runtime::mock::Walk) says, a
        /// streaming one collecting its events). Replay them against a [`Mock`], or against
        /// any server, to check the client's requests and the decoding of answers.
        pub static EXAMPLES: &[wiregen_runtime::mock::ExampleCall<crate::Client, crate::Error>] =
            &[#(#example_entries),*];

        #(#example_fns)*
    }
}

/// The table entries of [`EXAMPLES`] and the functions they call: per operation one
/// `replay_<n>` that makes a built call (so the future's type and `Send` bound are checked
/// once per operation, not once per example), and per example one `example_<n>` that builds it.
fn example_calls(ctx: &ServiceCtx<'_>) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut entries = Vec::new();
    let mut fns = Vec::new();
    for (n, op) in ctx.svc.operations.iter().enumerate() {
        if op.examples.is_empty() {
            continue;
        }
        let replay = format_ident!("replay_{n}");
        let builder = ident(&op.builder);
        let (kind, finish) = example_finish(op);
        fns.push(quote! {
            #[allow(deprecated)]
            fn #replay(
                request: crate::operations::#builder,
                walk: wiregen_runtime::mock::Walk,
            ) -> wiregen_runtime::futures::future::BoxFuture<
                'static,
                crate::Result<wiregen_runtime::mock::Replayed>,
            > {
                #finish
            }
        });
        for ex in &op.examples {
            let function = format_ident!("example_{}", entries.len());
            let operation = &op.name.0;
            let example = &ex.name;
            entries.push(quote! {
                wiregen_runtime::mock::ExampleCall {
                    operation: #operation,
                    example: #example,
                    kind: wiregen_runtime::mock::CallKind::#kind,
                    call: #function,
                }
            });
            let method = ident(&op.method);
            let args = op.params.iter().filter(|p| p.required).map(|p| {
                examples::typed(
                    ctx,
                    &p.ty,
                    ex.request.get(&p.wire.0).filter(|v| !v.is_null()),
                )
            });
            let setters = op.params.iter().filter_map(|p| {
                let setter = ident(p.setter.as_ref()?);
                let value = ex.request.get(&p.wire.0).filter(|v| !v.is_null())?;
                let value = examples::typed(ctx, &p.ty, Some(value));
                Some(quote!(.#setter(#value)))
            });
            fns.push(quote! {
                #[allow(deprecated)]
                fn #function(
                    client: &crate::Client,
                    walk: wiregen_runtime::mock::Walk,
                ) -> wiregen_runtime::futures::future::BoxFuture<
                    'static,
                    crate::Result<wiregen_runtime::mock::Replayed>,
                > {
                    #replay(client.#method(#(#args),*) #(#setters)*, walk)
                }
            });
        }
    }
    (entries, fns)
}

/// The kind of an operation's calls, and the body that makes one from `request`.
fn example_finish(op: &Operation) -> (proc_macro2::Ident, TokenStream) {
    if op.streaming.is_some() {
        let finish = quote! {
            let _ = walk;
            wiregen_runtime::mock::streamed(request.stream())
        };
        (format_ident!("Streaming"), finish)
    } else if op.pagination.is_some() {
        let builder = ident(&op.builder);
        let finish = quote! {
            wiregen_runtime::mock::paged(
                walk,
                request,
                crate::operations::#builder::send,
                crate::operations::#builder::into_pages,
                crate::operations::#builder::into_stream,
            )
        };
        (format_ident!("Paged"), finish)
    } else {
        let finish = quote! {
            let _ = walk;
            wiregen_runtime::mock::sent(request.send())
        };
        (format_ident!("Plain"), finish)
    }
}

/// The table entry of one operation.
fn operation(ctx: &ServiceCtx<'_>, op: &Operation) -> TokenStream {
    let name = &op.name.0;
    let method = format_ident!(
        "{}",
        match operations::http_method(op.http.method) {
            "GET" => "Get",
            "PUT" => "Put",
            "PATCH" => "Patch",
            "DELETE" => "Delete",
            _ => "Post",
        }
    );
    let path = &op.http.path;
    let params = op.params.iter().map(|p| param(ctx, p));
    let streaming = op.streaming.is_some();
    let examples = op.examples.iter().map(|ex| {
        let name = &ex.name;
        let status = ex.status;
        let body = option_str(ex.response.as_deref());
        let events = option_str(ex.events.as_deref());
        quote!(wiregen_runtime::mock::MockExample { name: #name, status: #status, body: #body, events: #events })
    });
    quote! {
        wiregen_runtime::mock::MockOperation {
            name: #name,
            method: wiregen_runtime::Method::#method,
            path: #path,
            params: &[#(#params),*],
            streaming: #streaming,
            examples: &[#(#examples),*],
        }
    }
}

/// The table entry of one parameter.
fn param(ctx: &ServiceCtx<'_>, p: &Param) -> TokenStream {
    let wire = &p.wire.0;
    let location = format_ident!(
        "{}",
        match p.location {
            ParamLocation::Query => "Query",
            ParamLocation::Path => "Path",
            ParamLocation::Header => "Header",
            ParamLocation::Body => "Body",
            ParamLocation::WholeBody => "WholeBody",
        }
    );
    let (kind, values) = kind(ctx, &p.ty);
    let kind = format_ident!("{kind}");
    let required = p.required;
    let c = p.constraints.as_ref();
    let min = option_f64(c.and_then(|c| c.min));
    let max = option_f64(c.and_then(|c| c.max));
    let max_length = match c.and_then(|c| c.max_length) {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let json_string = p.style == ParamStyle::JsonString;
    quote! {
        wiregen_runtime::mock::MockParam {
            wire: #wire,
            location: wiregen_runtime::mock::Location::#location,
            kind: wiregen_runtime::mock::Kind::#kind,
            required: #required,
            values: &[#(#values),*],
            min: #min,
            max: #max,
            max_length: #max_length,
            json_string: #json_string,
        }
    }
}

/// The mock's kind of a type, and an enum's wire values.
fn kind(ctx: &ServiceCtx<'_>, ty: &TypeRef) -> (&'static str, Vec<String>) {
    match ty {
        TypeRef::String => ("String", Vec::new()),
        TypeRef::Bool => ("Bool", Vec::new()),
        TypeRef::Int32 => ("Int32", Vec::new()),
        TypeRef::Int64 | TypeRef::TimestampSeconds | TypeRef::TimestampMillis => {
            ("Int64", Vec::new())
        }
        TypeRef::Float64 => ("Float", Vec::new()),
        TypeRef::Json => ("Json", Vec::new()),
        TypeRef::List(_) => ("List", Vec::new()),
        TypeRef::Map(_) => ("Object", Vec::new()),
        TypeRef::Named(name) => match ctx.type_decl(name).map(|d| &d.kind) {
            Some(TypeKind::Enum { values }) => {
                ("String", values.iter().map(|v| v.wire.0.clone()).collect())
            }
            _ => ("Object", Vec::new()),
        },
    }
}

fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn option_f64(n: Option<f64>) -> TokenStream {
    match n {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

/// The name of an operation's rule type (`GetConversationsRule`): from the builder's name,
/// which lower has already made a unique, valid identifier (the wire name need not be one).
fn rule_ident(op: &Operation) -> proc_macro2::Ident {
    let builder = op.builder.0.trim_start_matches("r#");
    let stem = builder.strip_suffix("Request").unwrap_or(builder);
    format_ident!("{stem}Rule")
}

/// `Mock::<operation>()`.
fn rule_method(op: &Operation) -> TokenStream {
    let method = ident(&op.method);
    let rule = rule_ident(op);
    let name = &op.name.0;
    let doc = docs::attrs(&format!(
        "A rule for `{name}` (answers with the spec example until given answers)."
    ));
    quote! {
        #doc
        pub fn #method(&self) -> #rule<'_> {
            #rule(self.server.rule(#name))
        }
    }
}

/// The typed rule builder of one operation.
fn rule_type(op: &Operation) -> TokenStream {
    let rule = rule_ident(op);
    let name = &op.name.0;
    let error_enum = ident(&op.error_enum);
    let respond = match op.response_body {
        ResponseBody::Json => {
            let response = rust_type(&op.response, Scope::Crate);
            quote! {
                /// Answers with this response (HTTP 200), after the answers given before.
                pub fn respond(self, response: #response) -> Self {
                    Self(self.0.respond_json(200, wiregen_runtime::ToJson::to_json(&response)))
                }
            }
        }
        ResponseBody::Text | ResponseBody::Bytes => {
            let content_type = if op.response_body == ResponseBody::Text {
                "text/plain; charset=utf-8"
            } else {
                "application/octet-stream"
            };
            quote! {
                /// Answers with this body (HTTP 200), after the answers given before.
                pub fn respond(self, body: impl Into<String>) -> Self {
                    Self(self.0.answer(wiregen_runtime::mock::Answer::Raw {
                        status: 200,
                        content_type: #content_type.to_owned(),
                        body: body.into(),
                    }))
                }
            }
        }
    };
    let events = op.streaming.as_ref().map(|s| {
        let event = rust_type(&s.event, Scope::Crate);
        quote! {
            /// Answers with these server-sent events, after the answers given before.
            pub fn events(self, events: impl IntoIterator<Item = #event>) -> Self {
                Self(self.0.events(events.into_iter().map(|e| wiregen_runtime::ToJson::to_json(&e))))
            }
        }
    });
    // Plain text, not a link: a method named after a keyword (`r#match`) can not be linked.
    let doc = docs::attrs(&format!(
        "A rule for `{name}`: answers play in order and the last repeats (made by \
         `Mock::{}`).",
        names::bare(&op.method)
    ));
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a rule without answers answers with the spec example"]
        pub struct #rule<'a>(wiregen_runtime::mock::RuleBuilder<'a>);

        impl #rule<'_> {
            #respond

            #events

            /// Answers with the service's error body for `code`, with this HTTP status.
            pub fn fail(self, status: u16, code: crate::errors::#error_enum, message: &str) -> Self {
                Self(self.0.fail(status, wiregen_runtime::ErrorCode::as_str(&code), message))
            }

            /// Answers as the gateway throttles (`Throttling.User`), with `x-acs-retry-after`
            /// when given.
            pub fn throttle(self, retry_after: Option<std::time::Duration>) -> Self {
                Self(self.0.throttle(retry_after))
            }

            /// Any answer (a raw body, events as text).
            pub fn answer(self, answer: wiregen_runtime::mock::Answer) -> Self {
                Self(self.0.answer(answer))
            }

            /// Takes only calls whose parameter `wire` (wire name) has this value, as text.
            pub fn when(self, wire: &str, value: &str) -> Self {
                Self(self.0.when(wire, value))
            }

            /// Waits this long before each answer.
            pub fn delay(self, d: std::time::Duration) -> Self {
                Self(self.0.delay(d))
            }

            /// Expects exactly `n` calls, checked when the mock is dropped.
            pub fn expect(self, n: u32) -> Self {
                Self(self.0.expect(n))
            }

            /// Calls taken so far.
            pub fn calls(&self) -> u32 {
                self.0.calls()
            }
        }
    }
}
