//! Integration tests of the engine: conformance scenarios (every fixture in tests/scenarios
//! with its cited checks), determinism, stepping and seeking, the committed schema, and
//! property tests of the invariants and of the parser.

use lambdascape_engine::checks;
use lambdascape_engine::scenario::{FunctionSpec, ScalingModel, ScenarioSpec};
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::time::{DurationSpec, MICROS_PER_SEC};
use lambdascape_engine::traffic::{Arrivals, TrafficSpec};
use proptest::prelude::*;
use std::path::PathBuf;

fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

fn load(name: &str) -> ScenarioSpec {
    let text = std::fs::read_to_string(scenarios_dir().join(name)).expect("fixture exists");
    ScenarioSpec::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Series values as bits, so that equal runs compare equal even where a value is NaN (empty).
fn bits(s: &lambdascape_engine::sim::Series) -> Vec<Vec<u32>> {
    s.data.iter().map(|c| c.iter().map(|v| v.to_bits()).collect()).collect()
}

fn run(spec: &ScenarioSpec) -> Simulation {
    let mut sim = Simulation::new(spec.validate().unwrap_or_else(|e| panic!("{}: {e}", spec.name)));
    sim.run();
    sim
}

/// Conformance: every fixture validates, runs, and meets each of its cited checks.
#[test]
fn every_fixture_meets_its_checks() {
    let mut files: Vec<_> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "fixtures missing: {files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let spec = load(&name);
        assert!(!spec.checks.is_empty(), "{name} has no checks");
        assert!(!spec.sources.is_empty(), "{name} cites no source");
        let sim = run(&spec);
        for r in checks::evaluate_spec(&spec, &sim) {
            if !r.passed {
                failures.push(format!(
                    "{name}: {} = {:?} not in [{:?}, {:?}] ({})",
                    r.metric, r.value, r.min, r.max, r.note
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The seed-burst-5000 story, checked step by step on the series: 3,000 at once, +500/min, 5,000 after
/// about 4 minutes, never above.
#[test]
fn seed_burst_grows_500_per_minute_after_3000() {
    let sim = run(&load("seed-burst-5000.json"));
    let s = &sim.recorder().account;
    let at = |sec: u64| s.value_at("concurrency", sec * MICROS_PER_SEC).unwrap();
    assert!((3000.0..=3100.0).contains(&at(10)));
    for minute in 1..4u64 {
        let growth = at(10 + minute * 60) - at(10 + (minute - 1) * 60);
        assert!((490.0..=510.0).contains(&growth), "minute {minute}: +{growth}");
    }
    let reached = s.times[s.column("concurrency").unwrap().iter().position(|&c| c >= 5000.0).unwrap()];
    assert!((235..=250).contains(&(reached / MICROS_PER_SEC)), "5,000 reached at {reached} µs");
    assert!(s.column("concurrency").unwrap().iter().all(|&c| c <= 5000.0));
    assert!(sim.recorder().narrative.iter().any(|e| e.text.contains("burst bucket empty")));
}

#[test]
fn same_seed_same_run_and_other_seed_other_run() {
    let spec = load("reserved-protects-critical.json");
    let a = run(&spec);
    let b = run(&spec);
    assert_eq!(serde_json::to_string(&a.summary()).unwrap(), serde_json::to_string(&b.summary()).unwrap());
    assert_eq!(bits(&a.recorder().account), bits(&b.recorder().account));
    let mut c = Simulation::with_seed(spec.validate().unwrap(), 999, Options::default());
    c.run();
    assert_ne!(a.summary().requests, c.summary().requests, "seed 999 should draw other arrivals");
}

#[test]
fn small_steps_equal_one_run() {
    let spec = load("seed-burst-5000.json");
    let whole = run(&spec);
    let mut stepped = Simulation::new(spec.validate().unwrap());
    while !stepped.is_finished() {
        stepped.step(16_667); // one 60 fps frame of simulated time at 1x
        if stepped.now() > 30 * MICROS_PER_SEC {
            stepped.step(7 * MICROS_PER_SEC + 3);
        }
    }
    assert_eq!(
        serde_json::to_value(whole.summary()).unwrap(),
        serde_json::to_value(stepped.summary()).unwrap()
    );
    assert_eq!(bits(&whole.recorder().account), bits(&stepped.recorder().account));
}

#[test]
fn bounded_advance_chunks_work_without_changing_results() {
    let spec = load("token-bucket-refill.json");
    let whole = run(&spec);
    let mut chunked = Simulation::new(spec.validate().unwrap());
    let mut frames = 0;
    while !chunked.advance_bounded(chunked.horizon(), 5_000) {
        frames += 1;
    }
    assert!(frames > 10, "work was not chunked");
    assert_eq!(whole.summary().invocations, chunked.summary().invocations);
    assert_eq!(bits(&whole.recorder().account), bits(&chunked.recorder().account));
}

#[test]
fn seeking_back_replays_exactly() {
    let spec = load("seed-burst-5000.json");
    let opts = Options { checkpoints: true, ..Default::default() };
    let mut sim = Simulation::with_seed(spec.validate().unwrap(), spec.seed, opts.clone());
    sim.advance_to(300 * MICROS_PER_SEC);
    assert!(sim.checkpoint_count() > 3);
    let t = 123_456_789;
    sim.seek(t);
    assert_eq!(sim.now(), t);
    let mut fresh = Simulation::with_seed(spec.validate().unwrap(), spec.seed, opts);
    fresh.advance_to(t);
    assert_eq!(serde_json::to_value(sim.summary()).unwrap(), serde_json::to_value(fresh.summary()).unwrap());
    assert_eq!(sim.state().envs.len(), fresh.state().envs.len());
    // Forward again to the end: same as a straight run, and the series were not duplicated.
    sim.run();
    let whole = run(&spec);
    assert_eq!(serde_json::to_value(sim.summary()).unwrap(), serde_json::to_value(whole.summary()).unwrap());
    assert_eq!(sim.recorder().account.times, whole.recorder().account.times);
    assert_eq!(sim.recorder().narrative.len(), whole.recorder().narrative.len());
}

#[test]
fn committed_schema_is_current() {
    let committed = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenario.schema.json"),
    )
    .expect("www/scenario.schema.json is committed");
    let generated = lambdascape_engine::schema::scenario_schema_json();
    assert!(
        committed.trim() == generated.trim(),
        "www/scenario.schema.json is out of date: run `cargo run -p lambdascape-cli -- schema > www/scenario.schema.json`"
    );
}

#[test]
fn validation_lists_every_problem_with_paths() {
    let text = r#"{"version": 1, "account": {"concurrency_limit": 1000},
        "functions": [
          {"name": "a", "traffic": {"type": "constant", "rate": 1}},
          {"name": "b", "reserved_concurrency": 950, "timeout": "20m",
           "traffic": {"type": "ramp", "from": 0, "to": 5, "start": "2m", "end": "1m"}}
        ]}"#;
    let errs = ScenarioSpec::parse_and_validate(text).unwrap_err();
    let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        lines,
        [
            "functions[1].reserved_concurrency: 950 leaves fewer than 100 unreserved of 1000 (reserved in all: 950)",
            "functions[1].timeout: 20m is outside Lambda's 1 s – 900 s",
            "functions[1].traffic.end: the ramp must end after it starts",
        ]
    );
}

// ---- property tests ----

fn arb_traffic() -> impl Strategy<Value = TrafficSpec> {
    prop_oneof![
        (0.0..400.0f64).prop_map(|r| TrafficSpec::Constant { rate: r, arrivals: Arrivals::Poisson }),
        (0.0..50.0f64, 0.0..600.0f64, 1.0..60.0f64).prop_map(|(a, b, at)| TrafficSpec::Step {
            rate: a,
            steps: vec![lambdascape_engine::traffic::RatePoint { at: DurationSpec::Seconds(at), rate: b }],
            arrivals: Arrivals::Regular,
        }),
        (0.0..300.0f64, 1.0..30.0f64).prop_map(|(b, every)| TrafficSpec::Bursts {
            base: 1.0,
            burst_rate: b,
            every: DurationSpec::Seconds(every),
            burst_for: DurationSpec::Seconds(every / 3.0),
            start: DurationSpec::Seconds(0.0),
            arrivals: Arrivals::Poisson,
        }),
    ]
}

fn arb_scenario() -> impl Strategy<Value = ScenarioSpec> {
    let func = (arb_traffic(), prop::option::of(0u32..60), 1u32..4000, 1u32..1500, 0usize..3, 5u64..120)
        .prop_map(|(traffic, reserved, dur_ms, init_ms, policy, idle_s)| {
            let mut f = FunctionSpec::new("f", traffic);
            f.reserved_concurrency = reserved;
            f.duration = lambdascape_engine::dist::DistSpec::Exponential { mean_ms: dur_ms as f64 };
            f.init = lambdascape_engine::dist::DistSpec::Uniform { min_ms: 0.0, max_ms: init_ms as f64 };
            f.timeout = DurationSpec::Seconds(3.0);
            f.warm_selection = [
                lambdascape_engine::scenario::WarmSelection::MostRecentlyUsed,
                lambdascape_engine::scenario::WarmSelection::LeastRecentlyUsed,
                lambdascape_engine::scenario::WarmSelection::Random,
            ][policy];
            f.idle_lifetime =
                lambdascape_engine::scenario::LifetimeSpec::Fixed(DurationSpec::Seconds(idle_s as f64));
            f.max_lifetime =
                Some(lambdascape_engine::scenario::LifetimeSpec::Fixed(DurationSpec::Seconds(50.0)));
            f
        });
    (prop::collection::vec(func, 1..4), 200u32..600, any::<bool>(), any::<u64>(), 1u32..400).prop_map(
        |(mut fs, limit, legacy, seed, burst)| {
            for (i, f) in fs.iter_mut().enumerate() {
                f.name = format!("f{i}");
            }
            let mut s = ScenarioSpec::new("prop", fs);
            s.account.concurrency_limit = limit;
            s.account.scaling_model = if legacy { ScalingModel::Legacy } else { ScalingModel::Current };
            s.account.burst_quota = Some(burst);
            s.account.current_scaling_step = burst;
            s.duration = DurationSpec::Seconds(120.0);
            s.seed = seed;
            s
        },
    )
}

/// `arb_scenario` with every function in a small VPC (two private subnets in two AZs, a
/// database), on one of three security-group sets, with a low ENI connection limit and a small
/// quota of network interfaces, sometimes an AZ outage, and all traffic stopped at 100 s by a
/// change (so the run ends idle).
fn arb_vpc_scenario() -> impl Strategy<Value = ScenarioSpec> {
    let placement = (1usize..4, 0usize..3, prop::option::of(0u32..5), 1usize..3);
    (arb_scenario(), prop::collection::vec(placement, 4), 1u32..80, any::<bool>(), 1u32..16, 0u32..4)
        .prop_map(|(mut s, placements, limit, outage, quota, other)| {
            let vpc = serde_json::json!({
                "name": "v", "cidr": "10.0.0.0/16", "azs": ["a", "b"],
                "subnets": [
                    {"name": "s0", "az": "a", "cidr": "10.0.0.0/24", "route_table": "rt"},
                    {"name": "s1", "az": "b", "cidr": "10.0.1.0/24", "route_table": "rt"}
                ],
                "route_tables": [{"name": "rt"}],
                "security_groups": [{"name": "x"}, {"name": "y"}],
                "resources": [{"name": "db", "kind": "rds", "subnet": "s0"}],
                "eni_connection_limit": limit,
                "eni_quota": quota,
                "other_enis": other
            });
            s.vpc = Some(serde_json::from_value(vpc).unwrap());
            for (f, (subnets, sgs, conns, dests)) in s.functions.iter_mut().zip(placements) {
                let subnets = [vec!["s0"], vec!["s1"], vec!["s0", "s1"]][subnets - 1].clone();
                let sgs = [vec!["x"], vec!["y"], vec!["x", "y"]][sgs].clone();
                f.vpc = Some(
                    serde_json::from_value(serde_json::json!({
                        "subnets": subnets, "security_groups": sgs, "connections_per_invocation": conns
                    }))
                    .unwrap(),
                );
                f.destinations = (0..dests)
                    .map(|i| {
                        serde_json::from_value(
                            serde_json::json!({"name": format!("db{i}"), "kind": {"resource": "db"}}),
                        )
                        .unwrap()
                    })
                    .collect();
            }
            if outage {
                s.faults = vec![serde_json::from_value(
                    serde_json::json!({"az_down": "a", "at": "40s", "until": "70s"}),
                )
                .unwrap()];
            }
            let mut quiet = serde_json::to_value(&s.functions).unwrap();
            for f in quiet.as_array_mut().unwrap() {
                f["traffic"] = serde_json::json!({"type": "none"});
            }
            s.changes = vec![serde_json::from_value(
                serde_json::json!({"at": "100s", "patch": {"functions": quiet}}),
            )
            .unwrap()];
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A group of Hyperplane ENIs never carries more than its ENIs' limit, its connections
    /// always equal what the invocations in flight on it hold and are back to 0 whenever nothing
    /// runs (and at the end, idle); the ENIs never pass the VPC's quota.
    #[test]
    fn eni_connections_stay_within_the_limit_and_return_to_zero(spec in arb_vpc_scenario()) {
        let scenario = match spec.validate() {
            Ok(s) => s,
            Err(e) => {
                // Only what arb_scenario draws (reserved concurrency) may be refused, never the VPC.
                prop_assert!(e.iter().all(|x| x.path.ends_with("reserved_concurrency")), "{}", e);
                return Ok(());
            }
        };
        let vpc = scenario.vpc.as_ref().unwrap();
        let (limit, room) = (vpc.eni_connection_limit, vpc.eni_quota.saturating_sub(vpc.other_enis));
        let mut sim = Simulation::new(scenario);
        let mut refused_seen = 0;
        while !sim.is_finished() {
            sim.step(250_000);
            let st = sim.state();
            let mut held = vec![0u32; st.net.enis.len()];
            for (_, e) in st.envs.iter() {
                if e.connections > 0 {
                    prop_assert!(e.state != lambdascape_engine::sim::EnvState::Idle);
                    held[e.eni as usize] += e.connections;
                }
            }
            prop_assert!(st.net.enis_in_use() <= room, "{} ENIs, room for {room}", st.net.enis_in_use());
            for (e, h) in st.net.enis.iter().zip(&held) {
                let cap = e.count() * limit;
                prop_assert!(e.connections <= cap, "{} carries {} > {cap}", e.name, e.connections);
                prop_assert!(e.max_connections() <= cap);
                prop_assert_eq!(e.connections, *h, "{}", e.name);
                if st.account.in_flight == 0 {
                    prop_assert_eq!(e.connections, 0);
                }
            }
            refused_seen = st.net.enis.iter().map(|e| e.refused).sum::<u64>();
        }
        prop_assert_eq!(sim.state().account.in_flight, 0, "traffic stops at 100 s, every invocation ends by 120 s");
        prop_assert!(sim.state().net.enis.iter().all(|e| e.connections == 0));
        let s = sim.summary();
        // Refused invocations end as timeouts, unless an AZ outage ends them first (errors).
        prop_assert!(s.unreachable.get("eni_quota_reached").copied().unwrap_or(0) <= refused_seen);
        prop_assert!(s.unreachable.get("eni_connection_limit").is_none());
    }

    /// No limit is ever exceeded, tokens never go negative, and every request ends exactly
    /// once: throttled, completed (served or timed out), or still in flight.
    #[test]
    fn invariants_hold_at_every_step(spec in arb_scenario()) {
        let Ok(scenario) = spec.validate() else { return Ok(()) };
        let limit = scenario.account.limit;
        let pool = scenario.account.unreserved_pool;
        let reserved: Vec<_> = scenario.functions.iter().map(|f| f.reserved).collect();
        let mut sim = Simulation::new(scenario);
        while !sim.is_finished() {
            sim.step(250_000);
            let st = sim.state();
            prop_assert!(st.account.in_flight <= limit);
            prop_assert!(st.account.unreserved_in_flight <= pool);
            prop_assert!(st.account.burst.tokens >= 0.0);
            let mut in_flight = 0;
            let mut idle = 0;
            for (i, fs) in st.functions.iter().enumerate() {
                if let Some(r) = reserved[i] { prop_assert!(fs.in_flight <= r); }
                prop_assert!(fs.scaling.tokens >= 0.0);
                let t = &fs.totals;
                let throttled: u64 = t.throttles.iter().sum();
                prop_assert_eq!(t.requests, throttled + t.completed + fs.in_flight as u64);
                prop_assert!(t.timeouts <= t.completed);
                in_flight += fs.in_flight;
                idle += fs.idle.len();
            }
            prop_assert_eq!(in_flight, st.account.in_flight);
            prop_assert_eq!(st.envs.len(), in_flight + idle);
        }
    }

    /// Every async event ends exactly once: succeeded, in the DLQ, dropped, or still queued or
    /// running at the end; and the request accounting holds with provisioned concurrency.
    #[test]
    fn every_async_event_ends_exactly_once(spec in arb_scenario(), pc in 0u32..30, max_age in 60u64..600, retries in 0u32..3, dlq in any::<bool>(), err in 0.0f64..0.6) {
        let mut spec = spec;
        for (i, f) in spec.functions.iter_mut().enumerate() {
            if i % 2 == 0 {
                f.invocation = lambdascape_engine::scenario::InvocationType::Async;
                f.error_rate = err;
                f.async_config.maximum_event_age = DurationSpec::Seconds(max_age as f64);
                f.async_config.maximum_retry_attempts = retries;
                f.async_config.on_failure = if dlq { lambdascape_engine::scenario::OnFailure::Dlq } else { lambdascape_engine::scenario::OnFailure::None };
            } else if f.reserved_concurrency.is_none_or(|r| r >= pc) {
                f.provisioned = Some(serde_json::from_value(serde_json::json!({"initial": pc})).unwrap());
            }
        }
        let Ok(scenario) = spec.validate() else { return Ok(()) };
        let mut sim = Simulation::new(scenario);
        while !sim.is_finished() {
            sim.step(7_000_000);
            let s = sim.summary();
            for (i, fs) in sim.state().functions.iter().enumerate() {
                let f = &s.functions[&sim.scenario().functions[i].name];
                if i % 2 == 0 {
                    prop_assert_eq!(f.async_events, f.async_succeeded + f.dlq_events + f.dropped_events + f.async_queued_at_end + fs.in_flight as u64);
                }
                let t = &fs.totals;
                prop_assert_eq!(t.requests, t.throttles.iter().sum::<u64>() + t.completed + t.pending_failures + fs.in_flight as u64);
                prop_assert!(fs.pc.busy <= fs.pc.live);
            }
        }
    }

    /// Same scenario and seed, same result.
    #[test]
    fn runs_are_deterministic(spec in arb_scenario()) {
        let Ok(scenario) = spec.validate() else { return Ok(()) };
        let mut a = Simulation::new(scenario.clone());
        let mut b = Simulation::new(scenario);
        a.run();
        b.run();
        prop_assert_eq!(serde_json::to_string(&a.summary()).unwrap(), serde_json::to_string(&b.summary()).unwrap());
    }

    /// The parser and validator never panic, whatever the text.
    #[test]
    fn parser_never_panics_on_text(text in ".{0,400}") {
        let _ = ScenarioSpec::parse_and_validate(&text);
    }

    /// Nor on structurally valid JSON with hostile values at any field of a real scenario.
    #[test]
    fn validator_never_panics_on_mutated_scenarios(
        path_pick in 0usize..1000,
        value in prop_oneof![
            Just(serde_json::json!(null)), Just(serde_json::json!(-1)), Just(serde_json::json!(0)),
            Just(serde_json::json!(1e308)), Just(serde_json::json!(-1e308)), Just(serde_json::json!("")),
            Just(serde_json::json!("99999999h")), Just(serde_json::json!([])), Just(serde_json::json!({})),
            Just(serde_json::json!(u64::MAX)), Just(serde_json::json!("<script>alert(1)</script>")),
        ]
    ) {
        let base = std::fs::read_to_string(scenarios_dir().join("reserved-protects-critical.json")).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&base).unwrap();
        let mut slots = Vec::new();
        collect_paths(&v, String::new(), &mut slots);
        let target = &slots[path_pick % slots.len()];
        if let Some(slot) = v.pointer_mut(target) { *slot = value; }
        if let Ok(spec) = serde_json::from_value::<ScenarioSpec>(v) {
            if let Ok(mut s) = spec.validate() {
                s.horizon = s.horizon.min(20 * MICROS_PER_SEC);
                let mut sim = Simulation::new(s);
                sim.run();
            }
        }
    }
}

fn collect_paths(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                collect_paths(x, format!("{at}/{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_paths(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
