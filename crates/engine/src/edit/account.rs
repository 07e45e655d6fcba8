//! Edits of the account: Region, concurrency limit, scaling model.

use super::checks::check_text;
use super::EditError;
use crate::scenario::{ScalingModel, ScenarioSpec};

pub(super) fn set_region(s: &mut ScenarioSpec, region: &str) -> Result<String, EditError> {
    check_text(region, "account.region", 32, "a Region name such as us-east-1")?;
    s.account.region = region.to_string();
    Ok("account.region".into())
}

pub(super) fn set_concurrency_limit(s: &mut ScenarioSpec, limit: u32) -> Result<String, EditError> {
    s.account.concurrency_limit = limit;
    Ok("account.concurrency_limit".into())
}

pub(super) fn set_scaling_model(s: &mut ScenarioSpec, model: ScalingModel) -> Result<String, EditError> {
    s.account.scaling_model = model;
    Ok("account.scaling_model".into())
}
