//! Sizing sweeps: one scenario, one or two settings of one function varied over lists of
//! values, several seeds per point; each point's cost, p50/p99 latency, throttles and cold
//! starts with a 95% confidence interval over its seeds, the points no other beats on cost,
//! p99 and throttles at once (the Pareto front) and the cheapest point that meets a target.
//!
//! A point is the scenario with [`Edit`]s applied (the editor's own edits and checks, so a
//! point the format does not allow, such as SnapStart with provisioned concurrency, is
//! reported with the editor's reason); its runs are ordinary runs of that scenario with the
//! seeds `seed`, `seed + 1`, ... A point's run is therefore the run the simulator gives for
//! that configuration and seed (`crates/cli/tests/sweep.rs` checks it). The work is a list of
//! independent jobs ([`Plan::jobs`], one run each) that the CLI runs on every core; the
//! results are gathered in job order, so the table does not depend on how many cores ran it.
//! The points that leave a function's traffic as it is share its arrival times at each seed:
//! they are drawn once and replayed ([`ArrivalTape`]), the same times, not drawn again.

use crate::edit::{self, ComputeMode, Edit};
use crate::scenario::{LifetimeSpec, ScenarioSpec, ONE_VCPU_MEMORY_MB};
use crate::sim::{ArrivalTape, Options, Simulation};
use crate::time::{format_duration, parse_duration, DurationSpec, Micros};
use crate::traffic::{parse_points_csv, RatePoint, TrafficSpec};
use crate::Scenario;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Most points a sweep may have (the product of its axes' lengths).
pub const MAX_POINTS: usize = 400;
/// Most seeds per point.
pub const MAX_SEEDS: u32 = 50;

/// A setting a sweep varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    /// Provisioned concurrency (`none` removes it).
    Provisioned,
    /// Reserved concurrency (`none` removes it).
    Reserved,
    /// Memory in MB.
    Memory,
    /// Compute mode: `on-demand`, `snapstart`, `managed-instances`, `web`.
    Compute,
    /// SnapStart `on` or `off` (on demand).
    Snapstart,
    /// Requests one environment serves at once (Managed Instances and Web Functions).
    Concurrency,
    /// How long an idle environment is kept (a duration: `5m`).
    IdleLifetime,
    /// Every rate of the function's traffic times this factor.
    Traffic,
}

const PARAMS: [(Param, &str); 8] = [
    (Param::Provisioned, "provisioned"),
    (Param::Reserved, "reserved"),
    (Param::Memory, "memory"),
    (Param::Compute, "compute"),
    (Param::Snapstart, "snapstart"),
    (Param::Concurrency, "concurrency"),
    (Param::IdleLifetime, "idle_lifetime"),
    (Param::Traffic, "traffic"),
];

impl Param {
    /// Its name in a sweep's text (`provisioned=0..200:50`).
    pub fn name(self) -> &'static str {
        PARAMS.iter().find(|(p, _)| *p == self).map_or("", |(_, n)| n)
    }

    fn parse(s: &str) -> Option<Param> {
        let s = s.trim().replace('-', "_");
        PARAMS.iter().find(|(_, n)| *n == s).map(|(p, _)| *p)
    }

    /// Whether its edits switch the compute mode (made before the others of a point).
    fn is_mode(self) -> bool {
        matches!(self, Param::Compute | Param::Snapstart)
    }
}

/// One value of a setting.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Level {
    /// A count, megabytes or a traffic factor.
    Number(f64),
    /// Provisioned or reserved concurrency removed.
    None,
    Mode(#[serde(serialize_with = "mode_name")] ComputeMode),
    Switch(bool),
    Duration(#[serde(serialize_with = "duration_text")] Micros),
}

fn mode_name<S: serde::Serializer>(m: &ComputeMode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(mode_text(*m))
}

fn duration_text<S: serde::Serializer>(us: &Micros, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*us))
}

const MODES: [(ComputeMode, &str); 4] = [
    (ComputeMode::OnDemand, "on-demand"),
    (ComputeMode::SnapStart, "snapstart"),
    (ComputeMode::ManagedInstances, "managed-instances"),
    (ComputeMode::Web, "web"),
];

fn mode_text(m: ComputeMode) -> &'static str {
    MODES.iter().find(|(x, _)| *x == m).map_or("", |(_, n)| n)
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Number(v) => write!(f, "{v}"),
            Level::None => f.write_str("none"),
            Level::Mode(m) => f.write_str(mode_text(*m)),
            Level::Switch(on) => f.write_str(if *on { "on" } else { "off" }),
            Level::Duration(us) => f.write_str(&format_duration(*us)),
        }
    }
}

/// One varied setting and its values, in order. In JSON, its text (`"memory=512,1024"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Axis {
    pub param: Param,
    pub values: Vec<Level>,
}

impl Axis {
    /// Reads `name=values`: a list (`memory=512,1024,2048`, `compute=on-demand,snapstart`,
    /// `reserved=none,100`, `idle_lifetime=5m,30m`) or, for numbers, a range with a step
    /// (`provisioned=0..200:50`, both ends included). Errors say what is wrong and where.
    pub fn parse(text: &str) -> Result<Axis, String> {
        let (name, list) = text
            .split_once('=')
            .ok_or_else(|| format!("'{text}': write a setting and its values, e.g. provisioned=0..200:50"))?;
        let param = Param::parse(name).ok_or_else(|| {
            let names: Vec<&str> = PARAMS.iter().map(|(_, n)| *n).collect();
            format!("'{}' is not a setting a sweep varies; one of: {}", name.trim(), names.join(", "))
        })?;
        let mut values = Vec::new();
        for item in list.split(',').map(str::trim) {
            if item.is_empty() {
                return Err(format!("{}: an empty value in '{}'", param.name(), list.trim()));
            }
            match item.split_once("..").filter(|_| number_param(param)) {
                Some((from, rest)) => values.extend(range(param, from, rest)?),
                None => values.push(level(param, item)?),
            }
            if values.len() > MAX_POINTS {
                return Err(format!("{}: more than {MAX_POINTS} values", param.name()));
            }
        }
        if values.is_empty() {
            return Err(format!("{}: no values", param.name()));
        }
        Ok(Axis { param, values })
    }
}

impl TryFrom<String> for Axis {
    type Error = String;
    fn try_from(s: String) -> Result<Axis, String> {
        Axis::parse(&s)
    }
}

impl From<Axis> for String {
    fn from(a: Axis) -> String {
        a.to_string()
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values: Vec<String> = self.values.iter().map(Level::to_string).collect();
        write!(f, "{}={}", self.param.name(), values.join(","))
    }
}

fn number_param(p: Param) -> bool {
    matches!(p, Param::Provisioned | Param::Reserved | Param::Memory | Param::Concurrency | Param::Traffic)
}

fn number(param: Param, s: &str) -> Result<f64, String> {
    let v = crate::size::number::parse_f64(s.trim())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("{}: '{}' is not a number of at least 0", param.name(), s.trim()))?;
    if param != Param::Traffic && (v.fract() != 0.0 || v > u32::MAX as f64) {
        return Err(format!("{}: '{}' is not a whole number", param.name(), s.trim()));
    }
    Ok(v)
}

fn range(param: Param, from: &str, rest: &str) -> Result<Vec<Level>, String> {
    let (to, step) = rest
        .split_once(':')
        .ok_or_else(|| format!("{}: a range needs a step: {from}..{rest}:<step>", param.name()))?;
    let (a, b, s) = (number(param, from)?, number(param, to)?, number(param, step)?);
    if s <= 0.0 || b < a {
        return Err(format!(
            "{}: the range {from}..{to}:{step} needs from <= to and a step above 0",
            param.name()
        ));
    }
    let n = ((b - a) / s + 1e-9).floor() as usize + 1;
    if n > MAX_POINTS {
        return Err(format!(
            "{}: the range {from}..{to}:{step} has more than {MAX_POINTS} values",
            param.name()
        ));
    }
    Ok((0..n).map(|i| Level::Number(a + i as f64 * s)).collect())
}

fn level(param: Param, s: &str) -> Result<Level, String> {
    let lower = s.to_ascii_lowercase().replace('_', "-");
    match param {
        Param::Provisioned | Param::Reserved if lower == "none" => Ok(Level::None),
        Param::Compute => MODES
            .iter()
            .find(|(_, n)| *n == lower)
            .map(|(m, _)| Level::Mode(*m))
            .ok_or_else(|| format!("compute: '{s}' is not a compute mode; one of: on-demand, snapstart, managed-instances, web")),
        Param::Snapstart => match lower.as_str() {
            "on" | "true" => Ok(Level::Switch(true)),
            "off" | "false" => Ok(Level::Switch(false)),
            _ => Err(format!("snapstart: '{s}' is not on or off")),
        },
        Param::IdleLifetime => parse_duration(s)
            .map(Level::Duration)
            .map_err(|e| format!("idle_lifetime: {e}")),
        _ => number(param, s).map(Level::Number),
    }
}

/// What a point must achieve to be called good enough.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Target {
    /// Highest p99 latency, in ms (the mean over the seeds).
    pub p99_ms: Option<f64>,
    /// Most throttles per run (the mean over the seeds).
    pub max_throttles: Option<f64>,
}

impl Target {
    /// Whether it asks for anything (without a target every point meets it).
    pub fn is_set(&self) -> bool {
        self.p99_ms.is_some() || self.max_throttles.is_some()
    }
}

/// A sweep: the function whose settings vary (none: the scenario's first function), one or
/// two axes, and the seeds per point. JSON:
/// `{"axes": ["provisioned=0..100:20"], "seeds": 5, "target": {"p99_ms": 300}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    pub axes: Vec<Axis>,
    #[serde(default = "default_seeds")]
    pub seeds: u32,
    #[serde(default)]
    pub target: Target,
}

/// Seeds per point unless a sweep says.
pub const DEFAULT_SEEDS: u32 = 5;

fn default_seeds() -> u32 {
    DEFAULT_SEEDS
}

/// The figures of one run that a sweep's table uses (what a worker sends back).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RunFigures {
    pub cost_usd: f64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub throttles: u64,
    pub cold_starts: u64,
    /// Its cost rests on placeholder rates ([`crate::compare::Row::placeholder_cost`]).
    pub placeholder_cost: bool,
}

impl RunFigures {
    /// A finished run's figures (those of its compare row). Not inlined into a sweep's job
    /// loop, like the run's set-up: a WebAssembly engine compiles each function it finds hot
    /// on its own, and one function holding a whole job took V8 longer to optimise than the
    /// engine's hot loop did.
    #[inline(never)]
    pub fn of(sim: &Simulation) -> RunFigures {
        let r = crate::compare::Row::of("", sim);
        RunFigures {
            cost_usd: r.cost_usd,
            latency_p50_ms: r.latency_p50_ms,
            latency_p99_ms: r.latency_p99_ms,
            throttles: r.throttles,
            cold_starts: r.cold_starts,
            placeholder_cost: r.placeholder_cost,
        }
    }
}

/// A sweep made ready to run: its points (each point's scenario, or why it cannot be, made when
/// first needed), and the seeds.
pub struct Plan {
    pub function: String,
    pub params: Vec<Param>,
    pub points: Vec<PlannedPoint>,
    pub seeds: Vec<u64>,
    pub target: Target,
    tapes: Tapes,
}

/// Most arrival times a plan keeps on tapes, in all (32 MiB): beyond, runs draw their own.
pub const TAPE_BUDGET: usize = 1 << 22;

/// The arrival tapes a plan's runs share: one per function, traffic and seed that more than
/// one point runs, recorded by the first run that needs it (the others wait for it).
struct Tapes {
    /// For each point, for each function, which shared traffic it has (`None`: no other point
    /// has it, so nothing to share).
    shared: Vec<Vec<Option<usize>>>,
    /// For each shared traffic, for each seed, its tape once recorded (`None` when it would
    /// have gone over the budget).
    slots: Vec<Vec<OnceLock<Option<ArrivalTape>>>>,
    /// Arrival times that may still be recorded.
    budget: AtomicUsize,
}

impl Tapes {
    fn new(points: &[PlannedPoint], seeds: usize) -> Tapes {
        // A function's arrival times at a seed depend on its traffic and the horizon (and its
        // name, which points do not change). Of a point's edits only a traffic level changes a
        // traffic, the swept function's, and none changes the horizon: each point's function
        // is grouped with the first point's that has the same traffic level, without making
        // either point's scenario (a worker makes only those of the points it runs). A tape
        // is still used only where it holds the very times a run would draw
        // ([`ArrivalTape::fits`]).
        let mut groups: Vec<(usize, Option<&Level>, usize)> = Vec::new(); // function, level, users
        let of_point: Vec<Vec<usize>> = points
            .iter()
            .map(|p| {
                (0..p.base.spec.functions.len())
                    .map(|f| {
                        let level = if Some(f) == p.base.swept { p.traffic_level() } else { None };
                        match groups.iter().position(|&(g, l, _)| g == f && l == level) {
                            Some(i) => {
                                groups[i].2 += 1;
                                i
                            }
                            None => {
                                groups.push((f, level, 1));
                                groups.len() - 1
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        // Only groups of more than one point share anything: they get slots.
        let mut slot_of = vec![None; groups.len()];
        let mut next = 0;
        for (i, g) in groups.iter().enumerate() {
            if g.2 > 1 {
                slot_of[i] = Some(next);
                next += 1;
            }
        }
        let shared = of_point.into_iter().map(|gs| gs.into_iter().map(|g| slot_of[g]).collect()).collect();
        let slots = (0..next).map(|_| (0..seeds).map(|_| OnceLock::new()).collect()).collect();
        Tapes { shared, slots, budget: AtomicUsize::new(TAPE_BUDGET) }
    }

    /// The tapes of the job's run (recorded now if it is the first to need them).
    fn for_job(&self, sc: &Scenario, point: usize, seed_index: usize, seed: u64) -> Vec<ArrivalTape> {
        let Some(shared) = self.shared.get(point) else { return vec![] };
        let mut tapes = Vec::new();
        for (f, id) in shared.iter().enumerate() {
            let Some(slot) = id.and_then(|id| self.slots.get(id)?.get(seed_index)) else { continue };
            let tape = slot.get_or_init(|| {
                let tape = ArrivalTape::record(sc, f, seed, self.budget.load(Ordering::Relaxed))?;
                let left = self.budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                    Some(b.saturating_sub(tape.len()))
                });
                left.ok().map(|_| tape)
            });
            tapes.extend(tape.clone());
        }
        tapes
    }
}

/// One point of a plan: its levels, and its scenario, made when first asked for.
pub struct PlannedPoint {
    pub levels: Vec<Level>,
    base: Arc<Base>,
    scenario: OnceLock<Result<Scenario, String>>,
}

/// What every point of a plan edits: the sweep's scenario, its swept function, and the setting
/// of each axis.
struct Base {
    spec: ScenarioSpec,
    function: String,
    /// The swept function's index.
    swept: Option<usize>,
    params: Vec<Param>,
}

impl PlannedPoint {
    /// The point's scenario (the sweep's with the point's edits made, checked), or why it cannot
    /// be (the editor's reason). Made once, when first asked for: a sweep's Web Worker makes
    /// only those of the points it runs.
    pub fn scenario(&self) -> &Result<Scenario, String> {
        self.scenario.get_or_init(|| {
            let levels: Vec<(Level, Param)> =
                self.levels.iter().cloned().zip(self.base.params.iter().copied()).collect();
            point_scenario(&self.base.spec, &self.base.function, &levels)
        })
    }

    /// Its traffic level, if the sweep varies traffic.
    fn traffic_level(&self) -> Option<&Level> {
        self.base.params.iter().position(|&p| p == Param::Traffic).map(|i| &self.levels[i])
    }
}

impl Sweep {
    /// Each point, in order (the first axis varies slowest): its levels, and its scenario,
    /// `spec` with the point's edits applied, made when first asked for
    /// ([`PlannedPoint::scenario`]). Errors: a bad sweep (no axis, too many, an unknown
    /// function).
    pub fn plan(&self, spec: &ScenarioSpec) -> Result<Plan, String> {
        if self.axes.is_empty() || self.axes.len() > 2 {
            return Err(format!("a sweep varies one or two settings, not {}", self.axes.len()));
        }
        if self.seeds == 0 || self.seeds > MAX_SEEDS {
            return Err(format!("seeds: {} is not between 1 and {MAX_SEEDS}", self.seeds));
        }
        let function = match &self.function {
            Some(f) if spec.functions.iter().any(|x| &x.name == f) => f.clone(),
            Some(f) => {
                let names: Vec<&str> = spec.functions.iter().map(|x| x.name.as_str()).collect();
                return Err(format!(
                    "function: the scenario has no function '{f}' (it has: {})",
                    names.join(", ")
                ));
            }
            None => spec.functions.first().map(|f| f.name.clone()).ok_or("the scenario has no function")?,
        };
        let count: usize = self.axes.iter().map(|a| a.values.len()).product();
        if count > MAX_POINTS {
            return Err(format!("the sweep has {count} points; at most {MAX_POINTS}"));
        }
        let params: Vec<Param> = self.axes.iter().map(|a| a.param).collect();
        let mut base_spec = spec.clone();
        base_spec.variants.clear();
        base_spec.checks.clear();
        let swept = spec.functions.iter().position(|f| f.name == function);
        let base =
            Arc::new(Base { spec: base_spec, function: function.clone(), swept, params: params.clone() });
        let mut points = Vec::with_capacity(count);
        for i in 0..count {
            let mut levels = Vec::with_capacity(self.axes.len());
            let mut rest = i;
            for (k, axis) in self.axes.iter().enumerate() {
                let inner: usize = self.axes[k + 1..].iter().map(|a| a.values.len()).product();
                levels.push(axis.values[rest / inner].clone());
                rest %= inner;
            }
            points.push(PlannedPoint { levels, base: Arc::clone(&base), scenario: OnceLock::new() });
        }
        let tapes = Tapes::new(&points, self.seeds as usize);
        Ok(Plan {
            function,
            params,
            points,
            seeds: (0..self.seeds as u64).map(|k| spec.seed.wrapping_add(k)).collect(),
            target: self.target,
            tapes,
        })
    }
}

/// `spec` with the point's settings made through the editor's edits: provisioned or reserved
/// concurrency removed first (so that `provisioned=none` with `compute=web` runs a function
/// that had provisioned concurrency as a Web Function, which the editor refuses the other way
/// round), then mode switches, so that a mode's own settings (per-environment concurrency)
/// apply to the new mode, then the rest.
fn point_scenario(
    spec: &ScenarioSpec,
    function: &str,
    levels: &[(Level, Param)],
) -> Result<Scenario, String> {
    let mut order: Vec<&(Level, Param)> = levels.iter().collect();
    crate::size::order::sort_by_key(&mut order, |(level, p)| match (level, p) {
        (Level::None, _) => 0,
        (_, p) if p.is_mode() => 1,
        _ => 2,
    });
    let mut s = spec.clone();
    let mut valid = None;
    for (level, param) in order {
        let e = edit_for(&s, function, *param, level)?;
        let (next, checked) =
            edit::apply_validated(&s, &e).map_err(|e| format!("{}={level}: {e}", param.name()))?;
        (s, valid) = (next, Some(checked));
    }
    // The last edit's check is the point's (no edit: the scenario's own).
    match valid {
        Some(sc) => Ok(sc),
        None => s.validate().map_err(|e| e.to_string()),
    }
}

fn edit_for(spec: &ScenarioSpec, function: &str, param: Param, level: &Level) -> Result<Edit, String> {
    let f = function.to_string();
    let count = |v: &Level| match v {
        Level::Number(n) => Some(*n as u32),
        _ => None,
    };
    let fspec = spec.functions.iter().find(|x| x.name == function).ok_or("no such function")?;
    Ok(match (param, level) {
        (Param::Provisioned, v) => Edit::SetProvisionedConcurrency { function: f, initial: count(v) },
        (Param::Reserved, v) => Edit::SetReservedConcurrency { function: f, reserved: count(v) },
        (Param::Memory, Level::Number(n)) => Edit::SetMemory { function: f, memory_mb: *n as u32 },
        (Param::Compute, Level::Mode(m)) => Edit::SetComputeMode { function: f, mode: *m, runtime: None },
        (Param::Snapstart, Level::Switch(on)) => Edit::SetComputeMode {
            function: f,
            mode: if *on { ComputeMode::SnapStart } else { ComputeMode::OnDemand },
            runtime: None,
        },
        (Param::Concurrency, Level::Number(n)) if fspec.web.is_some() => {
            Edit::SetWebConcurrency { function: f, max_concurrency_per_environment: *n as u32 }
        }
        (Param::Concurrency, Level::Number(n)) if fspec.managed_instances.is_some() => {
            Edit::SetManagedInstancesConcurrency { function: f, per_environment_max_concurrency: *n as u32 }
        }
        (Param::Concurrency, _) => {
            return Err(format!(
                "concurrency={level}: {function} serves one request per environment in its compute mode; \
                 per-environment concurrency needs Managed Instances or Web Functions"
            ))
        }
        (Param::IdleLifetime, Level::Duration(us)) => Edit::SetIdleLifetime {
            function: f,
            idle_lifetime: LifetimeSpec::Fixed(DurationSpec::from_micros(*us)),
        },
        (Param::Traffic, Level::Number(k)) => {
            Edit::SetTraffic { function: f, traffic: fspec.traffic.scaled(*k)? }
        }
        _ => return Err(format!("{}: '{level}' is not one of its values", param.name())),
    })
}

impl TrafficSpec {
    /// The same pattern with every rate times `k` (a CSV curve becomes its points).
    pub fn scaled(&self, k: f64) -> Result<TrafficSpec, String> {
        let mut t = self.clone();
        if let TrafficSpec::Points { points, csv, .. } = &mut t {
            if let Some(text) = csv.take() {
                *points = parse_points_csv(&text)?
                    .into_iter()
                    .map(|(at, rate)| RatePoint { at: DurationSpec::Seconds(at), rate })
                    .collect();
            }
        }
        match &mut t {
            TrafficSpec::None {} => {}
            TrafficSpec::Constant { rate, .. } => *rate *= k,
            TrafficSpec::Step { rate, steps, .. } => {
                *rate *= k;
                steps.iter_mut().for_each(|p| p.rate *= k);
            }
            TrafficSpec::Ramp { from, to, .. } => (*from, *to) = (*from * k, *to * k),
            TrafficSpec::Sine { mean, amplitude, .. } => (*mean, *amplitude) = (*mean * k, *amplitude * k),
            TrafficSpec::Bursts { base, burst_rate, .. } => {
                (*base, *burst_rate) = (*base * k, *burst_rate * k)
            }
            TrafficSpec::Points { points, .. } => points.iter_mut().for_each(|p| p.rate *= k),
        }
        Ok(t)
    }
}

/// One run of a plan: a point and a seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub point: usize,
    pub seed: u64,
}

impl Plan {
    /// Every run the sweep needs, point by point (none for a point that cannot be).
    pub fn jobs(&self) -> Vec<Job> {
        let mut out = Vec::new();
        for (i, p) in self.points.iter().enumerate() {
            if p.scenario().is_ok() {
                out.extend(self.seeds.iter().map(|&seed| Job { point: i, seed }));
            }
        }
        out
    }

    /// Runs one job to the scenario's end: the same run as simulating that scenario with
    /// that seed (its arrival times replayed from the plan's tapes where other points share
    /// them). `None` for a point that cannot be (never among [`Self::jobs`]).
    pub fn run(&self, job: Job) -> Option<RunFigures> {
        let sc = self.points.get(job.point)?.scenario().as_ref().ok()?;
        let tapes = match self.seeds.iter().position(|&s| s == job.seed) {
            Some(k) => self.tapes.for_job(sc, job.point, k, job.seed),
            None => vec![],
        };
        let mut sim = Simulation::with_tapes(sc.clone(), job.seed, Options::default(), &tapes);
        sim.run();
        Some(RunFigures::of(&sim))
    }

    /// The scenario of point `i`: the sweep's scenario with the point's edits made (without
    /// its variants and checks, as the point runs). Serialized, it is what to open to watch
    /// that configuration (the app's sizing panel loads it); `None` for a point that cannot be.
    pub fn point_spec(&self, i: usize) -> Option<&ScenarioSpec> {
        self.points.get(i)?.scenario().as_ref().ok().map(|sc| &sc.spec)
    }

    /// The table from every job's figures, in [`Self::jobs`] order.
    pub fn table(&self, rows: &[RunFigures]) -> Table {
        let mut rows = rows.iter();
        let mut points = Vec::with_capacity(self.points.len());
        for p in &self.points {
            let runs: Vec<&RunFigures> = match p.scenario() {
                Ok(_) => rows.by_ref().take(self.seeds.len()).collect(),
                Err(_) => vec![],
            };
            points.push(PointResult::of(p, &runs, &self.target));
        }
        Table::new(self, points)
    }
}

/// A mean over the seeds and its 95% confidence interval (Student's t; the mean alone for one
/// seed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Stat {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Student's t at 97.5% for 1 to 30 degrees of freedom (beyond: 1.96).
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
    2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

impl Stat {
    pub fn of(xs: &[f64]) -> Stat {
        let n = xs.len();
        if n == 0 {
            return Stat::default();
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Stat { mean, lo: mean, hi: mean };
        }
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let t = T975.get(n - 2).copied().unwrap_or(1.96);
        let half = t * (var / n as f64).sqrt();
        Stat { mean, lo: mean - half, hi: mean + half }
    }
}

/// One point's figures over its seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointResult {
    pub levels: Vec<Level>,
    /// Why the point cannot be (the editor's reason); its figures are then zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub runs: usize,
    pub cost_usd: Stat,
    pub latency_p50_ms: Stat,
    pub latency_p99_ms: Stat,
    pub throttles: Stat,
    pub cold_starts: Stat,
    /// Its cost rests on placeholder rates (never called the cheapest, as in compare).
    pub placeholder_cost: bool,
    /// It meets the target (always, without one).
    pub meets_target: bool,
    /// No other point is at least as good in cost, p99 and throttles and better in one.
    pub pareto: bool,
}

impl PointResult {
    fn of(p: &PlannedPoint, runs: &[&RunFigures], target: &Target) -> PointResult {
        let stat = |f: &dyn Fn(&RunFigures) -> f64| Stat::of(&runs.iter().map(|r| f(r)).collect::<Vec<_>>());
        let (p99, throttles) = (stat(&|r| r.latency_p99_ms), stat(&|r| r.throttles as f64));
        let error = p.scenario().as_ref().err().cloned();
        PointResult {
            levels: p.levels.clone(),
            runs: runs.len(),
            cost_usd: stat(&|r| r.cost_usd),
            latency_p50_ms: stat(&|r| r.latency_p50_ms),
            latency_p99_ms: p99,
            throttles,
            cold_starts: stat(&|r| r.cold_starts as f64),
            placeholder_cost: runs.iter().any(|r| r.placeholder_cost),
            meets_target: error.is_none()
                && target.p99_ms.is_none_or(|t| p99.mean <= t)
                && target.max_throttles.is_none_or(|t| throttles.mean <= t),
            pareto: false,
            error,
        }
    }

    fn objectives(&self) -> [f64; 3] {
        [self.cost_usd.mean, self.latency_p99_ms.mean, self.throttles.mean]
    }
}

/// Why a memory sweep's durations stay the same where they do: memory changes a duration only
/// through `cpu_bound` (the CPU work on one thread, [`crate::scenario::CpuBoundSpec`]), which a
/// function may not have, which has no effect for Managed Instances and Web Functions, and which
/// one thread's share of a vCPU caps at 1,769 MB. Without a note a flat p99 reads as "memory
/// does not matter", the cheapest memory wins, and the learner is taught a falsehood.
fn memory_notes(plan: &Plan) -> Vec<String> {
    if !plan.params.contains(&Param::Memory) {
        return vec![];
    }
    let f = &plan.function;
    // The swept function at each point that runs: its spec and its validated form.
    let at: Vec<_> = (plan.points.iter())
        .filter_map(|p| p.scenario().as_ref().ok())
        .filter_map(|sc| {
            let i = sc.functions.iter().position(|x| &x.name == f)?;
            Some((&sc.spec.functions[i], &sc.functions[i]))
        })
        .collect();
    if at.iter().all(|(spec, _)| spec.cpu_bound.is_none()) {
        return vec![format!(
            "memory: the durations of {f} do not depend on its memory here (it has no cpu_bound), so memory \
             changes what a request costs, not how long it runs; give it a CPU share of its duration \
             (functions[].cpu_bound, the editor's \"CPU share of duration\", e.g. 60% at 1024 MB) to see memory \
             change how long it runs"
        )];
    }
    let mut notes = Vec::new();
    let (multi, single): (Vec<_>, Vec<_>) =
        at.iter().filter(|(spec, _)| spec.cpu_bound.is_some()).partition(|(_, func)| func.compute.is_multi());
    if !multi.is_empty() {
        notes.push(format!(
            "memory: in Managed Instances and Web Functions the cpu_bound of {f} has no effect (durations as \
             written), so there memory does not change how long a request runs"
        ));
    }
    let mut above: Vec<u32> =
        single.iter().map(|(spec, _)| spec.memory_mb).filter(|&m| m >= ONE_VCPU_MEMORY_MB).collect();
    crate::size::order::sort(&mut above);
    above.dedup();
    if above.len() > 1 {
        let list: Vec<String> = above.iter().map(|m| format!("{m} MB")).collect();
        let (last, rest) = list.split_last().expect("two or more");
        notes.push(format!(
            "memory: from {ONE_VCPU_MEMORY_MB} MB (one vCPU) up, the CPU work of {f} on one thread takes no less \
             time, so its requests run as long at {} and {last}",
            rest.join(", ")
        ));
    }
    notes
}

/// A sweep's results: one row per point, in plan order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub function: String,
    pub params: Vec<Param>,
    pub seeds: Vec<u64>,
    pub target: Target,
    pub points: Vec<PointResult>,
    /// The cheapest point that meets the target (by mean cost; the first of equals), leaving
    /// out points at placeholder rates.
    pub cheapest: Option<usize>,
    /// What the reader needs to read the figures right ([`memory_notes`]).
    pub notes: Vec<String>,
}

impl Table {
    fn new(plan: &Plan, mut points: Vec<PointResult>) -> Table {
        let ran: Vec<usize> = (0..points.len()).filter(|&i| points[i].error.is_none()).collect();
        for &i in &ran {
            let a = points[i].objectives();
            points[i].pareto = !ran.iter().any(|&j| {
                let b = points[j].objectives();
                j != i && (0..3).all(|k| b[k] <= a[k]) && (0..3).any(|k| b[k] < a[k])
            });
        }
        let cheapest = ran
            .iter()
            .copied()
            .filter(|&i| points[i].meets_target && !points[i].placeholder_cost)
            .min_by(|&a, &b| points[a].cost_usd.mean.total_cmp(&points[b].cost_usd.mean).then(a.cmp(&b)));
        Table {
            function: plan.function.clone(),
            params: plan.params.clone(),
            seeds: plan.seeds.clone(),
            target: plan.target,
            points,
            cheapest,
            notes: memory_notes(plan),
        }
    }

    /// A figure as the CLI's table and the app's show it: the mean with `digits` decimals, and
    /// with more than one seed ± half its 95% interval.
    pub fn figure(&self, s: Stat, digits: usize) -> String {
        if self.seeds.len() > 1 {
            format!("{:.d$} ±{:.d$}", s.mean, (s.hi - s.mean).max(0.0), d = digits)
        } else {
            format!("{:.d$}", s.mean, d = digits)
        }
    }

    /// What the tables say of point `i` beside its figures: the cheapest meeting the target,
    /// else whether it meets one that is set; on the front.
    pub fn marks(&self, i: usize) -> Vec<&'static str> {
        let p = &self.points[i];
        let mut marks = vec![];
        if self.cheapest == Some(i) {
            marks.push("cheapest meeting the target");
        } else if p.meets_target && self.target.is_set() {
            marks.push("meets the target");
        }
        if p.pareto {
            marks.push("front");
        }
        marks
    }

    /// The table as CSV: one line per point.
    pub fn csv(&self) -> String {
        let mut out: Vec<String> = self.params.iter().map(|p| p.name().to_string()).collect();
        for s in ["cost_usd", "latency_p50_ms", "latency_p99_ms", "throttles", "cold_starts"] {
            out.extend([s.to_string(), format!("{s}_lo"), format!("{s}_hi")]);
        }
        out.extend(["runs", "meets_target", "pareto", "cheapest", "error"].map(String::from));
        let mut text = out.join(",") + "\n";
        for (i, p) in self.points.iter().enumerate() {
            let mut cells: Vec<String> = p.levels.iter().map(Level::to_string).collect();
            for s in [p.cost_usd, p.latency_p50_ms, p.latency_p99_ms, p.throttles, p.cold_starts] {
                cells.extend([s.mean, s.lo, s.hi].map(|v| format!("{v:.6}")));
            }
            cells.push(p.runs.to_string());
            cells.push(p.meets_target.to_string());
            cells.push(p.pareto.to_string());
            cells.push((self.cheapest == Some(i)).to_string());
            cells.push(
                p.error.as_deref().map_or(String::new(), |e| format!("\"{}\"", e.replace('"', "\"\""))),
            );
            text += &(cells.join(",") + "\n");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cost: f64, p99: f64, throttles: u64) -> RunFigures {
        RunFigures { cost_usd: cost, latency_p99_ms: p99, throttles, ..RunFigures::default() }
    }

    /// A minute of one function at one request per second.
    fn one_function() -> ScenarioSpec {
        ScenarioSpec::from_json(
            r#"{"version":1,"name":"t","duration":"1m","account":{"concurrency_limit":1000},
                "functions":[{"name":"f","duration":{"type":"constant","ms":100},"traffic":{"type":"constant","rate":1}}]}"#,
        )
        .unwrap()
    }

    /// A sweep of the first function over these axes, without a target.
    fn sweep_of(axes: &[&str], seeds: u32) -> Sweep {
        let axes = axes.iter().map(|a| Axis::parse(a).unwrap()).collect();
        Sweep { function: None, axes, seeds, target: Target::default() }
    }

    #[test]
    fn axes_parse_lists_and_ranges_and_refuse_with_reasons() {
        let a = Axis::parse("provisioned=0..200:50").unwrap();
        assert_eq!(a.param, Param::Provisioned);
        assert_eq!(a.to_string(), "provisioned=0,50,100,150,200");
        assert_eq!(Axis::parse("reserved=none,100").unwrap().to_string(), "reserved=none,100");
        assert_eq!(Axis::parse("compute=on-demand,SnapStart,web").unwrap().values.len(), 3);
        assert_eq!(Axis::parse("idle-lifetime=5m,30m").unwrap().to_string(), "idle_lifetime=5m,30m");
        assert_eq!(Axis::parse("traffic=0.5..2:0.5").unwrap().to_string(), "traffic=0.5,1,1.5,2");
        for (bad, says) in [
            ("provisioned", "write a setting"),
            ("color=1,2", "not a setting"),
            ("memory=512,,1024", "empty value"),
            ("memory=1.5", "whole number"),
            ("provisioned=0..100", "needs a step"),
            ("provisioned=100..0:10", "from <= to"),
            ("provisioned=0..100000:1", "more than 400"),
            ("compute=lambda", "not a compute mode"),
            ("snapstart=maybe", "not on or off"),
            ("memory=none", "not a number"),
        ] {
            let e = Axis::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn stat_is_the_mean_with_a_t_interval() {
        let s = Stat::of(&[10.0, 12.0, 14.0]);
        assert_eq!(s.mean, 12.0);
        // sd 2, n 3: 4.303 * 2 / sqrt(3)
        assert!((s.hi - 12.0 - 4.303 * 2.0 / 3f64.sqrt()).abs() < 1e-9);
        assert_eq!(Stat::of(&[5.0]), Stat { mean: 5.0, lo: 5.0, hi: 5.0 });
    }

    /// A hand-computed case: four points of (cost, p99, throttles) over two seeds each.
    /// A (1, 900, 0), B (2, 300, 0), C (3, 350, 0), D (0.5, 100, 40):
    /// C is beaten by B on both; A, B and D are the front (D is cheapest and fastest but
    /// throttles). Target p99 <= 400 ms and no throttles: B and C meet it, B is cheaper.
    #[test]
    fn pareto_front_and_cheapest_meeting_the_target() {
        let spec = one_function();
        let sweep = Sweep {
            target: Target { p99_ms: Some(400.0), max_throttles: Some(0.0) },
            ..sweep_of(&["memory=128,256,512,1024"], 2)
        };
        let plan = sweep.plan(&spec).unwrap();
        let figures = [(1.0, 900.0, 0), (2.0, 300.0, 0), (3.0, 350.0, 0), (0.5, 100.0, 40)];
        let rows: Vec<RunFigures> =
            figures.iter().flat_map(|&(c, p, t)| [row(c, p - 10.0, t), row(c, p + 10.0, t)]).collect();
        assert_eq!(plan.jobs().len(), rows.len());
        let t = plan.table(&rows);
        let front: Vec<bool> = t.points.iter().map(|p| p.pareto).collect();
        assert_eq!(front, [true, true, false, true]);
        let meets: Vec<bool> = t.points.iter().map(|p| p.meets_target).collect();
        assert_eq!(meets, [false, true, true, false]);
        assert_eq!(t.cheapest, Some(1));
        assert_eq!(t.points[1].latency_p99_ms.mean, 300.0);
    }

    #[test]
    fn a_point_the_editor_refuses_carries_its_reason() {
        let spec = one_function();
        let sweep = sweep_of(&["snapstart=off,on", "provisioned=none,5"], 1);
        let plan = sweep.plan(&spec).unwrap();
        let ok: Vec<bool> = plan.points.iter().map(|p| p.scenario().is_ok()).collect();
        assert_eq!(ok, [true, true, true, false], "SnapStart with provisioned concurrency is refused");
        let e = plan.points[3].scenario().as_ref().err().unwrap();
        assert!(e.contains("provisioned"), "{e}");
        assert_eq!(plan.jobs().len(), 3);
        let bad = Sweep { function: Some("g".into()), ..sweep.clone() };
        assert!(bad.plan(&spec).err().unwrap().contains("no function 'g'"));
        let none = Sweep { axes: vec![Axis::parse("concurrency=4").unwrap()], ..sweep };
        let e = none.plan(&spec).unwrap().points[0].scenario().as_ref().err().unwrap().clone();
        assert!(e.contains("needs Managed Instances or Web Functions"), "{e}");
    }

    /// A point's scenario is made when first needed, once: a worker that runs some of the
    /// points makes those alone, and a run's figures are the same either way.
    #[test]
    fn a_plan_makes_only_the_points_it_is_asked_for() {
        let spec = one_function();
        let sweep = sweep_of(&["memory=128,256,512,1024"], 1);
        let plan = sweep.plan(&spec).unwrap();
        let made = |plan: &Plan| plan.points.iter().map(|p| p.scenario.get().is_some()).collect::<Vec<_>>();
        assert_eq!(made(&plan), [false; 4]);
        let job = Job { point: 2, seed: plan.seeds[0] };
        let lazily = plan.run(job).unwrap();
        assert_eq!(made(&plan), [false, false, true, false]);
        let sc = plan.points[2].scenario().as_ref().unwrap();
        assert_eq!(sc.spec.functions[0].memory_mb, 512);
        // Every point made (as the panel and the CLI list the jobs): the same figures.
        let eager = sweep.plan(&spec).unwrap();
        assert_eq!(eager.jobs().len(), 4);
        assert_eq!(made(&eager), [true; 4]);
        assert_eq!(eager.run(job), Some(lazily));
    }

    /// Whichever axis comes first, removing provisioned concurrency makes room for every mode.
    #[test]
    fn removing_provisioned_concurrency_comes_before_a_mode_switch() {
        let spec = ScenarioSpec::from_json(
            r#"{"version":1,"name":"t","duration":"1m","account":{"concurrency_limit":1000},
                "functions":[{"name":"f","memory_mb":2048,"duration":{"type":"constant","ms":100},"provisioned":{"initial":5},
                "traffic":{"type":"constant","rate":1}}]}"#,
        )
        .unwrap();
        let (compute, pc) = ("compute=on-demand,snapstart,managed-instances,web", "provisioned=none,5");
        for axes in [[compute, pc], [pc, compute]] {
            let plan = sweep_of(&axes, 1).plan(&spec).unwrap();
            for p in &plan.points {
                let without_pc = p.levels.contains(&Level::None);
                let on_demand = p.levels.contains(&Level::Mode(ComputeMode::OnDemand));
                match p.scenario() {
                    // Managed Instances need a VPC, which this function has not.
                    Err(e) if without_pc => {
                        assert!(e.contains("give the function a vpc"), "{:?}: {e}", p.levels)
                    }
                    Err(e) => assert!(!on_demand && e.contains("provisioned"), "{:?}: {e}", p.levels),
                    Ok(_) => assert!(without_pc || on_demand, "{:?}", p.levels),
                }
            }
            assert_eq!(plan.jobs().len(), 4);
        }
    }

    #[test]
    fn a_sweep_reads_and_writes_json_with_axes_as_text() {
        let s: Sweep =
            serde_json::from_str(r#"{"axes": ["provisioned=0..100:50"], "target": {"p99_ms": 300}}"#)
                .unwrap();
        assert_eq!(s.seeds, DEFAULT_SEEDS);
        assert_eq!(s.axes[0].values.len(), 3);
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(
            text,
            r#"{"axes":["provisioned=0,50,100"],"seeds":5,"target":{"p99_ms":300.0,"max_throttles":null}}"#
        );
        assert_eq!(serde_json::from_str::<Sweep>(&text).unwrap(), s);
        let e = serde_json::from_str::<Sweep>(r#"{"axes": ["colour=1"]}"#).unwrap_err().to_string();
        assert!(e.contains("not a setting"), "{e}");
    }

    /// A point's spec, written out and read back, is the scenario its runs ran: the same
    /// figures for the same seed, with the point's setting made and the variants left out.
    #[test]
    fn a_point_spec_reads_back_as_the_configuration_it_ran() {
        let spec = ScenarioSpec::from_json(
            r#"{"version":1,"name":"t","duration":"2m","seed":7,"account":{"concurrency_limit":1000},
                "functions":[{"name":"f","duration":{"type":"constant","ms":100},"traffic":{"type":"constant","rate":20}}],
                "variants":[{"name":"big","patch":{"seed":9}}]}"#,
        )
        .unwrap();
        let sweep = sweep_of(&["provisioned=none,3", "snapstart=off,on"], 2);
        let plan = sweep.plan(&spec).unwrap();
        let p = plan.point_spec(1).unwrap();
        assert!(p.functions[0].provisioned.is_none());
        assert!(p.variants.is_empty() && p.checks.is_empty());
        let p = plan.point_spec(2).unwrap();
        assert_eq!(p.functions[0].provisioned.as_ref().map(|c| c.initial), Some(3));
        assert!(plan.point_spec(3).is_none(), "SnapStart with provisioned concurrency cannot be");
        assert!(plan.point_spec(9).is_none());
        let text = serde_json::to_string(p).unwrap();
        let back = ScenarioSpec::from_json(&text).unwrap().validate().unwrap();
        let mut sim = Simulation::with_seed(back, 8, Options::default());
        sim.run();
        assert_eq!(Some(RunFigures::of(&sim)), plan.run(Job { point: 2, seed: 8 }));
    }

    /// Points share a tape where their function's traffic is the same, one per seed, recorded
    /// once; nothing is kept for a traffic only one point has, nor beyond the budget.
    #[test]
    fn points_share_tapes_only_for_the_same_traffic_and_within_the_budget() {
        let spec = one_function();
        let plan_of = |axes: &[&str]| sweep_of(axes, 2).plan(&spec).unwrap();
        let groups = |plan: &Plan| plan.tapes.slots.len();
        assert_eq!(groups(&plan_of(&["memory=128,256,512"])), 1);
        assert_eq!(groups(&plan_of(&["traffic=1,2,3"])), 0, "each point its own traffic");
        let both = plan_of(&["traffic=1,2", "memory=128,256"]);
        assert_eq!(groups(&both), 2);
        assert_eq!(both.tapes.shared[0], both.tapes.shared[1]);
        assert_ne!(both.tapes.shared[0], both.tapes.shared[2]);
        // Recorded by the first job that needs it, then the same tape (one traffic, two seeds).
        let plan = plan_of(&["memory=128,256,512"]);
        let sc = plan.points[0].scenario().as_ref().unwrap();
        let first = plan.tapes.for_job(sc, 0, 0, plan.seeds[0]);
        assert_eq!(first.len(), 1);
        let n = first[0].len();
        assert!((40..90).contains(&n), "a minute of Poisson arrivals at 1/s: {n}");
        assert_eq!(plan.tapes.budget.load(Ordering::Relaxed), TAPE_BUDGET - n);
        assert_eq!(plan.tapes.for_job(sc, 1, 0, plan.seeds[0])[0].len(), n);
        assert_eq!(plan.tapes.budget.load(Ordering::Relaxed), TAPE_BUDGET - n, "not recorded again");
        // Over the budget: no tape, and the run draws its arrivals (the same figures).
        plan.tapes.budget.store(10, Ordering::Relaxed);
        assert!(plan.tapes.for_job(sc, 0, 1, plan.seeds[1]).is_empty());
        let mut sim = Simulation::with_seed(sc.clone(), plan.seeds[1], Options::default());
        sim.run();
        assert_eq!(plan.run(Job { point: 0, seed: plan.seeds[1] }), Some(RunFigures::of(&sim)));
    }

    #[test]
    fn traffic_scales_every_rate() {
        let t = TrafficSpec::Points {
            points: vec![],
            csv: Some("0,10\n60,20\n".into()),
            arrivals: Default::default(),
        };
        let TrafficSpec::Points { points, csv, .. } = t.scaled(1.5).unwrap() else { panic!() };
        assert_eq!(csv, None);
        assert_eq!(points.iter().map(|p| p.rate).collect::<Vec<_>>(), [15.0, 30.0]);
    }
}
