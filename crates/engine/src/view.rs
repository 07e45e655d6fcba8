//! View models for the web app and the widgets: what to draw, prepared from a [`Simulation`]
//! without any web dependency, so it is tested natively.
//!
//! - [`Frame`]: the figures and environment dots of one instant (captured once per animation
//!   frame).
//! - [`TopologyLayout`]: where the network boxes, functions, dot areas and throttle piles go, in
//!   pixels of the topology view. Without a VPC each function sits in a "Lambda-managed network"
//!   box; with one, [`VpcLayout`] places the AZ columns, public/private subnets (their dots),
//!   the internet gateway, NAT gateways, endpoints, resources and the destinations outside, and
//!   [`path_points`] turns a [`NetPath`]'s hops into a line across them.
//!
//! The charts are [`crate::chart`]'s.

use crate::network::{
    self, topology::DefaultTarget, Finding, FunctionNetView, Hop, Reach, ResourceKind, SubnetId, Target, Vpc,
};
use crate::scenario::{Compute, ScalingModel, Scenario};
pub use crate::sim::envs::NO_INSTANCE;
use crate::sim::{EnvState, Simulation, ThrottleCause};
use crate::time::{Micros, MICROS_PER_SEC};

mod route;
mod topo;
pub use route::route;
pub use topo::{blocks, fit, line, path_legs, path_points, text_w, Label};

// ---------------------------------------------------------------------------------------------
// Frame: the figures of one instant.

/// How an environment dot is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DotKind {
    /// Cold start: orange pulsing ring.
    Initializing,
    /// Serving a request: filled blue dot.
    Busy,
    /// Warm, waiting: hollow green dot.
    Idle,
}

impl From<EnvState> for DotKind {
    fn from(s: EnvState) -> Self {
        match s {
            EnvState::Initializing => DotKind::Initializing,
            EnvState::Busy => DotKind::Busy,
            EnvState::Idle => DotKind::Idle,
        }
    }
}

/// One live environment as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dot {
    pub serial: u32,
    pub function: u32,
    pub kind: DotKind,
    /// Provisioned concurrency: drawn as a square.
    pub provisioned: bool,
    pub subnet: Option<u32>,
    /// Requests it serves at once (1, or a multi-concurrency mode's per-environment maximum)
    /// and those in flight on it now (multi-concurrency modes).
    pub slots: u32,
    pub load: u32,
    /// Serial of its Managed Instances instance ([`NO_INSTANCE`] otherwise).
    pub instance: u32,
}

impl Dot {
    /// How full a multi-concurrency environment is (`load / slots`, 0 to 1); `None` for an
    /// environment that serves one request at a time (its kind says it all).
    pub fn fill(&self) -> Option<f64> {
        (self.slots > 1).then(|| (self.load as f64 / self.slots as f64).clamp(0.0, 1.0))
    }
}

/// One Managed Instances instance as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceFrame {
    pub serial: u32,
    pub function: u32,
    /// Its subnet (`SubnetId`) and AZ (`AzId`).
    pub subnet: Option<u32>,
    pub az: Option<u32>,
    /// Launched and ready to hold environments (else still launching).
    pub ready: bool,
    /// Environments on it now.
    pub envs: u32,
}

/// Live figures of one function.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionFrame {
    pub name: String,
    pub in_flight: u32,
    pub initializing: u32,
    pub busy: u32,
    pub idle: u32,
    pub reserved: Option<u32>,
    /// Requests (throttled ones included) in the last sample interval, per second.
    pub requests_per_s: f64,
    /// Throttles in the last sample interval, per second.
    pub throttled_per_s: f64,
    pub throttles: u64,
    pub throttles_by_cause: [u64; ThrottleCause::COUNT],
    pub requests: u64,
    pub invocations: u64,
    pub cold_starts: u64,
    pub errors: u64,
    pub timeouts: u64,
    /// Environments it could start right now (burst bucket or its scaling allowance).
    pub headroom: f64,
    /// Its compute mode ([`Compute::label`]); whether its environments serve several requests
    /// at once; whether its cold starts are SnapStart restores.
    pub compute: &'static str,
    pub multi: bool,
    pub snapstart: bool,
    /// Multi-concurrency modes: requests its ready environments can serve at once and those
    /// in flight on them, requests waiting for a slot (Web Functions), instances ready and
    /// launching (Managed Instances).
    pub capacity: u32,
    pub load: u32,
    pub queued: u32,
    pub instances: u32,
    pub instances_launching: u32,
    /// SnapStart restores so far.
    pub restores: u64,
    /// End-to-end latency so far in ms: p50, p99 and the maximum (`None` before a request
    /// completes).
    pub latency: Option<[f64; 3]>,
}

/// Everything the app shows of one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub now: Micros,
    pub horizon: Micros,
    pub concurrency: u32,
    pub limit: u32,
    pub environments: u32,
    /// Environments busy, initializing and idle (the account's, and the multi-concurrency
    /// functions' environments, which are outside its concurrency pool).
    pub busy: u32,
    pub initializing: u32,
    pub idle: u32,
    pub throttles: u64,
    pub cold_starts: u64,
    pub invocations: u64,
    pub requests: u64,
    /// Cost so far (compute and requests) at the last sample.
    pub cost_usd: f64,
    /// Legacy model: the burst bucket level.
    pub burst_tokens: Option<f64>,
    /// SnapStart restores so far (they are counted in `cold_starts` too).
    pub restores: u64,
    pub functions: Vec<FunctionFrame>,
    /// Managed Instances' instances, by subnet then serial.
    pub instances: Vec<InstanceFrame>,
    /// Live environments grouped by function (function order, then slot order).
    pub dots: Vec<Dot>,
    /// `dots[dot_start[f]..dot_start[f + 1]]` are function `f`'s.
    pub dot_start: Vec<usize>,
    /// Narrative entries at or before `now`.
    pub narrative_len: usize,
    /// Per subnet of the VPC (by `SubnetId`); empty without a VPC.
    pub subnets: Vec<SubnetFrame>,
    /// Live environments grouped by subnet: `subnet_dots[subnet_start[s]..subnet_start[s + 1]]`,
    /// each subnet's ordered by function and instance (those on no instance last), so an
    /// instance's environments are side by side.
    pub subnet_dots: Vec<Dot>,
    pub subnet_start: Vec<usize>,
    /// AZs that are down now (`AzId`s).
    pub azs_down: Vec<u32>,
    /// Every (function, subnet, destination) path as the network stands now.
    pub paths: Vec<NetPath>,
}

/// Live figures of one subnet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubnetFrame {
    pub environments: u32,
    pub busy: u32,
    pub idle: u32,
    pub initializing: u32,
    /// Totals since the start.
    pub invocations: u64,
    pub successes: u64,
    pub timeouts: u64,
    pub environments_created: u64,
    /// Timeouts in the last sample interval, per second.
    pub timeouts_per_s: f64,
}

/// The path of a function's calls from one of its subnets (or from Lambda-managed networking)
/// to one of its destinations.
#[derive(Debug, Clone, PartialEq)]
pub struct NetPath {
    pub function: u32,
    /// `SubnetId`; `None`: Lambda-managed networking.
    pub subnet: Option<u32>,
    /// Index in the function's destinations.
    pub dest: u32,
    pub dest_name: String,
    pub reach: Reach,
}

/// What a destination is called in hops (the label [`Hop::Destination`] carries).
pub fn destination_label(vpc: Option<&Vpc>, target: &Target, name: &str) -> String {
    match target {
        Target::Internet { host } => host.clone(),
        Target::AwsService { service } => format!("{service} (AWS)"),
        Target::Resource(r) => {
            vpc.and_then(|v| v.resource(*r)).map_or_else(|| name.to_string(), |r| r.name.clone())
        }
    }
}

/// Every path of every function to each destination, from each of its subnets.
pub fn net_paths(sim: &Simulation) -> Vec<NetPath> {
    let sc = sim.scenario();
    let Some(vpc) = &sc.vpc else { return vec![] };
    let health = &sim.state().net.health;
    let mut out = Vec::new();
    for (f, func) in sc.functions.iter().enumerate() {
        for (d, dest) in func.destinations.iter().enumerate() {
            let dest_name = destination_label(Some(vpc), &dest.target, &dest.name);
            match &func.vpc {
                Some(fv) => {
                    for &s in &fv.subnets {
                        out.push(NetPath {
                            function: f as u32,
                            subnet: Some(s.0),
                            dest: d as u32,
                            dest_name: dest_name.clone(),
                            reach: network::reach(vpc, health, Some((fv, s)), dest),
                        });
                    }
                }
                None => out.push(NetPath {
                    function: f as u32,
                    subnet: None,
                    dest: d as u32,
                    dest_name: dest_name.clone(),
                    reach: network::reach(vpc, health, None, dest),
                }),
            }
        }
    }
    out
}

/// The advisor's findings for the scenario's network.
pub fn findings(sc: &Scenario) -> Vec<Finding> {
    let views: Vec<FunctionNetView> = sc
        .functions
        .iter()
        .map(|f| FunctionNetView {
            name: &f.name,
            vpc: f.vpc.as_ref(),
            destinations: &f.destinations,
            calls_per_month: 0.0,
        })
        .collect();
    network::advise(sc.vpc.as_ref(), &views)
}

impl Frame {
    /// Reads the simulation's current state.
    pub fn capture(sim: &Simulation) -> Frame {
        let sc = sim.scenario();
        let st = sim.state();
        let now = st.now;
        let nf = sc.functions.len();
        let mut per_fn: Vec<Vec<Dot>> = vec![Vec::new(); nf];
        for (_, e) in st.envs.iter() {
            let f = e.function.0 as usize;
            if let Some(v) = per_fn.get_mut(f) {
                v.push(Dot {
                    serial: e.serial,
                    function: e.function.0,
                    kind: e.state.into(),
                    provisioned: e.provisioned,
                    subnet: e.subnet,
                    slots: e.slots,
                    load: e.load,
                    instance: e.instance,
                });
            }
        }
        let mut dot_start = Vec::with_capacity(nf + 1);
        let mut dots = Vec::with_capacity(st.envs.len() as usize);
        for v in per_fn {
            dot_start.push(dots.len());
            dots.extend(v);
        }
        dot_start.push(dots.len());
        let rec = sim.recorder();
        let ns = st.net.subnets.len();
        let mut subnets = vec![SubnetFrame::default(); ns];
        let mut subnet_dots = Vec::new();
        let mut subnet_start = Vec::with_capacity(ns + 1);
        if ns > 0 {
            let mut per_subnet: Vec<Vec<Dot>> = vec![Vec::new(); ns];
            for d in &dots {
                if let Some(v) = d.subnet.and_then(|s| per_subnet.get_mut(s as usize)) {
                    v.push(*d);
                }
            }
            for (i, mut v) in per_subnet.into_iter().enumerate() {
                if v.iter().any(|d| d.instance != NO_INSTANCE) {
                    crate::size::order::sort_by_key(&mut v, |d| {
                        (d.instance == NO_INSTANCE, d.function, d.instance)
                    });
                }
                let c = &st.net.subnets[i];
                let sf = &mut subnets[i];
                for d in &v {
                    match d.kind {
                        DotKind::Busy => sf.busy += 1,
                        DotKind::Idle => sf.idle += 1,
                        DotKind::Initializing => sf.initializing += 1,
                    }
                }
                sf.environments = v.len() as u32;
                sf.invocations = c.total_invocations;
                sf.successes = c.total_successes;
                sf.timeouts = c.total_timeouts;
                sf.environments_created = c.environments_created;
                let interval_s = sc.sample_interval as f64 / MICROS_PER_SEC as f64;
                sf.timeouts_per_s =
                    rec.subnets.get(i).and_then(|s| s.value_at("timeouts", now)).unwrap_or(0.0) as f64
                        / interval_s;
                subnet_start.push(subnet_dots.len());
                subnet_dots.extend(v);
            }
            subnet_start.push(subnet_dots.len());
        }
        let interval_s = sc.sample_interval as f64 / MICROS_PER_SEC as f64;
        let legacy = sc.account.model == ScalingModel::Legacy;
        let functions = sc
            .functions
            .iter()
            .zip(&st.functions)
            .enumerate()
            .map(|(i, (f, fs))| {
                let last =
                    |c: &str| rec.functions.get(i).and_then(|s| s.value_at(c, now)).unwrap_or(0.0) as f64;
                let m = fs.multi.as_ref();
                let capacity = dots[dot_start[i]..dot_start[i + 1]]
                    .iter()
                    .filter(|d| d.kind != DotKind::Initializing)
                    .map(|d| d.slots)
                    .sum::<u32>();
                let ready = m.map_or(0, |m| m.ready_instances(now));
                let h = &fs.totals.latency;
                // A multi-concurrency function's environments by state (its in-flight count is of
                // requests, several per environment).
                let mine = &dots[dot_start[i]..dot_start[i + 1]];
                let envs = |k: DotKind| mine.iter().filter(|d| d.kind == k).count() as u32;
                let multi = f.compute.is_multi();
                FunctionFrame {
                    name: f.name.clone(),
                    in_flight: fs.in_flight,
                    initializing: if multi { envs(DotKind::Initializing) } else { fs.initializing },
                    busy: if multi { envs(DotKind::Busy) } else { fs.in_flight - fs.initializing },
                    idle: if multi { envs(DotKind::Idle) } else { fs.idle.len() },
                    reserved: f.reserved,
                    requests_per_s: last("requests") / interval_s,
                    throttled_per_s: last("throttles") / interval_s,
                    throttles: fs.totals.throttles.iter().sum(),
                    throttles_by_cause: fs.totals.throttles,
                    requests: fs.totals.requests,
                    invocations: fs.totals.invocations,
                    cold_starts: fs.totals.cold_starts,
                    errors: fs.totals.errors,
                    timeouts: fs.totals.timeouts,
                    headroom: if legacy { sim.burst_tokens() } else { fs.scaling.level(now) },
                    compute: f.compute.label(),
                    multi: f.compute.is_multi(),
                    snapstart: matches!(f.compute, Compute::SnapStart(_)),
                    capacity: if f.compute.is_multi() { capacity } else { 0 },
                    load: if f.compute.is_multi() {
                        dots[dot_start[i]..dot_start[i + 1]].iter().map(|d| d.load).sum()
                    } else {
                        0
                    },
                    queued: m.map_or(0, |m| m.queue.len() as u32),
                    instances: ready,
                    instances_launching: m.map_or(0, |m| m.instances.len() as u32 - ready),
                    restores: fs.totals.restores,
                    latency: (h.count() > 0).then(|| {
                        [h.quantile(0.5) / 1000.0, h.quantile(0.99) / 1000.0, h.max() as f64 / 1000.0]
                    }),
                }
            })
            .collect::<Vec<FunctionFrame>>();
        let a = &st.account;
        let (mut busy, mut initializing, mut idle) = (a.in_flight - a.initializing, a.initializing, a.idle);
        for (ff, f) in functions.iter().zip(&sc.functions) {
            if f.compute.is_multi() {
                busy += ff.busy;
                initializing += ff.initializing;
                idle += ff.idle;
            }
        }
        let mut instances: Vec<InstanceFrame> = st
            .functions
            .iter()
            .enumerate()
            .filter_map(|(f, fs)| Some((f, fs.multi.as_ref()?)))
            .flat_map(|(f, m)| {
                m.instances.iter().map(move |i| InstanceFrame {
                    serial: i.serial,
                    function: f as u32,
                    subnet: i.subnet,
                    az: i.az,
                    ready: i.ready_at <= now,
                    envs: i.envs,
                })
            })
            .collect();
        crate::size::order::sort_by_key(&mut instances, |i| (i.subnet, i.function, i.serial));
        Frame {
            now,
            horizon: sim.horizon(),
            concurrency: a.in_flight,
            limit: sc.account.limit,
            environments: st.envs.len(),
            busy,
            initializing,
            idle,
            throttles: a.totals.throttles.iter().sum(),
            cold_starts: a.totals.cold_starts,
            invocations: a.totals.invocations,
            requests: a.totals.requests,
            cost_usd: rec.account.value_at("cost_usd", now).unwrap_or(0.0) as f64,
            burst_tokens: legacy.then(|| sim.burst_tokens()),
            restores: st.functions.iter().map(|fs| fs.totals.restores).sum(),
            functions,
            instances,
            dots,
            dot_start,
            narrative_len: sim.narrative_until_now().len(),
            subnets,
            subnet_dots,
            subnet_start,
            azs_down: st.net.health.azs_down.iter().map(|a| a.0).collect(),
            paths: net_paths(sim),
        }
    }

    /// The dots of the environments in subnet `s` (`SubnetId`).
    pub fn subnet_dots(&self, s: usize) -> &[Dot] {
        match (self.subnet_start.get(s), self.subnet_start.get(s + 1)) {
            (Some(&a), Some(&b)) => &self.subnet_dots[a..b],
            _ => &[],
        }
    }

    /// Environments of function `f` busy in subnet `s` now (calls in flight there).
    pub fn busy_in(&self, f: u32, s: Option<u32>) -> u32 {
        let dots = match s {
            Some(s) => self.subnet_dots(s as usize),
            None => self.function_dots(f as usize),
        };
        dots.iter().filter(|d| d.function == f && d.kind == DotKind::Busy).count() as u32
    }

    /// Function `f`'s dots.
    pub fn function_dots(&self, f: usize) -> &[Dot] {
        match (self.dot_start.get(f), self.dot_start.get(f + 1)) {
            (Some(&a), Some(&b)) => &self.dots[a..b],
            _ => &[],
        }
    }
}

/// Time between the checkpoints a simulation with default [`crate::sim::Options`] keeps
/// (checkpoints are at multiples of it). Mirrors `Simulation::with_seed`: the horizon over
/// 400 checkpoints, at least 10 s, rounded up to the sample interval. The app restores the
/// checkpoint at `t - t % interval` and replays the rest in bounded chunks.
pub fn checkpoint_interval(sc: &Scenario) -> Micros {
    let si = sc.sample_interval.max(1);
    let raw = (sc.horizon / 400).max(10 * MICROS_PER_SEC);
    raw.div_ceil(si) * si
}

/// What the inspector shows of one environment.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvInfo {
    pub serial: u32,
    pub function: u32,
    pub state: EnvState,
    pub created: Micros,
    pub since: Micros,
    pub invocations: u32,
    pub provisioned: bool,
    pub subnet: Option<u32>,
    /// When it will be reaped if it stays idle.
    pub reap_due: Option<Micros>,
    /// Requests it serves at once and those in flight now (multi-concurrency modes).
    pub slots: u32,
    pub load: u32,
    /// Its Managed Instances instance.
    pub instance: Option<InstanceFrame>,
}

/// The live environment numbered `serial`, if it still exists.
pub fn env_info(sim: &Simulation, serial: u32) -> Option<EnvInfo> {
    let st = sim.state();
    let instance = |f: usize, serial: u32| {
        let i = st.functions.get(f)?.multi.as_ref()?.instances.iter().find(|i| i.serial == serial)?;
        Some(InstanceFrame {
            serial,
            function: f as u32,
            subnet: i.subnet,
            az: i.az,
            ready: i.ready_at <= st.now,
            envs: i.envs,
        })
    };
    st.envs.iter().find(|(_, e)| e.serial == serial).map(|(_, e)| EnvInfo {
        serial: e.serial,
        function: e.function.0,
        state: e.state,
        created: e.created,
        since: e.since,
        invocations: e.invocations,
        provisioned: e.provisioned,
        subnet: e.subnet,
        reap_due: (e.state == EnvState::Idle && e.slots <= 1).then(|| e.reap_due()),
        slots: e.slots,
        load: e.load,
        instance: (e.instance != NO_INSTANCE).then(|| instance(e.function.0 as usize, e.instance)).flatten(),
    })
}

// ---------------------------------------------------------------------------------------------
// Topology layout.

/// An axis-aligned rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && y >= self.y && x < self.x + self.w && y < self.y + self.h
    }
    pub fn inset(&self, d: f64) -> Rect {
        Rect { x: self.x + d, y: self.y + d, w: (self.w - 2.0 * d).max(0.0), h: (self.h - 2.0 * d).max(0.0) }
    }
}

/// What a structural box of the topology stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    /// No VPC: the function runs in Lambda's own network.
    ManagedNetwork,
    Vpc,
    Az,
    PublicSubnet,
    PrivateSubnet,
}

/// A structural box (network, VPC, AZ, subnet) with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct NetBox {
    pub kind: BoxKind,
    pub label: String,
    pub rect: Rect,
    /// Its label as drawn.
    pub text: Label,
}

/// Where one function is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionNode {
    pub function: u32,
    pub name: String,
    /// The function's card (name, figures).
    pub card: Rect,
    /// Where its environment dots go.
    pub dots: Rect,
    /// The lane where its requests arrive (an arrow down at `pile.x`) and throttled ones pile
    /// up, from the clients bar down to the card.
    pub pile: Rect,
    /// Multi-concurrency modes: a row of the card under its figures for the slots in use, the
    /// instances and the requests waiting.
    pub row: Option<Rect>,
    /// Its name as drawn (shortened to leave room for its reserved concurrency).
    pub label: Label,
    /// Where its advice badge goes, when the advisor warns about it.
    pub badge: Option<Rect>,
    /// Everything of it: the arrival lane, the card, the badge.
    pub slot: Rect,
}

/// The topology view in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct TopologyLayout {
    pub width: f64,
    pub height: f64,
    /// The clients (request sources): a bar along the top.
    pub clients: Rect,
    pub boxes: Vec<NetBox>,
    pub functions: Vec<FunctionNode>,
    /// With a VPC: where its elements go.
    pub vpc: Option<VpcLayout>,
}

/// One AZ column of the VPC.
#[derive(Debug, Clone, PartialEq)]
pub struct AzNode {
    pub id: u32,
    pub name: String,
    pub rect: Rect,
    pub label: Label,
}

/// One subnet: its box, header (name, tag, routes), dot area and anchors for paths.
#[derive(Debug, Clone, PartialEq)]
pub struct SubnetNode {
    pub id: u32,
    pub name: String,
    pub az: u32,
    pub cidr: String,
    pub public: bool,
    pub rect: Rect,
    /// Where its environment dots go.
    pub dots: Rect,
    /// The default route, e.g. "0.0.0.0/0 → igw-1", "0.0.0.0/0 → nat-a", "0.0.0.0/0: no route".
    pub route: String,
    /// The route table's name.
    pub route_table: String,
    /// Gateway-endpoint routes, e.g. "s3 → gateway endpoint".
    pub gateway_routes: Vec<String>,
    /// Whether its default route goes to the internet gateway (the IGW route badge).
    pub igw_route: bool,
    /// Where its interface (ENI) hop and its route-table hop are drawn.
    pub eni: (f64, f64),
    pub exit: (f64, f64),
    pub name_label: Label,
    pub cidr_label: Label,
    /// The public/private tag.
    pub tag: Rect,
    pub igw_badge: Option<Rect>,
    pub route_label: Label,
    pub gw_labels: Vec<Label>,
    /// Where its figures go (`text` empty; the painter fits them in the subnet's width).
    pub figures: Label,
    /// Where its advice badge goes, when the advisor warns about it or its route table.
    pub badge: Option<Rect>,
}

/// What an element chip inside a subnet (or on the VPC edge) stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum ChipKind {
    Nat { id: u32 },
    Resource { id: u32, kind: ResourceKind },
    InterfaceEndpoint { id: u32 },
    GatewayEndpoint { service: String },
}

/// A small labelled box: a NAT gateway, a resource, an endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Chip {
    pub kind: ChipKind,
    pub label: String,
    /// The subnet it sits in (gateway endpoints: none).
    pub subnet: Option<u32>,
    pub rect: Rect,
    pub text: Label,
    /// Where its advice badge goes, when the advisor warns about it.
    pub badge: Option<Rect>,
}

/// A destination outside the VPC (internet host or AWS service).
#[derive(Debug, Clone, PartialEq)]
pub struct DestNode {
    /// As in [`Hop::Destination`].
    pub label: String,
    pub internet: bool,
    pub rect: Rect,
    pub kind_label: Label,
    pub name_label: Label,
}

/// The internet gateway, outside the VPC's border.
#[derive(Debug, Clone, PartialEq)]
pub struct IgwNode {
    pub name: String,
    pub attached: bool,
    pub rect: Rect,
    pub title: Label,
    pub name_label: Label,
    pub badge: Option<Rect>,
}

/// A line from a function card to one of its subnets.
#[derive(Debug, Clone, PartialEq)]
pub struct Attach {
    pub function: u32,
    pub subnet: u32,
    pub from: (f64, f64),
    pub to: (f64, f64),
    /// The orthogonal line from `from` to `to`.
    pub route: Vec<(f64, f64)>,
}

/// Where the VPC's elements go.
#[derive(Debug, Clone, PartialEq)]
pub struct VpcLayout {
    pub name: String,
    pub cidr: String,
    pub label: Label,
    pub cidr_label: Label,
    pub rect: Rect,
    pub azs: Vec<AzNode>,
    pub subnets: Vec<SubnetNode>,
    pub chips: Vec<Chip>,
    pub igw: Option<IgwNode>,
    /// Outside the VPC, on the right (or below): the internet and AWS services.
    pub outside: Rect,
    pub outside_label: Label,
    pub destinations: Vec<DestNode>,
    pub attachments: Vec<Attach>,
    /// The routed lines between the hops of every path of the healthy network.
    pub routes: Vec<Vec<(f64, f64)>>,
}

impl VpcLayout {
    pub fn subnet(&self, id: u32) -> Option<&SubnetNode> {
        self.subnets.iter().find(|s| s.id == id)
    }
}

/// Height of a function card's header (name and figures) above its dots.
pub const CARD_HEADER: f64 = 46.0;

/// Height of the lane above each row of functions where requests arrive (arrow, rate, pile).
pub const ARRIVAL_LANE: f64 = 44.0;

/// Height of the extra card row of a multi-concurrency function ([`FunctionNode::row`]).
pub const MULTI_ROW: f64 = 20.0;

/// The card row of a multi-concurrency function, under its header.
fn multi_row(sc: &Scenario, f: usize, card: Rect) -> Option<Rect> {
    sc.functions[f].compute.is_multi().then(|| Rect {
        x: card.x + 6.0,
        y: card.y + CARD_HEADER - 4.0,
        w: (card.w - 12.0).max(0.0),
        h: MULTI_ROW,
    })
}

/// A function card's name, beside room for its "reserved N" badge.
fn card_label(f: &crate::scenario::Function, card: Rect) -> Label {
    let reserved = f.reserved.map_or(0.0, |r| text_w(&format!("  reserved {r}"), 13.0, true));
    Label::new(&f.name, card.x + 10.0, card.y + 19.0, 15.0, true, card.w - 20.0 - reserved)
}

/// Lays the scenario out in a `width` x `height` view: the clients as a bar along the top,
/// requests coming down into each function's box (through an arrival lane where throttled
/// requests pile up), one box per function in up to four columns.
/// In a VPC, each element the advisor warns about ([`findings`]) gets room for its badge.
pub fn layout_topology(sc: &Scenario, width: f64, height: f64) -> TopologyLayout {
    match &sc.vpc {
        Some(_) => layout_topology_with(sc, width, height, &findings(sc)),
        None => layout_topology_with(sc, width, height, &[]),
    }
}

/// [`layout_topology`] with room for the badges of `findings` only (the widget shows none, and
/// so carries no advisor).
pub fn layout_topology_with(sc: &Scenario, width: f64, height: f64, findings: &[Finding]) -> TopologyLayout {
    let width = width.max(240.0);
    let height = height.max(160.0);
    if let Some(vpc) = &sc.vpc {
        return topo::layout_vpc(sc, vpc, width, height, findings);
    }
    let n = sc.functions.len().max(1);
    let cols = if width < 560.0 {
        1
    } else if width < 900.0 {
        n.min(2)
    } else {
        n.min(4)
    };
    let rows = n.div_ceil(cols);
    let clients = Rect { x: 8.0, y: 6.0, w: width - 16.0, h: 26.0 };
    let gap = 10.0;
    let top = clients.y + clients.h;
    let area = Rect { x: 8.0, y: top, w: width - 16.0, h: (height - top - 6.0).max(60.0) };
    let box_w = (area.w - gap * (cols as f64 - 1.0)) / cols as f64;
    let row_h = (area.h - gap * (rows as f64 - 1.0)) / rows as f64;
    let mut boxes = Vec::with_capacity(n);
    let mut functions = Vec::with_capacity(n);
    for (i, f) in sc.functions.iter().enumerate() {
        let (c, r) = (i % cols, i / cols);
        let lane_y = area.y + r as f64 * (row_h + gap);
        let rect = Rect {
            x: area.x + c as f64 * (box_w + gap),
            y: lane_y + ARRIVAL_LANE,
            w: box_w,
            h: (row_h - ARRIVAL_LANE).max(40.0),
        };
        let text =
            Label::new("Lambda-managed network", rect.x + 40.0, rect.y + 16.0, 13.0, false, rect.w - 46.0);
        boxes.push(NetBox {
            kind: BoxKind::ManagedNetwork,
            label: "Lambda-managed network".into(),
            rect,
            text,
        });
        let card = Rect { x: rect.x + 6.0, y: rect.y + 22.0, w: rect.w - 12.0, h: (rect.h - 28.0).max(20.0) };
        let row = multi_row(sc, i, card);
        let extra = row.map_or(0.0, |r| r.h);
        let dots = Rect {
            x: card.x + 6.0,
            y: card.y + CARD_HEADER + extra,
            w: (card.w - 12.0).max(1.0),
            h: (card.h - CARD_HEADER - extra - 6.0).max(1.0),
        };
        // The arrival lane: requests come down at the card's left third; the pile sits beside.
        let pile = Rect { x: rect.x + 24.0, y: lane_y, w: (rect.w - 30.0).max(0.0), h: ARRIVAL_LANE + 22.0 };
        let label = card_label(f, card);
        let slot = Rect { x: rect.x, y: lane_y, w: rect.w, h: rect.y + rect.h - lane_y };
        functions.push(FunctionNode {
            function: i as u32,
            name: f.name.clone(),
            card,
            dots,
            pile,
            row,
            label,
            badge: None,
            slot,
        });
    }
    TopologyLayout { width, height, clients, boxes, functions, vpc: None }
}

fn center(r: &Rect) -> (f64, f64) {
    (r.x + r.w / 2.0, r.y + r.h / 2.0)
}

/// An area of the view holding environment dots: its rectangle, its dots and the grid they are
/// drawn in (painters and hit tests use the same grid, through [`DotArea::shown`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DotArea<'a> {
    pub rect: Rect,
    pub dots: &'a [Dot],
    pub grid: Grid,
    /// Environments each dot stands for: 1, or where one dot each would be smaller than
    /// [`MIN_DOT_CELL`], a round number (2, 5, 10, 20, 50...).
    pub per: u32,
}

/// The looks of single-request environments, in the order an aggregate area draws them.
const LOOKS: [(DotKind, bool); 6] = [
    (DotKind::Busy, true),
    (DotKind::Busy, false),
    (DotKind::Initializing, true),
    (DotKind::Initializing, false),
    (DotKind::Idle, true),
    (DotKind::Idle, false),
];

/// Smallest cell a dot is drawn in: below it, each dot stands for several environments.
pub const MIN_DOT_CELL: f64 = 3.0;

impl<'a> DotArea<'a> {
    /// The dots to draw, in grid order: each environment's, or where a dot stands for `per`,
    /// one for every `per` environments of each look (busy, initializing, idle; provisioned
    /// first), grouped by look so that the picture reads as proportions (a look's last dot
    /// stands for what is left of it). Each dot is the first environment it stands for (a
    /// click on it selects that one).
    pub fn shown(&self) -> std::borrow::Cow<'a, [Dot]> {
        if self.per <= 1 {
            return std::borrow::Cow::Borrowed(self.dots);
        }
        let mut out = Vec::with_capacity(self.dots.len() / self.per as usize + LOOKS.len());
        for look in LOOKS {
            let of_look = self.dots.iter().filter(|d| (d.kind, d.provisioned) == look);
            out.extend(of_look.step_by(self.per as usize).copied());
        }
        std::borrow::Cow::Owned(out)
    }
}

/// A Managed Instances instance drawn as a box inside its subnet, holding its environments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstanceBox {
    pub serial: u32,
    pub function: u32,
    pub subnet: u32,
    pub rect: Rect,
    /// Where its environments' dots go (under its label when the box has room for one).
    pub inner: Rect,
    /// Whether the box has room for its label.
    pub labelled: bool,
    pub ready: bool,
    pub envs: u32,
}

/// Gap between instance boxes, in pixels.
pub const INSTANCE_GAP: f64 = 4.0;
/// Height of an instance box's label row.
pub const INSTANCE_LABEL: f64 = 13.0;
/// Largest dot cell of multi-concurrency environments: larger than per-request ones (there are
/// few and each shows how full it is).
pub const MULTI_CELL: f64 = 30.0;

/// Each area of the view holding environment dots, with its dots: function cards without a
/// VPC, subnets with one; in a subnet with Managed Instances, each instance's box (its
/// environments) and the rest of the subnet's dots under them.
pub fn dot_areas<'a>(layout: &TopologyLayout, frame: &'a Frame) -> Vec<DotArea<'a>> {
    place(layout, frame).0
}

/// The Managed Instances instances' boxes, in their subnets.
pub fn instance_boxes(layout: &TopologyLayout, frame: &Frame) -> Vec<InstanceBox> {
    place(layout, frame).1
}

/// The dot areas and the instance boxes (see [`dot_areas`]).
fn place<'a>(layout: &TopologyLayout, frame: &'a Frame) -> (Vec<DotArea<'a>>, Vec<InstanceBox>) {
    let mut out = Vec::new();
    let mut boxes = Vec::new();
    let area = |rect: Rect, dots: &'a [Dot]| {
        if dots.iter().any(|d| d.slots > 1) {
            return DotArea { rect, dots, grid: multi_grid(rect, dots.len()), per: 1 };
        }
        let (grid, per) = dot_grid_per(rect, dots.len());
        DotArea { rect, dots, grid, per }
    };
    for node in &layout.functions {
        if node.dots.w > 0.0 {
            out.push(area(node.dots, frame.function_dots(node.function as usize)));
        }
    }
    if let Some(v) = &layout.vpc {
        for s in &v.subnets {
            let dots = frame.subnet_dots(s.id as usize);
            let here: Vec<&InstanceFrame> =
                frame.instances.iter().filter(|i| i.subnet == Some(s.id)).collect();
            if here.is_empty() {
                out.push(area(s.dots, dots));
                continue;
            }
            // Dots are ordered by instance, those on none last.
            let on_none = dots.iter().position(|d| d.instance == NO_INSTANCE).unwrap_or(dots.len());
            let (region, rest) = if on_none < dots.len() {
                let top = (s.dots.h * 0.6).floor();
                let r = Rect { h: top - INSTANCE_GAP, ..s.dots };
                (r, Some(Rect { y: s.dots.y + top, h: s.dots.h - top, ..s.dots }))
            } else {
                (s.dots, None)
            };
            let rects = box_grid(region, here.len());
            let mut from = 0;
            for (inst, rect) in here.iter().zip(rects) {
                let key = (inst.function, inst.serial);
                from += dots[from..on_none].iter().take_while(|d| (d.function, d.instance) < key).count();
                let n = dots[from..on_none].iter().take_while(|d| (d.function, d.instance) == key).count();
                let mine = &dots[from..from + n];
                from += n;
                let labelled = rect.h >= 34.0 && rect.w >= 40.0;
                let inner = Rect {
                    x: rect.x + 2.0,
                    y: rect.y + if labelled { INSTANCE_LABEL } else { 2.0 },
                    w: (rect.w - 4.0).max(1.0),
                    h: (rect.h - if labelled { INSTANCE_LABEL + 2.0 } else { 4.0 }).max(1.0),
                };
                boxes.push(InstanceBox {
                    serial: inst.serial,
                    function: inst.function,
                    subnet: s.id,
                    rect,
                    inner,
                    labelled,
                    ready: inst.ready,
                    envs: inst.envs,
                });
                // An instance holds few environments: a grid for as many as it has (at least 4),
                // so that their dots are as large as the box allows.
                let cap = mine.len().max(4);
                out.push(DotArea { rect: inner, dots: mine, grid: fit_grid(inner, cap, MULTI_CELL), per: 1 });
            }
            if let Some(r) = rest {
                out.push(area(r, &dots[on_none..]));
            }
        }
    }
    (out, boxes)
}

/// `n` boxes in a grid filling `area` (with [`INSTANCE_GAP`] between them), as square as they
/// can be; in rows, left to right.
pub fn box_grid(area: Rect, n: usize) -> Vec<Rect> {
    if n == 0 {
        return Vec::new();
    }
    let size = |cols: usize| {
        let rows = n.div_ceil(cols);
        let w = (area.w - INSTANCE_GAP * (cols as f64 - 1.0)) / cols as f64;
        let h = (area.h - INSTANCE_GAP * (rows as f64 - 1.0)) / rows as f64;
        (w.max(1.0), h.max(1.0))
    };
    // The most columns whose boxes stay at least as tall as wide, capped at 1.6 wide per tall:
    // try each and keep the one whose smaller side is largest.
    let mut best = (1, 0.0);
    for cols in 1..=n {
        let (w, h) = size(cols);
        let score = w.min(h * 1.6);
        if score > best.1 {
            best = (cols, score);
        }
    }
    let cols = best.0;
    let (w, h) = size(cols);
    (0..n)
        .map(|i| Rect {
            x: area.x + (i % cols) as f64 * (w + INSTANCE_GAP),
            y: area.y + (i / cols) as f64 * (h + INSTANCE_GAP),
            w,
            h,
        })
        .collect()
}

/// A square grid of dots filling an area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    pub x0: f64,
    pub y0: f64,
    pub cols: usize,
    /// Cell size in pixels (a dot's diameter is about 70% of it).
    pub cell: f64,
}

/// Grid capacity for `n` dots: steps by 2x so dots do not resize on every new environment.
pub fn grid_capacity(n: usize) -> usize {
    n.max(16).next_power_of_two()
}

/// The grid for `n` dots in `area`: cells as large as fit its capacity (1 to 18 px).
pub fn dot_grid(area: Rect, n: usize) -> Grid {
    fit_grid(area, grid_capacity(n), 18.0)
}

/// The grid for `n` single-request environments in `area` and how many each dot stands for:
/// one each while their cells are at least [`MIN_DOT_CELL`], else the smallest round number
/// whose dots fit cells of at least 4 px (a solid band of 1 px dots shows nothing). Both step
/// with the grid's capacity, so the picture does not change scale on every new environment.
pub fn dot_grid_per(area: Rect, n: usize) -> (Grid, u32) {
    const PER: [u32; 13] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];
    let cap = grid_capacity(n);
    let mut grid = fit_grid(area, cap, 18.0);
    if grid.cell >= MIN_DOT_CELL {
        return (grid, 1);
    }
    for per in &PER[1..] {
        // Each look's last dot may stand for fewer: room for one more of each.
        grid = fit_grid(area, cap.div_ceil(*per as usize) + LOOKS.len(), 18.0);
        if grid.cell >= 4.0 {
            return (grid, *per);
        }
    }
    (grid, PER[PER.len() - 1])
}

/// The grid for `n` multi-concurrency environments: a capacity in steps of 2x from 8, cells up
/// to [`MULTI_CELL`].
pub fn multi_grid(area: Rect, n: usize) -> Grid {
    fit_grid(area, n.max(8).next_power_of_two(), MULTI_CELL)
}

/// A grid of cells as large as fit `cap` dots in `area` (1 to `max_cell` px).
pub fn fit_grid(area: Rect, cap: usize, max_cell: f64) -> Grid {
    let cap = cap.max(1);
    let fits = |cell: f64| ((area.w / cell).floor() * (area.h / cell).floor()) as usize >= cap;
    // The square-root estimate ignores edge losses: shrink until the capacity fits.
    let mut cell = (area.w * area.h / cap as f64).sqrt().floor().clamp(1.0, max_cell.max(1.0));
    while cell > 1.0 && !fits(cell) {
        cell -= 1.0;
    }
    let cols = ((area.w / cell).floor() as usize).max(1);
    Grid { x0: area.x, y0: area.y, cols, cell }
}

impl Grid {
    /// Centre of dot `i`.
    pub fn center(&self, i: usize) -> (f64, f64) {
        let (c, r) = (i % self.cols, i / self.cols);
        (self.x0 + (c as f64 + 0.5) * self.cell, self.y0 + (r as f64 + 0.5) * self.cell)
    }
    /// Index of the cell at a point (it may hold no dot).
    pub fn index_at(&self, x: f64, y: f64) -> Option<usize> {
        if x < self.x0 || y < self.y0 {
            return None;
        }
        let c = ((x - self.x0) / self.cell) as usize;
        let r = ((y - self.y0) / self.cell) as usize;
        (c < self.cols).then_some(r * self.cols + c)
    }
}

/// What is under a point of the topology view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Env { serial: u32 },
    Function { id: u32 },
    Subnet { id: u32 },
    Nat { id: u32 },
}

/// Finds the environment dot (or else the NAT gateway, subnet or function card) at a point.
pub fn hit_test(layout: &TopologyLayout, frame: &Frame, x: f64, y: f64) -> Option<Hit> {
    for a in dot_areas(layout, frame) {
        if a.rect.contains(x, y) {
            if let Some(d) = a.grid.index_at(x, y).and_then(|i| a.shown().get(i).copied()) {
                return Some(Hit::Env { serial: d.serial });
            }
        }
    }
    for node in &layout.functions {
        if node.card.contains(x, y) {
            return Some(Hit::Function { id: node.function });
        }
    }
    if let Some(v) = &layout.vpc {
        for c in &v.chips {
            if let (ChipKind::Nat { id }, true) = (&c.kind, c.rect.contains(x, y)) {
                return Some(Hit::Nat { id: *id });
            }
        }
        for s in &v.subnets {
            if s.rect.contains(x, y) {
                return Some(Hit::Subnet { id: s.id });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSpec;
    use crate::sim::Options;

    fn seed_sim() -> Simulation {
        let text = include_str!("../../../tests/scenarios/seed-burst-5000.json");
        let sc = ScenarioSpec::parse_and_validate(text).unwrap();
        let seed = sc.spec.seed;
        Simulation::with_seed(sc, seed, Options { checkpoints: true, ..Default::default() })
    }

    #[test]
    fn frame_counts_match_the_engine() {
        let mut sim = seed_sim();
        sim.seek(30 * MICROS_PER_SEC);
        let f = Frame::capture(&sim);
        assert_eq!(f.dots.len() as u32, f.environments);
        assert_eq!(f.concurrency, sim.state().account.in_flight);
        let busy = f.dots.iter().filter(|d| d.kind != DotKind::Idle).count() as u32;
        assert_eq!(busy, f.concurrency);
        assert_eq!(f.function_dots(0).len(), f.dots.len());
        assert!(f.function_dots(1).is_empty());
        assert_eq!(f.functions[0].busy + f.functions[0].initializing, f.functions[0].in_flight);
        assert!(f.throttles > 0, "seed-burst-5000 throttles in its first 30 s");
        assert!(f.burst_tokens.is_some());
    }

    #[test]
    fn frame_after_step_back_and_forward_is_the_same() {
        let mut sim = seed_sim();
        sim.seek(95 * MICROS_PER_SEC);
        let a = Frame::capture(&sim);
        sim.seek(94 * MICROS_PER_SEC);
        sim.seek(95 * MICROS_PER_SEC);
        assert_eq!(Frame::capture(&sim), a);
    }

    #[test]
    fn grid_fits_its_capacity_and_hits_round_trip() {
        let area = Rect { x: 10.0, y: 20.0, w: 300.0, h: 200.0 };
        for n in [0, 1, 15, 17, 100, 3000, 5000] {
            let g = dot_grid(area, n);
            let rows = (area.h / g.cell).floor() as usize;
            assert!(g.cols * rows >= n, "n={n} cell={}", g.cell);
            if n > 0 {
                let (x, y) = g.center(n - 1);
                assert!(area.contains(x, y), "n={n}");
                assert_eq!(g.index_at(x, y), Some(n - 1));
            }
        }
        assert_eq!(dot_grid(area, 20).cell, dot_grid(area, 30).cell, "no resize within a step");
    }

    #[test]
    fn too_many_environments_for_their_area_are_drawn_as_dots_of_several_in_proportion() {
        let dot = |serial: u32, kind: DotKind, provisioned: bool| Dot {
            serial,
            function: 0,
            kind,
            provisioned,
            subnet: None,
            slots: 1,
            load: 0,
            instance: NO_INSTANCE,
        };
        // 12,000 environments, their looks interleaved: 7,000 busy, 3,001 idle, 1,500
        // initializing and 499 provisioned busy.
        let looks = [
            (DotKind::Busy, false, 7_000),
            (DotKind::Idle, false, 3_001),
            (DotKind::Initializing, false, 1_500),
            (DotKind::Busy, true, 499),
        ];
        let (mut dots, mut left) = (Vec::new(), looks.map(|l| l.2));
        for i in 0..12_000u32 {
            let k = (0..4).map(|j| (i as usize + j) % 4).find(|&k| left[k] > 0).unwrap();
            left[k] -= 1;
            dots.push(dot(i, looks[k].0, looks[k].1));
        }
        let area = Rect { x: 0.0, y: 0.0, w: 240.0, h: 120.0 };
        assert!(dot_grid(area, dots.len()).cell < MIN_DOT_CELL, "one dot each would be a solid band");
        let (grid, per) = dot_grid_per(area, dots.len());
        assert!(per > 1 && grid.cell >= 4.0, "{per} per dot in cells of {}", grid.cell);
        let a = DotArea { rect: area, dots: &dots, grid, per };
        let shown = a.shown();
        // Each look gets one dot per `per` of its environments (its last for what is left),
        // grouped by look, in the grid and inside the area.
        for (kind, provisioned, n) in looks {
            let of = shown.iter().filter(|d| (d.kind, d.provisioned) == (kind, provisioned)).count();
            assert_eq!(of, (n as usize).div_ceil(per as usize), "{kind:?} {provisioned}");
        }
        let runs = shown
            .windows(2)
            .filter(|w| (w[0].kind, w[0].provisioned) != (w[1].kind, w[1].provisioned))
            .count();
        assert_eq!(runs, looks.len() - 1, "each look's dots together");
        let (x, y) = grid.center(shown.len() - 1);
        assert!(area.contains(x, y));
        // A click on a dot selects the first environment it stands for.
        let (x, y) = grid.center(3);
        assert_eq!(grid.index_at(x, y).and_then(|i| shown.get(i)).map(|d| d.serial), Some(shown[3].serial));
        // Few environments: one dot each.
        assert_eq!(dot_grid_per(area, 500).1, 1);
        assert_eq!(
            DotArea { rect: area, dots: &dots[..500], grid: dot_grid(area, 500), per: 1 }.shown().len(),
            500
        );
    }

    #[test]
    fn topology_has_a_managed_network_box_per_function_and_hits_dots() {
        let text = include_str!("../../../tests/scenarios/reserved-protects-critical.json");
        let sc = ScenarioSpec::parse_and_validate(text).unwrap();
        let seed = sc.spec.seed;
        let mut sim = Simulation::with_seed(sc, seed, Options::default());
        sim.seek(90 * MICROS_PER_SEC);
        let frame = Frame::capture(&sim);
        let l = layout_topology(sim.scenario(), 1000.0, 400.0);
        assert_eq!(l.boxes.len(), 3);
        assert!(l.boxes.iter().all(|b| b.kind == BoxKind::ManagedNetwork));
        for (a, b) in l.functions.iter().zip(l.functions.iter().skip(1)) {
            assert!(a.card.x + a.card.w <= b.card.x, "cards do not overlap");
        }
        let node = &l.functions[1];
        let dots = frame.function_dots(1);
        assert!(!dots.is_empty());
        let g = dot_grid(node.dots, dots.len());
        let (x, y) = g.center(0);
        assert_eq!(hit_test(&l, &frame, x, y), Some(Hit::Env { serial: dots[0].serial }));
        assert_eq!(hit_test(&l, &frame, node.card.x + 4.0, node.card.y + 4.0), Some(Hit::Function { id: 1 }));
        assert_eq!(hit_test(&l, &frame, 1.0, 1.0), None);
        let narrow = layout_topology(sim.scenario(), 360.0, 600.0);
        assert!(narrow.functions.iter().all(|f| f.card.x + f.card.w <= 360.0));
        assert!(env_info(&sim, dots[0].serial).is_some());
    }

    #[test]
    fn vpc_layout_places_subnets_paths_and_per_subnet_figures_match_the_summary() {
        let text = include_str!("../../../tests/scenarios/seed-mixed-subnets.json");
        let sc = ScenarioSpec::parse_and_validate(text).unwrap();
        let seed = sc.spec.seed;
        let mut sim = Simulation::with_seed(sc, seed, Options { checkpoints: true, ..Default::default() });
        sim.run();
        let f = Frame::capture(&sim);
        let sum = sim.summary();
        let vpc = sim.scenario().vpc.as_ref().unwrap();
        for (i, sf) in f.subnets.iter().enumerate() {
            let name = vpc.subnet_name(SubnetId(i as u32));
            assert_eq!(Some(&sf.timeouts), sum.timeouts_by_subnet.get(name), "{name}");
        }
        let l = layout_topology(sim.scenario(), 1000.0, 420.0);
        let v = l.vpc.as_ref().unwrap();
        assert_eq!(v.azs.len(), 2);
        assert_eq!(v.subnets.len(), 3);
        assert!(v.subnets.iter().all(|s| v.rect.contains(s.rect.x, s.rect.y)));
        let pb = v.subnets.iter().find(|s| s.name == "public-b").unwrap();
        assert!(pb.public && pb.igw_route && pb.route.contains("igw-1"));
        assert!(v.igw.is_some());
        assert!(v.chips.iter().any(|c| matches!(c.kind, ChipKind::Nat { .. })));
        assert_eq!(v.destinations.len(), 1);
        // The public subnet's path is cut at the internet gateway, the private one's reaches the API.
        let bad = f.paths.iter().find(|p| p.subnet == Some(pb.id)).unwrap();
        let (pts, failed) = path_points(&l, bad);
        assert!(failed && pts.len() >= 2);
        let igw = v.igw.as_ref().unwrap().rect;
        assert!(igw.inset(-1.0).contains(pts.last().unwrap().0, pts.last().unwrap().1));
        let good = f.paths.iter().find(|p| p.subnet != Some(pb.id)).unwrap();
        let (pts, failed) = path_points(&l, good);
        assert!(!failed && pts.len() >= 4, "{pts:?}");
        // Dots in subnets are hit.
        let areas = dot_areas(&l, &f);
        assert_eq!(areas.len(), 3);
        let finds = findings(sim.scenario());
        for x in &finds {
            eprintln!("{:?} {} {:?}", x.severity, x.title, x.elements);
        }
        assert!(!finds.is_empty());
    }
}
