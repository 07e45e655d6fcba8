//! The narrative states only what happened: every line the narrator writes is held against what
//! the run recorded over the same span (the series, the per-interval tallies, the trace), its
//! cause against the cause the engine recorded and the figures in force then, and its episodes
//! against the rules that keep them from flip-flopping. [`check_narrative`] returns every
//! violation; it runs over every preset (and its variants), every fixture and random scenarios.

use lambdascape_engine::scenario::{
    Compute, OnFailure, ScalingModel, Scenario, ScenarioSpec, Statistic, WEB_ENDPOINT_RPS,
};
use lambdascape_engine::sim::narrative::{fmt_count, MAX_ENTRIES};
use lambdascape_engine::sim::{
    Entry, EntryKind, Fate, GivenUpTo, Mode, Options, Rows, Simulation, Tally, ThrottleCause, ThrottleMoment,
};
use lambdascape_engine::time::{Clock, Micros, MICROS_PER_SEC};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Longest a throttling episode may stay quiet before it is over (the narrator's `QUIET`).
const QUIET: Micros = 30 * MICROS_PER_SEC;
/// Invocations traced for the checks that need them (skipped past this).
const TRACE_LIMIT: u32 = 3_000_000;

/// Runs a scenario with the trace the checks use.
pub fn run(spec: &ScenarioSpec) -> Result<Simulation, String> {
    let scenario = spec.validate().map_err(|e| format!("does not validate:\n{e}"))?;
    let mut sim = Simulation::with_seed(
        scenario,
        spec.seed,
        Options { trace_limit: TRACE_LIMIT, ..Default::default() },
    );
    sim.run();
    Ok(sim)
}

/// What the run recorded, indexed for the checks.
struct Run<'a> {
    sim: &'a Simulation,
    /// (function, row time) -> tally.
    tallies: BTreeMap<(u32, Micros), &'a Tally>,
    /// Whether the trace holds every finished invocation.
    trace_complete: bool,
}

impl<'a> Run<'a> {
    fn new(sim: &'a Simulation) -> Self {
        let rec = sim.recorder();
        Run {
            sim,
            tallies: rec.tallies.iter().map(|t| ((t.function, t.time), t)).collect(),
            trace_complete: rec.trace.len() < TRACE_LIMIT as usize,
        }
    }
    /// The scenario version in force at `t` (a change applies before anything at its time).
    fn at(&self, t: Micros) -> &'a Scenario {
        let base = self.sim.scenario();
        base.epochs.iter().rev().find(|e| e.at <= t).map_or(base, |e| &e.scenario)
    }
    fn rows(&self, f: u32, rows: Rows) -> impl Iterator<Item = &'a Tally> + '_ {
        self.tallies.range((f, rows.from)..=(f, rows.to)).map(|(_, t)| *t)
    }
    fn tally(&self, f: u32, t: Micros) -> Option<&'a Tally> {
        self.tallies.get(&(f, t)).copied()
    }
    fn throttles(&self, f: u32, cause: ThrottleCause, rows: Rows) -> u64 {
        self.rows(f, rows).filter_map(|t| t.throttled(cause)).map(|c| c.count).sum()
    }
    /// A function's series column at the row of time `t` (which must be a sample time).
    fn fcol(&self, f: u32, col: &str, t: Micros) -> Option<f32> {
        let s = &self.sim.recorder().functions[f as usize];
        let i = s.times.binary_search(&t).ok()?;
        Some(s.column(col)?[i])
    }
    fn acol(&self, col: &str, t: Micros) -> Option<f32> {
        let s = &self.sim.recorder().account;
        let i = s.times.binary_search(&t).ok()?;
        Some(s.column(col)?[i])
    }
    /// Sum of a function's series column over the rows `rows`.
    fn fsum(&self, f: u32, col: &str, rows: Rows) -> f64 {
        let s = &self.sim.recorder().functions[f as usize];
        let c = s.column(col).unwrap();
        s.times
            .iter()
            .zip(c)
            .filter(|(t, _)| (rows.from..=rows.to).contains(*t))
            .map(|(_, v)| *v as f64)
            .sum()
    }
    /// Work waiting for function `f` at row `t`, as the series say.
    fn waiting(&self, f: u32, t: Micros) -> Option<u64> {
        let q = self.fcol(f, "async_queue", t)? + self.fcol(f, "sqs_backlog", t)?;
        Some(q as u64)
    }
    fn eni_ready_at(&self) -> Micros {
        self.sim.scenario().eni_creation.unwrap_or(0)
    }
}

/// Every violation of "the narrative states only what happened" in a finished run.
pub fn check_narrative(sim: &Simulation) -> Vec<String> {
    let run = Run::new(sim);
    let rec = sim.recorder();
    let mut out = Vec::new();
    let sc = sim.scenario();
    let name = |f: u32| sc.functions[f as usize].name.clone();
    let truncated = rec.narrative.len() > MAX_ENTRIES;

    // The engine's own records agree with each other: the tallies with the series.
    for (f, s) in rec.functions.iter().enumerate() {
        let f = f as u32;
        let (cold, thr, dlq, dropped) = (
            s.column("cold_starts").unwrap(),
            s.column("throttles").unwrap(),
            s.column("dlq_messages").unwrap(),
            s.column("async_events_dropped").unwrap(),
        );
        for (i, &t) in s.times.iter().enumerate() {
            let tl = run.tally(f, t);
            let got = |x: fn(&Tally) -> u64| tl.map_or(0, x);
            if got(|t| t.cold_starts) != cold[i] as u64 {
                out.push(format!(
                    "engine: {} at {}: tally {} cold starts, series {}",
                    name(f),
                    Clock(t),
                    got(|t| t.cold_starts),
                    cold[i]
                ));
            }
            let by_cause: u64 = tl.map_or(0, |t| t.throttles.iter().map(|c| c.count).sum());
            if by_cause != thr[i] as u64 {
                out.push(format!(
                    "engine: {} at {}: throttles by cause {by_cause}, series {}",
                    name(f),
                    Clock(t),
                    thr[i]
                ));
            }
            let (d_dlq, d_dropped) = match i {
                0 => (dlq[0] as u64, dropped[0] as u64),
                _ => ((dlq[i] - dlq[i - 1]) as u64, (dropped[i] - dropped[i - 1]) as u64),
            };
            let given: u64 = tl.map_or(0, |t| t.given_up.iter().sum());
            let to_dlq = run.at(t).functions[f as usize].async_cfg.on_failure != OnFailure::None;
            let (want_dlq, want_dropped) =
                if to_dlq { (given + got(|t| t.source_dlq), 0) } else { (got(|t| t.source_dlq), given) };
            if (d_dlq, d_dropped) != (want_dlq, want_dropped) {
                out.push(format!(
                    "engine: {} at {}: DLQ +{d_dlq} / dropped +{d_dropped} in the series, tallies say +{want_dlq} / +{want_dropped}",
                    name(f),
                    Clock(t)
                ));
            }
        }
    }

    // Entries in time order.
    for w in rec.narrative.windows(2) {
        if w[1].time < w[0].time {
            out.push(format!("order: '{}' after '{}'", w[1].line(), w[0].line()));
        }
    }

    let mut starts = BTreeMap::new();
    // Open throttling episodes per (function, cause): the opening line's rows.from and the
    // counts told so far.
    let mut open: BTreeMap<(u32, ThrottleCause), (Micros, u64)> = BTreeMap::new();
    let mut episodes: BTreeMap<(u32, ThrottleCause), Vec<(Micros, Micros)>> = BTreeMap::new();
    let mut pending_eps: BTreeMap<(u32, bool), Vec<(Micros, Micros)>> = BTreeMap::new();
    let mut last_limit: BTreeMap<Option<u32>, Micros> = BTreeMap::new();
    for (k, e) in rec.narrative.iter().enumerate() {
        let mut bad = |what: String| out.push(format!("{}: {what}", e.line()));
        match &e.kind {
            EntryKind::Start(s) => {
                if starts.insert(s.function, e.time).is_some() {
                    bad("a second 'first requests' line for the function".into());
                }
                check_start(&run, e, s.function, s.mode, s.fate, &mut bad);
            }
            EntryKind::ColdStarts(c) => {
                let series = run.fsum(c.function, "cold_starts", c.rows) as u64;
                if c.count != series {
                    bad(format!("counts {} cold starts, the series {series} over the same rows", c.count));
                }
                let peak = run.rows(c.function, c.rows).map(|t| t.peak_concurrency).max().unwrap_or(0);
                if c.peak_concurrency != peak {
                    bad(format!("says concurrency up to {}, the run peaked at {peak}", c.peak_concurrency));
                }
                let removed: u64 = run.rows(c.function, c.rows).map(|t| t.reaped + t.recycled).sum();
                if c.count > c.peak_concurrency as u64 + removed {
                    bad(format!(
                        "{} cold starts cannot fit a peak concurrency of {} with {removed} environments removed",
                        c.count, c.peak_concurrency
                    ));
                }
                if c.failing > c.count {
                    bad("more landed in failing subnets than started".into());
                }
                if !e.text.contains(&fmt_count(c.count))
                    || !e.text.contains(&format!("up to {}", fmt_count(c.peak_concurrency as u64)))
                {
                    bad("the text does not give the line's figures".into());
                }
            }
            EntryKind::Throttling(t) => {
                let key = (t.function, t.cause);
                let counted = run.throttles(t.function, t.cause, t.rows);
                if t.count != counted {
                    bad(format!(
                        "counts {} throttles ({}), the engine {counted} over the same rows",
                        t.count,
                        t.cause.label()
                    ));
                }
                // The moment is the one the engine recorded for this cause (the first of the
                // episode, or the last of the summary).
                let recorded = if t.more {
                    run.tally(t.function, t.rows.to).and_then(|x| x.throttled(t.cause)).map(|c| c.last)
                } else {
                    run.tally(t.function, t.rows.from).and_then(|x| x.throttled(t.cause)).map(|c| c.first)
                };
                if recorded != Some(t.moment) {
                    bad(format!(
                        "explains with {:?}, the engine recorded {recorded:?} for {}",
                        t.moment,
                        t.cause.label()
                    ));
                }
                if !t.more && e.time != t.moment.at {
                    bad("an episode's first line is not at its first throttle".into());
                }
                check_moment(&run, t.function, t.cause, &t.moment, &mut bad);
                check_throttle_words(&run, e, t.function, t.cause, t.mode, &t.moment, &mut bad);
                if !e.text.contains(&fmt_count(t.count)) {
                    bad("the text does not give the count".into());
                }
                if let Some((w, _)) = t.waiting {
                    if run.waiting(t.function, t.rows.to) != Some(w) {
                        bad(format!("says {w} wait, the series {:?}", run.waiting(t.function, t.rows.to)));
                    }
                }
                match (t.more, open.get_mut(&key)) {
                    (false, Some(_)) => bad("opens an episode that is already open".into()),
                    (false, None) => {
                        open.insert(key, (t.rows.from, t.count));
                    }
                    (true, None) => bad("a summary of an episode that is not open".into()),
                    (true, Some((_, told))) => *told += t.count,
                }
            }
            EntryKind::ThrottlingEnded(x) => {
                let key = (x.function, x.cause);
                let counted = run.throttles(x.function, x.cause, x.rows);
                if x.count != counted {
                    bad(format!(
                        "says {} throttled in all, the engine {counted} over the episode's rows",
                        x.count
                    ));
                }
                let first =
                    run.tally(x.function, x.rows.from).and_then(|t| t.throttled(x.cause)).map(|c| c.first.at);
                let last =
                    run.tally(x.function, x.rows.to).and_then(|t| t.throttled(x.cause)).map(|c| c.last.at);
                if first != Some(x.first) || last != Some(x.last) {
                    bad(format!(
                        "episode from {} to {}, the engine's first and last throttles: {first:?} {last:?}",
                        x.first, x.last
                    ));
                }
                let after = run.throttles(x.function, x.cause, Rows { from: x.rows.to + 1, to: e.time });
                if after > 0 {
                    bad(format!("'no more throttling' but {after} throttled since"));
                }
                // Over only after a quiet period, longer than any retry while work still waits.
                let quiet = e.time - x.rows.to;
                let f = &run.at(e.time).functions[x.function as usize];
                let window = x.mode.retry_window(f);
                let waiting = run.waiting(x.function, e.time).unwrap_or(0);
                if quiet < QUIET || (waiting > 0 && quiet <= window) {
                    bad(format!(
                        "ended after {} s of quiet while {waiting} wait and retries come up to {} s apart",
                        quiet / MICROS_PER_SEC,
                        window / MICROS_PER_SEC
                    ));
                }
                match open.remove(&key) {
                    None => bad("ends an episode that is not open".into()),
                    Some((from, told)) => {
                        if from != x.rows.from {
                            bad("ends an episode it did not open".into());
                        }
                        if told > x.count {
                            bad(format!("its lines told {told}, more than the {} in all", x.count));
                        }
                        episodes.entry(key).or_default().push((from, x.rows.to));
                    }
                }
                if !e.text.contains(&Clock(x.last).to_string()) || !e.text.contains(&fmt_count(x.count)) {
                    bad("the text does not give the line's figures".into());
                }
            }
            EntryKind::FailedToStart(x) => {
                let counted: u64 = run
                    .rows(x.function, x.rows)
                    .map(|t| if x.pending { t.pending_failures } else { t.no_subnet_failures })
                    .sum();
                if x.count != counted {
                    bad(format!(
                        "counts {} failures to start, the engine {counted} over the same rows",
                        x.count
                    ));
                }
                if x.pending {
                    let ready = run.eni_ready_at();
                    if x.until != Some(ready) {
                        bad(format!(
                            "says Pending until {:?}, the ENIs were ready at {}",
                            x.until,
                            Clock(ready)
                        ));
                    }
                    if x.ended && e.time < ready {
                        bad("says Pending is over before the ENIs are ready".into());
                    }
                    if run.trace_complete
                        && rec.trace.iter().any(|r| r.function == x.function && r.start < ready)
                    {
                        bad("says nothing runs before the ENIs are ready, but an invocation did".into());
                    }
                    if !e.text.contains(&Clock(ready).to_string()) {
                        bad("the text does not say until when".into());
                    }
                }
                if x.ended {
                    let after: u64 = run
                        .rows(x.function, Rows { from: x.rows.to + 1, to: e.time })
                        .map(|t| if x.pending { t.pending_failures } else { t.no_subnet_failures })
                        .sum();
                    if after > 0 {
                        bad(format!("over, but {after} failed since"));
                    }
                    pending_eps.entry((x.function, x.pending)).or_default().push((x.rows.from, x.rows.to));
                }
                if !e.text.contains(&fmt_count(x.count)) {
                    bad("the text does not give the count".into());
                }
            }
            EntryKind::GivenUp(g) => {
                let rows: Vec<&Tally> = run.rows(g.function, g.rows).collect();
                let (counted, reasons) = if g.to == GivenUpTo::SqsDlq {
                    (rows.iter().map(|t| t.source_dlq).sum::<u64>(), [0; 3])
                } else {
                    let mut r = [0u64; 3];
                    for t in &rows {
                        for (a, b) in r.iter_mut().zip(t.given_up) {
                            *a += b;
                        }
                    }
                    (r.iter().sum(), r)
                };
                if g.count != counted || g.reasons != reasons {
                    bad(format!(
                        "counts {} ({:?}), the engine {counted} ({reasons:?}) over the same rows",
                        g.count, g.reasons
                    ));
                }
                let f = &run.at(e.time).functions[g.function as usize];
                let want = match (g.to, f.async_cfg.on_failure) {
                    (GivenUpTo::SqsDlq, _) => GivenUpTo::SqsDlq,
                    (_, OnFailure::Dlq) => GivenUpTo::Dlq,
                    (_, OnFailure::Destination) => GivenUpTo::Destination,
                    (_, OnFailure::None) => GivenUpTo::Dropped,
                };
                if g.to != want {
                    bad(format!("says {:?}, the function's on-failure setting says {want:?}", g.to));
                }
                if !e.text.contains(&fmt_count(g.count)) {
                    bad("the text does not give the count".into());
                }
            }
            EntryKind::LimitReached(l) => {
                let s = run.at(e.time);
                match l.function {
                    Some(f) => {
                        let r = s.functions[f as usize].reserved;
                        if r != Some(l.limit as u32) {
                            bad(format!("reserved concurrency {} told, {r:?} in force", l.limit));
                        }
                        let c = run.fcol(f, "concurrency", e.time).map(|c| c as u64);
                        if c != Some(l.in_use) || l.in_use < l.limit {
                            bad(format!("{} in use told, the series {c:?}", l.in_use));
                        }
                    }
                    None => {
                        if l.limit != s.account.unreserved_pool as u64
                            || l.account_limit != s.account.limit as u64
                        {
                            bad("the account's limits told are not those in force".into());
                        }
                        let busy = run.acol("unreserved_concurrency", e.time).unwrap_or(f32::NAN) as u64;
                        if l.in_use < l.limit || busy > l.in_use {
                            bad(format!("{} in use told, {busy} busy in the series", l.in_use));
                        }
                    }
                }
                // Told again only after usage fell clearly below.
                if let Some(prev) = last_limit.insert(l.function, e.time) {
                    let dipped = match l.function {
                        Some(f) => {
                            let s = &rec.functions[f as usize];
                            s.times
                                .iter()
                                .zip(s.column("concurrency").unwrap())
                                .any(|(t, c)| *t > prev && *t < e.time && (*c as f64) < 0.9 * l.limit as f64)
                        }
                        None => true,
                    };
                    if !dipped {
                        bad("announced again though usage never fell clearly below the limit".into());
                    }
                }
            }
            EntryKind::BurstBucket(b) => {
                let s = run.at(e.time);
                let tokens = run.acol("burst_tokens", e.time).unwrap_or(f32::NAN) as f64;
                // (The series holds f32: a level just under 1 may read 1.)
                let ok =
                    if b.empty { tokens < 1.001 && b.tokens == 0 } else { tokens >= b.quota as f64 - 0.501 };
                if !ok || s.account.model != ScalingModel::Legacy || b.quota != s.account.burst_quota as u64 {
                    bad(format!("bucket {b:?}, the series {tokens} tokens"));
                }
                let c = run.acol("concurrency", e.time).map(|c| c as u32);
                if c != Some(b.concurrency) {
                    bad(format!("concurrency {} told, the series {c:?}", b.concurrency));
                }
            }
            EntryKind::Reaped(r) => {
                let (mut reaped, mut recycled) = (0, 0);
                for f in 0..sc.functions.len() as u32 {
                    for t in run.rows(f, r.rows) {
                        reaped += t.reaped;
                        recycled += t.recycled;
                    }
                }
                if (reaped, recycled) != (r.reaped, r.recycled) {
                    bad(format!(
                        "told {} reaped and {} recycled, the engine {reaped} and {recycled}",
                        r.reaped, r.recycled
                    ));
                }
            }
            EntryKind::Network => check_network(&run, e, &mut bad),
            EntryKind::Scaling => check_scaling(&run, e, &mut bad),
            EntryKind::Alarm => check_alarm(&run, e, &mut bad),
            EntryKind::Info => {
                if let Some(label) = e.text.strip_prefix("change: ") {
                    let ok = sc.epochs.iter().any(|x| x.at == e.time && label.starts_with(x.label.as_str()));
                    if !ok {
                        bad("no change of that label at that time".into());
                    }
                } else if let Some((_, rest)) =
                    e.text.split_once(": env #").filter(|_| e.text.contains("'s init ran past the "))
                {
                    // An init past the init limit, retried within the invocation: that
                    // environment's invocation ended then, under the init limit and timeout in force.
                    let serial = rest.split('\'').next().and_then(|s| s.parse::<u32>().ok());
                    if run.trace_complete
                        && !rec.trace.iter().any(|r| Some(r.env) == serial && r.end == e.time)
                    {
                        bad("no invocation of that environment ended then".into());
                    }
                    let s = run.at(e.time);
                    let f = s.functions.iter().find(|f| e.text.starts_with(&format!("{}: env #", f.name)));
                    let ok = f.is_some_and(|f| {
                        let d = lambdascape_engine::time::format_duration;
                        e.text.contains(&format!("past the {} init limit", d(f.init_limit)))
                            && e.text.contains(&format!("under the {} function timeout", d(f.timeout)))
                    });
                    if !ok {
                        bad("not the init limit and timeout in force".into());
                    }
                } else if e.text.starts_with("the narrative stops here") {
                    if k != MAX_ENTRIES {
                        bad(format!("the truncation line is entry {k}"));
                    }
                } else {
                    bad("an Info line no check knows".into());
                }
            }
        }
    }

    // Every throttle the engine counted falls in an episode the narrative told (the last one
    // may still be open at the end).
    if !truncated {
        for t in &rec.tallies {
            for c in &t.throttles {
                let key = (t.function, c.cause);
                let told = episodes
                    .get(&key)
                    .is_some_and(|eps| eps.iter().any(|(a, b)| (*a..=*b).contains(&t.time)))
                    || open.get(&key).is_some_and(|(from, _)| *from <= t.time);
                if !told {
                    out.push(format!(
                        "{}: {} throttles ({}) at {} belong to no episode the narrative told",
                        name(t.function),
                        c.count,
                        c.cause.label(),
                        Clock(t.time)
                    ));
                }
            }
            if t.pending_failures > 0 && !starts.contains_key(&t.function) {
                out.push(format!("{}: failures while Pending, and no first-requests line", name(t.function)));
            }
        }
        // Requests came: the first ones were told.
        for (f, s) in rec.functions.iter().enumerate() {
            let any = s.column("requests").unwrap().iter().any(|r| *r > 0.0);
            if any != starts.contains_key(&(f as u32)) {
                out.push(format!("{}: requests {any}, but a first-requests line {}", name(f as u32), !any));
            }
        }
        // Failures while Pending are all told (opening and closing lines).
        for t in rec.tallies.iter().filter(|t| t.pending_failures > 0) {
            let closed = pending_eps
                .get(&(t.function, true))
                .is_some_and(|e| e.iter().any(|(a, b)| (*a..=*b).contains(&t.time)));
            if !closed && run.eni_ready_at() < rec.recorded_until.unwrap_or(0) {
                out.push(format!(
                    "{}: failures while Pending at {} are in no told episode",
                    name(t.function),
                    Clock(t.time)
                ));
            }
        }
    }
    out
}

/// Whether a text speaks of an HTTP 429 status (not of a count such as 429 or 6,429).
fn says_429(t: &str) -> bool {
    ["429 TooManyRequests", "HTTP 429", "(429)", "(429,", "a 429"].iter().any(|p| t.contains(p))
}

/// The first-requests line: its time is the first request's, and it says what became of it.
fn check_start(run: &Run, e: &Entry, f: u32, mode: Mode, fate: Option<Fate>, bad: &mut dyn FnMut(String)) {
    let rec = run.sim.recorder();
    let s = &rec.functions[f as usize];
    let req = s.column("requests").unwrap();
    let Some(i) = req.iter().position(|r| *r > 0.0) else {
        return bad("no request in the series".into());
    };
    let row = s.times[i];
    let prev = i.checked_sub(1).map(|j| s.times[j]);
    if e.time > row || prev.is_some_and(|p| e.time <= p) {
        bad(format!("the first request is counted in the row at {}", Clock(row)));
    }
    let tally = run.tally(f, row);
    if tally.and_then(|t| t.first_request) != Some(e.time) || tally.and_then(|t| t.first_fate) != fate {
        bad(format!("the engine recorded {:?}", tally.map(|t| (t.first_request, t.first_fate))));
    }
    let sc = run.at(e.time);
    let func = &sc.functions[f as usize];
    if Mode::of(func) != mode {
        bad(format!("told as {mode:?}"));
    }
    let says_cold = e.text.contains("the first ones are cold starts");
    if says_cold != (fate == Some(Fate::Cold)) {
        bad("says cold starts iff the first request was a cold start: it does not hold".into());
    }
    let finished = e.time + func.timeout + func.init_limit + 60 * MICROS_PER_SEC < run.sim.horizon();
    let traced = |pred: &dyn Fn(&lambdascape_engine::sim::TraceRecord) -> bool| {
        rec.trace.iter().any(|r| r.function == f && r.start == e.time && pred(r))
    };
    match fate {
        Some(Fate::Cold) => {
            if tally.is_none_or(|t| t.cold_starts == 0) {
                bad("a cold start, and none counted".into());
            }
            if run.trace_complete && finished && !traced(&|r| r.cold) {
                bad("the trace has no cold start at that time".into());
            }
        }
        Some(Fate::Provisioned) => {
            if run.trace_complete && finished && !traced(&|r| r.provisioned) {
                bad("the trace has no provisioned invocation at that time".into());
            }
        }
        Some(Fate::Warm) => {
            if run.trace_complete && finished && !traced(&|r| !r.cold && !r.provisioned) {
                bad("the trace has no warm invocation at that time".into());
            }
        }
        Some(Fate::Throttled { cause }) => {
            let first = tally.and_then(|t| t.throttled(cause)).map(|c| c.first.at);
            if first != Some(e.time) {
                bad(format!("throttled ({}), the engine's first such throttle: {first:?}", cause.label()));
            }
            if traced(&|_| true) {
                bad("throttled, yet an invocation started then".into());
            }
            let dlq = e.text.contains("without retries");
            if dlq
                != (mode == Mode::Async
                    && cause == ThrottleCause::ReservedConcurrency
                    && func.reserved == Some(0))
            {
                bad("says 'no retries' iff asynchronous with reserved concurrency 0: it does not hold".into());
            }
        }
        Some(Fate::Pending) => {
            if tally.is_none_or(|t| t.pending_failures == 0) || e.time >= run.eni_ready_at() {
                bad("Pending, and no failure while Pending counted".into());
            }
        }
        Some(Fate::NoHealthySubnet) => {
            if tally.is_none_or(|t| t.no_subnet_failures == 0) {
                bad("no healthy subnet, and no such failure counted".into());
            }
        }
        None => bad("no fate recorded".into()),
    }
    if mode != Mode::Sync && says_429(&e.text) {
        bad("tells a 429 to a caller who had a 202 (or to a queue)".into());
    }
}

/// The figures a throttle is explained with are the limits in force at that moment, and they
/// show the limit was indeed reached.
fn check_moment(run: &Run, f: u32, cause: ThrottleCause, m: &ThrottleMoment, bad: &mut dyn FnMut(String)) {
    let sc = run.at(m.at);
    let a = &sc.account;
    let func = &sc.functions[f as usize];
    let rps = |base: u32| (base as f64 * a.rps_per_concurrency) as u64;
    let per_min = |x: f64| (x * 60.0).round() as u64;
    let ok = match cause {
        ThrottleCause::AccountConcurrency => {
            func.reserved.is_none()
                && m.limit == a.unreserved_pool as u64
                && m.base == a.limit as u64
                && m.used >= m.limit
        }
        ThrottleCause::ReservedConcurrency => func.reserved == Some(m.limit as u32) && m.used >= m.limit,
        ThrottleCause::AccountRps => {
            func.reserved.is_none() && m.limit == a.rps_limit && m.base == a.limit as u64 && m.used > m.limit
        }
        ThrottleCause::ReservedRps => {
            func.reserved.is_some_and(|r| m.base >= r as u64)
                && m.limit == rps(m.base as u32)
                && m.used > m.limit
        }
        ThrottleCause::BurstBucket => {
            a.model == ScalingModel::Legacy
                && m.used == 0
                && m.limit == a.burst_quota as u64
                && m.refill_per_min == per_min(a.legacy_refill_per_sec)
        }
        ThrottleCause::ScalingRate => {
            a.model == ScalingModel::Current
                && m.used == 0
                && m.limit == a.current_step as u64
                && m.refill_per_min == per_min(a.current_refill_per_sec)
        }
        ThrottleCause::ScalingRps => {
            a.model == ScalingModel::Current && m.used == 0 && m.limit == a.current_rps_step as u64
        }
        ThrottleCause::MaxEnvironments => match &func.compute {
            Compute::Web(w) => {
                w.max_environments == Some(m.limit as u32) && m.used >= m.limit && m.base == w.per_env as u64
            }
            _ => false,
        },
        ThrottleCause::RateLimit => match &func.compute {
            Compute::Web(w) => {
                let limit = w.rate_limit.unwrap_or(WEB_ENDPOINT_RPS).min(WEB_ENDPOINT_RPS);
                m.limit == limit as u64 && m.used > m.limit
            }
            _ => false,
        },
        ThrottleCause::Capacity => match &func.compute {
            Compute::ManagedInstances(mi) => m.limit == m.base * mi.per_env as u64 && m.used >= m.limit,
            _ => false,
        },
    };
    if !ok {
        bad(format!(
            "{} throttle explained with {m:?}: not the limits in force at {}",
            cause.label(),
            Clock(m.at)
        ));
    }
}

/// Who hears what: a synchronous caller gets a 429 with AWS's Reason (or is told AWS documents
/// none); asynchronous and queued work is said to wait and be retried, never a 429.
fn check_throttle_words(
    run: &Run,
    e: &Entry,
    f: u32,
    cause: ThrottleCause,
    mode: Mode,
    m: &ThrottleMoment,
    bad: &mut dyn FnMut(String),
) {
    let func = &run.at(e.time).functions[f as usize];
    if Mode::of(func) != mode {
        bad(format!("told as {mode:?}"));
    }
    let t = &e.text;
    if mode == Mode::Sync {
        if !t.contains("429 TooManyRequestsException") {
            bad("a synchronous throttle without its 429".into());
        }
        match cause.aws_reason() {
            Some(code) => {
                if !t.contains(&format!("Reason {code}")) {
                    bad(format!("without its Reason {code}"));
                }
            }
            None => {
                if !t.contains("no Reason documented by AWS") {
                    bad("a scaling-rate throttle not said to have no AWS Reason".into());
                }
            }
        }
    } else if says_429(t) {
        bad("tells a 429 for work that was accepted (202) or queued".into());
    }
    for code in ThrottleCause::AWS_REASONS {
        if cause.aws_reason() != Some(code) && t.contains(&format!("Reason {code}")) {
            bad(format!("names {code}, not the cause the engine recorded"));
        }
    }
    // The explanation's numbers.
    let need: Vec<u64> = match cause {
        ThrottleCause::AccountConcurrency => vec![m.used, m.limit],
        ThrottleCause::ReservedConcurrency | ThrottleCause::AccountRps | ThrottleCause::ReservedRps => {
            vec![m.limit]
        }
        ThrottleCause::BurstBucket | ThrottleCause::ScalingRate | ThrottleCause::ScalingRps => {
            vec![m.used, m.limit]
        }
        ThrottleCause::MaxEnvironments => vec![m.limit, m.base],
        ThrottleCause::RateLimit => vec![m.limit],
        ThrottleCause::Capacity => vec![m.used, m.limit, m.base],
    };
    for n in need {
        if !t.contains(&fmt_count(n)) {
            bad(format!("the explanation lacks the figure {n} in force"));
        }
    }
}

/// Network lines told elsewhere in the engine: placements against the trace, the ENIs' readiness,
/// AZ faults, ENI connection limits.
fn check_network(run: &Run, e: &Entry, bad: &mut dyn FnMut(String)) {
    let sc = run.at(e.time);
    let rec = run.sim.recorder();
    let t = &e.text;
    if let Some((_, rest)) = t.split_once(": env #") {
        if let Some((serial, what)) = rest.split_once(" started in subnet ") {
            let Ok(serial) = serial.parse::<u32>() else { return bad("no env serial".into()) };
            if what.contains("time out") && run.trace_complete {
                let ok = rec.trace.iter().filter(|r| r.env == serial).all(|r| r.outcome != "success");
                if !ok {
                    bad("says its calls time out, yet it served a successful invocation".into());
                }
            }
            return;
        }
    }
    if t.starts_with("the Hyperplane network interfaces (ENIs) are ready") {
        let n = sc.functions.iter().filter(|f| f.vpc.is_some()).count();
        if e.time != run.eni_ready_at() || !t.contains(&format!(": {n} VPC function")) {
            bad(format!("the ENIs were ready at {} for {n} VPC functions", Clock(run.eni_ready_at())));
        }
        return;
    }
    if let Some(rest) = t.strip_prefix("Availability Zone ") {
        let down = rest.contains(" is down");
        let ok = sc.faults.iter().any(|f| if down { f.at == e.time } else { f.until == Some(e.time) });
        if !ok {
            bad("no fault of the scenario at that time".into());
        }
        return;
    }
    if let Some((_, rest)) = t.split_once("quota of ") {
        let quota = sc.vpc.as_ref().map_or(0, |v| v.eni_quota);
        if !rest.starts_with(&format!("{} network interfaces", fmt_count(quota as u64))) {
            bad(format!("the VPC's quota of network interfaces in force is {quota}"));
        }
    }
}

/// Provisioned-concurrency lines: an allocation that completes leaves that many environments.
/// A figure told in a line: the number after `before` (commas allowed).
fn figure_after(text: &str, before: &str) -> Option<u64> {
    let (_, rest) = text.split_once(before)?;
    rest.split([' ', ')']).next()?.replace(',', "").parse().ok()
}

/// The function a line names.
fn function_of(e: &Entry) -> Option<u32> {
    e.refs.iter().find_map(|r| match r {
        lambdascape_engine::sim::Ref::Function { id } => Some(*id),
        _ => None,
    })
}

/// Managed Instances' scaler and Web Functions' environment lines: the figures told are the
/// series' at that instant (when a sample falls on it).
fn check_multi_scaling(run: &Run, e: &Entry, bad: &mut dyn FnMut(String)) {
    let Some(f) = function_of(e) else { return bad("names no function".into()) };
    let s = &run.sim.recorder().functions[f as usize];
    let Some(i) = s.times.iter().position(|t| *t == e.time) else { return };
    let col = |name: &str| s.column(name).unwrap()[i] as u64;
    if e.text.contains("scales in gradually") {
        let slots = figure_after(&e.text, "leaving ");
        if slots != Some(col("capacity")) {
            bad(format!("told {slots:?} slots left, the series has {}", col("capacity")));
        }
    } else if e.text.contains("the Managed Instances scaler saw") {
        let slots = figure_after(&e.text, "against ");
        if slots != Some(col("capacity")) {
            bad(format!("told {slots:?} slots, the series has {}", col("capacity")));
        }
    } else if let (Some(envs), Some(in_flight)) =
        (figure_after(&e.text, ": "), figure_after(&e.text, "environment(s) now serve "))
    {
        let have = col("envs_initializing") + col("envs_busy") + col("envs_idle");
        if envs != have || in_flight != col("concurrency") {
            bad(format!(
                "told {envs} environments and {in_flight} in flight, the series has {have} and {}",
                col("concurrency")
            ));
        }
    }
}

fn check_scaling(run: &Run, e: &Entry, bad: &mut dyn FnMut(String)) {
    if e.text.contains("the Managed Instances scaler saw") || e.text.contains("environment(s) now serve ") {
        return check_multi_scaling(run, e, bad);
    }
    let Some((_, rest)) = e.text.split_once("provisioned concurrency allocated: ") else { return };
    let Some(n) = rest.split(' ').next().and_then(|n| n.replace(',', "").parse::<u64>().ok()) else {
        return bad("no count".into());
    };
    let Some(f) = e.refs.iter().find_map(|r| match r {
        lambdascape_engine::sim::Ref::Function { id } => Some(*id),
        _ => None,
    }) else {
        return bad("names no function".into());
    };
    let s = &run.sim.recorder().functions[f as usize];
    let i = s.times.partition_point(|t| *t < e.time);
    let at = s.column("provisioned_concurrency").unwrap().get(i).map(|v| *v as u64);
    if at.is_some_and(|v| v != n) {
        bad(format!("{n} ready told, the series has {at:?} at the next sample"));
    }
}

/// Alarm lines: the value told is the statistic of the metric over the period ending then.
fn check_alarm(run: &Run, e: &Entry, bad: &mut dyn FnMut(String)) {
    let sc = run.at(e.time);
    let Some(rest) = e.text.strip_prefix("alarm '") else { return bad("not an alarm line".into()) };
    let Some((alarm, rest)) = rest.split_once('\'') else { return bad("no alarm name".into()) };
    let Some(spec) = sc.alarms.iter().find(|a| a.name == alarm) else { return bad("no such alarm".into()) };
    let Some((_, v)) = rest.split_once(&format!("of {} = ", spec.metric)) else {
        return bad("no value".into());
    };
    let told: f64 = v.split([' ', ')']).next().unwrap_or("").replace(',', "").parse().unwrap_or(f64::NAN);
    let names: Vec<String> = sc.functions.iter().map(|f| f.name.clone()).collect();
    let Some((f, c)) = lambdascape_engine::sim::alarms_resolve(&names, &spec.metric) else { return };
    let series = match f {
        None => &run.sim.recorder().account,
        Some(f) => &run.sim.recorder().functions[f],
    };
    let period = spec.period.micros();
    let vals: Vec<f64> = series
        .times
        .iter()
        .zip(&series.data[c])
        .filter(|(t, v)| **t > 0 && **t > e.time.saturating_sub(period) && **t <= e.time && v.is_finite())
        .map(|(_, v)| *v as f64)
        .collect();
    let value = match spec.statistic {
        Statistic::Sum => vals.iter().sum(),
        Statistic::Average => vals.iter().sum::<f64>() / vals.len() as f64,
        Statistic::Maximum => vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        Statistic::Minimum => vals.iter().cloned().fold(f64::INFINITY, f64::min),
    };
    let close =
        (!value.is_finite() && !told.is_finite()) || (value - told).abs() <= 0.01 * told.abs().max(1.0);
    if !close {
        bad(format!("tells {told}, the series give {value} over the period"));
    }
}

// ---- every preset, its variants, every fixture ----

fn repo(dir: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(dir)
}

fn scenario_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.ends_with("index.json"))
        .collect();
    files.sort();
    files
}

fn check_file(path: &PathBuf, variants: bool, problems: &mut Vec<String>) {
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let spec = match ScenarioSpec::from_json(&text) {
        Ok(s) => s,
        Err(e) => return problems.push(format!("{stem}: does not parse: {e}")),
    };
    let mut specs = vec![(stem.clone(), spec.clone())];
    if variants {
        for (i, v) in spec.variants.iter().enumerate() {
            match spec.variant(i) {
                Ok(vs) => specs.push((format!("{stem} / variant '{}'", v.name), vs)),
                Err(e) => problems.push(format!("{stem}: variant {i}: {e}")),
            }
        }
    }
    for (label, s) in specs {
        match run(&s) {
            Ok(sim) => problems.extend(check_narrative(&sim).into_iter().map(|p| format!("{label}: {p}"))),
            Err(e) => problems.push(format!("{label}: {e}")),
        }
    }
}

fn report(problems: &[String]) {
    const SHOWN: usize = 60;
    assert!(
        problems.is_empty(),
        "{} violation(s):\n{}{}",
        problems.len(),
        problems.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("\n"),
        if problems.len() > SHOWN { "\n..." } else { "" }
    );
}

#[test]
fn every_preset_and_variant_narrative_is_true() {
    let mut problems = Vec::new();
    for path in scenario_files("www/scenarios") {
        check_file(&path, true, &mut problems);
    }
    report(&problems);
}

#[test]
fn every_fixture_narrative_is_true() {
    let mut problems = Vec::new();
    for path in scenario_files("tests/scenarios") {
        check_file(&path, false, &mut problems);
    }
    report(&problems);
}

fn fixture(name: &str) -> Simulation {
    let text = std::fs::read_to_string(repo("tests/scenarios").join(name)).unwrap();
    run(&ScenarioSpec::from_json(&text).unwrap()).unwrap()
}

fn lines<'a>(sim: &'a Simulation, f: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
    let id = sim.scenario().function_id(f).unwrap().0;
    sim.recorder()
        .narrative
        .iter()
        .filter(move |e| e.refs.contains(&lambdascape_engine::sim::Ref::Function { id }))
}

/// Reserved concurrency 0, asynchronous: nothing runs, every event goes to the DLQ, and the
/// narrative says so (not "the first ones are cold starts").
#[test]
fn async_reserved_zero_is_told_as_it_happens() {
    let sim = fixture("async-reserved-zero.json");
    let f = sim.scenario().functions.iter().position(|f| f.reserved == Some(0)).unwrap();
    let name = sim.scenario().functions[f].name.clone();
    let told: Vec<&Entry> = lines(&sim, &name).collect();
    assert!(told.iter().all(|e| !e.text.contains("cold start")), "{told:#?}");
    let start = told.iter().find(|e| matches!(e.kind, EntryKind::Start(_))).expect("a first-requests line");
    assert!(
        start.text.contains("none of them runs") && start.text.contains("dead-letter queue"),
        "{}",
        start.text
    );
    let to_dlq: u64 = told
        .iter()
        .filter_map(|e| match e.kind {
            EntryKind::GivenUp(g) => Some(g.count),
            _ => None,
        })
        .sum();
    let s = sim.summary();
    let fs = &s.functions[&name];
    assert!(to_dlq > 0 && to_dlq <= fs.dlq_events, "{to_dlq} told, {} in the DLQ", fs.dlq_events);
    assert!(told.iter().all(|e| !says_429(&e.text)));
    assert_eq!(check_narrative(&sim), Vec::<String>::new());
}

/// A long storm of asynchronous events over a small reserved concurrency: few episodes of
/// throttling (no "it lasted 0s" every few minutes while events wait in backoff), the oldest
/// event's age grows, and events past the maximum age go to the DLQ, counted.
#[test]
fn async_throttle_storm_has_few_episodes() {
    let sim = fixture("async-throttle-storm.json");
    let rec = sim.recorder();
    let opened =
        rec.narrative.iter().filter(|e| matches!(e.kind, EntryKind::Throttling(t) if !t.more)).count();
    let ended: Vec<&Entry> =
        rec.narrative.iter().filter(|e| matches!(e.kind, EntryKind::ThrottlingEnded(_))).collect();
    assert!(opened <= 2 && ended.len() <= 2, "{opened} episodes opened, {} ended: {ended:#?}", ended.len());
    assert!(rec.narrative.iter().all(|e| !says_429(&e.text)));
    let given: u64 = rec
        .narrative
        .iter()
        .filter_map(|e| match e.kind {
            EntryKind::GivenUp(g) => Some(g.reasons[0]),
            _ => None,
        })
        .sum();
    assert!(given > 0, "events past the maximum age are told going to the DLQ");
    assert_eq!(check_narrative(&sim), Vec::<String>::new());
}

/// A VPC function Pending while its ENIs are created: the failures are told with their count and
/// until when, and the first line does not promise cold starts.
#[test]
fn pending_failures_are_told_with_their_count_and_end() {
    let text =
        std::fs::read_to_string(repo("tests/scenarios").join("private-subnets-with-nat.json")).unwrap();
    let mut spec = ScenarioSpec::from_json(&text).unwrap();
    spec.faults.clear();
    spec.eni_creation_time = Some("2m".into());
    let sim = run(&spec).unwrap();
    let rec = sim.recorder();
    let start = rec.narrative.iter().find(|e| matches!(e.kind, EntryKind::Start(_))).unwrap();
    assert!(!start.text.contains("cold start") && start.text.contains("Pending"), "{}", start.text);
    let total: u64 = rec
        .narrative
        .iter()
        .filter_map(|e| match e.kind {
            EntryKind::FailedToStart(x) if x.ended => Some(x.count),
            _ => None,
        })
        .sum();
    assert_eq!(total, sim.summary().pending_failures);
    assert_eq!(check_narrative(&sim), Vec::<String>::new());
}

// ---- random scenarios ----

fn arb_function(i: usize) -> impl Strategy<Value = serde_json::Value> {
    let traffic = prop_oneof![
        (1.0..400.0f64).prop_map(|r| serde_json::json!({"type": "constant", "rate": r})),
        (0.0..50.0f64, 50.0..1500.0f64, 5u32..60).prop_map(|(a, b, at)| serde_json::json!(
            {"type": "step", "rate": a, "steps": [{"at": format!("{at}s"), "rate": b}, {"at": format!("{}s", at + 20), "rate": a}]})),
        (10.0..800.0f64, 5u32..40).prop_map(|(b, every)| serde_json::json!(
            {"type": "bursts", "base": 1, "burst_rate": b, "every": format!("{every}s"), "burst_for": format!("{}s", every.div_ceil(3)), "start": "2s"})),
    ];
    let reserved = prop_oneof![Just(None), Just(Some(0u32)), (1u32..40).prop_map(Some)];
    let kind = 0usize..5; // sync, sync, async, sqs, stream
    (traffic, reserved, kind, 0u32..20, 20u32..3000, 0u32..1200, 0.0..0.3f64, 60u32..200, any::<bool>()).prop_map(
        move |(traffic, reserved, kind, pc, dur, init, err, age, dlq)| {
            let mut f = serde_json::json!({
                "name": format!("f{i}"),
                "timeout": "3s",
                "duration": {"type": "exponential", "mean_ms": dur},
                "init": {"type": "uniform", "min_ms": 0, "max_ms": init},
                "error_rate": err,
                "idle_lifetime": "20s",
                "traffic": traffic,
            });
            if let Some(r) = reserved {
                f["reserved_concurrency"] = r.into();
            }
            match kind {
                2 => {
                    f["invocation"] = "async".into();
                    f["async_config"] = serde_json::json!({
                        "maximum_event_age": format!("{age}s"),
                        "on_failure": if dlq { "dlq" } else { "none" },
                    });
                }
                3 => f["event_source"] = serde_json::json!({"type": "sqs", "batch_size": 5, "visibility_timeout": "20s", "max_receive_count": 2}),
                4 => f["event_source"] = serde_json::json!({"type": "stream", "shards": 3}),
                _ => {}
            }
            if pc > 0 && reserved.is_none_or(|r| r >= pc) && kind < 2 {
                f["provisioned"] = serde_json::json!({"initial": pc});
            }
            f
        },
    )
}

fn arb_scenario() -> impl Strategy<Value = ScenarioSpec> {
    let functions = (1usize..4).prop_flat_map(|n| (0..n).map(arb_function).collect::<Vec<_>>());
    let change = prop::option::of((100u32..1500, 20u32..60));
    (functions, 100u32..1500, any::<bool>(), 1u32..600, 1u32..800, any::<u64>(), 60u32..150, prop::option::of(5u32..40), change)
        .prop_map(|(functions, limit, legacy, burst, step, seed, secs, eni, change)| {
            let mut v = serde_json::json!({
                "version": 1,
                "name": "narrative-prop",
                "seed": seed,
                "duration": format!("{secs}s"),
                "account": {
                    "concurrency_limit": limit,
                    "scaling_model": if legacy { "legacy" } else { "current" },
                    "burst_quota": burst,
                    "current_scaling_step": step,
                },
                "functions": functions,
            });
            if let Some(eni) = eni {
                // A VPC for the first function, Pending for a while.
                v["vpc"] = serde_json::json!({
                    "name": "v", "cidr": "10.0.0.0/16", "azs": ["a", "b"],
                    "subnets": [
                        {"name": "s0", "az": "a", "cidr": "10.0.0.0/24", "route_table": "rt"},
                        {"name": "s1", "az": "b", "cidr": "10.0.1.0/24", "route_table": "rt"}
                    ],
                    "route_tables": [{"name": "rt"}],
                    "security_groups": [{"name": "x"}]
                });
                v["functions"][0]["vpc"] = serde_json::json!({"subnets": ["s0", "s1"], "security_groups": ["x"]});
                v["eni_creation_time"] = format!("{eni}s").into();
            }
            if let Some((limit, at)) = change {
                // The account's limit changes mid-run: throttles after it are explained with the
                // new figures.
                v["changes"] = serde_json::json!([
                    {"at": format!("{at}s"), "label": "new account limit", "patch": {"account": {"concurrency_limit": limit}}}
                ]);
            }
            serde_json::from_value(v).expect("a scenario document")
        })
}

proptest! {
    // 256 cases, a few seconds (PROPTEST_CASES overrides).
    #![proptest_config(ProptestConfig {
        cases: if std::env::var("PROPTEST_CASES").is_ok() { ProptestConfig::default().cases } else { 256 },
        ..ProptestConfig::default()
    })]

    /// Whatever the scenario, the narrative's every line holds against the run.
    #[test]
    fn random_scenarios_narrate_only_what_happened(spec in arb_scenario()) {
        let Ok(sim) = run(&spec) else { return Ok(()) };
        let problems = check_narrative(&sim);
        prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
