//! The event queue: a binary heap plus a few FIFO "lanes".
//!
//! Most events are pushed in time order within their kind (constant durations and lifetimes
//! make completions and expiries monotone), and a FIFO does those in O(1) instead of a heap's
//! O(log n) with cache misses. An event goes to its kind's lane when it is not earlier than the
//! lane's last event, else to the heap. Pops take the minimum of the heap top and the lane
//! fronts by `(time, seq)`, a total order, so the sequence of events is exactly a plain
//! heap's: the lanes change speed, never results.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Something with a time and a unique sequence number.
pub trait Timed: Copy {
    fn key(&self) -> (u64, u64);
    /// Which lane may hold it (events of one lane tend to arrive in time order).
    fn lane(&self) -> usize;
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

/// Number of lanes (one per event kind).
pub const LANES: usize = 4;

/// Priority queue of events ordered by `(time, seq)`.
#[derive(Clone)]
pub struct EventQueue<E: Timed> {
    heap: BinaryHeap<ByKey<E>>,
    lanes: [VecDeque<E>; LANES],
}

impl<E: Timed> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue { heap: BinaryHeap::new(), lanes: Default::default() }
    }
}

impl<E: Timed + std::fmt::Debug> std::fmt::Debug for EventQueue<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EventQueue({} events)", self.len())
    }
}

impl<E: Timed> EventQueue<E> {
    #[inline]
    pub fn push(&mut self, e: E) {
        let lane = &mut self.lanes[e.lane() % LANES];
        if lane.back().is_none_or(|b| b.key() <= e.key()) {
            lane.push_back(e);
        } else {
            self.heap.push(ByKey(e));
        }
    }

    /// Where the earliest event is: `None` = heap, `Some(i)` = lane `i`.
    #[inline]
    fn min_source(&self) -> Option<(u64, u64, Option<usize>)> {
        let mut best = self.heap.peek().map(|e| {
            let (t, s) = e.0.key();
            (t, s, None)
        });
        for (i, lane) in self.lanes.iter().enumerate() {
            if let Some(f) = lane.front() {
                let (t, s) = f.key();
                if best.is_none_or(|(bt, bs, _)| (t, s) < (bt, bs)) {
                    best = Some((t, s, Some(i)));
                }
            }
        }
        best
    }

    /// Time of the earliest event.
    #[inline]
    pub fn peek_time(&self) -> Option<u64> {
        self.min_source().map(|(t, _, _)| t)
    }

    #[inline]
    pub fn pop(&mut self) -> Option<E> {
        match self.min_source()? {
            (_, _, None) => self.heap.pop().map(|e| e.0),
            (_, _, Some(i)) => self.lanes[i].pop_front(),
        }
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
        fn lane(&self) -> usize {
            self.2
        }
    }

    proptest! {
        /// Interleaved pushes and pops come out exactly as from a plain heap.
        #[test]
        fn same_order_as_a_heap(ops in prop::collection::vec((0u64..50, 0usize..3, any::<bool>()), 1..300)) {
            let mut q = EventQueue::default();
            let mut reference = BinaryHeap::new();
            let mut now = 0;
            for (seq, (dt, lane, pop)) in ops.into_iter().enumerate() {
                if pop {
                    let a = q.pop();
                    let b = reference.pop().map(|std::cmp::Reverse((t, s, l))| Ev(t, s, l));
                    prop_assert_eq!(a, b);
                    if let Some(e) = a { now = e.0; }
                } else {
                    let e = Ev(now + dt, seq as u64, lane);
                    q.push(e);
                    reference.push(std::cmp::Reverse((e.0, e.1, e.2)));
                }
            }
            while let Some(b) = reference.pop() {
                prop_assert_eq!(q.pop(), Some(Ev(b.0.0, b.0.1, b.0.2)));
            }
            prop_assert_eq!(q.len(), 0);
        }
    }
}
