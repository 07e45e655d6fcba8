//! `lambdascape reach SCENARIO.json`: the reachability matrix of a scenario, like a
//! packet-path analyzer: for each function, each of its subnets (or Lambda-managed networking)
//! and each destination, the hop path or the reason packets are dropped; then the advisor's
//! findings.

use lambdascape_engine::network::{advise, reach, reach_managed, FunctionNetView, NetworkHealth, Reach};
use lambdascape_engine::Scenario;
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    function: String,
    subnet: Option<String>,
    public: Option<bool>,
    destination: String,
    reachable: bool,
    path: Vec<String>,
    code: Option<String>,
    reason: Option<String>,
    added_latency_ms: f64,
}

fn row(function: &str, subnet: Option<(String, bool)>, destination: &str, r: &Reach) -> Row {
    Row {
        function: function.to_string(),
        public: subnet.as_ref().map(|s| s.1),
        subnet: subnet.map(|s| s.0),
        destination: destination.to_string(),
        reachable: r.is_reachable(),
        path: r.hops().iter().map(|h| h.label()).collect(),
        code: r.code().map(|c| {
            serde_json::to_value(c).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
        }),
        reason: r.reason().map(str::to_string),
        added_latency_ms: r.added_latency_us() as f64 / 1000.0,
    }
}

/// The matrix as rows (every function x subnet x destination).
fn matrix(sc: &Scenario) -> Vec<Row> {
    let health = NetworkHealth::default();
    let mut rows = Vec::new();
    for f in &sc.functions {
        match (&f.vpc, &sc.vpc) {
            (Some(fv), Some(vpc)) => {
                for &s in &fv.subnets {
                    let sub = Some((vpc.subnet_name(s).to_string(), vpc.is_public(s)));
                    for d in &f.destinations {
                        rows.push(row(&f.name, sub.clone(), &d.name, &reach(vpc, &health, Some((fv, s)), d)));
                    }
                }
            }
            _ => {
                for d in &f.destinations {
                    rows.push(row(&f.name, None, &d.name, &reach_managed(sc.vpc.as_ref(), d)));
                }
            }
        }
    }
    rows
}

/// Prints the matrix as text (or JSON with `json`).
pub fn run(sc: &Scenario, json: bool) -> String {
    let rows = matrix(sc);
    let views: Vec<FunctionNetView> = sc
        .functions
        .iter()
        .map(|f| FunctionNetView {
            name: &f.name,
            vpc: f.vpc.as_ref(),
            destinations: &f.destinations,
            calls_per_month: f.traffic.pattern.rate_at(0.0) * 730.0 * 3600.0,
        })
        .collect();
    let findings = advise(sc.vpc.as_ref(), &views);
    if json {
        let v = serde_json::json!({ "paths": rows, "findings": findings });
        return serde_json::to_string_pretty(&v).unwrap_or_default();
    }
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("no destinations: give functions `destinations` to see their paths\n");
    }
    for r in &rows {
        let from = match (&r.subnet, r.public) {
            (Some(s), Some(true)) => format!("{s} (public)"),
            (Some(s), _) => format!("{s} (private)"),
            (None, _) => "Lambda-managed networking".to_string(),
        };
        if r.reachable {
            out.push_str(&format!(
                "ok    {} from {from} -> {}: {} (+{} ms)\n",
                r.function,
                r.destination,
                r.path.join(" -> "),
                r.added_latency_ms
            ));
        } else {
            out.push_str(&format!(
                "FAIL  {} from {from} -> {}: {} [{}]\n      path: {}\n",
                r.function,
                r.destination,
                r.reason.as_deref().unwrap_or(""),
                r.code.as_deref().unwrap_or(""),
                r.path.join(" -> ")
            ));
        }
    }
    if !findings.is_empty() {
        out.push_str("\nadvisor:\n");
        for f in &findings {
            out.push_str(&format!("  [{:?}] {}: {}\n", f.severity, f.title, f.why));
            if let Some(fix) = &f.fix {
                out.push_str(&format!("      fix: {}\n", fix.label()));
            }
        }
    }
    out
}
