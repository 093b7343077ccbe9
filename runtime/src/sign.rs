//! Alibaba Cloud V3 request signing, `ACS3-HMAC-SHA256` (docs/wire.md section 2).
//!
//! Each step is a public function taking plain strings, so a test can pin the date and nonce
//! and compare every intermediate value with Alibaba's published worked example.

use std::borrow::Cow;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The algorithm name, first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lower-case hex SHA-256 of `bytes` (the payload hash sent as `x-acs-content-sha256`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        // Every RPC/ROA call of the current specs has an empty body.
        return EMPTY_SHA256.to_owned();
    }
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of the empty string.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A canonical request and the `SignedHeaders` list it was built with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    /// The full canonical request text.
    pub text: String,
    /// Signed header names, lower-case, sorted, joined with `;`.
    pub signed_headers: String,
}

/// Builds the canonical request.
///
/// * `canonical_uri`: the path exactly as sent (`/` for RPC);
/// * `canonical_query`: from [`canonical_query`](crate::encode::canonical_query);
/// * `headers`: the headers to sign, any case; names are lower-cased, values trimmed, and
///   headers whose names collide are merged as their sorted values joined with `,`;
/// * `payload_hash`: [`sha256_hex`] of the body.
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
) -> CanonicalRequest {
    let mut hs: Vec<(Cow<'_, str>, &str)> = headers
        .iter()
        .map(|(n, v)| {
            let name = if n.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(n.to_ascii_lowercase())
            } else {
                Cow::Borrowed(*n)
            };
            (name, v.trim())
        })
        .collect();
    hs.sort_unstable();
    let mut text = String::with_capacity(256 + canonical_query.len());
    let mut signed_headers = String::with_capacity(128);
    text.push_str(method);
    text.push('\n');
    text.push_str(canonical_uri);
    text.push('\n');
    text.push_str(canonical_query);
    text.push('\n');
    let mut i = 0;
    while i < hs.len() {
        let name = &hs[i].0;
        if !signed_headers.is_empty() {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
        text.push_str(name);
        text.push(':');
        // Values of a repeated name are already sorted by the tuple sort.
        let mut first = true;
        while i < hs.len() && hs[i].0 == *name {
            if !first {
                text.push(',');
            }
            text.push_str(hs[i].1);
            first = false;
            i += 1;
        }
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&signed_headers);
    text.push('\n');
    text.push_str(payload_hash);
    CanonicalRequest {
        text,
        signed_headers,
    }
}

/// `ACS3-HMAC-SHA256\n` + lower-case hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Lower-case hex HMAC-SHA256 of the string to sign, keyed with the AccessKey secret.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(access_key_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Authorization` header value.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    )
}

/// A fresh `x-acs-signature-nonce`: 32 lower-case hex characters from 128 random bits.
pub fn new_nonce() -> String {
    use rand::RngExt as _;
    let n: u128 = rand::rng().random();
    format!("{n:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_hashes() {
        assert_eq!(sha256_hex(b""), hex::encode(Sha256::digest(b"")));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn repeated_header_names_merge_sorted() {
        let c = canonical_request(
            "GET",
            "/",
            "",
            &[("X-B", " 2 "), ("x-a", "1"), ("x-b", "1")],
            "h",
        );
        assert_eq!(c.text, "GET\n/\n\nx-a:1\nx-b:1,2\n\nx-a;x-b\nh");
        assert_eq!(c.signed_headers, "x-a;x-b");
    }

    #[test]
    fn nonces_are_32_hex_and_fresh() {
        let a = new_nonce();
        let b = new_nonce();
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }
}
