//! The summary figures of a run: what the CLI prints and the test suite checks.

use super::{FunctionState, Simulation, ThrottleReason, Totals};
use crate::scenario::Scenario;
use crate::time::micros_to_secs;
use serde::Serialize;
use std::collections::BTreeMap;

/// Figures of one function.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionSummary {
    pub requests: u64,
    pub invocations: u64,
    pub cold_starts: u64,
    pub cold_start_probability: f64,
    pub throttles: u64,
    pub throttles_by_reason: BTreeMap<String, u64>,
    pub errors: u64,
    pub timeouts: u64,
    pub max_concurrency: u32,
    pub avg_concurrency: f64,
    pub avg_environments: f64,
    pub avg_busy: f64,
    pub avg_idle: f64,
    pub rejection_probability: f64,
    pub environments_created: u64,
    pub environments_reaped: u64,
    pub mean_duration_ms: f64,
    pub gb_seconds: f64,
    pub cost_usd: f64,
}

/// Figures of the whole run (all functions together), as of the simulation's current time.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    /// Simulated seconds covered.
    pub simulated_s: f64,
    /// All arrivals, throttled ones included.
    pub requests: u64,
    /// Requests that ran (CloudWatch Invocations).
    pub invocations: u64,
    pub cold_starts: u64,
    /// Cold starts per invocation.
    pub cold_start_probability: f64,
    pub throttles: u64,
    pub throttles_by_reason: BTreeMap<String, u64>,
    pub errors: u64,
    pub timeouts: u64,
    pub max_concurrency: u32,
    /// Time-averaged concurrency (initializing + busy).
    pub avg_concurrency: f64,
    /// Time-averaged environments, busy (incl. initializing) + idle.
    pub avg_environments: f64,
    pub avg_busy: f64,
    pub avg_idle: f64,
    /// Throttles per request.
    pub rejection_probability: f64,
    pub environments_created: u64,
    pub environments_reaped: u64,
    pub environments_recycled: u64,
    pub mean_duration_ms: f64,
    pub gb_seconds: f64,
    /// Compute (GB-seconds) plus requests, at the scenario's prices.
    pub cost_usd: f64,
    pub events_processed: u64,
    pub functions: BTreeMap<String, FunctionSummary>,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn by_reason(t: &Totals) -> BTreeMap<String, u64> {
    ThrottleReason::ALL.iter().map(|r| (r.name().to_string(), t.throttles[r.index()])).collect()
}

/// GB-seconds of one function so far.
fn gb_seconds(sc: &Scenario, f: usize, fs: &FunctionState) -> f64 {
    fs.totals.billed_ms as f64 / 1000.0 * sc.functions[f].memory_mb as f64 / 1024.0
}

/// Cumulative compute + request cost of all functions.
pub(crate) fn cost_usd(sc: &Scenario, functions: &[FunctionState]) -> f64 {
    let p = &sc.spec.pricing;
    functions
        .iter()
        .enumerate()
        .map(|(i, fs)| {
            gb_seconds(sc, i, fs) * p.gb_second_usd
                + fs.totals.invocations as f64 / 1e6 * p.per_million_requests_usd
        })
        .sum()
}

pub(super) fn build(sim: &Simulation) -> Summary {
    let sc = sim.scenario();
    let st = sim.state();
    let now = st.now;
    // Integrals are accrued lazily; finish them up to `now` on a copy.
    let mut st2 = st.clone();
    st2.accrue_all(now);
    let elapsed = now.max(1) as f64;
    let mut functions = BTreeMap::new();
    for (i, fs) in st2.functions.iter().enumerate() {
        let t = &fs.totals;
        let throttles: u64 = t.throttles.iter().sum();
        let gbs = gb_seconds(sc, i, fs);
        let p = &sc.spec.pricing;
        functions.insert(
            sc.functions[i].name.clone(),
            FunctionSummary {
                requests: t.requests,
                invocations: t.invocations,
                cold_starts: t.cold_starts,
                cold_start_probability: ratio(t.cold_starts, t.invocations),
                throttles,
                throttles_by_reason: by_reason(t),
                errors: t.errors,
                timeouts: t.timeouts,
                max_concurrency: t.max_concurrency,
                avg_concurrency: t.concurrency_area / elapsed,
                avg_environments: (t.busy_area + t.idle_area) / elapsed,
                avg_busy: t.busy_area / elapsed,
                avg_idle: t.idle_area / elapsed,
                rejection_probability: ratio(throttles, t.requests),
                environments_created: t.environments_created,
                environments_reaped: t.environments_reaped,
                mean_duration_ms: if t.completed == 0 {
                    0.0
                } else {
                    t.duration_sum_us as f64 / t.completed as f64 / 1000.0
                },
                gb_seconds: gbs,
                cost_usd: gbs * p.gb_second_usd + t.invocations as f64 / 1e6 * p.per_million_requests_usd,
            },
        );
    }
    let t = &st2.account.totals;
    let throttles: u64 = t.throttles.iter().sum();
    Summary {
        scenario: sc.spec.name.clone(),
        seed: sim.seed(),
        simulated_s: micros_to_secs(now),
        requests: t.requests,
        invocations: t.invocations,
        cold_starts: t.cold_starts,
        cold_start_probability: ratio(t.cold_starts, t.invocations),
        throttles,
        throttles_by_reason: by_reason(t),
        errors: t.errors,
        timeouts: t.timeouts,
        max_concurrency: t.max_concurrency,
        avg_concurrency: t.concurrency_area / elapsed,
        avg_environments: (t.busy_area + t.idle_area) / elapsed,
        avg_busy: t.busy_area / elapsed,
        avg_idle: t.idle_area / elapsed,
        rejection_probability: ratio(throttles, t.requests),
        environments_created: t.environments_created,
        environments_reaped: t.environments_reaped,
        environments_recycled: t.environments_recycled,
        mean_duration_ms: if t.completed == 0 {
            0.0
        } else {
            t.duration_sum_us as f64 / t.completed as f64 / 1000.0
        },
        gb_seconds: functions.values().map(|f| f.gb_seconds).sum(),
        cost_usd: cost_usd(sc, &st2.functions),
        events_processed: st.events_processed,
        functions,
    }
}
