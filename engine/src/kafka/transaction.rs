//! Transactions: the transaction coordinator and the transactional
//! producer's calls (`initTransactions`, `beginTransaction`,
//! `sendOffsetsToTransaction`, `commitTransaction`, `abortTransaction`),
//! as KIP-98 and KIP-447 describe them.
//!
//! A transaction's records go to the partitions' logs like any others,
//! flagged transactional; they become readable to `read_committed`
//! consumers only when the coordinator writes a COMMIT marker after them
//! (an ABORT marker hides them for good). Offsets sent to the transaction
//! are committed with it, so reading, writing and the input's progress
//! move together: the consume-transform-produce loop is exactly-once.
//!
//! Fencing: `initTransactions()` with a `transactional.id` already in use
//! bumps the epoch at the coordinator and aborts the earlier instance's open
//! transaction, whose ABORT markers carry the new epoch (so do the markers
//! of a transaction the coordinator times out). Nothing tells the earlier
//! instance: its client keeps its own view ([`ClientTxn`]) and learns it is
//! a zombie from the next answer, as the Java client's `TransactionManager`
//! and the coordinator do (Kafka 3.x/4.x, transaction version 1):
//! - a send to a partition already in its transaction goes straight to the
//!   partition's leader, which has seen the newer epoch in the marker and
//!   refuses it with INVALID_PRODUCER_EPOCH
//!   ([`crate::kafka::idempotence::SequenceCheck::StaleEpoch`]). A failed
//!   send puts the transaction in the abortable error state
//!   (`handleFailedBatch`), and `commitTransaction()` then rethrows it:
//!   InvalidProducerEpochException, `Producer with transactionalId '<id>'
//!   and (producerId=<pid>, epoch=<epoch>) attempted to produce with an old
//!   epoch` (`maybeFailWithError`; recorded in
//!   `tests/fixtures/kafka/txn-invoices-fenced.txt`);
//! - a call that reaches the coordinator first — AddPartitionsToTxn for a
//!   new partition, AddOffsetsToTxn, EndTxn when no send failed (or the
//!   abort after one did) — is answered PRODUCER_FENCED, a fatal error
//!   (`ProducerFencedException`); every later call rethrows it.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::cluster::Cluster;
use crate::kafka::error::ErrorCode;
use crate::kafka::error::Thrown;
use crate::kafka::event::{
    ConsumerHandle, Event, ProducerHandle, SendId, SendOutcome, TopicPartition, TxnEndReason,
};
use crate::kafka::log::{Marker, Record};
use crate::kafka::producer::{ClientTxn, SendState, TxnPhase};
use crate::time::{SimDuration, SimTime};

/// The coordinator's view of one `transactional.id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// `transactional.id`.
    pub transactional_id: String,
    /// The producer id it keeps across instances.
    pub producer_id: u64,
    /// The current epoch.
    pub epoch: u16,
    /// The instance that holds the current epoch.
    pub owner: ProducerHandle,
    /// The open transaction's partitions (AddPartitionsToTxn), empty
    /// between transactions.
    pub partitions: BTreeSet<TopicPartition>,
    /// Offsets staged by `sendOffsetsToTransaction` (group, partition,
    /// next offset).
    pub offsets: Vec<(String, TopicPartition, u64)>,
    /// The open transaction's sends by the instance that holds the
    /// current epoch: the model's bookkeeping for `TransactionEnded`'s
    /// values (Kafka's coordinator knows only the partitions; the records
    /// are in their logs).
    pub sends: Vec<SendId>,
    /// When the open transaction began (its first partition was added):
    /// `transaction.timeout.ms` counts from here.
    pub started: Option<SimTime>,
    /// `transaction.timeout.ms`.
    pub timeout_ms: u64,
    /// Markers the coordinator still has to write (their partition had no
    /// leader): it retries on every step of the clock.
    pub pending_markers: Vec<(TopicPartition, Marker, u16)>,
}

impl Transaction {
    /// Whether a transaction is open.
    pub fn ongoing(&self) -> bool {
        self.started.is_some()
    }

    /// When the coordinator aborts the open transaction by itself.
    pub fn deadline(&self) -> Option<SimTime> {
        self.started
            .map(|t| t + SimDuration::from_ms(self.timeout_ms))
    }
}

impl Cluster {
    /// `producer.initTransactions()`: the coordinator assigns the producer
    /// id of its `transactional.id` (new, or kept from earlier instances)
    /// and a new epoch. An earlier instance's open transaction is aborted
    /// with the new epoch; that instance is not told (it learns from its
    /// next call's answer).
    pub fn init_transactions(&mut self, ph: ProducerHandle) -> Result<(), ErrorCode> {
        let p = self.producers.get(&ph).ok_or(ErrorCode::IllegalState)?;
        let tid = p
            .config
            .transactional_id
            .clone()
            .ok_or(ErrorCode::IllegalState)?;
        if p.phase != TxnPhase::Uninitialized {
            return Err(ErrorCode::InvalidTxnState);
        }
        let timeout_ms = p.config.transaction_timeout_ms;
        let (producer_id, epoch) = match self.transactions.get(&tid) {
            Some(t) => (t.producer_id, t.epoch.wrapping_add(1)),
            None => {
                let id = self.next_producer_id;
                self.next_producer_id += 1;
                (id, 0)
            }
        };
        if self
            .transactions
            .get(&tid)
            .is_some_and(Transaction::ongoing)
        {
            self.end_transaction(&tid, Marker::Abort, TxnEndReason::Fenced, Some(epoch));
        }
        let t = self
            .transactions
            .entry(tid.clone())
            .or_insert_with(|| Transaction {
                transactional_id: tid.clone(),
                producer_id,
                epoch,
                owner: ph,
                partitions: BTreeSet::new(),
                offsets: Vec::new(),
                sends: Vec::new(),
                started: None,
                timeout_ms,
                pending_markers: Vec::new(),
            });
        t.epoch = epoch;
        t.owner = ph;
        t.timeout_ms = timeout_ms;
        if let Some(p) = self.producers.get_mut(&ph) {
            p.producer_id = Some(producer_id);
            p.epoch = epoch;
            p.next_sequence.clear();
            p.phase = TxnPhase::Ready;
            p.txn = ClientTxn::default();
        }
        self.events.push(Event::TransactionsInitialized {
            producer: ph,
            transactional_id: tid,
            producer_id,
            epoch,
        });
        Ok(())
    }

    /// `producer.beginTransaction()` (client-side: the coordinator hears of
    /// the transaction with its first partition).
    pub fn begin_transaction(&mut self, ph: ProducerHandle) -> Result<(), Thrown> {
        self.fail_if_in_error(ph)?;
        let p = self.producers.get_mut(&ph).ok_or(ErrorCode::IllegalState)?;
        match p.phase {
            TxnPhase::Ready => {
                p.phase = TxnPhase::InTransaction;
                Ok(())
            }
            phase => Err(wrong_phase(phase)),
        }
    }

    /// A transactional send is about to go out. A partition new to the
    /// client's transaction joins it first (AddPartitionsToTxn: the
    /// coordinator starts the transaction's clock with the first one, and
    /// refuses an instance it has fenced); a partition already in it needs
    /// no coordinator. Refused outside a transaction and in an error
    /// state.
    pub(super) fn add_to_transaction(
        &mut self,
        ph: ProducerHandle,
        tp: &TopicPartition,
        send: SendId,
    ) -> Result<(), Thrown> {
        let now = self.now();
        let p = self.producers.get(&ph).ok_or(ErrorCode::IllegalState)?;
        if p.phase == TxnPhase::NotTransactional {
            return Ok(());
        }
        self.fail_if_in_error(ph)?;
        if p.phase != TxnPhase::InTransaction {
            return Err(wrong_phase(p.phase));
        }
        let Some(tid) = p.config.transactional_id.clone() else {
            return Ok(());
        };
        let (epoch, added) = (p.epoch, p.txn.partitions.contains(tp));
        if !added && self.coordinator_fences(&tid, epoch) {
            return Err(self.refuse_fenced(ph));
        }
        let t = self
            .transactions
            .get_mut(&tid)
            .ok_or(ErrorCode::InvalidTxnState)?;
        // The model's bookkeeping of what the transaction wrote, for
        // `TransactionEnded`: a zombie's sends are not the transaction's.
        if t.epoch == epoch {
            t.sends.push(send);
        }
        if added {
            return Ok(());
        }
        t.started.get_or_insert(now);
        if t.partitions.insert(tp.clone()) {
            self.events.push(Event::PartitionAddedToTransaction {
                transactional_id: tid,
                topic: tp.topic.clone(),
                partition: tp.partition,
            });
        }
        if let Some(p) = self.producers.get_mut(&ph) {
            p.txn.partitions.insert(tp.clone());
            p.txn.started = true;
        }
        Ok(())
    }

    /// `producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata())`:
    /// stages consumer `c`'s offsets (the next offset to read per
    /// partition) in the transaction. The transaction coordinator checks
    /// the epoch (AddOffsetsToTxn), then the group coordinator the member
    /// and its generation (TxnOffsetCommit, KIP-447): a consumer the group
    /// has moved on from cannot commit through a transaction either.
    pub fn send_offsets_to_transaction(
        &mut self,
        ph: ProducerHandle,
        c: ConsumerHandle,
        offsets: &[(TopicPartition, u64)],
    ) -> Result<(), Thrown> {
        let now = self.now();
        self.fail_if_in_error(ph)?;
        let p = self.producers.get(&ph).ok_or(ErrorCode::IllegalState)?;
        if p.phase != TxnPhase::InTransaction {
            return Err(wrong_phase(p.phase));
        }
        let tid = p
            .config
            .transactional_id
            .clone()
            .ok_or(ErrorCode::IllegalState)?;
        if self.coordinator_fences(&tid, p.epoch) {
            return Err(self.refuse_fenced(ph));
        }
        let group = match self.check_member(c) {
            Ok((group, _)) => group,
            Err(error) => {
                self.fail_transaction(ph, error);
                return Err(error.into());
            }
        };
        let t = self
            .transactions
            .get_mut(&tid)
            .ok_or(ErrorCode::InvalidTxnState)?;
        t.started.get_or_insert(now);
        t.offsets.extend(
            offsets
                .iter()
                .map(|(tp, o)| (group.clone(), tp.clone(), *o)),
        );
        if let Some(p) = self.producers.get_mut(&ph) {
            p.txn.started = true;
        }
        self.events.push(Event::OffsetsAddedToTransaction {
            transactional_id: tid,
            group,
            offsets: offsets.to_vec(),
        });
        Ok(())
    }

    /// `producer.commitTransaction()`: flushes the transaction's sends,
    /// then (on the clock, once they are all answered) sends EndTxn and the
    /// coordinator writes the COMMIT markers — or, if a send failed, the
    /// producer is in the abortable error state. A producer already in an
    /// error state rethrows its error at once.
    /// [`Cluster::transaction_phase`] says when it is done.
    pub fn commit_transaction(&mut self, ph: ProducerHandle) -> Result<(), Thrown> {
        self.fail_if_in_error(ph)?;
        let p = self.producers.get_mut(&ph).ok_or(ErrorCode::IllegalState)?;
        match p.phase {
            TxnPhase::InTransaction => p.phase = TxnPhase::Committing,
            phase => return Err(wrong_phase(phase)),
        }
        self.settle_transactions();
        Ok(())
    }

    /// `producer.abortTransaction()`: sends not yet out are dropped, those
    /// in flight are waited for, then EndTxn and the coordinator writes
    /// ABORT markers. Allowed in the abortable error state; a fatal one is
    /// rethrown.
    pub fn abort_transaction(&mut self, ph: ProducerHandle) -> Result<(), Thrown> {
        let p = self.producers.get(&ph).ok_or(ErrorCode::IllegalState)?;
        if p.phase != TxnPhase::AbortableError {
            self.fail_if_in_error(ph)?;
        }
        let p = self.producers.get_mut(&ph).ok_or(ErrorCode::IllegalState)?;
        if !matches!(
            p.phase,
            TxnPhase::InTransaction | TxnPhase::AbortableError | TxnPhase::Committing
        ) {
            return Err(wrong_phase(p.phase));
        }
        p.phase = TxnPhase::Aborting;
        let waiting: Vec<SendId> = p
            .sends
            .values()
            .filter(|s| s.transactional && matches!(s.state, SendState::Backoff { .. }))
            .map(|s| s.id)
            .collect();
        for sid in waiting {
            self.complete(
                ph,
                sid,
                SendOutcome::Failed {
                    error: ErrorCode::InvalidTxnState,
                },
            );
        }
        self.settle_transactions();
        Ok(())
    }

    /// Where producer `ph`'s transactions stand, as its client believes:
    /// `Ready` again once a commit or an abort has completed.
    pub fn transaction_phase(&self, ph: ProducerHandle) -> Option<TxnPhase> {
        self.producers.get(&ph).map(|p| p.phase)
    }

    /// The error producer `ph`'s client is in (`AbortableError` or
    /// `FatalError`): what a `commitTransaction()` or `abortTransaction()`
    /// that ended there threw, with the error's own message.
    pub fn transaction_error(&self, ph: ProducerHandle) -> Option<ErrorCode> {
        let p = self.producers.get(&ph)?;
        matches!(p.phase, TxnPhase::AbortableError | TxnPhase::FatalError)
            .then_some(p.txn.last_error)
            .flatten()
    }

    /// The producer process died: its sends go nowhere any more. Its open
    /// transaction stays open until a new instance fences it or the
    /// coordinator's timeout aborts it.
    pub fn crash_producer(&mut self, ph: ProducerHandle) {
        if let Some(p) = self.producers.get_mut(&ph) {
            for s in p.sends.values_mut() {
                if !matches!(s.state, SendState::Done(_)) {
                    s.state = SendState::Done(SendOutcome::Failed {
                        error: ErrorCode::IllegalState,
                    });
                }
            }
            p.phase = TxnPhase::Closed;
        }
    }

    /// Moves transactions on: a commit or abort whose sends are all
    /// answered sends EndTxn; open transactions past
    /// `transaction.timeout.ms` are aborted; markers that found no leader
    /// are tried again. Called after every step of the clock and every
    /// transactional call.
    pub(super) fn settle_transactions(&mut self) {
        let finishing: Vec<ProducerHandle> = self
            .producers
            .values()
            .filter(|p| matches!(p.phase, TxnPhase::Committing | TxnPhase::Aborting))
            .filter(|p| {
                p.sends
                    .values()
                    .all(|s| !s.transactional || matches!(s.state, SendState::Done(_)))
            })
            .map(|p| p.handle)
            .collect();
        for ph in finishing {
            self.end_txn(ph);
        }
        self.expire_transactions();
        self.write_pending_markers();
    }

    /// The client's EndTxn, its sends all answered. Not sent when the
    /// coordinator never heard of the transaction (the client completes
    /// it alone, as Kafka's does); refused with PRODUCER_FENCED when the
    /// coordinator has moved to a newer epoch.
    fn end_txn(&mut self, ph: ProducerHandle) {
        let Some(p) = self.producers.get(&ph) else {
            return;
        };
        let (phase, epoch, started) = (p.phase, p.epoch, p.txn.started);
        let Some(tid) = p.config.transactional_id.clone() else {
            return;
        };
        if started && self.coordinator_fences(&tid, epoch) {
            self.refuse_fenced(ph);
            return;
        }
        if started {
            let (marker, reason) = match phase {
                TxnPhase::Committing => (Marker::Commit, TxnEndReason::Committed),
                _ => (Marker::Abort, TxnEndReason::Aborted),
            };
            self.end_transaction(&tid, marker, reason, None);
        }
        if let Some(p) = self.producers.get_mut(&ph) {
            p.phase = TxnPhase::Ready;
            p.txn = ClientTxn::default();
        }
    }

    /// The coordinator aborts every open transaction past
    /// `transaction.timeout.ms`, bumping the epoch as it does when it
    /// fences: the producer learns it from its next call's answer.
    fn expire_transactions(&mut self) {
        let now = self.now();
        let expired: Vec<String> = self
            .transactions
            .values()
            .filter(|t| t.deadline().is_some_and(|d| d <= now))
            .map(|t| t.transactional_id.clone())
            .collect();
        for tid in expired {
            let Some(t) = self.transactions.get(&tid) else {
                continue;
            };
            let bumped = t.epoch.wrapping_add(1);
            self.end_transaction(&tid, Marker::Abort, TxnEndReason::TimedOut, Some(bumped));
            if let Some(t) = self.transactions.get_mut(&tid) {
                t.epoch = bumped;
            }
        }
    }

    /// The earliest open transaction's timeout.
    pub(super) fn transactions_due(&self) -> Option<SimTime> {
        self.transactions
            .values()
            .filter_map(Transaction::deadline)
            .min()
    }

    /// Whether `tid`'s coordinator refuses a request at `epoch`: it has
    /// moved on to a newer one (PRODUCER_FENCED).
    fn coordinator_fences(&self, tid: &str, epoch: u16) -> bool {
        self.transactions.get(tid).is_some_and(|t| t.epoch != epoch)
    }

    /// The client's `maybeFailWithError()`: in an error state, a call
    /// rethrows the error that put it there. INVALID_PRODUCER_EPOCH and
    /// PRODUCER_FENCED come back with the producer's `transactional.id`,
    /// id and epoch in the message, as Kafka words them; any other error
    /// is Kafka's `KafkaException` ("Cannot execute transactional method
    /// because we are in an error state"), which has no protocol error:
    /// the model says INVALID_TXN_STATE.
    fn fail_if_in_error(&self, ph: ProducerHandle) -> Result<(), Thrown> {
        let p = self.producers.get(&ph).ok_or(ErrorCode::IllegalState)?;
        if !matches!(p.phase, TxnPhase::AbortableError | TxnPhase::FatalError) {
            return Ok(());
        }
        let error = p.txn.last_error.unwrap_or(ErrorCode::InvalidTxnState);
        let what = match error {
            ErrorCode::InvalidProducerEpoch => "attempted to produce with an old epoch",
            ErrorCode::ProducerFenced => {
                "has been fenced by another producer with the same transactionalId"
            }
            _ => return Err(ErrorCode::InvalidTxnState.into()),
        };
        // `ProducerIdAndEpoch.toString()`; -1 stands for none.
        let (id, epoch) = p
            .producer_id
            .map_or((-1, -1), |id| (id as i64, i32::from(p.epoch)));
        let tid = p.config.transactional_id.as_deref().unwrap_or_default();
        Err(Thrown {
            error,
            worded: Some(format!(
                "Producer with transactionalId '{tid}' and (producerId={id}, epoch={epoch}) {what}"
            )),
        })
    }

    /// A transactional send or the offsets failed: the client enters the
    /// abortable error state at once (`handleFailedBatch`), unless it is
    /// already aborting or in a fatal error. A later error replaces the
    /// one kept, as Kafka's `lastError` does.
    pub(super) fn fail_transaction(&mut self, ph: ProducerHandle, error: ErrorCode) {
        let Some(p) = self.producers.get_mut(&ph) else {
            return;
        };
        match p.phase {
            TxnPhase::InTransaction | TxnPhase::Committing => {}
            TxnPhase::AbortableError => {
                p.txn.last_error = Some(error);
                return;
            }
            _ => return,
        }
        p.phase = TxnPhase::AbortableError;
        p.txn.last_error = Some(error);
        let transactional_id = p.config.transactional_id.clone().unwrap_or_default();
        self.events.push(Event::TransactionFailed {
            producer: ph,
            transactional_id,
            error,
        });
    }

    /// The coordinator answered PRODUCER_FENCED: a fatal error. Kafka's
    /// client then fails every send not yet answered with it
    /// (`Sender.maybeAbortBatches`). The error, to return.
    fn refuse_fenced(&mut self, ph: ProducerHandle) -> Thrown {
        let error = ErrorCode::ProducerFenced;
        let Some(p) = self.producers.get_mut(&ph) else {
            return error.into();
        };
        p.phase = TxnPhase::FatalError;
        p.txn.last_error = Some(error);
        let transactional_id = p.config.transactional_id.clone().unwrap_or_default();
        let pending: Vec<SendId> = p
            .sends
            .values()
            .filter(|s| !matches!(s.state, SendState::Done(_)))
            .map(|s| s.id)
            .collect();
        for sid in pending {
            self.complete(ph, sid, SendOutcome::Failed { error });
        }
        self.events.push(Event::ProducerFenced {
            producer: ph,
            transactional_id,
        });
        error.into()
    }

    /// The coordinator ends `tid`'s open transaction with `marker`:
    /// markers to every partition it wrote to (with `epoch`, when the
    /// coordinator bumps it to fence), and on commit its staged offsets.
    fn end_transaction(
        &mut self,
        tid: &str,
        marker: Marker,
        reason: TxnEndReason,
        epoch: Option<u16>,
    ) {
        let now = self.now();
        let Some(t) = self.transactions.get_mut(tid) else {
            return;
        };
        let epoch = epoch.unwrap_or(t.epoch);
        let producer_id = t.producer_id;
        let partitions = core::mem::take(&mut t.partitions);
        let offsets = core::mem::take(&mut t.offsets);
        let sends = core::mem::take(&mut t.sends);
        t.started = None;
        t.pending_markers
            .extend(partitions.into_iter().map(|tp| (tp, marker, epoch)));
        let owner = t.owner;
        let values: Vec<String> = self
            .producers
            .get(&owner)
            .map(|p| {
                sends
                    .iter()
                    .filter_map(|sid| p.sends.get(sid))
                    .filter(|s| matches!(s.state, SendState::Done(SendOutcome::Acked { .. })))
                    .map(|s| s.value.clone())
                    .collect()
            })
            .unwrap_or_default();
        if marker == Marker::Commit {
            for (group, tp, offset) in &offsets {
                self.offsets.commit(group, tp.clone(), *offset, now);
            }
        }
        self.write_pending_markers();
        self.events.push(Event::TransactionEnded {
            transactional_id: String::from(tid),
            producer_id,
            epoch,
            marker,
            reason,
            values,
            offsets,
        });
    }

    /// Writes every pending marker whose partition has a reachable leader.
    fn write_pending_markers(&mut self) {
        let tids: Vec<String> = self
            .transactions
            .values()
            .filter(|t| !t.pending_markers.is_empty())
            .map(|t| t.transactional_id.clone())
            .collect();
        for tid in tids {
            let Some(t) = self.transactions.get_mut(&tid) else {
                continue;
            };
            let producer_id = t.producer_id;
            let pending = core::mem::take(&mut t.pending_markers);
            let mut left = Vec::new();
            for (tp, marker, epoch) in pending {
                if !self.write_marker(&tp, producer_id, epoch, marker) {
                    left.push((tp, marker, epoch));
                }
            }
            if let Some(t) = self.transactions.get_mut(&tid) {
                t.pending_markers = left;
            }
        }
    }

    /// Appends a marker to `tp`'s leader; false if it has no reachable
    /// leader now.
    fn write_marker(
        &mut self,
        tp: &TopicPartition,
        producer_id: u64,
        epoch: u16,
        marker: Marker,
    ) -> bool {
        let leader = self
            .partition(&tp.topic, tp.partition)
            .and_then(|p| p.leader);
        let Some(leader) = leader.filter(|l| self.reachable(*l)) else {
            return false;
        };
        let (min_isr, strict) = (self.min_isr(&tp.topic), self.config.strict_min_isr);
        let mut events = Vec::new();
        let Some(p) = self.partition_mut(tp) else {
            return false;
        };
        let leader_epoch = p.leader_epoch;
        let Some(rep) = p.replicas.get_mut(&leader) else {
            return false;
        };
        let offset = rep.log.append_record(Record {
            offset: 0,
            leader_epoch,
            value: String::new(),
            producer_id: Some(producer_id),
            sequence: None,
            producer_epoch: epoch,
            transactional: true,
            control: Some(marker),
        });
        if let Some(record) = rep.log.get(offset).map(Record::as_ref) {
            events.push(Event::RecordAppended {
                topic: tp.topic.clone(),
                partition: tp.partition,
                broker: leader,
                record,
                producer: None,
                send: None,
            });
        }
        p.maybe_advance_hw(min_isr, strict, &mut events);
        self.events.extend(events);
        true
    }
}

/// The error for a call made in the wrong phase: a closed producer's is
/// Java's `IllegalStateException`, any other INVALID_TXN_STATE.
fn wrong_phase(phase: TxnPhase) -> Thrown {
    match phase {
        TxnPhase::Closed => ErrorCode::IllegalState.into(),
        _ => ErrorCode::InvalidTxnState.into(),
    }
}
