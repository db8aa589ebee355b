//! A lane's broker, drawn small. A Redis lane shows its stream's length,
//! the group's pending entries, each consumer's share and whether its
//! worker is up; a Kafka lane its brokers, one strip per partition and
//! its consumers ([`KafkaLine`]). Which one is the lane's broker's kind,
//! asked of the engine's world ([`LaneBroker::of`]).

use std::rc::Rc;

use ackscope_engine::sim::World;
use ackscope_engine::view::StageView;
use ackscope_engine::view::kafka_glance::KafkaGlance;
use yew::prelude::*;

use super::KafkaLine;
use crate::components::stage::{status_class, status_word};
use crate::i18n::use_catalogue;
use crate::shared::Shared;
use crate::words::fill;

/// A lane's broker as the engine projects it for one service.
#[derive(Clone, Debug, PartialEq)]
pub enum LaneBroker {
    /// A Redis server: the lane's whole stage.
    Redis(Shared<StageView>),
    /// A Kafka cluster, as the service sees it.
    Kafka(Shared<KafkaGlance>),
}

impl LaneBroker {
    /// Service `service`'s broker in `world`, by the broker's kind: a
    /// Kafka cluster's glance, or the Redis stage `redis` makes (the lane
    /// may already have it).
    pub fn of(world: &World, service: usize, redis: impl FnOnce() -> Rc<StageView>) -> LaneBroker {
        match world.broker().kafka().and(world.kafka_glance(service)) {
            Some(glance) => LaneBroker::Kafka(Shared(Rc::new(glance))),
            None => LaneBroker::Redis(Shared(redis())),
        }
    }

    /// Whether it shows the same as `other` (the same numbers, whether or
    /// not it is the same `Rc`).
    pub fn same_as(&self, other: &LaneBroker) -> bool {
        match (self, other) {
            (LaneBroker::Redis(a), LaneBroker::Redis(b)) => **a == **b,
            (LaneBroker::Kafka(a), LaneBroker::Kafka(b)) => **a == **b,
            _ => false,
        }
    }

    /// Whether it is a Kafka cluster.
    pub fn is_kafka(&self) -> bool {
        matches!(self, LaneBroker::Kafka(_))
    }

    /// Whether it is a Kafka cluster with a partition transactions write
    /// to (the engine gives such a partition a last stable offset).
    pub fn writes_transactions(&self) -> bool {
        match self {
            LaneBroker::Kafka(g) => g.partitions.iter().any(|p| p.lso.is_some()),
            LaneBroker::Redis(_) => false,
        }
    }
}

/// Props of [`BrokerLine`].
#[derive(Properties, PartialEq)]
pub struct BrokerLineProps {
    /// The lane's name.
    pub lane: AttrValue,
    /// The lane's broker at the cursor.
    pub broker: LaneBroker,
}

/// The lane's broker, by its kind.
#[component]
pub fn BrokerLine(props: &BrokerLineProps) -> Html {
    match &props.broker {
        LaneBroker::Redis(view) => html! { <RedisLine view={view.clone()} /> },
        LaneBroker::Kafka(glance) => {
            html! {
                <KafkaLine
                    lane={props.lane.clone()}
                    glance={glance.clone()}
                />
            }
        }
    }
}

/// Props of [`RedisLine`].
#[derive(Properties, PartialEq)]
pub struct RedisLineProps {
    /// The lane's world at the cursor.
    pub view: Shared<StageView>,
}

/// The stream, the group, and one line per consumer.
#[component]
pub fn RedisLine(props: &RedisLineProps) -> Html {
    let text = use_catalogue();
    let t = &text.guarantees_stage;
    let view = &*props.view;
    let workers: Vec<_> = view
        .services
        .iter()
        .flat_map(|s| s.workers.iter())
        .collect();
    html! {
        <div class="mini" data-testid="broker" data-kind="redis" data-up={view.broker_up.to_string()}>
            if !view.broker_up {
                <p class="mini__down">{ t.broker_down }</p>
            }
            for s in view.streams.iter().filter(|s| !s.dead_letter) {
                <p class="mini__stream" data-key={s.key.clone()} data-length={s.length.to_string()}>
                    { fill(t.stream, &[("key", s.key.clone()), ("n", s.length.to_string())]).plain() }
                </p>
                for g in s.groups.iter() {
                    <p class="mini__group" data-group={g.name.clone()} data-pending={g.pending.to_string()}>
                        { fill(t.group, &[("group", g.name.clone()), ("n", g.pending.to_string())]).plain() }
                    </p>
                    <ul class="mini__consumers">
                        for c in g.consumers.iter() {
                            <li
                                class="mini__consumer"
                                data-consumer={c.name.clone()}
                                data-pending={c.pending_count.to_string()}
                                data-status={c.worker.as_ref().map(|w| status_class(w.status))}
                            >
                                <span class="mini__who">{ fill(t.pending, &[("consumer", c.name.clone()), ("n", c.pending_count.to_string())]).plain() }</span>
                                if let Some(w) = &c.worker {
                                    <span class="mini__status">{ status_word(w.status, &text.stage) }</span>
                                }
                            </li>
                        }
                    </ul>
                }
            }
            // Workers that never joined a group yet.
            if view.streams.iter().all(|s| s.groups.is_empty()) {
                <ul class="mini__consumers">
                    for w in workers {
                        <li class="mini__consumer" data-status={status_class(w.status)}>
                            <span class="mini__who">{ &w.name }</span>
                            <span class="mini__status">{ status_word(w.status, &text.stage) }</span>
                        </li>
                    }
                </ul>
            }
        </div>
    }
}
