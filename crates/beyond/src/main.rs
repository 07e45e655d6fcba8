//! The "Beyond scaling" view as its own small wasm module: what else trips up a Lambda function
//! once it scales. Four panels backed by the engine: cross-account access (`iam`), deployment
//! and configuration limits (`limits`), storage choices (`storage`) and authorization failures
//! (`iam::authz`).
//!
//! None of it touches the simulation, so the app does not carry it: its header button
//! (`components/beyond.rs`) fetches this module the first time the view opens and calls
//! [`mount_beyond`] with the element to render into. Trunk builds it from index.html like the
//! embeddable widget (a `data-type="worker"` Rust asset, only for its stable, unhashed file
//! names `lambdascape-beyond.js` and `lambdascape-beyond_bg.wasm`; it is an ES module).

#[cfg(target_arch = "wasm32")]
mod authz;
#[cfg(target_arch = "wasm32")]
mod cross_account;
#[cfg(target_arch = "wasm32")]
mod limits;
#[cfg(target_arch = "wasm32")]
mod path;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
mod util;

#[cfg(target_arch = "wasm32")]
mod view {
    use wasm_bindgen::prelude::*;
    use yew::prelude::*;

    #[derive(Properties, PartialEq)]
    pub struct ViewProps {
        pub on_close: Callback<()>,
    }

    /// The view's heading, the panels, and the way back.
    #[component]
    pub fn BeyondView(p: &ViewProps) -> Html {
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
        // Focus the heading once shown (the view opened from the header's button).
        let title = use_node_ref();
        {
            let title = title.clone();
            use_effect_with((), move |_| {
                if let Some(t) = title.cast::<web_sys::HtmlElement>() {
                    let _ = t.focus();
                }
            });
        }
        html! {
            <div class="bx-root" onkeydown={on_key}>
                <div class="bx-head">
                    <h2 id="beyond-title" tabindex="-1" ref={title}>{"Beyond scaling"}</h2>
                    <p class="bx-intro">{"What stops a function that scales fine: a role it cannot assume, a \
                        package over a quota, data kept in the wrong place, a 403 nobody can read. Edit anything: \
                        the verdicts follow as you type."}</p>
                    <button class="tool-button" data-testid="beyond-close" onclick={on_close}>
                        {"← Back to the simulation"}</button>
                </div>
                <div class="bx-panels">
                    <crate::cross_account::CrossAccountPanel />
                    <crate::limits::LimitsPanel />
                    <crate::authz::AuthzPanel />
                    <crate::storage::StoragePanel />
                </div>
            </div>
        }
    }

    /// The mounted view: the app calls [`BeyondHandle::unmount`] when it closes.
    #[wasm_bindgen]
    pub struct BeyondHandle {
        app: Option<yew::AppHandle<BeyondView>>,
    }

    #[wasm_bindgen]
    impl BeyondHandle {
        pub fn unmount(&mut self) {
            if let Some(app) = self.app.take() {
                app.destroy();
            }
        }
    }

    /// Renders the view into `host`; `on_close` (a JS function) is called by its "Back" button
    /// and by Escape.
    #[wasm_bindgen]
    pub fn mount_beyond(host: web_sys::Element, on_close: js_sys::Function) -> BeyondHandle {
        let on_close = Callback::from(move |()| {
            let _ = on_close.call0(&JsValue::NULL);
        });
        let app = yew::Renderer::<BeyondView>::with_root_and_props(host, ViewProps { on_close }).render();
        BeyondHandle { app: Some(app) }
    }
}

/// Runs when the module starts: a panic is reported on the console (the app around the view
/// has its own wasm instance and keeps running).
#[cfg(target_arch = "wasm32")]
fn main() {
    yew::set_custom_panic_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Lambdascape's Beyond scaling view crashed: {info}").into());
    }));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lambdascape-beyond builds for wasm32: the app loads it when the Beyond scaling view opens");
}
