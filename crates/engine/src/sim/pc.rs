//! Provisioned concurrency (PC): environments initialized ahead of time, allocated after a
//! delay at a bounded rate (none usable until the whole request is allocated), recycled every
//! few hours without a visible cold start, and scaled by Application Auto Scaling: target
//! tracking on ProvisionedConcurrencyUtilization with one-minute datapoints (3 above target
//! to scale out in one large step, 15 below 90% of target to scale in by small periodic
//! steps, cooldowns), and scheduled actions that set min and max capacity.

use super::envs::{EnvState, IdlePool, Slot};
use super::narrative::{fmt_count, Entry, EntryKind, Ref, Severity};
use super::{draw_range, EventKind, State};
use crate::scenario::{Function, ScalingModel, Scenario, WarmSelection};
use crate::time::{Clock, Micros, MICROS_PER_SEC};
use std::collections::VecDeque;

const MINUTE: Micros = 60 * MICROS_PER_SEC;

/// Provisioned-concurrency state of one function.
#[derive(Debug, Clone)]
pub struct PcState {
    /// PC environments that exist (idle + busy): the allocated provisioned concurrency.
    pub live: u32,
    /// Of those, running an invocation (ProvisionedConcurrentExecutions).
    pub busy: u32,
    pub idle: IdlePool,
    pub invocations: u64,
    /// Busy PC environment-microseconds (for the utilization datapoints).
    pub busy_area: f64,
    area_mark: f64,
    minute: u64,
    /// The capacity asked for (allocated, or being allocated).
    pub target: u32,
    /// The allocation under way: (target, request number, ready at).
    pub pending: Option<(u32, u32, Micros)>,
    requests: u32,
    /// Busy PC environments to remove when they finish (after a scale-in).
    excess: u32,
    pub min: u32,
    pub max: u32,
    /// One-minute utilization datapoints, newest last.
    pub datapoints: VecDeque<f64>,
    last_scale_out: Option<Micros>,
    last_scale_in: Option<Micros>,
    pub high_alarm: bool,
    pub low_alarm: bool,
    /// Invisible re-initializations of PC environments.
    pub reinits: u64,
}

impl PcState {
    pub fn new(f: &Function) -> Self {
        let (min, max, initial) = match &f.provisioned {
            Some(p) => match &p.tracking {
                Some(t) => (t.min, t.max, p.initial),
                None => (0, u32::MAX, p.initial),
            },
            None => (0, u32::MAX, 0),
        };
        PcState {
            live: 0,
            busy: 0,
            idle: IdlePool::new(WarmSelection::MostRecentlyUsed),
            invocations: 0,
            busy_area: 0.0,
            area_mark: 0.0,
            minute: 0,
            target: initial,
            pending: None,
            requests: 0,
            excess: 0,
            min,
            max,
            datapoints: VecDeque::new(),
            last_scale_out: None,
            last_scale_in: None,
            high_alarm: false,
            low_alarm: false,
            reinits: 0,
        }
    }

    /// Utilization now (busy / allocated), if any PC is allocated.
    pub fn utilization(&self) -> Option<f64> {
        (self.live > 0).then(|| self.busy as f64 / self.live as f64)
    }
}

impl State {
    /// Creates `n` initialized, idle PC environments at once.
    pub(super) fn pc_create(&mut self, sc: &Scenario, f: usize, n: u32) {
        let func = &sc.functions[f];
        let Some(p) = &func.provisioned else { return };
        let mut made = 0;
        for _ in 0..n {
            let Some(k) = self.net.place(sc, f, &mut self.rng) else { break };
            let retire_at = self.now + draw_range(&mut self.rng, p.recycle);
            let slot = self.new_env(sc, f, k, Micros::MAX, retire_at, true);
            let env = self.envs.get_mut(slot).expect("just made");
            env.state = EnvState::Idle;
            env.expiry_pending = true;
            let serial = env.serial;
            self.functions[f].pc.idle.push(&mut self.envs, slot);
            self.account.idle += 1;
            self.push(retire_at, EventKind::Expire(slot, serial));
            made += 1;
        }
        self.accrue(f);
        self.functions[f].pc.live += made;
        if func.reserved.is_none() {
            self.account.unreserved_pc += made;
        }
    }

    /// Asks for a new provisioned capacity; allocation starts after a delay and completes as a
    /// whole. Returns the capacity actually requested (capped by what the limits allow).
    pub(super) fn pc_request(&mut self, sc: &Scenario, f: usize, want: u32, why: &str) -> u32 {
        let func = &sc.functions[f];
        let pc = &self.functions[f].pc;
        // What the limits allow: reserved concurrency, or the unreserved pool minus its floor
        // and the other functions' PC.
        let cap = match func.reserved {
            Some(r) => r,
            None => {
                let others = self.account.unreserved_pc - pc.live;
                sc.account
                    .unreserved_pool
                    .saturating_sub(sc.account.unreserved_minimum)
                    .saturating_sub(others)
            }
        };
        let target = want.min(cap);
        let from = pc.target;
        if target == pc.target && (pc.pending.is_some() || pc.live == target) {
            return target;
        }
        let name = &func.name;
        let capped = if target < want {
            format!(" (asked {}, capped by the concurrency left for it)", fmt_count(want as u64))
        } else {
            String::new()
        };
        let live = pc.live;
        if target <= live {
            // Scale in: idle environments go now, busy ones when they finish.
            let pc = &mut self.functions[f].pc;
            pc.pending = None;
            pc.target = target;
            let mut remove = live - target;
            self.accrue(f);
            while remove > 0 {
                let Some(slot) = self.functions[f].pc.idle.take(
                    &mut self.envs,
                    WarmSelection::LeastRecentlyUsed,
                    &mut self.rng,
                ) else {
                    break;
                };
                self.account.idle -= 1;
                self.pc_remove(sc, f, slot);
                remove -= 1;
            }
            self.functions[f].pc.excess = remove;
            self.narrator.pending.push(Entry {
                time: self.now,
                kind: EntryKind::Scaling,
                severity: Severity::Info,
                text: format!(
                    "{name}: {why}: provisioned concurrency {} -> {}{capped}",
                    fmt_count(from as u64),
                    fmt_count(target as u64)
                ),
                refs: vec![Ref::Function { id: f as u32 }, Ref::Limit { limit: "provisioned" }],
            });
        } else {
            let Some(p) = &func.provisioned else { return pc.live };
            let delay = draw_range(&mut self.rng, p.delay);
            let delta = (target - live) as f64;
            let minutes = match sc.account.model {
                ScalingModel::Current => delta / p.per_minute,
                ScalingModel::Legacy => {
                    (delta - sc.account.burst_quota as f64).max(0.0)
                        / (sc.account.legacy_refill_per_sec * 60.0).max(1.0)
                }
            };
            let ready = self.now + delay + (minutes * MINUTE as f64).ceil() as Micros;
            let pc = &mut self.functions[f].pc;
            pc.requests += 1;
            let req = pc.requests;
            pc.pending = Some((target, req, ready));
            pc.target = target;
            pc.excess = 0;
            self.push(ready, EventKind::PcReady(f as u32, req));
            self.narrator.pending.push(Entry {
                time: self.now,
                kind: EntryKind::Scaling,
                severity: Severity::Info,
                text: format!(
                    "{name}: {why}: provisioned concurrency {} -> {}{capped}; allocation starts in {} s and the new environments are usable at {} (none before the whole request is allocated)",
                    fmt_count(from as u64),
                    fmt_count(target as u64),
                    delay / MICROS_PER_SEC,
                    Clock(ready)
                ),
                refs: vec![Ref::Function { id: f as u32 }, Ref::Limit { limit: "provisioned" }],
            });
        }
        target
    }

    pub(super) fn pc_ready(&mut self, sc: &Scenario, f: usize, req: u32) {
        let pc = &self.functions[f].pc;
        let Some((target, r, _)) = pc.pending else { return };
        if r != req {
            return;
        }
        let add = target.saturating_sub(pc.live);
        self.functions[f].pc.pending = None;
        self.pc_create(sc, f, add);
        self.narrator.pending.push(Entry {
            time: self.now,
            kind: EntryKind::Scaling,
            severity: Severity::Info,
            text: format!(
                "{}: provisioned concurrency allocated: {} initialized environments ready, no cold start for the requests they serve",
                sc.functions[f].name,
                fmt_count(self.functions[f].pc.live as u64)
            ),
            refs: vec![Ref::Function { id: f as u32 }, Ref::Limit { limit: "provisioned" }],
        });
    }

    /// Removes a PC environment that is not in any pool.
    fn pc_remove(&mut self, sc: &Scenario, f: usize, slot: Slot) {
        self.pc_lost(sc, f);
        self.reap(slot, f, false);
    }

    /// Accounting for a PC environment that is gone.
    pub(super) fn pc_lost(&mut self, sc: &Scenario, f: usize) {
        self.accrue(f);
        let pc = &mut self.functions[f].pc;
        pc.live = pc.live.saturating_sub(1);
        if sc.functions[f].reserved.is_none() {
            self.account.unreserved_pc = self.account.unreserved_pc.saturating_sub(1);
        }
    }

    /// A PC environment finished an invocation: removed after a scale-in, re-initialized when
    /// due, or back to the provisioned pool.
    pub(super) fn pc_env_done(&mut self, sc: &Scenario, f: usize, slot: Slot) {
        if self.functions[f].pc.excess > 0 {
            self.functions[f].pc.excess -= 1;
            self.pc_remove(sc, f, slot);
            return;
        }
        let now = self.now;
        let recycle = sc.functions[f].provisioned.as_ref().map(|p| p.recycle);
        let env = self.envs.get_mut(slot).expect("live");
        env.state = EnvState::Idle;
        env.since = now;
        if now >= env.retire_at {
            if let Some(r) = recycle {
                env.created = now;
                env.retire_at = now + draw_range(&mut self.rng, r);
                self.functions[f].pc.reinits += 1;
            }
        }
        let env = self.envs.get_mut(slot).expect("live");
        let arm = !env.expiry_pending;
        env.expiry_pending = true;
        let (due, serial) = (env.retire_at, env.serial);
        self.functions[f].pc.idle.push(&mut self.envs, slot);
        self.account.idle += 1;
        if arm {
            self.push(due, EventKind::Expire(slot, serial));
        }
    }

    /// An idle PC environment reached its recycling time: re-initialized in place (users never
    /// see it as a cold start).
    pub(super) fn pc_recycle(&mut self, sc: &Scenario, f: usize, slot: Slot) {
        let Some(p) = &sc.functions[f].provisioned else { return };
        let next = self.now + draw_range(&mut self.rng, p.recycle);
        let env = self.envs.get_mut(slot).expect("live");
        env.created = self.now;
        env.retire_at = next;
        env.expiry_pending = true;
        let serial = env.serial;
        self.functions[f].pc.reinits += 1;
        self.push(next, EventKind::Expire(slot, serial));
    }

    /// A scheduled action: set min/max, then bring the capacity into the range.
    pub(super) fn pc_scheduled(&mut self, sc: &Scenario, f: usize, i: usize) {
        let Some(p) = &sc.functions[f].provisioned else { return };
        let Some(a) = p.scheduled.get(i) else { return };
        let pc = &mut self.functions[f].pc;
        if let Some(m) = a.min {
            pc.min = m;
        }
        if let Some(m) = a.max {
            pc.max = m;
        }
        let (min, max, target) = (pc.min, pc.max, pc.target);
        let label = if a.name.is_empty() {
            "scheduled action".to_string()
        } else {
            format!("scheduled action '{}'", a.name)
        };
        let why = format!(
            "{label} sets min {} / max {}",
            fmt_count(min as u64),
            if max == u32::MAX { "-".into() } else { fmt_count(max as u64) }
        );
        if target < min {
            self.pc_request(sc, f, min, &why);
        } else if target > max {
            self.pc_request(sc, f, max, &why);
        } else {
            self.narrator.pending.push(Entry {
                time: self.now,
                kind: EntryKind::Scaling,
                severity: Severity::Info,
                text: format!(
                    "{}: {why}; provisioned concurrency {} is within the range",
                    sc.functions[f].name,
                    fmt_count(target as u64)
                ),
                refs: vec![Ref::Function { id: f as u32 }],
            });
        }
        if let Some(t) = a.schedule.next_after(self.now, false) {
            let epoch = self.epoch;
            self.push(t, EventKind::Scheduled(f as u32, i as u32, epoch));
        }
    }

    /// At each minute boundary: one utilization datapoint per function with target tracking,
    /// and the alarms' decisions.
    pub(super) fn pc_sample(&mut self, sc: &Scenario, now: Micros) {
        let minute = now / MINUTE;
        for f in 0..self.functions.len() {
            let Some(t) = sc.functions[f].provisioned.as_ref().and_then(|p| p.tracking.as_ref()) else {
                continue;
            };
            let pc = &mut self.functions[f].pc;
            if minute <= pc.minute {
                continue;
            }
            let span = ((minute - pc.minute) * MINUTE) as f64;
            pc.minute = minute;
            let busy = pc.busy_area - pc.area_mark;
            pc.area_mark = pc.busy_area;
            let u = if pc.live > 0 { busy / (span * pc.live as f64) } else { 0.0 };
            pc.datapoints.push_back(u);
            let keep = t.high_points.max(t.low_points) as usize;
            while pc.datapoints.len() > keep {
                pc.datapoints.pop_front();
            }
            let last = |n: u32| pc.datapoints.iter().rev().take(n as usize);
            let high =
                pc.datapoints.len() >= t.high_points as usize && last(t.high_points).all(|&x| x > t.target);
            let low_line = t.low_fraction * t.target;
            let low =
                pc.datapoints.len() >= t.low_points as usize && last(t.low_points).all(|&x| x < low_line);
            pc.high_alarm = high;
            pc.low_alarm = low;
            let live = pc.live.max(1);
            if high {
                let cooled = pc.last_scale_out.is_none_or(|l| now - l >= t.scale_out_cooldown);
                let want = ((live as f64 * u / t.target).ceil() as u32).clamp(pc.min, pc.max);
                if cooled && want > pc.target {
                    pc.last_scale_out = Some(now);
                    let why = format!(
                        "utilization {u:.3} > {:.2} for {} datapoints: alarm high",
                        t.target, t.high_points
                    );
                    self.pc_request(sc, f, want, &why);
                }
            } else if low && !t.disable_scale_in && pc.pending.is_none() {
                let cooled = pc.last_scale_in.is_none_or(|l| now - l >= t.scale_in_cooldown);
                let step = ((live as f64 * t.scale_in_step).ceil() as u32).max(1);
                let want = ((live as f64 * u / t.target).ceil() as u32)
                    .max(live.saturating_sub(step))
                    .clamp(pc.min, pc.max);
                if cooled && want < pc.target {
                    pc.last_scale_in = Some(now);
                    let why = format!(
                        "utilization {u:.3} < {low_line:.3} (90% of target {:.2}) for {} datapoints: alarm low, scaling in one step",
                        t.target, t.low_points
                    );
                    self.pc_request(sc, f, want, &why);
                }
            }
        }
    }
}
