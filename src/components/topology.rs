//! The topology: network boxes, functions and the requests reaching them as SVG structure, and
//! the environment dots on one canvas over it (thousands of dots stay cheap: no DOM per dot).

use crate::format::{count, countf};
use crate::hooks::use_element_size;
use crate::state::{Selection, Shared};
use crate::theme::{Palette, Theme};
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::sim::Ref;
use lambdascape_engine::view::{self, function_hue, DotKind, Frame, Hit, TopologyLayout};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub scenario: Shared<Scenario>,
    pub frame: Shared<Frame>,
    pub selection: Selection,
    pub highlight: Shared<Vec<Ref>>,
    pub theme: Theme,
    pub reduced_motion: bool,
    pub on_select: Callback<Selection>,
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Draws every environment dot: busy filled, idle hollow, initializing a (pulsing) ring,
/// provisioned as squares; the selected and highlighted ones get a ring.
fn draw_dots(
    canvas: &HtmlCanvasElement,
    layout: &TopologyLayout,
    frame: &Frame,
    pal: &Palette,
    marked: &[u32],
    pulse: f64,
) -> Option<()> {
    let dpr = web_sys::window()?.device_pixel_ratio().max(1.0);
    let (w, h) = ((layout.width * dpr) as u32, (layout.height * dpr) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;
    ctx.clear_rect(0.0, 0.0, layout.width, layout.height);
    let tau = std::f64::consts::TAU;
    for node in &layout.functions {
        let dots = frame.function_dots(node.function as usize);
        let grid = view::dot_grid(node.dots, dots.len());
        let c = grid.cell;
        let r = (c * 0.36).max(0.5);
        let tiny = c < 4.0;
        // One path per look: far fewer canvas calls than one per dot.
        for (kind, provisioned) in [
            (DotKind::Busy, false),
            (DotKind::Busy, true),
            (DotKind::Idle, false),
            (DotKind::Idle, true),
            (DotKind::Initializing, false),
            (DotKind::Initializing, true),
        ] {
            ctx.begin_path();
            let mut any = false;
            for (i, d) in dots.iter().enumerate() {
                if d.kind != kind || d.provisioned != provisioned {
                    continue;
                }
                any = true;
                let (x, y) = grid.center(i);
                if tiny {
                    ctx.rect(
                        x - c / 2.0,
                        y - c / 2.0,
                        c.max(1.0) - if c >= 2.0 { 0.5 } else { 0.0 },
                        c.max(1.0) - if c >= 2.0 { 0.5 } else { 0.0 },
                    );
                } else if provisioned {
                    ctx.rect(x - r, y - r, 2.0 * r, 2.0 * r);
                } else {
                    let rr = if kind == DotKind::Initializing { r * pulse } else { r };
                    ctx.move_to(x + rr, y);
                    let _ = ctx.arc(x, y, rr, 0.0, tau);
                }
            }
            if !any {
                continue;
            }
            match kind {
                DotKind::Busy => {
                    ctx.set_fill_style_str(pal.blue);
                    ctx.fill();
                }
                DotKind::Idle => {
                    if tiny {
                        ctx.set_fill_style_str(pal.green);
                        ctx.fill();
                    } else {
                        ctx.set_stroke_style_str(pal.green);
                        ctx.set_line_width((r * 0.45).clamp(1.0, 2.0));
                        ctx.stroke();
                    }
                }
                DotKind::Initializing => {
                    if tiny {
                        ctx.set_fill_style_str(pal.orange);
                        ctx.fill();
                    } else {
                        ctx.set_stroke_style_str(pal.orange);
                        ctx.set_line_width((r * 0.55).clamp(1.0, 2.5));
                        ctx.stroke();
                    }
                }
            }
        }
        if !marked.is_empty() {
            ctx.begin_path();
            for (i, d) in dots.iter().enumerate() {
                if marked.contains(&d.serial) {
                    let (x, y) = grid.center(i);
                    let rr = (r + 3.0).max(5.0);
                    ctx.move_to(x + rr, y);
                    let _ = ctx.arc(x, y, rr, 0.0, tau);
                }
            }
            ctx.set_stroke_style_str(pal.text);
            ctx.set_line_width(2.0);
            ctx.stroke();
        }
    }
    Some(())
}

/// Cross marks piling up in the arrival lane, one per doubling of the throttle rate, with the
/// rate: throttled requests bounce off the function here.
fn throttle_pile(node: &view::FunctionNode, per_s: f64, pal: &Palette) -> Html {
    if per_s <= 0.0 {
        return html! {};
    }
    let marks = ((per_s + 1.0).log2().ceil() as usize).clamp(1, 12);
    let x0 = node.pile.x + 14.0;
    let y = node.pile.y + 30.0;
    html! {
        <g class="pile">
            { for (0..marks).map(|i| {
                let (cx, cy) = (x0 + i as f64 * 10.0, y);
                html! { <g stroke={pal.vermillion} stroke-width="2" aria-hidden="true">
                    <line x1={(cx - 3.5).to_string()} y1={(cy - 3.5).to_string()} x2={(cx + 3.5).to_string()} y2={(cy + 3.5).to_string()} />
                    <line x1={(cx - 3.5).to_string()} y1={(cy + 3.5).to_string()} x2={(cx + 3.5).to_string()} y2={(cy - 3.5).to_string()} />
                </g> }
            }) }
            <text x={(x0 + marks as f64 * 10.0 + 4.0).to_string()} y={(y + 5.0).to_string()} class="path-label throttled">
                { format!("{}/s throttled (429)", countf(per_s)) }
            </text>
        </g>
    }
}

#[component]
pub fn Topology(p: &Props) -> Html {
    let container = use_node_ref();
    let canvas = use_node_ref();
    let (w, h) = use_element_size(container.clone());
    let layout = use_memo((p.scenario.clone(), w as i32, h as i32), |(sc, w, h)| {
        view::layout_topology(sc, *w as f64, *h as f64)
    });
    let pal = p.theme.palette();
    let marked: Vec<u32> = {
        let mut m: Vec<u32> = p
            .highlight
            .iter()
            .filter_map(|r| if let Ref::Env { serial } = r { Some(*serial) } else { None })
            .collect();
        if let Selection::Env(s) = p.selection {
            m.push(s);
        }
        m
    };
    {
        let canvas = canvas.clone();
        let layout = layout.clone();
        let reduced = p.reduced_motion;
        use_effect_with(
            (p.frame.clone(), layout.clone(), p.theme, marked.clone()),
            move |(frame, _, theme, marked)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    // Cold starts pulse (gently, 1.5 per second) unless motion is reduced.
                    let pulse = if reduced {
                        1.0
                    } else {
                        1.0 + 0.22 * (now_ms() / 1000.0 * std::f64::consts::TAU * 1.5).sin()
                    };
                    draw_dots(&c, &layout, frame, theme.palette(), marked, pulse);
                }
            },
        );
    }
    let on_click = {
        let layout = layout.clone();
        let frame = p.frame.clone();
        let cb = p.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let r = el.get_bounding_client_rect();
            let (x, y) = (e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top());
            match view::hit_test(&layout, &frame, x, y) {
                Some(Hit::Env { serial }) => cb.emit(Selection::Env(serial)),
                Some(Hit::Function { id }) => cb.emit(Selection::Function(id)),
                None => cb.emit(Selection::None),
            }
        })
    };
    let highlighted_fn =
        |id: u32| p.selection == Selection::Function(id) || p.highlight.contains(&Ref::Function { id });
    let f = &*p.frame;
    let l = &*layout;
    let cl = l.clients;
    let svg = if w > 0.0 {
        html! {
            <svg class="topology-svg" width={w.to_string()} height={h.to_string()} role="img"
                aria-label={format!("{} functions, {} execution environments", l.functions.len(), count(f.environments as u64))}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill={pal.muted} />
                    </marker>
                </defs>
                <g class="clients">
                    <rect x={cl.x.to_string()} y={cl.y.to_string()} width={cl.w.to_string()} height={cl.h.to_string()} rx="8" class="clients-box" />
                    <text x={(cl.x + 10.0).to_string()} y={(cl.y + 18.0).to_string()} class="box-label">{"clients → requests"}</text>
                </g>
                { for l.boxes.iter().map(|b| html! {
                    <g class="netbox">
                        <rect x={b.rect.x.to_string()} y={b.rect.y.to_string()} width={b.rect.w.to_string()} height={b.rect.h.to_string()} rx="12" class="managed-box" />
                        <text x={(b.rect.x + 40.0).to_string()} y={(b.rect.y + 16.0).to_string()} class="box-label small">{ &b.label }</text>
                    </g>
                }) }
                { for l.functions.iter().map(|n| {
                    let ff = &f.functions[n.function as usize];
                    let hue = pal.hue(function_hue(n.function as usize));
                    let ax = n.pile.x;
                    let hl = highlighted_fn(n.function);
                    let card = n.card;
                    html! {
                    <g class="function">
                        <line x1={ax.to_string()} y1={(n.pile.y + 2.0).to_string()} x2={ax.to_string()} y2={(card.y - 2.0).to_string()} class="request-path" marker-end="url(#arrow)" />
                        <text x={(ax + 8.0).to_string()} y={(n.pile.y + 14.0).to_string()} class="path-label">{ format!("{}/s requests", countf(ff.requests_per_s)) }</text>
                        { throttle_pile(n, ff.throttled_per_s, pal) }
                        <rect x={card.x.to_string()} y={card.y.to_string()} width={card.w.to_string()} height={card.h.to_string()} rx="8"
                            class={classes!("fn-card", hl.then_some("highlight"))} style={format!("stroke:{hue}")} />
                        <text x={(card.x + 10.0).to_string()} y={(card.y + 19.0).to_string()} class="fn-name">
                            { &n.name }
                            { ff.reserved.map(|r| html!{ <tspan class="fn-badge">{ format!("  reserved {}", count(r as u64)) }</tspan> }).unwrap_or_default() }
                        </text>
                        { if ff.throttles > 0 { html!{
                            <text x={(card.x + card.w - 10.0).to_string()} y={(card.y + 19.0).to_string()} text-anchor="end" class="fn-figures c-throttle">
                                { format!("✕ {} throttled", count(ff.throttles)) }
                            </text>
                        } } else { html!{} } }
                        <text x={(card.x + 10.0).to_string()} y={(card.y + 38.0).to_string()} class="fn-figures">
                            <tspan class="c-busy">{ format!("● {} busy", count(ff.busy as u64)) }</tspan>
                            <tspan class="c-idle">{ format!("   ○ {} idle", count(ff.idle as u64)) }</tspan>
                            <tspan class="c-init">{ format!("   ◌ {} starting", count(ff.initializing as u64)) }</tspan>
                        </text>
                    </g>
                } }) }
            </svg>
        }
    } else {
        html! {}
    };
    html! {
        <div class="topology" ref={container} data-testid="topology">
            { svg }
            <canvas ref={canvas} class="dots" data-testid="dots-canvas" onclick={on_click}
                style={format!("width:{w}px;height:{h}px")} aria-hidden="true" />
            <div class="fn-buttons">
                { for l.functions.iter().map(|n| {
                    let id = n.function;
                    let style = format!("left:{}px;top:{}px;width:{}px;height:24px", n.card.x, n.card.y, n.card.w.min(260.0));
                    html! { <button class="fn-hit" style={style} aria-label={format!("Inspect function {}", n.name)}
                        onclick={p.on_select.reform(move |_: MouseEvent| Selection::Function(id))} /> }
                }) }
            </div>
        </div>
    }
}
