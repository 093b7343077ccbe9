//! Reading responses: recognising the services' error bodies (see [`ErrorShape`]) and decoding
//! success bodies with the JSON path of any mismatch. Every text an error keeps from the
//! response is scrubbed of the request's credentials ([`Redactions`]).

use std::time::SystemTime;

use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::config::MAX_ERROR_BODY_BYTES;
use crate::decode::Decode;
use crate::error::{DecodeError, Error, ErrorCode, ServiceError};
use crate::redact::Redactions;
use crate::retry::{parse_acs_retry_after, parse_retry_after};
use crate::service::ErrorShape;

/// The members of an error body, in any of the shapes the services use. Unknown members are
/// skipped without being built, so probing a large success body stays cheap.
#[derive(Deserialize, Default)]
struct Probe {
    #[serde(default, rename = "Code", alias = "code")]
    code: Option<Value>,
    #[serde(default, rename = "Message", alias = "message")]
    message: Option<Value>,
    #[serde(
        default,
        rename = "RequestId",
        alias = "requestId",
        alias = "requestid"
    )]
    request_id: Option<Value>,
    #[serde(default, rename = "HostId")]
    host_id: Option<Value>,
    #[serde(default, rename = "Recommend")]
    recommend: Option<Value>,
    #[serde(default)]
    success: Option<Value>,
    #[serde(default, rename = "errCode")]
    err_code: Option<Value>,
    #[serde(default, rename = "errMessage")]
    err_message: Option<Value>,
    #[serde(default, rename = "httpStatusCode")]
    http_status_code: Option<Value>,
    #[serde(default)]
    list: Option<IgnoredAny>,
    #[serde(default, alias = "Data")]
    data: Option<IgnoredAny>,
}

/// A scalar member as text (`"x"`, `40000`, `true`); `None` for null, objects and arrays.
fn text(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The error a response reports, if any: any 3xx/4xx/5xx, and on 2xx a failure
/// envelope or `{code, message}` body when the service declares that shape; without any of
/// `secrets` in its texts.
pub(crate) fn service_error<C: ErrorCode>(
    shapes: &[ErrorShape],
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    secrets: &Redactions,
) -> Option<ServiceError<C>> {
    // Redirects are not followed (they would carry the signed headers elsewhere): one that
    // reaches here is a failure too.
    let failed = status >= 300;
    let wants_envelope = shapes.contains(&ErrorShape::SuccessEnvelope);
    let wants_code_message = shapes.contains(&ErrorShape::CodeMessage);
    if !failed && !wants_envelope && !wants_code_message {
        return None;
    }
    let probe = if looks_like_xml(headers, body) {
        xml_error(body)
    } else {
        serde_json::from_slice::<Probe>(body).ok()
    };
    let mut status = status;
    let probe = match probe {
        Some(p) if failed => p,
        None if failed => Probe::default(),
        None => return None,
        Some(mut p) => {
            let envelope_failed = wants_envelope
                && matches!(&p.success, Some(Value::Bool(false)))
                    | matches!(&p.success, Some(Value::String(s)) if s.eq_ignore_ascii_case("false"));
            let coded = wants_code_message
                && p.list.is_none()
                && p.data.is_none()
                && p.message.is_some()
                && matches!(&p.code, Some(Value::Number(n)) if n.as_i64() != Some(0));
            if envelope_failed {
                if let Some(s) = text(p.http_status_code.take()).and_then(|s| s.parse::<u16>().ok())
                {
                    status = s;
                }
            } else if !coded {
                return None;
            }
            p
        }
    };
    let raw_code = text(probe.code)
        .or_else(|| text(probe.err_code))
        .unwrap_or_default();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let retry_after = header("x-acs-retry-after")
        .and_then(parse_acs_retry_after)
        .or_else(|| header("retry-after").and_then(|v| parse_retry_after(v, SystemTime::now())));
    let error = ServiceError {
        status,
        code: C::from_code(&raw_code),
        raw_code,
        message: text(probe.message)
            .or_else(|| text(probe.err_message))
            .unwrap_or_default(),
        request_id: text(probe.request_id)
            .or_else(|| header("x-acs-request-id").map(str::to_owned)),
        host_id: text(probe.host_id),
        recommend: text(probe.recommend),
        // A failure envelope on HTTP 200 was read whole: keep the same prefix as for errors.
        body: String::from_utf8_lossy(&body[..body.len().min(MAX_ERROR_BODY_BYTES)]).into_owned(),
        retry_after,
        retry_after_cap: None,
        event: None,
    };
    Some(scrub_service_error(error, secrets))
}

/// `e` without any of `secrets` in the texts it keeps (the body and every member read from it
/// or from a header); the typed code is re-read from the scrubbed code.
pub(crate) fn scrub_service_error<C: ErrorCode>(
    e: ServiceError<C>,
    secrets: &Redactions,
) -> ServiceError<C> {
    let scrub = |text: String| secrets.scrub_owned(text);
    let raw_code = scrub(e.raw_code);
    ServiceError {
        status: e.status,
        code: C::from_code(&raw_code),
        raw_code,
        message: scrub(e.message),
        request_id: e.request_id.map(scrub),
        host_id: e.host_id.map(scrub),
        recommend: e.recommend.map(scrub),
        body: scrub(e.body),
        retry_after: e.retry_after,
        retry_after_cap: e.retry_after_cap,
        event: e.event.map(scrub),
    }
}

/// A decode error of `body` at `path`, without any of `secrets` in its body, path or message
/// (serde's message may quote a value of the body).
pub(crate) fn decode_error(
    status: u16,
    body: &[u8],
    path: String,
    source: serde_json::Error,
    secrets: &Redactions,
) -> DecodeError {
    let message = source.to_string();
    let source = if secrets.found_in(&message) {
        serde::de::Error::custom(secrets.scrub(&message))
    } else {
        source
    };
    DecodeError {
        status,
        body: secrets.scrub_bytes(body).into_owned(),
        path: secrets.scrub_owned(path),
        source,
    }
}

fn looks_like_xml(headers: &HeaderMap, body: &[u8]) -> bool {
    let ct_xml = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("xml"));
    ct_xml || body.trim_ascii_start().starts_with(b"<")
}

/// Reads an Alibaba XML error, `<Error><Code>..</Code><Message>..</Message>...</Error>`
/// (optionally after an XML declaration), into a [`Probe`]. Only the direct children of the
/// root are read; entities and CDATA are resolved by quick-xml.
fn xml_error(body: &[u8]) -> Option<Probe> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(body).ok()?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut probe = Probe::default();
    let mut depth = 0usize;
    let mut field: Option<String> = None;
    let mut value = String::new();
    let mut seen_root = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                depth += 1;
                seen_root = true;
                if depth == 2 {
                    field = Some(e.local_name().as_ref().to_owned());
                    value.clear();
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some(name) = field.take()
                {
                    let v = Some(Value::String(std::mem::take(&mut value)));
                    match name.as_str() {
                        "Code" | "code" => probe.code = v,
                        "Message" | "message" => probe.message = v,
                        "RequestId" | "requestId" => probe.request_id = v,
                        "HostId" => probe.host_id = v,
                        "Recommend" => probe.recommend = v,
                        _ => {}
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if depth == 2 => value.push_str(&t.xml10_content()),
            Event::CData(t) if depth == 2 => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if depth == 2 => match r.resolve_char_ref() {
                Ok(Some(c)) => value.push(c),
                _ => {
                    let entity = format!("&{};", &*r);
                    if let Ok(s) = quick_xml::escape::unescape(&entity) {
                        value.push_str(&s);
                    }
                }
            },
            Event::Eof => break,
            _ => {}
        }
    }
    seen_root.then_some(probe)
}

/// Decodes a success body into `T`; an empty body decodes as JSON `null` (so `()` and
/// `Option<_>` accept it). Errors keep the raw body (scrubbed of `secrets`) and the JSON path
/// of the mismatch.
pub(crate) fn decode<T: Decode, C: ErrorCode>(
    status: u16,
    body: &[u8],
    secrets: &Redactions,
) -> Result<T, Error<C>> {
    let input: &[u8] = if body.trim_ascii().is_empty() {
        b"null"
    } else {
        body
    };
    let decode_error = |path: String, source: serde_json::Error| {
        Error::Decode(Box::new(decode_error(status, body, path, source, secrets)))
    };
    // Parse errors (including trailing bytes) are at the root: the position is in the message.
    let value: Value =
        serde_json::from_slice(input).map_err(|e| decode_error(".".to_owned(), e))?;
    T::decode(value).map_err(|failure| {
        let (path, source) = failure.into_parts();
        decode_error(path, source)
    })
}

/// A text response body: the bytes as UTF-8, exactly (an empty body is the empty string).
pub(crate) fn text_body<C: ErrorCode>(
    status: u16,
    body: Vec<u8>,
    secrets: &Redactions,
) -> Result<String, Error<C>> {
    String::from_utf8(body).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let source = serde::de::Error::custom(format_args!(
            "the text body is not valid UTF-8 (first bad byte at offset {at})"
        ));
        Error::Decode(Box::new(decode_error(
            status,
            e.as_bytes(),
            ".".to_owned(),
            source,
            secrets,
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UnknownCode;

    const ALL: &[ErrorShape] = &[
        ErrorShape::Alibaba,
        ErrorShape::SuccessEnvelope,
        ErrorShape::CodeMessage,
    ];

    fn err(shapes: &[ErrorShape], status: u16, body: &str) -> Option<ServiceError<UnknownCode>> {
        service_error(
            shapes,
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            &Redactions::default(),
        )
    }

    #[test]
    fn text_bodies_are_exact_utf8() {
        let none = Redactions::default();
        let ok = text_body::<UnknownCode>(200, "iVBORw0K 图\n".as_bytes().to_vec(), &none);
        assert_eq!(ok.ok().as_deref(), Some("iVBORw0K 图\n"));
        assert_eq!(
            text_body::<UnknownCode>(200, Vec::new(), &none)
                .ok()
                .as_deref(),
            Some("")
        );
        match text_body::<UnknownCode>(200, b"ab\xffc".to_vec(), &none) {
            Err(Error::Decode(e)) => {
                assert_eq!((e.status, e.path.as_str()), (200, "."));
                assert!(e.to_string().contains("offset 2"), "{e}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn alibaba_json_error() {
        let e = err(&[ErrorShape::Alibaba], 400, r#"{"RequestId":"R1","HostId":"rdsai.aliyuncs.com","Code":"InvalidParameter","Message":"bad","Recommend":"https://x"}"#).unwrap();
        assert_eq!(
            (e.status, e.raw_code.as_str(), e.message.as_str()),
            (400, "InvalidParameter", "bad")
        );
        assert_eq!(e.request_id.as_deref(), Some("R1"));
        assert_eq!(e.host_id.as_deref(), Some("rdsai.aliyuncs.com"));
        assert_eq!(e.recommend.as_deref(), Some("https://x"));
        let lower = err(
            &[ErrorShape::Alibaba],
            404,
            r#"{"code":"NotFound","message":"m","requestId":"R2"}"#,
        )
        .unwrap();
        assert_eq!(
            (lower.raw_code.as_str(), lower.request_id.as_deref()),
            ("NotFound", Some("R2"))
        );
    }

    #[test]
    fn alibaba_xml_error() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><RequestId>R3</RequestId><HostId>h</HostId><Code>Throttling.User</Code><Message>a &amp; b &#x4E2D;<![CDATA[<c>]]></Message></Error>"#;
        let e = err(&[ErrorShape::Alibaba], 400, body).unwrap();
        assert_eq!(e.raw_code, "Throttling.User");
        assert_eq!(e.message, "a & b 中<c>");
        assert_eq!(e.request_id.as_deref(), Some("R3"));
        assert!(e.is_throttling());
    }

    #[test]
    fn success_envelope_failure_uses_http_status_code() {
        let body = r#"{"requestId":"R4","success":false,"errCode":"Forbidden","errMessage":"no","httpStatusCode":403,"data":null}"#;
        let e = err(ALL, 200, body).unwrap();
        assert_eq!(
            (e.status, e.raw_code.as_str(), e.message.as_str()),
            (403, "Forbidden", "no")
        );
        assert!(err(ALL, 200, r#"{"success":true,"data":{"list":[]}}"#).is_none());
        assert!(
            err(&[ErrorShape::Alibaba], 200, body).is_none(),
            "shape not declared"
        );
    }

    #[test]
    fn code_message_bodies() {
        let e = err(
            &[ErrorShape::CodeMessage],
            200,
            r#"{"code":40000,"message":"Parameter error"}"#,
        )
        .unwrap();
        assert_eq!((e.status, e.raw_code.as_str()), (200, "40000"));
        assert!(
            err(
                &[ErrorShape::CodeMessage],
                200,
                r#"{"code":40000,"message":"x","list":[]}"#
            )
            .is_none()
        );
        assert!(err(&[ErrorShape::CodeMessage], 200, r#"{"list":[],"total":0}"#).is_none());
        assert!(err(&[ErrorShape::CodeMessage], 200, "not json").is_none());
    }

    #[test]
    fn any_failure_status_is_an_error_even_without_a_body() {
        let e = err(&[], 502, "<html>bad gateway</html>").unwrap();
        assert_eq!((e.status, e.raw_code.as_str()), (502, ""));
        assert!(e.is_retryable());
        assert_eq!(err(&[], 503, "").unwrap().body, "");
        assert_eq!(
            err(&[], 302, "").unwrap().status,
            302,
            "redirects are not followed"
        );
    }

    #[test]
    fn a_failure_envelope_keeps_only_a_prefix_of_its_body() {
        let padding = "x".repeat(2 * MAX_ERROR_BODY_BYTES);
        let body = format!(r#"{{"success":false,"errCode":"E","pad":"{padding}"}}"#);
        let e = err(ALL, 200, &body).unwrap();
        assert_eq!(e.raw_code, "E");
        assert_eq!(e.body.len(), MAX_ERROR_BODY_BYTES);
    }

    #[test]
    fn decode_keeps_path_and_body() {
        // As generated models decode.
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Page {
            data: Vec<Item>,
        }
        impl Decode for Page {
            fn decode(value: Value) -> Result<Self, crate::decode::Failure> {
                let mut object = crate::decode::Object::new(value, "struct Page")?;
                Ok(Page {
                    data: object.required("Data")?,
                })
            }
        }
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Item {
            id: i64,
        }
        impl Decode for Item {
            fn decode(value: Value) -> Result<Self, crate::decode::Failure> {
                let mut object = crate::decode::Object::new(value, "struct Item")?;
                Ok(Item {
                    id: object.required("Id")?,
                })
            }
        }
        let body = br#"{"Data":[{"Id":1},{"Id":"x"}]}"#;
        let none = Redactions::default();
        match decode::<Page, UnknownCode>(200, body, &none) {
            Err(Error::Decode(d)) => {
                assert_eq!(d.path, "Data[1].Id");
                assert_eq!(d.body.as_bytes(), body);
            }
            other => panic!("{other:?}"),
        }
        assert!(decode::<(), UnknownCode>(200, b"", &none).is_ok());
        assert!(decode::<Item, UnknownCode>(200, br#"{"Id":1} trailing"#, &none).is_err());
    }
}
