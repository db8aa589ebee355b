//! Keyspace and connection commands: PING, DEL, EXISTS, TYPE, KEYS,
//! DBSIZE, FLUSHALL, RESET.
//!
//! In a simulated cluster the keyspace is shared, but each node only sees
//! the keys of the slots its shard serves: KEYS, DBSIZE and FLUSHALL act
//! on those, as they would on a real node.

use alloc::vec;
use alloc::vec::Vec;

use super::pubsub::{client_node, unsubscribe_all};
use super::{Outcome, syntax_error, wrong_arity};
use crate::redis::db::Value;
use crate::redis::db::cluster::key_hash_slot;
use crate::redis::db::glob::string_match;
use crate::redis::event::{ClientId, Name, SubscriptionKind};
use crate::redis::parse::{Arg, is_keyword};
use crate::redis::reply::Reply;
use crate::redis::server::{Client, Server};

/// `PING [message]`
///
/// In RESP2's subscribed mode PING answers like a push, `["pong", message]`
/// (message `""` if none), so a subscriber can tell it from a message.
pub fn ping(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    if argv.len() > 2 {
        return wrong_arity("ping").into();
    }
    let subscribed = server.client(client).is_some_and(Client::is_subscribed);
    match (subscribed, argv.get(1)) {
        (true, message) => Reply::Array(vec![
            Reply::bulk("pong"),
            Reply::bulk(message.map_or(&[][..], |m| &m[..])),
        ]),
        (false, None) => Reply::status("PONG"),
        (false, Some(message)) => Reply::bulk(message),
    }
    .into()
}

/// ECHO message
pub fn echo(_: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    Reply::bulk(&argv[1]).into()
}

/// DEL key [key …]
pub fn del(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let deleted = argv[1..]
        .iter()
        .filter(|key| server.delete_key(key))
        .count();
    Reply::Integer(deleted as i64).into()
}

/// EXISTS key [key …]
///
/// A key named twice counts twice, as in Redis.
pub fn exists(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let found = argv[1..]
        .iter()
        .filter(|key| server.db.get(key).is_some())
        .count();
    Reply::Integer(found as i64).into()
}

/// TYPE key
pub fn type_of(server: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    let name = server.db.get(&argv[1]).map_or("none", Value::type_name);
    Reply::status(name).into()
}

/// Whether the client's node holds `key`: always without a cluster,
/// otherwise when the key's slot belongs to the node's shard.
fn node_holds(server: &Server, client: ClientId, key: &[u8]) -> bool {
    match server.pubsub.cluster() {
        None => true,
        Some(cluster) => cluster.holds_slot(client_node(server, client), key_hash_slot(key)),
    }
}

/// The keys the client's node holds, in byte order (Redis walks its hash
/// table, in no stable order).
fn node_keys(server: &Server, client: ClientId) -> Vec<&Name> {
    server
        .db
        .iter()
        .map(|(key, _)| key)
        .filter(|key| node_holds(server, client, key))
        .collect()
}

/// KEYS pattern
///
/// `*` alone lists every key, even the empty one that `*` as a glob does
/// not match (Redis skips matching for it).
pub fn keys(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    let pattern = &argv[1];
    let every = pattern.as_slice() == b"*";
    let found = node_keys(server, client)
        .into_iter()
        .filter(|key| every || string_match(pattern, key, false))
        .map(Reply::bulk)
        .collect();
    Reply::Array(found).into()
}

/// DBSIZE
pub fn dbsize(server: &mut Server, client: ClientId, _: &[Arg]) -> Outcome {
    Reply::Integer(node_keys(server, client).len() as i64).into()
}

/// FLUSHALL [ASYNC|SYNC]
///
/// Deletes every key (the simulation frees memory at once either way).
/// Clients blocked in XREADGROUP on a deleted stream are told, as Redis's
/// `emptyData` does. In a cluster a primary flushes its own slots and a
/// replica refuses, being read-only.
pub fn flushall(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    let valid = match argv.get(1) {
        None => argv.len() == 1,
        Some(mode) => argv.len() == 2 && (is_keyword(mode, "sync") || is_keyword(mode, "async")),
    };
    if !valid {
        return syntax_error().into();
    }
    let Some(cluster) = server.pubsub.cluster() else {
        let streams: Vec<Name> = server
            .db
            .iter()
            .filter(|(_, v)| matches!(v, Value::Stream(_)))
            .map(|(k, _)| k.clone())
            .collect();
        server.flush_db();
        for key in streams {
            server.signal_ready(&key);
        }
        return Reply::ok().into();
    };
    if !cluster.is_primary(client_node(server, client)) {
        return Reply::error("READONLY You can't write against a read only replica.").into();
    }
    let owned: Vec<Name> = node_keys(server, client).into_iter().cloned().collect();
    for key in owned {
        server.delete_key(&key);
    }
    Reply::ok().into()
}

/// RESET
///
/// Returns the connection to its first state; for ackscope that means
/// leaving every channel, shard channel and pattern, silently.
pub fn reset(server: &mut Server, client: ClientId, _: &[Arg]) -> Outcome {
    for kind in [
        SubscriptionKind::Channel,
        SubscriptionKind::Shard,
        SubscriptionKind::Pattern,
    ] {
        unsubscribe_all(server, client, kind);
    }
    super::multi::forget(server, client);
    Reply::status("RESET").into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis::cmd::testing::{Sim, b};
    use crate::redis::event::Event;

    #[test]
    fn deletions_are_recorded() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        sim.run(c, "RPUSH a 1");
        sim.run(c, "RPUSH b 1");
        sim.events();
        assert_eq!(sim.run(c, "DEL a a x"), "(integer) 1\n");
        assert_eq!(sim.events(), [Event::KeyDeleted { key: b("a").into() }]);
        assert_eq!(sim.run(c, "FLUSHALL"), "OK\n");
        assert_eq!(sim.events(), [Event::Flushed]);
        assert_eq!(sim.run(c, "DBSIZE"), "(integer) 0\n");
    }

    #[test]
    fn reset_leaves_every_subscription_silently() {
        let mut sim = Sim::new();
        let c = sim.client("c");
        sim.run(c, "SUBSCRIBE a");
        sim.run(c, "SSUBSCRIBE s");
        sim.run(c, "PSUBSCRIBE p*");
        sim.events();
        assert_eq!(sim.run(c, "RESET"), "RESET\n");
        let kinds: Vec<SubscriptionKind> = sim
            .events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Unsubscribed { kind, .. } => Some(kind),
                _ => None,
            })
            .collect();
        assert_eq!(
            kinds,
            [
                SubscriptionKind::Channel,
                SubscriptionKind::Shard,
                SubscriptionKind::Pattern
            ]
        );
        assert_eq!(sim.run(c, "PING"), "PONG\n");
    }

    #[test]
    fn cluster_nodes_see_only_their_shards_keys() {
        // "b" is in slot 3300 (node 0, replica 4), "c" in 7365 (node 1).
        let mut sim = Sim::cluster(3, 1);
        let (n0, n1, r4) = (
            sim.client_on("n0", 0),
            sim.client_on("n1", 1),
            sim.client_on("r4", 4),
        );
        sim.run(n0, "RPUSH b 1");
        sim.run(n1, "RPUSH c 1");
        assert_eq!(sim.run(n0, "KEYS *"), "1) \"b\"\n");
        assert_eq!(sim.run(r4, "DBSIZE"), "(integer) 1\n");
        assert_eq!(
            sim.run(r4, "FLUSHALL"),
            "(error) READONLY You can't write against a read only replica.\n"
        );
        assert_eq!(sim.run(n1, "FLUSHALL ASYNC"), "OK\n");
        assert_eq!(sim.run(n1, "DBSIZE"), "(integer) 0\n");
        assert_eq!(sim.run(n0, "EXISTS b"), "(integer) 1\n");
    }
}
