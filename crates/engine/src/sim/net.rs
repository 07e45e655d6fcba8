//! The network side of the simulation: where new environments land (subnets), what their
//! calls reach from there (a path table per function and subnet, recomputed only when the
//! topology's health or the scenario changes, with its hot part in a flat [`Route`] table),
//! per-subnet and per-AZ counters, AZ outages, ENI readiness, the Hyperplane ENIs (a group per
//! subnet and security-group set, shared by the functions using it: one ENI to begin with, one
//! more whenever its connections would pass `eni_connection_limit` per ENI, as long as the VPC's
//! `eni_quota` allows) and the bytes billed by NAT gateways and endpoints.

use super::metrics::Series;
use super::narrative::{fmt_count, Entry, EntryKind, Ref, Severity, QUIET};
use crate::network::topology::MAX_FUNCTION_SUBNETS;
use crate::network::{
    reach, reach_managed, EniKey, NetworkHealth, PathCharge, Reach, SubnetId, TrafficTotals, UnreachableCode,
    Vpc,
};
use crate::scenario::{Function, Placement, Scenario};
use crate::time::{Clock, Micros};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Columns of each subnet's (and AZ's) series. `eni_connections` is the most connections its
/// busiest group of Hyperplane ENIs (one security-group set) carried at once during the interval
/// (per AZ: the busiest of its subnets'); `enis` the Hyperplane ENIs in the subnet (per AZ: in
/// its subnets) at the sample.
pub const SUBNET_COLUMNS: &[&str] =
    &["environments", "invocations", "successes", "timeouts", "cold_starts", "eni_connections", "enis"];

/// Lines about ENIs added to a group are told at most this often (the others are summed).
const ENI_TELL_EVERY: Micros = 60 * crate::time::MICROS_PER_SEC;

/// Environments outside a VPC use no Hyperplane ENI.
pub const NO_ENI: u32 = u32::MAX;

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

/// The part of a [`PathOutcome`] every invocation needs, in one flat table indexed by
/// function and subnet position ([`route_index`]): no nested lookups on the hot path.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub latency: Micros,
    pub failure: Option<UnreachableCode>,
    /// The Hyperplane ENI (index into [`NetState::enis`]) of a new environment there.
    pub eni: u32,
    /// Successful invocations since the last flush (turned into bytes per billable element
    /// when the paths change or the cost is read).
    pub(crate) calls: u64,
}

impl Default for Route {
    fn default() -> Self {
        Route { latency: 0, failure: None, eni: NO_ENI, calls: 0 }
    }
}

/// Position of function `f`'s `k`-th subnet in [`NetState::routes`].
#[inline]
pub fn route_index(f: usize, k: u32) -> usize {
    f * MAX_FUNCTION_SUBNETS + k as usize
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

/// The Hyperplane ENIs of one (subnet, security-group set), shared by every function with that
/// combination: each carries at most the VPC's `eni_connection_limit` connections, and Lambda
/// adds one when the group's connections would pass that many per ENI, within the VPC's
/// `eni_quota` (ENIs are never removed during a run: AWS documents no scale-in).
#[derive(Debug, Clone)]
pub struct EniState {
    /// Its subnet (subnet ids are stable over changes: they only add subnets).
    pub subnet: SubnetId,
    /// Names of its security groups, sorted (names, not ids: a change may reorder them).
    pub security_groups: Vec<String>,
    /// `private-a+lambda`, as in the summary.
    pub name: String,
    /// Connections open now on the group's ENIs (held by the invocations in flight on them).
    pub connections: u32,
    /// Most connections open at once since the last sample.
    pub interval_peak: u32,
    /// Most connections open at once before the last sample.
    pub peak: u32,
    /// The group's ENIs, by the time each is (or was) ready, in order of creation
    /// (non-decreasing); empty while the VPC's quota left none for it.
    pub ready_at: Vec<Micros>,
    /// Invocations that could not open their connections (the group could not grow), since
    /// the start.
    pub refused: u64,
    /// The episode of refusals being told: since when, last one, how many.
    episode: Option<(Micros, Micros, u64)>,
    /// ENIs added and not yet told, and when the last line about additions was told.
    added_untold: (u32, Option<Micros>),
}

impl EniState {
    /// Most connections open at once since the start.
    pub fn max_connections(&self) -> u32 {
        self.peak.max(self.interval_peak)
    }
    /// Hyperplane ENIs in the group (the most it ever had: ENIs are not removed).
    pub fn count(&self) -> u32 {
        self.ready_at.len() as u32
    }
}

/// "1 ENI", "2 ENIs".
fn enis_text(n: u32) -> String {
    if n == 1 {
        "1 ENI".to_string()
    } else {
        format!("{} ENIs", fmt_count(n as u64))
    }
}

/// An ENI's identity in one version of the VPC: its subnet and its security groups' names.
fn eni_ident(vpc: &Vpc, key: &EniKey) -> (SubnetId, Vec<String>) {
    let mut sgs: Vec<String> = key.sgs.iter().map(|g| vpc.sg_name(*g).to_string()).collect();
    crate::size::order::sort(&mut sgs);
    (key.subnet, sgs)
}

/// One function's placements as the narrative tells them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Placements {
    /// Start of the current minute, and the placement lines told in it.
    pub window: (Micros, u32),
    /// Placement lines told since the last sample (those cold starts need no other line).
    pub told: u64,
    /// Environments placed since the last sample in subnets whose calls fail (functions with
    /// working and failing subnets only).
    pub failing: u64,
}

/// Network state of a run (checkpointed with the rest).
#[derive(Debug, Clone, Default)]
pub struct NetState {
    pub health: NetworkHealth,
    /// `paths[f][k]`: outcome from the function's k-th subnet (k = 0 without a VPC).
    pub paths: Vec<Vec<PathOutcome>>,
    /// The hot part of `paths`, flat (see [`route_index`]); unused places stay default.
    pub routes: Vec<Route>,
    pub subnets: Vec<SubnetCounters>,
    /// Every Hyperplane ENI any version of the scenario uses (ids stay stable over changes).
    pub enis: Vec<EniState>,
    /// Connections per ENI, the VPC's quota of network interfaces, those used by other
    /// services, and the time to add an ENI, in the scenario version in force.
    pub eni_limit: u32,
    pub eni_quota: u32,
    pub other_enis: u32,
    pub eni_scale_out: Micros,
    /// Time the ENIs are ready (0 = ready from the start).
    pub eni_ready_at: Micros,
    pub unreachable: BTreeMap<UnreachableCode, u64>,
    /// Bytes billed so far, per NAT gateway / endpoint (up to the last flush).
    traffic: TrafficTotals,
    /// Round-robin cursor per function.
    rr: Vec<u32>,
    /// (function, subnet) pairs already explained in the narrative for this health state.
    pub(crate) narrated: std::collections::BTreeSet<(u32, u32)>,
    /// Per function: what the narrative told of its placements (see `narrate_placement`).
    pub(crate) placements: Vec<Placements>,
    /// Per function: some of its subnets' calls work and some fail (with the paths in force).
    pub(crate) mixed: Vec<bool>,
}

/// Name of an unreachable code as in the summary (`igw_no_public_ip`).
pub fn code_name(code: UnreachableCode) -> String {
    serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl NetState {
    /// Network state for `sc` (the scenario as written, with its changes), with counters for
    /// every subnet and ENI any version of it has.
    pub fn new(sc: &Scenario) -> Self {
        let mut s = NetState {
            eni_ready_at: sc.eni_creation.unwrap_or(0),
            rr: vec![0; sc.functions.len()],
            placements: vec![Placements::default(); sc.functions.len()],
            ..Default::default()
        };
        s.grow(sc);
        s.recompute(sc);
        s
    }

    /// Recomputes every path (at the start, whenever an AZ goes down or comes back, and when
    /// the scenario changes).
    pub fn recompute(&mut self, sc: &Scenario) {
        self.flush();
        self.paths = sc.functions.iter().map(|f| paths_of(sc, f, &self.health)).collect();
        self.mixed = self
            .paths
            .iter()
            .map(|p| p.iter().any(|x| x.failure.is_some()) && p.iter().any(|x| x.failure.is_none()))
            .collect();
        let eni_of: BTreeMap<(SubnetId, &[String]), u32> = crate::size::order::map_of(
            self.enis.iter().enumerate().map(|(i, e)| ((e.subnet, e.security_groups.as_slice()), i as u32)),
        );
        self.routes = vec![Route::default(); sc.functions.len() * MAX_FUNCTION_SUBNETS];
        for (f, (func, paths)) in sc.functions.iter().zip(&self.paths).enumerate() {
            for (k, p) in paths.iter().enumerate().take(MAX_FUNCTION_SUBNETS) {
                let eni = match (&sc.vpc, &func.vpc, Self::subnet_id(func, k as u32)) {
                    (Some(vpc), Some(fv), Some(s)) => {
                        let (subnet, sgs) = eni_ident(vpc, &fv.eni_key(s));
                        eni_of.get(&(subnet, sgs.as_slice())).copied().unwrap_or(NO_ENI)
                    }
                    _ => NO_ENI,
                };
                self.routes[route_index(f, k as u32)] =
                    Route { latency: p.latency, failure: p.failure.as_ref().map(|x| x.1), eni, calls: 0 };
            }
        }
        self.eni_limit = sc.vpc.as_ref().map_or(u32::MAX, |v| v.eni_connection_limit);
        self.eni_quota = sc.vpc.as_ref().map_or(u32::MAX, |v| v.eni_quota);
        self.other_enis = sc.vpc.as_ref().map_or(0, |v| v.other_enis);
        self.eni_scale_out = sc.vpc.as_ref().map_or(0, |v| v.eni_scale_out);
        // Every group the version in force uses has its first ENI (Lambda creates it with the
        // function's VPC configuration), quota permitting; groups keep the ENIs they have.
        let in_force: std::collections::BTreeSet<u32> =
            crate::size::order::set_of(self.routes.iter().map(|r| r.eni).filter(|&e| e != NO_ENI));
        for i in in_force {
            if self.enis.get(i as usize).is_some_and(|e| e.ready_at.is_empty()) && self.eni_room() > 0 {
                self.enis[i as usize].ready_at.push(0);
            }
        }
        self.narrated.clear();
    }

    /// Hyperplane ENIs of every group.
    pub fn enis_in_use(&self) -> u32 {
        self.enis.iter().map(EniState::count).sum()
    }

    /// Network interfaces the VPC's quota still allows.
    fn eni_room(&self) -> u32 {
        self.eni_quota.saturating_sub(self.other_enis).saturating_sub(self.enis_in_use())
    }

    /// An invocation of `f` on group `eni` opens its `need` connections, its handler starting at
    /// `handler_at`: the group grows by as many ENIs as its connections need (told in the
    /// narrative), and the answer is how long the handler waits for an ENI being added; `None`
    /// when the VPC's quota leaves no room for the ENIs needed (then it holds nothing).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn connect(
        &mut self,
        sc: &Scenario,
        f: usize,
        eni: u32,
        need: u32,
        now: Micros,
        handler_at: Micros,
        told: &mut Vec<Entry>,
    ) -> Option<Micros> {
        let limit = u64::from(self.eni_limit.max(1));
        let e = self.enis.get(eni as usize)?;
        let after = u64::from(e.connections) + u64::from(need);
        let needed = if after <= limit { 1 } else { after.div_ceil(limit) };
        let have = u64::from(e.count());
        let mut added = 0;
        if needed > have {
            let add = needed - have;
            if add > u64::from(self.eni_room()) {
                return None;
            }
            let ready = now.saturating_add(self.eni_scale_out);
            let e = &mut self.enis[eni as usize];
            for _ in 0..add {
                let at = ready.max(e.ready_at.last().copied().unwrap_or(0));
                e.ready_at.push(at);
            }
            added = add as u32;
        }
        let e = &mut self.enis[eni as usize];
        e.connections = after.min(u64::from(u32::MAX)) as u32;
        e.interval_peak = e.interval_peak.max(e.connections);
        let wait =
            e.ready_at.get(needed.max(1) as usize - 1).copied().unwrap_or(0).saturating_sub(handler_at);
        if added > 0 {
            let due = e.added_untold.1.is_none_or(|t| now.saturating_sub(t) >= ENI_TELL_EVERY);
            if due {
                if e.added_untold.0 > 0 {
                    told.push(self.added_line(sc, None, eni as usize, now));
                }
                self.enis[eni as usize].added_untold.0 = added;
                told.push(self.added_line(sc, Some((f, need)), eni as usize, now));
            } else {
                e.added_untold.0 += added;
            }
        }
        Some(wait)
    }

    /// The line telling the ENIs added to group `i` and not told yet: by the invocation of
    /// function `f` opening its connections, or (`None`) summed since the last such line.
    fn added_line(&mut self, sc: &Scenario, f: Option<(usize, u32)>, i: usize, now: Micros) -> Entry {
        let (limit, quota, other, scale_out) =
            (self.eni_limit, self.eni_quota, self.other_enis, self.eni_scale_out);
        let in_use = self.enis_in_use() + other;
        let e = &mut self.enis[i];
        let (n, last) = e.added_untold;
        e.added_untold = (0, Some(now));
        let count = e.count();
        let sgs = e.security_groups.join(" + ");
        let subnet = sc.vpc.as_ref().map_or("", |v| v.subnet_name(e.subnet));
        let what = if n == 1 { "an ENI".to_string() } else { format!("{} ENIs", fmt_count(n as u64)) };
        let others = if other > 0 {
            format!(", {} of them used by other services", fmt_count(other as u64))
        } else {
            String::new()
        };
        let state = format!(
            "{} in the group now; {} of the VPC's quota of {} network interfaces in use{others}",
            fmt_count(count as u64),
            fmt_count(in_use as u64),
            fmt_count(quota as u64),
        );
        let mut refs = vec![Ref::Subnet { id: e.subnet.0 }];
        let text = match f {
            Some((f, need)) => {
                refs.insert(0, Ref::Function { id: f as u32 });
                let wait = if scale_out > 0 {
                    format!("; its calls wait {} for the new ENI", crate::time::format_duration(scale_out))
                } else {
                    String::new()
                };
                format!(
                    "{}: opening {} takes the Hyperplane ENIs for subnet {subnet} + {sgs} to {} connections, more than its {} can carry ({} each): Lambda adds {what} ({state}){wait}",
                    sc.functions[f].name,
                    if need == 1 { "a connection".to_string() } else { format!("{} connections", fmt_count(need as u64)) },
                    fmt_count(e.connections as u64),
                    enis_text(count - n),
                    fmt_count(limit as u64),
                )
            }
            None => format!(
                "the Hyperplane ENIs for subnet {subnet} + {sgs}: Lambda added {what} more{} as their connections grew past {} per ENI ({state})",
                last.map_or(String::new(), |t| format!(" since {}", Clock(t))),
                fmt_count(limit as u64),
            ),
        };
        Entry { time: now, kind: EntryKind::Network, severity: Severity::Info, text, refs }
    }

    /// Adds the bytes of the calls counted since the last flush to `t`.
    fn add_counted(&self, t: &mut TrafficTotals) {
        for (f, paths) in self.paths.iter().enumerate() {
            for (k, p) in paths.iter().enumerate().take(MAX_FUNCTION_SUBNETS) {
                let n = self.routes.get(route_index(f, k as u32)).map_or(0, |r| r.calls);
                if n > 0 {
                    for &(charge, bytes) in &p.charges {
                        t.add(charge, bytes.saturating_mul(n));
                    }
                }
            }
        }
    }

    /// Turns the counted calls into bytes per billable element.
    fn flush(&mut self) {
        let mut t = std::mem::take(&mut self.traffic);
        self.add_counted(&mut t);
        self.traffic = t;
        for r in &mut self.routes {
            r.calls = 0;
        }
    }

    /// Bytes billed so far, per element.
    pub fn traffic(&self) -> TrafficTotals {
        let mut t = self.traffic.clone();
        self.add_counted(&mut t);
        t
    }

    /// Makes room for the subnets and ENIs of every version of `sc` (a change or a live edit
    /// may add some; existing ones keep their ids).
    pub fn grow(&mut self, sc: &Scenario) {
        let subnets = super::epochs::widest(sc).vpc.as_ref().map_or(0, |v| v.subnets().count());
        if self.subnets.len() < subnets {
            self.subnets.resize(subnets, SubnetCounters::default());
        }
        let mut new: BTreeMap<(SubnetId, Vec<String>), String> = BTreeMap::new();
        for v in std::iter::once(sc).chain(sc.epochs.iter().map(|e| &*e.scenario)) {
            let Some(vpc) = &v.vpc else { continue };
            for fv in v.functions.iter().filter_map(|f| f.vpc.as_ref()) {
                for key in fv.eni_keys() {
                    let (subnet, sgs) = eni_ident(vpc, &key);
                    if self.enis.iter().any(|e| e.subnet == subnet && e.security_groups == sgs) {
                        continue;
                    }
                    let mut name = vpc.subnet_name(subnet).to_string();
                    for g in &sgs {
                        name.push('+');
                        name.push_str(g);
                    }
                    new.insert((subnet, sgs), name);
                }
            }
        }
        self.enis.extend(new.into_iter().map(|((subnet, security_groups), name)| EniState {
            subnet,
            security_groups,
            name,
            connections: 0,
            interval_peak: 0,
            peak: 0,
            ready_at: Vec::new(),
            refused: 0,
            episode: None,
            added_untold: (0, None),
        }));
    }

    /// Invocation of `f` on an environment of ENI group `eni` refused its connections (the group
    /// needed another ENI and the VPC's quota had no room): counted, and told when it begins an
    /// episode.
    pub(crate) fn refuse(
        &mut self,
        sc: &Scenario,
        f: usize,
        eni: u32,
        serial: u32,
        now: Micros,
    ) -> Option<Entry> {
        let (limit, quota, other) = (self.eni_limit, self.eni_quota, self.other_enis);
        let in_use = self.enis_in_use();
        let e = self.enis.get_mut(eni as usize)?;
        e.refused += 1;
        if let Some((_, last, n)) = &mut e.episode {
            *last = now;
            *n += 1;
            return None;
        }
        e.episode = Some((now, now, 1));
        let func = &sc.functions[f];
        let need = func.connections_per_invocation;
        let sgs = e.security_groups.join(" + ");
        let subnet = sc.vpc.as_ref().map_or("", |v| v.subnet_name(e.subnet));
        Some(Entry {
            time: now,
            kind: EntryKind::Network,
            severity: Severity::Error,
            text: format!(
                "{}: env #{serial} cannot open its {}: the Hyperplane ENIs for subnet {subnet} + {sgs} (shared by every function on that subnet and security groups) carry {} connections on {} ({} each), and Lambda cannot add another: the VPC is at its quota of {} network interfaces ({} Lambda's, {} other services'); its calls hang until the {} timeout",
                func.name,
                if need == 1 { "connection".to_string() } else { format!("{} connections", fmt_count(need as u64)) },
                fmt_count(e.connections as u64),
                enis_text(e.count()),
                fmt_count(limit as u64),
                fmt_count(quota as u64),
                fmt_count(in_use as u64),
                fmt_count(other as u64),
                crate::time::format_duration(func.timeout),
            ),
            refs: vec![Ref::Function { id: f as u32 }, Ref::Env { serial }, Ref::Subnet { id: e.subnet.0 }],
        })
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
                crate::size::order::sort_by_key(&mut order, |&k| {
                    (vpc.subnet_az(fv.subnets[k as usize]).map(|a| a.0), k)
                });
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

    /// Per-subnet series rows and the per-AZ sums, then resets the interval counters; tells
    /// when an ENI that refused connections has been quiet for a while.
    pub(crate) fn sample(
        &mut self,
        sc: &Scenario,
        now: Micros,
        subnets: &mut [Series],
        azs: &mut [Series],
        record: bool,
        narrative: &mut Vec<Entry>,
    ) {
        let Some(vpc) = &sc.vpc else { return };
        const ENI_COL: usize = 5;
        if record {
            let mut eni_peak = vec![0u32; self.subnets.len()];
            let mut eni_count = vec![0u32; self.subnets.len()];
            for e in &self.enis {
                if let Some(p) = eni_peak.get_mut(e.subnet.0 as usize) {
                    *p = (*p).max(e.interval_peak);
                }
                if let Some(n) = eni_count.get_mut(e.subnet.0 as usize) {
                    *n += e.count();
                }
            }
            let mut az_rows = vec![[0f32; SUBNET_COLUMNS.len()]; azs.len()];
            for (i, c) in self.subnets.iter().enumerate() {
                let row = [
                    c.environments as f32,
                    c.invocations as f32,
                    c.successes as f32,
                    c.timeouts as f32,
                    c.cold_starts as f32,
                    eni_peak[i] as f32,
                    eni_count[i] as f32,
                ];
                if let Some(s) = subnets.get_mut(i) {
                    s.push(now, &row);
                }
                if let Some(az) = vpc.subnet_az(SubnetId(i as u32)) {
                    if let Some(r) = az_rows.get_mut(az.0 as usize) {
                        for (j, (a, b)) in r.iter_mut().zip(row).enumerate() {
                            if j == ENI_COL {
                                *a = a.max(b);
                            } else {
                                *a += b;
                            }
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
        let mut told = Vec::new();
        // ENIs added and not told for a minute: told, summed.
        for i in 0..self.enis.len() {
            let (n, last) = self.enis[i].added_untold;
            if n > 0 && last.is_none_or(|t| now.saturating_sub(t) >= ENI_TELL_EVERY) {
                told.push(self.added_line(sc, None, i, now));
            }
        }
        for e in &mut self.enis {
            e.peak = e.peak.max(e.interval_peak);
            e.interval_peak = e.connections;
            if let Some((since, last, n)) = e.episode {
                if now.saturating_sub(last) >= QUIET {
                    e.episode = None;
                    let name = &e.name;
                    told.push(Entry {
                        time: now,
                        kind: EntryKind::Network,
                        severity: Severity::Info,
                        text: format!(
                            "Hyperplane ENIs {name}: no invocation refused a connection since {} ({} connections in use now on {}); {} could not connect from {} on",
                            Clock(last),
                            fmt_count(e.connections as u64),
                            enis_text(e.count()),
                            fmt_count(n),
                            Clock(since),
                        ),
                        refs: vec![Ref::Subnet { id: e.subnet.0 }],
                    });
                }
            }
        }
        // In name order, whatever order the ENIs were added in (a live edit appends).
        crate::size::order::sort_by(&mut told, |a, b| a.text.cmp(&b.text));
        narrative.extend(told);
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
