//! The JSON Schema of the scenario format, generated from the types.

use crate::scenario::ScenarioSpec;

/// The schema as pretty JSON (committed as `www/scenario.schema.json`; a test keeps it current).
pub fn scenario_schema_json() -> String {
    let schema = schemars::schema_for!(ScenarioSpec);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
