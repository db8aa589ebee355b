//! The Guarantees lab: one workload and one fault schedule run in one lane
//! per delivery guarantee, stacked on one clock (seed 004's comparison).
//!
//! Each lane shows its guarantee's rule, the ledger's counters, its broker
//! drawn small, a fate grid (one cell per produced message) and a chart of
//! lost and duplicates over time. Pointing at or focusing a cell tells that
//! message's story in every lane, side by side. "Branch here" adds a lane
//! that replays one of them without a fault still to come. Every number is
//! the engine's: counts and fates from `World::tally`, the charts' points
//! from `view::loss_series`, the stories from `World::lane_story`.

use std::cell::OnceCell;
use std::rc::Rc;

use ackscope_engine::kafka::TopicPartition;
use ackscope_engine::msg::MsgRef;
use ackscope_engine::scenario::{FaultKind, FaultSpec};
use ackscope_engine::sim::{Events, World};
use ackscope_engine::view::{LaneTally, LossSeries, MessageFate, StageView, loss_series};
use yew::prelude::*;

use super::guarantees::{
    BrokerLine, ChartKey, Counters, FateGrid, FateKey, LaneBroker, LaneStory, LossChart,
    StoryPanel, StripKey, WhatIf, WorkloadEditor, WorkloadForm, fate_words,
};
use super::{
    BrokerTargets, ConsumerTarget, FaultBar, FaultTarget, KafkaFaults, LabHead, Narration, Prose,
};
use crate::handlers::Handlers;
use crate::hooks::use_sampled;
use crate::i18n::{Catalogue, GuaranteesText, use_catalogue};
use crate::lab::Lab;
use crate::run::{BranchChange, BranchSpec, Run};
use crate::shared::Shared;
use crate::state::Notice;
use crate::words::{describe, fill, ms_text};

/// While playing, how often (wall-clock ms) the lanes are drawn anew:
/// ten times a second, as the Streams lab's idle times.
const LANES_MS: f64 = 100.0;

/// Props of [`GuaranteesLab`].
#[derive(Properties, PartialEq)]
pub struct GuaranteesLabProps {
    /// The run, at the cursor.
    pub run: Run,
    /// A message for the reader.
    pub notice: Option<Notice>,
    /// Whether the clock is playing.
    pub playing: bool,
    /// What the lab's controls call.
    pub handlers: Shared<Handlers>,
    /// The clock bar, under the stage.
    #[prop_or_default]
    pub children: Html,
}

/// The guarantee's rule, from the catalogue, as the lane's broker keeps
/// it: acknowledging entries in Redis, committing offsets in Kafka.
fn rule(guarantee: &str, kafka: bool, t: &'static GuaranteesText) -> &'static str {
    match (guarantee, kafka) {
        ("at-most-once", false) => t.at_most_once,
        ("at-most-once", true) => t.kafka_at_most_once,
        ("at-least-once", false) => t.at_least_once,
        ("at-least-once", true) => t.kafka_at_least_once,
        ("dedup-without-transaction", _) => t.dedup_without_transaction,
        (_, false) => t.exactly_once,
        (_, true) => t.kafka_exactly_once,
    }
}

/// A scenario fault in words.
fn fault_words(f: &FaultSpec, t: &GuaranteesText) -> String {
    let role = f.role.clone().unwrap_or_default();
    let at = ms_text(f.at_ms);
    match f.kind {
        FaultKind::Crash => fill(t.fault_crash, &[("role", role), ("t", at)]),
        FaultKind::Restart => fill(t.fault_restart, &[("role", role), ("t", at)]),
        FaultKind::LoseCommand => fill(
            t.fault_lose_command,
            &[
                ("role", role),
                ("command", f.command.clone().unwrap_or_default()),
                ("t", at),
            ],
        ),
        FaultKind::LoseReply if f.command.is_none() => {
            fill(t.fault_lose_reply, &[("role", role), ("t", at)])
        }
        FaultKind::BrokerCrash if f.role.is_some() => {
            fill(t.fault_kill, &[("role", role), ("t", at)])
        }
        kind => fill(
            t.fault_other,
            &[("kind", kind_name(kind).into()), ("role", role), ("t", at)],
        ),
    }
    .plain()
}

/// A fault's kind as the scenario format names it.
fn kind_name(kind: FaultKind) -> &'static str {
    match kind {
        FaultKind::Crash => "crash",
        FaultKind::Restart => "restart",
        FaultKind::Slow => "slow",
        FaultKind::Disconnect => "disconnect",
        FaultKind::LoseCommand => "lose-command",
        FaultKind::LoseReply => "lose-reply",
        FaultKind::BrokerCrash => "broker-crash",
        FaultKind::BrokerRestart => "broker-restart",
    }
}

/// One lane as drawn: its tally, its broker (as each service sees it), its
/// chart's series and which lane of that series it is, and what it is
/// called.
struct Card {
    key: String,
    title: String,
    tally: LaneTally,
    /// Each service's fates (`tally`'s), shared so a fate grid whose lane
    /// did not change skips its render.
    fates: Vec<Shared<Vec<MessageFate>>>,
    brokers: Vec<LaneBroker>,
    series: Shared<LossSeries>,
    series_lane: usize,
    branch: bool,
}

/// One message's story in one lane.
fn story_of(
    world: &World,
    events: Events<'_>,
    card: &Card,
    msg: MsgRef,
    text: &Catalogue,
) -> LaneStory {
    LaneStory {
        lane: card.title.clone(),
        fate: card
            .tally
            .services
            .iter()
            .flat_map(|s| s.fates.iter())
            .find(|m| m.msg == msg)
            .map(|m| fate_words(m.fate, &text.guarantees_stage))
            .unwrap_or_default(),
        lines: world
            .lane_story(events, msg)
            .iter()
            .filter_map(|e| Some((e.at, describe(&e.into(), world, &text.words)?)))
            .collect(),
    }
}

/// Every lane's card at the cursor, the branch's last.
fn cards(
    run: &Run,
    series: &Shared<LossSeries>,
    branch_series: &Shared<LossSeries>,
    branch: Option<&(BranchSpec, World)>,
    t: &GuaranteesText,
) -> Vec<Card> {
    let lanes = run.lanes();
    let mut cards: Vec<Card> = lanes
        .worlds()
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let tally = w.tally();
            Card {
                key: tally.name.clone(),
                title: tally.name.clone(),
                brokers: lane_brokers(w, || match i {
                    0 => run.view(),
                    _ => Rc::new(w.view()),
                }),
                fates: fates_of(&tally),
                tally,
                series: series.clone(),
                series_lane: i,
                branch: false,
            }
        })
        .collect();
    if let Some((spec, w)) = branch {
        let tally = w.tally();
        let lane = ("lane", tally.name.clone());
        let title = match &spec.change {
            BranchChange::Without(n) => {
                let fault = run
                    .scenario()
                    .faults
                    .get(usize::from(*n))
                    .map(|f| fault_words(f, t))
                    .unwrap_or_default();
                fill(t.branch_name, &[lane, ("fault", fault)])
            }
            BranchChange::With(f) => {
                fill(t.branch_name_with, &[lane, ("fault", fault_words(f, t))])
            }
            BranchChange::Guarantee(g) => {
                fill(t.branch_name_as, &[lane, ("guarantee", g.as_str().into())])
            }
        };
        cards.push(Card {
            key: format!("{}/{}", tally.name, spec.change.slug()),
            title: title.plain(),
            brokers: lane_brokers(w, || Rc::new(w.view())),
            fates: fates_of(&tally),
            tally,
            series: branch_series.clone(),
            series_lane: usize::from(spec.lane),
            branch: true,
        });
    }
    cards
}

/// What a lane's card last drew, by the card's key: its fate grids and
/// brokers, to be given again where nothing in them changed.
struct Kept {
    key: String,
    fates: Vec<Shared<Vec<MessageFate>>>,
    brokers: Vec<LaneBroker>,
}

/// Gives each card the fate grids and brokers it drew last time where
/// they are equal to the new ones, so that their parts see the same `Rc`
/// and skip their render: with three lanes, most redraws change one lane,
/// and in it only some of its parts. Then remembers what is drawn now.
fn keep_unchanged(cards: &mut [Card], kept: &mut Vec<Kept>) {
    for card in cards.iter_mut() {
        let Some(old) = kept.iter().find(|k| k.key == card.key) else {
            continue;
        };
        for (new, old) in card.fates.iter_mut().zip(&old.fates) {
            if **new == **old {
                *new = old.clone();
            }
        }
        for (new, old) in card.brokers.iter_mut().zip(&old.brokers) {
            if new.same_as(old) {
                *new = old.clone();
            }
        }
    }
    *kept = cards
        .iter()
        .map(|c| Kept {
            key: c.key.clone(),
            fates: c.fates.clone(),
            brokers: c.brokers.clone(),
        })
        .collect();
}

/// Each service's fates in a lane's tally.
fn fates_of(tally: &LaneTally) -> Vec<Shared<Vec<MessageFate>>> {
    tally
        .services
        .iter()
        .map(|s| Shared(Rc::new(s.fates.clone())))
        .collect()
}

/// Each service's broker in lane `w`; a Redis lane's stage (`redis`) is
/// made once, whatever the number of services.
fn lane_brokers(w: &World, redis: impl FnOnce() -> Rc<StageView>) -> Vec<LaneBroker> {
    let stage = OnceCell::new();
    let mut redis = Some(redis);
    (0..w.scenario().services.len())
        .map(|i| {
            LaneBroker::of(w, i, || {
                Rc::clone(stage.get_or_init(|| redis.take().map(|f| f()).unwrap_or_default()))
            })
        })
        .collect()
}

/// Message `msg`'s name and its story in every card's lane.
fn stories(
    run: &Run,
    cards: &[Card],
    branch: Option<&World>,
    msg: MsgRef,
    text: &Catalogue,
) -> (String, Vec<LaneStory>) {
    let lanes = run.lanes();
    let name = lanes.lane(0).msg_name(msg);
    let mut stories: Vec<LaneStory> = lanes
        .worlds()
        .iter()
        .zip(cards)
        .map(|(w, card)| story_of(w, run.applied(), card, msg, text))
        .collect();
    if let (Some(w), Some(card)) = (branch, cards.last().filter(|c| c.branch)) {
        stories.push(story_of(w, run.branch_events(), card, msg, text));
    }
    (name, stories)
}

/// The lab: head, the lanes and the story under them, narration, faults
/// and "what if" beside them, the clock.
///
/// Only the clock is drawn on every frame. Everything above it shows the
/// run as sampled: while playing, at most every `LANES_MS` of wall time
/// (with three lanes busy an action runs nearly every frame, and redrawing
/// every lane's counters, grid and chart, the narration and the fault
/// buttons sixty times a second costs more than a frame has); paused,
/// exactly the cursor.
#[component]
pub fn GuaranteesLab(props: &GuaranteesLabProps) -> Html {
    let shown = use_sampled(props.playing, LANES_MS, || props.run.clone());
    html! {
        <main class="lab lab--guarantees" aria-labelledby="lab-title">
            <LabBody run={shown} notice={props.notice.clone()} handlers={props.handlers.clone()} />
            { props.children.clone() }
        </main>
    }
}

/// Props of [`LabBody`].
#[derive(Properties, PartialEq)]
struct LabBodyProps {
    /// The run as sampled.
    run: Shared<Run>,
    notice: Option<Notice>,
    handlers: Shared<Handlers>,
}

/// Everything of the lab but the clock, at the sampled run's cursor.
#[component]
fn LabBody(props: &LabBodyProps) -> Html {
    let text = use_catalogue();
    let t = &text.guarantees_stage;
    let run = &*props.run;
    let on = &props.handlers;
    let focus = use_state(|| None::<MsgRef>);
    let on_focus = {
        let focus = focus.clone();
        use_callback((), move |msg: MsgRef, _| focus.set(Some(msg)))
    };
    let series = use_memo(run.id(), |_| Shared(Rc::new(loss_series(run.timeline()))));
    let branch_series = use_memo((run.id(), run.branch()), |_| {
        Shared(Rc::new(
            run.branch_timeline().map(loss_series).unwrap_or_default(),
        ))
    });
    let scenario = run.scenario();
    // What the lanes show changes only when an action runs (or, for a
    // branch, when its own clock moves).
    let drawn_at = run.cursor();
    let moment = (
        run.id(),
        drawn_at.actions,
        run.branch(),
        run.branch().map(|_| drawn_at.ms),
        t.stage,
    );
    let kept = use_mut_ref(Vec::<Kept>::new);
    let drawn = use_memo(moment.clone(), |_| {
        let branch = run.branch().zip(run.branch_world());
        let mut cards = cards(run, &series, &branch_series, branch.as_ref(), t);
        keep_unchanged(&mut cards, &mut kept.borrow_mut());
        (cards, branch.map(|(_, w)| w))
    });
    let story = use_memo((moment, *focus), |(_, focus)| {
        focus.map(|msg| stories(run, &drawn.0, drawn.1.as_ref(), msg, text))
    });
    let cards = &drawn.0;
    let lane_names: Vec<String> = cards
        .iter()
        .filter(|c| !c.branch)
        .map(|c| c.tally.name.clone())
        .collect();
    let now_ms = run.cursor().ms;
    let ahead: Vec<(u16, String)> = scenario
        .faults
        .iter()
        .enumerate()
        .filter(|(_, f)| f.at_ms >= now_ms)
        .map(|(i, f)| (i as u16, fault_words(f, t)))
        .collect();
    let kafka = cards
        .iter()
        .any(|c| c.brokers.iter().any(LaneBroker::is_kafka));
    let transactions = cards
        .iter()
        .flat_map(|c| &c.brokers)
        .any(LaneBroker::writes_transactions);
    let faults = lane_faults(run, cards, &on.fault, text.words.kafka.lane_faults_help);
    let crashable: Vec<String> = scenario.workers().map(|(_, w)| w.name.clone()).collect();
    let narration = run.narration();
    let form = use_memo(
        (run.name().to_owned(), run.changes().clone(), t.stage),
        |_| {
            let own = ackscope_engine::scenario::builtin::by_name(run.name());
            let changed = run.schedule().is_some()
                || run
                    .settings()
                    .iter()
                    .any(|s| matches!(s, ackscope_engine::scenario::Setting::Workload(_)));
            WorkloadForm::of(scenario, own.as_ref(), changed, t.workload)
        },
    );
    let (story_msg, story_lanes) = match &*story {
        Some((name, lanes)) => (Some(name.clone()), lanes.clone()),
        None => (None, Vec::new()),
    };
    html! {
        <>
            <LabHead title={run.title()} lab={Lab::Guarantees} notice={props.notice.clone()} handlers={on.clone()}>
                <div class="lanes__key">
                    <FateKey />
                    <ChartKey />
                    if kafka {
                        <StripKey {transactions} />
                    }
                </div>
            </LabHead>
            <div class="lab__body">
                <div
                    class="stage stage--live stage--guarantees"
                    data-testid="stage"
                    data-lab="guarantees"
                    data-scenario={run.name().to_owned()}
                    data-actions={run.cursor().actions.to_string()}
                    data-time-ms={now_ms.to_string()}
                >
                    <div class="lanes" role="group" aria-label={t.stage}>
                        for (i, card) in cards.iter().enumerate() {
                            { lane_card(i, card, *focus, &on_focus, drawn_at.ms, t) }
                        }
                    </div>
                    <StoryPanel msg={story_msg} lanes={story_lanes} />
                </div>
                <aside class="lab__aside">
                    <Narration summary={run.scenario().summary.clone()} step={narration} changed={run.changed()} />
                    { faults }
                    <WhatIf lanes={lane_names} faults={ahead} workers={crashable} kafka={kafka} current={run.branch()} on_branch={on.branch.clone()} />
                    <WorkloadEditor form={form} on_set={on.workload.clone()} on_edit={on.schedule.clone()} on_reset={on.own_workload.clone()} />
                </aside>
            </div>
        </>
    }
}

/// The fault buttons every lane shares, for the kind of broker the run's
/// first lane has: its workers' for Redis; for Kafka, the first topic's
/// leader, the consumers and the producers (from the first lane, whose
/// actors every lane has too).
fn lane_faults(
    run: &Run,
    cards: &[Card],
    on_fault: &Callback<(FaultKind, String)>,
    kafka_help: &'static str,
) -> Html {
    let Some(LaneBroker::Kafka(glance)) = cards.first().and_then(|c| c.brokers.first()) else {
        let workers = FaultTarget::of(&run.view().services);
        return html! {
            if !workers.is_empty() {
                <FaultBar workers={workers} on_fault={on_fault.clone()} />
            }
        };
    };
    let first = run
        .scenario()
        .kafka
        .as_ref()
        .and_then(|k| k.topics.first())
        .map(|t| TopicPartition::new(&t.name, 0).to_string())
        .unwrap_or_default();
    let leader = glance
        .partitions
        .iter()
        .find(|p| p.tp == first)
        .and_then(|p| p.leader);
    let producers: Vec<String> = run
        .scenario()
        .producers
        .iter()
        .map(|p| p.name.clone())
        .collect();
    html! {
        <KafkaFaults
            brokers={BrokerTargets::Leader { tp: first, leader, brokers: glance.brokers.clone() }}
            consumers={ConsumerTarget::of(&glance.consumers)}
            {producers}
            help={AttrValue::from(kafka_help)}
            on_fault={on_fault.clone()}
        />
    }
}

/// One lane's card: title and rule, counters, broker, fates, chart.
fn lane_card(
    i: usize,
    card: &Card,
    focus: Option<MsgRef>,
    on_focus: &Callback<MsgRef>,
    now_ms: u64,
    t: &'static GuaranteesText,
) -> Html {
    let lane = AttrValue::from(card.key.clone());
    html! {
        for (si, s) in card.tally.services.iter().enumerate() {
            <section
                key={format!("{}/{}", card.key, s.service)}
                class={classes!("lane", card.branch.then_some("lane--branch"))}
                data-testid="lane"
                data-lane={lane.clone()}
                data-guarantee={s.guarantee}
                data-branch={card.branch.to_string()}
                aria-labelledby={format!("lane-{i}")}
            >
                <header class="lane__head">
                    <h3 class="lane__name" id={format!("lane-{i}")}>{ &card.title }</h3>
                    <p class="lane__rule"><Prose text={rule(s.guarantee, card.brokers.get(si).is_some_and(LaneBroker::is_kafka), t)} /></p>
                </header>
                <Counters lane={lane.clone()} guarantee={s.guarantee} counts={s.counts} />
                if let Some(broker) = card.brokers.get(si) {
                    <BrokerLine lane={lane.clone()} broker={broker.clone()} />
                }
                <FateGrid
                    lane={lane.clone()}
                    fates={card.fates[si].clone()}
                    {focus}
                    on_focus={on_focus.clone()}
                />
                <LossChart series={card.series.clone()} lane={card.series_lane} name={lane.clone()} {now_ms} />
            </section>
        }
    }
}
