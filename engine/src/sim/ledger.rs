//! The ledger: for every service of a lane, what happened to every message
//! the broker took for it — delivered, processed (how many times its effect
//! was applied), dead-lettered, still in flight, or lost.
//!
//! It is part of the world's state (so seeking restores it), and stored in
//! persistent vectors so that a snapshot of the world shares it instead of
//! copying it.

use alloc::vec::Vec;

use rpds::Vector;
use serde::Serialize;

use crate::msg::MsgRef;

/// A service's counts, as `ackscope run` prints them. At any moment
/// `produced = processed_unique + dead_lettered + in_flight + lost`: every
/// message the broker took is exactly one of those.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServiceCounts {
    /// Messages the broker took into what this service reads.
    pub produced: u64,
    /// Deliveries to the service's workers, redeliveries (claims) included.
    pub delivered: u64,
    /// Messages whose effect was applied at least once.
    pub processed_unique: u64,
    /// Effects applied beyond the first, over all messages.
    pub duplicates: u64,
    /// Messages moved to the dead-letter stream, never processed.
    pub dead_lettered: u64,
    /// Messages not processed nor dead-lettered yet: the broker or a worker
    /// holds them (until the end, every such message).
    pub in_flight: u64,
    /// At the end: messages never processed nor dead-lettered that nobody
    /// holds any more (0 until the run ends).
    pub lost: u64,
    /// Polls that found the list empty (polling list workers): round
    /// trips for nothing.
    pub empty_polls: u64,
}

/// What the ledger knows of one message, for one service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MsgState {
    /// The broker took it into what the service reads.
    pub produced: bool,
    /// How many times its effect was applied.
    pub processed: u32,
    /// It was dead-lettered.
    pub dead: bool,
    /// At the end: nobody held it any more.
    pub lost: bool,
}

/// One service's ledger.
#[derive(Clone, Debug, Default)]
struct ServiceLedger {
    counts: ServiceCounts,
    /// Per producer, per message number - 1.
    msgs: Vec<Vector<MsgState>>,
}

impl ServiceLedger {
    fn state(&self, msg: MsgRef) -> MsgState {
        self.msgs
            .get(usize::from(msg.producer))
            .and_then(|v| v.get((msg.seq as usize).wrapping_sub(1)))
            .copied()
            .unwrap_or_default()
    }

    /// Changes `msg`'s state (a message the broker took: the world checks
    /// its number against what the producer sent, so the vectors stay as
    /// long as the run).
    fn update(&mut self, msg: MsgRef, f: impl FnOnce(&mut MsgState)) -> (MsgState, MsgState) {
        let p = usize::from(msg.producer);
        if self.msgs.len() <= p {
            self.msgs.resize_with(p + 1, Vector::new);
        }
        let v = &mut self.msgs[p];
        let i = (msg.seq as usize).saturating_sub(1);
        while v.len() <= i {
            v.push_back_mut(MsgState::default());
        }
        let before = v.get(i).copied().unwrap_or_default();
        let mut after = before;
        f(&mut after);
        v.set_mut(i, after);
        (before, after)
    }

    fn all(&self) -> impl Iterator<Item = (MsgRef, MsgState)> + '_ {
        self.msgs.iter().enumerate().flat_map(|(p, v)| {
            v.iter().enumerate().map(move |(i, s)| {
                let msg = MsgRef {
                    producer: p as u16,
                    seq: i as u32 + 1,
                };
                (msg, *s)
            })
        })
    }
}

/// The ledger of every service of a lane.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    services: Vec<ServiceLedger>,
    finished: bool,
}

impl Ledger {
    /// A ledger for `services` services.
    pub fn new(services: usize) -> Self {
        Ledger {
            services: (0..services).map(|_| ServiceLedger::default()).collect(),
            finished: false,
        }
    }

    /// The counts of service `service`.
    pub fn counts(&self, service: usize) -> ServiceCounts {
        self.services
            .get(service)
            .map(|l| l.counts)
            .unwrap_or_default()
    }

    /// What service `service` knows of `msg`.
    pub fn state(&self, service: usize, msg: MsgRef) -> MsgState {
        self.services
            .get(service)
            .map(|l| l.state(msg))
            .unwrap_or_default()
    }

    /// Every message the broker took for `service`, with its state.
    pub fn messages(&self, service: usize) -> impl Iterator<Item = (MsgRef, MsgState)> + '_ {
        self.services
            .get(service)
            .into_iter()
            .flat_map(|l| l.all().filter(|(_, s)| s.produced))
    }

    /// The messages `service` applied the effect of.
    pub fn processed_msgs(&self, service: usize) -> Vec<MsgRef> {
        self.messages(service)
            .filter(|(_, s)| s.processed > 0)
            .map(|(m, _)| m)
            .collect()
    }

    /// The broker took `msg` into what `service` reads.
    pub fn produced(&mut self, service: usize, msg: MsgRef) {
        let Some(l) = self.services.get_mut(service) else {
            return;
        };
        if !l.state(msg).produced {
            l.update(msg, |s| s.produced = true);
            l.counts.produced += 1;
            l.counts.in_flight += 1;
        }
    }

    /// `msg` is lost for `service` before the end: nobody can ever deliver
    /// it (pub/sub published it while none of the service listened).
    pub fn lost_now(&mut self, service: usize, msg: MsgRef) {
        let Some(l) = self.services.get_mut(service) else {
            return;
        };
        let st = l.state(msg);
        if st.produced && !st.lost && st.processed == 0 && !st.dead {
            l.update(msg, |s| s.lost = true);
            l.counts.lost += 1;
            l.counts.in_flight -= 1;
        }
    }

    /// One delivery to a worker of `service`.
    pub fn delivered(&mut self, service: usize) {
        if let Some(l) = self.services.get_mut(service) {
            l.counts.delivered += 1;
        }
    }

    /// A worker of `service` polled an empty list.
    pub fn polled_empty(&mut self, service: usize) {
        if let Some(l) = self.services.get_mut(service) {
            l.counts.empty_polls += 1;
        }
    }

    /// `msg`'s effect was applied once more by `service`. A message the
    /// broker never took for it (one typed at the console) is not counted.
    pub fn processed(&mut self, service: usize, msg: MsgRef) {
        let Some(l) = self.services.get_mut(service) else {
            return;
        };
        if !l.state(msg).produced {
            return;
        }
        let (before, _) = l.update(msg, |s| s.processed = s.processed.saturating_add(1));
        if before.processed > 0 {
            l.counts.duplicates += 1;
            return;
        }
        l.counts.processed_unique += 1;
        if before.dead {
            l.counts.dead_lettered -= 1;
        } else if before.lost {
            l.counts.lost -= 1;
        } else {
            l.counts.in_flight -= 1;
        }
    }

    /// One application of `msg`'s effect by `service` was undone (the
    /// broker lost it).
    pub fn undo(&mut self, service: usize, msg: MsgRef) {
        let Some(l) = self.services.get_mut(service) else {
            return;
        };
        let (before, after) = l.update(msg, |s| s.processed = s.processed.saturating_sub(1));
        match (before.processed, after.processed) {
            (1, 0) if before.dead => {
                l.counts.processed_unique -= 1;
                l.counts.dead_lettered += 1;
            }
            (1, 0) => {
                l.counts.processed_unique -= 1;
                l.counts.in_flight += 1;
            }
            (b, _) if b > 1 => l.counts.duplicates -= 1,
            _ => {}
        }
    }

    /// `msg` was dead-lettered by `service`.
    pub fn dead_lettered(&mut self, service: usize, msg: MsgRef) {
        let Some(l) = self.services.get_mut(service) else {
            return;
        };
        let before = l.state(msg);
        if !before.produced || before.dead {
            return;
        }
        l.update(msg, |s| s.dead = true);
        if before.processed == 0 {
            l.counts.dead_lettered += 1;
            l.counts.in_flight -= 1;
        }
    }

    /// Ends the run: every produced message neither processed nor
    /// dead-lettered is in flight if `held(service, msg)` (the broker or a
    /// worker still has it), lost otherwise. Returns them, service by
    /// service, in order, with `true` for in flight.
    pub fn finish(&mut self, held: impl Fn(usize, MsgRef) -> bool) -> Vec<(usize, MsgRef, bool)> {
        let mut out = Vec::new();
        if self.finished {
            return out;
        }
        self.finished = true;
        for (s, l) in self.services.iter_mut().enumerate() {
            let open: Vec<MsgRef> = l
                .all()
                .filter(|(_, st)| st.produced && st.processed == 0 && !st.dead && !st.lost)
                .map(|(m, _)| m)
                .collect();
            for msg in open {
                let in_flight = held(s, msg);
                if !in_flight {
                    l.update(msg, |st| st.lost = true);
                    l.counts.lost += 1;
                    l.counts.in_flight -= 1;
                }
                out.push((s, msg, in_flight));
            }
        }
        out
    }

    /// Whether [`Ledger::finish`] ran.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// How many services it counts for.
    pub fn services(&self) -> usize {
        self.services.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M1: MsgRef = MsgRef {
        producer: 0,
        seq: 1,
    };
    const M2: MsgRef = MsgRef {
        producer: 0,
        seq: 2,
    };

    const M3: MsgRef = MsgRef {
        producer: 0,
        seq: 3,
    };

    fn conserved(c: ServiceCounts) -> bool {
        c.produced == c.processed_unique + c.dead_lettered + c.in_flight + c.lost
    }

    #[test]
    fn counts_duplicates_losses_and_what_is_in_flight() {
        let mut l = Ledger::new(1);
        l.produced(0, M1);
        l.produced(0, M2);
        l.produced(0, M3);
        l.produced(0, M1);
        l.processed(0, M1);
        l.processed(0, M1);
        let c = l.counts(0);
        assert_eq!(
            (c.produced, c.processed_unique, c.duplicates, c.in_flight),
            (3, 1, 1, 2)
        );
        let snapshot = l.clone();
        let sorted = l.finish(|_, m| m == M3);
        assert_eq!(sorted, alloc::vec![(0, M2, false), (0, M3, true)]);
        let c = l.counts(0);
        assert_eq!((c.lost, c.in_flight), (1, 1));
        assert!(conserved(c));
        assert_eq!(snapshot.counts(0).lost, 0);
    }

    #[test]
    fn dead_letters_are_not_lost_and_undone_effects_are_in_flight() {
        let mut l = Ledger::new(1);
        l.produced(0, M1);
        l.dead_lettered(0, M1);
        l.produced(0, M2);
        l.processed(0, M2);
        l.undo(0, M2);
        assert!(conserved(l.counts(0)));
        assert_eq!(l.finish(|_, _| true), alloc::vec![(0, M2, true)]);
        let c = l.counts(0);
        assert_eq!(
            (c.dead_lettered, c.processed_unique, c.in_flight),
            (1, 0, 1)
        );
        l.processed(
            0,
            MsgRef {
                producer: 3,
                seq: 9,
            },
        );
        assert!(
            conserved(l.counts(0)),
            "a message never produced is not counted"
        );
    }
}
