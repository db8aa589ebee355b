//! A consumer group's cursor on the tape: its `last-delivered-id`, and
//! its pending entries beside it.

use yew::prelude::*;

use super::group::HUES;
use super::refs::{Pick, n, push_n};
use crate::layout::{Rect, TAPE_H};
use crate::state::Selection;

/// Props of [`GroupRail`].
#[derive(Properties, PartialEq)]
pub struct GroupRailProps {
    /// The stream's key.
    pub stream: String,
    /// The group's name.
    pub name: String,
    /// Its `last-delivered-id`, as Redis prints it.
    pub last_delivered_id: String,
    /// Its place among the stream's groups (its colour).
    pub index: usize,
    /// The tape it points into.
    pub tape: Rect,
    /// Top of the rail.
    pub y: f64,
    /// Where `last-delivered-id` points.
    pub cursor_x: f64,
    /// Where the entries pending in the group are.
    pub pending_x: Vec<f64>,
    /// Selection.
    pub pick: Pick,
}

/// The group's `last-delivered-id`: a marker under the tape, after the last
/// entry delivered to the group. A solid rail runs under what was
/// delivered, a dashed one under the lag, and a hollow square sits under
/// each entry still pending in the group — the offset and the pending
/// entries side by side. XREADGROUP moves the marker right; XGROUP SETID
/// can move it back, and it visibly travels there.
#[component]
pub fn GroupRail(props: &GroupRailProps) -> Html {
    let (x0, x1) = (props.tape.x, props.tape.x + props.tape.w);
    let line_y = props.y + 9.0;
    let rise = line_y - (props.tape.y + TAPE_H) + 2.0;
    let right = props.cursor_x < x0 + props.tape.w * 0.55;
    let label = format!(
        "{} · last-delivered-id {}",
        props.name, props.last_delivered_id
    );
    let selection = Selection::Group {
        key: props.stream.clone(),
        group: props.name.clone(),
    };
    let (on_click, _) = props.pick.handlers(selection);
    html! {
        <g
            class={classes!("rail", format!("hue-{}", props.index % HUES))}
            data-testid="group-cursor"
            data-group={props.name.clone()}
            data-last-delivered-id={props.last_delivered_id.clone()}
            onclick={on_click}
        >
            <line class="rail__lag" x1={n(props.cursor_x)} y1={n(line_y)} x2={n(x1)} y2={n(line_y)} />
            <line class="rail__done" x1={n(x0)} y1={n(line_y)} x2={n(props.cursor_x)} y2={n(line_y)} />
            <path class="rail__pending" d={squares(&props.pending_x, line_y)} />
            <g class="cursor" style={format!("transform: translate({:.1}px, {:.1}px)", props.cursor_x, line_y)}>
                <line class="cursor__stem" x1="0" y1="0" x2="0" y2={n(-rise)} />
                <path class="cursor__head" d={format!("M0 {:.1}l-7 11h14z", -rise)} />
                <circle class="cursor__dot" r="4.5" />
                <text class="cursor__label" x={if right { "-6" } else { "6" }} y="21" text-anchor={if right { "start" } else { "end" }}>{ label }</text>
            </g>
        </g>
    }
}

/// One hollow square per pending entry, as one path.
fn squares(xs: &[f64], y: f64) -> String {
    let mut d = String::new();
    for x in xs {
        d.push('M');
        push_n(&mut d, x - 4.5);
        d.push(' ');
        push_n(&mut d, y - 4.5);
        d.push_str("h9v9h-9z");
    }
    d
}
