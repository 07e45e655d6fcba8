//! Compute modes beyond on-demand and provisioned concurrency: SnapStart, Lambda Managed
//! Instances and Lambda Web Functions (docs/model.md#compute-modes).
//!
//! A function takes at most one of `provisioned`, `snapstart`, `managed_instances` and `web`;
//! without any it runs on demand. Each field below says where its default comes from: an AWS
//! page, or a Lambdascape assumption where AWS documents no value.

use crate::dist::{Dist, DistSpec};
use crate::error::{join, Errors};
use crate::time::{format_duration, DurationSpec, Micros, MICROS_PER_SEC};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The runtime family of a SnapStart function: it decides SnapStart's charges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SnapStartRuntime {
    /// Java 11 and later: no caching or restoration charge.
    #[default]
    Java,
    /// Python 3.12 and later: a caching charge while the version is active and a restoration
    /// charge per GB restored.
    Python,
    /// .NET 8 and later: charged like Python.
    Dotnet,
}

impl SnapStartRuntime {
    /// Whether SnapStart adds its caching and restoration charges for this runtime.
    pub fn charged(self) -> bool {
        !matches!(self, SnapStartRuntime::Java)
    }
    pub fn label(self) -> &'static str {
        match self {
            SnapStartRuntime::Java => "Java",
            SnapStartRuntime::Python => "Python",
            SnapStartRuntime::Dotnet => ".NET",
        }
    }
}

/// SnapStart: the init runs when the version is published; a new environment resumes from the
/// cached snapshot (its Restore Duration) instead of running the init.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapStartSpec {
    #[serde(default)]
    pub runtime: SnapStartRuntime,
    /// How long a restore takes (Restore Duration). AWS gives no figure beyond "as low as
    /// sub-second"; the default is a Lambdascape assumption.
    #[serde(default = "default_restore")]
    pub restore: DistSpec,
    /// The first restores after the version is published are this many times slower while
    /// the snapshot cache warms up (Lambdascape assumption: AWS says only that they can be
    /// slower).
    #[serde(default = "default_warmup_factor")]
    pub cache_warmup_factor: f64,
    /// How many restores the cache takes to warm up (Lambdascape assumption).
    #[serde(default = "default_warmup_restores")]
    pub cache_warmup_restores: u32,
}

fn default_restore() -> DistSpec {
    DistSpec::Lognormal { mean_ms: 200.0, std_ms: 60.0 }
}
fn default_warmup_factor() -> f64 {
    3.0
}
fn default_warmup_restores() -> u32 {
    20
}

impl Default for SnapStartSpec {
    fn default() -> Self {
        SnapStartSpec {
            runtime: SnapStartRuntime::default(),
            restore: default_restore(),
            cache_warmup_factor: default_warmup_factor(),
            cache_warmup_restores: default_warmup_restores(),
        }
    }
}

/// Validated SnapStart settings.
#[derive(Debug, Clone)]
pub struct SnapStart {
    pub runtime: SnapStartRuntime,
    pub restore: Dist,
    pub warmup_factor: f64,
    pub warmup_restores: u32,
}

impl SnapStartSpec {
    pub fn validate(&self, path: &str, errs: &mut Errors) -> Option<SnapStart> {
        let before = errs.list.len();
        let restore = self.restore.validate(&join(path, "restore"), 60_000.0, errs);
        if !(1.0..=100.0).contains(&self.cache_warmup_factor) {
            errs.push(
                join(path, "cache_warmup_factor"),
                format!("{} is outside 1–100", self.cache_warmup_factor),
            );
        }
        if errs.list.len() > before {
            return None;
        }
        Some(SnapStart {
            runtime: self.runtime,
            restore: restore?,
            warmup_factor: self.cache_warmup_factor,
            warmup_restores: self.cache_warmup_restores,
        })
    }
}

/// Lambda Managed Instances: the function runs on EC2 instances of a capacity provider in the
/// function's VPC subnets; each environment serves many requests at once; capacity scales
/// asynchronously, not per request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagedInstancesSpec {
    /// Requests one environment serves at once (AWS `PerExecutionEnvironmentMaxConcurrency`,
    /// 1–1,600; Lambda picks a default per runtime that AWS does not publish: the default here
    /// is a Lambdascape assumption).
    #[serde(default = "default_mi_concurrency")]
    pub per_environment_max_concurrency: u32,
    /// GiB of memory per vCPU of an environment (AWS `ExecutionEnvironmentMemoryGiBPerVCpu`,
    /// 2–8): an environment of `memory_mb` gets `memory / this` vCPUs.
    #[serde(default = "default_gib_per_vcpu")]
    pub memory_gib_per_vcpu: f64,
    /// vCPUs of one instance (the capacity provider's instance type).
    #[serde(default = "default_instance_vcpus")]
    pub instance_vcpus: u32,
    /// On-demand price of one instance per hour, USD, before the management fee (default:
    /// a 4-vCPU, 8-GiB compute-optimized instance in us-east-1; set your instance type's).
    #[serde(default = "default_instance_price")]
    pub instance_hourly_usd: f64,
    /// The capacity provider's maximum vCPU count: scaling stops there.
    #[serde(default = "default_max_vcpus")]
    pub max_vcpus: u32,
    /// Instances launched when the version is published (AWS: three, for AZ resiliency).
    #[serde(default = "default_min_instances")]
    pub min_instances: u32,
    /// Environments started before the version is active (AWS: three).
    #[serde(default = "default_min_environments")]
    pub min_environments: u32,
    /// Share of the environments' concurrency the scaler aims to keep in use (Lambdascape
    /// assumption: 0.5, capacity for twice the load).
    #[serde(default = "default_target_utilization")]
    pub target_utilization: f64,
    /// How often the scaler decides (Lambdascape assumption).
    #[serde(default = "default_scale_interval")]
    pub scale_interval: DurationSpec,
    /// Time from a decision to a new instance being ready (Lambdascape assumption).
    #[serde(default = "default_instance_launch")]
    pub instance_launch: DurationSpec,
}

fn default_mi_concurrency() -> u32 {
    16
}
fn default_gib_per_vcpu() -> f64 {
    2.0
}
fn default_instance_vcpus() -> u32 {
    4
}
fn default_instance_price() -> f64 {
    0.1445
}
fn default_max_vcpus() -> u32 {
    400
}
fn default_min_instances() -> u32 {
    3
}
fn default_min_environments() -> u32 {
    3
}
fn default_target_utilization() -> f64 {
    0.5
}
fn default_scale_interval() -> DurationSpec {
    "1m".into()
}
fn default_instance_launch() -> DurationSpec {
    "3m".into()
}

impl Default for ManagedInstancesSpec {
    fn default() -> Self {
        ManagedInstancesSpec {
            per_environment_max_concurrency: default_mi_concurrency(),
            memory_gib_per_vcpu: default_gib_per_vcpu(),
            instance_vcpus: default_instance_vcpus(),
            instance_hourly_usd: default_instance_price(),
            max_vcpus: default_max_vcpus(),
            min_instances: default_min_instances(),
            min_environments: default_min_environments(),
            target_utilization: default_target_utilization(),
            scale_interval: default_scale_interval(),
            instance_launch: default_instance_launch(),
        }
    }
}

/// Validated Managed Instances settings.
#[derive(Debug, Clone)]
pub struct ManagedInstances {
    pub per_env: u32,
    /// vCPUs of one environment (at least 1).
    pub env_vcpus: u32,
    pub instance_vcpus: u32,
    pub instance_hourly_usd: f64,
    pub max_vcpus: u32,
    pub min_instances: u32,
    pub min_environments: u32,
    pub target_utilization: f64,
    pub scale_interval: Micros,
    pub instance_launch: Micros,
}

impl ManagedInstances {
    /// Environments one instance holds.
    pub fn envs_per_instance(&self) -> u32 {
        (self.instance_vcpus / self.env_vcpus).max(1)
    }
    /// Most instances the provider's vCPU cap allows.
    pub fn max_instances(&self) -> u32 {
        (self.max_vcpus / self.instance_vcpus).max(1)
    }
}

impl ManagedInstancesSpec {
    pub fn validate(
        &self,
        path: &str,
        memory_mb: u32,
        has_vpc: bool,
        errs: &mut Errors,
    ) -> Option<ManagedInstances> {
        let before = errs.list.len();
        if !(1..=1600).contains(&self.per_environment_max_concurrency) {
            errs.push(
                join(path, "per_environment_max_concurrency"),
                format!("{} is outside AWS's 1–1,600", self.per_environment_max_concurrency),
            );
        }
        if !(2.0..=8.0).contains(&self.memory_gib_per_vcpu) {
            errs.push(
                join(path, "memory_gib_per_vcpu"),
                format!("{} is outside AWS's 2–8", self.memory_gib_per_vcpu),
            );
        }
        if memory_mb < 2048 {
            errs.push(
                join(path, "memory_mb"),
                format!("{memory_mb} MB is below the 2 GB (and 1 vCPU) a Managed Instances function needs at least"),
            );
        }
        if !has_vpc {
            errs.push(
                path.to_string(),
                "Managed Instances run in the capacity provider's VPC subnets: give the function a vpc with subnets",
            );
        }
        let env_vcpus = ((memory_mb as f64 / 1024.0) / self.memory_gib_per_vcpu).floor().max(1.0) as u32;
        if !(1..=192).contains(&self.instance_vcpus) || self.instance_vcpus < env_vcpus {
            errs.push(
                join(path, "instance_vcpus"),
                format!(
                    "{} cannot hold one environment of {env_vcpus} vCPU (1–192 and at least one environment)",
                    self.instance_vcpus
                ),
            );
        }
        if !(self.instance_hourly_usd.is_finite() && self.instance_hourly_usd >= 0.0) {
            errs.push(join(path, "instance_hourly_usd"), "must be a price of zero or more");
        }
        if self.max_vcpus < self.instance_vcpus.max(1) * self.min_instances.max(1) {
            errs.push(
                join(path, "max_vcpus"),
                format!(
                    "{} is fewer than the {} vCPUs of the {} instances launched at first",
                    self.max_vcpus,
                    self.instance_vcpus * self.min_instances,
                    self.min_instances
                ),
            );
        }
        if !(1..=100).contains(&self.min_instances) {
            errs.push(join(path, "min_instances"), format!("{} is outside 1–100", self.min_instances));
        }
        if !(1..=10_000).contains(&self.min_environments) {
            errs.push(
                join(path, "min_environments"),
                format!("{} is outside 1–10,000", self.min_environments),
            );
        }
        if !(self.target_utilization > 0.05 && self.target_utilization <= 1.0) {
            errs.push(
                join(path, "target_utilization"),
                format!("{} is outside 0.05–1", self.target_utilization),
            );
        }
        let interval = positive(&self.scale_interval, &join(path, "scale_interval"), errs);
        let launch = self.instance_launch.micros();
        if !self.instance_launch.is_valid() || launch > 3600 * MICROS_PER_SEC {
            errs.push(join(path, "instance_launch"), "must be between 0 and 1 h");
        }
        if errs.list.len() > before {
            return None;
        }
        Some(ManagedInstances {
            per_env: self.per_environment_max_concurrency,
            env_vcpus,
            instance_vcpus: self.instance_vcpus,
            instance_hourly_usd: self.instance_hourly_usd,
            max_vcpus: self.max_vcpus,
            min_instances: self.min_instances,
            min_environments: self.min_environments,
            target_utilization: self.target_utilization,
            scale_interval: interval,
            instance_launch: launch,
        })
    }
}

/// Lambda Web Functions: an HTTP endpoint whose environments each serve many requests; a
/// request with no room waits for a warm or a new environment instead of failing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebSpec {
    /// Upper bound of the per-environment concurrency (AWS `maxConcurrencyPerEnvironment`:
    /// default 64, 1–128). Lambda's dynamic limit below it is not modelled: environments take
    /// up to this many.
    #[serde(default = "default_web_concurrency")]
    pub max_concurrency_per_environment: u32,
    /// Most environments (AWS `maxEnvironments`, default none): when all are full a request is
    /// throttled at once instead of waiting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_environments: Option<u32>,
    /// Requests per second the endpoint accepts (AWS `rateLimit`, default none; 0 blocks all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<f64>,
    /// Spare share of concurrency Lambda keeps started ahead of the load (AWS: "keeps a
    /// headroom", no figure; Lambdascape assumption).
    #[serde(default = "default_headroom")]
    pub headroom: f64,
    /// An environment with nothing in flight this long is stopped (scale to zero; Lambdascape
    /// assumption).
    #[serde(default = "default_web_idle")]
    pub idle_scale_in: DurationSpec,
    /// Active CPU billed per second of a request (the request's share of a vCPU while it runs;
    /// I/O waits are not billed as CPU). Lambdascape assumption.
    #[serde(default = "default_cpu_share")]
    pub cpu_share: f64,
    /// USD per vCPU-second of active CPU (set from the Lambda pricing page).
    #[serde(default = "default_web_vcpu_price")]
    pub vcpu_second_usd: f64,
    /// USD per GB-second of memory an environment uses (set from the Lambda pricing page).
    #[serde(default = "default_web_gb_price")]
    pub gb_second_usd: f64,
    /// Memory one running environment uses, GB (AWS: at most 2 GB per environment).
    #[serde(default = "default_web_memory")]
    pub memory_gb: f64,
}

fn default_web_concurrency() -> u32 {
    64
}
fn default_headroom() -> f64 {
    0.2
}
fn default_web_idle() -> DurationSpec {
    "5m".into()
}
fn default_cpu_share() -> f64 {
    0.25
}
fn default_web_vcpu_price() -> f64 {
    0.000_024
}
fn default_web_gb_price() -> f64 {
    0.000_002_5
}
fn default_web_memory() -> f64 {
    1.0
}

impl WebSpec {
    /// Whether its cost rests on Lambdascape's placeholder rates (neither rate was set): AWS's
    /// Web Functions rates are not quoted in the model, so such a cost is not compared.
    pub fn placeholder_rates(&self) -> bool {
        self.vcpu_second_usd == default_web_vcpu_price() && self.gb_second_usd == default_web_gb_price()
    }
}

impl Default for WebSpec {
    fn default() -> Self {
        WebSpec {
            max_concurrency_per_environment: default_web_concurrency(),
            max_environments: None,
            rate_limit: None,
            headroom: default_headroom(),
            idle_scale_in: default_web_idle(),
            cpu_share: default_cpu_share(),
            vcpu_second_usd: default_web_vcpu_price(),
            gb_second_usd: default_web_gb_price(),
            memory_gb: default_web_memory(),
        }
    }
}

/// Validated Web Function settings.
#[derive(Debug, Clone)]
pub struct Web {
    pub per_env: u32,
    pub max_environments: Option<u32>,
    pub rate_limit: Option<f64>,
    pub headroom: f64,
    pub idle_scale_in: Micros,
    pub cpu_share: f64,
    pub vcpu_second_usd: f64,
    pub gb_second_usd: f64,
    pub memory_gb: f64,
}

/// The endpoint quotas of Web Functions (AWS: 10,000 requests per second per endpoint).
pub const WEB_ENDPOINT_RPS: f64 = 10_000.0;

impl WebSpec {
    pub fn validate(&self, path: &str, errs: &mut Errors) -> Option<Web> {
        let before = errs.list.len();
        if !(1..=128).contains(&self.max_concurrency_per_environment) {
            errs.push(
                join(path, "max_concurrency_per_environment"),
                format!("{} is outside AWS's 1–128", self.max_concurrency_per_environment),
            );
        }
        if self.max_environments == Some(0) {
            errs.push(join(path, "max_environments"), "must be at least 1 (leave it out for no limit)");
        }
        if let Some(r) = self.rate_limit {
            if !(r.is_finite() && (0.0..=WEB_ENDPOINT_RPS).contains(&r)) {
                errs.push(
                    join(path, "rate_limit"),
                    format!("{r} is outside 0–10,000 requests per second (the endpoint quota)"),
                );
            }
        }
        if !(0.0..=4.0).contains(&self.headroom) {
            errs.push(join(path, "headroom"), format!("{} is outside 0–4", self.headroom));
        }
        let idle = positive(&self.idle_scale_in, &join(path, "idle_scale_in"), errs);
        if !(0.0..=1.0).contains(&self.cpu_share) {
            errs.push(join(path, "cpu_share"), format!("{} is not a share between 0 and 1", self.cpu_share));
        }
        for (name, v) in [("vcpu_second_usd", self.vcpu_second_usd), ("gb_second_usd", self.gb_second_usd)] {
            if !(v.is_finite() && v >= 0.0) {
                errs.push(join(path, name), "must be a price of zero or more");
            }
        }
        if !(self.memory_gb > 0.0 && self.memory_gb <= 2.0) {
            errs.push(
                join(path, "memory_gb"),
                format!("{} is outside 0–2 GB (an environment has 2 GB)", self.memory_gb),
            );
        }
        if errs.list.len() > before {
            return None;
        }
        Some(Web {
            per_env: self.max_concurrency_per_environment,
            max_environments: self.max_environments,
            rate_limit: self.rate_limit,
            headroom: self.headroom,
            idle_scale_in: idle,
            cpu_share: self.cpu_share,
            vcpu_second_usd: self.vcpu_second_usd,
            gb_second_usd: self.gb_second_usd,
            memory_gb: self.memory_gb,
        })
    }
}

fn positive(d: &DurationSpec, path: &str, errs: &mut Errors) -> Micros {
    let v = d.micros();
    if !d.is_valid() || v == 0 || v > 3600 * MICROS_PER_SEC {
        errs.push(path.to_string(), format!("{} must be between 1 µs and 1 h", format_duration(v)));
    }
    v
}

/// How a function's requests get compute.
#[derive(Debug, Clone, Default)]
pub enum Compute {
    /// One request per environment, a cold start per new environment (with provisioned
    /// concurrency if the function has some).
    #[default]
    OnDemand,
    SnapStart(SnapStart),
    ManagedInstances(ManagedInstances),
    Web(Web),
}

impl Compute {
    /// Whether one environment serves several requests at once (the multi-concurrency modes).
    pub fn is_multi(&self) -> bool {
        matches!(self, Compute::ManagedInstances(_) | Compute::Web(_))
    }
    /// Requests one environment serves at once.
    pub fn per_env(&self) -> u32 {
        match self {
            Compute::ManagedInstances(m) => m.per_env,
            Compute::Web(w) => w.per_env,
            _ => 1,
        }
    }
    /// The mode's name as AWS spells it.
    pub fn label(&self) -> &'static str {
        match self {
            Compute::OnDemand => "on-demand",
            Compute::SnapStart(_) => "SnapStart",
            Compute::ManagedInstances(_) => "Lambda Managed Instances",
            Compute::Web(_) => "Lambda Web Functions",
        }
    }
}
