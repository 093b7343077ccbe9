//! [`UnknownValue`]: what a generated open enum keeps for a value its crate does not know.
//!
//! The catch-all variant holds this type instead of a bare `String` so that user code can read
//! the raw value but can not build one: code that built `Unknown("NEW_VALUE".into())` would
//! silently stop matching once a later crate version lists `NEW_VALUE` as its own variant (the
//! way smithy-rs keeps its `UnknownVariantValue` opaque). Build enum values with
//! `From<&str>`/`From<String>` instead, which pick the known variant when there is one.

use std::fmt;

/// A wire value of an open enum that this version of the generated crate does not list, kept
/// exactly as received.
///
/// Read it with [`as_str`](Self::as_str); it has no public constructor, so user code can not
/// make one:
///
/// ```compile_fail
/// let value = wiregen_runtime::UnknownValue("NEW_VALUE".to_owned());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// For generated code only (the enums' `From` conversions), not part of the API: call
    /// the enum's `From<&str>` instead, which keeps known values known.
    #[doc(hidden)]
    pub fn __from_generated(value: String) -> Self {
        UnknownValue(value)
    }

    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_raw_value() {
        let value = UnknownValue::__from_generated("NEW_VALUE".to_owned());
        assert_eq!(value.as_str(), "NEW_VALUE");
        assert_eq!(value.to_string(), "NEW_VALUE");
    }
}
