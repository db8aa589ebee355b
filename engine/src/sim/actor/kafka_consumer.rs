//! A Kafka consumer: one process of a consumer group, in the poll loop a
//! Kafka application runs — `poll()`, process each record, commit — with
//! the commit where the service's policy puts it:
//!
//! - `before-processing`: `commitSync()` right after `poll()` returned the
//!   records (at-most-once: a crash loses what was committed and not
//!   processed);
//! - `after-each` / `after-batch`: `commitSync(offsets)` after each record,
//!   or `commitSync()` after the batch (at-least-once: a crash repeats what
//!   was processed and not committed);
//! - `auto`: `enable.auto.commit=true`, and the application hands records
//!   to a worker thread and keeps polling every `poll_ms`; each poll
//!   commits what earlier polls returned once `auto.commit.interval.ms`
//!   passed, processed or not — so a crash can lose and can repeat.
//!
//! An exactly-once service reads, processes and writes in one Kafka
//! transaction per batch (the consume-transform-produce loop of KIP-98 and
//! KIP-447): `beginTransaction()`, each record's result sent to the
//! service's output topic, `sendOffsetsToTransaction()` with the batch's
//! offsets, `commitTransaction()`. A crash leaves the transaction open
//! until the restarted process's `initTransactions()` aborts it, and the
//! input is read again from the offsets the last committed transaction
//! wrote: its results are committed once.
//!
//! Unlike the Redis workers it calls its client library directly: the
//! [`Cluster`] model is the broker *and* the client library (its retries,
//! heartbeats and rebalances), and `poll()` answers at once.

use alloc::collections::VecDeque;

use super::{Cx, Speed, Timer};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use crate::kafka::producer::TxnPhase;
use crate::kafka::{
    Cluster, ConsumedRecord, ConsumerConfig, ConsumerHandle, ProducerConfig, ProducerHandle,
    TopicPartition,
};
use crate::msg::{MsgCatalog, MsgRef};
use crate::name::Name;
use crate::rng::Rng;
use crate::scenario::kafka::TopicSource;
use crate::scenario::{AckPolicy, Policy, WorkerSpec};
use crate::sim::agenda::TimerId;
use crate::sim::trace::{MaybeEntryId, SimEvent};
use crate::time::SimTime;

/// How long an empty poll waits before the next (Kafka's `poll(timeout)`
/// returns after `fetch.max.wait.ms` with nothing): the model's default
/// when the worker has no `poll_ms`.
pub const POLL_MS: u64 = 100;

/// How often an application blocked in `commitTransaction()` or
/// `abortTransaction()` is looked at again (the model's step, not a Kafka
/// setting: the call returns when the coordinator is done).
pub const TXN_WAIT_MS: u64 = 20;

/// The `transactional.id` of service `service`'s consumer `worker`: one per
/// process, stable across its restarts, so that a restarted process fences
/// the one that died.
pub fn transactional_id(service: &str, worker: &str) -> String {
    format!("{service}-{worker}")
}

/// An exactly-once consumer's transactional producer and the transaction
/// it has open.
#[derive(Clone, Debug)]
struct Transactional {
    /// `transactional.id`.
    id: String,
    /// The output topic.
    output: String,
    /// Its partitions, to write each result to the input's partition.
    output_partitions: u32,
    /// The producer instance, while the process runs.
    producer: Option<ProducerHandle>,
    /// The next offset per input partition of what the open transaction
    /// read.
    batch: BTreeMap<TopicPartition, u64>,
    /// Blocked in commitTransaction() / abortTransaction().
    waiting: bool,
    /// The last call was an abort: read again from the committed offsets.
    aborting: bool,
}

/// The process's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KafkaLife {
    /// Not started yet.
    NotStarted,
    /// Running, with this consumer in the cluster.
    Running(ConsumerHandle),
    /// Died; a restart brings it back as a new consumer.
    Crashed,
    /// Closed for good (`consumer.close()`).
    Stopped,
}

/// A record being processed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Working {
    /// The record.
    pub record: ConsumedRecord,
    /// Its message, if the value names one.
    pub msg: Option<MsgRef>,
    /// When it is done.
    pub until: SimTime,
    timer: TimerId,
}

/// One consumer process of a Kafka service.
#[derive(Clone, Debug)]
pub struct KafkaConsumer {
    /// Its name (`client.id`) and role.
    pub name: Name,
    /// Its service's index.
    pub service: u16,
    spec: WorkerSpec,
    source: TopicSource,
    policy: Policy,
    rng: Rng,
    catalog: MsgCatalog,
    life: KafkaLife,
    /// Records poll() returned and it has not processed yet.
    queue: VecDeque<ConsumedRecord>,
    working: Option<Working>,
    poll: Option<TimerId>,
    /// Processing speed.
    speed: Speed,
    /// Exactly-once: the transactional producer.
    txn: Option<Transactional>,
}

impl KafkaConsumer {
    /// A consumer of service `service` (named `service_name`), not started
    /// yet. An exactly-once one writes to `output` (the topic and its
    /// partitions count).
    pub fn new(
        service: (u16, &str),
        spec: WorkerSpec,
        source: TopicSource,
        policy: Policy,
        rng: Rng,
        catalog: MsgCatalog,
        output: Option<(String, u32)>,
    ) -> Self {
        let txn = output
            .filter(|_| policy.dedup())
            .map(|(output, output_partitions)| Transactional {
                id: transactional_id(service.1, &spec.name),
                output,
                output_partitions: output_partitions.max(1),
                producer: None,
                batch: BTreeMap::new(),
                waiting: false,
                aborting: false,
            });
        let service = service.0;
        KafkaConsumer {
            name: spec.name.as_str().into(),
            service,
            spec,
            source,
            policy,
            rng,
            catalog,
            life: KafkaLife::NotStarted,
            queue: VecDeque::new(),
            working: None,
            poll: None,
            speed: Speed::default(),
            txn,
        }
    }

    /// Its transactional producer, if it writes exactly-once.
    pub fn transactional_producer(&self) -> Option<ProducerHandle> {
        self.txn.as_ref()?.producer
    }

    /// Its life.
    pub fn life(&self) -> KafkaLife {
        self.life
    }

    /// Its consumer in the cluster, while it runs.
    pub fn handle(&self) -> Option<ConsumerHandle> {
        match self.life {
            KafkaLife::Running(h) => Some(h),
            _ => None,
        }
    }

    /// When it commits.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The record it is processing.
    pub fn working(&self) -> Option<&Working> {
        self.working.as_ref()
    }

    /// Records polled and waiting to be processed.
    pub fn queued(&self) -> impl Iterator<Item = &ConsumedRecord> {
        self.queue.iter()
    }

    /// Processing speed in percent of normal time.
    pub fn slow_pct(&self) -> u32 {
        self.speed.pct()
    }

    /// The messages it holds in memory (polled, not processed).
    pub fn held(&self) -> impl Iterator<Item = MsgRef> + '_ {
        let working = self.working.as_ref().and_then(|w| w.msg);
        working.into_iter().chain(
            self.queue
                .iter()
                .filter_map(|r| self.catalog.parse(r.value.as_bytes())),
        )
    }

    /// The process starts: a new consumer joins the group and polls.
    pub fn start(&mut self, cx: &mut Cx<'_>, cluster: &mut Cluster) {
        if matches!(self.life, KafkaLife::Running(_) | KafkaLife::Stopped) {
            return;
        }
        let config = ConsumerConfig {
            group_id: self.source.group.clone(),
            client_id: self.spec.name.clone(),
            enable_auto_commit: self.policy.ack == AckPolicy::Auto,
            ..self.source.config.clone()
        };
        let handle = cluster.add_consumer(config);
        // Validated by the scenario: the topic exists.
        let _ = cluster.subscribe(handle, &[self.source.topic.as_str()]);
        self.life = KafkaLife::Running(handle);
        self.open_producer(cluster);
        self.poll_in(cx, 0);
    }

    /// Exactly-once: a new producer instance with the process's
    /// `transactional.id`, and `initTransactions()` — which fences the
    /// instance before it and aborts what that one left open.
    fn open_producer(&mut self, cluster: &mut Cluster) {
        let Some(t) = self.txn.as_mut() else { return };
        let config = ProducerConfig {
            client_id: format!("{}-producer", self.spec.name),
            transactional_id: Some(t.id.clone()),
            ..ProducerConfig::default()
        };
        t.producer = cluster.add_producer(config).ok();
        if let Some(p) = t.producer {
            let _ = cluster.init_transactions(p);
        }
        t.batch.clear();
        t.waiting = false;
        t.aborting = false;
    }

    /// Exactly-once, blocked in a commit or an abort: whether it may go on
    /// polling. A failed commit is aborted; an abort done sends the
    /// consumer back to the committed offsets; a producer in a fatal error
    /// (fenced: it learns it from the coordinator's answer to its commit
    /// or abort) is replaced.
    fn transaction_settled(&mut self, cluster: &mut Cluster) -> bool {
        let handle = self.handle();
        let Some(t) = self.txn.as_mut() else {
            return true;
        };
        let Some(p) = t.producer else { return true };
        match cluster.transaction_phase(p) {
            Some(TxnPhase::Committing | TxnPhase::Aborting) => false,
            Some(TxnPhase::AbortableError) => {
                t.aborting = true;
                let _ = cluster.abort_transaction(p);
                false
            }
            Some(TxnPhase::Ready) => {
                if core::mem::take(&mut t.aborting)
                    && let Some(h) = handle
                {
                    cluster.seek_to_committed(h);
                }
                t.waiting = false;
                true
            }
            _ => {
                if let Some(h) = handle {
                    cluster.seek_to_committed(h);
                }
                self.open_producer(cluster);
                true
            }
        }
    }

    /// A timer fired.
    pub fn on_timer(&mut self, cx: &mut Cx<'_>, cluster: &mut Cluster, id: TimerId, timer: Timer) {
        match timer {
            Timer::Poll if self.poll == Some(id) => {
                self.poll = None;
                self.poll_now(cx, cluster);
            }
            Timer::ProcessingDone if self.working.as_ref().is_some_and(|w| w.timer == id) => {
                self.finish(cx, cluster);
            }
            _ => {}
        }
    }

    /// `poll()`: what it returns joins the queue (committed first, when
    /// the policy commits before processing).
    fn poll_now(&mut self, cx: &mut Cx<'_>, cluster: &mut Cluster) {
        let Some(handle) = self.handle() else { return };
        if self.txn.as_ref().is_some_and(|t| t.waiting) && !self.transaction_settled(cluster) {
            self.poll_in(cx, TXN_WAIT_MS);
            return;
        }
        let records = cluster.poll(handle).unwrap_or_default();
        if !records.is_empty()
            && let Some(p) = self.transactional_producer()
            && cluster.begin_transaction(p).is_err()
        {
            // Fenced or in a bad state: start over from the committed
            // offsets with a new instance.
            cluster.seek_to_committed(handle);
            self.open_producer(cluster);
            self.poll_in(cx, self.spec.poll_ms.unwrap_or(POLL_MS));
            return;
        }
        if !records.is_empty() && self.policy.ack == AckPolicy::BeforeProcessing {
            let _ = cluster.commit_sync(handle);
        }
        self.queue.extend(records);
        if self.working.is_none() && !self.queue.is_empty() {
            self.next(cx, cluster);
        }
        // Auto commit: the application keeps polling while its worker
        // thread processes. Otherwise it polls again once the batch is
        // done (`next`), or after a while when the poll brought nothing.
        if self.policy.ack == AckPolicy::Auto || self.working.is_none() {
            self.poll_in(cx, self.spec.poll_ms.unwrap_or(POLL_MS));
        }
    }

    fn poll_in(&mut self, cx: &mut Cx<'_>, ms: u64) {
        if self.poll.is_none() {
            self.poll = Some(cx.timer(ms, Timer::Poll));
        }
    }

    /// Starts on the next queued record, or — the batch done — commits it
    /// (`after-batch`) and polls again.
    fn next(&mut self, cx: &mut Cx<'_>, cluster: &mut Cluster) {
        let Some(record) = self.queue.pop_front() else {
            if self.txn.is_none()
                && self.policy.ack == AckPolicy::AfterBatch
                && let Some(handle) = self.handle()
            {
                let _ = cluster.commit_sync(handle);
            }
            if self.commit_transaction(cluster) {
                self.poll_in(cx, TXN_WAIT_MS);
            } else {
                self.poll_in(cx, 0);
            }
            return;
        };
        let msg = self.catalog.parse(record.value.as_bytes());
        let ms = self
            .speed
            .processing_ms(self.spec.processing_ms, &mut self.rng);
        let timer = cx.timer(ms, Timer::ProcessingDone);
        if let Some(msg) = msg {
            cx.record(SimEvent::ProcessingStarted {
                worker: self.name.clone(),
                service: self.service,
                msg,
                id: MaybeEntryId::NONE,
                until: timer.at(),
            });
        }
        self.working = Some(Working {
            record,
            msg,
            until: timer.at(),
            timer,
        });
    }

    /// The current record is processed: its effect is applied; commit it
    /// (`after-each`) and go on.
    fn finish(&mut self, cx: &mut Cx<'_>, cluster: &mut Cluster) {
        let Some(w) = self.working.take() else { return };
        if let Some(msg) = w.msg {
            cx.record(SimEvent::Processed {
                worker: self.name.clone(),
                service: self.service,
                msg,
                id: MaybeEntryId::NONE,
                applied: true,
            });
        }
        if let Some(t) = self.txn.as_mut() {
            // The result goes out in the transaction; the input's offset
            // waits to be sent with it.
            if let Some(p) = t.producer {
                let partition = w.record.tp.partition % t.output_partitions;
                let _ = cluster.send(p, &t.output, partition, &w.record.value);
            }
            t.batch.insert(w.record.tp.clone(), w.record.offset + 1);
        } else if self.policy.ack == AckPolicy::AfterEach
            && let Some(handle) = self.handle()
        {
            let _ = cluster.commit_offsets(handle, &[(w.record.tp.clone(), w.record.offset + 1)]);
        }
        self.next(cx, cluster);
    }

    /// Exactly-once, the batch processed: `sendOffsetsToTransaction()`
    /// then `commitTransaction()`. Returns whether it now waits for the
    /// transaction to end.
    fn commit_transaction(&mut self, cluster: &mut Cluster) -> bool {
        let handle = self.handle();
        let Some(t) = self.txn.as_mut() else {
            return false;
        };
        let (Some(p), Some(c)) = (t.producer, handle) else {
            return false;
        };
        if t.batch.is_empty() {
            return false;
        }
        let offsets: alloc::vec::Vec<(TopicPartition, u64)> =
            core::mem::take(&mut t.batch).into_iter().collect();
        t.waiting = true;
        if cluster.send_offsets_to_transaction(p, c, &offsets).is_ok() {
            let _ = cluster.commit_transaction(p);
        } else {
            t.aborting = true;
            let _ = cluster.abort_transaction(p);
        }
        true
    }

    /// The process dies: no commit, no LeaveGroup; what it held is gone.
    /// `stop`: it closes instead (commits if auto commit is on, leaves
    /// the group) and does not come back.
    pub fn crash(&mut self, cx: &mut Cx<'_>, cluster: &mut Cluster, stop: bool) {
        let Some(handle) = self.handle() else { return };
        for t in self
            .poll
            .take()
            .into_iter()
            .chain(self.working.take().map(|w| w.timer))
        {
            cx.cancel(t);
        }
        self.queue.clear();
        if let Some(t) = self.txn.as_mut()
            && let Some(p) = t.producer.take()
        {
            if stop {
                let _ = cluster.abort_transaction(p);
            } else {
                cluster.crash_producer(p);
            }
        }
        let worker = self.name.clone();
        if stop {
            cluster.close_consumer(handle);
            self.life = KafkaLife::Stopped;
            cx.record(SimEvent::Stopped { worker });
        } else {
            cluster.crash_consumer(handle);
            self.life = KafkaLife::Crashed;
            cx.record(SimEvent::Crashed { worker });
        }
    }

    /// A crashed process starts again: a new consumer, a new member.
    pub fn restart(&mut self, cx: &mut Cx<'_>, cluster: &mut Cluster) {
        if self.life != KafkaLife::Crashed {
            return;
        }
        cx.record(SimEvent::Restarted {
            worker: self.name.clone(),
        });
        self.life = KafkaLife::NotStarted;
        self.start(cx, cluster);
    }

    /// It processes `pct`/100 times slower until `until`.
    pub fn slow(&mut self, cx: &mut Cx<'_>, pct: u32, until: SimTime) {
        self.speed.slow(cx, &self.name, pct, until);
    }

    /// A slowdown ends.
    pub fn restore_speed(&mut self, cx: &mut Cx<'_>) {
        self.speed.restore(cx, &self.name);
    }
}
