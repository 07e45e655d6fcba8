//! The header's "Beyond scaling" button and the view's place in the app. The view itself (four
//! panels backed by the engine: cross-account access, deployment and configuration limits,
//! storage choices and authorization failures) is its own wasm module, `crates/beyond`, fetched
//! the first time the view opens: it never touches the simulation, so the app's download does
//! not carry it.
//!
//! While the view is open the document is marked `data-view="beyond"` (tools.css hides the
//! simulation and lays the view over its place) and the view is rendered into the app's grid
//! through a portal.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/components/beyond.js")]
extern "C" {
    /// Fetches and starts the view's module once; resolves to its exports.
    fn load_beyond() -> js_sys::Promise;
    fn mount_beyond(module: &JsValue, host: &web_sys::Element, on_close: &js_sys::Function) -> JsValue;
    fn unmount_beyond(handle: &JsValue);
}

/// Where fetching the view's module is.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready,
    Failed(String),
}

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
    // Mark the document while open.
    use_effect_with(*open, |open| {
        let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
        if let Some(r) = &root {
            if *open {
                let _ = r.set_attribute("data-view", "beyond");
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
    // Mount the view's module into the portal while open (it focuses its own heading).
    let load = use_state_eq(|| Load::Loading);
    let mount = use_node_ref();
    {
        let (load, mount, close) = (load.clone(), mount.clone(), close.clone());
        use_effect_with((*open, host.is_some()), move |&(open, _)| {
            let handle: Rc<RefCell<Option<JsValue>>> = Rc::default();
            let closed = Rc::new(Cell::new(false));
            // The view's "Back" button calls this; it lives as long as the view is mounted.
            let mut on_close = None;
            if let (true, Some(el)) = (open, mount.cast::<web_sys::Element>()) {
                if matches!(*load, Load::Failed(_)) {
                    load.set(Load::Loading); // try again
                }
                let (handle, closed) = (handle.clone(), closed.clone());
                let back = Closure::<dyn Fn()>::new(move || close.emit(()));
                let f: js_sys::Function = back.as_ref().clone().into();
                on_close = Some(back);
                wasm_bindgen_futures::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(load_beyond()).await {
                        Ok(m) if !closed.get() => {
                            *handle.borrow_mut() = Some(mount_beyond(&m, &el, &f));
                            load.set(Load::Ready);
                        }
                        Ok(_) => {}
                        Err(e) => load.set(Load::Failed(
                            js_sys::Error::from(e).message().as_string().unwrap_or_default(),
                        )),
                    }
                });
            }
            move || {
                closed.set(true);
                if let Some(h) = handle.borrow_mut().take() {
                    unmount_beyond(&h);
                }
                drop(on_close);
            }
        });
    }
    let status = match &*load {
        Load::Loading => {
            html! { <p class="bx-loading" role="status">{"Loading the Beyond scaling view…"}</p> }
        }
        Load::Ready => html! {},
        Load::Failed(why) => html! {
            <p class="bx-loading error" role="alert">{format!("The Beyond scaling view could not load: {why}")}</p>
        },
    };
    let view = match (*open, (*host).clone()) {
        (true, Some(h)) => create_portal(
            html! {
                <section class="beyond" aria-labelledby="beyond-title" data-testid="beyond-view">
                    { status }
                    <div class="bx-mount" ref={mount}></div>
                </section>
            },
            h,
        ),
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
