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
//! aborts the earlier instance's open transaction and bumps the epoch; the
//! earlier instance's writes (older epoch) are refused from then on.

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::cluster::Cluster;
use crate::kafka::error::ErrorCode;
use crate::kafka::event::{
    ConsumerHandle, Event, ProducerHandle, SendId, SendOutcome, TopicPartition, TxnEndReason,
};
use crate::kafka::log::{Marker, Record};
use crate::kafka::producer::{SendState, TxnPhase};
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
    /// The open transaction's sends.
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
    /// and a new epoch. An earlier instance is fenced, and its open
    /// transaction aborted.
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
        let (producer_id, epoch, previous) = match self.transactions.get(&tid) {
            Some(t) => (t.producer_id, t.epoch.wrapping_add(1), Some(t.owner)),
            None => {
                let id = self.next_producer_id;
                self.next_producer_id += 1;
                (id, 0, None)
            }
        };
        if self
            .transactions
            .get(&tid)
            .is_some_and(Transaction::ongoing)
        {
            self.end_transaction(&tid, Marker::Abort, TxnEndReason::Fenced, Some(epoch));
        }
        if let Some(old) = previous.filter(|o| *o != ph) {
            self.fence_producer(old, &tid);
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
    pub fn begin_transaction(&mut self, ph: ProducerHandle) -> Result<(), ErrorCode> {
        let p = self.producers.get_mut(&ph).ok_or(ErrorCode::IllegalState)?;
        match p.phase {
            TxnPhase::Ready => {
                p.phase = TxnPhase::InTransaction;
                Ok(())
            }
            TxnPhase::Fenced => Err(ErrorCode::ProducerFenced),
            _ => Err(ErrorCode::InvalidTxnState),
        }
    }

    /// A transactional send is about to go out: its partition joins the
    /// transaction (AddPartitionsToTxn) and the coordinator starts the
    /// transaction's clock with the first one. Refused outside a
    /// transaction.
    pub(super) fn add_to_transaction(
        &mut self,
        ph: ProducerHandle,
        tp: &TopicPartition,
        send: SendId,
    ) -> Result<(), ErrorCode> {
        let now = self.now();
        let p = self.producers.get(&ph).ok_or(ErrorCode::IllegalState)?;
        match p.phase {
            TxnPhase::NotTransactional => return Ok(()),
            TxnPhase::InTransaction => {}
            TxnPhase::Fenced => return Err(ErrorCode::ProducerFenced),
            _ => return Err(ErrorCode::InvalidTxnState),
        }
        let Some(tid) = p.config.transactional_id.clone() else {
            return Ok(());
        };
        let t = self
            .transactions
            .get_mut(&tid)
            .ok_or(ErrorCode::InvalidTxnState)?;
        t.started.get_or_insert(now);
        t.sends.push(send);
        if t.partitions.insert(tp.clone()) {
            self.events.push(Event::PartitionAddedToTransaction {
                transactional_id: tid,
                topic: tp.topic.clone(),
                partition: tp.partition,
            });
        }
        Ok(())
    }

    /// `producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata())`:
    /// stages consumer `c`'s offsets (the next offset to read per
    /// partition) in the transaction. The coordinator checks the member and
    /// its generation (KIP-447): a consumer the group has moved on from
    /// cannot commit through a transaction either.
    pub fn send_offsets_to_transaction(
        &mut self,
        ph: ProducerHandle,
        c: ConsumerHandle,
        offsets: &[(TopicPartition, u64)],
    ) -> Result<(), ErrorCode> {
        let now = self.now();
        let p = self.producers.get(&ph).ok_or(ErrorCode::IllegalState)?;
        match p.phase {
            TxnPhase::InTransaction => {}
            TxnPhase::Fenced => return Err(ErrorCode::ProducerFenced),
            _ => return Err(ErrorCode::InvalidTxnState),
        }
        let tid = p
            .config
            .transactional_id
            .clone()
            .ok_or(ErrorCode::IllegalState)?;
        let group = match self.check_member(c) {
            Ok((group, _)) => group,
            Err(error) => {
                self.fail_transaction(ph, error);
                return Err(error);
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
        self.events.push(Event::OffsetsAddedToTransaction {
            transactional_id: tid,
            group,
            offsets: offsets.to_vec(),
        });
        Ok(())
    }

    /// `producer.commitTransaction()`: flushes the transaction's sends,
    /// then (on the clock, once they are all answered) the coordinator
    /// writes the COMMIT markers — or, if a send failed, the producer
    /// enters the abortable error state. [`Cluster::transaction_phase`]
    /// says when it is done.
    pub fn commit_transaction(&mut self, ph: ProducerHandle) -> Result<(), ErrorCode> {
        let p = self.producers.get_mut(&ph).ok_or(ErrorCode::IllegalState)?;
        match p.phase {
            TxnPhase::InTransaction => p.phase = TxnPhase::Committing,
            TxnPhase::Fenced => return Err(ErrorCode::ProducerFenced),
            _ => return Err(ErrorCode::InvalidTxnState),
        }
        self.settle_transactions();
        Ok(())
    }

    /// `producer.abortTransaction()`: sends not yet out are dropped, those
    /// in flight are waited for, then the coordinator writes ABORT markers.
    pub fn abort_transaction(&mut self, ph: ProducerHandle) -> Result<(), ErrorCode> {
        let p = self.producers.get_mut(&ph).ok_or(ErrorCode::IllegalState)?;
        if !matches!(
            p.phase,
            TxnPhase::InTransaction | TxnPhase::AbortableError | TxnPhase::Committing
        ) {
            return Err(if p.phase == TxnPhase::Fenced {
                ErrorCode::ProducerFenced
            } else {
                ErrorCode::InvalidTxnState
            });
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

    /// Where producer `ph`'s transactions stand: `Ready` again once a
    /// commit or an abort has completed.
    pub fn transaction_phase(&self, ph: ProducerHandle) -> Option<TxnPhase> {
        self.producers.get(&ph).map(|p| p.phase)
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
            p.phase = TxnPhase::Fenced;
        }
    }

    /// Moves transactions on: a commit or abort whose sends are all
    /// answered ends; open transactions past `transaction.timeout.ms` are
    /// aborted; markers that found no leader are tried again. Called after
    /// every step of the clock and every transactional call.
    pub(super) fn settle_transactions(&mut self) {
        let now = self.now();
        let finishing: Vec<(ProducerHandle, TxnPhase)> = self
            .producers
            .values()
            .filter(|p| matches!(p.phase, TxnPhase::Committing | TxnPhase::Aborting))
            .filter(|p| {
                p.sends
                    .values()
                    .all(|s| !s.transactional || matches!(s.state, SendState::Done(_)))
            })
            .map(|p| (p.handle, p.phase))
            .collect();
        for (ph, phase) in finishing {
            let Some(p) = self.producers.get(&ph) else {
                continue;
            };
            let Some(tid) = p.config.transactional_id.clone() else {
                continue;
            };
            let sends = self
                .transactions
                .get(&tid)
                .map(|t| t.sends.clone())
                .unwrap_or_default();
            let failed = sends.iter().find_map(|sid| match p.sends.get(sid)?.state {
                SendState::Done(SendOutcome::Failed { error }) => Some(error),
                _ => None,
            });
            match (phase, failed) {
                (TxnPhase::Committing, Some(error)) => self.fail_transaction(ph, error),
                (TxnPhase::Committing, None) => {
                    self.end_transaction(&tid, Marker::Commit, TxnEndReason::Committed, None);
                    self.set_phase(ph, TxnPhase::Ready);
                }
                _ => {
                    self.end_transaction(&tid, Marker::Abort, TxnEndReason::Aborted, None);
                    self.set_phase(ph, TxnPhase::Ready);
                }
            }
        }
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
            let (owner, bumped) = (t.owner, t.epoch.wrapping_add(1));
            self.end_transaction(&tid, Marker::Abort, TxnEndReason::TimedOut, Some(bumped));
            if let Some(t) = self.transactions.get_mut(&tid) {
                t.epoch = bumped;
            }
            self.fence_producer(owner, &tid);
        }
        self.write_pending_markers();
    }

    /// The earliest open transaction's timeout.
    pub(super) fn transactions_due(&self) -> Option<SimTime> {
        self.transactions
            .values()
            .filter_map(Transaction::deadline)
            .min()
    }

    fn set_phase(&mut self, ph: ProducerHandle, phase: TxnPhase) {
        if let Some(p) = self.producers.get_mut(&ph)
            && p.phase != TxnPhase::Fenced
        {
            p.phase = phase;
        }
    }

    fn fail_transaction(&mut self, ph: ProducerHandle, error: ErrorCode) {
        let Some(p) = self.producers.get_mut(&ph) else {
            return;
        };
        if p.phase == TxnPhase::Fenced {
            return;
        }
        p.phase = TxnPhase::AbortableError;
        let transactional_id = p.config.transactional_id.clone().unwrap_or_default();
        self.events.push(Event::TransactionFailed {
            producer: ph,
            transactional_id,
            error,
        });
    }

    fn fence_producer(&mut self, ph: ProducerHandle, tid: &str) {
        let Some(p) = self.producers.get_mut(&ph) else {
            return;
        };
        if p.phase == TxnPhase::Fenced {
            return;
        }
        p.phase = TxnPhase::Fenced;
        self.events.push(Event::ProducerFenced {
            producer: ph,
            transactional_id: String::from(tid),
        });
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
