//! The compare table's columns, marks and notes: what the app's compare view (yew) and the
//! widget's `view="compare"` (markup) show for the rows of `lambdascape_engine::compare`, the
//! same figures as `lambdascape compare` (the CLI), with the same marks (`*` a cost at
//! placeholder rates, `†` a latency that leaves out throttled requests).

use crate::format::{count, usd};
use crate::markup::Esc;
use lambdascape_engine::compare::{notes, Row};
use std::fmt::Write;

/// A column of the table: heading, test id, the value of a row (None: not comparable, e.g.
/// nothing served yet or a cost at placeholder rates), whether lower is better (and so the
/// lowest is marked), how to show a value, and the raw value tests read.
pub struct Col {
    pub head: &'static str,
    pub id: &'static str,
    pub value: fn(&Row) -> Option<f64>,
    pub lower_better: bool,
    pub show: fn(&Row) -> String,
    pub raw: fn(&Row) -> f64,
    /// Whether a row's value carries the `†` mark (latency of served requests only).
    pub latency: bool,
}

fn served(r: &Row) -> bool {
    r.invocations > 0
}

/// A latency in ms or s; "–" before anything was served.
fn ms(v: f64, served: bool) -> String {
    if !served || !v.is_finite() {
        "–".into()
    } else if v >= 10_000.0 {
        format!("{:.1} s", v / 1000.0)
    } else {
        format!("{} ms", count(v.round() as u64))
    }
}

/// Dollars, every row to the same places (`usd` gives 2 from $1 up: the column would not align).
fn cost(v: f64) -> String {
    if v < 100.0 {
        format!("${v:.4}")
    } else {
        usd(v)
    }
}

pub const COLS: [Col; 8] = [
    Col {
        head: "Invocations",
        id: "invocations",
        value: |r| Some(r.invocations as f64),
        lower_better: false,
        show: |r| count(r.invocations),
        raw: |r| r.invocations as f64,
        latency: false,
    },
    Col {
        head: "Throttles",
        id: "throttles",
        value: |r| Some(r.throttles as f64),
        lower_better: true,
        show: |r| count(r.throttles),
        raw: |r| r.throttles as f64,
        latency: false,
    },
    Col {
        head: "Cold starts",
        id: "cold_starts",
        value: |r| Some(r.cold_starts as f64),
        lower_better: true,
        show: |r| count(r.cold_starts),
        raw: |r| r.cold_starts as f64,
        latency: false,
    },
    Col {
        head: "Restores",
        id: "restores",
        value: |r| Some(r.restores as f64),
        lower_better: false,
        show: |r| count(r.restores),
        raw: |r| r.restores as f64,
        latency: false,
    },
    Col {
        head: "p50 latency",
        id: "latency_p50_ms",
        value: |r| served(r).then_some(r.latency_p50_ms),
        lower_better: true,
        show: |r| ms(r.latency_p50_ms, served(r)),
        raw: |r| r.latency_p50_ms,
        latency: true,
    },
    Col {
        head: "p99 latency",
        id: "latency_p99_ms",
        value: |r| served(r).then_some(r.latency_p99_ms),
        lower_better: true,
        show: |r| ms(r.latency_p99_ms, served(r)),
        raw: |r| r.latency_p99_ms,
        latency: true,
    },
    Col {
        head: "Max latency",
        id: "latency_max_ms",
        value: |r| served(r).then_some(r.latency_max_ms),
        lower_better: true,
        show: |r| ms(r.latency_max_ms, served(r)),
        raw: |r| r.latency_max_ms,
        latency: true,
    },
    Col {
        head: "Cost (USD)",
        id: "cost_usd",
        value: |r| (!r.placeholder_cost).then_some(r.cost_usd),
        lower_better: true,
        show: |r| cost(r.cost_usd),
        raw: |r| r.cost_usd,
        latency: false,
    },
];

/// The lowest value of a column among the rows it compares, if at least two are comparable and
/// they differ (all equal: nothing to mark).
pub fn best(rows: &[Row], col: &Col) -> Option<f64> {
    if !col.lower_better {
        return None;
    }
    let vals: Vec<f64> = rows.iter().filter_map(|r| (col.value)(r)).collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (vals.len() >= 2 && lo < hi).then_some(lo)
}

/// The mark after a row's value in a column: `*`, `†` or nothing (the CLI's marks).
pub fn mark(rows: &[Row], r: &Row, col: &Col) -> &'static str {
    if col.id == "cost_usd" && r.placeholder_cost {
        "*"
    } else if col.latency && served(r) && r.partial_latency(rows) {
        "†"
    } else {
        ""
    }
}

/// The compute mode in words: the CLI's label, with the provisioned concurrency (`short`: for
/// the narrow columns).
pub fn mode_label(r: &Row, short: bool) -> String {
    match (r.provisioned, short) {
        (0, _) => r.compute.to_string(),
        (pc, true) => format!("{} + {pc} provisioned", r.compute),
        (pc, false) => format!("{} + provisioned concurrency {pc}", r.compute),
    }
}

/// The run's name in the table ("As written" for the scenario itself).
pub fn run_name(r: &Row, first: bool) -> &str {
    if first {
        "As written"
    } else {
        &r.name
    }
}

/// The whole table as markup (the widget's): one row per run, the lowest of each column marked
/// ✓, the marks' notes under it.
pub fn table(rows: &[Row], caption: &str) -> String {
    let bests: Vec<Option<f64>> = COLS.iter().map(|c| best(rows, c)).collect();
    let mut o = format!(
        r#"<div class="compare-table-wrap"><table class="compare-table" data-testid="compare-table"><caption>{}</caption><thead><tr><th scope="col">Run</th><th scope="col">Compute mode</th>"#,
        Esc(caption)
    );
    for c in &COLS {
        let _ = write!(o, r#"<th scope="col" data-col="{}">{}</th>"#, c.id, c.head);
    }
    o.push_str("</tr></thead><tbody>");
    for (i, r) in rows.iter().enumerate() {
        let _ = write!(
            o,
            r#"<tr data-testid="compare-row" data-name="{}" data-compute="{}"><th scope="row">{}</th><td class="mode">{}</td>"#,
            Esc(&r.name),
            r.compute,
            Esc(run_name(r, i == 0)),
            Esc(&mode_label(r, false))
        );
        for (c, b) in COLS.iter().zip(&bests) {
            let top = b.is_some() && (c.value)(r) == *b;
            let _ = write!(
                o,
                r#"<td data-col="{}" data-value="{}"{}>{}{}{}</td>"#,
                c.id,
                (c.raw)(r),
                if top { r#" class="best""# } else { "" },
                (c.show)(r),
                mark(rows, r, c),
                if top {
                    r#"<span class="best-mark" aria-hidden="true"> ✓</span><span class="visually-hidden"> (lowest)</span>"#
                } else {
                    ""
                }
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
    for (m, n) in notes(rows) {
        let _ = write!(o, r#"<p class="compare-footnote" data-testid="compare-note">{m} {}</p>"#, Esc(&n));
    }
    o.push_str("</div>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdascape_engine::compare::run_all;
    use lambdascape_engine::scenario::ScenarioSpec;

    fn preset(name: &str) -> ScenarioSpec {
        let path = format!("{}/../../www/scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn a_placeholder_cost_is_marked_and_never_the_lowest() {
        let spec = preset("compute-modes-spiky-api");
        let rows = run_all(&spec, spec.seed).unwrap();
        let web = rows.iter().position(|r| r.placeholder_cost).expect("the Web Functions row");
        let cost = COLS.iter().find(|c| c.id == "cost_usd").unwrap();
        let lowest = rows.iter().map(|r| r.cost_usd).fold(f64::INFINITY, f64::min);
        assert_eq!(rows[web].cost_usd, lowest, "the case this guards: the placeholder cost is the lowest");
        let b = best(&rows, cost).unwrap();
        assert!(b > rows[web].cost_usd, "the ✓ goes to the lowest real cost");
        assert_eq!(mark(&rows, &rows[web], cost), "*");
        let html = table(&rows, "x");
        let marked: usize = COLS
            .iter()
            .map(|c| rows.iter().filter(|r| best(&rows, c).is_some_and(|b| (c.value)(r) == Some(b))).count())
            .sum();
        assert!(marked >= 4, "throttles, cold starts, latency and cost have a lowest");
        assert_eq!(html.matches("class=\"best\"").count(), marked, "every lowest cell marked, ties too");
        assert!(html.contains("placeholder rates"), "the note under the table");
    }

    #[test]
    fn latency_of_a_run_that_throttled_more_is_marked() {
        let spec = preset("compute-modes-spiky-api");
        let rows = run_all(&spec, spec.seed).unwrap();
        let p99 = COLS.iter().find(|c| c.id == "latency_p99_ms").unwrap();
        for r in &rows {
            assert_eq!(mark(&rows, r, p99) == "†", r.throttles > 0, "{}", r.name);
        }
        assert!(table(&rows, "x").contains("† latency of the requests served only"));
    }

    #[test]
    fn equal_rows_mark_nothing() {
        let spec = preset("compute-modes-spiky-api");
        let rows = run_all(&spec, spec.seed).unwrap();
        let same = vec![rows[0].clone(), rows[0].clone()];
        assert!(COLS.iter().all(|c| best(&same, c).is_none()));
        assert!(notes(&same).is_empty());
    }
}
