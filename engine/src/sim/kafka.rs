//! A lane that runs Kafka: the world's Kafka half. Producers hand their
//! messages to Kafka producers (`send()` is asynchronous: the client
//! library retries by its config and the callback's outcome arrives as an
//! event); consumers run the poll loop of [`KafkaConsumer`]; faults hit
//! brokers (kill, restart, cut off, slow follower), consumers and produce
//! responses; and the cluster's events feed the trace and the ledger.

use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use alloc::format;
use alloc::vec::Vec;

use super::World;
use super::actor::kafka_consumer::{KafkaConsumer, transactional_id as transactional_id_of};
use super::actor::{Actor, ActorId, Cx, Producer};
use super::agenda::{Task, TimerId};
use super::trace::{TraceEvent, What};
use crate::kafka::log::Marker;
use crate::kafka::{BrokerId, Cluster, Event, SendOutcome};
use crate::msg::MsgRef;
use crate::rng::Rng;
use crate::scenario::kafka::BrokerRole;
use crate::scenario::{FaultKind, FaultSpec, Source};
use crate::time::{SimDuration, SimTime};

impl World {
    /// The actors of a Kafka lane: producers, then every service's
    /// consumers, each with its own random stream.
    pub(crate) fn cast_kafka(&mut self) {
        let scenario = self.scenario.clone();
        for (i, spec) in scenario.producers.iter().enumerate() {
            let rng = Rng::fork(self.seed, &format!("producer:{}", spec.name));
            let producer = Producer::new(i as u16, spec.clone(), rng, scenario.duration_ms);
            self.add_actor(Actor::Producer(Box::new(producer)), 0);
        }
        for (s, spec) in scenario.workers() {
            let service = &scenario.services[s];
            let Source::Topic(source) = &service.source else {
                continue;
            };
            let rng = Rng::fork(
                self.seed,
                &format!("consumer:{}/{}", service.name, spec.name),
            );
            let output = source.output.as_ref().map(|o| {
                let partitions = scenario
                    .kafka
                    .as_ref()
                    .and_then(|k| k.topic(o))
                    .map_or(1, |t| t.partitions);
                (o.clone(), partitions)
            });
            let consumer = KafkaConsumer::new(
                (s as u16, &service.name),
                spec.clone(),
                source.clone(),
                scenario.policy(usize::from(self.lane), s),
                rng,
                self.catalog.clone(),
                output,
            );
            self.add_actor(Actor::KafkaConsumer(Box::new(consumer)), 0);
        }
    }

    /// Runs one of Kafka consumer `a`'s handlers with the cluster at
    /// hand. Returns false if `a` is not a Kafka consumer.
    pub(crate) fn with_kafka_consumer(
        &mut self,
        a: ActorId,
        f: impl FnOnce(&mut KafkaConsumer, &mut Cx<'_>, &mut Cluster),
    ) -> bool {
        let now = self.now();
        let mut queue = core::mem::take(&mut self.queue);
        {
            let (Some(Actor::KafkaConsumer(c)), Some(k)) =
                (self.actors.get_mut(a), self.broker.kafka_mut())
            else {
                self.queue = queue;
                return false;
            };
            let mut cx = Cx::new(now, a, &mut self.agenda, &mut queue);
            f(c, &mut cx, &mut k.cluster);
        }
        // What the client library did (a poll, a commit) comes before what
        // the application then records (`record` collects it first).
        for effect in queue.drain(..) {
            if let super::actor::Effect::Record(event) = effect {
                self.note(&event);
                self.record(event);
            }
        }
        self.queue = queue;
        true
    }

    /// A timer of Kafka consumer `a` fired.
    pub(crate) fn kafka_timer(&mut self, a: ActorId, id: TimerId, timer: super::agenda::Timer) {
        self.with_kafka_consumer(a, |c, cx, cluster| c.on_timer(cx, cluster, id, timer));
    }

    /// `producer.send()`: message `msg` to `topic`, partition by its
    /// number; every service reading the topic counts it as produced.
    pub(crate) fn kafka_produce(&mut self, topic: &str, msg: MsgRef) {
        let text = self.catalog.text(msg);
        let Some(k) = self.broker.kafka_mut() else {
            return;
        };
        let Some(Some(handle)) = k.producers.get(usize::from(msg.producer)).copied() else {
            return;
        };
        let partitions = k
            .cluster
            .topics
            .get(topic)
            .map_or(1, |t| t.partitions.len()) as u32;
        let partition = msg.seq.saturating_sub(1) % partitions.max(1);
        if let Ok(send) = k.cluster.send(handle, topic, partition, &text) {
            k.sends.insert((handle, send), msg);
        }
        for (s, service) in self.scenario.clone().services.iter().enumerate() {
            if matches!(&service.source, Source::Topic(t) if t.topic == topic) {
                self.ledger.produced(s, msg);
            }
        }
    }

    /// Moves the cluster's events into the trace, and into the ledger what
    /// they mean: records a group's member was handed (delivered), and
    /// what each send's callback was told.
    pub(crate) fn collect_kafka_events(&mut self) {
        let Some(k) = self.broker.kafka_mut() else {
            return;
        };
        let events = k.cluster.take_events();
        for event in events {
            match &event {
                Event::RecordsPolled { group, records, .. } => {
                    let services: Vec<usize> = self.services_of_group(group);
                    for s in services {
                        for _ in records {
                            self.ledger.delivered(s);
                        }
                    }
                }
                // An exactly-once service's effects happen when its
                // transaction commits, once per record it wrote.
                Event::TransactionEnded {
                    transactional_id,
                    marker: Marker::Commit,
                    values,
                    ..
                } => {
                    if let Some(s) = self.service_of_transaction(transactional_id) {
                        for v in values {
                            if let Some(msg) = self.catalog.parse(v.as_bytes()) {
                                self.ledger.processed(s, msg);
                            }
                        }
                    }
                }
                Event::SendCompleted {
                    producer,
                    send,
                    result,
                    ..
                } => {
                    if let Some(k) = self.broker.kafka_mut()
                        && let Some(msg) = k.sends.get(&(*producer, *send)).copied()
                    {
                        k.told.insert(msg, result.clone());
                    }
                }
                _ => {}
            }
            self.out.push(TraceEvent {
                at: self.now(),
                action: self.action,
                lane: self.lane,
                what: What::Kafka(Box::new(event)),
            });
        }
    }

    /// The exactly-once service whose consumer writes with
    /// `transactional_id`.
    fn service_of_transaction(&self, transactional_id: &str) -> Option<usize> {
        self.scenario.workers().find_map(|(s, w)| {
            let service = &self.scenario.services[s];
            (transactional_id == transactional_id_of(&service.name, &w.name)).then_some(s)
        })
    }

    /// The services that are consumer group `group`.
    fn services_of_group(&self, group: &str) -> Vec<usize> {
        self.scenario
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| matches!(&s.source, Source::Topic(t) if t.group == group))
            .map(|(i, _)| i)
            .collect()
    }

    /// The broker `role` names, now.
    fn broker_of(&self, role: Option<&str>, restart: bool) -> Option<BrokerId> {
        let k = self.broker.kafka()?;
        match BrokerRole::parse(role?)? {
            BrokerRole::Id(id) => Some(id),
            BrokerRole::Leader if restart => k.downed_leader,
            BrokerRole::Leader => {
                let topic = self.scenario.kafka.as_ref()?.topics.first()?;
                k.cluster.partition(&topic.name, 0)?.leader
            }
        }
    }

    /// Applies a fault in a Kafka lane; `end` ends it at `until_ms`.
    pub(crate) fn apply_kafka_fault(&mut self, spec: &FaultSpec, end: Task) {
        let until = spec
            .until_ms
            .map(|ms| SimTime::START + SimDuration::from_ms(ms));
        let role = spec.role.as_deref();
        let restart = spec.kind == FaultKind::BrokerRestart;
        if let Some(b) = self.broker_of(role, restart) {
            let leader = role == Some("leader");
            let Some(k) = self.broker.kafka_mut() else {
                return;
            };
            match spec.kind {
                FaultKind::BrokerCrash => {
                    k.cluster.kill_broker(b);
                    if leader {
                        k.downed_leader = Some(b);
                    }
                }
                FaultKind::BrokerRestart => k.cluster.restart_broker(b),
                FaultKind::Disconnect => k.cluster.isolate_broker(b),
                FaultKind::Slow => {
                    let every = k.cluster.config.follower_fetch_interval_ms;
                    let factor = slow_factor(spec);
                    k.cluster
                        .slow_follower(b, Some((every as f64 * factor) as u64));
                }
                _ => return,
            }
            if let Some(t) = until
                && matches!(
                    spec.kind,
                    FaultKind::BrokerCrash | FaultKind::Disconnect | FaultKind::Slow
                )
            {
                self.agenda.schedule(t, end);
            }
            return;
        }
        let Some(a) = role.and_then(|r| self.actor_named(r)) else {
            return;
        };
        match spec.kind {
            FaultKind::Crash => {
                let dropped = self.in_hand(a);
                self.with_kafka_consumer(a, |c, cx, cl| c.crash(cx, cl, false));
                self.lost_with(dropped);
            }
            FaultKind::Restart => {
                self.with_kafka_consumer(a, |c, cx, cl| c.restart(cx, cl));
            }
            FaultKind::Slow => {
                let pct = libm::round(slow_factor(spec) * 100.0) as u32;
                let until = until.unwrap_or_default();
                self.with_kafka_consumer(a, |c, cx, _| c.slow(cx, pct, until));
                if let Some(t) = spec.until_ms {
                    self.agenda
                        .schedule(SimTime::START + SimDuration::from_ms(t), end);
                }
            }
            FaultKind::LoseReply => {
                let handle = self
                    .broker
                    .kafka()
                    .and_then(|k| k.producers.get(a).copied().flatten());
                if let (Some(h), Some(k)) = (handle, self.broker.kafka_mut()) {
                    k.cluster.lose_produce_responses(h, 1);
                }
            }
            _ => {}
        }
    }

    /// A Kafka fault's `until_ms` came.
    pub(crate) fn end_kafka_fault(&mut self, spec: &FaultSpec) {
        if let Some(b) = self
            .broker_of(spec.role.as_deref(), spec.kind == FaultKind::BrokerCrash)
            .or_else(|| self.broker_of(spec.role.as_deref(), false))
            && let Some(k) = self.broker.kafka_mut()
        {
            match spec.kind {
                FaultKind::BrokerCrash => k.cluster.restart_broker(b),
                FaultKind::Disconnect => k.cluster.reconnect_broker(b),
                FaultKind::Slow => k.cluster.slow_follower(b, None),
                _ => {}
            }
            return;
        }
        if spec.kind == FaultKind::Slow
            && let Some(a) = spec.role.as_deref().and_then(|r| self.actor_named(r))
        {
            self.with_kafka_consumer(a, |c, cx, _| c.restore_speed(cx));
        }
    }

    /// The drain: dead brokers restart, cut ones reconnect, slow ones
    /// speed up, crashed consumers restart; lost responses are forgotten.
    pub(crate) fn heal_kafka(&mut self) {
        if let Some(k) = self.broker.kafka_mut() {
            let ids: Vec<BrokerId> = k.cluster.brokers.keys().copied().collect();
            for b in ids {
                let Some(broker) = k.cluster.brokers.get(&b) else {
                    continue;
                };
                let (up, isolated, slow) = (
                    broker.up,
                    broker.isolated,
                    broker.fetch_interval_ms.is_some(),
                );
                if !up {
                    k.cluster.restart_broker(b);
                }
                if isolated {
                    k.cluster.reconnect_broker(b);
                }
                if slow {
                    k.cluster.slow_follower(b, None);
                }
            }
        }
        for a in 0..self.actors.len() {
            self.with_kafka_consumer(a, |c, cx, cl| {
                c.restore_speed(cx);
                c.restart(cx, cl);
            });
        }
    }

    /// Every (service, message) a Kafka lane still holds: in a consumer's
    /// memory, or in its partition's log (the leader's, or the most
    /// complete replica's while the partition is offline) at or after the
    /// group's committed offset — what the group may still read.
    pub(crate) fn held_kafka(&self) -> BTreeSet<(usize, MsgRef)> {
        let mut held = BTreeSet::new();
        for actor in &self.actors {
            if let Actor::KafkaConsumer(c) = actor {
                for msg in c.held() {
                    held.insert((usize::from(c.service), msg));
                }
            }
        }
        let Some(k) = self.broker.kafka() else {
            return held;
        };
        for (s, service) in self.scenario.services.iter().enumerate() {
            let Source::Topic(src) = &service.source else {
                continue;
            };
            let Some(topic) = k.cluster.topics.get(&src.topic) else {
                continue;
            };
            for (p, part) in topic.partitions.iter().enumerate() {
                let from = k
                    .cluster
                    .committed(&src.group, &src.topic, p as u32)
                    .unwrap_or(0);
                let replica = part
                    .leader
                    .and_then(|l| part.replicas.get(&l))
                    .or_else(|| part.replicas.values().max_by_key(|r| r.log.end_offset()));
                let Some(replica) = replica else { continue };
                for record in replica.log.records().iter().filter(|r| r.offset >= from) {
                    if let Some(msg) = self.catalog.parse(record.value.as_bytes()) {
                        held.insert((s, msg));
                    }
                }
            }
        }
        held
    }

    /// What message `msg`'s send callback was told (Kafka lanes).
    pub fn told(&self, msg: MsgRef) -> Option<&SendOutcome> {
        self.broker.kafka()?.told.get(&msg)
    }

    /// The messages service `service` lost, in order.
    pub fn lost_msgs(&self, service: usize) -> Vec<MsgRef> {
        self.ledger
            .messages(service)
            .filter(|(_, st)| st.lost)
            .map(|(m, _)| m)
            .collect()
    }

    /// Of those, the ones whose producer was told they were written
    /// (Kafka's callback got a `RecordMetadata`) and that no replica's log
    /// holds any more: the records the cluster lost though it said it had
    /// them. (A consumer that committed before processing loses records
    /// that are still in the log; those are not counted here.)
    pub fn acknowledged_then_lost(&self, service: usize) -> Vec<MsgRef> {
        self.lost_msgs(service)
            .into_iter()
            .filter(|m| matches!(self.told(*m), Some(SendOutcome::Acked { .. })))
            .filter(|m| !self.in_some_log(&self.catalog.text(*m)))
            .collect()
    }

    /// Whether any replica of any partition holds a record whose value is
    /// `value`.
    fn in_some_log(&self, value: &str) -> bool {
        self.broker.kafka().is_some_and(|k| {
            k.cluster.topics.values().any(|t| {
                t.partitions.iter().any(|p| {
                    p.replicas
                        .values()
                        .any(|r| r.log.records().iter().any(|rec| rec.value == value))
                })
            })
        })
    }
}

/// A slow fault's factor, kept in range (injected faults may come from a
/// hand-edited link).
fn slow_factor(spec: &FaultSpec) -> f64 {
    spec.factor
        .filter(|f| f.is_finite())
        .unwrap_or(1.0)
        .clamp(1.0, 100.0)
}
