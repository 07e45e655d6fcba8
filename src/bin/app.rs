//! `lambdascape-app`: the full app, with the editor and share / present / compare (feature
//! `tools`). The viewer loads it when one of those is used, and the page starts with it when the
//! address holds a share link.

#[cfg(target_arch = "wasm32")]
fn main() {
    lambdascape::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lambdascape-app builds for wasm32: run `trunk serve` (see scripts/run.sh)");
}
