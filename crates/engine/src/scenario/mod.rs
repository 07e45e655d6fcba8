//! The scenario format: what a file, the editor or a share link says ([`ScenarioSpec`], serde
//! JSON with a `version`), and its validated, typed form ([`Scenario`]) — the only thing the
//! engine runs. Validation reports every problem with its field path, never panics.

pub mod compute;
pub mod features;

pub use compute::*;
pub use features::*;

use crate::dist::{Dist, DistSpec};
use crate::error::{index, join, Errors, ValidationErrors};
use crate::network::{
    validate_destinations, validate_function_vpc, validate_prices, validate_vpc, AzId, Destination,
    DestinationSpec, FunctionVpc, FunctionVpcSpec, NetworkPrices, Vpc, VpcSpec,
};
use crate::time::{format_duration, DurationSpec, Micros, MICROS_PER_SEC};
use crate::traffic::{Traffic, TrafficSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The scenario format version this engine writes and reads.
pub const SCENARIO_VERSION: u32 = 1;
/// Longest name of anything in a scenario (names are shown as text, never as markup).
pub const MAX_NAME_LEN: usize = 64;
/// Most functions in one scenario.
pub const MAX_FUNCTIONS: usize = 64;
/// Longest simulated horizon: 30 days.
pub const MAX_HORIZON: Micros = 30 * 86_400 * MICROS_PER_SEC;

/// A Lambdascape scenario as written in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Format version; this engine reads version 1.
    pub version: u32,
    /// Short identifier, e.g. "seed-burst-5000".
    #[serde(default)]
    pub name: String,
    /// Title shown to learners.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// What the scenario shows, in plain words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where the behaviour it shows is documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Seed of the one random generator (ChaCha8); same seed, same run.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How much time to simulate, e.g. "10m".
    #[serde(default = "default_horizon")]
    pub duration: DurationSpec,
    /// How often metrics are sampled, e.g. "1s".
    #[serde(default = "default_sample_interval")]
    pub sample_interval: DurationSpec,
    #[serde(default)]
    pub account: AccountSpec,
    #[serde(default)]
    pub pricing: PricingSpec,
    pub functions: Vec<FunctionSpec>,
    /// The VPC the functions may attach to (subnets, routes, gateways, endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<VpcSpec>,
    /// Prices of NAT gateways and endpoints (us-east-1 defaults).
    #[serde(default)]
    pub network_prices: NetworkPrices,
    /// When set, the Hyperplane ENIs are created at the start and take this long: the VPC
    /// functions are Pending, their invocations failing, until then. Absent: ready at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eni_creation_time: Option<DurationSpec>,
    /// Faults injected at times (an Availability Zone going down).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultSpec>,
    /// CloudWatch-style alarms; absent: the project's advice (throttles > 0, messages in the DLQ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<Vec<AlarmSpec>>,
    /// The story told in chapters (presets and presenter mode).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chapters: Vec<ChapterSpec>,
    /// Variants for compare mode (same traffic and seed, one difference).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantSpec>,
    /// Edits that take effect during the run, in time order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeSpec>,
    /// Headline figures the scenario claims, checked by `lambdascape check` and the test suite.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckSpec>,
}

fn default_seed() -> u64 {
    1
}
fn default_horizon() -> DurationSpec {
    "10m".into()
}
fn default_sample_interval() -> DurationSpec {
    "1s".into()
}

/// Which scaling behaviour Lambda follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScalingModel {
    /// Before Nov 2023: an account-wide burst bucket (Region quota), refilled at 500 per minute.
    Legacy,
    /// Since Nov 2023: each function adds up to 1,000 environments every 10 s.
    #[default]
    Current,
}

/// The AWS account and Region the functions run in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// Region, e.g. "us-east-1": gives the legacy burst quota.
    #[serde(default = "default_region")]
    pub region: String,
    /// Account concurrency limit in the Region (AWS default 1,000).
    #[serde(default = "default_limit")]
    pub concurrency_limit: u32,
    #[serde(default)]
    pub scaling_model: ScalingModel,
    /// Overrides the Region's legacy burst quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst_quota: Option<u32>,
    /// Legacy model: environments added per minute after the burst (AWS: 500).
    #[serde(default = "default_legacy_refill")]
    pub legacy_refill_per_minute: f64,
    /// Current model: environments each function may add per `current_scaling_interval`
    /// (AWS: 1,000 per 10 s).
    #[serde(default = "default_current_step")]
    pub current_scaling_step: u32,
    #[serde(default = "default_current_interval")]
    pub current_scaling_interval: DurationSpec,
    /// Current model: requests per second each function's synchronous traffic may grow by per
    /// `current_scaling_interval` (AWS: 10,000 per 10 s).
    #[serde(default = "default_current_rps_step")]
    pub current_scaling_rps_step: u32,
    /// Concurrency that always stays unreserved (AWS: 100).
    #[serde(default = "default_unreserved_floor")]
    pub unreserved_minimum: u32,
    /// Requests per second allowed per unit of concurrency (AWS: 10).
    #[serde(default = "default_rps_factor")]
    pub rps_per_concurrency: f64,
}

fn default_region() -> String {
    "us-east-1".into()
}
fn default_limit() -> u32 {
    1000
}
fn default_legacy_refill() -> f64 {
    500.0
}
fn default_current_step() -> u32 {
    1000
}
fn default_current_rps_step() -> u32 {
    10_000
}
fn default_current_interval() -> DurationSpec {
    "10s".into()
}
fn default_unreserved_floor() -> u32 {
    100
}
fn default_rps_factor() -> f64 {
    10.0
}

impl Default for AccountSpec {
    fn default() -> Self {
        AccountSpec {
            region: default_region(),
            concurrency_limit: default_limit(),
            scaling_model: ScalingModel::default(),
            burst_quota: None,
            legacy_refill_per_minute: default_legacy_refill(),
            current_scaling_step: default_current_step(),
            current_scaling_interval: default_current_interval(),
            current_scaling_rps_step: default_current_rps_step(),
            unreserved_minimum: default_unreserved_floor(),
            rps_per_concurrency: default_rps_factor(),
        }
    }
}

/// The legacy burst quota of a Region (docs/model.md#scaling).
pub fn region_burst_quota(region: &str) -> u32 {
    match region {
        "us-east-1" | "us-west-2" | "eu-west-1" => 3000,
        "ap-northeast-1" | "eu-central-1" | "us-east-2" => 1000,
        _ => 500,
    }
}

/// Prices used for the cost figures (us-east-1 on-demand defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PricingSpec {
    /// USD per GB-second of duration (x86_64).
    #[serde(default = "default_gb_second")]
    pub gb_second_usd: f64,
    /// USD per million requests.
    #[serde(default = "default_per_million")]
    pub per_million_requests_usd: f64,
    /// USD per GB-second of provisioned concurrency held (whether used or not).
    #[serde(default = "default_pc_gb_second")]
    pub provisioned_gb_second_usd: f64,
    /// USD per GB-second of duration of invocations served by provisioned environments.
    #[serde(default = "default_pc_duration")]
    pub provisioned_duration_gb_second_usd: f64,
    /// SnapStart (Python, .NET): USD per GB-second of the snapshot cached while the version is
    /// active.
    #[serde(default = "default_snapstart_cache")]
    pub snapstart_cache_gb_second_usd: f64,
    /// SnapStart (Python, .NET): USD per GB restored.
    #[serde(default = "default_snapstart_restore")]
    pub snapstart_restore_gb_usd: f64,
    /// Managed Instances: the management fee, a share of the instances' on-demand price (AWS:
    /// 15%).
    #[serde(default = "default_mi_fee")]
    pub managed_instances_fee: f64,
}

fn default_snapstart_cache() -> f64 {
    0.000_001_504_6
}
fn default_snapstart_restore() -> f64 {
    0.000_139_799_8
}
fn default_mi_fee() -> f64 {
    0.15
}

fn default_pc_duration() -> f64 {
    0.000_009_722_2
}

fn default_pc_gb_second() -> f64 {
    0.000_004_166_7
}

fn default_gb_second() -> f64 {
    0.000_016_666_7
}
fn default_per_million() -> f64 {
    0.20
}

impl Default for PricingSpec {
    fn default() -> Self {
        PricingSpec {
            gb_second_usd: default_gb_second(),
            per_million_requests_usd: default_per_million(),
            provisioned_gb_second_usd: default_pc_gb_second(),
            provisioned_duration_gb_second_usd: default_pc_duration(),
            snapstart_cache_gb_second_usd: default_snapstart_cache(),
            snapstart_restore_gb_usd: default_snapstart_restore(),
            managed_instances_fee: default_mi_fee(),
        }
    }
}

/// How a function picks among its idle (warm) environments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarmSelection {
    /// The most recently used idle environment (keeps few environments warm).
    #[default]
    MostRecentlyUsed,
    /// The least recently used one (spreads work over all of them).
    LeastRecentlyUsed,
    /// Any idle environment, uniformly at random.
    Random,
}

/// A lifetime: one fixed value or a uniform range, drawn once per environment.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum LifetimeSpec {
    Fixed(DurationSpec),
    Range { min: DurationSpec, max: DurationSpec },
}

/// A duration or `{"min": ..., "max": ...}`, read directly (see [`crate::time::DurationVisitor`]);
/// other keys are ignored, as by serde's untagged derive.
impl<'de> Deserialize<'de> for LifetimeSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use crate::time::DurationVisitor;
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LifetimeSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                DurationVisitor.expecting(f)?;
                f.write_str(", or a range {\"min\": ..., \"max\": ...}")
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<LifetimeSpec, E> {
                DurationVisitor.visit_f64(v).map(LifetimeSpec::Fixed)
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<LifetimeSpec, E> {
                DurationVisitor.visit_u64(v).map(LifetimeSpec::Fixed)
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<LifetimeSpec, E> {
                DurationVisitor.visit_i64(v).map(LifetimeSpec::Fixed)
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<LifetimeSpec, E> {
                DurationVisitor.visit_str(v).map(LifetimeSpec::Fixed)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LifetimeSpec, A::Error> {
                let (mut min, mut max) = (None, None);
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "min" => min = Some(map.next_value::<DurationSpec>()?),
                        "max" => max = Some(map.next_value::<DurationSpec>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(LifetimeSpec::Range {
                    min: min.ok_or_else(|| A::Error::missing_field("min"))?,
                    max: max.ok_or_else(|| A::Error::missing_field("max"))?,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl LifetimeSpec {
    /// Like `validate` but 0 is allowed.
    pub fn validate_allow_zero(&self, path: &str, errs: &mut Errors) -> Option<(Micros, Micros)> {
        let (lo, hi) = match self {
            LifetimeSpec::Fixed(d) => (*d, *d),
            LifetimeSpec::Range { min, max } => (*min, *max),
        };
        if !lo.is_valid() || !hi.is_valid() || lo.micros() > hi.micros() {
            errs.push(path, "must be a duration (or a min/max range) of 0 or more");
            return None;
        }
        Some((lo.micros(), hi.micros()))
    }

    pub fn validate(&self, path: &str, errs: &mut Errors) -> Option<(Micros, Micros)> {
        let (lo, hi) = match self {
            LifetimeSpec::Fixed(d) => (*d, *d),
            LifetimeSpec::Range { min, max } => (*min, *max),
        };
        if !lo.is_valid() || !hi.is_valid() || lo.micros() == 0 {
            errs.push(path, "must be a duration longer than 0");
            return None;
        }
        if lo.micros() > hi.micros() {
            errs.push(join(path, "max"), "is shorter than min");
            return None;
        }
        Some((lo.micros(), hi.micros()))
    }
}

fn default_idle_lifetime() -> LifetimeSpec {
    // AWS documents no idle lifetime; published measurements range from about 5 minutes to
    // about an hour. 30-45 minutes is an assumption inside that range, shown as one wherever
    // it decides a cold start (docs/model.md#idle-lifetime).
    LifetimeSpec::Range { min: "30m".into(), max: "45m".into() }
}
fn default_max_lifetime() -> Option<LifetimeSpec> {
    // AWS: environments are replaced "every few hours" even when busy.
    Some(LifetimeSpec::Range { min: "2h".into(), max: "4h".into() })
}
fn default_memory() -> u32 {
    512
}
fn default_timeout() -> DurationSpec {
    "3s".into()
}
fn default_init() -> DistSpec {
    DistSpec::Lognormal { mean_ms: 300.0, std_ms: 100.0 }
}
fn default_duration() -> DistSpec {
    DistSpec::Lognormal { mean_ms: 120.0, std_ms: 40.0 }
}

/// One Lambda function (one alias) and the traffic it receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionSpec {
    pub name: String,
    /// Memory in MB (128–10,240).
    #[serde(default = "default_memory")]
    pub memory_mb: u32,
    /// Timeout (1 s – 900 s; AWS default 3 s).
    #[serde(default = "default_timeout")]
    pub timeout: DurationSpec,
    /// Reserved concurrency: both the function's maximum and its guaranteed share. 0 throttles
    /// every request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_concurrency: Option<u32>,
    /// Init (cold start) duration.
    #[serde(default = "default_init")]
    pub init: DistSpec,
    /// Invocation (handler) duration.
    #[serde(default = "default_duration")]
    pub duration: DistSpec,
    /// The part of `duration` that is CPU work on one thread, and the memory it was measured
    /// at: that part runs faster or slower with the CPU another memory gives. Absent: the
    /// duration does not depend on memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_bound: Option<CpuBoundSpec>,
    #[serde(default)]
    pub warm_selection: WarmSelection,
    /// How long an idle environment is kept before it is reaped (not documented by AWS).
    #[serde(default = "default_idle_lifetime")]
    pub idle_lifetime: LifetimeSpec,
    /// Environments are recycled after this age even when busy; `null` never recycles.
    #[serde(default = "default_max_lifetime")]
    pub max_lifetime: Option<LifetimeSpec>,
    pub traffic: TrafficSpec,
    /// Share of invocations that end in a function error (0–1).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub error_rate: f64,
    /// Longest on-demand init phase (AWS: 10 s): past it Lambda stops the init and retries it as
    /// part of the invocation, under the function timeout.
    #[serde(default = "default_init_limit")]
    pub init_limit: DurationSpec,
    #[serde(default)]
    pub invocation: InvocationType,
    #[serde(default)]
    pub async_config: AsyncConfigSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned: Option<ProvisionedSpec>,
    /// SnapStart: new environments restore a snapshot instead of running the init.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapstart: Option<SnapStartSpec>,
    /// Runs on Lambda Managed Instances (a capacity provider's EC2 instances in the VPC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_instances: Option<ManagedInstancesSpec>,
    /// Runs as a Lambda Web Function (an HTTP endpoint, many requests per environment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<WebSpec>,
    /// The traffic arrives through an event source (an SQS queue, a stream) instead of direct calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<EventSourceSpec>,
    /// VPC configuration; absent = Lambda-managed networking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<FunctionVpcSpec>,
    /// What one invocation calls (and the bytes it moves).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<DestinationSpec>,
    #[serde(default)]
    pub placement: Placement,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// A function's memory, in MB (AWS: 128–10,240 MB).
const MEMORY_MB: std::ops::RangeInclusive<u32> = 128..=10_240;

/// Reports a memory size outside [`MEMORY_MB`] at `path`.
fn check_memory_mb(mb: u32, path: &str, errs: &mut Errors) {
    if !MEMORY_MB.contains(&mb) {
        errs.push(path, format!("{mb} MB is outside Lambda's 128–10,240 MB"));
    }
}

/// Memory that gives a function the equivalent of one vCPU (AWS: 1,769 MB). Below it a
/// function gets that share of a vCPU; above it, more vCPUs, which one thread cannot use.
pub const ONE_VCPU_MEMORY_MB: u32 = 1769;

/// A duration partly made of CPU work on one thread (`functions[].cpu_bound`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CpuBoundSpec {
    /// Share of `duration` that is CPU work on one thread (0–1), as measured at `at_memory_mb`.
    pub share: f64,
    /// The memory in MB at which `duration` was measured (128–10,240). Written out rather than
    /// taken from `memory_mb`, so that changing the memory changes the durations.
    pub at_memory_mb: u32,
}

impl CpuBoundSpec {
    /// What a duration drawn from `duration` is multiplied by at `memory_mb`:
    /// `(1 - share) + share × vcpu(at_memory_mb) / vcpu(memory_mb)`, where one thread gets
    /// `vcpu(m) = min(m, 1,769) / 1,769` of a vCPU; exactly 1 when one thread gets the same CPU
    /// at both memories or the share is 0.
    pub fn duration_factor(&self, memory_mb: u32) -> f64 {
        let ratio =
            self.at_memory_mb.min(ONE_VCPU_MEMORY_MB) as f64 / memory_mb.clamp(1, ONE_VCPU_MEMORY_MB) as f64;
        1.0 + self.share * (ratio - 1.0)
    }

    /// Checks the share and the memory; returns the factor at `memory_mb` (1 after a problem).
    pub fn validate(&self, path: &str, memory_mb: u32, errs: &mut Errors) -> f64 {
        let before = errs.list.len();
        if !(0.0..=1.0).contains(&self.share) {
            errs.push(join(path, "share"), format!("{} is not a share between 0 and 1", self.share));
        }
        check_memory_mb(self.at_memory_mb, &join(path, "at_memory_mb"), errs);
        if errs.list.len() > before || !MEMORY_MB.contains(&memory_mb) {
            return 1.0;
        }
        self.duration_factor(memory_mb)
    }
}

fn default_init_limit() -> DurationSpec {
    "10s".into()
}

/// How a new environment picks its subnet (AWS documents nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Uniformly at random among the function's healthy subnets (seeded).
    #[default]
    Random,
    /// Round-robin across Availability Zones, then subnets.
    RoundRobinAz,
}

impl FunctionSpec {
    /// A function with the defaults and the given traffic.
    pub fn new(name: &str, traffic: TrafficSpec) -> Self {
        FunctionSpec {
            name: name.into(),
            memory_mb: default_memory(),
            timeout: default_timeout(),
            reserved_concurrency: None,
            init: default_init(),
            duration: default_duration(),
            cpu_bound: None,
            warm_selection: WarmSelection::default(),
            idle_lifetime: default_idle_lifetime(),
            max_lifetime: default_max_lifetime(),
            traffic,
            error_rate: 0.0,
            init_limit: default_init_limit(),
            invocation: InvocationType::Sync,
            async_config: AsyncConfigSpec::default(),
            provisioned: None,
            snapstart: None,
            managed_instances: None,
            web: None,
            event_source: None,
            vpc: None,
            destinations: Vec::new(),
            placement: Placement::Random,
        }
    }
}

/// A headline figure a scenario claims. `metric` is a path into the CLI summary
/// (`max_concurrency`, `throttles_by_reason.ConcurrentInvocationLimitExceeded`,
/// `functions.api.cold_starts`) or a series value at a time (`series.concurrency@4m`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub metric: String,
    /// The name of the variant (in `variants`) the check is about; absent: the scenario as
    /// written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Where the expected figure comes from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl ScenarioSpec {
    /// A minimal scenario with the defaults (used by tests and the editor's "new").
    pub fn new(name: &str, functions: Vec<FunctionSpec>) -> Self {
        ScenarioSpec {
            version: SCENARIO_VERSION,
            name: name.into(),
            title: String::new(),
            description: String::new(),
            sources: Vec::new(),
            seed: default_seed(),
            duration: default_horizon(),
            sample_interval: default_sample_interval(),
            account: AccountSpec::default(),
            pricing: PricingSpec::default(),
            functions,
            vpc: None,
            network_prices: NetworkPrices::default(),
            eni_creation_time: None,
            faults: Vec::new(),
            alarms: None,
            chapters: Vec::new(),
            variants: Vec::new(),
            changes: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// Parses JSON text: a syntax error names its line and column, a value of the wrong type
    /// or an unknown field its path (`functions[0].memory_mb`).
    pub fn from_json(text: &str) -> Result<Self, ValidationErrors> {
        Self::from_doc(&crate::size::reader::parse(text).map_err(read_error)?)
    }

    /// Reads a parsed JSON document.
    pub fn from_doc(doc: &serde_json::Value) -> Result<Self, ValidationErrors> {
        crate::size::reader::read(doc).map_err(read_error)
    }

    /// Parses and validates in one go. The `changes` are merge-patched onto the text as
    /// written, so this path never serializes the spec back to JSON (the viewer and the widget
    /// then carry no serialization code; a test checks it gives what [`Self::validate`] gives).
    pub fn parse_and_validate(text: &str) -> Result<Scenario, ValidationErrors> {
        let doc = crate::size::reader::parse(text).map_err(read_error)?;
        let spec = Self::from_doc(&doc)?;
        let doc = if spec.changes.is_empty() { None } else { Some(doc) };
        spec.validate_with(doc)
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks everything and builds the typed scenario, or returns every problem found.
    pub fn validate(&self) -> Result<Scenario, ValidationErrors> {
        let doc = if self.changes.is_empty() { None } else { self.to_doc().ok() };
        self.validate_with(doc)
    }

    /// [`Self::validate`], given this spec as JSON (`doc`) to patch the `changes` onto (needed
    /// only when there are changes). Errors come in the order of the spec's fields.
    fn validate_with(&self, doc: Option<serde_json::Value>) -> Result<Scenario, ValidationErrors> {
        let mut errs = Errors::default();
        let (horizon, sample) = self.validate_header(&mut errs);
        let burst_quota = self.validate_account(&mut errs);
        let vpc = self.vpc.as_ref().and_then(|v| validate_vpc(v, "vpc", &mut errs));
        validate_prices(&self.network_prices, "network_prices", &mut errs);
        let eni_creation = self.eni_creation_time.map(|d| {
            if !d.is_valid() || d.micros() > 3600 * MICROS_PER_SEC {
                errs.push("eni_creation_time", "must be between 0 and 1 h");
            }
            d.micros()
        });
        let faults = self.validate_faults(vpc.as_ref(), &mut errs);
        let alarms = self.validate_alarms(sample, &mut errs);
        let (functions, reserved_total) = self.validate_functions(vpc.as_ref(), &mut errs);
        self.validate_story(horizon, &mut errs);
        let scenario = Scenario {
            spec: self.clone(),
            horizon,
            sample_interval: sample.max(1),
            account: self.account_of(burst_quota, reserved_total),
            functions,
            vpc,
            eni_creation,
            faults,
            alarms,
            epochs: Vec::new(),
        };
        let mut scenario = errs.into_result(scenario)?;
        scenario.epochs = self.validate_changes(&scenario, doc)?;
        Ok(scenario)
    }

    /// The version, name, texts, duration and sampling; returns the horizon and the sample
    /// interval.
    fn validate_header(&self, errs: &mut Errors) -> (Micros, Micros) {
        if self.version != SCENARIO_VERSION {
            errs.push(
                "version",
                format!(
                    "version {} is not supported: this Lambdascape reads version {SCENARIO_VERSION}",
                    self.version
                ),
            );
        }
        check_name(&self.name, "name", true, errs);
        if self.title.chars().count() > 200 {
            errs.push("title", "longer than 200 characters");
        }
        if self.description.chars().count() > 20_000 {
            errs.push("description", "longer than 20,000 characters");
        }
        let horizon = self.duration.micros();
        if !self.duration.is_valid() || horizon == 0 {
            errs.push("duration", "must be longer than 0");
        } else if horizon > MAX_HORIZON {
            errs.push("duration", format!("{} is longer than the 30-day maximum", format_duration(horizon)));
        }
        let sample = self.sample_interval.micros();
        if !self.sample_interval.is_valid() || sample < 10_000 {
            errs.push("sample_interval", "must be at least 10ms");
        } else if horizon > 0 && horizon / sample > 2_000_000 {
            errs.push(
                "sample_interval",
                format!(
                    "{} gives more than 2,000,000 samples over {}: use a longer interval",
                    format_duration(sample),
                    format_duration(horizon)
                ),
            );
        }
        (horizon, sample)
    }

    /// The account's limits and the Lambda prices; returns the burst quota in force.
    fn validate_account(&self, errs: &mut Errors) -> u32 {
        let a = &self.account;
        if !(1..=1_000_000).contains(&a.concurrency_limit) {
            errs.push(
                "account.concurrency_limit",
                format!("{} must be between 1 and 1,000,000", a.concurrency_limit),
            );
        }
        if a.region.is_empty() || a.region.len() > 32 {
            errs.push("account.region", "must be a Region name such as us-east-1");
        }
        let burst_quota = a.burst_quota.unwrap_or_else(|| region_burst_quota(&a.region));
        if burst_quota == 0 {
            errs.push("account.burst_quota", "must be at least 1");
        }
        if !a.legacy_refill_per_minute.is_finite()
            || a.legacy_refill_per_minute < 0.0
            || a.legacy_refill_per_minute > 1e6
        {
            errs.push("account.legacy_refill_per_minute", "must be between 0 and 1,000,000");
        }
        if a.current_scaling_step == 0 {
            errs.push("account.current_scaling_step", "must be at least 1");
        }
        if a.current_scaling_rps_step == 0 {
            errs.push("account.current_scaling_rps_step", "must be at least 1");
        }
        if !a.current_scaling_interval.is_valid() || a.current_scaling_interval.micros() < 1000 {
            errs.push("account.current_scaling_interval", "must be at least 1ms");
        }
        if a.unreserved_minimum > a.concurrency_limit {
            errs.push(
                "account.unreserved_minimum",
                format!("{} is above the account limit of {}", a.unreserved_minimum, a.concurrency_limit),
            );
        }
        if !a.rps_per_concurrency.is_finite() || a.rps_per_concurrency <= 0.0 || a.rps_per_concurrency > 1e6 {
            errs.push("account.rps_per_concurrency", "must be more than 0");
        }
        let p = &self.pricing;
        for (field, v) in
            [("gb_second_usd", p.gb_second_usd), ("per_million_requests_usd", p.per_million_requests_usd)]
        {
            if !v.is_finite() || v < 0.0 {
                errs.push(join("pricing", field), "must be a price of 0 or more");
            }
        }
        burst_quota
    }

    /// The AZ outages, each in an AZ of the (validated) VPC.
    fn validate_faults(&self, vpc: Option<&Vpc>, errs: &mut Errors) -> Vec<Fault> {
        let mut faults = Vec::new();
        for (i, f) in self.faults.iter().enumerate() {
            let p = index("faults", i);
            let az = vpc.and_then(|v| v.az_by_name(&f.az_down));
            match az {
                None if self.vpc.is_none() => {
                    errs.push(join(&p, "az_down"), "an AZ outage needs a vpc with that AZ")
                }
                None => errs.push(
                    join(&p, "az_down"),
                    format!("no Availability Zone named '{}' in the vpc", f.az_down),
                ),
                Some(az) => {
                    let until = f.until.map(|u| u.micros());
                    if until.is_some_and(|u| u <= f.at.micros()) {
                        errs.push(join(&p, "until"), "must be after `at`");
                    }
                    faults.push(Fault { az, at: f.at.micros(), until });
                }
            }
        }
        faults
    }

    /// The alarms (the default ones if none are given), checked against the sample interval.
    fn validate_alarms(&self, sample: Micros, errs: &mut Errors) -> Vec<AlarmSpec> {
        let alarm_specs = self.alarms.clone().unwrap_or_else(default_alarms);
        for (i, a) in alarm_specs.iter().enumerate() {
            let p = index("alarms", i);
            check_name(&a.name, &join(&p, "name"), false, errs);
            if !a.threshold.is_finite() {
                errs.push(join(&p, "threshold"), "must be a number");
            }
            let names: Vec<String> = self.functions.iter().map(|f| f.name.clone()).collect();
            if crate::sim::alarms_resolve(&names, &a.metric).is_none() {
                errs.push(
                    join(&p, "metric"),
                    format!(
                        "'{}' is not a series column (e.g. throttles, dlq_messages) or <function>.<column>",
                        a.metric
                    ),
                );
            }
            if a.period.micros() < sample || !a.period.is_valid() {
                errs.push(join(&p, "period"), "must be at least the sample interval");
            }
            if a.evaluation_periods == 0
                || a.evaluation_periods > 100
                || a.datapoints_to_alarm == 0
                || a.datapoints_to_alarm > a.evaluation_periods
            {
                errs.push(
                    join(&p, "datapoints_to_alarm"),
                    "needs 1 <= datapoints_to_alarm <= evaluation_periods <= 100",
                );
            }
        }
        alarm_specs
    }

    /// The functions, their names unique, and what their reserved and provisioned concurrency
    /// leave unreserved; returns them with the reserved concurrency in all.
    fn validate_functions(&self, vpc: Option<&Vpc>, errs: &mut Errors) -> (Vec<Function>, u64) {
        let a = &self.account;
        if self.functions.is_empty() {
            errs.push("functions", "needs at least one function");
        }
        if self.functions.len() > MAX_FUNCTIONS {
            errs.push("functions", format!("at most {MAX_FUNCTIONS} functions"));
        }
        let mut functions = Vec::new();
        let mut reserved_total: u64 = 0;
        let unreserved_pc: u64 = self
            .functions
            .iter()
            .filter(|f| f.reserved_concurrency.is_none())
            .map(|f| f.provisioned.as_ref().map_or(0, |p| p.initial) as u64)
            .sum();
        for (i, f) in self.functions.iter().enumerate() {
            let path = index("functions", i);
            if self.functions[..i].iter().any(|g| g.name == f.name) {
                errs.push(join(&path, "name"), format!("another function is already named '{}'", f.name));
            }
            if let Some(r) = f.reserved_concurrency {
                reserved_total += r as u64;
                let unreserved = a.concurrency_limit as i64 - reserved_total as i64;
                if unreserved < a.unreserved_minimum as i64 {
                    errs.push(
                        join(&path, "reserved_concurrency"),
                        format!(
                            "{r} leaves fewer than {} unreserved of {} (reserved in all: {reserved_total})",
                            a.unreserved_minimum, a.concurrency_limit
                        ),
                    );
                }
            }
            if let Some(func) = validate_function(f, &path, vpc, errs) {
                functions.push(func);
            }
        }
        let pool_after_reserved = a.concurrency_limit as i64 - reserved_total as i64;
        if unreserved_pc > 0 && pool_after_reserved - (unreserved_pc as i64) < a.unreserved_minimum as i64 {
            errs.push(
                "functions",
                format!(
                    "provisioned concurrency of {unreserved_pc} on functions without reserved concurrency leaves fewer than {} unreserved",
                    a.unreserved_minimum
                ),
            );
        }
        (functions, reserved_total)
    }

    /// The chapters (in time order, within the horizon), variants and checks.
    fn validate_story(&self, horizon: Micros, errs: &mut Errors) {
        let mut last_chapter = 0;
        for (i, c) in self.chapters.iter().enumerate() {
            let p = index("chapters", i);
            let at = c.at.micros();
            if !c.at.is_valid() || at > horizon {
                errs.push(join(&p, "at"), "must be within the scenario's duration");
            }
            if at < last_chapter {
                errs.push(join(&p, "at"), "chapters must be in time order");
            }
            last_chapter = at;
            if c.title.is_empty() || c.title.chars().count() > 120 {
                errs.push(join(&p, "title"), "needs a title of at most 120 characters");
            }
            if c.text.chars().count() > 4000 || c.highlight.len() > 20 {
                errs.push(&p, "text over 4,000 characters or more than 20 highlights");
            }
        }
        for (i, v) in self.variants.iter().enumerate() {
            let p = index("variants", i);
            check_name(&v.name, &join(&p, "name"), false, errs);
            if !v.patch.is_object() {
                errs.push(join(&p, "patch"), "must be a JSON object (a merge patch over the scenario)");
            }
        }
        for (i, c) in self.checks.iter().enumerate() {
            let path = index("checks", i);
            if c.metric.is_empty() || c.metric.len() > 200 {
                errs.push(join(&path, "metric"), "must name a summary figure or series.<column>@<time>");
            }
            if c.min.is_none() && c.max.is_none() {
                errs.push(&path, "needs min, max or both");
            }
        }
    }

    /// The validated account: its limits, refill rates and what reserved concurrency leaves.
    fn account_of(&self, burst_quota: u32, reserved_total: u64) -> Account {
        let a = &self.account;
        Account {
            limit: a.concurrency_limit,
            model: a.scaling_model,
            burst_quota: burst_quota.min(a.concurrency_limit),
            legacy_refill_per_sec: a.legacy_refill_per_minute / 60.0,
            current_step: a.current_scaling_step,
            current_refill_per_sec: a.current_scaling_step as f64
                / crate::time::micros_to_secs(a.current_scaling_interval.micros().max(1)),
            current_rps_step: a.current_scaling_rps_step,
            current_rps_refill_per_sec: a.current_scaling_rps_step as f64
                / crate::time::micros_to_secs(a.current_scaling_interval.micros().max(1)),
            unreserved_pool: a.concurrency_limit.saturating_sub(reserved_total.min(u32::MAX as u64) as u32),
            rps_per_concurrency: a.rps_per_concurrency,
            rps_limit: (a.concurrency_limit as f64 * a.rps_per_concurrency) as u64,
            unreserved_minimum: a.unreserved_minimum,
        }
    }

    /// Each change's patch applied in turn over the scenario, each result validated; the
    /// things a run cannot change (functions, horizon, sampling, faults, event sources,
    /// existing subnets and AZs) must stay as they are.
    fn validate_changes(
        &self,
        base: &Scenario,
        doc: Option<serde_json::Value>,
    ) -> Result<Vec<Epoch>, ValidationErrors> {
        if self.changes.is_empty() {
            return Ok(Vec::new());
        }
        let Some(mut doc) = doc else {
            return Err(ValidationErrors(vec![crate::error::ValidationError::new(
                "changes",
                "cannot be read",
            )]));
        };
        let mut errs = Errors::default();
        let mut epochs = Vec::new();
        let mut current = self.clone();
        current.changes.clear();
        current.checks.clear();
        current.chapters.clear();
        current.variants.clear();
        if let Some(d) = doc.as_object_mut() {
            for key in ["changes", "checks", "chapters", "variants"] {
                d.remove(key);
            }
        }
        let mut last_at = 0;
        let mut prev_vpc = base.vpc.as_ref().map(|v| (subnet_names(v), az_names(v)));
        for (i, c) in self.changes.iter().enumerate() {
            let p = index("changes", i);
            let at = c.at.micros();
            if !c.at.is_valid() || at > base.horizon {
                errs.push(join(&p, "at"), "must be within the scenario's duration");
                continue;
            }
            if at < last_at {
                errs.push(join(&p, "at"), "changes must be in time order");
            }
            last_at = at;
            if !c.patch.is_object() {
                errs.push(join(&p, "patch"), "must be a JSON object (a merge patch over the scenario)");
                continue;
            }
            if c.label.chars().count() > 200 {
                errs.push(join(&p, "label"), "longer than 200 characters");
            }
            for frozen in [
                "version",
                "name",
                "seed",
                "duration",
                "sample_interval",
                "faults",
                "alarms",
                "changes",
                "checks",
                "eni_creation_time",
            ] {
                if c.patch.get(frozen).is_some() {
                    errs.push(
                        join(&join(&p, "patch"), frozen),
                        "cannot change during a run: edit the scenario itself",
                    );
                }
            }
            let next = match patch_doc(&mut doc, &c.patch, &join(&p, "patch")) {
                Ok(n) => n,
                Err(e) => {
                    errs.list.extend(e.0);
                    continue;
                }
            };
            let names = |s: &ScenarioSpec| s.functions.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
            if names(&next) != names(&current) {
                errs.push(
                    join(&join(&p, "patch"), "functions"),
                    "functions cannot be added, removed, renamed or reordered during a run: edit the scenario itself",
                );
                continue;
            }
            if next.functions.iter().zip(&current.functions).any(|(a, b)| a.event_source != b.event_source) {
                errs.push(
                    join(&join(&p, "patch"), "functions"),
                    "an event source cannot change during a run",
                );
            }
            for (k, (a, b)) in next.functions.iter().zip(&current.functions).enumerate() {
                if let Some(why) = frozen_compute(a, b) {
                    errs.push(join(&join(&p, "patch"), &index("functions", k)), why);
                }
            }
            let next_doc = if next.changes.is_empty() { None } else { Some(doc.clone()) };
            match next.validate_with(next_doc) {
                Ok(sc) => {
                    if let Some((subs, azs)) = &prev_vpc {
                        let ok = sc.vpc.as_ref().is_some_and(|v| {
                            subnet_names(v).starts_with(subs) && az_names(v).starts_with(azs)
                        });
                        if !ok {
                            errs.push(
                                join(&join(&p, "patch"), "vpc"),
                                "subnets and Availability Zones can be added during a run, not removed, renamed or reordered",
                            );
                        }
                    }
                    prev_vpc = sc.vpc.as_ref().map(|v| (subnet_names(v), az_names(v)));
                    let label = if c.label.is_empty() {
                        "the scenario was edited".to_string()
                    } else {
                        c.label.clone()
                    };
                    epochs.push(Epoch { at, label, scenario: std::sync::Arc::new(sc) });
                }
                Err(e) => {
                    for x in e.0 {
                        errs.push(format!("{}: {}", join(&p, "patch"), x.path), x.message);
                    }
                }
            }
            current = next;
        }
        errs.into_result(epochs)
    }
}

fn subnet_names(v: &Vpc) -> Vec<String> {
    v.subnets().map(|(_, s)| s.name.clone()).collect()
}

fn az_names(v: &Vpc) -> Vec<String> {
    v.azs().map(|(_, a)| a.name.clone()).collect()
}

fn check_name(name: &str, path: &str, allow_empty: bool, errs: &mut Errors) {
    if name.is_empty() && !allow_empty {
        errs.push(path, "must not be empty");
    } else if name.chars().count() > MAX_NAME_LEN {
        errs.push(path, format!("is longer than {MAX_NAME_LEN} characters"));
    } else if name.chars().any(char::is_control) {
        errs.push(path, "must not contain control characters");
    }
}

fn validate_function(f: &FunctionSpec, path: &str, vpc: Option<&Vpc>, errs: &mut Errors) -> Option<Function> {
    let before = errs.list.len();
    if !(0.0..=1.0).contains(&f.error_rate) {
        errs.push(join(path, "error_rate"), format!("{} is not a share between 0 and 1", f.error_rate));
    }
    let init_limit = f.init_limit.micros();
    if !f.init_limit.is_valid() || !(MICROS_PER_SEC..=900 * MICROS_PER_SEC).contains(&init_limit) {
        errs.push(join(path, "init_limit"), "must be between 1 s and 900 s");
    }
    let async_cfg = f.async_config.validate(&join(path, "async_config"), errs);
    let provisioned =
        f.provisioned.as_ref().map(|p| p.validate(&join(path, "provisioned"), f.reserved_concurrency, errs));
    let source = f.event_source.as_ref().map(|s| s.validate(&join(path, "event_source"), errs));
    if f.event_source.is_some() && f.invocation == InvocationType::Async {
        errs.push(
            join(path, "invocation"),
            "a function fed by an event source is invoked by its poller: leave invocation as sync",
        );
    }
    let fvpc = f.vpc.as_ref().map(|v| validate_function_vpc(vpc, v, &join(path, "vpc"), errs));
    let compute = validate_compute(f, path, errs);
    let destinations = validate_destinations(vpc, &f.destinations, &join(path, "destinations"), errs);
    check_name(&f.name, &join(path, "name"), false, errs);
    check_memory_mb(f.memory_mb, &join(path, "memory_mb"), errs);
    let timeout = f.timeout.micros();
    if !f.timeout.is_valid() || !(MICROS_PER_SEC..=900 * MICROS_PER_SEC).contains(&timeout) {
        errs.push(
            join(path, "timeout"),
            format!("{} is outside Lambda's 1 s – 900 s", format_duration(timeout)),
        );
    }
    let init = f.init.validate(&join(path, "init"), 900_000.0, errs);
    let duration = f.duration.validate(&join(path, "duration"), 3_600_000.0, errs);
    // Managed Instances and Web Functions share an environment's vCPUs among the requests it
    // serves at once, which Lambdascape does not model: their durations are as written.
    let shared_cpu = f.managed_instances.is_some() || f.web.is_some();
    let duration_factor = f.cpu_bound.as_ref().map_or(1.0, |c| {
        let factor = c.validate(&join(path, "cpu_bound"), f.memory_mb, errs);
        if shared_cpu {
            1.0
        } else {
            factor
        }
    });
    let idle = f.idle_lifetime.validate(&join(path, "idle_lifetime"), errs);
    let max_life = match &f.max_lifetime {
        Some(l) => l.validate(&join(path, "max_lifetime"), errs).map(Some),
        None => Some(None),
    };
    let traffic = f.traffic.validate(&join(path, "traffic"), errs);
    if errs.list.len() > before {
        return None;
    }
    Some(Function {
        name: f.name.clone(),
        memory_mb: f.memory_mb,
        timeout,
        reserved: f.reserved_concurrency,
        init: init?,
        duration: duration?,
        duration_factor,
        warm_selection: f.warm_selection,
        idle_lifetime: idle?,
        max_lifetime: max_life?,
        traffic: traffic?,
        error_rate: f.error_rate,
        init_limit,
        invocation: f.invocation,
        async_cfg,
        provisioned: match provisioned {
            Some(p) => Some(p?),
            None => None,
        },
        source: match source {
            Some(s) => Some(s?),
            None => None,
        },
        vpc: match fvpc {
            Some(v) => Some(v?),
            None => None,
        },
        connections_per_invocation: f
            .vpc
            .as_ref()
            .and_then(|v| v.connections_per_invocation)
            .unwrap_or(destinations.len().min(u32::MAX as usize) as u32),
        destinations,
        placement: f.placement,
        compute: compute?,
    })
}

/// The function's compute mode, and every combination AWS (or the model) does not allow, each
/// with the field to change.
fn validate_compute(f: &FunctionSpec, path: &str, errs: &mut Errors) -> Option<Compute> {
    let modes: Vec<&str> = [
        (f.snapstart.is_some(), "snapstart"),
        (f.managed_instances.is_some(), "managed_instances"),
        (f.web.is_some(), "web"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if modes.len() > 1 {
        errs.push(
            join(path, modes[1]),
            format!("a function runs in one compute mode: {} and {} cannot be combined", modes[0], modes[1]),
        );
        return None;
    }
    let Some(&mode) = modes.first() else { return Some(Compute::OnDemand) };
    let at = join(path, mode);
    let before = errs.list.len();
    if f.provisioned.is_some() {
        let why = if mode == "snapstart" {
            "SnapStart cannot be combined with provisioned concurrency (AWS): remove one of them"
        } else {
            "provisioned concurrency applies to on-demand functions only: remove it"
        };
        errs.push(join(path, "provisioned"), why);
    }
    if mode != "snapstart" {
        if f.reserved_concurrency.is_some() {
            errs.push(
                join(path, "reserved_concurrency"),
                format!("reserved concurrency does not apply to {mode}: its environments' concurrency is set in {mode}"),
            );
        }
        if f.event_source.is_some() || f.invocation == InvocationType::Async {
            errs.push(at.clone(), format!("Lambdascape models {mode} for synchronous requests only: remove the event source or the asynchronous invocation"));
        }
    }
    if mode == "web" && f.vpc.is_some() {
        errs.push(join(path, "vpc"), "Lambdascape does not model a Web Function's VPC access: remove vpc");
    }
    let compute = match mode {
        "snapstart" => f.snapstart.as_ref()?.validate(&at, errs).map(Compute::SnapStart),
        "managed_instances" => f
            .managed_instances
            .as_ref()?
            .validate(&at, f.memory_mb, f.vpc.as_ref().is_some_and(|v| !v.subnets.is_empty()), errs)
            .map(Compute::ManagedInstances),
        _ => f.web.as_ref()?.validate(&at, errs).map(Compute::Web),
    };
    if errs.list.len() > before {
        return None;
    }
    compute
}

/// A reading error as a validation error (its path: the field, or a syntax error's line and
/// column).
fn read_error(e: crate::size::reader::Error) -> ValidationErrors {
    let e = e.into_parts();
    ValidationErrors(vec![crate::error::ValidationError::new(e.path, e.message)])
}

/// Typed id of a function within a scenario (its position in `Scenario::functions`, which is
/// fixed once validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FunctionId(pub u32);

/// A validated scenario, ready to simulate.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The spec it came from (kept for display, export and share links).
    pub spec: ScenarioSpec,
    pub horizon: Micros,
    pub sample_interval: Micros,
    pub account: Account,
    pub functions: Vec<Function>,
    pub vpc: Option<Vpc>,
    /// ENI creation time at the start, if the ENIs are not ready.
    pub eni_creation: Option<Micros>,
    pub faults: Vec<Fault>,
    pub alarms: Vec<AlarmSpec>,
    /// The scenario as changed by each of its `changes`, from its time on (in time order).
    pub epochs: Vec<Epoch>,
}

/// The scenario in force from `at` on, after the change `label`.
#[derive(Debug, Clone)]
pub struct Epoch {
    pub at: Micros,
    pub label: String,
    pub scenario: std::sync::Arc<Scenario>,
}

/// A validated fault: an AZ down from `at` until `until`.
#[derive(Debug, Clone)]
pub struct Fault {
    pub az: AzId,
    pub at: Micros,
    pub until: Option<Micros>,
}

/// Validated account settings.
#[derive(Debug, Clone)]
pub struct Account {
    pub limit: u32,
    pub model: ScalingModel,
    /// Legacy bucket capacity: the Region's burst quota capped at the account limit.
    pub burst_quota: u32,
    pub legacy_refill_per_sec: f64,
    pub current_step: u32,
    pub current_refill_per_sec: f64,
    /// Current model: the RPS ramp's capacity and refill per second.
    pub current_rps_step: u32,
    pub current_rps_refill_per_sec: f64,
    /// Concurrency left for functions without reserved concurrency.
    pub unreserved_pool: u32,
    pub rps_per_concurrency: f64,
    /// Synchronous requests per second each function may receive without reserved
    /// concurrency: `limit` x `rps_per_concurrency`.
    pub rps_limit: u64,
    pub unreserved_minimum: u32,
}

/// A validated function.
#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub memory_mb: u32,
    pub timeout: Micros,
    pub reserved: Option<u32>,
    pub init: Dist,
    pub duration: Dist,
    /// What each duration drawn from `duration` is multiplied by at this memory
    /// ([`CpuBoundSpec::duration_factor`]); exactly 1 without `cpu_bound`.
    pub duration_factor: f64,
    pub warm_selection: WarmSelection,
    pub idle_lifetime: (Micros, Micros),
    pub max_lifetime: Option<(Micros, Micros)>,
    pub traffic: Traffic,
    pub error_rate: f64,
    pub init_limit: Micros,
    pub invocation: InvocationType,
    pub async_cfg: AsyncConfig,
    pub provisioned: Option<Provisioned>,
    pub source: Option<EventSource>,
    pub vpc: Option<FunctionVpc>,
    pub destinations: Vec<Destination>,
    pub placement: Placement,
    /// Connections an invocation holds on its Hyperplane ENI (in a VPC): the config's
    /// `connections_per_invocation`, else one per destination.
    pub connections_per_invocation: u32,
    /// How its requests get compute (on demand, SnapStart, Managed Instances, Web Functions).
    pub compute: Compute,
}

impl Scenario {
    pub fn function_id(&self, name: &str) -> Option<FunctionId> {
        self.functions.iter().position(|f| f.name == name).map(|i| FunctionId(i as u32))
    }
    pub fn function(&self, id: FunctionId) -> &Function {
        &self.functions[id.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ScenarioSpec {
        ScenarioSpec::new("t", vec![FunctionSpec::new("api", TrafficSpec::constant(10.0))])
    }

    #[test]
    fn defaults_validate() {
        let s = base().validate().unwrap();
        assert_eq!(s.account.limit, 1000);
        assert_eq!(s.account.unreserved_pool, 1000);
        assert_eq!(s.horizon, 600 * MICROS_PER_SEC);
    }

    #[test]
    fn reserved_floor_is_reported_with_its_path() {
        let mut s = base();
        s.functions.push(FunctionSpec::new("b", TrafficSpec::constant(1.0)));
        s.functions[1].reserved_concurrency = Some(950);
        let errs = s.validate().unwrap_err();
        assert_eq!(errs.0[0].path, "functions[1].reserved_concurrency");
        assert_eq!(errs.0[0].message, "950 leaves fewer than 100 unreserved of 1000 (reserved in all: 950)");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut s = base();
        s.version = 7;
        s.functions[0].memory_mb = 64;
        s.functions[0].timeout = DurationSpec::Seconds(901.0);
        s.functions.push(FunctionSpec::new("api", TrafficSpec::constant(-1.0)));
        let errs = s.validate().unwrap_err();
        let paths: Vec<_> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "version",
                "functions[0].memory_mb",
                "functions[0].timeout",
                "functions[1].name",
                "functions[1].traffic.rate"
            ]
        );
    }

    #[test]
    fn json_errors_name_the_place() {
        let e = ScenarioSpec::from_json("{\"version\": 1, \"functions\": [{\"name\": 3}]}").unwrap_err();
        assert_eq!(e.0[0].path, "functions[0].name", "{e}");
        assert!(e.0[0].message.contains("expected a string"), "{e}");
        let e = ScenarioSpec::from_json("{\"version\": 1,\n \"functions\": [}").unwrap_err();
        assert_eq!(e.0[0].path, "line 2, column 16", "{e}");
        let e = ScenarioSpec::from_json("{\"version\": 1, \"functons\": []}").unwrap_err();
        assert!(e.to_string().contains("functons"), "{e}");
    }

    #[test]
    fn burst_quota_follows_the_region_and_the_limit() {
        let mut s = base();
        s.account.region = "eu-central-1".into();
        assert_eq!(s.validate().unwrap().account.burst_quota, 1000);
        s.account.region = "us-east-1".into();
        s.account.concurrency_limit = 2000;
        assert_eq!(s.validate().unwrap().account.burst_quota, 2000);
        s.account.region = "sa-east-1".into();
        assert_eq!(s.validate().unwrap().account.burst_quota, 500);
    }
}

/// Applies a JSON merge patch (RFC 7386): objects merge key by key, `null` removes a key,
/// anything else (lists included) replaces.
pub fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            let t = target.as_object_mut().expect("object");
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// The merge patch that turns `from` into `to` (what an editor records as a change).
pub fn diff_patch(from: &serde_json::Value, to: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = serde_json::Map::new();
            for (k, v) in b {
                match a.get(k) {
                    Some(old) if old == v => {}
                    Some(old) => {
                        out.insert(k.clone(), diff_patch(old, v));
                    }
                    None => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            for k in a.keys() {
                if !b.contains_key(k) {
                    out.insert(k.clone(), Value::Null);
                }
            }
            Value::Object(out)
        }
        _ => to.clone(),
    }
}

/// Applies a merge patch to a scenario's JSON `doc` and reads the result. A patch that breaks
/// the format is reported with its reason.
/// Why function `next` cannot replace `current` during a run, if it cannot: a compute mode is
/// chosen when the function is deployed, and Lambdascape does not model redeploying a
/// multi-concurrency function (its instances, environments and queued requests), so a Web
/// Function's or a Managed Instances function's settings other than its traffic are fixed.
fn frozen_compute(next: &FunctionSpec, current: &FunctionSpec) -> Option<&'static str> {
    let mode = |f: &FunctionSpec| (f.snapstart.is_some(), f.managed_instances.is_some(), f.web.is_some());
    if mode(next) != mode(current) {
        return Some(
            "a function's compute mode cannot change during a run: edit the scenario itself (at time 0)",
        );
    }
    let multi = current.managed_instances.is_some() || current.web.is_some();
    let settings =
        |f: &FunctionSpec| FunctionSpec { traffic: crate::traffic::TrafficSpec::None {}, ..f.clone() };
    (multi && settings(next) != settings(current)).then_some(
        "the settings of a Managed Instances or Web Function cannot change during a run (Lambdascape does not model its redeployment); its traffic can: edit the scenario itself (at time 0)",
    )
}

fn patch_doc(
    doc: &mut serde_json::Value,
    patch: &serde_json::Value,
    path: &str,
) -> Result<ScenarioSpec, ValidationErrors> {
    merge_patch(doc, patch);
    crate::size::reader::read(doc).map_err(|e| {
        ValidationErrors(vec![crate::error::ValidationError::new(
            path,
            format!("the patch does not give a valid scenario: {e}"),
        )])
    })
}

impl ScenarioSpec {
    /// This scenario with a JSON merge patch applied (variants, changes). The result is parsed
    /// again, so a patch that breaks the format is reported with its reason.
    pub fn patched(&self, patch: &serde_json::Value, path: &str) -> Result<ScenarioSpec, ValidationErrors> {
        let mut doc =
            self.to_doc().map_err(|e| ValidationErrors(vec![crate::error::ValidationError::new(path, e)]))?;
        patch_doc(&mut doc, patch, path)
    }

    /// This spec as a JSON value, through text (the serializer that share links use already,
    /// rather than a second one for `Value`).
    pub(crate) fn to_doc(&self) -> Result<serde_json::Value, String> {
        let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
        crate::size::reader::parse(&text).map_err(|e| e.to_string())
    }

    /// The scenario as written and each of its variants (named as [`Self::variant`] names
    /// them), validated, from the text: each variant's patch goes onto the document as read,
    /// as `changes` do in [`Self::parse_and_validate`], so the spec is never serialized back
    /// (the widget's compare table carries no serializer of the format). The same scenarios as
    /// [`Self::variant`] (`crates/engine/tests/compare.rs` checks it over every preset).
    pub fn parse_with_variants(text: &str) -> Result<Vec<(String, Scenario)>, ValidationErrors> {
        let doc = crate::size::reader::parse(text).map_err(read_error)?;
        let spec = Self::from_doc(&doc)?;
        let checked = |s: ScenarioSpec, d: serde_json::Value| {
            let d = if s.changes.is_empty() { None } else { Some(d) };
            s.validate_with(d)
        };
        let mut base = doc.clone();
        if let Some(o) = base.as_object_mut() {
            o.remove("variants");
            o.remove("checks");
        }
        let mut out = Vec::with_capacity(spec.variants.len() + 1);
        for (i, v) in spec.variants.iter().enumerate() {
            let mut d = base.clone();
            let mut s = patch_doc(&mut d, &v.patch, &format!("variants[{i}].patch"))?;
            s.title =
                if spec.title.is_empty() { v.name.clone() } else { format!("{} — {}", spec.title, v.name) };
            out.push((v.name.clone(), checked(s, d)?));
        }
        out.insert(0, ("as written".to_string(), checked(spec, doc)?));
        Ok(out)
    }

    /// The scenario of variant `i` for compare mode (the variant's patch applied; its own
    /// variants, checks and chapters dropped).
    pub fn variant(&self, i: usize) -> Result<ScenarioSpec, ValidationErrors> {
        let v = self.variants.get(i).ok_or_else(|| {
            ValidationErrors(vec![crate::error::ValidationError::new(
                "variants",
                format!("there is no variant {i}"),
            )])
        })?;
        let mut base = self.clone();
        base.variants.clear();
        base.checks.clear();
        let mut out = base.patched(&v.patch, &format!("variants[{i}].patch"))?;
        out.title =
            if self.title.is_empty() { v.name.clone() } else { format!("{} — {}", self.title, v.name) };
        Ok(out)
    }
}

#[cfg(test)]
mod patch_tests {
    use super::*;
    use serde_json::json;

    /// Changes patched onto the text as written (`parse_and_validate`) give the same scenario
    /// as patched onto the spec serialized back (`validate`), for every file with changes and
    /// for changes that touch fields the text leaves to their defaults.
    #[test]
    fn changes_on_the_text_match_changes_on_the_spec() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let mut texts = Vec::new();
        for dir in ["tests/scenarios", "www/scenarios"] {
            for e in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let p = e.unwrap().path();
                let text = std::fs::read_to_string(&p).unwrap();
                if p.file_name().unwrap() != "index.json" && text.contains("\"changes\"") {
                    texts.push(text);
                }
            }
        }
        assert!(!texts.is_empty(), "no file with changes");
        let mut base: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{root}/tests/scenarios/seed-mixed-subnets.json")).unwrap(),
        )
        .unwrap();
        base["changes"] = json!([
            {"at": "1m", "patch": {"account": {"burst_quota": 50, "region": "eu-west-1"}}, "label": "defaults"},
            {"at": "2m", "patch": {"account": {"burst_quota": null}, "pricing": {"gb_second_usd": 0.00002}}},
            {"at": "3m", "patch": {"functions": [{"name": "orders-api", "memory_mb": 1024}]}}
        ]);
        texts.push(base.to_string());
        for text in texts {
            let from_text = ScenarioSpec::parse_and_validate(&text);
            let from_spec = ScenarioSpec::from_json(&text).unwrap().validate();
            assert_eq!(format!("{from_text:?}"), format!("{from_spec:?}"));
        }
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut t = json!({"a": 1, "b": {"c": 2, "d": 3}, "l": [1, 2]});
        merge_patch(&mut t, &json!({"a": null, "b": {"c": 5}, "l": [9], "n": "x"}));
        assert_eq!(t, json!({"b": {"c": 5, "d": 3}, "l": [9], "n": "x"}));
    }

    #[test]
    fn diff_then_patch_round_trips() {
        let a = json!({"a": 1, "b": {"c": 2, "d": 3}, "gone": true});
        let b = json!({"a": 1, "b": {"c": 4, "d": 3}, "new": [1]});
        let d = diff_patch(&a, &b);
        assert_eq!(d, json!({"b": {"c": 4}, "new": [1], "gone": null}));
        let mut x = a.clone();
        merge_patch(&mut x, &d);
        assert_eq!(x, b);
    }
}
