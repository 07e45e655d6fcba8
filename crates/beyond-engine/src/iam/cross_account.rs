//! The classic cross-account story, hop by hop: a Lambda function in account A assumes a role in
//! account B, then (optionally) uses it to reach an S3 bucket.
//!
//! 1. A's execution role policy (identity) must allow `sts:AssumeRole` on B's role ARN.
//! 2. B's role trust policy must allow A's execution role (or A's account root) `sts:AssumeRole`.
//! 3. B's role identity policy must allow the S3 action on the object, and
//! 4. the bucket policy may allow it too.
//!
//! Across accounts both sides must allow (hops 1 and 2; hops 3 and 4 when the bucket is in
//! another account than the role). Within one account either side suffices, except that a
//! resource policy naming only the account root delegates to identity policies. An explicit deny
//! anywhere wins. Every hop is evaluated and reported, so a panel can show them all at once.

use super::eval::{evaluate_detailed, Decision, Request, StatementRef};
use super::policy::{is_account_id, parse_policy, PolicyError, PolicyKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The editable inputs of the cross-account story. Policies are JSON text, as in the console, so
/// that syntax errors can be reported by line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossAccountScenario {
    /// The function's execution role in account A.
    pub execution_role_arn: String,
    /// The role in account B that the function assumes.
    pub target_role_arn: String,
    /// `RoleSessionName` passed to AssumeRole.
    #[serde(default = "default_session_name")]
    pub session_name: String,
    /// The execution role's identity policy (JSON text).
    pub execution_role_policy: String,
    /// The target role's trust policy (JSON text).
    pub trust_policy: String,
    /// What the function then does with the assumed role, if anything.
    #[serde(default)]
    pub s3: Option<S3Access>,
    /// Extra condition context keys (override the ones filled in automatically:
    /// `aws:PrincipalArn`, `aws:PrincipalAccount`, `sts:RoleSessionName`, `aws:SecureTransport`,
    /// `aws:ResourceAccount`).
    #[serde(default)]
    pub context: BTreeMap<String, String>,
}

/// The S3 step: an action on an object or bucket with the assumed role's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct S3Access {
    /// The S3 action, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource ARN, e.g. `arn:aws:s3:::shared-reports-bucket/reports/2024.csv`.
    pub resource: String,
    /// The account owning the bucket; defaults to the target role's account.
    #[serde(default)]
    pub bucket_account: Option<String>,
    /// The assumed role's identity policy (JSON text); `None` means it has none.
    #[serde(default)]
    pub assumed_role_policy: Option<String>,
    /// The bucket policy (JSON text); `None` means the bucket has none.
    #[serde(default)]
    pub bucket_policy: Option<String>,
}

fn default_session_name() -> String {
    "cross_acct_lambda".to_string()
}

/// Which hop of the story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HopKind {
    /// Account A: the execution role's identity policy, for `sts:AssumeRole`.
    ExecutionRolePolicy,
    /// Account B: the target role's trust policy, for `sts:AssumeRole`.
    TrustPolicy,
    /// Account B: the assumed role's identity policy, for the S3 action.
    AssumedRolePolicy,
    /// The bucket's policy, for the S3 action.
    BucketPolicy,
}

/// The outcome of one hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum HopOutcome {
    /// A statement allows the request.
    Allowed {
        /// The allowing statement.
        statement: StatementRef,
    },
    /// Nothing allows it.
    ImplicitDeny {
        /// What is missing, as a phrase following the hop's label.
        missing: String,
        /// The closest statement and how it differs.
        closest: Option<String>,
    },
    /// A Deny statement matches.
    ExplicitDeny {
        /// The denying statement.
        statement: StatementRef,
    },
    /// The policy text could not be parsed.
    InvalidPolicy {
        /// Why.
        error: PolicyError,
    },
}

/// One hop: which policy, which request, and what it decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Which hop.
    pub kind: HopKind,
    /// The policy in words, e.g. "the trust policy of role-on-source-account".
    pub label: String,
    /// The principal making the request.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The verdict.
    pub outcome: HopOutcome,
    /// Remarks: unevaluated conditions, same-account shortcuts.
    pub notes: Vec<String>,
    /// Whether an allow here grants on its own (it names the caller, not just its account).
    pub grants_alone: bool,
}

impl Hop {
    /// Whether this hop allows the request.
    pub fn is_allowed(&self) -> bool {
        matches!(self.outcome, HopOutcome::Allowed { .. })
    }

    fn is_explicit_deny(&self) -> bool {
        matches!(self.outcome, HopOutcome::ExplicitDeny { .. })
    }

    /// A sentence for why this hop denies, e.g. "the trust policy of r does not name p as a
    /// principal"; `None` when it allows.
    fn denial(&self) -> Option<String> {
        match &self.outcome {
            HopOutcome::Allowed { .. } => None,
            HopOutcome::ImplicitDeny { missing, .. } => Some(format!("{} {missing}", self.label)),
            HopOutcome::ExplicitDeny { statement } => Some(format!(
                "{} explicitly denies {} on {} in {statement}",
                self.label, self.action, self.resource
            )),
            HopOutcome::InvalidPolicy { error } => {
                Some(format!("{} is not a valid policy: {error}", self.label))
            }
        }
    }

    fn allowed_by(&self) -> Option<String> {
        match &self.outcome {
            HopOutcome::Allowed { statement } => Some(format!("{}, {statement}", self.label)),
            _ => None,
        }
    }
}

/// The whole story's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossAccountResult {
    /// The hops in order: execution role policy, trust policy, then (with an S3 step) the
    /// assumed role's policy and the bucket policy.
    pub hops: Vec<Hop>,
    /// Whether `sts:AssumeRole` succeeds.
    pub assume_role_allowed: bool,
    /// Whether the S3 action would succeed with the assumed role (`None` without an S3 step).
    pub s3_allowed: Option<bool>,
    /// Whether everything succeeds.
    pub allowed: bool,
    /// One sentence: "Allowed: ..." or "AccessDenied: ...".
    pub summary: String,
}

/// The built-in example: account A (111111111111) runs the function with
/// `my-lambda-execution-role`; it assumes `role-on-source-account` in account B (222222222222),
/// then reads from `shared-reports-bucket` in account B.
pub fn seed_example() -> CrossAccountScenario {
    CrossAccountScenario {
        execution_role_arn: "arn:aws:iam::111111111111:role/my-lambda-execution-role".into(),
        target_role_arn: "arn:aws:iam::222222222222:role/role-on-source-account".into(),
        session_name: default_session_name(),
        execution_role_policy: SEED_EXECUTION_ROLE_POLICY.into(),
        trust_policy: SEED_TRUST_POLICY.into(),
        s3: Some(S3Access {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::shared-reports-bucket/reports/2024.csv".into(),
            bucket_account: Some("222222222222".into()),
            assumed_role_policy: Some(SAMPLE_ASSUMED_ROLE_POLICY.into()),
            bucket_policy: Some(SAMPLE_BUCKET_POLICY.into()),
        }),
        context: BTreeMap::new(),
    }
}

/// Step 1 of the example: the execution role may assume the role in account B.
pub const SEED_EXECUTION_ROLE_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Resource": "arn:aws:iam::222222222222:role/role-on-source-account"
  }
}"#;

/// Step 2 of the example: the role in account B trusts the execution role.
pub const SEED_TRUST_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111111111111:role/my-lambda-execution-role"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}"#;

/// A sample identity policy for the assumed role: read the shared bucket.
pub const SAMPLE_ASSUMED_ROLE_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSharedReports",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": [
        "arn:aws:s3:::shared-reports-bucket",
        "arn:aws:s3:::shared-reports-bucket/*"
      ]
    }
  ]
}"#;

/// A sample bucket policy: the assumed role may read, and plain HTTP is refused.
pub const SAMPLE_BUCKET_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowCrossAccountRoleRead",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::222222222222:role/role-on-source-account" },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::shared-reports-bucket/*"
    },
    {
      "Sid": "DenyInsecureTransport",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::shared-reports-bucket",
        "arn:aws:s3:::shared-reports-bucket/*"
      ],
      "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    }
  ]
}"#;

/// Account and role name of a role ARN (`arn:aws:iam::ACCOUNT:role/path/NAME`).
fn role_parts(arn: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", account, resource] if is_account_id(account) => {
            let path = resource.strip_prefix("role/")?;
            let name = path.rsplit('/').next().filter(|n| !n.is_empty())?;
            Some(((*account).to_string(), name.to_string()))
        }
        _ => None,
    }
}

/// The bucket name in an S3 ARN (`arn:aws:s3:::bucket/key`).
fn bucket_name(arn: &str) -> String {
    let rest = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    rest.split('/').next().unwrap_or(rest).to_string()
}

struct HopInput<'a> {
    kind: HopKind,
    label: String,
    policy: Option<&'a str>,
    policy_kind: PolicyKind,
    principal: String,
    action: String,
    resource: String,
    context: BTreeMap<String, String>,
}

fn run_hop(h: HopInput<'_>) -> Hop {
    let (outcome, notes, grants_alone) = match h.policy {
        None => (HopOutcome::ImplicitDeny { missing: "is not set".into(), closest: None }, Vec::new(), false),
        Some(text) => match parse_policy(text, h.policy_kind) {
            Err(error) => (HopOutcome::InvalidPolicy { error }, Vec::new(), false),
            Ok(policy) => {
                let req = Request {
                    principal: Some(h.principal.clone()),
                    action: h.action.clone(),
                    resource: h.resource.clone(),
                    context: h.context,
                };
                let (eval, alone) = evaluate_detailed(&policy, &req);
                let outcome = match eval.decision {
                    Decision::Allowed { statement } => HopOutcome::Allowed { statement },
                    Decision::ImplicitDeny { missing, closest } => {
                        HopOutcome::ImplicitDeny { missing, closest }
                    }
                    Decision::ExplicitDeny { statement } => HopOutcome::ExplicitDeny { statement },
                };
                (outcome, eval.notes, alone)
            }
        },
    };
    Hop {
        kind: h.kind,
        label: h.label,
        principal: h.principal,
        action: h.action,
        resource: h.resource,
        outcome,
        notes,
        grants_alone,
    }
}

/// Combines an identity-side hop and a resource-side hop: explicit deny or an invalid policy on
/// either side denies; across accounts both must allow; within one account either may, but a
/// resource policy that only names the account root needs the identity side too. Returns the
/// denial sentence (without "AccessDenied: ") or `None` when allowed, plus notes.
fn combine(identity: &Hop, resource: &Hop, same_account: bool) -> (Option<String>, Option<String>) {
    for h in [identity, resource] {
        if h.is_explicit_deny() || matches!(h.outcome, HopOutcome::InvalidPolicy { .. }) {
            return (h.denial(), None);
        }
    }
    if !same_account {
        let denial = identity.denial().or_else(|| resource.denial());
        return (denial, None);
    }
    if identity.is_allowed() {
        return (None, None);
    }
    if resource.is_allowed() && resource.grants_alone {
        let note = format!(
            "same account: {} allows on its own, so the missing identity permission does not matter",
            resource.label
        );
        return (None, Some(note));
    }
    if resource.is_allowed() {
        // The resource policy names only the account, which delegates to identity policies.
        let denial = identity.denial().map(|d| {
            format!(
                "{d} (and {} names only the account, which needs the identity policy too)",
                resource.label
            )
        });
        return (denial, None);
    }
    let denial = format!(
        "neither {} nor {} allows {} on {}",
        identity.label, resource.label, identity.action, identity.resource
    );
    (Some(denial), None)
}

fn invalid(summary: String) -> CrossAccountResult {
    CrossAccountResult {
        hops: Vec::new(),
        assume_role_allowed: false,
        s3_allowed: None,
        allowed: false,
        summary,
    }
}

/// Evaluates the whole story.
///
/// # Examples
///
/// ```
/// use lambdascape_beyond_engine::iam::{evaluate_cross_account, seed_example};
///
/// let mut s = seed_example();
/// s.trust_policy = s.trust_policy.replace("my-lambda-execution-role", "some-other-role");
/// let r = evaluate_cross_account(&s);
/// assert_eq!(
///     r.summary,
///     "AccessDenied: the trust policy of role-on-source-account does not name \
///      arn:aws:iam::111111111111:role/my-lambda-execution-role as a principal"
/// );
/// ```
pub fn evaluate_cross_account(s: &CrossAccountScenario) -> CrossAccountResult {
    let Some((account_a, exec_name)) = role_parts(&s.execution_role_arn) else {
        return invalid(format!(
            "InvalidInput: execution_role_arn \"{}\" is not a role ARN like arn:aws:iam::111111111111:role/name",
            super::policy::truncate(&s.execution_role_arn, 80)
        ));
    };
    let Some((account_b, target_name)) = role_parts(&s.target_role_arn) else {
        return invalid(format!(
            "InvalidInput: target_role_arn \"{}\" is not a role ARN like arn:aws:iam::222222222222:role/name",
            super::policy::truncate(&s.target_role_arn, 80)
        ));
    };
    let with_user_context = |mut auto: BTreeMap<String, String>| {
        for (k, v) in &s.context {
            auto.retain(|ak, _| !ak.eq_ignore_ascii_case(k));
            auto.insert(k.clone(), v.clone());
        }
        auto
    };
    let assume_ctx = with_user_context(BTreeMap::from([
        ("aws:PrincipalArn".to_string(), s.execution_role_arn.clone()),
        ("aws:PrincipalAccount".to_string(), account_a.clone()),
        ("sts:RoleSessionName".to_string(), s.session_name.clone()),
    ]));

    let exec_hop = run_hop(HopInput {
        kind: HopKind::ExecutionRolePolicy,
        label: format!("the execution role policy of {exec_name}"),
        policy: Some(&s.execution_role_policy),
        policy_kind: PolicyKind::Identity,
        principal: s.execution_role_arn.clone(),
        action: "sts:AssumeRole".into(),
        resource: s.target_role_arn.clone(),
        context: assume_ctx.clone(),
    });
    let trust_hop = run_hop(HopInput {
        kind: HopKind::TrustPolicy,
        label: format!("the trust policy of {target_name}"),
        policy: Some(&s.trust_policy),
        policy_kind: PolicyKind::Trust,
        principal: s.execution_role_arn.clone(),
        action: "sts:AssumeRole".into(),
        resource: s.target_role_arn.clone(),
        context: assume_ctx,
    });
    let (assume_denial, assume_note) = combine(&exec_hop, &trust_hop, account_a == account_b);
    let assume_role_allowed = assume_denial.is_none();
    let mut hops = vec![exec_hop, trust_hop];
    if let (Some(note), Some(h)) = (assume_note, hops.get_mut(1)) {
        h.notes.push(note);
    }

    let mut s3_result: Option<(Option<String>, String)> = None;
    if let Some(s3) = &s.s3 {
        let bucket = bucket_name(&s3.resource);
        let bucket_account = s3.bucket_account.clone().unwrap_or_else(|| account_b.clone());
        let session_arn = format!("arn:aws:sts::{account_b}:assumed-role/{target_name}/{}", s.session_name);
        let s3_ctx = with_user_context(BTreeMap::from([
            ("aws:PrincipalArn".to_string(), s.target_role_arn.clone()),
            ("aws:PrincipalAccount".to_string(), account_b.clone()),
            ("aws:ResourceAccount".to_string(), bucket_account.clone()),
            ("aws:SecureTransport".to_string(), "true".to_string()),
        ]));
        let identity_hop = run_hop(HopInput {
            kind: HopKind::AssumedRolePolicy,
            label: format!("the identity policy of {target_name}"),
            policy: s3.assumed_role_policy.as_deref(),
            policy_kind: PolicyKind::Identity,
            principal: session_arn.clone(),
            action: s3.action.clone(),
            resource: s3.resource.clone(),
            context: s3_ctx.clone(),
        });
        let bucket_hop = run_hop(HopInput {
            kind: HopKind::BucketPolicy,
            label: format!("the bucket policy of {bucket}"),
            policy: s3.bucket_policy.as_deref(),
            policy_kind: PolicyKind::ResourceBased,
            principal: session_arn,
            action: s3.action.clone(),
            resource: s3.resource.clone(),
            context: s3_ctx,
        });
        let (denial, note) = combine(&identity_hop, &bucket_hop, bucket_account == account_b);
        let allowed_by: Vec<String> =
            [&identity_hop, &bucket_hop].iter().filter_map(|h| h.allowed_by()).collect();
        let what = format!("{} on {} (allowed by {})", s3.action, s3.resource, allowed_by.join("; "));
        hops.push(identity_hop);
        hops.push(bucket_hop);
        if let (Some(note), Some(h)) = (note, hops.get_mut(3)) {
            h.notes.push(note);
        }
        s3_result = Some((denial, what));
    }

    let s3_allowed = s3_result.as_ref().map(|(d, _)| d.is_none());
    let allowed = assume_role_allowed && s3_allowed.unwrap_or(true);
    let summary = match (&assume_denial, &s3_result) {
        (Some(d), _) => format!("AccessDenied: {d}"),
        (None, Some((Some(d), _))) => format!("AccessDenied: {d}"),
        (None, s3) => {
            let by: Vec<String> = hops.iter().take(2).filter_map(Hop::allowed_by).collect();
            let mut text =
                format!("Allowed: {exec_name} may assume {target_name} (allowed by {})", by.join("; "));
            if let Some((_, what)) = s3 {
                text.push_str(&format!(", and the assumed role may then perform {what}"));
            }
            text
        }
    };
    CrossAccountResult { hops, assume_role_allowed, s3_allowed, allowed, summary }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_allows_everything() {
        let r = evaluate_cross_account(&seed_example());
        assert!(r.allowed, "{}", r.summary);
        assert_eq!(r.hops.len(), 4);
        assert!(r.summary.starts_with("Allowed: my-lambda-execution-role may assume role-on-source-account"));
    }

    #[test]
    fn bad_role_arns_are_reported() {
        let mut s = seed_example();
        s.target_role_arn = "role-on-source-account".into();
        let r = evaluate_cross_account(&s);
        assert!(!r.allowed);
        assert!(r.summary.starts_with("InvalidInput: target_role_arn"), "{}", r.summary);
    }

    #[test]
    fn role_parts_handles_paths() {
        assert_eq!(
            role_parts("arn:aws:iam::111111111111:role/service-role/x"),
            Some(("111111111111".into(), "x".into()))
        );
        assert_eq!(role_parts("arn:aws:iam::111111111111:user/x"), None);
        assert_eq!(bucket_name("arn:aws:s3:::b/k/l"), "b");
    }

    #[test]
    fn plain_http_is_denied_by_the_sample_bucket_policy() {
        let mut s = seed_example();
        s.context.insert("aws:SecureTransport".into(), "false".into());
        let r = evaluate_cross_account(&s);
        assert!(r.assume_role_allowed);
        assert_eq!(r.s3_allowed, Some(false));
        assert!(r.summary.contains("\"DenyInsecureTransport\""), "{}", r.summary);
    }
}
