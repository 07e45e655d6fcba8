//! Which function's request arrives next: a tournament tree over the functions' next arrival
//! times.
//!
//! Each function draws its arrivals lazily from its own stream, one ahead; the engine needs
//! the earliest of them after every arrival. Scanning the functions' states for it took two
//! passes over large structures (kilobytes apart) per request; the tree keeps the times in one
//! small array and finds the earliest again in `log2(functions)` steps after a function draws
//! its next arrival. Ties go to the lower function index, exactly as the scan did, so the
//! order of arrivals (and so every result) is unchanged.

use crate::time::Micros;

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
