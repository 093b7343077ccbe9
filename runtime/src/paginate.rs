//! Pagination: turning "fetch one page" into a stream of items, for the three styles the APIs
//! use. The generator supplies closures that read and write its own request builder and page
//! types; the walk is lazy (a page is fetched when its first item is polled).
//!
//! Every walk refuses to loop forever: a cursor, token or page number the server hands back a
//! second time ends the stream with [`StreamError::PaginationLoop`] after the items already
//! received; and a walk that has fetched `max_pages` pages (the client's
//! [`max_pages`](crate::ConfigBuilder::max_pages), [`DEFAULT_MAX_PAGES`](crate::DEFAULT_MAX_PAGES)
//! by default) while the server still announces more ends with [`Error::Limit`] instead of
//! fetching another, which also stops servers that invent new cursors forever, keep sending
//! full pages without a total, or ignore the page number. A fetch error is yielded and ends
//! the stream.

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, Stream, StreamExt as _};

use crate::error::{Error, ErrorCode, LimitKind, StreamError};

/// Which item of a page carries the cursor for the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorFrom {
    /// The first item (e.g. `FirstId`: pages walk backwards from the newest).
    First,
    /// The last item (e.g. `LastId`).
    Last,
}

fn loop_error<C: ErrorCode>(cursor: String) -> Error<C> {
    Error::Stream(Box::new(StreamError::PaginationLoop { cursor }))
}

/// One step of a walk: the items of a page, an optional final error, and the next request.
type Step<Item, C, Req> = (Vec<Result<Item, Error<C>>>, Option<Req>);

/// Walks pages with a fetch and a "next request" rule, flattening items, fetching at most
/// `max_pages` pages.
fn walk<Req, Page, Item, C, Fetch, Fut, Next>(
    max_pages: u32,
    first: Req,
    fetch: Fetch,
    next: Next,
) -> impl Stream<Item = Result<Item, Error<C>>> + Send
where
    Req: Send + 'static,
    Page: Send,
    Item: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page, Error<C>>> + Send,
    Next: FnMut(&Req, Page) -> Step<Item, C, Req> + Send + 'static,
    Req: Clone,
{
    stream::unfold(
        (Some(first), fetch, next, 0u32),
        move |(req, fetch, mut next, fetched)| async move {
            let req = req?;
            let fetched = fetched.saturating_add(1);
            let (mut items, mut following) = match fetch(req.clone()).await {
                Ok(page) => next(&req, page),
                Err(e) => (vec![Err(e)], None),
            };
            if following.is_some() && fetched >= max_pages {
                following = None;
                items.push(Err(Error::Limit(LimitKind::Pages { limit: max_pages })));
            }
            Some((stream::iter(items), (following, fetch, next, fetched)))
        },
    )
    .flatten()
}

/// Cursor pagination: the next page starts after (or before) an item's id, while the page says
/// there is more.
///
/// * `split` returns the page's items and its has-more flag;
/// * `cursor_of` reads the cursor from an item (`from` says which one);
/// * `with_cursor` sets it on the request.
///
/// Stops when has-more is false, the page is empty, or the item has no cursor.
pub fn cursor<Req, Page, Item, C, Fetch, Fut, Split, CursorOf, WithCursor>(
    max_pages: u32,
    first: Req,
    fetch: Fetch,
    split: Split,
    cursor_of: CursorOf,
    from: CursorFrom,
    with_cursor: WithCursor,
) -> impl Stream<Item = Result<Item, Error<C>>> + Send
where
    Req: Clone + Send + 'static,
    Page: Send,
    Item: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page, Error<C>>> + Send,
    Split: Fn(Page) -> (Vec<Item>, bool) + Send + 'static,
    CursorOf: Fn(&Item) -> Option<String> + Send + 'static,
    WithCursor: Fn(Req, String) -> Req + Send + 'static,
{
    let mut seen = HashSet::new();
    walk(max_pages, first, fetch, move |req: &Req, page| {
        let (items, has_more) = split(page);
        let edge = match from {
            CursorFrom::First => items.first(),
            CursorFrom::Last => items.last(),
        };
        let cursor = if has_more {
            edge.and_then(&cursor_of).filter(|c| !c.is_empty())
        } else {
            None
        };
        let mut out: Vec<Result<Item, Error<C>>> = items.into_iter().map(Ok).collect();
        let following = match cursor {
            Some(c) if !seen.insert(c.clone()) => {
                out.push(Err(loop_error(c)));
                None
            }
            Some(c) => Some(with_cursor(req.clone(), c)),
            None => None,
        };
        (out, following)
    })
}

/// Page-number pagination.
///
/// * `split` returns the page's items and the total item count, if the service reports one;
/// * `page_of` reads (page number, page size) from the request;
/// * `with_page` sets the page number.
///
/// Stops at an empty or short page, or once `page * size` reaches the total.
pub fn pages<Req, Page, Item, C, Fetch, Fut, Split, PageOf, WithPage>(
    max_pages: u32,
    first: Req,
    fetch: Fetch,
    split: Split,
    page_of: PageOf,
    with_page: WithPage,
) -> impl Stream<Item = Result<Item, Error<C>>> + Send
where
    Req: Clone + Send + 'static,
    Page: Send,
    Item: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page, Error<C>>> + Send,
    Split: Fn(Page) -> (Vec<Item>, Option<i64>) + Send + 'static,
    PageOf: Fn(&Req) -> (i64, i64) + Send + 'static,
    WithPage: Fn(Req, i64) -> Req + Send + 'static,
{
    let mut seen = HashSet::new();
    walk(max_pages, first, fetch, move |req: &Req, page| {
        let (items, total) = split(page);
        let (number, size) = page_of(req);
        seen.insert(number);
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let reached_total = total.is_some_and(|t| number.saturating_mul(size) >= t);
        let done = items.is_empty() || size <= 0 || count < size || reached_total;
        let mut out: Vec<Result<Item, Error<C>>> = items.into_iter().map(Ok).collect();
        let following = if done {
            None
        } else {
            let next = with_page(req.clone(), number.saturating_add(1));
            let (n, _) = page_of(&next);
            if seen.contains(&n) {
                out.push(Err(loop_error(n.to_string())));
                None
            } else {
                Some(next)
            }
        };
        (out, following)
    })
}

/// Whether a next-token value means "no more pages": absent, empty, or a null spelled out as
/// text (AiContent's sample shows `"nextToken": "None"`, Python's rendering of a null).
fn is_end_token(t: &str) -> bool {
    matches!(t.trim(), "" | "None" | "null")
}

/// Next-token pagination.
///
/// * `split` returns the page's items and the next token;
/// * `with_token` sets the token on the request.
///
/// Stops when the token is absent, empty or `"None"`/`"null"`, or when the server echoes the
/// token it was just given (a common "last page" signal). A token seen on an earlier page ends
/// the stream with [`StreamError::PaginationLoop`].
pub fn tokens<Req, Page, Item, C, Fetch, Fut, Split, WithToken>(
    max_pages: u32,
    first: Req,
    fetch: Fetch,
    split: Split,
    with_token: WithToken,
) -> impl Stream<Item = Result<Item, Error<C>>> + Send
where
    Req: Clone + Send + 'static,
    Page: Send,
    Item: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page, Error<C>>> + Send,
    Split: Fn(Page) -> (Vec<Item>, Option<String>) + Send + 'static,
    WithToken: Fn(Req, String) -> Req + Send + 'static,
{
    let mut seen: HashSet<String> = HashSet::new();
    let mut last: Option<String> = None;
    walk(max_pages, first, fetch, move |req: &Req, page| {
        let (items, token) = split(page);
        let mut out: Vec<Result<Item, Error<C>>> = items.into_iter().map(Ok).collect();
        let following = match token.filter(|t| !is_end_token(t)) {
            None => None,
            Some(t) if last.as_deref() == Some(t.as_str()) => None,
            Some(t) if seen.contains(&t) => {
                out.push(Err(loop_error(t)));
                None
            }
            Some(t) => {
                seen.insert(t.clone());
                last = Some(t.clone());
                Some(with_token(req.clone(), t))
            }
        };
        (out, following)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UnknownCode;
    use futures::executor::block_on;
    use std::future::ready;

    type R<T> = Result<T, Error<UnknownCode>>;

    fn collect<S: Stream<Item = R<i64>>>(s: S) -> (Vec<i64>, Option<String>) {
        let all: Vec<R<i64>> = block_on(s.collect());
        let mut items = Vec::new();
        let mut err = None;
        for r in all {
            match r {
                Ok(i) => items.push(i),
                Err(e) => err = Some(e.to_string()),
            }
        }
        (items, err)
    }

    #[test]
    fn cursor_walks_until_has_more_is_false() {
        // Pages of 2 after the cursor, up to 5.
        let fetch = |after: Option<i64>| {
            let start = after.map_or(1, |a| a + 1);
            let items: Vec<i64> = (start..start + 2).filter(|i| *i <= 5).collect();
            let more = items.last().is_some_and(|l| *l < 5);
            ready(R::Ok((items, more)))
        };
        let s = cursor(
            10,
            None,
            fetch,
            |p| p,
            |i: &i64| Some(i.to_string()),
            CursorFrom::Last,
            |_, c| c.parse().ok(),
        );
        assert_eq!(collect(s), (vec![1, 2, 3, 4, 5], None));
    }

    #[test]
    fn cursor_repeated_by_the_server_is_an_error() {
        let fetch = |_: ()| ready(R::Ok((vec![7, 8], true)));
        let s = cursor(
            10,
            (),
            fetch,
            |p| p,
            |i: &i64| Some(i.to_string()),
            CursorFrom::Last,
            |r, _| r,
        );
        let (items, err) = collect(s);
        assert_eq!(items, vec![7, 8, 7, 8]);
        assert!(err.unwrap().contains("pagination loop"));
    }

    #[test]
    fn pages_stop_at_total_or_short_page() {
        let data: Vec<i64> = (1..=7).collect();
        let fetch = move |(page, size): (i64, i64)| {
            let start = usize::try_from((page - 1) * size).unwrap();
            let items: Vec<i64> = data
                .iter()
                .skip(start)
                .take(usize::try_from(size).unwrap())
                .copied()
                .collect();
            ready(R::Ok((items, Some(7))))
        };
        let s = pages(10, (1, 3), fetch.clone(), |p| p, |r| *r, |(_, s), n| (n, s));
        assert_eq!(collect(s), ((1..=7).collect(), None));
        // Without a total, the short page ends it.
        let s = pages(
            10,
            (1, 3),
            move |r| {
                let f = fetch.clone();
                async move { f(r).await.map(|(i, _)| (i, None)) }
            },
            |p| p,
            |r| *r,
            |(_, s), n| (n, s),
        );
        assert_eq!(collect(s), ((1..=7).collect(), None));
    }

    #[test]
    fn pages_that_do_not_advance_are_an_error() {
        let fetch = |_: (i64, i64)| ready(R::Ok((vec![1, 2], None)));
        let s = pages(10, (1, 2), fetch, |p| p, |r| *r, |r, _| r);
        let (items, err) = collect(s);
        assert_eq!(items, vec![1, 2]);
        assert!(err.is_some());
    }

    #[test]
    fn tokens_stop_on_end_markers_echoes_and_cycles() {
        let fetch = |t: Option<String>| {
            let page = match t.as_deref() {
                None => (vec![1], Some("a".to_string())),
                Some("a") => (vec![2], Some("b".to_string())),
                Some("b") => (vec![3], Some("None".to_string())),
                _ => (vec![99], None),
            };
            ready(R::Ok(page))
        };
        assert_eq!(
            collect(tokens(10, None, fetch, |p| p, |_, t| Some(t))),
            (vec![1, 2, 3], None)
        );
        let echo =
            |t: Option<String>| ready(R::Ok((vec![1], Some(t.unwrap_or_else(|| "x".into())))));
        assert_eq!(
            collect(tokens(10, None, echo, |p| p, |_, t| Some(t))),
            (vec![1, 1], None)
        );
        let cycle = |t: Option<String>| {
            let next = if t.as_deref() == Some("a") { "b" } else { "a" };
            ready(R::Ok((vec![1], Some(next.to_string()))))
        };
        let (items, err) = collect(tokens(10, None, cycle, |p| p, |_, t| Some(t)));
        assert_eq!(items, vec![1, 1, 1]);
        assert!(err.unwrap().contains("`a`"));
    }

    #[test]
    fn the_page_cap_ends_walks_that_never_end() {
        // New cursors forever.
        let endless = |after: Option<i64>| {
            let start = after.map_or(0, |a| a + 1);
            ready(R::Ok((vec![start], true)))
        };
        let s = cursor(
            5,
            None,
            endless,
            |p| p,
            |i: &i64| Some(i.to_string()),
            CursorFrom::Last,
            |_, c| c.parse().ok(),
        );
        let (items, err) = collect(s);
        assert_eq!(items, vec![0, 1, 2, 3, 4]);
        assert!(err.unwrap().contains("after 5 pages"));
        // Full pages and no total.
        let full = |(page, size): (i64, i64)| {
            ready(R::Ok(((0..size).map(|i| page * 10 + i).collect(), None)))
        };
        let (items, err) = collect(pages(3, (1, 2), full, |p| p, |r| *r, |(_, s), n| (n, s)));
        assert_eq!(items.len(), 6);
        assert!(err.unwrap().contains("max_pages"));
        // A walk that ends by itself at the cap is not an error.
        let two = |t: Option<String>| ready(R::Ok((vec![1], t.is_none().then(|| "a".to_string()))));
        assert_eq!(
            collect(tokens(2, None, two, |p| p, |_, t| Some(t))),
            (vec![1, 1], None)
        );
    }

    #[test]
    fn fetch_errors_end_the_walk() {
        let fetch = |_: ()| ready(R::<(Vec<i64>, bool)>::Err(Error::Config("boom".into())));
        let s = cursor(
            10,
            (),
            fetch,
            |p| p,
            |i: &i64| Some(i.to_string()),
            CursorFrom::Last,
            |r, _| r,
        );
        assert_eq!(
            collect(s),
            (vec![], Some("configuration error: boom".into()))
        );
    }
}
