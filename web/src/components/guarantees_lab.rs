//! The Guarantees lab: one workload and one fault schedule run in one lane
//! per delivery guarantee, stacked on one clock (seed 004's comparison).
//!
//! Each lane shows its guarantee's rule, the ledger's counters, its broker
//! drawn small, a fate grid (one cell per produced message) and a chart of
//! lost and duplicates over time. Pointing at or focusing a cell tells that
//! message's story in every lane, side by side. Every number is the
//! engine's: counts and fates from `World::tally`, the charts' points from
//! `view::loss_series`, the stories from `World::lane_story`.

use std::rc::Rc;

use ackscope_engine::msg::MsgRef;
use ackscope_engine::sim::World;
use ackscope_engine::view::{LaneTally, StageView, loss_series};
use yew::prelude::*;

use super::guarantees::{
    BrokerLine, Counters, FateGrid, FateKey, LaneStory, LossChart, StoryPanel, fate_words,
};
use super::{FaultBar, FaultTarget, LabHead, Narration, Prose};
use crate::handlers::Handlers;
use crate::i18n::{GuaranteesText, use_catalogue};
use crate::lab::Lab;
use crate::run::Run;
use crate::shared::Shared;
use crate::state::Notice;
use crate::words::describe;

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

/// The guarantee's rule, from the catalogue.
fn rule(guarantee: &str, t: &'static GuaranteesText) -> &'static str {
    match guarantee {
        "at-most-once" => t.at_most_once,
        "at-least-once" => t.at_least_once,
        _ => t.exactly_once,
    }
}

/// The lab: head, the lanes and the story under them, narration and faults
/// beside them, the clock.
#[component]
pub fn GuaranteesLab(props: &GuaranteesLabProps) -> Html {
    let text = use_catalogue();
    let t = &text.guarantees_stage;
    let run = &props.run;
    let on = &props.handlers;
    let focus = use_state(|| None::<MsgRef>);
    let on_focus = {
        let focus = focus.clone();
        use_callback((), move |msg: MsgRef, _| focus.set(Some(msg)))
    };
    let series = use_memo(
        (run.name().to_owned(), run.seed(), run.fingerprint()),
        |_| Shared(Rc::new(loss_series(run.timeline()))),
    );
    let lanes = run.lanes();
    let tallies: Vec<LaneTally> = lanes.worlds().iter().map(World::tally).collect();
    let views: Vec<Shared<StageView>> = lanes
        .worlds()
        .iter()
        .enumerate()
        .map(|(i, w)| match i {
            0 => Shared(run.view()),
            _ => Shared(Rc::new(w.view())),
        })
        .collect();
    let story = focus.and_then(|msg| {
        let name = lanes.worlds().first()?.msg_name(msg);
        let stories = lanes
            .worlds()
            .iter()
            .zip(&tallies)
            .map(|(w, tally)| LaneStory {
                lane: tally.name.clone(),
                fate: tally
                    .services
                    .iter()
                    .flat_map(|s| s.fates.iter())
                    .find(|m| m.msg == msg)
                    .map(|m| fate_words(m.fate, t))
                    .unwrap_or_default(),
                lines: w
                    .lane_story(run.applied(), msg)
                    .iter()
                    .filter_map(|e| Some((e.at, describe(e, w, &text.words)?)))
                    .collect(),
            })
            .collect::<Vec<_>>();
        Some((name, stories))
    });
    drop(lanes);
    let workers = FaultTarget::of(&run.view().services);
    let narration = run.narration();
    let now_ms = run.cursor().ms;
    let (story_msg, story_lanes) = match story {
        Some((name, lanes)) => (Some(name), lanes),
        None => (None, Vec::new()),
    };
    html! {
        <main class="lab lab--guarantees" aria-labelledby="lab-title">
            <LabHead lab={Lab::Guarantees} run={run.clone()} notice={props.notice.clone()} handlers={on.clone()} />
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
                        for (i, (tally, view)) in tallies.iter().zip(views).enumerate() {
                            for s in tally.services.iter() {
                                <section
                                    key={format!("{}/{}", tally.name, s.service)}
                                    class="lane"
                                    data-testid="lane"
                                    data-lane={tally.name.clone()}
                                    data-guarantee={s.guarantee}
                                    aria-labelledby={format!("lane-{i}")}
                                >
                                    <div class="lane__top">
                                        <header class="lane__head">
                                            <h3 class="lane__name" id={format!("lane-{i}")}>{ &tally.name }</h3>
                                            <p class="lane__rule"><Prose text={rule(s.guarantee, t)} /></p>
                                        </header>
                                        <Counters lane={AttrValue::from(tally.name.clone())} guarantee={s.guarantee} counts={s.counts} />
                                    </div>
                                    <BrokerLine view={view.clone()} />
                                    <FateGrid
                                        lane={AttrValue::from(tally.name.clone())}
                                        fates={Shared(Rc::new(s.fates.clone()))}
                                        focus={*focus}
                                        on_focus={on_focus.clone()}
                                    />
                                    <LossChart series={(*series).clone()} lane={i} name={AttrValue::from(tally.name.clone())} {now_ms} />
                                </section>
                            }
                        }
                        <FateKey />
                    </div>
                    <StoryPanel msg={story_msg} lanes={story_lanes} />
                </div>
                <aside class="lab__aside">
                    <Narration summary={run.scenario().summary.clone()} step={narration} />
                    if !workers.is_empty() {
                        <FaultBar workers={workers} on_fault={on.fault.clone()} />
                    }
                </aside>
            </div>
            { props.children.clone() }
        </main>
    }
}
