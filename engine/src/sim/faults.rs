//! Faults, by role and kind. A fault names a role of the workload (a
//! worker, a producer) or the broker, and the same schedule applies in
//! every lane: each lane's copy of that role is hit at the same instant.
//!
//! - a worker's process: crash, restart, slow down;
//! - a client's network: cut for a while, or lose one command (it never
//!   runs) or one reply (it ran; the client never hears);
//! - the broker: its machine crashes (only what persistence flushed to
//!   disk survives) and restarts.
//!
//! The drain heals everything still broken.

use alloc::vec::Vec;

use super::World;
use super::actor::{Actor, ActorId};
use super::agenda::Task;
use super::broker::RedisBroker;
use super::trace::SimEvent;
use crate::redis::event::Bytes;
use crate::scenario::{FaultKind, FaultSpec, SubscriberSource};
use crate::time::{SimDuration, SimTime};

/// What the network loses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// The command: the broker never runs it.
    Command,
    /// The reply: the broker ran it, the client never hears.
    Reply,
}

/// A loss armed for an actor's next matching command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetFault {
    /// Whose command.
    pub actor: ActorId,
    /// What is lost.
    pub loss: Loss,
    /// Only a command of this name (upper-case), or any.
    pub command: Option<Bytes>,
}

/// Whether a subscriber to `source` hears what is published to `channel`
/// (with SPUBLISH if `sharded`).
pub fn hears(source: &SubscriberSource, channel: &[u8], sharded: bool) -> bool {
    if sharded {
        return source
            .shard_channels
            .iter()
            .any(|c| c.as_bytes() == channel);
    }
    source.channels.iter().any(|c| c.as_bytes() == channel)
        || source
            .patterns
            .iter()
            .any(|p| crate::redis::db::glob::string_match(p.as_bytes(), channel, false))
}

impl World {
    /// Applies a fault; `end` is the task that ends it at `until_ms`.
    pub(crate) fn apply_fault(&mut self, spec: &FaultSpec, end: Task) {
        if self.broker.kafka().is_some() {
            return self.apply_kafka_fault(spec, end);
        }
        let until = spec
            .until_ms
            .map(|ms| SimTime::START + SimDuration::from_ms(ms));
        if !spec.kind.needs_role() {
            match spec.kind {
                FaultKind::BrokerCrash => {
                    self.crash_broker();
                    if let Some(t) = until {
                        self.agenda.schedule(t, end);
                    }
                }
                _ => self.restart_broker(),
            }
            return;
        }
        let Some(a) = spec.role.as_deref().and_then(|r| self.actor_named(r)) else {
            return;
        };
        match spec.kind {
            FaultKind::Crash => {
                let dropped = self.in_hand(a);
                self.with_worker(a, |w, cx| w.crash(cx, false));
                self.lost_with(dropped);
            }
            FaultKind::Restart => self.with_worker(a, |w, cx| w.restart(cx)),
            FaultKind::Slow => {
                // Scenario faults are validated; injected ones may come from
                // a hand-edited link, so the factor is kept in range here.
                let factor = spec
                    .factor
                    .filter(|f| f.is_finite())
                    .unwrap_or(1.0)
                    .clamp(1.0, 100.0);
                let pct = libm::round(factor * 100.0) as u32;
                self.with_worker(a, |w, cx| w.slow(cx, pct, until.unwrap_or_default()));
                if let Some(t) = until {
                    self.agenda.schedule(t, end);
                }
            }
            FaultKind::Disconnect => {
                self.cut(a, until.unwrap_or_default());
                if let Some(t) = until {
                    self.agenda.schedule(t, end);
                }
            }
            FaultKind::LoseCommand | FaultKind::LoseReply => self.net_faults.push(NetFault {
                actor: a,
                loss: if spec.kind == FaultKind::LoseCommand {
                    Loss::Command
                } else {
                    Loss::Reply
                },
                command: spec
                    .command
                    .as_ref()
                    .map(|c| c.to_ascii_uppercase().into_bytes()),
            }),
            FaultKind::BrokerCrash | FaultKind::BrokerRestart => {}
        }
    }

    /// A fault's `until_ms` came.
    pub(crate) fn end_fault(&mut self, spec: &FaultSpec) {
        if self.broker.kafka().is_some() {
            return self.end_kafka_fault(spec);
        }
        match spec.kind {
            FaultKind::BrokerCrash => self.restart_broker(),
            FaultKind::Slow | FaultKind::Disconnect => {
                let Some(a) = spec.role.as_deref().and_then(|r| self.actor_named(r)) else {
                    return;
                };
                if spec.kind == FaultKind::Slow {
                    self.with_worker(a, |w, cx| w.restore_speed(cx));
                } else {
                    self.uncut(a);
                }
            }
            _ => {}
        }
    }

    /// What worker `a` holds in memory that a crash would take with it:
    /// (service, message). Only kinds whose position lives in the broker
    /// (a group's consumer, a list worker, a subscriber): a plain reader
    /// from `0` reads its history again after a restart.
    pub(crate) fn in_hand(&self, a: ActorId) -> Vec<(usize, crate::msg::MsgRef)> {
        use super::actor::worker::Kind;
        match self.actors.get(a) {
            Some(Actor::Worker(w)) if !matches!(w.kind(), Kind::Reader(_)) => w
                .held()
                .filter_map(|item| Some((usize::from(w.service), item.msg?)))
                .collect(),
            Some(Actor::KafkaConsumer(c)) => {
                c.held().map(|m| (usize::from(c.service), m)).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Messages a crash took from a worker's hand: those that nobody else
    /// holds (not pending in the group, not in a list, not in the log at
    /// or after the committed offset) and were never processed are lost
    /// now, not only when the run ends — the ledger and the trace say so at
    /// the moment it happened.
    pub(crate) fn lost_with(&mut self, dropped: Vec<(usize, crate::msg::MsgRef)>) {
        if dropped.is_empty() {
            return;
        }
        let held = self.held();
        for (service, msg) in dropped {
            let st = self.ledger.state(service, msg);
            if held.contains(&(service, msg)) || st.lost || st.processed > 0 || st.dead {
                continue;
            }
            self.ledger.lost_now(service, msg);
            self.record(SimEvent::Lost {
                service: service as u16,
                msg,
            });
        }
    }

    /// Takes the loss armed for actor `a`'s command `name`, if any.
    pub(crate) fn take_net_fault(&mut self, a: ActorId, name: &[u8]) -> Option<Loss> {
        let i = self.net_faults.iter().position(|f| {
            f.actor == a
                && f.command
                    .as_deref()
                    .is_none_or(|c| c.eq_ignore_ascii_case(name))
        })?;
        Some(self.net_faults.remove(i).loss)
    }

    /// Cuts actor `a`'s network until `until`.
    fn cut(&mut self, a: ActorId, until: SimTime) {
        if self.links[a].cut.is_some() {
            return;
        }
        match &self.actors[a] {
            Actor::Worker(w) if !w.is_running() => {}
            // Kafka consumers lose no connection of their own here: faults
            // cut brokers off instead (`sim::kafka`).
            Actor::KafkaConsumer(_) => {}
            Actor::Worker(_) => {
                self.links[a].cut = Some(until);
                self.with_worker(a, |w, cx| w.network_down(cx, until));
            }
            Actor::Producer(p) => {
                let client = p.name().into();
                self.links[a].cut = Some(until);
                self.close(a);
                self.record(SimEvent::NetworkDown { client, until });
            }
        }
    }

    /// Actor `a`'s network is back.
    fn uncut(&mut self, a: ActorId) {
        if self.links[a].cut.take().is_none() {
            return;
        }
        match &self.actors[a] {
            Actor::Worker(_) => self.with_worker(a, |w, cx| w.network_up(cx)),
            Actor::KafkaConsumer(_) => {}
            Actor::Producer(p) => {
                let client = p.name().into();
                self.record(SimEvent::NetworkUp { client });
            }
        }
    }

    /// The broker's machine goes down: connections close; an exactly-once
    /// effect whose `done:` key did not survive is undone with it.
    fn crash_broker(&mut self) {
        let now = self.now();
        let Some(redis) = self.broker.redis_mut().filter(|r| r.is_up()) else {
            return;
        };
        let flushed_at = redis.crash(now);
        let appendonly = redis.persistence().appendonly;
        self.forget_connections();
        self.record(SimEvent::BrokerCrashed {
            appendonly,
            flushed_at,
        });
        self.undo_lost_effects();
        for a in 0..self.actors.len() {
            self.activate(a, Actor::on_link_lost);
        }
    }

    fn restart_broker(&mut self) {
        if let Some(keys) = self.broker.redis_mut().and_then(RedisBroker::restart) {
            self.record(SimEvent::BrokerRestarted { keys });
        }
    }

    /// Exactly-once effects live in Redis, committed with their `done:`
    /// key: when the broker loses the key it lost the effect too, and the
    /// ledger says so.
    fn undo_lost_effects(&mut self) {
        let mut undone = Vec::new();
        for w in self.workers() {
            let super::actor::worker::Kind::Stream(c) = w.kind() else {
                continue;
            };
            let service = usize::from(w.service);
            if !c.policy().dedup() || undone.iter().any(|(s, _)| *s == service) {
                continue;
            }
            for msg in self.ledger.processed_msgs(service) {
                let key = c.done_key(&self.catalog.text(msg));
                if self.server().is_none_or(|s| s.db.get(&key).is_none()) {
                    undone.push((service, msg));
                }
            }
        }
        for (service, msg) in undone {
            self.ledger.undo(service, msg);
            self.record(SimEvent::EffectLost {
                service: service as u16,
                msg,
            });
        }
    }

    /// Production has stopped: the broker restarts, networks come back,
    /// slow workers speed up, crashed ones restart, armed losses are
    /// dropped.
    pub(crate) fn heal(&mut self) {
        if self.broker.kafka().is_some() {
            return self.heal_kafka();
        }
        self.restart_broker();
        self.net_faults.clear();
        for a in 0..self.actors.len() {
            self.uncut(a);
            if let Actor::Worker(_) = self.actors[a] {
                self.with_worker(a, |w, cx| {
                    w.restore_speed(cx);
                    w.restart(cx);
                });
            }
        }
    }
}
