//! The spec's examples as typed calls, for replaying them against a mock or any server on
//! 127.0.0.1.
//!
//! A generated crate's `mock::EXAMPLES` lists one [`ExampleCall`] per example of each
//! operation: a function that builds the call through the crate's own builders and setters
//! (so a replay exercises the typed API and its encoding, not a raw request) and makes it.
//! The helpers here finish the call the way its operation is used: decode the response,
//! walk the pages, or collect the events.

use std::fmt;
use std::future::Future;

use futures::future::BoxFuture;
use futures::{Stream, StreamExt as _};

/// How a paginated example is walked (other operations make their one call whatever the walk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// One call (`send`), its response decoded.
    Send,
    /// Every page (`into_pages`), until the service says there is no more.
    Pages,
    /// Every item of every page (`into_stream`).
    Items,
}

/// What an operation's calls return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// One response.
    Plain,
    /// Pages (`into_pages`, `into_stream`).
    Paged,
    /// Server-sent events (`stream`).
    Streaming,
}

/// What a replayed call received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Replayed {
    /// Responses decoded (pages walked).
    pub pages: usize,
    /// Items of a page walk.
    pub items: usize,
    /// Events of a stream.
    pub events: usize,
}

/// A replayable example: builds the typed call on a client `C` and makes it.
pub type ExampleFn<C, E> = fn(&C, Walk) -> BoxFuture<'static, Result<Replayed, E>>;

/// One example of one operation, as a typed call.
pub struct ExampleCall<C: 'static, E: 'static> {
    /// The operation's wire name.
    pub operation: &'static str,
    /// The example's name in the spec.
    pub example: &'static str,
    /// What the operation's calls return.
    pub kind: CallKind,
    /// Builds the call with the example's values and makes it.
    pub call: ExampleFn<C, E>,
}

impl<C, E> fmt::Debug for ExampleCall<C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExampleCall")
            .field("operation", &self.operation)
            .field("example", &self.example)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Makes a plain call: one response, decoded.
pub fn sent<T: Send + 'static, E: Send + 'static>(
    call: impl Future<Output = Result<T, E>> + Send + 'static,
) -> BoxFuture<'static, Result<Replayed, E>> {
    Box::pin(async move {
        call.await?;
        Ok(Replayed {
            pages: 1,
            ..Replayed::default()
        })
    })
}

/// Makes a paginated call as `walk` says: `send` once, or walk the pages or the items.
pub fn paged<R, T, P, I, E, F, SP, SI>(
    walk: Walk,
    request: R,
    send: impl FnOnce(R) -> F,
    pages: impl FnOnce(R) -> SP,
    items: impl FnOnce(R) -> SI,
) -> BoxFuture<'static, Result<Replayed, E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    SP: Stream<Item = Result<P, E>> + Send + 'static,
    SI: Stream<Item = Result<I, E>> + Send + 'static,
    T: Send + 'static,
    P: Send + 'static,
    I: Send + 'static,
    E: Send + 'static,
{
    match walk {
        Walk::Send => sent(send(request)),
        Walk::Pages => {
            let walk = pages(request);
            Box::pin(async move {
                let pages = count(walk).await?;
                Ok(Replayed {
                    pages,
                    ..Replayed::default()
                })
            })
        }
        Walk::Items => {
            let walk = items(request);
            Box::pin(async move {
                let items = count(walk).await?;
                Ok(Replayed {
                    items,
                    ..Replayed::default()
                })
            })
        }
    }
}

/// Makes a streaming call and collects its events.
pub fn streamed<V: Send + 'static, E: Send + 'static>(
    events: impl Stream<Item = Result<V, E>> + Send + 'static,
) -> BoxFuture<'static, Result<Replayed, E>> {
    Box::pin(async move {
        let events = count(events).await?;
        Ok(Replayed {
            pages: 1,
            events,
            ..Replayed::default()
        })
    })
}

/// How many items `stream` yields; its first error ends the count.
async fn count<V, E>(stream: impl Stream<Item = Result<V, E>>) -> Result<usize, E> {
    let mut stream = std::pin::pin!(stream);
    let mut n = 0;
    while let Some(item) = stream.next().await {
        item?;
        n += 1;
    }
    Ok(n)
}
