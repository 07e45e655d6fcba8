//! Lambdascape's web app as the page first loads it: the simulator, the picture, the charts,
//! the narrative, the inspector and the preset picker, without the editor and share / present /
//! compare (`tools.rs` stands in for them). Using one of those tools, opening a share link or a
//! preset edited earlier in this browser loads the full build (`src/main.rs`), which carries on
//! from the same scenario and time. The modules are the app's own, compiled here again.

#[cfg(target_arch = "wasm32")]
#[path = "../app.rs"]
mod app;
#[cfg(target_arch = "wasm32")]
#[path = "../charts/mod.rs"]
mod charts;
#[cfg(target_arch = "wasm32")]
#[path = "../format.rs"]
mod format;
#[cfg(target_arch = "wasm32")]
#[path = "../hooks/mod.rs"]
#[allow(unused_imports)]
mod hooks;
#[cfg(target_arch = "wasm32")]
#[path = "../markup.rs"]
mod markup;
#[cfg(target_arch = "wasm32")]
#[path = "../panic.rs"]
mod panic;
#[cfg(target_arch = "wasm32")]
#[path = "../presets.rs"]
mod presets;
#[cfg(target_arch = "wasm32")]
#[path = "../state.rs"]
#[allow(dead_code)]
mod state;
#[cfg(target_arch = "wasm32")]
#[path = "../state/view_only.rs"]
mod state_edit;
#[cfg(target_arch = "wasm32")]
#[path = "../theme.rs"]
mod theme;
#[cfg(target_arch = "wasm32")]
mod tools;

// The app's components but the tools, under the paths they use for each other.
#[cfg(target_arch = "wasm32")]
#[path = "../components/beyond.rs"]
mod beyond;
#[cfg(target_arch = "wasm32")]
#[path = "../components/chart_view.rs"]
mod chart_view;
#[cfg(target_arch = "wasm32")]
#[path = "../components/charts_panel.rs"]
mod charts_panel;
#[cfg(target_arch = "wasm32")]
#[path = "../components/error_panel.rs"]
mod error_panel;
#[cfg(target_arch = "wasm32")]
#[path = "../components/figures.rs"]
mod figures;
#[cfg(target_arch = "wasm32")]
#[path = "../components/header.rs"]
mod header;
#[cfg(target_arch = "wasm32")]
#[path = "../components/inspector.rs"]
mod inspector;
#[cfg(target_arch = "wasm32")]
#[path = "../components/narrative_log.rs"]
mod narrative_log;
#[cfg(target_arch = "wasm32")]
#[path = "../components/timeline.rs"]
mod timeline;
#[cfg(target_arch = "wasm32")]
#[path = "../components/topology.rs"]
mod topology;
#[cfg(target_arch = "wasm32")]
mod components {
    pub(crate) use super::{
        beyond, chart_view, charts_panel, error_panel, figures, header, inspector, narrative_log, timeline,
        topology,
    };
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static APP: std::cell::RefCell<Option<yew::AppHandle<app::App>>> = const { std::cell::RefCell::new(None) };
}

#[cfg(target_arch = "wasm32")]
fn main() {
    panic::install();
    let handle = yew::Renderer::<app::App>::new().render();
    APP.with(|a| *a.borrow_mut() = Some(handle));
}

/// Unmounts the viewer (its animation loop and keyboard listeners go with it) before the full
/// build takes the page.
#[cfg(target_arch = "wasm32")]
fn destroy_viewer() {
    if let Some(app) = APP.with(|a| a.borrow_mut().take()) {
        app.destroy();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lambdascape-viewer builds for wasm32: run `trunk serve` (see scripts/run.sh)");
}
