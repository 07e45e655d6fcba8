//! Live changes carried over an edit: each change's patch re-expressed over the edited
//! scenario, by a three-way JSON merge (the change keeps what it set; the edit carries through
//! where it set nothing), or, for renames, by making the edit again in each version.

use super::{edit_raw, Edit, EditError};
use crate::scenario::{diff_patch, merge_patch, ChangeSpec, ScenarioSpec};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn to_value(spec: &ScenarioSpec) -> Result<Value, EditError> {
    spec.to_doc().map_err(|e| EditError::bad("", format!("the scenario cannot be written as JSON: {e}")))
}

// The changes re-expressed over an edited starting point: the scenario in force after each
// change is the old one with the edit carried through where the change did not set the same
// thing (a three-way merge), or, with `replay`, that version with the edit made again; each
// patch is recomputed from the one before. If the old changes do not apply, they are kept as
// they are (validation reports them).
pub(super) fn rebase(
    old_start: &ScenarioSpec,
    new_start: &ScenarioSpec,
    changes: &[ChangeSpec],
    replay: Option<&Edit>,
) -> Vec<ChangeSpec> {
    let (Ok(base), Ok(ours)) = (to_value(old_start), to_value(new_start)) else {
        return changes.to_vec();
    };
    let mut old = base.clone();
    let mut prev = ours.clone();
    let mut out = Vec::with_capacity(changes.len());
    for c in changes {
        let mut next_old = old.clone();
        merge_patch(&mut next_old, &c.patch);
        let replayed = replay.and_then(|edit| {
            let spec = ScenarioSpec::from_json(&next_old.to_string()).ok()?;
            let (edited, _) = edit_raw(&spec, edit).ok()?;
            to_value(&edited).ok()
        });
        let next_new = replayed.unwrap_or_else(|| merge3(&base, &ours, &next_old));
        out.push(ChangeSpec { at: c.at, label: c.label.clone(), patch: diff_patch(&prev, &next_new) });
        old = next_old;
        prev = next_new;
    }
    out
}

// Three-way merge of JSON values: what `theirs` changed from `base` wins, `ours` fills in the
// rest. Objects merge by key; lists of the same length by position; lists of named elements
// (objects with a "name" or "service", or strings) that theirs only added to, by name, keeping
// ours' order and appending theirs' additions; any other conflict goes to theirs.
fn merge3(base: &Value, ours: &Value, theirs: &Value) -> Value {
    if theirs == base {
        return ours.clone();
    }
    if ours == base || ours == theirs {
        return theirs.clone();
    }
    match (base, ours, theirs) {
        (Value::Object(b), Value::Object(o), Value::Object(t)) => {
            let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
            let mut out = serde_json::Map::new();
            for k in keys {
                let (bv, ov, tv) = (b.get(k), o.get(k), t.get(k));
                let v = if tv == bv {
                    ov.cloned()
                } else if ov == bv {
                    tv.cloned()
                } else {
                    match (bv, ov, tv) {
                        (Some(bv), Some(ov), Some(tv)) => Some(merge3(bv, ov, tv)),
                        _ => tv.cloned(),
                    }
                };
                if let Some(v) = v {
                    out.insert(k.clone(), v);
                }
            }
            Value::Object(out)
        }
        (Value::Array(b), Value::Array(o), Value::Array(t)) => {
            if b.len() == o.len() && b.len() == t.len() {
                return Value::Array(b.iter().zip(o).zip(t).map(|((b, o), t)| merge3(b, o, t)).collect());
            }
            merge_named(b, o, t).map(Value::Array).unwrap_or_else(|| theirs.clone())
        }
        _ => theirs.clone(),
    }
}

fn element_key(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("name").or_else(|| m.get("service")).and_then(Value::as_str),
        _ => None,
    }
}

fn keyed(list: &[Value]) -> Option<BTreeMap<&str, &Value>> {
    let mut out = BTreeMap::new();
    for v in list {
        if out.insert(element_key(v)?, v).is_some() {
            return None;
        }
    }
    Some(out)
}

fn merge_named(b: &[Value], o: &[Value], t: &[Value]) -> Option<Vec<Value>> {
    let (bk, ok, tk) = (keyed(b)?, keyed(o)?, keyed(t)?);
    // Only when theirs kept every element (edited some, added others); otherwise theirs wins.
    if !bk.keys().all(|k| tk.contains_key(k)) {
        return None;
    }
    let mut out = Vec::new();
    let mut done = BTreeSet::new();
    for v in o {
        let k = element_key(v)?;
        match (bk.get(k), tk.get(k)) {
            (Some(bv), Some(tv)) => out.push(merge3(bv, v, tv)),
            (Some(_), None) => {} // not reached: theirs kept every element of base
            (None, Some(tv)) => out.push((*tv).clone()),
            (None, None) => out.push(v.clone()),
        }
        done.insert(k);
    }
    for v in t {
        let k = element_key(v)?;
        // Theirs' additions; what ours removed stays removed.
        if !done.contains(k) && !bk.contains_key(k) && !ok.contains_key(k) {
            out.push(v.clone());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge3_carries_ours_where_theirs_did_not_touch() {
        let base = json!({"a": 1, "l": [{"name": "x", "v": 1}, {"name": "y", "v": 1}]});
        let ours = json!({"a": 2, "l": [{"name": "x2", "v": 1}, {"name": "y", "v": 1}]});
        let theirs =
            json!({"a": 1, "l": [{"name": "x", "v": 1}, {"name": "y", "v": 5}, {"name": "z", "v": 0}]});
        let m = merge3(&base, &ours, &theirs);
        assert_eq!(
            m,
            json!({"a": 2, "l": [{"name": "x2", "v": 1}, {"name": "y", "v": 5}, {"name": "z", "v": 0}]})
        );
        // A conflict goes to theirs.
        assert_eq!(merge3(&json!(1), &json!(2), &json!(3)), json!(3));
    }
}
