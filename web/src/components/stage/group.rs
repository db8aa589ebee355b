//! A consumer group: its cursor on the tape and its lane of consumers.

use ackscope_engine::sim::view::{GroupView, StageView};
use yew::prelude::*;

use super::consumer::ConsumerCard;
use super::refs::{IdleScale, Pick, Shared, n, push_n};
use crate::i18n::use_catalogue;
use crate::layout::{self, LANE_HEAD_H, Rect, TAPE_H};
use crate::state::Selection;
use crate::words::fill;

/// How many group colours the style sheet has (Okabe–Ito hues); groups
/// are also always named next to their marks.
const HUES: usize = 4;

/// Props of [`GroupRail`].
#[derive(Properties, PartialEq)]
pub struct GroupRailProps {
    /// The stream's key.
    pub stream: String,
    /// The group.
    pub group: GroupView,
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
    let g = &props.group;
    let (x0, x1) = (props.tape.x, props.tape.x + props.tape.w);
    let line_y = props.y + 9.0;
    let rise = line_y - (props.tape.y + TAPE_H) + 2.0;
    let right = props.cursor_x < x0 + props.tape.w * 0.55;
    let label = format!("{} · last-delivered-id {}", g.name, g.last_delivered_id);
    let selection = Selection::Group {
        key: props.stream.clone(),
        group: g.name.clone(),
    };
    let (on_click, _) = props.pick.handlers(selection);
    html! {
        <g
            class={classes!("rail", format!("hue-{}", props.index % HUES))}
            data-testid="group-cursor"
            data-group={g.name.clone()}
            data-last-delivered-id={g.last_delivered_id.to_text()}
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

/// Props of [`GroupLane`].
#[derive(Properties, PartialEq)]
pub struct GroupLaneProps {
    /// The world at the cursor.
    pub view: Shared<StageView>,
    /// Index of the stream.
    pub stream: usize,
    /// Where the lane's parts sit.
    pub lane: layout::Lane,
    /// Claim thresholds.
    pub idle: Shared<IdleScale>,
    /// Selection.
    pub pick: Pick,
}

/// The group's header — what XINFO GROUPS reports — and its consumers.
#[component]
pub fn GroupLane(props: &GroupLaneProps) -> Html {
    let text = use_catalogue();
    let stream = &props.view.streams[props.stream];
    let g = &stream.groups[props.lane.group];
    let selection = Selection::Group {
        key: stream.key.clone(),
        group: g.name.clone(),
    };
    let selected = props.pick.is(&selection);
    let (on_click, on_key) = props.pick.handlers(selection);
    let nil = |v: Option<i64>| v.map_or("(nil)".to_owned(), |v| v.to_string());
    let y = props.lane.y;
    let label = fill(
        text.stage.group_label,
        &[
            ("group", g.name.clone()),
            ("id", g.last_delivered_id.to_text()),
            ("read", nil(g.entries_read)),
            ("lag", nil(g.lag)),
            ("n", g.pending.to_string()),
        ],
    )
    .plain();
    html! {
        <g class={classes!("lane", format!("hue-{}", props.lane.group % HUES))}>
            <g
                class={classes!("lane__head", selected.then_some("is-selected"))}
                data-testid="group"
                data-key={stream.key.clone()}
                data-group={g.name.clone()}
                data-last-delivered-id={g.last_delivered_id.to_text()}
                data-entries-read={nil(g.entries_read)}
                data-lag={nil(g.lag)}
                data-pending={g.pending.to_string()}
                role="button"
                tabindex="0"
                aria-label={label}
                aria-pressed={selected.to_string()}
                onclick={on_click}
                onkeydown={on_key}
            >
                <rect class="lane__hit" x="8" y={n(y)} width={n(layout::WIDTH - 16.0)} height={n(LANE_HEAD_H - 4.0)} rx="6" />
                <text class="lane__title" x="16" y={n(y + 21.0)}>
                    <tspan class="lane__kind">{ text.stage.group }</tspan>
                    <tspan class="lane__name" dx="8">{ &g.name }</tspan>
                    // XINFO GROUPS's field names, never translated.
                    <tspan class="lane__stat" dx="22">{ "entries-read " }</tspan>
                    <tspan class="lane__num">{ nil(g.entries_read) }</tspan>
                    <tspan class="lane__stat" dx="18">{ "lag " }</tspan>
                    <tspan class="lane__num">{ nil(g.lag) }</tspan>
                    <tspan class="lane__stat" dx="18">{ "pending " }</tspan>
                    <tspan class="lane__num">{ g.pending.to_string() }</tspan>
                </text>
            </g>
            for card in props.lane.cards.iter() {
                <ConsumerCard
                    key={g.consumers[card.consumer].name.clone()}
                    stream={stream.key.clone()}
                    group={g.name.clone()}
                    consumer={g.consumers[card.consumer].clone()}
                    card={card.clone()}
                    idle_full_ms={props.idle.full_ms(&stream.key, &g.name)}
                    idle_mark_ms={props.idle.threshold(&stream.key, &g.name)}
                    pick={props.pick.clone()}
                />
            }
        </g>
    }
}
