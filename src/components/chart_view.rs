//! One chart: a canvas drawn by `charts::time_series::draw` when its data changes, a cursor at
//! the current time, a readout of the values under the pointer, and a range picked by dragging
//! across the plot (the charts then show that range: `on_zoom`). Positions and colours are
//! `data-css` attributes, set through the CSSOM as they change (`markup::watch`): a strict
//! Content Security Policy refuses style attributes.

use crate::charts::time_series;
use crate::hooks::use_element_size;
use lambdascape_engine::chart::{self, ChartData};
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_ui::charts::Mapping;
use lambdascape_ui::format::clock;
use lambdascape_ui::state::Shared;
use lambdascape_ui::theme::Theme;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub charts: Shared<Vec<ChartData>>,
    pub index: usize,
    pub now: Micros,
    pub theme: Theme,
    pub highlight_limit: Option<&'static str>,
    /// A range dragged across the plot, in seconds (none: the chart picks no range).
    #[prop_or_default]
    pub on_zoom: Option<Callback<(f64, f64)>>,
}

/// The least drag, in CSS pixels, that picks a range (less is a click).
const MIN_DRAG: f64 = 6.0;

/// The inline style of a box over the plot's height from `x`: the cursor and the hover line (as wide
/// as their CSS makes them), or the range being dragged (`width` wide). One place for the three.
fn column(m: &Mapping, x: f64, width: Option<f64>) -> String {
    let width = width.map_or(String::new(), |w| format!("width:{w:.1}px;"));
    format!("left:{x:.1}px;{width}top:{:.1}px;height:{:.1}px", m.top, (m.bottom - m.top).max(0.0))
}

#[component]
pub fn ChartView(p: &Props) -> Html {
    let wrap = use_node_ref();
    let canvas = use_node_ref();
    let (w, h) = use_element_size(wrap.clone());
    let mapping = use_state_eq(Mapping::default);
    let hover = use_state_eq(|| None::<f64>);
    {
        let (canvas, wrap) = (canvas.clone(), wrap.clone());
        let mapping = mapping.clone();
        let hl = p.highlight_limit;
        use_effect_with(
            (p.charts.clone(), p.index, w as i32, h as i32, p.theme, hl),
            move |(charts, i, w, h, theme, hl)| {
                if let Some(el) = wrap.cast::<web_sys::Element>() {
                    lambdascape_ui::markup::watch(&el);
                }
                let (Some(c), Some(data)) = (canvas.cast::<HtmlCanvasElement>(), charts.get(*i)) else {
                    return;
                };
                if *w <= 0 || *h <= 0 {
                    return;
                }
                let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
                let (cw, ch) = ((*w as f64 * dpr) as u32, (*h as f64 * dpr) as u32);
                if c.width() != cw || c.height() != ch {
                    c.set_width(cw);
                    c.set_height(ch);
                }
                match time_series::draw(c, data, charts, theme.palette(), dpr, *hl) {
                    Ok(m) => mapping.set(m),
                    Err(e) => web_sys::console::warn_1(&format!("chart {i}: {e}").into()),
                }
            },
        );
    }
    let Some(data) = p.charts.get(p.index) else { return html! {} };
    let m = *mapping;
    let drag = use_state_eq(|| None::<(f64, f64)>);
    // One handler for the pointer's moves: the readout follows it; a press on the plot starts a
    // range, which a release picks (if long enough to be a drag) and leaving drops.
    let on_pointer = {
        let (hover, drag, zoom) = (hover.clone(), drag.clone(), p.on_zoom.clone());
        Callback::from(move |e: PointerEvent| {
            let x = e.offset_x() as f64;
            let kind = e.type_();
            match kind.as_str() {
                "pointerdown" if zoom.is_some() && e.button() == 0 && m.t_at(x).is_some() => {
                    drag.set(Some((x, x)))
                }
                "pointermove" => {
                    hover.set(m.t_at(x));
                    if let Some((a, _)) = *drag {
                        drag.set(Some((a, x.clamp(m.left, m.right))));
                    }
                }
                "pointerup" | "pointerleave" => {
                    if let (Some((a, b)), Some(z), true) = (*drag, &zoom, kind == "pointerup") {
                        if let (true, Some(t0), Some(t1)) =
                            ((a - b).abs() >= MIN_DRAG, m.t_at(a.min(b)), m.t_at(a.max(b)))
                        {
                            z.emit((t0, t1));
                        }
                    }
                    if kind == "pointerleave" {
                        hover.set(None);
                    }
                    drag.set(None);
                }
                _ => {}
            }
        })
    };
    let band = match *drag {
        Some((a, b)) if (a - b).abs() >= MIN_DRAG => html! {
            <div class="zoom-band" data-css={column(&m, a.min(b), Some((a - b).abs()))} />
        },
        _ => html! {},
    };
    let now_s = p.now as f64 / MICROS_PER_SEC as f64;
    let cursor = if m.shows(now_s) {
        html! { <div class="cursor" data-css={column(&m, m.x_of(now_s), None)} /> }
    } else {
        html! {}
    };
    let readout = match *hover {
        Some(t) if t <= now_s => {
            let values = chart::readout(data, t);
            let pal = p.theme.palette();
            html! {
                <>
                <div class="hover-line" data-css={column(&m, m.x_of(t), None)} />
                <div class="readout" role="status" data-css={format!("left:{:.1}px", (m.x_of(t) + 8.0).min(w - 190.0).max(0.0))}>
                    <div class="readout-time">{ format!("{} sim", clock((t * 1e6) as Micros)) }</div>
                    { for values.iter().map(|(label, hue, v)| html! {
                        <div><span class="swatch" data-css={format!("background:{}", pal.hue(*hue))} />{ format!("{label}: {}", lambdascape_ui::format::chart_value(*v, &data.unit)) }</div>
                    }) }
                </div>
                </>
            }
        }
        _ => html! {},
    };
    let id = format!("chart-{}", p.index);
    html! {
        <figure class="chart" data-testid={id.clone()} data-chart={data.kind.id()}>
            <figcaption><span class="chart-title">{ &data.title }</span><span class="chart-unit">{ format!(" ({})", data.unit) }</span></figcaption>
            <div class="chart-canvas" ref={wrap} onpointerdown={on_pointer.clone()} onpointermove={on_pointer.clone()} onpointerup={on_pointer.clone()} onpointerleave={on_pointer}>
                <canvas ref={canvas} role="img" aria-label={format!("{} chart, {} over simulated time", data.title, data.unit)} data-plot={m.attr()}
                    data-css={format!("width:{w}px;height:{h}px")} />
                { cursor }
                { band }
                { readout }
            </div>
        </figure>
    }
}
