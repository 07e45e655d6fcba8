//! What share links, presenter mode and compare mode add to the page: opening the link in the
//! URL fragment (or showing why it cannot be opened, over the current work, never instead of
//! it), the chapter card, the compare view, and the mode on `<html data-mode>` for the styles.

use crate::components::compare::Compare;
use crate::components::presenter::Presenter;
use crate::tools::share_state::{self as ss, AppView, Mode, UiAction, UiHandle};
use lambdascape_engine::scenario::Scenario;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub app: AppView,
    pub ui: UiHandle,
}

/// Opens the link in the fragment `hash`; `shown`: the scenario the app shows now.
fn open_fragment(app: &AppView, ui: &UiHandle, hash: &str, shown: Option<&Scenario>) {
    match lambdascape_engine::share::from_fragment(hash) {
        Ok(st) => {
            let same = shown.is_some_and(|sc| sc.spec == st.scenario);
            ui.dispatch(UiAction::ClearProblem);
            ss::apply_shared(st, &app.dispatch, ui);
            ui.dispatch(UiAction::Compare(ss::compare_in_link(hash)));
            ss::open_sweep_of_link(hash, same);
        }
        Err(e) => ui.dispatch(UiAction::Problem(ss::link_problem(&e))),
    }
}

#[component]
pub fn ShareLayer(p: &Props) -> Html {
    let ui = &p.ui;
    // The link in the address bar, at start and whenever another is pasted there (the
    // listener outlives this render: it reads the scenario shown through `shown`).
    let shown = use_mut_ref(|| None);
    *shown.borrow_mut() = p.app.scenario.clone();
    {
        let (app, ui) = (p.app.clone(), ui.clone());
        crate::hooks::use_hash_link(move |hash| {
            let now = shown.borrow().clone();
            open_fragment(&app, &ui, &hash, now.as_deref())
        });
    }
    let mode = ui.mode;
    {
        let d = p.app.dispatch.clone();
        let playing = p.app.playing;
        use_effect_with(mode, move |m| {
            ss::set_root_attr("data-mode", (*m != Mode::Normal).then_some(m.name()));
            if *m == Mode::Compare && playing {
                d.emit(lambdascape_ui::state::Action::TogglePlay); // one clock at a time
            }
            if *m != Mode::Present {
                d.emit(lambdascape_ui::state::Action::SetHighlight(vec![]));
            }
        });
    }
    // The chart a link points at: marked (a style sheet while it is) and scrolled into view.
    {
        use_effect_with(ui.chart.clone(), move |c| {
            ss::set_root_attr("data-share-chart", c.as_deref());
            let mark = c.as_ref().map(|id| ss::Sheet::new(&format!(".charts .chart[data-chart=\"{id}\"] {{ outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 6px; }}")));
            if let Some(id) = c {
                let el = web_sys::window().and_then(|w| w.document()).and_then(|d| {
                    d.query_selector(&format!(".charts .chart[data-chart=\"{id}\"]")).ok().flatten()
                });
                if let Some(el) = el {
                    el.scroll_into_view();
                }
            }
            move || drop(mark)
        });
    }
    // Keyboard users land on the problem's button (the alert is also announced).
    use_effect_with(ui.problem.is_some(), |shown| {
        if *shown {
            let b = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("[data-testid=share-error-close]").ok().flatten())
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(b) = b {
                let _ = b.focus();
            }
        }
    });

    let problem = ui.problem.as_ref().map(|pr| {
        let close = {
            let ui = ui.clone();
            Callback::from(move |_: MouseEvent| {
                // A bad link stays out of the address bar, so that a reload opens the work.
                if crate::hooks::fragment_link().is_some() {
                    ss::set_fragment(&ss::url_with(""));
                }
                ui.dispatch(UiAction::ClearProblem)
            })
        };
        html! {
            <section class="share-problem" role="alert" aria-labelledby="share-problem-title" data-testid="share-error">
                <h2 id="share-problem-title">{ &pr.title }</h2>
                <ul>{ for pr.lines.iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                <p>{ &pr.what_now }</p>
                <button class="tool-button" data-testid="share-error-close" onclick={close}>{"Close and keep working"}</button>
            </section>
        }
    });
    html! {
        <>
            { problem.unwrap_or_default() }
            if mode == Mode::Present {
                if let Some(sc) = p.app.scenario.clone() {
                    <Presenter app={p.app.clone()} ui={ui.clone()} scenario={sc} />
                }
            }
            if mode == Mode::Compare {
                if let Some(sc) = p.app.scenario.clone() {
                    <Compare scenario={sc} theme={p.app.theme} ui={ui.clone()} />
                }
            }
        </>
    }
}
