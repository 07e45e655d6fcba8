//! `lambdascape`: runs Lambdascape scenarios headless, for tests, benchmarks and docs authors.
//!
//! Two stages, like the engine's scenarios: clap parses raw flags, then [`Command`] holds the
//! validated request.

mod progress;
mod reach;
mod render;

use clap::{Parser, Subcommand};
use lambdascape_engine::checks;
use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::time::{micros_to_secs, parse_duration, Micros};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lambdascape",
    version,
    about = "Simulate AWS Lambda scaling, throttling and VPC placement headless"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
    /// Show no progress bar (one appears on stderr, when it is a terminal, on runs longer than
    /// a second).
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a scenario and print a JSON summary.
    Simulate {
        scenario: PathBuf,
        /// Seed of the random generator (default: the scenario's own).
        #[arg(long)]
        seed: Option<u64>,
        /// Simulate this long instead of the scenario's duration (e.g. 90s, 15m, 2h).
        #[arg(long)]
        until: Option<String>,
        /// Write the sampled series as CSV (one row per sample).
        #[arg(long)]
        series: Option<PathBuf>,
        /// Write the narrative (one "hh:mm:ss — text" line per entry; JSON lines if the file ends in .jsonl).
        #[arg(long)]
        events: Option<PathBuf>,
    },
    /// Check a scenario file and list every problem.
    Validate { scenario: PathBuf },
    /// Run a scenario and check its headline figures (`checks`).
    Check {
        scenario: PathBuf,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Run the scenario and each of its variants (same traffic and seed) and print one table:
    /// invocations, throttles, cold starts and restores, p50/p99 latency and cost.
    Compare {
        scenario: PathBuf,
        #[arg(long)]
        seed: Option<u64>,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Run a scenario and draw one chart as SVG or PNG.
    Render(render::RenderArgs),
    /// Print the reachability matrix: every function's path from each subnet to each
    /// destination, or why packets are dropped; then the advisor's findings.
    Reach {
        scenario: PathBuf,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command, cli.quiet) {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            eprintln!("lambdascape: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("lambdascape: {msg}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    /// Bad input (scenario or flags): exit 2.
    Usage(String),
    /// Could not read or write a file: exit 1.
    Io(String),
}

fn load(path: &Path) -> Result<ScenarioSpec, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
    ScenarioSpec::from_json(&text)
        .map_err(|e| Failure::Usage(format!("{} is not a valid scenario:\n{e}", path.display())))
}

fn build(path: &Path, seed: Option<u64>, until: Option<&str>) -> Result<Simulation, Failure> {
    let mut spec = load(path)?;
    if let Some(u) = until {
        let us: Micros = parse_duration(u).map_err(|e| Failure::Usage(format!("--until: {e}")))?;
        spec.duration = lambdascape_engine::time::DurationSpec::from_micros(us);
        // Chapters tell the full run: those after the cut are left out, not refused.
        spec.chapters.retain(|c| c.at.micros() <= us);
    }
    let seed = seed.unwrap_or(spec.seed);
    let scenario = spec
        .validate()
        .map_err(|e| Failure::Usage(format!("{} is not a valid scenario:\n{e}", path.display())))?;
    Ok(Simulation::with_seed(scenario, seed, Options::default()))
}

fn write_file(path: &Path, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Failure> {
    let file = std::fs::File::create(path)
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
    let mut w = std::io::BufWriter::new(file);
    f(&mut w)
        .and_then(|_| w.flush())
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))
}

fn run(cmd: Cmd, quiet: bool) -> Result<ExitCode, Failure> {
    match cmd {
        Cmd::Simulate { scenario, seed, until, series, events } => {
            let mut sim = build(&scenario, seed, until.as_deref())?;
            progress::run(&mut sim, "simulating", quiet);
            if let Some(path) = series {
                write_file(&path, |w| lambdascape_engine::export::write_series_csv(&sim, w))?;
            }
            if let Some(path) = events {
                let jsonl = path.extension().is_some_and(|e| e == "jsonl");
                write_file(&path, |w| {
                    for e in &sim.recorder().narrative {
                        if jsonl {
                            serde_json::to_writer(&mut *w, e)?;
                            writeln!(w)?;
                        } else {
                            writeln!(w, "{}", e.line())?;
                        }
                    }
                    Ok(())
                })?;
            }
            println!("{}", serde_json::to_string_pretty(&sim.summary()).expect("summary serializes"));
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Validate { scenario } => {
            let spec = load(&scenario)?;
            match spec.validate() {
                Ok(s) => {
                    println!(
                        "{}: valid ({} functions, {} s simulated)",
                        scenario.display(),
                        s.functions.len(),
                        micros_to_secs(s.horizon)
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    Err(Failure::Usage(format!("{} is not a valid scenario:\n{e}", scenario.display())))
                }
            }
        }
        Cmd::Compare { scenario, seed, json } => {
            let spec = load(&scenario)?;
            let rows =
                lambdascape_engine::compare::run_all(&spec, seed.unwrap_or(spec.seed)).map_err(|e| {
                    Failure::Usage(format!("{} is not a valid scenario:\n{e}", scenario.display()))
                })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
            } else {
                print!("{}", compare_table(&rows));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Check { scenario, seed } => {
            let spec = load(&scenario)?;
            let mut sim = build(&scenario, seed, None)?;
            progress::run(&mut sim, "simulating", quiet);
            let results = checks::evaluate_spec(&spec, &sim);
            let mut failed = 0;
            for r in &results {
                let v = r.value.map_or("-".to_string(), |v| format!("{v}"));
                let range = format!(
                    "[{}, {}]",
                    r.min.map_or("-inf".into(), |m| m.to_string()),
                    r.max.map_or("+inf".into(), |m| m.to_string())
                );
                println!(
                    "{} {} = {v} in {range}  {}",
                    if r.passed { "ok  " } else { "FAIL" },
                    r.metric,
                    r.note
                );
                failed += usize::from(!r.passed);
            }
            if failed > 0 {
                eprintln!("{failed} of {} checks failed", results.len());
                return Ok(ExitCode::from(3));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Schema => {
            println!("{}", lambdascape_engine::schema::scenario_schema_json());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Render(args) => render::run(args, quiet),
        Cmd::Reach { scenario, json } => {
            let spec = load(&scenario)?;
            let sc = spec.validate().map_err(|e| {
                Failure::Usage(format!("{} is not a valid scenario:\n{e}", scenario.display()))
            })?;
            print!("{}", reach::run(&sc, json));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The compare rows as a text table.
fn compare_table(rows: &[lambdascape_engine::compare::Row]) -> String {
    let head = [
        "variant",
        "compute",
        "invocations",
        "throttles",
        "cold starts",
        "restores",
        "p50 ms",
        "p99 ms",
        "max ms",
        "cost USD",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let dagger = if r.partial_latency(rows) { "†" } else { "" };
            vec![
                r.name.clone(),
                r.compute.to_string(),
                r.invocations.to_string(),
                r.throttles.to_string(),
                r.cold_starts.to_string(),
                r.restores.to_string(),
                format!("{:.0}{dagger}", r.latency_p50_ms),
                format!("{:.0}{dagger}", r.latency_p99_ms),
                format!("{:.0}{dagger}", r.latency_max_ms),
                format!("{:.4}{}", r.cost_usd, if r.placeholder_cost { "*" } else { "" }),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..head.len())
        .map(|c| cells.iter().map(|r| r[c].chars().count()).chain([head[c].len()]).max().unwrap_or(0))
        .collect();
    let line = |r: &[String]| {
        let mut s: Vec<String> = Vec::new();
        for (c, v) in r.iter().enumerate() {
            s.push(if c < 2 { format!("{v:<w$}", w = widths[c]) } else { format!("{v:>w$}", w = widths[c]) });
        }
        s.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(&head.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for r in &cells {
        out += &line(r);
    }
    for (mark, note) in lambdascape_engine::compare::notes(rows) {
        out += &format!("{mark} {note}\n");
    }
    out
}
