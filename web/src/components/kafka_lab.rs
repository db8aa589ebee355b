//! The Kafka lab: replicated partitions, producers and a consumer group,
//! seed 003's two losses in motion.
//!
//! The stage reads top to bottom as a record travels: the producers with
//! their settings and the sends they are waiting on; the brokers, one
//! column each with its rack and its state; each partition's replicas as
//! log strips (committed records solid, those above the high watermark
//! dashed), the leader and its epoch, the ISR; then the consumers with
//! their partitions, positions and committed offsets, and the ledger.
//! Every number is a field of the engine's `KafkaView` at the cursor, and
//! rides in `data-*` attributes for the tests.

use std::rc::Rc;

use ackscope_engine::kafka::TopicPartition;
use ackscope_engine::view::kafka::{
    BrokerState, BrokerView, KafkaConsumerView, KafkaProducerView, KafkaView, PartitionView,
    ReplicaView,
};
use yew::prelude::*;

use super::{
    BrokerTargets, ConsumerTarget, EventLog, KafkaFaults, KafkaSettings, LabHead, Narration, Said,
    setting_rows,
};
use crate::handlers::Handlers;
use crate::hooks::use_sampled;
use crate::i18n::kafka::KafkaWords;
use crate::i18n::use_catalogue;
use crate::lab::Lab;
use crate::report::{Report, report};
use crate::run::Run;
use crate::shared::Shared;
use crate::state::{Notice, Selection};
use crate::words::{fill, time_text};

/// Props of [`KafkaLab`].
#[derive(Properties, PartialEq)]
pub struct KafkaLabProps {
    /// The run, at the cursor.
    pub run: Run,
    /// A message for the reader.
    pub notice: Option<Notice>,
    /// Whether the clock is playing.
    pub playing: bool,
    /// The record being followed.
    pub selection: Option<Selection>,
    /// What the lab's controls call.
    pub handlers: Shared<Handlers>,
    /// The clock bar, between the stage and the tools.
    #[prop_or_default]
    pub children: Html,
}

/// While playing, how often (wall-clock ms) the cluster, the panels beside
/// it and the tools under it are drawn anew: ten times a second, as the
/// Guarantees lab's lanes. With several partitions an action runs nearly
/// every frame, and redrawing up to twelve replica strips sixty times a
/// second costs more than a frame has; only the clock is drawn on every
/// frame. Paused, everything shows exactly the cursor.
const DRAWN_MS: f64 = 100.0;

/// The lab: picker, the cluster, narration and faults beside it, the
/// clock, then the inspector (describe outputs, a record's life) and the
/// event log.
#[component]
pub fn KafkaLab(props: &KafkaLabProps) -> Html {
    let shown = use_sampled(props.playing, DRAWN_MS, || props.run.clone());
    let run = &*shown;
    // Which lane the stage draws, for scenarios that run several; a new
    // scenario starts at its first.
    let lane = use_state_eq(|| 0usize);
    {
        let lane = lane.clone();
        use_effect_with(run.name().to_owned(), move |_| lane.set(0));
    }
    let on_lane = {
        let lane = lane.clone();
        use_callback((), move |i: usize, _| lane.set(i))
    };
    // The cluster and the ledger change only when an action runs.
    let drawn = use_memo((run.id(), run.cursor().actions, *lane), |(.., lane)| {
        let view = run.lane_world(*lane).kafka_view()?;
        Some((Shared(Rc::new(view)), Shared(Rc::new(ledger_rows(run)))))
    });
    let Some((view, ledger)) = (*drawn).clone() else {
        return html! {};
    };
    let on = &props.handlers;
    html! {
        <main class="lab lab--kafka" aria-labelledby="lab-title">
            <LabTop run={shown.clone()} lane={*lane} {on_lane} view={view.clone()} {ledger}
                notice={props.notice.clone()} selection={props.selection.clone()} handlers={on.clone()} />
            { props.children.clone() }
            <div class="lab__tools">
                <KafkaInspector run={run.clone()} view={view} selection={props.selection.clone()} playing={props.playing} />
                <EventLog run={run.clone()} playing={props.playing} />
            </div>
        </main>
    }
}

/// Props of [`LabTop`].
#[derive(Properties, PartialEq)]
struct LabTopProps {
    /// The run as sampled.
    run: Shared<Run>,
    /// The lane drawn.
    lane: usize,
    on_lane: Callback<usize>,
    /// That lane's cluster, and every lane's ledger, at the run's cursor.
    view: Shared<KafkaView>,
    ledger: Shared<Vec<LedgerRow>>,
    notice: Option<Notice>,
    selection: Option<Selection>,
    handlers: Shared<Handlers>,
}

/// The lab's head, the cluster, and the narration, settings and faults
/// beside it.
#[component]
fn LabTop(props: &LabTopProps) -> Html {
    let run = &*props.run;
    let (lane, view) = (props.lane, &props.view);
    let on = &props.handlers;
    let text = use_catalogue();
    let lanes = run.scenario().lane_count();
    let settings = {
        let run = run.clone();
        use_memo(
            (run.name().to_owned(), run.settings().to_vec()),
            move |_| setting_rows(&run),
        )
    };
    let changed = !run.settings().is_empty();
    // Kept while unchanged (the same `Rc`), so the cluster is drawn anew
    // only when a record arrives or a partition moves, or one stops being
    // drawn arriving.
    let arrived = Shared(use_memo(arrivals(run, lane), Vec::clone));
    let moved = Shared(use_memo(reassigned(run, lane), Vec::clone));
    // Kafka's refusal of a setting is told in the settings panel, where
    // the reader's eyes are; every other notice above the stage.
    let (refused, head_notice) = match &props.notice {
        Some(n @ Notice::SettingsRefused(_)) => (Some(n.clone()), None),
        other => (None, other.clone()),
    };
    html! {
        <>
            <LabHead title={run.title()} lab={Lab::Kafka} notice={head_notice} handlers={on.clone()} />
            <div class="lab__body">
                <div
                    class="stage stage--live stage--kafka"
                    data-testid="stage"
                    data-lab="kafka"
                    data-scenario={run.name().to_owned()}
                    data-actions={run.cursor().actions.to_string()}
                    data-time-ms={run.cursor().ms.to_string()}
                    data-lane={lane.to_string()}
                >
                    if lanes > 1 {
                        <div class="kafka__lanes" role="group" aria-label={text.words.kafka.lanes}>
                            for i in 0..lanes {
                                <button type="button" class="button button--small" data-testid="lane-tab"
                                    data-lane={run.scenario().lane_name(i).to_owned()}
                                    aria-pressed={(i == lane).to_string()}
                                    onclick={props.on_lane.reform(move |_: MouseEvent| i)}>
                                    { run.scenario().lane_name(i).to_owned() }
                                </button>
                            }
                        </div>
                    }
                    <Cluster view={view.clone()} arrived={arrived} moved={moved} selected={selected_msg(&props.selection)} on_select={on.select.clone()} />
                    <Ledger rows={props.ledger.clone()} />
                </div>
                <aside class="lab__aside">
                    if changed {
                        <p class="settings-note" role="note" data-testid="settings-note">{ text.words.kafka.settings_note }</p>
                    }
                    <Narration summary={run.scenario().summary.clone()} step={run.narration()} changed={run.changed()} />
                    <KafkaSettings rows={settings} changed={changed} refused={refused} on_set={on.kafka_setting.clone()} on_own={on.kafka_own.clone()} on_dismiss={on.dismiss.clone()} />
                    <KafkaFaults
                        brokers={BrokerTargets::Each(view.brokers.clone())}
                        consumers={ConsumerTarget::of(&view.consumers)}
                        producers={view.producers.iter().map(|p| p.name.clone()).collect::<Vec<_>>()}
                        on_fault={on.fault.clone()}
                    />
                </aside>
            </div>
        </>
    }
}

/// How long (simulated ms) a record that just reached a replica is drawn
/// arriving.
const ARRIVAL_MS: u64 = 300;

/// The records (broker, topic-partition, offset) that reached a replica in
/// the last [`ARRIVAL_MS`] of lane `lane`: each is one event of the trace —
/// the leader's append or a follower's fetch — and is drawn sliding in.
fn arrivals(run: &Run, lane: usize) -> Vec<(u32, String, u64)> {
    use ackscope_engine::kafka::Event;
    let now = run.cursor().ms;
    let mut out = Vec::new();
    for e in run.applied().iter().rev() {
        if crate::run::event_ms(&e) + ARRIVAL_MS < now {
            break;
        }
        if usize::from(e.lane) != lane {
            continue;
        }
        match e.what.kafka() {
            Some(Event::RecordAppended {
                topic,
                partition,
                broker,
                record,
                ..
            }) => out.push((
                *broker,
                TopicPartition::new(topic, *partition).to_string(),
                record.offset,
            )),
            Some(Event::FollowerFetched {
                topic,
                partition,
                follower,
                records,
                ..
            }) => out.extend(records.iter().map(|r| {
                (
                    *follower,
                    TopicPartition::new(topic, *partition).to_string(),
                    r.offset,
                )
            })),
            _ => {}
        }
    }
    out
}

/// The partitions (member id, `topic-partition`) that changed owner in
/// the last [`ARRIVAL_MS`] of lane `lane`: each `PartitionsAssigned` event
/// of a rebalance is drawn as its partitions arriving at their new owner.
fn reassigned(run: &Run, lane: usize) -> Vec<(String, String)> {
    use ackscope_engine::kafka::Event;
    let now = run.cursor().ms;
    let mut out = Vec::new();
    for e in run.applied().iter().rev() {
        if crate::run::event_ms(&e) + ARRIVAL_MS * 2 < now {
            break;
        }
        if usize::from(e.lane) != lane {
            continue;
        }
        if let Some(Event::PartitionsAssigned {
            member, partitions, ..
        }) = e.what.kafka()
        {
            out.extend(partitions.iter().map(|tp| (member.clone(), tp.to_string())));
        }
    }
    out
}

fn selected_msg(selection: &Option<Selection>) -> Option<String> {
    match selection {
        Some(Selection::Record { msg }) => Some(msg.clone()),
        _ => None,
    }
}

/// One service's ledger in one lane at the cursor, from the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerRow {
    /// The lane's name, when the run has several.
    lane: Option<String>,
    name: String,
    counts: ackscope_engine::sim::ServiceCounts,
    /// Records the producer was told were written that no log holds.
    told_gone: Vec<String>,
}

fn ledger_rows(run: &Run) -> Vec<LedgerRow> {
    let scenario = run.scenario();
    let lanes = scenario.lane_count();
    let mut rows = Vec::new();
    for lane in 0..lanes {
        let world = run.lane_world(lane);
        for (i, s) in scenario.services.iter().enumerate() {
            rows.push(LedgerRow {
                lane: (lanes > 1).then(|| scenario.lane_name(lane).to_owned()),
                name: s.name.clone(),
                counts: world.service_counts(i),
                told_gone: world
                    .acknowledged_then_lost(i)
                    .into_iter()
                    .map(|m| world.msg_name(m))
                    .collect(),
            });
        }
    }
    rows
}

/// Props of [`Cluster`].
#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    /// The cluster at the cursor.
    pub view: Shared<KafkaView>,
    /// Records that just reached a replica (broker, partition, offset).
    pub arrived: Shared<Vec<(u32, String, u64)>>,
    /// Partitions that just changed owner (consumer, partition).
    pub moved: Shared<Vec<(String, String)>>,
    /// The record being followed, by message.
    pub selected: Option<String>,
    /// Called when a record is chosen.
    pub on_select: Callback<Selection>,
}

/// Producers, brokers and their replicas, consumers.
#[component]
pub fn Cluster(props: &ClusterProps) -> Html {
    let text = use_catalogue();
    let k = text.words.kafka;
    let view = &*props.view;
    html! {
        <div class="kafka" role="group" aria-label={k.stage}>
            <section class="kafka__producers" aria-label={k.producers}>
                for p in view.producers.iter() {
                    { producer(p, k) }
                }
            </section>
            <section class="kafka__cluster" aria-label={k.brokers} style={format!("--brokers: {}", view.brokers.len())}>
                <div class="kafka__brokers">
                    for b in view.brokers.iter() {
                        { broker(b, k) }
                    }
                </div>
                for index in 0..view.partitions.len() {
                    <PartitionRow view={props.view.clone()} {index} arrived={props.arrived.clone()}
                        selected={props.selected.clone()} on_select={props.on_select.clone()} />
                }
                <p class="kafka__legend">
                    <span class="kafka__legend-cell"></span>{ k.committed_legend }
                    <span class="kafka__legend-cell kafka__legend-cell--open"></span>{ k.uncommitted_legend }
                </p>
            </section>
            for (group, members) in groups(view) {
                <section class="kafka__group" data-testid="kafka-group" data-group={group.clone()}>
                    <h3 class="kafka__group-title"><Said sentence={fill(k.consumers, &[("group", group.clone())])} /></h3>
                    <ul class="kafka__consumers">
                        for c in members {
                            { consumer(c, k, &props.moved) }
                        }
                    </ul>
                </section>
            }
        </div>
    }
}

/// The consumers by group, in the order the scenario names them.
fn groups(view: &KafkaView) -> Vec<(String, Vec<&KafkaConsumerView>)> {
    let mut out: Vec<(String, Vec<&KafkaConsumerView>)> = Vec::new();
    for c in &view.consumers {
        match out.iter_mut().find(|(g, _)| *g == c.group) {
            Some((_, members)) => members.push(c),
            None => out.push((c.group.clone(), vec![c])),
        }
    }
    out
}

fn producer(p: &KafkaProducerView, k: &KafkaWords) -> Html {
    let idempotent = match p.producer_id {
        Some(pid) => format!("enable.idempotence=true (producer id {pid})"),
        None => "enable.idempotence=false".to_owned(),
    };
    html! {
        <article class="kafka__producer" data-testid="kafka-producer" data-producer={p.name.clone()}
            data-acked={p.acked.to_string()} data-failed={p.failed.to_string()} data-pending={p.pending.len().to_string()}>
            <h3 class="kafka__producer-name">{ &p.name }</h3>
            <p class="kafka__settings">
                <code>{ format!("acks={}", p.acks) }</code>
                <code>{ format!("retries={}", p.retries) }</code>
                <code>{ idempotent }</code>
            </p>
            <p class="kafka__counts">
                <Said sentence={fill(k.acked_failed, &[("acked", p.acked.to_string()), ("failed", p.failed.to_string())])} />
                if let Some(error) = p.last_error {
                    <span class="kafka__error" data-testid="last-error">
                        <Said sentence={fill(k.last_error, &[("error", error.to_owned())])} />
                    </span>
                }
            </p>
            if !p.pending.is_empty() {
                <p class="kafka__pending-title"><Said sentence={fill(k.pending, &[("n", p.pending.len().to_string())])} /></p>
                <ul class="kafka__sends">
                    for s in p.pending.iter().take(6) {
                        <li class="kafka__send" data-state={s.state}>
                            <Said sentence={fill(k.send_row, &[("msg", s.msg.clone()), ("n", s.attempts.to_string())])} />
                            if let Some(seq) = s.sequence {
                                <span class="kafka__seq"><Said sentence={fill(k.seq, &[("seq", seq.to_string())])} /></span>
                            }
                            <span class="kafka__send-state">
                                { if s.state == "backoff" { format!("↻ {}", k.backoff) } else { format!("→ {}", k.in_flight) } }
                            </span>
                        </li>
                    }
                </ul>
            }
        </article>
    }
}

/// A broker's state as drawn: a glyph (● up, ✕ dead, ⌁ cut off) and a
/// word, so that it never rests on colour alone.
pub fn broker_state(state: BrokerState, k: &KafkaWords) -> (&'static str, &'static str) {
    match state {
        BrokerState::Up => ("●", k.state_up),
        BrokerState::Dead => ("✕", k.state_dead),
        BrokerState::CutOff => ("⌁", k.state_cut_off),
    }
}

/// A consumer's status (`KafkaConsumerView::status`) in words.
pub fn consumer_status(status: &str, k: &KafkaWords) -> &'static str {
    match status {
        "up" => k.status_up,
        "crashed" => k.status_crashed,
        "stopped" => k.status_stopped,
        _ => k.status_not_started,
    }
}

fn broker(b: &BrokerView, k: &KafkaWords) -> Html {
    let (glyph, state) = broker_state(b.state, k);
    html! {
        <div class={classes!("kafka__broker", format!("kafka__broker--{}", b.state.as_str()))}
            data-testid="broker" data-broker={b.id.to_string()} data-state={b.state.as_str()} data-fenced={b.fenced.to_string()}>
            <span class="kafka__broker-name"><Said sentence={fill(k.broker, &[("id", b.id.to_string())])} /></span>
            if let Some(rack) = &b.rack {
                <span class="kafka__rack"><Said sentence={fill(k.rack, &[("rack", rack.clone())])} /></span>
            }
            <span class="kafka__broker-state"><span aria-hidden="true">{ glyph }</span>{ " " }{ state }</span>
            if b.fenced {
                <span class="kafka__fenced">{ k.fenced }</span>
            }
            if let Some(ms) = b.slow_fetch_ms {
                <span class="kafka__slow"><Said sentence={fill(k.slow_fetch, &[("ms", crate::words::ms_text(ms))])} /></span>
            }
        </div>
    }
}

/// Props of [`PartitionRow`].
#[derive(Properties)]
struct PartitionRowProps {
    /// The cluster at the cursor.
    view: Shared<KafkaView>,
    /// Which of its partitions.
    index: usize,
    /// Records that just reached a replica (broker, partition, offset).
    arrived: Shared<Vec<(u32, String, u64)>>,
    selected: Option<String>,
    on_select: Callback<Selection>,
}

/// Equal when the row would draw the same: its partition, the brokers
/// (a replica is drawn down with its broker) and the records that just
/// arrived in it. Most samples write to some partitions only; the others
/// keep their rows as they are.
impl PartialEq for PartitionRowProps {
    fn eq(&self, other: &Self) -> bool {
        let arrivals = |p: &Self| -> Vec<(u32, u64)> {
            let tp = p.view.partitions.get(p.index).map(PartitionView::tp);
            p.arrived
                .iter()
                .filter(|(_, at, _)| Some(at) == tp.as_ref())
                .map(|(broker, _, offset)| (*broker, *offset))
                .collect()
        };
        self.index == other.index
            && self.selected == other.selected
            && self.on_select == other.on_select
            && (self.view == other.view
                || (self.view.brokers == other.view.brokers
                    && self.view.partitions.get(self.index)
                        == other.view.partitions.get(self.index)))
            && (self.arrived == other.arrived || arrivals(self) == arrivals(other))
    }
}

/// One partition: its numbers, then a replica per broker. Drawn when the
/// sample that changed its partition comes, with the others: a Chromium
/// trace showed that drawing the rows on frames of their own (one a frame,
/// tried on 2026-12-02) nearly doubled the frames that lay out and paint,
/// each paying the same fixed cost, and dropped more frames, not fewer.
#[component]
fn PartitionRow(props: &PartitionRowProps) -> Html {
    let k = use_catalogue().words.kafka;
    match props.view.partitions.get(props.index) {
        Some(p) => partition(
            p,
            &props.view,
            k,
            &props.arrived,
            props.selected.as_deref(),
            &props.on_select,
        ),
        None => html! {},
    }
}

fn partition(
    p: &PartitionView,
    view: &KafkaView,
    k: &KafkaWords,
    arrived: &[(u32, String, u64)],
    selected: Option<&str>,
    on_select: &Callback<Selection>,
) -> Html {
    let tp = p.tp();
    let isr = ids(&p.isr);
    let leader = match p.leader {
        Some(id) => fill(
            k.leader_epoch,
            &[("id", id.to_string()), ("epoch", p.epoch.to_string())],
        ),
        None => fill(k.no_leader, &[("epoch", p.epoch.to_string())]),
    };
    html! {
        <div class="kafka__partition" data-testid="partition" data-tp={tp.clone()}
            data-leader={p.leader.map_or_else(String::new, |l| l.to_string())} data-epoch={p.epoch.to_string()}
            data-isr={p.isr.iter().map(u32::to_string).collect::<Vec<_>>().join(",")}
            data-hw={p.hw.to_string()} data-leo={p.leo.to_string()}>
            <h4 class="kafka__partition-head">
                <span class="kafka__tp"><Said sentence={fill(k.partition, &[("tp", tp.clone())])} /></span>
                <span><Said sentence={leader} /></span>
                <span class="kafka__isr"><Said sentence={fill(k.isr, &[("isr", isr)])} /></span>
                if !p.elr.is_empty() {
                    <span class="kafka__isr" data-testid="elr"><Said sentence={fill(k.elr, &[("elr", ids(&p.elr))])} /></span>
                }
                <span><Said sentence={fill(k.hw_leo, &[("hw", p.hw.to_string()), ("leo", p.leo.to_string())])} /></span>
            </h4>
            <div class="kafka__replicas">
                for b in view.brokers.iter() {
                    { match p.copies.iter().find(|r| r.broker == b.id) {
                        Some(r) => {
                            let new: Vec<u64> = arrived
                                .iter()
                                .filter(|(broker, at, _)| *broker == r.broker && *at == tp)
                                .map(|(_, _, offset)| *offset)
                                .collect();
                            replica(r, b, k, &new, selected, on_select)
                        }
                        None => html! { <div class="kafka__replica kafka__replica--none" aria-hidden="true"></div> },
                    } }
                }
            </div>
        </div>
    }
}

/// Broker ids as Kafka's tools list them in brackets.
fn ids(brokers: &[u32]) -> String {
    let list: Vec<String> = brokers.iter().map(u32::to_string).collect();
    format!("[{}]", list.join(", "))
}

fn replica(
    r: &ReplicaView,
    b: &BrokerView,
    k: &KafkaWords,
    arrived: &[u64],
    selected: Option<&str>,
    on_select: &Callback<Selection>,
) -> Html {
    let earlier = r
        .records
        .first()
        .map_or(0, |first| first.offset.saturating_sub(r.start));
    let role = match (r.leader, r.in_sync) {
        (true, _) => format!("★ {}", k.leader_mark),
        (false, true) => k.in_sync.to_owned(),
        (false, false) => format!("⚠ {}", k.out_of_sync),
    };
    html! {
        <div class={classes!("kafka__replica", r.leader.then_some("kafka__replica--leader"), (!r.in_sync).then_some("kafka__replica--out"), (b.state != BrokerState::Up).then_some("kafka__replica--down"))}
            data-testid="replica" data-broker={r.broker.to_string()} data-leader={r.leader.to_string()}
            data-in-sync={r.in_sync.to_string()} data-hw={r.hw.to_string()} data-leo={r.leo.to_string()}>
            <p class="kafka__replica-head">
                <span class="kafka__role">{ role }</span>
                <span class="kafka__marks"><Said sentence={fill(k.hw_leo, &[("hw", r.hw.to_string()), ("leo", r.leo.to_string())])} /></span>
            </p>
            <ol class="kafka__log" start={r.records.first().map_or(0, |f| f.offset).to_string()}>
                if earlier > 0 {
                    <li key="earlier" class="kafka__earlier"><Said sentence={fill(k.earlier, &[("n", earlier.to_string())])} /></li>
                }
                for rec in r.records.iter() {
                    if rec.offset == r.hw && rec.offset > 0 {
                        <li key="hw" class="kafka__hw" aria-hidden="true">{ k.hw_marker }</li>
                    }
                    <li key={rec.offset}>
                        <button type="button"
                            class={classes!("kafka__record", arrived.contains(&rec.offset).then_some("kafka__record--arrived"), (!rec.committed).then_some("kafka__record--open"), (selected == Some(rec.value.as_str())).then_some("kafka__record--selected"))}
                            data-offset={rec.offset.to_string()} data-epoch={rec.epoch.to_string()} data-committed={rec.committed.to_string()}
                            aria-pressed={(selected == Some(rec.value.as_str())).to_string()}
                            onclick={on_select.reform({ let msg = rec.value.clone(); move |_| Selection::Record { msg: msg.clone() } })}>
                            <span class="kafka__offset">{ rec.offset }</span>
                            <span class="kafka__value">{ &rec.value }</span>
                        </button>
                    </li>
                }
            </ol>
        </div>
    }
}

fn consumer(c: &KafkaConsumerView, k: &KafkaWords, moved: &[(String, String)]) -> Html {
    let status = consumer_status(c.status, k);
    html! {
        <li class={classes!("kafka__consumer", format!("kafka__consumer--{}", c.status))}
            data-testid="kafka-consumer" data-consumer={c.name.clone()} data-status={c.status}
            data-queued={c.queued.to_string()}>
            <span class="kafka__consumer-name">{ &c.name }</span>
            <span class="kafka__consumer-status">{ status }</span>
            <span class="kafka__member">
                { match &c.member {
                    Some(id) => html! { <Said sentence={fill(k.member, &[("id", id.clone())])} /> },
                    None => html! { { k.no_member } },
                } }
            </span>
            <ul class="kafka__assigned">
                for a in c.assigned.iter() {
                    <li key={a.tp.clone()} data-testid="assigned" data-tp={a.tp.clone()}
                        class={classes!(moved.iter().any(|(who, tp)| c.member.as_ref() == Some(who) && *tp == a.tp).then_some("kafka__assigned--arrived"))}
                        data-position={a.position.map_or_else(String::new, |p| p.to_string())}
                        data-committed={a.committed.map_or_else(String::new, |p| p.to_string())}>
                        <Said sentence={fill(k.position, &[
                            ("tp", a.tp.clone()),
                            ("pos", a.position.map_or_else(|| k.none.to_owned(), |p| p.to_string())),
                            ("committed", a.committed.map_or_else(|| k.none.to_owned(), |p| p.to_string())),
                        ])} />
                    </li>
                }
            </ul>
            if let Some(msg) = &c.working {
                <span class="kafka__working"><Said sentence={fill(k.working, &[("msg", msg.clone())])} /></span>
            }
            if c.queued > 0 {
                <span class="kafka__queued"><Said sentence={fill(k.queued, &[("n", c.queued.to_string())])} /></span>
            }
        </li>
    }
}

/// Props of [`Ledger`].
#[derive(Properties, PartialEq)]
pub struct LedgerProps {
    /// One row per service.
    pub rows: Shared<Vec<LedgerRow>>,
}

/// Each service's counts, and the records the producer was told were
/// written that are gone.
#[component]
pub fn Ledger(props: &LedgerProps) -> Html {
    let text = use_catalogue();
    let k = text.words.kafka;
    html! {
        <section class="kafka__ledger" aria-label={k.ledger}>
            for row in props.rows.iter() {
                <p class="kafka__ledger-row" data-testid="service" data-service={row.name.clone()}
                    data-lane={row.lane.clone().unwrap_or_default()}
                    data-produced={row.counts.produced.to_string()} data-delivered={row.counts.delivered.to_string()}
                    data-processed={row.counts.processed_unique.to_string()} data-duplicates={row.counts.duplicates.to_string()}
                    data-in-flight={row.counts.in_flight.to_string()} data-lost={row.counts.lost.to_string()}
                    data-told-gone={row.told_gone.len().to_string()}>
                    if let Some(lane) = &row.lane {
                        <span class="kafka__ledger-lane">{ format!("{lane} · ") }</span>
                    }
                    <Said sentence={fill(k.ledger_row, &[
                        ("service", row.name.clone()),
                        ("produced", row.counts.produced.to_string()),
                        ("processed", row.counts.processed_unique.to_string()),
                        ("duplicates", row.counts.duplicates.to_string()),
                        ("in_flight", row.counts.in_flight.to_string()),
                        ("lost", row.counts.lost.to_string()),
                    ])} />
                    if !row.told_gone.is_empty() {
                        <span class="kafka__told-gone"><Said sentence={fill(k.told_gone, &[("msgs", row.told_gone.join(", "))])} /></span>
                    }
                </p>
            }
        </section>
    }
}

/// Props of [`KafkaInspector`].
#[derive(Properties, PartialEq)]
pub struct KafkaInspectorProps {
    /// The run at the cursor.
    pub run: Run,
    /// The cluster at the cursor.
    pub view: Shared<KafkaView>,
    /// The record being followed.
    pub selection: Option<Selection>,
    /// Whether the clock is playing (the story is then told again a few
    /// times a second, not every frame).
    pub playing: bool,
}

/// While playing, how often the followed record's story is told again
/// (wall-clock ms), as the Streams lab's inspector does.
const STORY_SAMPLE_MS: f64 = 250.0;

/// What Kafka's tools print now, and the followed record's life. Its
/// parts render only when what they show changes: the tools' output when
/// an action changes the cluster, the story when it is sampled.
#[component]
pub fn KafkaInspector(props: &KafkaInspectorProps) -> Html {
    let text = use_catalogue();
    let story = use_sampled(props.playing, STORY_SAMPLE_MS, || match &props.selection {
        Some(selection @ Selection::Record { .. }) => Some(report(&props.run, selection, text)),
        _ => None,
    });
    html! {
        <section class="panel inspector kafka__inspector" aria-labelledby="inspector-title" data-testid="inspector">
            <h3 class="panel__title" id="inspector-title">{ text.words.kafka.inspector }</h3>
            <Describes view={props.view.clone()} />
            <RecordStory {story} />
        </section>
    }
}

/// Props of [`Describes`].
#[derive(Properties, PartialEq)]
struct DescribesProps {
    view: Shared<KafkaView>,
}

/// `kafka-topics --describe` and `kafka-consumer-groups --describe`, as
/// the engine prints them at the cursor.
#[component]
fn Describes(props: &DescribesProps) -> Html {
    let k = use_catalogue().words.kafka;
    let view = &*props.view;
    html! {
        <>
            for (topic, out) in view.topic_describes.iter() {
                <figure class="kafka__describe" data-testid="describe-topic" data-topic={topic.clone()}>
                    <figcaption><code>{ format!("$ {} --topic {topic}", k.describe_topic) }</code></figcaption>
                    <pre>{ out }</pre>
                </figure>
            }
            for (group, out) in view.group_describes.iter() {
                <figure class="kafka__describe" data-testid="describe-group" data-group={group.clone()}>
                    <figcaption><code>{ format!("$ {} --group {group}", k.describe_group) }</code></figcaption>
                    <pre>{ out.trim_start_matches('\n') }</pre>
                </figure>
            }
        </>
    }
}

/// Props of [`RecordStory`].
#[derive(Properties, PartialEq)]
struct RecordStoryProps {
    story: Shared<Option<Report>>,
}

/// The followed record's life so far, or how to follow one.
#[component]
fn RecordStory(props: &RecordStoryProps) -> Html {
    let k = use_catalogue().words.kafka;
    html! {
        <div class="kafka__story" data-testid="story">
            { match props.story.0.as_ref().clone() {
                Some(r) => html! {
                    <>
                        <h4 class="kafka__story-title"><Said sentence={r.heading} /></h4>
                        <ol class="story">
                            for (at, sentence) in r.story.unwrap_or_default() {
                                <li><span class="story__time">{ time_text(at) }</span>{ " " }<Said sentence={sentence} /></li>
                            }
                        </ol>
                    </>
                },
                None => html! { <p class="panel__hint">{ k.story_hint }</p> },
            } }
        </div>
    }
}
