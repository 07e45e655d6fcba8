//! `lambdascape sweep` end to end: a point's figures are those of a single run of that
//! configuration, the table does not depend on how many threads ran it, and a bad sweep is
//! refused with its reason.

use lambdascape_engine::edit::{self, Edit};
use lambdascape_engine::ScenarioSpec;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn lambdascape(args: &[&str], threads: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lambdascape"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("the binary runs")
}

fn preset(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios").join(name);
    p.to_string_lossy().into_owned()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

/// Each point's mean over two seeds is the mean of two `simulate` runs of the scenario with
/// that point's edit made, at those seeds: the sweep runs the simulator's own runs.
#[test]
fn a_point_is_the_single_run_of_its_configuration() {
    let path = preset("pc-vs-cold-starts.json");
    let table = json(&lambdascape(
        &["sweep", &path, "--vary", "provisioned=none,20", "--seeds", "2", "--seed", "40", "--json"],
        "2",
    ));
    let spec = ScenarioSpec::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let function = spec.functions[0].name.clone();
    assert_eq!(table["function"], function.as_str());
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sweep-tests");
    std::fs::create_dir_all(&dir).unwrap();
    for (i, initial) in [None, Some(20)].into_iter().enumerate() {
        let edited =
            edit::apply(&spec, &Edit::SetProvisionedConcurrency { function: function.clone(), initial })
                .unwrap();
        let file = dir.join(format!("point-{i}.json"));
        std::fs::write(&file, serde_json::to_string(&edited).unwrap()).unwrap();
        let runs: Vec<Value> = ["40", "41"]
            .iter()
            .map(|seed| json(&lambdascape(&["simulate", file.to_str().unwrap(), "--seed", seed], "1")))
            .collect();
        let point = &table["points"][i];
        assert_eq!(point["runs"], 2);
        for (key, field) in [
            ("cost_usd", "cost_usd"),
            ("latency_p99_ms", "latency_p99_ms"),
            ("latency_p50_ms", "latency_p50_ms"),
            ("throttles", "throttles"),
            ("cold_starts", "cold_starts"),
        ] {
            let mean = (runs[0][field].as_f64().unwrap() + runs[1][field].as_f64().unwrap()) / 2.0;
            assert_eq!(point[key]["mean"].as_f64().unwrap(), mean, "point {i} {key}");
        }
    }
    // Provisioned concurrency removes this scenario's cold starts: the sweep shows it.
    let cold = |i: usize| table["points"][i]["cold_starts"]["mean"].as_f64().unwrap();
    assert!(cold(0) > cold(1), "{} vs {}", cold(0), cold(1));
}

/// Runs on one thread or several give the same CSV, byte for byte.
#[test]
fn the_table_does_not_depend_on_the_threads() {
    let path = preset("compute-modes-spiky-api.json");
    let args = [
        "sweep",
        path.as_str(),
        "--vary",
        "compute=on-demand,snapstart,managed-instances",
        "--vary",
        "memory=1024,2048",
        "--seeds",
        "3",
        "--target-p99",
        "400",
        "--csv",
    ];
    let one = lambdascape(&args, "1");
    let two = lambdascape(&args, "2");
    assert!(one.status.success(), "{}", String::from_utf8_lossy(&one.stderr));
    assert_eq!(String::from_utf8_lossy(&one.stdout), String::from_utf8_lossy(&two.stdout));
    let csv = String::from_utf8_lossy(&one.stdout);
    assert_eq!(csv.lines().count(), 1 + 6, "{csv}");
    assert!(csv.starts_with("compute,memory,cost_usd,"), "{csv}");
}

#[test]
fn a_bad_sweep_is_refused_with_its_reason() {
    let path = preset("pc-vs-cold-starts.json");
    for (vary, says) in [
        (vec!["colour=1"], "'colour' is not a setting a sweep varies"),
        (vec!["provisioned=0..10"], "a range needs a step"),
        (vec!["memory=128", "provisioned=1", "reserved=1"], "one or two settings, not 3"),
    ] {
        let mut args = vec!["sweep", path.as_str()];
        for v in &vary {
            args.extend(["--vary", v]);
        }
        let o = lambdascape(&args, "1");
        assert_eq!(o.status.code(), Some(2), "{vary:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{vary:?}: {err}");
    }
    let o = lambdascape(&["sweep", &path, "--vary", "memory=512", "--function", "nope"], "1");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no function 'nope'"));
}
