//! Metrics: time series sampled at a fixed interval (CloudWatch names where they exist), the
//! throttle reasons, and a small log-bucket histogram for duration percentiles.

use crate::time::Micros;
use serde::Serialize;

/// Why Lambdascape throttled a request: its own, finer cause. Each cause maps to the `Reason`
/// AWS returns in a `TooManyRequestsException` (HTTP 429) where AWS documents one
/// ([`ThrottleCause::aws_reason`]); the scaling-rate causes have none (AWS documents only "a
/// throttling error (429 status code)", "Rate exceeded"). The labels are Lambdascape's, never
/// shown as AWS codes: see docs/model.md#throttle-reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ThrottleCause {
    /// The account's unreserved concurrency is all in use.
    AccountConcurrency,
    /// The function's reserved concurrency is all in use (or is 0).
    ReservedConcurrency,
    /// More than 10 x the account concurrency limit synchronous requests to the function in one
    /// second.
    AccountRps,
    /// More than 10 x the function's reserved concurrency synchronous requests in one second.
    ReservedRps,
    /// Legacy model: no new environment, the Region's burst bucket is empty.
    BurstBucket,
    /// Current model: no new environment, the function already added its 1,000 environments
    /// for these 10 s.
    ScalingRate,
    /// Current model: the function's requests per second already grew by 10,000 in these 10 s.
    ScalingRps,
    /// Web Functions: every one of `maxEnvironments` environments is full.
    MaxEnvironments,
    /// Web Functions: the endpoint's `rateLimit` (or its 10,000 requests per second quota).
    RateLimit,
    /// Managed Instances: no environment has a free slot (the capacity is still scaling out).
    Capacity,
}

impl ThrottleCause {
    pub const ALL: [ThrottleCause; 10] = [
        ThrottleCause::AccountConcurrency,
        ThrottleCause::ReservedConcurrency,
        ThrottleCause::AccountRps,
        ThrottleCause::ReservedRps,
        ThrottleCause::BurstBucket,
        ThrottleCause::ScalingRate,
        ThrottleCause::ScalingRps,
        ThrottleCause::MaxEnvironments,
        ThrottleCause::RateLimit,
        ThrottleCause::Capacity,
    ];
    pub const COUNT: usize = 10;
    /// The `Reason` values of `TooManyRequestsException` that Lambdascape can produce.
    pub const AWS_REASONS: [&'static str; 4] = [
        "ConcurrentInvocationLimitExceeded",
        "ReservedFunctionConcurrentInvocationLimitExceeded",
        "FunctionInvocationRateLimitExceeded",
        "ReservedFunctionInvocationRateLimitExceeded",
    ];

    pub fn index(self) -> usize {
        self as usize
    }
    /// Lambdascape's label (the key of `throttles_by_cause`).
    pub fn label(self) -> &'static str {
        match self {
            ThrottleCause::AccountConcurrency => "account_concurrency",
            ThrottleCause::ReservedConcurrency => "reserved_concurrency",
            ThrottleCause::AccountRps => "account_rps",
            ThrottleCause::ReservedRps => "reserved_rps",
            ThrottleCause::BurstBucket => "burst_bucket",
            ThrottleCause::ScalingRate => "scaling_rate",
            ThrottleCause::ScalingRps => "scaling_rps",
            ThrottleCause::MaxEnvironments => "max_environments",
            ThrottleCause::RateLimit => "rate_limit",
            ThrottleCause::Capacity => "capacity",
        }
    }
    /// The `Reason` AWS documents for this cause, if it documents one.
    pub fn aws_reason(self) -> Option<&'static str> {
        match self {
            ThrottleCause::AccountConcurrency => Some(Self::AWS_REASONS[0]),
            ThrottleCause::ReservedConcurrency => Some(Self::AWS_REASONS[1]),
            ThrottleCause::AccountRps => Some(Self::AWS_REASONS[2]),
            ThrottleCause::ReservedRps => Some(Self::AWS_REASONS[3]),
            ThrottleCause::BurstBucket
            | ThrottleCause::ScalingRate
            | ThrottleCause::ScalingRps
            | ThrottleCause::MaxEnvironments
            | ThrottleCause::RateLimit
            | ThrottleCause::Capacity => None,
        }
    }
    /// Series column holding this cause's count per sample.
    pub fn column(self) -> &'static str {
        match self {
            ThrottleCause::AccountConcurrency => "throttles_account_limit",
            ThrottleCause::ReservedConcurrency => "throttles_reserved_limit",
            ThrottleCause::AccountRps => "throttles_account_rps",
            ThrottleCause::ReservedRps => "throttles_reserved_rps",
            ThrottleCause::BurstBucket => "throttles_burst_bucket",
            ThrottleCause::ScalingRate => "throttles_scaling_rate",
            ThrottleCause::ScalingRps => "throttles_scaling_rps",
            ThrottleCause::MaxEnvironments => "throttles_max_environments",
            ThrottleCause::RateLimit => "throttles_rate_limit",
            ThrottleCause::Capacity => "throttles_capacity",
        }
    }
}

/// Columns of the account-wide series, in order. Counters count events during the sample
/// interval ending at the row's time; gauges are the state at that time.
pub const ACCOUNT_COLUMNS: &[&str] = &[
    "concurrency",            // ConcurrentExecutions (gauge)
    "unreserved_concurrency", // UnreservedConcurrentExecutions (gauge)
    "requests",               // arrivals, including throttled ones
    "invocations",            // Invocations: requests that ran
    "cold_starts",
    "throttles", // Throttles, all reasons
    "throttles_account_limit",
    "throttles_reserved_limit",
    "throttles_account_rps",
    "throttles_reserved_rps",
    "throttles_burst_bucket",
    "throttles_scaling_rate",
    "throttles_scaling_rps",
    "throttles_max_environments",
    "throttles_rate_limit",
    "throttles_capacity",
    "errors",
    "timeouts",
    "duration_p50_ms", // Duration p50 including init, of invocations that ended
    "duration_p99_ms",
    "burst_tokens", // legacy bucket level (blank in the current model)
    "envs_initializing",
    "envs_busy",
    "envs_idle",
    "environments",            // initializing + busy + idle
    "cost_usd",                // cumulative compute + request + provisioned + network cost
    "provisioned_concurrency", // allocated PC environments (gauge)
    "provisioned_busy",        // ProvisionedConcurrentExecutions (gauge)
    "pc_utilization",          // ProvisionedConcurrencyUtilization (gauge; blank without PC)
    "provisioned_invocations", // ProvisionedConcurrencyInvocations
    "spillover_invocations",   // ProvisionedConcurrencySpilloverInvocations
    "async_events_received",   // AsyncEventsReceived
    "async_queue",             // events waiting in the internal queue (gauge)
    "async_event_age_s",       // AsyncEventAge, oldest waiting event (gauge)
    "dlq_messages",            // events sent to DLQs / on-failure destinations so far
    "async_events_dropped",    // AsyncEventsDropped so far
    "sqs_backlog",             // messages in event-source queues (gauge)
    "oldest_message_age_s",    // oldest queued message or stream record (gauge)
    "init_timeouts",           // init phases past the init limit, retried within their invocation
];

/// Columns of each function's series.
pub const FUNCTION_COLUMNS: &[&str] = &[
    "concurrency",
    "requests",
    "invocations",
    "cold_starts",
    "throttles",
    "errors",
    "timeouts",
    "duration_p50_ms",
    "duration_p99_ms",
    "scaling_headroom", // environments it could start right now (burst bucket or scaling rate)
    "envs_initializing",
    "envs_busy",
    "envs_idle",
    "provisioned_concurrency",
    "provisioned_busy",
    "pc_utilization",
    "provisioned_invocations",
    "spillover_invocations",
    "async_events_received",
    "async_queue",
    "async_event_age_s",
    "dlq_messages",
    "async_events_dropped",
    "sqs_backlog",
    "oldest_message_age_s",
    "event_source_concurrency", // SQS pollers' concurrent batches, or busy stream lanes
    "queued",                   // requests waiting for a slot (Web Functions; gauge)
    "instances",                // Managed Instances running (gauge)
    "capacity",                 // requests its ready environments can serve at once (gauge)
    "restores",                 // SnapStart restores (new environments)
    "duration_p90_ms",
];

/// Column indices, so the hot path never looks names up.
pub(crate) mod col {
    pub const CONCURRENCY: usize = 0;
    pub const UNRESERVED: usize = 1;
    pub const REQUESTS: usize = 2;
    pub const INVOCATIONS: usize = 3;
    pub const COLD_STARTS: usize = 4;
    pub const THROTTLES: usize = 5;
    pub const THROTTLE_CAUSE0: usize = 6;
    pub const ERRORS: usize = 16;
    pub const TIMEOUTS: usize = 17;
    pub const P50: usize = 18;
    pub const P99: usize = 19;
    pub const BURST_TOKENS: usize = 20;
    pub const ENVS_INIT: usize = 21;
    pub const ENVS_BUSY: usize = 22;
    pub const ENVS_IDLE: usize = 23;
    pub const ENVS: usize = 24;
    pub const COST: usize = 25;
    pub const PC: usize = 26;
    pub const PC_BUSY: usize = 27;
    pub const PC_UTIL: usize = 28;
    pub const PC_INVOCATIONS: usize = 29;
    pub const SPILLOVER: usize = 30;
    pub const ASYNC_RECEIVED: usize = 31;
    pub const ASYNC_QUEUE: usize = 32;
    pub const ASYNC_AGE: usize = 33;
    pub const DLQ: usize = 34;
    pub const DROPPED: usize = 35;
    pub const BACKLOG: usize = 36;
    pub const OLDEST_AGE: usize = 37;
    pub const INIT_TIMEOUTS: usize = 38;

    pub mod f {
        pub const CONCURRENCY: usize = 0;
        pub const REQUESTS: usize = 1;
        pub const INVOCATIONS: usize = 2;
        pub const COLD_STARTS: usize = 3;
        pub const THROTTLES: usize = 4;
        pub const ERRORS: usize = 5;
        pub const TIMEOUTS: usize = 6;
        pub const P50: usize = 7;
        pub const P99: usize = 8;
        pub const HEADROOM: usize = 9;
        pub const ENVS_INIT: usize = 10;
        pub const ENVS_BUSY: usize = 11;
        pub const ENVS_IDLE: usize = 12;
        pub const PC: usize = 13;
        pub const PC_BUSY: usize = 14;
        pub const PC_UTIL: usize = 15;
        pub const PC_INVOCATIONS: usize = 16;
        pub const SPILLOVER: usize = 17;
        pub const ASYNC_RECEIVED: usize = 18;
        pub const ASYNC_QUEUE: usize = 19;
        pub const ASYNC_AGE: usize = 20;
        pub const DLQ: usize = 21;
        pub const DROPPED: usize = 22;
        pub const BACKLOG: usize = 23;
        pub const OLDEST_AGE: usize = 24;
        pub const POLLERS: usize = 25;
        pub const QUEUED: usize = 26;
        pub const INSTANCES: usize = 27;
        pub const CAPACITY: usize = 28;
        pub const RESTORES: usize = 29;
        pub const P90: usize = 30;
    }
}

/// A table of samples: one row per sample time, stored column by column.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub columns: &'static [&'static str],
    /// Sample times in microseconds.
    pub times: Vec<Micros>,
    /// `data[c][row]`.
    pub data: Vec<Vec<f32>>,
}

impl Series {
    pub fn new(columns: &'static [&'static str]) -> Self {
        Series { columns, times: Vec::new(), data: vec![Vec::new(); columns.len()] }
    }
    pub fn len(&self) -> usize {
        self.times.len()
    }
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }
    pub(crate) fn push(&mut self, t: Micros, row: &[f32]) {
        self.times.push(t);
        for (c, v) in self.data.iter_mut().zip(row) {
            c.push(*v);
        }
    }
    /// Keeps the first `rows` rows.
    pub(crate) fn truncate(&mut self, rows: usize) {
        self.times.truncate(rows);
        for c in &mut self.data {
            c.truncate(rows);
        }
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&[f32]> {
        let i = self.columns.iter().position(|c| *c == name)?;
        Some(&self.data[i])
    }
    /// Index of the last row at or before `t`.
    pub fn row_at(&self, t: Micros) -> Option<usize> {
        self.times.partition_point(|&x| x <= t).checked_sub(1)
    }
    /// Value of a column at the last sample at or before `t`.
    pub fn value_at(&self, name: &str, t: Micros) -> Option<f32> {
        Some(self.column(name)?[self.row_at(t)?])
    }
}

/// Log-bucket histogram of durations, cheap to fill and reset: `2^SUB` buckets per power of two
/// over 2^0 .. 2^40 microseconds (12.7 days). A quantile is its bucket's midpoint: within
/// 2^-(SUB+1) of the true value (6.25% at the default `SUB = 3` of the per-sample figures,
/// 1.6% at the `SUB = 5` of [`Latency`]). The counts grow up to the highest bucket used, so a
/// histogram costs little in the checkpoints.
#[derive(Debug, Clone)]
pub struct Histogram<const SUB: u32 = 3> {
    counts: Vec<u32>,
    total: u64,
    min: Micros,
    max: Micros,
}

/// The whole run's end-to-end latencies of one function (or of the account).
pub type Latency = Histogram<5>;

impl<const SUB: u32> Default for Histogram<SUB> {
    fn default() -> Self {
        Histogram { counts: Vec::new(), total: 0, min: Micros::MAX, max: 0 }
    }
}

impl<const SUB: u32> Histogram<SUB> {
    const BUCKETS: usize = (1 << SUB) * 41;
    const FIRST: u64 = 1 << SUB;

    #[inline]
    fn bucket(us: Micros) -> usize {
        if us < Self::FIRST {
            return us as usize;
        }
        let msb = 63 - us.leading_zeros();
        let sub = ((us >> (msb - SUB)) & (Self::FIRST - 1)) as usize;
        // Values below 2^SUB have a bucket each; then 2^SUB buckets per power of two.
        ((((msb - SUB + 1) as usize) << SUB) | sub).min(Self::BUCKETS - 1)
    }
    /// Midpoint of a bucket, in microseconds.
    fn bucket_mid(b: usize) -> f64 {
        if (b as u64) < Self::FIRST {
            return b as f64;
        }
        let msb = (b >> SUB) as u32 + SUB - 1;
        let sub = (b as u64) & (Self::FIRST - 1);
        let base = (Self::FIRST + sub) << (msb - SUB);
        base as f64 + (1u64 << (msb - SUB)) as f64 / 2.0
    }
    #[inline(always)]
    pub fn record(&mut self, us: Micros) {
        let b = Self::bucket(us);
        if b >= self.counts.len() {
            self.counts.resize(b + 1, 0);
        }
        self.counts[b] += 1;
        self.total += 1;
        self.min = self.min.min(us);
        self.max = self.max.max(us);
    }
    pub fn count(&self) -> u64 {
        self.total
    }
    /// The buckets from the smallest value's to the largest's (those that may be non-zero; the
    /// exact extremes make them known without tracking them per value).
    fn used(&self) -> std::ops::RangeInclusive<usize> {
        Self::bucket(self.min)..=Self::bucket(self.max)
    }
    /// Adds another histogram's values.
    pub fn merge(&mut self, other: &Self) {
        if other.total == 0 {
            return;
        }
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for b in other.used() {
            self.counts[b] += other.counts[b];
        }
        self.total += other.total;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
    /// The largest value recorded (exact), in microseconds (0 when empty).
    pub fn max(&self) -> Micros {
        self.max
    }
    /// The `q` quantile in microseconds (NaN when empty): its bucket's midpoint, within the
    /// smallest and the largest value recorded (so a constant is exact).
    pub fn quantile(&self, q: f64) -> f64 {
        self.quantiles([q])[0]
    }
    /// Several quantiles, in increasing order of `q`, in one pass over the buckets (each as
    /// [`Self::quantile`] gives it).
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        let mut out = [f64::NAN; N];
        if self.total == 0 {
            return out;
        }
        let used = self.used();
        let (mut seen, mut b) = (0u64, *used.start());
        for (q, out) in qs.into_iter().zip(&mut out) {
            let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
            // The smallest and the largest are known exactly.
            if rank == self.total {
                *out = self.max as f64;
                continue;
            }
            if rank == 1 {
                *out = self.min as f64;
                continue;
            }
            // The first bucket where the running count reaches the rank (`seen` counts the
            // buckets before `b`; ranks increase, so the walk goes on from where it stopped).
            while b < *used.end() && seen + u64::from(self.counts[b]) < rank {
                seen += self.counts[b] as u64;
                b += 1;
            }
            *out = Self::bucket_mid(b).clamp(self.min as f64, self.max as f64);
        }
        out
    }
    pub fn clear(&mut self) {
        if self.total > 0 {
            let used = self.used();
            for c in &mut self.counts[used] {
                *c = 0;
            }
        }
        self.total = 0;
        self.min = Micros::MAX;
        self.max = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_close() {
        let mut h = Histogram::<3>::default();
        for ms in 1..=1000u64 {
            h.record(ms * 1000);
        }
        let p50 = h.quantile(0.5) / 1000.0;
        let p99 = h.quantile(0.99) / 1000.0;
        assert!((p50 - 500.0).abs() / 500.0 < 0.07, "{p50}");
        assert!((p99 - 990.0).abs() / 990.0 < 0.07, "{p99}");
        h.clear();
        assert!(h.quantile(0.5).is_nan());
        h.record(3);
        assert_eq!(h.quantile(0.5), 3.0);
    }

    /// A quantile by its definition: the first bucket whose running count reaches the rank.
    fn quantile_by_definition(h: &Histogram<3>, q: f64) -> f64 {
        if h.total == 0 {
            return f64::NAN;
        }
        let rank = ((q * h.total as f64).ceil() as u64).clamp(1, h.total);
        if rank == h.total {
            return h.max as f64;
        }
        if rank == 1 {
            return h.min as f64;
        }
        let mut seen = 0u64;
        let b = h.used().find(|&b| {
            seen += h.counts[b] as u64;
            seen >= rank
        });
        Histogram::<3>::bucket_mid(b.unwrap_or(*h.used().end())).clamp(h.min as f64, h.max as f64)
    }

    #[test]
    fn quantiles_in_one_pass_are_each_quantile() {
        let mut h = Histogram::<3>::default();
        let qs = [0.0, 0.001, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0];
        for (i, us) in [5u64, 5, 9, 1000, 1001, 70_000, 3, 123_456_789, 64, 64, 64].into_iter().enumerate() {
            h.record(us);
            let all = h.quantiles(qs);
            for (q, got) in qs.into_iter().zip(all) {
                assert_eq!(
                    got.to_bits(),
                    quantile_by_definition(&h, q).to_bits(),
                    "after {} values, q{q}",
                    i + 1
                );
            }
        }
    }

    #[test]
    fn latency_histogram_is_finer_and_keeps_the_max() {
        let mut h = Latency::default();
        for ms in 1..=1000u64 {
            h.record(ms * 1000);
        }
        for (q, want) in [(0.5, 500.0), (0.9, 900.0), (0.99, 990.0)] {
            let got = h.quantile(q) / 1000.0;
            assert!((got - want).abs() / want < 0.016, "q{q}: {got} vs {want}");
        }
        assert_eq!(h.max(), 1_000_000);
        assert_eq!(h.quantile(1.0), 1_000_000.0);
        // Every bucket's midpoint lies within it, for both precisions.
        for us in [1u64, 7, 8, 9, 63, 64, 65, 1000, 123_456, 9_999_999] {
            let (b3, b6) = (Histogram::<3>::bucket(us), Latency::bucket(us));
            assert!((Histogram::<3>::bucket_mid(b3) - us as f64).abs() <= us as f64 / 16.0 + 0.5, "{us}");
            assert!((Latency::bucket_mid(b6) - us as f64).abs() <= us as f64 / 64.0 + 0.5, "{us}");
        }
    }

    #[test]
    fn column_indices_match_names() {
        assert_eq!(ACCOUNT_COLUMNS[col::COST], "cost_usd");
        assert_eq!(ACCOUNT_COLUMNS[col::ENVS], "environments");
        assert_eq!(ACCOUNT_COLUMNS[col::P99], "duration_p99_ms");
        for r in ThrottleCause::ALL {
            assert_eq!(ACCOUNT_COLUMNS[col::THROTTLE_CAUSE0 + r.index()], r.column());
        }
        assert_eq!(FUNCTION_COLUMNS[col::f::ENVS_IDLE], "envs_idle");
        assert_eq!(FUNCTION_COLUMNS[col::f::HEADROOM], "scaling_headroom");
        assert_eq!(FUNCTION_COLUMNS[col::f::POLLERS], "event_source_concurrency");
        assert_eq!(FUNCTION_COLUMNS[col::f::QUEUED], "queued");
        assert_eq!(FUNCTION_COLUMNS[col::f::P90], "duration_p90_ms");
        assert_eq!(FUNCTION_COLUMNS.len(), col::f::P90 + 1);
        assert_eq!(ACCOUNT_COLUMNS[col::INIT_TIMEOUTS], "init_timeouts");
        assert_eq!(ACCOUNT_COLUMNS.len(), col::INIT_TIMEOUTS + 1);
        assert_eq!(ACCOUNT_COLUMNS[col::PC_UTIL], "pc_utilization");
        assert_eq!(FUNCTION_COLUMNS[col::f::PC_UTIL], "pc_utilization");
    }
}
