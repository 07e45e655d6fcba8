//! Progress on stderr while a run takes more than a second: a bar of simulated time when stderr
//! is a terminal (indicatif draws nothing otherwise, so pipes and CI logs stay clean), nothing
//! at all with `--quiet`. The run is the engine's own, cut into chunks of events: the same
//! events in the same order as one `Simulation::run`, so the results do not change.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lambdascape_engine::sim::Simulation;
use std::sync::Mutex;
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

/// A count of finished runs (a sweep's, run on several threads): `tick` after each; the bar
/// appears after the first second unless `quiet`.
pub struct Runs {
    bar: ProgressBar,
    /// When it started, until the bar is shown (then `None`).
    waiting: Mutex<Option<Instant>>,
    after: Duration,
}

impl Runs {
    pub fn new(total: usize, what: &str, quiet: bool) -> Runs {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:30}] {pos}/{len} runs, {elapsed} so far, about {eta} left",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        let waiting = Mutex::new((!quiet).then(Instant::now));
        Runs { bar, waiting, after: after() }
    }

    pub fn tick(&self) {
        if let Ok(mut w) = self.waiting.lock() {
            if w.is_some_and(|start| start.elapsed() >= self.after) {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                *w = None;
            }
        }
        self.bar.inc(1);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
