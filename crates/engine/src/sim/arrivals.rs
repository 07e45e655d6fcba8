//! Which function's request arrives next: a tournament tree over the functions' next arrival
//! times.
//!
//! Each function draws its arrivals lazily from its own stream, one ahead; the engine needs
//! the earliest of them after every arrival. Scanning the functions' states for it took two
//! passes over large structures (kilobytes apart) per request; the tree keeps the times in one
//! small array and finds the earliest again in `log2(functions)` steps after a function draws
//! its next arrival. Ties go to the lower function index, exactly as the scan did, so the
//! order of arrivals (and so every result) is unchanged.

use crate::scenario::Scenario;
use crate::time::Micros;
use crate::traffic::{ArrivalGen, Traffic, TrafficSpec};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The next arrival time of every function, and the earliest of them.
#[derive(Debug, Clone)]
pub(super) struct NextArrivals {
    /// A complete binary tree in heap order (node 1 is the root, node `i` has children `2i`
    /// and `2i + 1`; slot 0 is unused): the leaves, from `leaves` on, hold each function's
    /// next arrival as a [`key`] (`Micros::MAX` when it has none; padded to a power of two);
    /// every inner node holds the smaller of its children's keys.
    nodes: Vec<u128>,
    leaves: usize,
}

/// A function's next arrival and its index as one number ordered by time, then index: the
/// lower index wins a tie, as it did when the engine scanned the functions in order.
#[inline]
fn key(t: Micros, f: usize) -> u128 {
    ((t as u128) << 64) | f as u128
}

impl NextArrivals {
    /// The tree over the functions' first arrivals.
    pub(super) fn new(first: impl IntoIterator<Item = Micros>) -> Self {
        let first: Vec<Micros> = first.into_iter().collect();
        let leaves = first.len().next_power_of_two();
        let mut nodes = vec![key(Micros::MAX, 0); 2 * leaves];
        for f in 0..leaves {
            nodes[leaves + f] = key(first.get(f).copied().unwrap_or(Micros::MAX), f);
        }
        for node in (1..leaves).rev() {
            nodes[node] = nodes[2 * node].min(nodes[2 * node + 1]);
        }
        NextArrivals { nodes, leaves }
    }

    /// The function whose request arrives first (the lowest index among equal times), and when.
    #[inline]
    pub(super) fn earliest(&self) -> (usize, Micros) {
        let k = self.nodes[1];
        (k as u64 as usize, (k >> 64) as Micros)
    }

    /// Function `f`'s next arrival.
    #[cfg(test)]
    fn get(&self, f: usize) -> Micros {
        (self.nodes[self.leaves + f] >> 64) as Micros
    }

    /// Sets function `f`'s next arrival and plays its matches again up to the root.
    #[inline]
    pub(super) fn set(&mut self, f: usize, t: Micros) {
        let mut node = self.leaves + f;
        self.nodes[node] = key(t, f);
        while node > 1 {
            let parent = node / 2;
            self.nodes[parent] = self.nodes[node].min(self.nodes[node ^ 1]);
            node = parent;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the engine did before: the lowest index among the earliest times.
    fn scan(times: &[Micros]) -> (usize, Micros) {
        let t = times.iter().copied().min().unwrap_or(Micros::MAX);
        (times.iter().position(|&x| x == t).unwrap_or(0), t)
    }

    proptest! {
        #[test]
        fn earliest_is_the_scans(first in prop::collection::vec(0u64..20, 1..40), sets in prop::collection::vec((0usize..40, 0u64..20), 0..200)) {
            let mut times = first.clone();
            let mut tree = NextArrivals::new(first);
            prop_assert_eq!(tree.earliest(), scan(&times));
            for (f, t) in sets {
                let f = f % times.len();
                let t = if t == 19 { Micros::MAX } else { t };
                times[f] = t;
                tree.set(f, t);
                prop_assert_eq!(tree.get(f), t);
                prop_assert_eq!(tree.earliest(), scan(&times));
            }
        }
    }
}

/// A function's arrival times in one run, drawn once and replayed by the runs that would draw
/// the very same ones: a sweep's points at one seed whose edits leave that function's traffic
/// as it is (provisioned concurrency, memory, compute mode, ...). A run draws a function's
/// arrivals from the function's own stream (its name and the seed pick it), whatever else the
/// run draws, so the times depend only on the seed, the name, the traffic and the horizon: the
/// tape holds every arrival up to the horizon and the first one after it (the one a run has
/// drawn when it ends), and a run given the tape takes its times from it instead of drawing
/// them. [`super::Simulation::with_tapes`] takes a tape only where all four match and the
/// scenario has no changes, so a replayed run is the drawn run, event for event.
#[derive(Debug, Clone)]
pub struct ArrivalTape(Arc<Recorded>);

#[derive(Debug)]
struct Recorded {
    seed: u64,
    name: String,
    spec: TrafficSpec,
    traffic: Traffic,
    horizon: Micros,
    times: Vec<Micros>,
}

impl ArrivalTape {
    /// The arrivals of function `f` of `sc` with `seed`, unless there are more than `limit`.
    /// Not inlined: its loop would make the caller (a sweep's job, set-up and all) hot enough
    /// for a WebAssembly engine to optimise the whole of it.
    #[inline(never)]
    pub fn record(sc: &Scenario, f: usize, seed: u64, limit: usize) -> Option<ArrivalTape> {
        let func = sc.functions.get(f)?;
        let mut gen = ArrivalGen::new(&func.traffic.pattern);
        let mut rng = super::arrival_stream(seed, &func.name);
        let mut times = Vec::new();
        while let Some(t) = gen.next(&func.traffic, &mut rng) {
            if times.len() == limit {
                return None;
            }
            times.push(t);
            if t > sc.horizon {
                break;
            }
        }
        Some(ArrivalTape(Arc::new(Recorded {
            seed,
            name: func.name.clone(),
            spec: sc.spec.functions.get(f)?.traffic.clone(),
            traffic: func.traffic.clone(),
            horizon: sc.horizon,
            times,
        })))
    }

    /// Number of arrival times it holds.
    pub fn len(&self) -> usize {
        self.0.times.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.times.is_empty()
    }

    /// Whether a run of `sc` with `seed` would draw these times for its function `f`.
    pub(super) fn fits(&self, sc: &Scenario, f: usize, seed: u64) -> bool {
        let r = &*self.0;
        sc.epochs.is_empty()
            && r.seed == seed
            && r.horizon == sc.horizon
            && sc.functions.get(f).is_some_and(|func| func.name == r.name)
            && sc.spec.functions.get(f).is_some_and(|spec| spec.traffic == r.spec)
    }
}

/// A tape being replayed, and how many of its times the run has taken.
#[derive(Debug, Clone)]
pub(super) struct Replay {
    tape: ArrivalTape,
    taken: usize,
}

impl Replay {
    pub(super) fn of(tape: &ArrivalTape) -> Self {
        Replay { tape: tape.clone(), taken: 0 }
    }

    /// The next arrival (`Micros::MAX` after the last, as a drawn stream that ends).
    #[inline]
    pub(super) fn next(&mut self) -> Micros {
        let t = self.tape.0.times.get(self.taken).copied().unwrap_or(Micros::MAX);
        self.taken += 1;
        t
    }

    /// Brings a generator and stream that drew nothing yet to where the replayed times left
    /// them: draws as many as were taken, with the traffic the tape was recorded with.
    pub(super) fn catch_up(&self, gen: &mut ArrivalGen, rng: &mut ChaCha8Rng) {
        for _ in 0..self.taken {
            gen.next(&self.tape.0.traffic, rng);
        }
    }
}
