//! Compare mode's rows: the widget's way (variants patched onto the text as read) gives the same
//! scenarios and rows as the CLI's (`ScenarioSpec::variant` on the parsed spec), for every
//! preset with variants; a variant that breaks the format is named by its path.

use lambdascape_engine::compare::{run_all, run_all_text};
use lambdascape_engine::scenario::ScenarioSpec;

#[test]
fn rows_from_the_text_equal_rows_from_the_spec_for_every_preset() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/scenarios");
    let mut compared = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(spec) = ScenarioSpec::from_json(&text) else { continue }; // index.json
        if spec.variants.is_empty() {
            continue;
        }
        let a = serde_json::to_value(run_all(&spec, spec.seed).unwrap()).unwrap();
        let b = serde_json::to_value(run_all_text(&text).unwrap()).unwrap();
        assert_eq!(a, b, "{}", path.display());
        let runs = ScenarioSpec::parse_with_variants(&text).unwrap();
        for (i, (name, sc)) in runs.iter().enumerate().skip(1) {
            let want = spec.variant(i - 1).unwrap();
            assert_eq!(name, &spec.variants[i - 1].name);
            assert_eq!(sc.spec, want, "{} variant {i}", path.display());
        }
        compared += 1;
    }
    assert!(compared >= 15, "presets with variants: {compared}");
}

#[test]
fn a_variant_that_breaks_the_format_is_named_by_its_path() {
    let text = r#"{"version": 1, "name": "v", "duration": "10s",
        "functions": [{"name": "api", "traffic": {"type": "constant", "rate": 1}}],
        "variants": [{"name": "ok", "patch": {"seed": 3}},
                     {"name": "bad", "patch": {"functions": [{"name": "api", "memory_mb": "lots"}]}}]}"#;
    let e = run_all_text(text).unwrap_err().to_string();
    assert!(e.contains("variants[1].patch"), "{e}");
}

/// A compare row's figures come from `Simulation::headline`: the summary's own figures, at
/// the end and part-way (a partial run's row is shown while the runs play).
#[test]
fn the_headline_is_the_summarys_figures() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
    for name in [
        "www/scenarios/compute-modes-spiky-api.json",
        "www/scenarios/snapstart-restore-vs-init.json",
        "www/scenarios/mixed-subnets.json",
        "tests/scenarios/async-throttle-dlq.json",
        "tests/scenarios/pc-spillover.json",
    ] {
        let spec =
            ScenarioSpec::from_json(&std::fs::read_to_string(format!("{root}{name}")).unwrap()).unwrap();
        let mut sim = lambdascape_engine::sim::Simulation::with_seed(
            spec.validate().unwrap(),
            spec.seed,
            Default::default(),
        );
        for t in [sim.horizon() / 3, sim.horizon()] {
            sim.advance_to(t);
            let (h, s) = (sim.headline(), sim.summary());
            assert_eq!(
                (h.requests, h.invocations, h.throttles, h.errors, h.cold_starts),
                (s.requests, s.invocations, s.throttles, s.errors, s.cold_starts),
                "{name} at {t}"
            );
            assert_eq!(h.restores, s.functions.values().map(|f| f.restores).sum::<u64>(), "{name}");
            assert_eq!(h.latency, s.latency, "{name}");
            assert_eq!(h.cost_usd, s.cost_usd, "{name}");
        }
    }
}
