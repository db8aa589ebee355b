//! Kafka settings a reader can change on a built-in Kafka scenario: `acks`,
//! `min.insync.replicas`, `unclean.leader.election.enable`, `retries`,
//! `enable.idempotence` and `enable.auto.commit`. Each [`KafkaSetting`]
//! names the Kafka config it changes; [`Scenario::with_kafka_settings`]
//! applies a list of them to every producer, topic and consumer group of
//! the scenario and validates the result, refusing what Kafka refuses with
//! Kafka's own reason; [`Scenario::kafka_setting`] reads one back.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{
    AckPolicy, Guarantee, Policy, RedisSetting, Scenario, ScenarioError, Source, WorkloadKind,
    WorkloadSetting,
};
use crate::kafka::{Acks, ProducerConfig};

/// Kafka's default `retries`: `Integer.MAX_VALUE`.
pub const RETRIES_DEFAULT: u32 = i32::MAX as u32;

/// Which config a setting changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SettingKind {
    /// The producers' `acks`.
    Acks,
    /// The topics' `min.insync.replicas`.
    MinInsyncReplicas,
    /// The topics' `unclean.leader.election.enable`.
    UncleanLeaderElection,
    /// The producers' `retries`.
    Retries,
    /// The producers' `enable.idempotence`.
    Idempotence,
    /// The consumers' `enable.auto.commit`.
    AutoCommit,
}

impl SettingKind {
    /// Every kind, in the order a settings panel lists them.
    pub const ALL: [SettingKind; 6] = [
        SettingKind::Acks,
        SettingKind::MinInsyncReplicas,
        SettingKind::UncleanLeaderElection,
        SettingKind::Retries,
        SettingKind::Idempotence,
        SettingKind::AutoCommit,
    ];

    /// The Kafka config it changes, verbatim.
    pub fn config_name(self) -> &'static str {
        match self {
            SettingKind::Acks => "acks",
            SettingKind::MinInsyncReplicas => "min.insync.replicas",
            SettingKind::UncleanLeaderElection => "unclean.leader.election.enable",
            SettingKind::Retries => "retries",
            SettingKind::Idempotence => "enable.idempotence",
            SettingKind::AutoCommit => "enable.auto.commit",
        }
    }

    /// The kind whose config is named `name`.
    pub fn from_config_name(name: &str) -> Option<SettingKind> {
        SettingKind::ALL
            .into_iter()
            .find(|k| k.config_name() == name)
    }

    /// The values a panel offers for it, in order (`min.insync.replicas`
    /// from 1 to the replication factor of `scenario`'s widest topic).
    pub fn choices(self, scenario: &Scenario) -> Vec<KafkaSetting> {
        match self {
            SettingKind::Acks => [Acks::Zero, Acks::One, Acks::All]
                .into_iter()
                .map(KafkaSetting::Acks)
                .collect(),
            SettingKind::MinInsyncReplicas => {
                let rf = scenario.kafka.as_ref().map_or(1, |k| {
                    k.topics
                        .iter()
                        .flat_map(|t| k.assignment(t))
                        .map(|r| r.len() as u32)
                        .max()
                        .unwrap_or(1)
                });
                (1..=rf.max(1))
                    .map(KafkaSetting::MinInsyncReplicas)
                    .collect()
            }
            SettingKind::UncleanLeaderElection => [false, true]
                .into_iter()
                .map(KafkaSetting::UncleanLeaderElection)
                .collect(),
            SettingKind::Retries => [0, RETRIES_DEFAULT]
                .into_iter()
                .map(KafkaSetting::Retries)
                .collect(),
            SettingKind::Idempotence => [false, true]
                .into_iter()
                .map(KafkaSetting::Idempotence)
                .collect(),
            SettingKind::AutoCommit => [false, true]
                .into_iter()
                .map(KafkaSetting::AutoCommit)
                .collect(),
        }
    }
}

/// One Kafka config set to one value on a whole scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KafkaSetting {
    /// `acks` of every producer.
    Acks(Acks),
    /// `min.insync.replicas` of every topic (a topic override).
    MinInsyncReplicas(u32),
    /// `unclean.leader.election.enable` of every topic (a topic override).
    UncleanLeaderElection(bool),
    /// `retries` of every producer: 0, or Kafka's default
    /// [`RETRIES_DEFAULT`] (bounded by `delivery.timeout.ms`).
    Retries(u32),
    /// `enable.idempotence` of every producer, set explicitly (KIP-679:
    /// then a conflicting `acks` or `retries` is a `ConfigException`).
    Idempotence(bool),
    /// `enable.auto.commit` of every consumer group: on, the group commits
    /// what poll returned every `auto.commit.interval.ms` (`ack: auto`,
    /// at-most-once); off, it commits after processing each record
    /// (`ack: after-each`, at-least-once).
    AutoCommit(bool),
}

impl KafkaSetting {
    /// Which config it changes.
    pub fn kind(self) -> SettingKind {
        match self {
            KafkaSetting::Acks(_) => SettingKind::Acks,
            KafkaSetting::MinInsyncReplicas(_) => SettingKind::MinInsyncReplicas,
            KafkaSetting::UncleanLeaderElection(_) => SettingKind::UncleanLeaderElection,
            KafkaSetting::Retries(_) => SettingKind::Retries,
            KafkaSetting::Idempotence(_) => SettingKind::Idempotence,
            KafkaSetting::AutoCommit(_) => SettingKind::AutoCommit,
        }
    }

    /// The Kafka config it changes, verbatim.
    pub fn config_name(self) -> &'static str {
        self.kind().config_name()
    }

    /// Its value as Kafka writes it (`all`, `2`, `true`, `2147483647`).
    pub fn value_text(self) -> String {
        match self {
            KafkaSetting::Acks(Acks::Zero) => "0".into(),
            KafkaSetting::Acks(Acks::One) => "1".into(),
            KafkaSetting::Acks(Acks::All) => "all".into(),
            KafkaSetting::MinInsyncReplicas(n) | KafkaSetting::Retries(n) => format!("{n}"),
            KafkaSetting::UncleanLeaderElection(b)
            | KafkaSetting::Idempotence(b)
            | KafkaSetting::AutoCommit(b) => format!("{b}"),
        }
    }

    /// `config=value`, as in a `Properties` file.
    pub fn to_property(self) -> String {
        format!("{}={}", self.config_name(), self.value_text())
    }

    /// The setting `name=value` names, with the values the settings offer:
    /// `acks` 0, 1 or all (-1 too); `min.insync.replicas` 1 to 9;
    /// `retries` 0 or 2147483647; booleans `true` or `false`.
    pub fn parse(name: &str, value: &str) -> Option<KafkaSetting> {
        let boolean = || match value {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        Some(match SettingKind::from_config_name(name)? {
            SettingKind::Acks => KafkaSetting::Acks(match value {
                "0" => Acks::Zero,
                "1" => Acks::One,
                "all" | "-1" => Acks::All,
                _ => return None,
            }),
            SettingKind::MinInsyncReplicas => KafkaSetting::MinInsyncReplicas(match value {
                "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" => value.parse().ok()?,
                _ => return None,
            }),
            SettingKind::Retries => KafkaSetting::Retries(match value {
                "0" => 0,
                "2147483647" => RETRIES_DEFAULT,
                _ => return None,
            }),
            SettingKind::UncleanLeaderElection => KafkaSetting::UncleanLeaderElection(boolean()?),
            SettingKind::Idempotence => KafkaSetting::Idempotence(boolean()?),
            SettingKind::AutoCommit => KafkaSetting::AutoCommit(boolean()?),
        })
    }
}

/// The `ConfigException` Kafka's `ProducerConfig` throws when idempotence
/// is set explicitly and another setting contradicts it, in the order
/// Kafka checks them.
fn idempotence_conflict(c: &ProducerConfig) -> Option<&'static str> {
    if c.enable_idempotence != Some(true) {
        return None;
    }
    if c.retries == 0 {
        return Some("Must set retries to non-zero when using the idempotent producer.");
    }
    if c.acks != Acks::All {
        return Some(
            "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.",
        );
    }
    if c.max_in_flight_requests_per_connection > 5 {
        return Some(
            "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.",
        );
    }
    None
}

impl Scenario {
    /// This Kafka scenario with `settings` applied to every producer,
    /// topic and consumer group (later settings of a kind win), validated.
    /// A combination Kafka refuses is an error carrying Kafka's reason.
    pub fn with_kafka_settings(
        &self,
        settings: &[KafkaSetting],
    ) -> Result<Scenario, ScenarioError> {
        if self.kafka.is_none() {
            return Err(ScenarioError(
                "settings: only a Kafka scenario has Kafka settings".into(),
            ));
        }
        let mut s = self.clone();
        for setting in settings {
            s.apply(*setting);
        }
        for p in &s.producers {
            if let Some(reason) = p.config.as_ref().and_then(idempotence_conflict) {
                return Err(ScenarioError(format!(
                    "org.apache.kafka.common.config.ConfigException: {reason}"
                )));
            }
        }
        s.validate()?;
        Ok(s)
    }

    fn apply(&mut self, setting: KafkaSetting) {
        let Some(k) = &mut self.kafka else { return };
        match setting {
            KafkaSetting::MinInsyncReplicas(n) => {
                for t in &mut k.topics {
                    t.config.min_insync_replicas = Some(n);
                }
            }
            KafkaSetting::UncleanLeaderElection(b) => {
                for t in &mut k.topics {
                    t.config.unclean_leader_election_enable = Some(b);
                }
            }
            KafkaSetting::Acks(_) | KafkaSetting::Retries(_) | KafkaSetting::Idempotence(_) => {
                for p in &mut self.producers {
                    let c = p.config.get_or_insert_with(ProducerConfig::default);
                    match setting {
                        KafkaSetting::Acks(a) => c.acks = a,
                        KafkaSetting::Retries(r) => c.retries = r,
                        KafkaSetting::Idempotence(b) => c.enable_idempotence = Some(b),
                        _ => {}
                    }
                }
            }
            KafkaSetting::AutoCommit(on) => self.apply_auto_commit(on),
        }
    }

    /// On: every consumer group (and every lane's policy) commits
    /// automatically, at-most-once. Off: those that did commit
    /// automatically commit after each record, at-least-once; a manual
    /// policy the scenario chose is kept.
    fn apply_auto_commit(&mut self, on: bool) {
        for s in &mut self.services {
            if !matches!(s.source, Source::Topic(_)) {
                continue;
            }
            let auto = Policy::new(s.guarantee, s.ack).ack == AckPolicy::Auto;
            if on {
                (s.guarantee, s.ack) = (Guarantee::AtMostOnce, Some(AckPolicy::Auto));
            } else if auto {
                (s.guarantee, s.ack) = (Guarantee::AtLeastOnce, Some(AckPolicy::AfterEach));
            }
        }
        for l in &mut self.lanes {
            if l.guarantee.is_none() && l.ack.is_none() {
                continue;
            }
            let auto = l.ack == Some(AckPolicy::Auto);
            if on {
                (l.guarantee, l.ack) = (Some(Guarantee::AtMostOnce), Some(AckPolicy::Auto));
            } else if auto {
                (l.guarantee, l.ack) = (Some(Guarantee::AtLeastOnce), Some(AckPolicy::AfterEach));
            }
        }
    }

    /// The value of `kind` in this scenario, as Kafka would run it (the
    /// producers' effective idempotence, KIP-679; a topic's override or
    /// the brokers' default) — `None` when producers, topics or consumer
    /// groups disagree, or the scenario is not a Kafka one.
    pub fn kafka_setting(&self, kind: SettingKind) -> Option<KafkaSetting> {
        let k = self.kafka.as_ref()?;
        let default = ProducerConfig::default();
        let producer =
            |p: &super::ProducerSpec| p.config.clone().unwrap_or_else(|| default.clone());
        let values: Vec<KafkaSetting> = match kind {
            SettingKind::Acks => self
                .producers
                .iter()
                .map(|p| KafkaSetting::Acks(producer(p).acks))
                .collect(),
            SettingKind::Retries => self
                .producers
                .iter()
                .map(|p| KafkaSetting::Retries(producer(p).retries))
                .collect(),
            SettingKind::Idempotence => self
                .producers
                .iter()
                .map(|p| KafkaSetting::Idempotence(producer(p).idempotence().unwrap_or(false)))
                .collect(),
            SettingKind::MinInsyncReplicas => k
                .topics
                .iter()
                .map(|t| {
                    KafkaSetting::MinInsyncReplicas(
                        t.config
                            .min_insync_replicas
                            .unwrap_or(k.config.min_insync_replicas),
                    )
                })
                .collect(),
            SettingKind::UncleanLeaderElection => k
                .topics
                .iter()
                .map(|t| {
                    KafkaSetting::UncleanLeaderElection(
                        t.config
                            .unclean_leader_election_enable
                            .unwrap_or(k.config.unclean_leader_election_enable),
                    )
                })
                .collect(),
            SettingKind::AutoCommit => (0..self.lane_count())
                .flat_map(|lane| {
                    let topics = self
                        .services
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| matches!(s.source, Source::Topic(_)));
                    topics
                        .map(move |(i, _)| {
                            KafkaSetting::AutoCommit(self.policy(lane, i).ack == AckPolicy::Auto)
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
        };
        let first = *values.first()?;
        values.iter().all(|v| *v == first).then_some(first)
    }

    /// The settings of `settings` that change what this scenario runs,
    /// one per kind (the last of each), in [`SettingKind::ALL`]'s order:
    /// a setting is dropped when every setting's value reads the same
    /// without it (`enable.idempotence=false` on a producer that is not
    /// idempotent anyway). What a share link keeps.
    pub fn needed_kafka_settings(&self, settings: &[KafkaSetting]) -> Vec<KafkaSetting> {
        let mut last: Vec<KafkaSetting> = Vec::new();
        for kind in SettingKind::ALL {
            if let Some(s) = settings.iter().rev().find(|s| s.kind() == kind) {
                last.push(*s);
            }
        }
        let read = |list: &[KafkaSetting]| -> Option<Vec<Option<KafkaSetting>>> {
            let s = self.with_kafka_settings(list).ok()?;
            Some(
                SettingKind::ALL
                    .iter()
                    .map(|k| s.kafka_setting(*k))
                    .collect(),
            )
        };
        let mut i = 0;
        while i < last.len() {
            let mut without = last.clone();
            without.remove(i);
            if read(&without).is_some() && read(&without) == read(&last) {
                last = without;
            } else {
                i += 1;
            }
        }
        last
    }
}

/// A setting of either broker a lab lets the reader change: what a run
/// and a share link carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// A Kafka config, on a Kafka scenario.
    Kafka(KafkaSetting),
    /// A Redis config, on a Redis scenario.
    Redis(RedisSetting),
    /// The workload's shape, on either.
    Workload(WorkloadSetting),
}

impl Setting {
    /// The config it changes, verbatim.
    pub fn config_name(self) -> &'static str {
        match self {
            Setting::Kafka(k) => k.config_name(),
            Setting::Redis(r) => r.config_name(),
            Setting::Workload(w) => w.config_name(),
        }
    }

    /// Its value as the broker's own config writes it.
    pub fn value_text(self) -> String {
        match self {
            Setting::Kafka(k) => k.value_text(),
            Setting::Redis(r) => r.value_text().into(),
            Setting::Workload(w) => format!("{}", w.value()),
        }
    }

    /// The setting `name=value` names, of either broker.
    pub fn parse(name: &str, value: &str) -> Option<Setting> {
        KafkaSetting::parse(name, value)
            .map(Setting::Kafka)
            .or_else(|| RedisSetting::parse(name, value).map(Setting::Redis))
            .or_else(|| WorkloadSetting::parse(name, value).map(Setting::Workload))
    }

    /// How many configs there are: at most one setting of each.
    pub const CONFIGS: usize = SettingKind::ALL.len() + 1 + WorkloadKind::ALL.len();
}

impl Scenario {
    /// This scenario with `settings` applied: the workload's shape by
    /// [`Scenario::with_workload_settings`], then the Kafka ones by
    /// [`Scenario::with_kafka_settings`], then the Redis ones by
    /// [`Scenario::with_redis_settings`]; the broker's refusal if it
    /// refuses them.
    pub fn with_settings(&self, settings: &[Setting]) -> Result<Scenario, ScenarioError> {
        let (kafka, redis, workload) = split(settings);
        let s = match workload.as_slice() {
            [] => self.clone(),
            some => self.with_workload_settings(some)?,
        };
        let s = match kafka.as_slice() {
            [] => s,
            some => s.with_kafka_settings(some)?,
        };
        match redis.as_slice() {
            [] => Ok(s),
            some => s.with_redis_settings(some),
        }
    }

    /// The settings of `settings` that change what this scenario runs:
    /// [`Scenario::needed_kafka_settings`], then the last Redis setting
    /// if it is not the scenario's own, then
    /// [`Scenario::needed_workload_settings`]. What a share link keeps.
    pub fn needed_settings(&self, settings: &[Setting]) -> Vec<Setting> {
        let (kafka, redis, workload) = split(settings);
        let mut needed: Vec<Setting> = self
            .needed_kafka_settings(&kafka)
            .into_iter()
            .map(Setting::Kafka)
            .collect();
        if let Some(last) = redis.last().copied()
            && self.redis_setting() != Some(last)
        {
            needed.push(Setting::Redis(last));
        }
        needed.extend(
            self.needed_workload_settings(&workload)
                .into_iter()
                .map(Setting::Workload),
        );
        needed
    }
}

type Split = (Vec<KafkaSetting>, Vec<RedisSetting>, Vec<WorkloadSetting>);

fn split(settings: &[Setting]) -> Split {
    let mut split: Split = Default::default();
    for s in settings {
        match *s {
            Setting::Kafka(k) => split.0.push(k),
            Setting::Redis(r) => split.1.push(r),
            Setting::Workload(w) => split.2.push(w),
        }
    }
    split
}
