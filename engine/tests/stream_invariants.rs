//! Consumer-group invariants under random command sequences.
//!
//! Random runs of XADD, XREADGROUP (new entries, history, NOACK, BLOCK),
//! XACK, XCLAIM, XAUTOCLAIM, XDEL, XGROUP SETID, XGROUP DELCONSUMER and
//! clock advances, by several consumers each on its own connection, against
//! one stream and one group. After every step:
//!
//! - each pending entry belongs to exactly one existing consumer, and the
//!   group's PEL is the union of its consumers' (`check_invariants`);
//! - `last-delivered-id` never moves back, except by XGROUP SETID;
//! - XACK never removes stream entries;
//! - a pending entry's delivery count never decreases while it stays
//!   pending, except where Redis 7.0 sets it outright: XCLAIM's RETRYCOUNT,
//!   and XREADGROUP `>` delivering an entry that is still pending (possible
//!   after SETID moved the cursor back), which hands it to the reader with a
//!   count of 1 (`streamReplyWithRange`). The same holds for blocked
//!   XREADGROUPs served by an XADD, which deliver like `>`, and for a clock
//!   advance: when it times a blocked read out, the commands its connection
//!   sent meanwhile run, and one of them may be a `>` read.
//!
//! Operations pick IDs through selectors resolved against the state at the
//! time they run, so shrinking keeps them meaningful.

use std::collections::BTreeMap;

use ackscope_engine::SimDuration;
use ackscope_engine::redis::db::group::ConsumerGroup;
use ackscope_engine::redis::db::stream::Stream;
use ackscope_engine::redis::db::stream_id::StreamId;
use ackscope_engine::redis::parse::Arg;
use ackscope_engine::redis::{ClientId, Server};
use proptest::prelude::*;

const KEY: &str = "s";
const GROUP: &str = "g";
const CONSUMERS: usize = 4;

/// One random step. `usize` fields are selectors, resolved modulo what
/// exists when the step runs.
#[derive(Clone, Debug)]
enum Op {
    Add,
    ReadNew {
        consumer: usize,
        count: u8,
        noack: bool,
        block: bool,
    },
    ReadHistory {
        consumer: usize,
        from: usize,
        count: u8,
    },
    Ack(Vec<usize>),
    Claim {
        consumer: usize,
        min_idle_ms: u16,
        ids: Vec<usize>,
        retry_count: Option<u8>,
        justid: bool,
        force: bool,
    },
    AutoClaim {
        consumer: usize,
        min_idle_ms: u16,
        from: usize,
        count: u8,
        justid: bool,
    },
    Del(Vec<usize>),
    SetId {
        to: usize,
        entries_read: Option<u8>,
    },
    DelConsumer(usize),
    Advance(u16),
}

impl Op {
    /// Whether this step may move `last-delivered-id` back.
    fn may_rewind(&self) -> bool {
        matches!(self, Op::SetId { .. })
    }

    /// Whether this step may set a delivery count outright (see the
    /// module documentation).
    fn may_reset_counts(&self) -> bool {
        match self {
            Op::Claim { retry_count, .. } => retry_count.is_some(),
            // Serving a blocked reader delivers like `>`; so may a read
            // its connection queued, run once an advance times it out.
            Op::ReadNew { .. } | Op::Add | Op::Advance(_) => true,
            _ => false,
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    let consumer = 0..CONSUMERS;
    let ids = prop::collection::vec(any::<usize>(), 1..4);
    prop_oneof![
        3 => Just(Op::Add),
        3 => (consumer.clone(), 0u8..4, any::<bool>(), prop::bool::weighted(0.2)).prop_map(
            |(consumer, count, noack, block)| Op::ReadNew { consumer, count, noack, block }
        ),
        1 => (consumer.clone(), any::<usize>(), 0u8..4)
            .prop_map(|(consumer, from, count)| Op::ReadHistory { consumer, from, count }),
        2 => ids.clone().prop_map(Op::Ack),
        2 => (
            consumer.clone(),
            prop_oneof![Just(0u16), 0u16..3000],
            ids.clone(),
            prop::option::weighted(0.2, 0u8..5),
            any::<bool>(),
            prop::bool::weighted(0.2),
        )
            .prop_map(|(consumer, min_idle_ms, ids, retry_count, justid, force)| Op::Claim {
                consumer,
                min_idle_ms,
                ids,
                retry_count,
                justid,
                force,
            }),
        2 => (consumer.clone(), 0u16..3000, any::<usize>(), 1u8..4, any::<bool>()).prop_map(
            |(consumer, min_idle_ms, from, count, justid)| Op::AutoClaim {
                consumer,
                min_idle_ms,
                from,
                count,
                justid,
            }
        ),
        1 => ids.prop_map(Op::Del),
        1 => (any::<usize>(), prop::option::weighted(0.3, 0u8..8))
            .prop_map(|(to, entries_read)| Op::SetId { to, entries_read }),
        1 => consumer.prop_map(Op::DelConsumer),
        2 => (0u16..2500).prop_map(Op::Advance),
    ]
}

/// The world the steps run in: a server, one connection per consumer and
/// one for the producer and the admin commands.
struct World {
    server: Server,
    admin: ClientId,
    consumers: Vec<ClientId>,
    next_ms: u64,
}

impl World {
    fn new() -> World {
        let mut server = Server::default();
        let admin = server.connect(b"admin");
        let consumers = (0..CONSUMERS)
            .map(|i| server.connect(consumer_name(i).as_bytes()))
            .collect();
        let mut world = World {
            server,
            admin,
            consumers,
            next_ms: 1,
        };
        world.run(
            world.admin,
            &["XGROUP", "CREATE", KEY, GROUP, "0", "MKSTREAM"],
        );
        world
    }

    fn run(&mut self, client: ClientId, args: &[&str]) {
        let argv: Vec<Arg> = args.iter().map(|a| Arg::from_slice(a.as_bytes())).collect();
        self.server.execute(client, &argv);
        self.server.take_replies(client);
    }

    fn stream(&self) -> &Stream {
        self.server
            .db
            .stream(KEY.as_bytes())
            .ok()
            .flatten()
            .expect("the stream exists")
    }

    fn group(&self) -> &ConsumerGroup {
        &self.stream().groups[GROUP.as_bytes()]
    }

    /// The IDs of the stream's entries, oldest first.
    fn entry_ids(&self) -> Vec<StreamId> {
        self.stream()
            .range(StreamId::ZERO, StreamId::MAX)
            .map(|(id, _)| *id)
            .collect()
    }

    /// An ID chosen by `selector` among the entries and the pending
    /// entries (deleted entries can still be pending), or one past them.
    fn pick(&self, selector: usize) -> String {
        let mut known: Vec<StreamId> = self.entry_ids();
        known.extend(self.group().pel.keys().copied());
        known.sort();
        known.dedup();
        match known.get(selector % (known.len() + 1)) {
            Some(id) => id.to_string(),
            None => format!("{}-0", self.next_ms),
        }
    }

    /// Runs `op`: a clock advance, or a command on the connection that
    /// would send it.
    fn apply(&mut self, op: &Op) {
        if let Op::Advance(ms) = op {
            let to = self.server.now() + SimDuration::from_ms(u64::from(*ms));
            self.server.advance_to(to);
        } else {
            let (client, args) = self.command(op);
            if matches!(op, Op::Add) {
                self.next_ms += 1;
            }
            let argv: Vec<Arg> = args.iter().map(|a| Arg::from_slice(a.as_bytes())).collect();
            self.server.execute(client, &argv);
        }
        for client in [self.admin].iter().chain(&self.consumers) {
            self.server.take_replies(*client);
        }
    }

    /// The connection and the command line of `op` (not an advance).
    fn command(&self, op: &Op) -> (ClientId, Vec<String>) {
        match op {
            Op::ReadNew {
                consumer,
                count,
                noack,
                block,
            } => {
                let mut args = words(&["XREADGROUP", "GROUP", GROUP, &consumer_name(*consumer)]);
                args.extend(words(&["COUNT", &count.to_string()]));
                args.extend(flag(*noack, &["NOACK"]));
                args.extend(flag(*block, &["BLOCK", "1000"]));
                args.extend(words(&["STREAMS", KEY, ">"]));
                (self.consumers[*consumer], args)
            }
            Op::ReadHistory {
                consumer,
                from,
                count,
            } => {
                let mut args = words(&["XREADGROUP", "GROUP", GROUP, &consumer_name(*consumer)]);
                args.extend(words(&["COUNT", &count.to_string(), "STREAMS", KEY]));
                args.push(self.pick(*from));
                (self.consumers[*consumer], args)
            }
            _ => (self.admin, self.admin_command(op)),
        }
    }

    /// The command line of an `op` the admin connection sends.
    fn admin_command(&self, op: &Op) -> Vec<String> {
        let picks = |selectors: &[usize]| -> Vec<String> {
            selectors.iter().map(|&s| self.pick(s)).collect()
        };
        match op {
            Op::Add => words(&["XADD", KEY, &format!("{}-*", self.next_ms), "f", "v"]),
            Op::Ack(ids) => words(&["XACK", KEY, GROUP])
                .into_iter()
                .chain(picks(ids))
                .collect(),
            Op::Del(ids) => words(&["XDEL", KEY])
                .into_iter()
                .chain(picks(ids))
                .collect(),
            Op::Claim {
                consumer,
                min_idle_ms,
                ids,
                retry_count,
                justid,
                force,
            } => {
                let mut args = words(&["XCLAIM", KEY, GROUP, &consumer_name(*consumer)]);
                args.push(min_idle_ms.to_string());
                args.extend(picks(ids));
                if let Some(n) = retry_count {
                    args.extend(words(&["RETRYCOUNT", &n.to_string()]));
                }
                args.extend(flag(*justid, &["JUSTID"]));
                args.extend(flag(*force, &["FORCE"]));
                args
            }
            Op::AutoClaim {
                consumer,
                min_idle_ms,
                from,
                count,
                justid,
            } => {
                let mut args = words(&["XAUTOCLAIM", KEY, GROUP, &consumer_name(*consumer)]);
                args.extend([min_idle_ms.to_string(), self.pick(*from)]);
                args.extend(words(&["COUNT", &count.to_string()]));
                args.extend(flag(*justid, &["JUSTID"]));
                args
            }
            Op::SetId { to, entries_read } => {
                let to = match to % 5 {
                    0 => "0".to_string(),
                    1 => "$".to_string(),
                    _ => self.pick(*to),
                };
                let mut args = words(&["XGROUP", "SETID", KEY, GROUP, &to]);
                if let Some(n) = entries_read {
                    args.extend(words(&["ENTRIESREAD", &n.to_string()]));
                }
                args
            }
            Op::DelConsumer(consumer) => words(&[
                "XGROUP",
                "DELCONSUMER",
                KEY,
                GROUP,
                &consumer_name(*consumer),
            ]),
            Op::ReadNew { .. } | Op::ReadHistory { .. } | Op::Advance(_) => {
                unreachable!("not an admin command")
            }
        }
    }
}

/// Owned command-line words.
fn words(items: &[&str]) -> Vec<String> {
    items.iter().map(|w| w.to_string()).collect()
}

/// `items` if `on`, else nothing: an optional flag.
fn flag(on: bool, items: &[&str]) -> Vec<String> {
    if on { words(items) } else { Vec::new() }
}

fn consumer_name(i: usize) -> String {
    format!("c{i}")
}

/// What the invariants compare across one step.
struct Snapshot {
    last_id: StreamId,
    entries: Vec<StreamId>,
    counts: BTreeMap<StreamId, u64>,
}

fn snapshot(world: &World) -> Snapshot {
    let group = world.group();
    Snapshot {
        last_id: group.last_id,
        entries: world.entry_ids(),
        counts: group
            .pel
            .iter()
            .map(|(id, p)| (*id, p.delivery_count))
            .collect(),
    }
}

/// Checks the invariants across `op`, from `before` to the world now.
fn check_step(op: &Op, before: &Snapshot, world: &World) -> Result<(), TestCaseError> {
    let after = snapshot(world);
    let group = world.group();
    group
        .check_invariants()
        .map_err(|e| TestCaseError::fail(format!("after {op:?}: {e}")))?;
    prop_assert!(
        op.may_rewind() || after.last_id >= before.last_id,
        "after {op:?}: last-delivered-id moved back from {} to {}",
        before.last_id,
        after.last_id
    );
    if matches!(op, Op::Ack(_)) {
        prop_assert_eq!(&after.entries, &before.entries, "XACK removed entries");
    }
    if !op.may_reset_counts() {
        for (id, count) in &after.counts {
            if let Some(old) = before.counts.get(id) {
                prop_assert!(
                    count >= old,
                    "after {:?}: delivery count of {} fell from {} to {}",
                    op,
                    id,
                    old,
                    count
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn consumer_group_invariants_hold(ops in prop::collection::vec(op(), 1..60)) {
        let mut world = World::new();
        for op in &ops {
            let before = snapshot(&world);
            world.apply(op);
            check_step(op, &before, &world)?;
        }
    }
}

/// Found by the property above: c2 is blocked when it sends another `>`
/// read; SETID moves the cursor back to 0; when the clock times the blocked
/// read out, the queued read runs and re-delivers 1-0, which c0 holds with
/// a delivery count of 2 (claimed with FORCE). Redis 7.0 hands it to c2 with
/// a count of 1 (t_stream.c, `streamReplyWithRange`), and so does the engine.
#[test]
fn a_queued_read_after_setid_takes_a_pending_entry_with_a_count_of_one() {
    let read = |consumer, noack, block| Op::ReadNew {
        consumer,
        count: 0,
        noack,
        block,
    };
    let mut world = World::new();
    let ops = [
        Op::Add,
        read(0, true, false),
        read(0, false, true),
        Op::Add,
        read(2, false, true),
        Op::Claim {
            consumer: 0,
            min_idle_ms: 0,
            ids: vec![0],
            retry_count: None,
            justid: false,
            force: true,
        },
        read(2, false, false),
        Op::SetId {
            to: 0,
            entries_read: None,
        },
    ];
    for op in &ops {
        world.apply(op);
    }
    let id = StreamId::new(1, 0);
    let held = |world: &World| {
        let pending = &world.group().pel[&id];
        (pending.consumer.clone(), pending.delivery_count)
    };
    assert_eq!(held(&world), (b"c0".into(), 2));
    world.apply(&Op::Advance(1001));
    assert_eq!(held(&world), (b"c2".into(), 1));
    world.group().check_invariants().unwrap();
}
