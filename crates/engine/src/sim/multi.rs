//! The multi-concurrency compute modes: Lambda Managed Instances and Lambda Web Functions
//! (docs/model.md#compute-modes).
//!
//! Their environments each serve up to `per_env` requests at once (the environment's `slots`,
//! with `load` in flight), so a request is served by any environment with a free slot, and a
//! new environment is not a cold start per request:
//!
//! - **Web Functions** start environments as requests arrive, keeping `headroom` spare; a
//!   request with no free slot waits in the function's queue for a slot or a new environment
//!   (a cold start when a new one serves it); with `maxEnvironments` full it is throttled at
//!   once; idle environments stop after `idle_scale_in` (scale to zero).
//! - **Managed Instances** run on instances of a capacity provider placed across the function's
//!   subnets and AZs (three at first, with three environments ready before traffic). A scaler
//!   decides every `scale_interval` on the average requests in flight against `target_utilization`;
//!   new environments start on instances with room, new instances take `instance_launch`.
//!   Requests never wait: with every slot full they are throttled.

use super::envs::{new_env, EnvState, Slot};
use super::narrative::{fmt_count, Entry, EntryKind, Ref, Severity};
use super::{EventKind, Fate, Outcome, State, ThrottleCause};
use crate::scenario::{Compute, FunctionId, ManagedInstances, Scenario, Web};
use crate::time::{Micros, MICROS_PER_SEC};
use rand::Rng;
use std::collections::VecDeque;

/// How often a Web Function checks for idle environments to stop.
pub const WEB_TICK: Micros = 10 * MICROS_PER_SEC;

/// One request being served by a multi-concurrency environment.
#[derive(Debug, Clone, Copy)]
struct Request {
    arrival: Micros,
    start: Micros,
    slot: Slot,
    serial: u32,
    outcome: Outcome,
    /// It waited for a newly provisioned environment (a cold start).
    cold: bool,
    /// Its number, carried by its completion event (a slot of `reqs` is reused).
    number: u32,
    live: bool,
}

/// One instance of a Managed Instances capacity provider.
#[derive(Debug, Clone)]
pub struct Instance {
    pub serial: u32,
    /// Index of its subnet among the function's subnets.
    pub k: u32,
    /// Its subnet (`SubnetId`) and AZ (`AzId`).
    pub subnet: Option<u32>,
    pub az: Option<u32>,
    /// When it is (or was) ready to hold environments.
    pub ready_at: Micros,
    /// Environments on it.
    pub envs: u32,
}

/// Live state of a multi-concurrency function.
#[derive(Debug, Clone, Default)]
pub struct MultiState {
    /// Its environments, starting or ready.
    pub envs: Vec<Slot>,
    pub starting: u32,
    /// Arrival times of the requests waiting for a slot (Web Functions).
    pub queue: VecDeque<Micros>,
    reqs: Vec<Request>,
    free: Vec<u32>,
    next_number: u32,
    /// Its instances (Managed Instances), launching or ready.
    pub instances: Vec<Instance>,
    next_instance: u32,
    /// Environments decided but waiting for an instance to be ready.
    pub wanted: u32,
    /// Integral of requests in flight since the scaler's last decision (request-µs).
    load_area: f64,
    load_at: Micros,
    /// Integrals over the run: instance-µs, environment-µs, active CPU-µs (Web Functions).
    pub instance_area: f64,
    pub env_area: f64,
    pub cpu_us: f64,
    area_at: Micros,
    /// Requests that waited in the queue, and the longest queue.
    pub queued_total: u64,
    pub max_queue: u32,
    pub instances_launched: u64,
    /// Web Functions: environments started and stopped since the last tick (for the narrative).
    started_tick: u32,
    stopped_tick: u32,
    /// The ready environments by requests in flight, so that the least loaded is found at once.
    pub(super) router: Router,
}

impl MultiState {
    /// Whether its integrals are accrued up to `now`.
    pub(super) fn accrued_at(&self, now: Micros) -> bool {
        self.area_at == now && self.load_at == now
    }
}

/// Ready environments in buckets by requests in flight (`by_load[l]`: those with `l`), with
/// each one's place in its bucket: finding the busiest one with a free slot costs at most one
/// look per bucket, and moving one up or down a bucket O(1), instead of a scan over every
/// environment per request.
#[derive(Debug, Clone, Default)]
pub(super) struct Router {
    by_load: Vec<Vec<Slot>>,
    /// Place of each slot (by `Slot.0`) in its bucket; `u32::MAX` when not routed to.
    place: Vec<u32>,
}

impl Router {
    pub(super) fn insert(&mut self, slot: Slot, load: u32) {
        let l = load as usize;
        if self.by_load.len() <= l {
            self.by_load.resize_with(l + 1, Vec::new);
        }
        let i = slot.0 as usize;
        if self.place.len() <= i {
            self.place.resize(i + 1, u32::MAX);
        }
        self.place[i] = self.by_load[l].len() as u32;
        self.by_load[l].push(slot);
    }

    pub(super) fn remove(&mut self, slot: Slot, load: u32) {
        let Some(&at) = self.place.get(slot.0 as usize).filter(|&&p| p != u32::MAX) else { return };
        let bucket = &mut self.by_load[load as usize];
        bucket.swap_remove(at as usize);
        if let Some(&moved) = bucket.get(at as usize) {
            self.place[moved.0 as usize] = at;
        }
        self.place[slot.0 as usize] = u32::MAX;
    }

    /// The busiest environment with fewer than `slots` requests in flight (the latest to reach
    /// that load among equals): requests are packed onto few environments, so that those the
    /// load no longer needs fall idle and can be stopped.
    pub(super) fn busiest_with_room(&self, slots: u32) -> Option<Slot> {
        let top = (slots as usize).min(self.by_load.len());
        self.by_load[..top].iter().rev().find_map(|b| b.last().copied())
    }
}

impl MultiState {
    /// Environments ready to serve.
    pub fn ready_envs(&self) -> u32 {
        self.envs.len() as u32 - self.starting
    }
    /// Instances ready at `now`.
    pub fn ready_instances(&self, now: Micros) -> u32 {
        self.instances.iter().filter(|i| i.ready_at <= now).count() as u32
    }
}

impl State {
    fn multi(&mut self, f: usize) -> &mut MultiState {
        self.functions[f].multi.as_mut().expect("a multi-concurrency function")
    }

    /// Adds the time since the last change to the function's integrals.
    pub(super) fn accrue_multi(&mut self, f: usize) {
        let now = self.now;
        let in_flight = self.functions[f].in_flight as f64;
        let m = self.multi(f);
        let dt = now.saturating_sub(m.area_at) as f64;
        m.instance_area += m.instances.len() as f64 * dt;
        m.env_area += m.envs.len() as f64 * dt;
        m.area_at = now;
        let dl = now.saturating_sub(m.load_at) as f64;
        m.load_area += in_flight * dl;
        m.load_at = now;
    }

    /// What a multi-concurrency function has before traffic: Managed Instances launch their
    /// instances and start their environments before the version is active; Web Functions
    /// start from zero.
    pub(super) fn multi_start(&mut self, sc: &Scenario, f: usize) {
        match &sc.functions[f].compute {
            Compute::ManagedInstances(mi) => {
                for _ in 0..mi.min_instances {
                    self.launch_instance(sc, f, 0);
                }
                for _ in 0..mi.min_environments {
                    if !self.place_env(sc, f, mi, true) {
                        break;
                    }
                }
                self.push(mi.scale_interval, EventKind::MultiTick(f as u32));
            }
            Compute::Web(_) => self.push(WEB_TICK, EventKind::MultiTick(f as u32)),
            _ => {}
        }
    }

    /// A synchronous request to a multi-concurrency function.
    pub(super) fn multi_arrival(&mut self, sc: &Scenario, f: usize) {
        self.count_request(f);
        let now = self.now;
        let func = &sc.functions[f];
        if let Compute::Web(w) = &func.compute {
            let second = now / MICROS_PER_SEC;
            let fs = &mut self.functions[f];
            if fs.rps_second != second {
                fs.rps_second = second;
                fs.rps_count = 0;
            }
            fs.rps_count += 1;
            let limit = w.rate_limit.unwrap_or(crate::scenario::WEB_ENDPOINT_RPS);
            if fs.rps_count as f64 > limit {
                let _ = self.throttle(f, ThrottleCause::RateLimit);
                return;
            }
        }
        if let Some(slot) = self.free_slot(sc, f) {
            self.multi_serve(sc, f, slot, now, false);
            if let Compute::Web(w) = &func.compute {
                self.web_scale_out(sc, f, w);
            }
            return;
        }
        match &func.compute {
            Compute::Web(w) => {
                let m = self.functions[f].multi.as_ref().expect("multi");
                let full = w.max_environments.is_some_and(|max| m.envs.len() as u32 >= max);
                // With every allowed environment there, a request waits only for room that
                // a starting one will bring.
                if full && m.queue.len() as u64 >= m.starting as u64 * w.per_env as u64 {
                    let _ = self.throttle(f, ThrottleCause::MaxEnvironments);
                    return;
                }
                let m = self.multi(f);
                m.queue.push_back(now);
                m.queued_total += 1;
                m.max_queue = m.max_queue.max(m.queue.len() as u32);
                self.web_scale_out(sc, f, w);
            }
            _ => {
                let _ = self.throttle(f, ThrottleCause::Capacity);
            }
        }
    }

    /// The ready environment a request goes to: the busiest one with a free slot, if any
    /// (Lambdascape's assumption: AWS documents that the router balances the load and avoids
    /// busy environments, not the rule).
    fn free_slot(&self, sc: &Scenario, f: usize) -> Option<Slot> {
        let slots = sc.functions[f].compute.per_env();
        self.functions[f].multi.as_ref()?.router.busiest_with_room(slots)
    }

    /// Starts serving a request that arrived at `arrival` on the environment in `slot`: draws
    /// how it goes and schedules its end. `cold` when it waited for this new environment.
    fn multi_serve(&mut self, sc: &Scenario, f: usize, slot: Slot, arrival: Micros, cold: bool) {
        let now = self.now;
        let func = &sc.functions[f];
        self.accrue_multi(f);
        let duration = func.duration.sample(&mut self.rng);
        let failed = func.error_rate > 0.0 && self.rng.random::<f64>() < func.error_rate;
        let env = self.envs.get_mut(slot).expect("live env");
        let route = self.net.routes[super::net::route_index(f, env.path)];
        // The request's time budget is the timeout less its wait in the queue.
        let budget = func.timeout.saturating_sub(now - arrival);
        let (outcome, run) = match route.failure {
            Some(_) => (Outcome::Timeout, budget),
            None => {
                let d = duration.saturating_add(route.latency);
                if d > budget {
                    (Outcome::Timeout, budget)
                } else if failed {
                    (Outcome::Error, d)
                } else {
                    (Outcome::Success, d)
                }
            }
        };
        let load = env.load;
        env.load += 1;
        env.state = EnvState::Busy;
        env.invocations += 1;
        let (serial, subnet) = (env.serial, env.subnet);
        let m = self.functions[f].multi.as_mut().expect("multi");
        m.router.remove(slot, load);
        m.router.insert(slot, load + 1);
        let number = m.next_number;
        m.next_number = m.next_number.wrapping_add(1);
        let req = Request { arrival, start: now, slot, serial, outcome, cold, number, live: true };
        let id = match m.free.pop() {
            Some(i) => {
                m.reqs[i as usize] = req;
                i
            }
            None => {
                m.reqs.push(req);
                m.reqs.len() as u32 - 1
            }
        };
        self.push(now + run, EventKind::MultiDone(f as u32, id, number));
        let fs = &mut self.functions[f];
        fs.in_flight += 1;
        fs.interval.invocations += 1;
        fs.totals.invocations += 1;
        fs.totals.max_concurrency = fs.totals.max_concurrency.max(fs.in_flight);
        fs.interval.peak = fs.interval.peak.max(fs.in_flight);
        let acct = &mut self.account;
        acct.interval.invocations += 1;
        acct.totals.invocations += 1;
        if cold {
            fs.interval.cold_starts += 1;
            fs.totals.cold_starts += 1;
            acct.interval.cold_starts += 1;
            acct.totals.cold_starts += 1;
        }
        self.fate(f, if cold { Fate::Cold } else { Fate::Warm });
        if let Some(c) = subnet.and_then(|s| self.net.subnets.get_mut(s as usize)) {
            c.invocations += 1;
            c.total_invocations += 1;
        }
    }

    /// A request served by a multi-concurrency environment ends.
    pub(super) fn multi_done(&mut self, sc: &Scenario, f: usize, id: u32, number: u32) {
        let now = self.now;
        let Some(m) = self.functions[f].multi.as_mut() else { return };
        let Some(req) = m.reqs.get_mut(id as usize).filter(|r| r.live && r.number == number) else { return };
        req.live = false;
        let req = *req;
        m.free.push(id);
        self.accrue_multi(f);
        if let Some(env) = self.envs.checked_mut(req.slot, req.serial) {
            env.load -= 1;
            let load = env.load;
            if load == 0 {
                env.state = EnvState::Idle;
                env.since = now;
            }
            let router = &mut self.functions[f].multi.as_mut().expect("multi").router;
            router.remove(req.slot, load + 1);
            router.insert(req.slot, load);
        }
        self.finish_request(sc, f, &req, req.outcome);
        // A freed slot serves the longest-waiting request.
        if self.functions[f].multi.as_ref().is_some_and(|m| !m.queue.is_empty()) {
            if let Some(slot) = self.free_slot(sc, f) {
                let arrival = self.multi(f).queue.pop_front().expect("waiting");
                self.multi_serve(sc, f, slot, arrival, false);
            }
        }
    }

    /// Counts a request that ended (latency, billing, outcome).
    fn finish_request(&mut self, sc: &Scenario, f: usize, req: &Request, outcome: Outcome) {
        let now = self.now;
        let latency = now - req.arrival;
        let ran = now - req.start;
        if let Compute::Web(w) = &sc.functions[f].compute {
            self.multi(f).cpu_us += ran as f64 * w.cpu_share;
        }
        let env = self.envs.get(req.slot).filter(|e| e.serial == req.serial);
        let (subnet, path) = (env.and_then(|e| e.subnet), env.map(|e| e.path));
        if self.trace_on {
            self.trace_pending.push(super::TraceRecord {
                start: req.arrival,
                end: now,
                function: f as u32,
                env: req.serial,
                cold: req.cold,
                provisioned: false,
                subnet,
                outcome: match outcome {
                    Outcome::Success => "success",
                    Outcome::Error => "error",
                    Outcome::Timeout => "timeout",
                },
            });
        }
        let (fs, acct) = (&mut self.functions[f], &mut self.account);
        fs.in_flight -= 1;
        for t in [&mut fs.totals, &mut acct.totals] {
            t.completed += 1;
            t.duration_sum_us += ran as u128;
        }
        fs.totals.latency.record(latency);
        fs.interval.hist.record(latency);
        self.count_outcome(f, subnet, path.map(|k| super::net::route_index(f, k)), outcome);
    }

    /// Web Functions: starts environments until the ones there (with those starting) have room
    /// for the requests in flight and waiting plus the headroom, within `maxEnvironments`.
    fn web_scale_out(&mut self, sc: &Scenario, f: usize, w: &Web) {
        let in_flight = self.functions[f].in_flight as f64;
        let m = self.functions[f].multi.as_ref().expect("multi");
        let demand = in_flight + m.queue.len() as f64;
        if demand == 0.0 {
            return;
        }
        let mut desired = ((demand * (1.0 + w.headroom)) / w.per_env as f64).ceil() as u32;
        if let Some(max) = w.max_environments {
            desired = desired.min(max);
        }
        let mut live = m.envs.len() as u32;
        while live < desired {
            self.start_env(sc, f, None);
            live += 1;
        }
    }

    /// Starts one environment (on instance `instance` for Managed Instances): it is ready once
    /// its init ran (at once when `ready`).
    fn start_env_at(&mut self, sc: &Scenario, f: usize, instance: Option<usize>, ready: bool) {
        let now = self.now;
        let func = &sc.functions[f];
        self.accrue_multi(f);
        let init = if ready { 0 } else { func.init.sample(&mut self.rng) };
        let serial = self.next_serial;
        self.next_serial = self.next_serial.wrapping_add(1);
        let mut env = new_env(serial, FunctionId(f as u32), now, Micros::MAX, Micros::MAX);
        env.slots = func.compute.per_env();
        let m = self.functions[f].multi.as_mut().expect("multi");
        if let Some(i) = instance {
            let inst = &mut m.instances[i];
            inst.envs += 1;
            env.instance = inst.serial;
            env.path = inst.k;
            env.subnet = inst.subnet;
        }
        if ready {
            env.state = EnvState::Idle;
        } else {
            m.starting += 1;
        }
        if let Some(c) = env.subnet.and_then(|s| self.net.subnets.get_mut(s as usize)) {
            c.environments += 1;
            c.environments_created += 1;
        }
        let slot = self.envs.insert(env);
        let m = self.multi(f);
        m.envs.push(slot);
        m.started_tick += 1;
        if ready {
            m.router.insert(slot, 0);
        }
        self.functions[f].totals.environments_created += 1;
        self.account.totals.environments_created += 1;
        if !ready {
            self.functions[f].initializing += 1;
            self.push(now + init, EventKind::MultiReady(slot, serial));
        }
    }

    fn start_env(&mut self, sc: &Scenario, f: usize, instance: Option<usize>) {
        self.start_env_at(sc, f, instance, false);
    }

    /// An environment finished its init: it takes waiting requests (each a cold start: it
    /// waited for a new environment).
    pub(super) fn multi_ready(&mut self, sc: &Scenario, slot: Slot, serial: u32) {
        let now = self.now;
        let Some(env) = self.envs.checked_mut(slot, serial) else { return };
        if env.state != EnvState::Initializing {
            return;
        }
        env.state = EnvState::Idle;
        env.since = now;
        let f = env.function.0 as usize;
        self.multi(f).starting -= 1;
        self.multi(f).router.insert(slot, 0);
        self.functions[f].initializing -= 1;
        loop {
            let room = self.envs.get(slot).is_some_and(|e| e.load < e.slots);
            if !room {
                break;
            }
            let Some(arrival) = self.multi(f).queue.pop_front() else { break };
            self.multi_serve(sc, f, slot, arrival, true);
        }
    }

    /// The periodic decision: Managed Instances' scaler, or Web Functions' scale-in.
    pub(super) fn multi_tick(&mut self, sc: &Scenario, f: usize) {
        self.accrue_multi(f);
        match &sc.functions[f].compute {
            Compute::ManagedInstances(mi) => {
                self.mi_scale(sc, f, mi);
                self.push(self.now + mi.scale_interval, EventKind::MultiTick(f as u32));
            }
            Compute::Web(w) => {
                self.web_scale_in(f, w);
                self.narrate_web(sc, f, w);
                self.push(self.now + WEB_TICK, EventKind::MultiTick(f as u32));
            }
            _ => {}
        }
    }

    /// Web Functions: stops environments idle for `idle_scale_in` beyond those the load and
    /// the headroom need (to zero without traffic).
    fn web_scale_in(&mut self, f: usize, w: &Web) {
        let now = self.now;
        let in_flight = self.functions[f].in_flight as f64;
        let keep = ((in_flight * (1.0 + w.headroom)) / w.per_env as f64).ceil() as usize;
        let m = self.functions[f].multi.as_ref().expect("multi");
        let mut surplus = m.envs.len().saturating_sub(keep);
        let idle: Vec<Slot> = m
            .envs
            .iter()
            .copied()
            .filter(|&s| {
                self.envs.get(s).is_some_and(|e| {
                    e.state == EnvState::Idle && now.saturating_sub(e.since) >= w.idle_scale_in
                })
            })
            .collect();
        for slot in idle {
            if surplus == 0 {
                break;
            }
            self.stop_env(f, slot);
            surplus -= 1;
        }
    }

    /// Removes an idle environment (and frees its place on its instance).
    fn stop_env(&mut self, f: usize, slot: Slot) {
        self.accrue_multi(f);
        let Some(env) = self.envs.remove(slot) else { return };
        if let Some(c) = env.subnet.and_then(|s| self.net.subnets.get_mut(s as usize)) {
            c.environments = c.environments.saturating_sub(1);
        }
        let m = self.multi(f);
        m.router.remove(slot, env.load);
        m.envs.retain(|&s| s != slot);
        m.stopped_tick += 1;
        if let Some(i) = m.instances.iter_mut().find(|i| i.serial == env.instance) {
            i.envs -= 1;
        }
        // Counted as removed, but not as reaped for idling past an idle lifetime: the mode's
        // own lines tell why it stopped.
        self.functions[f].totals.environments_reaped += 1;
        self.account.totals.environments_reaped += 1;
    }

    /// Managed Instances' scaler: environments for the average load of the last interval at
    /// the target utilization (never fewer than the minimum); out at once on instances with
    /// room, on new instances after their launch; in gradually (a tenth of the idle ones per
    /// decision), and instances left empty beyond the minimum are terminated.
    fn mi_scale(&mut self, sc: &Scenario, f: usize, mi: &ManagedInstances) {
        let ready = self.functions[f].multi.as_ref().map_or(0, |m| m.ready_envs());
        let m = self.functions[f].multi.as_mut().expect("multi");
        let avg = m.load_area / mi.scale_interval.max(1) as f64;
        m.load_area = 0.0;
        let desired =
            ((avg / (mi.per_env as f64 * mi.target_utilization)).ceil() as u32).max(mi.min_environments);
        let have = m.envs.len() as u32 + m.wanted;
        let (envs_before, launched_before) = (m.envs.len() as u32, m.instances_launched);
        if desired > have {
            for _ in 0..desired - have {
                if !self.place_env(sc, f, mi, false) {
                    self.multi(f).wanted += 1;
                }
            }
            // Launch instances for the environments that found no room.
            let per = mi.envs_per_instance();
            let now = self.now;
            let m = self.functions[f].multi.as_ref().expect("multi");
            let launching_room: u32 =
                m.instances.iter().filter(|i| i.ready_at > now).map(|i| per.saturating_sub(i.envs)).sum();
            let need = m.wanted.saturating_sub(launching_room).div_ceil(per);
            let room = mi.max_instances().saturating_sub(m.instances.len() as u32);
            for _ in 0..need.min(room) {
                self.launch_instance(sc, f, mi.instance_launch);
            }
            let m = self.multi(f);
            let cap = m.instances.len() as u32 * per;
            m.wanted = m.wanted.min(cap.saturating_sub(m.envs.len() as u32));
        } else if desired < have {
            let m = self.multi(f);
            m.wanted = m.wanted.saturating_sub(have - desired);
            let excess = (m.envs.len() as u32).saturating_sub(desired);
            let step = excess.div_ceil(10);
            let m = self.functions[f].multi.as_ref().expect("multi");
            let idle: Vec<Slot> = m
                .envs
                .iter()
                .copied()
                .filter(|&s| self.envs.get(s).is_some_and(|e| e.state == EnvState::Idle))
                .take(step as usize)
                .collect();
            for slot in idle {
                self.stop_env(f, slot);
            }
        }
        if desired > have {
            let m = self.functions[f].multi.as_ref().expect("multi");
            let started = m.envs.len() as u32 - envs_before;
            let launched = m.instances_launched - launched_before;
            let capped = m.wanted > 0 && m.instances.len() as u32 >= mi.max_instances();
            let mut text = format!(
                "{}: the Managed Instances scaler saw {avg:.1} requests in flight on average over the last {}, against {} slots ({} ready environments × {}) and a target utilization of {:.0}%: it wants {} environments",
                sc.functions[f].name,
                crate::time::format_duration(mi.scale_interval),
                fmt_count(ready as u64 * mi.per_env as u64),
                fmt_count(ready as u64),
                mi.per_env,
                mi.target_utilization * 100.0,
                fmt_count(desired as u64),
            );
            if started > 0 {
                text += &format!("; it starts {} on running instances", fmt_count(started as u64));
            }
            if launched > 0 {
                text += &format!(
                    "; it launches {} instance(s), ready in {}",
                    fmt_count(launched),
                    crate::time::format_duration(mi.instance_launch)
                );
            }
            if capped {
                text += &format!(
                    "; no more instances: the capacity provider's maximum is {} vCPUs",
                    fmt_count(mi.max_vcpus as u64)
                );
            }
            text += " (Managed Instances scale asynchronously on utilization, not per request: AWS, Scaling Lambda Managed Instances)";
            self.narrator.pending.push(Entry {
                time: self.now,
                kind: EntryKind::Scaling,
                severity: if capped { Severity::Warning } else { Severity::Info },
                text,
                refs: vec![Ref::Function { id: f as u32 }],
            });
        }
        // Instances lost (an AZ outage) are replaced up to the minimum, in the healthy AZs.
        let missing = mi.min_instances.saturating_sub(self.multi(f).instances.len() as u32);
        for _ in 0..missing {
            self.launch_instance(sc, f, mi.instance_launch);
        }
        // Empty ready instances beyond the minimum are terminated.
        let now = self.now;
        self.accrue_multi(f);
        let m = self.multi(f);
        let mut n = m.instances.len() as u32;
        let before = n;
        m.instances.retain(|i| {
            if n > mi.min_instances && i.envs == 0 && i.ready_at <= now {
                n -= 1;
                false
            } else {
                true
            }
        });
        let stopped = envs_before.saturating_sub(m.envs.len() as u32);
        let terminated = before - n;
        if desired < have && (stopped > 0 || terminated > 0) {
            let mut text = format!(
                "{}: the Managed Instances scaler saw {avg:.1} requests in flight on average over the last {}: it wants {} environments, and scales in gradually: it stops {} idle environment(s)",
                sc.functions[f].name,
                crate::time::format_duration(mi.scale_interval),
                fmt_count(desired as u64),
                fmt_count(stopped as u64),
            );
            if terminated > 0 {
                text += &format!(" and terminates {} empty instance(s)", fmt_count(terminated as u64));
            }
            let slots = self.multi(f).ready_envs() as u64 * mi.per_env as u64;
            text += &format!(", leaving {} slots", fmt_count(slots));
            self.narrator.pending.push(Entry {
                time: now,
                kind: EntryKind::Scaling,
                severity: Severity::Info,
                text,
                refs: vec![Ref::Function { id: f as u32 }],
            });
        }
    }

    /// Starts one environment on a ready instance with room (in a healthy AZ); false if none.
    fn place_env(&mut self, sc: &Scenario, f: usize, mi: &ManagedInstances, ready: bool) -> bool {
        let now = self.now;
        let per = mi.envs_per_instance();
        let m = self.functions[f].multi.as_ref().expect("multi");
        // The instance with the most room spreads environments over instances and AZs.
        let pick = m
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| i.ready_at <= now && i.envs < per)
            .min_by_key(|(_, i)| (i.envs, i.serial))
            .map(|(k, _)| k);
        match pick {
            Some(i) => {
                self.start_env_at(sc, f, Some(i), ready);
                true
            }
            None => false,
        }
    }

    /// Launches an instance in the healthy subnet whose AZ has the fewest instances; it is
    /// ready after `delay`.
    fn launch_instance(&mut self, sc: &Scenario, f: usize, delay: Micros) {
        let func = &sc.functions[f];
        let (Some(fv), Some(vpc)) = (&func.vpc, &sc.vpc) else { return };
        self.accrue_multi(f);
        let m = self.functions[f].multi.as_ref().expect("multi");
        let count_in = |az: Option<u32>| m.instances.iter().filter(|i| i.az == az).count();
        let best = (0..fv.subnets.len() as u32)
            .map(|k| (k, vpc.subnet_az(fv.subnets[k as usize]).map(|a| a.0)))
            .filter(|(_, az)| az.is_none_or(|a| !self.net.health.azs_down.contains(&crate::network::AzId(a))))
            .min_by_key(|&(k, az)| (count_in(az), k));
        let Some((k, az)) = best else { return };
        let now = self.now;
        let m = self.multi(f);
        let serial = m.next_instance;
        m.next_instance += 1;
        m.instances_launched += 1;
        m.instances.push(Instance {
            serial,
            k,
            subnet: Some(fv.subnets[k as usize].0),
            az,
            ready_at: now + delay,
            envs: 0,
        });
        if delay > 0 {
            self.push(now + delay, EventKind::InstanceReady(f as u32, serial));
        }
    }

    /// An instance is ready: the environments waiting for room start on it.
    pub(super) fn instance_ready(&mut self, sc: &Scenario, f: usize, serial: u32) {
        let Compute::ManagedInstances(mi) = &sc.functions[f].compute else { return };
        let Some(i) = self.multi(f).instances.iter().position(|i| i.serial == serial) else { return };
        let per = mi.envs_per_instance();
        let mut started = 0u64;
        while self.multi(f).wanted > 0 && self.multi(f).instances[i].envs < per {
            self.multi(f).wanted -= 1;
            self.start_env(sc, f, Some(i));
            started += 1;
        }
        let inst = &self.multi(f).instances[i];
        let az =
            inst.az.and_then(|a| sc.vpc.as_ref().map(|v| v.az_name(crate::network::AzId(a)).to_string()));
        self.narrator.pending.push(Entry {
            time: self.now,
            kind: EntryKind::Scaling,
            severity: Severity::Info,
            text: format!(
                "{}: instance {} is ready{}: {} environment(s) start on it",
                sc.functions[f].name,
                serial + 1,
                az.map_or(String::new(), |a| format!(" in {a}")),
                fmt_count(started)
            ),
            refs: vec![Ref::Function { id: f as u32 }],
        });
    }

    /// Web Functions: what the last tick's environments did, when they changed.
    fn narrate_web(&mut self, sc: &Scenario, f: usize, w: &Web) {
        let in_flight = self.functions[f].in_flight as u64;
        let m = self.multi(f);
        let (started, stopped) = (std::mem::take(&mut m.started_tick), std::mem::take(&mut m.stopped_tick));
        if started == 0 && stopped == 0 {
            return;
        }
        let (envs, waiting) = (m.envs.len() as u64, m.queue.len() as u64);
        let mut text = format!(
            "{}: {} environment(s) now serve {} request(s) in flight (up to {} each){}",
            sc.functions[f].name,
            fmt_count(envs),
            fmt_count(in_flight),
            w.per_env,
            if waiting > 0 { format!(", {} waiting for a slot", fmt_count(waiting)) } else { String::new() }
        );
        if started > 0 {
            text += &format!(
                "; {} started in the last {} s: a request with no free slot waits for a warm or a new environment instead of failing, and Lambda keeps some headroom",
                fmt_count(started as u64),
                WEB_TICK / MICROS_PER_SEC
            );
        }
        if stopped > 0 {
            text += &format!(
                "; {} stopped after {} idle (Web Functions scale to zero)",
                fmt_count(stopped as u64),
                crate::time::format_duration(w.idle_scale_in)
            );
        }
        text += " (AWS: Scaling behavior for Lambda Web Functions)";
        self.narrator.pending.push(Entry {
            time: self.now,
            kind: EntryKind::Scaling,
            severity: Severity::Info,
            text,
            refs: vec![Ref::Function { id: f as u32 }],
        });
    }

    /// An AZ went down: the multi-concurrency environments and instances there are lost, their
    /// requests end as errors. Returns how many environments were lost.
    pub(super) fn multi_lose_az(&mut self, sc: &Scenario, az: u32) -> u32 {
        let mut lost = 0;
        for f in 0..self.functions.len() {
            if self.functions[f].multi.is_none() {
                continue;
            }
            self.accrue_multi(f);
            let doomed: Vec<Slot> = self.multi(f).envs.clone();
            let vpc = sc.vpc.as_ref();
            for slot in doomed {
                let in_az = self.envs.get(slot).and_then(|e| e.subnet).is_some_and(|s| {
                    vpc.and_then(|v| v.subnet_az(crate::network::SubnetId(s))).map(|a| a.0) == Some(az)
                });
                if !in_az {
                    continue;
                }
                lost += 1;
                let serial = self.envs.get(slot).map_or(0, |e| e.serial);
                // Its requests end now, as errors.
                let ids: Vec<u32> = {
                    let m = self.functions[f].multi.as_ref().expect("multi");
                    (0..m.reqs.len() as u32)
                        .filter(|&i| {
                            let r = &m.reqs[i as usize];
                            r.live && r.slot == slot && r.serial == serial
                        })
                        .collect()
                };
                for id in ids {
                    let m = self.multi(f);
                    let req = m.reqs[id as usize];
                    m.reqs[id as usize].live = false;
                    m.free.push(id);
                    self.finish_request(sc, f, &req, Outcome::Error);
                }
                if self.envs.get(slot).is_some_and(|e| e.state == EnvState::Initializing) {
                    self.multi(f).starting -= 1;
                    self.functions[f].initializing -= 1;
                }
                self.stop_env(f, slot);
            }
            self.multi(f).instances.retain(|i| i.az != Some(az));
        }
        lost
    }
}
