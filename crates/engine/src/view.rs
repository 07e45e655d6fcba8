//! View models for the web app and the widgets: what to draw, prepared from a [`Simulation`]
//! without any web dependency, so it is tested natively.
//!
//! - [`Frame`]: the figures and environment dots of one instant (captured once per animation
//!   frame).
//! - [`TopologyLayout`]: where the network boxes, functions, dot areas and throttle piles go, in
//!   pixels of the topology view. Without a VPC each function sits in a "Lambda-managed network"
//!   box; VPC layouts (AZ columns, public/private subnets, IGW, NAT, endpoints) slot in as more
//!   [`BoxKind`]s once the scenario format carries a `vpc`.
//! - [`ChartData`]: decimated, stacked, labelled series and limit lines for each chart, and
//!   [`readout`] for the values under the mouse.

use crate::scenario::{ScalingModel, Scenario};
use crate::sim::{EnvState, Simulation, ThrottleReason};
use crate::time::{Micros, MICROS_PER_SEC};

/// Okabe-Ito hues by name; the app maps them to its light or dark theme colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hue {
    Blue,
    SkyBlue,
    Green,
    Orange,
    Vermillion,
    Purple,
    Yellow,
    /// Text colour: black on light, the limit-line yellow on dark.
    Ink,
}

/// Hues given to functions in order (vermillion stays for throttles).
pub const FUNCTION_HUES: [Hue; 6] =
    [Hue::Blue, Hue::SkyBlue, Hue::Green, Hue::Purple, Hue::Orange, Hue::Yellow];

/// The hue of function `i`.
pub fn function_hue(i: usize) -> Hue {
    FUNCTION_HUES[i % FUNCTION_HUES.len()]
}

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
    pub throttles_by_reason: [u64; ThrottleReason::COUNT],
    pub requests: u64,
    pub invocations: u64,
    pub cold_starts: u64,
    pub errors: u64,
    pub timeouts: u64,
    /// Environments it could start right now (burst bucket or its scaling allowance).
    pub headroom: f64,
}

/// Everything the app shows of one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub now: Micros,
    pub horizon: Micros,
    pub concurrency: u32,
    pub limit: u32,
    pub environments: u32,
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
    pub functions: Vec<FunctionFrame>,
    /// Live environments grouped by function (function order, then slot order).
    pub dots: Vec<Dot>,
    /// `dots[dot_start[f]..dot_start[f + 1]]` are function `f`'s.
    pub dot_start: Vec<usize>,
    /// Narrative entries at or before `now`.
    pub narrative_len: usize,
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
                FunctionFrame {
                    name: f.name.clone(),
                    in_flight: fs.in_flight,
                    initializing: fs.initializing,
                    busy: fs.in_flight - fs.initializing,
                    idle: fs.idle.len(),
                    reserved: f.reserved,
                    requests_per_s: last("requests") / interval_s,
                    throttled_per_s: last("throttles") / interval_s,
                    throttles: fs.totals.throttles.iter().sum(),
                    throttles_by_reason: fs.totals.throttles,
                    requests: fs.totals.requests,
                    invocations: fs.totals.invocations,
                    cold_starts: fs.totals.cold_starts,
                    errors: fs.totals.errors,
                    timeouts: fs.totals.timeouts,
                    headroom: if legacy { sim.burst_tokens() } else { fs.scaling.level(now) },
                }
            })
            .collect();
        let a = &st.account;
        Frame {
            now,
            horizon: sim.horizon(),
            concurrency: a.in_flight,
            limit: sc.account.limit,
            environments: st.envs.len(),
            initializing: a.initializing,
            idle: a.idle,
            throttles: a.totals.throttles.iter().sum(),
            cold_starts: a.totals.cold_starts,
            invocations: a.totals.invocations,
            requests: a.totals.requests,
            cost_usd: rec.account.value_at("cost_usd", now).unwrap_or(0.0) as f64,
            burst_tokens: legacy.then(|| sim.burst_tokens()),
            functions,
            dots,
            dot_start,
            narrative_len: sim.narrative_until_now().len(),
        }
    }

    /// Function `f`'s dots.
    pub fn function_dots(&self, f: usize) -> &[Dot] {
        match (self.dot_start.get(f), self.dot_start.get(f + 1)) {
            (Some(&a), Some(&b)) => &self.dots[a..b],
            _ => &[],
        }
    }
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
}

/// The live environment numbered `serial`, if it still exists.
pub fn env_info(sim: &Simulation, serial: u32) -> Option<EnvInfo> {
    sim.state().envs.iter().find(|(_, e)| e.serial == serial).map(|(_, e)| EnvInfo {
        serial: e.serial,
        function: e.function.0,
        state: e.state,
        created: e.created,
        since: e.since,
        invocations: e.invocations,
        provisioned: e.provisioned,
        subnet: e.subnet,
        reap_due: (e.state == EnvState::Idle).then(|| e.reap_due()),
    })
}

/// A short chart label for a throttle reason (the readout and inspector give Lambda's name).
pub fn throttle_short_label(r: ThrottleReason) -> &'static str {
    match r {
        ThrottleReason::ConcurrentInvocationLimitExceeded => "account limit",
        ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded => "reserved limit",
        ThrottleReason::FunctionInvocationRateLimitExceeded => "account req/s",
        ThrottleReason::ReservedFunctionInvocationRateLimitExceeded => "reserved req/s",
        ThrottleReason::ScalingRateLimitExceeded => "scaling rate",
    }
}

/// Plain-words explanation of a throttle reason, with Lambda's own name.
pub fn throttle_explanation(r: ThrottleReason) -> &'static str {
    match r {
        ThrottleReason::ConcurrentInvocationLimitExceeded => {
            "the account's unreserved concurrency was all in use: raise the account limit (Service Quotas) or reserve concurrency for the function that matters"
        }
        ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded => {
            "the function's reserved concurrency was all in use: it is both its guarantee and its maximum"
        }
        ThrottleReason::FunctionInvocationRateLimitExceeded => {
            "more than 10 requests per second per unit of the account limit arrived in one second"
        }
        ThrottleReason::ReservedFunctionInvocationRateLimitExceeded => {
            "more than 10 requests per second per unit of reserved concurrency arrived in one second"
        }
        ThrottleReason::ScalingRateLimitExceeded => {
            "no warm environment was free and Lambda could not start another yet (burst bucket empty, or the function's 1,000-per-10 s scaling rate used up)"
        }
    }
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
}

/// Height of a function card's header (name and figures) above its dots.
pub const CARD_HEADER: f64 = 46.0;

/// Height of the lane above each row of functions where requests arrive (arrow, rate, pile).
pub const ARRIVAL_LANE: f64 = 44.0;

/// Lays the scenario out in a `width` x `height` view: the clients as a bar along the top,
/// requests coming down into each function's box (through an arrival lane where throttled
/// requests pile up), one box per function in up to four columns.
pub fn layout_topology(sc: &Scenario, width: f64, height: f64) -> TopologyLayout {
    let width = width.max(240.0);
    let height = height.max(160.0);
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
        boxes.push(NetBox { kind: BoxKind::ManagedNetwork, label: "Lambda-managed network".into(), rect });
        let card = Rect { x: rect.x + 6.0, y: rect.y + 22.0, w: rect.w - 12.0, h: (rect.h - 28.0).max(20.0) };
        let dots = Rect {
            x: card.x + 6.0,
            y: card.y + CARD_HEADER,
            w: (card.w - 12.0).max(1.0),
            h: (card.h - CARD_HEADER - 6.0).max(1.0),
        };
        // The arrival lane: requests come down at the card's left third; the pile sits beside.
        let pile = Rect { x: rect.x + 24.0, y: lane_y, w: (rect.w - 30.0).max(0.0), h: ARRIVAL_LANE + 22.0 };
        functions.push(FunctionNode { function: i as u32, name: f.name.clone(), card, dots, pile });
    }
    TopologyLayout { width, height, clients, boxes, functions }
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
    let cap = grid_capacity(n);
    let fits = |cell: f64| ((area.w / cell).floor() * (area.h / cell).floor()) as usize >= cap;
    // The square-root estimate ignores edge losses: shrink until the capacity fits.
    let mut cell = (area.w * area.h / cap as f64).sqrt().floor().clamp(1.0, 18.0);
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
}

/// Finds the environment dot (or else the function card) at a point.
pub fn hit_test(layout: &TopologyLayout, frame: &Frame, x: f64, y: f64) -> Option<Hit> {
    for node in &layout.functions {
        let dots = frame.function_dots(node.function as usize);
        if node.dots.contains(x, y) {
            let grid = dot_grid(node.dots, dots.len());
            if let Some(d) = grid.index_at(x, y).and_then(|i| dots.get(i)) {
                return Some(Hit::Env { serial: d.serial });
            }
        }
        if node.card.contains(x, y) {
            return Some(Hit::Function { id: node.function });
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Charts.

/// The charts the app draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Concurrency,
    Throttles,
    ColdStarts,
    Cost,
}

impl ChartKind {
    pub const ALL: [ChartKind; 4] =
        [ChartKind::Concurrency, ChartKind::Throttles, ChartKind::ColdStarts, ChartKind::Cost];
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    Solid,
    Dashed,
    /// A filled area from 0 (stacked areas carry cumulative values).
    Area,
}

/// One series, as `(seconds, value)` points.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub hue: Hue,
    pub style: LineStyle,
    pub points: Vec<(f64, f64)>,
    /// For stacked areas: the layer's own values (for the readout), same length as `points`.
    pub own: Option<Vec<f64>>,
}

/// A horizontal limit drawn as a labelled dashed line.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    pub label: String,
    pub value: f64,
    pub hue: Hue,
    /// Matches narrative `Ref::Limit` names: `account`, `reserved`, `burst`, `scaling_rate`.
    pub id: &'static str,
}

/// Everything one chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub kind: ChartKind,
    pub title: String,
    /// Unit of the y axis, e.g. "concurrent executions".
    pub unit: String,
    /// The x axis spans the whole scenario, in seconds.
    pub x_max: f64,
    pub y_max: f64,
    /// Current time in seconds (the cursor).
    pub now: f64,
    /// Drawn first, in order (stacked areas: the top layer first).
    pub areas: Vec<Line>,
    pub lines: Vec<Line>,
    pub limits: Vec<Limit>,
}

/// Decimates rows `0..upto` of a column to at most `max_points` points, keeping each bucket's
/// maximum (spikes stay visible) at the bucket's last time.
pub fn decimate(
    times: &[Micros],
    value: impl Fn(usize) -> f64,
    upto: usize,
    max_points: usize,
) -> Vec<(f64, f64)> {
    let upto = upto.min(times.len());
    let max_points = max_points.max(2);
    let per = upto.div_ceil(max_points).max(1);
    let mut out = Vec::with_capacity(upto / per + 1);
    let mut i = 0;
    while i < upto {
        let end = (i + per).min(upto);
        let mut m = f64::NEG_INFINITY;
        for r in i..end {
            let v = value(r);
            if v.is_finite() && v > m {
                m = v;
            }
        }
        if m.is_finite() {
            out.push((times[end - 1] as f64 / MICROS_PER_SEC as f64, m));
        }
        i = end;
    }
    out
}

fn col_at(s: &crate::sim::Series, name: &str, r: usize) -> f64 {
    s.column(name).and_then(|c| c.get(r)).map_or(0.0, |v| *v as f64)
}

fn max_of(lines: &[Line]) -> f64 {
    lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max)
}

/// A y-axis top with a little room above the highest value.
fn nice_top(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let v = v * 1.08;
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * mag >= v {
            return m * mag;
        }
    }
    10.0 * mag
}

/// Prepares one chart from the samples recorded up to the simulation's current time.
pub fn chart(sim: &Simulation, kind: ChartKind, max_points: usize) -> ChartData {
    let sc = sim.scenario();
    let rec = sim.recorder();
    let now = sim.now();
    let acct = &rec.account;
    let upto = acct.times.partition_point(|&t| t <= now);
    let secs = |t: Micros| t as f64 / MICROS_PER_SEC as f64;
    let per_s = MICROS_PER_SEC as f64 / sc.sample_interval as f64;
    let mut d = ChartData {
        kind,
        title: String::new(),
        unit: String::new(),
        x_max: secs(sc.horizon),
        y_max: 1.0,
        now: secs(now),
        areas: vec![],
        lines: vec![],
        limits: vec![],
    };
    match kind {
        ChartKind::Concurrency => {
            d.title = "Concurrency per function vs limits".into();
            d.unit = "concurrent executions".into();
            // Stacked: layer k holds functions 0..=k; drawn top layer first.
            let nf = rec.functions.len();
            let cum = |k: usize, r: usize| {
                (0..=k).map(|f| col_at(&rec.functions[f], "concurrency", r)).sum::<f64>()
            };
            for k in (0..nf).rev() {
                let points = decimate(&acct.times, |r| cum(k, r), upto, max_points);
                let own =
                    decimate(&acct.times, |r| col_at(&rec.functions[k], "concurrency", r), upto, max_points)
                        .into_iter()
                        .map(|p| p.1)
                        .collect();
                d.areas.push(Line {
                    label: sc.functions[k].name.clone(),
                    hue: function_hue(k),
                    style: LineStyle::Area,
                    points,
                    own: Some(own),
                });
            }
            // Scaling ceiling: what the account could reach right now (concurrency + headroom),
            // capped at the account limit.
            let legacy = sc.account.model == ScalingModel::Legacy;
            let limit = sc.account.limit as f64;
            let ceiling = decimate(
                &acct.times,
                |r| {
                    let c = col_at(acct, "concurrency", r);
                    let h = if legacy {
                        col_at(acct, "burst_tokens", r)
                    } else {
                        rec.functions.iter().map(|s| col_at(s, "scaling_headroom", r)).sum()
                    };
                    (c + h).min(limit)
                },
                upto,
                max_points,
            );
            let peak = max_of(&d.areas);
            d.lines.push(Line {
                label: if legacy { "burst ceiling".into() } else { "scaling ceiling".into() },
                hue: Hue::Orange,
                style: LineStyle::Dashed,
                points: ceiling,
                own: None,
            });
            d.limits.push(Limit {
                label: format!("account limit {}", crate::sim::narrative::fmt_count(sc.account.limit as u64)),
                value: limit,
                hue: Hue::Ink,
                id: "account",
            });
            for f in &sc.functions {
                if let Some(r) = f.reserved {
                    d.limits.push(Limit {
                        label: format!("{} reserved {}", f.name, crate::sim::narrative::fmt_count(r as u64)),
                        value: r as f64,
                        hue: Hue::Purple,
                        id: "reserved",
                    });
                }
            }
            let mut top = peak.max(1.0);
            if limit <= 4.0 * top {
                top = top.max(limit);
            }
            for l in &d.limits {
                if l.value <= 4.0 * peak.max(1.0) {
                    top = top.max(l.value);
                }
            }
            d.y_max = nice_top(top);
        }
        ChartKind::Throttles => {
            d.title = "Throttled requests by reason (429)".into();
            d.unit = "per second".into();
            let hues = [Hue::Vermillion, Hue::Purple, Hue::Orange, Hue::Yellow, Hue::SkyBlue];
            for (r, hue) in ThrottleReason::ALL.into_iter().zip(hues) {
                let Some(c) = acct.column(r.column()) else { continue };
                if c[..upto].iter().all(|v| *v == 0.0) {
                    continue;
                }
                let points = decimate(&acct.times, |i| c[i] as f64 * per_s, upto, max_points);
                d.lines.push(Line {
                    label: throttle_short_label(r).into(),
                    hue,
                    style: LineStyle::Solid,
                    points,
                    own: None,
                });
            }
            d.y_max = nice_top(max_of(&d.lines));
        }
        ChartKind::ColdStarts => {
            d.title = "Cold starts".into();
            d.unit = "per second".into();
            for (k, s) in rec.functions.iter().enumerate() {
                let points = decimate(&s.times, |r| col_at(s, "cold_starts", r) * per_s, upto, max_points);
                d.lines.push(Line {
                    label: sc.functions[k].name.clone(),
                    hue: function_hue(k),
                    style: LineStyle::Solid,
                    points,
                    own: None,
                });
            }
            d.y_max = nice_top(max_of(&d.lines));
        }
        ChartKind::Cost => {
            d.title = "Cost so far".into();
            d.unit = "USD".into();
            let points = decimate(&acct.times, |r| col_at(acct, "cost_usd", r), upto, max_points);
            d.lines.push(Line {
                label: "total".into(),
                hue: Hue::Blue,
                style: LineStyle::Solid,
                points,
                own: None,
            });
            d.y_max = nice_top(max_of(&d.lines));
        }
    }
    d
}

/// The values of each series at time `t` (seconds): the last point at or before it.
pub fn readout(d: &ChartData, t: f64) -> Vec<(String, Hue, f64)> {
    let at = |l: &Line| -> Option<(usize, f64)> {
        let i = l.points.partition_point(|p| p.0 <= t).checked_sub(1)?;
        Some((i, l.points[i].1))
    };
    let mut out = Vec::new();
    for l in d.areas.iter().rev() {
        if let Some((i, v)) = at(l) {
            let v = l.own.as_ref().and_then(|o| o.get(i).copied()).unwrap_or(v);
            out.push((l.label.clone(), l.hue, v));
        }
    }
    for l in &d.lines {
        if let Some((_, v)) = at(l) {
            out.push((l.label.clone(), l.hue, v));
        }
    }
    out
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
        assert!(f.throttles > 0, "the seed throttles in its first 30 s");
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
    fn concurrency_chart_matches_the_series_and_has_limits() {
        let mut sim = seed_sim();
        sim.seek(120 * MICROS_PER_SEC);
        let d = chart(&sim, ChartKind::Concurrency, 50);
        assert_eq!(d.areas.len(), 1);
        assert!(d.areas[0].points.len() <= 50);
        let last = d.areas[0].points.last().unwrap();
        assert!((last.0 - 120.0).abs() < 3.0);
        let at = sim.recorder().account.value_at("concurrency", 120 * MICROS_PER_SEC).unwrap() as f64;
        assert!(last.1 >= at - 1.0);
        assert_eq!(d.limits[0].id, "account");
        assert_eq!(d.limits[0].value, 5000.0);
        assert!(d.y_max >= 5000.0, "the account limit is in view");
        assert_eq!(d.x_max, 360.0);
        let r = readout(&d, 60.0);
        assert_eq!(r[0].0, "product-api");
        assert!(r[0].2 > 3000.0);
    }

    #[test]
    fn throttle_chart_names_reasons_that_happened() {
        let mut sim = seed_sim();
        sim.seek(300 * MICROS_PER_SEC);
        let d = chart(&sim, ChartKind::Throttles, 100);
        let labels: Vec<_> = d.lines.iter().map(|l| l.label.as_str()).collect();
        assert!(labels.contains(&"scaling rate"), "{labels:?}");
        assert!(labels.contains(&"account limit"), "{labels:?}");
        assert!(!labels.contains(&"reserved limit"));
        let cost = chart(&sim, ChartKind::Cost, 100);
        assert!(cost.lines[0].points.last().unwrap().1 > 0.0);
        let cold = chart(&sim, ChartKind::ColdStarts, 100);
        assert!(cold.y_max > 1.0);
    }

    #[test]
    fn decimate_keeps_peaks_and_bounds() {
        let times: Vec<Micros> = (0..1000).map(|i| i * MICROS_PER_SEC).collect();
        let p = decimate(&times, |r| if r == 501 { 99.0 } else { 1.0 }, 1000, 100);
        assert_eq!(p.len(), 100);
        assert!(p.iter().any(|x| x.1 == 99.0));
        assert!(decimate(&times, |_| 1.0, 0, 100).is_empty());
        let all = decimate(&times, |r| r as f64, 10, 100);
        assert_eq!(all.len(), 10);
        assert_eq!(all[9], (9.0, 9.0));
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
}
