//! What a worker does with a message: the sweep's plan made again from the scenario's and the
//! sweep's text (the same plan as the panel's), and the jobs it was given run in order.

use lambdascape_engine::size::reader;
use lambdascape_engine::sweep::{Job, RunFigures, Sweep};
use lambdascape_engine::ScenarioSpec;

/// Runs `jobs_json` (`[[point, seed], …]`) of the sweep `sweep_json` on the scenario
/// `scenario_json`; the figures of each, in order, as a JSON array ([`answer_text`]).
pub fn run_jobs(scenario_json: &str, sweep_json: &str, jobs_json: &str) -> Result<String, String> {
    let spec = ScenarioSpec::from_json(scenario_json).map_err(|e| format!("the scenario: {e}"))?;
    let sweep: Sweep = reader::from_str(sweep_json).map_err(|e| format!("the sweep: {e}"))?;
    let plan = sweep.plan(&spec)?;
    let jobs: Vec<(usize, u64)> = reader::from_str(jobs_json).map_err(|e| format!("the jobs: {e}"))?;
    let out = jobs
        .iter()
        .map(|&(point, seed)| plan.run(Job { point, seed }).ok_or(format!("point {point} cannot run")))
        .collect::<Result<Vec<RunFigures>, String>>()?;
    Ok(answer_text(&out))
}

/// `jobs` as [`run_jobs`] reads them.
pub fn jobs_text(jobs: &[Job]) -> String {
    let items: Vec<String> = jobs.iter().map(|j| format!("[{},{}]", j.point, j.seed)).collect();
    format!("[{}]", items.join(","))
}

/// Runs' figures as a worker sends them: one array per run, `[cost_usd, latency_p50_ms,
/// latency_p99_ms, throttles, cold_starts, placeholder_cost]` with each figure's f64 as its bit
/// pattern (a u64): decimal text read back by serde_json can be off in the last bit (it is exact
/// to 15 digits only), and the table must be the CLI's to the bit.
pub fn answer_text(runs: &[RunFigures]) -> String {
    let items: Vec<String> = runs
        .iter()
        .map(|r| {
            format!(
                "[{},{},{},{},{},{}]",
                r.cost_usd.to_bits(),
                r.latency_p50_ms.to_bits(),
                r.latency_p99_ms.to_bits(),
                r.throttles,
                r.cold_starts,
                u8::from(r.placeholder_cost)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Reads [`answer_text`] back.
pub fn read_answer(text: &str) -> Result<Vec<RunFigures>, String> {
    let rows: Vec<(u64, u64, u64, u64, u64, u8)> = reader::from_str(text).map_err(|e| e.to_string())?;
    Ok(rows
        .into_iter()
        .map(|(c, p50, p99, throttles, cold_starts, placeholder)| RunFigures {
            cost_usd: f64::from_bits(c),
            latency_p50_ms: f64::from_bits(p50),
            latency_p99_ms: f64::from_bits(p99),
            throttles,
            cold_starts,
            placeholder_cost: placeholder != 0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = r#"{"version":1,"name":"t","duration":"1m","seed":3,"account":{"concurrency_limit":1000},
        "functions":[{"name":"f","duration":{"type":"lognormal","mean_ms":100,"std_ms":30},"traffic":{"type":"constant","rate":30}}]}"#;

    /// Jobs run in chunks by workers, read back and put in job order, make the table the CLI
    /// makes in one go: nothing is lost in the JSON.
    #[test]
    fn chunks_run_by_workers_make_the_same_table() {
        let sweep_json =
            r#"{"function":"f","axes":["provisioned=none,5,10"],"seeds":2,"target":{"max_throttles":0}}"#;
        let sweep: Sweep = reader::from_str(sweep_json).unwrap();
        let spec = ScenarioSpec::from_json(SCENARIO).unwrap();
        let plan = sweep.plan(&spec).unwrap();
        let jobs = plan.jobs();
        let direct: Vec<RunFigures> = jobs.iter().map(|&j| plan.run(j).unwrap()).collect();
        let mut chunked = Vec::new();
        for c in jobs.chunks(4) {
            let out = run_jobs(SCENARIO, &serde_json::to_string(&sweep).unwrap(), &jobs_text(c)).unwrap();
            chunked.extend(read_answer(&out).unwrap());
        }
        assert_eq!(direct, chunked);
        assert_eq!(plan.table(&direct), plan.table(&chunked));
        assert_eq!(plan.jobs()[1].seed, 4);
    }

    #[test]
    fn bad_messages_are_refused_with_a_reason() {
        let sweep = r#"{"axes":["provisioned=none,5"],"seeds":1}"#;
        assert!(run_jobs("{", sweep, "[]").unwrap_err().starts_with("the scenario"));
        assert!(run_jobs(SCENARIO, "{}", "[]").unwrap_err().starts_with("the sweep"));
        assert!(run_jobs(SCENARIO, sweep, "[[9,1]]").unwrap_err().contains("point 9"));
        assert_eq!(run_jobs(SCENARIO, sweep, "[]").unwrap(), "[]");
    }
}
