//! Edits of the VPC's shape: the VPC itself, its availability zones and its subnets. Renames
//! update every reference; removals of what is still used are refused with its users.

use super::checks::{check_cidr, check_new_name, join, rt_ix, subnet_ix, unique, vpc_mut};
use super::labels::{quoted, shown, users_text};
use super::EditError;
use crate::network::{SubnetSpec, VpcSpec};
use crate::scenario::ScenarioSpec;

pub(super) fn add_vpc(
    s: &mut ScenarioSpec,
    name: &str,
    cidr: &str,
    azs: &[String],
) -> Result<String, EditError> {
    if s.vpc.is_some() {
        return Err(EditError::bad("vpc", "the scenario already has a VPC"));
    }
    check_new_name(name, "VPC", "vpc.name")?;
    check_cidr(cidr, "vpc.cidr")?;
    for az in azs {
        check_new_name(az, "availability zone", "vpc.azs")?;
    }
    s.vpc = Some(VpcSpec {
        name: name.to_string(),
        cidr: cidr.to_string(),
        azs: azs.to_vec(),
        subnets: vec![],
        route_tables: vec![],
        internet_gateway: None,
        nat_gateways: vec![],
        interface_endpoints: vec![],
        security_groups: vec![],
        resources: vec![],
        eni_connection_limit: crate::network::spec::DEFAULT_ENI_CONNECTION_LIMIT,
        eni_quota: crate::network::spec::DEFAULT_ENI_QUOTA,
        other_enis: 0,
        eni_scale_out_time: None,
    });
    Ok("vpc".into())
}

pub(super) fn add_az(s: &mut ScenarioSpec, name: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    check_new_name(name, "availability zone", "vpc.azs")?;
    unique(v.azs.iter().any(|a| a == name), "availability zone", name, "vpc.azs")?;
    v.azs.push(name.to_string());
    Ok(format!("vpc.azs[{}]", v.azs.len() - 1))
}

fn az_ix(v: &VpcSpec, name: &str) -> Result<usize, EditError> {
    v.azs
        .iter()
        .position(|a| a == name)
        .ok_or_else(|| EditError::not_found("availability zone", name, "vpc.azs"))
}

pub(super) fn rename_az(s: &mut ScenarioSpec, from: &str, to: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = az_ix(v, from)?;
    let field = format!("vpc.azs[{i}]");
    check_new_name(to, "availability zone", &field)?;
    if from == to {
        return Ok(field);
    }
    unique(v.azs.iter().any(|a| a == to), "availability zone", to, &field)?;
    v.azs[i] = to.to_string();
    for sub in v.subnets.iter_mut().filter(|x| x.az == from) {
        sub.az = to.to_string();
    }
    for f in s.faults.iter_mut().filter(|f| f.az_down == from) {
        f.az_down = to.to_string();
    }
    Ok(field)
}

pub(super) fn remove_az(s: &mut ScenarioSpec, name: &str) -> Result<String, EditError> {
    let has_fault = s.faults.iter().any(|f| f.az_down == name);
    let v = vpc_mut(s)?;
    let i = az_ix(v, name)?;
    let field = format!("vpc.azs[{i}]");
    let mut users: Vec<String> =
        v.subnets.iter().filter(|x| x.az == name).map(|x| format!("subnet {}", shown(&x.name))).collect();
    if has_fault {
        users.push("an AZ outage fault".into());
    }
    if !users.is_empty() {
        return Err(EditError::in_use(
            &field,
            format!(
                "availability zone {} is used by {}: remove or move them first",
                quoted(name),
                users_text(&users)
            ),
        ));
    }
    v.azs.remove(i);
    Ok("vpc.azs".into())
}

pub(super) fn add_subnet(
    s: &mut ScenarioSpec,
    name: &str,
    az: &str,
    cidr: &str,
    route_table: &str,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let field = format!("vpc.subnets[{}]", v.subnets.len());
    check_new_name(name, "subnet", &join(&field, "name"))?;
    unique(v.subnets.iter().any(|x| x.name == name), "subnet", name, &join(&field, "name"))?;
    if !v.azs.iter().any(|a| a == az) {
        return Err(EditError::not_found("availability zone", az, &join(&field, "az")));
    }
    check_cidr(cidr, &join(&field, "cidr"))?;
    rt_ix(v, route_table, &join(&field, "route_table"))?;
    v.subnets.push(SubnetSpec {
        name: name.to_string(),
        az: az.to_string(),
        cidr: cidr.to_string(),
        route_table: route_table.to_string(),
    });
    Ok(field)
}

pub(super) fn rename_subnet(s: &mut ScenarioSpec, from: &str, to: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = subnet_ix(v, from, "vpc.subnets")?;
    let field = format!("vpc.subnets[{i}].name");
    check_new_name(to, "subnet", &field)?;
    if from == to {
        return Ok(field);
    }
    unique(v.subnets.iter().any(|x| x.name == to), "subnet", to, &field)?;
    v.subnets[i].name = to.to_string();
    let re = |x: &mut String| {
        if *x == from {
            *x = to.to_string();
        }
    };
    v.nat_gateways.iter_mut().for_each(|n| re(&mut n.subnet));
    v.resources.iter_mut().for_each(|r| re(&mut r.subnet));
    v.interface_endpoints.iter_mut().flat_map(|e| e.subnets.iter_mut()).for_each(re);
    s.functions.iter_mut().filter_map(|f| f.vpc.as_mut()).flat_map(|c| c.subnets.iter_mut()).for_each(re);
    let (old_tag, new_tag) = (format!("subnet:{from}"), format!("subnet:{to}"));
    for h in s.chapters.iter_mut().flat_map(|c| c.highlight.iter_mut()) {
        if *h == old_tag {
            *h = new_tag.clone();
        }
    }
    for c in &mut s.checks {
        let renamed = c.metric.split_once('.').and_then(|(head, tail)| {
            (head.ends_with("_by_subnet") && tail == from).then(|| format!("{head}.{to}"))
        });
        if let Some(m) = renamed {
            c.metric = m;
        }
    }
    Ok(field)
}

pub(super) fn remove_subnet(s: &mut ScenarioSpec, name: &str) -> Result<String, EditError> {
    let mut users: Vec<String> = s
        .functions
        .iter()
        .filter(|f| f.vpc.as_ref().is_some_and(|c| c.subnets.iter().any(|x| x == name)))
        .map(|f| format!("function {}", shown(&f.name)))
        .collect();
    let v = vpc_mut(s)?;
    let i = subnet_ix(v, name, "vpc.subnets")?;
    let field = format!("vpc.subnets[{i}]");
    users.extend(
        v.nat_gateways.iter().filter(|n| n.subnet == name).map(|n| format!("NAT gateway {}", shown(&n.name))),
    );
    users.extend(
        v.interface_endpoints
            .iter()
            .filter(|e| e.subnets.iter().any(|x| x == name))
            .map(|e| format!("the {} endpoint", shown(&e.service))),
    );
    users.extend(
        v.resources.iter().filter(|r| r.subnet == name).map(|r| format!("resource {}", shown(&r.name))),
    );
    if !users.is_empty() {
        return Err(EditError::in_use(
            &field,
            format!("subnet {} is used by {}: move or detach them first", quoted(name), users_text(&users)),
        ));
    }
    v.subnets.remove(i);
    Ok("vpc.subnets".into())
}

pub(super) fn set_subnet_cidr(s: &mut ScenarioSpec, subnet: &str, cidr: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = subnet_ix(v, subnet, "vpc.subnets")?;
    let field = format!("vpc.subnets[{i}].cidr");
    check_cidr(cidr, &field)?;
    v.subnets[i].cidr = cidr.to_string();
    Ok(field)
}

pub(super) fn set_subnet_route_table(
    s: &mut ScenarioSpec,
    subnet: &str,
    route_table: &str,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = subnet_ix(v, subnet, "vpc.subnets")?;
    let field = format!("vpc.subnets[{i}].route_table");
    rt_ix(v, route_table, &field)?;
    v.subnets[i].route_table = route_table.to_string();
    Ok(field)
}
