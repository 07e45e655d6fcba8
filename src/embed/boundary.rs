//! The one `#[wasm_bindgen]` boundary of the widget build: www/embed.js calls
//! [`mount_widget`] once per `<lambdascape-widget>` (into its shadow root) and drives the
//! returned [`WidgetHandle`]; [`widget_css`] gives the stylesheet every shadow root adopts.
//! JS values are read and errors turned into strings only here.

use crate::options;
use crate::widget::{Props, Widget};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::AppHandle;

/// The app's stylesheet and the widget's own, with `:root` rules scoped to the widget's root
/// element (a shadow root has no `:root`).
#[wasm_bindgen]
pub fn widget_css() -> String {
    const APP: &str = include_str!("../../www/styles.css");
    const EMBED: &str = include_str!("../../www/embed.css");
    format!("{}\n{EMBED}", APP.replace(":root", ".lsw-root"))
}

/// `handler(id, message)` is called when a widget crashes (a bug): the page replaces that
/// widget with a message; the others keep playing.
#[wasm_bindgen]
pub fn set_crash_handler(handler: js_sys::Function) {
    crate::crash::set_handler(handler);
}

/// A built-in copy of a preset (used when `scenarios/<id>.json` cannot be fetched).
#[wasm_bindgen]
pub fn builtin_scenario(id: &str) -> Option<String> {
    crate::presets::built_in_json(id).map(|s| s.to_string())
}

fn read_options(attrs: &JsValue) -> Result<options::Options, String> {
    let get = |k: &str| js_sys::Reflect::get(attrs, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
    let flag = |k: &str| js_sys::Reflect::get(attrs, &JsValue::from_str(k)).ok().and_then(|v| v.as_bool());
    options::parse(get, flag("page_dark").unwrap_or(false), flag("reduced_motion").unwrap_or(false))
}

/// A mounted widget.
#[wasm_bindgen]
pub struct WidgetHandle {
    app: Option<AppHandle<Widget>>,
    props: Props,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// New attributes (`attrs` as for [`mount_widget`]); the simulation carries on.
    pub fn set_options(&mut self, attrs: JsValue) {
        self.props.options = read_options(&attrs);
        self.push();
    }

    /// On screen or not: the widget plays only while on screen.
    pub fn set_visible(&mut self, visible: bool) {
        if self.props.visible != visible {
            self.props.visible = visible;
            self.push();
        }
    }

    /// This widget's id: the crash handler ([`set_crash_handler`]) names widgets by it.
    pub fn id(&self) -> u32 {
        self.props.id
    }

    /// Makes the widget's next action panic: the end-to-end tests check that a crash stays in
    /// its widget.
    pub fn fail_next_action_for_tests(&self) {
        crate::crash::fail_next(self.props.id);
    }

    /// Unmounts the widget and drops its simulation.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }

    fn push(&mut self) {
        if let Some(app) = self.app.as_mut() {
            app.update(self.props.clone());
        }
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
    let props =
        Props { name, source, options: read_options(&attrs), visible: false, id: crate::crash::next_id() };
    let app = yew::Renderer::<Widget>::with_root_and_props(root, props.clone()).render();
    WidgetHandle { app: Some(app), props }
}
