//! The broker a lane runs against: a model behind one enum (Redis or
//! Kafka), its life (up, crashed) and, for Redis, its persistence. (A
//! Kafka broker keeps its log on disk: a killed one comes back with it,
//! and the cluster model keeps each broker's life itself.)
//!
//! A broker crash is its machine going down: every connection closes, and
//! what comes back is what was on disk. For Redis that is nothing without
//! `appendonly`; with it, the append-only file as of its last fsync —
//! every write with `appendfsync always`, up to the last whole second with
//! `everysec`, up to the last 30 seconds with `no` (the operating system's
//! own flush). The flush is modelled lazily: before anything changes the
//! keyspace, if a flush instant passed since the last change, the disk
//! takes the keyspace as it is (it was the same at that instant).

use crate::redis::Server;
use crate::redis::db::Db;
use crate::redis::pubsub::PubSub;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::kafka::{BrokerId, Cluster, ProducerConfig, ProducerHandle, SendId, SendOutcome};
use crate::msg::MsgRef;
use crate::scenario::kafka::KafkaSpec;
use crate::scenario::{ClusterSpec, Fsync, ProducerSpec, RedisSpec};
use crate::time::SimTime;

/// The broker of one lane.
#[derive(Clone, Debug)]
pub enum Broker {
    /// A Redis server (or cluster).
    Redis(RedisBroker),
    /// A Kafka cluster, and the simulation's handles on its clients.
    Kafka(KafkaBroker),
}

impl Broker {
    /// The Redis model, if the lane runs Redis.
    pub fn redis(&self) -> Option<&RedisBroker> {
        match self {
            Broker::Redis(r) => Some(r),
            Broker::Kafka(_) => None,
        }
    }

    /// The Redis model, mutably.
    pub fn redis_mut(&mut self) -> Option<&mut RedisBroker> {
        match self {
            Broker::Redis(r) => Some(r),
            Broker::Kafka(_) => None,
        }
    }

    /// The Kafka model, if the lane runs Kafka.
    pub fn kafka(&self) -> Option<&KafkaBroker> {
        match self {
            Broker::Kafka(k) => Some(k),
            Broker::Redis(_) => None,
        }
    }

    /// The Kafka model, mutably.
    pub fn kafka_mut(&mut self) -> Option<&mut KafkaBroker> {
        match self {
            Broker::Kafka(k) => Some(k),
            Broker::Redis(_) => None,
        }
    }

    /// The broker's clock.
    pub fn now(&self) -> SimTime {
        match self {
            Broker::Redis(r) => r.server.now(),
            Broker::Kafka(k) => k.cluster.now(),
        }
    }

    /// When the broker itself next has something to do (a blocked
    /// client's timeout; a fetch, an election, a retry, a heartbeat).
    pub fn next_due(&self) -> Option<SimTime> {
        match self {
            Broker::Redis(r) => r.server.next_timeout(),
            Broker::Kafka(k) => k.cluster.next_due(),
        }
    }

    /// Moves the clock to `t` when nothing falls due before it.
    pub fn set_clock(&mut self, t: SimTime) {
        match self {
            Broker::Redis(r) => r.server.advance_to(t),
            Broker::Kafka(k) => k.cluster.advance_to(t),
        }
    }

    /// Moves the broker's clock to `t`, doing what falls due on the way.
    pub fn advance_to(&mut self, t: SimTime) {
        match self {
            Broker::Redis(r) => r.advance_to(t),
            Broker::Kafka(k) => k.cluster.advance_to(t),
        }
    }
}

/// A Kafka cluster with the lane's clients: one Kafka producer per
/// scenario producer, and which message each send carries.
#[derive(Clone, Debug)]
pub struct KafkaBroker {
    /// The model.
    pub cluster: Cluster,
    /// Each scenario producer's Kafka producer (by producer index).
    pub producers: Vec<Option<ProducerHandle>>,
    /// The message each send carries.
    pub sends: BTreeMap<(ProducerHandle, SendId), MsgRef>,
    /// What each message's send callback was told, once it ran.
    pub told: BTreeMap<MsgRef, SendOutcome>,
    /// The broker a `leader` fault took down last (a `leader` restart
    /// brings it back).
    pub downed_leader: Option<BrokerId>,
}

impl KafkaBroker {
    /// The cluster `spec` describes at `now`, its topics created, and a
    /// producer for each of `producers` (its config, Kafka's defaults
    /// where absent, or the lane's `kafka_producer` in its place; `None`
    /// where the config is refused).
    pub fn new(
        now: SimTime,
        spec: &KafkaSpec,
        producers: &[ProducerSpec],
        lane_config: Option<&ProducerConfig>,
    ) -> Self {
        let brokers: Vec<(BrokerId, Option<&str>)> = spec
            .brokers
            .iter()
            .map(|b| (b.id, b.rack.as_deref()))
            .collect();
        let mut cluster = Cluster::new(now, spec.config.clone(), &brokers);
        for t in &spec.topics {
            // Validated by the scenario: an assignment the cluster accepts.
            let _ =
                cluster.create_topic_with_assignment(&t.name, spec.assignment(t), t.config.clone());
        }
        let producers = producers
            .iter()
            .map(|p| {
                let mut config = lane_config
                    .or(p.config.as_ref())
                    .cloned()
                    .unwrap_or_default();
                config.client_id = p.name.clone();
                cluster.add_producer(config).ok()
            })
            .collect();
        KafkaBroker {
            cluster,
            producers,
            sends: BTreeMap::new(),
            told: BTreeMap::new(),
            downed_leader: None,
        }
    }
}

/// A Redis server with a machine under it that can crash.
#[derive(Clone, Debug)]
pub struct RedisBroker {
    /// The server: its keyspace, clients, pub/sub.
    pub server: Server,
    up: bool,
    persistence: RedisSpec,
    /// The append-only file as of `flushed_at` (with `appendonly`).
    disk: Db,
    flushed_at: Option<SimTime>,
}

impl RedisBroker {
    /// A server at `now`, shaped by `cluster`, persisting as `persistence`
    /// says.
    pub fn new(now: SimTime, cluster: Option<ClusterSpec>, persistence: RedisSpec) -> Self {
        let mut server = Server::new(now);
        if let Some(c) = cluster {
            // Validated by the scenario: a shape the cluster accepts.
            if let Ok(pubsub) = PubSub::with_cluster(c.primaries, c.replicas) {
                server.pubsub = pubsub;
            }
        }
        RedisBroker {
            server,
            up: true,
            persistence,
            disk: Db::default(),
            flushed_at: None,
        }
    }

    /// Whether it answers connections.
    pub fn is_up(&self) -> bool {
        self.up
    }

    /// Its persistence settings.
    pub fn persistence(&self) -> RedisSpec {
        self.persistence
    }

    /// Call before anything may change the keyspace at `now`: flushes the
    /// append-only file if a flush instant passed since the last change.
    pub fn before_change(&mut self, now: SimTime) {
        if !self.persistence.appendonly || !self.up {
            return;
        }
        let every = self.persistence.appendfsync.interval_ms();
        if every == 0 {
            return;
        }
        let last = self.flushed_at.map_or(0, |t| t.as_ms() / every);
        let due = now.as_ms() / every;
        if due > last || self.flushed_at.is_none() {
            self.disk = self.server.db.clone();
            self.flushed_at = Some(crate::time::SimTime(due * every));
        }
    }

    /// Runs a command for `client` (see [`Server::execute`]), flushing the
    /// disk first if a flush instant passed.
    pub fn execute(&mut self, client: crate::redis::ClientId, argv: &[crate::redis::parse::Arg]) {
        self.before_change(self.server.now());
        self.server.execute(client, argv);
    }

    /// Moves the clock to `t` (see [`Server::advance_to`]: blocked clients
    /// time out, and the commands they queued run).
    pub fn advance_to(&mut self, t: SimTime) {
        self.before_change(t);
        self.server.advance_to(t);
    }

    /// The machine goes down: connections close, memory is gone. Returns
    /// when the disk was last flushed, if anything persists.
    pub fn crash(&mut self, now: SimTime) -> Option<SimTime> {
        if !self.up {
            return self.flushed_at;
        }
        self.before_change(now);
        let kept = if !self.persistence.appendonly {
            self.flushed_at = None;
            Db::default()
        } else if self.persistence.appendfsync == Fsync::Always {
            self.flushed_at = Some(now);
            self.server.db.clone()
        } else {
            self.disk.clone()
        };
        self.server.reboot(kept);
        self.up = false;
        self.flushed_at
    }

    /// The machine is back: the server starts from what was on disk.
    /// Returns how many keys it loaded.
    pub fn restart(&mut self) -> Option<u64> {
        if self.up {
            return None;
        }
        self.up = true;
        Some(self.server.db.len() as u64)
    }
}
