//! What the Kafka lab draws, computed from a Kafka lane's world: brokers
//! (rack, up or dead or cut off, a slow follower's fetch interval), each
//! partition's replicas as logs with their log end offset and high
//! watermark, the leader and its epoch, the ISR; producers with their
//! settings and their sends in flight; consumers with their partitions,
//! positions and the group's committed offsets; and what
//! `kafka-topics.sh --describe` and `kafka-consumer-groups.sh --describe`
//! print now. The web crate draws these numbers; it computes none.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::kafka::config::Acks;
use crate::kafka::describe::{describe_group, describe_topic};
use crate::kafka::producer::SendState;
use crate::kafka::{BrokerId, SendOutcome};
use crate::scenario::Source;
use crate::sim::World;
use crate::sim::actor::Actor;
use crate::sim::actor::kafka_consumer::KafkaLife;

/// How many of a log's newest records a replica strip shows, shared by
/// the partitions of a cluster (each shows at least
/// [`MIN_SHOWN_RECORDS`]), so that the consumers stay in view.
pub const SHOWN_RECORDS: usize = 12;

/// The fewest records a replica strip shows.
pub const MIN_SHOWN_RECORDS: usize = 4;

/// A broker's state, as the stage labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokerState {
    /// Running and reachable.
    Up,
    /// Its process is dead.
    Dead,
    /// Running but cut off the network.
    CutOff,
}

impl BrokerState {
    /// The stable name the page's `data-state` carries.
    pub fn as_str(self) -> &'static str {
        match self {
            BrokerState::Up => "up",
            BrokerState::Dead => "dead",
            BrokerState::CutOff => "cut-off",
        }
    }
}

/// One broker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerView {
    /// `node.id`.
    pub id: BrokerId,
    /// `broker.rack`.
    pub rack: Option<String>,
    /// Up, dead or cut off.
    pub state: BrokerState,
    /// The controller has fenced it (its leaderships moved).
    pub fenced: bool,
    /// A slow follower's fetch interval, in ms.
    pub slow_fetch_ms: Option<u64>,
}

/// One record in a replica's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordView {
    /// Its offset.
    pub offset: u64,
    /// The leader epoch it was written in.
    pub epoch: u32,
    /// Its value (a message name such as `order-7`).
    pub value: String,
    /// Below this replica's high watermark: committed, as far as it knows.
    pub committed: bool,
}

/// One broker's copy of a partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaView {
    /// The broker.
    pub broker: BrokerId,
    /// It leads the partition.
    pub leader: bool,
    /// It is in the ISR.
    pub in_sync: bool,
    /// Its log end offset.
    pub leo: u64,
    /// Its high watermark.
    pub hw: u64,
    /// The first offset its log holds (0: nothing truncated at the start).
    pub start: u64,
    /// Its newest records, oldest first (at most [`SHOWN_RECORDS`]).
    pub records: Vec<RecordView>,
}

/// One partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionView {
    /// Its topic.
    pub topic: String,
    /// Its index.
    pub index: u32,
    /// Its leader, if any.
    pub leader: Option<BrokerId>,
    /// The leader epoch.
    pub epoch: u32,
    /// The in-sync replicas.
    pub isr: Vec<BrokerId>,
    /// The eligible leader replicas (KIP-966): replicas that left the ISR
    /// while it was below `min.insync.replicas`, still safe to elect.
    pub elr: Vec<BrokerId>,
    /// The assignment, preferred leader first.
    pub replicas: Vec<BrokerId>,
    /// The leader's high watermark: what consumers may read up to.
    pub hw: u64,
    /// The leader's log end offset.
    pub leo: u64,
    /// Each replica, in assignment order.
    pub copies: Vec<ReplicaView>,
}

impl PartitionView {
    /// Its name as Kafka's tools print it (`orders-0`).
    pub fn tp(&self) -> String {
        crate::kafka::TopicPartition::new(&self.topic, self.index).to_string()
    }
}

/// One send a producer has not heard the end of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendView {
    /// The message.
    pub msg: String,
    /// Attempts so far.
    pub attempts: u32,
    /// Its sequence number (idempotent producers).
    pub sequence: Option<u32>,
    /// `in-flight` (waiting for an answer) or `backoff` (waiting to retry).
    pub state: &'static str,
}

/// One producer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaProducerView {
    /// Its name.
    pub name: String,
    /// `acks`.
    pub acks: &'static str,
    /// `retries`.
    pub retries: u32,
    /// Whether it is idempotent (and its producer id).
    pub producer_id: Option<u64>,
    /// Sends without an outcome yet.
    pub pending: Vec<SendView>,
    /// Sends whose callback was told success.
    pub acked: u64,
    /// Sends whose callback was told an error.
    pub failed: u64,
    /// The last error its callback was told, by Kafka's name.
    pub last_error: Option<&'static str>,
}

/// One consumer's partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedView {
    /// `topic-partition`.
    pub tp: String,
    /// The consumer's position: the next offset poll() returns.
    pub position: Option<u64>,
    /// The group's committed offset.
    pub committed: Option<u64>,
}

/// One consumer process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaConsumerView {
    /// Its name (`client.id`).
    pub name: String,
    /// Its service (its group).
    pub group: String,
    /// `up`, `crashed`, `stopped` or `not-started`.
    pub status: &'static str,
    /// Its member id in the group, while it is a member.
    pub member: Option<String>,
    /// Its partitions, positions and the committed offsets.
    pub assigned: Vec<AssignedView>,
    /// The record it is processing.
    pub working: Option<String>,
    /// Records polled and not processed yet.
    pub queued: usize,
    /// Processing speed in percent of normal time.
    pub slow_pct: u32,
}

/// One consumer group's committed offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupView {
    /// `group.id`.
    pub id: String,
    /// Committed offset per `topic-partition`.
    pub committed: Vec<(String, u64)>,
}

/// The Kafka lab's stage at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaView {
    /// Milliseconds since the start.
    pub time_ms: u64,
    /// The brokers.
    pub brokers: Vec<BrokerView>,
    /// Every partition of every topic.
    pub partitions: Vec<PartitionView>,
    /// The producers.
    pub producers: Vec<KafkaProducerView>,
    /// The consumers.
    pub consumers: Vec<KafkaConsumerView>,
    /// The groups.
    pub groups: Vec<GroupView>,
    /// `kafka-topics.sh --describe` of each topic.
    pub topic_describes: Vec<(String, String)>,
    /// `kafka-consumer-groups.sh --describe` of each group.
    pub group_describes: Vec<(String, String)>,
}

impl World {
    /// The Kafka stage now, if this lane runs Kafka.
    pub fn kafka_view(&self) -> Option<KafkaView> {
        let k = self.broker().kafka()?;
        let c = &k.cluster;
        let brokers = self.kafka_brokers()?;
        let mut partitions = Vec::new();
        let count: usize = c.topics.values().map(|t| t.partitions.len()).sum();
        let shown = (SHOWN_RECORDS / count.max(1)).max(MIN_SHOWN_RECORDS);
        for t in c.topics.values() {
            for p in &t.partitions {
                let copies = p
                    .assignment
                    .iter()
                    .filter_map(|b| {
                        let r = p.replicas.get(b)?;
                        let all = r.log.records();
                        let from = all.len().saturating_sub(shown);
                        Some(ReplicaView {
                            broker: *b,
                            leader: p.leader == Some(*b),
                            in_sync: p.isr.contains(b),
                            leo: r.leo(),
                            hw: r.hw,
                            start: r.log.start_offset(),
                            records: all[from..]
                                .iter()
                                .map(|rec| RecordView {
                                    offset: rec.offset,
                                    epoch: rec.leader_epoch,
                                    value: rec.value.clone(),
                                    committed: rec.offset < r.hw,
                                })
                                .collect(),
                        })
                    })
                    .collect();
                partitions.push(PartitionView {
                    topic: t.name.clone(),
                    index: p.index,
                    leader: p.leader,
                    epoch: p.leader_epoch,
                    isr: p.isr.clone(),
                    elr: p.elr.clone(),
                    replicas: p.assignment.clone(),
                    hw: p.high_watermark(),
                    leo: p.log_end_offset(),
                    copies,
                });
            }
        }
        let producers = self
            .scenario()
            .producers
            .iter()
            .zip(&k.producers)
            .filter_map(|(spec, handle)| {
                let p = c.producers.get(&(*handle)?)?;
                let mut view = KafkaProducerView {
                    name: spec.name.clone(),
                    acks: match p.config.acks {
                        Acks::Zero => "0",
                        Acks::One => "1",
                        Acks::All => "all",
                    },
                    retries: p.config.retries,
                    producer_id: p.producer_id,
                    pending: Vec::new(),
                    acked: 0,
                    failed: 0,
                    last_error: None,
                };
                for s in p.sends.values() {
                    let msg = || {
                        k.sends
                            .get(&(p.handle, s.id))
                            .map_or_else(|| s.value.clone(), |m| self.msg_name(*m))
                    };
                    match &s.state {
                        SendState::Done(SendOutcome::Acked { .. }) => view.acked += 1,
                        SendState::Done(SendOutcome::Failed { error }) => {
                            view.failed += 1;
                            view.last_error = Some(error.name());
                        }
                        SendState::InFlight { .. } => view.pending.push(SendView {
                            msg: msg(),
                            attempts: s.attempts,
                            sequence: s.sequence,
                            state: "in-flight",
                        }),
                        SendState::Backoff { .. } => view.pending.push(SendView {
                            msg: msg(),
                            attempts: s.attempts,
                            sequence: s.sequence,
                            state: "backoff",
                        }),
                    }
                }
                Some(view)
            })
            .collect();
        let consumers = self.kafka_consumers();
        let group_ids = self.kafka_groups();
        let groups = group_ids
            .iter()
            .map(|g| GroupView {
                id: g.clone(),
                committed: c
                    .offsets
                    .of_group(g)
                    .map(|(tp, o)| (tp.to_string(), o.offset))
                    .collect(),
            })
            .collect();
        Some(KafkaView {
            time_ms: self.now().since_start().as_ms(),
            brokers,
            partitions,
            producers,
            consumers,
            groups,
            topic_describes: c
                .topics
                .keys()
                .filter_map(|t| Some((t.clone(), describe_topic(c, t)?)))
                .collect(),
            group_describes: group_ids
                .iter()
                .filter_map(|g| Some((g.clone(), describe_group(c, g)?)))
                .collect(),
        })
    }
}

impl World {
    /// The Kafka lane's brokers now (`None` for a Redis lane).
    pub fn kafka_brokers(&self) -> Option<Vec<BrokerView>> {
        let c = &self.broker().kafka()?.cluster;
        Some(
            c.brokers
                .values()
                .map(|b| BrokerView {
                    id: b.id,
                    rack: b.rack.clone(),
                    state: match (b.up, b.isolated) {
                        (false, _) => BrokerState::Dead,
                        (true, true) => BrokerState::CutOff,
                        (true, false) => BrokerState::Up,
                    },
                    fenced: b.fenced,
                    slow_fetch_ms: b.fetch_interval_ms,
                })
                .collect(),
        )
    }

    /// The consumer groups the scenario's services read as, in the
    /// scenario's order.
    pub fn kafka_groups(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .scenario()
            .services
            .iter()
            .filter_map(|s| match &s.source {
                Source::Topic(t) => Some(t.group.clone()),
                _ => None,
            })
            .collect();
        ids.dedup();
        ids
    }

    /// Every Kafka consumer process now: its status, its partitions with
    /// its positions and its group's committed offsets, what it holds
    /// (empty for a Redis lane).
    pub fn kafka_consumers(&self) -> Vec<KafkaConsumerView> {
        let Some(k) = self.broker().kafka() else {
            return Vec::new();
        };
        let c = &k.cluster;
        self.actors()
            .iter()
            .filter_map(|a| match a {
                Actor::KafkaConsumer(kc) => Some(kc),
                _ => None,
            })
            .map(|kc| {
                let group = match &self.scenario().services[usize::from(kc.service)].source {
                    Source::Topic(t) => t.group.clone(),
                    _ => String::new(),
                };
                let con = kc.handle().and_then(|h| c.consumers.get(&h));
                let assigned = con
                    .map(|con| {
                        con.assignment
                            .iter()
                            .map(|tp| AssignedView {
                                tp: tp.to_string(),
                                position: con.positions.get(tp).copied(),
                                committed: c.committed(&group, &tp.topic, tp.partition),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                KafkaConsumerView {
                    name: String::from_utf8_lossy(&kc.name).into_owned(),
                    status: match kc.life() {
                        KafkaLife::NotStarted => "not-started",
                        KafkaLife::Running(_) => "up",
                        KafkaLife::Crashed => "crashed",
                        KafkaLife::Stopped => "stopped",
                    },
                    member: con.and_then(|con| con.member_id.clone()),
                    assigned,
                    working: kc.working().and_then(|w| w.msg).map(|m| self.msg_name(m)),
                    queued: kc.queued().count(),
                    slow_pct: kc.slow_pct(),
                    group,
                }
            })
            .collect()
    }
}
