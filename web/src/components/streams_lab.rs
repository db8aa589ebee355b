//! The Streams lab: the stage, its explanation, and the tools around it.

use std::rc::Rc;

use yew::prelude::*;

use super::stage::{IdleScale, Legend, Stage};
use super::{Console, EventLog, FaultBar, FaultTarget, Inspector, LabHead, Narration};
use crate::handlers::Handlers;
use crate::lab::Lab;
use crate::motion::{Flight, Motion};
use crate::room::CardRoom;
use crate::run::Run;
use crate::shared::Shared;
use crate::state::{Notice, Selection};

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
    /// Whether the clock is playing.
    pub playing: bool,
    /// What the lab's controls call.
    pub handlers: Shared<Handlers>,
    /// The clock bar, between the stage and the console.
    #[prop_or_default]
    pub children: Html,
}

/// The lab: what runs (picker), what it looks like (stage), what it means
/// (narration, inspector, event log), and what a reader can do to it
/// (faults, console, clock).
#[component]
pub fn StreamsLab(props: &StreamsLabProps) -> Html {
    let run = &props.run;
    let on = &props.handlers;
    let idle = use_memo(run.name().to_owned(), |_| {
        Shared(Rc::new(IdleScale::of(run.scenario())))
    });
    let room = use_memo(run.id(), |_| {
        Shared(Rc::new(CardRoom::of(run.timeline().events())))
    });
    let view = Shared(run.view());
    let workers = FaultTarget::of(&view.services);
    // Counts a narration states are the engine's, at the cursor.
    let narration = run.narration();
    html! {
        <main class="lab lab--streams" aria-labelledby="lab-title">
            <LabHead title={run.title()} lab={Lab::Streams} notice={props.notice.clone()} handlers={on.clone()} />
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
                        room={(*room).clone()}
                        flights={Shared(Rc::clone(&props.flights))}
                        motion={props.motion}
                        travel_ms={props.travel_ms}
                        idle={(*idle).clone()}
                        selection={props.selection.clone()}
                        on_select={on.select.clone()}
                    />
                    <Legend />
                </div>
                <aside class="lab__aside">
                    <Narration summary={run.scenario().summary.clone()} step={narration} changed={run.changed()} />
                    if !workers.is_empty() {
                        <FaultBar workers={workers} on_fault={on.fault.clone()} />
                    }
                    <Inspector run={run.clone()} selection={props.selection.clone()} playing={props.playing} on_close={on.unselect.clone()} />
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
