//! Kafka's error names, verbatim, so the UI and the tests say what a real
//! client would log. Protocol errors carry the names of
//! `org.apache.kafka.common.protocol.Errors`; the few client-side failures
//! that have no protocol code are named after the Java exception's meaning
//! and documented as such.

use alloc::string::String;

/// An error a request or a send can end with.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The broker is not the partition's leader (stale metadata): retriable,
    /// the client refreshes its metadata.
    NotLeaderOrFollower,
    /// The partition has no leader right now (the ISR is empty of live
    /// brokers and unclean election is off): retriable.
    LeaderNotAvailable,
    /// acks=all refused *before* append: the ISR is smaller than
    /// `min.insync.replicas`. Nothing was written; retriable.
    NotEnoughReplicas,
    /// acks=all answered *after* append while the ISR is smaller than
    /// `min.insync.replicas`: the record is in the log, so a plain retry
    /// writes it twice. Retriable.
    NotEnoughReplicasAfterAppend,
    /// The connection dropped before an answer came (the broker died, or
    /// the client's `request.timeout.ms` passed with no answer, which the
    /// Java client treats as a disconnect). Retriable; the record may or
    /// may not be in the log.
    NetworkException,
    /// The broker gave up waiting for the ISR within the request's timeout
    /// (`request.timeout.ms`); also the callback's error when
    /// `delivery.timeout.ms` expires (Java's `TimeoutException`).
    RequestTimedOut,
    /// An idempotent producer's batch skipped a sequence number. Fatal for
    /// the batch.
    OutOfOrderSequenceNumber,
    /// The topic or partition does not exist.
    UnknownTopicOrPartition,
    /// A consumer asked for an offset outside the leader's log (after a
    /// truncation, say); `auto.offset.reset` decides what happens.
    OffsetOutOfRange,
    /// A group member's generation is stale: it was removed or the group
    /// rebalanced (the Java consumer throws `CommitFailedException`).
    IllegalGeneration,
    /// The group does not know the member (it timed out or left).
    UnknownMemberId,
    /// The group is rebalancing; commit again after rejoining.
    RebalanceInProgress,
    /// A request's arguments were invalid (replication factor larger than
    /// the brokers, zero partitions, a duplicate topic…).
    InvalidRequest,
    /// Topic creation: the name is taken.
    TopicAlreadyExists,
    /// Topic creation: more replicas than brokers.
    InvalidReplicationFactor,
    /// Client-side: `auto.offset.reset=none` and no committed offset
    /// (Java's `NoOffsetForPartitionException`; no protocol code).
    NoOffsetForPartition,
    /// Client-side: the client was closed or crashed (Java's
    /// `IllegalStateException`; no protocol code).
    IllegalState,
    /// Client-side: conflicting producer settings, e.g.
    /// `enable.idempotence=true` with `acks=1` (Java's `ConfigException`).
    ConfigException,
    /// A transactional request came with an epoch older than the one the
    /// coordinator or the partition knows (a zombie's write).
    InvalidProducerEpoch,
    /// A transactional call in the wrong state (commit with no
    /// transaction begun, a send after the coordinator aborted…).
    InvalidTxnState,
    /// Another instance with the same `transactional.id` called
    /// `initTransactions()`: this one is fenced for good.
    ProducerFenced,
}

impl ErrorCode {
    /// Every error, in declaration order.
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::NotLeaderOrFollower,
        ErrorCode::LeaderNotAvailable,
        ErrorCode::NotEnoughReplicas,
        ErrorCode::NotEnoughReplicasAfterAppend,
        ErrorCode::NetworkException,
        ErrorCode::RequestTimedOut,
        ErrorCode::OutOfOrderSequenceNumber,
        ErrorCode::UnknownTopicOrPartition,
        ErrorCode::OffsetOutOfRange,
        ErrorCode::IllegalGeneration,
        ErrorCode::UnknownMemberId,
        ErrorCode::RebalanceInProgress,
        ErrorCode::InvalidRequest,
        ErrorCode::TopicAlreadyExists,
        ErrorCode::InvalidReplicationFactor,
        ErrorCode::NoOffsetForPartition,
        ErrorCode::IllegalState,
        ErrorCode::ConfigException,
        ErrorCode::InvalidProducerEpoch,
        ErrorCode::InvalidTxnState,
        ErrorCode::ProducerFenced,
    ];

    /// The name a Kafka client logs: `NOT_ENOUGH_REPLICAS`, …
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            ErrorCode::LeaderNotAvailable => "LEADER_NOT_AVAILABLE",
            ErrorCode::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            ErrorCode::NotEnoughReplicasAfterAppend => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
            ErrorCode::NetworkException => "NETWORK_EXCEPTION",
            ErrorCode::RequestTimedOut => "REQUEST_TIMED_OUT",
            ErrorCode::OutOfOrderSequenceNumber => "OUT_OF_ORDER_SEQUENCE_NUMBER",
            ErrorCode::UnknownTopicOrPartition => "UNKNOWN_TOPIC_OR_PARTITION",
            ErrorCode::OffsetOutOfRange => "OFFSET_OUT_OF_RANGE",
            ErrorCode::IllegalGeneration => "ILLEGAL_GENERATION",
            ErrorCode::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            ErrorCode::RebalanceInProgress => "REBALANCE_IN_PROGRESS",
            ErrorCode::InvalidRequest => "INVALID_REQUEST",
            ErrorCode::TopicAlreadyExists => "TOPIC_ALREADY_EXISTS",
            ErrorCode::InvalidReplicationFactor => "INVALID_REPLICATION_FACTOR",
            ErrorCode::NoOffsetForPartition => "NO_OFFSET_FOR_PARTITION",
            ErrorCode::IllegalState => "ILLEGAL_STATE",
            ErrorCode::ConfigException => "CONFIG_EXCEPTION",
            ErrorCode::InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
            ErrorCode::InvalidTxnState => "INVALID_TXN_STATE",
            ErrorCode::ProducerFenced => "PRODUCER_FENCED",
        }
    }

    /// The error's protocol code (`Errors.code()`), or `None` for the
    /// client-side failures that have none.
    pub fn code(self) -> Option<i16> {
        Some(match self {
            ErrorCode::OffsetOutOfRange => 1,
            ErrorCode::UnknownTopicOrPartition => 3,
            ErrorCode::LeaderNotAvailable => 5,
            ErrorCode::NotLeaderOrFollower => 6,
            ErrorCode::RequestTimedOut => 7,
            ErrorCode::NetworkException => 13,
            ErrorCode::NotEnoughReplicas => 19,
            ErrorCode::NotEnoughReplicasAfterAppend => 20,
            ErrorCode::IllegalGeneration => 22,
            ErrorCode::UnknownMemberId => 25,
            ErrorCode::RebalanceInProgress => 27,
            ErrorCode::TopicAlreadyExists => 36,
            ErrorCode::InvalidReplicationFactor => 38,
            ErrorCode::InvalidRequest => 42,
            ErrorCode::OutOfOrderSequenceNumber => 45,
            ErrorCode::InvalidProducerEpoch => 47,
            ErrorCode::InvalidTxnState => 48,
            ErrorCode::ProducerFenced => 90,
            ErrorCode::NoOffsetForPartition
            | ErrorCode::IllegalState
            | ErrorCode::ConfigException => return None,
        })
    }

    /// The Java exception a client throws or hands its callback for it
    /// (`Errors.exception()` for protocol errors), fully qualified.
    pub fn exception(self) -> &'static str {
        match self {
            ErrorCode::OffsetOutOfRange => {
                "org.apache.kafka.common.errors.OffsetOutOfRangeException"
            }
            ErrorCode::UnknownTopicOrPartition => {
                "org.apache.kafka.common.errors.UnknownTopicOrPartitionException"
            }
            ErrorCode::LeaderNotAvailable => {
                "org.apache.kafka.common.errors.LeaderNotAvailableException"
            }
            ErrorCode::NotLeaderOrFollower => {
                "org.apache.kafka.common.errors.NotLeaderOrFollowerException"
            }
            ErrorCode::RequestTimedOut => "org.apache.kafka.common.errors.TimeoutException",
            ErrorCode::NetworkException => "org.apache.kafka.common.errors.NetworkException",
            ErrorCode::NotEnoughReplicas => {
                "org.apache.kafka.common.errors.NotEnoughReplicasException"
            }
            ErrorCode::NotEnoughReplicasAfterAppend => {
                "org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException"
            }
            ErrorCode::IllegalGeneration => {
                "org.apache.kafka.common.errors.IllegalGenerationException"
            }
            ErrorCode::UnknownMemberId => "org.apache.kafka.common.errors.UnknownMemberIdException",
            ErrorCode::RebalanceInProgress => {
                "org.apache.kafka.common.errors.RebalanceInProgressException"
            }
            ErrorCode::TopicAlreadyExists => "org.apache.kafka.common.errors.TopicExistsException",
            ErrorCode::InvalidReplicationFactor => {
                "org.apache.kafka.common.errors.InvalidReplicationFactorException"
            }
            ErrorCode::InvalidRequest => "org.apache.kafka.common.errors.InvalidRequestException",
            ErrorCode::OutOfOrderSequenceNumber => {
                "org.apache.kafka.common.errors.OutOfOrderSequenceException"
            }
            ErrorCode::NoOffsetForPartition => {
                "org.apache.kafka.clients.consumer.NoOffsetForPartitionException"
            }
            ErrorCode::IllegalState => "java.lang.IllegalStateException",
            ErrorCode::ConfigException => "org.apache.kafka.common.config.ConfigException",
            ErrorCode::InvalidProducerEpoch => {
                "org.apache.kafka.common.errors.InvalidProducerEpochException"
            }
            ErrorCode::InvalidTxnState => "org.apache.kafka.common.errors.InvalidTxnStateException",
            ErrorCode::ProducerFenced => "org.apache.kafka.common.errors.ProducerFencedException",
        }
    }

    /// The protocol error's default message (`Errors.message()`), verbatim
    /// as recorded in `tests/fixtures/kafka/errors.txt`; `None` for the
    /// client-side failures, whose messages depend on the case.
    pub fn message(self) -> Option<&'static str> {
        Some(match self {
            ErrorCode::OffsetOutOfRange => {
                "The requested offset is not within the range of offsets maintained by the server."
            }
            ErrorCode::UnknownTopicOrPartition => "This server does not host this topic-partition.",
            ErrorCode::LeaderNotAvailable => {
                "There is no leader for this topic-partition as we are in the middle of a leadership election."
            }
            ErrorCode::NotLeaderOrFollower => {
                "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition."
            }
            ErrorCode::RequestTimedOut => "The request timed out.",
            ErrorCode::NetworkException => {
                "The server disconnected before a response was received."
            }
            ErrorCode::NotEnoughReplicas => {
                "Messages are rejected since there are fewer in-sync replicas than required."
            }
            ErrorCode::NotEnoughReplicasAfterAppend => {
                "Messages are written to the log, but to fewer in-sync replicas than required."
            }
            ErrorCode::IllegalGeneration => "Specified group generation id is not valid.",
            ErrorCode::UnknownMemberId => "The coordinator is not aware of this member.",
            ErrorCode::RebalanceInProgress => "The group is rebalancing, so a rejoin is needed.",
            ErrorCode::TopicAlreadyExists => "Topic with this name already exists.",
            ErrorCode::InvalidReplicationFactor => {
                "Replication factor is below 1 or larger than the number of available brokers."
            }
            ErrorCode::InvalidRequest => {
                "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."
            }
            ErrorCode::OutOfOrderSequenceNumber => {
                "The broker received an out of order sequence number."
            }
            ErrorCode::InvalidProducerEpoch => "Producer attempted to produce with an old epoch.",
            ErrorCode::InvalidTxnState => {
                "The producer attempted a transactional operation in an invalid state."
            }
            ErrorCode::ProducerFenced => {
                "There is a newer producer with the same transactionalId which fences the current one."
            }
            ErrorCode::NoOffsetForPartition
            | ErrorCode::IllegalState
            | ErrorCode::ConfigException => return None,
        })
    }

    /// Whether the Java producer retries a batch that failed with it
    /// (a `RetriableException`).
    pub fn is_retriable(self) -> bool {
        matches!(
            self,
            ErrorCode::NotLeaderOrFollower
                | ErrorCode::LeaderNotAvailable
                | ErrorCode::NotEnoughReplicas
                | ErrorCode::NotEnoughReplicasAfterAppend
                | ErrorCode::NetworkException
                | ErrorCode::RequestTimedOut
                | ErrorCode::UnknownTopicOrPartition
        )
    }

    /// Whether the client refreshes its metadata before retrying: the
    /// leader it knew may be gone.
    pub fn needs_metadata_refresh(self) -> bool {
        matches!(
            self,
            ErrorCode::NotLeaderOrFollower
                | ErrorCode::LeaderNotAvailable
                | ErrorCode::NetworkException
                | ErrorCode::UnknownTopicOrPartition
        )
    }
}

impl core::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a client call threw: Kafka's error and, where the Java client
/// words the exception itself, its message. Most exceptions carry their
/// error's default message ([`ErrorCode::message`]); a transactional
/// producer in an error state rethrows the error that put it there with
/// its `transactional.id`, producer id and epoch in the message
/// (`TransactionManager.maybeFailWithError`; recorded in
/// `tests/fixtures/kafka/txn-invoices-fenced.txt`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thrown {
    /// The error.
    pub error: ErrorCode,
    /// The client's own wording, when it is not the error's default.
    pub worded: Option<String>,
}

impl Thrown {
    /// The exception's message: the client's wording, else the error's
    /// default (`None` for a client-side error without one).
    pub fn message(&self) -> Option<&str> {
        self.worded.as_deref().or(self.error.message())
    }
}

impl From<ErrorCode> for Thrown {
    fn from(error: ErrorCode) -> Self {
        Thrown {
            error,
            worded: None,
        }
    }
}

/// As Java's `Throwable.toString()`: `<exception class>: <message>`.
impl core::fmt::Display for Thrown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.message() {
            Some(m) => write!(f, "{}: {m}", self.error.exception()),
            None => f.write_str(self.error.exception()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kafkas_and_serde_agrees() {
        for e in [
            ErrorCode::NotEnoughReplicasAfterAppend,
            ErrorCode::OutOfOrderSequenceNumber,
            ErrorCode::NotLeaderOrFollower,
        ] {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, alloc::format!("\"{}\"", e.name()));
        }
        assert!(ErrorCode::NotEnoughReplicas.is_retriable());
        assert!(!ErrorCode::OutOfOrderSequenceNumber.is_retriable());
    }
}
