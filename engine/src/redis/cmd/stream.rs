//! Stream commands that do not involve consumer groups: XADD, XLEN, XRANGE,
//! XREVRANGE, XDEL, XTRIM, XSETID. (XREAD and XREADGROUP are in `read`.)

use alloc::rc::Rc;
use alloc::vec::Vec;

use super::{Outcome, int_arg, settle, syntax_error, wrong_arity, wrong_type};
use crate::redis::db::Value;
use crate::redis::db::stream::{AppendError, Fields, Stream, Trim};
use crate::redis::db::stream_id::{SeqPart, StreamId, parse_id, parse_range_id, parse_strict_id};
use crate::redis::event::{ClientId, Event};
use crate::redis::parse::{Arg, is_keyword};
use crate::redis::reply::Reply;
use crate::redis::server::Server;

/// `ERR Invalid stream ID specified as stream command argument`.
pub fn invalid_id() -> Reply {
    Reply::error("ERR Invalid stream ID specified as stream command argument")
}

/// A strict ID argument (no `-`/`+`), or the invalid-ID error.
pub fn strict_id_arg(arg: &[u8]) -> Result<StreamId, Reply> {
    parse_strict_id(arg).ok_or_else(invalid_id)
}

/// One entry as Redis replies it: `[id, [field, value, …]]`.
pub fn entry_reply(id: StreamId, fields: &Rc<Fields>) -> Reply {
    Reply::Entry(id, fields.clone())
}

/// The parsed trimming and ID options of XADD and XTRIM (Redis's
/// `streamParseAddOrTrimArgsOrReply`).
#[derive(Debug, Default)]
struct AddTrimArgs {
    trim: Option<Trim>,
    approx: bool,
    limit: u64,
    no_mkstream: bool,
    /// XADD's explicit ID: milliseconds and sequence (`None` for `*`).
    id: Option<(u64, SeqPart)>,
    /// Where XADD's ID argument is.
    id_pos: usize,
}

fn parse_add_trim(argv: &[Arg], xadd: bool) -> Result<AddTrimArgs, Reply> {
    let mut args = AddTrimArgs::default();
    let mut limit_given = false;
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let opt = &argv[i];
        if xadd && super::c_str(opt) == b"*" {
            break;
        } else if (is_keyword(opt, "maxlen") || is_keyword(opt, "minid")) && more > 0 {
            i = parse_strategy(argv, i, &mut args)?;
        } else if is_keyword(opt, "limit") && more > 0 {
            let n = int_arg(&argv[i + 1], None)?;
            if n < 0 {
                return Err(Reply::error("ERR The LIMIT argument must be >= 0."));
            }
            args.limit = n as u64;
            limit_given = true;
            i += 1;
        } else if xadd && is_keyword(opt, "nomkstream") {
            args.no_mkstream = true;
        } else if xadd {
            args.id = Some(parse_id(opt, 0, true, true).ok_or_else(invalid_id)?);
            break;
        } else {
            return Err(syntax_error());
        }
        i += 1;
    }
    args.id_pos = i;
    if args.limit != 0 && args.trim.is_none() {
        return Err(Reply::error(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
        ));
    }
    if !xadd && args.trim.is_none() {
        return Err(Reply::error(
            "ERR syntax error, XTRIM must be called with a trimming strategy",
        ));
    }
    if limit_given {
        if !args.approx {
            return Err(Reply::error(
                "ERR syntax error, LIMIT cannot be used without the special ~ option",
            ));
        }
    } else if args.approx {
        // Redis caps approximate trimming at 100 nodes' worth of entries.
        args.limit = 100 * crate::redis::db::stream::NODE_MAX_ENTRIES;
    }
    Ok(args)
}

/// Parses `MAXLEN|MINID [=|~] threshold` at `argv[at]` into `args`;
/// returns the position of the threshold.
fn parse_strategy(argv: &[Arg], at: usize, args: &mut AddTrimArgs) -> Result<usize, Reply> {
    if args.trim.is_some() {
        return Err(Reply::error(
            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
        ));
    }
    let more = argv.len() - 1 - at;
    let next = super::c_str(&argv[at + 1]);
    args.approx = more >= 2 && next == b"~";
    let threshold_at = if more >= 2 && (next == b"~" || next == b"=") {
        at + 2
    } else {
        at + 1
    };
    let threshold = &argv[threshold_at];
    args.trim = Some(if is_keyword(&argv[at], "maxlen") {
        let n = int_arg(threshold, None)?;
        if n < 0 {
            return Err(Reply::error("ERR The MAXLEN argument must be >= 0."));
        }
        Trim::MaxLen(n as u64)
    } else {
        Trim::MinId(strict_id_arg(threshold)?)
    });
    Ok(threshold_at)
}

/// `XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value …]`
pub fn xadd(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(xadd_inner(server, client, argv))
}

fn xadd_inner(server: &mut Server, client: ClientId, argv: &[Arg]) -> Result<Outcome, Reply> {
    let args = parse_add_trim(argv, true)?;
    let field_pos = args.id_pos + 1;
    let pairs = argv.len().saturating_sub(field_pos);
    if field_pos > argv.len() || pairs < 2 || !pairs.is_multiple_of(2) {
        return Err(wrong_arity("xadd"));
    }
    if let Some((0, SeqPart::Given(0))) = args.id {
        return Err(Reply::error(
            "ERR The ID specified in XADD must be greater than 0-0",
        ));
    }
    let key = &argv[1];
    let now_ms = server.now().as_ms();
    let stream = match server.db.get_mut(key) {
        Some(Value::Stream(s)) => s,
        Some(_) => return Err(wrong_type()),
        None if args.no_mkstream => return Ok(Reply::Nil.into()),
        None => {
            server.db.insert(key, Value::Stream(Default::default()));
            match server.db.get_mut(key) {
                Some(Value::Stream(s)) => s,
                _ => unreachable!("just inserted"),
            }
        }
    };
    if stream.last_id == StreamId::MAX {
        return Err(Reply::error(
            "ERR The stream has exhausted the last possible ID, unable to add more items",
        ));
    }
    let id = match args.id {
        None => stream.next_auto_id(now_ms),
        Some((ms, SeqPart::Auto)) => stream.next_id_in_ms(ms),
        Some((ms, SeqPart::Given(seq))) => Some(StreamId::new(ms, seq)),
    };
    // Shared by the stream and the event. The ID is checked before the
    // size, as `streamAppendItem` does.
    let appended = match (id, Fields::from_flat(&argv[field_pos..])) {
        (Some(id), Some(fields)) => {
            let fields = Rc::new(fields);
            stream.append(id, fields.clone()).map(|()| (id, fields))
        }
        (Some(id), None) if id > stream.last_id => Err(AppendError::TooLarge),
        _ => Err(AppendError::NotGreater),
    };
    let (id, fields) = match appended {
        Ok(appended) => appended,
        Err(AppendError::NotGreater) => {
            return Err(Reply::error(
                "ERR The ID specified in XADD is equal or smaller than the target stream top item",
            ));
        }
        Err(AppendError::TooLarge) => {
            return Err(Reply::error("ERR Elements are too large to be stored"));
        }
    };
    let removed = match args.trim {
        Some(trim) => stream.trim(trim, args.approx, args.limit),
        None => Vec::new(),
    };
    server.emit(Event::EntryAdded {
        key: server.db.name_of(key),
        id,
        fields,
        by: client,
    });
    emit_trimmed(server, key, removed);
    server.signal_ready(key);
    Ok(Reply::Bulk(id.to_bytes()).into())
}

fn emit_trimmed(server: &mut Server, key: &[u8], removed: Vec<StreamId>) {
    if !removed.is_empty() {
        server.emit(Event::StreamTrimmed {
            key: key.into(),
            removed: removed.len() as u64,
            ids: removed,
        });
    }
}

/// The stream at `key` for reading: `Ok(None)` if missing.
pub fn read_stream<'a>(server: &'a Server, key: &[u8]) -> Result<Option<&'a Stream>, Reply> {
    server.db.stream(key).map_err(|_| wrong_type())
}

/// XLEN key
pub fn xlen(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(
        read_stream(server, &argv[1])
            .map(|s| Reply::Integer(s.map_or(0, |s| s.len() as i64)).into()),
    )
}

/// A range bound with an optional `(` for exclusive (Redis's
/// `streamParseIntervalIDOrReply`).
pub fn interval_id(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool), Reply> {
    if arg.len() > 1 && arg[0] == b'(' {
        let id = parse_id(&arg[1..], missing_seq, true, false).ok_or_else(invalid_id)?;
        match id {
            (ms, SeqPart::Given(seq)) => Ok((StreamId::new(ms, seq), true)),
            (_, SeqPart::Auto) => Err(invalid_id()),
        }
    } else {
        Ok((
            parse_range_id(arg, missing_seq).ok_or_else(invalid_id)?,
            false,
        ))
    }
}

/// The start of an interval: exclusive starts move one ID up.
pub fn interval_start(arg: &[u8]) -> Result<StreamId, Reply> {
    let (id, exclusive) = interval_id(arg, 0)?;
    if !exclusive {
        return Ok(id);
    }
    id.next()
        .ok_or_else(|| Reply::error("ERR invalid start ID for the interval"))
}

/// The end of an interval: exclusive ends move one ID down.
pub fn interval_end(arg: &[u8]) -> Result<StreamId, Reply> {
    let (id, exclusive) = interval_id(arg, u64::MAX)?;
    if !exclusive {
        return Ok(id);
    }
    id.prev()
        .ok_or_else(|| Reply::error("ERR invalid end ID for the interval"))
}

/// XRANGE key start end [COUNT count]
pub fn xrange(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(range(server, argv, false))
}

/// XREVRANGE key end start [COUNT count]
pub fn xrevrange(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(range(server, argv, true))
}

fn range(server: &Server, argv: &[Arg], rev: bool) -> Result<Outcome, Reply> {
    let (start_arg, end_arg) = if rev {
        (&argv[3], &argv[2])
    } else {
        (&argv[2], &argv[3])
    };
    let start = interval_start(start_arg)?;
    let end = interval_end(end_arg)?;
    let mut count: Option<usize> = None;
    let mut j = 4;
    while j < argv.len() {
        if is_keyword(&argv[j], "count") && j + 1 < argv.len() {
            count = Some(int_arg(&argv[j + 1], None)?.max(0) as usize);
            j += 2;
        } else {
            return Err(syntax_error());
        }
    }
    let Some(stream) = read_stream(server, &argv[1])? else {
        return Ok(Reply::Array(Vec::new()).into());
    };
    if count == Some(0) {
        return Ok(Reply::NilArray.into());
    }
    let limit = count.unwrap_or(usize::MAX);
    let entries = stream.range_shared(start, end);
    let items: Vec<Reply> = if rev {
        entries
            .rev()
            .take(limit)
            .map(|(id, f)| entry_reply(id, f))
            .collect()
    } else {
        entries
            .take(limit)
            .map(|(id, f)| entry_reply(id, f))
            .collect()
    };
    Ok(Reply::Array(items).into())
}

/// XDEL key id [id …]
pub fn xdel(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xdel_inner(server, argv))
}

fn xdel_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let key = &argv[1];
    let Some(stream) = server.db.stream_mut(key).map_err(|_| wrong_type())? else {
        return Ok(Reply::Integer(0).into());
    };
    let ids = argv[2..]
        .iter()
        .map(|a| strict_id_arg(a))
        .collect::<Result<Vec<_>, _>>()?;
    let deleted: Vec<StreamId> = ids.into_iter().filter(|id| stream.delete(*id)).collect();
    let count = deleted.len() as i64;
    if !deleted.is_empty() {
        server.emit(Event::EntriesDeleted {
            key: key.into(),
            ids: deleted,
        });
    }
    Ok(Reply::Integer(count).into())
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
pub fn xtrim(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xtrim_inner(server, argv))
}

fn xtrim_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let args = parse_add_trim(argv, false)?;
    let key = &argv[1];
    let Some(stream) = server.db.stream_mut(key).map_err(|_| wrong_type())? else {
        return Ok(Reply::Integer(0).into());
    };
    let trim = args.trim.expect("XTRIM parsing requires a strategy");
    let removed = stream.trim(trim, args.approx, args.limit);
    let count = removed.len() as i64;
    emit_trimmed(server, key, removed);
    Ok(Reply::Integer(count).into())
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
pub fn xsetid(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(xsetid_inner(server, argv))
}

fn xsetid_inner(server: &mut Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let id = strict_id_arg(&argv[2])?;
    let mut entries_added: Option<u64> = None;
    let mut max_deleted = StreamId::ZERO;
    let mut i = 3;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        if is_keyword(&argv[i], "entriesadded") && more > 0 {
            let n = int_arg(&argv[i + 1], None)?;
            if n < 0 {
                return Err(Reply::error("ERR entries_added must be positive"));
            }
            entries_added = Some(n as u64);
        } else if is_keyword(&argv[i], "maxdeletedid") && more > 0 {
            max_deleted = strict_id_arg(&argv[i + 1])?;
            if id < max_deleted {
                return Err(Reply::error(
                    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                ));
            }
        } else {
            return Err(syntax_error());
        }
        i += 2;
    }
    let key = &argv[1];
    let Some(stream) = server.db.stream_mut(key).map_err(|_| wrong_type())? else {
        return Err(super::no_such_key());
    };
    if !stream.is_empty() {
        if id < stream.last_valid_id() {
            return Err(Reply::error(
                "ERR The ID specified in XSETID is smaller than the target stream top item",
            ));
        }
        if entries_added.is_some_and(|n| stream.len() > n) {
            return Err(Reply::error(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    stream.last_id = id;
    if let Some(n) = entries_added {
        stream.entries_added = n;
    }
    if max_deleted != StreamId::ZERO {
        stream.max_deleted_entry_id = max_deleted;
    }
    server.emit(Event::StreamIdSet {
        key: key.into(),
        last_id: id,
    });
    Ok(Reply::ok().into())
}
