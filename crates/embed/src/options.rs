//! The widget's attributes, checked: `view`, `chart`, `autoplay`, `speed`, `start`, `controls`,
//! `theme` and `height` as the page wrote them (a `view="sizing"` widget is the sizing module's,
//! crates/sizing/src/widget.rs, with its own `sweep` attribute), turned into [`Options`] or into one message per
//! bad attribute ("view=\"map\": expected one of topology, chart, timeline, full, compare"). Pure Rust,
//! tested natively.

/// What the widget shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Headline figures and the topology (functions, VPC, environment dots).
    Topology,
    /// One chart (`chart` attribute; concurrency by default).
    Chart,
    /// The narrative log with the timeline.
    Timeline,
    /// Topology, charts and narrative, like the app without its header and inspector.
    Full,
    /// The compare table of the scenario and its variants, each run to its end (the CLI's
    /// `lambdascape compare`).
    Compare,
}

/// Which playback controls the widget shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controls {
    None,
    /// Play/pause and the time.
    Minimal,
    /// The app's timeline: steps, scrub bar, speed.
    Full,
}

/// A widget's checked attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub view: View,
    /// A chart id (`concurrency`, `throttles`, `cold-starts`, `latency`, `cost`, ...); checked against the
    /// scenario's charts once it is loaded.
    pub chart: Option<String>,
    /// Plays when scrolled into view (false under prefers-reduced-motion).
    pub autoplay: bool,
    /// Simulated seconds per real second.
    pub speed: Option<f64>,
    /// Where the widget starts, in simulated microseconds.
    pub start_us: u64,
    pub controls: Controls,
    pub dark: bool,
    /// A CSS length for the widget's height.
    pub height: Option<String>,
    pub reduced_motion: bool,
}

/// Parses a duration: `90` (seconds), `90s`, `2m`, `1h`, `1m30s`, `500ms`, `mm:ss`, `hh:mm:ss`.
/// A decimal number, read by the engine's reader (smaller in wasm than `str::parse`), natively
/// and in wasm alike.
fn number(s: &str) -> Option<f64> {
    lambdascape_engine::size::number::parse_f64(s)
}

pub fn parse_duration_us(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains(':') {
        let mut total = 0u64;
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() > 3 {
            return None;
        }
        for p in parts {
            let v: u64 = lambdascape_engine::size::number::parse_uint(p)?;
            total = total * 60 + v;
        }
        return Some(total * 1_000_000);
    }
    if let Some(v) = number(s) {
        return (v.is_finite() && v >= 0.0).then(|| (v * 1e6).round() as u64);
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let v: f64 = number(&num)?;
        num.clear();
        let unit = match c {
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1e-3
            }
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return None,
        };
        total += v * unit;
        any = true;
    }
    (any && num.is_empty()).then(|| (total * 1e6).round() as u64)
}

fn one_of<T: Copy>(attr: &str, v: &str, options: &[(&str, T)]) -> Result<T, String> {
    options.iter().find(|(k, _)| *k == v.trim()).map(|(_, t)| *t).ok_or_else(|| {
        let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
        format!("{attr}=\"{v}\": expected one of {}", names.join(", "))
    })
}

/// Checks the attributes read by `get` (absent: `None`). `page_dark` is the page's colour
/// scheme (used by `theme="auto"`, the default); `reduced_motion` turns autoplay off.
pub fn parse(
    get: impl Fn(&str) -> Option<String>,
    page_dark: bool,
    reduced_motion: bool,
) -> Result<Options, String> {
    let mut errors = Vec::new();
    let view = match get("view") {
        Some(v) => one_of(
            "view",
            &v,
            &[
                ("topology", View::Topology),
                ("chart", View::Chart),
                ("timeline", View::Timeline),
                ("full", View::Full),
                ("compare", View::Compare),
            ],
        )
        .unwrap_or_else(|e| {
            // view="sizing" is drawn by the sizing module (www/embed.js), never by this one.
            errors.push(e + ", sizing");
            View::Topology
        }),
        None => View::Topology,
    };
    let controls = match get("controls") {
        Some(v) => one_of(
            "controls",
            &v,
            &[("none", Controls::None), ("minimal", Controls::Minimal), ("full", Controls::Full)],
        )
        .unwrap_or_else(|e| {
            errors.push(e);
            Controls::Minimal
        }),
        None if view == View::Compare => Controls::None,
        None if matches!(view, View::Full | View::Timeline) => Controls::Full,
        None => Controls::Minimal,
    };
    let dark = match get("theme").as_deref().map(str::trim) {
        None | Some("") | Some("auto") => page_dark,
        Some("light") => false,
        Some("dark") => true,
        Some(v) => {
            errors.push(format!("theme=\"{v}\": expected one of light, dark, auto"));
            page_dark
        }
    };
    let speed = get("speed").and_then(|v| {
        let n = number(v.trim().trim_end_matches(['x', '×']).trim());
        match n {
            Some(n) if (0.1..=1000.0).contains(&n) => Some(n),
            _ => {
                errors.push(format!("speed=\"{v}\": expected simulated seconds per real second, from 0.1 to 1000 (e.g. 10 or 10x)"));
                None
            }
        }
    });
    let start_us = match get("start") {
        Some(v) => parse_duration_us(&v).unwrap_or_else(|| {
            errors.push(format!("start=\"{v}\": expected a simulated time such as 90s, 2m, 1h or 01:30"));
            0
        }),
        None => 0,
    };
    let height = get("height").and_then(|v| {
        let t = v.trim();
        let num_end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
        let (num, unit) = t.split_at(num_end);
        match (number(num), unit) {
            (Some(n), "" | "px") if n >= 80.0 => Some(format!("{n}px")),
            (Some(n), "vh" | "em" | "rem") if n > 0.0 => Some(t.to_string()),
            _ => {
                errors.push(format!("height=\"{v}\": expected a height such as 420 (pixels, at least 80), 420px, 60vh or 30em"));
                None
            }
        }
    });
    let chart = get("chart").map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    let autoplay = get("autoplay").is_some_and(|v| v.trim() != "false") && !reduced_motion;
    if errors.is_empty() {
        Ok(Options { view, chart, autoplay, speed, start_us, controls, dark, height, reduced_motion })
    } else {
        Err(errors.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn attrs(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_us("90"), Some(90_000_000));
        assert_eq!(parse_duration_us("2m"), Some(120_000_000));
        assert_eq!(parse_duration_us("1m30s"), Some(90_000_000));
        assert_eq!(parse_duration_us("500ms"), Some(500_000));
        assert_eq!(parse_duration_us("01:30"), Some(90_000_000));
        assert_eq!(parse_duration_us("1:00:00"), Some(3_600_000_000));
        assert_eq!(parse_duration_us("soon"), None);
        assert_eq!(parse_duration_us("5"), Some(5_000_000));
        assert_eq!(parse_duration_us("5q"), None);
    }

    #[test]
    fn defaults_and_values() {
        let o = parse(attrs(&[]), true, false).unwrap();
        assert_eq!(
            (o.view, o.controls, o.dark, o.autoplay),
            (View::Topology, Controls::Minimal, true, false)
        );
        let o = parse(
            attrs(&[
                ("view", "full"),
                ("autoplay", ""),
                ("speed", "50x"),
                ("theme", "light"),
                ("height", "400"),
            ]),
            true,
            false,
        )
        .unwrap();
        assert_eq!(
            (o.view, o.controls, o.dark, o.autoplay, o.speed),
            (View::Full, Controls::Full, false, true, Some(50.0))
        );
        assert_eq!(o.height.as_deref(), Some("400px"));
    }

    #[test]
    fn reduced_motion_turns_autoplay_off() {
        assert!(!parse(attrs(&[("autoplay", "")]), false, true).unwrap().autoplay);
    }

    #[test]
    fn every_bad_attribute_is_named() {
        let e = parse(attrs(&[("view", "map"), ("speed", "fast"), ("height", "tall")]), false, false)
            .unwrap_err();
        assert!(
            e.contains("view=\"map\": expected one of topology, chart, timeline, full, compare, sizing"),
            "{e}"
        );
        assert!(e.contains("speed=\"fast\""), "{e}");
        assert!(e.contains("height=\"tall\""), "{e}");
    }
}
