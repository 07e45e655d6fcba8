//! Asynchronous invocation: callers get 202 at once; events wait in the function's internal
//! queue and are attempted as concurrency allows. Throttles (and other failures to start) are
//! retried with exponential backoff from 1 s up to 5 min until the maximum event age; function
//! errors and timeouts get up to MaximumRetryAttempts retries, after 1 then 2 minutes. Then the
//! event goes to the DLQ or on-failure destination, or is dropped. Reserved concurrency 0
//! sends new events there straight away, without retries.
//!
//! The narrative tells the throttled attempts (the events wait and are retried: the callers had
//! their 202) and, with counts and reasons, the events given up ([`GiveUp`], counted per sample
//! interval in `interval_given_up`).

use super::narrative::GiveUp;
use super::{EventKind, InvokeFail, Job, State};
use crate::scenario::{OnFailure, Scenario};
use crate::time::{Micros, MICROS_PER_SEC};
use rand::Rng;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy)]
struct AsyncEvent {
    arrived: Micros,
    /// Failed attempts to start (throttles).
    attempts: u32,
    /// Retries after function errors.
    retries: u32,
}

/// The internal queue of one function and its counters.
#[derive(Debug, Clone, Default)]
pub struct AsyncState {
    events: Vec<Option<AsyncEvent>>,
    free: Vec<u32>,
    /// Arrival times of the events waiting (a multiset), for the queue depth and oldest age.
    waiting: BTreeMap<Micros, u32>,
    waiting_count: u64,
    /// AsyncEventsReceived.
    pub received: u64,
    pub succeeded: u64,
    /// Sent to the DLQ or on-failure destination.
    pub dlq: u64,
    /// AsyncEventsDropped (no DLQ or destination configured).
    pub dropped: u64,
    pub throttle_retries: u64,
    pub error_retries: u64,
    /// Of the failed events, those that ran out of event age.
    pub expired: u64,
    pub(super) interval_received: u64,
    /// Events given up this sample interval, by [`GiveUp`].
    pub(super) interval_given_up: [u64; 3],
}

impl AsyncState {
    /// Events waiting in the queue (not running).
    pub fn waiting(&self) -> u64 {
        self.waiting_count
    }
    /// AsyncEventAge: age of the oldest waiting event, in seconds.
    pub fn max_age_s(&self, now: Micros) -> f64 {
        self.waiting.keys().next().map_or(0.0, |&t| (now - t) as f64 / MICROS_PER_SEC as f64)
    }
    fn wait(&mut self, arrived: Micros) {
        *self.waiting.entry(arrived).or_insert(0) += 1;
        self.waiting_count += 1;
    }
    fn unwait(&mut self, arrived: Micros) {
        if let Some(n) = self.waiting.get_mut(&arrived) {
            *n -= 1;
            if *n == 0 {
                self.waiting.remove(&arrived);
            }
            self.waiting_count -= 1;
        }
    }
}

impl State {
    /// A new asynchronous event (the caller already has its 202).
    pub(super) fn async_arrival(&mut self, sc: &Scenario, f: usize) {
        let now = self.now;
        let q = &mut self.functions[f].asyncq;
        q.received += 1;
        q.interval_received += 1;
        if sc.functions[f].reserved == Some(0) {
            // Reserved 0: throttled, and straight to the failure destination without retries.
            self.count_request(f);
            let _ = self.throttle(f, super::ThrottleCause::ReservedConcurrency);
            self.async_fail(sc, f, now, GiveUp::ReservedZero);
            return;
        }
        let ev = AsyncEvent { arrived: now, attempts: 0, retries: 0 };
        let id = match q.free.pop() {
            Some(i) => {
                q.events[i as usize] = Some(ev);
                i
            }
            None => {
                q.events.push(Some(ev));
                q.events.len() as u32 - 1
            }
        };
        q.wait(now);
        self.async_attempt(sc, f, id);
    }

    /// One attempt to run event `id`.
    pub(super) fn async_attempt(&mut self, sc: &Scenario, f: usize, id: u32) {
        let now = self.now;
        let cfg = &sc.functions[f].async_cfg;
        let Some(ev) = self.functions[f].asyncq.events.get(id as usize).copied().flatten() else { return };
        if sc.functions[f].reserved == Some(0) {
            // Set to 0 while events waited: they go without further retries.
            self.functions[f].asyncq.unwait(ev.arrived);
            self.async_free(f, id);
            self.async_fail(sc, f, ev.arrived, GiveUp::ReservedZero);
            return;
        }
        if now - ev.arrived >= cfg.max_age {
            let q = &mut self.functions[f].asyncq;
            q.unwait(ev.arrived);
            q.expired += 1;
            self.async_free(f, id);
            self.async_fail(sc, f, ev.arrived, GiveUp::Expired);
            return;
        }
        self.count_request(f);
        match self.invoke(sc, f, Job::Async(id)) {
            Ok(()) => self.functions[f].asyncq.unwait(ev.arrived),
            Err(fail) => {
                if matches!(fail, InvokeFail::Pending | InvokeFail::NoHealthySubnet) {
                    self.count_failure_to_start(f);
                }
                // Back to the queue with exponential backoff, never past the maximum age.
                let q = &mut self.functions[f].asyncq;
                let Some(Some(e)) = q.events.get_mut(id as usize) else { return };
                e.attempts += 1;
                q.throttle_retries += 1;
                let shift = (e.attempts - 1).min(30);
                let backoff = cfg.initial_backoff.saturating_mul(1u64 << shift).min(cfg.max_backoff);
                let arrived = e.arrived;
                // Jitter so that events throttled together do not all come back at the same
                // instant, inside AWS's documented range (1 s after the first attempt, at most 5
                // minutes): up to half the interval more, never past the maximum.
                let spread = (backoff / 2).min(cfg.max_backoff.saturating_sub(backoff));
                let backoff = backoff + self.rng.random_range(0..=spread);
                let at = (now + backoff).min(arrived + cfg.max_age);
                self.push(at, EventKind::AsyncAttempt(f as u32, id));
            }
        }
    }

    /// The invocation of event `id` ended.
    pub(super) fn async_done(&mut self, sc: &Scenario, f: usize, id: u32, ok: bool) {
        let now = self.now;
        let cfg = &sc.functions[f].async_cfg;
        let q = &mut self.functions[f].asyncq;
        let Some(Some(ev)) = q.events.get_mut(id as usize) else { return };
        if ok {
            q.succeeded += 1;
            self.async_free(f, id);
            return;
        }
        if ev.retries < cfg.max_retries {
            ev.retries += 1;
            q.error_retries += 1;
            let wait = 60 * MICROS_PER_SEC * ev.retries as u64; // 1 minute, then 2
            let at = (now + wait).min(ev.arrived + cfg.max_age);
            let arrived = ev.arrived;
            q.wait(arrived);
            self.push(at, EventKind::AsyncAttempt(f as u32, id));
        } else {
            let arrived = ev.arrived;
            self.async_free(f, id);
            self.async_fail(sc, f, arrived, GiveUp::Exhausted);
        }
    }

    fn async_free(&mut self, f: usize, id: u32) {
        let q = &mut self.functions[f].asyncq;
        if let Some(slot) = q.events.get_mut(id as usize) {
            if slot.take().is_some() {
                q.free.push(id);
            }
        }
    }

    /// The event is given up: DLQ / destination, or dropped (the narrator tells them, counted).
    fn async_fail(&mut self, sc: &Scenario, f: usize, _arrived: Micros, why: GiveUp) {
        let q = &mut self.functions[f].asyncq;
        q.interval_given_up[why as usize] += 1;
        match sc.functions[f].async_cfg.on_failure {
            OnFailure::Dlq | OnFailure::Destination => q.dlq += 1,
            OnFailure::None => q.dropped += 1,
        }
    }
}
