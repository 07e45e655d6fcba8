//! The topology's line router: orthogonal routes that keep off every box a line does not
//! connect, along the gaps between them (A* over the sparse grid of the boxes' edges, the
//! endpoints and the middles of the gaps between them, with a cost per bend).

use super::Rect;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Clearance kept from boxes a line does not connect (grid lines sit this far out).
const CLEAR: f64 = 5.0;
/// A line may come no nearer to a box it does not connect than this.
const TOUCH: f64 = 2.0;
/// What one bend costs, in pixels of length.
const BEND: f64 = 24.0;

/// The coordinates of the grid along one axis: `ends`, every box's edges `CLEAR` out and the
/// middle of each gap between two of them, inside `lo..=hi`.
fn axis(ends: [f64; 2], edges: impl Iterator<Item = (f64, f64)>, lo: f64, hi: f64) -> Vec<f64> {
    let mut v: Vec<f64> = ends.to_vec();
    for (a, b) in edges {
        v.push(a - CLEAR);
        v.push(b + CLEAR);
    }
    v.retain(|x| *x >= lo && *x <= hi);
    // An edge within half a pixel of an end is the end (the route starts and ends exactly there).
    for x in v.iter_mut() {
        if let Some(e) = ends.iter().find(|e| (**e - *x).abs() < 0.5) {
            *x = *e;
        }
    }
    crate::size::order::sort_by(&mut v, |a, b| a.total_cmp(b));
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

/// An orthogonal route from `a` to `b` inside `bounds` that passes through none of `blocks`
/// (nor within [`TOUCH`] of one), with as few bends as its length allows; `None` when there is
/// none. Deterministic: ties go to the lower grid index.
pub fn route(a: (f64, f64), b: (f64, f64), blocks: &[Rect], bounds: Rect) -> Option<Vec<(f64, f64)>> {
    let xs = axis([a.0, b.0], blocks.iter().map(|r| (r.x, r.x + r.w)), bounds.x, bounds.x + bounds.w);
    let ys = axis([a.1, b.1], blocks.iter().map(|r| (r.y, r.y + r.h)), bounds.y, bounds.y + bounds.h);
    let (nx, ny) = (xs.len(), ys.len());
    // Blocked moves: `right[i + nx * j]` from (i, j) to (i + 1, j), `down` to (i, j + 1).
    let mut right = vec![false; nx * ny];
    let mut down = vec![false; nx * ny];
    for r in blocks {
        let (x0, x1, y0, y1) = (r.x - TOUCH, r.x + r.w + TOUCH, r.y - TOUCH, r.y + r.h + TOUCH);
        let (ix, iy) = (within(&xs, x0, x1), within(&ys, y0, y1));
        // Moves along a row inside the box's band, over any part of it (and the moves that end
        // in it); likewise along columns.
        let sx = ix.start.saturating_sub(1)..ix.end.min(nx - 1);
        let sy = iy.start.saturating_sub(1)..iy.end.min(ny - 1);
        for j in iy.clone() {
            for i in sx.clone() {
                if xs[i] < x1 && xs[i + 1] > x0 {
                    right[i + nx * j] = true;
                }
            }
        }
        for i in ix.clone() {
            for j in sy.clone() {
                if ys[j] < y1 && ys[j + 1] > y0 {
                    down[i + nx * j] = true;
                }
            }
        }
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
    let key = |c: f64| (c * 64.0) as u64;
    for d in 0..4 {
        cost[start * 4 + d] = 0.0;
        heap.push(Reverse((key(h(start)), start * 4 + d)));
    }
    while let Some(Reverse((_, s))) = heap.pop() {
        let (n, d) = (s / 4, s % 4);
        if n == goal {
            return Some(trace(&prev, s, &xs, &ys, nx));
        }
        let (i, j) = (n % nx, n / nx);
        let moves = [
            (i + 1 < nx && !right[n]).then(|| n + 1),
            (i > 0 && !right[n - 1]).then(|| n - 1),
            (j + 1 < ny && !down[n]).then(|| n + nx),
            (j > 0 && !down[n - nx]).then(|| n - nx),
        ];
        for (nd, m) in moves.into_iter().enumerate() {
            let Some(m) = m else { continue };
            let step = (xs[m % nx] - xs[i]).abs() + (ys[m / nx] - ys[j]).abs();
            let turn = if n != start && nd != d { BEND } else { 0.0 };
            let c = cost[s] + step + turn;
            let t = m * 4 + nd;
            if c < cost[t] {
                cost[t] = c;
                prev[t] = s as u32;
                heap.push(Reverse((key(c + h(m)), t)));
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

    fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// Whether the segment from `p` to `q` (axis-parallel) passes within `TOUCH` of `b`'s inside.
    fn hits(p: (f64, f64), q: (f64, f64), b: &Rect) -> bool {
        let (x0, x1) = (p.0.min(q.0), p.0.max(q.0));
        let (y0, y1) = (p.1.min(q.1), p.1.max(q.1));
        x0 < b.x + b.w + TOUCH && x1 > b.x - TOUCH && y0 < b.y + b.h + TOUCH && y1 > b.y - TOUCH
    }

    fn check(a: (f64, f64), b: (f64, f64), blocks: &[Rect], bounds: Rect) -> Vec<(f64, f64)> {
        let pts = route(a, b, blocks, bounds).expect("a route");
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
        assert_eq!(check((10.0, 50.0), (300.0, 50.0), &[], bounds), vec![(10.0, 50.0), (300.0, 50.0)]);
        let wall = [r(100.0, 20.0, 40.0, 200.0)];
        let pts = check((10.0, 50.0), (300.0, 50.0), &wall, bounds);
        assert_eq!(pts.len(), 4, "over the wall and back: {pts:?}");
        // A wall across the whole height: no route.
        assert!(route((10.0, 50.0), (300.0, 50.0), &[r(100.0, -5.0, 40.0, 310.0)], bounds).is_none());
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
                    let p = check(a, b, &blocks, bounds);
                    assert!(p.len() <= 6, "few bends from {a:?} to {b:?}: {p:?}");
                }
            }
        }
    }
}
