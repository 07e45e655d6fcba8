//! # lambdascape-engine
//!
//! A deterministic, steppable simulation of AWS Lambda's concurrency, burst and throttle
//! behaviour, execution-environment lifecycle and VPC network placement. Plain Rust with no web
//! dependency: the same code runs natively (tests, benches, the `lambdascape` CLI) and in wasm
//! (the web app and the embeddable widgets).

pub mod dist;
pub mod edit;
pub mod editor;
pub mod error;
pub mod network;
pub mod number;
pub mod order;
pub mod reader;
pub mod scenario;
pub mod sim;
pub mod time;
pub mod traffic;
pub mod view;

pub use error::{ValidationError, ValidationErrors};
pub use scenario::{Scenario, ScenarioSpec};
pub use sim::{Simulation, Summary};
pub mod chartdata;
pub mod checks;
pub mod export;
pub mod iam;
pub mod limits;
pub mod schema;
pub mod share;
pub mod storage;
#[cfg(any(test, target_arch = "wasm32"))]
mod tagged;
