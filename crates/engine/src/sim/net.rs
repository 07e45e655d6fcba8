//! The network side of the simulation: where new environments land (subnets), what their
//! calls reach from there (a path table per function and subnet, recomputed only when the
//! topology's health changes), per-subnet and per-AZ counters, AZ outages, ENI readiness and
//! the bytes billed by NAT gateways and endpoints.

use super::metrics::Series;
use crate::network::{
    reach, reach_managed, NetworkHealth, PathCharge, Reach, SubnetId, TrafficTotals, UnreachableCode,
};
use crate::scenario::{Function, Placement, Scenario};
use crate::time::Micros;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Columns of each subnet's (and AZ's) series.
pub const SUBNET_COLUMNS: &[&str] = &["environments", "invocations", "successes", "timeouts", "cold_starts"];

/// What a call from one subnet (or from Lambda-managed networking) to all of a function's
/// destinations comes to.
#[derive(Debug, Clone)]
pub struct PathOutcome {
    /// The first unreachable destination: its index, code and reason.
    pub failure: Option<(u32, UnreachableCode, String)>,
    /// Added latency of all destinations when every one is reachable.
    pub latency: Micros,
    /// Billable element crossed by each destination's bytes.
    pub charges: Vec<(PathCharge, u64)>,
}

/// Counters of one subnet.
#[derive(Debug, Clone, Default)]
pub struct SubnetCounters {
    pub environments: u32,
    pub invocations: u64,
    pub successes: u64,
    pub timeouts: u64,
    pub cold_starts: u64,
    pub environments_created: u64,
    /// Totals since the start.
    pub total_invocations: u64,
    pub total_successes: u64,
    pub total_timeouts: u64,
}

/// Network state of a run (checkpointed with the rest).
#[derive(Debug, Clone, Default)]
pub struct NetState {
    pub health: NetworkHealth,
    /// `paths[f][k]`: outcome from the function's k-th subnet (k = 0 without a VPC).
    pub paths: Vec<Vec<PathOutcome>>,
    pub subnets: Vec<SubnetCounters>,
    /// Time the ENIs are ready (0 = ready from the start).
    pub eni_ready_at: Micros,
    pub unreachable: BTreeMap<UnreachableCode, u64>,
    /// Bytes billed so far, per NAT gateway / endpoint (up to the last flush).
    traffic: TrafficTotals,
    /// Successful calls per function and path since the last flush (cheap to count; turned
    /// into bytes per billable element when the paths change or the cost is read).
    pub(crate) path_calls: Vec<Vec<u64>>,
    /// Round-robin cursor per function.
    rr: Vec<u32>,
    /// (function, subnet) pairs already explained in the narrative for this health state.
    pub(crate) narrated: std::collections::BTreeSet<(u32, u32)>,
}

/// Name of an unreachable code as in the summary (`igw_no_public_ip`).
pub fn code_name(code: UnreachableCode) -> String {
    serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl NetState {
    /// Network state for `sc`, with counters for every subnet any version of it has (`wide`:
    /// the last change only adds subnets).
    pub fn new(sc: &Scenario, wide: &Scenario) -> Self {
        let subnets = wide.vpc.as_ref().map_or(0, |v| v.subnets().count());
        let mut s = NetState {
            subnets: vec![SubnetCounters::default(); subnets],
            eni_ready_at: sc.eni_creation.unwrap_or(0),
            rr: vec![0; sc.functions.len()],
            ..Default::default()
        };
        s.recompute(sc);
        s
    }

    /// Recomputes every path (at the start and whenever an AZ goes down or comes back).
    pub fn recompute(&mut self, sc: &Scenario) {
        self.flush();
        self.paths = sc.functions.iter().map(|f| paths_of(sc, f, &self.health)).collect();
        self.path_calls = self.paths.iter().map(|p| vec![0; p.len()]).collect();
        self.narrated.clear();
    }

    /// Turns the counted calls into bytes per billable element.
    fn flush(&mut self) {
        for (f, calls) in self.path_calls.iter_mut().enumerate() {
            for (k, n) in calls.iter_mut().enumerate() {
                if *n > 0 {
                    if let Some(p) = self.paths.get(f).and_then(|p| p.get(k)) {
                        for &(charge, bytes) in &p.charges {
                            self.traffic.add(charge, bytes.saturating_mul(*n));
                        }
                    }
                    *n = 0;
                }
            }
        }
    }

    /// Bytes billed so far, per element.
    pub fn traffic(&self) -> TrafficTotals {
        let mut t = self.traffic.clone();
        for (f, calls) in self.path_calls.iter().enumerate() {
            for (k, &n) in calls.iter().enumerate() {
                if n > 0 {
                    if let Some(p) = self.paths.get(f).and_then(|p| p.get(k)) {
                        for &(charge, bytes) in &p.charges {
                            t.add(charge, bytes.saturating_mul(n));
                        }
                    }
                }
            }
        }
        t
    }

    /// Makes room for subnets added by a change.
    pub fn grow(&mut self, subnets: usize) {
        if self.subnets.len() < subnets {
            self.subnets.resize(subnets, SubnetCounters::default());
        }
    }

    /// Picks the subnet of a new environment, or `None` when every subnet's AZ is down.
    /// Returns the index within the function's subnets.
    pub fn place(&mut self, sc: &Scenario, f: usize, rng: &mut ChaCha8Rng) -> Option<u32> {
        let func = &sc.functions[f];
        let (Some(fv), Some(vpc)) = (&func.vpc, &sc.vpc) else { return Some(0) };
        let healthy: Vec<u32> = (0..fv.subnets.len() as u32)
            .filter(|&k| {
                vpc.subnet_az(fv.subnets[k as usize]).is_none_or(|az| !self.health.azs_down.contains(&az))
            })
            .collect();
        if healthy.is_empty() {
            return None;
        }
        Some(match func.placement {
            Placement::Random => healthy[rng.random_range(0..healthy.len())],
            Placement::RoundRobinAz => {
                // Order the healthy subnets by AZ, then position, and take the next in turn.
                let mut order = healthy.clone();
                order.sort_by_key(|&k| (vpc.subnet_az(fv.subnets[k as usize]).map(|a| a.0), k));
                let i = self.rr[f] as usize % order.len();
                self.rr[f] = self.rr[f].wrapping_add(1);
                order[i]
            }
        })
    }

    /// The subnet id of a function's k-th subnet.
    pub fn subnet_id(func: &Function, k: u32) -> Option<SubnetId> {
        func.vpc.as_ref().and_then(|v| v.subnets.get(k as usize).copied())
    }

    /// Per-subnet series rows and the per-AZ sums, then resets the interval counters.
    pub(crate) fn sample(
        &mut self,
        sc: &Scenario,
        now: Micros,
        subnets: &mut [Series],
        azs: &mut [Series],
        record: bool,
    ) {
        let Some(vpc) = &sc.vpc else { return };
        if record {
            let mut az_rows = vec![[0f32; 5]; azs.len()];
            for (i, c) in self.subnets.iter().enumerate() {
                let row = [
                    c.environments as f32,
                    c.invocations as f32,
                    c.successes as f32,
                    c.timeouts as f32,
                    c.cold_starts as f32,
                ];
                if let Some(s) = subnets.get_mut(i) {
                    s.push(now, &row);
                }
                if let Some(az) = vpc.subnet_az(SubnetId(i as u32)) {
                    if let Some(r) = az_rows.get_mut(az.0 as usize) {
                        for (a, b) in r.iter_mut().zip(row) {
                            *a += b;
                        }
                    }
                }
            }
            for (s, r) in azs.iter_mut().zip(az_rows) {
                s.push(now, &r);
            }
        }
        for c in &mut self.subnets {
            c.invocations = 0;
            c.successes = 0;
            c.timeouts = 0;
            c.cold_starts = 0;
        }
    }
}

fn paths_of(sc: &Scenario, func: &Function, health: &NetworkHealth) -> Vec<PathOutcome> {
    let outcome = |answers: Vec<Reach>| {
        let mut failure = None;
        let mut latency = 0;
        let mut charges = Vec::new();
        for (i, r) in answers.iter().enumerate() {
            match r {
                Reach::Reachable { added_latency_us, charge, .. } => {
                    latency += added_latency_us;
                    charges.push((*charge, func.destinations[i].bytes_per_call));
                }
                Reach::Unreachable { code, reason, .. } => {
                    if failure.is_none() {
                        failure = Some((i as u32, *code, reason.clone()));
                    }
                }
            }
        }
        PathOutcome { failure, latency, charges }
    };
    match (&func.vpc, &sc.vpc) {
        (Some(fv), Some(vpc)) => fv
            .subnets
            .iter()
            .map(|&s| {
                outcome(func.destinations.iter().map(|d| reach(vpc, health, Some((fv, s)), d)).collect())
            })
            .collect(),
        _ => vec![outcome(func.destinations.iter().map(|d| reach_managed(sc.vpc.as_ref(), d)).collect())],
    }
}
