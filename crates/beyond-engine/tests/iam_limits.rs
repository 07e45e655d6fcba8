//! IAM cross-account evaluation, authorization-message explanations, the limits checker and
//! storage recommendations: the classic stories and their broken variants, limits at and just past
//! each bound, and property tests that no input makes the parsers panic.

use lambdascape_beyond_engine::iam::authz::{self, AuthzError, Verdict};
use lambdascape_beyond_engine::iam::{
    evaluate, evaluate_cross_account, parse_policy, seed_example, CrossAccountScenario, HopKind, HopOutcome,
    Policy, PolicyError, PolicyKind, Request, S3Access,
};
use lambdascape_beyond_engine::limits::{check_limits, FunctionConfigSpec, LayerSpec, PackageType, Severity};
use lambdascape_beyond_engine::storage::{profiles, recommend, LatencyNeed, Needs, StorageOption};
use proptest::prelude::*;
use serde_json::{json, Value};

const EXEC_ROLE: &str = "arn:aws:iam::111111111111:role/my-lambda-execution-role";
const TARGET_ROLE: &str = "arn:aws:iam::222222222222:role/role-on-source-account";

fn identity(statements: Value) -> String {
    json!({ "Version": "2012-10-17", "Statement": statements }).to_string()
}

fn trust_for(principal: Value) -> String {
    identity(json!([{ "Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole" }]))
}

/// The built-in example's AssumeRole step only (no S3 step).
fn assume_only() -> CrossAccountScenario {
    CrossAccountScenario { s3: None, ..seed_example() }
}

fn hop(r: &lambdascape_beyond_engine::iam::CrossAccountResult, kind: HopKind) -> &HopOutcome {
    &r.hops.iter().find(|h| h.kind == kind).expect("hop present").outcome
}

// --- Cross-account AssumeRole ------------------------------------------------------------------

#[test]
fn seed_policies_allow_assume_role() {
    let r = evaluate_cross_account(&assume_only());
    assert!(r.assume_role_allowed && r.allowed, "{}", r.summary);
    assert_eq!(r.hops.len(), 2);
    assert!(
        matches!(hop(&r, HopKind::ExecutionRolePolicy), HopOutcome::Allowed { statement } if statement.index == 0)
    );
    assert!(matches!(hop(&r, HopKind::TrustPolicy), HopOutcome::Allowed { .. }));
    assert!(r.summary.starts_with("Allowed: my-lambda-execution-role may assume role-on-source-account"));
}

#[test]
fn seed_example_with_s3_is_allowed() {
    let r = evaluate_cross_account(&seed_example());
    assert_eq!(r.s3_allowed, Some(true));
    assert!(r.allowed, "{}", r.summary);
    assert!(r.summary.contains("s3:GetObject"), "{}", r.summary);
}

#[test]
fn seed_example_round_trips_through_json() {
    let s = seed_example();
    let text = serde_json::to_string_pretty(&s).unwrap();
    let back: CrossAccountScenario = serde_json::from_str(&text).unwrap();
    assert_eq!(back, s);
    // The policies are JSON text the UI edits as-is.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["trust_policy"].as_str().unwrap().contains("my-lambda-execution-role"));
    assert!(serde_json::from_str::<CrossAccountScenario>(r#"{"execution_role_arn":"a"}"#).is_err());
}

#[test]
fn trust_policy_naming_another_role_denies_with_the_seed_sentence() {
    let mut s = assume_only();
    s.trust_policy = trust_for(json!({ "AWS": "arn:aws:iam::111111111111:role/some-other-role" }));
    let r = evaluate_cross_account(&s);
    assert!(!r.assume_role_allowed);
    assert_eq!(
        r.summary,
        "AccessDenied: the trust policy of role-on-source-account does not name \
         arn:aws:iam::111111111111:role/my-lambda-execution-role as a principal"
    );
    let HopOutcome::ImplicitDeny { closest, .. } = hop(&r, HopKind::TrustPolicy) else { panic!() };
    assert!(closest.as_deref().unwrap().contains("some-other-role"));
}

#[test]
fn trust_policy_without_principal_is_invalid() {
    let mut s = assume_only();
    s.trust_policy = identity(json!({ "Effect": "Allow", "Action": "sts:AssumeRole" }));
    let r = evaluate_cross_account(&s);
    assert!(!r.allowed);
    let HopOutcome::InvalidPolicy { error: PolicyError::Invalid { problems } } =
        hop(&r, HopKind::TrustPolicy)
    else {
        panic!("{:?}", r.hops)
    };
    assert_eq!(problems[0].path(), "Statement[0].Principal");
    assert!(r.summary.contains("is not a valid policy"), "{}", r.summary);
}

#[test]
fn trust_policy_trusting_only_the_lambda_service_does_not_name_the_role() {
    let mut s = assume_only();
    s.trust_policy = trust_for(json!({ "Service": "lambda.amazonaws.com" }));
    let r = evaluate_cross_account(&s);
    assert!(r.summary.contains("does not name arn:aws:iam::111111111111:role/my-lambda-execution-role"));
}

#[test]
fn identity_policy_with_wrong_action_denies() {
    let mut s = assume_only();
    s.execution_role_policy =
        identity(json!({ "Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": TARGET_ROLE }));
    let r = evaluate_cross_account(&s);
    assert_eq!(
        r.summary,
        "AccessDenied: the execution role policy of my-lambda-execution-role does not allow sts:AssumeRole"
    );
}

#[test]
fn identity_policy_with_wrong_resource_denies() {
    let mut s = assume_only();
    s.execution_role_policy = identity(json!({
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::222222222222:role/another-role"
    }));
    let r = evaluate_cross_account(&s);
    assert!(r.summary.ends_with(&format!("does not allow sts:AssumeRole on {TARGET_ROLE}")), "{}", r.summary);
    let HopOutcome::ImplicitDeny { closest, .. } = hop(&r, HopKind::ExecutionRolePolicy) else { panic!() };
    assert!(closest.as_deref().unwrap().contains("another-role"));
}

#[test]
fn empty_identity_policy_has_no_allow() {
    let mut s = assume_only();
    s.execution_role_policy =
        identity(json!({ "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*" }));
    let r = evaluate_cross_account(&s);
    assert!(r.summary.contains("has no Allow statement for sts:AssumeRole"), "{}", r.summary);
}

#[test]
fn explicit_deny_in_identity_policy_wins() {
    let mut s = assume_only();
    s.execution_role_policy = identity(json!([
        { "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": TARGET_ROLE },
        { "Sid": "NoCrossAccount", "Effect": "Deny", "Action": "sts:*", "Resource": "arn:aws:iam::222222222222:*" }
    ]));
    let r = evaluate_cross_account(&s);
    assert!(!r.allowed);
    assert!(
        matches!(hop(&r, HopKind::ExecutionRolePolicy), HopOutcome::ExplicitDeny { statement } if statement.index == 1)
    );
    assert!(r.summary.contains("explicitly denies sts:AssumeRole"), "{}", r.summary);
    assert!(r.summary.contains("\"NoCrossAccount\""), "{}", r.summary);
}

#[test]
fn explicit_deny_in_trust_policy_wins() {
    let mut s = assume_only();
    s.trust_policy = identity(json!([
        { "Effect": "Allow", "Principal": { "AWS": EXEC_ROLE }, "Action": "sts:AssumeRole" },
        { "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
          "Condition": { "StringNotEquals": { "aws:PrincipalAccount": "999999999999" } } }
    ]));
    let r = evaluate_cross_account(&s);
    assert!(matches!(hop(&r, HopKind::TrustPolicy), HopOutcome::ExplicitDeny { .. }));
    assert!(r
        .summary
        .starts_with("AccessDenied: the trust policy of role-on-source-account explicitly denies"));
}

#[test]
fn wildcard_resources_match_by_account() {
    let mut s = assume_only();
    s.execution_role_policy = identity(
        json!({ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/*" }),
    );
    assert!(evaluate_cross_account(&s).allowed);
    s.execution_role_policy = identity(
        json!({ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::333333333333:role/*" }),
    );
    let r = evaluate_cross_account(&s);
    assert!(!r.allowed);
    assert!(matches!(hop(&r, HopKind::ExecutionRolePolicy), HopOutcome::ImplicitDeny { .. }));
    s.execution_role_policy = identity(json!({
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::22222222222?:role/role-on-source-*"
    }));
    assert!(evaluate_cross_account(&s).allowed);
}

#[test]
fn action_names_are_case_insensitive_with_wildcards() {
    let mut s = assume_only();
    s.execution_role_policy =
        identity(json!({ "Effect": "Allow", "Action": ["STS:assume*"], "Resource": "*" }));
    assert!(evaluate_cross_account(&s).allowed);
    s.execution_role_policy =
        identity(json!({ "Effect": "Allow", "Action": "sts:AssumeRol?", "Resource": "*" }));
    assert!(evaluate_cross_account(&s).allowed);
    s.execution_role_policy =
        identity(json!({ "Effect": "Allow", "Action": "sts:AssumeRole?", "Resource": "*" }));
    assert!(!evaluate_cross_account(&s).allowed);
}

#[test]
fn not_action_allows_everything_else() {
    let mut s = assume_only();
    s.execution_role_policy = identity(json!({ "Effect": "Allow", "NotAction": "iam:*", "Resource": "*" }));
    assert!(evaluate_cross_account(&s).allowed);
    s.execution_role_policy =
        identity(json!({ "Effect": "Allow", "NotAction": ["sts:*", "iam:*"], "Resource": "*" }));
    let r = evaluate_cross_account(&s);
    assert!(!r.allowed);
    let HopOutcome::ImplicitDeny { closest, .. } = hop(&r, HopKind::ExecutionRolePolicy) else { panic!() };
    assert!(closest.as_deref().unwrap().contains("everything except sts:*"), "{closest:?}");
}

#[test]
fn account_root_principal_as_arn_and_as_bare_id() {
    let mut s = assume_only();
    for principal in [json!({ "AWS": "arn:aws:iam::111111111111:root" }), json!({ "AWS": "111111111111" })] {
        s.trust_policy = trust_for(principal.clone());
        let r = evaluate_cross_account(&s);
        assert!(r.allowed, "{principal}: {}", r.summary);
    }
    // Another account's root does not cover account A's role.
    s.trust_policy = trust_for(json!({ "AWS": ["333333333333", "arn:aws:iam::444444444444:root"] }));
    assert!(!evaluate_cross_account(&s).allowed);
    // With the account root trusted, A's identity policy must still allow the call.
    s.trust_policy = trust_for(json!({ "AWS": "111111111111" }));
    s.execution_role_policy = identity(json!({ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }));
    assert!(!evaluate_cross_account(&s).allowed);
}

#[test]
fn wildcard_principal_trusts_anyone() {
    let mut s = assume_only();
    s.trust_policy = trust_for(json!("*"));
    assert!(evaluate_cross_account(&s).allowed);
    s.trust_policy = trust_for(json!({ "AWS": "*" }));
    assert!(evaluate_cross_account(&s).allowed);
}

#[test]
fn same_account_trust_naming_the_role_needs_no_identity_permission() {
    let mut s = assume_only();
    s.target_role_arn = "arn:aws:iam::111111111111:role/helper".into();
    s.execution_role_policy =
        identity(json!({ "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*" }));
    let r = evaluate_cross_account(&s);
    assert!(r.allowed, "{}", r.summary);
    assert!(r.hops[1].notes.iter().any(|n| n.contains("same account")), "{:?}", r.hops[1].notes);
    // Naming only the account delegates to the (missing) identity permission.
    s.trust_policy = trust_for(json!({ "AWS": "arn:aws:iam::111111111111:root" }));
    assert!(!evaluate_cross_account(&s).allowed);
}

#[test]
fn conditions_on_external_id_and_unevaluated_operators() {
    let mut s = assume_only();
    s.trust_policy = identity(json!([{
        "Effect": "Allow", "Principal": { "AWS": EXEC_ROLE }, "Action": "sts:AssumeRole",
        "Condition": { "StringEquals": { "sts:ExternalId": "lambdascape-123" } }
    }]));
    let r = evaluate_cross_account(&s);
    assert!(!r.allowed);
    assert!(r.summary.contains("sts:ExternalId"), "{}", r.summary);
    s.context.insert("sts:ExternalId".into(), "lambdascape-123".into());
    assert!(evaluate_cross_account(&s).allowed);

    s.trust_policy = identity(json!([{
        "Effect": "Allow", "Principal": { "AWS": EXEC_ROLE }, "Action": "sts:AssumeRole",
        "Condition": { "DateLessThan": { "aws:CurrentTime": "2030-01-01T00:00:00Z" } }
    }]));
    let r = evaluate_cross_account(&s);
    assert!(r.allowed);
    assert!(r.hops[1].notes[0].contains("not evaluated"), "{:?}", r.hops[1].notes);
}

#[test]
fn arn_like_on_principal_arn() {
    let mut s = assume_only();
    s.trust_policy = identity(json!([{
        "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "sts:AssumeRole",
        "Condition": { "ArnLike": { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/my-lambda-*" } }
    }]));
    assert!(evaluate_cross_account(&s).allowed);
    s.execution_role_arn = "arn:aws:iam::111111111111:role/web-role".into();
    assert!(!evaluate_cross_account(&s).allowed);
}

// --- The S3 step -------------------------------------------------------------------------------

fn s3(scenario: &mut CrossAccountScenario) -> &mut S3Access {
    scenario.s3.as_mut().expect("seed has an S3 step")
}

#[test]
fn same_account_bucket_needs_either_side() {
    let mut s = seed_example();
    s3(&mut s).assumed_role_policy = None;
    let r = evaluate_cross_account(&s);
    assert_eq!(r.s3_allowed, Some(true), "{}", r.summary);
    let mut s = seed_example();
    s3(&mut s).bucket_policy = None;
    assert_eq!(evaluate_cross_account(&s).s3_allowed, Some(true));
    s3(&mut s).assumed_role_policy = None;
    let r = evaluate_cross_account(&s);
    assert_eq!(r.s3_allowed, Some(false));
    assert!(r.summary.starts_with(
        "AccessDenied: neither the identity policy of role-on-source-account nor the bucket policy of shared-reports-bucket allows s3:GetObject"
    ), "{}", r.summary);
}

#[test]
fn bucket_in_another_account_needs_both_sides() {
    let mut s = seed_example();
    s3(&mut s).bucket_account = Some("333333333333".into());
    assert!(evaluate_cross_account(&s).allowed);
    s3(&mut s).bucket_policy = None;
    let r = evaluate_cross_account(&s);
    assert!(!r.allowed);
    assert_eq!(r.summary, "AccessDenied: the bucket policy of shared-reports-bucket is not set");
}

#[test]
fn bucket_policy_deny_and_wrong_object() {
    let mut s = seed_example();
    s3(&mut s).action = "s3:PutObject".into();
    let r = evaluate_cross_account(&s);
    assert_eq!(r.s3_allowed, Some(false));
    assert!(matches!(hop(&r, HopKind::AssumedRolePolicy), HopOutcome::ImplicitDeny { .. }));
    assert!(matches!(hop(&r, HopKind::BucketPolicy), HopOutcome::ImplicitDeny { .. }));

    let mut s = seed_example();
    s3(&mut s).bucket_policy = Some(identity(json!({
        "Sid": "Lockdown", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::shared-reports-bucket/*"
    })));
    let r = evaluate_cross_account(&s);
    assert!(r.assume_role_allowed && !r.allowed);
    assert!(r.summary.contains("explicitly denies s3:GetObject"), "{}", r.summary);
}

#[test]
fn assume_role_failure_is_reported_before_s3() {
    let mut s = seed_example();
    s.trust_policy = trust_for(json!({ "AWS": "arn:aws:iam::111111111111:role/other" }));
    let r = evaluate_cross_account(&s);
    assert_eq!(r.hops.len(), 4);
    assert!(!r.allowed);
    assert!(r.summary.contains("trust policy"), "{}", r.summary);
}

// --- Policy parsing errors ---------------------------------------------------------------------

fn json_error(text: &str) -> (u32, u32, String) {
    match parse_policy(text, PolicyKind::Identity) {
        Err(PolicyError::Json(e)) => (e.line, e.column, e.message),
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn malformed_json_reports_line_column_and_expectation() {
    let (l, c, m) = json_error("{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}");
    assert_eq!((l, c), (3, 3));
    assert!(m.contains("expected `,` or `}`"), "{m}");

    let (l, c, m) = json_error("{\"Statement\": {\"Effect\": \"Allow\",}}");
    assert_eq!((l, c), (1, 34));
    assert!(m.contains("trailing comma"), "{m}");

    let (l, _, m) = json_error("{\n \"Statement\": [\n  {\"Effect\": \"Allow\"\n");
    assert_eq!(l, 4);
    assert!(m.contains("expected"), "{m}");

    let (l, c, m) = json_error("{'Version': '2012-10-17'}");
    assert_eq!((l, c), (1, 2));
    assert!(m.contains("double quotes"), "{m}");

    let (l, c, m) = json_error("");
    assert_eq!((l, c), (1, 1));
    assert!(m.contains("value"), "{m}");

    let err = parse_policy("{\"Statement\": [}", PolicyKind::Identity).unwrap_err();
    assert!(err.to_string().starts_with("malformed JSON at line 1, column 16"), "{err}");
}

#[test]
fn structural_errors_name_statement_and_field() {
    let text = identity(json!([
        { "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" },
        { "Effect": "Alow", "Action": "s3:GetObject", "Resource": "*" },
        { "Effect": "Deny", "Resource": "*" },
        { "Effect": "Allow", "Action": "AssumeRole", "Resource": "role-on-source-account" }
    ]));
    let Err(PolicyError::Invalid { problems }) = parse_policy(&text, PolicyKind::Identity) else { panic!() };
    let paths: Vec<String> = problems.iter().map(|p| p.path()).collect();
    assert_eq!(
        paths,
        ["Statement[1].Effect", "Statement[2].Action", "Statement[3].Action", "Statement[3].Resource"]
    );
    assert!(problems[0].message.contains("\"Alow\""));
    assert!(problems[1].message.contains("missing"));

    let Err(e) = parse_policy(r#"{"Version": "2012-10-17"}"#, PolicyKind::Identity) else { panic!() };
    assert!(e.to_string().contains("Statement: missing"), "{e}");
    let Err(e) = parse_policy("[]", PolicyKind::Identity) else { panic!() };
    assert!(e.to_string().contains("expected a JSON object"), "{e}");
    let Err(e) = parse_policy(r#"{"Statement": {"effect": "Allow"}}"#, PolicyKind::Identity) else {
        panic!()
    };
    assert!(e.to_string().contains("did you mean \"Effect\""), "{e}");
}

#[test]
fn evaluate_one_policy_directly() {
    let p = parse_policy(&trust_for(json!({ "AWS": EXEC_ROLE })), PolicyKind::Trust).unwrap();
    let req = Request {
        principal: Some("arn:aws:sts::111111111111:assumed-role/my-lambda-execution-role/fn".into()),
        action: "sts:AssumeRole".into(),
        resource: TARGET_ROLE.into(),
        ..Request::default()
    };
    assert!(evaluate(&p, &req).decision.is_allowed());
    let serialized = serde_json::to_value(evaluate(&p, &req)).unwrap();
    assert_eq!(serialized["decision"]["decision"], "allowed");
}

// --- Authorization messages --------------------------------------------------------------------

#[test]
fn sample_authorization_message_is_explained() {
    let e = authz::explain(authz::sample_message()).unwrap();
    assert_eq!(e.verdict, Verdict::ExplicitDeny);
    assert!(e.headline.starts_with("Explicit deny by statement \"DenyLargeInstances\""), "{}", e.headline);
    assert!(e.headline.contains("ec2:RunInstances"));
    assert!(e.details.iter().any(|d| d.contains("Matched statement \"DenyLargeInstances\" (DENY)")));
    assert!(e.details.iter().any(|d| d.starts_with("Request context: ec2:InstanceType = m5.large")));
}

#[test]
fn implicit_deny_and_allowed_messages() {
    let msg = json!({
        "allowed": false, "explicitDeny": false,
        "matchedStatements": { "items": [] }, "failures": { "items": [] },
        "context": { "principal": { "id": "AIDAEXAMPLE", "name": "dev" }, "action": "lambda:InvokeFunction",
                     "resource": "arn:aws:lambda:us-east-1:111111111111:function:f", "conditions": { "items": [] } }
    });
    let e = authz::explain_value(&msg).unwrap();
    assert_eq!(e.verdict, Verdict::ImplicitDeny);
    assert_eq!(e.principal.as_deref(), Some("AIDAEXAMPLE"));
    assert!(
        e.headline.contains("no policy allows AIDAEXAMPLE to perform lambda:InvokeFunction"),
        "{}",
        e.headline
    );
    assert!(e.details.contains(&"No statement matched the request.".to_string()));

    let msg = json!({ "allowed": true, "matchedStatements": [ { "statementId": "S1", "effect": "ALLOW",
        "action": ["s3:GetObject"], "resource": "*", "principal": "AROA1" } ] });
    let e = authz::explain_value(&msg).unwrap();
    assert_eq!(e.verdict, Verdict::Allowed);
    assert_eq!(e.matched[0].actions, ["s3:GetObject"]);
    assert_eq!(e.matched[0].principals, ["AROA1"]);
}

#[test]
fn authorization_message_errors_and_missing_fields() {
    assert_eq!(authz::explain("{}").unwrap().verdict, Verdict::Unknown);
    assert_eq!(
        authz::explain(r#"{"matchedStatements":{"items":[{"effect":"Deny"}]}}"#).unwrap().verdict,
        Verdict::ExplicitDeny
    );
    let Err(AuthzError::Json(e)) = authz::explain("{\"allowed\": false,\n \"context\": {\"action\" \"x\"}}")
    else {
        panic!()
    };
    assert_eq!((e.line, e.column), (2, 23));
    assert!(e.message.contains("expected `:`"), "{}", e.message);
    assert!(matches!(authz::explain("\"text\""), Err(AuthzError::NotAnObject { .. })));
}

// --- Limits ------------------------------------------------------------------------------------

fn fields(spec: &FunctionConfigSpec) -> Vec<String> {
    check_limits(spec).into_iter().filter(|f| f.severity == Severity::Error).map(|f| f.field).collect()
}

fn spec() -> FunctionConfigSpec {
    FunctionConfigSpec::default()
}

#[test]
fn env_vars_at_and_past_4_kb() {
    assert!(fields(&FunctionConfigSpec { env_total_bytes: Some(4096), ..spec() }).is_empty());
    let f = check_limits(&FunctionConfigSpec { env_total_bytes: Some(4097), ..spec() });
    assert_eq!(f[0].field, "env_vars");
    assert_eq!((f[0].value, f[0].limit), (4097.0, 4096.0));
    assert!(f[0].workarounds.iter().any(|w| w.contains("Parameter Store")));
    assert!(f[0].workarounds.iter().any(|w| w.contains("Secrets Manager")));
    let mut s = spec();
    s.env_vars.insert("TABLE".into(), "x".repeat(4091));
    assert!(fields(&s).is_empty());
    s.env_vars.insert("A".into(), String::new());
    assert_eq!(fields(&s), ["env_vars"]);
}

#[test]
fn zip_and_unzipped_package_limits() {
    assert!(fields(&FunctionConfigSpec { zip_size_mb: Some(50.0), ..spec() }).is_empty());
    let f = check_limits(&FunctionConfigSpec { zip_size_mb: Some(50.01), ..spec() });
    assert_eq!(f[0].field, "zip_size_mb");
    for needle in ["S3", "EFS", "container image"] {
        assert!(f[0].workarounds.iter().any(|w| w.contains(needle)), "{needle}");
    }
    let layers = vec![
        LayerSpec { name: "numpy".into(), unzipped_size_mb: 40.0 },
        LayerSpec { name: "pandas".into(), unzipped_size_mb: 60.0 },
    ];
    let at = FunctionConfigSpec { unzipped_size_mb: Some(150.0), layers: layers.clone(), ..spec() };
    assert!(fields(&at).is_empty());
    let past = FunctionConfigSpec { unzipped_size_mb: Some(150.5), layers, ..spec() };
    let f = check_limits(&past);
    assert_eq!(f[0].field, "unzipped_size_mb");
    assert_eq!(f[0].value, 250.5);
    assert!(f[0].message.contains("100 MB in layers"), "{}", f[0].message);
    // Image functions are not bound by .zip limits.
    let image = FunctionConfigSpec { package_type: PackageType::Image, zip_size_mb: Some(500.0), ..spec() };
    assert!(fields(&image).is_empty());
}

#[test]
fn layer_count_limit() {
    let layers = |n: u32| {
        (0..n).map(|i| LayerSpec { name: format!("l{i}"), unzipped_size_mb: 1.0 }).collect::<Vec<_>>()
    };
    assert!(fields(&FunctionConfigSpec { layers: layers(5), ..spec() }).is_empty());
    let f = check_limits(&FunctionConfigSpec { layers: layers(6), ..spec() });
    assert_eq!((f[0].field.as_str(), f[0].value, f[0].limit), ("layers", 6.0, 5.0));
}

#[test]
fn image_size_limit_notes_the_seed_figure() {
    let image =
        |gb: f64| FunctionConfigSpec { package_type: PackageType::Image, image_size_gb: Some(gb), ..spec() };
    assert!(fields(&image(10.0)).is_empty());
    let f = check_limits(&image(10.5));
    assert_eq!(f[0].field, "image_size_gb");
    assert!(f[0].message.contains("15 GB is sometimes quoted"), "{}", f[0].message);
    let f = check_limits(&image(16.0));
    assert!(!f[0].message.contains("sometimes quoted"));
}

#[test]
fn memory_tmp_and_timeout_ranges() {
    let mem = |m: u32| fields(&FunctionConfigSpec { memory_mb: Some(m), ..spec() });
    assert!(mem(128).is_empty() && mem(10_240).is_empty());
    assert_eq!(mem(127), ["memory_mb"]);
    assert_eq!(mem(10_241), ["memory_mb"]);
    let tmp = |m: u32| fields(&FunctionConfigSpec { ephemeral_storage_mb: Some(m), ..spec() });
    assert!(tmp(512).is_empty() && tmp(10_240).is_empty());
    assert_eq!(tmp(511), ["ephemeral_storage_mb"]);
    assert_eq!(tmp(10_241), ["ephemeral_storage_mb"]);
    let t = |s: u32| check_limits(&FunctionConfigSpec { timeout_s: Some(s), ..spec() });
    assert!(t(1).is_empty() && t(900).is_empty());
    assert_eq!(t(0)[0].limit, 1.0);
    let f = t(901);
    assert_eq!(f[0].limit, 900.0);
    assert!(f[0].workarounds.iter().any(|w| w.contains("Step Functions")));
}

#[test]
fn payload_limits() {
    let sync = |mb: f64| check_limits(&FunctionConfigSpec { sync_payload_mb: Some(mb), ..spec() });
    assert!(sync(6.0).is_empty());
    let f = sync(6.01);
    assert_eq!(f[0].field, "sync_payload_mb");
    assert!(f[0].workarounds.iter().any(|w| w.contains("S3")));
    let asyn = |kb: f64| check_limits(&FunctionConfigSpec { async_payload_kb: Some(kb), ..spec() });
    assert!(asyn(256.0).is_empty());
    assert_eq!(asyn(257.0)[0].severity, Severity::Warning);
    assert_eq!(asyn(1024.0)[0].severity, Severity::Warning);
    let f = asyn(1025.0);
    assert_eq!((f[0].severity, f[0].limit), (Severity::Error, 1024.0));
}

#[test]
fn spec_deserializes_from_ui_json() {
    let s: FunctionConfigSpec = serde_json::from_value(json!({
        "package_type": "zip", "env_vars": { "TABLE": "orders" }, "zip_size_mb": 12.5,
        "layers": [ { "name": "deps", "unzipped_size_mb": 80 } ], "memory_mb": 1769, "timeout_s": 30
    }))
    .unwrap();
    assert!(check_limits(&s).is_empty());
    assert!(serde_json::from_value::<FunctionConfigSpec>(json!({ "memroy_mb": 1 })).is_err());
}

// --- Storage -----------------------------------------------------------------------------------

fn fitting(
    size_mb: f64,
    must_persist: bool,
    shared: bool,
    write: bool,
    latency: LatencyNeed,
) -> Vec<StorageOption> {
    let needs = Needs { size_mb, must_persist, shared_across_environments: shared, write, latency };
    recommend(&needs).into_iter().filter(|f| f.fits).map(|f| f.option).collect()
}

#[test]
fn storage_recommendations() {
    use StorageOption::*;
    // A shared, durable, writable 20 GB model cache read at file-system speed: only EFS.
    assert_eq!(fitting(20_000.0, true, true, true, LatencyNeed::Low), [Efs]);
    // 5 GB scratch space, fast: /tmp or EFS.
    assert_eq!(fitting(5_000.0, false, false, true, LatencyNeed::Low), [Tmp, Efs]);
    // 100 MB of static reference data every environment reads quickly: a layer or EFS.
    assert_eq!(fitting(100.0, false, true, false, LatencyNeed::Low), [Layers, Efs]);
    // 300 MB read-only, private, any latency: too big for a layer.
    assert_eq!(fitting(300.0, false, false, false, LatencyNeed::Any), [Tmp, Efs, S3]);
    // A 1 TB durable archive: EFS or S3.
    assert_eq!(fitting(1_000_000.0, true, true, true, LatencyNeed::Any), [Efs, S3]);
}

#[test]
fn storage_reasons_explain_misfits() {
    let needs = Needs {
        size_mb: 20_000.0,
        must_persist: true,
        shared_across_environments: true,
        write: true,
        latency: LatencyNeed::Low,
    };
    let fits = recommend(&needs);
    let tmp = &fits[0];
    assert!(tmp.reasons.iter().any(|r| r.contains("more than")));
    assert!(tmp.reasons.iter().any(|r| r.contains("recycled")));
    let layers = &fits[1];
    assert!(layers.reasons.iter().any(|r| r.contains("read-only")));
    let s3 = &fits[3];
    assert!(s3.reasons.iter().any(|r| r.contains("tens of milliseconds")));
    assert_eq!(profiles().len(), 4);
    let v = serde_json::to_value(profiles()).unwrap();
    assert_eq!(v[0]["option"], "tmp");
    assert_eq!(v[2]["max_size_mb"], Value::Null);
}

// --- Property tests ----------------------------------------------------------------------------

/// Strings that often look like policy parts, mixed with arbitrary text.
fn policy_word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Version",
            "2012-10-17",
            "Statement",
            "Sid",
            "Effect",
            "Allow",
            "Deny",
            "Alow",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Principal",
            "NotPrincipal",
            "AWS",
            "Service",
            "Condition",
            "StringEquals",
            "StringLike",
            "ArnLike",
            "Bool",
            "Null",
            "StringNotEqualsIfExists",
            "ForAnyValue:StringLike",
            "aws:PrincipalArn",
            "*",
            "sts:AssumeRole",
            "s3:*",
            "sts:Assume?ole",
            "111111111111",
            "arn:aws:iam::111111111111:root",
            "arn:aws:iam::222222222222:role/*",
            EXEC_ROLE,
            TARGET_ROLE,
            "allowed",
            "explicitDeny",
            "matchedStatements",
            "items",
            "value",
            "context",
            "principal",
            "key",
            "values",
            "DecodedMessage",
            "effect",
            "statementId",
        ])
        .prop_map(str::to_string),
        ".{0,12}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        policy_word().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(policy_word(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_kind() -> impl Strategy<Value = PolicyKind> {
    prop_oneof![Just(PolicyKind::Identity), Just(PolicyKind::Trust), Just(PolicyKind::ResourceBased)]
}

proptest! {
    #[test]
    fn policy_parser_never_panics_on_strings(text in ".{0,200}", kind in any_kind()) {
        let _ = parse_policy(&text, kind);
        let _ = authz::explain(&text);
    }

    #[test]
    fn policy_parser_never_panics_on_json_values(v in json_value(), kind in any_kind(), action in policy_word(),
                                                 resource in policy_word(), principal in policy_word()) {
        if let Ok(policy) = Policy::from_value(&v, kind) {
            let req = Request { principal: Some(principal), action, resource, ..Request::default() };
            let _ = evaluate(&policy, &req);
        }
        let text = v.to_string();
        // Valid JSON never reports a syntax error.
        prop_assert!(!matches!(parse_policy(&text, kind), Err(PolicyError::Json(_))));
        let _ = authz::explain_value(&v);
        let wrapped = json!({ "Statement": v });
        let _ = Policy::from_value(&wrapped, kind);
    }

    #[test]
    fn cross_account_never_panics(exec in policy_word(), target in policy_word(), p1 in json_value(),
                                  p2 in json_value(), raw in ".{0,40}") {
        let mut s = seed_example();
        s.execution_role_arn = exec;
        s.target_role_arn = target;
        s.execution_role_policy = p1.to_string();
        s.trust_policy = raw;
        if let Some(s3) = s.s3.as_mut() {
            s3.bucket_policy = Some(p2.to_string());
        }
        let r = evaluate_cross_account(&s);
        prop_assert!(r.allowed == (r.assume_role_allowed && r.s3_allowed.unwrap_or(true)));
        prop_assert!(r.summary.starts_with("Allowed") || r.summary.starts_with("AccessDenied")
            || r.summary.starts_with("InvalidInput"));
    }

    #[test]
    fn limits_and_storage_never_panic(zip in any::<f64>(), unzipped in any::<f64>(), gb in any::<f64>(),
                                      layer in any::<f64>(), n in 0usize..8, mem in any::<u32>(),
                                      tmp in any::<u32>(), t in any::<u32>(), sync in any::<f64>(),
                                      asyn in any::<f64>(), env in any::<u32>(), image in any::<bool>(),
                                      size in any::<f64>(), flags in any::<[bool; 4]>()) {
        let spec = FunctionConfigSpec {
            package_type: if image { PackageType::Image } else { PackageType::Zip },
            env_total_bytes: Some(env),
            zip_size_mb: Some(zip),
            unzipped_size_mb: Some(unzipped),
            layers: (0..n).map(|i| LayerSpec { name: i.to_string(), unzipped_size_mb: layer }).collect(),
            image_size_gb: Some(gb),
            memory_mb: Some(mem),
            ephemeral_storage_mb: Some(tmp),
            timeout_s: Some(t),
            sync_payload_mb: Some(sync),
            async_payload_kb: Some(asyn),
            ..FunctionConfigSpec::default()
        };
        for f in check_limits(&spec) {
            prop_assert!(!f.message.is_empty());
            prop_assert!(f.value.is_finite());
        }
        let latency = if flags[3] { LatencyNeed::Low } else { LatencyNeed::Any };
        let needs = Needs { size_mb: size, must_persist: flags[0], shared_across_environments: flags[1],
                            write: flags[2], latency };
        let fits = recommend(&needs);
        prop_assert_eq!(fits.len(), 4);
        prop_assert!(fits.iter().all(|f| !f.reasons.is_empty()));
    }

    #[test]
    fn literal_patterns_match_themselves(s in "[a-zA-Z0-9:/_-]{0,30}") {
        prop_assert!(lambdascape_beyond_engine::iam::wildcard_match(&s, &s, false));
        prop_assert!(lambdascape_beyond_engine::iam::wildcard_match("*", &s, false));
        let upper = s.to_uppercase();
        prop_assert!(lambdascape_beyond_engine::iam::wildcard_match(&upper, &s, true));
    }
}
