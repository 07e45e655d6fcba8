//! Edits of what sits in the VPC besides its routing: private resources and security groups
//! with their egress rules.

use super::checks::{
    check_egress, check_new_name, check_sgs_exist, join, resource_ix, sg_ix, subnet_ix, unique, vpc_mut,
};
use super::labels::{quoted, shown, users_text};
use super::EditError;
use crate::network::{DestinationKind, EgressRule, ResourceKind, ResourceSpec, SecurityGroupSpec};
use crate::scenario::ScenarioSpec;

pub(super) fn add_resource(
    s: &mut ScenarioSpec,
    name: &str,
    kind: ResourceKind,
    subnet: &str,
    port: Option<u16>,
    security_groups: &[String],
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let field = format!("vpc.resources[{}]", v.resources.len());
    check_new_name(name, "resource", &join(&field, "name"))?;
    unique(v.resources.iter().any(|r| r.name == name), "resource", name, &join(&field, "name"))?;
    subnet_ix(v, subnet, &join(&field, "subnet"))?;
    check_sgs_exist(v, security_groups, &join(&field, "security_groups"))?;
    v.resources.push(ResourceSpec {
        name: name.to_string(),
        kind,
        subnet: subnet.to_string(),
        port,
        security_groups: security_groups.to_vec(),
    });
    Ok(field)
}

pub(super) fn move_resource(s: &mut ScenarioSpec, name: &str, subnet: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = resource_ix(v, name, "vpc.resources")?;
    let field = format!("vpc.resources[{i}].subnet");
    subnet_ix(v, subnet, &field)?;
    v.resources[i].subnet = subnet.to_string();
    Ok(field)
}

pub(super) fn remove_resource(s: &mut ScenarioSpec, name: &str) -> Result<String, EditError> {
    let users: Vec<String> = s
        .functions
        .iter()
        .filter(|f| {
            f.destinations.iter().any(|d| matches!(&d.kind, DestinationKind::Resource(r) if r == name))
        })
        .map(|f| format!("function {}", shown(&f.name)))
        .collect();
    let v = vpc_mut(s)?;
    let i = resource_ix(v, name, "vpc.resources")?;
    if !users.is_empty() {
        return Err(EditError::in_use(
            &format!("vpc.resources[{i}]"),
            format!("{} calls {}: remove that destination first", users_text(&users), quoted(name)),
        ));
    }
    v.resources.remove(i);
    Ok("vpc.resources".into())
}

pub(super) fn add_security_group(
    s: &mut ScenarioSpec,
    name: &str,
    egress: &[EgressRule],
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let field = format!("vpc.security_groups[{}]", v.security_groups.len());
    check_new_name(name, "security group", &join(&field, "name"))?;
    unique(v.security_groups.iter().any(|g| g.name == name), "security group", name, &join(&field, "name"))?;
    check_egress(egress, &join(&field, "egress"))?;
    v.security_groups.push(SecurityGroupSpec { name: name.to_string(), egress: egress.to_vec() });
    Ok(field)
}

pub(super) fn set_egress_rules(
    s: &mut ScenarioSpec,
    security_group: &str,
    egress: &[EgressRule],
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = sg_ix(v, security_group, "vpc.security_groups")?;
    let field = format!("vpc.security_groups[{i}].egress");
    check_egress(egress, &field)?;
    v.security_groups[i].egress = egress.to_vec();
    Ok(field)
}

pub(super) fn add_egress_rule(
    s: &mut ScenarioSpec,
    security_group: &str,
    rule: &EgressRule,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = sg_ix(v, security_group, "vpc.security_groups")?;
    let field = format!("vpc.security_groups[{i}].egress");
    check_egress(std::slice::from_ref(rule), &field)?;
    v.security_groups[i].egress.push(rule.clone());
    Ok(format!("{field}[{}]", v.security_groups[i].egress.len() - 1))
}
