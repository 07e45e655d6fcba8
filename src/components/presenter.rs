//! Presenter mode: the scenario's story in chapters (title, what to notice, what to highlight,
//! where to pause), stepped forwards and backwards with the keyboard or a presenter remote
//! (PageDown / '.' next, PageUp / 'b' back), in large type, optionally full screen, with a
//! large pointer ring following the mouse.

use crate::tools::share_state::{self as ss, AppView, Mode, UiAction, UiHandle};
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::time::Micros;
use lambdascape_ui::format::clock;
use lambdascape_ui::state::{Action, Shared};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub app: AppView,
    pub ui: UiHandle,
    pub scenario: Shared<Scenario>,
}

/// The chapter shown at time `now`: the last one that has started.
fn chapter_at(starts: &[Micros], now: Micros) -> Option<usize> {
    starts.iter().rposition(|&t| t <= now)
}

fn toggle_fullscreen() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(el) = doc.document_element() {
        let _ = el.request_fullscreen();
    }
}

fn exit_fullscreen() {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
    }
}

#[component]
pub fn Presenter(p: &Props) -> Html {
    let app = &p.app;
    let sc = p.scenario.clone();
    let chapters = &sc.spec.chapters;
    let starts: Rc<Vec<Micros>> = use_memo(sc.clone(), |sc| {
        sc.spec.chapters.iter().map(|c| c.at.micros().min(sc.horizon)).collect::<Vec<_>>()
    });
    // The chapter asked for (while the simulation is still on its way there).
    let target = use_state_eq(|| None::<usize>);
    let shown = match *target {
        Some(t) if app.seeking => Some(t),
        _ => chapter_at(&starts, app.now),
    };
    if !app.seeking && target.is_some() {
        target.set(None);
    }
    let go = {
        let (d, target, starts) = (app.dispatch.clone(), target.clone(), starts.clone());
        let playing = app.playing;
        Rc::new(move |from: Option<usize>, delta: i32| {
            if starts.is_empty() {
                return;
            }
            let i = match from {
                None if delta > 0 => 0,
                None => return,
                Some(i) => (i as i64 + delta as i64).clamp(0, starts.len() as i64 - 1) as usize,
            };
            if playing {
                d.emit(Action::TogglePlay);
            }
            target.set(Some(i));
            d.emit(Action::Seek(starts[i]));
        })
    };
    // Keys: on the window in the capture phase, so '.' moves chapters here instead of
    // playing (the app's keyboard listener sits on the document, later in the path).
    let shown_now = use_mut_ref(|| None::<usize>);
    *shown_now.borrow_mut() = shown;
    {
        let (go, shown_now, ui) = (go.clone(), shown_now.clone(), p.ui.clone());
        let go_ref = use_mut_ref(|| go.clone());
        *go_ref.borrow_mut() = go;
        use_effect_with((), move |_| {
            let cb = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let tag = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|t| t.tag_name())
                    .unwrap_or_default();
                if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
                    return;
                }
                let from = *shown_now.borrow();
                let delta = match e.key().as_str() {
                    "PageDown" | "." | "N" | "n" => 1,
                    "PageUp" | "b" | "B" | "P" | "p" => -1,
                    "f" | "F" => {
                        toggle_fullscreen();
                        0
                    }
                    "Escape" => {
                        exit_fullscreen();
                        ui.dispatch(UiAction::SetMode(Mode::Normal));
                        0
                    }
                    _ => return,
                };
                e.prevent_default();
                e.stop_propagation();
                if delta != 0 {
                    (go_ref.borrow())(from, delta);
                }
            });
            let w = web_sys::window();
            if let Some(w) = &w {
                let _ =
                    w.add_event_listener_with_callback_and_bool("keydown", cb.as_ref().unchecked_ref(), true);
            }
            move || {
                if let Some(w) = &w {
                    let _ = w.remove_event_listener_with_callback_and_bool(
                        "keydown",
                        cb.as_ref().unchecked_ref(),
                        true,
                    );
                }
                drop(cb);
                exit_fullscreen();
            }
        });
    }
    // The pointer ring: moved straight in the DOM (no re-render per mouse move).
    let ring = use_node_ref();
    {
        let ring = ring.clone();
        use_effect_with((), move |_| {
            let cb = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |e: web_sys::MouseEvent| {
                if let Some(el) = ring.cast::<web_sys::HtmlElement>() {
                    // Through the CSSOM (markup::css): a strict CSP refuses style attributes.
                    let _ = el.set_attribute(
                        "data-css",
                        &format!("transform:translate({}px,{}px);opacity:1", e.client_x(), e.client_y()),
                    );
                    lambdascape_ui::markup::css(&el);
                }
            });
            let w = web_sys::window();
            if let Some(w) = &w {
                let _ = w.add_event_listener_with_callback("mousemove", cb.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &w {
                    let _ = w.remove_event_listener_with_callback("mousemove", cb.as_ref().unchecked_ref());
                }
                drop(cb);
            }
        });
    }
    // Highlights of the chapter shown; a chapter with `pause` stops playback when reached.
    {
        let (sc2, d) = (sc.clone(), app.dispatch.clone());
        let hl = use_memo((sc.clone(), shown), move |(sc, i)| {
            let list =
                i.and_then(|i| sc.spec.chapters.get(i)).map(|c| c.highlight.clone()).unwrap_or_default();
            ss::chapter_highlights(sc, &list)
        });
        use_effect_with((sc2, shown), move |_| {
            d.emit(Action::SetHighlight(hl.0.clone()));
            // The charts, marked while the chapter is shown. `:root`: over the outline of a chart
            // a share link marks (share_layer.rs), whichever sheet came first.
            let css = hl.1
                .iter()
                .map(|id| format!(":root .charts .chart[data-chart=\"{id}\"] {{ outline: 4px solid var(--orange); outline-offset: 2px; border-radius: 6px; }}"))
                .collect::<String>();
            let mark = ss::Sheet::new(&css);
            move || drop(mark)
        });
    }
    let last_now = use_mut_ref(|| app.now);
    {
        let prev = *last_now.borrow();
        *last_now.borrow_mut() = app.now;
        if app.playing && app.now > prev {
            let hit =
                sc.spec.chapters.iter().zip(starts.iter()).any(|(c, &t)| c.pause && prev < t && t <= app.now);
            if hit {
                app.dispatch.emit(Action::TogglePlay);
            }
        }
    }
    // No chapters here, but the library's copy of this preset may tell its story: offer it.
    let story = use_state_eq(|| None::<Rc<str>>);
    {
        let story = story.clone();
        let want = chapters.is_empty().then(|| app.preset.clone()).filter(|id| !id.is_empty());
        use_effect_with(want, move |want| {
            if let Some(id) = want.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let Ok(text) = crate::app::fetch_text(&format!("scenarios/{id}.json")).await else {
                        return;
                    };
                    let has = lambdascape_engine::ScenarioSpec::parse_and_validate(&text)
                        .is_ok_and(|sc| !sc.spec.chapters.is_empty());
                    if has {
                        story.set(Some(Rc::from(text)));
                    }
                });
            }
        });
    }
    let load_story = (*story).clone().filter(|_| chapters.is_empty()).map(|text| {
        let (d, id) = (app.dispatch.clone(), app.preset.clone());
        Callback::from(move |_: MouseEvent| d.emit(Action::Load { id: id.clone(), text: text.clone() }))
    });
    let n = chapters.len();
    let prev_btn = {
        let go = go.clone();
        Callback::from(move |_: MouseEvent| go(shown, -1))
    };
    let next_btn = {
        let go = go.clone();
        Callback::from(move |_: MouseEvent| go(shown, 1))
    };
    let close = {
        let ui = p.ui.clone();
        Callback::from(move |_: MouseEvent| {
            exit_fullscreen();
            ui.dispatch(UiAction::SetMode(Mode::Normal));
        })
    };
    let body = match shown.and_then(|i| chapters.get(i).map(|c| (i, c))) {
        Some((i, c)) => html! {
            <>
                <p class="chapter-count" data-testid="chapter-count">
                    { format!("Chapter {} of {n} · from {} sim", i + 1, clock(starts[i])) }
                    if c.pause { <span class="chapter-pause">{" · pauses here"}</span> }
                </p>
                <h2 class="chapter-title" data-testid="chapter-title" data-chapter={i.to_string()}>{ &c.title }</h2>
                <p class="chapter-text">{ &c.text }</p>
            </>
        },
        None if n == 0 => html! {
            <>
                <h2 class="chapter-title" data-testid="chapter-title">{"This scenario tells no story in chapters: play it and point at what happens."}</h2>
                if let Some(cb) = load_story.clone() {
                    <p class="chapter-text">{"The preset library has this scenario with its story. "}
                        <button class="tool-button" data-testid="load-story" onclick={cb}>{"Open it with its chapters"}</button>
                    </p>
                }
            </>
        },
        None => html! {
            <>
                <p class="chapter-count">{ format!("{n} chapters") }</p>
                <h2 class="chapter-title" data-testid="chapter-title">{ sc.spec.title.clone() }</h2>
                <p class="chapter-text">{"Press PageDown (or '.') for the first chapter."}</p>
            </>
        },
    };
    html! {
        <>
            <div class="pointer-ring" ref={ring} aria-hidden="true" />
            <section class="chapter-card" aria-label="Presenter: the story in chapters" aria-live="polite" data-testid="presenter">
                <div class="chapter-body">{ body }</div>
                <div class="chapter-nav">
                    <button class="tool-button" data-testid="chapter-prev" aria-label="Previous chapter (PageUp or b)"
                        disabled={shown.is_none_or(|i| i == 0)} onclick={prev_btn}>{"‹ Back"}</button>
                    <button class="tool-button" data-testid="chapter-next" aria-label="Next chapter (PageDown or .)"
                        disabled={n == 0 || shown.is_some_and(|i| i + 1 >= n)} onclick={next_btn}>{"Next ›"}</button>
                    <button class="tool-button" data-testid="fullscreen" aria-label="Full screen (f)"
                        onclick={Callback::from(|_: MouseEvent| toggle_fullscreen())}>{"Full screen"}</button>
                    <button class="tool-button" data-testid="present-exit" aria-label="Leave presenter mode (Escape)" onclick={close}>{"Exit"}</button>
                </div>
            </section>
        </>
    }
}
