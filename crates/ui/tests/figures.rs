//! The headline figures say what applies: the account's concurrency limit is shown against the
//! functions in its pool, and a scenario whose functions are all multi-concurrency (outside the
//! pool) shows their requests in flight without a limit.

use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::time::MICROS_PER_SEC;
use lambdascape_engine::view::Frame;
use lambdascape_ui::markup::figures;

fn frame_at(spec: &ScenarioSpec, secs: u64) -> Frame {
    let mut sim = Simulation::with_seed(spec.validate().unwrap(), spec.seed, Options::default());
    sim.advance_to(secs * MICROS_PER_SEC);
    Frame::capture(&sim)
}

/// The figure with `data-testid="concurrency"`: its label and its shown value.
fn concurrency_figure(html: &str) -> (String, String) {
    let at = html.find(r#"data-testid="concurrency""#).expect("the concurrency figure");
    let value = &html[html[at..].find('>').unwrap() + at + 1..];
    let value = value[..value.find('<').unwrap()].to_string();
    let label = &html[at + html[at..].find("figure-label\">").unwrap() + 14..];
    (label[..label.find('<').unwrap()].to_string(), value)
}

fn web_spec() -> ScenarioSpec {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios/web-queue-then-throttle.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn web_functions_alone_show_requests_in_flight_without_the_account_limit() {
    let spec = web_spec();
    let f = frame_at(&spec, 60);
    let in_flight: u32 = f.functions.iter().map(|x| x.in_flight).sum();
    assert!(in_flight > 0, "requests are in flight at 60 s");
    let (label, value) = concurrency_figure(&figures(&f, false));
    assert_eq!(label, "requests in flight");
    assert_eq!(value, lambdascape_ui::format::count(in_flight as u64));
    assert!(!value.contains('/'), "no limit: {value}");
}

#[test]
fn a_mix_shows_the_pool_against_the_account_limit() {
    let mut spec = web_spec();
    let mut od = spec.functions[0].clone();
    od.name = "on-demand-api".into();
    od.web = None;
    spec.functions.push(od);
    let f = frame_at(&spec, 60);
    let (label, value) = concurrency_figure(&figures(&f, false));
    assert_eq!(label, "concurrency (account pool)");
    let pool = f.functions.iter().filter(|x| !x.multi).map(|x| x.in_flight).sum::<u32>();
    assert_eq!(pool, f.concurrency, "the account's concurrency is its pool's functions");
    assert_eq!(
        value,
        format!(
            "{} / {}",
            lambdascape_ui::format::count(f.concurrency as u64),
            lambdascape_ui::format::count(f.limit as u64)
        )
    );
}
