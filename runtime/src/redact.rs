//! [`Redactions`]: the credentials one attempt sent or signed with, scrubbed from every text the
//! runtime keeps from the server.
//!
//! Some gateways and debugging proxies echo the request headers into an error body; kept as it
//! came, that body would carry the STS token or the Bearer key into the error's `Debug`, its
//! `Display` and every log line that prints it. The runtime knows exactly which secrets went out
//! with the request, so it replaces each of them by `***` in the body before anything reads it:
//! every field parsed from it (code, message, request id) is clean too.

use std::borrow::Cow;
use std::sync::Arc;

use crate::encode::rfc3986_encode;
use crate::key::AccessKey;
use crate::request::{PreparedRequest, is_sensitive};

/// What a scrubbed secret becomes.
const MASK: &str = "***";

/// Secrets shorter than this are not scrubbed: they would match ordinary text (every real
/// AccessKey secret, STS token and API key is far longer).
const MIN_SECRET_LEN: usize = 8;

/// The texts to scrub, each in the forms an echo may show it: as sent, JSON-escaped with `\/`
/// (PHP and Java encoders escape the slashes of base64 tokens) and percent-encoded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Redactions {
    needles: Arc<[String]>,
}

impl Redactions {
    /// The secrets of one attempt: the values of its credential headers (an `Authorization`
    /// header's credentials after the scheme too), and the AccessKey secret it was signed with.
    pub(crate) fn of(prepared: &PreparedRequest, key: Option<&AccessKey>) -> Redactions {
        let mut secrets: Vec<&str> = Vec::new();
        for (name, value) in &prepared.headers {
            if is_sensitive(name) {
                secrets.push(value);
                if let Some((_scheme, credentials)) = value.split_once(' ') {
                    secrets.push(credentials);
                }
            }
        }
        if let Some(key) = key {
            secrets.push(key.secret.expose());
            if let Some(token) = &key.security_token {
                secrets.push(token.expose());
            }
        }
        Redactions::new(secrets)
    }

    /// Scrubs each of `secrets` (longest first, so a secret inside another is not left half
    /// masked).
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactions {
        let mut needles: Vec<String> = Vec::new();
        for secret in secrets {
            let secret = secret.trim();
            if secret.len() < MIN_SECRET_LEN {
                continue;
            }
            let mut encoded = String::new();
            rfc3986_encode(secret, &mut encoded);
            for form in [secret.to_owned(), secret.replace('/', "\\/"), encoded] {
                if !needles.contains(&form) {
                    needles.push(form);
                }
            }
        }
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        Redactions {
            needles: needles.into(),
        }
    }

    /// Whether any secret occurs in `text`.
    pub(crate) fn found_in(&self, text: &str) -> bool {
        self.needles.iter().any(|n| text.contains(n.as_str()))
    }

    /// `text` with every secret replaced by `***` (borrowed when there is none).
    pub(crate) fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.found_in(text) {
            return Cow::Borrowed(text);
        }
        let mut out = text.to_owned();
        for needle in self.needles.iter() {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), MASK);
            }
        }
        Cow::Owned(out)
    }

    /// [`scrub`](Self::scrub) of owned text, without a copy when there is nothing to scrub.
    pub(crate) fn scrub_owned(&self, text: String) -> String {
        match self.scrub(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(clean) => clean,
        }
    }

    /// `body` as text (lossy UTF-8), scrubbed.
    pub(crate) fn scrub_bytes<'a>(&self, body: &'a [u8]) -> Cow<'a, str> {
        match String::from_utf8_lossy(body) {
            Cow::Borrowed(text) => self.scrub(text),
            Cow::Owned(text) => Cow::Owned(self.scrub_owned(text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "CAIS/abc+def==token";

    #[test]
    fn every_form_of_a_secret_is_masked_and_short_ones_are_left() {
        let r = Redactions::new([TOKEN, "short"]);
        let echoed = format!(
            r#"{{"raw":"{TOKEN}","json":"CAIS\/abc+def==token","query":"CAIS%2Fabc%2Bdef%3D%3Dtoken","short":"short"}}"#
        );
        let clean = r.scrub(&echoed);
        assert!(!clean.contains("abc"), "{clean}");
        assert_eq!(clean.matches(MASK).count(), 3, "{clean}");
        assert!(clean.contains(r#""short":"short""#), "{clean}");
        assert!(matches!(r.scrub("nothing here"), Cow::Borrowed(_)));
        assert!(!Redactions::default().found_in(TOKEN));
    }

    #[test]
    fn a_bearer_header_is_masked_whole_and_by_its_key() {
        let prepared = PreparedRequest {
            method: crate::Method::Post,
            url: "http://127.0.0.1/".into(),
            headers: vec![
                ("authorization".into(), "Bearer app-0123456789".into()),
                ("x-acs-action".into(), "GetConversations".into()),
            ],
            body: Vec::new(),
        };
        let key = AccessKey::new("LTAI-id-is-not-secret", "the-access-key-secret");
        let r = Redactions::of(&prepared, Some(&key));
        let clean = r.scrub(
            "authorization: Bearer app-0123456789, key app-0123456789, \
             the-access-key-secret, GetConversations, LTAI-id-is-not-secret",
        );
        assert_eq!(
            clean,
            "authorization: ***, key ***, ***, GetConversations, LTAI-id-is-not-secret"
        );
    }
}
