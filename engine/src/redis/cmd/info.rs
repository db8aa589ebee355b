//! XINFO STREAM / GROUPS / CONSUMERS / HELP: a stream's state as Redis
//! reports it. In RESP2 (redis-cli's default) Redis's maps are flat arrays
//! of name, value, name, value…

use alloc::vec::Vec;

use super::group::no_such_group;
use super::stream::{entry_reply, read_stream};
use super::{Outcome, help_reply, int_arg, settle, subcommand_syntax_error};
use crate::redis::db::group::ConsumerGroup;
use crate::redis::db::stream::Stream;
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::ClientId;
use crate::redis::parse::{Arg, is_keyword};
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::time::SimTime;

/// A RESP2 "map": names and values interleaved.
fn map(pairs: Vec<(&str, Reply)>) -> Reply {
    Reply::Array(
        pairs
            .into_iter()
            .flat_map(|(name, value)| [Reply::bulk(name), value])
            .collect(),
    )
}

/// An integer, or nil when Redis does not know it.
fn maybe(n: Option<i64>) -> Reply {
    n.map_or(Reply::Nil, Reply::Integer)
}

/// The stream at `argv[2]`, which XINFO's subcommands require.
fn stream_arg<'a>(server: &'a Server, argv: &[Arg]) -> Result<&'a Stream, Reply> {
    read_stream(server, &argv[2])?.ok_or_else(super::no_such_key)
}

/// XINFO HELP
pub fn xinfo_help(_: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    help_reply(
        argv,
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    )
    .into()
}

/// XINFO CONSUMERS key group
pub fn xinfo_consumers(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(consumers(server, argv))
}

fn consumers(server: &Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let stream = stream_arg(server, argv)?;
    let group = stream
        .groups
        .get(&argv[3][..])
        .ok_or_else(|| no_such_group(&argv[2], &argv[3]))?;
    let now = server.now();
    let items = group
        .consumers
        .iter()
        .map(|(name, c)| {
            map(alloc::vec![
                ("name", Reply::bulk(name)),
                ("pending", Reply::Integer(c.pending.len() as i64)),
                (
                    "idle",
                    Reply::Integer(now.saturating_since(c.seen_time).as_ms() as i64)
                ),
            ])
        })
        .collect();
    Ok(Reply::Array(items).into())
}

/// XINFO GROUPS key
pub fn xinfo_groups(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(groups(server, argv))
}

fn groups(server: &Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let stream = stream_arg(server, argv)?;
    let items = stream
        .groups
        .iter()
        .map(|(name, g)| {
            map(alloc::vec![
                ("name", Reply::bulk(name)),
                ("consumers", Reply::Integer(g.consumers.len() as i64)),
                ("pending", Reply::Integer(g.pel.len() as i64)),
                ("last-delivered-id", Reply::Bulk(g.last_id.to_bytes())),
                ("entries-read", maybe(g.entries_read)),
                ("lag", maybe(stream.group_lag(g))),
            ])
        })
        .collect();
    Ok(Reply::Array(items).into())
}

/// XINFO STREAM key [FULL [COUNT count]]
pub fn xinfo_stream(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(stream_info(server, argv))
}

fn stream_info(server: &Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let stream = stream_arg(server, argv)?;
    let options = &argv[3..];
    let full = match options.len() {
        0 => None,
        1 | 3 if is_keyword(&options[0], "full") => {
            if options.len() == 1 {
                Some(10)
            } else if is_keyword(&options[1], "count") {
                let n = int_arg(&options[2], None)?;
                Some(if n < 0 { 10 } else { n as usize })
            } else {
                return Err(subcommand_syntax_error(argv));
            }
        }
        _ => return Err(subcommand_syntax_error(argv)),
    };
    let mut pairs = alloc::vec![
        ("length", Reply::Integer(stream.len() as i64)),
        (
            "radix-tree-keys",
            Reply::Integer(stream.radix_tree_keys() as i64)
        ),
        (
            "radix-tree-nodes",
            Reply::Integer(stream.radix_tree_nodes() as i64)
        ),
        ("last-generated-id", Reply::Bulk(stream.last_id.to_bytes())),
        (
            "max-deleted-entry-id",
            Reply::Bulk(stream.max_deleted_entry_id.to_bytes())
        ),
        ("entries-added", Reply::Integer(stream.entries_added as i64)),
        (
            "recorded-first-entry-id",
            Reply::Bulk(stream.first_id.to_bytes())
        ),
    ];
    match full {
        None => {
            let all = || stream.range_shared(StreamId::ZERO, StreamId::MAX);
            let edge =
                |e: Option<(StreamId, _)>| e.map_or(Reply::Nil, |(id, f)| entry_reply(id, f));
            pairs.push(("groups", Reply::Integer(stream.groups.len() as i64)));
            pairs.push(("first-entry", edge(all().next())));
            pairs.push(("last-entry", edge(all().next_back())));
        }
        Some(count) => {
            let limit = if count == 0 { usize::MAX } else { count };
            let entries = stream
                .range_shared(StreamId::ZERO, StreamId::MAX)
                .take(limit)
                .map(|(id, f)| entry_reply(id, f))
                .collect();
            pairs.push(("entries", Reply::Array(entries)));
            let groups = stream
                .groups
                .iter()
                .map(|(name, g)| full_group(stream, name, g, limit))
                .collect();
            pairs.push(("groups", Reply::Array(groups)));
        }
    }
    Ok(map(pairs).into())
}

/// One group in XINFO STREAM FULL: its PEL and consumers, `limit` entries
/// of each list at most.
fn full_group(stream: &Stream, name: &[u8], g: &ConsumerGroup, limit: usize) -> Reply {
    let time = |t: SimTime| Reply::Integer(t.as_ms() as i64);
    let pel = g
        .pel
        .iter()
        .take(limit)
        .map(|(id, p)| {
            Reply::Array(alloc::vec![
                Reply::Bulk(id.to_bytes()),
                Reply::bulk(&p.consumer),
                time(p.delivery_time),
                Reply::Integer(p.delivery_count as i64),
            ])
        })
        .collect();
    let consumers = g
        .consumers
        .iter()
        .map(|(cname, c)| {
            let pending = c
                .pending
                .iter()
                .take(limit)
                .map(|id| {
                    let p = &g.pel[id];
                    Reply::Array(alloc::vec![
                        Reply::Bulk(id.to_bytes()),
                        time(p.delivery_time),
                        Reply::Integer(p.delivery_count as i64),
                    ])
                })
                .collect();
            map(alloc::vec![
                ("name", Reply::bulk(cname)),
                ("seen-time", time(c.seen_time)),
                ("pel-count", Reply::Integer(c.pending.len() as i64)),
                ("pending", Reply::Array(pending)),
            ])
        })
        .collect();
    map(alloc::vec![
        ("name", Reply::bulk(name)),
        ("last-delivered-id", Reply::Bulk(g.last_id.to_bytes())),
        ("entries-read", maybe(g.entries_read)),
        ("lag", maybe(stream.group_lag(g))),
        ("pel-count", Reply::Integer(g.pel.len() as i64)),
        ("pending", Reply::Array(pel)),
        ("consumers", Reply::Array(consumers)),
    ])
}
