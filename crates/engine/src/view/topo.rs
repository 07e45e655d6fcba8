//! The VPC topology's layout: every box sized to its text (or its text shortened at a word
//! boundary, the full text kept for a tooltip), the internet gateway and the outside world
//! outside the VPC's border, and the lines routed around the boxes they do not connect, each in
//! a lane of its own where they share a gap ([`route`]; the gaps the lines from the function
//! cards pass through widened for them). Left to right as calls flow when the view is wide
//! enough (functions, the VPC, its gateways, the outside), else stacked top to bottom; the
//! picture grows taller than the view when its content needs more room than the view has.

use super::route::{route, simplify, LANE};
use super::*;
use crate::network::{ElementRef, NetworkHealth, Severity};

/// Width of `text` at `size` pixels (bold a little wider), from the charts' estimate with the
/// symbols the topology uses (arrows, marks) at their real width.
pub fn text_w(text: &str, size: f64, bold: bool) -> f64 {
    let wide = text.chars().filter(|c| matches!(c, '→' | '✓' | '✕' | '●' | '○' | '◌' | '◔' | '⚠')).count();
    (crate::chart::axis::text_width(text, size) + wide as f64 * 0.4 * size) * if bold { 1.1 } else { 1.02 }
}

/// `text` whole if it fits in `max_w`, else shortened with "…", at a word boundary when one
/// keeps at least half of what fits.
pub fn fit(text: &str, size: f64, bold: bool, max_w: f64) -> String {
    if text_w(text, size, bold) <= max_w {
        return text.to_string();
    }
    let room = max_w - text_w("…", size, bold);
    let mut kept = String::new();
    for c in text.chars() {
        kept.push(c);
        if text_w(&kept, size, bold) > room {
            kept.pop();
            break;
        }
    }
    let word = kept.rfind([' ', '-', '_', '.', '/', ':', ',']).filter(|&i| i * 2 >= kept.len());
    if let Some(i) = word {
        kept.truncate(i);
    }
    let kept = kept.trim_end_matches([' ', '-', '_', '.', '/', ':', ',']);
    if kept.is_empty() {
        return String::new();
    }
    format!("{kept}…")
}

/// One line of text in the picture: what is shown (maybe shortened), the full text when it was
/// shortened (for a `<title>`), its left end and baseline, its size and weight.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Label {
    pub text: String,
    /// The full text when `text` is shortened; empty otherwise.
    pub full: String,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub bold: bool,
}

impl Label {
    /// `text` at (x, baseline y), shortened to `max_w`.
    pub fn new(text: &str, x: f64, y: f64, size: f64, bold: bool, max_w: f64) -> Label {
        let shown = fit(text, size, bold, max_w);
        let full = if shown == text { String::new() } else { text.to_string() };
        Label { text: shown, full, x, y, size, bold }
    }
    /// Its width by [`text_w`].
    pub fn w(&self) -> f64 {
        text_w(&self.text, self.size, self.bold)
    }
    /// The box its glyphs take (ascent 0.8, descent 0.2 of its size).
    pub fn rect(&self) -> Rect {
        Rect { x: self.x, y: self.y - 0.8 * self.size, w: self.w(), h: self.size }
    }
}

/// Padding inside the VPC and AZ boxes, the gaps between AZs and between subnets (wide enough
/// for lines along them).
const PAD: f64 = 12.0;
const AZ_GAP: f64 = 18.0;
const SUB_GAP: f64 = 14.0;
/// The narrowest subnet, and the room a line needs beside a box.
const SUB_MIN: f64 = 150.0;
/// Width of the gateways' column (internet gateway, gateway endpoints) right of the VPC.
const SIDE_W: f64 = 96.0;
/// Height of an advice badge's row.
const BADGE: f64 = 24.0;

/// Which elements the advisor warns about (each gets room for its badge).
struct Warned(Vec<Finding>);

impl Warned {
    fn any(&self, hit: impl Fn(&ElementRef) -> bool) -> bool {
        self.0.iter().any(|f| f.severity >= Severity::Warning && f.elements.iter().any(&hit))
    }
}

/// The VPC layout (see the module's doc).
pub(super) fn layout_vpc(
    sc: &Scenario,
    vpc: &Vpc,
    width: f64,
    height: f64,
    findings: &[Finding],
) -> TopologyLayout {
    let warned = Warned(findings.to_vec());
    let wide = width >= 720.0;
    let dest_list = destination_list(sc, vpc);
    let ow = dest_list.iter().map(|d| text_w(&d.0, 13.0, true) + 26.0).fold(120.0, f64::max);
    // Room for a lane per line out of the cards: stacked, in the margins (where they pass the
    // cards under them and the VPC) and between the columns of cards; wide, for the lines beyond
    // the four the gaps hold, between the cards and the VPC and over and under its AZs.
    let mut lines = 0;
    for f in &sc.functions {
        lines += f.vpc.as_ref().map_or(f.destinations.len(), |v| v.subnets.len());
    }
    let lanes = LANE * lines as f64;
    let (g, e) = if wide { (0.0, (lanes - 4.0 * LANE).max(0.0)) } else { (lanes.min(width / 5.0), 0.0) };
    let (m, nw) = (8.0 + g, width - 16.0 - 2.0 * g);
    let fw = if wide { (width * 0.18).clamp(170.0, 230.0) } else { nw };
    let (clients, functions, boxes, fbottom) = function_column(sc, &warned, m, fw, 24.0 + g, wide);
    // The VPC's box: wide, all the width the columns right of it leave (the gateways' column
    // when there is a gateway, the outside's as wide as its names when there are destinations,
    // narrowed to let the AZs sit side by side).
    let gateways =
        vpc.internet_gateway().is_some() || vpc.route_tables().any(|(_, t)| !t.gateway_endpoints.is_empty());
    let side = if gateways { 18.0 + SIDE_W } else { 0.0 };
    let (vx, vy, vw, ow) = if wide {
        let vx = 8.0 + fw + 34.0 + e;
        let rest = width - vx - side - 8.0;
        let vw = if dest_list.is_empty() {
            rest
        } else {
            // The outside as wide as its names when the VPC still fits its AZs side by side
            // (their subnets too when they fit), else narrowed to let the AZs in one row.
            let (ow, need) = (ow.min(260.0), subnets_need(vpc, &warned));
            let naz = vpc.azs().count();
            let most = vpc.azs().map(|(id, _)| vpc.subnets().filter(|s| s.1.az == id).count()).max();
            if vpc_w(naz, most.unwrap_or(1), need) <= rest - 22.0 - ow {
                rest - 22.0 - ow
            } else {
                rest - 22.0 - ow.min(rest - 22.0 - vpc_w(naz, 1, need)).max(120.0)
            }
        };
        let vw = vw.max(SUB_MIN + 2.0 * PAD + 24.0);
        (vx, 6.0, vw, width - 8.0 - (vx + vw + side + 22.0))
    } else {
        (m, fbottom + 30.0, nw, ow.min(200.0).min((width * 0.16).max(120.0)))
    };
    let avail = if wide { height - vy - 10.0 } else { 0.0 };
    let (vrect, azs, subnets, mut chips) = vpc_box(vpc, &warned, Rect { x: vx, y: vy, w: vw, h: avail }, e);
    // The gateways beside the VPC (wide) or under it, and the outside after them.
    let (gx, gy) =
        if wide { (vrect.x + vrect.w + 18.0, vrect.y + 36.0) } else { (m, vrect.y + vrect.h + 24.0) };
    let first_public = subnets.iter().filter(|s| s.public).map(|s| s.exit.1).fold(f64::NAN, f64::min);
    let igw_y = if wide && first_public.is_finite() { (first_public - 17.0).max(gy) } else { gy };
    let igw = igw_node(vpc, &warned, gx, igw_y);
    let (gbottom, gright) = gateway_endpoint_chips(vpc, &igw, gx, gy, wide, &mut chips);
    let outside = if wide {
        let x = (vrect.x + vrect.w + side + 22.0).min(width - 8.0);
        Rect { x, y: vrect.y, w: (width - x - 8.0).max(0.0), h: vrect.h }
    } else {
        let y = gbottom.max(gy) + 26.0;
        let _ = gright;
        Rect { x: m, y, w: nw, h: 0.0 }
    };
    let (outside, destinations) = destination_nodes(dest_list, outside, ow, wide);
    let bottom = [fbottom, vrect.y + vrect.h, gbottom, outside.y + outside.h].into_iter().fold(0.0, f64::max);
    let mut l = TopologyLayout {
        width,
        height: height.max(bottom + 10.0),
        clients,
        boxes,
        functions,
        vpc: Some(VpcLayout {
            label: Label::new(
                &format!("VPC {}", vpc.name),
                vrect.x + 12.0,
                vrect.y + 18.0,
                14.0,
                true,
                vrect.w * 0.6,
            ),
            cidr_label: Label::default(),
            name: vpc.name.clone(),
            cidr: vpc.cidr.to_string(),
            rect: vrect,
            azs,
            subnets,
            chips,
            igw,
            outside_label: Label::new(
                "outside the VPC",
                outside.x + 8.0,
                outside.y + 16.0,
                13.0,
                false,
                outside.w - 8.0,
            ),
            outside,
            destinations,
            attachments: vec![],
            routes: vec![],
        }),
    };
    if let Some(v) = l.vpc.as_mut() {
        let x = v.label.x + v.label.w() + 10.0;
        v.cidr_label = Label::new(&v.cidr, x, v.label.y, 13.0, false, v.rect.x + v.rect.w - 12.0 - x);
    }
    // Every line, in lanes of its own: the legs of the paths, then the attachments (out of their
    // cards first).
    let mut attachments = attachments(sc, &l);
    let mut ends = path_ends(sc, vpc, &l);
    for a in &attachments {
        ends.push(a.route.clone());
    }
    let mut routes = route_lines(&l, &ends);
    for a in attachments.iter_mut().rev() {
        a.route = routes.pop().unwrap_or_default();
    }
    let v = l.vpc.as_mut().expect("a VPC");
    (v.attachments, v.routes) = (attachments, routes);
    l
}

/// The clients' box and each function's card (with the Lambda-managed network's box around a
/// function outside the VPC): down a column `fw` wide from `x0` (`wide`), else in a grid across
/// the top, `gap` between its columns. Returns where the column or grid ends too.
fn function_column(
    sc: &Scenario,
    warned: &Warned,
    x0: f64,
    fw: f64,
    gap: f64,
    wide: bool,
) -> (Rect, Vec<FunctionNode>, Vec<NetBox>, f64) {
    let clients = Rect { x: x0, y: 6.0, w: fw, h: 26.0 };
    let n = sc.functions.len().max(1);
    let cols = if wide { 1 } else { (((fw + gap) / (190.0 + gap)) as usize).clamp(1, n) };
    let cw = (fw - gap * (cols as f64 - 1.0)) / cols as f64;
    let mut functions = Vec::with_capacity(n);
    let mut boxes = Vec::new();
    let (mut y, mut row_bottom) = (clients.y + clients.h, clients.y + clients.h);
    for (i, f) in sc.functions.iter().enumerate() {
        if i % cols == 0 {
            y = row_bottom;
        }
        let x = x0 + (i % cols) as f64 * (cw + gap);
        let managed = f.vpc.is_none();
        let extra = if f.compute.is_multi() { MULTI_ROW } else { 0.0 };
        let card_h = if managed { 130.0 + extra } else { CARD_HEADER + 4.0 + extra };
        let card = Rect { x: x + 4.0, y: y + ARRIVAL_LANE, w: cw - 8.0, h: card_h };
        let row = multi_row(sc, i, card);
        let dots = if managed {
            let rect = Rect { x, y: card.y - 18.0, w: cw, h: card.h + 22.0 };
            let text = Label::new("Lambda-managed network", x + 40.0, rect.y + 14.0, 13.0, false, cw - 46.0);
            boxes.push(NetBox {
                kind: BoxKind::ManagedNetwork,
                label: "Lambda-managed network".into(),
                rect,
                text,
            });
            Rect {
                x: card.x + 6.0,
                y: card.y + CARD_HEADER + extra,
                w: card.w - 12.0,
                h: card.h - CARD_HEADER - extra - 6.0,
            }
        } else {
            Rect { x: card.x, y: card.y + card.h, w: 0.0, h: 0.0 }
        };
        let badge = warned.any(|e| matches!(e, ElementRef::Function(nm) if nm == &f.name)).then(|| Rect {
            x: card.x,
            y: card.y + card.h + 8.0,
            w: card.w,
            h: 20.0,
        });
        let pile = Rect { x: card.x + 20.0, y, w: (card.w - 24.0).max(0.0), h: ARRIVAL_LANE + 22.0 };
        let label = card_label(f, card);
        let bottom = badge.map_or(card.y + card.h + 4.0, |b| b.y + b.h);
        let slot = Rect { x, y, w: cw, h: bottom - y };
        functions.push(FunctionNode {
            function: i as u32,
            name: f.name.clone(),
            card,
            dots,
            pile,
            row,
            label,
            badge,
            slot,
        });
        row_bottom = row_bottom.max(bottom + 8.0);
    }
    (clients, functions, boxes, row_bottom)
}

/// A subnet's content laid out at width `w` from (x, y): its labels, tag and badges, and the
/// height of its header; the caller places its body (dots and chips) under the header.
fn subnet_header(vpc: &Vpc, sid: SubnetId, x: f64, y: f64, w: f64) -> SubnetNode {
    let sub = vpc.subnet(sid).expect("listed");
    let public = vpc.is_public(sid);
    let kind = if public { "public" } else { "private" };
    let (tx, room) = (x + 10.0, w - 20.0);
    let cidr = sub.cidr.to_string();
    let tag_w = text_w(kind, 12.0, true) + 12.0;
    let cidr_w = text_w(&cidr, 12.0, false);
    let name_w = text_w(&sub.name, 14.0, true);
    let one_row = name_w + 14.0 + tag_w + cidr_w <= room;
    let name_room = if one_row { room - 14.0 - tag_w - cidr_w } else { room - 6.0 - tag_w };
    let name_label = Label::new(&sub.name, tx, y + 18.0, 14.0, true, name_room);
    let tag = Rect { x: tx + name_label.w() + 6.0, y: y + 5.0, w: tag_w, h: 18.0 };
    let mut base = y + 18.0;
    let cidr_label = if one_row {
        Label::new(&cidr, tag.x + tag.w + 8.0, base, 12.0, false, room)
    } else {
        base += 16.0;
        Label::new(&cidr, tx, base, 12.0, false, room)
    };
    let rt = vpc.subnet_route_table(sid);
    let (route, igw_route) = default_route_text(vpc, sid);
    base += 20.0;
    let igw_badge = igw_route.then(|| Rect { x: tx - 2.0, y: base - 13.0, w: 78.0, h: 17.0 });
    let mut rx = tx;
    if igw_route {
        if 84.0 + text_w(&route, 13.0, true) <= room {
            rx += 84.0;
        } else {
            base += 19.0;
        }
    }
    let route_label = Label::new(&route, rx, base, 13.0, igw_route, tx + room - rx);
    let gateway_routes = gateway_route_texts(vpc, sid);
    let gw_labels = gateway_routes
        .iter()
        .map(|g| {
            base += 17.0;
            Label::new(g, tx, base, 13.0, false, room)
        })
        .collect();
    base += 18.0;
    let figures = Label { text: String::new(), full: String::new(), x: tx, y: base, size: 13.0, bold: true };
    let header = base + 8.0 - y;
    SubnetNode {
        id: sid.0,
        name: sub.name.clone(),
        az: sub.az.0,
        cidr,
        public,
        rect: Rect { x, y, w, h: header },
        dots: Rect::default(),
        route,
        route_table: rt.map(|t| t.name.clone()).unwrap_or_default(),
        gateway_routes,
        igw_route,
        eni: (x + 8.0, y + header),
        exit: (x + w, y + header),
        name_label,
        cidr_label,
        tag,
        igw_badge,
        route_label,
        gw_labels,
        figures,
        badge: None,
    }
}

/// A subnet's default route as shown ("0.0.0.0/0 → igw"), and whether it goes to the internet
/// gateway.
fn default_route_text(vpc: &Vpc, sid: SubnetId) -> (String, bool) {
    let igw_name = vpc.internet_gateway().map(|g| g.name.clone()).unwrap_or_else(|| "igw".into());
    match vpc.subnet_route_table(sid).map(|t| t.default_route) {
        Some(DefaultTarget::InternetGateway) => (format!("0.0.0.0/0 → {igw_name}"), true),
        Some(DefaultTarget::NatGateway(n)) => (format!("0.0.0.0/0 → {}", vpc.nat_name(n)), false),
        _ => ("0.0.0.0/0: no route".to_string(), false),
    }
}

/// A subnet's routes to gateway endpoints as shown ("s3 → gateway endpoint").
fn gateway_route_texts(vpc: &Vpc, sid: SubnetId) -> Vec<String> {
    vpc.subnet_route_table(sid)
        .map(|t| t.gateway_endpoints.iter().map(|g| format!("{} → gateway endpoint", g.service())).collect())
        .unwrap_or_default()
}

/// The narrowest a subnet can be with none of its text shortened (its header's lines wrapped
/// where they may) and its chips whole, and no narrower than [`SUB_MIN`].
fn subnet_need(vpc: &Vpc, sid: SubnetId, mine: &[(ChipKind, String, bool)]) -> f64 {
    let sub = vpc.subnet(sid).expect("listed");
    let kind = if vpc.is_public(sid) { "public" } else { "private" };
    let tag_w = text_w(kind, 12.0, true) + 12.0;
    let (route, igw_route) = default_route_text(vpc, sid);
    let room = [
        text_w(&sub.name, 14.0, true) + 6.0 + tag_w,
        text_w(&sub.cidr.to_string(), 12.0, false),
        text_w(&route, 13.0, igw_route),
        if igw_route { 78.0 } else { 0.0 },
    ]
    .into_iter()
    .chain(gateway_route_texts(vpc, sid).iter().map(|g| text_w(g, 13.0, false)))
    .fold(0.0, f64::max);
    let chip = mine.iter().map(|c| text_w(&c.1, 12.0, true) + 12.0).fold(0.0, f64::max);
    (room + 21.0).max(chip + 75.0).max(SUB_MIN).ceil()
}

/// The widest [`subnet_need`] of the VPC's subnets.
fn subnets_need(vpc: &Vpc, warned: &Warned) -> f64 {
    let in_subnet = elements_per_subnet(vpc, warned);
    vpc.subnets().map(|(sid, _)| subnet_need(vpc, sid, &in_subnet[sid.0 as usize])).fold(SUB_MIN, f64::max)
}

/// The VPC's width with its `naz` AZs side by side, each `across` subnets `need` wide.
fn vpc_w(naz: usize, across: usize, need: f64) -> f64 {
    let (n, a) = (naz.max(1) as f64, across.max(1) as f64);
    n * (a * need + (a - 1.0) * SUB_GAP + 2.0 * PAD) + (n - 1.0) * AZ_GAP + 2.0 * PAD
}

/// How many AZs go side by side in the VPC's `inner_w`, and how many subnets side by side in
/// each AZ: every AZ in one row when each fits a column of subnets `need` wide, then as many
/// subnets side by side as still fit (at most `most`, the most subnets an AZ has); else as many
/// AZs per row as fit, their subnets stacked.
fn grid(naz: usize, most: usize, need: f64, inner_w: f64) -> (usize, usize) {
    let fits = |a: usize, s: usize| {
        let (a, s) = (a as f64, s as f64);
        a * (s * need + (s - 1.0) * SUB_GAP + 2.0 * PAD) + (a - 1.0) * AZ_GAP <= inner_w + 0.01
    };
    if fits(naz, 1) {
        (naz, (1..=most.max(1)).rev().find(|&s| fits(naz, s)).unwrap_or(1))
    } else {
        ((1..naz).rev().find(|&a| fits(a, 1)).unwrap_or(1), 1)
    }
}

/// The subnets of each AZ, public ones first.
fn subnets_per_az(vpc: &Vpc) -> Vec<(u32, String, Vec<SubnetId>)> {
    let mut per_az: Vec<(u32, String, Vec<SubnetId>)> =
        vpc.azs().map(|(id, az)| (id.0, az.name.clone(), Vec::new())).collect();
    for (sid, sub) in vpc.subnets() {
        if let Some(a) = per_az.iter_mut().find(|a| a.0 == sub.az.0) {
            a.2.push(sid);
        }
    }
    for a in per_az.iter_mut() {
        crate::size::order::sort_by_key(&mut a.2, |s| (!vpc.is_public(*s), s.0));
    }
    per_az
}

/// How tall a subnet's body must be: its chips (with their badges) or a few rows of dots.
fn body_min(chips: &[(ChipKind, String, bool)]) -> f64 {
    chips.iter().map(|c| 26.0 + if c.2 { 22.0 } else { 0.0 }).sum::<f64>().max(28.0)
}

/// The heights a VPC box's grid needs: its subnets' headers at width `sw` and their natural
/// heights, each AZ's rows of subnets, each AZ's and each row of AZs' height, the VPC's.
struct Plan {
    az_w: f64,
    sw: f64,
    heads: Vec<Vec<(SubnetNode, f64)>>,
    sub_rows: Vec<Vec<f64>>,
    az_need: Vec<f64>,
    row_need: Vec<f64>,
    natural: f64,
}

/// The [`Plan`] of `cols` AZs per row `az_w` wide, `across` subnets `sw` wide side by side, `e`
/// more room over and under the AZs.
#[allow(clippy::too_many_arguments)]
fn plan_heights(
    vpc: &Vpc,
    per_az: &[(u32, String, Vec<SubnetId>)],
    in_subnet: &[Vec<(ChipKind, String, bool)>],
    sub_warned: &dyn Fn(&SubnetNode) -> bool,
    cols: usize,
    across: usize,
    az_w: f64,
    sw: f64,
    e: f64,
) -> Plan {
    let naz = per_az.len().max(1);
    // Natural heights: each subnet's header, body and badge; each AZ's sum; each row's tallest.
    let mut heads: Vec<Vec<(SubnetNode, f64)>> = Vec::with_capacity(naz);
    for (_, _, list) in per_az {
        heads.push(
            list.iter()
                .map(|&sid| {
                    let s = subnet_header(vpc, sid, 0.0, 0.0, sw);
                    let need = s.rect.h + 8.0 + body_min(&in_subnet[sid.0 as usize]) + 6.0;
                    let need = need + if sub_warned(&s) { BADGE } else { 0.0 };
                    (s, need)
                })
                .collect(),
        );
    }
    // Each AZ's rows of subnets (`across` side by side), each as tall as its tallest.
    let sub_rows: Vec<Vec<f64>> = heads
        .iter()
        .map(|h| h.chunks(across).map(|c| c.iter().map(|x| x.1).fold(0.0, f64::max)).collect())
        .collect();
    let az_need: Vec<f64> = sub_rows
        .iter()
        .map(|r| 30.0 + (r.iter().map(|h| h + SUB_GAP).sum::<f64>() - SUB_GAP + 8.0).max(40.0))
        .collect();
    let rows = naz.div_ceil(cols);
    let row_need: Vec<f64> = (0..rows)
        .map(|r| az_need[r * cols..(r * cols + cols).min(naz)].iter().fold(0.0, |a, b| b.max(a)))
        .collect();
    let natural = 36.0 + row_need.iter().sum::<f64>() + AZ_GAP * (rows as f64 - 1.0) + PAD + 2.0 * e;
    Plan { az_w, sw, heads, sub_rows, az_need, row_need, natural }
}

/// The VPC's box at `area` (its height: what the view offers, 0 for as tall as it needs): AZs
/// in a grid of columns as wide as a subnet needs, their subnets stacked, the extra height
/// shared among the subnets' dot areas; `e` more room (for lines) over and under the AZs.
fn vpc_box(
    vpc: &Vpc,
    warned: &Warned,
    area: Rect,
    e: f64,
) -> (Rect, Vec<AzNode>, Vec<SubnetNode>, Vec<Chip>) {
    let per_az = subnets_per_az(vpc);
    let naz = per_az.len().max(1);
    let inner_w = area.w - 2.0 * PAD;
    let most = per_az.iter().map(|a| a.2.len()).max().unwrap_or(1);
    let in_subnet = elements_per_subnet(vpc, warned);
    let sub_warned = |s: &SubnetNode| {
        warned.any(|e| match e {
            ElementRef::Subnet(n) => n == &s.name,
            ElementRef::RouteTable(n) => n == &s.route_table,
            _ => false,
        })
    };
    let plan = |cols: usize, across: usize| {
        let az_w = (inner_w - AZ_GAP * (cols as f64 - 1.0)) / cols as f64;
        let sw = (az_w - 2.0 * PAD - SUB_GAP * (across as f64 - 1.0)) / across as f64;
        plan_heights(vpc, &per_az, &in_subnet, &sub_warned, cols, across, az_w, sw, e)
    };
    let (mut cols, mut across) = grid(naz, most, subnets_need(vpc, warned), inner_w);
    let mut p = plan(cols, across);
    // Wrapped AZs that make the picture taller than the view: one row with shortened text
    // instead, when the narrowest subnets fit.
    if cols < naz && area.h > 0.0 && p.natural > area.h && grid(naz, 1, SUB_MIN, inner_w).0 == naz {
        let q = plan(naz, 1);
        if q.natural < p.natural {
            (p, cols, across) = (q, naz, 1);
        }
    }
    let Plan { az_w, sw, mut heads, sub_rows, az_need, row_need, natural } = p;
    let rows = row_need.len();
    let grow = ((area.h - natural) / rows as f64).max(0.0);
    let vrect = Rect { x: area.x, y: area.y, w: area.w, h: natural + grow * rows as f64 };
    let (mut azs, mut subnets, mut chips) = (Vec::new(), Vec::new(), Vec::new());
    let mut y = vrect.y + 36.0 + e;
    for (r, need) in row_need.iter().enumerate() {
        let h = need + grow;
        for k in r * cols..(r * cols + cols).min(naz) {
            let x = vrect.x + PAD + (k % cols) as f64 * (az_w + AZ_GAP);
            let rect = Rect { x, y, w: az_w, h };
            let name = &per_az[k].1;
            let label = Label::new(&format!("AZ {name}"), x + 10.0, y + 17.0, 13.0, true, az_w - 20.0);
            azs.push(AzNode { id: per_az[k].0, name: name.clone(), rect, label });
            let list = std::mem::take(&mut heads[k]);
            let spare = (h - az_need[k]) / sub_rows[k].len().max(1) as f64;
            let mut sy = y + 30.0;
            for (row, rh) in list.chunks(across).zip(&sub_rows[k]) {
                let rh = rh + spare;
                for (c, (head, _)) in row.iter().enumerate() {
                    let sid = SubnetId(head.id);
                    let sx = x + PAD + c as f64 * (sw + SUB_GAP);
                    let mut s = subnet_header(vpc, sid, sx, sy, sw);
                    s.rect.h = rh;
                    s.badge = sub_warned(&s).then(|| Rect {
                        x: s.rect.x + 6.0,
                        y: sy + s.rect.h - 26.0,
                        w: sw - 12.0,
                        h: 20.0,
                    });
                    subnet_body(&mut s, &in_subnet[sid.0 as usize], &mut chips);
                    subnets.push(s);
                }
                sy += rh + SUB_GAP;
            }
        }
        y += h + AZ_GAP;
    }
    (vrect, azs, subnets, chips)
}

/// A subnet's body under its header: its chips in a column on the right (each with room for
/// its badge), its dots left of them.
fn subnet_body(s: &mut SubnetNode, mine: &[(ChipKind, String, bool)], chips: &mut Vec<Chip>) {
    let r = s.rect;
    let top = r.y + (s.eni.1 - r.y) + 8.0;
    let bottom = s.badge.map_or(r.y + r.h - 6.0, |b| b.y - 4.0);
    let body = Rect { x: r.x + 6.0, y: top, w: r.w - 12.0, h: bottom - top };
    let need = mine.iter().map(|c| text_w(&c.1, 12.0, true) + 12.0).fold(64.0, f64::max);
    let chip_w = if mine.is_empty() { 0.0 } else { need.min((r.w * 0.5).max(r.w - 74.0)) };
    s.dots = Rect { w: (body.w - chip_w - if chip_w > 0.0 { 6.0 } else { 0.0 }).max(8.0), ..body };
    let x = body.x + body.w - chip_w;
    let mut y = body.y;
    for (kind, label, badged) in mine {
        let rect = Rect { x, y, w: chip_w, h: 22.0 };
        let text = Label::new(label, 0.0, y + 15.5, 12.0, true, chip_w - 10.0);
        let text = Label { x: x + (chip_w - text.w()) / 2.0, ..text };
        let badge = badged.then(|| Rect { x, y: y + 24.0, w: chip_w, h: 20.0 });
        y += 26.0 + if *badged { 22.0 } else { 0.0 };
        chips.push(Chip { kind: kind.clone(), label: label.clone(), subnet: Some(s.id), rect, text, badge });
    }
}

/// Each subnet's elements, as chip kinds, labels and whether the advisor warns about them.
fn elements_per_subnet(vpc: &Vpc, warned: &Warned) -> Vec<Vec<(ChipKind, String, bool)>> {
    let mut in_subnet: Vec<Vec<(ChipKind, String, bool)>> = vec![Vec::new(); vpc.subnets().count()];
    for (id, nat) in vpc.nat_gateways() {
        let w = warned.any(|e| matches!(e, ElementRef::NatGateway(nm) if nm == &nat.name));
        in_subnet[nat.subnet.0 as usize].push((ChipKind::Nat { id: id.0 }, format!("NAT {}", nat.name), w));
    }
    for (id, r) in vpc.resources() {
        let k = match r.kind {
            ResourceKind::Rds => "RDS",
            ResourceKind::Cache => "cache",
            ResourceKind::Other => "resource",
        };
        in_subnet[r.subnet.0 as usize].push((
            ChipKind::Resource { id: id.0, kind: r.kind },
            format!("{k} {}", r.name),
            false,
        ));
    }
    for (id, e) in vpc.interface_endpoints() {
        for s in &e.subnets {
            in_subnet[s.0 as usize].push((
                ChipKind::InterfaceEndpoint { id: id.0 },
                format!("endpoint {}", e.service),
                false,
            ));
        }
    }
    in_subnet
}

/// The internet gateway outside the VPC, at (x, y) in the gateways' column.
fn igw_node(vpc: &Vpc, warned: &Warned, x: f64, y: f64) -> Option<IgwNode> {
    vpc.internet_gateway().map(|g| {
        let rect = Rect { x: x + 8.0, y, w: SIDE_W - 16.0, h: 36.0 };
        let cx = rect.x + rect.w / 2.0;
        let centred = |l: Label| Label { x: cx - l.w() / 2.0, ..l };
        let title = centred(Label::new("IGW", 0.0, y + 14.0, 13.0, true, rect.w - 8.0));
        let shown = if g.attached { g.name.as_str() } else { "detached" };
        let name_label = centred(Label::new(shown, 0.0, y + 29.0, 12.0, false, rect.w - 8.0));
        let badge = warned.any(|e| matches!(e, ElementRef::InternetGateway(_))).then(|| Rect {
            x,
            y: y + rect.h + 4.0,
            w: SIDE_W,
            h: 20.0,
        });
        IgwNode { name: g.name.clone(), attached: g.attached, rect, title, name_label, badge }
    })
}

/// Gateway endpoints (S3, DynamoDB): chips in the gateways' column under the internet gateway
/// (wide), or in a row beside it. Returns where they end (bottom, right).
fn gateway_endpoint_chips(
    vpc: &Vpc,
    igw: &Option<IgwNode>,
    x: f64,
    y: f64,
    wide: bool,
    chips: &mut Vec<Chip>,
) -> (f64, f64) {
    let mut gw: Vec<String> = Vec::new();
    for (_, t) in vpc.route_tables() {
        for g in &t.gateway_endpoints {
            let s = g.service().to_string();
            if !gw.contains(&s) {
                gw.push(s);
            }
        }
    }
    let after =
        igw.as_ref().map(|g| (g.badge.map_or(g.rect.y + g.rect.h, |b| b.y + b.h), g.rect.x + g.rect.w));
    let (mut cx, mut cy) = match (after, wide) {
        (Some((b, _)), true) => (x, b + 16.0),
        (Some((_, r)), false) => (r + 16.0, y),
        (None, _) => (x, y),
    };
    let (mut bottom, mut right) = after.unwrap_or((y, x));
    for s in gw {
        let label = format!("{s} gateway endpoint");
        let rect = Rect { x: cx, y: cy, w: SIDE_W, h: 30.0 };
        let text = Label::new(&label, 0.0, cy + 19.5, 12.0, true, SIDE_W - 10.0);
        let text = Label { x: cx + (SIDE_W - text.w()) / 2.0, ..text };
        chips.push(Chip {
            kind: ChipKind::GatewayEndpoint { service: s },
            label,
            subnet: None,
            rect,
            text,
            badge: None,
        });
        (bottom, right) = (bottom.max(cy + 30.0), right.max(cx + SIDE_W));
        if wide {
            cy += 44.0;
        } else {
            cx += SIDE_W + 16.0;
        }
    }
    (bottom, right)
}

/// The destinations outside the VPC (label, on the internet), the internet first.
fn destination_list(sc: &Scenario, vpc: &Vpc) -> Vec<(String, bool)> {
    let mut dests: Vec<(String, bool)> = Vec::new();
    for f in &sc.functions {
        for d in &f.destinations {
            let internet = matches!(d.target, Target::Internet { .. });
            if matches!(d.target, Target::Resource(_)) {
                continue;
            }
            let label = destination_label(Some(vpc), &d.target, &d.name);
            if !dests.iter().any(|x| x.0 == label) {
                dests.push((label, internet));
            }
        }
    }
    crate::size::order::sort_by_key(&mut dests, |d| !d.1);
    dests
}

/// The destinations' boxes in `outside`: a column (wide) or rows of boxes `ow` wide; returns
/// the outside area as tall as they need.
fn destination_nodes(
    dests: Vec<(String, bool)>,
    outside: Rect,
    ow: f64,
    wide: bool,
) -> (Rect, Vec<DestNode>) {
    let cols = if wide { 1 } else { (((outside.w + 10.0) / (ow + 10.0)) as usize).max(1) };
    let w = if wide { outside.w - 8.0 } else { (outside.w - 8.0 - 10.0 * (cols as f64 - 1.0)) / cols as f64 };
    let step = if wide { ((outside.h - 30.0) / dests.len().max(1) as f64).clamp(50.0, 70.0) } else { 50.0 };
    let mut bottom = outside.y + 24.0;
    let nodes = dests
        .into_iter()
        .enumerate()
        .map(|(i, (label, internet))| {
            let (c, r) = (i % cols, i / cols);
            let rect = Rect {
                x: outside.x + 8.0 + c as f64 * (w + 10.0),
                y: outside.y + 24.0 + r as f64 * step,
                w,
                h: 40.0,
            };
            bottom = bottom.max(rect.y + rect.h);
            let kind = if internet { "internet" } else { "AWS service" };
            DestNode {
                kind_label: Label::new(kind, rect.x + 8.0, rect.y + 16.0, 12.0, false, w - 16.0),
                name_label: Label::new(&label, rect.x + 8.0, rect.y + 32.0, 13.0, true, w - 16.0),
                label,
                internet,
                rect,
            }
        })
        .collect();
    (Rect { h: outside.h.max(bottom - outside.y + 6.0), ..outside }, nodes)
}

/// Every box a line keeps off unless it connects it (contains one of its ends): the clients,
/// the functions' slots and cards, the network boxes, the VPC, its labels, AZs, subnets, chips,
/// the internet gateway and the destinations.
pub fn blocks(l: &TopologyLayout) -> Vec<Rect> {
    let mut v = vec![l.clients];
    for f in &l.functions {
        v.push(f.slot);
        v.push(f.card);
    }
    v.extend(l.boxes.iter().map(|b| b.rect));
    if let Some(vl) = &l.vpc {
        v.extend([vl.rect, vl.label.rect(), vl.outside_label.rect()]);
        v.extend(vl.azs.iter().flat_map(|a| [a.rect, a.label.rect()]));
        v.extend(vl.subnets.iter().map(|s| s.rect));
        v.extend(vl.chips.iter().map(|c| c.rect));
        v.extend(vl.igw.iter().map(|g| g.rect));
        v.extend(vl.destinations.iter().map(|d| d.rect));
    }
    v
}

/// Lines that end in the same box may run together this far around it.
const JOIN: f64 = 10.0;

/// Whether `r` contains `p` (its border too).
fn holds(r: &Rect, p: (f64, f64)) -> bool {
    p.0 >= r.x - 0.5 && p.0 <= r.x + r.w + 0.5 && p.1 >= r.y - 0.5 && p.1 <= r.y + r.h + 0.5
}

/// The orthogonal line from `a` to `b` around every box that holds neither, in lanes of its own
/// beside the lines `used` (straight when nothing is in the way; the two points when no route
/// exists).
pub fn line(
    all: &[Rect],
    bounds: Rect,
    a: (f64, f64),
    b: (f64, f64),
    used: &[Vec<(f64, f64)>],
) -> Vec<(f64, f64)> {
    // What it keeps off, and around the (smallest) box each end is in, where lines that end
    // there too may join it.
    let (mut keep, mut near, mut area) = (vec![], [Rect::default(); 2], [f64::INFINITY; 2]);
    for r in all {
        let held = [holds(r, a), holds(r, b)];
        if held == [false; 2] {
            keep.push(*r);
        }
        for k in 0..2 {
            if held[k] && r.w * r.h < area[k] {
                (near[k], area[k]) = (r.inset(-JOIN), r.w * r.h);
            }
        }
    }
    route(a, b, &keep, bounds, used, near).unwrap_or_else(|| vec![a, b])
}

/// Each VPC function's attachment to each of its subnets, its route still to be found (out of
/// its card, then to the ENI).
fn attachments(sc: &Scenario, l: &TopologyLayout) -> Vec<Attach> {
    let Some(v) = &l.vpc else { return vec![] };
    let mut out = Vec::new();
    for (i, f) in sc.functions.iter().enumerate() {
        let Some(fv) = &f.vpc else { continue };
        let card = l.functions[i].card;
        let k = fv.subnets.len() as f64;
        for (j, s) in fv.subnets.iter().enumerate() {
            if let Some(sn) = v.subnet(s.0) {
                let from = (card.x + card.w, (card.y + card.h * (j as f64 + 1.0) / (k + 1.0)).round());
                let route = vec![from, (from.0 + 10.0, from.1), sn.eni];
                out.push(Attach { function: i as u32, subnet: s.0, from, to: sn.eni, route });
            }
        }
    }
    out
}

/// Where a path's hops are drawn: one point per hop that has a place in the layout (the
/// internet gateway: its left edge, and its right edge when the path goes on).
fn hop_points(l: &TopologyLayout, function: u32, subnet: Option<u32>, hops: &[Hop]) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    let Some(v) = &l.vpc else { return pts };
    let sub = subnet.and_then(|s| v.subnet(s));
    let chip = |k: &ChipKind| v.chips.iter().find(|c| &c.kind == k).map(|c| center(&c.rect));
    for (i, hop) in hops.iter().enumerate() {
        let p = match hop {
            Hop::LambdaNetwork => {
                l.functions.get(function as usize).map(|n| (n.card.x + n.card.w, n.card.y + n.card.h / 2.0))
            }
            Hop::Eni { subnet: s, .. } => v.subnet(s.0).map(|s| s.eni),
            Hop::RouteTable { .. } => sub.map(|s| s.exit),
            Hop::NatGateway { nat, .. } => chip(&ChipKind::Nat { id: nat.0 }),
            Hop::InternetGateway { .. } => v.igw.as_ref().map(|g| {
                let r = g.rect;
                if i + 1 < hops.len() {
                    pts.push((r.x, r.y + r.h / 2.0));
                }
                (if i + 1 < hops.len() { r.x + r.w } else { r.x }, r.y + r.h / 2.0)
            }),
            Hop::GatewayEndpoint { service, .. } => {
                chip(&ChipKind::GatewayEndpoint { service: service.service().to_string() })
            }
            Hop::InterfaceEndpoint { endpoint, subnet_name, .. } => v
                .chips
                .iter()
                .find(|c| {
                    c.kind == ChipKind::InterfaceEndpoint { id: endpoint.0 }
                        && c.subnet.and_then(|s| v.subnet(s)).is_some_and(|s| &s.name == subnet_name)
                })
                .map(|c| center(&c.rect)),
            Hop::Destination { name } => v
                .destinations
                .iter()
                .find(|d| &d.label == name)
                .map(|d| (d.rect.x, d.rect.y + d.rect.h / 2.0))
                .or_else(|| {
                    v.chips
                        .iter()
                        .find(|c| {
                            matches!(c.kind, ChipKind::Resource { .. }) && c.label.ends_with(name.as_str())
                        })
                        .map(|c| center(&c.rect))
                }),
        };
        if let Some(p) = p {
            if pts.last() != Some(&p) {
                pts.push(p);
            }
        }
    }
    pts
}

/// Each line `ends` lists (the points it starts with, then its end) routed around what is in the
/// way, in lanes of its own: in order, each beside those before it, then each once more, beside
/// all the others.
fn route_lines(l: &TopologyLayout, ends: &[Vec<(f64, f64)>]) -> Vec<Vec<(f64, f64)>> {
    let (all, bounds) = (blocks(l), Rect { x: 0.0, y: 0.0, w: l.width, h: l.height });
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    out.resize_with(ends.len(), Vec::new);
    for _ in 0..2 {
        for (i, e) in ends.iter().enumerate() {
            // From the last point it starts with to its end.
            let n = e.len() - 2;
            out[i].clear();
            let mut r = e[..n].to_vec();
            r.extend(line(&all, bounds, e[n], e[n + 1], &out));
            out[i] = simplify(r);
        }
    }
    out
}

/// The ends of the legs between each two hops of every path of the healthy network (a path of
/// a network with an AZ down is routed when drawn, for the legs not here).
fn path_ends(sc: &Scenario, vpc: &Vpc, l: &TopologyLayout) -> Vec<Vec<(f64, f64)>> {
    let health = NetworkHealth::healthy();
    let mut out = Vec::new();
    for (f, func) in sc.functions.iter().enumerate() {
        let from: Vec<Option<SubnetId>> = match &func.vpc {
            Some(fv) => fv.subnets.iter().map(|s| Some(*s)).collect(),
            None => vec![None],
        };
        for d in &func.destinations {
            for s in &from {
                let reach = network::reach(vpc, &health, func.vpc.as_ref().zip(*s), d);
                let pts = hop_points(l, f as u32, s.map(|s| s.0), reach.hops());
                for w in pts.windows(2) {
                    if !out.iter().any(|e| e == w) {
                        out.push(w.to_vec());
                    }
                }
            }
        }
    }
    out
}

/// The legs a path is drawn along (each an orthogonal polyline from one hop to the next), and
/// whether the path is cut (packets dropped at its last point).
pub fn path_legs(layout: &TopologyLayout, path: &NetPath) -> (Vec<Vec<(f64, f64)>>, bool) {
    let failed = !path.reach.is_reachable();
    let Some(v) = &layout.vpc else { return (vec![], failed) };
    let pts = hop_points(layout, path.function, path.subnet, path.reach.hops());
    let mut legs = Vec::with_capacity(pts.len());
    let mut all = None;
    for w in pts.windows(2) {
        let known = v.routes.iter().find(|r| r.first() == Some(&w[0]) && r.last() == Some(&w[1]));
        legs.push(match known {
            Some(r) => r.clone(),
            None => {
                let all = all.get_or_insert_with(|| blocks(layout));
                line(all, Rect { x: 0.0, y: 0.0, w: layout.width, h: layout.height }, w[0], w[1], &v.routes)
            }
        });
    }
    (legs, failed)
}

/// The points a path is drawn through (its legs joined), and whether it is cut.
pub fn path_points(layout: &TopologyLayout, path: &NetPath) -> (Vec<(f64, f64)>, bool) {
    let (legs, failed) = path_legs(layout, path);
    (simplify(legs.concat()), failed)
}
