//! The Kafka half of a scenario: the cluster a run uses instead of Redis
//! (brokers with racks, topics with their replica assignment, broker
//! configs), producers' client configs and consumer groups. Configs are
//! written with Kafka's own names (`min.insync.replicas`, `acks`,
//! `enable.idempotence`…), so a scenario reads like `server.properties`
//! and a client's `Properties`.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::kafka::{BrokerConfig, ConsumerConfig, ProducerConfig, TopicConfig};

/// A Kafka cluster (KRaft: a controller beside the brokers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaSpec {
    /// The brokers, by `node.id`, with their `broker.rack`.
    pub brokers: Vec<KafkaBrokerSpec>,
    /// `server.properties` shared by every broker.
    #[serde(default)]
    pub config: BrokerConfig,
    /// The topics, created before the run starts.
    pub topics: Vec<TopicSpec>,
}

/// One broker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaBrokerSpec {
    /// `node.id`.
    pub id: u32,
    /// `broker.rack`.
    #[serde(default)]
    pub rack: Option<String>,
}

/// A topic, as `kafka-topics.sh --create` makes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    /// Its name.
    pub name: String,
    /// `--partitions` (1).
    #[serde(default = "one")]
    pub partitions: u32,
    /// `--replica-assignment`: each partition's replicas, preferred leader
    /// first. Without it, replicas are spread over the brokers in order
    /// and `replication_factor` says how many.
    #[serde(default)]
    pub assignment: Option<Vec<Vec<u32>>>,
    /// `--replication-factor` (the brokers' `default.replication.factor`).
    #[serde(default)]
    pub replication_factor: Option<u32>,
    /// `--config k=v` overrides.
    #[serde(default)]
    pub config: TopicConfig,
}

fn one() -> u32 {
    1
}

/// A consumer group reading a topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSource {
    /// The topic it subscribes to.
    pub topic: String,
    /// `group.id`.
    pub group: String,
    /// The consumers' other settings (`auto.offset.reset`,
    /// `session.timeout.ms`…). `group.id` and `client.id` come from the
    /// service and the worker; `enable.auto.commit` from the service's
    /// `ack` (`auto` turns it on; a manual commit policy turns it off, as
    /// an application that commits by hand does).
    #[serde(default)]
    pub config: ConsumerConfig,
    /// The topic the service writes each record's result to
    /// (read-process-write). Needed by exactly-once, which writes it in a
    /// transaction together with the input's offsets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// A producer's client settings, for producers that write to topics.
pub type KafkaProducerConfig = ProducerConfig;

/// A broker a fault names: `broker-2`, or `leader` — whichever broker
/// leads the first topic's partition 0 when the fault strikes (and, for a
/// restart, the one a `leader` fault brought down last).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokerRole {
    /// The current leader of the first topic's partition 0.
    Leader,
    /// The broker with this `node.id`.
    Id(u32),
}

impl BrokerRole {
    /// The broker `role` names, if it names one.
    pub fn parse(role: &str) -> Option<BrokerRole> {
        if role == "leader" {
            return Some(BrokerRole::Leader);
        }
        let id = role.strip_prefix("broker-")?;
        if id.is_empty() || id.len() > 4 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        id.parse().ok().map(BrokerRole::Id)
    }
}

impl KafkaSpec {
    /// Partition `p`'s replicas of topic `t`, preferred leader first: the
    /// explicit assignment, or the replication factor's worth of brokers
    /// from broker `p` on, in order (Kafka's rack-unaware placement,
    /// without its random start so that runs are reproducible).
    pub fn assignment(&self, t: &TopicSpec) -> Vec<Vec<u32>> {
        if let Some(a) = &t.assignment {
            return a.clone();
        }
        let n = self.brokers.len();
        let rf = t
            .replication_factor
            .unwrap_or(self.config.default_replication_factor) as usize;
        (0..t.partitions as usize)
            .map(|p| {
                (0..rf.min(n))
                    .map(|r| self.brokers[(p + r) % n].id)
                    .collect()
            })
            .collect()
    }

    /// The topic named `name`.
    pub fn topic(&self, name: &str) -> Option<&TopicSpec> {
        self.topics.iter().find(|t| t.name == name)
    }
}
