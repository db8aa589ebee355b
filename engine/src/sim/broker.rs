//! The broker a lane runs against: a model behind one enum (Redis now;
//! Kafka joins it), its life (up, crashed) and its persistence.
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
use crate::scenario::{ClusterSpec, Fsync, RedisSpec};
use crate::time::SimTime;

/// The broker of one lane.
#[derive(Clone, Debug)]
pub enum Broker {
    /// A Redis server (or cluster).
    Redis(RedisBroker),
}

impl Broker {
    /// The Redis model (every lane runs Redis until the Kafka model joins).
    pub fn redis(&self) -> &RedisBroker {
        let Broker::Redis(r) = self;
        r
    }

    /// The Redis model, mutably.
    pub fn redis_mut(&mut self) -> &mut RedisBroker {
        let Broker::Redis(r) = self;
        r
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
