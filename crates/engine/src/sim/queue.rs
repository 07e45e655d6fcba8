//! The event queue: a binary heap plus a few FIFO "lanes".
//!
//! Most events are pushed in time order within their stream (constant durations and lifetimes
//! make the completions of one function in one subnet, or its init phases, monotone), and a
//! FIFO does those in O(1) instead of a heap's O(log n) with cache misses. The caller names the
//! lanes an event may go to (one group per kind of event); the event goes to the lane of that
//! group whose last event is the latest one not after it ("best fit", so that interleaved
//! monotone streams, e.g. the completions of two subnets with different path latencies, each
//! keep a lane of their own), else to the heap. Pops take the minimum of the heap top and the
//! lane fronts by `(time, seq)`, a total order, so the sequence of events is exactly a plain
//! heap's: the lanes change speed, never results.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::ops::Range;

/// Something with a time and a unique sequence number.
pub trait Timed: Copy {
    fn key(&self) -> (u64, u64);
}

#[derive(Clone, Copy)]
struct ByKey<E: Timed>(E);

impl<E: Timed> PartialEq for ByKey<E> {
    fn eq(&self, o: &Self) -> bool {
        self.0.key() == o.0.key()
    }
}
impl<E: Timed> Eq for ByKey<E> {}
impl<E: Timed> PartialOrd for ByKey<E> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<E: Timed> Ord for ByKey<E> {
    // Reversed: BinaryHeap is a max-heap and we want the earliest.
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.key().cmp(&self.0.key())
    }
}

/// Number of lanes (shared out among the kinds of events by the caller).
pub const LANES: usize = 9;

/// Where the earliest event is: a lane, or the heap (`LANES`).
pub type Source = usize;

/// `(time, seq)` as one number with the same order.
#[inline]
fn wide(e: &impl Timed) -> u128 {
    let (t, s) = e.key();
    ((t as u128) << 64) | s as u128
}

/// Priority queue of events ordered by `(time, seq)`.
#[derive(Clone)]
pub struct EventQueue<E: Timed> {
    heap: BinaryHeap<ByKey<E>>,
    lanes: [VecDeque<E>; LANES],
    /// Key of each lane's first event, then of the heap's top (`u128::MAX` when empty): the
    /// earliest event is found by scanning this small array.
    fronts: [u128; LANES + 1],
    /// Key of each lane's last event, 0 when the lane is empty (below every key, so that a lane
    /// in use is preferred to an empty one).
    backs: [u128; LANES],
    /// The smallest of `fronts` and where it is (kept up to date on push, found again on pop).
    min: u128,
    min_src: Source,
}

impl<E: Timed> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            lanes: Default::default(),
            fronts: [u128::MAX; LANES + 1],
            backs: [0; LANES],
            min: u128::MAX,
            min_src: LANES,
        }
    }
}

impl<E: Timed + std::fmt::Debug> std::fmt::Debug for EventQueue<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EventQueue({} events)", self.len())
    }
}

impl<E: Timed> EventQueue<E> {
    /// Adds an event, to one of `lanes` if it fits after a lane's last event.
    #[inline]
    pub fn push(&mut self, e: E, lanes: Range<usize>) {
        let k = wide(&e);
        let mut best = LANES;
        let mut best_back = 0;
        for i in lanes {
            let b = self.backs[i];
            if b <= k && (best == LANES || b > best_back) {
                best = i;
                best_back = b;
            }
        }
        if best < LANES {
            if self.backs[best] == 0 {
                self.fronts[best] = k;
            }
            self.backs[best] = k;
            self.lanes[best].push_back(e);
        } else {
            self.heap.push(ByKey(e));
            if k < self.fronts[LANES] {
                self.fronts[LANES] = k;
            }
        }
        if k < self.min {
            self.min = k;
            self.min_src = best;
        }
    }

    /// Time and place of the earliest event.
    #[inline]
    pub fn peek(&self) -> Option<(u64, Source)> {
        (self.min != u128::MAX).then_some(((self.min >> 64) as u64, self.min_src))
    }

    /// Finds the earliest front again.
    #[inline]
    fn rescan(&mut self) {
        let mut src = 0;
        let mut min = self.fronts[0];
        for (i, &k) in self.fronts.iter().enumerate().skip(1) {
            if k < min {
                min = k;
                src = i;
            }
        }
        self.min = min;
        self.min_src = src;
    }

    /// Time of the earliest event.
    #[cfg(test)]
    pub fn peek_time(&self) -> Option<u64> {
        self.peek().map(|(t, _)| t)
    }

    /// Removes the earliest event, found by [`EventQueue::peek`] (nothing pushed since).
    #[inline]
    pub fn pop_from(&mut self, src: Source) -> Option<E> {
        debug_assert_eq!(src, self.min_src);
        let e = if src >= LANES {
            let e = self.heap.pop()?.0;
            self.fronts[LANES] = self.heap.peek().map_or(u128::MAX, |x| wide(&x.0));
            e
        } else {
            let lane = &mut self.lanes[src];
            let e = lane.pop_front()?;
            match lane.front() {
                Some(f) => self.fronts[src] = wide(f),
                None => {
                    self.fronts[src] = u128::MAX;
                    self.backs[src] = 0;
                }
            }
            e
        };
        self.rescan();
        Some(e)
    }

    /// Removes the earliest event.
    #[cfg(test)]
    pub fn pop(&mut self) -> Option<E> {
        let (_, src) = self.peek()?;
        self.pop_from(src)
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(|l| l.len()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Ev(u64, u64, usize);
    impl Timed for Ev {
        fn key(&self) -> (u64, u64) {
            (self.0, self.1)
        }
    }

    /// Lane groups as the engine shares them out (some of one lane, some of several).
    const GROUPS: [Range<usize>; 4] = [0..2, 2..6, 6..7, 7..9];

    proptest! {
        /// Interleaved pushes and pops come out exactly as from a plain heap.
        #[test]
        fn same_order_as_a_heap(ops in prop::collection::vec((0u64..50, 0usize..4, any::<bool>()), 1..300)) {
            let mut q = EventQueue::default();
            let mut reference = BinaryHeap::new();
            let mut now = 0;
            for (seq, (dt, group, pop)) in ops.into_iter().enumerate() {
                if pop {
                    let a = q.pop();
                    let b = reference.pop().map(|std::cmp::Reverse((t, s, l))| Ev(t, s, l));
                    prop_assert_eq!(a, b);
                    if let Some(e) = a { now = e.0; }
                } else {
                    let e = Ev(now + dt, seq as u64 + 1, group);
                    q.push(e, GROUPS[group].clone());
                    reference.push(std::cmp::Reverse((e.0, e.1, e.2)));
                }
                prop_assert_eq!(q.peek_time(), reference.peek().map(|r| r.0.0));
            }
            while let Some(b) = reference.pop() {
                prop_assert_eq!(q.pop(), Some(Ev(b.0.0, b.0.1, b.0.2)));
            }
            prop_assert_eq!(q.len(), 0);
        }

        /// Streams with a constant delay each (completions in subnets with different latency)
        /// never need the heap when there are lanes enough.
        #[test]
        fn interleaved_monotone_streams_stay_in_lanes(delays in prop::collection::vec(0u64..5_000, 1..4), picks in prop::collection::vec(0usize..4, 1..200)) {
            let mut q = EventQueue::default();
            for (seq, p) in picks.iter().enumerate() {
                let d = delays[p % delays.len()];
                q.push(Ev(seq as u64 * 100 + d, seq as u64 + 1, 0), GROUPS[1].clone());
            }
            prop_assert_eq!(q.heap.len(), 0);
        }
    }
}
