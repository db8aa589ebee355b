//! A Kafka lane at a glance, for one service: what the Guarantees lab
//! draws small under each lane's counters. The brokers up or down; each
//! partition as one strip — the leader's newest records, those below the
//! high watermark committed, the group's committed offset and (with
//! transactions) the last stable offset marked, each record held by a
//! consumer named, a transaction's records and its commit or abort
//! marker told apart; the service's consumers with their positions. The
//! Kafka lab's [`KafkaView`](super::kafka::KafkaView) shows every replica
//! and the describe outputs; a lane stacked with two others has room for
//! one strip per partition only.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::kafka::log::Marker;
use crate::kafka::partition::Partition;
use crate::kafka::replica::Replica;
use crate::kafka::{BrokerId, TopicPartition};
use crate::scenario::Source;
use crate::sim::World;
use crate::sim::actor::Actor;

use super::kafka::{BrokerView, KafkaConsumerView};

/// How many records a lane's strips show between them (each between
/// [`MIN_STRIP_RECORDS`] and [`MAX_STRIP_RECORDS`]): two strips side by
/// side, two rows of them, fit across a lane at a laptop's width.
pub const STRIP_RECORDS: usize = 56;

/// The fewest records one strip shows.
pub const MIN_STRIP_RECORDS: usize = 10;

/// The most records one strip shows: as many as fit in half a lane at a
/// laptop's width, two strips side by side.
pub const MAX_STRIP_RECORDS: usize = 14;

/// How many records a strip shows before the oldest one its group holds
/// or would resume at, when that one is older than the newest records.
const CONTEXT_RECORDS: usize = 2;

/// A transaction's control record: the marker a transaction coordinator
/// writes to end a transaction on each partition it touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlMark {
    /// COMMIT: the transaction's records become readable to
    /// `read_committed` consumers.
    Commit,
    /// ABORT: they are skipped.
    Abort,
}

impl ControlMark {
    /// The stable name the page's `data-control` carries.
    pub const fn slug(self) -> &'static str {
        match self {
            ControlMark::Commit => "commit",
            ControlMark::Abort => "abort",
        }
    }
}

/// One record of a strip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StripRecord {
    /// Its offset.
    pub offset: u64,
    /// Its value (a message name such as `order-7`).
    pub value: String,
    /// Below the high watermark: committed, readable by consumers.
    pub committed: bool,
    /// The consumer that polled it and has not processed it yet.
    pub held_by: Option<String>,
    /// That consumer is processing it now.
    pub working: bool,
    /// Written by a transactional producer.
    pub transactional: bool,
    /// Part of a transaction that aborted: `read_committed` consumers
    /// skip it.
    pub aborted: bool,
    /// A control record (a transaction's commit or abort marker), not
    /// data.
    pub control: Option<ControlMark>,
}

/// One partition as one strip: the leader's log (or, with no leader, the
/// log of the replica a consumer would most likely read next).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionStrip {
    /// `topic-partition`.
    pub tp: String,
    /// Its leader, if any.
    pub leader: Option<BrokerId>,
    /// The leader epoch.
    pub epoch: u32,
    /// The in-sync replicas.
    pub isr: Vec<BrokerId>,
    /// The high watermark of the log drawn: consumers read below it.
    pub hw: u64,
    /// The log end offset of the log drawn.
    pub leo: u64,
    /// The last stable offset, for a partition transactions write to:
    /// `read_committed` consumers read below it (the HW, unless a
    /// transaction is still open).
    pub lso: Option<u64>,
    /// Whether the service's group reads this partition's topic (an
    /// output topic it only writes to has no committed offset).
    pub read: bool,
    /// The service's group's committed offset: where a new owner resumes.
    pub committed: Option<u64>,
    /// Records older than the strip's window, not drawn one by one.
    pub earlier: u64,
    /// Records newer than the window (while the group is far behind).
    pub later: u64,
    /// The newest records, oldest first.
    pub records: Vec<StripRecord>,
}

/// One service's Kafka cluster at a glance: the topics it reads and
/// writes, and any other topic that holds records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaGlance {
    /// The service's consumer group.
    pub group: String,
    /// The brokers.
    pub brokers: Vec<BrokerView>,
    /// Every partition of every topic, in the cluster's order.
    pub partitions: Vec<PartitionStrip>,
    /// The service's consumers.
    pub consumers: Vec<KafkaConsumerView>,
}

impl World {
    /// Service `service`'s Kafka cluster now, small; `None` in a Redis
    /// lane or for a service that reads no topic.
    pub fn kafka_glance(&self, service: usize) -> Option<KafkaGlance> {
        let c = &self.broker().kafka()?.cluster;
        let (group, topic, output) = match &self.scenario().services.get(service)?.source {
            Source::Topic(t) => (t.group.clone(), t.topic.clone(), t.output.clone()),
            _ => return None,
        };
        // Only an exactly-once service writes its output topic: elsewhere
        // that topic stays empty, and is left out.
        let lane = usize::from(self.lane());
        let writes = output.filter(|_| self.scenario().policy(lane, service).dedup());
        let unused = |t: &str, p: &Partition| {
            t != topic && Some(t) != writes.as_deref() && p.log_end_offset() == 0
        };
        let held = self.held_records(service);
        let count = c
            .topics
            .values()
            .flat_map(|t| &t.partitions)
            .filter(|p| !unused(&p.topic, p))
            .count();
        let shown = (STRIP_RECORDS / count.max(1)).clamp(MIN_STRIP_RECORDS, MAX_STRIP_RECORDS);
        let partitions = c
            .topics
            .values()
            .flat_map(|t| &t.partitions)
            .filter(|p| !unused(&p.topic, p))
            .filter_map(|p| {
                let tp = TopicPartition::new(&p.topic, p.index);
                let read = tp.topic == topic;
                let committed = c.committed(&group, &tp.topic, tp.partition);
                strip(p, tp, read, committed, shown, &held)
            })
            .collect();
        Some(KafkaGlance {
            brokers: self.kafka_brokers()?,
            partitions,
            consumers: self
                .kafka_consumers()
                .into_iter()
                .filter(|k| k.group == group)
                .collect(),
            group,
        })
    }

    /// The records service `service`'s consumers hold — polled, not
    /// processed yet — by partition and offset: the consumer's name, and
    /// whether it is processing the record now.
    fn held_records(&self, service: usize) -> BTreeMap<(TopicPartition, u64), (String, bool)> {
        let mut held = BTreeMap::new();
        for a in self.actors() {
            let Actor::KafkaConsumer(kc) = a else {
                continue;
            };
            if usize::from(kc.service) != service {
                continue;
            }
            let name = String::from_utf8_lossy(&kc.name).into_owned();
            if let Some(w) = kc.working() {
                let r = &w.record;
                held.insert((r.tp.clone(), r.offset), (name.clone(), true));
            }
            for r in kc.queued() {
                held.insert((r.tp.clone(), r.offset), (name.clone(), false));
            }
        }
        held
    }
}

/// The replica a strip draws: the leader's; with no leader, the first in
/// assignment order whose broker holds the longest log (the one a clean
/// election is likeliest to pick, and the most there is to see).
fn drawn_replica(p: &Partition) -> Option<&Replica> {
    p.leader_replica().or_else(|| {
        p.assignment.iter().filter_map(|b| p.replicas.get(b)).fold(
            None,
            |best: Option<&Replica>, r| match best {
                Some(b) if b.leo() >= r.leo() => Some(b),
                _ => Some(r),
            },
        )
    })
}

/// Partition `p` as a strip of `shown` records: the newest, or from just
/// before the oldest record the group still holds or would resume at.
fn strip(
    p: &Partition,
    tp: TopicPartition,
    read: bool,
    committed: Option<u64>,
    shown: usize,
    held: &BTreeMap<(TopicPartition, u64), (String, bool)>,
) -> Option<PartitionStrip> {
    let r = drawn_replica(p)?;
    let all = r.log.records();
    // The newest records, unless the group still cares about older ones:
    // then from (a little before) the oldest it holds or would resume at.
    let oldest_wanted = held
        .keys()
        .filter(|(at, _)| *at == tp)
        .map(|(_, offset)| *offset)
        .chain(committed)
        .min()
        .and_then(|o| usize::try_from(o).ok());
    let newest = all.len().saturating_sub(shown);
    let from = oldest_wanted.map_or(newest, |o| newest.min(o.saturating_sub(CONTEXT_RECORDS)));
    let to = all.len().min(from + shown);
    let records = all[from..to]
        .iter()
        .map(|rec| {
            let holder = held.get(&(tp.clone(), rec.offset));
            StripRecord {
                offset: rec.offset,
                value: rec.value.clone(),
                committed: rec.offset < r.hw,
                held_by: holder.map(|(name, _)| name.clone()),
                working: holder.is_some_and(|(_, working)| *working),
                transactional: rec.transactional,
                aborted: r.log.aborted(rec),
                control: rec.control.map(|m| match m {
                    Marker::Commit => ControlMark::Commit,
                    Marker::Abort => ControlMark::Abort,
                }),
            }
        })
        .collect();
    Some(PartitionStrip {
        tp: tp.to_string(),
        leader: p.leader,
        epoch: p.leader_epoch,
        isr: p.isr.clone(),
        hw: r.hw,
        leo: r.leo(),
        lso: all
            .iter()
            .any(|rec| rec.transactional)
            .then(|| r.log.last_stable_offset(r.hw)),
        read,
        committed,
        earlier: from as u64,
        later: (all.len() - to) as u64,
        records,
    })
}
