//! One operation: names, HTTP binding and path template, parameters, error
//! codes, and (once the whole service is lowered) its examples.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::examples;
use crate::ir::{self, PathSegment, TypeRef, WireName};
use crate::load::FileCtx;
use crate::naming;
use crate::spec::{self, OperationSpec, ParamLocation, ParamStyle, Protocol};
use crate::yaml_tree::{Part, join_index, join_key};

use super::names::Namespace;
use super::types::{TypeTable, check_example_value, show};
use super::{Files, paths};

/// Lowers operation file `file` (an index into `files`).
pub fn lower(
    op: &OperationSpec,
    file: usize,
    files: &Files<'_, '_>,
    table: &TypeTable<'_>,
    service_errors: &[ir::ErrorCode],
    out: &mut Vec<Diagnostic>,
) -> Option<ir::Operation> {
    let ctx = files.ctx(file);
    let before = out.iter().filter(|d| d.is_error()).count();
    let stem = ctx
        .path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".yaml");
    if op.operation != stem {
        out.push(
            ctx.error("operation", Part::Value, format!("operation `{}` is in file `{stem}.yaml`", op.operation))
                .hint(format!("an operation file is named after its operation: rename the file to `{}.yaml` or write `operation: {stem}`", op.operation)),
        );
    }
    if op.operation.is_empty() {
        out.push(ctx.error("operation", Part::Value, "empty operation name"));
    }
    let http = lower_http(op, files.service.protocol, ctx, out);
    let params = lower_params(op, file, files, table, out);
    if let Some(http) = &http {
        check_path_params(http, op, ctx, out);
        check_whole_body(op, files.service.protocol, ctx, out);
        if http.method == ir::HttpMethod::Get {
            for (i, p) in op.params.iter().enumerate() {
                if matches!(p.location, ParamLocation::Body | ParamLocation::WholeBody) {
                    out.push(
                        ctx.error(
                            &join_key(&join_index("params", i), "in"),
                            Part::Value,
                            format!("`GET` request with body parameter `{}`", p.name),
                        )
                        .hint("GET requests carry no body: use `in: query`"),
                    );
                }
            }
        }
    }
    let response_body = match op.response.trim() {
        "text" => ir::ResponseBody::Text,
        "bytes" => ir::ResponseBody::Bytes,
        _ => ir::ResponseBody::Json,
    };
    let response = match response_body {
        ir::ResponseBody::Json => table.resolve(&op.response, files, file, "response", out),
        // Not JSON: returned as it comes, so there is no type to resolve.
        ir::ResponseBody::Text | ir::ResponseBody::Bytes => {
            check_raw_response(op, response_body, ctx, out);
            Some(TypeRef::String)
        }
    };
    let streaming = op
        .streaming
        .as_ref()
        .and_then(|s| paths::lower_streaming(s, file, files, table, out));
    let pagination = match (&op.pagination, &response) {
        (Some(p), Some(response)) if response_body.is_json() => {
            paths::lower_pagination(p, response, &params, file, files, table, out)
        }
        _ => None,
    };
    let errors = merge_errors(op, ctx, service_errors, out);
    let mut example_names = Namespace::new("example");
    for (i, e) in op.examples.iter().enumerate() {
        let rust = ir::RustName(e.name.clone());
        example_names.claim(
            &e.name,
            &rust,
            ctx,
            &join_key(&join_index("examples", i), "name"),
            out,
        );
    }
    let failed = out.iter().filter(|d| d.is_error()).count() > before;
    if failed {
        return None;
    }
    Some(ir::Operation {
        name: WireName(op.operation.clone()),
        method: naming::method_name(&op.operation),
        builder: naming::builder_name(&op.operation),
        builder_fields: builder_fields(&params),
        error_enum: naming::error_enum_name(&op.operation),
        summary: op.summary.clone(),
        description: op.description.clone(),
        renamed_from: op.renamed_from.clone(),
        deprecated: op.deprecated,
        http: http?,
        idempotent: op.idempotent,
        params,
        response: response?,
        response_body,
        streaming,
        pagination,
        errors,
        examples: op
            .examples
            .iter()
            .map(|e| ir::Example {
                name: e.name.clone(),
                source: e.source.clone(),
                request: e.request.clone(),
                status: e.status.unwrap_or(200),
                response: e.response.clone(),
                events: e.events.clone(),
            })
            .collect(),
        source: ctx.path.to_owned(),
        group: op.group.clone(),
        imported_text: op.imported.as_ref().map(|i| text_source(i.text)),
    })
}

/// The IR's copy of the spec's text language (the IR names no spec type).
fn text_source(text: spec::TextSource) -> ir::TextSource {
    match text {
        spec::TextSource::English => ir::TextSource::English,
        spec::TextSource::Chinese => ir::TextSource::Chinese,
        spec::TextSource::Mixed => ir::TextSource::Mixed,
    }
}

/// The builder's own fields, renamed when a parameter's field took the name.
fn builder_fields(params: &[ir::Param]) -> ir::BuilderFields {
    let clear_of_params = |name: &str| {
        let taken = params.iter().any(|p| p.rust.0 == name);
        ir::RustName(if taken {
            format!("{name}_")
        } else {
            name.to_owned()
        })
    };
    ir::BuilderFields {
        client: clear_of_params("client"),
        options: clear_of_params("options"),
    }
}

/// `in: whole-body`: one parameter that is the whole JSON body, alone in the body, not on RPC.
fn check_whole_body(
    op: &OperationSpec,
    protocol: Protocol,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let whole: Vec<usize> = (0..op.params.len())
        .filter(|&i| op.params[i].location == ParamLocation::WholeBody)
        .collect();
    let Some(&first) = whole.first() else {
        return;
    };
    let at = |i: usize| join_key(&join_index("params", i), "in");
    if protocol == Protocol::AlibabaRpc {
        out.push(
            ctx.error(
                &at(first),
                Part::Value,
                "`in: whole-body` on an `alibaba-rpc` operation",
            )
            .hint("RPC operations send every parameter in the query: use `in: query`"),
        );
    }
    for &i in &whole[1..] {
        out.push(
            ctx.error(
                &at(i),
                Part::Value,
                format!(
                    "second whole-body parameter `{}` (`{}` is already the body)",
                    op.params[i].name, op.params[first].name
                ),
            )
            .hint("a request has one body: make the others `in: body` members of an object type, or query parameters"),
        );
    }
    if let Some(member) = op
        .params
        .iter()
        .position(|p| p.location == ParamLocation::Body)
    {
        out.push(
            ctx.error(
                &at(member),
                Part::Value,
                format!(
                    "body member `{}` next to the whole-body parameter `{}`",
                    op.params[member].name, op.params[first].name
                ),
            )
            .hint("the whole-body parameter is the entire body: put this value inside its type, or send it in the query"),
        );
    }
}

/// A `text` or `bytes` response has nothing to walk pages or events in.
fn check_raw_response(
    op: &OperationSpec,
    body: ir::ResponseBody,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let keyword = body.keyword().unwrap_or_default();
    for (key, what) in [
        ("pagination", op.pagination.is_some()),
        ("streaming", op.streaming.is_some()),
    ] {
        if what {
            out.push(
                ctx.error(key, Part::Key, format!("`{key}` with `response: {keyword}`"))
                    .expected("a JSON response type for an operation with `pagination` or `streaming`")
                    .hint(format!(
                        "a `{keyword}` body is returned as it comes: remove `{key}`, or declare the JSON response type"
                    )),
            );
        }
    }
}

/// `http` for ROA and REST; always `POST /` for RPC.
fn lower_http(
    op: &OperationSpec,
    protocol: Protocol,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<ir::Http> {
    match (protocol, &op.http) {
        (Protocol::AlibabaRpc, Some(_)) => {
            out.push(
                ctx.error("http", Part::Key, "`http` on an `alibaba-rpc` operation")
                    .hint("RPC operations are always `POST /` with every parameter in the query: remove `http`"),
            );
            None
        }
        (Protocol::AlibabaRpc, None) => Some(ir::Http {
            method: ir::HttpMethod::Post,
            path: "/".to_owned(),
            segments: vec![PathSegment::Literal("/".to_owned())],
        }),
        (protocol, None) => {
            let name = if protocol == Protocol::AlibabaRoa {
                "alibaba-roa"
            } else {
                "rest-json"
            };
            out.push(
                ctx.error("", Part::Value, "missing key `http`")
                    .expected("`http: {method: GET, path: /api/...}`")
                    .hint(format!(
                        "`{name}` operations need their HTTP method and path"
                    )),
            );
            None
        }
        (_, Some(binding)) => {
            let segments = parse_template(&binding.path, ctx, out)?;
            Some(ir::Http {
                method: binding.method.into(),
                path: binding.path.clone(),
                segments,
            })
        }
    }
}

/// Headers the runtime writes on every request (signing, auth, framing).
fn reserved_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("x-acs-")
        || matches!(
            name.as_str(),
            "authorization"
                | "host"
                | "content-type"
                | "content-length"
                | "date"
                | "user-agent"
                | "transfer-encoding"
                | "connection"
        )
}

/// `/a/{id}/b` into literal and parameter segments.
fn parse_template(
    path: &str,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<PathSegment>> {
    let mut bad = |message: String| {
        out.push(
            ctx.error("http.path", Part::Value, message)
                .expected("a path starting with `/`, with `{name}` for path parameters"),
        );
        None
    };
    if !path.starts_with('/') {
        return bad(format!("path `{path}` does not start with `/`"));
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c == '?' || c == '#')
    {
        return bad(format!("path `{path}` contains whitespace, `?` or `#`"));
    }
    // Clients (and the URL parser in the runtime) resolve dot segments, so
    // `/v1/../admin` would be sent to `/admin`; `%2e` is the same dot.
    let dot_segment = path.split('/').any(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    });
    if dot_segment {
        return bad(format!(
            "path `{path}` has a `.` or `..` segment, which would send the request elsewhere"
        ));
    }
    let mut segments = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                segments.push(PathSegment::Literal(rest.to_owned()));
                break;
            }
            Some(i) if rest[i..].starts_with('}') => {
                return bad(format!("unmatched `}}` in path `{path}`"));
            }
            Some(i) => {
                if i > 0 {
                    segments.push(PathSegment::Literal(rest[..i].to_owned()));
                }
                let after = &rest[i + 1..];
                let Some(end) = after.find('}') else {
                    return bad(format!("unclosed `{{` in path `{path}`"));
                };
                let name = &after[..end];
                if name.is_empty() || name.contains('{') {
                    return bad(format!("bad parameter `{{{name}}}` in path `{path}`"));
                }
                if segments
                    .iter()
                    .any(|s| matches!(s, PathSegment::Param(w) if w.0 == name))
                {
                    return bad(format!("`{{{name}}}` appears twice in path `{path}`"));
                }
                segments.push(PathSegment::Param(WireName(name.to_owned())));
                rest = &after[end + 1..];
            }
        }
    }
    Some(segments)
}

/// Every `{name}` has an `in: path` parameter and the other way round.
fn check_path_params(
    http: &ir::Http,
    op: &OperationSpec,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let in_template: Vec<&str> = http
        .segments
        .iter()
        .filter_map(|s| match s {
            PathSegment::Param(w) => Some(w.0.as_str()),
            PathSegment::Literal(_) => None,
        })
        .collect();
    let path_params: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.as_str())
        .collect();
    for name in &in_template {
        if !path_params.contains(name) {
            let hint = did_you_mean(name, path_params.iter().copied()).unwrap_or_else(|| {
                format!("declare a parameter `{name}` with `in: path` and `required: true`")
            });
            out.push(
                ctx.error(
                    "http.path",
                    Part::Value,
                    format!("path template has `{{{name}}}` but no `in: path` parameter `{name}`"),
                )
                .hint(hint),
            );
        }
    }
    for (i, p) in op.params.iter().enumerate() {
        if p.location == ParamLocation::Path && !in_template.contains(&p.name.as_str()) {
            let hint = if op.http.is_none() {
                "this protocol's path is always `/`: send the parameter in the query".to_owned()
            } else {
                format!("add `{{{}}}` to `http.path`, or change `in`", p.name)
            };
            out.push(
                ctx.error(
                    &join_key(&join_index("params", i), "in"),
                    Part::Value,
                    format!(
                        "path parameter `{}` is not in the path `{}`",
                        p.name, http.path
                    ),
                )
                .hint(hint),
            );
        }
    }
}

fn lower_params(
    op: &OperationSpec,
    file: usize,
    files: &Files<'_, '_>,
    table: &TypeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<ir::Param> {
    let ctx = files.ctx(file);
    let mut names = Namespace::new("parameter");
    // Optional parameters become builder methods: `send` is renamed
    // `set_send`, which then must not meet a parameter `set_send`.
    let mut setters = Namespace::new("parameter");
    let mut params = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        let path = join_index("params", i);
        if p.name.is_empty() {
            out.push(ctx.error(
                &join_key(&path, "name"),
                Part::Value,
                "empty parameter name",
            ));
            continue;
        }
        let rust = naming::snake(&p.name);
        let setter = (!p.required).then(|| naming::setter_name(&rust));
        let claimed = names.claim(&p.name, &rust, ctx, &join_key(&path, "name"), out)
            && setter.as_ref().is_none_or(|setter| {
                setters.claim(&p.name, setter, ctx, &join_key(&path, "name"), out)
            });
        let ty = table.resolve(&p.ty, files, file, &join_key(&path, "type"), out);
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if p.location == ParamLocation::Header && !p.name.chars().all(token) {
            out.push(
                ctx.error(
                    &join_key(&path, "name"),
                    Part::Value,
                    format!("`{}` is not a valid HTTP header name", p.name),
                )
                .expected("letters, digits and `-` (an HTTP token), e.g. `x-acs-request-id`"),
            );
        }
        if p.location == ParamLocation::Header && reserved_header(&p.name) {
            out.push(
                ctx.error(
                    &join_key(&path, "name"),
                    Part::Value,
                    format!("header `{}` is set by the client itself", p.name),
                )
                .hint("`Authorization`, `Host`, `Content-Type`, `Content-Length`, `Date`, `User-Agent` and `x-acs-*` carry the signature, the credential and the framing; a parameter would be overwritten or sent ahead of them"),
            );
        }
        if p.location == ParamLocation::Path && !p.required {
            out.push(
                ctx.error(
                    &path,
                    Part::Value,
                    format!("path parameter `{}` is not required", p.name),
                )
                .hint("a path can not leave a segment out: add `required: true`"),
            );
        }
        if let Some(ty) = &ty {
            check_style(p, ty, table, ctx, &path, out);
            if let Some(c) = &p.constraints {
                check_constraints(c, ty, ctx, &join_key(&path, "constraints"), out);
            }
            if let Some(example) = &p.example {
                check_example_value(
                    example,
                    ty,
                    false,
                    table,
                    ctx,
                    &join_key(&path, "example"),
                    out,
                );
                if let Some(c) = &p.constraints {
                    for message in examples::constraint_violations(example, &lower_constraints(c)) {
                        out.push(ctx.error(
                            &join_key(&path, "example"),
                            Part::Value,
                            format!("example violates the constraints: {message}"),
                        ));
                    }
                }
            }
        }
        if let (true, Some(ty)) = (claimed, ty) {
            params.push(ir::Param {
                wire: WireName(p.name.clone()),
                rust,
                setter,
                location: p.location.into(),
                style: p.style.into(),
                ty,
                required: p.required,
                deprecated: p.deprecated,
                description: p.description.clone(),
                constraints: p.constraints.as_ref().map(lower_constraints),
            });
        }
    }
    params
}

/// `style: json-string` exactly for structured values outside the body.
fn check_style(
    p: &spec::Param,
    ty: &TypeRef,
    table: &TypeTable<'_>,
    ctx: &FileCtx<'_>,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let structured =
        matches!(ty, TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Json) || table.is_object(ty);
    match p.style {
        ParamStyle::JsonString if !structured => out.push(
            ctx.error(
                &join_key(path, "style"),
                Part::Value,
                format!(
                    "`style: json-string` on parameter `{}` of type `{}`",
                    p.name,
                    show(ty)
                ),
            )
            .expected("`json-string` only for objects, lists, maps and `json`")
            .hint("remove `style` (scalars are sent as plain text)"),
        ),
        ParamStyle::JsonString if p.location == ParamLocation::WholeBody => out.push(
            ctx.error(
                &join_key(path, "style"),
                Part::Value,
                format!("`style: json-string` on whole-body parameter `{}`", p.name),
            )
            .hint("the body is JSON already: remove `style`"),
        ),
        ParamStyle::Plain
            if structured
                && !matches!(p.location, ParamLocation::Body | ParamLocation::WholeBody) =>
        {
            out.push(
                ctx.error(
                    path,
                    Part::Value,
                    format!(
                        "parameter `{}` of type `{}` can not travel in the {} as plain text",
                        p.name,
                        show(ty),
                        location_name(p.location)
                    ),
                )
                .hint("add `style: json-string` (sent as one compact JSON string)"),
            )
        }
        _ => {}
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Query => "query",
        ParamLocation::Path => "path",
        ParamLocation::Header => "headers",
        ParamLocation::Body | ParamLocation::WholeBody => "body",
    }
}

fn lower_constraints(c: &spec::Constraints) -> ir::Constraints {
    ir::Constraints {
        min: c.min,
        max: c.max,
        max_length: c.max_length,
    }
}

fn check_constraints(
    c: &spec::Constraints,
    ty: &TypeRef,
    ctx: &FileCtx<'_>,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    if let (Some(min), Some(max)) = (c.min, c.max)
        && min > max
    {
        out.push(ctx.error(
            path,
            Part::Value,
            format!("`min` {min} is greater than `max` {max}"),
        ));
    }
    let numeric = matches!(ty, TypeRef::Int32 | TypeRef::Int64 | TypeRef::Float64);
    if (c.min.is_some() || c.max.is_some()) && !numeric {
        out.push(
            ctx.error(
                path,
                Part::Value,
                format!("`min`/`max` on a value of type `{}`", show(ty)),
            )
            .expected("`min` and `max` only for int32, int64 and float64"),
        );
    }
    if c.max_length.is_some() && *ty != TypeRef::String {
        out.push(
            ctx.error(
                path,
                Part::Value,
                format!("`max_length` on a value of type `{}`", show(ty)),
            )
            .expected("`max_length` only for strings"),
        );
    }
}

/// Error codes of a list: duplicates and variant collisions reported.
pub fn lower_error_codes(
    codes: &[spec::ErrorCode],
    ctx: &FileCtx<'_>,
    list_path: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<ir::ErrorCode> {
    let mut names = Namespace::new("error code");
    let mut lowered = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        let path = join_key(&join_index(list_path, i), "code");
        if c.code.is_empty() {
            out.push(ctx.error(&path, Part::Value, "empty error code"));
            continue;
        }
        let variant = naming::error_variant(&c.code);
        if names.claim(&c.code, &variant, ctx, &path, out) {
            lowered.push(ir::ErrorCode {
                code: WireName(c.code.clone()),
                variant,
                status: c.status,
                message: c.message.clone(),
                description: c.description.clone(),
                retryable: c.retryable,
            });
        }
    }
    lowered
}

/// The operation's codes, then the service's it does not redeclare.
fn merge_errors(
    op: &OperationSpec,
    ctx: &FileCtx<'_>,
    service_errors: &[ir::ErrorCode],
    out: &mut Vec<Diagnostic>,
) -> Vec<ir::ErrorCode> {
    let mut merged = lower_error_codes(&op.errors, ctx, "errors", out);
    for (i, code) in merged.iter().enumerate() {
        if let Some(shared) = service_errors.iter().find(|s| s.code == code.code)
            && shared.status.is_some()
            && code.status.is_some()
            && shared.status != code.status
        {
            out.push(
                ctx.error(
                    &join_key(&join_index("errors", i), "status"),
                    Part::Value,
                    format!(
                        "error code `{}` has status {} here but {} in service.yaml",
                        code.code.0,
                        code.status.unwrap_or_default(),
                        shared.status.unwrap_or_default()
                    ),
                )
                .hint("the operation's entry wins; remove it if the service's is right")
                .warning(),
            );
        }
    }
    for shared in service_errors {
        if merged.iter().any(|c| c.code == shared.code) {
            continue;
        }
        if let Some(clash) = merged.iter().position(|c| c.variant == shared.variant) {
            out.push(ctx.error(
                &join_key(&join_index("errors", clash), "code"),
                Part::Value,
                format!(
                    "error codes `{}` and `{}` (from service.yaml) both become `{}` in Rust",
                    merged[clash].code.0, shared.code.0, shared.variant.0
                ),
            ));
            continue;
        }
        merged.push(shared.clone());
    }
    merged
}

/// Checks every example of every operation against the lowered service.
pub fn check_examples(service: &ir::Service, files: &Files<'_, '_>, out: &mut Vec<Diagnostic>) {
    let types = examples::TypeIndex::new(&service.types);
    // Operation files by path (paths are unique).
    let ctxs: HashMap<&str, &FileCtx<'_>> =
        files.ops.iter().map(|(ctx, _)| (ctx.path, *ctx)).collect();
    for op in &service.operations {
        let Some(ctx) = ctxs.get(op.source.as_str()) else {
            continue;
        };
        for (i, example) in op.examples.iter().enumerate() {
            for problem in examples::check_example_with(&types, op, example) {
                let path = join_key(&join_index("examples", i), &problem.part);
                let message = format!("example `{}`: {}", example.name, problem.message);
                // Inside a literal block (`response: |`) the exact spot is known.
                let exact = problem
                    .at
                    .and_then(|(line, column)| ctx.error_in_literal(&path, line, column, &message));
                out.push(exact.unwrap_or_else(|| ctx.error(&path, problem.points_at, message)));
            }
        }
    }
}
