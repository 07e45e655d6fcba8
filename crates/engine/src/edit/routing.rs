//! Edits of the VPC's ways out: route tables and their default routes, gateway endpoints, the
//! internet gateway, NAT gateways and interface endpoints.

use super::checks::{
    check_new_name, check_subnets_exist, check_text, endpoint_ix, join, nat_ix, rt_ix, subnet_ix, unique,
    vpc_mut,
};
use super::labels::{quoted, shown, users_text};
use super::{EditError, EditErrorKind};
use crate::network::{
    DefaultRoute, GatewayService, InterfaceEndpointSpec, InternetGatewaySpec, NatGatewaySpec, RouteTableSpec,
};
use crate::scenario::{ScenarioSpec, MAX_NAME_LEN};

pub(super) fn add_route_table(
    s: &mut ScenarioSpec,
    name: &str,
    default_route: &DefaultRoute,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let field = format!("vpc.route_tables[{}]", v.route_tables.len());
    check_new_name(name, "route table", &join(&field, "name"))?;
    unique(v.route_tables.iter().any(|r| r.name == name), "route table", name, &join(&field, "name"))?;
    if let DefaultRoute::NatGateway(n) = default_route {
        nat_ix(v, n, &join(&field, "default_route"))?;
    }
    v.route_tables.push(RouteTableSpec {
        name: name.to_string(),
        default_route: default_route.clone(),
        gateway_endpoints: vec![],
    });
    Ok(field)
}

pub(super) fn set_default_route(
    s: &mut ScenarioSpec,
    route_table: &str,
    target: &DefaultRoute,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = rt_ix(v, route_table, "vpc.route_tables")?;
    let field = format!("vpc.route_tables[{i}].default_route");
    if let DefaultRoute::NatGateway(n) = target {
        nat_ix(v, n, &field)?;
    }
    v.route_tables[i].default_route = target.clone();
    Ok(field)
}

pub(super) fn add_gateway_endpoint(
    s: &mut ScenarioSpec,
    route_table: &str,
    service: GatewayService,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = rt_ix(v, route_table, "vpc.route_tables")?;
    let rt = &mut v.route_tables[i];
    if !rt.gateway_endpoints.contains(&service) {
        rt.gateway_endpoints.push(service);
    }
    Ok(format!("vpc.route_tables[{i}].gateway_endpoints"))
}

pub(super) fn remove_gateway_endpoint(
    s: &mut ScenarioSpec,
    route_table: &str,
    service: GatewayService,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = rt_ix(v, route_table, "vpc.route_tables")?;
    let field = format!("vpc.route_tables[{i}].gateway_endpoints");
    let rt = &mut v.route_tables[i];
    if !rt.gateway_endpoints.contains(&service) {
        return Err(EditError::new(
            EditErrorKind::NotFound,
            &field,
            format!("{} has no {} gateway endpoint", quoted(route_table), service.service()),
        ));
    }
    rt.gateway_endpoints.retain(|x| *x != service);
    Ok(field)
}

pub(super) fn add_internet_gateway(s: &mut ScenarioSpec, name: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    check_new_name(name, "internet gateway", "vpc.internet_gateway.name")?;
    if let Some(g) = &v.internet_gateway {
        return Err(EditError::bad(
            "vpc.internet_gateway",
            format!("the VPC already has internet gateway {}: a VPC has at most one", quoted(&g.name)),
        ));
    }
    v.internet_gateway = Some(InternetGatewaySpec { name: name.to_string(), attached: true });
    Ok("vpc.internet_gateway".into())
}

pub(super) fn attach_internet_gateway(s: &mut ScenarioSpec, attached: bool) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let g = v.internet_gateway.as_mut().ok_or_else(|| {
        EditError::new(EditErrorKind::NotFound, "vpc.internet_gateway", "the VPC has no internet gateway")
    })?;
    g.attached = attached;
    Ok("vpc.internet_gateway.attached".into())
}

pub(super) fn add_nat_gateway(s: &mut ScenarioSpec, name: &str, subnet: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let field = format!("vpc.nat_gateways[{}]", v.nat_gateways.len());
    check_new_name(name, "NAT gateway", &join(&field, "name"))?;
    unique(v.nat_gateways.iter().any(|n| n.name == name), "NAT gateway", name, &join(&field, "name"))?;
    subnet_ix(v, subnet, &join(&field, "subnet"))?;
    v.nat_gateways.push(NatGatewaySpec { name: name.to_string(), subnet: subnet.to_string() });
    Ok(field)
}

pub(super) fn move_nat_gateway(s: &mut ScenarioSpec, name: &str, subnet: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = nat_ix(v, name, "vpc.nat_gateways")?;
    let field = format!("vpc.nat_gateways[{i}].subnet");
    subnet_ix(v, subnet, &field)?;
    v.nat_gateways[i].subnet = subnet.to_string();
    Ok(field)
}

pub(super) fn remove_nat_gateway(s: &mut ScenarioSpec, name: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = nat_ix(v, name, "vpc.nat_gateways")?;
    let field = format!("vpc.nat_gateways[{i}]");
    let users: Vec<String> = v
        .route_tables
        .iter()
        .filter(|r| matches!(&r.default_route, DefaultRoute::NatGateway(n) if n == name))
        .map(|r| format!("route table {}", shown(&r.name)))
        .collect();
    if !users.is_empty() {
        return Err(EditError::in_use(
            &field,
            format!(
                "{} sends its default route to {}: point it elsewhere first",
                users_text(&users),
                quoted(name)
            ),
        ));
    }
    v.nat_gateways.remove(i);
    Ok("vpc.nat_gateways".into())
}

pub(super) fn add_interface_endpoint(
    s: &mut ScenarioSpec,
    service: &str,
    subnets: &[String],
    private_dns: bool,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let field = format!("vpc.interface_endpoints[{}]", v.interface_endpoints.len());
    check_text(service, &join(&field, "service"), MAX_NAME_LEN, "a service name such as sqs")?;
    if v.interface_endpoints.iter().any(|e| e.service == service) {
        return Err(EditError::bad(
            &join(&field, "service"),
            format!("the VPC already has an interface endpoint for {}", quoted(service)),
        ));
    }
    check_subnets_exist(v, subnets, &join(&field, "subnets"))?;
    v.interface_endpoints.push(InterfaceEndpointSpec {
        service: service.to_string(),
        subnets: subnets.to_vec(),
        private_dns,
    });
    Ok(field)
}

pub(super) fn remove_interface_endpoint(s: &mut ScenarioSpec, service: &str) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = endpoint_ix(v, service, "vpc.interface_endpoints")?;
    v.interface_endpoints.remove(i);
    Ok("vpc.interface_endpoints".into())
}

pub(super) fn set_private_dns(
    s: &mut ScenarioSpec,
    service: &str,
    enabled: bool,
) -> Result<String, EditError> {
    let v = vpc_mut(s)?;
    let i = endpoint_ix(v, service, "vpc.interface_endpoints")?;
    v.interface_endpoints[i].private_dns = enabled;
    Ok(format!("vpc.interface_endpoints[{i}].private_dns"))
}
