//! The sizing panel as a docs widget (`<lambdascape-widget view="sizing" sweep="…">`, loaded by
//! www/embed.js only when such a widget is on the page): its attributes checked here, each bad
//! one named with what was expected, the way the other widgets' are (crates/embed/src/options.rs).
//!
//! `sweep` takes either of the two forms the rest of Lambdascape writes a sweep in:
//! - the CLI's flags, as typed after `lambdascape sweep <scenario>`:
//!   `--vary provisioned=0..100:10 --seeds 3 --target-p99 200` (also `--function`,
//!   `--max-throttles`, a second `--vary`, and `--flag=value`);
//! - the JSON a [`Sweep`] is saved as (`lambdascape_engine::sweep`, what the app keeps):
//!   `{"function":"api","axes":["provisioned=0..100:10"],"seeds":3,"target":{"p99_ms":200}}`.

use lambdascape_engine::size::number::{parse_f64, parse_uint};
use lambdascape_engine::size::reader;
use lambdascape_engine::sweep::{Axis, Sweep, Target, DEFAULT_SEEDS, MAX_SEEDS};

/// A sizing widget's checked attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetOptions {
    pub sweep: Sweep,
    pub dark: bool,
    /// A CSS length for the widget's height (none: as tall as its content).
    pub height: Option<String>,
}

/// An attribute value as the error quotes it: cut short when long.
fn quoted(v: &str) -> String {
    let v = v.trim();
    match v.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &v[..i]),
        None => v.to_string(),
    }
}

const FORMS: &str = "write the CLI's flags, e.g. sweep=\"--vary provisioned=0..100:10 --seeds 3 --target-p99 200\", \
    or the sweep's JSON, e.g. sweep='{\"axes\":[\"provisioned=0..100:10\"],\"seeds\":3,\"target\":{\"p99_ms\":200}}'";

/// Reads the `sweep` attribute (either form); the error says what is wrong and where.
pub fn parse_sweep(text: &str) -> Result<Sweep, String> {
    let t = text.trim();
    let at = |why: String| format!("sweep=\"{}\": {why}", quoted(t));
    let sweep = if t.is_empty() {
        return Err(format!("sweep: a sizing widget needs a sweep: {FORMS}"));
    } else if t.starts_with('{') {
        reader::from_str::<Sweep>(t).map_err(|e| at(format!("the JSON cannot be read: {e}")))?
    } else if t.starts_with("--") {
        flags(t).map_err(at)?
    } else {
        return Err(at(FORMS.into()));
    };
    if sweep.axes.is_empty() || sweep.axes.len() > 2 {
        return Err(at(format!("a sweep varies one or two settings, not {}", sweep.axes.len())));
    }
    if sweep.seeds == 0 || sweep.seeds > MAX_SEEDS {
        return Err(at(format!("seeds: {} is not between 1 and {MAX_SEEDS}", sweep.seeds)));
    }
    Ok(sweep)
}

/// The CLI's flags of `lambdascape sweep` (the scenario itself is the widget's `scenario`).
fn flags(text: &str) -> Result<Sweep, String> {
    let mut words = text.split_whitespace();
    let mut s = Sweep { function: None, axes: vec![], seeds: DEFAULT_SEEDS, target: Target::default() };
    while let Some(w) = words.next() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (w, None),
        };
        let known = ["--vary", "--function", "--seeds", "--target-p99", "--max-throttles"];
        if !known.contains(&flag) {
            return Err(format!("'{w}' is not one of the flags a widget takes: {}", known.join(", ")));
        }
        let value = inline
            .or_else(|| words.next().map(str::to_string))
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let limit = |what: &str| match parse_f64(&value) {
            Some(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(format!("{what} '{value}' is not a number of at least 0")),
        };
        match flag {
            "--vary" => s.axes.push(Axis::parse(&value).map_err(|e| format!("--vary {e}"))?),
            "--function" => s.function = Some(value),
            "--seeds" => {
                s.seeds = parse_uint::<u32>(&value)
                    .ok_or_else(|| format!("--seeds '{value}' is not a whole number from 1 to {MAX_SEEDS}"))?
            }
            "--target-p99" => s.target.p99_ms = Some(limit("--target-p99")?),
            _ => s.target.max_throttles = Some(limit("--max-throttles")?),
        }
    }
    Ok(s)
}

/// Checks the attributes read by `get` (absent: `None`): `sweep`, `theme` and `height`, the
/// others being the page's (`scenario`) or of no use to a sweep. Every bad one is named.
pub fn parse(get: impl Fn(&str) -> Option<String>, page_dark: bool) -> Result<WidgetOptions, String> {
    let mut errors = Vec::new();
    let sweep = parse_sweep(&get("sweep").unwrap_or_default()).map_err(|e| errors.push(e)).ok();
    let dark = match get("theme").as_deref().map(str::trim) {
        None | Some("") | Some("auto") => page_dark,
        Some("light") => false,
        Some("dark") => true,
        Some(v) => {
            errors.push(format!("theme=\"{v}\": expected one of light, dark, auto"));
            page_dark
        }
    };
    let height = get("height").and_then(|v| {
        let t = v.trim();
        let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
        let (num, unit) = t.split_at(end);
        match (parse_f64(num), unit) {
            (Some(n), "" | "px") if n >= 80.0 => Some(format!("{n}px")),
            (Some(n), "vh" | "em" | "rem") if n > 0.0 => Some(t.to_string()),
            _ => {
                errors.push(format!(
                    "height=\"{v}\": expected a height such as 420 (pixels, at least 80), 420px, 60vh or 30em"
                ));
                None
            }
        }
    });
    match sweep {
        Some(sweep) if errors.is_empty() => Ok(WidgetOptions { sweep, dark, height }),
        _ => Err(errors.join("\n")),
    }
}

/// The sweep in one line, for the widget's heading: `provisioned=0,10,…,100 · 3 seeds · target
/// p99 ≤ 200 ms`.
pub fn describe(s: &Sweep) -> String {
    let mut parts: Vec<String> = s
        .axes
        .iter()
        .map(|a| {
            let v: Vec<String> = a.values.iter().map(|l| l.to_string()).collect();
            match v.len() {
                0..=6 => format!("{}={}", a.param.name(), v.join(",")),
                n => format!("{}={},{},…,{} ({n} values)", a.param.name(), v[0], v[1], v[n - 1]),
            }
        })
        .collect();
    parts.push(format!("{} seed{}", s.seeds, if s.seeds == 1 { "" } else { "s" }));
    let mut target = vec![];
    if let Some(p) = s.target.p99_ms {
        target.push(format!("p99 ≤ {p} ms"));
    }
    if let Some(t) = s.target.max_throttles {
        target.push(format!("throttles ≤ {t}"));
    }
    if !target.is_empty() {
        parts.push(format!("target {}", target.join(", ")));
    }
    parts.join(" · ")
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
    fn both_forms_make_the_same_sweep_as_the_cli() {
        let json = parse_sweep(
            r#"{"function":"api","axes":["provisioned=0..100:50","memory=512,1024"],"seeds":3,"target":{"p99_ms":200,"max_throttles":0}}"#,
        )
        .unwrap();
        let cli = parse_sweep(
            "--function api --vary provisioned=0..100:50 --vary=memory=512,1024 --seeds 3 --target-p99 200 --max-throttles=0",
        )
        .unwrap();
        assert_eq!(json, cli);
        assert_eq!(json.axes[0].to_string(), "provisioned=0,50,100");
        assert_eq!(parse_sweep("--vary memory=512").unwrap().seeds, DEFAULT_SEEDS);
        assert_eq!(
            describe(&cli),
            "provisioned=0,50,100 · memory=512,1024 · 3 seeds · target p99 ≤ 200 ms, throttles ≤ 0"
        );
    }

    #[test]
    fn a_bad_sweep_says_what_and_where() {
        let e = |t: &str| parse_sweep(t).unwrap_err();
        assert!(e("").contains("needs a sweep"));
        assert!(e("provisioned=1").contains("write the CLI's flags"));
        assert!(
            e("--vary provisioned=0..100").contains("--vary provisioned: a range needs a step"),
            "{}",
            e("--vary provisioned=0..100")
        );
        assert!(e("--vary colour=1").contains("'colour' is not a setting"));
        assert!(e("--vary memory=512 --seed 4").contains("'--seed' is not one of the flags"));
        assert!(e("--vary memory=512 --seeds").contains("--seeds needs a value"));
        assert!(e("--vary memory=512 --seeds 0").contains("seeds: 0 is not between 1 and 50"));
        assert!(e("--vary memory=512 --target-p99 fast").contains("--target-p99 'fast'"));
        assert!(e("--seeds 2").contains("one or two settings, not 0"));
        let bad_json = e(r#"{"axes":["provisioned=0..100:10"],"seed":3}"#);
        assert!(bad_json.starts_with("sweep=\"{\"axes\"") && bad_json.contains("seed"), "{bad_json}");
        assert!(e(r#"{"axes":["provisioned=0..100:10"]"#).contains("the JSON cannot be read"));
        let long = e(&format!("--vary memory={}", "1,".repeat(50)));
        assert!(long.contains('…'), "{long}");
    }

    #[test]
    fn every_bad_attribute_is_named() {
        let e = parse(attrs(&[("sweep", "x"), ("theme", "pink"), ("height", "tall")]), false).unwrap_err();
        assert_eq!(e.lines().count(), 3, "{e}");
        assert!(
            e.contains("theme=\"pink\"") && e.contains("height=\"tall\"") && e.starts_with("sweep=\"x\"")
        );
        let o = parse(attrs(&[("sweep", "--vary memory=512"), ("height", "500")]), true).unwrap();
        assert_eq!((o.dark, o.height.as_deref()), (true, Some("500px")));
        assert!(parse(attrs(&[]), false).unwrap_err().contains("needs a sweep"));
    }
}
