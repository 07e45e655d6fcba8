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
}

impl ThrottleCause {
    pub const ALL: [ThrottleCause; 7] = [
        ThrottleCause::AccountConcurrency,
        ThrottleCause::ReservedConcurrency,
        ThrottleCause::AccountRps,
        ThrottleCause::ReservedRps,
        ThrottleCause::BurstBucket,
        ThrottleCause::ScalingRate,
        ThrottleCause::ScalingRps,
    ];
    pub const COUNT: usize = 7;
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
        }
    }
    /// The `Reason` AWS documents for this cause, if it documents one.
    pub fn aws_reason(self) -> Option<&'static str> {
        match self {
            ThrottleCause::AccountConcurrency => Some(Self::AWS_REASONS[0]),
            ThrottleCause::ReservedConcurrency => Some(Self::AWS_REASONS[1]),
            ThrottleCause::AccountRps => Some(Self::AWS_REASONS[2]),
            ThrottleCause::ReservedRps => Some(Self::AWS_REASONS[3]),
            ThrottleCause::BurstBucket | ThrottleCause::ScalingRate | ThrottleCause::ScalingRps => None,
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
    pub const ERRORS: usize = 13;
    pub const TIMEOUTS: usize = 14;
    pub const P50: usize = 15;
    pub const P99: usize = 16;
    pub const BURST_TOKENS: usize = 17;
    pub const ENVS_INIT: usize = 18;
    pub const ENVS_BUSY: usize = 19;
    pub const ENVS_IDLE: usize = 20;
    pub const ENVS: usize = 21;
    pub const COST: usize = 22;
    pub const PC: usize = 23;
    pub const PC_BUSY: usize = 24;
    pub const PC_UTIL: usize = 25;
    pub const PC_INVOCATIONS: usize = 26;
    pub const SPILLOVER: usize = 27;
    pub const ASYNC_RECEIVED: usize = 28;
    pub const ASYNC_QUEUE: usize = 29;
    pub const ASYNC_AGE: usize = 30;
    pub const DLQ: usize = 31;
    pub const DROPPED: usize = 32;
    pub const BACKLOG: usize = 33;
    pub const OLDEST_AGE: usize = 34;
    pub const INIT_TIMEOUTS: usize = 35;

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

/// Number of buckets: 8 per power of two over 2^0 .. 2^40 microseconds (12.7 days).
const BUCKETS: usize = 8 * 41;

/// Log-bucket histogram of durations (relative error under 9%), cheap to fill and reset.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Box<[u32]>,
    total: u64,
    lo: usize,
    hi: usize,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: vec![0; BUCKETS].into_boxed_slice(), total: 0, lo: BUCKETS, hi: 0 }
    }
}

impl Histogram {
    #[inline]
    fn bucket(us: Micros) -> usize {
        if us < 8 {
            return us as usize;
        }
        let msb = 63 - us.leading_zeros() as usize;
        let sub = ((us >> (msb - 3)) & 7) as usize;
        (msb * 8 + sub).min(BUCKETS - 1)
    }
    /// Lower bound of a bucket, in microseconds, and its width.
    fn bucket_mid(b: usize) -> f64 {
        if b < 8 {
            return b as f64;
        }
        let msb = b / 8;
        let sub = b % 8;
        let base = (8 + sub as u64) << (msb - 3);
        base as f64 + (1u64 << (msb - 3)) as f64 / 2.0
    }
    #[inline]
    pub fn record(&mut self, us: Micros) {
        let b = Self::bucket(us);
        self.counts[b] += 1;
        self.total += 1;
        self.lo = self.lo.min(b);
        self.hi = self.hi.max(b);
    }
    pub fn count(&self) -> u64 {
        self.total
    }
    /// The `q` quantile in microseconds (NaN when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for b in self.lo..=self.hi {
            seen += self.counts[b] as u64;
            if seen >= rank {
                return Self::bucket_mid(b);
            }
        }
        Self::bucket_mid(self.hi)
    }
    pub fn clear(&mut self) {
        if self.total > 0 {
            for c in &mut self.counts[self.lo..=self.hi] {
                *c = 0;
            }
        }
        self.total = 0;
        self.lo = BUCKETS;
        self.hi = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_close() {
        let mut h = Histogram::default();
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
        assert_eq!(FUNCTION_COLUMNS.len(), col::f::POLLERS + 1);
        assert_eq!(ACCOUNT_COLUMNS[col::INIT_TIMEOUTS], "init_timeouts");
        assert_eq!(ACCOUNT_COLUMNS.len(), col::INIT_TIMEOUTS + 1);
        assert_eq!(ACCOUNT_COLUMNS[col::PC_UTIL], "pc_utilization");
        assert_eq!(FUNCTION_COLUMNS[col::f::PC_UTIL], "pc_utilization");
    }
}
