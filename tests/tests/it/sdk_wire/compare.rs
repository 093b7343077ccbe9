//! Comparing two requests as the wire test does: every difference at once, named by the
//! aspect it concerns, so a run reports all of them and the known ones can be listed.

use serde_json::Value;

use super::super::support::acs3;
use super::super::support::seen::Seen;
use super::super::support::server::SECRET;

/// Headers that differ on every call by design: the date, the nonce, the signature (checked
/// on its own: each side's must verify) and the client's name.
const PER_CALL_HEADERS: [&str; 4] = [
    "x-acs-date",
    "x-acs-signature-nonce",
    "authorization",
    "user-agent",
];

/// One way two requests differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What differs: `method`, `path`, `query`, `query-order`, `query-bool`, `body`,
    /// `body-order`, `body-bytes`, `header:<name>`, `signature:sdk`, `signature:ours`,
    /// `requests` (not one request on each side).
    pub aspect: String,
    /// The two sides.
    pub detail: String,
}

fn differ(aspect: impl Into<String>, detail: String) -> Difference {
    Difference {
        aspect: aspect.into(),
        detail,
    }
}

/// Every difference between the SDK's request and ours; empty when they are the same on
/// the wire.
pub fn compare(sdk: &Seen, ours: &Seen) -> Vec<Difference> {
    let mut found = Vec::new();
    if sdk.method != ours.method {
        found.push(differ(
            "method",
            format!("sdk {} / ours {}", sdk.method, ours.method),
        ));
    }
    if sdk.path != ours.path {
        found.push(differ(
            "path",
            format!("sdk {} / ours {}", sdk.path, ours.path),
        ));
    }
    found.extend(query_differences(sdk, ours));
    if let Some(aspect) = body_difference(&sdk.body, &ours.body) {
        found.push(differ(
            aspect,
            format!(
                "sdk {} / ours {}",
                String::from_utf8_lossy(&sdk.body),
                String::from_utf8_lossy(&ours.body)
            ),
        ));
    }
    let names = sdk.headers.keys().chain(ours.headers.keys());
    let mut names: Vec<&String> = names
        .filter(|n| !PER_CALL_HEADERS.contains(&n.as_str()))
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        if sdk.header(name) != ours.header(name) {
            found.push(differ(
                format!("header:{name}"),
                format!("sdk {:?} / ours {:?}", sdk.header(name), ours.header(name)),
            ));
        }
    }
    for (side, seen) in [("sdk", sdk), ("ours", ours)] {
        if let Some(problem) = signature_problem(seen) {
            found.push(differ(format!("signature:{side}"), problem));
        }
    }
    found
}

/// `query-order` when the keys go out in another order; `query-bool` per value that differs
/// only in the spelling of a boolean (the Python SDK writes `True`, docs/wire.md section 1.2);
/// `query` per key missing on one side or with another value.
fn query_differences(sdk: &Seen, ours: &Seen) -> Vec<Difference> {
    let mut found = Vec::new();
    if sdk.query == ours.query {
        return found;
    }
    let (a, b) = (sorted(&sdk.query), sorted(&ours.query));
    let keys =
        |pairs: &[(String, String)]| pairs.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    let (a_keys, b_keys) = (keys(&sdk.query), keys(&ours.query));
    let mut a_sorted_keys = a_keys.clone();
    a_sorted_keys.sort();
    let mut b_sorted_keys = b_keys.clone();
    b_sorted_keys.sort();
    // The same keys, in another order (values compared below).
    if a_sorted_keys == b_sorted_keys && a_keys != b_keys {
        found.push(differ(
            "query-order",
            format!("sdk {a_keys:?} / ours {b_keys:?}"),
        ));
    }
    let mut names: Vec<&String> = a.iter().chain(&b).map(|(k, _)| k).collect();
    names.sort();
    names.dedup();
    for name in names {
        let values = |pairs: &[(String, String)]| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let (x, y) = (values(&a), values(&b));
        if x == y {
            continue;
        }
        let boolean =
            |v: &String| v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false");
        let only_case = x.len() == y.len()
            && x.iter()
                .zip(&y)
                .all(|(p, q)| p.eq_ignore_ascii_case(q) && boolean(p));
        found.push(differ(
            if only_case { "query-bool" } else { "query" },
            format!("{name}: sdk {x:?} / ours {y:?}"),
        ));
    }
    found
}

fn sorted(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut pairs = pairs.to_vec();
    pairs.sort();
    pairs
}

/// `body` or `body-order` when the bodies differ: JSON compared as values, then member
/// order; forms as decoded pairs, then their order; anything else as bytes.
fn body_difference(sdk: &[u8], ours: &[u8]) -> Option<&'static str> {
    if sdk == ours {
        return None;
    }
    if let (Ok(a), Ok(b)) = (
        serde_json::from_slice::<Value>(sdk),
        serde_json::from_slice::<Value>(ours),
    ) {
        // `Value` equality ignores member order (an `IndexMap` compares as a map); the
        // compact text keeps it.
        return Some(if a != b {
            "body"
        } else if serde_json::to_vec(&a).ok() != serde_json::to_vec(&b).ok() {
            "body-order"
        } else {
            // Same values, same order: only spacing or number spelling differ.
            "body-bytes"
        });
    }
    let form = |bytes: &[u8]| -> Vec<(String, String)> {
        url::form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let (a, b) = (form(sdk), form(ours));
    Some(if !a.is_empty() && a == b {
        "body-bytes"
    } else if !a.is_empty() && sorted(&a) == sorted(&b) {
        "body-order"
    } else {
        "body"
    })
}

/// Why `seen`'s ACS3 signature does not verify with the test secret, if it does not.
fn signature_problem(seen: &Seen) -> Option<String> {
    let header = seen.header("authorization").unwrap_or_default();
    if acs3::parse_authorization(header).is_none() {
        return Some(format!("not an ACS3 authorization header: {header:?}"));
    }
    let (recomputed, claimed) = acs3::recompute(seen, SECRET);
    (recomputed != claimed)
        .then(|| format!("signature {claimed} does not verify (recomputed {recomputed})"))
}
