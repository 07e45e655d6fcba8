//! The compare table: one scenario and its variants (same traffic and seed, one difference
//! each), each run to its end, side by side in the figures that decide between them: what was
//! served, throttled and cold-started, the tail latency and the cost. The CLI's `compare` and
//! the app's compare view print the same rows.

use crate::scenario::ScenarioSpec;
use crate::sim::{Options, Simulation, Summary};
use crate::ValidationErrors;
use serde::Serialize;

/// One run's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// "as written" for the scenario itself, else the variant's name.
    pub name: String,
    /// The compute mode of its functions ("mixed" when they differ).
    pub compute: &'static str,
    pub requests: u64,
    pub invocations: u64,
    pub throttles: u64,
    pub errors: u64,
    pub cold_starts: u64,
    /// Of the cold starts, SnapStart restores.
    pub restores: u64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub latency_max_ms: f64,
    pub cost_usd: f64,
}

impl Row {
    /// The row of a finished (or partial) run.
    pub fn of(name: &str, sim: &Simulation) -> Row {
        Self::from_summary(name, sim, &sim.summary())
    }

    pub fn from_summary(name: &str, sim: &Simulation, s: &Summary) -> Row {
        let modes: Vec<&'static str> = sim.scenario().functions.iter().map(|f| f.compute.label()).collect();
        let compute = match modes.first() {
            Some(m) if modes.iter().all(|x| x == m) => m,
            Some(_) => "mixed",
            None => "none",
        };
        Row {
            name: name.to_string(),
            compute,
            requests: s.requests,
            invocations: s.invocations,
            throttles: s.throttles,
            errors: s.errors,
            cold_starts: s.cold_starts,
            restores: s.functions.values().map(|f| f.restores).sum(),
            latency_p50_ms: s.latency.latency_p50_ms,
            latency_p99_ms: s.latency.latency_p99_ms,
            latency_max_ms: s.latency.latency_max_ms,
            cost_usd: s.cost_usd,
        }
    }
}

/// The scenario as written and each of its variants, validated, in order.
pub fn scenarios(spec: &ScenarioSpec) -> Result<Vec<(String, crate::Scenario)>, ValidationErrors> {
    let mut out = vec![("as written".to_string(), spec.validate()?)];
    for (i, v) in spec.variants.iter().enumerate() {
        out.push((v.name.clone(), spec.variant(i)?.validate()?));
    }
    Ok(out)
}

/// Runs the scenario and every variant to the end with `seed`; their rows in order.
pub fn run_all(spec: &ScenarioSpec, seed: u64) -> Result<Vec<Row>, ValidationErrors> {
    Ok(scenarios(spec)?
        .into_iter()
        .map(|(name, sc)| {
            let mut sim = Simulation::with_seed(sc, seed, Options::default());
            sim.run();
            Row::of(&name, &sim)
        })
        .collect())
}
