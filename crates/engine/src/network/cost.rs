//! What the network costs: NAT gateway and interface endpoint hours, and the bytes each metered
//! element processes. The simulation adds every call's bytes to a [`TrafficTotals`] under the
//! [`PathCharge`] its [`super::Reach`] answer carried, then asks [`network_cost`].

use super::reach::PathCharge;
use super::spec::{GatewayService, NetworkPrices};
use super::topology::{EndpointId, NatId, Vpc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Hours in a billing month, as AWS's price examples use.
pub const HOURS_PER_MONTH: f64 = 730.0;
/// Bytes in a billed GB. AWS meters data processing in binary gigabytes.
pub const BYTES_PER_GB: f64 = 1_073_741_824.0;

/// Bytes that crossed each metered element.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TrafficTotals {
    pub nat: BTreeMap<NatId, u64>,
    pub interface_endpoints: BTreeMap<EndpointId, u64>,
    pub gateway_endpoints: BTreeMap<GatewayService, u64>,
    /// Unmetered: Lambda-managed networking and the VPC's local route.
    pub direct: u64,
}

impl TrafficTotals {
    /// Adds one call's bytes (saturating).
    pub fn add(&mut self, charge: PathCharge, bytes: u64) {
        let slot = match charge {
            PathCharge::Direct => &mut self.direct,
            PathCharge::NatGateway(n) => self.nat.entry(n).or_insert(0),
            PathCharge::InterfaceEndpoint(e) => self.interface_endpoints.entry(e).or_insert(0),
            PathCharge::GatewayEndpoint(g) => self.gateway_endpoints.entry(g).or_insert(0),
        };
        *slot = slot.saturating_add(bytes);
    }

    /// Total bytes through NAT gateways.
    pub fn nat_bytes(&self) -> u64 {
        self.nat.values().fold(0, |a, b| a.saturating_add(*b))
    }
    /// Total bytes through interface endpoints.
    pub fn interface_endpoint_bytes(&self) -> u64 {
        self.interface_endpoints.values().fold(0, |a, b| a.saturating_add(*b))
    }
    /// Total bytes through gateway endpoints.
    pub fn gateway_endpoint_bytes(&self) -> u64 {
        self.gateway_endpoints.values().fold(0, |a, b| a.saturating_add(*b))
    }
}

/// The network bill of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NetworkCost {
    /// Every NAT gateway, every hour, used or not.
    pub nat_hours_usd: f64,
    pub nat_gb_usd: f64,
    /// Every interface endpoint, per AZ it has an interface in, every hour.
    pub endpoint_hours_usd: f64,
    /// Interface endpoint processing plus gateway endpoint processing (free by default).
    pub endpoint_gb_usd: f64,
    pub total_usd: f64,
}

// Negative, NaN and infinite inputs count as zero: a bill is never negative or NaN.
fn sane(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

fn gb(bytes: u64) -> f64 {
    bytes as f64 / BYTES_PER_GB
}

/// The cost of `vpc`'s NAT gateways and endpoints over `hours`, with `traffic` bytes.
pub fn network_cost(vpc: &Vpc, prices: &NetworkPrices, hours: f64, traffic: &TrafficTotals) -> NetworkCost {
    let hours = sane(hours);
    let nats = vpc.nat_gateways().count() as f64;
    let endpoint_azs: usize = vpc.interface_endpoints().map(|(id, _)| vpc.endpoint_azs(id).len()).sum();
    let nat_hours_usd = nats * hours * sane(prices.nat_gateway_per_hour_usd);
    let nat_gb_usd = gb(traffic.nat_bytes()) * sane(prices.nat_gateway_per_gb_usd);
    let endpoint_hours_usd = endpoint_azs as f64 * hours * sane(prices.interface_endpoint_per_az_hour_usd);
    let endpoint_gb_usd = gb(traffic.interface_endpoint_bytes()) * sane(prices.interface_endpoint_per_gb_usd)
        + gb(traffic.gateway_endpoint_bytes()) * sane(prices.gateway_endpoint_per_gb_usd);
    NetworkCost {
        nat_hours_usd,
        nat_gb_usd,
        endpoint_hours_usd,
        endpoint_gb_usd,
        total_usd: nat_hours_usd + nat_gb_usd + endpoint_hours_usd + endpoint_gb_usd,
    }
}

/// One way for a function in a VPC to use AWS services (a row of the comparison table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostRow {
    pub method: &'static str,
    pub works_for: &'static str,
    pub monthly_usd: f64,
    /// How the monthly figure was computed.
    pub basis: String,
}

/// The table "How to use AWS services from a Lambda in a VPC" (NAT gateway, gateway and
/// interface endpoints; prices in docs/model.md#prices-and-costs), priced for
/// `gb_per_month` of traffic and `azs` availability zones (one NAT gateway or endpoint
/// interface per AZ, as high availability wants), 730 hours a month.
pub fn cost_comparison(gb_per_month: f64, azs: u32, prices: &NetworkPrices) -> Vec<CostRow> {
    let gb = sane(gb_per_month);
    let azs = f64::from(azs.max(1));
    let nat_h = sane(prices.nat_gateway_per_hour_usd);
    let nat_gb = sane(prices.nat_gateway_per_gb_usd);
    let ep_h = sane(prices.interface_endpoint_per_az_hour_usd);
    let ep_gb = sane(prices.interface_endpoint_per_gb_usd);
    let gw_gb = sane(prices.gateway_endpoint_per_gb_usd);
    vec![
        CostRow {
            method: "NAT gateway",
            works_for: "Any AWS service and any third-party service on the internet",
            monthly_usd: azs * HOURS_PER_MONTH * nat_h + gb * nat_gb,
            basis: format!(
                "{azs} x 730 h x ${nat_h}/h + {gb} GB x ${nat_gb}/GB"
            ),
        },
        CostRow {
            method: "VPC gateway endpoint",
            works_for: "S3 and DynamoDB only",
            monthly_usd: gb * gw_gb,
            basis: format!("no hourly charge; {gb} GB x ${gw_gb}/GB"),
        },
        CostRow {
            method: "VPC interface endpoint",
            works_for: "Most AWS services (CloudWatch, Kinesis Firehose, SNS, SQS, SSM, ...), one endpoint per service",
            monthly_usd: azs * HOURS_PER_MONTH * ep_h + gb * ep_gb,
            basis: format!("{azs} AZ x 730 h x ${ep_h}/h + {gb} GB x ${ep_gb}/GB, per service"),
        },
        CostRow {
            method: "CloudWatch Embedded Metric Format",
            works_for: "Amazon CloudWatch metrics only: written to the function's logs, no network path needed",
            monthly_usd: 0.0,
            basis: "no network charge".into(),
        },
        CostRow {
            method: "Lambda Destinations",
            works_for: "SNS, SQS, EventBridge, Lambda; only for asynchronous invocation results",
            monthly_usd: 0.0,
            basis: "no network charge".into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Errors;
    use crate::network::examples::example_private_subnets_with_nat;
    use crate::network::topology::validate_vpc;

    #[test]
    fn seed_table_at_zero_traffic() {
        let rows = cost_comparison(0.0, 1, &NetworkPrices::default());
        assert_eq!(rows.len(), 5);
        assert!((rows[0].monthly_usd - 32.85).abs() < 1e-9);
        assert_eq!(rows[1].monthly_usd, 0.0);
        assert!((rows[2].monthly_usd - 7.30).abs() < 1e-9);
        let rows = cost_comparison(100.0, 2, &NetworkPrices::default());
        assert!((rows[0].monthly_usd - (65.70 + 4.5)).abs() < 1e-9);
        assert!((rows[2].monthly_usd - (14.60 + 1.0)).abs() < 1e-9);
        assert!(cost_comparison(f64::NAN, 0, &NetworkPrices::default())
            .iter()
            .all(|r| r.monthly_usd.is_finite() && r.monthly_usd >= 0.0));
    }

    #[test]
    fn bill_of_two_nats() {
        let mut errs = Errors::default();
        let vpc = validate_vpc(&example_private_subnets_with_nat(), "vpc", &mut errs).unwrap();
        let mut t = TrafficTotals::default();
        t.add(PathCharge::NatGateway(NatId(0)), 1 << 30);
        t.add(PathCharge::GatewayEndpoint(GatewayService::S3), 5 << 30);
        t.add(PathCharge::Direct, 7);
        let c = network_cost(&vpc, &NetworkPrices::default(), HOURS_PER_MONTH, &t);
        assert!((c.nat_hours_usd - 2.0 * 32.85).abs() < 1e-9);
        assert!((c.nat_gb_usd - 0.045).abs() < 1e-12);
        assert_eq!(c.endpoint_hours_usd, 0.0);
        assert_eq!(c.endpoint_gb_usd, 0.0);
        assert!((c.total_usd - (65.70 + 0.045)).abs() < 1e-9);
    }
}
