//! The static description of a service the mock checks requests against, emitted by the
//! generator as a `static` in each crate's `mock` module (from the same IR as the client, so
//! the mock and the client can not disagree about the spec).

use crate::service::{Method, ServiceInfo};

/// One service: its metadata and every operation the mock answers.
#[derive(Debug, Clone, Copy)]
pub struct MockService {
    /// Protocol, API version, authentication and error shapes.
    pub info: &'static ServiceInfo,
    /// Every operation, by wire name.
    pub operations: &'static [MockOperation],
}

impl MockService {
    /// The operation named `name` (its `x-acs-action`).
    pub fn operation(&self, name: &str) -> Option<&'static MockOperation> {
        self.operations.iter().find(|op| op.name == name)
    }
}

/// One operation: how it is addressed, what it takes and what it answers by default.
#[derive(Debug, Clone, Copy)]
pub struct MockOperation {
    /// Wire name (`x-acs-action`).
    pub name: &'static str,
    /// HTTP method (RPC operations are always `POST /`).
    pub method: Method,
    /// Path template, `{name}` for path parameters.
    pub path: &'static str,
    /// Parameters in spec order.
    pub params: &'static [MockParam],
    /// Whether the operation answers with server-sent events.
    pub streaming: bool,
    /// The spec's examples; the first is the default answer.
    pub examples: &'static [MockExample],
}

/// One request parameter and the limits the spec puts on it.
#[derive(Debug, Clone, Copy)]
pub struct MockParam {
    /// Wire name.
    pub wire: &'static str,
    /// Where it travels.
    pub location: Location,
    /// The kind of value.
    pub kind: Kind,
    /// Whether the request must carry it.
    pub required: bool,
    /// The values an enum parameter takes (empty: any value of `kind`).
    pub values: &'static [&'static str],
    /// Smallest number.
    pub min: Option<f64>,
    /// Largest number.
    pub max: Option<f64>,
    /// Longest text, in characters.
    pub max_length: Option<u32>,
    /// Sent as one compact JSON string (objects and lists in a query).
    pub json_string: bool,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// A `{name}` segment of the path.
    Path,
    /// A request header.
    Header,
    /// A member of the JSON body object.
    Body,
    /// The whole JSON body.
    WholeBody,
}

/// The kind of value a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    String,
    /// `true` / `false`.
    Bool,
    /// A 32-bit integer.
    Int32,
    /// A 64-bit integer (also timestamps).
    Int64,
    /// A number.
    Float,
    /// An object (a model or a map).
    Object,
    /// A list.
    List,
    /// Any JSON value.
    Json,
}

impl Kind {
    /// The kind in words, for the mock's log.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Bool => "true or false",
            Kind::Int32 => "a 32-bit integer",
            Kind::Int64 => "a 64-bit integer",
            Kind::Float => "a number",
            Kind::Object => "a JSON object",
            Kind::List => "a JSON list",
            Kind::Json => "JSON",
        }
    }
}

/// An example answer from the spec.
#[derive(Debug, Clone, Copy)]
pub struct MockExample {
    /// The example's name.
    pub name: &'static str,
    /// HTTP status.
    pub status: u16,
    /// Response body text (JSON, or the text of a text body).
    pub body: Option<&'static str>,
    /// Server-sent events text, for streaming operations.
    pub events: Option<&'static str>,
}
