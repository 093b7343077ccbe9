//! An independent ACS3-HMAC-SHA256 checker (docs/wire.md section 2).
//!
//! It rebuilds the canonical request from what the server received (method,
//! path, decoded query, the headers the `Authorization` header says were
//! signed, body bytes) and recomputes the signature.

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

use super::seen::Seen;

/// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Lower-case hex SHA-256 of the empty body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The parts of an `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Access key id.
    pub credential: String,
    /// Signed header names in the order listed.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

/// Parses an `Authorization` header value; `None` when it is not ACS3.
pub fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix("ACS3-HMAC-SHA256 ")?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.split_once('=')?;
        match k {
            "Credential" => credential = Some(v.to_owned()),
            "SignedHeaders" => signed = Some(v.split(';').map(str::to_owned).collect()),
            "Signature" => signature = Some(v.to_owned()),
            _ => return None,
        }
    }
    Some(Authorization {
        credential: credential?,
        signed_headers: signed?,
        signature: signature?,
    })
}

/// RFC 3986 percent-encoding over UTF-8 (space `%20`, `*` `%2A`, `~` kept).
pub fn rfc3986(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The canonical query: decoded pairs, sorted by key (then value), each
/// `rfc3986(key)=rfc3986(value)`, joined with `&`.
pub fn canonical_query(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort();
    sorted
        .iter()
        .map(|(k, v)| format!("{}={}", rfc3986(k), rfc3986(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical request for `seen`, signing the listed headers.
pub fn canonical_request(seen: &Seen, signed_headers: &[String]) -> String {
    let mut names: Vec<&str> = signed_headers.iter().map(String::as_str).collect();
    names.sort_unstable();
    let headers: String = names
        .iter()
        .map(|name| format!("{name}:{}\n", seen.header(name).unwrap_or_default().trim()))
        .collect();
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        seen.method,
        seen.path,
        canonical_query(&seen.query),
        headers,
        names.join(";"),
        sha256_hex(&seen.body)
    )
}

/// Hex HMAC-SHA256 of the string to sign of `canonical`.
pub fn sign(canonical: &str, secret: &str) -> String {
    let string_to_sign = format!("ACS3-HMAC-SHA256\n{}", sha256_hex(canonical.as_bytes()));
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        unreachable!("HMAC takes keys of any length")
    };
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Recomputes the signature of `seen` from its own `Authorization` header;
/// returns (recomputed, claimed).
pub fn recompute(seen: &Seen, secret: &str) -> (String, String) {
    let header = seen.header("authorization").unwrap_or_default();
    let auth = parse_authorization(header)
        .unwrap_or_else(|| panic!("not an ACS3 Authorization header: {header:?}"));
    (
        sign(&canonical_request(seen, &auth.signed_headers), secret),
        auth.signature,
    )
}

/// Asserts `seen` carries a valid ACS3 signature by `key_id`/`secret` that
/// covers at least the documented minimum of headers, and that those headers
/// have the documented forms.
pub fn assert_signed(seen: &Seen, key_id: &str, secret: &str) {
    let header = seen.header("authorization").expect("Authorization header");
    let auth = parse_authorization(header).unwrap_or_else(|| panic!("not ACS3: {header:?}"));
    assert_eq!(auth.credential, key_id);
    let mut sorted = auth.signed_headers.clone();
    sorted.sort();
    assert_eq!(sorted, auth.signed_headers, "SignedHeaders must be sorted");
    for required in [
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ] {
        assert!(
            auth.signed_headers.iter().any(|h| h == required),
            "{required} not signed: {header}"
        );
    }
    assert_eq!(
        seen.header("x-acs-content-sha256"),
        Some(sha256_hex(&seen.body).as_str())
    );
    let date = seen.header("x-acs-date").unwrap_or_default();
    assert!(
        is_acs_date(date),
        "x-acs-date {date:?} is not YYYY-MM-DDTHH:MM:SSZ"
    );
    let nonce = seen.header("x-acs-signature-nonce").unwrap_or_default();
    assert!(
        nonce.len() == 32
            && nonce
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "nonce {nonce:?} is not 32 lower-case hex chars"
    );
    let (recomputed, claimed) = recompute(seen, secret);
    assert_eq!(
        recomputed,
        claimed,
        "signature mismatch; canonical request:\n{}",
        canonical_request(seen, &auth.signed_headers)
    );
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn is_acs_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Unix seconds of a `YYYY-MM-DDTHH:MM:SSZ` date (proleptic Gregorian,
/// Howard Hinnant's `days_from_civil`).
pub fn unix_seconds(s: &str) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| s.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3_600 + mm * 60 + ss)
}
