//! The spec's wire enums mapped onto the IR's own.
//!
//! The IR does not reuse the spec's types (an emitter or the diff must never
//! see the spec), so each spec enum has an IR twin, and this is the one place
//! that maps one onto the other. A new spec variant fails to compile here
//! until the IR learns it.

use crate::{ir, spec};

impl From<spec::Protocol> for ir::Protocol {
    fn from(protocol: spec::Protocol) -> Self {
        match protocol {
            spec::Protocol::AlibabaRpc => ir::Protocol::AlibabaRpc,
            spec::Protocol::AlibabaRoa => ir::Protocol::AlibabaRoa,
            spec::Protocol::RestJson => ir::Protocol::RestJson,
        }
    }
}

impl From<spec::ErrorShape> for ir::ErrorShape {
    fn from(shape: spec::ErrorShape) -> Self {
        match shape {
            spec::ErrorShape::Alibaba => ir::ErrorShape::Alibaba,
            spec::ErrorShape::SuccessEnvelope => ir::ErrorShape::SuccessEnvelope,
            spec::ErrorShape::CodeMessage => ir::ErrorShape::CodeMessage,
        }
    }
}

impl From<spec::HttpMethod> for ir::HttpMethod {
    fn from(method: spec::HttpMethod) -> Self {
        match method {
            spec::HttpMethod::Get => ir::HttpMethod::Get,
            spec::HttpMethod::Post => ir::HttpMethod::Post,
            spec::HttpMethod::Put => ir::HttpMethod::Put,
            spec::HttpMethod::Patch => ir::HttpMethod::Patch,
            spec::HttpMethod::Delete => ir::HttpMethod::Delete,
        }
    }
}

impl From<spec::ParamLocation> for ir::ParamLocation {
    fn from(location: spec::ParamLocation) -> Self {
        match location {
            spec::ParamLocation::Query => ir::ParamLocation::Query,
            spec::ParamLocation::Path => ir::ParamLocation::Path,
            spec::ParamLocation::Header => ir::ParamLocation::Header,
            spec::ParamLocation::Body => ir::ParamLocation::Body,
            spec::ParamLocation::WholeBody => ir::ParamLocation::WholeBody,
        }
    }
}

impl From<spec::ParamStyle> for ir::ParamStyle {
    fn from(style: spec::ParamStyle) -> Self {
        match style {
            spec::ParamStyle::Plain => ir::ParamStyle::Plain,
            spec::ParamStyle::JsonString => ir::ParamStyle::JsonString,
        }
    }
}

impl From<spec::CursorFrom> for ir::CursorFrom {
    fn from(from: spec::CursorFrom) -> Self {
        match from {
            spec::CursorFrom::LastItem => ir::CursorFrom::LastItem,
            spec::CursorFrom::FirstItem => ir::CursorFrom::FirstItem,
        }
    }
}
