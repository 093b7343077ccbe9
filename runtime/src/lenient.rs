//! Readers for response fields whose wire type wobbles: a number sent as a string, a boolean
//! sent as `"true"`/`"True"`/`1`, an id sent as a number. Generated models reach them through
//! [`decode::Object::lenient`](crate::decode::Object::lenient) (`has_more:
//! object.lenient("HasMore")?`); as serde helpers they also serve hand-written types:
//!
//! ```text
//! #[serde(default, deserialize_with = "wiregen_runtime::lenient::option")]
//! has_more: Option<bool>,
//! ```
//!
//! `option` maps `null` (and, for non-string types, `""`) to `None`; `required` rejects both.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A scalar as it arrived on the wire.
#[derive(Debug, Clone, Copy)]
pub enum Scalar<'a> {
    /// A JSON boolean.
    Bool(bool),
    /// A JSON integer that fits `i64`.
    Int(i64),
    /// A JSON integer above `i64::MAX`.
    UInt(u64),
    /// A JSON number with a fraction or exponent.
    Float(f64),
    /// A JSON string.
    Str(&'a str),
}

/// A type that can be read leniently from any [`Scalar`].
pub trait Lenient: Sized {
    /// What the type expects, for error messages.
    const EXPECTING: &'static str;
    /// Converts the scalar, or explains why not.
    fn from_scalar(s: Scalar<'_>) -> Result<Self, String>;
    /// Whether `""` means "absent" (true for everything but strings).
    fn empty_is_none() -> bool {
        true
    }
}

fn int_from(s: Scalar<'_>) -> Result<i64, String> {
    match s {
        Scalar::Int(i) => Ok(i),
        Scalar::UInt(u) => i64::try_from(u).map_err(|_| format!("{u} is out of range")),
        Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => {
            // Integral and in range, so the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            Ok(f as i64)
        }
        Scalar::Float(f) => Err(format!("{f} is not a whole number")),
        Scalar::Str(t) => {
            let t = t.trim();
            t.parse::<i64>()
                .ok()
                .or_else(|| {
                    t.parse::<f64>()
                        .ok()
                        .and_then(|f| int_from(Scalar::Float(f)).ok())
                })
                .ok_or_else(|| format!("`{t}` is not an integer"))
        }
        Scalar::Bool(b) => Err(format!("{b} is not an integer")),
    }
}

impl Lenient for i64 {
    const EXPECTING: &'static str = "an integer or a numeric string";
    fn from_scalar(s: Scalar<'_>) -> Result<Self, String> {
        int_from(s)
    }
}

impl Lenient for i32 {
    const EXPECTING: &'static str = "an integer or a numeric string";
    fn from_scalar(s: Scalar<'_>) -> Result<Self, String> {
        let i = int_from(s)?;
        i32::try_from(i).map_err(|_| format!("{i} is out of range"))
    }
}

impl Lenient for u64 {
    const EXPECTING: &'static str = "a non-negative integer or a numeric string";
    fn from_scalar(s: Scalar<'_>) -> Result<Self, String> {
        match s {
            Scalar::UInt(u) => Ok(u),
            Scalar::Str(t) if t.trim().parse::<u64>().is_ok() => {
                t.trim().parse::<u64>().map_err(|e| e.to_string())
            }
            other => {
                let i = int_from(other)?;
                u64::try_from(i).map_err(|_| format!("{i} is negative"))
            }
        }
    }
}

impl Lenient for f64 {
    const EXPECTING: &'static str = "a number or a numeric string";
    fn from_scalar(s: Scalar<'_>) -> Result<Self, String> {
        match s {
            Scalar::Float(f) => Ok(f),
            // Integers beyond 2^53 lose precision as floats; that is what a float field means.
            #[allow(clippy::cast_precision_loss)]
            Scalar::Int(i) => Ok(i as f64),
            #[allow(clippy::cast_precision_loss)]
            Scalar::UInt(u) => Ok(u as f64),
            Scalar::Str(t) => t
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("`{t}` is not a number")),
            Scalar::Bool(b) => Err(format!("{b} is not a number")),
        }
    }
}

impl Lenient for bool {
    const EXPECTING: &'static str = "a boolean, \"true\"/\"false\" or 1/0";
    fn from_scalar(s: Scalar<'_>) -> Result<Self, String> {
        match s {
            Scalar::Bool(b) => Ok(b),
            Scalar::Int(1) | Scalar::UInt(1) => Ok(true),
            Scalar::Int(0) | Scalar::UInt(0) => Ok(false),
            Scalar::Str(t) => match t.trim() {
                t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(true),
                t if t.eq_ignore_ascii_case("false") || t == "0" => Ok(false),
                t => Err(format!("`{t}` is not a boolean")),
            },
            other => Err(format!("{other:?} is not a boolean")),
        }
    }
}

impl Lenient for String {
    const EXPECTING: &'static str = "a string, number or boolean";
    fn from_scalar(s: Scalar<'_>) -> Result<Self, String> {
        Ok(match s {
            Scalar::Str(t) => t.to_owned(),
            Scalar::Int(i) => i.to_string(),
            Scalar::UInt(u) => u.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        })
    }
    fn empty_is_none() -> bool {
        false
    }
}

/// Visits one scalar; `OPTIONAL` decides what `null`/`""` mean.
struct LenientVisitor<T, const OPTIONAL: bool>(PhantomData<T>);

impl<T: Lenient, const OPTIONAL: bool> LenientVisitor<T, OPTIONAL> {
    fn convert<E: de::Error>(s: Scalar<'_>) -> Result<Option<T>, E> {
        if OPTIONAL && T::empty_is_none() && matches!(s, Scalar::Str(t) if t.trim().is_empty()) {
            return Ok(None);
        }
        T::from_scalar(s).map(Some).map_err(E::custom)
    }
}

impl<'de, T: Lenient, const OPTIONAL: bool> Visitor<'de> for LenientVisitor<T, OPTIONAL> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::convert(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::convert(Scalar::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match i64::try_from(v) {
            Ok(i) => Self::convert(Scalar::Int(i)),
            Err(_) => Self::convert(Scalar::UInt(v)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::convert(Scalar::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Self::convert(Scalar::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if OPTIONAL {
            Ok(None)
        } else {
            Err(E::invalid_type(de::Unexpected::Unit, &self))
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// `deserialize_with` for `Option<T>` fields (combine with `#[serde(default)]`).
pub fn option<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(LenientVisitor::<T, true>(PhantomData))
}

/// `deserialize_with` for required `T` fields.
pub fn required<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(LenientVisitor::<T, false>(PhantomData))?
        .ok_or_else(|| de::Error::custom(format!("expected {}", T::EXPECTING)))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct M {
        #[serde(default, deserialize_with = "super::option")]
        has_more: Option<bool>,
        #[serde(default, deserialize_with = "super::option")]
        limit: Option<i32>,
        #[serde(default, deserialize_with = "super::option")]
        id: Option<String>,
        #[serde(deserialize_with = "super::required")]
        total: i64,
        #[serde(default, deserialize_with = "super::option")]
        score: Option<f64>,
    }

    fn m(json: &str) -> Result<M, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn wobbly_values_decode_to_what_they_mean() {
        let a =
            m(r#"{"has_more":"True","limit":"10","id":123,"total":"5","score":"1.5"}"#).unwrap();
        assert_eq!(
            a,
            M {
                has_more: Some(true),
                limit: Some(10),
                id: Some("123".into()),
                total: 5,
                score: Some(1.5)
            }
        );
        let b = m(r#"{"has_more":0,"limit":null,"id":"","total":5.0}"#).unwrap();
        assert_eq!(
            b,
            M {
                has_more: Some(false),
                limit: None,
                id: Some(String::new()),
                total: 5,
                score: None
            }
        );
        let c = m(r#"{"total":1,"limit":""}"#).unwrap();
        assert_eq!(c.limit, None);
    }

    #[test]
    fn nonsense_is_still_an_error() {
        assert!(m(r#"{"total":"many"}"#).is_err());
        assert!(m(r#"{"total":null}"#).is_err());
        assert!(m(r#"{"total":1,"has_more":"maybe"}"#).is_err());
        assert!(m(r#"{"total":1,"limit":3000000000}"#).is_err());
        assert!(m(r#"{"total":1,"id":{"a":1}}"#).is_err());
    }
}
