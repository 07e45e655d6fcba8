//! Traffic: how many requests per second arrive at a function over time, and when each one
//! arrives.
//!
//! Every pattern is a rate curve made of linear pieces ([`Segment`]s, generated lazily so that
//! periodic patterns cost nothing per period). Arrival times come from inverting the integrated
//! rate: a Poisson process draws an Exp(1) amount of "rate area" per request, a regular process
//! spends exactly one. That is exact for every pattern, one square root per arrival at most.

use crate::error::{index, join, Errors};
use crate::time::{at_least_zero, micros_to_secs, DurationSpec, Micros};
use rand::Rng;
use rand_distr::{Distribution, Exp1};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Highest rate a pattern may ask for, in requests per second per function.
pub const MAX_RATE: f64 = 1_000_000.0;
/// Linear pieces per period used to draw a sine curve.
const SINE_PIECES: u32 = 96;

/// How requests are spread within the rate curve.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Arrivals {
    /// Random arrivals (a Poisson process following the rate curve).
    #[default]
    Poisson,
    /// Evenly spaced arrivals at the current rate.
    Regular,
}

/// A time and a rate in requests per second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatePoint {
    pub at: DurationSpec,
    pub rate: f64,
}

/// A traffic pattern: rates are requests per second.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
// In wasm, read by `crate::size::tagged` (less code than the derive).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TrafficSpec {
    /// No traffic.
    None {},
    /// The same rate all the time.
    Constant {
        rate: f64,
        #[serde(default)]
        arrivals: Arrivals,
    },
    /// `rate` until the first step, then each step's rate from its time on.
    Step {
        rate: f64,
        steps: Vec<RatePoint>,
        #[serde(default)]
        arrivals: Arrivals,
    },
    /// `from` until `start`, rising (or falling) linearly to `to` at `end`, then `to`.
    Ramp {
        from: f64,
        to: f64,
        start: DurationSpec,
        end: DurationSpec,
        #[serde(default)]
        arrivals: Arrivals,
    },
    /// A daily-style wave: `mean + amplitude * sin(2π (t + phase) / period)`, never below 0.
    Sine {
        mean: f64,
        amplitude: f64,
        period: DurationSpec,
        #[serde(default = "zero_duration")]
        phase: DurationSpec,
        #[serde(default)]
        arrivals: Arrivals,
    },
    /// `base` rate with a burst at `burst_rate` lasting `burst_for`, every `every`, the first
    /// at `start`.
    Bursts {
        base: f64,
        burst_rate: f64,
        every: DurationSpec,
        burst_for: DurationSpec,
        #[serde(default = "zero_duration")]
        start: DurationSpec,
        #[serde(default)]
        arrivals: Arrivals,
    },
    /// Straight lines between points (time, rate); the first rate holds before the first point
    /// and the last after the last one. `csv` ("time_s,rate" lines) may replace `points`.
    Points {
        #[serde(default)]
        points: Vec<RatePoint>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        csv: Option<String>,
        #[serde(default)]
        arrivals: Arrivals,
    },
}

fn zero_duration() -> DurationSpec {
    DurationSpec::Seconds(0.0)
}

#[cfg(target_arch = "wasm32")]
impl<'de> Deserialize<'de> for TrafficSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::size::tagged::deserialize(d)
    }
}

/// The fields of every pattern, for [`crate::size::tagged`].
#[cfg(any(test, target_arch = "wasm32"))]
mod flat {
    use super::{zero_duration, Arrivals, RatePoint, TrafficSpec};
    use crate::size::tagged::{field_names, need, Shape, Table, Tagged};
    use crate::time::DurationSpec;
    use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Unexpected, Visitor};
    use std::fmt;

    /// Slots by type, each in `TABLE.fields` order.
    #[derive(Default)]
    pub struct Slots {
        rates: [Option<f64>; 7],
        durations: [Option<DurationSpec>; 6],
        arrivals: Option<Arrivals>,
        lists: [Option<Vec<RatePoint>>; 2],
        csv: Option<Option<String>>,
    }

    // Rates, durations, then the others (as in `Slots`).
    field_names!(
        RATE = "rate",
        FROM = "from",
        TO = "to",
        MEAN = "mean",
        AMPLITUDE = "amplitude",
        BASE = "base",
        BURST_RATE = "burst_rate",
        START = "start",
        END = "end",
        PERIOD = "period",
        PHASE = "phase",
        EVERY = "every",
        BURST_FOR = "burst_for",
        ARRIVALS = "arrivals",
        STEPS = "steps",
        POINTS = "points",
        CSV = "csv",
    );

    impl Tagged for TrafficSpec {
        const TABLE: &'static Table = &Table {
            name: "TrafficSpec",
            tag: "type",
            variants: &["none", "constant", "step", "ramp", "sine", "bursts", "points"],
            shapes: &[
                Shape { ident: "None", fields: &[], required: 0 },
                Shape { ident: "Constant", fields: &[RATE, ARRIVALS], required: 1 },
                Shape { ident: "Step", fields: &[RATE, STEPS, ARRIVALS], required: 2 },
                Shape { ident: "Ramp", fields: &[FROM, TO, START, END, ARRIVALS], required: 4 },
                Shape { ident: "Sine", fields: &[MEAN, AMPLITUDE, PERIOD, PHASE, ARRIVALS], required: 3 },
                Shape {
                    ident: "Bursts",
                    fields: &[BASE, BURST_RATE, EVERY, BURST_FOR, START, ARRIVALS],
                    required: 4,
                },
                Shape { ident: "Points", fields: &[POINTS, CSV, ARRIVALS], required: 0 },
            ],
            fields: FIELDS,
        };
        type Slots = Slots;

        fn read<'de, D: Deserializer<'de>>(s: &mut Slots, i: usize, d: D) -> Result<(), D::Error> {
            match i {
                0..=6 => s.rates[i] = Some(f64::deserialize(d)?),
                7..=12 => s.durations[i - 7] = Some(DurationSpec::deserialize(d)?),
                13 => s.arrivals = Some(d.deserialize_any(ArrivalsVisitor)?),
                14 | 15 => s.lists[i - 14] = Some(Vec::deserialize(d)?),
                _ => s.csv = Some(Option::deserialize(d)?),
            }
            Ok(())
        }

        fn build<E: Error>(v: usize, s: Slots) -> Result<Self, E> {
            let [rate, from, to, mean, amplitude, base, burst_rate] = s.rates;
            let [start, end, period, phase, every, burst_for] = s.durations;
            let [steps, points] = s.lists;
            let arrivals = s.arrivals.unwrap_or_default();
            Ok(match v {
                0 => TrafficSpec::None {},
                1 => TrafficSpec::Constant { rate: need(rate, RATE)?, arrivals },
                2 => TrafficSpec::Step { rate: need(rate, RATE)?, steps: need(steps, STEPS)?, arrivals },
                3 => TrafficSpec::Ramp {
                    from: need(from, FROM)?,
                    to: need(to, TO)?,
                    start: need(start, START)?,
                    end: need(end, END)?,
                    arrivals,
                },
                4 => TrafficSpec::Sine {
                    mean: need(mean, MEAN)?,
                    amplitude: need(amplitude, AMPLITUDE)?,
                    period: need(period, PERIOD)?,
                    phase: phase.unwrap_or_else(zero_duration),
                    arrivals,
                },
                5 => TrafficSpec::Bursts {
                    base: need(base, BASE)?,
                    burst_rate: need(burst_rate, BURST_RATE)?,
                    every: need(every, EVERY)?,
                    burst_for: need(burst_for, BURST_FOR)?,
                    start: start.unwrap_or_else(zero_duration),
                    arrivals,
                },
                _ => {
                    TrafficSpec::Points { points: points.unwrap_or_default(), csv: s.csv.flatten(), arrivals }
                }
            })
        }
    }

    /// `arrivals` as the derive reads it from its buffer: a name, or a map from one name to
    /// `null` or `{}`.
    struct ArrivalsVisitor;

    impl<'de> Visitor<'de> for ArrivalsVisitor {
        type Value = Arrivals;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("string or map")
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Arrivals, E> {
            match v {
                "poisson" => Ok(Arrivals::Poisson),
                "regular" => Ok(Arrivals::Regular),
                _ => Err(E::unknown_variant(v, &["poisson", "regular"])),
            }
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Arrivals, A::Error> {
            let single = || A::Error::invalid_value(Unexpected::Map, &"map with a single key");
            let name: String = map.next_key()?.ok_or_else(single)?;
            map.next_value_seed(UnitVisitor)?;
            if map.next_key::<IgnoredAny>()?.is_some() {
                return Err(single());
            }
            self.visit_str(&name)
        }
    }

    /// A unit variant's value in the map form: `null` or `{}`.
    struct UnitVisitor;

    impl<'de> serde::de::DeserializeSeed<'de> for UnitVisitor {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for UnitVisitor {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("unit")
        }

        fn visit_unit<E: Error>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            match map.next_key::<IgnoredAny>()? {
                None => Ok(()),
                Some(_) => Err(A::Error::invalid_type(Unexpected::Map, &self)),
            }
        }
    }
}

/// One linear piece of a rate curve over `[start, end)` seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Segment {
    fn slope(&self) -> f64 {
        if self.end.is_finite() && self.end > self.start {
            (self.r1 - self.r0) / (self.end - self.start)
        } else {
            0.0
        }
    }
    fn rate_at(&self, t: f64) -> f64 {
        at_least_zero(self.r0 + self.slope() * (t - self.start))
    }
}

/// A validated rate curve.
#[derive(Debug, Clone)]
pub enum Pattern {
    None,
    /// Piecewise-linear knots (seconds, rate), sorted, at least one.
    Knots(Vec<(f64, f64)>),
    /// Steps: `(time, rate)` sorted, rate held until the next.
    Steps(Vec<(f64, f64)>),
    Sine {
        mean: f64,
        amplitude: f64,
        period: f64,
        phase: f64,
    },
    Bursts {
        base: f64,
        burst: f64,
        every: f64,
        burst_for: f64,
        start: f64,
    },
}

/// The validated traffic of one function.
#[derive(Debug, Clone)]
pub struct Traffic {
    pub pattern: Pattern,
    pub arrivals: Arrivals,
}

impl TrafficSpec {
    pub fn constant(rate: f64) -> Self {
        TrafficSpec::Constant { rate, arrivals: Arrivals::Poisson }
    }

    pub fn validate(&self, path: &str, errs: &mut Errors) -> Option<Traffic> {
        let before = errs.list.len();
        let rate_ok = |errs: &mut Errors, field: String, r: f64| {
            if !r.is_finite() || r < 0.0 {
                errs.push(field, format!("{r} is not a rate: requests per second must be 0 or more"));
            } else if r > MAX_RATE {
                errs.push(
                    field,
                    format!("{r} requests/s is above the simulator's limit of 1,000,000 per function"),
                );
            }
        };
        let dur_ok = |errs: &mut Errors, field: String, d: &DurationSpec, positive: bool| -> f64 {
            if !d.is_valid() || (positive && d.micros() == 0) {
                errs.push(
                    field,
                    if positive {
                        "must be a duration longer than 0"
                    } else {
                        "must be a duration of 0 or more"
                    },
                );
            }
            micros_to_secs(d.micros())
        };
        let (pattern, arrivals) = match self {
            TrafficSpec::None {} => (Pattern::None, Arrivals::Poisson),
            TrafficSpec::Constant { rate, arrivals } => {
                rate_ok(errs, join(path, "rate"), *rate);
                (Pattern::Steps(vec![(0.0, *rate)]), *arrivals)
            }
            TrafficSpec::Step { rate, steps, arrivals } => {
                rate_ok(errs, join(path, "rate"), *rate);
                let mut knots = vec![(0.0, *rate)];
                let mut last = 0.0;
                for (i, s) in steps.iter().enumerate() {
                    let p = index(&join(path, "steps"), i);
                    rate_ok(errs, join(&p, "rate"), s.rate);
                    let at = dur_ok(errs, join(&p, "at"), &s.at, false);
                    if at < last {
                        errs.push(join(&p, "at"), "steps must be in time order");
                    }
                    last = at;
                    knots.push((at, s.rate));
                }
                (Pattern::Steps(knots), *arrivals)
            }
            TrafficSpec::Ramp { from, to, start, end, arrivals } => {
                rate_ok(errs, join(path, "from"), *from);
                rate_ok(errs, join(path, "to"), *to);
                let s = dur_ok(errs, join(path, "start"), start, false);
                let e = dur_ok(errs, join(path, "end"), end, false);
                if e <= s {
                    errs.push(join(path, "end"), "the ramp must end after it starts");
                }
                (Pattern::Knots(vec![(s, *from), (e, *to)]), *arrivals)
            }
            TrafficSpec::Sine { mean, amplitude, period, phase, arrivals } => {
                rate_ok(errs, join(path, "mean"), *mean);
                rate_ok(errs, join(path, "amplitude"), *amplitude);
                let p = dur_ok(errs, join(path, "period"), period, true);
                let ph = dur_ok(errs, join(path, "phase"), phase, false);
                (Pattern::Sine { mean: *mean, amplitude: *amplitude, period: p, phase: ph }, *arrivals)
            }
            TrafficSpec::Bursts { base, burst_rate, every, burst_for, start, arrivals } => {
                rate_ok(errs, join(path, "base"), *base);
                rate_ok(errs, join(path, "burst_rate"), *burst_rate);
                let ev = dur_ok(errs, join(path, "every"), every, true);
                let bf = dur_ok(errs, join(path, "burst_for"), burst_for, true);
                let st = dur_ok(errs, join(path, "start"), start, false);
                if bf > ev {
                    errs.push(
                        join(path, "burst_for"),
                        "a burst cannot last longer than the time between bursts",
                    );
                }
                (
                    Pattern::Bursts { base: *base, burst: *burst_rate, every: ev, burst_for: bf, start: st },
                    *arrivals,
                )
            }
            TrafficSpec::Points { points, csv, arrivals } => {
                let mut knots: Vec<(f64, f64)> = Vec::new();
                match csv {
                    Some(text) => match parse_points_csv(text) {
                        Ok(k) => knots = k,
                        Err(e) => errs.push(join(path, "csv"), e),
                    },
                    None => {
                        for (i, p) in points.iter().enumerate() {
                            let ip = index(&join(path, "points"), i);
                            rate_ok(errs, join(&ip, "rate"), p.rate);
                            let at = dur_ok(errs, join(&ip, "at"), &p.at, false);
                            knots.push((at, p.rate));
                        }
                    }
                }
                if csv.is_some() && !points.is_empty() {
                    errs.push(join(path, "points"), "give either points or csv, not both");
                }
                if knots.is_empty() && errs.list.len() == before {
                    errs.push(join(path, "points"), "needs at least one point");
                }
                if knots.windows(2).any(|w| w[1].0 < w[0].0) {
                    errs.push(join(path, "points"), "points must be in time order");
                }
                if knots.len() > 100_000 {
                    errs.push(join(path, "points"), "at most 100,000 points");
                }
                (Pattern::Knots(knots), *arrivals)
            }
        };
        if errs.list.len() > before {
            return None;
        }
        Some(Traffic { pattern, arrivals })
    }
}

/// Reads "time_s,rate" lines (a header line, blank lines and `#` comments are skipped).
/// Errors name the line.
pub fn parse_points_csv(text: &str) -> Result<Vec<(f64, f64)>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split([',', ';', '\t']).map(str::trim);
        let (a, b) = (cols.next().unwrap_or(""), cols.next());
        let parsed =
            b.and_then(|b| Some((crate::size::number::parse_f64(a)?, crate::size::number::parse_f64(b)?)));
        match parsed {
            Some((t, r)) if t.is_finite() && t >= 0.0 && r.is_finite() && (0.0..=MAX_RATE).contains(&r) => {
                if out.last().is_some_and(|&(pt, _)| t < pt) {
                    return Err(format!("line {}: time {t} s comes before the previous line's", n + 1));
                }
                out.push((t, r));
            }
            Some((t, r)) => {
                return Err(format!("line {}: '{t},{r}' needs a time of 0 s or more and a rate between 0 and 1,000,000 per second", n + 1))
            }
            None if out.is_empty() && n == 0 => continue, // a header such as "time_s,rate"
            None => return Err(format!("line {}: '{line}' is not 'time_s,rate'", n + 1)),
        }
        if out.len() > 100_000 {
            return Err("more than 100,000 points".into());
        }
    }
    if out.is_empty() {
        return Err("no 'time_s,rate' lines found".into());
    }
    Ok(out)
}

impl Pattern {
    /// The linear piece containing time `t` (seconds, `t >= 0`).
    pub fn segment(&self, t: f64) -> Segment {
        match self {
            Pattern::None => Segment { start: 0.0, end: f64::INFINITY, r0: 0.0, r1: 0.0 },
            Pattern::Steps(k) => {
                let i = k.partition_point(|&(at, _)| at <= t).saturating_sub(1);
                let end = k.get(i + 1).map_or(f64::INFINITY, |n| n.0);
                Segment { start: k[i].0.min(t), end, r0: k[i].1, r1: k[i].1 }
            }
            Pattern::Knots(k) => {
                let i = k.partition_point(|&(at, _)| at <= t);
                if i == 0 {
                    Segment { start: 0.0, end: k[0].0, r0: k[0].1, r1: k[0].1 }
                } else if i == k.len() {
                    let l = k[k.len() - 1];
                    Segment { start: l.0, end: f64::INFINITY, r0: l.1, r1: l.1 }
                } else {
                    Segment { start: k[i - 1].0, end: k[i].0, r0: k[i - 1].1, r1: k[i].1 }
                }
            }
            Pattern::Sine { mean, amplitude, period, phase } => {
                let piece = period / SINE_PIECES as f64;
                let n = (t / piece).floor();
                let (s, e) = (n * piece, (n + 1.0) * piece);
                let f = |x: f64| {
                    (mean + amplitude * (std::f64::consts::TAU * (x + phase) / period).sin()).max(0.0)
                };
                Segment { start: s, end: e.max(s + f64::EPSILON * s.abs().max(1.0)), r0: f(s), r1: f(e) }
            }
            Pattern::Bursts { base, burst, every, burst_for, start } => {
                if t < *start {
                    return Segment { start: 0.0, end: *start, r0: *base, r1: *base };
                }
                let n = ((t - start) / every).floor();
                let b0 = start + n * every;
                let b1 = b0 + burst_for;
                if t < b1 {
                    Segment { start: b0, end: b1, r0: *burst, r1: *burst }
                } else {
                    Segment { start: b1, end: b0 + every, r0: *base, r1: *base }
                }
            }
        }
    }

    /// Requests per second at time `t` seconds (what previews and charts draw).
    pub fn rate_at(&self, t: f64) -> f64 {
        self.segment(t).rate_at(t)
    }
}

/// Draws successive arrival times of one function. Cloneable so that simulation checkpoints
/// can resume it exactly.
#[derive(Debug, Clone)]
pub struct ArrivalGen {
    /// Current time in seconds.
    t: f64,
    seg: Segment,
    done: bool,
}

impl ArrivalGen {
    pub fn new(pattern: &Pattern) -> Self {
        Self::starting_at(pattern, 0.0)
    }

    /// A generator whose first arrival comes after `t` seconds (traffic changed mid-run).
    pub fn starting_at(pattern: &Pattern, t: f64) -> Self {
        ArrivalGen { t, seg: pattern.segment(t), done: false }
    }

    /// The next arrival time in microseconds, or `None` when the rate stays 0 for ever.
    pub fn next<R: Rng + ?Sized>(&mut self, traffic: &Traffic, rng: &mut R) -> Option<Micros> {
        if self.done {
            return None;
        }
        let mut need: f64 = match traffic.arrivals {
            Arrivals::Poisson => Exp1.sample(rng),
            Arrivals::Regular => 1.0,
        };
        // Fast path (once per request of constant traffic): a piece that never ends, at a
        // constant positive rate. The loop below does the very same arithmetic there (slope
        // 0, rate `r0`), so the times are the same to the bit.
        let seg = self.seg;
        if seg.end == f64::INFINITY && self.t >= seg.start && seg.r0 == seg.r1 && seg.r0 > 0.0 {
            let d = need / seg.r0;
            if d.is_finite() {
                self.t += at_least_zero(d);
                return Some(crate::time::secs_to_micros(self.t));
            }
        }
        // Bounded: each loop either finds the arrival or moves to the next piece; a guard stops
        // pathological curves (a piece count this high means no traffic for ~ever).
        for _ in 0..1_000_000 {
            if !(self.t >= self.seg.start && self.t < self.seg.end) {
                self.seg = traffic.pattern.segment(self.t);
            }
            let seg = self.seg;
            let slope = seg.slope();
            let rc = seg.rate_at(self.t);
            if seg.end.is_finite() {
                let span = seg.end - self.t;
                let r_end = seg.rate_at(seg.end);
                // Area under the (clamped) line to the end of the piece.
                let area = if slope >= 0.0 || r_end > 0.0 {
                    (rc + r_end) / 2.0 * span
                } else {
                    // The line reaches 0 inside the piece: the area is a triangle.
                    rc * rc / (-2.0 * slope)
                };
                if area < need {
                    need -= area;
                    self.t = seg.end;
                    continue;
                }
            } else if slope == 0.0 && rc <= 0.0 {
                self.done = true;
                return None;
            }
            // Solve rc*d + slope*d²/2 = need for d, in the cancellation-free form.
            let d = if slope == 0.0 {
                need / rc
            } else {
                let disc = at_least_zero(rc * rc + 2.0 * slope * need);
                2.0 * need / (rc + disc.sqrt())
            };
            if !d.is_finite() {
                self.done = true;
                return None;
            }
            self.t += at_least_zero(d);
            return Some(crate::time::secs_to_micros(self.t));
        }
        self.done = true;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn count(spec: TrafficSpec, from: f64, to: f64) -> usize {
        let mut errs = Errors::default();
        let tr = spec.validate("t", &mut errs).expect("valid");
        let mut gen = ArrivalGen::new(&tr.pattern);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut n = 0;
        while let Some(t) = gen.next(&tr, &mut rng) {
            let s = micros_to_secs(t);
            if s >= to {
                break;
            }
            if s >= from {
                n += 1;
            }
        }
        n
    }

    #[test]
    fn regular_constant_rate_is_exact() {
        let spec = TrafficSpec::Constant { rate: 10.0, arrivals: Arrivals::Regular };
        assert_eq!(count(spec, 0.0, 100.0), 999); // arrivals at 0.1, 0.2, ..., 99.9
    }

    #[test]
    fn poisson_rate_is_right_on_average() {
        let n = count(TrafficSpec::constant(50.0), 0.0, 1000.0) as f64;
        assert!((n - 50_000.0).abs() < 4.0 * 50_000f64.sqrt(), "{n}");
    }

    #[test]
    fn ramp_integrates_the_trapezoid() {
        let spec = TrafficSpec::Ramp {
            from: 0.0,
            to: 100.0,
            start: DurationSpec::Seconds(10.0),
            end: DurationSpec::Seconds(30.0),
            arrivals: Arrivals::Regular,
        };
        // 0 before 10 s; 1,000 requests during the ramp; 100/s after.
        assert_eq!(count(spec.clone(), 0.0, 10.0), 0);
        let ramp = count(spec.clone(), 10.0, 30.0) as i64;
        assert!((ramp - 1000).abs() <= 1, "{ramp}");
        let after = count(spec, 30.0, 40.0) as i64;
        assert!((after - 1000).abs() <= 1, "{after}");
    }

    #[test]
    fn steps_and_bursts_follow_their_rates() {
        let steps = TrafficSpec::Step {
            rate: 1.0,
            steps: vec![RatePoint { at: DurationSpec::Seconds(100.0), rate: 20.0 }],
            arrivals: Arrivals::Regular,
        };
        assert_eq!(count(steps.clone(), 0.0, 100.0), 99);
        assert!((count(steps, 100.0, 200.0) as i64 - 2000).abs() <= 1);
        let bursts = TrafficSpec::Bursts {
            base: 0.0,
            burst_rate: 100.0,
            every: DurationSpec::Seconds(60.0),
            burst_for: DurationSpec::Seconds(5.0),
            start: DurationSpec::Seconds(10.0),
            arrivals: Arrivals::Regular,
        };
        // Three bursts of 500 in 180 s.
        let n = count(bursts, 0.0, 180.0) as i64;
        assert!((n - 1500).abs() <= 3, "{n}");
    }

    #[test]
    fn sine_averages_to_its_mean() {
        let spec = TrafficSpec::Sine {
            mean: 100.0,
            amplitude: 80.0,
            period: DurationSpec::Seconds(600.0),
            phase: DurationSpec::Seconds(0.0),
            arrivals: Arrivals::Regular,
        };
        let n = count(spec, 0.0, 6000.0) as f64;
        assert!((n / 600_000.0 - 1.0).abs() < 0.01, "{n}");
    }

    #[test]
    fn csv_points_parse_with_line_numbers() {
        assert_eq!(
            parse_points_csv("time_s,rate\n0,10\n60,100\n").unwrap(),
            vec![(0.0, 10.0), (60.0, 100.0)]
        );
        assert!(parse_points_csv("0,10\n30,abc").unwrap_err().contains("line 2"));
        assert!(parse_points_csv("10,1\n5,1").unwrap_err().contains("before"));
        assert!(parse_points_csv("").is_err());
    }

    #[test]
    fn zero_rate_ends_the_stream() {
        assert_eq!(count(TrafficSpec::constant(0.0), 0.0, 1e9), 0);
        assert_eq!(count(TrafficSpec::None {}, 0.0, 1e9), 0);
    }
}
