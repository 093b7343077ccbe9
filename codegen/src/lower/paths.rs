//! Pagination and streaming: the fields they name must exist, in the types
//! they point into, with the types they need.

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ir::{self, FieldStep, TypeRef, WireName};
use crate::load::FileCtx;
use crate::spec::{Pagination, Streaming};
use crate::yaml_tree::Part;

use super::Files;
use super::types::{TypeTable, show};

/// Walks a dotted path of wire names from `root`, returning the steps and
/// the type at the end, or why it can not be walked.
fn walk(
    path: &str,
    root: &TypeRef,
    table: &TypeTable<'_>,
) -> Result<(Vec<FieldStep>, TypeRef), (String, Option<String>)> {
    let mut steps = Vec::new();
    let mut current = root.clone();
    let mut walked = String::new();
    for segment in path.split('.') {
        if segment.is_empty() {
            return Err((format!("empty step in field path `{path}`"), None));
        }
        let here = if walked.is_empty() {
            "the response".to_owned()
        } else {
            format!("`{walked}`")
        };
        let TypeRef::Named(rust) = &current else {
            return Err((
                format!(
                    "{here} is a `{}`, not an object, so it has no field `{segment}`",
                    show(&current)
                ),
                None,
            ));
        };
        let Some(fields) = table.def(rust).and_then(|d| d.fields.as_ref()) else {
            return Err((
                format!(
                    "{here} is the enum `{}`, not an object, so it has no field `{segment}`",
                    rust.0
                ),
                None,
            ));
        };
        let Some(field) = fields.iter().find(|f| f.name == segment) else {
            let hint = did_you_mean(segment, fields.iter().map(|f| f.name.as_str()));
            return Err((format!("type `{}` has no field `{segment}`", rust.0), hint));
        };
        // Unresolvable field types are reported where they are declared.
        let ty = table
            .resolve_quiet(&field.ty)
            .ok_or_else(|| (format!("field `{segment}` has an invalid type"), None))?;
        steps.push(FieldStep {
            wire: WireName(field.name.clone()),
            rust: crate::naming::snake(&field.name),
            optional: ir::Field::optional_for(field.required, field.nullable),
            ty: ty.clone(),
        });
        walked = if walked.is_empty() {
            segment.to_owned()
        } else {
            format!("{walked}.{segment}")
        };
        current = ty;
    }
    Ok((steps, current))
}

/// Walks `path` (written at `yaml_path`) and checks the end type with
/// `accept`, described as `wanted`.
#[allow(clippy::too_many_arguments)]
fn field_path(
    path: &str,
    root: &TypeRef,
    yaml_path: &str,
    wanted: &str,
    accept: impl Fn(&TypeRef) -> bool,
    file: usize,
    files: &Files<'_, '_>,
    table: &TypeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Vec<FieldStep>, TypeRef)> {
    let ctx = files.ctx(file);
    match walk(path, root, table) {
        Err((message, hint)) => {
            out.push(
                ctx.error(yaml_path, Part::Value, format!("`{path}`: {message}"))
                    .maybe_hint(hint),
            );
            None
        }
        Ok((steps, ty)) if accept(&ty) => Some((steps, ty)),
        Ok((_, ty)) => {
            out.push(
                ctx.error(
                    yaml_path,
                    Part::Value,
                    format!("`{path}` is a `{}`", show(&ty)),
                )
                .expected(wanted.to_owned()),
            );
            None
        }
    }
}

/// A parameter the pagination names: it must exist, with a fitting type.
fn param(
    name: &str,
    params: &[ir::Param],
    yaml_path: &str,
    wanted: &str,
    accept: impl Fn(&TypeRef) -> bool,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<ir::PagingParam> {
    match params.iter().find(|p| p.wire.0 == name) {
        None => {
            let hint = did_you_mean(name, params.iter().map(|p| p.wire.0.as_str()));
            out.push(
                ctx.error(yaml_path, Part::Value, format!("no parameter `{name}`"))
                    .maybe_hint(hint),
            );
            None
        }
        Some(p) if !accept(&p.ty) => {
            out.push(
                ctx.error(
                    yaml_path,
                    Part::Value,
                    format!("parameter `{name}` is a `{}`", show(&p.ty)),
                )
                .expected(wanted.to_owned()),
            );
            None
        }
        Some(p) => Some(ir::PagingParam {
            wire: p.wire.clone(),
            field: p.rust.clone(),
            ty: p.ty.clone(),
            optional: !p.required,
        }),
    }
}

fn is_int(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Int32 | TypeRef::Int64)
}

/// What every check of one operation's pagination reads.
struct PagingCtx<'c, 'a, 's, 't> {
    response: &'c TypeRef,
    params: &'c [ir::Param],
    file: usize,
    files: &'c Files<'a, 's>,
    table: &'c TypeTable<'t>,
}

impl PagingCtx<'_, '_, '_, '_> {
    /// A path from `root`, checked with `accept` (see [`field_path`]).
    fn path(
        &self,
        path: &str,
        root: &TypeRef,
        (yaml_path, wanted): (&str, &str),
        accept: impl Fn(&TypeRef) -> bool,
        out: &mut Vec<Diagnostic>,
    ) -> Option<(Vec<FieldStep>, TypeRef)> {
        field_path(
            path, root, yaml_path, wanted, accept, self.file, self.files, self.table, out,
        )
    }

    /// A parameter the pagination names (see [`param`]).
    fn param(
        &self,
        name: &str,
        (yaml_path, wanted): (&str, &str),
        accept: impl Fn(&TypeRef) -> bool,
        out: &mut Vec<Diagnostic>,
    ) -> Option<ir::PagingParam> {
        param(
            name,
            self.params,
            yaml_path,
            wanted,
            accept,
            self.files.ctx(self.file),
            out,
        )
    }
}

/// Lowers and checks pagination against the response type and parameters.
pub fn lower_pagination(
    p: &Pagination,
    response: &TypeRef,
    params: &[ir::Param],
    file: usize,
    files: &Files<'_, '_>,
    table: &TypeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<ir::Pagination> {
    let cx = PagingCtx {
        response,
        params,
        file,
        files,
        table,
    };
    let items_path = match p {
        Pagination::Cursor { items, .. }
        | Pagination::Page { items, .. }
        | Pagination::Token { items, .. } => items,
    };
    let items = cx.path(
        items_path,
        response,
        ("pagination.items", "a list"),
        |t| matches!(t, TypeRef::List(_)),
        out,
    );
    let (items, item) = match items {
        Some((steps, TypeRef::List(item))) => (Some(steps), Some(*item)),
        _ => (None, None),
    };
    match p {
        Pagination::Cursor {
            cursor_param,
            cursor_from,
            cursor_field,
            has_more,
            ..
        } => {
            let cursor_param = cx.param(
                cursor_param,
                ("pagination.cursor_param", "a scalar"),
                |t| !matches!(t, TypeRef::List(_) | TypeRef::Map(_)),
                out,
            );
            let field = cursor_step(&cx, item.as_ref(), cursor_field, cursor_param.as_ref(), out);
            let has_more = cx.path(
                has_more,
                response,
                (
                    "pagination.has_more",
                    "a `bool` (with `lenient: true` when the wire sends \"true\")",
                ),
                |t| *t == TypeRef::Bool,
                out,
            );
            Some(ir::Pagination::Cursor {
                items: items?,
                item: item?,
                cursor_param: cursor_param?,
                cursor_from: (*cursor_from).into(),
                cursor_field: field?,
                has_more: has_more?.0,
            })
        }
        Pagination::Page {
            page_param,
            size_param,
            total,
            ..
        } => {
            let (page, size, total) =
                page_numbers(&cx, page_param, size_param, total.as_deref(), out)?;
            Some(ir::Pagination::Page {
                items: items?,
                item: item?,
                page_param: page?,
                size_param: size?,
                // Services number pages from 1.
                first_page: 1,
                size_when_unset: 1,
                total,
            })
        }
        Pagination::Token {
            token_param,
            next_token,
            ..
        } => {
            let token = cx.param(
                token_param,
                ("pagination.token_param", "a string"),
                |t| *t == TypeRef::String,
                out,
            );
            let next = cx.path(
                next_token,
                response,
                ("pagination.next_token", "a string"),
                |t| *t == TypeRef::String,
                out,
            );
            Some(ir::Pagination::Token {
                items: items?,
                item: item?,
                token_param: token?,
                next_token: next?.0,
            })
        }
    }
}

/// The cursor field: one field of the item, of the cursor parameter's type.
fn cursor_step(
    cx: &PagingCtx<'_, '_, '_, '_>,
    item: Option<&TypeRef>,
    cursor_field: &str,
    cursor_param: Option<&ir::PagingParam>,
    out: &mut Vec<Diagnostic>,
) -> Option<FieldStep> {
    let (mut steps, field_ty) = cx.path(
        cursor_field,
        item?,
        ("pagination.cursor_field", "a single field of the item"),
        |_| true,
        out,
    )?;
    let ctx = cx.files.ctx(cx.file);
    if let Some(param) = cursor_param
        && param.ty != field_ty
    {
        out.push(ctx.error(
            "pagination.cursor_field",
            Part::Value,
            format!(
                "cursor field `{cursor_field}` is a `{}` but parameter `{}` is a `{}`",
                show(&field_ty),
                param.wire.0,
                show(&param.ty)
            ),
        ));
    }
    if steps.len() != 1 {
        out.push(ctx.error(
            "pagination.cursor_field",
            Part::Value,
            format!("`{cursor_field}` is a path; the cursor must be a field of the item"),
        ));
        return None;
    }
    steps.pop()
}

/// The page-number and page-size parameters and the path to the total. `None` when the
/// total's path is broken (reported); a parameter is `None` inside when it is.
#[allow(clippy::type_complexity)]
fn page_numbers(
    cx: &PagingCtx<'_, '_, '_, '_>,
    page_param: &str,
    size_param: &str,
    total: Option<&str>,
    out: &mut Vec<Diagnostic>,
) -> Option<(
    Option<ir::PagingParam>,
    Option<ir::PagingParam>,
    Option<Vec<FieldStep>>,
)> {
    let page = cx.param(
        page_param,
        ("pagination.page_param", "an int32 or int64"),
        is_int,
        out,
    );
    let size = cx.param(
        size_param,
        ("pagination.size_param", "an int32 or int64"),
        is_int,
        out,
    );
    let total = match total {
        Some(total) => Some(
            cx.path(
                total,
                cx.response,
                ("pagination.total", "an int32 or int64"),
                is_int,
                out,
            )?
            .0,
        ),
        None => None,
    };
    Some((page, size, total))
}

/// Lowers and checks streaming: the event type, the event-name field, and
/// event names that are listed in two roles.
pub fn lower_streaming(
    s: &Streaming,
    file: usize,
    files: &Files<'_, '_>,
    table: &TypeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<ir::Streaming> {
    let ctx = files.ctx(file);
    let event = table.resolve(&s.event, files, file, "streaming.event", out)?;
    let name_field = match &s.event_name_field {
        Some(name) if !table.is_object(&event) => {
            out.push(ctx.error(
                "streaming.event_name_field",
                Part::Value,
                format!(
                    "`{name}`: the event type `{}` is not an object",
                    show(&event)
                ),
            ));
            return None;
        }
        Some(name) => {
            let (mut steps, _) = field_path(
                name,
                &event,
                "streaming.event_name_field",
                "a string (or string enum) field",
                |t| *t == TypeRef::String || table.is_enum(t),
                file,
                files,
                table,
                out,
            )?;
            if steps.len() != 1 {
                out.push(ctx.error(
                    "streaming.event_name_field",
                    Part::Value,
                    format!("`{name}` is a path; the event name must be a field of the event"),
                ));
                return None;
            }
            steps.pop()
        }
        None => None,
    };
    let roles = [
        ("error_events", &s.error_events),
        ("terminal_events", &s.terminal_events),
        ("ignored_events", &s.ignored_events),
    ];
    for (i, (role, names)) in roles.iter().enumerate() {
        for (j, name) in names.iter().enumerate() {
            let path = format!("streaming.{role}[{j}]");
            if names[..j].contains(name) {
                out.push(ctx.error(
                    &path,
                    Part::Value,
                    format!("event `{name}` is listed twice in `{role}`"),
                ));
            }
            if let Some((other, _)) = roles[..i].iter().find(|(_, others)| others.contains(name)) {
                out.push(
                    ctx.error(
                        &path,
                        Part::Value,
                        format!("event `{name}` is in both `{other}` and `{role}`"),
                    )
                    .hint("an event has one role"),
                );
            }
        }
    }
    Some(ir::Streaming {
        event,
        event_name_field: name_field,
        error_events: s.error_events.clone(),
        terminal_events: s.terminal_events.clone(),
        ignored_events: s.ignored_events.clone(),
    })
}
