//! A request as the mock server received it, with the lookups tests need.

use std::collections::BTreeMap;

/// One request received by the mock server.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Upper-case method (`POST`).
    pub method: String,
    /// Path exactly as sent, still percent-encoded.
    pub path: String,
    /// The query string exactly as sent (form-encoded), without `?`.
    pub raw_query: String,
    /// Query pairs, decoded, in wire order.
    pub query: Vec<(String, String)>,
    /// Headers by lower-case name; repeated headers joined with `,`.
    pub headers: BTreeMap<String, String>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl From<&wiremock::Request> for Seen {
    fn from(req: &wiremock::Request) -> Self {
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &req.headers {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            headers
                .entry(name.as_str().to_ascii_lowercase())
                .and_modify(|v| {
                    v.push(',');
                    v.push_str(&value);
                })
                .or_insert(value);
        }
        Seen {
            method: req.method.as_str().to_owned(),
            path: req.url.path().to_owned(),
            raw_query: req.url.query().unwrap_or_default().to_owned(),
            query: req
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers,
            body: req.body.clone(),
        }
    }
}

impl Seen {
    /// Decoded query as a map; fails the test when a key is repeated.
    pub fn query_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for (k, v) in &self.query {
            assert!(
                map.insert(k.clone(), v.clone()).is_none(),
                "query key {k} sent twice: {}",
                self.raw_query
            );
        }
        map
    }

    /// One header by name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The raw (still encoded) value of a query key, as it went over the wire.
    pub fn raw_query_value(&self, key: &str) -> Option<&str> {
        self.raw_query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == key).then_some(v)
        })
    }

    /// Asserts the decoded query is exactly `expected` (no other key).
    pub fn assert_query(&self, expected: &[(&str, &str)]) {
        let want: BTreeMap<String, String> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(self.query_map(), want, "query sent: {}", self.raw_query);
    }
}
