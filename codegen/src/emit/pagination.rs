//! Pagination: `into_pages()` and `into_stream()` on the builder of a paged operation.
//!
//! The runtime walks the pages; the generated code only supplies closures
//! that read the page (items, has-more flag, total, next token) and write
//! the next request (cursor, page number, token). `into_pages` yields each
//! page with its metadata, `into_stream` its items. Paths into the response
//! are resolved against the response's types by lower; here optional steps
//! become `Option` chains and numbers are converted as the runtime expects.

use proc_macro2::TokenStream;
use quote::quote;

use super::ServiceCtx;
use super::docs;
use super::names::{OpNames, bare, ident};
use super::types::{Scope, rust_type};
use crate::ir::{CursorFrom, FieldStep, Operation, Pagination, PagingParam, TypeRef};

/// The `into_pages` and `into_stream` methods, or `None` when a path into the response is
/// empty (the validator rejects that; nothing is emitted then).
pub fn emit(
    ctx: &ServiceCtx<'_>,
    op: &Operation,
    pagination: &Pagination,
    names: &OpNames,
) -> Option<TokenStream> {
    let (items, item) = match pagination {
        Pagination::Cursor { items, item, .. }
        | Pagination::Page { items, item, .. }
        | Pagination::Token { items, item, .. } => (items, item),
    };
    let walk = match pagination {
        Pagination::Cursor {
            cursor_param,
            cursor_from,
            cursor_field,
            has_more,
            ..
        } => cursor_walk(
            names,
            items,
            item,
            cursor_param,
            *cursor_from,
            cursor_field,
            has_more,
        )?,
        Pagination::Page {
            page_param,
            size_param,
            first_page,
            size_when_unset,
            total,
            ..
        } => page_walk(
            names,
            items,
            (page_param, *first_page),
            (size_param, *size_when_unset),
            total.as_deref(),
        )?,
        Pagination::Token {
            token_param,
            next_token,
            ..
        } => token_walk(names, token_param, next_token)?,
    };
    let OpNames {
        response, error, ..
    } = names;
    let item_ty = rust_type(item, Scope::Crate);
    let owned_items = read_owned(items)?;
    let pages_doc = docs::attrs(&pages_doc(ctx, op));
    let items_doc = docs::attrs(&items_doc(ctx, op));
    Some(quote! {
        #pages_doc
        pub fn into_pages(
            self,
        ) -> impl wiregen_runtime::futures::Stream<
            Item = Result<wiregen_runtime::paginate::Page<#response>, #error>,
        > + Send + 'static {
            #walk
        }

        #items_doc
        pub fn into_stream(
            self,
        ) -> impl wiregen_runtime::futures::Stream<Item = Result<#item_ty, #error>> + Send + 'static {
            wiregen_runtime::paginate::items(self.into_pages(), |page: #response| #owned_items)
        }
    })
}

/// The errors both streams end with.
const STREAM_ERRORS: &str = "# Errors\n\n\
    An item is an error when fetching a page fails (the stream then ends), or when the \
    service repeats a page (which would otherwise loop forever), or when the client's \
    `max_pages` pages were fetched and the service still announces more.";

fn pages_doc(ctx: &ServiceCtx<'_>, op: &Operation) -> String {
    format!(
        "Walks every page, starting from this request, and yields each page whole: the \
         response with its [`ResponseMetadata`](wiregen_runtime::ResponseMetadata) (request \
         id, headers, attempts), its place in the walk (`number`) and the cursor, token or page \
         number that asked for it (`key`). [`into_stream`](Self::into_stream) yields the items \
         instead.\n\n\
         Pages are fetched lazily, as the stream is polled.\n\n\
         {STREAM_ERRORS}\n\n\
         # Example\n\n\
         ```no_run\n\
         # async fn example(request: {krate}::operations::{builder}) -> {krate}::Result<()> {{\n\
         use {krate}::futures::TryStreamExt;\n\
         let mut pages = std::pin::pin!(request.into_pages());\n\
         while let Some(page) = pages.try_next().await? {{\n    \
             println!(\"page {{}}: request id {{:?}}\", page.number, page.metadata.request_id());\n\
         }}\n\
         # Ok(())\n# }}\n```",
        krate = ctx.svc.crate_ident.0,
        builder = bare(&op.builder),
    )
}

fn items_doc(ctx: &ServiceCtx<'_>, op: &Operation) -> String {
    format!(
        "Walks every page, starting from this request, and yields the items one by one \
         ([`into_pages`](Self::into_pages) yields the pages with their metadata).\n\n\
         Pages are fetched lazily, as the stream is polled.\n\n\
         {STREAM_ERRORS}\n\n\
         # Example\n\n\
         ```no_run\n\
         # async fn example(request: {krate}::operations::{builder}) -> {krate}::Result<()> {{\n\
         use {krate}::futures::TryStreamExt;\n\
         let items: Vec<_> = request.into_stream().try_collect().await?;\n\
         println!(\"{{}} items\", items.len());\n\
         # Ok(())\n# }}\n```",
        krate = ctx.svc.crate_ident.0,
        builder = bare(&op.builder),
    )
}

/// A cursor walk: the cursor read from the first or last item while the has-more flag holds.
fn cursor_walk(
    names: &OpNames,
    items: &[FieldStep],
    item: &TypeRef,
    cursor_param: &PagingParam,
    cursor_from: CursorFrom,
    cursor_field: &FieldStep,
    has_more: &[FieldStep],
) -> Option<TokenStream> {
    let OpNames {
        builder,
        client,
        response,
        ..
    } = names;
    let (expr, optional, ty) = read(has_more, Access::Copy)?;
    let more = match (ty, optional) {
        (TypeRef::String, _) => {
            let (expr, optional, _) = read(has_more, Access::Ref)?;
            if optional {
                quote!(#expr.is_some_and(|more| more.eq_ignore_ascii_case("true")))
            } else {
                quote!(#expr.eq_ignore_ascii_case("true"))
            }
        }
        (_, true) => quote!(#expr.unwrap_or(false)),
        (_, false) => expr,
    };
    let items = read_slice(items)?;
    let cursor = cursor_of(cursor_field);
    let from = match cursor_from {
        CursorFrom::FirstItem => quote!(First),
        CursorFrom::LastItem => quote!(Last),
    };
    let set = set_param(cursor_param, quote!(cursor), false);
    let item_ty = rust_type(item, Scope::Crate);
    Some(quote! {
        wiregen_runtime::paginate::cursor(
            self.#client.max_pages(),
            self,
            Self::send_with_metadata,
            |page: &#response| (#items, #more),
            |item: &#item_ty| #cursor,
            wiregen_runtime::paginate::CursorFrom::#from,
            |mut request: #builder, cursor: String| {
                #set
                request
            },
        )
    })
}

/// A page-number walk: the next number until a short or empty page, or the total.
fn page_walk(
    names: &OpNames,
    items: &[FieldStep],
    (page_param, first_page): (&PagingParam, i64),
    (size_param, size_when_unset): (&PagingParam, i64),
    total: Option<&[FieldStep]>,
) -> Option<TokenStream> {
    let OpNames {
        builder,
        client,
        response,
        ..
    } = names;
    let total = match total {
        Some(path) => read_total(path)?,
        None => quote!(None),
    };
    let items = read_slice(items)?;
    let page_field = ident(&page_param.field);
    let size_field = ident(&size_param.field);
    let read_page = read_number(page_param, quote!(request.#page_field), first_page);
    let read_size = read_number(size_param, quote!(request.#size_field), size_when_unset);
    let set = set_param(page_param, quote!(page), true);
    Some(quote! {
        wiregen_runtime::paginate::pages(
            self.#client.max_pages(),
            self,
            Self::send_with_metadata,
            |page: &#response| (#items.len(), #total),
            |request: &#builder| (#read_page, #read_size),
            |mut request: #builder, page: i64| {
                #set
                request
            },
        )
    })
}

/// The total item count as `Option<i64>`, whatever integer or text type it has.
fn read_total(path: &[FieldStep]) -> Option<TokenStream> {
    let (expr, optional, ty) = read(path, Access::Copy)?;
    Some(match (ty, optional) {
        (TypeRef::String, _) => {
            let (expr, optional, _) = read(path, Access::Ref)?;
            if optional {
                quote!(#expr.and_then(|total| total.trim().parse::<i64>().ok()))
            } else {
                quote!(#expr.trim().parse::<i64>().ok())
            }
        }
        (TypeRef::Int64, true) => expr,
        (TypeRef::Int64, false) => quote!(Some(#expr)),
        (_, true) => quote!(#expr.map(i64::from)),
        (_, false) => quote!(Some(i64::from(#expr))),
    })
}

/// A next-token walk: the page's token until it is absent, an end marker or an echo.
fn token_walk(
    names: &OpNames,
    token_param: &PagingParam,
    next_token: &[FieldStep],
) -> Option<TokenStream> {
    let OpNames {
        builder,
        client,
        response,
        ..
    } = names;
    let (next, optional, _) = read(next_token, Access::Ref)?;
    let next = match (optional, next_token.len()) {
        // A direct optional field: clone the `Option` itself.
        (true, 1) => {
            let (next, _, _) = read(next_token, Access::Copy)?;
            quote!(#next.clone())
        }
        (true, _) => quote!(#next.cloned()),
        (false, _) => quote!(Some(#next.clone())),
    };
    let set = set_param(token_param, quote!(token), false);
    Some(quote! {
        wiregen_runtime::paginate::tokens(
            self.#client.max_pages(),
            self,
            Self::send_with_metadata,
            |page: &#response| #next,
            |mut request: #builder, token: String| {
                #set
                request
            },
        )
    })
}

/// A page number or size parameter as `i64`, `default` when unset.
fn read_number(param: &PagingParam, place: TokenStream, default: i64) -> TokenStream {
    match (&param.ty, param.optional) {
        (TypeRef::Int64, false) => place,
        (TypeRef::Int64, true) => quote!(#place.unwrap_or(#default)),
        (_, false) => quote!(i64::from(#place)),
        (_, true) => quote!(#place.map_or(#default, i64::from)),
    }
}

/// `request.<field> = <value>;`, converting a page number to the field's type.
fn set_param(param: &PagingParam, value: TokenStream, number: bool) -> TokenStream {
    let field = ident(&param.field);
    let value = match (&param.ty, number) {
        (TypeRef::Int32, true) => quote!(i32::try_from(#value).unwrap_or(i32::MAX)),
        (TypeRef::Int32 | TypeRef::Int64, false) => quote!(#value.parse().unwrap_or_default()),
        _ => value,
    };
    if param.optional {
        quote!(request.#field = Some(#value);)
    } else {
        quote!(request.#field = #value;)
    }
}

/// The cursor of an item: its `field` as text.
fn cursor_of(field: &FieldStep) -> TokenStream {
    let name = ident(&field.rust);
    match (&field.ty, field.optional) {
        (TypeRef::String, true) => quote!(item.#name.clone()),
        (TypeRef::String, false) => quote!(Some(item.#name.clone())),
        (_, true) => quote!(item.#name.as_ref().map(ToString::to_string)),
        (_, false) => quote!(Some(item.#name.to_string())),
    }
}

/// How the last step of a path is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// By reference: `Option<&T>` (or a place of type `T`).
    Ref,
    /// By copy (or, for a direct field, the place itself): `Option<T>` or `T`.
    Copy,
}

/// An expression reading `path` from `page`: an `Option` when a step is
/// optional (the flag), else a place of type `T`; and `T`. Steps before the
/// last are always read by reference.
fn read(path: &[FieldStep], access: Access) -> Option<(TokenStream, bool, &TypeRef)> {
    let mut expr = quote!(page);
    let mut optional = false;
    for (index, step) in path.iter().enumerate() {
        let name = ident(&step.rust);
        let by_ref = access == Access::Ref || index + 1 < path.len();
        expr = match (optional, step.optional, by_ref) {
            (false, true, true) => quote!(#expr.#name.as_ref()),
            (false, _, _) => quote!(#expr.#name),
            (true, false, true) => quote!(#expr.map(|value| &value.#name)),
            (true, false, false) => quote!(#expr.map(|value| value.#name)),
            (true, true, true) => quote!(#expr.and_then(|value| value.#name.as_ref())),
            (true, true, false) => quote!(#expr.and_then(|value| value.#name)),
        };
        optional = optional || step.optional;
    }
    Some((expr, optional, &path.last()?.ty))
}

/// A `Vec<Item>` expression moving `path` out of `page` (empty when absent).
fn read_owned(path: &[FieldStep]) -> Option<TokenStream> {
    let mut expr = quote!(page);
    let mut optional = false;
    for step in path {
        let name = ident(&step.rust);
        expr = match (optional, step.optional) {
            (false, _) => quote!(#expr.#name),
            (true, false) => quote!(#expr.map(|value| value.#name)),
            (true, true) => quote!(#expr.and_then(|value| value.#name)),
        };
        optional = optional || step.optional;
    }
    path.last()?;
    Some(if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    })
}

/// A `&[Item]` expression borrowing `path` from `page` (empty when absent).
fn read_slice(path: &[FieldStep]) -> Option<TokenStream> {
    let (last, init) = path.split_last()?;
    let (expr, optional) = if init.is_empty() {
        (quote!(page), false)
    } else {
        let (expr, optional, _) = read(init, Access::Ref)?;
        (expr, optional)
    };
    let name = ident(&last.rust);
    Some(match (optional, last.optional) {
        (false, false) => quote!(#expr.#name.as_slice()),
        (false, true) => quote!(#expr.#name.as_deref().unwrap_or_default()),
        (true, false) => quote!(#expr.map(|value| value.#name.as_slice()).unwrap_or_default()),
        (true, true) => {
            quote!(#expr.and_then(|value| value.#name.as_deref()).unwrap_or_default())
        }
    })
}
