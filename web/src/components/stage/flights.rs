//! Events in flight: one moving chip per trace event that just happened.

use ackscope_engine::sim::view::StageView;
use yew::prelude::*;

use super::refs::{Shared, n};
use crate::i18n::use_catalogue;
use crate::layout::StageLayout;
use crate::motion::{Flight, FlightKind};

/// Props of [`Flights`].
#[derive(Properties, PartialEq)]
pub struct FlightsProps {
    /// The world at the cursor.
    pub view: Shared<StageView>,
    /// Where everything is.
    pub layout: Shared<StageLayout>,
    /// The flights, oldest first.
    pub flights: Shared<Vec<Flight>>,
}

/// The flights layer, drawn over everything. Each flight is a CSS
/// animation from its start to its end anchor, played once when its
/// element appears (its key is its serial); a landed flight stays,
/// invisible, until newer ones push it out. The browser animates it, so a
/// flight costs the page nothing per frame.
#[component]
pub fn Flights(props: &FlightsProps) -> Html {
    let text = use_catalogue();
    let layout = &props.layout;
    html! {
        <g class="flights" aria-hidden="true">
            for flight in props.flights.iter() {
                if let (Some(from), Some(to)) = (layout.point(&props.view, &flight.from), layout.point(&props.view, &flight.to)) {
                    <g
                        key={flight.serial}
                        class={classes!("flight", format!("flight--{}", flight.kind.slug()))}
                        style={format!(
                            "--x0: {:.1}px; --y0: {:.1}px; --x1: {:.1}px; --y1: {:.1}px; animation-duration: {}ms",
                            from.0, from.1, to.0, to.1, flight.travel_ms
                        )}
                        data-kind={flight.kind.slug()}
                    >
                        <rect class="flight__chip" x="-62" y="-13" width="124" height="26" rx="13" />
                        <text class="flight__label" y="5" text-anchor="middle">{ label(flight, text.stage.ack_word) }</text>
                        if let Some(count) = flight.delivery_count.filter(|count| *count > 1) {
                            <g class="flight__badge" transform={format!("translate({} -13)", n(58.0))}>
                                <circle r="11" />
                                <text y="4" text-anchor="middle">{ format!("×{count}") }</text>
                            </g>
                        }
                    </g>
                }
            }
        </g>
    }
}

/// The chip's words: the entry's ID, or for an XACK the command.
fn label(flight: &Flight, ack: &str) -> String {
    match flight.kind {
        FlightKind::Ack => ack.to_owned(),
        _ => flight.id.to_text(),
    }
}
