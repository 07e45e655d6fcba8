//! The `lambdascape` binary end to end: its output, its files and its exit codes.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn lambdascape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lambdascape")).args(args).output().expect("the binary runs")
}

fn scenario(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios").join(name);
    assert!(p.exists(), "{}", p.display());
    p.to_string_lossy().into_owned()
}

/// A path for a test's output, unique per test name.
fn tmp(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    p.to_string_lossy().into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scenario with three problems: memory, account limit and a duplicated function name.
fn broken_scenario(name: &str) -> String {
    let path = tmp(name);
    std::fs::write(
        &path,
        r#"{
  "version": 1,
  "name": "broken",
  "account": { "concurrency_limit": 0 },
  "functions": [
    { "name": "api", "memory_mb": 64, "traffic": { "type": "constant", "rate": 5 } },
    { "name": "api", "traffic": { "type": "constant", "rate": 5 } }
  ]
}"#,
    )
    .unwrap();
    path
}

#[test]
fn simulate_prints_every_summary_key_the_readme_lists() {
    let o = lambdascape(&["simulate", &scenario("reserved-zero.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: Value = serde_json::from_str(&stdout(&o)).expect("the summary is JSON");
    for key in [
        "invocations",
        "cold_starts",
        "cold_start_probability",
        "throttles",
        "throttles_by_reason",
        "errors",
        "timeouts",
        "max_concurrency",
        "avg_environments",
        "avg_busy",
        "avg_idle",
        "rejection_probability",
        "cost_usd",
        "functions",
    ] {
        assert!(s.get(key).is_some(), "summary lacks {key}");
    }
    let f = &s["functions"]["disabled"];
    assert!(f["throttles"].as_u64().unwrap() > 0, "reserved 0 throttles everything: {f}");
    assert_eq!(f["invocations"], 0);
    assert!(
        s["throttles_by_reason"]["ReservedFunctionConcurrentInvocationLimitExceeded"].as_u64().unwrap() > 0
    );
}

#[test]
fn simulate_refuses_a_bad_scenario_with_field_paths() {
    let path = broken_scenario("simulate-broken.json");
    let o = lambdascape(&["simulate", &path]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("functions[0].memory_mb"), "{err}");
    assert!(err.contains("account.concurrency_limit"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn validate_lists_every_problem() {
    let path = broken_scenario("validate-broken.json");
    let o = lambdascape(&["validate", &path]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for p in ["account.concurrency_limit", "functions[0].memory_mb", "functions[1].name"] {
        assert!(err.lines().any(|l| l.starts_with(p)), "{p} missing from:\n{err}");
    }
    let ok = lambdascape(&["validate", &scenario("seed-burst-5000.json")]);
    assert!(ok.status.success());
    assert!(stdout(&ok).contains("valid (1 functions, 360 s simulated)"), "{}", stdout(&ok));
}

#[test]
fn series_csv_has_one_row_per_sample() {
    let csv = tmp("series.csv");
    let o = lambdascape(&["simulate", &scenario("reserved-zero.json"), "--series", &csv]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[..2], ["time_s", "concurrency"]);
    assert!(header.contains(&"disabled.throttles"), "per-function columns follow");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // 2 minutes sampled every second, from 0 s to 120 s.
    assert_eq!(rows.len(), 121);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.len(), header.len(), "row {i}");
        assert_eq!(r[0].parse::<f64>().unwrap(), i as f64, "row {i} is at {i} s");
    }
}

#[test]
fn until_overrides_the_horizon() {
    let csv = tmp("until.csv");
    let o = lambdascape(&["simulate", &scenario("seed-burst-5000.json"), "--until", "90s", "--series", &csv]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(s["simulated_s"], 90.0);
    let text = std::fs::read_to_string(&csv).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("90,"), "{last}");
    let bad = lambdascape(&["simulate", &scenario("seed-burst-5000.json"), "--until", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--until"), "{}", stderr(&bad));
    // A preset whose chapters go on after the cut still runs the part asked for.
    let preset =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios/compute-modes-spiky-api.json");
    let o = lambdascape(&["simulate", &preset.to_string_lossy(), "--until", "4m"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(s["simulated_s"], 240.0);
}

#[test]
fn compare_prints_one_row_per_variant() {
    let preset =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios/compute-modes-spiky-api.json");
    let o = lambdascape(&["compare", &preset.to_string_lossy(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let modes: Vec<&str> = rows.iter().map(|r| r["compute"].as_str().unwrap()).collect();
    assert_eq!(
        modes,
        ["on-demand", "on-demand", "SnapStart", "Lambda Managed Instances", "Lambda Web Functions"]
    );
    assert_eq!(rows[3]["cold_starts"], 0, "Managed Instances have no cold starts");
    assert_eq!(rows[3]["provisioned"], 0);
    assert_eq!(rows[1]["provisioned"], 100, "the provisioned concurrency variant");
    // Web Functions' cost rests on placeholder rates: marked, and explained under the table.
    let placeholder: Vec<bool> = rows.iter().map(|r| r["placeholder_cost"].as_bool().unwrap()).collect();
    assert_eq!(placeholder, [false, false, false, false, true]);
    assert!(rows[3]["throttles"].as_u64().unwrap() > 0, "Managed Instances throttle the spike");
    let text = stdout(&lambdascape(&["compare", &preset.to_string_lossy()]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "a header, five rows and two notes:\n{text}");
    assert!(lines[5].trim_end().ends_with('*'), "the Web Functions cost is marked: {}", lines[5]);
    assert_eq!(
        lines[4].matches('†').count(),
        3,
        "Managed Instances' latencies leave out its throttles: {}",
        lines[4]
    );
    assert!(!lines[1].contains('†') && !lines[1].contains('*'), "{}", lines[1]);
    assert!(lines[6].starts_with("* ") && lines[6].contains("placeholder"), "{}", lines[6]);
    assert!(lines[7].starts_with("† ") && lines[7].contains("throttled request"), "{}", lines[7]);
}

#[test]
fn render_writes_an_svg_with_the_chart_title() {
    let out = tmp("concurrency.svg");
    let o =
        lambdascape(&["render", &scenario("seed-burst-5000.json"), "--chart", "concurrency", "--out", &out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains(r#"width="960" height="400""#));
    assert!(svg.contains("Concurrency per function vs limits"));
    assert!(svg.contains("account limit 5,000"), "the limit is labelled");
    assert!(svg.contains("time (sim, mm:ss)") && svg.contains("06:00"), "mm:ss sim axis");
    assert!(svg.contains("#0072B2"), "busy blue");
}

#[test]
fn render_writes_a_png_that_is_a_picture() {
    let out = tmp("throttles.png");
    let o = lambdascape(&[
        "render",
        &scenario("reserved-protects-critical.json"),
        "--chart",
        "throttles",
        "--out",
        &out,
        "--width",
        "640",
        "--height",
        "300",
        "--seed",
        "3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
    let mut reader = png::Decoder::new(std::io::Cursor::new(&bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (640, 300));
    let px = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let first = &px[..step];
    let distinct: std::collections::BTreeSet<&[u8]> = px.chunks(step).collect();
    assert!(px.chunks(step).any(|p| p != first), "not all one colour");
    assert!(distinct.len() > 20, "lines, text and anti-aliasing: {} colours", distinct.len());
    // The throttle colour (vermillion #D55E00) is drawn.
    assert!(distinct.contains(&[0xD5, 0x5E, 0x00][..]));
}

#[test]
fn render_refuses_bad_charts_and_flags() {
    let s = scenario("reserved-zero.json");
    let out = tmp("never.svg");
    let o = lambdascape(&["render", &s, "--chart", "pie", "--out", &out]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("'pie'") && err.contains("concurrency") && err.contains("cold_starts"), "{err}");

    let o = lambdascape(&["render", &s, "--chart", "cost", "--out", &tmp("chart.gif")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("must end in .svg or .png"), "{}", stderr(&o));

    let o = lambdascape(&["render", &s, "--chart", "cost", "--out", &out, "--width", "10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--width 10"), "{}", stderr(&o));

    let o = lambdascape(&["render", &s, "--chart", "cost", "--out", &out, "--height", "tall"]);
    assert_eq!(o.status.code(), Some(2));

    let o = lambdascape(&["render", &s, "--out", &out]);
    assert_eq!(o.status.code(), Some(2), "--chart is required");

    let o =
        lambdascape(&["render", &broken_scenario("render-broken.json"), "--chart", "cost", "--out", &out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("functions[0].memory_mb"));
    assert!(!std::path::Path::new(&out).exists(), "nothing written on failure");
}

#[test]
fn every_chart_renders_for_a_preset() {
    for chart in ["concurrency", "throttles", "cold_starts", "provisioned", "async", "network", "cost"] {
        let out = tmp(&format!("pc-{chart}.svg"));
        let o = lambdascape(&["render", &scenario("pc-spillover.json"), "--chart", chart, "--out", &out]);
        assert!(o.status.success(), "{chart}: {}", stderr(&o));
        assert!(std::fs::metadata(&out).unwrap().len() > 1000, "{chart}");
    }
}

#[test]
fn schema_prints_a_json_schema() {
    let o = lambdascape(&["schema"]);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(v.get("$schema").is_some());
}

#[test]
fn unknown_commands_and_flags_exit_2() {
    assert_eq!(
        lambdascape(&["simulate", &scenario("reserved-zero.json"), "--sed", "1"]).status.code(),
        Some(2)
    );
    assert_eq!(lambdascape(&["paint"]).status.code(), Some(2));
}

#[test]
fn reach_prints_paths_and_reasons() {
    let o = lambdascape(&["reach", &scenario("seed-mixed-subnets.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("ok    orders-api from private-a (private) -> api.example.com: ENI in private-a"),
        "{text}"
    );
    assert!(text.contains("NAT gateway nat-a -> internet gateway igw-1"), "{text}");
    assert!(text.contains("FAIL  orders-api from public-b (public)"), "{text}");
    assert!(text.contains("[igw_no_public_ip]"), "{text}");
    assert!(text.contains("mixes public and private subnets"), "{text}");
    let o = lambdascape(&["reach", "--json", &scenario("seed-nat-in-private-subnet.json")]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths = v["paths"].as_array().unwrap();
    assert!(paths.iter().any(|p| p["code"] == "nat_in_private_subnet" && p["reachable"] == false));
    assert!(paths.iter().any(|p| p["destination"] == "orders-db" && p["reachable"] == true));
}

#[test]
fn eni_scale_out_and_quota_in_the_summary_the_narrative_and_check() {
    // Past 65,000 connections Lambda adds a second ENI: no failure.
    let events = tmp("eni-events.txt");
    let o = lambdascape(&["simulate", &scenario("eni-connection-limit.json"), "--events", &events]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(s["unreachable"].as_object().unwrap().is_empty(), "{}", s["unreachable"]);
    assert_eq!(s["eni_max_connections"]["private-a+lambda"], 75_000);
    assert_eq!(s["eni_max_count"]["private-a+lambda"], 2);
    let text = std::fs::read_to_string(&events).unwrap();
    assert!(text.contains("for subnet private-a + lambda to 65,500 connections"), "{text}");
    assert!(text.contains("Lambda adds an ENI (2 in the group now; 2 of the VPC's quota of 250"), "{text}");
    // With the VPC at its quota of network interfaces the group cannot grow.
    let o = lambdascape(&["simulate", &scenario("eni-quota-reached.json"), "--events", &events]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(s["unreachable"]["eni_quota_reached"], 20);
    assert_eq!(s["eni_max_connections"]["private-a+lambda"], 65_000);
    let text = std::fs::read_to_string(&events).unwrap();
    assert!(
        text.contains("the VPC is at its quota of 10 network interfaces (1 Lambda's, 9 other services')"),
        "{text}"
    );
    for fixture in ["eni-connection-limit.json", "eni-connection-default.json", "eni-quota-reached.json"] {
        let o = lambdascape(&["check", &scenario(fixture)]);
        assert!(o.status.success(), "{fixture}: {}{}", stdout(&o), stderr(&o));
    }
    // A scenario without a VPC has no ENI figures at all.
    let o = lambdascape(&["simulate", &scenario("reserved-zero.json")]);
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(s.get("eni_max_connections").is_none());
}

/// A run of several seconds (the legacy spike benchmark).
const LONG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/benches/legacy-spike.json");

#[test]
fn progress_shows_on_a_terminal_only_and_never_changes_the_results() {
    // Not a terminal (stderr is a pipe here): nothing on stderr, and the same summary as
    // `--quiet` (the chunked run is the whole run).
    let plain = lambdascape(&["simulate", LONG]);
    let quiet = lambdascape(&["simulate", LONG, "--quiet"]);
    assert!(plain.status.success() && quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&plain.stderr), "", "no progress into a pipe");
    assert_eq!(plain.stdout, quiet.stdout);
    // On a terminal (util-linux's `script` gives the run one), a bar once the wait is over (no
    // wait here, whatever the machine's speed); none with -q.
    let on_tty = |quiet: bool| {
        let cmd = format!(
            "{} {}simulate {LONG} > /dev/null",
            env!("CARGO_BIN_EXE_lambdascape"),
            if quiet { "-q " } else { "" }
        );
        Command::new("script")
            .args(["-qfec", &cmd, "/dev/null"])
            .env("LAMBDASCAPE_PROGRESS_AFTER_MS", "0")
            .output()
            .ok()
    };
    let Some(shown) = on_tty(false) else {
        eprintln!("no `script` here: the terminal half of this test did not run");
        return;
    };
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("% of the simulated time"), "a progress bar on the terminal: {text:?}");
    let hidden = on_tty(true).expect("script ran once already");
    assert!(!String::from_utf8_lossy(&hidden.stdout).contains("simulated time"), "-q shows nothing");
}
