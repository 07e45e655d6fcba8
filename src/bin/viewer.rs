//! `lambdascape-viewer`: the app as the page first loads it (the simulator, the picture, the
//! charts, the narrative, the inspector and the preset picker), without the editor and share /
//! present / compare, which load `lambdascape-app` the first time one is used.

#[cfg(target_arch = "wasm32")]
fn main() {
    lambdascape::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lambdascape-viewer builds for wasm32: run `trunk serve` (see scripts/run.sh)");
}
