//! A received request as the checks read it: the raw path and query as sent, the decoded
//! query pairs, lower-case header names, the whole body.

/// One request as received.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path exactly as sent (still percent-encoded), e.g. `/api/v1/keys/a%20b`.
    pub path: String,
    /// Query pairs, form-decoded (`+` is a space), in the order sent.
    pub query: Vec<(String, String)>,
    /// Headers, names lower-case, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Incoming {
    /// Builds one from the request line's parts.
    pub fn new(
        method: &str,
        path: &str,
        raw_query: Option<&str>,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Incoming {
        let query = raw_query
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Incoming {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body,
        }
    }

    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}
