//! Progress on stderr while a run takes more than a second: a bar of simulated time when stderr
//! is a terminal (indicatif draws nothing otherwise, so pipes and CI logs stay clean), nothing
//! at all with `--quiet`. The run is the engine's own, cut into chunks of events: the same
//! events in the same order as one `Simulation::run`, so the results do not change.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lambdascape_engine::sim::Simulation;
use std::time::{Duration, Instant};

/// Events processed between two looks at the clock.
const CHUNK: u64 = 200_000;
/// Runs shorter than this show nothing (`LAMBDASCAPE_PROGRESS_AFTER_MS` sets another wait, for
/// tests on machines of any speed).
fn after() -> Duration {
    let ms = std::env::var("LAMBDASCAPE_PROGRESS_AFTER_MS").ok().and_then(|v| v.parse().ok());
    Duration::from_millis(ms.unwrap_or(1000))
}

/// Runs `sim` to the end of its scenario, with a progress bar named `what` after the first
/// second unless `quiet`.
pub fn run(sim: &mut Simulation, what: &str, quiet: bool) {
    let start = Instant::now();
    let horizon = sim.horizon();
    let bar = ProgressBar::with_draw_target(Some(horizon), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {percent:>3}% of the simulated time, {elapsed} so far, about {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    let (mut shown, after) = (false, after());
    while !sim.advance_bounded(horizon, CHUNK) {
        if !quiet && !shown && start.elapsed() >= after {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
        bar.set_position(sim.now());
    }
    bar.finish_and_clear();
}
