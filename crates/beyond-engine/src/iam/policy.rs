//! IAM policy documents: parsing JSON text into a typed [`Policy`], with errors a person can act
//! on.
//!
//! Parsing runs in two stages, like the scenario format: the text must first be JSON (otherwise a
//! [`PolicyError::Json`] says where, by line and column, and what was expected), then the JSON
//! must have the policy grammar (otherwise [`PolicyError::Invalid`] lists every problem with its
//! path, such as `Statement[1].Effect`). What a policy may contain depends on where it is
//! attached ([`PolicyKind`]): identity policies have no `Principal`, role trust policies have no
//! `Resource`, and resource-based policies such as bucket policies need both.

use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// Where a policy is attached, which decides the elements it must and must not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// Attached to a role or user: no `Principal`, needs `Resource`.
    Identity,
    /// A role's trust policy: needs `Principal`, no `Resource` (the resource is the role).
    Trust,
    /// A resource-based policy such as an S3 bucket policy: needs `Principal` and `Resource`.
    ResourceBased,
}

impl PolicyKind {
    fn noun(self) -> &'static str {
        match self {
            PolicyKind::Identity => "an identity policy",
            PolicyKind::Trust => "a role trust policy",
            PolicyKind::ResourceBased => "a resource-based policy",
        }
    }
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// The `Version` element, if present (`2012-10-17` or `2008-10-17`).
    pub version: Option<String>,
    /// The optional `Id` element.
    pub id: Option<String>,
    /// The statements, in document order (a single statement object becomes one entry).
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// The statement grants what it matches.
    Allow,
    /// The statement denies what it matches; an explicit deny overrides every allow.
    Deny,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// Position in the `Statement` array (0 for a single statement object).
    pub index: u32,
    /// The optional `Sid`.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// `Principal` (or `NotPrincipal` when negated); `None` in identity policies.
    pub principal: Option<PrincipalBlock>,
    /// `Action` (or `NotAction` when negated).
    pub action: PatternBlock,
    /// `Resource` (or `NotResource`); `None` when absent (trust policies).
    pub resource: Option<PatternBlock>,
    /// Every condition of the `Condition` block, flattened; all must hold.
    pub conditions: Vec<Condition>,
}

/// A list of wildcard patterns, optionally negated (`NotAction`, `NotResource`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatternBlock {
    /// `true` for `NotAction` / `NotResource`: the statement covers everything *except* these.
    pub negated: bool,
    /// The patterns, each possibly with `*` and `?`.
    pub patterns: Vec<String>,
}

/// A `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalBlock {
    /// `true` for `NotPrincipal`.
    pub negated: bool,
    /// The principals named.
    pub principals: Vec<Principal>,
}

/// One principal named by a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Principal {
    /// `"*"` or `{"AWS": "*"}`: anyone.
    Any,
    /// `{"AWS": ...}`: an ARN, or a 12-digit account ID meaning that account's root.
    Aws(String),
    /// `{"Service": "lambda.amazonaws.com"}`.
    Service(String),
    /// `{"Federated": ...}`.
    Federated(String),
    /// `{"CanonicalUser": ...}`.
    CanonicalUser(String),
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::Any => f.write_str("*"),
            Principal::Aws(v) | Principal::Federated(v) | Principal::CanonicalUser(v) => f.write_str(v),
            Principal::Service(v) => write!(f, "service {v}"),
        }
    }
}

/// One condition: an operator applied to one context key with one or more values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// The operator as written, e.g. `StringEquals` or `ArnLikeIfExists`.
    pub operator: String,
    /// The context key as written, e.g. `aws:PrincipalArn`.
    pub key: String,
    /// The values (numbers and booleans are kept as their JSON text).
    pub values: Vec<String>,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.values.as_slice() {
            [one] => write!(f, "{} {} \"{}\"", self.operator, self.key, one),
            many => {
                let quoted: Vec<String> = many.iter().map(|v| format!("\"{v}\"")).collect();
                write!(f, "{} {} [{}]", self.operator, self.key, quoted.join(", "))
            }
        }
    }
}

/// Malformed JSON: where the parser stopped and what it expected there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonSyntaxError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What went wrong, in words, e.g. "expected `,` or `}`".
    pub message: String,
}

impl JsonSyntaxError {
    /// Converts a serde_json error on `text`, keeping its position and rewording its message.
    ///
    /// serde_json reports the position just after the offending character, so an error caused by
    /// a line break shows as column 0 of the next line; that is moved back to the end of the line
    /// where the problem is. Columns are at least 1.
    pub fn from_serde(e: &serde_json::Error, text: &str) -> Self {
        let (mut line, mut column) = (e.line(), e.column());
        if column == 0 && !e.is_eof() {
            let previous = line.checked_sub(2).and_then(|i| text.split('\n').nth(i));
            match previous {
                Some(prev) => {
                    line -= 1;
                    column = prev.trim_end_matches('\r').chars().count() + 1;
                }
                None => column = 1,
            }
        }
        // At the end of the text a column 0 means the start of an empty last line.
        column = column.max(1);
        let line = u32::try_from(line.max(1)).unwrap_or(u32::MAX);
        let column = u32::try_from(column).unwrap_or(u32::MAX);
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let raw = full.strip_suffix(&suffix).unwrap_or(&full);
        JsonSyntaxError { line, column, message: explain_json_message(raw) }
    }
}

/// Rewords serde_json's terse messages so they say what was expected.
fn explain_json_message(raw: &str) -> String {
    let friendly = match raw {
        "EOF while parsing an object" => "the text ends inside an object: expected `,` or `}`",
        "EOF while parsing a list" => "the text ends inside an array: expected `,` or `]`",
        "EOF while parsing a string" => "the text ends inside a string: expected a closing `\"`",
        "EOF while parsing a value" => "the text ends where a value was expected",
        "key must be a string" => "expected a member name in double quotes, e.g. \"Effect\"",
        "trailing comma" => "trailing comma: JSON does not allow `,` before `}` or `]`",
        "trailing characters" => "unexpected characters after the end of the JSON document",
        "expected value" => {
            "expected a value (a string in double quotes, number, object, array, true, false or null)"
        }
        "expected ident" => "expected true, false or null",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a string contains a raw control character such as a line break: close the string or escape it"
        }
        other => other,
    };
    friendly.to_string()
}

impl fmt::Display for JsonSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed JSON at line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// One structural problem in a policy, located by statement index and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructureProblem {
    /// The statement's index, or `None` for a problem with the document itself.
    pub statement: Option<u32>,
    /// The field within the statement or document, e.g. `Effect` or `Action[1]`.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl StructureProblem {
    /// The full path, e.g. `Statement[0].Effect`.
    pub fn path(&self) -> String {
        match (self.statement, self.field.is_empty()) {
            (Some(i), true) => format!("Statement[{i}]"),
            (Some(i), false) => format!("Statement[{i}].{}", self.field),
            (None, true) => "(policy)".to_string(),
            (None, false) => self.field.clone(),
        }
    }
}

impl fmt::Display for StructureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.message)
    }
}

/// Why a policy could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PolicyError {
    /// The text is not JSON.
    Json(JsonSyntaxError),
    /// The JSON is not a valid policy; every problem found is listed.
    Invalid {
        /// The problems, in document order.
        problems: Vec<StructureProblem>,
    },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Json(e) => e.fmt(f),
            PolicyError::Invalid { problems } => {
                let parts: Vec<String> = problems.iter().map(ToString::to_string).collect();
                write!(f, "invalid policy: {}", parts.join("; "))
            }
        }
    }
}

impl std::error::Error for PolicyError {}

/// Parses policy JSON text for the given attachment point.
///
/// # Examples
///
/// ```
/// use lambdascape_beyond_engine::iam::{parse_policy, PolicyError, PolicyKind};
///
/// let err = parse_policy(r#"{"Statement": {"Effect": "Alow", "Action": "s3:*", "Resource": "*"}}"#,
///     PolicyKind::Identity).unwrap_err();
/// assert!(err.to_string().contains("Statement[0].Effect"));
///
/// let err = parse_policy("{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}", PolicyKind::Identity)
///     .unwrap_err();
/// match err {
///     PolicyError::Json(e) => assert_eq!((e.line, e.column), (3, 3)),
///     other => panic!("{other}"),
/// }
/// ```
pub fn parse_policy(text: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
    // Into an untyped document, as `lambdascape_engine::size::reader` does first: the rule is
    // against serde_json's typed text deserializer.
    #[allow(clippy::disallowed_methods)]
    let value: Value =
        serde_json::from_str(text).map_err(|e| PolicyError::Json(JsonSyntaxError::from_serde(&e, text)))?;
    Policy::from_value(&value, kind)
}

const DOC_KEYS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_KEYS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KEYS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

/// Collects problems while walking the document.
struct Problems {
    list: Vec<StructureProblem>,
}

impl Problems {
    fn add(&mut self, statement: Option<u32>, field: impl Into<String>, message: impl Into<String>) {
        self.list.push(StructureProblem { statement, field: field.into(), message: message.into() });
    }
}

/// A short description of a JSON value for messages: its type and, for scalars, its text.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("\"{}\"", truncate(s, 60)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// At most `max` characters of `s`, with an ellipsis when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// "did you mean" text for a key that matches a known key except for case.
fn unknown_key_message(key: &str, known: &[&str], what: &str) -> String {
    match known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        Some(k) => {
            format!("unknown {what} \"{key}\": element names are case-sensitive, did you mean \"{k}\"?")
        }
        None => format!("unknown {what} \"{}\"; expected one of {}", truncate(key, 40), known.join(", ")),
    }
}

impl Policy {
    /// Checks an already parsed JSON value against the policy grammar for `kind`.
    pub fn from_value(value: &Value, kind: PolicyKind) -> Result<Policy, PolicyError> {
        let mut problems = Problems { list: Vec::new() };
        let policy = parse_document(value, kind, &mut problems);
        match policy {
            Some(p) if problems.list.is_empty() => Ok(p),
            _ => {
                if problems.list.is_empty() {
                    problems.add(None, "", "the policy could not be read");
                }
                Err(PolicyError::Invalid { problems: problems.list })
            }
        }
    }
}

fn parse_document(value: &Value, kind: PolicyKind, problems: &mut Problems) -> Option<Policy> {
    let Some(obj) = value.as_object() else {
        problems.add(
            None,
            "",
            format!("expected a JSON object with \"Version\" and \"Statement\", found {}", describe(value)),
        );
        return None;
    };
    for key in obj.keys() {
        if !DOC_KEYS.contains(&key.as_str()) {
            problems.add(None, key.clone(), unknown_key_message(key, &DOC_KEYS, "policy element"));
        }
    }
    let version = match obj.get("Version") {
        None => None,
        Some(Value::String(s)) if s == "2012-10-17" || s == "2008-10-17" => Some(s.clone()),
        Some(other) => {
            problems.add(
                None,
                "Version",
                format!("expected \"2012-10-17\" (or the older \"2008-10-17\"), found {}", describe(other)),
            );
            None
        }
    };
    let id = match obj.get("Id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            problems.add(None, "Id", format!("expected a string, found {}", describe(other)));
            None
        }
    };
    let raw_statements: Vec<&Value> = match obj.get("Statement") {
        None => {
            problems.add(
                None,
                "Statement",
                "missing: a policy needs a \"Statement\" (an object or an array of objects)",
            );
            return None;
        }
        Some(Value::Array(items)) if items.is_empty() => {
            problems.add(None, "Statement", "is empty: a policy needs at least one statement");
            return None;
        }
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        Some(other) => {
            problems.add(
                None,
                "Statement",
                format!("expected an object or an array of objects, found {}", describe(other)),
            );
            return None;
        }
    };
    let mut statements = Vec::with_capacity(raw_statements.len());
    for (i, raw) in raw_statements.into_iter().enumerate() {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        match raw.as_object() {
            Some(o) => {
                if let Some(s) = parse_statement(index, o, kind, problems) {
                    statements.push(s);
                }
            }
            None => {
                problems.add(Some(index), "", format!("expected a statement object, found {}", describe(raw)))
            }
        }
    }
    Some(Policy { version, id, statements })
}

fn parse_statement(
    i: u32,
    obj: &Map<String, Value>,
    kind: PolicyKind,
    p: &mut Problems,
) -> Option<Statement> {
    let at = Some(i);
    let before = p.list.len();
    for key in obj.keys() {
        if !STATEMENT_KEYS.contains(&key.as_str()) {
            p.add(at, key.clone(), unknown_key_message(key, &STATEMENT_KEYS, "statement element"));
        }
    }
    let sid = match obj.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            p.add(at, "Sid", format!("expected a string, found {}", describe(other)));
            None
        }
    };
    let effect = match obj.get("Effect") {
        None => {
            p.add(at, "Effect", "missing: each statement needs \"Effect\": \"Allow\" or \"Deny\"");
            None
        }
        Some(Value::String(s)) if s == "Allow" => Some(Effect::Allow),
        Some(Value::String(s)) if s == "Deny" => Some(Effect::Deny),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("allow") || s.eq_ignore_ascii_case("deny") => {
            p.add(at, "Effect", format!("expected \"Allow\" or \"Deny\" (case-sensitive), found \"{s}\""));
            None
        }
        Some(other) => {
            p.add(at, "Effect", format!("expected \"Allow\" or \"Deny\", found {}", describe(other)));
            None
        }
    };

    // Action / NotAction: exactly one.
    let action = match (obj.get("Action"), obj.get("NotAction")) {
        (Some(_), Some(_)) => {
            p.add(at, "NotAction", "a statement may have \"Action\" or \"NotAction\", not both");
            None
        }
        (None, None) => {
            p.add(at, "Action", "missing: each statement needs \"Action\" (or \"NotAction\")");
            None
        }
        (Some(v), None) => pattern_block(i, "Action", v, false, p, check_action),
        (None, Some(v)) => pattern_block(i, "NotAction", v, true, p, check_action),
    };

    // Resource / NotResource: required except in trust policies, where it is not allowed.
    let resource = match (obj.get("Resource"), obj.get("NotResource"), kind) {
        (Some(_), Some(_), _) => {
            p.add(at, "NotResource", "a statement may have \"Resource\" or \"NotResource\", not both");
            None
        }
        (r, nr, PolicyKind::Trust) if r.is_some() || nr.is_some() => {
            let field = if r.is_some() { "Resource" } else { "NotResource" };
            p.add(at, field, "a role trust policy must not have a resource: the resource is the role itself");
            None
        }
        (None, None, PolicyKind::Trust) => None,
        (None, None, _) => {
            p.add(
                at,
                "Resource",
                format!("missing: each statement of {} needs \"Resource\" (or \"NotResource\")", kind.noun()),
            );
            None
        }
        (Some(v), None, _) => pattern_block(i, "Resource", v, false, p, check_resource),
        (None, Some(v), _) => pattern_block(i, "NotResource", v, true, p, check_resource),
    };

    // Principal / NotPrincipal: not allowed in identity policies, required elsewhere.
    let principal = match (obj.get("Principal"), obj.get("NotPrincipal"), kind) {
        (Some(_), Some(_), _) => {
            p.add(at, "NotPrincipal", "a statement may have \"Principal\" or \"NotPrincipal\", not both");
            None
        }
        (pr, npr, PolicyKind::Identity) if pr.is_some() || npr.is_some() => {
            let field = if pr.is_some() { "Principal" } else { "NotPrincipal" };
            p.add(
                at,
                field,
                "an identity policy must not name a principal: it applies to the role or user it is attached to",
            );
            None
        }
        (None, None, PolicyKind::Identity) => None,
        (None, None, _) => {
            p.add(
                at,
                "Principal",
                format!(
                    "missing: each statement of {} needs \"Principal\" (or \"NotPrincipal\")",
                    kind.noun()
                ),
            );
            None
        }
        (Some(v), None, _) => principal_block(i, "Principal", v, false, p),
        (None, Some(v), _) => principal_block(i, "NotPrincipal", v, true, p),
    };

    let conditions = match obj.get("Condition") {
        None => Some(Vec::new()),
        Some(v) => parse_conditions(i, v, p),
    };

    if p.list.len() != before {
        return None;
    }
    Some(Statement {
        index: i,
        sid,
        effect: effect?,
        principal,
        action: action?,
        resource,
        conditions: conditions?,
    })
}

/// A string or a non-empty array of strings.
fn string_list(i: u32, field: &str, v: &Value, p: &mut Problems) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) if items.is_empty() => {
            p.add(Some(i), field, "is an empty array: expected at least one string");
            None
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (j, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    other => {
                        p.add(
                            Some(i),
                            format!("{field}[{j}]"),
                            format!("expected a string, found {}", describe(other)),
                        );
                        ok = false;
                    }
                }
            }
            ok.then_some(out)
        }
        other => {
            p.add(
                Some(i),
                field,
                format!("expected a string or an array of strings, found {}", describe(other)),
            );
            None
        }
    }
}

fn check_action(a: &str) -> Option<String> {
    let ok = a == "*" || a.split_once(':').is_some_and(|(svc, name)| !svc.is_empty() && !name.is_empty());
    (!ok).then(|| {
        format!(
            "expected an action like \"s3:GetObject\" (service prefix, colon, action name) or \"*\", found \"{}\"",
            truncate(a, 60)
        )
    })
}

fn check_resource(r: &str) -> Option<String> {
    let ok = r == "*" || (r.starts_with("arn:") && r.splitn(6, ':').count() == 6);
    (!ok).then(|| {
        format!(
            "expected an ARN (arn:partition:service:region:account:resource) or \"*\", found \"{}\"",
            truncate(r, 60)
        )
    })
}

fn pattern_block(
    i: u32,
    field: &str,
    v: &Value,
    negated: bool,
    p: &mut Problems,
    check: fn(&str) -> Option<String>,
) -> Option<PatternBlock> {
    let patterns = string_list(i, field, v, p)?;
    let mut ok = true;
    for (j, pat) in patterns.iter().enumerate() {
        if let Some(msg) = check(pat) {
            let f = if patterns.len() == 1 && v.is_string() {
                field.to_string()
            } else {
                format!("{field}[{j}]")
            };
            p.add(Some(i), f, msg);
            ok = false;
        }
    }
    ok.then_some(PatternBlock { negated, patterns })
}

/// Whether `s` is a 12-digit AWS account ID.
pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn check_aws_principal(v: &str) -> Option<String> {
    if v == "*" || is_account_id(v) {
        return None;
    }
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    if parts.len() != 6 || parts.first() != Some(&"arn") {
        return Some(format!(
            "expected a principal ARN, a 12-digit account ID or \"*\", found \"{}\"",
            truncate(v, 60)
        ));
    }
    if v.contains('*') || v.contains('?') {
        return Some(format!(
            "wildcards are not allowed inside a principal ARN (\"{}\"); use \"*\" with a condition on aws:PrincipalArn",
            truncate(v, 60)
        ));
    }
    None
}

fn principal_block(
    i: u32,
    field: &str,
    v: &Value,
    negated: bool,
    p: &mut Problems,
) -> Option<PrincipalBlock> {
    match v {
        Value::String(s) if s == "*" => Some(PrincipalBlock { negated, principals: vec![Principal::Any] }),
        Value::Object(map) if map.is_empty() => {
            p.add(Some(i), field, "is an empty object: expected {\"AWS\": ...} or {\"Service\": ...}");
            None
        }
        Value::Object(map) => {
            let mut principals = Vec::new();
            let mut ok = true;
            for (key, val) in map {
                let sub = format!("{field}.{key}");
                if !PRINCIPAL_KEYS.contains(&key.as_str()) {
                    p.add(Some(i), sub, unknown_key_message(key, &PRINCIPAL_KEYS, "principal type"));
                    ok = false;
                    continue;
                }
                let Some(values) = string_list(i, &sub, val, p) else {
                    ok = false;
                    continue;
                };
                for (j, value) in values.into_iter().enumerate() {
                    let principal = match key.as_str() {
                        "AWS" => {
                            if let Some(msg) = check_aws_principal(&value) {
                                let f = if val.is_string() { sub.clone() } else { format!("{sub}[{j}]") };
                                p.add(Some(i), f, msg);
                                ok = false;
                                continue;
                            }
                            if value == "*" {
                                Principal::Any
                            } else {
                                Principal::Aws(value)
                            }
                        }
                        "Service" => Principal::Service(value),
                        "Federated" => Principal::Federated(value),
                        _ => Principal::CanonicalUser(value),
                    };
                    principals.push(principal);
                }
            }
            ok.then_some(PrincipalBlock { negated, principals })
        }
        other => {
            p.add(
                Some(i),
                field,
                format!(
                    "expected \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::111111111111:role/name\"}}, found {}",
                    describe(other)
                ),
            );
            None
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_conditions(i: u32, v: &Value, p: &mut Problems) -> Option<Vec<Condition>> {
    let Some(ops) = v.as_object() else {
        p.add(
            Some(i),
            "Condition",
            format!(
                "expected an object such as {{\"StringEquals\": {{\"aws:PrincipalAccount\": \"111111111111\"}}}}, found {}",
                describe(v)
            ),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (op, keys) in ops {
        let Some(keys) = keys.as_object() else {
            p.add(
                Some(i),
                format!("Condition.{op}"),
                format!("expected an object of context keys to values, found {}", describe(keys)),
            );
            ok = false;
            continue;
        };
        if keys.is_empty() {
            p.add(Some(i), format!("Condition.{op}"), "is empty: expected at least one context key");
            ok = false;
        }
        for (key, vals) in keys {
            let field = format!("Condition.{op}.{key}");
            let values: Option<Vec<String>> = match vals {
                Value::Array(items) if !items.is_empty() => items.iter().map(scalar_text).collect(),
                Value::Array(_) => None,
                other => scalar_text(other).map(|s| vec![s]),
            };
            match values {
                Some(values) => out.push(Condition { operator: op.clone(), key: key.clone(), values }),
                None => {
                    p.add(
                        Some(i),
                        field,
                        format!(
                            "expected a string or a non-empty array of strings, found {}",
                            describe(vals)
                        ),
                    );
                    ok = false;
                }
            }
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, kind: PolicyKind) -> Vec<StructureProblem> {
        match parse_policy(text, kind) {
            Err(PolicyError::Invalid { problems }) => problems,
            other => panic!("expected structural problems, got {other:?}"),
        }
    }

    #[test]
    fn single_statement_object_and_arrays() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}}"#,
            PolicyKind::Identity,
        )
        .unwrap();
        assert_eq!(p.statements.len(), 1);
        assert_eq!(p.statements[0].action.patterns.len(), 2);
        assert!(!p.statements[0].action.negated);
    }

    #[test]
    fn misspelled_effect_is_named_by_statement_and_field() {
        let ps = problems(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Alow","Action":"s3:*","Resource":"*"}]}"#,
            PolicyKind::Identity,
        );
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].path(), "Statement[1].Effect");
        assert!(ps[0].message.contains("\"Alow\""), "{}", ps[0].message);
    }

    #[test]
    fn missing_action_and_lowercase_keys() {
        let ps = problems(r#"{"Statement":{"Effect":"Allow","resource":"*"}}"#, PolicyKind::Identity);
        let paths: Vec<String> = ps.iter().map(StructureProblem::path).collect();
        assert!(paths.contains(&"Statement[0].Action".to_string()), "{paths:?}");
        assert!(ps.iter().any(|p| p.message.contains("did you mean \"Resource\"")), "{ps:?}");
    }

    #[test]
    fn kind_rules() {
        let trust_with_resource =
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}"#;
        assert_eq!(problems(trust_with_resource, PolicyKind::Trust)[0].path(), "Statement[0].Resource");
        let identity_with_principal =
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"#;
        assert_eq!(
            problems(identity_with_principal, PolicyKind::Identity)[0].path(),
            "Statement[0].Principal"
        );
        let trust_without_principal = r#"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#;
        assert_eq!(problems(trust_without_principal, PolicyKind::Trust)[0].path(), "Statement[0].Principal");
    }

    #[test]
    fn principal_shapes() {
        let p = parse_policy(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::222222222222:root","*"],"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}"#,
            PolicyKind::Trust,
        )
        .unwrap();
        let ps = &p.statements[0].principal.as_ref().unwrap().principals;
        assert_eq!(ps.len(), 4);
        assert!(ps.contains(&Principal::Any));
        let ps = problems(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/*"},"Action":"sts:AssumeRole"}}"#,
            PolicyKind::Trust,
        );
        assert!(ps[0].message.contains("wildcards"), "{ps:?}");
    }

    #[test]
    fn json_errors_have_positions_and_expectations() {
        let err = parse_policy("{\"Version\": \"2012-10-17\",\n \"Statement\": [\n", PolicyKind::Identity)
            .unwrap_err();
        let PolicyError::Json(e) = err else { panic!("{err:?}") };
        assert_eq!(e.line, 3);
        assert!(e.message.contains("expected"), "{}", e.message);
        let err = parse_policy("", PolicyKind::Identity).unwrap_err();
        assert!(matches!(err, PolicyError::Json(_)));
    }

    #[test]
    fn conditions_are_flattened() {
        let p = parse_policy(
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"1","s3:prefix":["a","b"]},"Bool":{"aws:SecureTransport":true}}}}"#,
            PolicyKind::Identity,
        )
        .unwrap();
        assert_eq!(p.statements[0].conditions.len(), 3);
        assert!(p.statements[0].conditions.iter().any(|c| c.values == ["true"]));
    }
}
