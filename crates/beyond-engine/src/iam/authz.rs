//! Explaining a decoded authorization message.
//!
//! When a request fails with `Client.UnauthorizedOperation` (HTTP 403), AWS returns an encoded
//! message; `aws sts decode-authorization-message --encoded-message ...` turns it into JSON with
//! `allowed`, `explicitDeny`, `matchedStatements`, `failures` and `context`. This module reads
//! that JSON (or the CLI's whole `{"DecodedMessage": "..."}` output) and says in plain words
//! whether the request was allowed, implicitly denied or explicitly denied, which statements
//! matched and what the request context was. Missing fields are tolerated; each list may be
//! written as `{"items": [...]}`, a plain array or a single value.

use super::policy::{describe, JsonSyntaxError};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The verdict the message records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The request was allowed.
    Allowed,
    /// No statement allowed the request.
    ImplicitDeny,
    /// A Deny statement matched.
    ExplicitDeny,
    /// The message does not say.
    Unknown,
}

/// A context key with its values, e.g. `ec2:InstanceType = m5.large`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextEntry {
    /// The key.
    pub key: String,
    /// Its values.
    pub values: Vec<String>,
}

/// A statement the message says matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedStatement {
    /// `statementId`, if given.
    pub statement_id: Option<String>,
    /// `effect` as written (`ALLOW`, `DENY`), if given.
    pub effect: Option<String>,
    /// Principals listed by the statement.
    pub principals: Vec<String>,
    /// Actions listed.
    pub actions: Vec<String>,
    /// Resources listed.
    pub resources: Vec<String>,
    /// Conditions listed.
    pub conditions: Vec<ContextEntry>,
}

impl MatchedStatement {
    fn is_deny(&self) -> bool {
        self.effect.as_deref().is_some_and(|e| e.eq_ignore_ascii_case("deny"))
    }

    fn name(&self) -> String {
        match &self.statement_id {
            Some(id) if !id.is_empty() => format!("statement \"{id}\""),
            _ => "a statement without an id".to_string(),
        }
    }
}

/// The explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthzExplanation {
    /// The verdict.
    pub verdict: Verdict,
    /// One sentence: what happened and what to do.
    pub headline: String,
    /// `context.principal` (its ARN, else its id).
    pub principal: Option<String>,
    /// `context.action`.
    pub action: Option<String>,
    /// `context.resource`.
    pub resource: Option<String>,
    /// `context.conditions`: the request's context keys.
    pub context: Vec<ContextEntry>,
    /// `matchedStatements`.
    pub matched: Vec<MatchedStatement>,
    /// `failures`, as text.
    pub failures: Vec<String>,
    /// Further sentences, one per matched statement, the context and failures.
    pub details: Vec<String>,
}

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthzError {
    /// The text is not JSON.
    Json(JsonSyntaxError),
    /// The JSON is not an object.
    NotAnObject {
        /// What was found instead.
        found: String,
    },
}

impl fmt::Display for AuthzError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthzError::Json(e) => e.fmt(f),
            AuthzError::NotAnObject { found } => write!(
                f,
                "expected the decoded message as a JSON object (with \"allowed\", \"context\", ...), found {found}"
            ),
        }
    }
}

impl std::error::Error for AuthzError {}

/// A realistic decoded message: the role assumed in the cross-account story tries to start an
/// `m5.large` instance and an SCP-style statement denies anything but `t3.micro`.
pub const SAMPLE_MESSAGE: &str = r#"{
  "allowed": false,
  "explicitDeny": true,
  "matchedStatements": {
    "items": [
      {
        "statementId": "DenyLargeInstances",
        "effect": "DENY",
        "principals": { "items": [ { "value": "AROAEXAMPLEROLEID2222" } ] },
        "principalGroups": { "items": [] },
        "actions": { "items": [ { "value": "ec2:RunInstances" } ] },
        "resources": { "items": [ { "value": "arn:aws:ec2:*:*:instance/*" } ] },
        "conditions": {
          "items": [
            { "key": "ec2:InstanceType", "values": { "items": [ { "value": "t3.micro" } ] } }
          ]
        }
      }
    ]
  },
  "failures": { "items": [] },
  "context": {
    "principal": {
      "id": "AROAEXAMPLEROLEID2222:cross_acct_lambda",
      "arn": "arn:aws:sts::222222222222:assumed-role/role-on-source-account/cross_acct_lambda"
    },
    "action": "ec2:RunInstances",
    "resource": "arn:aws:ec2:us-east-1:222222222222:instance/*",
    "conditions": {
      "items": [
        { "key": "ec2:InstanceType", "values": { "items": [ { "value": "m5.large" } ] } },
        { "key": "aws:Region", "values": { "items": [ { "value": "us-east-1" } ] } },
        { "key": "ec2:Region", "values": { "items": [ { "value": "us-east-1" } ] } },
        { "key": "aws:PrincipalAccount", "values": { "items": [ { "value": "222222222222" } ] } }
      ]
    }
  }
}"#;

/// The sample message, for the UI's "try an example" button.
pub fn sample_message() -> &'static str {
    SAMPLE_MESSAGE
}

/// Parses and explains a decoded authorization message.
///
/// # Examples
///
/// ```
/// use lambdascape_beyond_engine::iam::authz::{explain, sample_message, Verdict};
///
/// let e = explain(sample_message()).unwrap();
/// assert_eq!(e.verdict, Verdict::ExplicitDeny);
/// assert!(e.headline.contains("DenyLargeInstances"));
/// ```
pub fn explain(text: &str) -> Result<AuthzExplanation, AuthzError> {
    // Into an untyped document, as `lambdascape_engine::size::reader` does first: the rule is
    // against serde_json's typed text deserializer.
    #[allow(clippy::disallowed_methods)]
    let value: Value =
        serde_json::from_str(text).map_err(|e| AuthzError::Json(JsonSyntaxError::from_serde(&e, text)))?;
    explain_value(&value)
}

/// Explains an already parsed message. Accepts the CLI's `{"DecodedMessage": "<json>"}` too.
pub fn explain_value(value: &Value) -> Result<AuthzExplanation, AuthzError> {
    let Some(obj) = value.as_object() else {
        return Err(AuthzError::NotAnObject { found: describe(value) });
    };
    if let Some(Value::String(inner)) = get_ci(value, "DecodedMessage") {
        if !obj.contains_key("allowed") {
            return explain(inner);
        }
    }
    let context = get_ci(value, "context");
    let principal = context.and_then(|c| get_ci(c, "principal")).and_then(principal_text);
    let action = context.and_then(|c| get_ci(c, "action")).and_then(first_text);
    let resource = context.and_then(|c| get_ci(c, "resource")).and_then(first_text);
    let context_entries = context.and_then(|c| get_ci(c, "conditions")).map(entries).unwrap_or_default();
    let matched: Vec<MatchedStatement> = get_ci(value, "matchedStatements")
        .map(|m| items(m).into_iter().filter_map(matched_statement).collect())
        .unwrap_or_default();
    let failures: Vec<String> = get_ci(value, "failures").map(|f| texts(f, 0)).unwrap_or_default();

    let allowed = get_ci(value, "allowed").and_then(as_bool);
    let explicit = get_ci(value, "explicitDeny").and_then(as_bool);
    let verdict = match (allowed, explicit) {
        (_, Some(true)) => Verdict::ExplicitDeny,
        (Some(true), _) => Verdict::Allowed,
        (Some(false), _) => Verdict::ImplicitDeny,
        (None, _) if matched.iter().any(MatchedStatement::is_deny) => Verdict::ExplicitDeny,
        _ => Verdict::Unknown,
    };

    let who = principal.clone().unwrap_or_else(|| "the principal".to_string());
    let what = action.clone().unwrap_or_else(|| "the action".to_string());
    let on = resource.clone().unwrap_or_else(|| "the resource".to_string());
    let headline = match verdict {
        Verdict::Allowed => format!("Allowed: {who} may perform {what} on {on}."),
        Verdict::ExplicitDeny => {
            let by = matched.iter().find(|m| m.is_deny()).map(MatchedStatement::name);
            let by = by.map(|n| format!(" by {n}")).unwrap_or_default();
            format!(
                "Explicit deny{by}: {who} may not perform {what} on {on}. An explicit Deny overrides every Allow, \
                 so adding permissions will not help: change the denying statement (in an identity policy, a \
                 permissions boundary, an SCP or a resource policy) or the request."
            )
        }
        Verdict::ImplicitDeny => format!(
            "Implicit deny: no policy allows {who} to perform {what} on {on}. Add an Allow for this action \
             and resource to the principal's identity policy (and, across accounts, to the resource's policy)."
        ),
        Verdict::Unknown => {
            format!("The message does not say whether {who} was allowed to perform {what} on {on}.")
        }
    };

    let mut details = Vec::new();
    if matched.is_empty() {
        if verdict == Verdict::ImplicitDeny {
            details.push("No statement matched the request.".to_string());
        }
    } else {
        for m in &matched {
            details.push(describe_statement(m));
        }
    }
    if !context_entries.is_empty() {
        let parts: Vec<String> = context_entries.iter().map(entry_text).collect();
        details.push(format!("Request context: {}.", parts.join("; ")));
    }
    if !failures.is_empty() {
        details.push(format!("Failures: {}.", failures.join("; ")));
    }
    Ok(AuthzExplanation {
        verdict,
        headline,
        principal,
        action,
        resource,
        context: context_entries,
        matched,
        failures,
        details,
    })
}

fn describe_statement(m: &MatchedStatement) -> String {
    let effect = m.effect.clone().unwrap_or_else(|| "unknown effect".to_string());
    let mut parts = vec![format!("Matched {} ({effect})", m.name())];
    if !m.actions.is_empty() {
        parts.push(format!("actions {}", m.actions.join(", ")));
    }
    if !m.resources.is_empty() {
        parts.push(format!("resources {}", m.resources.join(", ")));
    }
    if !m.principals.is_empty() {
        parts.push(format!("principals {}", m.principals.join(", ")));
    }
    if !m.conditions.is_empty() {
        let c: Vec<String> = m.conditions.iter().map(entry_text).collect();
        parts.push(format!("conditions on {}", c.join("; ")));
    }
    format!("{}.", parts.join(": "))
}

fn entry_text(e: &ContextEntry) -> String {
    match e.values.as_slice() {
        [] => e.key.clone(),
        [one] => format!("{} = {one}", e.key),
        many => format!("{} = [{}]", e.key, many.join(", ")),
    }
}

/// A member by name, ignoring case (messages differ in capitalisation across services).
fn get_ci<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    obj.get(key).or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The elements of a list written as `{"items": [...]}`, `[...]` or a single value.
fn items(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => match get_ci(v, "items") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(other) => vec![other],
            None => vec![v],
        },
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// Maximum nesting followed when flattening values into text.
const MAX_DEPTH: u32 = 6;

/// Every string found in a value: scalars as text, `{"value": x}` as x, lists flattened.
fn texts(v: &Value, depth: u32) -> Vec<String> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    match v {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(a) => a.iter().flat_map(|x| texts(x, depth + 1)).collect(),
        Value::Object(_) => {
            if let Some(inner) = get_ci(v, "value").or_else(|| get_ci(v, "items")) {
                return texts(inner, depth + 1);
            }
            if let Some(p) = principal_text(v) {
                return vec![p];
            }
            vec![v.to_string()]
        }
    }
}

fn first_text(v: &Value) -> Option<String> {
    texts(v, 0).into_iter().next()
}

fn principal_text(v: &Value) -> Option<String> {
    match v {
        Value::Object(_) => get_ci(v, "arn")
            .or_else(|| get_ci(v, "id"))
            .and_then(|x| x.as_str().map(str::to_string))
            .or_else(|| get_ci(v, "value").and_then(first_text)),
        other => texts(other, 1).into_iter().next(),
    }
}

fn entries(v: &Value) -> Vec<ContextEntry> {
    items(v)
        .into_iter()
        .filter_map(|item| {
            let key = get_ci(item, "key").and_then(first_text)?;
            let values = get_ci(item, "values").or_else(|| get_ci(item, "value")).map(|x| texts(x, 0));
            Some(ContextEntry { key, values: values.unwrap_or_default() })
        })
        .collect()
}

fn list_of(v: &Value, singular: &str, plural: &str) -> Vec<String> {
    get_ci(v, plural).or_else(|| get_ci(v, singular)).map(|x| texts(x, 0)).unwrap_or_default()
}

fn matched_statement(v: &Value) -> Option<MatchedStatement> {
    v.as_object()?;
    Some(MatchedStatement {
        statement_id: get_ci(v, "statementId").or_else(|| get_ci(v, "sid")).and_then(first_text),
        effect: get_ci(v, "effect").and_then(first_text),
        principals: list_of(v, "principal", "principals"),
        actions: list_of(v, "action", "actions"),
        resources: list_of(v, "resource", "resources"),
        conditions: get_ci(v, "conditions")
            .or_else(|| get_ci(v, "condition"))
            .map(entries)
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_is_an_explicit_deny_with_context() {
        let e = explain(SAMPLE_MESSAGE).unwrap();
        assert_eq!(e.verdict, Verdict::ExplicitDeny);
        assert_eq!(e.action.as_deref(), Some("ec2:RunInstances"));
        assert!(e.principal.as_deref().unwrap().contains("assumed-role/role-on-source-account"));
        assert_eq!(e.matched.len(), 1);
        assert_eq!(e.matched[0].conditions[0].values, ["t3.micro"]);
        assert!(e.details.iter().any(|d| d.contains("ec2:InstanceType = m5.large")), "{:?}", e.details);
    }

    #[test]
    fn minimal_messages() {
        let e = explain(r#"{"allowed": false}"#).unwrap();
        assert_eq!(e.verdict, Verdict::ImplicitDeny);
        assert!(e.headline.contains("the principal"));
        let e = explain("{}").unwrap();
        assert_eq!(e.verdict, Verdict::Unknown);
        let e = explain(r#"{"allowed": true, "context": {"action": "s3:GetObject"}}"#).unwrap();
        assert_eq!(e.verdict, Verdict::Allowed);
    }

    #[test]
    fn cli_wrapper_is_unwrapped() {
        let wrapped = serde_json::json!({ "DecodedMessage": SAMPLE_MESSAGE }).to_string();
        assert_eq!(explain(&wrapped).unwrap().verdict, Verdict::ExplicitDeny);
    }

    #[test]
    fn errors() {
        assert!(matches!(explain("[1]"), Err(AuthzError::NotAnObject { .. })));
        let Err(AuthzError::Json(e)) = explain("{\n \"allowed\": fals\n}") else { panic!() };
        assert_eq!((e.line, e.column), (2, 17));
    }
}
