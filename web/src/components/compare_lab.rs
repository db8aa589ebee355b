//! The Queue vs Stream vs Pub/Sub lab: one producer's messages in three
//! kinds of destination, side by side on one clock (seed 000's contrast).
//!
//! The stage is a column per kind — pub/sub channels, lists used as
//! queues, streams — each headed by the rule that makes it differ (who gets
//! a copy, what is kept after reading), then what the engine holds there
//! now, then the services reading it with their workers and their ledger
//! counts. Every value drawn is a field of the engine's `StageView` at the
//! cursor; the counts ride in `data-*` attributes for the tests.

use std::rc::Rc;

use ackscope_engine::redis::event::Event;
use ackscope_engine::scenario::{Scenario, ServiceSpec, Setting, Source, processing_list};
use ackscope_engine::sim::{SimEvent, What};
use ackscope_engine::view::latency::{Latency, latencies};
use ackscope_engine::view::{ServiceView, StageView, WorkerView};
use yew::prelude::*;

use super::stage::{status_class, status_word};
use super::{
    ClusterPanel, ClusterToggle, Console, EventLog, FaultBar, FaultTarget, LabHead, Narration,
    Prose, Said,
};
use crate::handlers::Handlers;
use crate::i18n::{CompareText, StageText, use_catalogue};
use crate::lab::Lab;
use crate::motion::Motion;
use crate::run::{Run, event_ms};
use crate::shared::Shared;
use crate::state::Notice;
use crate::words::{fill, ms_text};

/// How many of a list's items or a stream's newest entries are drawn.
const SHOWN: usize = 12;

/// Props of [`CompareLab`].
#[derive(Properties, PartialEq)]
pub struct CompareLabProps {
    /// The run, at the cursor.
    pub run: Run,
    /// How the stage got here: only a clock moving forward through
    /// events draws them arriving.
    pub motion: Motion,
    /// A message for the reader.
    pub notice: Option<Notice>,
    /// Whether the clock is playing.
    pub playing: bool,
    /// What the lab's controls call.
    pub handlers: Shared<Handlers>,
    /// The clock bar, between the stage and the console.
    #[prop_or_default]
    pub children: Html,
}

/// The lab: picker, the three columns, narration and faults beside them,
/// the clock, the console and the event log.
#[component]
pub fn CompareLab(props: &CompareLabProps) -> Html {
    let run = &props.run;
    let on = &props.handlers;
    let view = run.view();
    // One scenario per run: the stage re-renders when the view changes.
    let scenario = use_memo(run.name().to_owned(), |_| {
        Shared(Rc::new(run.scenario().clone()))
    });
    let workers = FaultTarget::of(&view.services);
    // What the trace says so far — each service's waits, the cluster's
    // bus — changes only when an action runs: not on every frame of play.
    let traced = use_memo(
        (run.id(), run.cursor().actions, props.motion),
        |(.., motion)| {
            let applied = run.applied();
            let latency = latencies(applied, 0, run.scenario().services.len());
            let cluster = run.world().cluster_view(applied);
            let arrived = match motion {
                Motion::Travel => arrivals(run),
                Motion::Instant => Arrived::default(),
            };
            (
                Shared(Rc::new(latency)),
                cluster.map(|c| Shared(Rc::new(c))),
                Shared(Rc::new(arrived)),
            )
        },
    );
    let (latency, cluster, arrived) = (*traced).clone();
    let reached = Shared(Rc::new(arrived.nodes.clone()));
    // The cluster's refusal is told beside its switch; every other notice
    // above the stage.
    let (refused, head_notice) = match &props.notice {
        Some(n @ Notice::ClusterRefused(_)) => (Some(n.clone()), None),
        other => (None, other.clone()),
    };
    let redis_changed = run
        .settings()
        .iter()
        .any(|s| matches!(s, Setting::Redis(_)));
    // Counts a narration states are the engine's, at the cursor.
    let narration = run.narration();
    html! {
        <main class="lab lab--compare" aria-labelledby="lab-title">
            <LabHead title={run.title()} lab={Lab::Compare} notice={head_notice} handlers={on.clone()} />
            <div class="lab__body">
                <div
                    class="stage stage--live stage--compare"
                    data-testid="stage"
                    data-lab="compare"
                    data-scenario={run.name().to_owned()}
                    data-actions={run.cursor().actions.to_string()}
                    data-time-ms={view.time_ms.to_string()}
                >
                    <Destinations view={Shared(Rc::clone(&view))} scenario={(*scenario).clone()} latency={latency} arrived={arrived} />
                    if let Some(cluster) = cluster {
                        <ClusterPanel cluster={cluster} reached={reached} />
                    }
                </div>
                <aside class="lab__aside">
                    <Narration summary={run.scenario().summary.clone()} step={narration} changed={run.changed()} />
                    <ClusterToggle on={run.scenario().cluster.is_some()} changed={redis_changed} refused={refused}
                        on_set={on.redis_setting.clone()} on_dismiss={on.dismiss.clone()} />
                    if !workers.is_empty() {
                        <FaultBar workers={workers} on_fault={on.fault.clone()} />
                    }
                </aside>
            </div>
            { props.children.clone() }
            <div class="lab__tools">
                <Console run={run.clone()} playing={props.playing} on_run={on.console.clone()} />
                <EventLog run={run.clone()} playing={props.playing} />
            </div>
        </main>
    }
}

/// How long (simulated ms) what a trace event just delivered is drawn
/// arriving, as in the Kafka lab.
const ARRIVAL_MS: u64 = 300;

/// What the trace delivered in the last [`ARRIVAL_MS`] of lane 0, each
/// from one event: drawn arriving once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Arrived {
    /// Stream entries XADD appended: (stream, ID as text).
    pub entries: Vec<(String, String)>,
    /// List values pushed or moved in: (list, value).
    pub values: Vec<(String, String)>,
    /// Workers that started processing a message.
    pub workers: Vec<String>,
    /// Cluster nodes the bus carried a message to.
    pub nodes: Vec<u16>,
}

fn arrivals(run: &Run) -> Arrived {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let now = run.cursor().ms;
    let mut out = Arrived::default();
    for e in run.applied().iter().rev() {
        if event_ms(&e) + ARRIVAL_MS < now {
            break;
        }
        if e.lane != 0 {
            continue;
        }
        match &*e.what {
            What::Redis(Event::EntryAdded { key, id, .. }) => {
                out.entries.push((text(key), id.to_text()));
            }
            What::Redis(Event::ListPushed { key, values, .. }) => {
                out.values
                    .extend(values.iter().map(|v| (text(key), text(v))));
            }
            What::Redis(Event::ListMoved { to, value, .. }) => {
                out.values.push((text(to), text(value)));
            }
            What::Redis(Event::ClusterForwarded { to_node, .. }) => out.nodes.push(*to_node),
            What::Sim(SimEvent::ProcessingStarted { worker, .. }) => {
                out.workers.push(text(worker));
            }
            _ => {}
        }
    }
    out
}

/// Props of [`Destinations`].
#[derive(Properties, PartialEq)]
pub struct DestinationsProps {
    /// The world at the cursor.
    pub view: Shared<StageView>,
    /// The scenario (how each worker takes its messages).
    pub scenario: Shared<Scenario>,
    /// Each service's waiting times so far, by index.
    pub latency: Shared<Vec<Latency>>,
    /// What the clock just passed delivering.
    pub arrived: Shared<Arrived>,
}

/// The producers, then one column per kind of destination.
#[component]
pub fn Destinations(props: &DestinationsProps) -> Html {
    let text = use_catalogue();
    let t = &text.compare_stage;
    let view = &*props.view;
    let scenario = &*props.scenario;
    let latency = &*props.latency;
    let arrived = &*props.arrived;
    let targets = |kinds: &[&str]| -> Vec<String> {
        let mut names: Vec<String> = view
            .producers
            .iter()
            .flat_map(|p| p.targets.iter())
            .filter(|(kind, _)| kinds.contains(&kind.as_str()))
            .map(|(_, name)| name.clone())
            .collect();
        // Each destination once, in the order the producers name them.
        let mut seen = Vec::new();
        names.retain(|n| {
            let first = !seen.contains(n);
            seen.push(n.clone());
            first
        });
        names
    };
    let channels = targets(&["channel", "shard channel"]);
    // The producers' lists, then any other list there is now (pushed by
    // the script or at the console); processing lists go under theirs.
    let mut lists = targets(&["list"]);
    for l in &view.lists {
        if !l.key.contains(":processing:") && !lists.contains(&l.key) {
            lists.push(l.key.clone());
        }
    }
    let streams: Vec<_> = view.streams.iter().filter(|s| !s.dead_letter).collect();
    // A column for each kind the scenario uses: the contrast is drawn
    // between what is there, not with empty boxes.
    let reads = |kinds: &[&str]| {
        view.services
            .iter()
            .any(|s| kinds.contains(&s.source.0.as_str()))
    };
    let show_channels = !channels.is_empty() || reads(&["subscriber"]);
    let show_lists = !lists.is_empty()
        || reads(&["list", "reliable-list"])
        || view.connections.iter().any(|c| c.blocked_on.is_some());
    let show_streams = !streams.is_empty() || reads(&["group", "reader"]);
    let columns = [show_channels, show_lists, show_streams]
        .into_iter()
        .filter(|shown| *shown)
        .count()
        .max(1);
    html! {
        <div class="compare" role="group" aria-label={t.stage}>
            <ul class="compare__producers">
                for p in view.producers.iter() {
                    <li class="compare__producer" data-testid="producer" data-producer={p.name.clone()} data-sent={p.sent.to_string()}>
                        <span class="compare__producer-name">{ &p.name }</span>
                        <span class="compare__sent"><Said sentence={fill(t.sent, &[("n", p.sent.to_string())])} /></span>
                        <span class="compare__arrows">
                            for (kind, name) in p.targets.iter() {
                                <span class="compare__target" data-kind={kind.clone()}>{ format!("→ {kind} ") }<code>{ name }</code></span>
                            }
                        </span>
                    </li>
                }
            </ul>
            if !view.connections.is_empty() {
                <ul class="compare__connections" data-testid="connections" aria-label={t.connections}>
                    for c in view.connections.iter() {
                        <li class="compare__connection" data-testid="connection" data-name={c.name.clone()}
                            data-blocked={c.blocked_on.is_some().to_string()} data-subscriptions={c.subscriptions.len().to_string()}>
                            <code class="compare__connection-name">{ &c.name }</code>
                            { match (&c.blocked_on, c.subscriptions.is_empty()) {
                                (Some(keys), _) => html! {
                                    <span class="chip__now--waiting"><Said sentence={fill(t.connection_blocked, &[
                                        ("keys", keys.join(", ")),
                                        ("since", ms_text(c.blocked_since_ms.unwrap_or_default())),
                                    ])} /></span>
                                },
                                (None, false) => html! {
                                    <Said sentence={fill(t.connection_subscribed, &[("names", c.subscriptions.join(", "))])} />
                                },
                                (None, true) => html! { <span class="compare__connection-idle">{ t.connection_idle }</span> },
                            } }
                        </li>
                    }
                </ul>
            }
            <div class="compare__columns" style={format!("--columns: {columns}")}>
                if show_channels {
                <section class="dest" data-testid="destination" data-kind="channel" aria-labelledby="dest-channel">
                    <h3 class="dest__title" id="dest-channel">{ t.channels }</h3>
                    <p class="dest__rule"><Prose text={t.channels_rule} /></p>
                    <ul class="dest__names">
                        for name in channels.iter() {
                            <li><code>{ name }</code></li>
                        }
                    </ul>
                    { services(view, scenario, latency, arrived, &["subscriber"], &text.stage, t) }
                </section>
                }
                if show_lists {
                <section class="dest" data-testid="destination" data-kind="list" aria-labelledby="dest-list">
                    <h3 class="dest__title" id="dest-list">{ t.lists }</h3>
                    <p class="dest__rule"><Prose text={t.lists_rule} /></p>
                    for key in lists.iter() {
                        { list_tape(view, key, arrived, t) }
                        for processing in view.lists.iter().filter(|l| l.key.starts_with(&format!("{key}:processing:"))) {
                            { list_tape(view, &processing.key, arrived, t) }
                        }
                    }
                    { services(view, scenario, latency, arrived, &["list", "reliable-list"], &text.stage, t) }
                </section>
                }
                if show_streams {
                <section class="dest" data-testid="destination" data-kind="stream" aria-labelledby="dest-stream">
                    <h3 class="dest__title" id="dest-stream">{ t.streams }</h3>
                    <p class="dest__rule"><Prose text={t.streams_rule} /></p>
                    for s in streams.iter() {
                        <div class="tape" data-testid="stream" data-key={s.key.clone()} data-length={s.length.to_string()}>
                            <div class="tape__head">
                                <code class="tape__key">{ &s.key }</code>
                                <span class="tape__count"><Said sentence={fill(t.kept, &[("n", s.length.to_string())])} /></span>
                            </div>
                            <ol class="tape__cells">
                                for e in s.entries.iter().rev().take(SHOWN).rev() {
                                    { entry_cell(&s.key, &e.id.to_text(), e.msg(), arrived) }
                                }
                            </ol>
                            for g in s.groups.iter() {
                                <p class="tape__group" data-testid="group" data-group={g.name.clone()} data-pending={g.pending.to_string()} data-last-delivered-id={g.last_delivered_id.to_text()}>
                                    <Said sentence={fill(t.group, &[("group", g.name.clone()), ("id", g.last_delivered_id.to_text())])} />
                                </p>
                            }
                        </div>
                    }
                    { services(view, scenario, latency, arrived, &["reader", "group"], &text.stage, t) }
                </section>
                }
            </div>
        </div>
    }
}

/// A list's items, head first, or "empty"; a worker's processing list is
/// marked as one.
fn list_tape(view: &StageView, list: &str, arrived: &Arrived, t: &'static CompareText) -> Html {
    let values = view
        .lists
        .iter()
        .find(|l| l.key == list)
        .map(|l| l.values.as_slice())
        .unwrap_or_default();
    let processing = list.contains(":processing:");
    html! {
        <div key={list.to_owned()} class={classes!("tape", processing.then_some("tape--processing"))} data-testid="list" data-key={list.to_owned()} data-length={values.len().to_string()}>
            <div class="tape__head">
                if processing {
                    <span class="tape__key"><Said sentence={fill(t.processing_list, &[("key", list.to_owned())])} /></span>
                } else {
                    <code class="tape__key">{ list }</code>
                }
                <span class="tape__count">
                    if values.is_empty() {
                        { t.empty }
                    } else {
                        <Said sentence={fill(t.length, &[("n", values.len().to_string())])} />
                    }
                </span>
            </div>
            <ol class="tape__cells">
                for i in 0..values.len().min(SHOWN) {
                    { value_cell(list, values, i, arrived) }
                }
            </ol>
        </div>
    }
}

/// A stream entry, keyed by its ID so that a new one is a new cell: the
/// one XADD just appended slides in.
fn entry_cell(stream: &str, id: &str, msg: Option<String>, arrived: &Arrived) -> Html {
    let new = arrived.entries.iter().any(|(k, i)| k == stream && i == id);
    html! {
        <li key={id.to_owned()} class={classes!("tape__cell", new.then_some("tape__cell--arrived"))} title={id.to_owned()}>
            { msg.unwrap_or_else(|| id.to_owned()) }
        </li>
    }
}

/// The `i`-th value of a list, keyed by the value and how many equal
/// values come before it, so that a pushed value is a new cell and a pop
/// at the head moves the others without redrawing them.
fn value_cell(list: &str, values: &[String], i: usize, arrived: &Arrived) -> Html {
    let v = &values[i];
    let before = values[..i].iter().filter(|w| *w == v).count();
    let new = arrived.values.iter().any(|(k, w)| k == list && w == v);
    html! {
        <li key={format!("{before}:{v}")} class={classes!("tape__cell", new.then_some("tape__cell--arrived"))}>{ v }</li>
    }
}

/// The services reading a column's destinations, each with its workers
/// and its ledger counts.
fn services(
    view: &StageView,
    scenario: &Scenario,
    latency: &[Latency],
    arrived: &Arrived,
    kinds: &[&str],
    stage: &'static StageText,
    t: &'static CompareText,
) -> Html {
    let shown: Vec<(usize, &ServiceView)> = view
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| kinds.contains(&s.source.0.as_str()))
        .collect();
    if shown.is_empty() {
        return html! { <p class="dest__none">{ t.none }</p> };
    }
    html! {
        <ul class="dest__services">
            for (i, s) in shown {
                { service_card(s, scenario.services.get(i), latency.get(i).copied().unwrap_or_default(), arrived, stage, t) }
            }
        </ul>
    }
}

/// One service: its name, what it reads, its workers, and its counts.
fn service_card(
    s: &ServiceView,
    spec: Option<&ServiceSpec>,
    wait: Latency,
    arrived: &Arrived,
    stage: &'static StageText,
    t: &'static CompareText,
) -> Html {
    let c = s.counts;
    let counts = [
        (t.produced, c.produced, "produced"),
        (t.delivered, c.delivered, "delivered"),
        (t.processed, c.processed_unique, "processed"),
        (t.duplicates, c.duplicates, "duplicates"),
        (t.in_flight, c.in_flight, "in-flight"),
        (t.lost, c.lost, "lost"),
    ];
    let reads = match spec.map(|s| &s.source) {
        Some(Source::Subscriber(sub)) => {
            let mut names = sub.channels.clone();
            names.extend(sub.patterns.iter().cloned());
            names.extend(sub.shard_channels.iter().cloned());
            Some(fill(t.listens, &[("names", names.join(", "))]))
        }
        _ => None,
    };
    html! {
        <li
            key={s.name.clone()}
            class="svc"
            data-testid="service"
            data-service={s.name.clone()}
            data-guarantee={s.guarantee}
            data-produced={c.produced.to_string()}
            data-delivered={c.delivered.to_string()}
            data-processed={c.processed_unique.to_string()}
            data-duplicates={c.duplicates.to_string()}
            data-in-flight={c.in_flight.to_string()}
            data-lost={c.lost.to_string()}
            data-empty-polls={c.empty_polls.to_string()}
            data-wait-mean-ms={wait.mean_ms.to_string()}
            data-wait-max-ms={wait.max_ms.to_string()}
        >
            <div class="svc__head">
                <span class="svc__name">{ &s.name }</span>
                <span class="svc__guarantee">{ s.guarantee }</span>
            </div>
            if let Some(reads) = reads {
                <p class="svc__reads"><Said sentence={reads} /></p>
            }
            <ul class="svc__workers">
                for w in s.workers.iter() {
                    { worker_chip(w, spec, arrived, stage, t) }
                }
            </ul>
            <dl class="svc__counts">
                for (label, n, _) in counts {
                    <div class="svc__count">
                        <dt>{ label }</dt>
                        <dd>{ n }</dd>
                    </div>
                }
                if wait.count > 0 {
                    <div class="svc__count svc__count--wide">
                        <dt>{ t.wait }</dt>
                        <dd>{ fill(t.wait_value, &[("mean", ms_text(wait.mean_ms)), ("max", ms_text(wait.max_ms))]).plain() }</dd>
                    </div>
                }
                if c.empty_polls > 0 {
                    <div class="svc__count svc__count--waste">
                        <dt>{ t.empty_polls }</dt>
                        <dd>{ c.empty_polls }</dd>
                    </div>
                }
            </dl>
        </li>
    }
}

/// A worker: its state, how it takes messages, what it does now.
fn worker_chip(
    w: &WorkerView,
    spec: Option<&ServiceSpec>,
    arrived: &Arrived,
    stage: &'static StageText,
    t: &'static CompareText,
) -> Html {
    let worker = spec.and_then(|s| s.workers.iter().find(|x| x.name == w.name));
    let how = match (spec.map(|s| &s.source), worker.and_then(|x| x.poll_ms)) {
        (Some(Source::List(_)), Some(ms)) => Some(fill(t.polls, &[("ms", ms.to_string())])),
        (Some(Source::List(_)), None) => Some(fill(t.blocks, &[])),
        (Some(Source::ReliableList(key)), _) => {
            Some(fill(t.moves, &[("key", processing_list(key, &w.name))]))
        }
        (Some(Source::Reader(r)), _) => Some(fill(t.reads, &[("from", r.from.clone())])),
        _ => None,
    };
    html! {
        <li
            key={w.name.clone()}
            class="chip"
            data-testid="worker"
            data-worker={w.name.clone()}
            data-status={status_class(w.status)}
            data-waiting={w.waiting.to_string()}
        >
            <span class="chip__name">{ &w.name }</span>
            <span class="chip__status">{ status_word(w.status, stage) }</span>
            if let Some(how) = how {
                <span class="chip__how"><Said sentence={how} /></span>
            }
            if let Some((msg, _)) = &w.processing {
                // The message a delivery just handed over arrives in the chip.
                <span class={classes!("chip__now", arrived.workers.contains(&w.name).then_some("chip__now--arrived"))}>
                    <Said sentence={fill(t.processing, &[("msg", msg.clone())])} />
                </span>
            } else if w.waiting {
                <span class="chip__now chip__now--waiting">{ t.waiting }</span>
            }
        </li>
    }
}
