//! The compute modes beyond on-demand (docs/model.md#compute-modes): what the scenario format
//! refuses, with the field to change, and rules checked on hand-computed cases.

mod common;

use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::Simulation;
use serde_json::{json, Value};

/// A one-function scenario with `function` merged into the function and `top` into the file.
fn spec(function: Value, top: Value) -> Result<ScenarioSpec, String> {
    let mut f = json!({
        "name": "api",
        "memory_mb": 2048,
        "init": {"type": "constant", "ms": 400},
        "duration": {"type": "constant", "ms": 1000},
        "traffic": {"type": "constant", "rate": 1, "arrivals": "regular"},
    });
    lambdascape_engine::scenario::merge_patch(&mut f, &function);
    let mut s = json!({"version": 1, "name": "modes", "duration": "10s", "functions": [f]});
    lambdascape_engine::scenario::merge_patch(&mut s, &top);
    ScenarioSpec::from_json(&s.to_string()).map_err(|e| e.to_string())
}

/// The validation errors of a scenario as `path: message` lines.
fn refused(function: Value, top: Value) -> Vec<String> {
    let s = spec(function, top).expect("reads");
    match s.validate() {
        Ok(_) => vec![],
        Err(e) => e.iter().map(|e| format!("{}: {}", e.path, e.message)).collect(),
    }
}

fn vpc() -> Value {
    json!({
        "name": "app", "cidr": "10.0.0.0/16", "azs": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "subnets": [
            {"name": "a", "az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "rt"},
            {"name": "b", "az": "us-east-1b", "cidr": "10.0.2.0/24", "route_table": "rt"},
            {"name": "c", "az": "us-east-1c", "cidr": "10.0.3.0/24", "route_table": "rt"}
        ],
        "route_tables": [{"name": "rt"}],
        "security_groups": [{"name": "app"}]
    })
}

fn in_vpc() -> Value {
    json!({"subnets": ["a", "b", "c"], "security_groups": ["app"]})
}

#[test]
fn snapstart_with_provisioned_concurrency_is_refused_with_its_path() {
    let errs = refused(json!({"snapstart": {}, "provisioned": {"initial": 5}}), json!({}));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0]
        .starts_with("functions[0].provisioned: SnapStart cannot be combined with provisioned concurrency"));
}

#[test]
fn every_bad_combination_names_its_field() {
    let cases: Vec<(Value, Value, &str)> = vec![
        (
            json!({"snapstart": {}, "web": {}}),
            json!({}),
            "functions[0].web: a function runs in one compute mode",
        ),
        (
            json!({"managed_instances": {}}),
            json!({}),
            "functions[0].managed_instances: Managed Instances run in the capacity provider's VPC subnets",
        ),
        (
            json!({"managed_instances": {}, "memory_mb": 1024, "vpc": in_vpc()}),
            json!({"vpc": vpc()}),
            "functions[0].managed_instances.memory_mb: 1024 MB is below the 2 GB",
        ),
        (
            json!({"managed_instances": {}, "reserved_concurrency": 10, "vpc": in_vpc()}),
            json!({"vpc": vpc()}),
            "functions[0].reserved_concurrency: reserved concurrency does not apply to managed_instances",
        ),
        (
            json!({"managed_instances": {"per_environment_max_concurrency": 0}, "vpc": in_vpc()}),
            json!({"vpc": vpc()}),
            "functions[0].managed_instances.per_environment_max_concurrency: 0 is outside AWS's 1–1,600",
        ),
        (
            json!({"managed_instances": {"memory_gib_per_vcpu": 9}, "vpc": in_vpc()}),
            json!({"vpc": vpc()}),
            "functions[0].managed_instances.memory_gib_per_vcpu: 9 is outside AWS's 2–8",
        ),
        (
            json!({"web": {}, "provisioned": {"initial": 1}}),
            json!({}),
            "functions[0].provisioned: provisioned concurrency applies to on-demand functions only",
        ),
        (
            json!({"web": {}, "invocation": "async"}),
            json!({}),
            "functions[0].web: Lambdascape models web for synchronous requests only",
        ),
        (
            json!({"web": {}, "vpc": in_vpc()}),
            json!({"vpc": vpc()}),
            "functions[0].vpc: Lambdascape does not model a Web Function's VPC access",
        ),
        (
            json!({"web": {"max_concurrency_per_environment": 129}}),
            json!({}),
            "functions[0].web.max_concurrency_per_environment: 129 is outside AWS's 1–128",
        ),
        (
            json!({"web": {"max_environments": 0}}),
            json!({}),
            "functions[0].web.max_environments: must be at least 1",
        ),
        (
            json!({"web": {"rate_limit": 20000}}),
            json!({}),
            "functions[0].web.rate_limit: 20000 is outside 0–10,000",
        ),
        (
            json!({"snapstart": {"cache_warmup_factor": 0.5}}),
            json!({}),
            "functions[0].snapstart.cache_warmup_factor: 0.5 is outside 1–100",
        ),
    ];
    for (function, top, want) in cases {
        let errs = refused(function.clone(), top);
        assert!(errs.iter().any(|e| e.starts_with(want)), "{function}: want {want:?}, got {errs:?}");
    }
    // A field the format does not know is named too.
    let e = spec(json!({"web": {"max_concurency_per_environment": 8}}), json!({})).unwrap_err();
    assert!(e.contains("max_concurency_per_environment"), "{e}");
}

/// A Web Function with 2 requests per environment, at most 1 environment, a 400 ms init and
/// 1 s requests, given 4 requests 250 ms apart (the first at t0): the environment starts for
/// the first request and is ready at t0 + 400 ms; the first two requests waited for it (two
/// cold starts) and end at t0 + 1.4 s: latencies 1.4 s and 1.15 s. The third and fourth
/// arrive at t0 + 0.5 s and 0.75 s, find the only allowed environment full and nothing
/// starting: throttled at once.
#[test]
fn web_latency_percentiles_match_a_hand_computed_case() {
    let s = spec(
        json!({
            "web": {"max_concurrency_per_environment": 2, "max_environments": 1},
            "traffic": {"type": "step", "rate": 4, "steps": [{"at": "1s", "rate": 0}], "arrivals": "regular"},
            "timeout": "30s"
        }),
        json!({}),
    )
    .unwrap();
    let sim = common::run(&s);
    let sum = sim.summary();
    let f = &sum.functions["api"];
    assert_eq!((f.requests, f.invocations, f.throttles, f.cold_starts), (4, 2, 2, 2), "{f:#?}");
    assert_eq!(f.throttles_by_cause["max_environments"], 2);
    let near = |got: f64, want: f64| (got - want).abs() <= want / 64.0;
    assert!(near(f.latency.latency_p50_ms, 1150.0), "p50 {}", f.latency.latency_p50_ms);
    assert_eq!(f.latency.latency_p99_ms, 1400.0);
    assert_eq!(f.latency.latency_max_ms, 1400.0);
}

/// On-demand for comparison: the same 4 requests each get their own environment (no queue):
/// four cold starts of 400 ms + 1 s = 1.4 s each.
#[test]
fn on_demand_latency_includes_the_init() {
    let s = spec(
        json!({"traffic": {"type": "step", "rate": 4, "steps": [{"at": "1s", "rate": 0}], "arrivals": "regular"}}),
        json!({}),
    )
    .unwrap();
    let f = &common::run(&s).summary().functions["api"];
    assert_eq!((f.invocations, f.cold_starts), (4, 4));
    assert_eq!((f.latency.latency_p50_ms, f.latency.latency_max_ms), (1400.0, 1400.0));
}

#[test]
fn snapstart_cold_starts_take_the_restore_not_the_init() {
    let sim = common::run(&common::load("snapstart-restore.json"));
    let f = &sim.summary().functions["orders"];
    assert!(f.restores > 20 && f.restores == f.cold_starts, "{f:#?}");
    // 20 warming restores of 3 x 200 ms, the rest 200 ms: every cold request took 300 or 700 ms.
    let cold: Vec<_> = sim.recorder().trace.iter().filter(|r| r.cold).map(|r| r.end - r.start).collect();
    assert_eq!(cold.len() as u64, f.cold_starts);
    assert_eq!(cold.iter().filter(|&&d| d == 700_000).count(), 20);
    assert!(cold.iter().all(|&d| d == 700_000 || d == 300_000), "{cold:?}");
}

#[test]
fn managed_instances_spread_over_three_azs_with_environments_ready_before_traffic() {
    let s = spec(
        json!({"managed_instances": {}, "vpc": in_vpc(), "traffic": {"type": "none", "rate": null, "arrivals": null}}),
        json!({"vpc": vpc()}),
    )
    .unwrap();
    let sc = s.validate().unwrap();
    let sim = Simulation::new(sc.clone());
    let m = sim.state().functions[0].multi.as_ref().expect("multi-concurrency state");
    let mut azs: Vec<_> = m.instances.iter().map(|i| i.az).collect();
    azs.dedup();
    assert_eq!((m.instances.len(), azs.len()), (3, 3), "three instances in three AZs");
    assert_eq!((m.envs.len(), m.starting), (3, 0), "three environments ready at the start");
    // No traffic: the instances are billed all the same (instance price + 15% fee).
    let mut sim = sim;
    sim.run();
    let cost = sim.summary().functions["api"].cost_usd;
    let want = 3.0 * 0.1445 * 1.15 * 10.0 / 3600.0;
    assert!((cost - want).abs() < 1e-9, "{cost} vs {want}");
}

#[test]
fn an_az_outage_takes_the_instances_there() {
    let s = spec(
        json!({"managed_instances": {}, "vpc": in_vpc(), "traffic": {"type": "constant", "rate": 50, "arrivals": "regular"}}),
        json!({"vpc": vpc(), "duration": "5m", "faults": [{"az_down": "us-east-1a", "at": "1m"}]}),
    )
    .unwrap();
    let sim = common::run(&s);
    let m = sim.state().functions[0].multi.as_ref().unwrap();
    assert!(m.instances.iter().all(|i| i.az != Some(0)), "no instance left in us-east-1a");
    assert!(m.instances.len() >= 3, "replaced in the other AZs: {}", m.instances.len());
}

#[test]
fn multi_concurrency_runs_are_deterministic_and_seekable() {
    for name in ["web-queue-then-throttle.json", "managed-instances-doubling.json"] {
        let s = common::load(name);
        let a = serde_json::to_value(common::run(&s).summary()).unwrap();
        let b = serde_json::to_value(common::run(&s).summary()).unwrap();
        assert_eq!(a, b, "{name}: same seed, same run");
        let sc = s.validate().unwrap();
        let opts = lambdascape_engine::sim::Options { checkpoints: true, ..Default::default() };
        let mut sim = Simulation::with_seed(sc, s.seed, opts);
        sim.run();
        let end = sim.now();
        sim.seek(end / 3);
        sim.seek(end);
        assert_eq!(
            serde_json::to_value(sim.summary()).unwrap(),
            a,
            "{name}: a seek back and forth replays the same run"
        );
    }
}

/// Managed Instances and Web Functions have their own quotas, separate from Lambda's account
/// concurrency: their requests in flight are not in the account's pool and never throttled by
/// its limit (docs/model.md#managed-instances, #web-functions).
#[test]
fn multi_concurrency_modes_are_outside_the_account_concurrency_pool() {
    let busy = json!({"type": "constant", "rate": 200, "arrivals": "regular"});
    let top = json!({"vpc": vpc(), "duration": "2m", "account": {"concurrency_limit": 150}});
    for (mode, function) in [
        ("web", json!({"web": {}, "traffic": busy})),
        ("managed_instances", json!({"managed_instances": {}, "vpc": in_vpc(), "traffic": busy})),
    ] {
        let s = spec(function, top.clone()).unwrap();
        let sum = common::run(&s).summary();
        let f = &sum.functions["api"];
        assert!(f.max_concurrency > 0, "{mode}: requests were in flight");
        assert_eq!(sum.max_concurrency, 0, "{mode}: none in the account's pool");
        assert_eq!(sum.throttles_by_cause.get("account_concurrency").copied().unwrap_or(0), 0, "{mode}");
        if mode == "web" {
            assert!(f.max_concurrency > 150, "{mode}: above the account limit: {}", f.max_concurrency);
        }
    }
}

/// A change during a run may not switch a compute mode nor touch a multi-concurrency
/// function's settings (only its traffic): refused with the change's path, never a crash.
#[test]
fn a_multi_concurrency_function_keeps_its_settings_during_a_run() {
    // A merge patch replaces the functions array: each patch holds the whole function.
    let whole = |function: &Value, edit: Value| {
        let mut f = json!({
            "name": "api",
            "memory_mb": 2048,
            "init": {"type": "constant", "ms": 400},
            "duration": {"type": "constant", "ms": 1000},
        });
        lambdascape_engine::scenario::merge_patch(&mut f, function);
        lambdascape_engine::scenario::merge_patch(&mut f, &edit);
        json!({"functions": [f]})
    };
    let change = |patch: Value| json!({"duration": "3m", "changes": [{"at": "1m", "patch": patch}]});
    let web = json!({"web": {}, "traffic": {"type": "constant", "rate": 50, "arrivals": "regular"}});
    for (function, patch) in [
        (web.clone(), json!({"memory_mb": 1024})),
        (web.clone(), json!({"web": {"max_concurrency_per_environment": 8}})),
        (json!({"traffic": {"type": "constant", "rate": 50}}), json!({"web": {}})),
        (json!({"traffic": {"type": "constant", "rate": 50}}), json!({"snapstart": {}})),
    ] {
        let patch = whole(&function, patch);
        let errs = refused(function.clone(), change(patch.clone()));
        assert_eq!(errs.len(), 1, "{patch}: {errs:?}");
        assert!(errs[0].starts_with("changes[0].patch.functions[0]: "), "{}", errs[0]);
        assert!(errs[0].contains("cannot change during a run"), "{}", errs[0]);
    }
    // Its traffic can change, and the run goes on.
    let faster = whole(&web, json!({"traffic": {"rate": 200}}));
    let s = spec(web, change(faster)).unwrap();
    let sum = common::run(&s).summary();
    assert!(sum.invocations > 50 * 60 + 200 * 60, "{}", sum.invocations);
}
