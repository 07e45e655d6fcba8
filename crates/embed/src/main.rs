//! Lambdascape's embeddable widget: the wasm behind `<lambdascape-widget>` (www/embed.js) and
//! the iframe form (www/embed.html). A separate, smaller build than the app, without yew or
//! plotters (its dependency graph has neither): it is built on the UI core (`lambdascape_ui`:
//! the app's state, the markup of its pictures, the canvas chart painter, the topology's dots)
//! and leaves out the header, inspector, keyboard shortcuts and anything that touches the page
//! outside the widget. Nothing starts by itself: embed.js fetches and compiles the wasm
//! once and calls `mount_widget` per widget.
//!
//! Trunk builds it from index.html as a `data-type="worker"` Rust asset only to get stable,
//! unhashed file names (`lambdascape-embed.js`, `lambdascape-embed_bg.wasm`) that embed.js finds
//! next to itself; it is an ES module (`data-bindgen-target="web"`), not a worker.

mod options;

#[cfg(target_arch = "wasm32")]
mod boundary;
#[cfg(target_arch = "wasm32")]
mod crash;
#[cfg(target_arch = "wasm32")]
mod widget;

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
