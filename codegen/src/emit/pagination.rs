//! Pagination: `into_stream()` on the builder of a paged operation.
//!
//! The runtime walks the pages; the generated code only supplies closures
//! that read the page (items, has-more flag, total, next token) and write
//! the next request (cursor, page number, token). Paths into the response
//! are resolved here against the response's types, so optional steps
//! become `Option` chains and numbers are converted as the runtime expects.

use proc_macro2::TokenStream;
use quote::quote;

use super::ServiceCtx;
use super::docs;
use super::names::{OpNames, bare, field_name, ident};
use super::types::{Scope, rust_type};
use crate::ir::{CursorFrom, FieldStep, Operation, Pagination, Param, TypeRef, WireName};

/// The `into_stream` method, or `None` when the pagination does not match
/// the operation (the validator rejects that; nothing is emitted then).
pub fn emit(
    ctx: &ServiceCtx<'_>,
    op: &Operation,
    pagination: &Pagination,
    names: &OpNames,
) -> Option<TokenStream> {
    let OpNames {
        builder,
        response,
        error,
        ..
    } = names;
    let (item, walk) = match pagination {
        Pagination::Cursor {
            items,
            item,
            cursor_param,
            cursor_from,
            cursor_field,
            has_more,
        } => {
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
            let items = read_owned(items)?;
            let cursor = cursor_of(cursor_field);
            let from = match cursor_from {
                CursorFrom::FirstItem => quote!(First),
                CursorFrom::LastItem => quote!(Last),
            };
            let set = set_param(param(op, cursor_param)?, quote!(cursor), false);
            let item_ty = rust_type(item, Scope::Crate);
            (
                item,
                quote! {
                    wiregen_runtime::paginate::cursor(
                        self.client.max_pages(),
                        self,
                        Self::send,
                        |page: #response| {
                            let more = #more;
                            (#items, more)
                        },
                        |item: &#item_ty| #cursor,
                        wiregen_runtime::paginate::CursorFrom::#from,
                        |mut request: #builder, cursor: String| {
                            #set
                            request
                        },
                    )
                },
            )
        }
        Pagination::Page {
            items,
            item,
            page_param,
            size_param,
            total,
        } => {
            let total = match total {
                Some(path) => {
                    let (expr, optional, ty) = read(path, Access::Copy)?;
                    match (ty, optional) {
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
                    }
                }
                None => quote!(None),
            };
            let items = read_owned(items)?;
            let page = param(op, page_param)?;
            let size = param(op, size_param)?;
            let page_field = field_name(page);
            let size_field = field_name(size);
            let read_page = read_number(page, quote!(request.#page_field), 1);
            // Without a page size the service picks one we do not know: a size
            // of 1 makes only an empty page (or the total) end the walk.
            let read_size = read_number(size, quote!(request.#size_field), 1);
            let set = set_param(page, quote!(page), true);
            (
                item,
                quote! {
                    wiregen_runtime::paginate::pages(
                        self.client.max_pages(),
                        self,
                        Self::send,
                        |page: #response| {
                            let total = #total;
                            (#items, total)
                        },
                        |request: &#builder| (#read_page, #read_size),
                        |mut request: #builder, page: i64| {
                            #set
                            request
                        },
                    )
                },
            )
        }
        Pagination::Token {
            items,
            item,
            token_param,
            next_token,
        } => {
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
            let items = read_owned(items)?;
            let set = set_param(param(op, token_param)?, quote!(token), false);
            (
                item,
                quote! {
                    wiregen_runtime::paginate::tokens(
                        self.client.max_pages(),
                        self,
                        Self::send,
                        |page: #response| {
                            let next = #next;
                            (#items, next)
                        },
                        |mut request: #builder, token: String| {
                            #set
                            request
                        },
                    )
                },
            )
        }
    };
    let item_ty = rust_type(item, Scope::Crate);
    let krate = &ctx.svc.crate_ident.0;
    let doc = docs::attrs(&format!(
        "Walks every page, starting from this request, and yields the items one by one.\n\n\
         Pages are fetched lazily, as the stream is polled.\n\n\
         # Errors\n\n\
         An item is an error when fetching a page fails (the stream then ends), or when the \
         service repeats a page (which would otherwise loop forever), or when the client's \
         `max_pages` pages were fetched and the service still announces more.\n\n\
         # Example\n\n\
         ```no_run\n\
         # async fn example(request: {krate}::operations::{builder}) -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {krate}::futures::TryStreamExt;\n\
         let items: Vec<_> = request.into_stream().try_collect().await?;\n\
         println!(\"{{}} items\", items.len());\n\
         # Ok(())\n# }}\n```",
        builder = bare(&op.builder),
    ));
    Some(quote! {
        #doc
        pub fn into_stream(
            self,
        ) -> impl wiregen_runtime::futures::Stream<Item = Result<#item_ty, #error>> + Send + 'static {
            #walk
        }
    })
}

/// A page number or size parameter as `i64`, `default` when unset.
fn read_number(param: &Param, place: TokenStream, default: i64) -> TokenStream {
    match (&param.ty, param.required) {
        (TypeRef::Int64, true) => place,
        (TypeRef::Int64, false) => quote!(#place.unwrap_or(#default)),
        (_, true) => quote!(i64::from(#place)),
        (_, false) => quote!(#place.map_or(#default, i64::from)),
    }
}

fn param<'a>(op: &'a Operation, wire: &WireName) -> Option<&'a Param> {
    op.params.iter().find(|p| p.wire == *wire)
}

/// `request.<field> = <value>;`, converting a page number to the field's type.
fn set_param(param: &Param, value: TokenStream, number: bool) -> TokenStream {
    let field = field_name(param);
    let value = match (&param.ty, number) {
        (TypeRef::Int32, true) => quote!(i32::try_from(#value).unwrap_or(i32::MAX)),
        (TypeRef::Int32 | TypeRef::Int64, false) => quote!(#value.parse().unwrap_or_default()),
        _ => value,
    };
    if param.required {
        quote!(request.#field = #value;)
    } else {
        quote!(request.#field = Some(#value);)
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
