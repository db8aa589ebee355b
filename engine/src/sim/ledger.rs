//! The ledger: for every service of a lane, what happened to every message
//! the broker took for it — delivered, processed (how many times its effect
//! was applied), dead-lettered, still in flight, or lost.
//!
//! It is part of the world's state (so seeking restores it), and stored in
//! persistent vectors so that a snapshot of the world shares it instead of
//! copying it.
//!
//! The vectors hold chunks of `CHUNK` (32) states, not one state each. An
//! `rpds` vector keeps every element behind its own `Rc`: one 8-byte
//! [`MsgState`] a message took an allocation of 24 bytes (32 as glibc
//! gives it; 16 in wasm32, 24 with dlmalloc's header) and the leaf's
//! pointer to it, 40 bytes a message natively and 28 in wasm32. A chunk
//! pays the `Rc`, its overhead and the pointer once for its 32 messages,
//! whose states it keeps in 5 bytes each: 200 bytes a chunk natively, 6.3
//! bytes a message (180 and 5.6 in wasm32). Measured with massif on the
//! 100,000-message run (`benches/seek.rs`), the ledger's bytes in use at
//! the peak went from 3.9 to 1.0 MB (of which about 0.4 MB are the older
//! chunks and tree nodes that the 587 snapshots keep), and the peak heap,
//! the allocator's overhead included, from 48.3 to 43.1 MB; the
//! 1,000,000-message run's peak resident memory from 426 to 390 MB.

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

/// The messages a chunk keeps the states of.
///
/// Larger chunks cost less a message, but a snapshot keeps the old copy of
/// every chunk the world changes after it (a chunk is copied when first
/// changed after a snapshot: one a snapshot in the 100,000-message run,
/// whose workers keep up). Peak heap of that run (massif, exact peak) and
/// the ledger's part of it in use, by chunk size, against 48.33 / 3.89 MB
/// with a state an element: 8: 43.68 / 1.24 MB; 16: 43.26 / 1.06; 32:
/// 43.12 / 0.98; 64: 43.13 / 0.99; 128: 43.26 / 1.16; 256: 43.57 / 1.47.
/// 32 and 64 tie there; 32 copies half as much for each chunk a snapshot
/// makes the world copy, which is what grows when the changes are spread
/// out (a backlog, redeliveries of old messages).
const CHUNK: usize = 32;

/// [`MsgState::produced`] in [`Chunk::flags`].
const PRODUCED: u8 = 1;
/// [`MsgState::dead`] in [`Chunk::flags`].
const DEAD: u8 = 2;
/// [`MsgState::lost`] in [`Chunk::flags`].
const LOST: u8 = 4;

/// The states of [`CHUNK`] consecutive messages of one producer: 160 bytes.
/// A state is kept in 5 bytes, not as the 8-byte [`MsgState`] (its count
/// and three flags, padded). Packing it into one `u32` would save another
/// byte a message (1 MB of the 1,000,000-message run's 390), but only by
/// taking three bits from the count, which would then stop at 2^29 - 1
/// rather than `u32::MAX`; kept apart, every state reads back exactly as
/// it was set.
#[derive(Clone, Debug)]
struct Chunk {
    /// [`MsgState::processed`], whole: it saturates at `u32::MAX` as it
    /// always did.
    processed: [u32; CHUNK],
    /// [`PRODUCED`], [`DEAD`] and [`LOST`].
    flags: [u8; CHUNK],
}

impl Chunk {
    /// Messages nothing happened to yet.
    const EMPTY: Chunk = Chunk {
        processed: [0; CHUNK],
        flags: [0; CHUNK],
    };

    fn get(&self, i: usize) -> MsgState {
        let flags = self.flags[i];
        MsgState {
            produced: flags & PRODUCED != 0,
            processed: self.processed[i],
            dead: flags & DEAD != 0,
            lost: flags & LOST != 0,
        }
    }

    fn set(&mut self, i: usize, s: MsgState) {
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        self.processed[i] = s.processed;
        self.flags[i] = flag(s.produced, PRODUCED) | flag(s.dead, DEAD) | flag(s.lost, LOST);
    }
}

/// One service's ledger.
#[derive(Clone, Debug, Default)]
struct ServiceLedger {
    counts: ServiceCounts,
    /// Per producer, the chunks: message number `n` is at `(n - 1) % CHUNK`
    /// of chunk `(n - 1) / CHUNK`.
    msgs: Vec<Vector<Chunk>>,
}

impl ServiceLedger {
    fn state(&self, msg: MsgRef) -> MsgState {
        // Message number 0 is none: its state is the default.
        let Some(i) = (msg.seq as usize).checked_sub(1) else {
            return MsgState::default();
        };
        self.msgs
            .get(usize::from(msg.producer))
            .and_then(|v| v.get(i / CHUNK))
            .map(|c| c.get(i % CHUNK))
            .unwrap_or_default()
    }

    /// Changes `msg`'s state (a message the broker took: the world checks
    /// its number against what the producer sent, so the vectors stay as
    /// long as the run). The chunk is changed in place, or copied first if
    /// a snapshot still shares it (`Vector::get_mut`; `set_mut` would make
    /// a new one every time).
    fn update(&mut self, msg: MsgRef, f: impl FnOnce(&mut MsgState)) -> (MsgState, MsgState) {
        let p = usize::from(msg.producer);
        if self.msgs.len() <= p {
            self.msgs.resize_with(p + 1, Vector::new);
        }
        let v = &mut self.msgs[p];
        // Message number 0 changes the first message, as it always did
        // (the world never asks).
        let i = (msg.seq as usize).saturating_sub(1);
        while v.len() <= i / CHUNK {
            v.push_back_mut(Chunk::EMPTY);
        }
        let chunk = v.get_mut(i / CHUNK).expect("the chunk was made above");
        let before = chunk.get(i % CHUNK);
        let mut after = before;
        f(&mut after);
        chunk.set(i % CHUNK, after);
        (before, after)
    }

    /// Every message the broker took, with its state, in order (by
    /// producer, then number).
    fn taken(&self) -> impl Iterator<Item = (MsgRef, MsgState)> + '_ {
        self.msgs.iter().enumerate().flat_map(|(p, v)| {
            v.iter().enumerate().flat_map(move |(c, chunk)| {
                (0..CHUNK)
                    .filter(|&i| chunk.flags[i] & PRODUCED != 0)
                    .map(move |i| {
                        let msg = MsgRef {
                            producer: p as u16,
                            seq: (c * CHUNK + i) as u32 + 1,
                        };
                        (msg, chunk.get(i))
                    })
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
            .flat_map(ServiceLedger::taken)
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
                .taken()
                .filter(|(_, st)| st.processed == 0 && !st.dead && !st.lost)
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

    fn msg(producer: u16, seq: u32) -> MsgRef {
        MsgRef { producer, seq }
    }

    fn state(produced: bool, processed: u32, dead: bool, lost: bool) -> MsgState {
        MsgState {
            produced,
            processed,
            dead,
            lost,
        }
    }

    /// The numbers on either side of the first chunks' edges, and far
    /// ones.
    const EDGES: [u32; 8] = [
        1,
        CHUNK as u32 - 1,
        CHUNK as u32,
        CHUNK as u32 + 1,
        2 * CHUNK as u32,
        2 * CHUNK as u32 + 1,
        10 * CHUNK as u32 + 7,
        100_000,
    ];

    #[test]
    fn states_are_kept_across_chunk_edges() {
        let mut l = Ledger::new(2);
        for &n in EDGES.iter().rev() {
            l.produced(0, msg(0, n));
        }
        // A state of each kind, one number after another.
        l.processed(0, msg(0, 1));
        l.processed(0, msg(0, CHUNK as u32));
        l.processed(0, msg(0, CHUNK as u32));
        l.dead_lettered(0, msg(0, CHUNK as u32 + 1));
        l.lost_now(0, msg(0, 2 * CHUNK as u32));
        l.processed(0, msg(0, 100_000));
        l.processed(0, msg(0, 100_000));
        l.processed(0, msg(0, 100_000));
        l.undo(0, msg(0, 100_000));

        let expected = [
            (1, state(true, 1, false, false)),
            (CHUNK as u32 - 1, state(true, 0, false, false)),
            (CHUNK as u32, state(true, 2, false, false)),
            (CHUNK as u32 + 1, state(true, 0, true, false)),
            (2 * CHUNK as u32, state(true, 0, false, true)),
            (2 * CHUNK as u32 + 1, state(true, 0, false, false)),
            (10 * CHUNK as u32 + 7, state(true, 0, false, false)),
            (100_000, state(true, 2, false, false)),
        ];
        for (n, st) in expected {
            assert_eq!(l.state(0, msg(0, n)), st, "message {n}");
            assert_eq!(
                l.state(1, msg(0, n)),
                MsgState::default(),
                "other service, {n}"
            );
        }
        // Their neighbours, in the same chunks and in the padding after
        // the last, were never taken; nor was number 0.
        for n in [
            0,
            2,
            CHUNK as u32 - 2,
            2 * CHUNK as u32 + 2,
            99_999,
            100_001,
        ] {
            assert_eq!(l.state(0, msg(0, n)), MsgState::default(), "message {n}");
        }
        let listed: Vec<(MsgRef, MsgState)> = l.messages(0).collect();
        let wanted: Vec<(MsgRef, MsgState)> =
            expected.iter().map(|&(n, st)| (msg(0, n), st)).collect();
        assert_eq!(listed, wanted);
        assert_eq!(
            l.processed_msgs(0),
            alloc::vec![msg(0, 1), msg(0, CHUNK as u32), msg(0, 100_000)]
        );
        assert_eq!(l.messages(1).count(), 0);
        let c = l.counts(0);
        assert_eq!(
            (
                c.produced,
                c.processed_unique,
                c.duplicates,
                c.dead_lettered,
                c.lost,
                c.in_flight
            ),
            (8, 3, 2, 1, 1, 3)
        );
        assert!(conserved(c));

        let open = l.finish(|_, m| m.seq == CHUNK as u32 - 1);
        assert_eq!(
            open,
            alloc::vec![
                (0, msg(0, CHUNK as u32 - 1), true),
                (0, msg(0, 2 * CHUNK as u32 + 1), false),
                (0, msg(0, 10 * CHUNK as u32 + 7), false),
            ]
        );
        assert!(l.state(0, msg(0, 2 * CHUNK as u32 + 1)).lost);
        assert!(!l.state(0, msg(0, CHUNK as u32 - 1)).lost);
        let c = l.counts(0);
        assert_eq!((c.lost, c.in_flight), (3, 1));
        assert!(conserved(c));
    }

    #[test]
    fn a_snapshot_keeps_the_states_it_saw() {
        let mut l = Ledger::new(1);
        for n in 1..=CHUNK as u32 + 3 {
            l.produced(0, msg(0, n));
        }
        l.processed(0, msg(0, 2));
        let snapshot = l.clone();
        let seen: Vec<(MsgRef, MsgState)> = snapshot.messages(0).collect();
        let counts = snapshot.counts(0);

        // Changes in the chunk the snapshot shares, in the next one, and
        // past the end.
        l.processed(0, msg(0, 2));
        l.processed(0, msg(0, 3));
        l.dead_lettered(0, msg(0, CHUNK as u32 + 1));
        l.produced(0, msg(0, 5 * CHUNK as u32));
        l.undo(0, msg(0, 2));
        l.undo(0, msg(0, 2));
        assert_eq!(l.state(0, msg(0, 3)).processed, 1);
        assert_eq!(l.state(0, msg(0, 2)).processed, 0);
        assert!(l.state(0, msg(0, CHUNK as u32 + 1)).dead);
        assert!(l.state(0, msg(0, 5 * CHUNK as u32)).produced);

        assert_eq!(snapshot.state(0, msg(0, 2)), state(true, 1, false, false));
        assert_eq!(snapshot.state(0, msg(0, 3)), state(true, 0, false, false));
        assert!(!snapshot.state(0, msg(0, CHUNK as u32 + 1)).dead);
        assert!(!snapshot.state(0, msg(0, 5 * CHUNK as u32)).produced);
        assert_eq!(snapshot.messages(0).collect::<Vec<_>>(), seen);
        assert_eq!(snapshot.counts(0), counts);

        // And the other way: what is done from the snapshot (seeking back
        // and running on) leaves the world's ledger as it was.
        let now: Vec<(MsgRef, MsgState)> = l.messages(0).collect();
        let mut back = snapshot.clone();
        back.processed(0, msg(0, 1));
        back.finish(|_, _| false);
        assert_eq!(l.messages(0).collect::<Vec<_>>(), now);
        assert_eq!(snapshot.messages(0).collect::<Vec<_>>(), seen);
        assert_eq!(back.state(0, msg(0, 1)).processed, 1);
        assert!(back.state(0, msg(0, 3)).lost);
        assert!(!l.state(0, msg(0, 3)).lost);
    }

    #[test]
    fn producers_are_kept_apart() {
        let mut l = Ledger::new(1);
        let edge = CHUNK as u32;
        for p in [2, 0] {
            for n in [edge + 1, 1, edge] {
                l.produced(0, msg(p, n));
            }
        }
        l.processed(0, msg(2, edge));
        l.processed(0, msg(0, edge + 1));
        l.dead_lettered(0, msg(2, 1));
        assert_eq!(l.state(0, msg(0, edge)).processed, 0);
        assert_eq!(l.state(0, msg(2, edge)).processed, 1);
        assert!(!l.state(0, msg(0, 1)).dead);
        assert!(l.state(0, msg(2, 1)).dead);
        assert_eq!(l.state(0, msg(1, 1)), MsgState::default());
        let order: Vec<MsgRef> = l.messages(0).map(|(m, _)| m).collect();
        assert_eq!(
            order,
            alloc::vec![
                msg(0, 1),
                msg(0, edge),
                msg(0, edge + 1),
                msg(2, 1),
                msg(2, edge),
                msg(2, edge + 1),
            ]
        );
        assert_eq!(
            l.processed_msgs(0),
            alloc::vec![msg(0, edge + 1), msg(2, edge)]
        );
        let c = l.counts(0);
        assert_eq!(
            (c.produced, c.processed_unique, c.dead_lettered, c.in_flight),
            (6, 2, 1, 3)
        );
    }

    #[test]
    fn a_state_is_kept_whole() {
        let mut chunk = Chunk::EMPTY;
        for i in [0, 1, CHUNK - 1] {
            for bits in 0..8u8 {
                for processed in [0, 1, 2, 1 << 29, u32::MAX - 1, u32::MAX] {
                    let st = state(bits & 1 != 0, processed, bits & 2 != 0, bits & 4 != 0);
                    chunk.set(i, st);
                    assert_eq!(chunk.get(i), st);
                }
            }
            chunk.set(i, MsgState::default());
        }
        assert!(chunk.processed.iter().all(|&p| p == 0));
        assert!(chunk.flags.iter().all(|&f| f == 0));

        // Effects applied past u32::MAX stay at u32::MAX, duplicates all.
        let mut l = Ledger::new(1);
        let m = msg(0, CHUNK as u32 + 1);
        l.produced(0, m);
        l.services[0].update(m, |s| s.processed = u32::MAX - 1);
        l.processed(0, m);
        l.processed(0, m);
        assert_eq!(l.state(0, m), state(true, u32::MAX, false, false));
        assert_eq!(l.counts(0).duplicates, 2);
    }

    proptest::proptest! {
        /// The chunks keep what a map from message to state keeps, in the
        /// ledger and in every snapshot taken on the way.
        #[test]
        fn the_chunks_keep_what_a_map_of_states_keeps(
            changes in proptest::collection::vec(
                (
                    0u16..3,
                    proptest::prop_oneof![1u32..=3 * CHUNK as u32 + 2, 1u32..=5_000],
                    proptest::bool::ANY,
                    proptest::prop_oneof![0u32..3, proptest::num::u32::ANY],
                    proptest::bool::ANY,
                    proptest::bool::ANY,
                    proptest::bool::ANY,
                ),
                0..200,
            )
        ) {
            use alloc::collections::BTreeMap;
            let mut ledger = ServiceLedger::default();
            let mut map: BTreeMap<MsgRef, MsgState> = BTreeMap::new();
            let mut snapshots = Vec::new();
            for (p, n, produced, processed, dead, lost, snapshot) in changes {
                if snapshot {
                    snapshots.push((ledger.clone(), map.clone()));
                }
                let st = state(produced, processed, dead, lost);
                let was = map.get(&msg(p, n)).copied().unwrap_or_default();
                let (before, after) = ledger.update(msg(p, n), |s| *s = st);
                proptest::prop_assert_eq!((before, after), (was, st));
                map.insert(msg(p, n), st);
            }
            snapshots.push((ledger, map));
            for (ledger, map) in &snapshots {
                for (&m, &st) in map {
                    for seq in [m.seq - 1, m.seq, m.seq + 1] {
                        let m = msg(m.producer, seq);
                        let wanted = map.get(&m).copied().unwrap_or_default();
                        proptest::prop_assert_eq!(ledger.state(m), wanted);
                    }
                    proptest::prop_assert_eq!(ledger.state(m), st);
                }
                let taken: Vec<(MsgRef, MsgState)> = ledger.taken().collect();
                let wanted: Vec<(MsgRef, MsgState)> = map
                    .iter()
                    .filter(|(_, s)| s.produced)
                    .map(|(&m, &s)| (m, s))
                    .collect();
                proptest::prop_assert_eq!(taken, wanted);
            }
        }
    }
}
