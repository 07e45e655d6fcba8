//! The header: title, scenario picker, what the scenario shows, the tools and the theme toggle.
//! The tools sit in one box (`header-tools`): a row of their own on a phone, scrolling sideways
//! (styles.css), and no box at all on a wider screen (`display: contents`).

use lambdascape_ui::presets::Preset;
use lambdascape_ui::state::Shared;
use lambdascape_ui::theme::Theme;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub presets: Shared<Vec<Preset>>,
    pub preset: String,
    pub theme: Theme,
    pub title: String,
    pub description: String,
    pub on_preset: Callback<String>,
    pub on_theme: Callback<()>,
    /// Tools shown before the theme toggle ([share] [embed] [present]…).
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Header(p: &Props) -> Html {
    let on_change = {
        let cb = p.on_preset.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                cb.emit(sel.value());
            }
        })
    };
    let on_theme = p.on_theme.reform(|_: MouseEvent| ());
    let next = p.theme.other().name();
    // Beside the picker, what it does not already say: a preset under its listed title is
    // followed by its one-line summary (what it shows); another scenario (a share link's, an
    // imported file's, a preset retitled in the editor) by its own title. The title stays in
    // the page, hidden: the browser tests read it as the sign that a scenario has loaded.
    let summary = (p.presets.iter())
        .find(|s| s.id == p.preset && s.title == p.title && !s.summary.is_empty())
        .map(|s| s.summary.clone());
    html! {
        <header class="header">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"λ"}</span>
                <h1>{"Lambdascape"}</h1>
            </div>
            <label class="picker">
                <span class="visually-hidden">{"Scenario"}</span>
                <select aria-label="Scenario" data-testid="scenario-picker" onchange={on_change}>
                    // A scenario that is not a preset (a share link's, an imported file's) is
                    // named as such, not shown as the first preset.
                    if !p.presets.iter().any(|s| s.id == p.preset) {
                        <option value="" selected=true disabled=true data-testid="not-a-preset">
                            { "Custom scenario" }
                        </option>
                    }
                    { for p.presets.iter().map(|s| html! {
                        <option value={s.id.clone()} selected={s.id == p.preset} title={s.summary.clone()}>{ &s.title }</option>
                    }) }
                </select>
            </label>
            <p class="scenario-title" title={p.description.clone()} hidden={summary.is_some()}>{ &p.title }</p>
            if let Some(summary) = summary {
                <p class="scenario-summary" title={p.description.clone()} data-testid="scenario-summary">{ summary }</p>
            }
            <div class="header-tools">{ p.children.clone() }</div>
            <button class="theme-toggle" aria-label={format!("Switch to the {next} theme")} onclick={on_theme}
                data-testid="theme-toggle">
                { if p.theme == Theme::Dark { "☀ Light" } else { "☾ Dark" } }
            </button>
        </header>
    }
}
