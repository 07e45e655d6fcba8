//! The topology picture never clips or tangles (issue 18): over every preset and over generated
//! topologies (1–6 AZs, 1–16 subnets, 1–5 functions, short and long names), at the picture sizes
//! of a 1440×900 and a 1280×800 window, a 390×844 phone, the widget's default and presenter
//! mode, no text leaves its box or the picture (widths by the painter's estimate,
//! `view::text_w`), no two boxes overlap, no line passes through a box it does not connect and
//! no two lines of different connections lie on top of each other (each runs in a lane of its
//! own, joining others only near a box they both end at).

use lambdascape_engine::network::{self, NetworkHealth};
use lambdascape_engine::scenario::{Scenario, ScenarioSpec};
use lambdascape_engine::view::{self, destination_label, Label, NetPath, Rect, TopologyLayout};
use std::path::PathBuf;

/// The topology's size in pixels at: a 1440×900 window, 1280×800, a 390×844 phone, the widget
/// (440 px tall, in a 640 px column), presenter mode at 1440×900.
const SIZES: [(f64, f64); 5] =
    [(1028.0, 405.0), (868.0, 344.0), (368.0, 370.0), (628.0, 300.0), (1418.0, 560.0)];

const EPS: f64 = 0.01;

fn inside(outer: &Rect, inner: &Rect) -> bool {
    inner.x >= outer.x - EPS
        && inner.y >= outer.y - EPS
        && inner.x + inner.w <= outer.x + outer.w + EPS
        && inner.y + inner.h <= outer.y + outer.h + EPS
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w - EPS && b.x < a.x + a.w - EPS && a.y < b.y + b.h - EPS && b.y < a.y + a.h - EPS
}

/// Whether the axis-parallel segment p-q passes through the inside of `r`.
fn crosses(p: (f64, f64), q: (f64, f64), r: &Rect) -> bool {
    let (x0, x1, y0, y1) = (p.0.min(q.0), p.0.max(q.0), p.1.min(q.1), p.1.max(q.1));
    x0 < r.x + r.w - EPS && x1 > r.x + EPS && y0 < r.y + r.h - EPS && y1 > r.y + EPS
}

fn holds(r: &Rect, p: (f64, f64)) -> bool {
    p.0 >= r.x - 0.5 && p.0 <= r.x + r.w + 0.5 && p.1 >= r.y - 0.5 && p.1 <= r.y + r.h + 0.5
}

/// What one layout breaks, as sentences.
#[derive(Default)]
struct Report(Vec<String>);

impl Report {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
    fn text(&mut self, l: &Label, within: &Rect, picture: &Rect, what: &str) {
        if l.text.is_empty() {
            return;
        }
        let r = l.rect();
        assert!((r.w - view::text_w(&l.text, l.size, l.bold)).abs() < 1e-9);
        self.check(inside(within, &r), || {
            format!("text {what} {:?} {r:?} leaves its box {within:?}", l.text)
        });
        self.check(inside(picture, &r), || format!("text {what} {:?} leaves the picture", l.text));
        self.check(l.full.is_empty() || l.text.ends_with('…'), || format!("{what} shortened without …"));
    }
}

/// Every box that must not overlap its siblings, by level: (what, rect, parent rect).
fn checks(l: &TopologyLayout, paths: &[NetPath]) -> Report {
    let mut r = Report::default();
    let pic = Rect { x: 0.0, y: 0.0, w: l.width, h: l.height };
    // Top level: clients, functions, the VPC, the gateways, the destinations.
    let mut top: Vec<(String, Rect)> = vec![("clients".into(), l.clients)];
    for f in &l.functions {
        top.push((format!("function {}", f.name), f.slot));
        r.check(inside(&f.slot, &f.card), || format!("card of {} out of its slot", f.name));
        r.text(&f.label, &f.card, &pic, "function name");
        if let Some(b) = f.badge {
            r.check(inside(&f.slot, &b) && !overlap(&b, &f.card), || format!("badge of {}", f.name));
        }
    }
    for b in &l.boxes {
        r.text(&b.text, &b.rect, &pic, "box label");
        r.check(l.functions.iter().any(|f| inside(&f.slot, &b.rect)), || {
            "managed box outside its slot".into()
        });
    }
    let mut boxes: Vec<Rect> = vec![l.clients];
    boxes.extend(l.functions.iter().flat_map(|f| [f.card]));
    boxes.extend(l.boxes.iter().map(|b| b.rect));
    if let Some(v) = &l.vpc {
        top.push(("VPC".into(), v.rect));
        r.text(&v.label, &v.rect, &pic, "VPC label");
        r.text(&v.cidr_label, &v.rect, &pic, "VPC CIDR");
        r.text(&v.outside_label, &pic, &pic, "outside label");
        boxes.push(v.rect);
        if let Some(g) = &v.igw {
            top.push(("IGW".into(), g.rect));
            if let Some(b) = g.badge {
                top.push(("IGW badge".into(), b));
            }
            r.text(&g.title, &g.rect, &pic, "IGW");
            r.text(&g.name_label, &g.rect, &pic, "IGW name");
            boxes.push(g.rect);
        }
        for d in &v.destinations {
            top.push((format!("destination {}", d.label), d.rect));
            r.text(&d.kind_label, &d.rect, &pic, "destination kind");
            r.text(&d.name_label, &d.rect, &pic, "destination");
            boxes.push(d.rect);
        }
        for a in &v.azs {
            r.check(inside(&v.rect, &a.rect), || format!("AZ {} out of the VPC", a.name));
            r.text(&a.label, &a.rect, &pic, "AZ label");
            boxes.push(a.rect);
        }
        for (i, a) in v.azs.iter().enumerate() {
            for b in &v.azs[i + 1..] {
                r.check(!overlap(&a.rect, &b.rect), || format!("AZs {} and {} overlap", a.name, b.name));
            }
        }
        for s in &v.subnets {
            let az = v.azs.iter().find(|a| a.id == s.az).unwrap();
            r.check(inside(&az.rect, &s.rect), || format!("subnet {} out of its AZ", s.name));
            boxes.push(s.rect);
            for (l, what) in
                [(&s.name_label, "subnet name"), (&s.cidr_label, "CIDR"), (&s.route_label, "route")]
            {
                r.text(l, &s.rect, &pic, what);
            }
            for g in &s.gw_labels {
                r.text(g, &s.rect, &pic, "gateway route");
            }
            r.check(inside(&s.rect, &s.tag), || format!("tag of {}", s.name));
            r.check(!overlap(&s.tag, &s.name_label.rect()), || format!("tag over the name of {}", s.name));
            r.check(!overlap(&s.tag, &s.cidr_label.rect()), || format!("tag over the CIDR of {}", s.name));
            let fig = Rect { x: s.figures.x, y: s.figures.y - 11.0, w: 40.0, h: 14.0 };
            r.check(inside(&s.rect, &fig), || format!("figures of {}", s.name));
            r.check(inside(&s.rect, &s.dots) && s.dots.y >= fig.y + fig.h, || format!("dots of {}", s.name));
            if let Some(b) = s.igw_badge {
                r.check(inside(&s.rect, &b) && !overlap(&b, &s.route_label.rect()), || {
                    format!("IGW badge of {}", s.name)
                });
            }
            if let Some(b) = s.badge {
                r.check(inside(&s.rect, &b) && !overlap(&b, &s.dots), || format!("badge of {}", s.name));
            }
        }
        for (i, a) in v.subnets.iter().enumerate() {
            for b in &v.subnets[i + 1..] {
                r.check(!overlap(&a.rect, &b.rect), || format!("subnets {} and {} overlap", a.name, b.name));
            }
        }
        for c in &v.chips {
            boxes.push(c.rect);
            r.text(&c.text, &c.rect, &pic, "chip");
            match c.subnet.and_then(|s| v.subnet(s)) {
                Some(s) => {
                    r.check(inside(&s.rect, &c.rect), || format!("chip {} out of {}", c.label, s.name));
                    r.check(!overlap(&s.dots, &c.rect), || {
                        format!("chip {} over the dots of {}", c.label, s.name)
                    });
                    r.check(c.rect.y >= s.figures.y + 3.0, || {
                        format!("chip {} over the header of {}", c.label, s.name)
                    });
                    if let Some(b) = c.badge {
                        r.check(inside(&s.rect, &b), || format!("badge of chip {}", c.label));
                    }
                }
                None => top.push((c.label.clone(), c.rect)),
            }
        }
        for (i, a) in v.chips.iter().enumerate() {
            for b in &v.chips[i + 1..] {
                let badges = [a.badge, b.badge].into_iter().flatten();
                let hit = overlap(&a.rect, &b.rect)
                    || badges.clone().any(|x| overlap(&x, &a.rect) && overlap(&x, &b.rect));
                r.check(!hit, || format!("chips {} and {} overlap", a.label, b.label));
            }
        }
        // Lines: the attachments and every leg of every path.
        let mut lines: Vec<(String, Vec<(f64, f64)>)> = v
            .attachments
            .iter()
            .map(|a| (format!("attachment {}→{}", a.function, a.subnet), a.route.clone()))
            .collect();
        for p in paths {
            let (legs, _) = view::path_legs(l, p);
            lines.extend(legs.into_iter().map(|g| (format!("path {}→{} leg", p.function, p.dest_name), g)));
        }
        for (what, pts) in &lines {
            let (a, b) = (pts[0], pts[pts.len() - 1]);
            for w in pts.windows(2) {
                r.check(w[0].0 == w[1].0 || w[0].1 == w[1].1, || format!("{what} not orthogonal: {pts:?}"));
                r.check(holds(&pic, w[0]) && holds(&pic, w[1]), || format!("{what} leaves the picture"));
                for x in boxes.iter().filter(|x| !holds(x, a) && !holds(x, b)) {
                    r.check(!crosses(w[0], w[1], x), || format!("{what} {pts:?} passes through {x:?}"));
                }
            }
        }
        // Every line in a lane of its own.
        for s in shared_stretches(&lines, &boxes) {
            r.check(false, || s);
        }
    }
    for (what, b) in &top {
        r.check(inside(&pic, b), || format!("{what} {b:?} leaves the picture {}x{}", l.width, l.height));
    }
    for (i, (wa, a)) in top.iter().enumerate() {
        for (wb, b) in &top[i + 1..] {
            r.check(!overlap(a, b), || format!("{wa} {a:?} and {wb} {b:?} overlap"));
        }
    }
    r
}

/// A line may lie on top of a line of another connection over this many pixels...
const SHARED: f64 = 4.0;
/// ... and over more within this many pixels of a box both end at.
const NEAR: f64 = 12.0;
/// Lines nearer than this, centre to centre, lie on top of each other (they are 2 px wide).
const APART: f64 = 2.0;

/// The smallest box that holds `p`.
fn end_box(boxes: &[Rect], p: (f64, f64)) -> Option<Rect> {
    boxes.iter().filter(|r| holds(r, p)).min_by(|a, b| (a.w * a.h).total_cmp(&(b.w * b.h))).copied()
}

/// A line: what it is, its points, the boxes its ends are in.
type Seen<'a> = (&'a String, &'a Vec<(f64, f64)>, [Option<Rect>; 2]);

/// Where two lines of different connections (a connection: a line's two ends) lie on top of
/// each other over more than [`SHARED`] pixels, not counting what lies within [`NEAR`] of a box
/// both end at.
fn shared_stretches(lines: &[(String, Vec<(f64, f64)>)], boxes: &[Rect]) -> Vec<String> {
    let ends = |p: &[(f64, f64)]| (p[0], p[p.len() - 1]);
    // Each connection once, with the boxes its ends are in.
    let mut seen: Vec<Seen> = vec![];
    for (what, pts) in lines {
        if pts.len() >= 2 && !seen.iter().any(|s| ends(s.1) == ends(pts)) {
            let (a, b) = ends(pts);
            seen.push((what, pts, [end_box(boxes, a), end_box(boxes, b)]));
        }
    }
    let mut out = vec![];
    for (i, (wa, a, ba)) in seen.iter().enumerate() {
        for (wb, b, bb) in &seen[i + 1..] {
            let common: Vec<Rect> =
                ba.iter().flatten().filter(|x| bb.contains(&Some(**x))).copied().collect();
            for p in a.windows(2) {
                for q in b.windows(2) {
                    // Both along axis k (0: x), less than APART apart.
                    for k in 0..2 {
                        let o = 1 - k;
                        if [p[1], q[0], q[1]].iter().any(|z| (pick(*z, o) - pick(p[0], o)).abs() >= APART) {
                            continue;
                        }
                        let span = |s: &[(f64, f64)]| {
                            (pick(s[0], k).min(pick(s[1], k)), pick(s[0], k).max(pick(s[1], k)))
                        };
                        let ((p0, p1), (q0, q1)) = (span(p), span(q));
                        // What they share, less what lies near a box both end at.
                        let mut parts = vec![(p0.max(q0), p1.min(q1))];
                        for x in &common {
                            let x = x.inset(-NEAR);
                            let ((l0, l1), (c0, c1)) = if k == 0 {
                                ((x.x, x.x + x.w), (x.y, x.y + x.h))
                            } else {
                                ((x.y, x.y + x.h), (x.x, x.x + x.w))
                            };
                            if (c0..=c1).contains(&pick(p[0], o)) {
                                parts = parts
                                    .into_iter()
                                    .flat_map(|(l, h)| [(l, h.min(l0)), (l.max(l1), h)])
                                    .collect();
                            }
                        }
                        let len: f64 = parts.iter().map(|(l, h)| (h - l).max(0.0)).sum();
                        if len > SHARED {
                            out.push(format!("{wa} {a:?} and {wb} {b:?} share {len:.0} px"));
                        }
                    }
                }
            }
        }
    }
    out
}

fn pick(p: (f64, f64), k: usize) -> f64 {
    if k == 0 {
        p.0
    } else {
        p.1
    }
}

/// Every path of the scenario with the network healthy and with each AZ down.
fn all_paths(sc: &Scenario) -> Vec<NetPath> {
    let Some(vpc) = &sc.vpc else { return vec![] };
    let mut healths = vec![NetworkHealth::healthy()];
    for (id, _) in vpc.azs() {
        let mut h = NetworkHealth::healthy();
        h.azs_down.insert(id);
        healths.push(h);
    }
    let mut out = Vec::new();
    for h in &healths {
        for (f, func) in sc.functions.iter().enumerate() {
            for (d, dest) in func.destinations.iter().enumerate() {
                let from: Vec<_> = match &func.vpc {
                    Some(fv) => fv.subnets.iter().map(|s| Some((fv, *s))).collect(),
                    None => vec![None],
                };
                for s in from {
                    out.push(NetPath {
                        function: f as u32,
                        subnet: s.map(|s| s.1 .0),
                        dest: d as u32,
                        dest_name: destination_label(Some(vpc), &dest.target, &dest.name),
                        reach: network::reach(vpc, h, s, dest),
                    });
                }
            }
        }
    }
    out
}

/// Checks `sc` at every size; returns the failures (name, size, sentences) and how many layouts.
fn check_all(name: &str, sc: &Scenario, failures: &mut Vec<String>) -> usize {
    let paths = all_paths(sc);
    for &(w, h) in &SIZES {
        let l = view::layout_topology(sc, w, h);
        assert_eq!(l, view::layout_topology(sc, w, h), "deterministic");
        let r = checks(&l, &paths);
        for s in r.0.iter().take(4) {
            failures.push(format!("{name} at {w}x{h}: {s}"));
        }
    }
    SIZES.len()
}

#[test]
fn presets_never_clip_overlap_or_tangle() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json") && n != "index.json")
        .collect();
    names.sort();
    let (mut failures, mut n) = (vec![], 0);
    for name in &names {
        let spec = ScenarioSpec::from_json(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        let sc = spec.validate().unwrap();
        n += check_all(name, &sc, &mut failures);
        for ep in &sc.epochs {
            n += check_all(&format!("{name} after {}", ep.label), &ep.scenario, &mut failures);
        }
    }
    eprintln!("{n} preset layouts checked, {} failures", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A VPC scenario with `azs` AZs, `subnets` subnets (the first of each AZ public, with a NAT
/// gateway the others route to), `functions` functions (the last one outside the VPC when
/// there are several), an S3 gateway endpoint and an SQS interface endpoint; `long`: every
/// name long.
fn generated(azs: usize, subnets: usize, functions: usize, long: bool) -> String {
    let n = |short: String, l: &str| if long { format!("{short}-{l}") } else { short };
    let az = |k: usize| n(format!("eu-west-1{}", (b'a' + k as u8) as char), "zone-with-a-long-name");
    let sub = |i: usize| n(format!("sub-{i}"), "orders-service-private-application-tier");
    let azs_j: Vec<String> = (0..azs).map(|k| format!("{:?}", az(k))).collect();
    let mut subs = vec![];
    let mut nats = vec![];
    let mut rts = vec![format!(
        r#"{{"name":"rt-public","default_route":"internet_gateway","gateway_endpoints":["s3"]}}"#
    )];
    for i in 0..subnets {
        let k = i % azs;
        let public = i < azs;
        let rt = if public { "rt-public".to_string() } else { format!("rt-{k}") };
        subs.push(format!(
            r#"{{"name":{:?},"az":{:?},"cidr":"10.0.{}.0/24","route_table":"{rt}"}}"#,
            sub(i),
            az(k),
            100 + i
        ));
        if public {
            nats.push(format!(r#"{{"name":{:?},"subnet":{:?}}}"#, n(format!("nat-{k}"), "egress"), sub(i)));
        }
    }
    for k in 0..azs {
        let default = if k < subnets {
            format!(r#"{{"nat_gateway":{:?}}}"#, n(format!("nat-{k}"), "egress"))
        } else {
            r#""none""#.into()
        };
        rts.push(format!(r#"{{"name":"rt-{k}","default_route":{default},"gateway_endpoints":["s3"]}}"#));
    }
    let private: Vec<usize> = (azs..subnets).collect();
    let endpoint = if private.is_empty() {
        String::new()
    } else {
        format!(r#","interface_endpoints":[{{"service":"sqs","subnets":[{:?}]}}]"#, sub(private[0]))
    };
    let resource = if private.len() > 1 {
        format!(
            r#","resources":[{{"name":{:?},"kind":"rds","subnet":{:?},"security_groups":["lambda"]}}]"#,
            n("orders-db".into(), "primary-cluster"),
            sub(private[1])
        )
    } else {
        String::new()
    };
    let mut fns = vec![];
    for j in 0..functions {
        let managed = functions > 1 && j == functions - 1;
        let attach: Vec<String> = if private.is_empty() {
            vec![format!("{:?}", sub(0))]
        } else {
            let mut v: Vec<usize> = (0..3).map(|t| private[(j + t * 2) % private.len()]).collect();
            v.sort();
            v.dedup();
            v.into_iter().map(|i| format!("{:?}", sub(i))).collect()
        };
        let vpc = if managed {
            String::new()
        } else {
            format!(r#","vpc":{{"subnets":[{}],"security_groups":["lambda"]}}"#, attach.join(","))
        };
        let reserved = if j == 0 { r#","reserved_concurrency":100"# } else { "" };
        let host = n(format!("api{j}.payments.example"), "with.a.very.long.host.name.com");
        let db = if private.len() > 1 && !managed {
            format!(
                r#",{{"name":"db","kind":{{"resource":{:?}}},"bytes_per_call":100}}"#,
                n("orders-db".into(), "primary-cluster")
            )
        } else {
            String::new()
        };
        fns.push(format!(
            r#"{{"name":{:?},"memory_mb":256,"timeout":"5s","duration":{{"type":"constant","ms":100}}{reserved}{vpc},"destinations":[{{"name":"api","kind":{{"internet":{host:?}}},"bytes_per_call":1000}},{{"name":"queue","kind":{{"aws_service":"sqs"}},"bytes_per_call":1000}},{{"name":"bucket","kind":{{"aws_service":"s3"}},"bytes_per_call":1000}}{db}],"traffic":{{"type":"constant","rate":1}}}}"#,
            n(format!("fn-{j}"), "payments-reconciliation-worker")
        ));
    }
    format!(
        r#"{{"version":1,"name":"gen","seed":1,"duration":"1m","account":{{"region":"eu-west-1","concurrency_limit":1000}},"vpc":{{"name":{:?},"cidr":"10.0.0.0/16","azs":[{}],"subnets":[{}],"route_tables":[{}],"internet_gateway":{{"name":{:?}}},"nat_gateways":[{}],"security_groups":[{{"name":"lambda"}}]{endpoint}{resource}}},"functions":[{}]}}"#,
        n("shop".into(), "production-network-of-the-orders-platform"),
        azs_j.join(","),
        subs.join(","),
        rts.join(","),
        n("igw".into(), "main-internet-gateway"),
        nats.join(","),
        fns.join(",")
    )
}

#[test]
fn generated_topologies_never_clip_overlap_or_tangle() {
    let (mut failures, mut n) = (vec![], 0);
    for azs in 1..=6 {
        for subnets in [1, 2, 3, 5, 8, 12, 16] {
            for functions in [1, 3, 5] {
                for long in [false, true] {
                    let text = generated(azs, subnets, functions, long);
                    let spec = ScenarioSpec::from_json(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
                    let sc = spec.validate().unwrap_or_else(|e| panic!("{e}\n{text}"));
                    let name = format!(
                        "{azs} AZs, {subnets} subnets, {functions} functions{}",
                        if long { ", long names" } else { "" }
                    );
                    n += check_all(&name, &sc, &mut failures);
                }
            }
        }
    }
    eprintln!("{n} generated layouts checked, {} failures", failures.len());
    let shown: Vec<_> = failures.iter().take(60).collect();
    assert!(
        failures.is_empty(),
        "{} failures, the first:\n{}",
        failures.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}

/// The checks find what they look for: a layout broken on purpose fails each of them.
#[test]
fn the_checks_catch_clipped_text_overlaps_and_lines_through_boxes() {
    let text = include_str!("../../../www/scenarios/multi-az-outage.json");
    let sc = ScenarioSpec::from_json(text).unwrap().validate().unwrap();
    let paths = all_paths(&sc);
    let good = view::layout_topology(&sc, 1028.0, 405.0);
    assert!(checks(&good, &paths).0.is_empty());
    let broken = |f: &dyn Fn(&mut view::VpcLayout)| {
        let mut l = good.clone();
        f(l.vpc.as_mut().unwrap());
        checks(&l, &paths).0
    };
    let caught = [
        broken(&|v| v.subnets[1].rect = v.subnets[0].rect),
        broken(&|v| v.subnets[0].name_label.x += v.subnets[0].rect.w),
        broken(&|v| v.destinations[0].name_label.text.push_str(" and a much longer name")),
        broken(&|v| {
            let g = v.igw.as_mut().unwrap();
            g.rect.x = v.rect.x + v.rect.w - g.rect.w / 2.0;
        }),
        broken(&|v| {
            // Straight across the VPC, as the old lines went.
            let a = v.attachments.iter_mut().max_by(|a, b| a.to.0.total_cmp(&b.to.0)).unwrap();
            a.route = vec![a.from, (a.to.0, a.from.1), a.to];
        }),
        broken(&|v| {
            // A line of another connection on top of an attachment all the way to its subnet.
            let mut a = v.attachments[0].clone();
            let end = a.route[a.route.len() - 1];
            a.route.push((end.0, end.1 + 30.0));
            v.attachments.push(a);
        }),
    ];
    for (i, c) in caught.iter().enumerate() {
        assert!(!c.is_empty(), "breakage {i} caught");
    }
    assert!(caught[5].iter().all(|s| s.contains(" share ")), "{:?}", caught[5]);
}

/// Every line of text in the layout.
fn labels(l: &TopologyLayout) -> Vec<&Label> {
    let mut v: Vec<&Label> = l.functions.iter().map(|f| &f.label).collect();
    v.extend(l.boxes.iter().map(|b| &b.text));
    if let Some(vl) = &l.vpc {
        v.extend([&vl.label, &vl.cidr_label]);
        if !vl.destinations.is_empty() {
            v.push(&vl.outside_label);
        }
        v.extend(vl.igw.iter().flat_map(|g| [&g.title, &g.name_label]));
        v.extend(vl.destinations.iter().flat_map(|d| [&d.kind_label, &d.name_label]));
        v.extend(vl.azs.iter().map(|a| &a.label));
        for s in &vl.subnets {
            v.extend([&s.name_label, &s.cidr_label, &s.route_label]);
            v.extend(s.gw_labels.iter());
        }
        v.extend(vl.chips.iter().map(|c| &c.text));
    }
    v
}

/// The picture uses the width it has (seen at 1440×900): at the topology's size there, the VPC
/// and what is right of it (gateways, outside) reach the picture's right edge, small VPCs (up
/// to 3 AZs of up to 2 subnets) fit the box's height with their AZs side by side, and the
/// simple presets show every text whole.
#[test]
fn presets_use_the_width_before_wrapping_or_shortening() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json") && n != "index.json")
        .collect();
    names.sort();
    let (w, h) = SIZES[0];
    let mut failures = vec![];
    for name in &names {
        let spec = ScenarioSpec::from_json(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        let sc = spec.validate().unwrap();
        let Some(vpc) = &sc.vpc else { continue };
        let l = view::layout_topology(&sc, w, h);
        let v = l.vpc.as_ref().unwrap();
        // (c) No wasted column on the right.
        let right = std::iter::once(v.rect)
            .chain(v.igw.iter().map(|g| g.rect))
            .chain(v.chips.iter().filter(|c| c.subnet.is_none()).map(|c| c.rect))
            .chain(v.destinations.iter().map(|d| d.rect))
            .map(|r| r.x + r.w)
            .fold(0.0, f64::max);
        if right < l.width - 40.0 {
            failures.push(format!("{name}: the picture ends at {right:.0} of {w}"));
        }
        // (a) Small VPCs fit the box, their AZs in one row.
        let per_az: Vec<usize> =
            vpc.azs().map(|(id, _)| vpc.subnets().filter(|(_, s)| s.az == id).count()).collect();
        if per_az.len() <= 3 && per_az.iter().all(|&n| n <= 2) {
            if l.height > h + EPS {
                failures.push(format!("{name}: {:.0} px tall in a {h} px box", l.height));
            }
            let y0 = v.azs[0].rect.y;
            if v.azs.iter().any(|a| (a.rect.y - y0).abs() > EPS) {
                failures.push(format!("{name}: its {} AZs wrap", v.azs.len()));
            }
        }
        // (b) Nothing shortened where there is room.
        if ["managed-instances-doubling.json", "mixed-subnets.json"].contains(&name.as_str()) {
            for t in labels(&l).into_iter().filter(|t| !t.full.is_empty()) {
                failures.push(format!("{name}: {:?} shortened to {:?}", t.full, t.text));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
