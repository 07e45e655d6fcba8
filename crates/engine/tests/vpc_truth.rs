//! Two rules the engine once taught wrongly, held against the current AWS documentation:
//!
//! - Hyperplane ENIs: "Each Hyperplane ENI supports up to 65,000 connections/ports. If the number
//!   of connections exceeds this limit, Lambda scales the number of ENIs automatically"
//!   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html, checked 2026-12-04).
//!   What does fail is the VPC's quota of network interfaces, "Elastic network interfaces per
//!   virtual private cloud (VPC): 250", shared with other services
//!   (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, checked 2026-12-04).
//! - The init limit: "The Init phase is limited to 10 seconds. If all three tasks do not complete
//!   within 10 seconds, Lambda retries the Init phase at the time of the first function
//!   invocation with the configured function timeout"
//!   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, checked
//!   2026-12-04).
//!
//! Each test here fails on the engine that refused connections past one ENI's 65,000 (reason
//! `eni_connection_limit`) or failed every init longer than 10 s.

use lambdascape_engine::checks::metric_value;
use lambdascape_engine::scenario::ScenarioSpec;
mod common;

use common::{load, run};
use lambdascape_engine::sim::Simulation;
use lambdascape_engine::time::MICROS_PER_SEC;
use serde_json::{json, Value};

fn figure(sim: &Simulation, metric: &str) -> f64 {
    metric_value(sim, metric).unwrap_or_else(|e| panic!("{e}"))
}

fn with_vpc(mut spec: ScenarioSpec, patch: Value) -> ScenarioSpec {
    let mut vpc = serde_json::to_value(spec.vpc.take().unwrap()).unwrap();
    lambdascape_engine::scenario::merge_patch(&mut vpc, &patch);
    spec.vpc = Some(serde_json::from_value(vpc).unwrap());
    spec
}

// ---------------------------------------------------------------------------------------------
// Hyperplane ENIs

/// 150 invocations x 500 connections = 75,000 on one (subnet, security-group set): more than
/// one ENI's 65,000. Lambda adds a second ENI and nothing fails (the old engine timed out 20).
#[test]
fn connections_past_one_enis_65000_add_an_eni_and_nothing_fails() {
    let sim = run(&load("eni-connection-limit.json"));
    assert_eq!(figure(&sim, "eni_max_connections.private-a+lambda"), 75_000.0);
    assert_eq!(figure(&sim, "eni_max_count.private-a+lambda"), 2.0);
    assert_eq!(figure(&sim, "timeouts"), 0.0);
    assert_eq!(figure(&sim, "errors"), 0.0);
    let s = sim.summary();
    assert!(s.unreachable.is_empty(), "{:?}", s.unreachable);
    assert!(!serde_json::to_string(&s).unwrap().contains("eni_connection_limit"));
    // The subnet's series counts its ENIs: one at the start, two once the burst needs them.
    let sub = &sim.recorder().subnets[0];
    assert_eq!(sub.value_at("enis", 0), Some(1.0));
    assert_eq!(sub.value_at("enis", 2 * MICROS_PER_SEC), Some(2.0));
    // The narrative tells the addition, never a refusal.
    let texts: Vec<&str> = sim.recorder().narrative.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("Lambda adds an ENI (2 in the group now")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("cannot open")), "{texts:?}");
}

/// Only the VPC's quota of network interfaces stops the group from growing: with 9 of 10 taken
/// by other services the 20 invocations that need a second ENI time out, reason
/// `eni_quota_reached`; with 8 taken there is room and nothing fails.
#[test]
fn only_the_vpcs_quota_of_network_interfaces_makes_connections_fail() {
    let spec = load("eni-quota-reached.json");
    let sim = run(&spec);
    assert_eq!(figure(&sim, "unreachable.eni_quota_reached"), 20.0);
    assert_eq!(figure(&sim, "timeouts"), 20.0);
    assert_eq!(figure(&sim, "eni_max_count.private-a+lambda"), 1.0);
    assert_eq!(sim.state().net.enis_in_use() + 9, 10);
    let timed_out: Vec<_> = sim.recorder().trace.iter().filter(|r| r.outcome == "timeout").collect();
    assert_eq!(timed_out.len(), 20);
    assert!(timed_out.iter().all(|r| r.end - r.start == 200_000 + 10 * MICROS_PER_SEC));

    let sim = run(&with_vpc(spec, json!({"other_enis": 8})));
    assert_eq!(figure(&sim, "timeouts"), 0.0);
    assert_eq!(figure(&sim, "eni_max_count.private-a+lambda"), 2.0);
    assert!(sim.summary().unreachable.is_empty());
}

/// Network interfaces of other services count against the quota: with all 10 of them taken,
/// Lambda cannot create even the group's first ENI and no invocation can connect.
#[test]
fn other_services_network_interfaces_count_against_the_quota() {
    let spec = with_vpc(load("eni-quota-reached.json"), json!({"other_enis": 10}));
    let sim = run(&spec);
    assert_eq!(figure(&sim, "eni_max_count.private-a+lambda"), 0.0);
    assert_eq!(figure(&sim, "unreachable.eni_quota_reached"), 150.0);
    assert_eq!(figure(&sim, "successes_by_subnet.private-a"), 0.0);
    let told = sim.recorder().narrative.iter().filter(|e| e.text.contains("cannot open its")).count();
    assert_eq!(told, 1, "one episode of refusals");
}

/// AWS documents no time for adding an ENI, so it is a parameter (0 by default). With 3 s, the
/// invocations from the 131st on (the first past 65,000 connections, at 1.31 s) wait for the new
/// ENI, ready at 4.31 s, then run their 5 s; with 6 s the wait takes them past the 10 s timeout.
#[test]
fn eni_scale_out_time_delays_the_invocations_that_need_the_new_eni() {
    let spec = load("eni-connection-limit.json");
    let base = run(&spec);
    let first = &base.recorder().trace[0];
    let lat = first.end - first.start - 200_000 - 5 * MICROS_PER_SEC;

    let sim = run(&with_vpc(spec.clone(), json!({"eni_scale_out_time": "3s"})));
    assert_eq!(figure(&sim, "errors"), 0.0);
    assert_eq!(figure(&sim, "eni_max_count.private-a+lambda"), 2.0);
    let (late, early): (Vec<_>, Vec<_>) = sim.recorder().trace.iter().partition(|r| r.start >= 1_305_000);
    assert_eq!((late.len(), early.len()), (20, 130));
    let ready = late.iter().map(|r| r.start).min().unwrap() + 3 * MICROS_PER_SEC;
    assert_eq!(ready, 4_310_000);
    for r in &late {
        assert_eq!(r.end, ready + 5 * MICROS_PER_SEC + lat, "{r:?}");
    }
    for r in &early {
        assert_eq!(r.end - r.start, 200_000 + 5 * MICROS_PER_SEC + lat, "{r:?}");
    }
    let texts: Vec<&str> = sim.recorder().narrative.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("its calls wait 3s for the new ENI")), "{texts:?}");

    let sim = run(&with_vpc(spec, json!({"eni_scale_out_time": "6s"})));
    assert_eq!(figure(&sim, "timeouts"), 20.0);
    assert!(sim.summary().unreachable.is_empty(), "a slow ENI is not an unreachable path");
}

/// The ENI's default connection limit and the quota's default are AWS's figures.
#[test]
fn defaults_are_awss_figures() {
    let spec = load("eni-connection-default.json");
    let vpc = spec.validate().unwrap().vpc.unwrap();
    assert_eq!(
        (vpc.eni_connection_limit, vpc.eni_quota, vpc.other_enis, vpc.eni_scale_out),
        (65_000, 250, 0, 0)
    );
}

// ---------------------------------------------------------------------------------------------
// The init limit

fn one_function(init_ms: f64, handler_ms: f64, timeout: &str, traffic: Value) -> ScenarioSpec {
    let s = json!({
        "version": 1, "name": "init-limit", "duration": "3m",
        "functions": [{
            "name": "api", "timeout": timeout,
            "init": {"type": "constant", "ms": init_ms},
            "duration": {"type": "constant", "ms": handler_ms},
            "traffic": traffic,
        }],
    });
    ScenarioSpec::from_json(&s.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn one_request() -> Value {
    json!({"type": "step", "rate": 1, "steps": [{"at": "1500ms", "rate": 0}], "arrivals": "regular"})
}

/// A 12 s init (10 s limit) with a 3 s handler and a 30 s timeout: the first init stops at
/// 10 s, the retried 12 s init and the handler fit the timeout, the request succeeds after
/// 25 s; counted as an init timeout, told in the narrative, not an error.
#[test]
fn an_init_past_the_limit_is_retried_and_the_request_succeeds_late() {
    let sim = run(&one_function(12_000.0, 3_000.0, "30s", one_request()));
    let r = &sim.recorder().trace[0];
    assert_eq!((r.outcome, r.end - r.start), ("success", 25 * MICROS_PER_SEC));
    assert_eq!(figure(&sim, "init_timeouts"), 1.0);
    assert_eq!(figure(&sim, "functions.api.init_timeouts"), 1.0);
    assert_eq!(figure(&sim, "errors"), 0.0);
    let series = &sim.recorder().account;
    assert_eq!(series.column("init_timeouts").unwrap().iter().sum::<f32>(), 1.0);
    let line = sim.recorder().narrative.iter().find(|e| e.text.contains("init ran past")).expect("told");
    assert!(line.text.starts_with("api: env #"), "{}", line.text);
    assert!(line.text.contains("past the 10s init limit"), "{}", line.text);
    assert!(line.text.contains("under the 30s function timeout"), "{}", line.text);
    assert!(line.text.ends_with("took 25.0 s in all and succeeded"), "{}", line.text);
    // The environment initialized: a second request 40 s after the first is warm.
    let spec = one_function(
        12_000.0,
        3_000.0,
        "30s",
        json!({"type": "step", "rate": 0.025, "steps": [{"at": "81s", "rate": 0}], "arrivals": "regular"}),
    );
    let sim = run(&spec);
    let t = &sim.recorder().trace;
    assert_eq!(t.len(), 2);
    assert!(t[0].cold && !t[1].cold);
    assert_eq!(t[1].end - t[1].start, 3 * MICROS_PER_SEC);
}

/// The retried init and the handler share the function timeout: 25 s + 10 s > 30 s times out at
/// 10 s + 30 s (the environment, initialized, stays); an init of 31 s never completes within the
/// timeout and its environment is discarded (the next request is cold again).
#[test]
fn the_retried_init_and_the_handler_share_the_function_timeout() {
    let sim = run(&one_function(25_000.0, 10_000.0, "30s", one_request()));
    let r = &sim.recorder().trace[0];
    assert_eq!((r.outcome, r.end - r.start), ("timeout", 40 * MICROS_PER_SEC));
    assert_eq!(figure(&sim, "init_timeouts"), 1.0);
    assert_eq!(figure(&sim, "timeouts"), 1.0);
    assert_eq!(figure(&sim, "environments_reaped"), 0.0);

    let two =
        json!({"type": "step", "rate": 0.02, "steps": [{"at": "101s", "rate": 0}], "arrivals": "regular"});
    let sim = run(&one_function(31_000.0, 100.0, "30s", two));
    let t = &sim.recorder().trace;
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|r| r.outcome == "timeout" && r.cold && r.end - r.start == 40 * MICROS_PER_SEC));
    assert_eq!(figure(&sim, "init_timeouts"), 2.0);
    assert_eq!(figure(&sim, "environments_reaped"), 2.0);
    let line = sim.recorder().narrative.iter().find(|e| e.text.contains("init ran past")).expect("told");
    assert!(line.text.contains("timed out before the retried init completed"), "{}", line.text);
    assert_eq!(sim.state().account.initializing, 0);
}

/// An init of exactly the limit is within it; provisioned environments are initialized ahead of
/// time and never meet the on-demand 10 s limit (AWS: the limit "doesn't apply to functions that
/// are using provisioned concurrency or SnapStart").
#[test]
fn the_limit_is_strict_and_spares_provisioned_environments() {
    let sim = run(&one_function(10_000.0, 100.0, "3s", one_request()));
    assert_eq!(figure(&sim, "init_timeouts"), 0.0);
    assert_eq!(sim.recorder().trace[0].end - sim.recorder().trace[0].start, 10_100_000);

    let mut spec =
        one_function(12_000.0, 100.0, "3s", json!({"type": "constant", "rate": 2, "arrivals": "regular"}));
    spec.functions[0].provisioned = Some(serde_json::from_value(json!({"initial": 5})).unwrap());
    let sim = run(&spec);
    assert!(figure(&sim, "invocations") > 200.0);
    assert_eq!(figure(&sim, "cold_starts"), 0.0);
    assert_eq!(figure(&sim, "init_timeouts"), 0.0);
    assert_eq!(figure(&sim, "errors"), 0.0);
}
