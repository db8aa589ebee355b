//! The Compare lab's cluster panel, drawn when the run is on a Redis
//! Cluster: each node with its slots and subscriptions, where each key and
//! channel lives, what PUBLISH and SPUBLISH put on the cluster bus so far,
//! and how many subscribers the latest of each reached on which node.
//! Every number is a field of the engine's `ClusterView`; a node the bus
//! or a delivery just reached (one trace event) is marked arriving.

use ackscope_engine::view::cluster::{ClusterView, Home, HomeKind, PublishView};
use yew::prelude::*;

use super::Said;
use crate::i18n::{CompareText, use_catalogue};
use crate::shared::Shared;
use crate::words::fill;

/// Props of [`ClusterPanel`].
#[derive(Properties, PartialEq)]
pub struct ClusterPanelProps {
    /// The cluster at the cursor.
    pub cluster: Shared<ClusterView>,
    /// The nodes a trace event just reached (the bus, a delivery).
    pub reached: Shared<Vec<u16>>,
}

/// The Redis Cluster: nodes with their shards, slots and subscriptions,
/// what PUBLISH and SPUBLISH put on the bus, and where the latest of each
/// went.
#[component]
pub fn ClusterPanel(props: &ClusterPanelProps) -> Html {
    let text = use_catalogue();
    let t = &text.compare_stage;
    let c = &*props.cluster;
    let address = |node: u16| {
        c.nodes
            .iter()
            .find(|n| n.node == node)
            .map_or_else(|| node.to_string(), |n| n.address.clone())
    };
    let publish = |p: &Option<PublishView>, template: &'static str, sharded: bool| {
        let Some(p) = p else { return html! {} };
        let reached = if p.reached.is_empty() {
            t.cluster_nobody.to_owned()
        } else {
            p.reached
                .iter()
                .map(|(node, n)| {
                    fill(
                        t.cluster_reached_on,
                        &[("n", n.to_string()), ("node", address(*node))],
                    )
                    .plain()
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        html! {
            <p class="cluster__publish" data-testid={if sharded { "last-spublish" } else { "last-publish" }}
                data-bus={p.bus.to_string()} data-reached={p.reached.iter().map(|(_, n)| n).sum::<u64>().to_string()}
                data-reached-on={p.reached.iter().map(|(node, n)| format!("{node}:{n}")).collect::<Vec<_>>().join(",")}>
                <Said sentence={fill(template, &[
                    ("channel", p.channel.clone()),
                    ("node", address(p.node)),
                    ("bus", p.bus.to_string()),
                    ("reached", reached),
                ])} />
            </p>
        }
    };
    html! {
        <section class="cluster" data-testid="cluster" aria-labelledby="cluster-title"
            data-bus-publish={c.bus_publish.to_string()} data-bus-spublish={c.bus_spublish.to_string()}>
            <h3 class="cluster__title" id="cluster-title">{ t.cluster }</h3>
            <ul class="cluster__nodes" style={format!("--primaries: {}", c.nodes.iter().filter(|n| n.primary).count())}>
                for n in c.nodes.iter() {
                    <li class={classes!("cluster__node", (!n.primary).then_some("cluster__node--replica"),
                            props.reached.contains(&n.node).then_some("cluster__node--arrived"))}
                        data-testid="node" data-node={n.node.to_string()} data-shard={n.shard.to_string()}
                        // Each node in its shard's column: a replica under its primary.
                        style={format!("grid-column: {}", u32::from(n.shard) + 1)}>
                        <code class="cluster__address">{ &n.address }</code>
                        <span class="cluster__role">
                            { if n.primary {
                                fill(t.cluster_primary, &[("from", n.slots.0.to_string()), ("to", n.slots.1.to_string())]).plain()
                            } else {
                                fill(t.cluster_replica, &[("primary", address(n.shard)), ("from", n.slots.0.to_string()), ("to", n.slots.1.to_string())]).plain()
                            } }
                        </span>
                        for (name, count) in n.channels.iter().chain(n.patterns.iter()).chain(n.shard_channels.iter()) {
                            <span class="cluster__sub"><Said sentence={fill(t.cluster_subscribed, &[("name", name.clone()), ("n", count.to_string())])} /></span>
                        }
                    </li>
                }
            </ul>
            if !c.homes.is_empty() {
                <h4 class="panel__title">{ t.cluster_homes }</h4>
                <ul class="cluster__homes" data-testid="homes">
                    for h in c.homes.iter() {
                        { home(h, &address, t) }
                    }
                </ul>
            }
            <p class="cluster__bus"><Said sentence={fill(t.cluster_bus, &[("publish", c.bus_publish.to_string()), ("spublish", c.bus_spublish.to_string())])} /></p>
            { publish(&c.last_publish, t.cluster_last_publish, false) }
            { publish(&c.last_spublish, t.cluster_last_spublish, true) }
        </section>
    }
}

/// A key or channel and where it lives.
fn home(h: &Home, address: &dyn Fn(u16) -> String, t: &'static CompareText) -> Html {
    let (template, kind) = match h.kind {
        HomeKind::Key => (t.cluster_home_key, "key"),
        HomeKind::ShardChannel => (t.cluster_home_shard, "shard-channel"),
        HomeKind::Channel => (t.cluster_home_channel, "channel"),
    };
    let sentence = fill(
        template,
        &[
            ("name", h.name.clone()),
            ("slot", h.slot.map(|s| s.to_string()).unwrap_or_default()),
            ("node", h.node.map(address).unwrap_or_default()),
        ],
    );
    html! {
        <li key={format!("{kind}:{}", h.name)} class="cluster__home" data-testid="home" data-kind={kind}
            data-name={h.name.clone()} data-slot={h.slot.map(|s| s.to_string())}
            data-node={h.node.map(|n| n.to_string())}>
            <Said sentence={sentence} />
        </li>
    }
}
