//! The preset scenario library (`www/scenarios`): every preset the index lists exists, tells
//! its story (title, description, sources, chapters in order within the run), validates, runs
//! headless with every headline check passing, and every compare-mode variant validates and
//! runs. Each test collects every problem before failing, so one run shows them all.

use lambdascape_engine::chart::ChartKind;
use lambdascape_engine::checks;
use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::{Options, Simulation};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Topics a preset may be filed under in the picker.
const TOPICS: &[&str] = &["scaling", "concurrency", "provisioned", "async", "event-sources", "vpc", "cost"];
/// Limit lines a chapter may highlight.
const LIMITS: &[&str] = &["account", "reserved", "burst", "provisioned"];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios")
}

struct Entry {
    id: String,
    title: String,
}

/// The index's entries, after checking its own shape.
fn index() -> Vec<Entry> {
    let path = dir().join("index.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("index.json is not JSON: {e}"));
    assert_eq!(v["version"], 1, "index.json: version must be 1");
    let list = v["presets"].as_array().expect("index.json: `presets` must be a list");
    assert!(!list.is_empty(), "index.json lists no preset");
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let id = e["id"].as_str().unwrap_or_default().to_string();
        let at = format!("index.json presets[{i}] ({id})");
        if id.is_empty() {
            problems.push(format!("{at}: no id"));
            continue;
        }
        if !seen.insert(id.clone()) {
            problems.push(format!("{at}: listed twice"));
        }
        for field in ["title", "summary"] {
            if e[field].as_str().is_none_or(str::is_empty) {
                problems.push(format!("{at}: no {field}"));
            }
        }
        match e["topics"].as_array() {
            Some(t) if !t.is_empty() => {
                for topic in t {
                    if !topic.as_str().is_some_and(|s| TOPICS.contains(&s)) {
                        problems.push(format!("{at}: unknown topic {topic} (use one of {TOPICS:?})"));
                    }
                }
            }
            _ => problems.push(format!("{at}: no topics")),
        }
        out.push(Entry { id, title: e["title"].as_str().unwrap_or_default().to_string() });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    out
}

fn load(id: &str) -> Result<ScenarioSpec, String> {
    let path = dir().join(format!("{id}.json"));
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("{id}: cannot read {}: {e}", path.display()))?;
    ScenarioSpec::from_json(&text).map_err(|e| format!("{id}: does not parse:\n{e}"))
}

fn run(spec: &ScenarioSpec) -> Result<Simulation, String> {
    let scenario = spec.validate().map_err(|e| format!("does not validate:\n{e}"))?;
    let mut sim = Simulation::with_seed(scenario, spec.seed, Options::default());
    sim.run();
    Ok(sim)
}

/// What a chapter highlight names must exist in the scenario.
fn check_highlight(spec: &ScenarioSpec, h: &str) -> Result<(), String> {
    let (kind, name) = h.split_once(':').ok_or_else(|| format!("'{h}' is not kind:name"))?;
    let ok = match kind {
        "function" => spec.functions.iter().any(|f| f.name == name),
        "subnet" => spec.vpc.as_ref().is_some_and(|v| v.subnets.iter().any(|s| s.name == name)),
        "nat" => spec.vpc.as_ref().is_some_and(|v| v.nat_gateways.iter().any(|n| n.name == name)),
        "limit" => LIMITS.contains(&name),
        // Charts by the names the CLI's `render` takes (the app maps them to its chart ids).
        "chart" => ChartKind::from_name(name).is_some(),
        _ => return Err(format!("'{h}': unknown kind '{kind}'")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("'{h}' names nothing in the scenario"))
    }
}

/// The story parts: title, description, sources, chapters (3–6, in order, within the run).
fn check_story(id: &str, title: &str, spec: &ScenarioSpec, problems: &mut Vec<String>) {
    if spec.name != id {
        problems.push(format!("{id}: name is '{}', not the file stem", spec.name));
    }
    if spec.title.is_empty() {
        problems.push(format!("{id}: no title"));
    } else if spec.title != title {
        problems.push(format!("{id}: title differs from the index's ('{}' vs '{title}')", spec.title));
    }
    let sentences = spec.description.matches(". ").count() + 1;
    if spec.description.is_empty() || !(2..=5).contains(&sentences) {
        problems.push(format!("{id}: the description should tell the story in 2-5 sentences ({sentences})"));
    }
    if spec.sources.is_empty() || spec.sources.iter().any(String::is_empty) {
        problems.push(format!("{id}: no sources"));
    }
    if !(3..=6).contains(&spec.chapters.len()) {
        problems.push(format!("{id}: {} chapters (want 3-6)", spec.chapters.len()));
    }
    let horizon = spec.duration.micros();
    let mut last = 0;
    for (i, c) in spec.chapters.iter().enumerate() {
        let at = c.at.micros();
        if !c.at.is_valid() || at > horizon {
            problems.push(format!("{id}: chapter {i} '{}' starts after the end of the run", c.title));
        }
        if at < last {
            problems.push(format!("{id}: chapter {i} '{}' starts before the chapter it follows", c.title));
        }
        last = at;
        if c.title.is_empty() || c.text.is_empty() {
            problems.push(format!("{id}: chapter {i} needs a title and a text"));
        }
        for h in &c.highlight {
            if let Err(e) = check_highlight(spec, h) {
                problems.push(format!("{id}: chapter {i}: {e}"));
            }
        }
    }
    if spec.checks.is_empty() {
        problems.push(format!("{id}: no headline checks"));
    }
    for c in &spec.checks {
        if c.source.is_empty() {
            problems.push(format!("{id}: check {} has no source", c.metric));
        }
    }
}

#[test]
fn every_preset_tells_its_story_runs_and_passes_its_checks() {
    let mut problems = Vec::new();
    for Entry { id, title } in index() {
        let spec = match load(&id) {
            Ok(s) => s,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        check_story(&id, &title, &spec, &mut problems);
        let sim = match run(&spec) {
            Ok(s) => s,
            Err(e) => {
                problems.push(format!("{id}: {e}"));
                continue;
            }
        };
        for r in checks::evaluate_spec(&spec, &sim) {
            if !r.passed {
                let show = |x: Option<f64>, none: &str| x.map_or(none.to_string(), |v| v.to_string());
                problems.push(format!(
                    "{id}: check {} = {} not in [{}, {}]: {}",
                    r.metric,
                    show(r.value, "no value"),
                    show(r.min, "-inf"),
                    show(r.max, "+inf"),
                    r.note
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_variant_validates_and_runs() {
    let mut problems = Vec::new();
    for Entry { id, .. } in index() {
        let Ok(spec) = load(&id) else { continue }; // reported by the test above
        for (i, v) in spec.variants.iter().enumerate() {
            let at = format!("{id}: variant {i} '{}'", v.name);
            if v.name.is_empty() || v.description.is_empty() {
                problems.push(format!("{at}: needs a name and a description"));
            }
            match spec.variant(i) {
                Err(e) => problems.push(format!("{at}: the patch does not apply:\n{e}")),
                Ok(vs) => match run(&vs) {
                    Err(e) => problems.push(format!("{at}: {e}")),
                    Ok(sim) => {
                        if sim.summary().requests == 0 {
                            problems.push(format!("{at}: no request arrived"));
                        }
                    }
                },
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_scenario_file_is_in_the_index() {
    let listed: BTreeSet<String> = index().into_iter().map(|e| e.id).collect();
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(dir()).expect("www/scenarios exists") {
        let path = entry.expect("readable directory").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if let Some(stem) = name.strip_suffix(".json") {
            if stem != "index" && !listed.contains(stem) {
                unlisted.push(name.to_string());
            }
        }
    }
    assert!(unlisted.is_empty(), "www/scenarios files missing from index.json: {unlisted:?}");
}
