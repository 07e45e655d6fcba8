//! IAM for Lambda: a small, deterministic policy evaluator and the cross-account AssumeRole story.
//!
//! The classic "Cross account sharing" recipe has two policies: the function's execution role in
//! account A must allow `sts:AssumeRole` on a role in account B, and that role's trust policy must
//! name A's execution role (or A's account) as a principal. This module parses policy JSON
//! ([`policy`]), evaluates one policy against one request ([`eval`]), walks the whole story hop by
//! hop ([`cross_account`]) and explains decoded `DecodeAuthorizationMessage` output ([`authz`]).
//!
//! What is modelled: Allow/Deny with explicit Deny winning, Action/NotAction,
//! Resource/NotResource and Principal/NotPrincipal with `*` and `?` wildcards, and a subset of
//! condition operators (`StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase`, `StringLike`,
//! `StringNotLike`, `ArnEquals`, `ArnLike`, `ArnNotEquals`, `ArnNotLike`, `Bool`, `Null`, each
//! with an optional `IfExists`). Other operators are reported as "not evaluated" and assumed to
//! hold. Not modelled: SCPs, permissions boundaries, session policies and policy variables.
//!
//! # Examples
//!
//! ```
//! use lambdascape_beyond_engine::iam::{evaluate_cross_account, seed_example};
//!
//! let result = evaluate_cross_account(&seed_example());
//! assert!(result.assume_role_allowed);
//! ```

pub mod authz;
pub mod cross_account;
pub mod eval;
mod pattern;
pub mod policy;

pub use cross_account::{
    evaluate_cross_account, seed_example, CrossAccountResult, CrossAccountScenario, Hop, HopKind, HopOutcome,
    S3Access,
};
pub use eval::{evaluate, Decision, Evaluation, Request, StatementRef};
pub use pattern::{arn_match, wildcard_match};
pub use policy::{
    parse_policy, Condition, Effect, JsonSyntaxError, PatternBlock, Policy, PolicyError, PolicyKind,
    Principal, PrincipalBlock, Statement, StructureProblem,
};
