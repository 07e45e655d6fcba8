//! The topology picture as markup (SVG text), shared by the app's `Topology` component and the
//! widget, and put on the page by `morph` (morph.js), which changes only what differs from
//! the elements already there: a path's travel animation and a hovered element carry on from
//! frame to frame. Markup costs far less code than a virtual DOM tree of the same picture,
//! which matters for the widget's download.

use crate::act::Act;
use crate::format::{clock, count, countf, speed, usd};
use crate::state::Log;
use crate::state::Selection;
use crate::theme::Palette;
use lambdascape_engine::chart::function_hue;
use lambdascape_engine::network::{ElementRef, Finding, Severity};
use lambdascape_engine::scenario::{InvocationType, Scenario};
use lambdascape_engine::sim::{self, Ref};
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_engine::view::{self, fit, text_w, ChipKind, Frame, Label, Rect, TopologyLayout, VpcLayout};
use std::fmt::{self, Display, Write};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/morph.js")]
extern "C" {
    /// Makes `host`'s children match `html`, keeping the elements that stay. Markup names no
    /// style attribute (a strict Content Security Policy refuses them): an element's inline
    /// style is its `data-css`, which morph sets through the CSSOM.
    pub fn morph(host: &web_sys::Element, html: &str);
    /// Sets the inline style `root` and the elements in it name in `data-css` through the CSSOM
    /// (where it changed).
    pub fn css(root: &web_sys::Element);
    /// From now on sets the inline styles in `root` as their `data-css` changes (a mutation
    /// observer, before the page is painted): for the app's components, which render `data-css`.
    pub fn watch(root: &web_sys::Element);
}

// The timeline's icons as SVG paths in a 20x20 box (text glyphs such as ⏮ are missing from many
// fonts): the app's timeline and the widget's.
pub const ICON_HOME: &str = "M4 4h2.5v12H4zM16 4v12L7 10z";
pub const ICON_BACK: &str = "M14 4v12L5 10z";
pub const ICON_PLAY: &str = "M6 3.5v13L16.5 10z";
pub const ICON_PAUSE: &str = "M5 4h3.5v12H5zM11.5 4H15v12h-3.5z";
pub const ICON_FORWARD: &str = "M6 4v12l9-6z";
pub const ICON_END: &str = "M4 4v12l9-6zM13.5 4H16v12h-2.5z";

/// Text or an attribute value, escaped for markup.
pub struct Esc<'a>(pub &'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// A number for an SVG attribute (one decimal).
pub struct N(pub f64);

impl Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

/// What the topology shows.
pub struct TopologyView<'a> {
    pub scenario: &'a Scenario,
    pub layout: &'a TopologyLayout,
    pub frame: &'a Frame,
    pub selection: Selection,
    pub highlight: &'a [Ref],
    pub findings: &'a [Finding],
    pub pal: &'static Palette,
    pub playing: bool,
    pub reduced_motion: bool,
}

/// The selection a `data-select` attribute names (see [`select_attr`]).
pub fn parse_select(code: &str) -> Selection {
    let mut parts =
        code.split(',').map(|p| lambdascape_engine::size::number::parse_uint::<u32>(p).unwrap_or(0));
    Selection::from_code(parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn select_attr(s: Selection) -> String {
    let (kind, id) = s.code();
    format!("{kind},{id}")
}

/// The children of the `.topology` box: the SVG, the canvas for the environment dots (drawn by
/// `components::topology::draw_dots`, kept by `morph`) and the buttons over the picture that
/// select a function, subnet or NAT gateway (their `data-select`), at the layout's size.
pub fn topology(v: &TopologyView) -> String {
    let mut o = String::with_capacity(8192);
    let (f, l, pal) = (v.frame, v.layout, v.pal);
    let (w, h) = (l.width, l.height);
    if w > 0.0 {
        let _ = write!(
            o,
            r#"<svg class="topology-svg" width="{w}" height="{h}" role="img" aria-label="{} functions, {} execution environments"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{}"/></marker></defs>"#,
            l.functions.len(),
            count(f.environments as u64),
            pal.muted
        );
        let cl = l.clients;
        let _ = write!(
            o,
            r#"<g class="clients"><rect x="{}" y="{}" width="{}" height="{}" rx="8" class="clients-box"/><text x="{}" y="{}" class="box-label">clients → requests</text></g>"#,
            N(cl.x),
            N(cl.y),
            N(cl.w),
            N(cl.h),
            N(cl.x + 10.0),
            N(cl.y + 18.0)
        );
        if let Some(vl) = &l.vpc {
            vpc(&mut o, vl, v);
        }
        for b in &l.boxes {
            let _ = write!(
                o,
                r#"<g class="netbox">{}{}</g>"#,
                RectEl(&b.rect, 12, "managed-box"),
                Text(&b.text, "box-label small")
            );
        }
        for n in &l.functions {
            function(&mut o, n, v);
        }
        instances(&mut o, v);
        if l.vpc.is_some() {
            paths(&mut o, v);
        }
        o.push_str("</svg>");
    }
    let _ = write!(
        o,
        r#"<canvas class="dots" data-testid="dots-canvas" data-keep="" data-css="width:{w}px;height:{h}px" aria-hidden="true"></canvas><div class="fn-buttons">"#
    );
    for n in &l.functions {
        let _ = write!(
            o,
            r#"<button class="fn-hit" data-css="left:{}px;top:{}px;width:{}px;height:24px" aria-label="Inspect function {}" data-select="{}"></button>"#,
            N(n.card.x),
            N(n.card.y),
            N(n.card.w.min(260.0)),
            Esc(&n.name),
            select_attr(Selection::Function(n.function))
        );
    }
    for s in l.vpc.iter().flat_map(|v| v.subnets.iter()) {
        let _ = write!(
            o,
            r#"<button class="fn-hit" data-css="left:{}px;top:{}px;width:{}px;height:26px" data-testid="select-subnet-{}" aria-label="Inspect subnet {}" data-select="{}"></button>"#,
            N(s.rect.x),
            N(s.rect.y),
            N((s.rect.w * 0.6).max(40.0)),
            Esc(&s.name),
            Esc(&s.name),
            select_attr(Selection::Subnet(s.id))
        );
    }
    for c in l.vpc.iter().flat_map(|v| v.chips.iter()) {
        if let ChipKind::Nat { id } = c.kind {
            let _ = write!(
                o,
                r#"<button class="fn-hit" data-css="left:{}px;top:{}px;width:{}px;height:{}px" aria-label="Inspect {}" data-select="{}"></button>"#,
                N(c.rect.x),
                N(c.rect.y),
                N(c.rect.w),
                N(c.rect.h),
                Esc(&c.label),
                select_attr(Selection::Nat(id))
            );
        }
    }
    o.push_str("</div>");
    o
}

/// `<rect>` filling a rectangle, with corner radius and class.
struct RectEl<'a>(&'a Rect, u32, &'a str);

impl Display for RectEl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        write!(
            f,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}""#,
            N(r.x),
            N(r.y),
            N(r.w),
            N(r.h),
            self.1
        )?;
        if !self.2.is_empty() {
            write!(f, r#" class="{}""#, self.2)?;
        }
        f.write_str("/>")
    }
}

/// `<text>` of a layout's label, with the full text as its tooltip when it is shortened.
struct Text<'a>(&'a Label, &'a str);

impl Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.0;
        write!(f, r#"<text x="{}" y="{}" class="{}">"#, N(l.x), N(l.y), self.1)?;
        if !l.full.is_empty() {
            write!(f, "<title>{}</title>", Esc(&l.full))?;
        }
        write!(f, "{}</text>", Esc(&l.text))
    }
}

/// An orthogonal line through points.
fn polyline(pts: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, &(x, y)) in pts.iter().enumerate() {
        let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { " L" }, N(x), N(y));
    }
    d
}

/// One function: its request lane, throttle pile and card with figures.
fn function(o: &mut String, n: &view::FunctionNode, v: &TopologyView) {
    let ff = &v.frame.functions[n.function as usize];
    let hue = v.pal.hue(function_hue(n.function as usize));
    let ax = n.pile.x;
    let hl = v.selection == Selection::Function(n.function)
        || v.highlight.contains(&Ref::Function { id: n.function });
    let card = n.card;
    let _ = write!(
        o,
        r#"<g class="function"><line x1="{ax}" y1="{}" x2="{ax}" y2="{}" class="request-path" marker-end="url(#arrow)"/><text x="{}" y="{}" class="path-label">{}/s requests</text>"#,
        N(n.pile.y + 2.0),
        N(card.y - 2.0),
        N(ax + 8.0),
        N(n.pile.y + 14.0),
        countf(ff.requests_per_s)
    );
    if ff.throttled_per_s > 0.0 {
        // Cross marks piling up in the arrival lane, one per doubling of the throttle rate:
        // throttled requests bounce off the function here.
        let marks = ((ff.throttled_per_s + 1.0).log2().ceil() as usize).clamp(1, 12);
        let (x0, y) = (n.pile.x + 14.0, n.pile.y + 30.0);
        let _ = write!(o, r#"<g class="pile">"#);
        for i in 0..marks {
            let cx = x0 + i as f64 * 10.0;
            let _ = write!(
                o,
                r#"<g stroke="{}" stroke-width="2" aria-hidden="true"><line x1="{}" y1="{}" x2="{}" y2="{}"/><line x1="{}" y1="{}" x2="{}" y2="{}"/></g>"#,
                v.pal.vermillion,
                N(cx - 3.5),
                N(y - 3.5),
                N(cx + 3.5),
                N(y + 3.5),
                N(cx - 3.5),
                N(y + 3.5),
                N(cx + 3.5),
                N(y - 3.5)
            );
        }
        // A synchronous caller gets the 429; an asynchronous event or a queued message was
        // already accepted, and Lambda retries it.
        let func = v.scenario.functions.get(n.function as usize);
        let sync = func.is_none_or(|f| f.source.is_none() && f.invocation == InvocationType::Sync);
        // As much of it as fits beside the pile, within the card's width (the full text is
        // its tooltip).
        let at = x0 + marks as f64 * 10.0 + 4.0;
        let rate = countf(ff.throttled_per_s);
        let full =
            format!("{rate}/s {}", if sync { "throttled (429)" } else { "attempts throttled (retried)" });
        let room = card.x + card.w - at;
        let shown = [full.clone(), format!("{rate}/s throttled"), format!("{rate}/s")]
            .into_iter()
            .find(|t| text_w(t, 13.0, true) <= room)
            .unwrap_or_else(|| format!("{rate}/s"));
        let _ = write!(
            o,
            r#"<text x="{}" y="{}" class="path-label throttled"><title>{}</title>{}</text></g>"#,
            N(at),
            N(y + 5.0),
            Esc(&full),
            Esc(&shown)
        );
    }
    let _ = write!(
        o,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" class="fn-card{}" stroke="{hue}"/>{}"#,
        N(card.x),
        N(card.y),
        N(card.w),
        N(card.h),
        if hl { " highlight" } else { "" },
        Text(&n.label, "fn-name")
    );
    let mut end = n.label.x + n.label.w();
    if let Some(r) = ff.reserved {
        let text = format!("reserved {}", count(r as u64));
        let _ =
            write!(o, r#"<text x="{}" y="{}" class="fn-badge">{text}</text>"#, N(end + 10.0), N(n.label.y));
        end += 10.0 + text_w(&text, 13.0, true);
    }
    let throttled = format!("✕ {} throttled", count(ff.throttles));
    let tw = text_w(&throttled, 14.0, false);
    // Only where it fits beside the name (the pile in the lane shows the throttles too).
    if ff.throttles > 0 && end + 10.0 + tw <= card.x + card.w - 10.0 {
        let _ = write!(
            o,
            r#"<text x="{}" y="{}" class="fn-figures c-throttle">{throttled}</text>"#,
            N(card.x + card.w - 10.0 - tw),
            N(card.y + 19.0)
        );
    }
    if let Some(b) = n.badge {
        let found = findings_for(v.findings, |e| matches!(e, ElementRef::Function(nm) if nm == &n.name));
        badge(o, b, &found);
    }
    let _ = write!(
        o,
        r#"<text x="{}" y="{}" class="fn-figures"><tspan class="c-busy">● {} busy</tspan><tspan class="c-idle">   ○ {} idle</tspan>"#,
        N(card.x + 10.0),
        N(card.y + 38.0),
        count(ff.busy as u64),
        count(ff.idle as u64)
    );
    if v.layout.vpc.is_none() || ff.initializing > 0 {
        // SnapStart's new environments resume from the snapshot: a restore, not an init.
        let what = if ff.snapstart { "restoring" } else { "starting" };
        let _ = write!(o, r#"<tspan class="c-init">   ◌ {} {what}</tspan>"#, count(ff.initializing as u64));
    }
    o.push_str("</text>");
    if let Some(row) = n.row {
        multi_row(o, ff, row);
    }
    o.push_str("</g>");
}

/// A multi-concurrency function's card row: its slots in use (and instances), and the
/// requests waiting for a slot as a badge on the right.
fn multi_row(o: &mut String, ff: &view::FunctionFrame, row: Rect) {
    let y = row.y + row.h / 2.0 + 5.0;
    let _ = write!(
        o,
        r#"<text x="{}" y="{}" class="fn-figures fn-slots" data-testid="fn-slots">"#,
        N(row.x + 4.0),
        N(y)
    );
    // The instances are drawn in their subnets (and counted in the inspector): the row says
    // how full the environments are, like their dots.
    let _ = write!(
        o,
        r#"<tspan class="c-busy">◔ {} of {} slots in use</tspan></text>"#,
        count(ff.load as u64),
        count(ff.capacity as u64)
    );
    if ff.queued > 0 {
        // Next to the row's text, or at the row's right end on a narrow card.
        let text = format!("{} waiting", count(ff.queued as u64));
        let w = text.chars().count() as f64 * 7.2 + 14.0;
        let said = format!("◔ {} of {} slots in use", count(ff.load as u64), count(ff.capacity as u64));
        let x = (row.x + 4.0 + said.chars().count() as f64 * 7.4 + 10.0).min(row.x + row.w - w);
        let _ = write!(
            o,
            r#"<g class="queue-badge" data-testid="queue-badge" data-value="{}"><title>{} requests are waiting for a free slot or a new environment (Web Functions queue instead of throttling); their wait counts in their latency</title><rect x="{}" y="{}" width="{}" height="{}" rx="9"/><text x="{}" y="{}">{}</text></g>"#,
            ff.queued,
            count(ff.queued as u64),
            N(x),
            N(row.y + 1.0),
            N(w),
            N(row.h - 2.0),
            N(x + 7.0),
            N(y - 0.5),
            Esc(&text)
        );
    }
}

/// The Managed Instances instances: a box each inside its subnet, holding its environments'
/// dots (drawn on the canvas); a launching one dashed.
fn instances(o: &mut String, v: &TopologyView) {
    let boxes = view::instance_boxes(v.layout, v.frame);
    if boxes.is_empty() {
        return;
    }
    o.push_str(r#"<g class="instances">"#);
    for b in &boxes {
        let subnet = v
            .scenario
            .vpc
            .as_ref()
            .map(|vpc| vpc.subnet_name(lambdascape_engine::network::SubnetId(b.subnet)).to_string())
            .unwrap_or_default();
        let state = if b.ready { "" } else { " launching" };
        let _ = write!(
            o,
            r#"<g class="instance{state}" data-testid="instance"><title>Managed Instances instance #{} in subnet {}: {} environment{}{}</title>{}"#,
            b.serial,
            Esc(&subnet),
            b.envs,
            if b.envs == 1 { "" } else { "s" },
            if b.ready { "" } else { " (launching: it holds environments once ready)" },
            RectEl(&b.rect, 4, "instance-box")
        );
        if b.labelled {
            let label = match (b.rect.w >= 96.0, b.ready) {
                (true, true) => format!("instance #{}", b.serial),
                (true, false) => format!("#{} launching…", b.serial),
                (false, _) => format!("#{}", b.serial),
            };
            let _ = write!(
                o,
                r#"<text x="{}" y="{}" class="instance-label">{}</text>"#,
                N(b.rect.x + 4.0),
                N(b.rect.y + 10.5),
                Esc(&label)
            );
        }
        o.push_str("</g>");
    }
    o.push_str("</g>");
}

/// The advisor findings that name an element (by kind and name).
fn findings_for(all: &[Finding], hit: impl Fn(&ElementRef) -> bool) -> Vec<&Finding> {
    all.iter().filter(|f| f.severity >= Severity::Warning && f.elements.iter().any(&hit)).collect()
}

/// A small warning badge with the finding's title (the full text on hover, details in the
/// inspector when the element is clicked).
fn badge(o: &mut String, at: Rect, found: &[&Finding]) {
    let Some(first) = found.first() else { return };
    let (x, y) = (at.x, at.y);
    let err = found.iter().any(|f| f.severity == Severity::Error);
    let more = if found.len() > 1 { format!(" (+{})", found.len() - 1) } else { String::new() };
    let room = at.w - 26.0 - text_w(&format!("⚠ {more}"), 12.0, true);
    let text = format!("{}{more}", fit(&first.title, 12.0, true, room));
    let w = (text_w(&format!("⚠ {text}"), 12.0, true) + 18.0).min(at.w);
    let tip: Vec<String> = found.iter().map(|f| format!("{}: {}", f.title, f.why)).collect();
    let _ = write!(
        o,
        r#"<g class="advice{}" data-testid="advice-badge"><title>{}</title><rect x="{}" y="{}" width="{}" height="20" rx="10"/><text x="{}" y="{}">⚠ {}</text></g>"#,
        if err { " error" } else { "" },
        Esc(&tip.join("\n\n")),
        N(x),
        N(y),
        N(w),
        N(x + 8.0),
        N(y + 14.5),
        Esc(&text)
    );
}

/// The VPC's structure: AZ columns, subnets (tag, routes, figures), chips, the internet
/// gateway, destinations outside and the functions' attachment lines.
fn vpc(o: &mut String, vl: &VpcLayout, v: &TopologyView) {
    let f = v.frame;
    let down = |az: u32| f.azs_down.contains(&az);
    let _ = write!(
        o,
        r#"<g class="vpc" data-testid="vpc-view"><defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" class="hatch-line"/></pattern></defs>{}{}{}"#,
        RectEl(&vl.rect, 12, "vpc-box"),
        Text(&vl.label, "box-label"),
        Text(&vl.cidr_label, "muted-small")
    );
    // Functions' attachment lines (their ENIs in each subnet), under everything else.
    for a in &vl.attachments {
        let _ = write!(
            o,
            r#"<path class="attach" stroke="{}" d="{}"/>"#,
            v.pal.hue(function_hue(a.function as usize)),
            polyline(&a.route)
        );
    }
    for az in &vl.azs {
        let is_down = down(az.id);
        let _ = write!(
            o,
            r#"<g class="az{}">{}{}"#,
            if is_down { " down" } else { "" },
            RectEl(&az.rect, 10, "az-box"),
            Text(&az.label, "az-label")
        );
        if is_down {
            // After the name, in as many words as fit.
            let x = az.label.x + az.label.w() + 8.0;
            let room = az.rect.x + az.rect.w - 8.0 - x;
            let said = ["✕ down (outage)", "✕ down"]
                .into_iter()
                .find(|t| text_w(t, 13.0, true) <= room)
                .unwrap_or("");
            let _ = write!(
                o,
                r#"<text x="{}" y="{}" class="az-label down-label">{said}</text>"#,
                N(x),
                N(az.label.y)
            );
        }
        o.push_str("</g>");
    }
    for s in &vl.subnets {
        subnet(o, s, v, down(s.az));
    }
    for c in &vl.chips {
        let stopped = c.subnet.and_then(|s| vl.subnet(s)).is_some_and(|s| down(s.az));
        let (class, found, sel) = match &c.kind {
            ChipKind::Nat { id } => (
                "nat",
                findings_for(
                    v.findings,
                    |e| matches!(e, ElementRef::NatGateway(nm) if c.label.ends_with(nm.as_str())),
                ),
                v.selection == Selection::Nat(*id),
            ),
            ChipKind::Resource { .. } => ("resource", vec![], false),
            ChipKind::InterfaceEndpoint { .. } => ("endpoint", vec![], false),
            ChipKind::GatewayEndpoint { .. } => ("endpoint gateway", vec![], false),
        };
        let nat_stopped = stopped && class == "nat";
        let label = if nat_stopped { format!("{} · stopped", c.label) } else { c.label.clone() };
        let shown = if nat_stopped { fit(&label, 12.0, true, c.rect.w - 10.0) } else { c.text.text.clone() };
        let x = c.rect.x + (c.rect.w - text_w(&shown, 12.0, true)) / 2.0;
        let _ = write!(
            o,
            r#"<g class="chip {class}{}{}" data-testid="chip-{}"><title>{}</title>{}<text x="{}" y="{}">{}</text>"#,
            if stopped { " stopped" } else { "" },
            if sel { " selected" } else { "" },
            Esc(&c.label.replace(' ', "-")),
            Esc(&label),
            RectEl(&c.rect, 6, ""),
            N(x),
            N(c.text.y),
            Esc(&shown)
        );
        if let Some(b) = c.badge {
            badge(o, b, &found);
        }
        o.push_str("</g>");
    }
    if let Some(g) = &vl.igw {
        let found = findings_for(v.findings, |e| matches!(e, ElementRef::InternetGateway(_)));
        let tip = if g.attached {
            format!(
                "Internet gateway {}: the VPC's door to the internet, for addresses with a public IP",
                g.name
            )
        } else {
            format!("Internet gateway {} is detached: nothing reaches the internet through it", g.name)
        };
        let _ = write!(
            o,
            r#"<g class="igw{}" data-testid="igw"><title>{}</title>{}{}{}"#,
            if g.attached { "" } else { " detached" },
            Esc(&tip),
            RectEl(&g.rect, 8, ""),
            Text(&g.title, "igw-title"),
            Text(&g.name_label, "igw-name")
        );
        if let Some(b) = g.badge {
            badge(o, b, &found);
        }
        o.push_str("</g>");
    }
    if !vl.destinations.is_empty() {
        let _ = write!(o, r#"<g class="outside">{}"#, Text(&vl.outside_label, "box-label small"));
        for d in &vl.destinations {
            let (class, what) =
                if d.internet { ("internet", "on the internet") } else { ("aws", "AWS service endpoint") };
            let _ = write!(
                o,
                r#"<g class="dest {class}"><title>{} ({what})</title>{}{}{}</g>"#,
                Esc(&d.label),
                RectEl(&d.rect, 8, ""),
                Text(&d.kind_label, "dest-kind"),
                Text(&d.name_label, "dest-name")
            );
        }
        o.push_str("</g>");
    }
    o.push_str("</g>");
}

/// One subnet: its box (hatched when its AZ is down), name, tag, CIDR, routes, figures, ENI
/// and advice badge, where the layout put them.
fn subnet(o: &mut String, s: &view::SubnetNode, v: &TopologyView, is_down: bool) {
    let sf = v.frame.subnets.get(s.id as usize).cloned().unwrap_or_default();
    let kind = if s.public { "public" } else { "private" };
    let found = findings_for(v.findings, |e| match e {
        ElementRef::Subnet(name) => name == &s.name,
        ElementRef::RouteTable(name) => name == &s.route_table,
        _ => false,
    });
    let name = Esc(&s.name);
    let r = s.rect;
    let _ = write!(
        o,
        r#"<g class="subnet {kind}{}{}" data-testid="subnet-{name}"><title>Subnet {name} ({kind}), {}: route table {}, {}</title>{}"#,
        if is_down { " down" } else { "" },
        if v.selection == Selection::Subnet(s.id) { " selected" } else { "" },
        Esc(&s.cidr),
        Esc(&s.route_table),
        Esc(&s.route),
        RectEl(&r, 8, "subnet-box")
    );
    if is_down {
        let _ = write!(
            o,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="url(#hatch)" class="down-hatch"/>"#,
            N(r.x),
            N(r.y),
            N(r.w),
            N(r.h)
        );
    }
    let t = s.tag;
    let _ = write!(
        o,
        r#"{}<g class="tag {kind}"><rect x="{}" y="{}" width="{}" height="{}" rx="9"/><text x="{}" y="{}">{kind}</text></g>{}<g class="route{}">"#,
        Text(&s.name_label, "subnet-name"),
        N(t.x),
        N(t.y),
        N(t.w),
        N(t.h),
        N(t.x + 6.0),
        N(t.y + 13.0),
        Text(&s.cidr_label, "cidr"),
        if s.igw_route { " igw" } else { "" }
    );
    if let Some(b) = s.igw_badge {
        let _ = write!(
            o,
            r#"<g class="igw-badge"><rect x="{}" y="{}" width="{}" height="{}" rx="4"/><text x="{}" y="{}">IGW route</text></g>"#,
            N(b.x),
            N(b.y),
            N(b.w),
            N(b.h),
            N(b.x + 6.0),
            N(b.y + 12.5)
        );
    }
    let _ = write!(o, "{}", Text(&s.route_label, "route-text route-main"));
    for g in &s.gw_labels {
        let _ = write!(o, "{}", Text(g, "route-text route-gw"));
    }
    // The figures in as many words as fit the subnet's width.
    let (ok, out) = (count(sf.successes), count(sf.timeouts));
    let room = r.x + r.w - 8.0 - s.figures.x;
    let long = text_w(&format!("✓ {ok} ok  ✕ {out} timed out"), 13.0, true) <= room;
    let (a, b) = if long { (" ok", format!("  ✕ {out} timed out")) } else { ("", format!("  ✕ {out}")) };
    let _ = write!(
        o,
        r#"</g><text x="{}" y="{}" class="subnet-figures"><tspan class="c-ok" data-testid="subnet-successes-{name}" data-value="{}">✓ {ok}{a}</tspan><tspan class="c-timeout" data-testid="subnet-timeouts-{name}" data-value="{}">{b}</tspan></text><rect x="{}" y="{}" width="10" height="10" class="eni"><title>Lambda's network interface (Hyperplane ENI) in {name}</title></rect>"#,
        N(s.figures.x),
        N(s.figures.y),
        sf.successes,
        sf.timeouts,
        N(s.eni.0 - 5.0),
        N(s.eni.1 - 5.0)
    );
    if let Some(b) = s.badge {
        badge(o, b, &found);
    }
    o.push_str("</g>");
}

/// Each function's calls from each of its subnets to each destination: a thin line for a path
/// that works, the timeout colour dashed up to the element that drops the packets (with a cross
/// and the reason on hover); while playing, calls in flight travel along them.
fn paths(o: &mut String, v: &TopologyView) {
    let (f, l) = (v.frame, v.layout);
    let Some(vl) = &l.vpc else { return };
    o.push_str(r#"<g class="paths">"#);
    for path in f.paths.iter().take(60) {
        let (pts, failed) = view::path_points(l, path);
        if pts.len() < 2 {
            continue;
        }
        let d = polyline(&pts);
        let busy = f.busy_in(path.function, path.subnet);
        let travel = v.playing && !v.reduced_motion && busy > 0;
        let lanes = if travel { (busy as f64 + 1.0).log10().ceil().clamp(1.0, 3.0) as usize } else { 0 };
        let hops: Vec<String> = path.reach.hops().iter().map(|h| h.label()).collect();
        let fname = &v.scenario.functions[path.function as usize].name;
        let tip = match path.reach.reason() {
            Some(r) => format!("✕ {fname} → {}: dropped. {r}\nPath: {}", path.dest_name, hops.join(" → ")),
            None => format!("✓ {fname} → {}\nPath: {}", path.dest_name, hops.join(" → ")),
        };
        let subnet = path.subnet.and_then(|s| vl.subnet(s)).map_or("managed", |s| s.name.as_str());
        let _ = write!(
            o,
            r#"<g class="net-path {}" data-testid="path-{}-{}"><title>{}</title><path d="{d}" class="path-base"/><path d="{d}" class="path-hover"/>"#,
            if failed { "failing" } else { "ok" },
            Esc(subnet),
            path.dest,
            Esc(&tip)
        );
        // Each lane's travel starts its cycle 0.55 s after the last (classes lane1 and lane2:
        // styles.css).
        for k in 0..lanes {
            let _ = write!(
                o,
                r#"<path d="{d}" class="path-travel{}" pathLength="100"/>"#,
                ["", " lane1", " lane2"][k.min(2)]
            );
        }
        if failed {
            let end = pts[pts.len() - 1];
            let _ = write!(
                o,
                r#"<g class="drop-mark"><line x1="{}" y1="{}" x2="{}" y2="{}"/><line x1="{}" y1="{}" x2="{}" y2="{}"/></g>"#,
                N(end.0 - 6.0),
                N(end.1 - 6.0),
                N(end.0 + 6.0),
                N(end.1 + 6.0),
                N(end.0 - 6.0),
                N(end.1 + 6.0),
                N(end.0 + 6.0),
                N(end.1 - 6.0)
            );
        }
        o.push_str("</g>");
    }
    o.push_str("</g>");
}

/// The headline figures of the current instant (also exposed to tests by data-testid).
pub fn figures(f: &Frame, seeking: bool) -> String {
    let busy = f.busy;
    let mut o = String::from(r#"<div class="figures" aria-live="off">"#);
    let mut fig = |id: &str, label: &str, value: &str, raw: &dyn Display, class: &str| {
        let _ = write!(
            o,
            r#"<div class="figure {class}"><span class="figure-value" data-testid="{id}" data-value="{raw}">{value}</span><span class="figure-label">{label}</span></div>"#
        );
    };
    // Multi-concurrency functions are outside the account's concurrency pool: without a
    // function in the pool the limit does not apply and the figure is their requests in flight.
    if f.functions.iter().any(|x| !x.multi) {
        let limit = format!("{} / {}", count(f.concurrency as u64), count(f.limit as u64));
        let label = if f.functions.iter().any(|x| x.multi) {
            "concurrency (account pool)"
        } else {
            "concurrency (in flight)"
        };
        fig("concurrency", label, &limit, &f.concurrency, "fig-busy");
    } else {
        let n: u32 = f.functions.iter().map(|x| x.in_flight).sum();
        fig("concurrency", "requests in flight", &count(n as u64), &n, "fig-busy");
    }
    fig("environments", "environments", &count(f.environments as u64), &f.environments, "");
    fig("busy", "busy ●", &count(busy as u64), &busy, "fig-busy");
    fig("idle", "idle (warm) ○", &count(f.idle as u64), &f.idle, "fig-idle");
    // SnapStart's cold starts are restores from the snapshot: said so.
    let all_snap = !f.functions.is_empty() && f.functions.iter().all(|x| x.snapstart);
    let starting = if all_snap { "restoring ◌" } else { "cold starting ◌" };
    fig("initializing", starting, &count(f.initializing as u64), &f.initializing, "fig-init");
    fig("throttles", "throttled so far ✕", &count(f.throttles), &f.throttles, "fig-throttle");
    let cold = if all_snap {
        "cold starts (restores) so far".to_string()
    } else if f.restores > 0 {
        format!("cold starts so far ({} restores)", count(f.restores))
    } else {
        "cold starts so far".to_string()
    };
    fig("cold-starts", &cold, &count(f.cold_starts), &f.cold_starts, "");
    fig("cost", "cost so far", &usd(f.cost_usd), &format_args!("{:.6}", f.cost_usd), "");
    if seeking {
        o.push_str(r#"<span class="seeking" role="status">seeking…</span>"#);
    }
    o.push_str("</div>");
    o
}

/// The narrative log's heading and entries up to now, newest at the bottom (the inside of its
/// `<section class="narrative">`); `empty` is what it says before anything happened. Each entry
/// is a button with `data-act="show"` and its index in the whole narrative as `data-value`.
pub fn narrative(log: &Log, highlighted: Option<usize>, empty: &str) -> String {
    let mut o = String::from(r#"<h2>What happened</h2><ol class="log" data-testid="narrative">"#);
    if log.entries.is_empty() {
        let _ = write!(o, r#"<li class="log-empty">{}</li>"#, Esc(empty));
    }
    for (i, e) in log.entries.iter().enumerate() {
        let idx = log.first + i;
        let (sev, mark) = match e.severity {
            sim::Severity::Info => ("info", "•"),
            sim::Severity::Warning => ("warning", "▲"),
            sim::Severity::Error => ("error", "✕"),
        };
        let t = clock(e.time);
        let text = Esc(&e.text);
        let _ = write!(
            o,
            r#"<li class="log-entry {sev}{}"><button data-act="{}" data-value="{idx}" aria-label="{t} sim: {text}. Show this moment"><span class="log-mark" aria-hidden="true">{mark}</span><time>{t}</time><span class="log-text">{text}</span></button></li>"#,
            if highlighted == Some(idx) { " selected" } else { "" },
            Act::Show,
        );
    }
    o.push_str("</ol>");
    o
}

/// An icon: an SVG path in a 20x20 box, drawn `.1` pixels wide.
pub struct Icon<'a>(pub &'a str, pub u32);

impl Display for Icon<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.1;
        write!(
            f,
            r#"<svg width="{s}" height="{s}" viewBox="0 0 20 20" aria-hidden="true"><path fill="currentColor" d="{}"></path></svg>"#,
            self.0
        )
    }
}

/// The play/pause button (`data-act="play"`); `keys`: its label names the key (space).
pub fn play_button(playing: bool, keys: bool, size: u32) -> String {
    let (label, icon) = if playing { ("Pause", ICON_PAUSE) } else { ("Play", ICON_PLAY) };
    let key = if keys { " (space)" } else { "" };
    format!(
        r#"<button class="tl-button tl-play" aria-label="{label}{key}" title="{label}{key}" data-testid="play" data-act="{}" aria-pressed="{playing}">{}</button>"#,
        Act::Play,
        Icon(icon, size)
    )
}

/// The time: "00:03:12 / 00:30:00 sim".
pub fn time(now: Micros, horizon: Micros) -> String {
    format!(
        r#"<span class="tl-time" data-testid="sim-time" data-now-us="{now}" aria-live="off"><span class="tl-now">{}</span><span class="tl-total"> / {} sim</span></span>"#,
        clock(now),
        clock(horizon)
    )
}

/// What the timeline shows.
pub struct TimelineView {
    pub now: Micros,
    pub horizon: Micros,
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// One step (the sample interval).
    pub step: Micros,
    /// Whether the labels name the keyboard shortcuts (the app has them, the widget not).
    pub keys: bool,
}

/// The inside of the timeline (`<section class="timeline">`): play/pause, steps, jump to
/// start/end (buttons with `data-act` = `home`, `step-back`, `play`, `step-forward`, `end`), the
/// time, the scrub bar (`data-act="scrub"`, seconds) and the speed on a log slider
/// (`data-act="speed"`, log10 of 0.1× to 1000×).
pub fn timeline(v: &TimelineView) -> String {
    let secs = |t: Micros| t as f64 / MICROS_PER_SEC as f64;
    let button = |label: &str, key: &str, icon: &str, act: Act| {
        let key = if v.keys { key } else { "" };
        format!(
            r#"<button class="tl-button" aria-label="{label}{key}" title="{label}{key}" data-testid="{act}" data-act="{act}">{}</button>"#,
            Icon(icon, 20)
        )
    };
    format!(
        r#"<div class="tl-buttons">{}{}{}{}{}</div>{}<input class="tl-scrub" type="range" aria-label="Simulated time" data-testid="scrub" data-act="{}" min="0" max="{}" step="{}" value="{}" aria-valuetext="{} sim"><label class="tl-speed"><span>speed</span><input type="range" aria-label="Playback speed" data-testid="speed" data-act="{}" min="-1" max="3" step="0.01" value="{}" aria-valuetext="{} real time"><output class="tl-speed-value" data-testid="speed-value">{}</output></label>"#,
        button("Back to the start", " (Home)", ICON_HOME, Act::Home),
        button("Step back", " (left arrow)", ICON_BACK, Act::StepBack),
        play_button(v.playing, v.keys, 20),
        button("Step forward", " (right arrow)", ICON_FORWARD, Act::StepForward),
        button("Jump to the end", " (End)", ICON_END, Act::End),
        time(v.now, v.horizon),
        Act::Scrub,
        secs(v.horizon),
        secs(v.step).max(0.001),
        secs(v.now),
        clock(v.now),
        Act::Speed,
        v.speed.log10(),
        speed(v.speed),
        speed(v.speed)
    )
}
