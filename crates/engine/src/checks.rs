//! Headline-figure checks: a scenario's `checks` evaluated against a finished run.

use crate::scenario::CheckSpec;
use crate::sim::Simulation;
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

/// Evaluates every check of the scenario against a run.
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
            CheckResult { metric: c.metric.clone(), value, min: c.min, max: c.max, passed, note }
        })
        .collect()
}
