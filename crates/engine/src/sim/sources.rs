//! Event sources: an SQS queue polled by Lambda, and Kinesis / DynamoDB streams (one batch at a
//! time per shard x ParallelizationFactor, records in order, the iterator age growing when
//! processing lags; a failed batch is retried until it succeeds). See docs/model.md#event-sources.
//!
//! SQS, on demand (AWS's default): the pollers start with 5 concurrent batches and, while
//! messages wait, add up to 300 per minute (5 per second), up to 1,250 and the ESM's
//! MaximumConcurrency (`scaling: legacy`: +60 per minute up to 1,000). In provisioned mode the
//! minimum pollers' invokes (10 per poller) are there from the start and, while messages wait,
//! the pollers add up to 1,000 concurrent invokes per minute up to the maximum pollers'. Both
//! fall back to where they started once the queue is empty. A batch Lambda throttles (reserved
//! or account concurrency) is not lost: the pollers back off to what is running and its
//! messages become visible again after the visibility timeout, each receive counting towards
//! maxReceiveCount, after which the message is redriven to the queue's DLQ.

use super::{EventKind, InvokeFail, Job, State};
use crate::scenario::{EventSource, Function, Scenario};
use crate::time::{Micros, MICROS_PER_SEC};
use rand::Rng;
use std::collections::{BTreeMap, VecDeque};

#[derive(Debug, Clone, Copy)]
struct Msg {
    sent: Micros,
    receives: u32,
}

/// An SQS queue and its pollers.
#[derive(Debug, Clone, Default)]
pub struct SqsState {
    visible: VecDeque<Msg>,
    batches: Vec<Option<Vec<Msg>>>,
    free: Vec<u32>,
    /// Messages received and not yet deleted or visible again.
    invisible: u64,
    /// Batches being processed.
    pub in_flight: u32,
    /// Concurrent batches the pollers may run now.
    pub pollers: f64,
    ages: BTreeMap<Micros, u32>,
    pub sent: u64,
    pub deleted: u64,
    /// Redriven to the queue's DLQ after maxReceiveCount.
    pub dlq: u64,
}

#[derive(Debug, Clone, Default)]
struct Lane {
    records: VecDeque<Micros>,
    busy: bool,
    batch: u32,
    retry_pending: bool,
}

/// A stream's shards x parallelization lanes.
#[derive(Debug, Clone, Default)]
pub struct StreamState {
    lanes: Vec<Lane>,
    pub busy: u32,
    pub records: u64,
    pub processed: u64,
    waiting: u64,
}

/// The event source of a function.
#[derive(Debug, Clone)]
pub enum SourceState {
    Sqs(SqsState),
    Stream(StreamState),
}

impl SourceState {
    pub fn new(src: &EventSource, _f: &Function) -> Self {
        match src {
            EventSource::Sqs { initial, .. } => {
                SourceState::Sqs(SqsState { pollers: *initial as f64, ..Default::default() })
            }
            EventSource::Stream { shards, parallelization, .. } => SourceState::Stream(StreamState {
                lanes: vec![Lane::default(); (*shards * *parallelization) as usize],
                ..Default::default()
            }),
        }
    }

    /// Messages redriven to a DLQ.
    pub fn dlq(&self) -> u64 {
        match self {
            SourceState::Sqs(q) => q.dlq,
            SourceState::Stream(_) => 0,
        }
    }

    /// (backlog, age of the oldest message or record in s, concurrent batches).
    pub fn gauges(&self, now: Micros) -> (f64, f64, f64) {
        match self {
            SourceState::Sqs(q) => {
                let oldest = q.ages.keys().next().map_or(0.0, |&t| (now - t) as f64 / MICROS_PER_SEC as f64);
                ((q.visible.len() as u64 + q.invisible) as f64, oldest, q.in_flight as f64)
            }
            SourceState::Stream(s) => {
                let oldest = s.lanes.iter().filter_map(|l| l.records.front()).min().copied();
                let age = oldest.map_or(0.0, |t| (now - t) as f64 / MICROS_PER_SEC as f64);
                (s.waiting as f64, age, s.busy as f64)
            }
        }
    }
}

impl State {
    fn sqs(&mut self, f: usize) -> Option<&mut SqsState> {
        match &mut self.functions[f].source {
            Some(SourceState::Sqs(q)) => Some(q),
            _ => None,
        }
    }

    fn stream(&mut self, f: usize) -> Option<&mut StreamState> {
        match &mut self.functions[f].source {
            Some(SourceState::Stream(s)) => Some(s),
            _ => None,
        }
    }

    /// A message or record arrives at the function's source.
    pub(super) fn source_arrival(&mut self, sc: &Scenario, f: usize) {
        let now = self.now;
        match sc.functions[f].source {
            Some(EventSource::Sqs { .. }) => {
                let Some(q) = self.sqs(f) else { return };
                q.visible.push_back(Msg { sent: now, receives: 0 });
                *q.ages.entry(now).or_insert(0) += 1;
                q.sent += 1;
                self.sqs_poll(sc, f);
            }
            Some(EventSource::Stream { .. }) => {
                let n = match self.stream(f) {
                    Some(s) => s.lanes.len(),
                    None => return,
                };
                // Records hash to shards by partition key: a uniform draw stands for it.
                let l = self.rng.random_range(0..n);
                let s = self.stream(f).expect("stream");
                s.lanes[l].records.push_back(now);
                s.records += 1;
                s.waiting += 1;
                self.stream_try(sc, f, l as u32);
            }
            None => {}
        }
    }

    /// Starts batches while pollers are free and messages are visible.
    fn sqs_poll(&mut self, sc: &Scenario, f: usize) {
        let Some(EventSource::Sqs { batch_size, visibility, .. }) = sc.functions[f].source else { return };
        loop {
            let Some(q) = self.sqs(f) else { return };
            if q.visible.is_empty() || q.in_flight as f64 >= q.pollers.floor() {
                return;
            }
            let n = (batch_size as usize).min(q.visible.len());
            let batch: Vec<Msg> = q
                .visible
                .drain(..n)
                .map(|mut m| {
                    m.receives += 1;
                    m
                })
                .collect();
            q.invisible += n as u64;
            let id = match q.free.pop() {
                Some(i) => {
                    q.batches[i as usize] = Some(batch);
                    i
                }
                None => {
                    q.batches.push(Some(batch));
                    q.batches.len() as u32 - 1
                }
            };
            self.count_request(f);
            match self.invoke(sc, f, Job::Sqs(id)) {
                Ok(()) => {
                    if let Some(q) = self.sqs(f) {
                        q.in_flight += 1;
                    }
                }
                Err(fail) => {
                    if matches!(fail, InvokeFail::Pending | InvokeFail::NoHealthySubnet) {
                        self.count_failure_to_start(f);
                    }
                    // The batch becomes visible again after the visibility timeout, and the
                    // pollers back off to what is running.
                    self.push(self.now + visibility, EventKind::SqsReturn(f as u32, id));
                    if let Some(q) = self.sqs(f) {
                        q.pollers = q.pollers.min(q.in_flight.max(1) as f64).max(1.0);
                    }
                    return;
                }
            }
        }
    }

    /// Every second: pollers grow while messages wait (by `per_minute / 60`, up to the most
    /// concurrent batches), and go back to where they started when the queue is empty.
    pub(super) fn sqs_scale(&mut self, sc: &Scenario, f: usize) {
        let Some(EventSource::Sqs { initial, per_minute, max_concurrency, .. }) = sc.functions[f].source
        else {
            return;
        };
        let Some(q) = self.sqs(f) else { return };
        if !q.visible.is_empty() {
            q.pollers = (q.pollers + per_minute as f64 / 60.0).min(max_concurrency as f64);
        } else if q.invisible == 0 {
            q.pollers = (initial as f64).max(q.in_flight as f64).min(max_concurrency as f64);
        }
        self.sqs_poll(sc, f);
    }

    pub(super) fn sqs_done(&mut self, sc: &Scenario, f: usize, id: u32, ok: bool) {
        let Some(EventSource::Sqs { visibility, .. }) = sc.functions[f].source else { return };
        let now = self.now;
        let Some(q) = self.sqs(f) else { return };
        q.in_flight = q.in_flight.saturating_sub(1);
        if ok {
            if let Some(batch) = q.batches.get_mut(id as usize).and_then(Option::take) {
                q.invisible -= batch.len() as u64;
                q.deleted += batch.len() as u64;
                for m in batch {
                    remove_age(&mut q.ages, m.sent);
                }
                q.free.push(id);
            }
        } else {
            self.push(now + visibility, EventKind::SqsReturn(f as u32, id));
        }
        self.sqs_poll(sc, f);
    }

    /// A batch's visibility timeout ended: its messages are visible again, or redriven to the
    /// DLQ after too many receives.
    pub(super) fn sqs_return(&mut self, sc: &Scenario, f: usize, id: u32) {
        let Some(EventSource::Sqs { max_receive, .. }) = sc.functions[f].source else { return };
        let Some(q) = self.sqs(f) else { return };
        if let Some(batch) = q.batches.get_mut(id as usize).and_then(Option::take) {
            q.invisible -= batch.len() as u64;
            for m in batch {
                if m.receives >= max_receive {
                    q.dlq += 1;
                    remove_age(&mut q.ages, m.sent);
                } else {
                    q.visible.push_back(m);
                }
            }
            q.free.push(id);
        }
        self.sqs_poll(sc, f);
    }

    fn stream_try(&mut self, sc: &Scenario, f: usize, l: u32) {
        let Some(EventSource::Stream { batch_size, .. }) = sc.functions[f].source else { return };
        let Some(s) = self.stream(f) else { return };
        let lane = &mut s.lanes[l as usize];
        if lane.busy || lane.retry_pending || lane.records.is_empty() {
            return;
        }
        lane.batch = batch_size.min(lane.records.len() as u32);
        self.count_request(f);
        match self.invoke(sc, f, Job::Stream(l)) {
            Ok(()) => {
                let s = self.stream(f).expect("stream");
                s.lanes[l as usize].busy = true;
                s.busy += 1;
            }
            Err(fail) => {
                if matches!(fail, InvokeFail::Pending | InvokeFail::NoHealthySubnet) {
                    self.count_failure_to_start(f);
                }
                self.stream(f).expect("stream").lanes[l as usize].retry_pending = true;
                self.push(self.now + MICROS_PER_SEC, EventKind::StreamRetry(f as u32, l));
            }
        }
    }

    pub(super) fn stream_done(&mut self, sc: &Scenario, f: usize, l: u32, ok: bool) {
        let Some(s) = self.stream(f) else { return };
        let lane = &mut s.lanes[l as usize];
        lane.busy = false;
        s.busy -= 1;
        if ok {
            let n = lane.batch as usize;
            lane.records.drain(..n.min(lane.records.len()));
            s.processed += n as u64;
            s.waiting -= n as u64;
            self.stream_try(sc, f, l);
        } else {
            // The batch blocks its shard until it succeeds.
            lane.retry_pending = true;
            self.push(self.now + MICROS_PER_SEC, EventKind::StreamRetry(f as u32, l));
        }
    }

    pub(super) fn stream_retry(&mut self, sc: &Scenario, f: usize, l: u32) {
        if let Some(s) = self.stream(f) {
            s.lanes[l as usize].retry_pending = false;
        }
        self.stream_try(sc, f, l);
    }
}

fn remove_age(ages: &mut BTreeMap<Micros, u32>, t: Micros) {
    if let Some(n) = ages.get_mut(&t) {
        *n -= 1;
        if *n == 0 {
            ages.remove(&t);
        }
    }
}
