//! Strings: SET (with NX, XX, GET, EX, PX, EXAT, PXAT, KEEPTTL), GET,
//! SETNX, SETEX, PSETEX, GETDEL, APPEND, STRLEN, MGET, MSET, INCR, DECR,
//! INCRBY, DECRBY.
//!
//! In the labs strings are the consumer's side of exactly-once: a
//! `done:<id>` flag written with `SET … NX` and an effect counter moved by
//! INCR, both inside the transaction that acknowledges the message.

use alloc::vec::Vec;

use super::expire::{Clock, deadline, expire_at};
use super::{Outcome, int_arg, not_an_integer, settle, syntax_error, wrong_arity, wrong_type};
use crate::redis::db::Value;
use crate::redis::event::{Bytes, ClientId, Event};
use crate::redis::parse::{Arg, is_keyword, parse_i64};
use crate::redis::reply::Reply;
use crate::redis::server::Server;

/// The string at `key`: `Ok(None)` if missing, WRONGTYPE for another type.
fn string_at<'a>(server: &'a Server, key: &[u8]) -> Result<Option<&'a Bytes>, Reply> {
    server.db.string(key).map_err(|_| wrong_type())
}

/// Writes the string `value` at `key` as Redis's `setKey` does: whatever
/// was there is replaced (a list or stream is deleted first, so the trace
/// says it went), and its deadline goes too unless `keep_ttl`.
pub fn set_string(server: &mut Server, client: ClientId, key: &[u8], value: Bytes, keep_ttl: bool) {
    let kept = server.db.expiry(key).filter(|_| keep_ttl);
    match server.db.get(key) {
        Some(Value::String(_)) | None => {}
        Some(_) => {
            server.delete_key(key);
        }
    }
    if kept.is_none() && server.db.persist(key) {
        server.emit(Event::ExpirySet {
            key: key.into(),
            at: None,
        });
    }
    server.db.insert(key.to_vec(), Value::String(value.clone()));
    if let Some(at) = kept {
        server.db.set_expiry(key, at);
    }
    server.emit(Event::StringSet {
        key: key.into(),
        value,
        by: client,
    });
}

/// SET's options, as Redis 7.0's `parseExtendedStringArgumentsOrReply`
/// accepts them: each at most once, NX against XX, one expiry form, and
/// KEEPTTL against any expiry.
#[derive(Default)]
struct SetOptions<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keep_ttl: bool,
    /// The expiry argument and its form.
    expire: Option<(&'a [u8], Clock)>,
}

fn parse_set_options(argv: &[Arg]) -> Result<SetOptions<'_>, Reply> {
    let mut o = SetOptions::default();
    let mut j = 3;
    while j < argv.len() {
        let opt = argv[j].as_slice();
        let next = argv.get(j + 1).map(|a| &a[..]);
        let expiry_form = [
            ("ex", Clock::InSeconds),
            ("px", Clock::InMillis),
            ("exat", Clock::AtSeconds),
            ("pxat", Clock::AtMillis),
        ]
        .into_iter()
        .find(|(name, _)| is_keyword(opt, name));
        match (expiry_form, next) {
            _ if is_keyword(opt, "nx") && !o.xx => o.nx = true,
            _ if is_keyword(opt, "xx") && !o.nx => o.xx = true,
            _ if is_keyword(opt, "get") => o.get = true,
            _ if is_keyword(opt, "keepttl") && o.expire.is_none() => o.keep_ttl = true,
            (Some((_, clock)), Some(value)) if !o.keep_ttl && o.expire.is_none() => {
                o.expire = Some((value, clock));
                j += 1;
            }
            _ => return Err(syntax_error()),
        }
        j += 1;
    }
    Ok(o)
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]`
pub fn set(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(set_inner(server, client, argv))
}

fn set_inner(server: &mut Server, client: ClientId, argv: &[Arg]) -> Result<Outcome, Reply> {
    let o = parse_set_options(argv)?;
    let at = match o.expire {
        Some((arg, clock)) => Some(deadline(server.now(), arg, clock, "set")?),
        None => None,
    };
    let key = &argv[1];
    let old = if o.get {
        Some(string_at(server, key)?.cloned())
    } else {
        None
    };
    let found = server.db.get(key).is_some();
    let answer = |set: bool| match &old {
        Some(value) => value.as_ref().map_or(Reply::Nil, Reply::bulk),
        None if set => Reply::ok(),
        None => Reply::Nil,
    };
    if (o.nx && found) || (o.xx && !found) {
        return Ok(answer(false).into());
    }
    set_string(server, client, key, argv[2].to_vec(), o.keep_ttl);
    if let Some(at) = at {
        expire_at(server, key, at);
    }
    Ok(answer(true).into())
}

/// GET key
pub fn get(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    match string_at(server, &argv[1]) {
        Ok(value) => value.map_or(Reply::Nil, Reply::bulk),
        Err(e) => e,
    }
    .into()
}

/// SETNX key value: SET … NX answering 1 or 0.
pub fn setnx(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    if server.db.get(&argv[1]).is_some() {
        return Reply::Integer(0).into();
    }
    set_string(server, client, &argv[1], argv[2].to_vec(), false);
    Reply::Integer(1).into()
}

/// SETEX key seconds value
pub fn setex(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    set_with_expiry(server, client, argv, Clock::InSeconds, "setex")
}

/// PSETEX key milliseconds value
pub fn psetex(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    set_with_expiry(server, client, argv, Clock::InMillis, "psetex")
}

fn set_with_expiry(
    server: &mut Server,
    client: ClientId,
    argv: &[Arg],
    clock: Clock,
    name: &str,
) -> Outcome {
    let at = match deadline(server.now(), &argv[2], clock, name) {
        Ok(at) => at,
        Err(e) => return e.into(),
    };
    set_string(server, client, &argv[1], argv[3].to_vec(), false);
    expire_at(server, &argv[1], at);
    Reply::ok().into()
}

/// GETDEL key
pub fn getdel(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let value = match string_at(server, &argv[1]) {
        Ok(value) => value.cloned(),
        Err(e) => return e.into(),
    };
    if value.is_some() {
        server.delete_key(&argv[1]);
    }
    value.map_or(Reply::Nil, Reply::Bulk).into()
}

/// APPEND key value: creates the key if missing; keeps its deadline.
pub fn append(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    let mut value = match string_at(server, &argv[1]) {
        Ok(value) => value.cloned().unwrap_or_default(),
        Err(e) => return e.into(),
    };
    value.extend_from_slice(&argv[2]);
    let len = value.len();
    set_string(server, client, &argv[1], value, true);
    Reply::Integer(len as i64).into()
}

/// STRLEN key
pub fn strlen(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    match string_at(server, &argv[1]) {
        Ok(value) => Reply::Integer(value.map_or(0, Vec::len) as i64),
        Err(e) => e,
    }
    .into()
}

/// MGET key [key …]: nil for a missing key and for one of another type.
pub fn mget(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let values = argv[1..]
        .iter()
        .map(|key| match server.db.get(key) {
            Some(Value::String(s)) => Reply::bulk(s),
            _ => Reply::Nil,
        })
        .collect();
    Reply::Array(values).into()
}

/// MSET key value [key value …]
pub fn mset(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    if argv.len().is_multiple_of(2) {
        return wrong_arity("mset").into();
    }
    for pair in argv[1..].chunks_exact(2) {
        set_string(server, client, &pair[0], pair[1].to_vec(), false);
    }
    Reply::ok().into()
}

/// INCR key
pub fn incr(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(incr_by(server, client, &argv[1], 1))
}

/// DECR key
pub fn decr(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(incr_by(server, client, &argv[1], -1))
}

/// INCRBY key increment
pub fn incrby(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(int_arg(&argv[2], None).and_then(|by| incr_by(server, client, &argv[1], by)))
}

/// DECRBY key decrement
pub fn decrby(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    settle(int_arg(&argv[2], None).and_then(|by| {
        let by = by
            .checked_neg()
            .ok_or_else(|| Reply::error("ERR decrement would overflow"))?;
        incr_by(server, client, &argv[1], by)
    }))
}

/// Adds `by` to the integer at `key` (0 if missing), keeping its
/// deadline. The value must be an integer as Redis's `string2ll` reads
/// one: no sign `+`, no leading zero, no space.
fn incr_by(server: &mut Server, client: ClientId, key: &[u8], by: i64) -> Result<Outcome, Reply> {
    let current = match string_at(server, key)? {
        Some(value) => parse_i64(value).ok_or_else(not_an_integer)?,
        None => 0,
    };
    let value = current
        .checked_add(by)
        .ok_or_else(|| Reply::error("ERR increment or decrement would overflow"))?;
    let text = alloc::format!("{value}").into_bytes();
    set_string(server, client, key, text, true);
    Ok(Reply::Integer(value).into())
}

#[cfg(test)]
mod tests {
    use crate::redis::cmd::testing::{Sim, b};
    use crate::redis::event::Event;

    #[test]
    fn set_nx_and_incr_are_recorded_with_their_values() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        assert_eq!(sim.run(c, "SET done:1 1 NX"), "OK\n");
        assert_eq!(sim.run(c, "SET done:1 1 NX"), "(nil)\n");
        assert_eq!(sim.run(c, "INCR effects"), "(integer) 1\n");
        assert_eq!(
            sim.events(),
            [
                Event::StringSet {
                    key: b("done:1").into(),
                    value: b("1"),
                    by: c
                },
                Event::StringSet {
                    key: b("effects").into(),
                    value: b("1"),
                    by: c
                },
            ]
        );
    }

    #[test]
    fn overwriting_a_list_deletes_it_first() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        sim.run(c, "RPUSH k a");
        sim.events();
        sim.run(c, "SET k v");
        assert_eq!(sim.events()[0], Event::KeyDeleted { key: b("k").into() });
    }
}
