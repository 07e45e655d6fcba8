//! The simulation: a deterministic discrete-event engine over one validated [`Scenario`].
//!
//! [`Simulation`] owns the scenario, the checkpointable [`State`] (environments, event queue,
//! counters and the one seeded ChaCha8 generator) and an append-only [`Recorder`] (series and
//! narrative). It can be stepped by any amount of simulated time, read cheaply between steps,
//! and sought back to any earlier time (restore the nearest checkpoint, replay forward: the
//! replay is bit-for-bit the same run, so the recorded series stay valid).
//!
//! Within one instant the phases run in a fixed order: environment events (init done,
//! invocation done, expiry) first, so an environment freed at `t` can serve a request arriving
//! at `t`; then arrivals; then the metric sample at `t`, which therefore sees the state after
//! everything that happened at `t`.

mod alarms;
mod arrivals;
mod asyncq;
pub mod envs;
mod epochs;
pub mod metrics;
mod multi;
pub mod narrative;
pub mod net;
mod pc;
mod queue;
mod sources;
mod summary;

pub use alarms::{resolve as alarms_resolve, AlarmState};
pub use asyncq::AsyncState;
pub use multi::{Instance, MultiState};
pub use net::{EniState, NetState, PathOutcome, Route, NO_ENI, SUBNET_COLUMNS};
pub use pc::PcState;
pub use sources::SourceState;

pub use envs::{Env, EnvState, Slot};
pub use metrics::{Series, ThrottleCause, ACCOUNT_COLUMNS, FUNCTION_COLUMNS};
pub use narrative::{
    CauseTally, ColdStarts, Entry, EntryKind, FailedToStart, Fate, GiveUp, GivenUp, GivenUpTo, Mode, Ref,
    Rows, Severity, Start, Tally, ThrottleMoment, Throttling, ThrottlingEnded,
};
pub use summary::{FunctionSummary, Headline, LatencySummary, Summary};

use crate::scenario::{Compute, Function, FunctionId, InvocationType, ScalingModel, Scenario, WarmSelection};
use crate::time::{at_most, micros_to_secs, Micros, MICROS_PER_SEC};
use crate::traffic::ArrivalGen;
pub use arrivals::ArrivalTape;
use arrivals::{NextArrivals, Replay};
use envs::{new_env, Arena, IdlePool};
use metrics::{col, Histogram};
use narrative::{AccountObs, FnObs, Narrator};
use queue::EventQueue;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;
use std::sync::Arc;

/// Options that do not change the simulated behaviour, only what is kept.
#[derive(Debug, Clone)]
pub struct Options {
    /// Keep checkpoints so that `seek` to an earlier time is fast (the web app does; the CLI
    /// does not need to).
    pub checkpoints: bool,
    /// Upper bound on the number of checkpoints kept over the horizon.
    pub max_checkpoints: u32,
    /// Keep a record of each invocation (up to this many; 0 = none) for inspection, tests and
    /// the call animation.
    pub trace_limit: u32,
}

/// One finished invocation, as kept by the trace.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TraceRecord {
    /// When it started (with its init for a cold start), or for a request that waited for a
    /// slot (Web Functions), when it arrived.
    pub start: Micros,
    pub end: Micros,
    pub function: u32,
    pub env: u32,
    /// Whether it was a cold start.
    pub cold: bool,
    pub provisioned: bool,
    /// `SubnetId` of its environment, if in a VPC.
    pub subnet: Option<u32>,
    pub outcome: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Options { checkpoints: false, max_checkpoints: 400, trace_limit: 0 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    /// A cold start's init phase ends; the environment starts its invocation (slot, serial).
    InitDone(Slot, u32),
    /// The running invocation ends (slot, serial).
    Done(Slot, u32),
    /// Check whether an idle environment is due to be reaped (or a PC one recycled).
    Expire(Slot, u32),
    /// An asynchronous event's next attempt (function, event).
    AsyncAttempt(u32, u32),
    /// An SQS batch becomes visible again (function, batch).
    SqsReturn(u32, u32),
    /// The SQS pollers of a function rescale (every second).
    SqsScale(u32),
    /// A stream lane retries its batch (function, lane).
    StreamRetry(u32, u32),
    /// A provisioned-concurrency allocation completes (function, request number).
    PcReady(u32, u32),
    /// A scheduled scaling action runs (function, action, epoch it belongs to).
    Scheduled(u32, u32, u32),
    /// Fault `i` begins (true) or ends (false).
    Fault(u32, bool),
    /// The Hyperplane ENIs are ready.
    EniReady,
    /// A request on a multi-concurrency environment ends (function, request, its number).
    MultiDone(u32, u32, u32),
    /// A multi-concurrency environment finished its init (slot, serial).
    MultiReady(Slot, u32),
    /// A multi-concurrency function's periodic scaling decision (function).
    MultiTick(u32),
    /// A Managed Instances instance is ready (function, instance serial).
    InstanceReady(u32, u32),
}

/// Lanes of the event queue per kind of event (see `queue`): init phases and the completions
/// of cold starts (pushed together, `init` and `init + run` ahead), the completions of warm
/// starts (one monotone stream per function and path latency), expiry checks, the rest. Expiry
/// checks (an idle lifetime ahead, minutes) that fit no lane have a heap of their own, apart
/// from the near events.
mod lanes {
    use super::queue::Group;
    pub const INIT: Group = Group { lanes: 0..2, heap: 0 };
    pub const DONE: Group = Group { lanes: 2..6, heap: 0 };
    pub const EXPIRE: Group = Group { lanes: 6..7, heap: 1 };
    pub const OTHER: Group = Group { lanes: 7..9, heap: 0 };
}

/// What an environment is running an invocation for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Sync,
    /// An asynchronous event (its id in the function's async state).
    Async(u32),
    /// An SQS batch.
    Sqs(u32),
    /// A stream lane's batch.
    Stream(u32),
}

/// How an invocation ends (decided when it starts, from the draws).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// A function error.
    Error,
    /// Ran past the function timeout (slow, a retried init that with the handler takes longer,
    /// or a call hanging on an unreachable network path or on a group of Hyperplane ENIs that
    /// the VPC's quota keeps from growing).
    Timeout,
}

/// Why an invocation could not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvokeFail {
    Throttled(ThrottleCause),
    /// The function's ENIs are still being created (state Pending).
    Pending,
    /// Every subnet of the function is in a down AZ.
    NoHealthySubnet,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    time: Micros,
    seq: u64,
    kind: EventKind,
}

// Events are moved around the heap a lot: keep them at half a cache line.
const _: () = assert!(std::mem::size_of::<Event>() == 32);

/// Placement lines told per VPC function per minute (see `narrate_placement`).
const PLACEMENT_LINES_PER_MINUTE: u32 = 3;

impl queue::Timed for Event {
    #[inline]
    fn key(&self) -> (u64, u64) {
        (self.time, self.seq)
    }
}

/// A token bucket refilled continuously (the legacy burst bucket; the current model's
/// per-function scaling allowance).
#[derive(Debug, Clone)]
pub struct Bucket {
    pub tokens: f64,
    pub capacity: f64,
    pub per_sec: f64,
    at: Micros,
}

impl Bucket {
    fn new(capacity: f64, per_sec: f64) -> Self {
        Bucket { tokens: capacity, capacity, per_sec, at: 0 }
    }
    #[inline]
    fn refill(&mut self, now: Micros) {
        if now > self.at {
            if self.tokens < self.capacity {
                self.tokens =
                    at_most(self.tokens + micros_to_secs(now - self.at) * self.per_sec, self.capacity);
            }
            self.at = now;
        }
    }
    #[inline]
    fn try_take(&mut self, now: Micros) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
    /// Level at `now` without changing the bucket.
    pub fn level(&self, now: Micros) -> f64 {
        if now > self.at {
            at_most(self.tokens + micros_to_secs(now - self.at) * self.per_sec, self.capacity)
        } else {
            self.tokens
        }
    }
}

/// Counters of one function (or of the account) over one sample interval.
#[derive(Debug, Clone, Default)]
struct Interval {
    requests: u64,
    invocations: u64,
    cold_starts: u64,
    throttles: [u64; ThrottleCause::COUNT],
    errors: u64,
    timeouts: u64,
    init_timeouts: u64,
    provisioned_invocations: u64,
    spillover_invocations: u64,
    /// Durations of the invocations that ended. A function's are recorded as they end; the
    /// account's are its functions' merged when the sample is taken (the same counts, so the
    /// same percentiles, for a third fewer records per invocation).
    hist: Histogram,
    /// Highest concurrency in the interval (set to the concurrency at its start).
    peak: u32,
    /// Failures to start: Pending, no healthy subnet.
    pending_failures: u64,
    no_subnet_failures: u64,
    reaped: u64,
    recycled: u64,
    /// SnapStart restores.
    restores: u64,
    /// Per cause, the figures in force at the first and the last throttle.
    moments: [Option<(ThrottleMoment, ThrottleMoment)>; ThrottleCause::COUNT],
}

impl Interval {
    fn reset(&mut self) {
        let hist = std::mem::take(&mut self.hist);
        *self = Interval::default();
        self.hist = hist;
        self.hist.clear();
    }
}

/// Running totals of one function (or of the account) since the start.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub requests: u64,
    pub invocations: u64,
    pub cold_starts: u64,
    pub throttles: [u64; ThrottleCause::COUNT],
    pub errors: u64,
    pub timeouts: u64,
    /// Cold starts whose init ran past the init limit (Lambda retried it within the invocation).
    pub init_timeouts: u64,
    /// Invocations that failed because the function was Pending (ENIs being created).
    pub pending_failures: u64,
    pub environments_created: u64,
    pub environments_reaped: u64,
    pub environments_recycled: u64,
    pub provisioned_invocations: u64,
    pub spillover_invocations: u64,
    pub max_concurrency: u32,
    pub max_provisioned: u32,
    /// Billed milliseconds (duration plus init of cold starts, rounded up per invocation).
    pub billed_ms: u64,
    /// Of those, served by provisioned environments (billed at the PC duration price).
    pub provisioned_billed_ms: u64,
    /// Time integrals (environment-microseconds) of busy (incl. initializing) and idle counts;
    /// the busy one is also the integral of concurrency.
    pub busy_area: f64,
    pub idle_area: f64,
    /// Provisioned environment-microseconds (for the PC price).
    pub provisioned_area: f64,
    /// Completed invocations and the sum of their durations (for the mean).
    pub completed: u64,
    pub duration_sum_us: u128,
    /// End-to-end latency of every completed invocation: its wait for a slot (Web Functions),
    /// its init or restore, and its duration (per function; the account's is their sum,
    /// merged when a summary is made).
    pub latency: metrics::Latency,
    /// SnapStart restores (new environments resumed from the snapshot).
    pub restores: u64,
}

/// Live state of one function.
#[derive(Debug, Clone)]
pub struct FunctionState {
    /// Invocations in flight (initializing + busy), provisioned and on-demand: the function's
    /// concurrency.
    pub in_flight: u32,
    /// On-demand invocations in flight.
    pub od_in_flight: u32,
    pub initializing: u32,
    /// Idle on-demand environments.
    pub idle: IdlePool,
    /// Current model: the function's scaling allowance (new environments).
    pub scaling: Bucket,
    /// Current model: the function's allowance of requests per second beyond those it served
    /// in the previous second (10,000 per 10 s).
    pub rps_scaling: Bucket,
    arrivals: ArrivalGen,
    /// The function's own stream for arrival draws: the traffic is the same whatever else the
    /// run draws (so compare variants get exactly the same requests).
    arrival_rng: ChaCha8Rng,
    /// The arrival times replayed from a tape instead of drawn (a sweep's shared traffic).
    tape: Option<Replay>,
    /// The whole simulated second the request counters below are for.
    rps_second: u64,
    /// Synchronous requests this second (the RPS quotas).
    rps_count: u64,
    /// Synchronous requests started this second, of them on provisioned environments, and
    /// those started in the previous second (the current model's RPS ramp).
    served_this_second: u64,
    pc_served_this_second: u64,
    served_last_second: u64,
    interval: Interval,
    pub totals: Totals,
    area_at: Micros,
    seen_request: bool,
    first_request_at: Micros,
    narrated_first: bool,
    /// What became of its first request.
    first_fate: Option<Fate>,
    /// SQS messages redriven to the DLQ, as of the last sample.
    source_dlq_seen: u64,
    /// Init phases past the init limit: when the last was told, and those not told since.
    init_told: (Option<Micros>, u64),
    pub pc: PcState,
    pub asyncq: AsyncState,
    pub source: Option<SourceState>,
    /// Managed Instances and Web Functions: environments with many requests each.
    pub multi: Option<MultiState>,
}

impl FunctionState {
    /// The function's next arrival: replayed from its tape or drawn (`Micros::MAX`: none).
    #[inline]
    fn next_arrival(&mut self, func: &Function) -> Micros {
        match &mut self.tape {
            Some(tape) => tape.next(),
            None => self.arrivals.next(&func.traffic, &mut self.arrival_rng).unwrap_or(Micros::MAX),
        }
    }

    /// Draws from here on, from where the replayed times left the stream.
    fn untape(&mut self) {
        if let Some(tape) = self.tape.take() {
            tape.catch_up(&mut self.arrivals, &mut self.arrival_rng);
        }
    }
    /// Requests per second its provisioned environments serve before spilling over
    /// (`rps_per_concurrency` each).
    #[inline]
    fn pc_rps(&self, a: &crate::scenario::Account) -> f64 {
        self.pc.live as f64 * a.rps_per_concurrency
    }

    /// A synchronous request started this second; `ramp` if it needed the RPS ramp's allowance.
    #[inline]
    fn served(&mut self, ramp: bool, now: Micros) {
        self.served_this_second += 1;
        if ramp {
            self.rps_scaling.try_take(now);
        }
    }
}

/// Account-wide live state.
#[derive(Debug, Clone)]
pub struct AccountState {
    pub in_flight: u32,
    /// In flight for functions without reserved concurrency (UnreservedConcurrentExecutions).
    pub unreserved_in_flight: u32,
    /// On-demand in flight of functions without reserved concurrency.
    pub unreserved_od: u32,
    /// Provisioned environments of functions without reserved concurrency (they hold their
    /// share of the unreserved pool whether busy or not).
    pub unreserved_pc: u32,
    pub initializing: u32,
    pub idle: u32,
    /// Legacy model: the account's burst bucket.
    pub burst: Bucket,
    interval: Interval,
    reaped_interval: u64,
    recycled_interval: u64,
    pub totals: Totals,
    area_at: Micros,
}

/// Events per call of [`Simulation::advance_bounded`] in [`Simulation::advance_to`].
pub const SLICE_EVENTS: u64 = 1 << 16;

/// Everything that evolves during a run; cloned into checkpoints.
#[derive(Debug, Clone)]
pub struct State {
    pub now: Micros,
    rng: ChaCha8Rng,
    seq: u64,
    events: EventQueue<Event>,
    /// Each function's next request, drawn one ahead, and the earliest of them.
    next_arrivals: NextArrivals,
    next_sample: Micros,
    pub envs: Arena,
    next_serial: u32,
    pub functions: Vec<FunctionState>,
    pub account: AccountState,
    pub net: NetState,
    pub alarms: Vec<AlarmState>,
    /// How many of the scenario's changes are in force (0 = the scenario as written).
    pub epoch: u32,
    narrator: Narrator,
    /// The scenario version in force (the limits a throttle is explained with).
    in_force: Arc<Scenario>,
    /// Invocations finished since the last sample, when tracing.
    trace_pending: Vec<TraceRecord>,
    trace_on: bool,
    /// Events processed (a measure of work).
    pub events_processed: u64,
}

/// Append-only outputs: they outlive seeks, because a replay reproduces them exactly.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub account: Series,
    pub functions: Vec<Series>,
    /// One series per subnet of the VPC (by `SubnetId`), and per AZ (by `AzId`).
    pub subnets: Vec<Series>,
    pub azs: Vec<Series>,
    pub narrative: Vec<Entry>,
    /// Finished invocations (when `Options::trace_limit` > 0), in order of their end.
    pub trace: Vec<TraceRecord>,
    /// Per function and sample interval, what the engine counted beyond the series (throttles
    /// by cause with the figures in force, peak concurrency, failures to start, environments
    /// removed, events given up): what the narrative's lines are checked against.
    pub tallies: Vec<Tally>,
    trace_limit: u32,
    /// Time of the last recorded sample (`None` before the first).
    pub recorded_until: Option<Micros>,
    truncated: bool,
}

/// A running simulation of one scenario and seed.
#[derive(Debug, Clone)]
pub struct Simulation {
    scenario: Arc<Scenario>,
    state: State,
    recorder: Recorder,
    checkpoints: Vec<State>,
    checkpoint_every: Micros,
    options: Options,
    seed: u64,
}

impl Simulation {
    /// A simulation at time 0 with the scenario's own seed.
    pub fn new(scenario: Scenario) -> Self {
        let seed = scenario.spec.seed;
        Self::with_seed(scenario, seed, Options::default())
    }

    /// A simulation at time 0 with the given seed and options.
    pub fn with_seed(scenario: Scenario, seed: u64, options: Options) -> Self {
        Self::with_tapes(scenario, seed, options, &[])
    }

    /// The same simulation as [`Simulation::with_seed`], taking the arrival times of a function
    /// from one of `tapes` that holds the very times it would draw ([`ArrivalTape`]; the others
    /// are ignored): the same run, without drawing arrivals again.
    #[inline(never)]
    pub fn with_tapes(scenario: Scenario, seed: u64, options: Options, tapes: &[ArrivalTape]) -> Self {
        let scenario = Arc::new(scenario);
        let sc = &*scenario;
        let rng = ChaCha8Rng::seed_from_u64(seed);
        let a = &sc.account;
        let mut functions: Vec<FunctionState> = sc
            .functions
            .iter()
            .map(|f| FunctionState {
                in_flight: 0,
                od_in_flight: 0,
                initializing: 0,
                idle: IdlePool::new(f.warm_selection),
                scaling: Bucket::new(a.current_step as f64, a.current_refill_per_sec),
                rps_scaling: Bucket::new(a.current_rps_step as f64, a.current_rps_refill_per_sec),
                arrivals: ArrivalGen::new(&f.traffic.pattern),
                arrival_rng: arrival_stream(seed, &f.name),
                tape: None,
                rps_second: 0,
                rps_count: 0,
                served_this_second: 0,
                pc_served_this_second: 0,
                served_last_second: 0,
                interval: Interval::default(),
                totals: Totals::default(),
                area_at: 0,
                seen_request: false,
                first_request_at: 0,
                narrated_first: false,
                first_fate: None,
                source_dlq_seen: 0,
                init_told: (None, 0),
                pc: PcState::new(f),
                asyncq: AsyncState::default(),
                source: f.source.as_ref().map(|s| SourceState::new(s, f)),
                multi: f.compute.is_multi().then(MultiState::default),
            })
            .collect();
        for (f, fs) in functions.iter_mut().enumerate() {
            fs.tape = tapes.iter().find(|t| t.fits(sc, f, seed)).map(Replay::of);
        }
        // Draw each function's first arrival in function order (part of the deterministic
        // sequence of draws).
        let next_arrivals = NextArrivals::new(
            sc.functions.iter().zip(functions.iter_mut()).map(|(f, fs)| fs.next_arrival(f)),
        );
        let mut state = State {
            now: 0,
            rng,
            seq: 0,
            events: EventQueue::default(),
            next_arrivals,
            next_sample: 0,
            envs: Arena::default(),
            next_serial: 1,
            functions,
            account: AccountState {
                in_flight: 0,
                unreserved_in_flight: 0,
                unreserved_od: 0,
                unreserved_pc: 0,
                initializing: 0,
                idle: 0,
                burst: Bucket::new(a.burst_quota as f64, a.legacy_refill_per_sec),
                interval: Interval::default(),
                reaped_interval: 0,
                recycled_interval: 0,
                totals: Totals::default(),
                area_at: 0,
            },
            net: NetState::new(sc),
            alarms: sc.alarms.iter().map(|a| AlarmState::new(sc, a)).collect(),
            epoch: 0,
            narrator: Narrator::new(sc.functions.len()),
            in_force: Arc::clone(&scenario),
            trace_pending: Vec::new(),
            trace_on: options.trace_limit > 0,
            events_processed: 0,
        };
        state.start(sc);
        let wide = epochs::widest(sc);
        let n_subnets = wide.vpc.as_ref().map_or(0, |v| v.subnets().count());
        let n_azs = wide.vpc.as_ref().map_or(0, |v| v.azs().count());
        let recorder = Recorder {
            account: Series::new(ACCOUNT_COLUMNS),
            functions: sc.functions.iter().map(|_| Series::new(FUNCTION_COLUMNS)).collect(),
            subnets: (0..n_subnets).map(|_| Series::new(SUBNET_COLUMNS)).collect(),
            azs: (0..n_azs).map(|_| Series::new(SUBNET_COLUMNS)).collect(),
            narrative: Vec::new(),
            trace: Vec::new(),
            tallies: Vec::new(),
            trace_limit: options.trace_limit,
            recorded_until: None,
            truncated: false,
        };
        // Checkpoint spacing: a whole number of samples, at most `max_checkpoints` over the
        // horizon, at least 10 s apart.
        let si = sc.sample_interval;
        let raw = (sc.horizon / options.max_checkpoints.max(1) as u64).max(10 * MICROS_PER_SEC);
        let checkpoint_every = raw.div_ceil(si) * si;
        let mut sim = Simulation {
            scenario,
            state,
            recorder,
            checkpoints: Vec::new(),
            checkpoint_every,
            options,
            seed,
        };
        if sim.options.checkpoints {
            sim.checkpoints.push(sim.state.clone());
        }
        sim
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Current simulated time.
    pub fn now(&self) -> Micros {
        self.state.now
    }
    /// End of the scenario.
    pub fn horizon(&self) -> Micros {
        self.scenario.horizon
    }
    pub fn is_finished(&self) -> bool {
        self.state.now >= self.scenario.horizon
    }
    /// Live state (environments, counters, buckets) at the current time.
    pub fn state(&self) -> &State {
        &self.state
    }
    /// Sampled series and narrative recorded so far (may extend past `now` after a seek back).
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }
    /// Narrative entries up to the current time.
    pub fn narrative_until_now(&self) -> &[Entry] {
        let n = self.recorder.narrative.partition_point(|e| e.time <= self.state.now);
        &self.recorder.narrative[..n]
    }
    /// The environment in a slot, if live.
    pub fn env(&self, s: Slot) -> Option<&Env> {
        self.state.envs.get(s)
    }
    /// Legacy burst bucket level now.
    pub fn burst_tokens(&self) -> f64 {
        self.state.account.burst.level(self.state.now)
    }

    /// Runs to the end of the scenario.
    pub fn run(&mut self) {
        self.advance_to(self.scenario.horizon);
    }

    /// Advances simulated time by `dt` (clamped to the horizon).
    pub fn step(&mut self, dt: Micros) {
        self.advance_to(self.state.now.saturating_add(dt));
    }

    /// Advances to time `t` (clamped to the horizon): processes every event at or before `t`.
    ///
    /// In slices of [`SLICE_EVENTS`] events, which change nothing in the run: a WebAssembly
    /// engine (V8) runs a call in the code it was entered with, so a run made of one call
    /// would stay in its first, unoptimised code to the end; each slice is a new call, in the
    /// optimised code as soon as it is ready (a sizing worker's first run took 1.7 times as
    /// long as the next ones in one call).
    pub fn advance_to(&mut self, t: Micros) {
        while !self.advance_bounded(t, SLICE_EVENTS) {}
    }

    /// Advances towards `t`, processing at most `max_events` events; returns whether `t` (or
    /// the horizon) was reached. The animation calls this each frame with a small budget so
    /// that long simulations are chunked and the page never freezes.
    #[inline(never)]
    pub fn advance_bounded(&mut self, t: Micros, max_events: u64) -> bool {
        let target = t.min(self.scenario.horizon);
        let base = Arc::clone(&self.scenario);
        let mut sc = epochs::active(&base, self.state.epoch);
        let mut budget = max_events;
        // When the next change takes effect (looked up again when one does).
        let epoch_at = |epoch: u32| base.epochs.get(epoch as usize).map_or(Micros::MAX, |e| e.at);
        let mut t_epoch = epoch_at(self.state.epoch);
        loop {
            let st = &mut self.state;
            let (t_ev, src) = st.events.peek().unwrap_or((Micros::MAX, 0));
            let t_arrival = st.next_arrivals.earliest().1;
            let t_next = t_ev.min(t_arrival).min(st.next_sample).min(t_epoch);
            if t_next > target {
                break;
            }
            if budget == 0 {
                return false;
            }
            budget -= 1;
            st.events_processed += 1;
            st.now = t_next;
            if t_epoch == t_next {
                // A change takes effect before anything else at its time.
                let e = &base.epochs[st.epoch as usize];
                let next = Arc::clone(&e.scenario);
                st.switch_epoch(&sc, &next, &e.label);
                st.epoch += 1;
                st.in_force = Arc::clone(&next);
                sc = next;
                t_epoch = epoch_at(st.epoch);
            } else if t_ev == t_next {
                let ev = st.events.pop_from(src).expect("peeked");
                st.handle_event(&sc, ev);
            } else if t_arrival == t_next {
                st.handle_arrival(&sc);
            } else {
                st.sample(&sc, &mut self.recorder);
                if self.options.checkpoints
                    && t_next % self.checkpoint_every == 0
                    && self.checkpoints.last().is_none_or(|c| c.now < t_next)
                {
                    self.checkpoints.push(self.state.clone());
                }
            }
        }
        let st = &mut self.state;
        if target > st.now {
            st.now = target;
        }
        if st.now >= sc.horizon {
            st.accrue_all(st.now);
        }
        true
    }

    /// Moves to any time: back (restore the latest checkpoint at or before `t`, then replay) or
    /// forward (advance).
    pub fn seek(&mut self, t: Micros) {
        let t = t.min(self.scenario.horizon);
        if t < self.state.now {
            let i = self.checkpoints.partition_point(|c| c.now <= t);
            match i.checked_sub(1) {
                Some(i) => self.state = self.checkpoints[i].clone(),
                None => {
                    // No checkpoint: start over from time 0 (same seed, same run).
                    let fresh =
                        Simulation::with_seed((*self.scenario).clone(), self.seed, self.options.clone());
                    self.state = fresh.state;
                }
            }
        }
        self.advance_to(t);
    }

    /// The scenario in force now (the scenario as written, or as changed by its changes).
    pub fn active_scenario(&self) -> Arc<Scenario> {
        epochs::active(&self.scenario, self.state.epoch)
    }

    /// Replaces the scenario by one that is identical before `from` (e.g. the same scenario
    /// with a live edit recorded as a change at `from`): keeps the checkpoints and recorded
    /// data before `from`, replays from the last checkpoint, and stands at `from`.
    pub fn replace_scenario(&mut self, scenario: Scenario, from: Micros) {
        let from = from.min(scenario.horizon);
        self.checkpoints.retain(|c| c.now < from);
        if from == 0 || self.checkpoints.is_empty() || scenario.horizon != self.scenario.horizon {
            *self = Simulation::with_seed(scenario, self.seed, self.options.clone());
            self.advance_to(from);
            return;
        }
        self.scenario = Arc::new(scenario);
        let wide = epochs::widest(&self.scenario);
        let subnets = wide.vpc.as_ref().map_or(0, |v| v.subnets().count());
        let azs = wide.vpc.as_ref().map_or(0, |v| v.azs().count());
        self.recorder.truncate_from(from, subnets, azs);
        self.state = self.checkpoints.last().expect("not empty").clone();
        self.state.functions.iter_mut().for_each(FunctionState::untape);
        self.state.net.grow(&self.scenario);
        self.advance_to(from);
    }

    /// Number of checkpoints kept.
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// The summary figures as of now (final once finished).
    pub fn summary(&self) -> Summary {
        summary::build(self)
    }

    /// The headline figures of [`Self::summary`] alone (requests, invocations, throttles,
    /// errors, cold starts, restores, latency, cost), at a fraction of its code and work.
    pub fn headline(&self) -> Headline {
        summary::headline(self)
    }
}

impl Recorder {
    /// Drops everything recorded at or after `t` (a replay will record it again), and makes
    /// room for more subnets and AZs.
    fn truncate_from(&mut self, t: Micros, subnets: usize, azs: usize) {
        let rows = self.account.times.partition_point(|&x| x < t);
        for s in std::iter::once(&mut self.account)
            .chain(&mut self.functions)
            .chain(&mut self.subnets)
            .chain(&mut self.azs)
        {
            s.truncate(rows);
        }
        for (list, n) in [(&mut self.subnets, subnets), (&mut self.azs, azs)] {
            while list.len() < n {
                let mut s = Series::new(SUBNET_COLUMNS);
                for &time in &self.account.times {
                    s.push(time, &[0.0; SUBNET_COLUMNS.len()]);
                }
                list.push(s);
            }
        }
        // What a sample records is from its interval (entries may carry an earlier time in it):
        // keep exactly what the kept rows recorded; the replay records the rest again.
        self.recorded_until = self.account.times.last().copied();
        let kept = |time: Micros| self.recorded_until.is_some_and(|u| time <= u);
        self.narrative.truncate(self.narrative.partition_point(|e| kept(e.time)));
        self.trace.retain(|r| kept(r.end));
        self.tallies.retain(|x| kept(x.time));
        self.truncated = self.narrative.len() >= narrative::MAX_ENTRIES;
    }
}

impl State {
    /// Schedules the scheduled scaling actions of function `f` in the scenario version now in
    /// force (tagged with it, so a later change voids them).
    fn schedule_actions(&mut self, sc: &Scenario, f: usize, inclusive: bool) {
        let Some(p) = &sc.functions[f].provisioned else { return };
        for (i, a) in p.scheduled.iter().enumerate() {
            if let Some(t) = a.schedule.next_after(self.now, inclusive) {
                let epoch = self.epoch;
                self.push(t, EventKind::Scheduled(f as u32, i as u32, epoch));
            }
        }
    }

    /// Schedules what happens by itself: PC allocated before the start, scheduled actions,
    /// faults, ENI readiness, SQS poller scaling.
    fn start(&mut self, sc: &Scenario) {
        for (f, func) in sc.functions.iter().enumerate() {
            if let Some(p) = &func.provisioned {
                if p.initial > 0 {
                    self.pc_create(sc, f, p.initial);
                }
                self.schedule_actions(sc, f, true);
            }
            if matches!(func.source, Some(crate::scenario::EventSource::Sqs { .. })) {
                self.push(MICROS_PER_SEC, EventKind::SqsScale(f as u32));
            }
            if func.compute.is_multi() {
                self.multi_start(sc, f);
            }
        }
        for (i, fault) in sc.faults.iter().enumerate() {
            self.push(fault.at, EventKind::Fault(i as u32, true));
            if let Some(u) = fault.until {
                self.push(u, EventKind::Fault(i as u32, false));
            }
        }
        if self.net.eni_ready_at > 0 {
            self.push(self.net.eni_ready_at, EventKind::EniReady);
        }
    }

    /// Schedules an event in one of the queue's lane groups (see `lanes`).
    #[inline]
    fn push_in(&mut self, time: Micros, kind: EventKind, group: queue::Group) {
        self.seq += 1;
        self.events.push(Event { time, seq: self.seq, kind }, group);
    }

    /// Schedules an event.
    #[inline]
    fn push(&mut self, time: Micros, kind: EventKind) {
        let group = match kind {
            EventKind::InitDone(..) => lanes::INIT,
            EventKind::Done(..) | EventKind::MultiDone(..) => lanes::DONE,
            EventKind::Expire(..) => lanes::EXPIRE,
            _ => lanes::OTHER,
        };
        self.push_in(time, kind, group);
    }

    /// Adds the time since the last change to the busy/idle integrals of the account and of
    /// function `f` (before a change of either's counts at `now`).
    #[inline]
    fn accrue(&mut self, f: usize) {
        let now = self.now;
        self.accrue_account(now);
        self.accrue_function(f, now);
    }

    #[inline]
    fn accrue_account(&mut self, now: Micros) {
        let a = &mut self.account;
        // Signed conversions are single instructions; a time span is far below 2^63.
        let dt = (now - a.area_at) as i64 as f64;
        if dt > 0.0 {
            a.totals.busy_area += a.in_flight as f64 * dt;
            a.totals.idle_area += a.idle as f64 * dt;
            a.area_at = now;
        }
    }

    #[inline]
    fn accrue_function(&mut self, f: usize, now: Micros) {
        let fs = &mut self.functions[f];
        let dt = (now - fs.area_at) as i64 as f64;
        if dt > 0.0 {
            fs.totals.busy_area += fs.in_flight as f64 * dt;
            fs.totals.idle_area += (fs.idle.len() + fs.pc.idle.len()) as f64 * dt;
            fs.totals.provisioned_area += fs.pc.live as f64 * dt;
            fs.pc.busy_area += fs.pc.busy as f64 * dt;
            fs.area_at = now;
        }
    }

    /// The state with every integral accrued up to now: the state itself where they are (a
    /// finished run: accruing again would add nothing), else a copy accrued.
    pub(super) fn settled(&self) -> Cow<'_, State> {
        let now = self.now;
        let accrued = self.account.area_at == now
            && (self.functions.iter())
                .all(|fs| fs.area_at == now && fs.multi.as_ref().is_none_or(|m| m.accrued_at(now)));
        if accrued {
            return Cow::Borrowed(self);
        }
        let mut copy = self.clone();
        copy.accrue_all(now);
        Cow::Owned(copy)
    }

    fn accrue_all(&mut self, now: Micros) {
        self.accrue_account(now);
        for f in 0..self.functions.len() {
            self.accrue_function(f, now);
            if self.functions[f].multi.is_some() {
                self.accrue_multi(f);
            }
        }
    }

    fn throttle(&mut self, f: usize, r: ThrottleCause) -> Result<(), InvokeFail> {
        let moment = self.throttle_moment(f, r);
        let fs = &mut self.functions[f];
        match &mut fs.interval.moments[r.index()] {
            Some((_, last)) => *last = moment,
            m @ None => *m = Some((moment, moment)),
        }
        self.fate(f, Fate::Throttled { cause: r });
        self.functions[f].interval.throttles[r.index()] += 1;
        self.functions[f].totals.throttles[r.index()] += 1;
        self.account.interval.throttles[r.index()] += 1;
        self.account.totals.throttles[r.index()] += 1;
        Err(InvokeFail::Throttled(r))
    }

    /// Records what became of the function's first request, once.
    fn fate(&mut self, f: usize, fate: Fate) {
        let fs = &mut self.functions[f];
        if fs.seen_request && fs.first_fate.is_none() {
            fs.first_fate = Some(fate);
        }
    }

    fn count_request(&mut self, f: usize) {
        let fs = &mut self.functions[f];
        fs.interval.requests += 1;
        fs.totals.requests += 1;
        if !fs.seen_request {
            fs.seen_request = true;
            fs.first_request_at = self.now;
        }
        self.account.interval.requests += 1;
        self.account.totals.requests += 1;
    }

    fn handle_arrival(&mut self, sc: &Scenario) {
        // The earliest pending arrival; ties go to the lower function index (deterministic).
        let (f, due) = self.next_arrivals.earliest();
        debug_assert_eq!(due, self.now, "an arrival is due");
        let func = &sc.functions[f];
        let fs = &mut self.functions[f];
        let next = fs.next_arrival(func);
        self.next_arrivals.set(f, next);
        if func.compute.is_multi() {
            self.multi_arrival(sc, f);
        } else if self.functions[f].source.is_some() {
            self.source_arrival(sc, f);
        } else if func.invocation == InvocationType::Async {
            self.async_arrival(sc, f);
        } else {
            self.count_request(f);
            if let Err(InvokeFail::Pending | InvokeFail::NoHealthySubnet) = self.invoke(sc, f, Job::Sync) {
                self.count_failure_to_start(f);
            }
        }
    }

    /// A request that could not start for another reason than a throttle: an error.
    fn count_failure_to_start(&mut self, f: usize) {
        // Only a VPC function's Pending state and a subnet-less AZ outage end here.
        let pending = self.now < self.net.eni_ready_at;
        self.fate(f, if pending { Fate::Pending } else { Fate::NoHealthySubnet });
        let fs = &mut self.functions[f];
        if pending {
            fs.interval.pending_failures += 1;
        } else {
            fs.interval.no_subnet_failures += 1;
        }
        fs.interval.errors += 1;
        fs.totals.errors += 1;
        fs.totals.pending_failures += 1;
        self.account.interval.errors += 1;
        self.account.totals.errors += 1;
        self.account.totals.pending_failures += 1;
    }

    /// Starts one invocation of function `f` for `job` at `now`: on a provisioned environment,
    /// a warm one, or a new one (cold start) if the limits allow; else says why not.
    fn invoke(&mut self, sc: &Scenario, f: usize, job: Job) -> Result<(), InvokeFail> {
        let now = self.now;
        let a = &sc.account;
        let func = &sc.functions[f];

        // Requests-per-second quotas and the current model's RPS ramp, counted per function in
        // whole simulated seconds, for synchronous requests only: AWS's per-function invocation
        // quota is 10 requests per second per unit of concurrency for synchronous invocations,
        // unlimited for asynchronous ones (docs/model.md#requests-per-second).
        let sync = job == Job::Sync;
        let mut ramp_token = false;
        if sync {
            let second = now / MICROS_PER_SEC;
            let fs = &mut self.functions[f];
            if fs.rps_second != second {
                fs.served_last_second = if second == fs.rps_second + 1 { fs.served_this_second } else { 0 };
                fs.rps_second = second;
                fs.rps_count = 0;
                fs.served_this_second = 0;
                fs.pc_served_this_second = 0;
            }
            fs.rps_count += 1;
            match func.reserved {
                None => {
                    if fs.rps_count > a.rps_limit {
                        return self.throttle(f, ThrottleCause::AccountRps);
                    }
                }
                Some(r) => {
                    if r > 0 && fs.rps_count as f64 > r.max(fs.pc.live) as f64 * a.rps_per_concurrency {
                        return self.throttle(f, ThrottleCause::ReservedRps);
                    }
                }
            }
            // Current model: a function's requests per second grow by at most 10,000 every
            // 10 s. What it served last second (or its provisioned environments' 10 requests
            // per second each) needs no allowance; each request beyond takes one.
            if a.model == ScalingModel::Current
                && fs.served_this_second >= fs.served_last_second
                && (fs.pc.live == 0 || fs.served_this_second as f64 >= fs.pc_rps(a))
            {
                if fs.rps_scaling.level(now) < 1.0 {
                    return self.throttle(f, ThrottleCause::ScalingRps);
                }
                ramp_token = true;
            }
        }
        if func.vpc.is_some() && now < self.net.eni_ready_at {
            return Err(InvokeFail::Pending);
        }
        self.accrue(f);

        // 1. A provisioned environment, if one is idle and (synchronous requests) the
        // provisioned environments served fewer than 10 requests each this second: beyond
        // either, requests spill over to on-demand concurrency.
        let pc_slot = {
            let fs = &mut self.functions[f];
            if fs.pc.live == 0 || (sync && fs.pc_served_this_second as f64 >= fs.pc_rps(a)) {
                None
            } else {
                fs.pc.idle.take(&mut self.envs, WarmSelection::MostRecentlyUsed, &mut self.rng)
            }
        };
        if let Some(slot) = pc_slot {
            self.account.idle -= 1;
            let fs = &mut self.functions[f];
            fs.pc.busy += 1;
            fs.pc.invocations += 1;
            fs.interval.provisioned_invocations += 1;
            fs.totals.provisioned_invocations += 1;
            self.account.interval.provisioned_invocations += 1;
            self.account.totals.provisioned_invocations += 1;
            if sync {
                let fs = &mut self.functions[f];
                fs.pc_served_this_second += 1;
                fs.served(ramp_token, now);
            }
            self.start_on(sc, f, slot, job, false);
            return Ok(());
        }

        // 2. On demand (spillover when the function has provisioned concurrency).
        {
            let fs = &self.functions[f];
            match func.reserved {
                Some(r) => {
                    if fs.od_in_flight + fs.pc.live >= r {
                        return self.throttle(f, ThrottleCause::ReservedConcurrency);
                    }
                }
                None => {
                    if self.account.unreserved_od + self.account.unreserved_pc >= a.unreserved_pool {
                        return self.throttle(f, ThrottleCause::AccountConcurrency);
                    }
                }
            }
        }
        let warm = {
            let fs = &mut self.functions[f];
            fs.idle.take(&mut self.envs, func.warm_selection, &mut self.rng)
        };
        let slot = match warm {
            Some(slot) => {
                self.account.idle -= 1;
                slot
            }
            None => {
                let (allowed, cause) = match a.model {
                    ScalingModel::Legacy => (self.account.burst.try_take(now), ThrottleCause::BurstBucket),
                    ScalingModel::Current => {
                        (self.functions[f].scaling.try_take(now), ThrottleCause::ScalingRate)
                    }
                };
                if !allowed {
                    return self.throttle(f, cause);
                }
                let Some(k) = self.net.place(sc, f, &mut self.rng) else {
                    return Err(InvokeFail::NoHealthySubnet);
                };
                let idle_life = draw_range(&mut self.rng, func.idle_lifetime);
                let retire_at = func.max_lifetime.map_or(Micros::MAX, |r| now + draw_range(&mut self.rng, r));
                let slot = self.new_env(sc, f, k, idle_life, retire_at, false);
                let fs = &mut self.functions[f];
                fs.initializing += 1;
                fs.interval.cold_starts += 1;
                fs.totals.cold_starts += 1;
                self.account.initializing += 1;
                self.account.interval.cold_starts += 1;
                self.account.totals.cold_starts += 1;
                slot
            }
        };
        let fs = &mut self.functions[f];
        fs.od_in_flight += 1;
        if sync {
            fs.served(ramp_token, now);
        }
        if fs.pc.live > 0 {
            fs.interval.spillover_invocations += 1;
            fs.totals.spillover_invocations += 1;
            self.account.interval.spillover_invocations += 1;
            self.account.totals.spillover_invocations += 1;
        }
        if func.reserved.is_none() {
            self.account.unreserved_od += 1;
        }
        let cold = warm.is_none();
        self.start_on(sc, f, slot, job, cold);
        Ok(())
    }

    /// Creates an environment in the function's `k`-th subnet (state Initializing).
    fn new_env(
        &mut self,
        sc: &Scenario,
        f: usize,
        k: u32,
        idle_life: Micros,
        retire_at: Micros,
        provisioned: bool,
    ) -> Slot {
        let serial = self.next_serial;
        self.next_serial = self.next_serial.wrapping_add(1);
        let mut env = new_env(serial, FunctionId(f as u32), self.now, idle_life, retire_at);
        env.provisioned = provisioned;
        let subnet = NetState::subnet_id(&sc.functions[f], k);
        env.subnet = subnet.map(|s| s.0);
        env.path = k;
        env.eni = self.net.routes.get(net::route_index(f, k)).map_or(NO_ENI, |r| r.eni);
        if let Some(s) = subnet {
            if let Some(c) = self.net.subnets.get_mut(s.0 as usize) {
                c.environments += 1;
                c.environments_created += 1;
                if !provisioned {
                    c.cold_starts += 1;
                }
            }
        }
        self.functions[f].totals.environments_created += 1;
        self.account.totals.environments_created += 1;
        self.narrate_placement(sc, f, k, serial);
        self.envs.insert(env)
    }

    /// Draws how the invocation goes and schedules its end.
    fn start_on(&mut self, sc: &Scenario, f: usize, slot: Slot, job: Job, cold: bool) {
        let now = self.now;
        let func = &sc.functions[f];
        let mut duration = func.duration.sample(&mut self.rng);
        // The CPU-bound part of the duration at this memory (the draw itself is unchanged).
        if func.duration_factor != 1.0 {
            duration = crate::time::round_to_u64(duration as f64 * func.duration_factor);
        }
        let failed = func.error_rate > 0.0 && self.rng.random::<f64>() < func.error_rate;
        let init = if cold { self.draw_init(func, f) } else { 0 };
        let snapstart = matches!(func.compute, Compute::SnapStart(_));
        let env = self.envs.get_mut(slot).expect("live env");
        let route = self.net.routes[net::route_index(f, env.path)];
        let (mut outcome, mut run) = match route.failure {
            // A call that cannot get out hangs until the function times out.
            Some(_) => (Outcome::Timeout, func.timeout),
            None => {
                let d = duration.saturating_add(route.latency);
                if d > func.timeout {
                    (Outcome::Timeout, func.timeout)
                } else if failed {
                    (Outcome::Error, d)
                } else {
                    (Outcome::Success, d)
                }
            }
        };
        // An init longer than the init limit stops at the limit and Lambda retries it as part of
        // the invocation, under the function timeout: the retried init and the handler share
        // the timeout (an init that alone reaches it never completes).
        let retried = cold && !snapstart && init > func.init_limit;
        let budget = if retried { func.timeout.saturating_sub(init) } else { func.timeout };
        let init_time = if retried { func.init_limit + init.min(func.timeout) } else { init };
        let clamp = |outcome: Outcome, run: Micros| {
            if run > budget {
                (Outcome::Timeout, budget)
            } else {
                (outcome, run)
            }
        };
        (outcome, run) = clamp(outcome, run);
        env.init_retried = retried;
        env.eni_refused = false;
        let (eni, serial) = (env.eni, env.serial);
        // Its calls hold connections on the environment's group of Hyperplane ENIs while it runs:
        // the group grows by an ENI when it needs one (the handler waits for a new ENI to be
        // ready); when the VPC's quota of network interfaces leaves no room they cannot connect
        // and hang until the timeout.
        let need = func.connections_per_invocation;
        let mut connected = None;
        if need > 0 && eni != NO_ENI && route.failure.is_none() && budget > 0 {
            match self.net.connect(sc, f, eni, need, now, now + init_time, &mut self.narrator.pending) {
                Some(wait) => {
                    connected = Some(true);
                    if wait > 0 {
                        (outcome, run) = clamp(outcome, run.saturating_add(wait));
                    }
                }
                None => {
                    connected = Some(false);
                    (outcome, run) = (Outcome::Timeout, budget);
                    if let Some(entry) = self.net.refuse(sc, f, eni, serial, now) {
                        self.narrator.pending.push(entry);
                    }
                }
            }
        }
        let env = self.envs.get_mut(slot).expect("live env");
        match connected {
            Some(true) => env.connections = need,
            Some(false) => env.eni_refused = true,
            None => {}
        }
        env.job = job;
        env.outcome = outcome;
        env.invocation_start = now;
        env.invocations += 1;
        let (provisioned, subnet) = (env.provisioned, env.subnet);
        if cold {
            env.state = EnvState::Initializing;
            // A retried init that reaches the timeout never completes: no InitDone.
            if !(retried && init >= func.timeout) {
                self.push(now + init_time, EventKind::InitDone(slot, serial));
            }
            self.push_in(now + init_time + run, EventKind::Done(slot, serial), lanes::INIT);
        } else {
            env.state = EnvState::Busy;
            env.since = now;
            self.push(now + run, EventKind::Done(slot, serial));
        }
        let fs = &mut self.functions[f];
        fs.in_flight += 1;
        fs.interval.invocations += 1;
        fs.totals.invocations += 1;
        fs.totals.max_concurrency = fs.totals.max_concurrency.max(fs.in_flight);
        fs.interval.peak = fs.interval.peak.max(fs.in_flight);
        self.fate(
            f,
            if cold {
                Fate::Cold
            } else if provisioned {
                Fate::Provisioned
            } else {
                Fate::Warm
            },
        );
        let acct = &mut self.account;
        acct.in_flight += 1;
        if func.reserved.is_none() {
            acct.unreserved_in_flight += 1;
        }
        acct.interval.invocations += 1;
        acct.totals.invocations += 1;
        acct.totals.max_concurrency = acct.totals.max_concurrency.max(acct.in_flight);
        if let Some(s) = subnet {
            if let Some(c) = self.net.subnets.get_mut(s as usize) {
                c.invocations += 1;
                c.total_invocations += 1;
            }
        }
    }

    /// A cold start's init: the function's init, or for SnapStart the snapshot's restore
    /// (slower for the first restores, while the snapshot cache warms up).
    fn draw_init(&mut self, func: &Function, f: usize) -> Micros {
        let Compute::SnapStart(s) = &func.compute else { return func.init.sample(&mut self.rng) };
        let restore = s.restore.sample(&mut self.rng);
        let fs = &mut self.functions[f];
        let warming = fs.totals.restores < s.warmup_restores as u64;
        fs.totals.restores += 1;
        fs.interval.restores += 1;
        if warming {
            (restore as f64 * s.warmup_factor) as Micros
        } else {
            restore
        }
    }

    fn handle_event(&mut self, sc: &Scenario, ev: Event) {
        match ev.kind {
            EventKind::InitDone(slot, serial)
            | EventKind::Done(slot, serial)
            | EventKind::Expire(slot, serial) => self.handle_env_event(sc, ev.kind, slot, serial),
            EventKind::AsyncAttempt(f, e) => self.async_attempt(sc, f as usize, e),
            EventKind::SqsReturn(f, b) => self.sqs_return(sc, f as usize, b),
            EventKind::SqsScale(f) => {
                self.sqs_scale(sc, f as usize);
                self.push(self.now + MICROS_PER_SEC, EventKind::SqsScale(f));
            }
            EventKind::StreamRetry(f, l) => self.stream_retry(sc, f as usize, l),
            EventKind::PcReady(f, req) => self.pc_ready(sc, f as usize, req),
            EventKind::Scheduled(f, i, epoch) => {
                // Actions of a scenario version that a change replaced are void.
                if epoch == self.epoch {
                    self.pc_scheduled(sc, f as usize, i as usize)
                }
            }
            EventKind::Fault(i, down) => self.fault(sc, i as usize, down),
            EventKind::MultiDone(f, id, number) => self.multi_done(sc, f as usize, id, number),
            EventKind::MultiReady(slot, serial) => self.multi_ready(sc, slot, serial),
            EventKind::MultiTick(f) => self.multi_tick(sc, f as usize),
            EventKind::InstanceReady(f, serial) => self.instance_ready(sc, f as usize, serial),
            EventKind::EniReady => {
                let n = sc.functions.iter().filter(|f| f.vpc.is_some()).count();
                self.narrator.pending.push(Entry {
                    time: self.now,
                    kind: EntryKind::Network,
                    severity: Severity::Info,
                    text: format!(
                        "the Hyperplane network interfaces (ENIs) are ready: {n} VPC function(s) leave the Pending state and can run"
                    ),
                    refs: vec![],
                });
            }
        }
    }

    fn handle_env_event(&mut self, sc: &Scenario, kind: EventKind, slot: Slot, serial: u32) {
        let now = self.now;
        let Some(env) = self.envs.checked_mut(slot, serial) else { return };
        let f = env.function.0 as usize;
        match kind {
            EventKind::InitDone(..) => {
                if env.state == EnvState::Initializing {
                    env.state = EnvState::Busy;
                    env.since = now;
                    self.functions[f].initializing -= 1;
                    self.account.initializing -= 1;
                }
            }
            EventKind::Done(..) => self.on_done(sc, f, slot),
            EventKind::Expire(..) => {
                env.expiry_pending = false;
                if env.state != EnvState::Idle {
                    return; // re-armed when it next goes idle
                }
                let due = env.reap_due();
                let provisioned = env.provisioned;
                if now >= due {
                    if provisioned {
                        self.pc_recycle(sc, f, slot);
                        return;
                    }
                    let recycled = now >= env.retire_at;
                    self.reap_idle(sc, f, slot, recycled);
                } else {
                    env.expiry_pending = true;
                    self.push(due, EventKind::Expire(slot, serial));
                }
            }
            _ => {}
        }
    }

    /// An invocation ends: count it, free its environment, and tell its job.
    fn on_done(&mut self, sc: &Scenario, f: usize, slot: Slot) {
        let now = self.now;
        let func = &sc.functions[f];
        let env = self.envs.get_mut(slot).expect("checked");
        let duration = now - env.invocation_start;
        let (job, outcome, provisioned, path, subnet) =
            (env.job, env.outcome, env.provisioned, env.path, env.subnet);
        let (eni, held, refused) = (env.eni, env.connections, env.eni_refused);
        env.connections = 0;
        if self.trace_on {
            self.trace_pending.push(TraceRecord {
                start: env.invocation_start,
                end: now,
                function: f as u32,
                env: env.serial,
                cold: env.invocations == 1 && !provisioned,
                provisioned,
                subnet,
                outcome: match outcome {
                    Outcome::Success => "success",
                    Outcome::Error => "error",
                    Outcome::Timeout => "timeout",
                },
            });
        }
        // A retried init that reached the timeout never completed: the environment is discarded.
        let init_unfinished = env.state == EnvState::Initializing && env.init_retried;
        let init_retried = std::mem::take(&mut env.init_retried);
        if env.state == EnvState::Initializing {
            // Zero-length init and run at the same instant, or an init that never completed.
            self.functions[f].initializing -= 1;
            self.account.initializing -= 1;
        }
        let retire = now >= env.retire_at || init_unfinished;
        self.accrue(f);
        let billed_ms = duration.div_ceil(1000);
        if held > 0 {
            if let Some(e) = self.net.enis.get_mut(eni as usize) {
                e.connections -= held;
            }
        }
        let route = net::route_index(f, path);
        let failure = if refused {
            Some(crate::network::UnreachableCode::EniQuotaReached)
        } else {
            self.net.routes[route].failure
        };
        {
            let fs = &mut self.functions[f];
            fs.in_flight -= 1;
            if provisioned {
                fs.pc.busy -= 1;
            } else {
                fs.od_in_flight -= 1;
            }
            fs.interval.hist.record(duration);
            fs.totals.latency.record(duration);
            fs.totals.billed_ms += billed_ms;
            if provisioned {
                fs.totals.provisioned_billed_ms += billed_ms;
            }
            fs.totals.completed += 1;
            fs.totals.duration_sum_us += duration as u128;
        }
        {
            let acct = &mut self.account;
            acct.in_flight -= 1;
            if func.reserved.is_none() {
                acct.unreserved_in_flight -= 1;
                if !provisioned {
                    acct.unreserved_od -= 1;
                }
            }
            acct.totals.billed_ms += billed_ms;
            acct.totals.completed += 1;
            acct.totals.duration_sum_us += duration as u128;
        }
        self.count_outcome(f, subnet, Some(route), outcome);
        if outcome == Outcome::Timeout {
            if let Some(code) = failure {
                *self.net.unreachable.entry(code).or_insert(0) += 1;
            }
        }
        if init_retried {
            let (fs, acct) = (&mut self.functions[f], &mut self.account);
            fs.interval.init_timeouts += 1;
            fs.totals.init_timeouts += 1;
            acct.interval.init_timeouts += 1;
            acct.totals.init_timeouts += 1;
            self.narrate_init_retry(sc, f, slot, outcome, duration);
        }
        // The environment: back to its pool, recycled, or gone.
        if provisioned {
            self.pc_env_done(sc, f, slot);
        } else if retire {
            self.reap(slot, f, !init_unfinished);
        } else {
            let env = self.envs.get_mut(slot).expect("checked");
            env.state = EnvState::Idle;
            env.since = now;
            let arm = !env.expiry_pending;
            env.expiry_pending = true;
            let due = env.reap_due();
            let serial = env.serial;
            self.functions[f].idle.push(&mut self.envs, slot);
            self.account.idle += 1;
            if arm {
                self.push(due, EventKind::Expire(slot, serial));
            }
        }
        // The job learns how it went.
        let ok = outcome == Outcome::Success;
        match job {
            Job::Sync => {}
            Job::Async(e) => self.async_done(sc, f, e, ok),
            Job::Sqs(b) => self.sqs_done(sc, f, b, ok),
            Job::Stream(l) => self.stream_done(sc, f, l, ok),
        }
    }

    /// Counts how an invocation ended, for its function, the account and its subnet; a
    /// success is also a call on its network path `route` (billed by the bytes it moves).
    fn count_outcome(&mut self, f: usize, subnet: Option<u32>, route: Option<usize>, outcome: Outcome) {
        let sub = subnet.and_then(|s| self.net.subnets.get_mut(s as usize));
        if outcome == Outcome::Success {
            if let Some(c) = sub {
                c.successes += 1;
                c.total_successes += 1;
            }
            if let Some(r) = route.and_then(|r| self.net.routes.get_mut(r)) {
                r.calls += 1;
            }
            return;
        }
        let (fs, acct) = (&mut self.functions[f], &mut self.account);
        fs.interval.errors += 1;
        fs.totals.errors += 1;
        acct.interval.errors += 1;
        acct.totals.errors += 1;
        if outcome == Outcome::Timeout {
            fs.interval.timeouts += 1;
            fs.totals.timeouts += 1;
            acct.interval.timeouts += 1;
            acct.totals.timeouts += 1;
            if let Some(c) = sub {
                c.timeouts += 1;
                c.total_timeouts += 1;
            }
        }
    }

    /// Tells an invocation whose init ran past the init limit and was retried within it: the
    /// first of a function's, then at most one a minute (with those not told since).
    fn narrate_init_retry(&mut self, sc: &Scenario, f: usize, slot: Slot, outcome: Outcome, took: Micros) {
        let now = self.now;
        let (last, untold) = self.functions[f].init_told;
        if last.is_some_and(|t| now.saturating_sub(t) < 60 * MICROS_PER_SEC) {
            self.functions[f].init_told.1 += 1;
            return;
        }
        self.functions[f].init_told = (Some(now), 0);
        let func = &sc.functions[f];
        let Some(env) = self.envs.get(slot) else { return };
        let serial = env.serial;
        let how = match outcome {
            Outcome::Success => "succeeded",
            Outcome::Error => "ended in a function error",
            Outcome::Timeout if env.state == EnvState::Initializing => {
                "timed out before the retried init completed (the environment is discarded)"
            }
            Outcome::Timeout => "timed out",
        };
        let more = match last {
            Some(t) if untold > 0 => {
                format!(" ({} more since {})", narrative::fmt_count(untold), crate::time::Clock(t))
            }
            _ => String::new(),
        };
        self.narrator.pending.push(Entry {
            time: now,
            kind: EntryKind::Info,
            severity: if outcome == Outcome::Success { Severity::Warning } else { Severity::Error },
            text: format!(
                "{}: env #{serial}'s init ran past the {} init limit, so Lambda retried it as part of the invocation, under the {} function timeout (retried init + handler): the request took {:.1} s in all and {how}{more}",
                func.name,
                crate::time::format_duration(func.init_limit),
                crate::time::format_duration(func.timeout),
                micros_to_secs(took),
            ),
            refs: vec![Ref::Function { id: f as u32 }, Ref::Env { serial }],
        });
    }

    /// An idle environment leaves its pool (on-demand or provisioned) and is reaped.
    fn reap_idle(&mut self, sc: &Scenario, f: usize, slot: Slot, recycled: bool) {
        let provisioned = self.envs.get(slot).is_some_and(|e| e.provisioned);
        self.accrue(f);
        if provisioned {
            self.functions[f].pc.idle.remove(&mut self.envs, slot);
            self.pc_lost(sc, f);
        } else {
            self.functions[f].idle.remove(&mut self.envs, slot);
        }
        self.account.idle -= 1;
        self.reap(slot, f, recycled);
    }

    fn reap(&mut self, slot: Slot, f: usize, recycled: bool) {
        if let Some(env) = self.envs.remove(slot) {
            if let Some(c) = env.subnet.and_then(|s| self.net.subnets.get_mut(s as usize)) {
                c.environments = c.environments.saturating_sub(1);
            }
        }
        let fs = &mut self.functions[f];
        fs.totals.environments_reaped += 1;
        self.account.totals.environments_reaped += 1;
        if recycled {
            fs.interval.recycled += 1;
        } else {
            fs.interval.reaped += 1;
        }
        if recycled {
            fs.totals.environments_recycled += 1;
            self.account.totals.environments_recycled += 1;
            self.account.recycled_interval += 1;
        } else {
            self.account.reaped_interval += 1;
        }
    }

    /// An AZ goes down (environments there are lost, NAT gateways there stop) or comes back.
    fn fault(&mut self, sc: &Scenario, i: usize, down: bool) {
        let Some(vpc) = &sc.vpc else { return };
        let fault = &sc.faults[i];
        let az = fault.az;
        if down {
            self.net.health.azs_down.insert(az);
        } else {
            self.net.health.azs_down.remove(&az);
        }
        self.net.recompute(sc);
        let mut lost = 0u32;
        if down {
            // Every environment in a subnet of that AZ is lost; idle ones leave their pool,
            // busy ones end as errors now.
            let doomed: Vec<(Slot, u32)> = self
                .envs
                .iter()
                .filter(|(_, e)| {
                    e.slots == 1
                        && e.subnet.is_some_and(|s| vpc.subnet_az(crate::network::SubnetId(s)) == Some(az))
                })
                .map(|(s, e)| (s, e.serial))
                .collect();
            for (slot, serial) in doomed {
                let Some(env) = self.envs.checked_mut(slot, serial) else { continue };
                let (f, state, provisioned) = (env.function.0 as usize, env.state, env.provisioned);
                lost += 1;
                if state == EnvState::Idle {
                    self.reap_idle(sc, f, slot, false);
                } else {
                    // End the invocation now as an error; its environment goes with it.
                    env.outcome = Outcome::Error;
                    env.retire_at = self.now;
                    self.on_done(sc, f, slot);
                    if provisioned && self.envs.get(slot).is_some_and(|e| e.serial == serial) {
                        // The provisioned pool took it back: remove it now.
                        self.reap_idle(sc, f, slot, false);
                    }
                }
            }
            lost += self.multi_lose_az(sc, az.0);
            // Replace lost provisioned concurrency (allocated again, with its delay).
            for f in 0..self.functions.len() {
                let pc = &self.functions[f].pc;
                if pc.live < pc.target && pc.pending.is_none() {
                    let target = pc.target;
                    self.pc_request(sc, f, target, "replacing provisioned environments lost with the AZ");
                }
            }
        }
        let name = vpc.az_name(az).to_string();
        self.narrator.pending.push(Entry {
            time: self.now,
            kind: EntryKind::Network,
            severity: if down { Severity::Error } else { Severity::Info },
            text: if down {
                format!(
                    "Availability Zone {name} is down: {lost} environment(s) there are lost, its NAT gateways stop, and new environments start in the other AZs"
                )
            } else {
                format!("Availability Zone {name} is back: new environments may land there again")
            },
            refs: vec![Ref::Az { id: az.0 }],
        });
    }

    /// Where a new environment of a VPC function landed, when its subnet decides whether its
    /// calls work (the function has subnets that work and subnets that do not): the learner sees
    /// "works, works, then times out" follow the placements. The first environment in a failing
    /// subnet gets the reason; then at most [`PLACEMENT_LINES_PER_MINUTE`] lines per function
    /// per minute (the cold-start lines count the rest).
    fn narrate_placement(&mut self, sc: &Scenario, f: usize, k: u32, serial: u32) {
        let Some(sub) = NetState::subnet_id(&sc.functions[f], k) else { return };
        let Some(path) = self.net.paths[f].get(k as usize) else { return };
        let mixed = self.net.mixed[f];
        let first_failure = path.failure.is_some() && self.net.narrated.insert((f as u32, sub.0));
        if !first_failure && !mixed {
            return;
        }
        let told = &mut self.net.placements[f];
        if path.failure.is_some() {
            told.failing += 1;
        }
        if self.now >= told.window.0 + 60 * MICROS_PER_SEC {
            told.window = (self.now, 0);
        }
        if !first_failure && told.window.1 >= PLACEMENT_LINES_PER_MINUTE {
            return;
        }
        told.window.1 += 1;
        told.told += 1;
        let func = &sc.functions[f];
        let subnet = sc.vpc.as_ref().map_or("", |v| v.subnet_name(sub));
        let dest = |d: u32| func.destinations.get(d as usize).map_or("", |d| d.name.as_str());
        let (severity, text) = match &path.failure {
            Some((d, _code, reason)) if first_failure => (
                Severity::Error,
                format!("{}: env #{serial} started in subnet {subnet}: calls to {} time out ({reason})", func.name, dest(*d)),
            ),
            Some((d, _, _)) => (
                Severity::Error,
                format!(
                    "{}: env #{serial} started in subnet {subnet}: its calls to {} will time out until it is reaped",
                    func.name,
                    dest(*d)
                ),
            ),
            None => (
                Severity::Info,
                format!("{}: env #{serial} started in subnet {subnet}: its calls work", func.name),
            ),
        };
        self.narrator.pending.push(Entry {
            time: self.now,
            kind: EntryKind::Network,
            severity,
            text,
            refs: vec![Ref::Function { id: f as u32 }, Ref::Env { serial }, Ref::Subnet { id: sub.0 }],
        });
    }

    /// Records one sample row at `now` (unless a replay already recorded it), feeds the
    /// alarms and the auto scaling datapoints, and lets the narrator tell what changed.
    fn sample(&mut self, sc: &Scenario, rec: &mut Recorder) {
        let now = self.now;
        self.next_sample = now + sc.sample_interval;
        let record = rec.recorded_until.is_none_or(|t| now > t);
        let legacy = sc.account.model == ScalingModel::Legacy;
        let tokens = self.account.burst.level(now);
        self.accrue_all(now);

        let mut obs = Vec::with_capacity(self.functions.len());
        let mut function_rows = Vec::with_capacity(self.functions.len());
        let mut extra = [0f64; 12];
        for (i, fs) in self.functions.iter_mut().enumerate() {
            let func = &sc.functions[i];
            let headroom = if legacy { tokens } else { fs.scaling.level(now) };
            let iv = &fs.interval;
            let mut row = [0f32; FUNCTION_COLUMNS.len()];
            row[col::f::CONCURRENCY] = fs.in_flight as f32;
            row[col::f::REQUESTS] = iv.requests as f32;
            row[col::f::INVOCATIONS] = iv.invocations as f32;
            row[col::f::COLD_STARTS] = iv.cold_starts as f32;
            row[col::f::THROTTLES] = iv.throttles.iter().sum::<u64>() as f32;
            row[col::f::ERRORS] = iv.errors as f32;
            row[col::f::TIMEOUTS] = iv.timeouts as f32;
            let [p50, p90, p99] = iv.hist.quantiles([0.5, 0.9, 0.99]);
            row[col::f::P50] = (p50 / 1000.0) as f32;
            row[col::f::P99] = (p99 / 1000.0) as f32;
            row[col::f::HEADROOM] = headroom as f32;
            row[col::f::ENVS_INIT] = fs.initializing as f32;
            row[col::f::ENVS_BUSY] = (fs.in_flight - fs.initializing) as f32;
            row[col::f::ENVS_IDLE] = (fs.idle.len() + fs.pc.idle.len()) as f32;
            row[col::f::RESTORES] = iv.restores as f32;
            row[col::f::P90] = (p90 / 1000.0) as f32;
            if let Some(m) = &fs.multi {
                let (busy, capacity) =
                    m.envs.iter().filter_map(|&s| self.envs.get(s)).fold((0u32, 0u32), |(b, c), e| {
                        let ready = e.state != envs::EnvState::Initializing;
                        (b + (e.load > 0) as u32, c + if ready { e.slots } else { 0 })
                    });
                row[col::f::ENVS_BUSY] = busy as f32;
                row[col::f::ENVS_IDLE] = (m.ready_envs() - busy) as f32;
                row[col::f::QUEUED] = m.queue.len() as f32;
                row[col::f::INSTANCES] = m.ready_instances(now) as f32;
                row[col::f::CAPACITY] = capacity as f32;
            }
            row[col::f::PC] = fs.pc.live as f32;
            row[col::f::PC_BUSY] = fs.pc.busy as f32;
            row[col::f::PC_UTIL] =
                if fs.pc.live > 0 { fs.pc.busy as f32 / fs.pc.live as f32 } else { f32::NAN };
            row[col::f::PC_INVOCATIONS] = iv.provisioned_invocations as f32;
            row[col::f::SPILLOVER] = iv.spillover_invocations as f32;
            row[col::f::ASYNC_RECEIVED] = fs.asyncq.interval_received as f32;
            row[col::f::ASYNC_QUEUE] = fs.asyncq.waiting() as f32;
            row[col::f::ASYNC_AGE] = fs.asyncq.max_age_s(now) as f32;
            row[col::f::DLQ] = fs.asyncq.dlq as f32 + fs.source.as_ref().map_or(0.0, |s| s.dlq() as f32);
            row[col::f::DROPPED] = fs.asyncq.dropped as f32;
            let (backlog, oldest, pollers) = fs.source.as_ref().map_or((0.0, 0.0, 0.0), |s| s.gauges(now));
            row[col::f::BACKLOG] = backlog as f32;
            row[col::f::OLDEST_AGE] = oldest as f32;
            row[col::f::POLLERS] = pollers as f32;
            extra[0] += fs.pc.live as f64;
            extra[1] += fs.pc.busy as f64;
            extra[2] += fs.asyncq.interval_received as f64;
            extra[3] += fs.asyncq.waiting() as f64;
            extra[4] = extra[4].max(fs.asyncq.max_age_s(now));
            extra[5] += row[col::f::DLQ] as f64;
            extra[6] += fs.asyncq.dropped as f64;
            extra[7] += backlog;
            extra[8] = extra[8].max(oldest);
            fs.totals.max_provisioned = fs.totals.max_provisioned.max(fs.pc.live);
            let (placements_told, placed_failing) = self
                .net
                .placements
                .get_mut(i)
                .map_or((0, 0), |p| (std::mem::take(&mut p.told), std::mem::take(&mut p.failing)));
            let source_dlq = fs.source.as_ref().map_or(0, |s| s.dlq());
            let first = fs.seen_request && !fs.narrated_first;
            let tally = Tally {
                time: now,
                function: i as u32,
                peak_concurrency: iv.peak,
                cold_starts: iv.cold_starts,
                throttles: ThrottleCause::ALL
                    .into_iter()
                    .filter_map(|r| {
                        let (first, last) = iv.moments[r.index()]?;
                        Some(narrative::CauseTally { cause: r, count: iv.throttles[r.index()], first, last })
                    })
                    .collect(),
                pending_failures: iv.pending_failures,
                no_subnet_failures: iv.no_subnet_failures,
                reaped: iv.reaped,
                recycled: iv.recycled,
                given_up: fs.asyncq.interval_given_up,
                source_dlq: source_dlq - fs.source_dlq_seen,
                first_request: first.then_some(fs.first_request_at),
                first_fate: if first { fs.first_fate } else { None },
            };
            let (waiting, oldest_s) = if fs.source.is_some() {
                (backlog as u64, oldest)
            } else {
                (fs.asyncq.waiting(), fs.asyncq.max_age_s(now))
            };
            obs.push(FnObs {
                tally,
                concurrency: fs.in_flight,
                reserved_full: func.reserved.is_some_and(|r| r > 0 && fs.in_flight >= r),
                placements_told,
                placed_failing,
                waiting,
                oldest_s,
                eni_ready_at: if func.vpc.is_some() { self.net.eni_ready_at } else { 0 },
            });
            fs.source_dlq_seen = source_dlq;
            fs.narrated_first |= fs.seen_request;
            fs.asyncq.interval_received = 0;
            fs.asyncq.interval_given_up = [0; 3];
            // The account's durations of the interval are its functions' (see `Interval::hist`).
            self.account.interval.hist.merge(&fs.interval.hist);
            fs.interval.reset();
            fs.interval.peak = fs.in_flight;
            function_rows.push(row);
        }
        let a = &self.account;
        let iv = &a.interval;
        let mut row = [0f32; ACCOUNT_COLUMNS.len()];
        row[col::CONCURRENCY] = a.in_flight as f32;
        row[col::UNRESERVED] = a.unreserved_in_flight as f32;
        row[col::REQUESTS] = iv.requests as f32;
        row[col::INVOCATIONS] = iv.invocations as f32;
        row[col::COLD_STARTS] = iv.cold_starts as f32;
        row[col::THROTTLES] = iv.throttles.iter().sum::<u64>() as f32;
        for r in ThrottleCause::ALL {
            row[col::THROTTLE_CAUSE0 + r.index()] = iv.throttles[r.index()] as f32;
        }
        row[col::ERRORS] = iv.errors as f32;
        row[col::TIMEOUTS] = iv.timeouts as f32;
        let [p50, p99] = iv.hist.quantiles([0.5, 0.99]);
        row[col::P50] = (p50 / 1000.0) as f32;
        row[col::P99] = (p99 / 1000.0) as f32;
        row[col::BURST_TOKENS] = if legacy { tokens as f32 } else { f32::NAN };
        row[col::ENVS_INIT] = a.initializing as f32;
        row[col::ENVS_BUSY] = (a.in_flight - a.initializing) as f32;
        row[col::ENVS_IDLE] = a.idle as f32;
        row[col::ENVS] = (a.in_flight + a.idle) as f32;
        row[col::COST] = summary::cost_usd(sc, &self.functions, &self.net, now) as f32;
        row[col::PC] = extra[0] as f32;
        row[col::PC_BUSY] = extra[1] as f32;
        row[col::PC_UTIL] = if extra[0] > 0.0 { (extra[1] / extra[0]) as f32 } else { f32::NAN };
        row[col::PC_INVOCATIONS] = iv.provisioned_invocations as f32;
        row[col::SPILLOVER] = iv.spillover_invocations as f32;
        row[col::ASYNC_RECEIVED] = extra[2] as f32;
        row[col::ASYNC_QUEUE] = extra[3] as f32;
        row[col::ASYNC_AGE] = extra[4] as f32;
        row[col::DLQ] = extra[5] as f32;
        row[col::DROPPED] = extra[6] as f32;
        row[col::BACKLOG] = extra[7] as f32;
        row[col::OLDEST_AGE] = extra[8] as f32;
        row[col::INIT_TIMEOUTS] = iv.init_timeouts as f32;

        // Environments removed in this interval, as the functions' tallies counted them: those
        // that auto scaling removes below belong to the next interval, for the account as for
        // its functions.
        let (reaped, recycled) = (self.account.reaped_interval, self.account.recycled_interval);
        // Alarms and auto scaling read the same figures, in replays too.
        self.alarms_observe(sc, now, &row, &function_rows);
        self.pc_sample(sc, now);

        if record {
            rec.account.push(now, &row);
            for (i, r) in function_rows.iter().enumerate() {
                rec.functions[i].push(now, r);
            }
        }
        self.net.sample(sc, now, &mut rec.subnets, &mut rec.azs, record, &mut self.narrator.pending);
        let a = &self.account;
        let acct_obs = AccountObs {
            concurrency: a.in_flight,
            unreserved_in_use: a.unreserved_od + a.unreserved_pc,
            tokens,
            reaped_idle: reaped,
            recycled,
        };
        self.narrator.observe(sc, now, &acct_obs, &obs);
        let acct = &mut self.account;
        acct.interval.reset();
        acct.reaped_interval -= reaped;
        acct.recycled_interval -= recycled;
        // Entries may carry the time of what they tell (earlier in the interval): keep order.
        // At equal times a function's first requests come before what they caused.
        crate::size::order::sort_by_key(&mut self.narrator.pending, |e| {
            (e.time, !matches!(e.kind, EntryKind::Start(_)))
        });
        if record {
            rec.tallies.extend(obs.into_iter().map(|o| o.tally).filter(|t| !t.is_empty()));
            let room = (rec.trace_limit as usize).saturating_sub(rec.trace.len());
            rec.trace.extend(self.trace_pending.drain(..).take(room));
            for e in self.narrator.pending.drain(..) {
                if rec.narrative.len() < narrative::MAX_ENTRIES {
                    rec.narrative.push(e);
                } else if !rec.truncated {
                    rec.truncated = true;
                    rec.narrative.push(Entry {
                        time: now,
                        kind: EntryKind::Info,
                        severity: Severity::Info,
                        text: "the narrative stops here: it reached its 20,000-entry limit".into(),
                        refs: vec![],
                    });
                }
            }
            rec.recorded_until = Some(now);
        } else {
            self.narrator.pending.clear();
            self.trace_pending.clear();
        }
    }
}

/// The arrival stream of a function: the run's seed and the function's name (not its position
/// or anything else in the scenario) pick it.
fn arrival_stream(seed: u64, name: &str) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // FNV-1a of the name chooses one of ChaCha's 2^64 independent streams.
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    rng.set_stream(h);
    rng
}

/// A uniform draw in `[lo, hi]` (no draw when they are equal, so fixed values cost nothing).
fn draw_range(rng: &mut ChaCha8Rng, (lo, hi): (Micros, Micros)) -> Micros {
    if hi > lo {
        rng.random_range(lo..=hi)
    } else {
        lo
    }
}

impl WarmSelection {
    /// Label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            WarmSelection::MostRecentlyUsed => "most recently used",
            WarmSelection::LeastRecentlyUsed => "least recently used",
            WarmSelection::Random => "random",
        }
    }
}
