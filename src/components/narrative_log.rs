//! The narrative log: entries up to now, newest at the bottom, following playback. Clicking an
//! entry seeks to its time and highlights what it names. Its markup is shared with the widget
//! (markup.rs), morphed into the section.

use lambdascape_ui::act::Act;
use lambdascape_ui::markup;
use lambdascape_ui::state::{Log, Shared};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub log: Shared<Log>,
    pub highlighted: Option<usize>,
    pub on_show: Callback<usize>,
}

#[component]
pub fn NarrativeLog(p: &Props) -> Html {
    let section = use_node_ref();
    {
        let section = section.clone();
        use_effect_with((p.log.clone(), p.highlighted), move |(log, hl)| {
            let Some(el) = section.cast::<web_sys::Element>() else { return };
            let empty = "Press play (space): events are told here as they happen.";
            markup::morph(&el, &markup::narrative(log, *hl, empty));
            // Follow playback: keep the newest entry in view.
            if let (None, Ok(Some(list))) = (hl, el.query_selector(".log")) {
                list.set_scroll_top(list.scroll_height());
            }
        });
    }
    let on_click = {
        let on_show = p.on_show.clone();
        Callback::from(move |e: MouseEvent| {
            let entry = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest(&format!("[data-act={}]", Act::Show)).ok().flatten())
                .and_then(|b| b.get_attribute("data-value"))
                .and_then(|v| lambdascape_engine::size::number::parse_uint(&v));
            if let Some(i) = entry {
                on_show.emit(i);
            }
        })
    };
    html! { <section class="narrative" aria-label="What happened" ref={section} onclick={on_click} /> }
}
