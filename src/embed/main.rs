//! Lambdascape's embeddable widget: the wasm behind `<lambdascape-widget>` (www/embed.js) and
//! the iframe form (www/embed.html). A separate, smaller build than the app, without yew: it
//! shares the app's state (`state.rs`), the markup of its pictures (`markup.rs`) and its chart
//! helpers, and leaves out the header, inspector, keyboard shortcuts and anything that touches
//! the page outside the widget. Nothing starts by itself: embed.js fetches and compiles the wasm
//! once and calls `mount_widget` per widget.
//!
//! Trunk builds it from index.html as a `data-type="worker"` Rust asset only to get stable,
//! unhashed file names (`lambdascape-embed.js`, `lambdascape-embed_bg.wasm`) that embed.js finds
//! next to itself; it is an ES module (`data-bindgen-target="web"`), not a worker.

mod options;

#[cfg(target_arch = "wasm32")]
mod boundary;
#[cfg(target_arch = "wasm32")]
#[path = "../charts/mod.rs"]
#[allow(dead_code)]
mod charts;
#[cfg(target_arch = "wasm32")]
mod crash;
#[cfg(target_arch = "wasm32")]
#[path = "../format.rs"]
#[allow(dead_code)]
mod format;
#[cfg(target_arch = "wasm32")]
#[path = "../hooks/mod.rs"]
#[allow(dead_code, unused_imports)]
mod hooks;
#[cfg(target_arch = "wasm32")]
#[path = "../markup.rs"]
#[allow(dead_code)]
mod markup;
#[cfg(target_arch = "wasm32")]
#[path = "../presets.rs"]
#[allow(dead_code)]
mod presets;
#[cfg(target_arch = "wasm32")]
#[path = "../state.rs"]
#[allow(dead_code)]
mod state;
#[cfg(target_arch = "wasm32")]
#[path = "../state/view_only.rs"]
#[allow(dead_code)]
mod state_edit;
#[cfg(target_arch = "wasm32")]
#[path = "../theme.rs"]
#[allow(dead_code)]
mod theme;
#[cfg(target_arch = "wasm32")]
mod widget;

// The app's topology module (its canvas drawing and hit testing; the widget draws the rest
// as markup).
#[cfg(target_arch = "wasm32")]
#[path = "../components/topology.rs"]
#[allow(dead_code)]
mod topology;
#[cfg(target_arch = "wasm32")]
mod components {
    pub(crate) use super::topology;
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // A panic is reported on the console, and the widget that hit it is taken out (crash.rs).
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Lambdascape widget crashed: {info}").into());
        crash::crashed(&info.to_string());
    }));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let _ = options::parse(|_| None, false, false);
    eprintln!("lambdascape-embed builds for wasm32: see www/embed.js and index.html");
}
