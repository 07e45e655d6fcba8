//! Lambdascape's web app: the interactive Lambda scaling and VPC simulator in the browser.
//!
//! Components render state and dispatch actions; the reducer in [`state`] decides (it owns the
//! engine handle and advances the simulation on `Action::Tick`); chart and frame data come from
//! `lambdascape_engine::view`, prepared and tested natively. The app only builds for wasm32:
//! natively this binary is an empty stub so that `cargo test --workspace` stays light.
//!
//! This is the full build, with the editor and share / present / compare. The page first loads
//! the viewer (`src/viewer/`, the same app without those tools, a smaller download), which
//! loads this build the first time one of them is used (`tools.rs`).

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod charts;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod format;
#[cfg(target_arch = "wasm32")]
mod hooks;
#[cfg(target_arch = "wasm32")]
mod markup;
#[cfg(target_arch = "wasm32")]
mod panic;
#[cfg(target_arch = "wasm32")]
mod presets;
#[cfg(target_arch = "wasm32")]
mod share_state;
#[cfg(target_arch = "wasm32")]
mod share_svg;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
#[path = "state/edit.rs"]
mod state_edit;
#[cfg(target_arch = "wasm32")]
mod theme;
#[cfg(target_arch = "wasm32")]
mod tools;
// Component tests in headless Chromium (`cargo test --target wasm32-unknown-unknown --bin
// lambdascape`, run by scripts/test.sh).
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests;

#[cfg(target_arch = "wasm32")]
fn main() {
    panic::install();
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lambdascape's web app builds for wasm32: run `trunk serve` (see scripts/run.sh)");
}
