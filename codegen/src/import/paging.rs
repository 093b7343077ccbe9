//! Pagination for drafted list operations, recognised by the names
//! Alibaba's APIs use: a page number and size in the request with a list
//! (and a total) in the response (`PageNumber`/`PageSize`/`TotalCount`,
//! `pageIndex`/`pageSize`/`data.total`), or a next token in and out
//! (`NextToken`, `nextToken`). The metadata does not say which operations
//! page; an operation that looks like paging but can not be declared is
//! noted with the reason, never guessed at. When both styles are offered
//! (the AiContent gateway adds `maxResults`/`nextToken` next to
//! `pageIndex`/`pageSize`), page numbers are declared, as the curated
//! `ModelRouterQueryConversationList` does.

use std::collections::BTreeMap;

use crate::spec::{OperationSpec, Pagination, TypeDef};

/// Request parameters that carry the 1-based page number, most specific first.
const PAGE: &[&str] = &[
    "PageNumber",
    "pageNumber",
    "PageIndex",
    "pageIndex",
    "Page",
    "page",
    "PageNo",
    "pageNo",
];
/// Request parameters that carry the page size.
const SIZE: &[&str] = &["PageSize", "pageSize"];
/// The next-page token, in the request and in the response.
const TOKEN: &[&str] = &["NextToken", "nextToken"];
/// Response fields with the total number of items.
const TOTAL: &[&str] = &[
    "TotalCount",
    "totalCount",
    "Total",
    "total",
    "TotalRecordCount",
    "totalRecordCount",
];
/// Request parameters that hint at paging when nothing can be declared.
const HINTS: &[&str] = &[
    "MaxResults",
    "maxResults",
    "Cursor",
    "cursor",
    "Offset",
    "offset",
];

/// The names of the list that holds the records, when a response has
/// several: a table's `rows` beside its `columns`, a page's `Data` beside a
/// side list (`ListCustomAgent`'s `Skills`). Compared with a list's last
/// path segment; only one list of the response may match.
const RECORDS: &[&str] = &[
    "Data", "data", "Items", "items", "Rows", "rows", "Records", "records", "List", "list",
];

/// What the importer concludes about one operation's pages.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// Declared.
    Declared(Pagination),
    /// Looks like paging, but can not be declared: why.
    Undeclared(String),
    /// Nothing suggests pages.
    None,
}

/// The pagination of `op`, whose types are all in `defs`.
pub fn detect(op: &OperationSpec, defs: &BTreeMap<String, TypeDef>) -> Paging {
    let param = |names: &[&str], integer: bool| {
        names.iter().find_map(|n| {
            op.params
                .iter()
                .find(|p| {
                    p.name == *n && (!integer || is_integer(&p.ty)) && (integer || p.ty == "string")
                })
                .map(|p| p.name.clone())
        })
    };
    let page = param(PAGE, true);
    let size = param(SIZE, true);
    let token = param(TOKEN, false);
    let hinted = page.is_some()
        || size.is_some()
        || token.is_some()
        || op.params.iter().any(|p| HINTS.contains(&p.name.as_str()));
    if !hinted {
        return Paging::None;
    }
    let lists = lists(&op.response, defs);
    let records = |path: &&String| {
        let last = path.rsplit('.').next().unwrap_or(path);
        RECORDS.contains(&last)
    };
    let items = match lists.as_slice() {
        [one] => one.clone(),
        [] => return Paging::Undeclared("paging parameters, but no list in the response".into()),
        many if many.iter().filter(records).count() == 1 => {
            many.iter().find(records).cloned().unwrap_or_default()
        }
        many => {
            return Paging::Undeclared(format!(
                "paging parameters, but several lists in the response ({}), none or several of \
                 them named as records ({}): which one pages is not known",
                many.join(", "),
                RECORDS.join(", ")
            ));
        }
    };
    let container = items.rsplit_once('.').map(|(c, _)| c.to_owned());
    let near = |names: &[&str], integer: bool| {
        container
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(""))
            .find_map(|c| field_at(&op.response, c, names, integer, defs))
    };
    if let (Some(page_param), Some(size_param)) = (page.clone(), size.clone()) {
        return Paging::Declared(Pagination::Page {
            items,
            page_param,
            size_param,
            total: near(TOTAL, true),
        });
    }
    if let (Some(token_param), Some(next_token)) = (token.clone(), near(TOKEN, false)) {
        return Paging::Declared(Pagination::Token {
            items,
            token_param,
            next_token,
        });
    }
    let what = [page, size, token]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    Paging::Undeclared(format!(
        "paging parameters ({}) without a page number and size, or a next token in the response",
        if what.is_empty() {
            "only a limit or cursor".to_owned()
        } else {
            what.join(", ")
        }
    ))
}

fn is_integer(ty: &str) -> bool {
    matches!(ty, "int32" | "int64")
}

/// Dotted paths of the list fields at the response root and one object below it.
fn lists(response: &str, defs: &BTreeMap<String, TypeDef>) -> Vec<String> {
    let mut out = Vec::new();
    for field in fields(response, defs) {
        if field.ty.starts_with("list<") {
            out.push(field.name.clone());
        } else {
            for inner in fields(&field.ty, defs) {
                if inner.ty.starts_with("list<") {
                    out.push(format!("{}.{}", field.name, inner.name));
                }
            }
        }
    }
    out
}

fn fields<'d>(ty: &str, defs: &'d BTreeMap<String, TypeDef>) -> &'d [crate::spec::Field] {
    defs.get(ty)
        .and_then(|d| d.fields.as_deref())
        .unwrap_or_default()
}

/// The dotted path of the first of `names` in the object at `container`
/// (`""` for the root), of an integer or string type as asked.
fn field_at(
    response: &str,
    container: &str,
    names: &[&str],
    integer: bool,
    defs: &BTreeMap<String, TypeDef>,
) -> Option<String> {
    let mut ty = response.to_owned();
    for step in container.split('.').filter(|s| !s.is_empty()) {
        ty = fields(&ty, defs)
            .iter()
            .find(|f| f.name == step)?
            .ty
            .clone();
    }
    let found = names.iter().find_map(|n| {
        fields(&ty, defs).iter().find(|f| {
            f.name == *n
                && if integer {
                    is_integer(&f.ty)
                } else {
                    f.ty == "string"
                }
        })
    })?;
    Some(if container.is_empty() {
        found.name.clone()
    } else {
        format!("{container}.{}", found.name)
    })
}
