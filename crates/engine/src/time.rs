//! Simulated time: integer microseconds in engine state, human durations ("90s", "15m", "2h")
//! in scenario files and on the command line.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in simulated time, in microseconds since the scenario started.
pub type Micros = u64;

pub const MICROS_PER_MS: u64 = 1_000;
pub const MICROS_PER_SEC: u64 = 1_000_000;

/// Seconds (float) to microseconds, saturating, never negative.
pub fn secs_to_micros(s: f64) -> Micros {
    if !(s > 0.0) {
        0
    } else if s >= (u64::MAX / MICROS_PER_SEC) as f64 {
        u64::MAX / 2
    } else {
        round_to_u64(s * MICROS_PER_SEC as f64)
    }
}

/// `x.round() as u64` (half away from zero, saturating, NaN and negatives to 0), without the
/// call to libm's `round` that the baseline x86-64 target makes (it is on the hot path of every
/// arrival and duration draw). The truncation and the subtraction are exact, so the result is
/// the same for every `f64`.
#[inline]
pub fn round_to_u64(x: f64) -> u64 {
    // Below 2^63 the signed conversions are single instructions (the unsigned ones are not).
    if (0.0..9_223_372_036_854_775_808.0).contains(&x) {
        let i = x as i64;
        (if x - i as f64 >= 0.5 { i + 1 } else { i }) as u64
    } else {
        x.round() as u64
    }
}

/// `x.max(0.0)` as a comparison: the same value for every `x` but -0.0 (0.0 here), and no
/// call in WebAssembly, where `f64::max` is a call to libm's `fmax` (wasm's own `f64.max`
/// differs on NaN), on the path of every arrival.
#[inline]
pub fn at_least_zero(x: f64) -> f64 {
    if x > 0.0 {
        x
    } else {
        0.0
    }
}

/// `x.min(cap)` for a `cap` that is not NaN, as a comparison (see [`at_least_zero`]).
#[inline]
pub fn at_most(x: f64, cap: f64) -> f64 {
    if x < cap {
        x
    } else {
        cap
    }
}

/// Milliseconds (float) to microseconds, saturating, never negative.
pub fn ms_to_micros(ms: f64) -> Micros {
    secs_to_micros(ms / 1000.0)
}

pub fn micros_to_secs(t: Micros) -> f64 {
    t as f64 / MICROS_PER_SEC as f64
}

/// A duration written as text with a unit (`"250ms"`, `"90s"`, `"15m"`, `"2h"`, `"1d"`,
/// `"100000s"`), or as a bare number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum DurationSpec {
    /// Seconds.
    Seconds(f64),
    /// Text with a unit: ms, s, m, h or d (e.g. "90s", "15m", "2h").
    Text(#[schemars(with = "String")] DurationText),
}

/// Parsed text duration, kept as microseconds; serialises back to text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationText(pub Micros);

impl Serialize for DurationText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_duration(&text).map(DurationText).map_err(serde::de::Error::custom)
    }
}

/// Reads a number of seconds or a text duration directly (serde's untagged derive would buffer
/// the value and try each form in turn: more code, and a vaguer message).
pub(crate) struct DurationVisitor;

impl<'de> serde::de::Visitor<'de> for DurationVisitor {
    type Value = DurationSpec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a duration: a number of seconds, or text with a unit such as \"250ms\", \"90s\" or \"15m\"",
        )
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DurationSpec, E> {
        Ok(DurationSpec::Seconds(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DurationSpec, E> {
        Ok(DurationSpec::Seconds(v as f64))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DurationSpec, E> {
        Ok(DurationSpec::Seconds(v as f64))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DurationSpec, E> {
        parse_duration(v).map(|us| DurationSpec::Text(DurationText(us))).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for DurationSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurationVisitor)
    }
}

impl DurationSpec {
    pub fn micros(&self) -> Micros {
        match *self {
            DurationSpec::Seconds(s) => secs_to_micros(s),
            DurationSpec::Text(DurationText(us)) => us,
        }
    }
    /// Whether the number form is finite and not negative (text forms always are).
    pub fn is_valid(&self) -> bool {
        match *self {
            DurationSpec::Seconds(s) => s.is_finite() && s >= 0.0,
            DurationSpec::Text(_) => true,
        }
    }
    pub fn from_micros(us: Micros) -> Self {
        DurationSpec::Text(DurationText(us))
    }
}

impl From<&str> for DurationSpec {
    /// For literals in code and tests; panics on a malformed literal.
    fn from(s: &str) -> Self {
        DurationSpec::Text(DurationText(parse_duration(s).expect("valid duration literal")))
    }
}

/// Parses `"250ms"`, `"1.5s"`, `"15m"`, `"2h"`, `"1d"` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Micros, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration: write a number with a unit, like 90s, 15m or 2h".into());
    }
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = crate::size::number::parse_f64(num).ok_or_else(|| {
        format!("'{text}' is not a duration: write a number with a unit, like 90s, 15m or 2h")
    })?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 0.001,
        "us" | "µs" => 0.000_001,
        "m" | "min" | "mins" => 60.0,
        "h" | "hr" | "hrs" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        other => return Err(format!("'{text}' has an unknown unit '{other}': use ms, s, m, h or d")),
    };
    let secs = value * scale;
    if !secs.is_finite() || secs > 1.0e9 {
        return Err(format!("'{text}' is too long: at most 1,000,000,000 s"));
    }
    Ok(secs_to_micros(secs))
}

/// Shortest exact text for a duration: `90s`, `15m`, `2h`, `250ms`.
pub fn format_duration(us: Micros) -> String {
    if us == 0 {
        return "0s".into();
    }
    if us % (3600 * MICROS_PER_SEC) == 0 {
        format!("{}h", us / (3600 * MICROS_PER_SEC))
    } else if us % (60 * MICROS_PER_SEC) == 0 {
        format!("{}m", us / (60 * MICROS_PER_SEC))
    } else if us % MICROS_PER_SEC == 0 {
        format!("{}s", us / MICROS_PER_SEC)
    } else if us % MICROS_PER_MS == 0 {
        format!("{}ms", us / MICROS_PER_MS)
    } else {
        format!("{}s", us as f64 / MICROS_PER_SEC as f64)
    }
}

/// Clock form of simulated time: `mm:ss` below an hour, `hh:mm:ss` from there.
pub struct Clock(pub Micros);

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.0 / MICROS_PER_SEC;
        let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
        write!(f, "{h:02}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_to_u64_is_round(bits in any::<u64>(), small in 0.0f64..1e7, half in 0u64..1_000_000) {
            for x in [f64::from_bits(bits), small, half as f64 + 0.5, half as f64 - 0.5, (half as f64).next_up()] {
                prop_assert_eq!(round_to_u64(x), x.round() as u64, "{}", x);
            }
        }

        /// The comparisons are `max` and `min` to the bit, NaN included, but for -0.0.
        #[test]
        fn at_least_zero_and_at_most_are_max_and_min(bits in any::<u64>(), cap in any::<f64>().prop_filter("not NaN", |c| !c.is_nan())) {
            let x = f64::from_bits(bits);
            if x != 0.0 {
                prop_assert_eq!(at_least_zero(x).to_bits(), x.max(0.0).to_bits(), "{}", x);
            }
            prop_assert_eq!(at_least_zero(x).to_bits() == 0.0f64.to_bits(), !(x > 0.0));
            if x != cap {
                prop_assert_eq!(at_most(x, cap).to_bits(), x.min(cap).to_bits(), "{} {}", x, cap);
            }
        }
    }

    #[test]
    fn round_to_u64_edges() {
        for x in [
            0.0,
            -0.0,
            0.5,
            0.49999999999999994,
            1.5,
            2.5,
            -0.5,
            -2.5,
            4503599627370495.5,
            9007199254740993.0,
            1.8446744073709552e19,
            1e30,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(round_to_u64(x), x.round() as u64, "{x}");
        }
    }

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration("90s"), Ok(90 * MICROS_PER_SEC));
        assert_eq!(parse_duration("15m"), Ok(900 * MICROS_PER_SEC));
        assert_eq!(parse_duration("2h"), Ok(7200 * MICROS_PER_SEC));
        assert_eq!(parse_duration("100000s"), Ok(100_000 * MICROS_PER_SEC));
        assert_eq!(parse_duration("250ms"), Ok(250 * MICROS_PER_MS));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000));
        assert_eq!(parse_duration("42"), Ok(42 * MICROS_PER_SEC));
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        assert!(parse_duration("").is_err());
        assert!(parse_duration("abc").unwrap_err().contains("not a duration"));
        assert!(parse_duration("5 weeks").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("1e300s").is_err());
    }

    #[test]
    fn formats_round_trip() {
        for text in ["90s", "15m", "2h", "250ms", "0s"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
        assert_eq!(Clock(70 * MICROS_PER_SEC).to_string(), "00:01:10");
    }
}
