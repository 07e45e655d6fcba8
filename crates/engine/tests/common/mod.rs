//! What several test files share: reading a fixture and running a scenario with its trace.

use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::{Options, Simulation};
use std::path::PathBuf;

/// The fixture `tests/scenarios/<name>`.
#[allow(dead_code)] // not every test file reads fixtures
pub fn load(name: &str) -> ScenarioSpec {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios").join(name);
    ScenarioSpec::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// `spec` run to its end with its own seed, keeping up to a million trace records.
#[allow(dead_code)] // not every test file runs them this way
pub fn run(spec: &ScenarioSpec) -> Simulation {
    let opts = Options { trace_limit: 1_000_000, ..Default::default() };
    let mut sim = Simulation::with_seed(spec.validate().unwrap_or_else(|e| panic!("{e}")), spec.seed, opts);
    sim.run();
    sim
}
