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

pub mod envs;
pub mod metrics;
pub mod narrative;
mod queue;
mod summary;

pub use envs::{Env, EnvState, Slot};
pub use metrics::{Series, ThrottleReason, ACCOUNT_COLUMNS, FUNCTION_COLUMNS};
pub use narrative::{Entry, EntryKind, Ref, Severity};
pub use summary::{FunctionSummary, Summary};

use crate::scenario::{FunctionId, ScalingModel, Scenario, WarmSelection};
use crate::time::{micros_to_secs, Micros, MICROS_PER_SEC};
use crate::traffic::ArrivalGen;
use envs::{new_env, Arena, IdlePool};
use metrics::{col, Histogram};
use narrative::{AccountObs, FnObs, Narrator};
use queue::EventQueue;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// Options that do not change the simulated behaviour, only what is kept.
#[derive(Debug, Clone)]
pub struct Options {
    /// Keep checkpoints so that `seek` to an earlier time is fast (the web app does; the CLI
    /// does not need to).
    pub checkpoints: bool,
    /// Upper bound on the number of checkpoints kept over the horizon.
    pub max_checkpoints: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { checkpoints: false, max_checkpoints: 400 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    /// A cold start's init phase ends; the environment starts its invocation.
    InitDone,
    /// The running invocation ends.
    Done,
    /// Check whether an idle environment is due to be reaped.
    Expire,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    time: Micros,
    seq: u64,
    kind: EventKind,
    slot: Slot,
    serial: u32,
}

impl queue::Timed for Event {
    #[inline]
    fn key(&self) -> (u64, u64) {
        (self.time, self.seq)
    }
    #[inline]
    fn lane(&self) -> usize {
        self.kind as usize
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
                self.tokens = (self.tokens + micros_to_secs(now - self.at) * self.per_sec).min(self.capacity);
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
            (self.tokens + micros_to_secs(now - self.at) * self.per_sec).min(self.capacity)
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
    throttles: [u64; ThrottleReason::COUNT],
    errors: u64,
    timeouts: u64,
    hist: Histogram,
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
    pub throttles: [u64; ThrottleReason::COUNT],
    pub errors: u64,
    pub timeouts: u64,
    pub environments_created: u64,
    pub environments_reaped: u64,
    pub environments_recycled: u64,
    pub max_concurrency: u32,
    /// Billed milliseconds (duration plus init of cold starts, rounded up per invocation).
    pub billed_ms: u64,
    /// Time integrals (environment-microseconds) of busy (incl. initializing) and idle counts.
    pub busy_area: f64,
    pub idle_area: f64,
    pub concurrency_area: f64,
    /// Completed invocations and the sum of their durations (for the mean).
    pub completed: u64,
    pub duration_sum_us: u128,
}

/// Live state of one function.
#[derive(Debug, Clone)]
pub struct FunctionState {
    /// Invocations in flight (initializing + busy): the function's concurrency.
    pub in_flight: u32,
    pub initializing: u32,
    pub idle: IdlePool,
    /// Current model: the function's scaling allowance.
    pub scaling: Bucket,
    pub next_arrival: Micros,
    arrivals: ArrivalGen,
    rps_second: u64,
    rps_count: u64,
    interval: Interval,
    pub totals: Totals,
    area_at: Micros,
    seen_request: bool,
    narrated_first: bool,
}

/// Account-wide live state.
#[derive(Debug, Clone)]
pub struct AccountState {
    pub in_flight: u32,
    pub unreserved_in_flight: u32,
    pub initializing: u32,
    pub idle: u32,
    /// Legacy model: the account's burst bucket.
    pub burst: Bucket,
    rps_second: u64,
    rps_count: u64,
    interval: Interval,
    interval_max_concurrency: u32,
    reaped_interval: u64,
    recycled_interval: u64,
    pub totals: Totals,
    area_at: Micros,
}

/// Everything that evolves during a run; cloned into checkpoints.
#[derive(Debug, Clone)]
pub struct State {
    pub now: Micros,
    rng: ChaCha8Rng,
    seq: u64,
    events: EventQueue<Event>,
    next_arrival: Micros,
    next_sample: Micros,
    pub envs: Arena,
    next_serial: u32,
    pub functions: Vec<FunctionState>,
    pub account: AccountState,
    narrator: Narrator,
    /// Events processed (a measure of work).
    pub events_processed: u64,
}

/// Append-only outputs: they outlive seeks, because a replay reproduces them exactly.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub account: Series,
    pub functions: Vec<Series>,
    pub narrative: Vec<Entry>,
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
        let scenario = Arc::new(scenario);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let a = &scenario.account;
        let mut functions: Vec<FunctionState> = scenario
            .functions
            .iter()
            .map(|f| FunctionState {
                in_flight: 0,
                initializing: 0,
                idle: IdlePool::new(f.warm_selection),
                scaling: Bucket::new(a.current_step as f64, a.current_refill_per_sec),
                next_arrival: Micros::MAX,
                arrivals: ArrivalGen::new(&f.traffic.pattern),
                rps_second: 0,
                rps_count: 0,
                interval: Interval::default(),
                totals: Totals::default(),
                area_at: 0,
                seen_request: false,
                narrated_first: false,
            })
            .collect();
        // Draw each function's first arrival in function order (part of the deterministic
        // sequence of draws).
        for (f, fs) in scenario.functions.iter().zip(functions.iter_mut()) {
            fs.next_arrival = fs.arrivals.next(&f.traffic, &mut rng).unwrap_or(Micros::MAX);
        }
        let next_arrival = functions.iter().map(|f| f.next_arrival).min().unwrap_or(Micros::MAX);
        let state = State {
            now: 0,
            rng,
            seq: 0,
            events: EventQueue::default(),
            next_arrival,
            next_sample: 0,
            envs: Arena::default(),
            next_serial: 1,
            functions,
            account: AccountState {
                in_flight: 0,
                unreserved_in_flight: 0,
                initializing: 0,
                idle: 0,
                burst: Bucket::new(a.burst_quota as f64, a.legacy_refill_per_sec),
                rps_second: 0,
                rps_count: 0,
                interval: Interval::default(),
                interval_max_concurrency: 0,
                reaped_interval: 0,
                recycled_interval: 0,
                totals: Totals::default(),
                area_at: 0,
            },
            narrator: Narrator::new(scenario.functions.len()),
            events_processed: 0,
        };
        let recorder = Recorder {
            account: Series::new(ACCOUNT_COLUMNS),
            functions: scenario.functions.iter().map(|_| Series::new(FUNCTION_COLUMNS)).collect(),
            narrative: Vec::new(),
            recorded_until: None,
            truncated: false,
        };
        // Checkpoint spacing: a whole number of samples, at most `max_checkpoints` over the
        // horizon, at least 10 s apart.
        let si = scenario.sample_interval;
        let raw = (scenario.horizon / options.max_checkpoints.max(1) as u64).max(10 * MICROS_PER_SEC);
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
    pub fn advance_to(&mut self, t: Micros) {
        while !self.advance_bounded(t, u64::MAX) {}
    }

    /// Advances towards `t`, processing at most `max_events` events; returns whether `t` (or
    /// the horizon) was reached. The animation calls this each frame with a small budget so
    /// that long simulations are chunked and the page never freezes.
    pub fn advance_bounded(&mut self, t: Micros, max_events: u64) -> bool {
        let target = t.min(self.scenario.horizon);
        let sc = Arc::clone(&self.scenario);
        let mut budget = max_events;
        loop {
            let st = &mut self.state;
            let t_ev = st.events.peek_time().unwrap_or(Micros::MAX);
            let t_next = t_ev.min(st.next_arrival).min(st.next_sample);
            if t_next > target {
                break;
            }
            if budget == 0 {
                return false;
            }
            budget -= 1;
            st.events_processed += 1;
            st.now = t_next;
            if t_ev == t_next {
                let ev = st.events.pop().expect("peeked");
                st.handle_event(&sc, ev);
            } else if st.next_arrival == t_next {
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

    /// Number of checkpoints kept.
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// The summary figures as of now (final once finished).
    pub fn summary(&self) -> Summary {
        summary::build(self)
    }
}

impl State {
    #[inline]
    fn push_event(&mut self, time: Micros, kind: EventKind, slot: Slot, serial: u32) {
        self.seq += 1;
        self.events.push(Event { time, seq: self.seq, kind, slot, serial });
    }

    /// Adds the time since the last change to the busy/idle integrals of the account.
    #[inline]
    fn accrue_account(&mut self, now: Micros) {
        let a = &mut self.account;
        let dt = (now - a.area_at) as f64;
        if dt > 0.0 {
            a.totals.busy_area += a.in_flight as f64 * dt;
            a.totals.idle_area += a.idle as f64 * dt;
            a.totals.concurrency_area += a.in_flight as f64 * dt;
            a.area_at = now;
        }
    }

    #[inline]
    fn accrue_function(&mut self, f: usize, now: Micros) {
        let fs = &mut self.functions[f];
        let dt = (now - fs.area_at) as f64;
        if dt > 0.0 {
            fs.totals.busy_area += fs.in_flight as f64 * dt;
            fs.totals.idle_area += fs.idle.len() as f64 * dt;
            fs.totals.concurrency_area += fs.in_flight as f64 * dt;
            fs.area_at = now;
        }
    }

    fn accrue_all(&mut self, now: Micros) {
        self.accrue_account(now);
        for f in 0..self.functions.len() {
            self.accrue_function(f, now);
        }
    }

    fn throttle(&mut self, f: usize, r: ThrottleReason) {
        self.functions[f].interval.throttles[r.index()] += 1;
        self.functions[f].totals.throttles[r.index()] += 1;
        self.account.interval.throttles[r.index()] += 1;
        self.account.totals.throttles[r.index()] += 1;
    }

    fn handle_arrival(&mut self, sc: &Scenario) {
        let now = self.now;
        // The earliest pending arrival; ties go to the lower function index (deterministic).
        let f = self.functions.iter().position(|x| x.next_arrival == now).expect("an arrival is due");
        let func = &sc.functions[f];
        {
            let fs = &mut self.functions[f];
            fs.next_arrival = fs.arrivals.next(&func.traffic, &mut self.rng).unwrap_or(Micros::MAX);
        }
        self.next_arrival = self.functions.iter().map(|x| x.next_arrival).min().unwrap_or(Micros::MAX);
        self.on_request(sc, f);
    }

    /// One synchronous request for function `f` at `now`: throttled, warm or cold.
    fn on_request(&mut self, sc: &Scenario, f: usize) {
        let now = self.now;
        let a = &sc.account;
        let func = &sc.functions[f];
        {
            let fs = &mut self.functions[f];
            fs.interval.requests += 1;
            fs.totals.requests += 1;
            fs.seen_request = true;
        }
        self.account.interval.requests += 1;
        self.account.totals.requests += 1;

        // Requests-per-second quotas, counted in whole simulated seconds.
        let second = now / MICROS_PER_SEC;
        let acct = &mut self.account;
        if acct.rps_second != second {
            acct.rps_second = second;
            acct.rps_count = 0;
        }
        acct.rps_count += 1;
        if acct.rps_count as f64 > a.limit as f64 * a.rps_per_concurrency {
            return self.throttle(f, ThrottleReason::FunctionInvocationRateLimitExceeded);
        }
        if let Some(r) = func.reserved {
            let fs = &mut self.functions[f];
            if fs.rps_second != second {
                fs.rps_second = second;
                fs.rps_count = 0;
            }
            fs.rps_count += 1;
            if r > 0 && fs.rps_count as f64 > r as f64 * a.rps_per_concurrency {
                return self.throttle(f, ThrottleReason::ReservedFunctionInvocationRateLimitExceeded);
            }
            if fs.in_flight >= r {
                return self.throttle(f, ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded);
            }
        } else if self.account.unreserved_in_flight >= a.unreserved_pool {
            return self.throttle(f, ThrottleReason::ConcurrentInvocationLimitExceeded);
        }

        // A warm environment if one is idle, else a new one if the scaling limit allows.
        self.accrue_account(now);
        self.accrue_function(f, now);
        let warm = {
            let fs = &mut self.functions[f];
            fs.idle.take(&mut self.envs, func.warm_selection, &mut self.rng)
        };
        let duration = func.duration.sample(&mut self.rng);
        let (run, timing_out) =
            if duration > func.timeout { (func.timeout, true) } else { (duration, false) };
        let slot = match warm {
            Some(slot) => {
                self.account.idle -= 1;
                let env = self.envs.get_mut(slot).expect("idle env is live");
                env.state = EnvState::Busy;
                env.since = now;
                env.invocation_start = now;
                env.invocations += 1;
                env.timing_out = timing_out;
                let serial = env.serial;
                self.push_event(now + run, EventKind::Done, slot, serial);
                slot
            }
            None => {
                let allowed = match a.model {
                    ScalingModel::Legacy => self.account.burst.try_take(now),
                    ScalingModel::Current => self.functions[f].scaling.try_take(now),
                };
                if !allowed {
                    return self.throttle(f, ThrottleReason::ScalingRateLimitExceeded);
                }
                let init = func.init.sample(&mut self.rng);
                let idle_life = draw_range(&mut self.rng, func.idle_lifetime);
                let retire_at = func.max_lifetime.map_or(Micros::MAX, |r| now + draw_range(&mut self.rng, r));
                let serial = self.next_serial;
                self.next_serial = self.next_serial.wrapping_add(1);
                let mut env = new_env(serial, FunctionId(f as u32), now, idle_life, retire_at);
                env.invocations = 1;
                env.timing_out = timing_out;
                let slot = self.envs.insert(env);
                self.push_event(now + init, EventKind::InitDone, slot, serial);
                self.push_event(now + init + run, EventKind::Done, slot, serial);
                let fs = &mut self.functions[f];
                fs.initializing += 1;
                fs.interval.cold_starts += 1;
                fs.totals.cold_starts += 1;
                fs.totals.environments_created += 1;
                self.account.initializing += 1;
                self.account.interval.cold_starts += 1;
                self.account.totals.cold_starts += 1;
                self.account.totals.environments_created += 1;
                slot
            }
        };
        let _ = slot;
        let fs = &mut self.functions[f];
        fs.in_flight += 1;
        fs.interval.invocations += 1;
        fs.totals.invocations += 1;
        fs.totals.max_concurrency = fs.totals.max_concurrency.max(fs.in_flight);
        let acct = &mut self.account;
        acct.in_flight += 1;
        if func.reserved.is_none() {
            acct.unreserved_in_flight += 1;
        }
        acct.interval.invocations += 1;
        acct.totals.invocations += 1;
        acct.totals.max_concurrency = acct.totals.max_concurrency.max(acct.in_flight);
        acct.interval_max_concurrency = acct.interval_max_concurrency.max(acct.in_flight);
    }

    fn handle_event(&mut self, sc: &Scenario, ev: Event) {
        let now = self.now;
        let Some(env) = self.envs.checked_mut(ev.slot, ev.serial) else { return };
        let f = env.function.0 as usize;
        match ev.kind {
            EventKind::InitDone => {
                if env.state == EnvState::Initializing {
                    env.state = EnvState::Busy;
                    env.since = now;
                    self.functions[f].initializing -= 1;
                    self.account.initializing -= 1;
                }
            }
            EventKind::Done => {
                let func = &sc.functions[f];
                let duration = now - env.invocation_start;
                let timed_out = env.timing_out;
                env.timing_out = false;
                let retire = now >= env.retire_at;
                if env.state == EnvState::Initializing {
                    // Zero-length init and run at the same instant: init ended too.
                    self.functions[f].initializing -= 1;
                    self.account.initializing -= 1;
                }
                self.accrue_account(now);
                self.accrue_function(f, now);
                let billed_ms = duration.div_ceil(1000);
                {
                    let fs = &mut self.functions[f];
                    fs.in_flight -= 1;
                    fs.interval.hist.record(duration);
                    fs.totals.billed_ms += billed_ms;
                    fs.totals.completed += 1;
                    fs.totals.duration_sum_us += duration as u128;
                    if timed_out {
                        fs.interval.timeouts += 1;
                        fs.totals.timeouts += 1;
                        fs.interval.errors += 1;
                        fs.totals.errors += 1;
                    }
                }
                let acct = &mut self.account;
                acct.in_flight -= 1;
                if func.reserved.is_none() {
                    acct.unreserved_in_flight -= 1;
                }
                acct.interval.hist.record(duration);
                acct.totals.billed_ms += billed_ms;
                acct.totals.completed += 1;
                acct.totals.duration_sum_us += duration as u128;
                if timed_out {
                    acct.interval.timeouts += 1;
                    acct.totals.timeouts += 1;
                    acct.interval.errors += 1;
                    acct.totals.errors += 1;
                }
                if retire {
                    self.reap(ev.slot, f, true);
                } else {
                    let env = self.envs.get_mut(ev.slot).expect("checked");
                    env.state = EnvState::Idle;
                    env.since = now;
                    let arm = !env.expiry_pending;
                    env.expiry_pending = true;
                    let due = env.reap_due();
                    let serial = env.serial;
                    self.functions[f].idle.push(&mut self.envs, ev.slot);
                    self.account.idle += 1;
                    if arm {
                        self.push_event(due, EventKind::Expire, ev.slot, serial);
                    }
                }
            }
            EventKind::Expire => {
                env.expiry_pending = false;
                if env.state != EnvState::Idle {
                    return; // re-armed when it next goes idle
                }
                let due = env.reap_due();
                if now >= due {
                    let recycled = now >= env.retire_at;
                    self.accrue_account(now);
                    self.accrue_function(f, now);
                    self.functions[f].idle.remove(&mut self.envs, ev.slot);
                    self.account.idle -= 1;
                    self.reap(ev.slot, f, recycled);
                } else {
                    env.expiry_pending = true;
                    let serial = env.serial;
                    self.push_event(due, EventKind::Expire, ev.slot, serial);
                }
            }
        }
    }

    fn reap(&mut self, slot: Slot, f: usize, recycled: bool) {
        self.envs.remove(slot);
        let fs = &mut self.functions[f];
        fs.totals.environments_reaped += 1;
        self.account.totals.environments_reaped += 1;
        if recycled {
            fs.totals.environments_recycled += 1;
            self.account.totals.environments_recycled += 1;
            self.account.recycled_interval += 1;
        } else {
            self.account.reaped_interval += 1;
        }
    }

    /// Records one sample row at `now` (unless a replay already recorded it) and lets the
    /// narrator tell what changed.
    fn sample(&mut self, sc: &Scenario, rec: &mut Recorder) {
        let now = self.now;
        self.next_sample = now + sc.sample_interval;
        let record = rec.recorded_until.is_none_or(|t| now > t);
        let legacy = sc.account.model == ScalingModel::Legacy;
        let tokens = self.account.burst.level(now);

        let mut obs = Vec::with_capacity(self.functions.len());
        for (i, fs) in self.functions.iter_mut().enumerate() {
            let func = &sc.functions[i];
            let headroom = if legacy { tokens } else { fs.scaling.level(now) };
            if record {
                let iv = &fs.interval;
                let mut row = [0f32; FUNCTION_COLUMNS.len()];
                row[col::f::CONCURRENCY] = fs.in_flight as f32;
                row[col::f::REQUESTS] = iv.requests as f32;
                row[col::f::INVOCATIONS] = iv.invocations as f32;
                row[col::f::COLD_STARTS] = iv.cold_starts as f32;
                row[col::f::THROTTLES] = iv.throttles.iter().sum::<u64>() as f32;
                row[col::f::ERRORS] = iv.errors as f32;
                row[col::f::TIMEOUTS] = iv.timeouts as f32;
                row[col::f::P50] = (iv.hist.quantile(0.5) / 1000.0) as f32;
                row[col::f::P99] = (iv.hist.quantile(0.99) / 1000.0) as f32;
                row[col::f::HEADROOM] = headroom as f32;
                row[col::f::ENVS_INIT] = fs.initializing as f32;
                row[col::f::ENVS_BUSY] = (fs.in_flight - fs.initializing) as f32;
                row[col::f::ENVS_IDLE] = fs.idle.len() as f32;
                rec.functions[i].push(now, &row);
            }
            obs.push(FnObs {
                cold_starts: fs.interval.cold_starts,
                throttles: fs.interval.throttles,
                concurrency: fs.in_flight,
                reserved_full: func.reserved.is_some_and(|r| r > 0 && fs.in_flight >= r),
                headroom,
                first_request: fs.seen_request && !fs.narrated_first,
            });
            fs.narrated_first |= fs.seen_request;
            fs.interval.reset();
        }
        let a = &self.account;
        if record {
            let iv = &a.interval;
            let mut row = [0f32; ACCOUNT_COLUMNS.len()];
            row[col::CONCURRENCY] = a.in_flight as f32;
            row[col::UNRESERVED] = a.unreserved_in_flight as f32;
            row[col::REQUESTS] = iv.requests as f32;
            row[col::INVOCATIONS] = iv.invocations as f32;
            row[col::COLD_STARTS] = iv.cold_starts as f32;
            row[col::THROTTLES] = iv.throttles.iter().sum::<u64>() as f32;
            for r in ThrottleReason::ALL {
                row[col::THROTTLE_REASON0 + r.index()] = iv.throttles[r.index()] as f32;
            }
            row[col::ERRORS] = iv.errors as f32;
            row[col::TIMEOUTS] = iv.timeouts as f32;
            row[col::P50] = (iv.hist.quantile(0.5) / 1000.0) as f32;
            row[col::P99] = (iv.hist.quantile(0.99) / 1000.0) as f32;
            row[col::BURST_TOKENS] = if legacy { tokens as f32 } else { f32::NAN };
            row[col::ENVS_INIT] = a.initializing as f32;
            row[col::ENVS_BUSY] = (a.in_flight - a.initializing) as f32;
            row[col::ENVS_IDLE] = a.idle as f32;
            row[col::ENVS] = (a.in_flight + a.idle) as f32;
            row[col::COST] = summary::cost_usd(sc, &self.functions) as f32;
            rec.account.push(now, &row);
        }
        let acct_obs = AccountObs {
            concurrency: a.in_flight,
            unreserved_in_use: a.unreserved_in_flight,
            tokens,
            reaped_idle: a.reaped_interval,
            recycled: a.recycled_interval,
        };
        self.narrator.observe(sc, now, &acct_obs, &obs);
        let acct = &mut self.account;
        acct.interval.reset();
        acct.interval_max_concurrency = acct.in_flight;
        acct.reaped_interval = 0;
        acct.recycled_interval = 0;
        if record {
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
        }
    }
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
