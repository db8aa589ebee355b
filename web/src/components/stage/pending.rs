//! One pending entry on a consumer's card.

use ackscope_engine::view::PendingView;
use yew::prelude::*;

use super::refs::{fit, lands_on_holder, n, use_arrival};
use crate::motion::Anchor;

/// An idle time in seconds to the tenth, truncated as a clock reads
/// (`1.7 s` for 1,716 ms): the engine's milliseconds, shown coarser.
pub fn tenths(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, ms % 1000 / 100)
}

/// Props of [`PendingRow`].
#[derive(Properties, PartialEq)]
pub struct PendingRowProps {
    /// The pending entry, as the engine reports it.
    pub pending: PendingView,
    /// The consumer that holds it, where its deliveries and claims land.
    pub holder: Anchor,
    /// Left of the card.
    pub x: f64,
    /// Top of the row.
    pub y: f64,
    /// Width of the card.
    pub w: f64,
    /// The idle time a full bar stands for.
    pub full_ms: u64,
    /// The claim threshold marked on the bar, if any worker claims.
    pub mark_ms: Option<u64>,
}

/// One pending entry: its ID, its delivery count, and a bar of how long
/// it has been idle, marked where recovery workers will claim it.
#[component]
pub fn PendingRow(props: &PendingRowProps) -> Html {
    let p = &props.pending;
    let arrival = use_arrival(lands_on_holder(props.holder.clone(), p.id));
    let track = (props.w - 88.0).max(20.0);
    // Past the mark, recovery workers' XAUTOCLAIM may take it.
    let claimable = props.mark_ms.is_some_and(|mark| p.idle_ms >= mark);
    // Drawn in tenths of a second: finer steps would not show, and each
    // redraw of a growing bar costs a repaint.
    let scale =
        |ms: u64| track * ((ms / 100 * 100).min(props.full_ms) as f64 / props.full_ms as f64);
    html! {
        <g
            class={classes!("pending", arrival, claimable.then_some("pending--claimable"), (!p.exists).then_some("pending--gone"))}
            style={format!("transform: translate({:.1}px, {:.1}px)", props.x + 12.0, props.y)}
            data-testid="pending-entry"
            data-id={p.id.to_text()}
            data-delivery-count={p.delivery_count.to_string()}
        >
            <text class="pending__id" y="13">{ fit(&p.id.to_text(), props.w - 70.0, 12.0) }</text>
            <text class="pending__count" x={n(props.w - 24.0)} y="13" text-anchor="end">{ format!("×{}", p.delivery_count) }</text>
            <rect class="pending__track" y="19" width={n(track)} height="5" rx="2.5" />
            <rect class="pending__idle" y="19" width={n(scale(p.idle_ms))} height="5" rx="2.5" />
            if let Some(mark) = props.mark_ms {
                <line class="pending__mark" x1={n(scale(mark))} y1="16" x2={n(scale(mark))} y2="27" />
            }
            <text class="pending__ms" x={n(props.w - 24.0)} y="26" text-anchor="end">{ tenths(p.idle_ms) }</text>
        </g>
    }
}
