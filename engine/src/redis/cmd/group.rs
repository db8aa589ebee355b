//! Consumer-group commands: XGROUP (CREATE, SETID, DESTROY,
//! CREATECONSUMER, DELCONSUMER, HELP), XACK, XPENDING, XCLAIM, XAUTOCLAIM.

use alloc::boxed::Box;
use alloc::vec::Vec;
use smallvec::SmallVec;

use super::stream::{entry_reply, interval_end, interval_start, strict_id_arg};
use super::{
    Outcome, c_str, error_parts, help_reply, int_arg, settle, subcommand_syntax_error,
    syntax_error, wrong_type,
};
use crate::redis::db::Value;
use crate::redis::db::group::ConsumerGroup;
use crate::redis::db::stream::Stream;
use crate::redis::db::stream_id::{StreamId, parse_range_id, parse_strict_id};
use crate::redis::event::{Claim, ClientId, Event, Name};
use crate::redis::parse::{Arg, is_keyword, parse_i64};
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::time::SimTime;

/// `NOGROUP No such key '<key>' or consumer group '<group>'`.
fn no_such_key_or_group(key: &[u8], group: &[u8]) -> Reply {
    error_parts(&[
        b"NOGROUP No such key '",
        c_str(key),
        b"' or consumer group '",
        c_str(group),
        b"'",
    ])
}

/// `NOGROUP No such consumer group '<group>' for key name '<key>'`.
pub fn no_such_group(key: &[u8], group: &[u8]) -> Reply {
    error_parts(&[
        b"NOGROUP No such consumer group '",
        c_str(group),
        b"' for key name '",
        c_str(key),
        b"'",
    ])
}

/// The stream at `key` and its group `group`, for commands that need both.
fn stream_and_group<'a>(
    server: &'a mut Server,
    key: &[u8],
    group: &[u8],
) -> Result<(&'a mut Stream, SimTime), Reply> {
    let now = server.now();
    match server.db.stream_mut(key) {
        Err(_) => Err(wrong_type()),
        Ok(Some(stream)) if stream.groups.contains_key(group) => Ok((stream, now)),
        Ok(_) => Err(no_such_key_or_group(key, group)),
    }
}

// ----- XGROUP -----

/// What the XGROUP subcommands share: options parsed from argv[5], the key
/// looked up, the group checked (Redis's `xgroupCommand` prologue).
struct GroupTarget {
    mkstream: bool,
    entries_read: Option<i64>,
    exists: bool,
    group_exists: bool,
}

fn group_target(server: &Server, argv: &[Arg]) -> Result<GroupTarget, Reply> {
    let sub = &argv[1];
    let (create, setid) = (is_keyword(sub, "create"), is_keyword(sub, "setid"));
    let mut target = GroupTarget {
        mkstream: false,
        entries_read: None,
        exists: false,
        group_exists: false,
    };
    let mut i = 5;
    while i < argv.len() {
        if create && is_keyword(&argv[i], "mkstream") {
            target.mkstream = true;
            i += 1;
        } else if (create || setid) && is_keyword(&argv[i], "entriesread") && i + 1 < argv.len() {
            let n = int_arg(&argv[i + 1], None)?;
            if n < 0 && n != -1 {
                return Err(Reply::error(
                    "ERR value for ENTRIESREAD must be positive or -1",
                ));
            }
            target.entries_read = (n >= 0).then_some(n);
            i += 2;
        } else {
            return Err(subcommand_syntax_error(argv));
        }
    }
    let stream = server.db.stream(&argv[2]).map_err(|_| wrong_type())?;
    target.exists = stream.is_some();
    target.group_exists = stream.is_some_and(|s| s.groups.contains_key(&argv[3][..]));
    if !target.mkstream {
        if !target.exists {
            return Err(Reply::error(
                "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
            ));
        }
        let needs_group = ["setid", "createconsumer", "delconsumer"]
            .iter()
            .any(|s| is_keyword(sub, s));
        if needs_group && !target.group_exists {
            return Err(no_such_group(&argv[2], &argv[3]));
        }
    }
    Ok(target)
}

/// The stream at `key`, known to exist.
fn existing_stream<'a>(server: &'a mut Server, key: &[u8]) -> &'a mut Stream {
    match server.db.get_mut(key) {
        Some(Value::Stream(s)) => s,
        _ => unreachable!("checked by group_target"),
    }
}

/// `XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]`
pub fn xgroup_create(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xgroup_create_inner(server, argv))
}

fn xgroup_create_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let target = group_target(server, argv)?;
    if argv.len() > 8 {
        return Err(subcommand_syntax_error(argv));
    }
    let (key, name) = (&argv[2], &argv[3]);
    let id = if c_str(&argv[4]) == b"$" {
        server
            .db
            .stream(key)
            .ok()
            .flatten()
            .map_or(StreamId::ZERO, |s| s.last_id)
    } else {
        strict_id_arg(&argv[4])?
    };
    if !target.exists {
        server.db.insert(key, Value::Stream(Default::default()));
    }
    let stream = existing_stream(server, key);
    if stream.groups.contains_key(&name[..]) {
        return Err(Reply::error("BUSYGROUP Consumer Group name already exists"));
    }
    stream
        .groups
        .insert(name.into(), ConsumerGroup::new(id, target.entries_read));
    server.emit(Event::GroupCreated {
        key: key.into(),
        group: name.into(),
        last_id: id,
    });
    Ok(Reply::ok().into())
}

/// XGROUP SETID key group id|$ [ENTRIESREAD n]
pub fn xgroup_setid(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xgroup_setid_inner(server, argv))
}

fn xgroup_setid_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let target = group_target(server, argv)?;
    if argv.len() != 5 && argv.len() != 7 {
        return Err(subcommand_syntax_error(argv));
    }
    let (key, name) = (&argv[2], &argv[3]);
    let stream = existing_stream(server, key);
    let id = if c_str(&argv[4]) == b"$" {
        stream.last_id
    } else {
        parse_range_id(&argv[4], 0).ok_or_else(super::stream::invalid_id)?
    };
    let group = stream
        .groups
        .get_mut(&name[..])
        .expect("checked by group_target");
    let from = group.last_id;
    group.last_id = id;
    group.entries_read = target.entries_read;
    server.emit(Event::GroupCursorSet {
        key: key.into(),
        group: name.into(),
        from,
        to: id,
    });
    Ok(Reply::ok().into())
}

/// XGROUP DESTROY key group
pub fn xgroup_destroy(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xgroup_destroy_inner(server, argv))
}

fn xgroup_destroy_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    group_target(server, argv)?;
    let (key, name) = (&argv[2], &argv[3]);
    if existing_stream(server, key)
        .groups
        .remove(&name[..])
        .is_none()
    {
        return Ok(Reply::Integer(0).into());
    }
    server.emit(Event::GroupDestroyed {
        key: key.into(),
        group: name.into(),
    });
    // Clients blocked in XREADGROUP on this group get a NOGROUP error.
    server.signal_ready(key);
    Ok(Reply::Integer(1).into())
}

/// XGROUP CREATECONSUMER key group consumer
pub fn xgroup_createconsumer(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xgroup_createconsumer_inner(server, argv))
}

fn xgroup_createconsumer_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    group_target(server, argv)?;
    let (key, name, consumer) = (&argv[2], &argv[3], &argv[4]);
    let now = server.now();
    let group = existing_stream(server, key)
        .groups
        .get_mut(&name[..])
        .expect("checked by group_target");
    let created = group.ensure_consumer(consumer, now);
    if created {
        server.emit(Event::ConsumerCreated {
            key: key.into(),
            group: name.into(),
            consumer: consumer.into(),
        });
    }
    Ok(Reply::Integer(i64::from(created)).into())
}

/// XGROUP DELCONSUMER key group consumer
pub fn xgroup_delconsumer(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xgroup_delconsumer_inner(server, argv))
}

fn xgroup_delconsumer_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    group_target(server, argv)?;
    let (key, name, consumer) = (&argv[2], &argv[3], &argv[4]);
    let group = existing_stream(server, key)
        .groups
        .get_mut(&name[..])
        .expect("checked by group_target");
    let Some(pending) = group.delete_consumer(consumer) else {
        return Ok(Reply::Integer(0).into());
    };
    server.emit(Event::ConsumerDeleted {
        key: key.into(),
        group: name.into(),
        consumer: consumer.into(),
        pending_dropped: pending,
    });
    Ok(Reply::Integer(pending as i64).into())
}

/// XGROUP HELP
pub fn xgroup_help(_: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    help_reply(
        argv,
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    )
    .into()
}

// ----- XACK -----

/// XACK key group id [id …]
pub fn xack(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xack_inner(server, argv))
}

fn xack_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let (key, name) = (&argv[1], &argv[2]);
    let Some(stream) = server.db.stream_mut(key).map_err(|_| wrong_type())? else {
        return Ok(Reply::Integer(0).into());
    };
    if !stream.groups.contains_key(&name[..]) {
        return Ok(Reply::Integer(0).into());
    }
    // All IDs are checked first: the reply is a count, never an error
    // after some entries were acknowledged.
    // Inline for the usual few IDs: XACK runs once a message or a batch.
    let ids = argv[3..]
        .iter()
        .map(|a| strict_id_arg(a))
        .collect::<Result<SmallVec<[StreamId; 8]>, _>>()?;
    let (key, name) = server.db.group_names(key, name);
    let Some(group) = server
        .db
        .stream_mut(&key)
        .ok()
        .flatten()
        .and_then(|s| s.groups.get_mut(&name))
    else {
        // Checked above; answered as a missing group is, never a panic.
        return Ok(Reply::Integer(0).into());
    };
    let mut events: SmallVec<[Event; 2]> = SmallVec::new();
    for id in ids {
        if let Some(consumer) = group.remove_pending(id) {
            events.push(Event::EntryAcked {
                key: key.clone(),
                group: name.clone(),
                consumer,
                id,
            });
        }
    }
    let count = events.len() as i64;
    for event in events {
        server.emit(event);
    }
    Ok(Reply::Integer(count).into())
}

// ----- XPENDING -----

/// `XPENDING key group [[IDLE min-idle] start end count [consumer]]`
pub fn xpending(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xpending_inner(server, argv))
}

fn xpending_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let argc = argv.len();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(syntax_error());
    }
    let mut range = None;
    if argc >= 6 {
        let mut at = 3;
        let mut min_idle = 0;
        if is_keyword(&argv[3], "idle") {
            min_idle = int_arg(&argv[4], None)?;
            if argc < 8 {
                return Err(syntax_error());
            }
            at += 2;
        }
        let count = int_arg(&argv[at + 2], None)?.max(0) as u64;
        let start = interval_start(&argv[at])?;
        let end = interval_end(&argv[at + 1])?;
        range = Some((start, end, count, min_idle, argv.get(at + 3)));
    }
    let (key, name) = (&argv[1], &argv[2]);
    let (stream, now) = stream_and_group(server, key, name)?;
    let group = &stream.groups[&name[..]];
    let Some((start, end, count, min_idle, consumer)) = range else {
        return Ok(pending_summary(group).into());
    };
    let ids: Vec<StreamId> = match consumer {
        Some(c) => match group.consumers.get(&c[..]) {
            Some(c) => c.pending.range(start..=end.max(start)).copied().collect(),
            None => return Ok(Reply::Array(Vec::new()).into()),
        },
        None => group
            .pel
            .range(start..=end.max(start))
            .map(|(id, _)| *id)
            .collect(),
    };
    let mut items = Vec::new();
    for id in ids.into_iter().filter(|id| *id <= end) {
        if items.len() as u64 >= count {
            break;
        }
        let pending = &group.pel[&id];
        let idle = now.as_ms() as i64 - pending.delivery_time.as_ms() as i64;
        if min_idle != 0 && idle < min_idle {
            continue;
        }
        items.push(Reply::Array(alloc::vec![
            Reply::Bulk(id.to_bytes()),
            Reply::bulk(&pending.consumer),
            Reply::Integer(idle.max(0)),
            Reply::Integer(pending.delivery_count as i64),
        ]));
    }
    Ok(Reply::Array(items).into())
}

/// XPENDING's summary form: count, smallest and largest ID, and how many
/// entries each consumer holds.
fn pending_summary(group: &ConsumerGroup) -> Reply {
    let (Some((first, _)), Some((last, _))) =
        (group.pel.iter().next(), group.pel.iter().next_back())
    else {
        return Reply::Array(alloc::vec![
            Reply::Integer(0),
            Reply::Nil,
            Reply::Nil,
            Reply::NilArray
        ]);
    };
    let owners = group
        .consumers
        .iter()
        .filter(|(_, c)| !c.pending.is_empty())
        .map(|(name, c)| {
            Reply::Array(alloc::vec![
                Reply::bulk(name),
                Reply::bulk_display(c.pending.len())
            ])
        })
        .collect();
    Reply::Array(alloc::vec![
        Reply::Integer(group.pel.len() as i64),
        Reply::Bulk(first.to_bytes()),
        Reply::Bulk(last.to_bytes()),
        Reply::Array(owners),
    ])
}

// ----- XCLAIM / XAUTOCLAIM -----

/// Options of XCLAIM after its IDs.
#[derive(Default)]
struct ClaimOptions {
    force: bool,
    justid: bool,
    delivery_time: Option<i64>,
    retry_count: Option<i64>,
    last_id: StreamId,
}

fn claim_options(argv: &[Arg], now: SimTime) -> Result<ClaimOptions, Reply> {
    let mut opts = ClaimOptions::default();
    let mut j = 0;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let opt = &argv[j];
        let number = |arg: &[u8], what: &str| -> Result<i64, Reply> {
            parse_i64(arg).ok_or_else(|| {
                error_parts(&[
                    b"ERR Invalid ",
                    what.as_bytes(),
                    b" option argument for XCLAIM",
                ])
            })
        };
        if is_keyword(opt, "force") {
            opts.force = true;
        } else if is_keyword(opt, "justid") {
            opts.justid = true;
        } else if is_keyword(opt, "idle") && more > 0 {
            j += 1;
            opts.delivery_time = Some((now.as_ms() as i64).wrapping_sub(number(&argv[j], "IDLE")?));
        } else if is_keyword(opt, "time") && more > 0 {
            j += 1;
            opts.delivery_time = Some(number(&argv[j], "TIME")?);
        } else if is_keyword(opt, "retrycount") && more > 0 {
            j += 1;
            let n = number(&argv[j], "RETRYCOUNT")?;
            opts.retry_count = (n >= 0).then_some(n);
        } else if is_keyword(opt, "lastid") && more > 0 {
            j += 1;
            opts.last_id = strict_id_arg(&argv[j])?;
        } else {
            return Err(error_parts(&[
                b"ERR Unrecognized XCLAIM option '",
                c_str(opt),
                b"'",
            ]));
        }
        j += 1;
    }
    Ok(opts)
}

/// What claiming one entry did, for the reply and the trace.
enum Claimed {
    /// The entry moved (or stayed) with this consumer.
    Taken {
        id: StreamId,
        from: Option<Name>,
        delivery_count: u64,
    },
    /// The entry was deleted from the stream: its pending entry is dropped.
    Dropped { id: StreamId, owner: Name },
    /// Not pending, or not idle long enough.
    Skipped,
}

/// How XCLAIM or XAUTOCLAIM claims: the same rules apply to each entry.
struct ClaimRule {
    now: SimTime,
    /// Entries idle for less are left alone (0: claim regardless).
    min_idle: i64,
    /// The claimed entry's new delivery time (IDLE / TIME, else now).
    delivery_time: SimTime,
    /// RETRYCOUNT: set the delivery count instead of raising it.
    retry_count: Option<i64>,
    /// FORCE: claim entries that are not pending yet.
    force: bool,
    /// JUSTID: do not raise the delivery count.
    justid: bool,
}

/// Claims pending entry `id` for `consumer` (shared by XCLAIM and
/// XAUTOCLAIM, as in Redis).
fn claim_one(
    stream: &mut Stream,
    name: &[u8],
    consumer: &[u8],
    id: StreamId,
    rule: &ClaimRule,
) -> Claimed {
    let exists = stream.contains(id);
    let group = stream.groups.get_mut(name).expect("group exists");
    if !exists {
        return match group.remove_pending(id) {
            Some(owner) => Claimed::Dropped { id, owner },
            None => Claimed::Skipped,
        };
    }
    let (owner, count, idle) = match group.pel.get(&id) {
        Some(p) => (
            Some(p.consumer.clone()),
            p.delivery_count,
            rule.now.as_ms() as i64 - p.delivery_time.as_ms() as i64,
        ),
        // FORCE creates the pending entry; Redis starts its count at 1.
        None if rule.force => (None, 1, 0),
        None => return Claimed::Skipped,
    };
    if owner.is_some() && rule.min_idle != 0 && idle < rule.min_idle {
        return Claimed::Skipped;
    }
    if !group.ensure_consumer(consumer, rule.now) {
        group.touch(consumer, rule.now);
    }
    let delivery_count = match rule.retry_count {
        Some(n) => n as u64,
        None if !rule.justid => count.wrapping_add(1),
        None => count,
    };
    group.assign(id, consumer, rule.delivery_time, delivery_count);
    Claimed::Taken {
        id,
        from: owner,
        delivery_count,
    }
}

/// Records the events of claims, and builds the reply items.
fn report_claims(
    server: &mut Server,
    key: &[u8],
    name: &[u8],
    consumer: &[u8],
    created: bool,
    claims: Vec<Claimed>,
    justid: bool,
) -> (Vec<Reply>, Vec<StreamId>) {
    if created {
        server.emit(Event::ConsumerCreated {
            key: key.into(),
            group: name.into(),
            consumer: consumer.into(),
        });
    }
    let mut items = Vec::new();
    let mut dropped = Vec::new();
    for claim in claims {
        match claim {
            Claimed::Taken {
                id,
                from,
                delivery_count,
            } => {
                let fields = server
                    .db
                    .stream(key)
                    .ok()
                    .flatten()
                    .and_then(|s| s.get_shared(id).cloned());
                items.push(match (justid, fields) {
                    (false, Some(fields)) => entry_reply(id, &fields),
                    _ => Reply::Bulk(id.to_bytes()),
                });
                server.emit(Event::EntryClaimed(Box::new(Claim {
                    key: key.into(),
                    group: name.into(),
                    from: from.unwrap_or_default(),
                    to: consumer.into(),
                    id,
                    delivery_count,
                })));
            }
            Claimed::Dropped { id, owner } => {
                dropped.push(id);
                server.emit(Event::PendingDropped {
                    key: key.into(),
                    group: name.into(),
                    consumer: owner,
                    id,
                });
            }
            Claimed::Skipped => {}
        }
    }
    (items, dropped)
}

/// `XCLAIM key group consumer min-idle-time id [id …] [IDLE ms] [TIME ms]
/// [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]`
pub fn xclaim(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xclaim_inner(server, argv))
}

fn xclaim_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let (key, name, consumer) = (&argv[1], &argv[2], &argv[3]);
    let (_, now) = stream_and_group(server, key, name)?;
    let min_idle = int_arg(&argv[4], Some("Invalid min-idle-time argument for XCLAIM"))?.max(0);
    let ids: Vec<StreamId> = argv[5..].iter().map_while(|a| parse_strict_id(a)).collect();
    let opts = claim_options(&argv[5 + ids.len()..], now)?;
    let delivery_time = match opts.delivery_time {
        Some(t) if t >= 0 && t <= now.as_ms() as i64 => SimTime(t as u64),
        _ => now,
    };
    let (stream, _) = stream_and_group(server, key, name)?;
    let group = stream.groups.get_mut(&name[..]).expect("group exists");
    if opts.last_id > group.last_id {
        group.last_id = opts.last_id;
    }
    let created = !group.consumers.contains_key(consumer.as_slice());
    let rule = ClaimRule {
        now,
        min_idle,
        delivery_time,
        retry_count: opts.retry_count,
        force: opts.force,
        justid: opts.justid,
    };
    let claims: Vec<Claimed> = ids
        .iter()
        .map(|&id| claim_one(stream, name, consumer, id, &rule))
        .collect();
    let created = created
        && stream.groups[&name[..]]
            .consumers
            .contains_key(consumer.as_slice());
    let (items, _) = report_claims(server, key, name, consumer, created, claims, opts.justid);
    Ok(Reply::Array(items).into())
}

/// `XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]`
pub fn xautoclaim(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xautoclaim_inner(server, argv))
}

fn xautoclaim_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let min_idle = int_arg(
        &argv[4],
        Some("Invalid min-idle-time argument for XAUTOCLAIM"),
    )?
    .max(0);
    let start = interval_start(&argv[5])?;
    let (count, justid) = autoclaim_options(&argv[6..])?;
    let (key, name, consumer) = (&argv[1], &argv[2], &argv[3]);
    let (stream, now) = stream_and_group(server, key, name)?;
    let created_before = stream.groups[&name[..]]
        .consumers
        .contains_key(consumer.as_slice());
    let rule = ClaimRule {
        now,
        min_idle,
        delivery_time: now,
        retry_count: None,
        force: false,
        justid,
    };
    let (claims, next) = autoclaim_scan(stream, name, consumer, start, count, &rule);
    let created = !created_before
        && stream.groups[&name[..]]
            .consumers
            .contains_key(consumer.as_slice());
    let (items, dropped) = report_claims(server, key, name, consumer, created, claims, justid);
    let dropped = dropped
        .into_iter()
        .map(|id| Reply::Bulk(id.to_bytes()))
        .collect();
    Ok(Reply::Array(alloc::vec![
        Reply::Bulk(next.to_bytes()),
        Reply::Array(items),
        Reply::Array(dropped)
    ])
    .into())
}

/// XAUTOCLAIM's `[COUNT count] [JUSTID]`: the count (100 by default) and
/// whether JUSTID was given.
fn autoclaim_options(options: &[Arg]) -> Result<(u64, bool), Reply> {
    let mut count: u64 = 100;
    let mut justid = false;
    let mut j = 0;
    while j < options.len() {
        let more = options.len() - 1 - j;
        if is_keyword(&options[j], "count") && more > 0 {
            // LONG_MAX / max(sizeof(streamID), 10)
            const MAX_COUNT: i64 = i64::MAX / 16;
            count = match parse_i64(&options[j + 1]) {
                Some(n) if (1..=MAX_COUNT).contains(&n) => n as u64,
                _ => return Err(Reply::error("ERR COUNT must be > 0")),
            };
            j += 1;
        } else if is_keyword(&options[j], "justid") {
            justid = true;
        } else {
            return Err(syntax_error());
        }
        j += 1;
    }
    Ok((count, justid))
}

/// XAUTOCLAIM's walk of the PEL from `start`: at most `count` entries
/// claimed or dropped (deleted from the stream), and at most ten times
/// `count` entries looked at. Returns the claims and the cursor: the next
/// pending ID, or `0-0` when the PEL was walked to its end.
fn autoclaim_scan(
    stream: &mut Stream,
    name: &[u8],
    consumer: &[u8],
    start: StreamId,
    mut count: u64,
    rule: &ClaimRule,
) -> (Vec<Claimed>, StreamId) {
    let mut attempts = count.saturating_mul(10);
    let mut claims = Vec::new();
    let mut cursor = start;
    loop {
        let candidate = stream.groups[name]
            .pel
            .range(cursor..)
            .next()
            .map(|(id, _)| *id);
        if attempts == 0 || count == 0 {
            return (claims, candidate.unwrap_or(StreamId::ZERO));
        }
        attempts -= 1;
        let Some(id) = candidate else {
            return (claims, StreamId::ZERO);
        };
        let claim = claim_one(stream, name, consumer, id, rule);
        if !matches!(claim, Claimed::Skipped) {
            count -= 1;
        }
        claims.push(claim);
        match id.next() {
            Some(after) => cursor = after,
            None => return (claims, StreamId::ZERO),
        }
    }
}
