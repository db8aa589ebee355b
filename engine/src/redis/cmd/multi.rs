//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! Seed 004's exactly-once recipe rests on them: WATCH the message's
//! `done:` key, check it, then MULTI, `SET done:<id> 1 NX`, the effect and
//! XACK, EXEC. EXEC runs the queued commands back to back — no other
//! client's command comes between them — or runs none: when a watched key
//! changed since WATCH (EXEC answers nil) or when a command was refused
//! while queueing (EXECABORT). A command that fails while EXEC runs it
//! (INCR on a word) fails alone: the others still run, as in Redis.

use alloc::vec::Vec;

use super::{Command, Outcome};
use crate::redis::event::{ClientId, Event, TxAbort};
use crate::redis::parse::Arg;
use crate::redis::reply::Reply;
use crate::redis::server::{Multi, Server};

/// The commands that act at once even between MULTI and EXEC (Redis's
/// `processCommand` exceptions; QUIT is not simulated).
const NEVER_QUEUED: &[&str] = &["exec", "discard", "multi", "watch", "reset"];

/// Whether `command` from `client` is queued rather than run: the client
/// is in a transaction and the command is not one that controls it.
pub fn queues(server: &Server, client: ClientId, command: &Command) -> bool {
    server.client(client).is_some_and(|c| c.multi.is_some())
        && !NEVER_QUEUED.contains(&command.name)
}

/// Queues `command` for EXEC and answers QUEUED.
pub fn queue(
    server: &mut Server,
    client: ClientId,
    command: &'static Command,
    argv: &[Arg],
) -> Outcome {
    if let Some(multi) = server.client_mut(client).and_then(|c| c.multi.as_mut()) {
        multi.queued.push((command, argv.to_vec()));
    }
    Reply::status("QUEUED").into()
}

/// A command was refused before it could run (unknown, wrong arity, sent
/// to the wrong node): inside a transaction this dooms EXEC.
pub fn refuse(server: &mut Server, client: ClientId) {
    if let Some(multi) = server.client_mut(client).and_then(|c| c.multi.as_mut()) {
        multi.refused = true;
    }
}

/// MULTI
pub fn multi(server: &mut Server, client: ClientId, _: &[Arg]) -> Outcome {
    let Some(c) = server.client_mut(client) else {
        return Reply::ok().into();
    };
    if c.multi.is_some() {
        return Reply::error("ERR MULTI calls can not be nested").into();
    }
    c.multi = Some(Multi::default());
    Reply::ok().into()
}

/// EXEC
///
/// Blocking commands inside a transaction never wait: they answer as if
/// their timeout had passed, as Redis's do.
pub fn exec(server: &mut Server, client: ClientId, _: &[Arg]) -> Outcome {
    let Some(c) = server.client_mut(client) else {
        return Reply::NilArray.into();
    };
    let Some(multi) = c.multi.take() else {
        return Reply::error("ERR EXEC without MULTI").into();
    };
    let broken = c.watch_broken;
    server.unwatch_all(client);
    let abort = |server: &mut Server, why| {
        server.emit(Event::TransactionAborted { client, why });
    };
    if multi.refused {
        abort(server, TxAbort::Queue);
        return Reply::error("EXECABORT Transaction discarded because of previous errors.").into();
    }
    if broken {
        abort(server, TxAbort::Watch);
        return Reply::NilArray.into();
    }
    let mut replies = Vec::with_capacity(multi.queued.len());
    for (command, argv) in &multi.queued {
        match (command.handler)(server, client, argv) {
            Outcome::Reply(reply) => replies.push(reply),
            Outcome::Replies(more) => replies.extend(more),
            Outcome::Block(_) => replies.push(Reply::NilArray),
        }
    }
    server.emit(Event::TransactionExecuted {
        client,
        commands: multi.queued.len() as u32,
    });
    Reply::Array(replies).into()
}

/// DISCARD
pub fn discard(server: &mut Server, client: ClientId, _: &[Arg]) -> Outcome {
    if !forget(server, client) {
        return Reply::error("ERR DISCARD without MULTI").into();
    }
    server.emit(Event::TransactionAborted {
        client,
        why: TxAbort::Discard,
    });
    Reply::ok().into()
}

/// Drops `client`'s transaction and watches (DISCARD, RESET); whether it
/// was in one.
pub fn forget(server: &mut Server, client: ClientId) -> bool {
    let was = server
        .client_mut(client)
        .and_then(|c| c.multi.take())
        .is_some();
    server.unwatch_all(client);
    was
}

/// WATCH key [key …]
pub fn watch(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    if server.client(client).is_some_and(|c| c.multi.is_some()) {
        return Reply::error("ERR WATCH inside MULTI is not allowed").into();
    }
    for key in &argv[1..] {
        server.watch(client, key);
    }
    Reply::ok().into()
}

/// UNWATCH
pub fn unwatch(server: &mut Server, client: ClientId, _: &[Arg]) -> Outcome {
    server.unwatch_all(client);
    Reply::ok().into()
}

#[cfg(test)]
mod tests {
    use crate::redis::cmd::testing::Sim;
    use crate::redis::event::{Event, TxAbort};

    #[test]
    fn a_watched_key_written_by_another_client_aborts_exec() {
        let mut sim = Sim::new();
        let a = sim.client("a");
        let b = sim.client("b");
        sim.run(a, "WATCH done:1");
        sim.run(b, "SET done:1 1 NX");
        sim.run(a, "MULTI");
        assert_eq!(sim.run(a, "INCR effects"), "QUEUED\n");
        sim.events();
        assert_eq!(sim.run(a, "EXEC"), "(nil)\n");
        assert_eq!(
            sim.events(),
            [Event::TransactionAborted {
                client: a,
                why: TxAbort::Watch
            }]
        );
        assert_eq!(sim.run(a, "GET effects"), "(nil)\n");
    }

    #[test]
    fn group_bookkeeping_does_not_break_a_watch() {
        let mut sim = Sim::new();
        let a = sim.client("a");
        let b = sim.client("b");
        sim.run(a, "XADD s 1-1 f v");
        sim.run(a, "XGROUP CREATE s g 0");
        sim.run(a, "WATCH s");
        sim.run(b, "XREADGROUP GROUP g c STREAMS s >");
        sim.run(b, "XACK s g 1-1");
        sim.run(a, "MULTI");
        sim.run(a, "PING");
        assert_eq!(sim.run(a, "EXEC"), "1) PONG\n");
    }
}
