//! The producer client's state: its settings, its (possibly stale)
//! metadata, its sequence numbers, and each send's life — in flight,
//! backing off before a retry, or done with what the callback was told.
//! The cluster drives it (`Cluster::send`, the clock); this module holds
//! the state and the client's decisions (retry or give up).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;

use crate::kafka::config::{Acks, ProducerConfig};
use crate::kafka::error::ErrorCode;
use crate::kafka::event::{BrokerId, ProducerHandle, SendId, SendOutcome, TopicPartition};
use crate::time::{SimDuration, SimTime};

/// Where one send stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendState {
    /// Waiting `retry.backoff.ms` before the next attempt.
    Backoff {
        /// When the next attempt goes out.
        retry_at: SimTime,
    },
    /// A request is out; the client waits for its answer.
    InFlight {
        /// The broker it went to.
        broker: BrokerId,
        /// Which attempt.
        attempt: u32,
        /// `request.timeout.ms` after sending: with no answer by then the
        /// client drops the connection (NETWORK_EXCEPTION).
        timeout_at: SimTime,
    },
    /// The callback ran.
    Done(SendOutcome),
}

/// One `send()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Send {
    /// Its id.
    pub id: SendId,
    /// Where it goes (the caller chooses the partition; no partitioner).
    pub tp: TopicPartition,
    /// The payload.
    pub value: String,
    /// Its sequence number when the producer is idempotent: the same on
    /// every retry, which is what lets the broker spot a duplicate.
    pub sequence: Option<u32>,
    /// When `send()` was called: `delivery.timeout.ms` counts from here.
    pub created: SimTime,
    /// Attempts made so far.
    pub attempts: u32,
    /// Sent inside a transaction.
    pub transactional: bool,
    /// Where it stands.
    pub state: SendState,
}

/// A transactional producer's state, as the Java client's
/// `TransactionManager` keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TxnPhase {
    /// No `transactional.id`.
    NotTransactional,
    /// `initTransactions()` not called yet.
    Uninitialized,
    /// Between transactions.
    Ready,
    /// `beginTransaction()` called.
    InTransaction,
    /// `commitTransaction()` called: flushing its sends before EndTxn.
    Committing,
    /// `abortTransaction()` called: waiting for sends in flight before
    /// EndTxn.
    Aborting,
    /// A send or the offsets failed: only `abortTransaction()` is allowed.
    AbortableError,
    /// The coordinator answered PRODUCER_FENCED (a newer epoch holds its
    /// `transactional.id`): it can do nothing more but close.
    FatalError,
    /// The process died: nothing of it goes out any more.
    Closed,
}

/// The transaction as the client sees it (the Java client's
/// `TransactionManager`), apart from what the coordinator knows
/// ([`crate::kafka::transaction::Transaction`]): a producer fenced by a
/// newer instance, or by the coordinator's timeout, goes on believing in
/// its transaction until an answer tells it otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientTxn {
    /// The partitions the coordinator accepted into the transaction
    /// (`partitionsInTransaction`): a send to one of them goes straight to
    /// the partition's leader, with no AddPartitionsToTxn.
    pub partitions: BTreeSet<TopicPartition>,
    /// Whether the coordinator heard of the transaction (a partition or
    /// offsets added; `transactionStarted`): only then does the commit or
    /// abort send EndTxn.
    pub started: bool,
    /// The error that put the client in `AbortableError` or `FatalError`
    /// (`lastError`): later calls rethrow it.
    pub last_error: Option<ErrorCode>,
}

/// A producer instance.
#[derive(Clone, Debug)]
pub struct Producer {
    /// Its handle.
    pub handle: ProducerHandle,
    /// Its settings.
    pub config: ProducerConfig,
    /// The producer id from InitProducerId, when idempotent.
    pub producer_id: Option<u64>,
    /// Its epoch (bumped by each `initTransactions()` of its
    /// `transactional.id`; 0 otherwise).
    pub epoch: u16,
    /// Where its transactions stand, as the client believes
    /// (`NotTransactional` without a `transactional.id`).
    pub phase: TxnPhase,
    /// The client's view of its open transaction.
    pub txn: ClientTxn,
    /// The next sequence number per partition.
    pub next_sequence: BTreeMap<TopicPartition, u32>,
    /// The leader it believes each partition has (and that leader's epoch);
    /// `None` in the map = must refresh before sending.
    pub metadata: BTreeMap<TopicPartition, Option<(Option<BrokerId>, u32)>>,
    /// Every send, by id.
    pub sends: BTreeMap<SendId, Send>,
    /// Fault: how many of the next produce responses are lost.
    pub lose_responses: u32,
    /// The leader (and epoch) it last learned for each partition, so that
    /// a refresh that brings nothing new is not told as news.
    pub learned: BTreeMap<TopicPartition, (Option<BrokerId>, u32)>,
}

impl Producer {
    /// A producer with `config` (already validated).
    pub fn new(handle: ProducerHandle, config: ProducerConfig, producer_id: Option<u64>) -> Self {
        let phase = if config.transactional_id.is_some() {
            TxnPhase::Uninitialized
        } else {
            TxnPhase::NotTransactional
        };
        Producer {
            handle,
            config,
            producer_id,
            epoch: 0,
            phase,
            txn: ClientTxn::default(),
            next_sequence: BTreeMap::new(),
            metadata: BTreeMap::new(),
            sends: BTreeMap::new(),
            lose_responses: 0,
            learned: BTreeMap::new(),
        }
    }

    /// Whether it waits for the broker's answer at all.
    pub fn expects_response(&self) -> bool {
        self.config.acks != Acks::Zero
    }

    /// The send's `delivery.timeout.ms` deadline.
    pub fn delivery_deadline(&self, send: &Send) -> SimTime {
        send.created + SimDuration::from_ms(self.config.delivery_timeout_ms)
    }

    /// The client's decision after `error` on attempt `send.attempts`:
    /// retry at the returned time, or give up (`None`, and the callback
    /// gets `error`). As Kafka's `Sender.canRetry`: only a send whose
    /// delivery timeout has already passed gives up with the error; one
    /// that would retry after its deadline waits and expires there with a
    /// timeout (`Expiring 1 record(s)…`, REQUEST_TIMED_OUT, as recorded in
    /// `tests/fixtures/kafka/produce-acks-all-retrying.txt`).
    pub fn retry_at(&self, send: &Send, error: ErrorCode, now: SimTime) -> Option<SimTime> {
        if !error.is_retriable() || send.attempts > self.config.retries {
            return None;
        }
        // KIP-580: exponential, from retry.backoff.ms up to
        // retry.backoff.max.ms (Kafka adds ±20% jitter; the model does not).
        let doubling = send.attempts.saturating_sub(1).min(20);
        let backoff = self
            .config
            .retry_backoff_ms
            .saturating_mul(1 << doubling)
            .min(
                self.config
                    .retry_backoff_max_ms
                    .max(self.config.retry_backoff_ms),
            );
        let at = now + SimDuration::from_ms(backoff);
        (now < self.delivery_deadline(send)).then_some(at)
    }

    /// For an idempotent producer, when send `send` may go out: not before
    /// any earlier send of the same partition still waiting to be retried
    /// (the client re-enqueues batches in sequence order, so the broker
    /// sees sequences without gaps). `None`: it may go now.
    pub fn held_back_until(&self, send: &Send) -> Option<SimTime> {
        let seq = send.sequence?;
        self.sends
            .values()
            .filter(|s| s.tp == send.tp && s.sequence.is_some_and(|q| q < seq))
            .filter_map(|s| match s.state {
                SendState::Backoff { retry_at } => Some(retry_at),
                _ => None,
            })
            .max()
    }

    /// The next time this producer must act (a retry, a request timeout, a
    /// delivery timeout).
    pub fn next_due(&self) -> Option<SimTime> {
        self.sends
            .values()
            .filter_map(|s| match s.state {
                SendState::Backoff { retry_at } => Some(retry_at.min(self.delivery_deadline(s))),
                SendState::InFlight { timeout_at, .. } => {
                    Some(timeout_at.min(self.delivery_deadline(s)))
                }
                SendState::Done(_) => None,
            })
            .min()
    }
}
