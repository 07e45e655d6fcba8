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
pub mod scenario;
pub mod sim;
pub mod time;
pub mod traffic;
pub mod view;

pub use error::{ValidationError, ValidationErrors};
pub use scenario::{Scenario, ScenarioSpec};
pub use sim::{Simulation, Summary};
pub mod chart;
pub mod checks;
pub mod compare;
pub mod export;
pub mod schema;
pub mod share;
pub mod size;
pub mod sweep;
