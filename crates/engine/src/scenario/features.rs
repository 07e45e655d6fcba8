//! Scenario parts beyond plain synchronous traffic: provisioned concurrency with Application
//! Auto Scaling, asynchronous invocation, event sources (SQS, streams), alarms and faults.

use crate::error::{index, join, Errors};
use crate::time::{micros_to_secs, DurationSpec, Micros, MICROS_PER_SEC};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How callers invoke the function.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvocationType {
    /// The caller waits for the result and gets a 429 when throttled.
    #[default]
    Sync,
    /// The caller gets 202 at once; Lambda queues the event and retries.
    Async,
}

/// Where an asynchronous event goes when it finally fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    /// Dropped without a trace.
    #[default]
    None,
    /// A dead-letter queue (SQS or SNS).
    Dlq,
    /// An on-failure destination (SQS, SNS, EventBridge, Lambda).
    Destination,
}

/// Asynchronous invocation settings (AWS defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsyncConfigSpec {
    /// Retries after a function error or timeout: 0–2 (AWS default 2), after 1 min then 2 min.
    #[serde(default = "default_retries")]
    pub maximum_retry_attempts: u32,
    /// How long Lambda keeps trying an event: 60 s – 6 h (AWS default 6 h).
    #[serde(default = "default_event_age")]
    pub maximum_event_age: DurationSpec,
    #[serde(default)]
    pub on_failure: OnFailure,
    /// First wait after a throttle (AWS: 1 s), doubled each time up to `max_backoff` (5 min).
    #[serde(default = "default_backoff")]
    pub initial_backoff: DurationSpec,
    #[serde(default = "default_max_backoff")]
    pub max_backoff: DurationSpec,
}

fn default_retries() -> u32 {
    2
}
fn default_event_age() -> DurationSpec {
    "6h".into()
}
fn default_backoff() -> DurationSpec {
    "1s".into()
}
fn default_max_backoff() -> DurationSpec {
    "5m".into()
}

impl Default for AsyncConfigSpec {
    fn default() -> Self {
        AsyncConfigSpec {
            maximum_retry_attempts: default_retries(),
            maximum_event_age: default_event_age(),
            on_failure: OnFailure::None,
            initial_backoff: default_backoff(),
            max_backoff: default_max_backoff(),
        }
    }
}

/// Validated async settings.
#[derive(Debug, Clone)]
pub struct AsyncConfig {
    pub max_retries: u32,
    pub max_age: Micros,
    pub on_failure: OnFailure,
    pub initial_backoff: Micros,
    pub max_backoff: Micros,
}

impl AsyncConfigSpec {
    pub fn validate(&self, path: &str, errs: &mut Errors) -> AsyncConfig {
        if self.maximum_retry_attempts > 2 {
            errs.push(
                join(path, "maximum_retry_attempts"),
                format!("{} is outside 0–2", self.maximum_retry_attempts),
            );
        }
        let age = self.maximum_event_age.micros();
        if !self.maximum_event_age.is_valid()
            || !(60 * MICROS_PER_SEC..=6 * 3600 * MICROS_PER_SEC).contains(&age)
        {
            errs.push(join(path, "maximum_event_age"), "must be between 60 s and 6 h");
        }
        let b0 = self.initial_backoff.micros();
        let b1 = self.max_backoff.micros();
        if b0 == 0 || b1 < b0 {
            errs.push(
                join(path, "max_backoff"),
                "backoffs must be above 0 and max_backoff at least initial_backoff",
            );
        }
        AsyncConfig {
            max_retries: self.maximum_retry_attempts,
            max_age: age,
            on_failure: self.on_failure,
            initial_backoff: b0.max(1),
            max_backoff: b1.max(b0).max(1),
        }
    }
}

/// Application Auto Scaling target tracking on LambdaProvisionedConcurrencyUtilization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetTrackingSpec {
    /// Target utilization (0–1; AWS example 0.7).
    #[serde(default = "default_target")]
    pub target_value: f64,
    pub min_capacity: u32,
    pub max_capacity: u32,
    #[serde(default = "zero")]
    pub scale_out_cooldown: DurationSpec,
    #[serde(default = "zero")]
    pub scale_in_cooldown: DurationSpec,
    /// Datapoints (1 min each) above target before the high alarm fires (AWS: 3).
    #[serde(default = "default_high_points")]
    pub high_datapoints: u32,
    /// Datapoints below `low_fraction` x target before the low alarm fires (AWS: 15).
    #[serde(default = "default_low_points")]
    pub low_datapoints: u32,
    #[serde(default = "default_low_fraction")]
    pub low_fraction: f64,
    /// Largest share of capacity removed by one scale-in step (scale in is gradual).
    #[serde(default = "default_scale_in_step")]
    pub scale_in_step: f64,
    #[serde(default)]
    pub disable_scale_in: bool,
}

fn default_target() -> f64 {
    0.7
}
fn zero() -> DurationSpec {
    DurationSpec::Seconds(0.0)
}
fn default_high_points() -> u32 {
    3
}
fn default_low_points() -> u32 {
    15
}
fn default_low_fraction() -> f64 {
    0.9
}
fn default_scale_in_step() -> f64 {
    0.1
}

/// When a scheduled action runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ScheduleSpec {
    /// Once, at a time from the start.
    At(DurationSpec),
    /// Every day at this time of day (the scenario starts at 00:00).
    Daily(DurationSpec),
    /// Every week at this time from the start of the week (the scenario starts Monday 00:00).
    Weekly(DurationSpec),
}

/// A scheduled scaling action that sets the capacity range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledActionSpec {
    #[serde(default)]
    pub name: String,
    pub schedule: ScheduleSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_capacity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<u32>,
}

/// Provisioned concurrency of a function (its alias) and how it scales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionedSpec {
    /// Environments allocated before the scenario starts.
    #[serde(default)]
    pub initial: u32,
    /// Delay before an allocation request starts (AWS: 1–2 min).
    #[serde(default = "default_alloc_delay")]
    pub allocation_delay: super::LifetimeSpec,
    /// Environments allocated per minute once started (AWS: up to 6,000; legacy: burst then 500).
    #[serde(default = "default_alloc_rate")]
    pub allocation_per_minute: f64,
    /// PC environments are re-initialized this often (not seen as cold starts).
    #[serde(default = "default_pc_recycle")]
    pub recycle_every: super::LifetimeSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_tracking: Option<TargetTrackingSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scheduled_actions: Vec<ScheduledActionSpec>,
}

fn default_alloc_delay() -> super::LifetimeSpec {
    super::LifetimeSpec::Range { min: "1m".into(), max: "2m".into() }
}
fn default_alloc_rate() -> f64 {
    6000.0
}
fn default_pc_recycle() -> super::LifetimeSpec {
    super::LifetimeSpec::Range { min: "4h".into(), max: "6h".into() }
}

/// Validated target tracking.
#[derive(Debug, Clone)]
pub struct TargetTracking {
    pub target: f64,
    pub min: u32,
    pub max: u32,
    pub scale_out_cooldown: Micros,
    pub scale_in_cooldown: Micros,
    pub high_points: u32,
    pub low_points: u32,
    pub low_fraction: f64,
    pub scale_in_step: f64,
    pub disable_scale_in: bool,
}

/// Validated schedule.
#[derive(Debug, Clone, Copy)]
pub enum Schedule {
    At(Micros),
    Every { offset: Micros, period: Micros },
}

impl Schedule {
    /// The first run strictly after `t` (or at `t` when `inclusive`).
    pub fn next_after(&self, t: Micros, inclusive: bool) -> Option<Micros> {
        match *self {
            Schedule::At(at) => (at > t || (inclusive && at == t)).then_some(at),
            Schedule::Every { offset, period } => {
                if t < offset || (inclusive && t == offset) {
                    return Some(offset);
                }
                let n = (t - offset) / period;
                let cand = offset + n * period;
                Some(if inclusive && cand == t { cand } else { cand + period })
            }
        }
    }
}

/// Validated scheduled action.
#[derive(Debug, Clone)]
pub struct ScheduledAction {
    pub name: String,
    pub schedule: Schedule,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

/// Validated provisioned concurrency.
#[derive(Debug, Clone)]
pub struct Provisioned {
    pub initial: u32,
    pub delay: (Micros, Micros),
    pub per_minute: f64,
    pub recycle: (Micros, Micros),
    pub tracking: Option<TargetTracking>,
    pub scheduled: Vec<ScheduledAction>,
}

impl ProvisionedSpec {
    pub fn validate(&self, path: &str, reserved: Option<u32>, errs: &mut Errors) -> Option<Provisioned> {
        let before = errs.list.len();
        if let Some(r) = reserved {
            if self.initial > r {
                errs.push(
                    join(path, "initial"),
                    format!(
                        "{} is more than the reserved concurrency of {r}: PC must not exceed reserved",
                        self.initial
                    ),
                );
            }
        }
        let delay = self.allocation_delay.validate_allow_zero(&join(path, "allocation_delay"), errs);
        if !self.allocation_per_minute.is_finite() || self.allocation_per_minute < 1.0 {
            errs.push(join(path, "allocation_per_minute"), "must be at least 1");
        }
        let recycle = self.recycle_every.validate(&join(path, "recycle_every"), errs);
        let tracking = self.target_tracking.as_ref().map(|t| {
            let p = join(path, "target_tracking");
            if !(t.target_value > 0.0 && t.target_value <= 1.0) {
                errs.push(
                    join(&p, "target_value"),
                    format!("{} must be above 0 and at most 1", t.target_value),
                );
            }
            if t.min_capacity > t.max_capacity {
                errs.push(
                    join(&p, "max_capacity"),
                    format!("{} is below min_capacity {}", t.max_capacity, t.min_capacity),
                );
            }
            if let Some(r) = reserved {
                if t.max_capacity > r {
                    errs.push(
                        join(&p, "max_capacity"),
                        format!("{} is more than the reserved concurrency of {r}", t.max_capacity),
                    );
                }
            }
            if t.high_datapoints == 0
                || t.low_datapoints == 0
                || t.high_datapoints > 60
                || t.low_datapoints > 60
            {
                errs.push(join(&p, "high_datapoints"), "datapoints must be between 1 and 60");
            }
            if !(t.low_fraction > 0.0 && t.low_fraction <= 1.0) {
                errs.push(join(&p, "low_fraction"), "must be above 0 and at most 1");
            }
            if !(t.scale_in_step > 0.0 && t.scale_in_step <= 1.0) {
                errs.push(join(&p, "scale_in_step"), "must be above 0 and at most 1");
            }
            TargetTracking {
                target: t.target_value,
                min: t.min_capacity,
                max: t.max_capacity,
                scale_out_cooldown: t.scale_out_cooldown.micros(),
                scale_in_cooldown: t.scale_in_cooldown.micros(),
                high_points: t.high_datapoints.clamp(1, 60),
                low_points: t.low_datapoints.clamp(1, 60),
                low_fraction: t.low_fraction,
                scale_in_step: t.scale_in_step,
                disable_scale_in: t.disable_scale_in,
            }
        });
        let mut scheduled = Vec::new();
        for (i, a) in self.scheduled_actions.iter().enumerate() {
            let p = index(&join(path, "scheduled_actions"), i);
            let schedule = match &a.schedule {
                ScheduleSpec::At(d) => Schedule::At(d.micros()),
                ScheduleSpec::Daily(d) if d.micros() < 86_400 * MICROS_PER_SEC => {
                    Schedule::Every { offset: d.micros(), period: 86_400 * MICROS_PER_SEC }
                }
                ScheduleSpec::Weekly(d) if d.micros() < 7 * 86_400 * MICROS_PER_SEC => {
                    Schedule::Every { offset: d.micros(), period: 7 * 86_400 * MICROS_PER_SEC }
                }
                _ => {
                    errs.push(
                        join(&p, "schedule"),
                        "a daily time must be under 24h, a weekly one under 7 days",
                    );
                    continue;
                }
            };
            if a.min_capacity.is_none() && a.max_capacity.is_none() {
                errs.push(&p, "sets neither min_capacity nor max_capacity");
            }
            if let (Some(lo), Some(hi)) = (a.min_capacity, a.max_capacity) {
                if lo > hi {
                    errs.push(join(&p, "max_capacity"), format!("{hi} is below min_capacity {lo}"));
                }
            }
            if let (Some(r), Some(m)) = (reserved, a.max_capacity.or(a.min_capacity)) {
                if m > r {
                    errs.push(&p, format!("capacity {m} is more than the reserved concurrency of {r}"));
                }
            }
            if a.name.chars().count() > super::MAX_NAME_LEN {
                errs.push(join(&p, "name"), "too long");
            }
            scheduled.push(ScheduledAction {
                name: a.name.clone(),
                schedule,
                min: a.min_capacity,
                max: a.max_capacity,
            });
        }
        if errs.list.len() > before {
            return None;
        }
        Some(Provisioned {
            initial: self.initial,
            delay: delay?,
            per_minute: self.allocation_per_minute,
            recycle: recycle?,
            tracking,
            scheduled,
        })
    }
}

/// An event source mapping that polls a queue or stream and invokes the function.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
// In wasm, read by `crate::tagged` (less code than the derive).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventSourceSpec {
    /// An SQS queue: the function's traffic is messages sent to the queue.
    Sqs {
        #[serde(default = "default_batch")]
        batch_size: u32,
        /// ESM MaximumConcurrency (2–1000); none = only the function's concurrency bounds it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_concurrency: Option<u32>,
        /// Pollers start with this many concurrent batches (AWS: 5).
        #[serde(default = "default_initial_pollers")]
        initial_concurrency: u32,
        /// Concurrent batches added per minute while messages wait (AWS: 300; before: 60).
        #[serde(default = "default_poller_ramp")]
        scale_up_per_minute: u32,
        /// Most concurrent batches (AWS: 1,000; newer docs 1,250).
        #[serde(default = "default_poller_max")]
        max_pollers: u32,
        #[serde(default = "default_visibility")]
        visibility_timeout: DurationSpec,
        /// Receives before a message is moved to the queue's DLQ (redrive policy).
        #[serde(default = "default_max_receive")]
        max_receive_count: u32,
    },
    /// A Kinesis or DynamoDB stream: one batch at a time per shard and parallelization slot.
    Stream {
        shards: u32,
        #[serde(default = "one")]
        parallelization_factor: u32,
        #[serde(default = "default_stream_batch")]
        batch_size: u32,
    },
}

fn default_batch() -> u32 {
    10
}
fn default_initial_pollers() -> u32 {
    5
}
fn default_poller_ramp() -> u32 {
    300
}
fn default_poller_max() -> u32 {
    1000
}
fn default_visibility() -> DurationSpec {
    "30s".into()
}
fn default_max_receive() -> u32 {
    5
}
fn one() -> u32 {
    1
}
fn default_stream_batch() -> u32 {
    100
}

#[cfg(target_arch = "wasm32")]
impl<'de> Deserialize<'de> for EventSourceSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::tagged::deserialize(d)
    }
}

/// The fields of both event sources, for [`crate::tagged`].
#[cfg(any(test, target_arch = "wasm32"))]
mod flat {
    use super::*;
    use crate::tagged::{need, Shape, Table, Tagged};
    use serde::de::{Deserializer, Error};

    /// The seven counts (in `TABLE.fields` order), `maximum_concurrency`, `visibility_timeout`.
    #[derive(Default)]
    pub struct Slots {
        counts: [Option<u32>; 7],
        maximum_concurrency: Option<Option<u32>>,
        visibility_timeout: Option<DurationSpec>,
    }

    impl Tagged for EventSourceSpec {
        const TABLE: &'static Table = &Table {
            name: "EventSourceSpec",
            tag: "type",
            variants: &["sqs", "stream"],
            shapes: &[
                Shape {
                    ident: "Sqs",
                    fields: &[
                        "batch_size",
                        "maximum_concurrency",
                        "initial_concurrency",
                        "scale_up_per_minute",
                        "max_pollers",
                        "visibility_timeout",
                        "max_receive_count",
                    ],
                    required: 0,
                },
                Shape {
                    ident: "Stream",
                    fields: &["shards", "parallelization_factor", "batch_size"],
                    required: 1,
                },
            ],
            fields: &[
                "batch_size",
                "initial_concurrency",
                "scale_up_per_minute",
                "max_pollers",
                "max_receive_count",
                "shards",
                "parallelization_factor",
                "maximum_concurrency",
                "visibility_timeout",
            ],
        };
        type Slots = Slots;

        fn read<'de, D: Deserializer<'de>>(s: &mut Slots, i: usize, d: D) -> Result<(), D::Error> {
            match i {
                0..=6 => s.counts[i] = Some(u32::deserialize(d)?),
                7 => s.maximum_concurrency = Some(Option::deserialize(d)?),
                _ => s.visibility_timeout = Some(DurationSpec::deserialize(d)?),
            }
            Ok(())
        }

        fn build<E: Error>(v: usize, s: Slots) -> Result<Self, E> {
            let [batch_size, initial, ramp, max_pollers, max_receive, shards, parallelization] = s.counts;
            Ok(match v {
                0 => EventSourceSpec::Sqs {
                    batch_size: batch_size.unwrap_or_else(default_batch),
                    maximum_concurrency: s.maximum_concurrency.flatten(),
                    initial_concurrency: initial.unwrap_or_else(default_initial_pollers),
                    scale_up_per_minute: ramp.unwrap_or_else(default_poller_ramp),
                    max_pollers: max_pollers.unwrap_or_else(default_poller_max),
                    visibility_timeout: s.visibility_timeout.unwrap_or_else(default_visibility),
                    max_receive_count: max_receive.unwrap_or_else(default_max_receive),
                },
                _ => EventSourceSpec::Stream {
                    shards: need(shards, "shards")?,
                    parallelization_factor: parallelization.unwrap_or_else(one),
                    batch_size: batch_size.unwrap_or_else(default_stream_batch),
                },
            })
        }
    }
}

/// Validated event source.
#[derive(Debug, Clone)]
pub enum EventSource {
    Sqs {
        batch_size: u32,
        max_concurrency: u32,
        initial: u32,
        per_minute: u32,
        visibility: Micros,
        max_receive: u32,
    },
    Stream {
        shards: u32,
        parallelization: u32,
        batch_size: u32,
    },
}

impl EventSourceSpec {
    pub fn validate(&self, path: &str, errs: &mut Errors) -> Option<EventSource> {
        let before = errs.list.len();
        let out = match self {
            EventSourceSpec::Sqs {
                batch_size,
                maximum_concurrency,
                initial_concurrency,
                scale_up_per_minute,
                max_pollers,
                visibility_timeout,
                max_receive_count,
            } => {
                if !(1..=10_000).contains(batch_size) {
                    errs.push(join(path, "batch_size"), "must be between 1 and 10,000");
                }
                if let Some(m) = maximum_concurrency {
                    if !(2..=1000).contains(m) {
                        errs.push(join(path, "maximum_concurrency"), format!("{m} is outside 2–1000"));
                    }
                }
                if *initial_concurrency == 0 || *max_pollers == 0 || *max_pollers > 10_000 {
                    errs.push(join(path, "max_pollers"), "pollers must be between 1 and 10,000");
                }
                if *max_receive_count == 0 || *max_receive_count > 1000 {
                    errs.push(join(path, "max_receive_count"), "must be between 1 and 1,000");
                }
                let vis = visibility_timeout.micros();
                if !visibility_timeout.is_valid() || vis == 0 || vis > 12 * 3600 * MICROS_PER_SEC {
                    errs.push(join(path, "visibility_timeout"), "must be between 0 and 12 h");
                }
                EventSource::Sqs {
                    batch_size: *batch_size,
                    max_concurrency: maximum_concurrency.unwrap_or(*max_pollers).min(*max_pollers),
                    initial: *initial_concurrency,
                    per_minute: *scale_up_per_minute,
                    visibility: vis.max(1),
                    max_receive: *max_receive_count,
                }
            }
            EventSourceSpec::Stream { shards, parallelization_factor, batch_size } => {
                if !(1..=10_000).contains(shards) {
                    errs.push(join(path, "shards"), "must be between 1 and 10,000");
                }
                if !(1..=10).contains(parallelization_factor) {
                    errs.push(
                        join(path, "parallelization_factor"),
                        format!("{parallelization_factor} is outside 1–10"),
                    );
                }
                if !(1..=10_000).contains(batch_size) {
                    errs.push(join(path, "batch_size"), "must be between 1 and 10,000");
                }
                EventSource::Stream {
                    shards: *shards,
                    parallelization: *parallelization_factor,
                    batch_size: *batch_size,
                }
            }
        };
        (errs.list.len() == before).then_some(out)
    }
}

/// How an alarm compares the statistic with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// Statistic over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    Sum,
    Average,
    Maximum,
    Minimum,
}

/// A CloudWatch-style alarm on a series column (`throttles`, `dlq_events`, `<function>.errors`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlarmSpec {
    pub name: String,
    pub metric: String,
    #[serde(default = "default_stat")]
    pub statistic: Statistic,
    pub comparison: Comparison,
    pub threshold: f64,
    #[serde(default = "default_period")]
    pub period: DurationSpec,
    #[serde(default = "one")]
    pub evaluation_periods: u32,
    #[serde(default = "one")]
    pub datapoints_to_alarm: u32,
}

fn default_stat() -> Statistic {
    Statistic::Sum
}
fn default_period() -> DurationSpec {
    "1m".into()
}

/// The seed's advice: alarm on throttles and on messages in the DLQ.
pub fn default_alarms() -> Vec<AlarmSpec> {
    vec![
        AlarmSpec {
            name: "Throttles > 0".into(),
            metric: "throttles".into(),
            statistic: Statistic::Sum,
            comparison: Comparison::GreaterThan,
            threshold: 0.0,
            period: default_period(),
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
        },
        AlarmSpec {
            name: "Messages in the DLQ".into(),
            metric: "dlq_messages".into(),
            statistic: Statistic::Maximum,
            comparison: Comparison::GreaterThan,
            threshold: 0.0,
            period: default_period(),
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
        },
    ]
}

/// A fault injected at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// The Availability Zone taken down.
    pub az_down: String,
    pub at: DurationSpec,
    /// When it comes back (never, if absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DurationSpec>,
}

/// Seconds as text for messages.
pub fn secs(us: Micros) -> String {
    format!("{}", micros_to_secs(us))
}

/// A chapter of a preset's story, for presenter mode and guided learning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChapterSpec {
    /// Where the chapter starts.
    pub at: DurationSpec,
    pub title: String,
    /// What to notice, in plain words.
    #[serde(default)]
    pub text: String,
    /// What to highlight: `function:<name>`, `subnet:<name>`, `nat:<name>`, `limit:account`,
    /// `limit:reserved`, `limit:burst`, `chart:<name>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlight: Vec<String>,
    /// Pause playback when the chapter is reached.
    #[serde(default)]
    pub pause: bool,
}

/// An edit applied during the run: at `at`, `patch` (a JSON merge patch, RFC 7386, over the
/// scenario without its changes) takes effect. Lists in a patch replace the whole list.
/// Editors record live edits this way, so replays, share links and the CLI all show them
/// happening at that time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeSpec {
    pub at: DurationSpec,
    /// What the change does, for the narrative ("add a NAT gateway in public-a").
    #[serde(default)]
    pub label: String,
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub patch: serde_json::Value,
}

/// A variant of the scenario for compare mode: the same traffic and seed with `patch` (a JSON
/// merge patch over the scenario) applied, e.g. "with provisioned concurrency".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub patch: serde_json::Value,
}
