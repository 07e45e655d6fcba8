//! Where a Lambda function keeps data: `/tmp`, layers, Amazon EFS or Amazon S3.
//!
//! AWS's "Choosing between AWS Lambda data storage options" compares these four options.
//! [`profiles`] gives that comparison as a table of data and
//! [`recommend`] checks a set of [`Needs`] against each option, saying why it fits or not.
//!
//! # Examples
//!
//! ```
//! use lambdascape_beyond_engine::storage::{recommend, LatencyNeed, Needs, StorageOption};
//!
//! let needs = Needs {
//!     size_mb: 20_000.0,
//!     must_persist: true,
//!     shared_across_environments: true,
//!     write: true,
//!     latency: LatencyNeed::Low,
//! };
//! let fitting: Vec<StorageOption> = recommend(&needs).into_iter().filter(|f| f.fits).map(|f| f.option).collect();
//! assert_eq!(fitting, [StorageOption::Efs]);
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A storage option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StorageOption {
    /// The execution environment's ephemeral storage.
    Tmp,
    /// Lambda layers, extracted to `/opt`.
    Layers,
    /// Amazon Elastic File System, mounted over NFS.
    Efs,
    /// Amazon S3 objects.
    S3,
}

/// How long data lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Persistence {
    /// Lost when the execution environment is recycled.
    Ephemeral,
    /// Kept until deleted.
    Durable,
}

/// Relative access speed from a function (the AWS table's last row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LatencyClass {
    /// Local disk.
    Fastest,
    /// A network file system in the same Availability Zone: low milliseconds.
    VeryFast,
    /// An HTTPS API per object: tens of milliseconds per request.
    Fast,
}

/// Whether a function can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Read-only at runtime.
    ReadOnly,
    /// Read and write.
    ReadWrite,
}

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StorageProfile {
    /// Which option.
    pub option: StorageOption,
    /// Display name.
    pub name: String,
    /// Maximum size in MB, or `None` when elastic.
    pub max_size_mb: Option<f64>,
    /// Maximum size in words.
    pub max_size: String,
    /// How long data lives.
    pub persistence: Persistence,
    /// Whether every execution environment (and other functions) sees the same data.
    pub shared_across_environments: bool,
    /// Relative access speed.
    pub latency: LatencyClass,
    /// How it is paid for.
    pub cost_model: String,
    /// Read-only or writable.
    pub access: Access,
    /// Storage type: file system, archive or object store.
    pub storage_type: String,
    /// Other things worth knowing.
    pub notes: Vec<String>,
}

/// What the data needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    /// How much data, MB.
    pub size_mb: f64,
    /// Whether it must survive the execution environment.
    pub must_persist: bool,
    /// Whether all execution environments must see the same data.
    pub shared_across_environments: bool,
    /// Whether the function writes it.
    pub write: bool,
    /// How fast access must be.
    #[serde(default)]
    pub latency: LatencyNeed,
}

/// Required access latency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LatencyNeed {
    /// File-system speed: local disk or EFS.
    Low,
    /// Anything, including an object store.
    #[default]
    Any,
}

/// How one option meets the needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StorageFit {
    /// Which option.
    pub option: StorageOption,
    /// Whether it meets every need.
    pub fits: bool,
    /// One reason per need, for or against.
    pub reasons: Vec<String>,
}

/// The four options, in the order `/tmp`, layers, EFS, S3.
pub fn profiles() -> Vec<StorageProfile> {
    vec![
        StorageProfile {
            option: StorageOption::Tmp,
            name: "/tmp (ephemeral storage)".into(),
            max_size_mb: Some(10_240.0),
            max_size: "512 MB by default, configurable up to 10,240 MB".into(),
            persistence: Persistence::Ephemeral,
            shared_across_environments: false,
            latency: LatencyClass::Fastest,
            cost_model: "Included in Lambda up to 512 MB; beyond that, per GB-second configured".into(),
            access: Access::ReadWrite,
            storage_type: "File system".into(),
            notes: vec![
                "Survives between invocations of a warm environment, but not a new environment".into(),
                "Each execution environment has its own /tmp".into(),
            ],
        },
        StorageProfile {
            option: StorageOption::Layers,
            name: "Lambda layers".into(),
            max_size_mb: Some(250.0),
            max_size: "250 MB unzipped together with the function code (50 MB zipped for direct upload)"
                .into(),
            persistence: Persistence::Durable,
            shared_across_environments: true,
            latency: LatencyClass::Fastest,
            cost_model: "Included in Lambda (counts towards the account's code storage)".into(),
            access: Access::ReadOnly,
            storage_type: "Archive, extracted to /opt".into(),
            notes: vec![
                "Immutable: changing it means publishing a new layer version and updating the function"
                    .into(),
                "Static content shared by every environment and by other functions".into(),
            ],
        },
        StorageProfile {
            option: StorageOption::Efs,
            name: "Amazon EFS".into(),
            max_size_mb: None,
            max_size: "Elastic".into(),
            persistence: Persistence::Durable,
            shared_across_environments: true,
            latency: LatencyClass::VeryFast,
            cost_model: "Storage per GB-month plus throughput and data access".into(),
            access: Access::ReadWrite,
            storage_type: "File system (NFS)".into(),
            notes: vec![
                "The function must run in a VPC with a mount target in its subnets".into(),
                "Any file system operation; shared by all environments, functions, containers and instances"
                    .into(),
            ],
        },
        StorageProfile {
            option: StorageOption::S3,
            name: "Amazon S3".into(),
            max_size_mb: None,
            max_size: "Elastic (each object up to 5 TB)".into(),
            persistence: Persistence::Durable,
            shared_across_environments: true,
            latency: LatencyClass::Fast,
            cost_model: "Storage per GB-month plus requests and data transfer".into(),
            access: Access::ReadWrite,
            storage_type: "Object store".into(),
            notes: vec![
                "Whole-object reads and writes (atomic with versioning), not a file system".into(),
                "Can trigger Lambda on object events; tags, metadata, IAM and bucket policies".into(),
            ],
        },
    ]
}

/// Checks `needs` against every option, in the order of [`profiles`].
pub fn recommend(needs: &Needs) -> Vec<StorageFit> {
    profiles().into_iter().map(|p| fit(&p, needs)).collect()
}

fn fit(p: &StorageProfile, needs: &Needs) -> StorageFit {
    let mut fits = true;
    let mut reasons = Vec::new();
    let mut judge = |ok: bool, reason: String| {
        fits &= ok;
        reasons.push(reason);
    };

    let size = needs.size_mb;
    if !size.is_finite() || size < 0.0 {
        judge(false, "the size must be a non-negative number of MB".into());
    } else {
        match p.max_size_mb {
            None => judge(true, format!("{size} MB fits: {} is elastic", p.name)),
            Some(max) if size <= max => {
                judge(true, format!("{size} MB fits within {} ({})", p.name, p.max_size))
            }
            Some(_) => judge(false, format!("{size} MB is more than {} holds ({})", p.name, p.max_size)),
        }
    }

    if needs.must_persist {
        match p.persistence {
            Persistence::Durable => judge(true, "data persists beyond the execution environment".into()),
            Persistence::Ephemeral => judge(
                false,
                "data is lost when the execution environment is recycled (it only survives warm invocations)"
                    .into(),
            ),
        }
    }

    if needs.shared_across_environments {
        if p.shared_across_environments {
            judge(true, "every execution environment sees the same data".into());
        } else {
            judge(false, "each execution environment has its own copy, so data is not shared".into());
        }
    }

    match (needs.write, p.access) {
        (true, Access::ReadOnly) => {
            judge(false, "read-only at runtime: changing the data means publishing a new version".into())
        }
        (true, Access::ReadWrite) => judge(true, "the function can write".into()),
        (false, Access::ReadOnly) => judge(true, "read-only, which is all that is needed".into()),
        (false, Access::ReadWrite) => {}
    }

    if needs.latency == LatencyNeed::Low {
        match p.latency {
            LatencyClass::Fastest => judge(true, "local-disk speed".into()),
            LatencyClass::VeryFast => judge(true, "file-system access with low-millisecond latency".into()),
            LatencyClass::Fast => judge(
                false,
                "each request is an HTTPS call taking tens of milliseconds: not low-latency random access"
                    .into(),
            ),
        }
    }

    StorageFit { option: p.option, fits, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fitting(needs: &Needs) -> Vec<StorageOption> {
        recommend(needs).into_iter().filter(|f| f.fits).map(|f| f.option).collect()
    }

    #[test]
    fn scratch_space_fits_everything_but_layers() {
        let needs = Needs {
            size_mb: 100.0,
            must_persist: false,
            shared_across_environments: false,
            write: true,
            latency: LatencyNeed::Any,
        };
        assert_eq!(fitting(&needs), [StorageOption::Tmp, StorageOption::Efs, StorageOption::S3]);
    }

    #[test]
    fn every_profile_has_reasons() {
        let needs = Needs {
            size_mb: f64::NAN,
            must_persist: true,
            shared_across_environments: true,
            write: false,
            latency: LatencyNeed::Low,
        };
        for f in recommend(&needs) {
            assert!(!f.fits);
            assert!(!f.reasons.is_empty());
        }
    }
}
