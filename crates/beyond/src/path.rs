//! The cross-account path as SVG: Lambda (account A) -> STS -> role (account B) -> S3, each hop
//! coloured by its verdict and also marked by a glyph and a word (never colour alone).

use super::cross_account::{pair_allowed, status_of};
use lambdascape_beyond_engine::iam::{CrossAccountResult, HopKind};
use yew::prelude::*;

/// A hop's state on the path.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Allowed,
    Denied,
    Invalid,
    /// Implicitly denied, but the other policy of a same-account pair grants on its own.
    NotNeeded,
    /// Not evaluated (no S3 step, or the ARNs are not valid).
    Off,
}

impl Status {
    pub fn class(self) -> &'static str {
        match self {
            Status::Allowed => "st-ok",
            Status::Denied => "st-bad",
            Status::Invalid => "st-invalid",
            Status::NotNeeded => "st-skip",
            Status::Off => "st-off",
        }
    }
    /// Machine-readable (data-status).
    pub fn word(self) -> &'static str {
        match self {
            Status::Allowed => "allowed",
            Status::Denied => "denied",
            Status::Invalid => "invalid",
            Status::NotNeeded => "not-needed",
            Status::Off => "off",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Allowed => "allowed",
            Status::Denied => "denied",
            Status::Invalid => "invalid policy",
            Status::NotNeeded => "not needed (same account)",
            Status::Off => "not evaluated",
        }
    }
    pub fn glyph(self) -> &'static str {
        match self {
            Status::Allowed => "✓",
            Status::Denied => "✕",
            Status::Invalid => "⚠",
            Status::NotNeeded => "–",
            Status::Off => "·",
        }
    }
}

/// `NAME` of `arn:...:role/path/NAME` (or of `arn:aws:s3:::NAME/key`), shortened for a box.
fn short_name(arn: &str) -> String {
    let rest = arn.rsplit(':').next().unwrap_or(arn);
    let name = if rest.starts_with("role/") {
        rest.rsplit('/').next().unwrap_or(rest)
    } else {
        rest.split('/').next().unwrap_or(rest)
    };
    clip(name, 19)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

fn account_of(arn: &str) -> String {
    arn.split(':').nth(4).filter(|a| !a.is_empty()).map(|a| format!("account {a}")).unwrap_or_default()
}

const W: f64 = 184.0;
const XS: [f64; 4] = [8.0, 290.0, 572.0, 854.0];
const Y: f64 = 52.0;
const H: f64 = 64.0;

fn node(i: usize, title: String, sub: String, st: Option<Status>, testid: &'static str) -> Html {
    let x = XS[i];
    let class = classes!("xa-node", st.map(Status::class));
    html! {
        <g data-testid={testid} data-status={st.map(Status::word).unwrap_or("neutral")}>
            <rect class={class} x={x.to_string()} y={Y.to_string()} width={W.to_string()} height={H.to_string()} rx="8" />
            <text class="xa-node-title" x={(x + W / 2.0).to_string()} y={(Y + 27.0).to_string()} text-anchor="middle">{ title }</text>
            <text class="xa-node-sub" x={(x + W / 2.0).to_string()} y={(Y + 47.0).to_string()} text-anchor="middle">{ sub }</text>
        </g>
    }
}

/// An edge from node `i` to node `i + 1`, labelled above.
fn edge(i: usize, name: &str, st: Status, testid: &'static str) -> Html {
    let (x1, x2, y) = (XS[i] + W, XS[i + 1] - 2.0, Y + H / 2.0);
    let mid = (x1 + x2) / 2.0;
    html! {
        <g class={classes!("xa-edge", st.class())} data-testid={testid} data-status={st.word()}>
            <line x1={x1.to_string()} y1={y.to_string()} x2={(x2 - 8.0).to_string()} y2={y.to_string()} />
            <polygon points={format!("{},{} {},{} {},{}", x2 - 10.0, y - 6.0, x2, y, x2 - 10.0, y + 6.0)} />
            <text class="xa-edge-name" x={mid.to_string()} y="22" text-anchor="middle">{ name.to_string() }</text>
            <text class="xa-edge-state" x={mid.to_string()} y="40" text-anchor="middle">{ format!("{} {}", st.glyph(), st.label()) }</text>
        </g>
    }
}

/// Draws the path for a result. `s3` is the S3 step's (action, resource) when there is one.
pub fn path_svg(r: &CrossAccountResult, exec_arn: &str, target_arn: &str, s3: Option<(&str, &str)>) -> Html {
    let st = |kind: HopKind| {
        r.hops
            .iter()
            .find(|h| h.kind == kind)
            .map(|h| status_of(h, pair_allowed(r, kind)))
            .unwrap_or(Status::Off)
    };
    let (h1, h2, h3, h4) = (
        st(HopKind::ExecutionRolePolicy),
        st(HopKind::TrustPolicy),
        st(HopKind::AssumedRolePolicy),
        st(HopKind::BucketPolicy),
    );
    let verdict = |ok: bool| {
        if r.hops.is_empty() {
            Status::Off
        } else if ok {
            Status::Allowed
        } else {
            Status::Denied
        }
    };
    let b_state = verdict(r.assume_role_allowed);
    // S3 is only reached with the assumed role's credentials.
    let s3_state = match r.s3_allowed {
        Some(ok) if r.assume_role_allowed => verdict(ok),
        _ => Status::Off,
    };
    let aria = format!(
        "Path from the function to {}: execution role policy {}, trust policy {}{}",
        if s3.is_some() { "S3" } else { "the role in account B" },
        h1.label(),
        h2.label(),
        if s3.is_some() {
            format!(", assumed role policy {}, bucket policy {}", h3.label(), h4.label())
        } else {
            String::new()
        }
    );
    let (s3_title, s3_sub) = match s3 {
        Some((action, resource)) => (short_name(resource), format!("S3 · {}", clip(action, 22))),
        None => ("S3 (not used)".to_string(), String::new()),
    };
    html! {
        <svg class="xa-path" viewBox="0 0 1046 176" role="img" aria-label={aria} data-testid="xa-path">
            { node(0, format!("λ {}", short_name(exec_arn)), account_of(exec_arn), None, "node-a") }
            { edge(0, "① execution role policy", h1, "hop-exec") }
            { node(1, "AWS STS".into(), "AssumeRole".into(), None, "node-sts") }
            { edge(1, "② trust policy", h2, "hop-trust") }
            { node(2, short_name(target_arn), account_of(target_arn), Some(b_state), "node-b") }
            { edge(2, "③ role's policy", h3, "hop-assumed") }
            { node(3, s3_title, s3_sub, Some(s3_state), "node-s3") }
            <g class={classes!("xa-edge", h4.class())} data-testid="hop-bucket" data-status={h4.word()}>
                <text class="xa-edge-name" x={(XS[3] + W / 2.0).to_string()} y="140" text-anchor="middle">{"④ bucket policy"}</text>
                <text class="xa-edge-state" x={(XS[3] + W / 2.0).to_string()} y="160" text-anchor="middle">
                    { format!("{} {}", h4.glyph(), h4.label()) }</text>
            </g>
            <text class="xa-node-sub" x={(XS[2] + W / 2.0).to_string()} y="140" text-anchor="middle">
                { format!("{} {}", b_state.glyph(), if b_state == Status::Allowed { "role assumed" } else if b_state == Status::Off { "" } else { "AccessDenied" }) }</text>
        </svg>
    }
}
