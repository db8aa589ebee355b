//! A consumer group's row: what XINFO GROUPS reports, and its consumers.

use ackscope_engine::view::StageView;
use yew::prelude::*;

use super::consumer::ConsumerCard;
use super::refs::{IdleScale, Pick, Shared, n};
use crate::i18n::use_catalogue;
use crate::layout::{self, ROW_HEAD_H};
use crate::state::Selection;
use crate::words::fill;

/// How many group colours the style sheet has (Okabe–Ito hues); groups
/// are also always named next to their marks.
pub const HUES: usize = 4;

/// Props of [`GroupRow`].
#[derive(Properties, PartialEq)]
pub struct GroupRowProps {
    /// The world at the cursor.
    pub view: Shared<StageView>,
    /// Index of the stream.
    pub stream: usize,
    /// Where the row's parts sit.
    pub row: layout::GroupRow,
    /// Claim thresholds.
    pub idle: Shared<IdleScale>,
    /// Selection.
    pub pick: Pick,
}

/// The group's header — what XINFO GROUPS reports — and its consumers.
#[component]
pub fn GroupRow(props: &GroupRowProps) -> Html {
    let text = use_catalogue();
    let stream = &props.view.streams[props.stream];
    let g = &stream.groups[props.row.group];
    let selection = Selection::Group {
        key: stream.key.clone(),
        group: g.name.clone(),
    };
    let selected = props.pick.is(&selection);
    let (on_click, on_key) = props.pick.handlers(selection);
    let nil = |v: Option<i64>| v.map_or("(nil)".to_owned(), |v| v.to_string());
    let y = props.row.y;
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
        <g class={classes!("group-row", format!("hue-{}", props.row.group % HUES))}>
            <g
                class={classes!("group-row__head", selected.then_some("is-selected"))}
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
                <rect class="group-row__hit" x="8" y={n(y)} width={n(props.row.w + 12.0)} height={n(ROW_HEAD_H - 4.0)} rx="6" />
                <text class="group-row__title" x="16" y={n(y + 21.0)}>
                    <tspan class="group-row__kind">{ text.stage.group }</tspan>
                    <tspan class="group-row__name" dx="8">{ &g.name }</tspan>
                    // XINFO GROUPS's field names, never translated.
                    <tspan class="group-row__stat" dx="22">{ "entries-read " }</tspan>
                    <tspan class="group-row__num">{ nil(g.entries_read) }</tspan>
                    <tspan class="group-row__stat" dx="18">{ "lag " }</tspan>
                    <tspan class="group-row__num">{ nil(g.lag) }</tspan>
                    <tspan class="group-row__stat" dx="18">{ "pending " }</tspan>
                    <tspan class="group-row__num">{ g.pending.to_string() }</tspan>
                </text>
            </g>
            for card in props.row.cards.iter() {
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
