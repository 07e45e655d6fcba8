//! The compare table: one scenario and its variants (same traffic and seed, one difference
//! each), each run to its end, side by side in the figures that decide between them: what was
//! served, throttled and cold-started, the tail latency and the cost. The CLI's `compare` and
//! the app's compare view print the same rows.

use crate::scenario::ScenarioSpec;
use crate::sim::{Options, Simulation};
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
    /// Its cost rests on Lambdascape's placeholder rates (a Web Function whose rates were not
    /// set): shown, marked, and never called the lowest.
    pub placeholder_cost: bool,
    /// The provisioned concurrency its functions start with (0: none).
    pub provisioned: u32,
}

impl Row {
    /// The row of a finished (or partial) run: the figures of its summary
    /// ([`Simulation::headline`], the same numbers without building the whole summary).
    pub fn of(name: &str, sim: &Simulation) -> Row {
        let s = sim.headline();
        let spec = &sim.scenario().spec;
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
            restores: s.restores,
            latency_p50_ms: s.latency.latency_p50_ms,
            latency_p99_ms: s.latency.latency_p99_ms,
            latency_max_ms: s.latency.latency_max_ms,
            cost_usd: s.cost_usd,
            placeholder_cost: spec
                .functions
                .iter()
                .any(|f| f.web.as_ref().is_some_and(|w| w.placeholder_rates())),
            provisioned: spec
                .functions
                .iter()
                .filter_map(|f| f.provisioned.as_ref())
                .map(|p| p.initial)
                .sum(),
        }
    }

    /// Whether its latency figures leave out requests the other rows served: it throttled
    /// while the rows differ in throttles (a throttled request has no latency, so the run
    /// that throttles more can show the lower tail).
    pub fn partial_latency(&self, rows: &[Row]) -> bool {
        self.throttles > 0 && rows.iter().any(|r| r.throttles != self.throttles)
    }
}

/// The marks a table of `rows` uses and what they mean, in the order shown: `*` on a cost at
/// placeholder rates, `†` on the latency of a run that throttled more than another.
pub fn notes(rows: &[Row]) -> Vec<(&'static str, String)> {
    let mut out = vec![];
    if rows.iter().any(|r| r.placeholder_cost) {
        out.push((
            "*",
            "at Lambdascape's placeholder rates for Web Functions (set functions[].web.vcpu_second_usd and \
             .gb_second_usd from the AWS Lambda pricing page): not compared"
                .to_string(),
        ));
    }
    if rows.iter().any(|r| r.partial_latency(rows)) {
        out.push((
            "†",
            "latency of the requests served only: a throttled request is refused at once and has no latency, \
             so a run that throttles more can show a lower tail"
                .to_string(),
        ));
    }
    out
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
    Ok(run(scenarios(spec)?, seed))
}

/// [`run_all`] from the scenario's text with its own seed, without serializing the spec back
/// (the widget's way: [`ScenarioSpec::parse_with_variants`]).
pub fn run_all_text(text: &str) -> Result<Vec<Row>, ValidationErrors> {
    let runs = ScenarioSpec::parse_with_variants(text)?;
    let seed = runs[0].1.spec.seed;
    Ok(run(runs, seed))
}

fn run(scenarios: Vec<(String, crate::Scenario)>, seed: u64) -> Vec<Row> {
    scenarios
        .into_iter()
        .map(|(name, sc)| {
            let mut sim = Simulation::with_seed(sc, seed, Options::default());
            sim.run();
            Row::of(&name, &sim)
        })
        .collect()
}
