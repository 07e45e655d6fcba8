//! Stable sorting that compiles to one sort routine in the wasm builds.
//!
//! The standard library's sorts are generic over the element and the comparison, so each call
//! site with its own element type or closure gets its own copy of the sort (about 4.5 KB of
//! wasm each). In wasm, [`sort_by`] sorts a list of `u32` indices with a `dyn` comparison (one
//! copy for the whole program) and then moves the elements into that order. Natively it is the
//! standard stable sort. Both are stable, so both give the same order for the same input: the
//! results do not depend on the platform.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, keeping equal elements in their order (like `slice::sort_by`).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if cfg!(target_arch = "wasm32") {
        by_indices(v, &mut cmp);
    } else {
        #[allow(clippy::disallowed_methods)] // natively, the standard stable sort
        v.sort_by(cmp);
    }
}

/// Sorts `v` by a key, keeping equal elements in their order (like `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` (like `slice::sort`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The set of `items`, like `collect::<BTreeSet<_>>()`, which sorts the items first (one more
/// copy of the sort per item type in wasm); this inserts them one by one.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> std::collections::BTreeSet<T> {
    let mut set = std::collections::BTreeSet::new();
    for x in items {
        set.insert(x);
    }
    set
}

/// The map of `pairs` (the last value of a key wins), like `collect::<BTreeMap<_, _>>()`
/// without its sort.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> std::collections::BTreeMap<K, V> {
    let mut map = std::collections::BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// The wasm path: sorts indices, then permutes `v` in place.
fn by_indices<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<u32> = (0..v.len() as u32).collect();
    {
        let items: &[T] = v;
        sort_indices(&mut order, &mut |a, b| cmp(&items[a as usize], &items[b as usize]));
    }
    // `order[i]` is the old position of the element that goes to `i`: follow each cycle.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != u32::MAX {
            let from = order[at] as usize;
            order[at] = u32::MAX;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[inline(never)]
fn sort_indices(order: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    #[allow(clippy::disallowed_methods)] // the one sort routine of the wasm builds
    order.sort_by(|a, b| cmp(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The wasm path gives exactly the standard stable sort's order, equal keys included.
        #[test]
        fn indices_path_is_the_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut expected = v.clone();
            expected.sort_by_key(|p| p.0);
            let mut got = v.clone();
            by_indices(&mut got, &mut |a: &(u8, u16), b: &(u8, u16)| a.0.cmp(&b.0));
            prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn sorts_strings_and_keys() {
        let mut names = vec!["b".to_string(), "a".into(), "c".into(), "a".into()];
        by_indices(&mut names, &mut |a: &String, b: &String| a.cmp(b));
        assert_eq!(names, ["a", "a", "b", "c"]);
        let mut v = vec![3, 1, 2];
        sort_by_key(&mut v, |x| std::cmp::Reverse(*x));
        assert_eq!(v, [3, 2, 1]);
    }

    #[test]
    fn sets_and_maps_as_collect_builds_them() {
        let items = [5, 1, 5, 3, 1];
        assert_eq!(set_of(items), items.into_iter().collect());
        let pairs = [(2, "a"), (1, "b"), (2, "c")];
        assert_eq!(map_of(pairs), pairs.into_iter().collect());
        assert_eq!(map_of(pairs)[&2], "c");
    }
}
