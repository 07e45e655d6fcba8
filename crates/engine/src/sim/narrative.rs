//! The narrative: every notable change explained in plain words, with its time, its numbers and
//! structured references to what it names (so a UI can highlight them).
//!
//! The narrator watches the per-sample counters and tells *episodes* rather than single
//! requests: throttling that starts, goes on (a summary each minute) and stops; a wave of cold
//! starts; requests that fail while a function is Pending; asynchronous events given up; a limit
//! reached; the burst bucket emptied and refilled; environments reaped.
//!
//! Each line the narrator writes carries what it states as data (its [`EntryKind`]: the counts,
//! the span of sample rows they were counted over, the cause and the figures in force), and its
//! text is built from those fields only. What the engine counted is kept next to the series, per
//! function and sample ([`Tally`]), so a test can hold every line against the run
//! (`crates/engine/tests/narrative_truth.rs`).

use super::metrics::ThrottleCause;
use super::State;
use crate::scenario::{EventSource, Function, InvocationType, OnFailure, ScalingModel, Scenario};
use crate::time::{format_duration, Clock, Micros, MICROS_PER_SEC};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// An episode ends after this long without a single occurrence (and, for events that wait in a
/// queue, only once no retry can still be coming: see [`Mode::retry_window`]).
pub(crate) const QUIET: Micros = 30 * MICROS_PER_SEC;
/// Summaries of an episode that goes on are told at most this often.
const MINUTE: Micros = 60 * MICROS_PER_SEC;
/// Environments reaped or recycled are told at most this often, summed (they are routine;
/// the cold starts they cause are told on their own).
const REAP_REPORT_EVERY: Micros = 5 * 60 * MICROS_PER_SEC;

/// Most entries kept; past this the narrative says it was truncated.
pub const MAX_ENTRIES: usize = 20_000;

/// What an entry names, for highlighting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ref {
    Function {
        id: u32,
    },
    Env {
        serial: u32,
    },
    Subnet {
        id: u32,
    },
    Az {
        id: u32,
    },
    Nat {
        id: u32,
    },
    /// A limit line on the charts: `account`, `reserved`, `burst`, `scaling_rate`, `rps`.
    Limit {
        limit: &'static str,
    },
}

/// Sample rows `from..=to` (by their times): the counts of a line are the sum of what the
/// engine counted in those rows' intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rows {
    pub from: Micros,
    pub to: Micros,
}

impl Rows {
    fn one(t: Micros) -> Self {
        Rows { from: t, to: t }
    }
}

/// How a function is invoked, which decides what a throttle means to whoever sent the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The caller waits: a throttle is its 429.
    Sync,
    /// The caller already has its 202: a throttled attempt goes back to the function's queue.
    Async,
    /// SQS pollers: a throttled batch stays in the queue.
    Sqs,
    /// Stream pollers: a throttled batch stays in its shard.
    Stream,
}

impl Mode {
    pub fn of(f: &Function) -> Mode {
        match f.source {
            Some(EventSource::Sqs { .. }) => Mode::Sqs,
            Some(EventSource::Stream { .. }) => Mode::Stream,
            None if f.invocation == InvocationType::Async => Mode::Async,
            None => Mode::Sync,
        }
    }
    /// The longest wait before a throttled piece of work is tried again: the asynchronous
    /// queue's maximum backoff, the SQS visibility timeout, a stream's one second.
    pub fn retry_window(self, f: &Function) -> Micros {
        match (self, &f.source) {
            (Mode::Async, _) => f.async_cfg.max_backoff,
            (Mode::Sqs, Some(EventSource::Sqs { visibility, .. })) => *visibility,
            (Mode::Stream, _) => MICROS_PER_SEC,
            _ => 0,
        }
    }
    fn unit(self, n: u64) -> String {
        match self {
            Mode::Sync => plural(n, "request", "requests"),
            Mode::Async => plural(n, "attempt", "attempts"),
            Mode::Sqs | Mode::Stream => plural(n, "batch", "batches"),
        }
    }
}

/// What happened to a function's very first request (or event, or batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum Fate {
    /// It ran on a new environment.
    Cold,
    /// It ran on an environment that was already there.
    Warm,
    /// It ran on a provisioned environment.
    Provisioned,
    Throttled {
        cause: ThrottleCause,
    },
    /// It failed: the function was Pending (its Hyperplane ENIs were being created).
    Pending,
    /// It failed: every subnet of the function was in an Availability Zone that was down.
    NoHealthySubnet,
}

/// The figures in force when the engine throttled a request: what counted against the limit,
/// the limit, what the limit derives from, and the refill of the bucket behind it. Recorded by
/// the engine at the throttle, per cause:
///
/// | cause | `used` | `limit` | `base` | `refill_per_min` |
/// | --- | --- | --- | --- | --- |
/// | account concurrency | unreserved concurrency in use | unreserved pool | account limit | |
/// | reserved concurrency | its on-demand + provisioned | reserved concurrency | | |
/// | account RPS | its synchronous requests this second | requests per second allowed | account limit | |
/// | reserved RPS | same | same | max(reserved, provisioned) | |
/// | burst bucket | tokens left (floored) | burst quota | | tokens per minute |
/// | scaling rate | allowance left (floored) | environments per step | | per minute |
/// | RPS scaling rate | allowance left (floored) | requests per second per step | | per minute |
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ThrottleMoment {
    pub at: Micros,
    pub used: u64,
    pub limit: u64,
    pub base: u64,
    pub refill_per_min: u64,
}

/// Throttles of one cause in one sample interval of one function, with the figures in force at
/// the first and the last of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CauseTally {
    pub cause: ThrottleCause,
    pub count: u64,
    pub first: ThrottleMoment,
    pub last: ThrottleMoment,
}

/// Why an asynchronous event was given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GiveUp {
    /// It reached the maximum event age.
    Expired = 0,
    /// Its function failed on every attempt (1 + MaximumRetryAttempts).
    Exhausted = 1,
    /// Reserved concurrency 0: sent on without retries.
    ReservedZero = 2,
}

/// What the engine counted for one function over one sample interval (the interval ending at
/// `time`), beyond what the series hold: the throttles by cause with the figures in force, the
/// peak concurrency, failures to start, environments removed, asynchronous events given up.
/// Kept for every interval in which anything was counted or ran.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    pub time: Micros,
    pub function: u32,
    /// Highest concurrency (invocations in flight, provisioned ones included) in the interval.
    pub peak_concurrency: u32,
    pub cold_starts: u64,
    pub throttles: Vec<CauseTally>,
    /// Requests that could not start because the function was Pending.
    pub pending_failures: u64,
    /// Requests that could not start because every subnet of the function was in a down AZ.
    pub no_subnet_failures: u64,
    /// Environments reaped after staying idle (or lost), and recycled at the end of their life.
    pub reaped: u64,
    pub recycled: u64,
    /// Asynchronous events given up, by [`GiveUp`] (to the DLQ, destination, or dropped).
    pub given_up: [u64; 3],
    /// SQS messages redriven to the queue's DLQ.
    pub source_dlq: u64,
    /// The function's first request, when it came in this interval, and its fate.
    pub first_request: Option<Micros>,
    pub first_fate: Option<Fate>,
}

impl Tally {
    pub fn throttled(&self, cause: ThrottleCause) -> Option<&CauseTally> {
        self.throttles.iter().find(|c| c.cause == cause)
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.peak_concurrency == 0
            && self.cold_starts == 0
            && self.throttles.is_empty()
            && self.pending_failures == 0
            && self.no_subnet_failures == 0
            && self.reaped == 0
            && self.recycled == 0
            && self.given_up == [0; 3]
            && self.source_dlq == 0
            && self.first_request.is_none()
    }
}

/// A function's first requests arrive (at the time of the very first), and what became of the
/// first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Start {
    pub function: u32,
    pub mode: Mode,
    pub fate: Option<Fate>,
}

/// Cold starts counted over `rows`, and the highest concurrency over the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ColdStarts {
    pub function: u32,
    pub count: u64,
    pub rows: Rows,
    pub peak_concurrency: u32,
    /// Of them, placed in subnets whose calls fail.
    pub failing: u64,
    /// A summary of a wave already told.
    pub more: bool,
}

/// Throttles of one cause counted over `rows`, explained with the figures in force at
/// `moment` (the first throttle of a new episode, the last one of a summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Throttling {
    pub function: u32,
    pub cause: ThrottleCause,
    pub mode: Mode,
    pub count: u64,
    pub rows: Rows,
    pub moment: ThrottleMoment,
    pub more: bool,
    /// Asynchronous events (or queued messages / stream records) waiting at the row `rows.to`,
    /// and the age in seconds of the oldest (told by summaries of queued work).
    pub waiting: Option<(u64, u64)>,
}

/// An episode of throttling of one cause is over: `count` throttles over `rows`, the first at
/// `first`, the last at `last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ThrottlingEnded {
    pub function: u32,
    pub cause: ThrottleCause,
    pub mode: Mode,
    pub count: u64,
    pub rows: Rows,
    pub first: Micros,
    pub last: Micros,
}

/// Requests that could not start (Pending, or no healthy subnet), counted over `rows`; `ended`:
/// the closing line with the whole episode's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FailedToStart {
    pub function: u32,
    pub mode: Mode,
    /// Pending (else: no healthy subnet).
    pub pending: bool,
    pub count: u64,
    pub rows: Rows,
    /// Pending: when the ENIs are ready.
    pub until: Option<Micros>,
    pub ended: bool,
}

/// Where given-up work goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GivenUpTo {
    Dlq,
    Destination,
    Dropped,
    /// SQS messages past maxReceiveCount, redriven to the queue's DLQ.
    SqsDlq,
}

/// Asynchronous events (or SQS messages) given up over `rows`, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GivenUp {
    pub function: u32,
    pub to: GivenUpTo,
    pub count: u64,
    pub rows: Rows,
    /// By [`GiveUp`] (asynchronous events only).
    pub reasons: [u64; 3],
    pub more: bool,
}

/// A concurrency limit fully used at a sample: the function's reserved concurrency
/// (`function`), or the account's unreserved pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LimitReached {
    pub function: Option<u32>,
    pub in_use: u64,
    pub limit: u64,
    pub account_limit: u64,
}

/// The legacy burst bucket emptied or filled again, at a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BurstBucket {
    pub empty: bool,
    pub tokens: u64,
    pub quota: u64,
    pub refill_per_min: u64,
    pub concurrency: u32,
}

/// Environments reaped and recycled over `rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reaped {
    pub reaped: u64,
    pub recycled: u64,
    pub rows: Rows,
}

/// The kind of an entry (for icons and filtering) and, for the narrator's lines, what the line
/// states (its text is made from these fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Start(Start),
    ColdStarts(ColdStarts),
    Throttling(Throttling),
    ThrottlingEnded(ThrottlingEnded),
    FailedToStart(FailedToStart),
    GivenUp(GivenUp),
    LimitReached(LimitReached),
    BurstBucket(BurstBucket),
    Reaped(Reaped),
    Network,
    Scaling,
    Alarm,
    Info,
}

impl EntryKind {
    pub fn name(&self) -> &'static str {
        match self {
            EntryKind::Start(_) => "start",
            EntryKind::ColdStarts(_) => "cold_starts",
            EntryKind::Throttling(_) => "throttling",
            EntryKind::ThrottlingEnded(_) => "throttling_ended",
            EntryKind::FailedToStart(_) => "failed_to_start",
            EntryKind::GivenUp(_) => "given_up",
            EntryKind::LimitReached(_) => "limit_reached",
            EntryKind::BurstBucket(_) => "burst_bucket",
            EntryKind::Reaped(_) => "reaped",
            EntryKind::Network => "network",
            EntryKind::Scaling => "scaling",
            EntryKind::Alarm => "alarm",
            EntryKind::Info => "info",
        }
    }
}

impl Serialize for EntryKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// What a line states, serialized next to its kind.
struct Facts<'a>(&'a EntryKind);

impl Serialize for Facts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            EntryKind::Start(x) => x.serialize(s),
            EntryKind::ColdStarts(x) => x.serialize(s),
            EntryKind::Throttling(x) => x.serialize(s),
            EntryKind::ThrottlingEnded(x) => x.serialize(s),
            EntryKind::FailedToStart(x) => x.serialize(s),
            EntryKind::GivenUp(x) => x.serialize(s),
            EntryKind::LimitReached(x) => x.serialize(s),
            EntryKind::BurstBucket(x) => x.serialize(s),
            EntryKind::Reaped(x) => x.serialize(s),
            EntryKind::Network | EntryKind::Scaling | EntryKind::Alarm | EntryKind::Info => {
                s.serialize_none()
            }
        }
    }
}

/// How much an entry matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One line of the narrative.
#[derive(Debug, Clone)]
pub struct Entry {
    pub time: Micros,
    pub kind: EntryKind,
    pub severity: Severity,
    pub text: String,
    pub refs: Vec<Ref>,
}

impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Entry", 6)?;
        m.serialize_field("time", &self.time)?;
        m.serialize_field("kind", &self.kind)?;
        m.serialize_field("severity", &self.severity)?;
        m.serialize_field("text", &self.text)?;
        m.serialize_field("refs", &self.refs)?;
        m.serialize_field("facts", &Facts(&self.kind))?;
        m.end()
    }
}

impl Entry {
    /// `00:01:10 — text`.
    pub fn line(&self) -> String {
        format!("{} — {}", Clock(self.time), self.text)
    }
}

/// `1234567` as `1,234,567`.
pub fn fmt_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "; 9 of them landed in subnets where calls time out", for `failing` of `cold` cold starts.
fn landed_failing(failing: u64, cold: u64) -> String {
    match failing {
        0 => String::new(),
        n if n >= cold => "; all of them landed in subnets where calls time out".into(),
        n => format!("; {} of them landed in subnets where calls time out", fmt_count(n)),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", fmt_count(n), if n == 1 { one } else { many })
}

/// `mm:ss` span.
fn span(us: Micros) -> String {
    let s = us / MICROS_PER_SEC;
    if us < MICROS_PER_SEC {
        "less than a second".into()
    } else if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s / 60) % 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// "in the last minute" (or the span, when the samples are not a minute apart).
fn in_the_last(us: Micros) -> String {
    if us == MINUTE {
        "in the last minute".into()
    } else {
        format!("in the last {}", span(us))
    }
}

/// Where an asynchronous event that is given up goes.
fn given_up_to(f: &Function) -> GivenUpTo {
    match f.async_cfg.on_failure {
        OnFailure::Dlq => GivenUpTo::Dlq,
        OnFailure::Destination => GivenUpTo::Destination,
        OnFailure::None => GivenUpTo::Dropped,
    }
}

fn to_words(to: GivenUpTo) -> &'static str {
    match to {
        GivenUpTo::Dlq => "sent to the dead-letter queue",
        GivenUpTo::Destination => "sent to the on-failure destination",
        GivenUpTo::Dropped => "dropped (no DLQ or on-failure destination is configured)",
        GivenUpTo::SqsDlq => "redriven to the queue's dead-letter queue",
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Episode {
    active: bool,
    /// First and last sample rows with a non-zero count.
    since: Micros,
    last_seen: Micros,
    /// Times of the first and last occurrence (throttles).
    first_at: Micros,
    last_at: Micros,
    last_report: Micros,
    /// First row counted since the last report.
    report_from: Micros,
    since_report: u64,
    total: u64,
    /// Peak concurrency over the rows since `report_from`.
    peak: u32,
    /// Figures in force at the last occurrence (throttles).
    moment: ThrottleMoment,
    /// Counts since the last report by reason (given-up events).
    by: [u64; 3],
    /// Since when a limit stays clearly below full (limit episodes).
    below_since: Option<Micros>,
}

impl Episode {
    fn open(now: Micros, count: u64) -> Self {
        Episode {
            active: true,
            since: now,
            last_seen: now,
            last_report: now,
            total: count,
            ..Default::default()
        }
    }
    /// Counts `c` (> 0) in the row at `now` of an open episode.
    fn add(&mut self, now: Micros, c: u64) {
        if self.since_report == 0 {
            self.report_from = now;
            self.peak = 0;
            self.by = [0; 3];
        }
        self.last_seen = now;
        self.since_report += c;
        self.total += c;
    }
    fn reported(&mut self, now: Micros) {
        self.last_report = now;
        self.since_report = 0;
    }
    fn report_rows(&self, now: Micros) -> Rows {
        Rows { from: self.report_from, to: now }
    }
}

/// What the narrator sees of one function at a sample.
pub(crate) struct FnObs {
    /// What the engine counted in the interval.
    pub tally: Tally,
    pub concurrency: u32,
    pub reserved_full: bool,
    /// Cold starts of this interval already told as placements ("env #7 started in subnet ...").
    pub placements_told: u64,
    /// Cold starts of this interval in subnets whose calls fail.
    pub placed_failing: u64,
    /// Work waiting: asynchronous events in the queue, SQS messages, stream records.
    pub waiting: u64,
    /// Age of the oldest of them, in seconds.
    pub oldest_s: f64,
    /// When the function's Hyperplane ENIs are ready (0: from the start).
    pub eni_ready_at: Micros,
}

/// What the narrator sees of the account at a sample.
pub(crate) struct AccountObs {
    pub concurrency: u32,
    pub unreserved_in_use: u32,
    pub tokens: f64,
    pub reaped_idle: u64,
    pub recycled: u64,
}

#[derive(Debug, Clone, Default)]
struct FnNarr {
    cold: Episode,
    /// Cold starts in subnets whose calls fail since the last cold-start line.
    cold_failing: u64,
    throttles: [Episode; ThrottleCause::COUNT],
    /// Failures to start: Pending, no healthy subnet.
    failed: [Episode; 2],
    given_up: Episode,
    source_dlq: Episode,
    reserved: Episode,
}

/// The narrator's memory between samples (part of the checkpointed state).
#[derive(Debug, Clone, Default)]
pub(crate) struct Narrator {
    functions: Vec<FnNarr>,
    account: Episode,
    bucket_empty: bool,
    reaped_pending: u64,
    recycled_pending: u64,
    reap_from: Micros,
    reap_last_report: Micros,
    pub(crate) pending: Vec<Entry>,
}

impl Narrator {
    pub fn new(functions: usize) -> Self {
        Narrator { functions: vec![FnNarr::default(); functions], ..Default::default() }
    }

    fn push(&mut self, time: Micros, kind: EntryKind, severity: Severity, text: String, refs: Vec<Ref>) {
        self.pending.push(Entry { time, kind, severity, text, refs });
    }

    /// Looks at one sample's counters and tells what changed.
    pub(crate) fn observe(&mut self, sc: &Scenario, now: Micros, acct: &AccountObs, fns: &[FnObs]) {
        for (i, o) in fns.iter().enumerate() {
            self.observe_function(sc, now, i, o);
        }
        self.observe_account(sc, now, acct, fns);
    }

    fn observe_function(&mut self, sc: &Scenario, now: Micros, i: usize, o: &FnObs) {
        let f = &sc.functions[i];
        let t = &o.tally;
        let function = i as u32;
        let fref = Ref::Function { id: function };
        let name = &f.name;
        let mode = Mode::of(f);

        if let Some(first) = t.first_request {
            let start = Start { function, mode, fate: t.first_fate };
            let (severity, text) = start_text(f, &start, o.eni_ready_at);
            self.push(first, EntryKind::Start(start), severity, text, vec![fref.clone()]);
        }

        // Cold starts: a wave begins, goes on (minute summaries), ends.
        let n = &mut self.functions[i];
        let c = t.cold_starts;
        if c > 0 && !n.cold.active {
            n.cold = Episode::open(now, c);
            n.cold_failing = 0;
            if c > o.placements_told {
                let line = ColdStarts {
                    function,
                    count: c,
                    rows: Rows::one(now),
                    peak_concurrency: t.peak_concurrency,
                    failing: o.placed_failing,
                    more: false,
                };
                let text = cold_text(f, &line);
                self.push(now, EntryKind::ColdStarts(line), Severity::Info, text, vec![fref.clone()]);
            }
        } else if n.cold.active {
            let ep = &mut n.cold;
            if c > 0 {
                if ep.since_report == 0 {
                    n.cold_failing = 0;
                }
                ep.add(now, c);
                n.cold_failing += o.placed_failing;
            }
            if ep.since_report > 0 {
                ep.peak = ep.peak.max(t.peak_concurrency);
            }
            if c > 0 && now - ep.last_report >= MINUTE {
                let line = ColdStarts {
                    function,
                    count: ep.since_report,
                    rows: ep.report_rows(now),
                    peak_concurrency: ep.peak,
                    failing: n.cold_failing,
                    more: true,
                };
                let text = format!(
                    "{name}: {} more {}{}",
                    cold_text_count(&line),
                    in_the_last(now - ep.last_report),
                    cold_text_tail(&line)
                );
                ep.reported(now);
                n.cold_failing = 0;
                self.push(now, EntryKind::ColdStarts(line), Severity::Info, text, vec![fref.clone()]);
            } else if c == 0 && now - ep.last_seen >= QUIET {
                ep.active = false;
            }
        }

        // Throttling, per cause.
        let window = mode.retry_window(f);
        for r in ThrottleCause::ALL {
            let n = &mut self.functions[i];
            let ep = &mut n.throttles[r.index()];
            // Made only for a line told (most samples tell none).
            let refs = || vec![fref.clone(), Ref::Limit { limit: limit_of(r) }];
            match t.throttled(r) {
                Some(ct) if !ep.active => {
                    *ep = Episode::open(now, ct.count);
                    ep.first_at = ct.first.at;
                    ep.last_at = ct.last.at;
                    ep.moment = ct.last;
                    let line = Throttling {
                        function,
                        cause: r,
                        mode,
                        count: ct.count,
                        rows: Rows::one(now),
                        moment: ct.first,
                        more: false,
                        waiting: None,
                    };
                    let text = throttle_text(f, &line, 0);
                    self.push(ct.first.at, EntryKind::Throttling(line), Severity::Error, text, refs());
                }
                Some(ct) => {
                    ep.add(now, ct.count);
                    ep.last_at = ct.last.at;
                    ep.moment = ct.last;
                    if now - ep.last_report >= MINUTE {
                        let line = Throttling {
                            function,
                            cause: r,
                            mode,
                            count: ep.since_report,
                            rows: ep.report_rows(now),
                            moment: ep.moment,
                            more: true,
                            waiting: (mode != Mode::Sync).then_some((o.waiting, o.oldest_s.floor() as u64)),
                        };
                        let text = throttle_text(f, &line, now - ep.last_report);
                        ep.reported(now);
                        self.push(now, EntryKind::Throttling(line), Severity::Error, text, refs());
                    }
                }
                None if ep.active => {
                    // Over only once no retry of the throttled work can still come: quiet for
                    // longer than the longest wait between retries, or nothing waits any more.
                    let quiet = now - ep.last_seen;
                    if quiet >= QUIET && (o.waiting == 0 || quiet > window) {
                        ep.active = false;
                        let line = ThrottlingEnded {
                            function,
                            cause: r,
                            mode,
                            count: ep.total,
                            rows: Rows { from: ep.since, to: ep.last_seen },
                            first: ep.first_at,
                            last: ep.last_at,
                        };
                        let text = format!(
                            "{name}: no more throttling ({}) since {}; it lasted {}, {} throttled in all",
                            cause_words(r),
                            Clock(line.last),
                            span(line.last - line.first),
                            mode.unit(line.count)
                        );
                        self.push(
                            now,
                            EntryKind::ThrottlingEnded(line),
                            Severity::Info,
                            text,
                            vec![fref.clone()],
                        );
                    }
                }
                None => {}
            }
        }

        // Failures to start: Pending, or no healthy subnet.
        for (k, c) in [t.pending_failures, t.no_subnet_failures].into_iter().enumerate() {
            let pending = k == 0;
            let until = pending.then_some(o.eni_ready_at);
            let ep = &mut self.functions[i].failed[k];
            if c > 0 && !ep.active {
                *ep = Episode::open(now, c);
                let line = FailedToStart {
                    function,
                    mode,
                    pending,
                    count: c,
                    rows: Rows::one(now),
                    until,
                    ended: false,
                };
                let text = failed_text(f, &line);
                self.push(now, EntryKind::FailedToStart(line), Severity::Error, text, vec![fref.clone()]);
            } else if c > 0 {
                ep.add(now, c);
            } else if ep.active && (if pending { now >= o.eni_ready_at } else { now - ep.last_seen >= QUIET })
            {
                ep.active = false;
                let line = FailedToStart {
                    function,
                    mode,
                    pending,
                    count: ep.total,
                    rows: Rows { from: ep.since, to: ep.last_seen },
                    until,
                    ended: true,
                };
                let text = failed_text(f, &line);
                self.push(now, EntryKind::FailedToStart(line), Severity::Info, text, vec![fref.clone()]);
            }
        }

        // Asynchronous events given up, and SQS messages redriven to the queue's DLQ.
        let given: u64 = t.given_up.iter().sum();
        for (k, c) in [given, t.source_dlq].into_iter().enumerate() {
            let to = if k == 0 { given_up_to(f) } else { GivenUpTo::SqsDlq };
            let reasons = if k == 0 { t.given_up } else { [0; 3] };
            let n = &mut self.functions[i];
            let ep = if k == 0 { &mut n.given_up } else { &mut n.source_dlq };
            let line = if c > 0 && !ep.active {
                *ep = Episode::open(now, c);
                Some(GivenUp { function, to, count: c, rows: Rows::one(now), reasons, more: false })
            } else if c > 0 {
                ep.add(now, c);
                for (b, r) in ep.by.iter_mut().zip(reasons) {
                    *b += r;
                }
                (now - ep.last_report >= MINUTE).then(|| {
                    let line = GivenUp {
                        function,
                        to,
                        count: ep.since_report,
                        rows: ep.report_rows(now),
                        reasons: ep.by,
                        more: true,
                    };
                    ep.reported(now);
                    line
                })
            } else {
                if ep.active && now - ep.last_seen >= QUIET {
                    ep.active = false;
                }
                None
            };
            if let Some(line) = line {
                let text = given_up_text(f, &line);
                let severity = if to == GivenUpTo::Dropped { Severity::Error } else { Severity::Warning };
                self.push(now, EntryKind::GivenUp(line), severity, text, vec![fref.clone()]);
            }
        }

        // All of its reserved concurrency in use: told again only after it stayed clearly
        // below for a while.
        let reserved = f.reserved.unwrap_or(0);
        let ep = &mut self.functions[i].reserved;
        if o.reserved_full && !ep.active {
            ep.active = true;
            ep.below_since = None;
            let line = LimitReached {
                function: Some(function),
                in_use: o.concurrency as u64,
                limit: reserved as u64,
                account_limit: sc.account.limit as u64,
            };
            let text = format!(
                "{name}: all of its reserved concurrency ({}) is in use; other functions cannot take it, and it cannot grow past it",
                fmt_count(line.limit)
            );
            self.push(
                now,
                EntryKind::LimitReached(line),
                Severity::Warning,
                text,
                vec![fref, Ref::Limit { limit: "reserved" }],
            );
        } else if ep.active {
            settle(ep, now, (o.concurrency as f64) < 0.9 * reserved as f64);
        }
    }

    fn observe_account(&mut self, sc: &Scenario, now: Micros, acct: &AccountObs, fns: &[FnObs]) {
        let a = &sc.account;
        let full = acct.unreserved_in_use >= a.unreserved_pool && a.unreserved_pool > 0;
        if full && !self.account.active {
            self.account.active = true;
            self.account.below_since = None;
            let line = LimitReached {
                function: None,
                in_use: acct.unreserved_in_use as u64,
                limit: a.unreserved_pool as u64,
                account_limit: a.limit as u64,
            };
            let text = format!(
                "account concurrency limit reached: {} of {} unreserved in use (account limit {})",
                fmt_count(line.in_use),
                fmt_count(line.limit),
                fmt_count(line.account_limit)
            );
            self.push(
                now,
                EntryKind::LimitReached(line),
                Severity::Warning,
                text,
                vec![Ref::Limit { limit: "account" }],
            );
        } else if self.account.active {
            settle(&mut self.account, now, (acct.unreserved_in_use as f64) < 0.9 * a.unreserved_pool as f64);
        }

        if a.model == ScalingModel::Legacy {
            let cap = a.burst_quota as f64;
            let refill_per_min = (a.legacy_refill_per_sec * 60.0).round() as u64;
            let line = |empty| BurstBucket {
                empty,
                tokens: acct.tokens.max(0.0).floor() as u64,
                quota: a.burst_quota as u64,
                refill_per_min,
                concurrency: acct.concurrency,
            };
            if acct.tokens < 1.0 && !self.bucket_empty {
                self.bucket_empty = true;
                let line = line(true);
                let text = format!(
                    "burst bucket empty: {} of {} tokens; from now on at most {} new environments per minute (concurrency {})",
                    fmt_count(line.tokens),
                    fmt_count(line.quota),
                    fmt_count(line.refill_per_min),
                    fmt_count(line.concurrency as u64)
                );
                self.push(
                    now,
                    EntryKind::BurstBucket(line),
                    Severity::Warning,
                    text,
                    vec![Ref::Limit { limit: "burst" }],
                );
            } else if self.bucket_empty && acct.tokens >= cap - 0.5 {
                self.bucket_empty = false;
                let line = line(false);
                let text = format!(
                    "burst bucket full again: {} tokens, so a burst of {} new environments can start at once",
                    fmt_count(line.quota),
                    fmt_count(line.quota)
                );
                self.push(
                    now,
                    EntryKind::BurstBucket(line),
                    Severity::Info,
                    text,
                    vec![Ref::Limit { limit: "burst" }],
                );
            }
        }

        let reaped: u64 = fns.iter().map(|o| o.tally.reaped).sum();
        let recycled: u64 = fns.iter().map(|o| o.tally.recycled).sum();
        debug_assert_eq!((reaped, recycled), (acct.reaped_idle, acct.recycled));
        if (reaped > 0 || recycled > 0) && self.reaped_pending == 0 && self.recycled_pending == 0 {
            self.reap_from = now;
        }
        self.reaped_pending += reaped;
        self.recycled_pending += recycled;
        if (self.reaped_pending > 0 || self.recycled_pending > 0)
            && now - self.reap_last_report >= REAP_REPORT_EVERY
        {
            let line = Reaped {
                reaped: self.reaped_pending,
                recycled: self.recycled_pending,
                rows: Rows { from: self.reap_from, to: now },
            };
            let mut parts = Vec::new();
            if line.reaped > 0 {
                parts.push(format!(
                    "{} reaped after staying idle for their idle lifetime (an assumption: AWS documents none)",
                    plural(line.reaped, "environment", "environments")
                ));
            }
            if line.recycled > 0 {
                parts.push(if line.recycled == 1 {
                    "1 environment recycled at the end of its lifetime".to_string()
                } else {
                    format!("{} environments recycled at the end of their lifetime", fmt_count(line.recycled))
                });
            }
            let text = format!("{}; the next requests that need them are cold starts", parts.join(", "));
            self.push(now, EntryKind::Reaped(line), Severity::Info, text, vec![]);
            self.reaped_pending = 0;
            self.recycled_pending = 0;
            self.reap_last_report = now;
        }
    }
}

/// A limit episode ends once usage stayed clearly below the limit for [`QUIET`].
fn settle(ep: &mut Episode, now: Micros, below: bool) {
    if !below {
        ep.below_since = None;
    } else {
        let since = *ep.below_since.get_or_insert(now);
        if now - since >= QUIET {
            ep.active = false;
        }
    }
}

fn start_text(f: &Function, s: &Start, eni_ready_at: Micros) -> (Severity, String) {
    let name = &f.name;
    let subject = match s.mode {
        Mode::Sync => "first requests arrive",
        Mode::Async => "first asynchronous events arrive (each accepted with 202)",
        Mode::Sqs => "first messages arrive in its SQS queue",
        Mode::Stream => "first records arrive in its stream",
    };
    let waits = match s.mode {
        Mode::Sync => "",
        Mode::Async => ", and the event waits in the function's queue to be retried",
        Mode::Sqs => ", and the messages stay in the queue",
        Mode::Stream => ", and the records stay in their shard",
    };
    let (severity, clause) = match s.fate {
        None => (Severity::Info, String::new()),
        Some(Fate::Cold) => {
            (Severity::Info, "; there is no execution environment yet, so the first ones are cold starts".into())
        }
        Some(Fate::Warm) => (Severity::Info, "; an execution environment is already there to serve them".into()),
        Some(Fate::Provisioned) => {
            (Severity::Info, "; provisioned environments serve them, without a cold start".into())
        }
        Some(Fate::Throttled { cause }) if s.mode == Mode::Async && not_retried(cause, f) => (
            Severity::Error,
            format!(
                "; reserved concurrency is 0, so none of them runs: each is {} at once, without retries",
                to_words(given_up_to(f))
            ),
        ),
        Some(Fate::Throttled { cause }) => {
            (Severity::Error, format!("; the first one is throttled ({}){waits}", cause_words(cause)))
        }
        Some(Fate::Pending) => (
            Severity::Error,
            format!(
                "; the function is still Pending while Lambda creates its Hyperplane ENIs (ready at {}), so the first one fails{waits}",
                Clock(eni_ready_at)
            ),
        ),
        Some(Fate::NoHealthySubnet) => (
            Severity::Error,
            format!("; every subnet of the function is in an Availability Zone that is down, so the first one fails{waits}"),
        ),
    };
    (severity, format!("{name}: {subject}{clause}"))
}

/// An asynchronous event throttled for reserved concurrency 0 is not retried.
fn not_retried(cause: ThrottleCause, f: &Function) -> bool {
    cause == ThrottleCause::ReservedConcurrency && f.reserved == Some(0)
}

fn cold_text_count(c: &ColdStarts) -> String {
    plural(c.count, "cold start", "cold starts")
}

fn cold_text_tail(c: &ColdStarts) -> String {
    format!(
        " (concurrency up to {}){}",
        fmt_count(c.peak_concurrency as u64),
        landed_failing(c.failing, c.count)
    )
}

fn cold_text(f: &Function, c: &ColdStarts) -> String {
    let how = match &f.compute {
        crate::scenario::Compute::SnapStart(_) => {
            "new execution environments restore the SnapStart snapshot (taken when the version was published) instead of running the init"
        }
        crate::scenario::Compute::Web(_) => {
            "requests with no free slot waited for new execution environments to start, each serving many requests at once"
        }
        _ => "new execution environments initialize before serving",
    };
    format!("{}: {} — {how}{}", f.name, cold_text_count(c), cold_text_tail(c))
}

fn throttle_text(f: &Function, t: &Throttling, period: Micros) -> String {
    let name = &f.name;
    let r = t.cause;
    let why = explain(r, &t.moment);
    let n = t.count;
    let when = if t.more { format!(" {}", in_the_last(period)) } else { String::new() };
    let waiting = |what: &str| match t.waiting {
        Some((w, age)) => format!("; {} {what}, the oldest for {}", fmt_count(w), span(age * MICROS_PER_SEC)),
        None => String::new(),
    };
    match t.mode {
        Mode::Sync => format!(
            "{name}: {} throttled{when} (429 TooManyRequestsException, {}): {why}",
            plural(n, "request", "requests"),
            reason_words(r)
        ),
        Mode::Async if not_retried(r, f) => format!(
            "{name}: {} throttled{when} ({why}); each was already accepted (202), and Lambda does not retry it: it is {}",
            plural(n, "asynchronous event", "asynchronous events"),
            to_words(given_up_to(f))
        ),
        Mode::Async if t.more => format!(
            "{name}: {} to run asynchronous events throttled{when} ({why}){}",
            plural(n, "attempt", "attempts"),
            waiting("events wait in the queue")
        ),
        Mode::Async => format!(
            "{name}: {} to run asynchronous events throttled ({why}); the callers already had 202 Accepted: the events wait in the function's queue and Lambda retries them with backoff ({} up to {}) for up to {}",
            plural(n, "attempt", "attempts"),
            format_duration(f.async_cfg.initial_backoff),
            format_duration(f.async_cfg.max_backoff),
            format_duration(f.async_cfg.max_age)
        ),
        Mode::Sqs => {
            let visibility = match f.source {
                Some(EventSource::Sqs { visibility, .. }) => visibility,
                _ => 0,
            };
            let tail = if t.more {
                waiting("messages wait in the queue")
            } else {
                format!(
                    "; the messages stay in the queue and become visible again after the visibility timeout ({}), and the pollers back off",
                    format_duration(visibility)
                )
            };
            format!("{name}: {} throttled{when} ({why}){tail}", plural(n, "SQS batch", "SQS batches"))
        }
        Mode::Stream => {
            let tail = if t.more {
                waiting("records wait in the stream")
            } else {
                "; the records stay in their shard and the batch is retried, in order".to_string()
            };
            format!("{name}: {} throttled{when} ({why}){tail}", plural(n, "stream batch", "stream batches"))
        }
    }
}

fn failed_text(f: &Function, x: &FailedToStart) -> String {
    let name = &f.name;
    let what = x.mode.unit(x.count);
    let after = match x.mode {
        Mode::Sync => "",
        Mode::Async => "; the events wait in the function's queue and are retried with backoff",
        Mode::Sqs => "; the messages stay in the queue",
        Mode::Stream => "; the records stay in their shard",
    };
    match (x.pending, x.ended) {
        (true, false) => format!(
            "{name}: {what} failed: the function is Pending while Lambda creates its Hyperplane ENIs, until {}, and none of its {} runs before then{after}",
            Clock(x.until.unwrap_or(0)),
            match x.mode {
                Mode::Sync => "requests",
                Mode::Async => "events",
                Mode::Sqs => "messages",
                Mode::Stream => "records",
            }
        ),
        (true, true) => format!(
            "{name}: no longer Pending: its ENIs were ready at {}; {what} failed while it was Pending",
            Clock(x.until.unwrap_or(0))
        ),
        (false, false) => {
            format!("{name}: {what} failed: every subnet of the function is in an Availability Zone that is down{after}")
        }
        (false, true) => format!(
            "{name}: no more failures for lack of a healthy subnet since {}; {what} failed in all",
            Clock(x.rows.to)
        ),
    }
}

fn given_up_text(f: &Function, g: &GivenUp) -> String {
    let name = &f.name;
    let more = if g.more { "more " } else { "" };
    let n = fmt_count(g.count);
    if g.to == GivenUpTo::SqsDlq {
        let receives = match f.source {
            Some(EventSource::Sqs { max_receive, .. }) => max_receive,
            _ => 0,
        };
        return format!(
            "{name}: {n} {more}{} {} after {} receives without success",
            if g.count == 1 { "message" } else { "messages" },
            to_words(g.to),
            fmt_count(receives as u64)
        );
    }
    let [expired, exhausted, zero] = g.reasons;
    let mut why = Vec::new();
    if expired > 0 {
        why.push(format!(
            "{} reached the maximum event age ({})",
            fmt_count(expired),
            format_duration(f.async_cfg.max_age)
        ));
    }
    if exhausted > 0 {
        why.push(format!(
            "{} failed on every attempt ({} in all)",
            fmt_count(exhausted),
            fmt_count(1 + f.async_cfg.max_retries as u64)
        ));
    }
    if zero > 0 {
        why.push(format!("{} met reserved concurrency 0, which is never retried", fmt_count(zero)));
    }
    format!(
        "{name}: {n} {more}{} {}: {}",
        if g.count == 1 { "asynchronous event" } else { "asynchronous events" },
        to_words(g.to),
        why.join(", ")
    )
}

fn limit_of(r: ThrottleCause) -> &'static str {
    match r {
        ThrottleCause::AccountConcurrency => "account",
        ThrottleCause::ReservedConcurrency => "reserved",
        ThrottleCause::AccountRps | ThrottleCause::ReservedRps => "rps",
        ThrottleCause::BurstBucket | ThrottleCause::ScalingRate | ThrottleCause::ScalingRps => "scaling_rate",
        ThrottleCause::MaxEnvironments => "max_environments",
        ThrottleCause::RateLimit => "rate_limit",
        ThrottleCause::Capacity => "capacity",
    }
}

/// The throttle as AWS reports it: its Reason code where AWS documents one, else Lambdascape's
/// cause, said to be ours.
pub fn reason_words(r: ThrottleCause) -> String {
    match r.aws_reason() {
        Some(code) => format!("Reason {code}"),
        None => format!("no Reason documented by AWS; Lambdascape's cause: {}", cause_words(r)),
    }
}

/// Lambdascape's cause in words.
pub fn cause_words(r: ThrottleCause) -> &'static str {
    match r {
        ThrottleCause::AccountConcurrency => "account concurrency limit",
        ThrottleCause::ReservedConcurrency => "reserved concurrency",
        ThrottleCause::AccountRps => "account requests-per-second limit",
        ThrottleCause::ReservedRps => "reserved requests-per-second limit",
        ThrottleCause::BurstBucket => "burst bucket empty",
        ThrottleCause::ScalingRate => "scaling rate",
        ThrottleCause::ScalingRps => "requests-per-second scaling rate",
        ThrottleCause::MaxEnvironments => "maxEnvironments reached",
        ThrottleCause::RateLimit => "endpoint rate limit",
        ThrottleCause::Capacity => "Managed Instances capacity full",
    }
}

/// Seconds a bucket of `capacity` takes to refill at `per_min`.
fn refill_secs(capacity: u64, per_min: u64) -> u64 {
    if per_min == 0 {
        0
    } else {
        ((capacity * 60) as f64 / per_min as f64).round() as u64
    }
}

/// The limit that was hit, with the figures in force at the throttle.
fn explain(r: ThrottleCause, m: &ThrottleMoment) -> String {
    let times = |base: u64| if base > 0 { fmt_count(m.limit / base.max(1)) } else { "10".into() };
    match r {
        ThrottleCause::AccountConcurrency => format!(
            "account concurrency limit: {} of {} unreserved concurrency in use (account limit {})",
            fmt_count(m.used),
            fmt_count(m.limit),
            fmt_count(m.base)
        ),
        ThrottleCause::ReservedConcurrency if m.limit == 0 => {
            "reserved concurrency is 0, so every invocation is throttled".into()
        }
        ThrottleCause::ReservedConcurrency => {
            format!("its reserved concurrency of {} is all in use", fmt_count(m.limit))
        }
        ThrottleCause::AccountRps => format!(
            "more than {} synchronous requests in one second ({} x the account concurrency limit of {})",
            fmt_count(m.limit),
            times(m.base),
            fmt_count(m.base)
        ),
        ThrottleCause::ReservedRps => format!(
            "more than {} synchronous requests in one second ({} x its reserved or provisioned concurrency of {})",
            fmt_count(m.limit),
            times(m.base),
            fmt_count(m.base)
        ),
        ThrottleCause::BurstBucket => format!(
            "burst bucket empty ({} of {} tokens, +{}/min)",
            fmt_count(m.used),
            fmt_count(m.limit),
            fmt_count(m.refill_per_min)
        ),
        ThrottleCause::ScalingRate => format!(
            "scaling rate: each function adds at most {} environments per {} s ({} available then)",
            fmt_count(m.limit),
            refill_secs(m.limit, m.refill_per_min),
            fmt_count(m.used)
        ),
        ThrottleCause::ScalingRps => format!(
            "scaling rate: each function's requests per second grow by at most {} per {} s ({} available then)",
            fmt_count(m.limit),
            refill_secs(m.limit, m.refill_per_min),
            fmt_count(m.used)
        ),
        ThrottleCause::MaxEnvironments => format!(
            "all {} environments (maxEnvironments) were full with {} requests each, so the request was throttled at once instead of waiting",
            fmt_count(m.limit),
            fmt_count(m.base)
        ),
        ThrottleCause::RateLimit if m.limit == 0 => "the endpoint's rateLimit is 0, which blocks all traffic".into(),
        ThrottleCause::RateLimit => format!(
            "more than {} requests in one second reached the endpoint (its rateLimit, or the 10,000 per second endpoint quota)",
            fmt_count(m.limit)
        ),
        ThrottleCause::Capacity => format!(
            "{} requests in flight filled all {} slots of its {} ready environments: Managed Instances scale on utilization, not per request, and the capacity was still catching up",
            fmt_count(m.used),
            fmt_count(m.limit),
            fmt_count(m.base)
        ),
    }
}

impl State {
    /// The figures in force as request of function `f` is throttled for `r` (see
    /// [`ThrottleMoment`]).
    pub(super) fn throttle_moment(&self, f: usize, r: ThrottleCause) -> ThrottleMoment {
        let sc = &*self.in_force;
        let a = &sc.account;
        let fs = &self.functions[f];
        let now = self.now;
        // A scaling-rate throttle happens only when less than one token is left, so the tokens
        // in hand are 0 for those causes. Non-negative values: truncating casts.
        let per_min = |x: f64| (x * 60.0 + 0.5) as u64;
        let reserved = sc.functions[f].reserved.unwrap_or(0);
        let (used, limit, base, refill_per_min) = match r {
            ThrottleCause::AccountConcurrency => (
                (self.account.unreserved_od + self.account.unreserved_pc) as u64,
                a.unreserved_pool as u64,
                a.limit as u64,
                0,
            ),
            ThrottleCause::ReservedConcurrency => {
                ((fs.od_in_flight + fs.pc.live) as u64, reserved as u64, 0, 0)
            }
            ThrottleCause::AccountRps => (fs.rps_count, a.rps_limit, a.limit as u64, 0),
            ThrottleCause::ReservedRps => {
                let b = reserved.max(fs.pc.live);
                (fs.rps_count, (b as f64 * a.rps_per_concurrency) as u64, b as u64, 0)
            }
            ThrottleCause::BurstBucket => (0, a.burst_quota as u64, 0, per_min(a.legacy_refill_per_sec)),
            ThrottleCause::ScalingRate => (0, a.current_step as u64, 0, per_min(a.current_refill_per_sec)),
            ThrottleCause::ScalingRps => {
                (0, a.current_rps_step as u64, 0, per_min(a.current_rps_refill_per_sec))
            }
            ThrottleCause::MaxEnvironments => {
                let per_env = sc.functions[f].compute.per_env() as u64;
                let envs = fs.multi.as_ref().map_or(0, |m| m.envs.len() as u64);
                (envs, envs, per_env, 0)
            }
            ThrottleCause::RateLimit => {
                let limit = match &sc.functions[f].compute {
                    crate::scenario::Compute::Web(w) => w
                        .rate_limit
                        .unwrap_or(crate::scenario::WEB_ENDPOINT_RPS)
                        .min(crate::scenario::WEB_ENDPOINT_RPS),
                    _ => crate::scenario::WEB_ENDPOINT_RPS,
                };
                (fs.rps_count, limit as u64, 0, 0)
            }
            ThrottleCause::Capacity => {
                let ready = fs.multi.as_ref().map_or(0, |m| m.ready_envs() as u64);
                let per_env = sc.functions[f].compute.per_env() as u64;
                (fs.in_flight as u64, ready * per_env, ready, 0)
            }
        };
        ThrottleMoment { at: now, used, limit, base, refill_per_min }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_separators() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_count(3000), "3,000");
        assert_eq!(fmt_count(1_234_567), "1,234,567");
        assert_eq!(span(70 * MICROS_PER_SEC), "1m10s");
        assert_eq!(in_the_last(60 * MICROS_PER_SEC), "in the last minute");
        assert_eq!(in_the_last(70 * MICROS_PER_SEC), "in the last 1m10s");
    }
}
