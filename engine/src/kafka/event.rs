//! The Kafka model's trace: every state change as a typed event, in the
//! order it happened, carrying what the UI needs to draw it (which broker,
//! which partition, from which offset to which).

use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::error::ErrorCode;

/// A broker's `node.id`.
pub type BrokerId = u32;

/// A producer instance in the cluster (the model's handle, not Kafka's
/// producer id, which is [`Event::ProducerIdAssigned`]'s `producer_id`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ProducerHandle(pub u32);

/// One `send()` of one producer: the callback is told about it once.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct SendId(pub u64);

/// A consumer instance (the model's handle).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ConsumerHandle(pub u32);

/// A topic's partition.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct TopicPartition {
    /// The topic's name.
    pub topic: String,
    /// The partition's index.
    pub partition: u32,
}

impl TopicPartition {
    /// `topic`-`partition`.
    pub fn new(topic: &str, partition: u32) -> Self {
        TopicPartition {
            topic: String::from(topic),
            partition,
        }
    }
}

/// `topic-partition`, as Kafka's tools and logs name a partition
/// (`orders-0`).
impl core::fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// A record as the UI shows it: where it sat and what it said.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordRef {
    /// Its offset in the partition.
    pub offset: u64,
    /// The leader epoch it was written in.
    pub leader_epoch: u32,
    /// Its value (the payload, e.g. a message reference like `orders-7`).
    pub value: String,
    /// A transaction marker's kind, for a control record.
    #[serde(default)]
    pub control: Option<crate::kafka::log::Marker>,
}

/// Why a member left a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeaveReason {
    /// `close()`: LeaveGroup.
    Left,
    /// No heartbeat for `session.timeout.ms` (the process died).
    SessionTimeout,
    /// No poll for `max.poll.interval.ms`: the heartbeat thread left.
    PollTimeout,
    /// It did not rejoin within the rebalance timeout.
    RebalanceTimeout,
}

/// What the producer's callback is told.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum SendOutcome {
    /// `RecordMetadata`: the offset, or `None` for acks=0 (Kafka's -1).
    Acked { offset: Option<u64> },
    /// The exception, by Kafka's error name.
    Failed { error: ErrorCode },
}

/// One state change of the simulated Kafka cluster.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    // ----- brokers and faults -----
    /// The broker process died (kill -9). The controller does not know yet.
    BrokerKilled { broker: BrokerId },
    /// The broker came back with its log as it was on disk and registered.
    BrokerRestarted { broker: BrokerId },
    /// The broker was cut off the network (nobody reaches it, it reaches
    /// nobody).
    BrokerIsolated { broker: BrokerId },
    /// The broker's network came back.
    BrokerReconnected { broker: BrokerId },
    /// The controller stopped waiting for the broker's heartbeat
    /// (`broker.session.timeout.ms`) and fenced it: its leaderships move.
    BrokerFenced { broker: BrokerId },
    /// The follower's fetches now come every `interval_ms` (a slow disk, a
    /// long GC, a saturated link).
    FollowerSlowed { broker: BrokerId, interval_ms: u64 },

    // ----- topics, logs, replication -----
    /// A topic and its replica assignment (`replicas[p]` is partition
    /// `p`'s replicas, preferred leader first).
    TopicCreated {
        topic: String,
        replicas: Vec<Vec<BrokerId>>,
    },
    /// The leader appended a record from a producer.
    RecordAppended {
        topic: String,
        partition: u32,
        broker: BrokerId,
        record: RecordRef,
        producer: Option<ProducerHandle>,
        send: Option<SendId>,
    },
    /// A follower fetched from its leader: it told the leader its log end
    /// (`fetch_offset`) and copied `records`.
    FollowerFetched {
        topic: String,
        partition: u32,
        follower: BrokerId,
        leader: BrokerId,
        fetch_offset: u64,
        records: Vec<RecordRef>,
        leader_hw: u64,
    },
    /// A replica's high watermark moved (on the leader: the ISR's smallest
    /// log end; on a follower: what the last fetch response said).
    HighWatermarkAdvanced {
        topic: String,
        partition: u32,
        broker: BrokerId,
        from: u64,
        to: u64,
    },
    /// A follower left the ISR: it had not caught up for
    /// `replica.lag.time.max.ms`, or the controller fenced it.
    IsrShrunk {
        topic: String,
        partition: u32,
        removed: BrokerId,
        isr: Vec<BrokerId>,
    },
    /// A follower rejoined the ISR: its log end reached the high watermark.
    IsrExpanded {
        topic: String,
        partition: u32,
        added: BrokerId,
        isr: Vec<BrokerId>,
    },
    /// The controller chose a leader (`None`: nobody eligible, the
    /// partition is offline). `clean` is false for an unclean election:
    /// the new leader was not in the ISR. `leader_log_end` is where the new
    /// leader's log ends: acknowledged records above it are gone.
    LeaderElected {
        topic: String,
        partition: u32,
        leader: Option<BrokerId>,
        leader_epoch: u32,
        clean: bool,
        isr: Vec<BrokerId>,
        leader_log_end: u64,
    },
    /// A replica cut its log where it diverges from the leader's, found by
    /// leader epoch (KIP-101). `lost` are the records it removed.
    LogTruncated {
        topic: String,
        partition: u32,
        broker: BrokerId,
        to_offset: u64,
        lost: Vec<RecordRef>,
    },

    // ----- producers -----
    /// InitProducerId: an idempotent producer got its producer id.
    ProducerIdAssigned {
        producer: ProducerHandle,
        producer_id: u64,
    },
    /// The producer sent a produce request (`attempt` 1 is the first).
    ProduceSent {
        producer: ProducerHandle,
        send: SendId,
        topic: String,
        partition: u32,
        broker: BrokerId,
        attempt: u32,
        sequence: Option<u32>,
    },
    /// The broker answered with success. `duplicate` when an idempotent
    /// retry was recognised and not appended again.
    ProduceAcked {
        producer: ProducerHandle,
        send: SendId,
        broker: BrokerId,
        offset: Option<u64>,
        duplicate: bool,
    },
    /// The broker (or the connection) answered with an error. `appended`
    /// when the record is in the leader's log anyway.
    ProduceFailed {
        producer: ProducerHandle,
        send: SendId,
        broker: BrokerId,
        error: ErrorCode,
        appended: bool,
    },
    /// The broker's answer was lost on the way back (a fault).
    ProduceResponseLost {
        producer: ProducerHandle,
        send: SendId,
        broker: BrokerId,
    },
    /// The client refreshed its metadata and now believes `leader` leads.
    MetadataRefreshed {
        producer: ProducerHandle,
        topic: String,
        partition: u32,
        leader: Option<BrokerId>,
        leader_epoch: u32,
    },
    /// The producer will try again after `retry.backoff.ms`.
    RetryScheduled {
        producer: ProducerHandle,
        send: SendId,
        error: ErrorCode,
        at: u64,
    },
    /// The callback ran: the send's final outcome.
    SendCompleted {
        producer: ProducerHandle,
        send: SendId,
        value: String,
        result: SendOutcome,
    },

    // ----- consumer groups -----
    /// A member joined (JoinGroup) with its id.
    MemberJoined {
        group: String,
        member: String,
        consumer: ConsumerHandle,
    },
    /// A member left or was removed.
    MemberLeft {
        group: String,
        member: String,
        reason: LeaveReason,
    },
    /// The group started a rebalance: every member must rejoin.
    RebalanceStarted { group: String, generation: u32 },
    /// Eager protocol: a member gave up all its partitions before rejoining.
    PartitionsRevoked {
        group: String,
        member: String,
        partitions: Vec<TopicPartition>,
    },
    /// The rebalance ended: a new generation and the member's partitions.
    PartitionsAssigned {
        group: String,
        member: String,
        generation: u32,
        partitions: Vec<TopicPartition>,
    },
    /// The consumer had no committed offset (or an out-of-range one) and
    /// `auto.offset.reset` placed it.
    OffsetReset {
        group: String,
        member: String,
        topic: String,
        partition: u32,
        offset: u64,
    },
    /// poll() returned records (from the leader, below the high watermark).
    RecordsPolled {
        group: String,
        member: String,
        topic: String,
        partition: u32,
        leader: BrokerId,
        records: Vec<RecordRef>,
    },
    /// Offsets written to `__consumer_offsets` (the next offset to read).
    OffsetsCommitted {
        group: String,
        member: String,
        offsets: Vec<(TopicPartition, u64)>,
        auto: bool,
    },
    /// A commit was refused.
    CommitFailed {
        group: String,
        member: String,
        error: ErrorCode,
    },
    /// The consumer process died without leaving the group.
    ConsumerCrashed { consumer: ConsumerHandle },
    /// `initTransactions()`: the coordinator gave the producer its id and a
    /// new epoch; an earlier instance's open transaction was aborted.
    TransactionsInitialized {
        producer: ProducerHandle,
        transactional_id: String,
        producer_id: u64,
        epoch: u16,
    },
    /// AddPartitionsToTxn: the transaction's first send to a partition.
    PartitionAddedToTransaction {
        transactional_id: String,
        topic: String,
        partition: u32,
    },
    /// `sendOffsetsToTransaction()`: offsets staged in the transaction,
    /// committed with it.
    OffsetsAddedToTransaction {
        transactional_id: String,
        group: String,
        offsets: Vec<(TopicPartition, u64)>,
    },
    /// The transaction could not commit (a send failed, the group moved
    /// on): the client is in the abortable error state, and the
    /// application must abort it.
    TransactionFailed {
        producer: ProducerHandle,
        transactional_id: String,
        error: ErrorCode,
    },
    /// The coordinator ended a transaction: markers went to every partition
    /// it wrote to, and on commit its staged offsets were committed.
    /// `values` are the records it wrote.
    TransactionEnded {
        transactional_id: String,
        producer_id: u64,
        epoch: u16,
        marker: crate::kafka::log::Marker,
        reason: TxnEndReason,
        values: Vec<String>,
        offsets: Vec<(String, TopicPartition, u64)>,
    },
    /// A producer instance heard PRODUCER_FENCED from the coordinator: a
    /// newer instance of its `transactional.id`, or the coordinator's
    /// timeout, bumped the epoch. Its client is in a fatal error state and
    /// can only close. (The coordinator fences silently: the instance
    /// learns it from an answer, this one or a partition leader's
    /// INVALID_PRODUCER_EPOCH, a [`Event::TransactionFailed`].)
    ProducerFenced {
        producer: ProducerHandle,
        transactional_id: String,
    },
}

/// Why a transaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TxnEndReason {
    /// `commitTransaction()`.
    Committed,
    /// `abortTransaction()`.
    Aborted,
    /// A new instance with the same `transactional.id` called
    /// `initTransactions()` while it was open.
    Fenced,
    /// Open longer than `transaction.timeout.ms`.
    TimedOut,
}
