//! Arrival tapes (`ArrivalTape`): a run that replays its functions' arrival times from tapes is
//! the run that draws them, event for event, over every preset and test scenario; a tape that
//! does not hold the times the run would draw (another seed, another traffic, a scenario with
//! changes) is not used; a live edit of a replayed run goes on drawing from where the tape left
//! the stream; and a sweep's plan shares tapes only between points with the same traffic.

mod common;

use lambdascape_engine::edit::{apply_live, Edit};
use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::{ArrivalTape, Options, Simulation};
use lambdascape_engine::sweep::{Axis, Job, Sweep, Target};
use lambdascape_engine::traffic::TrafficSpec;
use lambdascape_engine::Scenario;
use std::path::PathBuf;

const SECOND: u64 = 1_000_000;

/// Everything a run shows: its summary, its series and its narrative, as JSON.
fn outputs(sim: &Simulation) -> (String, String, Vec<String>, u64) {
    let rec = sim.recorder();
    let narrative = rec.narrative.iter().map(|e| format!("{} {}", e.time, e.text)).collect();
    (
        serde_json::to_string(&sim.summary()).unwrap(),
        format!("{:?} {:?}", rec.account, rec.functions),
        narrative,
        sim.state().events_processed,
    )
}

fn tapes_of(sc: &Scenario, seed: u64) -> Vec<ArrivalTape> {
    (0..sc.functions.len()).filter_map(|f| ArrivalTape::record(sc, f, seed, 10_000_000)).collect()
}

fn drawn(sc: &Scenario, seed: u64) -> Simulation {
    let mut sim = Simulation::with_seed(sc.clone(), seed, Options::default());
    sim.run();
    sim
}

fn replayed(sc: &Scenario, seed: u64, tapes: &[ArrivalTape]) -> Simulation {
    let mut sim = Simulation::with_tapes(sc.clone(), seed, Options::default(), tapes);
    sim.run();
    sim
}

fn specs_in(dir: &str) -> Vec<(String, ScenarioSpec)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name == "index.json" {
            continue;
        }
        if let Ok(spec) = ScenarioSpec::from_json(&std::fs::read_to_string(&path).unwrap()) {
            out.push((name, spec));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_replayed_run_is_the_drawn_run_for_every_preset_and_test_scenario() {
    let mut replayed_some = 0;
    for (name, spec) in specs_in("../../www/scenarios").into_iter().chain(specs_in("../../tests/scenarios")) {
        let Ok(sc) = spec.validate() else { continue };
        if !sc.epochs.is_empty() || sc.functions.is_empty() {
            continue; // their tapes are not used (next test)
        }
        if sc.horizon > 2 * 3600 * SECOND {
            continue; // days of traffic: the long ones are the benchmarks' business
        }
        let tapes = tapes_of(&sc, spec.seed);
        assert_eq!(tapes.len(), sc.functions.len(), "{name}");
        let a = drawn(&sc, spec.seed);
        let b = replayed(&sc, spec.seed, &tapes);
        assert_eq!(outputs(&a), outputs(&b), "{name}: the replayed run differs from the drawn run");
        replayed_some += 1;
    }
    assert!(replayed_some >= 20, "only {replayed_some} scenarios compared");
}

#[test]
fn a_tape_that_does_not_hold_the_runs_times_is_not_used() {
    let spec = common::load("memory-cpu-bound.json");
    let sc = spec.validate().unwrap();
    let tapes = tapes_of(&sc, 1);
    // Another seed: its own draws, not the tape's times.
    let other = drawn(&sc, 2);
    assert_ne!(outputs(&other).0, outputs(&drawn(&sc, 1)).0, "the seeds give different runs");
    assert_eq!(outputs(&replayed(&sc, 2, &tapes)), outputs(&other));
    // Another traffic.
    let mut busier = spec.clone();
    busier.functions[0].traffic = busier.functions[0].traffic.scaled(2.0).unwrap();
    let busier = busier.validate().unwrap();
    assert_eq!(outputs(&replayed(&busier, 1, &tapes)), outputs(&drawn(&busier, 1)));
    // A scenario whose traffic changes mid-run (its first part has the tape's traffic).
    let changed = apply_live(
        &spec,
        600 * SECOND,
        &Edit::SetTraffic { function: "thumbnails".into(), traffic: TrafficSpec::constant(5.0) },
    )
    .unwrap()
    .validate()
    .unwrap();
    assert!(!changed.epochs.is_empty());
    assert_eq!(outputs(&replayed(&changed, 1, &tapes)), outputs(&drawn(&changed, 1)));
}

/// The app's live edit: played past the edit, sought back to it, the scenario replaced from
/// there. Replayed from a tape up to the edit, the run then draws its own arrivals: exactly the
/// run of the edited scenario.
#[test]
fn a_live_edit_of_a_replayed_run_draws_on_from_where_the_tape_left() {
    let spec = common::load("memory-cpu-bound.json");
    let sc = spec.validate().unwrap();
    let at = 600 * SECOND;
    let edited = apply_live(
        &spec,
        at,
        &Edit::SetTraffic { function: "thumbnails".into(), traffic: TrafficSpec::constant(5.0) },
    )
    .unwrap()
    .validate()
    .unwrap();
    let opts = Options { checkpoints: true, ..Default::default() };
    let mut live = Simulation::with_tapes(sc.clone(), spec.seed, opts.clone(), &tapes_of(&sc, spec.seed));
    live.advance_to(900 * SECOND);
    live.seek(at);
    live.replace_scenario(edited.clone(), at);
    live.run();
    let mut fresh = Simulation::with_seed(edited, spec.seed, opts);
    fresh.run();
    assert_eq!(outputs(&live), outputs(&fresh));
}

#[test]
fn a_tape_is_limited_and_ends_after_the_horizon() {
    let sc = common::load("memory-cpu-bound.json").validate().unwrap();
    let tape = ArrivalTape::record(&sc, 0, 1, 10_000_000).unwrap();
    let run = drawn(&sc, 1);
    let requests = serde_json::to_value(run.summary()).unwrap()["requests"].as_u64().unwrap();
    // Every request of the run, and the one arrival after the horizon.
    assert_eq!(tape.len() as u64, requests + 1);
    assert!(ArrivalTape::record(&sc, 0, 1, tape.len() - 1).is_none(), "over the limit: no tape");
    assert!(ArrivalTape::record(&sc, 0, 1, tape.len()).is_some());
    assert!(ArrivalTape::record(&sc, 1, 1, 100).is_none(), "no such function");
}

/// A sweep's points share a tape when they have the same traffic: a memory sweep (one traffic)
/// and a traffic sweep (one each) give the same figures as drawn runs.
#[test]
fn a_sweeps_runs_are_drawn_runs_whether_they_share_tapes_or_not() {
    let spec = common::load("memory-cpu-bound.json");
    for axes in
        [vec!["memory=512,1024,2048"], vec!["traffic=0.5,1,2"], vec!["traffic=1,2", "memory=512,1024"]]
    {
        let sweep = Sweep {
            function: None,
            axes: axes.iter().map(|a| Axis::parse(a).unwrap()).collect(),
            seeds: 2,
            target: Target::default(),
        };
        let plan = sweep.plan(&spec).unwrap();
        for job in plan.jobs() {
            let sc = plan.points[job.point].scenario().as_ref().unwrap();
            let want = lambdascape_engine::sweep::RunFigures::of(&drawn(sc, job.seed));
            assert_eq!(plan.run(job), Some(want), "{axes:?} {job:?}");
        }
        assert_eq!(plan.run(Job { point: 99, seed: 1 }), None);
    }
}
