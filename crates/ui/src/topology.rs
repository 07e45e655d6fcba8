//! Drawing the topology's environment dots on a canvas over the markup (thousands of dots stay
//! cheap: no DOM per dot), and what a click or a tap on the picture selects. Shared by the app's
//! `Topology` component and the widget.

use crate::markup;
use crate::state::{now_ms, Selection};
use crate::theme::Palette;
use lambdascape_engine::sim::Ref;
use lambdascape_engine::view::{self, DotKind, Frame, Hit, TopologyLayout};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Draws every environment dot: busy filled, idle hollow, initializing a (pulsing) ring,
/// provisioned as squares; a multi-concurrency environment as a ring (its state's colour) with
/// a wedge filled as far as it is full ([`Dot::fill`]); the selected and highlighted ones get a
/// ring.
pub fn draw_dots(
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
    for area in view::dot_areas(layout, frame) {
        let shown = area.shown();
        let (grid, dots) = (area.grid, &shown[..]);
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
                if d.kind != kind || d.provisioned != provisioned || (!tiny && d.fill().is_some()) {
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
        if !tiny {
            draw_multi(&ctx, grid, dots, pal, pulse);
        }
        if area.per > 1 {
            // What a dot stands for, under the last row of dots (or over the area's foot).
            let rows = dots.len().div_ceil(grid.cols) as f64;
            let y = (grid.y0 + rows * c + 11.0).min(area.rect.y + area.rect.h - 2.0);
            let (text, right) =
                (format!("each dot: {} environments", area.per), area.rect.x + area.rect.w - 2.0);
            ctx.set_font("11px system-ui, sans-serif");
            let w = ctx.measure_text(&text).map(|m| m.width()).unwrap_or(0.0);
            ctx.set_fill_style_str(pal.surface);
            ctx.set_global_alpha(0.85);
            ctx.fill_rect(right - w - 3.0, y - 13.0, w + 5.0, 14.0);
            ctx.set_global_alpha(1.0);
            ctx.set_text_align("right");
            ctx.set_text_baseline("bottom");
            ctx.set_fill_style_str(pal.muted);
            let _ = ctx.fill_text(&text, right, y);
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

/// How a multi-concurrency environment's dot is drawn: a ring of radius `ring` and width
/// `width` in its state's colour, and a wedge of radius `wedge` from 12 o'clock clockwise
/// through `sweep` radians (a full disc when full, none when empty).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MultiDot {
    pub ring: f64,
    pub width: f64,
    pub wedge: f64,
    pub sweep: f64,
}

/// The look of a multi-concurrency dot in a cell of `cell` pixels, `fill` full (0 to 1).
pub fn multi_dot(cell: f64, fill: f64) -> MultiDot {
    let width = (cell * 0.09).clamp(1.0, 2.5);
    let ring = (cell * 0.44 - width / 2.0).max(1.0);
    // The wedge stays inside the ring with a hair of background between them.
    let wedge = (ring - width / 2.0 - 1.0).max(0.5);
    MultiDot { ring, width, wedge, sweep: fill.clamp(0.0, 1.0) * std::f64::consts::TAU }
}

/// The multi-concurrency environments of an area: rings by state, then the fill wedges.
fn draw_multi(
    ctx: &CanvasRenderingContext2d,
    grid: view::Grid,
    dots: &[view::Dot],
    pal: &Palette,
    pulse: f64,
) {
    let tau = std::f64::consts::TAU;
    let top = -tau / 4.0;
    if !dots.iter().any(|d| d.fill().is_some()) {
        return;
    }
    let look = multi_dot(grid.cell, 0.0);
    for (kind, colour) in
        [(DotKind::Busy, pal.blue), (DotKind::Idle, pal.green), (DotKind::Initializing, pal.orange)]
    {
        ctx.begin_path();
        let mut any = false;
        for (i, d) in dots.iter().enumerate() {
            if d.kind != kind || d.fill().is_none() {
                continue;
            }
            any = true;
            let (x, y) = grid.center(i);
            let rr = if kind == DotKind::Initializing { look.ring * pulse.min(1.1) } else { look.ring };
            ctx.move_to(x + rr, y);
            let _ = ctx.arc(x, y, rr, 0.0, tau);
        }
        if any {
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(look.width);
            ctx.stroke();
        }
    }
    ctx.begin_path();
    for (i, d) in dots.iter().enumerate() {
        let Some(fill) = d.fill() else { continue };
        let m = multi_dot(grid.cell, fill);
        if m.sweep <= 0.0 {
            continue;
        }
        let (x, y) = grid.center(i);
        if m.sweep >= tau - 1e-9 {
            ctx.move_to(x + m.wedge, y);
            let _ = ctx.arc(x, y, m.wedge, 0.0, tau);
        } else {
            ctx.move_to(x, y);
            let _ = ctx.arc(x, y, m.wedge, top, top + m.sweep);
            ctx.close_path();
        }
    }
    ctx.set_fill_style_str(pal.blue);
    ctx.fill();
}

/// The environments drawn with a ring: those a narrative entry names and the selected one.
pub fn marked_envs(highlight: &[Ref], selection: Selection) -> Vec<u32> {
    let named =
        highlight.iter().filter_map(|r| if let Ref::Env { serial } = r { Some(*serial) } else { None });
    let selected = if let Selection::Env(s) = selection { Some(s) } else { None };
    named.chain(selected).collect()
}

/// How much a cold start's ring is scaled now: it pulses gently (1.5 times a second) unless
/// motion is reduced.
pub fn pulse(reduced_motion: bool) -> f64 {
    if reduced_motion {
        1.0
    } else {
        1.0 + 0.22 * (now_ms() / 1000.0 * std::f64::consts::TAU * 1.5).sin()
    }
}

/// What a click on one of the buttons over the picture selects (their `data-select`).
pub fn select_target(target: &web_sys::Element) -> Option<Selection> {
    let b = target.closest("[data-select]").ok().flatten()?;
    Some(markup::parse_select(&b.get_attribute("data-select")?))
}

/// What a click at (x, y) in the picture selects.
pub fn hit(layout: &TopologyLayout, frame: &Frame, x: f64, y: f64) -> Selection {
    match view::hit_test(layout, frame, x, y) {
        Some(Hit::Env { serial }) => Selection::Env(serial),
        Some(Hit::Function { id }) => Selection::Function(id),
        Some(Hit::Subnet { id }) => Selection::Subnet(id),
        Some(Hit::Nat { id }) => Selection::Nat(id),
        None => Selection::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdascape_engine::scenario::ScenarioSpec;
    use lambdascape_engine::sim::{Options, Simulation};
    use lambdascape_engine::time::MICROS_PER_SEC;
    use lambdascape_engine::view::{Dot, InstanceBox, Rect, NO_INSTANCE};

    fn sim(text: &str) -> Simulation {
        let sc = ScenarioSpec::parse_and_validate(text).unwrap();
        let seed = sc.spec.seed;
        Simulation::with_seed(sc, seed, Options { checkpoints: true, ..Default::default() })
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    }

    fn inside(outer: &Rect, r: &Rect) -> bool {
        let e = 1e-9;
        r.x >= outer.x - e
            && r.y >= outer.y - e
            && r.x + r.w <= outer.x + outer.w + e
            && r.y + r.h <= outer.y + outer.h + e
    }

    #[test]
    fn a_multi_dot_fills_as_far_as_its_load() {
        let dot = |load, slots| Dot {
            serial: 1,
            function: 0,
            kind: DotKind::Busy,
            provisioned: false,
            subnet: None,
            slots,
            load,
            instance: NO_INSTANCE,
        };
        assert_eq!(dot(1, 1).fill(), None, "one request at a time: its kind says it all");
        assert_eq!(dot(0, 64).fill(), Some(0.0));
        assert_eq!(dot(16, 64).fill(), Some(0.25));
        assert_eq!(dot(64, 64).fill(), Some(1.0));
        let tau = std::f64::consts::TAU;
        for cell in [6.0, 12.0, 18.0, 30.0] {
            let quarter = multi_dot(cell, 0.25);
            assert!((quarter.sweep - tau / 4.0).abs() < 1e-12);
            assert_eq!(multi_dot(cell, 1.0).sweep, tau);
            assert_eq!(multi_dot(cell, 0.0).sweep, 0.0);
            // The ring stays in its cell, the wedge inside the ring.
            assert!(quarter.ring + quarter.width / 2.0 <= cell / 2.0 + 1e-9, "cell {cell}");
            assert!(quarter.wedge < quarter.ring - quarter.width / 2.0, "cell {cell}");
        }
        // At the app's default sizes the wedge is legible: at least 4 px across.
        assert!(multi_dot(18.0, 0.5).wedge * 2.0 >= 4.0);
    }

    #[test]
    fn instances_are_boxes_in_their_subnets_holding_their_environments() {
        let mut sim = sim(include_str!("../../../tests/scenarios/managed-instances-doubling.json"));
        let mut seen_boxes = 0;
        for t in [0, 60, 300, 660, 720, 900, 1200, 1790] {
            sim.seek(t * MICROS_PER_SEC);
            let frame = Frame::capture(&sim);
            for (w, h) in [(900.0, 520.0), (1400.0, 700.0), (600.0, 420.0)] {
                let layout = view::layout_topology(sim.scenario(), w, h);
                let vl = layout.vpc.as_ref().unwrap();
                let boxes: Vec<InstanceBox> = view::instance_boxes(&layout, &frame);
                assert_eq!(boxes.len(), frame.instances.len(), "every instance has its box (t={t})");
                seen_boxes += boxes.len();
                for b in &boxes {
                    let s = vl.subnet(b.subnet).unwrap();
                    assert!(
                        inside(&s.dots, &b.rect),
                        "instance #{} inside its subnet's area at {w}x{h}",
                        b.serial
                    );
                    assert!(inside(&b.rect, &b.inner));
                    let inst = frame.instances.iter().find(|i| i.serial == b.serial).unwrap();
                    assert_eq!(inst.subnet, Some(b.subnet));
                }
                for (i, a) in boxes.iter().enumerate() {
                    for b in &boxes[i + 1..] {
                        assert!(
                            !overlap(&a.rect, &b.rect),
                            "#{} and #{} overlap at {w}x{h}",
                            a.serial,
                            b.serial
                        );
                    }
                }
                // Each instance's environments are drawn in its box, and a click there finds them.
                let areas = view::dot_areas(&layout, &frame);
                let drawn: usize = areas.iter().map(|a| a.dots.len()).sum();
                assert_eq!(drawn, frame.environments as usize, "every environment is drawn once");
                for b in &boxes {
                    let area = areas.iter().find(|a| a.rect == b.inner).expect("an area per box");
                    assert_eq!(area.dots.len() as u32, b.envs, "instance #{}", b.serial);
                    for (k, d) in area.dots.iter().enumerate() {
                        assert_eq!(d.instance, b.serial);
                        let (x, y) = area.grid.center(k);
                        assert!(b.inner.contains(x, y), "env #{} in instance #{}'s box", d.serial, b.serial);
                        assert_eq!(hit(&layout, &frame, x, y), Selection::Env(d.serial));
                    }
                }
            }
        }
        assert!(seen_boxes > 0);
    }

    #[test]
    fn a_web_functions_queue_is_a_badge_on_its_card() {
        let mut sim = sim(include_str!("../../../tests/scenarios/web-queue-then-throttle.json"));
        let mut queued_at = None;
        for t in 0..60 {
            sim.seek(t * MICROS_PER_SEC + MICROS_PER_SEC / 2);
            let f = Frame::capture(&sim);
            if f.functions[0].queued > 0 {
                queued_at = Some(f);
                break;
            }
        }
        let frame = queued_at.expect("the Web Function queues requests at some point");
        let ff = &frame.functions[0];
        assert!(ff.multi && ff.load <= ff.capacity);
        let layout = view::layout_topology(sim.scenario(), 900.0, 500.0);
        let node = &layout.functions[0];
        let row = node.row.expect("a multi-concurrency card has its row");
        assert!(inside(&node.card, &row) && row.y + row.h <= node.dots.y, "the row is above the dots");
        let v = markup::TopologyView {
            scenario: sim.scenario(),
            layout: &layout,
            frame: &frame,
            selection: Selection::None,
            highlight: &[],
            findings: &[],
            pal: &crate::theme::LIGHT,
            playing: false,
            reduced_motion: true,
        };
        let html = markup::topology(&v);
        assert!(html.contains(&format!(r#"data-testid="queue-badge" data-value="{}""#, ff.queued)), "{html}");
        assert!(html.contains("waiting"));
        assert!(html.contains(&format!("{} of {} slots in use", ff.load, ff.capacity)));
        // Environments are large dots, few per card.
        let areas = view::dot_areas(&layout, &frame);
        assert!(areas[0].grid.cell > 18.0, "{}", areas[0].grid.cell);
    }
}
