//! What a worker does with a message: the sweep's plan made again from the scenario's and the
//! sweep's text (the same plan as the panel's; a point's scenario is made when one of the
//! worker's jobs first needs it), and the jobs it was given run in order.

use lambdascape_engine::size::reader;
use lambdascape_engine::sweep::{Job, Plan, RunFigures, Sweep};
use lambdascape_engine::ScenarioSpec;
use std::cell::RefCell;

/// Runs `jobs_json` (`[[point, seed], …]`) of the sweep `sweep_json` on the scenario
/// `scenario_json`; the figures of each, in order, as a JSON array ([`answer_text`]). The plan
/// is kept for the next message of the same sweep (a worker gets a run's jobs in many chunks).
pub fn run_jobs(scenario_json: &str, sweep_json: &str, jobs_json: &str) -> Result<String, String> {
    thread_local! {
        static LAST: RefCell<Option<(String, String, Plan)>> = const { RefCell::new(None) };
    }
    let jobs: Vec<(usize, u64)> = reader::from_str(jobs_json).map_err(|e| format!("the jobs: {e}"))?;
    LAST.with_borrow_mut(|last| {
        let same = last.as_ref().is_some_and(|(sc, sw, _)| sc == scenario_json && sw == sweep_json);
        if !same {
            *last = None;
            let spec = ScenarioSpec::from_json(scenario_json).map_err(|e| format!("the scenario: {e}"))?;
            let sweep: Sweep = reader::from_str(sweep_json).map_err(|e| format!("the sweep: {e}"))?;
            *last = Some((scenario_json.to_string(), sweep_json.to_string(), sweep.plan(&spec)?));
        }
        let plan = &last.as_ref().expect("planned").2;
        let out = jobs
            .iter()
            .map(|&(point, seed)| plan.run(Job { point, seed }).ok_or(format!("point {point} cannot run")))
            .collect::<Result<Vec<RunFigures>, String>>()?;
        Ok(answer_text(&out))
    })
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
        // Another sweep's message between the chunks: each is answered from its own plan.
        let other_json = r#"{"function":"f","axes":["provisioned=20"],"seeds":1}"#;
        let other: Sweep = reader::from_str(other_json).unwrap();
        let other_plan = other.plan(&spec).unwrap();
        let other_direct = other_plan.run(other_plan.jobs()[0]).unwrap();
        let mut chunked = Vec::new();
        for c in jobs.chunks(4) {
            let out = run_jobs(SCENARIO, &serde_json::to_string(&sweep).unwrap(), &jobs_text(c)).unwrap();
            chunked.extend(read_answer(&out).unwrap());
            let out = run_jobs(SCENARIO, other_json, &jobs_text(&other_plan.jobs())).unwrap();
            assert_eq!(read_answer(&out).unwrap(), vec![other_direct.clone()]);
        }
        assert_ne!(other_direct, direct[0]);
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
        // A bad message after a good one is not answered from the kept plan.
        assert!(run_jobs(SCENARIO, sweep, "[[1,1]]").is_ok());
        assert!(run_jobs("{", sweep, "[[1,1]]").unwrap_err().starts_with("the scenario"));
        assert!(run_jobs(SCENARIO, "{}", "[[1,1]]").unwrap_err().starts_with("the sweep"));
    }
}
