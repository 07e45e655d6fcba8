//! The summary figures of a run: what the CLI prints and the test suite checks.

use super::net::{code_name, NetState};
use super::{FunctionState, Simulation, SourceState, ThrottleCause, Totals};
use crate::network::{network_cost, SubnetId};
use crate::scenario::{Compute, Scenario};
use crate::time::{micros_to_secs, Micros};
use serde::Serialize;
use std::collections::BTreeMap;

/// Figures of one function.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionSummary {
    /// Its compute mode: on-demand, SnapStart, Lambda Managed Instances, Lambda Web Functions.
    pub compute: &'static str,
    pub requests: u64,
    pub invocations: u64,
    pub cold_starts: u64,
    pub cold_start_probability: f64,
    pub throttles: u64,
    /// AWS's `TooManyRequestsException` Reason -> throttles (only causes AWS names a Reason for).
    pub throttles_by_reason: BTreeMap<String, u64>,
    /// Lambdascape's own cause -> throttles (every throttle; see docs/model.md#throttle-reasons).
    pub throttles_by_cause: BTreeMap<String, u64>,
    pub errors: u64,
    pub timeouts: u64,
    /// Cold starts whose init ran past the init limit (10 s): Lambda retried the init within
    /// the invocation, under the function timeout.
    pub init_timeouts: u64,
    pub max_concurrency: u32,
    pub avg_concurrency: f64,
    pub avg_environments: f64,
    pub avg_busy: f64,
    pub avg_idle: f64,
    pub rejection_probability: f64,
    pub environments_created: u64,
    pub environments_reaped: u64,
    pub mean_duration_ms: f64,
    #[serde(flatten)]
    pub latency: LatencySummary,
    pub gb_seconds: f64,
    /// SnapStart: new environments resumed from the snapshot.
    pub restores: u64,
    /// Web Functions: requests that waited for a slot, and the longest wait queue.
    pub queued_requests: u64,
    pub max_queue: u32,
    /// Managed Instances: instances launched (the first ones included) and running at the end.
    pub instances_launched: u64,
    pub instances_at_end: u32,
    pub provisioned_invocations: u64,
    pub spillover_invocations: u64,
    pub max_provisioned_concurrency: u32,
    pub provisioned_reinits: u64,
    pub async_events: u64,
    pub async_retries: u64,
    pub async_succeeded: u64,
    pub dlq_events: u64,
    pub dropped_events: u64,
    pub expired_events: u64,
    pub async_queued_at_end: u64,
    pub sqs_messages: u64,
    pub sqs_deleted: u64,
    pub stream_records: u64,
    pub stream_processed: u64,
    pub max_event_source_concurrency: u32,
    pub cost_usd: f64,
}

/// Figures of the whole run (all functions together), as of the simulation's current time.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    /// Simulated seconds covered.
    pub simulated_s: f64,
    /// Invoke requests: sync calls, async and event-source attempts (throttled ones included).
    pub requests: u64,
    /// Requests that ran (CloudWatch Invocations).
    pub invocations: u64,
    pub cold_starts: u64,
    /// Cold starts per invocation.
    pub cold_start_probability: f64,
    pub throttles: u64,
    /// AWS's `TooManyRequestsException` Reason -> throttles, for the causes AWS names a Reason
    /// for; throttles by the scaling rate (no documented Reason) are only in `throttles_by_cause`.
    pub throttles_by_reason: BTreeMap<String, u64>,
    /// Lambdascape's own cause -> throttles: `account_concurrency`, `reserved_concurrency`,
    /// `account_rps`, `reserved_rps`, `burst_bucket`, `scaling_rate`, `scaling_rps`.
    pub throttles_by_cause: BTreeMap<String, u64>,
    pub errors: u64,
    pub timeouts: u64,
    /// Cold starts whose init ran past the init limit (10 s): Lambda retried the init within
    /// the invocation, under the function timeout.
    pub init_timeouts: u64,
    /// Requests refused because the function was Pending or had no healthy subnet.
    pub pending_failures: u64,
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
    #[serde(flatten)]
    pub latency: LatencySummary,
    pub gb_seconds: f64,
    pub provisioned_invocations: u64,
    pub spillover_invocations: u64,
    pub max_provisioned_concurrency: u32,
    pub async_events: u64,
    pub async_retries: u64,
    pub dlq_events: u64,
    pub dropped_events: u64,
    /// Alarm name -> the times (s) it went into ALARM.
    pub alarms: BTreeMap<String, Vec<f64>>,
    /// Subnet name -> invocations that timed out there.
    pub timeouts_by_subnet: BTreeMap<String, u64>,
    /// Subnet name -> environments created there.
    pub environments_by_subnet: BTreeMap<String, u64>,
    /// Subnet name -> invocations that succeeded there.
    pub successes_by_subnet: BTreeMap<String, u64>,
    /// Unreachable reason code -> invocations that timed out for it (`eni_quota_reached`: their
    /// group of Hyperplane ENIs needed another ENI and the VPC's quota had no room).
    pub unreachable: BTreeMap<String, u64>,
    /// Group of Hyperplane ENIs (`subnet+security-group[+...]`) -> most connections it carried
    /// at once.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub eni_max_connections: BTreeMap<String, u32>,
    /// Group of Hyperplane ENIs -> most ENIs it had (Lambda adds one past 65,000 connections
    /// per ENI; none is removed during a run).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub eni_max_count: BTreeMap<String, u32>,
    pub network_cost_usd: f64,
    /// Compute, requests, provisioned concurrency and network, at the scenario's prices.
    pub cost_usd: f64,
    pub events_processed: u64,
    pub functions: BTreeMap<String, FunctionSummary>,
}

/// End-to-end latency of the completed invocations, in ms (0 when none completed): the wait
/// for a slot, the init or restore, and the duration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LatencySummary {
    pub latency_p50_ms: f64,
    pub latency_p90_ms: f64,
    pub latency_p99_ms: f64,
    pub latency_max_ms: f64,
}

impl LatencySummary {
    fn of(h: &super::metrics::Latency) -> Self {
        if h.count() == 0 {
            return LatencySummary::default();
        }
        let q = |p: f64| h.quantile(p) / 1000.0;
        LatencySummary {
            latency_p50_ms: q(0.5),
            latency_p90_ms: q(0.9),
            latency_p99_ms: q(0.99),
            latency_max_ms: h.max() as f64 / 1000.0,
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Mean duration of the completed invocations, in ms.
fn mean_ms(t: &Totals) -> f64 {
    if t.completed == 0 {
        0.0
    } else {
        t.duration_sum_us as f64 / t.completed as f64 / 1000.0
    }
}

fn by_reason(t: &Totals) -> BTreeMap<String, u64> {
    let mut m: BTreeMap<String, u64> =
        ThrottleCause::AWS_REASONS.iter().map(|r| (r.to_string(), 0)).collect();
    for c in ThrottleCause::ALL {
        if let Some(r) = c.aws_reason() {
            *m.entry(r.to_string()).or_default() += t.throttles[c.index()];
        }
    }
    m
}

fn by_cause(t: &Totals) -> BTreeMap<String, u64> {
    ThrottleCause::ALL.iter().map(|c| (c.label().to_string(), t.throttles[c.index()])).collect()
}

/// GB-seconds of one function so far.
fn gb_seconds(sc: &Scenario, f: usize, fs: &FunctionState) -> f64 {
    fs.totals.billed_ms as f64 / 1000.0 * sc.functions[f].memory_mb as f64 / 1024.0
}

/// Compute + requests + provisioned concurrency of one function, by its compute mode
/// (docs/model.md#compute-modes).
fn function_cost(sc: &Scenario, f: usize, fs: &FunctionState, now: Micros) -> f64 {
    let p = &sc.spec.pricing;
    let func = &sc.functions[f];
    let gb = func.memory_mb as f64 / 1024.0;
    let requests = fs.totals.invocations as f64 / 1e6 * p.per_million_requests_usd;
    let hours = |us: f64| us / 3.6e9;
    match (&func.compute, &fs.multi) {
        (Compute::ManagedInstances(mi), Some(m)) => {
            // The instances' price plus the management fee, and the request charge.
            return hours(m.instance_area) * mi.instance_hourly_usd * (1.0 + p.managed_instances_fee)
                + requests;
        }
        (Compute::Web(w), Some(m)) => {
            return m.cpu_us / 1e6 * w.vcpu_second_usd
                + m.env_area / 1e6 * w.memory_gb * w.gb_second_usd
                + requests;
        }
        (Compute::SnapStart(s), _) if s.runtime.charged() => {
            let cache = micros_to_secs(now) * gb * p.snapstart_cache_gb_second_usd;
            let restores = fs.totals.restores as f64 * gb * p.snapstart_restore_gb_usd;
            return on_demand_cost(sc, f, fs) + cache + restores;
        }
        _ => {}
    }
    on_demand_cost(sc, f, fs)
}

/// Duration, requests and provisioned concurrency.
fn on_demand_cost(sc: &Scenario, f: usize, fs: &FunctionState) -> f64 {
    let p = &sc.spec.pricing;
    let gb = sc.functions[f].memory_mb as f64 / 1024.0;
    let pc_held_gbs = fs.totals.provisioned_area / 1e6 * gb;
    let pc_run_gbs = fs.totals.provisioned_billed_ms as f64 / 1000.0 * gb;
    (gb_seconds(sc, f, fs) - pc_run_gbs) * p.gb_second_usd
        + pc_run_gbs * p.provisioned_duration_gb_second_usd
        + fs.totals.invocations as f64 / 1e6 * p.per_million_requests_usd
        + pc_held_gbs * p.provisioned_gb_second_usd
}

fn net_cost(sc: &Scenario, net: &NetState, now: Micros) -> f64 {
    sc.vpc.as_ref().map_or(0.0, |v| {
        network_cost(v, &sc.spec.network_prices, micros_to_secs(now) / 3600.0, &net.traffic()).total_usd
    })
}

/// Cumulative cost of everything so far.
pub(crate) fn cost_usd(sc: &Scenario, functions: &[FunctionState], net: &NetState, now: Micros) -> f64 {
    functions.iter().enumerate().map(|(i, fs)| function_cost(sc, i, fs, now)).sum::<f64>()
        + net_cost(sc, net, now)
}

/// The run's headline figures (what a compare row shows), without the rest of the summary:
/// the widget's compare table has no use for the summary's maps and their code.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub requests: u64,
    pub invocations: u64,
    pub throttles: u64,
    pub errors: u64,
    pub cold_starts: u64,
    pub restores: u64,
    pub latency: LatencySummary,
    pub cost_usd: f64,
}

/// The headline of a state whose integrals are accrued up to `now`.
fn headline_of(sc: &Scenario, st2: &super::State, now: Micros) -> Headline {
    let t = &st2.account.totals;
    let mut all = super::metrics::Latency::default();
    for f in &st2.functions {
        all.merge(&f.totals.latency);
    }
    Headline {
        requests: t.requests,
        invocations: t.invocations,
        throttles: t.throttles.iter().sum(),
        errors: t.errors,
        cold_starts: t.cold_starts,
        restores: st2.functions.iter().map(|f| f.totals.restores).sum(),
        latency: LatencySummary::of(&all),
        cost_usd: cost_usd(sc, &st2.functions, &st2.net, now),
    }
}

pub(super) fn headline(sim: &Simulation) -> Headline {
    let st = sim.state();
    headline_of(sim.scenario(), &st.settled(), st.now)
}

pub(super) fn build(sim: &Simulation) -> Summary {
    let sc = sim.scenario();
    let st = sim.state();
    let now = st.now;
    // Integrals are accrued lazily: finished up to `now` (on a copy unless they are).
    let st2 = st.settled();
    let elapsed = now.max(1) as f64;
    let mut functions = BTreeMap::new();
    for (i, fs) in st2.functions.iter().enumerate() {
        let t = &fs.totals;
        let throttles: u64 = t.throttles.iter().sum();
        let q = &fs.asyncq;
        let (sqs, stream) = match &fs.source {
            Some(SourceState::Sqs(s)) => ((s.sent, s.deleted, s.dlq), (0, 0)),
            Some(SourceState::Stream(s)) => ((0, 0, 0), (s.records, s.processed)),
            None => ((0, 0, 0), (0, 0)),
        };
        functions.insert(
            sc.functions[i].name.clone(),
            FunctionSummary {
                compute: sc.functions[i].compute.label(),
                requests: t.requests,
                invocations: t.invocations,
                cold_starts: t.cold_starts,
                cold_start_probability: ratio(t.cold_starts, t.invocations),
                throttles,
                throttles_by_reason: by_reason(t),
                throttles_by_cause: by_cause(t),
                errors: t.errors,
                timeouts: t.timeouts,
                init_timeouts: t.init_timeouts,
                max_concurrency: t.max_concurrency,
                avg_concurrency: t.busy_area / elapsed,
                avg_environments: (t.busy_area + t.idle_area) / elapsed,
                avg_busy: t.busy_area / elapsed,
                avg_idle: t.idle_area / elapsed,
                rejection_probability: ratio(throttles, t.requests),
                environments_created: t.environments_created,
                environments_reaped: t.environments_reaped,
                mean_duration_ms: mean_ms(t),
                latency: LatencySummary::of(&t.latency),
                gb_seconds: gb_seconds(sc, i, fs),
                restores: t.restores,
                queued_requests: fs.multi.as_ref().map_or(0, |m| m.queued_total),
                max_queue: fs.multi.as_ref().map_or(0, |m| m.max_queue),
                instances_launched: fs.multi.as_ref().map_or(0, |m| m.instances_launched),
                instances_at_end: fs.multi.as_ref().map_or(0, |m| m.instances.len() as u32),
                provisioned_invocations: t.provisioned_invocations,
                spillover_invocations: t.spillover_invocations,
                max_provisioned_concurrency: t.max_provisioned.max(fs.pc.live),
                provisioned_reinits: fs.pc.reinits,
                async_events: q.received,
                async_retries: q.throttle_retries + q.error_retries,
                async_succeeded: q.succeeded,
                dlq_events: q.dlq + sqs.2,
                dropped_events: q.dropped,
                expired_events: q.expired,
                async_queued_at_end: q.waiting(),
                sqs_messages: sqs.0,
                sqs_deleted: sqs.1,
                stream_records: stream.0,
                stream_processed: stream.1,
                max_event_source_concurrency: 0,
                cost_usd: function_cost(sc, i, fs, now),
            },
        );
    }
    let head = headline_of(sc, &st2, now);
    let t = &st2.account.totals;
    let throttles = head.throttles;
    let mut timeouts_by_subnet = BTreeMap::new();
    let mut environments_by_subnet = BTreeMap::new();
    let mut successes_by_subnet = BTreeMap::new();
    if let Some(vpc) = &sc.vpc {
        for (i, c) in st.net.subnets.iter().enumerate() {
            let name = vpc.subnet_name(SubnetId(i as u32)).to_string();
            timeouts_by_subnet.insert(name.clone(), c.total_timeouts);
            environments_by_subnet.insert(name.clone(), c.environments_created);
            successes_by_subnet.insert(name, c.total_successes);
        }
    }
    let alarms = sc
        .alarms
        .iter()
        .zip(&st.alarms)
        .map(|(spec, a)| (spec.name.clone(), a.alarm_times.iter().map(|&t| micros_to_secs(t)).collect()))
        .collect();
    let sum = |get: fn(&FunctionSummary) -> u64| functions.values().map(get).sum::<u64>();
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
        throttles_by_cause: by_cause(t),
        errors: t.errors,
        timeouts: t.timeouts,
        init_timeouts: t.init_timeouts,
        pending_failures: t.pending_failures,
        max_concurrency: t.max_concurrency,
        avg_concurrency: t.busy_area / elapsed,
        avg_environments: (t.busy_area + t.idle_area) / elapsed,
        avg_busy: t.busy_area / elapsed,
        avg_idle: t.idle_area / elapsed,
        rejection_probability: ratio(throttles, t.requests),
        environments_created: t.environments_created,
        environments_reaped: t.environments_reaped,
        environments_recycled: t.environments_recycled,
        mean_duration_ms: mean_ms(t),
        latency: head.latency,
        gb_seconds: functions.values().map(|f| f.gb_seconds).sum(),
        provisioned_invocations: t.provisioned_invocations,
        spillover_invocations: t.spillover_invocations,
        max_provisioned_concurrency: functions.values().map(|f| f.max_provisioned_concurrency).sum(),
        async_events: sum(|f| f.async_events),
        async_retries: sum(|f| f.async_retries),
        dlq_events: sum(|f| f.dlq_events),
        dropped_events: sum(|f| f.dropped_events),
        alarms,
        timeouts_by_subnet,
        environments_by_subnet,
        successes_by_subnet,
        unreachable: st.net.unreachable.iter().map(|(c, n)| (code_name(*c), *n)).collect(),
        eni_max_connections: st.net.enis.iter().map(|e| (e.name.clone(), e.max_connections())).collect(),
        eni_max_count: st.net.enis.iter().map(|e| (e.name.clone(), e.count())).collect(),
        network_cost_usd: net_cost(sc, &st.net, now),
        cost_usd: head.cost_usd,
        events_processed: st.events_processed,
        functions,
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::Simulation;
    use crate::ScenarioSpec;
    use std::borrow::Cow;

    /// A finished run's figures are read from its state as it is (its integrals, Managed
    /// Instances' and Web Functions' too, are accrued to the end: accruing again changes
    /// nothing); a run under way is read from a copy accrued to now.
    #[test]
    fn a_finished_runs_state_is_read_as_it_is() {
        let text = include_str!("../../../../www/scenarios/managed-instances-doubling.json");
        let sc = ScenarioSpec::from_json(text).unwrap().validate().unwrap();
        assert!(sc.functions.iter().any(|f| f.compute.is_multi()));
        let mut sim = Simulation::new(sc);
        sim.advance_to(sim.scenario().horizon / 3 + 1);
        let st = sim.state();
        assert!(st.account.area_at < st.now, "between samples: integrals pending");
        let Cow::Owned(settled) = st.settled() else { panic!("a run under way is read from a copy") };
        let mut by_hand = st.clone();
        by_hand.accrue_all(st.now);
        assert_eq!(format!("{settled:?}"), format!("{by_hand:?}"));
        sim.run();
        let st = sim.state();
        assert!(matches!(st.settled(), Cow::Borrowed(_)));
        let mut again = st.clone();
        again.accrue_all(st.now);
        assert_eq!(format!("{again:?}"), format!("{st:?}"));
    }
}
