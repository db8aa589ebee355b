//! Pub/sub: channels, patterns and shard channels, and the shape of the
//! simulated cluster that decides where a published message travels.
//!
//! Like Redis, the server keeps, for every channel (pattern, shard
//! channel), the list of its subscribers in the order they subscribed:
//! that is the order messages reach them. Each client keeps its own side
//! (see [`crate::redis::server::Client`]). Without a cluster there is one node;
//! with one, every node has its own registry, because a subscription lives
//! on the node the client is connected to. PUBLISH then travels to every
//! node over the cluster bus, SPUBLISH only to the nodes of the channel's
//! shard — the difference seed 000 is about.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::redis::db::cluster::Cluster;
use crate::redis::db::glob::string_match;
use crate::redis::event::{Bytes, ClientId, SubscriptionKind};

/// One node's subscriptions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    /// Channel → subscribers, first subscribed first (SUBSCRIBE).
    pub channels: BTreeMap<Bytes, Vec<ClientId>>,
    /// Pattern → subscribers, first subscribed first (PSUBSCRIBE).
    pub patterns: BTreeMap<Bytes, Vec<ClientId>>,
    /// Shard channel → subscribers, first subscribed first (SSUBSCRIBE).
    pub shard_channels: BTreeMap<Bytes, Vec<ClientId>>,
}

impl Registry {
    /// The map holding subscriptions of `kind`.
    pub fn of(&self, kind: SubscriptionKind) -> &BTreeMap<Bytes, Vec<ClientId>> {
        match kind {
            SubscriptionKind::Channel => &self.channels,
            SubscriptionKind::Pattern => &self.patterns,
            SubscriptionKind::Shard => &self.shard_channels,
        }
    }

    fn of_mut(&mut self, kind: SubscriptionKind) -> &mut BTreeMap<Bytes, Vec<ClientId>> {
        match kind {
            SubscriptionKind::Channel => &mut self.channels,
            SubscriptionKind::Pattern => &mut self.patterns,
            SubscriptionKind::Shard => &mut self.shard_channels,
        }
    }
}

/// Who receives a message on one node, in Redis's order: the channel's
/// subscribers, then for each matching pattern its subscribers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// The subscriber.
    pub client: ClientId,
    /// The pattern it matched through (PSUBSCRIBE), if any.
    pub pattern: Option<Bytes>,
}

/// The pub/sub registry of a server or a cluster.
#[derive(Clone, Debug, Default)]
pub struct PubSub {
    cluster: Option<Cluster>,
    nodes: BTreeMap<u16, Registry>,
}

impl PubSub {
    /// A single server: every client is on node 0.
    pub fn new() -> Self {
        PubSub::default()
    }

    /// A cluster of `primaries` primaries with `replicas_per_primary`
    /// replicas each (see [`Cluster::new`] for the limits). Clients say
    /// which node they use with [`crate::redis::Server::connect_to_node`].
    pub fn with_cluster(primaries: u16, replicas_per_primary: u16) -> Result<Self, &'static str> {
        Ok(PubSub {
            cluster: Some(Cluster::new(primaries, replicas_per_primary)?),
            nodes: BTreeMap::new(),
        })
    }

    /// The cluster's shape, if this is a cluster.
    pub fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_ref()
    }

    /// The node a client connected to `node` really talks to: without a
    /// cluster there is only node 0.
    pub fn node_of(&self, node: u16) -> u16 {
        if self.cluster.is_some() { node } else { 0 }
    }

    /// Every node, in order (node 0 alone without a cluster).
    pub fn node_ids(&self) -> core::ops::Range<u16> {
        0..self.cluster.as_ref().map_or(1, Cluster::node_count)
    }

    /// The subscriptions held on `node`, if it has any.
    pub fn registry(&self, node: u16) -> Option<&Registry> {
        self.nodes.get(&node)
    }

    /// The subscribers of `name` (a channel, pattern or shard channel) on
    /// `node`, first subscribed first.
    pub fn subscribers(&self, node: u16, kind: SubscriptionKind, name: &[u8]) -> &[ClientId] {
        self.nodes
            .get(&node)
            .and_then(|r| r.of(kind).get(name))
            .map_or(&[], Vec::as_slice)
    }

    /// The names with subscribers of `kind` on `node`, in byte order.
    pub fn names(&self, node: u16, kind: SubscriptionKind) -> Vec<&Bytes> {
        self.nodes
            .get(&node)
            .map(|r| r.of(kind).keys().collect())
            .unwrap_or_default()
    }

    /// Adds `client` to the subscribers of `name` on `node`. The caller
    /// checked that the client was not subscribed yet.
    pub fn add(&mut self, node: u16, kind: SubscriptionKind, name: &[u8], client: ClientId) {
        let map = self.nodes.entry(node).or_default().of_mut(kind);
        map.entry(name.to_vec()).or_default().push(client);
    }

    /// Removes `client` from the subscribers of `name` on `node`; a name
    /// left without subscribers is forgotten, as in Redis.
    pub fn remove(&mut self, node: u16, kind: SubscriptionKind, name: &[u8], client: ClientId) {
        let Some(map) = self.nodes.get_mut(&node).map(|r| r.of_mut(kind)) else {
            return;
        };
        if let Some(clients) = map.get_mut(name) {
            clients.retain(|c| *c != client);
            if clients.is_empty() {
                map.remove(name);
            }
        }
    }

    /// Who on `node` receives a message published to `channel`: shard
    /// subscribers for SPUBLISH (patterns never apply), otherwise channel
    /// subscribers then pattern subscribers (Redis's
    /// `pubsubPublishMessageInternal`; Redis walks patterns in hash order,
    /// here they go in byte order).
    pub fn recipients(&self, node: u16, channel: &[u8], sharded: bool) -> Vec<Recipient> {
        let Some(registry) = self.nodes.get(&node) else {
            return Vec::new();
        };
        let direct = registry.of(if sharded {
            SubscriptionKind::Shard
        } else {
            SubscriptionKind::Channel
        });
        let mut out: Vec<Recipient> = direct
            .get(channel)
            .into_iter()
            .flatten()
            .map(|&client| Recipient {
                client,
                pattern: None,
            })
            .collect();
        if sharded {
            return out;
        }
        for (pattern, clients) in &registry.patterns {
            if string_match(pattern, channel, false) {
                out.extend(clients.iter().map(|&client| Recipient {
                    client,
                    pattern: Some(pattern.clone()),
                }));
            }
        }
        out
    }

    /// Drops every subscription of a disconnected client.
    pub fn forget_client(&mut self, client: ClientId) {
        for registry in self.nodes.values_mut() {
            for kind in [
                SubscriptionKind::Channel,
                SubscriptionKind::Pattern,
                SubscriptionKind::Shard,
            ] {
                let map = registry.of_mut(kind);
                map.retain(|_, clients| {
                    clients.retain(|c| *c != client);
                    !clients.is_empty()
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubscriptionKind::{Channel, Pattern, Shard};

    fn names(recipients: &[Recipient]) -> Vec<(u32, Option<&[u8]>)> {
        recipients
            .iter()
            .map(|r| (r.client.0, r.pattern.as_deref()))
            .collect()
    }

    #[test]
    fn channel_subscribers_come_first_then_patterns() {
        let mut ps = PubSub::new();
        ps.add(0, Pattern, b"event*", ClientId(1));
        ps.add(0, Channel, b"event1", ClientId(2));
        ps.add(0, Channel, b"event1", ClientId(1));
        ps.add(0, Pattern, b"e?ent1", ClientId(3));
        ps.add(0, Shard, b"event1", ClientId(4));
        let got = ps.recipients(0, b"event1", false);
        assert_eq!(
            names(&got),
            [
                (2, None),
                (1, None),
                (3, Some(&b"e?ent1"[..])),
                (1, Some(&b"event*"[..]))
            ]
        );
        assert_eq!(names(&ps.recipients(0, b"event1", true)), [(4, None)]);
        assert!(ps.recipients(1, b"event1", false).is_empty());
    }

    #[test]
    fn empty_names_are_forgotten() {
        let mut ps = PubSub::new();
        ps.add(0, Channel, b"a", ClientId(1));
        ps.add(0, Channel, b"a", ClientId(2));
        ps.remove(0, Channel, b"a", ClientId(1));
        assert_eq!(ps.subscribers(0, Channel, b"a"), [ClientId(2)]);
        ps.forget_client(ClientId(2));
        assert!(ps.names(0, Channel).is_empty());
        ps.remove(7, Channel, b"a", ClientId(2));
    }

    #[test]
    fn a_single_server_is_node_zero() {
        let ps = PubSub::new();
        assert_eq!(ps.node_of(3), 0);
        assert_eq!(ps.node_ids(), 0..1);
        let cluster = PubSub::with_cluster(3, 1).unwrap();
        assert_eq!(cluster.node_of(3), 3);
        assert_eq!(cluster.node_ids(), 0..6);
        assert!(PubSub::with_cluster(0, 0).is_err());
    }
}
