//! # lambdascape-beyond-engine
//!
//! What else trips up a Lambda function once it scales, as pure functions over plain data, with
//! no dependency on the simulation: cross-account access and IAM policy evaluation ([`iam`]),
//! deployment and configuration limits ([`limits`]), storage choices ([`storage`]) and decoded
//! authorization failures ([`iam::authz`]). The "Beyond scaling" view (`lambdascape-beyond`)
//! renders them; the rules and their AWS sources are in `docs/model.md#limits`.

pub mod iam;
pub mod limits;
pub mod storage;
