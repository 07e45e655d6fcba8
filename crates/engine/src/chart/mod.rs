//! Charts, prepared once for every painter: the web app (plotters on a canvas), the widget (its
//! own canvas painter), the share image (SVG text) and the CLI's `render` (plotters, SVG and PNG)
//! all draw a [`ChartData`] through an [`axis::Layout`] and compute nothing of their own.
//!
//! - [`chart`]: what a chart draws, from a [`Simulation`]'s recorded series: a title, a unit,
//!   stacked areas, lines and labelled limits in the Okabe-Ito [`Hue`]s, decimated by [`decimate`]
//!   (each bucket keeps its first, lowest, highest and last sample, so spikes and dips survive)
//!   under a round axis top ([`nice_top`]).
//! - [`axis::layout`]: where it goes in a box of given pixels: the plot's rectangle, the value
//!   and time ticks with their labels, the series as pixel paths cut at the top, the limit lines
//!   and their labels, and the labels at the line ends spread apart so that none overlaps.
//! - [`readout`]: the values under the mouse.
//!
//! # Examples
//!
//! ```
//! use lambdascape_engine::chart::{self, axis, ChartKind};
//! use lambdascape_engine::scenario::{FunctionSpec, ScenarioSpec};
//! use lambdascape_engine::sim::Simulation;
//! use lambdascape_engine::traffic::TrafficSpec;
//!
//! let spec = ScenarioSpec::new("demo", vec![FunctionSpec::new("api", TrafficSpec::constant(20.0))]);
//! let mut sim = Simulation::new(spec.validate().unwrap());
//! sim.run();
//! let kind = ChartKind::from_name("concurrency").unwrap();
//! let d = chart::chart(&sim, kind, chart::MAX_POINTS);
//! assert_eq!(d.areas[0].label, "api");
//! assert_eq!(d.limits[0].label, "account limit 1,000");
//! let l = axis::layout(&d, &axis::ChartBox::canvas(600.0, 240.0));
//! assert_eq!(l.x_ticks[0].label, "00:00");
//! assert!(ChartKind::from_name("pie").is_none());
//! ```

pub mod axis;

use crate::scenario::{Compute, InvocationType, ScalingModel, Scenario};
use crate::sim::narrative::fmt_count;
use crate::sim::{Recorder, Series, Simulation, ThrottleCause};
use crate::time::{Micros, MICROS_PER_SEC};

/// Most points in one series, for every painter (the app, the widget and the CLI draw the same
/// points). Decimation keeps up to four per bucket: 240 buckets across the chart.
pub const MAX_POINTS: usize = 960;

// ---------------------------------------------------------------------------------------------
// Colours.

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

impl Hue {
    /// Every hue.
    pub const ALL: [Hue; 8] = [
        Hue::Blue,
        Hue::SkyBlue,
        Hue::Green,
        Hue::Orange,
        Hue::Vermillion,
        Hue::Purple,
        Hue::Yellow,
        Hue::Ink,
    ];

    /// The colour on a light background (the app's light theme, the CLI's pictures).
    pub fn hex(self) -> &'static str {
        match self {
            Hue::Blue => "#0072B2",
            Hue::SkyBlue => "#56B4E9",
            Hue::Green => "#009E73",
            Hue::Orange => "#E69F00",
            Hue::Vermillion => "#D55E00",
            Hue::Purple => "#CC79A7",
            // Okabe-Ito's #F0E442 is unreadable on white.
            Hue::Yellow => "#B59F00",
            Hue::Ink => "#000000",
        }
    }
}

/// Hues given to functions in order (vermillion stays for throttles).
pub const FUNCTION_HUES: [Hue; 6] =
    [Hue::Blue, Hue::SkyBlue, Hue::Green, Hue::Purple, Hue::Orange, Hue::Yellow];

/// The hue of function `i`.
pub fn function_hue(i: usize) -> Hue {
    FUNCTION_HUES[i % FUNCTION_HUES.len()]
}

// ---------------------------------------------------------------------------------------------
// Throttle causes as the charts and the inspector name them.

/// A throttle cause in short words: the line's label on the throttles chart, in its readout and
/// in the CLI's pictures (Lambdascape's words; the inspector gives AWS's Reason code where AWS
/// documents one, and `ThrottleCause::label` is the key of `throttles_by_cause` in summaries).
pub fn throttle_label(r: ThrottleCause) -> &'static str {
    match r {
        ThrottleCause::AccountConcurrency => "account limit",
        ThrottleCause::ReservedConcurrency => "reserved limit",
        ThrottleCause::AccountRps => "account req/s",
        ThrottleCause::ReservedRps => "reserved req/s",
        ThrottleCause::BurstBucket => "burst bucket",
        ThrottleCause::ScalingRate => "scaling rate",
        ThrottleCause::ScalingRps => "req/s scaling rate",
        ThrottleCause::MaxEnvironments => "max environments",
        ThrottleCause::RateLimit => "endpoint rate limit",
        ThrottleCause::Capacity => "instances full",
    }
}

/// The hue of a throttle cause in every chart (the legacy burst bucket and the current scaling
/// rate never meet in one run, so they share one).
pub fn throttle_hue(r: ThrottleCause) -> Hue {
    match r {
        ThrottleCause::AccountConcurrency => Hue::Vermillion,
        ThrottleCause::ReservedConcurrency => Hue::Purple,
        ThrottleCause::AccountRps => Hue::SkyBlue,
        ThrottleCause::ReservedRps => Hue::Blue,
        ThrottleCause::BurstBucket | ThrottleCause::ScalingRate => Hue::Orange,
        ThrottleCause::ScalingRps => Hue::Yellow,
        // Seven hues for ten causes: the multi-concurrency modes' causes share hues with
        // per-request ones (never in one function's chart; the line labels tell them apart).
        ThrottleCause::MaxEnvironments | ThrottleCause::Capacity => Hue::Vermillion,
        ThrottleCause::RateLimit => Hue::SkyBlue,
    }
}

/// Plain-words explanation of a throttle cause.
pub fn throttle_explanation(r: ThrottleCause) -> &'static str {
    match r {
        ThrottleCause::AccountConcurrency => {
            "the account's unreserved concurrency was all in use: raise the account limit (Service Quotas) or reserve concurrency for the function that matters"
        }
        ThrottleCause::ReservedConcurrency => {
            "the function's reserved concurrency was all in use: it is both its guarantee and its maximum"
        }
        ThrottleCause::AccountRps => {
            "more than 10 synchronous requests per second per unit of the account limit reached the function in one second"
        }
        ThrottleCause::ReservedRps => {
            "more than 10 synchronous requests per second per unit of reserved concurrency reached the function in one second"
        }
        ThrottleCause::BurstBucket => {
            "no warm environment was free and the Region's burst bucket was empty (legacy scaling: it refills 500 per minute)"
        }
        ThrottleCause::ScalingRate => {
            "no warm environment was free and the function had already added its 1,000 environments for these 10 s (current scaling)"
        }
        ThrottleCause::ScalingRps => {
            "the function's requests per second had already grown by 10,000 in these 10 s (current scaling); AWS names no Reason code for it"
        }
        ThrottleCause::MaxEnvironments => {
            "every one of the Web Function's maxEnvironments environments was full, so the request was throttled at once instead of waiting for room"
        }
        ThrottleCause::RateLimit => {
            "the Web Function endpoint's rateLimit (or its 10,000 requests per second quota) was reached in that second"
        }
        ThrottleCause::Capacity => {
            "every Managed Instances environment was full: capacity scales asynchronously on utilization, so traffic that more than doubles within 5 minutes can outrun it"
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The charts.

/// The charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Concurrency,
    Throttles,
    ColdStarts,
    Cost,
    /// Provisioned concurrency allocated vs busy (and the target tracking level).
    Provisioned,
    /// Provisioned concurrency utilization with the target line.
    PcUtilization,
    /// Async events queued, in the DLQ and dropped.
    AsyncQueue,
    /// Event-source queue backlog.
    SqsBacklog,
    /// Network timeouts per subnet.
    SubnetTimeouts,
    /// End-to-end latency percentiles (p50, p90, p99) per function.
    Latency,
}

impl ChartKind {
    /// The charts every scenario has (latency matters in every compute mode).
    pub const ALL: [ChartKind; 5] = [
        ChartKind::Concurrency,
        ChartKind::Throttles,
        ChartKind::ColdStarts,
        ChartKind::Latency,
        ChartKind::Cost,
    ];

    /// Every chart, in the order the CLI lists them.
    pub const EVERY: [ChartKind; 10] = [
        ChartKind::Concurrency,
        ChartKind::Throttles,
        ChartKind::ColdStarts,
        ChartKind::Latency,
        ChartKind::Provisioned,
        ChartKind::PcUtilization,
        ChartKind::AsyncQueue,
        ChartKind::SqsBacklog,
        ChartKind::SubnetTimeouts,
        ChartKind::Cost,
    ];

    /// The charts with data for this scenario: the five basic ones, then provisioned
    /// concurrency, async queues, SQS backlog and subnet timeouts when it has them.
    pub fn for_scenario(sc: &Scenario) -> Vec<ChartKind> {
        let mut v = ChartKind::ALL.to_vec();
        if sc.functions.iter().any(|f| f.provisioned.is_some()) {
            v.push(ChartKind::Provisioned);
            v.push(ChartKind::PcUtilization);
        }
        if sc.functions.iter().any(|f| f.invocation == InvocationType::Async) {
            v.push(ChartKind::AsyncQueue);
        }
        if sc.functions.iter().any(|f| f.source.is_some()) {
            v.push(ChartKind::SqsBacklog);
        }
        if sc.vpc.is_some() && sc.functions.iter().any(|f| f.vpc.is_some()) {
            v.push(ChartKind::SubnetTimeouts);
        }
        v
    }

    /// A stable short id in the page (`data-chart`) and the widget's `chart` attribute.
    pub fn id(self) -> &'static str {
        match self {
            ChartKind::Concurrency => "concurrency",
            ChartKind::Throttles => "throttles",
            ChartKind::ColdStarts => "cold-starts",
            ChartKind::Cost => "cost",
            ChartKind::Provisioned => "pc",
            ChartKind::PcUtilization => "pc-utilization",
            ChartKind::AsyncQueue => "async",
            ChartKind::SqsBacklog => "sqs",
            ChartKind::SubnetTimeouts => "subnet-timeouts",
            ChartKind::Latency => "latency",
        }
    }

    /// Its name in the CLI (`render --chart`) and in the presets' chapter highlights
    /// (`chart:<name>`).
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Concurrency => "concurrency",
            ChartKind::Throttles => "throttles",
            ChartKind::ColdStarts => "cold_starts",
            ChartKind::Cost => "cost",
            ChartKind::Provisioned => "provisioned",
            ChartKind::PcUtilization => "pc_utilization",
            ChartKind::AsyncQueue => "async",
            ChartKind::SqsBacklog => "backlog",
            ChartKind::SubnetTimeouts => "network",
            ChartKind::Latency => "latency",
        }
    }

    /// The chart named `name` ([`ChartKind::name`]).
    pub fn from_name(name: &str) -> Option<ChartKind> {
        ChartKind::EVERY.into_iter().find(|k| k.name() == name)
    }

    /// What it shows, in a few words (the CLI's help).
    pub fn about(self) -> &'static str {
        match self {
            ChartKind::Concurrency => {
                "concurrency per function (stacked) vs the account limit, reserved concurrency and the scaling ceiling; a multi-concurrency function's requests in flight vs its capacity"
            }
            ChartKind::Throttles => "throttles per second, by cause",
            ChartKind::ColdStarts => "cold starts per second, per function",
            ChartKind::Cost => "cost so far in USD",
            ChartKind::Provisioned => "provisioned concurrency allocated vs busy, and the spillover",
            ChartKind::PcUtilization => "provisioned concurrency utilization vs the tracking target",
            ChartKind::AsyncQueue => "async events waiting, in the dead-letter queue and dropped",
            ChartKind::SqsBacklog => "messages waiting in event-source queues",
            ChartKind::SubnetTimeouts => "network timeouts per second, per subnet",
            ChartKind::Latency => "end-to-end latency p50, p90 and p99 per function, in ms",
        }
    }
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    Solid,
    Dashed,
    /// A filled area from 0 (stacked areas carry cumulative values).
    Area,
}

/// One series, as `(seconds, value)` points in time order (gaps, blank samples, are left out).
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
    /// The time the x axis spans, in seconds: the [`Span`] shown (the whole scenario unless the
    /// chart was made for a shorter one, [`chart_in`]).
    pub x_min: f64,
    pub x_max: f64,
    /// A round top ([`nice_top`]) that keeps the data and the limits near it in view.
    pub y_max: f64,
    /// Current time in seconds (the cursor).
    pub now: f64,
    /// Drawn first, in order (stacked areas: the top layer first).
    pub areas: Vec<Line>,
    pub lines: Vec<Line>,
    pub limits: Vec<Limit>,
    /// Said in place of the chart when it has no series (e.g. nothing throttled so far).
    pub note: Option<String>,
}

/// Decimates rows `rows` of `times` to at most `max_points` rows (at least 4): the rows to
/// draw, in order. Each of `max_points / 4` buckets keeps its first, lowest, highest and last
/// sample (the M4 method: a line through them looks like one through every sample), so spikes
/// and dips survive. Rows whose value is not finite (blank samples) are skipped.
pub fn decimate(
    times: &[Micros],
    value: &dyn Fn(usize) -> f64,
    rows: std::ops::Range<usize>,
    max_points: usize,
) -> Vec<usize> {
    let end = rows.end.min(times.len());
    let lo = rows.start.min(end);
    let n = end - lo;
    let finite = |r: usize| Some(value(r)).filter(|v| v.is_finite()).map(|v| (r, v));
    if n <= max_points.max(4) {
        return (lo..end).filter(|&r| finite(r).is_some()).collect();
    }
    let buckets = (max_points / 4).max(1);
    let mut out = Vec::with_capacity(buckets * 4);
    for b in 0..buckets {
        let (mut first, mut last, mut min, mut max) =
            (None, None, None::<(usize, f64)>, None::<(usize, f64)>);
        for (r, v) in (lo + b * n / buckets..lo + (b + 1) * n / buckets).filter_map(finite) {
            first.get_or_insert(r);
            last = Some(r);
            if min.is_none_or(|m| v < m.1) {
                min = Some((r, v));
            }
            if max.is_none_or(|m| v > m.1) {
                max = Some((r, v));
            }
        }
        let mut rows = [first, min.map(|m| m.0), max.map(|m| m.0), last];
        // In row order (four items: a small insertion sort), each row once.
        for i in 1..4 {
            let mut j = i;
            while j > 0 && rows[j].unwrap_or(usize::MAX) < rows[j - 1].unwrap_or(usize::MAX) {
                rows.swap(j, j - 1);
                j -= 1;
            }
        }
        for (i, r) in rows.iter().enumerate() {
            if let Some(r) = *r {
                if i == 0 || rows[i - 1] != Some(r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// A round axis top a little above `v` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k, at least 5%
/// above); 1 when there is nothing to show.
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

/// Dollars with cents, or three significant digits below a dollar.
pub fn fmt_usd(v: f64) -> String {
    if v >= 1.0 || v == 0.0 {
        format!("${v:.2}")
    } else {
        let decimals = (2 - v.log10().floor() as i32).clamp(2, 10) as usize;
        format!("${v:.decimals$}")
    }
}

/// A column of a series, empty when the series does not have it.
fn col<'a>(s: &'a Series, name: &str) -> &'a [f32] {
    s.column(name).unwrap_or(&[])
}

/// A column's value at a row: 0 past its end, NaN when blank.
fn at(c: &[f32], r: usize) -> f64 {
    c.get(r).map_or(0.0, |v| *v as f64)
}

fn max_of(lines: &[Line]) -> f64 {
    lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max)
}

/// What the chart builders share: the rows to draw and how to make a line of them.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    times: &'a [Micros],
    /// The rows in the span shown: `from..upto`.
    from: usize,
    upto: usize,
    max_points: usize,
}

impl Ctx<'_> {
    /// A line of `value(row)` at the rows [`decimate`] keeps.
    fn line(&self, label: String, hue: Hue, style: LineStyle, value: &dyn Fn(usize) -> f64) -> Line {
        let rows = decimate(self.times, value, self.from..self.upto, self.max_points);
        self.line_at(&rows, label, hue, style, value)
    }
    /// A line of `value(row)` at `rows`.
    fn line_at(
        &self,
        rows: &[usize],
        label: String,
        hue: Hue,
        style: LineStyle,
        value: &dyn Fn(usize) -> f64,
    ) -> Line {
        let points = rows.iter().map(|&r| (self.times[r] as f64 / MICROS_PER_SEC as f64, value(r))).collect();
        Line { label, hue, style, points, own: None }
    }
}

/// The stretch of simulated time the charts show.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Span {
    /// The run so far, with a little room ahead ([`span_bounds`]), on scenarios longer than
    /// [`FIT_OVER_S`]; the whole scenario on shorter ones.
    #[default]
    Fit,
    /// The whole scenario.
    Whole,
    /// From one time to another, in seconds.
    Window(f64, f64),
}

/// Scenarios up to this long (seconds) are shown whole by [`Span::Fit`].
pub const FIT_OVER_S: f64 = 900.0;
/// The shortest window shown, in seconds.
pub const MIN_WINDOW_S: f64 = 2.0;

impl Span {
    /// Its text in a share link's `view.range`: `None` for [`Span::Fit`], `"whole"`, or
    /// `"<from>-<to>"` in whole seconds.
    pub fn text(self) -> Option<String> {
        match self {
            Span::Fit => None,
            Span::Whole => Some("whole".into()),
            Span::Window(a, b) => Some(format!("{}-{}", a.round() as u64, b.round() as u64)),
        }
    }

    /// Reads [`Span::text`]; `None` when it is not one.
    pub fn parse(text: Option<&str>) -> Option<Span> {
        let Some(t) = text else { return Some(Span::Fit) };
        if t == "whole" {
            return Some(Span::Whole);
        }
        let (a, b) = t.split_once('-')?;
        let num = |s: &str| crate::size::number::parse_uint(s).map(|v: u64| v as f64);
        let (a, b) = (num(a)?, num(b)?);
        (b >= a + MIN_WINDOW_S).then_some(Span::Window(a, b))
    }
}

/// The seconds a span shows of a scenario `horizon` seconds long at time `now`: a window is held
/// inside the scenario; [`Span::Fit`] on a long scenario ends at a round time 10% past `now`
/// (at least 5 minutes in), so the charts follow the run instead of showing the empty rest of it.
pub fn span_bounds(span: Span, horizon: f64, now: f64) -> (f64, f64) {
    let h = horizon.max(1.0);
    match span {
        Span::Window(a, b) => {
            let b = b.min(h);
            (a.min(b - MIN_WINDOW_S.min(b)), b)
        }
        Span::Fit if h > FIT_OVER_S => {
            let want = (now * 1.1).max(300.0);
            let step = axis::time_step(want, 6.0);
            (0.0, ((want / step).ceil() * step).min(h))
        }
        _ => (0.0, h),
    }
}

/// Prepares one chart of the whole scenario from the samples recorded up to the simulation's
/// current time, with at most `max_points` points per series ([`MAX_POINTS`] in the app and the
/// CLI).
pub fn chart(sim: &Simulation, kind: ChartKind, max_points: usize) -> ChartData {
    chart_in(sim, kind, max_points, Span::Whole)
}

/// [`chart`] of the time `span` shows ([`span_bounds`]): its samples decimated within it.
pub fn chart_in(sim: &Simulation, kind: ChartKind, max_points: usize, span: Span) -> ChartData {
    let sc = sim.scenario();
    let rec = sim.recorder();
    let now = sim.now();
    let acct = &rec.account;
    let secs = |t: Micros| t as f64 / MICROS_PER_SEC as f64;
    let (x_min, x_max) = span_bounds(span, secs(sc.horizon), secs(now));
    let (lo, hi) = ((x_min * MICROS_PER_SEC as f64) as Micros, (x_max * MICROS_PER_SEC as f64) as Micros);
    let upto = acct.times.partition_point(|&t| t <= now.min(hi));
    let from = acct.times.partition_point(|&t| t < lo).min(upto);
    let per_s = MICROS_PER_SEC as f64 / sc.sample_interval.max(1) as f64;
    let mut d = ChartData {
        kind,
        title: String::new(),
        unit: String::new(),
        x_min,
        x_max,
        y_max: 1.0,
        now: secs(now),
        areas: vec![],
        lines: vec![],
        limits: vec![],
        note: None,
    };
    let src =
        Src { sc, rec, acct, upto, per_s, max_points, c: Ctx { times: &acct.times, from, upto, max_points } };
    let note = match kind {
        ChartKind::Concurrency => concurrency(&src, &mut d),
        ChartKind::Throttles => throttles(&src, &mut d),
        ChartKind::ColdStarts => cold_starts(&src, &mut d),
        ChartKind::Cost => cost(&src, &mut d),
        ChartKind::Provisioned => provisioned(&src, &mut d),
        ChartKind::PcUtilization => pc_utilization(&src, &mut d),
        ChartKind::AsyncQueue => async_queue(&src, &mut d),
        ChartKind::SqsBacklog => sqs_backlog(&src, &mut d),
        ChartKind::SubnetTimeouts => subnet_timeouts(&src, &mut d),
        ChartKind::Latency => latency(&src, &mut d),
    };
    if !matches!(kind, ChartKind::Concurrency | ChartKind::Provisioned | ChartKind::PcUtilization) {
        d.y_max = nice_top(max_of(&d.lines));
    }
    if d.areas.is_empty() && d.lines.is_empty() && !note.is_empty() {
        d.note = Some(note.into());
    }
    d
}

/// What each chart's builder reads: the scenario, the recorded series up to now and how to make
/// lines of them.
#[derive(Clone, Copy)]
struct Src<'a> {
    sc: &'a Scenario,
    rec: &'a Recorder,
    acct: &'a Series,
    /// Rows recorded up to the current time.
    upto: usize,
    /// Samples per second (a per-sample count times this is a rate).
    per_s: f64,
    max_points: usize,
    c: Ctx<'a>,
}

impl Src<'_> {
    /// "<function> <what>" when several functions have one, else "<what>".
    fn named(&self, many: bool, f: usize, what: &str) -> String {
        if many {
            format!("{} {what}", self.sc.functions[f].name)
        } else {
            what.to_string()
        }
    }
}

/// Concurrency, stacked per function, with the scaling ceiling and the account and reserved
/// limits. Functions in a multi-concurrency mode (Managed Instances, Web Functions) are outside
/// the account's pool: each is a line of its requests in flight with its capacity (requests its
/// ready environments can serve at once), not a layer under the account limit. Returns the note
/// shown when it has nothing to draw.
fn concurrency(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, acct, max_points, .. } = *src;
    let c = &src.c;
    d.title = "Concurrency per function vs limits".into();
    d.unit = "concurrent executions".into();
    let pooled: Vec<usize> =
        (0..sc.functions.len()).filter(|&k| !sc.functions[k].compute.is_multi()).collect();
    // Stacked: layer k holds the pooled functions up to the k-th; drawn top layer first.
    let conc: Vec<&[f32]> = rec.functions.iter().map(|s| col(s, "concurrency")).collect();
    for k in (0..pooled.len()).rev() {
        let cum = |r: usize| pooled[..=k].iter().map(|&f| at(conc[f], r)).sum::<f64>();
        let rows = decimate(c.times, &cum, c.from..c.upto, max_points);
        let f = pooled[k];
        let mut l = c.line_at(&rows, sc.functions[f].name.clone(), function_hue(f), LineStyle::Area, &cum);
        l.own = Some(rows.iter().map(|&r| at(conc[f], r)).collect());
        d.areas.push(l);
    }
    for (f, func) in sc.functions.iter().enumerate().filter(|(_, x)| x.compute.is_multi()) {
        let cap = col(&rec.functions[f], "capacity");
        d.lines.push(c.line(format!("{} in flight", func.name), function_hue(f), LineStyle::Solid, &|r| {
            at(conc[f], r)
        }));
        d.lines.push(
            c.line(format!("{} capacity", func.name), function_hue(f), LineStyle::Dashed, &|r| at(cap, r)),
        );
    }
    let multi_peak = max_of(&d.lines);
    if pooled.is_empty() {
        d.title = "Requests in flight vs capacity".into();
        d.unit = "requests in flight".into();
        d.y_max = nice_top(multi_peak.max(1.0));
        return "";
    }
    let legacy = sc.account.model == ScalingModel::Legacy;
    let limit = sc.account.limit as f64;
    let total = col(acct, "concurrency");
    let tokens = col(acct, "burst_tokens");
    let headroom: Vec<&[f32]> = pooled.iter().map(|&f| col(&rec.functions[f], "scaling_headroom")).collect();
    let ceiling = |r: usize| {
        let h = if legacy { at(tokens, r) } else { headroom.iter().map(|c| at(c, r)).sum() };
        (at(total, r) + h).min(limit)
    };
    let label = if legacy { "burst ceiling" } else { "scaling ceiling" };
    d.lines.push(c.line(label.into(), Hue::Orange, LineStyle::Dashed, &ceiling));
    d.limits.push(Limit {
        label: format!("account limit {}", fmt_count(sc.account.limit as u64)),
        value: limit,
        hue: Hue::Ink,
        id: "account",
    });
    for f in &sc.functions {
        if let Some(r) = f.reserved {
            d.limits.push(Limit {
                label: format!("{} reserved {}", f.name, fmt_count(r as u64)),
                value: r as f64,
                hue: Hue::Purple,
                id: "reserved",
            });
        }
    }
    // The limits near the data are in view; one far above it (more than 4 times its
    // peak) is left above the chart.
    let peak = max_of(&d.areas).max(multi_peak).max(1.0);
    let mut top = peak;
    for l in &d.limits {
        if l.value <= 4.0 * peak {
            top = top.max(l.value);
        }
    }
    d.y_max = nice_top(top);
    ""
}

/// Throttles per second by cause. Returns the note shown when it has nothing to draw.
fn throttles(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { acct, upto, per_s, .. } = *src;
    let c = &src.c;
    d.title = "Throttles by cause".into();
    d.unit = "per second".into();
    for r in ThrottleCause::ALL {
        let v = col(acct, r.column());
        if v[..upto.min(v.len())].iter().all(|v| *v == 0.0) {
            continue;
        }
        let value = |i: usize| at(v, i) * per_s;
        d.lines.push(c.line(throttle_label(r).into(), throttle_hue(r), LineStyle::Solid, &value));
    }
    "no request throttled so far"
}

/// Cold starts per second per function. Returns the note shown when it has nothing to draw.
fn cold_starts(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, per_s, .. } = *src;
    let c = &src.c;
    let snap = |k: usize| matches!(sc.functions[k].compute, Compute::SnapStart(_));
    let all_snap = (0..sc.functions.len()).all(snap);
    // SnapStart's cold starts are restores from the snapshot: said so in the title and labels.
    d.title = if all_snap {
        "Cold starts (SnapStart restores)"
    } else if (0..sc.functions.len()).any(snap) {
        "Cold starts (and SnapStart restores)"
    } else {
        "Cold starts"
    }
    .into();
    d.unit = "per second".into();
    for (k, s) in rec.functions.iter().enumerate() {
        let v = col(s, "cold_starts");
        let value = |r: usize| at(v, r) * per_s;
        let label = if snap(k) && !all_snap {
            format!("{} (restores)", sc.functions[k].name)
        } else {
            sc.functions[k].name.clone()
        };
        d.lines.push(c.line(label, function_hue(k), LineStyle::Solid, &value));
    }
    ""
}

/// The end-to-end latency percentiles of each sample interval, in ms: p50, p90 and p99 of one
/// function in three hues; of several, each function's p50 (solid) and p99 (dashed) in its
/// hue (p90 would triple the lines). Intervals where no request completed are gaps. Returns the
/// note shown when it has nothing to draw.
fn latency(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, .. } = *src;
    let c = &src.c;
    d.title = "Latency (end to end)".into();
    d.unit = "ms".into();
    let many = sc.functions.len() > 1;
    for (f, s) in rec.functions.iter().enumerate() {
        let cols: &[(&str, &str, Hue, LineStyle)] = if many {
            &[
                ("duration_p99_ms", "p99", function_hue(f), LineStyle::Dashed),
                ("duration_p50_ms", "p50", function_hue(f), LineStyle::Solid),
            ]
        } else {
            &[
                ("duration_p99_ms", "p99", Hue::Purple, LineStyle::Solid),
                ("duration_p90_ms", "p90", Hue::Orange, LineStyle::Solid),
                ("duration_p50_ms", "p50", Hue::Blue, LineStyle::Solid),
            ]
        };
        for &(name, what, hue, style) in cols {
            let v = col(s, name);
            let l = c.line(src.named(many, f, what), hue, style, &|r| at(v, r));
            if !l.points.is_empty() {
                d.lines.push(l);
            }
        }
    }
    "no request has completed so far"
}

/// The cost so far. Returns the note shown when it has nothing to draw.
fn cost(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { acct, .. } = *src;
    let c = &src.c;
    d.title = "Cost so far".into();
    d.unit = "USD".into();
    let v = col(acct, "cost_usd");
    d.lines.push(c.line("total".into(), Hue::Blue, LineStyle::Solid, &|r| at(v, r)));
    ""
}

/// Provisioned environments allocated, busy and spilled over, with the tracking target. Returns the note shown when it has nothing to draw.
fn provisioned(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, .. } = *src;
    let c = &src.c;
    d.title = "Provisioned concurrency: allocated vs busy".into();
    d.unit = "environments".into();
    let pcs: Vec<usize> =
        (0..sc.functions.len()).filter(|&f| sc.functions[f].provisioned.is_some()).collect();
    let many = pcs.len() > 1;
    for &f in &pcs {
        let s = &rec.functions[f];
        let (alloc, busy, conc) =
            (col(s, "provisioned_concurrency"), col(s, "provisioned_busy"), col(s, "concurrency"));
        let allocated = src.named(many, f, "allocated");
        d.areas.push(c.line(allocated, Hue::SkyBlue, LineStyle::Area, &|r| at(alloc, r)));
        d.lines.push(c.line(src.named(many, f, "busy"), Hue::Blue, LineStyle::Solid, &|r| at(busy, r)));
        let spill = |r: usize| (at(conc, r) - at(busy, r)).max(0.0);
        d.lines.push(c.line(
            src.named(many, f, "spillover (on-demand)"),
            Hue::Orange,
            LineStyle::Solid,
            &spill,
        ));
        if let Some(t) = sc.functions[f].provisioned.as_ref().and_then(|p| p.tracking.as_ref()) {
            let label = src.named(many, f, &format!("busy at target {:.0}%", t.target * 100.0));
            let target = |r: usize| at(alloc, r) * t.target;
            d.lines.push(c.line(label, Hue::Ink, LineStyle::Dashed, &target));
        }
    }
    d.y_max = nice_top(max_of(&d.areas).max(max_of(&d.lines)));
    "no function has provisioned concurrency"
}

/// Provisioned concurrency utilization per function, with the tracking target. Returns the note shown when it has nothing to draw.
fn pc_utilization(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, .. } = *src;
    let c = &src.c;
    d.title = "Provisioned concurrency utilization".into();
    d.unit = "% of allocated".into();
    for (f, func) in sc.functions.iter().enumerate() {
        let Some(p) = &func.provisioned else { continue };
        let v = col(&rec.functions[f], "pc_utilization");
        let value = |r: usize| at(v, r) * 100.0;
        d.lines.push(c.line(func.name.clone(), function_hue(f), LineStyle::Solid, &value));
        if let Some(t) = &p.tracking {
            d.limits.push(Limit {
                label: format!("target {:.0}%", t.target * 100.0),
                value: t.target * 100.0,
                hue: Hue::Ink,
                id: "pc_target",
            });
        }
    }
    // 100% at the top unless the data goes above it.
    d.y_max = nice_top(max_of(&d.lines).max(100.0) / 1.05);
    "no function has provisioned concurrency"
}

/// Asynchronous events waiting, in the dead-letter queue and dropped. Returns the note shown when it has nothing to draw.
fn async_queue(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, upto, .. } = *src;
    let c = &src.c;
    d.title = "Async events waiting and dead-letter queue".into();
    d.unit = "events".into();
    let many = sc.functions.iter().filter(|g| g.invocation == InvocationType::Async).count() > 1;
    for (f, func) in sc.functions.iter().enumerate() {
        if func.invocation != InvocationType::Async {
            continue;
        }
        let s = &rec.functions[f];
        let (queue, dlq, dropped) =
            (col(s, "async_queue"), col(s, "dlq_messages"), col(s, "async_events_dropped"));
        d.lines.push(c.line(src.named(many, f, "queued"), Hue::Orange, LineStyle::Solid, &|r| at(queue, r)));
        d.lines
            .push(c.line(src.named(many, f, "in DLQ"), Hue::Vermillion, LineStyle::Solid, &|r| at(dlq, r)));
        // Events lost with no dead-letter queue to keep them (a cumulative count).
        if dropped[..upto.min(dropped.len())].iter().any(|v| *v > 0.0) {
            d.lines.push(
                c.line(src.named(many, f, "dropped"), Hue::Purple, LineStyle::Solid, &|r| at(dropped, r)),
            );
        }
    }
    "no function is invoked asynchronously"
}

/// Each event source's queue backlog. Returns the note shown when it has nothing to draw.
fn sqs_backlog(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, .. } = *src;
    let c = &src.c;
    d.title = "Queue backlog (event source)".into();
    d.unit = "messages".into();
    for (f, func) in sc.functions.iter().enumerate() {
        if func.source.is_some() {
            let v = col(&rec.functions[f], "sqs_backlog");
            d.lines.push(c.line(func.name.clone(), function_hue(f), LineStyle::Solid, &|r| at(v, r)));
        }
    }
    "no function has an event source"
}

/// Timeouts per second in each subnet a function uses. Returns the note shown when it has nothing to draw.
fn subnet_timeouts(src: &Src, d: &mut ChartData) -> &'static str {
    let Src { sc, rec, upto, per_s, max_points, .. } = *src;
    d.title = "Timeouts per subnet (network)".into();
    d.unit = "per second".into();
    let mut note = "no function is placed in a VPC subnet";
    if let Some(vpc) = &sc.vpc {
        let mut used: Vec<u32> = sc
            .functions
            .iter()
            .filter_map(|f| f.vpc.as_ref())
            .flat_map(|v| v.subnets.iter().map(|s| s.0))
            .collect();
        crate::size::order::sort(&mut used);
        used.dedup();
        let (mut pub_i, mut priv_i) = (0, 0);
        for sid in used {
            let Some(s) = rec.subnets.get(sid as usize) else { continue };
            let sid = crate::network::SubnetId(sid);
            let public = vpc.is_public(sid);
            let (hue, style, kind) = if public {
                pub_i += 1;
                ([Hue::Purple, Hue::Vermillion, Hue::Orange][(pub_i - 1) % 3], LineStyle::Dashed, "public")
            } else {
                priv_i += 1;
                ([Hue::Blue, Hue::Green, Hue::SkyBlue][(priv_i - 1) % 3], LineStyle::Solid, "private")
            };
            let v = col(s, "timeouts");
            let upto = upto.min(s.times.len());
            let sub = Ctx { times: &s.times, from: src.c.from.min(upto), upto, max_points };
            let label = format!("{} ({kind})", vpc.subnet_name(sid));
            d.lines.push(sub.line(label, hue, style, &|r| at(v, r) * per_s));
        }
    } else {
        note = "no VPC: the functions use Lambda-managed networking";
    }
    note
}

/// The values of each series at time `t` (seconds): the last point at or before it (a stacked
/// layer's own value, not the stack's).
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
mod tests;
