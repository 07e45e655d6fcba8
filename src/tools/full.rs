//! The app's tools in the full build: the editor, share / present / compare and the embed
//! button, as `app.rs` places them. The viewer build (`loader.rs`) has stand-ins with the same
//! names that load this build when one is used; [`resume`] then carries on where the viewer was.

pub use crate::components::editor::{EditBar, EditorPanel};
pub use crate::components::embed_button::EmbedButton;
pub use crate::components::share_layer::ShareLayer;
pub use crate::components::share_menu::ShareMenu;
pub use crate::tools::share_state::{use_ui, AppView};

use lambdascape_ui::state::{Action, AppState, Selection};
use wasm_bindgen::JsCast;
use yew::Callback;

/// What the viewer hands over when it loads this build (`window.lambdascapeHandover`, set by
/// the viewer's `upgrade`): the preset and its text, where the simulation was, and the tool the
/// learner asked for (the test id of its button, the same in both builds).
struct Handover {
    preset: String,
    text: String,
    time: f64,
    speed: f64,
    playing: bool,
    open: String,
    selection: Selection,
    /// The charts' time range (`Span::text`; none: up to now).
    range: Option<String>,
}

fn handover() -> Option<Handover> {
    let w = web_sys::window()?;
    let h = js_sys::Reflect::get(&w, &"lambdascapeHandover".into()).ok().filter(|h| h.is_object())?;
    let get = |k: &str| js_sys::Reflect::get(&h, &k.into()).ok();
    let text = |k: &str| get(k).and_then(|v| v.as_string()).unwrap_or_default();
    let num = |k: &str| get(k).and_then(|v| v.as_f64()).unwrap_or(0.0);
    Some(Handover {
        preset: text("preset"),
        text: text("text"),
        time: num("time"),
        speed: num("speed"),
        playing: get("playing").and_then(|v| v.as_bool()).unwrap_or(false),
        open: text("open"),
        selection: Selection::from_code(num("selection_kind") as u32, num("selection_id") as u32),
        range: get("range").and_then(|v| v.as_string()),
    })
}

/// The app's first state: the viewer's scenario when handed over, else the first preset.
pub fn initial_state() -> AppState {
    let mut s = AppState::initial();
    if let Some(h) = handover().filter(|h| !h.text.is_empty()) {
        s.load(&h.preset, &h.text);
        if h.speed > 0.0 {
            s.speed = h.speed;
        }
        s.span = lambdascape_engine::chart::Span::parse(h.range.as_deref()).unwrap_or_default();
    }
    s
}

thread_local! {
    /// What to restore once the handed-over time is reached: the time, what was selected and
    /// the test id of the tool's button.
    static PENDING: std::cell::RefCell<Option<(f64, Selection, String)>> = const { std::cell::RefCell::new(None) };
}

/// After the first render, if the viewer handed over (then the URL's `#scenario=` is open
/// already): back to the viewer's time and play state; the tool asked for opens when that time
/// is reached ([`open_pending`]), so that it sees what the viewer showed (a share link holds
/// that time). Returns whether there was a handover.
pub fn resume(dispatch: &Callback<Action>) -> bool {
    let Some(h) = handover() else { return false };
    if h.time > 0.0 {
        dispatch.emit(Action::Seek(h.time as lambdascape_engine::time::Micros));
    }
    if h.playing {
        dispatch.emit(Action::TogglePlay);
    }
    PENDING.with(|p| *p.borrow_mut() = Some((h.time, h.selection, h.open)));
    true
}

/// Once the simulation stands at the handed-over time (or the end, if that comes first):
/// selects what the viewer had selected and opens the tool asked for there (by clicking it, as
/// the learner did).
pub fn open_pending(
    now: lambdascape_engine::time::Micros,
    horizon: lambdascape_engine::time::Micros,
    seeking: bool,
    dispatch: &Callback<Action>,
) {
    let due = PENDING.with(|p| match *p.borrow() {
        Some((t, ..)) => !seeking && now as f64 >= t.min(horizon as f64),
        None => false,
    });
    let Some((_, selection, testid)) = due.then(|| PENDING.with(|p| p.borrow_mut().take())).flatten() else {
        return;
    };
    if selection != Selection::None {
        dispatch.emit(Action::Select(selection));
    }
    if testid.is_empty() {
        return;
    }
    let doc = web_sys::window().and_then(|w| w.document());
    let el = doc.and_then(|d| d.query_selector(&format!("[data-testid={testid}]")).ok().flatten());
    if let Some(b) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        b.click();
        let _ = b.focus();
    }
}
