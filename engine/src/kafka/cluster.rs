//! The cluster: brokers, the controller, topics, and the clients (producers
//! and consumers) that talk to it — driven like the Redis `Server`. The
//! caller moves simulated time with [`Cluster::advance_to`] (fetch rounds,
//! ISR checks, fencing, retries, timeouts happen then; [`Cluster::next_due`]
//! says when the next one is) and calls requests at the current time.
//! Every state change is recorded as a [`Event`] (taken with
//! [`Cluster::take_events`]). Requests travel instantly; only faults lose
//! them.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::assignor;
use crate::kafka::config::{
    Acks, AutoOffsetReset, BrokerConfig, ConsumerConfig, IsolationLevel, ProducerConfig,
    TopicConfig,
};
use crate::kafka::error::{ErrorCode, Thrown};
use crate::kafka::event::{
    BrokerId, ConsumerHandle, Event, LeaveReason, ProducerHandle, SendId, SendOutcome,
    TopicPartition,
};
use crate::kafka::group::{Consumer, Group, GroupState, Member};
use crate::kafka::idempotence::{self, SequenceCheck};
use crate::kafka::isr;
use crate::kafka::log::Record;
use crate::kafka::offsets::Offsets;
use crate::kafka::partition::{AckResult, Partition, PendingAck};
use crate::kafka::producer::{Producer, Send, SendState, TxnPhase};
use crate::kafka::transaction::Transaction;
use crate::time::{SimDuration, SimTime};

/// `group.initial.rebalance.delay.ms` (3000).
pub const GROUP_INITIAL_REBALANCE_DELAY_MS: u64 = 3_000;

/// A broker process.
#[derive(Clone, Debug)]
pub struct Broker {
    /// `node.id`.
    pub id: BrokerId,
    /// `broker.rack`.
    pub rack: Option<String>,
    /// The process runs.
    pub up: bool,
    /// Cut off the network.
    pub isolated: bool,
    /// The controller fenced it: it leads nothing and is in no ISR it
    /// could leave.
    pub fenced: bool,
    /// When the controller will fence it (its heartbeats stopped).
    pub fence_at: Option<SimTime>,
    /// Its follower fetch interval, if slowed (else the broker config's).
    pub fetch_interval_ms: Option<u64>,
    /// Its next fetch round.
    pub next_fetch: SimTime,
}

impl Broker {
    /// Reachable over the network.
    pub fn reachable(&self) -> bool {
        self.up && !self.isolated
    }
}

/// A topic.
#[derive(Clone, Debug)]
pub struct Topic {
    /// Its name.
    pub name: String,
    /// Its TopicId (a base64 UUID, as Kafka prints it; derived from the
    /// name here, random in Kafka).
    pub id: String,
    /// Its overrides.
    pub config: TopicConfig,
    /// Its partitions.
    pub partitions: Vec<Partition>,
}

/// A record poll() returned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsumedRecord {
    /// Its partition.
    pub tp: TopicPartition,
    /// Its offset.
    pub offset: u64,
    /// Its value.
    pub value: String,
}

/// The simulated Kafka cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub(super) now: SimTime,
    /// Broker-wide settings.
    pub config: BrokerConfig,
    /// Brokers by id.
    pub brokers: BTreeMap<BrokerId, Broker>,
    /// Topics by name.
    pub topics: BTreeMap<String, Topic>,
    /// Producers by handle.
    pub producers: BTreeMap<ProducerHandle, Producer>,
    /// Consumers by handle.
    pub consumers: BTreeMap<ConsumerHandle, Consumer>,
    /// Groups by id.
    pub groups: BTreeMap<String, Group>,
    /// `__consumer_offsets`.
    pub offsets: Offsets,
    /// The transaction coordinator's state, by `transactional.id`.
    pub transactions: BTreeMap<String, Transaction>,
    next_send: u64,
    pub(super) next_producer_id: u64,
    next_member: u64,
    next_isr_check: SimTime,
    pub(super) events: Vec<Event>,
}

impl Cluster {
    /// A cluster of `brokers` (`node.id`, `broker.rack`) whose clock reads
    /// `now`.
    pub fn new(now: SimTime, config: BrokerConfig, brokers: &[(BrokerId, Option<&str>)]) -> Self {
        let interval = SimDuration::from_ms(config.follower_fetch_interval_ms.max(1));
        let brokers = brokers
            .iter()
            .map(|(id, rack)| {
                let b = Broker {
                    id: *id,
                    rack: rack.map(String::from),
                    up: true,
                    isolated: false,
                    fenced: false,
                    fence_at: None,
                    fetch_interval_ms: None,
                    next_fetch: now + interval,
                };
                (*id, b)
            })
            .collect();
        let next_isr_check =
            now + SimDuration::from_ms((config.replica_lag_time_max_ms / 2).max(1));
        Cluster {
            now,
            config,
            brokers,
            topics: BTreeMap::new(),
            producers: BTreeMap::new(),
            consumers: BTreeMap::new(),
            groups: BTreeMap::new(),
            offsets: Offsets::default(),
            transactions: BTreeMap::new(),
            next_send: 1,
            next_producer_id: 0,
            next_member: 1,
            next_isr_check,
            events: Vec::new(),
        }
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Takes the events recorded since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }

    /// The partition `tp`.
    pub fn partition(&self, topic: &str, partition: u32) -> Option<&Partition> {
        self.topics
            .get(topic)
            .and_then(|t| t.partitions.get(partition as usize))
    }

    pub(super) fn partition_mut(&mut self, tp: &TopicPartition) -> Option<&mut Partition> {
        self.topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partitions.get_mut(tp.partition as usize))
    }

    pub(super) fn min_isr(&self, topic: &str) -> usize {
        let t = self.topics.get(topic);
        let min = t
            .and_then(|t| t.config.min_insync_replicas)
            .unwrap_or(self.config.min_insync_replicas);
        let rf = t
            .and_then(|t| t.partitions.first())
            .map_or(1, |p| p.assignment.len());
        isr::effective_min_isr(min, rf)
    }

    /// The min ISR below which replicas leaving the ISR join the ELR, or
    /// `None` with ELR off.
    fn elr_min_isr(&self, topic: &str) -> Option<usize> {
        self.config
            .eligible_leader_replicas
            .then(|| self.min_isr(topic))
    }

    fn unclean(&self, topic: &str) -> bool {
        self.topics
            .get(topic)
            .and_then(|t| t.config.unclean_leader_election_enable)
            .unwrap_or(self.config.unclean_leader_election_enable)
    }

    pub(super) fn reachable(&self, b: BrokerId) -> bool {
        self.brokers.get(&b).is_some_and(Broker::reachable)
    }

    // ----- topics -----

    /// Creates a topic with Kafka's rack-unaware replica placement (start
    /// index and shift 0, where Kafka draws them at random).
    /// `replication_factor` `None` takes `default.replication.factor`.
    pub fn create_topic(
        &mut self,
        name: &str,
        partitions: u32,
        replication_factor: Option<u32>,
        config: TopicConfig,
    ) -> Result<(), ErrorCode> {
        let ids: Vec<BrokerId> = self.brokers.keys().copied().collect();
        let n = ids.len();
        let rf = replication_factor.unwrap_or(self.config.default_replication_factor) as usize;
        if partitions == 0 || rf == 0 {
            return Err(ErrorCode::InvalidRequest);
        }
        if rf > n {
            return Err(ErrorCode::InvalidReplicationFactor);
        }
        let mut assignment = Vec::new();
        let mut shift = 0usize;
        for p in 0..partitions as usize {
            if p > 0 && p % n == 0 {
                shift += 1;
            }
            let first = p % n;
            let mut replicas = alloc::vec![ids[first]];
            for j in 0..rf - 1 {
                let s = 1 + (shift + j) % (n - 1).max(1);
                replicas.push(ids[(first + s) % n]);
            }
            assignment.push(replicas);
        }
        self.create_topic_with_assignment(name, assignment, config)
    }

    /// Creates a topic with an explicit assignment (`--replica-assignment`):
    /// `assignment[p]` is partition `p`'s replicas, preferred leader first.
    pub fn create_topic_with_assignment(
        &mut self,
        name: &str,
        assignment: Vec<Vec<BrokerId>>,
        config: TopicConfig,
    ) -> Result<(), ErrorCode> {
        if self.topics.contains_key(name) {
            return Err(ErrorCode::TopicAlreadyExists);
        }
        let valid = !name.is_empty()
            && !assignment.is_empty()
            && assignment.iter().all(|r| {
                !r.is_empty()
                    && r.len() == assignment[0].len()
                    && r.iter().all(|b| self.brokers.contains_key(b))
                    && r.iter().enumerate().all(|(i, b)| !r[..i].contains(b))
            });
        if !valid {
            return Err(ErrorCode::InvalidRequest);
        }
        let partitions = assignment
            .iter()
            .enumerate()
            .map(|(i, r)| Partition::new(name, i as u32, r.clone(), self.now))
            .collect();
        self.topics.insert(
            String::from(name),
            Topic {
                name: String::from(name),
                id: topic_id(name),
                config,
                partitions,
            },
        );
        self.events.push(Event::TopicCreated {
            topic: String::from(name),
            replicas: assignment,
        });
        Ok(())
    }

    // ----- the clock -----

    /// When the model next needs to act on its own: a fetch round, an ISR
    /// check, a fencing, a retry or timeout, a session or rebalance timeout.
    pub fn next_due(&self) -> Option<SimTime> {
        let mut due = Some(self.next_isr_check);
        let mut take = |t: Option<SimTime>| {
            if let Some(t) = t {
                due = Some(due.map_or(t, |d: SimTime| d.min(t)));
            }
        };
        for b in self.brokers.values() {
            take(b.fence_at);
            if b.up {
                take(Some(b.next_fetch));
            }
        }
        for t in self.topics.values() {
            for p in &t.partitions {
                take(p.pending.iter().map(|a| a.expires_at).min());
            }
        }
        for p in self.producers.values() {
            take(p.next_due());
        }
        for c in self.consumers.values() {
            if c.member_id.is_none() {
                continue;
            }
            match c.crashed_at {
                Some(at) => take(Some(at + SimDuration::from_ms(c.config.session_timeout_ms))),
                None if c.alive => take(Some(
                    c.last_poll + SimDuration::from_ms(c.config.max_poll_interval_ms),
                )),
                None => {}
            }
        }
        for g in self.groups.values() {
            take(g.rebalance_deadline);
            take(g.initial_delay_until);
        }
        take(self.transactions_due());
        due
    }

    /// Moves the clock to `t`, doing everything due on the way, in time
    /// order. A `t` in the past does nothing.
    pub fn advance_to(&mut self, t: SimTime) {
        // Bounded: every step moves some due time forward.
        for _ in 0..1_000_000 {
            match self.next_due() {
                Some(d) if d <= t => {
                    self.now = self.now.max(d);
                    self.run_due();
                }
                _ => break,
            }
        }
        self.now = self.now.max(t);
    }

    fn run_due(&mut self) {
        let now = self.now;
        // 1. The controller fences brokers whose heartbeats stopped.
        let to_fence: Vec<BrokerId> = self
            .brokers
            .values()
            .filter(|b| b.fence_at.is_some_and(|t| t <= now))
            .map(|b| b.id)
            .collect();
        for b in to_fence {
            self.fence(b);
        }
        // 2. acks=all writes whose request timed out on the broker.
        self.answer_all_pending();
        // 3. Follower fetch rounds.
        let fetching: Vec<BrokerId> = self
            .brokers
            .values()
            .filter(|b| b.up && b.next_fetch <= now)
            .map(|b| b.id)
            .collect();
        for b in fetching {
            self.fetch_round(b);
            let interval = self.brokers.get(&b).and_then(|x| x.fetch_interval_ms);
            let interval = interval
                .unwrap_or(self.config.follower_fetch_interval_ms)
                .max(1);
            if let Some(br) = self.brokers.get_mut(&b) {
                br.next_fetch = now + SimDuration::from_ms(interval);
            }
        }
        // 4. The leaders' ISR expiration check.
        if self.next_isr_check <= now {
            self.isr_check();
            let every = (self.config.replica_lag_time_max_ms / 2).max(1);
            self.next_isr_check = now + SimDuration::from_ms(every);
        }
        // 5. Producers: delivery timeouts, request timeouts, retries.
        self.producer_timers();
        // 6. Groups: session and poll timeouts, rebalance deadlines.
        self.group_timers();
        // 7. Transactions: commits and aborts whose sends are answered,
        // timeouts, markers that waited for a leader.
        self.settle_transactions();
    }

    fn fetch_round(&mut self, follower: BrokerId) {
        if !self.reachable(follower) {
            return;
        }
        let strict = self.config.strict_min_isr;
        let tps: Vec<(TopicPartition, BrokerId)> = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|p| p.assignment.contains(&follower))
            .filter_map(|p| {
                p.leader
                    .map(|l| (TopicPartition::new(&p.topic, p.index), l))
            })
            .filter(|(_, l)| *l != follower)
            .collect();
        for (tp, leader) in tps {
            if !self.reachable(leader) {
                continue;
            }
            let min_isr = self.min_isr(&tp.topic);
            let now = self.now;
            let mut events = Vec::new();
            let answered = match self.partition_mut(&tp) {
                Some(p) => {
                    p.follower_fetch(follower, now, min_isr, strict, &mut events);
                    p.take_answered(min_isr, now)
                }
                None => Vec::new(),
            };
            // A fetch that moved nothing is not drawn.
            events.retain(|e| match e {
                Event::FollowerFetched { records, .. } => !records.is_empty(),
                _ => true,
            });
            self.events.extend(events);
            self.deliver_acks(leader, answered);
        }
    }

    fn isr_check(&mut self) {
        let now = self.now;
        let lag = self.config.replica_lag_time_max_ms;
        let strict = self.config.strict_min_isr;
        let tps: Vec<(TopicPartition, BrokerId)> = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter_map(|p| {
                p.leader
                    .map(|l| (TopicPartition::new(&p.topic, p.index), l))
            })
            .collect();
        for (tp, leader) in tps {
            // The leader must reach the controller to change the ISR.
            if !self.reachable(leader) {
                continue;
            }
            let min_isr = self.min_isr(&tp.topic);
            let elr_min_isr = self.elr_min_isr(&tp.topic);
            let mut events = Vec::new();
            let answered = match self.partition_mut(&tp) {
                Some(p) => {
                    if p.shrink_isr(now, lag, elr_min_isr, &mut events) {
                        p.maybe_advance_hw(min_isr, strict, &mut events);
                        p.take_answered(min_isr, now)
                    } else {
                        Vec::new()
                    }
                }
                None => Vec::new(),
            };
            self.events.extend(events);
            self.deliver_acks(leader, answered);
        }
    }

    fn answer_all_pending(&mut self) {
        let now = self.now;
        let tps: Vec<(TopicPartition, BrokerId)> = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|p| p.pending.iter().any(|a| a.expires_at <= now))
            .filter_map(|p| {
                p.leader
                    .map(|l| (TopicPartition::new(&p.topic, p.index), l))
            })
            .collect();
        for (tp, leader) in tps {
            let min_isr = self.min_isr(&tp.topic);
            let answered = self
                .partition_mut(&tp)
                .map(|p| p.take_answered(min_isr, now))
                .unwrap_or_default();
            self.deliver_acks(leader, answered);
        }
    }

    // ----- faults -----

    /// Kills broker `b` (kill -9): connections to it drop at once; the
    /// controller notices after `broker.session.timeout.ms`.
    pub fn kill_broker(&mut self, b: BrokerId) {
        let session = self.config.broker_session_timeout_ms;
        let now = self.now;
        let Some(br) = self.brokers.get_mut(&b) else {
            return;
        };
        if !br.up {
            return;
        }
        br.up = false;
        if !br.fenced {
            br.fence_at = Some(now + SimDuration::from_ms(session));
        }
        self.events.push(Event::BrokerKilled { broker: b });
        self.drop_broker_requests(b, true);
    }

    /// Restarts broker `b` with its log as it was: it registers with the
    /// controller (unfenced) and follows; leaderless partitions may now
    /// elect it.
    pub fn restart_broker(&mut self, b: BrokerId) {
        let interval = self.config.follower_fetch_interval_ms.max(1);
        let now = self.now;
        let Some(br) = self.brokers.get_mut(&b) else {
            return;
        };
        if br.up {
            return;
        }
        br.up = true;
        br.fenced = false;
        br.fence_at = None;
        br.next_fetch = now + SimDuration::from_ms(interval);
        self.events.push(Event::BrokerRestarted { broker: b });
        for p in self
            .topics
            .values_mut()
            .flat_map(|t| t.partitions.iter_mut())
        {
            p.forget_crashed(b);
        }
        self.elect_leaderless();
    }

    /// Cuts broker `b` off the network: nobody reaches it and it reaches
    /// nobody; requests to it go unanswered; the controller fences it after
    /// `broker.session.timeout.ms`.
    pub fn isolate_broker(&mut self, b: BrokerId) {
        let session = self.config.broker_session_timeout_ms;
        let now = self.now;
        let Some(br) = self.brokers.get_mut(&b) else {
            return;
        };
        if br.isolated {
            return;
        }
        br.isolated = true;
        if br.up && !br.fenced {
            br.fence_at = Some(now + SimDuration::from_ms(session));
        }
        self.events.push(Event::BrokerIsolated { broker: b });
        self.drop_broker_requests(b, false);
    }

    /// Heals broker `b`'s network: it registers again and follows.
    pub fn reconnect_broker(&mut self, b: BrokerId) {
        let Some(br) = self.brokers.get_mut(&b) else {
            return;
        };
        if !br.isolated {
            return;
        }
        br.isolated = false;
        if br.up {
            br.fenced = false;
            br.fence_at = None;
        }
        self.events.push(Event::BrokerReconnected { broker: b });
        self.elect_leaderless();
    }

    /// Slows broker `b`'s follower fetches to one per `interval_ms` (`None`
    /// restores the normal pace).
    pub fn slow_follower(&mut self, b: BrokerId, interval_ms: Option<u64>) {
        let normal = self.config.follower_fetch_interval_ms;
        let now = self.now;
        let Some(br) = self.brokers.get_mut(&b) else {
            return;
        };
        br.fetch_interval_ms = interval_ms;
        let every = interval_ms.unwrap_or(normal).max(1);
        br.next_fetch = now + SimDuration::from_ms(every);
        self.events.push(Event::FollowerSlowed {
            broker: b,
            interval_ms: every,
        });
    }

    /// Loses the next `n` produce responses to `producer` on the way back:
    /// the broker did the work, the client never hears of it.
    pub fn lose_produce_responses(&mut self, producer: ProducerHandle, n: u32) {
        if let Some(p) = self.producers.get_mut(&producer) {
            p.lose_responses = p.lose_responses.saturating_add(n);
        }
    }

    /// Broker `b` went away: acks=all writes waiting on it are never
    /// answered; with `disconnect` (the process died) clients see their
    /// connections drop at once.
    fn drop_broker_requests(&mut self, b: BrokerId, disconnect: bool) {
        for t in self.topics.values_mut() {
            for p in &mut t.partitions {
                if p.leader == Some(b) {
                    p.pending.clear();
                }
            }
        }
        if !disconnect {
            return;
        }
        let in_flight: Vec<(ProducerHandle, SendId, u32)> = self
            .producers
            .values()
            .flat_map(|p| {
                p.sends.values().filter_map(move |s| match s.state {
                    SendState::InFlight {
                        broker, attempt, ..
                    } if broker == b => Some((p.handle, s.id, attempt)),
                    _ => None,
                })
            })
            .collect();
        for (ph, sid, attempt) in in_flight {
            self.respond(
                ph,
                sid,
                attempt,
                b,
                Err(ErrorCode::NetworkException),
                false,
                true,
            );
        }
    }

    fn fence(&mut self, b: BrokerId) {
        let Some(br) = self.brokers.get_mut(&b) else {
            return;
        };
        br.fence_at = None;
        br.fenced = true;
        self.events.push(Event::BrokerFenced { broker: b });
        let tps: Vec<TopicPartition> = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|p| p.assignment.contains(&b))
            .map(|p| TopicPartition::new(&p.topic, p.index))
            .collect();
        for tp in tps {
            let mut events = Vec::new();
            let elr_min_isr = self.elr_min_isr(&tp.topic);
            let was_leader = self
                .partition_mut(&tp)
                .is_some_and(|p| p.remove_fenced(b, elr_min_isr, &mut events));
            self.events.extend(events);
            if was_leader {
                self.elect(&tp, Some(b));
            }
        }
    }

    fn elect(&mut self, tp: &TopicPartition, old_leader: Option<BrokerId>) {
        let live: BTreeMap<BrokerId, bool> = self
            .brokers
            .iter()
            .map(|(id, b)| (*id, !b.fenced))
            .collect();
        let unclean = self.unclean(&tp.topic);
        let now = self.now;
        let mut events = Vec::new();
        let failed = match self.partition_mut(tp) {
            Some(p) => p.elect(
                |b| live.get(&b).copied().unwrap_or(false),
                unclean,
                now,
                &mut events,
            ),
            None => Vec::new(),
        };
        self.events.extend(events);
        if let Some(old) = old_leader.or_else(|| failed.first().map(|_| 0)) {
            self.deliver_acks(old, failed);
        }
    }

    fn elect_leaderless(&mut self) {
        let tps: Vec<TopicPartition> = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|p| p.leader.is_none())
            .map(|p| TopicPartition::new(&p.topic, p.index))
            .collect();
        for tp in tps {
            self.elect(&tp, None);
        }
    }

    // ----- producers -----

    /// Creates a producer. An idempotent one gets its producer id
    /// (InitProducerId) at once. Conflicting settings are a
    /// `ConfigException`, as `new KafkaProducer(...)` throws.
    pub fn add_producer(&mut self, config: ProducerConfig) -> Result<ProducerHandle, ErrorCode> {
        let idempotent = config.idempotence()?;
        let handle = ProducerHandle(self.producers.len() as u32 + 1);
        // A transactional producer gets its id from the coordinator, in
        // `initTransactions()`.
        let pid = (idempotent && config.transactional_id.is_none()).then(|| {
            let id = self.next_producer_id;
            self.next_producer_id += 1;
            id
        });
        if let Some(producer_id) = pid {
            self.events.push(Event::ProducerIdAssigned {
                producer: handle,
                producer_id,
            });
        }
        self.producers
            .insert(handle, Producer::new(handle, config, pid));
        Ok(handle)
    }

    /// `producer.send(record, callback)` to `topic`-`partition`: the first
    /// attempt goes out now. The callback's outcome is recorded as
    /// [`Event::SendCompleted`] and readable with [`Cluster::send_outcome`].
    /// A transactional producer refuses it outside a transaction and in an
    /// error state (rethrowing its error, as Kafka's `send()` hands it to
    /// the callback).
    pub fn send(
        &mut self,
        producer: ProducerHandle,
        topic: &str,
        partition: u32,
        value: &str,
    ) -> Result<SendId, Thrown> {
        if self.partition(topic, partition).is_none() {
            return Err(ErrorCode::UnknownTopicOrPartition.into());
        }
        let tp = TopicPartition::new(topic, partition);
        let id = SendId(self.next_send);
        let now = self.now;
        self.add_to_transaction(producer, &tp, id)?;
        let Some(p) = self.producers.get_mut(&producer) else {
            return Err(ErrorCode::IllegalState.into());
        };
        let transactional = p.phase != TxnPhase::NotTransactional;
        self.next_send += 1;
        let sequence = p.producer_id.map(|_| {
            let s = p.next_sequence.entry(tp.clone()).or_insert(0);
            let seq = *s;
            *s = s.wrapping_add(1);
            seq
        });
        p.sends.insert(
            id,
            Send {
                id,
                tp,
                value: String::from(value),
                sequence,
                created: now,
                attempts: 0,
                transactional,
                state: SendState::Backoff { retry_at: now },
            },
        );
        self.attempt(producer, id);
        Ok(id)
    }

    /// What the callback of `send` was told, once it ran.
    pub fn send_outcome(&self, producer: ProducerHandle, send: SendId) -> Option<&SendOutcome> {
        match &self.producers.get(&producer)?.sends.get(&send)?.state {
            SendState::Done(o) => Some(o),
            _ => None,
        }
    }

    fn attempt(&mut self, ph: ProducerHandle, sid: SendId) {
        let now = self.now;
        let Some(p) = self.producers.get_mut(&ph) else {
            return;
        };
        let Some(s) = p.sends.get(&sid) else { return };
        // Idempotence keeps a partition's batches in sequence order: this
        // one waits for the earlier ones being retried.
        if let Some(at) = p.held_back_until(s).filter(|at| *at > now) {
            if let Some(s) = p.sends.get_mut(&sid) {
                s.state = SendState::Backoff { retry_at: at };
            }
            return;
        }
        let Some(p) = self.producers.get(&ph) else {
            return;
        };
        let Some(s) = p.sends.get(&sid) else { return };
        let tp = s.tp.clone();
        // Metadata: refresh if unknown or marked stale.
        if p.metadata.get(&tp).copied().flatten().is_none() {
            let (leader, epoch) = self
                .partition(&tp.topic, tp.partition)
                .map_or((None, 0), |x| (x.leader, x.leader_epoch));
            if let Some(p) = self.producers.get_mut(&ph) {
                p.metadata.insert(tp.clone(), Some((leader, epoch)));
                if p.learned.insert(tp.clone(), (leader, epoch)) != Some((leader, epoch)) {
                    self.events.push(Event::MetadataRefreshed {
                        producer: ph,
                        topic: tp.topic.clone(),
                        partition: tp.partition,
                        leader,
                        leader_epoch: epoch,
                    });
                }
            }
        }
        let Some(p) = self.producers.get_mut(&ph) else {
            return;
        };
        let leader = p.metadata.get(&tp).copied().flatten().and_then(|m| m.0);
        let acks = p.config.acks;
        let timeout = p.config.request_timeout_ms;
        let pid = p.producer_id.map(|id| (id, p.epoch));
        let Some(s) = p.sends.get_mut(&sid) else {
            return;
        };
        let transactional = s.transactional;
        s.attempts += 1;
        let attempt = s.attempts;
        let (value, seq) = (s.value.clone(), s.sequence);
        let Some(broker) = leader else {
            // No leader known: the client cannot send (it would wait in the
            // accumulator); the model reports it as the metadata says.
            s.state = SendState::InFlight {
                broker: 0,
                attempt,
                timeout_at: now,
            };
            self.respond(
                ph,
                sid,
                attempt,
                0,
                Err(ErrorCode::LeaderNotAvailable),
                false,
                true,
            );
            return;
        };
        s.state = SendState::InFlight {
            broker,
            attempt,
            timeout_at: now + SimDuration::from_ms(timeout),
        };
        self.events.push(Event::ProduceSent {
            producer: ph,
            send: sid,
            topic: tp.topic.clone(),
            partition: tp.partition,
            broker,
            attempt,
            sequence: seq,
        });
        let Some(br) = self.brokers.get(&broker) else {
            return;
        };
        if !br.up {
            // Connection refused.
            self.respond(
                ph,
                sid,
                attempt,
                broker,
                Err(ErrorCode::NetworkException),
                false,
                true,
            );
            return;
        }
        if br.isolated {
            return; // no answer will come: the client times out
        }
        let answer = self.handle_produce(
            broker,
            ph,
            sid,
            attempt,
            &tp,
            value,
            pid.zip(seq).map(|((id, epoch), seq)| (id, epoch, seq)),
            transactional,
            acks,
            timeout,
        );
        if acks == Acks::Zero {
            // No response: the callback is told at once, offset unknown.
            self.complete(ph, sid, SendOutcome::Acked { offset: None });
            return;
        }
        if let Some((result, appended, duplicate)) = answer {
            if let (true, Ok(offset)) = (duplicate, result) {
                self.ack_duplicate(ph, sid, attempt, broker, offset);
                return;
            }
            self.respond(ph, sid, attempt, broker, result, appended, false);
        }
    }

    /// The leader's side of a produce request. `None`: parked until the ISR
    /// has it (acks=all).
    #[allow(clippy::too_many_arguments)]
    fn handle_produce(
        &mut self,
        broker: BrokerId,
        ph: ProducerHandle,
        sid: SendId,
        attempt: u32,
        tp: &TopicPartition,
        value: String,
        idem: Option<(u64, u16, u32)>,
        transactional: bool,
        acks: Acks,
        timeout_ms: u64,
    ) -> Option<(Result<u64, ErrorCode>, bool, bool)> {
        let min_isr = self.min_isr(&tp.topic);
        let strict = self.config.strict_min_isr;
        let now = self.now;
        let mut events = Vec::new();
        let Some(p) = self.partition_mut(tp) else {
            return Some((Err(ErrorCode::UnknownTopicOrPartition), false, false));
        };
        if p.leader != Some(broker) {
            return Some((Err(ErrorCode::NotLeaderOrFollower), false, false));
        }
        if acks == Acks::All && p.isr.len() < min_isr {
            return Some((Err(ErrorCode::NotEnoughReplicas), false, false));
        }
        let epoch = p.leader_epoch;
        let hw = p.high_watermark();
        let rep = p.replicas.get_mut(&broker)?;
        if let Some((pid, producer_epoch, seq)) = idem {
            match idempotence::check(&rep.log, pid, producer_epoch, seq) {
                SequenceCheck::StaleEpoch => {
                    return Some((Err(ErrorCode::InvalidProducerEpoch), false, false));
                }
                SequenceCheck::Duplicate { offset } => {
                    if acks != Acks::All || hw > offset {
                        return Some((Ok(offset), true, true));
                    }
                    p.pending.push(PendingAck {
                        producer: ph,
                        send: sid,
                        attempt,
                        offset,
                        expires_at: now + SimDuration::from_ms(timeout_ms),
                    });
                    return None;
                }
                SequenceCheck::OutOfOrder => {
                    return Some((Err(ErrorCode::OutOfOrderSequenceNumber), false, false));
                }
                SequenceCheck::Append => {}
            }
        }
        let offset = rep.log.append_record(Record {
            offset: 0,
            leader_epoch: epoch,
            value,
            producer_id: idem.map(|x| x.0),
            sequence: idem.map(|x| x.2),
            producer_epoch: idem.map_or(0, |x| x.1),
            transactional,
            control: None,
        });
        let record = rep.log.get(offset).map(|r| r.as_ref())?;
        events.push(Event::RecordAppended {
            topic: tp.topic.clone(),
            partition: tp.partition,
            broker,
            record,
            producer: Some(ph),
            send: Some(sid),
        });
        p.maybe_advance_hw(min_isr, strict, &mut events);
        let answer = match acks {
            Acks::Zero | Acks::One => Some((Ok(offset), true, false)),
            Acks::All => {
                p.pending.push(PendingAck {
                    producer: ph,
                    send: sid,
                    attempt,
                    offset,
                    expires_at: now + SimDuration::from_ms(timeout_ms),
                });
                None
            }
        };
        let answered = p.take_answered(min_isr, now);
        self.events.extend(events);
        self.deliver_acks(broker, answered);
        answer
    }

    fn deliver_acks(&mut self, broker: BrokerId, answered: Vec<AckResult>) {
        for (a, result) in answered {
            self.respond(a.producer, a.send, a.attempt, broker, result, true, false);
        }
    }

    fn ack_duplicate(
        &mut self,
        ph: ProducerHandle,
        sid: SendId,
        attempt: u32,
        broker: BrokerId,
        offset: u64,
    ) {
        if !self.in_flight(ph, sid, attempt) || self.response_lost(ph, sid, broker) {
            return;
        }
        self.events.push(Event::ProduceAcked {
            producer: ph,
            send: sid,
            broker,
            offset: Some(offset),
            duplicate: true,
        });
        self.complete(
            ph,
            sid,
            SendOutcome::Acked {
                offset: Some(offset),
            },
        );
    }

    fn in_flight(&self, ph: ProducerHandle, sid: SendId, attempt: u32) -> bool {
        self.producers
            .get(&ph)
            .and_then(|p| p.sends.get(&sid))
            .is_some_and(
                |s| matches!(s.state, SendState::InFlight { attempt: a, .. } if a == attempt),
            )
    }

    fn response_lost(&mut self, ph: ProducerHandle, sid: SendId, broker: BrokerId) -> bool {
        if !self.reachable(broker) {
            return true;
        }
        let Some(p) = self.producers.get_mut(&ph) else {
            return true;
        };
        if p.lose_responses > 0 {
            p.lose_responses -= 1;
            self.events.push(Event::ProduceResponseLost {
                producer: ph,
                send: sid,
                broker,
            });
            return true;
        }
        false
    }

    /// An answer reaches the producer (unless lost). `local`: the client's
    /// own verdict (a dropped connection, no leader), which no fault loses.
    #[allow(clippy::too_many_arguments)]
    fn respond(
        &mut self,
        ph: ProducerHandle,
        sid: SendId,
        attempt: u32,
        broker: BrokerId,
        result: Result<u64, ErrorCode>,
        appended: bool,
        local: bool,
    ) {
        if !self.in_flight(ph, sid, attempt) {
            return;
        }
        if !local && self.response_lost(ph, sid, broker) {
            return;
        }
        match result {
            Ok(offset) => {
                self.events.push(Event::ProduceAcked {
                    producer: ph,
                    send: sid,
                    broker,
                    offset: Some(offset),
                    duplicate: false,
                });
                self.complete(
                    ph,
                    sid,
                    SendOutcome::Acked {
                        offset: Some(offset),
                    },
                );
            }
            Err(error) => {
                if error != ErrorCode::LeaderNotAvailable {
                    self.events.push(Event::ProduceFailed {
                        producer: ph,
                        send: sid,
                        broker,
                        error,
                        appended,
                    });
                }
                self.on_error(ph, sid, error);
            }
        }
    }

    fn on_error(&mut self, ph: ProducerHandle, sid: SendId, error: ErrorCode) {
        let now = self.now;
        let Some(p) = self.producers.get_mut(&ph) else {
            return;
        };
        let Some(s) = p.sends.get(&sid) else { return };
        // The client asks for fresh metadata after a disconnect or a
        // leadership error whether or not this send is retried.
        if error.needs_metadata_refresh() {
            p.metadata.insert(s.tp.clone(), None);
        }
        match p.retry_at(s, error, now) {
            Some(at) => {
                if let Some(s) = p.sends.get_mut(&sid) {
                    s.state = SendState::Backoff { retry_at: at };
                }
                self.events.push(Event::RetryScheduled {
                    producer: ph,
                    send: sid,
                    error,
                    at: at.as_ms(),
                });
            }
            None => self.complete(ph, sid, SendOutcome::Failed { error }),
        }
    }

    pub(super) fn complete(&mut self, ph: ProducerHandle, sid: SendId, outcome: SendOutcome) {
        let Some(p) = self.producers.get_mut(&ph) else {
            return;
        };
        let Some(s) = p.sends.get_mut(&sid) else {
            return;
        };
        if matches!(s.state, SendState::Done(_)) {
            return;
        }
        s.state = SendState::Done(outcome.clone());
        let failed_in_transaction = match outcome {
            SendOutcome::Failed { error } if s.transactional => Some(error),
            _ => None,
        };
        self.events.push(Event::SendCompleted {
            producer: ph,
            send: sid,
            value: s.value.clone(),
            result: outcome,
        });
        if let Some(error) = failed_in_transaction {
            self.fail_transaction(ph, error);
        }
    }

    fn producer_timers(&mut self) {
        let now = self.now;
        let mut work: Vec<(ProducerHandle, SendId, u8, u32, BrokerId)> = Vec::new();
        for p in self.producers.values() {
            for s in p.sends.values() {
                let expired = now >= p.delivery_deadline(s);
                match s.state {
                    SendState::Done(_) => {}
                    _ if expired => work.push((p.handle, s.id, 0, 0, 0)),
                    SendState::InFlight {
                        timeout_at,
                        attempt,
                        broker,
                    } if timeout_at <= now => work.push((p.handle, s.id, 1, attempt, broker)),
                    SendState::Backoff { retry_at } if retry_at <= now => {
                        work.push((p.handle, s.id, 2, 0, 0))
                    }
                    _ => {}
                }
            }
        }
        for (ph, sid, kind, attempt, broker) in work {
            match kind {
                0 => self.complete(
                    ph,
                    sid,
                    SendOutcome::Failed {
                        error: ErrorCode::RequestTimedOut,
                    },
                ),
                1 => self.respond(
                    ph,
                    sid,
                    attempt,
                    broker,
                    Err(ErrorCode::NetworkException),
                    false,
                    true,
                ),
                _ => self.attempt(ph, sid),
            }
        }
    }

    // ----- consumers -----

    /// Creates a consumer (not yet in its group: [`Cluster::subscribe`]).
    pub fn add_consumer(&mut self, config: ConsumerConfig) -> ConsumerHandle {
        let handle = ConsumerHandle(self.consumers.len() as u32 + 1);
        let next_auto_commit = self.now + SimDuration::from_ms(config.auto_commit_interval_ms);
        self.consumers.insert(
            handle,
            Consumer {
                handle,
                config,
                member_id: None,
                generation: 0,
                subscription: Vec::new(),
                assignment: Vec::new(),
                positions: BTreeMap::new(),
                alive: true,
                crashed_at: None,
                last_poll: self.now,
                next_auto_commit,
            },
        );
        handle
    }

    /// `consumer.subscribe(topics)`: joins the group, which rebalances.
    pub fn subscribe(&mut self, c: ConsumerHandle, topics: &[&str]) -> Result<(), ErrorCode> {
        if topics.iter().any(|t| !self.topics.contains_key(*t)) {
            return Err(ErrorCode::UnknownTopicOrPartition);
        }
        let Some(con) = self.consumers.get_mut(&c) else {
            return Err(ErrorCode::IllegalState);
        };
        if !con.alive {
            return Err(ErrorCode::IllegalState);
        }
        con.subscription = topics.iter().map(|t| String::from(*t)).collect();
        if con.member_id.is_none() {
            self.join(c);
        }
        Ok(())
    }

    fn join(&mut self, c: ConsumerHandle) {
        let now = self.now;
        let n = self.next_member;
        let Some(con) = self.consumers.get_mut(&c) else {
            return;
        };
        self.next_member += 1;
        // Kafka appends a random UUID; a counter in its shape keeps the
        // id's length, so describe's CONSUMER-ID column is as wide.
        let member_id = format!("{}-00000000-0000-0000-0000-{n:012x}", con.config.client_id);
        con.member_id = Some(member_id.clone());
        con.assignment.clear();
        con.positions.clear();
        let member = Member {
            id: member_id.clone(),
            consumer: c,
            client_id: con.config.client_id.clone(),
            subscription: con.subscription.clone(),
            rejoined: true,
            assignment: Vec::new(),
            rebalance_timeout_ms: con.config.max_poll_interval_ms,
        };
        let gid = con.config.group_id.clone();
        let config = con.config.clone();
        let g = self
            .groups
            .entry(gid.clone())
            .or_insert_with(|| Group::new(&gid, &config));
        g.members.insert(member_id.clone(), member);
        self.events.push(Event::MemberJoined {
            group: gid.clone(),
            member: member_id,
            consumer: c,
        });
        self.start_rebalance(&gid);
        let _ = now;
        self.try_complete(&gid);
    }

    fn start_rebalance(&mut self, gid: &str) {
        let now = self.now;
        let Some(g) = self.groups.get_mut(gid) else {
            return;
        };
        if g.state == GroupState::PreparingRebalance {
            return;
        }
        if g.state == GroupState::Empty {
            g.initial_delay_until =
                Some(now + SimDuration::from_ms(GROUP_INITIAL_REBALANCE_DELAY_MS));
        }
        g.state = GroupState::PreparingRebalance;
        let timeout = g
            .members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0);
        g.rebalance_deadline = Some(now + SimDuration::from_ms(timeout));
        for m in g.members.values_mut() {
            if !m.assignment.is_empty() || g.generation > 0 {
                m.rejoined = false;
            }
        }
        // A member that just joined has rejoined already.
        self.events.push(Event::RebalanceStarted {
            group: String::from(gid),
            generation: g.generation,
        });
    }

    fn try_complete(&mut self, gid: &str) {
        let now = self.now;
        let partitions: BTreeMap<String, u32> = self
            .topics
            .values()
            .map(|t| (t.name.clone(), t.partitions.len() as u32))
            .collect();
        let Some(g) = self.groups.get_mut(gid) else {
            return;
        };
        if g.state != GroupState::PreparingRebalance || !g.all_rejoined() {
            return;
        }
        if g.initial_delay_until.is_some_and(|t| now < t) {
            return;
        }
        g.initial_delay_until = None;
        g.rebalance_deadline = None;
        g.generation += 1;
        if g.members.is_empty() {
            g.state = GroupState::Empty;
            return;
        }
        let subs: BTreeMap<String, Vec<String>> = g
            .members
            .iter()
            .map(|(id, m)| (id.clone(), m.subscription.clone()))
            .collect();
        let plan = assignor::assign(g.assignor, &subs, &partitions);
        g.state = GroupState::Stable;
        let generation = g.generation;
        for (id, m) in g.members.iter_mut() {
            m.assignment = plan.get(id).cloned().unwrap_or_default();
            self.events.push(Event::PartitionsAssigned {
                group: String::from(gid),
                member: id.clone(),
                generation,
                partitions: m.assignment.clone(),
            });
        }
    }

    fn remove_member(&mut self, gid: &str, member: &str, reason: LeaveReason) {
        let Some(g) = self.groups.get_mut(gid) else {
            return;
        };
        if g.members.remove(member).is_none() {
            return;
        }
        self.events.push(Event::MemberLeft {
            group: String::from(gid),
            member: String::from(member),
            reason,
        });
        let state = g.state;
        let empty = g.members.is_empty();
        if state == GroupState::Stable && empty {
            g.state = GroupState::Empty;
            g.generation += 1;
        } else if state == GroupState::Stable {
            self.start_rebalance(gid);
        }
        self.try_complete(gid);
    }

    fn group_timers(&mut self) {
        let now = self.now;
        let mut leave: Vec<(ConsumerHandle, String, String, LeaveReason)> = Vec::new();
        for c in self.consumers.values() {
            let Some(m) = &c.member_id else { continue };
            if let Some(at) = c.crashed_at {
                if now >= at + SimDuration::from_ms(c.config.session_timeout_ms) {
                    leave.push((
                        c.handle,
                        c.config.group_id.clone(),
                        m.clone(),
                        LeaveReason::SessionTimeout,
                    ));
                }
            } else if c.alive
                && now >= c.last_poll + SimDuration::from_ms(c.config.max_poll_interval_ms)
            {
                leave.push((
                    c.handle,
                    c.config.group_id.clone(),
                    m.clone(),
                    LeaveReason::PollTimeout,
                ));
            }
        }
        for (c, g, m, reason) in leave {
            if let Some(con) = self.consumers.get_mut(&c) {
                con.member_id = None;
            }
            self.remove_member(&g, &m, reason);
        }
        let gids: Vec<String> = self.groups.keys().cloned().collect();
        for gid in gids {
            let Some(g) = self.groups.get(&gid) else {
                continue;
            };
            if g.rebalance_deadline.is_some_and(|t| now >= t) {
                let late: Vec<String> = g
                    .members
                    .values()
                    .filter(|m| !m.rejoined)
                    .map(|m| m.id.clone())
                    .collect();
                for m in late {
                    for con in self.consumers.values_mut() {
                        if con.member_id.as_deref() == Some(m.as_str()) {
                            con.member_id = None;
                        }
                    }
                    self.remove_member(&gid, &m, LeaveReason::RebalanceTimeout);
                }
            }
            self.try_complete(&gid);
        }
    }

    /// `consumer.poll()`: takes part in a rebalance if one is on (eager:
    /// auto-commit, revoke everything, rejoin), auto-commits what earlier
    /// polls returned when `auto.commit.interval.ms` has passed, then
    /// fetches from each assigned partition's leader up to its high
    /// watermark.
    pub fn poll(&mut self, c: ConsumerHandle) -> Result<Vec<ConsumedRecord>, ErrorCode> {
        let now = self.now;
        let Some(con) = self.consumers.get_mut(&c) else {
            return Err(ErrorCode::IllegalState);
        };
        if !con.alive {
            return Err(ErrorCode::IllegalState);
        }
        con.last_poll = now;
        let gid = con.config.group_id.clone();
        let in_group = con.member_id.as_ref().is_some_and(|m| {
            self.groups
                .get(&gid)
                .is_some_and(|g| g.members.contains_key(m))
        });
        if !in_group {
            if con.subscription.is_empty() {
                return Ok(Vec::new());
            }
            con.member_id = None;
            self.join(c);
        }
        let Some(con) = self.consumers.get(&c) else {
            return Err(ErrorCode::IllegalState);
        };
        let member = con.member_id.clone().unwrap_or_default();
        let must_rejoin = self.groups.get(&gid).is_some_and(|g| {
            g.state == GroupState::PreparingRebalance
                && g.members.get(&member).is_some_and(|m| !m.rejoined)
        });
        if must_rejoin {
            if con.config.enable_auto_commit {
                let _ = self.commit_positions(c, true);
            }
            let revoked = self
                .consumers
                .get_mut(&c)
                .map(|con| {
                    con.positions.clear();
                    core::mem::take(&mut con.assignment)
                })
                .unwrap_or_default();
            self.events.push(Event::PartitionsRevoked {
                group: gid.clone(),
                member: member.clone(),
                partitions: revoked,
            });
            if let Some(m) = self
                .groups
                .get_mut(&gid)
                .and_then(|g| g.members.get_mut(&member))
            {
                m.rejoined = true;
                m.assignment.clear();
            }
            self.try_complete(&gid);
        }
        let Some(g) = self.groups.get(&gid) else {
            return Ok(Vec::new());
        };
        if g.state != GroupState::Stable {
            return Ok(Vec::new());
        }
        let (generation, assignment) = (
            g.generation,
            g.members
                .get(&member)
                .map(|m| m.assignment.clone())
                .unwrap_or_default(),
        );
        let Some(con) = self.consumers.get_mut(&c) else {
            return Err(ErrorCode::IllegalState);
        };
        if con.generation != generation {
            con.generation = generation;
            con.assignment = assignment;
            con.positions.clear();
        }
        if con.config.enable_auto_commit && now >= con.next_auto_commit {
            con.next_auto_commit = now + SimDuration::from_ms(con.config.auto_commit_interval_ms);
            let _ = self.commit_positions(c, true);
        }
        self.fetch_for(c, &gid, &member)
    }

    fn fetch_for(
        &mut self,
        c: ConsumerHandle,
        gid: &str,
        member: &str,
    ) -> Result<Vec<ConsumedRecord>, ErrorCode> {
        let Some(con) = self.consumers.get(&c) else {
            return Err(ErrorCode::IllegalState);
        };
        let reset = con.config.auto_offset_reset;
        let committed_only = con.config.isolation_level == IsolationLevel::ReadCommitted;
        let max = con.config.max_poll_records as usize;
        let assignment = con.assignment.clone();
        let mut out = Vec::new();
        for tp in assignment {
            if out.len() >= max {
                break;
            }
            let Some(p) = self.partition(&tp.topic, tp.partition) else {
                continue;
            };
            let Some(leader) = p.leader.filter(|l| self.reachable(*l)) else {
                continue;
            };
            let (hw, leo) = (p.high_watermark(), p.log_end_offset());
            let known = self
                .consumers
                .get(&c)
                .and_then(|x| x.positions.get(&tp).copied());
            let mut pos = match known.or_else(|| self.offsets.get(gid, &tp).map(|x| x.offset)) {
                Some(pos) if pos <= leo => pos,
                _ => {
                    let at = match reset {
                        AutoOffsetReset::Earliest => 0,
                        AutoOffsetReset::Latest => hw,
                        AutoOffsetReset::None if known.is_some() => {
                            return Err(ErrorCode::OffsetOutOfRange);
                        }
                        AutoOffsetReset::None => return Err(ErrorCode::NoOffsetForPartition),
                    };
                    self.events.push(Event::OffsetReset {
                        group: String::from(gid),
                        member: String::from(member),
                        topic: tp.topic.clone(),
                        partition: tp.partition,
                        offset: at,
                    });
                    at
                }
            };
            let Some(p) = self.partition(&tp.topic, tp.partition) else {
                continue;
            };
            let take = max - out.len();
            // read_committed reads up to the last stable offset and skips
            // aborted records; nobody is handed a marker. Skipped offsets
            // still move the position on.
            let (records, end) = p
                .leader_replica()
                .map(|r| {
                    let bound = if committed_only {
                        r.log.last_stable_offset(hw)
                    } else {
                        hw
                    };
                    let mut end = pos;
                    let mut got = Vec::new();
                    for rec in r.log.range(pos, bound) {
                        if got.len() >= take {
                            break;
                        }
                        end = rec.offset + 1;
                        if rec.control.is_none() && !(committed_only && r.log.aborted(rec)) {
                            got.push(rec.clone());
                        }
                    }
                    (got, end)
                })
                .unwrap_or((Vec::new(), pos));
            if !records.is_empty() {
                self.events.push(Event::RecordsPolled {
                    group: String::from(gid),
                    member: String::from(member),
                    topic: tp.topic.clone(),
                    partition: tp.partition,
                    leader,
                    records: records.iter().map(|r| r.as_ref()).collect(),
                });
            }
            for r in &records {
                out.push(ConsumedRecord {
                    tp: tp.clone(),
                    offset: r.offset,
                    value: r.value.clone(),
                });
            }
            pos = pos.max(end);
            if let Some(con) = self.consumers.get_mut(&c) {
                con.positions.insert(tp, pos);
            }
        }
        Ok(out)
    }

    pub(super) fn check_member(&self, c: ConsumerHandle) -> Result<(String, String), ErrorCode> {
        let con = self.consumers.get(&c).ok_or(ErrorCode::IllegalState)?;
        if !con.alive {
            return Err(ErrorCode::IllegalState);
        }
        let member = con.member_id.clone().ok_or(ErrorCode::UnknownMemberId)?;
        let g = self
            .groups
            .get(&con.config.group_id)
            .ok_or(ErrorCode::UnknownMemberId)?;
        if !g.members.contains_key(&member) {
            return Err(ErrorCode::UnknownMemberId);
        }
        if con.generation != g.generation {
            return Err(ErrorCode::IllegalGeneration);
        }
        Ok((con.config.group_id.clone(), member))
    }

    fn commit_positions(&mut self, c: ConsumerHandle, auto: bool) -> Result<(), ErrorCode> {
        let offsets: Vec<(TopicPartition, u64)> = self
            .consumers
            .get(&c)
            .map(|con| {
                con.assignment
                    .iter()
                    .filter_map(|tp| con.positions.get(tp).map(|o| (tp.clone(), *o)))
                    .collect()
            })
            .unwrap_or_default();
        self.commit_inner(c, offsets, auto)
    }

    fn commit_inner(
        &mut self,
        c: ConsumerHandle,
        offsets: Vec<(TopicPartition, u64)>,
        auto: bool,
    ) -> Result<(), ErrorCode> {
        let (gid, member) = match self.check_member(c) {
            Ok(x) => x,
            Err(error) => {
                if let Some(con) = self.consumers.get(&c) {
                    self.events.push(Event::CommitFailed {
                        group: con.config.group_id.clone(),
                        member: con.member_id.clone().unwrap_or_default(),
                        error,
                    });
                }
                return Err(error);
            }
        };
        if offsets.is_empty() {
            return Ok(());
        }
        for (tp, o) in &offsets {
            self.offsets.commit(&gid, tp.clone(), *o, self.now);
        }
        self.events.push(Event::OffsetsCommitted {
            group: gid,
            member,
            offsets,
            auto,
        });
        Ok(())
    }

    /// `consumer.commitSync()`: commits the positions of everything poll()
    /// returned so far. Refused (`CommitFailedException`) for a member the
    /// group no longer counts in the current generation.
    pub fn commit_sync(&mut self, c: ConsumerHandle) -> Result<(), ErrorCode> {
        self.commit_positions(c, false)
    }

    /// `consumer.commitSync(offsets)`: commits exactly these (the next
    /// offset to read per partition).
    pub fn commit_offsets(
        &mut self,
        c: ConsumerHandle,
        offsets: &[(TopicPartition, u64)],
    ) -> Result<(), ErrorCode> {
        self.commit_inner(c, offsets.to_vec(), false)
    }

    /// `consumer.close()`: auto-commits (if enabled), leaves the group.
    pub fn close_consumer(&mut self, c: ConsumerHandle) {
        let Some(con) = self.consumers.get(&c) else {
            return;
        };
        if !con.alive {
            return;
        }
        if con.config.enable_auto_commit {
            let _ = self.commit_positions(c, true);
        }
        let Some(con) = self.consumers.get_mut(&c) else {
            return;
        };
        con.alive = false;
        let (gid, member) = (con.config.group_id.clone(), con.member_id.take());
        if let Some(m) = member {
            self.remove_member(&gid, &m, LeaveReason::Left);
        }
    }

    /// The consumer process dies: no commit, no LeaveGroup; the group
    /// notices after `session.timeout.ms`.
    pub fn crash_consumer(&mut self, c: ConsumerHandle) {
        let now = self.now;
        let Some(con) = self.consumers.get_mut(&c) else {
            return;
        };
        if !con.alive {
            return;
        }
        con.alive = false;
        con.crashed_at = Some(now);
        self.events.push(Event::ConsumerCrashed { consumer: c });
    }

    /// `consumer.seek(tp, committed)` for every partition it reads: the
    /// next poll starts again from the group's committed offsets (what an
    /// exactly-once application does after aborting a transaction).
    pub fn seek_to_committed(&mut self, c: ConsumerHandle) {
        if let Some(con) = self.consumers.get_mut(&c) {
            con.positions.clear();
        }
    }

    /// The group's committed offset for `tp`.
    pub fn committed(&self, group: &str, topic: &str, partition: u32) -> Option<u64> {
        self.offsets
            .get(group, &TopicPartition::new(topic, partition))
            .map(|c| c.offset)
    }

    /// `consumer.position(tp)`: the offset consumer `c`'s next fetch of
    /// `tp` starts from, once a poll has fetched it (a read_committed
    /// consumer's position passes the markers below the last stable
    /// offset, though it is handed none).
    pub fn position(&self, c: ConsumerHandle, tp: &TopicPartition) -> Option<u64> {
        self.consumers.get(&c)?.positions.get(tp).copied()
    }

    /// `consumer.endOffsets([tp])` (ListOffsets, latest) under `isolation`:
    /// the leader's high watermark, or for `read_committed` its last
    /// stable offset. `None` while `tp` has no leader.
    pub fn end_offset(&self, tp: &TopicPartition, isolation: IsolationLevel) -> Option<u64> {
        let leader = self.partition(&tp.topic, tp.partition)?.leader_replica()?;
        Some(match isolation {
            IsolationLevel::ReadUncommitted => leader.hw,
            IsolationLevel::ReadCommitted => leader.log.last_stable_offset(leader.hw),
        })
    }
}

/// A TopicId for `name`: 16 bytes from FNV-1a, printed as Kafka prints a
/// `Uuid` (URL-safe base64, no padding).
fn topic_id(name: &str) -> String {
    let mut bytes = [0u8; 16];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        for &b in name.as_bytes().iter().chain([i as u8].iter()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        chunk.copy_from_slice(&h.to_be_bytes());
    }
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(ALPHABET[((acc >> bits) & 63) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (6 - bits)) & 63) as usize] as char);
    }
    out
}
