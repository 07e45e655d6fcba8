//! The topology's line router: orthogonal routes that keep off every box a line does not
//! connect, along the gaps between them (A* over the sparse grid of the boxes' edges, the
//! endpoints and the middles of the gaps between them, with a cost per bend), each in its own
//! lane beside the lines routed before it where they share a gap.

use super::Rect;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Clearance kept from boxes a line does not connect (grid lines sit this far out).
const CLEAR: f64 = 5.0;
/// A line may come no nearer to a box it does not connect than this.
const TOUCH: f64 = 2.0;
/// What one bend costs, in pixels of length.
const BEND: f64 = 24.0;
/// Lines that share a gap run this far apart.
pub(super) const LANE: f64 = 4.0;
/// What a pixel of line costs over an earlier one (less than a lane from it), in pixels.
const SHARE: f64 = 96.0;

/// The coordinates of the grid along one axis: `v` (with `ends` in it) and the middle of each
/// gap between two of them, inside `lo..=hi`.
fn axis(ends: [f64; 2], mut v: Vec<f64>, lo: f64, hi: f64) -> Vec<f64> {
    v.retain(|x| *x >= lo && *x <= hi);
    // An edge within half a pixel of an end is the end (the route starts and ends exactly there).
    for x in v.iter_mut() {
        if let Some(e) = ends.iter().find(|e| (**e - *x).abs() < 0.5) {
            *x = *e;
        }
    }
    crate::size::order::sort_by(&mut v, f64::total_cmp);
    v.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    let mut out = Vec::with_capacity(v.len() * 2);
    for (i, &x) in v.iter().enumerate() {
        if i > 0 && x - v[i - 1] > 4.0 * CLEAR {
            out.push((x + v[i - 1]) / 2.0);
        }
        out.push(x);
    }
    out
}

/// The indices of `xs` strictly inside `lo..hi`, as a range.
fn within(xs: &[f64], lo: f64, hi: f64) -> std::ops::Range<usize> {
    xs.partition_point(|x| *x <= lo)..xs.partition_point(|x| *x < hi)
}

/// `p`'s coordinate along axis `k` (0: x).
fn coord(p: (f64, f64), k: usize) -> f64 {
    if k == 0 {
        p.0
    } else {
        p.1
    }
}

/// `r`'s extent along axis `k` (0: x).
fn span(r: &Rect, k: usize) -> (f64, f64) {
    if k == 0 {
        (r.x, r.x + r.w)
    } else {
        (r.y, r.y + r.h)
    }
}

/// Adds `w` per pixel to the cost of the moves of the grid `g` (its xs and ys) along axis `k`
/// over the inside of `along`, at a coordinate strictly inside `across`.
fn mark(cost: &mut [f64], g: [&[f64]; 2], k: usize, along: (f64, f64), across: (f64, f64), w: f64) {
    let (a, nx) = (g[k], g[0].len());
    // The moves that overlap `along`: from the last coordinate at or before its start to the
    // last one before its end.
    let on = within(a, along.0, along.1);
    for j in within(g[1 - k], across.0, across.1) {
        for i in on.start.saturating_sub(1)..on.end.min(a.len().saturating_sub(1)) {
            let over = a[i + 1].min(along.1) - a[i].max(along.0);
            if over > 0.0 {
                cost[2 * if k == 0 { i + nx * j } else { j + nx * i } + k] += w * over;
            }
        }
    }
}

/// A straight piece of a line: the axis it runs along, its other coordinate, from, to.
type Seg = (usize, f64, f64, f64);

/// Appends the straight pieces of the line `r` to `out`, less what lies inside `free`.
fn segments(r: &[(f64, f64)], free: Rect, out: &mut Vec<Seg>) {
    for w in r.windows(2) {
        let k = if w[0].1 == w[1].1 {
            0
        } else if w[0].0 == w[1].0 {
            1
        } else {
            continue;
        };
        let (c, p, q) = (coord(w[0], 1 - k), coord(w[0], k), coord(w[1], k));
        let ((f0, f1), (o0, o1)) = (span(&free, k), span(&free, 1 - k));
        let (lo, hi) = (p.min(q), p.max(q));
        // The parts before and after `free` (when it is across the piece).
        let (to, from) = if c > o0 && c < o1 { (hi.min(f0), lo.max(f1)) } else { (hi, hi) };
        if lo < to {
            out.push((k, c, lo, to));
        }
        if from < hi {
            out.push((k, c, from, hi));
        }
    }
}

/// An orthogonal route from `a` to `b` inside `bounds` that passes through none of `blocks`
/// (nor within [`TOUCH`] of one), with as few bends as its length allows, in lanes of its own
/// beside the lines `used` (every pixel over one of them costs [`SHARE`], but over one that
/// ends at `a` or at `b`, inside `near` around that end); `None` when there is none.
/// Deterministic: ties go to the lower grid index.
pub fn route(
    a: (f64, f64),
    b: (f64, f64),
    blocks: &[Rect],
    bounds: Rect,
    used: &[Vec<(f64, f64)>],
    near: [Rect; 2],
) -> Option<Vec<(f64, f64)>> {
    let mut segs = vec![];
    for r in used {
        let ends = |p| r.first() == Some(&p) || r.last() == Some(&p);
        let free = if ends(a) {
            near[0]
        } else if ends(b) {
            near[1]
        } else {
            Rect::default()
        };
        segments(r, free, &mut segs);
    }
    // The grid: the ends, every box's edges CLEAR out, lanes beside the lines before.
    let mut v = [vec![a.0, b.0], vec![a.1, b.1]];
    for r in blocks {
        for (k, v) in v.iter_mut().enumerate() {
            let (lo, hi) = span(r, k);
            v.push(lo - CLEAR);
            v.push(hi + CLEAR);
        }
    }
    for s in &segs {
        v[1 - s.0].push(s.1 - LANE);
        v[1 - s.0].push(s.1 + LANE);
    }
    let [vx, vy] = v;
    let xs = axis([a.0, b.0], vx, bounds.x, bounds.x + bounds.w);
    let ys = axis([a.1, b.1], vy, bounds.y, bounds.y + bounds.h);
    let (nx, ny) = (xs.len(), ys.len());
    // What each move costs besides its length: `edge[2 * (i + nx * j)]` from (i, j) to
    // (i + 1, j), `+ 1` to (i, j + 1): infinite over a box (or within TOUCH of one), SHARE a
    // pixel over the lines before.
    let mut edge = vec![0.0; nx * ny * 2];
    let g = [&xs[..], &ys[..]];
    for r in blocks {
        for k in 0..2 {
            let ((lo, hi), o) = (span(r, k), span(r, 1 - k));
            mark(&mut edge, g, k, (lo - TOUCH, hi + TOUCH), (o.0 - TOUCH, o.1 + TOUCH), f64::INFINITY);
        }
    }
    for &(k, c, lo, hi) in &segs {
        mark(&mut edge, g, k, (lo, hi), (c - LANE + 0.5, c + LANE - 0.5), SHARE);
    }
    let at = |p: (f64, f64)| {
        let i = xs.iter().position(|x| (*x - p.0).abs() < 0.5)?;
        let j = ys.iter().position(|y| (*y - p.1).abs() < 0.5)?;
        Some(i + nx * j)
    };
    let (start, goal) = (at(a)?, at(b)?);
    let h = |n: usize| (xs[n % nx] - b.0).abs() + (ys[n / nx] - b.1).abs();
    // States: node * 4 + the direction it was entered in (0 right, 1 left, 2 down, 3 up).
    let mut cost = vec![f64::INFINITY; nx * ny * 4];
    let mut prev = vec![u32::MAX; nx * ny * 4];
    let mut heap = BinaryHeap::new();
    // Heap entries: the cost to beat (in 1/64 px) over the state.
    let key = |c: f64, s: usize| ((c * 64.0) as u64) << 32 | s as u64;
    for d in 0..4 {
        cost[start * 4 + d] = 0.0;
        heap.push(Reverse(key(h(start), start * 4 + d)));
    }
    while let Some(Reverse(k)) = heap.pop() {
        let s = k as u32 as usize;
        let (n, d) = (s / 4, s % 4);
        if k > key(cost[s] + h(n), s) {
            continue;
        }
        if n == goal {
            return Some(trace(&prev, s, &xs, &ys, nx));
        }
        let (i, j) = (n % nx, n / nx);
        let moves = [
            (i + 1 < nx).then(|| n + 1),
            (i > 0).then(|| n - 1),
            (j + 1 < ny).then(|| n + nx),
            (j > 0).then(|| n - nx),
        ];
        for (nd, m) in moves.into_iter().enumerate() {
            let Some(m) = m else { continue };
            let step = (xs[m % nx] - xs[i]).abs() + (ys[m / nx] - ys[j]).abs();
            let turn = if n != start && nd != d { BEND } else { 0.0 };
            // The move's index in `edge`: its node up or left, then its axis.
            let c = cost[s] + step + turn + edge[2 * n.min(m) + nd / 2];
            let t = m * 4 + nd;
            if c < cost[t] {
                cost[t] = c;
                prev[t] = s as u32;
                heap.push(Reverse(key(c + h(m), t)));
            }
        }
    }
    None
}

/// The corners of the route ending in state `s`, from its start.
fn trace(prev: &[u32], mut s: usize, xs: &[f64], ys: &[f64], nx: usize) -> Vec<(f64, f64)> {
    let mut pts = vec![];
    loop {
        let n = s / 4;
        pts.push((xs[n % nx], ys[n / nx]));
        if prev[s] == u32::MAX {
            break;
        }
        s = prev[s] as usize;
    }
    pts.reverse();
    simplify(pts)
}

/// `pts` without repeated points and the middle points of straight runs.
pub fn simplify(pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for p in pts {
        if out.last() == Some(&p) {
            continue;
        }
        let n = out.len();
        if n >= 2 {
            let (a, b) = (out[n - 2], out[n - 1]);
            if (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1) {
                out[n - 1] = p;
                continue;
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the line `r` runs over one of `used` (less than a lane from it).
    fn crowded(r: &[(f64, f64)], used: &[Vec<(f64, f64)>]) -> bool {
        let (mut mine, mut theirs) = (vec![], vec![]);
        segments(r, Rect::default(), &mut mine);
        for u in used {
            segments(u, Rect::default(), &mut theirs);
        }
        theirs.iter().any(|s| {
            mine.iter().any(|m| m.0 == s.0 && (m.1 - s.1).abs() < LANE - 0.5 && m.2.max(s.2) < m.3.min(s.3))
        })
    }

    fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// Whether the segment from `p` to `q` (axis-parallel) passes within `TOUCH` of `b`'s inside.
    fn hits(p: (f64, f64), q: (f64, f64), b: &Rect) -> bool {
        let (x0, x1) = (p.0.min(q.0), p.0.max(q.0));
        let (y0, y1) = (p.1.min(q.1), p.1.max(q.1));
        x0 < b.x + b.w + TOUCH && x1 > b.x - TOUCH && y0 < b.y + b.h + TOUCH && y1 > b.y - TOUCH
    }

    fn check(
        a: (f64, f64),
        b: (f64, f64),
        blocks: &[Rect],
        bounds: Rect,
        used: &[Vec<(f64, f64)>],
    ) -> Vec<(f64, f64)> {
        let pts = route(a, b, blocks, bounds, used, [Rect::default(); 2]).expect("a route");
        assert_eq!(pts.first(), Some(&a));
        assert_eq!(pts.last(), Some(&b));
        for w in pts.windows(2) {
            assert!(w[0].0 == w[1].0 || w[0].1 == w[1].1, "orthogonal: {pts:?}");
            for o in blocks {
                assert!(!hits(w[0], w[1], o), "{:?}-{:?} through {o:?}", w[0], w[1]);
            }
        }
        pts
    }

    #[test]
    fn straight_when_free_around_when_blocked() {
        let bounds = r(0.0, 0.0, 400.0, 300.0);
        assert_eq!(check((10.0, 50.0), (300.0, 50.0), &[], bounds, &[]), vec![(10.0, 50.0), (300.0, 50.0)]);
        let wall = [r(100.0, 20.0, 40.0, 200.0)];
        let pts = check((10.0, 50.0), (300.0, 50.0), &wall, bounds, &[]);
        assert_eq!(pts.len(), 4, "over the wall and back: {pts:?}");
        // A wall across the whole height: no route.
        assert!(route(
            (10.0, 50.0),
            (300.0, 50.0),
            &[r(100.0, -5.0, 40.0, 310.0)],
            bounds,
            &[],
            [Rect::default(); 2]
        )
        .is_none());
    }

    #[test]
    fn lines_through_one_gap_run_in_lanes_of_their_own() {
        // A wall with a gap: lines from the left to the right all pass through it, side by side.
        let bounds = r(0.0, 0.0, 400.0, 300.0);
        let walls = [r(180.0, 0.0, 40.0, 130.0), r(180.0, 170.0, 40.0, 130.0)];
        let (mut used, mut alone) = (vec![], vec![]);
        for k in 0..4 {
            let (a, b) = ((20.0, 40.0 + 60.0 * k as f64), (380.0, 260.0 - 60.0 * k as f64));
            let p = check(a, b, &walls, bounds, &used);
            assert!(!crowded(&p, &used), "{p:?} over {used:?}");
            used.push(p);
            alone.push(check(a, b, &walls, bounds, &[]));
        }
        // Each by itself, they take the same track.
        assert!((1..4).any(|k| crowded(&alone[k], &alone[..k])), "{alone:?}");
    }

    #[test]
    fn mazes_of_boxes_are_crossed_through_their_gaps() {
        // A grid of boxes with gaps between them, endpoints in the gaps at every corner.
        let bounds = r(0.0, 0.0, 600.0, 500.0);
        let mut blocks = vec![];
        for i in 0..5 {
            for j in 0..4 {
                blocks.push(r(20.0 + i as f64 * 115.0, 20.0 + j as f64 * 120.0, 95.0, 100.0));
            }
        }
        let ends = [(5.0, 5.0), (595.0, 495.0), (125.0, 250.0), (470.0, 130.0), (5.0, 495.0)];
        for a in ends {
            for b in ends {
                if a != b {
                    let p = check(a, b, &blocks, bounds, &[]);
                    assert!(p.len() <= 6, "few bends from {a:?} to {b:?}: {p:?}");
                }
            }
        }
    }
}
