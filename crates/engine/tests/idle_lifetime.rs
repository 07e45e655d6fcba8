//! Idle lifetime (docs/model.md#idle-lifetime): AWS documents none, so it is an assumption with
//! a default; the preset that says so compares a short and a long lifetime on the same traffic,
//! and its texts hold for the run.

use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::{Options, Simulation};
use std::path::PathBuf;

fn cold_starts(spec: &ScenarioSpec) -> u64 {
    let mut sim = Simulation::with_seed(spec.validate().unwrap(), spec.seed, Options::default());
    sim.run();
    sim.summary().cold_starts
}

#[test]
fn the_assumed_idle_lifetime_decides_the_cold_starts_of_the_same_traffic() {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios/idle-lifetime-assumption.json");
    let spec = ScenarioSpec::from_json(&std::fs::read_to_string(p).unwrap()).unwrap();
    let names: Vec<_> = spec.variants.iter().map(|v| v.name.as_str()).collect();
    let short = spec.variants.iter().position(|v| v.name.starts_with("short")).expect("a short variant");
    let long = spec.variants.iter().position(|v| v.name.starts_with("long")).expect("a long variant");
    let (base, short, long) = (
        cold_starts(&spec),
        cold_starts(&spec.variant(short).unwrap()),
        cold_starts(&spec.variant(long).unwrap()),
    );
    // 6 rushes in 2 hours, 20 minutes apart: a lifetime under 20 minutes makes each one cold
    // (about 6 x the first rush's cold starts); over 20 minutes (default 30-45, or about an
    // hour) later rushes find the first rush's environments.
    assert!(short > 4 * long, "short {short}, long {long} ({names:?})");
    assert!(base <= 2 * long, "default {base}, long {long}");
    assert!(short > 3 * base, "short {short}, default {base}");
}
