//! Pagination: turning "fetch one page" into a stream of pages, and a stream of pages into a
//! stream of items, for the three styles the APIs use. The generator supplies closures that
//! read and write its own request builder and page types; the walk is lazy (a page is fetched
//! when it, or its first item, is polled).
//!
//! A walk yields [`Page`]s: the operation's response with the call's metadata (request id,
//! headers, attempts), the page's place in the walk and the cursor, token or page number that
//! asked for it, the way smithy-rs paginators yield pages and offer `.items()` on top.
//! [`items`] flattens pages into their items.
//!
//! Every walk refuses to loop forever: a cursor, token or page number the server hands back a
//! second time ends the stream with [`StreamError::PaginationLoop`] after the page that
//! repeated it; and a walk that has fetched `max_pages` pages (the client's
//! [`max_pages`](crate::ConfigBuilder::max_pages), [`DEFAULT_MAX_PAGES`](crate::DEFAULT_MAX_PAGES)
//! by default) while the server still announces more ends with [`Error::Limit`] instead of
//! fetching another, which also stops servers that invent new cursors forever, keep sending
//! full pages without a total, or ignore the page number. A fetch error is yielded and ends
//! the stream.

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, Stream, StreamExt as _};

use crate::error::{Error, ErrorCode, LimitKind, StreamError};
use crate::metadata::ResponseMetadata;

/// Which item of a page carries the cursor for the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorFrom {
    /// The first item (e.g. `FirstId`: pages walk backwards from the newest).
    First,
    /// The last item (e.g. `LastId`).
    Last,
}

/// What asked for a page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageKey {
    /// The request as the caller built it: the first page of a cursor or token walk.
    Start,
    /// The cursor read from the previous page (cursor walks).
    Cursor(String),
    /// The next token the previous page returned (token walks).
    Token(String),
    /// The page number sent (page-number walks, the first page included).
    Number(i64),
}

/// One page of a walk: the operation's response and what the walk knows about it.
///
/// `M` is what the fetch reports besides the body: [`ResponseMetadata`] for generated clients.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<T, M = ResponseMetadata> {
    /// The page, as the operation's `send` returns it.
    pub response: T,
    /// The HTTP side of the call that fetched it (request id, headers, attempts).
    pub metadata: M,
    /// Its place in the walk: 1 for the first page fetched, 2 for the next.
    pub number: u32,
    /// The cursor, token or page number that asked for it.
    pub key: PageKey,
}

impl<T, M> Page<T, M> {
    /// The page itself, without what the walk knows about it.
    pub fn into_response(self) -> T {
        self.response
    }
}

fn loop_error<C: ErrorCode>(cursor: String) -> Error<C> {
    Error::Stream(Box::new(StreamError::PaginationLoop { cursor }))
}

/// What a walk does after a page.
enum Next<Req, C: ErrorCode> {
    /// Fetch this request, asked for by this key.
    Fetch(Req, PageKey),
    /// The last page: stop.
    Done,
    /// Stop with this error after the page.
    Fail(Error<C>),
}

/// Walks pages with a fetch and a "next request" rule, fetching at most `max_pages` pages.
fn walk<Req, Resp, M, C, Fetch, Fut, Follow>(
    max_pages: u32,
    first: (Req, PageKey),
    fetch: Fetch,
    follow: Follow,
) -> impl Stream<Item = Result<Page<Resp, M>, Error<C>>> + Send
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    M: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Resp, M), Error<C>>> + Send,
    Follow: FnMut(&Req, &Resp) -> Next<Req, C> + Send + 'static,
{
    stream::unfold(
        (Some(first), fetch, follow, 0u32),
        move |(state, fetch, mut follow, fetched)| async move {
            let (req, key) = state?;
            let number = fetched.saturating_add(1);
            let (response, metadata) = match fetch(req.clone()).await {
                Ok(fetched) => fetched,
                Err(e) => return Some((stream::iter(vec![Err(e)]), (None, fetch, follow, number))),
            };
            let (following, error) = match follow(&req, &response) {
                Next::Fetch(..) if number >= max_pages => (
                    None,
                    Some(Error::Limit(LimitKind::Pages { limit: max_pages })),
                ),
                Next::Fetch(req, key) => (Some((req, key)), None),
                Next::Done => (None, None),
                Next::Fail(e) => (None, Some(e)),
            };
            let page = Page {
                response,
                metadata,
                number,
                key,
            };
            let out: Vec<_> = std::iter::once(Ok(page)).chain(error.map(Err)).collect();
            Some((stream::iter(out), (following, fetch, follow, number)))
        },
    )
    .flatten()
}

/// The items of each page, page after page; an error is passed on where it came.
///
/// `items` takes a page apart into its items (none when the page has no list).
pub fn items<S, T, M, Item, C, Items>(
    pages: S,
    items: Items,
) -> impl Stream<Item = Result<Item, Error<C>>> + Send
where
    S: Stream<Item = Result<Page<T, M>, Error<C>>> + Send,
    Item: Send,
    C: ErrorCode,
    Items: Fn(T) -> Vec<Item> + Send,
{
    pages.flat_map(move |page| {
        let out: Vec<_> = match page {
            Ok(page) => items(page.response).into_iter().map(Ok).collect(),
            Err(e) => vec![Err(e)],
        };
        stream::iter(out)
    })
}

/// Cursor pagination: the next page starts after (or before) an item's id, while the page says
/// there is more.
///
/// * `split` returns the page's items and its has-more flag;
/// * `cursor_of` reads the cursor from an item (`from` says which one);
/// * `with_cursor` sets it on the request.
///
/// Stops when has-more is false, the page is empty, or the item has no cursor.
#[allow(clippy::too_many_arguments)] // one closure per question the walk asks of a page
pub fn cursor<Req, Resp, M, Item, C, Fetch, Fut, Split, CursorOf, WithCursor>(
    max_pages: u32,
    first: Req,
    fetch: Fetch,
    split: Split,
    cursor_of: CursorOf,
    from: CursorFrom,
    with_cursor: WithCursor,
) -> impl Stream<Item = Result<Page<Resp, M>, Error<C>>> + Send
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    M: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Resp, M), Error<C>>> + Send,
    Split: for<'p> Fn(&'p Resp) -> (&'p [Item], bool) + Send + 'static,
    CursorOf: Fn(&Item) -> Option<String> + Send + 'static,
    WithCursor: Fn(Req, String) -> Req + Send + 'static,
{
    let mut seen = HashSet::new();
    walk(
        max_pages,
        (first, PageKey::Start),
        fetch,
        move |req, page| {
            let (items, has_more) = split(page);
            if !has_more {
                return Next::Done;
            }
            let edge = match from {
                CursorFrom::First => items.first(),
                CursorFrom::Last => items.last(),
            };
            match edge.and_then(&cursor_of).filter(|c| !c.is_empty()) {
                None => Next::Done,
                Some(c) if !seen.insert(c.clone()) => Next::Fail(loop_error(c)),
                Some(c) => Next::Fetch(with_cursor(req.clone(), c.clone()), PageKey::Cursor(c)),
            }
        },
    )
}

/// Page-number pagination.
///
/// * `split` returns the number of items on the page and the total item count, if the
///   service reports one;
/// * `page_of` reads (page number, page size) from the request;
/// * `with_page` sets the page number.
///
/// Stops at an empty or short page, or once `page * size` reaches the total.
pub fn pages<Req, Resp, M, C, Fetch, Fut, Split, PageOf, WithPage>(
    max_pages: u32,
    first: Req,
    fetch: Fetch,
    split: Split,
    page_of: PageOf,
    with_page: WithPage,
) -> impl Stream<Item = Result<Page<Resp, M>, Error<C>>> + Send
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    M: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Resp, M), Error<C>>> + Send,
    Split: Fn(&Resp) -> (usize, Option<i64>) + Send + 'static,
    PageOf: Fn(&Req) -> (i64, i64) + Send + 'static,
    WithPage: Fn(Req, i64) -> Req + Send + 'static,
{
    let mut seen = HashSet::new();
    let key = PageKey::Number(page_of(&first).0);
    walk(max_pages, (first, key), fetch, move |req, page| {
        let (count, total) = split(page);
        let (number, size) = page_of(req);
        seen.insert(number);
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        let reached_total = total.is_some_and(|t| number.saturating_mul(size) >= t);
        if count == 0 || size <= 0 || count < size || reached_total {
            return Next::Done;
        }
        let next = with_page(req.clone(), number.saturating_add(1));
        let (n, _) = page_of(&next);
        if seen.contains(&n) {
            Next::Fail(loop_error(n.to_string()))
        } else {
            Next::Fetch(next, PageKey::Number(n))
        }
    })
}

/// Whether a next-token value means "no more pages": absent, empty, or a null spelled out as
/// text (AiContent's sample shows `"nextToken": "None"`, Python's rendering of a null).
fn is_end_token(t: &str) -> bool {
    matches!(t.trim(), "" | "None" | "null")
}

/// Next-token pagination.
///
/// * `next_token` reads the page's next token;
/// * `with_token` sets the token on the request.
///
/// Stops when the token is absent, empty or `"None"`/`"null"`, or when the server echoes the
/// token it was just given (a common "last page" signal). A token seen on an earlier page ends
/// the stream with [`StreamError::PaginationLoop`].
pub fn tokens<Req, Resp, M, C, Fetch, Fut, NextToken, WithToken>(
    max_pages: u32,
    first: Req,
    fetch: Fetch,
    next_token: NextToken,
    with_token: WithToken,
) -> impl Stream<Item = Result<Page<Resp, M>, Error<C>>> + Send
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    M: Send + 'static,
    C: ErrorCode,
    Fetch: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Resp, M), Error<C>>> + Send,
    NextToken: Fn(&Resp) -> Option<String> + Send + 'static,
    WithToken: Fn(Req, String) -> Req + Send + 'static,
{
    let mut seen: HashSet<String> = HashSet::new();
    let mut last: Option<String> = None;
    walk(
        max_pages,
        (first, PageKey::Start),
        fetch,
        move |req, page| match next_token(page).filter(|t| !is_end_token(t)) {
            None => Next::Done,
            Some(t) if last.as_deref() == Some(t.as_str()) => Next::Done,
            Some(t) if seen.contains(&t) => Next::Fail(loop_error(t)),
            Some(t) => {
                seen.insert(t.clone());
                last = Some(t.clone());
                Next::Fetch(with_token(req.clone(), t.clone()), PageKey::Token(t))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UnknownCode;
    use futures::executor::block_on;
    use std::future::{Ready, ready};

    type R<T> = Result<T, Error<UnknownCode>>;

    /// A fetch that always succeeds with `page_of(request)` and no metadata.
    fn fetching<Req, P>(page_of: impl Fn(Req) -> P) -> impl Fn(Req) -> Ready<R<(P, ())>> {
        move |req| ready(Ok((page_of(req), ())))
    }

    /// The items of a walk whose pages are `(items, flag)` pairs, and its last error.
    fn collect<X: Send>(
        s: impl Stream<Item = R<Page<(Vec<i64>, X), ()>>> + Send,
    ) -> (Vec<i64>, Option<String>) {
        let all: Vec<R<i64>> = block_on(items(s, |(items, _)| items).collect());
        let mut found = Vec::new();
        let mut err = None;
        for r in all {
            match r {
                Ok(i) => found.push(i),
                Err(e) => err = Some(e.to_string()),
            }
        }
        (found, err)
    }

    fn split<X: Copy>(page: &(Vec<i64>, X)) -> (&[i64], X) {
        (&page.0, page.1)
    }

    fn count<X: Copy>(page: &(Vec<i64>, X)) -> (usize, X) {
        (page.0.len(), page.1)
    }

    /// Pages of 2 after the cursor, up to 5, with a has-more flag.
    fn up_to_five(after: Option<i64>) -> (Vec<i64>, bool) {
        let start = after.map_or(1, |a| a + 1);
        let items: Vec<i64> = (start..start + 2).filter(|i| *i <= 5).collect();
        let more = items.last().is_some_and(|l| *l < 5);
        (items, more)
    }

    #[test]
    fn cursor_walks_until_has_more_is_false() {
        let s = cursor(
            10,
            None,
            fetching(up_to_five),
            split,
            |i: &i64| Some(i.to_string()),
            CursorFrom::Last,
            |_, c| c.parse().ok(),
        );
        assert_eq!(collect(s), (vec![1, 2, 3, 4, 5], None));
    }

    #[test]
    fn pages_carry_their_response_number_key_and_metadata() {
        let s = cursor(
            10,
            None,
            |after: Option<i64>| ready(R::Ok((up_to_five(after), format!("req-{after:?}")))),
            split,
            |i: &i64| Some(i.to_string()),
            CursorFrom::Last,
            |_, c| c.parse().ok(),
        );
        let pages: Vec<_> = block_on(s.collect::<Vec<_>>())
            .into_iter()
            .map(|p| p.expect("page"))
            .collect();
        let seen: Vec<_> = pages
            .iter()
            .map(|p| {
                (
                    p.number,
                    p.key.clone(),
                    p.metadata.as_str(),
                    p.response.0.clone(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (1, PageKey::Start, "req-None", vec![1, 2]),
                (2, PageKey::Cursor("2".into()), "req-Some(2)", vec![3, 4]),
                (3, PageKey::Cursor("4".into()), "req-Some(4)", vec![5]),
            ]
        );
        assert_eq!(pages[2].clone().into_response(), (vec![5], false));
    }

    #[test]
    fn page_numbers_and_tokens_are_the_keys_of_their_walks() {
        type Pages = Vec<R<Page<(Vec<i64>, ()), ()>>>;
        let keys =
            |s: Pages| -> Vec<PageKey> { s.into_iter().map(|p| p.expect("page").key).collect() };
        let by_number = pages(
            10,
            (3, 2),
            fetching(|(page, _): (i64, i64)| (if page < 5 { vec![1, 2] } else { vec![] }, ())),
            |p: &(Vec<i64>, ())| (p.0.len(), None),
            |r| *r,
            |(_, s), n| (n, s),
        );
        assert_eq!(
            keys(block_on(by_number.collect())),
            [PageKey::Number(3), PageKey::Number(4), PageKey::Number(5)]
        );
        let by_token = tokens(
            10,
            None,
            fetching(|_: Option<String>| (vec![], ())),
            |_: &(Vec<i64>, ())| None,
            |_, t| Some(t),
        );
        assert_eq!(keys(block_on(by_token.collect())), [PageKey::Start]);
    }

    #[test]
    fn cursor_repeated_by_the_server_is_an_error() {
        let s = cursor(
            10,
            (),
            fetching(|()| (vec![7, 8], true)),
            split,
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
        let page = move |(page, size): (i64, i64)| {
            let start = usize::try_from((page - 1) * size).unwrap();
            let items: Vec<i64> = data
                .iter()
                .skip(start)
                .take(usize::try_from(size).unwrap())
                .copied()
                .collect();
            (items, Some(7))
        };
        let s = pages(
            10,
            (1, 3),
            fetching(page.clone()),
            count,
            |r| *r,
            |(_, s), n| (n, s),
        );
        assert_eq!(collect(s), ((1..=7).collect(), None));
        // Without a total, the short page ends it.
        let s = pages(
            10,
            (1, 3),
            fetching(move |r| (page(r).0, None)),
            count,
            |r| *r,
            |(_, s), n| (n, s),
        );
        assert_eq!(collect(s), ((1..=7).collect(), None));
    }

    #[test]
    fn pages_that_do_not_advance_are_an_error() {
        let s = pages(
            10,
            (1, 2),
            fetching(|_: (i64, i64)| (vec![1, 2], None)),
            count,
            |r| *r,
            |r, _| r,
        );
        let (items, err) = collect(s);
        assert_eq!(items, vec![1, 2]);
        assert!(err.is_some());
    }

    /// A token walk whose pages are `(items, next token)`.
    fn by_token(
        max_pages: u32,
        page: impl Fn(Option<String>) -> (Vec<i64>, Option<String>) + Send + 'static,
    ) -> (Vec<i64>, Option<String>) {
        collect(tokens(
            max_pages,
            None,
            fetching(page),
            |p: &(Vec<i64>, Option<String>)| p.1.clone(),
            |_, t| Some(t),
        ))
    }

    #[test]
    fn tokens_stop_on_end_markers_echoes_and_cycles() {
        let ends = |t: Option<String>| match t.as_deref() {
            None => (vec![1], Some("a".to_string())),
            Some("a") => (vec![2], Some("b".to_string())),
            Some("b") => (vec![3], Some("None".to_string())),
            _ => (vec![99], None),
        };
        assert_eq!(by_token(10, ends), (vec![1, 2, 3], None));
        let echo = |t: Option<String>| (vec![1], Some(t.unwrap_or_else(|| "x".into())));
        assert_eq!(by_token(10, echo), (vec![1, 1], None));
        let cycle = |t: Option<String>| {
            let next = if t.as_deref() == Some("a") { "b" } else { "a" };
            (vec![1], Some(next.to_string()))
        };
        let (items, err) = by_token(10, cycle);
        assert_eq!(items, vec![1, 1, 1]);
        assert!(err.unwrap().contains("`a`"));
    }

    #[test]
    fn the_page_cap_ends_walks_that_never_end() {
        // New cursors forever.
        let endless = |after: Option<i64>| (vec![after.map_or(0, |a| a + 1)], true);
        let s = cursor(
            5,
            None,
            fetching(endless),
            split,
            |i: &i64| Some(i.to_string()),
            CursorFrom::Last,
            |_, c| c.parse().ok(),
        );
        let (items, err) = collect(s);
        assert_eq!(items, vec![0, 1, 2, 3, 4]);
        assert!(err.unwrap().contains("after 5 pages"));
        // Full pages and no total.
        let full = |(page, size): (i64, i64)| ((0..size).map(|i| page * 10 + i).collect(), None);
        let s = pages(3, (1, 2), fetching(full), count, |r| *r, |(_, s), n| (n, s));
        let (items, err) = collect(s);
        assert_eq!(items.len(), 6);
        assert!(err.unwrap().contains("max_pages"));
        // A walk that ends by itself at the cap is not an error.
        let two = |t: Option<String>| (vec![1], t.is_none().then(|| "a".to_string()));
        assert_eq!(by_token(2, two), (vec![1, 1], None));
    }

    #[test]
    fn fetch_errors_end_the_walk() {
        let fetch = |_: ()| {
            ready(R::<((Vec<i64>, bool), ())>::Err(Error::Config(
                "boom".into(),
            )))
        };
        let s = cursor(
            10,
            (),
            fetch,
            split,
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
