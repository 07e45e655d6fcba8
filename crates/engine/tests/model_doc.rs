//! The model reference `docs/model.md`: every row of its tables names at least one fixture or
//! test that checks the rule, and each one named exists (a fixture parses and validates as a
//! scenario; a `FILE.rs::function` is a file holding that function); every section of the page
//! cited anywhere in the repository (`docs/model.md` + `#` + its anchor) is a heading of it; nothing in the repository points
//! at notes outside it. The tests after those check the rules no fixture covers (RPS quotas,
//! init limit, timeout, recycling, cooldowns, prices).

use lambdascape_engine::checks::metric_value;
use lambdascape_engine::scenario::{LifetimeSpec, ScenarioSpec};
mod common;

use common::run;
use lambdascape_engine::sim::Simulation;
use lambdascape_engine::time::MICROS_PER_SEC;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn model_text() -> String {
    let path = root().join("docs/model.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The cells of a Markdown table row (`| a | b |` -> `["a", "b"]`).
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The spans of a cell written as inline code (between backticks).
fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// A row of a table of the page: its section, line number and cells by header.
struct Row {
    section: String,
    line: usize,
    rule: String,
    source: Option<String>,
    checked_by: Option<String>,
}

/// Every data row of every table of the page, or the problems with the tables' shape.
fn rows(text: &str) -> (Vec<Row>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut section = String::from("(top)");
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_string();
        }
        let starts_table =
            line.trim_start().starts_with('|') && lines.get(i + 1).is_some_and(|l| is_separator(l));
        if !starts_table {
            i += 1;
            continue;
        }
        let header: Vec<String> = cells(line).iter().map(|c| c.to_lowercase()).collect();
        let col = |name: &str| header.iter().position(|h| h == name);
        let (rule_col, source_col, checked_col) = (col("rule"), col("aws source"), col("checked by"));
        if checked_col.is_none() {
            problems.push(format!(
                "docs/model.md:{} ({section}): a table without a \"Checked by\" column",
                i + 1
            ));
        }
        i += 2;
        while i < lines.len() && lines[i].trim_start().starts_with('|') {
            let c = cells(lines[i]);
            if c.len() != header.len() {
                problems.push(format!(
                    "docs/model.md:{} ({section}): {} cells where the header has {}",
                    i + 1,
                    c.len(),
                    header.len()
                ));
            }
            let get = |k: Option<usize>| k.and_then(|k| c.get(k).cloned());
            out.push(Row {
                section: section.clone(),
                line: i + 1,
                rule: get(rule_col.or(Some(0))).unwrap_or_default(),
                source: get(source_col),
                checked_by: get(checked_col),
            });
            i += 1;
        }
    }
    (out, problems)
}

/// What a "Checked by" reference names, if it exists; else why not.
fn check_reference(r: &str) -> Result<(), String> {
    let root = root();
    if r.ends_with(".json") {
        if !(r.starts_with("tests/scenarios/") || r.starts_with("www/scenarios/")) {
            return Err(format!("`{r}`: fixtures are tests/scenarios/NAME.json or www/scenarios/NAME.json"));
        }
        let text = std::fs::read_to_string(root.join(r)).map_err(|_| format!("`{r}`: no such fixture"))?;
        let spec = ScenarioSpec::from_json(&text).map_err(|e| format!("`{r}`: does not parse: {e}"))?;
        spec.validate().map_err(|e| format!("`{r}`: does not validate: {e}"))?;
        return Ok(());
    }
    let (file, function) = match r.split_once("::") {
        Some((f, n)) => (f, Some(n)),
        None => (r, None),
    };
    if !file.ends_with(".rs") {
        return Err(format!("`{r}`: not a fixture (.json) or a test (FILE.rs or FILE.rs::function)"));
    }
    let text = std::fs::read_to_string(root.join(file)).map_err(|_| format!("`{r}`: no such file {file}"))?;
    if let Some(name) = function {
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let found = valid && [format!("fn {name}("), format!("fn {name}<")].iter().any(|p| text.contains(p));
        if !found {
            return Err(format!("`{r}`: {file} has no `fn {name}`"));
        }
    }
    Ok(())
}

/// Every row names at least one fixture or test, and every one named exists. All missing names
/// are listed at once (some fixtures are being written as this page is).
#[test]
fn every_rule_names_fixtures_and_tests_that_exist() {
    let text = model_text();
    let (rows, mut problems) = rows(&text);
    assert!(rows.len() >= 60, "docs/model.md has only {} table rows", rows.len());
    for row in &rows {
        let at = format!("docs/model.md:{} ({})", row.line, row.section);
        if row.rule.is_empty() {
            problems.push(format!("{at}: a row without its rule"));
        }
        match &row.source {
            Some(s) if s.contains("checked ") => {}
            _ => problems.push(format!("{at}: the AWS source cell does not say when it was checked")),
        }
        let Some(checked) = &row.checked_by else { continue };
        let refs = code_spans(checked);
        if refs.is_empty() {
            problems.push(format!("{at}: \"Checked by\" names no fixture or test"));
        }
        for r in refs {
            if let Err(e) = check_reference(&r) {
                problems.push(format!("{at}: {e}"));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// GitHub's anchor of a heading: lower case, spaces to hyphens, punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Files of the repository: tracked and new ones (`git ls-files`), or, without git, every file
/// outside target/, node_modules/, .git/ and dist/.
fn repository_files() -> Vec<PathBuf> {
    let root = root();
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|o| o.status.success());
    if let Some(o) = listed {
        return o
            .stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| root.join(String::from_utf8_lossy(p).as_ref()))
            .filter(|p| p.is_file())
            .collect();
    }
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                if !["target", "node_modules", ".git", "dist"].contains(&name.as_str()) {
                    walk(&p, out);
                }
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root, &mut out);
    out
}

/// Every section of the page cited in the repository (code comments, fixtures' sources) is a
/// heading of it. This file is left out: it spells the marker itself.
#[test]
fn every_cited_section_of_the_model_exists() {
    let text = model_text();
    let anchors: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
        .map(anchor)
        .collect();
    for needed in ["throttle-reasons", "requests-per-second", "event-sources", "scaling", "concurrency-pools"]
    {
        assert!(anchors.iter().any(|a| a == needed), "docs/model.md has no section #{needed}");
    }
    let marker = concat!("docs/model.md", "#");
    let this_file = root().join("crates/engine/tests/model_doc.rs");
    let mut problems = Vec::new();
    for path in repository_files() {
        if path.ends_with("crates/engine/tests/model_doc.rs") || path == this_file {
            continue;
        }
        let Ok(content) = std::fs::read_to_string(&path) else { continue };
        for (at, _) in content.match_indices(marker) {
            let rest = &content[at + marker.len()..];
            let cited: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            if !anchors.contains(&cited) {
                let rel = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
                problems.push(format!("{rel}: cites docs/model.md#{cited}, which is not a section"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The names of the notes that used to live outside the repository (spelled in two parts, so
/// that this file does not contain them).
fn outside_notes() -> [String; 2] {
    [format!("{}_{}", "LAMBDA", "FACTS"), format!("{}/{}", "..", "shared")]
}

/// No file of the repository points at notes outside it.
#[test]
fn nothing_points_outside_the_repository() {
    let needles = outside_notes();
    let mut found = Vec::new();
    for path in repository_files() {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        for n in &needles {
            if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                let rel = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
                found.push(format!("{rel} mentions {n}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Every scenario file's `sources` and checks' `source` cite the model or AWS, never the notes
/// that used to live outside the repository: neither by their file name nor as "Seed" (the
/// notes' old name: "Seed: ...", "Seed, ...", "Seed / ...", "Seed step 6: ...").
#[test]
fn scenario_sources_cite_the_repository() {
    let notes = &outside_notes()[0];
    let cites_the_seed = |s: &str| {
        s.trim_start().strip_prefix("Seed").is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    };
    let mut problems = Vec::new();
    for dir in ["tests/scenarios", "www/scenarios"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "json") || p.file_name().is_some_and(|n| n == "index.json") {
                continue;
            }
            let name = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            let sources = v["sources"].as_array().cloned().unwrap_or_default();
            let checks = v["checks"].as_array().cloned().unwrap_or_default();
            let cited = sources.iter().chain(checks.iter().map(|c| &c["source"])).filter_map(Value::as_str);
            for s in cited {
                if s.contains(notes.as_str()) {
                    problems.push(format!("{name}: \"{s}\""));
                }
                if cites_the_seed(s) {
                    problems.push(format!(
                        "{name}: \"{s}\" cites the notes outside the repository; cite a docs/model.md section or an AWS page"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// --- The rules no fixture covers ------------------------------------------------------------

/// A scenario from JSON, with one function `api` (1 ms init, `duration_ms` handler) and the
/// given traffic, account and function fields merged in.
fn one_function(duration_ms: f64, traffic: Value, function: Value, top: Value) -> ScenarioSpec {
    let mut f = json!({
        "name": "api",
        "init": {"type": "constant", "ms": 1},
        "duration": {"type": "constant", "ms": duration_ms},
        "traffic": traffic,
    });
    lambdascape_engine::scenario::merge_patch(&mut f, &function);
    let mut s = json!({"version": 1, "name": "model-doc", "duration": "10s", "functions": [f]});
    lambdascape_engine::scenario::merge_patch(&mut s, &top);
    ScenarioSpec::from_json(&s.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn regular(rate: f64) -> Value {
    json!({"type": "constant", "rate": rate, "arrivals": "regular"})
}

/// `rate` per second, regular, until `until`, then nothing.
fn regular_until(rate: f64, until: &str) -> Value {
    json!({"type": "step", "rate": rate, "steps": [{"at": until, "rate": 0}], "arrivals": "regular"})
}

fn figure(sim: &Simulation, metric: &str) -> f64 {
    metric_value(sim, metric).unwrap_or(0.0)
}

/// 1,500 synchronous requests per second to a function without reserved concurrency, in an
/// account whose limit is 100: at most 10 x 100 = 1,000 a second run, the rest get
/// `FunctionInvocationRateLimitExceeded`.
#[test]
fn account_rps_quota_throttles_synchronous_requests() {
    let spec = one_function(1.0, regular(1500.0), json!({}), json!({"account": {"concurrency_limit": 100}}));
    let sim = run(&spec);
    let throttled = figure(&sim, "throttles_by_reason.FunctionInvocationRateLimitExceeded");
    let ran = figure(&sim, "invocations");
    assert!((4500.0..=5500.0).contains(&throttled), "throttled {throttled}");
    assert!((9500.0..=10_100.0).contains(&ran), "ran {ran}");
    assert_eq!(figure(&sim, "throttles"), throttled, "no other throttle");
}

/// Reserved concurrency 5: at most 10 x 5 = 50 synchronous requests a second; of 200 a second
/// the other 150 get `ReservedFunctionInvocationRateLimitExceeded`.
#[test]
fn reserved_rps_quota_throttles_at_ten_per_unit() {
    let spec = one_function(1.0, regular(200.0), json!({"reserved_concurrency": 5}), json!({}));
    let sim = run(&spec);
    let throttled = figure(&sim, "throttles_by_reason.ReservedFunctionInvocationRateLimitExceeded");
    let ran = figure(&sim, "invocations");
    assert!((1400.0..=1600.0).contains(&throttled), "throttled {throttled}");
    assert!((450.0..=520.0).contains(&ran), "ran {ran}");
    assert_eq!(figure(&sim, "throttles"), throttled, "no other throttle");
}

/// Provisioned concurrency of functions without reserved concurrency comes out of the
/// unreserved pool, which keeps its floor of 100.
#[test]
fn provisioned_concurrency_without_reserved_keeps_the_unreserved_floor() {
    let with = |initial: u32| {
        one_function(100.0, regular(1.0), json!({"provisioned": {"initial": initial}}), json!({}))
    };
    let err = with(950).validate().unwrap_err().to_string();
    assert!(err.contains("leaves fewer than 100 unreserved"), "{err}");
    assert!(with(900).validate().is_ok());
}

/// An init longer than the 10 s limit is not a failure: Lambda stops it at the limit and retries
/// it as part of the invocation, under the function timeout. With a 12 s init, a 30 s timeout and
/// a 100 ms handler every cold start takes 10 s + 12 s + 0.1 s and succeeds; the environment then
/// serves warm. One within the limit is not counted.
#[test]
fn init_longer_than_the_init_limit_is_retried_within_the_timeout() {
    let spec = |init_ms: f64| {
        one_function(
            100.0,
            regular_until(0.5, "40s"),
            json!({"init": {"type": "constant", "ms": init_ms}, "timeout": "30s"}),
            json!({"duration": "90s"}),
        )
    };
    let sim = run(&spec(12_000.0));
    let (ran, cold, retried) =
        (figure(&sim, "invocations"), figure(&sim, "cold_starts"), figure(&sim, "init_timeouts"));
    assert_eq!(ran, 20.0);
    // Requests every 2 s; the first environment is free again at 22.1 s: 12 cold starts.
    assert_eq!(cold, 12.0);
    assert_eq!(retried, cold, "every cold start past 10 s is retried");
    assert_eq!(figure(&sim, "errors"), 0.0);
    for r in &sim.recorder().trace {
        let took = r.end - r.start;
        assert_eq!(r.outcome, "success");
        assert_eq!(took, if r.cold { 22_100_000 } else { 100_000 }, "{r:?}");
    }
    let sim = run(&spec(9_000.0));
    assert_eq!(figure(&sim, "init_timeouts"), 0.0);
    assert_eq!(figure(&sim, "errors"), 0.0);
}

/// A 5 s handler with the default 3 s timeout: every invocation ends as a timeout at 3 s.
#[test]
fn an_invocation_longer_than_the_timeout_times_out() {
    let spec = one_function(5000.0, regular_until(1.0, "30s"), json!({}), json!({"duration": "60s"}));
    assert_eq!(spec.validate().unwrap().functions[0].timeout, 3 * MICROS_PER_SEC, "AWS default 3 s");
    let sim = run(&spec);
    let ran = figure(&sim, "invocations");
    assert!(ran >= 29.0, "ran {ran}");
    assert_eq!(figure(&sim, "timeouts"), ran);
    for r in &sim.recorder().trace {
        assert_eq!(r.outcome, "timeout");
        let took = r.end - r.start;
        assert!((3 * MICROS_PER_SEC..=3 * MICROS_PER_SEC + 1000).contains(&took), "{r:?}");
    }
}

/// Busy environments are replaced after their maximum lifetime (a cold start follows); with
/// `max_lifetime: null` they live on.
#[test]
fn environments_are_recycled_after_their_max_lifetime() {
    let spec = |max: Option<&str>| {
        let mut s =
            one_function(100.0, regular(20.0), json!({"idle_lifetime": "1h"}), json!({"duration": "31m"}));
        s.functions[0].max_lifetime = max.map(|m| LifetimeSpec::Fixed(m.into()));
        s
    };
    let sim = run(&spec(Some("5m")));
    let recycled = figure(&sim, "environments_recycled");
    let cold = figure(&sim, "cold_starts");
    assert!(recycled >= 6.0, "recycled {recycled}");
    assert!(cold >= recycled, "cold {cold}");
    let sim = run(&spec(None));
    assert_eq!(figure(&sim, "environments_recycled"), 0.0);
    assert!(figure(&sim, "cold_starts") <= 5.0);
}

/// Provisioned environments are re-initialized every `recycle_every`, without a cold start.
#[test]
fn provisioned_environments_are_reinitialized_without_a_cold_start() {
    let spec = one_function(
        100.0,
        regular(1.0),
        json!({"provisioned": {"initial": 5, "recycle_every": "1h"}}),
        json!({"duration": "190m", "sample_interval": "10s"}),
    );
    let sim = run(&spec);
    let reinits = figure(&sim, "functions.api.provisioned_reinits");
    assert!(reinits >= 10.0, "reinits {reinits}");
    assert_eq!(figure(&sim, "cold_starts"), 0.0);
    assert_eq!(figure(&sim, "functions.api.spillover_invocations"), 0.0);
}

/// With a 1-hour scale-out cooldown the policy scales out once and then waits: the fixture that
/// settles near 143 with the default (0) stays at its first step of 72.
#[test]
fn scale_out_cooldown_holds_the_next_scale_out() {
    let path = root().join("tests/scenarios/pc-target-tracking.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["checks"] = json!([]);
    v["duration"] = json!("50m");
    let base = ScenarioSpec::from_json(&v.to_string()).unwrap();
    v["functions"][0]["provisioned"]["target_tracking"]["scale_out_cooldown"] = json!("1h");
    let cooled = ScenarioSpec::from_json(&v.to_string()).unwrap();
    let at_44m = |spec: &ScenarioSpec| figure(&run(spec), "series.checkout.provisioned_concurrency@44m");
    let (free, held) = (at_44m(&base), at_44m(&cooled));
    assert!(free > 100.0, "default cooldown: {free}");
    assert!((60.0..=80.0).contains(&held), "1 h cooldown: {held}");
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

/// Compute and requests at the scenario's prices: billed milliseconds (init included on a cold
/// start) x GB x $0.0000166667, plus $0.20 per million invocations.
#[test]
fn compute_and_request_costs_follow_the_prices() {
    let spec = one_function(
        100.0,
        regular_until(10.0, "90s"),
        json!({"memory_mb": 1024, "init": {"type": "constant", "ms": 100}}),
        json!({"duration": "100s"}),
    );
    let p = &spec.pricing;
    assert_eq!((p.gb_second_usd, p.per_million_requests_usd), (0.000_016_666_7, 0.20));
    let sim = run(&spec);
    let s = sim.summary();
    assert!(s.invocations >= 899, "{}", s.invocations);
    let gb_s = (s.invocations + s.cold_starts) as f64 * 0.1;
    assert!(close(s.gb_seconds, gb_s), "{} GB-s, expected {gb_s}", s.gb_seconds);
    let expected = gb_s * 0.000_016_666_7 + s.invocations as f64 / 1e6 * 0.20;
    assert!(close(s.cost_usd, expected), "${}, expected ${expected}", s.cost_usd);
}

/// Provisioned concurrency at the scenario's prices: allocated GB-seconds at $0.0000041667 for
/// the whole run, the duration it serves at $0.0000097222, plus the requests.
#[test]
fn provisioned_concurrency_costs_follow_the_prices() {
    let spec = one_function(
        100.0,
        regular_until(20.0, "60s"),
        json!({"memory_mb": 2048, "provisioned": {"initial": 10}}),
        json!({"duration": "120s"}),
    );
    let p = &spec.pricing;
    assert_eq!(
        (p.provisioned_gb_second_usd, p.provisioned_duration_gb_second_usd),
        (0.000_004_166_7, 0.000_009_722_2)
    );
    let sim = run(&spec);
    let s = sim.summary();
    assert_eq!(s.cold_starts, 0);
    assert_eq!(s.provisioned_invocations, s.invocations);
    let inv = s.invocations as f64;
    let expected =
        10.0 * 2.0 * 120.0 * 0.000_004_166_7 + inv * 0.1 * 2.0 * 0.000_009_722_2 + inv / 1e6 * 0.20;
    assert!((s.cost_usd - expected).abs() <= 1e-6 * expected, "${}, expected ${expected}", s.cost_usd);
}

/// SQS with the older ramp (`scaling: legacy`): 5 concurrent batches, then up to 60 more a
/// minute while messages wait, up to 1,000 at a time.
#[test]
fn sqs_legacy_scaling_adds_60_per_minute_up_to_1000() {
    let spec = one_function(
        60_000.0,
        regular_until(1000.0, "20s"),
        json!({
            "timeout": "90s",
            "event_source": {"type": "sqs", "batch_size": 1, "scaling": "legacy", "visibility_timeout": "2m"},
        }),
        json!({"duration": "22m", "account": {"concurrency_limit": 3000}}),
    );
    let sim = run(&spec);
    let at = |t: &str| figure(&sim, &format!("series.api.event_source_concurrency@{t}"));
    assert!((5.0..=10.0).contains(&at("1s")), "start {}", at("1s"));
    assert!((60.0..=70.0).contains(&at("60s")), "after a minute {}", at("60s"));
    assert!((120.0..=130.0).contains(&at("120s")), "after two minutes {}", at("120s"));
    assert_eq!(at("20m"), 1000.0);
    assert_eq!(figure(&sim, "functions.api.max_concurrency"), 1000.0);
    assert_eq!(figure(&sim, "throttles"), 0.0);
}
