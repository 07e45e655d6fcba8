//! Small helpers shared by the panels: reading form controls without extra web-sys features.

use wasm_bindgen::JsValue;

fn target_prop(e: &web_sys::Event, name: &str) -> Option<JsValue> {
    let target = e.target()?;
    js_sys::Reflect::get(&target, &JsValue::from_str(name)).ok()
}

/// The `value` of the event's target (input, textarea or select).
pub fn target_value(e: &web_sys::Event) -> String {
    target_prop(e, "value").and_then(|v| v.as_string()).unwrap_or_default()
}

/// The `checked` state of the event's target (a checkbox).
pub fn target_checked(e: &web_sys::Event) -> bool {
    target_prop(e, "checked").and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Parses an optional number: empty is `Ok(None)`, otherwise a finite number or an error.
pub fn opt_number(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match lambdascape_engine::size::number::parse_f64(t) {
        Some(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("\"{t}\" is not a number")),
    }
}

/// Parses an optional whole number.
pub fn opt_whole(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    lambdascape_engine::size::number::parse_uint::<u32>(t)
        .map(Some)
        .ok_or_else(|| format!("\"{t}\" is not a whole number"))
}
