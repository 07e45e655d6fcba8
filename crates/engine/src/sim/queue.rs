//! The event queue: two binary heaps plus a few FIFO "lanes".
//!
//! Most events are pushed in time order within their stream (constant durations and lifetimes
//! make the completions of one function in one subnet, or its init phases, monotone), and a
//! FIFO does those in O(1) instead of a heap's O(log n) with cache misses. The caller names the
//! [`Group`] of lanes an event may go to (one group per kind of event); the event goes to the
//! lane of that group whose last event is the latest one not after it ("best fit", so that
//! interleaved monotone streams, e.g. the completions of two subnets with different path
//! latencies, each keep a lane of their own), else to the group's heap. The groups share out
//! two heaps so that the many far events (an idle environment's expiry check, minutes ahead)
//! do not deepen the heap of the near ones (completions, a second or so ahead): a pop sifts
//! through the whole depth of its heap. Pops take the minimum of the heap tops and the lane
//! fronts by `(time, seq)`, a total order, so the sequence of events is exactly a plain heap's:
//! the lanes and heaps change speed, never results.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::ops::Range;

/// Something with a time and a sequence number, higher than that of every event pushed before
/// it.
pub trait Timed: Copy {
    fn key(&self) -> (u64, u64);
}

#[derive(Clone, Copy)]
struct ByKey<E: Timed>(E);

impl<E: Timed> PartialEq for ByKey<E> {
    fn eq(&self, o: &Self) -> bool {
        wide(&self.0) == wide(&o.0)
    }
}
impl<E: Timed> Eq for ByKey<E> {}
impl<E: Timed> PartialOrd for ByKey<E> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<E: Timed> Ord for ByKey<E> {
    // Reversed: BinaryHeap is a max-heap and we want the earliest. One wide comparison rather
    // than a tuple's two (the heap compares at every level).
    #[inline]
    fn cmp(&self, o: &Self) -> Ordering {
        wide(&o.0).cmp(&wide(&self.0))
    }
}

/// Number of lanes (shared out among the kinds of events by the caller).
pub const LANES: usize = 9;
/// Number of heaps.
pub const HEAPS: usize = 2;
/// Lanes, then heaps.
const SOURCES: usize = LANES + HEAPS;

/// Where the events of one kind may go: the first of these lanes they fit in, else this heap.
#[derive(Debug, Clone)]
pub struct Group {
    pub lanes: Range<usize>,
    pub heap: usize,
}

/// Where the earliest event is: a lane, or heap `h` (`LANES + h`).
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
    heaps: [BinaryHeap<ByKey<E>>; HEAPS],
    lanes: [VecDeque<E>; LANES],
    /// Key of each lane's first event, then of each heap's top (`u128::MAX` when empty): the
    /// earliest event is found by scanning this small array.
    fronts: [u128; SOURCES],
    /// Time of each lane's last event, 0 when the lane is empty.
    backs: [u64; LANES],
    /// The smallest of `fronts` and where it is (kept up to date on push, found again on pop).
    min: u128,
    min_src: Source,
}

impl<E: Timed> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heaps: Default::default(),
            lanes: Default::default(),
            fronts: [u128::MAX; SOURCES],
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
    /// Adds an event, to one of the group's lanes if it fits after a lane's last event, else to
    /// its heap.
    #[inline]
    pub fn push(&mut self, e: E, group: Group) {
        let k = wide(&e);
        let time = e.key().0;
        // Best fit: the lane whose last event is the latest not after this one. Times alone
        // decide it: every event pushed has a higher `seq` than those before it, so one at the
        // same time as a lane's last still comes after it. Scored `back + 1` when it fits and 0
        // when it does not (a back of `u64::MAX` wraps to 0: the heap takes that event), so
        // the best is the highest score, the first lane on a tie; an empty lane scores 1, below
        // a lane in use whose last event is later than time 0. Which lane only changes speed.
        let (mut best, mut best_score) = (LANES, 0);
        let first = group.lanes.start;
        for (i, &back) in self.backs[group.lanes].iter().enumerate() {
            let score = if back <= time { back.wrapping_add(1) } else { 0 };
            if score > best_score {
                best = first + i;
                best_score = score;
            }
        }
        let src = if best < LANES {
            if self.fronts[best] == u128::MAX {
                self.fronts[best] = k;
            }
            self.backs[best] = time;
            self.lanes[best].push_back(e);
            best
        } else {
            self.heaps[group.heap].push(ByKey(e));
            let src = LANES + group.heap;
            if k < self.fronts[src] {
                self.fronts[src] = k;
            }
            src
        };
        if k < self.min {
            self.min = k;
            self.min_src = src;
        }
    }

    /// Time and place of the earliest event.
    #[inline]
    pub fn peek(&self) -> Option<(u64, Source)> {
        (self.min != u128::MAX).then_some(((self.min >> 64) as u64, self.min_src))
    }

    /// Finds the earliest front again: a scan of every source, of fixed length (scanning only
    /// the sources in use, by a bit mask, saved a little with few of them in use and cost more
    /// with many, e.g. twenty functions).
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
            let heap = &mut self.heaps[src - LANES];
            let e = heap.pop()?.0;
            self.fronts[src] = heap.peek().map_or(u128::MAX, |x| wide(&x.0));
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
        self.heaps.iter().map(|h| h.len()).sum::<usize>() + self.lanes.iter().map(|l| l.len()).sum::<usize>()
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
    const GROUPS: [Group; 4] = [
        Group { lanes: 0..2, heap: 0 },
        Group { lanes: 2..6, heap: 0 },
        Group { lanes: 6..7, heap: 1 },
        Group { lanes: 7..9, heap: 0 },
    ];

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
            prop_assert_eq!(q.heaps.iter().map(|h| h.len()).sum::<usize>(), 0);
        }
    }
}
