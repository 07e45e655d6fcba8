//! Decimal numbers typed as text (durations such as "1.5 min", editor fields, CSV rows), read
//! by serde_json's number parser, the one that reads every number of a scenario file.
//!
//! `str::parse::<f64>` is exact for any input but brings the standard library's decimal tables
//! (about 11 KB of the gzipped wasm); serde_json's parser is already in every build and is
//! exact for up to 15 significant digits with exponents up to 22, which covers what people
//! type. Natively and in wasm both go through the same code, so the values agree everywhere.

/// Reads a decimal number: an optional sign, digits with an optional point (`.5` and `5.`
/// too) and an optional exponent. `None` for anything else, including `inf`, `NaN` and
/// numbers too large for an f64.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    // JSON's form: no leading zeros, digits on both sides of a point.
    let int = int.trim_start_matches('0');
    let mut json = String::with_capacity(text.len() + 3);
    if negative {
        json.push('-');
    }
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if let Some(e) = exponent {
        let e_digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e_digits.is_empty() || !digits(e_digits) {
            return None;
        }
        json.push('e');
        json.push_str(e);
    }
    #[allow(clippy::disallowed_methods)] // the helper itself: serde_json's number parser
    serde_json::from_str(&json).ok()
}

/// Reads a whole number of 0 or more: an optional `+` and ASCII digits, like
/// `str::parse::<u32>()` (or `u16`, `usize`). `None` for anything else or for a value too large
/// for `T`. The standard routine is not disallowed for its size but so that one rule holds
/// (`clippy.toml`: no `str::parse` in code that runs in the browser).
pub fn parse_uint<T: TryFrom<u64>>(text: &str) -> Option<T> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    T::try_from(v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_what_people_type() {
        for (text, want) in [
            ("1.5", 1.5),
            ("0.1", 0.1),
            (".5", 0.5),
            ("5.", 5.0),
            ("+2", 2.0),
            ("-0.25", -0.25),
            ("007", 7.0),
            ("1e3", 1000.0),
            ("2.5E-2", 0.025),
            ("1e-400", 0.0),
        ] {
            assert_eq!(parse_f64(text), Some(want), "{text}");
        }
        for text in
            ["", ".", "-", "1e", "1e+", "inf", "NaN", "1.2.3", " 1", "1 ", "0x10", "1_000", "1e400", "--1"]
        {
            assert_eq!(parse_f64(text), None, "{text:?}");
        }
    }

    proptest! {
        /// Up to 15 significant digits and a decimal exponent within ±22 (after the point is
        /// moved): the same value as the standard library's exact parse.
        #[test]
        fn exact_for_typed_numbers(int in 0u64..10_000_000, frac in "[0-9]{0,8}", exp in proptest::option::of(-14i32..=14), neg in any::<bool>()) {
            let mut text = format!("{}{int}", if neg { "-" } else { "" });
            if !frac.is_empty() {
                text.push('.');
                text.push_str(&frac);
            }
            if let Some(e) = exp {
                text.push_str(&format!("e{e}"));
            }
            prop_assert_eq!(parse_f64(&text), Some(text.parse::<f64>().unwrap()), "{}", text);
        }

        /// Never accepts what the standard library refuses.
        #[test]
        fn accepts_no_more_than_str_parse(text in "[-+0-9.eE]{0,12}") {
            if let Some(v) = parse_f64(&text) {
                let exact = text.parse::<f64>();
                prop_assert!(exact.is_ok(), "{:?}", text);
                let exact = exact.unwrap();
                prop_assert!((v - exact).abs() <= exact.abs() * 1e-15, "{:?}: {} vs {}", text, v, exact);
            }
        }
    }

    #[test]
    fn whole_numbers_read_like_the_standard_parser() {
        #[allow(clippy::disallowed_methods)]
        fn std_u32(t: &str) -> Option<u32> {
            t.parse().ok()
        }
        #[allow(clippy::disallowed_methods)]
        fn std_u16(t: &str) -> Option<u16> {
            t.parse().ok()
        }
        for t in [
            "0",
            "7",
            "+7",
            "007",
            "65535",
            "65536",
            "4294967295",
            "4294967296",
            "",
            "+",
            "-1",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "٣",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_uint::<u32>(t), std_u32(t), "u32 {t:?}");
            assert_eq!(parse_uint::<u16>(t), std_u16(t), "u16 {t:?}");
        }
    }
}
