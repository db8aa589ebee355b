//! Fault buttons for a Kafka run, shared by the Kafka lab and the
//! Guarantees lab's Kafka lanes: brokers killed, restarted, cut off or
//! slowed (every broker, or only the partition's leader), consumers
//! crashed, restarted or slowed, a producer's next answer lost. Each
//! button is a [`fault_button`]: the fault joins the run at the current
//! simulated time, in every lane, so replaying or sharing the run keeps
//! it.

use ackscope_engine::kafka::BrokerId;
use ackscope_engine::scenario::FaultKind;
use ackscope_engine::view::kafka::{BrokerState, BrokerView, KafkaConsumerView};
use yew::prelude::*;

use super::Said;
use super::fault_bar::fault_button;
use crate::i18n::use_catalogue;
use crate::words::fill;

/// Which brokers the panel offers faults on.
#[derive(Clone, Debug, PartialEq)]
pub enum BrokerTargets {
    /// Every broker, a row each: kill or restart, cut off, slow follower
    /// (the Kafka lab).
    Each(Vec<BrokerView>),
    /// One row for the leader of partition `tp` (the `leader` role, which
    /// every lane resolves to its own leader): kill it, and restart each
    /// broker that is dead (the Guarantees lab).
    Leader {
        /// The partition, `topic-partition`.
        tp: String,
        /// Its leader, if it has one.
        leader: Option<BrokerId>,
        /// Every broker, for their states.
        brokers: Vec<BrokerView>,
    },
}

/// A consumer as its fault buttons need it: nothing that changes with
/// every record it processes.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerTarget {
    /// Its name (its role).
    pub name: String,
    /// `up`, `crashed`, `stopped` or `not-started`.
    pub status: &'static str,
    /// Its slowdown in percent (100: none).
    pub slow_pct: u32,
}

impl ConsumerTarget {
    /// The consumers of a view, as fault targets.
    pub fn of(consumers: &[KafkaConsumerView]) -> Vec<ConsumerTarget> {
        consumers
            .iter()
            .map(|c| ConsumerTarget {
                name: c.name.clone(),
                status: c.status,
                slow_pct: c.slow_pct,
            })
            .collect()
    }
}

/// Props of [`KafkaFaults`].
#[derive(Properties, PartialEq)]
pub struct KafkaFaultsProps {
    /// The brokers' rows.
    pub brokers: BrokerTargets,
    /// The consumers.
    pub consumers: Vec<ConsumerTarget>,
    /// The producers' names.
    pub producers: Vec<String>,
    /// A line under the title, if any.
    #[prop_or_default]
    pub help: Option<AttrValue>,
    /// Called with the fault to inject now and its role.
    pub on_fault: Callback<(FaultKind, String)>,
}

/// One row per broker (or the leader), per consumer and per producer: the
/// faults that make sense for each now.
#[component]
pub fn KafkaFaults(props: &KafkaFaultsProps) -> Html {
    let text = use_catalogue();
    let k = text.words.kafka;
    let button = |label: String, kind: FaultKind, role: String, usable: bool| {
        let slug = match kind {
            FaultKind::BrokerCrash => "kill",
            FaultKind::BrokerRestart | FaultKind::Restart => "restart",
            FaultKind::Disconnect => "cut-off",
            FaultKind::Slow => "slow",
            FaultKind::LoseReply => "lose-reply",
            _ => "crash",
        };
        fault_button(&props.on_fault, text, label, slug, kind, role, usable)
    };
    let broker_role = |id: BrokerId| format!("broker-{id}");
    let broker_rows = match &props.brokers {
        BrokerTargets::Each(brokers) => html! {
            for b in brokers.iter() {
                <li class="faults__worker" data-broker={b.id.to_string()}>
                    <span class="faults__name"><Said sentence={fill(k.broker, &[("id", b.id.to_string())])} /></span>
                    <span class="faults__buttons">
                        if b.state == BrokerState::Dead {
                            { button(k.restart.into(), FaultKind::BrokerRestart, broker_role(b.id), true) }
                        } else {
                            { button(k.kill.into(), FaultKind::BrokerCrash, broker_role(b.id), true) }
                        }
                        { button(k.cut_off.into(), FaultKind::Disconnect, broker_role(b.id), b.state == BrokerState::Up) }
                        { button(k.slow.into(), FaultKind::Slow, broker_role(b.id), b.state == BrokerState::Up && b.slow_fetch_ms.is_none()) }
                    </span>
                </li>
            }
        },
        BrokerTargets::Leader {
            tp,
            leader,
            brokers,
        } => {
            let up = |id: BrokerId| {
                brokers
                    .iter()
                    .any(|b| b.id == id && b.state == BrokerState::Up)
            };
            let name = match leader {
                Some(id) => fill(k.leader_row, &[("tp", tp.clone()), ("id", id.to_string())]),
                None => fill(k.leaderless_row, &[("tp", tp.clone())]),
            };
            html! {
                <li class="faults__worker" data-broker="leader">
                    <span class="faults__name"><Said sentence={name} /></span>
                    <span class="faults__buttons">
                        { button(k.kill_leader.into(), FaultKind::BrokerCrash, "leader".to_owned(), leader.is_some_and(up)) }
                        for b in brokers.iter().filter(|b| b.state == BrokerState::Dead) {
                            { button(fill(k.restart_broker, &[("id", b.id.to_string())]).plain(), FaultKind::BrokerRestart, broker_role(b.id), true) }
                        }
                    </span>
                </li>
            }
        }
    };
    html! {
        <section class="panel faults" aria-labelledby="faults-title" data-testid="faults">
            <h3 class="panel__title" id="faults-title">{ k.faults }</h3>
            if let Some(help) = &props.help {
                <p class="panel__hint">{ help }</p>
            }
            <ul class="faults__list">
                { broker_rows }
                for c in props.consumers.iter() {
                    <li class="faults__worker" data-worker={c.name.clone()}>
                        <span class="faults__name">{ &c.name }</span>
                        <span class="faults__buttons">
                            if c.status == "crashed" {
                                { button(text.panels.restart.into(), FaultKind::Restart, c.name.clone(), true) }
                            } else {
                                { button(text.panels.crash.into(), FaultKind::Crash, c.name.clone(), c.status == "up") }
                            }
                            { button(k.slow_consumer.into(), FaultKind::Slow, c.name.clone(), c.status == "up" && c.slow_pct == 100) }
                        </span>
                    </li>
                }
                for p in props.producers.iter() {
                    <li class="faults__worker" data-producer={p.clone()}>
                        <span class="faults__name">{ p }</span>
                        <span class="faults__buttons">
                            { button(k.lose_response.into(), FaultKind::LoseReply, p.clone(), true) }
                        </span>
                    </li>
                }
            </ul>
        </section>
    }
}
