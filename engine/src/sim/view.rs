//! What a lab draws, as data: a projection of the world at one moment.
//!
//! The UI renders these structures and nothing else, so every number it
//! shows — a cursor, a lag, a delivery count, an idle time, a ledger count
//! — is computed here by the engine, with the same code that answers XINFO
//! and XPENDING.

use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::ledger::LaneCounts;
use super::trace::{MsgRef, TraceEvent, What};
use super::world::World;
use crate::redis::db::Value;
use crate::redis::db::stream::{Fields, Stream};
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::Event;
use crate::scenario::{Source, Target};
use crate::sim::ActorEvent;

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
    /// Lists read by lanes, and any other list, by key.
    pub lists: Vec<ListView>,
    /// Lanes with their workers and ledger counts.
    pub lanes: Vec<LaneView>,
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
    /// Whether it is a lane's dead-letter stream.
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

/// A lane with its ledger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneView {
    /// Name.
    pub name: String,
    /// Its guarantee.
    pub guarantee: &'static str,
    /// What it reads (`group billing on orders`…), kind and name.
    pub source: (String, String),
    /// Its workers.
    pub workers: Vec<WorkerView>,
    /// Ledger counts so far.
    pub counts: LaneCounts,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl World {
    /// The stage as it is now.
    pub fn view(&self) -> StageView {
        let scenario = self.scenario();
        let producers = scenario
            .producers
            .iter()
            .zip(&self.producers)
            .map(|(spec, p)| ProducerView {
                name: spec.name.clone(),
                sent: p.sent,
                targets: spec.targets.iter().map(target_view).collect(),
            })
            .collect();
        let lanes = scenario
            .lanes
            .iter()
            .enumerate()
            .map(|(i, lane)| LaneView {
                name: lane.name.clone(),
                guarantee: lane.guarantee.as_str(),
                source: match &lane.source {
                    Source::Group(g) => {
                        ("group".into(), alloc::format!("{} ← {}", g.group, g.stream))
                    }
                    Source::List(k) => ("list".into(), k.clone()),
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
                counts: self.lane_counts(i),
            })
            .collect();
        StageView {
            time_ms: self.now().since_start().as_ms(),
            producers,
            streams: self.stream_views(),
            lists: self.list_views(),
            lanes,
        }
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
        for lane in &scenario.lanes {
            if let Source::Group(g) = &lane.source {
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
        for lane in &scenario.lanes {
            if let Some(d) = &lane.dead_letter {
                add(&d.stream, true);
            }
        }
        for (key, value) in self.server().db.iter() {
            if matches!(value, Value::Stream(_)) {
                add(&text(key), false);
            }
        }
        keys.into_iter()
            .filter_map(|(k, dead)| {
                let stream = self.server().db.stream(k.as_bytes()).ok().flatten()?;
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
            .db
            .iter()
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
        let w = self.workers.iter().find(|w| w.name == name)?;
        let status = if w.is_stopped() {
            WorkerStatus::Stopped
        } else if w.crashed {
            WorkerStatus::Crashed
        } else if w.network_down {
            WorkerStatus::NetworkDown
        } else if w.is_up() {
            WorkerStatus::Up
        } else {
            WorkerStatus::NotStarted
        };
        let processing = w.current.as_ref().and_then(|item| {
            let msg = item.msg?;
            Some((self.msg_name(msg), w.busy_until?.since_start().as_ms()))
        });
        Some(WorkerView {
            name: text(&w.name),
            status,
            slow_pct: w.slow_pct,
            processing,
        })
    }

    /// A message's text form (`order-7`).
    pub fn msg_name(&self, msg: MsgRef) -> String {
        let producer = self
            .scenario()
            .producers
            .get(usize::from(msg.producer))
            .map_or("?", |p| p.name.as_str());
        super::trace::msg_text(producer, msg.seq)
    }

    /// The events of `events` that concern entry `id` of stream `key`:
    /// its life story (added, delivered, acknowledged, claimed, processed,
    /// dead-lettered, deleted).
    pub fn entry_story<'a>(
        &self,
        events: &'a [TraceEvent],
        key: &[u8],
        id: StreamId,
    ) -> Vec<&'a TraceEvent> {
        let lanes: Vec<u16> = self
            .scenario()
            .lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(&l.source, Source::Group(g) if g.stream.as_bytes() == key))
            .map(|(i, _)| i as u16)
            .collect();
        events
            .iter()
            .filter(|e| concerns(e, key, id, &lanes))
            .collect()
    }

    /// The ledger's story of message `msg`, across every target it was
    /// sent to: produced, appended or pushed or published, delivered,
    /// processed (how often), claimed, dead-lettered, lost.
    pub fn message_story<'a>(&self, events: &'a [TraceEvent], msg: MsgRef) -> Vec<&'a TraceEvent> {
        let text = self.msg_name(msg);
        let word = text.as_bytes();
        // The stream entries that carry it (the Produced event comes after
        // the broker's EntryAdded it caused, so look them up first).
        let entries: Vec<(&[u8], StreamId)> = events
            .iter()
            .filter_map(|e| match &e.what {
                What::Actor(ActorEvent::Produced {
                    msg: m,
                    target,
                    id: Some(id),
                    ..
                }) if *m == msg => Some((target.as_slice(), *id)),
                _ => None,
            })
            .collect();
        let mut story = Vec::new();
        for e in events {
            let relevant = match &e.what {
                What::Actor(a) => match a {
                    ActorEvent::Produced { msg: m, .. }
                    | ActorEvent::ProcessingStarted { msg: m, .. }
                    | ActorEvent::Processed { msg: m, .. }
                    | ActorEvent::ProcessingFailed { msg: m, .. }
                    | ActorEvent::DeadLettered { msg: m, .. }
                    | ActorEvent::Lost { msg: m, .. } => *m == msg,
                    _ => false,
                },
                What::Broker(b) => match b {
                    Event::ListPushed { values, .. } => {
                        values.iter().any(|v| first_word(v) == word)
                    }
                    Event::ListPopped { value, .. } | Event::ListMoved { value, .. } => {
                        first_word(value) == word
                    }
                    Event::Published { message, .. } | Event::MessageDelivered { message, .. } => {
                        first_word(message) == word
                    }
                    _ => entries.iter().any(|(key, id)| concerns(e, key, *id, &[])),
                },
            };
            if relevant {
                story.push(e);
            }
        }
        story
    }
}

/// The first word of a list value or a pub/sub payload: the message ID
/// producers put there.
fn first_word(bytes: &[u8]) -> &[u8] {
    bytes.split(|&b| b == b' ').next().unwrap_or_default()
}

fn target_view(t: &Target) -> (String, String) {
    match t {
        Target::Stream(k) => ("stream".into(), k.clone()),
        Target::List(k) => ("list".into(), k.clone()),
        Target::Channel(k) => ("channel".into(), k.clone()),
        Target::ShardChannel(k) => ("shard channel".into(), k.clone()),
    }
}

/// Whether event `e` concerns entry `id` of stream `key` (read by `lanes`).
fn concerns(e: &TraceEvent, key: &[u8], id: StreamId, lanes: &[u16]) -> bool {
    match &e.what {
        What::Broker(b) => match b {
            Event::EntryAdded { key: k, id: i, .. }
            | Event::EntryDelivered { key: k, id: i, .. }
            | Event::EntryAcked { key: k, id: i, .. }
            | Event::EntryClaimed { key: k, id: i, .. }
            | Event::PendingDropped { key: k, id: i, .. } => k == key && *i == id,
            Event::EntriesDeleted { key: k, ids } | Event::StreamTrimmed { key: k, ids, .. } => {
                k == key && ids.contains(&id)
            }
            Event::EntriesRead { key: k, ids, .. } => k == key && ids.contains(&id),
            _ => false,
        },
        What::Actor(a) => match a {
            ActorEvent::Produced {
                target,
                id: Some(i),
                ..
            } => target == key && *i == id,
            ActorEvent::ProcessingStarted {
                id: Some(i), lane, ..
            }
            | ActorEvent::Processed {
                id: Some(i), lane, ..
            }
            | ActorEvent::ProcessingFailed {
                id: Some(i), lane, ..
            } => *i == id && lanes.contains(lane),
            ActorEvent::DeadLettered { from, id: i, .. } => from == key && *i == id,
            _ => false,
        },
    }
}
