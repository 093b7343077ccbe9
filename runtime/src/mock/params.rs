//! Parameter checks: every parameter sent is one the operation takes, has the spec's type, is
//! one of its enum values and within its limits; JSON-string parameters parse; required ones
//! are there.

use serde_json::Value;

use super::incoming::Incoming;
use super::rejection::{Failure, Rejection};
use super::table::{Kind, Location, MockOperation, MockParam, MockService};

/// Query parameters the gateway itself reads, which are no operation's parameter: the RPC
/// bearer-token marker the SDKs add (docs/wire.md section 2).
const SYSTEM_QUERY: &[&str] = &["SignatureType"];

/// Checks the parameters of `req` against `op`; returns them by wire name, as text.
pub(crate) fn check(
    service: &'static MockService,
    op: &'static MockOperation,
    req: &Incoming,
    path_params: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, Rejection> {
    let invalid = |name: &str, problem: String| {
        Failure::InvalidParameter.reject(service, name, format!("{}: {problem}", op.name))
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    for (name, value) in &req.query {
        if SYSTEM_QUERY.contains(&name.as_str()) {
            continue;
        }
        let Some(param) = find(op, name, &[Location::Query]) else {
            return Err(invalid(name, unknown(op, name, Location::Query)));
        };
        check_text(param, value).map_err(|p| invalid(name, p))?;
        seen.push((name.clone(), value.clone()));
    }
    for (name, value) in path_params {
        if let Some(param) = find(op, &name, &[Location::Path]) {
            check_text(param, &value).map_err(|p| invalid(&name, p))?;
        }
        seen.push((name, value));
    }
    for param in op.params.iter().filter(|p| p.location == Location::Header) {
        if let Some(value) = req.header(&param.wire.to_ascii_lowercase()) {
            check_text(param, value).map_err(|p| invalid(param.wire, p))?;
            seen.push((param.wire.to_owned(), value.to_owned()));
        }
    }
    body(op, req, &mut seen).map_err(|(name, p)| invalid(&name, p))?;
    if let Some(missing) = op
        .params
        .iter()
        .find(|p| p.required && !seen.iter().any(|(n, _)| n == p.wire))
    {
        return Err(Failure::MissingParameter.reject(
            service,
            missing.wire,
            format!(
                "{}: required parameter `{}` ({}) was not sent",
                op.name,
                missing.wire,
                where_(missing.location)
            ),
        ));
    }
    Ok(seen)
}

fn find<'a>(op: &'a MockOperation, name: &str, at: &[Location]) -> Option<&'a MockParam> {
    op.params
        .iter()
        .find(|p| p.wire == name && at.contains(&p.location))
}

fn where_(location: Location) -> &'static str {
    match location {
        Location::Query => "in the query",
        Location::Path => "in the path",
        Location::Header => "a header",
        Location::Body => "a member of the JSON body",
        Location::WholeBody => "the JSON body",
    }
}

/// "`X` is not a query parameter of Op (it takes: A, B; did you mean `a`?)".
fn unknown(op: &MockOperation, name: &str, at: Location) -> String {
    let takes: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.location == at)
        .map(|p| p.wire)
        .collect();
    let lower = name.to_ascii_lowercase();
    let close = op
        .params
        .iter()
        .find(|p| p.wire.to_ascii_lowercase() == lower)
        .map(|p| format!("; did you mean `{}` ({})?", p.wire, where_(p.location)))
        .unwrap_or_default();
    let list = if takes.is_empty() {
        "none".to_owned()
    } else {
        takes.join(", ")
    };
    format!(
        "`{name}` is not {} parameter of {} (it takes: {list}{close})",
        match at {
            Location::Body => "a body",
            _ => "a query",
        },
        op.name
    )
}

/// The JSON body: its members (or the whole of it) checked like the query's values.
fn body(
    op: &'static MockOperation,
    req: &Incoming,
    seen: &mut Vec<(String, String)>,
) -> Result<(), (String, String)> {
    let whole = op.params.iter().find(|p| p.location == Location::WholeBody);
    let members = op.params.iter().any(|p| p.location == Location::Body);
    if req.body.is_empty() {
        return Ok(());
    }
    if whole.is_none() && !members {
        return Err((
            "body".into(),
            format!(
                "{} takes no body, but {} bytes were sent",
                op.name,
                req.body.len()
            ),
        ));
    }
    let value: Value = serde_json::from_slice(&req.body)
        .map_err(|e| ("body".to_owned(), format!("the body is not JSON: {e}")))?;
    if let Some(param) = whole {
        check_json(param, &value).map_err(|p| (param.wire.to_owned(), p))?;
        seen.push((param.wire.to_owned(), value.to_string()));
        return Ok(());
    }
    let Value::Object(map) = value else {
        return Err((
            "body".into(),
            "the body must be a JSON object of the operation's body parameters".into(),
        ));
    };
    for (name, value) in &map {
        let Some(param) = find(op, name, &[Location::Body]) else {
            return Err((name.clone(), unknown(op, name, Location::Body)));
        };
        if value.is_null() && !param.required {
            continue;
        }
        check_json(param, value).map_err(|p| (name.clone(), p))?;
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        seen.push((name.clone(), text));
    }
    Ok(())
}

/// A value sent as text (query, path, header).
fn check_text(param: &MockParam, text: &str) -> Result<(), String> {
    let wire = param.wire;
    match param.kind {
        Kind::String => check_string(param, text),
        // The Python SDK's `True`/`False` are accepted as the gateway does (docs/wire.md 1.2).
        Kind::Bool => match text {
            "true" | "false" | "True" | "False" => Ok(()),
            _ => Err(format!("`{wire}` must be true or false, got `{text}`")),
        },
        Kind::Int32 | Kind::Int64 => {
            let n: i64 = text
                .parse()
                .map_err(|_| format!("`{wire}` must be {}, got `{text}`", param.kind.describe()))?;
            check_integer(param, n)
        }
        Kind::Float => {
            let n: f64 = text
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite())
                .ok_or_else(|| format!("`{wire}` must be a number, got `{text}`"))?;
            check_range(param, n)
        }
        Kind::Object | Kind::List | Kind::Json => {
            if !param.json_string {
                return Ok(());
            }
            let value: Value = serde_json::from_str(text).map_err(|e| {
                format!("`{wire}` is sent as a JSON string, and `{text}` does not parse: {e}")
            })?;
            check_json_kind(param, &value)
        }
    }
}

/// A value inside a JSON body.
fn check_json(param: &MockParam, value: &Value) -> Result<(), String> {
    let wire = param.wire;
    let wrong = || {
        format!(
            "`{wire}` must be {}, got `{}`",
            param.kind.describe(),
            short(value)
        )
    };
    match param.kind {
        Kind::String => match value {
            Value::String(s) => check_string(param, s),
            _ => Err(wrong()),
        },
        Kind::Bool => value.is_boolean().then_some(()).ok_or_else(wrong),
        Kind::Int32 | Kind::Int64 => check_integer(param, value.as_i64().ok_or_else(wrong)?),
        Kind::Float => check_range(param, value.as_f64().ok_or_else(wrong)?),
        Kind::Object | Kind::List | Kind::Json => check_json_kind(param, value),
    }
}

fn check_json_kind(param: &MockParam, value: &Value) -> Result<(), String> {
    let ok = match param.kind {
        Kind::Object => value.is_object(),
        Kind::List => value.is_array(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` must be {}, got `{}`",
            param.wire,
            param.kind.describe(),
            short(value)
        ))
    }
}

fn check_string(param: &MockParam, text: &str) -> Result<(), String> {
    if !param.values.is_empty() && !param.values.contains(&text) {
        return Err(format!(
            "`{}` must be one of {}, got `{text}`",
            param.wire,
            param.values.join(", ")
        ));
    }
    if let Some(max) = param.max_length {
        let len = text.chars().count();
        if len > max as usize {
            return Err(format!(
                "`{}` is {len} characters long, at most {max} are allowed",
                param.wire
            ));
        }
    }
    Ok(())
}

fn check_integer(param: &MockParam, n: i64) -> Result<(), String> {
    if param.kind == Kind::Int32 && i32::try_from(n).is_err() {
        return Err(format!(
            "`{}` must be a 32-bit integer, got {n}",
            param.wire
        ));
    }
    // Spec limits are small whole numbers, exact as f64.
    check_range(param, n as f64)
}

fn check_range(param: &MockParam, n: f64) -> Result<(), String> {
    if let Some(min) = param.min
        && n < min
    {
        return Err(format!("`{}` must be at least {min}, got {n}", param.wire));
    }
    if let Some(max) = param.max
        && n > max
    {
        return Err(format!("`{}` must be at most {max}, got {n}", param.wire));
    }
    Ok(())
}

/// A value for a log line, cut at 60 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}
