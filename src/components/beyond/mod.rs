//! The "Beyond scaling" view: what else trips up a Lambda function once it scales. Four panels
//! backed by the engine: cross-account access (`iam`), deployment and configuration limits
//! (`limits`), storage choices (`storage`) and authorization failures (`iam::authz`).
//!
//! The header gets one [`BeyondButton`]; while the view is open it marks the document with
//! `data-view="beyond"` (styles.css hides the simulation and lays the view over its place) and
//! renders the panels into the app's grid through a portal. Every panel keeps its own state
//! (`use_state`/`use_reducer`): nothing here touches the app's reducer.

mod authz;
mod cross_account;
mod limits;
mod path;
mod storage;
mod util;

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The header's [Beyond scaling] toggle, and the view itself while it is open.
#[component]
pub fn BeyondButton() -> Html {
    let open = use_state_eq(|| false);
    let host = use_state(|| None::<web_sys::Element>);
    let button = use_node_ref();
    let toggle = {
        let (open, host) = (open.clone(), host.clone());
        Callback::from(move |_: MouseEvent| {
            if host.is_none() {
                let doc = web_sys::window().and_then(|w| w.document());
                host.set(doc.and_then(|d| d.query_selector(".app").ok().flatten()));
            }
            open.set(!*open);
        })
    };
    let close = {
        let (open, button) = (open.clone(), button.clone());
        Callback::from(move |()| {
            open.set(false);
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    // Mark the document while open, and move focus to the view's heading.
    use_effect_with(*open, |open| {
        let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
        if let Some(r) = &root {
            if *open {
                let _ = r.set_attribute("data-view", "beyond");
                let title = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("beyond-title"));
                if let Some(t) = title.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = t.focus();
                }
            } else {
                let _ = r.remove_attribute("data-view");
            }
        }
        move || {
            if let Some(r) = root {
                let _ = r.remove_attribute("data-view");
            }
        }
    });
    let view = match (*open, (*host).clone()) {
        (true, Some(h)) => create_portal(html! { <BeyondView on_close={close} /> }, h),
        _ => html! {},
    };
    html! {
        <>
            <button ref={button} class="tool-button beyond-button" data-testid="beyond-button"
                aria-pressed={open.to_string()} onclick={toggle}
                title="Cross-account access, limits, storage and authorization failures">
                {"Beyond scaling"}
            </button>
            { view }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ViewProps {
    on_close: Callback<()>,
}

#[component]
fn BeyondView(p: &ViewProps) -> Html {
    let on_close = p.on_close.reform(|_: MouseEvent| ());
    let on_key = {
        let close = p.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                close.emit(());
            }
        })
    };
    html! {
        <section class="beyond" aria-labelledby="beyond-title" data-testid="beyond-view" onkeydown={on_key}>
            <div class="bx-head">
                <h2 id="beyond-title" tabindex="-1">{"Beyond scaling"}</h2>
                <p class="bx-intro">{"What stops a function that scales fine: a role it cannot assume, a \
                    package over a quota, data kept in the wrong place, a 403 nobody can read. Edit anything: \
                    the verdicts follow as you type."}</p>
                <button class="tool-button" data-testid="beyond-close" onclick={on_close}>
                    {"← Back to the simulation"}</button>
            </div>
            <div class="bx-panels">
                <cross_account::CrossAccountPanel />
                <limits::LimitsPanel />
                <authz::AuthzPanel />
                <storage::StoragePanel />
            </div>
        </section>
    }
}
