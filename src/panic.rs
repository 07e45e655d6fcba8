//! The panic hook: a panic shows an error panel with a reset button, never a blank page.

use wasm_bindgen::JsCast;

/// Installs the hook (once, at start). Through yew: a hook set with `std::panic::set_hook`
/// would be replaced by yew's own when the app first renders.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let msg = info.to_string();
        web_sys::console::error_1(&format!("Lambdascape crashed: {msg}").into());
        let _ = show(&msg);
    }));
}

/// Replaces the page's content with the error panel (plain DOM: yew may be unusable now).
fn show(msg: &str) -> Option<()> {
    let doc = web_sys::window()?.document()?;
    let body = doc.body()?;
    let panel = doc.create_element("section").ok()?;
    panel.set_class_name("crash-panel");
    panel.set_attribute("role", "alert").ok()?;
    panel.set_attribute("data-testid", "crash-panel").ok()?;
    let h = doc.create_element("h1").ok()?;
    h.set_text_content(Some("Lambdascape stopped: something went wrong inside the simulator"));
    let p = doc.create_element("p").ok()?;
    p.set_text_content(Some(
        "Nothing you did is lost on a server: reset reloads the page with the first scenario. \
         If this happens again with the same scenario, please report the message below.",
    ));
    let pre = doc.create_element("pre").ok()?;
    pre.set_text_content(Some(msg));
    let button: web_sys::HtmlElement = doc.create_element("button").ok()?.dyn_into().ok()?;
    button.set_text_content(Some("Reset"));
    button.set_attribute("aria-label", "Reset the app").ok()?;
    button.set_attribute("onclick", "location.reload()").ok()?;
    panel.append_child(&h).ok()?;
    panel.append_child(&p).ok()?;
    panel.append_child(&pre).ok()?;
    panel.append_child(&button).ok()?;
    body.set_inner_html("");
    body.append_child(&panel).ok()?;
    let _ = button.focus();
    Some(())
}

/// For the end-to-end tests (`window.wasmBindings.crash_for_tests()`): a panic, to check that
/// the crash panel replaces the page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn crash_for_tests() {
    panic!("a crash asked for by a test");
}
