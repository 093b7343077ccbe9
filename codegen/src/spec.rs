//! The spec format: what a user writes in `spec/<service>/service.yaml` and
//! `spec/<service>/operations/<Operation>.yaml`.
//!
//! These types are the single source of truth for the format: the loader
//! deserialises into them (unknown keys rejected), and the JSON Schema that
//! editors use is generated from them (`cargo xtask generate` writes it to
//! `spec/service.schema.json` and `spec/operation.schema.json`, `cargo xtask
//! check` fails when they are stale; the loader checks every file against
//! the same schemas, see `schema.rs`).
//!
//! The types say nothing about Rust: names are wire names, types are written
//! as small type expressions (`string`, `int32`, `list<Conversation>`), and
//! every Rust decision is taken later, when the spec is lowered into the IR.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `spec/<service>/service.yaml`: one service, its protocol, endpoints, auth
/// and errors, plus the types that several operations share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Short service name; also the directory name under `spec/` and `generated/`.
    pub service: String,
    /// Human title, used in the generated crate's documentation.
    pub title: String,
    /// One paragraph on what the service is, for the crate documentation.
    #[serde(default)]
    pub description: Option<String>,
    /// The generated crate: package name and version.
    #[serde(rename = "crate")]
    pub krate: CrateSpec,
    /// The wire protocol every operation of this service uses.
    pub protocol: Protocol,
    /// The API version sent with every call (`x-acs-version` for Alibaba
    /// protocols); informational for REST services.
    #[serde(default)]
    pub api_version: Option<String>,
    /// Where the service lives.
    pub endpoints: Endpoints,
    /// How calls are authenticated.
    pub auth: Auth,
    /// How failures are reported on the wire, and the codes every operation shares.
    pub errors: ServiceErrors,
    /// Types shared by several operations, by name.
    #[serde(default)]
    pub types: BTreeMap<String, TypeDef>,
    /// Where the facts in this file come from.
    #[serde(default)]
    pub provenance: Vec<Provenance>,
}

/// The generated crate's package metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrateSpec {
    /// Cargo package name, e.g. `rdsai`.
    pub name: String,
    /// Semver version of the generated crate; `cargo xtask diff --check-versions`
    /// checks it against the API changes.
    pub version: String,
}

/// The three wire protocols the runtime speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// Alibaba Cloud RPC style: `POST /`, every parameter in the query,
    /// action and version in `x-acs-*` headers.
    AlibabaRpc,
    /// Alibaba Cloud ROA style: the operation's own method and path.
    AlibabaRoa,
    /// Plain REST with JSON bodies.
    RestJson,
}

/// Endpoint resolution: explicit endpoint (from the caller) over the
/// per-region map over the region template over the default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    /// Endpoint used when the caller names no region, e.g. `https://rdsai.aliyuncs.com`.
    pub default: String,
    /// Region id to endpoint, for regions whose endpoint is not the template's.
    #[serde(default)]
    pub regions: BTreeMap<String, String>,
    /// Endpoint for any other region, with `{region}` in it,
    /// e.g. `https://rdsai.{region}.aliyuncs.com`.
    #[serde(default)]
    pub region_template: Option<String>,
}

/// How requests are authenticated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Auth {
    /// Alibaba Cloud V3 signature (`ACS3-HMAC-SHA256`) with an access key
    /// pair and an optional STS token, explicit or from the
    /// `ALIBABA_CLOUD_*` environment variables.
    Acs3HmacSha256,
    /// `Authorization: Bearer <key>`.
    Bearer {
        /// Environment variable the key is read from by `Client::from_env`.
        env: String,
    },
}

/// Service-wide error handling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceErrors {
    /// The shapes of error bodies this service sends (checked in this order).
    pub shapes: Vec<ErrorShape>,
    /// Codes any operation of the service may return.
    #[serde(default)]
    pub codes: Vec<ErrorCode>,
}

/// A way a service reports failure on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorShape {
    /// Alibaba gateway body on HTTP 4xx/5xx:
    /// `{RequestId, HostId, Code, Message, Recommend}` (JSON, or XML `<Error>`).
    Alibaba,
    /// A success envelope that can report failure on HTTP 200:
    /// `{success: false, errCode, errMessage, httpStatusCode, requestId}`.
    SuccessEnvelope,
    /// `{code, message}` (integer code) on any HTTP status.
    CodeMessage,
}

/// One known error code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The code exactly as it appears on the wire (`InvalidParameter`, `40000`).
    pub code: String,
    /// The HTTP status it comes with, where documented.
    #[serde(default)]
    pub status: Option<u16>,
    /// The message the service sends with it.
    #[serde(default)]
    pub message: Option<String>,
    /// What it means for the caller.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether repeating the same call later may succeed (throttling, overload).
    #[serde(default)]
    pub retryable: bool,
}

/// `spec/<service>/operations/<Operation>.yaml`: one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// Operation name as the service knows it (`GetConversations`); the file
    /// must be named after it.
    pub operation: String,
    /// One line on what it does.
    pub summary: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// The previous name of this operation, when it was renamed; `diff`
    /// reports a rename instead of a removal plus an addition.
    #[serde(default)]
    pub renamed_from: Option<String>,
    /// Whether the operation is deprecated (the generated method gets `#[deprecated]`).
    #[serde(default)]
    pub deprecated: bool,
    /// HTTP method and path. Required for `alibaba-roa` and `rest-json`;
    /// `alibaba-rpc` operations are always `POST /` and must leave it out.
    #[serde(default)]
    pub http: Option<HttpBinding>,
    /// Whether repeating the call has no further effect; only idempotent
    /// operations are retried by default.
    pub idempotent: bool,
    /// Request parameters, in the order they are documented.
    #[serde(default)]
    pub params: Vec<Param>,
    /// The type of the (non-streamed) JSON response body; or `text` for a body
    /// returned as it comes as a `String` (the SDKs' `string`/`any` body
    /// types), or `bytes` for raw bytes (`Vec<u8>`).
    pub response: TypeExpr,
    /// Server-sent events, when the operation can stream its answer.
    #[serde(default)]
    pub streaming: Option<Streaming>,
    /// How to walk the pages of a list operation.
    #[serde(default)]
    pub pagination: Option<Pagination>,
    /// Error codes this operation documents, beyond the service's.
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
    /// Types used by this operation, by name (shared with the whole service:
    /// names must be unique across files).
    #[serde(default)]
    pub types: BTreeMap<String, TypeDef>,
    /// Example calls; every one must decode against the declared types.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Where the facts in this file come from.
    #[serde(default)]
    pub provenance: Vec<Provenance>,
    /// Every place this spec deliberately differs from the published doc.
    #[serde(default)]
    pub doc_fixes: Vec<DocFix>,
    /// The category upstream files the operation under (the metadata's
    /// `directories`); the crate docs list operations by it.
    #[serde(default)]
    pub group: Option<String>,
    /// Present when `cargo xtask import` drafted this file (its sources are in
    /// `provenance`); absent for a spec written and reviewed by hand.
    #[serde(default)]
    pub imported: Option<Imported>,
}

/// What an imported operation's docs say about where they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Imported {
    /// The language of the operation's text, as published.
    pub text: TextSource,
}

/// Where an imported operation's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TextSource {
    /// English throughout: the SDK's comments and the English metadata.
    English,
    /// Chinese throughout, kept as published in the metadata (not translated).
    Chinese,
    /// English where the SDK or the English metadata has text, Chinese as
    /// published elsewhere (often the summary).
    Mixed,
}

/// HTTP method and path template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpBinding {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: HttpMethod,
    /// Path template; `{name}` segments must match `in: path` parameters.
    pub path: String,
}

/// HTTP methods an operation may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// A type expression: `string`, `bool`, `int32`, `int64`, `float64`,
/// `timestamp_s` (Unix seconds), `timestamp_ms` (Unix milliseconds),
/// `json` (free-form), `list<T>`, `map<T>` (string keys), or the name of a
/// type declared under `types`.
pub type TypeExpr = String;

/// One request parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Wire name, exactly as sent (`LastId`, `pageSize`, `conversation_type`).
    pub name: String,
    /// Where it travels.
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// How the value is turned into text; `plain` unless said otherwise.
    #[serde(default)]
    pub style: ParamStyle,
    /// Whether the caller must supply it.
    #[serde(default)]
    pub required: bool,
    /// Whether the parameter is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Corrected description.
    #[serde(default)]
    pub description: Option<String>,
    /// Value limits checked by the validator against examples.
    #[serde(default)]
    pub constraints: Option<Constraints>,
    /// An example value.
    #[serde(default)]
    pub example: Option<serde_json::Value>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    /// In the query string.
    Query,
    /// In a `{name}` segment of the path.
    Path,
    /// As a header.
    Header,
    /// As a member of the JSON body object, under its wire name.
    Body,
    /// As the whole JSON body: the value IS the body, its name is only the
    /// Rust name (AiContent `ModelRouterChatCompletions` sends
    /// `{"model":...,"messages":...}`, not `{"body":{...}}`).
    #[serde(rename = "whole-body")]
    WholeBody,
}

/// How a parameter value becomes text on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ParamStyle {
    /// Scalars as their decimal or literal text, booleans `true`/`false`.
    #[default]
    Plain,
    /// Objects and lists as one compact JSON string (Alibaba's "shrink"
    /// parameters such as ChatMessages `Inputs` and `Files`).
    JsonString,
}

/// Limits on a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Smallest allowed number.
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest allowed number.
    #[serde(default)]
    pub max: Option<f64>,
    /// Longest allowed string, in characters.
    #[serde(default)]
    pub max_length: Option<u32>,
}

/// A named type: an object with fields, or an open enum of strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// What the type represents.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the type is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Fields of an object type, in wire order. Exactly one of `fields`
    /// and `enum` must be given.
    #[serde(default)]
    pub fields: Option<Vec<Field>>,
    /// Values of an open string enum; values the spec does not list still
    /// decode (into an `Unknown` variant).
    #[serde(default, rename = "enum")]
    pub values: Option<Vec<EnumValue>>,
}

/// A field of an object type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name, exactly as sent (`DBInstanceId`, `HasMore`, `gmtCreate`).
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// Whether the field is always present. Optional fields may be absent.
    #[serde(default)]
    pub required: bool,
    /// Whether the field may be `null` on the wire.
    #[serde(default)]
    pub nullable: bool,
    /// Accept the value's string form too: a number as `"42"`, a boolean as
    /// `"true"`/`"True"`, a string as a bare number. For the real services'
    /// wobbling wire types.
    #[serde(default)]
    pub lenient: bool,
    /// Other wire names that decode into this field (e.g. `conversation_id`
    /// for `ConversationId` when a stream may use either casing).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Whether the field is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Corrected description.
    #[serde(default)]
    pub description: Option<String>,
    /// An example value.
    #[serde(default)]
    pub example: Option<serde_json::Value>,
}

/// One value of an open enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value exactly as on the wire.
    pub value: String,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the value is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// Server-sent events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Streaming {
    /// The type each event's `data` (a JSON object) decodes into.
    pub event: TypeExpr,
    /// Field of the event type that names the event (`Event`), when the
    /// event name travels in the data rather than the SSE `event:` line.
    #[serde(default)]
    pub event_name_field: Option<String>,
    /// Event names that end the stream with an error (`error`).
    #[serde(default)]
    pub error_events: Vec<String>,
    /// Event names that end the stream normally (`message_end`).
    #[serde(default)]
    pub terminal_events: Vec<String>,
    /// Event names that carry no data for the caller (`ping`).
    #[serde(default)]
    pub ignored_events: Vec<String>,
}

/// How to walk the pages of a list operation. Field paths are dotted wire
/// names from the response root (`Data`, `data.list`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "style", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Pagination {
    /// The next page starts after an item of this page: GetConversations
    /// (`LastId` = last item's `Id`), GetMessages (`FirstId` = first item's `Id`).
    Cursor {
        /// Path to the list of items in the response.
        items: String,
        /// Request parameter that carries the cursor.
        cursor_param: String,
        /// Which item of the page gives the cursor.
        cursor_from: CursorFrom,
        /// Field of that item that is the cursor.
        cursor_field: String,
        /// Path to the boolean that says whether another page exists.
        has_more: String,
    },
    /// Page number plus page size: altatech `page`, AiContent `pageIndex`.
    Page {
        /// Path to the list of items in the response.
        items: String,
        /// Request parameter with the 1-based page number.
        page_param: String,
        /// Request parameter with the page size.
        size_param: String,
        /// Path to the total number of items, when the service reports it;
        /// without it, a short page ends the walk.
        #[serde(default)]
        total: Option<String>,
    },
    /// An opaque token for the next page: AiContent `nextToken`.
    Token {
        /// Path to the list of items in the response.
        items: String,
        /// Request parameter that carries the token.
        token_param: String,
        /// Path to the next token in the response; empty or absent ends the walk.
        next_token: String,
    },
}

/// Which item of a page gives the cursor for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CursorFrom {
    /// The last item (lists that go forward).
    LastItem,
    /// The first item (lists that go backwards, newest first).
    FirstItem,
}

/// An example call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Short name, unique within the operation.
    pub name: String,
    /// Where it comes from: `doc` for a published sample kept verbatim.
    #[serde(default)]
    pub source: Option<String>,
    /// Request parameters by wire name.
    #[serde(default)]
    pub request: BTreeMap<String, serde_json::Value>,
    /// HTTP status of the response; 200 when left out.
    #[serde(default)]
    pub status: Option<u16>,
    /// The response body as JSON text, verbatim.
    #[serde(default)]
    pub response: Option<String>,
    /// The streamed events as SSE text, verbatim.
    #[serde(default)]
    pub events: Option<String>,
}

/// A source the spec was written from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// What it is: a document title, an SDK and version.
    pub source: String,
    /// Where to find it: a URL, or a path in the repository such as `docs/seeds/<page>.txt`.
    #[serde(default)]
    pub location: Option<String>,
    /// The date it carries (`2026-03-05`).
    #[serde(default)]
    pub date: Option<String>,
}

/// A deliberate difference from the published doc.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocFix {
    /// What was fixed, as a path into this spec (`params.Limit.description`,
    /// `http`, `types.Conversation.fields.CreatedAt.type`).
    pub target: String,
    /// What the doc says.
    pub doc: String,
    /// What the spec says instead.
    pub fixed: String,
    /// Why the spec is right.
    pub reason: String,
}
