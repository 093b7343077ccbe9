//! Server-sent events: `stream()` on the builder of a streaming operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{OpNames, bare};
use super::types::{Scope, rust_type};
use super::{ServiceCtx, docs};
use crate::ir::{Operation, Streaming};

/// The `SSE` static: how the runtime reads this operation's events.
pub fn options(streaming: &Streaming) -> TokenStream {
    let name_field = match &streaming.event_name_field {
        Some(step) => {
            let wire = &step.wire.0;
            quote!(Some(#wire))
        }
        None => quote!(None),
    };
    let errors = &streaming.error_events;
    let terminal = &streaming.terminal_events;
    let ignored = &streaming.ignored_events;
    quote! {
        static SSE: wiregen_runtime::SseOptions = wiregen_runtime::SseOptions {
            event_name_field: #name_field,
            error_events: &[#(#errors),*],
            terminal_events: &[#(#terminal),*],
            ignored_events: &[#(#ignored),*],
        };
    }
}

/// The `stream` method.
pub fn emit(
    ctx: &ServiceCtx<'_>,
    op: &Operation,
    streaming: &Streaming,
    names: &OpNames,
) -> TokenStream {
    let OpNames { client, error, .. } = names;
    let event = rust_type(&streaming.event, Scope::Crate);
    let list = |events: &[String]| {
        if events.is_empty() {
            "none".to_owned()
        } else {
            events
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let krate = &ctx.svc.crate_ident.0;
    let doc = docs::attrs(&format!(
        "Sends the request and yields its server-sent events as they arrive.\n\n\
         Ends after a terminal event ({terminal}); an error event ({errors}) ends it with an \
         error; {ignored} are skipped.\n\n\
         # Errors\n\n\
         Each item is an error when the request fails, the service reports an error, the \
         stream breaks off or an event does not decode.\n\n\
         # Example\n\n\
         ```no_run\n\
         # async fn example(request: {krate}::operations::{builder}) -> {krate}::Result<()> {{\n\
         use {krate}::futures::StreamExt;\n\
         let mut events = std::pin::pin!(request.stream());\n\
         while let Some(event) = events.next().await {{\n    \
             let event = event?;\n    \
             println!(\"{{}}: {{:?}}\", event.event, event.data);\n\
         }}\n\
         # Ok(())\n# }}\n```",
        terminal = list(&streaming.terminal_events),
        errors = list(&streaming.error_events),
        ignored = match streaming.ignored_events.as_slice() {
            [] => "no events".to_owned(),
            events => list(events),
        },
        builder = bare(&op.builder),
    ));
    quote! {
        #doc
        pub fn stream(
            self,
        ) -> impl wiregen_runtime::futures::Stream<Item = Result<wiregen_runtime::SseEvent<#event>, #error>> + Send + 'static {
            self.#client.send_sse(self.to_request(), SSE)
        }

        /// [`stream`](Self::stream), waiting for the response head first and returning its
        /// HTTP status, headers, request id and number of attempts with the events.
        ///
        /// # Errors
        ///
        /// When the request fails or the service answers with an error before the stream starts.
        pub async fn stream_with_metadata(
            self,
        ) -> Result<(wiregen_runtime::ResponseMetadata, wiregen_runtime::BoxStream<Result<wiregen_runtime::SseEvent<#event>, #error>>), #error> {
            self.#client.send_sse_with_metadata(self.to_request(), SSE).await
        }
    }
}
