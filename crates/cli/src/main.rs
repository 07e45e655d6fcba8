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
use lambdascape_engine::sweep::{Axis, Sweep, Target};
use lambdascape_engine::time::{micros_to_secs, parse_duration, Micros};
use rayon::prelude::*;
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
    /// Vary one or two settings of a function over a list or range of values, run every point
    /// with several seeds on every core, and print each point's cost, latency, throttles and
    /// cold starts (mean and 95% interval), the Pareto front and the cheapest point that meets
    /// the target.
    Sweep {
        scenario: PathBuf,
        /// A setting and its values, once or twice: provisioned=0..200:50, reserved=none,100,
        /// memory=512,1024, compute=on-demand,snapstart,managed-instances,web, snapstart=off,on,
        /// concurrency=1,8,64 (per environment), idle_lifetime=5m,30m, traffic=0.5,1,2 (scale).
        #[arg(long = "vary", required = true)]
        vary: Vec<String>,
        /// The function whose settings vary (default: the scenario's first).
        #[arg(long)]
        function: Option<String>,
        /// Runs per point, with seeds seed, seed+1, ... (the scenario's seed unless --seed).
        #[arg(long, default_value_t = 5)]
        seeds: u32,
        #[arg(long)]
        seed: Option<u64>,
        /// The target: highest p99 latency in ms (the mean over the seeds).
        #[arg(long)]
        target_p99: Option<f64>,
        /// The target: most throttles per run (the mean over the seeds).
        #[arg(long)]
        max_throttles: Option<f64>,
        /// CSV instead of a table.
        #[arg(long, conflicts_with = "json")]
        csv: bool,
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
            let seed = seed.unwrap_or(spec.seed);
            let runs = lambdascape_engine::compare::scenarios(&spec).map_err(|e| {
                Failure::Usage(format!("{} is not a valid scenario:\n{e}", scenario.display()))
            })?;
            // The variants side by side on every core, in order (`compare::run_all`'s rows).
            let bar = progress::Runs::new(runs.len(), "comparing", quiet);
            let rows: Vec<_> = runs
                .into_par_iter()
                .map(|(name, sc)| {
                    let mut sim = Simulation::with_seed(sc, seed, Options::default());
                    sim.run();
                    bar.tick();
                    lambdascape_engine::compare::Row::of(&name, &sim)
                })
                .collect();
            bar.finish();
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
        Cmd::Sweep { scenario, vary, function, seeds, seed, target_p99, max_throttles, csv, json } => {
            let mut spec = load(&scenario)?;
            if let Some(seed) = seed {
                spec.seed = seed;
            }
            let axes = vary
                .iter()
                .map(|v| Axis::parse(v))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Failure::Usage(format!("--vary {e}")))?;
            let target = Target { p99_ms: target_p99, max_throttles };
            let plan = Sweep { function, axes, seeds, target }.plan(&spec).map_err(Failure::Usage)?;
            let jobs = plan.jobs();
            let runs = progress::Runs::new(jobs.len(), "sweeping", quiet);
            let rows: Vec<_> = jobs
                .par_iter()
                .map(|&j| {
                    let row = plan.run(j).unwrap_or_default();
                    runs.tick();
                    row
                })
                .collect();
            runs.finish();
            let table = plan.table(&rows);
            if json {
                println!("{}", serde_json::to_string_pretty(&table).unwrap_or_default());
            } else if csv {
                print!("{}", table.csv());
            } else {
                print!("{}", sweep_table(&table));
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
    let mut out = aligned(&head, &cells, |c| c < 2);
    for (mark, note) in lambdascape_engine::compare::notes(rows) {
        out += &format!("{mark} {note}\n");
    }
    out
}

/// Rows of cells under `head`, in columns two spaces apart: the columns `left` names aligned
/// left, the others (figures) right.
fn aligned(head: &[&str], cells: &[Vec<String>], left: impl Fn(usize) -> bool) -> String {
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            cells.iter().map(|r| r[c].chars().count()).chain([head[c].chars().count()]).max().unwrap_or(0)
        })
        .collect();
    let line = |r: &[String]| {
        let mut s: Vec<String> = Vec::new();
        for (c, v) in r.iter().enumerate() {
            s.push(if left(c) {
                format!("{v:<w$}", w = widths[c])
            } else {
                format!("{v:>w$}", w = widths[c])
            });
        }
        s.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(&head.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for r in cells {
        out += &line(r);
    }
    out
}

/// A sweep's table: one line per point, figures as mean ± half the 95% interval.
fn sweep_table(t: &lambdascape_engine::sweep::Table) -> String {
    let pm = |s, digits| t.figure(s, digits);
    let mut head: Vec<&str> = t.params.iter().map(|p| p.name()).collect();
    head.extend(["cost USD", "p50 ms", "p99 ms", "throttles", "cold starts", ""]);
    let cells: Vec<Vec<String>> = t
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut r: Vec<String> = p.levels.iter().map(|l| l.to_string()).collect();
            match &p.error {
                Some(e) => r.extend(
                    ["-", "-", "-", "-", "-"]
                        .map(String::from)
                        .into_iter()
                        .chain([format!("not possible: {e}")]),
                ),
                None => {
                    let cost = pm(p.cost_usd, 4) + if p.placeholder_cost { "*" } else { "" };
                    r.extend([
                        cost,
                        pm(p.latency_p50_ms, 0),
                        pm(p.latency_p99_ms, 0),
                        pm(p.throttles, 1),
                        pm(p.cold_starts, 1),
                        t.marks(i).join(", "),
                    ]);
                }
            }
            r
        })
        .collect();
    let mut out = format!(
        "function {}, {} seed{} per point ({}..={})\n",
        t.function,
        t.seeds.len(),
        if t.seeds.len() == 1 { "" } else { "s" },
        t.seeds.first().copied().unwrap_or(0),
        t.seeds.last().copied().unwrap_or(0)
    );
    let notes = head.len() - 1;
    out += &aligned(&head, &cells, |c| c < t.params.len() || c == notes);
    if t.seeds.len() > 1 {
        out += "± half the 95% confidence interval of the mean over the seeds\n";
    }
    out += "front: no other point is at least as cheap, as fast at p99 and as free of throttles, and better in one\n";
    if t.points.iter().any(|p| p.placeholder_cost) {
        out += "* at Lambdascape's placeholder rates for Web Functions: never called the cheapest\n";
    }
    if t.target.is_set() && t.cheapest.is_none() {
        out += "no point meets the target\n";
    }
    for note in &t.notes {
        out += note;
        out += "\n";
    }
    out
}
