//! Time values: Unix timestamps as they appear in the APIs ([`UnixSeconds`], [`UnixMillis`]) and
//! the UTC timestamp format of the `x-acs-date` header.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::encode::ParamValue;

/// A Unix timestamp in seconds. Serialises as a number; deserialises from a number or a
/// numeric string (services disagree with their own docs on which one they send).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixSeconds(pub i64);

/// A Unix timestamp in milliseconds. Serialises as a number; deserialises from a number or a
/// numeric string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixMillis(pub i64);

/// Distance of `t` from the epoch, with its sign (`SystemTime` may precede the epoch).
fn signed_offset(t: SystemTime) -> SignedOffset {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => SignedOffset { negative: false, d },
        Err(e) => SignedOffset {
            negative: true,
            d: e.duration(),
        },
    }
}

struct SignedOffset {
    negative: bool,
    d: Duration,
}

fn from_offset(negative: bool, d: Duration) -> SystemTime {
    if negative {
        UNIX_EPOCH - d
    } else {
        UNIX_EPOCH + d
    }
}

impl UnixSeconds {
    /// The current time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }
}

impl UnixMillis {
    /// The current time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }
}

impl From<SystemTime> for UnixSeconds {
    /// Whole seconds, rounded towards the past.
    fn from(t: SystemTime) -> Self {
        let o = signed_offset(t);
        let secs = i64::try_from(o.d.as_secs()).unwrap_or(i64::MAX);
        if o.negative {
            // -0.5 s is in second -1, not 0.
            let extra = i64::from(o.d.subsec_nanos() > 0);
            UnixSeconds(-secs - extra)
        } else {
            UnixSeconds(secs)
        }
    }
}

impl From<UnixSeconds> for SystemTime {
    fn from(s: UnixSeconds) -> Self {
        from_offset(s.0 < 0, Duration::from_secs(s.0.unsigned_abs()))
    }
}

impl From<SystemTime> for UnixMillis {
    /// Whole milliseconds, rounded towards the past.
    fn from(t: SystemTime) -> Self {
        let o = signed_offset(t);
        let ms = i64::try_from(o.d.as_millis()).unwrap_or(i64::MAX);
        if o.negative {
            let extra = i64::from(!o.d.subsec_nanos().is_multiple_of(1_000_000));
            UnixMillis(-ms - extra)
        } else {
            UnixMillis(ms)
        }
    }
}

impl From<UnixMillis> for SystemTime {
    fn from(m: UnixMillis) -> Self {
        from_offset(m.0 < 0, Duration::from_millis(m.0.unsigned_abs()))
    }
}

impl fmt::Display for UnixSeconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for UnixMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ParamValue for UnixSeconds {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.to_string())
    }
}

impl ParamValue for UnixMillis {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.to_string())
    }
}

impl Serialize for UnixSeconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl Serialize for UnixMillis {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

/// Accepts an integer, an integral float, or a string holding an integer.
struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Unix timestamp as a number or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("timestamp {v} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // 2^63 as f64; integral floats below it convert exactly.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if v.fract() == 0.0 && v.abs() < LIMIT {
            // In range and integral, so the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            Ok(v as i64)
        } else {
            Err(E::custom(format!("timestamp {v} is not a whole number")))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        let t = v.trim();
        if let Ok(n) = t.parse::<i64>() {
            return Ok(n);
        }
        match t.parse::<f64>() {
            Ok(f) if f.is_finite() => self.visit_f64(f),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl<'de> Deserialize<'de> for UnixSeconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimestampVisitor).map(UnixSeconds)
    }
}

impl<'de> Deserialize<'de> for UnixMillis {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimestampVisitor).map(UnixMillis)
    }
}

/// Formats a time as `YYYY-MM-DDTHH:MM:SSZ` (UTC), the format of `x-acs-date`.
pub fn acs_date(t: SystemTime) -> String {
    let secs = UnixSeconds::from(t).0;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (UTC), the format of `x-acs-date` and of the `Expiration` of
/// temporary credentials; `None` for anything else.
pub(crate) fn parse_acs_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| s.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    let secs = days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + sec;
    let secs = u64::try_from(secs).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Proleptic Gregorian (year, month, day) to days since 1970-01-01; the inverse of
/// [`civil_from_days`] (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's
/// `civil_from_days` algorithm, exact for the whole `i64` day range used here.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    // d is in 1..=31 and m in 1..=12 by construction.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acs_date_formats_utc() {
        let t = UNIX_EPOCH + Duration::from_secs(1_698_315_752); // 2023-10-26T10:22:32Z
        assert_eq!(acs_date(t), "2023-10-26T10:22:32Z");
        assert_eq!(acs_date(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(acs_date(leap), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn acs_dates_parse_back() {
        for secs in [0, 951_782_400, 1_698_315_752, 4_102_444_799] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(parse_acs_date(&acs_date(t)), Some(t));
        }
        for bad in [
            "",
            "2023-10-26 10:22:32Z",
            "2023-13-26T10:22:32Z",
            "2023-10-26T10:22:32",
            "1969-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_acs_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_decode_from_numbers_and_strings() {
        let a: UnixSeconds = serde_json::from_str("1700000000").unwrap();
        let b: UnixSeconds = serde_json::from_str("\"1700000000\"").unwrap();
        let c: UnixMillis = serde_json::from_str("1.7e12").unwrap();
        assert_eq!(a, b);
        assert_eq!(c, UnixMillis(1_700_000_000_000));
        assert!(serde_json::from_str::<UnixSeconds>("\"soon\"").is_err());
        assert!(serde_json::from_str::<UnixSeconds>("1.5").is_err());
        assert_eq!(serde_json::to_string(&a).unwrap(), "1700000000");
    }

    #[test]
    fn system_time_round_trip() {
        let t = UNIX_EPOCH + Duration::from_millis(1_691_942_400_123);
        assert_eq!(UnixMillis::from(t), UnixMillis(1_691_942_400_123));
        assert_eq!(SystemTime::from(UnixMillis(1_691_942_400_123)), t);
        assert_eq!(UnixSeconds::from(t), UnixSeconds(1_691_942_400));
        let before = UNIX_EPOCH - Duration::from_millis(500);
        assert_eq!(UnixSeconds::from(before), UnixSeconds(-1));
    }
}
