//! Turning parameter values into query strings: the [`ParamValue`] conversion, the wire
//! (form-style) encoding and the RFC 3986 encoding used by the ACS3 canonical query.
//!
//! The two escape sets differ only in how a space is written, and no crate gives both exactly:
//! `form_urlencoded` keeps `*` and escapes `~` (Python's `quote_plus` does the opposite), and
//! `percent-encoding` cannot write a space as `+`. So both live here as one small table-driven
//! encoder, tested against the observed SDK output (docs/wire.md section 1.2).

use std::borrow::Cow;

/// A value that can be sent as a query, path or header parameter.
///
/// Generated open enums implement this by returning their wire string.
pub trait ParamValue {
    /// The parameter's text before any percent-encoding.
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for Cow<'_, str> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

/// `true` / `false` (the Java and Go SDKs' spelling; the Python SDK's `True` is accepted too).
impl ParamValue for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
display_param!(i8, i16, i32, i64, u8, u16, u32, u64);

/// Floats as the official (Python) SDK writes them, `str(float)`: the shortest text that reads
/// back as the same value, always with a fraction or an exponent (`1.0`, `12.5`, `1e-05`,
/// `1e+16`), so a whole float is not sent as an integer (`LimitRate=1.0`, not `1`).
impl ParamValue for f64 {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(python_float(*self, format!("{self:e}")))
    }
}

/// As for `f64`, from the `f32`'s own shortest digits (`0.1f32` is `0.1`, not `0.10000000149011612`).
impl ParamValue for f32 {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(python_float(f64::from(*self), format!("{self:e}")))
    }
}

/// Python's `repr` of a float from Rust's shortest scientific form (`1.25e-5`): positional
/// notation for decimal exponents -4 to 15 (with at least one fractional digit), otherwise
/// `d.ddde+XX` with a signed exponent of at least two digits; `inf`, `-inf` and `nan` as Python.
fn python_float(value: f64, scientific: String) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    if !(-4..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs());
    }
    // `digits` is d1 d2 ... with the decimal point after d1, moved by `exponent`.
    let point = exponent + 1;
    let (int_part, frac_part) = if point <= 0 {
        let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
        ("0".to_owned(), format!("{zeros}{digits}"))
    } else {
        let point = usize::try_from(point).unwrap_or(0);
        if digits.len() <= point {
            (format!("{digits:0<point$}"), "0".to_owned())
        } else {
            (digits[..point].to_owned(), digits[point..].to_owned())
        }
    };
    format!("{sign}{int_part}.{frac_part}")
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

/// Bytes left as they are by both encodings: `A-Z a-z 0-9 - _ . ~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn encode_into(s: &str, space_as_plus: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(s.len());
    for &b in s.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else if b == b' ' && space_as_plus {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0F)]));
        }
    }
}

/// Wire (form-style) encoding of one key or value, as Python's `quote_plus` does:
/// unreserved bytes kept, space as `+`, every other UTF-8 byte as upper-case `%XX`.
pub fn form_encode(s: &str, out: &mut String) {
    encode_into(s, true, out);
}

/// RFC 3986 encoding of one key or value (space as `%20`, `*` as `%2A`, `~` kept), used by the
/// canonical query string and for path parameters.
pub fn rfc3986_encode(s: &str, out: &mut String) {
    encode_into(s, false, out);
}

/// The query string as sent on the wire: pairs in the given order, form-encoded, joined by `&`.
pub fn wire_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut out = String::with_capacity(params.len() * 24);
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        form_encode(k.as_ref(), &mut out);
        out.push('=');
        form_encode(v.as_ref(), &mut out);
    }
    out
}

/// The ACS3 canonical query string: keys sorted by code point (byte order of the UTF-8 text),
/// keys and values RFC 3986-encoded, `key=value` joined by `&`; an empty value gives `key=`.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    // UTF-8 byte order equals code point order; the value breaks ties so the result is stable.
    sorted.sort_unstable();
    let mut out = String::with_capacity(params.len() * 24);
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        rfc3986_encode(k, &mut out);
        out.push('=');
        rfc3986_encode(v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_encoding_matches_the_python_sdk_observation() {
        // docs/wire.md section 1.2: the value as sent by the official SDK (urllib quote_plus).
        let value = "实例 rm-bp1 磁盘使用率? a+b=c&d*e~f/g:h 'q' (x)!";
        let expected = "%E5%AE%9E%E4%BE%8B+rm-bp1+%E7%A3%81%E7%9B%98%E4%BD%BF%E7%94%A8%E7%8E%87%3F+a%2Bb%3Dc%26d%2Ae~f%2Fg%3Ah+%27q%27+%28x%29%21";
        assert_eq!(wire_query(&[("Query", value)]), format!("Query={expected}"));
    }

    #[test]
    fn canonical_encoding_uses_percent_20_and_sorts_keys() {
        let q = canonical_query(&[("b", "x y*~"), ("A", ""), ("a", "é+/")]);
        assert_eq!(q, "A=&a=%C3%A9%2B%2F&b=x%20y%2A~");
    }

    #[test]
    fn wire_query_keeps_insertion_order_and_empty_values() {
        assert_eq!(wire_query(&[("Z", "1"), ("A", "")]), "Z=1&A=");
        assert_eq!(wire_query::<&str, &str>(&[]), "");
    }

    #[test]
    fn param_values() {
        assert_eq!(true.to_param(), "true");
        assert_eq!(false.to_param(), "false");
        assert_eq!((-42i64).to_param(), "-42");
        assert_eq!("x".to_param(), "x");
        assert_eq!(String::from("y").to_param(), "y");
    }

    #[test]
    fn floats_render_as_the_python_sdk_sends_them() {
        // Observed: the official SDK's CreateApiKey `LimitRate` for these values (str(float)).
        for (value, sent) in [
            (1.0, "1.0"),
            (12.5, "12.5"),
            (1e16, "1e+16"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
        ] {
            assert_eq!(value.to_param(), sent, "{value}");
        }
        // Python's repr rules on either side of the switch to exponents, and odd values.
        for (value, python) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (-2.5, "-2.5"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (123456789.125, "123456789.125"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (1.5e16, "1.5e+16"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (0.000123, "0.000123"),
            (-1.25e-7, "-1.25e-07"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(value.to_param(), python, "{value:e}");
        }
        assert_eq!(0.1f32.to_param(), "0.1");
        assert_eq!(3.0f32.to_param(), "3.0");
    }
}
