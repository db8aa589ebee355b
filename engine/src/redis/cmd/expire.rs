//! Deadlines: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX, XX, GT, LT),
//! TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
//!
//! Deadlines are simulated unix milliseconds, so a key expires at a
//! moment of the run, the same in every replay. A key is gone once the
//! clock is past its deadline (the server removes due keys before every
//! command: see `Server::execute`); a deadline already reached when it is
//! set deletes the key at once, as Redis's `checkAlreadyExpired` does.

use super::{Outcome, c_str, error_parts, int_arg, settle};
use crate::redis::event::{ClientId, Event};
use crate::redis::parse::{Arg, is_keyword};
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::time::SimTime;

/// How a command states a deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Seconds from now (EX, EXPIRE, SETEX).
    InSeconds,
    /// Milliseconds from now (PX, PEXPIRE, PSETEX).
    InMillis,
    /// A unix time in seconds (EXAT, EXPIREAT).
    AtSeconds,
    /// A unix time in milliseconds (PXAT, PEXPIREAT).
    AtMillis,
}

impl Clock {
    fn seconds(self) -> bool {
        matches!(self, Clock::InSeconds | Clock::AtSeconds)
    }

    fn relative(self) -> bool {
        matches!(self, Clock::InSeconds | Clock::InMillis)
    }
}

/// `ERR invalid expire time in '<command>' command`.
fn invalid_expire(command: &str) -> Reply {
    error_parts(&[
        b"ERR invalid expire time in '",
        command.as_bytes(),
        b"' command",
    ])
}

/// The deadline SET's EX/PX/EXAT/PXAT, SETEX and PSETEX mean (Redis's
/// `getExpireMillisecondsOrReply`): a positive integer that overflows
/// nothing once turned into unix milliseconds.
pub fn deadline(now: SimTime, arg: &[u8], clock: Clock, command: &str) -> Result<SimTime, Reply> {
    let n = int_arg(arg, None)?;
    if n <= 0 || (clock.seconds() && n > i64::MAX / 1000) {
        return Err(invalid_expire(command));
    }
    let ms = if clock.seconds() { n * 1000 } else { n };
    let base = if clock.relative() { now.as_ms() } else { 0 };
    match i128::from(ms) + i128::from(base) {
        at if at <= i128::from(i64::MAX) => Ok(SimTime(at as u64)),
        _ => Err(invalid_expire(command)),
    }
}

/// Gives the existing `key` the deadline `at`, recording it (EXPIRE, and
/// SET's EX and friends).
pub fn expire_at(server: &mut Server, key: &[u8], at: SimTime) {
    server.db.set_expiry(key, at);
    server.emit(Event::ExpirySet {
        key: key.into(),
        at: Some(at.as_ms()),
    });
}

/// EXPIRE key seconds [NX|XX|GT|LT]
pub fn expire(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(expire_generic(server, argv, Clock::InSeconds, "expire"))
}

/// PEXPIRE key milliseconds [NX|XX|GT|LT]
pub fn pexpire(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(expire_generic(server, argv, Clock::InMillis, "pexpire"))
}

/// EXPIREAT key unix-seconds [NX|XX|GT|LT]
pub fn expireat(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(expire_generic(server, argv, Clock::AtSeconds, "expireat"))
}

/// PEXPIREAT key unix-milliseconds [NX|XX|GT|LT]
pub fn pexpireat(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    settle(expire_generic(server, argv, Clock::AtMillis, "pexpireat"))
}

/// Which of NX, XX, GT, LT were given.
#[derive(Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_conditions(argv: &[Arg]) -> Result<Conditions, Reply> {
    let mut c = Conditions::default();
    for opt in argv.iter().skip(3) {
        let flag = match () {
            _ if is_keyword(opt, "nx") => &mut c.nx,
            _ if is_keyword(opt, "xx") => &mut c.xx,
            _ if is_keyword(opt, "gt") => &mut c.gt,
            _ if is_keyword(opt, "lt") => &mut c.lt,
            _ => return Err(error_parts(&[b"ERR Unsupported option ", c_str(opt)])),
        };
        *flag = true;
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        return Err(Reply::error(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if c.gt && c.lt {
        return Err(Reply::error(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    Ok(c)
}

/// Redis 7.0's `expireGenericCommand`: options first, then the number
/// (negative allowed: it deletes the key), then the key.
fn expire_generic(
    server: &mut Server,
    argv: &[Arg],
    clock: Clock,
    name: &str,
) -> Result<Outcome, Reply> {
    let c = parse_conditions(argv)?;
    let n = int_arg(&argv[2], None)?;
    // Wide arithmetic: Redis refuses what overflows a `long long` on the
    // way to unix milliseconds, and a clock advanced by hand may be huge.
    let scale = if clock.seconds() { 1000 } else { 1 };
    let base = if clock.relative() {
        i128::from(server.now().as_ms())
    } else {
        0
    };
    let when = i128::from(n) * scale + base;
    let max = i128::from(i64::MAX);
    if i128::from(n) * scale > max || i128::from(n) * scale < i128::from(i64::MIN) || when > max {
        return Err(invalid_expire(name));
    }
    let when = when as i64;
    let key = &argv[1];
    if server.db.get(key).is_none() {
        return Ok(Reply::Integer(0).into());
    }
    // A key without a deadline counts as never expiring for GT and LT.
    let current = server.db.expiry(key).map(|t| t.as_ms() as i64);
    let refused = (c.nx && current.is_some())
        || (c.xx && current.is_none())
        || (c.gt && current.is_none_or(|now| when <= now))
        || (c.lt && current.is_some_and(|now| when >= now));
    if refused {
        return Ok(Reply::Integer(0).into());
    }
    if i128::from(when) <= i128::from(server.now().as_ms()) {
        server.delete_key(key);
    } else {
        expire_at(server, key, SimTime(when as u64));
    }
    Ok(Reply::Integer(1).into())
}

/// The key's deadline: `Err(-2)` if there is no key, `Err(-1)` if it
/// never expires.
fn deadline_of(server: &Server, key: &[u8]) -> Result<u64, i64> {
    if server.db.get(key).is_none() {
        return Err(-2);
    }
    server.db.expiry(key).map(SimTime::as_ms).ok_or(-1)
}

/// TTL key: seconds left, rounded to the nearest.
pub fn ttl(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let left = deadline_of(server, &argv[1])
        .map(|at| (at.saturating_sub(server.now().as_ms()) as i64 + 500) / 1000);
    Reply::Integer(left.unwrap_or_else(|code| code)).into()
}

/// PTTL key: milliseconds left.
pub fn pttl(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let left =
        deadline_of(server, &argv[1]).map(|at| at.saturating_sub(server.now().as_ms()) as i64);
    Reply::Integer(left.unwrap_or_else(|code| code)).into()
}

/// EXPIRETIME key: the deadline as unix seconds.
pub fn expiretime(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let at = deadline_of(server, &argv[1]).map(|at| (at / 1000) as i64);
    Reply::Integer(at.unwrap_or_else(|code| code)).into()
}

/// PEXPIRETIME key: the deadline as unix milliseconds.
pub fn pexpiretime(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let at = deadline_of(server, &argv[1]).map(|at| at as i64);
    Reply::Integer(at.unwrap_or_else(|code| code)).into()
}

/// PERSIST key
pub fn persist(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let key = &argv[1];
    if server.db.get(key).is_none() || !server.db.persist(key) {
        return Reply::Integer(0).into();
    }
    server.emit(Event::ExpirySet {
        key: key.into(),
        at: None,
    });
    Reply::Integer(1).into()
}

#[cfg(test)]
mod tests {
    use crate::redis::cmd::testing::{Sim, b};
    use crate::redis::event::Event;
    use crate::time::SimDuration;

    #[test]
    fn a_key_expires_once_the_clock_is_past_its_deadline() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        sim.run(c, "SET k v PX 100");
        let set_at = sim.server.now();
        sim.server.advance_to(set_at + SimDuration::from_ms(100));
        assert_eq!(sim.run(c, "PTTL k"), "(integer) 0\n");
        sim.events();
        sim.server.advance_to(set_at + SimDuration::from_ms(101));
        assert_eq!(sim.events(), [Event::KeyExpired { key: b("k").into() }]);
        assert_eq!(sim.run(c, "GET k"), "(nil)\n");
    }

    #[test]
    fn ttl_rounds_to_the_nearest_second() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        sim.run(c, "SET k v PX 1499");
        assert_eq!(sim.run(c, "TTL k"), "(integer) 1\n");
        sim.run(c, "PEXPIRE k 1500");
        assert_eq!(sim.run(c, "TTL k"), "(integer) 2\n");
    }
}
