//! The intermediate representation: a validated spec with every decision
//! already taken.
//!
//! The emitter turns it into Rust without deciding anything, `diff` compares
//! two of them, and snapshot tests show it. Wire names and Rust names are
//! distinct types, so a wire name is never re-cased on the fly: the emitter
//! always writes the wire name verbatim into `#[serde(rename = "...")]` or
//! the query key, and the Rust name where Rust wants an identifier.
//!
//! Every list is in a stable order (services, operations and types by name;
//! parameters, fields and enum values in spec order), so the same specs give
//! the same IR whatever order the files were read in.

use std::collections::BTreeMap;

use serde::Serialize;

/// The wire protocol of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// A way a service reports failure on the wire (recognised in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorShape {
    /// Alibaba gateway body on HTTP 4xx/5xx (JSON, or XML `<Error>`).
    Alibaba,
    /// A success envelope that can report failure on HTTP 200.
    SuccessEnvelope,
    /// `{code, message}` (integer code) on any HTTP status.
    CodeMessage,
}

/// An operation's HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum ParamLocation {
    Query,
    Path,
    Header,
    Body,
    /// The value is the whole JSON body.
    #[serde(rename = "whole-body")]
    WholeBody,
}

/// How a parameter value becomes text on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamStyle {
    /// Scalars as their text, booleans `true`/`false`.
    Plain,
    /// Objects and lists as one compact JSON string.
    JsonString,
}

/// Which item of a page gives the cursor for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CursorFrom {
    /// The last item (lists that go forward).
    LastItem,
    /// The first item (lists that go backwards, newest first).
    FirstItem,
}

/// A name exactly as it travels on the wire (`DBInstanceId`, `pageSize`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct WireName(pub String);

/// A Rust identifier, already cased and keyword-escaped (`r#type`,
/// `db_instance_id`, `GetConversationsResponse`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RustName(pub String);

/// Everything under `spec/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// Services, by name.
    pub services: Vec<Service>,
}

/// One service, compiled into one crate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    /// Directory name under `spec/` and `generated/` (`rdsai`).
    pub name: String,
    /// Human title.
    pub title: String,
    /// Crate-level description.
    pub description: Option<String>,
    /// Cargo package name (`rdsai`).
    pub crate_name: String,
    /// The Rust name of the crate as used in `use` paths (`rdsai`).
    pub crate_ident: RustName,
    /// Crate version.
    pub crate_version: String,
    /// Wire protocol.
    pub protocol: Protocol,
    /// API version sent with every call.
    pub api_version: Option<String>,
    /// Endpoint resolution data.
    pub endpoints: Endpoints,
    /// Authentication.
    pub auth: Auth,
    /// Error body shapes, in the order they are tried.
    pub error_shapes: Vec<ErrorShape>,
    /// Codes every operation may return.
    pub errors: Vec<ErrorCode>,
    /// Operations, by wire name.
    pub operations: Vec<Operation>,
    /// Every named type of the service (shared and per-operation), by Rust name.
    pub types: Vec<TypeDecl>,
    /// Spec files this service was compiled from, relative to `spec/`, sorted.
    pub sources: Vec<String>,
    /// Hex SHA-256 over each source file's path, a NUL byte and its text,
    /// in `sources` order, so a generated crate says exactly which specs it
    /// came from.
    pub spec_hash: String,
}

/// Endpoint resolution: caller's explicit endpoint, then `regions`, then
/// `region_template`, then `default`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Endpoints {
    /// Endpoint without a region.
    pub default: String,
    /// Per-region endpoints.
    pub regions: BTreeMap<String, String>,
    /// Template with `{region}`.
    pub region_template: Option<String>,
}

/// Authentication scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Auth {
    /// ACS3-HMAC-SHA256 with access keys (and optional STS token).
    Acs3HmacSha256,
    /// `Authorization: Bearer <key>`, key from `env` by default.
    Bearer {
        /// Environment variable holding the key.
        env: String,
    },
}

/// A known error code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorCode {
    /// The code as on the wire.
    pub code: WireName,
    /// Variant name in the generated error-code enum.
    pub variant: RustName,
    /// HTTP status it comes with.
    pub status: Option<u16>,
    /// Message the service sends.
    pub message: Option<String>,
    /// Meaning.
    pub description: Option<String>,
    /// Whether a later retry may succeed.
    pub retryable: bool,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// Name as the service knows it (`x-acs-action`).
    pub name: WireName,
    /// Client method (`get_conversations`).
    pub method: RustName,
    /// Request builder type (`GetConversationsRequest`).
    pub builder: RustName,
    /// The builder's own fields, named clear of its parameters' fields.
    pub builder_fields: BuilderFields,
    /// Error-code enum (`GetConversationsErrorCode`).
    pub error_enum: RustName,
    /// One line.
    pub summary: String,
    /// Longer text.
    pub description: Option<String>,
    /// Previous name.
    pub renamed_from: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Method and path; for RPC always `POST /`.
    pub http: Http,
    /// Safe to retry.
    pub idempotent: bool,
    /// Parameters in spec order.
    pub params: Vec<Param>,
    /// Response body type (`string` for `text` and `bytes` bodies).
    pub response: TypeRef,
    /// How the response body is read: JSON decoded into `response`, or text or bytes as they
    /// come. Left out of the IR's serialised form when JSON, the common case.
    #[serde(skip_serializing_if = "ResponseBody::is_json")]
    pub response_body: ResponseBody,
    /// Server-sent events.
    pub streaming: Option<Streaming>,
    /// Page walking.
    pub pagination: Option<Pagination>,
    /// Codes this operation may return: the operation's own, then the
    /// service's that the operation does not redeclare.
    pub errors: Vec<ErrorCode>,
    /// Examples.
    pub examples: Vec<Example>,
    /// Spec file, relative to `spec/`.
    pub source: String,
    /// Upstream's category (the metadata's `directories`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Where the docs' text comes from; `None` for a curated spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_text: Option<TextSource>,
}

/// The language of an imported operation's text (`imported.text` in the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// English: the official SDK's comments and the English metadata.
    English,
    /// Chinese as published in the metadata (not translated).
    Chinese,
    /// English where there is any, elsewhere Chinese as published.
    Mixed,
}

/// The fields every request builder has besides its parameters: `client` and `options`,
/// each with a trailing `_` when a parameter took the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuilderFields {
    /// The runtime client.
    pub client: RustName,
    /// The per-call options.
    pub options: RustName,
}

/// How a response body is read (`response: text` / `response: bytes` in the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseBody {
    /// JSON, decoded into the response type.
    Json,
    /// UTF-8 text, returned as a `String` (the SDKs' `string`/`any` body types).
    Text,
    /// Raw bytes, returned as a `Vec<u8>` (binary downloads).
    Bytes,
}

impl ResponseBody {
    /// Whether the body is JSON.
    pub fn is_json(&self) -> bool {
        *self == ResponseBody::Json
    }

    /// The spec keyword of a non-JSON body (`text`, `bytes`), `None` for JSON.
    pub fn keyword(self) -> Option<&'static str> {
        match self {
            ResponseBody::Json => None,
            ResponseBody::Text => Some("text"),
            ResponseBody::Bytes => Some("bytes"),
        }
    }
}

/// HTTP method and path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Http {
    /// Method.
    pub method: HttpMethod,
    /// Path template as written (`/`, `/api/v1/modelRouter/open/conversations`).
    pub path: String,
    /// Path split into literal and parameter segments.
    pub segments: Vec<PathSegment>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathSegment {
    /// Literal text, sent as is.
    Literal(String),
    /// `{name}`: the path parameter with this wire name.
    Param(WireName),
}

/// One request parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Wire name.
    pub wire: WireName,
    /// Builder field, and argument name when required.
    pub rust: RustName,
    /// The builder method that sets an optional parameter (`rust`, or `set_<rust>` where that
    /// is a builder method of its own); `None` for a required one, an argument instead.
    pub setter: Option<RustName>,
    /// Where it travels.
    pub location: ParamLocation,
    /// How it becomes text.
    pub style: ParamStyle,
    /// Type.
    pub ty: TypeRef,
    /// Must the caller give it (then it is an argument of the client method).
    pub required: bool,
    /// Deprecated.
    pub deprecated: bool,
    /// Corrected description.
    pub description: Option<String>,
    /// Limits.
    pub constraints: Option<Constraints>,
}

/// Limits on a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constraints {
    /// Smallest number.
    pub min: Option<f64>,
    /// Largest number.
    pub max: Option<f64>,
    /// Longest string.
    pub max_length: Option<u32>,
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum TypeRef {
    /// UTF-8 text.
    String,
    /// true / false.
    Bool,
    /// 32-bit signed integer.
    Int32,
    /// 64-bit signed integer.
    Int64,
    /// 64-bit float.
    Float64,
    /// Unix time in seconds.
    TimestampSeconds,
    /// Unix time in milliseconds.
    TimestampMillis,
    /// Free-form JSON.
    Json,
    /// A list.
    List(Box<TypeRef>),
    /// A map with string keys.
    Map(Box<TypeRef>),
    /// A named type of the same service, by its Rust name.
    Named(RustName),
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDecl {
    /// Name as written in the spec.
    pub spec_name: String,
    /// Rust type name.
    pub rust: RustName,
    /// Description.
    pub description: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Object or enum.
    pub kind: TypeKind,
    /// How the type is used, so the emitter derives only what is needed.
    pub usage: Usage,
    /// Operations that use it, directly or through other types, sorted.
    pub used_by: Vec<WireName>,
    /// Spec file that declares it, relative to `spec/`.
    pub source: String,
    /// An earlier type of exactly the same shape (fields, values, flags, docs): this one is
    /// an alias of it, so the shape is compiled once.
    pub same_as: Option<RustName>,
    /// The directions the emitted code must serve: `usage`, plus that of every type that is
    /// an alias of this one (`usage` stays the type's own, for docs and `diff`).
    pub code_usage: Usage,
}

impl TypeDecl {
    /// Whether the emitted code decodes: it serves a response or event (for itself or an
    /// alias of it), or is used nowhere yet (a caller may still receive it).
    pub fn decodes(&self) -> bool {
        self.code_usage.output || !self.code_usage.input
    }
}

/// Directions a type travels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Usage {
    /// Sent in a request (needs `Serialize`).
    pub input: bool,
    /// Received in a response or event (needs `Deserialize`).
    pub output: bool,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    /// A struct.
    Object {
        /// Fields in wire order.
        fields: Vec<Field>,
    },
    /// An open string enum.
    Enum {
        /// Known values in spec order.
        values: Vec<EnumValue>,
    },
}

/// A field of an object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Wire name.
    pub wire: WireName,
    /// Rust field name.
    pub rust: RustName,
    /// The `with_*` builder method an input model sets it with (`with_limit`).
    pub setter: RustName,
    /// Type.
    pub ty: TypeRef,
    /// Always present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// Accept the string form of numbers and booleans (and numbers for strings).
    pub lenient: bool,
    /// Other wire names accepted when decoding.
    pub aliases: Vec<WireName>,
    /// Deprecated.
    pub deprecated: bool,
    /// Description.
    pub description: Option<String>,
}

impl Field {
    /// Whether the Rust field is an `Option` (else the bare type); see [`Field::optional_for`].
    pub fn optional(&self) -> bool {
        Field::optional_for(self.required, self.nullable)
    }

    /// Whether a member with these flags is an `Option` in Rust: unless it is always present
    /// and never null. The one place this is decided; models, pagination paths (which lower
    /// before the fields do), the example checker and `diff` read it.
    pub fn optional_for(required: bool, nullable: bool) -> bool {
        !required || nullable
    }

    /// Whether decoding is lenient: asked for, and of a type the runtime's lenient readers
    /// cover (numbers, booleans, text; timestamps accept strings on their own).
    pub fn decodes_leniently(&self) -> bool {
        self.lenient
            && matches!(
                self.ty,
                TypeRef::String
                    | TypeRef::Bool
                    | TypeRef::Int32
                    | TypeRef::Int64
                    | TypeRef::Float64
            )
    }
}

/// A known value of an open enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumValue {
    /// Wire value.
    pub wire: WireName,
    /// Variant name.
    pub rust: RustName,
    /// Meaning.
    pub description: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
}

/// One step of a path into the response: a field of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldStep {
    /// Wire name of the field.
    pub wire: WireName,
    /// Rust name of the field.
    pub rust: RustName,
    /// Whether the field is an `Option` in Rust.
    pub optional: bool,
    /// The field's type (emitters read it here instead of looking the type up again).
    pub ty: TypeRef,
}

/// A request parameter a page walk reads or writes, resolved against the operation's
/// parameters once, so the emitter looks nothing up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PagingParam {
    /// Wire name.
    pub wire: WireName,
    /// The builder field that holds it.
    pub field: RustName,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the builder holds it as an `Option` (an optional parameter).
    pub optional: bool,
}

/// Resolved pagination: every path is checked against the response type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "style", rename_all = "kebab-case")]
pub enum Pagination {
    /// Cursor from an item, plus a has-more flag.
    Cursor {
        /// Path to the item list.
        items: Vec<FieldStep>,
        /// Item type.
        item: TypeRef,
        /// Parameter that takes the cursor.
        cursor_param: PagingParam,
        /// First or last item.
        cursor_from: CursorFrom,
        /// Field of the item that is the cursor.
        cursor_field: FieldStep,
        /// Path to the has-more flag.
        has_more: Vec<FieldStep>,
    },
    /// Page number and size.
    Page {
        /// Path to the item list.
        items: Vec<FieldStep>,
        /// Item type.
        item: TypeRef,
        /// Page-number parameter.
        page_param: PagingParam,
        /// Page-size parameter.
        size_param: PagingParam,
        /// The page number a request without one asks for.
        first_page: i64,
        /// The page size assumed for a request without one: the service then picks a size the
        /// walk does not know, and 1 makes only an empty page (or the total) end the walk.
        size_when_unset: i64,
        /// Path to the total count.
        total: Option<Vec<FieldStep>>,
    },
    /// Next token.
    Token {
        /// Path to the item list.
        items: Vec<FieldStep>,
        /// Item type.
        item: TypeRef,
        /// Parameter that takes the token.
        token_param: PagingParam,
        /// Path to the next token.
        next_token: Vec<FieldStep>,
    },
}

/// Resolved streaming.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Streaming {
    /// Type of each event's data.
    pub event: TypeRef,
    /// Field naming the event inside the data.
    pub event_name_field: Option<FieldStep>,
    /// Event names that are errors.
    pub error_events: Vec<String>,
    /// Event names that end the stream.
    pub terminal_events: Vec<String>,
    /// Event names dropped before the caller sees them.
    pub ignored_events: Vec<String>,
}

/// An example call, kept for tests and docs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// Name.
    pub name: String,
    /// Source (`doc`).
    pub source: Option<String>,
    /// Request parameters by wire name.
    pub request: BTreeMap<String, serde_json::Value>,
    /// HTTP status.
    pub status: u16,
    /// Response body text.
    pub response: Option<String>,
    /// SSE text.
    pub events: Option<String>,
}
