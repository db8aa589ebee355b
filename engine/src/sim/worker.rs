//! Workers: the processes of a lane. A stream worker is a consumer of a
//! group (XREADGROUP, XACK, XAUTOCLAIM, dead-lettering); a list worker pops
//! with BLPOP; a subscriber listens to channels. Each talks to the
//! simulated server through its own connection and acts only on the
//! replies it gets, as a real client would.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::trace::{ActorEvent, MsgRef};
use super::world::{Task, World, args};
use crate::redis::db::stream_id::{StreamId, parse_strict_id};
use crate::redis::event::{Bytes, ClientId};
use crate::redis::parse::Arg;
use crate::redis::reply::Reply;
use crate::scenario::{AckPolicy, Dist, Guarantee, Source, WorkerSpec};
use crate::time::{SimDuration, SimTime};

/// A message a worker received and has yet to process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Which message, if the payload names one.
    pub msg: Option<MsgRef>,
    /// Its stream entry ID (stream lanes).
    pub id: Option<StreamId>,
}

/// One worker's state.
#[derive(Clone, Debug)]
pub struct Worker {
    /// Consumer / client name.
    pub name: Bytes,
    /// Its lane.
    pub lane: usize,
    /// Its connection, while connected.
    pub client: Option<ClientId>,
    /// Bumped on crash and restart: tasks scheduled before are stale.
    pub epoch: u32,
    started: bool,
    /// It left for good (`stop_ms`).
    stopped: bool,
    /// The process is down.
    pub crashed: bool,
    /// Its network is down.
    pub network_down: bool,
    /// Processing speed, in percent of normal time (100 = normal).
    pub slow_pct: u32,
    /// A wake-up is on the agenda.
    pub wake_scheduled: bool,
    /// A blocking read is outstanding.
    awaiting: bool,
    /// While re-reading its own pending entries after a (re)start: the ID
    /// to read after.
    history: Option<StreamId>,
    claim_due: bool,
    claim_cursor: StreamId,
    batch: VecDeque<Item>,
    /// The message being processed.
    pub current: Option<Item>,
    /// When processing `current` ends.
    pub busy_until: Option<SimTime>,
    /// Processed entries to XACK together (after-batch).
    ack_later: Vec<StreamId>,
}

impl Worker {
    /// A worker of lane `lane`, not started yet.
    pub fn new(lane: usize, spec: &WorkerSpec) -> Worker {
        Worker {
            name: spec.name.clone().into_bytes(),
            lane,
            client: None,
            epoch: 0,
            started: false,
            stopped: false,
            crashed: false,
            network_down: false,
            slow_pct: 100,
            wake_scheduled: false,
            awaiting: false,
            history: None,
            claim_due: false,
            claim_cursor: StreamId::ZERO,
            batch: VecDeque::new(),
            current: None,
            busy_until: None,
            ack_later: Vec::new(),
        }
    }

    /// Whether the worker is running (started and not crashed).
    pub fn is_up(&self) -> bool {
        self.started && !self.crashed && !self.stopped
    }

    /// Whether it left for good.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }
}

impl World {
    fn worker_spec(&self, w: usize) -> &WorkerSpec {
        let worker = &self.workers[w];
        let lane = &self.scenario.lanes[worker.lane];
        // Worker names are unique in a scenario (validated).
        lane.workers
            .iter()
            .find(|s| s.name.as_bytes() == worker.name.as_slice())
            .unwrap_or(&lane.workers[0])
    }

    fn worker_event(&mut self, w: usize, make: impl FnOnce(Bytes) -> ActorEvent) {
        let name = self.workers[w].name.clone();
        self.record(make(name));
    }

    /// Connects worker `w` and starts its loop.
    pub(crate) fn start_worker(&mut self, w: usize) {
        if self.workers[w].started || self.workers[w].stopped {
            return;
        }
        self.workers[w].started = true;
        self.connect_worker(w);
        self.advance_worker(w);
    }

    /// Opens a connection for worker `w`: subscribers subscribe, group
    /// consumers first re-read their own pending entries.
    fn connect_worker(&mut self, w: usize) {
        let name = self.workers[w].name.clone();
        let node = match &self.scenario.lanes[self.workers[w].lane].source {
            Source::Group(g) => self.node_for(g.stream.as_bytes()),
            Source::List(key) => self.node_for(key.as_bytes()),
            Source::Subscriber(s) => match s.shard_channels.first() {
                Some(channel) => self.node_for(channel.as_bytes()),
                None => self.worker_spec(w).node.unwrap_or(0),
            },
        };
        let client = self.server.connect_to_node(&name, node);
        let worker = &mut self.workers[w];
        worker.client = Some(client);
        worker.awaiting = false;
        let lane = self.scenario.lanes[worker.lane].clone();
        match &lane.source {
            Source::Group(_) => {
                self.workers[w].history = Some(StreamId::ZERO);
                if let Some(c) = self.worker_spec(w).claim {
                    let epoch = self.workers[w].epoch;
                    let at = self.now() + SimDuration::from_ms(c.every_ms);
                    self.schedule(at, Task::ClaimTick(w, epoch));
                }
            }
            Source::Subscriber(s) => {
                for (verb, names) in [
                    ("SUBSCRIBE", &s.channels),
                    ("PSUBSCRIBE", &s.patterns),
                    ("SSUBSCRIBE", &s.shard_channels),
                ] {
                    if !names.is_empty() {
                        let mut argv = args(&[verb]);
                        argv.extend(names.iter().map(|n| n.as_bytes().to_vec()));
                        self.send(client, &argv);
                    }
                }
            }
            Source::List(_) => {}
        }
    }

    /// Sends a command for worker `w`, unless its network is down (the
    /// command is then lost). Returns the immediate replies.
    fn worker_send(&mut self, w: usize, argv: &[Arg]) -> Option<Vec<Reply>> {
        let worker = &self.workers[w];
        match worker.client {
            Some(client) if !worker.network_down => Some(self.send(client, argv)),
            _ => {
                let command = String::from_utf8_lossy(&argv.join(&b' ')).into_owned();
                self.worker_event(w, |worker| ActorEvent::CommandLost { worker, command });
                None
            }
        }
    }

    /// Worker `w`'s loop: take what arrived, process what it holds, ack,
    /// claim, and read again when idle.
    pub(crate) fn advance_worker(&mut self, w: usize) {
        self.workers[w].wake_scheduled = false;
        if let Some(client) = self.workers[w].client {
            for reply in self.server.take_replies(client) {
                if self.workers[w].is_up() {
                    self.workers[w].awaiting = false;
                    self.receive(w, &reply);
                }
            }
        }
        // Bounded: every pass either returns or consumes something.
        for _ in 0..10_000 {
            let worker = &self.workers[w];
            if !worker.is_up() || worker.current.is_some() {
                return;
            }
            if let Some(item) = self.workers[w].batch.pop_front() {
                if self.start_processing(w, item) {
                    return;
                }
                continue;
            }
            if !self.workers[w].ack_later.is_empty() {
                let ids = core::mem::take(&mut self.workers[w].ack_later);
                self.ack(w, &ids);
            }
            let worker = &self.workers[w];
            if worker.awaiting || worker.network_down || !self.fetch(w) {
                return;
            }
        }
    }

    /// Asks for more work; returns whether something arrived at once.
    fn fetch(&mut self, w: usize) -> bool {
        let lane = self.workers[w].lane;
        let source = self.scenario.lanes[lane].source.clone();
        let spec = self.worker_spec(w).clone();
        let name = String::from_utf8_lossy(&self.workers[w].name).into_owned();
        match source {
            Source::Group(g) => {
                if self.workers[w].claim_due {
                    self.claim(w);
                    return true;
                }
                let count = format!("{}", spec.count);
                let read = |options: &[&str], id: &str| {
                    let mut argv = args(&["XREADGROUP", "GROUP", &g.group, &name, "COUNT", &count]);
                    argv.extend(args(options));
                    argv.extend(args(&["STREAMS", &g.stream, id]));
                    argv
                };
                if let Some(after) = self.workers[w].history {
                    let argv = read(&[], &after.to_text());
                    let got = self.read_now(w, &argv);
                    if !got {
                        self.workers[w].history = None;
                    }
                    return true;
                }
                let block = format!("{}", spec.block_ms);
                let noack = self.scenario.lanes[lane].ack_policy() == AckPolicy::Noack;
                let options: &[&str] = if noack {
                    &["BLOCK", &block, "NOACK"]
                } else {
                    &["BLOCK", &block]
                };
                let argv = read(options, ">");
                self.read_now(w, &argv)
            }
            Source::List(key) => {
                let timeout = format!("{}.{:03}", spec.block_ms / 1000, spec.block_ms % 1000);
                self.read_now(w, &args(&["BLPOP", &key, &timeout]))
            }
            Source::Subscriber(_) => false,
        }
    }

    /// Sends a read; handles its reply if it came at once, or waits.
    fn read_now(&mut self, w: usize, argv: &[Arg]) -> bool {
        let Some(replies) = self.worker_send(w, argv) else {
            return false;
        };
        let before = self.workers[w].batch.len();
        for reply in &replies {
            self.receive(w, reply);
        }
        if replies.is_empty() {
            self.workers[w].awaiting = true;
        }
        self.workers[w].batch.len() > before
    }

    /// Interprets one reply or push for worker `w`.
    fn receive(&mut self, w: usize, reply: &Reply) {
        let items = match &self.scenario.lanes[self.workers[w].lane].source {
            Source::Group(_) => stream_items(reply),
            Source::List(_) => pop_item(reply).into_iter().collect(),
            Source::Subscriber(_) => push_item(reply).into_iter().collect(),
        };
        let mut items: Vec<Item> = items
            .into_iter()
            .map(|(id, text)| Item {
                msg: text.and_then(|t| self.msg_of(&t)),
                id,
            })
            .collect();
        if let Some(history) = &mut self.workers[w].history
            && let Some(last) = items.iter().filter_map(|i| i.id).max()
        {
            *history = last;
        }
        let lane = self.workers[w].lane;
        if self.scenario.lanes[lane].ack_policy() == AckPolicy::BeforeProcessing
            && matches!(self.scenario.lanes[lane].source, Source::Group(_))
        {
            let ids: Vec<StreamId> = items.iter().filter_map(|i| i.id).collect();
            if !ids.is_empty() {
                self.ack(w, &ids);
            }
        }
        self.workers[w].batch.extend(items.drain(..));
    }

    /// The message a payload names (`<producer>-<n>`), if any.
    fn msg_of(&self, text: &[u8]) -> Option<MsgRef> {
        let text = core::str::from_utf8(text).ok()?;
        let (name, seq) = text.rsplit_once('-')?;
        let producer = self
            .scenario
            .producers
            .iter()
            .position(|p| p.name == name)?;
        Some(MsgRef {
            producer: producer as u16,
            seq: seq.parse().ok()?,
        })
    }

    /// XACK `ids` for worker `w`'s group.
    fn ack(&mut self, w: usize, ids: &[StreamId]) {
        let Source::Group(g) = &self.scenario.lanes[self.workers[w].lane].source else {
            return;
        };
        let mut argv = args(&["XACK", &g.stream, &g.group]);
        argv.extend(ids.iter().map(|id| id.to_text().into_bytes()));
        self.worker_send(w, &argv);
    }

    /// Starts processing `item`; returns `false` if there was nothing to
    /// process (an entry deleted from the stream: acknowledged and dropped).
    fn start_processing(&mut self, w: usize, item: Item) -> bool {
        let Some(msg) = item.msg else {
            if let Some(id) = item.id {
                self.ack(w, &[id]);
            }
            return false;
        };
        let spec = self.worker_spec(w).clone();
        let base = match spec.processing_ms {
            Dist::Fixed(ms) => ms,
            Dist::Uniform([lo, hi]) => self.rng.between(lo, hi),
            Dist::Exponential(mean) => self.rng.exponential_ms(mean as f64),
        };
        let ms = base.saturating_mul(u64::from(self.workers[w].slow_pct)) / 100;
        let until = self.now() + SimDuration::from_ms(ms);
        let (lane, id, epoch) = (self.workers[w].lane as u16, item.id, self.workers[w].epoch);
        self.worker_event(w, |worker| ActorEvent::ProcessingStarted {
            worker,
            lane,
            msg,
            id,
            until,
        });
        self.workers[w].current = Some(item);
        self.workers[w].busy_until = Some(until);
        self.schedule(until, Task::ProcessDone(w, epoch));
        true
    }

    /// Worker `w` finished its current message: apply the effect (or fail),
    /// acknowledge as its lane does, and carry on.
    pub(crate) fn finish_processing(&mut self, w: usize) {
        let Some(item) = self.workers[w].current.take() else {
            return;
        };
        let Some(msg) = item.msg else { return };
        let lane = self.workers[w].lane;
        let spec = self.worker_spec(w).clone();
        let poison = self
            .scenario
            .producers
            .get(usize::from(msg.producer))
            .is_some_and(|p| p.poison.contains(&msg.seq));
        let lane_id = lane as u16;
        if poison || self.rng.chance(spec.failure_probability) {
            let id = item.id;
            self.worker_event(w, |worker| ActorEvent::ProcessingFailed {
                worker,
                lane: lane_id,
                msg,
                id,
                poison,
            });
        } else {
            let dedup = self.scenario.lanes[lane].guarantee == Guarantee::ExactlyOnce;
            let applied = !(dedup && self.ledger.already_processed(lane, msg));
            if applied {
                self.ledger.processed(lane, msg);
            }
            let id = item.id;
            self.worker_event(w, |worker| ActorEvent::Processed {
                worker,
                lane: lane_id,
                msg,
                id,
                applied,
            });
            if let Some(id) = item.id {
                match self.scenario.lanes[lane].ack_policy() {
                    AckPolicy::AfterEach => self.ack(w, &[id]),
                    AckPolicy::AfterBatch => self.workers[w].ack_later.push(id),
                    AckPolicy::BeforeProcessing | AckPolicy::Noack => {}
                }
            }
        }
        self.advance_worker(w);
    }

    /// The claim timer fired: claim when idle.
    pub(crate) fn claim_due(&mut self, w: usize) {
        self.workers[w].claim_due = true;
        self.advance_worker(w);
    }

    /// XAUTOCLAIM idle entries for worker `w`; dead-letter those delivered
    /// too often, queue the others.
    fn claim(&mut self, w: usize) {
        self.workers[w].claim_due = false;
        let spec = self.worker_spec(w).clone();
        let Some(c) = spec.claim else { return };
        let epoch = self.workers[w].epoch;
        let at = self.now() + SimDuration::from_ms(c.every_ms);
        self.schedule(at, Task::ClaimTick(w, epoch));
        let lane = self.scenario.lanes[self.workers[w].lane].clone();
        let Source::Group(g) = &lane.source else {
            return;
        };
        let cursor = self.workers[w].claim_cursor.to_text();
        let (idle, count) = (format!("{}", c.min_idle_ms), format!("{}", c.count));
        let argv = args(&[
            "XAUTOCLAIM",
            &g.stream,
            &g.group,
            &spec.name,
            &idle,
            &cursor,
            "COUNT",
            &count,
        ]);
        let Some(replies) = self.worker_send(w, &argv) else {
            return;
        };
        let Some(Reply::Array(parts)) = replies.first() else {
            return;
        };
        if let Some(Reply::Bulk(next)) = parts.first() {
            self.workers[w].claim_cursor = parse_strict_id(next).unwrap_or_default();
        }
        let Some(entries) = parts.get(1) else { return };
        for (id, text) in entries_of(entries) {
            let item = Item {
                msg: text.and_then(|t| self.msg_of(&t)),
                id,
            };
            let parked = match (&lane.dead_letter, item.id, item.msg) {
                (Some(d), Some(id), Some(msg)) => self.maybe_dead_letter(w, g, d, id, msg),
                _ => false,
            };
            if !parked {
                self.workers[w].batch.push_back(item);
            }
        }
    }

    /// If entry `id` was delivered more than the lane allows, copies it to
    /// the dead-letter stream and acknowledges it. Returns whether it did.
    fn maybe_dead_letter(
        &mut self,
        w: usize,
        g: &crate::scenario::GroupSource,
        d: &crate::scenario::DeadLetterSpec,
        id: StreamId,
        msg: MsgRef,
    ) -> bool {
        let id_text = id.to_text();
        let argv = args(&["XPENDING", &g.stream, &g.group, &id_text, &id_text, "1"]);
        let deliveries = match self.worker_send(w, &argv).as_deref() {
            Some([Reply::Array(rows)]) => match rows.first() {
                Some(Reply::Array(row)) => match row.get(3) {
                    Some(Reply::Integer(n)) => *n as u64,
                    _ => 0,
                },
                _ => 0,
            },
            _ => 0,
        };
        if deliveries <= u64::from(d.after_deliveries) {
            return false;
        }
        let text = super::trace::msg_text(
            &self.scenario.producers[usize::from(msg.producer)].name,
            msg.seq,
        );
        let count = format!("{deliveries}");
        let argv = args(&[
            "XADD",
            &d.stream,
            "*",
            "msg",
            &text,
            "origin-id",
            &id_text,
            "deliveries",
            &count,
        ]);
        let new_id = match self.worker_send(w, &argv).as_deref() {
            Some([Reply::Bulk(b)]) => parse_strict_id(b),
            _ => None,
        };
        let Some(new_id) = new_id else { return false };
        self.ack(w, &[id]);
        let lane = self.workers[w].lane;
        self.ledger.dead_lettered(lane, msg);
        let (from, to) = (g.stream.clone().into_bytes(), d.stream.clone().into_bytes());
        self.worker_event(w, |worker| ActorEvent::DeadLettered {
            worker,
            lane: lane as u16,
            msg,
            from,
            id,
            to,
            new_id,
            deliveries,
        });
        true
    }

    /// The worker leaves as planned: like a crash, but final and not a
    /// fault (the drain does not restart it).
    pub(crate) fn stop_worker(&mut self, w: usize) {
        if !self.workers[w].is_up() {
            return;
        }
        self.shut_down(w);
        self.workers[w].stopped = true;
        self.worker_event(w, |worker| ActorEvent::Stopped { worker });
    }

    /// The process dies: connection closed, in-flight work forgotten.
    pub(crate) fn crash_worker(&mut self, w: usize) {
        if !self.workers[w].is_up() {
            return;
        }
        self.shut_down(w);
        self.workers[w].crashed = true;
        self.worker_event(w, |worker| ActorEvent::Crashed { worker });
    }

    /// Closes the worker's connection and forgets its in-flight work.
    fn shut_down(&mut self, w: usize) {
        if let Some(client) = self.workers[w].client.take() {
            self.server.disconnect(client);
        }
        let worker = &mut self.workers[w];
        worker.epoch += 1;
        worker.batch.clear();
        worker.current = None;
        worker.busy_until = None;
        worker.ack_later.clear();
        worker.awaiting = false;
        worker.history = None;
        worker.network_down = false;
    }

    /// A crashed worker starts again with a new connection.
    pub(crate) fn restart_worker(&mut self, w: usize) {
        if !self.workers[w].crashed {
            return;
        }
        self.workers[w].crashed = false;
        self.workers[w].epoch += 1;
        self.workers[w].claim_due = false;
        self.worker_event(w, |worker| ActorEvent::Restarted { worker });
        self.connect_worker(w);
        self.advance_worker(w);
    }

    /// The worker's network drops: the server closes its connection.
    pub(crate) fn network_down(&mut self, w: usize, until: SimTime) {
        if !self.workers[w].is_up() || self.workers[w].network_down {
            return;
        }
        if let Some(client) = self.workers[w].client.take() {
            self.server.disconnect(client);
        }
        self.workers[w].network_down = true;
        self.workers[w].awaiting = false;
        self.worker_event(w, |worker| ActorEvent::NetworkDown { worker, until });
    }

    /// The network is back: reconnect and carry on.
    pub(crate) fn network_up(&mut self, w: usize) {
        if !self.workers[w].network_down {
            return;
        }
        self.workers[w].network_down = false;
        self.worker_event(w, |worker| ActorEvent::NetworkUp { worker });
        if self.workers[w].is_up() {
            self.connect_worker(w);
            self.advance_worker(w);
        }
    }

    /// A slowdown ends.
    pub(crate) fn restore_speed(&mut self, w: usize) {
        if self.workers[w].slow_pct != 100 {
            self.workers[w].slow_pct = 100;
            self.worker_event(w, |worker| ActorEvent::SpeedRestored { worker });
        }
    }
}

/// `(id, msg field)` of every entry in an XREADGROUP reply.
fn stream_items(reply: &Reply) -> Vec<(Option<StreamId>, Option<Bytes>)> {
    let Reply::Array(streams) = reply else {
        return Vec::new();
    };
    streams
        .iter()
        .filter_map(|s| match s {
            Reply::Array(pair) => pair.get(1),
            _ => None,
        })
        .flat_map(entries_of)
        .collect()
}

/// `(id, msg field)` of a list of `[id, [field, value…]]` entries.
fn entries_of(entries: &Reply) -> Vec<(Option<StreamId>, Option<Bytes>)> {
    let Reply::Array(entries) = entries else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| {
            let Reply::Array(parts) = e else { return None };
            let id = match parts.first() {
                Some(Reply::Bulk(b)) => parse_strict_id(b),
                _ => None,
            };
            let msg = match parts.get(1) {
                Some(Reply::Array(fields)) => fields.chunks(2).find_map(|kv| match kv {
                    [Reply::Bulk(k), Reply::Bulk(v)] if k == b"msg" => Some(v.clone()),
                    _ => None,
                }),
                _ => None,
            };
            Some((id, msg))
        })
        .collect()
}

/// The first word of a BLPOP reply's value.
fn pop_item(reply: &Reply) -> Option<(Option<StreamId>, Option<Bytes>)> {
    match reply {
        Reply::Array(kv) => match kv.get(1) {
            Some(Reply::Bulk(v)) => Some((None, Some(first_word(v)))),
            _ => None,
        },
        _ => None,
    }
}

/// The first word of a pub/sub message's payload.
fn push_item(reply: &Reply) -> Option<(Option<StreamId>, Option<Bytes>)> {
    let Reply::Array(parts) = reply else {
        return None;
    };
    let kind = match parts.first() {
        Some(Reply::Bulk(k)) => k.as_slice(),
        _ => return None,
    };
    let payload = match (kind, parts.len()) {
        (b"message" | b"smessage", 3) => parts.get(2),
        (b"pmessage", 4) => parts.get(3),
        _ => None,
    }?;
    match payload {
        Reply::Bulk(v) => Some((None, Some(first_word(v)))),
        _ => None,
    }
}

fn first_word(v: &[u8]) -> Bytes {
    v.split(|&b| b == b' ').next().unwrap_or_default().to_vec()
}
