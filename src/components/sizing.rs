//! The header's "Sizing" button and the sizing panel's place in the app. The panel (a sweep of
//! a function's settings run in Web Workers, its cost-versus-p99 chart and table) is its own
//! wasm module, `crates/sizing`, fetched the first time the panel opens, so neither the viewer
//! nor the full app carries the sweep's code.
//!
//! In the viewer the button loads the full app, which opens the panel (like share / present /
//! compare): the viewer gains only the button. In the full app `sizing.js` lays the panel over
//! the simulation's place (`<html data-sizing>`, tools.css): plain DOM, so that the app's
//! download gains little. The button hands the panel the scenario in force when it opens; a
//! point clicked there replaces the scenario with that point's (under the same preset) and
//! plays it, through the app's dispatch.

use lambdascape_ui::state::{Action, Editing, Shared};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub preset: String,
    /// The text the scenario was opened from.
    pub source: Option<Rc<str>>,
    pub editing: Shared<Editing>,
    pub dispatch: Callback<Action>,
}

/// The header's [Sizing] button.
#[component]
pub fn SizingButton(p: &Props) -> Html {
    use_effect_with(p.source.clone(), |_| open_pending());
    html! {
        <button class="tool-button sizing-button" data-testid="sizing-button" aria-pressed="false"
            onclick={open(p)} onpointerenter={warm()} onfocus={warm()}
            title="Sizing: run the scenario with a setting varied and find the cheapest that meets a target">
            {"Sizing"}</button>
    }
}

/// In the viewer: load the full app, which opens the panel (by the button's test id).
#[cfg(not(feature = "tools"))]
fn open(_: &Props) -> Callback<MouseEvent> {
    Callback::from(|_: MouseEvent| crate::tools::load_full("sizing-button"))
}

/// In the viewer: the pointer or focus on the button starts fetching the full app (in the full
/// app, the panel's module).
#[cfg(not(feature = "tools"))]
use crate::tools::warm;

/// In the viewer: a share link's sweep is opened by the full app (links load it).
#[cfg(not(feature = "tools"))]
fn open_pending() {}

#[cfg(feature = "tools")]
use full::{open, open_pending, warm};

#[cfg(feature = "tools")]
mod full {
    use super::Props;
    use lambdascape_ui::state::Action;
    use wasm_bindgen::prelude::*;
    use yew::prelude::*;

    #[wasm_bindgen(module = "/src/components/sizing.js")]
    extern "C" {
        /// Opens the panel (fetching its module the first time) on `scenario`, or closes it.
        fn toggle_sizing(button: &web_sys::Element, scenario: Option<String>, on_load: &JsValue);
        /// Starts fetching the panel's module (a failure here is reported when it opens).
        fn warm_sizing();
        /// Opens the panel on a share link's sweep, if one waits for the link's scenario.
        pub(super) fn open_pending();
    }

    /// The pointer or focus on the button: start fetching the panel's module.
    pub(super) fn warm<E: 'static>() -> Callback<E> {
        Callback::from(|_: E| warm_sizing())
    }

    /// In the full app: open the panel on the scenario in force (the edited scenario if the
    /// editor changed it, else the text it was opened from), or close it.
    pub(super) fn open(p: &Props) -> Callback<MouseEvent> {
        let scenario = match p.editing.session.as_ref() {
            Some(session) if session.edited() => serde_json::to_string(session.current()).ok(),
            _ => p.source.as_deref().map(str::to_string),
        };
        let (id, dispatch) = (p.preset.clone(), p.dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            // (yew delegates events: the target is the button or inside it)
            let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            if let Some(b) = target.and_then(|t| t.closest("button").ok().flatten()) {
                let (id, dispatch) = (id.clone(), dispatch.clone());
                // A point clicked in the panel, once its own listener has returned.
                let on_load = Closure::<dyn Fn(String)>::new(move |text: String| {
                    dispatch.emit(Action::Load { id: id.clone(), text: text.into() });
                    dispatch.emit(Action::TogglePlay);
                })
                .into_js_value();
                toggle_sizing(&b, scenario.clone(), &on_load);
            }
        })
    }
}
