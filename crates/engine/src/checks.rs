//! Headline-figure checks: a scenario's `checks` evaluated against a finished run.

use crate::scenario::{CheckSpec, ScenarioSpec};
use crate::sim::{Options, Simulation};
use crate::time::parse_duration;
use serde::Serialize;

/// The outcome of one check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub metric: String,
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub passed: bool,
    /// Why it failed, or where the figure comes from.
    pub note: String,
}

/// Reads a figure: a dotted path into the summary (`throttles_by_reason.X`,
/// `functions.api.cold_starts`) or `series.<column>@<time>` / `series.<function>.<column>@<time>`.
pub fn metric_value(sim: &Simulation, metric: &str) -> Result<f64, String> {
    if let Some(rest) = metric.strip_prefix("series.") {
        let (name, at) = rest
            .split_once('@')
            .ok_or_else(|| format!("'{metric}' needs @<time>, e.g. series.concurrency@4m"))?;
        let t = parse_duration(at)?;
        let rec = sim.recorder();
        let (series, column) = match name.split_once('.') {
            Some((func, column)) => {
                let id =
                    sim.scenario().function_id(func).ok_or_else(|| format!("no function named '{func}'"))?;
                (&rec.functions[id.0 as usize], column)
            }
            None => (&rec.account, name),
        };
        let v = series
            .column(column)
            .ok_or_else(|| format!("no series column '{column}'; columns: {}", series.columns.join(", ")))?;
        let row = series.row_at(t).ok_or_else(|| format!("no sample at or before {at}"))?;
        return Ok(v[row] as f64);
    }
    let summary = serde_json::to_value(sim.summary()).map_err(|e| e.to_string())?;
    let mut cur = &summary;
    for part in metric.split('.') {
        let next = match cur {
            serde_json::Value::Array(a) => {
                crate::size::number::parse_uint::<usize>(part).and_then(|i| a.get(i))
            }
            _ => cur.get(part),
        };
        cur = next.ok_or_else(|| format!("the summary has no '{metric}'"))?;
    }
    cur.as_f64().ok_or_else(|| format!("'{metric}' is not a number"))
}

/// Evaluates every check of `spec`: those of the scenario as written against `base` (its
/// finished run), those of a variant against a run of that variant to its end (same seed).
/// A variant check's metric reads `variant: metric`.
pub fn evaluate_spec(spec: &ScenarioSpec, base: &Simulation) -> Vec<CheckResult> {
    let own: Vec<CheckSpec> = spec.checks.iter().filter(|c| c.variant.is_none()).cloned().collect();
    let mut out = evaluate(base, &own);
    for (i, v) in spec.variants.iter().enumerate() {
        let checks: Vec<CheckSpec> =
            spec.checks.iter().filter(|c| c.variant.as_deref() == Some(v.name.as_str())).cloned().collect();
        if checks.is_empty() {
            continue;
        }
        let run = spec.variant(i).and_then(|s| s.validate()).map(|sc| {
            let mut sim = Simulation::with_seed(sc, base.seed(), Options::default());
            sim.run();
            sim
        });
        out.extend(match run {
            Ok(sim) => evaluate(&sim, &checks),
            Err(e) => {
                checks.iter().map(|c| failed(c, format!("the variant does not validate: {e}"))).collect()
            }
        });
    }
    for c in spec
        .checks
        .iter()
        .filter(|c| c.variant.as_ref().is_some_and(|n| !spec.variants.iter().any(|v| &v.name == n)))
    {
        out.push(failed(c, format!("no variant named '{}'", c.variant.as_deref().unwrap_or(""))));
    }
    out
}

fn failed(c: &CheckSpec, note: String) -> CheckResult {
    CheckResult { metric: label(c), value: None, min: c.min, max: c.max, passed: false, note }
}

fn label(c: &CheckSpec) -> String {
    match &c.variant {
        Some(v) => format!("{v}: {}", c.metric),
        None => c.metric.clone(),
    }
}

/// Evaluates the given checks against a run (whatever their `variant`: [`evaluate_spec`] sorts
/// them out).
pub fn evaluate(sim: &Simulation, checks: &[CheckSpec]) -> Vec<CheckResult> {
    checks
        .iter()
        .map(|c| {
            let (value, passed, note) = match metric_value(sim, &c.metric) {
                Ok(v) => {
                    let ok = c.min.is_none_or(|m| v >= m) && c.max.is_none_or(|m| v <= m);
                    (Some(v), ok, c.source.clone())
                }
                Err(e) => (None, false, e),
            };
            CheckResult { metric: label(c), value, min: c.min, max: c.max, passed, note }
        })
        .collect()
}
