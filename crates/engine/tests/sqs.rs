//! The SQS event source's scaling (docs/model.md#event-sources), against AWS's documentation
//! (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html): on demand, 5
//! concurrent batches, then up to 300 more concurrent invokes per minute while messages remain,
//! up to 1,250 (`scaling: legacy`: +60 per minute up to 1,000); MaximumConcurrency and reserved
//! concurrency cap it; in provisioned mode the minimum pollers' invokes (10 each) are there at
//! once and grow by up to 1,000 per minute to the maximum pollers'.

use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::{Simulation, SourceState};
use lambdascape_engine::time::MICROS_PER_SEC;

/// One function fed by an SQS queue that receives `messages` within the first 10 s; each batch
/// of 10 takes 5 s.
fn scenario(source: &str, messages: u32, extra: &str, duration: &str) -> ScenarioSpec {
    let rate = messages / 10;
    let text = format!(
        r#"{{
          "version": 1, "name": "sqs-test", "seed": 7, "duration": "{duration}", "sample_interval": "1s",
          "account": {{ "region": "us-east-1", "concurrency_limit": 5000 }},
          "functions": [{{
            "name": "worker", "timeout": "60s", {extra}
            "duration": {{ "type": "constant", "ms": 5000 }},
            "event_source": {source},
            "traffic": {{ "type": "bursts", "base": 0, "burst_rate": {rate}, "every": "1h", "burst_for": "10s",
                          "start": "0s", "arrivals": "regular" }}
          }}]
        }}"#
    );
    ScenarioSpec::from_json(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn run(spec: &ScenarioSpec) -> Simulation {
    let mut sim = Simulation::new(spec.validate().unwrap_or_else(|e| panic!("{e}")));
    sim.run();
    sim
}

/// Concurrent batches of the event source at `sec`.
fn at(sim: &Simulation, sec: u64) -> f32 {
    sim.recorder().functions[0].value_at("event_source_concurrency", sec * MICROS_PER_SEC).unwrap()
}

fn peak(sim: &Simulation) -> f32 {
    sim.recorder().functions[0]
        .column("event_source_concurrency")
        .unwrap()
        .iter()
        .copied()
        .fold(0.0, f32::max)
}

fn near(value: f32, want: f32, tolerance: f32, what: &str) {
    assert!((value - want).abs() <= tolerance, "{what}: {value}, want {want} ± {tolerance}");
}

/// The documented ramp: 5 + 300 per minute, so 305, 605 and 905 after 1, 2 and 3 minutes, and
/// 1,250 (not 1,000) after (1,250 - 5) / 300 = 4.15 minutes, never more.
#[test]
fn on_demand_ramp_is_5_then_300_per_minute_up_to_1250() {
    let sim = run(&scenario(r#"{ "type": "sqs", "visibility_timeout": "6m" }"#, 600_000, "", "6m"));
    assert!((5.0..=10.0).contains(&at(&sim, 1)), "start: {}", at(&sim, 1));
    for minute in 1..=3u64 {
        near(at(&sim, minute * 60), 5.0 + 300.0 * minute as f32, 5.0, &format!("minute {minute}"));
    }
    let reached = sim.recorder().functions[0]
        .column("event_source_concurrency")
        .unwrap()
        .iter()
        .position(|&c| c >= 1250.0)
        .expect("reaches 1,250");
    let reached = sim.recorder().functions[0].times[reached] / MICROS_PER_SEC;
    assert!((245..=252).contains(&reached), "1,250 reached at {reached} s");
    assert_eq!(peak(&sim), 1250.0);
    assert_eq!(sim.summary().throttles, 0);
}

/// `scaling: legacy`: the older docs' +60 per minute (65, 125, 185 after 1, 2, 3 minutes).
#[test]
fn legacy_ramp_adds_60_per_minute() {
    let sim = run(&scenario(
        r#"{ "type": "sqs", "scaling": "legacy", "visibility_timeout": "6m" }"#,
        200_000,
        "",
        "4m",
    ));
    for minute in 1..=3u64 {
        near(at(&sim, minute * 60), 5.0 + 60.0 * minute as f32, 2.0, &format!("minute {minute}"));
    }
}

/// The legacy ceiling is 1,000; an explicit ramp overrides the mode's.
#[test]
fn legacy_ceiling_is_1000_and_the_ramp_can_be_set() {
    let source =
        r#"{ "type": "sqs", "scaling": "legacy", "scale_up_per_minute": 600, "visibility_timeout": "6m" }"#;
    let sim = run(&scenario(source, 400_000, "", "4m"));
    near(at(&sim, 60), 605.0, 5.0, "after a minute at 600 per minute");
    assert_eq!(peak(&sim), 1000.0);
}

/// The ESM's MaximumConcurrency caps the pollers below the ceiling.
#[test]
fn maximum_concurrency_caps_the_ramp() {
    let sim = run(&scenario(r#"{ "type": "sqs", "maximum_concurrency": 200 }"#, 100_000, "", "2m"));
    near(at(&sim, 30), 155.0, 5.0, "still ramping at 30 s");
    assert_eq!(peak(&sim), 200.0);
}

/// Reserved concurrency caps it too: the batches Lambda throttles are not lost, their messages
/// come back after the visibility timeout and are processed later.
#[test]
fn reserved_concurrency_caps_it_and_throttled_messages_come_back() {
    let source = r#"{ "type": "sqs", "visibility_timeout": "20s", "max_receive_count": 100 }"#;
    let sim = run(&scenario(source, 50_000, r#""reserved_concurrency": 100,"#, "10m"));
    assert!(peak(&sim) <= 100.0, "peak {}", peak(&sim));
    let s = sim.summary();
    assert!(s.throttles > 0, "the pollers ran into the reserved concurrency");
    let f = &s.functions["worker"];
    assert_eq!(f.dlq_events, 0);
    assert_eq!(f.sqs_deleted, f.sqs_messages, "every message processed in the end");
}

/// Provisioned mode: 30 minimum pollers x 10 invokes from the first second (no ramp from 5),
/// +1,000 per minute while messages wait, at most 80 x 10; back to the minimum once empty.
#[test]
fn provisioned_mode_starts_at_the_minimum_and_grows_to_the_maximum() {
    let source = r#"{ "type": "sqs", "visibility_timeout": "6m",
                     "provisioned_pollers": { "minimum_pollers": 30, "maximum_pollers": 80 } }"#;
    let sim = run(&scenario(source, 300_000, "", "5m"));
    near(at(&sim, 1), 300.0, 17.0, "the minimum pollers' invokes at once");
    near(at(&sim, 12), 500.0, 17.0, "+1,000 per minute");
    assert_eq!(peak(&sim), 800.0);
    let Some(SourceState::Sqs(q)) = &sim.state().functions[0].source else { panic!("an SQS source") };
    assert_eq!(q.pollers, 300.0, "back to the minimum pollers' invokes once the queue is empty");
}

/// The documented ranges, and MaximumConcurrency not with provisioned mode.
#[test]
fn provisioned_settings_are_checked() {
    let bad = [
        (r#"{ "minimum_pollers": 1 }"#, "", "provisioned_pollers.minimum_pollers"),
        (r#"{ "minimum_pollers": 201, "maximum_pollers": 300 }"#, "", "provisioned_pollers.minimum_pollers"),
        (r#"{ "minimum_pollers": 20, "maximum_pollers": 10 }"#, "", "provisioned_pollers.maximum_pollers"),
        (r#"{ "maximum_pollers": 10001 }"#, "", "provisioned_pollers.maximum_pollers"),
        (r#"{ "invokes_per_poller": 11 }"#, "", "provisioned_pollers.invokes_per_poller"),
        (r#"{}"#, r#""maximum_concurrency": 100,"#, "event_source.maximum_concurrency"),
        (r#"{}"#, r#""max_pollers": 100,"#, "event_source.max_pollers"),
        (r#"{}"#, r#""scaling": "legacy","#, "event_source.scaling"),
    ];
    for (pollers, more, path) in bad {
        let source = format!(r#"{{ "type": "sqs", {more} "provisioned_pollers": {pollers} }}"#);
        let errs =
            scenario(&source, 100, "", "1m").validate().err().unwrap_or_else(|| panic!("{source} is valid"));
        assert!(errs.iter().any(|e| e.path.ends_with(path)), "{source}: {errs}");
    }
    let defaults = scenario(r#"{ "type": "sqs", "provisioned_pollers": {} }"#, 100, "", "1m");
    assert!(defaults.validate().is_ok(), "2 minimum and 200 maximum pollers by default");
}
