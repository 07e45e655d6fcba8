//! Share links: every preset round-trips, damaged or cut links fail cleanly, old links migrate,
//! newer ones are refused with a clear message. `cargo test --test share -- --nocapture` prints
//! the link length of each preset.

use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::share::{self, ShareError, SharedState, ViewState, FORMAT_VERSION};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "found {} scenarios in {}", files.len(), dir.display());
    files
}

fn load(path: &PathBuf) -> ScenarioSpec {
    ScenarioSpec::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A state in the middle of the scenario with a non-default view.
fn state_of(spec: ScenarioSpec) -> SharedState {
    let horizon = spec.validate().expect("presets are valid").horizon;
    SharedState {
        scenario: spec,
        time_us: horizon / 2 + 123,
        view: ViewState {
            view: "chart".into(),
            chart: Some("throttles".into()),
            selected: Some("env:17".into()),
            speed: 12.5,
            range: Some("whole".into()),
        },
    }
}

fn seed_state() -> SharedState {
    let files = scenario_files();
    let seed = files.iter().find(|p| p.ends_with("seed-burst-5000.json")).expect("the burst preset");
    state_of(load(seed))
}

#[test]
fn every_preset_round_trips_with_time_and_view() {
    println!("{:<34} {:>6} {:>6} {:>6}", "preset", "json", "link", "ratio");
    for path in scenario_files() {
        let state = state_of(load(&path));
        let link = share::encode(&state);
        assert!(link.starts_with("v1."));
        assert!(link[3..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'));
        let back = share::decode(&link).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(back, state, "{}", path.display());
        assert_eq!(share::from_fragment(&share::fragment(&state)).unwrap(), state);
        let json = serde_json::to_vec(&state).unwrap().len();
        let frag = share::fragment(&state).len();
        println!(
            "{:<34} {json:>6} {frag:>6} {:>5.0}%",
            path.file_name().unwrap().to_string_lossy(),
            100.0 * frag as f64 / json as f64
        );
    }
}

#[test]
fn a_link_cut_at_any_length_says_it_is_cut_short() {
    for path in scenario_files() {
        let link = share::encode(&state_of(load(&path)));
        for n in 0..link.len() {
            let got = share::decode(&link[..n]);
            let want = if n < 3 { ShareError::NotALink } else { ShareError::Truncated };
            assert_eq!(got, Err(want), "{} cut to {n} of {}", path.display(), link.len());
        }
    }
}

#[test]
fn damaged_characters_fail_cleanly() {
    let state = seed_state();
    let link = share::encode(&state);
    for i in 0..link.len() {
        for c in ['A', 'z', '0', '-', '_', '.', '%', ' ', 'é'] {
            let mut bad: String = link[..i].to_string();
            bad.push(c);
            bad.push_str(&link[i + 1..]);
            match share::decode(&bad) {
                // A change in bits the format ignores (deflate padding) is harmless.
                Ok(s) => assert_eq!(s, state, "position {i} set to {c:?} opened as something else"),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
}

#[test]
fn flipped_bits_fail_cleanly() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let state = seed_state();
    let link = share::encode(&state);
    let (data, crc) = link[3..].rsplit_once('.').unwrap();
    let bytes = b64.decode(data).unwrap();
    let mut refused = 0;
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut bad = bytes.clone();
            bad[i] ^= 1 << bit;
            match share::decode(&format!("v1.{}.{crc}", b64.encode(&bad))) {
                Ok(s) => assert_eq!(s, state, "byte {i} bit {bit} opened as something else"),
                Err(e) => {
                    refused += 1;
                    assert!(
                        matches!(
                            e,
                            ShareError::Corrupted(_) | ShareError::Truncated | ShareError::NotAState(_)
                        ),
                        "byte {i} bit {bit}: {e}"
                    );
                }
            }
        }
    }
    assert!(refused > bytes.len() * 8 * 9 / 10, "{refused} of {} refused", bytes.len() * 8);
}

#[test]
fn a_v0_link_migrates() {
    let state = seed_state();
    // v0: no "version" in the scenario, the time in milliseconds.
    let mut scenario = serde_json::to_value(&state.scenario).unwrap();
    scenario.as_object_mut().unwrap().remove("version");
    let v0 = json!({
        "scenario": scenario,
        "time_ms": 90_000,
        "view": { "view": "topology", "speed": 2.0 },
    });
    let link = share::encode_json(0, &v0);
    assert!(link.starts_with("v0."));
    let got = share::decode(&link).unwrap();
    assert_eq!(got.scenario, state.scenario);
    assert_eq!(got.time_us, 90_000_000);
    assert_eq!(
        got.view,
        ViewState { view: "topology".into(), chart: None, selected: None, speed: 2.0, range: None }
    );
    // A v1 payload sent as v0 lacks time_ms: refused, not misread.
    let v1_as_v0 = share::encode_json(0, &serde_json::to_value(&state).unwrap());
    assert!(matches!(share::decode(&v1_as_v0), Err(ShareError::NotAState(_))));
    assert_eq!(share::migrate(FORMAT_VERSION, json!({"x": 1})).unwrap(), json!({"x": 1}));
}

#[test]
fn a_newer_link_is_refused_with_its_version() {
    let state = seed_state();
    let link = share::encode_json(3, &serde_json::to_value(&state).unwrap());
    let err = share::decode(&link).unwrap_err();
    assert_eq!(err, ShareError::NewerVersion { found: 3 });
    assert!(
        err.to_string()
            .starts_with("this link was made by a newer Lambdascape (format v3); this version reads v1"),
        "{err}"
    );
    // Refused before any unpacking: the data of a future format may be anything.
    assert_eq!(share::decode("v7.!!!"), Err(ShareError::NewerVersion { found: 7 }));
}

#[test]
fn an_invalid_scenario_lists_each_problem_with_its_path() {
    let state = seed_state();
    let mut v = serde_json::to_value(&state).unwrap();
    v["scenario"]["functions"][0]["memory_mb"] = json!(64);
    v["scenario"]["account"]["concurrency_limit"] = json!(0);
    let Err(ShareError::InvalidScenario(errs)) = share::decode(&share::encode_json(1, &v)) else {
        panic!("expected validation errors")
    };
    let paths: Vec<_> = errs.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"functions[0].memory_mb"), "{paths:?}");
    assert!(paths.contains(&"account.concurrency_limit"), "{paths:?}");

    // A wrong type is reported at its field too.
    v["scenario"]["functions"][0]["memory_mb"] = json!("lots");
    let err = share::decode(&share::encode_json(1, &v)).unwrap_err();
    let ShareError::InvalidScenario(errs) = &err else { panic!("{err}") };
    assert_eq!(errs.0[0].path, "functions[0].memory_mb", "{err}");
    assert!(err.to_string().contains("functions[0].memory_mb: invalid type"), "{err}");

    // Not a state at all.
    assert!(matches!(share::decode(&share::encode_json(1, &json!([1, 2]))), Err(ShareError::NotAState(_))));
    let not_json = format!(
        "v1.{}.{:08x}",
        {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(miniz_oxide::deflate::compress_to_vec_zlib(b"{not json", 6))
        },
        share::crc32(b"{not json")
    );
    assert!(matches!(share::decode(&not_json), Err(ShareError::NotAState(_))));
}

#[test]
fn messages_say_what_happened() {
    assert!(share::decode("https://example.com").unwrap_err().to_string().contains("not a Lambdascape link"));
    assert!(share::decode("v1.eJzLSM3JyQcABiwCFQ").is_err());
    let cut = share::decode(&share::encode(&seed_state())[..40]).unwrap_err();
    assert!(cut.to_string().contains("cut short"), "{cut}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_text_never_panics(s in ".{0,300}") {
        let _ = share::decode(&s);
        let _ = share::from_fragment(&s);
    }

    #[test]
    fn random_link_data_is_refused(s in "v[01]\\.[A-Za-z0-9_-]{0,400}") {
        prop_assert!(share::decode(&s).is_err());
    }

    #[test]
    fn random_packed_bytes_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600), v in 0u32..3) {
        use base64::Engine as _;
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 6);
        let link = format!("v{v}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed));
        prop_assert!(share::decode(&link).is_err());
    }

    #[test]
    fn time_and_view_round_trip(
        frac in 0.0f64..=1.0,
        speed in (1u32..1_000_000).prop_map(|m| m as f64 / 1000.0),
        view in "[a-z]{1,12}",
        chart in proptest::option::of("[a-z_]{1,12}"),
        selected in proptest::option::of("[ -~]{0,30}"),
        range in proptest::option::of((0u32..100_000, 2u32..100_000).prop_map(|(a, w)| format!("{a}-{}", a + w))),
    ) {
        let mut state = seed_state();
        let horizon = state.scenario.validate().unwrap().horizon;
        state.time_us = (horizon as f64 * frac) as u64;
        state.view = ViewState { view, chart, selected, speed, range };
        prop_assert_eq!(share::decode(&share::encode(&state)).unwrap(), state);
    }

    #[test]
    fn random_json_payloads_never_panic(keys in proptest::collection::vec("[a-z_]{1,10}", 0..6), n in any::<i64>()) {
        let mut obj = serde_json::Map::new();
        for k in keys {
            obj.insert(k, Value::from(n));
        }
        for v in 0..=FORMAT_VERSION {
            prop_assert!(share::decode(&share::encode_json(v, &Value::Object(obj.clone()))).is_err());
        }
    }
}

#[test]
fn a_bad_chart_range_is_refused_with_its_path() {
    for bad in ["", "soon", "5", "10-11", "20-10", "-5-10", "1.5-30", "whole-"] {
        let mut state = seed_state();
        state.view.range = Some(bad.into());
        let err = share::decode(&share::encode(&state)).expect_err(bad).to_string();
        assert!(err.contains("view.range"), "{bad:?}: {err}");
    }
    for good in ["whole", "0-2", "60-3600"] {
        let mut state = seed_state();
        state.view.range = Some(good.into());
        assert_eq!(share::decode(&share::encode(&state)).unwrap(), state, "{good}");
    }
}
