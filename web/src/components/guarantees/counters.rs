//! A lane's counters: the ledger's counts at the cursor, each in words and
//! in a `data-*` attribute for the tests.

use ackscope_engine::sim::ServiceCounts;
use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::words::fill;

/// Props of [`Counters`].
#[derive(Properties, PartialEq)]
pub struct CountersProps {
    /// The lane's name.
    pub lane: AttrValue,
    /// The guarantee its service gives (`at-most-once`…).
    pub guarantee: &'static str,
    /// The ledger's counts now.
    pub counts: ServiceCounts,
}

/// Produced, delivered, processed, duplicates, lost, dead-lettered and in
/// flight, as the engine's ledger has them now. Lost and duplicates are
/// marked by a border as well as by colour when they are not zero.
#[component]
pub fn Counters(props: &CountersProps) -> Html {
    let t = &use_catalogue().guarantees_stage;
    let c = props.counts;
    let cells = [
        ("produced", t.produced, c.produced),
        ("delivered", t.delivered, c.delivered),
        ("processed", t.processed, c.processed_unique),
        ("duplicates", t.duplicates, c.duplicates),
        ("lost", t.lost, c.lost),
        ("dead-lettered", t.dead_lettered, c.dead_lettered),
        ("in-flight", t.in_flight, c.in_flight),
    ];
    html! {
        <dl
            class="tally"
            data-testid="counters"
            aria-label={fill(t.counters, &[("lane", props.lane.to_string())]).plain()}
            data-lane={props.lane.clone()}
            data-guarantee={props.guarantee}
            data-produced={c.produced.to_string()}
            data-delivered={c.delivered.to_string()}
            data-processed={c.processed_unique.to_string()}
            data-duplicates={c.duplicates.to_string()}
            data-lost={c.lost.to_string()}
            data-dead-lettered={c.dead_lettered.to_string()}
            data-in-flight={c.in_flight.to_string()}
        >
            for (kind, label, n) in cells {
                <div class={classes!("tally__cell", (n > 0).then_some("tally__cell--some"))} data-kind={kind}>
                    <dt>{ label }</dt>
                    <dd>{ n }</dd>
                </div>
            }
        </dl>
    }
}
