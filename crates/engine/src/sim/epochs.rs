//! Changes during a run: at each of the scenario's `changes` the engine switches to the next
//! validated version of the scenario ("epoch") and brings its live state in line: limits and
//! buckets, the unreserved pool, network paths (existing environments keep their subnet),
//! traffic from that moment on, provisioned concurrency, and, when a function's configuration
//! changed, new execution environments for it (as after an update in Lambda).

use super::envs::{EnvState, Slot};
use super::narrative::{Entry, EntryKind, Severity};
use super::State;
use crate::scenario::{FunctionSpec, Scenario};
use crate::time::{micros_to_secs, Micros};
use crate::traffic::ArrivalGen;
use std::sync::Arc;

/// The scenario version in force after `epoch` changes.
pub fn active(base: &Arc<Scenario>, epoch: u32) -> Arc<Scenario> {
    match epoch.checked_sub(1).and_then(|i| base.epochs.get(i as usize)) {
        Some(e) => Arc::clone(&e.scenario),
        None => Arc::clone(base),
    }
}

/// The version with the most subnets and AZs (changes only add them): the last one.
pub fn widest(base: &Scenario) -> &Scenario {
    base.epochs.last().map_or(base, |e| &e.scenario)
}

/// A function's configuration apart from what can change without new environments.
fn config_of(f: &FunctionSpec) -> FunctionSpec {
    let mut c = f.clone();
    c.traffic = crate::traffic::TrafficSpec::None {};
    c.reserved_concurrency = None;
    c.provisioned = None;
    c.async_config = Default::default();
    c
}

impl State {
    pub(super) fn switch_epoch(&mut self, old: &Scenario, new: &Scenario, label: &str) {
        let now = self.now;
        self.accrue_all(now);
        let mut notes = Vec::new();
        // A tape holds the times of a run without changes: draw from here on.
        self.functions.iter_mut().for_each(super::FunctionState::untape);

        // Limits and buckets.
        let a = &new.account;
        let burst = &mut self.account.burst;
        burst.refill(now);
        burst.capacity = a.burst_quota as f64;
        burst.per_sec = a.legacy_refill_per_sec;
        burst.tokens = burst.tokens.min(burst.capacity);
        for fs in &mut self.functions {
            fs.scaling.refill(now);
            fs.scaling.capacity = a.current_step as f64;
            fs.scaling.per_sec = a.current_refill_per_sec;
            fs.scaling.tokens = fs.scaling.tokens.min(fs.scaling.capacity);
            fs.rps_scaling.refill(now);
            fs.rps_scaling.capacity = a.current_rps_step as f64;
            fs.rps_scaling.per_sec = a.current_rps_refill_per_sec;
            fs.rps_scaling.tokens = fs.rps_scaling.tokens.min(fs.rps_scaling.capacity);
        }
        // The unreserved pool's users follow the new reserved settings.
        let (mut in_flight, mut od, mut pc) = (0, 0, 0);
        for (f, fs) in self.functions.iter().enumerate() {
            if new.functions[f].reserved.is_none() {
                in_flight += fs.in_flight;
                od += fs.od_in_flight;
                pc += fs.pc.live;
            }
        }
        self.account.unreserved_in_flight = in_flight;
        self.account.unreserved_od = od;
        self.account.unreserved_pc = pc;

        // The network: new paths; environments keep their subnets (ids are stable).
        self.net.grow(new);
        self.net.recompute(new);

        for f in 0..self.functions.len() {
            let (o, n) = (&old.spec.functions[f], &new.spec.functions[f]);
            if config_of(o) != config_of(n) {
                let replaced = self.replace_environments(new, f);
                notes.push(format!(
                    "{}: configuration updated, {replaced} environment(s) replaced by new ones",
                    n.name
                ));
            }
            if o.traffic != n.traffic {
                let fs = &mut self.functions[f];
                fs.arrivals = ArrivalGen::starting_at(&new.functions[f].traffic.pattern, micros_to_secs(now));
                let next =
                    fs.arrivals.next(&new.functions[f].traffic, &mut fs.arrival_rng).unwrap_or(Micros::MAX);
                self.next_arrivals.set(f, next);
            }
            let (op, np) = (&old.functions[f].provisioned, &new.functions[f].provisioned);
            let (min, max) = match np.as_ref().and_then(|p| p.tracking.as_ref()) {
                Some(t) => (t.min, t.max),
                None => (0, u32::MAX),
            };
            self.functions[f].pc.min = min;
            self.functions[f].pc.max = max;
            let old_initial = op.as_ref().map_or(0, |p| p.initial);
            let new_initial = np.as_ref().map_or(0, |p| p.initial);
            if old_initial != new_initial {
                self.pc_request(new, f, new_initial, "provisioned concurrency changed");
            }
            // Scheduled actions of the new version from now on (older ones are void).
            self.epoch += 1;
            self.schedule_actions(new, f, false);
            self.epoch -= 1;
        }
        let mut text = format!("change: {label}");
        for n in notes {
            text.push_str("; ");
            text.push_str(&n);
        }
        self.narrator.pending.push(Entry {
            time: now,
            kind: EntryKind::Info,
            severity: Severity::Warning,
            text,
            refs: vec![],
        });
    }

    /// New configuration: idle on-demand environments go now, busy ones when they finish.
    fn replace_environments(&mut self, sc: &Scenario, f: usize) -> u32 {
        let now = self.now;
        let mine: Vec<(Slot, u32, EnvState)> = self
            .envs
            .iter()
            .filter(|(_, e)| e.function.0 as usize == f && !e.provisioned)
            .map(|(s, e)| (s, e.serial, e.state))
            .collect();
        let n = mine.len() as u32;
        for (slot, serial, state) in mine {
            if state == EnvState::Idle {
                self.reap_idle(sc, f, slot, true);
            } else if let Some(e) = self.envs.checked_mut(slot, serial) {
                e.retire_at = now;
                e.path = 0;
            }
        }
        n
    }
}
