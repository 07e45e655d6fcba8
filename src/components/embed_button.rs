//! The header's [embed] button: a small panel (not a dialog: the picture stays visible) with the
//! two ways to put the current scenario in a docs page, the `<lambdascape-widget>` script
//! snippet and the iframe form, for a chosen view, each with a copy button.

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The current scenario's preset id.
    pub preset: String,
    pub title: String,
}

const VIEWS: [(&str, &str); 4] =
    [("topology", "topology"), ("chart", "one chart"), ("timeline", "narrative"), ("full", "everything")];

/// Where the app is served from (embed.js and embed.html sit next to its index.html).
fn base_url() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let href = href.split(['#', '?']).next().unwrap_or_default();
    match href.rfind('/') {
        Some(i) => href[..=i].to_string(),
        None => String::new(),
    }
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

/// The two snippets for a scenario and view.
pub fn snippets(base: &str, preset: &str, view: &str, title: &str) -> (String, String) {
    let height = match view {
        "chart" => 300,
        "timeline" => 360,
        "full" => 760,
        _ => 440,
    };
    let script = format!(
        "<script type=\"module\" src=\"{base}embed.js\"></script>\n\
         <lambdascape-widget scenario=\"presets/{preset}\" view=\"{view}\" autoplay></lambdascape-widget>"
    );
    let iframe = format!(
        "<iframe src=\"{base}embed.html?scenario=presets/{preset}&amp;view={view}&amp;autoplay\" width=\"100%\" \
         height=\"{height}\" style=\"border:0\" loading=\"lazy\" title=\"Lambdascape: {}\"></iframe>",
        attr_escape(title)
    );
    (script, iframe)
}

/// Copies text with the async clipboard API (reached by name: no extra web-sys features).
fn copy(text: &str) -> bool {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else { return false };
    let Ok(clip) = js_sys::Reflect::get(&nav, &"clipboard".into()) else { return false };
    let Ok(f) = js_sys::Reflect::get(&clip, &"writeText".into()) else { return false };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else { return false };
    f.call1(&clip, &JsValue::from_str(text)).is_ok()
}

#[component]
pub fn EmbedButton(p: &Props) -> Html {
    let open = use_state_eq(|| false);
    let view = use_state_eq(|| "topology".to_string());
    let copied = use_state_eq(|| None::<&'static str>);
    let toggle = {
        let open = open.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            open.set(!*open);
            copied.set(None);
        })
    };
    let panel = if *open {
        let (script, iframe) = snippets(&base_url(), &p.preset, &view, &p.title);
        let on_view = {
            let view = view.clone();
            let copied = copied.clone();
            Callback::from(move |e: Event| {
                if let Some(sel) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                    view.set(sel.value());
                    copied.set(None);
                }
            })
        };
        let copy_button = |which: &'static str, text: String| {
            let copied = copied.clone();
            let done = *copied == Some(which);
            html! {
                <button class="embed-copy" data-testid={format!("embed-copy-{which}")}
                    onclick={Callback::from(move |_: MouseEvent| if copy(&text) { copied.set(Some(which)) })}>
                    { if done { "Copied ✓" } else { "Copy" } }
                </button>
            }
        };
        html! {
            <section class="embed-panel" aria-label="Embed this scenario" data-testid="embed-panel">
                <label class="embed-view">{"View "}
                    <select data-testid="embed-view" onchange={on_view}>
                        { for VIEWS.iter().map(|(v, label)| html! {
                            <option value={*v} selected={*view == *v}>{ *label }</option>
                        }) }
                    </select>
                </label>
                <h3>{"Script (a live widget, any number per page)"}</h3>
                <textarea readonly=true rows="3" data-testid="embed-script" value={script.clone()} />
                { copy_button("script", script) }
                <h3>{"Iframe (for sites that allow no scripts)"}</h3>
                <textarea readonly=true rows="3" data-testid="embed-iframe" value={iframe.clone()} />
                { copy_button("iframe", iframe) }
            </section>
        }
    } else {
        html! {}
    };
    html! {
        <div class="embed-tool">
            <button class="theme-toggle" data-testid="embed-button" aria-expanded={open.to_string()}
                title="Put this scenario in a docs page" onclick={toggle}>{"</> Embed"}</button>
            { panel }
        </div>
    }
}
