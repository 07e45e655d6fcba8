//! Exports of a run's recorded data (CSV for notebooks and slides).

use crate::sim::Simulation;
use crate::time::micros_to_secs;
use std::io::Write;

/// One row per sample: `time_s`, the account columns, then `<function>.<column>` for each
/// function. Missing values (e.g. no duration in an interval) are empty cells.
pub fn write_series_csv(sim: &Simulation, w: &mut dyn Write) -> std::io::Result<()> {
    let rec = sim.recorder();
    let sc = sim.scenario();
    let mut header = vec!["time_s".to_string()];
    header.extend(rec.account.columns.iter().map(|c| c.to_string()));
    for (f, s) in sc.functions.iter().zip(&rec.functions) {
        header.extend(s.columns.iter().map(|c| format!("{}.{}", csv_field(&f.name), c)));
    }
    writeln!(w, "{}", header.join(","))?;
    let n = rec.account.len();
    let mut line = String::new();
    for row in 0..n {
        line.clear();
        line.push_str(&format_num(micros_to_secs(rec.account.times[row])));
        for col in rec.account.data.iter().chain(rec.functions.iter().flat_map(|s| s.data.iter())) {
            line.push(',');
            let v = col.get(row).copied().unwrap_or(f32::NAN);
            if v.is_finite() {
                line.push_str(&format_num(v as f64));
            }
        }
        writeln!(w, "{line}")?;
    }
    Ok(())
}

fn format_num(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.6}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Quotes a name for a CSV header when it needs it.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
