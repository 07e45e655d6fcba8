//! Number and time formatting for the UI (tabular, always with units).

use lambdascape_engine::sim::narrative::fmt_count;
use lambdascape_engine::time::{Clock, Micros};

/// `00:03:12`.
pub fn clock(t: Micros) -> String {
    Clock(t).to_string()
}

/// `1,234`.
pub fn count(n: u64) -> String {
    fmt_count(n)
}

/// A float count rounded, with separators.
pub fn countf(v: f64) -> String {
    if v.is_finite() && v >= 0.0 {
        fmt_count(v.round() as u64)
    } else {
        "–".into()
    }
}

/// `$0.0123`, `$12.35`.
pub fn usd(v: f64) -> String {
    if v < 1.0 {
        format!("${v:.4}")
    } else {
        format!("${v:.2}")
    }
}

/// Speed factor: `0.1×`, `3×`, `250×`.
pub fn speed(s: f64) -> String {
    if s < 1.0 {
        format!("{s:.1}×")
    } else if s < 10.0 {
        let r = (s * 10.0).round() / 10.0;
        if r.fract() == 0.0 {
            format!("{r:.0}×")
        } else {
            format!("{r:.1}×")
        }
    } else {
        format!("{:.0}×", s.round())
    }
}

/// A span as `3 min 12 s`.
pub fn span(us: Micros) -> String {
    let s = us / 1_000_000;
    if s >= 3600 {
        format!("{} h {} min", s / 3600, (s / 60) % 60)
    } else if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{:.1} s", us as f64 / 1e6)
    }
}

/// A chart value for the hover readout: dollars to 4 places, counts rounded, small values to
/// one decimal.
pub fn chart_value(v: f64, unit: &str) -> String {
    if unit == "USD" {
        format!("${v:.4}")
    } else if v >= 100.0 || v == 0.0 {
        countf(v)
    } else {
        format!("{v:.1}")
    }
}
