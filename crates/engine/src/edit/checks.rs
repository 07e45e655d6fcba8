//! What the edits share: the checks of new names and free text, and finding the element an
//! edit names (a not-found error naming what was sought).

use super::labels::quoted;
use super::EditError;
use crate::network::{EgressRule, VpcSpec};
use crate::scenario::{ScenarioSpec, MAX_NAME_LEN};

pub(super) fn join(parent: &str, field: &str) -> String {
    crate::error::join(parent, field)
}

// A new name: 1 to 64 characters, no control characters; anything else is allowed (markup
// included: names are shown as text).
pub(super) fn check_new_name(name: &str, what: &str, field: &str) -> Result<(), EditError> {
    if name.is_empty() {
        return Err(EditError::bad(field, format!("the {what} needs a name")));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(EditError::bad(field, format!("{what} names are at most {MAX_NAME_LEN} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(EditError::bad(field, format!("{what} names must not contain control characters")));
    }
    Ok(())
}

// Free text other than names (CIDR blocks, Region, egress targets, service names).
pub(super) fn check_text(text: &str, field: &str, max: usize, example: &str) -> Result<(), EditError> {
    if text.is_empty() || text.chars().count() > max || text.chars().any(char::is_control) {
        return Err(EditError::bad(field, format!("{} is not {example}", quoted(text))));
    }
    Ok(())
}

pub(super) fn check_cidr(cidr: &str, field: &str) -> Result<(), EditError> {
    check_text(cidr, field, 43, "a CIDR block such as 10.0.1.0/24")
}

pub(super) fn fn_index(s: &ScenarioSpec, name: &str) -> Result<usize, EditError> {
    s.functions
        .iter()
        .position(|f| f.name == name)
        .ok_or_else(|| EditError::not_found("function", name, "functions"))
}

pub(super) fn vpc_mut(s: &mut ScenarioSpec) -> Result<&mut VpcSpec, EditError> {
    s.vpc.as_mut().ok_or_else(|| EditError::bad("vpc", "the scenario has no VPC: add one first"))
}

pub(super) fn vpc_ref(s: &ScenarioSpec) -> Result<&VpcSpec, EditError> {
    s.vpc.as_ref().ok_or_else(|| EditError::bad("vpc", "the scenario has no VPC: add one first"))
}

/// Position of the element whose key is `name`, or a not-found error naming what was sought.
fn find_ix<T>(
    items: &[T],
    key: impl Fn(&T) -> &str,
    what: &str,
    name: &str,
    field: &str,
) -> Result<usize, EditError> {
    items.iter().position(|x| key(x) == name).ok_or_else(|| EditError::not_found(what, name, field))
}

pub(super) fn subnet_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.subnets, |x| &x.name, "subnet", name, field)
}

pub(super) fn rt_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.route_tables, |x| &x.name, "route table", name, field)
}

pub(super) fn nat_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.nat_gateways, |x| &x.name, "NAT gateway", name, field)
}

pub(super) fn sg_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.security_groups, |x| &x.name, "security group", name, field)
}

pub(super) fn endpoint_ix(v: &VpcSpec, service: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.interface_endpoints, |x| &x.service, "interface endpoint for service", service, field)
}

pub(super) fn resource_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.resources, |x| &x.name, "resource", name, field)
}

pub(super) fn unique(taken: bool, what: &str, name: &str, field: &str) -> Result<(), EditError> {
    if taken {
        return Err(EditError::bad(field, format!("a {what} named {} already exists", quoted(name))));
    }
    Ok(())
}

pub(super) fn check_subnets_exist(v: &VpcSpec, names: &[String], field: &str) -> Result<(), EditError> {
    for n in names {
        subnet_ix(v, n, field)?;
    }
    Ok(())
}

pub(super) fn check_sgs_exist(v: &VpcSpec, names: &[String], field: &str) -> Result<(), EditError> {
    for n in names {
        sg_ix(v, n, field)?;
    }
    Ok(())
}

pub(super) fn check_egress(rules: &[EgressRule], field: &str) -> Result<(), EditError> {
    for r in rules {
        check_text(&r.to, field, MAX_NAME_LEN + 3, "a CIDR block or sg:<name>")?;
    }
    Ok(())
}
