//! The simulated Redis Cluster as the Compare lab draws it: each node with
//! its address, its shard (primary, replica), the slots its shard serves
//! and who is subscribed there; how many messages PUBLISH and SPUBLISH put
//! on the cluster bus so far; and, for the latest of each, how many
//! subscribers it reached on which node. Read from the world and the
//! trace; the page computes none of it.

use alloc::string::String;
use alloc::vec::Vec;

use crate::redis::db::cluster::{Cluster, key_hash_slot};
use crate::redis::event::{Event, SubscriptionKind};
use crate::scenario::{Source, Target};
use crate::sim::trace::What;
use crate::sim::{Events, World};

/// One node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    /// Its index (0 is 127.0.0.1:7000).
    pub node: u16,
    /// Its address, as MOVED prints it.
    pub address: String,
    /// It is a primary (else a replica of `shard`'s primary).
    pub primary: bool,
    /// Its shard's primary.
    pub shard: u16,
    /// The slots its shard serves, first and last.
    pub slots: (u16, u16),
    /// Channel subscriptions on it: (channel, subscribers).
    pub channels: Vec<(String, usize)>,
    /// Pattern subscriptions on it.
    pub patterns: Vec<(String, usize)>,
    /// Shard-channel subscriptions on it.
    pub shard_channels: Vec<(String, usize)>,
}

/// One PUBLISH or SPUBLISH and where it went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishView {
    /// The channel.
    pub channel: String,
    /// SPUBLISH.
    pub sharded: bool,
    /// The node it was published on.
    pub node: u16,
    /// Messages it put on the cluster bus.
    pub bus: u64,
    /// Subscribers it reached, per node (nodes that reached none left out).
    pub reached: Vec<(u16, u64)>,
    /// Milliseconds since the start.
    pub at_ms: u64,
}

/// What a name is in the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HomeKind {
    /// A key (a list, a stream…): it lives on the primary serving its slot.
    Key,
    /// A shard channel: SSUBSCRIBE and SPUBLISH go to its slot's shard.
    ShardChannel,
    /// A channel: PUBLISH works on any node and reaches every node.
    Channel,
}

/// Where a key or channel lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Home {
    /// The key or channel.
    pub name: String,
    /// What it is.
    pub kind: HomeKind,
    /// Its hash slot (none for a channel: PUBLISH ignores slots).
    pub slot: Option<u16>,
    /// The primary serving that slot (none for a channel).
    pub node: Option<u16>,
}

/// The cluster at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterView {
    /// Every node, primaries first.
    pub nodes: Vec<NodeView>,
    /// The scenario's keys and channels, then any other key there is now,
    /// each with its slot and the node that owns it.
    pub homes: Vec<Home>,
    /// Messages PUBLISH put on the bus so far.
    pub bus_publish: u64,
    /// Messages SPUBLISH put on the bus so far.
    pub bus_spublish: u64,
    /// The latest PUBLISH, if any.
    pub last_publish: Option<PublishView>,
    /// The latest SPUBLISH, if any.
    pub last_spublish: Option<PublishView>,
}

impl World {
    /// The cluster now, if this lane runs a Redis Cluster; `events` is the
    /// trace so far (every lane's: this lane's are picked out).
    pub fn cluster_view(&self, events: Events<'_>) -> Option<ClusterView> {
        let server = self.server()?;
        let cluster = server.pubsub.cluster()?;
        let counted = |registry: Option<&crate::redis::pubsub::Registry>, kind| {
            registry
                .map(|r| {
                    r.of(kind)
                        .iter()
                        .filter(|(_, clients)| !clients.is_empty())
                        .map(|(name, clients)| {
                            (String::from_utf8_lossy(name).into_owned(), clients.len())
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let nodes = (0..cluster.node_count())
            .map(|node| {
                let shard = cluster.primary_of(node);
                let registry = server.pubsub.registry(node);
                NodeView {
                    node,
                    address: cluster.address(node),
                    primary: cluster.is_primary(node),
                    shard,
                    slots: cluster.slot_range(shard).unwrap_or_default(),
                    channels: counted(registry, SubscriptionKind::Channel),
                    patterns: counted(registry, SubscriptionKind::Pattern),
                    shard_channels: counted(registry, SubscriptionKind::Shard),
                }
            })
            .collect();
        let mut view = ClusterView {
            nodes,
            homes: self.homes(cluster),
            bus_publish: 0,
            bus_spublish: 0,
            last_publish: None,
            last_spublish: None,
        };
        let mut current: Option<(u32, PublishView)> = None;
        let finish = |view: &mut ClusterView, p: Option<(u32, PublishView)>| {
            if let Some((_, p)) = p {
                if p.sharded {
                    view.last_spublish = Some(p);
                } else {
                    view.last_publish = Some(p);
                }
            }
        };
        for e in events.iter().filter(|e| e.lane == self.lane()) {
            match &*e.what {
                What::Redis(Event::Published {
                    channel,
                    node,
                    sharded,
                    ..
                }) => {
                    finish(&mut view, current.take());
                    current = Some((
                        e.action,
                        PublishView {
                            channel: String::from_utf8_lossy(channel).into_owned(),
                            sharded: *sharded,
                            node: *node,
                            bus: 0,
                            reached: Vec::new(),
                            at_ms: e.at.since_start().as_ms(),
                        },
                    ));
                }
                // Each message on the bus is an event of its own.
                What::Redis(Event::ClusterForwarded { sharded, .. }) => {
                    if *sharded {
                        view.bus_spublish += 1;
                    } else {
                        view.bus_publish += 1;
                    }
                    if let Some((action, p)) = &mut current
                        && *action == e.action
                    {
                        p.bus += 1;
                    }
                }
                What::Redis(Event::MessageDelivered { to, .. }) => {
                    if let Some((action, p)) = &mut current
                        && *action == e.action
                    {
                        let node = server.client(*to).map_or(p.node, |c| c.node);
                        match p.reached.iter_mut().find(|(n, _)| *n == node) {
                            Some((_, count)) => *count += 1,
                            None => p.reached.push((node, 1)),
                        }
                    }
                }
                _ => {}
            }
        }
        finish(&mut view, current.take());
        for p in [&mut view.last_publish, &mut view.last_spublish]
            .into_iter()
            .flatten()
        {
            p.reached.sort_unstable();
        }
        Some(view)
    }

    /// Every key and channel the scenario names (producers' targets,
    /// services' sources), then the keys the keyspace holds besides, each
    /// once.
    fn homes(&self, cluster: &Cluster) -> Vec<Home> {
        let scenario = self.scenario();
        let mut named: Vec<(String, HomeKind)> = Vec::new();
        for p in &scenario.producers {
            for t in &p.targets {
                named.push(match t {
                    Target::Stream(k) | Target::List(k) => (k.clone(), HomeKind::Key),
                    Target::Channel(c) => (c.clone(), HomeKind::Channel),
                    Target::ShardChannel(c) => (c.clone(), HomeKind::ShardChannel),
                    Target::Topic(_) => continue,
                });
            }
        }
        for s in &scenario.services {
            match &s.source {
                Source::Group(g) => named.push((g.stream.clone(), HomeKind::Key)),
                Source::Reader(r) => named.push((r.stream.clone(), HomeKind::Key)),
                Source::List(k) | Source::ReliableList(k) => named.push((k.clone(), HomeKind::Key)),
                Source::Subscriber(sub) => {
                    named.extend(sub.channels.iter().map(|c| (c.clone(), HomeKind::Channel)));
                    named.extend(
                        sub.shard_channels
                            .iter()
                            .map(|c| (c.clone(), HomeKind::ShardChannel)),
                    );
                }
                Source::Topic(_) => {}
            }
        }
        if let Some(server) = self.server() {
            named.extend(
                server
                    .db
                    .iter()
                    .map(|(k, _)| (String::from_utf8_lossy(k).into_owned(), HomeKind::Key)),
            );
        }
        let mut homes: Vec<Home> = Vec::new();
        for (name, kind) in named {
            if homes.iter().any(|h| h.name == name && h.kind == kind) {
                continue;
            }
            let slot = (kind != HomeKind::Channel).then(|| key_hash_slot(name.as_bytes()));
            homes.push(Home {
                node: slot.map(|s| cluster.slot_owner(s)),
                slot,
                name,
                kind,
            });
        }
        homes
    }
}
