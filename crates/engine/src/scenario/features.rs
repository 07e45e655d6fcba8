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
// In wasm, read by `crate::size::tagged` (less code than the derive).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventSourceSpec {
    /// An SQS queue: the function's traffic is messages sent to the queue. By default the
    /// pollers scale on demand (see `scaling`); with `provisioned_pollers` they run in
    /// provisioned mode. See docs/model.md#event-sources.
    Sqs {
        #[serde(default = "default_batch")]
        batch_size: u32,
        /// ESM MaximumConcurrency (2–1000); none = only the function's concurrency bounds it.
        /// Not with `provisioned_pollers` (AWS: the two are mutually exclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_concurrency: Option<u32>,
        /// The on-demand ramp: `current` (5 concurrent batches, +300 per minute, up to 1,250) or
        /// `legacy` (the older docs: +60 per minute, up to 1,000).
        #[serde(default, skip_serializing_if = "SqsScaling::is_current")]
        scaling: SqsScaling,
        /// On demand, pollers start with this many concurrent batches (AWS: 5).
        #[serde(default = "default_initial_pollers")]
        initial_concurrency: u32,
        /// Concurrent batches added per minute while messages wait; none = AWS's: 300
        /// (`legacy`: 60; provisioned mode: 1,000).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scale_up_per_minute: Option<u32>,
        /// On demand, the most concurrent batches; none = AWS's: 1,250 (`legacy`: 1,000). In
        /// provisioned mode the pollers set it (`maximum_pollers` x `invokes_per_poller`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_pollers: Option<u32>,
        /// Provisioned mode (the ESM's ProvisionedPollerConfig): dedicated pollers, at least the
        /// minimum always ready, no ramp from 5.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provisioned_pollers: Option<ProvisionedPollersSpec>,
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

/// The on-demand ramp of an SQS event source mapping (standard queues).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SqsScaling {
    /// AWS's docs today: 5 concurrent batches, then up to 300 more concurrent invokes per
    /// minute while messages remain, up to 1,250.
    #[default]
    Current,
    /// The older docs: up to 60 more per minute, up to 1,000 batches at a time.
    Legacy,
}

impl SqsScaling {
    fn is_current(&self) -> bool {
        *self == SqsScaling::Current
    }

    /// Concurrent batches added per minute while messages wait.
    pub fn per_minute(self) -> u32 {
        match self {
            SqsScaling::Current => 300,
            SqsScaling::Legacy => 60,
        }
    }

    /// The most concurrent batches of one event source mapping.
    pub fn ceiling(self) -> u32 {
        match self {
            SqsScaling::Current => 1250,
            SqsScaling::Legacy => 1000,
        }
    }
}

/// Provisioned mode of an SQS event source mapping (ProvisionedPollerConfig).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionedPollersSpec {
    /// MinimumPollers: event pollers always ready (SQS: 2–200, default 2).
    #[serde(default = "default_min_pollers")]
    pub minimum_pollers: u32,
    /// MaximumPollers: the most event pollers (SQS: 2–10,000 in the API reference, 2–2,000 in
    /// the developer guide; default 200).
    #[serde(default = "default_max_pollers")]
    pub maximum_pollers: u32,
    /// Concurrent invokes one event poller supports (AWS: up to 10).
    #[serde(default = "default_invokes_per_poller")]
    pub invokes_per_poller: u32,
}

fn default_min_pollers() -> u32 {
    2
}
fn default_max_pollers() -> u32 {
    200
}
fn default_invokes_per_poller() -> u32 {
    10
}
/// Concurrency provisioned pollers add per minute while messages wait (AWS: up to 1,000).
const PROVISIONED_PER_MINUTE: u32 = 1000;
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
        crate::size::tagged::deserialize(d)
    }
}

/// The fields of both event sources, for [`crate::size::tagged`].
#[cfg(any(test, target_arch = "wasm32"))]
mod flat {
    use super::*;
    use crate::size::tagged::{field_names, need, Shape, Table, Tagged};
    use serde::de::{
        DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor,
    };
    use std::fmt;
    use std::marker::PhantomData;

    /// The five counts, the three optional counts (in `TABLE.fields` order), `scaling`,
    /// `provisioned_pollers`, `visibility_timeout`.
    #[derive(Default)]
    pub struct Slots {
        counts: [Option<u32>; 5],
        options: [Option<Option<u32>>; 3],
        scaling: Option<SqsScaling>,
        provisioned_pollers: Option<Option<ProvisionedPollersSpec>>,
        visibility_timeout: Option<DurationSpec>,
    }

    // The five counts, the three optional counts, then the others (as in `Slots`).
    field_names!(
        BATCH_SIZE = "batch_size",
        INITIAL_CONCURRENCY = "initial_concurrency",
        MAX_RECEIVE_COUNT = "max_receive_count",
        SHARDS = "shards",
        PARALLELIZATION_FACTOR = "parallelization_factor",
        MAXIMUM_CONCURRENCY = "maximum_concurrency",
        SCALE_UP_PER_MINUTE = "scale_up_per_minute",
        MAX_POLLERS = "max_pollers",
        SCALING = "scaling",
        PROVISIONED_POLLERS = "provisioned_pollers",
        VISIBILITY_TIMEOUT = "visibility_timeout",
    );

    impl Tagged for EventSourceSpec {
        const TABLE: &'static Table = &Table {
            name: "EventSourceSpec",
            tag: "type",
            variants: &["sqs", "stream"],
            shapes: &[
                Shape {
                    ident: "Sqs",
                    fields: &[
                        BATCH_SIZE,
                        MAXIMUM_CONCURRENCY,
                        SCALING,
                        INITIAL_CONCURRENCY,
                        SCALE_UP_PER_MINUTE,
                        MAX_POLLERS,
                        PROVISIONED_POLLERS,
                        VISIBILITY_TIMEOUT,
                        MAX_RECEIVE_COUNT,
                    ],
                    required: 0,
                },
                Shape { ident: "Stream", fields: &[SHARDS, PARALLELIZATION_FACTOR, BATCH_SIZE], required: 1 },
            ],
            fields: FIELDS,
        };
        type Slots = Slots;

        fn read<'de, D: Deserializer<'de>>(s: &mut Slots, i: usize, d: D) -> Result<(), D::Error> {
            match i {
                0..=4 => s.counts[i] = Some(u32::deserialize(d)?),
                5..=7 => s.options[i - 5] = Some(Option::deserialize(d)?),
                8 => s.scaling = Some(d.deserialize_any(ScalingVisitor)?),
                9 => s.provisioned_pollers = Some(Option::deserialize(d)?),
                _ => s.visibility_timeout = Some(DurationSpec::deserialize(d)?),
            }
            Ok(())
        }

        fn build<E: Error>(v: usize, s: Slots) -> Result<Self, E> {
            let [batch_size, initial, max_receive, shards, parallelization] = s.counts;
            let [maximum_concurrency, ramp, max_pollers] = s.options;
            Ok(match v {
                0 => EventSourceSpec::Sqs {
                    batch_size: batch_size.unwrap_or_else(default_batch),
                    maximum_concurrency: maximum_concurrency.flatten(),
                    scaling: s.scaling.unwrap_or_default(),
                    initial_concurrency: initial.unwrap_or_else(default_initial_pollers),
                    scale_up_per_minute: ramp.flatten(),
                    max_pollers: max_pollers.flatten(),
                    provisioned_pollers: s.provisioned_pollers.flatten(),
                    visibility_timeout: s.visibility_timeout.unwrap_or_else(default_visibility),
                    max_receive_count: max_receive.unwrap_or_else(default_max_receive),
                },
                _ => EventSourceSpec::Stream {
                    shards: need(shards, SHARDS)?,
                    parallelization_factor: parallelization.unwrap_or_else(one),
                    batch_size: batch_size.unwrap_or_else(default_stream_batch),
                },
            })
        }
    }

    /// `scaling` as the derive reads it from its buffer: a name, or a map from one name to
    /// `null` or `{}`.
    struct ScalingVisitor;

    impl<'de> Visitor<'de> for ScalingVisitor {
        type Value = SqsScaling;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("string or map")
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<SqsScaling, E> {
            match v {
                "current" => Ok(SqsScaling::Current),
                "legacy" => Ok(SqsScaling::Legacy),
                _ => Err(E::unknown_variant(v, &["current", "legacy"])),
            }
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SqsScaling, A::Error> {
            // The derive's order: one key, a known name, then a unit value.
            let single = || A::Error::invalid_value(Unexpected::Map, &"map with a single key");
            let name: String = map.next_key()?.ok_or_else(single)?;
            let value = map.next_value_seed(UnitCheck(PhantomData))?;
            if map.next_key::<IgnoredAny>()?.is_some() {
                return Err(single());
            }
            let scaling = self.visit_str::<A::Error>(&name)?;
            value.map(|()| scaling)
        }
    }

    /// A unit variant's value in the map form (`null` or `{}`), read whatever it is: what is
    /// wrong with it is the value read, so that the caller can report it after the name.
    struct UnitCheck<E>(PhantomData<E>);

    impl<'de, E: Error> DeserializeSeed<'de> for UnitCheck<E> {
        type Value = Result<(), E>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Result<(), E>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<E: Error> UnitCheck<E> {
        fn not_unit<F>(u: Unexpected) -> Result<Result<(), E>, F> {
            Ok(Err(E::invalid_type(u, &"unit")))
        }
    }

    impl<'de, E: Error> Visitor<'de> for UnitCheck<E> {
        type Value = Result<(), E>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("unit")
        }
        fn visit_unit<F: Error>(self) -> Result<Self::Value, F> {
            Ok(Ok(()))
        }
        fn visit_bool<F: Error>(self, v: bool) -> Result<Self::Value, F> {
            Self::not_unit(Unexpected::Bool(v))
        }
        fn visit_i64<F: Error>(self, v: i64) -> Result<Self::Value, F> {
            Self::not_unit(Unexpected::Signed(v))
        }
        fn visit_u64<F: Error>(self, v: u64) -> Result<Self::Value, F> {
            Self::not_unit(Unexpected::Unsigned(v))
        }
        fn visit_f64<F: Error>(self, v: f64) -> Result<Self::Value, F> {
            Self::not_unit(Unexpected::Float(v))
        }
        fn visit_str<F: Error>(self, v: &str) -> Result<Self::Value, F> {
            Self::not_unit(Unexpected::Str(v))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Self::not_unit(Unexpected::Seq)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            if map.next_key::<IgnoredAny>()?.is_none() {
                return Ok(Ok(()));
            }
            map.next_value::<IgnoredAny>()?;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Self::not_unit(Unexpected::Map)
        }
    }
}

/// Validated event source.
#[derive(Debug, Clone)]
pub enum EventSource {
    Sqs {
        batch_size: u32,
        /// The most concurrent batches: on demand the ceiling (1,250 / legacy 1,000) or the
        /// ESM's MaximumConcurrency; in provisioned mode the maximum pollers' invokes.
        max_concurrency: u32,
        /// Concurrent batches available at once and kept while the queue is empty: 5 on
        /// demand; the minimum pollers' invokes in provisioned mode.
        initial: u32,
        /// Concurrent batches added per minute while messages wait.
        per_minute: u32,
        visibility: Micros,
        max_receive: u32,
        /// Provisioned mode: (minimum pollers, maximum pollers, invokes per poller).
        provisioned: Option<(u32, u32, u32)>,
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
                scaling,
                initial_concurrency,
                scale_up_per_minute,
                max_pollers,
                provisioned_pollers,
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
                if !(1..=10_000).contains(initial_concurrency) {
                    errs.push(join(path, "initial_concurrency"), "must be between 1 and 10,000");
                }
                if let Some(m) = max_pollers {
                    if !(1..=10_000).contains(m) {
                        errs.push(join(path, "max_pollers"), "pollers must be between 1 and 10,000");
                    }
                }
                if let Some(r) = scale_up_per_minute {
                    if *r > 100_000 {
                        errs.push(join(path, "scale_up_per_minute"), "must be at most 100,000");
                    }
                }
                if *max_receive_count == 0 || *max_receive_count > 1000 {
                    errs.push(join(path, "max_receive_count"), "must be between 1 and 1,000");
                }
                let vis = visibility_timeout.micros();
                if !visibility_timeout.is_valid() || vis == 0 || vis > 12 * 3600 * MICROS_PER_SEC {
                    errs.push(join(path, "visibility_timeout"), "must be between 0 and 12 h");
                }
                match provisioned_pollers {
                    None => {
                        let ceiling = max_pollers.unwrap_or(scaling.ceiling());
                        let max_concurrency = maximum_concurrency.unwrap_or(ceiling).min(ceiling);
                        EventSource::Sqs {
                            batch_size: *batch_size,
                            max_concurrency,
                            initial: (*initial_concurrency).min(max_concurrency),
                            per_minute: scale_up_per_minute.unwrap_or(scaling.per_minute()),
                            visibility: vis.max(1),
                            max_receive: *max_receive_count,
                            provisioned: None,
                        }
                    }
                    Some(p) => {
                        let pp = join(path, "provisioned_pollers");
                        if maximum_concurrency.is_some() {
                            errs.push(
                                join(path, "maximum_concurrency"),
                                "maximum concurrency and provisioned mode cannot be used together: \
                                 set provisioned_pollers.maximum_pollers instead",
                            );
                        }
                        if max_pollers.is_some() {
                            errs.push(
                                join(path, "max_pollers"),
                                "in provisioned mode the ceiling is maximum_pollers x invokes_per_poller: \
                                 leave max_pollers out",
                            );
                        }
                        if !scaling.is_current() {
                            errs.push(join(path, "scaling"), "provisioned mode has no legacy ramp");
                        }
                        if !(2..=200).contains(&p.minimum_pollers) {
                            errs.push(
                                join(&pp, "minimum_pollers"),
                                format!("{} is outside 2–200", p.minimum_pollers),
                            );
                        }
                        if !(2..=10_000).contains(&p.maximum_pollers) {
                            errs.push(
                                join(&pp, "maximum_pollers"),
                                format!("{} is outside 2–10,000", p.maximum_pollers),
                            );
                        } else if p.maximum_pollers < p.minimum_pollers {
                            errs.push(join(&pp, "maximum_pollers"), "must be at least minimum_pollers");
                        }
                        if !(1..=10).contains(&p.invokes_per_poller) {
                            errs.push(
                                join(&pp, "invokes_per_poller"),
                                format!("{} is outside 1–10", p.invokes_per_poller),
                            );
                        }
                        let per = p.invokes_per_poller;
                        EventSource::Sqs {
                            batch_size: *batch_size,
                            max_concurrency: p.maximum_pollers.saturating_mul(per),
                            initial: p.minimum_pollers.saturating_mul(per),
                            per_minute: scale_up_per_minute.unwrap_or(PROVISIONED_PER_MINUTE),
                            visibility: vis.max(1),
                            max_receive: *max_receive_count,
                            provisioned: Some((p.minimum_pollers, p.maximum_pollers, per)),
                        }
                    }
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

/// The project's advice (docs/model.md#alarms): alarm on throttles and on messages in the DLQ.
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
