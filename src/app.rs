//! The root component: holds the reducer, runs the animation loop and the keyboard controls,
//! and lays the views out.

use crate::components::{
    charts_panel::ChartsPanel, error_panel::ErrorPanel, figures::Figures, header::Header,
    inspector::Inspector, narrative_log::NarrativeLog, timeline::Timeline, topology::Topology,
};
use crate::hooks::{use_animation_frame, use_keyboard};
use crate::state::{Action, AppState};
use crate::theme::media_matches;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::initial);
    let dispatch: Callback<Action> = state.dispatcher().into();
    {
        let d = dispatch.clone();
        use_animation_frame(Callback::from(move |dt_ms| d.emit(Action::Tick { dt_ms })));
    }
    use_keyboard(dispatch.clone());
    let theme = state.theme;
    use_effect_with(theme, |t| t.apply(false));
    let reduced_motion = use_memo((), |_| media_matches("(prefers-reduced-motion: reduce)"));

    let body = match (&state.error, &state.scenario) {
        (Some(msg), _) => {
            html! { <ErrorPanel message={msg.clone()} on_reset={dispatch.reform(|_| Action::ClearError)} /> }
        }
        (None, None) => html! {},
        (None, Some(sc)) => html! {
            <>
            <main class="stage">
                <section class="topology-panel" aria-label="Topology: functions and their execution environments">
                    <Figures frame={state.frame.clone()} seeking={state.seeking()} />
                    <Topology
                        scenario={sc.clone()}
                        frame={state.frame.clone()}
                        selection={state.selection}
                        highlight={state.highlight.clone()}
                        theme={theme}
                        reduced_motion={*reduced_motion}
                        on_select={dispatch.reform(Action::Select)}
                    />
                </section>
                <section class="charts-panel" aria-label="Charts">
                    <ChartsPanel charts={state.charts.clone()} now={state.frame.now} theme={theme}
                        highlight={state.highlight.clone()} />
                </section>
            </main>
            <aside class="side">
                <NarrativeLog log={state.log.clone()} highlighted={state.highlight_entry}
                    on_show={dispatch.reform(Action::ShowEntry)} />
                <Inspector scenario={sc.clone()} frame={state.frame.clone()} selection={state.selection}
                    env={state.env_info.clone()} on_select={dispatch.reform(Action::Select)} />
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
        <div class="app" data-testid="app">
            <Header preset={state.preset} theme={theme} title={title} description={description}
                on_preset={dispatch.reform(Action::LoadPreset)}
                on_theme={dispatch.reform(|_| Action::ToggleTheme)} />
            { body }
        </div>
    }
}
