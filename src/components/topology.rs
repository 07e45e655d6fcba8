//! The topology: network boxes, functions and the requests reaching them as SVG structure
//! (the UI core's markup, shared with the widget), and the environment dots on one canvas over it
//! (`lambdascape_ui::topology`).

use crate::hooks::use_element_size;
use lambdascape_engine::network::Finding;
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::sim::Ref;
use lambdascape_engine::view::{self, Frame};
use lambdascape_ui::markup::{self, TopologyView};
use lambdascape_ui::state::{Selection, Shared};
use lambdascape_ui::theme::Theme;
use lambdascape_ui::topology::{draw_dots, hit, marked_envs, pulse, select_target};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub scenario: Shared<Scenario>,
    pub frame: Shared<Frame>,
    pub selection: Selection,
    pub highlight: Shared<Vec<Ref>>,
    pub theme: Theme,
    pub reduced_motion: bool,
    /// Calls travel only while playing.
    pub playing: bool,
    pub findings: Shared<Vec<Finding>>,
    pub on_select: Callback<Selection>,
}

#[component]
pub fn Topology(p: &Props) -> Html {
    let container = use_node_ref();
    let (w, h) = use_element_size(container.clone());
    let layout = use_memo((p.scenario.clone(), w as i32, h as i32), |(sc, w, h)| {
        view::layout_topology(sc, *w as f64, *h as f64)
    });
    {
        // The picture as markup (morphed into place: only what changed is touched), then the
        // dots on its canvas.
        let container = container.clone();
        let deps = (
            (p.scenario.clone(), p.frame.clone(), layout.clone(), p.highlight.clone(), p.findings.clone()),
            (p.selection, p.theme, p.playing, p.reduced_motion),
        );
        use_effect_with(
            deps,
            move |((scenario, frame, layout, highlight, findings), (selection, theme, playing, reduced))| {
                let Some(el) = container.cast::<web_sys::Element>() else { return };
                let v = TopologyView {
                    scenario,
                    layout,
                    frame,
                    selection: *selection,
                    highlight,
                    findings,
                    pal: theme.palette(),
                    playing: *playing,
                    reduced_motion: *reduced,
                };
                markup::morph(&el, &markup::topology(&v));
                if let Some(c) =
                    el.query_selector("canvas.dots").ok().flatten().and_then(|c| c.dyn_into().ok())
                {
                    let marked = marked_envs(highlight, *selection);
                    draw_dots(&c, layout, frame, theme.palette(), &marked, pulse(*reduced));
                }
            },
        );
    }
    let on_click = {
        let layout = layout.clone();
        let frame = p.frame.clone();
        let cb = p.on_select.clone();
        let container = container.clone();
        Callback::from(move |e: MouseEvent| {
            let (Some(el), Some(target)) = (
                container.cast::<web_sys::Element>(),
                e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()),
            ) else {
                return;
            };
            if let Some(sel) = select_target(&target) {
                return cb.emit(sel);
            }
            let r = el.get_bounding_client_rect();
            // The picture may be taller than its box (it scrolls).
            let (x, y) = (e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top());
            cb.emit(hit(&layout, &frame, x + el.scroll_left() as f64, y + el.scroll_top() as f64));
        })
    };
    html! {
        <div class={classes!("topology", (p.playing && !p.reduced_motion).then_some("moving"))} ref={container}
            data-testid="topology" onclick={on_click} />
    }
}
