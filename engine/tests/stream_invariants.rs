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
//!   XREADGROUPs served by an XADD, which deliver like `>`.
//!
//! Operations pick IDs through selectors resolved against the state at the
//! time they run, so shrinking keeps them meaningful.

use std::collections::BTreeMap;

use ackscope_engine::db::group::ConsumerGroup;
use ackscope_engine::db::stream::Stream;
use ackscope_engine::db::stream_id::StreamId;
use ackscope_engine::{ClientId, Server, SimDuration};
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
            // Serving a blocked reader delivers like `>`.
            Op::ReadNew { .. } | Op::Add => true,
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
        let argv: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
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

    fn apply(&mut self, op: &Op) {
        let picks = |world: &World, selectors: &[usize]| -> Vec<String> {
            selectors.iter().map(|&s| world.pick(s)).collect()
        };
        match op {
            Op::Add => {
                let id = format!("{}-*", self.next_ms);
                self.next_ms += 1;
                self.run(self.admin, &["XADD", KEY, &id, "f", "v"]);
            }
            Op::ReadNew {
                consumer,
                count,
                noack,
                block,
            } => {
                let name = consumer_name(*consumer);
                let count = count.to_string();
                let mut args = vec!["XREADGROUP", "GROUP", GROUP, &name, "COUNT", &count];
                if *noack {
                    args.push("NOACK");
                }
                if *block {
                    args.extend(["BLOCK", "1000"]);
                }
                args.extend(["STREAMS", KEY, ">"]);
                self.run(self.consumers[*consumer], &args);
            }
            Op::ReadHistory {
                consumer,
                from,
                count,
            } => {
                let (name, from, count) = (
                    consumer_name(*consumer),
                    self.pick(*from),
                    count.to_string(),
                );
                let args = [
                    "XREADGROUP",
                    "GROUP",
                    GROUP,
                    &name,
                    "COUNT",
                    &count,
                    "STREAMS",
                    KEY,
                    &from,
                ];
                self.run(self.consumers[*consumer], &args);
            }
            Op::Ack(selectors) => {
                let ids = picks(self, selectors);
                let mut args = vec!["XACK", KEY, GROUP];
                args.extend(ids.iter().map(String::as_str));
                self.run(self.admin, &args);
            }
            Op::Claim {
                consumer,
                min_idle_ms,
                ids,
                retry_count,
                justid,
                force,
            } => {
                let (name, idle) = (consumer_name(*consumer), min_idle_ms.to_string());
                let ids = picks(self, ids);
                let retry = retry_count.map(|n| n.to_string());
                let mut args = vec!["XCLAIM", KEY, GROUP, &name, &idle];
                args.extend(ids.iter().map(String::as_str));
                if let Some(retry) = &retry {
                    args.extend(["RETRYCOUNT", retry]);
                }
                if *justid {
                    args.push("JUSTID");
                }
                if *force {
                    args.push("FORCE");
                }
                self.run(self.admin, &args);
            }
            Op::AutoClaim {
                consumer,
                min_idle_ms,
                from,
                count,
                justid,
            } => {
                let (name, idle) = (consumer_name(*consumer), min_idle_ms.to_string());
                let (from, count) = (self.pick(*from), count.to_string());
                let mut args = vec![
                    "XAUTOCLAIM",
                    KEY,
                    GROUP,
                    &name,
                    &idle,
                    &from,
                    "COUNT",
                    &count,
                ];
                if *justid {
                    args.push("JUSTID");
                }
                self.run(self.admin, &args);
            }
            Op::Del(selectors) => {
                let ids = picks(self, selectors);
                let mut args = vec!["XDEL", KEY];
                args.extend(ids.iter().map(String::as_str));
                self.run(self.admin, &args);
            }
            Op::SetId { to, entries_read } => {
                let to = match to % 5 {
                    0 => "0".to_string(),
                    1 => "$".to_string(),
                    _ => self.pick(*to),
                };
                let read = entries_read.map(|n| n.to_string());
                let mut args = vec!["XGROUP", "SETID", KEY, GROUP, &to];
                if let Some(read) = &read {
                    args.extend(["ENTRIESREAD", read]);
                }
                self.run(self.admin, &args);
            }
            Op::DelConsumer(consumer) => {
                let name = consumer_name(*consumer);
                self.run(self.admin, &["XGROUP", "DELCONSUMER", KEY, GROUP, &name]);
            }
            Op::Advance(ms) => {
                let to = self.server.now() + SimDuration::from_ms(u64::from(*ms));
                self.server.advance_to(to);
                for client in self.consumers.clone() {
                    self.server.take_replies(client);
                }
            }
        }
    }
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
