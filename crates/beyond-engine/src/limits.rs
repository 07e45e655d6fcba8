//! Lambda configuration limits: check a function's configuration against the documented quotas
//! and say, for each one exceeded, which limit it is and the ways around it.
//!
//! The figures (see `docs/model.md#limits`): environment variables 4 KB in total; .zip
//! deployment package 50 MB for direct upload and 250 MB unzipped including layers; 5 layers;
//! container image 10 GB (15 GB is sometimes quoted, AWS documents 10 GB); memory 128–10,240 MB;
//! `/tmp` 512–10,240 MB; timeout 1–900 s; invocation payload 6 MB synchronous and 1 MB
//! asynchronous (256 KB before October 2025). The workarounds are the usual "3 Ways to
//! Overcome AWS Lambda Deployment Size Limit": S3, EFS and container images, plus Parameter
//! Store / Secrets Manager for configuration and S3 for large payloads.
//!
//! Sizes are in the units AWS quotes them in, where MB is 2^20 bytes and KB 2^10 bytes. A value
//! exactly at a limit is allowed; just past it is not.
//!
//! # Examples
//!
//! ```
//! use lambdascape_beyond_engine::limits::{check_limits, FunctionConfigSpec};
//!
//! let spec = FunctionConfigSpec { zip_size_mb: Some(51.0), ..FunctionConfigSpec::default() };
//! let findings = check_limits(&spec);
//! assert_eq!(findings[0].field, "zip_size_mb");
//! assert!(findings[0].workarounds.iter().any(|w| w.contains("S3")));
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Total size of all environment variables (keys plus values), bytes.
pub const ENV_VARS_MAX_BYTES: u32 = 4 * 1024;
/// .zip deployment package uploaded directly, MB.
pub const ZIP_DIRECT_UPLOAD_MAX_MB: f64 = 50.0;
/// Unzipped function code plus all layers, MB (262,144,000 bytes).
pub const UNZIPPED_MAX_MB: f64 = 250.0;
/// Layers per function.
pub const LAYERS_MAX: u32 = 5;
/// Container image size, GB (AWS documentation).
pub const IMAGE_MAX_GB: f64 = 10.0;
/// Container image size sometimes quoted (not AWS's figure), GB.
pub const IMAGE_SEED_GB: f64 = 15.0;
/// Memory range, MB.
pub const MEMORY_MIN_MB: u32 = 128;
/// Memory range, MB.
pub const MEMORY_MAX_MB: u32 = 10_240;
/// Ephemeral storage (`/tmp`) range, MB.
pub const EPHEMERAL_MIN_MB: u32 = 512;
/// Ephemeral storage (`/tmp`) range, MB.
pub const EPHEMERAL_MAX_MB: u32 = 10_240;
/// Timeout range, seconds.
pub const TIMEOUT_MIN_S: u32 = 1;
/// Timeout range, seconds (15 minutes).
pub const TIMEOUT_MAX_S: u32 = 900;
/// Synchronous invocation payload (request and response each), MB.
pub const SYNC_PAYLOAD_MAX_MB: f64 = 6.0;
/// Asynchronous invocation payload, KB (1 MB).
pub const ASYNC_PAYLOAD_MAX_KB: f64 = 1024.0;
/// The asynchronous payload limit before October 2025, KB.
pub const ASYNC_PAYLOAD_OLD_MAX_KB: f64 = 256.0;

/// How the function is packaged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PackageType {
    /// A .zip archive (optionally with layers).
    #[default]
    Zip,
    /// A container image from ECR.
    Image,
}

/// A layer attached to the function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// Layer name, for messages.
    pub name: String,
    /// Unzipped size, MB.
    #[serde(default)]
    pub unzipped_size_mb: f64,
}

/// A function's configuration, as far as the limits are concerned. Every field is optional;
/// only the fields given are checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionConfigSpec {
    /// .zip or container image.
    #[serde(default)]
    pub package_type: PackageType,
    /// Environment variables; their keys and values count towards the 4 KB.
    #[serde(default)]
    pub env_vars: BTreeMap<String, String>,
    /// Total environment variable size in bytes, when the variables themselves are not given.
    /// Used instead of `env_vars` when set.
    #[serde(default)]
    pub env_total_bytes: Option<u32>,
    /// Zipped deployment package size, MB (direct upload).
    #[serde(default)]
    pub zip_size_mb: Option<f64>,
    /// Unzipped function code size, MB (layers are added on top).
    #[serde(default)]
    pub unzipped_size_mb: Option<f64>,
    /// Attached layers.
    #[serde(default)]
    pub layers: Vec<LayerSpec>,
    /// Container image size, GB.
    #[serde(default)]
    pub image_size_gb: Option<f64>,
    /// Memory, MB.
    #[serde(default)]
    pub memory_mb: Option<u32>,
    /// Ephemeral storage (`/tmp`), MB.
    #[serde(default)]
    pub ephemeral_storage_mb: Option<u32>,
    /// Timeout, seconds.
    #[serde(default)]
    pub timeout_s: Option<u32>,
    /// Largest synchronous request or response payload, MB.
    #[serde(default)]
    pub sync_payload_mb: Option<f64>,
    /// Largest asynchronous event payload, KB.
    #[serde(default)]
    pub async_payload_kb: Option<f64>,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing fails.
    Info,
    /// Allowed, but a commonly met older or alternative limit would be exceeded.
    Warning,
    /// AWS rejects the configuration or the invocation.
    Error,
}

/// One limit a configuration exceeds (or comes close to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LimitFinding {
    /// The spec field, e.g. `env_vars` or `layers`.
    pub field: String,
    /// The limit's name, e.g. "Environment variables (total size)".
    pub limit_name: String,
    /// The configured value, in `unit`.
    pub value: f64,
    /// The limit it is compared with, in `unit`.
    pub limit: f64,
    /// The unit of `value` and `limit`: bytes, KB, MB, GB, s or layers.
    pub unit: String,
    /// How serious.
    pub severity: Severity,
    /// A sentence saying what is wrong.
    pub message: String,
    /// Ways around the limit.
    pub workarounds: Vec<String>,
}

// One argument per finding field keeps the call sites readable as a table.
#[allow(clippy::too_many_arguments)]
fn finding(
    field: &str,
    limit_name: &str,
    value: f64,
    limit: f64,
    unit: &str,
    severity: Severity,
    message: String,
    workarounds: &[&str],
) -> LimitFinding {
    LimitFinding {
        field: field.into(),
        limit_name: limit_name.into(),
        value,
        limit,
        unit: unit.into(),
        severity,
        message,
        workarounds: workarounds.iter().map(|w| (*w).to_string()).collect(),
    }
}

const W_ENV: &[&str] = &[
    "Move large values to SSM Parameter Store and read them at init (keep only the parameter name in the variable)",
    "Keep secrets in AWS Secrets Manager (the Parameters and Secrets Lambda Extension caches them)",
    "Put bulky configuration in a file in S3 or in a layer and load it at init",
];
const W_ZIP: &[&str] = &[
    "Upload the .zip to S3 and deploy from there: the 50 MB cap applies only to direct upload (the 250 MB unzipped cap still applies)",
    "Keep large files and data in S3 and download what you need into /tmp at runtime",
    "Mount Amazon EFS for large dependencies, models or data",
    "Deploy as a container image (up to 10 GB)",
];
const W_UNZIPPED: &[&str] = &[
    "Keep large files and data in S3 and download them into /tmp at runtime",
    "Mount Amazon EFS for large dependencies, models or data",
    "Deploy as a container image (up to 10 GB)",
    "Trim dependencies: drop test files, docs and unused packages",
];
const W_LAYERS: &[&str] = &[
    "Merge several layers into one",
    "Bundle the dependencies into the deployment package",
    "Deploy as a container image (layers do not apply; put everything in the image)",
];
const W_IMAGE_LAYERS: &[&str] =
    &["Copy the layer contents into the image (for example with a COPY --from stage in the Dockerfile)"];
const W_IMAGE: &[&str] = &[
    "Keep large data and models in S3 and load them at runtime",
    "Mount Amazon EFS for large, shared data",
    "Slim the image: a smaller base image and multi-stage builds",
];
const W_MEMORY: &[&str] = &[
    "Choose a value between 128 MB and 10,240 MB (CPU scales with memory: 1,769 MB is one vCPU)",
    "For more memory than 10 GB, run the work on ECS/Fargate or EC2",
];
const W_TMP: &[&str] = &[
    "Choose a value between 512 MB and 10,240 MB",
    "For more space, or data that must persist or be shared, use Amazon EFS",
    "Stream data from and to S3 instead of staging it all in /tmp",
];
const W_TIMEOUT: &[&str] = &[
    "Choose a value between 1 and 900 seconds",
    "Split long work into steps orchestrated by AWS Step Functions",
    "Process in batches and checkpoint progress (for example in DynamoDB or S3)",
    "Run long jobs on ECS/Fargate or AWS Batch",
];
const W_SYNC: &[&str] = &[
    "Put the payload in S3 and pass the bucket and key (or a presigned URL) instead",
    "Return large results as an S3 object with a presigned URL",
    "Use response streaming for large responses",
];
const W_ASYNC: &[&str] = &[
    "Put the payload in S3 and send only the bucket and key (claim-check pattern)",
    "Compress the payload or send only what the function needs",
];

/// A non-finite or negative size is reported instead of compared.
fn bad_number(field: &str, limit_name: &str, value: f64, unit: &str) -> Option<LimitFinding> {
    (!value.is_finite() || value < 0.0).then(|| {
        finding(
            field,
            limit_name,
            if value.is_finite() { value } else { 0.0 },
            0.0,
            unit,
            Severity::Error,
            format!("{field} must be a non-negative number of {unit}"),
            &[],
        )
    })
}

fn range_check(
    out: &mut Vec<LimitFinding>,
    field: &str,
    name: &str,
    value: u32,
    (min, max): (u32, u32),
    unit: &str,
    workarounds: &[&str],
) {
    let (limit, side) = if value < min {
        (min, "below the minimum")
    } else if value > max {
        (max, "above the maximum")
    } else {
        return;
    };
    out.push(finding(
        field,
        name,
        f64::from(value),
        f64::from(limit),
        unit,
        Severity::Error,
        format!("{name} of {value} {unit} is {side} of {limit} {unit} (allowed: {min}–{max} {unit})"),
        workarounds,
    ));
}

/// Total environment variable size in bytes: `env_total_bytes` if set, else keys plus values.
pub fn env_vars_bytes(spec: &FunctionConfigSpec) -> u64 {
    match spec.env_total_bytes {
        Some(b) => u64::from(b),
        None => spec.env_vars.iter().map(|(k, v)| (k.len() as u64).saturating_add(v.len() as u64)).sum(),
    }
}

/// Checks every given field against its limit. Findings come in a fixed order: environment
/// variables, package, layers, image, memory, `/tmp`, timeout, payloads.
pub fn check_limits(spec: &FunctionConfigSpec) -> Vec<LimitFinding> {
    let mut out = Vec::new();

    let env = env_vars_bytes(spec);
    if env > u64::from(ENV_VARS_MAX_BYTES) {
        out.push(finding(
            "env_vars",
            "Environment variables (total size)",
            env as f64,
            f64::from(ENV_VARS_MAX_BYTES),
            "bytes",
            Severity::Error,
            format!(
                "the environment variables take {env} bytes; all of them together may not exceed 4 KB ({ENV_VARS_MAX_BYTES} bytes)"
            ),
            W_ENV,
        ));
    }

    let is_zip = spec.package_type == PackageType::Zip;
    if let Some(zip) = spec.zip_size_mb {
        if let Some(f) = bad_number("zip_size_mb", "Deployment package (zipped, direct upload)", zip, "MB") {
            out.push(f);
        } else if is_zip && zip > ZIP_DIRECT_UPLOAD_MAX_MB {
            out.push(finding(
                "zip_size_mb",
                "Deployment package (zipped, direct upload)",
                zip,
                ZIP_DIRECT_UPLOAD_MAX_MB,
                "MB",
                Severity::Error,
                format!("the .zip is {zip} MB; a directly uploaded package may be at most 50 MB"),
                W_ZIP,
            ));
        }
    }

    let layer_count = u32::try_from(spec.layers.len()).unwrap_or(u32::MAX);
    let mut layers_mb = 0.0;
    for (i, layer) in spec.layers.iter().enumerate() {
        let field = format!("layers[{i}].unzipped_size_mb");
        match bad_number(&field, "Layer size", layer.unzipped_size_mb, "MB") {
            Some(f) => out.push(f),
            None => layers_mb += layer.unzipped_size_mb,
        }
    }
    if let Some(code) = spec.unzipped_size_mb {
        if let Some(f) =
            bad_number("unzipped_size_mb", "Deployment package (unzipped, with layers)", code, "MB")
        {
            out.push(f);
        }
    }
    let code_mb = spec.unzipped_size_mb.filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(0.0);
    // Huge finite sizes could add up to infinity; keep reported values finite.
    let layers_mb = f64::min(layers_mb, f64::MAX);
    let total_mb = f64::min(code_mb + layers_mb, f64::MAX);
    if is_zip && total_mb > UNZIPPED_MAX_MB {
        let with_layers = if layer_count > 0 {
            format!(" ({code_mb} MB code + {layers_mb} MB in layers)")
        } else {
            String::new()
        };
        out.push(finding(
            "unzipped_size_mb",
            "Deployment package (unzipped, with layers)",
            total_mb,
            UNZIPPED_MAX_MB,
            "MB",
            Severity::Error,
            format!(
                "the unzipped code and layers take {total_mb} MB{with_layers}; together they may not exceed 250 MB (262,144,000 bytes)"
            ),
            W_UNZIPPED,
        ));
    }

    if !is_zip && layer_count > 0 {
        out.push(finding(
            "layers",
            "Layers (container images)",
            f64::from(layer_count),
            0.0,
            "layers",
            Severity::Error,
            "a function deployed as a container image cannot use layers".to_string(),
            W_IMAGE_LAYERS,
        ));
    } else if layer_count > LAYERS_MAX {
        out.push(finding(
            "layers",
            "Layers per function",
            f64::from(layer_count),
            f64::from(LAYERS_MAX),
            "layers",
            Severity::Error,
            format!("{layer_count} layers are attached; a function may use at most 5"),
            W_LAYERS,
        ));
    }

    if let Some(gb) = spec.image_size_gb {
        if let Some(f) = bad_number("image_size_gb", "Container image size", gb, "GB") {
            out.push(f);
        } else if !is_zip && gb > IMAGE_MAX_GB {
            let seed = if gb <= IMAGE_SEED_GB {
                " (15 GB is sometimes quoted, but AWS documents 10 GB as the maximum uncompressed image size)"
            } else {
                ""
            };
            out.push(finding(
                "image_size_gb",
                "Container image size",
                gb,
                IMAGE_MAX_GB,
                "GB",
                Severity::Error,
                format!("the image is {gb} GB; a Lambda container image may be at most 10 GB{seed}"),
                W_IMAGE,
            ));
        }
    }

    if let Some(m) = spec.memory_mb {
        range_check(&mut out, "memory_mb", "Memory", m, (MEMORY_MIN_MB, MEMORY_MAX_MB), "MB", W_MEMORY);
    }
    if let Some(t) = spec.ephemeral_storage_mb {
        range_check(
            &mut out,
            "ephemeral_storage_mb",
            "Ephemeral storage (/tmp)",
            t,
            (EPHEMERAL_MIN_MB, EPHEMERAL_MAX_MB),
            "MB",
            W_TMP,
        );
    }
    if let Some(t) = spec.timeout_s {
        range_check(&mut out, "timeout_s", "Timeout", t, (TIMEOUT_MIN_S, TIMEOUT_MAX_S), "s", W_TIMEOUT);
    }

    if let Some(mb) = spec.sync_payload_mb {
        if let Some(f) = bad_number("sync_payload_mb", "Synchronous invocation payload", mb, "MB") {
            out.push(f);
        } else if mb > SYNC_PAYLOAD_MAX_MB {
            out.push(finding(
                "sync_payload_mb",
                "Synchronous invocation payload",
                mb,
                SYNC_PAYLOAD_MAX_MB,
                "MB",
                Severity::Error,
                format!("a {mb} MB payload is over the 6 MB limit for synchronous requests and responses"),
                W_SYNC,
            ));
        }
    }
    if let Some(kb) = spec.async_payload_kb {
        if let Some(f) = bad_number("async_payload_kb", "Asynchronous invocation payload", kb, "KB") {
            out.push(f);
        } else if kb > ASYNC_PAYLOAD_MAX_KB {
            out.push(finding(
                "async_payload_kb",
                "Asynchronous invocation payload",
                kb,
                ASYNC_PAYLOAD_MAX_KB,
                "KB",
                Severity::Error,
                format!("a {kb} KB event is over the 1 MB (1,024 KB) limit for asynchronous invocations"),
                W_ASYNC,
            ));
        } else if kb > ASYNC_PAYLOAD_OLD_MAX_KB {
            out.push(finding(
                "async_payload_kb",
                "Asynchronous invocation payload (before October 2025)",
                kb,
                ASYNC_PAYLOAD_OLD_MAX_KB,
                "KB",
                Severity::Warning,
                format!(
                    "a {kb} KB event fits the current 1 MB limit but not the 256 KB limit that applied before October 2025 (and still applies to some event sources)"
                ),
                W_ASYNC,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_no_findings() {
        assert!(check_limits(&FunctionConfigSpec::default()).is_empty());
    }

    #[test]
    fn env_bytes_count_keys_and_values() {
        let mut spec = FunctionConfigSpec::default();
        spec.env_vars.insert("KEY".into(), "x".repeat(4093));
        assert_eq!(env_vars_bytes(&spec), 4096);
        assert!(check_limits(&spec).is_empty());
        spec.env_vars.insert("K".into(), String::new());
        assert_eq!(check_limits(&spec)[0].field, "env_vars");
    }

    #[test]
    fn image_ignores_zip_limits_and_rejects_layers() {
        let spec = FunctionConfigSpec {
            package_type: PackageType::Image,
            unzipped_size_mb: Some(5000.0),
            image_size_gb: Some(9.0),
            layers: vec![LayerSpec { name: "a".into(), unzipped_size_mb: 1.0 }],
            ..FunctionConfigSpec::default()
        };
        let f = check_limits(&spec);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].limit_name, "Layers (container images)");
    }

    #[test]
    fn nonsense_numbers_are_reported_not_compared() {
        let spec = FunctionConfigSpec { zip_size_mb: Some(f64::NAN), ..FunctionConfigSpec::default() };
        let f = check_limits(&spec);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("non-negative"));
    }
}
