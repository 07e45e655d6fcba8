//! Evaluating one policy against one request: does any statement explicitly deny it, does one
//! allow it, or is it implicitly denied, and if so, what is missing.
//!
//! The rules follow AWS's evaluation logic within a single policy: a matching `Deny` wins over
//! any `Allow`; without a matching `Allow` the request is implicitly denied. A statement matches
//! when its principal (resource-based policies only), action, resource and every condition
//! match. Conditions outside the supported subset are reported in [`Evaluation::notes`] and
//! assumed to hold, so the result says what would happen if they did.

use super::pattern::{arn_match, wildcard_match};
use super::policy::{is_account_id, Condition, Effect, PatternBlock, Policy, Principal, Statement};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A request to evaluate: who asks to do what on which resource, with which context keys.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Request {
    /// The calling principal: a role ARN, an assumed-role session ARN, a user ARN, an account
    /// root ARN or a service name (`lambda.amazonaws.com`). Only resource-based and trust
    /// policies look at it.
    pub principal: Option<String>,
    /// The action, e.g. `sts:AssumeRole`.
    pub action: String,
    /// The resource ARN, e.g. the role being assumed.
    pub resource: String,
    /// Condition context keys and values; keys are matched case-insensitively.
    pub context: BTreeMap<String, String>,
}

/// Points at a statement: its index and, if it has one, its `Sid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    /// Index in the policy's `Statement` array.
    pub index: u32,
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
}

impl StatementRef {
    fn of(s: &Statement) -> Self {
        StatementRef { index: s.index, sid: s.sid.clone() }
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(sid) if !sid.is_empty() => write!(f, "statement {} (\"{}\")", self.index, sid),
            _ => write!(f, "statement {}", self.index),
        }
    }
}

/// The verdict of one policy on one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// A statement allows the request and none denies it.
    Allowed {
        /// The allowing statement.
        statement: StatementRef,
    },
    /// No statement allows the request.
    ImplicitDeny {
        /// What is missing, as a phrase that follows the policy's name, e.g. "does not name
        /// arn:aws:iam::111111111111:role/x as a principal".
        missing: String,
        /// The closest statement and how it differs, when there is one.
        closest: Option<String>,
    },
    /// A `Deny` statement matches: nothing else can allow the request.
    ExplicitDeny {
        /// The denying statement.
        statement: StatementRef,
    },
}

impl Decision {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }
}

/// A [`Decision`] plus notes (conditions that were not evaluated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The verdict.
    pub decision: Decision,
    /// Remarks, e.g. "statement 1: condition NumericLessThan ... not evaluated; assumed to hold".
    pub notes: Vec<String>,
}

/// How a principal element matched the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrincipalMatch {
    /// Not at all.
    No,
    /// By naming the caller itself, or `"*"`: the resource policy grants on its own.
    Specific,
    /// By naming the caller's account: the account must also grant through identity policies.
    Account,
}

/// Result of testing one condition.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CondOutcome {
    Met,
    NotMet(String),
    NotEvaluated(String),
}

/// How one statement relates to the request.
struct Check {
    principal: PrincipalMatch,
    action: bool,
    resource: bool,
    condition: CondOutcome,
    unevaluated: Vec<String>,
}

impl Check {
    fn applies(&self) -> bool {
        self.principal != PrincipalMatch::No
            && self.action
            && self.resource
            && !matches!(self.condition, CondOutcome::NotMet(_))
    }

    fn mismatches(&self) -> u32 {
        u32::from(self.principal == PrincipalMatch::No)
            + u32::from(!self.action)
            + u32::from(!self.resource)
            + u32::from(matches!(self.condition, CondOutcome::NotMet(_)))
    }
}

/// The parts of a caller that principal matching needs.
struct Caller<'a> {
    raw: &'a str,
    account: Option<&'a str>,
    /// For a role or an assumed-role session, the role's name (paths dropped).
    role_name: Option<&'a str>,
}

fn parse_caller(raw: &str) -> Caller<'_> {
    if is_account_id(raw) {
        return Caller { raw, account: Some(raw), role_name: None };
    }
    let parts: Vec<&str> = raw.splitn(6, ':').collect();
    if parts.len() != 6 || parts.first() != Some(&"arn") {
        return Caller { raw, account: None, role_name: None };
    }
    let account = parts.get(4).copied().filter(|a| is_account_id(a));
    let service = parts.get(2).copied().unwrap_or("");
    let resource = parts.get(5).copied().unwrap_or("");
    let role_name = match (service, resource.split_once('/')) {
        ("iam", Some(("role", rest))) => rest.rsplit('/').next(),
        ("sts", Some(("assumed-role", rest))) => rest.split('/').next(),
        _ => None,
    };
    Caller { raw, account, role_name }
}

fn match_principal(p: &Principal, caller: &Caller<'_>) -> PrincipalMatch {
    let yes = |b: bool| if b { PrincipalMatch::Specific } else { PrincipalMatch::No };
    match p {
        Principal::Any => PrincipalMatch::Specific,
        Principal::Service(s) => yes(s.eq_ignore_ascii_case(caller.raw)),
        Principal::Federated(s) | Principal::CanonicalUser(s) => yes(s == caller.raw),
        Principal::Aws(v) => {
            let named = parse_caller(v);
            let is_root = is_account_id(v) || v.ends_with(":root");
            if is_root {
                return if named.account.is_some() && named.account == caller.account {
                    PrincipalMatch::Account
                } else {
                    PrincipalMatch::No
                };
            }
            if v == caller.raw {
                return PrincipalMatch::Specific;
            }
            // A role ARN also matches sessions of that role (and the role ARN with another path).
            let is_role_arn = v.contains(":role/");
            match (is_role_arn, named.role_name, caller.role_name) {
                (true, Some(a), Some(b)) => yes(named.account == caller.account && a.eq_ignore_ascii_case(b)),
                _ => PrincipalMatch::No,
            }
        }
    }
}

fn pattern_hit(block: &PatternBlock, value: &str, ignore_case: bool) -> bool {
    let any = block.patterns.iter().any(|p| wildcard_match(p, value, ignore_case));
    any != block.negated
}

fn context_value<'a>(req: &'a Request, key: &str) -> Option<&'a str> {
    req.context.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
}

fn eval_condition(c: &Condition, req: &Request) -> CondOutcome {
    let op = c.operator.as_str();
    if op.contains(':') {
        return CondOutcome::NotEvaluated(format!(
            "condition {c} not evaluated (set operators such as ForAnyValue/ForAllValues are not simulated)"
        ));
    }
    let (base, if_exists) = match op.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (op, false),
    };
    let actual = context_value(req, &c.key);
    let base_lc = base.to_ascii_lowercase();
    if base_lc == "null" {
        // {"Null": {"key": "true"}} holds when the key is absent.
        let want_absent = c.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
        return if want_absent == actual.is_none() {
            CondOutcome::Met
        } else {
            CondOutcome::NotMet(format!(
                "{c} (the key is {})",
                if actual.is_some() { "present" } else { "absent" }
            ))
        };
    }
    type Matcher = fn(&str, &str) -> bool;
    let (negated, matcher): (bool, Matcher) = match base_lc.as_str() {
        "stringequals" => (false, |p, v| p == v),
        "stringnotequals" => (true, |p, v| p == v),
        "stringequalsignorecase" => (false, |p, v| p.to_lowercase() == v.to_lowercase()),
        "stringnotequalsignorecase" => (true, |p, v| p.to_lowercase() == v.to_lowercase()),
        "stringlike" => (false, |p, v| wildcard_match(p, v, false)),
        "stringnotlike" => (true, |p, v| wildcard_match(p, v, false)),
        "arnequals" | "arnlike" => (false, arn_match),
        "arnnotequals" | "arnnotlike" => (true, arn_match),
        "bool" => (false, |p, v| p.eq_ignore_ascii_case(v)),
        _ => {
            return CondOutcome::NotEvaluated(format!(
                "condition {c} not evaluated (operator {op} is outside the simulated subset)"
            ))
        }
    };
    let Some(actual) = actual else {
        // Missing key: IfExists makes the condition hold; negated operators hold; others fail.
        return if if_exists || negated {
            CondOutcome::Met
        } else {
            CondOutcome::NotMet(format!("{c} (the request has no {})", c.key))
        };
    };
    let any = c.values.iter().any(|p| matcher(p, actual));
    if any != negated {
        CondOutcome::Met
    } else {
        CondOutcome::NotMet(format!("{c} (the request has {} = \"{}\")", c.key, actual))
    }
}

fn check_statement(s: &Statement, req: &Request) -> Check {
    let principal = match (&s.principal, &req.principal) {
        (None, _) => PrincipalMatch::Specific,
        (Some(_), None) => PrincipalMatch::No,
        (Some(block), Some(raw)) => {
            let caller = parse_caller(raw);
            let best = block.principals.iter().map(|p| match_principal(p, &caller)).fold(
                PrincipalMatch::No,
                |acc, m| match (acc, m) {
                    (PrincipalMatch::Specific, _) | (_, PrincipalMatch::Specific) => PrincipalMatch::Specific,
                    (PrincipalMatch::Account, _) | (_, PrincipalMatch::Account) => PrincipalMatch::Account,
                    _ => PrincipalMatch::No,
                },
            );
            match (block.negated, best) {
                (false, m) => m,
                (true, PrincipalMatch::No) => PrincipalMatch::Specific,
                (true, _) => PrincipalMatch::No,
            }
        }
    };
    let action = pattern_hit(&s.action, &req.action, true);
    let resource = s.resource.as_ref().is_none_or(|r| pattern_hit(r, &req.resource, false));
    let mut condition = CondOutcome::Met;
    let mut unevaluated = Vec::new();
    for c in &s.conditions {
        match eval_condition(c, req) {
            CondOutcome::Met => {}
            CondOutcome::NotEvaluated(why) => unevaluated.push(why),
            not_met @ CondOutcome::NotMet(_) => {
                if !matches!(condition, CondOutcome::NotMet(_)) {
                    condition = not_met;
                }
            }
        }
    }
    Check { principal, action, resource, condition, unevaluated }
}

/// Evaluates `policy` against `req`.
///
/// # Examples
///
/// ```
/// use lambdascape_beyond_engine::iam::{evaluate, parse_policy, PolicyKind, Request};
///
/// let policy = parse_policy(
///     r#"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/*"}}"#,
///     PolicyKind::Identity,
/// ).unwrap();
/// let req = Request {
///     action: "sts:AssumeRole".into(),
///     resource: "arn:aws:iam::222222222222:role/role-on-source-account".into(),
///     ..Request::default()
/// };
/// assert!(evaluate(&policy, &req).decision.is_allowed());
/// ```
pub fn evaluate(policy: &Policy, req: &Request) -> Evaluation {
    evaluate_detailed(policy, req).0
}

/// Like [`evaluate`], also telling whether the allowing statement grants on its own: `false`
/// when it only names the caller's account, which then has to grant through identity policies.
pub(crate) fn evaluate_detailed(policy: &Policy, req: &Request) -> (Evaluation, bool) {
    let mut notes = Vec::new();
    let mut allow: Option<(StatementRef, bool)> = None;
    // The Allow statement closest to matching, for the implicit-deny explanation.
    let mut closest: Option<(&Statement, Check)> = None;
    for s in &policy.statements {
        let check = check_statement(s, req);
        if check.applies() {
            for why in &check.unevaluated {
                notes.push(format!("{}: {why}; assumed to hold", StatementRef::of(s)));
            }
            match s.effect {
                Effect::Deny => {
                    let decision = Decision::ExplicitDeny { statement: StatementRef::of(s) };
                    return (Evaluation { decision, notes }, false);
                }
                Effect::Allow => {
                    let alone = check.principal == PrincipalMatch::Specific;
                    let better = match &allow {
                        None => true,
                        Some((_, prev_alone)) => alone && !prev_alone,
                    };
                    if better {
                        allow = Some((StatementRef::of(s), alone));
                    }
                }
            }
        } else if s.effect == Effect::Allow {
            let better = closest.as_ref().is_none_or(|(_, c)| check.mismatches() < c.mismatches());
            if better {
                closest = Some((s, check));
            }
        }
    }
    if let Some((statement, alone)) = allow {
        return (Evaluation { decision: Decision::Allowed { statement }, notes }, alone);
    }
    let decision = match closest {
        None => Decision::ImplicitDeny {
            missing: format!("has no Allow statement for {} on {}", req.action, req.resource),
            closest: None,
        },
        Some((s, check)) => implicit_deny(s, &check, req),
    };
    (Evaluation { decision, notes }, false)
}

fn list(items: &[String]) -> String {
    const MAX: usize = 3;
    let mut shown: Vec<&str> = items.iter().take(MAX).map(String::as_str).collect();
    let more = items.len().saturating_sub(MAX);
    let extra = if more > 0 { format!(" and {more} more") } else { String::new() };
    if shown.len() == 1 {
        return format!("{}{extra}", shown.remove(0));
    }
    format!("{}{extra}", shown.join(", "))
}

fn block_words(b: &PatternBlock) -> String {
    if b.negated {
        format!("everything except {}", list(&b.patterns))
    } else {
        list(&b.patterns)
    }
}

fn implicit_deny(s: &Statement, check: &Check, req: &Request) -> Decision {
    let who = req.principal.as_deref().unwrap_or("the caller");
    let r = StatementRef::of(s);
    let mut differences = Vec::new();
    if check.principal == PrincipalMatch::No {
        if let Some(block) = &s.principal {
            let names: Vec<String> = block.principals.iter().map(ToString::to_string).collect();
            let verb = if block.negated { "names every principal except" } else { "names" };
            differences.push(format!("{r} {verb} {}", list(&names)));
        }
    }
    if !check.action {
        differences.push(format!("{r} covers the actions {}", block_words(&s.action)));
    }
    if !check.resource {
        if let Some(res) = &s.resource {
            differences.push(format!("{r} covers the resources {}", block_words(res)));
        }
    }
    if let CondOutcome::NotMet(why) = &check.condition {
        differences.push(format!("{r} requires {why}"));
    }
    let missing = if check.principal == PrincipalMatch::No {
        format!("does not name {who} as a principal")
    } else if !check.action {
        format!("does not allow {}", req.action)
    } else if !check.resource {
        format!("does not allow {} on {}", req.action, req.resource)
    } else if let CondOutcome::NotMet(why) = &check.condition {
        format!("allows {} only under a condition the request does not meet: {why}", req.action)
    } else {
        format!("does not allow {} on {}", req.action, req.resource)
    };
    let closest = (!differences.is_empty()).then(|| differences.join("; "));
    Decision::ImplicitDeny { missing, closest }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::policy::{parse_policy, PolicyKind};

    fn req(principal: &str, action: &str, resource: &str) -> Request {
        Request {
            principal: Some(principal.into()),
            action: action.into(),
            resource: resource.into(),
            context: BTreeMap::new(),
        }
    }

    #[test]
    fn role_principal_matches_its_sessions() {
        let p = parse_policy(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/path/exec"},"Action":"sts:AssumeRole"}}"#,
            PolicyKind::Trust,
        )
        .unwrap();
        let session = "arn:aws:sts::111111111111:assumed-role/exec/my-function";
        assert!(evaluate(&p, &req(session, "sts:AssumeRole", "x")).decision.is_allowed());
        let other = "arn:aws:sts::333333333333:assumed-role/exec/my-function";
        assert!(!evaluate(&p, &req(other, "sts:AssumeRole", "x")).decision.is_allowed());
    }

    #[test]
    fn deny_wins_regardless_of_order() {
        let p = parse_policy(
            r#"{"Statement":[{"Sid":"No","Effect":"Deny","Action":"sts:*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            PolicyKind::Identity,
        )
        .unwrap();
        let e = evaluate(&p, &req("x", "sts:AssumeRole", "arn:aws:iam::1:role/r"));
        assert_eq!(
            e.decision,
            Decision::ExplicitDeny { statement: StatementRef { index: 0, sid: Some("No".into()) } }
        );
    }

    #[test]
    fn conditions_subset() {
        let p = parse_policy(
            r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/data-*"}}}}"#,
            PolicyKind::Identity,
        )
        .unwrap();
        let mut r = req("x", "s3:GetObject", "arn:aws:s3:::b/k");
        r.context.insert("aws:principalarn".into(), "arn:aws:iam::1:role/data-reader".into());
        assert!(evaluate(&p, &r).decision.is_allowed());
        r.context.insert("aws:principalarn".into(), "arn:aws:iam::1:role/web".into());
        let e = evaluate(&p, &r);
        let Decision::ImplicitDeny { missing, .. } = e.decision else { panic!() };
        assert!(missing.contains("condition"), "{missing}");
    }

    #[test]
    fn unevaluated_conditions_are_noted() {
        let p = parse_policy(
            r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"10"}}}}"#,
            PolicyKind::Identity,
        )
        .unwrap();
        let e = evaluate(&p, &req("x", "s3:GetObject", "arn:aws:s3:::b/k"));
        assert!(e.decision.is_allowed());
        assert!(e.notes[0].contains("not evaluated"), "{:?}", e.notes);
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = parse_policy(
            r#"{"Statement":{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}}"#,
            PolicyKind::Identity,
        )
        .unwrap();
        assert!(evaluate(&p, &req("x", "s3:GetObject", "arn:aws:s3:::open/k")).decision.is_allowed());
        assert!(!evaluate(&p, &req("x", "IAM:CreateRole", "arn:aws:s3:::open/k")).decision.is_allowed());
        assert!(!evaluate(&p, &req("x", "s3:GetObject", "arn:aws:s3:::secret/k")).decision.is_allowed());
    }
}
