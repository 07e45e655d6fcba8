//! Execution environments as tracked entities, in a slot arena reached by typed handles, and the
//! per-function pool of idle (warm) environments.

use crate::scenario::{FunctionId, WarmSelection};
use crate::time::Micros;
use rand::Rng;
use serde::Serialize;

/// Handle to a live environment's slot. Slots are reused after an environment is reaped, so a
/// handle is always paired with the environment's serial number to detect stale references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Slot(pub u32);

/// `Env::instance` of an environment not on a Managed Instances instance.
pub const NO_INSTANCE: u32 = u32::MAX;

/// Sentinel for "no slot" in the intrusive idle list.
const NIL: u32 = u32::MAX;

/// Lifecycle state of an execution environment: initializing (cold) → busy → idle → reaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvState {
    /// Running its init phase for a cold start (the request waits).
    Initializing,
    /// Running an invocation.
    Busy,
    /// Warm and waiting for a request.
    Idle,
}

/// One execution environment.
#[derive(Debug, Clone)]
pub struct Env {
    /// Unique, increasing number shown to users ("env #214").
    pub serial: u32,
    pub function: FunctionId,
    pub state: EnvState,
    pub created: Micros,
    /// When the current state began (idle since, busy since).
    pub since: Micros,
    /// When the current invocation started (including init for a cold start).
    pub invocation_start: Micros,
    /// The environment is reaped once idle this long.
    pub idle_lifetime: Micros,
    /// Forced recycling time (absolute), `Micros::MAX` if never.
    pub retire_at: Micros,
    pub invocations: u32,
    /// Subnet index of the function's VPC config it landed in, if any.
    pub subnet: Option<u32>,
    pub provisioned: bool,
    /// Whether an expiry check for this environment is waiting in the event queue.
    pub(crate) expiry_pending: bool,
    /// What the current invocation is for, and how it will end.
    pub job: super::Job,
    pub outcome: super::Outcome,
    /// Index of its subnet among its function's subnets (0 without a VPC).
    pub path: u32,
    /// Its Hyperplane ENI (index into `NetState::enis`; `NO_ENI` outside a VPC), fixed for life.
    pub eni: u32,
    /// Connections the current invocation holds on that ENI.
    pub connections: u32,
    /// The current invocation could not open its connections (its ENI group needed another
    /// ENI and the VPC's quota of network interfaces had no room).
    pub eni_refused: bool,
    /// The current invocation's init ran past the init limit and was retried within it.
    pub init_retried: bool,
    /// Requests it serves at once (1, or the multi-concurrency modes' per-environment
    /// maximum), and those in flight now (multi-concurrency modes only).
    pub slots: u32,
    pub load: u32,
    /// Serial of its Managed Instances instance (`NO_INSTANCE` otherwise).
    pub instance: u32,
    prev: u32,
    next: u32,
    pos: u32,
}

impl Env {
    /// When this idle environment is due to be reaped.
    pub fn reap_due(&self) -> Micros {
        self.since.saturating_add(self.idle_lifetime).min(self.retire_at)
    }
}

/// All live environments. Reaped ones free their slot.
#[derive(Debug, Clone, Default)]
pub struct Arena {
    slots: Vec<Option<Env>>,
    free: Vec<u32>,
    live: u32,
}

impl Arena {
    pub fn insert(&mut self, env: Env) -> Slot {
        self.live += 1;
        if let Some(i) = self.free.pop() {
            self.slots[i as usize] = Some(env);
            Slot(i)
        } else {
            self.slots.push(Some(env));
            Slot(self.slots.len() as u32 - 1)
        }
    }
    pub fn remove(&mut self, s: Slot) -> Option<Env> {
        let env = self.slots.get_mut(s.0 as usize)?.take();
        if env.is_some() {
            self.live -= 1;
            self.free.push(s.0);
        }
        env
    }
    #[inline]
    pub fn get(&self, s: Slot) -> Option<&Env> {
        self.slots.get(s.0 as usize)?.as_ref()
    }
    #[inline]
    pub fn get_mut(&mut self, s: Slot) -> Option<&mut Env> {
        self.slots.get_mut(s.0 as usize)?.as_mut()
    }
    /// The environment at `s` if it is still the one numbered `serial`.
    #[inline]
    pub fn checked_mut(&mut self, s: Slot, serial: u32) -> Option<&mut Env> {
        self.get_mut(s).filter(|e| e.serial == serial)
    }
    pub fn len(&self) -> u32 {
        self.live
    }
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
    /// Live environments in slot order (stable and deterministic).
    pub fn iter(&self) -> impl Iterator<Item = (Slot, &Env)> {
        self.slots.iter().enumerate().filter_map(|(i, e)| e.as_ref().map(|e| (Slot(i as u32), e)))
    }
}

pub(crate) fn new_env(
    serial: u32,
    function: FunctionId,
    now: Micros,
    idle_lifetime: Micros,
    retire_at: Micros,
) -> Env {
    Env {
        serial,
        function,
        state: EnvState::Initializing,
        created: now,
        since: now,
        invocation_start: now,
        idle_lifetime,
        retire_at,
        invocations: 0,
        subnet: None,
        provisioned: false,
        expiry_pending: false,
        job: super::Job::Sync,
        outcome: super::Outcome::Success,
        path: 0,
        eni: super::net::NO_ENI,
        connections: 0,
        eni_refused: false,
        init_retried: false,
        slots: 1,
        load: 0,
        instance: NO_INSTANCE,
        prev: NIL,
        next: NIL,
        pos: NIL,
    }
}

/// A function's idle environments, ordered from least to most recently used (an intrusive
/// doubly linked list through the arena, so taking from either end and removing any one are
/// O(1)); the random policy also keeps an unordered vector for O(1) uniform picks.
#[derive(Debug, Clone)]
pub struct IdlePool {
    head: u32,
    tail: u32,
    len: u32,
    random: Option<Vec<u32>>,
}

impl IdlePool {
    pub fn new(policy: WarmSelection) -> Self {
        IdlePool { head: NIL, tail: NIL, len: 0, random: (policy == WarmSelection::Random).then(Vec::new) }
    }

    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a just-idled environment as the most recently used.
    pub fn push(&mut self, arena: &mut Arena, s: Slot) {
        let tail = self.tail;
        {
            let Some(e) = arena.get_mut(s) else { return };
            e.prev = tail;
            e.next = NIL;
        }
        if tail == NIL {
            self.head = s.0;
        } else if let Some(t) = arena.get_mut(Slot(tail)) {
            t.next = s.0;
        }
        self.tail = s.0;
        self.len += 1;
        if let Some(v) = &mut self.random {
            if let Some(e) = arena.get_mut(s) {
                e.pos = v.len() as u32;
            }
            v.push(s.0);
        }
    }

    /// Removes one environment from the pool (it was taken or reaped).
    pub fn remove(&mut self, arena: &mut Arena, s: Slot) {
        let Some(e) = arena.get(s) else { return };
        let (prev, next, pos) = (e.prev, e.next, e.pos);
        if prev == NIL {
            self.head = next;
        } else if let Some(p) = arena.get_mut(Slot(prev)) {
            p.next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else if let Some(n) = arena.get_mut(Slot(next)) {
            n.prev = prev;
        }
        self.len -= 1;
        if let Some(v) = &mut self.random {
            let last = v.pop().unwrap_or(NIL);
            if last != s.0 && (pos as usize) < v.len() {
                v[pos as usize] = last;
                if let Some(m) = arena.get_mut(Slot(last)) {
                    m.pos = pos;
                }
            }
        }
    }

    /// Takes the environment the policy picks, if any is idle.
    #[inline]
    pub fn take<R: Rng + ?Sized>(
        &mut self,
        arena: &mut Arena,
        policy: WarmSelection,
        rng: &mut R,
    ) -> Option<Slot> {
        if self.len == 0 {
            return None;
        }
        let s = match (policy, &self.random) {
            (WarmSelection::MostRecentlyUsed, _) => Slot(self.tail),
            (WarmSelection::LeastRecentlyUsed, _) => Slot(self.head),
            (WarmSelection::Random, Some(v)) => Slot(v[rng.random_range(0..v.len())]),
            (WarmSelection::Random, None) => Slot(self.tail),
        };
        self.remove(arena, s);
        Some(s)
    }

    /// Idle environments from least to most recently used.
    pub fn iter<'a>(&self, arena: &'a Arena) -> impl Iterator<Item = Slot> + 'a {
        let mut cur = self.head;
        std::iter::from_fn(move || {
            if cur == NIL {
                return None;
            }
            let s = Slot(cur);
            cur = arena.get(s).map_or(NIL, |e| e.next);
            Some(s)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn setup(n: u32, policy: WarmSelection) -> (Arena, IdlePool, Vec<Slot>) {
        let mut arena = Arena::default();
        let mut pool = IdlePool::new(policy);
        let slots: Vec<_> = (0..n)
            .map(|i| {
                let s = arena.insert(new_env(i, FunctionId(0), 0, 1, u64::MAX));
                pool.push(&mut arena, s);
                s
            })
            .collect();
        (arena, pool, slots)
    }

    #[test]
    fn mru_takes_the_newest_and_lru_the_oldest() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let (mut a, mut p, s) = setup(3, WarmSelection::MostRecentlyUsed);
        assert_eq!(p.take(&mut a, WarmSelection::MostRecentlyUsed, &mut rng), Some(s[2]));
        let (mut a, mut p, s) = setup(3, WarmSelection::LeastRecentlyUsed);
        assert_eq!(p.take(&mut a, WarmSelection::LeastRecentlyUsed, &mut rng), Some(s[0]));
        p.remove(&mut a, s[1]);
        assert_eq!(p.iter(&a).collect::<Vec<_>>(), vec![s[2]]);
    }

    #[test]
    fn random_pool_stays_consistent() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let (mut a, mut p, s) = setup(50, WarmSelection::Random);
        p.remove(&mut a, s[10]);
        let mut seen = std::collections::BTreeSet::new();
        while let Some(x) = p.take(&mut a, WarmSelection::Random, &mut rng) {
            assert!(seen.insert(x), "taken twice");
        }
        assert_eq!(seen.len(), 49);
        assert!(!seen.contains(&s[10]));
    }
}
