//! The stage: the Streams lab's picture of the engine's world at the
//! cursor, in SVG so it stays crisp at any zoom and on any projector.
//!
//! Each part is named after what it shows: a stream's [`Band`] with its
//! tape of [`EntryCell`]s, each group's [`GroupRail`] (its cursor) and
//! [`GroupRow`] of [`ConsumerCard`]s with their [`PendingRow`]s, the
//! [`ProducerBox`]es, and the
//! [`Flights`] of the events that just happened. Every number drawn is a
//! field of the engine's `StageView`.

mod band;
mod consumer;
mod entry;
mod flights;
mod group;
mod legend;
mod pending;
mod producer;
mod rail;
mod refs;

use std::rc::Rc;

use ackscope_engine::view::StageView;
use yew::prelude::*;

use self::band::Band;
pub use self::consumer::{status_class, status_word};
use self::flights::Flights;
pub use self::legend::Legend;
use self::producer::ProducerBox;
pub use self::refs::{IdleScale, Landings, Pick, Shared};
use crate::i18n::use_catalogue;
use crate::layout::StageLayout;
use crate::motion::{Flight, Motion};
use crate::room::CardRoom;
use crate::state::Selection;

/// Props of [`Stage`].
#[derive(Properties, PartialEq)]
pub struct StageProps {
    /// The world at the cursor.
    pub view: Shared<StageView>,
    /// How much room the run's cards keep: rows, and cards side by side.
    pub room: Shared<CardRoom>,
    /// Events in flight.
    pub flights: Shared<Vec<Flight>>,
    /// Whether changes travel or show at once.
    pub motion: Motion,
    /// Wall-clock length of a flight at the current speed.
    pub travel_ms: u32,
    /// The claim threshold of each group's consumers, for idle bars.
    pub idle: Shared<IdleScale>,
    /// What the inspector shows.
    pub selection: Option<Selection>,
    /// Called when the reader picks an entry, group or consumer.
    pub on_select: Callback<Selection>,
}

/// The stage.
#[component]
pub fn Stage(props: &StageProps) -> Html {
    let text = use_catalogue();
    let layout = use_memo((props.view.clone(), props.room.clone()), |(view, room)| {
        StageLayout::of(view, room)
    });
    let pick = Pick {
        selection: props.selection.clone(),
        on_select: props.on_select.clone(),
    };
    let view = &props.view;
    let landings = use_memo((), |_| Landings::default());
    landings.fill(props.flights.clone());
    // The canvas keeps the drawing's aspect ratio, so the flights laid
    // over it in fractions of its size land where the drawing puts things.
    let style = format!(
        "--travel: {}ms; --w: {:.0}; --h: {:.0}",
        props.travel_ms, layout.width, layout.height
    );
    let view_box = format!("0 0 {:.0} {:.0}", layout.width, layout.height);
    html! {
        <ContextProvider<Motion> context={props.motion}>
        <ContextProvider<Landings> context={(*landings).clone()}>
            <div class="stage__canvas" data-motion={props.motion.attr()} data-time-ms={view.time_ms.to_string()} {style}>
                <svg class="stage__svg" viewBox={view_box} role="group" aria-label={text.stage.stage}>
                    <defs>
                        // Crashed consumers are hatched as well as greyed and
                        // labelled: the state never rides on colour alone.
                        <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <line x1="0" y1="0" x2="0" y2="8" class="hatch" />
                        </pattern>
                    </defs>
                    for band in layout.bands.iter() {
                        <Band key={view.streams[band.stream].key.clone()} view={view.clone()} band={band.clone()} idle={props.idle.clone()} pick={pick.clone()} />
                    }
                    for b in layout.producers.iter() {
                        <ProducerBox key={view.producers[b.producer].name.clone()} producer={view.producers[b.producer].clone()} rect={b.rect} />
                    }
                </svg>
                <Flights view={view.clone()} layout={Shared(Rc::clone(&layout))} flights={props.flights.clone()} />
            </div>
            if view.streams.is_empty() {
                <p class="stage__empty" data-testid="stage-empty">{ text.stage.empty }</p>
            }
        </ContextProvider<Landings>>
        </ContextProvider<Motion>>
    }
}
