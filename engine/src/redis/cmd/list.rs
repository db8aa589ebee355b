//! List commands: a list as a message queue (seed 000). Producers push at
//! one end (LPUSH, RPUSH, and the X variants that only touch an existing
//! list), consumers pop at the other (LPOP, RPOP), move values between
//! lists (LMOVE, RPOPLPUSH: a reliable or circular queue), or wait for a
//! value instead of polling (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH).
//!
//! As in Redis, a list never exists empty: popping its last value deletes
//! the key, and pushing to a missing key creates it — which is what wakes
//! the clients blocked on it, served first blocked first.

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

use super::{
    BlockKind, BlockSpec, Outcome, int_arg, settle, syntax_error, wrong_arity, wrong_type,
};
use crate::redis::event::{Bytes, ClientId, End, Event, UnblockReason};
use crate::redis::parse::{Arg, is_keyword, parse_float};
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::time::{SimDuration, SimTime};

/// The list at `key` for reading: `Ok(None)` if missing, WRONGTYPE if it
/// holds something else.
fn list_at<'a>(server: &'a Server, key: &[u8]) -> Result<Option<&'a VecDeque<Bytes>>, Reply> {
    server.db.list(key).map_err(|_| wrong_type())
}

/// LPUSH key element [element …]
pub fn lpush(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(push(server, client, argv, End::Left, false))
}

/// RPUSH key element [element …]
pub fn rpush(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(push(server, client, argv, End::Right, false))
}

/// LPUSHX key element [element …]
pub fn lpushx(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(push(server, client, argv, End::Left, true))
}

/// RPUSHX key element [element …]
pub fn rpushx(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(push(server, client, argv, End::Right, true))
}

/// Pushes every element in turn (so LPUSH reverses them); `only_existing`
/// is the X variants, which answer 0 for a missing key (seed 000: append
/// only to timelines that are already cached).
fn push(
    server: &mut Server,
    client: ClientId,
    argv: &[Arg],
    end: End,
    only_existing: bool,
) -> Result<Outcome, Reply> {
    let key = &argv[1];
    if list_at(server, key)?.is_none() && only_existing {
        return Ok(Reply::Integer(0).into());
    }
    let values: Vec<Bytes> = argv[2..].iter().map(|v| v.to_vec()).collect();
    let len = push_values(server, key, end, &values);
    server.emit(Event::ListPushed {
        key: key.into(),
        end,
        values,
        by: client,
    });
    Ok(Reply::Integer(len as i64).into())
}

/// Pushes `values` at `end` of the list at `key`, creating it if missing
/// (and then, like Redis's `dbAdd`, signalling clients blocked on it).
/// The caller checked the key holds no other type. Returns the new length.
fn push_values(server: &mut Server, key: &[u8], end: End, values: &[Bytes]) -> usize {
    if server.db.get(key).is_none() {
        server
            .db
            .insert(key.to_vec(), crate::redis::db::Value::List(VecDeque::new()));
        server.signal_ready(key);
    }
    let Ok(Some(list)) = server.db.list_mut(key) else {
        return 0;
    };
    for value in values {
        match end {
            End::Left => list.push_front(value.clone()),
            End::Right => list.push_back(value.clone()),
        }
    }
    list.len()
}

/// Pops up to `count` values from `end` of the list at `key` for
/// `client`, recording each, and deletes the key once it is empty.
fn pop_values(
    server: &mut Server,
    client: ClientId,
    key: &[u8],
    end: End,
    count: usize,
) -> Vec<Bytes> {
    let Ok(Some(list)) = server.db.list_mut(key) else {
        return Vec::new();
    };
    let n = count.min(list.len());
    let values: Vec<Bytes> = (0..n)
        .filter_map(|_| match end {
            End::Left => list.pop_front(),
            End::Right => list.pop_back(),
        })
        .collect();
    let emptied = list.is_empty();
    for value in &values {
        server.emit(Event::ListPopped {
            key: key.into(),
            end,
            value: value.clone(),
            by: client,
        });
    }
    if emptied {
        server.delete_key(key);
    }
    values
}

/// `LPOP key [count]`
pub fn lpop(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(pop(server, client, argv, End::Left))
}

/// `RPOP key [count]`
pub fn rpop(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(pop(server, client, argv, End::Right))
}

/// Without a count: one value or nil. With one (Redis 6.2+): an array of
/// up to `count` values, nil (a null array) for a missing key, and an
/// empty array for a count of 0 on an existing list.
fn pop(server: &mut Server, client: ClientId, argv: &[Arg], end: End) -> Result<Outcome, Reply> {
    if argv.len() > 3 {
        return Err(wrong_arity(match end {
            End::Left => "lpop",
            End::Right => "rpop",
        }));
    }
    let count = match argv.get(2) {
        Some(arg) => Some(positive_arg(arg)?),
        None => None,
    };
    let key = &argv[1];
    if list_at(server, key)?.is_none() {
        return Ok(match count {
            Some(_) => Reply::NilArray,
            None => Reply::Nil,
        }
        .into());
    }
    Ok(match count {
        None => pop_values(server, client, key, end, 1)
            .into_iter()
            .next()
            .map_or(Reply::Nil, Reply::Bulk),
        Some(n) => Reply::Array(
            pop_values(server, client, key, end, n)
                .into_iter()
                .map(Reply::Bulk)
                .collect(),
        ),
    }
    .into())
}

/// Redis's `getPositiveLongFromObjectOrReply`: one message for both a
/// non-integer and a negative value.
fn positive_arg(arg: &[u8]) -> Result<usize, Reply> {
    const MESSAGE: &str = "value is out of range, must be positive";
    let n = int_arg(arg, Some(MESSAGE))?;
    usize::try_from(n).map_err(|_| super::error_parts(&[b"ERR ", MESSAGE.as_bytes()]))
}

/// LLEN key
pub fn llen(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(
        list_at(server, &argv[1]).map(|l| Reply::Integer(l.map_or(0, |l| l.len() as i64)).into()),
    )
}

/// LRANGE key start stop
pub fn lrange(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(lrange_inner(server, argv))
}

fn lrange_inner(server: &Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    let start = int_arg(&argv[2], None)?;
    let stop = int_arg(&argv[3], None)?;
    let Some(list) = list_at(server, &argv[1])? else {
        return Ok(Reply::Array(Vec::new()).into());
    };
    let items = match index_range(list.len(), start, stop) {
        Some((first, last)) => list.range(first..=last).map(Reply::bulk).collect(),
        None => Vec::new(),
    };
    Ok(Reply::Array(items).into())
}

/// The inclusive index range `start..=stop` of a list of `len` values,
/// negative indexes counting from the tail, clamped like Redis's
/// `addListRangeReply`; `None` when empty.
fn index_range(len: usize, start: i64, stop: i64) -> Option<(usize, usize)> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let from_tail = |i: i64| if i < 0 { len + i } else { i };
    let start = from_tail(start).max(0);
    let stop = from_tail(stop);
    if start > stop || start >= len {
        return None;
    }
    Some((start as usize, stop.min(len - 1) as usize))
}

/// LINDEX key index
pub fn lindex(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(lindex_inner(server, argv))
}

fn lindex_inner(server: &Server, argv: &[Arg]) -> Result<Outcome, Reply> {
    // Redis looks the key up before it parses the index.
    let Some(list) = list_at(server, &argv[1])? else {
        return Ok(Reply::Nil.into());
    };
    let index = int_arg(&argv[2], None)?;
    let position = if index < 0 {
        i64::try_from(list.len()).ok().map(|len| len + index)
    } else {
        Some(index)
    };
    let value = position
        .and_then(|p| usize::try_from(p).ok())
        .and_then(|p| list.get(p));
    Ok(value.map_or(Reply::Nil, Reply::bulk).into())
}

/// LREM key count element
///
/// Removes the first `count` copies of `element` from the head (all of
/// them for 0, from the tail for a negative count). A reliable queue's
/// worker uses it to clear an item from its processing list once the work
/// is done (seed 000).
pub fn lrem(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(lrem_inner(server, client, argv))
}

fn lrem_inner(server: &mut Server, client: ClientId, argv: &[Arg]) -> Result<Outcome, Reply> {
    // Redis parses the count before it looks the key up.
    let count = int_arg(&argv[2], None)?;
    let (key, value) = (&argv[1], &argv[3]);
    if list_at(server, key)?.is_none() {
        return Ok(Reply::Integer(0).into());
    }
    let Ok(Some(list)) = server.db.list_mut(key) else {
        return Ok(Reply::Integer(0).into());
    };
    let limit = match count.unsigned_abs() {
        0 => usize::MAX,
        n => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let mut removed = 0;
    let mut keep = |v: &Bytes| {
        let drop = removed < limit && v[..] == value[..];
        removed += usize::from(drop);
        !drop
    };
    let kept: VecDeque<Bytes> = if count < 0 {
        let mut kept: Vec<Bytes> = list.iter().rev().filter(|v| keep(v)).cloned().collect();
        kept.reverse();
        kept.into()
    } else {
        list.iter().filter(|v| keep(v)).cloned().collect()
    };
    *list = kept;
    let emptied = list.is_empty();
    if removed > 0 {
        server.emit(Event::ListRemoved {
            key: key.into(),
            value: value.to_vec(),
            count: removed as u64,
            by: client,
        });
    }
    if emptied {
        server.delete_key(key);
    }
    Ok(Reply::Integer(removed as i64).into())
}

/// One LMOVE: the value leaves `from` of `src` and enters `to` of `dst`.
#[derive(Clone, Copy, Debug)]
struct Move<'a> {
    src: &'a [u8],
    dst: &'a [u8],
    from: End,
    to: End,
}

impl<'a> Move<'a> {
    /// The move LMOVE-like `argv` asks for: source and destination at
    /// `argv[1]` and `argv[2]`.
    fn of(argv: &'a [Arg], from: End, to: End) -> Self {
        Move {
            src: &argv[1],
            dst: &argv[2],
            from,
            to,
        }
    }
}

/// `LEFT` or `RIGHT`, any case.
fn end_arg(arg: &[u8]) -> Result<End, Reply> {
    if is_keyword(arg, "right") {
        Ok(End::Right)
    } else if is_keyword(arg, "left") {
        Ok(End::Left)
    } else {
        Err(syntax_error())
    }
}

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
pub fn lmove(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(lmove_inner(server, client, argv))
}

fn lmove_inner(server: &mut Server, client: ClientId, argv: &[Arg]) -> Result<Outcome, Reply> {
    let from = end_arg(&argv[3])?;
    let to = end_arg(&argv[4])?;
    move_value(server, client, Move::of(argv, from, to))
}

/// RPOPLPUSH source destination
pub fn rpoplpush(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(move_value(
        server,
        client,
        Move::of(argv, End::Right, End::Left),
    ))
}

/// LMOVE's work: nil for a missing source; WRONGTYPE for either key
/// holding something else (the source checked first).
fn move_value(server: &mut Server, client: ClientId, mv: Move<'_>) -> Result<Outcome, Reply> {
    if list_at(server, mv.src)?.is_none() {
        return Ok(Reply::Nil.into());
    }
    list_at(server, mv.dst)?;
    let moved = move_one(server, client, mv);
    Ok(moved.map_or(Reply::Nil, Reply::Bulk).into())
}

/// Pops from `from` of `src` and pushes at `to` of `dst` (created if
/// missing), then deletes `src` if it is empty. With `src == dst` the value
/// goes round: the list is never empty in between, as in Redis. Both keys
/// were checked to hold lists (or nothing, for `dst`).
fn move_one(server: &mut Server, client: ClientId, mv: Move<'_>) -> Option<Bytes> {
    let Move { src, dst, from, to } = mv;
    let list = server.db.list_mut(src).ok()??;
    let value = match from {
        End::Left => list.pop_front(),
        End::Right => list.pop_back(),
    }?;
    push_values(server, dst, to, core::slice::from_ref(&value));
    server.emit(Event::ListMoved {
        from: src.into(),
        from_end: from,
        to: dst.into(),
        to_end: to,
        value: value.clone(),
        by: client,
    });
    if server
        .db
        .list(src)
        .ok()
        .flatten()
        .is_some_and(VecDeque::is_empty)
    {
        server.delete_key(src);
    }
    Some(value)
}

/// A blocking command's timeout in seconds (Redis's
/// `getTimeoutFromObjectOrReply` with UNIT_SECONDS): a float, rounded up
/// to whole milliseconds; 0 waits forever (so does a tiny negative value
/// that rounds up to 0). Returns the deadline.
fn timeout_arg(server: &Server, arg: &[u8]) -> Result<Option<SimTime>, Reply> {
    let seconds = parse_float(arg)
        .ok_or_else(|| Reply::error("ERR timeout is not a float or out of range"))?;
    let ms = ceil(seconds * 1000.0);
    // C's conversion to `long long` gives LLONG_MIN on x86 for values out
    // of range (and infinities): those are "negative".
    let ms =
        if ms.is_finite() && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&ms) {
            ms as i64
        } else {
            i64::MIN
        };
    if ms < 0 {
        return Err(Reply::error("ERR timeout is negative"));
    }
    Ok((ms > 0).then(|| server.now() + SimDuration::from_ms(ms as u64)))
}

/// `f64::ceil`, which `core` lacks.
fn ceil(x: f64) -> f64 {
    // From 2^52 up every f64 is an integer; NaN and infinities stay.
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x;
    }
    let truncated = x as i64 as f64;
    if truncated < x {
        truncated + 1.0
    } else {
        truncated
    }
}

/// BLPOP key [key …] timeout
pub fn blpop(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(blocking_pop(server, client, argv, End::Left))
}

/// BRPOP key [key …] timeout
pub fn brpop(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(blocking_pop(server, client, argv, End::Right))
}

/// Pops from the first non-empty list among the keys, answering
/// `[key, value]` (the key, because one client may wait on several
/// queues); if all are missing, waits on all of them.
fn blocking_pop(
    server: &mut Server,
    client: ClientId,
    argv: &[Arg],
    end: End,
) -> Result<Outcome, Reply> {
    let Some((timeout, keys)) = argv[1..].split_last() else {
        return Err(syntax_error());
    };
    let timeout_at = timeout_arg(server, timeout)?;
    for key in keys {
        if list_at(server, key)?.is_none() {
            continue;
        }
        if let Some(value) = pop_values(server, client, key, end, 1).into_iter().next() {
            return Ok(Reply::Array(vec![Reply::bulk(key), Reply::Bulk(value)]).into());
        }
    }
    Ok(Outcome::Block(BlockSpec {
        keys: keys.iter().map(|k| server.db.name_of(k)).collect(),
        timeout_at,
        kind: BlockKind::List {
            from: end,
            to: None,
        },
    }))
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
pub fn blmove(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(blmove_inner(server, client, argv))
}

fn blmove_inner(server: &mut Server, client: ClientId, argv: &[Arg]) -> Result<Outcome, Reply> {
    let from = end_arg(&argv[3])?;
    let to = end_arg(&argv[4])?;
    let timeout_at = timeout_arg(server, &argv[5])?;
    blocking_move(server, client, Move::of(argv, from, to), timeout_at)
}

/// BRPOPLPUSH source destination timeout
pub fn brpoplpush(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(timeout_arg(server, &argv[3]).and_then(|timeout_at| {
        blocking_move(
            server,
            client,
            Move::of(argv, End::Right, End::Left),
            timeout_at,
        )
    }))
}

/// LMOVE at once if the source exists, otherwise a wait on the source.
fn blocking_move(
    server: &mut Server,
    client: ClientId,
    mv: Move<'_>,
    timeout_at: Option<SimTime>,
) -> Result<Outcome, Reply> {
    if list_at(server, mv.src)?.is_some() {
        return move_value(server, client, mv);
    }
    Ok(Outcome::Block(BlockSpec {
        keys: vec![server.db.name_of(mv.src)],
        timeout_at,
        kind: BlockKind::List {
            from: mv.from,
            to: Some((mv.dst.to_vec(), mv.to)),
        },
    }))
}

/// Serves client `id`, blocked in BLPOP/BRPOP/BLMOVE/BRPOPLPUSH, after
/// `key` (a list) was written (Redis's `serveClientBlockedOnList`). The
/// server calls it for each waiting client in the order they blocked while
/// the key still holds a list, so the list running dry ends the round.
pub fn serve_blocked(server: &mut Server, id: ClientId, key: &[u8], kind: &BlockKind) {
    let BlockKind::List { from, to } = kind else {
        return;
    };
    match to {
        None => {
            if let Some(value) = pop_values(server, id, key, *from, 1).into_iter().next() {
                let reply = Reply::Array(vec![Reply::bulk(key), Reply::Bulk(value)]);
                server.unblock(id, reply, UnblockReason::Served);
            }
        }
        // A destination of the wrong type fails this client and leaves
        // the value for the next one.
        Some((dst, _)) if server.db.list(dst).is_err() => {
            server.unblock(id, wrong_type(), UnblockReason::Error);
        }
        Some((dst, to)) => {
            let mv = Move {
                src: key,
                dst,
                from: *from,
                to: *to,
            };
            if let Some(value) = move_one(server, id, mv) {
                server.unblock(id, Reply::Bulk(value), UnblockReason::Served);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis::cmd::testing::{Sim, b};
    use alloc::string::String;

    #[test]
    fn index_ranges_clamp_like_redis() {
        let cases = [
            (5, 0, -1, Some((0, 4))),
            (5, -100, 100, Some((0, 4))),
            (5, 2, 1, None),
            (5, -2, -1, Some((3, 4))),
            (5, 5, 10, None),
            (5, 4, 4, Some((4, 4))),
            (5, 0, -6, None),
            (5, i64::MIN, i64::MAX, Some((0, 4))),
            (0, 0, -1, None),
        ];
        for (len, start, stop, expected) in cases {
            assert_eq!(
                index_range(len, start, stop),
                expected,
                "{len} {start} {stop}"
            );
        }
    }

    fn check_timeout(arg: &str, expected: Result<Option<u64>, &str>) {
        let server = Server::new(SimTime(1000));
        let got = timeout_arg(&server, arg.as_bytes())
            .map(|deadline| deadline.map(|t| t.0 - 1000))
            .map_err(|e| e.to_cli_text());
        let expected = expected.map_err(|e| alloc::format!("(error) ERR {e}\n"));
        assert_eq!(got, expected, "{arg}");
    }

    /// The errors as redis-server 7.0.15 gives them; the accepted forms
    /// checked by popping from a non-empty list with that timeout.
    #[test]
    fn timeouts_are_seconds_rounded_up_to_milliseconds() {
        const NOT_A_FLOAT: &str = "timeout is not a float or out of range";
        const NEGATIVE: &str = "timeout is negative";
        let cases: &[(&str, Result<Option<u64>, &str>)] = &[
            ("0", Ok(None)),
            ("1", Ok(Some(1000))),
            ("1.5", Ok(Some(1500))),
            ("0.0001", Ok(Some(1))),
            ("1e-3", Ok(Some(1))),
            (".5", Ok(Some(500))),
            ("5.", Ok(Some(5000))),
            ("+1", Ok(Some(1000))),
            ("0x10", Ok(Some(16000))),
            ("-0.0001", Ok(None)),
            ("-0", Ok(None)),
            ("-1", Err(NEGATIVE)),
            ("inf", Err(NEGATIVE)),
            ("-inf", Err(NEGATIVE)),
            ("1e400", Err(NEGATIVE)),
            ("9.3e15", Err(NEGATIVE)),
            ("x", Err(NOT_A_FLOAT)),
            ("nan", Err(NOT_A_FLOAT)),
            (" 1", Err(NOT_A_FLOAT)),
            ("1e", Err(NOT_A_FLOAT)),
        ];
        for &(arg, expected) in cases {
            check_timeout(arg, expected);
        }
    }

    #[test]
    fn ceil_rounds_towards_positive_infinity() {
        for (x, expected) in [
            (0.1, 1.0),
            (-0.1, 0.0),
            (2.0, 2.0),
            (-2.5, -2.0),
            (1e300, 1e300),
        ] {
            assert_eq!(ceil(x), expected, "{x}");
        }
        assert!(ceil(f64::NAN).is_nan());
    }

    fn pushed(key: &str, end: End, values: &[&str], by: ClientId) -> Event {
        Event::ListPushed {
            key: b(key).into(),
            end,
            values: values.iter().map(|v| b(v)).collect(),
            by,
        }
    }

    fn popped(key: &str, end: End, value: &str, by: ClientId) -> Event {
        Event::ListPopped {
            key: b(key).into(),
            end,
            value: b(value),
            by,
        }
    }

    #[test]
    fn pushes_and_pops_are_recorded_and_empty_lists_deleted() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        assert_eq!(sim.run(c, "LPUSHX q a"), "(integer) 0\n");
        assert_eq!(sim.run(c, "RPUSH q a b"), "(integer) 2\n");
        assert_eq!(sim.run(c, "LPOP q 5"), "1) \"a\"\n2) \"b\"\n");
        assert_eq!(
            sim.events(),
            [
                pushed("q", End::Right, &["a", "b"], c),
                popped("q", End::Left, "a", c),
                popped("q", End::Left, "b", c),
                Event::KeyDeleted { key: b("q").into() },
            ]
        );
        assert!(sim.server.db.is_empty());
    }

    #[test]
    fn a_list_moved_onto_itself_rotates_and_survives() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        sim.run(c, "RPUSH one x");
        sim.events();
        assert_eq!(sim.run(c, "RPOPLPUSH one one"), "\"x\"\n");
        assert_eq!(
            sim.events(),
            [Event::ListMoved {
                from: b("one").into(),
                from_end: End::Right,
                to: b("one").into(),
                to_end: End::Left,
                value: b("x"),
                by: c,
            }]
        );
        assert_eq!(sim.run(c, "LRANGE one 0 -1"), "1) \"x\"\n");
    }

    #[test]
    fn a_push_serves_the_first_blocked_client_and_wakes_the_next_queue() {
        let mut sim = Sim::new();
        let (mover, waiter, producer) = (sim.client("m"), sim.client("w"), sim.client("p"));
        assert_eq!(sim.run(mover, "BLMOVE jobs done LEFT RIGHT 0"), "");
        assert_eq!(sim.run(waiter, "BLPOP done 0"), "");
        sim.events();
        assert_eq!(sim.run(producer, "LPUSH jobs j1"), "(integer) 1\n");
        assert_eq!(sim.replies(mover), "\"j1\"\n");
        assert_eq!(sim.replies(waiter), "1) \"done\"\n2) \"j1\"\n");
        let served = |client| Event::ClientUnblocked {
            client,
            reason: UnblockReason::Served,
        };
        assert_eq!(
            sim.events(),
            [
                pushed("jobs", End::Left, &["j1"], producer),
                Event::ListMoved {
                    from: b("jobs").into(),
                    from_end: End::Left,
                    to: b("done").into(),
                    to_end: End::Right,
                    value: b("j1"),
                    by: mover,
                },
                Event::KeyDeleted {
                    key: b("jobs").into()
                },
                served(mover),
                popped("done", End::Left, "j1", waiter),
                Event::KeyDeleted {
                    key: b("done").into()
                },
                served(waiter),
            ]
        );
    }

    #[test]
    fn a_disconnected_waiter_is_skipped() {
        let mut sim = Sim::new();
        let (gone, next, producer) = (sim.client("g"), sim.client("n"), sim.client("p"));
        sim.run(gone, "BRPOP q 0");
        sim.run(next, "BRPOP q 0");
        sim.server.disconnect(gone);
        sim.run(producer, "RPUSH q v");
        assert_eq!(sim.replies(next), "1) \"q\"\n2) \"v\"\n");
    }

    #[test]
    fn blocked_clients_time_out_strictly_after_their_deadline() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        let start = sim.server.now();
        assert_eq!(sim.run(c, "BLPOP q 0.0005"), "");
        sim.server.advance_to(start + SimDuration::from_ms(1));
        assert_eq!(sim.replies(c), String::new());
        sim.server.advance_to(start + SimDuration::from_ms(2));
        assert_eq!(sim.replies(c), "(nil)\n");
    }
}
