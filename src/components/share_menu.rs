//! The header's [share] [present] [compare] tools. Share opens a panel (not a modal: the
//! picture stays visible) with the link to copy, imports and exports.

use crate::tools::share_state::{self as ss, AppView, Mode, Problem, UiAction, UiHandle};
use lambdascape_engine::export::write_series_csv;
use lambdascape_engine::ScenarioSpec;
use lambdascape_ui::share_svg::chart_svg;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub app: AppView,
    pub ui: UiHandle,
}

#[component]
pub fn ShareMenu(p: &Props) -> Html {
    let open = use_state_eq(|| false);
    let link = use_state_eq(String::new);
    let status = use_state_eq(String::new);
    let chart_pick = use_state_eq(|| 0usize);
    use_effect_with(*open, |o| {
        if let (true, Some(el)) = (*o, link_input()) {
            let _ = el.focus();
        }
    });
    let app = &p.app;
    let ui = &p.ui;

    let make_link = {
        let (app, ui, link) = (app.clone(), ui.clone(), link.clone());
        move || {
            if let Some(st) = app.shared_state(&ui) {
                let frag = ss::lean_fragment(&st, &ui);
                ss::set_fragment(&frag);
                link.set(ss::url_with(&frag));
            }
        }
    };
    let on_share = {
        let (open, status, make_link) = (open.clone(), status.clone(), make_link.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                make_link();
                status.set(String::new());
            }
            open.set(!*open);
        })
    };
    let on_copy = {
        let (link, status) = (link.clone(), status.clone());
        let make_link = make_link.clone();
        Callback::from(move |_: MouseEvent| {
            make_link(); // the time and view as they are now
            let (link, status) = (link.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // The state handle still holds the link made before the click; read the field.
                let text = current_link_text().unwrap_or_else(|| (*link).clone());
                if ss::copy_to_clipboard(&text).await {
                    status.set("Link copied to the clipboard.".into());
                } else {
                    status.set(
                        "Copying is not allowed here: select the link above and press Ctrl+C (⌘C).".into(),
                    );
                    if let Some(el) = link_input() {
                        let _ = el.focus();
                        el.select();
                    }
                }
            });
        })
    };
    let mode = ui.mode;
    let set_mode = |m: Mode| {
        let ui = ui.clone();
        Callback::from(move |_: MouseEvent| {
            ui.dispatch(UiAction::SetMode(if ui.mode == m { Mode::Normal } else { m }));
        })
    };
    let export_json = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(sc) = &app.scenario else { return };
            let text = ss::pretty_json(&sc.spec);
            ss::download_text(&text, &format!("{}.json", ss::file_stem(sc)), "application/json");
        })
    };
    let export_csv = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            let (Some(sc), Some(sim)) = (&app.scenario, &app.sim) else { return };
            let mut out = Vec::new();
            if write_series_csv(&sim.borrow(), &mut out).is_ok() {
                let text = String::from_utf8_lossy(&out);
                ss::download_text(&text, &format!("{}.csv", ss::file_stem(sc)), "text/csv");
            }
        })
    };
    let pick = (*chart_pick).min(app.charts.len().saturating_sub(1));
    let chart_id = app.charts.get(pick).map(|c| c.kind.id()).unwrap_or("concurrency");
    let export_png = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(sc) = &app.scenario else { return };
            let sel = format!(".charts .chart[data-chart=\"{chart_id}\"] canvas");
            let canvas = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(&sel).ok().flatten())
                .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
            let Some(canvas) = canvas else { return };
            let name = format!("{}-{chart_id}.png", ss::file_stem(sc));
            let cb = Closure::once_into_js(move |blob: JsValue| {
                if let Ok(b) = blob.dyn_into::<web_sys::Blob>() {
                    ss::download_blob(&b, &name);
                }
            });
            let _ = canvas.to_blob(cb.unchecked_ref());
        })
    };
    let export_svg = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            let (Some(sc), Some(data)) = (&app.scenario, app.charts.get(pick)) else { return };
            let svg = chart_svg(data, app.theme.palette());
            ss::download_text(&svg, &format!("{}-{chart_id}.svg", ss::file_stem(sc)), "image/svg+xml");
        })
    };
    let on_chart = {
        let (chart_pick, ui) = (chart_pick.clone(), ui.clone());
        let ids: Vec<&'static str> = app.charts.iter().map(|c| c.kind.id()).collect();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().selected_index().max(0) as usize;
            chart_pick.set(v);
            ui.dispatch(UiAction::Chart(ids.get(v).map(|s| s.to_string())));
        })
    };
    let on_import = {
        let (app, ui, status) = (app.clone(), ui.clone(), status.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value(""); // the same file can be chosen again
            let (app, ui, status) = (app.clone(), ui.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(t) => t.as_string().unwrap_or_default(),
                    Err(_) => String::new(),
                };
                match ScenarioSpec::parse_and_validate(&text) {
                    Ok(sc) => {
                        let id = if sc.spec.name.is_empty() {
                            "imported".to_string()
                        } else {
                            sc.spec.name.clone()
                        };
                        ui.dispatch(UiAction::ClearProblem);
                        app.dispatch.emit(lambdascape_ui::state::Action::Load { id, text: text.into() });
                        status.set(format!("Imported {name}."));
                    }
                    Err(errs) => {
                        ui.dispatch(UiAction::Problem(Problem {
                            title: format!("{name} is not a scenario Lambdascape can run"),
                            lines: errs.iter().map(|e| e.to_string()).collect(),
                            what_now: "Nothing was replaced: the current scenario keeps running. Fix the fields listed (each with its path in the file) and import it again.".into(),
                        }));
                        status.set(format!("{name} was not imported (see the list of problems)."));
                    }
                }
            });
        })
    };
    let has_charts = !app.charts.is_empty();
    // Escape closes the panel and gives the focus back to its button.
    let on_panel_key = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                open.set(false);
                if let Some(b) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector("[data-testid=share-button]").ok().flatten())
                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = b.focus();
                }
            }
        })
    };

    html! {
        <div class="share-tools" role="group" aria-label="Share, present and compare">
            <button class="tool-button" data-testid="share-button" aria-expanded={(*open).to_string()}
                aria-controls="share-panel" onclick={on_share}>{"Share"}</button>
            <button class="tool-button" data-testid="present-button" aria-pressed={(mode == Mode::Present).to_string()}
                title="Presenter mode: chapters, large type, full screen (PageDown / PageUp)" onclick={set_mode(Mode::Present)}>{"Present"}</button>
            <button class="tool-button" data-testid="compare-button" aria-pressed={(mode == Mode::Compare).to_string()}
                title="Compare the scenario with one of its variants" onclick={set_mode(Mode::Compare)}>{"Compare"}</button>
            if *open {
                <section id="share-panel" class="share-panel" aria-label="Share, import and export" data-testid="share-panel"
                    onkeydown={on_panel_key}>
                    <h2>{"Share this view"}</h2>
                    <p class="share-hint">{"The link holds the whole scenario, the simulated time and what is shown."}</p>
                    <div class="share-row">
                        <label class="visually-hidden" for="share-link">{"Share link"}</label>
                        <input id="share-link" class="share-link" data-testid="share-link" readonly=true value={(*link).clone()}
                            onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<web_sys::HtmlInputElement>().select())} />
                        <button class="tool-button" data-testid="copy-link" onclick={on_copy}>{"Copy link"}</button>
                    </div>
                    <p class="share-status" role="status" data-testid="share-status">{ (*status).clone() }</p>
                    <h3>{"Export"}</h3>
                    <div class="share-row">
                        <button class="tool-button" data-testid="export-json" onclick={export_json}>{"Scenario (JSON)"}</button>
                        <button class="tool-button" data-testid="export-csv" onclick={export_csv}>{"Metrics (CSV)"}</button>
                    </div>
                    if has_charts {
                        <div class="share-row">
                            <label>{"Chart "}
                                <select data-testid="export-chart" onchange={on_chart}>
                                    { for app.charts.iter().enumerate().map(|(i, c)| html! {
                                        <option value={c.kind.id()} selected={i == pick}>{ &c.title }</option>
                                    }) }
                                </select>
                            </label>
                            <button class="tool-button" data-testid="export-png" onclick={export_png}>{"PNG"}</button>
                            <button class="tool-button" data-testid="export-svg" onclick={export_svg}>{"SVG"}</button>
                        </div>
                    }
                    <h3>{"Import"}</h3>
                    <label class="tool-button file-button">{"Open a scenario file (JSON)…"}
                        <input type="file" accept=".json,application/json" data-testid="import-file" class="visually-hidden" onchange={on_import} />
                    </label>
                </section>
            }
        </div>
    }
}

fn link_input() -> Option<web_sys::HtmlInputElement> {
    web_sys::window()?.document()?.get_element_by_id("share-link")?.dyn_into().ok()
}

/// The link as the address bar now has it (set by `make_link` just before).
fn current_link_text() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    href.contains("#s=").then_some(href)
}
