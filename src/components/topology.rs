//! The topology: network boxes, functions and the requests reaching them as SVG structure, and
//! the environment dots on one canvas over it (thousands of dots stay cheap: no DOM per dot).

use crate::format::{count, countf};
use crate::hooks::use_element_size;
use crate::state::{Selection, Shared};
use crate::theme::{Palette, Theme};
use lambdascape_engine::network::{ElementRef, Finding, Severity};
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::sim::Ref;
use lambdascape_engine::view::{
    self, function_hue, ChipKind, DotKind, Frame, Hit, Rect, TopologyLayout, VpcLayout,
};
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
    /// Calls travel only while playing.
    pub playing: bool,
    pub findings: Shared<Vec<Finding>>,
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
    for (area, dots) in view::dot_areas(layout, frame) {
        let grid = view::dot_grid(area, dots.len());
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
        let container = container.clone();
        Callback::from(move |e: MouseEvent| {
            // Buttons over the picture handle their own clicks.
            if e.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| el.tag_name() == "BUTTON")
            {
                return;
            }
            let Some(el) = container.cast::<web_sys::Element>() else { return };
            let r = el.get_bounding_client_rect();
            let (x, y) = (e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top());
            match view::hit_test(&layout, &frame, x, y) {
                Some(Hit::Env { serial }) => cb.emit(Selection::Env(serial)),
                Some(Hit::Function { id }) => cb.emit(Selection::Function(id)),
                Some(Hit::Subnet { id }) => cb.emit(Selection::Subnet(id)),
                Some(Hit::Nat { id }) => cb.emit(Selection::Nat(id)),
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
                { l.vpc.as_ref().map(|v| vpc_view(v, p, pal)).unwrap_or_default() }
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
                        { if l.vpc.is_some() { badge(card.x, card.y + card.h + 4.0, card.w, &findings_for(&p.findings, |e| matches!(e, ElementRef::Function(nm) if nm == &n.name))) } else { html!{} } }
                        <text x={(card.x + 10.0).to_string()} y={(card.y + 38.0).to_string()} class="fn-figures">
                            <tspan class="c-busy">{ format!("● {} busy", count(ff.busy as u64)) }</tspan>
                            <tspan class="c-idle">{ format!("   ○ {} idle", count(ff.idle as u64)) }</tspan>
                            { if l.vpc.is_none() || ff.initializing > 0 { html!{ <tspan class="c-init">{ format!("   ◌ {} starting", count(ff.initializing as u64)) }</tspan> } } else { html!{} } }
                        </text>
                    </g>
                } }) }
                { l.vpc.as_ref().map(|v| paths_view(l, v, p, pal)).unwrap_or_default() }
            </svg>
        }
    } else {
        html! {}
    };
    html! {
        <div class={classes!("topology", (p.playing && !p.reduced_motion).then_some("moving"))} ref={container} data-testid="topology" onclick={on_click}>
            { svg }
            <canvas ref={canvas} class="dots" data-testid="dots-canvas"
                style={format!("width:{w}px;height:{h}px")} aria-hidden="true" />
            <div class="fn-buttons">
                { for l.functions.iter().map(|n| {
                    let id = n.function;
                    let style = format!("left:{}px;top:{}px;width:{}px;height:24px", n.card.x, n.card.y, n.card.w.min(260.0));
                    html! { <button class="fn-hit" style={style} aria-label={format!("Inspect function {}", n.name)}
                        onclick={p.on_select.reform(move |_: MouseEvent| Selection::Function(id))} /> }
                }) }
                { for l.vpc.iter().flat_map(|v| v.subnets.iter()).map(|s| {
                    let id = s.id;
                    let style = format!("left:{}px;top:{}px;width:{}px;height:26px", s.rect.x, s.rect.y, (s.rect.w * 0.6).max(40.0));
                    html! { <button class="fn-hit" style={style} data-testid={format!("select-subnet-{}", s.name)}
                        aria-label={format!("Inspect subnet {}", s.name)}
                        onclick={p.on_select.reform(move |_: MouseEvent| Selection::Subnet(id))} /> }
                }) }
                { for l.vpc.iter().flat_map(|v| v.chips.iter()).filter_map(|c| match c.kind {
                    ChipKind::Nat { id } => Some((id, c)), _ => None }).map(|(id, c)| {
                    let style = format!("left:{}px;top:{}px;width:{}px;height:{}px", c.rect.x, c.rect.y, c.rect.w, c.rect.h);
                    html! { <button class="fn-hit" style={style} aria-label={format!("Inspect {}", c.label)}
                        onclick={p.on_select.reform(move |_: MouseEvent| Selection::Nat(id))} /> }
                }) }
            </div>
        </div>
    }
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// The advisor findings that name an element (by kind and name).
fn findings_for<'a>(all: &'a [Finding], hit: impl Fn(&ElementRef) -> bool) -> Vec<&'a Finding> {
    all.iter().filter(|f| f.severity >= Severity::Warning && f.elements.iter().any(&hit)).collect()
}

/// A small warning badge with the finding's title (the full text on hover, details in the
/// inspector when the element is clicked).
fn badge(x: f64, y: f64, max_w: f64, found: &[&Finding]) -> Html {
    let Some(first) = found.first() else { return html! {} };
    let err = found.iter().any(|f| f.severity == Severity::Error);
    let chars = ((max_w - 26.0) / 6.6).max(6.0) as usize;
    let mut text: String = first.title.chars().take(chars).collect();
    if first.title.chars().count() > chars {
        text.pop();
        text.push('…');
    }
    if found.len() > 1 {
        text = format!("{text} (+{})", found.len() - 1);
    }
    let w = (text.chars().count() as f64 * 6.6 + 26.0).min(max_w);
    let tip: Vec<String> = found.iter().map(|f| format!("{}: {}", f.title, f.why)).collect();
    html! {
        <g class={classes!("advice", err.then_some("error"))} data-testid="advice-badge">
            <title>{ tip.join("\n\n") }</title>
            <rect x={n(x)} y={n(y)} width={n(w)} height="20" rx="10" />
            <text x={n(x + 8.0)} y={n(y + 14.5)}>{ format!("⚠ {text}") }</text>
        </g>
    }
}

fn rect_attrs(r: &Rect) -> (String, String, String, String) {
    (n(r.x), n(r.y), n(r.w), n(r.h))
}

/// The VPC's structure: AZ columns, subnets (tag, routes, figures), chips, the internet
/// gateway, destinations outside and the functions' attachment lines.
fn vpc_view(v: &VpcLayout, p: &Props, pal: &Palette) -> Html {
    let f = &*p.frame;
    let (vx, vy, vw, vh) = rect_attrs(&v.rect);
    let down = |az: u32| f.azs_down.contains(&az);
    let selected_subnet = |id: u32| p.selection == Selection::Subnet(id);
    html! {
        <g class="vpc" data-testid="vpc-view">
            <defs>
                <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <line x1="0" y1="0" x2="0" y2="8" class="hatch-line" />
                </pattern>
            </defs>
            <rect x={vx} y={vy} width={vw} height={vh} rx="12" class="vpc-box" />
            <text x={n(v.rect.x + 12.0)} y={n(v.rect.y + 18.0)} class="box-label">{ format!("VPC {}  ", v.name) }<tspan class="muted-small">{ &v.cidr }</tspan></text>
            // Functions' attachment lines (their ENIs in each subnet), under everything else.
            { for v.attachments.iter().map(|a| {
                let hue = pal.hue(function_hue(a.function as usize));
                let mx = (a.from.0 + a.to.0) / 2.0;
                html! { <path class="attach" style={format!("stroke:{hue}")}
                    d={format!("M{} {} C{} {} {} {} {} {}", n(a.from.0), n(a.from.1), n(mx), n(a.from.1), n(mx), n(a.to.1), n(a.to.0), n(a.to.1))} /> }
            }) }
            { for v.azs.iter().map(|az| {
                let (x, y, w, h) = rect_attrs(&az.rect);
                let is_down = down(az.id);
                html! { <g class={classes!("az", is_down.then_some("down"))}>
                    <rect x={x.clone()} y={y.clone()} width={w.clone()} height={h.clone()} rx="10" class="az-box" />
                    <text x={n(az.rect.x + 10.0)} y={n(az.rect.y + 17.0)} class="az-label">
                        { format!("AZ {}", az.name) }
                        { if is_down { html!{ <tspan class="down-label">{"  ✕ down (outage)"}</tspan> } } else { html!{} } }
                    </text>
                </g> }
            }) }
            { for v.subnets.iter().map(|s| {
                let sf = f.subnets.get(s.id as usize).cloned().unwrap_or_default();
                let (x, y, w, h) = rect_attrs(&s.rect);
                let is_down = down(s.az);
                let kind = if s.public { "public" } else { "private" };
                let found = findings_for(&p.findings, |e| match e {
                    ElementRef::Subnet(name) => name == &s.name,
                    ElementRef::RouteTable(name) => name == &s.route_table,
                    _ => false,
                });
                let tx = s.rect.x + 10.0;
                let name_w = s.name.chars().count() as f64 * 8.6;
                html! { <g class={classes!("subnet", kind, is_down.then_some("down"), selected_subnet(s.id).then_some("selected"))}
                        data-testid={format!("subnet-{}", s.name)}>
                    <title>{ format!("Subnet {} ({kind}), {}: route table {}, {}", s.name, s.cidr, s.route_table, s.route) }</title>
                    <rect x={x.clone()} y={y.clone()} width={w.clone()} height={h.clone()} rx="8" class="subnet-box" />
                    { if is_down { html!{ <rect x={x} y={y} width={w} height={h} rx="8" fill="url(#hatch)" class="down-hatch" /> } } else { html!{} } }
                    <text x={n(tx)} y={n(s.rect.y + 18.0)} class="subnet-name">{ &s.name }</text>
                    <g class={classes!("tag", kind)}>
                        <rect x={n(tx + name_w + 6.0)} y={n(s.rect.y + 5.0)} width={n(kind.len() as f64 * 7.2 + 12.0)} height="18" rx="9" />
                        <text x={n(tx + name_w + 12.0)} y={n(s.rect.y + 18.0)}>{ kind }</text>
                    </g>
                    <text x={n(tx + name_w + kind.len() as f64 * 7.2 + 26.0)} y={n(s.rect.y + 18.0)} class="cidr">{ s.cidr.clone() }</text>
                    <g class={classes!("route", s.igw_route.then_some("igw"))}>
                        { if s.igw_route { html!{ <g class="igw-badge"><rect x={n(tx - 2.0)} y={n(s.rect.y + 25.0)} width="78" height="17" rx="4" /><text x={n(tx + 4.0)} y={n(s.rect.y + 37.5)}>{"IGW route"}</text></g> } } else { html!{} } }
                        <text x={n(tx + if s.igw_route { 84.0 } else { 0.0 })} y={n(s.rect.y + 38.0)} class="route-text">
                            <tspan class="route-main">{ &s.route }</tspan>
                            { for s.gateway_routes.iter().map(|g| html!{ <tspan class="route-gw">{ format!("   {g}") }</tspan> }) }
                        </text>
                    </g>
                    <text x={n(tx + 10.0)} y={n(s.rect.y + 56.0)} class="subnet-figures">
                        <tspan class="c-ok" data-testid={format!("subnet-successes-{}", s.name)} data-value={sf.successes.to_string()}>{ format!("✓ {} ok", count(sf.successes)) }</tspan>
                        <tspan class="c-timeout" data-testid={format!("subnet-timeouts-{}", s.name)} data-value={sf.timeouts.to_string()}>{ format!("  ✕ {} timed out", count(sf.timeouts)) }</tspan>
                    </text>
                    <rect x={n(s.eni.0 - 5.0)} y={n(s.eni.1 - 5.0)} width="10" height="10" class="eni"><title>{ format!("Lambda's network interface (Hyperplane ENI) in {}", s.name) }</title></rect>
                    { badge(s.rect.x + 6.0, s.rect.y + s.rect.h - 26.0, s.rect.w - 12.0, &found) }
                </g> }
            }) }
            { for v.chips.iter().map(|c| {
                let (x, y, w, h) = rect_attrs(&c.rect);
                let stopped = c.subnet.and_then(|s| v.subnet(s)).is_some_and(|s| down(s.az));
                let (class, found, sel) = match &c.kind {
                    ChipKind::Nat { id } => ("nat", findings_for(&p.findings, |e| matches!(e, ElementRef::NatGateway(nm) if c.label.ends_with(nm.as_str()))), p.selection == Selection::Nat(*id)),
                    ChipKind::Resource { .. } => ("resource", vec![], false),
                    ChipKind::InterfaceEndpoint { .. } => ("endpoint", vec![], false),
                    ChipKind::GatewayEndpoint { .. } => ("endpoint gateway", vec![], false),
                };
                let label = if stopped && class == "nat" { format!("{} · stopped", c.label) } else { c.label.clone() };
                let chars = ((c.rect.w - 10.0) / 6.8) as usize;
                let shown: String = if label.chars().count() > chars { label.chars().take(chars.saturating_sub(1)).chain(['…']).collect() } else { label.clone() };
                html! { <g class={classes!("chip", class, stopped.then_some("stopped"), sel.then_some("selected"))} data-testid={format!("chip-{}", c.label.replace(' ', "-"))}>
                    <title>{ label.clone() }</title>
                    <rect x={x} y={y} width={w} height={h} rx="6" />
                    <text x={n(c.rect.x + c.rect.w / 2.0)} y={n(c.rect.y + c.rect.h / 2.0 + 4.5)} text-anchor="middle">{ shown }</text>
                    { badge(c.rect.x, c.rect.y + c.rect.h + 2.0, 150.0, &found) }
                </g> }
            }) }
            { v.igw.as_ref().map(|g| {
                let (x, y, w, h) = rect_attrs(&g.rect);
                let found = findings_for(&p.findings, |e| matches!(e, ElementRef::InternetGateway(_)));
                html! { <g class={classes!("igw", (!g.attached).then_some("detached"))} data-testid="igw">
                    <title>{ if g.attached { format!("Internet gateway {}: the VPC's door to the internet, for addresses with a public IP", g.name) } else { format!("Internet gateway {} is detached: nothing reaches the internet through it", g.name) } }</title>
                    <rect x={x} y={y} width={w} height={h} rx="8" />
                    <text x={n(g.rect.x + g.rect.w / 2.0)} y={n(g.rect.y + 14.0)} text-anchor="middle" class="igw-title">{"IGW"}</text>
                    <text x={n(g.rect.x + g.rect.w / 2.0)} y={n(g.rect.y + 28.0)} text-anchor="middle" class="igw-name">{ if g.attached { g.name.clone() } else { "detached".into() } }</text>
                    { badge(g.rect.x - 40.0, g.rect.y + g.rect.h + 4.0, 160.0, &found) }
                </g> }
            }).unwrap_or_default() }
            { if v.outside.w > 0.0 { html! {
                <g class="outside">
                    <text x={n(v.outside.x + 8.0)} y={n(v.outside.y + 16.0)} class="box-label small">{"outside the VPC"}</text>
                    { for v.destinations.iter().map(|d| {
                        let (x, y, w, h) = rect_attrs(&d.rect);
                        html! { <g class={classes!("dest", if d.internet { "internet" } else { "aws" })}>
                            <title>{ format!("{} ({})", d.label, if d.internet { "on the internet" } else { "AWS service endpoint" }) }</title>
                            <rect x={x} y={y} width={w} height={h} rx="8" />
                            <text x={n(d.rect.x + 8.0)} y={n(d.rect.y + 16.0)} class="dest-kind">{ if d.internet { "internet" } else { "AWS service" } }</text>
                            <text x={n(d.rect.x + 8.0)} y={n(d.rect.y + 32.0)} class="dest-name">{ &d.label }</text>
                        </g> }
                    }) }
                </g>
            } } else { html!{} } }
        </g>
    }
}

/// A smooth line through points (horizontal S-curves between them).
fn curve(pts: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i == 0 {
            d.push_str(&format!("M{} {}", n(x), n(y)));
        } else {
            let (px, py) = pts[i - 1];
            let mx = (px + x) / 2.0;
            d.push_str(&format!(" C{} {} {} {} {} {}", n(mx), n(py), n(mx), n(y), n(x), n(y)));
        }
    }
    d
}

/// Each function's calls from each of its subnets to each destination: a thin line for a path
/// that works, the timeout colour dashed up to the element that drops the packets (with a cross
/// and the reason on hover); while playing, calls in flight travel along them.
fn paths_view(l: &TopologyLayout, v: &VpcLayout, p: &Props, _pal: &Palette) -> Html {
    let f = &*p.frame;
    let _ = v;
    html! {
        <g class="paths">
            { for f.paths.iter().take(60).map(|path| {
                let (pts, failed) = view::path_points(l, path);
                if pts.len() < 2 {
                    return html! {};
                }
                let d = curve(&pts);
                let busy = f.busy_in(path.function, path.subnet);
                let travel = p.playing && !p.reduced_motion && busy > 0;
                let lanes = if travel { (busy as f64 + 1.0).log10().ceil().clamp(1.0, 3.0) as usize } else { 0 };
                let hops: Vec<String> = path.reach.hops().iter().map(|h| h.label()).collect();
                let tip = match path.reach.reason() {
                    Some(r) => format!("✕ {} → {}: dropped. {r}\nPath: {}", p.scenario.functions[path.function as usize].name, path.dest_name, hops.join(" → ")),
                    None => format!("✓ {} → {}\nPath: {}", p.scenario.functions[path.function as usize].name, path.dest_name, hops.join(" → ")),
                };
                let end = *pts.last().expect("two points");
                let subnet_name = path.subnet.and_then(|s| v.subnet(s)).map(|s| s.name.clone()).unwrap_or_else(|| "managed".into());
                html! {
                    <g class={classes!("net-path", if failed { "failing" } else { "ok" })}
                        data-testid={format!("path-{}-{}", subnet_name, path.dest)}>
                        <title>{ tip }</title>
                        <path d={d.clone()} class="path-base" />
                        <path d={d.clone()} class="path-hover" />
                        { for (0..lanes).map(|k| html! {
                            <path d={d.clone()} class="path-travel" pathLength="100"
                                style={format!("animation-delay:-{:.2}s", k as f64 * 0.55)} />
                        }) }
                        { if failed { html! {
                            <g class="drop-mark">
                                <line x1={n(end.0 - 6.0)} y1={n(end.1 - 6.0)} x2={n(end.0 + 6.0)} y2={n(end.1 + 6.0)} />
                                <line x1={n(end.0 - 6.0)} y1={n(end.1 + 6.0)} x2={n(end.0 + 6.0)} y2={n(end.1 - 6.0)} />
                            </g>
                        } } else { html!{} } }
                    </g>
                }
            }) }
        </g>
    }
}
