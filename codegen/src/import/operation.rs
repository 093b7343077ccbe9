//! One metadata API (`apis.NAME`) into an operation spec draft.
//!
//! The mapping follows the official SDKs (whose facts
//! `tests/catalogue/sdk_meta.py` writes in this layout): RPC parameters all
//! travel in the query, `style: json` objects and lists become `json-string`, a ROA
//! `body` parameter with properties becomes `in: body` members and one
//! without becomes the whole body. What the spec format can not hold is a
//! [`Note`]; a required parameter it can not hold refuses the operation.

use super::meta::Node;
use super::schema::{Owner, Types, example_value};
use super::{ImportError, Note};
use crate::spec::{
    Constraints, ErrorCode, HttpBinding, HttpMethod, OperationSpec, Param, ParamLocation,
    ParamStyle, Protocol, Streaming,
};

/// What one operation's draft says beyond its spec.
pub struct Drafted {
    /// The draft (its `types` are filled in later, once every operation is drafted).
    pub spec: OperationSpec,
    /// Whether any prose of it came from the `--prose` file.
    pub other_prose: bool,
    /// The published response sample (`responseDemo`), if any.
    pub demo: Option<String>,
}

/// Drafts operation `name` from its metadata node.
pub fn draft<'m>(
    name: &str,
    api: &Node<'m>,
    protocol: Protocol,
    types: &mut Types<'m>,
    notes: &mut Vec<Note>,
) -> Result<Drafted, ImportError> {
    api.object()?;
    let prose_before = types.prose_other;
    let method = method(api)?;
    let http = match protocol {
        Protocol::AlibabaRpc => None,
        _ => Some(HttpBinding {
            method,
            path: api.require("path")?.str()?.to_owned(),
        }),
    };
    let mut params = Vec::new();
    if let Some(list) = api.get("parameters") {
        for p in list.items()? {
            params.extend(param(&p, name, protocol, method, types, notes)?);
        }
    }
    let response = response(api, name, types, notes)?;
    let streaming = match api.get("schemes") {
        Some(schemes) => {
            let mut sse = false;
            for s in schemes.items()? {
                sse |= s.str()? == "sse";
            }
            sse.then(|| streaming(&response, types))
        }
        None => None,
    };
    let streaming = match streaming {
        Some(Some(s)) => Some(s),
        Some(None) => {
            notes.push(Note::not_held(
                format!("{}.schemes", api.path()),
                format!("`sse` with a response of type `{response}`: streaming needs an object type; drafted without streaming"),
            ));
            None
        }
        None => None,
    };
    let errors = error_codes(api, notes)?;
    let summary = api
        .prose(&["summary", "title"])
        .map(|(text, source)| {
            if source == super::meta::ProseSource::Other {
                types.prose_other += 1;
            }
            one_line(&text)
        })
        .unwrap_or_else(|| format!("{name} (no summary published)."));
    let description = api.prose(&["description"]).map(|(text, source)| {
        if source == super::meta::ProseSource::Other {
            types.prose_other += 1;
        }
        text
    });
    Ok(Drafted {
        spec: OperationSpec {
            operation: name.to_owned(),
            summary,
            description,
            renamed_from: None,
            deprecated: api.flag("deprecated")?,
            idempotent: method == HttpMethod::Get && protocol != Protocol::AlibabaRpc,
            http,
            params,
            response,
            streaming,
            pagination: None,
            errors,
            types: Default::default(),
            examples: Vec::new(),
            provenance: Vec::new(),
            doc_fixes: Vec::new(),
            group: None,
            imported: None,
        },
        other_prose: types.prose_other > prose_before,
        demo: super::examples::response_demo(api)?,
    })
}

/// The first line of a summary, which is one line in the spec.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(text)
        .to_owned()
}

fn method(api: &Node<'_>) -> Result<HttpMethod, ImportError> {
    let Some(methods) = api.get("methods") else {
        return Ok(HttpMethod::Post);
    };
    // RPC files list every method the gateway accepts (`get`, `post`); the
    // first is the one the SDKs use for ROA, and RPC is always `POST /`.
    let Some(first) = methods.items()?.into_iter().next() else {
        return Ok(HttpMethod::Post);
    };
    match first.str()?.to_ascii_lowercase().as_str() {
        "get" => Ok(HttpMethod::Get),
        "post" => Ok(HttpMethod::Post),
        "put" => Ok(HttpMethod::Put),
        "patch" => Ok(HttpMethod::Patch),
        "delete" => Ok(HttpMethod::Delete),
        other => Err(first.error(format!(
            "HTTP method `{other}` (expected get, post, put, patch or delete)"
        ))),
    }
}

fn param<'m>(
    p: &Node<'m>,
    op: &str,
    protocol: Protocol,
    method: HttpMethod,
    types: &mut Types<'m>,
    notes: &mut Vec<Note>,
) -> Result<Vec<Param>, ImportError> {
    let name = p.require("name")?.str()?;
    let location = p.require("in")?.str()?;
    let style = p.opt_str("style")?;
    let schema = p.require("schema")?;
    schema.object()?;
    let required = schema.flag("required")?;
    let not_held = |why: String, notes: &mut Vec<Note>| -> Result<Vec<Param>, ImportError> {
        if required {
            Err(p.error(format!("required parameter `{name}`: {why}")))
        } else {
            notes.push(Note::not_held(
                p.path(),
                format!("parameter `{name}` left out: {why}"),
            ));
            Ok(Vec::new())
        }
    };
    let location = match (location, protocol) {
        ("query", _) => ParamLocation::Query,
        ("header", _) => ParamLocation::Header,
        ("path", Protocol::AlibabaRoa | Protocol::RestJson) => ParamLocation::Path,
        ("body", Protocol::AlibabaRoa | Protocol::RestJson) if method != HttpMethod::Get => {
            ParamLocation::Body
        }
        ("body", _) | ("formData", _) | ("path", _) | ("host", _) => {
            return not_held(
                format!(
                    "`in: {location}` on a {protocol:?} `{method:?}` operation has no place in the spec format"
                ),
                notes,
            );
        }
        (other, _) => {
            return Err(p.get("in").unwrap_or_else(|| p.clone()).error(format!(
                "unknown parameter location `{other}` (expected query, path, header, body, formData or host)"
            )));
        }
    };
    if let Some(style @ ("repeatList" | "flat")) = style {
        return not_held(
            format!(
                "`style: {style}` (one query key per item) has no spec style; only `json` and plain values are held"
            ),
            notes,
        );
    }
    if location == ParamLocation::Body {
        // A ROA JSON body comes as one parameter (named `body`) whose schema
        // is the object: its members become `in: body` parameters, so each
        // gets its own setter; an opaque or shared (`$ref`) schema is the
        // whole body.
        let properties = schema
            .get("properties")
            .filter(|_| schema.get("$ref").is_none());
        if let Some(properties) =
            properties.filter(|n| n.value.as_object().is_some_and(|m| !m.is_empty()))
        {
            let mut out = Vec::new();
            for (member, prop) in properties.entries()? {
                let ty = types.expr(
                    &prop,
                    &format!("{op}{}", super::schema::pascal(member)),
                    Owner(op),
                    1,
                )?;
                out.push(make_param(
                    member,
                    ParamLocation::Body,
                    ty,
                    &prop,
                    types,
                    false,
                )?);
            }
            return Ok(out);
        }
        let ty = types.expr(&schema, &format!("{op}Body"), Owner(op), 1)?;
        let mut whole = make_param(name, ParamLocation::WholeBody, ty, &schema, types, false)?;
        whole.required = required;
        return Ok(vec![whole]);
    }
    let ty = types.expr(
        &schema,
        &format!("{op}{}", super::schema::pascal(name)),
        Owner(op),
        1,
    )?;
    let structured = ty.starts_with("list<")
        || ty == "json"
        || types.defs.get(&ty).is_some_and(|d| d.fields.is_some());
    if structured && location != ParamLocation::Body && style != Some("json") {
        return not_held(
            format!(
                "a structured `{ty}` in `{location:?}` without `style: json` has no spec style"
            ),
            notes,
        );
    }
    let mut param = make_param(name, location, ty, &schema, types, structured)?;
    if location == ParamLocation::Path {
        param.required = true;
    }
    Ok(vec![param])
}

fn make_param<'m>(
    name: &str,
    location: ParamLocation,
    ty: String,
    schema: &Node<'m>,
    types: &mut Types<'m>,
    json_string: bool,
) -> Result<Param, ImportError> {
    let constraints = Constraints {
        min: schema.opt_number("minimum")?,
        max: schema.opt_number("maximum")?,
        max_length: schema
            .opt_number("maxLength")?
            .filter(|n| *n >= 0.0 && *n <= f64::from(u32::MAX))
            .map(|n| n as u32),
    };
    let constraints = (constraints.min.is_some()
        || constraints.max.is_some()
        || constraints.max_length.is_some())
    .then_some(constraints);
    let example = example_value(&ty, schema.get("example").as_ref(), &types.defs)
        .filter(|value| fits(value, constraints.as_ref()));
    Ok(Param {
        name: name.to_owned(),
        location,
        style: if json_string {
            ParamStyle::JsonString
        } else {
            ParamStyle::Plain
        },
        required: schema.flag("required")?,
        deprecated: schema.flag("deprecated")?,
        description: types.prose(schema),
        constraints,
        example,
        ty,
    })
}

/// Whether an example value satisfies the limits (the compiler refuses one that does not).
fn fits(value: &serde_json::Value, c: Option<&Constraints>) -> bool {
    let Some(c) = c else { return true };
    if let Some(x) = value.as_f64() {
        return c.min.is_none_or(|m| x >= m) && c.max.is_none_or(|m| x <= m);
    }
    if let Some(s) = value.as_str() {
        return c.max_length.is_none_or(|m| s.chars().count() <= m as usize);
    }
    true
}

fn response<'m>(
    api: &Node<'m>,
    op: &str,
    types: &mut Types<'m>,
    notes: &mut Vec<Note>,
) -> Result<String, ImportError> {
    let Some(responses) = api.get("responses") else {
        return Ok("json".into());
    };
    let mut ty = "json".to_owned();
    for (status, response) in responses.entries()? {
        let schema = response.get("schema");
        if status == "200" {
            if let Some(schema) = schema {
                ty = match (schema.opt_str("type")?, schema.opt_str("format")?) {
                    // A body that is a string is the body itself, as it comes.
                    (Some("string"), Some("binary" | "byte")) => "bytes".into(),
                    (Some("string"), _) => "text".into(),
                    _ => types.expr(&schema, &format!("{op}Response"), Owner(op), 1)?,
                };
            }
        } else if schema.is_some() {
            notes.push(Note::not_held(
                response.path(),
                format!("the schema of HTTP {status} responses: the spec format holds one response body (HTTP 200); error bodies follow the service's error shapes"),
            ));
        }
    }
    Ok(ty)
}

fn streaming(response: &str, types: &Types<'_>) -> Option<Streaming> {
    let fields = types.defs.get(response)?.fields.as_ref()?;
    let event_name_field = fields
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("event") && f.ty == "string")
        .map(|f| f.name.clone());
    Some(Streaming {
        event: response.to_owned(),
        event_name_field,
        error_events: Vec::new(),
        terminal_events: Vec::new(),
        ignored_events: Vec::new(),
    })
}

fn error_codes(api: &Node<'_>, notes: &mut Vec<Note>) -> Result<Vec<ErrorCode>, ImportError> {
    let Some(codes) = api.get("errorCodes") else {
        return Ok(Vec::new());
    };
    let mut out: Vec<ErrorCode> = Vec::new();
    for (status, list) in codes.entries()? {
        let status_code: u16 = status
            .parse()
            .ok()
            .filter(|s| (100..600).contains(s))
            .ok_or_else(|| list.error(format!("`{status}` is not an HTTP status")))?;
        for item in list.items()? {
            let code = item.require("errorCode")?.str()?.trim().to_owned();
            if code.is_empty() {
                notes.push(Note::not_held(
                    item.path(),
                    "an error code without a code: left out",
                ));
                continue;
            }
            if let Some(first) = out.iter().find(|e| e.code == code) {
                notes.push(Note::not_held(
                    item.path(),
                    format!(
                        "error code `{code}` again with HTTP {status_code} (first with {:?}): the spec holds one status per code, the first is kept",
                        first.status
                    ),
                ));
                continue;
            }
            let message = item
                .opt_str("errorMessage")?
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned);
            let description = item.prose(&["description"]).map(|(text, _)| text);
            out.push(ErrorCode {
                code,
                status: Some(status_code),
                message,
                description,
                retryable: status_code == 429 || status_code == 503,
            });
        }
    }
    Ok(out)
}
