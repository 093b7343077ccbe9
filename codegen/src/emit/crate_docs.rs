//! `src/lib.rs`: the crate documentation, modules and re-exports.
//!
//! The crate docs are what a user reads first: what the service is, how it
//! is reached, which spec produced the crate, every operation, and an
//! example that compiles.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::names::bare;
use super::{ServiceCtx, docs, examples};
use crate::ir::{Auth, Operation, Protocol};

/// The whole `lib.rs`.
pub fn emit(ctx: &ServiceCtx<'_>) -> TokenStream {
    let crate_docs = docs::inner_attrs(&text(ctx));
    quote! {
        #crate_docs
        // This file and the modules keep the generator's layout: `cargo fmt`
        // leaves them alone, so formatting the workspace never makes
        // generated/ stale (`cfg_attr`: the attribute is for rustfmt only).
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod errors;
        #[rustfmt::skip]
        pub mod models;
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
        #[rustfmt::skip]
        pub mod operations;

        pub use client::{Client, SERVICE};
        pub use errors::{Error, Result, ServiceError};
        pub use wiregen_runtime::{
            AccessKey, Attempt, BoxStream, CachedProvider, CallOptions, ChainSettings, Config,
            ConfigBuilder, Credentials, CredentialsError, DecodeError, DefaultChain, ErrorCode,
            HttpRequest, HttpResponse, Interceptor, LimitKind, PreparedRequest, ProvideCredentials,
            ResponseMetadata, RetryPolicy, SseEvent, StreamError, TimeoutKind, UnixMillis,
            UnixSeconds, UnknownCode,
        };
        /// The `futures` traits (`StreamExt`, `TryStreamExt`) that read paged and event streams.
        pub use wiregen_runtime::futures;
        /// The runtime underneath, for what the re-exports above do not cover.
        pub use wiregen_runtime as runtime;
    }
}

fn text(ctx: &ServiceCtx<'_>) -> String {
    let svc = ctx.svc;
    let mut doc = format!("# {}\n", docs::markdown(&svc.title));
    if let Some(description) = svc.description.as_deref().filter(|d| !d.trim().is_empty()) {
        doc.push('\n');
        doc.push_str(&docs::markdown(description));
        doc.push('\n');
    }
    let protocol = match svc.protocol {
        Protocol::AlibabaRpc => "Alibaba Cloud RPC (`POST /`, parameters in the query)",
        Protocol::AlibabaRoa => "Alibaba Cloud ROA (method and path per operation)",
        Protocol::RestJson => "REST with JSON bodies",
    };
    let auth = match &svc.auth {
        Auth::Acs3HmacSha256 => {
            "`ACS3-HMAC-SHA256` signature (access key, optional STS token)".to_owned()
        }
        Auth::Bearer { env } => format!("`Authorization: Bearer` API key (`{env}`)"),
    };
    doc.push_str("\n| | |\n|---|---|\n");
    doc.push_str(&format!("| Protocol | {protocol} |\n"));
    if let Some(version) = &svc.api_version {
        doc.push_str(&format!("| API version | `{version}` |\n"));
    }
    doc.push_str(&format!("| Endpoint | `{}` |\n", svc.endpoints.default));
    doc.push_str(&format!("| Authentication | {auth} |\n"));
    doc.push_str(&format!("| Crate version | `{}` |\n", svc.crate_version));
    doc.push_str(&format!("| Spec hash | `sha256:{}` |\n", svc.spec_hash));

    doc.push_str("\n## Operations\n");
    // Upstream's categories (the metadata's `directories`), in name order;
    // operations upstream files nowhere come last. A service without any
    // category keeps one table.
    let mut groups: BTreeMap<Option<&str>, Vec<&Operation>> = BTreeMap::new();
    for op in &svc.operations {
        groups.entry(op.group.as_deref()).or_default().push(op);
    }
    let grouped = groups.keys().any(Option::is_some);
    let mut sections: Vec<_> = groups.into_iter().collect();
    sections.sort_by_key(|(group, _)| (group.is_none(), *group));
    for (group, ops) in sections {
        if grouped {
            let title = group.unwrap_or("Not in upstream's categories");
            doc.push_str(&format!("\n### {}\n", docs::markdown(title)));
        }
        doc.push_str("\n| Operation | HTTP | Summary |\n|---|---|---|\n");
        for op in ops {
            doc.push_str(&row(op));
        }
    }
    doc.push_str("\n## Example\n\n");
    doc.push_str(&example(ctx));
    doc
}

/// One operation's row of the table.
fn row(op: &Operation) -> String {
    let mut extras = Vec::new();
    if op.pagination.is_some() {
        extras.push("paged");
    }
    if op.streaming.is_some() {
        extras.push("streaming");
    }
    if op.deprecated {
        extras.push("deprecated");
    }
    if op.imported_text.is_some() {
        extras.push("imported");
    }
    let extras = if extras.is_empty() {
        String::new()
    } else {
        format!(" ({})", extras.join(", "))
    };
    format!(
        "| [`{name}`](Client::{method}){extras} | `{http} {path}` | {summary} |\n",
        name = op.name.0,
        method = bare(&op.method),
        http = super::operations::http_method(op.http.method),
        path = op.http.path,
        summary = docs::markdown(&op.summary)
            .replace('\n', " ")
            .replace('|', "\\|"),
    )
}

/// A compiling example: configure a client, call the first non-deprecated operation.
fn example(ctx: &ServiceCtx<'_>) -> String {
    let svc = ctx.svc;
    let krate = &svc.crate_ident.0;
    let config = match &svc.auth {
        Auth::Acs3HmacSha256 => {
            "// Or explicitly: Config::builder().access_key(id, secret).region(\"cn-hangzhou\").build()"
        }
        Auth::Bearer { .. } => "// Or explicitly: Config::builder().bearer_token(key).build()",
    };
    let live = || svc.operations.iter().filter(|op| !op.deprecated);
    let mut body = String::new();
    if let Some(op) = live().next() {
        body.push_str(&format!(
            "let response = client.{}.send().await?;\nprintln!(\"{{response:?}}\");\n",
            call(ctx, op)
        ));
    }
    // Pages and events are what a user is least likely to guess: show them.
    if let Some(op) = live().find(|op| op.pagination.is_some()) {
        body.push_str(&format!(
            "\n// Every item of every page, fetched as the stream is polled.\n\
             let items: Vec<_> = client.{call}.into_stream().try_collect().await?;\n\
             println!(\"{{}} items\", items.len());\n\
             // Or page by page, each with its metadata.\n\
             let mut pages = std::pin::pin!(client.{call}.into_pages());\n\
             while let Some(page) = pages.try_next().await? {{\n    \
                 println!(\"page {{}}: request id {{:?}}\", page.number, page.metadata.request_id());\n\
             }}\n",
            call = call(ctx, op)
        ));
    }
    if let Some(op) = live().find(|op| op.streaming.is_some()) {
        body.push_str(&format!(
            "\n// Server-sent events, each as soon as it arrives.\n\
             let mut events = std::pin::pin!(client.{}.stream());\n\
             while let Some(event) = events.try_next().await? {{\n    \
                 println!(\"{{}}: {{:?}}\", event.event, event.data);\n\
             }}\n",
            call(ctx, op)
        ));
    }
    let uses_streams = live().any(|op| op.pagination.is_some() || op.streaming.is_some());
    let import = if uses_streams {
        format!("use {}::futures::TryStreamExt;\n\n", ctx.svc.crate_ident.0)
    } else {
        String::new()
    };
    format!(
        "```no_run\n# async fn example() -> {krate}::Result<()> {{\n\
         {import}{config}\nlet client = {krate}::Client::from_env()?;\n{body}\
         # Ok(())\n# }}\n```\n\n\
         ## Errors\n\n\
         Every call returns [`Result`]`<T>`: its error is the crate's one [`Error`] type, with \
         the service's codes typed as [`errors::{code}`], so `?` works across configuration, \
         calls, pages and stream items. A service error is an \
         [`Error::Service`](wiregen_runtime::Error::Service) whether it came as an error \
         response or as an error event inside a stream: match its \
         [`code`](wiregen_runtime::Error::code), or ask \
         [`is_throttling`](wiregen_runtime::Error::is_throttling), \
         [`is_not_found`](wiregen_runtime::Error::is_not_found) or \
         [`is_retryable`](wiregen_runtime::Error::is_retryable). To test your own error \
         handling, build errors without a server: \
         [`ServiceError::new`](wiregen_runtime::ServiceError::new)`(429, \"Throttling.User\")` \
         and `.into()` an [`Error`].",
        code = super::errors::crate_code_name(ctx),
    )
}

/// `method(required arguments...)` with example values.
fn call(ctx: &ServiceCtx<'_>, op: &Operation) -> String {
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| examples::value(ctx, &p.ty, examples::example_param(op, &p.wire.0)))
        .collect();
    format!("{}({})", super::names::ident(&op.method), args.join(", "))
}
