//! The simulated processes around the broker, as state machines.
//!
//! Each actor owns its state (an enum per kind, not a bag of flags) and
//! its own random stream, and has handlers — started, a reply received, a
//! timer fired, its connection lost — that say what it does next through a
//! [`Cx`]: commands to send, timers to set or cancel (by id), events to
//! record. The world carries those out: it sends commands over the actor's
//! connections and hands the replies back, one at a time, as a real client
//! library would. An actor never reaches into the broker.
//!
//! Replies to an actor's own commands come back within the same action;
//! replies another client's command caused (a blocked read served, a
//! message published) wake it in an action of its own.

pub mod kafka_consumer;
pub mod list_worker;
pub mod producer;
pub mod reader;
pub mod step;
pub mod stream_consumer;
pub mod subscriber;
pub mod worker;

use alloc::boxed::Box;
use alloc::collections::VecDeque;

pub use super::agenda::{ActorId, Timer};
use super::agenda::{Agenda, Task, TimerId};
use super::trace::SimEvent;
use crate::msg::MsgRef;
use crate::redis::client::Command;
use crate::redis::db::stream_id::StreamId;
use crate::redis::reply::Reply;
use crate::time::{SimDuration, SimTime};

pub use producer::Producer;
pub use worker::Worker;

/// What a handler asks the world to do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send a command over the actor's connection (opened if needed).
    Send(Command),
    /// Record an event in the trace.
    Record(SimEvent),
    /// Close the actor's connections (it gave up on them).
    Close,
    /// `producer.send()` of a message to a Kafka topic: the client library
    /// takes it and retries it by its config; the callback's outcome
    /// arrives as the cluster's events.
    Produce {
        /// The topic.
        topic: alloc::string::String,
        /// The message.
        msg: MsgRef,
    },
}

/// A handler's view of the world: the time, its timers, and where its
/// effects go.
pub struct Cx<'a> {
    /// The current simulated time.
    pub now: SimTime,
    me: ActorId,
    agenda: &'a mut Agenda,
    effects: &'a mut VecDeque<Effect>,
}

impl<'a> Cx<'a> {
    /// A context for actor `me`.
    pub(crate) fn new(
        now: SimTime,
        me: ActorId,
        agenda: &'a mut Agenda,
        effects: &'a mut VecDeque<Effect>,
    ) -> Self {
        Cx {
            now,
            me,
            agenda,
            effects,
        }
    }

    /// Sends `command`; its reply comes back through `on_reply`.
    pub fn send(&mut self, command: Command) {
        self.effects.push_back(Effect::Send(command));
    }

    /// Hands `msg` to the Kafka producer for `topic`.
    pub fn produce(&mut self, topic: &str, msg: MsgRef) {
        self.effects.push_back(Effect::Produce {
            topic: topic.into(),
            msg,
        });
    }

    /// Records `event` in the trace.
    pub fn record(&mut self, event: SimEvent) {
        self.effects.push_back(Effect::Record(event));
    }

    /// Closes the actor's connections.
    pub fn close(&mut self) {
        self.effects.push_back(Effect::Close);
    }

    /// Sets a timer `after_ms` from now.
    pub fn timer(&mut self, after_ms: u64, timer: Timer) -> TimerId {
        let at = self.now + SimDuration::from_ms(after_ms);
        self.agenda.schedule(at, Task::Timer(self.me, timer))
    }

    /// Cancels a timer.
    pub fn cancel(&mut self, id: TimerId) {
        self.agenda.cancel(id);
    }
}

/// How fast a process works: its processing times, drawn from its
/// distribution, stretched by a slowdown fault (in percent of normal
/// time; 100 = normal). Shared by Redis workers and Kafka consumers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Speed {
    pct: u32,
}

impl Default for Speed {
    fn default() -> Self {
        Speed { pct: 100 }
    }
}

impl Speed {
    /// In percent of normal time.
    pub fn pct(self) -> u32 {
        self.pct
    }

    /// How long the next piece of work takes: a draw from `dist` with
    /// `rng`, stretched by the slowdown.
    pub fn processing_ms(self, dist: crate::scenario::Dist, rng: &mut crate::rng::Rng) -> u64 {
        use crate::scenario::Dist;
        let base = match dist {
            Dist::Fixed(ms) => ms,
            Dist::Uniform([lo, hi]) => rng.between(lo, hi),
            Dist::Exponential(mean) => rng.exponential_ms(mean as f64),
        };
        base.saturating_mul(u64::from(self.pct)) / 100
    }

    /// `worker` works `pct`/100 times slower until `until`.
    pub fn slow(&mut self, cx: &mut Cx<'_>, worker: &[u8], pct: u32, until: SimTime) {
        self.pct = pct;
        cx.record(SimEvent::Slowed {
            worker: worker.into(),
            factor_pct: pct,
            until,
        });
    }

    /// `worker`'s slowdown ends.
    pub fn restore(&mut self, cx: &mut Cx<'_>, worker: &[u8]) {
        if self.pct != 100 {
            self.pct = 100;
            cx.record(SimEvent::SpeedRestored {
                worker: worker.into(),
            });
        }
    }
}

/// A message a worker received and has yet to process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Which message, if the payload names one.
    pub msg: Option<MsgRef>,
    /// Its stream entry ID (consumer groups).
    pub id: Option<StreamId>,
    /// The checks still due before it is processed.
    pub gate: Gate,
}

impl Item {
    /// The same message, at another gate.
    pub fn at(self, gate: Gate) -> Item {
        Item { gate, ..self }
    }
}

/// The checks a consumer makes before processing a message, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// It came back through XAUTOCLAIM: its delivery count decides
    /// whether it is dead-lettered (when the service dead-letters).
    Deliveries,
    /// Exactly-once: was it done already?
    Dedup,
    /// Nothing left to check.
    Ready,
}

/// One simulated process (boxed: the two differ much in size, and a
/// world's actors are moved as a vector).
#[derive(Clone, Debug)]
pub enum Actor {
    /// Writes messages.
    Producer(Box<Producer>),
    /// Consumes them: a consumer, a list worker or a subscriber.
    Worker(Box<Worker>),
    /// A Kafka consumer (driven by the world with the cluster at hand).
    KafkaConsumer(Box<kafka_consumer::KafkaConsumer>),
}

impl Actor {
    /// Its client name (and role).
    pub fn name(&self) -> &[u8] {
        match self {
            Actor::Producer(p) => p.name(),
            Actor::Worker(w) => &w.name,
            Actor::KafkaConsumer(c) => &c.name,
        }
    }

    /// Its timeout for a reply, in ms.
    pub fn timeout_ms(&self) -> u64 {
        match self {
            Actor::Producer(p) => p.timeout_ms(),
            Actor::Worker(w) => w.timeout_ms(),
            Actor::KafkaConsumer(_) => 0,
        }
    }

    /// It starts (a producer's first message, a worker's connection).
    pub fn start(&mut self, cx: &mut Cx<'_>) {
        match self {
            Actor::Producer(p) => p.start(cx),
            Actor::Worker(w) => w.start(cx),
            // Driven by the world with the cluster (`sim::kafka`).
            Actor::KafkaConsumer(_) => {}
        }
    }

    /// A reply (or a push) arrived on its connection.
    pub fn on_reply(&mut self, cx: &mut Cx<'_>, reply: &Reply) {
        match self {
            Actor::Producer(p) => p.on_reply(cx, reply),
            Actor::Worker(w) => w.on_reply(cx, reply),
            // Driven by the world with the cluster (`sim::kafka`).
            Actor::KafkaConsumer(_) => {}
        }
    }

    /// Timer `id` fired.
    pub fn on_timer(&mut self, cx: &mut Cx<'_>, id: TimerId, timer: Timer) {
        match self {
            Actor::Producer(p) => p.on_timer(cx, id, timer),
            Actor::Worker(w) => w.on_timer(cx, id, timer),
            // Driven by the world with the cluster (`sim::kafka`).
            Actor::KafkaConsumer(_) => {}
        }
    }

    /// A command it sent could not go out (no network, broker down): no
    /// reply will come.
    pub fn on_send_failed(&mut self, cx: &mut Cx<'_>) {
        match self {
            Actor::Producer(p) => p.on_send_failed(cx),
            Actor::Worker(w) => w.on_send_failed(cx),
            // Driven by the world with the cluster (`sim::kafka`).
            Actor::KafkaConsumer(_) => {}
        }
    }

    /// The reply to the command it just sent will never come (the network
    /// lost it). A real client notices only when its timeout fires, so it
    /// arms that timer now — the same as arming one for every request and
    /// cancelling it when the reply comes, without the cost.
    pub fn on_reply_lost(&mut self, cx: &mut Cx<'_>) {
        match self {
            Actor::Producer(p) => p.on_reply_lost(cx),
            Actor::Worker(w) => w.on_reply_lost(cx),
            // Driven by the world with the cluster (`sim::kafka`).
            Actor::KafkaConsumer(_) => {}
        }
    }

    /// Its connections closed under it (the broker went down).
    pub fn on_link_lost(&mut self, cx: &mut Cx<'_>) {
        match self {
            Actor::Producer(p) => p.on_link_lost(cx),
            Actor::Worker(w) => w.on_link_lost(cx),
            // Driven by the world with the cluster (`sim::kafka`).
            Actor::KafkaConsumer(_) => {}
        }
    }
}
