//! Fates: what became of every message a lane's broker took, at the
//! current moment, read from the lane's ledger — and each lane's tally, the
//! ledger's counts beside its name and guarantee. The Guarantees lab draws
//! one cell per message per lane from these, and its counters from the
//! tally, so it never counts anything itself.

use alloc::string::String;
use alloc::vec::Vec;

use crate::msg::MsgRef;
use crate::sim::ledger::MsgState;
use crate::sim::{EventRef, Events, ServiceCounts, TraceEvent, World};

/// What became of one message, for one service, so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// The broker or a worker holds it: not processed yet. At the end, a
    /// message still held stays in flight.
    InFlight,
    /// Its effect was applied exactly once.
    Once,
    /// Its effect was applied this many times (two or more).
    Times(u32),
    /// Nobody held it any more when the run ended: never processed. (The
    /// ledger decides this at the end, or as soon as it can never arrive,
    /// as for pub/sub.)
    Lost,
    /// Moved to the dead-letter stream without being processed.
    DeadLettered,
}

impl Fate {
    /// The ledger's state of a message, as a fate.
    pub fn of(state: MsgState) -> Fate {
        match state.processed {
            0 if state.dead => Fate::DeadLettered,
            0 if state.lost => Fate::Lost,
            0 => Fate::InFlight,
            1 => Fate::Once,
            n => Fate::Times(n),
        }
    }

    /// A stable, untranslated name (`data-fate`): `in-flight`, `once`,
    /// `times`, `lost`, `dead-lettered`.
    pub const fn slug(self) -> &'static str {
        match self {
            Fate::InFlight => "in-flight",
            Fate::Once => "once",
            Fate::Times(_) => "times",
            Fate::Lost => "lost",
            Fate::DeadLettered => "dead-lettered",
        }
    }

    /// How many times its effect was applied.
    pub const fn processed(self) -> u32 {
        match self {
            Fate::Once => 1,
            Fate::Times(n) => n,
            _ => 0,
        }
    }
}

/// One message's fate in one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageFate {
    /// The message.
    pub msg: MsgRef,
    /// Its name (`order-7`).
    pub name: String,
    /// What became of it so far.
    pub fate: Fate,
}

/// One service of a lane: its ledger counts and every message's fate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceFates {
    /// The service's name.
    pub service: String,
    /// The guarantee it gives in this lane (`at-most-once`…).
    pub guarantee: &'static str,
    /// The ledger's counts now.
    pub counts: ServiceCounts,
    /// Every message the broker took for it, by producer then number.
    pub fates: Vec<MessageFate>,
}

/// One lane at the current moment, as the Guarantees lab draws it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneTally {
    /// The lane's index.
    pub lane: u16,
    /// The lane's name.
    pub name: String,
    /// Its services, in the scenario's order.
    pub services: Vec<ServiceFates>,
}

impl World {
    /// This lane's services with their counts and their messages' fates
    /// now.
    pub fn tally(&self) -> LaneTally {
        let scenario = self.scenario();
        let lane = usize::from(self.lane());
        let ledger = self.ledger();
        let services = scenario
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| ServiceFates {
                service: s.name.clone(),
                guarantee: scenario.policy(lane, i).guarantee.as_str(),
                counts: ledger.counts(i),
                fates: ledger
                    .messages(i)
                    .map(|(msg, state)| MessageFate {
                        msg,
                        name: self.msg_name(msg),
                        fate: Fate::of(state),
                    })
                    .collect(),
            })
            .collect();
        LaneTally {
            lane: self.lane(),
            name: scenario.lane_name(lane).into(),
            services,
        }
    }

    /// The story of message `msg` in this lane only: [`World::message_story`]
    /// told from this lane's events alone (another lane's broker may have
    /// given the same entry ID to another message).
    pub fn lane_story(&self, events: Events<'_>, msg: MsgRef) -> Vec<TraceEvent> {
        let lane = self.lane();
        let mine: Vec<TraceEvent> = events
            .iter()
            .filter(|e| e.lane == lane)
            .map(EventRef::to_owned)
            .collect();
        self.message_story(Events::of(&mine), msg)
            .into_iter()
            .map(EventRef::to_owned)
            .collect()
    }
}
