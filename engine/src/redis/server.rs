//! The simulated server: a keyspace, its clients, and the serving of
//! blocked clients in Redis's order.
//!
//! Every command goes through [`Server::execute`]. Replies are queued on the
//! client that is owed them (the caller takes them with
//! [`Server::take_replies`]); state changes are recorded as [`Event`]s (taken
//! with [`Server::take_events`]). Nothing here reads a clock: the caller moves
//! time with [`Server::advance_to`], which also times out blocked clients.

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::rc::Rc;
use alloc::vec::Vec;
use smallvec::SmallVec;

use crate::redis::cmd::{self, BlockKind, BlockSpec, Outcome};
use crate::redis::db::{Db, Value};
use crate::redis::event::{Bytes, ClientId, Event, Name, UnblockReason};
use crate::redis::parse::Arg;
use crate::redis::pubsub::PubSub;
use crate::redis::reply::Reply;
use crate::time::SimTime;
use crate::vec_map::VecMap;

/// Why a client waits.
#[derive(Clone, Debug)]
pub struct Blocked {
    /// What it waits for, and how to serve it (shared while it is served,
    /// so serving does not copy it).
    pub spec: Rc<BlockSpec>,
    /// When it started waiting.
    pub since: SimTime,
}

/// One connection.
#[derive(Clone, Debug, Default)]
pub struct Client {
    /// The name the REPL and the UI show (a producer, a consumer…).
    pub name: Bytes,
    /// The cluster node it is connected to (0 without a cluster).
    pub node: u16,
    /// Channels it is subscribed to (SUBSCRIBE).
    pub channels: BTreeSet<Bytes>,
    /// Patterns it is subscribed to (PSUBSCRIBE), in the order subscribed:
    /// Redis keeps them in a list, and PUNSUBSCRIBE without arguments
    /// answers in that order.
    pub patterns: Vec<Bytes>,
    /// Shard channels it is subscribed to (SSUBSCRIBE).
    pub shard_channels: BTreeSet<Bytes>,
    /// Set while a blocking command waits.
    pub blocked: Option<Blocked>,
    /// Commands sent while blocked: they run once it is served, as a real
    /// connection's pipelined commands would.
    queued: VecDeque<Vec<Arg>>,
    /// Replies and pushes not taken yet.
    outbox: VecDeque<Reply>,
    /// Keys it watches (WATCH), until EXEC, DISCARD, UNWATCH or RESET.
    pub watching: Vec<Bytes>,
    /// A watched key was modified since WATCH: the next EXEC runs nothing
    /// (Redis's `CLIENT_DIRTY_CAS`).
    pub watch_broken: bool,
    /// Between MULTI and EXEC or DISCARD: the commands queued so far.
    pub multi: Option<Multi>,
}

/// A transaction being queued (MULTI … EXEC).
#[derive(Clone, Debug, Default)]
pub struct Multi {
    /// The commands queued, already looked up and checked for arity.
    pub queued: Vec<(&'static cmd::Command, Vec<Arg>)>,
    /// A command was refused while queueing (unknown, wrong arity, wrong
    /// node): EXEC will answer EXECABORT (Redis's `CLIENT_DIRTY_EXEC`).
    pub refused: bool,
}

impl Client {
    /// Whether the client is in RESP2's subscribed mode, where only
    /// (un)subscribe commands, PING, QUIT and RESET are allowed.
    pub fn is_subscribed(&self) -> bool {
        !(self.channels.is_empty() && self.patterns.is_empty() && self.shard_channels.is_empty())
    }
}

/// A simulated Redis server (or cluster: see [`crate::redis::pubsub`]).
#[derive(Clone, Debug)]
pub struct Server {
    /// The keyspace.
    pub db: Db,
    /// The current simulated time.
    now: SimTime,
    /// Pub/sub registry (channels, patterns, shard channels, cluster shape).
    pub pubsub: PubSub,
    /// The connected clients, by ID (a snapshot copies the clients there
    /// are: see [`VecMap`]).
    clients: VecMap<ClientId, Client>,
    /// The name of every client ever connected, client `n`'s at `n - 1`
    /// (kept after it leaves, so the trace's client IDs can always be
    /// named). Shared names, so that a snapshot copies pointers.
    names: Vec<Name>,
    next_client: u32,
    /// For every key, the clients blocked on it, first blocked first.
    blocking: BTreeMap<Name, VecDeque<ClientId>>,
    /// Keys written since the last serving of blocked clients, in order.
    ready_keys: Vec<Name>,
    /// Clients served since their queued commands last ran, in order.
    unblocked: VecDeque<ClientId>,
    /// For every watched key, the clients watching it (WATCH).
    watchers: BTreeMap<Bytes, Vec<ClientId>>,
    events: Vec<Event>,
}

impl Default for Server {
    fn default() -> Self {
        Server::new(SimTime::START)
    }
}

impl Server {
    /// An empty server whose clock reads `now`.
    pub fn new(now: SimTime) -> Self {
        Server {
            db: Db::default(),
            now,
            pubsub: PubSub::default(),
            clients: VecMap::new(),
            names: Vec::new(),
            next_client: 1,
            blocking: BTreeMap::new(),
            ready_keys: Vec::new(),
            unblocked: VecDeque::new(),
            watchers: BTreeMap::new(),
            events: Vec::new(),
        }
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Opens a connection named `name` to node 0.
    pub fn connect(&mut self, name: &[u8]) -> ClientId {
        self.connect_to_node(name, 0)
    }

    /// Opens a connection named `name` to cluster node `node`.
    pub fn connect_to_node(&mut self, name: &[u8], node: u16) -> ClientId {
        let id = ClientId(self.next_client);
        self.next_client += 1;
        let client = Client {
            name: name.to_vec(),
            node,
            ..Client::default()
        };
        self.clients.insert(id, client);
        debug_assert_eq!(self.names.len() + 1, id.0 as usize, "IDs count up from 1");
        self.names.push(Name::from(name));
        id
    }

    /// The name client `id` connected with, even after it disconnected.
    pub fn client_name(&self, id: ClientId) -> Option<&[u8]> {
        let i = (id.0 as usize).checked_sub(1)?;
        self.names.get(i).map(Name::as_slice)
    }

    /// The client `id`, if connected.
    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(&id)
    }

    /// The client `id`, mutably.
    pub(crate) fn client_mut(&mut self, id: ClientId) -> Option<&mut Client> {
        self.clients.get_mut(&id)
    }

    /// Every client, in connection order.
    pub fn clients(&self) -> impl Iterator<Item = (ClientId, &Client)> {
        self.clients.iter().map(|(id, c)| (*id, c))
    }

    /// Whether client `id` waits in a blocking command.
    pub fn is_blocked(&self, id: ClientId) -> bool {
        self.clients.get(&id).is_some_and(|c| c.blocked.is_some())
    }

    /// Runs one command for client `id` at the current time. A blocked
    /// client's command waits until the client is served.
    pub fn execute(&mut self, id: ClientId, argv: &[Arg]) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        if client.blocked.is_some() {
            client.queued.push_back(argv.to_vec());
            return;
        }
        self.expire_due();
        self.run(id, argv);
        self.settle();
    }

    /// Removes every key whose deadline has passed, recording each. Redis
    /// expires keys lazily (when touched) and actively (a sampling timer);
    /// the simulation expires them all before each command and each move
    /// of the clock, so what a client sees is what Redis lets it see, and
    /// the trace says when each key went.
    fn expire_due(&mut self) {
        while let Some(key) = self.db.first_expired(self.now).cloned() {
            let value = self.db.remove(&key);
            self.emit(Event::KeyExpired {
                key: key.clone().into(),
            });
            if matches!(value, Some(Value::Stream(_))) {
                self.signal_ready(&key);
            }
        }
    }

    /// After a command: serve clients blocked on keys it wrote, then run
    /// what the served clients had queued (Redis does the latter in
    /// `processUnblockedClients`, after all ready keys were handled).
    fn settle(&mut self) {
        loop {
            self.serve_ready_keys();
            let Some(id) = self.unblocked.pop_front() else {
                break;
            };
            while let Some(client) = self.clients.get_mut(&id) {
                if client.blocked.is_some() {
                    break;
                }
                let Some(argv) = client.queued.pop_front() else {
                    break;
                };
                self.run(id, &argv);
                self.serve_ready_keys();
            }
        }
    }

    fn run(&mut self, id: ClientId, argv: &[Arg]) {
        match cmd::dispatch(self, id, argv) {
            Outcome::Reply(reply) => self.reply(id, reply),
            Outcome::Replies(replies) => {
                for reply in replies {
                    self.reply(id, reply);
                }
            }
            Outcome::Block(spec) => self.block(id, spec),
        }
    }

    /// Queues `reply` for client `id`.
    pub(crate) fn reply(&mut self, id: ClientId, reply: Reply) {
        if let Some(client) = self.clients.get_mut(&id) {
            client.outbox.push_back(reply);
        }
    }

    /// Whether client `id` has replies or pushes not taken yet.
    pub fn has_replies(&self, id: ClientId) -> bool {
        self.clients.get(&id).is_some_and(|c| !c.outbox.is_empty())
    }

    /// Takes the replies and pushes queued for client `id`, oldest first.
    pub fn take_replies(&mut self, id: ClientId) -> Vec<Reply> {
        self.clients
            .get_mut(&id)
            .map(|c| c.outbox.drain(..).collect())
            .unwrap_or_default()
    }

    /// Moves the replies queued for client `id` to the end of `out`, oldest
    /// first, without an intermediate vector (the simulation does this
    /// after every command).
    pub fn move_replies(&mut self, id: ClientId, out: &mut VecDeque<Reply>) {
        if let Some(client) = self.clients.get_mut(&id) {
            out.extend(client.outbox.drain(..));
        }
    }

    /// Forgets the events recorded since the last call, keeping the
    /// buffer's capacity: the REPL shows replies, not the trace.
    pub fn clear_events(&mut self) {
        self.events.clear();
    }

    /// Takes the events recorded since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }

    /// Moves the events recorded since the last call to the end of `out`,
    /// oldest first, keeping this server's buffer (and its capacity) for
    /// the next ones: the simulation collects after every command.
    pub fn drain_events_into(&mut self, out: &mut Vec<Event>) {
        out.append(&mut self.events);
    }

    /// Records an event. An event that changes a key's value also breaks
    /// the watches on that key (Redis's `signalModifiedKey`): the events
    /// that do are exactly the writes Redis signals — consumer-group
    /// bookkeeping (XREADGROUP, XACK, XCLAIM, XGROUP) and XSETID do not.
    pub(crate) fn emit(&mut self, event: Event) {
        if !self.watchers.is_empty() {
            match &event {
                Event::KeyDeleted { key }
                | Event::KeyExpired { key }
                | Event::ExpirySet { key, .. }
                | Event::StringSet { key, .. }
                | Event::ListPushed { key, .. }
                | Event::ListPopped { key, .. }
                | Event::ListRemoved { key, .. }
                | Event::EntryAdded { key, .. }
                | Event::EntriesDeleted { key, .. }
                | Event::StreamTrimmed { key, .. } => self.touch(key),
                Event::ListMoved { from, to, .. } => {
                    self.touch(from);
                    self.touch(to);
                }
                _ => {}
            }
        }
        self.events.push(event);
    }

    /// Breaks the watches on `key`.
    fn touch(&mut self, key: &[u8]) {
        let Some(watching) = self.watchers.get(key) else {
            return;
        };
        for id in watching {
            if let Some(client) = self.clients.get_mut(id) {
                client.watch_broken = true;
            }
        }
    }

    /// Client `id` watches `key` (WATCH): a later change breaks its EXEC.
    pub(crate) fn watch(&mut self, id: ClientId, key: &[u8]) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        if client.watching.iter().any(|k| k == key) {
            return;
        }
        client.watching.push(key.to_vec());
        self.watchers.entry(key.to_vec()).or_default().push(id);
    }

    /// Client `id` stops watching every key, and a broken watch is
    /// forgotten (UNWATCH, EXEC, DISCARD).
    pub(crate) fn unwatch_all(&mut self, id: ClientId) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        client.watch_broken = false;
        let keys = core::mem::take(&mut client.watching);
        self.forget_watches(id, &keys);
    }

    fn forget_watches(&mut self, id: ClientId, keys: &[Bytes]) {
        for key in keys {
            if let Some(watching) = self.watchers.get_mut(key) {
                watching.retain(|c| *c != id);
                if watching.is_empty() {
                    self.watchers.remove(key);
                }
            }
        }
    }

    /// Empties the keyspace (FLUSHALL without a cluster): the watches on
    /// keys that existed break, as Redis's `touchAllWatchedKeysInDb` does.
    pub(crate) fn flush_db(&mut self) {
        let existing: Vec<Bytes> = self
            .watchers
            .keys()
            .filter(|key| self.db.get(key).is_some())
            .cloned()
            .collect();
        for key in existing {
            self.touch(&key);
        }
        self.db.clear();
        self.emit(Event::Flushed);
    }

    /// Notes that `key` was written, so that clients blocked on it are
    /// served after the current command (Redis's `signalKeyAsReady`).
    pub(crate) fn signal_ready(&mut self, key: &[u8]) {
        if let Some((name, _)) = self.blocking.get_key_value(key)
            && !self.ready_keys.iter().any(|k| k == key)
        {
            self.ready_keys.push(name.clone());
        }
    }

    fn block(&mut self, id: ClientId, spec: BlockSpec) {
        for key in &spec.keys {
            let waiting = self.blocking.entry(key.clone()).or_default();
            if !waiting.contains(&id) {
                waiting.push_back(id);
            }
        }
        let timeout_ms = spec
            .timeout_at
            .map_or(0, |t| t.saturating_since(self.now).as_ms());
        self.emit(Event::ClientBlocked {
            client: id,
            keys: spec.keys.clone(),
            timeout_ms,
        });
        if let Some(client) = self.clients.get_mut(&id) {
            client.blocked = Some(Blocked {
                spec: Rc::new(spec),
                since: self.now,
            });
        }
    }

    /// Ends client `id`'s wait, replying `reply`. The commands it queued
    /// meanwhile run once the current serving is over.
    pub(crate) fn unblock(&mut self, id: ClientId, reply: Reply, reason: UnblockReason) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        let Some(blocked) = client.blocked.take() else {
            return;
        };
        client.outbox.push_back(reply);
        self.stop_waiting(id, &blocked.spec.keys);
        self.emit(Event::ClientUnblocked { client: id, reason });
        self.unblocked.push_back(id);
    }

    /// Takes client `id` off the waiting lists of `keys`.
    fn stop_waiting(&mut self, id: ClientId, keys: &[Name]) {
        for key in keys {
            if let Some(waiting) = self.blocking.get_mut(key) {
                waiting.retain(|c| *c != id);
                if waiting.is_empty() {
                    self.blocking.remove(key);
                }
            }
        }
    }

    /// Serves clients blocked on keys written by the last command, key by
    /// key in the order they were written, each key's clients in the order
    /// they blocked (Redis's `handleClientsBlockedOnKeys`). Serving may
    /// write other keys (BLMOVE), which are served in turn.
    fn serve_ready_keys(&mut self) {
        while !self.ready_keys.is_empty() {
            let mut keys = core::mem::take(&mut self.ready_keys);
            for key in keys.drain(..) {
                // Copied (inline for the usual few): serving changes who waits.
                let waiting: SmallVec<[ClientId; 8]> = self
                    .blocking
                    .get(&key)
                    .map(|w| w.iter().copied().collect())
                    .unwrap_or_default();
                for id in waiting {
                    // An earlier client may have been served on this key
                    // and unblocked, or the value may be gone.
                    let spec = match self.clients.get(&id).and_then(|c| c.blocked.as_ref()) {
                        Some(b) => b.spec.clone(),
                        None => continue,
                    };
                    match (&spec.kind, self.db.get(&key)) {
                        (BlockKind::List { .. }, Some(Value::List(_))) => {
                            cmd::list::serve_blocked(self, id, &key, &spec.kind)
                        }
                        (BlockKind::Stream { .. }, Some(Value::Stream(_))) => {
                            cmd::read::serve_blocked(self, id, &key, &spec)
                        }
                        // The stream was deleted under a blocked XREADGROUP
                        // (Redis's `unblockDeletedStreamReadgroupClients`).
                        (BlockKind::Stream { group: Some(_), .. }, _) => self.unblock(
                            id,
                            Reply::error("UNBLOCKED the stream key no longer exists"),
                            UnblockReason::Error,
                        ),
                        _ => {}
                    }
                }
            }
            // The emptied buffer is kept for the next command's keys
            // (unless serving wrote keys of its own, served next).
            if self.ready_keys.is_empty() {
                self.ready_keys = keys;
            }
        }
    }

    /// Moves the clock to `t` (never backwards) and times out the blocked
    /// clients whose deadline has passed, in deadline order. Like Redis, a
    /// client times out once the clock is strictly past its deadline.
    pub fn advance_to(&mut self, t: SimTime) {
        if t > self.now {
            self.now = t;
        }
        self.expire_due();
        self.settle();
        loop {
            let due = self
                .clients
                .iter()
                .filter_map(|(id, c)| {
                    let deadline = c.blocked.as_ref()?.spec.timeout_at?;
                    (deadline < self.now).then_some((deadline, *id))
                })
                .min();
            let Some((_, id)) = due else { break };
            self.unblock(id, Reply::NilArray, UnblockReason::Timeout);
            self.settle();
        }
    }

    /// The earliest instant at which a blocked client will time out.
    pub fn next_timeout(&self) -> Option<SimTime> {
        self.clients
            .values()
            .filter_map(|c| c.blocked.as_ref()?.spec.timeout_at)
            .min()
            .map(|deadline| SimTime(deadline.0.saturating_add(1)))
    }

    /// Closes client `id`'s connection: its wait, its subscriptions and
    /// its queued commands go with it (a crashed consumer). Its pending
    /// stream entries stay with the group: that is what XCLAIM is for.
    pub fn disconnect(&mut self, id: ClientId) {
        let Some(client) = self.clients.remove(&id) else {
            return;
        };
        if let Some(blocked) = client.blocked {
            self.stop_waiting(id, &blocked.spec.keys);
        }
        self.forget_watches(id, &client.watching);
        self.pubsub.forget_client(id);
        self.unblocked.retain(|c| *c != id);
    }

    /// The server process restarts with `db` (what it loaded from disk):
    /// every connection, wait and subscription is gone. Client IDs keep
    /// counting up, and the names of earlier clients are kept, so a trace
    /// that spans the restart can still name everyone.
    pub fn reboot(&mut self, db: Db) {
        let pubsub = match self.pubsub.cluster() {
            Some(c) => {
                PubSub::with_cluster(c.primaries(), c.replicas_per_primary()).unwrap_or_default()
            }
            None => PubSub::default(),
        };
        self.db = db;
        self.pubsub = pubsub;
        self.clients.clear();
        self.blocking.clear();
        self.ready_keys.clear();
        self.unblocked.clear();
        self.watchers.clear();
    }

    /// Removes `key`'s value, recording the deletion. Clients blocked in
    /// XREADGROUP on a deleted stream are told (Redis's `dbGenericDelete`
    /// signals the key).
    pub(crate) fn delete_key(&mut self, key: &[u8]) -> bool {
        let Some(value) = self.db.remove(key) else {
            return false;
        };
        self.emit(Event::KeyDeleted { key: key.into() });
        if matches!(value, Value::Stream(_)) {
            self.signal_ready(key);
        }
        true
    }
}
