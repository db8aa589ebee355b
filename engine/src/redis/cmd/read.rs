//! XREAD and XREADGROUP: reading a stream, alone or as a consumer of a
//! group, now or when entries arrive (BLOCK).
//!
//! Reading with a group is a write: `>` hands out entries no consumer of
//! the group got yet and moves the group's `last-delivered-id`; every entry
//! handed out enters the pending list (PEL) of the group and the consumer,
//! unless NOACK. Any other ID re-reads the consumer's own pending entries.

use alloc::vec::Vec;
use smallvec::SmallVec;

use super::stream::{entry_reply, strict_id_arg};
use super::{
    BlockKind, BlockSpec, GroupRead, Outcome, error_parts, settle, syntax_error, wrong_type,
};
use crate::redis::db::stored_or_new;
use crate::redis::db::stream::Stream;
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::{ClientId, Event, Name, UnblockReason};
use crate::redis::parse::{Arg, is_keyword, parse_i64};
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::time::SimDuration;

/// Without COUNT, a blocked read is served at most this many entries.
const BLOCKED_DEFAULT_COUNT: usize = 1000;

/// The parsed arguments of XREAD / XREADGROUP.
struct ReadArgs<'a> {
    /// Milliseconds to block, if BLOCK was given (0 = forever).
    block_ms: Option<u64>,
    count: usize,
    group: Option<GroupRead>,
    keys: &'a [Arg],
    id_args: &'a [Arg],
}

/// The positions of XREAD's keys: after STREAMS, the first half of the
/// rest.
pub fn stream_keys(argv: &[Arg]) -> Vec<usize> {
    let Some(streams) = argv.iter().position(|a| is_keyword(a, "streams")) else {
        return Vec::new();
    };
    let rest = argv.len() - streams - 1;
    (streams + 1..streams + 1 + rest / 2).collect()
}

/// XREAD [COUNT count] [BLOCK ms] STREAMS key [key …] id [id …]
pub fn xread(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(read(server, client, argv, false))
}

/// `XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key …] id [id …]`
pub fn xreadgroup(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(read(server, client, argv, true))
}

fn parse(argv: &[Arg], with_group: bool) -> Result<ReadArgs<'_>, Reply> {
    let mut block_ms = None;
    let mut count = 0usize;
    let mut group: Option<GroupRead> = None;
    let mut noack = false;
    let mut streams_at = None;
    let mut i = 1;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        let opt = &argv[i];
        if is_keyword(opt, "block") && more > 0 {
            i += 1;
            let ms = parse_i64(&argv[i])
                .ok_or_else(|| Reply::error("ERR timeout is not an integer or out of range"))?;
            if ms < 0 {
                return Err(Reply::error("ERR timeout is negative"));
            }
            block_ms = Some(ms as u64);
        } else if is_keyword(opt, "count") && more > 0 {
            i += 1;
            count = super::int_arg(&argv[i], None)?.max(0) as usize;
        } else if is_keyword(opt, "streams") && more > 0 {
            if !more.is_multiple_of(2) {
                return Err(Reply::error(
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
                ));
            }
            streams_at = Some(i + 1);
            break;
        } else if is_keyword(opt, "group") && more >= 2 {
            if !with_group {
                return Err(Reply::error(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            group = Some(GroupRead {
                group: argv[i + 1].to_vec(),
                consumer: argv[i + 2].to_vec(),
                noack: false,
            });
            i += 2;
        } else if is_keyword(opt, "noack") {
            if !with_group {
                return Err(Reply::error(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            noack = true;
        } else {
            return Err(syntax_error());
        }
        i += 1;
    }
    let Some(streams_at) = streams_at else {
        return Err(syntax_error());
    };
    if with_group && group.is_none() {
        return Err(Reply::error("ERR Missing GROUP option for XREADGROUP"));
    }
    if let Some(g) = &mut group {
        g.noack = noack;
    }
    let n = (argv.len() - streams_at) / 2;
    Ok(ReadArgs {
        block_ms,
        count,
        group,
        keys: &argv[streams_at..streams_at + n],
        id_args: &argv[streams_at + n..],
    })
}

/// Resolves each key's ID argument: `$`, `>` (as the largest ID), or an
/// explicit ID; checks types and groups on the way, in Redis's order.
fn resolve_ids(server: &Server, args: &ReadArgs<'_>) -> Result<Vec<StreamId>, Reply> {
    let mut ids = Vec::with_capacity(args.keys.len());
    for (key, id_arg) in args.keys.iter().zip(args.id_args) {
        let stream = server.db.stream(key).map_err(|_| wrong_type())?;
        if let Some(g) = &args.group
            && !stream.is_some_and(|s| s.groups.contains_key(&g.group[..]))
        {
            return Err(error_parts(&[
                b"NOGROUP No such key '",
                super::c_str(key),
                b"' or consumer group '",
                super::c_str(&g.group),
                b"' in XREADGROUP with GROUP option",
            ]));
        }
        let text = super::c_str(id_arg);
        if text == b"$" {
            if args.group.is_some() {
                return Err(Reply::error(
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
                ));
            }
            ids.push(stream.map_or(StreamId::ZERO, |s| s.last_id));
        } else if text == b">" {
            if args.group.is_none() {
                return Err(Reply::error(
                    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                ));
            }
            ids.push(StreamId::MAX);
        } else {
            ids.push(strict_id_arg(id_arg)?);
        }
    }
    Ok(ids)
}

fn read(
    server: &mut Server,
    client: ClientId,
    argv: &[Arg],
    with_group: bool,
) -> Result<Outcome, Reply> {
    let args = parse(argv, with_group)?;
    let mut ids = resolve_ids(server, &args)?;
    let mut served = Vec::new();
    for (i, key) in args.keys.iter().enumerate() {
        let Ok(Some(stream)) = server.db.stream(key) else {
            continue;
        };
        let history = args.group.is_some() && ids[i] != StreamId::MAX;
        let serve = if history {
            true
        } else if let Some(g) = &args.group {
            let last = stream.groups[&g.group[..]].last_id;
            if !stream.is_empty() && stream.last_valid_id() > last {
                ids[i] = last;
                true
            } else {
                false
            }
        } else {
            !stream.is_empty() && stream.last_valid_id() > ids[i]
        };
        if !serve {
            continue;
        }
        let Some(start) = ids[i].next() else { continue };
        let entries = match &args.group {
            None => read_plain(server, client, key, start, args.count),
            Some(g) if history => read_history(server, client, key, g, start, args.count),
            Some(g) => deliver_new(server, client, key, g, start, args.count),
        };
        served.push(Reply::Array(alloc::vec![
            Reply::bulk(key),
            Reply::Array(entries)
        ]));
    }
    if !served.is_empty() {
        return Ok(Reply::Array(served).into());
    }
    match args.block_ms {
        Some(ms) => Ok(Outcome::Block(BlockSpec {
            keys: args.keys.iter().map(|k| server.db.name_of(k)).collect(),
            timeout_at: (ms > 0).then(|| server.now() + SimDuration::from_ms(ms)),
            kind: BlockKind::Stream {
                ids,
                count: if args.count == 0 {
                    BLOCKED_DEFAULT_COUNT
                } else {
                    args.count
                },
                group: args.group,
            },
        })),
        None => Ok(Reply::NilArray.into()),
    }
}

/// XREAD: entries from `start`, no state changes.
fn read_plain(
    server: &mut Server,
    client: ClientId,
    key: &[u8],
    start: StreamId,
    count: usize,
) -> Vec<Reply> {
    let Ok(Some(stream)) = server.db.stream(key) else {
        return Vec::new();
    };
    let limit = if count == 0 { usize::MAX } else { count };
    let (ids, replies): (Vec<StreamId>, Vec<Reply>) = stream
        .range_shared(start, StreamId::MAX)
        .take(limit)
        .map(|(id, f)| (id, entry_reply(id, f)))
        .unzip();
    if !ids.is_empty() {
        server.emit(Event::EntriesRead {
            key: key.into(),
            client,
            ids,
        });
    }
    replies
}

/// The stored name of `g`'s consumer in `stream` (a new one if it does
/// not exist).
fn stream_consumer_name(stream: &Stream, g: &GroupRead) -> Name {
    let stored = stream
        .groups
        .get(&g.group[..])
        .and_then(|cg| cg.consumer_name(&g.consumer));
    stored_or_new(stored, &g.consumer)
}

/// The consumer reading: created if missing, marked seen otherwise.
fn consumer_reads(server: &mut Server, key: &[u8], g: &GroupRead) {
    let now = server.now();
    let Ok(Some(stream)) = server.db.stream_mut(key) else {
        return;
    };
    let Some(group) = stream.groups.get_mut(&g.group[..]) else {
        return;
    };
    if group.ensure_consumer(&g.consumer, now) {
        let consumer = stored_or_new(group.consumer_name(&g.consumer), &g.consumer);
        let (key, group) = server.db.group_names(key, &g.group);
        server.emit(Event::ConsumerCreated {
            key,
            group,
            consumer,
        });
    } else {
        group.touch(&g.consumer, now);
    }
}

/// XREADGROUP `>`: new entries from `start`, each moving the group's
/// cursor and (unless NOACK) entering the PEL with one delivery.
fn deliver_new(
    server: &mut Server,
    client: ClientId,
    key: &[u8],
    g: &GroupRead,
    start: StreamId,
    count: usize,
) -> Vec<Reply> {
    consumer_reads(server, key, g);
    let now = server.now();
    let (key_name, group_name) = server.db.group_names(key, &g.group);
    let Ok(Some(stream)) = server.db.stream_mut(key) else {
        return Vec::new();
    };
    let consumer_name = stream_consumer_name(stream, g);
    let limit = if count == 0 { usize::MAX } else { count };
    // The replies are built while the stream is read; the IDs and the
    // events wait inline (a read takes a few entries) for the stream to be
    // written and then the server.
    let mut ids: SmallVec<[StreamId; 16]> = SmallVec::new();
    let replies: Vec<Reply> = stream
        .range_shared(start, StreamId::MAX)
        .take(limit)
        .map(|(id, f)| {
            ids.push(id);
            entry_reply(id, f)
        })
        .collect();
    let mut events: SmallVec<[Event; 4]> = SmallVec::new();
    for id in ids {
        stream.advance_group(&g.group, id);
        if !g.noack {
            // The entry may already be pending (after SETID moved the
            // cursor back): it then changes owner and restarts its count.
            let group = stream.groups.get_mut(&g.group[..]).expect("group exists");
            group.assign(id, &g.consumer, now, 1);
        }
        events.push(Event::EntryDelivered {
            key: key_name.clone(),
            group: group_name.clone(),
            consumer: consumer_name.clone(),
            client,
            id,
            delivery_count: if g.noack { 0 } else { 1 },
            new: true,
            noack: g.noack,
        });
    }
    for event in events {
        server.emit(event);
    }
    replies
}

/// XREADGROUP with an ID: the consumer's own pending entries from
/// `start`, each delivered again (count raised). Entries deleted from the
/// stream come back as `[id, nil]`.
fn read_history(
    server: &mut Server,
    client: ClientId,
    key: &[u8],
    g: &GroupRead,
    start: StreamId,
    count: usize,
) -> Vec<Reply> {
    consumer_reads(server, key, g);
    let now = server.now();
    let (key_name, group_name) = server.db.group_names(key, &g.group);
    let Ok(Some(stream)) = server.db.stream_mut(key) else {
        return Vec::new();
    };
    let consumer_name = stream_consumer_name(stream, g);
    let limit = if count == 0 { usize::MAX } else { count };
    let Some(group) = stream.groups.get(&g.group[..]) else {
        return Vec::new();
    };
    let ids: Vec<StreamId> = group.consumers[&g.consumer[..]]
        .pending
        .range(start..)
        .take(limit)
        .copied()
        .collect();
    let mut replies = Vec::with_capacity(ids.len());
    let mut events = Vec::new();
    for id in ids {
        match stream.get_shared(id) {
            Some(fields) => {
                replies.push(entry_reply(id, fields));
                let group = stream.groups.get_mut(&g.group[..]).expect("group exists");
                let pending = group
                    .pel
                    .get_mut(&id)
                    .expect("consumer's entry is in the PEL");
                pending.delivery_time = now;
                pending.delivery_count = pending.delivery_count.wrapping_add(1);
                events.push(Event::EntryDelivered {
                    key: key_name.clone(),
                    group: group_name.clone(),
                    consumer: consumer_name.clone(),
                    client,
                    id,
                    delivery_count: pending.delivery_count,
                    new: false,
                    noack: false,
                });
            }
            None => replies.push(Reply::Array(alloc::vec![
                Reply::Bulk(id.to_bytes()),
                Reply::NilArray
            ])),
        }
    }
    for event in events {
        server.emit(event);
    }
    replies
}

/// Serves client `id`, blocked in XREAD/XREADGROUP, after `key` (a
/// stream) was written (Redis's `serveClientsBlockedOnStreamKey`).
pub fn serve_blocked(server: &mut Server, id: ClientId, key: &[u8], spec: &BlockSpec) {
    let BlockKind::Stream { ids, count, group } = &spec.kind else {
        return;
    };
    let Some(index) = spec.keys.iter().position(|k| k == key) else {
        return;
    };
    let Ok(Some(stream)) = server.db.stream(key) else {
        return;
    };
    let mut after = ids[index];
    if let Some(g) = group {
        match stream.groups.get(&g.group[..]) {
            None => {
                let reply = Reply::error(
                    "NOGROUP the consumer group this client was blocked on no longer exists",
                );
                server.unblock(id, reply, UnblockReason::Error);
                return;
            }
            Some(cg) => after = cg.last_id,
        }
    }
    if stream.last_id <= after {
        return;
    }
    let Some(start) = after.next() else { return };
    let entries = match group {
        Some(g) => deliver_new(server, id, key, g, start, *count),
        None => read_plain(server, id, key, start, *count),
    };
    let reply = Reply::Array(alloc::vec![Reply::Array(alloc::vec![
        Reply::bulk(key),
        Reply::Array(entries)
    ])]);
    server.unblock(id, reply, UnblockReason::Served);
}
