//! Throttle reasons and causes (docs/model.md#throttle-reasons, #requests-per-second): the
//! summary shows only AWS's own `TooManyRequestsException` Reason codes as such, Lambdascape's
//! finer causes separately, and the two agree with the total; the requests-per-second quotas
//! apply per function and to synchronous requests only.

use lambdascape_engine::scenario::{ScalingModel, ScenarioSpec};
use lambdascape_engine::sim::{Simulation, ThrottleCause};
use std::path::PathBuf;

/// The `Reason` values AWS's API reference lists for `TooManyRequestsException`.
const AWS_REASONS: [&str; 6] = [
    "ConcurrentInvocationLimitExceeded",
    "FunctionInvocationRateLimitExceeded",
    "ReservedFunctionConcurrentInvocationLimitExceeded",
    "ReservedFunctionInvocationRateLimitExceeded",
    "CallerRateLimitExceeded",
    "ConcurrentSnapshotCreateLimitExceeded",
];

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("index.json"))
        .collect();
    v.sort();
    v
}

fn run_text(text: &str) -> Simulation {
    let spec = ScenarioSpec::from_json(text).unwrap();
    let mut sim = Simulation::new(spec.validate().unwrap());
    sim.run();
    sim
}

#[test]
fn reasons_are_aws_codes_and_causes_add_up_on_every_scenario() {
    let mut seen_causes = std::collections::BTreeSet::new();
    for p in files("../../tests/scenarios").into_iter().chain(files("../../www/scenarios")) {
        let text = std::fs::read_to_string(&p).unwrap();
        let sim = run_text(&text);
        let s = sim.summary();
        let name = p.display();
        let by_cause: u64 = s.throttles_by_cause.values().sum();
        assert_eq!(by_cause, s.throttles, "{name}: every throttle has one cause");
        for k in s.throttles_by_reason.keys() {
            assert!(AWS_REASONS.contains(&k.as_str()), "{name}: {k} is not an AWS Reason code");
        }
        let with_reason: u64 = ThrottleCause::ALL
            .iter()
            .filter(|c| c.aws_reason().is_some())
            .map(|c| s.throttles_by_cause[c.label()])
            .sum();
        assert_eq!(s.throttles_by_reason.values().sum::<u64>(), with_reason, "{name}");
        let legacy = sim.scenario().account.model == ScalingModel::Legacy;
        let (wrong, other) = if legacy {
            (["scaling_rate", "scaling_rps"], "current")
        } else {
            (["burst_bucket", "burst_bucket"], "legacy")
        };
        for w in wrong {
            assert_eq!(s.throttles_by_cause[w], 0, "{name}: {w} belongs to the {other} model");
        }
        for (f, fs) in &s.functions {
            assert_eq!(fs.throttles_by_cause.values().sum::<u64>(), fs.throttles, "{name}: {f}");
        }
        for (k, v) in &s.throttles_by_cause {
            if *v > 0 {
                seen_causes.insert(k.clone());
            }
        }
    }
    // The fixtures exercise the causes a learner meets most.
    for c in ["account_concurrency", "reserved_concurrency", "burst_bucket", "scaling_rate", "scaling_rps"] {
        assert!(seen_causes.contains(c), "no scenario throttles for {c}: {seen_causes:?}");
    }
}

fn two_functions(invocation: &str, rate: u32) -> String {
    format!(
        r#"{{
  "version": 1, "name": "rps", "seed": 3, "duration": "20s", "sample_interval": "1s",
  "account": {{ "concurrency_limit": 1000, "scaling_model": "current" }},
  "functions": [
    {{ "name": "a", "invocation": "{invocation}", "init": {{ "type": "constant", "ms": 5 }}, "duration": {{ "type": "constant", "ms": 1 }},
       "traffic": {{ "type": "constant", "rate": {rate}, "arrivals": "regular" }} }},
    {{ "name": "b", "invocation": "{invocation}", "init": {{ "type": "constant", "ms": 5 }}, "duration": {{ "type": "constant", "ms": 1 }},
       "traffic": {{ "type": "constant", "rate": {rate}, "arrivals": "regular" }} }}
  ]
}}"#
    )
}

/// "Invocation requests per function per Region (synchronous): ... 10 times your concurrency
/// limit": per function, so two functions at 6,000 requests per second each (12,000 together,
/// above 10 x 1,000) are not throttled for it.
#[test]
fn the_rps_quota_is_per_function() {
    let s = run_text(&two_functions("sync", 6000)).summary();
    assert_eq!(s.throttles_by_cause["account_rps"], 0, "{:?}", s.throttles_by_cause);
    assert_eq!(s.throttles, 0, "{:?}", s.throttles_by_cause);
    // One function above it is throttled, with AWS's Reason code.
    let text = two_functions("sync", 10_500)
        .replace(r#""name": "b", "invocation""#, r#""name": "b", "reserved_concurrency": 100, "invocation""#);
    let s = run_text(&text).summary();
    assert!(s.functions["a"].throttles_by_reason["FunctionInvocationRateLimitExceeded"] > 0);
    assert!(s.functions["b"].throttles_by_reason["ReservedFunctionInvocationRateLimitExceeded"] > 0);
}

/// "Invocation requests per function per Region (asynchronous): ... an unlimited number of
/// requests": asynchronous events are not held to the RPS quota nor to the RPS ramp.
#[test]
fn asynchronous_requests_have_no_rps_quota() {
    let s = run_text(&two_functions("async", 12_000)).summary();
    assert_eq!(s.throttles_by_cause["account_rps"], 0, "{:?}", s.throttles_by_cause);
    assert_eq!(s.throttles_by_cause["scaling_rps"], 0, "{:?}", s.throttles_by_cause);
    let s = run_text(&two_functions("sync", 12_000)).summary();
    assert!(s.throttles_by_cause["account_rps"] > 0, "{:?}", s.throttles_by_cause);
}
