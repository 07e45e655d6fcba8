//! The web editor's session, kept free of web dependencies so that it is tested natively: the
//! undo history of one preset ([`Session`]), an edit made at the current simulated time
//! ([`Session::commit`], over [`edit::apply_live`]), the time from which an undo or redo must
//! replay the run ([`first_difference`]), the autosave wrapper (which preset and which version
//! of it the edits were made on), the errors shown beside each field, and the small parsers of
//! what a learner types into a field.
//!
//! The app's reducer asks the session for the validated scenario and the time `from`, then
//! calls `Simulation::replace_scenario(scenario, from)`: the past stays, the run goes on.

use crate::dist::DistSpec;
use crate::edit::{self, Edit, EditError, History};
use crate::error::Errors;
use crate::network::EgressRule;
use crate::scenario::{CpuBoundSpec, LifetimeSpec};
use crate::scenario::{Scenario, ScenarioSpec};
use crate::time::{parse_duration, DurationSpec, Micros};
use crate::traffic::{RatePoint, TrafficSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Format tag of an editor autosave (wraps [`History::to_json`]).
const AUTOSAVE_FORMAT: &str = "lambdascape-editor-autosave";

/// FNV-1a hash of a preset's text: an autosave is restored only over the same preset text.
pub fn text_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The earliest simulated time at which runs of `a` and `b` can differ: 0 when the scenarios
/// differ apart from their live changes, else the time of the first change that differs;
/// `None` when they are the same.
pub fn first_difference(a: &ScenarioSpec, b: &ScenarioSpec) -> Option<Micros> {
    if a == b {
        return None;
    }
    let (mut a0, mut b0) = (a.clone(), b.clone());
    a0.changes.clear();
    b0.changes.clear();
    if a0 != b0 {
        return Some(0);
    }
    let i = a.changes.iter().zip(&b.changes).take_while(|(x, y)| x == y).count();
    let at = |c: Option<&crate::scenario::ChangeSpec>| c.map(|c| c.at.micros());
    match (at(a.changes.get(i)), at(b.changes.get(i))) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (Some(x), None) | (None, Some(x)) => Some(x),
        (None, None) => Some(0),
    }
}

/// What the app must do after an edit, undo or redo: run `scenario` from `from`.
#[derive(Debug)]
pub struct Replay {
    pub scenario: Scenario,
    pub from: Micros,
    /// What happened, for the editor's status line ("add NAT gateway nat-b in public-b").
    pub label: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Autosave {
    format: String,
    preset: String,
    origin: String,
    history: serde_json::Value,
}

/// The editing session of one opened preset: its history (undo, redo, autosave) and the error
/// shown beside each field (by a UI key such as `fn:orders-api:reserved`).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub preset: String,
    /// [`text_hash`] of the preset's text as opened.
    pub origin: u64,
    pub history: History,
    pub errors: BTreeMap<String, String>,
    /// The last thing done (shown in the status line).
    pub status: Option<String>,
}

impl Session {
    /// A session over the preset `preset` opened from `text` as `spec`.
    pub fn new(preset: &str, text: &str, spec: ScenarioSpec) -> Self {
        Session {
            preset: preset.to_string(),
            origin: text_hash(text),
            history: History::new(spec),
            errors: BTreeMap::new(),
            status: None,
        }
    }

    /// The scenario being edited (with its live changes).
    pub fn current(&self) -> &ScenarioSpec {
        self.history.current()
    }

    /// Whether anything was edited (the autosave is worth keeping).
    pub fn edited(&self) -> bool {
        self.history.can_undo() || self.history.can_redo()
    }

    /// Checks `edit` at time `at` without making it: the error for `key`, or none.
    pub fn check(&mut self, key: &str, at: Micros, edit: &Edit) -> Result<(), EditError> {
        let r = edit::apply_live(self.current(), at, edit).and_then(|s| validated(&s).map(|_| ()));
        self.set_error(key, r.as_ref().err());
        r
    }

    /// Makes `edit` at time `at` (a change at `at`, or the scenario itself at 0). On error
    /// nothing changes and the error is kept for `key`.
    pub fn commit(&mut self, key: &str, at: Micros, edit: &Edit) -> Result<Option<Replay>, EditError> {
        let r =
            edit::apply_live(self.current(), at, edit).and_then(|spec| validated(&spec).map(|sc| (spec, sc)));
        self.set_error(key, r.as_ref().err());
        let (spec, scenario) = r?;
        let label = edit.label();
        if !self.history.push(spec, label.clone()) {
            return Ok(None);
        }
        self.status = Some(if at == 0 {
            label.clone()
        } else {
            format!("{label} (from sim {})", crate::time::format_duration(at))
        });
        Ok(Some(Replay { scenario, from: at, label }))
    }

    /// Undoes the last edit: the scenario to run and from when (at most `now`).
    pub fn undo(&mut self, now: Micros) -> Option<Replay> {
        let label = self.history.undo_label()?;
        let before = self.current().clone();
        self.history.undo()?;
        self.after_move(&before, now, label)
    }

    /// Redoes the last undone edit.
    pub fn redo(&mut self, now: Micros) -> Option<Replay> {
        let label = self.history.redo_label()?;
        let before = self.current().clone();
        self.history.redo()?;
        self.after_move(&before, now, label)
    }

    fn after_move(&mut self, before: &ScenarioSpec, now: Micros, label: String) -> Option<Replay> {
        self.errors.clear();
        let from = first_difference(before, self.current()).unwrap_or(now).min(now);
        let scenario = validated(self.current()).ok()?;
        self.status = Some(label.clone());
        Some(Replay { scenario, from, label })
    }

    fn set_error(&mut self, key: &str, e: Option<&EditError>) {
        match e {
            Some(e) => {
                self.errors.insert(key.to_string(), e.message.clone());
            }
            None => {
                self.errors.remove(key);
            }
        }
    }

    /// Shows `message` beside the field `key` (a value that does not even parse).
    pub fn refuse(&mut self, key: &str, message: impl Into<String>) {
        self.errors.insert(key.to_string(), message.into());
    }

    /// The autosave of this session (for localStorage).
    pub fn autosave(&self) -> String {
        let history: serde_json::Value =
            crate::size::reader::parse(&self.history.to_json()).unwrap_or_default();
        let a = Autosave {
            format: AUTOSAVE_FORMAT.into(),
            preset: self.preset.clone(),
            origin: format!("{:016x}", self.origin),
            history,
        };
        serde_json::to_string(&a).unwrap_or_default()
    }

    /// Reads an autosave back if it was made on the preset `preset` opened from `text`; any
    /// other, damaged or no longer valid autosave gives `None`.
    pub fn restore(saved: &str, preset: &str, text: &str) -> Option<Session> {
        let a: Autosave = crate::size::reader::from_str(saved).ok()?;
        if a.format != AUTOSAVE_FORMAT
            || a.preset != preset
            || a.origin != format!("{:016x}", text_hash(text))
        {
            return None;
        }
        let history = History::from_json(&a.history.to_string()).ok()?;
        Some(Session {
            preset: preset.to_string(),
            origin: text_hash(text),
            history,
            errors: BTreeMap::new(),
            status: Some("restored your edits (autosave)".into()),
        })
    }
}

fn validated(spec: &ScenarioSpec) -> Result<Scenario, EditError> {
    spec.validate().map_err(|e| EditError {
        kind: edit::EditErrorKind::Invalid,
        message: e
            .0
            .first()
            .map(|x| x.to_string())
            .unwrap_or_else(|| "the scenario does not validate".into()),
        field: None,
        errors: e.0,
    })
}

// ---------------------------------------------------------------------------------------------
// What a learner types

/// A whole number (commas, underscores and spaces allowed as digit groups).
pub fn parse_count(text: &str) -> Result<u32, String> {
    let t: String = text.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
    if t.is_empty() {
        return Err("enter a whole number".into());
    }
    crate::size::number::parse_uint::<u32>(&t)
        .ok_or_else(|| format!("'{}' is not a whole number of 0 or more", shown(text)))
}

/// A whole number, or nothing (an empty field removes the setting).
pub fn parse_optional_count(text: &str) -> Result<Option<u32>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_count(text).map(Some)
    }
}

/// A number (rates, milliseconds).
pub fn parse_number(text: &str) -> Result<f64, String> {
    let t = text.trim();
    match crate::size::number::parse_f64(t) {
        Some(x) if x.is_finite() => Ok(x),
        _ => Err(format!("'{}' is not a number", shown(text))),
    }
}

/// A duration with a unit ("5s", "15m", "250ms") or a bare number of seconds.
pub fn parse_duration_field(text: &str) -> Result<DurationSpec, String> {
    let t = text.trim();
    if let Some(s) = crate::size::number::parse_f64(t) {
        if s.is_finite() && s >= 0.0 {
            return Ok(DurationSpec::Seconds(s));
        }
    }
    parse_duration(t)
        .map(DurationSpec::from_micros)
        .map_err(|_| format!("'{}' is not a duration such as 5s, 15m or 250ms", shown(text)))
}

/// A list of names separated by commas (empty entries dropped).
pub fn parse_names(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn shown(text: &str) -> String {
    let t: String = text.chars().filter(|c| !c.is_control()).take(24).collect();
    if text.chars().count() > 24 {
        format!("{t}…")
    } else {
        t
    }
}

/// `n + 1` points (seconds, requests per second) of `traffic` over `[0, horizon_s]`, for the
/// editor's preview curve; the first validation error if the traffic is not valid.
pub fn traffic_preview(traffic: &TrafficSpec, horizon_s: f64, n: usize) -> Result<Vec<(f64, f64)>, String> {
    let mut errs = Errors::default();
    let t = traffic.validate("traffic", &mut errs);
    match (t, errs.list.first()) {
        (Some(t), None) => {
            let n = n.max(1);
            let h = if horizon_s.is_finite() && horizon_s > 0.0 { horizon_s } else { 1.0 };
            Ok((0..=n)
                .map(|i| {
                    let x = h * i as f64 / n as f64;
                    (x, t.pattern.rate_at(x))
                })
                .collect())
        }
        (_, Some(e)) => Err(e.to_string()),
        (None, None) => Err("the traffic is not valid".into()),
    }
}

/// A distribution as typed: `300` (constant ms), `uniform 100 500`, `exponential 300`,
/// `normal 300 50` or `lognormal 300 100` (mean and standard deviation in ms).
pub fn parse_dist(text: &str) -> Result<DistSpec, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let num = |w: &str| parse_number(w.trim_end_matches("ms"));
    let usage = "write 300 (ms), uniform 100 500, exponential 300, normal 300 50 or lognormal 300 100";
    match words.as_slice() {
        [ms] => num(ms).map(|ms| DistSpec::Constant { ms }).map_err(|_| usage.to_string()),
        ["constant", ms] => Ok(DistSpec::Constant { ms: num(ms)? }),
        ["uniform", a, b] => Ok(DistSpec::Uniform { min_ms: num(a)?, max_ms: num(b)? }),
        ["exponential", m] => Ok(DistSpec::Exponential { mean_ms: num(m)? }),
        ["normal", m, sd] => Ok(DistSpec::Normal { mean_ms: num(m)?, std_ms: num(sd)? }),
        ["lognormal", m, sd] => Ok(DistSpec::Lognormal { mean_ms: num(m)?, std_ms: num(sd)? }),
        _ => Err(usage.to_string()),
    }
}

/// A distribution as [`parse_dist`] reads it (measured samples as their count).
pub fn dist_text(d: &DistSpec) -> String {
    match d {
        DistSpec::Constant { ms } => format!("{ms}"),
        DistSpec::Uniform { min_ms, max_ms } => format!("uniform {min_ms} {max_ms}"),
        DistSpec::Exponential { mean_ms } => format!("exponential {mean_ms}"),
        DistSpec::Normal { mean_ms, std_ms } => format!("normal {mean_ms} {std_ms}"),
        DistSpec::Lognormal { mean_ms, std_ms } => format!("lognormal {mean_ms} {std_ms}"),
        DistSpec::Empirical { samples_ms } => format!("{} samples", samples_ms.len()),
    }
}

/// A lifetime as typed: `5m` or a range `5m-10m`.
pub fn parse_lifetime(text: &str) -> Result<LifetimeSpec, String> {
    match text.split_once('-') {
        Some((a, b)) => {
            Ok(LifetimeSpec::Range { min: parse_duration_field(a)?, max: parse_duration_field(b)? })
        }
        None => parse_duration_field(text).map(LifetimeSpec::Fixed),
    }
}

/// A duration as typed back ("5s", "15m").
pub fn duration_text(d: &DurationSpec) -> String {
    if d.is_valid() {
        crate::time::format_duration(d.micros())
    } else {
        String::new()
    }
}

/// The CPU-bound part of a duration as typed: the share of the duration that is CPU work on
/// one thread and the memory it was measured at, `60% at 1024 MB` ("at" and "MB" may be left
/// out); empty for none.
pub fn parse_cpu_bound(text: &str) -> Result<Option<CpuBoundSpec>, String> {
    let words: Vec<&str> = text.split_whitespace().filter(|w| !w.eq_ignore_ascii_case("at")).collect();
    let words = match words.as_slice() {
        [rest @ .., mb] if mb.eq_ignore_ascii_case("mb") => rest,
        all => all,
    };
    let how = "write the share of the duration that is CPU work and the memory it was measured at, e.g. 60% at 1024 MB";
    match words {
        [] => Ok(None),
        [share, memory] => {
            let Some(pct) = share.strip_suffix('%') else { return Err(how.into()) };
            let share = parse_number(pct)? / 100.0;
            let memory = memory.strip_suffix("MB").or_else(|| memory.strip_suffix("mb")).unwrap_or(memory);
            Ok(Some(CpuBoundSpec { share, at_memory_mb: parse_count(memory)? }))
        }
        _ => Err(how.into()),
    }
}

/// The CPU-bound part as [`parse_cpu_bound`] reads it.
pub fn cpu_bound_text(c: &Option<CpuBoundSpec>) -> String {
    match c {
        Some(c) => format!("{}% at {} MB", edit::labels::number(c.share * 100.0), c.at_memory_mb),
        None => String::new(),
    }
}

/// A lifetime as [`parse_lifetime`] reads it.
pub fn lifetime_text(l: &LifetimeSpec) -> String {
    match l {
        LifetimeSpec::Fixed(d) => duration_text(d),
        LifetimeSpec::Range { min, max } => format!("{}-{}", duration_text(min), duration_text(max)),
    }
}

/// Egress rules as typed: comma-separated `target [port[-port]]`, e.g. `0.0.0.0/0` or
/// `sg:db 5432, 10.0.0.0/16 443`; empty for none.
pub fn parse_egress(text: &str) -> Result<Vec<EgressRule>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let port = |w: &str| {
            crate::size::number::parse_uint::<u16>(w)
                .ok_or_else(|| format!("'{}' is not a port (0–65535)", shown(w)))
        };
        let ports = match words.as_slice() {
            [_] => None,
            [_, p] => Some(match p.split_once('-') {
                Some((a, b)) => (port(a)?, port(b)?),
                None => (port(p)?, port(p)?),
            }),
            _ => {
                return Err(format!("'{}': write a target and optional ports, e.g. sg:db 5432", shown(part)))
            }
        };
        out.push(EgressRule { to: words[0].to_string(), ports });
    }
    Ok(out)
}

/// Egress rules as [`parse_egress`] reads them.
pub fn egress_text(rules: &[EgressRule]) -> String {
    rules
        .iter()
        .map(|r| match r.ports {
            None => r.to.clone(),
            Some((a, b)) if a == b => format!("{} {a}", r.to),
            Some((a, b)) => format!("{} {a}-{b}", r.to),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets one parameter of a traffic pattern from typed text (a number, or a duration for the
/// pattern's time fields), through its JSON form.
pub fn set_traffic_param(traffic: &TrafficSpec, key: &str, text: &str) -> Result<TrafficSpec, String> {
    let mut v = serde_json::to_value(traffic).map_err(|e| e.to_string())?;
    let obj = v.as_object_mut().ok_or("the traffic is not an object")?;
    let old = obj.get(key).cloned().unwrap_or(serde_json::Value::Null);
    let new = if old.is_number() {
        serde_json::json!(parse_number(text)?)
    } else {
        serde_json::json!(duration_text(&parse_duration_field(text)?))
    };
    obj.insert(key.to_string(), new);
    crate::size::reader::read(&v).map_err(|e| e.to_string())
}

/// The editable parameters of a traffic pattern, in order, with their values as text.
pub fn traffic_params(traffic: &TrafficSpec) -> Vec<(String, String)> {
    let v = serde_json::to_value(traffic).unwrap_or_default();
    let Some(obj) = v.as_object() else { return vec![] };
    obj.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "type" | "arrivals" | "steps" | "points" | "csv"))
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

/// A pattern of `kind` ("none", "constant", "step", "ramp", "sine", "bursts", "points") around
/// the rate `rate`, over `horizon_s` seconds: what choosing a pattern starts from.
pub fn traffic_of_kind(kind: &str, rate: f64, horizon_s: f64) -> Option<TrafficSpec> {
    let r = if rate.is_finite() && rate > 0.0 { rate } else { 1.0 };
    let d = |s: f64| DurationSpec::from_micros(crate::time::secs_to_micros(s.max(1.0).round()));
    let arrivals = Default::default();
    Some(match kind {
        "none" => TrafficSpec::None {},
        "constant" => TrafficSpec::Constant { rate: r, arrivals },
        "step" => TrafficSpec::Step {
            rate: r,
            steps: vec![RatePoint { at: d(horizon_s / 2.0), rate: r * 2.0 }],
            arrivals,
        },
        "ramp" => {
            TrafficSpec::Ramp { from: 0.0, to: r * 2.0, start: d(0.0), end: d(horizon_s / 2.0), arrivals }
        }
        "sine" => TrafficSpec::Sine {
            mean: r,
            amplitude: r / 2.0,
            period: d(horizon_s / 2.0),
            phase: DurationSpec::Seconds(0.0),
            arrivals,
        },
        "bursts" => TrafficSpec::Bursts {
            base: r / 10.0,
            burst_rate: r * 4.0,
            every: d(horizon_s / 6.0),
            burst_for: d(horizon_s / 60.0),
            start: DurationSpec::Seconds(0.0),
            arrivals,
        },
        "points" => TrafficSpec::Points {
            points: vec![RatePoint { at: d(0.0), rate: r }, RatePoint { at: d(horizon_s), rate: r }],
            csv: None,
            arrivals,
        },
        _ => return None,
    })
}

/// The kind of a traffic pattern, as [`traffic_of_kind`] names it.
pub fn traffic_kind(t: &TrafficSpec) -> &'static str {
    match t {
        TrafficSpec::None {} => "none",
        TrafficSpec::Constant { .. } => "constant",
        TrafficSpec::Step { .. } => "step",
        TrafficSpec::Ramp { .. } => "ramp",
        TrafficSpec::Sine { .. } => "sine",
        TrafficSpec::Bursts { .. } => "bursts",
        TrafficSpec::Points { .. } => "points",
    }
}

/// A curve drawn with the mouse: points (seconds, rate) in drawing order become a piecewise
/// curve sorted by time, one point per distinct second, at most `max` points.
pub fn drawn_curve(points: &[(f64, f64)], max: usize) -> Option<TrafficSpec> {
    let mut pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(t, r)| t.is_finite() && r.is_finite())
        .map(|(t, r)| (t.max(0.0).round(), r.max(0.0)))
        .collect();
    crate::size::order::sort_by(&mut pts, |a, b| a.0.total_cmp(&b.0));
    pts.dedup_by(|b, a| a.0 == b.0);
    if pts.len() < 2 {
        return None;
    }
    let step = pts.len().div_ceil(max.max(2));
    let last = *pts.last()?;
    let mut kept: Vec<(f64, f64)> = pts.into_iter().step_by(step).collect();
    if kept.last() != Some(&last) {
        kept.push(last);
    }
    let points = kept
        .into_iter()
        .map(|(t, r)| RatePoint { at: DurationSpec::Seconds(t), rate: (r * 1000.0).round() / 1000.0 })
        .collect();
    Some(TrafficSpec::Points { points, csv: None, arrivals: Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::FunctionSpec;

    fn spec() -> ScenarioSpec {
        let mut s = ScenarioSpec::new("t", vec![FunctionSpec::new("payments", TrafficSpec::constant(5.0))]);
        s.duration = "10m".into();
        s
    }

    fn reserved(n: u32) -> Edit {
        Edit::SetReservedConcurrency { function: "payments".into(), reserved: Some(n) }
    }

    #[test]
    fn a_refused_edit_changes_nothing_and_names_the_field() {
        let mut s = Session::new("p", "text", spec());
        let before = s.current().clone();
        let e = s.commit("fn:payments:reserved", 0, &reserved(950)).unwrap_err();
        assert!(e.message.contains("unreserved"), "{}", e.message);
        assert_eq!(s.current(), &before);
        assert!(!s.edited());
        assert!(s.errors["fn:payments:reserved"].contains("950"));
        // A good value clears the error.
        assert!(s.commit("fn:payments:reserved", 0, &reserved(100)).unwrap().is_some());
        assert!(s.errors.is_empty());
        assert_eq!(s.current().functions[0].reserved_concurrency, Some(100));
    }

    #[test]
    fn a_live_edit_is_a_change_and_undo_replays_from_it() {
        let mut s = Session::new("p", "text", spec());
        let r = s.commit("k", 120_000_000, &reserved(100)).unwrap().unwrap();
        assert_eq!(r.from, 120_000_000);
        assert_eq!(s.current().changes.len(), 1);
        assert_eq!(s.current().changes[0].label, "set reserved concurrency of payments to 100");
        assert_eq!(s.current().functions[0].reserved_concurrency, None);
        let u = s.undo(300_000_000).unwrap();
        assert_eq!(u.from, 120_000_000);
        assert!(s.current().changes.is_empty());
        let r = s.redo(300_000_000).unwrap();
        assert_eq!(r.from, 120_000_000);
        // Undo at a time before the change: from now.
        assert_eq!(s.undo(60_000_000).unwrap().from, 60_000_000);
        assert!(s.undo(0).is_none());
    }

    #[test]
    fn counts_and_ports_read_as_typed() {
        assert_eq!(parse_count(" 1,000 "), Ok(1000));
        assert_eq!(parse_count("+5"), Ok(5));
        assert!(
            parse_count("-1").is_err() && parse_count("4294967296").is_err() && parse_count("1.5").is_err()
        );
        assert_eq!(parse_optional_count(" "), Ok(None));
        let rules = parse_egress("sg:db 5432, 10.0.0.0/16 443-444, 0.0.0.0/0").unwrap();
        let ports: Vec<Option<(u16, u16)>> = rules.iter().map(|r| r.ports).collect();
        assert_eq!(ports, [Some((5432, 5432)), Some((443, 444)), None]);
        assert!(parse_egress("sg:db 70000").unwrap_err().contains("not a port"));
    }

    #[test]
    fn first_difference_is_zero_for_base_edits() {
        let a = spec();
        let mut b = spec();
        assert_eq!(first_difference(&a, &b), None);
        b.functions[0].memory_mb = 1024;
        assert_eq!(first_difference(&a, &b), Some(0));
    }

    #[test]
    fn autosave_restores_only_over_the_same_preset_text() {
        let mut s = Session::new("mixed", "text-v1", spec());
        s.commit("k", 0, &reserved(100)).unwrap();
        let saved = s.autosave();
        let back = Session::restore(&saved, "mixed", "text-v1").unwrap();
        assert_eq!(back.current(), s.current());
        assert!(back.history.can_undo());
        assert!(Session::restore(&saved, "mixed", "text-v2").is_none());
        assert!(Session::restore(&saved, "other", "text-v1").is_none());
        assert!(Session::restore("{not json", "mixed", "text-v1").is_none());
    }

    #[test]
    fn hostile_names_are_kept_as_text() {
        let mut s = Session::new("p", "t", spec());
        let mut sp = spec();
        sp.vpc = None;
        let e = Edit::AddVpc {
            name: "<img src=x onerror=alert(1)>".into(),
            cidr: "10.0.0.0/16".into(),
            azs: vec!["a".into()],
        };
        s.commit("vpc", 0, &e).unwrap();
        assert_eq!(s.current().vpc.as_ref().unwrap().name, "<img src=x onerror=alert(1)>");
        let long = "x".repeat(500);
        assert!(s.commit("az", 0, &Edit::AddAz { name: long }).is_err());
    }

    #[test]
    fn a_resource_with_a_hostile_name_can_be_placed_live() {
        let text = include_str!("../../../tests/scenarios/seed-mixed-subnets.json");
        let spec = ScenarioSpec::from_json(text).unwrap();
        let mut s = Session::new("seed-mixed-subnets", text, spec);
        let e = Edit::AddResource {
            name: "<img src=x onerror=alert(1)>".into(),
            kind: crate::network::ResourceKind::Other,
            subnet: "private-a".into(),
            port: None,
            security_groups: vec![],
        };
        s.commit("k", 0, &e).unwrap();
        s.commit("k", 600_000_000, &Edit::AddNatGateway { name: "nat-1".into(), subnet: "public-b".into() })
            .unwrap();
    }

    #[test]
    fn fields_parse() {
        assert_eq!(parse_count("1,000"), Ok(1000));
        assert!(parse_count("-3").is_err());
        assert_eq!(parse_optional_count(" "), Ok(None));
        assert_eq!(parse_duration_field("5s").unwrap().micros(), 5_000_000);
        assert_eq!(parse_duration_field("2").unwrap().micros(), 2_000_000);
        assert!(parse_duration_field("soon").is_err());
        assert_eq!(parse_names("a, b,,c"), vec!["a", "b", "c"]);
        let p = traffic_preview(&TrafficSpec::constant(5.0), 60.0, 4).unwrap();
        assert_eq!(p.len(), 5);
        assert!(p.iter().all(|&(_, r)| r == 5.0));
        assert!(traffic_preview(&TrafficSpec::constant(-1.0), 60.0, 4).is_err());
        assert_eq!(
            parse_dist("lognormal 300 100"),
            Ok(DistSpec::Lognormal { mean_ms: 300.0, std_ms: 100.0 })
        );
        assert_eq!(
            parse_dist(&dist_text(&DistSpec::Constant { ms: 20.0 })),
            Ok(DistSpec::Constant { ms: 20.0 })
        );
        assert!(parse_dist("fast").is_err());
        assert_eq!(lifetime_text(&parse_lifetime("5m-10m").unwrap()), "5m-10m");
        let rules = parse_egress("0.0.0.0/0, sg:db 5432, 10.0.0.0/16 1000-2000").unwrap();
        assert_eq!(rules[1].ports, Some((5432, 5432)));
        assert_eq!(egress_text(&rules), "0.0.0.0/0, sg:db 5432, 10.0.0.0/16 1000-2000");
        assert!(parse_egress("sg:db port").is_err());
        assert!(parse_egress("").unwrap().is_empty());
    }

    /// The CPU-work field reads what it shows, with or without "at" and "MB", empty for none;
    /// anything else is refused with an example. Through the editor, a share out of range is
    /// refused with the field's path, and the edit is labelled for undo.
    #[test]
    fn cpu_work_is_typed_as_a_share_at_a_memory() {
        let sixty = Some(CpuBoundSpec { share: 0.6, at_memory_mb: 1024 });
        assert_eq!(parse_cpu_bound("60% at 1024 MB"), Ok(sixty));
        assert_eq!(parse_cpu_bound(" 60%  1024 "), Ok(sixty));
        assert_eq!(parse_cpu_bound("60% at 1024MB"), Ok(sixty));
        assert_eq!(parse_cpu_bound(""), Ok(None));
        assert_eq!(cpu_bound_text(&sixty), "60% at 1024 MB");
        assert_eq!(cpu_bound_text(&None), "");
        let third =
            parse_cpu_bound(&cpu_bound_text(&Some(CpuBoundSpec { share: 1.0 / 3.0, at_memory_mb: 512 })));
        assert_eq!(cpu_bound_text(&third.unwrap()), "33.333% at 512 MB");
        for bad in ["0.6 1024", "60%", "60% at", "60% at lots", "much% at 1024", "60% at 1024 MB please"] {
            let e = parse_cpu_bound(bad).unwrap_err();
            assert!(e.contains("e.g. 60% at 1024 MB") || e.contains("is not"), "{bad}: {e}");
        }
        let spec = ScenarioSpec::from_json(
            r#"{"version":1,"name":"t","duration":"1m","functions":[{"name":"f","traffic":{"type":"constant","rate":1}}]}"#,
        )
        .unwrap();
        let set = |c| Edit::SetCpuBound { function: "f".into(), cpu_bound: c };
        let done = edit::apply(&spec, &set(sixty)).unwrap();
        assert_eq!(done.functions[0].cpu_bound, sixty);
        assert_eq!(set(sixty).label(), "set CPU work of f to 60% at 1024 MB");
        assert_eq!(edit::apply(&done, &set(None)).unwrap().functions[0].cpu_bound, None);
        assert_eq!(set(None).label(), "remove CPU work of f");
        let e = edit::apply(&spec, &set(Some(CpuBoundSpec { share: 1.5, at_memory_mb: 1024 }))).unwrap_err();
        assert!(
            e.to_string().contains("functions[0].cpu_bound") && e.to_string().contains("not a share"),
            "{e}"
        );
    }

    #[test]
    fn traffic_editing() {
        for kind in ["none", "constant", "step", "ramp", "sine", "bursts", "points"] {
            let t = traffic_of_kind(kind, 5.0, 600.0).unwrap();
            assert_eq!(traffic_kind(&t), kind);
            assert!(traffic_preview(&t, 600.0, 10).is_ok(), "{kind}");
        }
        let t = traffic_of_kind("bursts", 5.0, 600.0).unwrap();
        let params = traffic_params(&t);
        assert!(params.iter().any(|(k, _)| k == "every"));
        let t2 = set_traffic_param(&t, "every", "2m").unwrap();
        assert!(traffic_params(&t2).contains(&("every".into(), "2m".into())));
        let t3 = set_traffic_param(&t, "burst_rate", "40").unwrap();
        assert!(matches!(t3, TrafficSpec::Bursts { burst_rate, .. } if burst_rate == 40.0));
        assert!(set_traffic_param(&t, "burst_rate", "lots").is_err());
        let drawn = drawn_curve(&[(30.0, 4.0), (0.0, 1.0), (10.2, 2.0), (10.4, 9.0)], 100).unwrap();
        match &drawn {
            TrafficSpec::Points { points, .. } => assert_eq!(points.len(), 3),
            _ => panic!(),
        }
        assert!(drawn_curve(&[(1.0, 1.0)], 100).is_none());
    }
}
