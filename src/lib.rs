//! Lambdascape's web app: the interactive Lambda scaling and VPC simulator in the browser, as yew
//! components over the UI core (`lambdascape_ui`: the state and its reducer, markup, charts,
//! topology drawing) and the engine (`lambdascape_engine`).
//!
//! Components render state and dispatch actions; the reducer ([`lambdascape_ui::state`]) decides
//! (it owns the engine handle and advances the simulation on `Action::Tick`); [`store`] is its
//! yew side. Two thin binaries start it:
//!
//! - `lambdascape-viewer` (`src/bin/viewer.rs`): what the page loads first, without the editor
//!   and share / present / compare; [`tools`] holds stand-ins that load the full app when one
//!   is used.
//! - `lambdascape-app` (`src/bin/app.rs`, feature `tools`): the full app.
//!
//! The library only builds for wasm32: natively it is empty, so that `cargo test --workspace`
//! does not compile the yew stack.

#![cfg(target_arch = "wasm32")]

mod app;
mod charts;
mod components;
mod hooks;
pub mod panic;
mod store;
mod tools;
// Component tests in headless Chromium (`cargo test --target wasm32-unknown-unknown -p
// lambdascape --lib --features tools`, run by scripts/test.sh).
#[cfg(test)]
mod wasm_tests;

thread_local! {
    static APP: std::cell::RefCell<Option<yew::AppHandle<app::App>>> = const { std::cell::RefCell::new(None) };
}

/// Installs the panic hook and renders the app into the page's body.
pub fn start() {
    panic::install();
    let handle = yew::Renderer::<app::App>::new().render();
    APP.with(|a| *a.borrow_mut() = Some(handle));
}

/// Unmounts the app (its animation loop and keyboard listeners go with it): the viewer calls it
/// before the full app takes the page.
#[cfg_attr(feature = "tools", allow(dead_code))]
fn unmount() {
    if let Some(app) = APP.with(|a| a.borrow_mut().take()) {
        app.destroy();
    }
}
