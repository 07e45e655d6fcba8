//! Keyboard controls: space or '.' (presenter remotes) play/pause, arrows step, Home/End.

use lambdascape_ui::state::Action;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The action a key press asks for, given the focused element's tag and input type.
fn action_for(key: &str, shift: bool, tag: &str, input_type: &str) -> Option<Action> {
    let in_text = matches!(tag, "SELECT" | "TEXTAREA") || (tag == "INPUT" && input_type != "range");
    if in_text {
        return None;
    }
    let on_range = tag == "INPUT" && input_type == "range";
    match key {
        // A focused button activates itself on space; a slider keeps its arrows.
        " " | "Spacebar" if tag != "BUTTON" => Some(Action::TogglePlay),
        "." => Some(Action::TogglePlay),
        "ArrowRight" if !on_range => Some(Action::Step(if shift { 10 } else { 1 })),
        "ArrowLeft" if !on_range => Some(Action::Step(if shift { -10 } else { -1 })),
        "Home" if !on_range => Some(Action::Home),
        "End" if !on_range => Some(Action::End),
        _ => None,
    }
}

/// Listens to key presses on the document while the component lives.
#[hook]
pub fn use_keyboard(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let cb = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let tag = target.as_ref().map(|t| t.tag_name()).unwrap_or_default();
            let input_type = target.as_ref().and_then(|t| t.get_attribute("type")).unwrap_or_default();
            if let Some(a) = action_for(&e.key(), e.shift_key(), &tag, &input_type) {
                e.prevent_default();
                dispatch.emit(a);
            }
        });
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(d) = &doc {
            let _ = d.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &doc {
                let _ = d.remove_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
            }
            drop(cb);
        }
    });
}
