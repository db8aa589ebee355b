//! The ledger: for every lane, what happened to every message produced for
//! it — delivered, processed (how many times its effect was applied),
//! dead-lettered, or lost.
//!
//! It is part of the world's state (so seeking restores it), and stored in
//! persistent vectors so that a snapshot of the world shares it instead of
//! copying it.

use alloc::vec::Vec;

use rpds::Vector;
use serde::Serialize;

use super::trace::MsgRef;

/// A lane's counts, as `ackscope run` prints them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LaneCounts {
    /// Messages accepted by the broker into what this lane reads.
    pub produced: u64,
    /// Deliveries to the lane's workers, redeliveries (claims) included.
    pub delivered: u64,
    /// Messages whose effect was applied at least once.
    pub processed_unique: u64,
    /// Effects applied beyond the first, over all messages.
    pub duplicates: u64,
    /// Messages produced but never processed nor dead-lettered by the end
    /// of the drain (0 until the run ends).
    pub lost: u64,
    /// Messages moved to the dead-letter stream.
    pub dead_lettered: u64,
}

/// What the ledger knows of one message, for one lane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MsgState {
    /// It reached what the lane reads.
    pub produced: bool,
    /// How many times its effect was applied.
    pub processed: u32,
    /// It was dead-lettered.
    pub dead: bool,
}

/// One lane's ledger.
#[derive(Clone, Debug, Default)]
struct LaneLedger {
    counts: LaneCounts,
    /// Per producer, per message number - 1.
    msgs: Vec<Vector<MsgState>>,
}

impl LaneLedger {
    fn state(&self, msg: MsgRef) -> MsgState {
        self.msgs
            .get(usize::from(msg.producer))
            .and_then(|v| v.get(msg.seq as usize - 1))
            .copied()
            .unwrap_or_default()
    }

    fn update(&mut self, msg: MsgRef, f: impl FnOnce(&mut MsgState)) -> MsgState {
        let p = usize::from(msg.producer);
        if self.msgs.len() <= p {
            self.msgs.resize_with(p + 1, Vector::new);
        }
        let v = &mut self.msgs[p];
        let i = msg.seq as usize - 1;
        while v.len() <= i {
            v.push_back_mut(MsgState::default());
        }
        let mut state = v.get(i).copied().unwrap_or_default();
        f(&mut state);
        v.set_mut(i, state);
        state
    }
}

/// The ledger of every lane.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    lanes: Vec<LaneLedger>,
    finished: bool,
}

impl Ledger {
    /// A ledger for `lanes` lanes.
    pub fn new(lanes: usize) -> Self {
        Ledger {
            lanes: (0..lanes).map(|_| LaneLedger::default()).collect(),
            finished: false,
        }
    }

    /// The counts of lane `lane`.
    pub fn counts(&self, lane: usize) -> LaneCounts {
        self.lanes.get(lane).map(|l| l.counts).unwrap_or_default()
    }

    /// What lane `lane` knows of `msg`.
    pub fn state(&self, lane: usize, msg: MsgRef) -> MsgState {
        self.lanes
            .get(lane)
            .map(|l| l.state(msg))
            .unwrap_or_default()
    }

    /// `msg` reached what lane `lane` reads.
    pub fn produced(&mut self, lane: usize, msg: MsgRef) {
        let Some(l) = self.lanes.get_mut(lane) else {
            return;
        };
        let before = l.state(msg);
        if !before.produced {
            l.update(msg, |s| s.produced = true);
            l.counts.produced += 1;
        }
    }

    /// One delivery to a worker of lane `lane`.
    pub fn delivered(&mut self, lane: usize) {
        if let Some(l) = self.lanes.get_mut(lane) {
            l.counts.delivered += 1;
        }
    }

    /// Whether lane `lane` already applied `msg`'s effect (what an
    /// exactly-once consumer checks in its idempotency store).
    pub fn already_processed(&self, lane: usize, msg: MsgRef) -> bool {
        self.state(lane, msg).processed > 0
    }

    /// `msg`'s effect was applied once more by lane `lane`.
    pub fn processed(&mut self, lane: usize, msg: MsgRef) {
        let Some(l) = self.lanes.get_mut(lane) else {
            return;
        };
        let after = l.update(msg, |s| s.processed = s.processed.saturating_add(1));
        if after.processed == 1 {
            l.counts.processed_unique += 1;
        } else {
            l.counts.duplicates += 1;
        }
    }

    /// `msg` was dead-lettered by lane `lane`.
    pub fn dead_lettered(&mut self, lane: usize, msg: MsgRef) {
        let Some(l) = self.lanes.get_mut(lane) else {
            return;
        };
        if !l.state(msg).dead {
            l.update(msg, |s| s.dead = true);
            l.counts.dead_lettered += 1;
        }
    }

    /// Ends the run: every produced message never processed nor
    /// dead-lettered is lost. Returns them, lane by lane, in order.
    pub fn finish(&mut self) -> Vec<(u16, MsgRef)> {
        let mut lost = Vec::new();
        if self.finished {
            return lost;
        }
        self.finished = true;
        for (lane, l) in self.lanes.iter_mut().enumerate() {
            for (producer, msgs) in l.msgs.iter().enumerate() {
                for (i, s) in msgs.iter().enumerate() {
                    if s.produced && s.processed == 0 && !s.dead {
                        lost.push((
                            lane as u16,
                            MsgRef {
                                producer: producer as u16,
                                seq: i as u32 + 1,
                            },
                        ));
                    }
                }
            }
            l.counts.lost = lost.iter().filter(|(n, _)| usize::from(*n) == lane).count() as u64;
        }
        lost
    }

    /// Whether [`Ledger::finish`] ran.
    pub fn is_finished(&self) -> bool {
        self.finished
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

    #[test]
    fn counts_duplicates_and_losses() {
        let mut l = Ledger::new(1);
        l.produced(0, M1);
        l.produced(0, M2);
        l.produced(0, M1);
        l.processed(0, M1);
        l.processed(0, M1);
        assert_eq!(l.counts(0).produced, 2);
        assert_eq!(l.counts(0).processed_unique, 1);
        assert_eq!(l.counts(0).duplicates, 1);
        let snapshot = l.clone();
        assert_eq!(l.finish(), alloc::vec![(0, M2)]);
        assert_eq!(l.counts(0).lost, 1);
        assert_eq!(snapshot.counts(0).lost, 0);
    }

    #[test]
    fn dead_letters_are_not_lost() {
        let mut l = Ledger::new(1);
        l.produced(0, M1);
        l.dead_lettered(0, M1);
        assert!(l.finish().is_empty());
        assert_eq!(l.counts(0).dead_lettered, 1);
    }
}
