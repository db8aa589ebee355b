//! Pub/sub commands: PUBLISH and SPUBLISH, the (P|S)SUBSCRIBE and
//! (P|S)UNSUBSCRIBE families, and PUBSUB's introspection.
//!
//! Pub/sub is fire-and-forget: a message reaches whoever is subscribed at
//! that instant and is then gone; PUBLISH answers how many received it on
//! this node, and nothing is stored. Messages are pushed to subscribers as
//! RESP2 arrays (`message`, `pmessage`, `smessage`). Subscription
//! confirmations carry the client's count of subscriptions: channels plus
//! patterns, or shard channels alone for the S- commands.

use alloc::vec;
use alloc::vec::Vec;

use super::{Outcome, help_reply, subcommand_syntax_error};
use crate::redis::db::glob::string_match;
use crate::redis::event::{Bytes, ClientId, Event, Name, SubscriptionKind};
use crate::redis::parse::Arg;
use crate::redis::pubsub::Recipient;
use crate::redis::reply::Reply;
use crate::redis::server::{Client, Server};

use SubscriptionKind::{Channel, Pattern, Shard};

/// The node client `id` talks to (0 without a cluster).
pub(crate) fn client_node(server: &Server, id: ClientId) -> u16 {
    server
        .client(id)
        .map_or(0, |c| server.pubsub.node_of(c.node))
}

/// The words of the confirmations of one kind: (subscribe, unsubscribe).
fn words(kind: SubscriptionKind) -> (&'static str, &'static str) {
    match kind {
        Channel => ("subscribe", "unsubscribe"),
        Pattern => ("psubscribe", "punsubscribe"),
        Shard => ("ssubscribe", "sunsubscribe"),
    }
}

/// A confirmation: `[word, name or nil, count]`.
fn confirmation(word: &str, name: Reply, count: usize) -> Reply {
    Reply::Array(vec![Reply::bulk(word), name, Reply::Integer(count as i64)])
}

/// The count a confirmation of `kind` carries (Redis's
/// `clientSubscriptionsCount` / `clientShardSubscriptionsCount`).
fn subscription_count(client: &Client, kind: SubscriptionKind) -> usize {
    match kind {
        Shard => client.shard_channels.len(),
        Channel | Pattern => client.channels.len() + client.patterns.len(),
    }
}

/// Adds `name` to the client's own subscriptions; false if it was there.
fn client_add(client: &mut Client, kind: SubscriptionKind, name: &[u8]) -> bool {
    match kind {
        Channel => client.channels.insert(name.to_vec()),
        Shard => client.shard_channels.insert(name.to_vec()),
        Pattern if client.patterns.iter().any(|p| p == name) => false,
        Pattern => {
            client.patterns.push(name.to_vec());
            true
        }
    }
}

/// Removes `name` from the client's own subscriptions; false if absent.
fn client_remove(client: &mut Client, kind: SubscriptionKind, name: &[u8]) -> bool {
    match kind {
        Channel => client.channels.remove(name),
        Shard => client.shard_channels.remove(name),
        Pattern => match client.patterns.iter().position(|p| p == name) {
            Some(i) => {
                client.patterns.remove(i);
                true
            }
            None => false,
        },
    }
}

/// The client's subscriptions of one kind, in the order Redis walks them
/// when unsubscribing from all (patterns in subscription order; channels
/// in byte order, where Redis uses its hash order).
fn client_names(client: &Client, kind: SubscriptionKind) -> Vec<Bytes> {
    match kind {
        Channel => client.channels.iter().cloned().collect(),
        Shard => client.shard_channels.iter().cloned().collect(),
        Pattern => client.patterns.clone(),
    }
}

/// SUBSCRIBE channel [channel …]
pub fn subscribe(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    subscribe_names(server, client, &argv[1..], Channel)
}

/// PSUBSCRIBE pattern [pattern …]
pub fn psubscribe(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    subscribe_names(server, client, &argv[1..], Pattern)
}

/// SSUBSCRIBE shardchannel [shardchannel …]
pub fn ssubscribe(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    subscribe_names(server, client, &argv[1..], Shard)
}

/// Subscribes to each name in turn, one confirmation per name (a name
/// given twice is confirmed twice but counted once).
fn subscribe_names(
    server: &mut Server,
    id: ClientId,
    names: &[Arg],
    kind: SubscriptionKind,
) -> Outcome {
    Outcome::Replies(
        names
            .iter()
            .filter_map(|name| change(server, id, kind, name, true))
            .collect(),
    )
}

/// UNSUBSCRIBE [channel …]
pub fn unsubscribe(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    Outcome::Replies(unsubscribe_names(server, client, &argv[1..], Channel))
}

/// PUNSUBSCRIBE [pattern …]
pub fn punsubscribe(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    Outcome::Replies(unsubscribe_names(server, client, &argv[1..], Pattern))
}

/// SUNSUBSCRIBE [shardchannel …]
pub fn sunsubscribe(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    Outcome::Replies(unsubscribe_names(server, client, &argv[1..], Shard))
}

/// Unsubscribes from each name (one confirmation each, subscribed or not),
/// or from everything of `kind` when no name is given.
fn unsubscribe_names(
    server: &mut Server,
    id: ClientId,
    names: &[Arg],
    kind: SubscriptionKind,
) -> Vec<Reply> {
    if names.is_empty() {
        return unsubscribe_all(server, id, kind);
    }
    names
        .iter()
        .filter_map(|name| change(server, id, kind, name, false))
        .collect()
}

/// Unsubscribes from every subscription of `kind`; with none, one
/// confirmation with a nil name still answers (Redis's
/// `pubsubUnsubscribeAllChannelsInternal`).
pub(crate) fn unsubscribe_all(
    server: &mut Server,
    id: ClientId,
    kind: SubscriptionKind,
) -> Vec<Reply> {
    let Some(client) = server.client(id) else {
        return Vec::new();
    };
    let names = client_names(client, kind);
    if names.is_empty() {
        let count = subscription_count(client, kind);
        return vec![confirmation(words(kind).1, Reply::Nil, count)];
    }
    names
        .iter()
        .filter_map(|name| change(server, id, kind, name, false))
        .collect()
}

/// Subscribes client `id` to `name` (or unsubscribes it), on both sides:
/// the client's own set and its node's registry. Answers the confirmation,
/// which Redis sends whether anything changed or not.
fn change(
    server: &mut Server,
    id: ClientId,
    kind: SubscriptionKind,
    name: &[u8],
    subscribing: bool,
) -> Option<Reply> {
    let node = client_node(server, id);
    let client = server.client_mut(id)?;
    let changed = if subscribing {
        client_add(client, kind, name)
    } else {
        client_remove(client, kind, name)
    };
    let count = subscription_count(client, kind);
    let (subscribe_word, unsubscribe_word) = words(kind);
    if changed {
        let (client, name) = (id, Name::from(name));
        let event = if subscribing {
            server.pubsub.add(node, kind, &name, id);
            Event::Subscribed { client, kind, name }
        } else {
            server.pubsub.remove(node, kind, &name, id);
            Event::Unsubscribed { client, kind, name }
        };
        server.emit(event);
    }
    let word = if subscribing {
        subscribe_word
    } else {
        unsubscribe_word
    };
    Some(confirmation(word, Reply::bulk(name), count))
}

/// PUBLISH channel message
pub fn publish(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    publish_message(server, client, &argv[1], &argv[2], false).into()
}

/// SPUBLISH shardchannel message
pub fn spublish(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    publish_message(server, client, &argv[1], &argv[2], true).into()
}

/// Delivers a message on the publisher's node, then forwards it over the
/// cluster bus: to every other node for PUBLISH, to the other nodes of
/// the shard for SPUBLISH (Redis's `clusterPropagatePublish`). The reply
/// counts the receivers on the publisher's node only, as in Redis.
fn publish_message(
    server: &mut Server,
    by: ClientId,
    channel: &[u8],
    message: &[u8],
    sharded: bool,
) -> Reply {
    let origin = client_node(server, by);
    let local = server.pubsub.recipients(origin, channel, sharded);
    let receivers = local.len();
    server.emit(Event::Published {
        channel: channel.into(),
        message: message.to_vec(),
        by,
        node: origin,
        sharded,
        receivers: receivers as u64,
    });
    deliver(server, local, channel, message, sharded);
    for node in forward_targets(server, origin, sharded) {
        server.emit(Event::ClusterForwarded {
            channel: channel.into(),
            from_node: origin,
            to_node: node,
            sharded,
        });
        let recipients = server.pubsub.recipients(node, channel, sharded);
        deliver(server, recipients, channel, message, sharded);
    }
    Reply::Integer(receivers as i64)
}

/// The nodes a message published on `origin` travels to, in node order.
fn forward_targets(server: &Server, origin: u16, sharded: bool) -> Vec<u16> {
    let Some(cluster) = server.pubsub.cluster() else {
        return Vec::new();
    };
    let nodes = if sharded {
        cluster.shard_nodes(origin)
    } else {
        (0..cluster.node_count()).collect()
    };
    nodes.into_iter().filter(|&n| n != origin).collect()
}

/// Pushes the message to each recipient and records each delivery.
fn deliver(
    server: &mut Server,
    recipients: Vec<Recipient>,
    channel: &[u8],
    message: &[u8],
    sharded: bool,
) {
    for Recipient { client, pattern } in recipients {
        let push = match (&pattern, sharded) {
            (Some(p), _) => vec![
                Reply::bulk("pmessage"),
                Reply::bulk(p),
                Reply::bulk(channel),
                Reply::bulk(message),
            ],
            (None, true) => vec![
                Reply::bulk("smessage"),
                Reply::bulk(channel),
                Reply::bulk(message),
            ],
            (None, false) => vec![
                Reply::bulk("message"),
                Reply::bulk(channel),
                Reply::bulk(message),
            ],
        };
        server.reply(client, Reply::Array(push));
        server.emit(Event::MessageDelivered {
            channel: channel.into(),
            message: message.to_vec(),
            to: client,
            pattern: pattern.map(Name::from),
            sharded,
        });
    }
}

/// `PUBSUB CHANNELS [pattern]`
pub fn pubsub_channels(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    active_names(server, client, argv, Channel)
}

/// `PUBSUB SHARDCHANNELS [pattern]`
pub fn pubsub_shardchannels(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    active_names(server, client, argv, Shard)
}

/// The channels with subscribers on the client's node, filtered by the
/// glob `argv[2]` if given (the empty channel matches no pattern).
fn active_names(
    server: &Server,
    client: ClientId,
    argv: &[Arg],
    kind: SubscriptionKind,
) -> Outcome {
    if argv.len() > 3 {
        return subcommand_syntax_error(argv).into();
    }
    let pattern = argv.get(2);
    let names = server
        .pubsub
        .names(client_node(server, client), kind)
        .into_iter()
        .filter(|name| pattern.is_none_or(|p| string_match(p, name, false)))
        .map(Reply::bulk)
        .collect();
    Reply::Array(names).into()
}

/// PUBSUB NUMSUB [channel …]
pub fn pubsub_numsub(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    subscriber_counts(server, client, &argv[2..], Channel)
}

/// PUBSUB SHARDNUMSUB [shardchannel …]
pub fn pubsub_shardnumsub(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    subscriber_counts(server, client, &argv[2..], Shard)
}

/// `[name, count, …]` for each name, patterns not included.
fn subscriber_counts(
    server: &Server,
    client: ClientId,
    names: &[Arg],
    kind: SubscriptionKind,
) -> Outcome {
    let node = client_node(server, client);
    let items = names
        .iter()
        .flat_map(|name| {
            let count = server.pubsub.subscribers(node, kind, name).len();
            [Reply::bulk(name), Reply::Integer(count as i64)]
        })
        .collect();
    Reply::Array(items).into()
}

/// PUBSUB NUMPAT
pub fn pubsub_numpat(server: &mut Server, client: ClientId, _: &[Arg]) -> Outcome {
    let node = client_node(server, client);
    Reply::Integer(server.pubsub.names(node, Pattern).len() as i64).into()
}

/// PUBSUB HELP
pub fn pubsub_help(_: &mut Server, _: ClientId, argv: &[Arg]) -> Outcome {
    help_reply(
        argv,
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis::cmd::testing::{Sim, b};

    fn published(channel: &str, by: ClientId, sharded: bool, receivers: u64) -> Event {
        published_on(channel, by, 0, sharded, receivers)
    }

    fn published_on(
        channel: &str,
        by: ClientId,
        node: u16,
        sharded: bool,
        receivers: u64,
    ) -> Event {
        Event::Published {
            channel: b(channel).into(),
            message: b("m"),
            by,
            node,
            sharded,
            receivers,
        }
    }

    fn delivered(channel: &str, to: ClientId, pattern: Option<&str>, sharded: bool) -> Event {
        Event::MessageDelivered {
            channel: b(channel).into(),
            message: b("m"),
            to,
            pattern: pattern.map(|p| b(p).into()),
            sharded,
        }
    }

    fn forwarded(from_node: u16, to_node: u16, sharded: bool) -> Event {
        Event::ClusterForwarded {
            channel: b("ch1").into(),
            from_node,
            to_node,
            sharded,
        }
    }

    #[test]
    fn a_message_nobody_listens_to_is_lost() {
        let mut sim = Sim::new();
        let p = sim.client("p");
        assert_eq!(sim.run(p, "PUBLISH news m"), "(integer) 0\n");
        assert_eq!(sim.events(), [published("news", p, false, 0)]);
    }

    #[test]
    fn subscriptions_are_recorded_once_and_delivered_in_order() {
        let mut sim = Sim::new();
        let (s, p) = (sim.client("s"), sim.client("p"));
        sim.run(s, "SUBSCRIBE news news");
        sim.run(s, "PSUBSCRIBE n*");
        let subscribed = |kind, name| Event::Subscribed {
            client: s,
            kind,
            name: b(name).into(),
        };
        assert_eq!(
            sim.events(),
            [subscribed(Channel, "news"), subscribed(Pattern, "n*")]
        );
        assert_eq!(sim.run(p, "PUBLISH news m"), "(integer) 2\n");
        assert_eq!(
            sim.events(),
            [
                published("news", p, false, 2),
                delivered("news", s, None, false),
                delivered("news", s, Some("n*"), false),
            ]
        );
        assert_eq!(
            sim.replies(s),
            "1) \"message\"\n2) \"news\"\n3) \"m\"\n\
             1) \"pmessage\"\n2) \"n*\"\n3) \"news\"\n4) \"m\"\n"
        );
        assert_eq!(
            sim.run(s, "PUNSUBSCRIBE"),
            "1) \"punsubscribe\"\n2) \"n*\"\n3) (integer) 1\n"
        );
        assert_eq!(
            sim.events(),
            [Event::Unsubscribed {
                client: s,
                kind: Pattern,
                name: b("n*").into(),
            }]
        );
    }

    #[test]
    fn patterns_are_left_in_the_order_they_were_subscribed() {
        let mut sim = Sim::new();
        let s = sim.client("s");
        sim.run(s, "PSUBSCRIBE z* a* m*");
        let out = sim.run(s, "PUNSUBSCRIBE");
        let order: Vec<&str> = out.lines().skip(1).step_by(3).collect();
        assert_eq!(order, ["2) \"z*\"", "2) \"a*\"", "2) \"m*\""]);
    }

    #[test]
    fn a_disconnected_subscriber_receives_nothing() {
        let mut sim = Sim::new();
        let (s, p) = (sim.client("s"), sim.client("p"));
        sim.run(s, "SUBSCRIBE news");
        sim.run(s, "SSUBSCRIBE news");
        sim.server.disconnect(s);
        assert_eq!(sim.run(p, "PUBLISH news m"), "(integer) 0\n");
        assert_eq!(
            sim.run(p, "PUBSUB SHARDNUMSUB news"),
            "1) \"news\"\n2) (integer) 0\n"
        );
    }

    #[test]
    fn publish_crosses_every_node_and_spublish_stays_in_the_shard() {
        // Three primaries, one replica each: ch1 (slot 9930) lives on
        // node 1, whose replica is node 5.
        let mut sim = Sim::cluster(3, 1);
        let (p0, s1, s5) = (
            sim.client_on("p0", 0),
            sim.client_on("s1", 1),
            sim.client_on("s5", 5),
        );
        sim.run(s1, "SUBSCRIBE ch1");
        sim.run(s5, "SSUBSCRIBE ch1");
        sim.events();
        assert_eq!(sim.run(p0, "PUBLISH ch1 m"), "(integer) 0\n");
        let mut expected = alloc::vec![published("ch1", p0, false, 0)];
        for node in 1..6 {
            expected.push(forwarded(0, node, false));
            if node == 1 {
                expected.push(delivered("ch1", s1, None, false));
            }
        }
        assert_eq!(sim.events(), expected);
        assert_eq!(
            sim.run(p0, "SPUBLISH ch1 m"),
            "(error) MOVED 9930 127.0.0.1:7001\n"
        );
        let p1 = sim.client_on("p1", 1);
        sim.events();
        assert_eq!(sim.run(p1, "SPUBLISH ch1 m"), "(integer) 0\n");
        assert_eq!(
            sim.events(),
            [
                published_on("ch1", p1, 1, true, 0),
                forwarded(1, 5, true),
                delivered("ch1", s5, None, true),
            ]
        );
    }

    #[test]
    fn cluster_checks_come_before_the_subscribed_mode_check() {
        let mut sim = Sim::cluster(3, 0);
        let s = sim.client_on("s", 0);
        sim.run(s, "SUBSCRIBE x");
        // "c" hashes to slot 7365, on node 1; "b" to 3300, on node 0.
        assert_eq!(
            sim.run(s, "LPUSH c v"),
            "(error) MOVED 7365 127.0.0.1:7001\n"
        );
        assert!(
            sim.run(s, "LPUSH b v")
                .starts_with("(error) ERR Can't execute 'lpush'")
        );
        assert_eq!(
            sim.run(s, "SSUBSCRIBE b c"),
            "(error) CROSSSLOT Keys in request don't hash to the same slot\n"
        );
        assert_eq!(
            sim.run(s, "SSUBSCRIBE b b"),
            "1) \"ssubscribe\"\n2) \"b\"\n3) (integer) 1\n1) \"ssubscribe\"\n2) \"b\"\n3) (integer) 1\n"
        );
    }

    #[test]
    fn blocking_keys_exclude_the_timeout() {
        let mut sim = Sim::cluster(3, 0);
        let c = sim.client_on("c", 0);
        // The timeout "c" would hash to node 1 if it were taken for a key.
        assert_eq!(sim.run(c, "RPUSH b v"), "(integer) 1\n");
        assert_eq!(sim.run(c, "BLPOP b 5"), "1) \"b\"\n2) \"v\"\n");
        assert_eq!(
            sim.run(c, "BLPOP b c 0"),
            "(error) CROSSSLOT Keys in request don't hash to the same slot\n"
        );
    }
}
