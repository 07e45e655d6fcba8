use super::axis::{layout, text_width, ChartBox};
use super::*;
use crate::scenario::{FunctionSpec, ScenarioSpec};
use crate::sim::Options;
use crate::traffic::TrafficSpec;

fn sim_of(text: &str) -> Simulation {
    let sc = ScenarioSpec::parse_and_validate(text).unwrap();
    let seed = sc.spec.seed;
    Simulation::with_seed(sc, seed, Options { checkpoints: true, ..Default::default() })
}

fn run(text: &str) -> Simulation {
    let mut sim = sim_of(text);
    sim.run();
    sim
}

fn labels(d: &ChartData) -> Vec<&str> {
    d.areas.iter().chain(&d.lines).map(|l| l.label.as_str()).collect()
}

#[test]
fn decimation_bounds_points_and_keeps_first_last_and_extremes() {
    let times: Vec<Micros> = (0..100_000).map(|i| i * MICROS_PER_SEC).collect();
    let v = |r: usize| match r {
        50_001 => 99.0,
        70_000 => -5.0,
        _ => 1.0,
    };
    let rows = decimate(&times, &v, 0..times.len(), 2000);
    assert!(rows.len() <= 2000, "{}", rows.len());
    assert!(rows.contains(&50_001) && rows.contains(&70_000));
    assert_eq!((rows.first(), rows.last()), (Some(&0), Some(&99_999)));
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "in time order, each row once");
    // Short series are kept whole; gaps (blank samples) are skipped; `upto` bounds the rows.
    let q = decimate(&times, &|r| if r == 3 { f64::NAN } else { r as f64 }, 0..10, 2000);
    assert_eq!(q, [0, 1, 2, 4, 5, 6, 7, 8, 9]);
    assert!(decimate(&times, &|_| 1.0, 0..0, 2000).is_empty());
    assert!(decimate(&[], &|_| 1.0, 0..10, 2000).is_empty());
}

#[test]
fn nice_tops_are_round_and_above() {
    assert_eq!(nice_top(0.0), 1.0);
    assert_eq!(nice_top(f64::NAN), 1.0);
    assert_eq!(nice_top(5000.0), 6000.0);
    assert_eq!(nice_top(95.0), 100.0);
    assert_eq!(nice_top(0.013), 0.015);
    assert_eq!(nice_top(100.0 / 1.05), 100.0);
    for v in [0.7, 3.3, 42.0, 999.0, 12_345.0] {
        assert!(nice_top(v) >= v * 1.05, "{v}");
    }
}

#[test]
fn kinds_have_one_name_each() {
    for k in ChartKind::EVERY {
        assert_eq!(ChartKind::from_name(k.name()), Some(k));
        assert!(!k.about().is_empty());
    }
    assert_eq!(ChartKind::from_name("cold_starts"), Some(ChartKind::ColdStarts));
    assert_eq!(ChartKind::from_name("network"), Some(ChartKind::SubnetTimeouts));
    assert_eq!(ChartKind::from_name("cold-starts"), None, "ids are the page's, names the CLI's");
}

#[test]
fn concurrency_chart_matches_the_series_and_has_limits() {
    let mut sim = sim_of(include_str!("../../../../tests/scenarios/seed-burst-5000.json"));
    sim.seek(120 * MICROS_PER_SEC);
    let d = chart(&sim, ChartKind::Concurrency, 50);
    assert_eq!(d.areas.len(), 1);
    assert!(d.areas[0].points.len() <= 50);
    assert_eq!(d.areas[0].own.as_ref().map(Vec::len), Some(d.areas[0].points.len()));
    let last = d.areas[0].points.last().unwrap();
    assert_eq!(last.0, 120.0, "the last sample is kept");
    let at = sim.recorder().account.value_at("concurrency", 120 * MICROS_PER_SEC).unwrap() as f64;
    assert_eq!(last.1, at);
    assert_eq!(d.limits[0].id, "account");
    assert_eq!(d.limits[0].label, "account limit 5,000");
    assert_eq!(d.y_max, 6000.0, "the account limit is in view");
    assert_eq!(d.x_max, 360.0);
    assert_eq!(labels(&d), ["product-api", "burst ceiling"]);
    let r = readout(&d, 60.0);
    assert_eq!(r[0].0, "product-api");
    assert!(r[0].2 > 3000.0);
}

#[test]
fn stacked_layers_are_cumulative_and_read_out_their_own_values() {
    let sim = run(include_str!("../../../../tests/scenarios/reserved-protects-critical.json"));
    let d = chart(&sim, ChartKind::Concurrency, MAX_POINTS);
    assert_eq!(d.areas.len(), 3);
    // Top layer first: each layer's top is at or above the one below it.
    for w in d.areas.windows(2) {
        for (a, b) in w[0].points.iter().zip(&w[1].points) {
            assert!(a.1 >= b.1 && a.0 == b.0);
        }
    }
    let reserved: Vec<_> = d.limits.iter().filter(|l| l.id == "reserved").collect();
    assert_eq!(reserved.len(), 2, "{:?}", d.limits);
    let t = d.areas[0].points[100].0;
    let sum: f64 = readout(&d, t).iter().take(3).map(|r| r.2).sum();
    assert_eq!(sum, d.areas[0].points[100].1);
}

#[test]
fn throttle_chart_names_the_causes_that_happened() {
    let sim = run(include_str!("../../../../tests/scenarios/seed-burst-5000.json"));
    let d = chart(&sim, ChartKind::Throttles, MAX_POINTS);
    assert_eq!(d.title, "Throttles by cause");
    assert_eq!(labels(&d), ["account limit", "burst bucket"]);
    assert_eq!(d.lines[0].hue, Hue::Vermillion);
    assert!(d.note.is_none());
    // 800 requests/s arrive; at the account limit 5,000 run 10 s each = 500/s: 300/s throttled
    // on average over the last minute (completions come in waves, so not every second).
    let tail: Vec<f64> = d.lines[0].points.iter().filter(|p| p.0 > 300.0).map(|p| p.1).collect();
    let mean = tail.iter().sum::<f64>() / tail.len() as f64;
    assert!((280.0..=320.0).contains(&mean), "{mean}");
    let cost = chart(&sim, ChartKind::Cost, 100);
    assert!(cost.lines[0].points.last().unwrap().1 > 0.0);
    let cold = chart(&sim, ChartKind::ColdStarts, 100);
    assert!(cold.y_max > 1.0);
    // Nothing throttled yet: a note instead of lines.
    let mut early = sim_of(include_str!("../../../../tests/scenarios/seed-burst-5000.json"));
    early.seek(MICROS_PER_SEC);
    let d = chart(&early, ChartKind::Throttles, MAX_POINTS);
    assert!(d.lines.is_empty());
    assert_eq!(d.note.as_deref(), Some("no request throttled so far"));
}

#[test]
fn every_chart_builds_and_lays_out_for_every_test_scenario() {
    let texts = [
        include_str!("../../../../tests/scenarios/async-throttle-dlq.json"),
        include_str!("../../../../tests/scenarios/pc-spillover.json"),
        include_str!("../../../../tests/scenarios/seed-nat-in-private-subnet.json"),
        include_str!("../../../../tests/scenarios/simfaas-example.json"),
        include_str!("../../../../tests/scenarios/seed-mixed-subnets.json"),
    ];
    for text in texts {
        let sim = run(text);
        for kind in ChartKind::EVERY {
            let d = chart(&sim, kind, MAX_POINTS);
            let name = kind.name();
            assert!(!d.title.is_empty() && !d.unit.is_empty(), "{name}");
            assert!(d.y_max > 0.0 && d.y_max.is_finite(), "{name}");
            assert!(d.note.is_some() || !(d.areas.is_empty() && d.lines.is_empty()), "{name}");
            for l in d.areas.iter().chain(&d.lines) {
                assert!(l.points.len() <= MAX_POINTS, "{name} {}: {}", l.label, l.points.len());
                assert!(l.points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
                assert!(l.points.windows(2).all(|w| w[0].0 < w[1].0), "{name} {}", l.label);
            }
            let lay = layout(&d, &ChartBox::canvas(700.0, 220.0));
            assert!(lay.left < lay.right && lay.top < lay.bottom, "{name}");
            assert!(lay.y_ticks.len() >= 2 && lay.x_ticks.len() >= 2, "{name}");
            assert_eq!(lay.paths.len(), d.areas.len() + d.lines.len());
            for p in &lay.paths {
                for (x, y) in p.parts.iter().flatten().chain(&p.fill) {
                    assert!(*x >= lay.left - 1e-9 && *x <= lay.right + 1e-9, "{name}");
                    assert!(*y >= lay.top - 1e-9 && *y <= lay.bottom + 1e-9, "{name}: {y}");
                }
            }
        }
    }
}

#[test]
fn provisioned_async_and_network_show_what_they_name() {
    let sim = run(include_str!("../../../../tests/scenarios/pc-spillover.json"));
    let d = chart(&sim, ChartKind::Provisioned, 100);
    assert!(d.areas[0].label.ends_with("allocated"));
    assert!(d.areas[0].points.iter().any(|p| p.1 > 0.0));

    let sim = run(include_str!("../../../../tests/scenarios/pc-target-tracking.json"));
    let u = chart(&sim, ChartKind::PcUtilization, 100);
    assert_eq!(u.limits.len(), 1, "the target line");
    assert_eq!(u.y_max, 100.0);

    let sim = run(include_str!("../../../../tests/scenarios/async-throttle-dlq.json"));
    let d = chart(&sim, ChartKind::AsyncQueue, MAX_POINTS);
    let dlq = d.lines.iter().find(|l| l.label == "disabled in DLQ").expect("in DLQ");
    assert!(dlq.points.last().unwrap().1 >= 1500.0, "reserved 0 sends every event to the DLQ");

    let sim = run(include_str!("../../../../tests/scenarios/seed-mixed-subnets.json"));
    let kinds = ChartKind::for_scenario(sim.scenario());
    assert!(kinds.contains(&ChartKind::SubnetTimeouts) && !kinds.contains(&ChartKind::Provisioned));
    let d = chart(&sim, ChartKind::SubnetTimeouts, 100);
    assert_eq!(d.lines.len(), 2);
    assert!(d.lines.iter().all(|l| l.label.ends_with("(private)") || l.label.ends_with("(public)")));
    let none = chart(&sim, ChartKind::Provisioned, 100);
    assert_eq!(none.note.as_deref(), Some("no function has provisioned concurrency"));
}

#[test]
fn long_runs_are_decimated() {
    let mut spec = ScenarioSpec::new("long", vec![FunctionSpec::new("api", TrafficSpec::constant(2.0))]);
    spec.duration = "3h".into();
    let mut sim = Simulation::new(spec.validate().unwrap());
    sim.run();
    assert!(sim.recorder().account.len() > 10_000);
    let d = chart(&sim, ChartKind::Cost, MAX_POINTS);
    assert!(d.lines[0].points.len() <= MAX_POINTS);
    assert_eq!(d.lines[0].points.last().unwrap().0, 3.0 * 3600.0);
    let lay = layout(&d, &ChartBox::canvas(900.0, 300.0));
    assert!(lay.labels[0].text.starts_with("total $"), "{:?}", lay.labels);
    assert_eq!(lay.x_title, "time (sim, h:mm:ss)");
    assert_eq!(lay.x_ticks.last().unwrap().label, "3:00:00");
}

#[test]
fn layout_places_ticks_limits_and_labels_inside_the_box() {
    let sim = run(include_str!("../../../../tests/scenarios/reserved-protects-critical.json"));
    let d = chart(&sim, ChartKind::Concurrency, MAX_POINTS);
    let l = layout(&d, &ChartBox::canvas(800.0, 260.0));
    // Value ticks from 0 at the bottom up to at most the top, evenly spaced.
    assert_eq!(l.y_ticks[0].label, "0");
    assert_eq!(l.y_ticks[0].at, l.bottom);
    assert!(l.y_ticks.last().unwrap().value <= l.y_max);
    // Time ticks from 00:00 at the left edge to the end at most.
    assert_eq!((l.x_ticks[0].label.as_str(), l.x_ticks[0].at), ("00:00", l.left));
    assert!(l.x_ticks.last().unwrap().at <= l.right + 1e-9);
    // Every limit in view has its line and label; labels keep 15 px apart.
    let in_view = d.limits.iter().filter(|x| x.value <= d.y_max).count();
    assert_eq!(l.limits.len(), in_view);
    for w in l.limits.windows(2) {
        assert!(w[0].text_at.1 - w[1].text_at.1 >= 15.0 - 1e-9 || w[1].below, "{:?}", l.limits);
    }
    // Line-end labels: one per series, at least 16 px apart, inside the plot's height.
    assert_eq!(l.labels.len(), d.areas.len() + d.lines.len() + d.limits.len() - in_view);
    for w in l.labels.windows(2) {
        assert!(w[1].text_at.1 - w[0].text_at.1 >= 16.0 - 1e-9, "{:?}", l.labels);
    }
    assert!(l.labels.iter().all(|e| e.text_at.1 <= l.bottom + 1e-9 && e.text_at.0 > l.right));
    // A narrow box has no room beside the plot: the labels go inside it, at its top right,
    // one line each, within the plot.
    let n = layout(&d, &ChartBox::canvas(300.0, 200.0));
    assert_eq!(n.labels.len(), l.labels.len(), "{:?}", n.labels);
    for e in &n.labels {
        let end = e.text_at.0 + text_width(&e.text, n.font);
        assert!(e.text_at.0 >= n.left && end <= n.right + 1e-9, "{e:?} in {}..{}", n.left, n.right);
        assert!(e.text_at.1 > n.top && e.text_at.1 < n.bottom, "{e:?}");
    }
    assert!(n.right >= 300.0 - 40.0, "no margin kept for labels: the plot ends at {}", n.right);
    // ... clear of the limits' own labels (13 px tall, standing on their line or hanging).
    for e in &n.labels {
        for m in &n.limits {
            let (a, b) =
                if m.below { (m.text_at.1, m.text_at.1 + 13.0) } else { (m.text_at.1 - 13.0, m.text_at.1) };
            assert!(e.text_at.1 + 8.0 <= a + 1e-9 || e.text_at.1 - 8.0 >= b - 1e-9, "{e:?} on {m:?}");
        }
    }
}

#[test]
fn latency_is_charted_for_every_scenario_with_its_percentiles_in_order() {
    // Every scenario has the latency chart, whatever its compute mode.
    for text in [
        include_str!("../../../../tests/scenarios/seed-burst-5000.json"),
        include_str!("../../../../tests/scenarios/web-queue-then-throttle.json"),
        include_str!("../../../../tests/scenarios/managed-instances-doubling.json"),
        include_str!("../../../../tests/scenarios/snapstart-restore.json"),
    ] {
        let sc = ScenarioSpec::parse_and_validate(text).unwrap();
        assert!(ChartKind::for_scenario(&sc).contains(&ChartKind::Latency), "{}", sc.spec.name);
    }
    assert_eq!(ChartKind::from_name("latency"), Some(ChartKind::Latency));
    assert_eq!(ChartKind::Latency.id(), "latency");

    // One function: p99, p90, p50 in three hues, from the function series' columns, in ms.
    let sim = run(include_str!("../../../../tests/scenarios/web-queue-then-throttle.json"));
    let d = chart(&sim, ChartKind::Latency, MAX_POINTS);
    assert_eq!((d.title.as_str(), d.unit.as_str()), ("Latency (end to end)", "ms"));
    assert_eq!(labels(&d), ["p99", "p90", "p50"]);
    let hues: Vec<Hue> = d.lines.iter().map(|l| l.hue).collect();
    assert_eq!(hues, [Hue::Purple, Hue::Orange, Hue::Blue]);
    let s = &sim.recorder().functions[0];
    for (l, column) in d.lines.iter().zip(["duration_p99_ms", "duration_p90_ms", "duration_p50_ms"]) {
        assert!(!l.points.is_empty(), "{}", l.label);
        for &(t, v) in &l.points {
            let want = s.value_at(column, (t * MICROS_PER_SEC as f64) as Micros).unwrap() as f64;
            assert_eq!(v, want, "{} at {t}", l.label);
        }
    }
    // Where every percentile has a sample, p50 <= p90 <= p99.
    let (p99, p90, p50) = (&d.lines[0], &d.lines[1], &d.lines[2]);
    let mut compared = 0;
    for &(t, v50) in &p50.points {
        let find = |l: &Line| l.points.iter().find(|p| p.0 == t).map(|p| p.1);
        if let (Some(v90), Some(v99)) = (find(p90), find(p99)) {
            assert!(v50 <= v90 + 1e-9 && v90 <= v99 + 1e-9, "at {t}: {v50} {v90} {v99}");
            compared += 1;
        }
    }
    assert!(compared > 10, "{compared}");
    let peak = |l: &Line| l.points.iter().map(|p| p.1).fold(0.0, f64::max);
    assert!(peak(p99) > peak(p50), "the tail is above the median");
    assert!(d.y_max >= max_of(&d.lines));
    let lay = layout(&d, &ChartBox::canvas(800.0, 260.0));
    assert!(
        lay.labels.iter().any(|l| l.text.starts_with("p99 ") && l.text.ends_with(" ms")),
        "{:?}",
        lay.labels
    );

    // Several functions: each one's p50 (solid) and p99 (dashed) in its hue, named.
    let sim = run(include_str!("../../../../tests/scenarios/reserved-protects-critical.json"));
    let d = chart(&sim, ChartKind::Latency, MAX_POINTS);
    let n = sim.scenario().functions.len();
    assert_eq!(d.lines.len(), 2 * n, "{:?}", labels(&d));
    for (i, f) in sim.scenario().functions.iter().enumerate() {
        let p99 = d.lines.iter().find(|l| l.label == format!("{} p99", f.name)).unwrap();
        let p50 = d.lines.iter().find(|l| l.label == format!("{} p50", f.name)).unwrap();
        assert_eq!((p99.hue, p99.style), (function_hue(i), LineStyle::Dashed));
        assert_eq!((p50.hue, p50.style), (function_hue(i), LineStyle::Solid));
    }

    // Before any request completes: a note, no line.
    let mut sim = sim_of(include_str!("../../../../tests/scenarios/web-queue-then-throttle.json"));
    sim.seek(0);
    let d = chart(&sim, ChartKind::Latency, MAX_POINTS);
    assert!(d.lines.is_empty());
    assert_eq!(d.note.as_deref(), Some("no request has completed so far"));
}

#[test]
fn snapstart_cold_starts_are_named_restores() {
    let sim = run(include_str!("../../../../tests/scenarios/snapstart-restore.json"));
    let d = chart(&sim, ChartKind::ColdStarts, MAX_POINTS);
    let snap = sim.scenario().functions.iter().filter(|f| matches!(f.compute, Compute::SnapStart(_))).count();
    assert!(snap > 0);
    assert!(d.title.contains("restores"), "{}", d.title);
}

/// Web Functions and Managed Instances are outside the account's concurrency pool: their
/// requests in flight are lines against their capacity, never layers under the account limit.
#[test]
fn multi_concurrency_functions_are_not_stacked_under_the_account_limit() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios/web-queue-then-throttle.json");
    let text = std::fs::read_to_string(path).unwrap();
    let sim = run(&text);
    let d = chart(&sim, ChartKind::Concurrency, 960);
    assert!(d.areas.is_empty(), "nothing stacked: {:?}", labels(&d));
    assert!(d.limits.is_empty(), "the account limit does not apply");
    assert_eq!(d.title, "Requests in flight vs capacity");
    let name = &sim.scenario().functions[0].name;
    assert_eq!(labels(&d), [format!("{name} in flight"), format!("{name} capacity")]);
    let peak = |l: &Line| l.points.iter().map(|p| p.1).fold(0.0, f64::max);
    assert!(peak(&d.lines[0]) > 0.0 && peak(&d.lines[1]) >= peak(&d.lines[0]), "in flight within capacity");
    assert!(d.y_max >= peak(&d.lines[1]), "capacity in view");

    // Mixed: the on-demand function is stacked under the limit, the Web Function is a line.
    let mut spec: ScenarioSpec = serde_json::from_str(&text).unwrap();
    let mut od = spec.functions[0].clone();
    od.name = "on-demand-api".into();
    od.web = None;
    spec.functions.push(od);
    let mut sim = Simulation::with_seed(spec.validate().unwrap(), 1, Options::default());
    sim.run();
    let d = chart(&sim, ChartKind::Concurrency, 960);
    let areas: Vec<&str> = d.areas.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(areas, ["on-demand-api"]);
    assert_eq!(d.limits[0].id, "account");
    assert!(labels(&d).contains(&format!("{name} capacity").as_str()));
}
