//! The sizing panel as its own small wasm module: a sweep of one or two settings of a function
//! (`lambdascape_engine::sweep`, the CLI's `lambdascape sweep`) run in Web Workers, then a
//! cost-versus-p99 chart with the Pareto front and the cheapest point that meets the target,
//! and the table the CLI prints. Clicking a point hands its scenario to the app to play.
//!
//! The same module is also the docs widget `<lambdascape-widget view="sizing" sweep="…">`
//! (`widget.rs`, [`panel::mount_sizing_widget`]): www/embed.js fetches it, from next to itself,
//! only when such a widget is on the page, so the widget's own download has none of it.
//!
//! The app's header button (`src/components/sizing.rs`) fetches this module the first time the
//! panel opens and calls [`mount_sizing`]; the panel then starts workers from its snippet
//! (`src/sizing.js`), each of which loads this same module and calls [`run_jobs`]. Trunk builds
//! it from index.html like the Beyond scaling view (a `data-type="worker"` Rust asset, only for
//! its stable names `lambdascape-sizing.js` and `lambdascape-sizing_bg.wasm`). No yew: the panel
//! is markup (`view.rs`) morphed into its host by the UI core's morph.js.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod form;
mod jobs;
mod view;
mod widget;

#[cfg(target_arch = "wasm32")]
mod panel;

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// For a worker: runs the jobs `jobs_json` (`[[point, seed], …]`) of the sweep
    /// `sweep_json` on the scenario `scenario_json` and returns their figures (`RunFigures`,
    /// in order) as a JSON array, each figure exact (`jobs::answer_text`); throws why it cannot.
    /// The sizing widget's stylesheet (build.rs): www/embed.js adopts it in each sizing widget's
    /// shadow root after the widget's own.
    #[wasm_bindgen]
    pub fn sizing_css() -> String {
        include_str!(concat!(env!("OUT_DIR"), "/sizing.css")).to_string()
    }

    #[wasm_bindgen]
    pub fn run_jobs(scenario_json: &str, sweep_json: &str, jobs_json: &str) -> Result<String, JsValue> {
        crate::jobs::run_jobs(scenario_json, sweep_json, jobs_json).map_err(JsValue::from)
    }
}

/// Runs when the module starts, in the page and in each worker: a panic is reported on the
/// console (the app around the panel has its own wasm instance and keeps running).
#[cfg(target_arch = "wasm32")]
fn main() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Lambdascape's sizing panel crashed: {info}").into());
    }));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lambdascape-sizing builds for wasm32: the app loads it when the sizing panel opens");
}
