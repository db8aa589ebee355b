//! The Streams lab: the stage, its explanation, and the tools around it.

use std::rc::Rc;

use yew::prelude::*;

use super::stage::{IdleScale, Stage};
use super::{Console, EventLog, FaultBar, Inspector, Narration, NoticeBar, RunPicker};
use crate::i18n::use_catalogue;
use crate::lab::Lab;
use crate::motion::{Flight, Motion};
use crate::run::Run;
use crate::shared::Shared;
use crate::state::{Action, Notice, Selection};

/// Props of [`StreamsLab`].
#[derive(Properties, PartialEq)]
pub struct StreamsLabProps {
    /// The run, at the cursor.
    pub run: Run,
    /// Whether the last change travels.
    pub motion: Motion,
    /// Wall-clock length of a flight now.
    pub travel_ms: u32,
    /// Events in flight.
    pub flights: Rc<Vec<Flight>>,
    /// What the inspector shows.
    pub selection: Option<Selection>,
    /// A message for the reader.
    pub notice: Option<Notice>,
    /// Everything the lab's controls ask for.
    pub on_action: Callback<Action>,
    /// The clock bar, between the stage and the console.
    #[prop_or_default]
    pub children: Html,
}

/// The lab: what runs (picker), what it looks like (stage), what it means
/// (narration, inspector, event log), and what a reader can do to it
/// (faults, console, clock).
#[component]
pub fn StreamsLab(props: &StreamsLabProps) -> Html {
    let text = use_catalogue();
    let run = &props.run;
    let act = &props.on_action;
    let idle = use_memo(run.name().to_owned(), |_| {
        Shared(Rc::new(IdleScale::of(run.scenario())))
    });
    let view = Shared(run.view());
    let narration = run
        .scenario()
        .narration_at(run.cursor().ms)
        .map(|(ms, t)| (ms, t.clone()));
    html! {
        <main class="lab lab--streams" aria-labelledby="lab-title">
            <div class="lab__head">
                <h2 class="lab__title" id="lab-title">{ text.lab(Lab::Streams).name }</h2>
                <RunPicker
                    scenario={AttrValue::from(run.name().to_owned())}
                    seed={run.seed()}
                    changes={run.injections().len()}
                    on_load={act.reform(Action::Load)}
                    on_seed={act.reform(Action::SetSeed)}
                    on_clear={act.reform(|_| Action::ClearInjections)}
                />
            </div>
            if let Some(notice) = &props.notice {
                <NoticeBar notice={notice.clone()} on_dismiss={act.reform(|_| Action::DismissNotice)} />
            }
            <div class="lab__body">
                <div
                    class="stage stage--live"
                    data-testid="stage"
                    data-lab="streams"
                    data-scenario={run.name().to_owned()}
                    data-actions={run.cursor().actions.to_string()}
                >
                    <Stage
                        {view}
                        flights={Shared(Rc::clone(&props.flights))}
                        motion={props.motion}
                        travel_ms={props.travel_ms}
                        idle={(*idle).clone()}
                        selection={props.selection.clone()}
                        on_select={act.reform(|s| Action::Select(Some(s)))}
                    />
                </div>
                <aside class="lab__aside">
                    <Narration summary={run.scenario().summary.clone()} step={narration} />
                    if run.view().lanes.iter().any(|lane| !lane.workers.is_empty()) {
                        <FaultBar lanes={run.view().lanes.clone()} ended={run.at_end()} on_fault={act.reform(|(kind, worker)| Action::Fault(kind, worker))} />
                    }
                    <Inspector run={run.clone()} selection={props.selection.clone()} on_close={act.reform(|_| Action::Select(None))} />
                </aside>
            </div>
            { props.children.clone() }
            <div class="lab__tools">
                <Console run={run.clone()} on_run={act.reform(Action::Console)} />
                <EventLog run={run.clone()} />
            </div>
        </main>
    }
}
