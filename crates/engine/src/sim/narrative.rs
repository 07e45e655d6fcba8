//! The narrative: every notable change explained in plain words, with its time, its numbers and
//! structured references to what it names (so a UI can highlight them).
//!
//! The narrator watches the per-sample counters and tells *episodes* rather than single
//! requests: throttling that starts, goes on (a summary each minute) and stops; a wave of cold
//! starts; a limit reached; the burst bucket emptied and refilled; environments reaped.

use super::metrics::ThrottleReason;
use crate::scenario::{ScalingModel, Scenario};
use crate::time::{Clock, Micros, MICROS_PER_SEC};
use serde::Serialize;

/// An episode ends after this long without a single occurrence.
pub(crate) const QUIET: Micros = 30 * MICROS_PER_SEC;
/// Environments reaped or recycled are told at most this often, summed (they are routine;
/// the cold starts they cause are told on their own).
const REAP_REPORT_EVERY: Micros = 5 * 60 * MICROS_PER_SEC;

/// Most entries kept; past this the narrative says it was truncated.
pub const MAX_ENTRIES: usize = 20_000;

/// What an entry names, for highlighting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ref {
    Function {
        id: u32,
    },
    Env {
        serial: u32,
    },
    Subnet {
        id: u32,
    },
    Az {
        id: u32,
    },
    Nat {
        id: u32,
    },
    /// A limit line on the charts: `account`, `reserved`, `burst`, `scaling_rate`, `rps`.
    Limit {
        limit: &'static str,
    },
}

/// The kind of an entry (for icons and filtering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Start,
    ColdStarts,
    Throttling,
    ThrottlingEnded,
    LimitReached,
    BurstBucket,
    Reaped,
    Network,
    Scaling,
    Alarm,
    Info,
}

/// How much an entry matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One line of the narrative.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub time: Micros,
    pub kind: EntryKind,
    pub severity: Severity,
    pub text: String,
    pub refs: Vec<Ref>,
}

impl Entry {
    /// `00:01:10 — text`.
    pub fn line(&self) -> String {
        format!("{} — {}", Clock(self.time), self.text)
    }
}

/// `1234567` as `1,234,567`.
pub fn fmt_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// " (concurrency N)" while requests are in flight at the sample; nothing once they are done.
fn at_concurrency(c: u32) -> String {
    if c > 0 {
        format!(" (concurrency {})", fmt_count(c as u64))
    } else {
        String::new()
    }
}

/// "; 9 of them landed in subnets where calls time out", for `failing` of `cold` cold starts.
fn landed_failing(failing: u64, cold: u64) -> String {
    match failing {
        0 => String::new(),
        n if n >= cold => "; all of them landed in subnets where calls time out".into(),
        n => format!("; {} of them landed in subnets where calls time out", fmt_count(n)),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", fmt_count(n), if n == 1 { one } else { many })
}

/// `mm:ss` span.
fn span(us: Micros) -> String {
    let s = us / MICROS_PER_SEC;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s / 60) % 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[derive(Debug, Clone, Default)]
struct Episode {
    active: bool,
    /// Last sample with a non-zero count.
    last_seen: Micros,
    since: Micros,
    last_report: Micros,
    since_report: u64,
    total: u64,
}

/// What the narrator sees of one function at a sample.
pub(crate) struct FnObs {
    pub cold_starts: u64,
    pub throttles: [u64; ThrottleReason::COUNT],
    pub concurrency: u32,
    pub reserved_full: bool,
    pub headroom: f64,
    /// Time of the function's very first request, when it came in this interval.
    pub first_request: Option<Micros>,
    /// Cold starts of this interval already told as placements ("env #7 started in subnet ...").
    pub placements_told: u64,
    /// Cold starts of this interval in subnets whose calls fail.
    pub placed_failing: u64,
}

/// What the narrator sees of the account at a sample.
pub(crate) struct AccountObs {
    pub concurrency: u32,
    pub unreserved_in_use: u32,
    pub tokens: f64,
    pub reaped_idle: u64,
    pub recycled: u64,
}

#[derive(Debug, Clone, Default)]
struct FnNarr {
    cold: Episode,
    /// Cold starts in subnets whose calls fail since the last cold-start line.
    cold_failing: u64,
    throttles: [Episode; ThrottleReason::COUNT],
    reserved_full: bool,
}

/// The narrator's memory between samples (part of the checkpointed state).
#[derive(Debug, Clone, Default)]
pub(crate) struct Narrator {
    functions: Vec<FnNarr>,
    account_full: bool,
    bucket_empty: bool,
    reaped_pending: u64,
    recycled_pending: u64,
    reap_last_report: Micros,
    pub(crate) pending: Vec<Entry>,
}

impl Narrator {
    pub fn new(functions: usize) -> Self {
        Narrator { functions: vec![FnNarr::default(); functions], ..Default::default() }
    }

    /// Looks at one sample's counters and tells what changed.
    pub(crate) fn observe(&mut self, sc: &Scenario, now: Micros, acct: &AccountObs, fns: &[FnObs]) {
        let a = &sc.account;
        for (i, o) in fns.iter().enumerate() {
            let f = &sc.functions[i];
            let fref = Ref::Function { id: i as u32 };
            let name = &f.name;
            let n = &mut self.functions[i];
            if let Some(first) = o.first_request {
                self.pending.push(Entry {
                    time: first,
                    kind: EntryKind::Start,
                    severity: Severity::Info,
                    text: format!("{name}: first requests arrive; there is no execution environment yet, so the first ones are cold starts"),
                    refs: vec![fref.clone()],
                });
            }
            // Cold starts: a wave begins, goes on (minute summaries), ends.
            let ep = &mut n.cold;
            if o.cold_starts > 0 && !ep.active {
                *ep = Episode {
                    active: true,
                    since: now,
                    last_seen: now,
                    last_report: now,
                    since_report: 0,
                    total: o.cold_starts,
                };
                if o.cold_starts > o.placements_told {
                    self.pending.push(Entry {
                        time: now,
                        kind: EntryKind::ColdStarts,
                        severity: Severity::Info,
                        text: format!(
                            "{name}: {} — new execution environments initialize before serving{}{}",
                            plural(o.cold_starts, "cold start", "cold starts"),
                            at_concurrency(o.concurrency),
                            landed_failing(o.placed_failing, o.cold_starts)
                        ),
                        refs: vec![fref.clone()],
                    });
                }
                n.cold_failing = 0;
            } else if o.cold_starts > 0 {
                ep.last_seen = now;
                ep.since_report += o.cold_starts;
                n.cold_failing += o.placed_failing;
                ep.total += o.cold_starts;
                if now - ep.last_report >= 60 * MICROS_PER_SEC {
                    self.pending.push(Entry {
                        time: now,
                        kind: EntryKind::ColdStarts,
                        severity: Severity::Info,
                        text: format!(
                            "{name}: {} more in the last minute{}{}",
                            plural(ep.since_report, "cold start", "cold starts"),
                            at_concurrency(o.concurrency),
                            landed_failing(n.cold_failing, ep.since_report)
                        ),
                        refs: vec![fref.clone()],
                    });
                    ep.last_report = now;
                    ep.since_report = 0;
                    n.cold_failing = 0;
                }
            } else if ep.active && now - ep.last_seen >= QUIET {
                ep.active = false;
            }
            // Throttling, per reason.
            for r in ThrottleReason::ALL {
                let c = o.throttles[r.index()];
                let ep = &mut n.throttles[r.index()];
                let why = || explain(sc, r, i, acct, o);
                if c > 0 && !ep.active {
                    *ep = Episode {
                        active: true,
                        since: now,
                        last_seen: now,
                        last_report: now,
                        since_report: 0,
                        total: c,
                    };
                    self.pending.push(Entry {
                        time: now,
                        kind: EntryKind::Throttling,
                        severity: Severity::Error,
                        text: format!(
                            "{name}: {} throttled (429 TooManyRequestsException, {}): {}",
                            plural(c, "request", "requests"),
                            r.name(),
                            why()
                        ),
                        refs: vec![fref.clone(), Ref::Limit { limit: limit_of(r) }],
                    });
                } else if c > 0 {
                    ep.last_seen = now;
                    ep.since_report += c;
                    ep.total += c;
                    if now - ep.last_report >= 60 * MICROS_PER_SEC {
                        self.pending.push(Entry {
                            time: now,
                            kind: EntryKind::Throttling,
                            severity: Severity::Error,
                            text: format!(
                                "{name}: {} throttled in the last minute ({}): {}",
                                plural(ep.since_report, "request", "requests"),
                                r.name(),
                                why()
                            ),
                            refs: vec![fref.clone(), Ref::Limit { limit: limit_of(r) }],
                        });
                        ep.last_report = now;
                        ep.since_report = 0;
                    }
                } else if ep.active && now - ep.last_seen >= QUIET {
                    ep.active = false;
                    self.pending.push(Entry {
                        time: now,
                        kind: EntryKind::ThrottlingEnded,
                        severity: Severity::Info,
                        text: format!(
                            "{name}: no more throttling ({}) since {}; it lasted {}, {} throttled in all",
                            r.name(),
                            Clock(ep.last_seen),
                            span(ep.last_seen - ep.since),
                            plural(ep.total, "request", "requests")
                        ),
                        refs: vec![fref.clone()],
                    });
                }
            }
            if o.reserved_full && !n.reserved_full {
                self.pending.push(Entry {
                    time: now,
                    kind: EntryKind::LimitReached,
                    severity: Severity::Warning,
                    text: format!(
                        "{name}: all of its reserved concurrency ({}) is in use; other functions cannot take it, and it cannot grow past it",
                        fmt_count(f.reserved.unwrap_or(0) as u64)
                    ),
                    refs: vec![fref.clone(), Ref::Limit { limit: "reserved" }],
                });
            }
            if o.reserved_full {
                n.reserved_full = true;
            } else if (o.concurrency as f64) < 0.9 * f.reserved.unwrap_or(0) as f64 {
                n.reserved_full = false;
            }
        }

        let full = acct.unreserved_in_use >= a.unreserved_pool && a.unreserved_pool > 0;
        if full && !self.account_full {
            self.pending.push(Entry {
                time: now,
                kind: EntryKind::LimitReached,
                severity: Severity::Warning,
                text: format!(
                    "account concurrency limit reached: {} of {} unreserved in use (account limit {})",
                    fmt_count(acct.unreserved_in_use as u64),
                    fmt_count(a.unreserved_pool as u64),
                    fmt_count(a.limit as u64)
                ),
                refs: vec![Ref::Limit { limit: "account" }],
            });
        }
        // Hysteresis: announce again only after usage fell clearly below the limit.
        if full {
            self.account_full = true;
        } else if (acct.unreserved_in_use as f64) < 0.9 * a.unreserved_pool as f64 {
            self.account_full = false;
        }

        if sc.account.model == ScalingModel::Legacy {
            let cap = a.burst_quota as f64;
            if acct.tokens < 1.0 && !self.bucket_empty {
                self.bucket_empty = true;
                self.pending.push(Entry {
                    time: now,
                    kind: EntryKind::BurstBucket,
                    severity: Severity::Warning,
                    text: format!(
                        "burst bucket empty: 0 of {} tokens; from now on at most {} new environments per minute (concurrency {})",
                        fmt_count(a.burst_quota as u64),
                        fmt_count((a.legacy_refill_per_sec * 60.0).round() as u64),
                        fmt_count(acct.concurrency as u64)
                    ),
                    refs: vec![Ref::Limit { limit: "burst" }],
                });
            } else if self.bucket_empty && acct.tokens >= cap - 0.5 {
                self.bucket_empty = false;
                self.pending.push(Entry {
                    time: now,
                    kind: EntryKind::BurstBucket,
                    severity: Severity::Info,
                    text: format!(
                        "burst bucket full again: {} tokens, so a burst of {} new environments can start at once",
                        fmt_count(a.burst_quota as u64),
                        fmt_count(a.burst_quota as u64)
                    ),
                    refs: vec![Ref::Limit { limit: "burst" }],
                });
            }
        }

        self.reaped_pending += acct.reaped_idle;
        self.recycled_pending += acct.recycled;
        if (self.reaped_pending > 0 || self.recycled_pending > 0)
            && now - self.reap_last_report >= REAP_REPORT_EVERY
        {
            let mut parts = Vec::new();
            if self.reaped_pending > 0 {
                parts.push(format!(
                    "{} reaped after staying idle",
                    plural(self.reaped_pending, "environment", "environments")
                ));
            }
            if self.recycled_pending > 0 {
                parts.push(format!(
                    "{} recycled at the end of their lifetime",
                    plural(self.recycled_pending, "environment", "environments")
                ));
            }
            self.pending.push(Entry {
                time: now,
                kind: EntryKind::Reaped,
                severity: Severity::Info,
                text: format!("{}; the next requests that need them are cold starts", parts.join(", ")),
                refs: vec![],
            });
            self.reaped_pending = 0;
            self.recycled_pending = 0;
            self.reap_last_report = now;
        }
    }
}

fn limit_of(r: ThrottleReason) -> &'static str {
    match r {
        ThrottleReason::ConcurrentInvocationLimitExceeded => "account",
        ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded => "reserved",
        ThrottleReason::FunctionInvocationRateLimitExceeded
        | ThrottleReason::ReservedFunctionInvocationRateLimitExceeded => "rps",
        ThrottleReason::ScalingRateLimitExceeded => "scaling_rate",
    }
}

fn explain(sc: &Scenario, r: ThrottleReason, f: usize, acct: &AccountObs, o: &FnObs) -> String {
    let a = &sc.account;
    let func = &sc.functions[f];
    match r {
        ThrottleReason::ConcurrentInvocationLimitExceeded => format!(
            "account concurrency limit: {} of {} unreserved concurrency in use",
            fmt_count(acct.unreserved_in_use as u64),
            fmt_count(a.unreserved_pool as u64)
        ),
        ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded => match func.reserved {
            Some(0) => "reserved concurrency is 0, so every request is throttled".into(),
            Some(r) => format!("reserved concurrency of {} is fully used", fmt_count(r as u64)),
            None => String::new(),
        },
        ThrottleReason::FunctionInvocationRateLimitExceeded => format!(
            "more than {} requests per second (10 x the account limit of {})",
            fmt_count((a.limit as f64 * a.rps_per_concurrency) as u64),
            fmt_count(a.limit as u64)
        ),
        ThrottleReason::ReservedFunctionInvocationRateLimitExceeded => format!(
            "more than {} requests per second (10 x its reserved concurrency)",
            fmt_count((func.reserved.unwrap_or(0) as f64 * a.rps_per_concurrency) as u64)
        ),
        ThrottleReason::ScalingRateLimitExceeded => match a.model {
            ScalingModel::Legacy => format!(
                "burst bucket empty ({} of {} tokens, +{}/min)",
                fmt_count(acct.tokens.max(0.0).floor() as u64),
                fmt_count(a.burst_quota as u64),
                fmt_count((a.legacy_refill_per_sec * 60.0).round() as u64)
            ),
            ScalingModel::Current => format!(
                "scaling rate: each function adds at most {} environments per {} s ({} available now)",
                fmt_count(a.current_step as u64),
                (a.current_step as f64 / a.current_refill_per_sec).round(),
                fmt_count(o.headroom.max(0.0).floor() as u64)
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_separators() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_count(3000), "3,000");
        assert_eq!(fmt_count(1_234_567), "1,234,567");
        assert_eq!(span(70 * MICROS_PER_SEC), "1m10s");
    }
}
