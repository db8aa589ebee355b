//! Configs as typed structs. Every field names the Kafka config it stands
//! for, verbatim, and Kafka's current default (3.x/4.x), so a scenario reads
//! like a `server.properties` or a client's `Properties`. Knobs that are the
//! model's own (not Kafka configs) say so.

use alloc::string::String;

use crate::kafka::error::ErrorCode;

/// Broker-wide settings (`server.properties`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[serde(deny_unknown_fields)]
pub struct BrokerConfig {
    /// `replica.lag.time.max.ms` (30000): a follower that has not caught up
    /// to the leader's log end for this long leaves the ISR. The leader
    /// checks every half of it, as Kafka's `isr-expiration` task does.
    #[serde(rename = "replica.lag.time.max.ms")]
    pub replica_lag_time_max_ms: u64,
    /// `min.insync.replicas` (1): the broker default; a topic may override.
    #[serde(rename = "min.insync.replicas")]
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable` (false): the broker default; a
    /// topic may override.
    #[serde(rename = "unclean.leader.election.enable")]
    pub unclean_leader_election_enable: bool,
    /// `default.replication.factor` (1): used when a topic is created
    /// without one.
    #[serde(rename = "default.replication.factor")]
    pub default_replication_factor: u32,
    /// `broker.session.timeout.ms` (9000, KRaft): how long the controller
    /// waits for a silent broker's heartbeat before fencing it and moving
    /// its leaderships. This is the window in which a dead leader is still
    /// everyone's leader.
    #[serde(rename = "broker.session.timeout.ms")]
    pub broker_session_timeout_ms: u64,
    /// Model knob (not a Kafka config): how often a follower fetches from
    /// its leader. A real follower long-polls (`replica.fetch.wait.max.ms`,
    /// 500) and gets new data as soon as it is appended; the model fetches
    /// in rounds so that each copy is one visible step.
    pub follower_fetch_interval_ms: u64,
    /// Model knob: `true` is Kafka ≥ 3.7 (KAFKA-15583, "strict min ISR"):
    /// the high watermark does not advance while the ISR is smaller than
    /// `min.insync.replicas`. `false` is Kafka ≤ 3.6, where it does, and an
    /// acks=all write whose ISR shrank after append is answered
    /// NOT_ENOUGH_REPLICAS_AFTER_APPEND instead of waiting to time out.
    pub strict_min_isr: bool,
    /// Model knob for Kafka's `eligible.leader.replicas.version` feature
    /// (KIP-966): `true` is a cluster formatted by Kafka ≥ 4.1, where it is
    /// on by default. Then a replica that leaves the ISR while the ISR is
    /// below `min.insync.replicas` joins the ELR (`Elr:` in describe), and
    /// the controller sets `min.insync.replicas` cluster-wide, so `kafka-topics
    /// --describe` lists it for every topic (as recorded from Kafka 4.4).
    pub eligible_leader_replicas: bool,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        BrokerConfig {
            replica_lag_time_max_ms: 30_000,
            min_insync_replicas: 1,
            unclean_leader_election_enable: false,
            default_replication_factor: 1,
            broker_session_timeout_ms: 9_000,
            follower_fetch_interval_ms: 500,
            strict_min_isr: true,
            eligible_leader_replicas: true,
        }
    }
}

/// Per-topic overrides (`kafka-topics.sh --create --config k=v`). `None`
/// takes the broker's value; describe prints only the overrides, as
/// `kafka-topics.sh --describe` prints only non-default configs.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[serde(deny_unknown_fields)]
pub struct TopicConfig {
    /// `min.insync.replicas`.
    #[serde(rename = "min.insync.replicas")]
    pub min_insync_replicas: Option<u32>,
    /// `unclean.leader.election.enable`.
    #[serde(rename = "unclean.leader.election.enable")]
    pub unclean_leader_election_enable: Option<bool>,
}

/// `acks`: how many replicas must have a record before the producer is told
/// it is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Acks {
    /// `acks=0`: fire and forget; the callback gets offset -1 at once.
    #[serde(rename = "0")]
    Zero,
    /// `acks=1`: the leader's own append.
    #[serde(rename = "1")]
    One,
    /// `acks=all` (= -1, the default since 3.0): every ISR member.
    #[default]
    #[serde(rename = "all")]
    All,
}

/// Producer settings (`ProducerConfig`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[serde(deny_unknown_fields)]
pub struct ProducerConfig {
    /// `client.id`: how the producer is named in events.
    #[serde(rename = "client.id")]
    pub client_id: String,
    /// `acks` (all).
    pub acks: Acks,
    /// `retries` (2147483647): in practice bounded by `delivery.timeout.ms`.
    pub retries: u32,
    /// `retry.backoff.ms` (100).
    #[serde(rename = "retry.backoff.ms")]
    pub retry_backoff_ms: u64,
    /// `request.timeout.ms` (30000): how long the client waits for an
    /// answer, and how long the broker holds an acks=all write waiting for
    /// the ISR.
    /// `retry.backoff.max.ms` (1000, Kafka ≥ 3.7, KIP-580): the backoff
    /// doubles from `retry.backoff.ms` with each failed attempt, up to this.
    #[serde(rename = "retry.backoff.max.ms")]
    pub retry_backoff_max_ms: u64,
    #[serde(rename = "request.timeout.ms")]
    pub request_timeout_ms: u64,
    /// `delivery.timeout.ms` (120000): the upper bound on a send, retries
    /// included.
    #[serde(rename = "delivery.timeout.ms")]
    pub delivery_timeout_ms: u64,
    /// `max.in.flight.requests.per.connection` (5): idempotence needs ≤ 5,
    /// because the broker remembers the last 5 batches per producer.
    #[serde(rename = "max.in.flight.requests.per.connection")]
    pub max_in_flight_requests_per_connection: u32,
    /// `enable.idempotence` (true since 3.0). `None` means "not set": then
    /// it is on unless a conflicting setting turns it off silently (acks≠all,
    /// retries=0, max.in.flight>5), as KIP-679 specifies; `Some(true)` with
    /// a conflict is a `ConfigException`.
    #[serde(rename = "enable.idempotence")]
    pub enable_idempotence: Option<bool>,
    /// `linger.ms` (5 since 4.0): recorded, not modelled — each send is its
    /// own batch.
    #[serde(rename = "linger.ms")]
    pub linger_ms: u64,
    /// `transactional.id` (none): set, the producer is transactional —
    /// `initTransactions()` gets its producer id and epoch from the
    /// transaction coordinator, fencing any earlier instance with the same
    /// id, and its sends belong to transactions that commit or abort as a
    /// whole. Needs idempotence.
    #[serde(rename = "transactional.id", skip_serializing_if = "Option::is_none")]
    pub transactional_id: Option<String>,
    /// `transaction.timeout.ms` (60000): the coordinator aborts a
    /// transaction left open this long (its producer died, say).
    #[serde(rename = "transaction.timeout.ms")]
    pub transaction_timeout_ms: u64,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            client_id: String::from("producer-1"),
            acks: Acks::All,
            retries: i32::MAX as u32,
            retry_backoff_ms: 100,
            retry_backoff_max_ms: 1_000,
            request_timeout_ms: 30_000,
            delivery_timeout_ms: 120_000,
            max_in_flight_requests_per_connection: 5,
            enable_idempotence: None,
            linger_ms: 5,
            transactional_id: None,
            transaction_timeout_ms: 60_000,
        }
    }
}

impl ProducerConfig {
    /// Whether the producer is idempotent, as `ProducerConfig` decides it
    /// (KIP-679), or the `ConfigException` an explicit conflict raises.
    pub fn idempotence(&self) -> Result<bool, ErrorCode> {
        let conflict = self.acks != Acks::All
            || self.retries == 0
            || self.max_in_flight_requests_per_connection > 5;
        match self.enable_idempotence {
            // "Cannot set a transactional.id without also enabling
            // idempotence."
            _ if self.transactional_id.is_some() && conflict => Err(ErrorCode::ConfigException),
            Some(false) if self.transactional_id.is_some() => Err(ErrorCode::ConfigException),
            Some(true) if conflict => Err(ErrorCode::ConfigException),
            Some(explicit) => Ok(explicit),
            None => Ok(!conflict),
        }
    }
}

/// `auto.offset.reset`: where a consumer starts on a partition its group
/// has no committed offset for (or whose offset is out of range).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoOffsetReset {
    /// The log's start.
    Earliest,
    /// The high watermark (the default): only records written from now on.
    #[default]
    Latest,
    /// Fail with `NoOffsetForPartitionException`.
    None,
}

/// `partition.assignment.strategy`: the eager assignors of the classic
/// protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssignorKind {
    /// `RangeAssignor` (first in the default list): per topic, consecutive
    /// partitions to members sorted by member id.
    #[default]
    Range,
    /// `RoundRobinAssignor`: all partitions dealt round the members.
    RoundRobin,
}

impl AssignorKind {
    /// The protocol name the group reports (`range`, `roundrobin`).
    pub fn protocol_name(self) -> &'static str {
        match self {
            AssignorKind::Range => "range",
            AssignorKind::RoundRobin => "roundrobin",
        }
    }
}

/// Consumer settings (`ConsumerConfig`), classic group protocol.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[serde(deny_unknown_fields)]
pub struct ConsumerConfig {
    /// `group.id`.
    #[serde(rename = "group.id")]
    pub group_id: String,
    /// `client.id`: the member id is `client.id` plus a suffix, as in
    /// Kafka (where the suffix is a UUID; here a counter, for determinism).
    #[serde(rename = "client.id")]
    pub client_id: String,
    /// `enable.auto.commit` (true).
    #[serde(rename = "enable.auto.commit")]
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms` (5000).
    #[serde(rename = "auto.commit.interval.ms")]
    pub auto_commit_interval_ms: u64,
    /// `auto.offset.reset` (latest).
    #[serde(rename = "auto.offset.reset")]
    pub auto_offset_reset: AutoOffsetReset,
    /// `session.timeout.ms` (45000): a member whose heartbeats stop (the
    /// process died) is removed after this long.
    #[serde(rename = "session.timeout.ms")]
    pub session_timeout_ms: u64,
    /// `heartbeat.interval.ms` (3000).
    #[serde(rename = "heartbeat.interval.ms")]
    pub heartbeat_interval_ms: u64,
    /// `max.poll.interval.ms` (300000): a member that does not poll for this
    /// long leaves the group (its heartbeat thread sends LeaveGroup); also
    /// the rebalance timeout.
    #[serde(rename = "max.poll.interval.ms")]
    pub max_poll_interval_ms: u64,
    /// `max.poll.records` (500).
    #[serde(rename = "max.poll.records")]
    pub max_poll_records: u32,
    /// `partition.assignment.strategy` ([RangeAssignor,
    /// CooperativeStickyAssignor]; only the eager ones are modelled).
    #[serde(rename = "partition.assignment.strategy")]
    pub partition_assignment_strategy: AssignorKind,
    /// `isolation.level` (read_uncommitted): `read_committed` reads only
    /// up to the last stable offset and skips aborted transactions'
    /// records.
    #[serde(rename = "isolation.level")]
    pub isolation_level: IsolationLevel,
}

/// `isolation.level`: what a consumer reads of transactional records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IsolationLevel {
    /// Everything up to the high watermark, aborted records included
    /// (control markers are never returned).
    #[default]
    ReadUncommitted,
    /// Up to the last stable offset (the first offset of the oldest
    /// transaction still open), without aborted records.
    ReadCommitted,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            group_id: String::from("group-1"),
            client_id: String::from("consumer-1"),
            enable_auto_commit: true,
            auto_commit_interval_ms: 5_000,
            auto_offset_reset: AutoOffsetReset::Latest,
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            max_poll_records: 500,
            partition_assignment_strategy: AssignorKind::Range,
            isolation_level: IsolationLevel::ReadUncommitted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotence_follows_kip_679() {
        let mut c = ProducerConfig::default();
        assert_eq!(c.idempotence(), Ok(true));
        c.acks = Acks::One;
        assert_eq!(c.idempotence(), Ok(false), "silently off when not set");
        c.enable_idempotence = Some(true);
        assert_eq!(c.idempotence(), Err(ErrorCode::ConfigException));
        let c = ProducerConfig {
            retries: 0,
            ..ProducerConfig::default()
        };
        assert_eq!(c.idempotence(), Ok(false));
    }

    #[test]
    fn defaults_are_kafkas() {
        let b = BrokerConfig::default();
        assert_eq!(b.replica_lag_time_max_ms, 30_000);
        assert!(!b.unclean_leader_election_enable);
        let p = ProducerConfig::default();
        assert_eq!(
            (p.acks, p.delivery_timeout_ms, p.retry_backoff_ms),
            (Acks::All, 120_000, 100)
        );
        let c = ConsumerConfig::default();
        assert_eq!(c.session_timeout_ms, 45_000);
        assert_eq!(c.auto_offset_reset, AutoOffsetReset::Latest);
    }
}
