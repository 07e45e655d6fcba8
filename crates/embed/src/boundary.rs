//! The one `#[wasm_bindgen]` boundary of the widget build: www/embed.js calls
//! [`mount_widget`] once per `<lambdascape-widget>` (into its shadow root) and drives the
//! returned [`WidgetHandle`]; [`widget_css`] gives the stylesheet every shadow root adopts.
//! JS values are read and errors turned into strings only here.

use crate::options;
use crate::widget::Widget;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The app's stylesheet and the widget's own, with `:root` rules scoped to the widget's root
/// element (a shadow root has no `:root`), minified (build.rs).
#[wasm_bindgen]
pub fn widget_css() -> String {
    include_str!(concat!(env!("OUT_DIR"), "/widget.css")).to_string()
}

/// `handler(id, message)` is called when a widget crashes (a bug): the page replaces that
/// widget with a message; the others keep playing.
#[wasm_bindgen]
pub fn set_crash_handler(handler: js_sys::Function) {
    crate::crash::set_handler(handler);
}

fn read_options(attrs: &JsValue) -> Result<options::Options, String> {
    let get = |k: &str| js_sys::Reflect::get(attrs, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
    let flag = |k: &str| js_sys::Reflect::get(attrs, &JsValue::from_str(k)).ok().and_then(|v| v.as_bool());
    options::parse(get, flag("page_dark").unwrap_or(false), flag("reduced_motion").unwrap_or(false))
}

/// A mounted widget.
#[wasm_bindgen]
pub struct WidgetHandle(Widget);

#[wasm_bindgen]
impl WidgetHandle {
    /// New attributes (`attrs` as for [`mount_widget`]); the simulation carries on.
    pub fn set_options(&mut self, attrs: JsValue) {
        self.0.options = read_options(&attrs);
        self.0.changed();
    }

    /// On screen or not: the widget plays only while on screen.
    pub fn set_visible(&mut self, visible: bool) {
        if self.0.visible != visible {
            self.0.visible = visible;
            self.0.changed();
        }
    }

    /// One animation frame, `dt_ms` real milliseconds after the last: whether the widget wants
    /// the next one (it is playing, seeking or has something left to draw).
    pub fn tick(&mut self, dt_ms: f64) -> bool {
        self.0.tick(dt_ms)
    }

    /// The widget was laid out anew (resized): it draws again at its new size.
    pub fn redraw(&mut self) {
        self.0.redraw();
    }

    /// A control was used: the `data-act` of a button (`play`, `home`, `step-back`,
    /// `step-forward`, `end`, `show` with the entry's `data-value`) or a slider (`scrub` in
    /// seconds, `speed` as log10 of the factor) with its value.
    pub fn act(&mut self, name: &str, value: f64) {
        self.0.act(name, value);
    }

    /// A click on `target` in the topology, at (x, y) in the topology's box.
    pub fn click(&mut self, target: web_sys::Element, x: f64, y: f64) {
        self.0.click(&target, x, y);
    }

    /// The mouse over chart `index` (-1: none) at `x` in its canvas.
    pub fn hover(&mut self, index: i32, x: f64) {
        self.0.hover(usize::try_from(index).ok().map(|i| (i, x)));
    }

    /// This widget's id: the crash handler ([`set_crash_handler`]) names widgets by it.
    pub fn id(&self) -> u32 {
        self.0.id
    }

    /// Makes the widget's next action panic: the end-to-end tests check that a crash stays in
    /// its widget.
    pub fn fail_next_action_for_tests(&self) {
        crate::crash::fail_next(self.0.id);
    }
}

/// Mounts a widget into `root` (an element in the widget's shadow root). `name` is how the
/// page named the scenario; `text` its JSON, or `load_error` why it could not be fetched;
/// `attrs` the element's attributes as strings plus `page_dark` and `reduced_motion`.
#[wasm_bindgen]
pub fn mount_widget(
    root: web_sys::Element,
    name: String,
    text: Option<String>,
    load_error: Option<String>,
    attrs: JsValue,
) -> WidgetHandle {
    let source = match (text, load_error) {
        (_, Some(e)) => Err(e),
        (Some(t), None) => Ok(Rc::from(t.as_str())),
        (None, None) => Err(format!("scenario '{name}': nothing to load")),
    };
    WidgetHandle(Widget::new(root, name, source, read_options(&attrs)))
}
