//! The rule catalogue: every kind of change `cargo xtask diff` reports, with
//! its stable id and what it means for the two kinds of callers.
//!
//! Each finding carries two verdicts:
//!
//! - **wire**: does the change break existing callers of the HTTP API
//!   (programs written against the old spec, whatever their language)?
//! - **rust**: does it break code written against the previously generated
//!   crate (it no longer compiles, or silently means something else)?
//!
//! The Rust verdicts rest on guarantees of the generator, named here so each
//! verdict can cite the one it relies on:
//!
//! - *non-exhaustive models*: every generated struct is `#[non_exhaustive]`
//!   and built through `new()` plus `with_*` setters (required fields are
//!   arguments of `new()`), so adding an optional field or setter breaks no
//!   caller (no struct literals, no exhaustive patterns outside the crate),
//!   while a new required field changes `new()`.
//! - *open enums*: every generated enum (value enums and per-operation
//!   error-code enums) is `#[non_exhaustive]` with an `Unknown` fallback, so
//!   a new variant breaks no `match`; a value enum's fallback holds the
//!   runtime's opaque `UnknownValue`, so no caller builds a value that a new
//!   variant would silently stop matching.
//! - *required arguments*: a required parameter is an argument of the
//!   client method; an optional one is a setter on the request builder.
//! - *option fields*: a field is `Option<T>` in Rust exactly when it is
//!   optional or nullable in the spec, and `T` otherwise.
//! - *tolerant decoding*: responses never reject unknown fields.
//! - *derived names*: Rust names are a pure function of wire names, so a
//!   Rust name changes only with its wire name (a removal plus an addition),
//!   and a wire rename that keeps the Rust name is `wire-name-changed`.
//! - *hidden transport*: protocol, parameter location and encoding style,
//!   endpoints and HTTP method/path live in metadata and the runtime; no
//!   generated signature mentions them.
//!
//! Verdicts marked "unless ..." or "when ..." are decided per finding; the
//! rest are fixed. `Category` says where the finding goes in a Keep a
//! Changelog section.
//!
//! The table (kept equal to [`rule_table`] by a test, and copied in the README):
//!
//! | rule | changelog | wire | rust | what |
//! |---|---|---|---|---|
//! | `service-added` | Added | compatible | compatible | a new service (a new crate) |
//! | `service-removed` | Removed | breaking | breaking | a service and its crate are gone |
//! | `crate-renamed` | Changed | compatible | breaking | the generated crate's package name changed |
//! | `protocol-changed` | Changed | breaking | compatible | the wire protocol changed |
//! | `api-version-changed` | Changed | breaking | compatible | the API version sent with every call changed |
//! | `auth-changed` | Changed | breaking when the scheme changes | breaking | the authentication scheme (or its key variable) changed |
//! | `endpoint-added` | Added | compatible | compatible | a regional endpoint or the region template was added |
//! | `endpoint-removed` | Removed | breaking | compatible | a regional endpoint or the region template was removed |
//! | `endpoint-changed` | Changed | breaking | compatible | the default endpoint, a regional endpoint or the region template moved |
//! | `error-shapes-changed` | Changed | breaking | compatible | the error body shapes changed |
//! | `operation-added` | Added | compatible | compatible | a new operation |
//! | `operation-removed` | Removed | breaking | breaking | an operation is gone |
//! | `operation-renamed` | Changed | breaking for Alibaba protocols (the name is the action) | breaking when the method name changes | an operation was renamed (declared with `renamed_from`) |
//! | `operation-rename-suggested` | (note) | compatible | compatible | a removed and an added operation look alike: declare `renamed_from` if it is a rename |
//! | `operation-http-changed` | Changed | breaking | compatible | the HTTP method or path changed |
//! | `operation-idempotency-changed` | Changed | compatible | compatible | the operation became (non-)idempotent, so default retries change |
//! | `response-type-changed` | Changed | breaking unless the new type reads the same on the wire | breaking | the response body type changed |
//! | `deprecated` | Deprecated | compatible | compatible | an operation, parameter, type, field or enum value was deprecated |
//! | `deprecation-removed` | Changed | compatible | compatible | a deprecation was withdrawn |
//! | `description-changed` | Fixed | compatible | compatible | a summary or description changed (documentation only) |
//! | `wire-name-changed` | Changed | breaking | compatible | a wire name changed while the generated Rust name stayed |
//! | `request-param-added-required` | Added | breaking | breaking | a new required request parameter |
//! | `request-param-added-optional` | Added | compatible | compatible | a new optional request parameter |
//! | `request-param-removed` | Removed | breaking | breaking | a request parameter is gone |
//! | `request-param-retyped` | Changed | breaking unless widened | breaking | a request parameter's type changed |
//! | `request-param-became-required` | Changed | breaking | breaking | an optional request parameter became required |
//! | `request-param-became-optional` | Changed | compatible | breaking | a required request parameter became optional |
//! | `request-param-location-changed` | Changed | breaking | compatible | a parameter moved (query, path, header, body) |
//! | `request-param-style-changed` | Changed | breaking | compatible | a parameter's text encoding changed (plain, JSON string) |
//! | `request-param-constraints-changed` | Changed | breaking when narrowed | compatible | a parameter's limits changed |
//! | `request-field-added-required` | Added | breaking | breaking | a new required field in a type sent in requests |
//! | `request-field-added-optional` | Added | compatible | compatible | a new optional field in a type sent in requests |
//! | `request-field-removed` | Removed | breaking | breaking | a field of a type sent in requests is gone |
//! | `request-field-retyped` | Changed | breaking unless widened | breaking | a field of a type sent in requests changed type |
//! | `request-field-became-required` | Changed | breaking | breaking | a request field became required |
//! | `request-field-became-optional` | Changed | compatible | breaking when `T` / `Option<T>` flips | a request field became optional |
//! | `request-field-became-nullable` | Changed | compatible | breaking when `T` / `Option<T>` flips | a request field may now be null |
//! | `request-field-became-non-nullable` | Changed | breaking | breaking when `T` / `Option<T>` flips | a request field may no longer be null |
//! | `response-field-added` | Added | compatible | compatible | a new field in a type received in responses |
//! | `response-field-removed` | Removed | breaking | breaking | a field of a type received in responses is gone |
//! | `response-field-retyped` | Changed | breaking unless narrowed | breaking | a field of a type received in responses changed type |
//! | `response-field-became-optional` | Changed | breaking | breaking when `T` / `Option<T>` flips | a response field may now be absent |
//! | `response-field-became-required` | Changed | compatible | breaking when `T` / `Option<T>` flips | a response field is now always present |
//! | `response-field-became-nullable` | Changed | breaking | breaking when `T` / `Option<T>` flips | a response field may now be null |
//! | `response-field-became-non-nullable` | Changed | compatible | breaking when `T` / `Option<T>` flips | a response field is no longer null |
//! | `field-decoding-changed` | Changed | compatible | breaking when leniency or an alias is dropped | lenient decoding or accepted aliases of a field changed |
//! | `enum-value-added` | Added | compatible | compatible | a new enum value |
//! | `request-enum-value-removed` | Removed | breaking | breaking | a value of an enum sent in requests is gone |
//! | `response-enum-value-removed` | Removed | compatible | breaking | a value of an enum received in responses is gone |
//! | `type-kind-changed` | Changed | breaking | breaking | a type changed between object and enum |
//! | `error-code-added` | Added | compatible | compatible | a new known error code |
//! | `error-code-removed` | Removed | compatible | breaking | a known error code is gone |
//! | `error-status-changed` | Changed | breaking | compatible | the HTTP status of an error code changed |
//! | `error-retryability-changed` | Changed | compatible | compatible | whether an error code is retryable changed |
//! | `pagination-added` | Added | compatible | compatible | the operation can now be walked page by page |
//! | `pagination-removed` | Removed | compatible | breaking | page walking is gone |
//! | `pagination-changed` | Changed | compatible | breaking when the item type changes | page walking works differently |
//! | `streaming-added` | Added | compatible | compatible | the operation can now stream server-sent events |
//! | `streaming-removed` | Removed | breaking | breaking | event streaming is gone |
//! | `streaming-changed` | Changed | breaking when the event type changes | breaking when the event type changes | event streaming works differently |
//!
//! Widening and narrowing: `int32` < `int64` < `float64`, `int32` <
//! timestamps, an enum < `string`, anything < `json`, element-wise through
//! `list<>` and `map<>`.
//! A request may widen (old callers' values still fit), a response may narrow
//! (old callers still read what comes). `int64` and a timestamp, or two named
//! types with the same fields, read the same on the wire: only Rust breaks.

use serde::Serialize;

/// Where a finding goes in a Keep a Changelog section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// `### Added`.
    Added,
    /// `### Changed`.
    Changed,
    /// `### Deprecated`.
    Deprecated,
    /// `### Removed`.
    Removed,
    /// `### Fixed`.
    Fixed,
    /// A hint for the reviewer; not a change of its own, left out of changelogs.
    Note,
}

impl Category {
    /// The changelog heading (`Added`), or the column text for notes.
    pub fn title(self) -> &'static str {
        match self {
            Category::Added => "Added",
            Category::Changed => "Changed",
            Category::Deprecated => "Deprecated",
            Category::Removed => "Removed",
            Category::Fixed => "Fixed",
            Category::Note => "(note)",
        }
    }
}

/// What the catalogue says about a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id (`operation-removed`): never reworded, it is part of the
    /// JSON output and of every finding's fingerprint.
    pub id: &'static str,
    /// Changelog section.
    pub category: Category,
    /// The wire verdict, as documented.
    pub wire: &'static str,
    /// The Rust verdict, as documented.
    pub rust: &'static str,
    /// What the rule reports.
    pub what: &'static str,
}

/// Declares the `Rule` enum and its catalogue from one list, so the two can
/// not drift apart.
macro_rules! rules {
    ($($variant:ident => $id:literal, $category:ident, $wire:literal, $rust:literal, $what:literal;)*) => {
        /// A kind of change; see the module documentation for the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[allow(missing_docs)] // documented by the table, one row per variant
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The catalogue entry.
            pub fn info(self) -> RuleInfo {
                match self {
                    $(Rule::$variant => RuleInfo {
                        id: $id,
                        category: Category::$category,
                        wire: $wire,
                        rust: $rust,
                        what: $what,
                    },)*
                }
            }
        }
    };
}

rules! {
    ServiceAdded => "service-added", Added, "compatible", "compatible", "a new service (a new crate)";
    ServiceRemoved => "service-removed", Removed, "breaking", "breaking", "a service and its crate are gone";
    CrateRenamed => "crate-renamed", Changed, "compatible", "breaking", "the generated crate's package name changed";
    ProtocolChanged => "protocol-changed", Changed, "breaking", "compatible", "the wire protocol changed";
    ApiVersionChanged => "api-version-changed", Changed, "breaking", "compatible", "the API version sent with every call changed";
    AuthChanged => "auth-changed", Changed, "breaking when the scheme changes", "breaking", "the authentication scheme (or its key variable) changed";
    EndpointAdded => "endpoint-added", Added, "compatible", "compatible", "a regional endpoint or the region template was added";
    EndpointRemoved => "endpoint-removed", Removed, "breaking", "compatible", "a regional endpoint or the region template was removed";
    EndpointChanged => "endpoint-changed", Changed, "breaking", "compatible", "the default endpoint, a regional endpoint or the region template moved";
    ErrorShapesChanged => "error-shapes-changed", Changed, "breaking", "compatible", "the error body shapes changed";
    OperationAdded => "operation-added", Added, "compatible", "compatible", "a new operation";
    OperationRemoved => "operation-removed", Removed, "breaking", "breaking", "an operation is gone";
    OperationRenamed => "operation-renamed", Changed, "breaking for Alibaba protocols (the name is the action)", "breaking when the method name changes", "an operation was renamed (declared with `renamed_from`)";
    OperationRenameSuggested => "operation-rename-suggested", Note, "compatible", "compatible", "a removed and an added operation look alike: declare `renamed_from` if it is a rename";
    OperationHttpChanged => "operation-http-changed", Changed, "breaking", "compatible", "the HTTP method or path changed";
    OperationIdempotencyChanged => "operation-idempotency-changed", Changed, "compatible", "compatible", "the operation became (non-)idempotent, so default retries change";
    ResponseTypeChanged => "response-type-changed", Changed, "breaking unless the new type reads the same on the wire", "breaking", "the response body type changed";
    Deprecated => "deprecated", Deprecated, "compatible", "compatible", "an operation, parameter, type, field or enum value was deprecated";
    DeprecationRemoved => "deprecation-removed", Changed, "compatible", "compatible", "a deprecation was withdrawn";
    DescriptionChanged => "description-changed", Fixed, "compatible", "compatible", "a summary or description changed (documentation only)";
    WireNameChanged => "wire-name-changed", Changed, "breaking", "compatible", "a wire name changed while the generated Rust name stayed";
    RequestParamAddedRequired => "request-param-added-required", Added, "breaking", "breaking", "a new required request parameter";
    RequestParamAddedOptional => "request-param-added-optional", Added, "compatible", "compatible", "a new optional request parameter";
    RequestParamRemoved => "request-param-removed", Removed, "breaking", "breaking", "a request parameter is gone";
    RequestParamRetyped => "request-param-retyped", Changed, "breaking unless widened", "breaking", "a request parameter's type changed";
    RequestParamBecameRequired => "request-param-became-required", Changed, "breaking", "breaking", "an optional request parameter became required";
    RequestParamBecameOptional => "request-param-became-optional", Changed, "compatible", "breaking", "a required request parameter became optional";
    RequestParamLocationChanged => "request-param-location-changed", Changed, "breaking", "compatible", "a parameter moved (query, path, header, body)";
    RequestParamStyleChanged => "request-param-style-changed", Changed, "breaking", "compatible", "a parameter's text encoding changed (plain, JSON string)";
    RequestParamConstraintsChanged => "request-param-constraints-changed", Changed, "breaking when narrowed", "compatible", "a parameter's limits changed";
    RequestFieldAddedRequired => "request-field-added-required", Added, "breaking", "breaking", "a new required field in a type sent in requests";
    RequestFieldAddedOptional => "request-field-added-optional", Added, "compatible", "compatible", "a new optional field in a type sent in requests";
    RequestFieldRemoved => "request-field-removed", Removed, "breaking", "breaking", "a field of a type sent in requests is gone";
    RequestFieldRetyped => "request-field-retyped", Changed, "breaking unless widened", "breaking", "a field of a type sent in requests changed type";
    RequestFieldBecameRequired => "request-field-became-required", Changed, "breaking", "breaking", "a request field became required";
    RequestFieldBecameOptional => "request-field-became-optional", Changed, "compatible", "breaking when `T` / `Option<T>` flips", "a request field became optional";
    RequestFieldBecameNullable => "request-field-became-nullable", Changed, "compatible", "breaking when `T` / `Option<T>` flips", "a request field may now be null";
    RequestFieldBecameNonNullable => "request-field-became-non-nullable", Changed, "breaking", "breaking when `T` / `Option<T>` flips", "a request field may no longer be null";
    ResponseFieldAdded => "response-field-added", Added, "compatible", "compatible", "a new field in a type received in responses";
    ResponseFieldRemoved => "response-field-removed", Removed, "breaking", "breaking", "a field of a type received in responses is gone";
    ResponseFieldRetyped => "response-field-retyped", Changed, "breaking unless narrowed", "breaking", "a field of a type received in responses changed type";
    ResponseFieldBecameOptional => "response-field-became-optional", Changed, "breaking", "breaking when `T` / `Option<T>` flips", "a response field may now be absent";
    ResponseFieldBecameRequired => "response-field-became-required", Changed, "compatible", "breaking when `T` / `Option<T>` flips", "a response field is now always present";
    ResponseFieldBecameNullable => "response-field-became-nullable", Changed, "breaking", "breaking when `T` / `Option<T>` flips", "a response field may now be null";
    ResponseFieldBecameNonNullable => "response-field-became-non-nullable", Changed, "compatible", "breaking when `T` / `Option<T>` flips", "a response field is no longer null";
    FieldDecodingChanged => "field-decoding-changed", Changed, "compatible", "breaking when leniency or an alias is dropped", "lenient decoding or accepted aliases of a field changed";
    EnumValueAdded => "enum-value-added", Added, "compatible", "compatible", "a new enum value";
    RequestEnumValueRemoved => "request-enum-value-removed", Removed, "breaking", "breaking", "a value of an enum sent in requests is gone";
    ResponseEnumValueRemoved => "response-enum-value-removed", Removed, "compatible", "breaking", "a value of an enum received in responses is gone";
    TypeKindChanged => "type-kind-changed", Changed, "breaking", "breaking", "a type changed between object and enum";
    ErrorCodeAdded => "error-code-added", Added, "compatible", "compatible", "a new known error code";
    ErrorCodeRemoved => "error-code-removed", Removed, "compatible", "breaking", "a known error code is gone";
    ErrorStatusChanged => "error-status-changed", Changed, "breaking", "compatible", "the HTTP status of an error code changed";
    ErrorRetryabilityChanged => "error-retryability-changed", Changed, "compatible", "compatible", "whether an error code is retryable changed";
    PaginationAdded => "pagination-added", Added, "compatible", "compatible", "the operation can now be walked page by page";
    PaginationRemoved => "pagination-removed", Removed, "compatible", "breaking", "page walking is gone";
    PaginationChanged => "pagination-changed", Changed, "compatible", "breaking when the item type changes", "page walking works differently";
    StreamingAdded => "streaming-added", Added, "compatible", "compatible", "the operation can now stream server-sent events";
    StreamingRemoved => "streaming-removed", Removed, "breaking", "breaking", "event streaming is gone";
    StreamingChanged => "streaming-changed", Changed, "breaking when the event type changes", "breaking when the event type changes", "event streaming works differently";
}

impl Rule {
    /// The stable id (`operation-removed`).
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The changelog section.
    pub fn category(self) -> Category {
        self.info().category
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }
}

/// The catalogue as a Markdown table, the form the module documentation and
/// the README show.
pub fn rule_table() -> String {
    let mut out =
        String::from("| rule | changelog | wire | rust | what |\n|---|---|---|---|---|\n");
    for rule in Rule::ALL {
        let info = rule.info();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            info.id,
            info.category.title(),
            info.wire,
            info.rust,
            info.what
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        for id in &ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            assert_eq!(Rule::from_id(id).map(Rule::id), Some(*id));
        }
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "duplicate rule ids");
    }

    #[test]
    fn module_docs_show_the_catalogue() {
        let source = include_str!("rules.rs");
        let docs: String = source
            .lines()
            .filter_map(|line| line.strip_prefix("//! ").or(line.strip_prefix("//!")))
            .map(|line| format!("{line}\n"))
            .collect();
        assert!(
            docs.contains(&rule_table()),
            "the table in the rules.rs docs is stale:\n{}",
            rule_table()
        );
    }
}
