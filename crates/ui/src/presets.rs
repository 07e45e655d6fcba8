//! The scenario picker's presets: the library listed by `scenarios/index.json` (fetched at
//! run time, each preset's JSON fetched when chosen), with a few built in as a fallback when
//! the index cannot be fetched (and for the first scenario shown, without waiting).

use std::rc::Rc;

/// One preset of the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The scenario's JSON when built in; otherwise fetched from `scenarios/<id>.json`.
    pub json: Option<Rc<str>>,
}

/// The two classic stories, built in so that the page is useful the moment it opens (the rest
/// of the library is fetched: each built-in preset costs download size).
const BUILT_IN: &[(&str, &str, &str)] = &[
    (
        "seed-burst-5000",
        "Legacy burst: 3,000 at once, then +500/min",
        include_str!("../../../tests/scenarios/seed-burst-5000.json"),
    ),
    (
        "seed-mixed-subnets",
        "VPC: one private and one public subnet (times out sometimes)",
        include_str!("../../../tests/scenarios/seed-mixed-subnets.json"),
    ),
];

/// The built-in presets.
pub fn built_in() -> Vec<Preset> {
    BUILT_IN
        .iter()
        .map(|(id, title, json)| Preset {
            id: id.to_string(),
            title: title.to_string(),
            summary: String::new(),
            json: Some(Rc::from(*json)),
        })
        .collect()
}

/// The id of the first scenario shown.
pub const FIRST: &str = "seed-burst-5000";

/// Reads `scenarios/index.json`: a list of `{id, title, summary, topics}` (or an object with
/// such a list under `scenarios` or `presets`). Built-in presets the index does not list stay
/// at the end, and a listed preset that is also built in keeps the built-in JSON only as a
/// fallback (the fetched file wins, so the library can be updated without a rebuild).
pub fn merge_index(text: &str) -> Result<Vec<Preset>, String> {
    let v =
        lambdascape_engine::size::reader::parse(text).map_err(|e| format!("scenarios/index.json: {e}"))?;
    let list = match &v {
        serde_json::Value::Array(a) => a.clone(),
        serde_json::Value::Object(o) => o
            .get("scenarios")
            .or_else(|| o.get("presets"))
            .and_then(|x| x.as_array().cloned())
            .ok_or("scenarios/index.json: no list of scenarios")?,
        _ => return Err("scenarios/index.json: not a list".into()),
    };
    let mut out: Vec<Preset> = list
        .iter()
        .filter_map(|e| {
            let id = e.get("id")?.as_str()?.to_string();
            let title = e.get("title").and_then(|t| t.as_str()).unwrap_or(&id).to_string();
            let summary = e.get("summary").and_then(|t| t.as_str()).unwrap_or_default().to_string();
            Some(Preset { id, title, summary, json: None })
        })
        .collect();
    if out.is_empty() {
        return Err("scenarios/index.json lists no scenario".into());
    }
    for b in built_in() {
        if !out.iter().any(|p| p.id == b.id) {
            out.push(b);
        }
    }
    Ok(out)
}

/// The built-in JSON of a preset, if any.
pub fn built_in_json(id: &str) -> Option<Rc<str>> {
    BUILT_IN.iter().find(|b| b.0 == id).map(|b| Rc::from(b.2))
}
