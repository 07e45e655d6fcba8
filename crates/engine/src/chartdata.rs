//! Chart data: what each chart draws, prepared from a [`Simulation`]'s recorded series with no
//! drawing dependency, so the CLI's `render` (plotters, natively) and the web app draw the same
//! thing and it is tested natively.
//!
//! A [`ChartData`] is a title, a y-axis label, lines of `(seconds, value)` points in the
//! Okabe-Ito colours of DESIGN.md, and labelled horizontal limits. Lines are decimated to at
//! most [`MAX_POINTS`] points, keeping each bucket's first, last, lowest and highest sample, so
//! spikes and dips survive.
//!
//! # Examples
//!
//! ```
//! use lambdascape_engine::chartdata;
//! use lambdascape_engine::scenario::{FunctionSpec, ScenarioSpec};
//! use lambdascape_engine::sim::Simulation;
//! use lambdascape_engine::traffic::TrafficSpec;
//!
//! let spec = ScenarioSpec::new("demo", vec![FunctionSpec::new("api", TrafficSpec::constant(20.0))]);
//! let mut sim = Simulation::new(spec.validate().unwrap());
//! sim.run();
//! let d = chartdata::chart(&sim, "concurrency").unwrap();
//! assert_eq!(d.series[0].label, "api");
//! assert_eq!(d.limits[0].label, "account limit 1,000");
//! assert!(chartdata::chart(&sim, "pie").is_err());
//! ```

use crate::scenario::ScalingModel;
use crate::sim::narrative::fmt_count;
use crate::sim::{Series, Simulation, ThrottleCause};
use crate::time::{Micros, MICROS_PER_SEC};

/// Most points in one line (a 2,000 px wide chart has no room for more).
pub const MAX_POINTS: usize = 2000;

/// The Okabe-Ito palette, with the meaning DESIGN.md gives each colour.
pub mod colors {
    /// Busy environments; the first function.
    pub const BLUE: &str = "#0072B2";
    /// Idle (warm) environments.
    pub const GREEN: &str = "#009E73";
    /// Initializing environments (cold starts); burst and scaling headroom.
    pub const ORANGE: &str = "#E69F00";
    /// Throttles and failures.
    pub const VERMILLION: &str = "#D55E00";
    /// Network timeouts.
    pub const PURPLE: &str = "#CC79A7";
    /// Public subnets.
    pub const SKY_BLUE: &str = "#56B4E9";
    /// Limit lines on a dark background.
    pub const YELLOW: &str = "#F0E442";
    /// Limit lines on a light background.
    pub const BLACK: &str = "#000000";
}

/// Colours given to functions in order (vermillion stays for throttles).
pub const FUNCTION_COLORS: [&str; 6] =
    [colors::BLUE, colors::SKY_BLUE, colors::GREEN, colors::PURPLE, colors::ORANGE, colors::YELLOW];

/// The colour of function `i`.
pub fn function_color(i: usize) -> &'static str {
    FUNCTION_COLORS[i % FUNCTION_COLORS.len()]
}

/// The charts, by name, with what each shows.
pub const CHARTS: &[(&str, &str)] = &[
    (
        "concurrency",
        "concurrency per function (stacked) vs the account limit, reserved concurrency and burst",
    ),
    ("throttles", "throttled requests per second, by reason"),
    ("cold_starts", "cold starts per second, per function"),
    ("provisioned", "provisioned concurrency allocated vs busy, and its utilization"),
    ("async", "async invocation queue depth, events sent to the DLQ and dropped"),
    ("network", "network timeouts per second, per subnet"),
    ("cost", "cumulative cost in USD"),
];

/// One series.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Drawn at the line's end (direct labelling instead of a legend).
    pub label: String,
    /// Hex colour from [`colors`].
    pub color: &'static str,
    /// `(seconds of simulated time, value)`, in time order; gaps (no value) are left out.
    pub points: Vec<(f64, f64)>,
    pub dashed: bool,
    /// Part of a stack: the points are cumulative (this layer's top edge) and the layer is filled
    /// down to the previous stacked line (or to 0 for the first). Stacked lines come bottom first.
    pub stacked: bool,
}

/// A horizontal limit, drawn as a labelled dashed line.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitLine {
    pub label: String,
    pub value: f64,
    pub color: &'static str,
}

/// Everything one chart draws.
///
/// Reserved concurrency is a dashed black line in `series` rather than a [`LimitLine`]: on the
/// stacked concurrency chart it caps one layer, so it follows that layer's base.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub title: String,
    /// The y axis with its unit, e.g. "concurrent executions".
    pub y_label: String,
    pub series: Vec<Line>,
    pub limits: Vec<LimitLine>,
    /// The x axis spans the whole scenario: 0 to this many seconds.
    pub x_max: f64,
    /// A round y-axis top that keeps the data in view, and the limits that are near it. Limits
    /// far above the data (more than 4 times its peak) are left above the chart.
    pub y_max: f64,
    /// Said in place of the chart when there is nothing to draw (e.g. no provisioned concurrency).
    pub note: Option<String>,
}

/// Prepares the chart `name` (one of [`CHARTS`]) from the samples recorded so far.
pub fn chart(sim: &Simulation, name: &str) -> Result<ChartData, String> {
    let c = Ctx::new(sim);
    let mut d = ChartData {
        title: String::new(),
        y_label: String::new(),
        series: Vec::new(),
        limits: Vec::new(),
        x_max: sim.scenario().horizon as f64 / MICROS_PER_SEC as f64,
        y_max: 1.0,
        note: None,
    };
    // Lines pushed after `primary` is set (headroom, burst tokens) do not stretch the y axis.
    let primary = match name {
        "concurrency" => concurrency(&c, &mut d),
        "throttles" => throttles(&c, &mut d),
        "cold_starts" => cold_starts(&c, &mut d),
        "provisioned" => provisioned(&c, &mut d),
        "async" => async_queue(&c, &mut d),
        "network" => network(&c, &mut d),
        "cost" => cost(&c, &mut d),
        other => {
            let names: Vec<&str> = CHARTS.iter().map(|c| c.0).collect();
            return Err(format!("there is no chart named '{other}': choose one of {}", names.join(", ")));
        }
    };
    let peak = d.series[..primary].iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max);
    let mut top = peak;
    for l in &d.limits {
        if l.value <= 4.0 * peak.max(1.0) {
            top = top.max(l.value);
        }
    }
    d.y_max = nice_top(top);
    Ok(d)
}

/// What every chart builder reads.
struct Ctx<'a> {
    sim: &'a Simulation,
    /// Rows recorded up to the simulation's current time.
    upto: usize,
    /// Samples per second, to turn per-sample counts into rates.
    per_s: f64,
}

impl<'a> Ctx<'a> {
    fn new(sim: &'a Simulation) -> Self {
        let acct = &sim.recorder().account;
        let now = sim.now();
        Ctx {
            sim,
            upto: acct.times.partition_point(|&t| t <= now),
            per_s: MICROS_PER_SEC as f64 / sim.scenario().sample_interval.max(1) as f64,
        }
    }
    fn account(&self) -> &'a Series {
        &self.sim.recorder().account
    }
    fn function(&self, i: usize) -> &'a Series {
        &self.sim.recorder().functions[i]
    }
    /// A line of `value(row)` over the account's sample times.
    fn line(&self, label: impl Into<String>, color: &'static str, value: impl Fn(usize) -> f64) -> Line {
        Line {
            label: label.into(),
            color,
            points: decimate(&self.account().times[..self.upto], value, MAX_POINTS),
            dashed: false,
            stacked: false,
        }
    }
    /// Whether `value(row)` is ever non-zero.
    fn any(&self, value: impl Fn(usize) -> f64) -> bool {
        (0..self.upto).any(|r| {
            let v = value(r);
            v.is_finite() && v != 0.0
        })
    }
}

/// Value of a column at a row, 0 when the column or row is missing, NaN when blank.
fn at(s: &Series, name: &str, r: usize) -> f64 {
    s.column(name).and_then(|c| c.get(r)).map_or(0.0, |v| *v as f64)
}

fn concurrency(c: &Ctx, d: &mut ChartData) -> usize {
    let sc = c.sim.scenario();
    d.title = "Concurrency per function vs limits".into();
    d.y_label = "concurrent executions".into();
    let n = sc.functions.len();
    for k in 0..n {
        let fs: Vec<&Series> = (0..=k).map(|f| c.function(f)).collect();
        let mut l = c.line(&sc.functions[k].name, function_color(k), |r| {
            fs.iter().map(|s| at(s, "concurrency", r)).sum()
        });
        l.stacked = true;
        d.series.push(l);
    }
    d.limits.push(LimitLine {
        label: format!("account limit {}", fmt_count(sc.account.limit as u64)),
        value: sc.account.limit as f64,
        color: colors::BLACK,
    });
    let primary = d.series.len();
    // Reserved concurrency caps one layer of the stack: its line is the highest that layer's top
    // may reach, the layers below plus the reservation (a flat line for the bottom layer).
    for (k, f) in sc.functions.iter().enumerate() {
        if let Some(reserved) = f.reserved {
            let below: Vec<&Series> = (0..k).map(|g| c.function(g)).collect();
            let mut l =
                c.line(format!("{} reserved {}", f.name, fmt_count(reserved as u64)), colors::BLACK, |r| {
                    below.iter().map(|s| at(s, "concurrency", r)).sum::<f64>() + reserved as f64
                });
            l.dashed = true;
            d.series.push(l);
        }
    }
    // Room to grow: the legacy burst bucket, or what each function may still add this interval.
    let mut l = if sc.account.model == ScalingModel::Legacy {
        c.line("burst tokens", colors::ORANGE, |r| at(c.account(), "burst_tokens", r))
    } else {
        let fs: Vec<&Series> = (0..n).map(|f| c.function(f)).collect();
        c.line("scaling headroom", colors::ORANGE, |r| fs.iter().map(|s| at(s, "scaling_headroom", r)).sum())
    };
    l.dashed = true;
    d.series.push(l);
    primary
}

/// Short label of a throttle cause, and its colour (the same as the app's charts).
pub fn throttle_label(r: ThrottleCause) -> (&'static str, &'static str) {
    use crate::view::Hue;
    let color = match crate::view::throttle_hue(r) {
        Hue::Blue => colors::BLUE,
        Hue::SkyBlue => colors::SKY_BLUE,
        Hue::Green => colors::GREEN,
        Hue::Orange => colors::ORANGE,
        Hue::Vermillion => colors::VERMILLION,
        Hue::Purple => colors::PURPLE,
        Hue::Yellow => colors::YELLOW,
        Hue::Ink => colors::BLACK,
    };
    (crate::view::throttle_short_label(r), color)
}

fn throttles(c: &Ctx, d: &mut ChartData) -> usize {
    d.title = "Throttles by cause".into();
    d.y_label = "throttles per second".into();
    let acct = c.account();
    for r in ThrottleCause::ALL {
        let value = |row| at(acct, r.column(), row) * c.per_s;
        if c.any(value) {
            let (label, color) = throttle_label(r);
            d.series.push(c.line(label, color, value));
        }
    }
    if d.series.is_empty() {
        d.note = Some("no request was throttled".into());
    }
    d.series.len()
}

fn cold_starts(c: &Ctx, d: &mut ChartData) -> usize {
    let sc = c.sim.scenario();
    d.title = "Cold starts (new execution environments)".into();
    d.y_label = "cold starts per second".into();
    let single = sc.functions.len() == 1;
    for (k, f) in sc.functions.iter().enumerate() {
        // One function: the initializing colour; several: each function's own.
        let color = if single { colors::ORANGE } else { function_color(k) };
        let s = c.function(k);
        d.series.push(c.line(&f.name, color, |r| at(s, "cold_starts", r) * c.per_s));
    }
    if !c.any(|r| at(c.account(), "cold_starts", r)) {
        d.note = Some("no cold start: every request found a warm environment".into());
    }
    d.series.len()
}

fn provisioned(c: &Ctx, d: &mut ChartData) -> usize {
    let sc = c.sim.scenario();
    d.title = "Provisioned concurrency: allocated vs busy".into();
    d.y_label = "execution environments".into();
    let with_pc: Vec<usize> = (0..sc.functions.len())
        .filter(|&k| {
            sc.functions[k].provisioned.is_some()
                || c.any(|r| at(c.function(k), "provisioned_concurrency", r))
        })
        .collect();
    let single = with_pc.len() == 1;
    for &k in &with_pc {
        let s = c.function(k);
        let name = &sc.functions[k].name;
        let color = function_color(k);
        let prefix = if single { String::new() } else { format!("{name} ") };
        let util: Vec<f64> =
            (0..c.upto).map(|r| at(s, "pc_utilization", r)).filter(|v| v.is_finite()).collect();
        let mean = if util.is_empty() { 0.0 } else { util.iter().sum::<f64>() / util.len() as f64 };
        let mut alloc = c.line(format!("{prefix}allocated"), color, |r| at(s, "provisioned_concurrency", r));
        alloc.dashed = true;
        d.series.push(alloc);
        d.series.push(c.line(format!("{prefix}busy ({:.0}% used)", mean * 100.0), color, |r| {
            at(s, "provisioned_busy", r)
        }));
        if single {
            // What did not fit: on-demand environments beside the provisioned ones.
            let on_demand = |r| (at(s, "concurrency", r) - at(s, "provisioned_busy", r)).max(0.0);
            if c.any(on_demand) {
                d.series.push(c.line("on demand (spillover)", colors::ORANGE, on_demand));
            }
        }
    }
    if with_pc.is_empty() {
        d.note = Some("no function has provisioned concurrency".into());
    }
    d.series.len()
}

fn async_queue(c: &Ctx, d: &mut ChartData) -> usize {
    let sc = c.sim.scenario();
    let acct = c.account();
    d.title = "Async invocations: queue and dead-letter queue".into();
    d.y_label = "events".into();
    let is_async = sc.functions.iter().any(|f| f.invocation == crate::scenario::InvocationType::Async);
    let has_source = sc.functions.iter().any(|f| f.source.is_some());
    if is_async || c.any(|r| at(acct, "async_queue", r)) {
        d.series.push(c.line("queued", colors::BLUE, |r| at(acct, "async_queue", r)));
    }
    if has_source || c.any(|r| at(acct, "sqs_backlog", r)) {
        d.series.push(c.line("event source backlog", colors::SKY_BLUE, |r| at(acct, "sqs_backlog", r)));
    }
    let dlq = |r| at(acct, "dlq_messages", r);
    if is_async || c.any(dlq) {
        d.series.push(c.line("sent to DLQ (so far)", colors::VERMILLION, dlq));
    }
    let dropped = |r| at(acct, "async_events_dropped", r);
    if c.any(dropped) {
        d.series.push(c.line("dropped (so far)", colors::PURPLE, dropped));
    }
    if d.series.is_empty() {
        d.note = Some("no function is invoked asynchronously or by an event source".into());
    }
    d.series.len()
}

fn network(c: &Ctx, d: &mut ChartData) -> usize {
    let sc = c.sim.scenario();
    d.title = "Network timeouts per subnet".into();
    d.y_label = "timeouts per second".into();
    let Some(vpc) = sc.vpc.as_ref() else {
        d.note = Some("no VPC: the functions use Lambda-managed networking".into());
        return 0;
    };
    let subnets = &c.sim.recorder().subnets;
    let mut k = 0;
    for ((id, subnet), s) in vpc.subnets().zip(subnets) {
        let used = c.any(|r| at(s, "environments", r) + at(s, "timeouts", r));
        if !used {
            continue;
        }
        let kind = match vpc.subnet_kind(id) {
            crate::network::SubnetKind::Public => "public",
            crate::network::SubnetKind::Private => "private",
        };
        let palette = [
            colors::PURPLE,
            colors::VERMILLION,
            colors::BLUE,
            colors::ORANGE,
            colors::SKY_BLUE,
            colors::GREEN,
        ];
        let color = palette[k % palette.len()];
        k += 1;
        d.series.push(Line {
            label: format!("{} ({kind})", subnet.name),
            color,
            points: decimate(
                &s.times[..c.upto.min(s.times.len())],
                |r| at(s, "timeouts", r) * c.per_s,
                MAX_POINTS,
            ),
            dashed: false,
            stacked: false,
        });
    }
    if d.series.is_empty() {
        d.note = Some("no function placed an environment in a subnet".into());
    } else if !d.series.iter().any(|l| l.points.iter().any(|p| p.1 > 0.0)) {
        d.note = Some("no network timeout: every call reached its destination".into());
    }
    d.series.len()
}

fn cost(c: &Ctx, d: &mut ChartData) -> usize {
    d.title = "Cost so far (compute, requests, provisioned concurrency, network)".into();
    d.y_label = "USD".into();
    let mut l = c.line("total", colors::BLUE, |r| at(c.account(), "cost_usd", r));
    if let Some(&(_, v)) = l.points.last() {
        l.label = format!("total {}", fmt_usd(v));
    }
    d.series.push(l);
    1
}

/// Dollars with cents, or three significant digits below a dollar.
pub fn fmt_usd(v: f64) -> String {
    if v >= 1.0 || v == 0.0 {
        format!("${v:.2}")
    } else {
        let decimals = (2 - v.log10().floor() as i32).clamp(2, 10) as usize;
        format!("${v:.decimals$}")
    }
}

/// Decimates `value(row)` over `times` to at most `max_points` points (at least 4). Each bucket
/// keeps its first, lowest, highest and last sample, in time order (the M4 method: a line drawn
/// through them looks like one drawn through every sample). Non-finite values are skipped.
pub fn decimate(times: &[Micros], value: impl Fn(usize) -> f64, max_points: usize) -> Vec<(f64, f64)> {
    let secs = |r: usize| times[r] as f64 / MICROS_PER_SEC as f64;
    let n = times.len();
    let finite = |r: usize| Some(value(r)).filter(|v| v.is_finite()).map(|v| (r, v));
    if n <= max_points {
        return (0..n).filter_map(finite).map(|(r, v)| (secs(r), v)).collect();
    }
    let buckets = (max_points / 4).max(1);
    let mut out = Vec::with_capacity(buckets * 4);
    for b in 0..buckets {
        let (lo, hi) = (b * n / buckets, (b + 1) * n / buckets);
        let mut rows: Vec<(usize, f64)> = Vec::with_capacity(4);
        let (mut first, mut last, mut min, mut max) =
            (None, None, None::<(usize, f64)>, None::<(usize, f64)>);
        for (r, v) in (lo..hi).filter_map(finite) {
            first.get_or_insert((r, v));
            last = Some((r, v));
            if min.is_none_or(|m| v < m.1) {
                min = Some((r, v));
            }
            if max.is_none_or(|m| v > m.1) {
                max = Some((r, v));
            }
        }
        for p in [first, min, max, last].into_iter().flatten() {
            if !rows.iter().any(|q| q.0 == p.0) {
                rows.push(p);
            }
        }
        crate::order::sort_by_key(&mut rows, |p| p.0);
        out.extend(rows.into_iter().map(|(r, v)| (secs(r), v)));
    }
    out
}

/// A round axis top a little above `v` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k).
pub fn nice_top(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || v.is_infinite() {
        return 1.0;
    }
    let v = v * 1.05;
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * mag >= v * (1.0 - 1e-12) {
            return m * mag;
        }
    }
    10.0 * mag
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{FunctionSpec, ScenarioSpec};
    use crate::sim::Options;
    use crate::traffic::TrafficSpec;

    fn run(text: &str) -> Simulation {
        let sc = ScenarioSpec::parse_and_validate(text).unwrap();
        let seed = sc.spec.seed;
        let mut sim = Simulation::with_seed(sc, seed, Options::default());
        sim.run();
        sim
    }

    fn labels(d: &ChartData) -> Vec<&str> {
        d.series.iter().map(|l| l.label.as_str()).collect()
    }

    #[test]
    fn decimation_bounds_points_and_keeps_extremes() {
        let times: Vec<Micros> = (0..100_000).map(|i| i * MICROS_PER_SEC).collect();
        let p = decimate(
            &times,
            |r| {
                if r == 50_001 {
                    99.0
                } else if r == 70_000 {
                    -5.0
                } else {
                    1.0
                }
            },
            2000,
        );
        assert!(p.len() <= 2000, "{}", p.len());
        assert!(p.contains(&(50_001.0, 99.0)) && p.contains(&(70_000.0, -5.0)));
        assert_eq!(p.first(), Some(&(0.0, 1.0)));
        assert_eq!(p.last(), Some(&(99_999.0, 1.0)));
        assert!(p.windows(2).all(|w| w[0].0 < w[1].0), "in time order");
        // Short series are kept whole; gaps are skipped.
        let q = decimate(&times[..10], |r| if r == 3 { f64::NAN } else { r as f64 }, 2000);
        assert_eq!(q.len(), 9);
        assert!(decimate(&[], |_| 1.0, 2000).is_empty());
    }

    #[test]
    fn nice_tops_are_round_and_above() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(5000.0), 6000.0);
        assert_eq!(nice_top(95.0), 100.0);
        assert_eq!(nice_top(0.013), 0.015);
        for v in [0.7, 3.3, 42.0, 999.0, 12_345.0] {
            assert!(nice_top(v) >= v, "{v}");
        }
    }

    #[test]
    fn concurrency_stacks_functions_under_the_limits() {
        let sim = run(include_str!("../../../tests/scenarios/seed-burst-5000.json"));
        let d = chart(&sim, "concurrency").unwrap();
        assert_eq!(labels(&d), ["product-api", "burst tokens"]);
        assert!(d.series[0].stacked && !d.series[0].dashed);
        assert!(d.series[1].dashed && d.series[1].color == colors::ORANGE);
        assert_eq!(
            d.limits[0],
            LimitLine { label: "account limit 5,000".into(), value: 5000.0, color: "#000000" }
        );
        assert_eq!(d.y_max, 6000.0);
        assert_eq!(d.x_max, 360.0);
        let top = d.series[0].points.iter().map(|p| p.1).fold(0.0, f64::max);
        assert_eq!(top, 5000.0);

        let sim = run(include_str!("../../../tests/scenarios/reserved-protects-critical.json"));
        let d = chart(&sim, "concurrency").unwrap();
        let stacked: Vec<_> = d.series.iter().filter(|l| l.stacked).collect();
        assert_eq!(stacked.len(), 3);
        // Cumulative: each layer's top is at or above the one below.
        for w in stacked.windows(2) {
            for (a, b) in w[0].points.iter().zip(&w[1].points) {
                assert!(b.1 >= a.1 && a.0 == b.0);
            }
        }
        assert_eq!(d.limits.len(), 1);
        let reserved: Vec<_> = d.series.iter().filter(|l| l.label.contains("reserved")).collect();
        assert_eq!(reserved.len(), 2, "{:?}", labels(&d));
        assert!(reserved.iter().all(|l| l.dashed && l.color == colors::BLACK));
        // The bottom layer's cap is flat; a higher layer's rides on the layers below.
        assert!(reserved[0].points.iter().all(|p| p.1 == 200.0), "payments reserved 200");
        let (capped, below) = (reserved[1], stacked[1]);
        for (a, b) in capped.points.iter().zip(&below.points) {
            assert_eq!(a.1, b.1 + 50.0);
        }
        for (a, b) in stacked[2].points.iter().zip(&capped.points) {
            assert!(a.1 <= b.1, "the capped layer stays under its cap");
        }
        assert_eq!(d.series.last().unwrap().label, "scaling headroom");
    }

    #[test]
    fn throttles_name_the_reasons_that_happened() {
        let sim = run(include_str!("../../../tests/scenarios/seed-burst-5000.json"));
        let d = chart(&sim, "throttles").unwrap();
        assert_eq!(labels(&d), ["account limit", "burst bucket"]);
        assert!(d.note.is_none());
        assert_eq!(d.series[0].color, colors::VERMILLION);
        // 800 requests/s arrive; at the account limit 5,000 run 10 s each = 500/s: 300/s throttled
        // on average over the last minute (completions come in waves, so not every second).
        let tail: Vec<f64> = d.series[0].points.iter().filter(|p| p.0 > 300.0).map(|p| p.1).collect();
        let mean = tail.iter().sum::<f64>() / tail.len() as f64;
        assert!((280.0..=320.0).contains(&mean), "{mean}");
    }

    #[test]
    fn every_chart_builds_for_every_preset_and_stays_small() {
        let presets = [
            include_str!("../../../tests/scenarios/async-throttle-dlq.json"),
            include_str!("../../../tests/scenarios/pc-spillover.json"),
            include_str!("../../../tests/scenarios/seed-nat-in-private-subnet.json"),
            include_str!("../../../tests/scenarios/simfaas-example.json"),
        ];
        for text in presets {
            let sim = run(text);
            for (name, _) in CHARTS {
                let d = chart(&sim, name).unwrap();
                assert!(!d.title.is_empty() && !d.y_label.is_empty());
                assert!(d.y_max > 0.0 && d.y_max.is_finite());
                assert!(d.note.is_some() || !d.series.is_empty(), "{name}");
                for l in &d.series {
                    assert!(l.points.len() <= MAX_POINTS, "{name} {}: {}", l.label, l.points.len());
                    assert!(l.points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
                    assert!(l.color.starts_with('#') && l.color.len() == 7);
                }
            }
        }
    }

    #[test]
    fn provisioned_async_and_network_show_what_they_name() {
        let sim = run(include_str!("../../../tests/scenarios/pc-spillover.json"));
        let d = chart(&sim, "provisioned").unwrap();
        assert_eq!(d.series.len(), 6, "{:?}", labels(&d));
        assert!(d.series[0].label.ends_with("allocated") && d.series[0].dashed);
        assert!(d.series[1].label.contains("% used"));

        let sim = run(include_str!("../../../tests/scenarios/async-throttle-dlq.json"));
        let d = chart(&sim, "async").unwrap();
        assert!(labels(&d).contains(&"sent to DLQ (so far)"), "{:?}", labels(&d));
        let dlq = d.series.iter().find(|l| l.label.starts_with("sent to DLQ")).unwrap();
        assert!(dlq.points.last().unwrap().1 > 0.0);

        let sim = run(include_str!("../../../tests/scenarios/seed-nat-in-private-subnet.json"));
        let d = chart(&sim, "network").unwrap();
        assert!(d.series.iter().any(|l| l.points.iter().any(|p| p.1 > 0.0)), "{:?}", labels(&d));
        assert!(d.series.iter().all(|l| l.label.ends_with("(private)") || l.label.ends_with("(public)")));
        let none = chart(&sim, "provisioned").unwrap();
        assert_eq!(none.note.as_deref(), Some("no function has provisioned concurrency"));
    }

    #[test]
    fn long_runs_are_decimated_and_unknown_names_refused() {
        let mut spec = ScenarioSpec::new("long", vec![FunctionSpec::new("api", TrafficSpec::constant(2.0))]);
        spec.duration = "3h".into();
        let mut sim = Simulation::new(spec.validate().unwrap());
        sim.run();
        assert!(sim.recorder().account.len() > 10_000);
        let d = chart(&sim, "cost").unwrap();
        assert!(d.series[0].points.len() <= MAX_POINTS);
        let last = d.series[0].points.last().unwrap();
        assert_eq!(last.0, 3.0 * 3600.0);
        assert!(d.series[0].label.starts_with("total $"), "{}", d.series[0].label);
        assert_eq!(fmt_usd(3.901), "$3.90");
        assert_eq!(fmt_usd(0.001234), "$0.00123");
        let err = chart(&sim, "latency").unwrap_err();
        assert!(err.contains("'latency'") && err.contains("concurrency, throttles"), "{err}");
    }
}
