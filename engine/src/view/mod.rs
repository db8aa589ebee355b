//! What a lab draws, as data: a projection of the world at one moment.
//!
//! The UI renders these structures and nothing else, so every number it
//! shows — a cursor, a lag, a delivery count, an idle time, a ledger count
//! — is computed here by the engine, with the same code that answers XINFO
//! and XPENDING.

use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

pub mod cluster;
pub mod export;
pub mod fate;
pub mod kafka;
pub mod kafka_glance;
pub mod kafka_story;
pub mod latency;
mod narrate;
pub mod peak;
pub mod series;
mod story;

use crate::msg::MsgRef;
use crate::redis::db::Value;
use crate::redis::db::stream::{Fields, Stream};
use crate::redis::db::stream_id::StreamId;
use crate::scenario::{Source, Target};
use crate::sim::actor::Actor;
use crate::sim::actor::step::Link;
use crate::sim::actor::worker::Life;
use crate::sim::{ServiceCounts, World};

pub use fate::{Fate, LaneTally, MessageFate, ServiceFates};
pub use series::{LaneSeries, LossSeries, SeriesPoint, loss_series};

/// The whole stage at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageView {
    /// Milliseconds since the start of the run.
    pub time_ms: u64,
    /// Producers, in scenario order.
    pub producers: Vec<ProducerView>,
    /// Streams: the scenario's, then dead-letter streams, then any other
    /// stream that exists (created at the console), by key.
    pub streams: Vec<StreamView>,
    /// Lists read by services, and any other list, by key.
    pub lists: Vec<ListView>,
    /// Services with their workers and ledger counts.
    pub services: Vec<ServiceView>,
    /// Whether the broker is up.
    pub broker_up: bool,
    /// Connections of the script and the console, with what they listen to
    /// or wait for.
    pub connections: Vec<ConnectionView>,
}

/// A connection opened by a scripted step or typed at the console.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionView {
    /// Its name (`probe`, `console`).
    pub name: String,
    /// Channels, patterns and shard channels it is subscribed to.
    pub subscriptions: Vec<String>,
    /// The keys a blocking command of its waits on, in the order given.
    pub blocked_on: Option<Vec<String>>,
    /// Since when it waits (ms since the start).
    pub blocked_since_ms: Option<u64>,
}

/// A producer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProducerView {
    /// Name.
    pub name: String,
    /// Messages sent so far.
    pub sent: u32,
    /// Where it writes (`stream orders`, `channel events`…).
    pub targets: Vec<(String, String)>,
}

/// One entry of a stream. Its fields are the stream's own storage,
/// shared: building a view copies pointers, and an unchanged entry can be
/// recognised by pointer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntryView {
    /// Its ID.
    pub id: StreamId,
    /// Fields and values, as stored (bytes).
    pub fields: Rc<Fields>,
}

impl EntryView {
    /// The message it carries (its `msg` field), if any.
    pub fn msg(&self) -> Option<String> {
        self.fields
            .iter()
            .find(|(f, _)| f == b"msg")
            .map(|(_, v)| text(v))
    }

    /// Fields and values as text (invalid UTF-8 replaced).
    pub fn texts(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .map(|(f, v)| (text(f), text(v)))
            .collect()
    }

    /// Whether two views show the very same stored entry.
    pub fn same_as(&self, other: &EntryView) -> bool {
        self.id == other.id && Rc::ptr_eq(&self.fields, &other.fields)
    }
}

/// A stream with its groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamView {
    /// Key.
    pub key: String,
    /// Whether it is a service's dead-letter stream.
    pub dead_letter: bool,
    /// XLEN.
    pub length: u64,
    /// `last-generated-id`.
    pub last_id: StreamId,
    /// `entries-added`.
    pub entries_added: u64,
    /// The newest entries, oldest first (at most [`ENTRY_WINDOW`]).
    pub entries: Vec<EntryView>,
    /// Entries older than the window, not shown one by one.
    pub hidden_before: u64,
    /// Consumer groups, by name.
    pub groups: Vec<GroupView>,
}

/// How many of a stream's newest entries the view carries.
pub const ENTRY_WINDOW: usize = 300;

/// How many of a consumer's pending entries the view lists (its count is
/// always complete).
pub const PENDING_WINDOW: usize = 16;

/// A consumer group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupView {
    /// Name.
    pub name: String,
    /// `last-delivered-id`.
    pub last_delivered_id: StreamId,
    /// `entries-read` (nil when Redis does not know it).
    pub entries_read: Option<i64>,
    /// `lag` (nil when Redis does not know it).
    pub lag: Option<i64>,
    /// Size of the group's pending list.
    pub pending: u64,
    /// Consumers, by name.
    pub consumers: Vec<ConsumerView>,
    /// For each entry of the stream view's `entries`, where it stands for
    /// this group.
    pub entry_states: Vec<EntryState>,
}

/// Where an entry stands for a group, as Redis's state says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryState {
    /// After the group's `last-delivered-id`: no consumer got it yet.
    Undelivered,
    /// In the pending list of this consumer.
    Pending(String),
    /// At or before `last-delivered-id` and not pending: acknowledged (or
    /// read with NOACK).
    Done,
}

/// A consumer of a group (and the worker behind it, if any).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsumerView {
    /// Name.
    pub name: String,
    /// How many entries it holds pending.
    pub pending_count: u64,
    /// Its oldest pending entries, by ID (at most [`PENDING_WINDOW`]).
    pub pending: Vec<PendingView>,
    /// Milliseconds since it was last seen (XINFO CONSUMERS `idle`).
    pub idle_ms: u64,
    /// The worker's state, if a worker of the scenario uses this name.
    pub worker: Option<WorkerView>,
}

/// One pending entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PendingView {
    /// Entry ID.
    pub id: StreamId,
    /// Delivery count.
    pub delivery_count: u64,
    /// Milliseconds since last delivery (XPENDING's idle).
    pub idle_ms: u64,
    /// Whether the entry still exists in the stream.
    pub exists: bool,
}

/// A worker process.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkerView {
    /// Name.
    pub name: String,
    /// Up, crashed, or cut off.
    pub status: WorkerStatus,
    /// Slowdown factor in percent (100 = normal).
    pub slow_pct: u32,
    /// What it is processing, and until when (ms since start).
    pub processing: Option<(String, u64)>,
    /// Whether Redis holds one of its commands waiting (BLPOP, BLMOVE,
    /// XREADGROUP BLOCK): a blocked client, drawn as one.
    pub waiting: bool,
}

/// A worker's condition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WorkerStatus {
    /// Not started yet.
    #[default]
    NotStarted,
    /// Running.
    Up,
    /// Crashed.
    Crashed,
    /// Running, but its network is down.
    NetworkDown,
    /// It left for good (`stop_ms`).
    Stopped,
}

/// A list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListView {
    /// Key.
    pub key: String,
    /// Values, head first.
    pub values: Vec<String>,
}

/// A service with its ledger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceView {
    /// Name.
    pub name: String,
    /// Its guarantee in this lane.
    pub guarantee: &'static str,
    /// What it reads (`group billing on orders`…), kind and name.
    pub source: (String, String),
    /// Its workers.
    pub workers: Vec<WorkerView>,
    /// Ledger counts so far.
    pub counts: ServiceCounts,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl World {
    /// The stage as it is now.
    pub fn view(&self) -> StageView {
        let scenario = self.scenario();
        let producers = self
            .actors()
            .iter()
            .filter_map(|a| match a {
                Actor::Producer(p) => Some(ProducerView {
                    name: p.spec().name.clone(),
                    sent: p.sent(),
                    targets: p.spec().targets.iter().map(target_view).collect(),
                }),
                Actor::Worker(_) | Actor::KafkaConsumer(_) => None,
            })
            .collect();
        let services = scenario
            .services
            .iter()
            .enumerate()
            .map(|(i, lane)| ServiceView {
                name: lane.name.clone(),
                guarantee: scenario
                    .policy(usize::from(self.lane()), i)
                    .guarantee
                    .as_str(),
                source: match &lane.source {
                    Source::Group(g) => {
                        ("group".into(), alloc::format!("{} ← {}", g.group, g.stream))
                    }
                    Source::List(k) => ("list".into(), k.clone()),
                    Source::ReliableList(k) => ("reliable-list".into(), k.clone()),
                    Source::Reader(r) => ("reader".into(), r.stream.clone()),
                    Source::Topic(t) => {
                        ("topic".into(), alloc::format!("{} ← {}", t.group, t.topic))
                    }
                    Source::Subscriber(s) => {
                        let mut names: Vec<String> = s.channels.clone();
                        names.extend(s.patterns.iter().cloned());
                        names.extend(s.shard_channels.iter().cloned());
                        ("subscriber".into(), names.join(" "))
                    }
                },
                workers: lane
                    .workers
                    .iter()
                    .filter_map(|w| self.worker_view(w.name.as_bytes()))
                    .collect(),
                counts: self.service_counts(i),
            })
            .collect();
        StageView {
            time_ms: self.now().since_start().as_ms(),
            producers,
            streams: self.stream_views(),
            lists: self.list_views(),
            services,
            broker_up: self.broker().redis().is_none_or(|r| r.is_up()),
            connections: self.connection_views(),
        }
    }

    /// The script's and the console's connections, as the server sees
    /// them now.
    fn connection_views(&self) -> Vec<ConnectionView> {
        let Some(server) = self.server() else {
            return Vec::new();
        };
        self.script_connections()
            .iter()
            .filter_map(|(name, id)| {
                let c = server.client(*id)?;
                let mut subscriptions: Vec<String> = c.channels.iter().map(|n| text(n)).collect();
                subscriptions.extend(c.patterns.iter().map(|n| text(n)));
                subscriptions.extend(c.shard_channels.iter().map(|n| text(n)));
                Some(ConnectionView {
                    name: text(name),
                    subscriptions,
                    blocked_on: c
                        .blocked
                        .as_ref()
                        .map(|b| b.spec.keys.iter().map(|k| text(k)).collect()),
                    blocked_since_ms: c.blocked.as_ref().map(|b| b.since.since_start().as_ms()),
                })
            })
            .collect()
    }

    /// Streams in display order: the scenario's, dead-letter ones, others.
    fn stream_views(&self) -> Vec<StreamView> {
        let scenario = self.scenario();
        let mut keys: Vec<(String, bool)> = Vec::new();
        let mut add = |k: &str, dead: bool| {
            if !keys.iter().any(|(x, _)| x == k) {
                keys.push((k.to_string(), dead));
            }
        };
        for service in &scenario.services {
            if let Source::Group(g) = &service.source {
                add(&g.stream, false);
            }
        }
        for p in &scenario.producers {
            for t in &p.targets {
                if let Target::Stream(k) = t {
                    add(k, false);
                }
            }
        }
        for service in &scenario.services {
            if let Some(d) = &service.dead_letter {
                add(&d.stream, true);
            }
        }
        for (key, value) in self.server().into_iter().flat_map(|s| s.db.iter()) {
            if matches!(value, Value::Stream(_)) {
                add(&text(key), false);
            }
        }
        keys.into_iter()
            .filter_map(|(k, dead)| {
                let stream = self.server()?.db.stream(k.as_bytes()).ok().flatten()?;
                Some(self.stream_view(&k, dead, stream))
            })
            .collect()
    }

    fn stream_view(&self, key: &str, dead_letter: bool, s: &Stream) -> StreamView {
        let now = self.now();
        let mut entries: Vec<EntryView> = s
            .range_shared(StreamId::ZERO, StreamId::MAX)
            .rev()
            .take(ENTRY_WINDOW)
            .map(|(id, fields)| EntryView {
                id,
                fields: fields.clone(),
            })
            .collect();
        entries.reverse();
        let groups = s
            .groups
            .iter()
            .map(|(name, g)| GroupView {
                name: text(name),
                last_delivered_id: g.last_id,
                entries_read: g.entries_read,
                lag: s.group_lag(g),
                pending: g.pel.len() as u64,
                consumers: g
                    .consumers
                    .iter()
                    .map(|(cname, c)| ConsumerView {
                        name: text(cname),
                        pending_count: c.pending.len() as u64,
                        pending: c
                            .pending
                            .iter()
                            .take(PENDING_WINDOW)
                            .map(|id| {
                                let p = &g.pel[id];
                                PendingView {
                                    id: *id,
                                    delivery_count: p.delivery_count,
                                    idle_ms: now.saturating_since(p.delivery_time).as_ms(),
                                    exists: s.contains(*id),
                                }
                            })
                            .collect(),
                        idle_ms: now.saturating_since(c.seen_time).as_ms(),
                        worker: self.worker_view(cname),
                    })
                    .collect(),
                entry_states: entries
                    .iter()
                    .map(|e| match g.pel.get(&e.id) {
                        Some(p) => EntryState::Pending(text(&p.consumer)),
                        None if e.id <= g.last_id => EntryState::Done,
                        None => EntryState::Undelivered,
                    })
                    .collect(),
            })
            .collect();
        StreamView {
            key: key.to_string(),
            dead_letter,
            length: s.len(),
            last_id: s.last_id,
            entries_added: s.entries_added,
            hidden_before: s.len().saturating_sub(entries.len() as u64),
            entries,
            groups,
        }
    }

    fn list_views(&self) -> Vec<ListView> {
        self.server()
            .into_iter()
            .flat_map(|s| s.db.iter())
            .filter_map(|(key, value)| match value {
                Value::List(l) => Some(ListView {
                    key: text(key),
                    values: l.iter().map(|v| text(v)).collect(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The state of the worker called `name`, if there is one.
    pub fn worker_view(&self, name: &[u8]) -> Option<WorkerView> {
        let w = self.worker(name)?;
        let status = match w.life() {
            Life::NotStarted => WorkerStatus::NotStarted,
            Life::Crashed => WorkerStatus::Crashed,
            Life::Stopped => WorkerStatus::Stopped,
            Life::Running(r) if matches!(r.link, Link::Cut { .. }) => WorkerStatus::NetworkDown,
            Life::Running(_) => WorkerStatus::Up,
        };
        let processing = w.processing().and_then(|(item, until)| {
            Some((self.catalog().text(item.msg?), until.since_start().as_ms()))
        });
        let server = self.server();
        let waiting = self.actor_named(&text(&w.name)).is_some_and(|a| {
            self.links[a]
                .conns
                .iter()
                .any(|(_, c)| server.is_some_and(|s| s.is_blocked(*c)))
        });
        Some(WorkerView {
            name: text(&w.name),
            status,
            slow_pct: w.slow_pct(),
            processing,
            waiting,
        })
    }

    /// A message's text form (`order-7`).
    pub fn msg_name(&self, msg: MsgRef) -> String {
        self.catalog().text(msg)
    }
}

fn target_view(t: &Target) -> (String, String) {
    match t {
        Target::Stream(k) => ("stream".into(), k.clone()),
        Target::List(k) => ("list".into(), k.clone()),
        Target::Channel(k) => ("channel".into(), k.clone()),
        Target::ShardChannel(k) => ("shard channel".into(), k.clone()),
        Target::Topic(k) => ("topic".into(), k.clone()),
    }
}
