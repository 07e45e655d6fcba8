//! Durations that depend on memory (`functions[].cpu_bound`, docs/model.md#execution-environments):
//! bad values are refused with their paths; without it, or at the memory it was measured at,
//! a run is the run it was before; the CPU part scales with the vCPU one thread gets; an edit
//! of the memory (the sweep's `memory=` axis) derives the factor again; and the fixture
//! `memory-cpu-bound.json` swept over memory shows p99 falling up to one vCPU.

mod common;

use common::{load, run};
use lambdascape_engine::edit::{apply, apply_live, Edit};
use lambdascape_engine::scenario::{CpuBoundSpec, FunctionSpec, ScenarioSpec};
use lambdascape_engine::sim::Simulation;
use lambdascape_engine::sweep::{Axis, Level, Sweep, Target};
use lambdascape_engine::time::MICROS_PER_SEC;
use lambdascape_engine::traffic::TrafficSpec;

fn cpu(share: f64, at_memory_mb: u32) -> Option<CpuBoundSpec> {
    Some(CpuBoundSpec { share, at_memory_mb })
}

/// The errors of `spec`'s validation as `path: message` lines.
fn errors(spec: &ScenarioSpec) -> Vec<String> {
    spec.validate().err().map_or(vec![], |e| e.iter().map(|e| e.to_string()).collect())
}

/// One function of `duration` and `init` (JSON), at `memory_mb`, with `cpu_bound` (JSON or
/// `null`), 20 requests per second for `minutes`.
fn one(duration: &str, init: &str, memory_mb: u32, cpu_bound: &str, minutes: u32) -> ScenarioSpec {
    ScenarioSpec::from_json(&format!(
        r#"{{"version": 1, "name": "cpu", "seed": 3, "duration": "{minutes}m",
            "functions": [{{"name": "f", "memory_mb": {memory_mb}, "timeout": "30s",
              "init": {init}, "duration": {duration}, "cpu_bound": {cpu_bound},
              "traffic": {{"type": "constant", "rate": 20, "arrivals": "poisson"}}}}]}}"#
    ))
    .unwrap()
}

#[test]
fn bad_values_are_reported_with_their_paths() {
    let mut s = ScenarioSpec::new("t", vec![FunctionSpec::new("api", TrafficSpec::constant(1.0))]);
    for (c, says) in [
        (cpu(1.5, 1024), ["functions[0].cpu_bound.share: 1.5 is not a share between 0 and 1"].as_slice()),
        (cpu(-0.1, 1024), &["functions[0].cpu_bound.share: -0.1 is not a share between 0 and 1"]),
        (cpu(f64::NAN, 1024), &["functions[0].cpu_bound.share: NaN is not a share between 0 and 1"]),
        (cpu(0.5, 64), &["functions[0].cpu_bound.at_memory_mb: 64 MB is outside Lambda's 128–10,240 MB"]),
        (
            cpu(2.0, 20_000),
            &[
                "functions[0].cpu_bound.share: 2 is not a share between 0 and 1",
                "functions[0].cpu_bound.at_memory_mb: 20000 MB is outside Lambda's 128–10,240 MB",
            ],
        ),
    ] {
        s.functions[0].cpu_bound = c;
        assert_eq!(errors(&s), says);
    }
    for ok in [cpu(0.0, 128), cpu(1.0, 10_240), cpu(0.6, 1024)] {
        s.functions[0].cpu_bound = ok;
        assert_eq!(errors(&s), Vec::<String>::new());
    }

    // In the file: both fields are needed, and nothing else is read.
    let text = |c: &str| {
        format!(
            r#"{{"version": 1, "functions": [{{"name": "f", "cpu_bound": {c},
                "traffic": {{"type": "constant", "rate": 1}}}}]}}"#
        )
    };
    let e = ScenarioSpec::parse_and_validate(&text(r#"{"share": 0.5}"#)).unwrap_err();
    assert_eq!(e.0[0].path, "functions[0].cpu_bound", "{e}");
    assert!(e.0[0].message.contains("at_memory_mb"), "{e}");
    let e = ScenarioSpec::parse_and_validate(&text(r#"{"share": 0.5, "at_memory_mb": 512, "threads": 2}"#))
        .unwrap_err();
    assert!(e.to_string().contains("threads"), "{e}");
    assert!(ScenarioSpec::parse_and_validate(&text(r#"{"share": 0.5, "at_memory_mb": 512}"#)).is_ok());

    // Managed Instances and Web Functions take it (a bad value is still refused) and run as
    // without it: their environments share vCPUs among concurrent requests, which Lambdascape
    // does not model, so their durations are as written.
    for fixture in ["managed-instances-doubling.json", "web-queue-then-throttle.json"] {
        let base = load(fixture);
        let expected = fingerprint(&run(&base));
        let mut spec = base.clone();
        spec.functions[0].cpu_bound = cpu(0.9, 10_240);
        assert_eq!(errors(&spec), Vec::<String>::new(), "{fixture}");
        assert_eq!(spec.validate().unwrap().functions[0].duration_factor, 1.0, "{fixture}");
        assert_eq!(fingerprint(&run(&spec)), expected, "{fixture}");
        spec.functions[0].cpu_bound = cpu(2.0, 10_240);
        assert_eq!(
            errors(&spec),
            vec!["functions[0].cpu_bound.share: 2 is not a share between 0 and 1"],
            "{fixture}"
        );
    }
    let mut spec = load("snapstart-restore.json");
    spec.functions[0].cpu_bound = cpu(0.5, 2048);
    assert_eq!(errors(&spec), Vec::<String>::new());
}

/// The summary and every series of a run, as text (equal runs give equal text).
fn fingerprint(sim: &Simulation) -> String {
    let rec = sim.recorder();
    let bits = |s: &lambdascape_engine::sim::Series| -> Vec<Vec<u32>> {
        s.data.iter().map(|c| c.iter().map(|v| v.to_bits()).collect()).collect()
    };
    let functions: Vec<_> = rec.functions.iter().map(bits).collect();
    format!("{}\n{:?}\n{:?}", serde_json::to_string(&sim.summary()).unwrap(), bits(&rec.account), functions)
}

/// The `cpu_bound` to give a function of the memory given.
type CpuBoundAt = fn(u32) -> Option<CpuBoundSpec>;

/// A share of 0, or any share at the memory it was measured at (or at two memories above
/// 1,769 MB, where one thread gets the same vCPU), gives the factor 1 exactly and the same
/// run as without `cpu_bound`, draw for draw.
#[test]
fn without_effect_the_run_is_the_run_without_cpu_bound() {
    for fixture in
        ["current-two-functions.json", "pc-spillover.json", "snapstart-restore.json", "sqs-pollers.json"]
    {
        let base = load(fixture);
        let expected = fingerprint(&run(&base));
        let variants: [(&str, CpuBoundAt); 3] = [
            ("share 0", |_| cpu(0.0, 128)),
            ("at its own memory", |m| cpu(0.7, m)),
            ("both above one vCPU", |m| if m >= 1769 { cpu(1.0, 10_240) } else { cpu(1.0, m) }),
        ];
        for (what, c) in variants {
            let mut spec = base.clone();
            for f in &mut spec.functions {
                f.cpu_bound = c(f.memory_mb);
            }
            let sc = spec.validate().unwrap();
            assert!(sc.functions.iter().all(|f| f.duration_factor == 1.0), "{fixture}, {what}");
            assert_eq!(fingerprint(&run(&spec)), expected, "{fixture}, {what}");
        }
    }
    // Exactly 1 for every share, not only for the shares tried above.
    for k in 0..=1000 {
        let c = CpuBoundSpec { share: k as f64 / 1000.0, at_memory_mb: 700 };
        assert_eq!(c.duration_factor(700), 1.0);
        assert_eq!(CpuBoundSpec { at_memory_mb: 1769, ..c }.duration_factor(4096), 1.0);
    }
}

/// The durations of the warm invocations of a run (start to end, in ms), and the cold
/// starts' (their init included).
fn durations_ms(sim: &Simulation) -> (Vec<f64>, Vec<f64>) {
    let ms = |r: &lambdascape_engine::sim::TraceRecord| (r.end - r.start) as f64 / 1000.0;
    let trace = &sim.recorder().trace;
    (trace.iter().filter(|r| !r.cold).map(ms).collect(), trace.iter().filter(|r| r.cold).map(ms).collect())
}

/// Share 0.6 measured at 1,024 MB: at 512 MB the mean duration is (0.4 + 0.6 × 2) times the one
/// at 1,024 MB, at 3,008 MB (0.4 + 0.6 × 1,024/1,769) times, within four standard errors of the
/// ratio of two means of the lognormal (coefficient of variation 0.25) over the runs' samples.
#[test]
fn the_cpu_part_scales_with_the_vcpu_of_one_thread() {
    let at = |memory_mb| {
        let spec = one(
            r#"{"type": "lognormal", "mean_ms": 400, "std_ms": 100}"#,
            r#"{"type": "constant", "ms": 300}"#,
            memory_mb,
            r#"{"share": 0.6, "at_memory_mb": 1024}"#,
            10,
        );
        let (warm, _) = durations_ms(&run(&spec));
        (warm.iter().sum::<f64>() / warm.len() as f64, warm.len() as f64)
    };
    let (base, n0) = at(1024);
    assert!(n0 > 10_000.0, "{n0} warm invocations");
    assert!((base - 400.0).abs() < 4.0 * 100.0 / n0.sqrt(), "mean {base} ms at 1,024 MB over {n0}");
    for (memory_mb, factor) in [(512, 0.4 + 0.6 * 2.0), (3008, 0.4 + 0.6 * 1024.0 / 1769.0)] {
        let (mean, n) = at(memory_mb);
        let tolerance = 4.0 * 0.25 * (1.0 / n0 + 1.0 / n).sqrt();
        let ratio = mean / base;
        assert!(
            (ratio / factor - 1.0).abs() < tolerance,
            "{memory_mb} MB: mean {mean} ms, {ratio} times the one at 1,024 MB; expected {factor} (± {tolerance} relative)"
        );
    }
}

/// With constant durations the scaling is exact (to the microsecond), and the init is not
/// scaled: a cold start takes its 1 s init plus the scaled duration.
#[test]
fn constant_durations_scale_exactly_and_the_init_does_not() {
    for (memory_mb, duration_ms) in [(1024, 100.0), (512, 200.0), (128, 800.0), (3008, 57.886)] {
        let spec = one(
            r#"{"type": "constant", "ms": 100}"#,
            r#"{"type": "constant", "ms": 1000}"#,
            memory_mb,
            r#"{"share": 1.0, "at_memory_mb": 1024}"#,
            1,
        );
        let (warm, cold) = durations_ms(&run(&spec));
        assert!(!warm.is_empty() && !cold.is_empty(), "{memory_mb} MB");
        assert!(warm.iter().all(|&d| d == duration_ms), "{memory_mb} MB: {:?}", &warm[..3]);
        assert!(cold.iter().all(|&d| d == 1000.0 + duration_ms), "{memory_mb} MB: {:?}", &cold[..1]);
    }
}

/// The factor is derived from the memory each time the scenario is validated: after the
/// editor's memory edit (what a sweep's `memory=` makes), in a change during a run, and in a
/// sweep's point.
#[test]
fn a_memory_edit_derives_the_factor_again() {
    let spec = one(
        r#"{"type": "constant", "ms": 100}"#,
        r#"{"type": "constant", "ms": 300}"#,
        1024,
        r#"{"share": 0.6, "at_memory_mb": 1024}"#,
        2,
    );
    let factor = |s: &ScenarioSpec| s.validate().unwrap().functions[0].duration_factor;
    assert_eq!(factor(&spec), 1.0);
    let edit = Edit::SetMemory { function: "f".into(), memory_mb: 512 };
    let half = apply(&spec, &edit).unwrap();
    assert_eq!(half.functions[0].cpu_bound, spec.functions[0].cpu_bound, "the measurement stays");
    assert!((factor(&half) - 1.6).abs() < 1e-12, "{}", factor(&half));

    // During a run: from the change on, the durations are those of 512 MB.
    let live = apply_live(&spec, 60 * MICROS_PER_SEC, &edit).unwrap();
    let sc = live.validate().unwrap();
    assert_eq!(sc.functions[0].duration_factor, 1.0);
    assert!((sc.epochs[0].scenario.functions[0].duration_factor - 1.6).abs() < 1e-12);
    let mut sim = Simulation::new(sc);
    sim.run();
    let whole = sim.summary().mean_duration_ms;
    assert!(whole > 120.0 && whole < 140.0, "half the run at 100 ms, half at 160 ms: {whole}");

    // A sweep's points.
    let sweep = Sweep {
        function: None,
        axes: vec![Axis::parse("memory=256,1024,4096").unwrap()],
        seeds: 1,
        target: Target::default(),
    };
    let plan = sweep.plan(&spec).unwrap();
    let factors: Vec<f64> =
        plan.points.iter().map(|p| p.scenario().as_ref().unwrap().functions[0].duration_factor).collect();
    let expected = [0.4 + 0.6 * 4.0, 1.0, 0.4 + 0.6 * 1024.0 / 1769.0];
    assert!(factors.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-12), "{factors:?}");
}

/// `memory-cpu-bound.json` swept over 512, 1,024, 2,048 and 3,008 MB: p99 falls strictly (the
/// 95% intervals apart) up to 2,048 MB, past the 1,769 MB of one vCPU, and not beyond; the cost
/// grows far less than the memory up to there, so the smallest memory no longer beats every
/// other point: 512, 1,024 and 2,048 MB are on the front, 3,008 MB (the durations of 2,048 MB at
/// a higher price) is not.
#[test]
fn the_fixture_swept_over_memory_shows_p99_falling_to_one_vcpu() {
    let mut spec = load("memory-cpu-bound.json");
    spec.duration = "5m".into();
    let sweep = Sweep {
        function: None,
        axes: vec![Axis::parse("memory=512,1024,2048,3008").unwrap()],
        seeds: 3,
        target: Target::default(),
    };
    let plan = sweep.plan(&spec).unwrap();
    let rows: Vec<_> = plan.jobs().into_iter().map(|j| plan.run(j).unwrap()).collect();
    let table = plan.table(&rows);
    let levels: Vec<&Level> = table.points.iter().map(|p| &p.levels[0]).collect();
    assert_eq!(levels, [512.0, 1024.0, 2048.0, 3008.0].map(Level::Number).iter().collect::<Vec<_>>());
    let p99: Vec<_> = table.points.iter().map(|p| p.latency_p99_ms).collect();
    let cost: Vec<f64> = table.points.iter().map(|p| p.cost_usd.mean).collect();
    for i in 0..2 {
        assert!(p99[i].lo > p99[i + 1].hi, "p99 {:?} then {:?}", p99[i], p99[i + 1]);
    }
    assert_eq!(p99[3].mean, p99[2].mean, "one thread gets one vCPU at 2,048 and 3,008 MB alike");
    // Doubling the memory from 512 MB costs far less than twice as much (the runs are shorter);
    // above one vCPU the cost follows the memory.
    assert!(cost[1] / cost[0] < 1.25, "costs {cost:?}");
    assert!(cost[2] / cost[1] < 1.5, "costs {cost:?}");
    assert!(cost[3] / cost[2] > 1.4, "costs {cost:?}");
    let front: Vec<bool> = table.points.iter().map(|p| p.pareto).collect();
    assert_eq!(front, [true, true, true, false]);
}

/// The table's notes on a memory sweep say where memory leaves the durations as they are, and
/// the runs bear each out: without `cpu_bound` every memory gives the same latencies (and other
/// costs); with it, 1,769 MB and more give the same ones; in Web Functions it has no effect.
#[test]
fn a_memory_sweeps_notes_say_where_memory_leaves_durations_as_they_are() {
    let table_of = |spec: &ScenarioSpec, axes: &[&str]| {
        let axes = axes.iter().map(|a| Axis::parse(a).unwrap()).collect();
        let plan = Sweep { function: None, axes, seeds: 2, target: Target::default() }.plan(spec).unwrap();
        let rows: Vec<_> = plan.jobs().into_iter().map(|j| plan.run(j).unwrap()).collect();
        plan.table(&rows)
    };
    let latencies = |t: &lambdascape_engine::sweep::Table, i: usize| {
        (t.points[i].latency_p50_ms.mean, t.points[i].latency_p99_ms.mean)
    };
    let mut spec = load("memory-cpu-bound.json");
    spec.duration = "5m".into();
    // No cpu_bound: the same latencies at every memory, different costs.
    let mut plain = spec.clone();
    plain.functions[0].cpu_bound = None;
    let t = table_of(&plain, &["memory=512,1024,3008"]);
    assert_eq!(t.notes.len(), 1);
    assert!(t.notes[0]
        .contains("the durations of thumbnails do not depend on its memory here (it has no cpu_bound)"));
    assert!((1..3).all(|i| latencies(&t, i) == latencies(&t, 0)), "{:?}", t.points);
    assert!(t.points[0].cost_usd.mean < t.points[2].cost_usd.mean);
    // With it: 1,769 MB and up alike, below that not.
    let t = table_of(&spec, &["memory=1024,1769,2048,3008"]);
    assert_eq!(
        t.notes,
        ["memory: from 1769 MB (one vCPU) up, the CPU work of thumbnails on one thread takes no less time, so its requests run as long at 1769 MB, 2048 MB and 3008 MB"]
    );
    assert!((2..4).all(|i| latencies(&t, i) == latencies(&t, 1)), "{:?}", t.points);
    assert!(latencies(&t, 0).1 > latencies(&t, 1).1);
    // One memory above one vCPU: nothing to say.
    assert!(table_of(&spec, &["memory=512,2048"]).notes.is_empty());
    // Not a memory sweep: no notes.
    assert!(table_of(&plain, &["traffic=1,2"]).notes.is_empty());
    // In Web Functions cpu_bound has no effect: its points run as long at every memory.
    let t = table_of(&spec, &["compute=on-demand,web", "memory=512,1024"]);
    assert_eq!(t.notes.len(), 1, "{:?}", t.notes);
    assert!(t.notes[0].starts_with(
        "memory: in Managed Instances and Web Functions the cpu_bound of thumbnails has no effect"
    ));
    assert_eq!(latencies(&t, 2), latencies(&t, 3), "{:?}", t.points);
    assert!(latencies(&t, 0).1 > latencies(&t, 1).1);
}
