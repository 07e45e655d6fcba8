//! The root component: holds the reducer, runs the animation loop and the keyboard controls,
//! and lays the views out.

use crate::components::{
    charts_panel::ChartsPanel, error_panel::ErrorPanel, figures::Figures, header::Header,
    inspector::Inspector, narrative_log::NarrativeLog, timeline::Timeline, topology::Topology,
};
use crate::hooks::{use_animation_frame, use_keyboard};
use lambdascape_ui::presets::{self, Preset};
use lambdascape_ui::state::{hash_scenario, Action, Shared};
use lambdascape_ui::theme::media_matches;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| crate::store::Store::new(crate::tools::initial_state()));
    let dispatch: Callback<Action> = state.dispatcher().into();
    {
        let d = dispatch.clone();
        use_animation_frame(Callback::from(move |dt_ms| d.emit(Action::Tick { dt_ms })));
    }
    use_keyboard(dispatch.clone());
    // Share links, presenter mode, compare mode (components/share_*.rs, presenter.rs, compare.rs).
    let share_ui = crate::tools::use_ui();
    let share_app = crate::tools::AppView::of(&state, &dispatch);
    let theme = state.theme;
    use_effect_with(theme, |t| t.apply(false));
    let reduced_motion = use_memo((), |_| media_matches("(prefers-reduced-motion: reduce)"));
    // The preset library: read the index once; the built-in presets stay if it cannot be read.
    {
        let d = dispatch.clone();
        use_effect_with((), move |_| {
            // A preset named in the URL hash that is not built in: fetch and show it (unless the
            // viewer handed its scenario over: then it is open already, at its time).
            let handed_over = crate::tools::resume(&d);
            if let Some(id) =
                hash_scenario().filter(|id| !handed_over && presets::built_in_json(id).is_none())
            {
                choose(&d, &Shared::new(vec![]), id);
            }
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(text) = fetch_text("scenarios/index.json").await else { return };
                match presets::merge_index(&text) {
                    Ok(list) => d.emit(Action::SetPresets(list)),
                    Err(e) => web_sys::console::warn_1(&e.into()),
                }
            });
        });
    }
    // Handed over by the viewer: the tool asked for opens once its time is reached.
    {
        let d = dispatch.clone();
        use_effect_with(
            (state.frame.now, state.frame.horizon, state.seeking()),
            move |&(now, horizon, seeking)| crate::tools::open_pending(now, horizon, seeking, &d),
        );
    }
    let on_preset = {
        let d = dispatch.clone();
        let list = state.presets.clone();
        Callback::from(move |id: String| choose(&d, &list, id))
    };
    let findings = {
        // The scenario in force now (edits and live changes included).
        let sc = state.editing.active.clone().or_else(|| state.scenario.clone());
        use_memo(sc.clone(), move |_| {
            Shared::new(sc.as_ref().map(|s| lambdascape_engine::view::findings(s)).unwrap_or_default())
        })
    };

    let body = match (&state.error, &state.scenario) {
        (Some(msg), _) => {
            html! { <ErrorPanel message={msg.clone()} on_reset={dispatch.reform(|_| Action::ClearError)} /> }
        }
        (None, None) => html! {},
        (None, Some(sc)) => html! {
            <>
            <main class={classes!("stage", sc.vpc.is_some().then_some("vpc"))}>
                <section class="topology-panel" aria-label="Topology: functions and their execution environments">
                    <Figures frame={state.frame.clone()} seeking={state.seeking()} />
                    <Topology
                        scenario={state.editing.active.clone().unwrap_or_else(|| sc.clone())}
                        frame={state.frame.clone()}
                        selection={state.selection}
                        highlight={state.highlight.clone()}
                        theme={theme}
                        reduced_motion={*reduced_motion}
                        playing={state.playing}
                        findings={(*findings).clone()}
                        on_select={dispatch.reform(Action::Select)}
                    />
                </section>
                <section class="charts-panel" aria-label="Charts">
                    <ChartsPanel charts={state.charts.clone()} now={state.frame.now} horizon={state.frame.horizon}
                        theme={theme} highlight={state.highlight.clone()} span={state.span}
                        on_span={dispatch.reform(Action::SetSpan)} />
                </section>
            </main>
            <aside class="side">
                <NarrativeLog log={state.log.clone()} highlighted={state.highlight_entry}
                    on_show={dispatch.reform(Action::ShowEntry)} />
                <Inspector scenario={sc.clone()} frame={state.frame.clone()} selection={state.selection}
                    env={state.env_info.clone()} findings={(*findings).clone()}
                    on_select={dispatch.reform(Action::Select)} />
            </aside>
            <Timeline now={state.frame.now} horizon={state.frame.horizon} playing={state.playing}
                speed={state.speed} seeking={state.seeking()} step={sc.sample_interval}
                dispatch={dispatch.clone()} />
            </>
        },
    };
    let description = state.scenario.as_ref().map(|s| s.spec.description.clone()).unwrap_or_default();
    let title = state.scenario.as_ref().map(|s| s.spec.title.clone()).unwrap_or_default();
    html! {
        <div class={classes!("app", state.editing.open.then_some("editing"))} data-testid="app">
            <Header presets={state.presets.clone()} preset={state.preset.clone()} theme={theme} title={title}
                description={description} on_preset={on_preset}
                on_theme={dispatch.reform(|_| Action::ToggleTheme)}>
                <crate::tools::ShareMenu app={share_app.clone()} ui={share_ui.clone()} />
                <crate::components::beyond::BeyondButton />
                <crate::components::sizing::SizingButton preset={state.preset.clone()} source={state.source.clone()}
                    editing={state.editing.clone()} dispatch={dispatch.clone()} />
                <crate::tools::EditBar editing={state.editing.clone()} dispatch={dispatch.clone()} />
                <crate::tools::EmbedButton preset={state.preset.clone()}
                    title={state.scenario.as_ref().map(|s| s.spec.title.clone()).unwrap_or_default()} />
            </Header>
            { body }
            { if state.scenario.is_some() && state.error.is_none() { html! {
                <crate::tools::EditorPanel editing={state.editing.clone()} selection={state.selection}
                    now={state.frame.now} findings={(*findings).clone()} dispatch={dispatch.clone()} />
            } } else { html! {} } }
            <crate::tools::ShareLayer app={share_app} ui={share_ui} />
        </div>
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = fetch_text)]
    fn fetch_text_js(url: &str) -> js_sys::Promise;
}

/// Fetches a text file next to the page (through the browser's `fetch`, less code than an
/// HTTP client crate).
pub(crate) async fn fetch_text(url: &str) -> Result<String, String> {
    match wasm_bindgen_futures::JsFuture::from(fetch_text_js(url)).await {
        Ok(text) => text.as_string().ok_or_else(|| format!("{url}: not text")),
        Err(e) => Err(e.as_string().unwrap_or_else(|| format!("{url}: {e:?}"))),
    }
}

/// Loads the preset `id`: at once when built in, else after fetching `scenarios/<id>.json`
/// (falling back to a built-in copy if the fetch fails).
fn choose(d: &Callback<Action>, list: &Shared<Vec<Preset>>, id: String) {
    if let Some(text) = list.iter().find(|p| p.id == id).and_then(|p| p.json.clone()) {
        d.emit(Action::Load { id, text });
        return;
    }
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match fetch_text(&format!("scenarios/{id}.json")).await {
            Ok(text) => d.emit(Action::Load { id, text: text.into() }),
            Err(e) => match presets::built_in_json(&id) {
                Some(text) => d.emit(Action::Load { id, text }),
                None => d.emit(Action::Fail(format!("Could not load the scenario '{id}': {e}"))),
            },
        }
    });
}
