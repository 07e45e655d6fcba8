//! One widget: the app's reducer and views (topology, one chart, narrative, timeline) for one
//! scenario, without the app's header, inspector, keyboard shortcuts or document-wide effects.
//! The page's side (attributes, fetching, visibility) is www/embed.js; it reaches this component
//! only through [`crate::boundary`].

use crate::components::{
    chart_view::ChartView, charts_panel::ChartsPanel, figures::Figures, narrative_log::NarrativeLog,
    timeline::Timeline, topology::Topology,
};
use crate::format::clock;
use crate::hooks::use_animation_frame;
use crate::options::{Controls, Options, View};
use crate::state::{Action, AppState, Shared};
use crate::theme::Theme;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct Props {
    /// How the page named the scenario (`presets/mixed-subnets`, a URL, `inline`): errors say it.
    pub name: String,
    /// The scenario's JSON, or why it could not be read.
    pub source: Result<Rc<str>, String>,
    pub options: Result<Options, String>,
    /// Whether the widget is on screen (IntersectionObserver): it only plays while it is.
    pub visible: bool,
    /// This widget among the page's (see `crash.rs`).
    pub id: u32,
}

fn error_box(title: &str, message: &str, dark: bool) -> Html {
    html! {
        <div class="lsw-root lsw-failed" data-theme={if dark { "dark" } else { "light" }} data-testid="widget">
            <section class="lsw-error" role="alert" data-testid="widget-error">
                <strong>{ title }</strong>
                <pre>{ message }</pre>
            </section>
        </div>
    }
}

#[component]
pub fn Widget(p: &Props) -> Html {
    let state = use_reducer(AppState::initial);
    // Every action goes through here, so that a crash is pinned on this widget (crash.rs).
    let dispatch: Callback<Action> = {
        let (inner, id) = (state.dispatcher(), p.id);
        Callback::from(move |a| {
            if !crate::crash::is_dead(id) {
                crate::crash::enter(id);
                inner.dispatch(a);
                crate::crash::leave();
            }
        })
    };
    {
        let d = dispatch.clone();
        use_animation_frame(Callback::from(move |dt_ms| d.emit(Action::Tick { dt_ms })));
    }
    // Load the scenario (once per source).
    {
        let d = dispatch.clone();
        use_effect_with((p.name.clone(), p.source.clone()), move |(name, source)| {
            if let Ok(text) = source {
                d.emit(Action::Load { id: name.clone(), text: text.clone() });
            }
        });
    }
    let loaded = state.preset == p.name && p.source.is_ok() && state.scenario.is_some();
    let opts = p.options.clone().ok();
    // Speed and start time, once loaded and whenever their attributes change.
    {
        let d = dispatch.clone();
        let speed = opts.as_ref().and_then(|o| o.speed).map(|s| (s * 1000.0) as i64);
        let start = opts.as_ref().map_or(0, |o| o.start_us);
        use_effect_with((loaded, speed, start), move |(loaded, speed, start)| {
            if *loaded {
                if let Some(s) = speed {
                    d.emit(Action::SetSpeed(*s as f64 / 1000.0));
                }
                if *start > 0 {
                    d.emit(Action::Seek(*start));
                }
            }
        });
    }
    // Play only on screen: autoplay the first time the widget is seen; pause when it leaves
    // and resume when it comes back.
    let autoplayed = use_mut_ref(|| false);
    let resume = use_mut_ref(|| false);
    {
        let d = dispatch.clone();
        let playing = state.playing;
        let autoplay = opts.as_ref().is_some_and(|o| o.autoplay);
        use_effect_with((loaded, p.visible), move |(loaded, visible)| {
            if !*loaded {
                return;
            }
            if *visible {
                let first = !std::mem::replace(&mut *autoplayed.borrow_mut(), true);
                let back = std::mem::replace(&mut *resume.borrow_mut(), false);
                if ((first && autoplay) || back) && !playing {
                    d.emit(Action::TogglePlay);
                }
            } else if playing {
                *resume.borrow_mut() = true;
                d.emit(Action::TogglePlay);
            }
        });
    }

    let dark_guess = opts.as_ref().is_some_and(|o| o.dark);
    let o = match (&p.options, &p.source) {
        (Err(e), _) => return error_box("This widget's attributes are not valid", e, dark_guess),
        (_, Err(e)) => return error_box("This widget cannot show its scenario", e, dark_guess),
        (Ok(o), Ok(_)) => o,
    };
    if state.preset == p.name {
        if let Some(e) = &state.error {
            return error_box("This widget's scenario cannot run", e, o.dark);
        }
    }
    let theme = if o.dark { Theme::Dark } else { Theme::Light };
    let style = o.height.as_ref().map(|h| format!("height:{h}")).unwrap_or_default();
    let Some(sc) = state.scenario.clone().filter(|_| loaded) else {
        return html! {
            <div class="lsw-root lsw-loading" data-theme={theme.name()} data-testid="widget" data-now-us="0" {style}>
                <p role="status">{"Loading the simulation…"}</p>
            </div>
        };
    };
    let frame = state.frame.clone();
    let topology = || {
        html! {
            <section class="topology-panel" aria-label="Topology: functions and their execution environments">
                <Figures frame={frame.clone()} seeking={state.seeking()} />
                <Topology scenario={sc.clone()} frame={frame.clone()} selection={state.selection}
                    highlight={state.highlight.clone()} theme={theme} reduced_motion={o.reduced_motion}
                    playing={state.playing} findings={Shared::new(vec![])}
                    on_select={dispatch.reform(Action::Select)} />
            </section>
        }
    };
    let narrative = || {
        html! {
            <NarrativeLog log={state.log.clone()} highlighted={state.highlight_entry}
                on_show={dispatch.reform(Action::ShowEntry)} />
        }
    };
    let body = match o.view {
        View::Topology => topology(),
        View::Chart => {
            let want = o.chart.clone().unwrap_or_else(|| "concurrency".into());
            match state.charts.iter().position(|c| c.kind.id() == want) {
                Some(i) => html! {
                    <section class="charts-panel lsw-one-chart" aria-label="Chart">
                        <ChartView charts={state.charts.clone()} index={i} now={frame.now} theme={theme}
                            highlight_limit={None::<&'static str>} />
                    </section>
                },
                None => {
                    let ids: Vec<&str> = state.charts.iter().map(|c| c.kind.id()).collect();
                    return error_box(
                        "This widget's attributes are not valid",
                        &format!("chart=\"{want}\": this scenario's charts are {}", ids.join(", ")),
                        o.dark,
                    );
                }
            }
        }
        View::Timeline => narrative(),
        View::Full => html! {
            <div class="lsw-full">
                { topology() }
                <section class="charts-panel" aria-label="Charts">
                    <ChartsPanel charts={state.charts.clone()} now={frame.now} theme={theme}
                        highlight={state.highlight.clone()} />
                </section>
                { narrative() }
            </div>
        },
    };
    let controls = match o.controls {
        Controls::None => html! {},
        Controls::Minimal => {
            let label = if state.playing { "Pause" } else { "Play" };
            html! {
                <div class="lsw-mini" aria-label="Playback">
                    <button class="tl-button tl-play" aria-label={label} title={label} data-testid="play"
                        aria-pressed={state.playing.to_string()} onclick={dispatch.reform(|_: MouseEvent| Action::TogglePlay)}>
                        <svg width="18" height="18" viewBox="0 0 20 20" aria-hidden="true"><path fill="currentColor"
                            d={if state.playing { "M5 4h3.5v12H5zM11.5 4H15v12h-3.5z" } else { "M6 3.5v13L16.5 10z" }} /></svg>
                    </button>
                    <span class="tl-time" data-testid="sim-time" data-now-us={frame.now.to_string()}>
                        <span class="tl-now">{ clock(frame.now) }</span>
                        <span class="tl-total">{ format!(" / {} sim", clock(frame.horizon)) }</span>
                    </span>
                    <span class="lsw-title" title={sc.spec.description.clone()}>{ &sc.spec.title }</span>
                </div>
            }
        }
        Controls::Full => html! {
            <Timeline now={frame.now} horizon={frame.horizon} playing={state.playing} speed={state.speed}
                seeking={state.seeking()} step={sc.sample_interval} dispatch={dispatch.clone()} />
        },
    };
    let view = match o.view {
        View::Topology => "topology",
        View::Chart => "chart",
        View::Timeline => "timeline",
        View::Full => "full",
    };
    html! {
        <div class={classes!("lsw-root", format!("lsw-view-{view}"), sc.vpc.is_some().then_some("vpc"))}
            data-theme={theme.name()} data-testid="widget" data-now-us={frame.now.to_string()}
            data-playing={state.playing.to_string()} {style}>
            <div class="lsw-body">{ body }</div>
            { controls }
        </div>
    }
}
