//! The workload a reader may reshape on a built-in scenario — how fast the
//! producers send, how many consumers each service runs, how long one
//! message takes to process and how often processing fails — and the
//! fault schedule. The Guarantees lab's workload editor changes them; a
//! share link carries them. Each change is bounded and validated here, so
//! the same inputs give the same run wherever they come from, and a bad
//! one is refused with a reason that names it.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Dist, FaultSpec, Scenario, ScenarioError};

/// Messages per second one producer may send: from 1 to 20.
pub const RATE: core::ops::RangeInclusive<u32> = 1..=20;
/// Consumers a service may run: from 1 to 6.
pub const CONSUMERS: core::ops::RangeInclusive<u32> = 1..=6;
/// A message's mean processing time, in ms: from 10 to 5,000.
pub const PROCESSING_MS: core::ops::RangeInclusive<u32> = 10..=5_000;
/// The chance, in percent, that processing one message fails: 0 to 50.
pub const FAILURE_PERCENT: core::ops::RangeInclusive<u32> = 0..=50;
/// At most this many messages per producer, so the fate grid stays
/// readable: a faster rate over the same span is capped here.
pub const MAX_MESSAGES: u32 = 200;
/// At most this many faults in a schedule.
pub const MAX_FAULTS: usize = 12;

/// One thing about the workload a reader may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadSetting {
    /// Each producer sends this many messages a second, over the same span
    /// of time as the scenario's own (so a faster rate sends more).
    Rate(u32),
    /// Each service runs this many consumers: the first ones of the
    /// scenario, or more like its last one.
    Consumers(u32),
    /// One message takes this long to process on average (ms); a spread
    /// around the mean keeps its proportion.
    ProcessingMs(u32),
    /// Processing one message fails with this chance (percent): the
    /// consumer neither processes nor acknowledges it.
    FailurePercent(u32),
}

/// Which thing a [`WorkloadSetting`] changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    /// [`WorkloadSetting::Rate`].
    Rate,
    /// [`WorkloadSetting::Consumers`].
    Consumers,
    /// [`WorkloadSetting::ProcessingMs`].
    ProcessingMs,
    /// [`WorkloadSetting::FailurePercent`].
    FailurePercent,
}

impl WorkloadKind {
    /// Every kind, in the order an editor lists them.
    pub const ALL: [WorkloadKind; 4] = [
        WorkloadKind::Rate,
        WorkloadKind::Consumers,
        WorkloadKind::ProcessingMs,
        WorkloadKind::FailurePercent,
    ];

    /// Its name in a share link.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Rate => "rate",
            WorkloadKind::Consumers => "consumers",
            WorkloadKind::ProcessingMs => "processing-ms",
            WorkloadKind::FailurePercent => "failure-percent",
        }
    }

    /// The values it may take.
    pub fn range(self) -> core::ops::RangeInclusive<u32> {
        match self {
            WorkloadKind::Rate => RATE,
            WorkloadKind::Consumers => CONSUMERS,
            WorkloadKind::ProcessingMs => PROCESSING_MS,
            WorkloadKind::FailurePercent => FAILURE_PERCENT,
        }
    }

    /// The setting of this kind with `value` (not yet checked).
    pub fn with(self, value: u32) -> WorkloadSetting {
        match self {
            WorkloadKind::Rate => WorkloadSetting::Rate(value),
            WorkloadKind::Consumers => WorkloadSetting::Consumers(value),
            WorkloadKind::ProcessingMs => WorkloadSetting::ProcessingMs(value),
            WorkloadKind::FailurePercent => WorkloadSetting::FailurePercent(value),
        }
    }
}

impl WorkloadSetting {
    /// What it changes.
    pub fn kind(self) -> WorkloadKind {
        match self {
            WorkloadSetting::Rate(_) => WorkloadKind::Rate,
            WorkloadSetting::Consumers(_) => WorkloadKind::Consumers,
            WorkloadSetting::ProcessingMs(_) => WorkloadKind::ProcessingMs,
            WorkloadSetting::FailurePercent(_) => WorkloadKind::FailurePercent,
        }
    }

    /// Its value.
    pub fn value(self) -> u32 {
        match self {
            WorkloadSetting::Rate(v)
            | WorkloadSetting::Consumers(v)
            | WorkloadSetting::ProcessingMs(v)
            | WorkloadSetting::FailurePercent(v) => v,
        }
    }

    /// Its name in a share link.
    pub fn config_name(self) -> &'static str {
        self.kind().name()
    }

    /// The setting `name` with `value`, if both are well formed and in
    /// range.
    pub fn parse(name: &str, value: &str) -> Option<WorkloadSetting> {
        let kind = WorkloadKind::ALL.into_iter().find(|k| k.name() == name)?;
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) || value.len() > 5 {
            return None;
        }
        let v: u32 = value.parse().ok()?;
        kind.range().contains(&v).then(|| kind.with(v))
    }
}

impl Scenario {
    /// This scenario with `settings` applied in order, validated; a value
    /// out of range, or a workload the scenario cannot run (a fault naming
    /// a consumer no longer there, a Kafka consumer told to fail), is an
    /// error saying why.
    pub fn with_workload_settings(
        &self,
        settings: &[WorkloadSetting],
    ) -> Result<Scenario, ScenarioError> {
        let mut s = self.clone();
        for setting in settings {
            let kind = setting.kind();
            let range = kind.range();
            if !range.contains(&setting.value()) {
                return Err(ScenarioError(format!(
                    "{}: {} is not between {} and {}",
                    kind.name(),
                    setting.value(),
                    range.start(),
                    range.end()
                )));
            }
            s.reshape(*setting);
        }
        s.validate()?;
        Ok(s)
    }

    fn reshape(&mut self, setting: WorkloadSetting) {
        match setting {
            WorkloadSetting::Rate(rate) => {
                let every = u64::from(1000 / rate);
                for p in &mut self.producers {
                    if let (Some(e), Some(count)) = (p.every_ms, p.count) {
                        let span = e * u64::from(count);
                        let n = (span / every).clamp(1, u64::from(MAX_MESSAGES));
                        p.every_ms = Some(every);
                        p.count = Some(n as u32);
                    } else if p.rate_per_s.is_some() {
                        p.rate_per_s = Some(f64::from(rate));
                    }
                }
            }
            WorkloadSetting::Consumers(n) => {
                for service in &mut self.services {
                    let n = n as usize;
                    if n <= service.workers.len() {
                        service.workers.truncate(n);
                        continue;
                    }
                    let Some(last) = service.workers.last().cloned() else {
                        continue;
                    };
                    while service.workers.len() < n {
                        let mut w = last.clone();
                        w.name = next_name(&last.name, &self.producers, &service.workers);
                        service.workers.push(w);
                    }
                }
                // A fault naming a consumer that is gone is refused by
                // validation below, naming the fault.
            }
            WorkloadSetting::ProcessingMs(mean) => {
                let mean = u64::from(mean);
                for w in self.services.iter_mut().flat_map(|s| &mut s.workers) {
                    w.processing_ms = match w.processing_ms {
                        Dist::Fixed(_) => Dist::Fixed(mean),
                        Dist::Exponential(_) => Dist::Exponential(mean),
                        Dist::Uniform([a, b]) => {
                            let old = (a + b) / 2;
                            let half = (b - a) / 2;
                            let half = (half * mean).checked_div(old).unwrap_or(0);
                            Dist::Uniform([mean - half.min(mean), mean + half])
                        }
                    };
                }
            }
            WorkloadSetting::FailurePercent(p) => {
                for w in self.services.iter_mut().flat_map(|s| &mut s.workers) {
                    w.failure_probability = f64::from(p) / 100.0;
                }
            }
        }
    }

    /// The scenario's own value of `kind`: its first producer's rate, its
    /// first service's consumers and their processing time and failure
    /// chance. `None` where it has none (no producer, no service).
    pub fn workload_setting(&self, kind: WorkloadKind) -> Option<WorkloadSetting> {
        let worker = self.services.first().and_then(|s| s.workers.first());
        let value = match kind {
            WorkloadKind::Rate => {
                let p = self.producers.first()?;
                match (p.every_ms, p.rate_per_s) {
                    (Some(e), _) if e > 0 => (1000 / e) as u32,
                    (_, Some(r)) => r as u32,
                    _ => return None,
                }
            }
            WorkloadKind::Consumers => self.services.first()?.workers.len() as u32,
            WorkloadKind::ProcessingMs => match worker?.processing_ms {
                Dist::Fixed(m) | Dist::Exponential(m) => m as u32,
                Dist::Uniform([a, b]) => (a.saturating_add(b) / 2) as u32,
            },
            WorkloadKind::FailurePercent => {
                let p = worker?.failure_probability * 100.0;
                // Round half up without `f64::round` (not in `core`).
                (p + 0.5) as u32
            }
        };
        Some(kind.with(value))
    }

    /// The workload settings of `settings` that change this scenario: the
    /// last of each kind, unless it is the scenario's own value.
    pub fn needed_workload_settings(&self, settings: &[WorkloadSetting]) -> Vec<WorkloadSetting> {
        WorkloadKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let last = settings.iter().rev().find(|s| s.kind() == kind).copied()?;
                (self.workload_setting(kind) != Some(last)).then_some(last)
            })
            .collect()
    }

    /// `faults` if, in time order, they differ from this scenario's own
    /// schedule; `None` if they are the same. What a share link keeps.
    pub fn needed_faults(&self, faults: &[FaultSpec]) -> Option<Vec<FaultSpec>> {
        let mut sorted = faults.to_vec();
        sorted.sort_by_key(|f| f.at_ms);
        (sorted != self.faults).then_some(sorted)
    }

    /// This scenario with its fault schedule replaced by `faults` (put in
    /// time order), validated; at most [`MAX_FAULTS`].
    pub fn with_faults(&self, faults: &[FaultSpec]) -> Result<Scenario, ScenarioError> {
        self.reshaped(&[], Some(faults))
    }

    /// This scenario with the fault schedule `faults` (if any) and then
    /// `settings` (see [`Scenario::with_settings`]), validated once both
    /// are in: removing a consumer and the fault that names it is fine in
    /// either order.
    pub fn reshaped(
        &self,
        settings: &[super::Setting],
        faults: Option<&[FaultSpec]>,
    ) -> Result<Scenario, ScenarioError> {
        let mut s = self.clone();
        if let Some(faults) = faults {
            if faults.len() > MAX_FAULTS {
                return Err(ScenarioError(format!(
                    "faults: {} faults, at most {MAX_FAULTS}",
                    faults.len()
                )));
            }
            s.faults = faults.to_vec();
            s.faults.sort_by_key(|f| f.at_ms);
        }
        match settings {
            [] => {
                s.validate()?;
                Ok(s)
            }
            some => s.with_settings(some),
        }
    }
}

impl Scenario {
    /// This scenario with lane `lane` giving `guarantee` (its ack policy
    /// the guarantee's default), validated; an error if it has no such
    /// lane.
    pub fn with_lane_guarantee(
        &self,
        lane: usize,
        guarantee: super::Guarantee,
    ) -> Result<Scenario, ScenarioError> {
        let mut s = self.clone();
        let l = s
            .lanes
            .get_mut(lane)
            .ok_or_else(|| ScenarioError(format!("lanes[{lane}]: no such lane")))?;
        l.guarantee = Some(guarantee);
        l.ack = None;
        s.validate()?;
        Ok(s)
    }
}

/// A name for one more consumer like `last` (`w2` → `w3`, `c2` → `c3`,
/// `worker` → `worker2`), not taken by a producer or a worker.
fn next_name(
    last: &str,
    producers: &[super::ProducerSpec],
    workers: &[super::WorkerSpec],
) -> String {
    let stem = last.trim_end_matches(|c: char| c.is_ascii_digit());
    let taken = |name: &str| {
        producers.iter().any(|p| p.name == name) || workers.iter().any(|w| w.name == name)
    };
    (2..)
        .map(|n: u32| {
            let mut name = stem.to_string();
            name.push_str(&n.to_string());
            name
        })
        .find(|name| !taken(name))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;

    fn guarantees() -> Scenario {
        builtin::by_name("guarantees-side-by-side").unwrap()
    }

    #[test]
    fn the_scenarios_own_workload_reads_back() {
        let s = guarantees();
        assert_eq!(
            WorkloadKind::ALL.map(|k| s.workload_setting(k)),
            [
                Some(WorkloadSetting::Rate(5)),
                Some(WorkloadSetting::Consumers(2)),
                Some(WorkloadSetting::ProcessingMs(200)),
                Some(WorkloadSetting::FailurePercent(0)),
            ]
        );
        assert!(
            s.needed_workload_settings(&[WorkloadSetting::Rate(5)])
                .is_empty()
        );
    }

    #[test]
    fn a_faster_rate_sends_more_over_the_same_span() {
        let s = guarantees()
            .with_workload_settings(&[WorkloadSetting::Rate(10)])
            .unwrap();
        assert_eq!(s.producers[0].every_ms, Some(100));
        assert_eq!(s.producers[0].count, Some(60));
        let capped = guarantees()
            .with_workload_settings(&[WorkloadSetting::Rate(20)])
            .unwrap();
        assert_eq!(capped.producers[0].count, Some(120));
        assert_eq!(
            capped.workload_setting(WorkloadKind::Rate),
            Some(WorkloadSetting::Rate(20))
        );
    }

    #[test]
    fn more_consumers_are_like_the_last_and_fewer_keep_the_first() {
        let four = guarantees()
            .with_workload_settings(&[WorkloadSetting::Consumers(4)])
            .unwrap();
        let names: Vec<&str> = four.services[0]
            .workers
            .iter()
            .map(|w| w.name.as_str())
            .collect();
        assert_eq!(names, ["w1", "w2", "w3", "w4"]);
        assert_eq!(
            four.services[0].workers[3].claim,
            four.services[0].workers[1].claim
        );
        // The schedule loses w2's XACK: one consumer would leave that fault
        // naming nobody, which is refused with the fault's field.
        let one = guarantees().with_workload_settings(&[WorkloadSetting::Consumers(1)]);
        let error = one.unwrap_err().0;
        assert!(error.contains("faults[2].role"), "{error}");
        let without = guarantees()
            .reshaped(
                &[crate::scenario::Setting::Workload(
                    WorkloadSetting::Consumers(1),
                )],
                Some(&guarantees().faults[..2]),
            )
            .unwrap();
        assert_eq!(without.services[0].workers.len(), 1);
    }

    #[test]
    fn processing_time_keeps_its_spread_in_proportion() {
        let s = guarantees()
            .with_workload_settings(&[WorkloadSetting::ProcessingMs(400)])
            .unwrap();
        assert_eq!(
            s.services[0].workers[0].processing_ms,
            Dist::Uniform([300, 500])
        );
    }

    #[test]
    fn out_of_range_and_kafka_failures_are_refused_with_a_reason() {
        let error = guarantees()
            .with_workload_settings(&[WorkloadSetting::Rate(0)])
            .unwrap_err()
            .0;
        assert_eq!(error, "rate: 0 is not between 1 and 20");
        assert_eq!(WorkloadSetting::parse("rate", "21"), None);
        assert_eq!(WorkloadSetting::parse("rate", "+3"), None);
        assert_eq!(
            WorkloadSetting::parse("failure-percent", "10"),
            Some(WorkloadSetting::FailurePercent(10))
        );
        let kafka = builtin::by_name("guarantees-side-by-side-kafka").unwrap();
        let error = kafka
            .with_workload_settings(&[WorkloadSetting::FailurePercent(10)])
            .unwrap_err()
            .0;
        assert!(error.contains("failure_probability"), "{error}");
    }

    #[test]
    fn a_schedule_is_put_in_time_order_and_bounded() {
        let mut faults = guarantees().faults;
        faults.reverse();
        let s = guarantees().with_faults(&faults).unwrap();
        assert_eq!(s.faults, guarantees().faults);
        let many = alloc::vec![faults[0].clone(); MAX_FAULTS + 1];
        assert!(guarantees().with_faults(&many).is_err());
        assert!(guarantees().with_faults(&[]).unwrap().faults.is_empty());
    }
}
