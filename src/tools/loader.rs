//! The viewer's stand-ins for the app's tools (`src/tools.rs` in the full build): the same
//! buttons in the same places, and using one loads the full build (`lambdascape-app.js`), hands it
//! the scenario, the time and the play state, and lets it open the tool. A share link in the
//! address bar, or an edited preset saved in this browser, loads the full build too, since only
//! it can open them.

use lambdascape_engine::network::Finding;
use lambdascape_engine::time::Micros;
use lambdascape_ui::state::{Action, AppState, Editing, Selection, Shared};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/tools/load_full.js")]
extern "C" {
    fn upgrade(handover: &JsValue, destroy: &js_sys::Function);
    fn prefetch() -> js_sys::Promise;
}

/// What the full build needs to carry on, as of the last render.
#[derive(Clone, Default)]
struct Current {
    preset: String,
    text: Option<Rc<str>>,
    now: Micros,
    speed: f64,
    playing: bool,
    selection: Selection,
    /// The charts' time range.
    range: lambdascape_engine::chart::Span,
}

thread_local! {
    static CURRENT: RefCell<Current> = RefCell::new(Current::default());
}

/// Unmounts the viewer and starts the full build with `handover` (null: it starts afresh).
fn hand_over(handover: &JsValue) {
    let destroy = Closure::once_into_js(crate::unmount);
    upgrade(handover, destroy.unchecked_ref());
}

/// Loads the full build and opens there the tool whose button has the test id `open` (the
/// same in both builds; empty: none).
pub fn load_full(open: &str) {
    let c = CURRENT.with(|c| c.borrow().clone());
    let h = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&h, &k.into(), &v);
    };
    set("preset", c.preset.as_str().into());
    set("text", c.text.as_deref().unwrap_or_default().into());
    set("time", (c.now as f64).into());
    set("speed", c.speed.into());
    set("playing", c.playing.into());
    set("open", open.into());
    set("range", c.range.text().map_or(JsValue::UNDEFINED, JsValue::from));
    let (kind, id) = c.selection.code();
    set("selection_kind", kind.into());
    set("selection_id", id.into());
    hand_over(&h);
}

/// Whether this browser holds edits of the preset `id` (the full build restores them).
fn has_saved_edits(id: &str) -> bool {
    lambdascape_ui::state::storage()
        .and_then(|s| s.get_item(&lambdascape_ui::state::autosave_key(id)).ok().flatten())
        .is_some()
}

/// Stands in for the share state's UI handle.
#[derive(Clone, PartialEq)]
pub struct UiHandle;

#[hook]
pub fn use_ui() -> UiHandle {
    UiHandle
}

/// Stands in for the share tools' view of the app: records what a handover needs.
#[derive(Clone, PartialEq)]
pub struct AppView {
    preset: String,
}

impl AppView {
    pub fn of(s: &AppState, _dispatch: &Callback<Action>) -> AppView {
        CURRENT.with(|c| {
            let mut c = c.borrow_mut();
            if c.preset != s.preset {
                c.preset.clone_from(&s.preset);
            }
            c.text = s.source.clone();
            c.now = s.frame.now;
            c.speed = s.speed;
            c.playing = s.playing;
            c.selection = s.selection;
            c.range = s.span;
        });
        AppView { preset: s.preset.clone() }
    }
}

/// A tool's button: loads the full build, which opens the tool (the button's test id).
fn open_tool() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        // (yew delegates events: the button is the target, not the current target)
        let button = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let button = button.and_then(|t| t.closest("button").ok().flatten());
        load_full(&button.and_then(|b| b.get_attribute("data-testid")).unwrap_or_default());
    })
}

/// The pointer or focus on a tool: start fetching the full build, so that a click finds it
/// ready (a failure here is reported by the click).
pub fn warm<E: 'static>() -> Callback<E> {
    Callback::from(|_: E| {
        let _ = prefetch();
    })
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub app: AppView,
    pub ui: UiHandle,
}

#[component]
pub fn ShareMenu(_p: &ShareProps) -> Html {
    html! {
        <div class="share-tools" role="group" aria-label="Share, present and compare">
            <button class="tool-button" data-testid="share-button" aria-expanded="false"
                onclick={open_tool()} onpointerenter={warm()} onfocus={warm()}>{"Share"}</button>
            <button class="tool-button" data-testid="present-button" aria-pressed="false"
                title="Presenter mode: chapters, large type, full screen (PageDown / PageUp)" onclick={open_tool()} onpointerenter={warm()} onfocus={warm()}>{"Present"}</button>
            <button class="tool-button" data-testid="compare-button" aria-pressed="false"
                title="Compare the scenario with one of its variants" onclick={open_tool()} onpointerenter={warm()} onfocus={warm()}>{"Compare"}</button>
        </div>
    }
}

/// A share link in the address bar (at start, or pasted later), or saved edits of the preset
/// shown: only the full build opens them (a link with nothing of the viewer's state handed
/// over, so that the link decides).
#[component]
pub fn ShareLayer(p: &ShareProps) -> Html {
    use_effect_with(p.app.preset.clone(), |id| {
        if !id.is_empty() && has_saved_edits(id) {
            load_full("");
        }
    });
    crate::hooks::use_hash_link(|_| hand_over(&JsValue::NULL));
    html! {}
}

#[derive(Properties, PartialEq)]
pub struct BarProps {
    pub editing: Shared<Editing>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn EditBar(_p: &BarProps) -> Html {
    html! {
        <div class="ed-bar" role="toolbar" aria-label="Editing">
            <button type="button" class="ed-btn ed-toggle" aria-expanded="false" aria-controls="editor-body"
                onclick={open_tool()} onpointerenter={warm()} onfocus={warm()} data-testid="editor-toggle">{"✎ Edit"}</button>
            <button type="button" class="ed-btn" disabled=true data-testid="undo" aria-label="Undo (nothing to undo)">{"↶"}</button>
            <button type="button" class="ed-btn" disabled=true data-testid="redo" aria-label="Redo (nothing to redo)">{"↷"}</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub editing: Shared<Editing>,
    pub selection: Selection,
    pub now: Micros,
    pub findings: Shared<Vec<Finding>>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn EditorPanel(_p: &PanelProps) -> Html {
    html! {}
}

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub preset: String,
    pub title: String,
}

#[component]
pub fn EmbedButton(_p: &EmbedProps) -> Html {
    html! {
        <div class="embed-tool">
            <button class="theme-toggle" data-testid="embed-button" aria-expanded="false"
                title="Put this scenario in a docs page" onclick={open_tool()} onpointerenter={warm()} onfocus={warm()}>{"</> Embed"}</button>
        </div>
    }
}

/// The viewer starts as it is.
pub fn initial_state() -> AppState {
    AppState::initial()
}

/// Nothing to carry on from: the viewer is what the page starts with.
pub fn resume(_dispatch: &Callback<Action>) -> bool {
    false
}

pub fn open_pending(_now: Micros, _horizon: Micros, _seeking: bool, _dispatch: &Callback<Action>) {}
