//! Panel 1, cross-account access: the classic recipe (execution role policy in account A, trust
//! policy of the role in account B, then optionally S3) as editable JSON, evaluated as you type
//! by `lambdascape_beyond_engine::iam::evaluate_cross_account`, drawn as a path whose hops turn green
//! or red, with the engine's one-sentence verdict and each policy's syntax errors under its box.

use super::path::{path_svg, Status};
use super::util::{target_checked, target_value};
use lambdascape_beyond_engine::iam::{
    evaluate_cross_account, seed_example, CrossAccountResult, CrossAccountScenario, Hop, HopKind, HopOutcome,
    S3Access,
};
use std::rc::Rc;
use yew::prelude::*;

/// The form: text as typed, so a half-typed policy stays on screen.
#[derive(Clone, PartialEq)]
struct Form {
    exec_arn: String,
    target_arn: String,
    exec_policy: String,
    trust_policy: String,
    s3_on: bool,
    action: String,
    resource: String,
    assumed_policy: String,
    bucket_policy: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    ExecArn,
    TargetArn,
    ExecPolicy,
    Trust,
    Action,
    Resource,
    Assumed,
    Bucket,
}

enum Edit {
    Text(Field, String),
    S3(bool),
    Reset,
}

impl Form {
    fn seed() -> Self {
        let s = seed_example();
        let s3 = s.s3.unwrap_or_else(|| S3Access {
            action: String::new(),
            resource: String::new(),
            bucket_account: None,
            assumed_role_policy: None,
            bucket_policy: None,
        });
        Form {
            exec_arn: s.execution_role_arn,
            target_arn: s.target_role_arn,
            exec_policy: s.execution_role_policy,
            trust_policy: s.trust_policy,
            s3_on: true,
            action: s3.action,
            resource: s3.resource,
            assumed_policy: s3.assumed_role_policy.unwrap_or_default(),
            bucket_policy: s3.bucket_policy.unwrap_or_default(),
        }
    }

    fn scenario(&self) -> CrossAccountScenario {
        let opt = |t: &str| (!t.trim().is_empty()).then(|| t.to_string());
        CrossAccountScenario {
            execution_role_arn: self.exec_arn.trim().to_string(),
            target_role_arn: self.target_arn.trim().to_string(),
            session_name: "cross_acct_lambda".into(),
            execution_role_policy: self.exec_policy.clone(),
            trust_policy: self.trust_policy.clone(),
            s3: self.s3_on.then(|| S3Access {
                action: self.action.trim().to_string(),
                resource: self.resource.trim().to_string(),
                // The bucket belongs to the assumed role's account (account B).
                bucket_account: None,
                assumed_role_policy: opt(&self.assumed_policy),
                bucket_policy: opt(&self.bucket_policy),
            }),
            context: Default::default(),
        }
    }
}

impl Reducible for Form {
    type Action = Edit;
    fn reduce(self: Rc<Self>, action: Edit) -> Rc<Self> {
        let mut f = (*self).clone();
        match action {
            Edit::Reset => return Rc::new(Form::seed()),
            Edit::S3(on) => f.s3_on = on,
            Edit::Text(field, v) => {
                let slot = match field {
                    Field::ExecArn => &mut f.exec_arn,
                    Field::TargetArn => &mut f.target_arn,
                    Field::ExecPolicy => &mut f.exec_policy,
                    Field::Trust => &mut f.trust_policy,
                    Field::Action => &mut f.action,
                    Field::Resource => &mut f.resource,
                    Field::Assumed => &mut f.assumed_policy,
                    Field::Bucket => &mut f.bucket_policy,
                };
                *slot = v;
            }
        }
        Rc::new(f)
    }
}

/// The hop's colour class on the path: a denial that the other side of a same-account pair
/// makes up for is "not needed" rather than red.
pub fn status_of(hop: &Hop, pair_allowed: bool) -> Status {
    match &hop.outcome {
        HopOutcome::Allowed { .. } => Status::Allowed,
        HopOutcome::InvalidPolicy { .. } => Status::Invalid,
        HopOutcome::ExplicitDeny { .. } => Status::Denied,
        HopOutcome::ImplicitDeny { .. } if pair_allowed => Status::NotNeeded,
        HopOutcome::ImplicitDeny { .. } => Status::Denied,
    }
}

/// The pair verdict a hop belongs to: AssumeRole (hops 1-2) or the S3 step (hops 3-4).
pub fn pair_allowed(r: &CrossAccountResult, kind: HopKind) -> bool {
    match kind {
        HopKind::ExecutionRolePolicy | HopKind::TrustPolicy => r.assume_role_allowed,
        HopKind::AssumedRolePolicy | HopKind::BucketPolicy => r.s3_allowed == Some(true),
    }
}

fn hop_slug(kind: HopKind) -> &'static str {
    match kind {
        HopKind::ExecutionRolePolicy => "exec",
        HopKind::TrustPolicy => "trust",
        HopKind::AssumedRolePolicy => "assumed",
        HopKind::BucketPolicy => "bucket",
    }
}

/// What the hop decided, in words.
fn outcome_text(hop: &Hop) -> String {
    match &hop.outcome {
        HopOutcome::Allowed { statement } => format!("allows {} ({statement})", hop.action),
        HopOutcome::ImplicitDeny { missing, closest } => {
            let mut t = format!("{} {missing}", hop.label);
            if let Some(c) = closest {
                t.push_str(&format!(" (closest: {c})"));
            }
            t
        }
        HopOutcome::ExplicitDeny { statement } => format!("explicitly denies {} in {statement}", hop.action),
        HopOutcome::InvalidPolicy { error } => format!("is not a valid policy: {error}"),
    }
}

#[component]
pub fn CrossAccountPanel() -> Html {
    let form = use_reducer(Form::seed);
    let result = {
        let f = (*form).clone();
        use_memo(f, |f| evaluate_cross_account(&f.scenario()))
    };
    let edit = |field: Field| {
        let form = form.dispatcher();
        Callback::from(move |e: InputEvent| form.dispatch(Edit::Text(field, target_value(&e))))
    };
    let hop_of = |kind: HopKind| result.hops.iter().find(|h| h.kind == kind);
    // One policy text area with its error (line and column for malformed JSON) underneath.
    let policy_box = |kind: HopKind, field: Field, label: &str, hint: &str, text: &str| {
        let slug = hop_slug(kind);
        let id = format!("xa-{slug}");
        let err_id = format!("xa-{slug}-error");
        let error = hop_of(kind).and_then(|h| match &h.outcome {
            HopOutcome::InvalidPolicy { error } => Some(error.to_string()),
            _ => None,
        });
        html! {
            <div class={classes!("bx-field", "bx-policy", error.is_some().then_some("invalid"))}>
                <label for={id.clone()}>{ label.to_string() }</label>
                <span class="bx-hint">{ hint.to_string() }</span>
                <textarea id={id} rows="12" spellcheck="false" wrap="off" data-testid={format!("policy-{slug}")}
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={error.is_some().then(|| err_id.clone())}
                    value={text.to_string()} oninput={edit(field)} />
                { match error {
                    Some(e) => html! {
                        <p class="bx-error" id={err_id} role="alert" data-testid={format!("policy-error-{slug}")}>
                            <span aria-hidden="true">{"⚠ "}</span>{ e }</p>
                    },
                    None => html! {},
                } }
            </div>
        }
    };
    let text_input = |id: &str, label: &str, field: Field, value: &str| {
        html! {
            <div class="bx-field">
                <label for={id.to_string()}>{ label.to_string() }</label>
                <input id={id.to_string()} type="text" spellcheck="false" value={value.to_string()}
                    oninput={edit(field)} />
            </div>
        }
    };
    let on_s3 = {
        let d = form.dispatcher();
        Callback::from(move |e: Event| d.dispatch(Edit::S3(target_checked(&e))))
    };
    let on_reset = {
        let d = form.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Edit::Reset))
    };
    let r: &CrossAccountResult = &result;
    let verdict_class = if r.allowed { "ok" } else { "bad" };
    html! {
        <section class="bx-panel bx-wide" aria-labelledby="xa-title" data-testid="panel-cross-account">
            <h3 id="xa-title">{"Cross-account access (sts:AssumeRole)"}</h3>
            <p class="bx-lede">{"The function in account A assumes a role in account B and reads from S3 with it. \
                Across accounts both sides must allow: A's execution role policy must allow sts:AssumeRole on the \
                role, and the role's trust policy must name A's execution role (or A's account) as a principal."}</p>
            { path_svg(r, &form.exec_arn, &form.target_arn, form.s3_on.then_some((&*form.action, &*form.resource))) }
            <p class={classes!("xa-summary", verdict_class)} role="status" aria-live="polite" data-testid="xa-summary">
                <span aria-hidden="true">{ if r.allowed { "✓ " } else { "✕ " } }</span>{ &r.summary }</p>
            <ol class="xa-hops" aria-label="Each policy on the path">
                { for r.hops.iter().map(|h| {
                    let st = status_of(h, pair_allowed(r, h.kind));
                    html! {
                        <li class={classes!("xa-hop", st.class())} data-testid={format!("hop-row-{}", hop_slug(h.kind))}
                            data-status={st.word()}>
                            <span class="xa-glyph" aria-hidden="true">{ st.glyph() }</span>
                            <strong>{ format!("{}: {}", h.label, st.label()) }</strong>
                            <span class="xa-why">{ " — " }{ outcome_text(h) }</span>
                            { for h.notes.iter().map(|n| html! { <span class="xa-note">{ n }</span> }) }
                        </li>
                    }
                }) }
            </ol>
            <div class="bx-grid2">
                <div>
                    { text_input("xa-exec-arn", "Execution role ARN (account A)", Field::ExecArn, &form.exec_arn) }
                    { policy_box(HopKind::ExecutionRolePolicy, Field::ExecPolicy, "① Execution role policy (account A)",
                        "identity policy of the function's execution role", &form.exec_policy) }
                </div>
                <div>
                    { text_input("xa-target-arn", "Role to assume (account B)", Field::TargetArn, &form.target_arn) }
                    { policy_box(HopKind::TrustPolicy, Field::Trust, "② Trust policy of the role (account B)",
                        "who may assume the role", &form.trust_policy) }
                </div>
            </div>
            <div class="bx-row">
                <label class="bx-check">
                    <input type="checkbox" checked={form.s3_on} onchange={on_s3} data-testid="xa-s3-toggle" />
                    {" Then use the assumed role on S3"}
                </label>
                <button class="tool-button" onclick={on_reset} data-testid="xa-reset">{"Reset to the example policies"}</button>
            </div>
            { if form.s3_on { html! {
                <div class="bx-grid2">
                    <div>
                        { text_input("xa-action", "S3 action", Field::Action, &form.action) }
                        { policy_box(HopKind::AssumedRolePolicy, Field::Assumed, "③ Identity policy of the assumed role (optional)",
                            "empty: the role has none", &form.assumed_policy) }
                    </div>
                    <div>
                        { text_input("xa-resource", "S3 resource ARN (bucket in account B)", Field::Resource, &form.resource) }
                        { policy_box(HopKind::BucketPolicy, Field::Bucket, "④ Bucket policy (optional)",
                            "empty: the bucket has none", &form.bucket_policy) }
                    </div>
                </div>
            } } else { html! {} } }
        </section>
    }
}
