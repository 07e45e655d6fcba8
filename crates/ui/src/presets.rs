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

/// The first scenario shown, built in so that the page is useful the moment it opens: the
/// library's own file, so that it is the same scenario (its durations, chapters and checks) as
/// when it is picked again from the list, which fetches it. The rest of the library is fetched:
/// each built-in preset costs download size, and one not in the library would be listed beside
/// it.
const BUILT_IN: &[(&str, &str, &str)] = &[(
    "seed-burst-5000",
    "A news site mentions the product: 3,000 at once, then 500 more per minute",
    include_str!("../../../www/scenarios/seed-burst-5000.json"),
)];

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

#[cfg(test)]
mod tests {
    use super::*;

    fn library(file: &str) -> String {
        std::fs::read_to_string(format!("{}/../../www/scenarios/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// The first scenario shown is the library's file, listed under the library's title: picking
    /// it again from the list (which fetches the file) gives the same scenario.
    #[test]
    fn the_first_scenario_is_the_librarys_own() {
        assert_eq!(built_in_json(FIRST).as_deref(), Some(library(&format!("{FIRST}.json")).as_str()));
        let listed = merge_index(&library("index.json")).unwrap();
        let first = listed.iter().find(|p| p.id == FIRST).expect("the library lists the first scenario");
        let built = built_in().into_iter().find(|p| p.id == FIRST).unwrap();
        assert_eq!(built.title, first.title);
        assert_eq!(first.json, None, "a listed preset is fetched, not taken from the build");
    }

    /// Every built-in preset is one of the library's, so the picker lists no other.
    #[test]
    fn the_picker_lists_the_library_alone() {
        let index = library("index.json");
        let listed = merge_index(&index).unwrap();
        let ids: Vec<&str> = listed.iter().map(|p| p.id.as_str()).collect();
        assert!(ids.len() > 1);
        for p in built_in() {
            assert!(ids.contains(&p.id.as_str()), "{} is in the library", p.id);
            assert_eq!(p.json.as_deref(), Some(library(&format!("{}.json", p.id)).as_str()));
        }
        assert!(listed.iter().all(|p| p.json.is_none()), "every listed preset is the library's, fetched");
    }
}
